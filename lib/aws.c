/* aws.c - see aws.h */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "aws.h"
#include "creds.h"
#include "endpoint.h"
#include "http.h"
#include "ini.h"
#include "json.h"
#include "jstr.h"
#include "s3.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"

#ifndef CT_VERSION
#define CT_VERSION "dev"
#endif

/* The services we talk to: signing name, env suffix, services-block key. */
enum { SVC_STS, SVC_EC2, SVC_CLOUDTRAIL, SVC_SSO, SVC_N };
static const char *const svc_name[SVC_N] = { "sts", "ec2", "cloudtrail",
    "portal.sso" };
static const char *const svc_key[SVC_N] = { "sts", "ec2", "cloudtrail",
    "sso" };
static const char *const svc_env[SVC_N] = { "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_CLOUDTRAIL",
    "AWS_ENDPOINT_URL_SSO" };

struct ct_aws_ctx {
	char			*profile;
	char			*region;
	char			*ua;
	char			*config_path;
	char			*cred_path;
	struct ct_ini		*config;
	struct ct_ini		*credentials;
	struct ct_endpoint_cfg	 ep[SVC_N];
	char			*ep_prof_svc[SVC_N];
	char			*ep_prof_url;
	char			*ca;		/* AWS_CA_BUNDLE, ca_bundle */
	void			(*debug)(void *, const char *);
	void			*debug_arg;
	struct ct_retry		 retry;
	long			 connect_ms;	/* CT_CONNECT_TIMEOUT */
	long			 timeout_ms;	/* CT_TIMEOUT */
	struct ct_creds_provider *creds;
	struct ct_http		*cred_http;	/* used under the provider's lock */
	struct ct_retry		 cred_retry;
};

struct ct_aws {
	struct ct_aws_ctx	*ctx;
	char			*region;
	struct ct_http		*http;
	struct ct_retry		 retry;
	const volatile sig_atomic_t *abort;
};

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

/* ---- requests ------------------------------------------------------------- */

/* Split "scheme://host[:port][/path]" into host and path. */
static int
split_url(const char *url, char *host, size_t hostsz, const char **path)
{
	const char *h = strstr(url, "://"), *e;
	size_t n;

	if (h == NULL)
		return -1;
	h += 3;
	e = h + strcspn(h, "/?#");
	n = (size_t)(e - h);
	if (n == 0 || n >= hostsz)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	/* Default ports are not part of the Host header curl sends. */
	if (strncasecmp(url, "https://", 8) == 0 && n > 4 &&
	    strcmp(host + n - 4, ":443") == 0)
		host[n - 4] = '\0';
	if (strncasecmp(url, "http://", 7) == 0 && n > 3 &&
	    strcmp(host + n - 3, ":80") == 0)
		host[n - 3] = '\0';
	*path = *e == '/' ? e : "/";
	return 0;
}

static int
svc_index(const char *service)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (strcmp(svc_name[i], service) == 0 ||
		    strcmp(svc_key[i], service) == 0)
			return i;
	return -1;
}

/* The URL for a call; creds: for the credential provider, which
 * --endpoint-url does not redirect. */
static int
resolve(struct ct_aws_ctx *ctx, const char *service, const char *region,
    int creds, struct ct_buf *url, struct ct_aws_error *err)
{
	struct ct_buf e;
	struct ct_endpoint_cfg cfg;
	int i = svc_index(service), rc;

	if (i >= 0) {
		cfg = ctx->ep[i];
		if (creds)
			cfg.option_url = NULL;
	}
	ct_buf_init(&e, 1024);
	rc = ct_endpoint_resolve(i >= 0 ? &cfg : NULL, service, region,
	    url, &e);
	if (rc != 0)
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidEndpoint", "%s",
		    e.data ? e.data : "cannot resolve the endpoint");
	ct_buf_free(&e);
	return rc;
}

