/*
 * seqread.c - scanner callbacks into a fold, and the sequential reader
 * (seqread.h).
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awserr.h"
#include "input.h"
#include "scan.h"
#include "seqread.h"
#include "timefmt.h"

/* ---- line numbers -------------------------------------------------------- */

uint64_t
ct_read_count_nl(const char *p, size_t n)
{
	const char *e = p + n, *q;
	uint64_t c = 0;

	while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c++;
		p = q + 1;
	}
	return c;
}

uint64_t
ct_readctx_line(struct ct_readctx *cx, size_t off)
{
	if (off < cx->cur_off)
		return cx->cur_line - ct_read_count_nl(cx->buf + off,
		    cx->cur_off - off);
	/* through a mapped file's part given back: in steps, each given
	 * back again once counted (the resident set stays bounded) */
	while (cx->rel_in != NULL && cx->cur_off < cx->rel_done &&
	    off - cx->cur_off > CT_READ_RELEASE_STEP) {
		cx->cur_line += ct_read_count_nl(cx->buf + cx->cur_off,
		    CT_READ_RELEASE_STEP);
		ct_input_release(cx->rel_in, cx->cur_off,
		    cx->cur_off + CT_READ_RELEASE_STEP);
		cx->cur_off += CT_READ_RELEASE_STEP;
	}
	cx->cur_line += ct_read_count_nl(cx->buf + cx->cur_off,
	    off - cx->cur_off);
	cx->cur_off = off;
	return cx->cur_line;
}

/*
 * Where to start again after a malformed value that began at from: the
 * start of the next line (so one bad line of NDJSON costs that line only;
 * in a broken pretty-printed file the lines after the break are read one
 * by one and the records among them still count).  Returns the offset, or
 * -1 if there is no line end in p[from..n).
 */
ssize_t
ct_read_resync(const char *p, size_t from, size_t n)
{
	const char *q = from < n ? memchr(p + from, '\n', n - from) : NULL;

	return q != NULL ? q + 1 - p : -1;
}

/*
 * The input ended: the ct-fetch streams still open in st were cut short
 * (the ct-fetch that wrote them was killed or crashed).  They count as
 * incomplete in f, and each gets a message in mv.
 */
void
ct_readctx_stream_end(struct ct_fold *f, struct ct_fold_stream *st,
    struct ct_readmsg_list *mv)
{
	char reg[64], acct[64], from[21], to[21];
	size_t i;

	for (i = 0; i < st->nopen; i++) {
		const struct ct_fold_open *x = &st->open[i];

		ct_awserr_clean(reg, sizeof(reg), x->region, strlen(x->region));
		if (x->account != NULL)
			ct_awserr_clean(acct, sizeof(acct), x->account,
			    strlen(x->account));
		if (!x->have_from || ct_time_format_iso(x->from, from) != 0)
			strcpy(from, "?");
		if (!x->have_to || ct_time_format_iso(x->to, to) != 0)
			strcpy(to, "?");
		ct_readmsg_add(mv, CT_READ_CUT, 0, "the ct-fetch stream of %s "
		    "(account %s, window %s to %s) has no end record: the "
		    "ct-fetch that wrote it stopped before the end (killed or "
		    "crashed); %s counts as failed (Incomplete)", reg,
		    x->account != NULL ? acct : "unknown", from, to, reg);
	}
	ct_fold_stream_end(f, st);
}

/* ---- scanner callbacks --------------------------------------------------- */

/*
 * The object at p (a record without eventSource and eventName) is a
 * summary: its first key is "_metadata", as ct-aggregate writes it (and
 * json.dump(sort_keys=True) does).  The object is whole in the buffer and
 * ends with '}', which the pattern does not hold, so strncmp stops inside
 * it.
 */
static int
is_summary(const char *p)
{
	if (*p++ != '{')
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return strncmp(p, "\"_metadata\"", 11) == 0;
}

