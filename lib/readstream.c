/*
 * readstream.c - a stream read in chunks (readstream.h).
 */
#include <sys/types.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "readstream.h"
#include "readunit.h"
#include "seqread.h"
#include "xalloc.h"

struct schunk {
	struct ct_readunit u;		/* u.start: offset in the stream */
	char		*data;
	size_t		 len;
	int		 first, last;
	int		 taken, done;
};

struct stream {
	const struct ct_read_opts *o;
	int		 nthr;		/* parse threads; 0: none */
	size_t		 chunk;		/* bytes per chunk, about */
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
		ct_readunit_scan(s->o, t->sc, &c->u, c->data, c->len, c->first,
		    c->last);
		c->u.nlines = ct_read_count_nl(c->data, c->len);
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
	while (b.len < s->chunk) {
		ct_buf_reserve(&b, CT_READ_SIZE);
		r = ct_input_read(s->in, b.data + b.len, CT_READ_SIZE, &s->err);
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
	/* with parse threads, cut after a line end; without, a chunk is
	 * only a buffer (the sequential reader reads on past it) */
	if (!s->eof && s->nthr > 0) {
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
	if (s->nthr == 0) {
		/* no parse threads: the sequential reader reads it */
		c->done = 1;
		c->u.need_seq = 1;
		c->u.stop_off = c->u.start;
		c->u.stop_line = 1;
	}
	s->off += cut;
	s->lines += ct_read_count_nl(c->data, c->len);
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

/* Without parse threads, past the chunks: read the stream straight into
 * the sequential reader's window (no chunk, no copy; its newlines are
 * counted by the reader, not twice). */
static ssize_t
stream_read_direct(struct stream *s, void *dst, size_t n)
{
	ssize_t r;

	if (s->eof)
		return 0;
	r = ct_input_read(s->in, dst, n, &s->err);
	if (r <= 0) {
		s->eof = 1;
		s->read_failed = r < 0;
		return 0;
	}
	s->off += (uint64_t)r;
	return r;
}

/* The sequential reader's source: the chunks from (ci, co) on, then the
 * stream (read into a chunk, or straight into dst without parse
 * threads). */
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
		if (s->nthr == 0)
			return stream_read_direct(s, dst, n);
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
	ct_readunit_free(&c->u);
	free(c->data);
	free(c);
	s->c[i] = NULL;
}

int
ct_readstream_run(const struct ct_read_opts *o, const char *name,
    struct ct_fold *out, uint64_t *files_read)
{
	struct stream s;
	struct sthread *t;
	struct ct_fold_stream st;
	struct ct_readmsg_list mv;
	struct ct_seqread q;
	struct ct_buf err;
	struct schunk *c;
	uint64_t clean_at = 0, line = 1, at, target;
	/* parse threads: none where one fold must see every record in
	 * order (dedup) or one thread is asked for */
	int nthr = o->jobs > 1 && !o->fold.dedup ? o->jobs : 0;
	/* chunks read ahead: enough to keep the threads busy, at most 12;
	 * without threads, the one being read */
	size_t k, ahead = nthr == 0 ? 1 : (size_t)nthr * 2 + 2 > 12 ? 12 :
	    (size_t)nthr * 2 + 2;
	int i, seq = 0, stop = 0, finished = 0;

	memset(&s, 0, sizeof(s));
	memset(&mv, 0, sizeof(mv));
	ct_buf_init(&err, 4096);
	if ((s.in = ct_input_open(name, &err)) == NULL) {
		out->sum->meta.values_malformed++;
		ct_readmsg_add(&mv, CT_READ_MALFORMED, 0, "cannot read: %s",
		    err.data);
		ct_read_deliver(o, name, &mv, 0);
		ct_readmsg_free(&mv);
		ct_buf_free(&err);
		return o->strict;
	}
	ct_buf_free(&err);
	(*files_read)++;
	s.o = o;
	s.nthr = nthr;
	/* without threads a chunk is only a buffer: a small one */
	s.chunk = nthr > 0 ? o->chunk : CT_READ_SIZE;
	ct_buf_init(&s.carry, 0);
	ct_buf_init(&s.err, 4096);
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	ct_fold_stream_init(&st, 1);
	t = xcalloc(nthr > 0 ? (size_t)nthr : 1, sizeof(*t));
	for (i = 0; i < nthr; i++) {
		t[i].s = &s;
		t[i].sc = ct_scan_new(&ct_readctx_ops, NULL);
		if (pthread_create(&t[i].tid, NULL, stream_worker,
		    &t[i]) != 0) {
			ct_scan_free(t[i].sc);
			nthr = i;
			stop = CT_READ_NOTHREAD;
			break;
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
			ct_read_deliver(o, name, &c->u.msgs, line - 1);
			/* (unscanned: its st_end is not known, st is) */
			if (c->first && c->u.st_end.known)
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
			ct_seqread_init(&q, o, out, &st, &mv, NULL, NULL, 0,
			    c->u.stop_off, c->u.stop_skip,
			    line - 1 + c->u.stop_line);
			q.src = stream_src;
			q.src_arg = &s;
			q.discard = c->u.stop_discard;
			seq = 1;
		}
		/* read on until between values at the start of a later chunk;
		 * without parse threads, to the end */
		target = nthr > 0 ? (uint64_t)c->u.end : UINT64_MAX;
		for (;;) {
			if (!ct_seqread_peek(&q, &at)) {
				finished = 1;
				/* all read: the reader counted the lines */
				if (nthr == 0)
					s.lines = ct_readctx_line(&q.cx,
					    q.len) - 1;
				stop = q.cx.strict_hit;
				ct_read_deliver(o, name, &mv, 0);
				ct_readmsg_free(&mv);
				ct_seqread_free(&q);
				seq = 0;
				break;
			}
			/* back to the speculative results at the next chunk,
			 * unless this reader read through it (its bytes are
			 * freed: only this reader's copy is left); without
			 * parse threads there are none: read on */
			if (at >= target) {
				if (nthr > 0 && q.last_end <= target &&
				    k + 1 < s.nc &&
				    s.c[k + 1] != NULL &&
				    s.c[k + 1]->data != NULL &&
				    (uint64_t)s.c[k + 1]->u.start == target) {
					clean_at = target;
					line = ct_readctx_line(&q.cx,
					    (size_t)(target - q.base));
					ct_read_deliver(o, name, &mv, 0);
					ct_readmsg_free(&mv);
					ct_seqread_free(&q);
					seq = 0;
				}
				break;
			}
			if (ct_seqread_value(&q)) {
				stop = 1;
				ct_read_deliver(o, name, &mv, 0);
				ct_readmsg_free(&mv);
				ct_seqread_free(&q);
				seq = 0;
				break;
			}
		}
		schunk_free(&s, k);
	}
	if (seq) {
		ct_read_deliver(o, name, &mv, 0);
		ct_readmsg_free(&mv);
		ct_seqread_free(&q);
	}
	pthread_mutex_lock(&s.mu);
	s.quit = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	for (i = 0; i < nthr; i++) {
		pthread_join(t[i].tid, NULL);
		ct_scan_free(t[i].sc);
	}
	for (k = 0; k < s.nc; k++)
		schunk_free(&s, k);
	if (!stop && s.read_failed) {
		out->sum->meta.values_malformed++;
		ct_readmsg_add(&mv, CT_READ_MALFORMED, 1 + s.lines, "%s",
		    s.err.data ? s.err.data : "read error");
		ct_read_deliver(o, name, &mv, 0);
		ct_readmsg_free(&mv);
		stop = o->strict;
	}
	if (!stop && st.nopen > 0) {
		ct_readctx_stream_end(out, &st, &mv);
		ct_read_deliver(o, name, &mv, 0);
		ct_readmsg_free(&mv);
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

