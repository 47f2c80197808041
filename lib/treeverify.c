/*
 * treeverify.c - a synced CloudTrail tree checked against its digests
 * (treeverify.h).
 *
 * Two lists from one walk (digests, log files), then the engine's order:
 * every digest, seal, every log file, finish.  Log files are read in
 * 64 KiB pieces through a ctlog reader (hashing on), so memory is one
 * record whatever the file's size; digests are inflated whole (bounded by
 * CT_DIGEST_MAX_SIZE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "ctlog.h"
#include "digest.h"
#include "input.h"
#include "inputlist.h"
#include "integrity.h"
#include "jstr.h"
#include "strmap.h"
#include "timefmt.h"
#include "treeverify.h"
#include "xalloc.h"

static void
sig_free(void *p)
{
	struct ct_treesig *s = p;

	free(s->hex);
	free(s->alg);
	free(s);
}

static const struct ct_strmap_type sig_type = { sig_free };

struct ct_strmap *
ct_treesigs_new(void)
{
	return ct_strmap_new(&sig_type);
}

/* key from its "AWSLogs/" component on (as integrity.c matches). */
static const char *
tree_cut(const char *key, size_t n, size_t *outn)
{
	size_t i;

	for (i = 0; i + 8 <= n; i++)
		if ((i == 0 || key[i - 1] == '/') &&
		    memcmp(key + i, "AWSLogs/", 8) == 0) {
			*outn = n - i;
			return key + i;
		}
	*outn = n;
	return key;
}

static int
line_err(struct ct_buf *why, size_t line, const char *what)
{
	if (why != NULL) {
		ct_buf_reset(why);
		ct_buf_printf(why, "line %zu: %s", line, what);
	}
	return -1;
}

int
ct_treesigs_parse(const char *text, size_t n, struct ct_strmap *sigs,
    struct ct_buf *why)
{
	size_t off = 0, line = 0;

	while (off < n) {
		const char *p = text + off, *nl = memchr(p, '\n', n - off);
		size_t len = nl ? (size_t)(nl - p) : n - off, kn, i;
		const char *t1, *t2, *k, *le;
		struct ct_strmap_entry *e;
		struct ct_treesig *s;
		int added;

		off += len + (nl != NULL);
		line++;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0 || p[0] == '#')
			continue;
		le = p + len;
		if (len > CT_SIGFILE_MAX_LINE)
			return line_err(why, line, "longer than 8192 bytes");
		if (memchr(p, '\0', len) != NULL)
			return line_err(why, line, "a NUL byte");
		if ((t1 = memchr(p, '\t', len)) == NULL || t1 == p)
			return line_err(why, line, "expected KEY<TAB>SIGNATURE");
		t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - p));
		if (t2 != NULL && memchr(t2 + 1, '\t', (size_t)(le - (t2 + 1))))
			return line_err(why, line, "more than three fields");
		{
			const char *he = t2 ? t2 : p + len;
			size_t hn = (size_t)(he - (t1 + 1));

			if (hn == 0 || hn % 2 || hn > CT_DIGEST_MAX_SIGHEX)
				return line_err(why, line, "the signature is "
				    "not hex of a usable length");
			for (i = 0; i < hn; i++)
				if (!strchr("0123456789abcdefABCDEF", t1[1 + i]))
					return line_err(why, line, "the "
					    "signature is not hex");
			if (ct_strmap_count(sigs) >= CT_SIGFILE_MAX_ENTRIES)
				return line_err(why, line, "too many lines");
			kn = (size_t)(t1 - p);
			if (kn > 5 && memcmp(p, "s3://", 5) == 0) {
				const char *sl = memchr(p + 5, '/', kn - 5);

				if (sl == NULL)
					return line_err(why, line, "an s3:// "
					    "URL without a key");
				kn -= (size_t)(sl + 1 - p);
				p = sl + 1;
			}
			k = tree_cut(p, kn, &kn);
			e = ct_strmap_insert(sigs, k, kn, &added);
			if (!added)
				sig_free(e->val.ptr);
			s = e->val.ptr = xcalloc(1, sizeof(*s));
			s->hex = xstrndup(t1 + 1, hn);
			if (t2 != NULL && le > t2 + 1)
				s->alg = xstrndup(t2 + 1, (size_t)(le - (t2 + 1)));
		}
	}
	return 0;
}

/*
 * The uncompressed text of the gzip file at path (all members), piece by
 * piece to fn (lib/input.h undoes the gzip).  0, or -1 (not gzip, cut
 * short, corrupt, unreadable, or fn returned -1 to stop).
 */
