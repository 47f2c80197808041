/*
 * gzfloor - the decompression floor of a tree of .json.gz files.
 *
 * Reads file names (one a line) on standard input, then reads each file
 * and gunzips it whole with libdeflate into a reused buffer, doing
 * nothing with the text.  This is the least work any reader of the tree
 * must do, so bench/b_aggregate.sh reports ct-aggregate's time as a
 * ratio to it.  Prints "SECONDS FILES BYTES_IN BYTES_OUT" (wall time of
 * the read-and-decompress phase, not of reading the names).  With -s it
 * also takes the SHA-256 of each file's text with OpenSSL, as a verifier
 * of CloudTrail digests must (bench/b_s3.sh), and prints the CPU seconds
 * of the hashing alone as a fifth field.
 *
 * usage: gzfloor [-s] [-j THREADS] <list
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libdeflate.h>
#include <openssl/evp.h>

#include "../lib/xalloc.h"

static char **names;
static size_t nnames;
static atomic_size_t next;
static int hash;		/* -s */

struct worker {
	pthread_t tid;
	size_t files, in, out;
	double hash_s;		/* CPU seconds in SHA-256 */
	int bad;
};

static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct libdeflate_decompressor *d;
	char *cb = NULL, *ob = NULL;
	size_t ccap = 0, ocap = 0, i, n, ain, aout, ip, op;
	ssize_t r;
	int fd;

	d = libdeflate_alloc_decompressor();
	if (d == NULL) {
		w->bad = 1;
		return NULL;
	}
	while ((i = atomic_fetch_add(&next, 1)) < nnames) {
		if ((fd = open(names[i], O_RDONLY)) == -1) {
			w->bad = 1;
			continue;
		}
		n = 0;
		for (;;) {
			if (n == ccap) {
				ccap = ccap ? ccap * 2 : 1 << 16;
				cb = xrealloc(cb, ccap);
			}
			r = read(fd, cb + n, ccap - n);
			if (r == -1 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			n += (size_t)r;
		}
		close(fd);
		w->files++;
		w->in += n;
		for (ip = op = 0; ip + 18 <= n && cb[ip] == 0x1f;) {
			if (ocap - op < 1 << 16 || ocap < 8 * n) {
				ocap = ocap * 2 > 8 * n ? ocap * 2 : 8 * n;
				ob = xrealloc(ob, ocap);
			}
			switch (libdeflate_gzip_decompress_ex(d, cb + ip,
			    n - ip, ob + op, ocap - op, &ain, &aout)) {
			case LIBDEFLATE_SUCCESS:
				ip += ain;
				op += aout;
				continue;
			case LIBDEFLATE_INSUFFICIENT_SPACE:
				ocap *= 2;
				ob = xrealloc(ob, ocap);
				continue;
			default:
				w->bad = 1;
				break;
			}
			break;
		}
		w->out += op;
		if (hash) {
			unsigned char md[EVP_MAX_MD_SIZE];
			unsigned int mdn;
			double h0 = cpu_now();

			if (EVP_Digest(ob, op, md, &mdn, EVP_sha256(),
			    NULL) != 1)
				w->bad = 1;
			w->hash_s += cpu_now() - h0;
		}
	}
	libdeflate_free_decompressor(d);
	free(cb);
	free(ob);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct worker *w;
	struct timespec t0, t1;
	char line[4096];
	size_t cap = 0, files = 0, in = 0, out = 0, len;
	double hash_s = 0;
	int j = 1, i, bad = 0;

	if (argc > 1 && strcmp(argv[1], "-s") == 0) {
		hash = 1;
		argc--;
		argv++;
	}
	if (argc == 3 && strcmp(argv[1], "-j") == 0)
		j = atoi(argv[2]);
	else if (argc != 1) {
		fprintf(stderr, "usage: gzfloor [-s] [-j THREADS] <list\n");
		return 2;
	}
	if (j < 1 || j > 64)
		j = 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (len == 0)
			continue;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 1024;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[nnames++] = xstrdup(line);
	}
	w = xcalloc((size_t)j, sizeof(*w));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < j; i++)
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0)
			w[i].bad = 2;
	work(&w[0]);
	for (i = 1; i < j; i++)
		if (w[i].bad != 2)
			pthread_join(w[i].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < j; i++) {
		files += w[i].files;
		in += w[i].in;
		out += w[i].out;
		bad |= w[i].bad;
		hash_s += w[i].hash_s;
	}
	printf("%.3f %zu %zu %zu", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, files, in, out);
	if (hash)
		printf(" %.3f", hash_s);
	printf("\n");
	for (i = 0; (size_t)i < nnames; i++)
		free(names[i]);
	free(names);
	free(w);
	if (bad)
		fprintf(stderr, "gzfloor: some files could not be read or "
		    "decompressed\n");
	return bad ? 1 : 0;
}
