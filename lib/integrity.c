/*
 * integrity.c - the verdicts of CloudTrail log file integrity validation
 * (integrity.h).
 *
 * Three maps by object name: the digests (added and missing ones), the log
 * files the digests list (with the hash of the first good listing), and
 * the log files fed (their verdict, so a repeat counts once).  Two small
 * maps by "account\nregion": the newest digest end (for pending) and the
 * counts.  Bad objects queue in an array drained by ct_integ_next_bad.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "digest.h"
#include "integrity.h"
#include "jstr.h"
#include "strmap.h"
#include "timefmt.h"
#include "xalloc.h"

struct dg {
	char		*object;	/* display name */
	char		 account[64], region[64];
	int64_t		 stamp;		/* from the key name */
	int		 parsed;	/* d is filled */
	struct ct_digest d;
	char		*sig;		/* metadata signature, or NULL */
	int		 verdict;	/* enum ct_digv */
	char		*why;
};

struct listed {
	char		*object;	/* s3://bucket/object */
	char		 account[64], region[64];
	int64_t		 stamp;
	unsigned char	 hash[32];
	int		 good;		/* listed by a digest that is not bad */
	int		 fed;
};

struct badrec {
	char		*object, *account, *region, *why;
	int		 is_digest, verdict;
};

struct ct_integ {
	enum ct_sigmode	 mode;
	int64_t		 start, end;
	int		 flags;
	int		 sealed, finished;
	struct ct_pubkeys keys;
	struct dg	**dg;
	size_t		 ndg;
	struct ct_strmap *dgmap;	/* name -> index + 1 */
	struct ct_strmap *listed;	/* name -> struct listed * */
	struct ct_strmap *fed;		/* name -> verdict + 1 */
	struct ct_strmap *newest;	/* acct\nregion -> end + 1 (i64) */
	struct ct_strmap *earliest;	/* acct\nregion -> start (i64) */
	struct ct_strmap *counts;	/* acct\nregion -> counts * */
	struct badrec	*bad;
	size_t		 nbad, badcap, baddrained;
};

static const char *const logv_names[CT_LOGV_N] = {
	"valid", "modified", "missing", "not_covered", "pending"
};
static const char *const digv_names[CT_DIGV_N] = {
	"valid", "invalid_signature", "missing", "unreadable"
};

const char *
ct_logv_name(enum ct_logv v)
{
	return (unsigned)v < CT_LOGV_N ? logv_names[v] : "?";
}

const char *
ct_digv_name(enum ct_digv v)
{
	return (unsigned)v < CT_DIGV_N ? digv_names[v] : "?";
}

const char *
ct_sigmode_name(enum ct_sigmode m)
{
	switch (m) {
	case CT_SIG_NOT_CHECKED:
		return "not_checked";
	case CT_SIG_FROM_FILE:
		return "from_file";
	case CT_SIG_CHECKED:
		return "checked";
	}
	return "?";
}

static void
listed_free(void *p)
{
	struct listed *l = p;

	free(l->object);
	free(l);
}

static void
counts_free(void *p)
{
	free(p);
}

static const struct ct_strmap_type listed_type = { listed_free };
static const struct ct_strmap_type counts_type = { counts_free };

struct ct_integ *
ct_integ_new(enum ct_sigmode mode, int64_t start, int64_t end, int flags)
{
	struct ct_integ *ig = xcalloc(1, sizeof(*ig));

	ig->mode = mode;
	ig->start = start;
	ig->end = end;
	ig->flags = flags;
	ct_pubkeys_init(&ig->keys);
	ig->dgmap = ct_strmap_new(NULL);
	ig->listed = ct_strmap_new(&listed_type);
	ig->fed = ct_strmap_new(NULL);
	ig->newest = ct_strmap_new(NULL);
	ig->earliest = ct_strmap_new(NULL);
	ig->counts = ct_strmap_new(&counts_type);
	return ig;
}

