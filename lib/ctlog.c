/*
 * ctlog.c - reading a CloudTrail log file as it arrives (ctlog.h).
 *
 * Two stages per fed piece: zlib inflates into a 64 KiB window, and a
 * byte-level JSON splitter walks the inflated bytes.  The splitter only
 * tracks what it needs: depth, strings (with escapes), the last key at
 * the top level, and whether the current array is the top-level
 * "Records".  Objects directly inside that array are copied out whole;
 * anything else is skipped, and counted where the array is not one of
 * records and commas (ct_ctlog_stray), so that a caller can say so.  The same walk finds each record's top-level
 * eventTime: at the record's own level it notes where each string starts
 * and ends (offsets in the record, which may span inflated pieces), so a
 * record is not walked a second time for it.  It reads what a walk of the
 * record alone would (ctlog.h): the first string value of a top-level key
 * spelled exactly eventTime, raw bytes compared.
 *
 * At a record's '{' the splitter first tries lib/recwalk.h over the bytes
 * at hand: one walk that finds the record's end, its eventTime and proof
 * that the record is one JSON object a writer may put on a line, so the
 * record's bytes are walked once, not by the splitter and then by the
 * writer's check.  Only a record that walk cannot tell about (an error,
 * an escaped top-level key, one cut by the end of an inflated piece) goes
 * through the splitter's own walk, unflagged.
 *
 * The splitter's own walk keeps its state in locals while it walks, and
 * jumps over the bytes that cannot change it (a string's plain bytes
 * below the top level; literals and white space between structural
 * characters) with class tables.  A record
 * that starts and ends within one inflated piece is handed out from that
 * piece, not copied first.  The 64 KiB window is not zeroed when the
 * reader is made: a file of 14 KB would pay more for that than for its
 * own inflating.
 *
 * Whole files first: the compressed bytes are kept (up to WHOLE_GZ_MAX)
 * and, at the end, a file of one gzip member whose trailer says at most
 * WHOLE_TEXT_MAX bytes of text is inflated in one call by libdeflate,
 * about twice as fast as zlib.  Anything else (a larger file, several
 * members, any error libdeflate reports) goes through the zlib stream
 * above, from the kept bytes on, so its records and its reason to fail are
 * the stream's.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <openssl/evp.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "buf.h"
#include "ctlog.h"
#include "hex.h"
#include "recwalk.h"
#include "timefmt.h"
#include "xalloc.h"

#define KEYCAP	16
#define WHOLE_GZ_MAX	((size_t)4 << 20)	/* compressed bytes kept */
#define WHOLE_TEXT_MAX	((size_t)32 << 20)	/* text inflated at once */
#define CACHE_TEXT_MAX	((size_t)8 << 20)	/* a text buffer kept */
#define CACHE_GZ	32			/* compressed buffers kept */
#define CACHE_GZ_MAX	((size_t)1 << 20)	/* ... each of at most */

/* A buffer kept from file to file (take). */
struct room {
	void		*p;
	size_t		 size;
};

struct ct_ctlog_cache {
	struct libdeflate_decompressor	*d;
	struct room	 text;		/* the whole-file path's text */
	struct room	 stops;		/* ... its stop bits (recwalk.h) */
	struct ct_buf	 gz[CACHE_GZ];	/* free buffers for kept bytes */
	size_t		 ngz;
};

