/*
 * outlock.c - one writer at a time on a shared output (see outlock.h for
 * why a POSIX record lock, and when a write starts with a newline).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "outlock.h"

/* Byte 0 is the writers' lock; a process's marker is MARK_BASE + its pid
 * (pids stay below 2^22 on Linux, 2^31 everywhere: off_t is 64 bits). */
#define MARK_BASE	((off_t)1 << 30)

static void
set_range(struct flock *l, short type, off_t start, off_t len)
{
	memset(l, 0, sizeof(*l));
	l->l_type = type;
	l->l_whence = SEEK_SET;
	l->l_start = start;
	l->l_len = len;	/* 0: to the end of all offsets */
}

static int
fail(struct ct_outlock *lk, struct ct_buf *err, const char *what)
{
	int e = errno;

	lk->on = 0;
	lk->held = 0;
	ct_buf_printf(err, "cannot lock the output (%s: %s); the lines of "
	    "other writers sharing it may interleave", what, strerror(e));
	return -1;
}

int
ct_outlock_init(struct ct_outlock *lk, int fd, struct ct_buf *err)
{
	struct flock l;
	struct stat st;

	memset(lk, 0, sizeof(*lk));
	lk->fd = fd;
	lk->last_end = -1;
	if (fstat(fd, &st) != 0)
		return fail(lk, err, "fstat");
	if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) &&
	    !S_ISREG(st.st_mode))
		return 0;
	lk->is_file = S_ISREG(st.st_mode);
	lk->on = 1;
	set_range(&l, F_WRLCK, MARK_BASE + (off_t)getpid(), 1);
	if (fcntl(fd, F_SETLK, &l) == 0)
		return 0;
	/* Held already: a writer with our pid number in another pid
	 * namespace.  The output is shared; the lock itself still works. */
	if (errno == EAGAIN || errno == EACCES) {
		lk->shared = 1;
		return 0;
	}
	return fail(lk, err, "marker");
}

/* Does another process hold a marker?  Our own never conflicts. */
static int
others_seen(struct ct_outlock *lk)
{
	struct flock l;

	set_range(&l, F_WRLCK, MARK_BASE, 0);
	if (fcntl(lk->fd, F_GETLK, &l) != 0)
		return 1;	/* cannot tell: assume so */
	return l.l_type != F_UNLCK;
}

int
ct_outlock_acquire(struct ct_outlock *lk, int *lead_nl, struct ct_buf *err)
{
	struct flock l;
	struct stat st;

	*lead_nl = 0;
	if (!lk->on || lk->held)
		return 0;
	set_range(&l, F_WRLCK, 0, 1);
	while (fcntl(lk->fd, F_SETLKW, &l) != 0)
		if (errno != EINTR)
			return fail(lk, err, "F_SETLKW");
	lk->held = 1;
	if (!lk->shared && others_seen(lk))
		lk->shared = 1;
	if (!lk->is_file || fstat(lk->fd, &st) != 0) {
		*lead_nl = lk->shared;
		return 0;
	}
	/* A file that grew or shrank since our last write: another wrote. */
	if (lk->last_end >= 0 && (int64_t)st.st_size != lk->last_end)
		lk->shared = 1;
	*lead_nl = lk->shared && st.st_size > 0 &&
	    (int64_t)st.st_size != lk->last_end;
	return 0;
}

void
ct_outlock_release(struct ct_outlock *lk)
{
	struct flock l;
	struct stat st;

	if (!lk->held)
		return;
	if (lk->is_file)
		lk->last_end = fstat(lk->fd, &st) == 0 ?
		    (int64_t)st.st_size : -1;
	set_range(&l, F_UNLCK, 0, 1);
	(void)fcntl(lk->fd, F_SETLK, &l);
	lk->held = 0;
}
