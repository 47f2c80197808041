/*
 * s3.h - S3 requests: the URL and the SigV4 headers of one GET.
 *
 * S3 signs differently from the other services the tools call: the
 * signing name is "s3"; the canonical URI is the key encoded once, as it
 * is sent, with no removal of "." or "//" segments (a key may hold them);
 * the x-amz-content-sha256 header is required (the hash of the empty
 * payload for a GET).  Where the bucket goes depends on the endpoint:
 * virtual-hosted (https://BUCKET.s3.REGION.amazonaws.com/KEY) at AWS,
 * path-style (URL/BUCKET/KEY) at a configured endpoint such as a local
 * emulator or an S3-compatible store, and always path-style for a bucket
 * name that is not one DNS label (dots break the TLS name check), as the
 * AWS CLI does.  A profile's `s3 = addressing_style` (path, virtual,
 * auto) chooses otherwise.
 *
 * A pure function of its input (no clock, no network), so the unit test
 * and the emulator check the same bytes.  The secret key only enters the
 * signature; the output holds the session token (which is sent anyway).
 */
#ifndef CT_S3_H
#define CT_S3_H

#include <time.h>

#include "buf.h"
#include "sigv4.h"

enum ct_s3_style { CT_S3_AUTO = 0, CT_S3_PATH, CT_S3_VIRTUAL };

struct ct_s3_req {
	const char	*endpoint;	/* "https://s3.eu-west-1.amazonaws.com"
					   or a configured URL */
	int		 configured;	/* endpoint came from the configuration
					   (AUTO then means path-style) */
	enum ct_s3_style style;
	const char	*bucket;
	const char	*key;		/* raw; NULL or "" for the bucket */
	const char	*query;		/* %-encoded (ct_s3_query_add), or
					   NULL */
	const char	*region;
	const char	*access_key;
	const char	*secret_key;
	const char	*token;		/* or NULL */
	time_t		 when;
	struct ct_sigv4_cache *keys;	/* signing keys kept between
					   requests (sigv4.h), or NULL */
};

#define CT_S3_NHDR	6

struct ct_s3_signed {
	struct ct_buf	 url;
	struct ct_buf	 hb[CT_S3_NHDR];
	const char	*headers[CT_S3_NHDR + 1];	/* "Name: value",
							   NULL-terminated */
};

void	ct_s3_signed_init(struct ct_s3_signed *s);
void	ct_s3_signed_free(struct ct_s3_signed *s);

/* Sign a GET into out (emptied first, its storage kept: a caller signing
 * request after request reuses one).  0, or -1 with the reason in why (a
 * malformed endpoint). */
int	ct_s3_sign_get(const struct ct_s3_req *rq, struct ct_s3_signed *out,
	    struct ct_buf *why);

/* Append "&name=value" (no '&' on an empty query), value %-encoded. */
int	ct_s3_query_add(struct ct_buf *q, const char *name, const char *value);

/* "path", "virtual", "auto" (or NULL) to a style; -1 for anything else. */
int	ct_s3_style_parse(const char *s);

#endif
