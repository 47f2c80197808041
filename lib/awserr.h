/*
 * awserr.h - what went wrong with one AWS call, in one line and one class.
 *
 * AWS reports errors in three dialects (JSON "__type"/"message" for
 * CloudTrail, XML <Code>/<Message> for EC2 and STS, and plain HTTP status
 * with no body), and the transport adds its own (resets, timeouts, truncated
 * bodies).  Callers care about two things: what to tell the user (one line)
 * and what to do next (retry soon, slow down, refresh credentials, give up).
 * So every failure becomes a ct_aws_error: a class that drives the policy,
 * the AWS error code and message as AWS sent them, and a ready-made line.
 *
 * AWS's message can hold secrets: the answer to a bad signature echoes the
 * canonical request (with the x-amz-security-token header) and the string
 * to sign.  Every message is redacted as it enters here (from_http and
 * set): that echo is cut, and the value of a security token, session
 * token, Credential= or Signature= is replaced, so no tool can show or
 * store them whatever path the error takes.
 *
 * The struct has fixed-size fields so it can live on a thread's stack and
 * needs no freeing.
 */
#ifndef CT_AWSERR_H
#define CT_AWSERR_H

#include <stddef.h>

enum ct_aws_class {
	CT_AWS_OK = 0,
	CT_AWS_THROTTLED,	/* a throttling code (ThrottlingException, ...) */
	CT_AWS_RETRYABLE,	/* 5xx, truncated or unparseable body, timeout,
				   ExpiredToken with a refreshable source */
	CT_AWS_NETWORK,		/* could not connect/resolve/handshake (retryable) */
	CT_AWS_CREDENTIALS,	/* no credentials, or AWS rejected them */
	CT_AWS_DENIED,		/* AccessDenied, UnauthorizedOperation, opt-in ... */
	CT_AWS_OTHER,		/* anything else: a bug, a bad parameter, ... */
	CT_AWS_CANCELLED,	/* the caller's abort flag was raised */
};

struct ct_aws_error {
	enum ct_aws_class cls;
	long	http_status;	/* 0 when no HTTP answer was received */
	char	code[96];	/* AWS error code ("ThrottlingException"), or
				   a transport code ("ConnectionError"), or "" */
	char	message[512];	/* AWS's message, one line, redacted */
	char	line[768];	/* the one line for the user, e.g.
				   "sts.us-east-1: SignatureDoesNotMatch: ..." */
};

/*
 * Copy s[0..n), text from outside (an endpoint's error message, a value
 * from a record), into dst[0..dstsz) as one line that is safe to show on
 * a terminal: C0 controls, DEL, C1 controls (U+0080..U+009F: U+009B is a
 * CSI to many terminals), and U+2028/U+2029 become one space per run;
 * bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
 * U+061C), which can make text read other than it is, and each run of
 * invalid UTF-8 become U+FFFD; trailing spaces are dropped.  Cuts at a
 * character boundary when dst is full; dst is always terminated.  Returns
 * the length written.  Every field of a ct_aws_error passes through it.
 */
size_t	ct_awserr_clean(char *dst, size_t dstsz, const char *s, size_t n);

/* Reset e to "no error". */
void	ct_awserr_clear(struct ct_aws_error *e);

/*
 * Fill e from an HTTP answer: status and body (JSON or XML error document,
 * or anything else).  where names the endpoint or call for the line
 * ("ec2.eu-west-1 DescribeRegions").  Sets cls from the code and status.
 */
void	ct_awserr_from_http(struct ct_aws_error *e, const char *where,
	    long status, const char *body, size_t n);

/* Fill e with a class, code and printf-style message; line is derived. */
void	ct_awserr_set(struct ct_aws_error *e, enum ct_aws_class cls,
	    const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Append printf output to e->line (truncating at its size). */
void	ct_awserr_append(struct ct_aws_error *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Class of an AWS error code and HTTP status (the tables used above). */
enum ct_aws_class ct_awserr_classify(const char *code, long status);
/* Non-zero if code says the credentials expired (ExpiredToken*, ...). */
int	ct_awserr_is_expired(const char *code);

/*
 * What is likely wrong when a call in one region fails with e after STS
 * accepted the same keys: the region is not enabled for the account (an
 * opt-in region answers UnrecognizedClient or InvalidClientTokenId, as if
 * the keys were bad).  A hint for the user's line, or NULL.
 */
const char *ct_awserr_region_hint(const struct ct_aws_error *e);

/* The exit status (lib/exitcodes.h) for a class. */
int	ct_awserr_exit(enum ct_aws_class cls);

/* "throttled", "retryable", "network", ... for messages and tests. */
const char *ct_awserr_class_name(enum ct_aws_class cls);

#endif
