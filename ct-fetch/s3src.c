/*
 * s3src.c - the second source: the log files a trail writes to S3.
 *
 * `ct-fetch --s3 s3://BUCKET[/PREFIX]` reads the same records as the
 * LookupEvents workers, from the bucket, and writes them through the same
 * writer (output.c), between the same control records, one start and one
 * end per account and region.  One thread drives a libcurl multi handle
 * with up to --s3-concurrency transfers at once (connections reused);
 * each transfer is a job:
 *   - accounts: list PREFIX/AWSLogs/ with delimiter '/': an account folder
 *     (12 digits), or an organization's folder (o-...) listed the same way
 *     (skipped when --account names them and the listing is refused);
 *   - a day: list ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ (continuation
 *     tokens) and add a GET for each log file of that layout
 *     (ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_*.json.gz; digests,
 *     Insights and other objects live elsewhere or are named otherwise);
 *   - a log file: inflated and split as it arrives (lib/ctlog.h), its
 *     in-window records kept, and written as one page once the file was
 *     received and read to its end, so a retried file never writes a
 *     record twice and each file is written once.
 * A file is named and filed by its delivery time, minutes after its
 * records: the days listed are the window's plus one after its end (a
 * record of 23:58 is in the next day's folder), and a file delivered
 * before the window's start is not fetched.
 *
 * Faults: 503 SlowDown, 5xx, connection failures, bodies cut short and
 * unreadable answers are retried (the same request again, after
 * lib/http.h's backoff), up to --retries times in a row for that job;
 * anything else (AccessDenied on a folder or a file) fails that account
 * and region: its end record says failed, with the code, and the rest
 * goes on.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "creds.h"
#include "exitcodes.h"
#include "ctlog.h"
#include "fetch.h"
#include "http.h"
#include "s3.h"
#include "s3list.h"
#include "s3verify.h"
#include "timefmt.h"
#include "trails.h"
#include "xml.h"
#include "xalloc.h"

#define MAX_ACCOUNTS	1000
#define DAY		86400
#define ERRBODY_MAX	65536

enum { J_ACCOUNTS, J_LIST, J_GET, J_DLIST, J_DGET };	/* D: --verify's
							   digests */

struct unit {
	struct region		*r;
	char			*account;
	char			*folder;	/* ".../CloudTrail/REGION/" */
	long			 pending;	/* jobs queued or running */
	int			 failed;
	struct ct_ckpt_region	 ck;
	struct s3v_unit		*vu;		/* --verify, else NULL */
};

struct job {
	struct job		*next;
	const struct fetch	*f;		/* the run */
	int			 kind;
	struct unit		*u;		/* NULL for J_ACCOUNTS */
	char			*key;		/* GET: key; else prefix */
	char			*token;		/* continuation token */
	int			 attempt;	/* failed attempts in a row */
	double			 not_before;
	/* while running */
	CURL			*easy;
	struct ct_s3_signed	 sig;
	struct ct_buf		 body;		/* listing, or error body */
	struct ct_ctlog		*log;
	struct s3v_meta		*meta;		/* J_DGET: its headers */
	long			 status;
	const char		*signed_for;	/* region it was signed for */
	char			 bucket_region[48];	/* x-amz-bucket-region */
	struct ct_buf		 recs;		/* in-window records */
	size_t			*offs;		/* record i: offs[2i], len */
	size_t			 nrecs, caprecs;
};

struct s3run {
	struct fetch		*f;
	char			*bucket;
	char			*base;		/* "" or "PREFIX/" */
	char			 top[1200];	/* base + "AWSLogs/" */
	struct ct_buf		 endpoint;
	int			 configured, style;
	const char		*ca, *sign_region;
	char			 moved_to[48];	/* the bucket's region, once
						   a redirect named it */
	CURLM			*multi;
	struct job		*queue, *tail;
	long			 running;
	unsigned long		 requests, connects;	/* for --progress */
	char			**accounts;	/* account folders found */
	char			**acc_ids;
	size_t			 naccounts;
	int			 acc_failed;
	struct ct_aws_error	 acc_err;
	struct s3v		*verify;	/* --verify, else NULL */
};

/* ---- jobs ------------------------------------------------------------- */

static void
push(struct s3run *s, int kind, struct unit *u, const char *key,
    const char *token)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->f = s->f;
	j->kind = kind;
	j->u = u;
	j->key = xstrdup(key);
	j->token = token != NULL ? xstrdup(token) : NULL;
	ct_s3_signed_init(&j->sig);
	ct_buf_init(&j->body, kind == J_GET ? ERRBODY_MAX : kind == J_DGET ?
	    S3V_DIGEST_MAX : CT_HTTP_MAX_BODY);
	if (kind == J_DGET)
		j->meta = xcalloc(1, sizeof(*j->meta));
	ct_buf_init(&j->recs, 0);
	if (u != NULL)
		u->pending++;
	if (s->tail != NULL)
		s->tail->next = j;
	else
		s->queue = j;
	s->tail = j;
}

