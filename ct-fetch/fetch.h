/*
 * fetch.h - what the parts of ct-fetch share.
 *
 * main.c reads the command line, fixes the window, asks STS who we are,
 * loads the checkpoint and starts one worker thread per region (worker.c).
 * Each worker pages through LookupEvents at its region's pace
 * (lib/ratelimit.h) and hands every complete page to the output writer
 * (output.c), which writes whole lines to stdout and saves the checkpoint
 * under one lock.  progress.c reports on stderr.  Signals only raise
 * fetch_stop; every loop checks it.
 */
#ifndef CT_FETCH_H
#define CT_FETCH_H

#include <sys/uio.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "eta.h"
#include "aws.h"
#include "awsacct.h"
#include "lookup.h"
#include "checkpoint.h"
#include "outlock.h"

#define PROG	"ct-fetch"

enum region_status {
	RS_WAITING = 0,		/* not started */
	RS_RUNNING,
	RS_COMPLETE,		/* every page emitted */
	RS_FAILED,		/* gave up: err says why */
	RS_STOPPED,		/* interrupted by a signal or a closed stdout */
	RS_SKIPPED,		/* already complete in the checkpoint */
};

struct region {
	const char		*name;
	struct fetch		*fetch;		/* the run it belongs to */
	const char		*account;	/* the S3 source's account, or
						   NULL: the caller's */
	struct ct_ckpt_region	*ck;	/* its checkpoint entry (guarded by
					   the output lock) */
	/* The S3 source: sets ck->s3 and ck->done (under the output lock,
	 * before a save) to what they are once the page being written is
	 * committed; the old ck->s3 is left alone (the caller frees it).
	 * NULL for LookupEvents. */
	void			(*ck_fill)(struct region *r);
	void			*src;		/* ... its unit */
	pthread_t		 thread;
	int			 started;

	/* Progress counters: written by the worker under the output lock,
	 * read by the progress thread under the same lock. */
	enum region_status	 status;
	uint64_t		 run_events;	/* emitted by this run */
	uint64_t		 run_pages;
	unsigned long		 retries;	/* failed attempts retried */
	unsigned long		 throttles;	/* throttled answers */
	double			 t_start;	/* monotonic, when it started */
	double			 t_end;
	int64_t			 reached0;	/* ck->reached when it started */
	struct ct_eta		 eta;		/* the progress thread's */
	int			 eta_on;	/* ... started */
	struct ct_aws_error	 err;		/* RS_FAILED: why */
};

struct fetch {
	/* Options. */
	int64_t			 start, end;	/* the window, epoch seconds */
	char			 run_ts[32];	/* "2026-11-28T19:00:00Z" */
	double			 rate;		/* requests/s per region */
	double			 margin;	/* pacing margin, seconds */
	double			 busy_until;	/* > 0: another run may have
						   paced the regions until
						   then (fetch_now() time) */
	double			 throttle_deadline;	/* seconds */
	int			 max_retries;	/* consecutive failures */
	int			 page_size;	/* MaxResults */
	const char		*ckpt_path;	/* NULL: no checkpoint */
	int			 out_is_file;	/* stdout is a regular file:
						   fsync it before a commit */
	int			 out_track;	/* ... appended to: its size is
						   kept in the checkpoint */
	long			 test_kill_page;	/* tests: SIGKILL after
						   writing this page (0: no) */
	long			 test_kill_in_page;	/* tests: SIGKILL halfway
						   through this page's write */
	long			 pages_written;
	int			 progress;	/* report progress on stderr */
	int			 progress_tty;	/* ... redrawing the lines */
	int			 quiet;		/* -q: errors only */

	const char		*s3_url;	/* --s3: the S3 source ("" with
						   --trail) */
	int			 use_trail;	/* --trail */
	const char		*trail;		/* its NAME or ARN, or NULL */
	int			 s3_concurrency;
	int			 verify;	/* --verify: digests checked */
	int			 tampered;	/* ... and a bad verdict found
						   (guarded by the lock) */
	const char		**accounts;	/* --account ... */
	size_t			 naccounts;
	int			 list_shards;	/* --list-shards: print them,
						   fetch nothing */
	int			 shard_days;	/* --shard-days */

	struct ct_aws_ctx	*ctx;
	struct ct_aws_identity	 id;
	struct ct_ckpt		 ck;

	struct region		*regions;
	size_t			 nregions;

	/* The output lock: stdout, the checkpoint, the counters above. */
	pthread_mutex_t		 lock;
	struct ct_outlock	 olk;		/* ... and across processes:
						   stdout's record lock */
	int			 out_closed;	/* stdout gone (EPIPE) or failed */
	int			 out_error;	/* a write failed for another
						   reason than EPIPE */
	int			 ckpt_error;	/* a checkpoint save failed */
	int			 resumed;	/* a checkpoint was loaded */
};

extern volatile sig_atomic_t fetch_stop;	/* clock.c: signal number, or 1 */

/* resume.c: 0, or the exit status (the reason is printed). */
int	 resume_open(struct fetch *f, int start_given, int end_given,
	    int have_hours);		/* lock, load, the window */
int	 resume_account(struct fetch *f);	/* after f->id is known */
void	 resume_regions(struct fetch *f);	/* entries, RS_SKIPPED */

/* clock.c */
double	 fetch_now(void);		/* monotonic seconds */
void	 fetch_sleep_until(double t);	/* returns early on fetch_stop */
void	 fetch_fmt_time(int64_t t, char *buf, size_t size);

/* worker.c */
void	*fetch_worker(void *region);	/* a struct region */

/* s3src.c (its parts: s3src.h): the S3 source instead of the workers;
 * 0, or an exit status for a run that could not start */
int	 fetch_s3(struct fetch *f);

/* shards.c: with --list-shards, fetch_s3 hands over the accounts found
 * (or named) instead of fetching; the exit status */
int	 shards_print(const struct fetch *f, char *const *accounts,
	    size_t naccounts);

/* output.c: every function takes the output lock itself. */
void	 out_init(struct fetch *f);
int	 out_start_record(struct fetch *f, struct region *r);
int	 out_end_record(struct fetch *f, struct region *r);
int	 out_control(struct fetch *f, const char *line, size_t n);
						/* a control record built by
						   the caller: one line, "\n"
						   at its end */
int	 out_page(struct fetch *f, struct region *r,
	    const struct ct_lookup_page *page);
/* Lines ready to write, in pieces iov[0..niov): their first byte a
 * spare '\n' (lock_out), then n records, each one line ending in '\n'
 * (a piece may hold several lines, or end inside one); oldest the least
 * eventTime or 0; the page's token for the checkpoint, or NULL. */
int	 out_lines(struct fetch *f, struct region *r, const struct iovec *iov,
	    int niov, size_t n, int64_t oldest, const char *next_token);
/* Append p[0..n) to b as one line: CR and LF (JSON whitespace; a JSON
 * string holds them escaped) become spaces. */
void	 out_add_line(struct ct_buf *b, const char *p, size_t n);
int	 out_save_checkpoint(struct fetch *f);
int	 out_save_region(struct fetch *f, struct region *r);	/* after
						   r->ck_fill, no page */
void	 out_attach(struct fetch *f);
int	 out_finish(struct fetch *f);
const char *fetch_shown_id(const char *id);	/* an EventId fit for
						   stderr, or a stand-in */

/* progress.c */
void	 progress_start(struct fetch *f);
void	 progress_stop(struct fetch *f);
void	 progress_region_done(struct fetch *f, struct region *r);
void	 msg(struct fetch *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
