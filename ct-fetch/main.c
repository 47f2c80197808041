/*
 * ct-fetch - stream the raw CloudTrail events of a time window.
 *
 * One LookupEvents walk per region, all regions at once (one thread each),
 * each paced at its own --rate so that ct-fetch never causes a throttle,
 * each page written as whole lines (the CloudTrailEvent JSON of each event)
 * among control records that say who fetched what and how it ended
 * (ct-fetch(1); control records: ct-summary(5)).  With --checkpoint, a
 * stopped or crashed run continues where it stopped.
 *
 * main reads the command line, fixes the window once, asks STS who we are,
 * reconciles the checkpoint, starts the workers (worker.c) and turns their
 * outcomes into the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cliarg.h"
#include "endpoint.h"
#include "exitcodes.h"
#include "shard.h"
#include "stdfd.h"
#include "fetch.h"
#include "xalloc.h"

#define MAX_REGIONS	256
#define PACE_MARGIN	0.040	/* seconds: network jitter allowance */


static const char usage_text[] =
"usage: ct-fetch [--past-hours N | --start TIME [--end TIME]] [--profile NAME]\n"
"                [--rate R] [--checkpoint FILE] [--throttle-deadline S]\n"
"                [--retries N] [--page-size N] [--progress] [-q]\n"
"                [--endpoint-url URL] [--debug] [--region REGION]... [REGION...]\n"
"       ct-fetch --s3 s3://BUCKET[/PREFIX] | --trail [NAME|ARN]\n"
"                [--account ID]... [--s3-concurrency N] [--verify]\n"
"                [--list-shards [--shard-days N]]\n"
"                [window and other options] [REGION...]\n";

static const char help_text[] =
"Stream the raw CloudTrail events of a time window from LookupEvents, all\n"
"regions at once: one record (the event's CloudTrailEvent JSON) per line on\n"
"stdout, among control records {\"ctFetch\":\"start\"|\"end\",...} that tell\n"
"ct-aggregate the account, caller, window and each region's outcome.\n"
"Regions come as arguments or --region, else from stdin (ct-regions | ct-fetch).\n"
"\n"
"  --past-hours N         the window is the last N hours (default 336; up to\n"
"                         876600, but LookupEvents holds only 90 days)\n"
"  --start TIME           window start; --end TIME its end (default: now)\n"
"                         TIME: 2026-11-14T19:00:00Z, 2026-11-14, +HH:MM zones,\n"
"                         20261114190000, epoch seconds or @EPOCH;\n"
"                         both ends inclusive\n"
"  --profile NAME         AWS profile (AWS_ACCESS_KEY_ID & co then ignored)\n"
"  --rate R               LookupEvents requests per second per region\n"
"                         (default 2, the AWS quota; for raised quotas)\n"
"  --checkpoint FILE      save progress after every page; a rerun with the\n"
"                         same FILE continues where the last run stopped,\n"
"                         with the FILE's window, skipping finished regions\n"
"  --throttle-deadline S  give a region up after S seconds of throttling\n"
"                         without a page (default 1800)\n"
"  --retries N            give a region up after N failed attempts in a row\n"
"                         (errors, resets, timeouts; default 10)\n"
"  --page-size N          events per request, 1..50 (default 50)\n"
"  --region REGION        a region to fetch, as a REGION argument (repeatable;\n"
"                         the first also signs the STS call)\n"
"  --endpoint-url URL     send the CloudTrail and STS calls there (wins over\n"
"                         every other endpoint setting; not credential calls)\n"
"  --s3 s3://BUCKET[/PREFIX]  read the log files the trail wrote to that\n"
"                         bucket instead of LookupEvents (no 90-day limit)\n"
"  --trail [NAME|ARN]     as --s3, with the bucket and prefix of that trail\n"
"                         (DescribeTrails; no NAME: the one trail logging\n"
"                         to S3)\n"
"  --account ID           with --s3: only this account (repeatable; default\n"
"                         every account folder under AWSLogs/)\n"
"  --s3-concurrency N     with --s3: transfers at once (default 32)\n"
"  --list-shards          with --s3: fetch nothing; print one line per\n"
"                         account, region and N days (--shard-days, default\n"
"                         1): \"--account ID --start T --end T REGION\",\n"
"                         for xargs or GNU parallel\n"
"  --verify               with --s3: check the log files against the trail's\n"
"                         signed digests; records of a modified file are not\n"
"                         written; every bad verdict is a control record\n"
"  --debug                each HTTP request and response line, with headers,\n"
"                         on stderr (signatures, keys and tokens masked)\n"
"  --progress             progress on stderr even when it is not a terminal\n"
"  -q, --quiet            no progress, only errors\n"
"  -h, --help, --version\n"
"\n"
"Stops cleanly on SIGINT, SIGTERM, SIGHUP (whole lines only, checkpoint\n"
"saved); ends quietly when stdout is closed (| head).\n"
"Exit status: 0 every region complete (or stdout closed by the reader),\n"
"1 output or checkpoint error, 2 bad usage, 3 some regions failed,\n"
"4/5/6 every region failed for credentials / access denied / network,\n"
"7 --verify found modified, missing or uncovered log files or bad digests,\n"
"128+N stopped by signal N.\n";

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(CT_EXIT_USAGE);
}

