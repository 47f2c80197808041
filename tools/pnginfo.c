/*
 * pnginfo - measure a ct-plot chart, for the tests (not installed).
 *
 * pnginfo FILE.png
 *
 * Reads the PNG with libpng (any PNG; converted to RGB) and prints:
 *
 *   size W H
 *   ink N COLOURS            N pixels that are not white, COLOURS distinct
 *                            colours (a page that rendered has many)
 *   bar Y0 Y1 X LEN DARK     one line per bar, top to bottom: the rows
 *                            Y0..Y1 where the first run of #e4af00 pixels
 *                            starts at X and is LEN long; DARK counts the
 *                            dark pixels left of X - 12 on those rows
 *                            (the label)
 *   frame X YTOP YBOTTOM     the plot frame: the column left of the bars,
 *                            the frame lines above and below them
 *   below DARK               dark pixels in the label column between the
 *                            last bar and the bottom frame line (a
 *                            "[...]" row)
 *   title DARK               dark pixels above the top frame line
 *   ticks X...               the count axis' tick marks: columns with a
 *                            dark pixel two rows below the bottom frame
 *                            line, from the frame's left edge on
 *
 * "Dark" is a pixel whose channels are all below 128.  Exit 1 if the file
 * cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pngio.h"

#define BAR	0xe4af00

static int
dark(const struct ct_canvas *c, int x, int y)
{
	ct_rgb p = ct_canvas_get(c, x, y);

	return ((p >> 16) & 0xff) < 128 && ((p >> 8) & 0xff) < 128 &&
	    (p & 0xff) < 128;
}

static long
count_dark(const struct ct_canvas *c, int x0, int y0, int x1, int y1)
{
	long n = 0;
	int x, y;

	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++)
			n += dark(c, x, y);
	return n;
}

int
main(int argc, char **argv)
{
	struct ct_canvas *c;
	struct ct_buf err;
	int y, x, gx = -1, glen = 0, gy0 = 0, first_x = -1, ytop = 0;
	int ybot, last_y1 = -1;

	if (argc != 2) {
		fprintf(stderr, "usage: pnginfo FILE.png\n");
		return 2;
	}
	ct_buf_init(&err, 0);
	if ((c = ct_png_read(argv[1], &err)) == NULL) {
		fprintf(stderr, "pnginfo: %s\n", err.data);
		return 1;
	}
	printf("size %d %d\n", c->w, c->h);
	{
		uint8_t *seen = calloc((size_t)1 << 21, 1);	/* 2^24 bits */
		long ink = 0, colours = 0;
		ct_rgb p;

		if (seen == NULL)
			return 1;
		for (y = 0; y < c->h; y++)
			for (x = 0; x < c->w; x++) {
				p = ct_canvas_get(c, x, y) & 0xffffff;
				ink += p != 0xffffff;
				if (!(seen[p >> 3] & (1u << (p & 7)))) {
					seen[p >> 3] |= (uint8_t)(1u << (p & 7));
					colours++;
				}
			}
		free(seen);
		printf("ink %ld %ld\n", ink, colours);
	}
	for (y = 0; y <= c->h; y++) {
		int bx = -1, len = 0;

		if (y < c->h) {
			for (x = 0; x < c->w; x++)
				if (ct_canvas_get(c, x, y) == BAR)
					break;
			if (x < c->w) {
				bx = x;
				while (x < c->w && ct_canvas_get(c, x, y) == BAR)
					x++;
				len = x - bx;
			}
		}
		if (bx == gx && len == glen)
			continue;
		if (gx >= 0) {
			printf("bar %d %d %d %d %ld\n", gy0, y - 1, gx, glen,
			    gx > 12 ? count_dark(c, 0, gy0, gx - 13, y - 1) :
			    0L);
			if (first_x < 0)
				first_x = gx;
			last_y1 = y - 1;
		}
		gx = bx;
		glen = len;
		gy0 = y;
	}
	if (first_x >= 0) {
		/* The frame: dark lines in the column just right of the
		 * bars' start, above the first and below the last bar. */
		for (y = 0; y < c->h && !dark(c, first_x + 1, y); y++)
			;
		ytop = y;
		for (y = last_y1 + 1; y < c->h && !dark(c, first_x + 1, y); y++)
			;
		ybot = y;
		printf("frame %d %d %d\n", first_x - 1, ytop, ybot);
		printf("below %ld\n", first_x > 15 ? count_dark(c, 0,
		    last_y1 + 2, first_x - 16, ybot - 1) : 0L);
		printf("title %ld\n", count_dark(c, 0, 0, c->w - 1, ytop - 1));
		printf("ticks");
		for (x = first_x - 1; ybot + 2 < c->h && x < c->w; x++)
			if (dark(c, x, ybot + 2))
				printf(" %d", x);
		printf("\n");
	}
	ct_canvas_free(c);
	ct_buf_free(&err);
	return 0;
}
