/* test_outlock.c - lib/outlock.h: one writer at a time among processes that
 * share one pipe or file descriptor, and the newline after another's write. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "outlock.h"

int	main(void);

/* One byte from the control pipe (the child's news), or 0 on EOF. */
static char
hear(int fd)
{
	char c = 0;

	while (read(fd, &c, 1) == -1 && errno == EINTR)
		;
	return c;
}

static void
say(int fd, char c)
{
	(void)!write(fd, &c, 1);
}

static int
init_ok(struct ct_outlock *lk, int fd)
{
	struct ct_buf err;
	int rc;

	ct_buf_init(&err, 512);
	rc = ct_outlock_init(lk, fd, &err);
	if (rc != 0)
		printf("# init: %s\n", err.data);
	ct_buf_free(&err);
	return rc == 0;
}

/* Acquire; the lead_nl flag, or -1 on failure. */
static int
take(struct ct_outlock *lk)
{
	struct ct_buf err;
	int nl = -1;

	ct_buf_init(&err, 512);
	if (ct_outlock_acquire(lk, &nl, &err) != 0) {
		printf("# acquire: %s\n", err.data);
		nl = -1;
	}
	ct_buf_free(&err);
	return nl;
}

static void
kinds(void)
{
	struct ct_outlock lk;
	char path[] = "/tmp/test_outlock.XXXXXX";
	int fd, p[2];

	fd = open("/dev/null", O_WRONLY);
	CHECK(init_ok(&lk, fd) && !lk.on, "/dev/null: not locked");
	CHECK(take(&lk) == 0 && !lk.held, "... acquire does nothing");
	ct_outlock_release(&lk);
	close(fd);
	if (pipe(p) != 0)
		return;
	CHECK(init_ok(&lk, p[1]) && lk.on && !lk.is_file, "a pipe: locked");
	CHECK(take(&lk) == 0 && lk.held, "... alone: no leading newline");
	ct_outlock_release(&lk);
	CHECK(!lk.held, "... released");
	close(p[0]);
	close(p[1]);
	if ((fd = mkstemp(path)) < 0)
		return;
	unlink(path);
	CHECK(init_ok(&lk, fd) && lk.on && lk.is_file, "a regular file: locked");
	close(fd);
}

/* Two processes on one inherited pipe: the second waits for the first. */
static void
exclusion(void)
{
	struct ct_outlock lk;
	int data[2], ctl[2], go[2], st;
	char c;
	pid_t pid;

	if (pipe(data) != 0 || pipe(ctl) != 0 || pipe(go) != 0)
		return;
	if ((pid = fork()) == 0) {
		close(ctl[0]);
		close(go[1]);
		if (!init_ok(&lk, data[1]))
			_exit(1);
		say(ctl[1], 'M');		/* marker taken */
		if (hear(go[0]) != 'g' || take(&lk) < 0)
			_exit(1);
		say(ctl[1], 'H');		/* holding */
		usleep(300 * 1000);
		say(ctl[1], 'R');		/* releasing */
		ct_outlock_release(&lk);
		(void)hear(go[0]);		/* stay alive until told */
		_exit(0);
	}
	close(ctl[1]);
	close(go[0]);
	CHECK(init_ok(&lk, data[1]), "parent: init on the same pipe");
	CHECK(hear(ctl[0]) == 'M', "child: marker taken");
	say(go[1], 'g');
	CHECK(hear(ctl[0]) == 'H', "child: holds the lock");
	CHECK(take(&lk) == 1, "parent: waits, then gets the lock, and leads "
	    "with a newline (another writer exists)");
	c = hear(ctl[0]);
	CHECK(c == 'R', "... only after the child released it (got '%c')", c);
	ct_outlock_release(&lk);
	close(go[1]);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: exit 0");
	CHECK(take(&lk) == 1, "shared stays shared after the other writer left");
	ct_outlock_release(&lk);
	close(ctl[0]);
	close(data[0]);
	close(data[1]);
}

/* A holder killed by SIGKILL: the lock is free, the next write leads with
 * a newline, so the killed writer's partial line stays apart. */
