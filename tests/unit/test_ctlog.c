/* test_ctlog.c - CloudTrail log files read as they arrive: every record
 * once with its eventTime, whatever the split of the bytes; several gzip
 * members; a file cut short or corrupt is reported, not read as shorter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "buf.h"
#include "check.h"
#include "ctlog.h"
#include "xalloc.h"

struct got {
	struct ct_buf	ids;
	int64_t		times[8];
	int		n;
};

static int
on_rec(void *arg, const char *p, size_t n, int64_t t, unsigned flags)
{
	struct got *g = arg;

	ct_buf_add(&g->ids, p, n);
	ct_buf_addc(&g->ids, '\n');
	if (g->n < 8)
		g->times[g->n] = t;
	g->n++;
	return 0;
}

/* gzip s into out (appended: members add up). */
static size_t
gz(const char *s, unsigned char *out, size_t cap)
{
	z_stream z;
	size_t n;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)(uintptr_t)s;
	z.avail_in = (uInt)strlen(s);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

/* Feed f[0..n) in pieces of step bytes; 0/-1 of feed+finish. */
static int
run(const unsigned char *f, size_t n, size_t step, struct got *g,
    const char **why)
{
	struct ct_ctlog *l = ct_ctlog_new(on_rec, g);
	size_t i;
	int rc = 0;

	ct_buf_reset(&g->ids);
	g->n = 0;
	for (i = 0; i < n && rc == 0; i += step)
		rc = ct_ctlog_feed(l, f + i, n - i < step ? n - i : step, why);
	if (rc == 0)
		rc = ct_ctlog_finish(l, why);
	ct_ctlog_free(l);
	return rc;
}

/* doc gzipped and read: as one member, inflated whole; or (two) as two
 * members, which go through the stream, fed byte by byte.  The stray
 * places counted, or -1 if the file failed; g->n the records. */
static long
strays(const char *doc, int two, struct got *g)
{
	static unsigned char f[4096];
	struct ct_ctlog *l = ct_ctlog_new(on_rec, g);
	const char *why;
	char half[256];
	size_t i, n, h = two ? strlen(doc) / 2 : strlen(doc), step;
	long rc = 0;

	memcpy(half, doc, h);
	half[h] = '\0';
	n = gz(half, f, sizeof f);
	if (two)
		n += gz(doc + h, f + n, sizeof f - n);
	step = two ? 1 : n;
	g->n = 0;
	for (i = 0; i < n && rc == 0; i += step)
		rc = ct_ctlog_feed(l, f + i, n - i < step ? n - i : step, &why);
	if (rc == 0)
		rc = ct_ctlog_finish(l, &why);
	if (rc == 0)
		rc = (long)ct_ctlog_stray(l);
	ct_ctlog_free(l);
	return rc;
}

