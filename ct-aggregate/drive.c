/*
 * drive.c - ct-aggregate's reading side: inputs, threads, messages.
 *
 * The inputs become a list of units: a few whole files (small files are
 * grouped so that threads do not spend their time handing over work), one
 * chunk of a large plain file (split at line ends), or a stream (standard
 * input, a pipe, a large gzip file).  Worker threads take units in order;
 * the main thread commits them in the same order, so messages and results
 * do not depend on the number of threads.
 *
 * A whole unit is read from its start: its counts go straight into the
 * worker's own fold (counts are sums, so the order of merging is free).
 * A chunk is scanned speculatively, as if it started between two values,
 * into a fold of its own; at commit the guess is checked: if everything
 * before the chunk was read and ended exactly at its start (the previous
 * chunk ended between values), its result is taken whole.  Otherwise (a
 * value spans the chunk boundary, as in a pretty-printed file; or the chunk
 * met something that needs the state of the ct-fetch stream before it),
 * the main thread reads on from where the good part ended, sequentially,
 * until it is between values again at a chunk start, and the speculative
 * results of the chunks it read through are thrown away.  So a wrong guess
 * costs time, never correctness.  A stream is the same with chunks that
 * the main thread reads (and inflates) itself, handing them to parse
 * threads (stream_run).
 *
 * Records found inside a value before the value turns out to be cut short
 * are delivered already; when the value is scanned again on a longer
 * buffer, the scanner skips that many effects (scan.h), so nothing counts
 * twice.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "awserr.h"
#include "exitcodes.h"
#include "input.h"
#include "scan.h"
#include "timefmt.h"
#include "xalloc.h"

#define READ_SIZE	((size_t)1 << 20)
/* Bytes of a mapped file read between two ct_input_release calls. */
#define RELEASE_STEP	((size_t)16 << 20)
#define MSG_KEEP	SHOW_MAX

/* Message kinds: malformed input, skipped records, the one warning about
 * unknown control records, inputs passed over, and ct-fetch streams cut
 * short (each shown). */
enum { K_MAL, K_SKIP, K_WARN, K_PASS, K_CUT, NK };

struct msg {
	const char	*name;	/* the input, when a unit has several */
	int		 kind;
	uint64_t	 line;	/* 0: none */
	uint64_t	 line2;	/* where a value that began at line went bad */
	char		*text;
};

struct msgv {
	struct msg	*v;
	size_t		 n, cap;
	const char	*name;	/* input being read, given to each msg */
	uint64_t	 kept[NK];
	/* the input whose "this is a summary" hint is in v, said once */
	int		 summary_said;
	const char	*summary_name;
};

struct ctx {
	struct ct_fold	*fold;
	struct ct_fold_stream *st;
	struct msgv	*msgs;
	const struct agg_opts *o;
	/* line of an offset: cursor into the current buffer */
	const char	*buf;
	size_t		 cur_off;
	uint64_t	 cur_line;
	int		 need_state;
	int		 strict_hit;
	/* a mapped file read whole: buf[0..rel_done) given back (read_whole) */
	struct ct_input	*rel_in;
	size_t		 rel_done;
	struct ct_buf	 err;
};

struct unit {
	int		 is_chunk;
	int		 is_stream;	/* read by the main thread, in chunks */
	int		 bad_dir;	/* an entry not read (a folder that
					   cannot be, a FIFO...): its message
					   in msgs */
	int		 passed;	/* bad_dir counted in inputs_skipped,
					   not values_malformed */
	const char	**path;		/* the unit's files (borrowed names) */
	size_t		 nfiles;	/* whole units: several; else 1 */
	size_t		 k, nchunks;
	off_t		 start, end;	/* chunk byte range */
	off_t		 size;		/* file size (chunks) */
	/* results */
	int		 done;
	int		 has_fold;
	struct ct_fold	 fold;		/* chunks only */
	struct msgv	 msgs;
	int		 strict_hit;
	int		 files_read;
	int		 need_seq;	/* chunk: read on from stop_off */
	off_t		 stop_off;
	size_t		 stop_skip;
	int		 stop_discard;	/* ... skipping a bad value */
	uint64_t	 stop_line;	/* relative to the chunk */
	uint64_t	 nlines;	/* newlines in the chunk (streams only) */
	struct ct_fold_stream st_end;	/* chunk 0: state at its end */
};

/*
 * The units, planned by the main thread a little ahead of the workers
 * rather than all before them: planning stats every file (24,000 of them
 * in a month of an S3 archive), which would leave the workers idle.
 * Units live in blocks that never move, so a worker's unit stays put while
 * more are planned.  Only closed units are published (nu): the newest unit
 * may be a group that later small files still join.
 */
#define UNIT_BLOCK	256
#define UNIT(p, i)	(&(p)->blk[(i) / UNIT_BLOCK][(i) % UNIT_BLOCK])

struct pool {
	const struct agg_opts *o;
	struct agg_inputs *in;
	struct unit	**blk;
	size_t		 nblk;
	size_t		 made;		/* units planned, the open group too */
	size_t		 nu;		/* units published to the workers */
	int		 all;		/* every input planned and published */
	int		 listed;	/* every input listed */
	struct unit	*group;		/* the open group, or NULL */
	off_t		 gbytes;	/* ... and its bytes */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_done, cv_room;
	size_t		 next;		/* next unit to take */
	size_t		 committed;	/* units committed */
	size_t		 window;
	int		 abort;
	size_t		 waiting;	/* unit the main thread waits for, +1 */
	int		 room_waiters;	/* workers waiting for the window */
};

struct worker {
	struct pool	*pool;
	struct ct_fold	 fold;
	struct ct_scanner *sc;
	struct ct_input_cache *ic;	/* for the files it reads whole */
	pthread_t	 tid;
	char		*buf;
	size_t		 bufsize;
};

const char *
agg_show_name(const char *path)
{
	static char shown[4 * 4096];

	if (strcmp(path, "-") == 0)
		return "(standard input)";
	ct_awserr_clean(shown, sizeof(shown), path, strlen(path));
	return shown;
}

/* ---- messages ------------------------------------------------------------ */