struct ct_ctlog {
	ct_ctlog_fn	 fn;
	void		*arg;
	z_stream	 z;
	int		 z_on;
	int		 member_end;	/* at the end of a gzip member */
	int		 streaming;	/* bytes go to zlib as they come */
	struct ct_buf	 gz;		/* until streaming: the bytes so far */
	struct ct_ctlog_cache *cache;	/* or NULL */
	unsigned char	*text;		/* inflated whole (ct_ctlog_text) */
	size_t		 text_n;
	int		 text_own;	/* ... not the cache's: freed here */
	int		 in_whole;	/* splitting the whole text */
	const char	*failed;	/* the reason, once failed */
	/* splitter */
	int		 started;	/* the top-level '{' was seen */
	int		 done;		/* ... and its '}' */
	int		 depth;
	int		 in_str, esc;
	char		 key[KEYCAP + 1], str[KEYCAP + 1];
	size_t		 strn;		/* length of the string (capped+1) */
	int		 kesc;		/* in a top-level key: 1 after a
					   backslash, 2..5 after one and 'u'
					   and kesc-2 hex digits */
	unsigned	 kcode;		/* ... their value so far */
	int		 in_records;	/* inside "Records": [ */
	int		 arr;		/* ... what is due there: ARR_* */
	int		 had_records;	/* a top-level Records array seen */
	uint64_t	 stray;		/* places in it that are not
					   records and commas */
	int		 in_rec;	/* copying a record */
	/* the record's eventTime: its key was the last string at the
	 * record's level (is_key), a value is due (want), found at
	 * et[0..1) (offsets in the record) */
	int		 et_key, et_want, et_found;
	size_t		 et_s0, et_off, et_len;
	struct ct_buf	 rec;
	uint64_t	 nrec;
	EVP_MD_CTX	*sha;		/* SHA-256 of the inflated bytes, or NULL */
	unsigned char	 hash[32];	/* its value, once hashed */
	int		 hashed;
	struct ct_time_memo tm;		/* a file's records share their day */
	uint64_t	 stops[CT_RECWALK_WORDS(65536)];	/* out's */
	unsigned char	 out[65536];	/* last two: not zeroed by
					   ct_ctlog_new */
};

/* In the Records array, what is due: its first element or its ']', an
 * element after a ',', a ',' or the ']' after an element, or either of
 * those after bytes already counted as stray. */
enum { ARR_FIRST, ARR_ELEM, ARR_SEP, ARR_STRAY };

/* Something in the Records array that is neither a record nor where a
 * ',' or ']' is due: counted once per stretch, up to the next ','. */
static void
stray(struct ct_ctlog *l)
{
	if (l->arr != ARR_STRAY)
		l->stray++;
	l->arr = ARR_STRAY;
}

/* Byte c of a top-level key, kept up to KEYCAP (more: the key matches
 * nothing). */
static void
key_char(struct ct_ctlog *l, unsigned char c)
{
	if (l->strn <= KEYCAP)
		l->str[l->strn++] = (char)c;
}

/* Byte c of a top-level key's escape (l->kesc > 0), decoded as
 * json.loads does, so that "Re\u0063ords" is Records and "Rec\"ords" is
 * not.  A byte outside ASCII or NUL can spell no key looked for: the key
 * then matches nothing, as does an escape JSON has not.  Returns 0 when c
 * is not part of the escape (it cut a \u's digits short) and is read as
 * it comes, else 1. */
static int
key_escape(struct ct_ctlog *l, unsigned char c)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	int v;

	if (l->kesc >= 2) {	/* the hex digits after 'u' */
		if ((v = ct_hex_val(c)) < 0) {
			l->kesc = 0;
			l->strn = KEYCAP + 1;
			return 0;
		}
		l->kcode = l->kcode * 16 + (unsigned)v;
		if (++l->kesc < 6)
			return 1;
		l->kesc = 0;
		if (l->kcode == 0 || l->kcode >= 0x80)
			l->strn = KEYCAP + 1;
		else
			key_char(l, (unsigned char)l->kcode);
		return 1;
	}
	l->kesc = 0;
	if (c == 'u') {
		l->kesc = 2;
		l->kcode = 0;
	} else if (c != '\0' && (k = strchr(from, c)) != NULL)
		key_char(l, (unsigned char)to[k - from]);
	else
		l->strn = KEYCAP + 1;
	return 1;
}

