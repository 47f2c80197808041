/* input.c - see input.h */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"
#include "xalloc.h"

#define INBUF	((size_t)256 << 10)

/* Largest text buffer a cache keeps between inputs. */
#define CACHE_KEEP	((size_t)4 << 20)

struct ct_input_cache {
	struct libdeflate_decompressor *d;
	char		*out;
	size_t		 cap;
};

struct ct_input {
	struct ct_input_cache *cache;	/* decompressor and text buffer */
	int		 own_cache;	/* ... made for this input alone */
	int		 fd;
	int		 own_fd;
	int		 gz;
	off_t		 plain_size;	/* -1 unless a plain regular file */
	/* bytes read to detect gzip, served first (plain) or fed to zlib */
	unsigned char	 peek[2];
	size_t		 npeek, peekpos;
	/* whole compressed file in memory (small gzip files), else NULL */
	unsigned char	*cbuf;
	size_t		 csize, cpos;
	/* whole decompressed text (libdeflate path), else NULL */
	char		*whole;
	size_t		 wholen;
	/* a plain regular file mapped whole (whole points into it) */
	void		*map;
	size_t		 mapn;
	/* streaming zlib */
	int		 zinit;
	z_stream	 z;
	unsigned char	*inbuf;
	int		 member;	/* inside a gzip member */
	int		 in_eof;	/* no more compressed bytes */
	int		 done;
	/* read(2) said end of file: a terminal says it once per Ctrl-D, so
	 * reading on would wait for a second one */
	int		 fd_eof;
	const char	*pending;	/* error to report at the next read */
	char		 pendbuf[128];
};

static int
read_full(int fd, void *dst, size_t n, size_t *got)
{
	ssize_t r;

	*got = 0;
	while (*got < n) {
		r = read(fd, (char *)dst + *got, n - *got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return 0;
}

struct ct_input_cache *
ct_input_cache_new(void)
{
	return xcalloc(1, sizeof(struct ct_input_cache));
}

void
ct_input_cache_free(struct ct_input_cache *c)
{
	if (c == NULL)
		return;
	if (c->d != NULL)
		libdeflate_free_decompressor(c->d);
	free(c->out);
	free(c);
}

/*
 * Decompress the whole of cbuf with libdeflate into the cache's buffer
 * (an input opened without a cache gets one of its own); 0 or -1 (use
 * zlib).
 */
static int
whole_gz(struct ct_input *in)
{
	struct ct_input_cache *c;
	size_t cap, pos = 0, ip = 0, ain, aout, k;
	enum libdeflate_result rc;

	if (in->cache == NULL) {
		in->cache = ct_input_cache_new();
		in->own_cache = 1;
	}
	c = in->cache;
	if (c->d == NULL && (c->d = libdeflate_alloc_decompressor()) == NULL)
		return -1;
	cap = in->csize * 4 > 65536 ? in->csize * 4 : 65536;
	if (cap > CT_INPUT_WHOLE_OUT_MAX)
		cap = CT_INPUT_WHOLE_OUT_MAX;
	if (c->cap < cap) {
		free(c->out);
		c->out = xmalloc(cap);
		c->cap = cap;
	}
	while (ip < in->csize) {
		if (in->cbuf[ip] == 0) {
			for (k = ip; k < in->csize && in->cbuf[k] == 0; k++)
				;
			if (k == in->csize)
				break;
			return -1;
		}
		if (in->csize - ip < 2 || in->cbuf[ip] != 0x1f ||
		    in->cbuf[ip + 1] != 0x8b)
			return -1;
		rc = libdeflate_gzip_decompress_ex(c->d, in->cbuf + ip,
		    in->csize - ip, c->out + pos, c->cap - pos, &ain, &aout);
		if (rc == LIBDEFLATE_INSUFFICIENT_SPACE) {
			if (c->cap >= CT_INPUT_WHOLE_OUT_MAX)
				return -1;
			c->cap = c->cap * 2 > CT_INPUT_WHOLE_OUT_MAX ?
			    CT_INPUT_WHOLE_OUT_MAX : c->cap * 2;
			c->out = xrealloc(c->out, c->cap);
			continue;
		}
		if (rc != LIBDEFLATE_SUCCESS)
			return -1;
		ip += ain;
		pos += aout;
	}
	in->whole = c->out;
	in->wholen = pos;
	free(in->cbuf);
	in->cbuf = NULL;
	in->cpos = 0;
	return 0;
}

struct ct_input *
ct_input_open(const char *path, struct ct_buf *err)
{
	return ct_input_open_cached(path, NULL, err);
}

struct ct_input *
ct_input_open_cached(const char *path, struct ct_input_cache *cache,
    struct ct_buf *err)
{
	struct ct_input *in;
	struct stat st;
	size_t got;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		fd = 0;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ct_buf_reset(err);
		ct_buf_adds(err, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd != 0)
			close(fd);
		ct_buf_reset(err);
		ct_buf_adds(err, strerror(EISDIR));
		return NULL;
	}
	in = xcalloc(1, sizeof(*in));
	in->cache = cache;
	in->fd = fd;
	in->own_fd = fd != 0;
	in->plain_size = -1;
	if (read_full(fd, in->peek, 2, &got) < 0) {
		ct_buf_reset(err);
		ct_buf_adds(err, strerror(errno));
		ct_input_close(in);
		return NULL;
	}
	in->npeek = got;
	in->fd_eof = got < 2;
	in->gz = got == 2 && in->peek[0] == 0x1f && in->peek[1] == 0x8b;
	if (!S_ISREG(st.st_mode))
		return in;
	if (!in->gz) {
		in->plain_size = st.st_size;
		/*
		 * Map it: the scanner reads the page cache in place, no copy
		 * (a tenth of the time of a whole run).  Memory is the page
		 * cache's, not ours.
		 */
		/* (not standard input: its offset need not be 0) */
		if (fd != 0 && st.st_size > 0 &&
		    (uint64_t)st.st_size <= SIZE_MAX / 2) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			    MAP_PRIVATE, fd, 0);

			if (m != MAP_FAILED) {
				(void)madvise(m, (size_t)st.st_size,
				    MADV_SEQUENTIAL);
				in->map = m;
				in->mapn = (size_t)st.st_size;
				in->whole = m;
				in->wholen = in->mapn;
				in->npeek = 0;
			}
		}
		return in;
	}
	if ((size_t)st.st_size <= CT_INPUT_WHOLE_MAX) {
		in->cbuf = xmalloc((size_t)st.st_size + 1);
		memcpy(in->cbuf, in->peek, 2);
		if (read_full(fd, in->cbuf + 2, (size_t)st.st_size - 2,
		    &got) < 0) {
			ct_buf_reset(err);
			ct_buf_adds(err, strerror(errno));
			ct_input_close(in);
			return NULL;
		}
		in->csize = got + 2;
		in->npeek = 0;
		in->in_eof = 1;
		(void)whole_gz(in);
	}
	return in;
}