static int
gz_read(const char *path, int (*fn)(void *, const void *, size_t),
    void *arg)
{
	struct ct_input *in;
	struct ct_buf err;
	char *chunk = xmalloc(262144);
	ssize_t n = -1;

	ct_buf_init(&err, 0);
	if ((in = ct_input_open(path, &err)) != NULL && ct_input_gzip(in))
		while ((n = ct_input_read(in, chunk, 262144, &err)) > 0)
			if (fn(arg, chunk, (size_t)n) != 0) {
				n = -1;
				break;
			}
	ct_input_close(in);
	ct_buf_free(&err);
	free(chunk);
	return n == 0 ? 0 : -1;
}

/* gz_read's fn for a digest: the text into a capped buffer. */
static int
to_buf(void *arg, const void *p, size_t n)
{
	return ct_buf_add(arg, p, n);
}

struct hashing {
	EVP_MD_CTX	*md;
	uint64_t	*inflated;
};

/* gz_read's fn for a log file: the text hashed. */
static int
to_hash(void *arg, const void *p, size_t n)
{
	struct hashing *hs = arg;

	*hs->inflated += n;
	return EVP_DigestUpdate(hs->md, p, n) == 1 ? 0 : -1;
}

static int
no_record(void *arg, const char *p, size_t n, int64_t t, unsigned flags)
{
	return 0;
}

static int hash_log_ctlog(const char *path, unsigned char h[32],
    uint64_t *records, uint64_t *inflated);

/* The records of the log file (read through ctlog.h): for the files
 * found bad only, so the usual case pays for inflating and hashing. */
static uint64_t
count_records(const char *path)
{
	unsigned char h[32];
	uint64_t n, dummy = 0;

	(void)hash_log_ctlog(path, h, &n, &dummy);
	return n;
}

/* The SHA-256 of the log file's uncompressed text (all gzip members), no
 * JSON splitting.  0, or -1 (not gzip, cut short, unreadable). */
static int
hash_log(const char *path, unsigned char h[32], uint64_t *inflated)
{
	struct hashing hs = { EVP_MD_CTX_new(), inflated };
	unsigned int hn = 0;
	int rc = -1;

	if (hs.md != NULL && EVP_DigestInit_ex(hs.md, EVP_sha256(), NULL) == 1 &&
	    gz_read(path, to_hash, &hs) == 0 &&
	    EVP_DigestFinal_ex(hs.md, h, &hn) == 1 && hn == 32)
		rc = 0;
	EVP_MD_CTX_free(hs.md);
	return rc;
}

/* The SHA-256 of the log file's text and its records: 0, or -1. */
static int
hash_log_ctlog(const char *path, unsigned char h[32], uint64_t *records,
    uint64_t *inflated)
{
	struct ct_ctlog *l = ct_ctlog_new(no_record, NULL);
	FILE *f = fopen(path, "rb");
	unsigned char tmp[65536];
	const char *why;
	size_t got;
	int rc = -1;

	*records = 0;
	if (f == NULL || ct_ctlog_hash_on(l) != 0)
		goto out;
	while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (ct_ctlog_feed(l, tmp, got, &why) != 0)
			goto out;
	if (ferror(f) || ct_ctlog_finish(l, &why) != 0 ||
	    ct_ctlog_hash(l, h) != 0)
		goto out;
	rc = 0;
out:
	*records = ct_ctlog_records(l);
	if (f != NULL) {
		*inflated += (uint64_t)ftello(f);
		fclose(f);
	}
	ct_ctlog_free(l);
	return rc;
}

struct sums {
	uint64_t	 excluded, flagged;
};

static void
sums_free(void *p)
{
	free(p);
}

static const struct ct_strmap_type sums_type = { sums_free };

static struct sums *
sums_of(struct ct_strmap *m, const char *account, const char *region)
{
	struct ct_strmap_entry *e;
	struct ct_buf k;

	ct_buf_init(&k, 0);
	ct_buf_printf(&k, "%s\n%s", account, region);
	e = ct_strmap_insert(m, k.data, k.len, NULL);
	ct_buf_free(&k);
	if (e->val.ptr == NULL)
		e->val.ptr = xcalloc(1, sizeof(struct sums));
	return e->val.ptr;
}

