/*
 * ratelimit.c - sliding-window pacing of request starts, slowed down by
 * throttles and recovering along a cubic curve (see ratelimit.h).
 */
#include <math.h>
#include <string.h>

#include "ratelimit.h"

#define NO_GAP	1e9	/* slack of a start with fewer than k before it */

void
ct_ratelimit_init(struct ct_ratelimit *rl, double rate, double margin)
{
	memset(rl, 0, sizeof(*rl));
	if (!(rate > 0))
		rate = 1;
	if (!(margin >= 0))
		margin = 0;
	rl->rate = rate;
	rl->margin0 = rl->margin = margin;
	if (rate > CT_RATELIMIT_MAXK)
		rate = rl->rate = CT_RATELIMIT_MAXK;
	if (rate < 1) {
		/* One start per 1/R seconds. */
		rl->k = 1;
		rl->window = 1 / rate;
	} else {
		/* floor(R) starts per second: a fraction above a whole
		 * number could not be used without going over R in some
		 * one-second window. */
		rl->k = (int)floor(rate);
		rl->window = 1;
	}
	rl->pace_max = 1;
	rl->throttled_at = -1;
	rl->slack = NO_GAP;
}

double
ct_ratelimit_pace(struct ct_ratelimit *rl, double now)
{
	double d, p;

	if (rl->throttled_at < 0)
		return 1;
	/* The cubic through beta * pace_max at the throttle, flat at
	 * pace_max pace_k seconds later, rising beyond it after that. */
	d = now - rl->throttled_at - rl->pace_k;
	p = rl->pace_max + (1 - CT_RATELIMIT_BETA) /
	    (CT_RATELIMIT_RECOVER * CT_RATELIMIT_RECOVER *
	    CT_RATELIMIT_RECOVER) * d * d * d;
	if (p >= 1) {
		rl->throttled_at = -1;	/* recovered: no more arithmetic */
		rl->pace_max = 1;
		return 1;
	}
	return p > CT_RATELIMIT_MIN_PACE ? p : CT_RATELIMIT_MIN_PACE;
}

/* The margin at now: one step back towards the one asked for per
 * CT_RATELIMIT_MARGIN_HOLD seconds since it last changed. */
static double
margin_at(struct ct_ratelimit *rl, double now)
{
	while (rl->margin > rl->margin0 &&
	    now - rl->margin_at >= CT_RATELIMIT_MARGIN_HOLD) {
		rl->margin -= CT_RATELIMIT_MARGIN_STEP;
		if (rl->margin < rl->margin0)
			rl->margin = rl->margin0;
		rl->margin_at += CT_RATELIMIT_MARGIN_HOLD;
	}
	return rl->margin;
}

double
ct_ratelimit_next(struct ct_ratelimit *rl, double now)
{
	double t, w;

	if (rl->nstarts < rl->k)
		return now;
	/* The oldest of the last k starts opens the window, stretched by
	 * the pace. */
	w = rl->window / ct_ratelimit_pace(rl, now) + margin_at(rl, now);
	t = rl->starts[rl->head] + w;
	return t > now ? t : now;
}

void
ct_ratelimit_start(struct ct_ratelimit *rl, double t)
{
	if (rl->nstarts < rl->k) {
		rl->starts[rl->nstarts++] = t;
		rl->slack = NO_GAP;
		return;
	}
	rl->slack = t - rl->starts[rl->head] - rl->window;
	rl->starts[rl->head] = t;
	rl->head = (rl->head + 1) % rl->k;
}

void
ct_ratelimit_busy(struct ct_ratelimit *rl, double t)
{
	while (rl->nstarts < rl->k)
		ct_ratelimit_start(rl, t);
}

void
ct_ratelimit_throttled(struct ct_ratelimit *rl, double now)
{
	double p = ct_ratelimit_pace(rl, now);

	/* A wider margin could have kept this start out of the server's
	 * window only if it was less than the widest margin beyond it. */
	if (rl->slack < CT_RATELIMIT_MARGIN_MAX) {
		rl->margin = margin_at(rl, now) + CT_RATELIMIT_MARGIN_STEP;
		if (rl->margin > CT_RATELIMIT_MARGIN_MAX)
			rl->margin = CT_RATELIMIT_MARGIN_MAX;
		if (rl->margin < rl->margin0)
			rl->margin = rl->margin0;
		rl->margin_at = now;
	}
	/* The pace falls to beta of what it was and regains it after
	 * pace_k seconds: the cubic's flat point, where
	 * C pace_k^3 = (1 - beta) pace_max, C = (1 - beta) / RECOVER^3. */
	rl->pace_max = p;
	rl->pace_k = CT_RATELIMIT_RECOVER * cbrt(p);
	rl->throttled_at = now;
}
