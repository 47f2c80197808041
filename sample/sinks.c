/*
 * sinks.c - where records go: files, the gzip'd S3 archive tree and its
 * digest files, and `aws cloudtrail lookup-events` pages.
 *
 * The S3 tree is laid out as CloudTrail writes it (AWSLogs/<account>/
 * CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_
 * <random>.json.gz, one file per region per 5-15 minutes, a digest per
 * region per day), since ct-aggregate and the cookbook read such trees.
 * One z_stream is reset for every file: a sample has tens of thousands of
 * small files and deflateInit costs more than most of them.  Names and
 * windows draw from their own PRNG stream, so they never shift the
 * records.  A lookup page is built oldest first, as the records come, and
 * written newest first, as the AWS CLI prints it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <zlib.h>

#include "sample.h"
#include "timefmt.h"

FILE *
xfopen(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (f == NULL)
		die_errno("cannot open", path);
	return f;
}

void
xwrite(FILE *f, const void *p, size_t n, const char *name)
{
	if (n && fwrite(p, 1, n, f) != n)
		die_errno("write error on", name);
}

void
xclose(FILE *f, const char *name)
{
	if (fclose(f) != 0)
		die_errno("write error on", name);
}

void
mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			die_errno("cannot create", path);
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die_errno("cannot create", path);
}

struct gz {
	z_stream	 z;
	int		 level;
	struct ct_buf	 out;
};

static void
gz_write_file(struct gz *gz, const char *path, const char *p, size_t n,
    int truncate)
{
	FILE *f;
	int rc;

	put_cut(&gz->out, 0);
	(void)put_room(&gz->out, deflateBound(&gz->z, (uLong)n) + 64);
	if (deflateReset(&gz->z) != Z_OK)
		die("zlib: deflateReset failed");
	gz->z.next_in = (Bytef *)(uintptr_t)p;
	gz->z.avail_in = (uInt)n;
	gz->z.next_out = (Bytef *)gz->out.data;
	gz->z.avail_out = (uInt)(gz->out.size - 1);
	rc = deflate(&gz->z, Z_FINISH);
	if (rc != Z_STREAM_END)
		die("zlib: deflate failed");
	gz->out.len = gz->out.size - 1 - gz->z.avail_out;
	if (truncate)
		gz->out.len = gz->out.len * 2 / 3;
	f = xfopen(path, "wb");
	xwrite(f, gz->out.data, gz->out.len, path);
	xclose(f, path);
}

/* One region's open S3 log file. */
struct s3file {
	struct ct_buf	 body;		/* {"Records":[ ... */
	uint64_t	 n;
	int64_t		 first, last, until;
	int64_t		 digest_day;	/* last day a digest was written */
	char		 dir[2][4096];	/* last folders made: logs, digests */
};

struct s3 {
	const char	*root;
	struct gz	 gz;
	struct rng	 r;		/* names and windows */
	struct s3file	 f[MAX_REGIONS];
	struct bad	*bad;
	int		 nregions;
	uint64_t	 files, digests;
};

static void
s3_stamp(char *dst, size_t n, int64_t t, int secs)
{
	struct tm6 c;

	civil(t, &c);
	if (secs)
		snprintf(dst, n, "%04d%02d%02dT%02d%02d%02dZ", c.y, c.mo, c.d,
		    c.h, c.mi, c.s);
	else
		snprintf(dst, n, "%04d%02d%02dT%02d%02dZ", c.y, c.mo, c.d,
		    c.h, c.mi);
}

static void
s3_dir(char *dst, size_t n, const struct s3 *s, const struct world *w,
    const char *kind, const char *region, int64_t t)
{
	struct tm6 c;

	civil(t, &c);
	if ((size_t)snprintf(dst, n, "%s/AWSLogs/%s/%s/%s/%04d/%02d/%02d",
	    s->root, w->account, kind, region, c.y, c.mo, c.d) >= n)
		die("path too long");
}

