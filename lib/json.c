/*
 * json.c - see json.h
 *
 * Two stages.  jsmn (strict mode, parent links) is the lexer: it finds where
 * every string, number, literal and opening bracket is.  jsmn is not a
 * validator (it accepts "[1 2]", "{"a" "b"}", trailing commas, raw control
 * characters, stops quietly at a NUL byte, and rejects NaN/Infinity and a
 * bare number at the end of the text), so the second stage walks the tokens
 * in document order with an explicit stack and reads the bytes *between*
 * tokens itself: whitespace, ',', ':', '}' and ']' must come exactly where
 * the JSON grammar puts them.  Numbers and literals are checked against
 * Python's grammar (NaN, Infinity, -Infinity included), strings are decoded
 * by ct_jstr_decode (bad escapes and raw control characters rejected,
 * invalid UTF-8 repaired).  The tree is built in the same walk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "arena.h"
#include "json.h"
#include "jstr.h"
#include "xalloc.h"

/* Most values in one document: bounds the token and node arrays (about
 * 100 bytes per value, so under 1 GB at the limit). */
#define MAX_VALUES	((size_t)8 << 20)

struct ct_jdoc {
	struct ct_jnode	*nodes;
	size_t		 nnodes;
	struct ct_arena	 arena;
};

static char *
arena_dup(struct ct_jdoc *d, const char *s, size_t n)
{
	return ct_arena_dup(&d->arena, s, n);
}

void
ct_json_free(struct ct_jdoc *d)
{
	if (d == NULL)
		return;
	ct_arena_free(&d->arena);
	free(d->nodes);
	free(d);
}

const struct ct_jnode *
ct_json_root(const struct ct_jdoc *d)
{
	return d->nnodes ? &d->nodes[0] : NULL;
}

/* ---- errors ------------------------------------------------------------- */

