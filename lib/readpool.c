/*
 * readpool.c - the reading engine's plan, threads and commit (read.h).
 *
 * The main thread plans the inputs into units (readunit.h) a little ahead
 * of the workers; worker threads take units in order and read them; the
 * main thread commits them in the same order, so messages and results do
 * not depend on the number of threads.
 *
 * A whole unit is read from its start: its counts go straight into the
 * worker's own fold (counts are sums, so the order of merging is free).
 * A chunk is scanned speculatively into a fold of its own; at commit the
 * guess is checked: if everything before the chunk was read and ended
 * exactly at its start (the previous chunk ended between values), its
 * result is taken whole.  Otherwise (a value spans the chunk boundary, as
 * in a pretty-printed file; or the chunk met something that needs the
 * state of the ct-fetch stream before it), the main thread reads on from
 * where the good part ended, sequentially (seqread.h), until it is between
 * values again at a chunk start, and the speculative results of the chunks
 * it read through are thrown away.  So a wrong guess costs time, never
 * correctness.  A stream is committed by readstream.c, on the main thread.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "read.h"
#include "readstream.h"
#include "readunit.h"
#include "scan.h"
#include "seqread.h"
#include "xalloc.h"

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
	const struct ct_read_opts *o;
	struct ct_inputlist *in;
	struct ct_readunit	**blk;
	size_t		 nblk;
	size_t		 made;		/* units planned, the open group too */
	size_t		 nu;		/* units published to the workers */
	int		 all;		/* every input planned and published */
	int		 listed;	/* every input listed */
	struct ct_readunit	*group;		/* the open group, or NULL */
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

/* Read one chunk of a plain file and scan it ahead of its turn. */
static void
read_chunk(struct worker *w, struct ct_readunit *u)
{
	const struct ct_read_opts *o = w->pool->o;
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
			ct_readunit_scan(o, w->sc, u, wp + u->start, len,
			    u->k == 0, u->end == u->size);
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
	ct_readunit_scan(o, w->sc, u, w->buf, len, u->k == 0,
	    u->end == u->size);
}

/* ---- the pool ------------------------------------------------------------ */

/* Do unit u's share of the work (on a worker, or inline with -j1). */
static void
worker_do(struct worker *w, struct ct_readunit *u)
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
			u->strict_hit = ct_seqread_whole(p->o, u->path[f],
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
	struct ct_readunit *u;
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
	struct ct_seqread	 q;
	int		 seq;
	int		 finished;	/* EOF reached sequentially */
	struct ct_readmsg_list	 mv;
};

static void
fstate_seq_end(struct fstate *fs, const struct ct_read_opts *o,
    const char *name)
{
	ct_seqread_read_error(&fs->q);
	ct_read_deliver(o, name, &fs->mv, 0);
	ct_readmsg_free(&fs->mv);
	ct_seqread_free(&fs->q);
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
				len = (size_t)(at - fs->line_off);
				if (len > CT_READ_RELEASE_STEP)
					len = CT_READ_RELEASE_STEP;
				fs->line += ct_read_count_nl(wp + fs->line_off,
				    len);
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
				fs->line += ct_read_count_nl(b, (size_t)r);
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
commit_chunk(struct pool *p, struct ct_readunit *u, struct fstate *fs,
    struct ct_fold *main_fold, uint64_t *files_read)
{
	const struct ct_read_opts *o = p->o;
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
			ct_read_deliver(o, name, &u->msgs,
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
			ct_readmsg_add(&fs->mv, CT_READ_MALFORMED, 0,
			    "cannot read again");
			ct_read_deliver(o, name, &fs->mv, 0);
			ct_readmsg_free(&fs->mv);
			fs->finished = 1;
			stop = o->strict;
			goto out;
		}
		ct_seqread_init(&fs->q, o, main_fold, &fs->st, &fs->mv, NULL,
		    fs->in, 1, u->stop_off, u->stop_skip,
		    fstate_line(fs, name, u->start) - 1 + u->stop_line);
		fs->q.discard = u->stop_discard;
		fs->seq = 1;
	}
	if (!fs->seq)
		goto out;
	/* read on until between values at the start of a later chunk */
	target = u->k + 1 < u->nchunks ? u->end : u->size;	/* the next's start */
	for (;;) {
		if (!ct_seqread_peek(&fs->q, &at)) {
			fs->finished = 1;
			ct_seqread_read_error(&fs->q);
			stop = fs->q.cx.strict_hit;
			fstate_seq_end(fs, o, name);
			break;
		}
		if (at >= (uint64_t)target) {
			if (fs->q.last_end <= (uint64_t)target &&
			    target < u->size) {
				fs->clean_at = target;
				fs->line = ct_readctx_line(&fs->q.cx,
				    (size_t)(target - (off_t)fs->q.base));
				fs->line_off = target;
				fstate_seq_end(fs, o, name);
			}
			break;
		}
		if (ct_seqread_value(&fs->q)) {
			stop = 1;
			ct_read_deliver(o, name, &fs->mv, 0);
			ct_readmsg_free(&fs->mv);
			break;
		}
	}
out:
	if (u->k + 1 == u->nchunks) {
		if (fs->seq)
			fstate_seq_end(fs, o, name);
		if (!stop && fs->st.nopen > 0) {
			ct_readctx_stream_end(main_fold, &fs->st, &fs->mv);
			ct_read_deliver(o, name, &fs->mv, 0);
			ct_readmsg_free(&fs->mv);
		}
		ct_fold_stream_free(&fs->st);
	}
	return stop;
}

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
static struct ct_readunit *
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
static struct ct_readunit *
unit_of(struct pool *p, const char *path, size_t cap)
{
	struct ct_readunit *u = unit_new(p);

	u->path = xmalloc(cap * sizeof(*u->path));
	u->path[0] = path;
	u->nfiles = 1;
	return u;
}

