/* endpoint.c - see endpoint.h */
#include <string.h>
#include <strings.h>

#include "endpoint.h"

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

const char *
ct_endpoint_env_suffix(const char *service)
{
	if (strcmp(service, "ec2") == 0)
		return "EC2";
	if (strcmp(service, "sts") == 0)
		return "STS";
	if (strcmp(service, "cloudtrail") == 0)
		return "CLOUDTRAIL";
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