static int
cb_record(void *arg, const struct ct_record *r, size_t repaired, size_t off)
{
	struct ct_readctx *cx = arg;
	struct ct_readmsg_list *mv = cx->msgs;

	switch (ct_fold_record(cx->fold, cx->st, r, repaired)) {
	case CT_FOLD_NEED_STATE:
		cx->need_state = 1;
		return 1;
	case CT_FOLD_SKIPPED:
		if (r->event_source.p == NULL && r->event_name.p == NULL &&
		    is_summary(cx->buf + off)) {
			if (mv->summary_said && mv->summary_name == mv->name)
				return 0;
			mv->summary_said = 1;
			mv->summary_name = mv->name;
			ct_readmsg_add(mv, CT_READ_SKIPPED, 0, "a ct-aggregate "
			    "summary, not CloudTrail records: add summaries up "
			    "with ct-aggregate --merge, chart one with ct-plot");
			return 0;
		}
		if (cx->msgs->kept[CT_READ_SKIPPED] < CT_READ_KEEP)
			ct_readmsg_add(cx->msgs, CT_READ_SKIPPED,
			    ct_readctx_line(cx, off),
			    "record without %s skipped (not an API call)",
			    r->event_source.p == NULL &&
			    r->event_name.p == NULL ?
			    "eventSource and eventName" :
			    r->event_source.p == NULL ? "eventSource" :
			    "eventName");
		return 0;
	default:
		return 0;
	}
}

static int
cb_control(void *arg, const char *p, size_t n, size_t off)
{
	struct ct_readctx *cx = arg;

	switch (ct_fold_control(cx->fold, cx->st, p, n, &cx->err)) {
	case CT_FOLD_NEED_STATE:
		cx->need_state = 1;
		return 1;
	case CT_FOLD_UNKNOWN:
		ct_readmsg_add(cx->msgs, CT_READ_WARN, 0,
		    "ct-fetch control record of unknown kind or version "
		    "ignored");
		return 0;
	case CT_FOLD_BAD:
		cx->fold->sum->meta.values_malformed++;
		ct_readmsg_add(cx->msgs, CT_READ_MALFORMED,
		    ct_readctx_line(cx, off), "bad ct-fetch control record: %s",
		    cx->err.data ? cx->err.data : "unreadable");
		if (cx->o->strict) {
			cx->strict_hit = 1;
			return 1;
		}
		return 0;
	case CT_FOLD_FLAGGED:
		ct_readmsg_add(cx->msgs, CT_READ_TAMPERED,
		    ct_readctx_line(cx, off), "%s", cx->err.data);
		return 0;
	default:
		return 0;
	}
}

static int
cb_digest(void *arg, size_t off)
{
	struct ct_readctx *cx = arg;

	cx->fold->sum->meta.digest_files++;
	return 0;
}

static int
cb_skipped(void *arg, const char *reason, size_t off)
{
	struct ct_readctx *cx = arg;

	cx->fold->sum->meta.records_skipped++;
	if (cx->msgs->kept[CT_READ_SKIPPED] < CT_READ_KEEP)
		ct_readmsg_add(cx->msgs, CT_READ_SKIPPED,
		    ct_readctx_line(cx, off), "value skipped: %s", reason);
	return 0;
}

static int
cb_malformed(void *arg, const char *reason, size_t off)
{
	struct ct_readctx *cx = arg;

	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[CT_READ_MALFORMED] < CT_READ_KEEP)
		ct_readmsg_add(cx->msgs, CT_READ_MALFORMED,
		    ct_readctx_line(cx, off), "malformed CloudTrailEvent: %s",
		    reason);
	if (cx->o->strict) {
		cx->strict_hit = 1;
		return 1;
	}
	return 0;
}

const struct ct_scan_ops ct_readctx_ops = {
	cb_record, cb_control, cb_digest, cb_skipped, cb_malformed,
};

void
ct_readctx_init(struct ct_readctx *cx, const struct ct_read_opts *o,
    struct ct_fold *f, struct ct_fold_stream *st, struct ct_readmsg_list *mv)
{
	memset(cx, 0, sizeof(*cx));
	cx->o = o;
	cx->fold = f;
	cx->st = st;
	cx->msgs = mv;
	cx->cur_line = 1;
	ct_buf_init(&cx->err, 4096);
}

/* A malformed value starting at buffer offset start, bad at off. */
void
ct_readctx_bad_value(struct ct_readctx *cx, size_t start, size_t off,
    const char *reason)
{
	uint64_t l0, l1;

	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[CT_READ_MALFORMED] < CT_READ_KEEP) {
		l0 = ct_readctx_line(cx, start);
		l1 = ct_readctx_line(cx, off);
		ct_readmsg_add(cx->msgs, CT_READ_MALFORMED, l0,
		    "malformed JSON: %s", reason);
		cx->msgs->v[cx->msgs->n - 1].line2 = l1;
	}
	if (cx->o->strict)
		cx->strict_hit = 1;
}

/* ---- sequential reading ------------------------------------------------ */

