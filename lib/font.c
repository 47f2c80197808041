/*
 * font.c - FreeType text rendering with a glyph cache.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "font.h"
#include "xalloc.h"

struct glyph {
	uint64_t	 key;		/* px << 32 | glyph index */
	int		 left, top;	/* bitmap offset from the pen */
	int		 w, h, pitch;
	long		 adv;		/* advance, 26.6 */
	uint8_t		*bmp;
};

struct ct_font {
	FT_Library	 lib;
	FT_Face		 face;
	char		*file;
	int		 cur_px;	/* size last set on face */
	unsigned	 ascii_gi[128];
	struct glyph	**tab;		/* open addressing, power of two */
	size_t		 tabsize, count;
};

static const char *const font_paths[] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",	/* Debian */
	"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",	/* Fedora */
	"/usr/share/fonts/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/TTF/DejaVuSans.ttf",			/* Arch */
	"/usr/local/share/fonts/dejavu/DejaVuSans.ttf",		/* FreeBSD */
	"/usr/local/share/fonts/DejaVuSans.ttf",
	"/opt/homebrew/share/fonts/DejaVuSans.ttf",
	"/Library/Fonts/DejaVuSans.ttf",
	NULL
};

static void
set_px(struct ct_font *f, int px)
{
	if (f->cur_px != px) {
		FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)px);
		f->cur_px = px;
	}
}

struct ct_font *
ct_font_open(const char *path, struct ct_buf *err)
{
	struct ct_font *f;
	const char *env;
	FT_Error fe;
	int i;

	if (path == NULL && (env = getenv("CT_FONT")) != NULL && *env != '\0')
		path = env;
	if (path == NULL) {
		for (i = 0; font_paths[i] != NULL; i++)
			if (access(font_paths[i], R_OK) == 0) {
				path = font_paths[i];
				break;
			}
		if (path == NULL) {
			ct_buf_adds(err, "font DejaVuSans.ttf not found (install "
			    "fonts-dejavu-core, or set CT_FONT to a .ttf file)");
			return NULL;
		}
	}
	f = xcalloc(1, sizeof(*f));
	if (FT_Init_FreeType(&f->lib) != 0) {
		ct_buf_adds(err, "cannot initialise FreeType");
		free(f);
		return NULL;
	}
	if ((fe = FT_New_Face(f->lib, path, 0, &f->face)) != 0) {
		ct_buf_printf(err, "%s: cannot load font (FreeType error %d)",
		    path, fe);
		FT_Done_FreeType(f->lib);
		free(f);
		return NULL;
	}
	if (!FT_IS_SCALABLE(f->face)) {
		ct_buf_printf(err, "%s: not a scalable font", path);
		FT_Done_Face(f->face);
		FT_Done_FreeType(f->lib);
		free(f);
		return NULL;
	}
	f->file = xstrdup(path);
	for (i = 0; i < 128; i++)
		f->ascii_gi[i] = FT_Get_Char_Index(f->face, (FT_ULong)i);
	f->tabsize = 512;
	f->tab = xcalloc(f->tabsize, sizeof(*f->tab));
	return f;
}

void
ct_font_free(struct ct_font *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->tabsize; i++)
		if (f->tab[i] != NULL) {
			free(f->tab[i]->bmp);
			free(f->tab[i]);
		}
	free(f->tab);
	FT_Done_Face(f->face);
	FT_Done_FreeType(f->lib);
	free(f->file);
	free(f);
}

const char *
ct_font_file(const struct ct_font *f)
{
	return f->file;
}

size_t
ct_font_decode(const char *s, size_t n, uint32_t **out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	uint32_t *cp = xmalloc((n + 1) * sizeof(*cp));
	size_t k = 0;

	while (p < e) {
		unsigned c = *p;
		uint32_t v;
		int len, i;

		if (c < 0x80) {
			cp[k++] = c;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, v = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, v = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, v = c & 0x07;
		else
			len = 0, v = 0;
		if (len == 0 || e - p < len) {
			cp[k++] = 0xfffd;
			p++;
			continue;
		}
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			v = v << 6 | (p[i] & 0x3f);
		}
		/* Overlong and out-of-range forms; surrogates (WTF-8) pass. */
		if (i < len || (len == 3 && v < 0x800) ||
		    (len == 4 && (v < 0x10000 || v > 0x10ffff))) {
			cp[k++] = 0xfffd;
			p++;
			continue;
		}
		cp[k++] = v;
		p += len;
	}
	*out = cp;
	return k;
}

static unsigned
glyph_index(struct ct_font *f, uint32_t cp)
{
	if (cp < 128)
		return f->ascii_gi[cp];
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;		/* lone surrogates: the .notdef box */
	return FT_Get_Char_Index(f->face, (FT_ULong)cp);
}

static size_t
slot_of(uint64_t key, size_t mask)
{
	key ^= key >> 29;
	key *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(key >> 32) & mask;
}

