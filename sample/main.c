/*
 * main.c - ct-sample: a deterministic generator of realistic CloudTrail
 * records.
 *
 * The project's own sample data: the demo, the benchmarks and the tests all
 * feed on it, so it must be reproducible (same seed and options give the
 * same bytes on any machine: the PRNG is ours, no rand(), no locale, no
 * floating point in anything that reaches the output) and fast (records are
 * formatted straight into one buffer, no allocation per field).
 *
 * The records follow the CloudTrail record format (eventVersion 1.08 to
 * 1.11) and cover every userIdentity type the fold knows, plus the odd ones
 * (no type, no userIdentity, an unknown type, missing fields), realistic
 * user agents (long ones, non-ASCII ones), request and response bodies of
 * realistic size and nesting, errors on a fraction of calls.  Event times
 * increase with the record number, so every output is in time order.
 *
 * The same seed gives the same records whatever the --format: ndjson,
 * records, lookup, s3 and --per-region outputs hold the same calls (only
 * the framing differs), which lets tests compare folds across shapes.
 *
 * main reads top to bottom: options, the time window and the regions, the
 * world, then one loop that makes each record and hands it to the output
 * of the chosen --format (the framing of ndjson and records is a line
 * each, so it stays here; s3 and lookup live in sinks.c).  sample.h lists
 * the other parts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitcodes.h"
#include "sample.h"
#include "timefmt.h"

#define DEF_ACCOUNT	"123456789012"
#define DEF_END		1793491200	/* 2026-11-01T00:00:00Z */
#define DEF_SPAN	(14 * 86400)

/* Parse TIME: now, @EPOCH, or a date and time as lib/timefmt.h reads
 * them (YYYY-MM-DD[THH:MM[:SS]][Z] and the other ISO 8601 forms). */
static int
parse_time(const char *s, int64_t *out)
{
	char *end;

	if (strcmp(s, "now") == 0) {
		*out = (int64_t)time(NULL);
		return 0;
	}
	if (s[0] == '@') {
		errno = 0;
		long long v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return -1;
		*out = v;
		return 0;
	}
	if (strlen(s) < 10 || s[4] != '-')	/* no bare epoch: that is @ */
		return -1;
	return ct_time_parse(s, strlen(s), out);
}

/* SIZE: a number with an optional K, M or G (powers of 1024). */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t mul = 1;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}
/* ---- main ----------------------------------------------------------------- */

enum format { F_NDJSON, F_RECORDS, F_LOOKUP, F_S3 };

static void
usage(FILE *f)
{
	fputs(
"usage: ct-sample [--seed N] [--records N | --bytes SIZE] [--account ID]\n"
"                 [--regions LIST] [--start TIME] [--end TIME] [--principals N]\n"
"                 [--format ndjson|records|lookup|s3] [--out PATH]\n"
"                 [--per-region DIR] [--bad RATE] [--gzip-level N]\n", f);
}

