/*
 * s3verify.h - ct-fetch --verify: the trail's signed digests beside the S3
 * source.
 *
 * The S3 source (s3src.c) drives every transfer; this part says which
 * digest folders and objects to read, keeps what they held, asks
 * ListPublicKeys for the keys that signed them, and hands all of it to the
 * verdict engine (lib/integrity.h) before any log file of the stream is
 * read (the keys first: each digest is checked as it arrives).  Then each log file's verdict is asked when the file ended (its
 * SHA-256 over the inflated text, from lib/ctlog.h), so that the records
 * of a modified file are never written; at the stream's end the missing
 * log files and the digests' verdicts follow, then the `verified` record,
 * all before the stream's `end` record (control records: ct-summary(5)).
 * Kept apart from s3src.c so that the source reads the same with or
 * without --verify: s3src.c makes a few calls, all of them here.
 */
#ifndef CT_FETCH_S3VERIFY_H
#define CT_FETCH_S3VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "awserr.h"
#include "fetch.h"

#define S3V_DIGEST_MAX	((size_t)64 << 20)	/* compressed digest bytes */

struct s3v;		/* the run's verifier */
struct s3v_unit;	/* one stream: an account and a region */

/* What a digest's answer said in its headers. */
struct s3v_meta {
	char	signature[2100];	/* hex; "" when absent */
	char	algorithm[64];
	int	too_long;		/* a header over its buffer */
};

/* The verifier of a run reading bucket (borrowed, outlives it). */
struct s3v	*s3v_new(struct fetch *f, const char *bucket);
void		 s3v_free(struct s3v *v);

/* The stream of r (borrowed), whose digests are under digest_folder
 * (".../CloudTrail-Digest/REGION/"); owned by v. */
struct s3v_unit	*s3v_unit_new(struct s3v *v, struct region *r,
		    const char *account, const char *digest_folder);

/* The day folders to list for u's digests: the window's days, the day
 * before (the chain back to the digest covering the start) and the
 * delivery slack after its end; fn is called with each prefix. */
void	 s3v_plan(struct s3v_unit *u, void (*fn)(void *, const char *),
	    void *arg);
/* Is key (listed under prefix) one of u's digest files? */
int	 s3v_is_digest(const struct s3v_unit *u, const char *prefix,
	    const char *key);

/* The public keys of u's region (ListPublicKeys over the days planned,
 * asked once per region), before its digests are read.  0, or -1 with *e:
 * the stream fails. */
int	 s3v_keys(struct s3v_unit *u, struct ct_aws_error *e);

/* A header line of a digest's answer (libcurl's header callback). */
void	 s3v_header(struct s3v_meta *m, const char *p, size_t n);

/* A digest object's gzip body (200 answer) and its headers, checked at
 * once.  An unreadable one is a verdict, not an error. */
void	 s3v_digest(struct s3v_unit *u, const char *key, const void *gz,
	    size_t n, const struct s3v_meta *m);

/* Every digest of u was read: the chains and the digests' verdicts are
 * settled; from now on a log file's verdict is known when it ends. */
void	 s3v_seal(struct s3v_unit *u);

/* A log file of u ended: its key, the SHA-256 of its inflated text (NULL:
 * not known), and the records of it in the window.  1: its records must not be written
 * (modified: said on stderr and in a control record); 0: write them.
 * -1: stdout failed. */
int	 s3v_log(struct s3v_unit *u, const char *key,
	    const unsigned char *sha256, uint64_t records);

/* u's stream ended complete: the missing log files, the bad digests and
 * the `verified` record, before the `end` record.  0, or -1: stdout
 * failed. */
int	 s3v_end(struct s3v_unit *u);

#endif
