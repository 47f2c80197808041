/*
 * progress.c - stderr: messages, and progress when asked for.
 *
 * Every line ct-fetch prints on stderr goes through msg(), under one lock,
 * so lines never mix.  With progress on, a thread wakes up regularly and
 * shows, per running region, the events and pages so far, the event time
 * reached (events come newest first, so the fetch walks the window from its
 * end back to its start), the share of the window covered and an estimate
 * of the time left (smoothed: lib/eta.h).  On a terminal the block of lines is redrawn in place
 * (messages are printed above it); otherwise (--progress into a file) the
 * lines are printed every 5 seconds.  Lines on a terminal are cut to its
 * width so that the block can be erased by counting lines.  A region that
 * ends gets one last line; its counts for this run are added only when
 * they differ from the totals (a run that resumed a checkpoint).
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"

static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t prog_thread;
static int prog_running;
static atomic_int prog_quit;
static int drawn;		/* lines of the block now on the terminal */

/* Erase the block on the terminal.  err_lock held. */
static void
erase_block(void)
{
	if (drawn > 0)
		fprintf(stderr, "\033[%dA\033[J", drawn);
	drawn = 0;
}

void
msg(struct fetch *f, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&err_lock);
	if (f != NULL && f->progress_tty)
		erase_block();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	pthread_mutex_unlock(&err_lock);
}

/* Share of the window covered, 0..1, by the oldest time reached. */
static double
covered(const struct fetch *f, int64_t reached)
{
	if (reached == 0 || f->end <= f->start)
		return 0;
	if (reached <= f->start)
		return 1;
	return (double)(f->end - reached) / (double)(f->end - f->start);
}

/* One line on a region into b (lock held). */
static void
region_line(struct fetch *f, struct region *r, double now, char *b,
    size_t size)
{
	char when[32], eta[32];
	double c, left;

	c = covered(f, r->ck->reached);
	if (!r->eta_on) {
		ct_eta_start(&r->eta, r->t_start, covered(f, r->reached0));
		r->eta_on = 1;
	}
	ct_eta_sample(&r->eta, now, c);
	left = ct_eta_left(&r->eta);
	snprintf(eta, sizeof(eta), "?");
	if (left >= 0 && left < 3600 * 99)
		snprintf(eta, sizeof(eta), "%dm%02ds", (int)left / 60,
		    (int)left % 60);
	if (r->ck->reached != 0)
		fetch_fmt_time(r->ck->reached, when, sizeof(when));
	else
		snprintf(when, sizeof(when), "-");
	if (f->progress_tty)	/* compact: a terminal line is short */
		snprintf(b, size, "%-14s %7" PRIu64 " events %5" PRIu64
		    " pages  at %.10s %.5s %3.0f%%  ETA %s  %lu retries "
		    "%lu throttled", r->name, r->ck->events, r->ck->pages,
		    when, r->ck->reached != 0 ? when + 11 : "", 100 * c, eta,
		    r->retries, r->throttles);
	else
		snprintf(b, size, PROG ": %s: %" PRIu64 " events, %" PRIu64
		    " pages, at %s (%.0f%% of the window), ETA %s, %lu "
		    "retries, %lu throttled", r->name, r->ck->events,
		    r->ck->pages, when, 100 * c, eta, r->retries,
		    r->throttles);
}

static void
draw(struct fetch *f)
{
	static char line[1024];
	double now = fetch_now();
	struct winsize ws;
	size_t i;
	int n = 0, cols = 79;

	if (f->progress_tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 1)
		cols = ws.ws_col - 1;
	pthread_mutex_lock(&err_lock);
	if (f->progress_tty)
		erase_block();
	for (i = 0; i < f->nregions; i++) {
		struct region *r = &f->regions[i];

		pthread_mutex_lock(&f->lock);
		if (r->status == RS_RUNNING)
			region_line(f, r, now, line, sizeof(line));
		else
			line[0] = '\0';
		pthread_mutex_unlock(&f->lock);
		if (line[0] == '\0')
			continue;
		if (f->progress_tty)
			fprintf(stderr, "%.*s\033[K\n", cols, line);
		else
			fprintf(stderr, "%s\n", line);
		n++;
	}
	if (f->progress_tty)
		drawn = n;
	fflush(stderr);
	pthread_mutex_unlock(&err_lock);
}

static void *
prog_main(void *arg)
{
	struct fetch *f = arg;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	double next = fetch_now() + (f->progress_tty ? 0.5 : 5);

	while (!prog_quit) {
		nanosleep(&ts, NULL);
		if (fetch_now() < next)
			continue;
		draw(f);
		next = fetch_now() + (f->progress_tty ? 0.5 : 5);
	}
	return NULL;
}

void
progress_start(struct fetch *f)
{
	if (!f->progress)
		return;
	if (pthread_create(&prog_thread, NULL, prog_main, f) == 0)
		prog_running = 1;
}

void
progress_stop(struct fetch *f)
{
	if (prog_running) {
		prog_quit = 1;
		pthread_join(prog_thread, NULL);
		prog_running = 0;
	}
	pthread_mutex_lock(&err_lock);
	if (f->progress_tty)
		erase_block();
	fflush(stderr);
	pthread_mutex_unlock(&err_lock);
}

void
progress_region_done(struct fetch *f, struct region *r)
{
	char line[1024];
	double el;

	if (!f->progress)
		return;
	pthread_mutex_lock(&f->lock);
	el = r->t_end - r->t_start;
	switch (r->status) {
	case RS_COMPLETE:
		if (r->run_events == r->ck->events &&
		    r->run_pages == r->ck->pages)
			snprintf(line, sizeof(line), PROG ": %s: complete: %"
			    PRIu64 " events, %" PRIu64 " pages in %.1f s "
			    "(%.1f events/s)", r->name, r->ck->events,
			    r->ck->pages, el, el > 0 ? r->run_events / el :
			    0.0);
		else
			snprintf(line, sizeof(line), PROG ": %s: complete: %"
			    PRIu64 " events, %" PRIu64 " pages (%" PRIu64
			    " events, %" PRIu64 " pages in this run, %.1f s, "
			    "%.1f events/s)", r->name, r->ck->events,
			    r->ck->pages, r->run_events, r->run_pages, el,
			    el > 0 ? r->run_events / el : 0.0);
		break;
	case RS_FAILED:
		snprintf(line, sizeof(line), PROG ": %s: failed after %"
		    PRIu64 " events: %s", r->name, r->ck->events,
		    r->err.code[0] ? r->err.code : "error");
		break;
	default:
		snprintf(line, sizeof(line), PROG ": %s: interrupted after %"
		    PRIu64 " events, %" PRIu64 " pages", r->name,
		    r->ck->events, r->ck->pages);
		break;
	}
	pthread_mutex_unlock(&f->lock);
	msg(f, "%s", line);
}