void
ct_input_close(struct ct_input *in)
{
	if (in == NULL)
		return;
	if (in->own_fd)
		close(in->fd);
	if (in->zinit)
		inflateEnd(&in->z);
	free(in->cbuf);
	if (in->map != NULL)
		munmap(in->map, in->mapn);
	if (in->own_cache)
		ct_input_cache_free(in->cache);
	else if (in->cache != NULL && in->cache->cap > CACHE_KEEP) {
		/* a big file's text: not kept for the small ones to come */
		free(in->cache->out);
		in->cache->out = NULL;
		in->cache->cap = 0;
	}
	free(in->inbuf);
	free(in);
}

int
ct_input_gzip(const struct ct_input *in)
{
	return in->gz;
}

off_t
ct_input_plain_size(const struct ct_input *in)
{
	return in->plain_size;
}

/*
 * read(2) (at, NULL) or pread(2) at *at, again after EINTR.  On failure
 * the reason goes to err and -1 is returned.
 */
static ssize_t
read_fd(int fd, void *dst, size_t n, const off_t *at, struct ct_buf *err)
{
	ssize_t r;

	do
		r = at == NULL ? read(fd, dst, n) : pread(fd, dst, n, *at);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		ct_buf_reset(err);
		ct_buf_adds(err, strerror(errno));
	}
	return r;
}

ssize_t
ct_input_pread(struct ct_input *in, void *dst, size_t n, off_t off,
    struct ct_buf *err)
{
	ssize_t r;

	if (in->map != NULL) {
		if (off < 0 || (size_t)off >= in->mapn)
			return 0;
		r = (ssize_t)(in->mapn - (size_t)off < n ? in->mapn -
		    (size_t)off : n);
		memcpy(dst, (char *)in->map + off, (size_t)r);
		return r;
	}
	return read_fd(in->fd, dst, n, &off, err);
}

int
ct_input_whole(struct ct_input *in, const char **p, size_t *n,
    const char **errp)
{
	if (in->whole == NULL)
		return 0;
	*p = in->whole;
	*n = in->wholen;
	*errp = NULL;
	return 1;
}

void
ct_input_release(struct ct_input *in, size_t from, size_t to)
{
	long ps;
	size_t page;

	if (in->map == NULL)
		return;
	ps = sysconf(_SC_PAGESIZE);	/* per call: threads share no state */
	page = ps > 0 ? (size_t)ps : 4096;
	if (to > in->mapn)
		to = in->mapn;
	from = from / page * page;
	to = to / page * page;
	if (to <= from)
		return;
	/* read-only and private: a later touch maps the file's page again */
	(void)madvise((char *)in->map + from, to - from, MADV_DONTNEED);
}

