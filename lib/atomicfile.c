/*
 * atomicfile.c - see atomicfile.h
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

#include "atomicfile.h"
#include "xalloc.h"

/* The guarded temporary: read by the signal handler, so set and cleared
 * with the signals blocked. */
static char *volatile guard_tmp;
static int guard_dirfd = AT_FDCWD;
static int guard_atexit_set;

static void
guard_signal(int sig)
{
	char *t = guard_tmp;

	if (t != NULL)
		(void)unlinkat(guard_dirfd, t, 0);
	_exit(128 + sig);
}

static void
guard_atexit(void)
{
	char *t = guard_tmp;

	if (t != NULL)
		(void)unlinkat(guard_dirfd, t, 0);
}

static void
block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	(void)pthread_sigmask(how, &set, NULL);
}

void
ct_afile_guard(struct ct_afile *a)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_signal;
	sigemptyset(&sa.sa_mask);
	block_signals(SIG_BLOCK);
	guard_dirfd = a->dirfd;
	guard_tmp = a->tmp;
	a->guarded = 1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		(void)sigaction(sigs[i], &sa, NULL);
	if (!guard_atexit_set)
		guard_atexit_set = atexit(guard_atexit) == 0;
	block_signals(SIG_UNBLOCK);
}

static void
unguard(struct ct_afile *a)
{
	if (!a->guarded)
		return;
	block_signals(SIG_BLOCK);
	guard_tmp = NULL;
	block_signals(SIG_UNBLOCK);
	a->guarded = 0;
}

/* Replace the trailing XXXXXX of t with a suffix made of the pid, a
 * counter and the clock: unique enough that O_EXCL rarely collides. */
static void
fill_unique(char *x)
{
	static const char set[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long seq;
	struct timespec ts;
	unsigned long long v;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	v = (unsigned long long)ts.tv_nsec * 2654435761ULL ^
	    (unsigned long long)getpid() << 20 ^
	    __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED) * 40503ULL ^
	    (unsigned long long)ts.tv_sec;
	for (i = 0; i < 6; i++) {
		x[i] = set[v % 62];
		v /= 62;
	}
}

int
ct_afile_open(struct ct_afile *a, int dirfd, const char *name,
    const char *tmp, mode_t mode, int flags, struct ct_buf *err)
{
	size_t n = strlen(tmp);
	int unique = n >= 6 && strcmp(tmp + n - 6, "XXXXXX") == 0;
	int tries = 0, fd, e;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->dirfd = dirfd;
	a->flags = flags;
	a->name = xstrdup(name);
	a->tmp = xstrdup(tmp);
	if (!unique && unlinkat(dirfd, tmp, 0) != 0 && errno != ENOENT)
		goto fail;
	for (;;) {
		if (unique)
			fill_unique(a->tmp + n - 6);
		fd = openat(dirfd, a->tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0)
			break;
		if (!unique || errno != EEXIST || ++tries >= 100)
			goto fail;
	}
	a->fd = fd;
	return 0;
fail:
	e = errno;
	ct_buf_printf(err, "%s: %s", unique ? name : tmp, strerror(e));
	free(a->name);
	free(a->tmp);
	a->name = a->tmp = NULL;
	errno = e;
	return -1;
}

FILE *
ct_afile_stream(struct ct_afile *a, struct ct_buf *err)
{
	if (a->fp == NULL) {
		if ((a->fp = fdopen(a->fd, "wb")) == NULL) {
			ct_buf_printf(err, "%s: %s", a->name, strerror(errno));
			return NULL;
		}
	}
	return a->fp;
}

int
ct_afile_close(struct ct_afile *a, struct ct_buf *err)
{
	int e = 0;

	if (a->fp != NULL) {
		if (fflush(a->fp) != 0 || ferror(a->fp))
			e = errno ? errno : EIO;
		else if ((a->flags & CT_AFILE_SYNC) && fsync(a->fd) != 0)
			e = errno;
		if (fclose(a->fp) != 0 && e == 0)
			e = errno;
		a->fp = NULL;
		a->fd = -1;
	} else if (a->fd >= 0) {
		if ((a->flags & CT_AFILE_SYNC) && fsync(a->fd) != 0)
			e = errno;
		if (close(a->fd) != 0 && e == 0)
			e = errno;
		a->fd = -1;
	}
	if (e != 0) {
		ct_buf_printf(err, "%s: %s", a->tmp, strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

static void
release(struct ct_afile *a, int remove)
{
	unguard(a);
	if (a->fp != NULL)
		fclose(a->fp);
	else if (a->fd >= 0)
		close(a->fd);
	a->fp = NULL;
	a->fd = -1;
	if (remove && a->tmp != NULL)
		(void)unlinkat(a->dirfd, a->tmp, 0);
	free(a->tmp);
	free(a->name);
	a->tmp = a->name = NULL;
}

void
ct_afile_discard(struct ct_afile *a)
{
	release(a, 1);
}

void
ct_afile_release(struct ct_afile *a)
{
	release(a, 0);
}

int
ct_afile_commit(struct ct_afile *a, struct ct_buf *err)
{
	int rc, e;

	if (ct_afile_close(a, err) != 0) {
		e = errno;
		release(a, 1);
		errno = e;
		return -1;
	}
	if (a->guarded) {
		/* Cleared with the rename, signals blocked: the handler
		 * never removes the name the rename made the target. */
		block_signals(SIG_BLOCK);
		if (renameat(a->dirfd, a->tmp, a->dirfd, a->name) != 0) {
			e = errno;
			ct_buf_printf(err, "%s: %s", a->name, strerror(e));
			block_signals(SIG_UNBLOCK);
			release(a, 1);
			errno = e;
			return -1;
		}
		guard_tmp = NULL;
		a->guarded = 0;
		block_signals(SIG_UNBLOCK);
		rc = ct_afile_rename(a->dirfd, NULL, a->name, a->flags, err);
	} else {
		rc = ct_afile_rename(a->dirfd, a->tmp, a->name, a->flags, err);
		if (rc != 0) {
			e = errno;
			release(a, 1);
			errno = e;
			return -1;
		}
	}
	release(a, 0);
	return rc;
}

int
ct_afile_rename(int dirfd, const char *tmp, const char *name, int flags,
    struct ct_buf *err)
{
	const char *slash;
	char *dir;
	int fd, rc = 0;

	if (tmp != NULL && renameat(dirfd, tmp, dirfd, name) != 0) {
		int e = errno;

		ct_buf_printf(err, "%s: rename to %s: %s", tmp, name,
		    strerror(e));
		errno = e;
		return -1;
	}
	if (!(flags & CT_AFILE_SYNC))
		return 0;
	if ((slash = strrchr(name, '/')) == NULL) {
		dir = xstrdup(".");
	} else {
		size_t n = slash == name ? 1 : (size_t)(slash - name);

		dir = xmalloc(n + 1);
		memcpy(dir, name, n);
		dir[n] = '\0';
	}
	fd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0) {
		ct_buf_printf(err, "%s: %s", dir, strerror(errno));
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	free(dir);
	return rc;
}