static void
help(void)
{
	usage(stdout);
	fputs(
"\n"
"Write realistic, made-up CloudTrail records: the project's own sample data.\n"
"The same seed and options give the same bytes on every machine; event times\n"
"increase with the record number, so every output is in time order, and the\n"
"same seed gives the same records whatever the output format.\n"
"\n"
"  --seed N          PRNG seed (default 1)\n"
"  --records N       how many records (default 1000)\n"
"  --bytes SIZE      instead: about this many bytes of records (uncompressed);\n"
"                    SIZE takes K, M, G suffixes (powers of 1024): 500M\n"
"  --account ID      the account (recipientAccountId), default " DEF_ACCOUNT "\n"
"  --regions LIST    comma-separated regions (default: 17 common ones)\n"
"  --start TIME      first event time; --end TIME the end of the spread\n"
"                    (default: the 14 days before 2026-11-01T00:00:00Z).\n"
"                    TIME: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], @EPOCH, or now\n"
"  --principals N    about N distinct principals (default 40; the first 23\n"
"                    cover every userIdentity shape, odd ones included)\n"
"  --format F        ndjson   one record per line (default)\n"
"                    records  one {\"Records\":[...]} object, as in an S3 log file\n"
"                    lookup   `aws cloudtrail lookup-events` output pages\n"
"                             {\"Events\":[{...,\"CloudTrailEvent\":\"...\"}],\"NextToken\":...}\n"
"                    s3       an S3 archive tree under --out DIR:\n"
"                             AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz\n"
"                             (one file per region per 5-15 minutes) and\n"
"                             AWSLogs/<acct>/CloudTrail-Digest/... digest files\n"
"  --out PATH        the output file (default stdout); the tree root for s3\n"
"  --per-region DIR  write DIR/<region>.ndjson, one file per region (what the\n"
"                    local AWS emulator serves); replaces --format\n"
"  --bad RATE        corrupt about RATE of the records (0..1, e.g. 0.01): lines\n"
"                    cut in half, invalid UTF-8 in a string (the record stays\n"
"                    valid JSON and still counts), non-JSON lines, a call\n"
"                    without eventName, stray ] and CRLF, bare scalars, 5000-deep\n"
"                    nesting; with --format s3, truncated .gz files instead.\n"
"                    For ndjson, --per-region and s3 only.  The count goes\n"
"                    to stderr.\n"
"  --gzip-level N    zlib level for s3 files (default 6)\n"
"  --help, --version\n", stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "records", required_argument, NULL, 'n' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "account", required_argument, NULL, 'a' },
		{ "regions", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 'S' },
		{ "end", required_argument, NULL, 'E' },
		{ "principals", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "per-region", required_argument, NULL, 'R' },
		{ "bad", required_argument, NULL, 'B' },
		{ "gzip-level", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g;
	struct bad bad;
	struct ct_buf out, rec;
	struct lookup *lk = NULL;
	enum format fmt = F_NDJSON;
	uint64_t nrec = 1000, nbytes = 0, seed = 1, i;
	int64_t start = 0, end = 0;
	int have_start = 0, have_end = 0, nprin = 40, ch, level = 6;
	const char *outpath = NULL, *perregion = NULL;
	char *regions = NULL, *endp;
	FILE *of = stdout;
	FILE *rf[MAX_REGIONS] = { NULL };
	struct s3 *s3 = NULL;

	memset(&g, 0, sizeof(g));
	ct_buf_init(&g.res, 0);
	memset(&bad, 0, sizeof(bad));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &endp, 0);
			if (errno || *endp || endp == optarg)
				goto bad_usage_arg;
			break;
		case 'n':
			errno = 0;
			nrec = strtoull(optarg, &endp, 10);
			if (errno || *endp || endp == optarg || *optarg == '-')
				goto bad_usage_arg;
			nbytes = 0;
			break;
		case 'b':
			if (parse_size(optarg, &nbytes) != 0 || nbytes == 0)
				goto bad_usage_arg;
			break;
		case 'a':
			if (strlen(optarg) != 12 ||
			    strspn(optarg, "0123456789") != 12) {
				fprintf(stderr, "%s: --account wants 12 digits\n",
				    PROG);
				return CT_EXIT_USAGE;
			}
			g.w.account = optarg;
			break;
		case 'r':
			regions = optarg;
			break;
		case 'S':
			if (parse_time(optarg, &start) != 0)
				goto bad_usage_arg;
			have_start = 1;
			break;
		case 'E':
			if (parse_time(optarg, &end) != 0)
				goto bad_usage_arg;
			have_end = 1;
			break;
		case 'p':
			nprin = atoi(optarg);
			if (nprin < 1 || nprin > 100000)
				goto bad_usage_arg;
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") == 0)
				fmt = F_NDJSON;
			else if (strcmp(optarg, "records") == 0)
				fmt = F_RECORDS;
			else if (strcmp(optarg, "lookup") == 0)
				fmt = F_LOOKUP;
			else if (strcmp(optarg, "s3") == 0)
				fmt = F_S3;
			else
				goto bad_usage_arg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'R':
			perregion = optarg;
			break;
		case 'B': {
			double v = strtod(optarg, &endp);
			if (*endp || endp == optarg || !(v >= 0 && v <= 1))
				goto bad_usage_arg;
			bad.per_million = (uint32_t)(v * 1000000 + 0.5);
			break;
		}
		case 'z':
			level = atoi(optarg);
			if (level < 0 || level > 9)
				goto bad_usage_arg;
			break;
		case 'h':
			help();
			return fflush(stdout) || ferror(stdout) ?
			    CT_EXIT_FAILURE : CT_EXIT_OK;
		case 'V':
			printf("%s (ct-tools) %s\n", PROG, CT_VERSION);
			return fflush(stdout) ? CT_EXIT_FAILURE : CT_EXIT_OK;
		default:
			usage(stderr);
			return CT_EXIT_USAGE;
		}
		continue;