/* Bytes a string's walk stops at: its end, an escape. */
static const unsigned char stops_str[256] = { ['"'] = 1, ['\\'] = 1 };
/* Bytes the walk between strings stops at: the structural ones. */
static const unsigned char stops_out[256] = {
	['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1, [':'] = 1,
	[','] = 1,
};

/* The first '"' or '\\' of p[i..n), or n: a string's plain bytes, 16 a
 * step with SSE2 (most of a record's bytes are in strings). */
static inline size_t
str_stop(const unsigned char *p, size_t i, size_t n)
{
#if defined(__SSE2__)
	const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\');

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const void *)(p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)));

		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && !stops_str[p[i]])
		i++;
	return i;
}

/* Done with the kept bytes: their buffer back to the cache, or freed. */
static void
gz_release(struct ct_ctlog *l)
{
	struct ct_ctlog_cache *c = l->cache;

	if (c != NULL && l->gz.data != NULL && c->ngz < CACHE_GZ &&
	    l->gz.size <= CACHE_GZ_MAX) {
		c->gz[c->ngz++] = l->gz;
		ct_buf_init(&l->gz, WHOLE_GZ_MAX);
		return;
	}
	ct_buf_free(&l->gz);
}

struct ct_ctlog *
ct_ctlog_new(ct_ctlog_fn fn, void *arg)
{
	struct ct_ctlog *l = xmalloc(sizeof(*l));

	memset(l, 0, offsetof(struct ct_ctlog, stops));

	l->fn = fn;
	l->arg = arg;
	ct_buf_init(&l->rec, CT_CTLOG_MAX_RECORD);
	ct_buf_init(&l->gz, WHOLE_GZ_MAX);
	return l;
}

void
ct_ctlog_free(struct ct_ctlog *l)
{
	if (l == NULL)
		return;
	if (l->z_on)
		inflateEnd(&l->z);
	EVP_MD_CTX_free(l->sha);
	ct_buf_free(&l->rec);
	gz_release(l);
	if (l->text_own)
		free(l->text);
	free(l);
}

struct ct_ctlog_cache *
ct_ctlog_cache_new(void)
{
	return xcalloc(1, sizeof(struct ct_ctlog_cache));
}

void
ct_ctlog_cache_free(struct ct_ctlog_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->d != NULL)
		libdeflate_free_decompressor(c->d);
	free(c->text.p);
	free(c->stops.p);
	for (i = 0; i < c->ngz; i++)
		ct_buf_free(&c->gz[i]);
	free(c);
}

void
ct_ctlog_use_cache(struct ct_ctlog *l, struct ct_ctlog_cache *c)
{
	if (l->gz.data != NULL || l->streaming)
		return;
	l->cache = c;
	if (c != NULL && c->ngz > 0) {
		l->gz = c->gz[--c->ngz];
		ct_buf_reset(&l->gz);
	}
}

