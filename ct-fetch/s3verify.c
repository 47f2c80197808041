/* s3verify.c - ct-fetch --verify on the S3 source: see s3verify.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zlib.h>

#include "aws.h"
#include "buf.h"
#include "digest.h"
#include "integrity.h"
#include "jstr.h"
#include "s3verify.h"
#include "timefmt.h"
#include "xalloc.h"

#define DAY		86400
#define DIGEST_TEXT_MAX	CT_DIGEST_MAX_SIZE	/* inflated digest bytes */
#define KEY_PAGES_MAX	100			/* ListPublicKeys pages */
#define LISTKEYS_TARGET \
	"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListPublicKeys"

/* The public keys of one region, asked once for every stream of it. */
struct regkeys {
	struct regkeys		*next;
	char			*region;
	int			 done;		/* asked: keys or err below */
	struct ct_pubkeys	 keys;
	struct ct_aws_error	 err;
};

struct s3v_unit {
	struct s3v_unit		*next;
	struct s3v		*v;
	struct region		*r;
	char			*account;
	char			*folder;	/* ".../CloudTrail-Digest/R/" */
	struct ct_integ		*eng;		/* the verdict engine */
	int			 settled;
	uint64_t		 excluded, flagged;
};

struct s3v {
	struct fetch		*f;
	const char		*bucket;
	struct s3v_unit		*units;
	struct regkeys		*keys;
};

struct s3v *
s3v_new(struct fetch *f, const char *bucket)
{
	struct s3v *v = xcalloc(1, sizeof(*v));

	v->f = f;
	v->bucket = bucket;
	return v;
}

void
s3v_free(struct s3v *v)
{
	if (v == NULL)
		return;
	while (v->units != NULL) {
		struct s3v_unit *u = v->units;

		v->units = u->next;
		ct_integ_free(u->eng);
		free(u->account);
		free(u->folder);
		free(u);
	}
	while (v->keys != NULL) {
		struct regkeys *k = v->keys;

		v->keys = k->next;
		ct_pubkeys_free(&k->keys);
		free(k->region);
		free(k);
	}
	free(v);
}

struct s3v_unit *
s3v_unit_new(struct s3v *v, struct region *r, const char *account,
    const char *digest_folder)
{
	struct s3v_unit *u = xcalloc(1, sizeof(*u));

	u->v = v;
	u->r = r;
	u->account = xstrdup(account);
	u->folder = xstrdup(digest_folder);
	/* the window as the start and end records say it (there the end is
	 * inclusive: a file named at that very second is read and judged,
	 * but its absence is not one) */
	u->eng = ct_integ_new(CT_SIG_CHECKED, v->f->start, v->f->end, 0);
	u->next = v->units;
	v->units = u;
	return u;
}

/* ---- what to read ------------------------------------------------------ */

/*
 * A digest is named by the end of its hour and delivered after it; the log
 * files of the window are listed from its first day to the day after its
 * end (s3src.c), so their digests are in those folders or the next one.
 * The digests of the two hours before the window are read too: the one
 * whose hour covers the start, and the link the first digest of the
 * window is checked against.  Older ones are not fetched.
 */
#define DIGEST_BEFORE	(2 * 3600)

void
s3v_plan(struct s3v_unit *u, void (*fn)(void *, const char *), void *arg)
{
	const struct fetch *f = u->v->f;
	int64_t d, d0 = (f->start - DIGEST_BEFORE) / DAY, d1 = f->end / DAY + 2,
	    y;
	unsigned m, dd;
	char pfx[2048];

	for (d = d0; d <= d1; d++) {
		ct_civil_from_days(d, &y, &m, &dd);
		snprintf(pfx, sizeof(pfx), "%s%04" PRId64 "/%02u/%02u/",
		    u->folder, y, m, dd);
		fn(arg, pfx);
	}
}

/* ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHMMSSZ.json.gz
 * directly in the folder listed. */
int
s3v_is_digest(const struct s3v_unit *u, const char *prefix, const char *key)
{
	size_t lp = strlen(prefix), la = strlen(u->account), lr, n;
	const char *name = key + lp;

	if (strncmp(key, prefix, lp) != 0 || strchr(name, '/') != NULL)
		return 0;
	n = strlen(name);
	lr = strlen(u->r->name);
	if (n < la + 19 + lr + 1 + 16 + 8 ||
	    strncmp(name, u->account, la) != 0 ||
	    strncmp(name + la, "_CloudTrail-Digest_", 19) != 0 ||
	    strncmp(name + la + 19, u->r->name, lr) != 0 ||
	    name[la + 19 + lr] != '_' ||
	    strcmp(name + n - 9, "Z.json.gz") != 0)
		return 0;
	{
		char acc[64], reg[64];
		int64_t stamp;
		int dg;

		/* an unreadable stamp: read, the engine judges it */
		if (ct_integ_parse_key(key, acc, reg, &stamp, &dg) == 0 &&
		    stamp != INT64_MIN && stamp < u->v->f->start -
		    DIGEST_BEFORE)
			return 0;
	}
	return 1;
}

