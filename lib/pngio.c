/*
 * pngio.c - PNG writing and reading with libpng.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <libdeflate.h>

#include "pngio.h"
#include "xalloc.h"

struct pngerr {
	struct ct_buf	*err;
	FILE		*fp;		/* writing: the file */
};

static void
on_error(png_structp p, png_const_charp msg)
{
	struct pngerr *pe = png_get_error_ptr(p);

	if (pe->err->len == 0)
		ct_buf_printf(pe->err, "PNG: %s", msg);
	png_longjmp(p, 1);
}

/* Writing through stdio, saying why a write failed (libpng's own writer
 * only says "Write Error"). */
static void
on_write(png_structp p, png_bytep data, size_t n)
{
	struct pngerr *pe = png_get_io_ptr(p);

	if (n > 0 && fwrite(data, 1, n, pe->fp) != n) {
		if (pe->err->len == 0)
			ct_buf_printf(pe->err, "%s", strerror(errno));
		png_error(p, "write failed");
	}
}

static void
on_flush(png_structp p)
{
	(void)p;
}

static void
on_warning(png_structp p, png_const_charp msg)
{
	(void)p;
	(void)msg;
}

/*
 * The image data is compressed here rather than by zlib or libdeflate: a
 * chart is mostly rows equal to the row above and runs of one colour,
 * which a deflate stream says in a few symbols (a match at distance "one
 * row" or "one pixel"), while zlib's and libdeflate's match finders spend
 * their time re-discovering that byte by byte.  Measured on the charts of
 * bench/b_plot.sh (1,000 principals, 1600x800 indexed, 1.25 MB of
 * filtered rows each; 41 charts, best of 5, one core): this encoder
 * 0.59 ms a chart (32.6 KB of IDAT); libdeflate_zlib_compress, rows copied
 * behind their filter byte included, 4.0 ms at level 1 (24.5 KB), 4.8 ms
 * at 6 (22.1 KB), 23 ms at 9 (19.5 KB), about 600 ms at 12 (25.8 KB on 4
 * charts where this encoder gave 57 KB).  The library costs 3.4 ms a chart
 * more at its fastest level, above the 1 ms a chart that would pay for
 * dropping this code (ct-plot spends about 0.85 ms of CPU a chart in all,
 * 3,628 charts in 3.1 s), so the charts stay about a third larger than
 * they could be and ct-plot stays about five times faster.
 *
 * Rows use PNG filter type 0 (None).  The tokens (a greedy choice, per
 * position, of the longer of "same as the row above" and "same as the
 * pixel before", else a literal) are then written as blocks with their own
 * Huffman codes (RFC 1951, BTYPE 2).  libpng writes the signature, IHDR,
 * the IDAT we give it and IEND, with their CRCs; libdeflate computes the
 * Adler-32.
 */

struct bits {
	uint8_t		*out;
	size_t		 len, cap;
	uint64_t	 acc;
	unsigned	 n;
};

static void
bits_room(struct bits *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? 2 * b->cap : 65536;
	b->out = xrealloc(b->out, b->cap);
}

/* Append the n low bits of v (LSB first), n <= 24. */
static inline void
bits_put(struct bits *b, uint32_t v, unsigned n)
{
	b->acc |= (uint64_t)v << b->n;
	b->n += n;
	if (b->n >= 32) {
		bits_room(b, 4);
		b->out[b->len++] = (uint8_t)b->acc;
		b->out[b->len++] = (uint8_t)(b->acc >> 8);
		b->out[b->len++] = (uint8_t)(b->acc >> 16);
		b->out[b->len++] = (uint8_t)(b->acc >> 24);
		b->acc >>= 32;
		b->n -= 32;
	}
}

static void
bits_flush(struct bits *b)
{
	while (b->n > 0) {
		bits_room(b, 1);
		b->out[b->len++] = (uint8_t)b->acc;
		b->acc >>= 8;
		b->n = b->n > 8 ? b->n - 8 : 0;
	}
	b->acc = 0;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13,
    15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
    227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
    2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25,
    33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4,
    4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
/* Order of the code length code lengths in the block header. */
static const uint8_t cl_order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11,
    4, 12, 3, 13, 2, 14, 1, 15 };

