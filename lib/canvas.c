/*
 * canvas.c - RGB or indexed raster: clipped rectangle fill, mask blending.
 */
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "xalloc.h"

#define LEVELS	64		/* coverage levels of indexed blending */

/* Indexed blending: the palette entry for (pixel index, level) of one ink
 * colour; -1 until computed. */
struct ct_canvas_ink {
	ct_rgb		color;
	int16_t		map[256][LEVELS];
};

static struct ct_canvas *
canvas_new(int w, int h, int bpp, ct_rgb bg)
{
	struct ct_canvas *c;

	if (w < 1 || h < 1 || w > CT_CANVAS_MAX || h > CT_CANVAS_MAX)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->w = w;
	c->h = h;
	c->bpp = bpp;
	c->px = xmalloc((size_t)w * (size_t)h * (size_t)bpp);
	ct_canvas_clear(c, bg);
	return c;
}

struct ct_canvas *
ct_canvas_new(int w, int h, ct_rgb bg)
{
	return canvas_new(w, h, 3, bg);
}

struct ct_canvas *
ct_canvas_new_indexed(int w, int h, ct_rgb bg)
{
	return canvas_new(w, h, 1, bg);
}

void
ct_canvas_free(struct ct_canvas *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < CT_CANVAS_INKS; i++)
		free(c->ink[i]);
	free(c->px);
	free(c);
}

static unsigned
dist2(ct_rgb a, ct_rgb b)
{
	int dr = (int)((a >> 16) & 0xff) - (int)((b >> 16) & 0xff);
	int dg = (int)((a >> 8) & 0xff) - (int)((b >> 8) & 0xff);
	int db = (int)(a & 0xff) - (int)(b & 0xff);

	return (unsigned)(dr * dr + dg * dg + db * db);
}

/* The palette index of color: found, added, or the nearest if full. */
static uint8_t
pal_index(struct ct_canvas *c, ct_rgb color)
{
	int i, best = 0;
	unsigned d, bd = ~0u;

	color &= 0xffffff;
	for (i = 0; i < c->npal; i++)
		if (c->pal[i] == color)
			return (uint8_t)i;
	if (c->npal < 256) {
		c->pal[c->npal] = color;
		return (uint8_t)c->npal++;
	}
	for (i = 0; i < 256; i++)
		if ((d = dist2(c->pal[i], color)) < bd) {
			bd = d;
			best = i;
		}
	return (uint8_t)best;
}

void
ct_canvas_clear(struct ct_canvas *c, ct_rgb color)
{
	int i;

	if (c->bpp == 1) {
		c->npal = 0;
		for (i = 0; i < CT_CANVAS_INKS; i++) {
			free(c->ink[i]);
			c->ink[i] = NULL;
		}
	}
	ct_canvas_fill(c, 0, 0, c->w, c->h, color);
}

void
ct_canvas_fill(struct ct_canvas *c, int x, int y, int w, int h, ct_rgb color)
{
	uint8_t r = color >> 16, g = color >> 8, b = color;
	size_t stride = (size_t)c->w * (size_t)c->bpp, rowbytes;
	long long xe = (long long)x + w, ye = (long long)y + h;
	uint8_t *first, *p;
	int x1, y1, i;

	if (w <= 0 || h <= 0)
		return;
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	x1 = xe > c->w ? c->w : (int)xe;
	y1 = ye > c->h ? c->h : (int)ye;
	if (x >= x1 || y >= y1)
		return;
	first = c->px + (size_t)y * stride + (size_t)x * (size_t)c->bpp;
	rowbytes = (size_t)(x1 - x) * (size_t)c->bpp;
	if (c->bpp == 1 || (r == g && g == b)) {
		uint8_t v = c->bpp == 1 ? pal_index(c, color) : r;

		for (i = y; i < y1; i++)
			memset(first + (size_t)(i - y) * stride, v, rowbytes);
		return;
	}
	/* One row by hand, then copy it down. */
	for (p = first, i = x; i < x1; i++, p += 3) {
		p[0] = r;
		p[1] = g;
		p[2] = b;
	}
	for (i = y + 1; i < y1; i++)
		memcpy(first + (size_t)(i - y) * stride, first, rowbytes);
}

