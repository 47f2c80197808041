/* test_pngio.c - PNG writing (our deflate encoder) read back by libpng. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pngio.h"

static char path[64];

/* Write c, read it back with libpng; 1 if the pixels are identical. */
static int
round_trip(const struct ct_canvas *c, const char *what)
{
	struct ct_canvas *r;
	struct ct_buf err;
	FILE *fp;
	int same;

	ct_buf_init(&err, 0);
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	if (ct_png_write(c, fp, &err) != 0 || fclose(fp) != 0) {
		printf("# %s: %s\n", what, err.data);
		return 0;
	}
	if ((r = ct_png_read(path, &err)) == NULL) {
		printf("# %s: %s\n", what, err.data);
		ct_buf_free(&err);
		return 0;
	}
	same = r->w == c->w && r->h == c->h &&
	    memcmp(r->px, c->px, (size_t)c->w * (size_t)c->h * 3) == 0;
	ct_canvas_free(r);
	ct_buf_free(&err);
	return same;
}

int
main(void)
{
	struct ct_canvas *c;
	struct ct_buf err;
	unsigned seed = 12345;
	size_t i, n;
	FILE *fp;
	int j, x, y;

	snprintf(path, sizeof(path), "/tmp/ct-test-png.%ld.png",
	    (long)getpid());

	c = ct_canvas_new(1, 1, 0x123456);
	CHECK(round_trip(c, "1x1"), "1x1 image round-trips");
	ct_canvas_free(c);

	/* Noise: every byte a literal. */
	c = ct_canvas_new(97, 53, 0);
	n = (size_t)c->w * (size_t)c->h * 3;
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		c->px[i] = (uint8_t)(seed >> 16);
	}
	CHECK(round_trip(c, "noise"), "random noise round-trips exactly");

	/* Few values: short runs, matches at distance 3 and one row. */
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		c->px[i] = (uint8_t)((seed >> 16) % 3 * 100);
	}
	CHECK(round_trip(c, "3 values"), "three-valued noise round-trips");
	ct_canvas_free(c);

	/* A chart-like image: flat, identical rows, long runs, gray text. */
	c = ct_canvas_new(1600, 800, 0xffffff);
	for (j = 0; j < 40; j++)
		ct_canvas_fill(c, 300, 40 + j * 18, 1200 - j * 29, 14, 0xe4af00);
	for (y = 40; y < 760; y++)
		for (x = 20; x < 290; x++)
			if ((x * 7 + y * 13) % 11 < 4)
				c->px[((size_t)y * 1600 + (size_t)x) * 3] =
				    c->px[((size_t)y * 1600 + (size_t)x) * 3 +
				    1] = c->px[((size_t)y * 1600 +
				    (size_t)x) * 3 + 2] = (uint8_t)(x * y);
	CHECK(round_trip(c, "chart"), "1600x800 chart-like image round-trips");
	ct_canvas_free(c);

	/* The widest chart: a row of 24001 bytes, still within the window. */
	c = ct_canvas_new(8000, 4, 0xffffff);
	ct_canvas_fill(c, 10, 1, 7000, 2, 0x00ff00);
	c->px[3 * 8000 * 2 + 5] = 7;
	CHECK(round_trip(c, "wide"), "8000-pixel wide rows round-trip");
	ct_canvas_free(c);

	/* A single colour, many rows: long match chains across blocks. */
	c = ct_canvas_new(3000, 3000, 0xe4af00);
	CHECK(round_trip(c, "flat"), "3000x3000 flat image round-trips");
	ct_canvas_free(c);

	/* Reading rejects what is not a PNG. */
	ct_buf_init(&err, 0);
	fp = fopen(path, "wb");
	fputs("not a png at all", fp);
	fclose(fp);
	c = ct_png_read(path, &err);
	CHECK(c == NULL && err.len > 0, "garbage is refused: %s",
	    err.data ? err.data : "");
	ct_buf_free(&err);
	ct_buf_init(&err, 0);
	c = ct_png_read("/nonexistent/x.png", &err);
	CHECK(c == NULL && err.len > 0, "missing file is refused");
	ct_buf_free(&err);
	unlink(path);
	return check_done();
}
