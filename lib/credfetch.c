/*
 * credfetch.c - fetching credentials from a source: see creds_int.h.
 *
 * One function per kind of source, and ct_cred_fetch choosing among them;
 * a role's parent is fetched first, through the same function.  STS and
 * SSO go through the provider's io callbacks (the AWS client), so this
 * file needs no client of its own.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "creds.h"
#include "creds_int.h"
#include "hex.h"
#include "http.h"
#include "json.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"


static int
from_sts_xml(const char *body, size_t n, struct ct_creds *out,
    const char *what, struct ct_aws_error *err)
{
	struct ct_buf v[4];
	static const char *const tags[] = { "AccessKeyId", "SecretAccessKey",
	    "SessionToken", "Expiration" };
	size_t pos = 0, ilen;
	const char *inner;
	int i, ok = 1;

	if (ct_xml_next(body, n, &pos, "Credentials", &inner, &ilen) != 1) {
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "%s: answer has no <Credentials>", what);
		return -1;
	}
	for (i = 0; i < 4; i++) {
		ct_buf_init(&v[i], SMALL_CAP);
		if (ct_xml_get(inner, ilen, tags[i], &v[i]) != 1)
			ok = 0;
	}
	if (ok && ct_creds_parse_time(v[3].data, &out->expiration) != 0)
		ok = 0;
	if (ok && v[0].len == 0)
		ok = 0;
	if (ok) {
		out->access_key = xstrdup(v[0].data);
		out->secret_key = xstrdup(v[1].data);
		out->token = xstrdup(v[2].data);
	} else
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "%s: incomplete <Credentials> in the answer", what);
	for (i = 0; i < 4; i++)
		ct_buf_wipe(&v[i]);
	return ok ? 0 : -1;
}

/* Append "&k=v" URI-encoded. */
static void
form(struct ct_buf *f, const char *k, const char *v)
{
	(void)ct_sigv4_form_add(f, k, v);
}

static int
read_mfa(const char *serial, char *code, size_t sz, struct ct_aws_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	char prompt[512];
	ssize_t r;
	size_t n = 0;

	if (fd < 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "MFARequired",
		    "mfa_serial %s: a terminal is needed to type the MFA code",
		    serial);
		return -1;
	}
	snprintf(prompt, sizeof(prompt), "Enter MFA code for %s: ", serial);
	(void)!write(fd, prompt, strlen(prompt));
	while (n + 1 < sz && (r = read(fd, code + n, 1)) == 1 &&
	    code[n] != '\n')
		n++;
	code[n] = '\0';
	close(fd);
	if (n == 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "MFARequired",
		    "mfa_serial %s: no MFA code typed", serial);
		return -1;
	}
	return 0;
}

