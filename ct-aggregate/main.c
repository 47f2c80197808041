/*
 * ct-aggregate - fold a stream of CloudTrail records into one summary.
 *
 * main reads the options, hands the inputs (inputlist.h: directories
 * walked, sorted) to the reading engine (read.h), prints what it says
 * about them, then writes the summary to stdout or atomically to -o FILE.
 * With --merge the inputs are summaries instead.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "awserr.h"
#include "cliarg.h"
#include "exitcodes.h"
#include "stdfd.h"
#include "input.h"
#include "inputlist.h"
#include "read.h"
#include "strmap.h"
#include "summary.h"
#include "treeverify.h"
#include "verify.h"
#include "xalloc.h"

#ifndef CT_VERSION
#define CT_VERSION "0"
#endif

#define PROG	"ct-aggregate"

/* Messages shown in full per kind; the rest are counted. */
#define SHOW_MAX	CT_READ_KEEP

struct agg_opts {
	struct ct_fold_opts fold;
	int		 strict;
	int		 quiet;
	int		 jobs;
	/* 0: the engine's defaults; set by the test build only */
	size_t		 chunk;		/* bytes per chunk of a large input */
	size_t		 max_value;	/* longest value looked at */
};

#define MERGE_MAX	((size_t)1 << 30)
/* Distinct (section, category, key) entries above which the summary is
 * suspicious (a unique value in a keyed field?) and worth a warning. */
#define KEYS_WARN	((size_t)1000000)

/*
 * path as messages show it: "(standard input)" for "-", else made safe
 * for a terminal (ct_awserr_clean): names met walking a directory, S3
 * keys among them, are anyone's choice.  A static buffer.
 */
static const char *
agg_show_name(const char *path)
{
	static char shown[4 * 4096];

	if (strcmp(path, "-") == 0)
		return "(standard input)";
	ct_awserr_clean(shown, sizeof(shown), path, strlen(path));
	return shown;
}

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: %s [-q] [-j N] [-o FILE] [--activity-type ALL|SUCCESSFUL|FAILED]\n"
"           [--skip-unsuccessful-api-calls] [--start TIME] [--end TIME]\n"
"           [--past-hours N] [--dedup] [--strict]\n"
"           [--verify [--signatures FILE --public-keys FILE]] [FILE|DIR|-]...\n"
"       %s --merge [-o FILE] [--strict] SUMMARY...\n", PROG, PROG);
	if (status == 0)
		fprintf(f,
"\n"
"Reads CloudTrail records (NDJSON, S3 log files, lookup-events output,\n"
"ct-fetch streams; gzip or not) from the files, directories (walked for\n"
"*.json, *.jsonl, *.ndjson and their .gz) or standard input, and writes one\n"
"summary JSON to standard output.\n"
"\n"
"  --activity-type T     ALL (default), SUCCESSFUL or FAILED calls only\n"
"  --skip-unsuccessful-api-calls   same as --activity-type SUCCESSFUL\n"
"  --start TIME, --end TIME        keep records whose eventTime is in the\n"
"                        window (2026-11-14T19:00:00Z, 2026-11-14,\n"
"                        20261114190000, epoch seconds or @EPOCH)\n"
"  --past-hours N        the window is the last N hours (1..876600)\n"
"  --dedup               count each eventID once\n"
"  --merge               the inputs are summaries: add them up\n"
"  -o, --output FILE     write there (atomically) instead of stdout\n"
"  --strict              stop at the first bad input: exit 1, no summary\n"
"  --verify              check the log files of the DIRs (synced trails)\n"
"                        against their CloudTrail-Digest files, chain by\n"
"                        hash; modified files are not counted\n"
"  --signatures FILE     digest signatures, lines KEY<TAB>HEX[<TAB>ALG]\n"
"  --public-keys FILE    aws cloudtrail list-public-keys output: with\n"
"                        --signatures, signatures are checked too\n"
"  -j, --jobs N          threads (default: the number of CPUs)\n"
"  -q, --quiet           no warnings about skipped records\n"
"  -h, --help, --version\n"
"\n"
"Exit status: 0 done, 1 failure (or no input could be read: nothing\n"
"written), 2 usage, 3 summary written but some input was bad or skipped\n"
"(or a count held at 2^53), 7 --verify found modified, missing or\n"
"not-covered log files or bad digests (summary written); 128+N ended by\n"
"signal N.\n");
	if (status == 0 && (fflush(f) != 0 || ferror(f))) {
		fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
		status = CT_EXIT_FAILURE;
	}
	exit(status);
}

