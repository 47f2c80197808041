/* test_ratelimit.c - pacing arithmetic: never over the limit, near it. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "ratelimit.h"

#define N	4000

/* Most starts in any window [t, t + w) of the sorted times a[0..n). */
static int
max_in_window(const double *a, int n, double w)
{
	int i, j = 0, best = 0;

	for (i = 0; i < n; i++) {
		while (a[i] - a[j] >= w)
			j++;
		if (i - j + 1 > best)
			best = i - j + 1;
	}
	return best;
}

static int
cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/*
 * Sequential requests (each starts when the previous answered and the
 * limiter allows), answers after lat..lat+jit seconds; each request reaches
 * the server a random 0..delay seconds after its start.  Returns the most
 * arrivals in any 1 s window and the throughput ratio n / (rate * (span+1)).
 */
static void
simulate(double rate, double margin, double lat, double jit, double delay,
    int *maxwin, double *ratio, unsigned seed)
{
	static double starts[N], arrivals[N];
	struct ct_ratelimit rl;
	double now = 100;
	int i;

	srand(seed);
	ct_ratelimit_init(&rl, rate, margin);
	for (i = 0; i < N; i++) {
		now = ct_ratelimit_next(&rl, now);
		ct_ratelimit_start(&rl, now);
		starts[i] = now;
		arrivals[i] = now + delay * (rand() / (RAND_MAX + 1.0));
		now += lat + jit * (rand() / (RAND_MAX + 1.0));
	}
	qsort(arrivals, N, sizeof(double), cmp);
	*maxwin = max_in_window(arrivals, N, 1.0);
	*ratio = N / (rate * (starts[N - 1] - starts[0] + 1));
}

