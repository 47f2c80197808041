/*
 * ratelimit.h - pacing of one request stream: at most R starts per second.
 *
 * CloudTrail's LookupEvents allows 2 requests per second per region and
 * throttles the excess, and AWS counts requests as they arrive, in any
 * one-second window.  ct-fetch paces each region so that it is never the
 * cause of a throttle, yet runs at the limit: this is the arithmetic, kept
 * apart from the clock and the threads so that it can be tested exactly.
 *
 * The limiter is a sliding window over request starts: with k = floor(R)
 * and W = 1 s (for R < 1: k = 1 and W = 1/R s), no k + 1 starts fall
 * within W + margin seconds, so no one-second window ever holds more than R
 * starts even when a request reaches the server up to margin seconds later
 * than another.  (So R = 2.5 paces as 2: half a request per second cannot
 * be used without some one-second window holding 3.)
 * (A token bucket would let a burst through after an idle spell; AWS's
 * window does not forgive that.)  With R = 2 and a 25 ms margin the ideal
 * throughput is 2 / 1.025 = 97.6 % of the limit.
 *
 * When the server throttles anyway, the caller reports it, and the pace
 * drops and then climbs back the way TCP CUBIC and the AWS SDKs' adaptive
 * retry mode do: the rate in use falls to 0.7 of what it was (down to 1/8
 * of R at most), then returns along a cubic curve that climbs fast at
 * first, flattens as it nears the rate of the last throttle, and regains
 * that rate CT_RATELIMIT_RECOVER s after a throttle at the full rate (less
 * after one at a lower rate).  A throttle is most often an isolated event
 * (the server's own hiccup, or a single request that arrived late): it then
 * costs about (1 - 0.7) x 4 s / 4 = 0.3 s of requests at the full rate,
 * where a fixed slow-down for a minute costs tens of seconds.  Throttles
 * that keep coming (another client of the account uses the same quota) keep
 * the pace down, 0.7 per throttle, as low as 1/8; the recovery from a
 * lower rate reaches it again in a shorter time (4 s x the cube root of
 * that rate), so the pace settles near what the server leaves free.
 * The sliding window stays the base (the cubic scales its length), so the
 * full rate is never exceeded.
 *
 * A throttle of a request that started less than window + the largest
 * margin after the k-th start before it may be timing noise (it reached
 * the server late, on a loaded machine or network): the margin grows by
 * 40 ms, up to 200 ms, and shrinks again by 40 ms per 10 s without such a
 * throttle, so a run on a busy machine keeps a wide margin while one that
 * met a few random throttles returns to its own.  A throttle of a request
 * further from its window says nothing about timing: no margin would have
 * avoided it.
 *
 * Another run may have paced the same quota just before this one began (a
 * run restarted from its checkpoint after a kill): ct_ratelimit_busy()
 * counts k starts at a given time, so that the first requests wait one
 * window, as if that run had sent its last k requests then.
 *
 * Times are seconds on any monotonic clock, as doubles, given by the caller.
 * A ct_ratelimit is used by one thread; it owns no memory outside itself.
 */
#ifndef CT_RATELIMIT_H
#define CT_RATELIMIT_H

#define CT_RATELIMIT_MAXK	1000	/* starts remembered: the highest rate
					   (requests/s) */
#define CT_RATELIMIT_MARGIN_STEP 0.040	/* margin added per throttle */
#define CT_RATELIMIT_MARGIN_MAX	0.200
#define CT_RATELIMIT_MARGIN_HOLD 10.0	/* seconds per step back */
#define CT_RATELIMIT_BETA	0.7	/* the pace kept on a throttle */
#define CT_RATELIMIT_MIN_PACE	0.125	/* the lowest pace (of the rate) */
#define CT_RATELIMIT_RECOVER	4.0	/* seconds to regain the full rate
					   after a throttle at it */

struct ct_ratelimit {
	double	rate;		/* requests per second (> 0) */
	double	margin0;	/* the margin asked for (>= 0) */
	double	margin;		/* seconds added to each window */
	double	margin_at;	/* when the margin last grew or shrank */
	int	k;		/* starts per window */
	double	window;		/* 1 s, or 1 / rate when rate < 1 */
	double	pace_max;	/* the pace when last throttled */
	double	pace_k;		/* time from that throttle to regain it */
	double	throttled_at;	/* time of the last throttle; < 0: none */
	double	slack;		/* last start: its distance beyond the window
				   from the k-th start before it (large when
				   fewer than k starts came before) */
	double	starts[CT_RATELIMIT_MAXK];	/* ring of the last k starts */
	int	nstarts;	/* starts recorded, up to k */
	int	head;		/* index of the oldest in the ring when full */
};

/* Set up a limiter for rate requests/s (> 0) with margin seconds (>= 0). */
void	ct_ratelimit_init(struct ct_ratelimit *rl, double rate, double margin);

/* The earliest time >= now at which the next request may start. */
double	ct_ratelimit_next(struct ct_ratelimit *rl, double now);

/* A request started at t (t >= the previous start, t >= next()). */
void	ct_ratelimit_start(struct ct_ratelimit *rl, double t);

/* Someone else may have started up to k requests at t (or earlier): count
 * them, so that the next start waits a window after t.  Before any start. */
void	ct_ratelimit_busy(struct ct_ratelimit *rl, double t);

/* The server throttled the last request started, at now: slow down. */
void	ct_ratelimit_throttled(struct ct_ratelimit *rl, double now);

/* The pace at now: the fraction of the rate in use (1 when not slowed,
 * down to CT_RATELIMIT_MIN_PACE). */
double	ct_ratelimit_pace(struct ct_ratelimit *rl, double now);

#endif