static void
job_free(struct job *j)
{
	free(j->key);
	free(j->token);
	ct_s3_signed_free(&j->sig);
	ct_buf_free(&j->body);
	ct_buf_free(&j->recs);
	free(j->offs);
	ct_ctlog_free(j->log);
	free(j->meta);
	free(j);
}

/* ---- units ------------------------------------------------------------ */

static void
unit_fail(struct fetch *f, struct unit *u, const struct ct_aws_error *e)
{
	if (u->failed)
		return;
	u->failed = 1;
	pthread_mutex_lock(&f->lock);
	u->r->err = *e;
	pthread_mutex_unlock(&f->lock);
	msg(f, PROG ": %s %s: %s", u->account, u->r->name, e->line);
}

/* Job j failed for good: its unit fails, or (the account listing, no
 * unit) the run notes its first such failure. */
static void
job_failed(struct s3run *s, struct job *j, const struct ct_aws_error *e)
{
	if (j->u != NULL)
		unit_fail(s->f, j->u, e);
	else if (!s->acc_failed) {
		s->acc_failed = 1;
		s->acc_err = *e;
	}
}

/* A job of u is over: when it was the last, u ends. */
static void
unit_done_job(struct fetch *f, struct unit *u)
{
	if (u == NULL || --u->pending > 0)
		return;
	pthread_mutex_lock(&f->lock);
	u->r->status = fetch_stop ? RS_STOPPED : u->failed ? RS_FAILED :
	    RS_COMPLETE;
	u->r->t_end = fetch_now();
	pthread_mutex_unlock(&f->lock);
	if (u->vu != NULL && u->r->status == RS_COMPLETE &&
	    s3v_end(u->vu) != 0 && !fetch_stop)
		fetch_stop = 1;
	out_end_record(f, u->r);
	progress_region_done(f, u->r);
}

/* ---- transfers -------------------------------------------------------- */

static int
on_record(void *arg, const char *p, size_t n, int64_t t)
{
	struct job *j = arg;
	const struct fetch *f = j->f;

	if (t == INT64_MIN || t < f->start || t > f->end)
		return 0;
	if (j->nrecs == j->caprecs) {
		j->caprecs = j->caprecs ? 2 * j->caprecs : 64;
		j->offs = xrealloc(j->offs, j->caprecs * 2 * sizeof(size_t));
	}
	j->offs[2 * j->nrecs] = j->recs.len;
	j->offs[2 * j->nrecs + 1] = n;
	/* a record's time is kept after it, for out_page */
	if (ct_buf_add(&j->recs, p, n) != 0 ||
	    ct_buf_add(&j->recs, &t, sizeof(t)) != 0)
		return -1;
	j->nrecs++;
	return 0;
}

/* The reader of a log file; with --verify it hashes the inflated text. */
static struct ct_ctlog *
new_log(struct job *j)
{
	struct ct_ctlog *l = ct_ctlog_new(on_record, j);

	if (j->u->vu != NULL)
		(void)ct_ctlog_hash_on(l);	/* a failure: no hash below */
	return l;
}

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct job *j = arg;
	size_t n = sz * nm;
	const char *why;

	if (j->status == 0)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->status);
	if (j->kind == J_GET && j->status == 200) {
		if (j->log == NULL)
			j->log = new_log(j);
		/* a bad file is told by ct_ctlog_finish */
		(void)ct_ctlog_feed(j->log, p, n, &why);
		return n;
	}
	if (ct_buf_add(&j->body, p, n) != 0 && j->status == 200)
		return 0;	/* a listing over the cap: fails the transfer */
	return n;
}

/* The x-amz-bucket-region header of an answer, kept for a redirect. */
static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	static const char name[] = "x-amz-bucket-region:";
	struct job *j = arg;
	size_t n = sz * nm, k = sizeof(name) - 1, e;

	if (j->meta != NULL)
		s3v_header(j->meta, p, n);
	if (n > k && strncasecmp(p, name, k) == 0) {
		p += k;
		n -= k;
		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		for (e = 0; e < n && p[e] != '\r' && p[e] != '\n' &&
		    p[e] != ' '; e++)
			;
		if (e < sizeof(j->bucket_region)) {
			memcpy(j->bucket_region, p, e);
			j->bucket_region[e] = '\0';
		}
	}
	return sz * nm;
}

