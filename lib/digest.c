/*
 * digest.c - one CloudTrail digest file, its signature, and the public keys
 * (digest.h).
 *
 * The digest is read whole with json.h (a digest is small: about 300
 * bytes per log file listed).  Strings are copied out of the document so
 * the struct outlives it.  Signatures are checked with EVP_DigestVerify
 * (SHA-256, PKCS#1 v1.5 padding, which is what SHA256withRSA means) on a
 * key decoded by d2i_PublicKey from PKCS#1 DER.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "digest.h"
#include "hex.h"
#include "json.h"
#include "timefmt.h"
#include "xalloc.h"

static int
why_set(struct ct_buf *why, const char *fmt, const char *arg)
{
	if (why != NULL) {
		ct_buf_reset(why);
		ct_buf_printf(why, fmt, arg);
	}
	return -1;
}

/* A string member, copied; NULL (absent, wrong type or too long): -1. */
static int
get_str(const struct ct_jnode *o, const char *key, int null_ok, char **out)
{
	const struct ct_jnode *v = ct_json_get(o, key);

	*out = NULL;
	if (v == NULL)
		return -1;
	if (v->type == CT_JNULL)
		return null_ok ? 0 : -1;
	if (v->type != CT_JSTRING || v->len > CT_DIGEST_MAX_STR ||
	    memchr(v->str, '\0', v->len) != NULL)
		return -1;
	*out = xstrndup(v->str, v->len);
	return 0;
}

void
ct_digest_free(struct ct_digest *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->account_id);
	free(d->end_text);
	free(d->bucket);
	free(d->object);
	free(d->prev_bucket);
	free(d->prev_object);
	free(d->prev_signature);
	free(d->fingerprint);
	free(d->sig_alg);
	for (i = 0; i < d->nlogs; i++) {
		free(d->logs[i].bucket);
		free(d->logs[i].object);
	}
	free(d->logs);
	memset(d, 0, sizeof(*d));
}

static int
parse_logs(const struct ct_jnode *arr, struct ct_digest *d,
    struct ct_buf *why)
{
	const struct ct_jnode *e;
	size_t i = 0;

	if (arr == NULL || arr->type != CT_JARRAY)
		return why_set(why, "%s", "logFiles is missing or not an array");
	if (arr->nchild > CT_DIGEST_MAX_LOGS)
		return why_set(why, "%s", "logFiles lists too many files");
	d->logs = xcalloc(arr->nchild ? arr->nchild : 1, sizeof(*d->logs));
	for (e = arr->child; e != NULL; e = e->next, i++) {
		struct ct_digest_log *l = &d->logs[d->nlogs];
		const char *alg, *hv;

		if (e->type != CT_JOBJECT)
			return why_set(why, "%s", "a logFiles entry is not an object");
		d->nlogs++;
		if (get_str(e, "s3Bucket", 0, &l->bucket) != 0 ||
		    get_str(e, "s3Object", 0, &l->object) != 0 ||
		    l->bucket[0] == '\0' || l->object[0] == '\0')
			return why_set(why, "%s",
			    "a logFiles entry lacks s3Bucket or s3Object");
		alg = ct_json_get_str(e, "hashAlgorithm");
		hv = ct_json_get_str(e, "hashValue");
		if (alg == NULL || strcmp(alg, "SHA-256") != 0)
			return why_set(why, "%s",
			    "a logFiles entry's hashAlgorithm is not SHA-256");
		if (hv == NULL || ct_hex_decode(hv, strlen(hv), l->hash, 32))
			return why_set(why, "%s",
			    "a logFiles entry's hashValue is not 64 hex digits");
	}
	return 0;
}

static int
parse_time(const struct ct_jnode *o, const char *key, char **text,
    int64_t *t)
{
	char *s;

	if (get_str(o, key, 0, &s) != 0)
		return -1;
	if (ct_time_parse(s, strlen(s), t) != 0) {
		free(s);
		return -1;
	}
	if (text != NULL)
		*text = s;
	else
		free(s);
	return 0;
}

