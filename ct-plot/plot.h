/*
 * plot.h - ct-plot's chart set: one summary to a folder of PNGs.
 *
 * main.c parses options and reads inputs; plot.c walks the summary's
 * sections, names and renders the charts (on a small pool of threads,
 * each with its own font and glyph cache) and writes index.html.
 */
#ifndef CT_PLOT_H
#define CT_PLOT_H

#include <signal.h>
#include <stddef.h>

#include "buf.h"
#include "chart.h"
#include "exitcodes.h"
#include "font.h"
#include "summary.h"
#include "xalloc.h"

#define PLOT_TOP_DEFAULT	40
#define PLOT_TOP_MAX		1000
#define PLOT_W_DEFAULT		1600
#define PLOT_H_DEFAULT		800
#define PLOT_INPUT_MAX		((size_t)1 << 30)	/* 1 GiB of JSON */

struct plot_opts {
	size_t		 top;
	int		 width, height;
	int		 force;
	int		 jobs;		/* rendering threads */
	struct ct_font	*font;		/* the main thread's font */
};

/*
 * Chart summary s (read from the input called name, for index.html) into
 * the folder dir, created if needed.  Returns the number of charts written
 * (0: nothing to chart, nothing created), or -1 with a one-line reason in
 * err (which names the file or folder concerned); no temporary file is
 * left behind either way.
 */
long	plot_summary(const struct plot_opts *po, const struct ct_summary *s,
	    const char *name, const char *dir, struct ct_buf *err);

/*
 * Signals: while plot_summary runs, plot_busy is set, and the handler only
 * sets plot_stop (to the signal number).  The charts being written are
 * then finished (or their temporary files removed), no new one begins, and
 * plot_summary returns -1 ("interrupted"), after which main re-raises the
 * signal.  So an interrupt never leaves a temporary or half-written file.
 */
extern volatile sig_atomic_t plot_busy, plot_stop;

#endif