static int
start_job(struct s3run *s, struct job *j, CURL *easy, struct ct_aws_error *e)
{
	struct ct_s3_req rq;
	struct ct_creds cr;
	struct ct_buf q, why;
	int rc;

	memset(&cr, 0, sizeof(cr));
	if (ct_aws_ctx_credentials(s->f->ctx, &cr, e) != 0)
		return -1;
	ct_buf_init(&q, 0);
	ct_buf_init(&why, 0);
	if (j->kind != J_GET && j->kind != J_DGET) {
		ct_s3_query_add(&q, "list-type", "2");
		ct_s3_query_add(&q, "prefix", j->key);
		if (j->kind == J_ACCOUNTS)
			ct_s3_query_add(&q, "delimiter", "/");
		if (j->token != NULL)
			ct_s3_query_add(&q, "continuation-token", j->token);
	}
	memset(&rq, 0, sizeof(rq));
	rq.endpoint = s->endpoint.data;
	rq.configured = s->configured;
	rq.style = s->style;
	rq.bucket = s->bucket;
	rq.key = j->kind == J_GET || j->kind == J_DGET ? j->key : NULL;
	rq.query = q.len ? q.data : NULL;
	rq.region = s->sign_region;
	rq.access_key = cr.access_key;
	rq.secret_key = cr.secret_key;
	rq.token = cr.token;
	rq.when = time(NULL);
	rc = ct_s3_sign_get(&rq, &j->sig, &why);
	ct_creds_wipe(&cr);
	if (rc != 0)
		ct_awserr_set(e, CT_AWS_OTHER, "InvalidEndpoint", "%s",
		    why.data ? why.data : "cannot sign");
	ct_buf_free(&q);
	ct_buf_free(&why);
	if (rc != 0)
		return -1;
	ct_buf_reset(&j->body);
	ct_buf_reset(&j->recs);
	j->nrecs = 0;
	ct_ctlog_free(j->log);
	j->log = NULL;
	if (j->meta != NULL)
		memset(j->meta, 0, sizeof(*j->meta));
	j->status = 0;
	j->signed_for = s->sign_region;
	j->bucket_region[0] = '\0';
	j->easy = easy;
	{
		struct curl_slist *h = NULL;
		size_t i;

		for (i = 0; j->sig.headers[i] != NULL; i++)
			h = curl_slist_append(h, j->sig.headers[i]);
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(easy, CURLOPT_PRIVATE, h);
	}
	curl_easy_setopt(easy, CURLOPT_URL, j->sig.url.data);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, j);
	curl_multi_add_handle(s->multi, easy);
	s->running++;
	return 0;
}

static CURL *
new_easy(struct s3run *s)
{
	CURL *e = curl_easy_init();
	char ua[64];

	if (e == NULL)
		return NULL;
	snprintf(ua, sizeof(ua), "ct-tools/%s (ct-fetch; s3)", CT_VERSION);
	curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	/* no whole-transfer timeout (a file may be large): a stalled one
	 * is cut after 60 s below 1 byte/s */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, s->ca);
	return e;
}

/* ---- what a finished job means --------------------------------------- */

/*
 * A bucket of another region answers 301 PermanentRedirect with
 * x-amz-bucket-region, or (at the global endpoint) 400
 * AuthorizationHeaderMalformed with <Region>.  The first such answer moves
 * the run to that region: the endpoint and the signature of every later
 * request.  2: send the job again at once; 0: not a redirect to follow
 * (a second region named, or one the job was already signed for).
 */
static int
redirected(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct ct_buf rb;
	const char *to = j->bucket_region;
	size_t i;
	int rc = 0;

	if (j->status != 301 && j->status != 400)
		return 0;
	ct_buf_init(&rb, 0);
	if (*to == '\0' && j->status == 400 && j->body.data != NULL &&
	    ct_xml_get(j->body.data, j->body.len, "Region", &rb) == 1 &&
	    rb.data != NULL)
		to = rb.data;
	for (i = 0; to[i] != '\0'; i++)
		if (!(to[i] >= 'a' && to[i] <= 'z') &&
		    !(to[i] >= '0' && to[i] <= '9') && to[i] != '-')
			break;
	if (i == 0 || to[i] != '\0' || i >= sizeof(s->moved_to) ||
	    strcmp(to, j->signed_for) == 0)
		goto out;
	if (s->moved_to[0] != '\0') {
		/* already moved: a job signed before the move goes again */
		rc = strcmp(to, s->moved_to) == 0 ? 2 : 0;
		goto out;
	}
	memcpy(s->moved_to, to, i + 1);
	ct_buf_reset(&s->endpoint);
	if (ct_aws_ctx_s3(s->f->ctx, s->moved_to, &s->endpoint,
	    &s->configured, &s->style, &s->ca, e) != 0) {
		rc = -1;
		goto out;
	}
	s->sign_region = s->moved_to;
	rc = 2;
out:
	ct_buf_free(&rb);
	return rc;
}

