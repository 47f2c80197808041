/* test_xml.c - leaf text of STS/EC2 answers: what XML 1.0 forbids is refused. */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "xml.h"

/* ct_xml_get of <v> in doc[0..n): its return code, the text in *b. */
static int
get(const char *doc, size_t n, struct ct_buf *b)
{
	ct_buf_reset(b);
	return ct_xml_get(doc, n, "v", b);
}

int
main(void)
{
	static const char nul[] = "<r><v>AS\0IA</v></r>";
	struct ct_buf b;

	ct_buf_init(&b, 0);
	CHECK(get("<r><v>a&amp;b&#x41;&#9;</v></r>", 31, &b) == 1 &&
	    strcmp(b.data, "a&bA\t") == 0, "entities and references decode");
	CHECK(get("<r><v>a\tb\r\nc</v></r>", 20, &b) == 1 &&
	    strcmp(b.data, "a\tb\r\nc") == 0, "tab, CR and LF are text");
	CHECK(get(nul, sizeof nul - 1, &b) == -1,
	    "a raw NUL is not XML (it would cut a key short)");
	CHECK(get("<r><v>a\001b</v></r>", 17, &b) == -1,
	    "a raw C0 control is not XML");
	CHECK(get("<r><v>a&#1;b</v></r>", 20, &b) == -1 &&
	    get("<r><v>a&#x1b;b</v></r>", 22, &b) == -1,
	    "a reference to a C0 control is refused (ESC included)");
	CHECK(get("<r><v>&#0;</v></r>", 18, &b) == -1, "&#0; is refused");
	CHECK(get("<r><v>&#xFFFE;</v></r>", 22, &b) == -1,
	    "U+FFFE is not an XML character");
	CHECK(get("<r><v>&#x10000;</v></r>", 23, &b) == 1 &&
	    strcmp(b.data, "\xf0\x90\x80\x80") == 0, "astral reference");
	ct_buf_free(&b);

	/* an empty element into a new buffer: "" (not unterminated) */
	ct_buf_init(&b, 0);
	CHECK(ct_xml_get("<r><v></v></r>", 14, "v", &b) == 1 &&
	    b.data != NULL && strlen(b.data) == 0,
	    "an empty element reads as the empty string");
	ct_buf_free(&b);
	return check_done();
}
