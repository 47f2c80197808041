/* stdfd.c - see stdfd.h */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "stdfd.h"

int
ct_stdfd_fix(void)
{
	int fd, nfd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* the lowest free number: fd itself */
		if ((nfd = open("/dev/null", O_RDONLY)) < 0)
			return -1;
		if (nfd != fd) {
			close(nfd);
			return -1;
		}
	}
	return 0;
}