/* --debug: one line to stderr, whole (stdio locks the stream per call,
 * so the region threads' lines do not mix). */
static void
debug_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, PROG ": debug: %s\n", line);
}

static void
on_signal(int sig)
{
	fetch_stop = sig;
}

static double
num_arg(const char *opt, const char *s, double lo, double hi)
{
	char why[CT_ARG_WHY];
	double v;

	if (ct_arg_num(opt, s, lo, hi, &v, why) != 0) {
		fprintf(stderr, PROG ": %s\n", why);
		usage();
	}
	return v;
}

/* The end of --help or --version: a failed write (a full disk) is said. */
static int
flush_help(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return CT_EXIT_OK;
	fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
	return CT_EXIT_FAILURE;
}

static int
int_arg(const char *opt, const char *s, int lo, int hi)
{
	char why[CT_ARG_WHY];
	long long v;

	if (ct_arg_int(opt, s, lo, hi, &v, why) != 0) {
		fprintf(stderr, PROG ": %s\n", why);
		usage();
	}
	return (int)v;
}

static void
add_region(struct fetch *f, const char *name)
{
	const char *g;
	size_t i;
	int known;

	if (!ct_endpoint_valid_region(name)) {
		fprintf(stderr, PROG ": \"%s\" is not a region name (like "
		    "eu-west-1)\n", name);
		usage();
	}
	/* Before any call: a mistyped region would be answered with a
	 * credentials error (the keys are unknown to a region that is not). */
	known = ct_endpoint_aws_region(name);
	g = known == 2 ? NULL : ct_endpoint_region_guess(name);
	if (known == 0) {
		fprintf(stderr, PROG ": %s is not an AWS region%s%s%s\n", name,
		    g ? " (did you mean " : "", g ? g : "", g ? "?)" : "");
		usage();
	}
	if (g != NULL && !f->quiet)
		fprintf(stderr, PROG ": note: %s is not a region known to "
		    "ct-fetch (did you mean %s?)\n", name, g);
	for (i = 0; i < f->nregions; i++)
		if (strcmp(f->regions[i].name, name) == 0)
			return;
	if (f->nregions == MAX_REGIONS) {
		fprintf(stderr, PROG ": more than %d regions\n", MAX_REGIONS);
		usage();
	}
	f->regions[f->nregions].fetch = f;
	f->regions[f->nregions++].name = xstrdup(name);
}

/* Region names from stdin, separated by white space. */
static void
read_regions(struct fetch *f)
{
	char word[128];
	int c;
	size_t n = 0;

	for (;;) {
		c = getchar();
		if (c == EOF || c == ' ' || c == '\t' || c == '\n' ||
		    c == '\r') {
			if (n > 0) {
				word[n] = '\0';
				add_region(f, word);
				n = 0;
			}
			if (c == EOF)
				break;
			continue;
		}
		if (n + 1 >= sizeof(word)) {
			fprintf(stderr, PROG ": stdin: a region name longer "
			    "than %zu bytes\n", sizeof(word) - 2);
			exit(CT_EXIT_USAGE);
		}
		word[n++] = (char)c;
	}
}

