/*
 * jsmnfloor - a yardstick for make bench: jsmn tokenizing every line.
 *
 * The speed targets are stated against figures measured on another
 * machine: there, jsmn (built with JSMN_PARENT_LINKS) tokenizes 1 GB of
 * CloudTrail NDJSON in 0.96 s on one core, and DuckDB's read_ndjson with
 * a GROUP BY takes 1.0 s on two.  Timing the same jsmn loop here, in the
 * same run as ct-aggregate, turns those figures into ratios that hold from
 * machine to machine (DuckDB itself is not packaged by Debian).
 *
 * Reads FILE whole (it is in the page cache for the bench), then times
 * jsmn_parse of each line, growing the token array when a line needs
 * more.  Prints "SECONDS LINES TOKENS BYTES"; exit 1 if a line fails.
 *
 * usage: jsmnfloor FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "../lib/xalloc.h"

static char *
slurp(const char *path, size_t *n)
{
	char *b = NULL;
	size_t cap = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1 << 24;
			b = xrealloc(b, cap);
		}
		r = read(fd, b + *n, cap - *n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*n += (size_t)r;
	}
	close(fd);
	return b;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	jsmn_parser jp;
	jsmntok_t *tok;
	unsigned ntok = 4096;
	size_t n, lines = 0, tokens = 0;
	const char *p, *e, *nl;
	char *buf;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: jsmnfloor FILE\n");
		return 2;
	}
	if ((buf = slurp(argv[1], &n)) == NULL) {
		fprintf(stderr, "jsmnfloor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	tok = xmalloc(ntok * sizeof(*tok));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (p = buf, e = buf + n; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		if (nl == p)
			continue;
		for (;;) {
			jsmn_init(&jp);
			r = jsmn_parse(&jp, p, (size_t)(nl - p), tok, ntok);
			if (r != JSMN_ERROR_NOMEM)
				break;
			ntok *= 2;
			tok = xrealloc(tok, ntok * sizeof(*tok));
		}
		if (r < 0) {
			fprintf(stderr, "jsmnfloor: line %zu: jsmn error %d\n",
			    lines + 1, r);
			return 1;
		}
		tokens += (size_t)r;
		lines++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f %zu %zu %zu\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, lines, tokens, n);
	free(tok);
	free(buf);
	return 0;
}