static void
sleep_ms(long ms, const volatile sig_atomic_t *abort)
{
	struct timespec ts;

	while (ms > 0 && (abort == NULL || !*abort)) {
		long step = ms > 50 ? 50 : ms;

		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

struct call {
	const char	*service;	/* signing name and endpoint */
	const char	*region;
	const char	*what;		/* "GetCallerIdentity" */
	const char	*content_type;
	const char	*target;	/* X-Amz-Target or NULL */
	const char	*body;
	size_t		 bodylen;
	int		 sign;		/* 0: unsigned (web identity) */
	const struct ct_creds *creds;	/* fixed signer, or NULL: provider */
};

/*
 * err is an answer without an AWS error document (a 404 page, a proxy's
 * 403): the URL is likely not the service's.  Say which URL and which
 * setting it came from; the URL without any "user:password@".
 */
static void
not_aws(struct ct_aws_ctx *ctx, const char *service, const char *url,
    struct ct_aws_error *err)
{
	char env[64], shown[256];
	const char *src, *p = strstr(url, "://"), *at, *end;
	int i = svc_index(service);

	src = ct_endpoint_source(i >= 0 ? &ctx->ep[i] : NULL, service, env,
	    sizeof(env));
	if (p != NULL) {
		p += 3;
		end = p + strcspn(p, "/?#");
		at = memchr(p, '@', (size_t)(end - p));
		snprintf(shown, sizeof(shown), "%.*s%.200s", (int)(p - url), url,
		    at != NULL ? at + 1 : p);
	} else
		snprintf(shown, sizeof(shown), "%.200s", url);
	ct_awserr_append(err, "; %s (%s) does not look like the AWS %s "
	    "service", shown, src != NULL ? src : "the standard hostname",
	    service);
}

/*
 * One attempt: sign, send, classify.  0 with the 200 answer in out, -1
 * with err, or -2 with err when no credentials could be had (not to be
 * retried: the source has its own retries).  On an expired-token answer
 * the provider is told.
 */
static int
attempt(struct ct_aws_ctx *ctx, struct ct_http *http, const struct call *c,
    const char *url, struct ct_buf *out, struct ct_aws_error *err)
{
	char host[512], where[256];
	const char *path;
	struct ct_creds cr = { 0 };
	const struct ct_creds *use;
	unsigned gen = 0;
	struct ct_sigv4_header sh[3];
	struct ct_sigv4_input in;
	struct ct_sigv4_output so;
	struct ct_buf hb[6];
	const char *hp[8];
	struct ct_http_req rq;
	struct ct_http_resp rs;
	size_t nh = 0, nsh = 0, i;
	int rc = -1;

	snprintf(where, sizeof(where), "%s %s (%s)", c->service, c->what,
	    c->region);
	if (split_url(url, host, sizeof(host), &path) != 0) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidEndpoint",
		    "%s: bad endpoint URL %.200s", where, url);
		return -1;
	}
	use = c->creds;
	if (c->sign && use == NULL) {
		/* The source has retried already: not again here. */
		if (ct_creds_get(ctx->creds, &cr, &gen, err) != 0)
			return -2;
		use = &cr;
	}
	for (i = 0; i < 6; i++)
		ct_buf_init(&hb[i], (size_t)1 << 20);
	ct_sigv4_output_init(&so);
	ct_buf_printf(&hb[nh], "Host: %s", host);
	hp[nh] = hb[nh].data;
	nh++;
	ct_buf_printf(&hb[nh], "Content-Type: %s", c->content_type);
	hp[nh] = hb[nh].data;
	nh++;
	sh[nsh].name = "Host";
	sh[nsh++].value = host;
	sh[nsh].name = "Content-Type";
	sh[nsh++].value = c->content_type;
	if (c->target != NULL) {
		ct_buf_printf(&hb[nh], "X-Amz-Target: %s", c->target);
		hp[nh] = hb[nh].data;
		nh++;
		sh[nsh].name = "X-Amz-Target";
		sh[nsh++].value = c->target;
	}
	if (c->sign) {
		memset(&in, 0, sizeof(in));
		in.method = "POST";
		in.path = path;
		in.hdr = sh;
		in.nhdr = nsh;
		in.body = c->body;
		in.bodylen = c->bodylen;
		in.access_key = use->access_key;
		in.secret_key = use->secret_key;
		in.token = use->token;
		in.region = c->region;
		in.service = strcmp(c->service, "portal.sso") == 0 ? "awsssoportal" :
		    c->service;
		in.when = time(NULL);
		if (ct_sigv4_sign(&in, &so) != 0) {
			ct_awserr_set(err, CT_AWS_OTHER, "SigningError",
			    "%s: cannot sign the request", where);
			goto out;
		}
		if (so.add_date) {
			ct_buf_printf(&hb[nh], "X-Amz-Date: %s", so.amz_date);
			hp[nh] = hb[nh].data;
			nh++;
		}
		if (so.add_token) {
			ct_buf_printf(&hb[nh], "X-Amz-Security-Token: %s",
			    use->token);
			hp[nh] = hb[nh].data;
			nh++;
		}
		ct_buf_printf(&hb[nh], "Authorization: %s",
		    so.authorization.data);
		hp[nh] = hb[nh].data;
		nh++;
	}
	hp[nh] = NULL;

	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = url;
	rq.headers = hp;
	rq.body = c->body;
	rq.bodylen = c->bodylen;
	rq.where = where;
	rq.connect_timeout_ms = ctx->connect_ms;
	rq.timeout_ms = ctx->timeout_ms;
	ct_buf_init(&rs.body, CT_HTTP_MAX_BODY);
	if (ct_http_do(http, &rq, &rs, err) != 0) {
		ct_buf_free(&rs.body);
		goto out;
	}
	if (rs.status == 200) {
		if (ct_buf_add(out, rs.body.data ? rs.body.data : "",
		    rs.body.len) != 0)
			ct_awserr_set(err, CT_AWS_OTHER, "ResponseTooLarge",
			    "%s: answer too large", where);
		else
			rc = 0;
		ct_buf_free(&rs.body);
		goto out;
	}
	ct_awserr_from_http(err, where, rs.status,
	    rs.body.data ? rs.body.data : "", rs.body.len);
	ct_buf_free(&rs.body);
	if (err->code[0] == '\0' && ((rs.status >= 400 && rs.status < 500 &&
	    rs.status != 429) || rs.status == 501))
		not_aws(ctx, c->service, url, err);
	if (ct_awserr_is_expired(err->code) && c->sign && c->creds == NULL) {
		if (ct_creds_invalidate(ctx->creds, gen))
			err->cls = CT_AWS_RETRYABLE;
		else
			err->cls = CT_AWS_CREDENTIALS;
	}
	if (err->cls == CT_AWS_CREDENTIALS && c->sign)
		ct_awserr_append(err, "; credentials from %s",
		    c->creds ? "the source profile" : ct_creds_source(ctx->creds));
out:
	ct_sigv4_output_free(&so);
	for (i = 0; i < 6; i++)
		ct_buf_wipe(&hb[i]);
	ct_creds_wipe(&cr);
	return rc;
}