static void
msg_add(struct msgv *mv, int kind, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
msg_add(struct msgv *mv, int kind, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	if (kind != K_CUT && mv->kept[kind] >= MSG_KEEP)
		return;
	mv->kept[kind]++;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (mv->n == mv->cap) {
		mv->cap = mv->cap ? mv->cap * 2 : 8;
		mv->v = xrealloc(mv->v, mv->cap * sizeof(*mv->v));
	}
	mv->v[mv->n].name = mv->name;
	mv->v[mv->n].kind = kind;
	mv->v[mv->n].line = line;
	mv->v[mv->n].line2 = 0;
	mv->v[mv->n].text = xstrdup(tmp);
	mv->n++;
}

static void
msg_free(struct msgv *mv)
{
	size_t i;

	for (i = 0; i < mv->n; i++)
		free(mv->v[i].text);
	free(mv->v);
	memset(mv, 0, sizeof(*mv));
}

/* Messages printed so far, per kind (the rest is counted at the end from
 * the statistics). */
static uint64_t shown[NK];
static int warned_control;

static void
msg_print(const struct agg_opts *o, const char *dname, const struct msgv *mv,
    uint64_t line_base)
{
	size_t i;

	for (i = 0; i < mv->n; i++) {
		const struct msg *m = &mv->v[i];
		const char *name = m->name != NULL ? m->name : dname;

		if (m->kind == K_WARN) {
			if (!warned_control && !o->quiet)
				fprintf(stderr, "%s: %s: %s\n", PROG,
				    agg_show_name(name), m->text);
			warned_control = 1;
			continue;
		}
		if ((shown[m->kind] >= SHOW_MAX && m->kind != K_CUT) ||
		    (o->quiet && m->kind == K_SKIP))
			continue;
		shown[m->kind]++;
		if (m->line > 0 && m->line2 > m->line)
			fprintf(stderr, "%s: %s:%" PRIu64 ": %s (at line %"
			    PRIu64 ")\n", PROG, agg_show_name(name),
			    m->line + line_base, m->text, m->line2 + line_base);
		else if (m->line > 0)
			fprintf(stderr, "%s: %s:%" PRIu64 ": %s\n", PROG,
			    agg_show_name(name), m->line + line_base, m->text);
		else
			fprintf(stderr, "%s: %s: %s\n", PROG, agg_show_name(name),
			    m->text);
	}
}

/* ---- line numbers -------------------------------------------------------- */

static uint64_t
count_nl(const char *p, size_t n)
{
	const char *e = p + n, *q;
	uint64_t c = 0;

	while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c++;
		p = q + 1;
	}
	return c;
}

static uint64_t
line_at(struct ctx *cx, size_t off)
{
	if (off < cx->cur_off)
		return cx->cur_line - count_nl(cx->buf + off, cx->cur_off - off);
	/* through a mapped file's part given back: in steps, each given
	 * back again once counted (the resident set stays bounded) */
	while (cx->rel_in != NULL && cx->cur_off < cx->rel_done &&
	    off - cx->cur_off > RELEASE_STEP) {
		cx->cur_line += count_nl(cx->buf + cx->cur_off, RELEASE_STEP);
		ct_input_release(cx->rel_in, cx->cur_off,
		    cx->cur_off + RELEASE_STEP);
		cx->cur_off += RELEASE_STEP;
	}
	cx->cur_line += count_nl(cx->buf + cx->cur_off, off - cx->cur_off);
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
static ssize_t
resync(const char *p, size_t from, size_t n)
{
	const char *q = from < n ? memchr(p + from, '\n', n - from) : NULL;

	return q != NULL ? q + 1 - p : -1;
}

/*
 * The input ended: the ct-fetch streams still open in st were cut short
 * (the ct-fetch that wrote them was killed or crashed).  They count as
 * incomplete in f, and each gets a message in mv.
 */
static void
stream_end(struct ct_fold *f, struct ct_fold_stream *st, struct msgv *mv)
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
		msg_add(mv, K_CUT, 0, "the ct-fetch stream of %s (account %s, "
		    "window %s to %s) has no end record: the ct-fetch that "
		    "wrote it stopped before the end (killed or crashed); "
		    "%s counts as failed (Incomplete)", reg,
		    x->account != NULL ? acct : "unknown", from, to, reg);
	}
	ct_fold_stream_end(f, st);
}

