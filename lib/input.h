/*
 * input.h - one input of ct-aggregate as a stream of bytes, gzip undone.
 *
 * A file, or standard input, is opened and read as plain bytes; whether it
 * is gzip is decided by its first two bytes (1f 8b), never by its name, so
 * `cat *.json.gz | ct-aggregate` and a .json that is really gzip both work.
 * gzip may have several members (what `cat a.gz b.gz` gives): they are read
 * one after the other as one stream; zero bytes after the last member are
 * ignored (some tools pad), anything else there is an error.
 *
 * Two ways to decompress, chosen per input:
 *   - a regular file of at most CT_INPUT_WHOLE_MAX compressed bytes (an S3
 *     log file is a few KB to a few MB) is read whole and decompressed in
 *     one call per member with libdeflate, about twice as fast as zlib; its
 *     text is then available at once (ct_input_whole), no copy;
 *   - anything else (stdin, large files) streams through zlib's inflate, so
 *     memory stays bounded whatever the size.
 * A plain regular file is mapped (mmap) and read in place.
 *
 * A truncated or corrupt member is an error reported after all the bytes
 * that could be decoded before it (libdeflate gives all or nothing, so
 * then the same bytes are decoded again with zlib to get that prefix).
 *
 * The library never prints: errors come back as -1 and one line in err.
 */
#ifndef CT_INPUT_H
#define CT_INPUT_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* Compressed size up to which a gzip file is decompressed whole. */
#define CT_INPUT_WHOLE_MAX	((size_t)64 << 20)
/* Decompressed size up to which it is kept whole (else: streamed). */
#define CT_INPUT_WHOLE_OUT_MAX	((size_t)512 << 20)

struct ct_input;

/*
 * Open path ("-" or NULL: standard input, which is not closed at the end).
 * Returns an input the caller closes with ct_input_close, or NULL with the
 * reason ("No such file or directory") in err.
 */
struct ct_input *ct_input_open(const char *path, struct ct_buf *err);
void	ct_input_close(struct ct_input *in);

/*
 * What one thread reuses from input to input: the gzip decompressor and
 * the text buffer of small gzip files.  A month of an S3 archive is 24,000
 * files of a few KB; making a decompressor for each (and zeroing its
 * tables) cost more than a tenth of the time of reading them.  The text of
 * an input opened with a cache lives in the cache: close that input before
 * opening the next with the same cache.  One cache per thread; it keeps a
 * buffer of at most 4 MiB between inputs.
 */
struct ct_input_cache;

struct ct_input_cache *ct_input_cache_new(void);
void	ct_input_cache_free(struct ct_input_cache *c);
/* ct_input_open, reusing c (NULL: as ct_input_open). */
struct ct_input *ct_input_open_cached(const char *path,
	    struct ct_input_cache *c, struct ct_buf *err);

/* 1 if the input is gzip. */
int	ct_input_gzip(const struct ct_input *in);

/*
 * Size in bytes of a plain (not gzip) regular file, which can then be read
 * at any offset with ct_input_pread; -1 for anything else.
 */
off_t	ct_input_plain_size(const struct ct_input *in);
/* Read up to n bytes at off of a plain regular file: count, 0 at its end,
 * -1 with a reason. */
ssize_t	ct_input_pread(struct ct_input *in, void *dst, size_t n, off_t off,
	    struct ct_buf *err);

/*
 * If the whole text is in memory (a plain regular file, mapped; a small
 * gzip file, decompressed), set *p and *n to it (owned by in, valid until
 * ct_input_close) and return 1;
 * *errp gets the error that ended decoding early (a static string) or
 * NULL.  Else return 0 and read with ct_input_read.
 */
int	ct_input_whole(struct ct_input *in, const char **p, size_t *n,
	    const char **errp);

/*
 * Done with the text [from, to), and with all before from: a mapped
 * file's pages there (from and to rounded down to pages) leave this
 * process's resident set.  The page cache keeps them, and reading them
 * again maps them again, so this is about memory only, never about what
 * is read.  Without it a mapped file read from start to end is resident
 * whole by its end, however large.  Nothing for other inputs.
 */
void	ct_input_release(struct ct_input *in, size_t from, size_t to);

/*
 * Read up to n bytes of text (decompressed) into dst.  Returns the count,
 * 0 at the end, or -1 with a reason in err (I/O error, truncated or
 * corrupt gzip); after -1, reads return 0.
 */
ssize_t	ct_input_read(struct ct_input *in, void *dst, size_t n,
	    struct ct_buf *err);

/*
 * All of path ("-": standard input), gzip undone, appended to out, up to
 * out's cap: for the small whole documents a tool reads at once (a
 * summary, a file of signatures or public keys).  0, or -1 with a reason
 * in err (cannot open, I/O error, corrupt gzip, "larger than N MiB").
 */
int	ct_input_slurp(const char *path, struct ct_buf *out,
	    struct ct_buf *err);

#endif
