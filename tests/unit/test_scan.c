/* test_scan.c - the record scanner: fields, envelopes, grammar, limits. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scan.h"
#include "xalloc.h"

/* What the callbacks saw, as text: one line per effect. */
static char log_[65536];
static size_t nrec, nctl, ndig, nskip, nmal, nrep;
static struct ct_record last;
static char lastbuf[16][256];
static int stop_after = -1;

static const char *
cp(int i, const struct ct_str *s)
{
	if (s->p == NULL)
		return NULL;
	snprintf(lastbuf[i], sizeof(lastbuf[i]), "%.*s", (int)s->n, s->p);
	return lastbuf[i];
}

static void
logf_(const char *s)
{
	strncat(log_, s, sizeof(log_) - strlen(log_) - 1);
}

static int
on_record(void *arg, const struct ct_record *r, size_t repaired, size_t off)
{
	char line[600];

	nrec++;
	nrep += repaired;
	last = *r;
	snprintf(line, sizeof(line), "R:%.*s:%.*s@%zu;",
	    r->event_source.p ? (int)r->event_source.n : 1,
	    r->event_source.p ? r->event_source.p : "-",
	    r->event_name.p ? (int)r->event_name.n : 1,
	    r->event_name.p ? r->event_name.p : "-", off);
	logf_(line);
	/* keep copies of the fields checked after the scan */
	cp(0, &r->event_source);
	cp(1, &r->event_name);
	cp(2, &r->aws_region);
	cp(3, &r->source_ip);
	cp(4, &r->user_agent);
	cp(5, &r->error_code);
	cp(6, &r->resp_error_code);
	cp(7, &r->event_id);
	cp(8, &r->event_time);
	cp(9, &r->recipient_account_id);
	cp(10, &r->id.type);
	cp(11, &r->id.arn);
	cp(12, &r->id.issuer_arn);
	cp(13, &r->id.issuer_type);
	cp(14, &r->id.obo_store_arn);
	cp(15, &r->id.user_name);
	if (stop_after >= 0 && (int)nrec >= stop_after)
		return 1;
	return 0;
}

static int
on_control(void *arg, const char *p, size_t n, size_t off)
{
	char line[300];

	nctl++;
	snprintf(line, sizeof(line), "C:%.*s;", (int)(n < 200 ? n : 200), p);
	logf_(line);
	return 0;
}

static int
on_digest(void *arg, size_t off)
{
	ndig++;
	logf_("D;");
	return 0;
}

static int
on_skipped(void *arg, const char *why, size_t off)
{
	nskip++;
	logf_("S;");
	return 0;
}

static int
on_malformed(void *arg, const char *why, size_t off)
{
	nmal++;
	logf_("M;");
	return 0;
}

static const struct ct_scan_ops ops = {
	on_record, on_control, on_digest, on_skipped, on_malformed,
};

static struct ct_scanner *sc;

static void
reset(void)
{
	log_[0] = '\0';
	nrec = nctl = ndig = nskip = nmal = nrep = 0;
	memset(&last, 0, sizeof(last));
	memset(lastbuf, 0, sizeof(lastbuf));
}

/* Scan all of s (eof); returns the status of the first value. */
static int
one(const char *s, size_t *next)
{
	size_t nx;

	reset();
	return ct_scan_value(sc, s, strlen(s), 0, 1, 0, next ? next : &nx);
}

/* Scan every value of s, resyncing at newlines; count BAD values. */
static int
all(const char *s, size_t n)
{
	size_t pos = 0, next;
	int bad = 0, rc;
	const char *nl;

	reset();
	for (;;) {
		rc = ct_scan_value(sc, s, n, pos, 1, 0, &next);
		if (rc == CT_SCAN_EMPTY)
			break;
		if (rc == CT_SCAN_OK) {
			pos = next;
			continue;
		}
		bad++;
		if (rc != CT_SCAN_BAD)
			break;
		/* resync as ct-aggregate does: the line after the value start */
		nl = memchr(s + ct_scan_start(sc), '\n', n - ct_scan_start(sc));
		if (nl == NULL)
			break;
		pos = (size_t)(nl - s) + 1;
	}
	return bad;
}

