/*
 * intsum.h - the integrity section of a summary (_metadata.integrity).
 *
 * ct-fetch --verify checks CloudTrail's log file integrity (the hourly
 * signed digests) and writes what it found as control records: one
 * "integrity" record per object with a bad verdict and one "verified"
 * record per stream with its counts (ct-summary(5), CONTROL RECORDS).
 * This is what a summary keeps of them: verdict counts that add over
 * streams, the verified window widened over them, the weakest signature
 * mode seen, and the bad objects by name.
 *
 * Every operation is order-independent so that merging stays associative
 * and commutative: counts add (held at CT_SUMMARY_COUNT_MAX), the window
 * widens, the signature mode is a minimum, and an object named twice
 * keeps the smaller of its two descriptions.  All bad objects are kept in
 * memory; only the written list is bounded (the first CT_INTSUM_LIST in
 * code point order of the object, the rest counted in bad_objects_more).
 * A summary read back holds its list and that count, so an object beyond
 * the list of two merged summaries is counted once in each.
 */
#ifndef CT_INTSUM_H
#define CT_INTSUM_H

#include <stddef.h>
#include <stdint.h>

/* Bad objects written in a summary's list. */
#define CT_INTSUM_LIST	100

/* How digest signatures were checked, weakest first. */
enum ct_intsum_sig {
	CT_INTSUM_SIG_NOT_CHECKED,	/* chain by hash only */
	CT_INTSUM_SIG_FROM_FILE,	/* a user's signature file */
	CT_INTSUM_SIG_CHECKED,		/* metadata + ListPublicKeys */
	CT_INTSUM_NSIG
};

enum ct_intsum_log {
	CT_INTSUM_LOG_VALID, CT_INTSUM_LOG_MODIFIED, CT_INTSUM_LOG_MISSING,
	CT_INTSUM_LOG_NOT_COVERED, CT_INTSUM_LOG_PENDING, CT_INTSUM_NLOG
};

enum ct_intsum_digest {
	CT_INTSUM_DIG_VALID, CT_INTSUM_DIG_INVALID_SIGNATURE,
	CT_INTSUM_DIG_MISSING, CT_INTSUM_DIG_UNREADABLE, CT_INTSUM_NDIG
};

enum ct_intsum_kind { CT_INTSUM_KIND_LOG, CT_INTSUM_KIND_DIGEST };

/* The names used in control records and summaries, by enum. */
extern const char *const ct_intsum_sig_name[CT_INTSUM_NSIG];
extern const char *const ct_intsum_log_name[CT_INTSUM_NLOG];
extern const char *const ct_intsum_digest_name[CT_INTSUM_NDIG];
extern const char *const ct_intsum_kind_name[2];

/* One bad object.  Strings are C strings; account and region may be NULL. */
struct ct_intsum_bad {
	const char	*object;
	enum ct_intsum_kind kind;
	int		 verdict;	/* enum ct_intsum_log or _digest */
	const char	*account;
	const char	*region;
};

struct ct_intsum {
	int		 have_from, have_to;	/* verified window, epoch s */
	int64_t		 from, to;
	int		 have_sig;
	enum ct_intsum_sig sig;			/* the weakest seen */
	uint64_t	 log[CT_INTSUM_NLOG];
	uint64_t	 digest[CT_INTSUM_NDIG];
	uint64_t	 records_excluded;	/* records of modified log files */
	uint64_t	 records_flagged;	/* counted, from uncovered files */
	uint64_t	 bad_more;		/* bad objects known by count only */
	struct ct_strmap *bad;			/* object -> owned description */
};

/* A new empty section.  Never NULL. */
struct ct_intsum *ct_intsum_new(void);
/* Free s and all it owns; NULL is fine. */
void	ct_intsum_free(struct ct_intsum *s);

/* Widen the verified window to include t. */
void	ct_intsum_widen(struct ct_intsum *s, int64_t t);
/* A signature mode seen: the weakest stays. */
void	ct_intsum_sig_seen(struct ct_intsum *s, enum ct_intsum_sig sig);
/* *d += v, held at CT_SUMMARY_COUNT_MAX; *sat counts each hold. */
void	ct_intsum_add_count(uint64_t *d, uint64_t v, uint64_t *sat);

/*
 * Note a bad object (strings copied).  Returns 1 when the object was not
 * known before, else 0 (the smaller description of the two stays).
 */
int	ct_intsum_add_bad(struct ct_intsum *s, const struct ct_intsum_bad *b);

/* Add src to dst (src unchanged); *sat counts sums held. */
void	ct_intsum_merge(struct ct_intsum *dst, const struct ct_intsum *src,
	    uint64_t *sat);

/*
 * The bad objects sorted by object: an array of *n pointers owned by the
 * caller (free it), to descriptions valid until s changes; NULL when none.
 */
const struct ct_intsum_bad **ct_intsum_sorted(const struct ct_intsum *s,
	    size_t *n);

/* How many bad objects beyond the written list: bad_more plus those past
 * the first CT_INTSUM_LIST (held at CT_SUMMARY_COUNT_MAX). */
uint64_t ct_intsum_more(const struct ct_intsum *s);

/* Any bad verdict: a count of modified, missing or not-covered log files
 * or of bad or missing digests, or a bad object named.  s may be NULL. */
int	ct_intsum_tampered(const struct ct_intsum *s);

/* A verdict's index in names[0..n) for a name, or -1. */
int	ct_intsum_lookup(const char *const *names, int n, const char *s);

#endif
