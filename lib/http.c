/* http.c - see http.h */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <curl/curl.h>

#include "http.h"
#include "xalloc.h"

struct ct_http {
	CURL				*curl;
	char				*ua;
	const volatile sig_atomic_t	*abort;
	unsigned long			 count;
	unsigned long			 connects;
	struct ct_buf			*sink;
	int				 overflow;
	char				*ca;
	struct ct_http_trace		 trace;
};

struct ct_http *
ct_http_new(const char *ua)
{
	struct ct_http *h = xcalloc(1, sizeof(*h));

	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		free(h);
		return NULL;
	}
	h->ua = xstrdup(ua ? ua : "ct-tools");
	return h;
}

void
ct_http_free(struct ct_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->ua);
	free(h->ca);
	free(h);
}

void
ct_http_set_ca(struct ct_http *h, const char *path)
{
	free(h->ca);
	h->ca = path != NULL && *path != '\0' ? xstrdup(path) : NULL;
}

void
ct_http_set_debug(struct ct_http *h, void (*fn)(void *, const char *),
    void *arg)
{
	h->trace.fn = fn;
	h->trace.arg = arg;
}

void
ct_http_set_abort(struct ct_http *h, const volatile sig_atomic_t *flag)
{
	h->abort = flag;
}

unsigned long
ct_http_count(const struct ct_http *h)
{
	return h->count;
}

unsigned long
ct_http_connects(const struct ct_http *h)
{
	return h->connects;
}

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct ct_http *h = arg;
	size_t n = size * nmemb;

	if (ct_buf_add(h->sink, p, n) != 0) {
		h->overflow = 1;
		return 0;
	}
	return n;
}

static int
on_progress(void *arg, curl_off_t dlt, curl_off_t dln, curl_off_t ult,
    curl_off_t uln)
{
	struct ct_http *h = arg;

	return h->abort != NULL && *h->abort ? 1 : 0;
}

/* ---- debug trace ---------------------------------------------------------- */

/* Header names whose whole value is a secret. */
static const char *const secret_headers[] = {
	"authorization", "proxy-authorization", "x-amz-security-token",
	"x-aws-ec2-metadata-token", "x-amz-sso_bearer_token", "cookie",
	"set-cookie", NULL
};

/* Append p[0..n) with control characters as '?'. */
static int
add_clean(struct ct_buf *b, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ct_buf_addc(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch))
			return -1;
	}
	return 0;
}

/* A SigV4 Authorization value with Credential= and Signature= masked up
 * to the next ',' or ' '. */
static int
add_sigv4(struct ct_buf *b, const char *v, size_t n)
{
	static const char *const keys[] = { "Credential=", "Signature=" };
	size_t i, k, kl = 0;

	for (i = 0; i < n;) {
		for (k = 0; k < 2; k++) {
			kl = strlen(keys[k]);
			if (n - i >= kl && memcmp(v + i, keys[k], kl) == 0)
				break;
		}
		if (k == 2) {
			if (add_clean(b, v + i, 1))
				return -1;
			i++;
			continue;
		}
		if (ct_buf_add(b, v + i, kl) || ct_buf_adds(b, "****"))
			return -1;
		for (i += kl; i < n && v[i] != ',' && v[i] != ' '; i++)
			;
	}
	return 0;
}

int
ct_http_debug_mask(const char *dir, const char *p, size_t n,
    struct ct_buf *out)
{
	const char *colon = memchr(p, ':', n), *v;
	size_t nl, k;

	if (ct_buf_adds(out, dir))
		return -1;
	if (colon == NULL)
		return add_clean(out, p, n);
	nl = (size_t)(colon - p);
	for (k = 0; secret_headers[k] != NULL; k++)
		if (strlen(secret_headers[k]) == nl &&
		    strncasecmp(p, secret_headers[k], nl) == 0)
			break;
	if (add_clean(out, p, nl + 1))
		return -1;
	if (secret_headers[k] == NULL)
		return add_clean(out, colon + 1, n - nl - 1);
	v = colon + 1;
	while (v < p + n && (*v == ' ' || *v == '\t'))
		v++;
	if (ct_buf_adds(out, " "))
		return -1;
	if (k == 0 && (size_t)(p + n - v) > 17 &&
	    strncmp(v, "AWS4-HMAC-SHA256 ", 17) == 0)
		return add_sigv4(out, v, (size_t)(p + n - v));
	return ct_buf_adds(out, "****");
}

