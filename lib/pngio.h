/*
 * pngio.h - canvases to PNG files and back, with libpng.
 *
 * Charts are flat images: long runs of one colour, many rows identical to
 * the one above, and thousands of them per run must stay fast.  The writer
 * therefore deflates the image data itself, in a way made for such images
 * (see pngio.c: a few tokens per row, a fraction of zlib's time), and lets
 * libpng write the PNG chunks around it.  The reader exists for the tests
 * and tools/pnginfo: it accepts any PNG libpng can read and gives an RGB
 * canvas.  (Named pngio, not png, so it does not hide libpng's <png.h>.)
 */
#ifndef CT_PNGIO_H
#define CT_PNGIO_H

#include <stdio.h>

#include "buf.h"
#include "canvas.h"

/*
 * Write c as an 8-bit RGB PNG (an indexed canvas: an 8-bit palette PNG) to
 * fp (not closed; the caller checks fflush/fclose as well).  Returns 0, or
 * -1 with a one-line reason in err.
 */
int	ct_png_write(const struct ct_canvas *c, FILE *fp, struct ct_buf *err);

/*
 * Read the PNG file at path into a new canvas the caller frees with
 * ct_canvas_free().  Returns NULL with a reason in err on failure.
 */
struct ct_canvas *ct_png_read(const char *path, struct ct_buf *err);

#endif
