/* test_integrity.c - the verdicts of log file integrity validation on a
 * chain of four signed hourly digests (made as CloudTrail makes them,
 * ctsign.h) listing two log files each: untouched all valid; a modified,
 * a missing, an inserted, a pending log; a deleted, an unreadable, a
 * badly signed digest; a chain broken by a changed digest; two keys in
 * rotation; signatures not checked; a synced tree without bucket. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "ctsign.h"
#include "integrity.h"

#define ACC	"111122223333"
#define REG	"eu-west-1"
#define H0	((int64_t)1796601600)	/* 2026-12-07T00:00:00Z */
#define ND	5			/* D0 (before the window) .. D4 */

struct world {
	char		 dkey[ND][200];
	struct ct_buf	 text[ND];
	char		*sig[ND];
	struct ts_log	 logs[ND][2];
	char		 lkey[ND][2][200];
	char		 content[ND][2][32];
};

static void
dkey(char *out, int64_t end)
{
	char s[21];

	ts_iso(end, s);
	sprintf(out, "AWSLogs/" ACC "/CloudTrail-Digest/" REG "/2026/12/07/" ACC
	    "_CloudTrail-Digest_" REG "_trail_" REG "_%.4s%.2s%.2sT%.2s%.2s%.2sZ"
	    ".json.gz", s, s + 5, s + 8, s + 11, s + 14, s + 17);
}

static void
lkey(char *out, int64_t t, const char *uniq)
{
	char s[21];

	ts_iso(t, s);
	sprintf(out, "AWSLogs/" ACC "/CloudTrail/" REG "/2026/12/07/" ACC
	    "_CloudTrail_" REG "_%.4s%.2s%.2sT%.2s%.2sZ_%s.json.gz", s, s + 5,
	    s + 8, s + 11, s + 14, uniq);
}

/* Digest i signs with a (i < 3) or b, fingerprints "fpA" / "fpB". */
static void
build(struct world *w, EVP_PKEY *a, EVP_PKEY *b)
{
	int i, j;

	for (i = 0; i < ND; i++) {
		int64_t end = H0 + (int64_t)i * 3600;
		char e[21], ph[65], u[32];

		ct_buf_init(&w->text[i], 0);
		dkey(w->dkey[i], end);
		for (j = 0; j < 2; j++) {
			snprintf(u, sizeof(u), "x%d%d", i, j);
			lkey(w->lkey[i][j], end - 3600 + 300 + j * 1800, u);
			snprintf(w->content[i][j], sizeof(w->content[i][j]),
			    "{\"Records\":[%d]}", 10 * i + j);
			w->logs[i][j].key = w->lkey[i][j];
			ts_sha_hex(w->content[i][j], strlen(w->content[i][j]),
			    w->logs[i][j].hash);
		}
		if (i > 0)
			ts_sha_hex(w->text[i - 1].data, w->text[i - 1].len, ph);
		ts_digest(&w->text[i], w->dkey[i], end - 3600, end,
		    i ? w->dkey[i - 1] : NULL, ph, i ? w->sig[i - 1] : NULL,
		    i < 3 ? "fpA" : "fpB", w->logs[i], 2);
		ts_iso(end, e);
		w->sig[i] = ts_sign(i < 3 ? a : b, w->text[i].data,
		    w->text[i].len, e, w->dkey[i], i ? w->sig[i - 1] : NULL);
	}
}

static void
world_free(struct world *w)
{
	int i;

	for (i = 0; i < ND; i++) {
		ct_buf_free(&w->text[i]);
		free(w->sig[i]);
	}
}

/* What a scenario changes: a digest left out, unreadable, without
 * signature, with a corrupted one; a log not fed, fed with another hash. */
struct scen {
	int	skip_d, null_d, nosig_d, badsig_d;
	int	skip_l, mod_l;		/* 10 * digest + log, or -1 */
	const char *prefix;		/* tree mode: path prefix */
};
static const struct scen NONE = { 0, 0, 0, 0, -1, -1, NULL };

