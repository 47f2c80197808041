/* test_chart.c - the bar chart: proportions, order, cuts, any label. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "check.h"

struct bar {
	int	y0, y1, x, len;
};

/* Bars as runs of the bar colour, top to bottom (like tools/pnginfo). */
static int
bars(const struct ct_canvas *c, struct bar *out, int max)
{
	int y, x, n = 0, gx = -1, glen = 0, gy = 0;

	for (y = 0; y <= c->h; y++) {
		int bx = -1, len = 0;

		for (x = 0; y < c->h && x < c->w; x++)
			if (ct_canvas_get(c, x, y) == CT_CHART_COLOR)
				break;
		if (y < c->h && x < c->w) {
			bx = x;
			while (x < c->w && ct_canvas_get(c, x, y) ==
			    CT_CHART_COLOR)
				x++;
			len = x - bx;
		}
		if (bx == gx && len == glen)
			continue;
		if (gx >= 0 && n < max) {
			out[n].y0 = gy;
			out[n].y1 = y - 1;
			out[n].x = gx;
			out[n].len = glen;
			n++;
		}
		gx = bx;
		glen = len;
		gy = y;
	}
	return n;
}

static long
dark(const struct ct_canvas *c, int x0, int y0, int x1, int y1)
{
	long n = 0;
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			n += (ct_canvas_get(c, x, y) & 0xff) < 128 &&
			    ((ct_canvas_get(c, x, y) >> 16) & 0xff) < 128;
	return n;
}

static struct ct_canvas *
draw(struct ct_font *f, const char *title, struct ct_chart_bar *b, size_t n,
    int cut, int w, int h)
{
	struct ct_chart ch;
	struct ct_buf err;
	struct ct_canvas *c;

	ch.title = title;
	ch.titlen = strlen(title);
	ch.bars = b;
	ch.nbars = n;
	ch.cut = cut;
	ch.width = w;
	ch.height = h;
	ct_buf_init(&err, 0);
	c = ct_chart_render(&ch, f, NULL, &err);
	if (c == NULL)
		printf("# render: %s\n", err.data);
	ct_buf_free(&err);
	return c;
}

static const char *
shorten(const char *s)
{
	static struct ct_buf b;

	ct_buf_free(&b);
	ct_buf_init(&b, 0);
	ct_chart_shorten(&b, s, strlen(s), CT_CHART_LABEL_MAX);
	return b.data;
}

