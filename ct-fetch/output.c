/*
 * output.c - the one writer: whole lines to stdout, then the checkpoint.
 *
 * Every write to stdout happens here, under the output lock, with write(2)
 * on a buffer that holds whole lines only (a page's records, or one control
 * record), so lines from different regions never interleave and a signal
 * never leaves half a line: signals only raise a flag (SA_RESTART), and the
 * buffer is written to the end before anything looks at the flag.
 *
 * The lock is two: the mutex orders this process's threads, and stdout's
 * POSIX record lock (lib/outlock.h) orders the processes that share
 * stdout (`xargs -P4 ct-fetch`).  A pipe write is atomic only up to
 * PIPE_BUF, and a page, even one record, is larger, so without it pages
 * of two processes mix mid-line; writing line by line would not help for
 * the same reason.  The record lock is taken for the write alone; when
 * stdout appends to a file whose size the checkpoint records (out_track),
 * for the checkpoint's preparation too, so that the size includes the
 * leading newline that outlock.h may ask for.  A page's fsync and commit
 * happen after it is released, so other writers wait for one write only.
 * Every buffer starts with that spare newline, skipped unless asked for,
 * so a page is still one write(2).
 *
 * A page is emitted in three steps under the lock: the checkpoint that
 * counts the page as done is written to FILE.tmp and fsync'ed; the page's
 * lines are written; FILE.tmp is renamed over FILE.  A signal (SIGINT,
 * SIGTERM, SIGHUP) or a closed stdout never falls between them, so a
 * resumed run emits each event exactly once; only a crash (SIGKILL, power
 * loss) during the write or between it and the rename would make the
 * resumed run emit that one page again (see ct-fetch(1), CHECKPOINT).
 * When stdout is a regular file it is fsync'ed before the rename, so that
 * after a power loss the checkpoint never counts a page the disk lost.
 * When it appends to a regular file, the checkpoint also holds the file's
 * size after each committed write, and a rerun appending to the same file
 * cuts off what a crash left beyond it (out_attach): exactly once again.
 */
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "jstr.h"
#include "scan.h"
#include "timefmt.h"
#include "xalloc.h"

void
out_init(struct fetch *f)
{
	struct ct_buf err;
	struct stat st;

	pthread_mutex_init(&f->lock, NULL);
#ifdef F_SETPIPE_SZ
	/* A page of an S3 object is megabytes: into a pipe of 64 KiB each
	 * costs dozens of wake-ups of writer and reader; 1 MiB (the size an
	 * unprivileged process may ask for) cuts that.  Best effort. */
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
#endif
	ct_buf_init(&err, 512);
	if (ct_outlock_init(&f->olk, STDOUT_FILENO, &err) != 0 && !f->quiet)
		msg(f, PROG ": standard output: %s", err.data);
	ct_buf_free(&err);
}

/*
 * Take stdout's record lock (the mutex is held).  Every buffer written
 * starts with a spare newline; the result is how much of it to skip: 0
 * when the write must lead with the newline (outlock.h), else 1.
 */
static size_t
lock_out(struct fetch *f)
{
	struct ct_buf err;
	int nl = 0;

	ct_buf_init(&err, 512);
	if (ct_outlock_acquire(&f->olk, &nl, &err) != 0 && !f->quiet)
		msg(f, PROG ": standard output: %s", err.data);
	ct_buf_free(&err);
	return nl ? 0 : 1;
}

/*
 * The size a killed run was about to commit to stdout: the prepared
 * checkpoint FILE.tmp, which a crash between a page's write and its
 * commit leaves behind, says where that page ends.  0 if there is none.
 */
static uint64_t
pending_size(struct fetch *f, const struct stat *st)
{
	struct ct_ckpt tmp;
	struct ct_buf err;
	uint64_t end = 0;

	ct_buf_init(&err, 4096);
	ct_ckpt_init(&tmp);
	if (ct_ckpt_load_prepared(f->ckpt_path, &tmp, &err) == 1 &&
	    tmp.has_output && tmp.out_dev == (uint64_t)st->st_dev &&
	    tmp.out_ino == (uint64_t)st->st_ino)
		end = tmp.out_size;
	ct_ckpt_free(&tmp);
	ct_buf_free(&err);
	return end;
}

