/*
 * test_http.c - the --debug trace's masking (ct_http_debug_mask): SigV4
 * Authorization keeps its shape with Credential and Signature hidden,
 * every secret header's value is hidden whatever its case, other lines
 * pass with control characters shown as '?', and a small cap cuts a line
 * without showing any part of a secret.
 */
#include <string.h>

#include "check.h"
#include "buf.h"
#include "http.h"

static const char *
mask(const char *dir, const char *line, size_t cap)
{
	static struct ct_buf b;

	ct_buf_free(&b);
	ct_buf_init(&b, cap);
	(void)ct_http_debug_mask(dir, line, strlen(line), &b);
	return b.data ? b.data : "";
}

int
main(void)
{
	const char *auth = "Authorization: AWS4-HMAC-SHA256 "
	    "Credential=AKIDEXAMPLE/20261207/us-east-1/ec2/aws4_request, "
	    "SignedHeaders=content-type;host;x-amz-date, Signature="
	    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
	const char *got;

	CHECK_STR(mask("> ", auth, 0), "> Authorization: AWS4-HMAC-SHA256 "
	    "Credential=****, SignedHeaders=content-type;host;x-amz-date, "
	    "Signature=****", "SigV4: Credential and Signature masked");
	CHECK_STR(mask("> ", "authorization:Bearer abc.def", 0),
	    "> authorization: ****", "other Authorization: all masked");
	CHECK_STR(mask("> ", "X-Amz-Security-Token: FQoGZXIvYXdzE", 0),
	    "> X-Amz-Security-Token: ****", "session token masked");
	CHECK_STR(mask("> ", "x-aws-ec2-metadata-token: AQAEAx==", 0),
	    "> x-aws-ec2-metadata-token: ****", "IMDS token masked");
	CHECK_STR(mask("> ", "X-AMZ-SSO_BEARER_TOKEN: sso-secret", 0),
	    "> X-AMZ-SSO_BEARER_TOKEN: ****", "SSO token masked, any case");
	CHECK_STR(mask("< ", "Set-Cookie: s=1", 0), "< Set-Cookie: ****",
	    "cookies masked");
	CHECK_STR(mask("> ", "POST / HTTP/1.1", 0), "> POST / HTTP/1.1",
	    "request line as is");
	CHECK_STR(mask("< ", "X-Evil: \x1b]0;pwned\x07 ok", 0),
	    "< X-Evil: ?]0;pwned? ok", "control characters shown as '?'");
	CHECK_STR(mask("> ", "X-Amz-Target: CloudTrail.LookupEvents", 0),
	    "> X-Amz-Target: CloudTrail.LookupEvents", "other headers kept");
	got = mask("> ", auth, 60);
	CHECK(strstr(got, "AKID") == NULL && strstr(got, "5d67") == NULL &&
	    strlen(got) <= 60, "a cap cuts the line, no secret shown: %s",
	    got);
	return check_done();
}
