/*
 * worker.c - one region: page through LookupEvents at the region's pace.
 *
 * A worker owns its client (one curl handle: the connection is reused) and
 * its limiter.  Pages are strictly sequential (each needs the NextToken of
 * the one before), so a region is one loop: wait for the limiter, send,
 * and then:
 *   - a page: hand it to the writer, which emits it and saves the
 *     checkpoint, and go on with its NextToken;
 *   - throttled: slow the limiter down, back off, resend the same request;
 *     give up only after --throttle-deadline seconds without a page;
 *   - 5xx, reset, timeout, truncated or unparseable answer, expired
 *     credentials (aws.c marks them stale, so the resend signs with fresh
 *     ones), no connection: resend the same request; give up after
 *     --retries failures in a row.  The first resend waits only for the
 *     pace (the failed attempt took its place in the limiter, so the
 *     resend is at least a window's share later; these are not throttles
 *     and do not slow the pace); a second failure in a row backs off
 *     (randomly, up to 1 s, 2 s, 4 s, ...) as well;
 *   - denied, rejected credentials, anything else: give up the region.
 * Every page is also judged by lib/walkguard.h: a NextToken already used
 * in this walk, or CT_WALKGUARD_IDLE_PAGES pages in a row without a new
 * event of the window, end the region as failed (after writing that
 * page), so that an endpoint that answers with fresh NextTokens for ever
 * cannot keep a run going for ever.  Events outside the window or out of
 * order are written, but not counted as progress, with one warning.
 * A page is emitted only once it was received and parsed in full, so a
 * failed attempt never emits anything and a resend never duplicates.
 * A run that resumes a checkpoint counts the region's window as full when
 * it took the checkpoint's lock (ct_ratelimit_busy): the run before it may
 * have paced the same quota until then.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"
#include "http.h"
#include "ratelimit.h"
#include "walkguard.h"
#include "xalloc.h"

static void
set_status(struct fetch *f, struct region *r, enum region_status st)
{
	pthread_mutex_lock(&f->lock);
	r->status = st;
	r->t_end = fetch_now();
	pthread_mutex_unlock(&f->lock);
}

static void
fail(struct fetch *f, struct region *r, const struct ct_aws_error *e)
{
	pthread_mutex_lock(&f->lock);
	r->err = *e;
	pthread_mutex_unlock(&f->lock);
	set_status(f, r, RS_FAILED);
}

static void
count(struct fetch *f, unsigned long *c)
{
	pthread_mutex_lock(&f->lock);
	(*c)++;
	pthread_mutex_unlock(&f->lock);
}

/* Warn, once per region and kind, about what a page held that a walk
 * should not (the endpoint broke its protocol). */
static void
warn_page(struct fetch *f, struct region *r, const struct ct_walkguard *g,
    const struct ct_walkguard_page *w, int *warned)
{
	char t[32], ref[32];

	if (w->outside > 0 && !(*warned & 1)) {
		*warned |= 1;
		fetch_fmt_time((int64_t)w->bad_time, t, sizeof(t));
		msg(f, PROG ": %s: warning: LookupEvents answered an event "
		    "outside the window (event %s at %s); not counted as "
		    "progress (warned once)", r->name,
		    fetch_shown_id(w->bad_id), w->bad_time > 0 ? t :
		    "no time");
	} else if (w->reordered > 0 && !(*warned & 2)) {
		*warned |= 2;
		fetch_fmt_time((int64_t)w->bad_time, t, sizeof(t));
		fetch_fmt_time((int64_t)w->bad_ref, ref, sizeof(ref));
		msg(f, PROG ": %s: warning: LookupEvents answered an event "
		    "newer than the ones before it (event %s at %s, after %s; "
		    "events come newest first); not counted as progress "
		    "(warned once)", r->name, fetch_shown_id(w->bad_id), t,
		    ref);
	}
	if (w->repeated > 0 && !(*warned & 4)) {
		*warned |= 4;
		msg(f, PROG ": %s: warning: LookupEvents answered events "
		    "already received (%zu on page %" PRIu64 "); not counted "
		    "as progress (warned once)", r->name, w->repeated,
		    g->pages);
	}
}

