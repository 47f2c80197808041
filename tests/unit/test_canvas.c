/* test_canvas.c - rectangle fill and mask blending, clipped. */
#include <limits.h>
#include <stdlib.h>

#include "canvas.h"
#include "check.h"

static size_t
count(const struct ct_canvas *c, ct_rgb color)
{
	size_t n = 0;
	int x, y;

	for (y = 0; y < c->h; y++)
		for (x = 0; x < c->w; x++)
			n += ct_canvas_get(c, x, y) == color;
	return n;
}

int
main(void)
{
	struct ct_canvas *c = ct_canvas_new(40, 30, 0xffffff);
	uint8_t mask[4 * 3] = { 0, 255, 128, 0, 255, 255, 255, 255, 1, 2, 3,
	    4 };

	CHECK(c != NULL && count(c, 0xffffff) == 1200, "new canvas is bg");
	CHECK(ct_canvas_new(0, 5, 0) == NULL, "zero width refused");
	CHECK(ct_canvas_new(5, CT_CANVAS_MAX + 1, 0) == NULL,
	    "too high refused");

	ct_canvas_fill(c, 5, 6, 10, 4, 0xe4af00);
	CHECK(count(c, 0xe4af00) == 40, "fill 10x4 colours 40 pixels");
	CHECK(ct_canvas_get(c, 5, 6) == 0xe4af00 &&
	    ct_canvas_get(c, 14, 9) == 0xe4af00 &&
	    ct_canvas_get(c, 15, 9) == 0xffffff &&
	    ct_canvas_get(c, 14, 10) == 0xffffff, "fill covers x..x+w-1");

	ct_canvas_clear(c, 0xffffff);
	ct_canvas_fill(c, -5, -5, 10, 10, 0x000000);
	CHECK(count(c, 0) == 25, "fill clipped at the top left");
	ct_canvas_fill(c, 35, 25, INT_MAX, INT_MAX, 0x000000);
	CHECK(count(c, 0) == 50, "fill clipped at the bottom right, no "
	    "overflow");
	ct_canvas_fill(c, INT_MIN, INT_MIN, INT_MAX, INT_MAX, 0x010101);
	ct_canvas_fill(c, 0, 0, -3, 5, 0x010101);
	ct_canvas_fill(c, 100, 100, 5, 5, 0x010101);
	CHECK(count(c, 0x010101) == 0, "empty and outside fills draw nothing");
	ct_canvas_fill(c, 0, 0, 40, 30, 0x808080);
	CHECK(count(c, 0x808080) == 1200, "grey fill (memset path)");

	/* Blend: 0 keeps, 255 replaces, between mixes. */
	ct_canvas_clear(c, 0xffffff);
	ct_canvas_blend(c, 2, 3, mask, 4, 3, 4, 0x000000);
	CHECK(ct_canvas_get(c, 2, 3) == 0xffffff, "alpha 0 keeps the pixel");
	CHECK(ct_canvas_get(c, 3, 3) == 0x000000, "alpha 255 sets the colour");
	CHECK(ct_canvas_get(c, 4, 3) == 0x7f7f7f, "alpha 128 mixes: %06x",
	    ct_canvas_get(c, 4, 3));
	CHECK(ct_canvas_get(c, 2, 5) == 0xfefefe, "alpha 1 barely darkens");
	/* Negative pitch: rows bottom-up. */
	ct_canvas_clear(c, 0xffffff);
	ct_canvas_blend(c, 0, 0, mask + 8, 4, 3, -4, 0x000000);
	CHECK(ct_canvas_get(c, 1, 1) == 0x000000 &&
	    ct_canvas_get(c, 1, 2) == 0x000000, "negative pitch walks up");
	/* Clipping on every side, no out-of-bounds writes (ASan). */
	ct_canvas_blend(c, -3, -2, mask, 4, 3, 4, 0x00ff00);
	ct_canvas_blend(c, -1, -1, mask, 4, 3, 4, 0xff0000);
	ct_canvas_blend(c, 38, 28, mask, 4, 3, 4, 0xff0000);
	ct_canvas_blend(c, 1000, 1000, mask, 4, 3, 4, 0xff0000);
	ct_canvas_blend(c, -1000, 10, mask, 4, 3, 4, 0xff0000);
	CHECK(ct_canvas_get(c, 0, 0) == 0xff0000 &&
	    ct_canvas_get(c, 39, 28) == 0xff0000, "blend clipped at the edges");
	CHECK(ct_canvas_get(c, -1, 0) == 0 && ct_canvas_get(c, 40, 0) == 0,
	    "get outside the canvas is 0");
	ct_canvas_free(c);
	ct_canvas_free(NULL);
	return check_done();
}