/* "2024/01/02/" style folders of the days of the window, plus one. */
static void
plan_unit(struct s3run *s, struct unit *u)
{
	int64_t d, d0 = s->f->start / DAY, d1 = s->f->end / DAY + 1, y;
	unsigned m, dd;
	char pfx[2048];

	for (d = d0; d <= d1; d++) {
		ct_civil_from_days(d, &y, &m, &dd);
		snprintf(pfx, sizeof(pfx), "%s%04" PRId64 "/%02u/%02u/",
		    u->folder, y, m, dd);
		push(s, J_LIST, u, pfx, NULL);
	}
}

/* --verify: push the listing of one digest day folder of a unit. */
struct dplan {
	struct s3run	*s;
	struct unit	*u;
};

static void
plan_digest_day(void *arg, const char *prefix)
{
	struct dplan *p = arg;

	push(p->s, J_DLIST, p->u, prefix, NULL);
}

/* A log file of u's folder, delivered at or after the window's start? */
static int
wanted(struct s3run *s, struct unit *u, const char *prefix, const char *key)
{
	const char *name = key + strlen(prefix), *t;
	size_t n = strlen(name), la = strlen(u->account), lr;
	int64_t when;
	char iso[32];

	if (strncmp(key, prefix, strlen(prefix)) != 0 ||
	    strchr(name, '/') != NULL || n < 8 ||
	    strcmp(name + n - 8, ".json.gz") != 0)
		return 0;
	lr = strlen(u->r->name);
	if (strncmp(name, u->account, la) != 0 ||
	    strncmp(name + la, "_CloudTrail_", 12) != 0 ||
	    strncmp(name + la + 12, u->r->name, lr) != 0 ||
	    name[la + 12 + lr] != '_' || n < la + 12 + lr + 1 + 15)
		return 0;
	t = name + la + 12 + lr + 1;	/* YYYYMMDDTHHMMZ_ */
	if (t[8] != 'T' || t[13] != 'Z' || t[14] != '_')
		return 0;
	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.2s:%.2s:00Z", t, t + 4,
	    t + 6, t + 9, t + 11);
	if (ct_time_parse_cloudtrail(iso, strlen(iso), &when) != 0)
		return 0;
	return when + 59 >= s->f->start;
}

/* Is prefix's last component all digits (12), or "o-..."?  1 account,
 * 2 organization, 0 neither; the component into out. */
static int
folder_kind(const char *prefix, size_t skip, char *out, size_t sz)
{
	const char *c = prefix + skip;
	size_t n = strlen(c), i;

	if (n < 2 || c[n - 1] != '/' || n - 1 >= sz)
		return 0;
	memcpy(out, c, n - 1);
	out[n - 1] = '\0';
	if (strchr(out, '/') != NULL)
		return 0;
	if (strncmp(out, "o-", 2) == 0)
		return 2;
	if (n - 1 != 12)
		return 0;
	for (i = 0; i < 12; i++)
		if (out[i] < '0' || out[i] > '9')
			return 0;
	return 1;
}