static int
fetch_role(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	struct ct_creds parent = { 0 };
	struct ct_buf f, body;
	char code[32], what[600];
	int rc;

	snprintf(what, sizeof(what), "AssumeRole %s", s->role_arn);
	if (ct_cred_fetch(p, s->parent, &parent, err) != 0)
		return -1;
	ct_buf_init(&f, SMALL_CAP);
	form(&f, "Action", "AssumeRole");
	form(&f, "Version", "2011-06-15");
	form(&f, "RoleArn", s->role_arn);
	form(&f, "RoleSessionName", s->session_name);
	if (s->external_id)
		form(&f, "ExternalId", s->external_id);
	if (s->duration)
		form(&f, "DurationSeconds", s->duration);
	if (s->mfa_serial) {
		if (read_mfa(s->mfa_serial, code, sizeof(code), err) != 0) {
			ct_creds_wipe(&parent);
			ct_buf_wipe(&f);
			return -1;
		}
		form(&f, "SerialNumber", s->mfa_serial);
		form(&f, "TokenCode", code);
		explicit_bzero(code, sizeof(code));
	}
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = p->io.sts(p->io.arg, p->region, &parent, f.data, &body, err);
	ct_creds_wipe(&parent);
	ct_buf_wipe(&f);
	if (rc == 0)
		rc = from_sts_xml(body.data, body.len, out, what, err);
	else if (err->cls != CT_AWS_NETWORK && err->cls != CT_AWS_RETRYABLE &&
	    err->cls != CT_AWS_THROTTLED) {
		ct_awserr_append(err, " (role of profile %s)", s->profile);
	}
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_webid(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	struct ct_buf tok, f, body;
	char what[600];
	int rc;

	snprintf(what, sizeof(what), "AssumeRoleWithWebIdentity %s",
	    s->role_arn);
	ct_buf_init(&tok, SMALL_CAP);
	if (ct_cred_read_small(s->token_file, &tok, err,
	    "web identity token file") != 0) {
		ct_buf_wipe(&tok);
		return -1;
	}
	ct_cred_rtrim(&tok);
	ct_buf_init(&f, SMALL_CAP * 2);
	form(&f, "Action", "AssumeRoleWithWebIdentity");
	form(&f, "Version", "2011-06-15");
	form(&f, "RoleArn", s->role_arn);
	form(&f, "RoleSessionName", s->session_name);
	form(&f, "WebIdentityToken", tok.data);
	if (s->duration)
		form(&f, "DurationSeconds", s->duration);
	ct_buf_wipe(&tok);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = p->io.sts(p->io.arg, p->region, NULL, f.data, &body, err);
	ct_buf_wipe(&f);
	if (rc == 0)
		rc = from_sts_xml(body.data, body.len, out, what, err);
	ct_buf_wipe(&body);
	return rc;
}

static void
sha1_hex(const char *s, char out[41])
{
	unsigned char md[SHA_DIGEST_LENGTH];

	SHA1((const unsigned char *)s, strlen(s), md);
	ct_hex_encode(md, SHA_DIGEST_LENGTH, out);
}

static int
fetch_sso(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *home = ct_cred_env("HOME");
	char hex[41], path[PATH_MAX], login[600];
	struct ct_buf cache, url, body, hdr;
	struct ct_jdoc *d;
	const char *tok, *exp, *hp[2];
	time_t texp;
	long status = 0;
	int rc = -1;

	snprintf(login, sizeof(login), "run \"aws sso login --profile %s\"",
	    s->profile);
	sha1_hex(s->cache_key, hex);
	if (snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json",
	    home ? home : "", hex) >= (int)sizeof(path)) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenMissing",
		    "HOME too long");
		return -1;
	}
	ct_buf_init(&cache, SMALL_CAP);
	ct_buf_init(&url, 4096);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	ct_buf_init(&hdr, SMALL_CAP);
	d = NULL;
	if (access(path, R_OK) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenMissing",
		    "no SSO token cached for %s (%s): %s", s->cache_key, path,
		    login);
		goto out;
	}
	if (ct_cred_read_small(path, &cache, err, "SSO token cache") != 0)
		goto out;
	d = ct_json_parse(cache.data, cache.len, &hdr);
	tok = d ? ct_json_get_str(ct_json_root(d), "accessToken") : NULL;
	exp = d ? ct_json_get_str(ct_json_root(d), "expiresAt") : NULL;
	if (tok == NULL || exp == NULL || ct_creds_parse_time(exp, &texp) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenInvalid",
		    "%s: not a readable SSO token cache (no accessToken or "
		    "expiresAt): %s", path, login);
		goto out;
	}
	if (texp <= time(NULL)) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenExpired",
		    "the SSO token for %s expired at %s: %s", s->cache_key,
		    exp, login);
		goto out;
	}
	if (p->io.sso_url(p->io.arg, s->sso_region, &url, err) != 0)
		goto out;
	ct_buf_adds(&url, "/federation/credentials?role_name=");
	(void)ct_sigv4_form_add(&url, NULL, s->role_name);
	ct_buf_adds(&url, "&account_id=");
	(void)ct_sigv4_form_add(&url, NULL, s->account_id);
	ct_buf_reset(&hdr);
	ct_buf_printf(&hdr, "x-amz-sso_bearer_token: %s", tok);
	hp[0] = hdr.data;
	hp[1] = NULL;
	if (p->io.http(p->io.arg, "GET", url.data, hp, 10000, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200) {
		ct_awserr_from_http(err, "SSO GetRoleCredentials", status,
		    body.data ? body.data : "", body.len);
		if (status == 401 || status == 403 ||
		    strcmp(err->code, "UnauthorizedException") == 0) {
			err->cls = CT_AWS_CREDENTIALS;
			ct_awserr_append(err, ": %s", login);
		}
		goto out;
	}
	rc = ct_cred_from_json(body.data, body.len, "roleCredentials", "accessKeyId",
	    "secretAccessKey", "sessionToken", "expiration", out,
	    "SSO GetRoleCredentials", err);
out:
	ct_json_free(d);
	ct_buf_wipe(&cache);
	ct_buf_free(&url);
	ct_buf_wipe(&body);
	ct_buf_wipe(&hdr);
	return rc;
}

