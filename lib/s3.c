/*
 * s3.c - S3 requests: the URL and the SigV4 headers of one GET (s3.h).
 */
#include <string.h>
#include <strings.h>

#include "s3.h"
#include "sigv4.h"

void
ct_s3_signed_init(struct ct_s3_signed *s)
{
	size_t i;

	ct_buf_init(&s->url, 0);
	for (i = 0; i < CT_S3_NHDR; i++)
		ct_buf_init(&s->hb[i], 0);
	s->headers[0] = NULL;
}

void
ct_s3_signed_free(struct ct_s3_signed *s)
{
	size_t i;

	ct_buf_free(&s->url);
	for (i = 0; i < CT_S3_NHDR; i++)
		ct_buf_wipe(&s->hb[i]);
	s->headers[0] = NULL;
}

/* Empty s for the next signature, its storage kept; the bytes of the
 * headers are wiped (one may hold the session token). */
static void
signed_reset(struct ct_s3_signed *s)
{
	size_t i;

	ct_buf_reset(&s->url);
	for (i = 0; i < CT_S3_NHDR; i++) {
		if (s->hb[i].data != NULL)
			explicit_bzero(s->hb[i].data, s->hb[i].len);
		ct_buf_reset(&s->hb[i]);
	}
	s->headers[0] = NULL;
}

int
ct_s3_style_parse(const char *s)
{
	if (s == NULL || strcmp(s, "auto") == 0)
		return CT_S3_AUTO;
	if (strcmp(s, "path") == 0)
		return CT_S3_PATH;
	if (strcmp(s, "virtual") == 0)
		return CT_S3_VIRTUAL;
	return -1;
}

int
ct_s3_query_add(struct ct_buf *q, const char *name, const char *value)
{
	int rc = 0;

	if (q->len > 0)
		rc |= ct_buf_addc(q, '&');
	rc |= ct_sigv4_uri_encode(q, name, strlen(name), 0);
	rc |= ct_buf_addc(q, '=');
	rc |= ct_sigv4_uri_encode(q, value, strlen(value), 0);
	return rc ? -1 : 0;
}

/* One DNS label of a valid bucket name: virtual-hosted style works. */
static int
dns_label(const char *b)
{
	size_t i, n = strlen(b);

	if (n < 3 || n > 63 || b[0] == '-' || b[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') ||
		    (b[i] >= '0' && b[i] <= '9') || b[i] == '-'))
			return 0;
	return 1;
}

/* "Name: value" into b: appended piecewise, as a printf of each header
 * costs several times the copy on every request. */
static void
header(struct ct_buf *b, const char *name, const char *value)
{
	size_t nn = strlen(name);

	(void)ct_buf_reserve(b, nn + strlen(value));
	ct_buf_add(b, name, nn);
	ct_buf_adds(b, value);
}

int
ct_s3_sign_get(const struct ct_s3_req *rq, struct ct_s3_signed *out,
    struct ct_buf *why)
{
	struct ct_sigv4_header sh[2];
	struct ct_sigv4_input in;
	struct ct_sigv4_output so;
	struct ct_buf host, path;
	const char *ep = rq->endpoint, *h, *e, *scheme_end;
	size_t n, nh = 0, i;
	int virt, rc = -1;

	signed_reset(out);
	ct_buf_reset(why);
	scheme_end = strstr(ep, "://");
	if (scheme_end == NULL || (strncasecmp(ep, "https://", 8) != 0 &&
	    strncasecmp(ep, "http://", 7) != 0)) {
		ct_buf_printf(why, "S3 endpoint \"%.200s\" is not an http(s) "
		    "URL", ep);
		return -1;
	}
	h = scheme_end + 3;
	e = h + strcspn(h, "/?#");
	n = (size_t)(e - h);
	if (n == 0 || *e == '?' || *e == '#') {
		ct_buf_printf(why, "S3 endpoint \"%.200s\" has no host or has "
		    "a query", ep);
		return -1;
	}
	virt = rq->style == CT_S3_VIRTUAL ||
	    (rq->style == CT_S3_AUTO && !rq->configured);
	if (!dns_label(rq->bucket))
		virt = 0;
	ct_buf_init(&host, 0);
	ct_buf_init(&path, 0);
	if (virt) {
		ct_buf_adds(&host, rq->bucket);
		ct_buf_addc(&host, '.');
	}
	ct_buf_add(&host, h, n);
	/* Default ports are not part of the Host header curl sends. */
	if (strncasecmp(ep, "https://", 8) == 0 && host.len > 4 &&
	    strcmp(host.data + host.len - 4, ":443") == 0)
		host.data[host.len -= 4] = '\0';
	else if (strncasecmp(ep, "http://", 7) == 0 && host.len > 3 &&
	    strcmp(host.data + host.len - 3, ":80") == 0)
		host.data[host.len -= 3] = '\0';
	/* the endpoint's own path, without a trailing '/' */
	n = strlen(e);
	while (n > 0 && e[n - 1] == '/')
		n--;
	ct_buf_add(&path, e, n);
	if (!virt) {
		ct_buf_addc(&path, '/');
		ct_buf_adds(&path, rq->bucket);
	}
	ct_buf_addc(&path, '/');
	if (rq->key != NULL)
		ct_buf_adds(&path, rq->key);

	(void)ct_buf_reserve(&out->url, (size_t)(h - ep) + host.len +
	    3 * path.len + (rq->query != NULL ? strlen(rq->query) + 1 : 0));
	ct_buf_add(&out->url, ep, (size_t)(h - ep));
	ct_buf_add(&out->url, host.data, host.len);
	if (ct_sigv4_uri_encode(&out->url, path.data, path.len, 1) != 0)
		goto done;
	if (rq->query != NULL && *rq->query != '\0') {
		ct_buf_addc(&out->url, '?');
		ct_buf_adds(&out->url, rq->query);
	}

	sh[0].name = "Host";
	sh[0].value = host.data;
	memset(&in, 0, sizeof(in));
	in.method = "GET";
	in.path = path.data;
	in.query = rq->query;
	in.hdr = sh;
	in.nhdr = 1;
	in.access_key = rq->access_key;
	in.secret_key = rq->secret_key;
	in.token = rq->token != NULL && *rq->token ? rq->token : NULL;
	in.region = rq->region;
	in.service = "s3";
	in.when = rq->when;
	in.cache = rq->keys;
	in.flags = CT_SIGV4_NO_NORMALIZE | CT_SIGV4_SIGN_BODY;
	ct_sigv4_output_init(&so);
	if (ct_sigv4_sign(&in, &so) != 0) {
		ct_buf_printf(why, "cannot sign the S3 request");
		ct_sigv4_output_free(&so);
		goto done;
	}
	header(&out->hb[nh++], "Host: ", host.data);
	if (so.add_date)
		header(&out->hb[nh++], "X-Amz-Date: ", so.amz_date);
	if (so.add_sha256)
		header(&out->hb[nh++], "x-amz-content-sha256: ",
		    so.payload_hash);
	if (so.add_token)
		header(&out->hb[nh++], "X-Amz-Security-Token: ", in.token);
	header(&out->hb[nh++], "Authorization: ", so.authorization.data);
	for (i = 0; i < nh; i++)
		out->headers[i] = out->hb[i].data;
	out->headers[nh] = NULL;
	ct_sigv4_output_free(&so);
	rc = 0;
done:
	ct_buf_free(&host);
	ct_buf_free(&path);
	return rc;
}
