/* strmap.c - see strmap.h */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "jstr.h"
#include "arena.h"
#include "strmap.h"
#include "xalloc.h"

#define MIN_SLOTS	8

struct ct_strmap {
	struct ct_strmap_entry		*slot;
	size_t				 mask;	/* slots - 1; slot NULL: 0 slots */
	size_t				 count;
	const struct ct_strmap_type	*type;
	struct ct_arena			 arena;	/* the keys */
};

/* ---- hashing ------------------------------------------------------------ */

/*
 * A multiply-fold hash: 16 input bytes per 64x64->128-bit multiply, the two
 * halves of the product folded by xor.  Short keys (the common case: region
 * names, API names, principals) take one or two multiplies.  Keyed by a
 * random seed chosen once per process.
 */
static const uint64_t K0 = 0xa0761d6478bd642fULL, K1 = 0xe7037ed1a0b428dbULL,
    K2 = 0x8ebc6af09c88c6e3ULL, K3 = 0x589965cc75374cc3ULL;
static uint64_t hash_seed;
static int seed_ready;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void
seed_init(void)
{
	uint64_t s = 0;
	struct timespec ts;

	if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^
		    (uint64_t)(uintptr_t)&s;
	}
	hash_seed = s;
	__atomic_store_n(&seed_ready, 1, __ATOMIC_RELEASE);
}

static inline uint64_t
fold(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t
rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

uint64_t
ct_strmap_hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h, a, b;

	if (!__atomic_load_n(&seed_ready, __ATOMIC_ACQUIRE))
		pthread_once(&seed_once, seed_init);
	h = hash_seed ^ fold((uint64_t)n ^ K0, K1);
	while (n > 16) {
		h = fold(rd64(p) ^ K1 ^ h, rd64(p + 8) ^ K2);
		p += 16;
		n -= 16;
	}
	if (n >= 8) {
		a = rd64(p);
		b = rd64(p + n - 8);
	} else if (n >= 4) {
		a = rd32(p);
		b = rd32(p + n - 4);
	} else if (n > 0) {
		a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
		b = 0;
	} else
		a = b = 0;
	return fold(fold(a ^ K2, b ^ K3 ^ h) ^ K0, h ^ K1);
}

/* ---- the table ---------------------------------------------------------- */

struct ct_strmap *
ct_strmap_new(const struct ct_strmap_type *type)
{
	struct ct_strmap *m = xcalloc(1, sizeof *m);

	m->type = type;
	return m;
}

void
ct_strmap_free(struct ct_strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (m->type != NULL && m->type->val_free != NULL && m->slot != NULL) {
		for (i = 0; i <= m->mask; i++)
			if (m->slot[i].key != NULL && m->slot[i].val.ptr != NULL)
				m->type->val_free(m->slot[i].val.ptr);
	}
	free(m->slot);
	ct_arena_free(&m->arena);
	free(m);
}

size_t
ct_strmap_count(const struct ct_strmap *m)
{
	return m->count;
}

static struct ct_strmap_entry *
ct_strmap_find_h(const struct ct_strmap *m, const char *key, size_t n,
    uint64_t h)
{
	struct ct_strmap_entry *e;
	size_t i;

	if (m->slot == NULL)
		return NULL;
	for (i = h & m->mask;; i = (i + 1) & m->mask) {
		e = &m->slot[i];
		if (e->key == NULL)
			return NULL;
		if (e->hash == h && e->keyn == n &&
		    (n == 0 || memcmp(e->key, key, n) == 0))
			return e;
	}
}

struct ct_strmap_entry *
ct_strmap_find(const struct ct_strmap *m, const char *key, size_t n)
{
	if (m->count == 0)
		return NULL;
	return ct_strmap_find_h(m, key, n, ct_strmap_hash(key, n));
}

static void
grow(struct ct_strmap *m)
{
	struct ct_strmap_entry *old = m->slot, *e;
	size_t oldn = old ? m->mask + 1 : 0, n = oldn ? oldn * 2 : MIN_SLOTS;
	size_t i, j;

	m->slot = xcalloc(n, sizeof *m->slot);
	m->mask = n - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & m->mask; m->slot[j].key != NULL;
		    j = (j + 1) & m->mask)
			;
		e = &m->slot[j];
		*e = old[i];
	}
	free(old);
}

static struct ct_strmap_entry *
ct_strmap_insert_h(struct ct_strmap *m, const char *key, size_t n,
    uint64_t h, int *added)
{
	struct ct_strmap_entry *e;
	size_t i;

	if (m->slot == NULL || (m->count + 1) * 4 > (m->mask + 1) * 3)
		grow(m);
	for (i = h & m->mask;; i = (i + 1) & m->mask) {
		e = &m->slot[i];
		if (e->key == NULL)
			break;
		if (e->hash == h && e->keyn == n &&
		    (n == 0 || memcmp(e->key, key, n) == 0)) {
			if (added != NULL)
				*added = 0;
			return e;
		}
	}
	e->key = ct_arena_dup(&m->arena, key, n);
	e->keyn = n;
	e->hash = h;
	e->val.u64 = 0;
	m->count++;
	if (added != NULL)
		*added = 1;
	return e;
}

struct ct_strmap_entry *
ct_strmap_insert(struct ct_strmap *m, const char *key, size_t n, int *added)
{
	return ct_strmap_insert_h(m, key, n, ct_strmap_hash(key, n), added);
}

int
ct_strmap_delete(struct ct_strmap *m, const char *key, size_t n)
{
	struct ct_strmap_entry *e;
	size_t i, j, home;

	if ((e = ct_strmap_find(m, key, n)) == NULL)
		return 0;
	if (m->type != NULL && m->type->val_free != NULL && e->val.ptr != NULL)
		m->type->val_free(e->val.ptr);
	i = (size_t)(e - m->slot);
	/* Backward-shift deletion: no tombstones, probes stay short. */
	for (j = (i + 1) & m->mask; m->slot[j].key != NULL;
	    j = (j + 1) & m->mask) {
		home = m->slot[j].hash & m->mask;
		/* Move j into the hole i unless its home lies in (i, j]. */
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	memset(&m->slot[i], 0, sizeof m->slot[i]);
	m->count--;
	return 1;
}

struct ct_strmap_entry *
ct_strmap_next(const struct ct_strmap *m, size_t *iter)
{
	size_t i;

	if (m->slot == NULL)
		return NULL;
	for (i = *iter; i <= m->mask; i++) {
		if (m->slot[i].key != NULL) {
			*iter = i + 1;
			return &m->slot[i];
		}
	}
	*iter = i;
	return NULL;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct ct_strmap_entry *x = *(struct ct_strmap_entry *const *)a;
	const struct ct_strmap_entry *y = *(struct ct_strmap_entry *const *)b;

	return ct_jstr_cmp(x->key, x->keyn, y->key, y->keyn);
}

struct ct_strmap_entry **
ct_strmap_sorted(const struct ct_strmap *m, size_t *n)
{
	struct ct_strmap_entry **v, *e;
	size_t it = 0, k = 0;

	*n = 0;
	if (m->count == 0)
		return NULL;
	v = xmalloc(m->count * sizeof *v);
	while ((e = ct_strmap_next(m, &it)) != NULL)
		v[k++] = e;
	qsort(v, k, sizeof *v, entry_cmp);
	*n = k;
	return v;
}
