/*
 * awsprobe - drive lib/aws.h from the tests (not installed).
 *
 *	awsprobe [-p PROFILE] [-r REGION] [-n COUNT] [-i INTERVAL_MS]
 *	    [-t THREADS] OP
 *
 * OP is identity (STS GetCallerIdentity), regions (EC2 DescribeRegions,
 * all), lookup (every page of CloudTrail LookupEvents over the last 10
 * years, retrying throttling and retryable errors as ct-fetch would, each
 * retry printed as "retry CLASS CODE" (throttling only with -v)), or
 * creds (resolve credentials only).  Each call prints one line on stdout:
 * "ok ..." or "err CLASS CODE"; then "fetches N" (credential fetches from
 * the source) and "transfers N".  With -t, THREADS threads share one
 * context, each with its own client, each making COUNT calls.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws.h"
#include "awsacct.h"
#include "lookup.h"
#include "xalloc.h"

static const char *op;
static int count = 1, interval_ms, verbose;
static const char *region;
static struct ct_aws_ctx *ctx;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static int failures;

static void
say(const char *fmt, const char *a, const char *b)
{
	pthread_mutex_lock(&out_mu);
	printf(fmt, a, b);
	fflush(stdout);
	pthread_mutex_unlock(&out_mu);
}

static void
fail(const struct ct_aws_error *e)
{
	pthread_mutex_lock(&out_mu);
	printf("err %s %s\n", ct_awserr_class_name(e->cls), e->code);
	fprintf(stderr, "awsprobe: %s\n", e->line);
	failures++;
	fflush(stdout);
	pthread_mutex_unlock(&out_mu);
}

static void
lookup_all(struct ct_aws *c)
{
	struct ct_lookup_req rq;
	struct ct_lookup_page pg;
	struct ct_aws_error e;
	char *tok = NULL, buf[64];
	size_t events = 0, pages = 0;
	int tries = 0;

	memset(&rq, 0, sizeof(rq));
	rq.end = time(NULL);
	rq.start = rq.end - 10L * 365 * 86400;
	ct_lookup_page_init(&pg);
	for (;;) {
		rq.next_token = tok;
		if (ct_lookup_events(c, &rq, &pg, &e) != 0) {
			if ((e.cls == CT_AWS_THROTTLED ||
			    e.cls == CT_AWS_RETRYABLE ||
			    e.cls == CT_AWS_NETWORK) && ++tries < 50) {
				if (e.cls != CT_AWS_THROTTLED || verbose)
					say("retry %s %s\n",
					    ct_awserr_class_name(e.cls), e.code);
				usleep(200000);
				continue;
			}
			fail(&e);
			break;
		}
		tries = 0;
		pages++;
		events += pg.nevents;
		free(tok);
		tok = pg.next_token ? xstrdup(pg.next_token) : NULL;
		if (tok == NULL) {
			snprintf(buf, sizeof(buf), "%zu %zu", events, pages);
			say("ok lookup %s%s\n", buf, "");
			break;
		}
	}
	free(tok);
	ct_lookup_page_free(&pg);
}

static void *
worker(void *arg)
{
	struct ct_aws_error e;
	struct ct_aws *c = ct_aws_new(ctx, region, &e);
	int i;

	if (c == NULL) {
		fail(&e);
		return NULL;
	}
	for (i = 0; i < count; i++) {
		if (i > 0 && interval_ms > 0)
			usleep((useconds_t)interval_ms * 1000);
		if (strcmp(op, "identity") == 0) {
			struct ct_aws_identity id;

			if (ct_aws_get_caller_identity(c, &id, &e) == 0)
				say("ok %s %s\n", id.account, id.arn);
			else
				fail(&e);
		} else if (strcmp(op, "regions") == 0) {
			struct ct_aws_region *r;
			size_t n, j;

			if (ct_aws_describe_regions(c, 1, &r, &n, &e) == 0) {
				pthread_mutex_lock(&out_mu);
				printf("ok regions");
				for (j = 0; j < n; j++)
					printf(" %s", r[j].name);
				printf("\n");
				pthread_mutex_unlock(&out_mu);
				ct_aws_regions_free(r, n);
			} else
				fail(&e);
		} else if (strcmp(op, "lookup") == 0)
			lookup_all(c);
		else if (strcmp(op, "creds") == 0) {
			if (ct_aws_ctx_check_credentials(ctx, &e) == 0)
				say("ok creds%s%s\n", "", "");
			else
				fail(&e);
		}
	}
	pthread_mutex_lock(&out_mu);
	printf("transfers %lu connects %lu\n", ct_aws_transfers(c),
	    ct_aws_connects(c));
	pthread_mutex_unlock(&out_mu);
	ct_aws_free(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ct_aws_opts o = { .tool = "awsprobe" };
	struct ct_aws_error e;
	pthread_t *th;
	int ch, nthreads = 1, i;

	while ((ch = getopt(argc, argv, "p:r:n:i:t:v")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'p':
			o.profile = optarg;
			break;
		case 'r':
			region = o.region = optarg;
			break;
		case 'n':
			count = atoi(optarg);
			break;
		case 'i':
			interval_ms = atoi(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc || nthreads < 1)
		return 2;
	op = argv[optind];
	if ((ctx = ct_aws_ctx_new(&o, &e)) == NULL) {
		fail(&e);
		return ct_awserr_exit(e.cls);
	}
	th = xcalloc((size_t)nthreads, sizeof(*th));
	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	free(th);
	printf("fetches %u\n", ct_aws_ctx_credential_fetches(ctx));
	ct_aws_ctx_free(ctx);
	return failures ? 1 : 0;
}
