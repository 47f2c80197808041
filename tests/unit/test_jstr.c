/* test_jstr.c - JSON string decoding and Python-compatible encoding. */
#include <string.h>

#include "check.h"
#include "jstr.h"

static const char *
dec(const char *in, int *rc, size_t *fixes)
{
	static struct ct_buf b;

	ct_buf_free(&b);
	ct_buf_init(&b, 0);
	*rc = ct_jstr_decode(in, strlen(in), &b, fixes);
	return b.data ? b.data : "";
}

static const char *
enc(const char *in, size_t n)
{
	static struct ct_buf b;

	ct_buf_free(&b);
	ct_buf_init(&b, 0);
	ct_jstr_encode(&b, in, n);
	return b.data;
}

int
main(void)
{
	int rc;
	size_t fixes;

	CHECK_STR(dec("plain", &rc, &fixes), "plain", "plain text unchanged");
	CHECK_STR(dec("a\\n\\t\\\"\\\\\\/b", &rc, &fixes), "a\n\t\"\\/b",
	    "simple escapes");
	CHECK_STR(dec("\\u00e9", &rc, &fixes), "\xc3\xa9", "\\u00e9 -> UTF-8");
	CHECK_STR(dec("\\ud83d\\ude00", &rc, &fixes), "\xf0\x9f\x98\x80",
	    "surrogate pair joined");
	CHECK_STR(dec("\\ud83dx", &rc, &fixes), "\xed\xa0\xbdx",
	    "lone high surrogate kept as WTF-8");
	dec("bad\\x", &rc, &fixes);
	CHECK(rc == CT_JSTR_BAD_ESCAPE, "\\x is a bad escape");
	dec("\\u12", &rc, &fixes);
	CHECK(rc == CT_JSTR_BAD_ESCAPE, "short \\u is a bad escape");
	dec("a\tb", &rc, &fixes);
	CHECK(rc == CT_JSTR_CONTROL, "raw tab rejected");
	/* Maximal subpart: Python b"\xe2\x82 \xf0\x9f\x98 \xff".decode(errors="replace") */
	CHECK_STR(dec("\xe2\x82 \xf0\x9f\x98 \xff \xed\xa0\x80", &rc, &fixes),
	    "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "invalid UTF-8 replaced per maximal subpart");
	CHECK(fixes == 6, "six replacements counted (got %zu)", fixes);

	CHECK_STR(enc("a\"b\\c\n\x01\x7f", 8), "\"a\\\"b\\\\c\\n\\u0001\\u007f\"",
	    "ASCII escapes as Python");
	CHECK_STR(enc("\xc3\xa9\xf0\x9f\x98\x80", 6), "\"\\u00e9\\ud83d\\ude00\"",
	    "non-ASCII as \\u, astral as a pair");
	CHECK_STR(enc("\xed\xa0\xbd", 3), "\"\\ud83d\"", "lone surrogate back to \\ud83d");
	CHECK(ct_jstr_cmp("a", 1, "ab", 2) < 0, "prefix sorts first");
	CHECK(ct_jstr_cmp("\xef\xbf\xbd", 3, "\xf0\x9f\x98\x80", 4) < 0,
	    "code point order: U+FFFD before U+1F600");
	return check_done();
}
