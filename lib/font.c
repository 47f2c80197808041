/*
 * font.c - FreeType text rendering with a glyph cache, and fallback fonts
 * found through fontconfig for code points the main font lacks.
 *
 * A glyph is keyed by (face, pixel size, glyph index), face 0 being the
 * main font, so text the main font covers takes the same path, and draws
 * the same pixels, whether or not fallbacks exist.  A code point the main
 * font lacks is looked up once (then cached, found or not): first in the
 * fallback faces already open, then in fontconfig's list of fonts (sorted
 * once per ct_font, see fc_load), opening the first scalable font whose
 * charset has it.  At most FALLBACK_MAX - 1 faces are opened per ct_font.
 * So text in one script costs one sort and a face or two, and hostile
 * text with many rare code points costs a charset test per font each.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "font.h"
#include "xalloc.h"

#define FALLBACK_MAX	16
#define CP_CACHE_MAX	65536	/* code points remembered; then looked up */

/*
 * fontconfig's state is the process's: it is started by the first font
 * that needs a fallback and released (FcFini, so nothing is left
 * allocated) when the last such font is freed.
 */
static pthread_mutex_t fc_lock = PTHREAD_MUTEX_INITIALIZER;
static int fc_users;

struct glyph {
	uint64_t	 key;		/* face << 48 | px << 32 | glyph index;
					 * px (label sizes) < 65536 */
	int		 left, top;	/* bitmap offset from the pen */
	int		 w, h, pitch;
	long		 adv;		/* advance, 26.6 */
	uint8_t		*bmp;
};

struct fallback {
	FT_Face		 face;
	char		*file;
	int		 index;		/* face index in the file (.ttc) */
	int		 cur_px;
};

struct cpmap {				/* code point -> fallback, or none */
	uint32_t	 cp;		/* 0: empty slot (cp 0 is never asked) */
	int		 fb;		/* 1..nfb, or 0: no font has it */
	unsigned	 gi;
};

struct ct_font {
	FT_Library	 lib;
	FT_Face		 face;
	char		*file;
	int		 cur_px;	/* size last set on face */
	unsigned	 ascii_gi[128];
	struct glyph	**tab;		/* open addressing, power of two */
	size_t		 tabsize, count;
	struct fallback	 fb[FALLBACK_MAX];	/* fb[0] unused: face 0 */
	int		 nfb;
	struct cpmap	*cps;		/* open addressing, power of two */
	size_t		 cpsize, cpcount;
	struct cpmap	 cp_spare;	/* the answer when cps is full */
	struct cand {			/* fontconfig's fonts, see fc_load */
		FcCharSet	*cs;
		char		*file;
		int		 index;
		int		 fb;	/* its fallback number once open */
		int		 tried;	/* opening it failed */
	}		*cand;
	int		 ncand, fc_loaded;
	int		 fc_user;	/* counted in fc_users */
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
	int k;

