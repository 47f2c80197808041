/*
 * awsconf.c - the shared AWS context (aws.h, ct_aws_ctx_*): what the
 * environment and the config and credentials files say (profile, region,
 * endpoint settings, CA bundle, timeouts, retries), the credential
 * provider made over them, and S3's endpoint settings.  Made once in main;
 * the requests are aws.c's (awsctx.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <curl/curl.h>

#include "aws.h"
#include "awsctx.h"
#include "creds.h"
#include "endpoint.h"
#include "http.h"
#include "ini.h"
#include "s3.h"
#include "xalloc.h"

#ifndef CT_VERSION
#define CT_VERSION "dev"
#endif

/* Each service's endpoint variable, in ct_aws_svc_key's order. */
static const char *const svc_env[CT_AWS_SVC_N] = { "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_CLOUDTRAIL",
    "AWS_ENDPOINT_URL_SSO" };

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static const char *
envs(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* "~/x" -> "$HOME/x" as the CLI does for the file variables. */
static char *
expand_home(const char *p)
{
	const char *home = getenv("HOME");
	char *r;

	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && home != NULL) {
		if (asprintf(&r, "%s%s", home, p + 1) < 0)
			return xstrdup(p);
		return r;
	}
	return xstrdup(p);
}

/* ---- the context ------------------------------------------------------------ */

static const struct ct_ini_section *
profile_section(const struct ct_ini *config, const char *name)
{
	char sect[512];
	const struct ct_ini_section *s;

	snprintf(sect, sizeof(sect), "profile %s", name);
	s = ct_ini_section(config, sect);
	if (s == NULL && strcmp(name, "default") == 0)
		s = ct_ini_section(config, "default");
	return s;
}

/* A profile setting: the credentials file wins, as in botocore. */
static const char *
prof_get(struct ct_aws_ctx *ctx, const char *key)
{
	const char *v = ct_ini_get(ct_ini_section(ctx->credentials,
	    ctx->profile), key);

	if (v == NULL || *v == '\0')
		v = ct_ini_get(profile_section(ctx->config, ctx->profile), key);
	return v != NULL && *v != '\0' ? v : NULL;
}

static int
timeout_env(const char *name, long dflt, long *ms, struct ct_aws_error *err)
{
	const char *v = envs(name);
	char *end;
	double d;

	*ms = dflt;
	if (v == NULL)
		return 0;
	errno = 0;
	d = strtod(v, &end);
	if (errno || *end != '\0' || !(d >= 0.001 && d <= 3600)) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidConfig", "%s: \"%.40s\" "
		    "is not a number of seconds from 0.001 to 3600", name, v);
		return -1;
	}
	*ms = (long)(d * 1000 + 0.5);
	return 0;
}