int
ct_digest_parse(const char *text, size_t n, struct ct_digest *d,
    struct ct_buf *why)
{
	struct ct_jdoc *doc;
	const struct ct_jnode *r, *v;
	struct ct_buf err;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if (n > CT_DIGEST_MAX_SIZE)
		return why_set(why, "%s", "digest larger than 64 MiB");
	ct_buf_init(&err, 256);
	doc = ct_json_parse(text, n, &err);
	if (doc == NULL) {
		why_set(why, "digest is not JSON: %s",
		    err.data ? err.data : "?");
		ct_buf_free(&err);
		return -1;
	}
	ct_buf_free(&err);
	r = ct_json_root(doc);
	if (r->type != CT_JOBJECT) {
		why_set(why, "%s", "digest is not a JSON object");
		goto out;
	}
	if (get_str(r, "digestS3Bucket", 0, &d->bucket) != 0 ||
	    get_str(r, "digestS3Object", 0, &d->object) != 0 ||
	    get_str(r, "digestPublicKeyFingerprint", 0, &d->fingerprint) ||
	    get_str(r, "previousDigestSignature", 1, &d->prev_signature)) {
		why_set(why, "%s", "digest lacks digestS3Bucket, digestS3Object, "
		    "digestPublicKeyFingerprint or previousDigestSignature");
		goto out;
	}
	if (parse_time(r, "digestStartTime", NULL, &d->start) != 0 ||
	    parse_time(r, "digestEndTime", &d->end_text, &d->end) != 0) {
		why_set(why, "%s", "digest lacks a readable digestStartTime or "
		    "digestEndTime");
		goto out;
	}
	/* Optional or nullable: absent and null read the same. */
	(void)get_str(r, "awsAccountId", 1, &d->account_id);
	(void)get_str(r, "digestSignatureAlgorithm", 1, &d->sig_alg);
	(void)get_str(r, "previousDigestS3Bucket", 1, &d->prev_bucket);
	(void)get_str(r, "previousDigestS3Object", 1, &d->prev_object);
	v = ct_json_get(r, "previousDigestHashValue");
	if (v != NULL && v->type == CT_JSTRING) {
		if (ct_hex_decode(v->str, v->len, d->prev_hash, 32) != 0) {
			why_set(why, "%s", "previousDigestHashValue is not 64 "
			    "hex digits");
			goto out;
		}
		d->has_prev_hash = 1;
	} else if (v != NULL && v->type != CT_JNULL) {
		why_set(why, "%s", "previousDigestHashValue is not a string");
		goto out;
	}
	if (parse_logs(ct_json_get(r, "logFiles"), d, why) != 0)
		goto out;
	if (EVP_Digest(text, n, d->sha256, NULL, EVP_sha256(), NULL) != 1) {
		why_set(why, "%s", "SHA-256 failed");
		goto out;
	}
	rc = 0;
out:
	ct_json_free(doc);
	return rc;
}

int
ct_digest_string_to_sign(const struct ct_digest *d, struct ct_buf *out)
{
	char hex[65];

	ct_hex_encode(d->sha256, 32, hex);
	return ct_buf_printf(out, "%s\n%s/%s\n%s\n%s", d->end_text, d->bucket,
	    d->object, hex, d->prev_signature ? d->prev_signature : "null");
}

int
ct_digest_verify(const struct ct_digest *d, const char *sig_hex,
    const char *alg, const unsigned char *der, size_t dern,
    struct ct_buf *why)
{
	unsigned char *sig = NULL;
	const unsigned char *p = der;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	struct ct_buf msg;
	size_t hexn, sign;
	int rc = -1, vr;

