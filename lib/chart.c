/*
 * chart.c - bar chart layout and drawing.
 *
 * Geometry is derived from the canvas size with a scale s (1 at the
 * Python tool's 1600x800): title band, label column, plot area, count
 * axis.  See chart.h for the rules.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "jstr.h"
#include "xalloc.h"

#define INK		0x000000
#define GRID		0xe6e6e6
#define WHITE		0xffffff
#define MIN_LABEL_PX	7

struct label {
	uint32_t	*cp;
	size_t		 n;
	int		 w;
	int		 stand_in;	/* "" for the empty label */
};

static int
iround(double v)
{
	return (int)lround(v);
}

static int
scaled(double s, double base, int min)
{
	int v = iround(base * s);

	return v < min ? min : v;
}

size_t
ct_chart_shorten(struct ct_buf *out, const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, i, keep = 0, keepn = 0;

	if (max < 6)
		max = 6;
	for (i = 0; i < n; i += ct_utf8_charlen((const char *)p + i, n - i)) {
		if (chars == max - 5) {
			keep = chars;
			keepn = i;
		}
		chars++;
	}
	if (chars <= max) {
		ct_buf_add(out, s, n);
		return chars;
	}
	ct_buf_add(out, s, keepn);
	ct_buf_adds(out, CT_CHART_ELLIPSIS);
	return keep + 5;
}

/* The scale of a chart: 1 at the Python tool's 1600x800. */
static double
chart_scale(int W, int H)
{
	double s = fmin(W / 1600.0, H / 800.0);

	return s < 0.7 ? 0.7 : s > 3.0 ? 3.0 : s;
}

size_t
ct_chart_max_rows(int w, int h)
{
	/* The title band and the count axis take less than 100 * s + 30
	 * pixels; rows need 2 (a little more, to be safe). */
	double free_px = h - (100 * chart_scale(w, h) + 30);

	return free_px > 5 ? (size_t)(free_px / 2.5) : 1;
}

static const uint32_t ellipsis[5] = { '[', '.', '.', '.', ']' };

/* Cut l so that it with "[...]" is at most maxw wide at px. */
static void
fit_label(struct ct_font *f, int px, struct label *l, int maxw)
{
	int ew = ct_font_width(f, px, ellipsis, 5);
	size_t lo = 0, hi = l->n, mid;

	/* Largest k with width(cp[0..k)) + ew <= maxw (binary search). */
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (ct_font_width(f, px, l->cp, mid) + ew <= maxw)
			lo = mid;
		else
			hi = mid - 1;
	}
	memcpy(l->cp + lo, ellipsis, sizeof(ellipsis));
	l->n = lo + 5;
	l->w = ct_font_width(f, px, l->cp, l->n);
}

/* Digits in groups of three ("12,000"), when the axis reaches 10,000:
 * then every tick label of 4 digits or more is grouped. */
static void
group(char num[static 40], int on)
{
	size_t n = strlen(num), commas, i, j;

	if (!on || n < 4)
		return;
	commas = (n - 1) / 3;
	num[n + commas] = '\0';
	for (i = n, j = n + commas; i > 0; i--) {
		num[--j] = num[i - 1];
		if (i > 1 && (n - i + 1) % 3 == 0)
			num[--j] = ',';
	}
}

static size_t
ascii_cp(const char *s, uint32_t *cp)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		cp[i] = (unsigned char)s[i];
	return i;
}

struct ct_canvas *
ct_chart_render(const struct ct_chart *ch, struct ct_font *f,
    struct ct_canvas *reuse, struct ct_buf *err)
{
	struct ct_canvas *c;
	struct label *lab, title;
	uint32_t tcp[32];
	char num[40];
	int W = ch->width, H = ch->height;
	int title_px, base_lpx, lpx, tick_px, pad, gap, ticklen;
	int ta, td, la, ld, ka, kd, maxw, lmax, lw, every, minlpx;
	int x0, x1, y0, y1, pw, ph, tw, maxticks, i, rpad, bh;
	size_t nrows, k, tn;
	uint64_t vmax = 0;
	long double axis_max, step, t, base;
	double s, pitch;