/*
 * Look at stdout before the first write.  When it appends to a regular
 * file (`>>`, as the cookbook's daily run does), its size after each
 * committed write goes into the checkpoint.  If it is the very file the
 * checkpoint last wrote to, and a killed run's prepared checkpoint shows
 * a page in flight that covers everything past the committed size, that
 * page (or what of it was written) is cut off and this run emits its
 * events again, once.  Anything else past the committed size (another
 * run appending to the same file with its own checkpoint) is left alone.
 */
void
out_attach(struct fetch *f)
{
	struct stat st;
	int fl;

	if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) {
		f->ck.has_output = 0;	/* the checkpoint speaks of this run */
		return;
	}
	f->out_is_file = 1;
	fl = fcntl(STDOUT_FILENO, F_GETFL);
	if (f->ckpt_path == NULL || fl == -1 || !(fl & O_APPEND)) {
		f->ck.has_output = 0;
		return;
	}
	if (f->ck.has_output && f->ck.out_dev == (uint64_t)st.st_dev &&
	    f->ck.out_ino == (uint64_t)st.st_ino &&
	    (uint64_t)st.st_size > f->ck.out_size &&
	    pending_size(f, &st) >= (uint64_t)st.st_size) {
		if (ftruncate(STDOUT_FILENO, (off_t)f->ck.out_size) == 0) {
			msg(f, PROG ": standard output: removed the last %"
			    PRIu64 " bytes, written after the checkpoint by a "
			    "run that was killed; fetching them again",
			    (uint64_t)st.st_size - f->ck.out_size);
			st.st_size = (off_t)f->ck.out_size;
		} else
			msg(f, PROG ": standard output: cannot cut off what "
			    "a killed run wrote after the checkpoint (%s); "
			    "those events will be there twice",
			    strerror(errno));
	}
	f->out_track = 1;
	f->ck.has_output = 1;
	f->ck.out_dev = (uint64_t)st.st_dev;
	f->ck.out_ino = (uint64_t)st.st_ino;
	f->ck.out_size = (uint64_t)st.st_size;
}

/* Pieces given to one writev(2): IOV_MAX is at least 16 (POSIX), 1024
 * on Linux. */
#define IOV_BATCH	64

/* Write all of iov[0..niov) but the first skip bytes of iov[0] to
 * stdout, in order.  Called with the lock held. */
static int
write_iov(struct fetch *f, const struct iovec *in, int niov, size_t skip)
{
	struct iovec v[IOV_BATCH];
	size_t off = skip, left;
	ssize_t w;
	int i = 0, k, m;

	if (f->out_closed)
		return -1;
	while (i < niov) {
		for (k = i, m = 0; k < niov && m < IOV_BATCH; k++, m++) {
			v[m].iov_base = (char *)in[k].iov_base + (k == i ? off :
			    0);
			v[m].iov_len = in[k].iov_len - (k == i ? off : 0);
		}
		w = writev(STDOUT_FILENO, v, m);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			f->out_closed = 1;
			if (errno != EPIPE) {
				f->out_error = errno;
				msg(f, PROG ": write error: %s", strerror(errno));
			}
			if (!fetch_stop)
				fetch_stop = 1;
			return -1;
		}
		for (left = (size_t)w; i < niov && left >= in[i].iov_len - off;
		    i++, off = 0)
			left -= in[i].iov_len - off;
		off += left;
	}
	return 0;
}

/* Write all of p[0..n) to stdout.  Called with the lock held. */
static int
write_all(struct fetch *f, const char *p, size_t n)
{
	struct iovec v;

	v.iov_base = (void *)(uintptr_t)p;
	v.iov_len = n;
	return write_iov(f, &v, 1, 0);
}

static int
save_locked(struct fetch *f)
{
	struct ct_buf err;
	int rc = 0;

	if (f->ckpt_path == NULL)
		return 0;
	ct_buf_init(&err, 4096);
	if (ct_ckpt_save(f->ckpt_path, &f->ck, &err) != 0) {
		msg(f, PROG ": checkpoint: %s", err.data ? err.data : "");
		f->ckpt_error = 1;
		rc = -1;
	}
	ct_buf_free(&err);
	return rc;
}

