/*
 * summary.h - the account-activity summary: five count maps and metadata.
 *
 * This is the document ct-aggregate writes and ct-plot reads, in the Python
 * tool's format (man/ct-summary.5): five maps of
 * category -> key -> count plus "_metadata".  Counts are added one record
 * at a time by the fold, summaries are merged (per thread, per input file,
 * per --merge argument; merging is associative and commutative), and the
 * whole is written once, sorted, as Python's
 * json.dump(obj, indent=2, sort_keys=True) would write it.
 *
 * Memory grows with the number of distinct (section, category, key)
 * triples only.  Strings are internal UTF-8 (see jstr.h).
 */
#ifndef CT_SUMMARY_H
#define CT_SUMMARY_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "fetchset.h"
#include "intsum.h"

enum ct_section {
	CT_API_CALLS_BY_PRINCIPAL,	/* principal -> eventSource:eventName */
	CT_API_CALLS_BY_REGION,		/* region -> eventSource:eventName */
	CT_IP_ADDRESSES_BY_PRINCIPAL,	/* principal -> sourceIPAddress */
	CT_USER_AGENTS_BY_PRINCIPAL,	/* principal -> userAgent */
	CT_ERROR_CODES_BY_PRINCIPAL,	/* principal -> eventSource:errorCode */
	CT_SECTIONS
};

/* "api_calls_by_principal", ... indexed by enum ct_section. */
extern const char *const ct_section_name[CT_SECTIONS];

enum ct_activity { CT_ACTIVITY_ALL, CT_ACTIVITY_SUCCESSFUL, CT_ACTIVITY_FAILED };

/* A value that several inputs may each report: it is kept while they agree. */
enum ct_agree { CT_AGREE_UNSET, CT_AGREE_SET, CT_AGREE_CONFLICT };

struct ct_meta {
	/* account_id: from ct-fetch control records, else recipientAccountId
	 * of the records when they all agree; written as null otherwise. */
	enum ct_agree	 account_state;
	char		*account_id;
	enum ct_agree	 principal_state;
	char		*account_principal;	/* caller ARN (ct-fetch) */
	enum ct_activity activity;
	/* cloudtrail_data_analyzed: the window asked for, else the earliest
	 * and latest eventTime seen; epoch seconds, have_* false if unknown. */
	int		 have_from, have_to;
	int64_t		 from, to;
	int		 window_asked;		/* from/to are a requested window */
	char		*invocation;		/* command line, shell-quoted */
	/*
	 * regions_enabled: sorted set.  fetches: the ct-fetch streams the
	 * summary stands for and how each ended (fetchset.h).
	 * regions_failed: region -> error code, derived by ct_meta_settle
	 * from the streams that did not complete and from failed_other,
	 * the failures of summaries read without "fetches" (the Python
	 * tool's); of two codes for one region the smaller stays.
	 */
	struct ct_strmap *regions_enabled;	/* value unused */
	struct ct_fetchset *fetches;
	/* integrity: what ct-fetch --verify found (intsum.h); NULL when no
	 * integrity or verified control record came, and then not written. */
	struct ct_intsum *integrity;
	struct ct_strmap *failed_other;		/* value: char * error code */
	struct ct_strmap *regions_failed;	/* value: char * error code */
	int64_t		 run_timestamp;		/* epoch seconds */
	/* "statistics": what users need to trust the numbers.  has_statistics:
	 * a summary read held them (the Python tool's summaries do not). */
	int		 has_statistics;
	uint64_t	 files_read;
	uint64_t	 records_counted;	/* records that added counts */
	uint64_t	 records_skipped;	/* not API calls: no eventSource/eventName */
	uint64_t	 records_filtered;	/* outside --activity-type / window */
	uint64_t	 records_duplicate;	/* dropped by --dedup */
	uint64_t	 values_malformed;	/* bad JSON values, bad gzip, unreadable files */
	uint64_t	 strings_repaired;	/* invalid UTF-8 replaced by U+FFFD */
	uint64_t	 principal_fallbacks;	/* identities the type rule could not name */
	uint64_t	 digest_files;		/* CloudTrail digest objects ignored */
	uint64_t	 inputs_skipped;	/* FIFOs, devices, sockets, folders without logs */
	uint64_t	 summaries_merged;	/* --merge inputs */
	/*
	 * Added by summary.c.  Every account_id / account_principal value
	 * reported (sets, keys only): account_state/account_id and
	 * principal_state/account_principal follow them (one value: SET,
	 * two or more: CONFLICT).  When they hold two or more values they
	 * are also written, as "account_ids" / "account_principals", so a
	 * conflict survives a round trip through a file and merging stays
	 * associative.  Use the setters below.
	 */
	struct ct_strmap *accounts;
	struct ct_strmap *principals;
	/* activity was chosen (ct_meta_set_activity, or activity != ALL);
	 * a summary that never chose one merges as the identity. */
	int		 activity_set;
};