void
ct_seqread_init(struct ct_seqread *q, const struct ct_read_opts *o,
    struct ct_fold *f, struct ct_fold_stream *st, struct ct_readmsg_list *mv,
    struct ct_scanner *sc, struct ct_input *in, int use_pread, off_t start,
    size_t skip, uint64_t line)
{
	const char *w;
	size_t wn;

	memset(q, 0, sizeof(*q));
	ct_readctx_init(&q->cx, o, f, st, mv);
	q->cx.cur_line = line;
	if (sc == NULL) {
		q->sc = ct_scan_new(&ct_readctx_ops, &q->cx);
		q->own_sc = 1;
	} else {
		q->sc = sc;
		ct_scan_set_arg(sc, &q->cx);
	}
	q->in = in;
	q->use_pread = use_pread;
	q->poff = start;
	q->base = (uint64_t)start;
	q->last_end = (uint64_t)start;
	q->skip = skip;
	ct_buf_init(&q->win, 0);
	ct_buf_init(&q->err, 4096);
	if (in != NULL && !use_pread &&
	    ct_input_whole(in, &w, &wn, &q->whole_err)) {
		q->whole = 1;
		q->data = w;
		q->len = wn;
		q->eof = 1;
	}
	q->cx.buf = q->data;
}

void
ct_seqread_free(struct ct_seqread *q)
{
	if (q->own_sc)
		ct_scan_free(q->sc);
	ct_buf_free(&q->win);
	ct_buf_free(&q->err);
	ct_buf_free(&q->cx.err);
}

/* Read more input after the view's end (dropping what is before pos). */
static void
seq_more(struct ct_seqread *q)
{
	ssize_t r;

	if (q->eof)
		return;
	/* keep the line cursor at or after what is dropped */
	if (q->cx.cur_off < q->pos)
		ct_readctx_line(&q->cx, q->pos);
	if (q->pos > 0) {
		ct_buf_consume(&q->win, q->pos);
		q->base += q->pos;
		q->cx.cur_off -= q->pos;
		q->pos = 0;
	}
	if (ct_buf_reserve(&q->win, CT_READ_SIZE) < 0) {
		q->eof = 1;
		return;
	}
	if (q->src != NULL)
		r = q->src(q->src_arg, q->win.data + q->win.len, CT_READ_SIZE);
	else if (q->use_pread) {
		r = ct_input_pread(q->in, q->win.data + q->win.len,
		    CT_READ_SIZE,
		    q->poff, &q->err);
		if (r > 0) {
			q->poff += r;
			/* read forward only: a mapped file's pages behind
			 * leave the resident set */
			ct_input_release(q->in, (size_t)(q->poff - r),
			    (size_t)q->poff);
		}
	} else
		r = ct_input_read(q->in, q->win.data + q->win.len, CT_READ_SIZE,
		    &q->err);
	if (r > 0) {
		q->win.len += (size_t)r;
		q->win.data[q->win.len] = '\0';
	} else {
		q->eof = 1;
		q->read_failed = r < 0;
	}
	q->data = q->win.data;
	q->len = q->win.len;
	q->cx.buf = q->data;
}

/* At the end: the read error that ended the input early, if any. */
void
ct_seqread_read_error(struct ct_seqread *q)
{
	if (!q->read_failed)
		return;
	q->read_failed = 0;
	q->cx.fold->sum->meta.values_malformed++;
	ct_readmsg_add(q->cx.msgs, CT_READ_MALFORMED,
	    ct_readctx_line(&q->cx, q->len), "%s",
	    q->err.data ? q->err.data : "read error");
	if (q->cx.o->strict)
		q->cx.strict_hit = 1;
}

/*
 * Skip whitespace (and a line being discarded), reading as needed.
 * Returns 1 with *at = input offset of the next value, 0 at the end.
 */
int
ct_seqread_peek(struct ct_seqread *q, uint64_t *at)
{
	const char *p;
	ssize_t r;

	for (;;) {
		if (q->discard) {
			r = ct_read_resync(q->data, q->pos, q->len);
			if (r >= 0) {
				q->pos = (size_t)r;
				q->discard = 0;
				q->last_end = q->base + q->pos;
			} else {
				if (q->eof) {
					q->pos = q->len;
					return 0;
				}
				q->pos = q->len;
				seq_more(q);
				continue;
			}
		}
		p = q->data + q->pos;
		while (p < q->data + q->len && (*p == ' ' || *p == '\n' ||
		    *p == '\r' || *p == '\t'))
			p++;
		q->pos = (size_t)(p - q->data);
		if (q->pos < q->len) {
			*at = q->base + q->pos;
			return 1;
		}
		if (q->eof)
			return 0;
		seq_more(q);
	}
}

