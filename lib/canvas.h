/*
 * canvas.h - a raster for the charts: rectangles and glyph masks.
 *
 * ct-plot draws nothing but axis-aligned rectangles (bars, frame, ticks,
 * gridlines) and anti-aliased text, so the canvas offers exactly that: an
 * opaque fill of a clipped rectangle and the blend of an 8-bit coverage
 * mask (a FreeType grayscale glyph) in one colour.  All drawing clips to
 * the canvas, so callers may pass any coordinates, and there are no
 * per-pixel function calls in the inner loops.
 *
 * Two pixel formats:
 *   - RGB: 3 bytes a pixel (what ct_png_read gives back, any image);
 *   - indexed: 1 byte a pixel into a palette of at most 256 colours, which
 *     is what a chart needs (white, the bar colour, a few greys, and the
 *     anti-aliasing ramps of text over white) and a third of the bytes to
 *     clear, compress and write.  Blending quantizes coverage to 64 levels
 *     and caches the resulting palette entries; should the palette fill up,
 *     new colours map to the nearest existing entry.
 * Rows are packed (stride = width * bytes per pixel).
 */
#ifndef CT_CANVAS_H
#define CT_CANVAS_H

#include <stddef.h>
#include <stdint.h>

/* 0xRRGGBB */
typedef uint32_t ct_rgb;

#define CT_CANVAS_MAX	16384	/* largest width or height */
#define CT_CANVAS_INKS	4	/* blend colours cached per canvas */

struct ct_canvas_ink;

struct ct_canvas {
	int		 w, h;
	int		 bpp;		/* 3: RGB; 1: palette indices */
	uint8_t		*px;		/* w * h * bpp bytes, row-major */
	ct_rgb		 pal[256];	/* indexed: the palette */
	int		 npal;
	struct ct_canvas_ink *ink[CT_CANVAS_INKS];	/* blend caches */
};

/*
 * A new w x h canvas filled with bg: RGB, or indexed.  NULL if w or h is
 * out of 1..CT_CANVAS_MAX.  The caller frees it with ct_canvas_free().
 */
struct ct_canvas *ct_canvas_new(int w, int h, ct_rgb bg);
struct ct_canvas *ct_canvas_new_indexed(int w, int h, ct_rgb bg);
void	ct_canvas_free(struct ct_canvas *c);

/* Fill the whole canvas with one colour (indexed: the palette restarts). */
void	ct_canvas_clear(struct ct_canvas *c, ct_rgb color);

/* Fill the rectangle x..x+w-1, y..y+h-1 (clipped; nothing if w/h <= 0). */
void	ct_canvas_fill(struct ct_canvas *c, int x, int y, int w, int h,
	    ct_rgb color);

/*
 * Blend a coverage mask (0 = keep the pixel, 255 = color) with its top-left
 * corner at x, y.  mask has mh rows of mw bytes, pitch bytes apart (pitch
 * may be negative, as FreeType's can be).  Clipped to the canvas.
 */
void	ct_canvas_blend(struct ct_canvas *c, int x, int y,
	    const uint8_t *mask, int mw, int mh, int pitch, ct_rgb color);

/* The pixel at x, y as 0xRRGGBB (0 outside the canvas). */
ct_rgb	ct_canvas_get(const struct ct_canvas *c, int x, int y);

#endif