/* length 3..258 -> length code 0..28; distance -> distance code. */
static struct {
	uint8_t		len_code[259];
	uint8_t		dist_small[256];	/* distance 1..256 */
	uint8_t		dist_large[256];	/* (distance - 1) >> 7 */
	int		ready;
} tab;

static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static void
tab_init(void)
{
	unsigned i, c;

	for (i = 3; i <= 258; i++) {
		for (c = 28; len_base[c] > i; c--)
			;
		tab.len_code[i] = (uint8_t)c;
	}
	for (i = 1; i <= 32768; i++) {
		for (c = 29; dist_base[c] > i; c--)
			;
		if (i <= 256)
			tab.dist_small[i - 1] = (uint8_t)c;
		else
			tab.dist_large[(i - 1) >> 7] = (uint8_t)c;
	}
}

static inline unsigned
dist_code(unsigned d)
{
	return d <= 256 ? tab.dist_small[d - 1] : tab.dist_large[(d - 1) >> 7];
}

static unsigned
reverse(unsigned v, unsigned n)
{
	unsigned r = 0;

	while (n-- > 0) {
		r = r << 1 | (v & 1);
		v >>= 1;
	}
	return r;
}

/* ---- tokens ---- */

/* A literal byte, or (bit 31) a match: length << 15 | (distance - 1). */
struct toks {
	uint32_t	*t;
	size_t		 n, cap;
};

static inline void
tok_push(struct toks *k, uint32_t v)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 65536;
		k->t = xrealloc(k->t, k->cap * sizeof(*k->t));
	}
	k->t[k->n++] = v;
}

static inline void
tok_match(struct toks *k, unsigned len, unsigned dist)
{
	tok_push(k, 0x80000000u | (uint32_t)len << 15 | (dist - 1));
}

/* n (>= 3) bytes as matches at distance d. */
static void
tok_run(struct toks *k, size_t n, unsigned d)
{
	while (n > 0) {
		unsigned len = n > 258 ? 258 : (unsigned)n;

		if (n > 258 && n - 258 < 3)
			len = (unsigned)n - 3;
		tok_match(k, len, d);
		n -= len;
	}
}

/* Length of the common prefix of a and b, at most lim. */
static inline size_t
same_len(const uint8_t *a, const uint8_t *b, size_t lim)
{
	size_t k = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, y;

	while (k + 8 <= lim) {
		memcpy(&x, a + k, 8);
		memcpy(&y, b + k, 8);
		if (x != y)
			return k + (size_t)(__builtin_ctzll(x ^ y) >> 3);
		k += 8;
	}
#endif
	while (k < lim && a[k] == b[k])
		k++;
	return k;
}

/* Tokenize the image as PNG rows (filter byte 0, then the pixels);
 * returns the Adler-32 of those rows. */
static uint32_t
tokenize(const struct ct_canvas *c, struct toks *k)
{
	size_t bpp = (size_t)c->bpp, rowb = (size_t)c->w * bpp,
	    stride = rowb + 1, i, m;
	const uint8_t *cur, *prev = NULL;
	static const uint8_t zero;
	uint32_t adler = 1;
	int y;

	for (y = 0; y < c->h; y++, prev = cur) {
		cur = c->px + (size_t)y * rowb;
		adler = (uint32_t)libdeflate_adler32(adler, &zero, 1);
		adler = (uint32_t)libdeflate_adler32(adler, cur, rowb);
		if (prev != NULL && memcmp(cur, prev, rowb) == 0) {
			tok_run(k, stride, (unsigned)stride);
			continue;
		}
		/* The filter byte: with the row above's start, or alone. */
		i = 0;
		m = prev != NULL ? same_len(cur, prev, rowb < 257 ? rowb : 257) :
		    0;
		if (m + 1 >= 3) {
			tok_run(k, m + 1, (unsigned)stride);
			i = m;
		} else
			tok_push(k, 0);
		while (i < rowb) {
			size_t ku = 0, kp = 0, lim = rowb - i;

			if (lim > 258)
				lim = 258;
			if (prev != NULL)
				ku = same_len(cur + i, prev + i, lim);
			if (i >= bpp && ku < lim)
				kp = same_len(cur + i, cur + i - bpp, lim);
			if (ku >= 3 && ku >= kp) {
				tok_match(k, (unsigned)ku, (unsigned)stride);
				i += ku;
			} else if (kp >= 3) {
				tok_match(k, (unsigned)kp, (unsigned)bpp);
				i += kp;
			} else
				tok_push(k, cur[i++]);
		}
	}
	return adler;
}

