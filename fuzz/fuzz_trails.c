/*
 * fuzz_trails.c - reading DescribeTrails answers: lib/trails.h.
 *
 * The bytes are the body of a (possibly hostile) DescribeTrails answer.
 * Properties: a parse either fails with a reason and no trail, or gives
 * trails that each have a non-empty name, and a bucket or prefix only as
 * non-empty strings; picking with no name gives a trail with a bucket or a
 * reason; parsing twice gives the same count.
 */
#include <string.h>

#include "buf.h"
#include "trails.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_trails t, u;
	struct ct_buf why;
	const struct ct_trail *tr;
	size_t i;
	int rc;

	ct_buf_init(&why, 0);
	rc = ct_trails_parse((const char *)data, size, &t, &why);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(t.n == 0 && t.v == NULL && why.len > 0);
	} else {
		for (i = 0; i < t.n; i++) {
			FZ_CHECK(t.v[i].name != NULL && t.v[i].name[0]);
			FZ_CHECK(t.v[i].bucket == NULL || t.v[i].bucket[0]);
			FZ_CHECK(t.v[i].prefix == NULL || t.v[i].prefix[0]);
		}
		ct_buf_reset(&why);
		tr = ct_trails_pick(&t, NULL, &why);
		FZ_CHECK(tr != NULL ? tr->bucket != NULL : why.len > 0);
		if (t.n > 0) {
			ct_buf_reset(&why);
			tr = ct_trails_pick(&t, t.v[0].name, &why);
			FZ_CHECK(tr != NULL || why.len > 0);
		}
		ct_buf_reset(&why);
		FZ_CHECK(ct_trails_parse((const char *)data, size, &u,
		    &why) == 0 && u.n == t.n);
		ct_trails_free(&u);
	}
	ct_trails_free(&t);
	ct_buf_free(&why);
	return 0;
}
