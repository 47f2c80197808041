/* test_recwalk.c - the one walk over a log file's record: it says yes,
 * with the record's end and eventTime, only where ct-fetch's writer check
 * (ct_scan_check_record) says yes; everything else is left to that check
 * (NULL), including a forged ctFetch key however near the end of the
 * text, and a record cut short. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "recwalk.h"
#include "scan.h"
#include "xalloc.h"

/* Walk the record at the start of s (the text is s whole). */
static const char *
walk(const char *s, struct ct_recwalk *w)
{
	struct ct_rectext t;
	const char *q;

	t.base = s;
	t.n = strlen(s);
	t.stops = xmalloc(CT_RECWALK_WORDS(t.n) * sizeof(*t.stops));
	ct_recwalk_index(&t);
	q = ct_recwalk(&t, s, w);
	free(t.stops);
	return q;
}

int
main(void)
{
	static const char *yes[] = {
		"{}",
		"{\"eventTime\":\"2026-11-01T10:00:00Z\",\"a\":[1,-2.5e+3,"
		    "true,false,null,NaN,Infinity,-Infinity,{},[]]}",
		"{ \"a\" :\n\t{ \"ctFetch\" : 1 } ,\r\n\"b\":\"\\u00e9\\n\\\"\"}",
		"{\"x\":\"caf\xc3\xa9 \x7f\",\"y\":[[[[\"deep\"]]]]}",
	};
	static const char *no[] = {
		"{\"ctFetch\":\"end\"}",
		"{\"a\":1,\"ct\\u0046etch\":\"end\"}",
		"{\"event\\u004eame\":\"x\"}",	/* escaped: the slow path */
		"{\"a\":tru}",
		"{\"a\":01}",
		"{\"a\":1.}",
		"{\"a\":1e}",
		"{\"a\":\"x\x01y\"}",
		"{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12G4\"}",
		"{\"a\" \"b\"}",
		"{\"a\":1,}",
		"{\"a\":[1,]}",
		"{\"a\":[1 2]}",
		"{\"a\":{\"b\":1]}",
		"{\"a\":1",
		"{\"a\":\"b",
		"{\"a\":1}x",	/* the walk ends at '}': yes, see below */
	};
	struct ct_recwalk w;
	const char *q, *why;
	char *deep, *big;
	size_t i, n;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		q = walk(yes[i], &w);
		n = strlen(yes[i]);
		CHECK(q == yes[i] + n && ct_scan_check_record(yes[i], n, &why),
		    "accepted, to its end, as the writer's check does: "
		    "yes[%zu]", i);
	}
	q = walk(yes[0], &w);
	CHECK(w.et == NULL && w.one_line, "{}: no eventTime, one line");
	q = walk(yes[1], &w);
	CHECK(w.et != NULL && w.et_len == 20 &&
	    memcmp(w.et, "2026-11-01T10:00:00Z", 20) == 0 && w.one_line,
	    "the top-level eventTime's raw bytes");
	q = walk(yes[2], &w);
	CHECK(q != NULL && !w.one_line, "line breaks between tokens: said");
	for (i = 0; i + 1 < sizeof(no) / sizeof(no[0]); i++)
		CHECK(walk(no[i], &w) == NULL, "left to the slow path: %s",
		    no[i]);
	q = walk(no[i], &w);
	CHECK(q == no[i] + 7, "a record ends at its '}', whatever follows");

	/* ctFetch as the last key, its quote the text's last byte but the
	 * brace: the 8 bytes after the key's start are not all there */
	CHECK(walk("{\"ctFetch\":1}", &w) == NULL,
	    "ctFetch at the end of the text");
	CHECK(walk("{\"eventTime\":1,\"eventTime\":\"x\"}", &w) != NULL &&
	    w.et != NULL && w.et_len == 1 && *w.et == 'x',
	    "eventTime: the first string value, not the first key");

	/* nesting: deeper than the walk goes is left to the slow path */
	n = 2 * CT_RECWALK_DEPTH + 16;
	deep = xmalloc(n + 1);
	strcpy(deep, "{\"a\":");
	for (i = 0; i < CT_RECWALK_DEPTH; i++)
		strcat(deep, "[");
	for (i = 0; i < CT_RECWALK_DEPTH; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	CHECK(walk(deep, &w) == NULL && ct_scan_check_record(deep,
	    strlen(deep), &why), "nesting past CT_RECWALK_DEPTH: slow path");
	free(deep);

	/* a long string crosses many blocks of stop bits */
	big = xmalloc(5000);
	strcpy(big, "{\"a\":\"");
	memset(big + 6, 'x', 4000);
	strcpy(big + 4006, "\\\"\",\"b\":\"y\"}");
	CHECK(walk(big, &w) == big + strlen(big), "a string of 4,000 bytes");
	big[3000] = '\n';
	CHECK(walk(big, &w) == NULL, "... with a raw line break in it: no");
	free(big);

	return check_done();
}
