/*
 * s3job.c - the S3 source's job engine: one thread, one curl multi handle.
 *
 * Every request of the S3 source is a job in one queue: list the account
 * folders, list a day folder, GET a log object.  One thread drives a
 * libcurl multi handle with up to --s3-concurrency transfers at once over
 * a pool of easy handles (connections reused), so thousands of small
 * objects cost no thread each.  A job is signed when it starts (the
 * credentials may have been refreshed meanwhile), and what its answer
 * means is decided here only as far as HTTP goes:
 *   - a 200 answer goes to s3run.done (the plan, s3plan.c), which lists
 *     on or writes the object;
 *   - a redirect to the bucket's region moves the whole run there;
 *   - 503 SlowDown, 5xx, connection failures, bodies cut short and
 *     unreadable answers are retried (the same request again, after
 *     lib/http.h's backoff), up to --retries times in a row for that job;
 *   - anything else (AccessDenied on a folder or a file) fails that
 *     account and region: its end record says failed, with the code, and
 *     the rest goes on.
 * A unit (account and region) ends when its last job is over.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "creds.h"
#include "http.h"
#include "s3src.h"
#include "xml.h"
#include "xalloc.h"

/* ---- jobs ------------------------------------------------------------- */

/* j (its next NULL) at the end of the queue. */
static void
enqueue(struct s3run *s, struct job *j)
{
	if (s->tail != NULL)
		s->tail->next = j;
	else
		s->queue = j;
	s->tail = j;
}

struct job *
s3job_push(struct s3run *s, int kind, struct unit *u, const char *key,
    const char *token)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->f = s->f;
	j->kind = kind;
	j->u = u;
	j->key = xstrdup(key);
	j->token = token != NULL ? xstrdup(token) : NULL;
	ct_buf_init(&j->body, kind == J_GET ? S3_ERRBODY_MAX :
	    kind == J_DGET ? S3V_DIGEST_MAX : CT_HTTP_MAX_BODY);
	if (kind == J_DGET)
		j->meta = xcalloc(1, sizeof(*j->meta));
	ct_buf_init(&j->recs, 0);
	if (u != NULL)
		u->pending++;
	enqueue(s, j);
	return j;
}

void
s3job_free(struct job *j)
{
	free(j->key);
	free(j->token);
	ct_buf_free(&j->body);
	s3obj_free(j);
	free(j->meta);
	free(j);
}

/* ---- units ------------------------------------------------------------ */

void
s3job_unit_fail(struct fetch *f, struct unit *u, const struct ct_aws_error *e)
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
		s3job_unit_fail(s->f, j->u, e);
	else if (!s->acc_failed) {
		s->acc_failed = 1;
		s->acc_err = *e;
	}
}

/* A job of u is over: when it was the last, u ends. */
void
s3job_unit_done(struct fetch *f, struct unit *u)
{
	if (u == NULL || --u->pending > 0)
		return;
	s3obj_flush(f, u);	/* what was read is written, even when
				   stopped */
	pthread_mutex_lock(&f->lock);
	u->r->status = fetch_stop ? RS_STOPPED : u->failed ? RS_FAILED :
	    RS_COMPLETE;
	u->r->t_end = fetch_now();
	pthread_mutex_unlock(&f->lock);
	/* the last day may have ended with a listing, not a file */
	if (f->ckpt_path != NULL && u->r->status == RS_COMPLETE)
		(void)out_save_region(f, u->r);
	/* --verify: the missing files and the verified record come before
	 * the end record; a failure to write them stops the run */
	if (u->vu != NULL && u->r->status == RS_COMPLETE &&
	    s3v_end(u->vu) != 0 && !fetch_stop)
		fetch_stop = 1;
	out_end_record(f, u->r);
	progress_region_done(f, u->r);
}

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct job *j = arg;
	size_t n = sz * nm;

	if (j->status == 0)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->status);
	if (j->kind == J_GET && j->status == 200) {
		s3obj_feed(j, p, n);
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
	struct job *j = arg;

	if (j->meta != NULL)
		s3v_header(j->meta, p, sz * nm);
	(void)ct_http_header_value(p, sz * nm, "x-amz-bucket-region:",
	    j->bucket_region, sizeof(j->bucket_region), NULL);
	return sz * nm;
}

/*
 * What a transfer slot (an easy handle of the pool) keeps from one job to
 * the next: the running job, its signed URL and headers and the header
 * list's nodes, whose storage is reused rather than allocated and freed
 * on every request.  libcurl reads the headers through hl until the
 * transfer is removed; the next job's signature wipes them.
 */