struct ct_aws_ctx *
ct_aws_ctx_new(const struct ct_aws_opts *o, struct ct_aws_error *err)
{
	struct ct_aws_ctx *ctx;
	struct ct_buf e;
	struct ct_creds_cfg cc;
	struct ct_creds_io io;
	const char *v, *home = getenv("HOME");
	const struct ct_ini_section *ps, *ss = NULL;
	char sect[512];
	struct rlimit rl = { 0, 0 };
	int i, fips, ignore;

	ct_awserr_clear(err);
	pthread_once(&curl_once, curl_init_once);
	/* Secrets live in this process: no core dumps, no ptrace peeking. */
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	ctx = xcalloc(1, sizeof(*ctx));
	ct_buf_init(&e, 4096);
	if ((v = envs("AWS_CONFIG_FILE")) != NULL)
		ctx->config_path = expand_home(v);
	else if (asprintf(&ctx->config_path, "%s/.aws/config",
	    home ? home : "") < 0)
		ctx->config_path = xstrdup("~/.aws/config");
	if ((v = envs("AWS_SHARED_CREDENTIALS_FILE")) != NULL)
		ctx->cred_path = expand_home(v);
	else if (asprintf(&ctx->cred_path, "%s/.aws/credentials",
	    home ? home : "") < 0)
		ctx->cred_path = xstrdup("~/.aws/credentials");
	if (ct_ini_load(ctx->config_path, &ctx->config, &e) < 0 ||
	    ct_ini_load(ctx->cred_path, &ctx->credentials, &e) < 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig", "%s",
		    e.data);
		goto fail;
	}

	if (o->profile != NULL)
		ctx->profile = xstrdup(o->profile);
	else if ((v = envs("AWS_PROFILE")) != NULL ||
	    (v = envs("AWS_DEFAULT_PROFILE")) != NULL)
		ctx->profile = xstrdup(v);
	else
		ctx->profile = xstrdup("default");
	if (strcmp(ctx->profile, "default") != 0 &&
	    ct_ini_section(ctx->credentials, ctx->profile) == NULL &&
	    profile_section(ctx->config, ctx->profile) == NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProfileNotFound",
		    "The config profile (%.200s) could not be found in %s "
		    "(as [%.200s]) or %s (as [profile %.200s])%s", ctx->profile,
		    ctx->cred_path, ctx->profile, ctx->config_path,
		    ctx->profile, o->profile != NULL ? "" :
		    ": check AWS_PROFILE");
		goto fail;
	}

	if (o->region != NULL)
		v = o->region;
	else if ((v = envs("AWS_REGION")) == NULL &&
	    (v = envs("AWS_DEFAULT_REGION")) == NULL &&
	    (v = prof_get(ctx, "region")) == NULL)
		v = "us-east-1";
	if (!ct_endpoint_valid_region(v)) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidRegion",
		    "\"%.80s\" is not a region name (like eu-west-1)", v);
		goto fail;
	}
	ctx->region = xstrdup(v);
	if (asprintf(&ctx->ua, "ct-tools/%s (%s)", CT_VERSION,
	    o->tool ? o->tool : "ct-tools") < 0)
		ctx->ua = xstrdup("ct-tools");

	/* Endpoints. */
	v = envs("AWS_USE_FIPS_ENDPOINT");
	if (v == NULL)
		v = prof_get(ctx, "use_fips_endpoint");
	fips = v != NULL && strcasecmp(v, "true") == 0;
	v = envs("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (v == NULL)
		v = prof_get(ctx, "ignore_configured_endpoint_urls");
	ignore = v != NULL && strcasecmp(v, "true") == 0;
	ps = profile_section(ctx->config, ctx->profile);
	if ((v = ct_ini_get(ps, "services")) != NULL && *v != '\0') {
		snprintf(sect, sizeof(sect), "services %s", v);
		ss = ct_ini_section(ctx->config, sect);
	}
	ctx->ep_prof_url = prof_get(ctx, "endpoint_url") ?
	    xstrdup(prof_get(ctx, "endpoint_url")) : NULL;
	for (i = 0; i < CT_AWS_SVC_N; i++) {
		const char *su = ct_ini_get_sub(ss, ct_aws_svc_key[i], "endpoint_url");

		ctx->ep_prof_svc[i] = su ? xstrdup(su) : NULL;
		ctx->ep[i].use_fips = fips && i != CT_AWS_SVC_SSO;
		ctx->ep[i].ignore_configured = ignore;
		ctx->ep[i].option_url = i != CT_AWS_SVC_SSO ? o->endpoint_url : NULL;
		ctx->ep[i].env_service_url = envs(svc_env[i]);
		ctx->ep[i].env_url = envs("AWS_ENDPOINT_URL");
		ctx->ep[i].profile_service_url = ctx->ep_prof_svc[i];
		ctx->ep[i].profile_url = ctx->ep_prof_url;
	}

	/* TLS trust: AWS_CA_BUNDLE wins over the profile's ca_bundle. */
	if ((v = envs("AWS_CA_BUNDLE")) != NULL ||
	    (v = prof_get(ctx, "ca_bundle")) != NULL)
		ctx->ca = expand_home(v);
	ctx->debug = o->debug;
	ctx->debug_arg = o->debug_arg;

	/* Timeouts, in seconds (fractions allowed). */
	if (timeout_env("CT_CONNECT_TIMEOUT", 10000, &ctx->connect_ms, err) != 0 ||
	    timeout_env("CT_TIMEOUT", 60000, &ctx->timeout_ms, err) != 0)
		goto fail;

	/* Retries. */
	if (ct_retry_init(&ctx->retry, prof_get(ctx, "max_attempts"),
	    prof_get(ctx, "retry_mode"), &e) != 0) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidConfig", "%s", e.data);
		goto fail;
	}
	ctx->cred_retry = ctx->retry;

	/* Credentials. */
	if ((ctx->cred_http = ct_http_new(ctx->ua)) == NULL) {
		ct_awserr_set(err, CT_AWS_OTHER, "OutOfMemory",
		    "cannot make an HTTP handle (curl_easy_init)");
		goto fail;
	}
	ct_http_set_ca(ctx->cred_http, ctx->ca);
	ct_http_set_debug(ctx->cred_http, ctx->debug, ctx->debug_arg);
	memset(&cc, 0, sizeof(cc));
	cc.profile = o->profile;
	cc.profile_is_option = o->profile != NULL;
	cc.config = ctx->config;
	cc.credentials = ctx->credentials;
	cc.config_path = ctx->config_path;
	cc.credentials_path = ctx->cred_path;
	cc.region = ctx->region;
	if (timeout_env("CT_CREDENTIAL_PROCESS_TIMEOUT", 60000,
	    &cc.process_timeout_ms, err) != 0)
		goto fail;
	ct_aws_creds_io(ctx, &io);
	ctx->creds = ct_creds_new(&cc, &io, err);
	if (ctx->creds == NULL)
		goto fail;
	ct_buf_free(&e);
	return ctx;
