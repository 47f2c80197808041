/*
 * fuzz_sigfile.c - reading a user's file of digest signatures
 * (ct-aggregate --signatures): lib/treeverify.h.
 *
 * Properties: a parse either fails with a one-line reason naming the
 * line, or gives entries whose signature is non-empty even-length hex
 * within CT_DIGEST_MAX_SIGHEX and whose algorithm, when present, holds
 * no tab or newline; parsing twice gives as many entries.
 */
#include <string.h>

#include "buf.h"
#include "strmap.h"
#include "treeverify.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_strmap *m = ct_treesigs_new(), *m2 = ct_treesigs_new();
	struct ct_strmap_entry *e;
	struct ct_buf why;
	size_t it = 0;
	int rc;

	ct_buf_init(&why, 4096);
	rc = ct_treesigs_parse((const char *)data, size, m, &why);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(why.len > 0 && strncmp(why.data, "line ", 5) == 0);
		FZ_ONELINE(why.data, why.len);
	} else {
		while ((e = ct_strmap_next(m, &it)) != NULL) {
			const struct ct_treesig *s = e->val.ptr;
			size_t n = strlen(s->hex);

			FZ_CHECK(n > 0 && n % 2 == 0 &&
			    n <= CT_DIGEST_MAX_SIGHEX &&
			    strspn(s->hex, "0123456789abcdefABCDEF") == n);
			FZ_CHECK(s->alg == NULL || strpbrk(s->alg, "\t\n") ==
			    NULL);
		}
		FZ_CHECK(ct_treesigs_parse((const char *)data, size, m2,
		    NULL) == 0 && ct_strmap_count(m2) == ct_strmap_count(m));
	}
	ct_strmap_free(m);
	ct_strmap_free(m2);
	ct_buf_free(&why);
	return 0;
}
