/*
 * test_endpoint.c - every endpoint rule: partitions, FIPS, the precedence
 * of --endpoint-url and the configured URLs, bad regions and URLs.
 */
#include <string.h>

#include "check.h"
#include "buf.h"
#include "endpoint.h"

static const char *
res(const struct ct_endpoint_cfg *cfg, const char *svc, const char *region)
{
	static struct ct_buf url, err;

	ct_buf_free(&url);
	ct_buf_init(&url, 0);
	ct_buf_free(&err);
	ct_buf_init(&err, 0);
	if (ct_endpoint_resolve(cfg, svc, region, &url, &err) != 0)
		return err.data ? err.data : "error";
	return url.data;
}

static int
fails(const struct ct_endpoint_cfg *cfg, const char *svc, const char *region)
{
	struct ct_buf url, err;
	int rc;

	ct_buf_init(&url, 0);
	ct_buf_init(&err, 0);
	rc = ct_endpoint_resolve(cfg, svc, region, &url, &err);
	ct_buf_free(&url);
	ct_buf_free(&err);
	return rc != 0;
}

int
main(void)
{
	struct ct_endpoint_cfg c;

	memset(&c, 0, sizeof(c));
	/* Partitions. */
	CHECK_STR(res(&c, "ec2", "eu-west-1"),
	    "https://ec2.eu-west-1.amazonaws.com", "aws: ec2");
	CHECK_STR(res(NULL, "sts", "us-east-1"),
	    "https://sts.us-east-1.amazonaws.com", "aws: sts is regional");
	CHECK_STR(res(&c, "cloudtrail", "ap-southeast-2"),
	    "https://cloudtrail.ap-southeast-2.amazonaws.com", "aws: cloudtrail");
	CHECK_STR(res(&c, "cloudtrail", "cn-north-1"),
	    "https://cloudtrail.cn-north-1.amazonaws.com.cn", "aws-cn");
	CHECK_STR(res(&c, "sts", "cn-northwest-1"),
	    "https://sts.cn-northwest-1.amazonaws.com.cn", "aws-cn: sts");
	CHECK_STR(res(&c, "ec2", "us-gov-west-1"),
	    "https://ec2.us-gov-west-1.amazonaws.com", "aws-us-gov");
	CHECK_STR(ct_endpoint_partition("cn-north-1"), "aws-cn", "partition cn");
	CHECK_STR(ct_endpoint_partition("us-gov-east-1"), "aws-us-gov",
	    "partition us-gov");
	CHECK_STR(ct_endpoint_partition("eu-central-2"), "aws", "partition aws");

	/* FIPS. */
	c.use_fips = 1;
	CHECK_STR(res(&c, "sts", "us-east-2"),
	    "https://sts-fips.us-east-2.amazonaws.com", "fips: sts");
	CHECK_STR(res(&c, "ec2", "us-west-2"),
	    "https://ec2-fips.us-west-2.amazonaws.com", "fips: ec2");
	CHECK_STR(res(&c, "cloudtrail", "us-east-1"),
	    "https://cloudtrail-fips.us-east-1.amazonaws.com", "fips: cloudtrail");
	CHECK_STR(res(&c, "cloudtrail", "us-gov-east-1"),
	    "https://cloudtrail.us-gov-east-1.amazonaws.com",
	    "fips in us-gov: the standard name (FIPS already)");
	CHECK(fails(&c, "ec2", "cn-north-1"), "fips in aws-cn: refused");
	c.use_fips = 0;

	/* Precedence of configured URLs. */
	c.profile_url = "http://127.0.0.1:4/";
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "http://127.0.0.1:4",
	    "profile endpoint_url (trailing slash dropped)");
	c.profile_service_url = "http://127.0.0.1:3";
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "http://127.0.0.1:3",
	    "services block beats profile endpoint_url");
	c.env_url = "http://127.0.0.1:2";
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "http://127.0.0.1:2",
	    "AWS_ENDPOINT_URL beats the profile");
	c.env_service_url = "https://localhost:1/base";
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "https://localhost:1/base",
	    "AWS_ENDPOINT_URL_<SERVICE> beats all, path kept");
	c.use_fips = 1;
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "https://localhost:1/base",
	    "a configured URL wins over FIPS");
	c.use_fips = 0;
	c.option_url = "http://127.0.0.1:9/x/";
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "http://127.0.0.1:9/x",
	    "--endpoint-url beats AWS_ENDPOINT_URL_<SERVICE>");
	c.ignore_configured = 1;
	CHECK_STR(res(&c, "ec2", "eu-west-1"), "http://127.0.0.1:9/x",
	    "--endpoint-url kept under AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	c.option_url = "file:///etc/passwd";
	CHECK(fails(&c, "ec2", "eu-west-1"), "--endpoint-url: non-http refused");
	c.option_url = NULL;
	CHECK_STR(res(&c, "ec2", "eu-west-1"),
	    "https://ec2.eu-west-1.amazonaws.com",
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS skips them all");
	c.ignore_configured = 0;
	c.env_service_url = "ftp://x";
	CHECK(fails(&c, "ec2", "eu-west-1"), "non-http URL refused");
	memset(&c, 0, sizeof(c));

	/* Regions. */
	CHECK(fails(&c, "ec2", "EU-WEST-1"), "upper case region refused");
	CHECK(fails(&c, "ec2", "eu-west-1.evil.com/"), "dots and slashes refused");
	CHECK(fails(&c, "ec2", ""), "empty region refused");
	CHECK(fails(&c, "ec2", "-eu"), "leading dash refused");
	CHECK(ct_endpoint_valid_region("il-central-1"), "new region accepted");
	CHECK_STR(ct_endpoint_env_suffix("cloudtrail"), "CLOUDTRAIL",
	    "env suffix");
	res(NULL, "ec2", "eu-west-1");

	/* AWS regions: known, of the shape, or not regions at all. */
	{
		static const char *const is2[] = { "eu-west-1", "us-gov-west-1",
		    "cn-northwest-1", "me-south-1", "us-isob-east-1" };
		static const char *const is1[] = { "xx-newplace-3",
		    "eu-wset-1", "us-gov-north-2" };
		static const char *const is0[] = { "eu-west", "euwest1",
		    "eu_west_1", "eu-west-123", "e-west-1", "eu--1", "eu-1",
		    "eu-west-1-", "", "abcd-west-1" };
		char envbuf[64];
		struct ct_endpoint_cfg c2;
		size_t k;

		for (k = 0; k < sizeof(is2) / sizeof(is2[0]); k++)
			CHECK(ct_endpoint_aws_region(is2[k]) == 2, "known: %s",
			    is2[k]);
		for (k = 0; k < sizeof(is1) / sizeof(is1[0]); k++)
			CHECK(ct_endpoint_aws_region(is1[k]) == 1,
			    "the shape only: %s", is1[k]);
		for (k = 0; k < sizeof(is0) / sizeof(is0[0]); k++)
			CHECK(ct_endpoint_aws_region(is0[k]) == 0,
			    "not a region: \"%s\"", is0[k]);
		CHECK_STR(ct_endpoint_region_guess("eu-west"), "eu-west-1",
		    "guess: eu-west");
		CHECK_STR(ct_endpoint_region_guess("eu-wset-1"), "eu-west-1",
		    "guess: eu-wset-1");
		CHECK_STR(ct_endpoint_region_guess("ap-southeast"),
		    "ap-southeast-1", "guess: ap-southeast");
		CHECK_STR(ct_endpoint_region_guess("useast1"), "us-east-1",
		    "guess: useast1");
		CHECK(ct_endpoint_region_guess("frankfurt") == NULL,
		    "guess: nothing near frankfurt");

		memset(&c2, 0, sizeof(c2));
		CHECK(ct_endpoint_source(NULL, "sts", envbuf,
		    sizeof(envbuf)) == NULL, "source: none configured");
		c2.profile_url = "http://p";
		CHECK_STR(ct_endpoint_source(&c2, "sts", envbuf,
		    sizeof(envbuf)), "the profile's endpoint_url",
		    "source: profile");
		c2.env_url = "http://e";
		CHECK_STR(ct_endpoint_source(&c2, "sts", envbuf,
		    sizeof(envbuf)), "AWS_ENDPOINT_URL", "source: env");
		c2.env_service_url = "http://s";
		CHECK_STR(ct_endpoint_source(&c2, "cloudtrail", envbuf,
		    sizeof(envbuf)), "AWS_ENDPOINT_URL_CLOUDTRAIL",
		    "source: service env");
		c2.ignore_configured = 1;
		CHECK(ct_endpoint_source(&c2, "sts", envbuf,
		    sizeof(envbuf)) == NULL, "source: configured URLs ignored");
		c2.option_url = "http://o";
		CHECK_STR(ct_endpoint_source(&c2, "sts", envbuf,
		    sizeof(envbuf)), "--endpoint-url",
		    "source: --endpoint-url, even with configured URLs ignored");
	}
	return check_done();
}
