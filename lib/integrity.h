/*
 * integrity.h - the verdicts of CloudTrail log file integrity validation.
 *
 * Pure logic, no I/O: the caller (ct-fetch --verify reading S3,
 * ct-aggregate --verify reading a synced tree) fetches and feeds; this
 * engine settles what each object is worth, with the verdict names of the
 * shared contract (control records, summary, docs).  The order of calls:
 *
 *   1. ct_integ_new (signature mode, verified window), ct_integ_add_key
 *      for each public key (mode CT_SIG_CHECKED or CT_SIG_FROM_FILE);
 *   2. ct_integ_add_digest for every digest read (or that could not be
 *      read), then ct_integ_seal: the chains are settled, digest verdicts
 *      are known;
 *   3. ct_integ_log for each log file as soon as the SHA-256 of its
 *      uncompressed text is known: its verdict comes back at once, so the
 *      caller decides then whether to count its records;
 *   4. ct_integ_finish: the listed log files never fed become `missing`.
 * Bad objects (any verdict but valid and pending) queue up as they are
 * settled; ct_integ_next_bad drains them, so a streaming caller writes
 * each one when known.  Counts per (account, region) come from
 * ct_integ_counts / ct_integ_next_stream.
 *
 * Objects are named "s3://bucket/key".  A synced tree has no bucket
 * (aws s3 sync keeps none): created with CT_INTEG_NO_BUCKET, the engine
 * matches objects by their key from the "AWSLogs/" component on (the
 * digests' s3Bucket/s3Object and digestS3Object are cut the same way),
 * and the key given for a digest or a log is a path within the tree.
 * A tree has no window either: there, the window of each (account,
 * region) is the span of its own digests, [earliest digestStartTime,
 * latest digestEndTime), whatever start and end were given.
 *
 * Chains.  A chain is one trail's digests in one bucket, account and
 * region: the digest key with its "_YYYYMMDDTHHMMSSZ.json.gz" stamp cut
 * off.  Each readable digest naming a previous one (previousDigestS3Object
 * not null) is a link: the named digest, when it was added, must have the
 * SHA-256 previousDigestHashValue and, when both are known, the signature
 * previousDigestSignature, else it is `invalid_signature`; when it was not
 * added and its stamp (its end time) is after the window's start, it is
 * `missing` (the caller lists every digest whose stamp lies in (window
 * start, window end + CT_INTEG_DIGEST_SLACK]).  Signatures (modes checked
 * and from_file): no signature given -> `unreadable`; no key with the
 * digest's fingerprint or a signature that does not verify, or a digest
 * whose digestS3Bucket/digestS3Object is not where it was found ->
 * `invalid_signature`.  Mode not_checked: links by hash only.
 *
 * Log files.  A log file fed is `valid` when a digest that is not bad
 * lists it with the same hash, `modified` when such a digest lists
 * another hash; listed by bad digests only: `not_covered`.  Not listed:
 * `pending` when its delivery time (the stamp "YYYYMMDDTHHMMZ" of its
 * name, or the time given) is at or after the end of the newest digest of
 * its (bucket, account, region) minus CT_INTEG_DELIVERY_SLACK for a stamp
 * (a file is delivered a few minutes after the minute in its name), or no
 * digest of that account and region was added; else `not_covered`.
 * `missing`: a file listed by a digest that is not bad whose name stamp
 * lies in the window [start, end) (unreadable stamp: always) and that was
 * never fed.  So the caller feeds every log file of the window: all the
 * objects under the window days' CloudTrail/REGION/YYYY/MM/DD/ folders
 * whose name stamp is in the window.
 *
 * Counts: every digest added (and every missing one named) counts once;
 * every log fed and every missing log counts once.  Lookups are hash maps
 * (strmap.h) keyed by object name: a log's verdict is O(1) on average.
 */
#ifndef CT_INTEGRITY_H
#define CT_INTEGRITY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "digest.h"

enum ct_logv {
	CT_LOGV_VALID, CT_LOGV_MODIFIED, CT_LOGV_MISSING, CT_LOGV_NOT_COVERED,
	CT_LOGV_PENDING, CT_LOGV_N
};
enum ct_digv {
	CT_DIGV_VALID, CT_DIGV_INVALID_SIGNATURE, CT_DIGV_MISSING,
	CT_DIGV_UNREADABLE, CT_DIGV_N
};
/* Weakest first (the summary's merge keeps the weakest). */
enum ct_sigmode { CT_SIG_NOT_CHECKED, CT_SIG_FROM_FILE, CT_SIG_CHECKED };

#define CT_INTEG_NO_BUCKET	1	/* flag: objects of a synced tree */
#define CT_INTEG_DELIVERY_SLACK	(15 * 60)	/* seconds */
#define CT_INTEG_DIGEST_SLACK	(2 * 3600)	/* seconds */

