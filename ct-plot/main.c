/*
 * ct-plot - chart an account-activity summary as PNG bar charts.
 *
 * ct-plot [-f] [-o DIR] [--top N] [--width W] [--height H] SUMMARY.json...
 *
 * For each input: read the summary (ours or the Python tool's, plain or
 * gzip), then for each non-empty section write a summary chart into the
 * output folder and one chart per category into a subfolder named after
 * the section, and index.html, the report: the summary's metadata and
 * statistics, then the charts.  The charts are those
 * of the Python tool (same titles, order, cuts and colours); see
 * lib/chart.h for the layout and lib/fsname.h for the file names.
 *
 * Every file is written under a temporary name inside its folder (opened
 * relative to the folder's descriptor, O_EXCL|O_NOFOLLOW) and renamed
 * into place, so a failure or an interrupt leaves no half-written PNG.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cliarg.h"
#include "input.h"
#include "plot.h"
#include "stdfd.h"

static void __attribute__((noreturn))
usage(int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	fprintf(fp,
"usage: ct-plot [-f] [-j N] [-o DIR] [--top N] [--width W] [--height H]\n"
"               SUMMARY.json...\n"
"       ct-plot --help | --version\n");
	if (status == 0)
		fprintf(fp, "\n"
"Chart an account-activity summary (from ct-aggregate or the Python tool\n"
"aws-summarize-account-activity; plain or gzip) as PNG bar charts.\n"
"\n"
"For each section of the summary: a summary chart in the output folder\n"
"(api_calls_by_principal_summary.png, ...) and one chart per principal or\n"
"region in a subfolder named after the section, plus index.html showing\n"
"them all: the report, with the account, window, regions and statistics.\n"
"\n"
"  -o, --output DIR   output folder (default: <input stem>_plots next to\n"
"                     the input; required when reading stdin, '-')\n"
"  -f, --force        write into an existing, non-empty output folder\n"
"      --top N        at most N bars per chart, then a \"[...]\" row\n"
"                     (default %d)\n"
"      --width W      chart width in pixels (default %d, %d..%d)\n"
"      --height H     chart height in pixels (default %d, %d..%d)\n"
"  -j, --jobs N       render with N threads (default: the number of CPUs)\n"
"  -h, --help         show this help\n"
"      --version      show the version\n"
"\n"
"Font: DejaVu Sans (fonts-dejavu-core), or the .ttf file named by CT_FONT;\n"
"characters it lacks (CJK, emoji) from fonts fontconfig finds.\n"
"Exit status: 0 done (also: nothing to chart), 1 no input could be\n"
"charted, 2 bad command line, 3 some inputs charted, others not.\n",
		    PLOT_TOP_DEFAULT, PLOT_W_DEFAULT, CT_CHART_MIN_W,
		    CT_CHART_MAX_W, PLOT_H_DEFAULT, CT_CHART_MIN_H,
		    CT_CHART_MAX_H);
	if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "ct-plot: write error: %s\n", strerror(errno));
		exit(CT_EXIT_FAILURE);
	}
	exit(status);
}

static long
number(const char *opt, const char *s, long min, long max)
{
	char why[CT_ARG_WHY];
	long long v;

	if (ct_arg_int(opt, s, min, max, &v, why) != 0) {
		fprintf(stderr, "ct-plot: %s\n", why);
		usage(CT_EXIT_USAGE);
	}
	return (long)v;
}

/* "<dir>/<stem>_plots" for an input path. */
static char *
default_outdir(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 :
	    path;
	size_t n = strlen(base), dn = slash ? (size_t)(slash - path) + 1 : 0;
	struct ct_buf b;

	if (n > 8 && strcmp(base + n - 8, ".json.gz") == 0)
		n -= 8;
	else if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	else if (n > 3 && strcmp(base + n - 3, ".gz") == 0)
		n -= 3;
	ct_buf_init(&b, 0);
	ct_buf_add(&b, path, dn);
	ct_buf_add(&b, base, n);
	ct_buf_adds(&b, "_plots");
	return b.data;
}

