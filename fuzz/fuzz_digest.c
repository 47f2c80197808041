/*
 * fuzz_digest.c - reading a CloudTrail digest file: lib/digest.h.
 *
 * The bytes are the uncompressed text of a (possibly forged) digest.
 * Properties: a parse either fails with a one-line reason, or gives the
 * required strings (non-empty bucket and key, end time text) and at most
 * CT_DIGEST_MAX_LOGS log files with non-empty names; the string to sign
 * is built and ends with the previous signature (or "null"); checking a
 * signature made of the input's bytes with a key made of them neither
 * crashes nor verifies; parsing twice gives the same SHA-256.
 */
#include <string.h>

#include "buf.h"
#include "digest.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_digest d, e;
	struct ct_buf why, s;
	size_t i, pn;
	const char *prev;
	int rc;

	ct_buf_init(&why, 4096);
	ct_buf_init(&s, 0);
	rc = ct_digest_parse((const char *)data, size, &d, &why);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(why.len > 0);
		FZ_ONELINE(why.data, why.len);
	} else {
		FZ_CHECK(d.bucket != NULL && d.object != NULL &&
		    d.end_text != NULL && d.fingerprint != NULL);
		FZ_CHECK(d.nlogs <= CT_DIGEST_MAX_LOGS);
		for (i = 0; i < d.nlogs; i++)
			FZ_CHECK(d.logs[i].bucket[0] != '\0' &&
			    d.logs[i].object[0] != '\0');
		FZ_CHECK(ct_digest_string_to_sign(&d, &s) == 0);
		prev = d.prev_signature ? d.prev_signature : "null";
		pn = strlen(prev);
		FZ_CHECK(s.len > pn && memcmp(s.data + s.len - pn, prev,
		    pn) == 0);
		FZ_CHECK(ct_digest_parse((const char *)data, size, &e,
		    NULL) == 0 && memcmp(d.sha256, e.sha256, 32) == 0 &&
		    e.nlogs == d.nlogs);
		ct_digest_free(&e);
		/* A key and a signature from the input itself. */
		FZ_CHECK(ct_digest_verify(&d, d.fingerprint, NULL, data,
		    size < 600 ? size : 600, &why) != 0);
	}
	ct_digest_free(&d);
	ct_buf_free(&why);
	ct_buf_free(&s);
	return 0;
}