/* A value longer than the cap: reported, then skipped like a bad one. */
void
ct_readctx_too_long(struct ct_readctx *cx, size_t start)
{
	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[CT_READ_MALFORMED] < CT_READ_KEEP)
		ct_readmsg_add(cx->msgs, CT_READ_MALFORMED,
		    ct_readctx_line(cx, start),
		    "value longer than %zu bytes skipped", cx->o->max_value);
	if (cx->o->strict)
		cx->strict_hit = 1;
}

/*
 * Scan the value at the current position (ct_seqread_peek put it there), never
 * looking more than max_value bytes into it.  Returns 1 to stop (strict).
 */
int
ct_seqread_value(struct ct_seqread *q)
{
	size_t next, lim, seen, cap = q->cx.o->max_value;
	int rc;

	for (;;) {
		lim = q->len - q->pos > cap ? q->pos + cap : q->len;
		rc = ct_scan_value(q->sc, q->data, lim, q->pos,
		    q->eof && lim == q->len, q->skip, &next);
		switch (rc) {
		case CT_SCAN_OK:
			q->pos = next;
			q->skip = 0;
			q->last_end = q->base + q->pos;
			return 0;
		case CT_SCAN_EMPTY:
			q->pos = lim;
			return 0;
		case CT_SCAN_MORE:
			q->skip = ct_scan_effects(q->sc);
			q->pos = next;
			if (lim - q->pos >= cap) {
				ct_readctx_too_long(&q->cx, q->pos);
				if (q->cx.strict_hit)
					return 1;
				q->skip = 0;
				q->discard = 1;
				return 0;
			}
			/* read until the value's part in hand doubles: each
			 * rescan from its start then costs as much as all the
			 * ones before, so a long value costs linear time */
			seen = lim - q->pos;
			do
				seq_more(q);
			while (!q->eof && q->len - q->pos < 2 * seen &&
			    q->len - q->pos < cap);
			continue;
		case CT_SCAN_BAD:
			ct_readctx_bad_value(&q->cx, ct_scan_start(q->sc), next,
			    ct_scan_reason(q->sc));
			if (q->cx.strict_hit)
				return 1;
			q->skip = 0;
			q->pos = ct_scan_start(q->sc);
			q->discard = 1;
			return 0;
		default:	/* STOP: strict */
			return 1;
		}
	}
}

/* Read a whole input from its start into f.  Returns 1 if strict hit. */
int
ct_seqread_whole(const struct ct_read_opts *o, const char *path,
    struct ct_fold *f, struct ct_readmsg_list *mv, struct ct_scanner *sc,
    struct ct_input_cache *ic, int *files_read)
{
	struct ct_fold_stream st;
	struct ct_input *in;
	struct ct_buf err;
	struct ct_seqread q;
	uint64_t at;
	int stop = 0;

	ct_buf_init(&err, 4096);
	if ((in = ct_input_open_cached(path, ic, &err)) == NULL) {
		f->sum->meta.values_malformed++;
		ct_readmsg_add(mv, CT_READ_MALFORMED, 0, "cannot read: %s",
		    err.data);
		ct_buf_free(&err);
		return o->strict;
	}
	ct_buf_free(&err);
	*files_read = 1;
	ct_fold_stream_init(&st, 1);
	ct_seqread_init(&q, o, f, &st, mv, sc, in, 0, 0, 0, 1);
	q.cx.rel_in = in;
	while (!stop && ct_seqread_peek(&q, &at)) {
		stop = ct_seqread_value(&q);
		/* a mapped file: what is read leaves the resident set */
		if (q.whole && q.pos - q.cx.rel_done >= CT_READ_RELEASE_STEP) {
			ct_input_release(in, q.cx.rel_done, q.pos);
			q.cx.rel_done = q.pos;
		}
	}
	if (!stop)
		ct_seqread_read_error(&q);
	stop = stop || q.cx.strict_hit;
	if (!stop && q.whole_err != NULL) {
		f->sum->meta.values_malformed++;
		ct_readmsg_add(mv, CT_READ_MALFORMED,
		    ct_readctx_line(&q.cx, q.len), "%s", q.whole_err);
		stop = o->strict;
	}
	ct_seqread_free(&q);
	if (!stop)
		ct_readctx_stream_end(f, &st, mv);
	ct_fold_stream_free(&st);
	ct_input_close(in);
	return stop;
}
