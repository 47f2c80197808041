/* test_stdfd.c - lib/stdfd.h: closed 0/1/2 are filled so writes fail. */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "stdfd.h"

int	main(void);

/* In a child: close fd, fix, then report what a write to fd does. */
static int
child_write(int fd)
{
	int p[2], st, r;
	pid_t pid;
	char res[64] = "", want[64];

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		int keep = fcntl(p[1], F_DUPFD, 10), e;

		close(fd);
		if (ct_stdfd_fix() != 0)
			_exit(2);
		/* the next open must not take fd's number */
		e = open("/dev/null", O_RDONLY);
		r = (int)write(fd, "x", 1);
		dprintf(keep, "%d %d %d", r, r < 0 ? errno : 0, e != fd);
		_exit(0);
	}
	close(p[1]);
	r = (int)read(p[0], res, sizeof(res) - 1);
	close(p[0]);
	waitpid(pid, &st, 0);
	if (r <= 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	snprintf(want, sizeof(want), "-1 %d 1", EBADF);
	return strcmp(res, want) == 0 ? 0 : 1;
}

int
main(void)
{
	CHECK(ct_stdfd_fix() == 0, "nothing to do when 0, 1, 2 are open");
	CHECK(fcntl(1, F_GETFD) != -1, "stdout still open");
	CHECK(child_write(1) == 0, "closed stdout: filled, a write fails "
	    "with EBADF, the next open gets another number");
	CHECK(child_write(2) == 0, "closed stderr: the same");
	CHECK(child_write(0) == 0, "closed stdin: the same");
	return check_done();
}
