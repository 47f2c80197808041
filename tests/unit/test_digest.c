/* test_digest.c - a CloudTrail digest read into its fields, the string
 * CloudTrail signs (byte for byte as validate-logs builds it), a real
 * SHA256withRSA signature checked (and a bad one refused), a
 * ListPublicKeys answer read with its doubly base64 key; bad input
 * refused with a reason. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "ctsign.h"
#include "digest.h"
#include "hex.h"

#define K1 "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/12/07/" \
    "111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261207T020000Z.json.gz"
#define K0 "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/12/07/" \
    "111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261207T010000Z.json.gz"
#define L1 "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/07/" \
    "111122223333_CloudTrail_eu-west-1_20261207T0105Z_abc.json.gz"

static int
parses(const char *text, struct ct_buf *why)
{
	struct ct_digest d;
	int rc = ct_digest_parse(text, strlen(text), &d, why);

	ct_digest_free(&d);
	return rc;
}

int
main(void)
{
	EVP_PKEY *k = ts_key(), *other = ts_key();
	struct ct_pubkey pk = ts_pubkey(k, "fp1", 1000, 2000);
	struct ct_pubkey po = ts_pubkey(other, "fp2", 1000, 2000);
	struct ct_buf t, why, s;
	struct ct_digest d;
	struct ts_log lg = { L1, "" };
	struct ct_pubkeys keys;
	char hex[65], *sig, *bad;
	int64_t h1 = 1796605200;	/* 2026-12-07T01:00:00Z */
	const char *prevsig = "ab12";

	ct_buf_init(&t, 0);
	ct_buf_init(&why, 0);
	ct_buf_init(&s, 0);
	ts_sha_hex("log text", 8, lg.hash);
	ts_sha_hex("prev", 4, hex);
	ts_digest(&t, K1, h1, h1 + 3600, K0, hex, prevsig, "fp1", &lg, 1);

	CHECK(ct_digest_parse(t.data, t.len, &d, &why) == 0, "a digest parses");
	CHECK_STR(d.bucket, "b", "digestS3Bucket");
	CHECK_STR(d.object, K1, "digestS3Object");
	CHECK_STR(d.account_id, "111122223333", "awsAccountId");
	CHECK(d.start == h1 && d.end == h1 + 3600, "start and end as epoch");
	CHECK_STR(d.prev_object, K0, "previousDigestS3Object");
	CHECK_STR(d.prev_signature, prevsig, "previousDigestSignature");
	CHECK_STR(d.fingerprint, "fp1", "digestPublicKeyFingerprint");
	CHECK(d.nlogs == 1 && strcmp(d.logs[0].object, L1) == 0,
	    "one log file listed");
	{
		char lh[65];

		ct_hex_encode(d.logs[0].hash, 32, lh);
		CHECK_STR(lh, lg.hash, "its hash");
		ct_hex_encode(d.prev_hash, 32, lh);
		CHECK(d.has_prev_hash && strcmp(lh, hex) == 0,
		    "previousDigestHashValue");
		ts_sha_hex(t.data, t.len, lh);
		ct_buf_printf(&s, "2026-12-07T02:00:00Z\nb/%s\n%s\nab12", K1, lh);
	}
	{
		struct ct_buf m;

		ct_buf_init(&m, 0);
		CHECK(ct_digest_string_to_sign(&d, &m) == 0 &&
		    strcmp(m.data, s.data) == 0, "the string to sign: end "
		    "time, bucket/key, SHA-256 of the text, previous signature");
		ct_buf_free(&m);
	}
	sig = ts_sign(k, t.data, t.len, "2026-12-07T02:00:00Z", K1, prevsig);
	CHECK(ct_digest_verify(&d, sig, "SHA256withRSA", pk.der, pk.dern,
	    &why) == 0, "CloudTrail's signature verifies");
	CHECK(ct_digest_verify(&d, sig, NULL, pk.der, pk.dern, &why) == 0,
	    "no algorithm given: SHA256withRSA");
	CHECK(ct_digest_verify(&d, sig, "SHA1withRSA", pk.der, pk.dern,
	    &why) == 1, "another algorithm is refused");
	CHECK(ct_digest_verify(&d, sig, NULL, po.der, po.dern, &why) == 1 &&
	    strstr(why.data, "does not verify") != NULL, "another key: "
	    "does not verify");
	bad = strdup(sig);
	bad[10] = bad[10] == '0' ? '1' : '0';
	CHECK(ct_digest_verify(&d, bad, NULL, pk.der, pk.dern, &why) == 1,
	    "one hex digit changed: does not verify");
	CHECK(ct_digest_verify(&d, "zz", NULL, pk.der, pk.dern, &why) == 1 &&
	    ct_digest_verify(&d, "", NULL, pk.der, pk.dern, &why) == 1 &&
	    ct_digest_verify(&d, NULL, NULL, pk.der, pk.dern, &why) == 1,
	    "not hex, empty or absent: refused");
	CHECK(ct_digest_verify(&d, sig, NULL, (const unsigned char *)"xyz",
	    3, &why) == 1 && strstr(why.data, "PKCS #1") != NULL,
	    "a key that is not DER: refused");
	ct_digest_free(&d);

	/* The text changed after signing: the same signature fails. */
	strstr(t.data, "111122223333")[11] = '4';
	CHECK(ct_digest_parse(t.data, t.len, &d, &why) == 0 &&
	    ct_digest_verify(&d, sig, NULL, pk.der, pk.dern, &why) == 1,
	    "a digest changed after signing does not verify");
	ct_digest_free(&d);

	/* The first digest: previousDigestSignature null signs as "null". */
	ts_digest(&t, K0, h1 - 3600, h1, NULL, NULL, NULL, "fp1", NULL, 0);
	free(sig);
	sig = ts_sign(k, t.data, t.len, "2026-12-07T01:00:00Z", K0, NULL);
	CHECK(ct_digest_parse(t.data, t.len, &d, &why) == 0 &&
	    d.prev_object == NULL && d.prev_signature == NULL &&
	    !d.has_prev_hash && d.nlogs == 0 &&
	    ct_digest_verify(&d, sig, NULL, pk.der, pk.dern, &why) == 0,
	    "the first digest of a chain (null previous, no logs) verifies");
	ct_digest_free(&d);

	/* Refused with a reason. */
	CHECK(parses("{", &why) == -1 && strstr(why.data, "not JSON"),
	    "not JSON");
	CHECK(parses("[]", &why) == -1, "not an object");
	CHECK(parses("{\"digestS3Bucket\":\"b\"}", &why) == -1 &&
	    strstr(why.data, "lacks"), "required fields missing");
	ts_digest(&t, K1, h1, h1 + 3600, NULL, NULL, NULL, "fp1", &lg, 1);
	{
		char *p = strstr(t.data, lg.hash);

		p[5] = 'g';
		CHECK(parses(t.data, &why) == -1 && strstr(why.data, "hashValue"),
		    "a hashValue that is not hex");
		p[5] = 'a';
		p = strstr(t.data, "\"SHA-256\"");
		memcpy(p, "\"SHA-512\"", 9);
		CHECK(parses(t.data, &why) == -1 &&
		    strstr(why.data, "hashAlgorithm"), "another hash algorithm");
		memcpy(p, "\"SHA-256\"", 9);
		p = strstr(t.data, "T02:00:00Z");
		p[1] = '3';
		CHECK(parses(t.data, &why) == -1 && strstr(why.data, "EndTime"),
		    "an end time that is no time (hour 32)");
	}

	/* ListPublicKeys: two pages add up; Value is base64 of base64. */
	ct_pubkeys_init(&keys);
	ct_buf_reset(&t);
	ct_buf_adds(&t, "{\"PublicKeyList\":[");
	ts_key_json(&t, &pk);
	ct_buf_adds(&t, "],\"NextToken\":\"n1\"}");
	CHECK(ct_pubkeys_parse(t.data, t.len, &keys, &why) == 0 &&
	    keys.n == 1 && strcmp(keys.next_token, "n1") == 0 &&
	    keys.v[0].valid_from == 1000 && keys.v[0].valid_to == 2000 &&
	    keys.v[0].dern == pk.dern &&
	    memcmp(keys.v[0].der, pk.der, pk.dern) == 0,
	    "a ListPublicKeys page: the DER key, times, NextToken");
	ct_buf_reset(&t);
	ct_buf_adds(&t, "{\"PublicKeyList\":[");
	ts_key_json(&t, &po);
	ct_buf_adds(&t, "]}");
	CHECK(ct_pubkeys_parse(t.data, t.len, &keys, &why) == 0 &&
	    keys.n == 2 && keys.next_token == NULL &&
	    ct_pubkeys_find(&keys, "fp2") != NULL &&
	    ct_pubkeys_find(&keys, "fp3") == NULL, "the next page adds up");
	ct_buf_reset(&t);
	ct_buf_adds(&t, "{\"PublicKeyList\":[{\"Value\":\"!!\","
	    "\"ValidityStartTime\":1,\"ValidityEndTime\":2,\"Fingerprint\":"
	    "\"f\"}]}");
	CHECK(ct_pubkeys_parse(t.data, t.len, &keys, &why) == -1 && keys.n == 2,
	    "a Value that is not base64: refused, the set unchanged");
	{
		const char *iso = "{\"PublicKeyList\":[{\"Value\":\"WVdKag==\","
		    "\"ValidityStartTime\":\"2026-12-07T00:00:00+00:00\","
		    "\"ValidityEndTime\":\"2026-12-08T00:00:00Z\","
		    "\"Fingerprint\":\"f9\"}]}";

		CHECK(ct_pubkeys_parse(iso, strlen(iso), &keys, &why) == 0 &&
		    keys.n == 3 && keys.v[2].valid_from == 1796601600 &&
		    keys.v[2].dern == 3 && memcmp(keys.v[2].der, "abc", 3) == 0,
		    "the CLI's output: ISO times; base64 of base64 of \"abc\"");
	}
	CHECK(ct_pubkeys_parse("{}", 2, &keys, &why) == -1 &&
	    strstr(why.data, "PublicKeyList"), "no PublicKeyList: refused");
	ct_pubkeys_free(&keys);

	free(sig);
	free(bad);
	free(pk.der);
	free(pk.fingerprint);
	free(po.der);
	free(po.fingerprint);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
	ct_buf_free(&t);
	ct_buf_free(&why);
	ct_buf_free(&s);
	return check_done();
}
