/*
 * sigv4.h - AWS Signature Version 4 (AWS4-HMAC-SHA256).
 *
 * A pure function from a request and a key to its signature: no clock, no
 * network, no mutable global state (OpenSSL's SHA-256 is looked up once
 * and shared), so the official test vectors (aws4_testsuite,
 * aws-c-auth v4) can drive it directly, and the HTTP layer only has to copy
 * the result into headers.  Implemented here rather than with libcurl's
 * CURLOPT_AWS_SIGV4 because Debian's curl 7.88 canonicalises some requests
 * wrongly; the suites decide.
 *
 * The signer builds the canonical request (method; URI-encoded path, with
 * dot segments and empty segments removed unless CT_SIGV4_NO_NORMALIZE;
 * query parameters decoded, re-encoded and sorted; lower-cased, sorted
 * headers with trimmed values whose whitespace runs become one space,
 * repeated headers joined with ','; signed header list; payload SHA-256),
 * the string to sign and the signature.  It adds X-Amz-Date and, with a
 * session token, X-Amz-Security-Token to what is signed when the request
 * does not carry them already; the caller sends what out says.
 *
 * Secrets: the derived signing key lives on the stack and is wiped; the
 * output holds no secret except the session token (which is sent anyway).
 *
 * A caller that signs many requests (the S3 source: one per log file)
 * may keep a struct ct_sigv4_cache and pass it in each input: the signing
 * key is then derived (four HMACs) once per secret, day, region and
 * service instead of on every request.  The cache holds that derived key
 * and a SHA-256 of the secret, never the secret; its owner wipes it with
 * ct_sigv4_cache_wipe.  The signature is the same with or without it.
 */
#ifndef CT_SIGV4_H
#define CT_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct ct_sigv4_header {
	const char	*name;		/* as sent; compared case-insensitively */
	const char	*value;		/* raw; may contain folded lines */
};

enum {
	CT_SIGV4_NO_NORMALIZE	= 1 << 0,	/* keep the path as is (S3) */
	CT_SIGV4_QUERY		= 1 << 1,	/* presigned URL: auth in query */
	CT_SIGV4_SIGN_BODY	= 1 << 2,	/* add x-amz-content-sha256 */
	CT_SIGV4_TOKEN_AFTER	= 1 << 3,	/* token added after signing,
						   not signed */
};

/* Zero it before the first use (= {0} or memset); one thread at a time. */
struct ct_sigv4_cache {
	int		 valid;
	unsigned char	 secret_sha[32];	/* SHA-256 of the secret key */
	char		 date[9];		/* "20150830" */
	char		 region[64];
	char		 service[32];
	unsigned char	 key[32];		/* kSigning */
};

void	ct_sigv4_cache_wipe(struct ct_sigv4_cache *c);

struct ct_sigv4_input {
	const char	*method;	/* "GET", "POST" */
	const char	*path;		/* raw path, not yet encoded: "/" */
	const char	*query;		/* after '?', %-encoded or raw; or NULL */
	const struct ct_sigv4_header *hdr;	/* must include Host */
	size_t		 nhdr;
	const void	*body;
	size_t		 bodylen;
	const char	*access_key;
	const char	*secret_key;
	const char	*token;		/* session token or NULL */
	const char	*region;
	const char	*service;	/* signing name: "sts", "ec2", ... */
	time_t		 when;		/* request time, UTC */
	unsigned	 flags;
	long		 expires;	/* CT_SIGV4_QUERY: X-Amz-Expires */
	struct ct_sigv4_cache *cache;	/* or NULL */
};

struct ct_sigv4_output {
	struct ct_buf	creq;		/* canonical request */
	struct ct_buf	sts;		/* string to sign */
	char		signature[65];	/* hex */
	char		amz_date[17];	/* "20150830T123600Z" */
	char		payload_hash[65];
	struct ct_buf	authorization;	/* header mode: Authorization value */
	struct ct_buf	query;		/* query mode: the query string to send
					   (canonical + X-Amz-Signature) */
	int		add_date;	/* send X-Amz-Date: amz_date */
	int		add_token;	/* send X-Amz-Security-Token: token */
	int		add_sha256;	/* send x-amz-content-sha256 */
};

void	ct_sigv4_output_init(struct ct_sigv4_output *o);
void	ct_sigv4_output_free(struct ct_sigv4_output *o);

/*
 * Sign in.  out must be initialised (it is reset first).  Returns 0, or -1
 * if a part is malformed (a bad %-escape in the query, a header without
 * name); out then holds no signature.
 */
int	ct_sigv4_sign(const struct ct_sigv4_input *in,
	    struct ct_sigv4_output *out);

/* Append s URI-encoded as SigV4 wants (unreserved A-Z a-z 0-9 - _ . ~ kept,
 * everything else %XX upper-case; '/' kept when keep_slash).  0 or -1. */
int	ct_sigv4_uri_encode(struct ct_buf *b, const char *s, size_t n,
	    int keep_slash);

/* Append "&name=value" (or "name=value" when form is empty) to a form,
 * URI-encoding both as SigV4 does.  0, or -1 (cap). */
int	ct_sigv4_form_add(struct ct_buf *form, const char *name,
	    const char *value);

/* Hex SHA-256 of p[0..n) into out[65]. */
void	ct_sigv4_sha256_hex(const void *p, size_t n, char out[65]);

#endif