/* 0 handled, 1 retry, -1 failed (e). */
static int
finished(struct s3run *s, struct job *j, CURLcode cc, struct ct_aws_error *e)
{
	struct fetch *f = s->f;
	struct ct_s3list l;
	struct ct_buf why;
	const char *bad;
	size_t i;
	char where[64], comp[64];

	snprintf(where, sizeof(where), "s3://%.40s", s->bucket);
	if (cc != CURLE_OK) {
		ct_awserr_set(e, cc == CURLE_COULDNT_CONNECT ||
		    cc == CURLE_COULDNT_RESOLVE_HOST ? CT_AWS_NETWORK :
		    CT_AWS_RETRYABLE, cc == CURLE_PARTIAL_FILE ?
		    "TruncatedBody" : "ConnectionError", "%s: %s", where,
		    curl_easy_strerror(cc));
		return 1;
	}
	if (j->status != 200) {
		int rd = redirected(s, j, e);

		if (rd != 0)
			return rd;
		ct_awserr_from_http(e, where, j->status, j->body.data,
		    j->body.len);
		return e->cls == CT_AWS_THROTTLED || e->cls ==
		    CT_AWS_RETRYABLE || e->cls == CT_AWS_NETWORK ? 1 : -1;
	}
	if (j->kind == J_GET) {
		struct ct_lookup_page pg;
		struct ct_lookup_event *ev;

		if (j->log == NULL)
			j->log = new_log(j);
		if (ct_ctlog_finish(j->log, &bad) != 0) {
			ct_awserr_set(e, CT_AWS_RETRYABLE, "InvalidLogFile",
			    "%s: %.200s: %s", where, j->key, bad);
			return 1;
		}
		if (j->u->vu != NULL && !j->u->failed) {
			unsigned char h[32];
			int drop;

			drop = s3v_log(j->u->vu, j->key,
			    ct_ctlog_hash(j->log, h) == 0 ? h : NULL,
			    j->nrecs);
			if (drop < 0 && !fetch_stop)
				fetch_stop = 1;
			if (drop != 0)
				return 0;	/* modified: not written */
		}
		ev = xcalloc(j->nrecs + 1, sizeof(*ev));
		for (i = 0; i < j->nrecs; i++) {
			int64_t t;

			ev[i].record = j->recs.data + j->offs[2 * i];
			ev[i].record_len = j->offs[2 * i + 1];
			memcpy(&t, ev[i].record + ev[i].record_len, sizeof(t));
			ev[i].event_time = (double)t;
			ev[i].event_id = "";
		}
		ct_lookup_page_init(&pg);
		pg.events = ev;
		pg.nevents = j->nrecs;
		if (!j->u->failed && out_page(f, j->u->r, &pg) != 0 &&
		    !fetch_stop)
			fetch_stop = 1;
		pg.events = NULL;
		pg.nevents = 0;
		ct_lookup_page_free(&pg);
		free(ev);
		return 0;
	}
	if (j->kind == J_DGET) {
		s3v_digest(j->u->vu, j->key, j->body.data, j->body.len,
		    j->meta);
		return 0;
	}
	ct_s3list_init(&l);
	ct_buf_init(&why, 0);
	if (ct_s3list_parse(j->body.data ? j->body.data : "", j->body.len,
	    &l, &why) != 0) {
		ct_awserr_set(e, CT_AWS_RETRYABLE, "InvalidListing", "%s: %s",
		    where, why.data);
		ct_buf_free(&why);
		return 1;
	}
	ct_buf_free(&why);
	if (j->kind == J_LIST) {
		for (i = 0; i < l.nobjs; i++)
			if (wanted(s, j->u, j->key, l.objs[i].key))
				push(s, J_GET, j->u, l.objs[i].key, NULL);
	} else if (j->kind == J_DLIST) {
		for (i = 0; i < l.nobjs; i++)
			if (s3v_is_digest(j->u->vu, j->key, l.objs[i].key))
				push(s, J_DGET, j->u, l.objs[i].key, NULL);
	} else {
		size_t skip = strlen(j->key);

		for (i = 0; i < l.nprefixes; i++) {
			int k = folder_kind(l.prefixes[i], skip, comp,
			    sizeof(comp));

			/* o-ORG/ directly under AWSLogs/ only */
			if (k == 2 && strcmp(j->key, s->top) == 0)
				push(s, J_ACCOUNTS, NULL, l.prefixes[i], NULL);
			else if (k == 1 && s->naccounts < MAX_ACCOUNTS) {
				s->accounts = xrealloc(s->accounts,
				    (s->naccounts + 1) * sizeof(char *));
				s->acc_ids = xrealloc(s->acc_ids,
				    (s->naccounts + 1) * sizeof(char *));
				s->accounts[s->naccounts] =
				    xstrdup(l.prefixes[i]);
				s->acc_ids[s->naccounts++] = xstrdup(comp);
			}
		}
	}
	if (l.truncated)
		push(s, j->kind, j->u, j->key, l.next_token);
	ct_s3list_free(&l);
	return 0;
}

/* ---- the loop --------------------------------------------------------- */