/* Attempts with standard-mode retries (when retry is set). */
static int
call(struct ct_aws_ctx *ctx, struct ct_http *http, struct ct_retry *rp,
    const volatile sig_atomic_t *abort, const struct call *c, int retry,
    struct ct_buf *out, struct ct_aws_error *err)
{
	struct ct_buf url;
	size_t keep = out->len;
	int n, rc;

	ct_buf_init(&url, 4096);
	if (resolve(ctx, c->service, c->region, http == ctx->cred_http, &url,
	    err) != 0) {
		ct_buf_free(&url);
		return -1;
	}
	for (n = 1;; n++) {
		ct_awserr_clear(err);
		out->len = keep;
		if (out->data != NULL)
			out->data[keep] = '\0';
		rc = attempt(ctx, http, c, url.data, out, err);
		if (rc == 0) {
			ct_retry_success(rp);
			break;
		}
		if (rc == -2) {
			rc = -1;
			break;
		}
		if (!retry || !ct_retry_allow(rp, n, err->cls,
		    strcmp(err->code, "Timeout") == 0))
			break;
		sleep_ms(ct_retry_delay_ms(n), abort);
		if (abort != NULL && *abort) {
			ct_awserr_set(err, CT_AWS_CANCELLED, "Cancelled",
			    "%s: interrupted", c->what);
			break;
		}
	}
	ct_buf_free(&url);
	return rc;
}

/* ---- the credential provider's I/O (runs under its lock) ----------------- */

static int
io_sts(void *arg, const char *region, const struct ct_creds *signer,
    const char *form, struct ct_buf *out, struct ct_aws_error *err)
{
	struct ct_aws_ctx *ctx = arg;
	struct call c;
	const char *a = strstr(form, "Action=");

	memset(&c, 0, sizeof(c));
	c.service = "sts";
	c.region = region;
	c.what = a != NULL && strncmp(a + 7, "AssumeRoleWithWebIdentity",
	    25) == 0 ? "AssumeRoleWithWebIdentity" : "AssumeRole";
	c.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	c.body = form;
	c.bodylen = strlen(form);
	c.sign = signer != NULL;
	c.creds = signer;
	return call(ctx, ctx->cred_http, &ctx->cred_retry, NULL, &c, 1, out,
	    err);
}

