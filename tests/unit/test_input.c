/* test_input.c - reading inputs: plain, gzip (whole and streamed), errors. */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "input.h"
#include "xalloc.h"

static char dir[] = "/tmp/ct-test-input.XXXXXX";

/* gzip of p[0..n) (one member). */
static unsigned char *
gz(const char *p, size_t n, size_t *outn)
{
	z_stream z;
	unsigned char *out;
	size_t cap = n + n / 2 + 1024;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	out = xmalloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static char *
put(const char *name, const void *p, size_t n)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(p, 1, n, f);
	fclose(f);
	return path;
}

/* Read all of in; *rc gets the last read's result (0 or -1). */
static char *
slurp(struct ct_input *in, size_t *n, int *rc, struct ct_buf *err,
    size_t step)
{
	struct ct_buf b;
	ssize_t r;

	ct_buf_init(&b, 0);
	for (;;) {
		ct_buf_reserve(&b, step);
		r = ct_input_read(in, b.data + b.len, step, err);
		if (r <= 0)
			break;
		b.len += (size_t)r;
	}
	*rc = (int)r;
	*n = b.len;
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

static char *
text(size_t n)
{
	char *t = xmalloc(n + 1);
	size_t i;
	unsigned x = 1;

	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		t[i] = (i % 100 == 99) ? '\n' : (char)('a' + (x >> 16) % 26);
	}
	t[n] = '\0';
	return t;
}