static void
run_jobs(struct s3run *s, CURL **pool, size_t npool)
{
	struct fetch *f = s->f;
	struct ct_aws_error e;
	struct job **slot = xcalloc(npool, sizeof(*slot)), *j;
	size_t i;
	int still, nq, ended;
	CURLMsg *m;

	for (;;) {
		double now = fetch_now(), wait = 1;
		struct job **pp = &s->queue;
		int lost_tail = 0;

		/* start what may start (no job is pushed meanwhile) */
		while ((j = *pp) != NULL) {
			if (fetch_stop || (j->u != NULL && j->u->failed)) {
				lost_tail |= j == s->tail;
				*pp = j->next;
				unit_done_job(f, j->u);
				job_free(j);
				continue;
			}
			for (i = 0; i < npool && slot[i] != NULL; i++)
				;
			if (i == npool)
				break;
			if (j->not_before > now) {
				if (j->not_before - now < wait)
					wait = j->not_before - now;
				pp = &j->next;
				continue;
			}
			lost_tail |= j == s->tail;
			*pp = j->next;
			j->next = NULL;
			if (start_job(s, j, pool[i], &e) != 0) {
				job_failed(s, j, &e);
				unit_done_job(f, j->u);
				job_free(j);
				continue;
			}
			slot[i] = j;
		}
		/* the tail is looked for only when it left the queue: a walk
		 * of every queued job on each turn costs more than the
		 * transfers' own work when thousands of GETs wait */
		if (lost_tail || s->queue == NULL) {
			s->tail = NULL;
			for (j = s->queue; j != NULL; j = j->next)
				s->tail = j;
		}
		if (s->running == 0 && (s->queue == NULL || fetch_stop))
			break;
		curl_multi_perform(s->multi, &still);
		ended = 0;
		while ((m = curl_multi_info_read(s->multi, &nq)) != NULL) {
			struct curl_slist *h = NULL;
			int rc;

			if (m->msg != CURLMSG_DONE)
				continue;
			ended++;
			for (i = 0; i < npool && pool[i] != m->easy_handle; i++)
				;
			j = slot[i];
			slot[i] = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&h);
			{
				long nc = 0;

				curl_easy_getinfo(m->easy_handle,
				    CURLINFO_NUM_CONNECTS, &nc);
				s->requests++;
				s->connects += nc > 0 ? (unsigned long)nc : 0;
			}
			rc = finished(s, j, m->data.result, &e);
			curl_multi_remove_handle(s->multi, m->easy_handle);
			curl_slist_free_all(h);
			s->running--;
			if (rc == 1 && j->u != NULL && j->u->failed)
				rc = 0;
			if (rc == 2) {
				/* redirected: again at once, not a retry */
				j->not_before = 0;
				if (s->tail != NULL)
					s->tail->next = j;
				else
					s->queue = j;
				s->tail = j;
				continue;
			}
			if (rc == 1) {
				if (j->u != NULL) {
					pthread_mutex_lock(&f->lock);
					j->u->r->retries++;
					if (e.cls == CT_AWS_THROTTLED)
						j->u->r->throttles++;
					pthread_mutex_unlock(&f->lock);
				}
				if (++j->attempt > f->max_retries)
					rc = -1;
				else {
					j->not_before = fetch_now() +
					    ct_retry_delay_ms(j->attempt) /
					    1000.0;
					if (s->tail != NULL)
						s->tail->next = j;
					else
						s->queue = j;
					s->tail = j;
					continue;
				}
			}
			if (rc == -1)
				job_failed(s, j, &e);
			unit_done_job(f, j->u);
			job_free(j);
		}
		/* a transfer ended: its slot is free for the next job now */
		if (ended == 0 && (s->running > 0 || s->queue != NULL)) {
			int ms = (int)(wait * 1000);

			/* wakes on any transfer's activity; fetch_stop is
			 * looked at every 100 ms at least */
			curl_multi_poll(s->multi, NULL, 0, ms < 1 ? 1 :
			    ms > 100 ? 100 : ms, NULL);
		}
	}
	/* stopped: what still runs is dropped */
	for (i = 0; i < npool; i++) {
		struct curl_slist *h = NULL;

		if ((j = slot[i]) == NULL)
			continue;
		curl_easy_getinfo(pool[i], CURLINFO_PRIVATE, (char **)&h);
		curl_multi_remove_handle(s->multi, pool[i]);
		curl_slist_free_all(h);
		unit_done_job(f, j->u);
		job_free(j);
	}
	s->running = 0;
	free(slot);
}

/*
 * --verify, before any start record: every unit's public keys, then its
 * digests read (the same transfers, concurrency and retries as the log
 * files), then sealed.  A unit whose keys or digests could not be had
 * fails here; its start and end records follow as for any failure.
 */
static void
read_digests(struct s3run *s, struct unit *units, size_t nu, CURL **pool,
    size_t npool)
{
	struct ct_aws_error e;
	size_t i;

	for (i = 0; i < nu && !fetch_stop; i++) {
		struct dplan p = { s, &units[i] };

		if (s3v_keys(units[i].vu, &e) != 0) {
			unit_fail(s->f, &units[i], &e);
			continue;
		}
		units[i].pending = 1;	/* no end record from these jobs */
		s3v_plan(units[i].vu, plan_digest_day, &p);
	}
	run_jobs(s, pool, npool);
	for (i = 0; i < nu; i++) {
		units[i].pending = 0;
		if (!fetch_stop && !units[i].failed)
			s3v_seal(units[i].vu);
	}
}