void
ct_integ_free(struct ct_integ *ig)
{
	size_t i;

	if (ig == NULL)
		return;
	for (i = 0; i < ig->ndg; i++) {
		ct_digest_free(&ig->dg[i]->d);
		free(ig->dg[i]->object);
		free(ig->dg[i]->sig);
		free(ig->dg[i]->why);
		free(ig->dg[i]);
	}
	free(ig->dg);
	for (i = 0; i < ig->nbad; i++) {
		free(ig->bad[i].object);
		free(ig->bad[i].account);
		free(ig->bad[i].region);
		free(ig->bad[i].why);
	}
	free(ig->bad);
	ct_pubkeys_free(&ig->keys);
	ct_strmap_free(ig->dgmap);
	ct_strmap_free(ig->listed);
	ct_strmap_free(ig->fed);
	ct_strmap_free(ig->newest);
	ct_strmap_free(ig->earliest);
	ct_strmap_free(ig->counts);
	free(ig);
}

void
ct_integ_add_key(struct ct_integ *ig, const struct ct_pubkey *k)
{
	struct ct_pubkey *p;

	if (ig->sealed || ig->keys.n >= CT_PUBKEYS_MAX)
		return;
	ig->keys.v = xrealloc(ig->keys.v, (ig->keys.n + 1) * sizeof(*p));
	p = &ig->keys.v[ig->keys.n++];
	p->fingerprint = xstrdup(k->fingerprint);
	p->valid_from = k->valid_from;
	p->valid_to = k->valid_to;
	p->dern = k->dern;
	p->der = xmalloc(k->dern ? k->dern : 1);
	if (k->dern)
		memcpy(p->der, k->der, k->dern);
}

/* ---- names -------------------------------------------------------- */

/* key from its "AWSLogs/" component on, or key itself. */
static const char *
tree_cut(const char *key)
{
	const char *p = key;

	for (;;) {
		if (strncmp(p, "AWSLogs/", 8) == 0)
			return p;
		if ((p = strchr(p, '/')) == NULL)
			return key;
		p++;
	}
}

/* The engine's name of bucket/key into b (reset first). */
static void
name_of(const struct ct_integ *ig, const char *bucket, const char *key,
    struct ct_buf *b)
{
	ct_buf_reset(b);
	if (ig->flags & CT_INTEG_NO_BUCKET)
		ct_buf_adds(b, tree_cut(key));
	else
		ct_buf_printf(b, "s3://%s/%s", bucket ? bucket : "", key);
}

