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
#include "jstr.h"
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
	CHECK(e.cls == CT_AWS_RETRYABLE && strstr(e.line, "HTTP error 503"),
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

	/*
	 * The cleaner: nothing an endpoint sends reaches the terminal as a
	 * control.  U+FFFD is EF BF BD.
	 */
	{
		static const struct {
			const char *in, *want, *what;
		} cl[] = {
			{ "a\x1b[31mb", "a [31mb", "C0 (ESC) becomes a space" },
			{ "a\x7f\x7f b", "a b", "DEL, runs collapse" },
			{ "a\xc2\x9b" "31mb", "a 31mb",
			    "C1 CSI (U+009B) becomes a space" },
			{ "x\xc2\x80y\xc2\x9fz\xc2\x85w", "x y z w",
			    "C1 U+0080, U+009F, NEL U+0085" },
			{ "caf\xc3\xa9 \xc2\xa0\xc2\xa9",
			    "caf\xc3\xa9 \xc2\xa0\xc2\xa9",
			    "U+00A0 and above are kept" },
			{ "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "a b c",
			    "U+2028/U+2029 are line breaks: spaces" },
			{ "evil\xe2\x80\xaegnp.exe",
			    "evil\xef\xbf\xbdgnp.exe",
			    "RLO U+202E becomes U+FFFD" },
			{ "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd", "U+202A..U+202D" },
			{ "\xe2\x81\xa6" "a\xe2\x81\xa9", "\xef\xbf\xbd" "a"
			    "\xef\xbf\xbd", "isolates U+2066, U+2069" },
			{ "\xe2\x81\xa7\xe2\x81\xa8\xe2\x80\x8e\xe2\x80\x8f"
			    "\xd8\x9c", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd\xef\xbf\xbd",
			    "U+2067, U+2068, LRM, RLM, ALM" },
			{ "a\xff\xfe" "b", "a\xef\xbf\xbd" "b",
			    "invalid bytes: one U+FFFD per run" },
			{ "a\xc2", "a\xef\xbf\xbd", "a cut sequence at the end" },
			{ "a\xc0\x9b" "b", "a\xef\xbf\xbd" "b",
			    "overlong CSI is invalid, not a control" },
			{ "a\xed\xa0\x80" "b", "a\xef\xbf\xbd" "b",
			    "a lone surrogate is invalid" },
			{ "\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 ok",
			    "4-byte characters are kept" },
			{ "\x1b\xc2\x9b  x \xc2\x9b", "  x",
			    "leading controls dropped, trailing trimmed" },
		};
		char out[64];
		size_t k;

		for (k = 0; k < sizeof(cl) / sizeof(cl[0]); k++) {
			ct_awserr_clean(out, sizeof(out), cl[k].in,
			    strlen(cl[k].in));
			CHECK_STR(out, cl[k].want, "clean: %s", cl[k].what);
		}
		/* Whole characters only when the room runs out. */
		CHECK(ct_awserr_clean(out, 5, "ab\xc3\xa9\xc3\xa9", 6) == 4 &&
		    strcmp(out, "ab\xc3\xa9") == 0, "clean: cut between characters");
		CHECK(ct_awserr_clean(out, 4, "ab\xe2\x80\xae", 5) == 2 &&
		    strcmp(out, "ab") == 0, "clean: no room for U+FFFD: cut");
	}
	/* End to end: a hostile JSON and XML error body. */
	{
		const char *jh = "{\"__type\":\"Bad\\u009b2J\","
		    "\"message\":\"x\\u009b31my \\u202egnp \\u2028z "
		    "\\ud800\"}";
		const char *xh = "<Error><Code>A&#x9b;B</Code><Message>m"
		    "\xc2\x9b\xe2\x80\xae\xc2\x85</Message></Error>";
		size_t k;
		int clean = 1;

		ct_awserr_from_http(&e, "x", 400, jh, strlen(jh));
		CHECK_STR(e.code, "Bad 2J", "JSON: C1 in the code cleaned");
		CHECK_STR(e.message, "x 31my \xef\xbf\xbdgnp z \xef\xbf\xbd",
		    "JSON: C1, RLO, U+2028, lone surrogate cleaned");
		for (k = 0; e.line[k] != '\0'; k++)
			if ((unsigned char)e.line[k] == 0xc2 &&
			    (unsigned char)e.line[k + 1] < 0xa0)
				clean = 0;
		CHECK(clean && strchr(e.line, 0x1b) == NULL,
		    "JSON: the line holds no C1 control: %s", e.line);
		ct_awserr_from_http(&e, "x", 400, xh, strlen(xh));
		CHECK_STR(e.code, "A B", "XML: C1 by character reference");
		CHECK_STR(e.message, "m \xef\xbf\xbd",
		    "XML: raw C1, RLO, NEL cleaned");
		ct_awserr_set(&e, CT_AWS_OTHER, "X", "%s", "p\xc2\x9bq");
		ct_awserr_append(&e, " (%s)", "r\xc2\x9bs");
		CHECK_STR(e.line, "p q (r s)", "set and append clean too");
	}
	{
		char big[1000];
		size_t k;

		/* A message of 2-byte characters cut by the line's size. */
		memcpy(big, "{\"message\":\"", 12);
		for (k = 12; k + 2 < sizeof(big) - 2; k += 2)
			memcpy(big + k, "\xc3\xa9", 2);
		memcpy(big + k, "\"}", 2);
		ct_awserr_from_http(&e, "cloudtrail LookupEvents (eu-west-1) "
		    "and a long where to push the line past its size", 400,
		    big, k + 2);
		CHECK(ct_utf8_valid_prefix(e.line, strlen(e.line)) ==
		    strlen(e.line), "a line cut by its size is valid UTF-8");
	}

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
	/*
	 * A bad signature: AWS echoes the canonical request (with the session
	 * token's header) and the string to sign.  Neither reaches the error.
	 */
	const char *sig_json = "{\"__type\":\"InvalidSignatureException\","
	    "\"message\":\"The request signature we calculated does not match "
	    "the signature you provided. Check your AWS Secret Access Key and "
	    "signing method. Consult the service documentation for details.\\n"
	    "\\nThe Canonical String for this request should have been\\n'POST"
	    "\\n/\\n\\ncontent-type:application/x-amz-json-1.1\\nhost:cloudtrail"
	    ".eu-west-1.amazonaws.com\\nx-amz-date:20261207T120000Z\\n"
	    "x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLETOKENPART1/abc+def=\\n"
	    "x-amz-target:com.amazonaws.cloudtrail.v20131101.CloudTrail_"
	    "20131101.LookupEvents\\n\\ncontent-type;host;x-amz-date;"
	    "x-amz-security-token;x-amz-target\\ne3b0c44298fc1c149afbf4c8996fb9"
	    "2427ae41e4649b934ca495991b7852b855'\\n\\nThe String-to-Sign should "
	    "have been\\n'AWS4-HMAC-SHA256\\n20261207T120000Z\\n20261207/"
	    "eu-west-1/cloudtrail/aws4_request\\n7d1c0e5d0f...'\\n\"}";
	ct_awserr_from_http(&e, "cloudtrail", 400, sig_json, strlen(sig_json));
	CHECK_STR(e.code, "InvalidSignatureException", "signature: JSON code");
	CHECK(e.cls == CT_AWS_CREDENTIALS, "signature: credentials class");
	CHECK_STR(e.message, "The request signature we calculated does not "
	    "match the signature you provided. Check your AWS Secret Access Key "
	    "and signing method. Consult the service documentation for details."
	    " [the signed request AWS echoed is not shown]",
	    "signature (JSON): the canonical request and string to sign are cut");
	CHECK(strstr(e.line, "IQoJb3Jp") == NULL &&
	    strstr(e.line, "x-amz-security-token") == NULL &&
	    strstr(e.line, "AWS4-HMAC") == NULL,
	    "signature (JSON): no token, header or string to sign in the line");

	const char *sig_xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/"
	    "doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>"
	    "SignatureDoesNotMatch</Code>\n    <Message>The request signature we "
	    "calculated does not match the signature you provided. Check your "
	    "AWS Secret Access Key and signing method. Consult the service "
	    "documentation for details.\n\nThe Canonical String for this request "
	    "should have been\n'POST\n/\n\ncontent-type:application/x-www-form-"
	    "urlencoded; charset=utf-8\nhost:sts.amazonaws.com\nx-amz-date:"
	    "20261207T120000Z\nx-amz-security-token:FwoGZXIvYXdzEXAMPLE2\n\n"
	    "content-type;host;x-amz-date;x-amz-security-token\nabc'\n\nThe "
	    "String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261207T1200"
	    "00Z\n20261207/us-east-1/sts/aws4_request\ndef'\n</Message>\n  "
	    "</Error>\n  <RequestId>r-1</RequestId>\n</ErrorResponse>\n";
	ct_awserr_from_http(&e, "sts", 403, sig_xml, strlen(sig_xml));
	CHECK_STR(e.code, "SignatureDoesNotMatch", "signature: XML code");
	CHECK(strstr(e.line, "details. [the signed request AWS echoed is not "
	    "shown] (HTTP 403)") != NULL &&
	    strstr(e.line, "FwoGZXIv") == NULL &&
	    strstr(e.line, "x-amz-date") == NULL,
	    "signature (XML): the echo is cut: %s", e.line);

	/* Only the string to sign (some services), lower case. */
	const char *sts_only = "{\"__type\":\"InvalidSignatureException\","
	    "\"message\":\"Bad signature. the string-to-sign should have been "
	    "'AWS4-HMAC-SHA256 x'\"}";
	ct_awserr_from_http(&e, "x", 400, sts_only, strlen(sts_only));
	CHECK_STR(e.message, "Bad signature. [the signed request AWS echoed "
	    "is not shown]", "string-to-sign alone is cut");

	/* Secret values anywhere in a message, in every shape. */
	const char *leaky = "{\"__type\":\"AccessDenied\",\"message\":\"url "
	    "https://h/?Action=X&X-Amz-Security-Token=FwoG%2Fzz%3D&X-Amz-"
	    "Credential=ASIAEXAMPLE%2F20261207&X-Amz-Signature=abcdef0123 hdr "
	    "x-amz-security-token: IQoJtok/+= auth AWS4-HMAC-SHA256 Credential="
	    "ASIAEXAMPLE/20261207/us-east-1/sts/aws4_request, SignedHeaders="
	    "host, Signature=0123abcd; json {\\\"SessionToken\\\": \\\"Sess"
	    "Tok123\\\"} Signature expired: 20261207T120000Z is now earlier\"}";
	ct_awserr_from_http(&e, "x", 403, leaky, strlen(leaky));
	CHECK_STR(e.message, "url https://h/?Action=X&X-Amz-Security-Token="
	    "[redacted]&X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted] "
	    "hdr x-amz-security-token: [redacted] auth AWS4-HMAC-SHA256 "
	    "Credential=[redacted], SignedHeaders=host, Signature=[redacted]; "
	    "json {\"SessionToken\": \"[redacted]\"} Signature expired: "
	    "20261207T120000Z is now earlier",
	    "token, credential and signature values are redacted");
	CHECK(e.cls == CT_AWS_DENIED, "redacting keeps the class");

	/* ct_awserr_set takes the same path (messages built from AWS text). */
	ct_awserr_set(&e, CT_AWS_CREDENTIALS, "X", "sts: %s",
	    "x-amz-security-token:SeCrEt1234");
	CHECK_STR(e.line, "sts: x-amz-security-token:[redacted]",
	    "ct_awserr_set redacts too");
	ct_awserr_set(&e, CT_AWS_OTHER, "X", "%s", "?Signature=&b=1 kept");
	CHECK_STR(e.message, "?Signature=&b=1 kept",
	    "a name without a value is left as it is");

	/* A control byte between a name and its value hides nothing. */
	const char *hidden = "{\"__type\":\"X\",\"message\":\"h "
	    "x-amz-security-token\\u0001:\\u0002SeCrEt99\\r\\nnext\"}";
	ct_awserr_from_http(&e, "x", 400, hidden, strlen(hidden));
	CHECK_STR(e.message, "h x-amz-security-token : [redacted] next",
	    "controls around the separator: still redacted");

	/* A line made from an earlier one comes out the same. */
	ct_awserr_from_http(&e, "sts", 403, sig_xml, strlen(sig_xml));
	{
		char again[sizeof(e.line)];

		snprintf(again, sizeof(again), "%s", e.line);
		ct_awserr_set(&e, CT_AWS_CREDENTIALS, "X", "%s", again);
		CHECK_STR(e.line, again, "redacting twice changes nothing");
	}

	ct_buf_free(&err);

	/* A region that rejects keys STS accepted: likely not enabled. */
	{
		static const char unrec[] = "{\"__type\":"
		    "\"UnrecognizedClientException\",\"message\":\"The "
		    "security token included in the request is invalid.\"}";
		static const char denied[] =
		    "{\"__type\":\"AccessDeniedException\"}";
		struct ct_aws_error h;
		const char *hint;

		ct_awserr_from_http(&h, "cloudtrail.me-south-1", 400, unrec,
		    strlen(unrec));
		hint = ct_awserr_region_hint(&h);
		CHECK(hint != NULL && strstr(hint, "not be enabled") != NULL &&
		    strstr(hint, "ct-regions --all") != NULL,
		    "UnrecognizedClientException: the opt-in hint");
		ct_awserr_from_http(&h, "cloudtrail.eu-west-1", 400, denied,
		    strlen(denied));
		CHECK(ct_awserr_region_hint(&h) == NULL,
		    "AccessDeniedException: no hint");
		ct_awserr_from_http(&h, "sts", 404, "not found", 9);
		CHECK_STR(h.line, "sts: HTTP error 404",
		    "no AWS error document: the status said once");
	}
	return check_done();
}
