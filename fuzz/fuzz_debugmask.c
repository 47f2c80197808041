/*
 * fuzz_debugmask.c - the --debug trace of answer headers: lib/http.h's
 * ct_http_debug_mask.
 *
 * The bytes are a header block from a (possibly hostile) endpoint, split
 * into lines at LF as the trace splits them; the first byte picks a cap.
 * Properties: the output is NUL-terminated, starts with the direction,
 * holds no control byte (nothing can drive the terminal), fits the cap;
 * a line of a secret header shows no byte of its value beyond "****" and,
 * for SigV4, the value's non-secret parts; any other line is the input
 * with control bytes as '?'.
 */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "http.h"
#include "fuzz.h"

static const char *const secret[] = {
	"authorization", "proxy-authorization", "x-amz-security-token",
	"x-aws-ec2-metadata-token", "x-amz-sso_bearer_token", "cookie",
	"set-cookie", NULL
};

static void
one(const char *p, size_t n, size_t cap)
{
	struct ct_buf b;
	const char *colon = memchr(p, ':', n), *s;
	size_t i, nl, k;
	int rc;

	ct_buf_init(&b, cap);
	rc = ct_http_debug_mask("< ", p, n, &b);
	if (b.data == NULL) {
		FZ_CHECK(rc != 0 || cap == 1);
		ct_buf_free(&b);
		return;
	}
	FZ_CHECK(strlen(b.data) == b.len);
	FZ_CHECK(cap == 0 || b.len <= cap);
	FZ_CHECK(strncmp(b.data, "< ", b.len < 2 ? b.len : 2) == 0);
	for (i = 0; i < b.len; i++)
		FZ_CHECK((unsigned char)b.data[i] >= 0x20 &&
		    (unsigned char)b.data[i] != 0x7f);
	k = 0;
	if (colon != NULL) {
		nl = (size_t)(colon - p);
		for (; secret[k] != NULL; k++)
			if (strlen(secret[k]) == nl &&
			    strncasecmp(p, secret[k], nl) == 0)
				break;
	}
	if (colon == NULL || secret[k] == NULL) {
		/* not a secret: the line itself, control bytes as '?' */
		if (rc == 0) {
			FZ_CHECK(b.len == n + 2);
			for (i = 0; i < n; i++)
				FZ_CHECK(b.data[i + 2] == p[i] ||
				    b.data[i + 2] == '?');
		}
	} else if (rc == 0) {
		/* a secret: "****" after the name, or the SigV4 shape where
		 * every Credential= and Signature= is followed by "****" */
		s = b.data + 2 + (size_t)(colon - p) + 1;
		if (strcmp(s, " ****") != 0) {
			FZ_CHECK(k == 0 &&
			    strncmp(s, " AWS4-HMAC-SHA256 ", 18) == 0);
			for (s = b.data; (s = strstr(s, "Credential=")) != NULL;
			    s++)
				FZ_CHECK(strncmp(s + 11, "****", 4) == 0);
			for (s = b.data; (s = strstr(s, "Signature=")) != NULL;
			    s++)
				FZ_CHECK(strncmp(s + 10, "****", 4) == 0);
		}
	}
	ct_buf_free(&b);
}

/* ct_http_header_value on a header line as libcurl hands it (CR LF
 * included): a value is NUL-terminated, fits, and (on a line without a
 * NUL byte) has no blank or line end at either end; a line of another
 * header leaves out untouched. */
static void
value(const char *p, size_t n, size_t cap)
{
	char out[64];
	size_t sz = cap > 1 && cap < sizeof(out) ? cap : sizeof(out), k;
	int tl = 0, rc;

	memset(out, 'x', sizeof(out));
	rc = ct_http_header_value(p, n, "x-amz-bucket-region:", out, sz, &tl);
	if (rc == 0) {
		FZ_CHECK(out[0] == 'x' && tl == 0);
		return;
	}
	FZ_CHECK(n > 20 && strncasecmp(p, "x-amz-bucket-region:", 20) == 0);
	k = strlen(out);
	FZ_CHECK(k < sz && (tl ? k == 0 : 1));
	if (memchr(p, '\0', n) != NULL)	/* a NUL ends the C string early */
		return;
	FZ_CHECK(k == 0 || (out[0] != ' ' && out[0] != '\t' &&
	    out[k - 1] != ' ' && out[k - 1] != '\t' && out[k - 1] != '\r' &&
	    out[k - 1] != '\n'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { 0, 1, 3, 16, 64, 4096 };
	size_t cap = caps[fz_take(&data, &size) % 6];
	const char *p = (const char *)data, *e = p + size, *nl;
	size_t n;

	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = (size_t)((nl != NULL ? nl : e) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		one(p, n, cap);
		value(p, (size_t)((nl != NULL ? nl + 1 : e) - p), cap);
		p = nl != NULL ? nl + 1 : e;
	}
	return 0;
}
