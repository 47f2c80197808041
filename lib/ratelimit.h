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
 * When the server throttles anyway, the caller reports it.  The first
 * throttle is taken for timing noise (a request that reached the server
 * late, on a loaded machine or network): the margin grows (by 40 ms, up to
 * 200 ms, for the rest of the run).  Another throttle within the next
 * minute means someone else uses the quota too (another client of the same
 * account): the window is stretched as well (x2 per throttle, up to x8)
 * until a minute passes without a throttle.
 *
 * Times are seconds on any monotonic clock, as doubles, given by the caller.
 * A ct_ratelimit is used by one thread; it owns no memory outside itself.
 */
#ifndef CT_RATELIMIT_H
#define CT_RATELIMIT_H

#define CT_RATELIMIT_MAXK	1000	/* starts remembered: the highest rate
					   (requests/s) */
#define CT_RATELIMIT_SLOW_FOR	60.0	/* seconds of slow pace after a
					   throttle */
#define CT_RATELIMIT_MARGIN_STEP 0.040	/* margin added per throttle */
#define CT_RATELIMIT_MARGIN_MAX	0.200

struct ct_ratelimit {
	double	rate;		/* requests per second (> 0) */
	double	margin;		/* seconds added to each window */
	int	k;		/* starts per window */
	double	window;		/* 1 s, or 1 / rate when rate < 1 */
	double	factor;		/* slow-down: 1 normal, up to 8 */
	double	slow_until;	/* when the slow-down ends */
	double	last_throttle;	/* time of the last throttle, or 0 */
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

/* The server throttled a request at now: slow down for a while. */
void	ct_ratelimit_throttled(struct ct_ratelimit *rl, double now);

/* The current slow-down factor at now (1 when not slowed). */
double	ct_ratelimit_factor(struct ct_ratelimit *rl, double now);

#endif
