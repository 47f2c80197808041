/*
 * strmap.h - a hash map from byte strings to one word of value.
 *
 * The summary's five maps, region sets and --dedup's eventID set are all
 * "string -> small value" maps that only grow, read on the hot path of the
 * fold (several lookups per record).  So, as in redis' dict, the map is one
 * flat open-addressing table (linear probing, power-of-two size, at most
 * 3/4 full) of 32-byte entries holding the full 64-bit hash, so a probe
 * compares hashes before it touches key bytes, and a miss costs one or two
 * cache lines.  Keys are copied into an arena owned by the map (one
 * allocation per 64 KiB of keys, not one per key), NUL-terminated.  The
 * value is a union of a pointer and a 64-bit integer; a type table may name
 * a destructor for pointer values.  Callers that look up the same string in
 * several maps can hash it once (ct_strmap_hash) and use the *_h calls.
 * The hash is keyed by a per-process random seed, so input crafted to
 * collide on one run does not on the next (keys here come from untrusted
 * records: user agents, principals).  Iteration order is unspecified;
 * ct_strmap_sorted gives code point order.
 *
 * Entry pointers returned by the calls below stay valid until the next
 * insert or delete on the same map.  Not thread-safe: one map, one thread.
 */
#ifndef CT_STRMAP_H
#define CT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct ct_strmap;

struct ct_strmap_entry {
	const char	*key;	/* owned by the map, NUL-terminated; NULL: empty slot */
	size_t		 keyn;
	uint64_t	 hash;
	union {
		void	*ptr;
		uint64_t u64;
		int64_t	 i64;
	} val;		/* zero when the entry is created */
};

struct ct_strmap_type {
	/* Called on val.ptr of each entry when it is deleted or the map is
	 * freed (not when val.ptr is NULL).  NULL: values are not owned. */
	void	(*val_free)(void *ptr);
};

/* A new empty map; type may be NULL (no destructor).  The type table is
 * borrowed and must outlive the map.  Never NULL. */
struct ct_strmap *ct_strmap_new(const struct ct_strmap_type *type);
/* Free m, its keys and (through the type) its values.  NULL is fine. */
void	ct_strmap_free(struct ct_strmap *m);
/* Number of entries. */
size_t	ct_strmap_count(const struct ct_strmap *m);

/* The map's hash of p[0..n) (same seed for all maps of the process). */
uint64_t ct_strmap_hash(const void *p, size_t n);

/* The entry for key[0..n), or NULL. */
struct ct_strmap_entry *ct_strmap_find(const struct ct_strmap *m,
	    const char *key, size_t n);

/*
 * The entry for key[0..n), created (key copied, value zero) when absent;
 * *added (if not NULL) is set to 1 when it was created, else 0.  Never
 * NULL (out of memory ends the program, see xalloc.h).
 */
struct ct_strmap_entry *ct_strmap_insert(struct ct_strmap *m,
	    const char *key, size_t n, int *added);

/* Remove key[0..n) (its value destroyed through the type).  Returns 1 if it
 * was there, else 0.  The key's bytes stay in the arena until the map is
 * freed, so a map that churns should be rebuilt now and then. */
int	ct_strmap_delete(struct ct_strmap *m, const char *key, size_t n);

/* Iterate: set *iter = 0, then call until NULL.  No insert or delete in
 * between. */
struct ct_strmap_entry *ct_strmap_next(const struct ct_strmap *m,
	    size_t *iter);

/*
 * All entries, sorted by key in code point order (ct_jstr_cmp).  Returns an
 * array of *n pointers the caller frees with free(); NULL when the map is
 * empty.  Valid until the next insert or delete.
 */
struct ct_strmap_entry **ct_strmap_sorted(const struct ct_strmap *m,
	    size_t *n);

#endif