struct ct_summary {
	struct ct_meta	 meta;
	struct ct_sumtab *tab;		/* the five maps (private) */
};

/*
 * The largest count or statistic a summary holds: 2^53, the largest
 * integer every JSON reader (Python's float fallback, JavaScript) keeps
 * exactly, and the most ct_summary_read takes.  A sum that would pass it
 * is held there (saturated) rather than written as a number that this
 * reader, and others, would refuse or round.
 */
#define CT_SUMMARY_COUNT_MAX	((uint64_t)1 << 53)

/* A new, empty summary (counters 0, states unset).  Never NULL. */
struct ct_summary *ct_summary_new(void);
/* Free s and all it owns; NULL is fine. */
void	ct_summary_free(struct ct_summary *s);

/* Add count to section/category/key.  The strings are copied. */
void	ct_summary_add(struct ct_summary *s, enum ct_section sec,
	    const char *cat, size_t catn, const char *key, size_t keyn,
	    uint64_t count);

/* Count of distinct (section, category, key) triples held. */
size_t	ct_summary_size(const struct ct_summary *s);

/*
 * Add everything of src to dst: counts sum, statistics sum, the window
 * widens, region sets unite, failures unite, account/principal agree or
 * conflict.  src is unchanged.
 */
void	ct_summary_merge(struct ct_summary *dst, const struct ct_summary *src);

/* How many sums of s (counts, statistics) were held at
 * CT_SUMMARY_COUNT_MAX since it was made. */
uint64_t ct_summary_saturated(const struct ct_summary *s);

/* Record one value of the account / caller ARN (agree-or-conflict). */
void	ct_meta_set_account(struct ct_meta *m, const char *s, size_t n);
void	ct_meta_set_principal(struct ct_meta *m, const char *s, size_t n);
void	ct_meta_add_region_enabled(struct ct_meta *m, const char *region);
/* A failure known only by region (a summary without "fetches"). */
void	ct_meta_add_region_failed(struct ct_meta *m, const char *region,
	    const char *error);
/* A ct-fetch stream's outcome (fetchset.h); ct_meta_settle after. */
void	ct_meta_add_fetch(struct ct_meta *m, const struct ct_fetch_outcome *o);
/* Derive regions_failed from fetches and failed_other. */
void	ct_meta_settle(struct ct_meta *m);
/* Choose the activity type (sets activity_set). */
void	ct_meta_set_activity(struct ct_meta *m, enum ct_activity a);
/* Widen the window to include t (epoch seconds). */
void	ct_meta_widen(struct ct_meta *m, int64_t t);

/*
 * Write s as the summary document to out: Python json.dump(indent=2,
 * sort_keys=True, ensure_ascii=True) layout plus a final newline.  Returns
 * 0, or -1 on a write error (errno set).
 */
int	ct_summary_write(const struct ct_summary *s, FILE *out);

/*
 * Parse a summary document (ours or the Python tool's: two-section and
 * five-section layouts, also the oldest "activity_by_*" names) and merge it
 * into dst.  Returns 0, or -1 with a one-line reason in err, or -2 when
 * the document holds CloudTrail events instead (a record, {"Records":..},
 * a lookup-events page, NDJSON of records or ct-fetch output; err says so).
 */
int	ct_summary_read(struct ct_summary *dst, const char *text, size_t n,
	    struct ct_buf *err);

/*
 * Visit the categories of one section in sorted order (code point order,
 * ct_jstr_cmp), and each category's keys sorted by count descending then
 * key ascending (the chart order).  For ct-plot.  The callback gets arrays
 * valid during the call only; a category read from a summary as {} is
 * visited with nitems 0.  A non-zero return from fn stops the visit and is
 * returned.
 */
struct ct_summary_item {
	const char	*key;
	size_t		 keyn;
	uint64_t	 count;
};
typedef int (*ct_summary_visit_fn)(void *arg, enum ct_section sec,
    const char *cat, size_t catn, const struct ct_summary_item *items,
    size_t nitems);
int	ct_summary_visit(const struct ct_summary *s, enum ct_section sec,
	    ct_summary_visit_fn fn, void *arg);

#endif