static void
fail(struct ct_buf *err, const char *text, size_t n, size_t at,
    const char *what)
{
	size_t i, line = 1, col = 1;

	if (at > n)
		at = n;
	for (i = 0; i < at; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	if (err == NULL)
		return;
	ct_buf_reset(err);
	ct_buf_printf(err, "line %zu, column %zu: %s", line, col, what);
}

/* ---- scalars ------------------------------------------------------------ */

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of the number at p[0..n) in Python's json grammar
 * (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?), or 0 if none.
 */
static size_t
number_len(const char *p, size_t n)
{
	size_t i = 0, d;

	if (i < n && p[i] == '-')
		i++;
	if (i >= n || !isdig((unsigned char)p[i]))
		return 0;
	if (p[i] == '0')
		i++;
	else
		while (i < n && isdig((unsigned char)p[i]))
			i++;
	if (i + 1 < n && p[i] == '.' && isdig((unsigned char)p[i + 1])) {
		i += 2;
		while (i < n && isdig((unsigned char)p[i]))
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		d = i + 1;
		if (d < n && (p[d] == '+' || p[d] == '-'))
			d++;
		if (d < n && isdig((unsigned char)p[d])) {
			while (d < n && isdig((unsigned char)p[d]))
				d++;
			i = d;
		}
	}
	return i;
}

/* The type of the scalar p[0..n) (exactly), or -1. */
static int
scalar_type(const char *p, size_t n)
{
	if (n == 4 && memcmp(p, "null", 4) == 0)
		return CT_JNULL;
	if (n == 4 && memcmp(p, "true", 4) == 0)
		return CT_JTRUE;
	if (n == 5 && memcmp(p, "false", 5) == 0)
		return CT_JFALSE;
	if ((n == 3 && memcmp(p, "NaN", 3) == 0) ||
	    (n == 8 && memcmp(p, "Infinity", 8) == 0) ||
	    (n == 9 && memcmp(p, "-Infinity", 9) == 0))
		return CT_JNUMBER;
	if (n > 0 && number_len(p, n) == n)
		return CT_JNUMBER;
	return -1;
}

/* ---- the walk ----------------------------------------------------------- */

enum expect {
	EX_VALUE,		/* a value (top level, after ':' or '[') */
	EX_VALUE_OR_CLOSE,	/* just after '[' */
	EX_KEY_OR_CLOSE,	/* just after '{' */
	EX_KEY,			/* after ',' in an object */
	EX_COLON,		/* after a key */
	EX_COMMA_OR_CLOSE,	/* after a value inside a container */
	EX_END			/* the top-level value is complete */
};

struct frame {
	struct ct_jnode	*node;
	struct ct_jnode	*last;	/* last child so far */
};

struct walk {
	const char	*text;
	size_t		 n;
	struct ct_buf	*err;
	struct ct_jdoc	*doc;
	struct frame	*stack;
	size_t		 depth;
	enum expect	 ex;
	const char	*key;	/* pending member name */
	size_t		 keylen;
	struct ct_buf	 scratch;
	int		 failed;
};

static void
wfail(struct walk *w, size_t at, const char *what)
{
	if (!w->failed)
		fail(w->err, w->text, w->n, at, what);
	w->failed = 1;
}

static const char *
expect_msg(enum expect ex)
{
	switch (ex) {
	case EX_VALUE:
		return "expected a value";
	case EX_VALUE_OR_CLOSE:
		return "expected a value or ']'";
	case EX_KEY_OR_CLOSE:
		return "expected a property name in double quotes or '}'";
	case EX_KEY:
		return "expected a property name in double quotes";
	case EX_COLON:
		return "expected ':'";
	case EX_COMMA_OR_CLOSE:
		return "expected ',' or a closing bracket";
	case EX_END:
		return "extra data after the JSON value";
	}
	return "invalid JSON";
}

/* After a value is complete: what comes next. */
static void
value_done(struct walk *w)
{
	w->ex = w->depth ? EX_COMMA_OR_CLOSE : EX_END;
}

/* Read the punctuation and whitespace in text[from..to).  0 or -1. */
static int
gap(struct walk *w, size_t from, size_t to)
{
	const char *t = w->text;
	struct frame *f;
	size_t i;
	int c;

	for (i = from; i < to; i++) {
		c = (unsigned char)t[i];
		if (isws(c))
			continue;
		f = w->depth ? &w->stack[w->depth - 1] : NULL;
		switch (c) {
		case ',':
			if (w->ex != EX_COMMA_OR_CLOSE)
				goto bad;
			w->ex = f->node->type == CT_JOBJECT ? EX_KEY : EX_VALUE;
			break;
		case ':':
			if (w->ex != EX_COLON)
				goto bad;
			w->ex = EX_VALUE;
			break;
		case '}':
		case ']':
			if (f == NULL || (w->ex != EX_COMMA_OR_CLOSE &&
			    w->ex != (c == '}' ? EX_KEY_OR_CLOSE :
			    EX_VALUE_OR_CLOSE)))
				goto bad;
			if (f->node->type != (c == '}' ? CT_JOBJECT : CT_JARRAY)) {
				wfail(w, i, "mismatched closing bracket");
				return -1;
			}
			w->depth--;
			value_done(w);
			break;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	wfail(w, i, c == '\0' ? "NUL byte" : expect_msg(w->ex));
	return -1;
}

/* A new node for a value at text offset at (checked against w->ex). */
static struct ct_jnode *
new_value(struct walk *w, size_t at, enum ct_jtype type)
{
	struct ct_jnode *nd;
	struct frame *f;

	if (w->ex != EX_VALUE && w->ex != EX_VALUE_OR_CLOSE) {
		wfail(w, at, expect_msg(w->ex));
		return NULL;
	}
	nd = &w->doc->nodes[w->doc->nnodes++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	if (w->depth) {
		f = &w->stack[w->depth - 1];
		if (f->node->type == CT_JOBJECT) {
			nd->key = w->key;
			nd->keylen = w->keylen;
		}
		if (f->last != NULL)
			f->last->next = nd;
		else
			f->node->child = nd;
		f->last = nd;
		f->node->nchild++;
	}
	return nd;
}

/* Offset in the string body p[0..n) of what ct_jstr_decode refused. */
static size_t
bad_byte(const char *p, size_t n, int rc)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (rc == CT_JSTR_CONTROL && (unsigned char)p[i] < 0x20)
			return i;
		if (p[i] != '\\')
			continue;
		if (i + 1 >= n || strchr("\"\\/bfnrtu", p[i + 1]) == NULL ||
		    p[i + 1] == '\0')
			return i;
		if (p[i + 1] == 'u') {
			for (k = 2; k < 6; k++)
				if (i + k >= n || !strchr("0123456789abcdefABCDEF",
				    p[i + k]) || p[i + k] == '\0')
					return i;
		}
		i++;
	}
	return 0;
}

/* Decode the string body text[s..e) into the arena.  NULL on error. */
static const char *
decode(struct walk *w, size_t s, size_t e, size_t *len)
{
	const char *p = w->text + s;
	size_t n = e - s, i;
	int rc;

	/* Fast path: plain printable ASCII needs no decoding. */
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] >= 0x80 ||
		    p[i] == '\\')
			break;
	if (i == n) {
		*len = n;
		return arena_dup(w->doc, p, n);
	}
	ct_buf_reset(&w->scratch);
	rc = ct_jstr_decode(p, n, &w->scratch, NULL);
	if (rc != CT_JSTR_OK) {
		wfail(w, s + bad_byte(p, n, rc), rc == CT_JSTR_CONTROL ?
		    "invalid control character in string" :
		    rc == CT_JSTR_BAD_ESCAPE ? "invalid \\escape" :
		    "string too long");
		return NULL;
	}
	*len = w->scratch.len;
	return arena_dup(w->doc, w->scratch.data ? w->scratch.data : "",
	    w->scratch.len);
}

