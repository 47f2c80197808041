/*
 * lookup.h - CloudTrail LookupEvents: the request, the page, its parser.
 *
 * One page of events is what ct-fetch's workers move, lib/walkguard.h
 * judges and the fuzz target reads, so the page type and its parser live
 * apart from the AWS client (lib/aws.h): code that only looks at pages
 * needs no client.  The request is made with ct_aws_call_json, the
 * client's generic JSON call, and parsed here.
 */
#ifndef CT_LOOKUP_H
#define CT_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "awserr.h"
#include "buf.h"

struct ct_aws;

struct ct_lookup_req {
	int64_t		 start;		/* StartTime, epoch seconds */
	int64_t		 end;		/* EndTime, epoch seconds */
	const char	*next_token;	/* NULL or "" for the first page */
	int		 max_results;	/* 1..50; 0 means 50 */
};

struct ct_lookup_event {
	const char	*event_id;	/* "EventId", or "" */
	const char	*record;	/* "CloudTrailEvent" decoded: the raw
					   record JSON as AWS sent it */
	size_t		 record_len;
	double		 event_time;	/* "EventTime", epoch seconds, or 0 */
};

/*
 * One page of LookupEvents.  Every pointer points into memory owned by the
 * page, valid until ct_lookup_page_free (or the next call that fills it).
 */
struct ct_lookup_page {
	struct ct_buf		 body;		/* the raw response body */
	struct ct_lookup_event	*events;	/* nevents, in AWS's order
						   (newest first) */
	size_t			 nevents;
	const char		*next_token;	/* NULL on the last page */
	void			*priv_;		/* parsed document */
};

void	ct_lookup_page_init(struct ct_lookup_page *p);
void	ct_lookup_page_free(struct ct_lookup_page *p);

/*
 * One LookupEvents request (exactly one HTTP attempt, no retry) for the
 * client's region; page (initialised, or filled by a previous call: it is
 * emptied first) receives the answer.  Returns 0, or -1 with err:
 *   CT_AWS_THROTTLED	ThrottlingException & co: wait, then resend
 *   CT_AWS_RETRYABLE	5xx, reset, timeout, truncated/unparseable body,
 *			ExpiredToken (the shared credentials were marked
 *			stale; the next call fetches fresh ones): resend
 *   CT_AWS_NETWORK	could not connect: resend later
 *   CT_AWS_CREDENTIALS	no or rejected credentials: give up.  Note that a
 *			region not enabled in the account answers
 *			UnrecognizedClientException, which lands here too:
 *			when other regions work, it is that region's failure
 *   CT_AWS_DENIED	AccessDeniedException (SCPs, policies): give up
 *			this region
 *   CT_AWS_OTHER	InvalidNextToken, bad parameters, ...: give up
 *   CT_AWS_CANCELLED	the abort flag was raised
 * err->code and err->message hold AWS's own words.  (libcurl itself
 * resends a request once, transparently, when a kept-alive connection
 * turns out to be closed before any byte of the answer arrived.)
 */
int	ct_lookup_events(struct ct_aws *c, const struct ct_lookup_req *rq,
	    struct ct_lookup_page *page, struct ct_aws_error *err);

#endif