bad_usage_arg:
		fprintf(stderr, "%s: bad option value: %s\n", PROG, optarg);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", PROG,
		    argv[optind]);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (fmt == F_S3 && outpath == NULL) {
		fprintf(stderr, "%s: --format s3 needs --out DIR\n", PROG);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (perregion != NULL && fmt != F_NDJSON) {
		fprintf(stderr, "%s: --per-region writes NDJSON; drop --format\n",
		    PROG);
		return CT_EXIT_USAGE;
	}

	if (bad.per_million && perregion == NULL &&
	    (fmt == F_RECORDS || fmt == F_LOOKUP)) {
		fprintf(stderr, "%s: --bad works with ndjson, --per-region and "
		    "s3 output only\n", PROG);
		return CT_EXIT_USAGE;
	}

	/* window */
	if (!have_end)
		end = have_start ? start + DEF_SPAN : DEF_END;
	if (!have_start)
		start = end - DEF_SPAN;
	if (end <= start) {
		fprintf(stderr, "%s: --end must be after --start\n", PROG);
		return CT_EXIT_USAGE;
	}

	/* regions */
	g.w.seed = seed;
	if (g.w.account == NULL)
		g.w.account = DEF_ACCOUNT;
	if (regions == NULL) {
		uint32_t cum = 0;
		g.w.nregions = (int)(sizeof(DEFAULT_REGIONS) /
		    sizeof(DEFAULT_REGIONS[0]));
		for (int k = 0; k < g.w.nregions; k++) {
			g.w.regions[k] = DEFAULT_REGIONS[k];
			cum += DEFAULT_REGION_W[k];
			g.w.region_cum[k] = cum;
		}
	} else {
		char *tok, *save = NULL;
		uint32_t cum = 0;
		for (tok = strtok_r(regions, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (g.w.nregions == MAX_REGIONS) {
				fprintf(stderr, "%s: at most %d regions\n",
				    PROG, MAX_REGIONS);
				return CT_EXIT_USAGE;
			}
			if (*tok == '\0' || strlen(tok) > 40 ||
			    strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
			    strlen(tok)) {
				fprintf(stderr, "%s: bad region name: %s\n",
				    PROG, tok);
				return CT_EXIT_USAGE;
			}
			for (int k = 0; k < g.w.nregions; k++)
				if (strcmp(g.w.regions[k], tok) == 0) {
					fprintf(stderr, "%s: region listed twice: "
					    "%s\n", PROG, tok);
					return CT_EXIT_USAGE;
				}
			/* the first listed gets the most traffic */
			cum += g.w.nregions == 0 ? 40 : 60 / (uint32_t)(g.w.nregions + 1) + 3;
			g.w.regions[g.w.nregions] = tok;
			g.w.region_cum[g.w.nregions++] = cum;
		}
		if (g.w.nregions == 0) {
			fprintf(stderr, "%s: --regions is empty\n", PROG);
			return CT_EXIT_USAGE;
		}
	}
	g.w.global = 0;
	for (int k = 0; k < g.w.nregions; k++)
		if (strcmp(g.w.regions[k], "us-east-1") == 0)
			g.w.global = k;
	build_world(&g.w, nprin);
	g.start = start;
	g.span = end - start;

	/* How many records: for --bytes, measure the average on a sample
	 * made with the same seed (so the estimate is deterministic too). */
	if (nbytes) {
		struct ct_buf tmp;
		uint64_t sum = 0, m = 4000;
		int64_t tt;

		ct_buf_init(&tmp, 0);
		g.nrec = m;
		rng_seed(&g.r, seed, 2);
		for (i = 0; i < m; i++) {
			put_cut(&tmp, 0);
			gen_record(&g, i, &tmp, &tt);
			sum += tmp.len + 1;
		}
		ct_buf_free(&tmp);
		nrec = nbytes * m / sum;
		if (nrec == 0)
			nrec = 1;
	}
	if (nrec == 0) {
		if (fmt == F_RECORDS && outpath == NULL)
			printf("{\"Records\":[]}\n");
		ct_buf_free(&g.res);
		free(g.w.pr);
		free(g.w.pr_cum);
		return fflush(stdout) ? CT_EXIT_FAILURE : CT_EXIT_OK;
	}
	g.nrec = nrec;
	rng_seed(&g.r, seed, 2);
	rng_seed(&bad.r, seed, 3);

	if (perregion != NULL)
		mkdirs_const(perregion);
	else if (fmt == F_S3)
		s3 = s3_open(outpath, level, seed, &bad, g.w.nregions);
	else if (fmt == F_LOOKUP)
		lk = lookup_open(seed);
	if (outpath != NULL && perregion == NULL && fmt != F_S3)
		of = xfopen(outpath, "wb");

	ct_buf_init(&out, 0);
	ct_buf_init(&rec, 0);
	if (fmt == F_RECORDS && perregion == NULL)
		put(&out, "{\"Records\":[");

	for (i = 0; i < nrec; i++) {
		int64_t t;
		int reg;

		put_cut(&rec, 0);
		reg = gen_record(&g, i, &rec, &t);
		if (perregion != NULL) {
			if (rf[reg] == NULL) {
				char path[4096];
				if ((size_t)snprintf(path, sizeof(path),
				    "%s/%s.ndjson", perregion,
				    g.w.regions[reg]) >= sizeof(path))
					die("path too long");
				rf[reg] = xfopen(path, "wb");
			}
			corrupt(&bad, &rec, 0);
			put_c(&rec, '\n');
			xwrite(rf[reg], rec.data, rec.len, g.w.regions[reg]);
			continue;
		}
		switch (fmt) {
		case F_NDJSON: {
			size_t at = out.len;
			put_n(&out, rec.data, rec.len);
			corrupt(&bad, &out, at);
			put_c(&out, '\n');
			break;
		}
		case F_RECORDS:
			if (i)
				put_c(&out, ',');
			put_n(&out, rec.data, rec.len);
			break;
		case F_LOOKUP:
			lookup_add(lk, &out, &rec, t, i + 1 == nrec);
			break;
		case F_S3:
			s3_add(s3, &g.w, reg, t, rec.data, rec.len);
			break;
		}
		if (out.len >= (1 << 20)) {
			xwrite(of, out.data, out.len, outpath ? outpath : "stdout");
			put_cut(&out, 0);
		}
	}
	if (fmt == F_RECORDS && perregion == NULL)
		put(&out, "]}\n");
	if (out.len)
		xwrite(of, out.data, out.len, outpath ? outpath : "stdout");
	if (perregion != NULL) {
		for (int k = 0; k < g.w.nregions; k++)
			if (rf[k] != NULL)
				xclose(rf[k], g.w.regions[k]);
	} else if (fmt == F_S3)
		s3_close(s3, &g.w);
	if (of != stdout)
		xclose(of, outpath);
	else if (fflush(stdout) != 0 || ferror(stdout))
		die_errno("write error on", "stdout");
	if (bad.count)
		fprintf(stderr, "%s: --bad: %" PRIu64 " records or files corrupted\n",
		    PROG, bad.count);
	lookup_close(lk);
	ct_buf_free(&out);
	ct_buf_free(&rec);
	ct_buf_free(&g.res);
	free(g.w.pr);
	free(g.w.pr_cum);
	return CT_EXIT_OK;
}
