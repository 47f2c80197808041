/*
 * s3src.h - what the parts of the S3 source share.
 *
 * The S3 source (`ct-fetch --s3`, `--trail`) is five files, each calling
 * only those after it in this list, never back:
 *   s3src.c   the run: the bucket from --s3 or --trail, the accounts, one
 *             unit per account and region, start and end records;
 *   s3plan.c  the plan: what to list (account folders, day folders) and
 *             which listed keys are log files to GET;
 *   s3job.c   the job engine: a queue of jobs driven over one curl multi
 *             handle, signing, redirects to the bucket's region, retries;
 *             it hands each successful answer to the plan through
 *             s3run.done (a function pointer, so the engine does not name
 *             the plan);
 *   s3obj.c   a log object: its records read as they arrive, the
 *             in-window ones written as one page when it is complete
 *             (with --checkpoint, several objects' as one page);
 *   s3done.c  which log files were written, for the checkpoint.
 * The types below are the run (s3run), an account and region (unit) and
 * one request with its retries (job).
 */
#ifndef CT_S3SRC_H
#define CT_S3SRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <curl/curl.h>

#include "buf.h"
#include "ctlog.h"
#include "http.h"
#include "fetch.h"
#include "s3.h"
#include "s3verify.h"

#define S3_MAX_ACCOUNTS	1000
#define S3_DAY		86400
#define S3_ERRBODY_MAX	65536

enum { J_ACCOUNTS, J_LIST, J_GET, J_DLIST, J_DGET };	/* D: --verify's
							   digests */

/*
 * A day folder of a unit, for the checkpoint (s3plan.c): the log files
 * listed and not yet behind the mark, in listing order (S3 lists keys in
 * byte order, so "every file up to the mark" is one key).
 */
struct s3day {
	char			 name[16];	/* "2026/11/01" */
	char			*upto;		/* every file up to it written
						   ("2026/11/01/NAME"), or NULL */
	int			 listed;	/* the listing's last page came */
	int			 done;		/* ... and every file written */
	char			**keys;		/* listed, relative: [head, n) */
	unsigned char		*kdone;		/* ... written */
	size_t			 head, n, cap;
	size_t			*ahead;		/* written, after head */
	size_t			 nahead;
};

/*
 * Log files of a unit read to their end and not yet written (s3obj.c):
 * with --checkpoint, up to S3_BATCH_FILES of them, or what came within
 * S3_BATCH_SECONDS, are written as one page with one checkpoint commit.
 */
#define S3_BATCH_FILES		64
/*
 * An object's records are kept in memory up to S3_KEEP_MAX bytes; past
 * that (a busy account's file of hundreds of MB) they go to an unlinked
 * temporary file (tmpfile(3), $TMPDIR) and are written from it in pages
 * of S3_PAGE_MAX bytes once the object ended, so resident memory does not
 * grow with an object's size.
 */
#define S3_KEEP_MAX		((size_t)8 << 20)
#define S3_PAGE_MAX		((size_t)4 << 20)
#define S3_BATCH_SECONDS	1.0
/* Line buffers of finished jobs kept for the next (fresh memory costs a
 * page fault per 4 KiB written into it): a few, of at most S3_POOL_MAX
 * bytes, as only a job finishing and the batch hold one at a time. */
#define S3_POOL			4
#define S3_POOL_MAX		((size_t)4 << 20)
struct s3batch {
	struct ct_buf		 recs;		/* a spare '\n', then the
						   records as lines */
	size_t			 nrecs;
	int64_t			 oldest;	/* least eventTime, or 0 */
	long			*day;		/* file i: days[day[i]] */
	size_t			*seq;		/* ... .keys[seq[i]] */
	size_t			 nfiles, capfiles;
	double			 t0;		/* when the first came */
};

struct unit {
	struct region		*r;
	char			*account;
	char			*folder;	/* ".../CloudTrail/REGION/" */
	long			 pending;	/* jobs queued or running */
	int			 failed;
	struct s3day		*days;
	size_t			 ndays;
	struct ct_ckpt_list	 rkeys;		/* written by a run before
						   (the checkpoint's keys) */
	struct s3batch		 batch;		/* files read, to be written */
	struct s3v_unit		*vu;		/* --verify, else NULL */
	struct s3run		*run;
	size_t			 recs_hint;	/* records kept of the last file
						   read: the next one's first
						   reserve (no regrowing) */
};

/* A record of a log object read whole, to be written from its text in
 * place (s3obj.c: without --checkpoint nothing is batched, so the text
 * is still there when the object is written). */
struct s3line {
	const char		*p;
	size_t			 n;
	int			 one_line;	/* no '\n' or '\r' in it */
};
/* A record of a log object that is not written, told once the object is
 * read whole (a retried object is told once). */
