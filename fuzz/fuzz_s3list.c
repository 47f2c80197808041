/*
 * fuzz_s3list.c - reading ListObjectsV2 answers: lib/s3list.h.
 *
 * The bytes are the body of a (possibly hostile) S3 listing.  Properties:
 * a parse either fails with a reason and an empty result, or gives keys
 * and prefixes that are non-empty C strings within S3's key limit, and a
 * truncated listing always has its continuation token; parsing twice
 * gives the same result.
 */
#include <string.h>

#include "buf.h"
#include "s3list.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_s3list l, m;
	struct ct_buf why;
	size_t i;
	int rc;

	ct_s3list_init(&l);
	ct_s3list_init(&m);
	ct_buf_init(&why, 0);
	rc = ct_s3list_parse((const char *)data, size, &l, &why);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(l.nobjs == 0 && l.nprefixes == 0 &&
		    l.next_token == NULL && why.len > 0);
	} else {
		for (i = 0; i < l.nobjs; i++)
			FZ_CHECK(l.objs[i].key[0] != '\0' &&
			    strlen(l.objs[i].key) <= CT_S3LIST_MAX_KEY);
		for (i = 0; i < l.nprefixes; i++)
			FZ_CHECK(l.prefixes[i][0] != '\0' &&
			    strlen(l.prefixes[i]) <= CT_S3LIST_MAX_KEY);
		FZ_CHECK(!l.truncated || l.next_token != NULL);
		FZ_CHECK(ct_s3list_parse((const char *)data, size, &m,
		    &why) == 0 && m.nobjs == l.nobjs &&
		    m.nprefixes == l.nprefixes && m.truncated == l.truncated);
		for (i = 0; i < l.nobjs; i++)
			FZ_CHECK(strcmp(l.objs[i].key, m.objs[i].key) == 0 &&
			    l.objs[i].size == m.objs[i].size);
	}
	ct_s3list_free(&l);
	ct_s3list_free(&m);
	ct_buf_free(&why);
	return 0;
}