/* A control record was written: the checkpoint says so (out_track). */
static void
committed_locked(struct fetch *f, size_t n)
{
	if (!f->out_track)
		return;
	f->ck.out_size += n;
	(void)save_locked(f);
}

int
out_save_checkpoint(struct fetch *f)
{
	int rc;

	pthread_mutex_lock(&f->lock);
	rc = save_locked(f);
	pthread_mutex_unlock(&f->lock);
	return rc;
}

int
out_save_region(struct fetch *f, struct region *r)
{
	struct ct_ckpt_s3 *old;
	int rc;

	pthread_mutex_lock(&f->lock);
	old = r->ck->s3;
	r->ck_fill(r);
	if (old != r->ck->s3)
		ct_ckpt_s3_free(old);
	rc = save_locked(f);
	pthread_mutex_unlock(&f->lock);
	return rc;
}

static void
add_str(struct ct_buf *b, const char *key, const char *val)
{
	ct_buf_printf(b, ",\"%s\":", key);
	ct_jstr_encode(b, val, strlen(val));
}

/* One control line b ("\n{...}\n") written whole under the output lock,
 * its leading newline only where lock_out says another writer wrote
 * since; f->lock held. */
static int
write_control_locked(struct fetch *f, const struct ct_buf *b)
{
	size_t skip = f->out_closed ? 1 : lock_out(f);
	int rc = write_all(f, b->data + skip, b->len - skip);

	ct_outlock_release(&f->olk);
	if (rc == 0)
		committed_locked(f, b->len - skip);
	return rc;
}

int
out_start_record(struct fetch *f, struct region *r)
{
	struct ct_buf b;
	char ws[32], we[32];
	int rc;

	fetch_fmt_time(f->start, ws, sizeof(ws));
	fetch_fmt_time(f->end, we, sizeof(we));
	ct_buf_init(&b, 1 << 16);
	ct_buf_adds(&b, "\n{\"ctFetch\":\"start\",\"version\":1");
	add_str(&b, "region", r->name);
	add_str(&b, "accountId", r->account != NULL ? r->account :
	    f->id.account);
	add_str(&b, "callerArn", f->id.arn);
	ct_buf_printf(&b, ",\"window\":{\"start\":\"%s\",\"end\":\"%s\"}",
	    ws, we);
	add_str(&b, "runTimestamp", f->run_ts);
	ct_buf_adds(&b, "}\n");
	pthread_mutex_lock(&f->lock);
	rc = write_control_locked(f, &b);
	pthread_mutex_unlock(&f->lock);
	ct_buf_free(&b);
	return rc;
}

int
out_end_record(struct fetch *f, struct region *r)
{
	struct ct_buf b;
	char ws[32], we[32];
	int rc;

	fetch_fmt_time(f->start, ws, sizeof(ws));
	fetch_fmt_time(f->end, we, sizeof(we));
	ct_buf_init(&b, 1 << 16);
	ct_buf_adds(&b, "\n{\"ctFetch\":\"end\",\"version\":1");
	add_str(&b, "region", r->name);
	/* the stream it ends, so that a reader never takes one window's
	 * end for another's (several runs in one input) */
	add_str(&b, "accountId", r->account != NULL ? r->account :
	    f->id.account);
	ct_buf_printf(&b, ",\"window\":{\"start\":\"%s\",\"end\":\"%s\"}",
	    ws, we);
	pthread_mutex_lock(&f->lock);
	switch (r->status) {
	case RS_COMPLETE:
		ct_buf_printf(&b, ",\"status\":\"complete\",\"events\":%"
		    PRIu64 ",\"pages\":%" PRIu64, r->ck->events,
		    r->ck->pages);
		break;
	case RS_STOPPED:
		ct_buf_printf(&b, ",\"status\":\"interrupted\","
		    "\"errorCode\":\"Interrupted\",\"errorMessage\":\"%s\","
		    "\"events\":%" PRIu64 ",\"pages\":%" PRIu64,
		    f->s3_url != NULL && f->ckpt_path == NULL ?
		    "stopped before the last file" :
		    "stopped before the last page; rerun with the same "
		    "--checkpoint to continue", r->ck->events, r->ck->pages);
		break;
	default:
		ct_buf_adds(&b, ",\"status\":\"failed\"");
		add_str(&b, "errorCode", r->err.code[0] ? r->err.code :
		    ct_awserr_class_name(r->err.cls));
		add_str(&b, "errorMessage", r->err.message[0] ?
		    r->err.message : r->err.line);
		break;
	}
	ct_buf_adds(&b, "}\n");
	rc = write_control_locked(f, &b);
	pthread_mutex_unlock(&f->lock);
	ct_buf_free(&b);
	return rc;
}