/* ---- Huffman codes ---- */

struct leaf {
	uint32_t	w;
	uint16_t	sym;
};

static int
cmp_leaf(const void *a, const void *b)
{
	const struct leaf *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/*
 * Code lengths of a Huffman tree over the n weights w (0: unused); returns
 * the longest.  The two-queue method: leaves sorted by weight, internal
 * nodes made in non-decreasing weight order, always merge the two
 * lightest fronts.
 */
static int
tree_lengths(const uint32_t *w, int n, uint8_t *len)
{
	struct leaf lv[288];
	uint64_t iw[288];
	int parent[2 * 288], depth[2 * 288];
	int nl = 0, ni = 0, li = 0, ii = 0, i, k, pick[2], maxd = 0;

	for (i = 0; i < n; i++) {
		len[i] = 0;
		if (w[i] != 0) {
			lv[nl].w = w[i];
			lv[nl++].sym = (uint16_t)i;
		}
	}
	qsort(lv, (size_t)nl, sizeof(*lv), cmp_leaf);
	/* Node ids: leaves 0..nl-1, internal nl + j. */
	while ((nl - li) + (ni - ii) >= 2) {
		for (k = 0; k < 2; k++) {
			if (li < nl && (ii >= ni || lv[li].w <= iw[ii]))
				pick[k] = li++;
			else
				pick[k] = nl + ii++;
		}
		iw[ni] = (pick[0] < nl ? lv[pick[0]].w : iw[pick[0] - nl]) +
		    (pick[1] < nl ? lv[pick[1]].w : iw[pick[1] - nl]);
		parent[pick[0]] = parent[pick[1]] = nl + ni;
		ni++;
	}
	if (nl < 2)
		return 0;
	/* Depths from the root (the last internal node) down. */
	depth[nl + ni - 1] = 0;
	for (i = nl + ni - 2; i >= 0; i--)
		depth[i] = depth[parent[i]] + 1;
	for (i = 0; i < nl; i++) {
		len[lv[i].sym] = (uint8_t)depth[i];
		if (depth[i] > maxd)
			maxd = depth[i];
	}
	return maxd;
}

/*
 * Lengths (at most maxbits) and bit-reversed canonical codes for the
 * weights freq[0..n).  At least two weights must be non-zero, so that the
 * code is complete.  Too long a code is avoided by flattening the weights
 * (halving, keeping them non-zero) until the tree is shallow enough.
 */
static void
huffman(const uint32_t *freq, int n, int maxbits, uint8_t *len,
    uint16_t *code)
{
	uint32_t w[288];
	int count[16] = { 0 }, next[16], i, c;

	memcpy(w, freq, (size_t)n * sizeof(*w));
	while (tree_lengths(w, n, len) > maxbits)
		for (i = 0; i < n; i++)
			if (w[i] != 0)
				w[i] = (w[i] >> 1) | 1;
	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (c = 0, i = 1; i < 16; i++) {
		c = (c + count[i - 1]) << 1;
		next[i] = c;
	}
	for (i = 0; i < n; i++)
		code[i] = len[i] ? (uint16_t)reverse((unsigned)next[len[i]]++,
		    len[i]) : 0;
}

/* Make at least two of freq[0..n) non-zero. */
static void
two_used(uint32_t *freq, int n)
{
	int i, used = 0;

	for (i = 0; i < n; i++)
		used += freq[i] != 0;
	for (i = 0; used < 2 && i < n; i++)
		if (freq[i] == 0) {
			freq[i] = 1;
			used++;
		}
}

/* Write tokens t[0..n) as one dynamic-Huffman block. */
static void
put_block(struct bits *b, const uint32_t *t, size_t n, int last)
{
	uint32_t lf[286] = { 0 }, df[30] = { 0 }, cf[19] = { 0 };
	uint8_t ll[286], dl[30], cl[19], all[286 + 30], rs[286 + 30];
	uint16_t lc[286], dc[30], cc[19];
	uint8_t rx[286 + 30];
	int hlit, hdist, hclen, total, nr = 0, i, run, r, q;
	size_t x;

	for (x = 0; x < n; x++) {
		if (t[x] >> 31) {
			unsigned len = (t[x] >> 15) & 0x1ff;

			lf[257 + tab.len_code[len]]++;
			df[dist_code((t[x] & 0x7fff) + 1)]++;
		} else
			lf[t[x]]++;
	}
	lf[256] = 1;
	two_used(lf, 286);
	two_used(df, 30);
	huffman(lf, 286, 15, ll, lc);
	huffman(df, 30, 15, dl, dc);
	for (hlit = 286; hlit > 257 && ll[hlit - 1] == 0; hlit--)
		;
	for (hdist = 30; hdist > 1 && dl[hdist - 1] == 0; hdist--)
		;
	memcpy(all, ll, (size_t)hlit);
	memcpy(all + hlit, dl, (size_t)hdist);
	total = hlit + hdist;

	/* Run-length code the lengths (symbols 16, 17, 18). */
	for (i = 0; i < total; i += run) {
		for (run = 1; i + run < total && all[i + run] == all[i]; run++)
			;
		r = run;
		if (all[i] == 0) {
			while (r >= 11) {
				q = r > 138 ? 138 : r;
				rs[nr] = 18, rx[nr++] = (uint8_t)(q - 11);
				r -= q;
			}
			if (r >= 3) {
				rs[nr] = 17, rx[nr++] = (uint8_t)(r - 3);
				r = 0;
			}
		} else {
			rs[nr] = all[i], rx[nr++] = 0;
			r--;
			while (r >= 3) {
				q = r > 6 ? 6 : r;
				rs[nr] = 16, rx[nr++] = (uint8_t)(q - 3);
				r -= q;
			}
		}
		while (r-- > 0)
			rs[nr] = all[i], rx[nr++] = 0;
	}
	for (i = 0; i < nr; i++)
		cf[rs[i]]++;
	two_used(cf, 19);
	huffman(cf, 19, 7, cl, cc);
	for (hclen = 19; hclen > 4 && cl[cl_order[hclen - 1]] == 0; hclen--)
		;

	bits_put(b, last ? 1 : 0, 1);
	bits_put(b, 2, 2);		/* BTYPE 10: dynamic Huffman */
	bits_put(b, (uint32_t)(hlit - 257), 5);
	bits_put(b, (uint32_t)(hdist - 1), 5);
	bits_put(b, (uint32_t)(hclen - 4), 4);
	for (i = 0; i < hclen; i++)
		bits_put(b, cl[cl_order[i]], 3);
	for (i = 0; i < nr; i++) {
		bits_put(b, cc[rs[i]], cl[rs[i]]);
		if (rs[i] == 16)
			bits_put(b, rx[i], 2);
		else if (rs[i] == 17)
			bits_put(b, rx[i], 3);
		else if (rs[i] == 18)
			bits_put(b, rx[i], 7);
	}

	for (x = 0; x < n; x++) {
		uint32_t v = t[x];

		if (v >> 31) {
			unsigned len = (v >> 15) & 0x1ff, d = (v & 0x7fff) + 1;
			unsigned s = tab.len_code[len], dcd = dist_code(d);

			bits_put(b, lc[257 + s], ll[257 + s]);
			if (len_extra[s])
				bits_put(b, len - len_base[s], len_extra[s]);
			bits_put(b, dc[dcd], dl[dcd]);
			if (dist_extra[dcd])
				bits_put(b, d - dist_base[dcd], dist_extra[dcd]);
		} else
			bits_put(b, lc[v], ll[v]);
	}
	bits_put(b, lc[256], ll[256]);
}

#define BLOCK_TOKENS	65536

/* The zlib stream of the image into b. */
static void
deflate_image(const struct ct_canvas *c, struct bits *b)
{
	struct toks k = { NULL, 0, 0 };
	uint32_t adler;
	size_t x, n;

	pthread_once(&tab_once, tab_init);
	adler = tokenize(c, &k);
	bits_room(b, 2);
	b->out[b->len++] = 0x78;	/* deflate, 32K window */
	b->out[b->len++] = 0x01;	/* no dictionary, check bits */
	for (x = 0; x < k.n; x += n) {
		n = k.n - x > BLOCK_TOKENS ? BLOCK_TOKENS : k.n - x;
		put_block(b, k.t + x, n, x + n == k.n);
	}
	if (k.n == 0)
		put_block(b, NULL, 0, 1);
	bits_flush(b);
	bits_room(b, 4);
	b->out[b->len++] = (uint8_t)(adler >> 24);
	b->out[b->len++] = (uint8_t)(adler >> 16);
	b->out[b->len++] = (uint8_t)(adler >> 8);
	b->out[b->len++] = (uint8_t)adler;
	free(k.t);
}

int
ct_png_write(const struct ct_canvas *c, FILE *fp, struct ct_buf *err)
{
	struct pngerr pe = { err, fp };
	struct bits b;
	png_structp p;
	png_infop info;

	memset(&b, 0, sizeof(b));
	deflate_image(c, &b);
	p = png_create_write_struct(PNG_LIBPNG_VER_STRING, &pe, on_error,
	    on_warning);
	if (p == NULL) {
		free(b.out);
		ct_buf_adds(err, "PNG: cannot create writer");
		return -1;
	}
	info = png_create_info_struct(p);
	if (info == NULL) {
		png_destroy_write_struct(&p, NULL);
		free(b.out);
		ct_buf_adds(err, "PNG: cannot create writer");
		return -1;
	}
	if (setjmp(png_jmpbuf(p))) {
		png_destroy_write_struct(&p, &info);
		free(b.out);
		if (err->len == 0)
			ct_buf_adds(err, "PNG: write failed");
		return -1;
	}
	png_set_write_fn(p, &pe, on_write, on_flush);
	png_set_IHDR(p, info, (png_uint_32)c->w, (png_uint_32)c->h, 8,
	    c->bpp == 1 ? PNG_COLOR_TYPE_PALETTE : PNG_COLOR_TYPE_RGB,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	if (c->bpp == 1) {
		png_color pal[256];
		int i;

		for (i = 0; i < c->npal; i++) {
			pal[i].red = (png_byte)(c->pal[i] >> 16);
			pal[i].green = (png_byte)(c->pal[i] >> 8);
			pal[i].blue = (png_byte)c->pal[i];
		}
		png_set_PLTE(p, info, pal, c->npal > 0 ? c->npal : 1);
	}
	png_write_info(p, info);
	png_write_chunk(p, (png_const_bytep)"IDAT", b.out, b.len);
	png_write_chunk(p, (png_const_bytep)"IEND", NULL, 0);
	png_destroy_write_struct(&p, &info);
	free(b.out);
	if (ferror(fp)) {
		ct_buf_printf(err, "PNG: write failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct ct_canvas *
ct_png_read(const char *path, struct ct_buf *err)
{
	png_image img;
	struct ct_canvas *c;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		ct_buf_printf(err, "%s: %s", path, img.message);
		return NULL;
	}
	img.format = PNG_FORMAT_RGB;
	if ((c = ct_canvas_new((int)img.width, (int)img.height, 0)) == NULL) {
		ct_buf_printf(err, "%s: image too large", path);
		png_image_free(&img);
		return NULL;
	}
	if (!png_image_finish_read(&img, NULL, c->px, 0, NULL)) {
		ct_buf_printf(err, "%s: %s", path, img.message);
		png_image_free(&img);
		ct_canvas_free(c);
		return NULL;
	}
	return c;
}