static int
io_http(void *arg, const char *method, const char *url,
    const char *const *headers, long timeout_ms, struct ct_buf *out,
    long *status, struct ct_aws_error *err)
{
	struct ct_aws_ctx *ctx = arg;
	struct ct_http_req rq;
	struct ct_http_resp rs;
	int rc;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.url = url;
	rq.headers = headers;
	rq.connect_timeout_ms = timeout_ms;
	rq.timeout_ms = timeout_ms * 3;
	rq.where = "credentials";
	if (strcmp(method, "PUT") == 0) {
		rq.body = "";
		rq.bodylen = 0;
	}
	ct_buf_init(&rs.body, out->cap);
	rc = ct_http_do(ctx->cred_http, &rq, &rs, err);
	*status = rs.status;
	if (rc == 0)
		ct_buf_add(out, rs.body.data ? rs.body.data : "", rs.body.len);
	ct_buf_wipe(&rs.body);
	return rc;
}

static int
io_sso_url(void *arg, const char *region, struct ct_buf *out,
    struct ct_aws_error *err)
{
	return resolve(arg, "portal.sso", region, 1, out, err);
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
	for (i = 0; i < SVC_N; i++) {
		const char *su = ct_ini_get_sub(ss, svc_key[i], "endpoint_url");

		ctx->ep_prof_svc[i] = su ? xstrdup(su) : NULL;
		ctx->ep[i].use_fips = fips && i != SVC_SSO;
		ctx->ep[i].ignore_configured = ignore;
		ctx->ep[i].option_url = i != SVC_SSO ? o->endpoint_url : NULL;
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
	io.arg = ctx;
	io.sts = io_sts;
	io.http = io_http;
	io.sso_url = io_sso_url;
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
	for (i = 0; i < SVC_N; i++)
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

/* ---- clients ---------------------------------------------------------------- */

struct ct_aws *
ct_aws_new(struct ct_aws_ctx *ctx, const char *region, struct ct_aws_error *err)
{
	struct ct_aws *c;

	ct_awserr_clear(err);
	if (region == NULL)
		region = ctx->region;
	if (!ct_endpoint_valid_region(region)) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidRegion",
		    "\"%.80s\" is not a region name (like eu-west-1)", region);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->ctx = ctx;
	c->region = xstrdup(region);
	if ((c->http = ct_http_new(ctx->ua)) == NULL) {
		ct_awserr_set(err, CT_AWS_OTHER, "OutOfMemory",
		    "cannot make an HTTP handle (curl_easy_init)");
		free(c->region);
		free(c);
		return NULL;
	}
	ct_http_set_ca(c->http, ctx->ca);
	ct_http_set_debug(c->http, ctx->debug, ctx->debug_arg);
	c->retry = ctx->retry;
	return c;
}

void
ct_aws_free(struct ct_aws *c)
{
	if (c == NULL)
		return;
	ct_http_free(c->http);
	free(c->region);
	free(c);
}

const char *
ct_aws_region(const struct ct_aws *c)
{
	return c->region;
}

unsigned long
ct_aws_transfers(const struct ct_aws *c)
{
	return ct_http_count(c->http);
}

unsigned long
ct_aws_connects(const struct ct_aws *c)
{
	return ct_http_connects(c->http);
}

void
ct_aws_set_abort(struct ct_aws *c, const volatile sig_atomic_t *flag)
{
	c->abort = flag;
	ct_http_set_abort(c->http, flag);
}

static const char *
action_of(const char *form, char *buf, size_t sz)
{
	const char *a = strstr(form, "Action=");

	if (a == NULL)
		return "call";
	a += 7;
	snprintf(buf, sz, "%.*s", (int)strcspn(a, "&"), a);
	return buf;
}

int
ct_aws_call_query(struct ct_aws *c, const char *service, const char *form,
    int retry, struct ct_buf *out, struct ct_aws_error *err)
{
	struct call k;
	char act[128];

	memset(&k, 0, sizeof(k));
	k.service = service;
	k.region = c->region;
	k.what = action_of(form, act, sizeof(act));
	k.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	k.body = form;
	k.bodylen = strlen(form);
	k.sign = 1;
	return call(c->ctx, c->http, &c->retry, c->abort, &k, retry, out, err);
}

int
ct_aws_call_json(struct ct_aws *c, const char *service, const char *target,
    const char *body, size_t n, int retry, struct ct_buf *out,
    struct ct_aws_error *err)
{
	struct call k;
	const char *dot = strrchr(target, '.');

	memset(&k, 0, sizeof(k));
	k.service = service;
	k.region = c->region;
	k.what = dot ? dot + 1 : target;
	k.content_type = "application/x-amz-json-1.1";
	k.target = target;
	k.body = body;
	k.bodylen = n;
	k.sign = 1;
	return call(c->ctx, c->http, &c->retry, c->abort, &k, retry, out, err);
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
	struct ct_endpoint_cfg cfg = ctx->ep[SVC_STS];
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