static void
killed(void)
{
	struct ct_outlock lk;
	int data[2], ctl[2], go[2], st, nl;
	char buf[64];
	ssize_t n;
	pid_t pid;

	if (pipe(data) != 0 || pipe(ctl) != 0 || pipe(go) != 0)
		return;
	if ((pid = fork()) == 0) {
		close(ctl[0]);
		close(go[1]);
		if (!init_ok(&lk, data[1]))
			_exit(1);
		say(ctl[1], 'M');
		if (hear(go[0]) != 'g' || take(&lk) < 0)
			_exit(1);
		(void)!write(data[1], "{\"half", 6);
		say(ctl[1], 'H');
		pause();
		_exit(0);
	}
	close(ctl[1]);
	close(go[0]);
	CHECK(init_ok(&lk, data[1]), "init");
	CHECK(hear(ctl[0]) == 'M', "the child's marker is there");
	CHECK(take(&lk) == 1, "a write while another writer lives: newline");
	ct_outlock_release(&lk);
	say(go[1], 'g');
	CHECK(hear(ctl[0]) == 'H', "the child holds the lock mid-line");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "child killed");
	nl = take(&lk);
	CHECK(nl == 1, "the lock is free again; the write leads with a newline");
	(void)!write(data[1], nl == 1 ? "\n{}\n" : "{}\n", nl == 1 ? 4 : 3);
	ct_outlock_release(&lk);
	close(data[1]);
	n = read(data[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR(buf, "{\"half\n{}\n", "the reader: the partial line, then "
	    "the next record whole");
	close(data[0]);
	close(ctl[0]);
	close(go[1]);
}

/* A regular file: a newline only when someone else wrote since. */
static void
file(void)
{
	struct ct_outlock lk;
	char path[] = "/tmp/test_outlock.XXXXXX";
	int fd, ctl[2], go[2], st;
	pid_t pid;

	if ((fd = mkstemp(path)) < 0 || pipe(ctl) != 0 || pipe(go) != 0)
		return;
	unlink(path);
	if ((pid = fork()) == 0) {
		close(ctl[0]);
		close(go[1]);
		if (!init_ok(&lk, fd))
			_exit(1);
		say(ctl[1], 'M');
		if (hear(go[0]) != 'w')
			_exit(1);
		(void)!write(fd, "y", 1);
		say(ctl[1], 'W');
		(void)hear(go[0]);
		_exit(0);
	}
	close(ctl[1]);
	close(go[0]);
	CHECK(init_ok(&lk, fd), "file: init");
	CHECK(hear(ctl[0]) == 'M', "file: another writer's marker");
	CHECK(take(&lk) == 0, "file: empty: no newline");
	(void)!write(fd, "x\n", 2);
	ct_outlock_release(&lk);
	CHECK(take(&lk) == 0, "file: we wrote last: no newline");
	ct_outlock_release(&lk);
	say(go[1], 'w');
	CHECK(hear(ctl[0]) == 'W', "file: the other wrote");
	CHECK(take(&lk) == 1, "file: someone else wrote since: newline");
	ct_outlock_release(&lk);
	close(go[1]);
	waitpid(pid, &st, 0);
	close(ctl[0]);
	close(fd);
}

/* A file written by a process that takes no lock: seen by its size. */
static void
file_unseen(void)
{
	struct ct_outlock lk;
	char path[] = "/tmp/test_outlock.XXXXXX";
	int fd, st;
	pid_t pid;

	if ((fd = mkstemp(path)) < 0)
		return;
	unlink(path);
	CHECK(init_ok(&lk, fd), "unseen: init");
	CHECK(take(&lk) == 0, "unseen: alone: no newline");
	(void)!write(fd, "x\n", 2);
	ct_outlock_release(&lk);
	if ((pid = fork()) == 0) {
		(void)!write(fd, "{\"half", 6);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(take(&lk) == 1, "unseen: the file grew since our write: newline");
	ct_outlock_release(&lk);
	close(fd);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	kinds();
	exclusion();
	killed();
	file();
	file_unseen();
	return check_done();
}