int
main(void)
{
	static const uint64_t v[5] = { 1000, 500, 250, 100, 1 };
	struct ct_chart_bar b[60];
	struct bar m[80];
	struct ct_canvas *c;
	struct ct_font *f;
	struct ct_buf err;
	char s86[87], lab[60][48], *huge;
	int i, n, ok;

	/* Cutting labels as the Python tool does (85 characters). */
	memset(s86, 'a', 86);
	s86[86] = '\0';
	CHECK_STR(shorten(s86 + 1), s86 + 1, "85 characters stay");
	CHECK(strlen(shorten(s86)) == 85 &&
	    strcmp(shorten(s86) + 80, "[...]") == 0, "86 become 80 + [...]");
	{
		struct ct_buf u;
		size_t k;

		ct_buf_init(&u, 0);
		for (k = 0; k < 86; k++)
			ct_buf_adds(&u, "\xc3\xa9");
		CHECK(strlen(shorten(u.data)) == 160 + 5,
		    "characters counted, not bytes");
		ct_buf_reset(&u);
		for (k = 0; k < 85; k++)
			ct_buf_adds(&u, "\xe2\x82\xac");
		CHECK_STR(shorten(u.data), u.data,
		    "85 three-byte characters stay");
		ct_buf_free(&u);
	}

	ct_buf_init(&err, 0);
	if ((f = ct_font_open(NULL, &err)) == NULL) {
		CHECK(1, "rendering # SKIP no font: %s", err.data);
		return check_done();
	}

	/* Proportional bars, largest first. */
	for (i = 0; i < 5; i++) {
		snprintf(lab[i], sizeof(lab[i]), "service:Call%d", i);
		b[i].label = lab[i];
		b[i].labeln = strlen(lab[i]);
		b[i].value = v[i];
	}
	c = draw(f, "API calls by principal 'x'", b, 5, 0, 1600, 800);
	CHECK(c != NULL && c->w == 1600 && c->h == 800, "1600x800 canvas");
	n = bars(c, m, 80);
	CHECK(n == 5, "5 bars found: %d", n);
	for (ok = 1, i = 1; i < n; i++) {
		double want = (double)m[0].len * (double)v[i] / (double)v[0];

		if (m[i].len < want - 1.5 || m[i].len > want + 1.5 ||
		    m[i].x != m[0].x || m[i].y0 <= m[i - 1].y1)
			ok = 0;
		if (v[i] > 0 && m[i].len < 1)
			ok = 0;
	}
	CHECK(ok, "lengths proportional to values, top to bottom, one start");
	CHECK(m[0].len > 1600 / 2, "largest bar spans most of the plot: %d",
	    m[0].len);
	CHECK(dark(c, 0, 0, 1600, m[0].y0 - 4) > 200, "title drawn at the top");
	CHECK(dark(c, 0, m[0].y0, m[0].x - 10, m[0].y1 + 1) > 50,
	    "first label drawn left of its bar");
	CHECK(dark(c, 0, m[n - 1].y1 + 3, m[0].x - 12, 800) == 0,
	    "no [...] row when nothing was cut");
	ct_canvas_free(c);

	/* 40 bars and a [...] row: all labels, none overlapping. */
	for (i = 0; i < 40; i++) {
		snprintf(lab[i], sizeof(lab[i]), "ec2.amazonaws.com:Call%02d", i);
		b[i].label = lab[i];
		b[i].labeln = strlen(lab[i]);
		b[i].value = (uint64_t)(400 - i * 9);
	}
	c = draw(f, "t", b, 40, 1, 1600, 800);
	n = bars(c, m, 80);
	CHECK(n == 40, "40 bars drawn: %d", n);
	CHECK(dark(c, 0, m[39].y1 + 2, m[0].x - 16, 770) > 10,
	    "[...] row labelled after the last bar");
	for (ok = 1, i = 0; i < n; i++)
		if (dark(c, 0, m[i].y0, m[i].x - 12, m[i].y1 + 1) < 20)
			ok = 0;
	CHECK(ok, "every bar has its label");
	/* Labels do not overlap: some row between two bars' centres has no
	 * ink in the label column. */
	for (ok = 1, i = 1; i < n; i++) {
		int y, clear = 0;

		for (y = (m[i - 1].y0 + m[i - 1].y1) / 2;
		    y < (m[i].y0 + m[i].y1) / 2; y++)
			if (dark(c, 0, y, m[0].x - 12, y + 1) == 0)
				clear = 1;
		ok &= clear;
	}
	CHECK(ok, "a blank line between every two labels");
	ct_canvas_free(c);

	/* Hostile labels: long, control characters, invalid UTF-8, empty. */
	huge = malloc(10001);
	memset(huge, 'W', 10000);
	huge[10000] = '\0';
	b[0].label = huge;
	b[0].labeln = 10000;
	b[1].label = "nul\0tab\tesc\x1b del\x7f c1\xc2\x85";
	b[1].labeln = 23;
	b[2].label = "\xff\xfe\xed\xa0\x80 \xf4\x90\x80\x80";
	b[2].labeln = 10;
	b[3].label = "";
	b[3].labeln = 0;
	b[4].label = "\xe6\x97\xa5\xe6\x9c\xac \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a";
	b[4].labeln = 15;
	for (i = 0; i < 5; i++)
		b[i].value = (uint64_t)(5 - i);
	c = draw(f, huge, b, 5, 0, 1600, 800);
	CHECK(c != NULL, "hostile labels and title render");
	n = bars(c, m, 80);
	{
		long ink = 0;
		int x, y;

		for (y = n == 5 ? m[3].y0 : 0; n == 5 && y <= m[3].y1; y++)
			for (x = 0; x < m[3].x - 12; x++)
				ink += ct_canvas_get(c, x, y) != 0xffffff;
		CHECK(ink > 10, "the empty label is shown (as \"\")");
	}
	CHECK(n == 5 && m[0].x <= 1600 * 55 / 100 + 20,
	    "label column kept within ~55%% of the width: x=%d",
	    n > 0 ? m[0].x : -1);
	ct_canvas_free(c);
	free(huge);
	b[0].label = "first";
	b[0].labeln = 5;

	/* Extreme values, zero values, sizes. */
	b[0].value = UINT64_MAX;
	b[1].value = UINT64_MAX / 2;
	b[2].value = 0;
	c = draw(f, "big", b, 3, 0, 1600, 800);
	n = bars(c, m, 80);
	CHECK(n == 2 && m[1].len >= m[0].len / 2 - 1 &&
	    m[1].len <= m[0].len / 2 + 1, "2^64-1 and half of it: %d/%d",
	    n > 1 ? m[0].len : 0, n > 1 ? m[1].len : 0);
	ct_canvas_free(c);
	b[0].value = b[1].value = 0;
	c = draw(f, "zeros", b, 2, 0, 1600, 800);
	CHECK(c != NULL && bars(c, m, 80) == 0, "all-zero chart: no bars");
	ct_canvas_free(c);
	for (i = 0; i < 40; i++)
		b[i].value = (uint64_t)(40 - i);
	c = draw(f, "small", b, 40, 1, CT_CHART_MIN_W, CT_CHART_MIN_H);
	n = c != NULL ? bars(c, m, 80) : 0;
	CHECK(c != NULL && c->w == CT_CHART_MIN_W && n == 40,
	    "41 rows fit the smallest chart");
	CHECK(n == 40 && dark(c, 0, m[39].y1 + 1, m[0].x - 10,
	    CT_CHART_MIN_H - 12) > 5, "and the [...] row is labelled");
	ct_canvas_free(c);
	c = draw(f, "wide", b, 3, 0, 3000, 1200);
	CHECK(c != NULL && c->w == 3000 && c->h == 1200, "3000x1200 chart");
	ct_canvas_free(c);
	c = draw(f, "x", b, 3, 0, CT_CHART_MIN_W - 1, 800);
	CHECK(c == NULL, "too narrow refused");
	{
		struct ct_chart_bar *many = calloc(1000, sizeof(*many));

		for (i = 0; i < 1000; i++) {
			many[i].label = "x";
			many[i].labeln = 1;
			many[i].value = 1;
		}
		c = draw(f, "many", many, 1000, 0, 1600, 800);
		CHECK(c == NULL, "1000 rows in 800 pixels refused");
		c = draw(f, "many", many, 1000, 1, 1600, 2400);
		CHECK(c != NULL && bars(c, m, 80) >= 1, "1000 rows in 2400 px");
		ct_canvas_free(c);
		free(many);
	}
	/* Random bytes as labels and title, random values: no crash. */
	{
		static char rb[60][120];
		unsigned seed = 7;
		int round, k, j, drawn = 0;

		for (round = 0; round < 20; round++) {
			int nb = 1 + round * 2;

			for (k = 0; k < nb; k++) {
				int len = (int)(seed % 120);

				for (j = 0; j < len; j++) {
					seed = seed * 1103515245 + 12345;
					rb[k][j] = (char)(seed >> 16);
				}
				b[k].label = rb[k];
				b[k].labeln = (size_t)len;
				seed = seed * 1103515245 + 12345;
				b[k].value = round % 3 == 0 ? seed :
				    (uint64_t)seed << 32 | seed;
			}
			c = draw(f, rb[0], b, (size_t)nb, round & 1,
			    400 + round * 50, 300 + round * 20);
			drawn += c != NULL;
			ct_canvas_free(c);
		}
		CHECK(drawn == 20, "20 charts of random bytes drawn");
	}
	ct_font_free(f);
	ct_buf_free(&err);
	return check_done();
}
