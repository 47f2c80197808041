/*
 * trails.h - CloudTrail DescribeTrails: the request and its parser.
 *
 * ct-fetch --trail finds the bucket and key prefix of a trail's log files
 * here, so a user names the trail (or none: the account's one trail)
 * instead of its bucket.  The request asks for shadow trails too
 * (includeShadowTrails), so a member account of an organization sees the
 * organization's trail, and a region other than the trail's home region
 * sees a multi-region trail.  The parser is separate from the call so the
 * fuzz target and the unit test reach it without a network.
 */
#ifndef CT_TRAILS_H
#define CT_TRAILS_H

#include <stddef.h>

#include "awserr.h"
#include "buf.h"

struct ct_aws;

struct ct_trail {
	char	*name;
	char	*arn;		/* or NULL */
	char	*bucket;	/* NULL: the trail logs to no S3 bucket */
	char	*prefix;	/* S3KeyPrefix, or NULL */
	char	*home_region;	/* or NULL */
	int	 organization;	/* IsOrganizationTrail */
};

struct ct_trails {
	struct ct_trail	*v;
	size_t		 n;
};

void	ct_trails_free(struct ct_trails *t);

/* Parse a DescribeTrails answer: 0, or -1 with a reason in why and t
 * empty.  Entries without a Name are refused. */
int	ct_trails_parse(const char *p, size_t n, struct ct_trails *t,
	    struct ct_buf *why);

/* DescribeTrails in c's region (shadow trails included), with retries;
 * 0, or -1 with err. */
int	ct_trails_describe(struct ct_aws *c, struct ct_trails *t,
	    struct ct_aws_error *err);

/* The trail named by want (a name or an ARN), or with want NULL the one
 * trail that logs to S3.  Returns it, or NULL with a one-line reason in
 * why (none, or several: their names listed). */
const struct ct_trail *ct_trails_pick(const struct ct_trails *t,
	    const char *want, struct ct_buf *why);

#endif
