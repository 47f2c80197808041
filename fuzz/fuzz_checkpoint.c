/*
 * fuzz_checkpoint.c - the ct-fetch checkpoint reader (lib/checkpoint.h).
 *
 * A checkpoint file may be damaged or left by another version.
 * Properties: a rejected file leaves the checkpoint empty with a one-line
 * reason; an accepted one encodes to text that decodes to a checkpoint
 * that encodes the same way again.
 */
#include <string.h>

#include "buf.h"
#include "checkpoint.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_ckpt a, b;
	struct ct_buf err, e1, e2;

	ct_ckpt_init(&a);
	ct_buf_init(&err, 4096);
	if (ct_ckpt_decode((const char *)data, size, &a, &err) != 0) {
		FZ_CHECK(a.nregions == 0);
		FZ_CHECK(err.len > 0);
		FZ_ONELINE(err.data, err.len);
		ct_ckpt_free(&a);
		ct_buf_free(&err);
		return 0;
	}
	ct_buf_init(&e1, 0);
	ct_buf_init(&e2, 0);
	FZ_CHECK(ct_ckpt_encode(&a, &e1) == 0);
	ct_ckpt_init(&b);
	ct_buf_reset(&err);
	if (ct_ckpt_decode(e1.data, e1.len, &b, &err) != 0) {
		fprintf(stderr, "encoded checkpoint does not decode: %s\n%s",
		    err.data, e1.data);
		FZ_CHECK(0);
	}
	FZ_CHECK(ct_ckpt_encode(&b, &e2) == 0);
	FZ_CHECK(e1.len == e2.len && memcmp(e1.data, e2.data, e1.len) == 0);
	ct_ckpt_free(&a);
	ct_ckpt_free(&b);
	ct_buf_free(&err);
	ct_buf_free(&e1);
	ct_buf_free(&e2);
	return 0;
}