static ct_rgb
mix(ct_rgb dst, ct_rgb src, unsigned a)
{
	unsigned na = 255 - a, r, g, b;

	r = (((dst >> 16) & 0xff) * na + ((src >> 16) & 0xff) * a + 127) / 255;
	g = (((dst >> 8) & 0xff) * na + ((src >> 8) & 0xff) * a + 127) / 255;
	b = ((dst & 0xff) * na + (src & 0xff) * a + 127) / 255;
	return r << 16 | g << 8 | b;
}

static struct ct_canvas_ink *
ink_of(struct ct_canvas *c, ct_rgb color)
{
	struct ct_canvas_ink *k;
	int i;

	for (i = 0; i < CT_CANVAS_INKS && c->ink[i] != NULL; i++)
		if (c->ink[i]->color == color)
			return c->ink[i];
	if (i == CT_CANVAS_INKS) {
		/* Evict the last one. */
		i = CT_CANVAS_INKS - 1;
		free(c->ink[i]);
	}
	k = c->ink[i] = xmalloc(sizeof(*k));
	k->color = color;
	memset(k->map, 0xff, sizeof(k->map));
	return k;
}

void
ct_canvas_blend(struct ct_canvas *c, int x, int y, const uint8_t *mask,
    int mw, int mh, int pitch, ct_rgb color)
{
	unsigned cr = (color >> 16) & 0xff, cg = (color >> 8) & 0xff,
	    cb = color & 0xff;
	size_t stride = (size_t)c->w * (size_t)c->bpp;
	int row, col, c0 = 0, c1 = mw, r0 = 0, r1 = mh;
	struct ct_canvas_ink *k = NULL;

	if (x < 0)
		c0 = -x;
	if (y < 0)
		r0 = -y;
	if ((long long)x + mw > c->w)
		c1 = c->w - x;
	if ((long long)y + mh > c->h)
		r1 = c->h - y;
	if (c0 >= c1 || r0 >= r1)
		return;
	if (c->bpp == 1)
		k = ink_of(c, color & 0xffffff);
	for (row = r0; row < r1; row++) {
		const uint8_t *m = mask + (ptrdiff_t)row * pitch;
		uint8_t *p = c->px + (size_t)(y + row) * stride +
		    (size_t)(x + c0) * (size_t)c->bpp;

		if (k != NULL) {
			for (col = c0; col < c1; col++, p++) {
				unsigned lv = m[col] >> 2;
				int16_t *e;

				if (lv == 0)
					continue;
				e = &k->map[*p][lv];
				if (*e < 0)
					*e = pal_index(c, mix(c->pal[*p],
					    k->color, lv == LEVELS - 1 ? 255 :
					    lv * 255 / (LEVELS - 1)));
				*p = (uint8_t)*e;
			}
			continue;
		}
		for (col = c0; col < c1; col++, p += 3) {
			unsigned a = m[col], na;

			if (a == 0)
				continue;
			if (a == 255) {
				p[0] = cr;
				p[1] = cg;
				p[2] = cb;
				continue;
			}
			/* dst + (src - dst) * a / 255, rounded. */
			na = 255 - a;
			p[0] = (p[0] * na + cr * a + 127) / 255;
			p[1] = (p[1] * na + cg * a + 127) / 255;
			p[2] = (p[2] * na + cb * a + 127) / 255;
		}
	}
}

ct_rgb
ct_canvas_get(const struct ct_canvas *c, int x, int y)
{
	const uint8_t *p;

	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return 0;
	p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * (size_t)c->bpp;
	if (c->bpp == 1)
		return c->pal[*p];
	return (ct_rgb)p[0] << 16 | (ct_rgb)p[1] << 8 | p[2];
}