static int
digits(const char *s, size_t n, unsigned *out)
{
	size_t i;
	unsigned v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYYMMDDTHHMM[SS]Z" (secs: with seconds) at s: epoch, or INT64_MIN. */
static int64_t
stamp_at(const char *s, size_t n, int secs)
{
	unsigned y, mo, d, h, mi, se = 0;
	size_t want = secs ? 16 : 14;

	if (n < want || s[8] != 'T' || s[want - 1] != 'Z' ||
	    digits(s, 4, &y) || digits(s + 4, 2, &mo) || digits(s + 6, 2, &d) ||
	    digits(s + 9, 2, &h) || digits(s + 11, 2, &mi) ||
	    (secs && digits(s + 13, 2, &se)))
		return INT64_MIN;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 59)
		return INT64_MIN;
	return ct_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

static int
copy_seg(const char *p, const char *end, char out[64])
{
	size_t n = (size_t)(end - p);

	if (n == 0 || n >= 64)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int
ct_integ_parse_key(const char *key, char account[64], char region[64],
    int64_t *stamp, int *is_digest)
{
	const char *p = tree_cut(key), *s, *base;
	size_t bn;

	account[0] = region[0] = '\0';
	*stamp = INT64_MIN;
	*is_digest = 0;
	if (strncmp(p, "AWSLogs/", 8) != 0)
		return -1;
	p += 8;
	if (strncmp(p, "o-", 2) == 0 && (s = strchr(p, '/')) != NULL &&
	    strncmp(s + 1, "CloudTrail", 10) != 0 && strchr(s + 1, '/') &&
	    strncmp(strchr(s + 1, '/') + 1, "CloudTrail", 10) == 0)
		p = s + 1;
	if ((s = strchr(p, '/')) == NULL || copy_seg(p, s, account) != 0)
		return -1;
	p = s + 1;
	if (strncmp(p, "CloudTrail-Digest/", 18) == 0) {
		*is_digest = 1;
		p += 18;
	} else if (strncmp(p, "CloudTrail/", 11) == 0)
		p += 11;
	else {
		account[0] = '\0';
		return -1;
	}
	if ((s = strchr(p, '/')) == NULL || copy_seg(p, s, region) != 0) {
		account[0] = region[0] = '\0';
		return -1;
	}
	base = strrchr(s, '/') + 1;
	bn = strlen(base);
	if (*is_digest) {
		if (bn > 24 && strcmp(base + bn - 8, ".json.gz") == 0)
			*stamp = stamp_at(base + bn - 24, 16, 1);
	} else {
		/* ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz */
		const char *u = base;
		int i;

		for (i = 0; i < 3 && u != NULL; i++)
			if ((u = strchr(u, '_')) != NULL)
				u++;
		if (u != NULL)
			*stamp = stamp_at(u, strlen(u), 0);
		if (*stamp != INT64_MIN && u[14] != '_')
			*stamp = INT64_MIN;
	}
	return 0;
}

/* ---- counts and the bad queue ------------------------------------- */

static struct ct_integ_counts *
counts_of(struct ct_integ *ig, const char *account, const char *region)
{
	struct ct_buf k;
	struct ct_strmap_entry *e;

	ct_buf_init(&k, 0);
	ct_buf_printf(&k, "%s\n%s", account, region);
	e = ct_strmap_insert(ig->counts, k.data, k.len, NULL);
	ct_buf_free(&k);
	if (e->val.ptr == NULL)
		e->val.ptr = xcalloc(1, sizeof(struct ct_integ_counts));
	return e->val.ptr;
}

static void
queue_bad(struct ct_integ *ig, const char *object, const char *account,
    const char *region, int is_digest, int verdict, const char *why)
{
	struct badrec *b;

	if (ig->nbad == ig->badcap) {
		ig->badcap = ig->badcap ? 2 * ig->badcap : 16;
		ig->bad = xrealloc(ig->bad, ig->badcap * sizeof(*ig->bad));
	}
	b = &ig->bad[ig->nbad++];
	b->object = xstrdup(object);
	b->account = xstrdup(account);
	b->region = xstrdup(region);
	b->why = xstrdup(why ? why : "");
	b->is_digest = is_digest;
	b->verdict = verdict;
}

int
ct_integ_next_bad(struct ct_integ *ig, struct ct_integ_bad *out)
{
	const struct badrec *b;

	if (ig->baddrained >= ig->nbad)
		return 0;
	b = &ig->bad[ig->baddrained++];
	out->object = b->object;
	out->account = b->account;
	out->region = b->region;
	out->is_digest = b->is_digest;
	out->verdict = b->verdict;
	out->why = b->why;
	return 1;
}

void
ct_integ_counts(const struct ct_integ *ig, const char *account,
    const char *region, struct ct_integ_counts *out)
{
	struct ct_buf k;
	struct ct_strmap_entry *e;

	ct_buf_init(&k, 0);
	ct_buf_printf(&k, "%s\n%s", account, region);
	e = ct_strmap_find(ig->counts, k.data, k.len);
	ct_buf_free(&k);
	if (e != NULL && e->val.ptr != NULL)
		*out = *(const struct ct_integ_counts *)e->val.ptr;
	else
		memset(out, 0, sizeof(*out));
}

int
ct_integ_next_stream(const struct ct_integ *ig, size_t *iter,
    char account[64], char region[64], struct ct_integ_counts *out)
{
	struct ct_strmap_entry *e = ct_strmap_next(ig->counts, iter);
	const char *nl;

	if (e == NULL)
		return 0;
	nl = strchr(e->key, '\n');
	snprintf(account, 64, "%.*s", (int)(nl - e->key), e->key);
	snprintf(region, 64, "%s", nl + 1);
	*out = *(const struct ct_integ_counts *)e->val.ptr;
	return 1;
}

/* ---- digests ------------------------------------------------------ */

static struct dg *
dg_new(struct ct_integ *ig, const char *name, const char *object,
    const char *key)
{
	struct dg *g = xcalloc(1, sizeof(*g));
	struct ct_strmap_entry *e;
	int is_digest;

	g->object = xstrdup(object);
	(void)ct_integ_parse_key(key, g->account, g->region, &g->stamp,
	    &is_digest);
	ig->dg = xrealloc(ig->dg, (ig->ndg + 1) * sizeof(*ig->dg));
	ig->dg[ig->ndg++] = g;
	e = ct_strmap_insert(ig->dgmap, name, strlen(name), NULL);
	e->val.u64 = ig->ndg;
	return g;
}

static void
dg_set(struct dg *g, int verdict, const char *why)
{
	g->verdict = verdict;
	free(g->why);
	g->why = xstrdup(why);
}

void
ct_integ_add_digest(struct ct_integ *ig, const char *bucket,
    const char *key, const char *text, size_t n, const char *sig_hex,
    const char *sig_alg)
{
	struct ct_buf name, why, obj;
	struct dg *g;

	if (ig->sealed)
		return;
	ct_buf_init(&name, 0);
	ct_buf_init(&why, 512);
	ct_buf_init(&obj, 0);
	name_of(ig, bucket, key, &name);
	if (ct_strmap_find(ig->dgmap, name.data, name.len) != NULL)
		goto out;	/* added twice: the first stands */
	if (bucket != NULL)
		ct_buf_printf(&obj, "s3://%s/%s", bucket, key);
	else
		ct_buf_adds(&obj, key);
	g = dg_new(ig, name.data, obj.data, key);
	if (text == NULL) {
		dg_set(g, CT_DIGV_UNREADABLE, "the digest could not be read");
		goto out;
	}
	if (ct_digest_parse(text, n, &g->d, &why) != 0) {
		ct_digest_free(&g->d);
		dg_set(g, CT_DIGV_UNREADABLE, why.data ? why.data : "?");
		goto out;
	}
	g->parsed = 1;
	if (g->d.account_id != NULL && g->account[0] == '\0')
		snprintf(g->account, sizeof(g->account), "%s",
		    g->d.account_id);
	if (sig_hex != NULL && ig->mode != CT_SIG_NOT_CHECKED)
		g->sig = xstrdup(sig_hex);
	/* Where it was found must be where it says it belongs. */
	if ((ig->flags & CT_INTEG_NO_BUCKET) ?
	    strcmp(tree_cut(g->d.object), name.data) != 0 :
	    strcmp(g->d.bucket, bucket ? bucket : "") != 0 ||
	    strcmp(g->d.object, key) != 0) {
		dg_set(g, CT_DIGV_INVALID_SIGNATURE, "the digest has been "
		    "moved from its original location");
		goto out;
	}
	if (ig->mode != CT_SIG_NOT_CHECKED) {
		const struct ct_pubkey *pk;
		int vr;

		if (sig_hex == NULL) {
			dg_set(g, CT_DIGV_UNREADABLE, "the digest has no "
			    "signature");
			goto out;
		}
		pk = ct_pubkeys_find(&ig->keys, g->d.fingerprint);
		if (pk == NULL) {
			dg_set(g, CT_DIGV_INVALID_SIGNATURE, "no public key "
			    "with the digest's fingerprint");
			goto out;
		}
		vr = ct_digest_verify(&g->d, sig_hex, sig_alg, pk->der,
		    pk->dern, &why);
		if (vr != 0) {
			dg_set(g, CT_DIGV_INVALID_SIGNATURE, vr > 0 && why.data ?
			    why.data : "the signature cannot be checked");
			goto out;
		}
	}
	g->verdict = CT_DIGV_VALID;
out:
	ct_buf_free(&name);
	ct_buf_free(&why);
	ct_buf_free(&obj);
}

static struct dg *
dg_find(const struct ct_integ *ig, const char *name, size_t n)
{
	struct ct_strmap_entry *e = ct_strmap_find(ig->dgmap, name, n);

	return e != NULL ? ig->dg[e->val.u64 - 1] : NULL;
}

/* The window of account/region: the one given, or in a tree the span of
 * that stream's own digests. */
static void
window_of(const struct ct_integ *ig, const char *account, const char *region,
    int64_t *ws, int64_t *we)
{
	struct ct_strmap_entry *e;
	struct ct_buf k;

	*ws = ig->start;
	*we = ig->end;
	if (!(ig->flags & CT_INTEG_NO_BUCKET))
		return;
	ct_buf_init(&k, 0);
	ct_buf_printf(&k, "%s\n%s", account, region);
	if ((e = ct_strmap_find(ig->earliest, k.data, k.len)) != NULL)
		*ws = e->val.i64;
	if ((e = ct_strmap_find(ig->newest, k.data, k.len)) != NULL)
		*we = e->val.i64 - 1;
	ct_buf_free(&k);
}

void
ct_integ_window(const struct ct_integ *ig, const char *account,
    const char *region, int64_t *start, int64_t *end)
{
	window_of(ig, account, region, start, end);
}

/* Check the link of g (readable, not bad) to the digest it names. */
static void
check_link(struct ct_integ *ig, struct dg *g, struct ct_buf *name)
{
	struct dg *p;

	if (g->d.prev_object == NULL)
		return;
	name_of(ig, g->d.prev_bucket, g->d.prev_object, name);
	p = dg_find(ig, name->data, name->len);
	if (p == NULL) {
		char a[64], r[64];
		int64_t t;
		int isd;
		struct ct_buf obj;
		int64_t ws, we;

		(void)ct_integ_parse_key(g->d.prev_object, a, r, &t, &isd);
		window_of(ig, g->account, g->region, &ws, &we);
		if (t != INT64_MIN && t <= ws)
			return;		/* before the window: not read */
		ct_buf_init(&obj, 0);
		ct_buf_printf(&obj, "s3://%s/%s", g->d.prev_bucket ?
		    g->d.prev_bucket : "", g->d.prev_object);
		p = dg_new(ig, name->data, obj.data, g->d.prev_object);
		ct_buf_free(&obj);
		dg_set(p, CT_DIGV_MISSING, "named by its successor, absent");
		return;
	}
	if (!p->parsed || p->verdict != CT_DIGV_VALID)
		return;
	if (g->d.has_prev_hash && memcmp(g->d.prev_hash, p->d.sha256, 32)) {
		dg_set(p, CT_DIGV_INVALID_SIGNATURE, "its SHA-256 differs "
		    "from its successor's previousDigestHashValue");
		return;
	}
	if (g->d.prev_signature != NULL && p->sig != NULL &&
	    strcasecmp(g->d.prev_signature, p->sig) != 0)
		dg_set(p, CT_DIGV_INVALID_SIGNATURE, "its signature differs "
		    "from its successor's previousDigestSignature");
}

static void
list_logs(struct ct_integ *ig, const struct dg *g, struct ct_buf *name)
{
	size_t i;

	for (i = 0; i < g->d.nlogs; i++) {
		const struct ct_digest_log *l = &g->d.logs[i];
		struct ct_strmap_entry *e;
		struct listed *x;
		int added, isd;

		name_of(ig, l->bucket, l->object, name);
		e = ct_strmap_insert(ig->listed, name->data, name->len, &added);
		if (added) {
			struct ct_buf obj;

			x = e->val.ptr = xcalloc(1, sizeof(*x));
			ct_buf_init(&obj, 0);
			ct_buf_printf(&obj, "s3://%s/%s", l->bucket, l->object);
			x->object = xstrdup(obj.data);
			ct_buf_free(&obj);
			(void)ct_integ_parse_key(l->object, x->account,
			    x->region, &x->stamp, &isd);
		}
		x = e->val.ptr;
		if (g->verdict == CT_DIGV_VALID && !x->good) {
			x->good = 1;
			memcpy(x->hash, l->hash, 32);
		}
	}
}

void
ct_integ_seal(struct ct_integ *ig)
{
	struct ct_buf name;
	size_t i, n;

	if (ig->sealed)
		return;
	ig->sealed = 1;
	ct_buf_init(&name, 0);
	for (i = 0; i < ig->ndg; i++) {
		struct dg *g = ig->dg[i];
		struct ct_strmap_entry *e;
		int64_t end = g->parsed ? g->d.end : g->stamp;
		int added;

		ct_buf_reset(&name);
		ct_buf_printf(&name, "%s\n%s", g->account, g->region);
		if (end != INT64_MIN) {
			e = ct_strmap_insert(ig->newest, name.data, name.len,
			    NULL);
			if (e->val.i64 == 0 || end + 1 > e->val.i64)
				e->val.i64 = end + 1;
		}
		if (g->parsed) {
			e = ct_strmap_insert(ig->earliest, name.data, name.len,
			    &added);
			if (added || g->d.start < e->val.i64)
				e->val.i64 = g->d.start;
		}
	}
	n = ig->ndg;	/* check_link appends the missing ones */
	for (i = 0; i < n; i++)
		if (ig->dg[i]->parsed && ig->dg[i]->verdict == CT_DIGV_VALID)
			check_link(ig, ig->dg[i], &name);
	for (i = 0; i < ig->ndg; i++) {
		struct dg *g = ig->dg[i];
		struct ct_integ_counts *c = counts_of(ig, g->account,
		    g->region);

		c->digest[g->verdict]++;
		if (g->verdict != CT_DIGV_VALID)
			queue_bad(ig, g->object, g->account, g->region, 1,
			    g->verdict, g->why);
		if (g->parsed)
			list_logs(ig, g, &name);
	}
	ct_buf_free(&name);
}

/* ---- log files ---------------------------------------------------- */

enum ct_logv
ct_integ_log(struct ct_integ *ig, const char *bucket, const char *key,
    const unsigned char *sha256, int64_t delivered)
{
	struct ct_buf name, obj;
	struct ct_strmap_entry *e;
	struct listed *x;
	char account[64], region[64];
	int64_t stamp;
	int isd, v;
	const char *why = NULL;

	if (!ig->sealed)
		ct_integ_seal(ig);
	ct_buf_init(&name, 0);
	name_of(ig, bucket, key, &name);
	if ((e = ct_strmap_find(ig->fed, name.data, name.len)) != NULL) {
		ct_buf_free(&name);
		return (enum ct_logv)(e->val.u64 - 1);
	}
	(void)ct_integ_parse_key(key, account, region, &stamp, &isd);
	e = ct_strmap_find(ig->listed, name.data, name.len);
	x = e != NULL ? e->val.ptr : NULL;
	if (x != NULL && x->good) {
		x->fed = 1;
		if (sha256 == NULL) {
			v = CT_LOGV_MODIFIED;
			why = "it could not be read whole";
		} else if (memcmp(sha256, x->hash, 32) != 0) {
			v = CT_LOGV_MODIFIED;
			why = "its SHA-256 differs from its digest's";
		} else
			v = CT_LOGV_VALID;
	} else if (x != NULL) {
		x->fed = 1;
		v = CT_LOGV_NOT_COVERED;
		why = "listed only by a bad digest";
	} else {
		struct ct_buf k;
		int64_t t = delivered != INT64_MIN ? delivered : stamp;
		int64_t slack = delivered != INT64_MIN ? 0 :
		    CT_INTEG_DELIVERY_SLACK;

		ct_buf_init(&k, 0);
		ct_buf_printf(&k, "%s\n%s", account, region);
		e = ct_strmap_find(ig->newest, k.data, k.len);
		ct_buf_free(&k);
		if (e == NULL)
			v = CT_LOGV_PENDING;
		else if (t != INT64_MIN && t + slack >= e->val.i64 - 1)
			v = CT_LOGV_PENDING;
		else {
			v = CT_LOGV_NOT_COVERED;
			why = "no digest lists it";
		}
	}
	e = ct_strmap_insert(ig->fed, name.data, name.len, NULL);
	e->val.u64 = (uint64_t)v + 1;
	counts_of(ig, account, region)->log[v]++;
	if (why != NULL) {
		ct_buf_init(&obj, 0);
		if (bucket != NULL)
			ct_buf_printf(&obj, "s3://%s/%s", bucket, key);
		else
			ct_buf_adds(&obj, key);
		queue_bad(ig, obj.data, account, region, 0, v, why);
		ct_buf_free(&obj);
	}
	ct_buf_free(&name);
	return (enum ct_logv)v;
}

void
ct_integ_finish(struct ct_integ *ig)
{
	struct ct_strmap_entry **all;
	size_t i, n;

	if (ig->finished)
		return;
	if (!ig->sealed)
		ct_integ_seal(ig);
	ig->finished = 1;
	/* Sorted, so the queue's order does not depend on the hash seed. */
	all = ct_strmap_sorted(ig->listed, &n);
	for (i = 0; i < n; i++) {
		struct listed *x = all[i]->val.ptr;
		int64_t ws, we;

		if (!x->good || x->fed)
			continue;
		window_of(ig, x->account, x->region, &ws, &we);
		if (x->stamp != INT64_MIN && (x->stamp < ws || x->stamp >= we))
			continue;
		counts_of(ig, x->account, x->region)->log[CT_LOGV_MISSING]++;
		queue_bad(ig, x->object, x->account, x->region, 0,
		    CT_LOGV_MISSING, "listed by a digest, absent");
	}
	free(all);
}

/* ---- control records ---------------------------------------------- */

static void
jstr(struct ct_buf *b, const char *s)
{
	ct_jstr_encode(b, s, strlen(s));
}

void
ct_integ_write_bad(struct ct_buf *b, const struct ct_integ_bad *x,
    uint64_t records)
{
	ct_buf_adds(b, "{\"ctFetch\":\"integrity\",\"version\":1,\"accountId\":");
	jstr(b, x->account);
	ct_buf_adds(b, ",\"region\":");
	jstr(b, x->region);
	ct_buf_printf(b, ",\"kind\":\"%s\",\"verdict\":\"%s\",\"object\":",
	    x->is_digest ? "digest" : "log", x->is_digest ?
	    ct_digv_name(x->verdict) : ct_logv_name(x->verdict));
	jstr(b, x->object);
	if (!x->is_digest && (x->verdict == CT_LOGV_MODIFIED ||
	    x->verdict == CT_LOGV_NOT_COVERED))
		ct_buf_printf(b, ",\"records\":%llu",
		    (unsigned long long)records);
	ct_buf_adds(b, "}\n");
}

void
ct_integ_write_verified(struct ct_buf *b, const struct ct_integ *ig,
    const char *account, const char *region, uint64_t excluded,
    uint64_t flagged)
{
	struct ct_integ_counts cc, *c = &cc;
	int64_t ws, we;
	char t0[21], t1[21];
	int i;

	ct_integ_counts(ig, account, region, c);
	ct_integ_window(ig, account, region, &ws, &we);
	if (ct_time_format_iso(ws, t0) != 0)
		t0[0] = '\0';
	if (ct_time_format_iso(we, t1) != 0)
		t1[0] = '\0';
	ct_buf_adds(b, "{\"ctFetch\":\"verified\",\"version\":1,\"accountId\":");
	jstr(b, account);
	ct_buf_adds(b, ",\"region\":");
	jstr(b, region);
	ct_buf_printf(b, ",\"window\":{\"start\":\"%s\",\"end\":\"%s\"},"
	    "\"signatures\":\"%s\",\"logFiles\":{", t0, t1,
	    ct_sigmode_name(ig->mode));
	for (i = 0; i < CT_LOGV_N; i++)
		ct_buf_printf(b, "%s\"%s\":%llu", i ? "," : "",
		    ct_logv_name((enum ct_logv)i),
		    (unsigned long long)c->log[i]);
	ct_buf_adds(b, "},\"digests\":{");
	for (i = 0; i < CT_DIGV_N; i++)
		ct_buf_printf(b, "%s\"%s\":%llu", i ? "," : "",
		    ct_digv_name((enum ct_digv)i),
		    (unsigned long long)c->digest[i]);
	ct_buf_printf(b, "},\"recordsExcluded\":%llu,\"recordsFlagged\":%llu}\n",
	    (unsigned long long)excluded, (unsigned long long)flagged);
}

