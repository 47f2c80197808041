/* xml.c - see xml.h */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

/* Does p[i..n) start "<tag" or "<x:tag" followed by '>', '/' or space?
 * Returns the index just after the name, or 0. */
static size_t
match_open(const char *p, size_t n, size_t i, const char *tag, size_t tl,
    int close)
{
	size_t j = i + 1, k;

	if (close) {
		if (j >= n || p[j] != '/')
			return 0;
		j++;
	}
	/* Optional namespace prefix. */
	for (k = j; k < n && p[k] != ':' && p[k] != '>' && p[k] != '/' &&
	    p[k] != ' ' && p[k] != '\t' && p[k] != '\n' && p[k] != '\r'; k++)
		;
	if (k < n && p[k] == ':')
		j = k + 1;
	if (n - j < tl || memcmp(p + j, tag, tl) != 0)
		return 0;
	j += tl;
	if (j >= n)
		return 0;
	if (p[j] == '>' || p[j] == '/' || p[j] == ' ' || p[j] == '\t' ||
	    p[j] == '\n' || p[j] == '\r')
		return j;
	return 0;
}

int
ct_xml_next(const char *p, size_t n, size_t *pos, const char *tag,
    const char **inner, size_t *innerlen)
{
	size_t tl = strlen(tag), i, j, start;

	for (i = *pos; i < n; i++) {
		const char *lt = memchr(p + i, '<', n - i);

		if (lt == NULL)
			break;
		i = (size_t)(lt - p);
		if ((j = match_open(p, n, i, tag, tl, 0)) == 0)
			continue;
		/* End of the start tag. */
		while (j < n && p[j] != '>')
			j++;
		if (j >= n)
			return -1;
		if (p[j - 1] == '/') {
			*inner = p + j + 1;
			*innerlen = 0;
			*pos = j + 1;
			return 1;
		}
		start = j + 1;
		for (i = start; i < n; i++) {
			const char *cl = memchr(p + i, '<', n - i);

			if (cl == NULL)
				break;
			i = (size_t)(cl - p);
			if ((j = match_open(p, n, i, tag, tl, 1)) == 0)
				continue;
			while (j < n && p[j] != '>')
				j++;
			if (j >= n)
				return -1;
			*inner = p + start;
			*innerlen = i - start;
			*pos = j + 1;
			return 1;
		}
		return -1;
	}
	return 0;
}

static int
put_utf8(struct ct_buf *b, unsigned long cp)
{
	char u[4];

	/* the characters XML 1.0 allows, as references too */
	if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return -1;
	if (cp < 0x80)
		return ct_buf_addc(b, (char)cp);
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return ct_buf_add(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return ct_buf_add(b, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return ct_buf_add(b, u, 4);
}

int
ct_xml_text(const char *s, size_t n, struct ct_buf *out)
{
	static const struct { const char *name; char c; } ent[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		{ "apos", '\'' },
	};
	size_t i, j, k;
	char num[16], *end;
	unsigned long cp;

	/* Empty result is still a string. */
	if (ct_buf_reserve(out, 0) != 0)
		return -1;
	if (out->data == NULL && ct_buf_add(out, "", 0) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			/* a run of plain text, appended at once (a listing's
			 * thousands of keys pass through here) */
			for (j = i; j < n && s[j] != '&'; j++)
				/* XML 1.0 has no NUL and no C0 control but
				 * tab, LF and CR: a document with one is not
				 * XML (and a NUL would cut the value short as
				 * a C string) */
				if ((unsigned char)s[j] < 0x20 &&
				    s[j] != '\t' && s[j] != '\n' &&
				    s[j] != '\r')
					return -1;
			if (ct_buf_add(out, s + i, j - i) != 0)
				return -1;
			i = j - 1;
			continue;
		}
		for (j = i + 1; j < n && j - i < 12 && s[j] != ';'; j++)
			;
		if (j >= n || s[j] != ';')
			return -1;
		if (s[i + 1] == '#') {
			k = j - i - 2;
			if (k == 0 || k >= sizeof(num))
				return -1;
			memcpy(num, s + i + 2, k);
			num[k] = '\0';
			if (num[0] == 'x' || num[0] == 'X')
				cp = strtoul(num + 1, &end, 16);
			else
				cp = strtoul(num, &end, 10);
			if (*end != '\0' || put_utf8(out, cp) != 0)
				return -1;
		} else {
			for (k = 0; k < sizeof(ent) / sizeof(ent[0]); k++)
				if (strlen(ent[k].name) == j - i - 1 &&
				    memcmp(ent[k].name, s + i + 1, j - i - 1) == 0)
					break;
			if (k == sizeof(ent) / sizeof(ent[0]))
				return -1;
			if (ct_buf_addc(out, ent[k].c) != 0)
				return -1;
		}
		i = j;
	}
	return 0;
}

int
ct_xml_get(const char *p, size_t n, const char *tag, struct ct_buf *out)
{
	size_t pos = 0, len;
	const char *in;
	int rc;

	rc = ct_xml_next(p, n, &pos, tag, &in, &len);
	if (rc != 1)
		return rc;
	return ct_xml_text(in, len, out) == 0 ? 1 : -1;
}
