/*
 * recwalk.h - one walk over a CloudTrail record that finds its end and
 * proves it may be written as it is.
 *
 * A trail's log file holds its records back to back inside
 * {"Records":[...]}.  Before ct-fetch writes a record as a line it must
 * know where the record ends (lib/ctlog.c), its top-level eventTime (the
 * window), and that it is exactly one JSON object without a ctFetch key
 * of its own (lib/scan.h's ct_scan_check_record, so that no log file can
 * forge a control record or put two values on a line).  Done as three
 * walks over the text these cost twice the CPU of inflating it; this walk
 * does all three at once, over bytes already in memory.
 *
 * It is a fast path, not a second judge: it answers "yes" only for a
 * record ct_scan_check_record accepts, and "cannot tell" for anything
 * else, which the caller then decides the slow way (the splitter's walk,
 * then ct_scan_check_record for the reason).  "Cannot tell" covers every
 * error, but also what is valid and rare enough to leave to the slow
 * path: a top-level key written with escapes (only decoding tells
 * whether it spells ctFetch), nesting deeper than CT_RECWALK_DEPTH, a
 * record that goes past the bytes given.  So a "yes" needs only one
 * property, which fuzz_ctlog checks on every record: whatever this walk
 * accepts, ct_scan_check_record accepts, ending at the same byte.
 */
#ifndef CT_RECWALK_H
#define CT_RECWALK_H

#include <stddef.h>
#include <stdint.h>

#define CT_RECWALK_DEPTH	1024	/* levels of nesting walked */

/*
 * The text records are walked in, with its stop bits: bit i of
 * stops[i / 64] is set when base[i] is '"', '\\' or a control byte.
 * Computed once for the whole text (ct_recwalk_index), they find each
 * string's end with two loads and a count of trailing zeros, and no
 * branch on where 64-byte blocks fall.
 */
struct ct_rectext {
	const char	*base;
	size_t		 n;
	uint64_t	*stops;		/* CT_RECWALK_WORDS(n) words */
};
#define CT_RECWALK_WORDS(n)	((n) / 64 + 2)

/* Fill t->stops for base[0..n) (t->stops has room). */
void	ct_recwalk_index(struct ct_rectext *t);

struct ct_recwalk {
	/* the raw bytes of the first string value of a top-level key
	 * spelled eventTime (raw bytes compared), or NULL */
	const char	*et;
	size_t		 et_len;
	/* no '\n' or '\r' in the record (there may be some between
	 * tokens; a string cannot hold them raw) */
	int		 one_line;
};

/*
 * p (inside t) is a record's '{'.  Returns one past the record's closing
 * '}' if p up to there is one JSON object that ct_scan_check_record
 * accepts, and fills *w; else NULL (cannot tell, or the record goes past
 * the end of t).
 */
const char	*ct_recwalk(const struct ct_rectext *t, const char *p,
		    struct ct_recwalk *w);

#endif