int
ct_ctlog_hash_on(struct ct_ctlog *l)
{
	if (l->sha != NULL || l->hashed)
		return 0;
	if (l->z_on || l->streaming || l->gz.len > 0 || l->failed != NULL)
		return -1;
	if ((l->sha = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(l->sha, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(l->sha);
		l->sha = NULL;
		return -1;
	}
	return 0;
}

int
ct_ctlog_hash(struct ct_ctlog *l, unsigned char out[32])
{
	unsigned int n = 0;

	if (l->hashed) {
		memcpy(out, l->hash, 32);
		return 0;
	}
	/* streamed: the last member ended; whole: inflated at once */
	if (l->sha == NULL || l->failed != NULL || !l->done ||
	    (l->streaming && !l->member_end))
		return -1;
	if (EVP_DigestFinal_ex(l->sha, out, &n) != 1 || n != 32)
		return -1;
	EVP_MD_CTX_free(l->sha);
	l->sha = NULL;
	memcpy(l->hash, out, 32);
	l->hashed = 1;
	return 0;
}

char *
ct_ctlog_text(struct ct_ctlog *l, size_t *n)
{
	if (l->text == NULL || l->failed != NULL || !l->done)
		return NULL;
	*n = l->text_n;
	return (char *)l->text;
}

uint64_t
ct_ctlog_records(const struct ct_ctlog *l)
{
	return l->nrec;
}

uint64_t
ct_ctlog_stray(const struct ct_ctlog *l)
{
	return l->stray;
}

int
ct_ctlog_has_records(const struct ct_ctlog *l)
{
	return l->had_records;
}

static int
fail(struct ct_ctlog *l, const char *why, const char **out)
{
	if (l->failed == NULL)
		l->failed = why;
	if (out != NULL)
		*out = l->failed;
	return -1;
}

/* A record p[0..n) with its eventTime's raw bytes (or et NULL). */
static int
deliver(struct ct_ctlog *l, const char *p, size_t n, const char *et,
    size_t etn, unsigned flags, const char **why)
{
	int64_t t = INT64_MIN;

	l->nrec++;
	if (et != NULL && ct_time_parse_cloudtrail_memo(&l->tm, et, etn,
	    &t) != 0)
		t = INT64_MIN;
	if (l->in_whole)
		flags |= CT_CTLOG_WHOLE;
	if (l->fn(l->arg, p, n, t, flags) != 0)
		return fail(l, "stopped", why);
	return 0;
}

/* A record the splitter walked is complete: p[0..n) (in l->rec, or in
 * the inflated piece). */
static int
hand_out(struct ct_ctlog *l, const char *p, size_t n, const char **why)
{
	return deliver(l, p, n, l->et_found ? p + l->et_off : NULL,
	    l->et_len, 0, why);
}

/* Record offset o: the byte at p[from + o - rec.len], or before this
 * piece, in l->rec.  A string at the record's level ends at piece offset
 * i (its closing quote), eventTime not found yet: a key spelled eventTime
 * is noted, or the value due after it is found. */
static void
et_string(struct ct_ctlog *l, const unsigned char *p, size_t from, size_t i)
{
	size_t end = l->rec.len + (i - from), len = end - l->et_s0, k;
	char key[9];

	if (l->et_want == 2) {
		l->et_found = 1;
		l->et_off = l->et_s0;
		l->et_len = len;
		return;
	}
	l->et_key = 0;
	if (len != 9)
		return;
	for (k = 0; k < 9 && l->et_s0 + k < l->rec.len; k++)
		key[k] = l->rec.data[l->et_s0 + k];
	if (k < 9)
		memcpy(key + k, p + from + (l->et_s0 + k - l->rec.len), 9 - k);
	l->et_key = memcmp(key, "eventTime", 9) == 0;
}

/* Walk inflated bytes.  The state lives in locals during the walk and is
 * stored back on the way out (SAVE). */
static int
split(struct ct_ctlog *l, const struct ct_rectext *t, const char **why)
{
	const unsigned char *p = (const unsigned char *)t->base;
	size_t n = t->n;
	size_t i, from = 0;
	int depth = l->depth, in_str = l->in_str, esc = l->esc;
	int started = l->started, done = l->done, in_rec = l->in_rec;
	/* the record's own level while in one, else none; outside the
	 * document: before its '{' or after its '}' */
	int rlev = in_rec ? 3 : -1, outside = done || !started;
	unsigned char c;

#define SAVE() (l->depth = depth, l->in_str = in_str, l->esc = esc, \
	    l->started = started, l->done = done, l->in_rec = in_rec)
	for (i = 0; i < n; i++) {
		if (in_str) {
			if (esc) {
				esc = 0;
				continue;
			}
in_string:
			if (depth != 1) {
				if ((i = str_stop(p, i, n)) == n)
					goto out;
				if (p[i] == '\\')
					esc = 1;
				else {
					in_str = 0;
					if (depth == rlev &&
					    !l->et_found)
						et_string(l, p, from, i);
				}
				continue;
			}
			c = p[i];
			if (l->kesc > 0 && key_escape(l, c))
				continue;
			if (c == '\\')
				l->kesc = 1;
			else if (c == '"') {
				in_str = 0;
				l->str[l->strn > KEYCAP ? 0 : l->strn] = '\0';
			} else
				key_char(l, c);
			continue;
		}
		c = p[i];
		if (outside) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				continue;
			SAVE();
			if (done)
				return fail(l, "bytes after the Records "
				    "document", why);
			if (c != '{')
				return fail(l, "not a JSON object", why);
			started = 1;
			outside = 0;
			depth = 1;
			continue;
		}
		if (!stops_out[c]) {
			/* a literal after "eventTime": no string value */
			if (l->et_want == 2 && depth == rlev) {
				for (; i < n && !stops_out[p[i]]; i++)
					if (p[i] != ' ' && p[i] != '\t' &&
					    p[i] != '\n' && p[i] != '\r')
						l->et_want = 0;
				if (i == n)
					goto out;
			} else if (depth == 2 && l->in_records) {
				/* between records: white space, or stray */
				for (; i < n && !stops_out[p[i]]; i++)
					if (p[i] != ' ' && p[i] != '\t' &&
					    p[i] != '\n' && p[i] != '\r')
						stray(l);
				if (i == n)
					goto out;
			} else
				do
					if (++i == n)
						goto out;
				while (!stops_out[p[i]]);
			c = p[i];
		}
		switch (c) {
		case '"':
			if (depth == 2 && l->in_records)
				stray(l);	/* a string, not a record */
			in_str = 1;
			l->strn = 0;
			l->kesc = 0;
			if (depth == rlev && !l->et_found)
				l->et_s0 = l->rec.len + (i + 1 - from);
			/* into the string's walk without a turn of the loop */
			if (++i == n)
				goto out;
			goto in_string;
		case ':':
			if (depth == 1)
				memcpy(l->key, l->str, sizeof(l->key));
			else if (depth == rlev)
				l->et_want = l->et_key ? 2 : 0;
			else if (depth == 2 && l->in_records)
				stray(l);
			break;
		case ',':
			if (depth == 1)
				l->key[0] = '\0';
			else if (depth == rlev)
				l->et_want = l->et_key = 0;
			else if (depth == 2 && l->in_records) {
				if (l->arr == ARR_FIRST || l->arr == ARR_ELEM)
					stray(l);	/* no element */
				l->arr = ARR_ELEM;
			}
			break;
		case '{': case '[':
			if (depth == 1 && c == '[') {
				l->in_records = strcmp(l->key, "Records") == 0;
				l->had_records |= l->in_records;
				l->arr = ARR_FIRST;
			}
			if (depth == 2 && l->in_records) {
				/* a record where a ',' is due, or an array */
				if (l->arr == ARR_SEP || c == '[')
					stray(l);
				if (l->arr != ARR_STRAY)
					l->arr = ARR_SEP;
			}
			if (depth == 2 && l->in_records && c == '{') {
				struct ct_recwalk w;
				const char *q = ct_recwalk(t, (const char *)p + i,
				    &w);

				if (q != NULL && (size_t)(q - (const char *)p -
				    i) <= CT_CTLOG_MAX_RECORD) {
					size_t rn = (size_t)(q -
					    (const char *)p) - i;

					l->et_want = 0;
					SAVE();
					if (deliver(l, (const char *)p + i,
					    rn, w.et, w.et_len,
					    CT_CTLOG_CHECKED | (w.one_line ?
					    CT_CTLOG_ONE_LINE : 0), why) != 0)
						return -1;
					i += rn - 1;
					break;
				}
				in_rec = 1;
				rlev = 3;
				from = i;
				ct_buf_reset(&l->rec);
				l->et_key = l->et_found = 0;
			}
			l->et_want = 0;
			if (++depth > 100000) {
				SAVE();
				return fail(l, "nested too deep", why);
			}
			break;
		default:	/* '}', ']' */
			if (--depth == 0) {
				done = outside = 1;
				break;
			}
			if (depth == 1 && l->in_records) {
				/* "[...,]", or closed by '}' */
				if (l->arr == ARR_ELEM || c != ']')
					stray(l);
				l->in_records = 0;
			}
			if (depth == 2 && in_rec) {
				in_rec = 0;
				rlev = -1;
				SAVE();
				if (c != '}')
					return fail(l, "a record closed by "
					    "']'", why);
				if (l->rec.len == 0) {
					/* begun in this piece */
					if (i + 1 - from > CT_CTLOG_MAX_RECORD)
						return fail(l, "a record over "
						    "4 MiB", why);
					if (hand_out(l, (const char *)p + from,
					    i + 1 - from, why) != 0)
						return -1;
					break;
				}
				if (ct_buf_add(&l->rec, p + from, i + 1 -
				    from) != 0)
					return fail(l, "a record over 4 MiB",
					    why);
				if (hand_out(l, l->rec.data, l->rec.len,
				    why) != 0)
					return -1;
			}
			break;
		}
	}
out:
	SAVE();
#undef SAVE
	if (in_rec && ct_buf_add(&l->rec, p + from, n - from) != 0)
		return fail(l, "a record over 4 MiB", why);
	return 0;
}