	if (W < CT_CHART_MIN_W || W > CT_CHART_MAX_W ||
	    H < CT_CHART_MIN_H || H > CT_CHART_MAX_H) {
		ct_buf_printf(err, "chart size %dx%d out of range "
		    "(%dx%d to %dx%d)", W, H, CT_CHART_MIN_W, CT_CHART_MIN_H,
		    CT_CHART_MAX_W, CT_CHART_MAX_H);
		return NULL;
	}
	s = chart_scale(W, H);
	title_px = scaled(s, 17, 10);
	base_lpx = scaled(s, 14, 8);
	tick_px = scaled(s, 13, 8);
	pad = scaled(s, 12, 6);
	gap = scaled(s, 5, 3);
	ticklen = scaled(s, 5, 3);

	/* Bands: title on top, count axis below. */
	ct_font_metrics(f, title_px, &ta, &td);
	ct_font_metrics(f, tick_px, &ka, &kd);
	y0 = pad + ta + td + scaled(s, 10, 4);
	y1 = H - (pad + ka + kd + ticklen + 3);
	ph = y1 - y0;
	nrows = ch->nbars + (ch->cut ? 1 : 0);
	pitch = ph / (nrows + 0.5);
	if (pitch < 2) {
		ct_buf_printf(err, "%zu rows do not fit in a chart %d pixels "
		    "high", nrows, H);
		return NULL;
	}

	/* Label size: as large as the rows allow. */
	for (lpx = base_lpx;; lpx--) {
		ct_font_metrics(f, lpx, &la, &ld);
		if (la + ld <= pitch || lpx <= MIN_LABEL_PX)
			break;
	}
	every = la + ld <= pitch ? 1 : (int)ceil((la + ld) / pitch);

	/* Labels as code points, cut to CT_CHART_LABEL_MAX characters. */
	lab = xcalloc(nrows ? nrows : 1, sizeof(*lab));
	for (k = 0; k < nrows; k++) {
		if (k == ch->nbars) {
			lab[k].cp = xmalloc(2 * sizeof(ellipsis));
			memcpy(lab[k].cp, ellipsis, sizeof(ellipsis));
			lab[k].n = 5;
			continue;
		}
		lab[k].n = ct_font_decode(ch->bars[k].label,
		    ch->bars[k].labeln, &lab[k].cp);
		if (lab[k].n == 0) {
			/* The empty key: show "" rather than nothing. */
			lab[k].cp[0] = '"';
			lab[k].n = 1;
			lab[k].stand_in = 1;
		}
		/* Room for fit_label()'s "[...]". */
		lab[k].cp = xrealloc(lab[k].cp,
		    (lab[k].n + 6) * sizeof(*lab[k].cp));
		if (lab[k].stand_in)
			lab[k].cp[lab[k].n++] = '"';
		if (lab[k].n > CT_CHART_LABEL_MAX) {
			lab[k].n = CT_CHART_LABEL_MAX - 5;
			memcpy(lab[k].cp + lab[k].n, ellipsis,
			    sizeof(ellipsis));
			lab[k].n += 5;
		}
	}

	/* Label column: widest label, within 55% of the width. */
	lmax = iround(W * 0.55) - pad - gap - ticklen;
	minlpx = iround(lpx * 0.8);
	if (minlpx < MIN_LABEL_PX)
		minlpx = MIN_LABEL_PX;
	for (;;) {
		maxw = 0;
		for (k = 0; k < nrows; k++) {
			lab[k].w = ct_font_width(f, lpx, lab[k].cp, lab[k].n);
			if (lab[k].w > maxw)
				maxw = lab[k].w;
		}
		if (maxw <= lmax || lpx <= minlpx)
			break;
		lpx--;
	}
	ct_font_metrics(f, lpx, &la, &ld);
	for (k = 0; k < nrows; k++)
		if (lab[k].w > lmax)
			fit_label(f, lpx, &lab[k], lmax);
	lw = maxw < lmax ? maxw : lmax;
	x0 = pad + lw + gap + ticklen + 1;