/* ---- a digest's answer ------------------------------------------------- */

void
s3v_header(struct s3v_meta *m, const char *p, size_t n)
{
	if (!ct_http_header_value(p, n, "x-amz-meta-signature:", m->signature,
	    sizeof(m->signature), &m->too_long))
		(void)ct_http_header_value(p, n, "x-amz-meta-signature-algorithm:",
		    m->algorithm, sizeof(m->algorithm), &m->too_long);
}

/* gzip (one or more members) into out, capped.  0, or -1. */
static int
gunzip(const void *gz, size_t n, struct ct_buf *out)
{
	z_stream z;
	unsigned char chunk[65536];
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)n;
	if ((size_t)z.avail_in != n) {
		inflateEnd(&z);
		return -1;
	}
	for (;;) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		if (ct_buf_add(out, chunk, sizeof(chunk) - z.avail_out) != 0) {
			zr = Z_MEM_ERROR;
			break;
		}
		if (zr == Z_STREAM_END) {
			if (z.avail_in == 0)
				break;
			if (inflateReset(&z) != Z_OK) {
				zr = Z_DATA_ERROR;
				break;
			}
		} else if (z.avail_in == 0 && z.avail_out != 0)
			break;		/* cut short */
	}
	inflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : -1;
}

void
s3v_digest(struct s3v_unit *u, const char *key, const void *gz, size_t n,
    const struct s3v_meta *m)
{
	struct ct_buf text;
	const char *sig = m->signature[0] != '\0' && !m->too_long ?
	    m->signature : NULL;

	ct_buf_init(&text, DIGEST_TEXT_MAX);
	if (gunzip(gz != NULL ? gz : "", n, &text) != 0)
		ct_integ_add_digest(u->eng, u->v->bucket, key, NULL, 0, sig,
		    NULL);
	else
		ct_integ_add_digest(u->eng, u->v->bucket, key,
		    text.data != NULL ? text.data : "", text.len, sig,
		    m->algorithm[0] != '\0' ? m->algorithm : NULL);
	ct_buf_free(&text);
}

/* ---- public keys ------------------------------------------------------- */

/* ListPublicKeys over [from, to] in region, every page, into k. */
static int
list_keys(struct fetch *f, struct regkeys *k, int64_t from, int64_t to)
{
	struct ct_aws *c;
	struct ct_buf body, out, why;
	char *token = NULL;
	int pages, rc = 0;

	if ((c = ct_aws_new(f->ctx, k->region, &k->err)) == NULL)
		return -1;
	ct_aws_set_abort(c, &fetch_stop);
	ct_buf_init(&body, 1 << 20);
	ct_buf_init(&out, 0);
	ct_buf_init(&why, 0);
	for (pages = 0; pages < KEY_PAGES_MAX; pages++) {
		ct_buf_reset(&body);
		ct_buf_reset(&out);
		ct_buf_printf(&body, "{\"StartTime\": %lld, \"EndTime\": %lld",
		    (long long)from, (long long)to);
		if (token != NULL) {
			ct_buf_adds(&body, ", \"NextToken\": ");
			ct_jstr_encode(&body, token, strlen(token));
		}
		ct_buf_addc(&body, '}');
		free(token);
		token = NULL;
		if (ct_aws_call_json(c, "cloudtrail", LISTKEYS_TARGET,
		    body.data, body.len, 1, &out, &k->err) != 0) {
			rc = -1;
			break;
		}
		ct_buf_reset(&why);
		if (ct_pubkeys_parse(out.data ? out.data : "", out.len,
		    &k->keys, &why) != 0) {
			ct_awserr_set(&k->err, CT_AWS_RETRYABLE,
			    "InvalidResponse", "cloudtrail ListPublicKeys "
			    "(%s): %s", k->region, why.data ? why.data : "");
			rc = -1;
			break;
		}
		if (k->keys.next_token == NULL)
			break;
		token = xstrdup(k->keys.next_token);
	}
	free(token);
	ct_buf_free(&body);
	ct_buf_free(&out);
	ct_buf_free(&why);
	ct_aws_free(c);
	return rc;
}

