/* test_summary.c - counts, merge laws, metadata, visit order, reading
 * layouts and rejecting malformed summaries, write errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strmap.h"
#include "summary.h"

/* The summary as text. */
static char *
text(const struct ct_summary *s)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	if (ct_summary_write(s, f) < 0)
		printf("# write failed\n");
	fclose(f);
	return p;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random summary: few categories/keys so that merges collide. */
static struct ct_summary *
random_summary(void)
{
	static const char *cats[] = { "p1", "p2", "\xc3\xa9t\xc3\xa9",
	    "\xf0\x9f\x98\x80", "\xef\xbf\xbd", "" };
	static const char *keys[] = { "a", "b", "ec2:Run", "s3:Get", "\x01",
	    "k\"q" };
	static const char *regions[] = { "us-east-1", "eu-west-1", "ap-south-1" };
	static const char *errs[] = { "AccessDenied", "Throttling" };
	static const char *accts[] = { "111", "222" };
	struct ct_summary *s = ct_summary_new();
	int i, n = (int)(rnd() % 30);
	char inv[16];

	for (i = 0; i < n; i++) {
		const char *c = cats[rnd() % 6], *k = keys[rnd() % 6];

		ct_summary_add(s, (enum ct_section)(rnd() % CT_SECTIONS), c,
		    strlen(c), k, strlen(k), 1 + rnd() % 5);
	}
	if (rnd() % 3 == 0)
		ct_meta_set_account(&s->meta, accts[rnd() % 2], 3);
	if (rnd() % 3 == 0)
		ct_meta_set_principal(&s->meta, accts[rnd() % 2], 3);
	if (rnd() % 2)
		ct_meta_set_activity(&s->meta, (enum ct_activity)(rnd() % 3));
	if (rnd() % 2) {
		ct_meta_widen(&s->meta, 1700000000 + (int64_t)(rnd() % 100000));
		ct_meta_widen(&s->meta, 1700000000 + (int64_t)(rnd() % 100000));
	}
	if (rnd() % 2) {
		snprintf(inv, sizeof inv, "ct-aggregate %d", (int)(rnd() % 5));
		s->meta.invocation = strdup(inv);
	}
	for (i = 0; i < 3; i++)
		if (rnd() % 2)
			ct_meta_add_region_enabled(&s->meta, regions[i]);
	if (rnd() % 3 == 0)
		ct_meta_add_region_failed(&s->meta, regions[rnd() % 3],
		    errs[rnd() % 2]);
	if (rnd() % 2)
		s->meta.run_timestamp = 1700000000 + (int64_t)(rnd() % 1000);
	s->meta.files_read = rnd() % 10;
	s->meta.records_counted = rnd() % 1000;
	s->meta.values_malformed = rnd() % 3;
	s->meta.summaries_merged = rnd() % 2;
	return s;
}

static struct ct_summary *
merged(const struct ct_summary *a, const struct ct_summary *b)
{
	struct ct_summary *m = ct_summary_new();

	ct_summary_merge(m, a);
	ct_summary_merge(m, b);
	return m;
}

static int visits, order_ok;
static char lastcat[64];

static int
visit_check(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *it, size_t n)
{
	size_t i;

	if (visits++ && strncmp(lastcat, cat, sizeof lastcat) >= 0)
		order_ok = 0;
	snprintf(lastcat, sizeof lastcat, "%.*s", (int)catn, cat);
	for (i = 1; i < n; i++)
		if (it[i - 1].count < it[i].count ||
		    (it[i - 1].count == it[i].count &&
		    strcmp(it[i - 1].key, it[i].key) >= 0))
			order_ok = 0;
	return 0;
}

static int
reads(const char *doc, struct ct_summary *dst, struct ct_buf *err)
{
	return ct_summary_read(dst, doc, strlen(doc), err);
}

