/*
 * s3list.h - reading an S3 ListObjectsV2 answer.
 *
 * The S3 source of ct-fetch plans its work from listings: the account
 * folders under AWSLogs/ (CommonPrefixes, with delimiter "/") and the log
 * files of a day's folder (Contents).  The answer comes from the network,
 * so it is read as hostile: every key and prefix must be non-empty text
 * (entities decoded, no NUL, capped), a truncated listing must carry its
 * NextContinuationToken, and a document that is not a ListBucketResult,
 * or whose elements are not closed, is refused rather than read as an
 * empty folder (a cut answer must never hide files).  Keys are asked for
 * without encoding-type=url: CloudTrail writes plain ASCII keys, and the
 * XML entities are decoded here.
 */
#ifndef CT_S3LIST_H
#define CT_S3LIST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CT_S3LIST_MAX_KEY	1024	/* S3's limit on a key, bytes */

struct ct_s3obj {
	char		*key;
	uint64_t	 size;
};

struct ct_s3list {
	struct ct_s3obj	*objs;		/* Contents, in the answer's order */
	size_t		 nobjs;
	char		**prefixes;	/* CommonPrefixes/Prefix */
	size_t		 nprefixes;
	int		 truncated;	/* IsTruncated true */
	char		*next_token;	/* NextContinuationToken, or NULL */
};

void	ct_s3list_init(struct ct_s3list *l);
void	ct_s3list_free(struct ct_s3list *l);

/*
 * Parse the body p[0..n) of a 200 answer into l (initialised; reset
 * first).  0, or -1 with the reason in why (l then empty).
 */
int	ct_s3list_parse(const char *p, size_t n, struct ct_s3list *l,
	    struct ct_buf *why);

#endif