static void __attribute__((noreturn))
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", PROG);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(CT_EXIT_USAGE);
}

/* A bad option value: the reason (cliarg.h), then the usage. */
static void __attribute__((noreturn))
bad_value(const char *why)
{
	usage_error("%s", why);
}

/* ---- output -------------------------------------------------------------- */

/* Shell-quote argv, as Python's shlex.quote does each word. */
static char *
invocation(int argc, char **argv)
{
	struct ct_buf b;
	const char *s;
	int i;

	ct_buf_init(&b, 0);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			ct_buf_addc(&b, ' ');
		s = argv[i];
		if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./-_") ==
		    strlen(s)) {
			ct_buf_adds(&b, s);
			continue;
		}
		ct_buf_addc(&b, '\'');
		for (; *s; s++) {
			if (*s == '\'')
				ct_buf_adds(&b, "'\"'\"'");
			else
				ct_buf_addc(&b, *s);
		}
		ct_buf_addc(&b, '\'');
	}
	if (b.data == NULL)
		ct_buf_adds(&b, "");
	return b.data;
}

/* Write s to a path that is not a regular file (/dev/null, a FIFO, a
 * terminal): in place, since renaming over it would replace the device
 * node with a file (as root). */
static int
write_special(const struct ct_summary *s, const char *path)
{
	FILE *f;
	int e;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", PROG,
		    agg_show_name(path), strerror(errno));
		return -1;
	}
	if (ct_summary_write(s, f) < 0 || fflush(f) != 0) {
		e = errno;
		fclose(f);
		fprintf(stderr, "%s: %s: %s\n", PROG,
		    agg_show_name(path), strerror(e));
		return -1;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG,
		    agg_show_name(path), strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * -o FILE is written atomically (atomicfile.h): a temporary file beside it
 * (FILE.XXXXXX), made before any input is read (a place that cannot be
 * written fails at once, not after an hour of reading), then written,
 * fsynced and renamed over FILE.  SIGINT, SIGTERM and SIGHUP remove it and
 * exit 128+N, and so does exit() (ct_afile_guard).  (Out of memory ends
 * with _exit in xalloc.c: the file stays, as after SIGKILL.)
 */
static struct ct_afile out_file;
static int out_open;

/* Remove the temporary file (nothing to write, or a failure). */
static void
out_discard(void)
{
	if (out_open)
		ct_afile_discard(&out_file);
	out_open = 0;
}

/* Make path's temporary file; -1 with a message if it cannot be made.  A
 * path that is not a regular file (/dev/null, a FIFO) needs none. */
static int
out_prepare(const char *path)
{
	size_t n = strlen(path) + 8;
	struct ct_buf err;
	struct stat st;
	char *tmp;
	int rc;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode))
		return 0;
	tmp = xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", path);
	ct_buf_init(&err, 0);
	rc = ct_afile_open(&out_file, AT_FDCWD, path, tmp, 0666,
	    CT_AFILE_SYNC, &err);
	free(tmp);
	if (rc != 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, agg_show_name(path),
		    strerror(errno));
		ct_buf_free(&err);
		return -1;
	}
	ct_buf_free(&err);
	out_open = 1;
	ct_afile_guard(&out_file);
	return 0;
}

/* Write s to path through the temporary file out_prepare made. */
static int
write_file(const struct ct_summary *s, const char *path)
{
	struct ct_buf err;
	FILE *f;
	int e;

	if (!out_open)
		return write_special(s, path);
	ct_buf_init(&err, 0);
	out_open = 0;
	if ((f = ct_afile_stream(&out_file, &err)) == NULL) {
		e = errno;
		ct_afile_discard(&out_file);
		goto fail;
	}
	if (ct_summary_write(s, f) < 0) {
		e = errno;
		ct_afile_discard(&out_file);
		goto fail;
	}
	if (ct_afile_commit(&out_file, &err) != 0) {
		e = errno;
		goto fail;
	}
	ct_buf_free(&err);
	return 0;
fail:
	ct_buf_free(&err);
	fprintf(stderr, "%s: %s: %s\n", PROG, agg_show_name(path),
	    strerror(e));
	return -1;
}

