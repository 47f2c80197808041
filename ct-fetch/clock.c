/*
 * clock.c - time and stopping: the monotonic clock, a sleep that a stop
 * cuts short, the stop flag, and event times as text.
 *
 * Every part of ct-fetch reads the clock and the stop flag, and prints
 * event times the same way; they live here, below the others, so that
 * main.c, worker.c, output.c and progress.c depend on this file and never
 * on each other for them.  fetch_stop is raised by main.c's signal
 * handler (the signal number) and by output.c on a closed stdout (1);
 * every loop checks it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "fetch.h"
#include "timefmt.h"

volatile sig_atomic_t fetch_stop;

double
fetch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
fetch_sleep_until(double t)
{
	struct timespec ts;
	double d;

	while (!fetch_stop && (d = t - fetch_now()) > 0) {
		if (d > 0.05)
			d = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(d * 1e9);
		nanosleep(&ts, NULL);
	}
}

void
fetch_fmt_time(int64_t t, char *buf, size_t size)
{
	char iso[21];

	if (ct_time_format_iso(t, iso) != 0)
		snprintf(buf, size, "@%" PRId64, t);
	else
		snprintf(buf, size, "%s", iso);
}
