/*
 * eta.h - the time left of a job whose share done is sampled now and then
 * (ct-fetch's progress: the share of the window covered by a region).
 *
 * LookupEvents pages come in bursts (throttling, retries, pages of 50
 * events over hours of quiet or busy time), so the share done per second
 * swings from one sample to the next; the time left taken from the last
 * samples alone jumps by minutes.  Here the rate is an exponentially
 * weighted average with a time constant (CT_ETA_TAU seconds, whatever the
 * sampling interval), seeded with the average since the start; the time
 * left counts down between samples and moves toward what that rate gives
 * with a time constant of CT_ETA_TAU_LEFT seconds, so that a burst of
 * pages does not make it jump; and no estimate is given until
 * CT_ETA_MIN_TIME seconds have passed and CT_ETA_MIN_SHARE of the job is
 * done, when the first rate means little.  (Simulated bursts of a page
 * every 2 to 15 s: the estimate moves by about a second per sample where
 * the average since the start jumps by minutes; tests/unit/test_eta.c.)
 * Pure arithmetic on the caller's clock: no locks, no time calls.
 */
#ifndef CT_ETA_H
#define CT_ETA_H

#define CT_ETA_TAU		30.0	/* seconds */
#define CT_ETA_TAU_LEFT		20.0	/* seconds */
#define CT_ETA_MIN_TIME		5.0	/* seconds */
#define CT_ETA_MIN_SHARE	0.02	/* of the whole job */

struct ct_eta {
	double	t0, c0;		/* the start: time and share done */
	double	t, c;		/* the last sample */
	double	rate;		/* smoothed share per second; 0: none yet */
	double	left;		/* smoothed seconds left; < 0: none yet */
};

/* Start at time now (seconds, any origin) with share done c0 (0..1). */
void	ct_eta_start(struct ct_eta *e, double now, double c0);

/* A sample: share done c at time now.  Samples not later than the last
 * one are ignored. */
void	ct_eta_sample(struct ct_eta *e, double now, double c);

/* Seconds left, or -1 when too little is known yet or nothing moves. */
double	ct_eta_left(const struct ct_eta *e);

#endif