int
out_control(struct fetch *f, const char *line, size_t n)
{
	struct ct_buf b;
	int rc;

	ct_buf_init(&b, 0);
	ct_buf_addc(&b, '\n');
	ct_buf_add(&b, line, n);
	pthread_mutex_lock(&f->lock);
	rc = write_control_locked(f, &b);
	pthread_mutex_unlock(&f->lock);
	ct_buf_free(&b);
	return rc;
}

void
out_add_line(struct ct_buf *b, const char *p, size_t n)
{
	size_t from = b->len;
	char *q, *end;
	int k;

	ct_buf_add(b, p, n);
	end = b->data + b->len;
	/* memchr, twice: a record rarely holds either byte */
	for (k = 0; k < 2; k++)
		for (q = b->data + from; (q = memchr(q, k ? '\r' : '\n',
		    (size_t)(end - q))) != NULL; q++)
			*q = ' ';
	ct_buf_addc(b, '\n');
}

/* An EventId fit for a message: the endpoint chooses it, so anything but
 * a plain UUID-like word is not echoed (no terminal escapes on stderr). */
const char *
fetch_shown_id(const char *id)
{
	size_t i;

	if (id == NULL || id[0] == '\0')
		return "(no id)";
	for (i = 0; id[i] != '\0'; i++)
		if (i >= 64 || !((id[i] >= '0' && id[i] <= '9') ||
		    ((id[i] | 0x20) >= 'a' && (id[i] | 0x20) <= 'z') ||
		    id[i] == '-'))
			return "(unprintable id)";
	return id;
}

int
out_page(struct fetch *f, struct region *r, const struct ct_lookup_page *pg)
{
	struct ct_buf b;
	struct ct_scanner *chk = NULL;
	struct iovec v;
	const char *why;
	size_t i, n = 0;
	int64_t oldest = 0;
	int rc;

	ct_buf_init(&b, 0);
	for (i = 0; i < pg->nevents; i++)
		n += pg->events[i].record_len + 1;
	(void)ct_buf_reserve(&b, n + 1);
	n = 0;
	ct_buf_addc(&b, '\n');	/* spare: see lock_out */
	if (pg->nevents > 0)
		chk = ct_scan_checker_new();
	for (i = 0; i < pg->nevents; i++) {
		const struct ct_lookup_event *e = &pg->events[i];

		if (e->record_len == 0) {
			if (!f->quiet)
				msg(f, PROG ": %s: event %s has no "
				    "CloudTrailEvent; skipped", r->name,
				    fetch_shown_id(e->event_id));
			continue;
		}
		/* Written only if exactly one JSON object and not shaped
		 * like our own control records: a hostile or broken endpoint
		 * could otherwise put a second value on the line, or a forged
		 * {"ctFetch":...} record that ct-aggregate would believe.
		 * ct-aggregate's own scanner decides, so what it reads is
		 * written, however deep a field the fold skips nests, and no
		 * tree is built (~1.5 KB per event, 100 events/s). */
		if (!ct_scan_check(chk, e->record, e->record_len, &why)) {
			msg(f, PROG ": %s: event %s: CloudTrailEvent is %s; "
			    "skipped", r->name, fetch_shown_id(e->event_id),
			    why);
			continue;
		}
		out_add_line(&b, e->record, e->record_len);
		n++;
		if (e->event_time > 0 &&
		    (oldest == 0 || (int64_t)e->event_time < oldest))
			oldest = (int64_t)e->event_time;
	}
	ct_scan_free(chk);
	v.iov_base = b.data;
	v.iov_len = b.len;
	rc = out_lines(f, r, &v, 1, n, oldest, pg->next_token);
	ct_buf_free(&b);
	return rc;
}