/* s3://BUCKET[/PREFIX] */
static int
parse_url(struct s3run *s, const char *url)
{
	const char *b, *sl;
	size_t n;

	if (strncmp(url, "s3://", 5) != 0)
		return -1;
	b = url + 5;
	sl = strchr(b, '/');
	n = sl ? (size_t)(sl - b) : strlen(b);
	if (n < 3 || n > 63)
		return -1;
	s->bucket = xstrndup(b, n);
	if (strpbrk(s->bucket, "?#% ") != NULL)
		return -1;
	if (sl == NULL || sl[1] == '\0') {
		s->base = xstrdup("");
		return 0;
	}
	n = strlen(sl + 1);
	while (n > 0 && sl[1 + n - 1] == '/')
		n--;
	if (n > 1000)
		return -1;	/* S3 keys are at most 1024 bytes */
	s->base = xmalloc(n + 2);
	memcpy(s->base, sl + 1, n);
	memcpy(s->base + n, "/", 2);
	return 0;
}

/*
 * --trail [NAME|ARN]: the trail's bucket and prefix, from DescribeTrails in
 * the configured region (else the first region asked for), as an s3:// URL
 * in *url.  0, or an exit status after the reason on stderr.
 */
static int
find_trail(struct fetch *f, char **url)
{
	struct ct_aws_error e;
	struct ct_aws *c;
	struct ct_trails t;
	const struct ct_trail *tr;
	struct ct_buf why;
	const char *region = ct_aws_ctx_region(f->ctx);
	int rc = 0;

	if (region == NULL && f->nregions > 0)
		region = f->regions[0].name;
	if ((c = ct_aws_new(f->ctx, region, &e)) == NULL) {
		fprintf(stderr, PROG ": --trail: %s\n", e.line);
		return ct_awserr_exit(e.cls);
	}
	ct_aws_set_abort(c, &fetch_stop);
	if (ct_trails_describe(c, &t, &e) != 0) {
		fprintf(stderr, PROG ": --trail: %s\n", e.line);
		ct_aws_free(c);
		return ct_awserr_exit(e.cls);
	}
	ct_aws_free(c);
	ct_buf_init(&why, 0);
	if ((tr = ct_trails_pick(&t, f->trail, &why)) == NULL) {
		fprintf(stderr, PROG ": --trail: %s\n", why.data);
		rc = CT_EXIT_FAILURE;
	} else {
		struct ct_buf u;

		ct_buf_init(&u, 0);
		ct_buf_printf(&u, "s3://%s/%s", tr->bucket,
		    tr->prefix ? tr->prefix : "");
		*url = xstrdup(u.data);
		ct_buf_free(&u);
		if (!f->quiet)
			msg(f, PROG ": trail %s: s3://%s/%s%s", tr->name,
			    tr->bucket, tr->prefix ? tr->prefix : "",
			    tr->organization ? " (organization)" : "");
	}
	ct_buf_free(&why);
	ct_trails_free(&t);
	return rc;
}

