/*
 * fuzz_jstr.c - the JSON string codec (lib/jstr.h).
 *
 * The input is a string body as it sits between quotes.  Properties:
 * decoding never passes the cap; what decodes encodes to printable ASCII
 * between quotes; that encoding decodes back to the same bytes with no
 * repair (the round trip every summary string makes); and
 * ct_utf8_valid_prefix agrees with a plain reference validator.
 */
#include <string.h>

#include "buf.h"
#include "jstr.h"
#include "fuzz.h"

/* Reference: length of the longest strictly valid UTF-8 prefix. */
static size_t
ref_valid_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0, k, len;
	unsigned c, cp, min;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return i;
		if (i + len > n)
			return i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_buf out, enc, back;
	size_t rep = 0, rep2 = 0, i, cap;
	unsigned opt = fz_take(&data, &size);
	int rc;

	FZ_CHECK(ct_utf8_valid_prefix((const char *)data, size) ==
	    ref_valid_prefix(data, size));

	/* A small cap now and then, to exercise CT_JSTR_CAP. */
	cap = (opt & 1) ? (opt >> 1) : 0;
	ct_buf_init(&out, cap);
	rc = ct_jstr_decode((const char *)data, size, &out, &rep);
	if (cap != 0)
		FZ_CHECK(out.len <= cap);
	if (rc != CT_JSTR_OK) {
		FZ_CHECK(rc == CT_JSTR_BAD_ESCAPE || rc == CT_JSTR_CONTROL ||
		    rc == CT_JSTR_CAP);
		ct_buf_free(&out);
		return 0;
	}
	ct_buf_init(&enc, 0);
	FZ_CHECK(ct_jstr_encode(&enc, out.data ? out.data : "", out.len) == 0);
	FZ_CHECK(enc.len >= 2 && enc.data[0] == '"' &&
	    enc.data[enc.len - 1] == '"');
	for (i = 0; i < enc.len; i++)
		FZ_CHECK(enc.data[i] >= 0x20 && enc.data[i] <= 0x7e);
	ct_buf_init(&back, 0);
	FZ_CHECK(ct_jstr_decode(enc.data + 1, enc.len - 2, &back, &rep2) ==
	    CT_JSTR_OK);
	FZ_CHECK(rep2 == 0);
	FZ_CHECK(back.len == out.len &&
	    (out.len == 0 || memcmp(back.data, out.data, out.len) == 0));
	/* Ordering is a total order consistent with equality. */
	FZ_CHECK(ct_jstr_cmp(out.data ? out.data : "", out.len,
	    back.data ? back.data : "", back.len) == 0);
	ct_buf_free(&out);
	ct_buf_free(&enc);
	ct_buf_free(&back);
	return 0;
}
