/*
 * eta.c - a smoothed time left: see eta.h.
 */
#include <math.h>

#include "eta.h"

void
ct_eta_start(struct ct_eta *e, double now, double c0)
{
	e->t0 = e->t = now;
	e->c0 = e->c = c0;
	e->rate = 0;
	e->left = -1;
}

void
ct_eta_sample(struct ct_eta *e, double now, double c)
{
	double dt = now - e->t, a, raw;

	if (!(dt > 0))
		return;
	if (e->rate > 0) {
		a = 1 - exp(-dt / CT_ETA_TAU);
		e->rate += a * ((c - e->c) / dt - e->rate);
		if (e->rate < 0)
			e->rate = 0;
	} else if (c > e->c0 && now - e->t0 >= CT_ETA_MIN_TIME) {
		e->rate = (c - e->c0) / (now - e->t0);
	}
	e->t = now;
	e->c = c;
	if (!(e->rate > 0) || c - e->c0 < CT_ETA_MIN_SHARE ||
	    now - e->t0 < CT_ETA_MIN_TIME) {
		e->left = -1;
		return;
	}
	raw = c >= 1 ? 0 : (1 - c) / e->rate;
	if (e->left < 0 || c >= 1) {
		e->left = raw;
		return;
	}
	e->left = e->left > dt ? e->left - dt : 0;
	e->left += (1 - exp(-dt / CT_ETA_TAU_LEFT)) * (raw - e->left);
}

double
ct_eta_left(const struct ct_eta *e)
{
	return e->left;
}