static void
s3_digest(struct s3 *s, const struct world *w, int reg, const char *logkey,
    int64_t first, int64_t last, int64_t end)
{
	char dir[4096], path[4600], stamp[32];
	struct ct_buf d;

	ct_buf_init(&d, 0);
	s3_dir(dir, sizeof(dir), s, w, "CloudTrail-Digest", w->regions[reg], end);
	if (strcmp(dir, s->f[reg].dir[1]) != 0) {
		mkdirs(dir);
		memcpy(s->f[reg].dir[1], dir, sizeof(dir));
	}
	s3_stamp(stamp, sizeof(stamp), end, 1);
	snprintf(path, sizeof(path),
	    "%s/%s_CloudTrail-Digest_%s_management-events_%s_%s.json.gz", dir,
	    w->account, w->regions[reg], w->regions[w->global], stamp);
	put(&d, "{\"awsAccountId\":\""); put(&d, w->account);
	put(&d, "\",\"digestStartTime\":"); put_qiso(&d, end - 3600);
	put(&d, ",\"digestEndTime\":"); put_qiso(&d, end);
	put(&d, ",\"digestS3Bucket\":\"cloudtrail-logs-"); put(&d, w->account);
	put(&d, "\",\"digestS3Object\":\"AWSLogs/"); put(&d, w->account);
	put(&d, "/CloudTrail-Digest/"); put(&d, w->regions[reg]);
	put(&d, "/"); put(&d, strrchr(dir, '/') - 8 + 1);
	put(&d, "/"); put(&d, strrchr(path, '/') + 1);
	put(&d, "\",\"digestPublicKeyFingerprint\":\"");
	put_hex(&d, &s->r, 32);
	put(&d, "\",\"digestSignatureAlgorithm\":\"SHA256withRSA\","
	    "\"newestEventTime\":"); put_qiso(&d, last);
	put(&d, ",\"oldestEventTime\":"); put_qiso(&d, first);
	put(&d, ",\"previousDigestS3Bucket\":null,\"previousDigestS3Object\":null,"
	    "\"previousDigestHashValue\":null,\"previousDigestHashAlgorithm\":null,"
	    "\"previousDigestSignature\":null,\"logFiles\":[{\"s3Bucket\":"
	    "\"cloudtrail-logs-"); put(&d, w->account);
	put(&d, "\",\"s3Object\":\""); put(&d, logkey);
	put(&d, "\",\"hashValue\":\""); put_hex(&d, &s->r, 64);
	put(&d, "\",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":");
	put_qiso(&d, last);
	put(&d, ",\"oldestEventTime\":"); put_qiso(&d, first);
	put(&d, "}]}");
	gz_write_file(&s->gz, path, d.data, d.len, 0);
	ct_buf_free(&d);
	s->digests++;
}

static void
s3_flush(struct s3 *s, const struct world *w, int reg)
{
	struct s3file *f = &s->f[reg];
	char dir[4096], path[4600], stamp[32], rnd[17];
	int trunc = 0;

	if (f->n == 0)
		return;
	put(&f->body, "]}");
	s3_dir(dir, sizeof(dir), s, w, "CloudTrail", w->regions[reg], f->until);
	if (strcmp(dir, f->dir[0]) != 0) {
		mkdirs(dir);
		memcpy(f->dir[0], dir, sizeof(dir));
	}
	s3_stamp(stamp, sizeof(stamp), f->until, 0);
	for (int i = 0; i < 16; i++)
		rnd[i] = ALNUM[rng_below(&s->r, 62)];
	rnd[16] = '\0';
	snprintf(path, sizeof(path), "%s/%s_CloudTrail_%s_%s_%s.json.gz", dir,
	    w->account, w->regions[reg], stamp, rnd);
	if (s->bad && s->bad->per_million &&
	    rng_below(&s->bad->r, 1000000) < s->bad->per_million) {
		s->bad->count++;
		trunc = 1;
	}
	gz_write_file(&s->gz, path, f->body.data, f->body.len, trunc);
	s->files++;
	if (f->until / 86400 != f->digest_day) {
		f->digest_day = f->until / 86400;
		s3_digest(s, w, reg, path + strlen(s->root) + 1, f->first,
		    f->last, f->until + 3600 - f->until % 3600);
	}
	f->n = 0;
	put_cut(&f->body, 0);
}

void
s3_add(struct s3 *s, const struct world *w, int reg, int64_t t,
    const char *rec, size_t n)
{
	struct s3file *f = &s->f[reg];

	if (f->n && t >= f->until)
		s3_flush(s, w, reg);
	if (f->n == 0) {
		f->first = t;
		f->until = t + 300 + (int64_t)rng_below(&s->r, 601);
		put(&f->body, "{\"Records\":[");
	} else
		put_c(&f->body, ',');
	put_n(&f->body, rec, n);
	f->last = t;
	f->n++;
}


struct s3 *
s3_open(const char *root, int level, uint64_t seed, struct bad *bad,
    int nregions)
{
	struct s3 *s;

	mkdirs_const(root);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		die("out of memory");
	s->root = root;
	s->bad = bad;
	rng_seed(&s->r, seed, 4);
	ct_buf_init(&s->gz.out, 0);
	for (int k = 0; k < MAX_REGIONS; k++) {
		ct_buf_init(&s->f[k].body, 0);
		s->f[k].digest_day = -1;
	}
	s->nregions = nregions;
	if (deflateInit2(&s->gz.z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		die("zlib: deflateInit2 failed");
	return s;
}

void
s3_close(struct s3 *s, const struct world *w)
{
	for (int k = 0; k < s->nregions; k++)
		s3_flush(s, w, k);
	deflateEnd(&s->gz.z);
	ct_buf_free(&s->gz.out);
	for (int k = 0; k < MAX_REGIONS; k++)
		ct_buf_free(&s->f[k].body);
	free(s);
}

void
mkdirs_const(const char *path)
{
	char *dir = strdup(path);

	if (dir == NULL)
		die("out of memory");
	mkdirs(dir);
	free(dir);
}

/* ---- lookup-events pages ------------------------------------------------ */

#define LOOKUP_PAGE	50

struct lookup {
	struct ct_buf	 page;		/* the page's events, oldest first */
	size_t		 cut[LOOKUP_PAGE];	/* where each starts */
	uint64_t	 n;
	struct rng	 r;		/* NextToken */
};

struct lookup *
lookup_open(uint64_t seed)
{
	struct lookup *lk = calloc(1, sizeof(*lk));

	if (lk == NULL)
		die("out of memory");
	ct_buf_init(&lk->page, 0);
	rng_seed(&lk->r, seed, 5);
	return lk;
}

/* Append the record's field "key":"..." value (up to the closing quote)
 * to b; q is where strstr found the key. */
static void
put_field(struct ct_buf *b, const char *q)
{
	put_n(b, q, (size_t)(strchr(q, '"') - q));
}

void
lookup_add(struct lookup *lk, struct ct_buf *out, const struct ct_buf *rec,
    int64_t t, int last)
{
	struct ct_buf *page = &lk->page;
	const char *q;
	char name[64] = "", ts[21];

	/* build the page event by event; the AWS CLI prints newest first,
	 * so each page is reversed when it is written */
	lk->cut[lk->n] = page->len;
	put(page, "        {\n            \"EventId\": \"");
	q = strstr(rec->data, "\"eventID\":\"");
	put_n(page, q + 11, 36);
	put(page, "\",\n            \"EventName\": \"");
	put_field(page, strstr(rec->data, "\"eventName\":\"") + 13);
	put(page, "\",\n            \"ReadOnly\": \"");
	put(page, strstr(rec->data, "\"readOnly\":true") ? "true" : "false");
	q = strstr(rec->data, "\"accessKeyId\":\"");
	if (q != NULL) {
		put(page, "\",\n            \"AccessKeyId\": \"");
		put_field(page, q + 15);
	}
	put(page, "\",\n            \"EventTime\": \"");
	(void)ct_time_format_iso(t, ts);
	put_n(page, ts, strlen(ts) ? 19 : 0);
	put(page, "+00:00\",\n            \"EventSource\": \"");
	put_field(page, strstr(rec->data, "\"eventSource\":\"") + 15);
	q = strstr(rec->data, "\"userName\":\"");
	if (q != NULL) {
		q += 12;
		snprintf(name, sizeof(name), "%.*s",
		    (int)(strchr(q, '"') - q), q);
		put(page, "\",\n            \"Username\": ");
		put_js(page, name);
	} else
		put(page, "\"");
	put(page, ",\n            \"Resources\": [],\n"
	    "            \"CloudTrailEvent\": \"");
	put_js_body(page, rec->data, rec->len);
	put(page, "\"\n        }");
	lk->n++;
	if (lk->n < LOOKUP_PAGE && !last)
		return;
	put(out, "{\n    \"Events\": [\n");
	for (uint64_t k = lk->n; k-- > 0;) {
		size_t a = lk->cut[k];
		size_t z = k + 1 < lk->n ? lk->cut[k + 1] : page->len;
		put_n(out, page->data + a, z - a);
		put(out, k ? ",\n" : "\n");
	}
	put(out, "    ]");
	if (!last) {
		put(out, ",\n    \"NextToken\": \"");
		put_rand(out, &lk->r, B64, 120);
		put(out, "\"");
	}
	put(out, "\n}\n");
	lk->n = 0;
	put_cut(page, 0);
}

void
lookup_close(struct lookup *lk)
{
	if (lk == NULL)
		return;
	ct_buf_free(&lk->page);
	free(lk);
}