struct slot {
	struct job		*j;
	struct ct_s3_signed	 sig;
	struct curl_slist	 hl[CT_S3_NHDR];
};

static int
start_job(struct s3run *s, struct job *j, CURL *easy, struct slot *sl,
    struct ct_aws_error *e)
{
	struct ct_s3_req rq;
	struct ct_creds cr;
	struct ct_buf q, why;
	int rc;

	memset(&cr, 0, sizeof(cr));
	if (ct_aws_ctx_credentials(s->f->ctx, &cr, &j->cred_gen, e) != 0)
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
	rq.keys = &s->keys;
	rc = ct_s3_sign_get(&rq, &sl->sig, &why);
	ct_creds_wipe(&cr);
	if (rc != 0)
		ct_awserr_set(e, CT_AWS_OTHER, "InvalidEndpoint", "%s",
		    why.data ? why.data : "cannot sign");
	ct_buf_free(&q);
	ct_buf_free(&why);
	if (rc != 0)
		return -1;
	ct_buf_reset(&j->body);
	s3obj_reset(j);
	if (j->meta != NULL)
		memset(j->meta, 0, sizeof(*j->meta));
	j->status = 0;
	j->signed_for = s->sign_region;
	j->bucket_region[0] = '\0';
	j->easy = easy;
	{
		size_t i;

		/* libcurl only reads the list (curl_slist_append would
		 * copy each header, on every request) */
		for (i = 0; sl->sig.headers[i] != NULL; i++) {
			sl->hl[i].data = (char *)sl->sig.headers[i];
			sl->hl[i].next = sl->sig.headers[i + 1] != NULL ?
			    &sl->hl[i + 1] : NULL;
		}
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, i > 0 ? sl->hl :
		    NULL);
	}
	curl_easy_setopt(easy, CURLOPT_URL, sl->sig.url.data);
	ct_http_setup_easy(easy, sl->sig.url.data, &s->trace);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, j);
	curl_multi_add_handle(s->multi, easy);
	s->running++;
	return 0;
}

CURL *
s3job_new_easy(struct s3run *s)
{
	CURL *e = curl_easy_init();
	char ua[64];

	if (e == NULL)
		return NULL;
	snprintf(ua, sizeof(ua), "ct-tools/%s (ct-fetch; s3)", CT_VERSION);
	curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
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

/* 0 handled, 1 retry, -1 failed (e). */
static int
finished(struct s3run *s, struct job *j, CURLcode cc, struct ct_aws_error *e)
{
	char where[64];

	/* where: for the error's message only (a printf on every request
	 * showed in the profile) */
	if (cc != CURLE_OK || j->status != 200)
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
		if (ct_awserr_is_expired(e->code)) {
			/* new credentials, if their source gives any, and
			 * the same request again */
			if (ct_aws_ctx_expired(s->f->ctx, j->cred_gen))
				e->cls = CT_AWS_RETRYABLE;
			else
				e->cls = CT_AWS_CREDENTIALS;
		} else if (j->kind == J_GET)
			s3obj_error(s, j, e);
		return e->cls == CT_AWS_THROTTLED || e->cls ==
		    CT_AWS_RETRYABLE || e->cls == CT_AWS_NETWORK ? 1 : -1;
	}
	return s->done(s, j, e);
}

/* ---- the loop --------------------------------------------------------- */

/*
 * The multi handle is driven by its sockets (curl_multi_socket_action):
 * libcurl names each socket it waits on and for what (on_socket, kept in
 * an epoll set), the loop sleeps in epoll_wait until a socket is ready or
 * libcurl's own timeout (curl_multi_timeout) is due, and hands libcurl
 * only the sockets that are ready.  curl_multi_perform would visit every
 * running transfer on each wakeup and curl_multi_poll would build and poll
 * the whole socket set each time: on thousands of small objects that
 * costs more CPU than the transfers themselves.
 *
 * libcurl drops a connection's socket when its transfer ends and names it
 * again when the next transfer reuses the connection, on every request; so
 * a socket dropped stays in the set (reg[fd] without EV_WANT) and costs no
 * system call when it comes back wanting the same events.  Should it wake
 * the loop meanwhile (the server closed the idle connection), it leaves
 * the set then.  Only the connections' sockets are kept so: libcurl opens
 * and closes them through on_open and on_close, which mark them EV_OURS
 * and forget them, so a number taken again starts in no set.  Any other
 * socket libcurl watches (its resolver's, opened and closed without
 * those callbacks) leaves the set when dropped: its number may come back
 * as another socket that is in no set, and a stale mark would leave that
 * one unwatched.  The marks live in the s3run (s->sockreg), not in the
 * loop: a connection outlives the loop that opened it, and libcurl calls
 * on_close whenever it drops one, after the loop too.
 */
