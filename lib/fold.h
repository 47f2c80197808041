/*
 * fold.h - records into summary counts: the rules of ct-aggregate.
 *
 * The scanner (scan.h) hands over one struct ct_record at a time; the fold
 * decides whether it counts (an API call: eventSource and eventName; inside
 * --activity-type and the time window; not a --dedup duplicate), names its
 * principal (principal.h) and adds one to each of the five maps of its
 * summary (summary.h), and keeps what the metadata needs.  ct-fetch control
 * records go through here too (ct-summary(5), CONTROL RECORDS).
 *
 * One fold per thread; folds of the same run are merged (ct_fold_merge)
 * before ct_fold_finish fills in the window and run time.  The one piece
 * of state that depends on the order of the input is which regions a
 * ct-fetch stream has open (it names the region of records that lack
 * awsRegion); it lives in a struct ct_fold_stream per input, and a fold
 * asked to use one whose start is not known (a chunk scanned ahead of its
 * turn) answers CT_FOLD_NEED_STATE instead of guessing.
 */
#ifndef CT_FOLD_H
#define CT_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"
#include "summary.h"
#include "timefmt.h"

struct ct_fold_opts {
	enum ct_activity activity;
	int		 have_start, have_end;	/* --start/--end/--past-hours */
	int64_t		 start, end;		/* epoch seconds, both inclusive */
	int		 dedup;
};

/* A ct-fetch stream that started and has not ended yet. */
struct ct_fold_open {
	char		*region;	/* owned copies; account may be NULL */
	char		*account;
	int		 have_from, have_to;
	int64_t		 from, to;	/* its window */
};

/*
 * The ct-fetch streams of one input that have a start record and no end
 * record yet.  Those still open when the input ends were cut short (the
 * ct-fetch that wrote them died): ct_fold_stream_end counts them as
 * incomplete.
 */
struct ct_fold_stream {
	int		 known;		/* 0: state at the start unknown */
	struct ct_fold_open *open;	/* owned, nopen of cap */
	size_t		 nopen, cap;
};

struct ct_fold {
	struct ct_summary *sum;		/* owned */
	struct ct_fold_opts opt;
	struct ct_buf	 prin, key;
	int		 have_ev;	/* earliest/latest eventTime counted */
	int64_t		 ev_min, ev_max;
	int		 have_ctl;	/* window from control records */
	int64_t		 ctl_from, ctl_to;
	int		 have_run;
	int64_t		 run_ts;	/* earliest runTimestamp */
	struct ct_strmap *seen;		/* --dedup: eventIDs */
	struct ct_buf	 lastreg;	/* scratch: a region as a C string */
	/* Regions already in regions_enabled, and the last recipient
	 * account set: most records repeat them, and a set insert per
	 * record (hash, probe, compare) is worth avoiding. */
	char		 noted[32][24];
	unsigned char	 notedn[32];
	size_t		 nnoted;
	struct ct_buf	 lastacct;
	struct ct_time_memo day;	/* date of the last eventTime */
};

enum ct_fold_result {
	CT_FOLD_COUNTED,
	CT_FOLD_SKIPPED,	/* not an API call (no eventSource/eventName) */
	CT_FOLD_FILTERED,	/* outside --activity-type or the window */
	CT_FOLD_DUPLICATE,	/* --dedup */
	CT_FOLD_NEED_STATE,	/* needs the stream state, which is unknown */
	CT_FOLD_UNKNOWN,	/* control record of an unknown kind/version */
	CT_FOLD_BAD,		/* control record that cannot be used */
	CT_FOLD_FLAGGED,	/* integrity record of a bad object: used */
};

/* Initialise f (a new empty summary) with options o (copied). */
void	ct_fold_init(struct ct_fold *f, const struct ct_fold_opts *o);
/* Free what f owns (the summary too, unless taken: set f->sum = NULL). */
void	ct_fold_free(struct ct_fold *f);

/* A stream state: known (an input read from its start) or unknown. */
void	ct_fold_stream_init(struct ct_fold_stream *st, int known);
void	ct_fold_stream_free(struct ct_fold_stream *st);
/* Copy src into dst (dst initialised, is overwritten). */
void	ct_fold_stream_copy(struct ct_fold_stream *dst,
	    const struct ct_fold_stream *src);
/*
 * The input of st has ended: every stream still open in it is recorded
 * in f as incomplete, and st is emptied.  Returns how many there were.
 */
size_t	ct_fold_stream_end(struct ct_fold *f, struct ct_fold_stream *st);

/*
 * Fold one record; repaired is the number of U+FFFD repairs in it (added
 * to meta.strings_repaired when it counts).  Updates the statistics of
 * f->sum->meta.  Nothing is changed when it returns CT_FOLD_NEED_STATE.
 */
enum ct_fold_result ct_fold_record(struct ct_fold *f, struct ct_fold_stream *st,
	    const struct ct_record *r, size_t repaired);

/*
 * Apply a ct-fetch control record (the JSON text of the object).  Returns
 * CT_FOLD_COUNTED when used, CT_FOLD_FLAGGED when used and it names an
 * object that failed integrity verification (err then holds a one-line
 * description of it for the user, safe for a terminal), CT_FOLD_UNKNOWN
 * for an unknown kind or version (ignored), CT_FOLD_BAD with a reason in
 * err when it cannot be read, CT_FOLD_NEED_STATE (nothing changed) when
 * st is unknown.  "integrity" and "verified" records fill
 * f->sum->meta.integrity (intsum.h).
 */
enum ct_fold_result ct_fold_control(struct ct_fold *f, struct ct_fold_stream *st,
	    const char *p, size_t n, struct ct_buf *err);

/* Add src's counts, statistics and metadata to dst; src is unchanged. */
void	ct_fold_merge(struct ct_fold *dst, const struct ct_fold *src);

/*
 * Fill in the metadata that needs everything seen: the window (asked, else
 * from control records, else earliest/latest eventTime), run_timestamp
 * (earliest control record's, else now), activity.
 */
void	ct_fold_finish(struct ct_fold *f, int64_t now);

#endif