int
fetch_s3(struct fetch *f)
{
	char *trail_url = NULL;
	struct s3run s;
	struct ct_aws_error e;
	struct unit *units = NULL;
	struct region *regs;
	CURL **pool;
	char **names;
	size_t i, k, nreg = f->nregions, nacc, npool, nu = 0;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.f = f;
	ct_buf_init(&s.endpoint, 0);
	if (f->use_trail && (rc = find_trail(f, &trail_url)) != 0)
		goto out;
	if (parse_url(&s, trail_url ? trail_url : f->s3_url) != 0) {
		fprintf(stderr, PROG ": --s3: \"%s\" is not s3://BUCKET"
		    "[/PREFIX]\n", trail_url ? trail_url : f->s3_url);
		rc = CT_EXIT_USAGE;
		goto out;
	}
	s.sign_region = ct_aws_ctx_region(f->ctx);
	if (ct_aws_ctx_s3(f->ctx, s.sign_region, &s.endpoint, &s.configured,
	    &s.style, &s.ca, &e) != 0) {
		fprintf(stderr, PROG ": %s\n", e.line);
		rc = ct_awserr_exit(e.cls);
		goto out;
	}
	if (f->verify)
		s.verify = s3v_new(f, s.bucket);
	s.multi = curl_multi_init();
	npool = (size_t)f->s3_concurrency;
	pool = xcalloc(npool, sizeof(*pool));
	for (i = 0; i < npool; i++)
		pool[i] = new_easy(&s);
	curl_multi_setopt(s.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)npool);

	/* the accounts */
	{
		const char *pfx = s.top;

		snprintf(s.top, sizeof(s.top), "%sAWSLogs/", s.base);
		push(&s, J_ACCOUNTS, NULL, pfx, NULL);
		run_jobs(&s, pool, npool);
		if (f->naccounts > 0) {
			/* the folders found for the accounts named, else
			 * the plain layout */
			nacc = f->naccounts;
			names = xcalloc(nacc, sizeof(*names));
			for (k = 0; k < nacc; k++) {
				for (i = 0; i < s.naccounts; i++)
					if (strcmp(s.acc_ids[i],
					    f->accounts[k]) == 0)
						break;
				if (i < s.naccounts)
					names[k] = xstrdup(s.accounts[i]);
				else {
					names[k] = xmalloc(strlen(pfx) + 14);
					sprintf(names[k], "%s%s/", pfx,
					    f->accounts[k]);
				}
			}
			for (i = 0; i < s.naccounts; i++) {
				free(s.accounts[i]);
				free(s.acc_ids[i]);
			}
			free(s.accounts);
			free(s.acc_ids);
			s.accounts = names;
			s.acc_ids = xcalloc(nacc, sizeof(char *));
			for (k = 0; k < nacc; k++)
				s.acc_ids[k] = xstrdup(f->accounts[k]);
			s.naccounts = nacc;
		} else if (s.acc_failed) {
			fprintf(stderr, PROG ": listing %s: %s\n", pfx,
			    s.acc_err.line);
			rc = ct_awserr_exit(s.acc_err.cls);
			goto free_pool;
		} else if (s.naccounts == 0) {
			fprintf(stderr, PROG ": s3://%s/%s: no account "
			    "folder (AWSLogs/ACCOUNT/ or AWSLogs/o-ORG/"
			    "ACCOUNT/)\n", s.bucket, pfx);
			rc = CT_EXIT_FAILURE;
			goto free_pool;
		}
	}
	if (fetch_stop)
		goto free_pool;

	/* one unit per account and region, in f->regions */
	nu = s.naccounts * nreg;
	units = xcalloc(nu, sizeof(*units));
	regs = xcalloc(nu, sizeof(*regs));
	for (k = 0; k < s.naccounts; k++)
		for (i = 0; i < nreg; i++) {
			struct unit *u = &units[k * nreg + i];
			struct region *r = &regs[k * nreg + i];
			size_t n = strlen(s.accounts[k]) + 32 +
			    strlen(f->regions[i].name);

			r->name = xstrdup(f->regions[i].name);
			r->account = s.acc_ids[k];
			r->ck = &u->ck;
			u->r = r;
			u->account = s.acc_ids[k];
			u->folder = xmalloc(n);
			snprintf(u->folder, n, "%sCloudTrail/%s/",
			    s.accounts[k], r->name);
			if (s.verify != NULL) {
				char *df = xmalloc(n + 8);

				snprintf(df, n + 8, "%sCloudTrail-Digest/%s/",
				    s.accounts[k], r->name);
				u->vu = s3v_unit_new(s.verify, r, u->account,
				    df);
				free(df);
			}
		}
	pthread_mutex_lock(&f->lock);
	for (i = 0; i < nreg; i++)
		free((char *)f->regions[i].name);
	free(f->regions);
	f->regions = regs;
	f->nregions = nu;
	pthread_mutex_unlock(&f->lock);
	if (s.verify != NULL)
		read_digests(&s, units, nu, pool, npool);

	for (i = 0; i < nu && !fetch_stop; i++) {
		struct unit *u = &units[i];

		pthread_mutex_lock(&f->lock);
		u->r->status = RS_RUNNING;
		u->r->t_start = fetch_now();
		pthread_mutex_unlock(&f->lock);
		if (out_start_record(f, u->r) != 0) {
			fetch_stop = fetch_stop ? fetch_stop : 1;
			break;
		}
		u->pending = 1;		/* until planned */
		plan_unit(&s, u);
	}
	for (k = 0; k < i; k++)
		unit_done_job(f, &units[k]);
	run_jobs(&s, pool, npool);

	if (f->progress)
		msg(f, PROG ": s3://%s: %lu requests over %lu connections",
		    s.bucket, s.requests, s.connects);
	for (i = 0; i < nu; i++) {
		if (units[i].r->status == RS_RUNNING ||
		    units[i].r->status == RS_WAITING)
			units[i].r->status = RS_STOPPED;
		units[i].r->account = NULL;
		free(units[i].folder);
		free(units[i].ck.next_token);
	}
	free(units);
free_pool:
	for (i = 0; i < npool; i++)
		curl_easy_cleanup(pool[i]);
	free(pool);
	curl_multi_cleanup(s.multi);
	while (s.queue != NULL) {
		struct job *j = s.queue;

		s.queue = j->next;
		job_free(j);
	}
out:
	for (i = 0; i < s.naccounts; i++) {
		free(s.accounts[i]);
		free(s.acc_ids[i]);
	}
	free(s.accounts);
	free(s.acc_ids);
	s3v_free(s.verify);
	free(s.bucket);
	free(s.base);
	free(trail_url);
	ct_buf_free(&s.endpoint);
	return rc;
}
