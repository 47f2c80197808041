/*
 * fuzz_input.c - ct-aggregate's input layer (lib/input.h), gzip above all.
 *
 * ct_input decodes a small gzip file whole with libdeflate and anything
 * else (standard input, a pipe, a large file) with streaming zlib.  The two
 * must give the same text and agree on whether the input was good: this
 * target reads the same bytes both ways, as a regular file (a memfd) and
 * through a pipe, and compares.  The first option byte can wrap the rest
 * in gzip first (one or two members, then zero padding or junk), so the
 * fuzzer spends its time past the CRC check too.  The regular file is read
 * a second time with a cache kept from input to input (ct-aggregate's
 * threads keep one): same text, same verdict.  Reading stops at 8 MiB
 * of text (a gzip bomb is the fuzzer's easiest find and proves nothing).
 */
#include <sys/mman.h>

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "input.h"
#include "fuzz.h"

#define TEXT_MAX	((size_t)8 << 20)

struct feed {
	int		 fd;
	const uint8_t	*p;
	size_t		 n;
};

static void *
feeder(void *arg)
{
	struct feed *f = arg;
	size_t off = 0;
	ssize_t w;

	while (off < f->n) {
		w = write(f->fd, f->p + off, f->n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

/* All the text of an input, up to TEXT_MAX; *bad when it ended in error. */
static void
slurp(struct ct_input *in, struct ct_buf *text, int *bad, int whole_ok)
{
	struct ct_buf err;
	const char *w, *werr;
	size_t wn;
	ssize_t r;

	*bad = 0;
	if (whole_ok && ct_input_whole(in, &w, &wn, &werr)) {
		ct_buf_add(text, w, wn > TEXT_MAX ? TEXT_MAX : wn);
		*bad = werr != NULL;
		return;
	}
	ct_buf_init(&err, 4096);
	while (text->len < TEXT_MAX) {
		FZ_CHECK(ct_buf_reserve(text, 65536) == 0);
		r = ct_input_read(in, text->data + text->len, 65536, &err);
		if (r < 0) {
			*bad = 1;
			FZ_CHECK(err.len > 0);
			break;
		}
		if (r == 0)
			break;
		text->len += (size_t)r;
		text->data[text->len] = '\0';
	}
	if (text->len > TEXT_MAX)
		text->len = TEXT_MAX;
	ct_buf_free(&err);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	signal(SIGPIPE, SIG_IGN);	/* the reader may stop early */
	return 0;
}

/* gzip-wrap p[0..n) into out (one member). */
static void
gzip_member(struct ct_buf *out, const uint8_t *p, size_t n, int level)
{
	z_stream z;
	unsigned char tmp[16384];
	int rc;

	memset(&z, 0, sizeof(z));
	FZ_CHECK(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) == Z_OK);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = tmp;
		z.avail_out = sizeof(tmp);
		rc = deflate(&z, Z_FINISH);
		ct_buf_add(out, tmp, sizeof(tmp) - z.avail_out);
	} while (rc == Z_OK);
	FZ_CHECK(rc == Z_STREAM_END);
	deflateEnd(&z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_buf src, t1, t2, err;
	struct ct_input *in;
	struct feed fd_feed;
	pthread_t th;
	char path[64];
	unsigned opt = fz_take(&data, &size);
	int mfd, pfd[2], bad1, bad2;
	size_t cut;

	ct_buf_init(&src, 0);
	if (opt & 1) {
		cut = size ? (opt >> 4) * size / 16 : 0;
		gzip_member(&src, data, cut, (opt >> 1) & 1 ? 9 : 1);
		if (opt & 4)
			gzip_member(&src, data + cut, size - cut, 6);
		else
			ct_buf_add(&src, data + cut, size - cut);
		if (opt & 8)
			ct_buf_add(&src, "\0\0\0\0", 4);
	} else
		ct_buf_add(&src, data, size);
	if (src.data == NULL)
		ct_buf_add(&src, "", 0);

	/* as a regular file */
	mfd = memfd_create("fuzz_input", MFD_CLOEXEC);
	FZ_CHECK(mfd >= 0);
	FZ_CHECK(write(mfd, src.data, src.len) == (ssize_t)src.len);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	ct_buf_init(&err, 4096);
	ct_buf_init(&t1, 0);
	in = ct_input_open(path, &err);
	FZ_CHECK(in != NULL);
	slurp(in, &t1, &bad1, 1);
	ct_input_close(in);

	/* again with the cache that lives from input to input, as a thread
	 * of ct-aggregate keeps one: the same text, the same verdict */
	{
		static struct ct_input_cache *ic;
		struct ct_buf t3;
		int bad3;

		if (ic == NULL)
			ic = ct_input_cache_new();
		ct_buf_init(&t3, 0);
		in = ct_input_open_cached(path, ic, &err);
		FZ_CHECK(in != NULL);
		slurp(in, &t3, &bad3, 1);
		ct_input_close(in);
		FZ_CHECK(bad3 == bad1 && t3.len == t1.len && (t1.len == 0 ||
		    memcmp(t1.data, t3.data, t1.len) == 0));
		ct_buf_free(&t3);
	}
	close(mfd);

	/* through a pipe: streaming */
	FZ_CHECK(pipe(pfd) == 0);
	fd_feed.fd = pfd[1];
	fd_feed.p = (const uint8_t *)src.data;
	fd_feed.n = src.len;
	FZ_CHECK(pthread_create(&th, NULL, feeder, &fd_feed) == 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd[0]);
	ct_buf_init(&t2, 0);
	in = ct_input_open(path, &err);
	close(pfd[0]);
	FZ_CHECK(in != NULL);
	FZ_CHECK(ct_input_plain_size(in) == -1);
	slurp(in, &t2, &bad2, 0);
	ct_input_close(in);
	pthread_join(th, NULL);

	if (t1.len < TEXT_MAX && t2.len < TEXT_MAX)
		FZ_CHECK(bad1 == bad2);
	if (t1.len != t2.len || (t1.len > 0 &&
	    memcmp(t1.data, t2.data, t1.len) != 0)) {
		fprintf(stderr, "file gave %zu bytes (bad %d), pipe %zu (bad %d)\n",
		    t1.len, bad1, t2.len, bad2);
		FZ_CHECK(0);
	}
	if (opt & 1 && !(opt & 8) && (opt & 4))
		FZ_CHECK(!bad1 && t1.len == (size > TEXT_MAX ? TEXT_MAX : size) &&
		    (size == 0 || memcmp(t1.data, data, t1.len) == 0));
	ct_buf_free(&src);
	ct_buf_free(&t1);
	ct_buf_free(&t2);
	ct_buf_free(&err);
	return 0;
}
