/* test_json.c - the JSON reader: acceptance as Python's json.loads, tree
 * shape, limits, error positions. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

/* Acceptance table; each verdict is what /usr/bin/python3's
 * json.loads(bytes) says of the same input (checked when the table was
 * written; tests/summary/t_json_python re-checks against Python at test
 * time on generated inputs). */
static const struct {
	const char	*in;
	size_t		 n;	/* 0: strlen */
	int		 ok;
} table[] = {
	{ "1", 0, 1 }, { " 1 ", 0, 1 }, { "1 2", 0, 0 }, { "[1 2]", 0, 0 },
	{ "{\"a\" \"b\"}", 0, 0 }, { "[1,]", 0, 0 }, { "{\"a\":1,}", 0, 0 },
	{ "[NaN, Infinity, -Infinity]", 0, 1 }, { "NaN", 0, 1 },
	{ "-Infinity", 0, 1 }, { "[Nan]", 0, 0 }, { "[01]", 0, 0 },
	{ "[1.]", 0, 0 }, { "[.5]", 0, 0 }, { "[1e5, -0.0e-1]", 0, 1 },
	{ "", 0, 0 }, { "  ", 0, 0 }, { "[", 0, 0 }, { "]", 0, 0 },
	{ "{\"a\":1}}", 0, 0 }, { "\"abc\"", 0, 1 }, { "\"a\\x\"", 0, 0 },
	{ "[\"\\u12\"]", 0, 0 }, { "{1:2}", 0, 0 }, { "[tru]", 0, 0 },
	{ "{\"a\":}", 0, 0 }, { "{\"a\"}", 0, 0 }, { "[,1]", 0, 0 },
	{ "[\"a\":1]", 0, 0 }, { "[1]x", 0, 0 }, { "[\"a\tb\"]", 0, 0 },
	{ "{\"a\":1 \"b\":2}", 0, 0 }, { "[-]", 0, 0 }, { "[1e]", 0, 0 },
	{ "-", 0, 0 }, { "nul", 0, 0 }, { "truex", 0, 0 },
	{ "\"\\ud800\"", 0, 1 }, { "[1,[2,]]", 0, 0 }, { "[-Inf]", 0, 0 },
	{ "[1E+2]", 0, 1 }, { "[1e-]", 0, 0 }, { "[-01]", 0, 0 },
	{ "[-0]", 0, 1 }, { "{\"a\":1,\"a\":2}", 0, 1 },
	{ "[true,false,null]", 0, 1 }, { "\xef\xbb\xbf[1]", 0, 1 },
	{ "[1]\n\n", 0, 1 }, { "[\n1\n,\n2]", 0, 1 }, { "{\"\":\"\"}", 0, 1 },
	{ "[\"\\/\"]", 0, 1 }, { "[1.5e3]", 0, 1 }, { "[+1]", 0, 0 },
	{ "[0x10]", 0, 0 }, { "[1.0.0]", 0, 0 }, { "['a']", 0, 0 },
	{ "{\"a\":1;\"b\":2}", 0, 0 }, { "[1]\0", 4, 0 }, { "\"\x7f\"", 0, 1 },
	{ "[\f1]", 0, 0 }, { "[\"a\0b\"]", 7, 0 }, { "[1,\0 2]", 7, 0 },
	{ "{\"x\":NaN, \"N\":\"Infinity\"}", 0, 1 }, { "[Infinityx]", 0, 0 },
	{ "[\"a\\\"b\", Infinity]", 0, 1 }, { "{\"a\":[1,{\"b\":2}],\"c\":\"d\"}", 0, 1 },
	{ "{\"a\":{}}", 0, 1 }, { "{\"a\":[]}", 0, 1 }, { "[{}]", 0, 1 },
	{ "[}", 0, 0 }, { "{]", 0, 0 }, { "{\"a\":1]", 0, 0 }, { "[1}", 0, 0 },
	{ "\"unterminated", 0, 0 }, { "{\"a\":1", 0, 0 }, { "[1,2", 0, 0 },
	{ "1.5", 0, 1 }, { "01", 0, 0 }, { "true", 0, 1 }, { "null ", 0, 1 },
};

static struct ct_jdoc *
parse(const char *s, size_t n, struct ct_buf *err)
{
	return ct_json_parse(s, n, err);
}