/* More compressed bytes for zlib (keeping what it has not used). */
static int
zfill(struct ct_input *in, struct ct_buf *err)
{
	size_t have = in->z.avail_in, got;
	ssize_t r;

	if (in->cbuf != NULL) {
		if (have == 0 && in->cpos < in->csize) {
			in->z.next_in = in->cbuf + in->cpos;
			in->z.avail_in = (uInt)(in->csize - in->cpos);
			in->cpos = in->csize;
			return 0;
		}
		in->in_eof = 1;
		return 0;
	}
	if (in->inbuf == NULL)
		in->inbuf = xmalloc(INBUF);
	if (have > 0)
		memmove(in->inbuf, in->z.next_in, have);
	got = 0;
	while (in->peekpos < in->npeek)
		in->inbuf[have + got++] = in->peek[in->peekpos++];
	if (got == 0) {
		if ((r = read_fd(in->fd, in->inbuf + have, INBUF - have, NULL,
		    err)) < 0)
			return -1;
		if (r == 0)
			in->in_eof = 1;
		got = (size_t)r;
	}
	in->z.next_in = in->inbuf;
	in->z.avail_in = (uInt)(have + got);
	return 0;
}

static ssize_t
gz_read(struct ct_input *in, void *dst, size_t n, struct ct_buf *err)
{
	int rc;

	if (n > (1u << 30))
		n = 1u << 30;
	if (!in->zinit) {
		memset(&in->z, 0, sizeof(in->z));
		if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
			ct_buf_reset(err);
			ct_buf_adds(err, "cannot initialise zlib");
			in->done = 1;
			return -1;
		}
		in->zinit = 1;
		in->member = 1;
		if (in->cbuf != NULL) {	/* libdeflate failed: start over */
			in->cpos = 0;
			in->in_eof = 0;
		}
	}
	in->z.next_out = dst;
	in->z.avail_out = (uInt)n;
	while (in->z.avail_out == n) {
		if (!in->member) {
			/* between members: zero padding, a new member, or junk */
			while (in->z.avail_in > 0 && in->z.next_in[0] == 0) {
				in->z.next_in++;
				in->z.avail_in--;
			}
			if (in->z.avail_in < 2 && !in->in_eof) {
				if (zfill(in, err) < 0)
					goto fail;
				continue;
			}
			if (in->z.avail_in == 0) {
				in->done = 1;
				return 0;
			}
			if (in->z.avail_in < 2 || in->z.next_in[0] != 0x1f ||
			    in->z.next_in[1] != 0x8b) {
				in->pending = "data after the end of the gzip stream";
				break;
			}
			inflateReset(&in->z);
			in->member = 1;
		}
		if (in->z.avail_in == 0) {
			if (in->in_eof) {
				in->pending = "truncated gzip data";
				break;
			}
			if (zfill(in, err) < 0)
				goto fail;
			if (in->z.avail_in == 0 && in->in_eof) {
				in->pending = "truncated gzip data";
				break;
			}
		}
		rc = inflate(&in->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			in->member = 0;
			continue;
		}
		if (rc == Z_BUF_ERROR)
			continue;	/* needs input */
		if (rc != Z_OK) {
			in->pending = "corrupt gzip data";
			break;
		}
	}
	if (in->z.avail_out < n)
		return (ssize_t)(n - in->z.avail_out);
	if (in->pending != NULL) {
		ct_buf_reset(err);
		ct_buf_adds(err, in->pending);
		in->done = 1;
		return -1;
	}
	return 0;
fail:
	if (in->z.avail_out < n) {
		snprintf(in->pendbuf, sizeof(in->pendbuf), "%s",
		    err->data ? err->data : "read error");
		in->pending = in->pendbuf;
		return (ssize_t)(n - in->z.avail_out);
	}
	in->done = 1;
	return -1;
}

ssize_t
ct_input_read(struct ct_input *in, void *dst, size_t n, struct ct_buf *err)
{
	size_t k = 0;
	ssize_t r;

	if (in->done || n == 0)
		return 0;
	if (in->pending != NULL) {
		ct_buf_reset(err);
		ct_buf_adds(err, in->pending);
		in->done = 1;
		return -1;
	}
	if (in->whole != NULL) {
		k = in->wholen - in->cpos < n ? in->wholen - in->cpos : n;
		memcpy(dst, in->whole + in->cpos, k);
		in->cpos += k;
		return (ssize_t)k;
	}
	if (in->gz)
		return gz_read(in, dst, n, err);
	while (in->peekpos < in->npeek && k < n)
		((char *)dst)[k++] = (char)in->peek[in->peekpos++];
	if (k > 0 || in->fd_eof)
		return (ssize_t)k;
	if ((r = read_fd(in->fd, dst, n, NULL, err)) < 0)
		in->done = 1;
	else if (r == 0)
		in->fd_eof = 1;
	return r;
}

int
ct_input_slurp(const char *path, struct ct_buf *out, struct ct_buf *err)
{
	struct ct_input *in;
	char chunk[65536];
	ssize_t n;

	if ((in = ct_input_open(path, err)) == NULL)
		return -1;
	while ((n = ct_input_read(in, chunk, sizeof(chunk), err)) > 0)
		if (ct_buf_add(out, chunk, (size_t)n) != 0) {
			ct_buf_reset(err);
			ct_buf_printf(err, "larger than %zu MiB",
			    (out->cap ? out->cap : SIZE_MAX / 2) >> 20);
			n = -1;
			break;
		}
	ct_input_close(in);
	return n < 0 ? -1 : 0;
}
