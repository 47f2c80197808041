/*
 * fuzz_xml.c - reading AWS answers: lib/xml.h and lib/awserr.h.
 *
 * The bytes are an HTTP answer body from a (possibly hostile) endpoint.
 * They go through ct_xml_next/ct_xml_text/ct_xml_get for the tags the
 * tools look for, and through ct_awserr_from_http (which reads JSON and
 * XML error documents) with a status picked by the first byte.
 * Properties: the element walk moves forward and stays inside the input;
 * decoded text respects its cap; the error line, code and message are
 * NUL-terminated one-liners that fit their fields; the message holds no
 * echo of a signed request and no unredacted secret value.
 */
#include <string.h>
#include <strings.h>

#include "awserr.h"
#include "buf.h"
#include "xml.h"
#include "fuzz.h"

static const char *const tags[] = {
	"Code", "Message", "regionName", "item", "Account", "Arn",
	"Credentials", "SessionToken", "Error", "RequestId", "x"
};

static void
oneline(const char *s, size_t sz)
{
	size_t n = strnlen(s, sz), i;

	FZ_CHECK(n < sz);
	/* no newline, no terminal control byte from the endpoint */
	for (i = 0; i < n; i++)
		FZ_CHECK((unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] != 0x7f);
}

/*
 * s, an error message, holds nothing AWS echoes of a signed request: no
 * canonical request or string to sign, and after each secret's name and
 * separator either no value or "[redacted]".
 */
static void
redacted(const char *s)
{
	static const char *const marks[] = { "canonical string",
	    "canonical request", "string-to-sign", "string to sign", NULL };
	static const char *const names[] = { "security-token",
	    "sessiontoken", "credential", "signature", NULL };
	size_t n = strlen(s), i, j, l, k;

	for (k = 0; marks[k] != NULL; k++)
		FZ_CHECK(strcasestr(s, marks[k]) == NULL);
	for (k = 0; names[k] != NULL; k++) {
		l = strlen(names[k]);
		for (i = 0; i + l <= n; i++) {
			if (strncasecmp(s + i, names[k], l) != 0)
				continue;
			j = i + l;
			if (s[j] == '"' || s[j] == '\'')
				j++;
			while (s[j] == ' ' || s[j] == '\t')
				j++;
			if (s[j] != ':' && s[j] != '=')
				continue;
			j++;
			while (s[j] == ' ' || s[j] == '\t')
				j++;
			if (s[j] == '"' || s[j] == '\'')
				j++;
			FZ_CHECK(s[j] == '\0' || strchr(" &\"'<>,;\\)", s[j]) ||
			    strncmp(s + j, "[redacted]", 10) == 0 ||
			    /* the value was in the echoed request, cut */
			    strncmp(s + j, "[the signed request", 19) == 0 ||
			    /* a value cut at the field's end */
			    strlen(s + j) < 10);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 403, 500, 503, 301, 0, 429 };
	const char *p, *inner;
	struct ct_buf out;
	struct ct_aws_error e;
	size_t pos, ilen, prev, k;
	unsigned opt = fz_take(&data, &size);
	int rc, guard;

	p = (const char *)data;
	for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
		pos = 0;
		for (guard = 0; guard < 10000; guard++) {
			prev = pos;
			rc = ct_xml_next(p, size, &pos, tags[k], &inner, &ilen);
			FZ_CHECK(rc >= -1 && rc <= 1);
			if (rc != 1)
				break;
			FZ_CHECK(pos > prev && pos <= size);
			FZ_CHECK(inner >= p && inner + ilen <= p + size);
			ct_buf_init(&out, (opt & 1) ? 64 : 0);
			(void)ct_xml_text(inner, ilen, &out);
			if (opt & 1)
				FZ_CHECK(out.len <= 64);
			ct_buf_free(&out);
		}
		ct_buf_init(&out, 0);
		rc = ct_xml_get(p, size, tags[k], &out);
		FZ_CHECK(rc >= -1 && rc <= 1);
		ct_buf_free(&out);
	}

	ct_awserr_clear(&e);
	ct_awserr_from_http(&e, "ec2.eu-west-1 DescribeRegions",
	    statuses[opt % 8], p, size);
	oneline(e.code, sizeof(e.code));
	oneline(e.message, sizeof(e.message));
	oneline(e.line, sizeof(e.line));
	redacted(e.message);
	FZ_CHECK(e.cls != CT_AWS_OK || (statuses[opt % 8] >= 200 &&
	    statuses[opt % 8] < 300));
	FZ_CHECK(ct_awserr_class_name(e.cls) != NULL);
	return 0;
}
