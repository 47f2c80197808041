/*
 * font.h - text for the charts: DejaVu Sans through FreeType, with a cache.
 *
 * Chart labels come from CloudTrail and may hold anything: invalid UTF-8,
 * control characters, scripts the font lacks.  Text is therefore first
 * decoded into code points by ct_font_decode() (every invalid byte becomes
 * U+FFFD, one code point per character as Python counts them); measuring
 * and drawing then show each control character (C0, DEL, C1) as the four
 * characters \xNN and each invisible format character that could hide or
 * disguise text (zero-width characters, bidi marks, embeddings, overrides
 * and isolates, BOM) as \uNNNN, in a dark red ink (DejaVu Sans has no
 * "control pictures" block), and a code point no font has a glyph for (or
 * a lone surrogate) as the main font's .notdef box.  Nothing a label holds
 * can fail or crash the renderer.
 *
 * Scripts DejaVu Sans lacks (CJK, emoji, ...) are drawn with fallback
 * fonts that fontconfig finds on the system (any scalable font with the
 * code point, e.g. Noto Sans CJK from fonts-noto-cjk), looked up once per
 * code point and opened once per ct_font.  Text DejaVu covers never asks
 * fontconfig and draws exactly as without it.  If fontconfig finds
 * nothing, the box as above.
 *
 * Glyphs are rendered once per (pixel size, glyph) with FreeType's
 * grayscale anti-aliasing and kept in a hash table, so drawing a label is
 * a few table lookups and mask blends.  A ct_font is not thread-safe: use
 * one per thread.
 *
 * The font file: $CT_FONT if set, else DejaVuSans.ttf in the usual places
 * (Debian's fonts-dejavu-core, Fedora, Arch, FreeBSD, Homebrew).
 */
#ifndef CT_FONT_H
#define CT_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "canvas.h"

struct ct_font;

/* The ink of the \xNN / \uNNNN escapes (and of chart.c's stand-ins). */
#define CT_FONT_ESC_COLOR	0x9a2a2a

/*
 * Open the font at path, or, if path is NULL, the one named by $CT_FONT or
 * found in the standard places.  Returns a font the caller frees with
 * ct_font_free(), or NULL with a one-line reason in err.
 */
struct ct_font *ct_font_open(const char *path, struct ct_buf *err);
void	ct_font_free(struct ct_font *f);
/* The file the font was loaded from (owned by f). */
const char *ct_font_file(const struct ct_font *f);
/*
 * The font file whose glyph draws code point cp: ct_font_file(f), a
 * fallback's (owned by f), or NULL when cp is drawn as the .notdef box.
 */
const char *ct_font_source(struct ct_font *f, uint32_t cp);

/*
 * Decode s[0..n) (UTF-8; also the WTF-8 surrogates of jstr.h) into code
 * points, one per character as Python counts them: invalid bytes become
 * U+FFFD; lone surrogates and control characters are kept (drawing shows
 * them as the box and as \xNN).
 * Returns the count; *out is a new array (at least 1 element) the caller
 * frees.
 */
size_t	ct_font_decode(const char *s, size_t n, uint32_t **out);

/* Ascent (above the baseline) and descent (below it), in pixels, at px. */
void	ct_font_metrics(struct ct_font *f, int px, int *ascent, int *descent);

/* Advance width in pixels of the code points cp[0..n) at size px. */
int	ct_font_width(struct ct_font *f, int px, const uint32_t *cp, size_t n);

/*
 * Draw cp[0..n) at size px with the pen starting at x on baseline y, in
 * color, blended onto c (clipped).  Returns the advance in pixels.
 */
int	ct_font_draw(struct ct_font *f, struct ct_canvas *c, int x, int y,
	    int px, const uint32_t *cp, size_t n, ct_rgb color);

#endif
