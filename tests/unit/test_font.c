/* test_font.c - decoding labels, measuring and drawing any text. */
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "check.h"
#include "font.h"

/* Does fontconfig know a scalable font with code point cp (other than
 * the main font file)?  Asked directly, apart from font.c. */
static int
system_has(uint32_t cp, const char *main_file)
{
	FcPattern *pat = FcPatternCreate();
	FcCharSet *cs = FcCharSetCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, NULL);
	FcFontSet *fs;
	FcChar8 *file;
	int i, n = 0;

	FcCharSetAddChar(cs, cp);
	FcPatternAddCharSet(pat, FC_CHARSET, cs);
	FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
	fs = FcFontList(NULL, pat, os);
	for (i = 0; fs != NULL && i < fs->nfont; i++)
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) ==
		    FcResultMatch && strcmp((const char *)file, main_file) != 0)
			n++;
	if (fs != NULL)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcCharSetDestroy(cs);
	FcPatternDestroy(pat);
	return n > 0;
}

/* Draw cp[0..n) at 20 px on a fresh 120x40 canvas; caller frees. */
static struct ct_canvas *
drawn(struct ct_font *f, const uint32_t *cp, size_t n)
{
	struct ct_canvas *c = ct_canvas_new(120, 40, 0xffffff);

	ct_font_draw(f, c, 5, 28, 20, cp, n, 0x000000);
	return c;
}

static int
same(const struct ct_canvas *a, const struct ct_canvas *b)
{
	return a->w == b->w && a->h == b->h && a->bpp == b->bpp &&
	    memcmp(a->px, b->px, (size_t)a->w * (size_t)a->h * (size_t)a->bpp)
	    == 0;
}

static size_t
dec(const char *s, size_t n, uint32_t *want, size_t wn)
{
	uint32_t *cp;
	size_t k = ct_font_decode(s, n, &cp), ok;

	ok = k == wn && memcmp(cp, want, wn * sizeof(*cp)) == 0;
	free(cp);
	return ok;
}

static long
dark(const struct ct_canvas *c, int x0, int y0, int x1, int y1)
{
	long n = 0;
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			n += (ct_canvas_get(c, x, y) & 0xff) < 160;
	return n;
}

