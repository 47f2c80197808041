/*
 * aws.h - a small AWS client: STS, EC2 and CloudTrail over SigV4.
 *
 * Two objects.  A ct_aws_ctx is made once per process, in main, before any
 * thread starts: it reads the AWS config and credentials files, decides the
 * profile, the default region and the endpoint overrides, and owns the one
 * credential provider (creds.h) that every thread shares.  The provider is
 * thread-safe and refreshes temporary credentials 5 minutes before they
 * expire, so a long run never sees them lapse.
 *
 * A ct_aws is a client for one region, used by one thread at a time: it owns
 * a curl easy handle, so the connection to each endpoint it talks to (STS,
 * EC2, CloudTrail) is kept and reused between calls.  ct-fetch makes one per
 * region thread; ct-regions makes one.
 *
 * The account-level calls (GetCallerIdentity, DescribeRegions: awsacct.h)
 * retry as the SDKs' "standard" mode does (AWS_MAX_ATTEMPTS, default 3;
 * exponential backoff with full jitter).  LookupEvents (lookup.h) makes exactly one attempt and
 * classifies the outcome (awserr.h), because ct-fetch owns the retry and
 * pacing policy of that call: it must retry throttling for a long time at
 * its own pace and resend the same NextToken after any failure.
 *
 * awsconf.c makes the context (environment, files, endpoint settings,
 * credential provider); aws.c the clients and their requests (awsctx.h,
 * the context's layout they share).
 *
 * No function prints or exits; each failure fills a struct ct_aws_error
 * whose line is the message for the user.  Secrets never reach it.
 */
#ifndef CT_AWS_H
#define CT_AWS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "awserr.h"
#include "buf.h"
#include "http.h"

struct ct_aws_ctx;
struct ct_aws;

/* What the command line says; NULL fields mean "not given". */
struct ct_aws_opts {
	const char	*profile;	/* --profile: wins over AWS_PROFILE and
					   disables AWS_ACCESS_KEY_ID & co */
	const char	*region;	/* --region: wins over AWS_REGION ... */
	const char	*tool;		/* "ct-regions": for the User-Agent */
	const char	*endpoint_url;	/* --endpoint-url: wins over every
					   other endpoint setting for STS,
					   EC2 and CloudTrail calls (not
					   for the credential provider's, as
					   in the AWS CLI) */
	/* --debug: each request and response header line, secrets masked
	   (http.h, ct_http_set_debug); called from any thread, so fn must
	   be thread-safe.  NULL: no trace. */
	void		(*debug)(void *arg, const char *line);
	void		*debug_arg;
};

/*
 * Make the shared context: read the environment and the config files,
 * choose the profile and the region, set up the credential chain (no
 * network yet: credentials are fetched on the first call, or by
 * ct_aws_ctx_check_credentials).  Calls curl_global_init, so call it from
 * main before starting threads.  Returns a context the caller frees with
 * ct_aws_ctx_free (after every ct_aws made from it), or NULL with the
 * reason in err (class CT_AWS_CREDENTIALS for a profile that does not
 * exist or a malformed file, CT_AWS_OTHER for anything else).  A profile
 * named by --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE (other than
 * "default") must exist in one of the two files even when the credentials
 * come from the environment, as in the AWS CLI ("The config profile (NAME)
 * could not be found").
 */
struct ct_aws_ctx *ct_aws_ctx_new(const struct ct_aws_opts *o,
		    struct ct_aws_error *err);
void		ct_aws_ctx_free(struct ct_aws_ctx *ctx);

/*
 * Resolve credentials now (they are otherwise resolved by the first call).
 * 0, or -1 with err (CT_AWS_CREDENTIALS: nothing found or a source failed,
 * the line lists what was tried and how to configure).  Thread-safe.
 */
int		ct_aws_ctx_check_credentials(struct ct_aws_ctx *ctx,
		    struct ct_aws_error *err);

/* How many times credentials were fetched from their source (1 for the
 * first use, then one per refresh).  Thread-safe.  For tests and stats. */
unsigned	 ct_aws_ctx_credential_fetches(struct ct_aws_ctx *ctx);