/* Plan one input: a unit, chunks of one, or a place in the open group. */
static void
plan_input(struct pool *p, const char *path)
{
	const struct ct_read_opts *o = p->o;
	struct ct_buf err;
	struct ct_input *in = NULL;
	struct stat sb;
	struct ct_readunit *u;
	off_t size = -1, prev_end = 0;
	size_t k, n;
	int stream = 0, have = 0;

	ct_buf_init(&err, 4096);
	if (strcmp(path, "-") == 0)
		stream = 1;	/* standard input: one path, whatever -j says */
	else if (o->jobs > 1 && !o->fold.dedup) {
		have = stat(path, &sb) == 0;
		/* a pipe or terminal is never opened twice */
		if (!have || (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)))
			stream = have;
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
	struct ct_readunit *u;
	int kind;

	if (p->all)
		return;
	while (nu < want && !p->listed) {
		if ((kind = ct_inputlist_next(p->in, &path, &why)) == 0)
			p->listed = 1;
		else if (kind != CT_INPUTLIST_FILE) {
			/* said at its turn, like the files around it */
			p->group = NULL;
			u = unit_of(p, path, 1);
			u->bad_dir = 1;
			u->passed = kind == CT_INPUTLIST_SKIP;
			u->strict_hit = p->o->strict && !u->passed;
			ct_readmsg_add(&u->msgs, u->passed ? CT_READ_PASSED :
			    CT_READ_MALFORMED, 0, "%s",
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

void
ct_read_deliver(const struct ct_read_opts *o, const char *name,
    const struct ct_readmsg_list *mv, uint64_t line_base)
{
	ct_readmsg_deliver(mv, name, line_base, o->msg, o->msg_arg);
}

int
ct_read_run(const struct ct_read_opts *opts, struct ct_inputlist *in,
    struct ct_fold *out)
{
	struct ct_read_opts oo = *opts, *o = &oo;
	struct pool p;
	struct worker *w;
	struct fstate fs;
	uint64_t files_read = 0;
	size_t i;
	int nw, nset = 0, nstarted = 0, stop = 0, k;

	if (o->chunk == 0)
		o->chunk = CT_READ_CHUNK;
	if (o->max_value == 0)
		o->max_value = CT_READ_MAX_VALUE;

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
	for (k = 0; k < nw && !stop; k++) {
		nset++;
		w[k].pool = &p;
		ct_fold_init(&w[k].fold, &o->fold);
		w[k].sc = ct_scan_new(&ct_readctx_ops, NULL);
		w[k].ic = ct_input_cache_new();
		if (nw == 1)	/* one thread: the main one does the work */
			break;
		if (pthread_create(&w[k].tid, NULL, worker_main, &w[k]) != 0) {
			/* the ones started end at once */
			stop = CT_READ_NOTHREAD;
			pthread_mutex_lock(&p.mu);
			p.abort = 1;
			pthread_cond_broadcast(&p.cv_room);
			pthread_mutex_unlock(&p.mu);
			break;
		}
		nstarted++;
	}
	for (i = 0; !stop; i++) {
		struct ct_readunit *u;

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
			stop = ct_readstream_run(o, u->path[0], out,
			    &files_read);
		else if (u->is_chunk)
			stop = commit_chunk(&p, u, &fs, out, &files_read);
		else {
			/* whole files, or a folder that cannot be read */
			ct_read_deliver(o, u->path[0], &u->msgs, 0);
			files_read += (uint64_t)u->files_read;
			out->sum->meta.values_malformed +=
			    (uint64_t)(u->bad_dir && !u->passed);
			out->sum->meta.inputs_skipped += (uint64_t)u->passed;
			stop = u->strict_hit;
		}
		ct_readunit_free(u);
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
	for (k = 0; k < nset; k++) {
		if (k < nstarted)
			pthread_join(w[k].tid, NULL);
		ct_fold_merge(out, &w[k].fold);
		ct_fold_free(&w[k].fold);
		ct_scan_free(w[k].sc);
		ct_input_cache_free(w[k].ic);
		free(w[k].buf);
	}
	for (; i < p.made; i++)
		ct_readunit_free(UNIT(&p, i));
	for (i = 0; i < p.nblk; i++)
		free(p.blk[i]);
	free(p.blk);
	free(w);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv_done);
	pthread_cond_destroy(&p.cv_room);
	out->sum->meta.files_read += files_read;
	return stop;
}