static int
write_out(const struct ct_summary *s, const char *path)
{
	if (path != NULL)
		return write_file(s, path);
	if (ct_summary_write(s, stdout) < 0 || fflush(stdout) != 0) {
		if (errno == EPIPE)
			exit(CT_EXIT_FAILURE);
		fprintf(stderr, "%s: standard output: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------- */

/* Messages printed so far, per kind (the rest is counted at the end from
 * the statistics). */
static uint64_t shown[CT_READ_NKIND];
static int warned_control;
/* Integrity messages said (each bad object is named once). */
static struct ct_strmap *said_tampered;

/* The engine's messages, in input order: the first SHOW_MAX of each kind
 * (every cut ct-fetch stream; every object that failed integrity
 * verification, once however many streams report it; the unknown-control
 * warning once; skipped records not with -q). */
static void
say(void *arg, const struct ct_read_msg *m)
{
	const struct agg_opts *o = arg;

	if (m->kind == CT_READ_WARN) {
		if (!warned_control && !o->quiet)
			fprintf(stderr, "%s: %s: %s\n", PROG,
			    agg_show_name(m->path), m->text);
		warned_control = 1;
		return;
	}
	if (m->kind == CT_READ_TAMPERED) {
		int added;

		if (said_tampered == NULL)
			said_tampered = ct_strmap_new(NULL);
		ct_strmap_insert(said_tampered, m->text, strlen(m->text),
		    &added);
		if (!added)
			return;
	}
	if ((shown[m->kind] >= SHOW_MAX && m->kind != CT_READ_CUT &&
	    m->kind != CT_READ_TAMPERED) ||
	    (o->quiet && m->kind == CT_READ_SKIPPED))
		return;
	shown[m->kind]++;
	if (m->line > 0 && m->line2 > 0)
		fprintf(stderr, "%s: %s:%" PRIu64 ": %s (at line %" PRIu64
		    ")\n", PROG, agg_show_name(m->path), m->line, m->text,
		    m->line2);
	else if (m->line > 0)
		fprintf(stderr, "%s: %s:%" PRIu64 ": %s\n", PROG,
		    agg_show_name(m->path), m->line, m->text);
	else
		fprintf(stderr, "%s: %s: %s\n", PROG, agg_show_name(m->path),
		    m->text);
}

/*
 * Read every input into out (initialised with o->fold), messages to
 * stderr as the engine commits them.  Returns 0 when everything was read
 * cleanly, 3 (CT_EXIT_PARTIAL) when some input was bad or skipped, 1 when
 * --strict stopped at bad input or a thread could not start.
 */
static int
read_inputs(const struct agg_opts *o, struct ct_inputlist *in,
    struct ct_fold *out)
{
	struct ct_read_opts ro;
	const struct ct_meta *m = &out->sum->meta;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.fold = o->fold;
	ro.strict = o->strict;
	ro.jobs = o->jobs;
	ro.chunk = o->chunk;
	ro.max_value = o->max_value;
	ro.msg = say;
	ro.msg_arg = (void *)o;
	rc = ct_read_run(&ro, in, out);
	if (rc == CT_READ_NOTHREAD)
		fprintf(stderr, "%s: cannot start a thread\n", PROG);
	if (rc != CT_READ_OK)
		return CT_EXIT_FAILURE;
	if (m->values_malformed > shown[CT_READ_MALFORMED])
		fprintf(stderr, "%s: %" PRIu64 " more malformed inputs not shown\n",
		    PROG, m->values_malformed - shown[CT_READ_MALFORMED]);
	if (m->records_skipped > shown[CT_READ_SKIPPED] && !o->quiet)
		fprintf(stderr, "%s: %" PRIu64 " more skipped values not shown\n",
		    PROG, m->records_skipped - shown[CT_READ_SKIPPED]);
	if (m->inputs_skipped > shown[CT_READ_PASSED])
		fprintf(stderr, "%s: %" PRIu64 " more passed-over inputs not "
		    "shown\n", PROG, m->inputs_skipped - shown[CT_READ_PASSED]);
	if (m->values_malformed > 0 || m->records_skipped > 0 ||
	    m->inputs_skipped > 0)
		return CT_EXIT_PARTIAL;
	return CT_EXIT_OK;
}

/* The closing line when integrity verification found problems. */
static void
say_tampered(const struct ct_intsum *s)
{
	fprintf(stderr, "%s: integrity verification found problems: log files "
	    "%" PRIu64 " modified, %" PRIu64 " missing, %" PRIu64 " not "
	    "covered; digests %" PRIu64 " with a bad signature, %" PRIu64
	    " missing, %" PRIu64 " unreadable; %" PRIu64 " records not "
	    "counted (see _metadata.integrity)\n", PROG,
	    s->log[CT_INTSUM_LOG_MODIFIED], s->log[CT_INTSUM_LOG_MISSING],
	    s->log[CT_INTSUM_LOG_NOT_COVERED],
	    s->digest[CT_INTSUM_DIG_INVALID_SIGNATURE],
	    s->digest[CT_INTSUM_DIG_MISSING],
	    s->digest[CT_INTSUM_DIG_UNREADABLE], s->records_excluded);
}

/* ---- --merge ------------------------------------------------------------- */

static int
merge_inputs(const struct agg_opts *o, struct ct_inputlist *in,
    struct ct_summary *dst)
{
	struct ct_buf text, err;
	struct ct_input *inp;
	const char *path, *why;
	ssize_t r;
	int bad = 0, kind, read = 0, passed = 0;

	ct_buf_init(&text, MERGE_MAX);
	ct_buf_init(&err, 4096);
	while ((kind = ct_inputlist_next(in, &path, &why)) != 0) {
		const char *name = agg_show_name(path);

		if (kind != CT_INPUTLIST_FILE)
			fprintf(stderr, "%s: %s: %s\n", PROG, name, why);
		if (kind == CT_INPUTLIST_SKIP) {
			passed++;
			dst->meta.inputs_skipped++;
			continue;
		}
		if (kind == CT_INPUTLIST_BAD)
			goto bad;
		ct_buf_reset(&text);
		if ((inp = ct_input_open(path, &err)) == NULL) {
			fprintf(stderr, "%s: %s: %s\n", PROG, name, err.data);
			goto bad;
		}
		for (;;) {
			if (ct_buf_reserve(&text, 1 << 20) < 0) {
				ct_buf_reset(&err);
				ct_buf_adds(&err, "summary larger than 1 GiB");
				r = -1;
				break;
			}
			r = ct_input_read(inp, text.data + text.len, 1 << 20,
			    &err);
			if (r <= 0)
				break;
			text.len += (size_t)r;
		}
		ct_input_close(inp);
		if (r < 0) {
			fprintf(stderr, "%s: %s: %s\n", PROG, name, err.data);
			goto bad;
		}
		if ((r = ct_summary_read(dst, text.data ? text.data : "",
		    text.len, &err)) < 0) {
			fprintf(stderr, "%s: %s: %s%s%s\n", PROG, name,
			    r == -2 ? "" : "not a summary: ",
			    err.data ? err.data : "", r == -2 ? ": --merge "
			    "adds up summaries, events are read without it" :
			    "");
			goto bad;
		}
		dst->meta.files_read++;
		read++;
		continue;
bad:
		bad++;
		dst->meta.values_malformed++;
		if (o->strict)
			break;
	}
	ct_buf_free(&text);
	ct_buf_free(&err);
	if (bad && o->strict)
		return CT_EXIT_FAILURE;
	if (read == 0 && bad > 0) {
		fprintf(stderr, "%s: no summary could be read: nothing "
		    "written\n", PROG);
		return CT_EXIT_FAILURE;
	}
	if (ct_summary_saturated(dst) > 0)
		fprintf(stderr, "%s: %" PRIu64 " sums went above 2^53 and are held "
		    "there (the largest count a summary keeps exactly)\n", PROG,
		    ct_summary_saturated(dst));
	return bad || passed || ct_summary_saturated(dst) > 0 ?
	    CT_EXIT_PARTIAL : CT_EXIT_OK;
}

/* ---- main ---------------------------------------------------------------- */

enum {
	OPT_ACTIVITY = 256, OPT_SKIPFAIL, OPT_START, OPT_END, OPT_PAST,
	OPT_DEDUP, OPT_MERGE, OPT_STRICT, OPT_HELP, OPT_VERSION, OPT_CHUNK,
	OPT_MAXVAL,	/* test build only */
	OPT_VERIFY, OPT_SIGNATURES, OPT_PUBKEYS
};

static const struct option longopts[] = {
	{ "activity-type", required_argument, NULL, OPT_ACTIVITY },
	{ "skip-unsuccessful-api-calls", no_argument, NULL, OPT_SKIPFAIL },
	{ "start", required_argument, NULL, OPT_START },
	{ "end", required_argument, NULL, OPT_END },
	{ "past-hours", required_argument, NULL, OPT_PAST },
	{ "dedup", no_argument, NULL, OPT_DEDUP },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "signatures", required_argument, NULL, OPT_SIGNATURES },
	{ "public-keys", required_argument, NULL, OPT_PUBKEYS },
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
#ifdef CT_TEST_HOOKS
	/* the test build ($(OUT)/test-bin, never installed): chunk size
	 * and value cap in bytes, for tests that reach every path */
	{ "chunk-size", required_argument, NULL, OPT_CHUNK },
	{ "max-value", required_argument, NULL, OPT_MAXVAL },
#endif
	{ NULL, 0, NULL, 0 },
};

/* The whole number s given to option opt, from lo to hi, or exit 2. */
static long long
number(const char *opt, const char *s, long long lo, long long hi)
{
	char why[CT_ARG_WHY];
	long long v;

	if (ct_arg_int(opt, s, lo, hi, &v, why) != 0)
		bad_value(why);
	return v;
}

int
main(int argc, char **argv)
{
	struct agg_opts o;
	struct ct_inputlist *in;
	struct ct_fold fold;
	struct ct_summary *sum;
	const char *outpath = NULL;
	char why[CT_ARG_WHY];
	int c, merge = 0, past = -1, rc, verify = 0;
	const char *sigpath = NULL, *keypath = NULL;
	struct ct_treeverify tv;
	long cpus;
	int64_t now = (int64_t)time(NULL);

	if (ct_stdfd_fix() != 0)	/* a closed 0/1/2: see stdfd.h */
		return CT_EXIT_FAILURE;
	/* a reader that went away is EPIPE, ended quietly in write_out */
	signal(SIGPIPE, SIG_IGN);
	memset(&o, 0, sizeof(o));
	o.fold.activity = CT_ACTIVITY_ALL;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = cpus > 0 ? (cpus > 64 ? 64 : (int)cpus) : 1;
	/* getopt names the program in its messages, not the path. */
	argv[0] = (char *)"ct-aggregate";
	while ((c = getopt_long(argc, argv, "o:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ACTIVITY:
			if (strcmp(optarg, "ALL") == 0)
				o.fold.activity = CT_ACTIVITY_ALL;
			else if (strcmp(optarg, "SUCCESSFUL") == 0)
				o.fold.activity = CT_ACTIVITY_SUCCESSFUL;
			else if (strcmp(optarg, "FAILED") == 0)
				o.fold.activity = CT_ACTIVITY_FAILED;
			else
				usage_error("bad --activity-type: %s "
				    "(ALL, SUCCESSFUL or FAILED)", optarg);
			break;
		case OPT_SKIPFAIL:
			o.fold.activity = CT_ACTIVITY_SUCCESSFUL;
			break;
		case OPT_START:
			if (ct_arg_time("--start", optarg, &o.fold.start,
			    why) != 0)
				bad_value(why);
			o.fold.have_start = 1;
			break;
		case OPT_END:
			if (ct_arg_time("--end", optarg, &o.fold.end,
			    why) != 0)
				bad_value(why);
			o.fold.have_end = 1;
			break;
		case OPT_PAST:
			if (ct_arg_hours("--past-hours", optarg, &past,
			    why) != 0)
				bad_value(why);
			break;
		case OPT_DEDUP:
			o.fold.dedup = 1;
			break;
		case OPT_MERGE:
			merge = 1;
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_VERIFY:
			verify = 1;
			break;
		case OPT_SIGNATURES:
			sigpath = optarg;
			break;
		case OPT_PUBKEYS:
			keypath = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'j':
			o.jobs = (int)number("--jobs", optarg, 1, 256);
			break;
		case 'q':
			o.quiet = 1;
			break;
#ifdef CT_TEST_HOOKS
		case OPT_CHUNK:
			o.chunk = (size_t)number("--chunk-size", optarg,
			    1, (long long)1 << 40);
			break;
		case OPT_MAXVAL:
			o.max_value = (size_t)number("--max-value",
			    optarg, 1, (long long)1 << 40);
			break;
#endif
		case 'h':
		case OPT_HELP:
			usage(0);
		case OPT_VERSION:
			printf("%s (ct-tools) %s\n", PROG, CT_VERSION);
			if (fflush(stdout) == 0 && !ferror(stdout))
				return CT_EXIT_OK;
			fprintf(stderr, "%s: write error: %s\n", PROG,
			    strerror(errno));
			return CT_EXIT_FAILURE;
		default:
			usage(CT_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (past >= 0) {
		if (o.fold.have_start || o.fold.have_end)
			usage_error("%s", "--past-hours excludes --start/--end");
		o.fold.have_start = o.fold.have_end = 1;
		o.fold.start = now - (int64_t)past * 3600;
		o.fold.end = now;
	}
	if (o.fold.have_start && o.fold.have_end && o.fold.start > o.fold.end)
		usage_error("%s", "--start is after --end");
	if (merge && (o.fold.have_start || o.fold.have_end || o.fold.dedup ||
	    o.fold.activity != CT_ACTIVITY_ALL))
		usage_error("%s", "--merge takes no record options");
	if ((sigpath != NULL || keypath != NULL) && !verify)
		usage_error("%s", "--signatures and --public-keys go with "
		    "--verify");
	if ((sigpath == NULL) != (keypath == NULL))
		usage_error("%s", "--signatures and --public-keys go together");
	if (verify && merge)
		usage_error("%s", "--merge reads summaries: nothing to verify");
	/* No input named and a terminal for stdin: a forgotten argument, not
	 * records about to be typed (ct-fetch refuses the same way); "-"
	 * reads the terminal all the same. */
	if (argc == 0 && isatty(STDIN_FILENO))
		usage_error("%s", "no input given and standard input is a "
		    "terminal (give FILE, DIR, or - to read it)");

	if (outpath != NULL && out_prepare(outpath) < 0)
		return CT_EXIT_FAILURE;
	memset(&tv, 0, sizeof(tv));
	if (verify && agg_verify_trees(argc, argv, sigpath, keypath, &tv) != 0) {
		out_discard();
		return CT_EXIT_FAILURE;
	}
	in = ct_inputlist_new(argc, argv);
	if (verify)
		ct_inputlist_exclude(in, tv.excluded);
	ct_fold_init(&fold, &o.fold);
	if (merge) {
		/* A fresh summary: the inputs' activity types decide its own. */
		ct_summary_free(fold.sum);
		fold.sum = ct_summary_new();
		rc = merge_inputs(&o, in, fold.sum);
		sum = fold.sum;
	} else {
		rc = read_inputs(&o, in, &fold);
		if (verify)
			agg_fold_verdicts(&fold, &tv);
		ct_fold_finish(&fold, now);
		sum = fold.sum;
		/* every input missing or unreadable: keep -o FILE as it is */
		if (rc != CT_EXIT_FAILURE && sum->meta.files_read == 0 &&
		    sum->meta.values_malformed > 0) {
			fprintf(stderr, "%s: no input could be read: nothing "
			    "written\n", PROG);
			rc = CT_EXIT_FAILURE;
		}
	}
	if (ct_summary_size(sum) > KEYS_WARN)
		fprintf(stderr, "%s: warning: the summary holds %zu distinct "
		    "keys (more than %zu): memory and charts grow with them\n",
		    PROG, ct_summary_size(sum), KEYS_WARN);
	free(sum->meta.invocation);
	sum->meta.invocation = invocation(argc + optind, argv - optind);
	if (rc != CT_EXIT_FAILURE) {
		if (write_out(sum, outpath) < 0)
			rc = CT_EXIT_FAILURE;
		else if (rc == CT_EXIT_OK && sum->meta.regions_failed != NULL &&
		    ct_strmap_count(sum->meta.regions_failed) > 0)
			rc = CT_EXIT_PARTIAL;
		if (rc != CT_EXIT_FAILURE &&
		    ct_intsum_tampered(sum->meta.integrity)) {
			say_tampered(sum->meta.integrity);
			rc = CT_EXIT_TAMPERED;
		} else if (verify && tv.bad > 0 && rc != CT_EXIT_FAILURE)
			rc = CT_EXIT_TAMPERED;
	}
	ct_treeverify_free(&tv);
	out_discard();
	ct_strmap_free(said_tampered);
	ct_fold_free(&fold);
	ct_inputlist_free(in);
	if (fclose(stdout) != 0 && rc != CT_EXIT_FAILURE && outpath == NULL) {
		fprintf(stderr, "%s: standard output: %s\n", PROG,
		    strerror(errno));
		rc = CT_EXIT_FAILURE;
	}
	return rc;
}