/* One header block line (no CR LF) to the hook, masked. */
static void
debug_line(const struct ct_http_trace *t, const char *dir, const char *p,
    size_t n)
{
	struct ct_buf b;

	ct_buf_init(&b, 64 << 10);
	(void)ct_http_debug_mask(dir, p, n, &b);
	if (b.data != NULL)
		t->fn(t->arg, b.data);
	ct_buf_free(&b);
}

static int
on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	const struct ct_http_trace *t = arg;
	const char *dir, *p = data, *e = data + size, *nl;
	size_t n;

	(void)c;
	if (type == CURLINFO_HEADER_OUT)
		dir = "> ";
	else if (type == CURLINFO_HEADER_IN)
		dir = "< ";
	else
		return 0;	/* bodies hold secrets; curl's own text: noise */
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = (size_t)((nl != NULL ? nl : e) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0)
			debug_line(t, dir, p, n);
		p = nl != NULL ? nl + 1 : e;
	}
	return 0;
}

/* HTTP_PROXY for http:// URLs, as Python's urllib reads it (see http.h). */
static void
set_proxy(CURL *c, const char *url)
{
	const char *p;

	if (strncasecmp(url, "http://", 7) != 0 || getenv("http_proxy") != NULL
	    || getenv("REQUEST_METHOD") != NULL)
		return;
	if ((p = getenv("HTTP_PROXY")) != NULL && *p != '\0')
		curl_easy_setopt(c, CURLOPT_PROXY, p);
}

void
ct_http_setup_easy(void *easy, const char *url,
    const struct ct_http_trace *t)
{
	CURL *c = easy;

	/* NULL: libcurl's own choice from the lower-case variables */
	curl_easy_setopt(c, CURLOPT_PROXY, (char *)NULL);
	set_proxy(c, url);
	if (t != NULL && t->fn != NULL) {
		curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(c, CURLOPT_DEBUGDATA, t);
		curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	}
}

int
ct_http_do(struct ct_http *h, const struct ct_http_req *rq,
    struct ct_http_resp *resp, struct ct_aws_error *err)
{
	struct curl_slist *hl = NULL, *t;
	const char *const *hp;
	const char *where = rq->where ? rq->where : rq->url;
	char ebuf[CURL_ERROR_SIZE];
	CURLcode rc;
	CURL *c = h->curl;

	ct_awserr_clear(err);
	ct_buf_reset(&resp->body);
	resp->status = 0;
	if (h->abort != NULL && *h->abort) {
		ct_awserr_set(err, CT_AWS_CANCELLED, "Cancelled",
		    "%s: interrupted", where);
		return -1;
	}
	/* Reset options but keep the connection cache. */
	curl_easy_reset(c);
	ebuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->ua);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca);
	set_proxy(c, rq->url);
	if (h->trace.fn != NULL) {
		curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(c, CURLOPT_DEBUGDATA, &h->trace);
		curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    rq->connect_timeout_ms > 0 ? rq->connect_timeout_ms : 10000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
	    rq->timeout_ms > 0 ? rq->timeout_ms : 60000L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	if (strcmp(rq->method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else {
		if (strcmp(rq->method, "POST") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    rq->body != NULL ? rq->body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->bodylen);
	}
	/* No "Expect: 100-continue", no default Content-Type. */
	hl = curl_slist_append(hl, "Expect:");
	for (hp = rq->headers; hp != NULL && *hp != NULL && hl != NULL; hp++)
		if ((t = curl_slist_append(hl, *hp)) != NULL)
			hl = t;
	if (rq->body == NULL && strcmp(rq->method, "GET") != 0 && hl != NULL &&
	    (t = curl_slist_append(hl, "Content-Type:")) != NULL)
		hl = t;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	h->sink = &resp->body;
	h->overflow = 0;
	h->count++;
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	{
		long nc = 0;

		if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &nc) == CURLE_OK
		    && nc > 0)
			h->connects += (unsigned long)nc;
	}
	/* The headers may hold secrets (token, authorization). */
	for (t = hl; t != NULL; t = t->next)
		explicit_bzero(t->data, strlen(t->data));
	curl_slist_free_all(hl);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
	h->sink = NULL;
	if (rc == CURLE_OK)
		return 0;

	if (ebuf[0] == '\0')
		snprintf(ebuf, sizeof(ebuf), "%s", curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK:
		ct_awserr_set(err, CT_AWS_CANCELLED, "Cancelled",
		    "%s: interrupted", where);
		break;
	case CURLE_WRITE_ERROR:
		if (h->overflow) {
			ct_awserr_set(err, CT_AWS_OTHER, "ResponseTooLarge",
			    "%s: answer larger than %zu bytes", where,
			    resp->body.cap);
			break;
		}
		/* FALLTHROUGH */
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
		ct_awserr_set(err, CT_AWS_RETRYABLE, "TruncatedBody",
		    "%s: answer cut short: %s", where, ebuf);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		ct_awserr_set(err, CT_AWS_RETRYABLE, "Timeout",
		    "%s: timed out: %s", where, ebuf);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		ct_awserr_set(err, CT_AWS_NETWORK, "ConnectionError",
		    "%s: cannot connect: %s", where, ebuf);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		ct_awserr_set(err, CT_AWS_NETWORK, "TLSError",
		    "%s: TLS: %s (AWS_CA_BUNDLE, or the profile's "
		    "ca_bundle, names the CA file)", where,
		    ebuf);
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		ct_awserr_set(err, CT_AWS_OTHER, "BadURL", "%s: bad URL: %s",
		    where, ebuf);
		break;
	default:
		/* Resets, empty replies, send/recv errors: transient. */
		ct_awserr_set(err, CT_AWS_RETRYABLE, "ConnectionError",
		    "%s: %s", where, ebuf);
		break;
	}
	return -1;
}

