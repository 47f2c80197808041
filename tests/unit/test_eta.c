/* test_eta.c - the smoothed time left: quiet at first, steady after. */
#include <math.h>

#include "check.h"
#include "eta.h"

/* The share done at time t of a job of 200 s whose progress comes in
 * pages: one page of 1% every 2 s, but in bursts of 5 pages every 10 s
 * (throttling), and 20% of it done before the run (a resumed checkpoint). */
static double
bursty(double t)
{
	double c = 0.2 + 0.05 * floor(t / 10);

	return c > 1 ? 1 : c;
}

int
main(void)
{
	struct ct_eta e;
	double t, left, prev = -1, jump = 0, worst = 0, naive_jump = 0;
	double naive_prev = -1;
	int shown_early = 0;

	ct_eta_start(&e, 0, 0.2);
	CHECK(ct_eta_left(&e) == -1, "no estimate at the start");
	for (t = 0.5; t < 160; t += 0.5) {
		double c = bursty(t), truth = 160 - t, naive;

		ct_eta_sample(&e, t, c);
		left = ct_eta_left(&e);
		if (t < CT_ETA_MIN_TIME || c - 0.2 < CT_ETA_MIN_SHARE) {
			shown_early |= left >= 0;
			continue;
		}
		/* the estimate from the average since the start, as a
		 * reference for how much the raw figure jumps */
		naive = (1 - c) * t / (c - 0.2);
		if (naive_prev >= 0 && fabs(naive - naive_prev) > naive_jump)
			naive_jump = fabs(naive - naive_prev);
		naive_prev = naive;
		if (left < 0)
			continue;
		if (prev >= 0 && fabs(left - prev) > jump)
			jump = fabs(left - prev);
		if (t >= 30 && fabs(left - truth) > worst)
			worst = fabs(left - truth);
		prev = left;
	}
	CHECK(!shown_early, "no estimate before %.0f s and %.0f%% done",
	    CT_ETA_MIN_TIME, 100 * CT_ETA_MIN_SHARE);
	CHECK(prev >= 0, "an estimate once enough is known");
	CHECK(jump < 3 && naive_jump > 30 * jump, "half a second later the "
	    "estimate moves by at most 3 s (moved %.1f s; the average since "
	    "the start jumps by %.1f s)", jump, naive_jump);
	CHECK(worst < 45, "after 30 s, within 45 s of the truth (off by "
	    "%.1f s)", worst);

	/* Steady progress: the estimate is the truth. */
	ct_eta_start(&e, 100, 0);
	for (t = 100.5; t <= 150; t += 0.5)
		ct_eta_sample(&e, t, (t - 100) / 200);
	left = ct_eta_left(&e);
	CHECK(fabs(left - 150) < 1, "steady: 150 s left (%.2f)", left);

	/* Nothing moves: no estimate; samples back in time are ignored. */
	ct_eta_start(&e, 0, 0.5);
	for (t = 1; t <= 60; t++)
		ct_eta_sample(&e, t, 0.5);
	CHECK(ct_eta_left(&e) == -1, "stalled from the start: no estimate");
	ct_eta_sample(&e, 30, 0.9);
	CHECK(e.t == 60 && e.c == 0.5, "a sample older than the last: ignored");
	ct_eta_sample(&e, 61, 1);
	CHECK(ct_eta_left(&e) == 0, "all done: nothing left");
	return check_done();
}
