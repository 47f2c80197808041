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
	double ratio, t;
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

	/* Throttled once: a wider margin; twice: slower for a while, then
	 * normal again. */
	ct_ratelimit_throttled(&rl, 10.2);
	CHECK(ct_ratelimit_factor(&rl, 10.2) == 1, "one throttle: same pace");
	t = ct_ratelimit_next(&rl, 10.2);
	CHECK(fabs(t - 11.065) < 1e-9, "... with a wider margin (%.3f)", t);
	ct_ratelimit_throttled(&rl, 10.3);
	CHECK(ct_ratelimit_factor(&rl, 10.3) == 2, "another: half pace");
	t = ct_ratelimit_next(&rl, 10.3);
	CHECK(fabs(t - 12.105) < 1e-9, "... the window doubles (%.3f)", t);
	for (i = 0; i < 5; i++)
		ct_ratelimit_throttled(&rl, 11);
	CHECK(ct_ratelimit_factor(&rl, 11) == 8, "many throttles: at most "
	    "an eighth of the pace");
	CHECK(ct_ratelimit_factor(&rl, 11 + CT_RATELIMIT_SLOW_FOR - 1) == 8,
	    "still slow just before the slow spell ends");
	CHECK(ct_ratelimit_factor(&rl, 11 + CT_RATELIMIT_SLOW_FOR) == 1,
	    "normal pace after it");
	CHECK(rl.margin == CT_RATELIMIT_MARGIN_MAX, "the margin grows to "
	    "at most %.3f s (%.3f)", CT_RATELIMIT_MARGIN_MAX, rl.margin);
	ct_ratelimit_throttled(&rl, 200);
	CHECK(ct_ratelimit_factor(&rl, 200) == 1, "a throttle long after: "
	    "the same pace again");
	return check_done();
}