enum { EV_IN = 1, EV_OUT = 2, EV_IN_SET = 4, EV_WANT = 8, EV_OURS = 16 };

struct evloop {
	CURLM		*multi;
	int		 epfd;
	struct s3run	*s;		/* its sockreg: EV_* by socket */
};

/* The marks of socket fd, grown to hold it (new ones 0). */
static unsigned char *
reg_of(struct s3run *s, curl_socket_t fd)
{
	if ((size_t)fd >= s->nsockreg) {
		size_t n = (size_t)fd + 64;

		s->sockreg = xrealloc(s->sockreg, n);
		memset(s->sockreg + s->nsockreg, 0, n - s->nsockreg);
		s->nsockreg = n;
	}
	return &s->sockreg[fd];
}

static curl_socket_t
on_open(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct s3run *s = arg;
	curl_socket_t fd = socket(a->family, a->socktype, a->protocol);

	if (fd >= 0)
		*reg_of(s, fd) = EV_OURS;
	return fd;
}

static int
on_close(void *arg, curl_socket_t fd)
{
	struct s3run *s = arg;

	if (fd >= 0 && (size_t)fd < s->nsockreg)
		s->sockreg[fd] = 0;
	return close(fd);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct evloop *ev = arg;
	struct epoll_event ee;
	unsigned char *r;
	unsigned want;
	int op;

	if (fd < 0)
		return 0;
	r = reg_of(ev->s, fd);
	if (what == CURL_POLL_REMOVE) {
		if (*r & EV_OURS)
			*r &= (unsigned char)~EV_WANT;
		else {
			if (*r & EV_IN_SET)
				(void)epoll_ctl(ev->epfd, EPOLL_CTL_DEL, fd,
				    NULL);
			*r = 0;
		}
		return 0;
	}
	want = (what & CURL_POLL_IN ? EV_IN : 0) |
	    (what & CURL_POLL_OUT ? EV_OUT : 0);
	if ((*r & EV_IN_SET) && (*r & (EV_IN | EV_OUT)) == want) {
		*r |= EV_WANT;
		return 0;
	}
	memset(&ee, 0, sizeof(ee));
	ee.events = (want & EV_IN ? EPOLLIN : 0) |
	    (want & EV_OUT ? EPOLLOUT : 0);
	ee.data.fd = fd;
	/* the other call when the set says otherwise than reg */
	op = *r & EV_IN_SET ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(ev->epfd, op, fd, &ee) != 0)
		(void)epoll_ctl(ev->epfd, op == EPOLL_CTL_MOD ?
		    EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ee);
	*r = (unsigned char)((*r & EV_OURS) | want | EV_IN_SET | EV_WANT);
	return 0;
}

/* Sleep until a socket is ready, libcurl's timeout is due or wait seconds
 * passed, and let libcurl act on what happened. */
