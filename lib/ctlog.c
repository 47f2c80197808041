/*
 * ctlog.c - reading a CloudTrail log file as it arrives (ctlog.h).
 *
 * Two stages per fed piece: zlib inflates into a 64 KiB window, and a
 * byte-level JSON splitter walks the inflated bytes.  The splitter only
 * tracks what it needs: depth, strings (with escapes), the last key at
 * the top level, and whether the current array is the top-level
 * "Records".  Objects directly inside that array are copied out whole;
 * anything else is skipped.  eventTime is read from the finished record
 * by the same walk one level down.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "buf.h"
#include "ctlog.h"
#include "timefmt.h"
#include "xalloc.h"

#define KEYCAP	16

struct ct_ctlog {
	ct_ctlog_fn	 fn;
	void		*arg;
	z_stream	 z;
	int		 z_on;
	int		 member_end;	/* at the end of a gzip member */
	const char	*failed;	/* the reason, once failed */
	unsigned char	 out[65536];
	/* splitter */
	int		 started;	/* the top-level '{' was seen */
	int		 done;		/* ... and its '}' */
	int		 depth;
	int		 in_str, esc;
	char		 key[KEYCAP + 1], str[KEYCAP + 1];
	size_t		 strn;		/* length of the string (capped+1) */
	int		 in_records;	/* inside "Records": [ */
	int		 in_rec;	/* copying a record */
	struct ct_buf	 rec;
	uint64_t	 nrec;
	EVP_MD_CTX	*sha;		/* SHA-256 of the inflated bytes, or NULL */
	unsigned char	 hash[32];	/* its value, once hashed */
	int		 hashed;
};

struct ct_ctlog *
ct_ctlog_new(ct_ctlog_fn fn, void *arg)
{
	struct ct_ctlog *l = xcalloc(1, sizeof(*l));

	l->fn = fn;
	l->arg = arg;
	ct_buf_init(&l->rec, CT_CTLOG_MAX_RECORD);
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
	free(l);
}

int
ct_ctlog_hash_on(struct ct_ctlog *l)
{
	if (l->sha != NULL || l->hashed)
		return 0;
	if (l->z_on || l->failed != NULL)
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
	if (l->sha == NULL || l->failed != NULL || !l->member_end ||
	    !l->done)
		return -1;
	if (EVP_DigestFinal_ex(l->sha, out, &n) != 1 || n != 32)
		return -1;
	EVP_MD_CTX_free(l->sha);
	l->sha = NULL;
	memcpy(l->hash, out, 32);
	l->hashed = 1;
	return 0;
}

uint64_t
ct_ctlog_records(const struct ct_ctlog *l)
{
	return l->nrec;
}

/* The top-level eventTime of record p[0..n), or INT64_MIN. */
static int64_t
event_time(const char *p, size_t n)
{
	size_t i, s0 = 0;
	int depth = 0, in_str = 0, esc = 0, is_key = 0, want = 0;
	int64_t t;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				if (depth != 1)
					continue;
				if (want == 2)
					return ct_time_parse_cloudtrail(p + s0,
					    i - s0, &t) == 0 ? t : INT64_MIN;
				is_key = i - s0 == 9 &&
				    memcmp(p + s0, "eventTime", 9) == 0;
			}
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			s0 = i + 1;
			break;
		case '{': case '[':
			depth++;
			want = 0;
			break;
		case '}': case ']':
			depth--;
			break;
		case ':':
			if (depth == 1)
				want = is_key ? 2 : 0;
			break;
		case ',':
			if (depth == 1)
				want = is_key = 0;
			break;
		case ' ': case '\t': case '\n': case '\r':
			break;
		default:
			if (depth == 1)
				want = 0;
			break;
		}
	}
	return INT64_MIN;
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

/* Walk inflated bytes. */
static int
split(struct ct_ctlog *l, const unsigned char *p, size_t n, const char **why)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (l->in_str) {
			if (l->esc)
				l->esc = 0;
			else if (c == '\\')
				l->esc = 1;
			else if (c == '"') {
				l->in_str = 0;
				if (l->depth == 1) {
					l->str[l->strn > KEYCAP ? 0 :
					    l->strn] = '\0';
				}
			} else if (l->depth == 1 && l->strn <= KEYCAP)
				l->str[l->strn++] = (char)c;
			continue;
		}
		if (l->done) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				continue;
			return fail(l, "bytes after the Records document",
			    why);
		}
		if (!l->started) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				continue;
			if (c != '{')
				return fail(l, "not a JSON object", why);
			l->started = 1;
			l->depth = 1;
			continue;
		}
		switch (c) {
		case '"':
			l->in_str = 1;
			l->strn = 0;
			break;
		case ':':
			if (l->depth == 1)
				memcpy(l->key, l->str, sizeof(l->key));
			break;
		case '{': case '[':
			if (l->depth == 1 && c == '[')
				l->in_records = strcmp(l->key, "Records") == 0;
			if (l->depth == 2 && l->in_records && c == '{') {
				l->in_rec = 1;
				from = i;
				ct_buf_reset(&l->rec);
			}
			l->depth++;
			if (l->depth > 100000)
				return fail(l, "nested too deep", why);
			break;
		case '}': case ']':
			l->depth--;
			if (l->depth == 0) {
				l->done = 1;
				break;
			}
			if (l->depth == 1)
				l->in_records = 0;
			if (l->depth == 2 && l->in_rec) {
				if (c != '}')
					return fail(l, "a record closed by "
					    "']'", why);
				l->in_rec = 0;
				if (ct_buf_add(&l->rec, p + from, i + 1 -
				    from) != 0)
					return fail(l, "a record over 4 MiB",
					    why);
				l->nrec++;
				if (l->fn(l->arg, l->rec.data, l->rec.len,
				    event_time(l->rec.data, l->rec.len)) != 0)
					return fail(l, "stopped", why);
			}
			break;
		default:
			break;
		}
		if (l->depth == 1 && c == ',')
			l->key[0] = '\0';
	}
	if (l->in_rec && ct_buf_add(&l->rec, p + from, n - from) != 0)
		return fail(l, "a record over 4 MiB", why);
	return 0;
}

int
ct_ctlog_feed(struct ct_ctlog *l, const void *p, size_t n, const char **why)
{
	int zr;

	if (l->failed != NULL)
		return fail(l, l->failed, why);
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
			if (split(l, l->out, sizeof(l->out) -
			    l->z.avail_out, why) != 0)
				return -1;
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

int
ct_ctlog_finish(struct ct_ctlog *l, const char **why)
{
	if (l->failed != NULL)
		return fail(l, l->failed, why);
	if (!l->z_on)
		return fail(l, "empty file", why);
	if (!l->member_end)
		return fail(l, "the gzip stream is cut short", why);
	if (!l->done)
		return fail(l, "the Records document is cut short", why);
	return 0;
}
