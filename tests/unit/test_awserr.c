/*
 * test_awserr.c - AWS error bodies (JSON and XML, as AWS sends them) into
 * one line and a class; the minimal XML reader; the retry arithmetic.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "awserr.h"
#include "buf.h"
#include "exitcodes.h"
#include "http.h"
#include "xml.h"

int
main(void)
{
	struct ct_aws_error e;
	struct ct_buf b, err;
	struct ct_retry r;
	const char *in;
	size_t pos, n;
	long d, maxd;
	int i;

	/* CloudTrail JSON, with a namespace prefix and "Message". */
	const char *j1 = "{\"__type\":\"com.amazonaws.cloudtrail.v20131101#"
	    "InvalidNextTokenException\",\"Message\":\"Invalid NextToken\"}";
	ct_awserr_from_http(&e, "cloudtrail LookupEvents (eu-west-1)", 400, j1,
	    strlen(j1));
	CHECK_STR(e.code, "InvalidNextTokenException", "JSON: prefix stripped");
	CHECK_STR(e.message, "Invalid NextToken", "JSON: Message");
	CHECK(e.cls == CT_AWS_OTHER, "InvalidNextToken is not retryable");
	CHECK_STR(e.line, "cloudtrail LookupEvents (eu-west-1): "
	    "InvalidNextTokenException: Invalid NextToken (HTTP 400)",
	    "JSON: one line");

	const char *j2 = "{\"__type\":\"ThrottlingException\","
	    "\"message\":\"Rate exceeded\"}";
	ct_awserr_from_http(&e, "x", 400, j2, strlen(j2));
	CHECK(e.cls == CT_AWS_THROTTLED, "ThrottlingException on 400: throttled");
	ct_awserr_from_http(&e, "x", 429, "", 0);
	CHECK(e.cls == CT_AWS_THROTTLED, "429 without body: throttled");

	/* STS XML. */
	const char *x1 = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
	    "2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>"
	    "SignatureDoesNotMatch</Code>\n    <Message>The request signature "
	    "we calculated does not match the signature you provided. &amp; "
	    "more</Message>\n  </Error>\n  <RequestId>r</RequestId>\n"
	    "</ErrorResponse>\n";
	ct_awserr_from_http(&e, "sts GetCallerIdentity (us-east-1)", 403, x1,
	    strlen(x1));
	CHECK_STR(e.code, "SignatureDoesNotMatch", "STS XML: code");
	CHECK(strstr(e.message, "provided. & more") != NULL,
	    "STS XML: entities decoded");
	CHECK(e.cls == CT_AWS_CREDENTIALS, "SignatureDoesNotMatch: credentials");
	CHECK(ct_awserr_exit(e.cls) == CT_EXIT_CREDENTIALS, "-> exit 4");

	/* EC2 XML. */
	const char *x2 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>"
	    "<Errors><Error><Code>UnauthorizedOperation</Code><Message>You are "
	    "not authorized to perform this operation.</Message></Error>"
	    "</Errors><RequestID>x</RequestID></Response>";
	ct_awserr_from_http(&e, "ec2", 403, x2, strlen(x2));
	CHECK(e.cls == CT_AWS_DENIED && strcmp(e.code,
	    "UnauthorizedOperation") == 0, "EC2 XML: UnauthorizedOperation denied");
	CHECK(ct_awserr_exit(e.cls) == CT_EXIT_DENIED, "-> exit 5");

	/* Statuses without bodies; throttling list; expired. */
	ct_awserr_from_http(&e, "x", 503, "<html>oops", 10);
	CHECK(e.cls == CT_AWS_RETRYABLE && strstr(e.line, "HTTP 503"),
	    "503 with junk body: retryable: %s", e.line);
	ct_awserr_from_http(&e, "x", 501, "", 0);
	CHECK(e.cls == CT_AWS_OTHER, "501 is not retried (as botocore)");
	CHECK(ct_awserr_exit(CT_AWS_NETWORK) == CT_EXIT_NETWORK, "network -> 6");
	CHECK(ct_awserr_classify("RequestLimitExceeded", 503) ==
	    CT_AWS_THROTTLED, "EC2's RequestLimitExceeded: throttled");
	CHECK(ct_awserr_classify("EC2ThrottledException", 400) ==
	    CT_AWS_THROTTLED, "EC2ThrottledException: throttled");
	CHECK(ct_awserr_is_expired("ExpiredTokenException") &&
	    ct_awserr_is_expired("ExpiredToken") &&
	    !ct_awserr_is_expired("AccessDenied"), "expired codes");
	CHECK(ct_awserr_classify("AccessDeniedException", 400) ==
	    CT_AWS_DENIED, "AccessDeniedException: denied");
	CHECK(ct_awserr_classify("UnrecognizedClientException", 400) ==
	    CT_AWS_CREDENTIALS, "UnrecognizedClientException: credentials");
	{
		char big[2000];

		memset(big, 'a', sizeof(big));
		memcpy(big, "{\"message\":\"", 12);
		memcpy(big + sizeof(big) - 2, "\"}", 2);
		ct_awserr_from_http(&e, "x", 400, big, sizeof(big));
		CHECK(strlen(e.line) < sizeof(e.line), "long message truncated");
	}
	ct_awserr_from_http(&e, "x", 400, "{\"message\":\"a\\nb\"}", 18);
	CHECK_STR(e.message, "a b", "newline in a message becomes a space");

	/* XML reader. */
	const char *doc = "<R><regionInfo><item><regionName>eu-west-1"
	    "</regionName></item><item><regionName>us-east-1</regionName>"
	    "<x/></item></regionInfo><a:Arn>arn:&#x61;&#98;</a:Arn></R>";
	ct_buf_init(&b, 0);
	pos = 0;
	CHECK(ct_xml_next(doc, strlen(doc), &pos, "item", &in, &n) == 1 &&
	    ct_xml_get(in, n, "regionName", &b) == 1 &&
	    strcmp(b.data, "eu-west-1") == 0, "first item");
	ct_buf_reset(&b);
	CHECK(ct_xml_next(doc, strlen(doc), &pos, "item", &in, &n) == 1 &&
	    ct_xml_get(in, n, "regionName", &b) == 1 &&
	    strcmp(b.data, "us-east-1") == 0, "second item");
	CHECK(ct_xml_next(doc, strlen(doc), &pos, "item", &in, &n) == 0,
	    "no third item");
	ct_buf_reset(&b);
	CHECK(ct_xml_get(doc, strlen(doc), "Arn", &b) == 1 &&
	    strcmp(b.data, "arn:ab") == 0, "prefixed tag, char references");
	CHECK(ct_xml_get(doc, strlen(doc), "regionNam", &b) == 0,
	    "a tag name prefix does not match");
	CHECK(ct_xml_get("<a><b>x</b>", 11, "a", &b) == -1,
	    "unclosed element (truncated answer) is malformed");
	ct_buf_reset(&b);
	CHECK(ct_xml_get("<a>&bogus;</a>", 14, "a", &b) == -1,
	    "unknown entity is malformed");
	ct_buf_free(&b);

	/* Retry policy. */
	ct_buf_init(&err, 0);
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_RETRY_MODE");
	CHECK(ct_retry_init(&r, NULL, NULL, &err) == 0 && r.max_attempts == 3 &&
	    r.mode == CT_RETRY_STANDARD, "default: standard, 3 attempts");
	CHECK(ct_retry_init(&r, NULL, "legacy", &err) == 0 &&
	    r.max_attempts == 5, "legacy: 5 attempts");
	setenv("AWS_MAX_ATTEMPTS", "7", 1);
	CHECK(ct_retry_init(&r, "2", NULL, &err) == 0 && r.max_attempts == 7,
	    "AWS_MAX_ATTEMPTS beats the profile");
	setenv("AWS_MAX_ATTEMPTS", "zero", 1);
	CHECK(ct_retry_init(&r, NULL, NULL, &err) == -1 &&
	    strstr(err.data, "AWS_MAX_ATTEMPTS") != NULL, "bad AWS_MAX_ATTEMPTS: %s",
	    err.data);
	unsetenv("AWS_MAX_ATTEMPTS");
	setenv("AWS_RETRY_MODE", "sometimes", 1);
	CHECK(ct_retry_init(&r, NULL, NULL, &err) == -1, "bad AWS_RETRY_MODE");
	unsetenv("AWS_RETRY_MODE");
	ct_retry_init(&r, NULL, NULL, &err);
	CHECK(ct_retry_allow(&r, 1, CT_AWS_RETRYABLE, 0) &&
	    ct_retry_allow(&r, 2, CT_AWS_THROTTLED, 0) &&
	    !ct_retry_allow(&r, 3, CT_AWS_RETRYABLE, 0),
	    "3 attempts: retries after 1 and 2, not after 3");
	CHECK(!ct_retry_allow(&r, 1, CT_AWS_DENIED, 0) &&
	    !ct_retry_allow(&r, 1, CT_AWS_CREDENTIALS, 0),
	    "denied and credentials are not retried");
	for (i = 0; i < 200 && ct_retry_allow(&r, 1, CT_AWS_RETRYABLE, 0); i++)
		;
	CHECK(i == 98, "retry quota 500: 100 retries of cost 5 (got %d+2)", i);
	for (maxd = 0, i = 0; i < 2000; i++) {
		d = ct_retry_delay_ms(3);
		if (d < 0 || d >= 4000)
			break;
		if (d > maxd)
			maxd = d;
	}
	CHECK(i == 2000 && maxd > 2000, "delay of retry 3 in [0, 4 s), jittered");
	for (i = 0; i < 1000 && ct_retry_delay_ms(30) <= 20000; i++)
		;
	CHECK(i == 1000, "delay capped at 20 s");
	ct_buf_free(&err);
	return check_done();
}
