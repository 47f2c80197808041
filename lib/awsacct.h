/*
 * awsacct.h - the account-level AWS calls: STS GetCallerIdentity and EC2
 * DescribeRegions.
 *
 * They sit apart from the client (aws.h: context, credentials, endpoints,
 * retries, signing) because they are uses of it, made of its generic
 * query call, and each parses its own answer (XML).  Both retry as the
 * SDKs' standard mode does (aws.h).  No function prints or exits.
 */
#ifndef CT_AWSACCT_H
#define CT_AWSACCT_H

#include <stddef.h>

#include "aws.h"

struct ct_aws_identity {
	char	account[16];	/* "123456789012" */
	char	arn[2048];	/* "arn:aws:iam::123456789012:user/alice" */
	char	user_id[256];
};

/* STS GetCallerIdentity against the client's region's STS endpoint.
 * 0, or -1 with err.  Retries in standard mode. */
int	ct_aws_get_caller_identity(struct ct_aws *c,
	    struct ct_aws_identity *out, struct ct_aws_error *err);

struct ct_aws_region {
	char	*name;		/* "eu-west-1" */
	char	*opt_in_status;	/* "opt-in-not-required", "opted-in",
				   "not-opted-in" */
	char	*endpoint;	/* "ec2.eu-west-1.amazonaws.com" or "" */
};

/*
 * EC2 DescribeRegions (AllRegions=true when all is non-zero, which adds
 * the regions not opted in).  On success *out is an array of *n regions,
 * sorted by name, that the caller frees with ct_aws_regions_free.  0, or
 * -1 with err.  Retries in standard mode.
 */
int	ct_aws_describe_regions(struct ct_aws *c, int all,
	    struct ct_aws_region **out, size_t *n, struct ct_aws_error *err);
void	ct_aws_regions_free(struct ct_aws_region *r, size_t n);

#endif
