/* jstr.c - see jstr.h */
#include <stdint.h>
#include <string.h>

#include "hex.h"
#include "jstr.h"

static const char hexdig[] = "0123456789abcdef";

static int
read_u4(const unsigned char *p, size_t left, unsigned *cp)
{
	unsigned v = 0;
	int i, h;

	if (left < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((h = ct_hex_val(p[i])) < 0)
			return -1;
		v = v << 4 | (unsigned)h;
	}
	*cp = v;
	return 0;
}

/* Append code point cp (may be a lone surrogate: WTF-8) as UTF-8. */
static int
put_cp(struct ct_buf *out, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return ct_buf_add(out, u, n);
}

/*
 * Length of the valid UTF-8 sequence at p (1..4), or the negative length of
 * the maximal subpart to replace by one U+FFFD (at least 1).
 */
static int
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	unsigned lo = 0x80, hi = 0xbf;
	int need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return -1;
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= n || p[i] < lo || p[i] > hi)
			return -i;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

size_t
ct_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i);
		if (k < 0)
			return i;
		i += (size_t)k;
	}
	return n;
}

size_t
ct_utf8_charlen(const char *p, size_t left)
{
	int k = utf8_seq((const unsigned char *)p, left);

	return k > 0 ? (size_t)k : 1;
}

int
ct_jstr_decode(const char *s, size_t n, struct ct_buf *out, size_t *repaired)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start, fixes = 0;
	unsigned cp, lo;
	int k, rc = CT_JSTR_OK;

	while (i < n) {
		/* Copy the longest run of plain, valid bytes in one go. */
		start = i;
		while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '\\')
			i++;
		if (i > start && ct_buf_add(out, p + start, i - start))
			goto cap;
		if (i == n)
			break;
		if (p[i] < 0x20) {
			rc = CT_JSTR_CONTROL;
			goto out;
		}
		if (p[i] >= 0x80) {
			k = utf8_seq(p + i, n - i);
			if (k > 0) {
				if (ct_buf_add(out, p + i, (size_t)k))
					goto cap;
				i += (size_t)k;
			} else {
				if (ct_buf_add(out, "\xef\xbf\xbd", 3))
					goto cap;
				fixes++;
				i += (size_t)-k;
			}
			continue;
		}
		/* backslash escape */
		if (i + 1 >= n) {
			rc = CT_JSTR_BAD_ESCAPE;
			goto out;
		}
		i++;
		switch (p[i]) {
		case '"': case '\\': case '/':
			cp = p[i];
			break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (read_u4(p + i + 1, n - i - 1, &cp)) {
				rc = CT_JSTR_BAD_ESCAPE;
				goto out;
			}
			i += 4;
			/* A high surrogate followed by \u low surrogate is a pair. */
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 < n + 0 &&
			    p[i + 1] == '\\' && p[i + 2] == 'u' &&
			    read_u4(p + i + 3, n - i - 3, &lo) == 0 &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			break;
		default:
			rc = CT_JSTR_BAD_ESCAPE;
			goto out;
		}
		i++;
		if (put_cp(out, cp))
			goto cap;
	}
out:
	if (repaired != NULL)
		*repaired = fixes;
	return rc;
cap:
	rc = CT_JSTR_CAP;
	goto out;
}

static int
put_u(struct ct_buf *out, unsigned v)
{
	char e[6] = { '\\', 'u', hexdig[v >> 12 & 15], hexdig[v >> 8 & 15],
	    hexdig[v >> 4 & 15], hexdig[v & 15] };

	return ct_buf_add(out, e, 6);
}

int
ct_jstr_encode(struct ct_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start;
	unsigned cp;
	int k;

	if (ct_buf_reserve(out, n + 2))
		return CT_JSTR_CAP;
	ct_buf_addc(out, '"');
	while (i < n) {
		start = i;
		while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
		    p[i] != '\\')
			i++;
		if (i > start && ct_buf_add(out, p + start, i - start))
			return CT_JSTR_CAP;
		if (i == n)
			break;
		if (p[i] < 0x80) {
			const char *esc = NULL;

			switch (p[i]) {
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			case '\b': esc = "\\b"; break;
			case '\f': esc = "\\f"; break;
			}
			if (esc != NULL ? ct_buf_adds(out, esc) : put_u(out, p[i]))
				return CT_JSTR_CAP;
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i);
		if (k < 0 && p[i] == 0xed && n - i >= 3 && p[i + 1] >= 0xa0 &&
		    p[i + 1] <= 0xbf && (p[i + 2] & 0xc0) == 0x80)
			k = 3;	/* WTF-8 lone surrogate */
		if (k < 0) {
			if (put_u(out, 0xfffd))
				return CT_JSTR_CAP;
			i += (size_t)-k;
			continue;
		}
		switch (k) {
		case 2:
			cp = (p[i] & 0x1fu) << 6 | (p[i + 1] & 0x3fu);
			break;
		case 3:
			cp = (p[i] & 0x0fu) << 12 | (p[i + 1] & 0x3fu) << 6 |
			    (p[i + 2] & 0x3fu);
			break;
		default:
			cp = (p[i] & 0x07u) << 18 | (p[i + 1] & 0x3fu) << 12 |
			    (p[i + 2] & 0x3fu) << 6 | (p[i + 3] & 0x3fu);
			break;
		}
		i += (size_t)k;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			if (put_u(out, 0xd800 + (cp >> 10)) ||
			    put_u(out, 0xdc00 + (cp & 0x3ff)))
				return CT_JSTR_CAP;
		} else if (put_u(out, cp))
			return CT_JSTR_CAP;
	}
	return ct_buf_addc(out, '"') ? CT_JSTR_CAP : CT_JSTR_OK;
}

int
ct_jstr_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}