static int
bad(const char *s)
{
	size_t nx;

	return one(s, &nx) == CT_SCAN_BAD;
}

static int
good(const char *s)
{
	size_t nx;

	return one(s, &nx) == CT_SCAN_OK;
}

/* one(), on an exact-size heap copy: a read past the end shows in ASan */
static int
one_exact(const char *s, int eof, size_t *next)
{
	size_t n = strlen(s), nx;
	char *b = xmalloc(n ? n : 1);
	int rc;

	memcpy(b, s, n);
	reset();
	rc = ct_scan_value(sc, b, n, 0, eof, 0, next ? next : &nx);
	free(b);
	return rc;
}

int
main(void)
{
	size_t next, dn;
	int rc, i;
	char *big;
	const char *full =
	    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
	    "\"principalId\":\"AROA:me\",\"arn\":\"arn:aws:sts::1:assumed-role/R/me\","
	    "\"accountId\":\"111\",\"invokedBy\":\"svc.amazonaws.com\","
	    "\"userName\":\"bob\",\"sessionContext\":{\"attributes\":{\"x\":1},"
	    "\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::1:role/R\"}},"
	    "\"onBehalfOf\":{\"userId\":\"u-1\",\"identityStoreArn\":\"arn:s/d-1\"}},"
	    "\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventSource\":\"s3.amazonaws.com\","
	    "\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\","
	    "\"sourceIPAddress\":\"10.0.0.1\",\"userAgent\":\"aws-cli/2\","
	    "\"requestParameters\":{\"a\":[1,2,{\"b\":null}],\"c\":-1.5e+3},"
	    "\"responseElements\":null,\"eventID\":\"e-1\",\"readOnly\":true,"
	    "\"recipientAccountId\":\"111\"}";

	sc = ct_scan_new(&ops, NULL);

	/* every field */
	rc = one(full, &next);
	CHECK(rc == CT_SCAN_OK && next == strlen(full), "full record scans whole");
	CHECK(nrec == 1, "one record delivered");
	CHECK_STR(lastbuf[0], "s3.amazonaws.com", "eventSource");
	CHECK_STR(lastbuf[1], "GetObject", "eventName");
	CHECK_STR(lastbuf[2], "eu-west-1", "awsRegion");
	CHECK_STR(lastbuf[3], "10.0.0.1", "sourceIPAddress");
	CHECK_STR(lastbuf[4], "aws-cli/2", "userAgent");
	CHECK(last.error_code.p == NULL, "no errorCode");
	CHECK_STR(lastbuf[7], "e-1", "eventID");
	CHECK_STR(lastbuf[8], "2024-01-02T03:04:05Z", "eventTime");
	CHECK_STR(lastbuf[9], "111", "recipientAccountId");
	CHECK(last.id.present, "userIdentity present");
	CHECK_STR(lastbuf[10], "AssumedRole", "userIdentity.type");
	CHECK_STR(lastbuf[11], "arn:aws:sts::1:assumed-role/R/me", "userIdentity.arn");
	CHECK_STR(lastbuf[12], "arn:aws:iam::1:role/R", "sessionIssuer.arn");
	CHECK_STR(lastbuf[13], "Role", "sessionIssuer.type");
	CHECK_STR(lastbuf[14], "arn:s/d-1", "onBehalfOf.identityStoreArn");
	CHECK_STR(lastbuf[15], "bob", "userName");
	CHECK(last.id.has_on_behalf_of, "onBehalfOf seen");
	CHECK(!last.failed, "not failed");
	/* strings without escapes point into the input */
	CHECK(last.event_name.p > full && last.event_name.p < full + strlen(full),
	    "plain string points into the input");

	/* errors */
	one("{\"eventSource\":\"a\",\"eventName\":\"b\",\"errorCode\":\"Denied\","
	    "\"errorMessage\":\"no\"}", NULL);
	CHECK(last.failed && strcmp(lastbuf[5], "Denied") == 0,
	    "errorCode read, call failed");
	one("{\"eventSource\":\"a\",\"eventName\":\"b\",\"errorMessage\":null}", NULL);
	CHECK(last.failed, "errorMessage key alone (even null) means failed");
	one("{\"eventSource\":\"a\",\"eventName\":\"b\",\"errorCode\":5}", NULL);
	CHECK(last.failed && last.error_code.p == NULL,
	    "non-string errorCode: failed but missing");
	one("{\"eventSource\":\"a\",\"eventName\":\"b\",\"responseElements\":"
	    "{\"x\":{\"errorCode\":\"deep\"},\"errorCode\":\"Inner\"}}", NULL);
	CHECK(last.failed && strcmp(lastbuf[6], "Inner") == 0,
	    "responseElements.errorCode read (only at its top)");
	one("{\"eventSource\":\"a\",\"eventName\":\"b\",\"responseElements\":"
	    "{\"x\":{\"errorCode\":\"deep\"}}}", NULL);
	CHECK(!last.failed && last.resp_error_code.p == NULL,
	    "nested errorCode deeper is not responseElements.errorCode");

	/* missing / null / non-string */
	one("{\"eventSource\":null,\"eventName\":7,\"awsRegion\":[\"x\"],"
	    "\"userIdentity\":null}", NULL);
	CHECK(nrec == 1 && last.event_source.p == NULL &&
	    last.event_name.p == NULL && last.aws_region.p == NULL &&
	    !last.id.present, "null and non-strings are missing");

	/* duplicates: last wins */
	one("{\"eventName\":\"first\",\"eventName\":\"second\"}", NULL);
	CHECK_STR(lastbuf[1], "second", "duplicate key: last wins");
	one("{\"eventName\":\"first\",\"eventName\":null}", NULL);
	CHECK(last.event_name.p == NULL, "duplicate key: last null wins");
	one("{\"userIdentity\":{\"type\":\"Root\",\"arn\":\"x\"},"
	    "\"userIdentity\":{\"type\":\"IAMUser\"}}", NULL);
	CHECK(strcmp(lastbuf[10], "IAMUser") == 0 && last.id.arn.p == NULL,
	    "duplicate userIdentity replaces the whole object");

	/* escapes and UTF-8 */
	one("{\"eventName\":\"a\\u00e9\\n\\\"b\\/\",\"event\\u004eame2\":1}", NULL);
	CHECK_STR(lastbuf[1], "a\xc3\xa9\n\"b/", "escapes decoded");
	one("{\"even\\u0074Name\":\"esc-key\"}", NULL);
	CHECK_STR(lastbuf[1], "esc-key", "escaped key matches");
	one("{\"eventName\":\"\xff" "ab\xc3\"}", NULL);
	CHECK(strcmp(lastbuf[1], "\xef\xbf\xbd" "ab\xef\xbf\xbd") == 0 && nrep == 2,
	    "invalid UTF-8 repaired and counted");
	one("{\"eventName\":\"caf\xc3\xa9\"}", NULL);
	CHECK(strcmp(lastbuf[1], "caf\xc3\xa9") == 0 && nrep == 0,
	    "valid UTF-8 kept");
	CHECK(bad("{\"eventName\":\"a\tb\"}"), "raw tab in string is malformed");
	CHECK(bad("{\"a\":\"\\x\"}"), "bad escape is malformed");
	CHECK(bad("{\"a\":\"\\u12g4\"}"), "bad \\u is malformed");
	CHECK(good("{\"a\":\"\\ud800\"}"), "lone surrogate escape is fine (Python)");

	/* numbers and literals, Python's grammar */
	CHECK(good("[0,-0,1.5,-2e10,3E-2,4e+1,NaN,Infinity,-Infinity,true,false,null]"),
	    "numbers and literals");
	CHECK(bad("[01]"), "leading zero");
	CHECK(bad("[1.]"), "1.");
	CHECK(bad("[.5]"), ".5");
	CHECK(bad("[1e]"), "1e");
	CHECK(bad("[+1]"), "+1");
	CHECK(bad("[nan]"), "nan lower case");
	CHECK(bad("[-NaN]"), "-NaN");
	CHECK(bad("[tru]"), "tru");
	CHECK(bad("{\"a\" 1}"), "missing colon");
	CHECK(bad("{\"a\":1,}"), "trailing comma in object");
	CHECK(bad("[1,]"), "trailing comma in array");
	CHECK(bad("{a:1}"), "unquoted key");
	CHECK(bad("{\"a\":1"), "unterminated object at eof");
	CHECK(bad("[1\x0b]"), "vertical tab is not whitespace");
	CHECK(good(" \t\r\n{ \"a\" : [ 1 , 2 ] }\r\n"), "all four whitespace bytes");

	/* a value cut by the end of the buffer wants more (not eof) */
	reset();
	rc = ct_scan_value(sc, "{\"a\":[1,2", 9, 0, 0, 0, &next);
	CHECK(rc == CT_SCAN_MORE && next == 0, "cut value: MORE, next at its start");
	rc = ct_scan_value(sc, "  123", 5, 0, 0, 0, &next);
	CHECK(rc == CT_SCAN_MORE, "number at buffer end: MORE unless eof");
	rc = ct_scan_value(sc, "  123", 5, 0, 1, 0, &next);
	CHECK(rc == CT_SCAN_OK && next == 5 && nskip == 1,
	    "number at eof: a value, skipped as not a record");
	rc = ct_scan_value(sc, " \n ", 3, 0, 1, 0, &next);
	CHECK(rc == CT_SCAN_EMPTY, "whitespace only: EMPTY");

	/* nesting: no limit inside a record, envelopes searched 512 deep */
	big = xmalloc(700100);
	memset(big, '[', 100000);
	memset(big + 100000, ']', 100000);
	big[200000] = '\0';
	CHECK(good(big) && nskip == 1 && nrec == 0,
	    "100000 nested arrays: one value skipped (not searched), no crash");
	big[100000] = '}';
	CHECK(bad(big), "100000 nested arrays closed by '}': malformed");
	for (i = 0; i < 600; i++)
		memcpy(big + i * 5, "{\"a\":", 5);
	strcpy(big + 3000, "1");
	memset(big + 3001, '}', 600);
	big[3601] = '\0';
	CHECK(good(big) && nrec == 1, "600 nested objects: an object, read");
	/* requestParameters 100000 deep: the record counts, whole */
	strcpy(big, "{\"eventSource\":\"s\",\"requestParameters\":");
	dn = strlen(big);
	for (i = 0; i < 100000; i++)
		memcpy(big + dn + i * 5, "{\"a\":", 5);
	dn += 500000;
	big[dn] = '[';
	memset(big + dn + 1, '}', 100000);
	big[dn + 100001] = '\0';
	CHECK(bad(big), "a deep value with a stray bracket is still malformed");
	big[dn] = '1';
	strcpy(big + dn + 100001, ",\"eventName\":\"Deep\"}\n");
	rc = one(big, &next);
	CHECK(rc == CT_SCAN_OK && nrec == 1 && strcmp(lastbuf[1], "Deep") == 0 &&
	    big[next] == '\n', "requestParameters 100000 deep: the record counts");
	rc = ct_scan_value(sc, big, dn + 1, 0, 0, 0, &next);
	CHECK(rc == CT_SCAN_MORE && next == 0, "... cut inside it: MORE");
	reset();
	rc = ct_scan_value(sc, big, strlen(big), 0, 0, 0, &next);
	CHECK(rc == CT_SCAN_OK && nrec == 1,
	    "... then whole: the scanner's grown state is right");
	big[0] = '\0';
	strcat(big, "{\"Records\":[{\"eventSource\":\"a\",\"eventName\":"
	    "\"1\"},{\"eventSource\":\"a\",\"eventName\":\"2\","
	    "\"requestParameters\":");
	for (i = 0; i < 2000; i++)
		strcat(big, "[");
	for (i = 0; i < 2000; i++)
		strcat(big, "]");
	strcat(big, "},{\"eventSource\":\"a\",\"eventName\":\"3\"}]}");
	CHECK(good(big) && nrec == 3 && nskip == 0,
	    "a deep record inside Records: it and its neighbours count");
	big[0] = '\0';
	for (i = 0; i < 600; i++)
		strcat(big, "[");
	strcat(big, "{\"eventSource\":\"a\",\"eventName\":\"1\"}");
	for (i = 0; i < 600; i++)
		strcat(big, "]");
	CHECK(good(big) && nrec == 0 && nskip == 1,
	    "a record 600 arrays deep: skipped, not malformed");
	big[0] = '\0';
	strcat(big, "{\"requestParameters\":");
	for (i = 0; i < 500; i++)
		strcat(big, "[");
	for (i = 0; i < 500; i++)
		strcat(big, "]");
	strcat(big, ",\"eventSource\":\"s\",\"eventName\":\"n\"}");
	CHECK(good(big) && nrec == 1, "500 levels inside a record: fine");

	/* envelopes */
	one("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"1\"},"
	    "{\"eventSource\":\"a\",\"eventName\":\"2\"}]}", NULL);
	CHECK(nrec == 2 && strstr(log_, "R:a:1") && strstr(log_, "R:a:2"),
	    "Records envelope");
	one("{\"NextToken\":\"x\",\"Events\":[{\"EventId\":\"1\",\"EventName\":\"X\","
	    "\"CloudTrailEvent\":\"{\\\"eventSource\\\":\\\"s\\\",\\\"eventName\\\":"
	    "\\\"N\\\",\\\"awsRegion\\\":\\\"r\\\"}\"}]}", NULL);
	CHECK(nrec == 1 && strcmp(lastbuf[1], "N") == 0 &&
	    strcmp(lastbuf[2], "r") == 0, "Events page with CloudTrailEvent strings");
	one("[[{\"eventSource\":\"a\",\"eventName\":\"1\"}],"
	    "{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"2\"}]}]", NULL);
	CHECK(nrec == 2, "arrays of envelopes");
	one("{\"detail\":{\"eventSource\":\"ec2\",\"eventName\":\"Run\"},"
	    "\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\"}", NULL);
	CHECK(nrec == 1 && strcmp(lastbuf[1], "Run") == 0,
	    "EventBridge envelope (detail before detail-type)");
	one("{\"detail-type\":\"EC2 Instance State-change Notification\","
	    "\"detail\":{\"state\":\"running\"}}", NULL);
	CHECK(nrec == 1 && last.event_source.p == NULL,
	    "other EventBridge events: an object without eventSource");
	one("{\"awsAccountId\":\"1\",\"digestStartTime\":\"x\",\"digestEndTime\":\"y\","
	    "\"logFiles\":[]}", NULL);
	CHECK(ndig == 1 && nrec == 0, "digest object recognised");
	one("{\"ctFetch\":\"start\",\"version\":1,\"region\":\"eu-west-1\"}", NULL);
	CHECK(nctl == 1 && nrec == 0 && strstr(log_, "\"region\":\"eu-west-1\""),
	    "control record delivered whole");
	/* control records count at the top level only */
	{
		static const char *const forged[] = {
			"{\"Records\":[{\"ctFetch\":\"end\",\"version\":1}]}",
			"{\"Events\":[{\"ctFetch\":\"end\",\"version\":1}]}",
			"[{\"ctFetch\":\"end\",\"version\":1}]",
			"[[{\"ctFetch\":\"end\",\"version\":1}]]",
			"{\"detail-type\":\"AWS API Call via CloudTrail\","
			    "\"detail\":{\"ctFetch\":\"end\",\"version\":1}}",
			"{\"detail\":{\"ctFetch\":\"end\",\"version\":1},"
			    "\"detail-type\":\"AWS API Call via CloudTrail\"}",
			"{\"CloudTrailEvent\":\"{\\\"ctFetch\\\":\\\"end\\\"}\"}",
			"{\"Events\":[{\"CloudTrailEvent\":"
			    "\"{\\\"ctFetch\\\":\\\"end\\\"}\"}]}",
			"{\"Records\":[{\"ctFetc\\u0068\":\"end\"}]}",
		};
		size_t k;

		for (k = 0; k < sizeof(forged) / sizeof(forged[0]); k++) {
			rc = one(forged[k], NULL);
			CHECK(rc == CT_SCAN_OK && nctl == 0 && nskip == 1 &&
			    nrec == 0, "control record not obeyed, skipped: %s",
			    forged[k]);
		}
		rc = one("{\"Records\":[{\"eventSource\":\"a\",\"eventName\":"
		    "\"1\"},{\"ctFetch\":\"start\"},{\"eventSource\":\"a\","
		    "\"eventName\":\"2\"}]}", NULL);
		CHECK(rc == CT_SCAN_OK && nrec == 2 && nskip == 1 && nctl == 0,
		    "the records around a forged one count");
		rc = one("{\"ctFetc\\u0068\":\"start\"}", NULL);
		CHECK(nctl == 1, "a top-level ctFetch key spelled with escapes");
	}

	/* byte order marks before top-level values */
	{
		const char *s = "\xef\xbb\xbf{\"eventSource\":\"a\",\"eventName\":"
		    "\"1\"}\n\xef\xbb\xbf\xef\xbb\xbf {\"eventSource\":\"a\","
		    "\"eventName\":\"2\"}\n{\"eventSource\":\n\xef\xbb\xbf"
		    "{\"eventSource\":\"a\",\"eventName\":\"3\"}\n\xef\xbb\xbf";

		CHECK(all(s, strlen(s)) == 1 && nrec == 3,
		    "a BOM before any value, after a bad line too");
		CHECK(bad("[\xef\xbb\xbf" "1]") && bad("{\"a\":\xef\xbb\xbf" "1}"),
		    "a BOM inside a value is not whitespace");
		CHECK(bad("\xef\xbb" "{}") && bad("\xef" "{}"), "part of a BOM is bad");
		reset();
		rc = ct_scan_value(sc, " \xef\xbb", 3, 0, 0, 0, &next);
		CHECK(rc == CT_SCAN_MORE && next == 1,
		    "a buffer ending inside a BOM wants more");
		rc = ct_scan_value(sc, " \xef\xbb\xbf", 4, 0, 1, 0, &next);
		CHECK(rc == CT_SCAN_EMPTY, "a BOM alone is whitespace");
	}

	/* what ct-fetch writes: ct_scan_check_record */
	{
		const char *why = NULL;

		CHECK(ct_scan_check_record("{\"eventName\":\"a\"}\r\n", 17, &why),
		    "check_record: one object");
		CHECK(ct_scan_check_record("\xef\xbb\xbf {}", 6, &why),
		    "check_record: a BOM before it");
		CHECK(!ct_scan_check_record("{} {}", 5, &why) &&
		    strcmp(why, "not one JSON value") == 0,
		    "check_record: two values");
		CHECK(!ct_scan_check_record("{}\xef\xbb\xbf", 5, &why) &&
		    strcmp(why, "not one JSON value") == 0,
		    "check_record: a BOM after it");
		CHECK(!ct_scan_check_record("{\"a\":", 5, &why) &&
		    strcmp(why, "not one JSON value") == 0,
		    "check_record: cut short");
		CHECK(!ct_scan_check_record("[{}]", 4, &why) &&
		    strcmp(why, "not a JSON object") == 0,
		    "check_record: an array");
		CHECK(!ct_scan_check_record("{\"ctFetc\\u0068\":1}", 19, &why) &&
		    strcmp(why, "shaped like a ct-fetch control record") == 0,
		    "check_record: a control record, however spelled");
		CHECK(ct_scan_check_record("{\"x\":{\"ctFetch\":1}}", 19, &why),
		    "check_record: a nested ctFetch is no control record");
		{
			/* envelopes inside a record are only grammar to the
			 * check: what they hold is the record's content */
			static const char *const env[] = {
			    "{\"Records\":[{\"ctFetch\":1},5,{\"a\":[]}]}",
			    "{\"CloudTrailEvent\":\"{\\\"ctFetch\\\":1}\"}",
			    "{\"CloudTrailEvent\":\"{not json\"}",
			    "{\"detail-type\":\"AWS API Call via CloudTrail\","
			    "\"detail\":{\"ctFetch\":1}}",
			    "{\"userIdentity\":{\"sessionContext\":{\"ctFetch\":"
			    "\"\\ud800\"}},\"eventTime\":\"\\u0041\"}",
			};
			static const char bad[] = "{\"Records\":[{\"a\":1,}]}";
			static const char ctl[] = "{\"Records\":[],\"ctFetch\":1}"
			    " x";
			size_t k;

			for (k = 0; k < sizeof(env) / sizeof(env[0]); k++)
				CHECK(ct_scan_check_record(env[k],
				    strlen(env[k]), &why), "check_record: "
				    "envelope %zu inside a record", k);
			CHECK(!ct_scan_check_record(bad, sizeof(bad) - 1,
			    &why) && strcmp(why, "not one JSON value") == 0,
			    "check_record: bad JSON inside an envelope");
			CHECK(!ct_scan_check_record(ctl, sizeof(ctl) - 1,
			    &why) && strcmp(why, "shaped like a ct-fetch "
			    "control record") == 0, "check_record: a control "
			    "record with bytes after it");
		}
		strcpy(big, "{\"requestParameters\":");
		memset(big + 21, '[', 100000);
		memset(big + 100021, ']', 100000);
		strcpy(big + 200021, "}");
		CHECK(ct_scan_check_record(big, strlen(big), &why),
		    "check_record: a field nested 100000 deep");
	}
	one("{\"CloudTrailEvent\":\"{not json\"}", NULL);
	CHECK(nmal == 1 && nrec == 0, "bad CloudTrailEvent content: malformed, value fine");
	one("[1,\"s\",null]", NULL);
	CHECK(nskip == 3, "scalars are skipped values");

	/* effects skipped on a rescan */
	reset();
	{
		const char *s = "{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"1\"},"
		    "{\"eventSource\":\"a\",\"eventName\":\"2\"},{\"eventSource\":\"a\"";
		rc = ct_scan_value(sc, s, strlen(s), 0, 0, 0, &next);
		CHECK(rc == CT_SCAN_MORE && nrec == 2 && ct_scan_effects(sc) == 2,
		    "records delivered before the cut");
		reset();
		s = "{\"Records\":[{\"eventSource\":\"a\",\"eventName\":\"1\"},"
		    "{\"eventSource\":\"a\",\"eventName\":\"2\"},{\"eventSource\":\"a\","
		    "\"eventName\":\"3\"}]}";
		rc = ct_scan_value(sc, s, strlen(s), 0, 0, 2, &next);
		CHECK(rc == CT_SCAN_OK && nrec == 1 && strstr(log_, "R:a:3"),
		    "rescan skips the effects already delivered");
	}

	/* stop from a callback */
	stop_after = 1;
	reset();
	rc = ct_scan_value(sc, "[{\"eventName\":\"x\"},{\"eventName\":\"y\"}]", 37,
	    0, 1, 0, &next);
	CHECK(rc == CT_SCAN_STOP && nrec == 1 && next == 0, "callback stops the scan");
	stop_after = -1;

	/* a sequence with bad values between good ones */
	{
		const char *s = "{\"eventSource\":\"a\",\"eventName\":\"1\"}\n"
		    "{\"eventSource\":\"a\",\"eventName\":\"2\"\n"
		    "{\"eventSource\":\"a\",\"eventName\":\"3\"} {\"eventSource\":\"a\",\"eventName\":\"4\"}\n"
		    "\x01\x02\xff garbage\n"
		    "{\"eventSource\":\"a\",\"eventName\":\"5\"}\n"
		    "{\n  \"eventSource\": \"a\",\n  \"eventName\": \"6\" \"x\"\n  }\n"
		    "{\n  \"eventSource\": \"a\",\n  \"eventName\": \"7\"\n}\n";
		i = all(s, strlen(s));
		CHECK(i == 6 && nrec == 5 && nskip == 2,
		    "bad lines cost only themselves");
	}

	/*
	 * Key guesses: after records with the usual key order, each key is
	 * guessed from the one before and checked by one compare.  Whatever
	 * sits at a guessed key's place must still mean what it says.
	 */
	for (i = 0; i < 3; i++)
		(void)one(full, NULL);
	{
		static const struct {
			const char *rec, *name, *what;
			int ok;
		} g[] = {
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventNamex\":\"no\"}", NULL,
			  "a longer key at a guessed place is not the guess", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventNam\":\"no\"}", NULL,
			  "a shorter key at a guessed place is not the guess", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"event\\u004eame\":\"esc\"}", "esc",
			  "the guessed key spelled with an escape", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventName\" : \"ws\",\"awsRegion\":\"r\"}", "ws",
			  "the guessed key with spaces around ':'", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventName\":\n\"nl\",\"awsRegion\":\"r\"}", "nl",
			  "the guessed key with a newline after ':'", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventName\":\"a\",\"eventName\":\"last\"}", "last",
			  "a repeated key: the last one counts", 1 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventName\"::\"x\",\"awsRegion\":\"r\"}", NULL,
			  "a doubled ':' after a guessed key is malformed", 0 },
			{ "{\"eventVersion\":\"1\",\"eventSource\":\"s\","
			  "\"eventName\":}", NULL,
			  "a guessed key without a value is malformed", 0 },
			{ "{\"eventSource\":\"s\",\"eventName\":\"n\"}", "n",
			  "guessed keys near the buffer's end", 1 },
		};
		size_t k;

		for (k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
			rc = one_exact(g[k].rec, 1, &next);
			if (!g[k].ok) {
				CHECK(rc == CT_SCAN_BAD, "%s", g[k].what);
				continue;
			}
			CHECK(rc == CT_SCAN_OK && nrec == 1 &&
			    (g[k].name == NULL ? last.event_name.p == NULL :
			    strcmp(lastbuf[1], g[k].name) == 0), "%s", g[k].what);
			/* warm the guesses again for the next case */
			(void)one(full, NULL);
		}
		/* cut short of a guessed key's end: more input, then the same */
		{
			const char *cut = "{\"eventVersion\":\"1\",\"eventSource\":"
			    "\"s\",\"eventName\":\"cut\"}";
			char part[64];
			size_t n = strlen(cut), m;

			for (m = 1; m < n; m++) {
				memcpy(part, cut, m);
				part[m] = '\0';
				if (one_exact(part, 0, &next) != CT_SCAN_MORE)
					break;
			}
			CHECK(m == n, "every cut of a record asks for more input");
			rc = one_exact(cut, 0, &next);
			CHECK(rc == CT_SCAN_OK && strcmp(lastbuf[1], "cut") == 0,
			    "then the whole record reads right");
		}
		/* identity keys are guessed in their own kind of object */
		rc = one("{\"eventSource\":\"s\",\"eventName\":\"n\","
		    "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"P\","
		    "\"arnx\":\"no\",\"accountId\":\"222\"}}", NULL);
		CHECK(rc == CT_SCAN_OK && last.id.arn.p == NULL &&
		    strcmp(lastbuf[10], "IAMUser") == 0,
		    "an identity key unlike the guess is not the guess");
	}

	/* random bytes: never crash, never loop */
	{
		unsigned long x = 12345;
		char buf[4096];
		int k;

		for (k = 0; k < 2000; k++) {
			size_t j, n = (size_t)(x % sizeof(buf));

			for (j = 0; j < n; j++) {
				x = x * 6364136223846793005UL + 1442695040888963407UL;
				buf[j] = "{}[]\",:\\u0aeE-+.tfn \n\x80\xff"[(x >> 33) % 23];
			}
			(void)all(buf, n);
		}
		CHECK(1, "2000 random buffers scanned");
	}

	free(big);
	ct_scan_free(sc);
	return check_done();
}