/* Inflate p[0..n) with zlib and split it. */
static int
stream(struct ct_ctlog *l, const void *p, size_t n, const char **why)
{
	int zr;

	while (n > 0) {
		if (!l->z_on || l->member_end) {
			if (l->z_on)
				inflateEnd(&l->z);
			memset(&l->z, 0, sizeof(l->z));
			if (inflateInit2(&l->z, 15 + 16) != Z_OK)
				return fail(l, "zlib: cannot start", why);
			l->z_on = 1;
			l->member_end = 0;
		}
		l->z.next_in = (Bytef *)(uintptr_t)p;
		l->z.avail_in = n > (1u << 30) ? 1u << 30 : (uInt)n;
		do {
			l->z.next_out = l->out;
			l->z.avail_out = sizeof(l->out);
			zr = inflate(&l->z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END &&
			    zr != Z_BUF_ERROR)
				return fail(l, zr == Z_DATA_ERROR ?
				    "not gzip, or corrupt (CRC or length)" :
				    "zlib error", why);
			if (l->sha != NULL && EVP_DigestUpdate(l->sha, l->out,
			    sizeof(l->out) - l->z.avail_out) != 1)
				return fail(l, "SHA-256 failed", why);
			{
				struct ct_rectext t = { (const char *)l->out,
				    sizeof(l->out) - l->z.avail_out, l->stops };

				ct_recwalk_index(&t);
				if (split(l, &t, why) != 0)
					return -1;
			}
			if (zr == Z_STREAM_END) {
				l->member_end = 1;
				break;
			}
			if (zr == Z_BUF_ERROR && l->z.avail_in == 0)
				break;
		} while (l->z.avail_in > 0 || l->z.avail_out == 0);
		{
			size_t used = (size_t)((const unsigned char *)
			    l->z.next_in - (const unsigned char *)p);

			p = (const unsigned char *)p + used;
			n -= used;
		}
		if (!l->member_end && n > 0 && l->z.avail_in == 0)
			continue;
	}
	return 0;
}