int
main(void)
{
	static const char doc1[] = "{\"Records\":[{\"eventID\":\"a\","
	    "\"x\":{\"eventTime\":\"nested\"},\"eventTime\":"
	    "\"2024-01-01T00:00:10Z\",\"s\":\"}{\\\"]\"},"
	    "{\"eventTime\":\"2024-01-01T00:00:20Z\",\"eventID\":\"b\"}],"
	    "\"Other\":[{\"eventID\":\"no\"}]}";
	static const char doc2[] = " {\"Digest\":\"x\",\"Records\":[ {\"eventID\""
	    ":\"c\"} ] }\n";
	unsigned char f[4096];
	struct got g;
	const char *why = NULL;
	size_t n, n1;

	ct_buf_init(&g.ids, 0);
	n = gz(doc1, f, sizeof f);
	CHECK(run(f, n, n, &g, &why) == 0 && g.n == 2 &&
	    g.times[0] == 1704067210 && g.times[1] == 1704067220,
	    "two records with their top-level eventTime (not a nested one)");
	CHECK(g.ids.len > 0 && strstr(g.ids.data, "\"s\":\"}{\\\"]\"}\n") !=
	    NULL && strstr(g.ids.data, "\"no\"") == NULL,
	    "braces inside strings do not split; other arrays are not read");
	CHECK(run(f, n, 1, &g, &why) == 0 && g.n == 2, "fed byte by byte: "
	    "the same records");
	n1 = n;
	n += gz(doc2, f + n, sizeof f - n);
	(void)n1;
	CHECK(run(f, n, 7, &g, &why) != 0, "two documents in one file are "
	    "refused");
	n = gz(doc2, f, sizeof f);
	n += gz("", f + n, sizeof f - n);
	CHECK(run(f, n, 3, &g, &why) == 0 && g.n == 1 &&
	    g.times[0] == INT64_MIN, "several gzip members are one stream; "
	    "a record without eventTime");
	n = gz(doc1, f, sizeof f);
	CHECK(run(f, n - 4, 5, &g, &why) == -1 && why != NULL &&
	    strstr(why, "cut short") != NULL, "the trailer cut off: "
	    "reported as cut short");
	f[n - 6] ^= 1;
	CHECK(run(f, n, 5, &g, &why) == -1 && strstr(why, "corrupt") != NULL,
	    "a bad CRC is reported");
	CHECK(run((const unsigned char *)"{\"Records\":[]}", 14, 14, &g,
	    &why) == -1, "plain JSON (not gzip) is refused");

	/* a header CRC (FHCRC) is checked */
	{
		gz_header h;
		z_stream z;

		memset(&h, 0, sizeof(h));
		h.hcrc = 1;
		memset(&z, 0, sizeof(z));
		deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY);
		deflateSetHeader(&z, &h);
		z.next_in = (Bytef *)(uintptr_t)doc1;
		z.avail_in = (uInt)strlen(doc1);
		z.next_out = f;
		z.avail_out = sizeof(f);
		deflate(&z, Z_FINISH);
		n = sizeof(f) - z.avail_out;
		deflateEnd(&z);
		CHECK(run(f, n, n, &g, &why) == 0 && g.n == 2,
		    "a header CRC: read when right");
		f[10] ^= 1;
		CHECK(run(f, n, n, &g, &why) == -1 && g.n == 0 &&
		    strstr(why, "corrupt") != NULL,
		    "a header CRC: refused when wrong");
	}

	/* eventTime is the first string value of a top-level key spelled
	 * exactly so, wherever the inflated pieces split the record: one
	 * gzip member per part puts a piece boundary at every byte */
	{
		static const char doc[] = "{\"Records\":["
		    "{\"a\":{\"eventTime\":\"2024-01-01T00:00:01Z\"},"
		    "\"eventTime\":\"2024-01-01T00:00:02Z\",\"eventTime\":"
		    "\"2024-01-01T00:00:03Z\"},"
		    "{\"event\\u0054ime\":\"2024-01-01T00:00:04Z\",\"x\":"
		    "\"eventTime\",\"y\":1,\"eventTime\" :\t\"2024-01-01T00:00:05Z\"},"
		    "{\"eventTime\": 5,\"z\":\"2024-01-01T00:00:06Z\"},"
		    "{\"eventTime\":[\"2024-01-01T00:00:07Z\"]},"
		    "{\"eventTime\":\"not a time\"},"
		    "{\"s\":\"\\\"eventTime\\\"\",\"eventTime\":"
		    "\"2024-01-01T00:00:08Z\"}]}";
		static const int64_t want[6] = { 1704067202, 1704067205,
		    INT64_MIN, INT64_MIN, INT64_MIN, 1704067208 };
		char part[sizeof doc];
		size_t k, bad = 0;

		for (k = 0; k < sizeof doc - 1; k++) {
			memcpy(part, doc, k);
			part[k] = '\0';
			n = gz(part, f, sizeof f);
			n += gz(doc + k, f + n, sizeof f - n);
			if (run(f, n, n, &g, &why) != 0 || g.n != 6 ||
			    memcmp(g.times, want, sizeof(want)) != 0)
				bad++;
		}
		CHECK(bad == 0, "eventTime: the first top-level string value "
		    "of the key spelled so, at any split of the text");
	}

	/* a file too large to be kept whole (over 4 MiB compressed) is read
	 * as it comes, with the same records */
	{
		size_t nrec = 3000, reclen = 3000, i, k, cap = 12u << 20;
		char *doc = xmalloc(nrec * (reclen + 64) + 64), *d = doc;
		unsigned char *big = xmalloc(cap);
		uint32_t x = 1;

		d += sprintf(d, "{\"Records\":[");
		for (i = 0; i < nrec; i++) {
			d += sprintf(d, "%s{\"eventID\":\"%zu\",\"r\":\"",
			    i ? "," : "", i);
			for (k = 0; k < reclen; k++) {
				x = x * 1103515245u + 12345u;
				*d++ = "0123456789abcdef"[(x >> 16) & 15];
			}
			d += sprintf(d, "\"}");
		}
		sprintf(d, "]}");
		n = gz(doc, big, cap);
		CHECK(n > (4u << 20) && run(big, n, 65536, &g, &why) == 0 &&
		    (size_t)g.n == nrec && strstr(g.ids.data, "{\"eventID\":\"2999\"")
		    != NULL, "a file over 4 MiB compressed: every record");
		big[n - 6] ^= 1;
		CHECK(run(big, n, 65536, &g, &why) == -1 &&
		    strstr(why, "corrupt") != NULL,
		    "a file over 4 MiB compressed: a bad CRC is reported");
		free(big);
		free(doc);
	}
	{
		/* The SHA-256 of the inflated text, asked for at creation. */
		unsigned char want[32], got[32];
		struct ct_ctlog *l;
		size_t i;
		int rc = 0;

		n = gz(doc2, f, sizeof f);
		n += gz(doc1 + sizeof(doc1) - 1, f + n, sizeof f - n);
		EVP_Digest(doc2, strlen(doc2), want, NULL, EVP_sha256(), NULL);
		l = ct_ctlog_new(on_rec, &g);
		CHECK(ct_ctlog_hash_on(l) == 0, "hashing on before the first "
		    "feed");
		CHECK(ct_ctlog_hash(l, got) == -1, "no hash before the end");
		for (i = 0; i < n && rc == 0; i += 3)
			rc = ct_ctlog_feed(l, f + i, n - i < 3 ? n - i : 3, &why);
		CHECK(rc == 0 && ct_ctlog_finish(l, &why) == 0 &&
		    ct_ctlog_hash(l, got) == 0 && memcmp(got, want, 32) == 0,
		    "fed 3 bytes at a time: the SHA-256 of the whole inflated "
		    "text");
		CHECK(ct_ctlog_hash(l, got) == 0 && memcmp(got, want, 32) == 0,
		    "asked twice: the same hash");
		CHECK(ct_ctlog_hash_on(l) == 0, "hashing on again: no change");
		ct_ctlog_free(l);
		l = ct_ctlog_new(on_rec, &g);
		CHECK(ct_ctlog_feed(l, f, n, &why) == 0 &&
		    ct_ctlog_finish(l, &why) == 0 && ct_ctlog_hash(l, got) == -1,
		    "not asked for: no hash");
		CHECK(ct_ctlog_hash_on(l) == -1, "too late once fed");
		ct_ctlog_free(l);
		l = ct_ctlog_new(on_rec, &g);
		ct_ctlog_hash_on(l);
		CHECK(ct_ctlog_feed(l, f, n - 4, &why) == 0 &&
		    ct_ctlog_finish(l, &why) == -1 && ct_ctlog_hash(l, got) == -1,
		    "a file cut short has no hash");
		ct_ctlog_free(l);
	}
	{
		/* What the Records array holds besides records and commas:
		 * counted once per stretch, read whole or byte by byte. */
		static const struct {
			const char *doc;
			long stray;
			int recs;
			const char *what;
		} t[] = {
			{ "{\"Records\":[]}", 0, 0, "an empty array" },
			{ "{\"Records\": [ {\"a\":1} ,\n{\"b\":2} ] }", 0, 2,
			  "records, commas and white space" },
			{ "{\"Other\":[1,\"x\"],\"Records\":[{\"a\":1}]}", 0, 1,
			  "values in another array" },
			{ "{\"Records\":[{\"a\":1}{\"b\":2}]}", 1, 2,
			  "a ',' missing between two records" },
			{ "{\"Records\":[,{\"a\":1},,{\"b\":2},]}", 3, 2,
			  "a ',' first, twice, last" },
			{ "{\"Records\":[1,\"x\",[{\"a\":1}],{\"b\":2} junk]}",
			  4, 1, "a number, a string, an array, bytes" },
			{ "{\"Records\":[{\"a\":1} ju nk {\"b\":2}]}", 1, 2,
			  "bytes and a ',' missing: one stretch" },
		};
		size_t k;
		int two;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
			for (two = 0; two <= 1; two++)
				CHECK(strays(t[k].doc, two, &g) == t[k].stray &&
				    g.n == t[k].recs, "%s (%s): %ld stray, %d "
				    "records", t[k].what, two ? "streamed" :
				    "whole", t[k].stray, t[k].recs);
	}
	{
		/* A top-level key with escapes is the key json.loads
		 * decodes: Records, or not. */
		static const struct {
			const char *doc;
			int recs;
			const char *what;
		} t[] = {
			{ "{\"Re\\u0063ords\":[{\"a\":1}]}", 1,
			  "Re\\u0063ords is Records" },
			{ "{\"\\u0052ecord\\u0073\":[{\"a\":1},{\"b\":2}]}", 2,
			  "escapes first and last" },
			{ "{\"Rec\\\"ords\":[{\"a\":1}]}", 0,
			  "Rec\\\"ords is not" },
			{ "{\"R\\u00e9cords\":[{\"a\":1}]}", 0,
			  "a byte outside ASCII" },
			{ "{\"Records\\u0000\":[{\"a\":1}]}", 0,
			  "a NUL after Records" },
			{ "{\"Rec\\u006\":[{\"a\":1}]}", 0,
			  "\\u cut short" },
			{ "{\"x\\\\\":1,\"Records\":[{\"a\":1}]}", 1,
			  "an escaped backslash ends a key before Records" },
		};
		size_t k;
		int two;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
			for (two = 0; two <= 1; two++)
				CHECK(strays(t[k].doc, two, &g) >= 0 &&
				    g.n == t[k].recs, "%s (%s): %d records",
				    t[k].what, two ? "streamed" : "whole",
				    t[k].recs);
	}
	{
		/* Whether there is a Records array at all. */
		static const struct {
			const char *doc;
			int has;
		} t[] = {
			{ "{\"Records\":[]}", 1 },
			{ "{\"Other\":[{\"a\":1}]}", 0 },
			{ "{\"Records\":5}", 0 },
			{ "{\"x\":{\"Records\":[{\"a\":1}]}}", 0 },
		};
		struct ct_ctlog *l;
		const char *w;
		size_t k;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
			n = gz(t[k].doc, f, sizeof f);
			l = ct_ctlog_new(on_rec, &g);
			CHECK(ct_ctlog_feed(l, f, n, &w) == 0 &&
			    ct_ctlog_finish(l, &w) == 0 &&
			    ct_ctlog_has_records(l) == t[k].has,
			    "%s: %s", t[k].doc, t[k].has ? "a Records array" :
			    "no Records array");
			ct_ctlog_free(l);
		}
	}
	ct_buf_free(&g.ids);
	return check_done();
}
