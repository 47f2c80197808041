/*
 * fetchset.h - the ct-fetch streams a summary stands for, and how each ended.
 *
 * A summary is complete only if every stream of records it was made from
 * was read to its end.  ct-fetch marks each stream (one account, one
 * region, one window) with a start and an end control record; the end
 * says complete, failed (with AWS's error code) or interrupted, and a
 * stream whose end never came (the writer was killed) is incomplete.
 * Completeness is judged per stream, never per region alone: a complete
 * day 2 of eu-west-1 says nothing of a failed day 1, while a resumed run
 * that completes the very window an earlier run left interrupted does
 * complete it.
 *
 * The set is kept in the summary ("_metadata.fetches") so that merging
 * partial summaries judges exactly as reading all their records at once:
 * outcomes of the same stream combine (complete wins; of two failures the
 * smaller error code stays, so the result does not depend on the order),
 * different streams unite.  regions_failed is derived from it.
 */
#ifndef CT_FETCHSET_H
#define CT_FETCHSET_H

#include <stddef.h>
#include <stdint.h>

enum ct_fetch_status {
	CT_FETCH_COMPLETE,
	CT_FETCH_FAILED,	/* ended with an error code */
	CT_FETCH_INTERRUPTED,	/* stopped by a signal; a rerun continues */
	CT_FETCH_INCOMPLETE,	/* the input ended before its end record */
	CT_FETCH_NSTATUS
};

/* "complete", "failed", "interrupted", "incomplete". */
extern const char *const ct_fetch_status_name[CT_FETCH_NSTATUS];

/*
 * One stream and how it ended.  account and region are C strings
 * (account may be NULL: unknown); the window is epoch seconds, each end
 * present or not.  code is the error code of a stream that is not
 * complete ("Incomplete", "Interrupted" or AWS's), NULL when complete.
 */
struct ct_fetch_outcome {
	const char	*account;
	const char	*region;
	int		 have_from, have_to;
	int64_t		 from, to;
	enum ct_fetch_status status;
	const char	*code;
};

struct ct_fetchset;

/* A new empty set.  Never NULL. */
struct ct_fetchset *ct_fetchset_new(void);
/* Free s and all it owns; NULL is fine. */
void	ct_fetchset_free(struct ct_fetchset *s);
size_t	ct_fetchset_count(const struct ct_fetchset *s);

/*
 * Add one outcome (its strings are copied).  For a stream already in the
 * set, a complete outcome wins; of two others, the smaller code (code
 * point order) stays with its status.
 */
void	ct_fetchset_add(struct ct_fetchset *s, const struct ct_fetch_outcome *o);
/* Add every outcome of src to dst (src unchanged). */
void	ct_fetchset_merge(struct ct_fetchset *dst, const struct ct_fetchset *src);

/*
 * The outcomes sorted by region, account (unknown first), from, to: an
 * array of *n pointers, owned by the caller (free it); the outcomes are
 * the set's, valid until it changes.  NULL when empty.
 */
const struct ct_fetch_outcome **ct_fetchset_sorted(const struct ct_fetchset *s,
	    size_t *n);

#endif
