/*
 * ctsign.h - test helpers that play CloudTrail's part in log file
 * integrity: an RSA key pair, digest files, their signatures and a
 * ListPublicKeys answer, made the way CloudTrail makes them (digest.h).
 * Header-only, for test_digest.c and test_integrity.c.
 */
#ifndef CT_CTSIGN_H
#define CT_CTSIGN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "buf.h"
#include "digest.h"
#include "hex.h"
#include "timefmt.h"

/* A new RSA key (1024 bits: as good as 2048 for the tests, and fast
 * under ASan).  Aborts on failure. */
static inline EVP_PKEY *
ts_key(void)
{
	EVP_PKEY *k = EVP_RSA_gen(1024);

	if (k == NULL)
		abort();
	return k;
}

/* Its public half as a ct_pubkey (the caller frees der and fingerprint). */
static inline struct ct_pubkey
ts_pubkey(EVP_PKEY *k, const char *fp, int64_t from, int64_t to)
{
	struct ct_pubkey p;
	unsigned char *der = NULL;
	int n = i2d_PublicKey(k, &der);

	if (n <= 0)
		abort();
	p.fingerprint = strdup(fp);
	p.valid_from = from;
	p.valid_to = to;
	p.der = malloc((size_t)n);
	memcpy(p.der, der, (size_t)n);
	p.dern = (size_t)n;
	OPENSSL_free(der);
	return p;
}

/* base64 of p[0..n) appended to b. */
static inline void
ts_b64(struct ct_buf *b, const unsigned char *p, size_t n)
{
	unsigned char *o = malloc(4 * ((n + 2) / 3) + 1);
	int m = EVP_EncodeBlock(o, p, (int)n);

	ct_buf_add(b, o, (size_t)m);
	free(o);
}

/* One PublicKeyList entry as the JSON 1.1 wire has it: Value is base64 of
 * the base64 text of the DER key. */
static inline void
ts_key_json(struct ct_buf *b, const struct ct_pubkey *p)
{
	struct ct_buf inner;

	ct_buf_init(&inner, 0);
	ts_b64(&inner, p->der, p->dern);
	ct_buf_adds(b, "{\"Value\":\"");
	ts_b64(b, (const unsigned char *)inner.data, inner.len);
	ct_buf_printf(b, "\",\"ValidityStartTime\":%lld,\"ValidityEndTime\":"
	    "%lld.0,\"Fingerprint\":\"%s\"}", (long long)p->valid_from,
	    (long long)p->valid_to, p->fingerprint);
	ct_buf_free(&inner);
}

static inline void
ts_iso(int64_t t, char out[21])
{
	ct_time_format_iso(t, out);
}

/* The SHA-256 of p[0..n) as 64 hex digits. */
static inline void
ts_sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[32];

	EVP_Digest(p, n, h, NULL, EVP_sha256(), NULL);
	ct_hex_encode(h, 32, out);
}

struct ts_log {
	const char	*key;
	char		 hash[65];
};

/*
 * A digest's text into out: bucket "b", the given key and times, the
 * previous digest (prev_key NULL: the first one, all previous* null),
 * the listed logs.
 */
static inline void
ts_digest(struct ct_buf *out, const char *key, int64_t start, int64_t end,
    const char *prev_key, const char *prev_hash, const char *prev_sig,
    const char *fp, const struct ts_log *logs, size_t nlogs)
{
	char s[21], e[21];
	size_t i;

	ts_iso(start, s);
	ts_iso(end, e);
	ct_buf_reset(out);
	ct_buf_printf(out, "{\"awsAccountId\":\"111122223333\","
	    "\"digestStartTime\":\"%s\",\"digestEndTime\":\"%s\","
	    "\"digestS3Bucket\":\"b\",\"digestS3Object\":\"%s\","
	    "\"digestPublicKeyFingerprint\":\"%s\","
	    "\"digestSignatureAlgorithm\":\"SHA256withRSA\","
	    "\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\",", s, e,
	    key, fp, e, s);
	if (prev_key != NULL)
		ct_buf_printf(out, "\"previousDigestS3Bucket\":\"b\","
		    "\"previousDigestS3Object\":\"%s\","
		    "\"previousDigestHashValue\":\"%s\","
		    "\"previousDigestHashAlgorithm\":\"SHA-256\","
		    "\"previousDigestSignature\":\"%s\",", prev_key, prev_hash,
		    prev_sig);
	else
		ct_buf_adds(out, "\"previousDigestS3Bucket\":null,"
		    "\"previousDigestS3Object\":null,"
		    "\"previousDigestHashValue\":null,"
		    "\"previousDigestHashAlgorithm\":null,"
		    "\"previousDigestSignature\":null,");
	ct_buf_adds(out, "\"logFiles\":[");
	for (i = 0; i < nlogs; i++)
		ct_buf_printf(out, "%s{\"s3Bucket\":\"b\",\"s3Object\":\"%s\","
		    "\"hashValue\":\"%s\",\"hashAlgorithm\":\"SHA-256\","
		    "\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\"}",
		    i ? "," : "", logs[i].key, logs[i].hash, e, s);
	ct_buf_adds(out, "]}");
}

/* CloudTrail's signature of the digest text[0..n) with k, as hex into a
 * new string (the caller frees it).  The string signed is built by hand
 * here, not by ct_digest_string_to_sign, so the test checks that too. */
static inline char *
ts_sign(EVP_PKEY *k, const char *text, size_t n, const char *end_iso,
    const char *key, const char *prev_sig)
{
	struct ct_buf m;
	char hex[65], *out;
	unsigned char sig[1024];
	size_t sn = sizeof(sig);
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	ts_sha_hex(text, n, hex);
	ct_buf_init(&m, 0);
	ct_buf_printf(&m, "%s\nb/%s\n%s\n%s", end_iso, key, hex,
	    prev_sig ? prev_sig : "null");
	if (EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(c, sig, &sn, (const unsigned char *)m.data,
	    m.len) != 1)
		abort();
	EVP_MD_CTX_free(c);
	ct_buf_free(&m);
	out = malloc(2 * sn + 1);
	ct_hex_encode(sig, sn, out);
	return out;
}

#endif