	if (alg != NULL && strcmp(alg, "SHA256withRSA") != 0) {
		why_set(why, "unknown signature algorithm %s",
		    strlen(alg) < 64 ? alg : "(too long)");
		return 1;
	}
	hexn = sig_hex ? strlen(sig_hex) : 0;
	if (hexn == 0 || hexn > CT_DIGEST_MAX_SIGHEX || hexn % 2 != 0) {
		why_set(why, "%s", "the signature is not hex of a usable length");
		return 1;
	}
	sign = hexn / 2;
	sig = xmalloc(sign);
	if (ct_hex_decode(sig_hex, hexn, sig, sign) != 0) {
		free(sig);
		why_set(why, "%s", "the signature is not hex");
		return 1;
	}
	if (dern == 0 || dern > CT_PUBKEY_MAX_DER ||
	    (key = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)dern)) == NULL ||
	    p != der + dern) {
		EVP_PKEY_free(key);
		free(sig);
		why_set(why, "%s", "the public key is not a PKCS #1 RSA key");
		return 1;
	}
	ct_buf_init(&msg, 3 * CT_DIGEST_MAX_STR + CT_DIGEST_MAX_SIGHEX + 256);
	if (ct_digest_string_to_sign(d, &msg) != 0) {
		why_set(why, "%s", "the string to sign is too long");
		rc = 1;
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) != 1) {
		why_set(why, "%s", "OpenSSL cannot start a verification");
		goto out;
	}
	vr = EVP_DigestVerify(ctx, sig, sign, (const unsigned char *)msg.data,
	    msg.len);
	if (vr == 1)
		rc = 0;
	else {
		why_set(why, "%s", "the signature does not verify");
		rc = 1;
	}
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	ct_buf_free(&msg);
	free(sig);
	return rc;
}

void
ct_pubkeys_init(struct ct_pubkeys *k)
{
	memset(k, 0, sizeof(*k));
}

static void
pubkey_clear(struct ct_pubkey *p)
{
	free(p->fingerprint);
	free(p->der);
}

void
ct_pubkeys_free(struct ct_pubkeys *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		pubkey_clear(&k->v[i]);
	free(k->v);
	free(k->next_token);
	memset(k, 0, sizeof(*k));
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode base64 p[0..n) into a new buffer (*outn bytes), skipping
 * characters outside the alphabet and stopping at padding, as Python's
 * b64decode(validate=False) does; the count of alphabet characters must
 * leave no lone sixth bit group (Python: "Incorrect padding").  NULL if
 * not base64 or the result is over max.
 */
static unsigned char *
b64_decode(const unsigned char *p, size_t n, size_t max, size_t *outn)
{
	unsigned char *out = xmalloc(n / 4 * 3 + 3);
	size_t i, o = 0, q = 0;
	uint32_t acc = 0;

	for (i = 0; i < n; i++) {
		int v;

		if (p[i] == '=')
			break;
		if ((v = b64val(p[i])) < 0)
			continue;
		acc = acc << 6 | (uint32_t)v;
		if (++q == 4) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
			q = 0;
		}
	}
	if (q == 1)
		goto bad;
	if (q == 2)
		out[o++] = (unsigned char)(acc >> 4);
	else if (q == 3) {
		out[o++] = (unsigned char)(acc >> 10);
		out[o++] = (unsigned char)(acc >> 2);
	}
	if (o == 0 || o > max)
		goto bad;
	*outn = o;
	return out;
bad:
	free(out);
	return NULL;
}

static int
key_time(const struct ct_jnode *o, const char *key, int64_t *t)
{
	const struct ct_jnode *v = ct_json_get(o, key);

	if (v == NULL || (v->type != CT_JNUMBER && v->type != CT_JSTRING))
		return -1;
	return ct_time_parse(v->str, v->len, t);
}

int
ct_pubkeys_parse(const char *text, size_t n, struct ct_pubkeys *k,
    struct ct_buf *why)
{
	struct ct_jdoc *doc;
	const struct ct_jnode *r, *list, *e;
	struct ct_pubkey *nv = NULL;
	size_t nn = 0, i;
	char *tok = NULL;
	struct ct_buf err;
	int rc = -1;