/* ---- retry policy ------------------------------------------------------ */

int
ct_retry_init(struct ct_retry *r, const char *prof_max, const char *prof_mode,
    struct ct_buf *err)
{
	const char *m = getenv("AWS_RETRY_MODE"), *a = getenv("AWS_MAX_ATTEMPTS");
	const char *mwhat = "AWS_RETRY_MODE", *awhat = "AWS_MAX_ATTEMPTS";
	char *end;
	long v;

	if (m == NULL || *m == '\0') {
		m = prof_mode;
		mwhat = "retry_mode in the profile";
	}
	if (a == NULL || *a == '\0') {
		a = prof_max;
		awhat = "max_attempts in the profile";
	}
	r->mode = CT_RETRY_STANDARD;
	if (m != NULL && *m != '\0') {
		if (strcmp(m, "standard") == 0)
			r->mode = CT_RETRY_STANDARD;
		else if (strcmp(m, "legacy") == 0)
			r->mode = CT_RETRY_LEGACY;
		else if (strcmp(m, "adaptive") == 0)
			r->mode = CT_RETRY_ADAPTIVE;
		else {
			ct_buf_reset(err);
			ct_buf_printf(err, "%s: \"%.40s\" is not standard, "
			    "legacy or adaptive", mwhat, m);
			return -1;
		}
	}
	r->max_attempts = r->mode == CT_RETRY_LEGACY ? 5 : 3;
	if (a != NULL && *a != '\0') {
		errno = 0;
		v = strtol(a, &end, 10);
		if (errno || *end != '\0' || v < 1 || v > 100) {
			ct_buf_reset(err);
			ct_buf_printf(err, "%s: \"%.40s\" is not a number of "
			    "attempts from 1 to 100", awhat, a);
			return -1;
		}
		r->max_attempts = (int)v;
	}
	r->quota = 500;
	return 0;
}

long
ct_retry_delay_ms(int i)
{
	uint32_t rnd = 0;
	double cap, d;

	if (i < 1)
		i = 1;
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (uint32_t)rand();
	cap = i > 16 ? 20000.0 : 1000.0 * (double)(1u << (i - 1));
	if (cap > 20000.0)
		cap = 20000.0;
	d = cap * ((double)rnd / 4294967296.0);
	return (long)d;
}

int
ct_retry_allow(struct ct_retry *r, int attempt, enum ct_aws_class cls,
    int timeout)
{
	int cost = timeout ? 10 : 5;

	if (attempt >= r->max_attempts)
		return 0;
	if (cls != CT_AWS_THROTTLED && cls != CT_AWS_RETRYABLE &&
	    cls != CT_AWS_NETWORK)
		return 0;
	if (r->quota < cost)
		return 0;
	r->quota -= cost;
	return 1;
}

void
ct_retry_success(struct ct_retry *r)
{
	if (r->quota < 500)
		r->quota++;
}

int
ct_http_header_value(const char *p, size_t n, const char *name, char *out,
    size_t outsz, int *too_long)
{
	size_t k = strlen(name), e;

	if (n <= k || strncasecmp(p, name, k) != 0)
		return 0;
	p += k;
	n -= k;
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	for (e = n; e > 0 && (p[e - 1] == '\r' || p[e - 1] == '\n' ||
	    p[e - 1] == ' ' || p[e - 1] == '\t'); e--)
		;
	if (e >= outsz) {
		if (too_long != NULL)
			*too_long = 1;
		out[0] = '\0';
		return 1;
	}
	memcpy(out, p, e);
	out[e] = '\0';
	return 1;
}