/* From here on, stream: the bytes kept first. */
static int
go_stream(struct ct_ctlog *l, const char **why)
{
	int rc;

	l->streaming = 1;
	rc = stream(l, l->gz.data, l->gz.len, why);
	gz_release(l);
	return rc;
}

/*
 * n bytes from the room r keeps, grown when short with a quarter to
 * spare: the files of a trail are alike in size, and a buffer grown for
 * each larger one would cost fresh pages again.  More than CACHE_TEXT_MAX
 * bytes, or no room (no cache): a buffer of the caller's, to free.
 */
static void *
take(struct room *r, size_t n)
{
	if (r == NULL || n > CACHE_TEXT_MAX)
		return xmalloc(n ? n : 1);
	if (r->size < n || r->p == NULL) {
		free(r->p);
		r->size = n + n / 4 < CACHE_TEXT_MAX ? n + n / 4 :
		    CACHE_TEXT_MAX;
		r->p = xmalloc(r->size ? r->size : 1);
	}
	return r->p;
}

/* The kept bytes inflated by libdeflate and split: 0, -1 (the split
 * failed), or 1 (not done: stream them instead). */
static int
whole(struct ct_ctlog *l, const char **why)
{
	const unsigned char *g = (const unsigned char *)l->gz.data;
	size_t n = l->gz.len, tn, used = 0, got = 0;
	struct ct_ctlog_cache *c = l->cache;
	struct libdeflate_decompressor *d;
	enum libdeflate_result r;
	unsigned char *text;
	int rc;

	/* libdeflate skips a header CRC (FHCRC) that zlib checks */
	if (n < 18 || g[0] != 0x1f || g[1] != 0x8b || (g[3] & 0x02))
		return 1;
	tn = (size_t)g[n - 4] | (size_t)g[n - 3] << 8 |
	    (size_t)g[n - 2] << 16 | (size_t)g[n - 1] << 24;
	if (tn > WHOLE_TEXT_MAX)
		return 1;
	if (c != NULL && c->d != NULL)
		d = c->d;
	else if ((d = libdeflate_alloc_decompressor()) == NULL)
		return 1;
	text = take(c != NULL ? &c->text : NULL, tn);
	r = libdeflate_gzip_decompress_ex(d, g, n, text, tn, &used, &got);
	if (c != NULL)
		c->d = d;
	else
		libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || used != n || got != tn)
		rc = 1;
	else if (l->sha != NULL && EVP_DigestUpdate(l->sha, text, got) != 1)
		rc = fail(l, "SHA-256 failed", why);
	else {
		struct ct_rectext t = { (const char *)text, got, NULL };
		size_t nw = CT_RECWALK_WORDS(got);

		t.stops = take(c != NULL ? &c->stops : NULL,
		    nw * sizeof(*t.stops));
		ct_recwalk_index(&t);
		l->in_whole = 1;
		rc = split(l, &t, why);
		l->in_whole = 0;
		if (c == NULL || t.stops != c->stops.p)
			free(t.stops);
	}
	if (rc == 0) {
		l->text = text;
		l->text_n = got;
		l->text_own = c == NULL || text != c->text.p;
	} else if (c == NULL || text != c->text.p)
		free(text);
	return rc;
}

int
ct_ctlog_feed(struct ct_ctlog *l, const void *p, size_t n, const char **why)
{
	if (l->failed != NULL)
		return fail(l, l->failed, why);
	if (!l->streaming) {
		if (ct_buf_add(&l->gz, p, n) == 0)
			return 0;
		if (go_stream(l, why) != 0)
			return -1;
	}
	return stream(l, p, n, why);
}

int
ct_ctlog_finish(struct ct_ctlog *l, const char **why)
{
	if (l->failed != NULL)
		return fail(l, l->failed, why);
	if (!l->streaming) {
		int rc = whole(l, why);

		if (rc == 1 && go_stream(l, why) != 0)
			return -1;
		if (rc == 0) {
			gz_release(l);
			return l->done ? 0 : fail(l, "the Records document "
			    "is cut short", why);
		}
		if (rc < 0)
			return -1;
	}
	if (!l->z_on)
		return fail(l, "empty file", why);
	if (!l->member_end)
		return fail(l, "the gzip stream is cut short", why);
	if (!l->done)
		return fail(l, "the Records document is cut short", why);
	return 0;
}
