/*
 * fuzz_pubkeys.c - reading a ListPublicKeys answer: lib/digest.h.
 *
 * The bytes are the body of a (possibly hostile) cloudtrail
 * ListPublicKeys answer, or a user's file of list-public-keys output.
 * Properties: a parse either fails with a one-line reason and leaves the
 * set as it was, or appends keys that have a non-empty fingerprint and
 * a DER key within CT_PUBKEY_MAX_DER bytes; a second parse of the same
 * bytes appends as many again (pages add up); each key is found by its
 * fingerprint.
 */
#include <string.h>

#include "buf.h"
#include "digest.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_pubkeys k;
	struct ct_buf why;
	size_t i, n1;
	int rc;

	ct_pubkeys_init(&k);
	ct_buf_init(&why, 4096);
	rc = ct_pubkeys_parse((const char *)data, size, &k, &why);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(k.n == 0 && k.next_token == NULL && why.len > 0);
		FZ_ONELINE(why.data, why.len);
	} else {
		for (i = 0; i < k.n; i++) {
			FZ_CHECK(k.v[i].fingerprint[0] != '\0');
			FZ_CHECK(k.v[i].dern > 0 &&
			    k.v[i].dern <= CT_PUBKEY_MAX_DER);
			FZ_CHECK(ct_pubkeys_find(&k, k.v[i].fingerprint) !=
			    NULL);
		}
		n1 = k.n;
		rc = ct_pubkeys_parse((const char *)data, size, &k, NULL);
		FZ_CHECK(rc == 0 ? k.n == 2 * n1 : k.n == n1);
	}
	ct_pubkeys_free(&k);
	ct_buf_free(&why);
	return 0;
}
