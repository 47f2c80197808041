/*
 * s3list.c - reading an S3 ListObjectsV2 answer (see s3list.h).
 *
 * lib/xml.h finds elements by local name; the Key and Size of each
 * <Contents> and the Prefix of each <CommonPrefixes> are read inside that
 * element only, so the request's own <Prefix> echo at the top is never
 * taken for a folder.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "s3list.h"
#include "xalloc.h"
#include "xml.h"

void
ct_s3list_init(struct ct_s3list *l)
{
	memset(l, 0, sizeof(*l));
}

void
ct_s3list_free(struct ct_s3list *l)
{
	size_t i;

	for (i = 0; i < l->nobjs; i++)
		free(l->objs[i].key);
	for (i = 0; i < l->nprefixes; i++)
		free(l->prefixes[i]);
	free(l->objs);
	free(l->prefixes);
	free(l->next_token);
	ct_s3list_init(l);
}

/* The decoded text of the element tag inside p[0..n) as a new string:
 * 1, 0 absent, -1 malformed (unclosed, bad entity, NUL, too long). */
static int
text_of(const char *p, size_t n, const char *tag, size_t cap, char **out)
{
	struct ct_buf b;
	int rc;

	*out = NULL;
	ct_buf_init(&b, cap);
	rc = ct_xml_get(p, n, tag, &b);
	if (rc == 1 && (b.len == 0 || memchr(b.data, '\0', b.len) != NULL))
		rc = -1;
	if (rc == 1)
		*out = xstrndup(b.data, b.len);
	ct_buf_free(&b);
	return rc;
}

static int
fail(struct ct_s3list *l, struct ct_buf *why, const char *what)
{
	ct_s3list_free(l);
	ct_buf_reset(why);
	ct_buf_printf(why, "ListObjectsV2 answer: %s", what);
	return -1;
}

int
ct_s3list_parse(const char *p, size_t n, struct ct_s3list *l,
    struct ct_buf *why)
{
	const char *doc, *in;
	size_t dn, pos, in_n;
	char *s, *end;
	int rc;

	ct_s3list_free(l);
	pos = 0;
	if (ct_xml_next(p, n, &pos, "ListBucketResult", &doc, &dn) != 1)
		return fail(l, why, "no complete <ListBucketResult>");
	pos = 0;
	while ((rc = ct_xml_next(doc, dn, &pos, "Contents", &in,
	    &in_n)) == 1) {
		unsigned long long sz;

		if (text_of(in, in_n, "Key", CT_S3LIST_MAX_KEY * 6, &s) != 1)
			return fail(l, why, "a <Contents> without a valid "
			    "<Key>");
		l->objs = xrealloc(l->objs, (l->nobjs + 1) *
		    sizeof(*l->objs));
		l->objs[l->nobjs].key = s;
		l->objs[l->nobjs++].size = 0;
		if (strlen(s) > CT_S3LIST_MAX_KEY)
			return fail(l, why, "a key longer than 1024 bytes");
		if ((rc = text_of(in, in_n, "Size", 32, &s)) == -1)
			return fail(l, why, "a malformed <Size>");
		if (rc == 1) {
			errno = 0;
			sz = strtoull(s, &end, 10);
			rc = s[0] >= '0' && s[0] <= '9' && *end == '\0' &&
			    errno == 0;
			free(s);
			if (!rc)
				return fail(l, why, "a <Size> that is not a "
				    "number");
			l->objs[l->nobjs - 1].size = (uint64_t)sz;
		}
	}
	if (rc == -1)
		return fail(l, why, "an unclosed <Contents>");
	pos = 0;
	while ((rc = ct_xml_next(doc, dn, &pos, "CommonPrefixes", &in,
	    &in_n)) == 1) {
		if (text_of(in, in_n, "Prefix", CT_S3LIST_MAX_KEY * 6,
		    &s) != 1)
			return fail(l, why, "a <CommonPrefixes> without a "
			    "valid <Prefix>");
		l->prefixes = xrealloc(l->prefixes,
		    (l->nprefixes + 1) * sizeof(*l->prefixes));
		l->prefixes[l->nprefixes++] = s;
		if (strlen(s) > CT_S3LIST_MAX_KEY)
			return fail(l, why, "a prefix longer than 1024 bytes");
	}
	if (rc == -1)
		return fail(l, why, "an unclosed <CommonPrefixes>");
	if ((rc = text_of(doc, dn, "IsTruncated", 16, &s)) == -1)
		return fail(l, why, "a malformed <IsTruncated>");
	if (rc == 1) {
		if (strcmp(s, "true") == 0)
			l->truncated = 1;
		else if (strcmp(s, "false") != 0) {
			free(s);
			return fail(l, why, "<IsTruncated> neither true nor "
			    "false");
		}
		free(s);
	}
	if ((rc = text_of(doc, dn, "NextContinuationToken", 4096,
	    &l->next_token)) == -1)
		return fail(l, why, "a malformed <NextContinuationToken>");
	if (l->truncated && l->next_token == NULL)
		return fail(l, why, "truncated without a "
		    "<NextContinuationToken>");
	if (!l->truncated) {
		free(l->next_token);
		l->next_token = NULL;
	}
	return 0;
}