static struct ct_integ *
start(struct world *w, enum ct_sigmode mode, const struct ct_pubkey *keys,
    size_t nk, const struct scen *sc)
{
	struct ct_integ *ig = ct_integ_new(mode, H0, H0 + 4 * 3600,
	    sc->prefix ? CT_INTEG_NO_BUCKET : 0);
	const char *b = sc->prefix ? NULL : "b";
	char path[300], badsig[600];
	size_t i;
	int d, j;

	for (i = 0; i < nk; i++)
		ct_integ_add_key(ig, &keys[i]);
	for (d = 1; d < ND; d++) {
		const char *sig = w->sig[d];

		if (d == sc->skip_d)
			continue;
		if (d == sc->nosig_d)
			sig = NULL;
		if (d == sc->badsig_d) {
			snprintf(badsig, sizeof(badsig), "%s", sig);
			badsig[7] = badsig[7] == 'a' ? 'b' : 'a';
			sig = badsig;
		}
		snprintf(path, sizeof(path), "%s%s", sc->prefix ? sc->prefix :
		    "", w->dkey[d]);
		ct_integ_add_digest(ig, b, path, d == sc->null_d ? NULL :
		    w->text[d].data, w->text[d].len, sig, "SHA256withRSA");
	}
	ct_integ_seal(ig);
	for (d = 1; d < ND; d++)
		for (j = 0; j < 2; j++) {
			unsigned char h[32];

			if (10 * d + j == sc->skip_l)
				continue;
			EVP_Digest(w->content[d][j], strlen(w->content[d][j]), h,
			    NULL, EVP_sha256(), NULL);
			if (10 * d + j == sc->mod_l)
				h[0] ^= 1;
			snprintf(path, sizeof(path), "%s%s", sc->prefix ?
			    sc->prefix : "", w->lkey[d][j]);
			ct_integ_log(ig, b, path, h, INT64_MIN);
		}
	return ig;
}

/* The counts of ACC/REG as "L valid/modified/missing/not_covered/pending
 * D valid/invalid_signature/missing/unreadable". */
static const char *
counts(const struct ct_integ *ig)
{
	static char s[128];
	struct ct_integ_counts c;

	ct_integ_counts(ig, ACC, REG, &c);
	snprintf(s, sizeof(s), "L %llu/%llu/%llu/%llu/%llu D %llu/%llu/%llu/%llu",
	    (unsigned long long)c.log[0], (unsigned long long)c.log[1],
	    (unsigned long long)c.log[2], (unsigned long long)c.log[3],
	    (unsigned long long)c.log[4], (unsigned long long)c.digest[0],
	    (unsigned long long)c.digest[1], (unsigned long long)c.digest[2],
	    (unsigned long long)c.digest[3]);
	return s;
}

/* The bad objects not yet drained, one "kind verdict object" a line. */
static const char *
bads(struct ct_integ *ig)
{
	static struct ct_buf b;
	struct ct_integ_bad x;

	ct_buf_free(&b);
	ct_buf_init(&b, 0);
	ct_buf_adds(&b, "");
	while (ct_integ_next_bad(ig, &x))
		ct_buf_printf(&b, "%s %s %s\n", x.is_digest ? "digest" : "log",
		    x.is_digest ? ct_digv_name(x.verdict) :
		    ct_logv_name(x.verdict), x.object);
	return b.data;
}

static void
free_bads(void)
{
	struct ct_integ *ig = ct_integ_new(CT_SIG_NOT_CHECKED, 0, 1, 0);

	(void)bads(ig);
	ct_integ_free(ig);
}

