/*
 * checkpoint.h - where a ct-fetch run got to, kept durably in one file.
 *
 * ct-fetch --checkpoint FILE records, per region, the NextToken of the next
 * page to fetch, the events and pages emitted so far and whether the region
 * is finished, together with the window (NextToken is only valid for the
 * exact StartTime/EndTime it was issued for) and the account (and thus the
 * tokens) it belongs to.  A rerun reads it back and continues each region
 * where it stopped.
 *
 * The file is one JSON object (see ct-fetch(1), CHECKPOINT):
 *   {"ctFetchCheckpoint":1,"accountId":"123456789012",
 *    "window":{"start":1700000000,"end":1701209600},
 *    "runTimestamp":"2026-11-28T19:00:00Z",
 *    "regions":[{"region":"eu-west-1","nextToken":"...","events":1234,
 *                "pages":25,"done":false,"reached":1700500000}],
 *    "output":{"dev":"2049","ino":"393231","size":1894612}}
 * The S3 source adds "source":"s3://BUCKET/PREFIX/", and to each entry
 * "account" and "s3":{"days":[...],"upto":[...],"keys":[...]} (struct
 * ct_ckpt_s3).
 * ("output" only when standard output appends to a regular file; device
 * and inode as strings: they are unsigned 64-bit numbers).
 * It never holds credentials.  It is written as a new file next to the old
 * one (FILE.tmp, mode 0600), fsync'ed, renamed over FILE, and the directory
 * fsync'ed, so a crash leaves either the old or the new state, never a mix.
 * Saving is split in two (prepare: write and fsync the new file; commit:
 * rename) so that ct-fetch can put the write of a page's records between
 * the two: only a crash during that write or right after it would make the
 * page count as not emitted (it is then emitted again, never lost).
 *
 * Two runs must never use one checkpoint at once (both would resume from
 * the same state and emit the same pages twice), whatever names they reach
 * it by.  ct_ckpt_lock takes an flock on FILE.lock, a file that sits next
 * to FILE and is never replaced, so that every run on FILE locks the same
 * inode; the checkpoint itself cannot carry the lock, as each save
 * replaces it with a new inode.  Hence the rules:
 *  - the folder is resolved with realpath and the run then uses that
 *    name, so every alias of the folder ("./x" and "x", a symlinked
 *    folder) meets the same FILE.lock and the run writes where it locked;
 *  - a checkpoint whose last component is a symbolic link is refused: its
 *    lock would sit next to the link, not next to the file, and each save
 *    would replace the link with a plain file;
 *  - a checkpoint with more than one name (hard links) is refused: the
 *    names would have locks of their own, and the first save breaks the
 *    link anyway (rename gives FILE a new inode), leaving the other name
 *    with a stale state.  ct-fetch never makes such a link itself;
 *  - FILE.lock is opened with O_NOFOLLOW and must be a regular file with
 *    one name, so a symlink planted there is never followed (no file is
 *    created or touched at its target); it is never written to.
 *
 * Nothing here is thread-safe: ct-fetch serialises saves under its output
 * lock.  The library never prints; errors come back as one line in err.
 */
#ifndef CT_CHECKPOINT_H
#define CT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CT_CKPT_VERSION	1
#define CT_CKPT_MAX_SIZE	((size_t)16 << 20)

/* Strings (owned), for the S3 source's entries. */
struct ct_ckpt_list {
	char		**v;
	size_t		 n;
};

/*
 * The S3 source's progress in one account and region (ct-fetch's s3plan.c
 * fills it): the day folders ("2026/11/01") whose every log file was
 * written; per day folder in progress, the last key (relative to the
 * region's folder: "2026/11/02/NAME") up to which, in S3's listing order,
 * every log file was written; and the keys after that mark that were
 * written too.  Bounded by the days of the window plus the files written
 * out of order, whatever the number of files.
 */
struct ct_ckpt_s3 {
	struct ct_ckpt_list	 days, upto, keys;
};

struct ct_ckpt_region {
	char		*region;	/* "eu-west-1" */
	char		 account[16];	/* S3 source: its account, else "" */
	struct ct_ckpt_s3 *s3;		/* S3 source: owned, or NULL */
	char		*next_token;	/* the next page to fetch; NULL: the
					   first page (or none, when done) */
	uint64_t	 events;	/* records emitted so far */
	uint64_t	 pages;		/* pages received so far */
	int		 done;		/* every page was emitted */
	int64_t		 reached;	/* oldest event time emitted (epoch
					   seconds), 0 if none yet */
};

