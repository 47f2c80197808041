/* awserr.c - see awserr.h */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awserr.h"
#include "buf.h"
#include "exitcodes.h"
#include "json.h"
#include "jstr.h"
#include "xalloc.h"
#include "xml.h"

/* The SDKs' throttling codes (botocore retryhandler / standard mode). */
static const char *const throttling[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded",
	"BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL
};

static const char *const expired[] = {
	"ExpiredToken", "ExpiredTokenException",
	"TokenRefreshRequired", NULL
};

static const char *const credentials[] = {
	"InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidAccessKeyId",
	"AuthFailure", "MissingAuthenticationToken", "IncompleteSignature",
	"InvalidSignatureException", "UnrecognizedClientException",
	"UnrecognizedClient", "MissingAuthenticationTokenException",
	"InvalidToken", "ExpiredToken", "ExpiredTokenException",
	"TokenRefreshRequired", "UnauthorizedException", "InvalidIdentityToken",
	"IDPRejectedClaim", "ExpiredTokenException", NULL
};

static const char *const denied[] = {
	"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
	"UnauthorizedAccess", "OptInRequired", "AuthorizationError",
	"Forbidden", "ForbiddenException", "NotAuthorized", NULL
};

static const char *const transient[] = {
	"InternalError", "InternalFailure", "InternalServerError",
	"ServiceUnavailable", "ServiceUnavailableException",
	"RequestTimeout", "RequestTimeoutException", "IDPCommunicationError",
	"Unavailable", NULL
};

static int
in_list(const char *const *l, const char *code)
{
	if (code == NULL || *code == '\0')
		return 0;
	for (; *l != NULL; l++)
		if (strcmp(*l, code) == 0)
			return 1;
	return 0;
}

int
ct_awserr_is_expired(const char *code)
{
	return in_list(expired, code);
}

enum ct_aws_class
ct_awserr_classify(const char *code, long status)
{
	if (in_list(throttling, code) || status == 429)
		return CT_AWS_THROTTLED;
	if (in_list(credentials, code))
		return CT_AWS_CREDENTIALS;
	if (in_list(denied, code))
		return CT_AWS_DENIED;
	/* botocore's transient statuses; 501 and others are not retried. */
	if (in_list(transient, code) || status == 500 || status == 502 ||
	    status == 503 || status == 504)
		return CT_AWS_RETRYABLE;
	if (code == NULL || *code == '\0') {
		if (status == 401)
			return CT_AWS_CREDENTIALS;
		if (status == 403)
			return CT_AWS_DENIED;
	}
	return CT_AWS_OTHER;
}

const char *
ct_awserr_region_hint(const struct ct_aws_error *e)
{
	static const char *const codes[] = {
		"UnrecognizedClient", "UnrecognizedClientException",
		"InvalidClientTokenId",
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(e->code, codes[i]) == 0)
			return "the region may not be enabled for the account "
			    "(opt-in regions: see ct-regions --all)";
	return NULL;
}

int
ct_awserr_exit(enum ct_aws_class cls)
{
	switch (cls) {
	case CT_AWS_OK:
		return CT_EXIT_OK;
	case CT_AWS_THROTTLED:
	case CT_AWS_RETRYABLE:
	case CT_AWS_NETWORK:
		return CT_EXIT_NETWORK;
	case CT_AWS_CREDENTIALS:
		return CT_EXIT_CREDENTIALS;
	case CT_AWS_DENIED:
		return CT_EXIT_DENIED;
	default:
		return CT_EXIT_FAILURE;
	}
}

const char *
ct_awserr_class_name(enum ct_aws_class cls)
{
	static const char *const names[] = { "ok", "throttled", "retryable",
	    "network", "credentials", "denied", "other", "cancelled" };

	if ((unsigned)cls < sizeof(names) / sizeof(names[0]))
		return names[cls];
	return "other";
}

void
ct_awserr_clear(struct ct_aws_error *e)
{
	e->cls = CT_AWS_OK;
	e->http_status = 0;
	e->code[0] = e->message[0] = e->line[0] = '\0';
}