int
main(void)
{
	struct ct_summary *s, *a, *b, *c, *ab, *ba, *ab_c, *bc, *a_bc, *e, *t;
	struct ct_buf err;
	char *x, *y, *before;
	int i, comm = 0, assoc = 0, ident = 0, rt = 0;
	FILE *full;

	ct_buf_init(&err, 0);
	s = ct_summary_new();
	CHECK(ct_summary_size(s) == 0, "new summary is empty");
	ct_summary_add(s, CT_API_CALLS_BY_PRINCIPAL, "p", 1, "k", 1, 1);
	ct_summary_add(s, CT_API_CALLS_BY_PRINCIPAL, "p", 1, "k", 1, 2);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "p", 1, "k", 1, 1);
	ct_summary_add(s, CT_API_CALLS_BY_PRINCIPAL, "q", 1, "k", 1, 1);
	ct_summary_add(s, CT_API_CALLS_BY_PRINCIPAL, "p", 1, "k2", 2, 1);
	CHECK(ct_summary_size(s) == 4, "4 distinct triples (got %zu)",
	    ct_summary_size(s));
	x = text(s);
	CHECK(strstr(x, "\"api_calls_by_principal\": {\n    \"p\": {\n"
	    "      \"k\": 3,\n      \"k2\": 1\n    },\n    \"q\": {\n"
	    "      \"k\": 1\n    }\n  },") != NULL,
	    "counts add up and print in the Python layout");
	free(x);
	ct_summary_free(s);

	/* Agree-or-conflict. */
	s = ct_summary_new();
	ct_meta_set_account(&s->meta, "111", 3);
	ct_meta_set_account(&s->meta, "111", 3);
	CHECK(s->meta.account_state == CT_AGREE_SET &&
	    strcmp(s->meta.account_id, "111") == 0, "agreeing accounts: SET");
	ct_meta_set_account(&s->meta, "222", 3);
	CHECK(s->meta.account_state == CT_AGREE_CONFLICT &&
	    s->meta.account_id == NULL, "two accounts: CONFLICT");
	x = text(s);
	CHECK(strstr(x, "\"account_id\": null,\n    \"account_ids\": [\n"
	    "      \"111\",\n      \"222\"\n    ],") != NULL,
	    "conflict written as null plus the list");
	t = ct_summary_new();
	CHECK(reads(x, t, &err) == 0 && t->meta.account_state ==
	    CT_AGREE_CONFLICT, "conflict survives a round trip");
	ct_summary_free(t);
	free(x);
	ct_meta_add_region_failed(&s->meta, "r", "Zeta");
	ct_meta_add_region_failed(&s->meta, "r", "Alpha");
	ct_meta_add_region_failed(&s->meta, "r", "Beta");
	CHECK(strcmp(ct_strmap_find(s->meta.regions_failed, "r", 1)->val.ptr,
	    "Alpha") == 0, "two errors for a region: the smaller stays");
	ct_summary_free(s);

	/* Merge laws on random summaries, compared as written text. */
	for (i = 0; i < 300; i++) {
		a = random_summary();
		b = random_summary();
		c = random_summary();
		ab = merged(a, b);
		ba = merged(b, a);
		x = text(ab);
		y = text(ba);
		comm += strcmp(x, y) != 0;
		free(x);
		free(y);
		ab_c = merged(ab, c);
		bc = merged(b, c);
		a_bc = merged(a, bc);
		x = text(ab_c);
		y = text(a_bc);
		assoc += strcmp(x, y) != 0;
		free(x);
		free(y);
		e = ct_summary_new();
		before = text(a);
		ct_summary_merge(a, e);
		x = text(a);
		ct_summary_merge(e, a);
		y = text(e);
		ident += strcmp(before, x) != 0 || strcmp(before, y) != 0;
		free(y);
		/* A written summary reads back to the same text. */
		t = ct_summary_new();
		if (reads(x, t, &err) < 0) {
			rt++;
			printf("# %s\n", err.data);
		} else {
			/* reading counts one summary when it says 0 */
			t->meta.summaries_merged = a->meta.summaries_merged;
			y = text(t);
			rt += strcmp(x, y) != 0;
			free(y);
		}
		free(x);
		free(before);
		ct_summary_free(t);
		ct_summary_free(e);
		ct_summary_free(a);
		ct_summary_free(b);
		ct_summary_free(c);
		ct_summary_free(ab);
		ct_summary_free(ba);
		ct_summary_free(ab_c);
		ct_summary_free(bc);
		ct_summary_free(a_bc);
	}
	CHECK(comm == 0, "merge is commutative (%d of 300 differ)", comm);
	CHECK(assoc == 0, "merge is associative (%d of 300 differ)", assoc);
	CHECK(ident == 0, "an empty summary is the identity (%d differ)", ident);
	CHECK(rt == 0, "write then read gives the same summary (%d differ)", rt);

	/* Metadata merge rules. */
	a = ct_summary_new();
	b = ct_summary_new();
	ct_meta_set_activity(&a->meta, CT_ACTIVITY_SUCCESSFUL);
	ct_meta_set_activity(&b->meta, CT_ACTIVITY_FAILED);
	ab = merged(a, b);
	CHECK(ab->meta.activity == CT_ACTIVITY_ALL,
	    "SUCCESSFUL + FAILED = ALL");
	ct_summary_free(ab);
	ab = merged(a, a);
	CHECK(ab->meta.activity == CT_ACTIVITY_SUCCESSFUL,
	    "SUCCESSFUL + SUCCESSFUL = SUCCESSFUL");
	ct_summary_free(ab);
	ct_meta_widen(&a->meta, 100);
	ct_meta_widen(&b->meta, 50);
	ct_meta_widen(&b->meta, 70);
	a->meta.run_timestamp = 5;
	b->meta.run_timestamp = 9;
	a->meta.invocation = strdup("b");
	b->meta.invocation = strdup("a");
	ab = merged(a, b);
	CHECK(ab->meta.from == 50 && ab->meta.to == 100 && ab->meta.have_from &&
	    ab->meta.have_to, "window widens to [50, 100]");
	CHECK(ab->meta.run_timestamp == 9, "run_timestamp: the latest");
	CHECK(strcmp(ab->meta.invocation, "a") == 0, "invocation: the smallest");
	ct_summary_free(ab);
	ct_summary_free(a);
	ct_summary_free(b);

	/* Merging a summary into itself doubles it. */
	a = random_summary();
	b = random_summary();
	ab = merged(a, a);
	ct_summary_merge(a, a);
	x = text(a);
	y = text(ab);
	CHECK(strcmp(x, y) == 0, "merge(a, a) equals merging two copies");
	free(x);
	free(y);
	ct_summary_free(a);
	ct_summary_free(b);
	ct_summary_free(ab);

	/* Visit order. */
	s = ct_summary_new();
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "us", 2, "x", 1, 3);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "us", 2, "b", 1, 5);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "us", 2, "a", 1, 5);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "us", 2, "c", 1, 9);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "eu", 2, "c", 1, 1);
	ct_summary_add(s, CT_API_CALLS_BY_REGION, "ap", 2, "z", 1, 1);
	visits = 0;
	order_ok = 1;
	ct_summary_visit(s, CT_API_CALLS_BY_REGION, visit_check, NULL);
	CHECK(visits == 3 && order_ok, "visit: categories sorted, items by "
	    "count desc then key");
	ct_summary_free(s);

	/* Layouts of the Python tool. */
	s = ct_summary_new();
	CHECK(reads("{\"_metadata\": {\"account_id\": \"1\", \"regions\": "
	    "[\"us-east-1\"]}, \"activity_by_principal\": {\"p\": {\"k\": 2}},"
	    " \"activity_by_region\": {\"us-east-1\": {\"k\": 2}}}", s, &err)
	    == 0, "oldest layout read (%s)", err.data);
	CHECK(reads("{\"_metadata\": {\"account_id\": \"1\", \"regions_enabled\":"
	    " [\"eu-west-1\"], \"regions_failed\": {\"ap-east-1\": \"X\"}},"
	    " \"api_calls_by_principal\": {\"p\": {\"k\": 3}},"
	    " \"api_calls_by_region\": {\"eu-west-1\": {\"k\": 3}}}", s, &err)
	    == 0, "two-section layout read (%s)", err.data);
	x = text(s);
	CHECK(strstr(x, "\"p\": {\n      \"k\": 5\n") != NULL &&
	    strstr(x, "\"us-east-1\": {\n      \"k\": 2\n") != NULL &&
	    strstr(x, "\"regions_enabled\": [\n      \"eu-west-1\",\n"
	    "      \"us-east-1\"\n    ]") != NULL &&
	    strstr(x, "\"summaries_merged\": 2") != NULL,
	    "old layouts merged into the api_calls sections");
	free(x);

	/* Malformed summaries: rejected, dst untouched. */
	{
		static const char *bad[] = {
			"[]", "{}", "{\"x\": 1}", "not json",
			"{\"api_calls_by_principal\": []}",
			"{\"api_calls_by_principal\": {\"p\": 3}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": -1}}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": 1.5}}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": 1e3}}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": \"3\"}}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": "
			    "9007199254740993}}}",
			"{\"api_calls_by_principal\": {\"p\": {\"k\": NaN}}}",
			"{\"_metadata\": []}",
			"{\"_metadata\": {\"account_id\": 5}}",
			"{\"_metadata\": {\"activity_type\": \"SOME\"}}",
			"{\"_metadata\": {\"regions_enabled\": [1]}}",
			"{\"_metadata\": {\"regions_failed\": {\"r\": 1}}}",
			"{\"_metadata\": {\"run_timestamp\": \"yesterday\"}}",
			"{\"_metadata\": {\"cloudtrail_data_analyzed\": 3}}",
			"{\"_metadata\": {\"statistics\": {\"files_read\": -2}}}",
			"{\"_metadata\": {}, \"api_calls_by_region\": {\"r\": "
			    "{\"k\": 1}}, \"user_agents_by_principal\": {\"p\": "
			    "{\"k\": true}}}",
		};
		int bad_ok = 0;

		before = text(s);
		for (i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {
			if (reads(bad[i], s, &err) == 0)
				printf("# accepted: %s\n", bad[i]);
			else if (strchr(err.data, '\n') == NULL && err.len > 0)
				bad_ok++;
		}
		CHECK(bad_ok == (int)(sizeof bad / sizeof bad[0]),
		    "%d malformed summaries rejected with a one-line reason",
		    bad_ok);
		x = text(s);
		CHECK(strcmp(x, before) == 0, "no partial merge into dst");
		free(x);
		free(before);
	}
	CHECK(reads("{\"_metadata\": {}, \"api_calls_by_principal\": {\"p\":"
	    " {\"k\": 9007199254740992}}}", s, &err) == 0, "2^53 accepted");
	ct_summary_free(s);

	/* A repeated name: the last one counts, as with Python's json. */
	{
		struct ct_summary *d1 = ct_summary_new(), *d2 = ct_summary_new();

		CHECK(reads("{\"api_calls_by_region\": {\"r\": {\"k\": 1, "
		    "\"k\": 2, \"j\": \"bad\", \"j\": 5}, \"q\": 3, \"q\": "
		    "{\"x\": 1}}, \"_metadata\": {\"regions_failed\": {\"a\": "
		    "\"Z\", \"a\": \"Y\", \"b\": 1, \"b\": \"X\"}}}", d1, &err) == 0 &&
		    reads("{\"api_calls_by_region\": {\"r\": {\"k\": 2, "
		    "\"j\": 5}, \"q\": {\"x\": 1}}, \"_metadata\": "
		    "{\"regions_failed\": {\"a\": \"Y\", \"b\": \"X\"}}}", d2,
		    &err) == 0, "summaries with repeated names read");
		x = text(d1);
		y = text(d2);
		CHECK(strcmp(x, y) == 0, "repeated names: only the last counts");
		free(x);
		free(y);
		ct_summary_free(d1);
		ct_summary_free(d2);
	}

	/* Mutated summaries: read or refused, never a crash or a leak. */
	{
		struct ct_summary *src = random_summary(), *dst;
		char *good = text(src), *mut;
		size_t len = strlen(good), k;
		int accepted = 0, j;
		static const char noise[] = "{}[],:\"\\-019eE.nNI \n\x01\xff";

		mut = malloc(len + 8);
		for (i = 0; i < 2000; i++) {
			memcpy(mut, good, len + 1);
			for (j = 0; j < 1 + (int)(rnd() % 3); j++) {
				k = (size_t)(rnd() % len);
				mut[k] = noise[rnd() % (sizeof noise - 1)];
			}
			dst = ct_summary_new();
			accepted += reads(mut, dst, &err) == 0;
			ct_summary_free(dst);
		}
		CHECK(accepted > 0 && accepted < 2000, "2000 mutated summaries: "
		    "%d read, the rest refused, no crash", accepted);
		free(mut);
		free(good);
		ct_summary_free(src);
	}

	/* Sums held at 2^53: a count and a statistic, counted; what is
	 * written reads back. */
	{
		struct ct_summary *big = ct_summary_new(), *m = ct_summary_new();
		struct ct_summary *back;
		char *text;
		size_t tn;
		FILE *f;

		ct_summary_add(big, CT_API_CALLS_BY_PRINCIPAL, "p", 1, "k", 1,
		    CT_SUMMARY_COUNT_MAX - 5);
		big->meta.records_counted = CT_SUMMARY_COUNT_MAX;
		ct_summary_merge(m, big);
		CHECK(ct_summary_saturated(m) == 0, "one summary: nothing held");
		ct_summary_merge(m, big);
		CHECK(ct_summary_saturated(m) == 2, "two: a count and a "
		    "statistic held (%llu)",
		    (unsigned long long)ct_summary_saturated(m));
		CHECK(m->meta.records_counted == CT_SUMMARY_COUNT_MAX,
		    "statistic at 2^53");
		f = open_memstream(&text, &tn);
		CHECK(f != NULL && ct_summary_write(m, f) == 0 && fclose(f) == 0,
		    "saturated summary written");
		CHECK(strstr(text, "\"k\": 9007199254740992") != NULL,
		    "count written as 2^53");
		back = ct_summary_new();
		CHECK(ct_summary_read(back, text, tn, &err) == 0,
		    "and read back");
		ct_summary_free(back);
		free(text);
		ct_summary_free(big);
		ct_summary_free(m);
	}

	/* Write errors. */
	if ((full = fopen("/dev/full", "w")) != NULL) {
		s = ct_summary_new();
		CHECK(ct_summary_write(s, full) == -1, "write to /dev/full: -1");
		fclose(full);
		ct_summary_free(s);
	}
	ct_buf_free(&err);
	return check_done();
}