/* Exit status from the regions' outcomes. */
static int
outcome(struct fetch *f)
{
	size_t i, nfail = 0, nrun = 0;
	enum ct_aws_class cls = CT_AWS_OK;
	int same = 1;

	for (i = 0; i < f->nregions; i++) {
		struct region *r = &f->regions[i];

		if (r->status == RS_SKIPPED)
			continue;
		nrun++;
		if (r->status != RS_FAILED)
			continue;
		if (nfail++ == 0)
			cls = r->err.cls;
		else if (r->err.cls != cls)
			same = 0;
	}
	/* a bad verdict wins over a failed region: what was written is
	 * complete but not what the trail delivered */
	if (f->tampered)
		return CT_EXIT_TAMPERED;
	if (nfail == 0)
		return CT_EXIT_OK;
	if (nfail < nrun)
		return CT_EXIT_PARTIAL;
	if (!same)
		return CT_EXIT_FAILURE;
	if (cls == CT_AWS_THROTTLED || cls == CT_AWS_RETRYABLE)
		return CT_EXIT_NETWORK;
	return ct_awserr_exit(cls);
}

/* A region's shape (eu-west-1, us-gov-east-1): "ab-word[-word]-N". */
static int
region_shaped(const char *s)
{
	size_t n = strlen(s), d = n;

	while (d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9')
		d--;
	return n >= 6 && d < n && d >= 5 && s[d - 1] == '-' &&
	    s[2] == '-' && strspn(s, "abcdefghijklmnopqrstuvwxyz-") == d;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "past-hours", required_argument, NULL, 'H' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'e' },
		{ "profile", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "throttle-deadline", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'R' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "progress", no_argument, NULL, 'g' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "region", required_argument, NULL, 'G' },
		{ "endpoint-url", required_argument, NULL, 'E' },
		{ "debug", no_argument, NULL, 'D' },
		{ "s3", required_argument, NULL, 'S' },
		{ "trail", optional_argument, NULL, 'L' },
		{ "account", required_argument, NULL, 'A' },
		{ "s3-concurrency", required_argument, NULL, 'C' },
		{ "list-shards", no_argument, NULL, 'l' },
		{ "shard-days", required_argument, NULL, 'd' },
		{ "verify", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct fetch F;
	struct fetch *f = &F;
	struct ct_aws_opts o = { .tool = PROG };
	struct ct_aws_error err;
	struct ct_aws *c;
	struct sigaction sa;
#ifdef CT_TEST_HOOKS
	const char *hook;
#endif
	const char *opt_start = NULL, *opt_end = NULL;
	char bad[CT_ARG_WHY];
	int hours = 336;
	int64_t now, start = 0, end = 0;
	int ch, have_hours = 0, want_progress = 0, rc;
	size_t i;

	if (ct_stdfd_fix() != 0)	/* a closed 0/1/2: see stdfd.h */
		return CT_EXIT_FAILURE;
	f->rate = 2;
	f->margin = PACE_MARGIN;
	f->throttle_deadline = 1800;
	f->max_retries = 10;
	f->page_size = 50;
	f->regions = xcalloc(MAX_REGIONS, sizeof(*f->regions));
	/* getopt names the program in its messages, not the path. */
	argv[0] = (char *)"ct-fetch";
	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			if (ct_arg_hours("--past-hours", optarg, &hours,
			    bad) != 0) {
				fprintf(stderr, PROG ": %s\n", bad);
				usage();
			}
			have_hours = 1;
			break;
		case 's':
			opt_start = optarg;
			break;
		case 'e':
			opt_end = optarg;
			break;
		case 'p':
			if (*optarg == '\0') {
				fprintf(stderr, PROG ": --profile: empty "
				    "name\n");
				usage();
			}
			o.profile = optarg;
			break;
		case 'r':
			f->rate = num_arg("--rate", optarg, 0.01, 1000);
			break;
		case 'c':
			if (*optarg == '\0')
				usage();
			f->ckpt_path = optarg;
			break;
		case 'T':
			f->throttle_deadline = num_arg("--throttle-deadline",
			    optarg, 0, 1e7);
			break;
		case 'R':
			f->max_retries = int_arg("--retries", optarg, 0,
			    1000);
			break;
		case 'P':
			f->page_size = int_arg("--page-size", optarg, 1,
			    50);
			break;
		case 'g':
			want_progress = 1;
			break;
		case 'q':
			f->quiet = 1;
			break;
		case 'G':
			add_region(f, optarg);
			if (o.region == NULL)
				o.region = optarg;
			break;
		case 'E':
			if (ct_arg_url("--endpoint-url", optarg, bad) != 0) {
				fprintf(stderr, PROG ": %s\n", bad);
				usage();
			}
			o.endpoint_url = optarg;
			break;
		case 'D':
			o.debug = debug_line;
			break;
		case 'S':
			f->s3_url = optarg;
			break;
		case 'L':
			/* "--trail NAME" as well as "--trail=NAME"; a region
			 * after a bare --trail stays a region */
			if (optarg == NULL && optind < argc &&
			    argv[optind][0] != '-' &&
			    !region_shaped(argv[optind]))
				optarg = argv[optind++];
			f->use_trail = 1;
			f->trail = optarg;
			break;
		case 'A':
			if (strlen(optarg) != 12 || strspn(optarg,
			    "0123456789") != 12) {
				fprintf(stderr, PROG ": --account: \"%s\" is "
				    "not a 12-digit account id\n", optarg);
				usage();
			}
			for (i = 0; i < f->naccounts; i++)
				if (strcmp(f->accounts[i], optarg) == 0)
					break;
			if (i < f->naccounts)
				break;	/* named twice: read once */
			f->accounts = xrealloc(f->accounts,
			    (f->naccounts + 1) * sizeof(*f->accounts));
			f->accounts[f->naccounts++] = optarg;
			break;
		case 'C':
			f->s3_concurrency = int_arg("--s3-concurrency", optarg,
			    1, 1024);
			break;
		case 'l':
			f->list_shards = 1;
			break;
		case 'd':
			f->shard_days = int_arg("--shard-days", optarg, 1,
			    CT_SHARD_DAYS_MAX);
			break;
		case 'Y':
			f->verify = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			return flush_help();
		case 'V':
			printf(PROG " (ct-tools) %s\n", CT_VERSION);
			return flush_help();
		default:
			usage();
		}
	}
	if (f->use_trail && f->s3_url != NULL) {
		fprintf(stderr, PROG ": --s3 and --trail do not go together\n");
		usage();
	}
	if (f->use_trail)
		f->s3_url = "";		/* the S3 source, its URL found later */
	if (f->s3_url == NULL && (f->naccounts > 0 ||
	    f->s3_concurrency > 0)) {
		fprintf(stderr, PROG ": --account and --s3-concurrency go "
		    "with --s3 or --trail\n");
		usage();
	}
	if (f->s3_url == NULL && f->verify) {
		fprintf(stderr, PROG ": --verify checks the digests of a "
		    "trail's bucket: it goes with --s3 or --trail\n");
		usage();
	}
	if (f->verify && f->ckpt_path != NULL) {
		fprintf(stderr, PROG ": --verify does not go with --checkpoint: "
		    "a resumed run does not read again, so cannot hash, the "
		    "files a run before wrote\n");
		usage();
	}
	if (f->s3_concurrency == 0)
		f->s3_concurrency = 32;
	if ((f->list_shards || f->shard_days > 0) && f->s3_url == NULL) {
		fprintf(stderr, PROG ": --list-shards and --shard-days go "
		    "with --s3 or --trail\n");
		usage();
	}
	if (f->shard_days > 0 && !f->list_shards) {
		fprintf(stderr, PROG ": --shard-days goes with "
		    "--list-shards\n");
		usage();
	}
	if (f->shard_days == 0)
		f->shard_days = 1;
	if (have_hours && (opt_start != NULL || opt_end != NULL)) {
		fprintf(stderr, PROG ": --past-hours and --start/--end do not "
		    "go together\n");
		usage();
	}
	now = (int64_t)time(NULL);
	if ((opt_end != NULL && ct_arg_time("--end", opt_end, &end,
	    bad) != 0) || (opt_start != NULL && ct_arg_time("--start",
	    opt_start, &start, bad) != 0)) {
		fprintf(stderr, PROG ": %s\n", bad);
		usage();
	}
	if (opt_end == NULL)
		end = now;
	if (opt_start == NULL)
		start = end - (int64_t)hours * 3600;
	if (start > end) {
		fprintf(stderr, PROG ": the window starts after it ends\n");
		usage();
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		add_region(f, argv[i]);
	if (f->nregions == 0) {
		if (isatty(STDIN_FILENO)) {
			fprintf(stderr, PROG ": no region given and standard "
			    "input is a terminal (give REGION... or pipe "
			    "ct-regions in)\n");
			usage();
		}
		read_regions(f);
		if (f->nregions == 0) {
			fprintf(stderr, PROG ": no region on stdin\n");
			exit(CT_EXIT_USAGE);
		}
	}
	if (!f->quiet && f->s3_url == NULL && start < now - 90 * 86400)
		fprintf(stderr, PROG ": note: LookupEvents only holds the last "
		    "90 days of events\n");
	f->start = start;
	f->end = end;
	fetch_fmt_time(now, f->run_ts, sizeof(f->run_ts));
	f->progress = !f->quiet && (want_progress || isatty(STDERR_FILENO));
	f->progress_tty = f->progress && isatty(STDERR_FILENO);
	if (f->list_shards) {
		/* lines of arguments, not events: no lock on stdout, no
		 * STS call, no control records */
		pthread_mutex_init(&f->lock, NULL);
		if ((f->ctx = ct_aws_ctx_new(&o, &err)) == NULL) {
			fprintf(stderr, PROG ": %s\n", err.line);
			rc = ct_awserr_exit(err.cls);
		} else
			rc = fetch_s3(f);
		goto out;
	}
	/* stdout's lock and marker, early: other ct-fetch processes on the
	 * same output see this one before it writes (lib/outlock.h) */
	out_init(f);

	/* The checkpoint's window wins; an explicit other window is refused. */
	if ((rc = resume_open(f, opt_start != NULL, opt_end != NULL,
	    have_hours)) != 0)
		return rc;

	if ((f->ctx = ct_aws_ctx_new(&o, &err)) == NULL) {
		fprintf(stderr, PROG ": %s\n", err.line);
		return ct_awserr_exit(err.cls);
	}
	if ((c = ct_aws_new(f->ctx, NULL, &err)) == NULL ||
	    ct_aws_get_caller_identity(c, &f->id, &err) != 0) {
		fprintf(stderr, PROG ": %s\n", err.line);
		ct_aws_free(c);
		ct_aws_ctx_free(f->ctx);
		return ct_awserr_exit(err.cls);
	}
	ct_aws_free(c);
	if ((rc = resume_account(f)) != 0) {
		ct_aws_ctx_free(f->ctx);
		return rc;
	}
	if (f->s3_url == NULL)
		resume_regions(f);	/* the S3 source's: in fetch_s3 */
	out_attach(f);
#ifdef CT_TEST_HOOKS
	/* test hooks (tests/fetch/t_resume, t_shared): a crash at the worst
	 * moment; only in the test build ($(OUT)/test-bin, never installed) */
	if ((hook = getenv("CT_FETCH_TEST_KILL_AT_PAGE")) != NULL)
		f->test_kill_page = strtol(hook, NULL, 10);
	if ((hook = getenv("CT_FETCH_TEST_KILL_IN_PAGE")) != NULL)
		f->test_kill_in_page = strtol(hook, NULL, 10);
#endif
	/* (the S3 source's first save names its bucket: in fetch_s3) */
	if (f->ckpt_path != NULL && f->s3_url == NULL &&
	    out_save_checkpoint(f) != 0) {
		ct_aws_ctx_free(f->ctx);
		return CT_EXIT_FAILURE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	progress_start(f);
	if (f->s3_url != NULL && (rc = fetch_s3(f)) != 0) {
		progress_stop(f);
		goto out;
	}
	for (i = 0; f->s3_url == NULL && i < f->nregions; i++) {
		struct region *r = &f->regions[i];

		if (r->status == RS_SKIPPED) {
			if (f->progress)
				msg(f, PROG ": %s: already complete in %s",
				    r->name, f->ckpt_path);
			continue;
		}
		if (pthread_create(&r->thread, NULL, fetch_worker, r) != 0) {
			ct_awserr_set(&r->err, CT_AWS_OTHER, "ThreadError",
			    "cannot start a thread");
			r->status = RS_FAILED;
			msg(f, PROG ": %s: cannot start a thread", r->name);
			continue;
		}
		r->started = 1;
	}
	for (i = 0; i < f->nregions; i++)
		if (f->regions[i].started)
			pthread_join(f->regions[i].thread, NULL);
	progress_stop(f);

	if (f->out_error || f->ckpt_error)
		rc = CT_EXIT_FAILURE;
	else if (f->out_closed)
		rc = CT_EXIT_OK;	/* the reader is gone: | head */
	else if (fetch_stop)
		rc = 128 + (int)fetch_stop;
	else
		rc = outcome(f);
out:

	for (i = 0; i < f->nregions; i++)
		free((char *)f->regions[i].name);
	free(f->regions);
	free(f->accounts);
	ct_ckpt_free(&f->ck);
	ct_aws_ctx_free(f->ctx);
	return rc;
}
