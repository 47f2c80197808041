/*
 * ct-regions - list the AWS regions enabled in the account.
 *
 * One EC2 DescribeRegions call (query protocol, SigV4) through lib/aws.h;
 * the names go to stdout sorted, one per line, which is what
 * "ct-regions | xargs ct-fetch" wants.  Credentials, region and endpoint
 * come from the AWS CLI's usual places (see ct-regions(1), CREDENTIALS).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "awsacct.h"
#include "buf.h"
#include "cliarg.h"
#include "endpoint.h"
#include "exitcodes.h"
#include "stdfd.h"
#include "jstr.h"

static const char usage_text[] =
"usage: ct-regions [--profile NAME] [--region REGION] [--endpoint-url URL]\n"
"                  [--debug] [--all] [--json]\n";

static const char help_text[] =
"List the AWS regions enabled in the account (EC2 DescribeRegions), sorted,\n"
"one per line: the regions opted in and those that need no opt-in.\n"
"\n"
"  --profile NAME   use this profile of ~/.aws/config and ~/.aws/credentials\n"
"                   (AWS_ACCESS_KEY_ID & co are then ignored)\n"
"  --region REGION  region to ask (default: AWS_REGION, AWS_DEFAULT_REGION,\n"
"                   the profile's region, else us-east-1)\n"
"  --endpoint-url URL  send the EC2 and STS calls there (wins over every\n"
"                   other endpoint setting; credential calls excepted)\n"
"  --debug          each HTTP request and response line, with headers, on\n"
"                   stderr (signatures, keys and tokens masked)\n"
"  --all            also list the regions not opted in\n"
"  --json           one JSON object per line:\n"
"                   {\"region\":\"eu-west-1\",\"optInStatus\":\"opt-in-not-required\"}\n"
"  -h, --help, --version\n"
"\n"
"Credentials, in the AWS CLI's order: --profile; AWS_ACCESS_KEY_ID,\n"
"AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; the profile named by AWS_PROFILE\n"
"(else default) in AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, with\n"
"role_arn/source_profile, web identity, sso_session, credential_process;\n"
"container credentials; EC2 instance metadata (IMDSv2).\n"
"Endpoints: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL,\n"
"the profile's endpoint_url; AWS_USE_FIPS_ENDPOINT; AWS_CA_BUNDLE or the\n"
"profile's ca_bundle; HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case);\n"
"retries: AWS_MAX_ATTEMPTS (default 3), AWS_RETRY_MODE; timeouts (seconds):\n"
"CT_CONNECT_TIMEOUT (default 10), CT_TIMEOUT (default 60).\n"
"\n"
"Exit status: 0 ok, 1 other failure, 2 bad usage, 4 no or rejected\n"
"credentials, 5 access denied, 6 network failure.\n";

/* --debug: one line to stderr, whole (stdio locks the stream per call). */
static void
debug_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "ct-regions: debug: %s\n", line);
}

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(CT_EXIT_USAGE);
}

/* Flush stdout; a failed write is an error, EPIPE a quiet end. */
static int
finish_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "ct-regions: write error: %s\n", strerror(errno));
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "region", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "endpoint-url", required_argument, NULL, 'E' },
		{ "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ct_aws_opts o = { .tool = "ct-regions" };
	struct ct_aws_error err;
	struct ct_aws_ctx *ctx;
	struct ct_aws *c;
	struct ct_aws_region *r;
	struct ct_buf line;
	size_t n, i;
	char bad[CT_ARG_WHY];
	int ch, all = 0, json = 0, rc = CT_EXIT_OK;

	if (ct_stdfd_fix() != 0)	/* a closed 0/1/2: see stdfd.h */
		return CT_EXIT_FAILURE;
	signal(SIGPIPE, SIG_IGN);
	/* getopt names the program in its messages, not the path. */
	argv[0] = (char *)"ct-regions";
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (*optarg == '\0') {
				fprintf(stderr, "ct-regions: --profile: empty "
				    "name\n");
				usage();
			}
			o.profile = optarg;
			break;
		case 'r':
			if (!ct_endpoint_valid_region(optarg)) {
				fprintf(stderr, "ct-regions: --region: \"%s\" is "
				    "not a region name (like eu-west-1)\n",
				    optarg);
				usage();
			}
			if (!ct_endpoint_aws_region(optarg)) {
				const char *g = ct_endpoint_region_guess(optarg);

				fprintf(stderr, "ct-regions: --region: %s is not "
				    "an AWS region%s%s%s\n", optarg,
				    g ? " (did you mean " : "", g ? g : "",
				    g ? "?)" : "");
				usage();
			}
			o.region = optarg;
			break;
		case 'E':
			if (ct_arg_url("--endpoint-url", optarg, bad) != 0) {
				fprintf(stderr, "ct-regions: %s\n", bad);
				usage();
			}
			o.endpoint_url = optarg;
			break;
		case 'D':
			o.debug = debug_line;
			break;
		case 'a':
			all = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			return finish_stdout() ? CT_EXIT_FAILURE : CT_EXIT_OK;
		case 'V':
			printf("ct-regions (ct-tools) %s\n", CT_VERSION);
			return finish_stdout() ? CT_EXIT_FAILURE : CT_EXIT_OK;
		default:
			usage();
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ct-regions: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage();
	}

	if ((ctx = ct_aws_ctx_new(&o, &err)) == NULL) {
		fprintf(stderr, "ct-regions: %s\n", err.line);
		return ct_awserr_exit(err.cls);
	}
	if ((c = ct_aws_new(ctx, NULL, &err)) == NULL) {
		fprintf(stderr, "ct-regions: %s\n", err.line);
		ct_aws_ctx_free(ctx);
		return ct_awserr_exit(err.cls);
	}
	if (ct_aws_describe_regions(c, all, &r, &n, &err) != 0) {
		fprintf(stderr, "ct-regions: %s\n", err.line);
		rc = ct_awserr_exit(err.cls);
		goto out;
	}
	ct_buf_init(&line, 1 << 20);
	for (i = 0; i < n; i++) {
		if (!all && strcmp(r[i].opt_in_status, "not-opted-in") == 0)
			continue;
		ct_buf_reset(&line);
		if (json) {
			ct_buf_adds(&line, "{\"region\":");
			ct_jstr_encode(&line, r[i].name, strlen(r[i].name));
			ct_buf_adds(&line, ",\"optInStatus\":");
			ct_jstr_encode(&line, r[i].opt_in_status,
			    strlen(r[i].opt_in_status));
			ct_buf_adds(&line, "}\n");
		} else
			ct_buf_printf(&line, "%s\n", r[i].name);
		if (fwrite(line.data, 1, line.len, stdout) != line.len)
			break;
	}
	ct_buf_free(&line);
	ct_aws_regions_free(r, n);
	if (finish_stdout() != 0)
		rc = CT_EXIT_FAILURE;
out:
	ct_aws_free(c);
	ct_aws_ctx_free(ctx);
	return rc;
}