/* ---- scanner callbacks ---------------------------------------------------- */

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
	struct ctx *cx = arg;
	struct msgv *mv = cx->msgs;

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
			msg_add(mv, K_SKIP, 0, "a ct-aggregate summary, not "
			    "CloudTrail records: add summaries up with "
			    "ct-aggregate --merge, chart one with ct-plot");
			return 0;
		}
		if (cx->msgs->kept[K_SKIP] < MSG_KEEP)
			msg_add(cx->msgs, K_SKIP, line_at(cx, off),
			    "record without %s skipped (not an API call)",
			    r->event_source.p == NULL && r->event_name.p == NULL ?
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
	struct ctx *cx = arg;

	switch (ct_fold_control(cx->fold, cx->st, p, n, &cx->err)) {
	case CT_FOLD_NEED_STATE:
		cx->need_state = 1;
		return 1;
	case CT_FOLD_UNKNOWN:
		msg_add(cx->msgs, K_WARN, 0,
		    "ct-fetch control record of unknown kind or version ignored");
		return 0;
	case CT_FOLD_BAD:
		cx->fold->sum->meta.values_malformed++;
		msg_add(cx->msgs, K_MAL, line_at(cx, off),
		    "bad ct-fetch control record: %s",
		    cx->err.data ? cx->err.data : "unreadable");
		if (cx->o->strict) {
			cx->strict_hit = 1;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static int
cb_digest(void *arg, size_t off)
{
	struct ctx *cx = arg;

	cx->fold->sum->meta.digest_files++;
	return 0;
}

static int
cb_skipped(void *arg, const char *reason, size_t off)
{
	struct ctx *cx = arg;

	cx->fold->sum->meta.records_skipped++;
	if (cx->msgs->kept[K_SKIP] < MSG_KEEP)
		msg_add(cx->msgs, K_SKIP, line_at(cx, off), "value skipped: %s",
		    reason);
	return 0;
}

static int
cb_malformed(void *arg, const char *reason, size_t off)
{
	struct ctx *cx = arg;

	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[K_MAL] < MSG_KEEP)
		msg_add(cx->msgs, K_MAL, line_at(cx, off),
		    "malformed CloudTrailEvent: %s", reason);
	if (cx->o->strict) {
		cx->strict_hit = 1;
		return 1;
	}
	return 0;
}

static const struct ct_scan_ops scan_ops = {
	cb_record, cb_control, cb_digest, cb_skipped, cb_malformed,
};

static void
ctx_init(struct ctx *cx, const struct agg_opts *o, struct ct_fold *f,
    struct ct_fold_stream *st, struct msgv *mv)
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
static void
bad_value(struct ctx *cx, size_t start, size_t off, const char *reason)
{
	uint64_t l0, l1;

	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[K_MAL] < MSG_KEEP) {
		l0 = line_at(cx, start);
		l1 = line_at(cx, off);
		msg_add(cx->msgs, K_MAL, l0, "malformed JSON: %s", reason);
		cx->msgs->v[cx->msgs->n - 1].line2 = l1;
	}
	if (cx->o->strict)
		cx->strict_hit = 1;
}

/* ---- sequential reading --------------------------------------------------- */

struct seq {
	struct ctx	 cx;
	struct ct_scanner *sc;
	int		 own_sc;
	struct ct_input	*in;
	int		 use_pread;
	off_t		 poff;		/* next pread offset */
	struct ct_buf	 win;
	const char	*data;		/* view: win.data or whole text */
	size_t		 len, pos;
	uint64_t	 base;		/* input offset of data[0] */
	uint64_t	 last_end;	/* input offset where the last value ended */
	int		 eof, discard, whole;
	size_t		 skip;
	const char	*whole_err;
	struct ct_buf	 err;
	int		 read_failed;	/* err holds why; reported at the end */
	/* instead of in: a source of bytes (streams read in chunks) */
	ssize_t		(*src)(void *, void *, size_t);
	void		*src_arg;
};

static void
seq_init(struct seq *q, const struct agg_opts *o, struct ct_fold *f,
    struct ct_fold_stream *st, struct msgv *mv, struct ct_scanner *sc,
    struct ct_input *in, int use_pread, off_t start, size_t skip,
    uint64_t line)
{
	const char *w;
	size_t wn;

	memset(q, 0, sizeof(*q));
	ctx_init(&q->cx, o, f, st, mv);
	q->cx.cur_line = line;
	if (sc == NULL) {
		q->sc = ct_scan_new(&scan_ops, &q->cx);
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

static void
seq_free(struct seq *q)
{
	if (q->own_sc)
		ct_scan_free(q->sc);
	ct_buf_free(&q->win);
	ct_buf_free(&q->err);
	ct_buf_free(&q->cx.err);
}

/* Read more input after the view's end (dropping what is before pos). */
static void
seq_more(struct seq *q)
{
	ssize_t r;

	if (q->eof)
		return;
	/* keep the line cursor at or after what is dropped */
	if (q->cx.cur_off < q->pos)
		line_at(&q->cx, q->pos);
	if (q->pos > 0) {
		ct_buf_consume(&q->win, q->pos);
		q->base += q->pos;
		q->cx.cur_off -= q->pos;
		q->pos = 0;
	}
	if (ct_buf_reserve(&q->win, READ_SIZE) < 0) {
		q->eof = 1;
		return;
	}
	if (q->src != NULL)
		r = q->src(q->src_arg, q->win.data + q->win.len, READ_SIZE);
	else if (q->use_pread) {
		r = ct_input_pread(q->in, q->win.data + q->win.len, READ_SIZE,
		    q->poff, &q->err);
		if (r > 0) {
			q->poff += r;
			/* read forward only: a mapped file's pages behind
			 * leave the resident set */
			ct_input_release(q->in, (size_t)(q->poff - r),
			    (size_t)q->poff);
		}
	} else
		r = ct_input_read(q->in, q->win.data + q->win.len, READ_SIZE,
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
static void
seq_read_error(struct seq *q)
{
	if (!q->read_failed)
		return;
	q->read_failed = 0;
	q->cx.fold->sum->meta.values_malformed++;
	msg_add(q->cx.msgs, K_MAL, line_at(&q->cx, q->len), "%s",
	    q->err.data ? q->err.data : "read error");
	if (q->cx.o->strict)
		q->cx.strict_hit = 1;
}

/*
 * Skip whitespace (and a line being discarded), reading as needed.
 * Returns 1 with *at = input offset of the next value, 0 at the end.
 */
static int
seq_peek(struct seq *q, uint64_t *at)
{
	const char *p;
	ssize_t r;

	for (;;) {
		if (q->discard) {
			r = resync(q->data, q->pos, q->len);
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
static void
too_long(struct ctx *cx, size_t start)
{
	cx->fold->sum->meta.values_malformed++;
	if (cx->msgs->kept[K_MAL] < MSG_KEEP)
		msg_add(cx->msgs, K_MAL, line_at(cx, start),
		    "value longer than %zu bytes skipped", cx->o->max_value);
	if (cx->o->strict)
		cx->strict_hit = 1;
}

/*
 * Scan the value at the current position (seq_peek put it there), never
 * looking more than max_value bytes into it.  Returns 1 to stop (strict).
 */
static int
seq_value(struct seq *q)
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
				too_long(&q->cx, q->pos);
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
			bad_value(&q->cx, ct_scan_start(q->sc), next,
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
static int
read_whole(const struct agg_opts *o, const char *path, struct ct_fold *f,
    struct msgv *mv, struct ct_scanner *sc, struct ct_input_cache *ic,
    int *files_read)
{
	struct ct_fold_stream st;
	struct ct_input *in;
	struct ct_buf err;
	struct seq q;
	uint64_t at;
	int stop = 0;

	ct_buf_init(&err, 4096);
	if ((in = ct_input_open_cached(path, ic, &err)) == NULL) {
		f->sum->meta.values_malformed++;
		msg_add(mv, K_MAL, 0, "cannot read: %s", err.data);
		ct_buf_free(&err);
		return o->strict;
	}
	ct_buf_free(&err);
	*files_read = 1;
	ct_fold_stream_init(&st, 1);
	seq_init(&q, o, f, &st, mv, sc, in, 0, 0, 0, 1);
	q.cx.rel_in = in;
	while (!stop && seq_peek(&q, &at)) {
		stop = seq_value(&q);
		/* a mapped file: what is read leaves the resident set */
		if (q.whole && q.pos - q.cx.rel_done >= RELEASE_STEP) {
			ct_input_release(in, q.cx.rel_done, q.pos);
			q.cx.rel_done = q.pos;
		}
	}
	if (!stop)
		seq_read_error(&q);
	stop = stop || q.cx.strict_hit;
	if (!stop && q.whole_err != NULL) {
		f->sum->meta.values_malformed++;
		msg_add(mv, K_MAL, line_at(&q.cx, q.len), "%s", q.whole_err);
		stop = o->strict;
	}
	seq_free(&q);
	if (!stop)
		stream_end(f, &st, mv);
	ct_fold_stream_free(&st);
	ct_input_close(in);
	return stop;
}

/* ---- chunks -------------------------------------------------------------- */

/* The first line start at or after pos (or size). */
static off_t
boundary(struct ct_input *in, off_t pos, off_t size)
{
	char buf[65536];
	struct ct_buf err;
	ssize_t r;
	char *nl;

	if (pos <= 0)
		return 0;
	if (pos >= size)
		return size;
	ct_buf_init(&err, 4096);
	pos--;
	for (;;) {
		r = ct_input_pread(in, buf, sizeof(buf), pos, &err);
		if (r <= 0) {
			pos = size;
			break;
		}
		if ((nl = memchr(buf, '\n', (size_t)r)) != NULL) {
			pos += nl - buf + 1;
			break;
		}
		pos += r;
	}
	ct_buf_free(&err);
	return pos;
}

static void scan_chunk(const struct agg_opts *, struct ct_scanner *,
    struct unit *, const char *, size_t, int, int);

/* Read one chunk of a plain file and scan it ahead of its turn. */
static void
read_chunk(struct worker *w, struct unit *u)
{
	const struct agg_opts *o = w->pool->o;
	const char *path = u->path[0];
	struct ct_input *in;
	struct ct_buf err;
	size_t len, got = 0;
	ssize_t r;

	ct_buf_init(&err, 4096);
	len = (size_t)(u->end - u->start);
	if ((in = ct_input_open(path, &err)) == NULL || len > 4 * o->chunk) {
		/* let the main thread read it */
		u->need_seq = 1;
		u->stop_off = u->start;
		u->stop_skip = 0;
		u->stop_line = 1;
		ct_input_close(in);
		ct_buf_free(&err);
		return;
	}
	{
		const char *wp, *we;
		size_t wn;

		if (ct_input_whole(in, &wp, &wn, &we) && (size_t)u->end <= wn) {
			/* mapped: scan the page cache in place */
			scan_chunk(o, w->sc, u, wp + u->start, len, u->k == 0,
			    u->end == u->size);
			ct_input_close(in);
			ct_buf_free(&err);
			return;
		}
	}
	if (w->bufsize < len + 1) {
		free(w->buf);
		w->bufsize = len + 1;
		w->buf = xmalloc(w->bufsize);
	}
	while (got < len) {
		r = ct_input_pread(in, w->buf + got, len - got,
		    u->start + (off_t)got, &err);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	ct_input_close(in);
	ct_buf_free(&err);
	if (got < len) {	/* changed under us, or I/O error: go slow */
		u->need_seq = 1;
		u->stop_off = u->start;
		u->stop_line = 1;
		return;
	}
	scan_chunk(o, w->sc, u, w->buf, len, u->k == 0, u->end == u->size);
}

/*
 * Scan buf[0..len), the chunk u of an input (u->start its offset there),
 * as if it began between two values (first: it begins the input; last:
 * nothing follows it).  Fills u's results.
 */
static void
scan_chunk(const struct agg_opts *o, struct ct_scanner *sc, struct unit *u,
    const char *buf, size_t len, int first, int last)
{
	struct ct_fold_stream st;
	struct ctx cx;
	size_t pos = 0, next;
	ssize_t r;
	int rc;

	ct_fold_init(&u->fold, &o->fold);
	u->has_fold = 1;
	ct_fold_stream_init(&st, first);
	ctx_init(&cx, o, &u->fold, &st, &u->msgs);
	cx.buf = buf;
	ct_scan_set_arg(sc, &cx);
	for (;;) {
		size_t lim, vs;

		while (pos < len && (buf[pos] == ' ' || buf[pos] == '\n' ||
		    buf[pos] == '\r' || buf[pos] == '\t'))
			pos++;
		lim = len - pos > o->max_value ? pos + o->max_value : len;
		rc = ct_scan_value(sc, buf, lim, pos, last && lim == len, 0,
		    &next);
		if (rc == CT_SCAN_OK) {
			pos = next;
			continue;
		}
		if (rc == CT_SCAN_EMPTY)
			break;
		if ((rc == CT_SCAN_MORE && lim - next < o->max_value) ||
		    (rc == CT_SCAN_STOP && cx.need_state)) {
			u->need_seq = 1;
			u->stop_off = u->start + (off_t)next;
			u->stop_skip = ct_scan_effects(sc) -
			    (rc == CT_SCAN_STOP ? 1 : 0);
			u->stop_line = line_at(&cx, next);
			break;
		}
		if (rc == CT_SCAN_STOP)	/* strict */
			break;
		vs = ct_scan_start(sc);
		if (rc == CT_SCAN_MORE)
			too_long(&cx, vs);
		else
			bad_value(&cx, vs, next, ct_scan_reason(sc));
		if (cx.strict_hit)
			break;
		if ((r = resync(buf, vs, len)) < 0) {
			/* the bad part goes on past the chunk */
			u->need_seq = 1;
			u->stop_discard = 1;
			u->stop_off = u->start + (off_t)vs;
			u->stop_skip = 0;
			u->stop_line = line_at(&cx, vs);
			break;
		}
		pos = (size_t)r;
	}
	u->strict_hit = cx.strict_hit;
	/* its newlines: counted by the caller for a stream; for a chunk of a
	 * file only when a line number past it is wanted (fstate_line), as a
	 * second pass over every chunk costs ~7% of a run */
	if (first)
		ct_fold_stream_copy(&u->st_end, &st);
	ct_fold_stream_free(&st);
	ct_buf_free(&cx.err);
}

/* ---- the pool ------------------------------------------------------------ */

/* Do unit u's share of the work (on a worker, or inline with -j1). */
static void
worker_do(struct worker *w, struct unit *u)
{
	struct pool *p = w->pool;

	if (u->is_stream || u->bad_dir)
		;	/* the main thread's, at its turn */
	else if (u->is_chunk)
		read_chunk(w, u);
	else {
		size_t f;
		int fr;

		for (f = 0; f < u->nfiles; f++) {
			fr = 0;
			u->msgs.name = u->path[f];
			u->strict_hit = read_whole(p->o, u->path[f],
			    &w->fold, &u->msgs, w->sc, w->ic, &fr);
			u->files_read += fr;
			if (u->strict_hit)
				break;
		}
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct unit *u;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		/* wait for a unit planned, within the window */
		while (!p->abort && (p->next < p->nu ?
		    p->next >= p->committed + p->window : !p->all)) {
			p->room_waiters++;
			pthread_cond_wait(&p->cv_room, &p->mu);
			p->room_waiters--;
		}
		if (p->abort || p->next >= p->nu) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		u = UNIT(p, i);
		worker_do(w, u);
		pthread_mutex_lock(&p->mu);
		u->done = 1;
		/* wake the main thread only if it waits for this one */
		if (p->waiting == i + 1)
			pthread_cond_signal(&p->cv_done);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Per-file state of the commit of chunks. */
struct fstate {
	off_t		 clean_at;	/* read up to here, between values */
	off_t		 line_off;	/* line number known up to here ... */
	uint64_t	 line;		/* ... and it is this */
	struct ct_fold_stream st;
	struct ct_input	*in;		/* sequential reading, when active */
	struct seq	 q;
	int		 seq;
	int		 finished;	/* EOF reached sequentially */
	struct msgv	 mv;
};

static void
fstate_seq_end(struct fstate *fs, const struct agg_opts *o, const char *name)
{
	seq_read_error(&fs->q);
	msg_print(o, name, &fs->mv, 0);
	msg_free(&fs->mv);
	seq_free(&fs->q);
	ct_input_close(fs->in);
	fs->in = NULL;
	fs->seq = 0;
}

/*
 * The line number at offset at (<= clean_at) of file name: the newlines
 * of the chunks taken whole were not counted when they were scanned, so
 * count them now, from the file (only diagnostics need it).
 */
static uint64_t
fstate_line(struct fstate *fs, const char *name, off_t at)
{
	struct ct_input *in;
	struct ct_buf err;
	const char *wp, *we;
	size_t wn, len;
	char *b;
	ssize_t r;

	if (at <= fs->line_off)
		return fs->line;
	ct_buf_init(&err, 4096);
	if ((in = ct_input_open(name, &err)) != NULL) {
		if (ct_input_whole(in, &wp, &wn, &we) && (size_t)at <= wn) {
			/* in steps, each given back once counted */
			while (fs->line_off < at) {
				len = (size_t)(at - fs->line_off) < RELEASE_STEP ?
				    (size_t)(at - fs->line_off) : RELEASE_STEP;
				fs->line += count_nl(wp + fs->line_off, len);
				ct_input_release(in, (size_t)fs->line_off,
				    (size_t)fs->line_off + len);
				fs->line_off += (off_t)len;
			}
		} else {
			b = xmalloc(1 << 16);
			while (fs->line_off < at) {
				len = (size_t)(at - fs->line_off) < (1 << 16) ?
				    (size_t)(at - fs->line_off) : (1 << 16);
				r = ct_input_pread(in, b, len, fs->line_off,
				    &err);
				if (r <= 0)
					break;
				fs->line += count_nl(b, (size_t)r);
				fs->line_off += r;
			}
			free(b);
		}
		ct_input_close(in);
	}
	ct_buf_free(&err);
	fs->line_off = at;
	return fs->line;
}

/*
 * Commit chunk u of a file: take its result if the guess holds, else read
 * on sequentially.  Returns 1 if --strict stops the run.
 */
static int
commit_chunk(struct pool *p, struct unit *u, struct fstate *fs,
    struct ct_fold *main_fold, uint64_t *files_read)
{
	const struct agg_opts *o = p->o;
	const char *name = u->path[0];
	struct ct_buf err;
	off_t target;
	uint64_t at;
	int stop = 0;

	if (u->k == 0) {
		memset(fs, 0, sizeof(*fs));
		fs->line = 1;
		ct_fold_stream_init(&fs->st, 1);
		(*files_read)++;
	}
	if (fs->finished)
		goto out;
	if (!fs->seq && fs->clean_at == u->start) {
		if (u->has_fold)
			ct_fold_merge(main_fold, &u->fold);
		if (u->msgs.n > 0)
			msg_print(o, name, &u->msgs,
			    fstate_line(fs, name, u->start) - 1);
		/* chunk 0 not scanned (too long, short read): its st_end
		 * was never set, and fs->st is the known start state */
		if (u->k == 0 && u->st_end.known)
			ct_fold_stream_copy(&fs->st, &u->st_end);
		if (u->strict_hit) {
			stop = 1;
			goto out;
		}
		if (!u->need_seq) {
			fs->clean_at = u->end;
			goto out;
		}
		ct_buf_init(&err, 4096);
		fs->in = ct_input_open(name, &err);
		ct_buf_free(&err);
		if (fs->in == NULL) {
			main_fold->sum->meta.values_malformed++;
			fprintf(stderr, "%s: %s: cannot read again\n", PROG, name);
			fs->finished = 1;
			stop = o->strict;
			goto out;
		}
		seq_init(&fs->q, o, main_fold, &fs->st, &fs->mv, NULL, fs->in, 1,
		    u->stop_off, u->stop_skip,
		    fstate_line(fs, name, u->start) - 1 + u->stop_line);
		fs->q.discard = u->stop_discard;
		fs->seq = 1;
	}
	if (!fs->seq)
		goto out;
	/* read on until between values at the start of a later chunk */
	target = u->k + 1 < u->nchunks ? u->end : u->size;	/* the next's start */
	for (;;) {
		if (!seq_peek(&fs->q, &at)) {
			fs->finished = 1;
			seq_read_error(&fs->q);
			stop = fs->q.cx.strict_hit;
			fstate_seq_end(fs, o, name);
			break;
		}
		if (at >= (uint64_t)target) {
			if (fs->q.last_end <= (uint64_t)target &&
			    target < u->size) {
				fs->clean_at = target;
				fs->line = line_at(&fs->q.cx,
				    (size_t)(target - (off_t)fs->q.base));
				fs->line_off = target;
				fstate_seq_end(fs, o, name);
			}
			break;
		}
		if (seq_value(&fs->q)) {
			stop = 1;
			msg_print(o, name, &fs->mv, 0);
			msg_free(&fs->mv);
			break;
		}
	}
out:
	if (u->k + 1 == u->nchunks) {
		if (fs->seq)
			fstate_seq_end(fs, o, name);
		if (!stop && fs->st.nopen > 0) {
			stream_end(main_fold, &fs->st, &fs->mv);
			msg_print(o, name, &fs->mv, 0);
			msg_free(&fs->mv);
		}
		ct_fold_stream_free(&fs->st);
	}
	return stop;
}

static void
unit_free(struct unit *u)
{
	if (u->has_fold)
		ct_fold_free(&u->fold);
	u->has_fold = 0;
	msg_free(&u->msgs);
	ct_fold_stream_free(&u->st_end);
	free(u->path);
	u->path = NULL;
}


/* ---- streams: standard input and large gzip files, in chunks ---------- */

/*
 * A stream cannot be read at an offset, so the main thread reads it, in
 * chunks cut after a line end, and parse threads scan the chunks ahead of
 * their turn just as for chunks of a file.  Where the guess fails, the main
 * thread reads on sequentially from the chunks it holds (and reads more
 * from the stream when it runs out) until it is between values at a chunk
 * start again.  At most 2 * threads + 2 chunks (12 at most) are held at a
 * time, except
 * while a sequential stretch reads through chunks (each is freed as soon
 * as it is copied).
 */
struct schunk {
	struct unit	 u;		/* u.start: offset in the stream */
	char		*data;
	size_t		 len;
	int		 first, last;
	int		 taken, done;
};

struct stream {
	const struct agg_opts *o;
	struct ct_input	*in;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct schunk	**c;		/* by index; NULL once committed */
	size_t		 nc, cap;
	size_t		 next_parse;
	int		 quit;
	int		 eof;		/* nothing more to read */
	uint64_t	 off;		/* stream offset of the next chunk */
	uint64_t	 lines;		/* newlines read */
	struct ct_buf	 carry;		/* read past the last chunk's end */
	int		 read_failed;
	struct ct_buf	 err;
	/* the sequential reader's place in the chunks */
	size_t		 ci, co;
};

struct sthread {
	struct stream	*s;
	struct ct_scanner *sc;
	struct ct_input_cache *ic;	/* for the files it reads whole */
	pthread_t	 tid;
};

static void *
stream_worker(void *arg)
{
	struct sthread *t = arg;
	struct stream *s = t->s;
	struct schunk *c;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->quit && s->next_parse >= s->nc)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->next_parse >= s->nc) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		c = s->c[s->next_parse++];
		c->taken = 1;
		pthread_mutex_unlock(&s->mu);
		scan_chunk(s->o, t->sc, &c->u, c->data, c->len, c->first,
		    c->last);
		c->u.nlines = count_nl(c->data, c->len);
		pthread_mutex_lock(&s->mu);
		c->done = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

/* Read the next chunk of the stream and hand it to the parse threads.
 * Returns 0 at the end (nothing read). */
static int
stream_read_chunk(struct stream *s)
{
	struct ct_buf b;
	struct schunk *c;
	ssize_t r;
	const char *nl;
	size_t cut;

	if (s->eof)
		return 0;
	ct_buf_init(&b, 0);
	if (s->carry.len > 0)
		ct_buf_add(&b, s->carry.data, s->carry.len);
	ct_buf_reset(&s->carry);
	while (b.len < s->o->chunk) {
		ct_buf_reserve(&b, READ_SIZE);
		r = ct_input_read(s->in, b.data + b.len, READ_SIZE, &s->err);
		if (r <= 0) {
			s->eof = 1;
			s->read_failed = r < 0;
			break;
		}
		b.len += (size_t)r;
	}
	if (b.len == 0) {
		ct_buf_free(&b);
		return 0;
	}
	cut = b.len;
	if (!s->eof) {
		/* cut after the last line end (anywhere is safe, this is cheap) */
		for (nl = b.data + b.len; nl > b.data && nl[-1] != '\n'; nl--)
			;
		if (nl > b.data)
			cut = (size_t)(nl - b.data);
		ct_buf_add(&s->carry, b.data + cut, b.len - cut);
	}
	c = xcalloc(1, sizeof(*c));
	c->data = b.data;
	c->len = cut;
	c->first = s->off == 0;
	c->last = s->eof;
	c->u.is_chunk = 1;
	c->u.start = (off_t)s->off;
	c->u.end = (off_t)(s->off + cut);
	s->off += cut;
	s->lines += count_nl(c->data, c->len);
	pthread_mutex_lock(&s->mu);
	if (s->nc == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->c = xrealloc(s->c, s->cap * sizeof(*s->c));
	}
	s->c[s->nc++] = c;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 1;
}

static void
schunk_wait(struct stream *s, struct schunk *c)
{
	pthread_mutex_lock(&s->mu);
	while (!c->done)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

/* The sequential reader's source: the chunks from (ci, co) on. */
static ssize_t
stream_src(void *arg, void *dst, size_t n)
{
	struct stream *s = arg;
	struct schunk *c;
	size_t k;

	for (;;) {
		if (s->ci < s->nc) {
			c = s->c[s->ci];
			if (c != NULL && c->data != NULL && s->co < c->len) {
				k = c->len - s->co < n ? c->len - s->co : n;
				memcpy(dst, c->data + s->co, k);
				s->co += k;
				return (ssize_t)k;
			}
			/* read through: its bytes are copied, free them */
			if (c != NULL && c->data != NULL) {
				schunk_wait(s, c);
				free(c->data);
				c->data = NULL;
			}
			s->ci++;
			s->co = 0;
			continue;
		}
		if (!stream_read_chunk(s))
			return 0;
	}
}

static void
schunk_free(struct stream *s, size_t i)
{
	struct schunk *c = s->c[i];

	if (c == NULL)
		return;
	schunk_wait(s, c);
	unit_free(&c->u);
	free(c->data);
	free(c);
	s->c[i] = NULL;
}

/*
 * Read a stream (standard input, a large gzip file) with the parse threads.
 * Returns 1 if --strict stops the run.
 */
static int
stream_run(const struct agg_opts *o, const char *name, struct ct_fold *out,
    uint64_t *files_read)
{
	struct stream s;
	struct sthread *t;
	struct ct_fold_stream st;
	struct msgv mv;
	struct seq q;
	struct ct_buf err;
	struct schunk *c;
	uint64_t clean_at = 0, line = 1, at, target;
	/* chunks read ahead: enough to keep the threads busy, at most 12 */
	size_t k, ahead = (size_t)o->jobs * 2 + 2 > 12 ? 12 :
	    (size_t)o->jobs * 2 + 2;
	int i, seq = 0, stop = 0, finished = 0;

	memset(&s, 0, sizeof(s));
	memset(&mv, 0, sizeof(mv));
	ct_buf_init(&err, 4096);
	if ((s.in = ct_input_open(name, &err)) == NULL) {
		out->sum->meta.values_malformed++;
		msg_add(&mv, K_MAL, 0, "cannot read: %s", err.data);
		msg_print(o, name, &mv, 0);
		msg_free(&mv);
		ct_buf_free(&err);
		return o->strict;
	}
	ct_buf_free(&err);
	(*files_read)++;
	s.o = o;
	ct_buf_init(&s.carry, 0);
	ct_buf_init(&s.err, 4096);
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	ct_fold_stream_init(&st, 1);
	t = xcalloc((size_t)o->jobs, sizeof(*t));
	for (i = 0; i < o->jobs; i++) {
		t[i].s = &s;
		t[i].sc = ct_scan_new(&scan_ops, NULL);
		if (pthread_create(&t[i].tid, NULL, stream_worker, &t[i]) != 0) {
			fprintf(stderr, "%s: cannot start a thread\n", PROG);
			exit(CT_EXIT_FAILURE);
		}
	}
	for (k = 0; !stop; k++) {
		while (s.nc < k + ahead && stream_read_chunk(&s))
			;
		if (k >= s.nc)
			break;
		c = s.c[k];
		if (c == NULL)
			continue;
		schunk_wait(&s, c);
		if (finished) {
			schunk_free(&s, k);
			continue;
		}
		if (!seq && clean_at == (uint64_t)c->u.start) {
			if (c->u.has_fold)
				ct_fold_merge(out, &c->u.fold);
			msg_print(o, name, &c->u.msgs, line - 1);
			if (c->first)
				ct_fold_stream_copy(&st, &c->u.st_end);
			if (c->u.strict_hit) {
				stop = 1;
				break;
			}
			if (!c->u.need_seq) {
				clean_at = (uint64_t)c->u.end;
				line += c->u.nlines;
				schunk_free(&s, k);
				continue;
			}
			s.ci = k;
			s.co = (size_t)(c->u.stop_off - c->u.start);
			seq_init(&q, o, out, &st, &mv, NULL, NULL, 0,
			    c->u.stop_off, c->u.stop_skip,
			    line - 1 + c->u.stop_line);
			q.src = stream_src;
			q.src_arg = &s;
			q.discard = c->u.stop_discard;
			seq = 1;
		}
		/* read on until between values at the start of a later chunk */
		target = (uint64_t)c->u.end;
		for (;;) {
			if (!seq_peek(&q, &at)) {
				finished = 1;
				stop = q.cx.strict_hit;
				msg_print(o, name, &mv, 0);
				msg_free(&mv);
				seq_free(&q);
				seq = 0;
				break;
			}
			/* back to the speculative results at the next chunk,
			 * unless this reader read through it (its bytes are
			 * freed: only this reader's copy is left) */
			if (at >= target) {
				if (q.last_end <= target && k + 1 < s.nc &&
				    s.c[k + 1] != NULL &&
				    s.c[k + 1]->data != NULL &&
				    (uint64_t)s.c[k + 1]->u.start == target) {
					clean_at = target;
					line = line_at(&q.cx,
					    (size_t)(target - q.base));
					msg_print(o, name, &mv, 0);
					msg_free(&mv);
					seq_free(&q);
					seq = 0;
				}
				break;
			}
			if (seq_value(&q)) {
				stop = 1;
				msg_print(o, name, &mv, 0);
				msg_free(&mv);
				seq_free(&q);
				seq = 0;
				break;
			}
		}
		schunk_free(&s, k);
	}
	if (seq) {
		msg_print(o, name, &mv, 0);
		msg_free(&mv);
		seq_free(&q);
	}
	pthread_mutex_lock(&s.mu);
	s.quit = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	for (i = 0; i < o->jobs; i++) {
		pthread_join(t[i].tid, NULL);
		ct_scan_free(t[i].sc);
	}
	for (k = 0; k < s.nc; k++)
		schunk_free(&s, k);
	if (!stop && s.read_failed) {
		out->sum->meta.values_malformed++;
		msg_add(&mv, K_MAL, 1 + s.lines, "%s",
		    s.err.data ? s.err.data : "read error");
		msg_print(o, name, &mv, 0);
		msg_free(&mv);
		stop = o->strict;
	}
	if (!stop && st.nopen > 0) {
		stream_end(out, &st, &mv);
		msg_print(o, name, &mv, 0);
		msg_free(&mv);
	}
	free(t);
	free(s.c);
	ct_buf_free(&s.carry);
	ct_buf_free(&s.err);
	ct_fold_stream_free(&st);
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	ct_input_close(s.in);
	return stop;
}

/* 1 if path starts with the gzip magic. */
static int
is_gzip(const char *path)
{
	unsigned char m[2];
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	r = read(fd, m, 2) == 2 && m[0] == 0x1f && m[1] == 0x8b;
	close(fd);
	return r;
}

/* Small files are read several to a unit, to keep the threads busy
 * rather than busy talking. */
#define GROUP_BYTES	((off_t)1 << 20)
#define GROUP_FILES	64
/* Units planned beyond the workers' window. */
#define PLAN_AHEAD	8

/* A new unit, zeroed, at the end of the plan. */
static struct unit *
unit_new(struct pool *p)
{
	if (p->made == p->nblk * UNIT_BLOCK) {
		p->blk = xrealloc(p->blk, (p->nblk + 1) * sizeof(*p->blk));
		p->blk[p->nblk++] = xcalloc(UNIT_BLOCK, sizeof(**p->blk));
	}
	p->made++;
	return UNIT(p, p->made - 1);
}

/* A new unit of file path, or of path's files to come (a group). */
static struct unit *
unit_of(struct pool *p, const char *path, size_t cap)
{
	struct unit *u = unit_new(p);

	u->path = xmalloc(cap * sizeof(*u->path));
	u->path[0] = path;
	u->nfiles = 1;
	return u;
}

/* Plan one input: a unit, chunks of one, or a place in the open group. */
static void
plan_input(struct pool *p, const char *path)
{
	const struct agg_opts *o = p->o;
	struct ct_buf err;
	struct ct_input *in = NULL;
	struct stat sb;
	struct unit *u;
	off_t size = -1, prev_end = 0;
	size_t k, n;
	int stream = 0, have = 0;

	ct_buf_init(&err, 4096);
	if (o->jobs > 1 && !o->fold.dedup) {
		have = strcmp(path, "-") != 0 && stat(path, &sb) == 0;
		/* a pipe or terminal is never opened twice */
		if (!have || (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)))
			stream = strcmp(path, "-") == 0 || have;
		else if (S_ISREG(sb.st_mode) && sb.st_size > (off_t)(2 * o->chunk)) {
			if (is_gzip(path))
				stream = (size_t)sb.st_size > CT_INPUT_WHOLE_MAX;
			else if ((in = ct_input_open(path, &err)) != NULL)
				size = ct_input_plain_size(in);
		}
	}
	n = size > (off_t)(2 * o->chunk) ?
	    (size_t)((size + (off_t)o->chunk - 1) / (off_t)o->chunk) : 1;
	if (n == 1 && !stream && p->group != NULL &&
	    p->group->nfiles < GROUP_FILES && have &&
	    p->gbytes + sb.st_size <= GROUP_BYTES) {
		p->group->path[p->group->nfiles++] = path;
		p->gbytes += sb.st_size;
		goto out;
	}
	p->group = NULL;
	for (k = 0; k < n; k++) {
		if (n == 1) {
			u = unit_of(p, path, !stream && have ? GROUP_FILES : 1);
			u->is_stream = stream;
			if (!stream && have) {
				p->group = u;
				p->gbytes = sb.st_size;
			}
			continue;
		}
		u = unit_of(p, path, 1);
		u->is_chunk = 1;
		u->k = k;
		u->nchunks = n;
		u->size = size;
		u->start = prev_end;
		u->end = k + 1 == n ? size :
		    boundary(in, (off_t)((k + 1) * o->chunk), size);
		if (u->end < u->start)
			u->end = u->start;
		prev_end = u->end;
	}
out:
	ct_input_close(in);
	ct_buf_free(&err);
}

/*
 * Plan until want units are published (or every input is), and tell the
 * workers.  The main thread's alone: only it writes made, nu and all.
 */
static void
plan_ahead(struct pool *p, size_t want)
{
	const char *path, *why;
	size_t nu = p->nu;
	struct unit *u;
	int kind;

	if (p->all)
		return;
	while (nu < want && !p->listed) {
		if ((kind = agg_inputs_next(p->in, &path, &why)) == 0)
			p->listed = 1;
		else if (kind != AGG_IN_FILE) {
			/* said at its turn, like the files around it */
			p->group = NULL;
			u = unit_of(p, path, 1);
			u->bad_dir = 1;
			u->passed = kind == AGG_IN_SKIP;
			u->strict_hit = p->o->strict && !u->passed;
			msg_add(&u->msgs, u->passed ? K_PASS : K_MAL, 0, "%s",
			    why);
		} else
			plan_input(p, path);
		nu = p->made - (p->group != NULL);
	}
	if (p->listed) {
		p->group = NULL;
		nu = p->made;
	}
	pthread_mutex_lock(&p->mu);
	p->nu = nu;
	p->all = p->listed;
	if (p->room_waiters > 0)
		pthread_cond_broadcast(&p->cv_room);
	pthread_mutex_unlock(&p->mu);
}

int
agg_run(const struct agg_opts *o, struct agg_inputs *in,
    struct ct_fold *out)
{
	struct pool p;
	struct worker *w;
	struct fstate fs;
	uint64_t files_read = 0;
	size_t i;
	int nw, stop = 0, k;
	struct ct_meta *m;

	memset(&p, 0, sizeof(p));
	memset(&fs, 0, sizeof(fs));
	p.o = o;
	p.in = in;
	nw = o->fold.dedup ? 1 : (o->jobs > 0 ? o->jobs : 1);
	p.window = (size_t)nw * 4 + 4;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv_done, NULL);
	pthread_cond_init(&p.cv_room, NULL);
	plan_ahead(&p, p.window + PLAN_AHEAD);
	w = xcalloc((size_t)nw, sizeof(*w));
	for (k = 0; k < nw; k++) {
		w[k].pool = &p;
		ct_fold_init(&w[k].fold, &o->fold);
		w[k].sc = ct_scan_new(&scan_ops, NULL);
		w[k].ic = ct_input_cache_new();
		if (nw == 1)	/* one thread: the main one does the work */
			break;
		if (pthread_create(&w[k].tid, NULL, worker_main, &w[k]) != 0) {
			fprintf(stderr, "%s: cannot start a thread\n", PROG);
			exit(CT_EXIT_FAILURE);
		}
	}
	for (i = 0; !stop; i++) {
		struct unit *u;

		plan_ahead(&p, i + p.window + PLAN_AHEAD);
		if (i >= p.nu)
			break;
		u = UNIT(&p, i);

		if (nw == 1)
			worker_do(&w[0], u);
		else {
			pthread_mutex_lock(&p.mu);
			p.waiting = i + 1;
			while (!u->done)
				pthread_cond_wait(&p.cv_done, &p.mu);
			p.waiting = 0;
			pthread_mutex_unlock(&p.mu);
		}
		if (u->is_stream)
			stop = stream_run(o, u->path[0], out, &files_read);
		else if (u->is_chunk)
			stop = commit_chunk(&p, u, &fs, out, &files_read);
		else {
			/* whole files, or a folder that cannot be read */
			msg_print(o, u->path[0], &u->msgs, 0);
			files_read += (uint64_t)u->files_read;
			out->sum->meta.values_malformed +=
			    (uint64_t)(u->bad_dir && !u->passed);
			out->sum->meta.inputs_skipped += (uint64_t)u->passed;
			stop = u->strict_hit;
		}
		unit_free(u);
		pthread_mutex_lock(&p.mu);
		p.committed = i + 1;
		if (stop)
			p.abort = 1;
		if (p.room_waiters > 0 || stop)
			pthread_cond_broadcast(&p.cv_room);
		pthread_mutex_unlock(&p.mu);
	}
	if (stop && i > 0 && UNIT(&p, i - 1)->is_chunk && fs.seq)
		fstate_seq_end(&fs, o, UNIT(&p, i - 1)->path[0]);
	for (k = 0; k < nw; k++) {
		if (nw > 1)
			pthread_join(w[k].tid, NULL);
		ct_fold_merge(out, &w[k].fold);
		ct_fold_free(&w[k].fold);
		ct_scan_free(w[k].sc);
		ct_input_cache_free(w[k].ic);
		free(w[k].buf);
	}
	for (; i < p.made; i++)
		unit_free(UNIT(&p, i));
	for (i = 0; i < p.nblk; i++)
		free(p.blk[i]);
	free(p.blk);
	free(w);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv_done);
	pthread_cond_destroy(&p.cv_room);
	m = &out->sum->meta;
	m->files_read += files_read;
	if (stop)
		return CT_EXIT_FAILURE;
	if (m->values_malformed > shown[K_MAL])
		fprintf(stderr, "%s: %" PRIu64 " more malformed inputs not shown\n",
		    PROG, m->values_malformed - shown[K_MAL]);
	if (m->records_skipped > shown[K_SKIP] && !o->quiet)
		fprintf(stderr, "%s: %" PRIu64 " more skipped values not shown\n",
		    PROG, m->records_skipped - shown[K_SKIP]);
	if (m->inputs_skipped > shown[K_PASS])
		fprintf(stderr, "%s: %" PRIu64 " more passed-over inputs not "
		    "shown\n", PROG, m->inputs_skipped - shown[K_PASS]);
	if (m->values_malformed > 0 || m->records_skipped > 0 ||
	    m->inputs_skipped > 0)
		return CT_EXIT_PARTIAL;
	return CT_EXIT_OK;
}