int
out_lines(struct fetch *f, struct region *r, const struct iovec *iov,
    int niov, size_t n, int64_t oldest, const char *next_token)
{
	struct ct_ckpt_region *ck = r->ck, old;
	struct ct_buf err;
	uint64_t old_size;
	size_t skip = 1, len = 0;
	int rc = -1, k;

	for (k = 0; k < niov; k++)
		len += iov[k].iov_len;

	ct_buf_init(&err, 4096);
	pthread_mutex_lock(&f->lock);
	if (f->out_closed)
		goto out;
	/* The size committed with the page must count a leading newline. */
	if (len > 1 && f->out_track)
		skip = lock_out(f);
	old = *ck;
	old_size = f->ck.out_size;
	if (f->out_track)
		f->ck.out_size += len - skip;
	ck->next_token = next_token != NULL ? xstrdup(next_token) :
	    NULL;
	ck->events += n;
	ck->pages++;
	ck->done = next_token == NULL;
	if (oldest != 0)
		ck->reached = oldest;
	if (r->ck_fill != NULL)
		r->ck_fill(r);
	if (f->ckpt_path != NULL &&
	    ct_ckpt_prepare(f->ckpt_path, &f->ck, &err) != 0) {
		msg(f, PROG ": checkpoint: %s", err.data ? err.data : "");
		f->ckpt_error = 1;
		if (!fetch_stop)
			fetch_stop = 1;
		goto undo;
	}
	if (len > 1 && !f->out_track)
		skip = lock_out(f);
#ifdef CT_TEST_HOOKS
	/* tests (t_shared): die in the middle of a line, lock held */
	if (len > 1 && f->test_kill_in_page > 0 &&
	    --f->test_kill_in_page == 0) {
		struct ct_buf all;
		size_t half = (len - skip) / 2;

		ct_buf_init(&all, 0);
		for (k = 0; k < niov; k++)
			ct_buf_add(&all, iov[k].iov_base, iov[k].iov_len);
		if (all.data[skip + half - 1] == '\n')
			half--;
		(void)write_all(f, all.data + skip, half);
		raise(SIGKILL);
	}
#endif
	if (len > 1 && write_iov(f, iov, niov, skip) != 0)
		goto undo;
	ct_outlock_release(&f->olk);
	/* The disk holds the page before the checkpoint says so. */
	if (f->ckpt_path != NULL && f->out_is_file && len > 1 &&
	    fsync(STDOUT_FILENO) != 0 && errno != EINVAL) {
		msg(f, PROG ": stdout: fsync: %s", strerror(errno));
		f->out_error = errno;
		f->out_closed = 1;
		if (!fetch_stop)
			fetch_stop = 1;
		goto undo;
	}
#ifdef CT_TEST_HOOKS
	/* tests (t_resume): die where a crash costs the most */
	if (f->test_kill_page > 0 && ++f->pages_written == f->test_kill_page)
		raise(SIGKILL);
#endif
	free(old.next_token);
	if (old.s3 != ck->s3)
		ct_ckpt_s3_free(old.s3);
	r->run_events += n;
	r->run_pages++;
	rc = 0;
	if (f->ckpt_path != NULL && ct_ckpt_commit(f->ckpt_path, &err) != 0) {
		msg(f, PROG ": checkpoint: %s", err.data ? err.data : "");
		f->ckpt_error = 1;
		if (!fetch_stop)
			fetch_stop = 1;
		rc = -1;
	}
	goto out;
undo:
	if (f->ckpt_path != NULL)
		ct_ckpt_discard(f->ckpt_path);
	free(ck->next_token);
	if (ck->s3 != old.s3)
		ct_ckpt_s3_free(ck->s3);
	*ck = old;
	f->ck.out_size = old_size;
out:
	ct_outlock_release(&f->olk);
	pthread_mutex_unlock(&f->lock);
	ct_buf_free(&err);
	return rc;
}

int
out_finish(struct fetch *f)
{
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	if (f->out_error)
		rc = -1;
	pthread_mutex_unlock(&f->lock);
	return rc;
}