int
main(void)
{
	struct ct_buf err;
	struct ct_jdoc *d;
	const struct ct_jnode *r, *c;
	size_t i, n, wrong = 0;
	int64_t v;
	char *big;

	ct_buf_init(&err, 0);
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		n = table[i].n ? table[i].n : strlen(table[i].in);
		d = parse(table[i].in, n, &err);
		if ((d != NULL) != table[i].ok) {
			wrong++;
			printf("# wrong verdict on %.*s (%s)\n", (int)n,
			    table[i].in, d ? "accepted" : err.data);
		}
		ct_json_free(d);
	}
	CHECK(wrong == 0, "accepts exactly what Python accepts (%zu cases, "
	    "%zu wrong)", i, wrong);

	big = "{\"a\": [1, -2, \"x\\u00e9\"], \"b\": {\"c\": null},"
	    " \"a\": true, \"n\": 12.5e1}";
	d = parse(big, strlen(big), &err);
	CHECK(d != NULL, "document parses");
	r = ct_json_root(d);
	CHECK(r->type == CT_JOBJECT && r->nchild == 4, "object of 4 members");
	c = ct_json_get(r, "a");
	CHECK(c != NULL && c->type == CT_JTRUE, "repeated key: last one wins");
	c = r->child;
	CHECK(c->type == CT_JARRAY && c->nchild == 3 && c->keylen == 1 &&
	    strcmp(c->key, "a") == 0, "first member: array named a");
	CHECK(ct_json_int(c->child, &v) == 0 && v == 1, "1 as integer");
	CHECK(ct_json_int(c->child->next, &v) == 0 && v == -2, "-2 as integer");
	CHECK_STR(c->child->next->next->str, "x\xc3\xa9", "string decoded");
	CHECK(c->child->next->next->next == NULL, "last element ends the list");
	CHECK(ct_json_get(ct_json_get(r, "b"), "c")->type == CT_JNULL,
	    "nested object member");
	CHECK(ct_json_get_str(r, "b") == NULL, "get_str of a non-string is NULL");
	CHECK(ct_json_get(r, "zz") == NULL, "absent member is NULL");
	c = ct_json_get(r, "n");
	CHECK(c->type == CT_JNUMBER && strcmp(c->str, "12.5e1") == 0 &&
	    ct_json_int(c, &v) == -1, "non-integer number keeps its text, "
	    "is not an int");
	ct_json_free(d);

	d = parse("[9223372036854775807, -9223372036854775808, "
	    "9223372036854775808, 1e3]", 69, &err);
	CHECK(d != NULL, "integers document");
	c = ct_json_root(d)->child;
	CHECK(ct_json_int(c, &v) == 0 && v == INT64_MAX, "INT64_MAX");
	CHECK(ct_json_int(c->next, &v) == 0 && v == INT64_MIN, "INT64_MIN");
	CHECK(ct_json_int(c->next->next, &v) == -1, "2^63 out of range");
	CHECK(ct_json_int(c->next->next->next, &v) == -1, "1e3 is not an int");
	ct_json_free(d);

	d = parse("{\"a\":\n  [1,\n   2 3]}", 20, &err);
	CHECK(d == NULL && strcmp(err.data,
	    "line 3, column 6: expected ',' or a closing bracket") == 0,
	    "error names line and column (%s)", err.data);
	d = parse("[\"ok\", \"bad \\q\"]", 16, &err);
	CHECK(d == NULL && strstr(err.data, "column 13") != NULL &&
	    strstr(err.data, "escape") != NULL, "bad escape located (%s)",
	    err.data);

	/* Invalid UTF-8 inside strings is repaired, not refused. */
	d = parse("[\"a\xff\"]", 6, &err);
	CHECK(d != NULL && strcmp(ct_json_root(d)->child->str,
	    "a\xef\xbf\xbd") == 0, "invalid UTF-8 repaired to U+FFFD");
	ct_json_free(d);

	/* Depth: 512 levels fine, 513 refused, 1 MB of '[' no crash. */
	big = malloc(2 << 20);
	memset(big, '[', 512);
	memset(big + 512, ']', 512);
	d = parse(big, 1024, &err);
	CHECK(d != NULL, "512 levels of nesting accepted");
	ct_json_free(d);
	memset(big, '[', 513);
	memset(big + 513, ']', 513);
	d = parse(big, 1026, &err);
	CHECK(d == NULL && strstr(err.data, "deep") != NULL,
	    "513 levels refused (%s)", err.data);
	memset(big, '[', 1 << 20);
	memset(big + (1 << 20), ']', 1 << 20);
	d = parse(big, 2 << 20, &err);
	CHECK(d == NULL, "a million levels refused, no crash");
	/* Many values. */
	big[0] = '[';
	for (i = 1; i < (1 << 20) - 2; i++)
		big[i] = i % 2 ? '0' : ',';
	big[(1 << 20) - 2] = ']';
	d = parse(big, (1 << 20) - 1, &err);
	CHECK(d != NULL && ct_json_root(d)->nchild == (1 << 19) - 1,
	    "half a million values");
	ct_json_free(d);
	free(big);
	CHECK(parse("[1]", CT_JSON_MAX_SIZE + 1, &err) == NULL &&
	    strstr(err.data, "larger") != NULL, "size limit");

	ct_buf_free(&err);
	return check_done();
}