/* "valid", "modified", ...: the contract's names; "?" out of range. */
const char *ct_logv_name(enum ct_logv v);
const char *ct_digv_name(enum ct_digv v);
const char *ct_sigmode_name(enum ct_sigmode m);

struct ct_integ_counts {
	uint64_t	 log[CT_LOGV_N];
	uint64_t	 digest[CT_DIGV_N];
};

/* A bad object, as ct_integ_next_bad gives it (strings owned by the
 * engine, valid until ct_integ_free). */
struct ct_integ_bad {
	const char	*object;	/* "s3://bucket/key", or the tree path */
	const char	*account;	/* from the key; "" if not found */
	const char	*region;
	int		 is_digest;
	int		 verdict;	/* enum ct_logv or enum ct_digv */
	const char	*why;		/* one line: what was found */
};

struct ct_integ;

/* A new engine for the window [start, end) (epoch seconds).  Never NULL. */
struct ct_integ *ct_integ_new(enum ct_sigmode mode, int64_t start,
	    int64_t end, int flags);
void	ct_integ_free(struct ct_integ *ig);

/* A public key (copied).  Before ct_integ_seal. */
void	ct_integ_add_key(struct ct_integ *ig, const struct ct_pubkey *k);

/*
 * A digest found at bucket/key (bucket NULL with CT_INTEG_NO_BUCKET):
 * text[0..n) its uncompressed text, or text NULL when it could not be
 * read (not gzip, truncated, denied); sig_hex and sig_alg its metadata
 * (NULL: none).  Before ct_integ_seal.  The engine keeps what it needs.
 */
void	ct_integ_add_digest(struct ct_integ *ig, const char *bucket,
	    const char *key, const char *text, size_t n, const char *sig_hex,
	    const char *sig_alg);

/* Settle the chains and the digest verdicts.  Once. */
void	ct_integ_seal(struct ct_integ *ig);

/*
 * The verdict of the log file at bucket/key whose uncompressed text has
 * SHA-256 sha256 (NULL: it could not be read whole: `modified` if listed,
 * else as not listed), delivered at delivered (epoch s, INT64_MIN: from
 * its name).  After ct_integ_seal.  A key fed twice gets the same verdict
 * and counts once.
 */
enum ct_logv ct_integ_log(struct ct_integ *ig, const char *bucket,
	    const char *key, const unsigned char *sha256, int64_t delivered);

/* The listed log files never fed become `missing`.  Once, last. */
void	ct_integ_finish(struct ct_integ *ig);

/* The next bad object not yet drained: 1 and *out, or 0. */
int	ct_integ_next_bad(struct ct_integ *ig, struct ct_integ_bad *out);

/* Counts of one account and region (zeros if none). */
void	ct_integ_counts(const struct ct_integ *ig, const char *account,
	    const char *region, struct ct_integ_counts *out);
/* The verified window of account/region (see CT_INTEG_NO_BUCKET), after
 * ct_integ_seal. */
void	ct_integ_window(const struct ct_integ *ig, const char *account,
	    const char *region, int64_t *start, int64_t *end);
/* Iterate the (account, region) pairs that have counts: *iter = 0, then
 * until 0.  Order unspecified. */
int	ct_integ_next_stream(const struct ct_integ *ig, size_t *iter,
	    char account[64], char region[64], struct ct_integ_counts *out);

/*
 * The control records of the shared contract, appended to b with their
 * newline: one bad object (kind, verdict, object; "records" for a
 * modified or not_covered log file), and the `verified` summary of one
 * account and region (its window, signature mode, counts, and the
 * records the caller excluded and flagged).  Strings are written as
 * Python's json.dumps writes them (jstr.h).
 */
void	ct_integ_write_bad(struct ct_buf *b, const struct ct_integ_bad *x,
	    uint64_t records);
void	ct_integ_write_verified(struct ct_buf *b, const struct ct_integ *ig,
	    const char *account, const char *region, uint64_t excluded,
	    uint64_t flagged);

/*
 * From a CloudTrail key: the account, the region, and the name's stamp
 * (log "..._YYYYMMDDTHHMMZ_xxxx.json.gz" or digest
 * "..._YYYYMMDDTHHMMSSZ.json.gz", INT64_MIN if unreadable), and whether it
 * is a digest (under CloudTrail-Digest/).  0, or -1 if the key is not
 * AWSLogs/[o-ID/]ACCOUNT/CloudTrail[-Digest]/REGION/...  account and
 * region are written NUL-terminated into buffers of 64 bytes.
 */
int	ct_integ_parse_key(const char *key, char account[64], char region[64],
	    int64_t *stamp, int *is_digest);

#endif