	if (n > ((size_t)16 << 20))
		return why_set(why, "%s", "ListPublicKeys answer over 16 MiB");
	ct_buf_init(&err, 256);
	doc = ct_json_parse(text, n, &err);
	if (doc == NULL) {
		why_set(why, "ListPublicKeys answer is not JSON: %s",
		    err.data ? err.data : "?");
		ct_buf_free(&err);
		return -1;
	}
	ct_buf_free(&err);
	r = ct_json_root(doc);
	list = r->type == CT_JOBJECT ? ct_json_get(r, "PublicKeyList") : NULL;
	if (list == NULL || list->type != CT_JARRAY) {
		why_set(why, "%s", "no PublicKeyList array");
		goto out;
	}
	if (list->nchild > CT_PUBKEYS_MAX - k->n) {
		why_set(why, "%s", "too many public keys");
		goto out;
	}
	nv = xcalloc(list->nchild ? list->nchild : 1, sizeof(*nv));
	for (e = list->child; e != NULL; e = e->next) {
		struct ct_pubkey *p = &nv[nn];
		const struct ct_jnode *val;
		unsigned char *b64;
		size_t b64n;

		if (e->type != CT_JOBJECT) {
			why_set(why, "%s", "a PublicKeyList entry is not an object");
			goto out;
		}
		nn++;
		if (get_str(e, "Fingerprint", 0, &p->fingerprint) != 0 ||
		    p->fingerprint[0] == '\0') {
			why_set(why, "%s", "a public key lacks its Fingerprint");
			goto out;
		}
		if (key_time(e, "ValidityStartTime", &p->valid_from) != 0 ||
		    key_time(e, "ValidityEndTime", &p->valid_to) != 0) {
			why_set(why, "%s", "a public key lacks a readable "
			    "ValidityStartTime or ValidityEndTime");
			goto out;
		}
		val = ct_json_get(e, "Value");
		if (val == NULL || val->type != CT_JSTRING ||
		    (b64 = b64_decode((const unsigned char *)val->str, val->len,
		    2 * CT_PUBKEY_MAX_DER, &b64n)) == NULL) {
			why_set(why, "%s", "a public key's Value is not base64");
			goto out;
		}
		/* The AWS CLI keeps blobs as their base64 text, so
		 * validate-logs decodes Value once: the wire's base64 is
		 * of the DER key itself (a SEQUENCE, 0x30).  Anything else
		 * is taken as base64 text once more. */
		if (b64n > 0 && b64[0] == 0x30 && b64n <= CT_PUBKEY_MAX_DER) {
			p->der = b64;
			p->dern = b64n;
			b64 = NULL;
		} else
			p->der = b64_decode(b64, b64n, CT_PUBKEY_MAX_DER,
			    &p->dern);
		free(b64);
		if (p->der == NULL) {
			why_set(why, "%s", "a public key's Value is not base64 "
			    "of base64 text");
			goto out;
		}
	}
	if (get_str(r, "NextToken", 1, &tok) != 0 &&
	    ct_json_get(r, "NextToken") != NULL) {
		why_set(why, "%s", "NextToken is not a string");
		goto out;
	}
	if (nn > 0) {
		k->v = xrealloc(k->v, (k->n + nn) * sizeof(*k->v));
		memcpy(k->v + k->n, nv, nn * sizeof(*nv));
		k->n += nn;
		nn = 0;
	}
	free(k->next_token);
	k->next_token = tok;
	tok = NULL;
	rc = 0;
out:
	for (i = 0; i < nn; i++)
		pubkey_clear(&nv[i]);
	free(nv);
	free(tok);
	ct_json_free(doc);
	return rc;
}

const struct ct_pubkey *
ct_pubkeys_find(const struct ct_pubkeys *k, const char *fingerprint)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->v[i].fingerprint, fingerprint) == 0)
			return &k->v[i];
	return NULL;
}