struct ct_ckpt {
	int64_t			 start;		/* window, epoch seconds */
	int64_t			 end;
	char			 run_timestamp[32];	/* "2026-...Z" */
	char			 account[16];	/* "" when unknown */
	char			*source;	/* the S3 source ("s3://BUCKET/
						   PREFIX/"), owned; NULL:
						   LookupEvents */
	struct ct_ckpt_region	**regions;	/* owned, in insertion order */
	size_t			 nregions;
	/*
	 * Standard output, when it appends to a regular file: which file
	 * (device and inode numbers) and its size after the last line the
	 * run committed.  A rerun appending to the same file cuts off what
	 * a crash left after that size (ct-fetch's output.c).
	 */
	int			 has_output;
	uint64_t		 out_dev, out_ino, out_size;
};

/* An empty checkpoint (no regions, window 0..0). */
void	ct_ckpt_init(struct ct_ckpt *ck);
/* Free everything ck owns; ck is empty again afterwards. */
void	ct_ckpt_free(struct ct_ckpt *ck);

/* The entry of region, or NULL.  Owned by ck. */
struct ct_ckpt_region *ct_ckpt_find(struct ct_ckpt *ck, const char *region);
/* The entry of region, added (fresh: no token, nothing done) if absent.
 * Owned by ck; the pointer stays valid until ct_ckpt_free. */
struct ct_ckpt_region *ct_ckpt_add(struct ct_ckpt *ck, const char *region);
/* The same for the S3 source's entry of account and region. */
struct ct_ckpt_region *ct_ckpt_find_in(struct ct_ckpt *ck, const char *account,
	    const char *region);
struct ct_ckpt_region *ct_ckpt_add_in(struct ct_ckpt *ck, const char *account,
	    const char *region);
/* Append a copy of str to l. */
void	ct_ckpt_list_add(struct ct_ckpt_list *l, const char *str);
/* Free s and what it owns; NULL does nothing. */
void	ct_ckpt_s3_free(struct ct_ckpt_s3 *s);
/* Replace r's token with a copy of token (NULL allowed). */
void	ct_ckpt_set_token(struct ct_ckpt_region *r, const char *token);

/* Append ck as one line of JSON (with a final newline) to out.  0 or -1
 * (out's cap). */
int	ct_ckpt_encode(const struct ct_ckpt *ck, struct ct_buf *out);
/* Parse text into ck (which must be empty, from ct_ckpt_init).  0, or -1
 * with the reason in err (ck is then emptied). */
int	ct_ckpt_decode(const char *text, size_t n, struct ct_ckpt *ck,
	    struct ct_buf *err);

/*
 * Read path into ck (empty).  1 when it was read, 0 when path does not
 * exist (ck stays empty), -1 with "path: reason" in err.
 */
int	ct_ckpt_load(const char *path, struct ct_ckpt *ck, struct ct_buf *err);

/*
 * Write ck to "path.tmp" (a new file, mode 0600: any such file or link is
 * removed first, never written through) and fsync it; nothing is visible
 * at path yet.  0, or -1 with err.
 */
int	ct_ckpt_prepare(const char *path, const struct ct_ckpt *ck,
	    struct ct_buf *err);
/* Rename "path.tmp" over path and fsync the directory.  0, or -1 with
 * err. */
int	ct_ckpt_commit(const char *path, struct ct_buf *err);
/* Read the prepared state "path.tmp" (left there by a crash between
 * prepare and commit) into ck, as ct_ckpt_load. */
int	ct_ckpt_load_prepared(const char *path, struct ct_ckpt *ck,
	    struct ct_buf *err);
/* Remove "path.tmp" (a prepared state that will not be committed). */
void	ct_ckpt_discard(const char *path);
/*
 * Lock the checkpoint named path for as long as this process lives (see
 * the top of this file), waiting up to wait_ms for a run that is still
 * finishing.  On success returns 0, *canon is path with its folder
 * resolved (malloc'd, the caller's; use it for every later operation on
 * the checkpoint) and *lockfd holds the lock (closing it releases it).
 * Otherwise -1 with the reason in err (naming path as given; "path is in
 * use by another ct-fetch run" when the lock is held), *canon NULL and
 * *lockfd -1.
 */
int	ct_ckpt_lock(const char *path, int wait_ms, char **canon, int *lockfd,
	    struct ct_buf *err);
/* prepare then commit. */
int	ct_ckpt_save(const char *path, const struct ct_ckpt *ck,
	    struct ct_buf *err);

#endif