	/* Count axis. */
	for (k = 0; k < ch->nbars; k++)
		if (ch->bars[k].value > vmax)
			vmax = ch->bars[k].value;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)vmax);
	group(num, vmax >= 10000);
	tn = ascii_cp(num, tcp);
	tw = ct_font_width(f, tick_px, tcp, tn);
	rpad = pad + tw / 2 + 2;
	x1 = W - rpad;
	pw = x1 - x0;
	axis_max = vmax == 0 ? 1.0L : (long double)vmax * 1.05L;
	maxticks = pw / (tw + scaled(s, 30, 12));
	maxticks = maxticks < 2 ? 2 : maxticks > 10 ? 10 : maxticks;
	step = 1;
	for (base = 1;; base *= 10) {
		static const int mult[3] = { 1, 2, 5 };

		for (i = 0; i < 3; i++) {
			step = base * mult[i];
			if (floorl(axis_max / step) + 1 <= maxticks)
				break;
		}
		if (i < 3)
			break;
	}

	if (reuse != NULL && reuse->w == W && reuse->h == H &&
	    reuse->bpp == 1) {
		c = reuse;
		ct_canvas_clear(c, WHITE);
	} else
		c = ct_canvas_new_indexed(W, H, WHITE);

	/* Gridlines, bars, frame. */
	for (t = step; t <= axis_max; t += step)
		ct_canvas_fill(c, x0 + (int)llroundl(t / axis_max * pw), y0,
		    1, ph, GRID);
	bh = iround(pitch * 0.8);
	if (pitch >= 3 && bh > (int)pitch - 1)
		bh = (int)pitch - 1;
	if (bh < 1)
		bh = 1;
	for (k = 0; k < ch->nbars; k++) {
		double cy = y0 + pitch * (0.25 + k + 0.5);
		int len = (int)llroundl(ch->bars[k].value / axis_max * pw);

		if (len == 0 && ch->bars[k].value > 0)
			len = 1;
		ct_canvas_fill(c, x0, iround(cy - bh / 2.0), len, bh,
		    CT_CHART_COLOR);
	}
	ct_canvas_fill(c, x0 - 1, y0 - 1, pw + 2, 1, INK);
	ct_canvas_fill(c, x0 - 1, y1, pw + 2, 1, INK);
	ct_canvas_fill(c, x0 - 1, y0 - 1, 1, ph + 2, INK);
	ct_canvas_fill(c, x1, y0 - 1, 1, ph + 2, INK);

	/* Row labels with their tick marks. */
	for (k = 0; k < nrows; k++) {
		double cy = y0 + pitch * (0.25 + k + 0.5);

		/* With too many rows for their labels: every k-th row, and
		 * always the last (the "[...]" row when there is one). */
		if (k + 1 != nrows && (k % (size_t)every != 0 ||
		    nrows - 1 - k < (size_t)every))
			continue;
		ct_canvas_fill(c, x0 - 1 - ticklen, iround(cy), ticklen, 1,
		    INK);
		ct_font_draw(f, c, x0 - 1 - ticklen - gap - lab[k].w,
		    iround(cy + (la - ld) / 2.0), lpx, lab[k].cp, lab[k].n,
		    lab[k].stand_in ? CT_FONT_ESC_COLOR : INK);
	}

	/* Count ticks. */
	for (t = 0; t <= axis_max; t += step) {
		int x = x0 + (int)llroundl(t / axis_max * pw), w;

		snprintf(num, sizeof(num), "%.0Lf", t);
		group(num, vmax >= 10000);
		tn = ascii_cp(num, tcp);
		w = ct_font_width(f, tick_px, tcp, tn);
		ct_canvas_fill(c, x, y1 + 1, 1, ticklen, INK);
		ct_font_draw(f, c, x - w / 2, y1 + 1 + ticklen + 3 + ka,
		    tick_px, tcp, tn, INK);
	}

	/* Title, at the top left of the plot, or of the chart if long. */
	title.n = ct_font_decode(ch->title, ch->titlen, &title.cp);
	title.cp = xrealloc(title.cp, (title.n + 5) * sizeof(*title.cp));
	title.w = ct_font_width(f, title_px, title.cp, title.n);
	i = x0 - 1;
	if (i + title.w > W - pad)
		i = pad;
	if (i + title.w > W - pad)
		fit_label(f, title_px, &title, W - 2 * pad);
	ct_font_draw(f, c, i, pad + ta, title_px, title.cp, title.n, INK);

	free(title.cp);
	for (k = 0; k < nrows; k++)
		free(lab[k].cp);
	free(lab);
	return c;
}