static void
grow(struct ct_font *f)
{
	struct glyph **old = f->tab;
	size_t oldsize = f->tabsize, i, j;

	f->tabsize *= 2;
	f->tab = xcalloc(f->tabsize, sizeof(*f->tab));
	for (i = 0; i < oldsize; i++) {
		if (old[i] == NULL)
			continue;
		j = slot_of(old[i]->key, f->tabsize - 1);
		while (f->tab[j] != NULL)
			j = (j + 1) & (f->tabsize - 1);
		f->tab[j] = old[i];
	}
	free(old);
}

static const struct glyph *
glyph(struct ct_font *f, int px, uint32_t cp)
{
	uint64_t key = (uint64_t)(unsigned)px << 32 | glyph_index(f, cp);
	size_t j = slot_of(key, f->tabsize - 1);
	struct glyph *g;
	FT_GlyphSlot gs;
	int row;

	while ((g = f->tab[j]) != NULL) {
		if (g->key == key)
			return g;
		j = (j + 1) & (f->tabsize - 1);
	}
	g = xcalloc(1, sizeof(*g));
	g->key = key;
	set_px(f, px);
	if (FT_Load_Glyph(f->face, (FT_UInt)(key & 0xffffffff),
	    FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT) == 0 &&
	    (gs = f->face->glyph)->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
		g->left = gs->bitmap_left;
		g->top = gs->bitmap_top;
		g->w = (int)gs->bitmap.width;
		g->h = (int)gs->bitmap.rows;
		g->pitch = g->w;
		g->adv = gs->advance.x;
		g->bmp = xmalloc((size_t)g->w * (size_t)g->h + 1);
		for (row = 0; row < g->h; row++)
			memcpy(g->bmp + (size_t)row * (size_t)g->w,
			    gs->bitmap.buffer + (ptrdiff_t)row *
			    gs->bitmap.pitch, (size_t)g->w);
	} else {
		/* A glyph FreeType cannot render: an empty advance. */
		g->adv = (long)px * 64 / 2;
	}
	f->tab[j] = g;
	if (++f->count * 2 > f->tabsize)
		grow(f);
	return g;
}

void
ct_font_metrics(struct ct_font *f, int px, int *ascent, int *descent)
{
	set_px(f, px);
	*ascent = (int)((f->face->size->metrics.ascender + 63) >> 6);
	*descent = (int)((-f->face->size->metrics.descender + 63) >> 6);
}

/*
 * Characters shown as escapes rather than glyphs: control characters
 * (C0, DEL, C1) as \xNN, and the invisible format characters that could
 * hide or disguise text (zero-width spaces and joiners, direction marks,
 * embeddings, overrides and isolates, word joiner, BOM) as \uNNNN.
 */
static int
is_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xfeff;
}

/* The escape of cp into esc; returns its length (4 or 6). */
static int
escape(uint32_t cp, uint32_t esc[6])
{
	static const char hex[] = "0123456789ABCDEF";
	int n = cp < 0x100 ? 2 : 4, i;

	esc[0] = '\\';
	esc[1] = n == 2 ? 'x' : 'u';
	for (i = 0; i < n; i++)
		esc[2 + i] = (uint32_t)hex[(cp >> (4 * (n - 1 - i))) & 0xf];
	return 2 + n;
}

/* Advance the pen over one glyph, drawing it when c is not NULL. */
static void
put(struct ct_font *f, struct ct_canvas *c, int x, int y, int px,
    uint32_t cp, ct_rgb color, long *pen)
{
	const struct glyph *g = glyph(f, px, cp);
	int gx = x + (int)((*pen + 32) >> 6);

	if (c != NULL && g->bmp != NULL && gx < c->w)
		ct_canvas_blend(c, gx + g->left, y - g->top, g->bmp, g->w,
		    g->h, g->pitch, color);
	*pen += g->adv;
}

/*
 * The one walk over a text: measuring it is drawing it on no canvas, so
 * the width always matches what is drawn (hidden characters included).
 */
static int
run(struct ct_font *f, struct ct_canvas *c, int x, int y, int px,
    const uint32_t *cp, size_t n, ct_rgb color)
{
	uint32_t esc[6];
	long pen = 0;
	size_t i;
	int j, k;

	for (i = 0; i < n; i++) {
		if (!is_hidden(cp[i])) {
			put(f, c, x, y, px, cp[i], color, &pen);
			continue;
		}
		/* Made visible, in an ink apart from the text's. */
		k = escape(cp[i], esc);
		for (j = 0; j < k; j++)
			put(f, c, x, y, px, esc[j], CT_FONT_ESC_COLOR, &pen);
	}
	return (int)((pen + 32) >> 6);
}

int
ct_font_width(struct ct_font *f, int px, const uint32_t *cp, size_t n)
{
	return run(f, NULL, 0, 0, px, cp, n, 0);
}

int
ct_font_draw(struct ct_font *f, struct ct_canvas *c, int x, int y, int px,
    const uint32_t *cp, size_t n, ct_rgb color)
{
	return run(f, c, x, y, px, cp, n, color);
}