/*
 * A client for one region (NULL: the context's region), to be used by one
 * thread at a time.  Owns its curl handle and its connections.  Free with
 * ct_aws_free.  Never fails (x-allocation), except that the region name
 * must be a plausible region ([a-z0-9-], 1..63 chars): NULL otherwise, with
 * err filled.
 */
struct ct_aws	*ct_aws_new(struct ct_aws_ctx *ctx, const char *region,
		    struct ct_aws_error *err);
void		 ct_aws_free(struct ct_aws *c);
/* The region this client signs for and sends to.  Owned by c. */
const char	*ct_aws_region(const struct ct_aws *c);
/* HTTP transfers (attempts) made by c so far, and the connections it
 * had to open for them.  For tests and stats. */
unsigned long	 ct_aws_transfers(const struct ct_aws *c);
unsigned long	 ct_aws_connects(const struct ct_aws *c);

/*
 * An abort flag, checked while a transfer is running (about every 100 ms)
 * and between retries: when *flag becomes non-zero the call ends with class
 * CT_AWS_CANCELLED.  For SIGINT/SIGTERM handlers.  The flag is borrowed.
 */
void		 ct_aws_set_abort(struct ct_aws *c,
		    const volatile sig_atomic_t *flag);

/* ---- generic calls (what awsacct.h and lookup.h are made of) -------------------- */

/*
 * A query-protocol call (STS, EC2): POST of form-encoded params
 * ("Action=...&Version=..."; each name and value already URI-encoded by
 * the caller, or use ct_sigv4_form_add) to the service's endpoint in the
 * client's region.  The answer body is appended to out (capped at 64 MiB).
 * retry: non-zero for standard-mode retries.  0, or -1 with err.
 */
int	ct_aws_call_query(struct ct_aws *c, const char *service,
	    const char *form, int retry, struct ct_buf *out,
	    struct ct_aws_error *err);

/*
 * A JSON-protocol call: POST of body with Content-Type
 * application/x-amz-json-1.1 and X-Amz-Target: target.
 */
int	ct_aws_call_json(struct ct_aws *c, const char *service,
	    const char *target, const char *body, size_t n, int retry,
	    struct ct_buf *out, struct ct_aws_error *err);

/* ---- for the S3 source (lib/s3.h) ------------------------------------------ */

/* The region of the context (--region, AWS_REGION, the profile), to sign
 * for; NULL when none is configured. */
const char *ct_aws_ctx_region(const struct ct_aws_ctx *ctx);

struct ct_creds;

/* Where S3 is for region: the URL (appended to url) from
 * AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's services "s3"
 * endpoint_url or endpoint_url (not --endpoint-url, which names the
 * CloudTrail, STS and EC2 endpoint), else AWS's; *configured says which;
 * *style is the profile's `s3 = addressing_style` (s3.h's enum), *ca the
 * CA file or NULL (owned by ctx).  0, or -1 with err. */
int	ct_aws_ctx_s3(struct ct_aws_ctx *ctx, const char *region,
	    struct ct_buf *url, int *configured, int *style, const char **ca,
	    struct ct_aws_error *err);
/* The current credentials (refreshed when due), for signing S3 requests;
 * the caller wipes them (ct_creds_wipe).  *gen (may be NULL) receives
 * their generation for ct_aws_ctx_expired.  0, or -1 with err. */
int	ct_aws_ctx_credentials(struct ct_aws_ctx *ctx, struct ct_creds *out,
	    unsigned *gen, struct ct_aws_error *err);
/* The credentials of generation gen were answered ExpiredToken: the next
 * ct_aws_ctx_credentials fetches new ones.  1 when that can help
 * (temporary credentials from a source that gives new ones), 0 when not
 * (static keys).  Thread-safe. */
int	ct_aws_ctx_expired(struct ct_aws_ctx *ctx, unsigned gen);
/* The --debug hook (ct_aws_opts.debug) as a trace for ct_http_setup_easy
 * (out->fn NULL: none). */
void	ct_aws_ctx_trace(const struct ct_aws_ctx *ctx,
	    struct ct_http_trace *out);

#endif