int
s3v_keys(struct s3v_unit *u, struct ct_aws_error *e)
{
	struct s3v *v = u->v;
	struct fetch *f = v->f;
	struct regkeys *k;
	int64_t from = (f->start / DAY - 1) * DAY,
	    to = (f->end / DAY + 3) * DAY, now = (int64_t)time(NULL);
	size_t i;

	for (k = v->keys; k != NULL; k = k->next)
		if (strcmp(k->region, u->r->name) == 0)
			break;
	if (k == NULL) {
		k = xcalloc(1, sizeof(*k));
		k->region = xstrdup(u->r->name);
		ct_pubkeys_init(&k->keys);
		k->next = v->keys;
		v->keys = k;
	}
	if (!k->done)
		k->done = list_keys(f, k, from, to < now ? to : now) == 0 ?
		    1 : -1;
	if (k->done < 0) {
		*e = k->err;
		return -1;
	}
	for (i = 0; i < k->keys.n; i++)
		ct_integ_add_key(u->eng, &k->keys.v[i]);
	return 0;
}

void
s3v_seal(struct s3v_unit *u)
{
	ct_integ_seal(u->eng);
	u->settled = 1;
}

/* ---- control records --------------------------------------------------- */

/* One `integrity` record and one stderr line for a bad verdict; records
 * < 0: none. */
static int
bad_object(struct s3v_unit *u, const struct ct_integ_bad *bad,
    int64_t records)
{
	struct fetch *f = u->v->f;
	struct ct_buf b;
	char shown[600];
	const char *vname = bad->is_digest ? ct_digv_name(bad->verdict) :
	    ct_logv_name(bad->verdict);
	int rc;

	ct_buf_init(&b, 0);
	ct_integ_write_bad(&b, bad, records >= 0 ? (uint64_t)records : 0);
	rc = out_control(f, b.data, b.len);
	ct_buf_free(&b);
	pthread_mutex_lock(&f->lock);
	f->tampered = 1;
	pthread_mutex_unlock(&f->lock);
	/* names from the bucket, shown safely */
	ct_awserr_clean(shown, sizeof(shown), bad->object,
	    strlen(bad->object));
	if (records >= 0)
		msg(f, PROG ": %s %s: %s file %s: %s (%" PRId64 " records %s)",
		    u->account, u->r->name, bad->is_digest ? "digest" : "log",
		    shown, vname, records, bad->verdict == CT_LOGV_MODIFIED ?
		    "not written" : "written, flagged");
	else {
		char why[300];

		ct_awserr_clean(why, sizeof(why), bad->why ? bad->why : "",
		    bad->why ? strlen(bad->why) : 0);
		msg(f, PROG ": %s %s: %s file %s: %s%s%s", u->account,
		    u->r->name, bad->is_digest ? "digest" : "log", shown, vname,
		    why[0] ? ": " : "", why);
	}
	return rc;
}

/* Write every bad object settled so far; the log file named obj (if any)
 * with its records.  0, or -1: stdout failed. */
static int
drain(struct s3v_unit *u, const char *obj, int64_t records)
{
	struct ct_integ_bad bad;
	int rc = 0;

	while (ct_integ_next_bad(u->eng, &bad))
		if (bad_object(u, &bad, obj != NULL && !bad.is_digest &&
		    strcmp(bad.object, obj) == 0 ? records : -1) != 0)
			rc = -1;
	return rc;
}

int
s3v_log(struct s3v_unit *u, const char *key, const unsigned char *sha256,
    uint64_t records)
{
	struct ct_buf obj;
	enum ct_logv vd;
	int rc;

	if (!u->settled)
		return 0;
	vd = ct_integ_log(u->eng, u->v->bucket, key, sha256, INT64_MIN);
	if (vd == CT_LOGV_MODIFIED)
		u->excluded += records;
	else if (vd == CT_LOGV_NOT_COVERED || vd == CT_LOGV_PENDING)
		u->flagged += records;
	ct_buf_init(&obj, 0);
	ct_buf_printf(&obj, "s3://%s/%s", u->v->bucket, key);
	rc = drain(u, obj.data, (int64_t)records);
	ct_buf_free(&obj);
	if (rc != 0)
		return -1;
	return vd == CT_LOGV_MODIFIED;
}

int
s3v_end(struct s3v_unit *u)
{
	struct fetch *f = u->v->f;
	struct ct_buf b;
	int rc;

	if (!u->settled)
		return 0;
	ct_integ_finish(u->eng);
	rc = drain(u, NULL, -1);
	ct_buf_init(&b, 0);
	ct_integ_write_verified(&b, u->eng, u->account, u->r->name, u->excluded,
	    u->flagged);
	if (out_control(f, b.data, b.len) != 0)
		rc = -1;
	ct_buf_free(&b);
	return rc;
}
