/*
 * ratelimit.c - sliding-window pacing of request starts (see ratelimit.h).
 */
#include <math.h>
#include <string.h>

#include "ratelimit.h"

void
ct_ratelimit_init(struct ct_ratelimit *rl, double rate, double margin)
{
	memset(rl, 0, sizeof(*rl));
	if (!(rate > 0))
		rate = 1;
	if (!(margin >= 0))
		margin = 0;
	rl->rate = rate;
	rl->margin = margin;
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
	rl->factor = 1;
}

double
ct_ratelimit_factor(struct ct_ratelimit *rl, double now)
{
	if (rl->factor > 1 && now >= rl->slow_until)
		rl->factor = 1;
	return rl->factor;
}

double
ct_ratelimit_next(struct ct_ratelimit *rl, double now)
{
	double t, w;

	if (rl->nstarts < rl->k)
		return now;
	/* The oldest of the last k starts opens the window. */
	w = rl->window * ct_ratelimit_factor(rl, now) + rl->margin;
	t = rl->starts[rl->head] + w;
	return t > now ? t : now;
}

void
ct_ratelimit_start(struct ct_ratelimit *rl, double t)
{
	if (rl->nstarts < rl->k) {
		rl->starts[rl->nstarts++] = t;
		return;
	}
	rl->starts[rl->head] = t;
	rl->head = (rl->head + 1) % rl->k;
}

void
ct_ratelimit_throttled(struct ct_ratelimit *rl, double now)
{
	int again = rl->last_throttle > 0 &&
	    now - rl->last_throttle < CT_RATELIMIT_SLOW_FOR;

	rl->last_throttle = now;
	if (rl->margin < CT_RATELIMIT_MARGIN_MAX) {
		rl->margin += CT_RATELIMIT_MARGIN_STEP;
		if (rl->margin > CT_RATELIMIT_MARGIN_MAX)
			rl->margin = CT_RATELIMIT_MARGIN_MAX;
	}
	if (!again)
		return;
	ct_ratelimit_factor(rl, now);
	rl->factor *= 2;
	if (rl->factor > 8)
		rl->factor = 8;
	rl->slow_until = now + CT_RATELIMIT_SLOW_FOR;
}