fail:
	ct_buf_free(&e);
	ct_aws_ctx_free(ctx);
	return NULL;
}

void
ct_aws_ctx_free(struct ct_aws_ctx *ctx)
{
	int i;

	if (ctx == NULL)
		return;
	ct_creds_free(ctx->creds);
	ct_http_free(ctx->cred_http);
	ct_ini_free(ctx->config);
	ct_ini_free(ctx->credentials);
	for (i = 0; i < CT_AWS_SVC_N; i++)
		free(ctx->ep_prof_svc[i]);
	free(ctx->ep_prof_url);
	free(ctx->ca);
	free(ctx->profile);
	free(ctx->region);
	free(ctx->ua);
	free(ctx->config_path);
	free(ctx->cred_path);
	free(ctx);
}

unsigned
ct_aws_ctx_credential_fetches(struct ct_aws_ctx *ctx)
{
	return ct_creds_fetches(ctx->creds);
}

int
ct_aws_ctx_check_credentials(struct ct_aws_ctx *ctx, struct ct_aws_error *err)
{
	struct ct_creds c;
	int rc = ct_creds_get(ctx->creds, &c, NULL, err);

	ct_creds_wipe(&c);
	return rc;
}

/* ---- for the S3 source ------------------------------------------------------ */

const char *
ct_aws_ctx_region(const struct ct_aws_ctx *ctx)
{
	return ctx->region;
}

int
ct_aws_ctx_s3(struct ct_aws_ctx *ctx, const char *region, struct ct_buf *url,
    int *configured, int *style, const char **ca, struct ct_aws_error *err)
{
	const struct ct_ini_section *ps, *ss = NULL;
	struct ct_endpoint_cfg cfg = ctx->ep[CT_AWS_SVC_STS];
	struct ct_buf e;
	const char *v;
	char sect[512];
	int rc;

	ps = profile_section(ctx->config, ctx->profile);
	if ((v = ct_ini_get(ps, "services")) != NULL && *v != '\0') {
		snprintf(sect, sizeof(sect), "services %s", v);
		ss = ct_ini_section(ctx->config, sect);
	}
	cfg.option_url = NULL;
	cfg.env_service_url = envs("AWS_ENDPOINT_URL_S3");
	cfg.profile_service_url = ct_ini_get_sub(ss, "s3", "endpoint_url");
	ct_buf_init(&e, 1024);
	rc = ct_endpoint_resolve(&cfg, "s3", region, url, &e);
	if (rc != 0)
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidEndpoint", "%s",
		    e.data ? e.data : "cannot resolve the S3 endpoint");
	ct_buf_free(&e);
	*configured = ct_endpoint_source(&cfg, "s3", sect, sizeof(sect)) !=
	    NULL;
	v = ct_ini_get_sub(ps, "s3", "addressing_style");
	*style = ct_s3_style_parse(v);
	if (*style < 0) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidConfiguration",
		    "profile %s: s3 addressing_style \"%.40s\" is not path, "
		    "virtual or auto", ctx->profile, v);
		return -1;
	}
	*ca = ctx->ca;
	return rc;
}

int
ct_aws_ctx_credentials(struct ct_aws_ctx *ctx, struct ct_creds *out,
    unsigned *gen, struct ct_aws_error *err)
{
	return ct_creds_get(ctx->creds, out, gen, err);
}

int
ct_aws_ctx_expired(struct ct_aws_ctx *ctx, unsigned gen)
{
	return ct_creds_invalidate(ctx->creds, gen);
}

void
ct_aws_ctx_trace(const struct ct_aws_ctx *ctx, struct ct_http_trace *out)
{
	out->fn = ctx->debug;
	out->arg = ctx->debug_arg;
}