/* Is an http:// URL's host allowed for container credentials? */
static int
container_host_ok(const char *url)
{
	const char *h, *e;
	char host[256];
	size_t n;

	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	if (*h == '[') {
		e = strchr(h, ']');
		if (e == NULL)
			return 0;
		n = (size_t)(e - h - 1);
		h++;
	} else {
		n = strcspn(h, ":/?#");
	}
	if (n == 0 || n >= sizeof(host))
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "169.254.170.2") == 0 ||
	    strcmp(host, "169.254.170.23") == 0 ||
	    strcasecmp(host, "fd00:ec2::23") == 0)
		return 1;
	return 0;
}

static int
fetch_container(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *rel = ct_cred_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = ct_cred_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tfile = ct_cred_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tenv = ct_cred_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct ct_buf url, tok, hdr, body;
	const char *hp[2] = { NULL, NULL };
	long status = 0;
	int rc = -1, tries;

	ct_awserr_clear(err);
	ct_buf_init(&url, 4096);
	ct_buf_init(&tok, SMALL_CAP);
	ct_buf_init(&hdr, SMALL_CAP);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	if (rel != NULL)
		ct_buf_printf(&url, "http://169.254.170.2%s", rel);
	else if (full != NULL) {
		if (!container_host_ok(full)) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https:// "
			    "or name a loopback or ECS/EKS address");
			goto out;
		}
		ct_buf_adds(&url, full);
	} else {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
		    "container credentials: neither "
		    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is "
		    "set");
		goto out;
	}
	if (tfile != NULL) {
		if (ct_cred_read_small(tfile, &tok, err,
		    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") != 0)
			goto out;
		ct_cred_rtrim(&tok);
	} else if (tenv != NULL)
		ct_buf_adds(&tok, tenv);
	if (tok.len > 0) {
		if (strpbrk(tok.data, "\r\n") != NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "the container authorization token contains a "
			    "line break");
			goto out;
		}
		ct_buf_printf(&hdr, "Authorization: %s", tok.data);
		hp[0] = hdr.data;
	}
	/* Three attempts, 1 s apart, for transient failures (as botocore). */
	for (tries = 1;; tries++) {
		ct_awserr_clear(err);
		ct_buf_reset(&body);
		if (p->io.http(p->io.arg, "GET", url.data, hp, 5000, &body,
		    &status, err) == 0 && status < 500)
			break;
		if (tries == 3)
			break;
		sleep(1);
	}
	if (err->cls != CT_AWS_OK)
		goto out;
	if (status != 200) {
		ct_awserr_from_http(err, "container credentials", status,
		    body.data ? body.data : "", body.len);
		if (status >= 400 && status < 500)
			err->cls = CT_AWS_CREDENTIALS;
		goto out;
	}
	rc = ct_cred_from_json(body.data, body.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "Token", "Expiration", out,
	    "container credentials", err);
out:
	ct_buf_free(&url);
	ct_buf_wipe(&tok);
	ct_buf_wipe(&hdr);
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_imds(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *base = ct_cred_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *tmo = ct_cred_env("AWS_METADATA_SERVICE_TIMEOUT");
	struct ct_buf url, tok, hdr, body;
	const char *hp[2] = { NULL, NULL };
	char role[256];
	long status = 0, timeout = 1000;
	size_t bl;
	int rc = -1;

	if (base == NULL)
		base = "http://169.254.169.254";
	bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (tmo != NULL && atol(tmo) > 0)
		timeout = atol(tmo) * 1000;
	ct_buf_init(&url, 4096);
	ct_buf_init(&tok, SMALL_CAP);
	ct_buf_init(&hdr, SMALL_CAP);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	ct_buf_printf(&url, "%.*s/latest/api/token", (int)bl, base);
	hp[0] = "X-aws-ec2-metadata-token-ttl-seconds: 21600";
	if (p->io.http(p->io.arg, "PUT", url.data, hp, timeout, &tok, &status,
	    err) != 0)
		goto out;
	if (status != 200 || tok.len == 0 ||
	    strpbrk(tok.data, "\r\n") != NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: no IMDSv2 token (HTTP %ld)",
		    status);
		goto out;
	}
	ct_buf_printf(&hdr, "X-aws-ec2-metadata-token: %s", tok.data);
	hp[0] = hdr.data;
	ct_buf_reset(&url);
	ct_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/",
	    (int)bl, base);
	if (p->io.http(p->io.arg, "GET", url.data, hp, timeout, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200 || body.len == 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: no IAM role attached to this "
		    "instance (HTTP %ld)", status);
		goto out;
	}
	snprintf(role, sizeof(role), "%.*s", (int)strcspn(body.data, "\r\n"),
	    body.data);
	ct_buf_reset(&url);
	ct_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/",
	    (int)bl, base);
	(void)ct_sigv4_form_add(&url, NULL, role);
	ct_buf_reset(&body);
	if (p->io.http(p->io.arg, "GET", url.data, hp, timeout, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: role %s: HTTP %ld", role, status);
		goto out;
	}
	rc = ct_cred_from_json(body.data, body.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "Token", "Expiration", out,
	    "EC2 instance metadata", err);
out:
	ct_buf_free(&url);
	ct_buf_wipe(&tok);
	ct_buf_wipe(&hdr);
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_tail(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	char tried[sizeof(err->line)];

	if (ct_cred_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
	    ct_cred_env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL)
		return fetch_container(p, out, err);
	if (!ct_cred_truthy(ct_cred_env("AWS_EC2_METADATA_DISABLED"))) {
		if (fetch_imds(p, out, err) == 0)
			return 0;
		snprintf(tried, sizeof(tried), "; %s",
		    err->code[0] && strcmp(err->code, "ConnectionError") &&
		    strcmp(err->code, "Timeout") ? err->message :
		    "EC2 instance metadata: not reachable");
	} else
		snprintf(tried, sizeof(tried), "%s",
		    "; EC2 instance metadata disabled");
	ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
	    "no AWS credentials found (tried AWS_ACCESS_KEY_ID, the profile in "
	    "the AWS config and credentials files, container credentials%s): "
	    "run \"aws configure\", set AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, or name a profile with --profile",
	    tried);
	return -1;
}

