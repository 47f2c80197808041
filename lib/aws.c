/*
 * aws.c - the AWS client (aws.h): a request signed, sent and classified,
 * with standard-mode retries; the per-region client ct_aws; the credential
 * provider's I/O through the same path.  The shared context it reads is
 * built by awsconf.c (awsctx.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws.h"
#include "awsctx.h"
#include "creds.h"
#include "endpoint.h"
#include "http.h"
#include "sigv4.h"
#include "xalloc.h"

/* Each service's signing name, and its key in a services block. */
static const char *const svc_name[CT_AWS_SVC_N] = { "sts", "ec2",
    "cloudtrail", "portal.sso" };
const char *const ct_aws_svc_key[CT_AWS_SVC_N] = { "sts", "ec2",
    "cloudtrail", "sso" };

struct ct_aws {
	struct ct_aws_ctx	*ctx;
	char			*region;
	struct ct_http		*http;
	struct ct_retry		 retry;
	const volatile sig_atomic_t *abort;
};

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

	for (i = 0; i < CT_AWS_SVC_N; i++)
		if (strcmp(svc_name[i], service) == 0 ||
		    strcmp(ct_aws_svc_key[i], service) == 0)
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

void
ct_aws_creds_io(struct ct_aws_ctx *ctx, struct ct_creds_io *io)
{
	io->arg = ctx;
	io->sts = io_sts;
	io->http = io_http;
	io->sso_url = io_sso_url;
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
