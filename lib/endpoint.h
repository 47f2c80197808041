/*
 * endpoint.h - which URL a call goes to, and which region it is signed for.
 *
 * The rules of the AWS SDKs, in their order of precedence:
 *   0. the command line's --endpoint-url (as the AWS CLI's: it wins over
 *      everything below, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS included),
 *   1. AWS_ENDPOINT_URL_<SERVICE> (EC2, STS, CLOUDTRAIL, SSO ...),
 *   2. AWS_ENDPOINT_URL,
 *   3. the profile's [services NAME] block for the service ("ec2 =" then
 *      indented "endpoint_url = ..."), named by the profile's "services",
 *   4. the profile's endpoint_url,
 *   5. the partition's standard hostname for the region:
 *        aws         SERVICE.REGION.amazonaws.com
 *        aws-cn      SERVICE.REGION.amazonaws.com.cn   (regions cn-*)
 *        aws-us-gov  SERVICE.REGION.amazonaws.com      (regions us-gov-*)
 *      with FIPS (AWS_USE_FIPS_ENDPOINT=true or the profile's
 *      use_fips_endpoint) SERVICE-fips.REGION.amazonaws.com in aws, and the
 *      standard name in aws-us-gov (already FIPS there); aws-cn has none.
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or the profile's
 * ignore_configured_endpoint_urls) skips 1-4.  STS is always regional.
 * A configured URL is used as given (any path kept), and the request is
 * still signed for the call's region: that is how the tests' local
 * emulator at http://127.0.0.1:PORT receives requests for every region.
 *
 * This module only computes; the caller collects the settings (awsconf.c).
 */
#ifndef CT_ENDPOINT_H
#define CT_ENDPOINT_H

#include <stddef.h>

#include "buf.h"

struct ct_endpoint_cfg {
	int		 use_fips;
	int		 ignore_configured;
	const char	*option_url;		/* --endpoint-url */
	const char	*env_service_url;	/* AWS_ENDPOINT_URL_<SERVICE> */
	const char	*env_url;		/* AWS_ENDPOINT_URL */
	const char	*profile_service_url;	/* services block */
	const char	*profile_url;		/* profile endpoint_url */
};

/* "aws", "aws-cn" or "aws-us-gov" for a region name. */
const char *ct_endpoint_partition(const char *region);

/* Non-zero if region looks like a region name: 1..63 of [a-z0-9-],
 * starting with a letter. */
int	ct_endpoint_valid_region(const char *region);

/*
 * Whether region is an AWS region: 2 if it is one of the partitions'
 * regions known here (aws, aws-cn, aws-us-gov, the ISO ones), 1 if it
 * only has their shape, letters, words and a number ("xx-word-9",
 * "us-gov-west-1"), so that a region AWS opens after this list was
 * written is not refused; 0 otherwise ("eu-west", "euwest1", "eu_west_1").
 */
int	ct_endpoint_aws_region(const char *region);

/* The known region a mistyped name most likely meant ("eu-west":
 * "eu-west-1", "eu-wset-1": "eu-west-1"), or NULL. */
const char *ct_endpoint_region_guess(const char *name);

/*
 * Where the URL of service comes from under cfg, for messages:
 * "AWS_ENDPOINT_URL_CLOUDTRAIL" (written into buf[n]), "AWS_ENDPOINT_URL",
 * "the profile's services endpoint_url", "the profile's endpoint_url", or
 * NULL for the partition's standard hostname.
 */
const char *ct_endpoint_source(const struct ct_endpoint_cfg *cfg,
	    const char *service, char *buf, size_t n);

/*
 * The URL (no trailing slash, e.g. "https://ec2.eu-west-1.amazonaws.com")
 * for service ("ec2", "sts", "cloudtrail", "portal.sso") in region,
 * appended to url.  0, or -1 with the reason in err (bad region, FIPS in
 * aws-cn, a configured URL that is not http:// or https://).
 */
int	ct_endpoint_resolve(const struct ct_endpoint_cfg *cfg,
	    const char *service, const char *region, struct ct_buf *url,
	    struct ct_buf *err);

/* The environment variable suffix for a service: "EC2", "STS",
 * "CLOUDTRAIL", "SSO" (for portal.sso). */
const char *ct_endpoint_env_suffix(const char *service);

#endif