int
ct_cred_fetch(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	memset(out, 0, sizeof(*out));
	switch (s->kind) {
	case K_STATIC:
		out->access_key = xstrdup(s->ak);
		out->secret_key = xstrdup(s->sk);
		out->token = ct_cred_dupornull(s->tok);
		return 0;
	case K_ENV:
		if (ct_cred_env("AWS_ACCESS_KEY_ID") == NULL ||
		    ct_cred_env("AWS_SECRET_ACCESS_KEY") == NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
			    "credential_source Environment: "
			    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
			    "not set");
			return -1;
		}
		out->access_key = xstrdup(ct_cred_env("AWS_ACCESS_KEY_ID"));
		out->secret_key = xstrdup(ct_cred_env("AWS_SECRET_ACCESS_KEY"));
		out->token = ct_cred_dupornull(ct_cred_env("AWS_SESSION_TOKEN"));
		return 0;
	case K_ROLE:
		return fetch_role(p, s, out, err);
	case K_WEBID:
		return fetch_webid(p, s, out, err);
	case K_SSO:
		return fetch_sso(p, s, out, err);
	case K_PROCESS:
		return ct_cred_fetch_process(p, s, out, err);
	case K_CONTAINER:
		return fetch_container(p, out, err);
	case K_IMDS:
		return fetch_imds(p, out, err);
	case K_TAIL:
		return fetch_tail(p, out, err);
	}
	return -1;
}
