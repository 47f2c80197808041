/* test_strmap.c - the string hash map against a naive reference. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "strmap.h"

static int freed;

static void
count_free(void *p)
{
	freed++;
	free(p);
}

static const struct ct_strmap_type owning = { count_free };

/* Reference: a plain array searched linearly. */
#define NREF 4000
static char ref_key[NREF][24];
static size_t ref_len[NREF];
static uint64_t ref_val[NREF];
static int ref_live[NREF];

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	struct ct_strmap *m;
	struct ct_strmap_entry *e, **v;
	size_t i, n, it, live, bad;
	int added, mism;
	char buf[64];
	clock_t t0;
	double secs;

	m = ct_strmap_new(NULL);
	CHECK(ct_strmap_count(m) == 0, "new map is empty");
	CHECK(ct_strmap_find(m, "a", 1) == NULL, "find on empty map");
	e = ct_strmap_insert(m, "", 0, &added);
	CHECK(added && e->keyn == 0 && e->key[0] == '\0' && e->val.u64 == 0,
	    "empty key inserted, value zero");
	e->val.u64 = 7;
	e = ct_strmap_insert(m, "a\0b", 3, &added);
	CHECK(added && e->keyn == 3 && memcmp(e->key, "a\0b", 4) == 0,
	    "key with NUL byte copied whole and terminated");
	e->val.u64 = 9;
	CHECK(ct_strmap_find(m, "a", 1) == NULL, "prefix of a key is not the key");
	e = ct_strmap_find(m, "", 0);
	CHECK(e != NULL && e->val.u64 == 7, "empty key found");
	e = ct_strmap_insert(m, "a\0b", 3, &added);
	CHECK(!added && e->val.u64 == 9, "re-insert finds the existing entry");
	CHECK(ct_strmap_hash("abc", 3) == ct_strmap_hash("abc", 3) &&
	    ct_strmap_hash("abc", 3) != ct_strmap_hash("abd", 3),
	    "hash is a function and separates neighbours");
	ct_strmap_free(m);

	/* Randomized inserts and deletes against the reference: distinct
	 * keys of lengths 0-23 (key i is i in base 36 padded with a random
	 * run of one letter, so no two are equal). */
	m = ct_strmap_new(NULL);
	for (i = 0; i < NREF; i++) {
		size_t pad = (size_t)(rnd() % 16), k = 0, x = i;

		if (i == 0) {
			ref_len[i] = 0;
			continue;
		}
		while (x) {
			ref_key[i][k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[x % 36];
			x /= 36;
		}
		ref_key[i][k++] = '.';
		memset(ref_key[i] + k, 'a' + (int)(rnd() % 26), pad);
		ref_len[i] = k + pad;
		ref_key[i][ref_len[i]] = '\0';
	}
	mism = 0;
	for (n = 0; n < 40000; n++) {
		i = (size_t)(rnd() % NREF);
		if (rnd() % 4 == 0) {
			if (ct_strmap_delete(m, ref_key[i], ref_len[i]) !=
			    ref_live[i])
				mism++;
			ref_live[i] = 0;
		} else {
			e = ct_strmap_insert(m, ref_key[i], ref_len[i], &added);
			if (added == ref_live[i])
				mism++;
			e->val.u64++;
			if (!ref_live[i])
				ref_val[i] = 0;
			ref_live[i] = 1;
			ref_val[i]++;
		}
	}
	CHECK(mism == 0, "insert and delete report presence as the reference "
	    "(%d off)", mism);
	bad = 0;
	live = 0;
	for (i = 0; i < NREF; i++) {
		e = ct_strmap_find(m, ref_key[i], ref_len[i]);
		if (ref_live[i]) {
			live++;
			if (e == NULL || e->val.u64 != ref_val[i])
				bad++;
		} else if (e != NULL)
			bad++;
	}
	CHECK(bad == 0, "every key has the reference's presence and count "
	    "(%zu wrong)", bad);
	CHECK(ct_strmap_count(m) == live, "count %zu == live %zu",
	    ct_strmap_count(m), live);
	n = 0;
	it = 0;
	while (ct_strmap_next(m, &it) != NULL)
		n++;
	CHECK(n == live, "iteration visits each entry once");
	ct_strmap_free(m);

	/* Sorted order is byte (code point) order. */
	m = ct_strmap_new(NULL);
	{
		const char *keys[] = { "b", "a", "\xc3\xa9", "ab", "B", "",
		    "\xf0\x9f\x98\x80", "\xef\xbf\xbd", "a b" };
		char *want[9];

		for (i = 0; i < 9; i++) {
			ct_strmap_insert(m, keys[i], strlen(keys[i]), NULL);
			want[i] = (char *)keys[i];
		}
		qsort(want, 9, sizeof *want, cmp_str);
		v = ct_strmap_sorted(m, &n);
		mism = n != 9;
		for (i = 0; i < n && i < 9; i++)
			if (strcmp(v[i]->key, want[i]) != 0)
				mism++;
		CHECK(mism == 0, "sorted gives code point order");
		free(v);
	}
	ct_strmap_free(m);
	m = ct_strmap_new(NULL);
	v = ct_strmap_sorted(m, &n);
	CHECK(v == NULL && n == 0, "sorted of an empty map is NULL, 0");
	ct_strmap_free(m);

	/* Owned values are destroyed on delete and on free. */
	freed = 0;
	m = ct_strmap_new(&owning);
	for (i = 0; i < 100; i++) {
		n = (size_t)snprintf(buf, sizeof buf, "key%zu", i);
		e = ct_strmap_insert(m, buf, n, NULL);
		e->val.ptr = malloc(16);
	}
	ct_strmap_delete(m, "key5", 4);
	CHECK(freed == 1, "delete destroys the value");
	ct_strmap_free(m);
	CHECK(freed == 100, "free destroys the rest (%d)", freed);

	/* Big keys (own arena chunks) and many keys. */
	m = ct_strmap_new(NULL);
	{
		char *big = malloc(100000);

		memset(big, 'x', 100000);
		ct_strmap_insert(m, big, 100000, NULL)->val.u64 = 1;
		ct_strmap_insert(m, "small", 5, NULL)->val.u64 = 2;
		big[99999] = 'y';
		ct_strmap_insert(m, big, 100000, NULL)->val.u64 = 3;
		big[99999] = 'x';
		e = ct_strmap_find(m, big, 100000);
		CHECK(e != NULL && e->val.u64 == 1 &&
		    ct_strmap_find(m, "small", 5)->val.u64 == 2,
		    "100 kB keys stored and told apart");
		free(big);
	}
	ct_strmap_free(m);

	/* Speed: a million increments over 50k keys of realistic length
	 * (a loose bound: this also runs under ASan). */
	m = ct_strmap_new(NULL);
	{
		static char keys[50000][48];
		static size_t lens[50000];

		for (i = 0; i < 50000; i++)
			lens[i] = (size_t)snprintf(keys[i], sizeof keys[i],
			    "ec2.amazonaws.com:DescribeInstances%zu", i);
		t0 = clock();
		for (n = 0; n < 1000000; n++) {
			i = (size_t)(rnd() % 50000);
			ct_strmap_insert(m, keys[i], lens[i], NULL)->val.u64++;
		}
		secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		printf("# 1M increments over 50k keys: %.0f ns each\n",
		    secs * 1e9 / 1e6);
		CHECK(ct_strmap_count(m) == 50000, "50k distinct keys");
		CHECK(secs < 10, "1M increments in under 10 s (%.2f s)", secs);
	}
	ct_strmap_free(m);
	return check_done();
}