/* The code point of the valid UTF-8 sequence p[0..k), k = 2..4. */
static unsigned
code_point(const unsigned char *p, size_t k)
{
	if (k == 2)
		return (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
	if (k == 3)
		return (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 |
		    (p[2] & 0x3fu);
	return (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 |
	    (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
}

size_t
ct_awserr_clean(char *dst, size_t dstsz, const char *s, size_t n)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *u = (const unsigned char *)s;
	const char *put;
	size_t i, j = 0, k, m;
	unsigned cp;
	int sp = 0, bad = 0;

	if (dstsz == 0)
		return 0;
	for (i = 0; i < n; i += k) {
		k = ct_utf8_charlen(s + i, n - i);
		cp = k > 1 ? code_point(u + i, k) : u[i];
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f &&
		    k == 2) || cp == 0x2028 || cp == 0x2029) {
			sp = 1;		/* controls and line breaks */
			continue;
		}
		if (k == 1 && cp >= 0x80) {	/* invalid UTF-8 */
			if (bad)
				continue;	/* one U+FFFD per run */
			put = fffd;
			m = 3;
		} else if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
		    cp == 0x200f || cp == 0x061c) {
			put = fffd;	/* bidi controls: shown, not obeyed */
			m = 3;
		} else {
			put = s + i;
			m = k;
		}
		bad = k == 1 && cp >= 0x80;
		if (sp && j > 0 && dst[j - 1] != ' ' && *put != ' ') {
			if (j + 2 > dstsz - 1)
				break;
			dst[j++] = ' ';
		}
		sp = 0;
		if (j + m > dstsz - 1)
			break;		/* whole characters only */
		memcpy(dst + j, put, m);
		j += m;
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
	return j;
}

static void
copy_line(char *dst, size_t dstsz, const char *s, size_t n)
{
	(void)ct_awserr_clean(dst, dstsz, s, n);
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Offset of the first case-insensitive match of lit in s[from..n), or n. */
static size_t
ci_find(const char *s, size_t n, size_t from, const char *lit)
{
	size_t l = strlen(lit), i, j;

	for (i = from; i + l <= n; i++) {
		for (j = 0; j < l; j++)
			if (ascii_lower(s[i + j]) != lit[j])
				break;
		if (j == l)
			return i;
	}
	return n;
}

/*
 * Where a signature error's echo of the request starts: AWS answers a bad
 * SigV4 signature with "... Consult the service documentation for
 * details.\n\nThe Canonical String for this request should have been\n'POST
 * ...x-amz-security-token:TOKEN...'\n\nThe String-to-Sign should have
 * been\n'AWS4-HMAC-SHA256...'" (S3 puts them in <CanonicalRequest> and
 * <StringToSign>).  Everything from the first of these on is cut, with the
 * "The " before it.
 */
static const char *const echo_marks[] = {
	"canonical string", "canonical request", "canonicalrequest",
	"string-to-sign", "string to sign", "stringtosign", NULL
};

/*
 * Names whose value is a secret or part of a signature, as they appear in
 * headers ("x-amz-security-token:V"), query strings ("X-Amz-Security-Token=V",
 * "X-Amz-Credential=V", "X-Amz-Signature=V"), Authorization headers
 * ("Credential=V, SignedHeaders=..., Signature=V") and JSON ("SessionToken":
 * "V").  Matched case-insensitively anywhere (so "x-amz-signature" is found
 * through "signature").
 */
static const char *const secret_names[] = {
	"security-token", "securitytoken", "security_token", "sessiontoken",
	"session_token", "session-token", "secretaccesskey",
	"secret_access_key", "credential", "signature", NULL
};

#define REDACTED	"[redacted]"
#define ECHO_CUT	"[the signed request AWS echoed is not shown]"

/* Is c one of the bytes that end a secret value? */
static int
value_end(unsigned char c)
{
	return c <= ' ' || c == 0x7f || strchr("&\"'<>,;\\)", c) != NULL;
}

/*
 * Put s[0..n), a message from AWS, into out without what it echoes of the
 * request (echo_marks) and with the value of each secret_names entry
 * replaced by REDACTED.  The message of every ct_aws_error passes through
 * here before ct_awserr_clean, so no tool shows or stores these parts.
 */
static void
redact(const char *s, size_t n, struct ct_buf *out)
{
	size_t cut = n, at, i, j, k, v, best;
	const char *const *m;
	int cutting;

	for (m = echo_marks; *m != NULL; m++)
		if ((at = ci_find(s, cut, 0, *m)) < cut)
			cut = at;
	cutting = cut < n;
	if (cutting && cut >= 4 && ci_find(s, cut, cut - 4, "the ") == cut - 4)
		cut -= 4;
	for (i = 0; i < cut;) {
		best = cut;
		k = 0;
		for (m = secret_names; *m != NULL; m++)
			if ((at = ci_find(s, best, i, *m)) < best) {
				best = at;
				k = strlen(*m);
			}
		if (best == cut) {
			(void)ct_buf_add(out, s + i, cut - i);
			break;
		}
		/* name ["'] [ \t]* [:=] [ \t]* ["'] value */
		j = best + k;
		if (j < cut && (s[j] == '"' || s[j] == '\''))
			j++;
		while (j < cut && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < cut && (s[j] == ':' || s[j] == '=')) {
			j++;
			while (j < cut && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < cut && (s[j] == '"' || s[j] == '\''))
				j++;
			for (v = j; v < cut && !value_end((unsigned char)s[v]);
			    v++)
				;
			(void)ct_buf_add(out, s + i, j - i);
			if (v > j)
				(void)ct_buf_adds(out, REDACTED);
			i = v;
		} else {
			(void)ct_buf_add(out, s + i, j - i);
			i = j;
		}
	}
	if (cutting) {
		while (out->len > 0 && (unsigned char)out->data[out->len - 1] <=
		    ' ')
			out->len--;
		(void)ct_buf_adds(out, out->len > 0 ? " " ECHO_CUT : ECHO_CUT);
	}
}

/*
 * copy_line for a message from outside: cleaned whole, redacted, then cut
 * to dst.  Cleaning first means no control byte or invalid UTF-8 between
 * a name and its value can hide the value from redact (and line breaks are
 * spaces, which end a value).  Both steps are idempotent, so a message
 * built from another (ct_awserr_set with an earlier line) comes out the
 * same.
 */
static void
copy_msg(char *dst, size_t dstsz, const char *s, size_t n)
{
	struct ct_buf b;
	size_t csz = n * 3 + 1, cn;	/* each byte: at most U+FFFD */
	char *c = xmalloc(csz);

	cn = ct_awserr_clean(c, csz, s, n);
	ct_buf_init(&b, 0);
	redact(c, cn, &b);
	copy_line(dst, dstsz, b.data ? b.data : "", b.len);
	explicit_bzero(c, csz);
	free(c);
	ct_buf_wipe(&b);
}

/* Cut a UTF-8 sequence that snprintf truncated at the end of s. */
static void
trim_partial(char *s)
{
	size_t n = strlen(s), p = n;

	while (p > 0 && n - p < 4 && ((unsigned char)s[p - 1] & 0xc0) == 0x80)
		p--;
	if (p > 0 && (unsigned char)s[p - 1] >= 0xc0) {
		p--;
		if (ct_utf8_charlen(s + p, n - p) != n - p)
			s[p] = '\0';
	}
}

static void
make_line(struct ct_aws_error *e, const char *where)
{
	char status[32] = "";

	/* (not when the message is the status: "HTTP error 404") */
	if (e->http_status > 0 && (*e->code != '\0' ||
	    strncmp(e->message, "HTTP error ", 11) != 0))
		snprintf(status, sizeof(status), " (HTTP %ld)", e->http_status);
	snprintf(e->line, sizeof(e->line), "%s%s%s%s%s%s", where ? where : "",
	    where && *where ? ": " : "", e->code, *e->code && *e->message ?
	    ": " : "", e->message, status);
	trim_partial(e->line);
}

void
ct_awserr_set(struct ct_aws_error *e, enum ct_aws_class cls,
    const char *code, const char *fmt, ...)
{
	va_list ap;
	char tmp[sizeof(e->message)];

	e->cls = cls;
	e->http_status = 0;
	copy_line(e->code, sizeof(e->code), code ? code : "",
	    code ? strlen(code) : 0);
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	copy_msg(e->message, sizeof(e->message), tmp, strlen(tmp));
	snprintf(e->line, sizeof(e->line), "%s", e->message);
}

/* JSON error: {"__type": "ns#Code", "message": "..."} */
static int
from_json(struct ct_aws_error *e, const char *body, size_t n)
{
	struct ct_jdoc *d;
	const struct ct_jnode *root;
	const char *t, *m, *h;
	struct ct_buf err;

	ct_buf_init(&err, 1024);
	d = ct_json_parse(body, n, &err);
	ct_buf_free(&err);
	if (d == NULL)
		return -1;
	root = ct_json_root(d);
	if (root == NULL || root->type != CT_JOBJECT) {
		ct_json_free(d);
		return -1;
	}
	t = ct_json_get_str(root, "__type");
	if (t == NULL)
		t = ct_json_get_str(root, "code");
	if (t == NULL)
		t = ct_json_get_str(root, "Code");
	m = ct_json_get_str(root, "message");
	if (m == NULL)
		m = ct_json_get_str(root, "Message");
	if (t != NULL) {
		if ((h = strrchr(t, '#')) != NULL)
			t = h + 1;
		h = strchr(t, ':');	/* "Code:http://internal..." */
		copy_line(e->code, sizeof(e->code), t,
		    h ? (size_t)(h - t) : strlen(t));
	}
	if (m != NULL)
		copy_msg(e->message, sizeof(e->message), m, strlen(m));
	ct_json_free(d);
	return t != NULL || m != NULL ? 0 : -1;
}

/* XML error: <Error><Code>..</Code><Message>..</Message></Error> */
static int
from_xml(struct ct_aws_error *e, const char *body, size_t n)
{
	struct ct_buf v;
	int found = 0;

	ct_buf_init(&v, 64 * 1024);
	if (ct_xml_get(body, n, "Code", &v) == 1) {
		copy_line(e->code, sizeof(e->code), v.data, v.len);
		found = 1;
	}
	ct_buf_reset(&v);
	if (ct_xml_get(body, n, "Message", &v) == 1) {
		copy_msg(e->message, sizeof(e->message), v.data, v.len);
		found = 1;
	}
	ct_buf_free(&v);
	return found ? 0 : -1;
}

void
ct_awserr_from_http(struct ct_aws_error *e, const char *where, long status,
    const char *body, size_t n)
{
	size_t i = 0;

	ct_awserr_clear(e);
	e->http_status = status;
	while (i < n && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
	    body[i] == '\t'))
		i++;
	if (i < n && body[i] == '{')
		(void)from_json(e, body + i, n - i);
	else if (i < n && body[i] == '<')
		(void)from_xml(e, body + i, n - i);
	if (*e->code == '\0' && *e->message == '\0')
		snprintf(e->message, sizeof(e->message), "HTTP error %ld%s",
		    status, status >= 500 ? " from the service" : "");
	e->cls = ct_awserr_classify(e->code, status);
	make_line(e, where);
}

void
ct_awserr_append(struct ct_aws_error *e, const char *fmt, ...)
{
	va_list ap;
	char tmp[sizeof(e->line)];
	size_t l = strlen(e->line);

	if (l + 1 >= sizeof(e->line))
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Keep a leading space: the cleaner only drops control bytes. */
	(void)ct_awserr_clean(e->line + l, sizeof(e->line) - l, tmp,
	    strlen(tmp));
}
