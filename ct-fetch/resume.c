/*
 * resume.c - a run's checkpoint: taking its lock, loading it, and making
 * the run's window, account and regions agree with it.
 *
 * The checkpoint's window wins: a run that resumes one fetches the window
 * it was saved for, and an explicitly given other window is refused (an
 * implicit one, --past-hours or the default, is replaced, with a note).
 * The checkpoint belongs to one account: credentials of another are
 * refused.  Every region gets its entry (new ones start at the window's
 * end); a region already complete in it is skipped.  A checkpoint of the
 * S3 source (it names its bucket) is refused here; that source checks
 * its bucket and makes its entries itself (s3src.c).
 */
#include <stdio.h>
#include <string.h>

#include "exitcodes.h"
#include "fetch.h"

/*
 * A run that was just stopped may still be finishing its page, so a second
 * run waits this long for the checkpoint's lock before it is refused.
 */
#define LOCK_WAIT_MS	5000

int
resume_open(struct fetch *f, int start_given, int end_given, int have_hours)
{
	struct ct_buf why;
	double t_lock = 0;
	int loaded;

	ct_ckpt_init(&f->ck);
	loaded = 0;
	if (f->ckpt_path != NULL) {
		char *canon;
		int lockfd;

		ct_buf_init(&why, 4096);
		/* lockfd stays open: the lock lasts as long as the run */
		if (ct_ckpt_lock(f->ckpt_path, LOCK_WAIT_MS, &canon, &lockfd,
		    &why) != 0) {
			fprintf(stderr, PROG ": checkpoint %s\n", why.data);
			ct_buf_free(&why);
			return CT_EXIT_FAILURE;
		}
		f->ckpt_path = canon;
		t_lock = fetch_now();
		loaded = ct_ckpt_load(f->ckpt_path, &f->ck, &why);
		if (loaded < 0) {
			fprintf(stderr, PROG ": checkpoint %s\n", why.data);
			ct_buf_free(&why);
			return CT_EXIT_FAILURE;
		}
		ct_buf_free(&why);
	}
	if (loaded) {
		char a[32], b[32];

		/* The run that saved this checkpoint (killed, or stopped)
		 * held the lock until t_lock at the latest, and may have
		 * used the quota until then: the workers start paced as if
		 * it had sent its last requests at that moment. */
		f->busy_until = t_lock;

		if (f->s3_url == NULL && f->ck.source != NULL) {
			fprintf(stderr, PROG ": checkpoint %s is for %s, not "
			    "LookupEvents; give --s3 or --trail, or remove the "
			    "file to start afresh\n", f->ckpt_path,
			    f->ck.source);
			return CT_EXIT_USAGE;
		}
		fetch_fmt_time(f->ck.start, a, sizeof(a));
		fetch_fmt_time(f->ck.end, b, sizeof(b));
		if ((start_given && f->start != f->ck.start) ||
		    (end_given && f->end != f->ck.end)) {
			fprintf(stderr, PROG ": checkpoint %s is for the window "
			    "%s to %s; give that window or none, or remove the "
			    "file to start afresh\n", f->ckpt_path, a, b);
			return CT_EXIT_USAGE;
		}
		if (have_hours && !f->quiet)
			fprintf(stderr, PROG ": --past-hours ignored: resuming "
			    "the window %s to %s of %s\n", a, b, f->ckpt_path);
		f->start = f->ck.start;
		f->end = f->ck.end;
		memcpy(f->run_ts, f->ck.run_timestamp, sizeof(f->run_ts));
	} else {
		f->ck.start = f->start;
		f->ck.end = f->end;
		memcpy(f->ck.run_timestamp, f->run_ts,
		    sizeof(f->ck.run_timestamp));
	}
	f->resumed = loaded;
	return 0;
}

int
resume_account(struct fetch *f)
{
	if (f->resumed && f->ck.account[0] != '\0' &&
	    strcmp(f->ck.account, f->id.account) != 0) {
		fprintf(stderr, PROG ": checkpoint %s belongs to account %s, "
		    "the credentials to account %s\n", f->ckpt_path,
		    f->ck.account, f->id.account);
		return CT_EXIT_USAGE;
	}
	memcpy(f->ck.account, f->id.account, sizeof(f->ck.account));
	f->ck.account[sizeof(f->ck.account) - 1] = '\0';
	return 0;
}

void
resume_regions(struct fetch *f)
{
	size_t i;

	for (i = 0; i < f->nregions; i++) {
		struct region *r = &f->regions[i];

		r->ck = ct_ckpt_add(&f->ck, r->name);
		r->reached0 = r->ck->reached;
		if (r->ck->done)
			r->status = RS_SKIPPED;
	}
}