	if (f == NULL)
		return;
	for (k = 1; k <= f->nfb; k++) {
		FT_Done_Face(f->fb[k].face);
		free(f->fb[k].file);
	}
	for (k = 0; k < f->ncand; k++) {
		FcCharSetDestroy(f->cand[k].cs);
		free(f->cand[k].file);
	}
	free(f->cand);
	if (f->fc_user) {
		pthread_mutex_lock(&fc_lock);
		if (--fc_users == 0)
			FcFini();
		pthread_mutex_unlock(&fc_lock);
	}
	free(f->cps);
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

static uint64_t glyph_key(struct ct_font *f, uint32_t cp);

const char *
ct_font_source(struct ct_font *f, uint32_t cp)
{
	uint64_t key;

	if (cp > 0x10ffff)
		return NULL;
	key = glyph_key(f, cp);
	if (key >> 48 != 0)
		return f->fb[key >> 48].file;
	return (key & 0xffffffff) != 0 ? f->file : NULL;
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

static size_t
slot_of(uint64_t key, size_t mask);

/* Open file's face index as fallback number nfb + 1; 0 if unusable. */
static int
open_fallback(struct ct_font *f, const char *file, int index, uint32_t cp,
    unsigned *gi)
{
	struct fallback *b;
	FT_Face face;

	if (f->nfb + 1 >= FALLBACK_MAX ||
	    FT_New_Face(f->lib, file, index, &face) != 0)
		return 0;
	if (!FT_IS_SCALABLE(face) ||
	    (*gi = FT_Get_Char_Index(face, (FT_ULong)cp)) == 0) {
		FT_Done_Face(face);
		return 0;
	}
	b = &f->fb[++f->nfb];
	b->face = face;
	b->file = xstrdup(file);
	b->index = index;
	b->cur_px = 0;
	return f->nfb;
}

/*
 * The candidates, once per ct_font: every font fontconfig sorts for
 * "sans-serif" that is scalable and adds code points the ones before it
 * lack (as FcFontSort's trim, but after dropping bitmap-only fonts), in
 * that order.  Later lookups are then charset tests, never a sort.
 */
static void
fc_load(struct ct_font *f)
{
	FcPattern *pat, *p;
	FcFontSet *fs;
	FcCharSet *cs, *all;
	FcResult res;
	FcChar8 *file;
	FcBool scalable;
	int i, index;

	f->fc_loaded = 1;
	pthread_mutex_lock(&fc_lock);
	if (FcInit()) {
		fc_users++;
		f->fc_user = 1;
	}
	pthread_mutex_unlock(&fc_lock);
	if (!f->fc_user || (pat = FcPatternCreate()) == NULL)
		return;
	if (!FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif") ||
	    !FcPatternAddBool(pat, FC_SCALABLE, FcTrue) ||
	    !FcConfigSubstitute(NULL, pat, FcMatchPattern)) {
		FcPatternDestroy(pat);
		return;
	}
	FcDefaultSubstitute(pat);
	fs = FcFontSort(NULL, pat, FcFalse, NULL, &res);
	FcPatternDestroy(pat);
	if (fs == NULL)
		return;
	if ((all = FcCharSetCreate()) == NULL) {
		FcFontSetDestroy(fs);
		return;
	}
	f->cand = xcalloc((size_t)fs->nfont + 1, sizeof(*f->cand));
	for (i = 0; i < fs->nfont; i++) {
		p = fs->fonts[i];
		if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
		    FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
		    (FcPatternGetBool(p, FC_SCALABLE, 0, &scalable) ==
		    FcResultMatch && !scalable) ||
		    strcmp((const char *)file, f->file) == 0 ||
		    FcCharSetSubtractCount(cs, all) == 0)
			continue;
		if (FcPatternGetInteger(p, FC_INDEX, 0, &index) != FcResultMatch)
			index = 0;
		FcCharSetMerge(all, cs, NULL);
		f->cand[f->ncand].cs = FcCharSetCopy(cs);
		f->cand[f->ncand].file = xstrdup((const char *)file);
		f->cand[f->ncand].index = index;
		f->ncand++;
	}
	FcCharSetDestroy(all);
	FcFontSetDestroy(fs);
}

/* The first candidate with cp, opened (once) as a fallback.  0: none. */
static int
fc_find(struct ct_font *f, uint32_t cp, unsigned *gi)
{
	int i, k;

	if (!f->fc_loaded)
		fc_load(f);
	for (i = 0; i < f->ncand; i++) {
		if (!FcCharSetHasChar(f->cand[i].cs, cp))
			continue;
		if (f->cand[i].fb != 0)	/* open, yet no glyph: look on */
			continue;
		if (f->cand[i].tried)
			continue;
		f->cand[i].tried = 1;
		if ((k = open_fallback(f, f->cand[i].file, f->cand[i].index,
		    cp, gi)) != 0) {
			f->cand[i].fb = k;
			return k;
		}
	}
	return 0;
}

static void
cp_grow(struct ct_font *f)
{
	struct cpmap *old = f->cps;
	size_t oldsize = f->cpsize, i, j;

	f->cpsize = oldsize ? oldsize * 2 : 64;
	f->cps = xcalloc(f->cpsize, sizeof(*f->cps));
	for (i = 0; i < oldsize; i++) {
		if (old[i].cp == 0)
			continue;
		j = slot_of(old[i].cp, f->cpsize - 1);
		while (f->cps[j].cp != 0)
			j = (j + 1) & (f->cpsize - 1);
		f->cps[j] = old[i];
	}
	free(old);
}

/* The fallback (and glyph in it) for a code point the main font lacks:
 * from the cache, the faces already open, or fontconfig. */
static const struct cpmap *
fallback_for(struct ct_font *f, uint32_t cp)
{
	struct cpmap *e;
	size_t j;
	unsigned gi = 0;
	int k;

	if (f->cpsize == 0 || ((f->cpcount + 1) * 2 > f->cpsize &&
	    f->cpcount < CP_CACHE_MAX))
		cp_grow(f);
	j = slot_of(cp, f->cpsize - 1);
	while (f->cps[j].cp != 0) {
		if (f->cps[j].cp == cp)
			return &f->cps[j];
		j = (j + 1) & (f->cpsize - 1);
	}
	for (k = 1; k <= f->nfb; k++)
		if ((gi = FT_Get_Char_Index(f->fb[k].face, (FT_ULong)cp)) != 0)
			break;
	if (k > f->nfb)
		k = fc_find(f, cp, &gi);
	/* Past CP_CACHE_MAX (hostile text), answers are not kept. */
	if (f->cpcount >= CP_CACHE_MAX)
		e = &f->cp_spare;
	else {
		e = &f->cps[j];
		f->cpcount++;
	}
	e->cp = cp;
	e->fb = k;
	e->gi = k ? gi : 0;
	return e;
}

/* The glyph key of cp at size px but for the size: face and glyph index.
 * A code point no font has is glyph 0 of the main face, the .notdef box. */
static uint64_t
glyph_key(struct ct_font *f, uint32_t cp)
{
	const struct cpmap *e;
	unsigned gi;

	if (cp < 128)
		return f->ascii_gi[cp];
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;		/* lone surrogates: the .notdef box */
	if ((gi = FT_Get_Char_Index(f->face, (FT_ULong)cp)) != 0)
		return gi;
	/* Not a character, or one no font draws: the box, no lookup. */
	if (cp == 0xfffd || cp > 0x10ffff || (cp & 0xfffe) == 0xfffe ||
	    (cp >= 0xfdd0 && cp <= 0xfdef))
		return 0;
	e = fallback_for(f, cp);
	return e->fb ? (uint64_t)e->fb << 48 | e->gi : 0;
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
	uint64_t key = (uint64_t)(unsigned)px << 32 | glyph_key(f, cp);
	size_t j = slot_of(key, f->tabsize - 1);
	struct glyph *g;
	FT_GlyphSlot gs;
	FT_Face face;
	int row, fb = (int)(key >> 48);

	while ((g = f->tab[j]) != NULL) {
		if (g->key == key)
			return g;
		j = (j + 1) & (f->tabsize - 1);
	}
	g = xcalloc(1, sizeof(*g));
	g->key = key;
	if (fb == 0) {
		set_px(f, px);
		face = f->face;
	} else {
		face = f->fb[fb].face;
		if (f->fb[fb].cur_px != px) {
			FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px);
			f->fb[fb].cur_px = px;
		}
	}
	if (FT_Load_Glyph(face, (FT_UInt)(key & 0xffffffff),
	    FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT) == 0 &&
	    (gs = face->glyph)->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
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
