/*
 * credproc.c - credential_process: see creds_int.h.
 *
 * Running a command is its own concern: its environment, its process
 * group and the terminal (an MFA prompt may need it), the output cap, the
 * timeout, and reaping.  Apart from the fetchers in credfetch.c for that.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "creds.h"
#include "creds_int.h"
#include "http.h"
#include "json.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"


/* Environment for the credential process: ours minus our env secrets. */
static char **
child_env(void)
{
	extern char **environ;
	size_t n = 0, i, j = 0;
	char **e;

	while (environ[n] != NULL)
		n++;
	e = xcalloc(n + 1, sizeof(*e));
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "AWS_SECRET_ACCESS_KEY=", 22) == 0 ||
		    strncmp(environ[i], "AWS_SESSION_TOKEN=", 18) == 0 ||
		    strncmp(environ[i], "AWS_CONTAINER_AUTHORIZATION_TOKEN=",
		    34) == 0)
			continue;
		e[j++] = environ[i];
	}
	return e;
}

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The controlling terminal, open, when our process group is its foreground
 * group; else -1.  The credential process gets its own process group (so
 * that it and everything it started can be killed together), and a process
 * group that is not the terminal's foreground group is stopped when it
 * reads the terminal (an MFA prompt): so the terminal is handed to it for
 * its run (fg_to) and taken back after.
 */
static int
fg_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && tcgetpgrp(fd) != getpgrp()) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Make pgid the terminal's foreground group; SIGTTOU, which a background
 * group's tcsetpgrp raises, is blocked meanwhile. */
static void
fg_to(int tty, pid_t pgid)
{
	sigset_t ttou, old;

	if (tty < 0)
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	(void)tcsetpgrp(tty, pgid);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Kill pid's process group (pid and whatever it started that stayed in
 * it), then reap pid. */
static void
kill_reap(pid_t pid, int *status)
{
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Run s->command with sh -c in its own process group, its stdout a pipe,
 * and read what it writes until it exits, for at most the provider's
 * timeout and SMALL_CAP bytes.  When it exits, what it wrote before is
 * still in the pipe and is read; anything it started that still holds the
 * pipe is killed with its group (the CLI would wait for the pipe to close,
 * for ever).  Past the cap or the timeout the group is killed.  The
 * process is always reaped.
 */
int
ct_cred_fetch_process(struct ct_creds_provider *p, struct src *s,
    struct ct_creds *out, struct ct_aws_error *err)
{
	int fds[2], status = 0, tty;
	pid_t pid;
	struct ct_buf b;
	char chunk[4096], what[300], **cenv;
	ssize_t r;
	int over = 0, eof = 0, exited = 0, rc;
	long deadline, left, nap = 50, enap = 0;
	struct pollfd pfd;
	siginfo_t si;
	struct ct_buf jerr;
	struct ct_jdoc *d;
	int64_t ver = 0;

	snprintf(what, sizeof(what), "credential_process of profile %s",
	    s->profile);
	if (pipe2(fds, O_CLOEXEC) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: pipe: %s", what, strerror(errno));
		return -1;
	}
	cenv = child_env();
	tty = fg_tty();
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		if (tty >= 0)
			close(tty);
		free(cenv);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: fork: %s", what, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char *argv[4];
		sigset_t none;

		(void)setpgid(0, 0);
		fg_to(tty, getpid());
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)signal(SIGPIPE, SIG_DFL);
		if (dup2(fds[1], 1) < 0)
			_exit(127);
		argv[0] = (char *)"sh";
		argv[1] = (char *)"-c";
		argv[2] = s->command;
		argv[3] = NULL;
		execve("/bin/sh", argv, cenv);
		_exit(127);
	}
	/* Also here: whichever of the two runs first, the group exists
	 * before anything is read or killed. */
	(void)setpgid(pid, pid);
	fg_to(tty, pid);
	free(cenv);
	close(fds[1]);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	deadline = mono_ms() + p->process_timeout_ms;
	ct_buf_init(&b, SMALL_CAP);
	for (;;) {
		/* Exited (not reaped yet, so its pid and group id stay ours)?
		 * Checked before the pipe is drained: what it wrote before it
		 * exited is then all read below. */
		memset(&si, 0, sizeof(si));
		if (!exited && waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG |
		    WNOWAIT) == 0 && si.si_pid == pid)
			exited = 1;
		while (!eof && !over) {
			r = read(fds[0], chunk, sizeof(chunk));
			if (r > 0) {
				if (ct_buf_add(&b, chunk, (size_t)r) != 0)
					over = 1;
			} else if (r == 0 || (errno != EINTR &&
			    errno != EAGAIN)) {
				eof = 1;
			} else if (errno == EAGAIN) {
				break;
			}
		}
		if (over || exited)
			break;
		left = deadline - mono_ms();
		if (left <= 0)
			break;
		/* Wait for output, or look for its exit again: every 50 ms
		 * while it holds the pipe; once the pipe is closed, after 1 ms
		 * (it is usually exiting), then 2, 4, ... up to 50. */
		if (eof) {
			enap = enap == 0 ? 1 : enap < 25 ? enap * 2 : 50;
			nap = enap;
		}
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		(void)poll(&pfd, eof ? 0 : 1, (int)(left < nap ? left : nap));
	}
	explicit_bzero(chunk, sizeof(chunk));
	close(fds[0]);
	if (!exited || !eof)
		kill_reap(pid, &status);	/* it, or what holds the pipe */
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	fg_to(tty, getpgrp());
	if (tty >= 0)
		close(tty);
	if (over) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s wrote more than 64 KiB; it was killed", what);
		return -1;
	}
	if (!exited) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessTimeout",
		    "%s did not finish within %g s; it was killed "
		    "(CT_CREDENTIAL_PROCESS_TIMEOUT sets the limit)", what,
		    (double)p->process_timeout_ms / 1000);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ct_buf_wipe(&b);
		if (WIFEXITED(status))
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
			    "%s exited with status %d%s", what,
			    WEXITSTATUS(status), WEXITSTATUS(status) == 127 ?
			    " (command not found?)" : "");
		else
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
			    "%s was killed by signal %d", what,
			    WTERMSIG(status));
		return -1;
	}
	/* Version must be 1. */
	ct_buf_init(&jerr, 1024);
	d = ct_json_parse(b.data ? b.data : "", b.len, &jerr);
	ct_buf_free(&jerr);
	if (d != NULL) {
		const struct ct_jnode *v = ct_json_get(ct_json_root(d),
		    "Version");

		if (v == NULL || ct_json_int(v, &ver) != 0)
			ver = 0;
		ct_json_free(d);
	}
	if (ver != 1 && d != NULL) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: its JSON must have \"Version\": 1", what);
		return -1;
	}
	rc = ct_cred_from_json(b.data ? b.data : "", b.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "SessionToken", "Expiration", out, what, err);
	ct_buf_wipe(&b);
	return rc;
}