/*
 * Run jsmn.  Its strict mode knows no NaN/Infinity: when it stops at one,
 * make a copy (*copy) where every 'N' and 'I' that starts a bare word
 * outside strings is '0', a primitive of the same length, and start over;
 * the walk checks the original bytes.  Returns jsmn's result; *errpos is
 * where it stopped.
 */
static int
lex(const char *text, size_t n, size_t base, char **copy, jsmntok_t *tok,
    unsigned ntok, size_t *errpos)
{
	jsmn_parser p;
	const char *t = *copy ? *copy : text;
	size_t i;
	int r, instr, esc;

	jsmn_init(&p);
	r = jsmn_parse(&p, t + base, n - base, tok, ntok);
	if (r == JSMN_ERROR_INVAL && *copy == NULL && base + p.pos < n &&
	    (t[base + p.pos] == 'N' || t[base + p.pos] == 'I')) {
		*copy = xmalloc(n + 1);
		memcpy(*copy, text, n);
		(*copy)[n] = '\0';
		instr = esc = 0;
		for (i = 0; i < n; i++) {
			char c = (*copy)[i];

			if (instr) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"')
					instr = 0;
			} else if (c == '"')
				instr = 1;
			else if ((c == 'N' || c == 'I') && (i == 0 ||
			    strchr(" \t\r\n,:[{", (*copy)[i - 1]) != NULL))
				(*copy)[i] = '0';
		}
		t = *copy;
		jsmn_init(&p);
		r = jsmn_parse(&p, t + base, n - base, tok, ntok);
	}
	*errpos = base + p.pos;
	for (i = 0; r > 0 && tok != NULL && i < (size_t)r; i++) {
		tok[i].start += (int)base;
		tok[i].end += (int)base;
	}
	return r;
}

/* Offset of the first bracket deeper than CT_JSON_MAX_DEPTH, or 0. */
static size_t
too_deep(const char *t, size_t n, size_t i)
{
	size_t depth = 0;
	int instr = 0;

	for (; i < n; i++) {
		if (instr) {
			if (t[i] == '\\')
				i++;
			else if (t[i] == '"')
				instr = 0;
			continue;
		}
		switch (t[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > CT_JSON_MAX_DEPTH)
				return i;
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		}
	}
	return 0;
}

