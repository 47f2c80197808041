/* test_intsum.c - the integrity section: bad objects kept once whatever the
 * order, the bounded list, merging, held sums, the tampered test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intsum.h"
#include "summary.h"

static struct ct_intsum_bad
mk(const char *object, enum ct_intsum_kind kind, int verdict,
    const char *account, const char *region)
{
	struct ct_intsum_bad b;

	b.object = object;
	b.kind = kind;
	b.verdict = verdict;
	b.account = account;
	b.region = region;
	return b;
}

int
main(void)
{
	struct ct_intsum *a = ct_intsum_new(), *b = ct_intsum_new();
	struct ct_intsum *ab = ct_intsum_new(), *ba = ct_intsum_new();
	const struct ct_intsum_bad **v;
	struct ct_intsum_bad x, y;
	uint64_t sat = 0, d;
	char name[64];
	size_t n;
	int i;

	CHECK(!ct_intsum_tampered(NULL), "no section: not tampered");
	CHECK(!ct_intsum_tampered(a), "an empty section: not tampered");
	a->log[CT_INTSUM_LOG_VALID] = 5;
	a->log[CT_INTSUM_LOG_PENDING] = 2;
	CHECK(!ct_intsum_tampered(a), "valid and pending: not tampered");
	b->digest[CT_INTSUM_DIG_MISSING] = 1;
	CHECK(ct_intsum_tampered(b), "a missing digest: tampered");
	b->digest[CT_INTSUM_DIG_MISSING] = 0;

	/* one object, two descriptions: the smaller stays, either order */
	x = mk("s3://b/k", CT_INTSUM_KIND_LOG, CT_INTSUM_LOG_NOT_COVERED,
	    "111111111111", "eu-west-1");
	y = mk("s3://b/k", CT_INTSUM_KIND_LOG, CT_INTSUM_LOG_MODIFIED,
	    "111111111111", "eu-west-1");
	CHECK(ct_intsum_add_bad(a, &x) == 1, "a new object: 1");
	CHECK(ct_intsum_add_bad(b, &y) == 1, "a new object: 1");
	CHECK(ct_intsum_tampered(a), "a bad object named: tampered");
	ct_intsum_merge(ab, a, &sat);
	ct_intsum_merge(ab, b, &sat);
	ct_intsum_merge(ba, b, &sat);
	ct_intsum_merge(ba, a, &sat);
	v = ct_intsum_sorted(ab, &n);
	CHECK(n == 1 && v[0]->verdict == CT_INTSUM_LOG_MODIFIED,
	    "a+b: the object once, the smaller verdict (modified)");
	free(v);
	v = ct_intsum_sorted(ba, &n);
	CHECK(n == 1 && v[0]->verdict == CT_INTSUM_LOG_MODIFIED,
	    "b+a: the same");
	free(v);
	CHECK(ab->log[CT_INTSUM_LOG_VALID] == 5 &&
	    ba->log[CT_INTSUM_LOG_PENDING] == 2, "counts add");

	/* signatures: the weakest; window: widened */
	ct_intsum_sig_seen(a, CT_INTSUM_SIG_CHECKED);
	ct_intsum_sig_seen(b, CT_INTSUM_SIG_FROM_FILE);
	ct_intsum_widen(a, 100);
	ct_intsum_widen(b, 50);
	ct_intsum_widen(b, 200);
	ct_intsum_merge(a, b, &sat);
	CHECK(a->sig == CT_INTSUM_SIG_FROM_FILE, "checked + from_file: from_file");
	CHECK(a->from == 50 && a->to == 200, "the window widens to 50..200");

	/* the list: sorted by object, more beyond CT_INTSUM_LIST */
	for (i = 149; i >= 0; i--) {
		snprintf(name, sizeof(name), "s3://b/x%03d", i);
		x = mk(name, CT_INTSUM_KIND_DIGEST, CT_INTSUM_DIG_UNREADABLE,
		    NULL, NULL);
		ct_intsum_add_bad(b, &x);
	}
	b->bad_more = 7;
	v = ct_intsum_sorted(b, &n);
	CHECK(n == 151 && strcmp(v[0]->object, "s3://b/k") == 0 &&
	    strcmp(v[1]->object, "s3://b/x000") == 0 &&
	    strcmp(v[150]->object, "s3://b/x149") == 0,
	    "151 objects, sorted by object");
	free(v);
	CHECK(ct_intsum_more(b) == 7 + 51, "more: 7 carried + 51 past the list");

	/* sums held at 2^53 */
	d = CT_SUMMARY_COUNT_MAX - 1;
	sat = 0;
	ct_intsum_add_count(&d, 5, &sat);
	CHECK(d == CT_SUMMARY_COUNT_MAX && sat == 1, "a sum above 2^53 held");
	d = 1;
	ct_intsum_add_count(&d, UINT64_MAX, &sat);
	CHECK(d == CT_SUMMARY_COUNT_MAX && sat == 2, "a wrapping sum held");

	CHECK(ct_intsum_lookup(ct_intsum_log_name, CT_INTSUM_NLOG,
	    "not_covered") == CT_INTSUM_LOG_NOT_COVERED &&
	    ct_intsum_lookup(ct_intsum_log_name, CT_INTSUM_NLOG, "x") == -1 &&
	    ct_intsum_lookup(ct_intsum_log_name, CT_INTSUM_NLOG, NULL) == -1,
	    "names looked up");
	ct_intsum_free(a);
	ct_intsum_free(b);
	ct_intsum_free(ab);
	ct_intsum_free(ba);
	ct_intsum_free(NULL);
	return check_done();
}