static void
run(struct fetch *f, struct region *r, struct ct_aws *c)
{
	struct ct_walkguard g;
	struct ct_walkguard_page w;
	enum ct_walkguard_verdict v;
	struct ct_ratelimit rl;
	struct ct_lookup_page page;
	struct ct_lookup_req rq;
	struct ct_aws_error err;
	char *token;
	double t, throttled_since = 0;
	unsigned long conns;
	int fails = 0, throttles = 0, warned = 0, rc, conn_gone = 1, resent;

	ct_ratelimit_init(&rl, f->rate, f->margin);
	if (f->busy_until > 0)
		ct_ratelimit_busy(&rl, f->busy_until);
	ct_lookup_page_init(&page);
	pthread_mutex_lock(&f->lock);
	token = r->ck->next_token != NULL ? xstrdup(r->ck->next_token) : NULL;
	pthread_mutex_unlock(&f->lock);
	ct_walkguard_init(&g, f->start, f->end, 0, token);
	memset(&rq, 0, sizeof(rq));
	rq.start = f->start;
	rq.end = f->end;
	rq.max_results = f->page_size;
	for (;;) {
		fetch_sleep_until(ct_ratelimit_next(&rl, fetch_now()));
		if (fetch_stop) {
			set_status(f, r, RS_STOPPED);
			break;
		}
		t = fetch_now();
		ct_ratelimit_start(&rl, t);
		rq.next_token = token;
		conns = ct_aws_connects(c);
		rc = ct_lookup_events(c, &rq, &page, &err);
		/*
		 * libcurl resends a request by itself, on a new connection,
		 * when the reused one turns out dead before any answer: the
		 * server may have seen this attempt twice.  A new connection
		 * where the last attempt left one open is counted as a second
		 * start, so that such resends never push the region over its
		 * limit.  (A failure of the transport, reset, timeout or
		 * cut-short answer, closes the connection: a new one after it
		 * is no resend.  An HTTP answer, or a whole answer that does
		 * not parse, leaves it open.)
		 */
		resent = ct_aws_connects(c) > conns && !conn_gone;
		if (resent)
			ct_ratelimit_start(&rl, fetch_now());
		conn_gone = rc != 0 && err.http_status == 0 &&
		    strcmp(err.code, "InvalidResponse") != 0;
		if (rc == 0) {
			v = ct_walkguard_page(&g, &page, &w);
			if (!f->quiet)
				warn_page(f, r, &g, &w, &warned);
			if (out_page(f, r, &page) != 0) {
				set_status(f, r, RS_STOPPED);
				break;
			}
			fails = 0;
			throttles = 0;
			throttled_since = 0;
			free(token);
			if (page.next_token == NULL) {
				token = NULL;
				set_status(f, r, RS_COMPLETE);
				break;
			}
			token = xstrdup(page.next_token);
			if (v == CT_WALKGUARD_LOOP) {
				ct_awserr_set(&err, CT_AWS_OTHER,
				    "NextTokenLoop", "cloudtrail LookupEvents "
				    "(%s): page %" PRIu64 " answered a NextToken "
				    "already used in this walk: the endpoint "
				    "loops; giving up", r->name, g.pages);
				fail(f, r, &err);
				break;
			}
			if (v == CT_WALKGUARD_STALLED) {
				ct_awserr_set(&err, CT_AWS_OTHER, "NoProgress",
				    "cloudtrail LookupEvents (%s): %d pages in "
				    "a row with a NextToken but no new event of "
				    "the window (%" PRIu64 " outside it, %"
				    PRIu64 " out of order, %" PRIu64 " repeated "
				    "so far); giving up", r->name, g.idle,
				    g.outside, g.reordered, g.repeated);
				fail(f, r, &err);
				break;
			}
			continue;
		}
		switch (err.cls) {
		case CT_AWS_CANCELLED:
			set_status(f, r, RS_STOPPED);
			goto out;
		case CT_AWS_THROTTLED:
			count(f, &r->throttles);
			t = fetch_now();
			if (throttled_since == 0)
				throttled_since = t;
			if (t - throttled_since > f->throttle_deadline) {
				ct_awserr_append(&err, " (throttled for %.0f s, "
				    "giving up)", t - throttled_since);
				fail(f, r, &err);
				goto out;
			}
			fails = 0;
			/*
			 * A resend by libcurl right after the first try died
			 * is a second request in the window: its throttle
			 * says nothing about the server's quota.  Resend at
			 * the pace, without slowing down.
			 */
			if (resent)
				break;
			ct_ratelimit_throttled(&rl, t);
			if (throttles < 10)
				throttles++;
			fetch_sleep_until(t + ct_retry_delay_ms(throttles) /
			    1000.0);
			break;
		case CT_AWS_RETRYABLE:
		case CT_AWS_NETWORK:
			count(f, &r->retries);
			if (++fails > f->max_retries) {
				ct_awserr_append(&err, " (%d attempts)", fails);
				fail(f, r, &err);
				goto out;
			}
			if (!f->quiet && f->progress)
				msg(f, PROG ": %s: %s; retrying", r->name,
				    err.line);
			if (fails > 1)
				fetch_sleep_until(fetch_now() +
				    ct_retry_delay_ms(fails - 1) / 1000.0);
			break;
		case CT_AWS_CREDENTIALS:
			/*
			 * STS accepted these credentials at start-up, so a
			 * region that does not know them is a region not
			 * enabled for the account (opt-in regions): denied.
			 */
			if (strcmp(err.code, "UnrecognizedClientException") ==
			    0 || strcmp(err.code, "InvalidClientTokenId") == 0)
				err.cls = CT_AWS_DENIED;
			fail(f, r, &err);
			goto out;
		default:
			fail(f, r, &err);
			goto out;
		}
	}
out:
	free(token);
	ct_walkguard_free(&g);
	ct_lookup_page_free(&page);
}

void *
fetch_worker(void *arg)
{
	struct region *r = arg;
	struct fetch *f = r->fetch;
	struct ct_aws_error err;
	struct ct_aws *c;

	pthread_mutex_lock(&f->lock);
	r->status = RS_RUNNING;
	r->t_start = fetch_now();
	pthread_mutex_unlock(&f->lock);
	if (out_start_record(f, r) != 0) {
		set_status(f, r, RS_STOPPED);
		return NULL;
	}
	if ((c = ct_aws_new(f->ctx, r->name, &err)) == NULL)
		fail(f, r, &err);
	else {
		ct_aws_set_abort(c, &fetch_stop);
		run(f, r, c);
		ct_aws_free(c);
	}
	/* STS accepted the keys before any worker ran (main.c): a region
	 * that rejects them is likely not enabled. */
	if (r->status == RS_FAILED) {
		const char *hint = ct_awserr_region_hint(&r->err);

		msg(f, PROG ": %s: %s%s%s", r->name, r->err.line,
		    hint != NULL ? "; " : "", hint != NULL ? hint : "");
	}
	out_end_record(f, r);
	progress_region_done(f, r);
	return NULL;
}