int
main(void)
{
	static uint32_t abc[] = { 'a', 'b', 'c' }, e[] = { 0xe9 },
	    bad[] = { 'a', 0xfffd, 'b' }, emoji[] = { 0x1f600 },
	    sur[] = { 0xd800 }, ctl[] = { 0, 9, 0x7f }, trunc[] = { 0xfffd,
	    0xfffd }, over[] = { 0xfffd, 0xfffd };
	struct ct_canvas *c;
	struct ct_font *f;
	struct ct_buf err;
	uint32_t esc[] = { '\\', 'x', '0', '1' }, one[] = { 1 },
	    box[] = { 0x10fffd }, hello[] = { 'H', 'e', 'l', 'l', 'o' };
	int asc, desc, w;

	CHECK(dec("abc", 3, abc, 3), "ASCII decodes");
	CHECK(dec("\xc3\xa9", 2, e, 1), "2-byte UTF-8 is one character");
	CHECK(dec("\xf0\x9f\x98\x80", 4, emoji, 1), "4-byte UTF-8 is one");
	CHECK(dec("a\xff" "b", 3, bad, 3), "invalid byte -> U+FFFD");
	CHECK(dec("\xed\xa0\x80", 3, sur, 1), "WTF-8 lone surrogate kept");
	CHECK(dec("\0\t\x7f", 3, ctl, 3), "control characters kept as such");
	CHECK(dec("\xe2\x82", 2, trunc, 2), "truncated sequence -> U+FFFD each");
	CHECK(dec("\xc0\x80", 2, over, 2), "overlong NUL -> U+FFFD each");

	ct_buf_init(&err, 0);
	f = ct_font_open("/nonexistent/font.ttf", &err);
	CHECK(f == NULL && err.data != NULL &&
	    strstr(err.data, "/nonexistent/font.ttf") != NULL,
	    "missing font: reason names it: %s", err.data ? err.data : "");
	ct_buf_reset(&err);
	f = ct_font_open("/etc/passwd", &err);
	CHECK(f == NULL && err.len > 0, "not a font: refused");
	ct_buf_reset(&err);
	if ((f = ct_font_open(NULL, &err)) == NULL) {
		CHECK(1, "drawing # SKIP no DejaVu Sans: %s", err.data);
		return check_done();
	}
	CHECK(strstr(ct_font_file(f), "DejaVuSans") != NULL ||
	    getenv("CT_FONT") != NULL, "found DejaVu Sans: %s",
	    ct_font_file(f));

	ct_font_metrics(f, 14, &asc, &desc);
	CHECK(asc >= 12 && asc <= 15 && desc >= 2 && desc <= 5,
	    "14 px metrics plausible: %d/%d", asc, desc);
	w = ct_font_width(f, 14, hello, 5);
	CHECK(w > 25 && w < 50, "'Hello' at 14 px: %d px wide", w);
	CHECK(ct_font_width(f, 28, hello, 5) > 2 * w - 6, "width scales");
	CHECK(ct_font_width(f, 14, one, 1) == ct_font_width(f, 14, esc, 4),
	    "a control character is as wide as its \\x01");
	{
		uint32_t rlo[] = { 0x202e }, rlo_esc[] = { '\\', 'u', '2', '0',
		    '2', 'E' }, bom[] = { 0xfeff };

		CHECK(ct_font_width(f, 14, rlo, 1) ==
		    ct_font_width(f, 14, rlo_esc, 6),
		    "a bidi override is shown as \\u202E, not obeyed");
		CHECK(ct_font_width(f, 14, bom, 1) > 20,
		    "a BOM (invisible) is made visible");
	}
	CHECK(ct_font_width(f, 14, box, 1) > 0,
	    "a character the font lacks still has a width (the box)");

	c = ct_canvas_new(200, 40, 0xffffff);
	w = ct_font_draw(f, c, 10, 25, 14, hello, 5, 0x000000);
	CHECK(dark(c, 10, 10, 10 + w, 30) > 30, "text leaves dark pixels");
	CHECK(dark(c, 0, 0, 9, 40) == 0 && dark(c, 12 + w, 0, 200, 40) == 0,
	    "nothing outside the text's box");
	ct_canvas_clear(c, 0xffffff);
	ct_font_draw(f, c, 10, 25, 14, box, 1, 0x000000);
	CHECK(dark(c, 0, 0, 200, 40) > 10, "missing glyph drawn as a box");
	ct_canvas_clear(c, 0xffffff);
	ct_font_draw(f, c, 10, 25, 14, one, 1, 0x000000);
	CHECK(dark(c, 0, 0, 200, 40) > 10, "control character drawn visibly");
	/* Off the canvas, huge text: clipped, no crash (ASan). */
	{
		uint32_t *lots = malloc(5000 * sizeof(*lots));
		int i;

		for (i = 0; i < 5000; i++)
			lots[i] = (uint32_t)(i * 7919 % 0x110000);
		ct_font_draw(f, c, -50, 5, 30, lots, 5000, 0x000000);
		ct_font_draw(f, c, 150, 60, 14, lots, 5000, 0x000000);
		CHECK(ct_font_width(f, 9, lots, 5000) > 0, "5000 arbitrary code "
		    "points measured and drawn");
		free(lots);
	}
	ct_canvas_free(c);

	/* Scripts DejaVu lacks: a fallback font from fontconfig. */
	CHECK(ct_font_source(f, 'A') == ct_font_file(f) &&
	    ct_font_source(f, 0x416) == ct_font_file(f) &&
	    ct_font_source(f, 0x627) == ct_font_file(f),
	    "Latin, Cyrillic and Arabic come from DejaVu Sans");
	CHECK(ct_font_source(f, 0x10fffd) == NULL &&
	    ct_font_source(f, 0xd800) == NULL,
	    "a code point no font has: the box");
	if (!system_has(0x4e2d, ct_font_file(f))) {
		CHECK(ct_font_source(f, 0x4e2d) == NULL,
		    "no CJK font on the system: U+4E2D is the box");
		CHECK(1, "CJK fallback # SKIP no font with U+4E2D (install "
		    "fonts-noto-cjk)");
	} else {
		uint32_t zh[] = { 0x4e2d, 0x6587 }, boxes[] = { 0x10fffd,
		    0x10fffd }, mixed[] = { 'a', 0x4e2d, 'b' };
		struct ct_canvas *a = drawn(f, zh, 2), *b = drawn(f, boxes, 2),
		    *a2;
		const char *src = ct_font_source(f, 0x4e2d);

		CHECK(src != NULL && src != ct_font_file(f),
		    "U+4E2D comes from a fallback: %s", src ? src : "(box)");
		CHECK(!same(a, b), "CJK text is drawn with real glyphs, not "
		    "the .notdef boxes");
		CHECK(dark(a, 0, 0, 120, 40) > 40, "and leaves ink");
		CHECK(ct_font_width(f, 20, zh, 2) >= 36,
		    "CJK glyphs are full width: %d px for two at 20 px",
		    ct_font_width(f, 20, zh, 2));
		CHECK(ct_font_width(f, 20, mixed, 3) ==
		    ct_font_width(f, 20, mixed, 1) +
		    ct_font_width(f, 20, mixed + 1, 1) +
		    ct_font_width(f, 20, mixed + 2, 1),
		    "mixed text measures as its parts");
		a2 = drawn(f, zh, 2);
		CHECK(same(a, a2), "drawn the same again (from the cache)");
		ct_canvas_free(a);
		ct_canvas_free(a2);
		ct_canvas_free(b);
	}
	ct_font_free(f);
	ct_font_free(NULL);
	ct_buf_free(&err);
	return check_done();
}
