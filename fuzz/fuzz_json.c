/*
 * fuzz_json.c - the JSON document reader (lib/json.h).
 *
 * Every summary ct-plot reads, every AWS JSON answer and every
 * credential_process output goes through ct_json_parse.  Properties: a
 * rejected document has a one-line reason; an accepted one is a tree whose
 * child counts match its lists, whose depth stays within the limit, whose
 * strings are NUL-terminated at their length; ct_json_get finds the last
 * member of a name; ct_json_int never misreads a number it accepts.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "fuzz.h"

static void
walk(const struct ct_jnode *n, int depth)
{
	const struct ct_jnode *c, *g, *last;
	size_t k;
	int64_t v;

	FZ_CHECK(depth <= CT_JSON_MAX_DEPTH + 1);
	switch (n->type) {
	case CT_JSTRING:
	case CT_JNUMBER:
		FZ_CHECK(n->str != NULL && n->str[n->len] == '\0');
		if (n->type == CT_JNUMBER && ct_json_int(n, &v) == 0) {
			char tmp[32];

			snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
			/* an integer is read exactly: "-0" reads as 0 */
			if (strchr(n->str, '.') == NULL &&
			    strpbrk(n->str, "eE") == NULL &&
			    strcmp(n->str, "-0") != 0)
				FZ_CHECK(strcmp(tmp, n->str) == 0);
		}
		break;
	case CT_JARRAY:
	case CT_JOBJECT:
		for (k = 0, c = n->child; c != NULL; c = c->next, k++) {
			if (n->type == CT_JOBJECT) {
				FZ_CHECK(c->key != NULL &&
				    c->key[c->keylen] == '\0');
				if (strlen(c->key) == c->keylen &&
				    n->nchild <= 256) {
					/* the last member of that name */
					g = NULL;
					for (last = c; last != NULL;
					    last = last->next)
						if (last->keylen == c->keylen &&
						    memcmp(last->key, c->key,
						    c->keylen) == 0)
							g = last;
					FZ_CHECK(ct_json_get(n, c->key) == g);
				}
			} else
				FZ_CHECK(c->key == NULL);
			walk(c, depth + 1);
		}
		FZ_CHECK(k == n->nchild);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_buf err;
	struct ct_jdoc *d;
	const struct ct_jnode *root;

	ct_buf_init(&err, 1024);
	d = ct_json_parse((const char *)data, size, &err);
	if (d == NULL) {
		FZ_CHECK(err.len > 0);
		FZ_ONELINE(err.data, err.len);
		ct_buf_free(&err);
		return 0;
	}
	root = ct_json_root(d);
	FZ_CHECK(root != NULL);
	walk(root, 0);
	ct_json_free(d);
	ct_buf_free(&err);
	return 0;
}