/* Open path as standard input through a pipe (the streaming path). */
static struct ct_input *
via_pipe(const void *p, size_t n, pid_t *pid)
{
	struct ct_buf err;
	int fds[2];
	struct ct_input *in;

	if (pipe(fds) != 0)
		return NULL;
	if ((*pid = fork()) == 0) {
		close(fds[0]);
		if (write(fds[1], p, n) != (ssize_t)n)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	ct_buf_init(&err, 0);
	in = ct_input_open("-", &err);
	ct_buf_free(&err);
	return in;
}

int
main(void)
{
	struct ct_buf err;
	struct ct_input *in;
	unsigned char *g1, *g2, *cat;
	size_t n1, n2, n, wn;
	char *t1, *t2, *got, *both, *path;
	const char *w, *werr;
	int rc, status;
	pid_t pid;

	if (mkdtemp(dir) == NULL)
		return 1;
	ct_buf_init(&err, 0);
	t1 = text(300000);
	t2 = text(5000);

	/* plain */
	path = put("plain.json.gz", t1, strlen(t1));
	in = ct_input_open(path, &err);
	CHECK(in != NULL && !ct_input_gzip(in), "plain file named .gz is plain");
	CHECK(ct_input_plain_size(in) == 300000, "plain size known");
	got = slurp(in, &n, &rc, &err, 4096);
	CHECK(rc == 0 && n == 300000 && memcmp(got, t1, n) == 0, "plain read whole");
	free(got);
	ct_input_close(in);

	/* a mapped file given back in parts: its text is still all there
	 * (the pages map again), before and after the point released */
	in = ct_input_open(path, &err);
	CHECK(in != NULL && ct_input_whole(in, &w, &wn, &werr) == 1 &&
	    wn == 300000, "plain file mapped whole");
	if (in != NULL && wn == 300000) {
		ct_input_release(in, 0, 100000);
		ct_input_release(in, 50000, 60000);	/* again */
		ct_input_release(in, 100000, 400000);	/* past the end */
		ct_input_release(in, 7, 3);		/* empty */
		CHECK(memcmp(w, t1, wn) == 0,
		    "released pages read back the same text");
	}
	ct_input_close(in);

	/* gzip, single member, named .json: whole path */
	g1 = gz(t1, strlen(t1), &n1);
	path = put("a.json", g1, n1);
	in = ct_input_open(path, &err);
	CHECK(in != NULL && ct_input_gzip(in), "gzip recognised by magic, not name");
	CHECK(ct_input_plain_size(in) == -1, "gzip has no plain size");
	CHECK(ct_input_whole(in, &w, &wn, &werr) == 1 && wn == 300000 &&
	    memcmp(w, t1, wn) == 0 && werr == NULL,
	    "small gzip decompressed whole (libdeflate)");
	got = slurp(in, &n, &rc, &err, 777);
	CHECK(rc == 0 && n == 300000 && memcmp(got, t1, n) == 0,
	    "and readable piecewise");
	free(got);
	ct_input_close(in);

	/* multi-member */
	g2 = gz(t2, strlen(t2), &n2);
	cat = xmalloc(n1 + n2 + 16);
	memcpy(cat, g1, n1);
	memcpy(cat + n1, g2, n2);
	both = xmalloc(300000 + 5000 + 1);
	memcpy(both, t1, 300000);
	memcpy(both + 300000, t2, 5001);
	path = put("multi.gz", cat, n1 + n2);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 65536);
	CHECK(rc == 0 && n == 305000 && memcmp(got, both, n) == 0,
	    "multi-member gzip read whole (file)");
	free(got);
	ct_input_close(in);
	in = via_pipe(cat, n1 + n2, &pid);
	CHECK(in != NULL && ct_input_gzip(in), "gzip on a pipe recognised");
	CHECK(ct_input_whole(in, &w, &wn, &werr) == 0, "pipe is streamed");
	got = slurp(in, &n, &rc, &err, 1000);
	CHECK(rc == 0 && n == 305000 && memcmp(got, both, n) == 0,
	    "multi-member gzip streamed (zlib)");
	free(got);
	ct_input_close(in);
	waitpid(pid, &status, 0);

	/* zero padding after the last member is fine */
	memset(cat + n1 + n2, 0, 16);
	path = put("pad.gz", cat, n1 + n2 + 16);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 65536);
	CHECK(rc == 0 && n == 305000, "zero padding after gzip ignored");
	free(got);
	ct_input_close(in);

	/* trailing junk: everything read, then an error */
	memcpy(cat + n1 + n2, "junk", 4);
	path = put("junk.gz", cat, n1 + n2 + 4);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 65536);
	CHECK(rc == -1 && n == 305000 && strstr(err.data, "after the end") != NULL,
	    "junk after gzip: data kept, then an error");
	free(got);
	ct_input_close(in);

	/* truncated: a prefix, then "truncated" */
	path = put("trunc.gz", cat, n1 + n2 / 2);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 65536);
	CHECK(rc == -1 && n >= 300000 && n < 305000 &&
	    memcmp(got, both, n) == 0 && strstr(err.data, "truncated") != NULL,
	    "truncated second member: first member and a prefix kept");
	free(got);
	ct_input_close(in);
	in = via_pipe(cat, n1 / 2, &pid);
	got = slurp(in, &n, &rc, &err, 4096);
	CHECK(rc == -1 && n > 0 && n < 300000 && memcmp(got, t1, n) == 0,
	    "truncated gzip streamed: prefix then error");
	free(got);
	ct_input_close(in);
	waitpid(pid, &status, 0);

	/* corrupt: flip bytes in the middle of the deflate data */
	memcpy(cat, g1, n1);
	memset(cat + n1 / 2, 0xff, 64);
	path = put("corrupt.gz", cat, n1);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 65536);
	/* (deflate may emit some garbage before it notices) */
	CHECK(rc == -1 && n > 50000 && n < 300000 && memcmp(got, t1, 50000) == 0 &&
	    strstr(err.data, "corrupt") != NULL,
	    "corrupt gzip: error after the good prefix");
	free(got);
	ct_input_close(in);

	/* empty, tiny, missing, directory */
	path = put("empty.json", "", 0);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 10);
	CHECK(in != NULL && rc == 0 && n == 0, "empty file reads nothing");
	free(got);
	ct_input_close(in);
	path = put("one.json", "\x1f", 1);
	in = ct_input_open(path, &err);
	got = slurp(in, &n, &rc, &err, 10);
	CHECK(in != NULL && !ct_input_gzip(in) && n == 1 && got[0] == '\x1f',
	    "one byte file is plain");
	free(got);
	ct_input_close(in);
	in = ct_input_open("/nonexistent/x.json", &err);
	CHECK(in == NULL && strstr(err.data, "No such") != NULL,
	    "missing file: reason");
	in = ct_input_open(dir, &err);
	CHECK(in == NULL && strstr(err.data, "directory") != NULL,
	    "directory: reason");

	/* pread on a plain file */
	path = put("p.json", t1, 300000);
	in = ct_input_open(path, &err);
	{
		char buf[10];

		CHECK(ct_input_pread(in, buf, 10, 1000, &err) == 10 &&
		    memcmp(buf, t1 + 1000, 10) == 0, "pread at an offset");
	}
	ct_input_close(in);

	/*
	 * One cache for a run of inputs, as a thread of ct-aggregate reads
	 * them: small gzip files, a big one (its buffer is not kept), a
	 * corrupt one, a plain one; each reads back exactly its own text.
	 */
	{
		struct ct_input_cache *ic = ct_input_cache_new();
		char *big = text(6 << 20), *small = text(20000);
		unsigned char *gbig, *gsmall, *gbad;
		size_t nbig, nsmall, k;
		int all = 1;
		const char *names[] = { "c1.json.gz", "c2.json.gz", "cbig.json.gz",
		    "c3.json.gz", "cbad.json.gz", "c4.json", "c5.json.gz" };

		gsmall = gz(small, strlen(small), &nsmall);
		gbig = gz(big, strlen(big), &nbig);
		gbad = xmalloc(nsmall);
		memcpy(gbad, gsmall, nsmall);
		memset(gbad + nsmall / 2, 0xff, 64);
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			const char *want = strstr(names[k], "big") ? big : small;
			size_t wantn = strlen(want);

			if (strstr(names[k], "big"))
				path = put(names[k], gbig, nbig);
			else if (strstr(names[k], "bad"))
				path = put(names[k], gbad, nsmall);
			else if (strstr(names[k], ".gz"))
				path = put(names[k], gsmall, nsmall);
			else
				path = put(names[k], small, strlen(small));
			in = ct_input_open_cached(path, ic, &err);
			if (in == NULL) {
				all = 0;
				continue;
			}
			if (strstr(names[k], "bad")) {
				got = slurp(in, &n, &rc, &err, 65536);
				CHECK(rc == -1 && n > 0 && memcmp(got, want, 100) == 0,
				    "cached: a corrupt file reads its start, "
				    "then fails");
			} else {
				rc = ct_input_whole(in, &w, &wn, &werr);
				if (rc != 1 || wn != wantn || werr != NULL ||
				    memcmp(w, want, wn) != 0)
					all = 0;
				got = NULL;
			}
			free(got);
			ct_input_close(in);
		}
		CHECK(all, "cached: small, big, plain and small again read "
		    "their own text whole");
		ct_input_cache_free(ic);
		ct_input_cache_free(NULL);
		free(big);
		free(small);
		free(gbig);
		free(gsmall);
		free(gbad);
	}

	{
		/* ct_input_slurp: a whole gzip document, and a cap said */
		const char doc[] = "{\"Records\":[{\"eventName\":\"x\"}]}";
		unsigned char *z;
		struct ct_buf all, why;
		size_t zn;

		z = gz(doc, sizeof(doc) - 1, &zn);
		ct_buf_init(&all, 1024);
		ct_buf_init(&why, 0);
		CHECK(ct_input_slurp(put("slurp.json.gz", z, zn), &all,
		    &why) == 0 && all.len == sizeof(doc) - 1 &&
		    memcmp(all.data, doc, all.len) == 0,
		    "ct_input_slurp: a gzip document, inflated whole");
		ct_buf_free(&all);
		ct_buf_init(&all, 8);
		CHECK(ct_input_slurp(put("slurp.json", doc, sizeof(doc) - 1),
		    &all, &why) == -1 && why.data != NULL &&
		    strstr(why.data, "larger than") != NULL,
		    "ct_input_slurp: past the buffer's cap: said, -1");
		ct_buf_reset(&why);
		CHECK(ct_input_slurp("/nonexistent/x", &all, &why) == -1 &&
		    why.len > 0, "ct_input_slurp: a missing file: a reason");
		ct_buf_free(&all);
		ct_buf_free(&why);
		free(z);
	}
	free(t1);
	free(t2);
	free(g1);
	free(g2);
	free(cat);
	free(both);
	ct_buf_free(&err);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return check_done();
}
