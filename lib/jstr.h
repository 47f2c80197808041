/*
 * jstr.h - JSON string bodies: decoding them, and writing them as Python does.
 *
 * Every string that reaches a summary passes through here twice: decoded
 * from the input (escapes resolved, invalid UTF-8 repaired) and encoded for
 * the output exactly as Python's json.dumps(ensure_ascii=True) does, so that
 * our summaries are byte-identical to the Python tool's.
 *
 * Internal text is UTF-8, except that a \uD800-\uDFFF escape that is not
 * part of a valid surrogate pair is kept as its 3-byte generalized-UTF-8
 * form ("WTF-8"): Python keeps such lone surrogates in its str and writes
 * them back as \udXXX, and so do we.  Raw (unescaped) input bytes are
 * validated strictly; each invalid sequence becomes U+FFFD following the
 * "maximal subpart" rule of Unicode 3.9 (what Python's errors="replace"
 * does).
 */
#ifndef CT_JSTR_H
#define CT_JSTR_H

#include <stddef.h>

#include "buf.h"

enum {
	CT_JSTR_OK = 0,
	CT_JSTR_BAD_ESCAPE = -1,	/* \x, short \u, ... : not JSON */
	CT_JSTR_CONTROL = -2,		/* raw byte < 0x20 inside a string */
	CT_JSTR_CAP = -3,		/* out reached its cap */
};

/*
 * Decode the body of a JSON string (the bytes between the quotes, escapes
 * still in) and append it to out.  Sets *repaired (if not NULL) to the
 * number of U+FFFD substitutions made for invalid UTF-8.  Returns CT_JSTR_OK
 * or one of the negative codes above; on error out holds a partial result.
 */
int	ct_jstr_decode(const char *p, size_t n, struct ct_buf *out,
	    size_t *repaired);

/*
 * Length of the longest prefix of p[0..n) that is strictly valid UTF-8
 * (n when all of it is).  Fast on ASCII.
 */
size_t	ct_utf8_valid_prefix(const char *p, size_t n);

/*
 * Bytes of the UTF-8 character at p[0..left) (left >= 1): 1..4 for a valid
 * sequence, 1 for a byte that does not start one.  For walking text one
 * character at a time.
 */
size_t	ct_utf8_charlen(const char *p, size_t left);

/*
 * Append s[0..n) (internal UTF-8/WTF-8) as a quoted JSON string, exactly as
 * Python's json.dumps(s, ensure_ascii=True) would write it: ASCII only,
 * \" \\ \n \r \t \b \f, other bytes outside 0x20-0x7e as \u00XX, non-ASCII
 * as \uXXXX (lower-case hex) with surrogate pairs above U+FFFF.  Invalid
 * bytes in s (there should be none) are written as \ufffd.
 */
int	ct_jstr_encode(struct ct_buf *out, const char *s, size_t n);

/*
 * Compare two internal strings in the order Python's sort_keys uses (code
 * point order).  For UTF-8 that is byte order, and the WTF-8 surrogates sort
 * between U+D7FF and U+E000 as code points do, so memcmp order is right.
 */
int	ct_jstr_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
