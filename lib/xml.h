/*
 * xml.h - just enough XML to read STS and EC2 answers.
 *
 * The query-protocol services answer with small, flat, machine-written
 * documents: no DTDs, no CDATA in practice, no namespaces that matter, and
 * the values we read are the text of leaf elements (<Account>, <Arn>,
 * <regionName>, <Code>).  So this is not a parser: it finds an element by
 * its local name, hands back its inner bytes, and decodes the five
 * predefined entities and numeric character references in leaf text.
 * A document where the element is not closed counts as malformed, so a
 * truncated answer is never taken for a complete one.
 */
#ifndef CT_XML_H
#define CT_XML_H

#include <stddef.h>

#include "buf.h"

/*
 * Find the next element named tag (local name; "<ns:tag" matches too)
 * starting at *pos in p[0..n).  On success sets *inner and *innerlen to
 * its content (between the start and the end tag; empty for an
 * empty-element tag), moves *pos past its end tag and returns 1.  Returns 0 if there is none, -1 if
 * it is opened but never closed.  Elements of the same name must not nest.
 */
int	ct_xml_next(const char *p, size_t n, size_t *pos, const char *tag,
	    const char **inner, size_t *innerlen);

/* Append the text s[0..n) with entities decoded.  0, or -1 (bad entity or
 * cap).  Markup inside (child elements) is copied as is. */
int	ct_xml_text(const char *s, size_t n, struct ct_buf *out);

/* First element named tag anywhere in p[0..n): its decoded text appended
 * to out.  1 found, 0 not found, -1 malformed. */
int	ct_xml_get(const char *p, size_t n, const char *tag, struct ct_buf *out);

#endif
