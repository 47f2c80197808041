/*
 * http.h - one HTTP exchange over libcurl, and the SDKs' retry arithmetic.
 *
 * A ct_http wraps one curl easy handle.  curl keeps the connections of an
 * easy handle open between transfers, so one ct_http per thread gives one
 * reused connection per endpoint (TLS handshakes happen once).  A ct_http
 * is used by one thread at a time.
 *
 * ct_http_do makes exactly one attempt and reports what happened: an HTTP
 * answer (any status) with its complete body, or a transport failure
 * classified for retrying (awserr.h).  The body is capped (64 MiB by
 * default) so no answer can exhaust memory; a body shorter than its
 * Content-Length is a failure (curl reports it), never a short answer.
 *
 * TLS peer and host verification are always on; the caller names the CA
 * file (ct_http_set_ca: awsconf.c takes AWS_CA_BUNDLE, else the profile's
 * ca_bundle).  Proxies are the AWS CLI's (Python requests'): https_proxy,
 * HTTPS_PROXY, http_proxy, no_proxy, NO_PROXY, which libcurl reads itself,
 * and HTTP_PROXY for http:// URLs, which libcurl ignores (a CGI program
 * gets HTTP_PROXY from a client's "Proxy:" header) and this module reads
 * like Python: only when http_proxy is unset and REQUEST_METHOD is unset
 * (not a CGI program).
 *
 * A debug hook (ct_http_set_debug) receives each request line, response
 * status line and header line, with secrets masked: the Signature and
 * Credential of a SigV4 Authorization header, the whole value of any other
 * Authorization, X-Amz-Security-Token, IMDS and SSO tokens, cookies.
 * Bodies are never passed (STS and SSO answers hold secret keys and
 * tokens; web identity requests hold a token).
 *
 * Retrying is the caller's loop (aws.c for the generic calls, ct-fetch for
 * LookupEvents); ct_retry_* hold the policy of the SDKs' "standard" mode:
 * AWS_MAX_ATTEMPTS (default 3), delay before retry i (1-based) =
 * rand[0,1) * 2^(i-1) seconds, capped at 20 s, and a retry quota of 500
 * (5 per retry, 10 per retried timeout, 1 back per success) that stops a
 * client from hammering a service that is down.
 */
#ifndef CT_HTTP_H
#define CT_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "awserr.h"
#include "buf.h"

#define CT_HTTP_MAX_BODY	((size_t)64 << 20)

struct ct_http;

struct ct_http_req {
	const char	*method;	/* "GET", "POST", "PUT" */
	const char	*url;
	const char *const *headers;	/* "Name: value", NULL-terminated; may
					   be NULL */
	const void	*body;
	size_t		 bodylen;
	long		 connect_timeout_ms;	/* 0: 10 s */
	long		 timeout_ms;		/* whole transfer; 0: 60 s */
	const char	*where;		/* names the call in messages */
};

struct ct_http_resp {
	long		status;
	struct ct_buf	body;		/* owned by the caller: init/free */
};

/* A handle with User-Agent ua (copied), or NULL when libcurl cannot make
 * one (curl_easy_init failed: out of memory).  Free with ct_http_free. */
struct ct_http	*ct_http_new(const char *ua);
void		 ct_http_free(struct ct_http *h);
/* The CA file for TLS (copied), or NULL for the system's store. */
void		 ct_http_set_ca(struct ct_http *h, const char *path);
/*
 * Trace every exchange through fn(arg, line): request lines start "> ",
 * response lines "< ", secrets masked, control characters shown as '?'.
 * line is valid during the call only.  fn NULL: no trace.
 */
void		 ct_http_set_debug(struct ct_http *h,
		    void (*fn)(void *arg, const char *line), void *arg);
/*
 * One line of a header block (p[0..n), no CR LF; outside data when it is
 * an answer's) as the debug hook shows it, appended to out: dir ("> ",
 * "< "), then the line with control characters as '?' and secret values
 * masked (see above).  A secret is never copied, so out's cap may cut the
 * line short but never shows part of one.  0, or -1 (cap reached).
 */
int		 ct_http_debug_mask(const char *dir, const char *p, size_t n,
		    struct ct_buf *out);
/* A trace hook: fn(arg, line) as for ct_http_set_debug; fn NULL: none. */
struct ct_http_trace {
	void		(*fn)(void *arg, const char *line);
	void		*arg;
};
/*
 * An easy handle the caller drives itself (one of a curl multi handle's):
 * the same proxy rule as ct_http_do for url (HTTP_PROXY; see above) and,
 * when t and t->fn are set, the same trace.  easy is a CURL *; t is
 * borrowed and must outlive the handle's transfers.  Called before each
 * transfer: it replaces what an earlier call set, except the trace.
 */
void		 ct_http_setup_easy(void *easy, const char *url,
		    const struct ct_http_trace *t);
/*
 * The value of header line p[0..n) (as a libcurl header callback gets it,
 * CR LF included) when it is header name (ends in ':', any case), blanks
 * around it trimmed, into out: 1 (out is "" when the value does not fit
 * outsz, and *too_long is set when too_long is not NULL), or 0 (another
 * header: out untouched).
 */
int		 ct_http_header_value(const char *p, size_t n, const char *name,
		    char *out, size_t outsz, int *too_long);
/* See ct_aws_set_abort.  flag is borrowed. */
void		 ct_http_set_abort(struct ct_http *h,
		    const volatile sig_atomic_t *flag);

/*
 * One exchange.  resp->body is emptied first.  Returns 0 when an answer
 * was received in full (look at resp->status), or -1 with err:
 * CT_AWS_NETWORK (resolve, connect, TLS), CT_AWS_RETRYABLE (reset, timeout,
 * truncated body), CT_AWS_OTHER (body over the cap, bad URL),
 * CT_AWS_CANCELLED.  err->code is "ConnectionError", "Timeout",
 * "TruncatedBody", "TLSError", ...
 */
int	ct_http_do(struct ct_http *h, const struct ct_http_req *rq,
	    struct ct_http_resp *resp, struct ct_aws_error *err);

/* Number of transfers made through h, and of new connections they had
 * to open (the rest reused one): for tests and stats. */
unsigned long ct_http_count(const struct ct_http *h);
unsigned long ct_http_connects(const struct ct_http *h);

/* ---- retry policy ------------------------------------------------------ */

enum ct_retry_mode { CT_RETRY_STANDARD, CT_RETRY_LEGACY, CT_RETRY_ADAPTIVE };

struct ct_retry {
	enum ct_retry_mode mode;
	int		max_attempts;	/* total attempts, >= 1 */
	int		quota;		/* retry quota left */
};

/*
 * Policy from AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, else the profile's
 * max_attempts / retry_mode (either may be NULL), else standard, 3.
 * legacy defaults to 5 attempts; adaptive is treated as standard.
 * 0, or -1 with "AWS_MAX_ATTEMPTS: ..." in err for a bad value.
 */
int	ct_retry_init(struct ct_retry *r, const char *prof_max,
	    const char *prof_mode, struct ct_buf *err);
/* Delay in ms before retry number i (1 = the first retry): full jitter. */
long	ct_retry_delay_ms(int i);
/* May the call retry after attempt number i failed with class cls?
 * Takes from the quota when it says yes. */
int	ct_retry_allow(struct ct_retry *r, int attempt, enum ct_aws_class cls,
	    int timeout);
/* A call succeeded: give 1 back to the quota. */
void	ct_retry_success(struct ct_retry *r);

#endif
