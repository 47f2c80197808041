/*
 * ctlog.h - reading a CloudTrail log file as it arrives.
 *
 * A trail delivers gzip files holding one JSON object {"Records":[...]}.
 * The S3 source reads them straight from the network, so this reader is
 * fed the compressed bytes piece by piece (any split) and hands each
 * record of the Records array to a callback, with its top-level
 * eventTime.  A file of up to 4 MiB compressed and 32 MiB of text is kept
 * and inflated whole when it ends (libdeflate: the text costs half the
 * CPU of zlib's stream); a larger one is inflated as it arrives, each
 * record handed out once its closing brace was inflated, in one record
 * and zlib's window of memory.  Several gzip members one
 * after another are one stream (as gzip -d reads them), and each member's
 * trailer (CRC-32 and length) is checked.  The end is only
 * accepted at the end of a member and of the JSON object, so a file cut
 * short is reported, never read as a shorter one.
 *
 * On request (ct_ctlog_hash_on) the reader also computes the SHA-256 of
 * the inflated bytes as they pass, which is what a CloudTrail digest
 * lists for the file (integrity.h); a reader not asked pays nothing.
 *
 * Whether a record is one valid JSON object a writer may put on a line
 * is lib/scan.h's ct_scan_check_record to decide.  The reader proves it
 * on the way for nearly every record (lib/recwalk.h) and says so in the
 * record's flags, so that the writer checks only the others.
 *
 * Readers of one thread may share a cache (ct_ctlog_use_cache): the
 * whole-file path's decompressor and text buffer, and the buffers that
 * keep compressed bytes, go from file to file instead of being allocated
 * fresh for each, which costs a page fault per 4 KiB of text.
 */
#ifndef CT_CTLOG_H
#define CT_CTLOG_H

#include <stddef.h>
#include <stdint.h>

#define CT_CTLOG_MAX_RECORD	((size_t)4 << 20)	/* bytes; a record
							   is < 256 KB */

/* A record's flags. */
#define CT_CTLOG_CHECKED	1	/* ct_scan_check_record accepts it */
#define CT_CTLOG_ONE_LINE	2	/* with CHECKED: no '\n' or '\r' in it */
#define CT_CTLOG_WHOLE		4	/* p lies in the file's whole text
					   (ct_ctlog_text) */

/* A record: p[0..n), valid during the call only; t its eventTime (epoch
 * seconds: the first string value of a top-level key whose raw bytes are
 * eventTime) or INT64_MIN if absent or unreadable; flags CT_CTLOG_*.
 * Return 0 to go on, -1 to stop (ct_ctlog_feed then returns -1 with
 * "stopped"). */
typedef int (*ct_ctlog_fn)(void *arg, const char *p, size_t n, int64_t t,
    unsigned flags);

struct ct_ctlog;
struct ct_ctlog_cache;

struct ct_ctlog	*ct_ctlog_new(ct_ctlog_fn fn, void *arg);
void		 ct_ctlog_free(struct ct_ctlog *l);

/* A cache for the readers of one thread.  Never NULL. */
struct ct_ctlog_cache *ct_ctlog_cache_new(void);
void		 ct_ctlog_cache_free(struct ct_ctlog_cache *c);
/* l uses c, which must outlive it: call before the first feed. */
void		 ct_ctlog_use_cache(struct ct_ctlog *l, struct ct_ctlog_cache *c);

/* Feed compressed bytes.  0, or -1 (bad gzip, not a Records document, a
 * record over the cap): *why says what, and the reader stays failed.  A
 * file kept whole is only read, and so only refused, by ct_ctlog_finish. */
int	ct_ctlog_feed(struct ct_ctlog *l, const void *p, size_t n,
	    const char **why);
/* No more bytes: 0 if the file ended where a file may end, else -1.
 * The records of a file kept whole are handed out here. */
int	ct_ctlog_finish(struct ct_ctlog *l, const char **why);
/* Compute the SHA-256 of the inflated bytes: call before the first feed.
 * 0, or -1 (already fed, or OpenSSL failed). */
int	ct_ctlog_hash_on(struct ct_ctlog *l);
/* After a successful ct_ctlog_finish of a reader with hashing on: the
 * SHA-256 of the whole inflated text (all members) in out; 0, else -1
 * (hashing off, the file failed or is not finished).  A reader stopped by
 * its callback has not inflated the whole file: -1. */
int	ct_ctlog_hash(struct ct_ctlog *l, unsigned char out[32]);
/*
 * After a successful ct_ctlog_finish of a file inflated whole: its text,
 * *n bytes, which the caller may change (ct-fetch turns it into lines in
 * place), and which the records flagged CT_CTLOG_WHOLE point into.  Valid
 * until ct_ctlog_free(l), or the next ct_ctlog_finish of a reader that
 * shares l's cache.  NULL for a file read as it arrived.
 */
char	*ct_ctlog_text(struct ct_ctlog *l, size_t *n);
/* Records handed out so far. */
uint64_t ct_ctlog_records(const struct ct_ctlog *l);
/* Places in the Records array that are neither a record nor a ',' between
 * two (a value of another kind, other bytes, a ',' missing or in excess),
 * skipped: a log file CloudTrail wrote has none.  Each stretch up to the
 * next ',' counts once. */
uint64_t ct_ctlog_stray(const struct ct_ctlog *l);
/* Whether the document has a top-level Records array (empty or not): a
 * JSON object without one is no CloudTrail log file, and holds no
 * records to read. */
int	ct_ctlog_has_records(const struct ct_ctlog *l);

#endif
