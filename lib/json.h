/*
 * json.h - a JSON document held in memory, for small documents.
 *
 * For what is read whole and walked by name: summaries (--merge, ct-plot),
 * AWS API responses, ct-fetch control records, credential_process output,
 * the SSO token cache.  The hot path of ct-aggregate does not use it: the
 * record scanner (scan.h) reads records without building a tree.
 *
 * Built on jsmn (JSMN_STRICT, JSMN_PARENT_LINKS); strings are decoded with
 * jstr.h (escapes, U+FFFD repair).  Accepts what Python's json.loads
 * accepts (including NaN, Infinity, -Infinity), so the same bytes are good
 * or bad for both.  Limits (see ct_json_parse) keep any input from
 * exhausting memory or stack.
 */
#ifndef CT_JSON_H
#define CT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum ct_jtype {
	CT_JNULL, CT_JFALSE, CT_JTRUE, CT_JNUMBER, CT_JSTRING, CT_JARRAY,
	CT_JOBJECT
};

struct ct_jnode {
	enum ct_jtype	 type;
	const char	*str;	/* STRING: decoded, NUL-terminated; NUMBER: its text */
	size_t		 len;
	const char	*key;	/* member of an object: decoded name, else NULL */
	size_t		 keylen;
	size_t		 nchild;	/* ARRAY/OBJECT: elements or members */
	struct ct_jnode	*child;		/* first element or member */
	struct ct_jnode	*next;		/* next sibling */
};

struct ct_jdoc;

/* Limits: nesting depth 512, document size 256 MiB, and at most 8 Mi
 * tokens (values and member names; about 100 bytes of memory each). */
#define CT_JSON_MAX_DEPTH	512
#define CT_JSON_MAX_SIZE	((size_t)256 << 20)

/*
 * Parse text[0..n) as exactly one JSON value (surrounding whitespace and a
 * UTF-8 BOM allowed).  Returns a document the caller frees with
 * ct_json_free, or NULL with a one-line reason ("line 3, column 7:
 * expected ',' or a closing bracket"; columns count bytes) in err (which
 * may be NULL).  The document does not point into text: strings and
 * number texts are copied, so text may be freed at once.  Invalid UTF-8
 * inside strings is replaced by U+FFFD (maximal subparts), where Python
 * would refuse bytes that are not UTF-8.
 */
struct ct_jdoc	*ct_json_parse(const char *text, size_t n, struct ct_buf *err);
void		 ct_json_free(struct ct_jdoc *d);
const struct ct_jnode *ct_json_root(const struct ct_jdoc *d);

/* Member of an object by name (the last one if repeated), or NULL. */
const struct ct_jnode *ct_json_get(const struct ct_jnode *obj, const char *key);
/* Its string value, or NULL if absent or not a string. */
const char	*ct_json_get_str(const struct ct_jnode *obj, const char *key);
/* A NUMBER node as a non-negative or negative integer: 0, or -1 if it is
 * not an integer or out of int64 range. */
int		 ct_json_int(const struct ct_jnode *n, int64_t *out);

#endif