static void
ev_wait(struct evloop *ev, double wait)
{
	struct epoll_event ee[64];
	unsigned char *r;
	long cms = -1;
	int n, i, ms, still;

	ms = wait <= 0 ? 0 : (int)(wait * 1000 + 0.999);
	if (curl_multi_timeout(ev->multi, &cms) == CURLM_OK && cms >= 0 &&
	    cms < ms)
		ms = (int)cms;
	n = ms > 0 ? epoll_wait(ev->epfd, ee,
	    (int)(sizeof(ee) / sizeof(ee[0])), ms) : 0;
	for (i = 0; i < n; i++) {
		int fd = ee[i].data.fd;

		r = reg_of(ev->s, fd);	/* on_socket put it in the set */
		if (!(*r & EV_WANT)) {
			/* dropped by libcurl, and now closed or readable */
			(void)epoll_ctl(ev->epfd, EPOLL_CTL_DEL, fd, NULL);
			*r &= EV_OURS;
			continue;
		}
		curl_multi_socket_action(ev->multi, fd,
		    (ee[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
		    (ee[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
		    (ee[i].events & (EPOLLERR | EPOLLHUP) ?
		    CURL_CSELECT_ERR : 0), &still);
	}
	/* timeouts that are due (libcurl looks at its own clock) */
	if (n <= 0 || (curl_multi_timeout(ev->multi, &cms) == CURLM_OK &&
	    cms == 0))
		curl_multi_socket_action(ev->multi, CURL_SOCKET_TIMEOUT, 0,
		    &still);
}

void
s3job_run(struct s3run *s, CURL **pool, size_t npool)
{
	struct fetch *f = s->f;
	struct ct_aws_error e, eperr;
	struct slot *slot = xcalloc(npool, sizeof(*slot));
	struct job *j;
	struct evloop ev;
	size_t i;
	int nq;
	CURLMsg *m;

	for (i = 0; i < npool; i++)
		ct_s3_signed_init(&slot[i].sig);
	ev.multi = s->multi;
	ev.s = s;
	/* a new epoll set: the connections kept from a loop before are in
	 * none */
	for (i = 0; i < s->nsockreg; i++)
		s->sockreg[i] &= EV_OURS;
	for (i = 0; i < npool; i++) {
		curl_easy_setopt(pool[i], CURLOPT_OPENSOCKETFUNCTION, on_open);
		curl_easy_setopt(pool[i], CURLOPT_OPENSOCKETDATA, s);
		curl_easy_setopt(pool[i], CURLOPT_CLOSESOCKETFUNCTION,
		    on_close);
		curl_easy_setopt(pool[i], CURLOPT_CLOSESOCKETDATA, s);
	}
	if ((ev.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		ct_awserr_set(&eperr, CT_AWS_OTHER, "ConnectionError",
		    "s3://%.40s: epoll: %s", s->bucket, strerror(errno));
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, &ev);
	for (;;) {
		double now = fetch_now(), wait = 0.1;
		struct job **pp = &s->queue;
		int lost_tail = 0;

		/* start what may start (no job is pushed meanwhile) */
		while ((j = *pp) != NULL) {
			if (fetch_stop || (j->u != NULL && j->u->failed) ||
			    ev.epfd == -1) {
				lost_tail |= j == s->tail;
				*pp = j->next;
				if (ev.epfd == -1 && !fetch_stop)
					job_failed(s, j, &eperr);
				s3job_unit_done(f, j->u);
				s3job_free(j);
				continue;
			}
			for (i = 0; i < npool && slot[i].j != NULL; i++)
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
			if (start_job(s, j, pool[i], &slot[i], &e) != 0) {
				job_failed(s, j, &e);
				s3job_unit_done(f, j->u);
				s3job_free(j);
				continue;
			}
			slot[i].j = j;
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
		/* fetch_stop is looked at every 100 ms at least */
		ev_wait(&ev, wait);
		while ((m = curl_multi_info_read(s->multi, &nq)) != NULL) {
			int rc;

			if (m->msg != CURLMSG_DONE)
				continue;
			for (i = 0; i < npool && pool[i] != m->easy_handle; i++)
				;
			j = slot[i].j;
			slot[i].j = NULL;
			{
				long nc = 0;

				curl_easy_getinfo(m->easy_handle,
				    CURLINFO_NUM_CONNECTS, &nc);
				s->requests++;
				s->connects += nc > 0 ? (unsigned long)nc : 0;
			}
			rc = finished(s, j, m->data.result, &e);
			curl_multi_remove_handle(s->multi, m->easy_handle);
			s->running--;
			if (rc == 1 && j->u != NULL && j->u->failed)
				rc = 0;
			if (rc == 2) {
				/* redirected: again at once, not a retry */
				j->not_before = 0;
				enqueue(s, j);
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
					enqueue(s, j);
					continue;
				}
			}
			if (rc == -1)
				job_failed(s, j, &e);
			s3job_unit_done(f, j->u);
			s3job_free(j);
		}
	}
	/* stopped: what still runs is dropped */
	for (i = 0; i < npool; i++) {
		if ((j = slot[i].j) == NULL)
			continue;
		curl_multi_remove_handle(s->multi, pool[i]);
		s3job_unit_done(f, j->u);
		s3job_free(j);
	}
	s->running = 0;
	for (i = 0; i < npool; i++)
		ct_s3_signed_free(&slot[i].sig);
	free(slot);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, NULL);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, NULL);
	for (i = 0; i < npool; i++)
		curl_easy_setopt(pool[i], CURLOPT_HTTPHEADER, NULL);
	if (ev.epfd != -1)
		close(ev.epfd);
}
