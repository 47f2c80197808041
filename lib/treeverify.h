/*
 * treeverify.h - ct-aggregate --verify: a synced CloudTrail tree checked
 * against the digests it holds.
 *
 * `aws s3 sync s3://bucket/ DIR` copies the log files and the digests of
 * a trail's bucket, but no object metadata, so the digests' signatures
 * are not there: the chain is checked by hash only (signatures
 * `not_checked`), unless the user gives a file of signatures and a file
 * of public keys (`from_file`).  This module walks the folders given
 * (inputlist.h, digest folders included), inflates every digest, hashes
 * every log file (inflating it through ctlog.h with its SHA-256 on: one
 * pass over the data before the fold's own, the cost of --verify), and
 * has integrity.h settle the verdicts.  What comes out is what the fold
 * needs: the paths of the modified log files, to be passed over
 * (ct_inputlist_exclude), and the `integrity` and `verified` control
 * records of the shared contract, one per line, for ct_fold_control, so
 * the summary's integrity section is filled by the same code as for
 * ct-fetch --verify.  Bad objects go to a callback as they are settled,
 * for the tool to name them.
 */
#ifndef CT_TREEVERIFY_H
#define CT_TREEVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "digest.h"
#include "integrity.h"
#include "strmap.h"

#define CT_SIGFILE_MAX_LINE	8192
#define CT_SIGFILE_MAX_ENTRIES	1000000

/* A digest's signature from a user's file. */
struct ct_treesig {
	char	*hex;
	char	*alg;		/* NULL: not given */
};

/*
 * Read a signature file into sigs (a map made with ct_treesigs_new):
 * one digest a line, "KEY<TAB>HEX[<TAB>ALGORITHM]", KEY an s3://bucket/key
 * URL, an S3 key or a path; it is matched by its part from the
 * "AWSLogs/" component on.  Blank lines and lines starting with '#' are
 * skipped.  0, or -1 with "line N: what" in why.
 */
struct ct_strmap *ct_treesigs_new(void);
int	ct_treesigs_parse(const char *text, size_t n, struct ct_strmap *sigs,
	    struct ct_buf *why);

struct ct_treeverify_opts {
	enum ct_sigmode	 mode;		/* NOT_CHECKED or FROM_FILE */
	const struct ct_pubkeys *keys;	/* FROM_FILE */
	const struct ct_strmap *sigs;	/* FROM_FILE: ct_treesigs_parse */
};

struct ct_treeverify {
	struct ct_strmap *excluded;	/* modified log files: path -> records */
	struct ct_buf	 control;	/* control records, one a line */
	uint64_t	 bad;		/* bad objects */
	uint64_t	 digests, logs;	/* files read */
	uint64_t	 inflated;	/* bytes of log text hashed */
};

/* A bad object; records: of the log file (modified: excluded;
 * not_covered: counted and flagged), 0 for others. */
typedef void (*ct_treeverify_fn)(void *arg, const struct ct_integ_bad *b,
	    uint64_t records);

/*
 * Verify the trees of argv[0..argc) (paths as ct-aggregate is given them;
 * files that are not under AWSLogs/.../CloudTrail[-Digest]/ are left
 * alone).  *out is initialised here; the caller frees it with
 * ct_treeverify_free.  Files that cannot be read count as such (a digest
 * `unreadable`, a log file `modified` if a digest lists it).  0.
 */
int	ct_treeverify_run(int argc, char **argv,
	    const struct ct_treeverify_opts *o, ct_treeverify_fn fn, void *arg,
	    struct ct_treeverify *out);
void	ct_treeverify_free(struct ct_treeverify *tv);

#endif
