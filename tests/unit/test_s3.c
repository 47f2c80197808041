/* test_s3.c - S3 GETs: the URL (path-style at a configured endpoint,
 * virtual-hosted at AWS), the key encoded once and not normalized, and
 * the signature botocore's S3SigV4Auth computes for the same request. */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "s3.h"

static const char *
hdr(const struct ct_s3_signed *s, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; s->headers[i] != NULL; i++)
		if (strncmp(s->headers[i], name, n) == 0 &&
		    s->headers[i][n] == ':')
			return s->headers[i] + n + 2;
	return NULL;
}

int
main(void)
{
	struct ct_s3_req rq;
	struct ct_s3_signed s;
	struct ct_buf why, q;
	const char *a;

	ct_s3_signed_init(&s);
	ct_buf_init(&why, 0);
	memset(&rq, 0, sizeof(rq));
	rq.endpoint = "http://127.0.0.1:9000";
	rq.configured = 1;
	rq.bucket = "my-bucket";
	rq.key = "a/b c+d~e/..//x.json.gz";
	rq.region = "eu-west-1";
	rq.access_key = "AKIDEXAMPLE";
	rq.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	rq.token = "TOKEN/x=";
	rq.when = 1704164645;	/* 2024-01-02T03:04:05Z */
	CHECK(ct_s3_sign_get(&rq, &s, &why) == 0 && strcmp(s.url.data,
	    "http://127.0.0.1:9000/my-bucket/a/b%20c%2Bd~e/..//x.json.gz") ==
	    0, "configured endpoint: path-style, the key encoded once, dot "
	    "and empty segments kept");
	a = hdr(&s, "Authorization");
	/* botocore S3SigV4Auth, same request and time */
	CHECK(a != NULL && strcmp(a, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "20240102/eu-west-1/s3/aws4_request, SignedHeaders=host;"
	    "x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="
	    "94b66365839cd914b85b05d8b6c9a3bb0ec88aa4fea58c5c18708d8aa729da2c")
	    == 0, "the signature botocore computes");
	CHECK(hdr(&s, "x-amz-content-sha256") != NULL &&
	    strcmp(hdr(&s, "x-amz-content-sha256"), "e3b0c44298fc1c149afbf4c8"
	    "996fb92427ae41e4649b934ca495991b7852b855") == 0 &&
	    strcmp(hdr(&s, "Host"), "127.0.0.1:9000") == 0 &&
	    strcmp(hdr(&s, "X-Amz-Security-Token"), "TOKEN/x=") == 0,
	    "x-amz-content-sha256 (empty payload), Host, token headers");
	CHECK(strstr(s.url.data, "wJalr") == NULL && hdr(&s, "Authorization")
	    != NULL && strstr(hdr(&s, "Authorization"), "wJalr") == NULL,
	    "the secret key is in neither URL nor headers");

	rq.endpoint = "https://s3.eu-west-1.amazonaws.com";
	rq.configured = 0;
	rq.key = "AWSLogs/1/x";
	ct_buf_init(&q, 0);
	ct_s3_query_add(&q, "list-type", "2");
	ct_s3_query_add(&q, "prefix", "AWSLogs/o-1/");
	rq.key = NULL;
	rq.query = q.data;
	CHECK(ct_s3_sign_get(&rq, &s, &why) == 0 && strcmp(s.url.data,
	    "https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&"
	    "prefix=AWSLogs%2Fo-1%2F") == 0 && strcmp(hdr(&s, "Host"),
	    "my-bucket.s3.eu-west-1.amazonaws.com") == 0, "AWS: "
	    "virtual-hosted; the query percent-encoded");
	rq.style = CT_S3_PATH;
	CHECK(ct_s3_sign_get(&rq, &s, &why) == 0 && strncmp(s.url.data,
	    "https://s3.eu-west-1.amazonaws.com/my-bucket/?", 46) == 0,
	    "addressing_style = path");
	rq.style = CT_S3_AUTO;
	rq.bucket = "my.bucket";
	CHECK(ct_s3_sign_get(&rq, &s, &why) == 0 && strncmp(s.url.data,
	    "https://s3.eu-west-1.amazonaws.com/my.bucket/?", 46) == 0,
	    "a bucket name with dots: path-style (TLS names)");
	rq.endpoint = "s3.example.com";
	CHECK(ct_s3_sign_get(&rq, &s, &why) == -1 && why.len > 0,
	    "an endpoint that is not a URL is refused");
	CHECK(ct_s3_style_parse("virtual") == CT_S3_VIRTUAL &&
	    ct_s3_style_parse(NULL) == CT_S3_AUTO &&
	    ct_s3_style_parse("dns") == -1, "addressing_style values");
	ct_buf_free(&q);
	ct_buf_free(&why);
	ct_s3_signed_free(&s);
	return check_done();
}