static const char *
jsmn_msg(const char *text, size_t n, int r, size_t at)
{
	if (r == JSMN_ERROR_PART)
		return at < n && text[at] == '"' ? "unterminated string" :
		    "unexpected end of data";
	if (at < n && text[at] == '"')
		return "invalid string";
	if (at < n && (text[at] == '}' || text[at] == ']'))
		return "mismatched closing bracket";
	return "unexpected character";
}

struct ct_jdoc *
ct_json_parse(const char *text, size_t n, struct ct_buf *err)
{
	struct walk w;
	struct ct_jdoc *d;
	jsmntok_t *tok = NULL;
	char *copy = NULL;
	struct ct_jnode *nd;
	size_t i, pos, start, ntok, s, e;
	int r, type;

	if (n > CT_JSON_MAX_SIZE) {
		if (err != NULL) {
			ct_buf_reset(err);
			ct_buf_printf(err, "document larger than %zu bytes",
			    CT_JSON_MAX_SIZE);
		}
		return NULL;
	}
	pos = 0;
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < n && isws((unsigned char)text[pos]))
		pos++;
	if (pos == n) {
		fail(err, text, n, pos, "expected a value");
		return NULL;
	}

	d = xcalloc(1, sizeof *d);
	memset(&w, 0, sizeof w);
	w.text = text;
	w.n = n;
	w.err = err;
	w.doc = d;
	w.ex = EX_VALUE;
	ct_buf_init(&w.scratch, 0);

	if (text[pos] != '{' && text[pos] != '[' && text[pos] != '"') {
		/* A bare scalar: jsmn's strict mode wants a delimiter after
		 * it, so read it here. */
		for (e = pos; e < n && !isws((unsigned char)text[e]); e++)
			;
		d->nodes = xcalloc(1, sizeof *d->nodes);
		if ((type = scalar_type(text + pos, e - pos)) < 0) {
			size_t k = number_len(text + pos, e - pos);

			if (k == 0) {
				wfail(&w, pos, "expected a value");
				goto out;
			}
			wfail(&w, pos + k, "extra data after the JSON value");
			goto out;
		}
		nd = new_value(&w, pos, (enum ct_jtype)type);
		nd->str = arena_dup(d, text + pos, e - pos);
		nd->len = e - pos;
		w.ex = EX_END;
		gap(&w, e, n);
		goto out;
	}

	/* jsmn matches a closing bracket by walking up from the last token,
	 * which is quadratic in the depth: refuse deep documents first. */
	if ((s = too_deep(text, n, pos)) != 0) {
		wfail(&w, s, "nesting too deep");
		goto out;
	}

	/* Count, then tokenize. */
	r = lex(text, n, pos, &copy, NULL, 0, &s);
	if (r >= 0 && (size_t)r > MAX_VALUES) {
		if (err != NULL) {
			ct_buf_reset(err);
			ct_buf_printf(err, "more than %zu values in one document",
			    MAX_VALUES);
		}
		w.failed = 1;
		goto out;
	}
	if (r >= 0) {
		ntok = (size_t)r;
		tok = xcalloc(ntok ? ntok : 1, sizeof *tok);
		r = lex(text, n, pos, &copy, tok, (unsigned)ntok, &s);
	}
	if (r < 0) {
		const char *msg = jsmn_msg(text, n, r, s);

		if (r == JSMN_ERROR_INVAL && s < n && text[s] == '"') {
			/* A bad escape: find it. */
			size_t k;

			for (k = s + 1; k < n && text[k] != '"'; k++)
				if (text[k] == '\\')
					k++;
			s += 1 + bad_byte(text + s + 1, k - s - 1,
			    CT_JSTR_BAD_ESCAPE);
			msg = "invalid \\escape";
		}
		wfail(&w, s, msg);
		goto out;
	}

	d->nodes = xcalloc(ntok ? ntok : 1, sizeof *d->nodes);
	w.stack = xmalloc((CT_JSON_MAX_DEPTH + 1) * sizeof *w.stack);
	for (i = 0; i < ntok; i++) {
		jsmntok_t *t = &tok[i];

		start = (size_t)t->start - (t->type == JSMN_STRING ? 1 : 0);
		if (gap(&w, pos, start) < 0)
			goto out;
		switch (t->type) {
		case JSMN_OBJECT:
		case JSMN_ARRAY:
			if (w.depth >= CT_JSON_MAX_DEPTH) {
				wfail(&w, start, "nesting too deep");
				goto out;
			}
			nd = new_value(&w, start, t->type == JSMN_OBJECT ?
			    CT_JOBJECT : CT_JARRAY);
			if (nd == NULL)
				goto out;
			w.stack[w.depth].node = nd;
			w.stack[w.depth].last = NULL;
			w.depth++;
			w.ex = t->type == JSMN_OBJECT ? EX_KEY_OR_CLOSE :
			    EX_VALUE_OR_CLOSE;
			pos = start + 1;
			break;
		case JSMN_STRING: {
			const char *str;
			size_t len;

			s = (size_t)t->start;
			e = (size_t)t->end;
			if (w.ex == EX_KEY || w.ex == EX_KEY_OR_CLOSE) {
				if ((str = decode(&w, s, e, &len)) == NULL)
					goto out;
				w.key = str;
				w.keylen = len;
				w.ex = EX_COLON;
			} else {
				if ((nd = new_value(&w, start, CT_JSTRING)) ==
				    NULL)
					goto out;
				if ((str = decode(&w, s, e, &len)) == NULL)
					goto out;
				nd->str = str;
				nd->len = len;
				value_done(&w);
			}
			pos = e + 1;
			break;
		}
		case JSMN_PRIMITIVE:
			s = (size_t)t->start;
			e = (size_t)t->end;
			if ((type = scalar_type(text + s, e - s)) < 0) {
				size_t k = number_len(text + s, e - s);

				wfail(&w, k ? s + k : s, k ?
				    expect_msg(EX_COMMA_OR_CLOSE) :
				    "expected a value");
				goto out;
			}
			if ((nd = new_value(&w, s, (enum ct_jtype)type)) ==
			    NULL)
				goto out;
			if (type == CT_JNUMBER) {
				nd->str = arena_dup(d, text + s, e - s);
				nd->len = e - s;
			}
			value_done(&w);
			pos = e;
			break;
		default:
			wfail(&w, start, "invalid JSON");
			goto out;
		}
	}
	if (gap(&w, pos, n) < 0)
		goto out;
	if (w.ex != EX_END)
		wfail(&w, n, "unexpected end of data");