int
main(void)
{
	struct ct_ratelimit rl;
	double ratio, t, p;
	int mw, i;
	unsigned s;

	for (s = 1; s <= 5; s++) {
		simulate(2, 0.025, 0.01, 0.05, 0.024, &mw, &ratio, s);
		CHECK(mw <= 2, "rate 2, fast answers, arrival jitter < margin: "
		    "at most 2 in any second (seed %u: %d)", s, mw);
		CHECK(ratio >= 0.95, "rate 2, fast answers: >= 95%% of the "
		    "ideal (seed %u: %.3f)", s, ratio);
	}
	simulate(2, 0.025, 0.3, 0.4, 0.024, &mw, &ratio, 7);
	CHECK(mw <= 2, "rate 2, slow answers: at most 2 in any second (%d)",
	    mw);
	simulate(2, 0, 0.0, 0.0, 0.0, &mw, &ratio, 7);
	CHECK(mw <= 2, "no margin, no jitter: still at most 2 (%d)", mw);
	CHECK(ratio > 0.99, "no margin, no jitter: the full rate (%.3f)",
	    ratio);
	simulate(2, 0, 0.01, 0.0, 0.05, &mw, &ratio, 7);
	CHECK(mw > 2, "the margin matters: without it, jitter overshoots "
	    "(%d)", mw);

	simulate(20, 0.025, 0.01, 0.01, 0.02, &mw, &ratio, 3);
	CHECK(mw <= 20, "rate 20: at most 20 in any second (%d)", mw);
	CHECK(ratio >= 0.95 || ratio < 0, "rate 20: >= 95%% (%.3f)", ratio);
	simulate(2.5, 0.025, 0.0, 0.0, 0.02, &mw, &ratio, 3);
	CHECK(mw <= 2, "rate 2.5: at most 2 in any second (%d)", mw);
	CHECK(ratio >= 0.75, "rate 2.5: paced as 2 (%.3f)", ratio);
	simulate(0.5, 0.025, 0.0, 0.0, 0.02, &mw, &ratio, 3);
	CHECK(mw <= 1, "rate 0.5: one at a time (%d)", mw);
	CHECK(ratio >= 0.95, "rate 0.5: near the rate (%.3f)", ratio);
	simulate(200, 0.025, 0.0, 0.0, 0.0, &mw, &ratio, 3);
	CHECK(mw <= 200, "rate 200: within the rate (%d)", mw);
	CHECK(ratio >= 0.95, "rate 200: near the rate (%.3f)", ratio);
	simulate(5000, 0, 0.0, 0.0, 0.0, &mw, &ratio, 3);
	CHECK(mw <= CT_RATELIMIT_MAXK, "rate 5000: capped at %d (%d)",
	    CT_RATELIMIT_MAXK, mw);

	/* The first k starts go at once, then the window. */
	ct_ratelimit_init(&rl, 2, 0.025);
	CHECK(ct_ratelimit_next(&rl, 10) == 10, "first start: now");
	ct_ratelimit_start(&rl, 10);
	CHECK(ct_ratelimit_next(&rl, 10.1) == 10.1, "second start: now");
	ct_ratelimit_start(&rl, 10.1);
	t = ct_ratelimit_next(&rl, 10.2);
	CHECK(fabs(t - 11.025) < 1e-9, "third start: a window after the "
	    "first (%.3f)", t);

	/* A throttle at the edge of the window (timing noise?): a wider
	 * margin, and the pace drops to 0.7 of the rate. */
	ct_ratelimit_start(&rl, 11.025);	/* 1.025 after 10 */
	ct_ratelimit_throttled(&rl, 11.1);
	p = ct_ratelimit_pace(&rl, 11.1);
	CHECK(fabs(p - CT_RATELIMIT_BETA) < 1e-9, "one throttle: 0.7 of the "
	    "pace (%.3f)", p);
	CHECK(fabs(rl.margin - 0.065) < 1e-9, "... and a wider margin "
	    "(%.3f)", rl.margin);
	t = ct_ratelimit_next(&rl, 11.1);
	CHECK(fabs(t - (10.1 + 1 / CT_RATELIMIT_BETA + 0.065)) < 1e-9,
	    "... the window stretched to 1/0.7 s (%.3f)", t);
	/* The cubic: fast at first, flat near the old pace, back to the
	 * full rate CT_RATELIMIT_RECOVER seconds after the throttle. */
	p = ct_ratelimit_pace(&rl, 11.1 + 1);
	CHECK(p > 0.87 && p < 0.88, "1 s later: most of the way back "
	    "(%.3f)", p);
	p = ct_ratelimit_pace(&rl, 11.1 + 3);
	CHECK(p > 0.995 && p < 1, "3 s later: nearly there (%.4f)", p);
	p = ct_ratelimit_pace(&rl, 11.1 + CT_RATELIMIT_RECOVER);
	CHECK(p == 1, "%.0f s later: the full rate (%.4f)",
	    CT_RATELIMIT_RECOVER, p);
	CHECK(fabs(rl.margin - 0.065) < 1e-9, "the margin stays a while");
	ct_ratelimit_next(&rl, 11.1 + CT_RATELIMIT_MARGIN_HOLD);
	CHECK(fabs(rl.margin - 0.025) < 1e-9, "... and shrinks back after "
	    "%.0f s (%.3f)", CT_RATELIMIT_MARGIN_HOLD, rl.margin);

	/* Throttles that keep coming: 0.7 each, down to 1/8 at most; the
	 * way back from a low pace is shorter. */
	ct_ratelimit_init(&rl, 2, 0.025);
	ct_ratelimit_throttled(&rl, 50);
	ct_ratelimit_throttled(&rl, 50);
	p = ct_ratelimit_pace(&rl, 50);
	CHECK(fabs(p - 0.49) < 1e-9, "two throttles: 0.49 of the pace "
	    "(%.3f)", p);
	p = ct_ratelimit_pace(&rl, 50 + CT_RATELIMIT_RECOVER * cbrt(0.7));
	CHECK(fabs(p - 0.7) < 1e-9, "back to the pace of the last throttle "
	    "in %.2f s (%.3f)", CT_RATELIMIT_RECOVER * cbrt(0.7), p);
	CHECK(rl.margin == 0.025, "throttles with no start near the window: "
	    "the margin stays (%.3f)", rl.margin);
	for (i = 0; i < 20; i++)
		ct_ratelimit_throttled(&rl, 60);
	p = ct_ratelimit_pace(&rl, 60);
	CHECK(p == CT_RATELIMIT_MIN_PACE, "many throttles: 1/8 of the pace "
	    "at most (%.3f)", p);
	p = ct_ratelimit_pace(&rl, 60 + CT_RATELIMIT_RECOVER);
	CHECK(p < 0.2, "... flat for a while (%.3f)", p);
	p = ct_ratelimit_pace(&rl, 60 + 2 * CT_RATELIMIT_RECOVER);
	CHECK(p == 1, "... and back to the full rate %.0f s later (%.3f)",
	    2 * CT_RATELIMIT_RECOVER, p);

	/* Margin steps to at most CT_RATELIMIT_MARGIN_MAX, on throttles at
	 * the window's edge. */
	ct_ratelimit_init(&rl, 2, 0.025);
	t = 100;
	for (i = 0; i < 120; i++) {
		t = ct_ratelimit_next(&rl, t);
		ct_ratelimit_start(&rl, t);
		if (i % 12 == 11)	/* after the pace recovered */
			ct_ratelimit_throttled(&rl, t + 0.01);
	}
	CHECK(rl.margin == CT_RATELIMIT_MARGIN_MAX, "the margin grows to "
	    "at most %.3f s (%.3f)", CT_RATELIMIT_MARGIN_MAX, rl.margin);

	/* Isolated throttles, 5% of the requests at random, at the
	 * edge of the window: still near the full rate on the whole. */
	for (s = 1; s <= 3; s++) {
		srand(s);
		ct_ratelimit_init(&rl, 2, 0.025);
		t = 100;
		for (i = 0; i < N; i++) {
			t = ct_ratelimit_next(&rl, t);
			ct_ratelimit_start(&rl, t);
			if (rand() % 20 == 0)
				ct_ratelimit_throttled(&rl, t + 0.01);
			t += 0.01;
		}
		ratio = N / (2 * (t - 100));
		CHECK(ratio >= 0.8, "5%% random throttles: >= 80%% of the rate "
		    "(seed %u: %.3f)", s, ratio);
	}

	/* A run that may follow another: the first start waits a window. */
	ct_ratelimit_init(&rl, 2, 0.025);
	ct_ratelimit_busy(&rl, 20);
	t = ct_ratelimit_next(&rl, 20.2);
	CHECK(fabs(t - 21.025) < 1e-9, "busy at 20: the first start at "
	    "21.025 (%.3f)", t);
	ct_ratelimit_start(&rl, t);
	t = ct_ratelimit_next(&rl, t);
	CHECK(fabs(t - 21.025) < 1e-9, "... the second with it (%.3f)", t);
	ct_ratelimit_start(&rl, t);
	t = ct_ratelimit_next(&rl, t);
	CHECK(fabs(t - 22.05) < 1e-9, "... then the pace (%.3f)", t);
	ct_ratelimit_init(&rl, 0.5, 0.025);
	ct_ratelimit_busy(&rl, 20);
	t = ct_ratelimit_next(&rl, 20);
	CHECK(fabs(t - 22.025) < 1e-9, "rate 0.5, busy at 20: the first "
	    "start at 22.025 (%.3f)", t);
	return check_done();
}
