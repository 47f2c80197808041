/*
 * digest.h - one CloudTrail digest file, its signature, and the public keys.
 *
 * Every hour a trail with log file validation delivers a digest: a JSON
 * document listing the log files delivered in [digestStartTime,
 * digestEndTime) with the SHA-256 of each one's uncompressed text, linked
 * to the previous digest by its key and hash, and signed (SHA256withRSA)
 * with a key CloudTrail publishes through ListPublicKeys.  This module
 * reads one uncompressed digest into a struct, builds the string that
 * CloudTrail signs exactly as the AWS CLI's validate-logs does
 * (awscli/customizations/cloudtrail/validation.py), checks a signature
 * with OpenSSL 3's EVP calls, and reads a ListPublicKeys answer.  It is
 * pure parsing and checking: fetching, chaining and verdicts are the
 * caller's (integrity.h).
 *
 * Everything read from outside is bounded (text size, number of log
 * files, string lengths, signature and key sizes) and rejected with a
 * one-line reason, never trusted.
 */
#ifndef CT_DIGEST_H
#define CT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CT_DIGEST_MAX_SIZE	((size_t)64 << 20)	/* uncompressed bytes */
#define CT_DIGEST_MAX_LOGS	500000		/* logFiles entries */
#define CT_DIGEST_MAX_STR	2048		/* any one string field */
#define CT_DIGEST_MAX_SIGHEX	4096		/* hex digits: 16384-bit RSA */
#define CT_PUBKEY_MAX_DER	4096		/* bytes of one key */
#define CT_PUBKEYS_MAX		1000		/* keys in one set */

struct ct_digest_log {
	char		*bucket;	/* s3Bucket */
	char		*object;	/* s3Object */
	unsigned char	 hash[32];	/* hashValue (hashAlgorithm SHA-256) */
};

struct ct_digest {
	char		*account_id;	/* awsAccountId, or NULL if absent */
	char		*end_text;	/* digestEndTime as written (signed) */
	int64_t		 start, end;	/* digestStartTime/EndTime, epoch s */
	char		*bucket;	/* digestS3Bucket */
	char		*object;	/* digestS3Object */
	char		*prev_bucket;	/* previousDigestS3Bucket, or NULL */
	char		*prev_object;	/* previousDigestS3Object, or NULL */
	int		 has_prev_hash;
	unsigned char	 prev_hash[32];	/* previousDigestHashValue */
	char		*prev_signature; /* previousDigestSignature, or NULL */
	char		*fingerprint;	/* digestPublicKeyFingerprint */
	char		*sig_alg;	/* digestSignatureAlgorithm, or NULL */
	struct ct_digest_log *logs;	/* logFiles */
	size_t		 nlogs;
	unsigned char	 sha256[32];	/* SHA-256 of the whole text */
};

/*
 * Parse the uncompressed digest text[0..n) into *d (which the caller
 * frees with ct_digest_free, on success and failure alike).  Requires
 * what validate-logs requires (digestPublicKeyFingerprint, digestS3Bucket,
 * digestS3Object, previousDigestSignature (null allowed), digestStartTime,
 * digestEndTime) plus a logFiles array whose entries have s3Bucket,
 * s3Object, a 64-digit hex hashValue and hashAlgorithm "SHA-256".
 * 0, or -1 with a one-line reason in why (may be NULL).
 */
int	ct_digest_parse(const char *text, size_t n, struct ct_digest *d,
	    struct ct_buf *why);
void	ct_digest_free(struct ct_digest *d);

/*
 * The string CloudTrail signs, appended to out: digestEndTime "\n"
 * digestS3Bucket "/" digestS3Object "\n" hex SHA-256 of the text "\n"
 * previousDigestSignature (the word "null" when null).  0 or -1 (out's
 * cap).
 */
int	ct_digest_string_to_sign(const struct ct_digest *d, struct ct_buf *out);

/*
 * Check the signature sig_hex (the object's x-amz-meta-signature) of d
 * with the RSA public key der[0..dern) (PKCS#1 RSAPublicKey DER, as a
 * ct_pubkey holds it).  alg is x-amz-meta-signature-algorithm (NULL:
 * SHA256withRSA, the only one accepted).  Returns 0 when the signature
 * verifies, 1 when it does not (a bad signature, an unusable key, an
 * unknown algorithm: why says which), -1 when OpenSSL itself failed.
 */
int	ct_digest_verify(const struct ct_digest *d, const char *sig_hex,
	    const char *alg, const unsigned char *der, size_t dern,
	    struct ct_buf *why);

/* One public key of a ListPublicKeys answer. */
struct ct_pubkey {
	char		*fingerprint;	/* hex, as the digests name it */
	int64_t		 valid_from;	/* ValidityStartTime, epoch s */
	int64_t		 valid_to;	/* ValidityEndTime, epoch s */
	unsigned char	*der;		/* PKCS#1 RSAPublicKey DER */
	size_t		 dern;
};

struct ct_pubkeys {
	struct ct_pubkey *v;
	size_t		 n;
	char		*next_token;	/* NextToken of the last page, or NULL */
};

void	ct_pubkeys_init(struct ct_pubkeys *k);
void	ct_pubkeys_free(struct ct_pubkeys *k);

/*
 * Read one ListPublicKeys answer (JSON 1.1: {"PublicKeyList":[{"Value":
 * base64, "ValidityStartTime": epoch number, "ValidityEndTime": ...,
 * "Fingerprint": hex}], "NextToken": ...}) and append its keys to *k
 * (pages add up; next_token is replaced).  Value is decoded as
 * validate-logs sees it (the AWS CLI leaves blobs as base64 text, which
 * validation.py decodes): the wire's base64 of the DER key; bytes that
 * are not DER (no SEQUENCE tag) are base64 text once more (characters
 * outside the alphabet skipped, as Python's b64decode does).  Times may also be ISO 8601
 * strings (the CLI's output of list-public-keys).  On -1 (reason in why)
 * *k is as before the call.
 */
int	ct_pubkeys_parse(const char *text, size_t n, struct ct_pubkeys *k,
	    struct ct_buf *why);

/* The key with that fingerprint, or NULL. */
const struct ct_pubkey *ct_pubkeys_find(const struct ct_pubkeys *k,
	    const char *fingerprint);

#endif
