/*
 * summary_int.h - the summary's table, shared by the files that make up
 * summary.h: summary.c (the structure, metadata, merging), sumwrite.c
 * (sorted views: the JSON writer and the visitor) and sumread.c (the
 * reader of summaries, ct-aggregate's and the Python tool's layouts).
 * The writer walks the table directly, and the reader marks categories
 * that have no keys, so the table's layout is shared here.  Not for the
 * tools.
 */
#ifndef CT_SUMMARY_INT_H
#define CT_SUMMARY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "strmap.h"
#include "summary.h"

#define NO_ID	UINT32_MAX

struct name {
	const char	*p;	/* in the intern map's arena */
	size_t		 n;
	unsigned	 catmask;	/* sections where it is a category */
};

struct triple {
	uint32_t	 cat, key;	/* cat NO_ID: empty slot */
	uint32_t	 sec;
	uint64_t	 count;
};

struct lastname {
	const char	*p;
	size_t		 n;
	uint32_t	 id;
};

/* Recently interned strings, by a fingerprint of their ends (see intern). */
#define RECENT		256

struct ct_sumtab {
	struct ct_strmap *intern;	/* string -> id (val.u64) */
	struct lastname	 recent[RECENT];
	struct name	*name;		/* by id */
	size_t		 nname, capname;
	struct triple	*slot;
	size_t		 mask;		/* slots - 1 */
	size_t		 triples;
	struct lastname	 lastcat, lastcat2, lastkey;
	uint64_t	 saturated;	/* sums held at CT_SUMMARY_COUNT_MAX */
};

/* Mark cat as a category of sec (it may have no keys). */
void	ct_sumtab_category(struct ct_sumtab *t, enum ct_section sec,
	    const char *cat, size_t catn);

/* The activity names as written and read, by enum ct_activity. */
extern const char *const ct_sumtab_activity_name[3];

/* What a stream that did not complete reports as its error. */
const char *ct_sumtab_outcome_code(const struct ct_fetch_outcome *o);

#endif