out:
	free(tok);
	free(copy);
	free(w.stack);
	ct_buf_free(&w.scratch);
	if (w.failed) {
		ct_json_free(d);
		return NULL;
	}
	return d;
}

/* ---- access ------------------------------------------------------------- */

const struct ct_jnode *
ct_json_get(const struct ct_jnode *obj, const char *key)
{
	const struct ct_jnode *c, *found = NULL;
	size_t n;

	if (obj == NULL || obj->type != CT_JOBJECT)
		return NULL;
	n = strlen(key);
	for (c = obj->child; c != NULL; c = c->next)
		if (c->keylen == n && memcmp(c->key, key, n) == 0)
			found = c;
	return found;
}

const char *
ct_json_get_str(const struct ct_jnode *obj, const char *key)
{
	const struct ct_jnode *c = ct_json_get(obj, key);

	return c != NULL && c->type == CT_JSTRING ? c->str : NULL;
}

int
ct_json_int(const struct ct_jnode *nd, int64_t *out)
{
	const char *p;
	size_t i = 0, n;
	uint64_t v = 0, lim;
	int neg = 0;

	if (nd == NULL || nd->type != CT_JNUMBER || nd->str == NULL)
		return -1;
	p = nd->str;
	n = nd->len;
	if (i < n && p[i] == '-') {
		neg = 1;
		i++;
	}
	if (i == n)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (!isdig((unsigned char)p[i]))
			return -1;
		if (v > (lim - (uint64_t)(p[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}