int
ct_treeverify_run(int argc, char **argv, const struct ct_treeverify_opts *o,
    ct_treeverify_fn fn, void *arg, struct ct_treeverify *out)
{
	struct ct_inputlist *in = ct_inputlist_new(argc, argv);
	struct ct_strmap *recs = ct_strmap_new(NULL);
	struct ct_strmap *sums = ct_strmap_new(&sums_type);
	struct ct_integ *ig;
	struct ct_integ_bad x;
	struct ct_buf text;
	char **dg = NULL, **lg = NULL;
	size_t ndg = 0, nlg = 0, i;
	const char *path, *err;
	int kind;

	memset(out, 0, sizeof(*out));
	out->excluded = ct_strmap_new(NULL);
	ct_buf_init(&out->control, 0);
	ct_buf_init(&text, 0);
	ct_inputlist_walk_digests(in);
	while ((kind = ct_inputlist_next(in, &path, &err)) != 0) {
		char a[64], r[64];
		int64_t t;
		int isd;

		if (kind != CT_INPUTLIST_FILE ||
		    ct_integ_parse_key(path, a, r, &t, &isd) != 0)
			continue;
		if (isd) {
			dg = xrealloc(dg, (ndg + 1) * sizeof(*dg));
			dg[ndg++] = xstrdup(path);
		} else {
			lg = xrealloc(lg, (nlg + 1) * sizeof(*lg));
			lg[nlg++] = xstrdup(path);
		}
	}
	ct_inputlist_free(in);

	ig = ct_integ_new(o->mode, 0, INT64_MAX / 2, CT_INTEG_NO_BUCKET);
	if (o->mode == CT_SIG_FROM_FILE && o->keys != NULL)
		for (i = 0; i < o->keys->n; i++)
			ct_integ_add_key(ig, &o->keys->v[i]);
	for (i = 0; i < ndg; i++) {
		const struct ct_treesig *s = NULL;
		int ok;

		ct_buf_free(&text);
		ct_buf_init(&text, CT_DIGEST_MAX_SIZE);
		ok = gz_read(dg[i], to_buf, &text) == 0;
		if (o->mode == CT_SIG_FROM_FILE && o->sigs != NULL) {
			size_t kn;
			const char *k = tree_cut(dg[i], strlen(dg[i]), &kn);
			struct ct_strmap_entry *e = ct_strmap_find(o->sigs, k,
			    kn);

			s = e != NULL ? e->val.ptr : NULL;
		}
		ct_integ_add_digest(ig, NULL, dg[i], ok ? (text.data ?
		    text.data : "") : NULL, ok ? text.len : 0,
		    s ? s->hex : NULL, s ? s->alg : NULL);
		out->digests++;
	}
	ct_integ_seal(ig);
	for (i = 0; i < nlg; i++) {
		unsigned char h[32];
		uint64_t nrec;
		enum ct_logv v;
		char a[64], r[64];
		int64_t t;
		int isd, ok;

		ok = hash_log(lg[i], h, &out->inflated) == 0;
		v = ct_integ_log(ig, NULL, lg[i], ok ? h : NULL, INT64_MIN);
		nrec = v == CT_LOGV_VALID ? 0 : count_records(lg[i]);
		out->logs++;
		(void)ct_integ_parse_key(lg[i], a, r, &t, &isd);
		if (v == CT_LOGV_MODIFIED) {
			ct_strmap_insert(out->excluded, lg[i], strlen(lg[i]),
			    NULL)->val.u64 = nrec;
			sums_of(sums, a, r)->excluded += nrec;
		} else if (v == CT_LOGV_NOT_COVERED || v == CT_LOGV_PENDING)
			sums_of(sums, a, r)->flagged += nrec;
		if (v != CT_LOGV_VALID)
			ct_strmap_insert(recs, lg[i], strlen(lg[i]),
			    NULL)->val.u64 = nrec;
	}
	ct_integ_finish(ig);
	while (ct_integ_next_bad(ig, &x)) {
		struct ct_strmap_entry *e = x.is_digest ? NULL :
		    ct_strmap_find(recs, x.object, strlen(x.object));
		uint64_t nrec = e != NULL ? e->val.u64 : 0;

		out->bad++;
		ct_integ_write_bad(&out->control, &x, nrec);
		if (fn != NULL)
			fn(arg, &x, nrec);
	}
	{
		struct ct_integ_counts c;
		char a[64], r[64];
		size_t it = 0;

		while (ct_integ_next_stream(ig, &it, a, r, &c)) {
			struct ct_buf k;
			struct ct_strmap_entry *e;

			ct_buf_init(&k, 0);
			ct_buf_printf(&k, "%s\n%s", a, r);
			e = ct_strmap_find(sums, k.data, k.len);
			ct_buf_free(&k);
			ct_integ_write_verified(&out->control, ig, a, r,
			    e ? ((struct sums *)e->val.ptr)->excluded : 0,
			    e ? ((struct sums *)e->val.ptr)->flagged : 0);
		}
	}
	for (i = 0; i < ndg; i++)
		free(dg[i]);
	for (i = 0; i < nlg; i++)
		free(lg[i]);
	free(dg);
	free(lg);
	ct_integ_free(ig);
	ct_strmap_free(recs);
	ct_strmap_free(sums);
	ct_buf_free(&text);
	return 0;
}

void
ct_treeverify_free(struct ct_treeverify *tv)
{
	if (tv == NULL)
		return;
	ct_strmap_free(tv->excluded);
	ct_buf_free(&tv->control);
	memset(tv, 0, sizeof(*tv));
}
