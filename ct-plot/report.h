/*
 * report.h - the report page, index.html, of a ct-plot run.
 *
 * plot.c walks the summary and renders the charts; the page that lists
 * them is a separate concept (HTML escaping, the Content-Security-Policy,
 * the metadata table) and lives here.  It only reads what the walk
 * gathered: the charts' titles and file names per section.
 */
#ifndef CT_PLOT_REPORT_H
#define CT_PLOT_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "summary.h"

/* Titles as the Python tool writes them, by section. */
extern const char *const plot_sec_title[CT_SECTIONS];

struct report_entry {			/* one chart */
	char		*title;
	char		*href;		/* relative to the output folder */
};

struct report {
	const struct ct_summary		*s;
	const char			*name;	/* the input's name */
	int				 width, height;	/* of the charts */
	const struct report_entry	*ent[CT_SECTIONS]; /* [0]: summary */
	size_t				 nent[CT_SECTIONS];
};

/* Write the page for arg (a struct report) to fp; 0, or -1 with err. */
int	report_fill(FILE *fp, void *arg, struct ct_buf *err);

#endif