int
main(void)
{
	EVP_PKEY *a = ts_key(), *b = ts_key();
	struct ct_pubkey keys[2];
	struct world w;
	struct ct_integ *ig;
	struct scen sc;
	char want[600], path[300];
	unsigned char h[32];

	keys[0] = ts_pubkey(a, "fpA", H0 - 86400, H0 + 3 * 3600);
	keys[1] = ts_pubkey(b, "fpB", H0 + 2 * 3600, H0 + 86400);
	build(&w, a, b);

	/* Untouched. */
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &NONE);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 8/0/0/0/0 D 4/0/0/0", "untouched: every "
	    "log and digest valid");
	CHECK_STR(bads(ig), "", "untouched: no bad object");
	ct_integ_free(ig);

	/* Modified log: known as soon as it is fed. */
	sc = NONE;
	sc.mod_l = 21;
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
	EVP_Digest("x", 1, h, NULL, EVP_sha256(), NULL);
	CHECK(ct_integ_log(ig, "b", w.lkey[2][1], h, INT64_MIN) ==
	    CT_LOGV_MODIFIED, "a log's verdict at once, and again the same");
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 7/1/0/0/0 D 4/0/0/0", "modified log counted "
	    "once");
	snprintf(want, sizeof(want), "log modified s3://b/%s\n", w.lkey[2][1]);
	CHECK_STR(bads(ig), want, "the modified log is named");
	ct_integ_free(ig);

	/* The control records of the contract. */
	{
		struct ct_integ_bad x;
		struct ct_buf rec;
		char w2[900];

		sc = NONE;
		sc.mod_l = 21;
		ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
		ct_integ_finish(ig);
		ct_buf_init(&rec, 0);
		CHECK(ct_integ_next_bad(ig, &x) == 1, "one bad object");
		ct_integ_write_bad(&rec, &x, 12);
		snprintf(w2, sizeof(w2), "{\"ctFetch\":\"integrity\",\"version\":1,"
		    "\"accountId\":\"" ACC "\",\"region\":\"" REG "\",\"kind\":"
		    "\"log\",\"verdict\":\"modified\",\"object\":\"s3://b/%s\","
		    "\"records\":12}\n", w.lkey[2][1]);
		CHECK_STR(rec.data, w2, "an integrity record");
		ct_buf_reset(&rec);
		ct_integ_write_verified(&rec, ig, ACC, REG, 12, 3);
		CHECK_STR(rec.data, "{\"ctFetch\":\"verified\",\"version\":1,"
		    "\"accountId\":\"" ACC "\",\"region\":\"" REG "\",\"window\":"
		    "{\"start\":\"2026-12-07T00:00:00Z\",\"end\":"
		    "\"2026-12-07T04:00:00Z\"},\"signatures\":\"checked\","
		    "\"logFiles\":{\"valid\":7,\"modified\":1,\"missing\":0,"
		    "\"not_covered\":0,\"pending\":0},\"digests\":{\"valid\":4,"
		    "\"invalid_signature\":0,\"missing\":0,\"unreadable\":0},"
		    "\"recordsExcluded\":12,\"recordsFlagged\":3}\n",
		    "a verified record");
		ct_buf_free(&rec);
		ct_integ_free(ig);
	}

	/* Missing log: after finish. */
	sc = NONE;
	sc.skip_l = 30;
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
	CHECK_STR(counts(ig), "L 7/0/0/0/0 D 4/0/0/0", "missing: not before "
	    "finish");
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 7/0/1/0/0 D 4/0/0/0", "missing log");
	snprintf(want, sizeof(want), "log missing s3://b/%s\n", w.lkey[3][0]);
	CHECK_STR(bads(ig), want, "the missing log is named");
	ct_integ_free(ig);

	/* Inserted log (not_covered), pending logs. */
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &NONE);
	lkey(path, H0 + 3600 + 600, "ins");
	CHECK(ct_integ_log(ig, "b", path, h, INT64_MIN) == CT_LOGV_NOT_COVERED,
	    "a log inserted in a covered hour: not_covered");
	snprintf(want, sizeof(want), "log not_covered s3://b/%s\n", path);
	lkey(path, H0 + 4 * 3600 + 120, "new");
	CHECK(ct_integ_log(ig, "b", path, h, INT64_MIN) == CT_LOGV_PENDING,
	    "a log after the newest digest: pending");
	lkey(path, H0 + 4 * 3600 - 300, "late");
	CHECK(ct_integ_log(ig, "b", path, h, INT64_MIN) == CT_LOGV_PENDING,
	    "named 5 minutes before the newest digest's end: pending "
	    "(delivered after it)");
	lkey(path, H0 + 3 * 3600, "dlv");
	CHECK(ct_integ_log(ig, "b", path, h, H0 + 4 * 3600) ==
	    CT_LOGV_PENDING, "delivery time given, at the newest end: pending");
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 8/0/0/1/3 D 4/0/0/0", "inserted and pending");
	CHECK_STR(bads(ig), want, "only the inserted log is bad");
	ct_integ_free(ig);

	/* Deleted digest: a gap, its logs no longer covered. */
	sc = NONE;
	sc.skip_d = 2;
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 6/0/0/2/0 D 3/0/1/0", "deleted digest: "
	    "missing, its two logs not_covered");
	snprintf(want, sizeof(want), "digest missing s3://b/%s\n",
	    w.dkey[2]);
	CHECK(strstr(bads(ig), want) != NULL, "the deleted digest is named");
	ct_integ_free(ig);

	/* Corrupted signature. */
	sc = NONE;
	sc.badsig_d = 3;
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 6/0/0/2/0 D 3/1/0/0", "corrupted signature: "
	    "invalid_signature, its logs not_covered");
	snprintf(want, sizeof(want), "digest invalid_signature s3://b/%s\n",
	    w.dkey[3]);
	CHECK(strncmp(bads(ig), want, strlen(want)) == 0, "the digest is "
	    "named");
	ct_integ_free(ig);

	/* Signatures not checked: the same corruption goes unseen. */
	ig = start(&w, CT_SIG_NOT_CHECKED, NULL, 0, &sc);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 8/0/0/0/0 D 4/0/0/0", "not_checked: the "
	    "chain by hash only");
	CHECK_STR(ct_sigmode_name(CT_SIG_NOT_CHECKED), "not_checked",
	    "mode name");
	ct_integ_free(ig);

	/* Broken chain: digest 2 rewritten to hide a modified log (no key
	 * needed without signatures); digest 3 still names the old hash. */
	{
		struct world v = w;
		struct ct_buf t2;
		struct ts_log lg[2];
		char ph[65];

		memcpy(lg, w.logs[2], sizeof(lg));
		ts_sha_hex("forged", 6, lg[1].hash);
		ts_sha_hex(w.text[1].data, w.text[1].len, ph);
		ct_buf_init(&t2, 0);
		ts_digest(&t2, w.dkey[2], H0 + 3600, H0 + 7200, w.dkey[1], ph,
		    w.sig[1], "fpA", lg, 2);
		v.text[2] = t2;
		sc = NONE;
		sc.skip_l = 21;
		ig = start(&v, CT_SIG_NOT_CHECKED, NULL, 0, &sc);
		EVP_Digest("forged", 6, h, NULL, EVP_sha256(), NULL);
		CHECK(ct_integ_log(ig, "b", w.lkey[2][1], h, INT64_MIN) ==
		    CT_LOGV_NOT_COVERED, "the forged hash is not trusted");
		ct_integ_finish(ig);
		CHECK_STR(counts(ig), "L 6/0/0/2/0 D 3/1/0/0", "broken chain: "
		    "the changed digest invalid, its logs not_covered");
		ct_integ_free(ig);
		ct_buf_free(&t2);
	}

	/* Unreadable digest; a digest without signature. */
	sc = NONE;
	sc.null_d = 2;
	sc.nosig_d = 4;
	ig = start(&w, CT_SIG_CHECKED, keys, 2, &sc);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 4/0/0/4/0 D 2/0/0/2", "unreadable and "
	    "unsigned digests; their logs not_covered");
	ct_integ_free(ig);

	/* Key rotation: only the first key given. */
	ig = start(&w, CT_SIG_CHECKED, keys, 1, &NONE);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 4/0/0/4/0 D 2/2/0/0", "rotation: without "
	    "the second key its two digests are invalid");
	ct_integ_free(ig);

	/* A synced tree: no bucket, paths under a folder. */
	sc = NONE;
	sc.prefix = "/tmp/sync/";
	sc.skip_l = 11;
	ig = start(&w, CT_SIG_NOT_CHECKED, NULL, 0, &sc);
	ct_integ_finish(ig);
	CHECK_STR(counts(ig), "L 7/0/1/0/0 D 4/0/0/0", "a tree: matched by "
	    "the path from AWSLogs/ on");
	snprintf(want, sizeof(want), "log missing s3://b/%s\n", w.lkey[1][1]);
	CHECK_STR(bads(ig), want, "the missing log named by its S3 name");
	ct_integ_free(ig);
	ig = ct_integ_new(CT_SIG_NOT_CHECKED, H0, H0 + 3600, 0);
	ct_integ_add_digest(ig, "b", w.dkey[2], w.text[1].data, w.text[1].len,
	    NULL, NULL);
	ct_integ_seal(ig);
	CHECK(strstr(bads(ig), "digest invalid_signature") != NULL,
	    "a digest found where it does not belong: invalid");
	ct_integ_free(ig);

	/* Keys. */
	{
		char acc[64], reg[64];
		int64_t t;
		int isd;

		CHECK(ct_integ_parse_key(w.lkey[1][0], acc, reg, &t, &isd) == 0 &&
		    strcmp(acc, ACC) == 0 && strcmp(reg, REG) == 0 && !isd &&
		    t == H0 + 300, "a log key: account, region, stamp");
		CHECK(ct_integ_parse_key("p/AWSLogs/o-abc/" ACC "/CloudTrail-"
		    "Digest/us-east-1/2026/12/07/" ACC "_CloudTrail-Digest_us-"
		    "east-1_t_us-east-1_20261207T010203Z.json.gz", acc, reg, &t,
		    &isd) == 0 && strcmp(acc, ACC) == 0 && isd &&
		    t == H0 + 3723, "an organization's digest key");
		CHECK(ct_integ_parse_key("AWSLogs/x/Other/r/y", acc, reg, &t,
		    &isd) == -1, "not a CloudTrail key");
	}

	free_bads();
	world_free(&w);
	free(keys[0].der);
	free(keys[0].fingerprint);
	free(keys[1].der);
	free(keys[1].fingerprint);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return check_done();
}
