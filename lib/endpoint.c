/* endpoint.c - see endpoint.h */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "endpoint.h"

/* The partitions' regions (AWS's list, 2026); opt-in ones included. */
static const char *const known[] = {
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
	"eu-south-1", "eu-south-2", "il-central-1", "me-south-1",
	"me-central-1", "mx-central-1", "sa-east-1",
	"cn-north-1", "cn-northwest-1",
	"us-gov-west-1", "us-gov-east-1",
	"us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
	"us-isof-south-1", "us-isof-east-1", "eu-isoe-west-1",
};
#define NKNOWN	(sizeof(known) / sizeof(known[0]))

const char *
ct_endpoint_partition(const char *region)
{
	if (strncmp(region, "cn-", 3) == 0)
		return "aws-cn";
	if (strncmp(region, "us-gov-", 7) == 0)
		return "aws-us-gov";
	return "aws";
}

int
ct_endpoint_valid_region(const char *region)
{
	size_t i, n;

	if (region == NULL || (n = strlen(region)) == 0 || n > 63)
		return 0;
	if (region[0] < 'a' || region[0] > 'z' || region[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((region[i] >= 'a' && region[i] <= 'z') ||
		    (region[i] >= '0' && region[i] <= '9') || region[i] == '-'))
			return 0;
	return 1;
}

/* "xx-word[-word...]-N": two or three letters, words, a number. */
static int
region_shape(const char *r)
{
	size_t i = 0, n, words = 0;

	while (r[i] >= 'a' && r[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return 0;
	for (;;) {
		if (r[i++] != '-')
			return 0;
		n = i;
		while (r[i] >= 'a' && r[i] <= 'z')
			i++;
		if (i == n)
			break;
		words++;
	}
	if (words == 0)
		return 0;
	n = i;
	while (r[i] >= '0' && r[i] <= '9')
		i++;
	return i > n && i - n <= 2 && r[i] == '\0';
}

int
ct_endpoint_aws_region(const char *region)
{
	size_t i;

	if (!ct_endpoint_valid_region(region))
		return 0;
	for (i = 0; i < NKNOWN; i++)
		if (strcmp(known[i], region) == 0)
			return 2;
	return region_shape(region);
}

/* Edit distance of a and b (names up to 63 bytes), at most 64. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[64], prev, tmp;

	if (la > 63 || lb > 63)
		return 64;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = d[j];
			d[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < d[j] ?
			    (prev < d[j - 1] ? prev : d[j - 1]) :
			    (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = tmp;
		}
	}
	return d[lb];
}

const char *
ct_endpoint_region_guess(const char *name)
{
	size_t i, n = strlen(name), d, best = 3;
	const char *guess = NULL;

	/* "eu-west": the first of that prefix, the "-1" was left out */
	for (i = 0; i < NKNOWN; i++)
		if (n > 0 && strncmp(known[i], name, n) == 0 &&
		    known[i][n] == '-')
			return known[i];
	for (i = 0; i < NKNOWN; i++)
		if ((d = distance(name, known[i])) < best) {
			best = d;
			guess = known[i];
		}
	return guess;
}

const char *
ct_endpoint_source(const struct ct_endpoint_cfg *cfg, const char *service,
    char *buf, size_t n)
{
	const char *sfx = ct_endpoint_env_suffix(service);

	if (cfg != NULL && cfg->option_url && *cfg->option_url)
		return "--endpoint-url";
	if (cfg == NULL || cfg->ignore_configured)
		return NULL;
	if (cfg->env_service_url && *cfg->env_service_url) {
		snprintf(buf, n, "AWS_ENDPOINT_URL_%s", sfx ? sfx : "*");
		return buf;
	}
	if (cfg->env_url && *cfg->env_url)
		return "AWS_ENDPOINT_URL";
	if (cfg->profile_service_url && *cfg->profile_service_url)
		return "the profile's services endpoint_url";
	if (cfg->profile_url && *cfg->profile_url)
		return "the profile's endpoint_url";
	return NULL;
}

const char *
ct_endpoint_env_suffix(const char *service)
{
	if (strcmp(service, "ec2") == 0)
		return "EC2";
	if (strcmp(service, "sts") == 0)
		return "STS";
	if (strcmp(service, "cloudtrail") == 0)
		return "CLOUDTRAIL";
	if (strcmp(service, "s3") == 0)
		return "S3";
	if (strcmp(service, "portal.sso") == 0)
		return "SSO";
	return NULL;
}

static int
configured(const char *what, const char *url, struct ct_buf *out,
    struct ct_buf *err)
{
	size_t n = strlen(url);

	if (strncasecmp(url, "https://", 8) != 0 &&
	    strncasecmp(url, "http://", 7) != 0) {
		ct_buf_reset(err);
		ct_buf_printf(err, "%s: endpoint URL \"%.200s\" must start "
		    "with https:// or http://", what, url);
		return -1;
	}
	while (n > 0 && url[n - 1] == '/')
		n--;
	return ct_buf_add(out, url, n);
}

int
ct_endpoint_resolve(const struct ct_endpoint_cfg *cfg, const char *service,
    const char *region, struct ct_buf *url, struct ct_buf *err)
{
	const char *part, *suffix;

	if (!ct_endpoint_valid_region(region)) {
		ct_buf_reset(err);
		ct_buf_printf(err, "\"%.80s\" is not a region name (like "
		    "eu-west-1)", region ? region : "");
		return -1;
	}
	if (cfg != NULL && cfg->option_url && *cfg->option_url)
		return configured("--endpoint-url", cfg->option_url, url, err);
	if (cfg != NULL && !cfg->ignore_configured) {
		if (cfg->env_service_url && *cfg->env_service_url)
			return configured("AWS_ENDPOINT_URL_*",
			    cfg->env_service_url, url, err);
		if (cfg->env_url && *cfg->env_url)
			return configured("AWS_ENDPOINT_URL", cfg->env_url,
			    url, err);
		if (cfg->profile_service_url && *cfg->profile_service_url)
			return configured("services endpoint_url",
			    cfg->profile_service_url, url, err);
		if (cfg->profile_url && *cfg->profile_url)
			return configured("profile endpoint_url",
			    cfg->profile_url, url, err);
	}
	part = ct_endpoint_partition(region);
	suffix = strcmp(part, "aws-cn") == 0 ? "amazonaws.com.cn" :
	    "amazonaws.com";
	if (cfg != NULL && cfg->use_fips) {
		if (strcmp(part, "aws-cn") == 0) {
			ct_buf_reset(err);
			ct_buf_printf(err, "AWS_USE_FIPS_ENDPOINT: no FIPS "
			    "endpoint for %s in %s (partition aws-cn)", service,
			    region);
			return -1;
		}
		if (strcmp(part, "aws") == 0)
			return ct_buf_printf(url, "https://%s-fips.%s.%s",
			    service, region, suffix);
	}
	return ct_buf_printf(url, "https://%s.%s.%s", service, region, suffix);
}