struct s3bad {
	size_t			 rec;		/* 1 for the file's first */
	const char		*why;		/* a static phrase */
};
struct job {
	struct job		*next;
	const struct fetch	*f;		/* the run */
	int			 kind;
	struct unit		*u;		/* NULL for J_ACCOUNTS */
	char			*key;		/* GET: key; else prefix */
	char			*token;		/* continuation token */
	int			 attempt;	/* failed attempts in a row */
	long			 day;		/* LIST, GET: u->days[day] */
	size_t			 seq;		/* GET: its keys[seq] */
	double			 not_before;
	/* while running */
	CURL			*easy;
	struct ct_buf		 body;		/* listing, or error body */
	struct ct_ctlog		*log;
	struct s3v_meta		*meta;		/* J_DGET: its headers */
	long			 status;
	const char		*signed_for;	/* region it was signed for */
	unsigned		 cred_gen;	/* ... with these credentials */
	char			 bucket_region[48];	/* x-amz-bucket-region */
	struct ct_buf		 recs;		/* a spare '\n', then the
						   in-window records as lines
						   (output.c's out_lines) */
	size_t			 nrecs;
	int64_t			 oldest;	/* least eventTime, or 0 */
	size_t			 seen;		/* records read, any time */
	struct s3line		*lines;		/* in-window records, direct */
	size_t			 nlines, caplines;
	struct s3bad		*bad;		/* records not written */
	size_t			 nbad;
	FILE			*spool;		/* past S3_KEEP_MAX: the
						   lines, in a temporary file */
};

struct s3run {
	struct fetch		*f;
	char			*bucket;
	char			*base;		/* "" or "PREFIX/" */
	char			 top[1200];	/* base + "AWSLogs/" */
	struct ct_buf		 endpoint;
	int			 configured, style;
	const char		*ca, *sign_region;
	char			 moved_to[48];	/* the bucket's region, once
						   a redirect named it */
	struct ct_sigv4_cache	 keys;		/* wiped at the end */
	struct ct_http_trace	 trace;		/* --debug */
	CURLM			*multi;
	/* what s3job.c knows of each socket number: kept as long as the
	 * connections, which libcurl may close after a loop returned */
	unsigned char		*sockreg;
	size_t			 nsockreg;
	struct job		*queue, *tail;
	long			 running;
	unsigned long		 requests, connects;	/* for --progress */
	char			**accounts;	/* account folders found */
	char			**acc_ids;
	size_t			 naccounts;
	int			 acc_failed;
	struct ct_aws_error	 acc_err;
	struct s3v		*verify;	/* --verify, else NULL */
	struct ct_ctlog_cache	*logs;		/* the log readers' cache */
	struct ct_scanner	*chk;		/* records not checked by
						   their reader */
	struct ct_buf		 pool[S3_POOL];	/* free line buffers */
	size_t			 npool;
	/* a 200 answer of job j, received whole: 0 handled, 1 retry,
	 * -1 failed (e) */
	int			(*done)(struct s3run *s, struct job *j,
				    struct ct_aws_error *e);
};

/* s3job.c: the job engine. */
struct job *s3job_push(struct s3run *s, int kind, struct unit *u,
	    const char *key, const char *token);	/* copies key, token;
						   the job, queued */
void	 s3job_free(struct job *j);
void	 s3job_unit_fail(struct fetch *f, struct unit *u,
	    const struct ct_aws_error *e);	/* said once, on stderr */
void	 s3job_unit_done(struct fetch *f, struct unit *u);	/* a job of u
						   is over: the last ends u */
CURL	*s3job_new_easy(struct s3run *s);
void	 s3job_run(struct s3run *s, CURL **pool, size_t npool);	/* until
						   the queue is empty */

/* s3plan.c: the plan; s3plan_done is what s3run.done points to. */
void	 s3plan_unit(struct s3run *s, struct unit *u);	/* its day folders */
int	 s3plan_done(struct s3run *s, struct job *j, struct ct_aws_error *e);

/* s3obj.c: a log object. */
void	 s3obj_feed(struct job *j, const char *p, size_t n);	/* a piece of
						   the body */
void	 s3obj_reset(struct job *j);	/* before an attempt: nothing
					   read yet */
void	 s3obj_free(struct job *j);	/* its buffers to the run's
					   pool, or freed */
void	 s3obj_pool_free(struct s3run *s);
void	 s3obj_error(struct s3run *s, struct job *j, struct ct_aws_error *e);
						/* an error answer to its GET:
						   the KMS key named when it
						   is the cause */
int	 s3obj_write(struct s3run *s, struct job *j, struct ct_aws_error *e);
						/* received whole: read to its
						   end, written or batched;
						   0, 1 retry */
void	 s3obj_flush(struct fetch *f, struct unit *u);	/* write the batch */
void	 s3obj_batch_free(struct s3batch *b);

/* s3done.c: which files were written, for the checkpoint. */
void	 s3done_init(struct unit *u, size_t ndays);	/* from u->r->ck */
int	 s3done_day(struct unit *u, size_t i, const char *name);
						/* days[i] is name ("2026/11/01");
						   1: to be listed, 0: done */
long	 s3done_listed(struct unit *u, long day, const char *rel);
						/* a log file listed (key
						   relative to u->folder): its
						   index, or -1 if written */
void	 s3done_page_end(struct unit *u, long day, int last);
						/* a listing page's files are
						   in (last: the last page) */
void	 s3done_written(struct unit *u, long day, size_t seq);
						/* that file's page was
						   committed */
void	 s3done_fill(struct region *r);		/* region.ck_fill */
void	 s3done_free(struct unit *u);

#endif