static void
on_signal(int sig)
{
	if (plot_busy) {
		plot_stop = sig;	/* plot_summary stops cleanly */
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output",	required_argument, NULL, 'o' },
		{ "force",	no_argument,	   NULL, 'f' },
		{ "top",	required_argument, NULL, 'T' },
		{ "width",	required_argument, NULL, 'W' },
		{ "height",	required_argument, NULL, 'H' },
		{ "jobs",	required_argument, NULL, 'j' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct plot_opts po;
	const char *outdir = NULL;
	int ch, i, status = CT_EXIT_OK, charted = 0;
	struct ct_buf err;
	long ncpu;

	if (ct_stdfd_fix() != 0)	/* a closed 0/1/2: see stdfd.h */
		return CT_EXIT_FAILURE;
	memset(&po, 0, sizeof(po));
	po.top = PLOT_TOP_DEFAULT;
	po.width = PLOT_W_DEFAULT;
	po.height = PLOT_H_DEFAULT;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	po.jobs = ncpu < 1 ? 1 : ncpu > 16 ? 16 : (int)ncpu;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":fj:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outdir = optarg;
			break;
		case 'f':
			po.force = 1;
			break;
		case 'T':
			po.top = (size_t)number("--top", optarg, 1,
			    PLOT_TOP_MAX);
			break;
		case 'W':
			po.width = (int)number("--width", optarg,
			    CT_CHART_MIN_W, CT_CHART_MAX_W);
			break;
		case 'H':
			po.height = (int)number("--height", optarg,
			    CT_CHART_MIN_H, CT_CHART_MAX_H);
			break;
		case 'j':
			po.jobs = (int)number("--jobs", optarg, 1, 64);
			break;
		case 'h':
			usage(CT_EXIT_OK);
		case 'V':
			printf("ct-plot (ct-tools) %s\n", CT_VERSION);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr, "ct-plot: write error: %s\n",
				    strerror(errno));
				return CT_EXIT_FAILURE;
			}
			return CT_EXIT_OK;
		case ':':
			fprintf(stderr, "ct-plot: %s needs an argument\n",
			    argv[optind - 1]);
			usage(CT_EXIT_USAGE);
		default:
			if (optopt != 0)
				fprintf(stderr, "ct-plot: unknown option -%c\n",
				    optopt);
			else
				fprintf(stderr, "ct-plot: unknown option %s\n",
				    argv[optind - 1]);
			usage(CT_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "ct-plot: no summary file given\n");
		usage(CT_EXIT_USAGE);
	}
	if (outdir != NULL && argc > 1) {
		fprintf(stderr, "ct-plot: -o takes one input at a time\n");
		usage(CT_EXIT_USAGE);
	}
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && outdir == NULL) {
			fprintf(stderr, "ct-plot: reading stdin needs -o DIR\n");
			usage(CT_EXIT_USAGE);
		}
	if (po.top + 1 > ct_chart_max_rows(po.width, po.height)) {
		fprintf(stderr, "ct-plot: --top %zu does not fit in charts %d "
		    "pixels high\n", po.top, po.height);
		usage(CT_EXIT_USAGE);
	}
	if (outdir != NULL && *outdir == '\0') {
		fprintf(stderr, "ct-plot: -o: empty folder name\n");
		usage(CT_EXIT_USAGE);
	}

	ct_buf_init(&err, 4096);
	/* Fail early, before reading anything, if there is no font. */
	if ((po.font = ct_font_open(NULL, &err)) == NULL) {
		fprintf(stderr, "ct-plot: %s\n", err.data);
		ct_buf_free(&err);
		return CT_EXIT_FAILURE;
	}
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}

	for (i = 0; i < argc; i++) {
		struct ct_summary *s = ct_summary_new();
		struct ct_buf text;
		char *dir = outdir ? xstrdup(outdir) : default_outdir(argv[i]);
		const char *name = strcmp(argv[i], "-") == 0 ? "<stdin>" :
		    argv[i];
		long rc;
		int rd = 0;

		ct_buf_init(&text, PLOT_INPUT_MAX);
		ct_buf_reset(&err);
		if (ct_input_slurp(argv[i], &text, &err) != 0 ||
		    (rd = ct_summary_read(s, text.data ? text.data : "",
		    text.len, &err)) != 0) {
			fprintf(stderr, "ct-plot: %s: %s%s\n", name, err.data,
			    rd == -2 ? ": ct-aggregate makes a summary of them "
			    "(ct-aggregate FILE | ct-plot -)" : "");
			status = CT_EXIT_FAILURE;
		} else if ((rc = plot_summary(&po, s, name, dir, &err)) < 0) {
			fprintf(stderr, "ct-plot: %s\n", err.data);
			status = CT_EXIT_FAILURE;
		} else if (rc == 0) {
			charted++;
			fprintf(stderr, "ct-plot: %s: no API calls in summary\n",
			    name);
		} else {
			charted++;
			if (isatty(STDERR_FILENO))
				fprintf(stderr, "ct-plot: %s: %ld charts in %s/\n",
				    name, rc, dir);
		}
		ct_buf_free(&text);
		ct_summary_free(s);
		free(dir);
		if (plot_stop) {
			ct_font_free(po.font);
			ct_buf_free(&err);
			signal(plot_stop, SIG_DFL);
			raise(plot_stop);
			return CT_EXIT_FAILURE;
		}
	}
	ct_font_free(po.font);
	ct_buf_free(&err);
	/* As ct-aggregate: 3 when some inputs were done and some were not. */
	if (status == CT_EXIT_FAILURE && charted > 0)
		status = CT_EXIT_PARTIAL;
	return status;
}
