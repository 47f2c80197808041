/*
 * summary.c - see summary.h
 *
 * The five maps are one flat table of (section, category, key) -> count.
 * Every distinct string (category or key) is interned once, in a strmap
 * giving it a 32-bit id, so a triple is 24 bytes compared without touching
 * string bytes: the fold's add is "intern two strings, probe one slot".
 * The intern table is small and hot (a few hundred principals, API names,
 * regions, agents), and the fold passes the same principal to four
 * sections and the same API name to two in a row, so the last category
 * and key are remembered and a repeat costs one compare; behind those, a
 * small table of recent strings, indexed by their length and end bytes,
 * spares most other lookups the hash of the whole string.  Writing and
 * visiting sort each section's triples once (by precomputed string ranks).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "json.h"
#include "jstr.h"
#include "strmap.h"
#include "summary.h"
#include "timefmt.h"
#include "xalloc.h"

const char *const ct_section_name[CT_SECTIONS] = {
	"api_calls_by_principal",
	"api_calls_by_region",
	"ip_addresses_by_principal",
	"user_agents_by_principal",
	"error_codes_by_principal",
};

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

static const struct ct_strmap_type owned_str_type = { free };

/* A slot of recent[] for p[0..n): its length and first and last bytes,
 * where principals, agents and API names differ. */
static inline size_t
recent_slot(const char *p, size_t n)
{
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
	} else if (n > 0)
		a = (uint64_t)(unsigned char)p[0] |
		    (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (uint64_t)(unsigned char)p[n - 1] << 16;
	return (size_t)(((a ^ n) * 0x9e3779b97f4a7c15ULL ^ b) *
	    0xff51afd7ed558ccdULL >> 56) & (RECENT - 1);
}

/*
 * The id of p[0..n), interning it if new.  last remembers one string per
 * caller; behind it, recent[] remembers the last string seen per slot, so
 * that the handful of strings a busy stream repeats (its agents, its IP
 * addresses, its API names) are found without hashing the whole string
 * and probing the map.  A wrong slot only costs the full lookup.
 */
static uint32_t
intern(struct ct_sumtab *t, struct lastname *last, const char *p, size_t n)
{
	struct ct_strmap_entry *e;
	struct lastname *r;
	int added;

	if (last->p != NULL && last->n == n && ct_bytes_eq(last->p, p, n))
		return last->id;
	r = &t->recent[recent_slot(p, n)];
	if (r->p != NULL && r->n == n && ct_bytes_eq(r->p, p, n)) {
		*last = *r;
		return r->id;
	}
	e = ct_strmap_insert(t->intern, p, n, &added);
	if (added) {
		if (t->nname == t->capname) {
			t->capname = t->capname ? t->capname * 2 : 256;
			t->name = xrealloc(t->name, t->capname * sizeof *t->name);
		}
		t->name[t->nname].p = e->key;
		t->name[t->nname].n = n;
		t->name[t->nname].catmask = 0;
		e->val.u64 = t->nname++;
	}
	last->p = e->key;
	last->n = n;
	last->id = (uint32_t)e->val.u64;
	*r = *last;
	return last->id;
}

static inline size_t
triple_hash(uint32_t sec, uint32_t cat, uint32_t key)
{
	__uint128_t r = (__uint128_t)(((uint64_t)cat << 32 | key) ^
	    0x9e3779b97f4a7c15ULL) * (0xbf58476d1ce4e5b9ULL + sec * 2);

	return (size_t)((uint64_t)r ^ (uint64_t)(r >> 64));
}

static void
table_grow(struct ct_sumtab *t)
{
	struct triple *old = t->slot;
	size_t oldn = old ? t->mask + 1 : 0, n = oldn ? oldn * 2 : 1024, i, j;

	t->slot = xmalloc(n * sizeof *t->slot);
	for (i = 0; i < n; i++)
		t->slot[i].cat = NO_ID;
	t->mask = n - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i].cat == NO_ID)
			continue;
		for (j = triple_hash(old[i].sec, old[i].cat, old[i].key) &
		    t->mask; t->slot[j].cat != NO_ID; j = (j + 1) & t->mask)
			;
		t->slot[j] = old[i];
	}
	free(old);
}

static void
table_add(struct ct_sumtab *t, uint32_t sec, uint32_t cat, uint32_t key,
    uint64_t count)
{
	struct triple *e;
	size_t i;

	/* At most half full: linear probing then averages 1.5 probes. */
	if (t->slot == NULL || (t->triples + 1) * 2 > t->mask + 1)
		table_grow(t);
	for (i = triple_hash(sec, cat, key) & t->mask;; i = (i + 1) & t->mask) {
		e = &t->slot[i];
		if (e->cat == cat && e->key == key && e->sec == sec) {
			e->count += count;
			if (e->count > CT_SUMMARY_COUNT_MAX ||
			    e->count < count) {
				e->count = CT_SUMMARY_COUNT_MAX;
				t->saturated++;
			}
			return;
		}
		if (e->cat == NO_ID)
			break;
	}
	e->cat = cat;
	e->key = key;
	e->sec = sec;
	e->count = count;
	if (count > CT_SUMMARY_COUNT_MAX) {
		e->count = CT_SUMMARY_COUNT_MAX;
		t->saturated++;
	}
	t->triples++;
	t->name[cat].catmask |= 1u << sec;
}

/* Mark cat as a category of sec (it may have no keys). */
static void
category(struct ct_sumtab *t, enum ct_section sec, const char *cat,
    size_t catn)
{
	uint32_t id = intern(t, &t->lastcat, cat, catn);

	t->name[id].catmask |= 1u << sec;	/* after intern's realloc */
}

struct ct_summary *
ct_summary_new(void)
{
	struct ct_summary *s = xcalloc(1, sizeof *s);

	s->tab = xcalloc(1, sizeof *s->tab);
	s->tab->intern = ct_strmap_new(NULL);
	s->meta.regions_enabled = ct_strmap_new(NULL);
	s->meta.regions_failed = ct_strmap_new(&owned_str_type);
	s->meta.failed_other = ct_strmap_new(&owned_str_type);
	s->meta.fetches = ct_fetchset_new();
	s->meta.accounts = ct_strmap_new(NULL);
	s->meta.principals = ct_strmap_new(NULL);
	return s;
}

void
ct_summary_free(struct ct_summary *s)
{
	if (s == NULL)
		return;
	ct_strmap_free(s->tab->intern);
	free(s->tab->name);
	free(s->tab->slot);
	free(s->tab);
	free(s->meta.account_id);
	free(s->meta.account_principal);
	free(s->meta.invocation);
	ct_strmap_free(s->meta.regions_enabled);
	ct_strmap_free(s->meta.regions_failed);
	ct_strmap_free(s->meta.failed_other);
	ct_fetchset_free(s->meta.fetches);
	ct_strmap_free(s->meta.accounts);
	ct_strmap_free(s->meta.principals);
	free(s);
}

void
ct_summary_add(struct ct_summary *s, enum ct_section sec, const char *cat,
    size_t catn, const char *key, size_t keyn, uint64_t count)
{
	struct ct_sumtab *t = s->tab;
	uint32_t c, k;

	/* Two categories remembered: the fold alternates the principal and
	 * the region within a record. */
	if (t->lastcat2.p != NULL && t->lastcat2.n == catn &&
	    ct_bytes_eq(t->lastcat2.p, cat, catn))
		c = t->lastcat2.id;
	else {
		if (t->lastcat.p == NULL || t->lastcat.n != catn ||
		    !ct_bytes_eq(t->lastcat.p, cat, catn))
			t->lastcat2 = t->lastcat;
		c = intern(t, &t->lastcat, cat, catn);
	}
	k = intern(t, &t->lastkey, key, keyn);
	table_add(t, (uint32_t)sec, c, k, count);
}

size_t
ct_summary_size(const struct ct_summary *s)
{
	return s->tab->triples;
}

/* ---- metadata ----------------------------------------------------------- */

/* Keep state/value in step with the set of values seen. */
static void
agree_sync(struct ct_strmap *set, enum ct_agree *state, char **val)
{
	struct ct_strmap_entry *e;
	size_t it = 0;

	free(*val);
	*val = NULL;
	switch (ct_strmap_count(set)) {
	case 0:
		*state = CT_AGREE_UNSET;
		break;
	case 1:
		e = ct_strmap_next(set, &it);
		*state = CT_AGREE_SET;
		*val = xstrndup(e->key, e->keyn);
		break;
	default:
		*state = CT_AGREE_CONFLICT;
		break;
	}
}

static void
agree_add(struct ct_strmap *set, enum ct_agree *state, char **val,
    const char *s, size_t n)
{
	int added;

	ct_strmap_insert(set, s, n, &added);
	if (added)
		agree_sync(set, state, val);
}

void
ct_meta_set_account(struct ct_meta *m, const char *s, size_t n)
{
	agree_add(m->accounts, &m->account_state, &m->account_id, s, n);
}

void
ct_meta_set_principal(struct ct_meta *m, const char *s, size_t n)
{
	agree_add(m->principals, &m->principal_state, &m->account_principal,
	    s, n);
}

void
ct_meta_set_activity(struct ct_meta *m, enum ct_activity a)
{
	m->activity = a;
	m->activity_set = 1;
}

void
ct_meta_add_region_enabled(struct ct_meta *m, const char *region)
{
	ct_strmap_insert(m->regions_enabled, region, strlen(region), NULL);
}

/* region -> error into map; of two errors the smaller one stays. */
static void
failed_add(struct ct_strmap *map, const char *region, const char *error)
{
	struct ct_strmap_entry *e;
	size_t n = strlen(error);
	int added;

	e = ct_strmap_insert(map, region, strlen(region), &added);
	if (!added && ct_jstr_cmp(e->val.ptr, strlen(e->val.ptr), error, n) <= 0)
		return;
	free(e->val.ptr);
	e->val.ptr = xstrndup(error, n);
}

void
ct_meta_add_region_failed(struct ct_meta *m, const char *region,
    const char *error)
{
	failed_add(m->failed_other, region, error);
	failed_add(m->regions_failed, region, error);
}

void
ct_meta_add_fetch(struct ct_meta *m, const struct ct_fetch_outcome *o)
{
	ct_fetchset_add(m->fetches, o);
}

/* What a stream that did not complete reports as its error. */
static const char *
outcome_code(const struct ct_fetch_outcome *o)
{
	static const char *const dflt[CT_FETCH_NSTATUS] = {
		NULL, "Failed", "Interrupted", "Incomplete",
	};

	return o->code != NULL ? o->code : dflt[o->status];
}

void
ct_meta_settle(struct ct_meta *m)
{
	const struct ct_fetch_outcome **v;
	struct ct_strmap_entry *e;
	size_t n, i, it = 0;

	ct_strmap_free(m->regions_failed);
	m->regions_failed = ct_strmap_new(&owned_str_type);
	while ((e = ct_strmap_next(m->failed_other, &it)) != NULL)
		failed_add(m->regions_failed, e->key, e->val.ptr);
	v = ct_fetchset_sorted(m->fetches, &n);
	for (i = 0; i < n; i++)
		if (v[i]->status != CT_FETCH_COMPLETE)
			failed_add(m->regions_failed, v[i]->region,
			    outcome_code(v[i]));
	free(v);
}

void
ct_meta_widen(struct ct_meta *m, int64_t t)
{
	if (!m->have_from || t < m->from)
		m->from = t;
	if (!m->have_to || t > m->to)
		m->to = t;
	m->have_from = m->have_to = 1;
}

/* ---- merge -------------------------------------------------------------- */

/* A summary whose activity was never chosen: the default ALL, not set. */
static int
activity_known(const struct ct_meta *m)
{
	return m->activity_set || m->activity != CT_ACTIVITY_ALL;
}

static void
merge_agree(struct ct_strmap *dset, enum ct_agree *dstate, char **dval,
    const struct ct_strmap *sset, enum ct_agree sstate, const char *sval)
{
	struct ct_strmap_entry *e;
	size_t it = 0;
	int added, changed = 0;

	while ((e = ct_strmap_next(sset, &it)) != NULL) {
		ct_strmap_insert(dset, e->key, e->keyn, &added);
		changed |= added;
	}
	/* A value set directly (not through the setters) still counts. */
	if (sstate == CT_AGREE_SET && sval != NULL &&
	    ct_strmap_count(sset) == 0) {
		ct_strmap_insert(dset, sval, strlen(sval), &added);
		changed |= added;
	}
	if (changed)
		agree_sync(dset, dstate, dval);
	if (sstate == CT_AGREE_CONFLICT && *dstate != CT_AGREE_CONFLICT) {
		free(*dval);
		*dval = NULL;
		*dstate = CT_AGREE_CONFLICT;
	}
}

/* dst's id of src's name id (interned on first use). */
static uint32_t
xlat(struct ct_sumtab *d, const struct ct_sumtab *s, uint32_t *map,
    uint32_t id, struct lastname *last)
{
	if (map[id] == NO_ID)
		map[id] = intern(d, last, s->name[id].p, s->name[id].n);
	return map[id];
}

static void
merge_table(struct ct_sumtab *d, const struct ct_sumtab *s)
{
	uint32_t *map, c, k;
	size_t i;

	if (s->nname == 0)
		return;
	map = xmalloc(s->nname * sizeof *map);
	for (i = 0; i < s->nname; i++)
		map[i] = NO_ID;
	for (i = 0; s->slot != NULL && i <= s->mask; i++) {
		if (s->slot[i].cat == NO_ID)
			continue;
		c = xlat(d, s, map, s->slot[i].cat, &d->lastcat);
		k = xlat(d, s, map, s->slot[i].key, &d->lastkey);
		table_add(d, s->slot[i].sec, c, k, s->slot[i].count);
	}
	for (i = 0; i < s->nname; i++) {
		if (s->name[i].catmask) {
			c = xlat(d, s, map, (uint32_t)i, &d->lastcat);
			d->name[c].catmask |= s->name[i].catmask;
		}
	}
	free(map);
	d->saturated += s->saturated;
}

/* *d += s, held at CT_SUMMARY_COUNT_MAX (counted in *sat). */
static void
sat_add(uint64_t *d, uint64_t s, uint64_t *sat)
{
	*d += s;
	if (*d > CT_SUMMARY_COUNT_MAX || *d < s) {
		*d = CT_SUMMARY_COUNT_MAX;
		(*sat)++;
	}
}

uint64_t
ct_summary_saturated(const struct ct_summary *s)
{
	return s->tab->saturated;
}

void
ct_summary_merge(struct ct_summary *dst, const struct ct_summary *src)
{
	struct ct_meta *d = &dst->meta;
	const struct ct_meta *s = &src->meta;
	struct ct_strmap_entry *ce;
	uint64_t *sat;
	size_t ci;

	merge_table(dst->tab, src->tab);

	merge_agree(d->accounts, &d->account_state, &d->account_id,
	    s->accounts, s->account_state, s->account_id);
	merge_agree(d->principals, &d->principal_state, &d->account_principal,
	    s->principals, s->principal_state, s->account_principal);
	/* activity: a join; SUCCESSFUL and FAILED together cover ALL. */
	if (activity_known(s)) {
		if (!activity_known(d))
			d->activity = s->activity;
		else if (d->activity != s->activity)
			d->activity = CT_ACTIVITY_ALL;
		d->activity_set = 1;
	}
	if (s->have_from && (!d->have_from || s->from < d->from))
		d->from = s->from;
	if (s->have_to && (!d->have_to || s->to > d->to))
		d->to = s->to;
	d->have_from |= s->have_from;
	d->have_to |= s->have_to;
	d->window_asked |= s->window_asked;
	if (s->invocation != NULL && (d->invocation == NULL ||
	    strcmp(s->invocation, d->invocation) < 0)) {
		free(d->invocation);
		d->invocation = xstrdup(s->invocation);
	}
	ci = 0;
	while ((ce = ct_strmap_next(s->regions_enabled, &ci)) != NULL)
		ct_strmap_insert(d->regions_enabled, ce->key, ce->keyn, NULL);
	ci = 0;
	while ((ce = ct_strmap_next(s->failed_other, &ci)) != NULL)
		failed_add(d->failed_other, ce->key, ce->val.ptr);
	ct_fetchset_merge(d->fetches, s->fetches);
	ct_meta_settle(d);
	/* 0 is "unset"; a set one may be before 1970 (a forged control
	 * record), and must survive a write/read round trip */
	if (s->run_timestamp != 0 && (d->run_timestamp == 0 ||
	    s->run_timestamp > d->run_timestamp))
		d->run_timestamp = s->run_timestamp;
	d->has_statistics |= s->has_statistics;
	sat = &dst->tab->saturated;
	sat_add(&d->files_read, s->files_read, sat);
	sat_add(&d->records_counted, s->records_counted, sat);
	sat_add(&d->records_skipped, s->records_skipped, sat);
	sat_add(&d->records_filtered, s->records_filtered, sat);
	sat_add(&d->records_duplicate, s->records_duplicate, sat);
	sat_add(&d->values_malformed, s->values_malformed, sat);
	sat_add(&d->strings_repaired, s->strings_repaired, sat);
	sat_add(&d->principal_fallbacks, s->principal_fallbacks, sat);
	sat_add(&d->digest_files, s->digest_files, sat);
	sat_add(&d->inputs_skipped, s->inputs_skipped, sat);
	sat_add(&d->summaries_merged, s->summaries_merged, sat);
}

/* ---- sorted views ------------------------------------------------------- */

static _Thread_local const struct ct_sumtab *sort_tab;	/* qsort: no context */

static int
id_cmp(const void *a, const void *b)
{
	const struct name *x = &sort_tab->name[*(const uint32_t *)a];
	const struct name *y = &sort_tab->name[*(const uint32_t *)b];

	return ct_jstr_cmp(x->p, x->n, y->p, y->n);
}

/* rank[id]: the position of name id in code point order. */
static uint32_t *
ranks(const struct ct_sumtab *t)
{
	uint32_t *ids = xmalloc((t->nname + 1) * sizeof *ids);
	uint32_t *rank = xmalloc((t->nname + 1) * sizeof *rank);
	size_t i;

	for (i = 0; i < t->nname; i++)
		ids[i] = (uint32_t)i;
	sort_tab = t;
	qsort(ids, t->nname, sizeof *ids, id_cmp);
	for (i = 0; i < t->nname; i++)
		rank[ids[i]] = (uint32_t)i;
	free(ids);
	return rank;
}

struct view {
	uint32_t	*cat;		/* categories of the section, sorted */
	size_t		 ncat;
	struct triple	*tr;		/* its triples, sorted */
	size_t		 ntr;
};

static _Thread_local const uint32_t *sort_rank;

static int
cat_cmp(const void *a, const void *b)
{
	uint32_t x = sort_rank[*(const uint32_t *)a];
	uint32_t y = sort_rank[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

/* By category, then key (the document order). */
static int
doc_cmp(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;

	if (x->cat != y->cat)
		return sort_rank[x->cat] < sort_rank[y->cat] ? -1 : 1;
	if (x->key != y->key)
		return sort_rank[x->key] < sort_rank[y->key] ? -1 : 1;
	return 0;
}

/* By category, then count descending, then key (the chart order). */
static int
chart_cmp(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;

	if (x->cat != y->cat)
		return sort_rank[x->cat] < sort_rank[y->cat] ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->key != y->key)
		return sort_rank[x->key] < sort_rank[y->key] ? -1 : 1;
	return 0;
}

/* The section's categories and triples, sorted with cmp (which reads the
 * thread's sort_rank). */
static void
view_make(const struct ct_sumtab *t, const uint32_t *rank, uint32_t sec,
    int (*cmp)(const void *, const void *), struct view *v)
{
	size_t i;

	memset(v, 0, sizeof *v);
	v->cat = xmalloc((t->nname + 1) * sizeof *v->cat);
	for (i = 0; i < t->nname; i++)
		if (t->name[i].catmask & 1u << sec)
			v->cat[v->ncat++] = (uint32_t)i;
	v->tr = xmalloc((t->triples + 1) * sizeof *v->tr);
	for (i = 0; t->slot != NULL && i <= t->mask; i++)
		if (t->slot[i].cat != NO_ID && t->slot[i].sec == sec)
			v->tr[v->ntr++] = t->slot[i];
	sort_rank = rank;
	qsort(v->cat, v->ncat, sizeof *v->cat, cat_cmp);
	qsort(v->tr, v->ntr, sizeof *v->tr, cmp);
}

static void
view_free(struct view *v)
{
	free(v->cat);
	free(v->tr);
}

/* ---- write -------------------------------------------------------------- */

#define FLUSH_AT	(64 * 1024)

struct writer {
	struct ct_buf	 b;
	FILE		*out;
	int		 failed;
};

static void
wflush(struct writer *w)
{
	if (w->b.len && !w->failed &&
	    fwrite(w->b.data, 1, w->b.len, w->out) != w->b.len)
		w->failed = 1;
	ct_buf_reset(&w->b);
}

static void
wmaybe(struct writer *w)
{
	if (w->b.len >= FLUSH_AT)
		wflush(w);
}

static void
windent(struct writer *w, int level)
{
	ct_buf_addc(&w->b, '\n');
	while (level-- > 0)
		ct_buf_add(&w->b, "  ", 2);
}

/* "key": at level (a member of an object), after a ',' when not first. */
static void
wkey(struct writer *w, int level, int first, const char *k, size_t n)
{
	if (!first)
		ct_buf_addc(&w->b, ',');
	windent(w, level);
	ct_jstr_encode(&w->b, k, n);
	ct_buf_add(&w->b, ": ", 2);
	wmaybe(w);
}

static void
wstr_or_null(struct writer *w, const char *s)
{
	if (s == NULL)
		ct_buf_adds(&w->b, "null");
	else
		ct_jstr_encode(&w->b, s, strlen(s));
}

static void
wtime(struct writer *w, int have, int64_t t)
{
	char c[15];

	if (!have || ct_time_format_compact(t, c) < 0)
		ct_buf_adds(&w->b, "null");
	else
		ct_buf_printf(&w->b, "\"%s\"", c);
}

/* A set (map keys) as a sorted JSON list. */
static void
wset(struct writer *w, int level, const struct ct_strmap *m)
{
	struct ct_strmap_entry **v;
	size_t n, i;

	v = ct_strmap_sorted(m, &n);
	if (n == 0) {
		ct_buf_add(&w->b, "[]", 2);
		return;
	}
	ct_buf_addc(&w->b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			ct_buf_addc(&w->b, ',');
		windent(w, level + 1);
		ct_jstr_encode(&w->b, v[i]->key, v[i]->keyn);
		wmaybe(w);
	}
	windent(w, level);
	ct_buf_addc(&w->b, ']');
	free(v);
}

static void
wsection(struct writer *w, const struct ct_sumtab *t, const uint32_t *rank,
    uint32_t sec)
{
	struct view v;
	const struct name *c, *k;
	size_t i, j = 0, first;

	view_make(t, rank, sec, doc_cmp, &v);
	if (v.ncat == 0) {
		ct_buf_add(&w->b, "{}", 2);
		view_free(&v);
		return;
	}
	ct_buf_addc(&w->b, '{');
	for (i = 0; i < v.ncat; i++) {
		c = &t->name[v.cat[i]];
		wkey(w, 2, i == 0, c->p, c->n);
		if (j >= v.ntr || v.tr[j].cat != v.cat[i]) {
			ct_buf_add(&w->b, "{}", 2);
			continue;
		}
		ct_buf_addc(&w->b, '{');
		for (first = j; j < v.ntr && v.tr[j].cat == v.cat[i]; j++) {
			k = &t->name[v.tr[j].key];
			wkey(w, 3, j == first, k->p, k->n);
			ct_buf_printf(&w->b, "%llu",
			    (unsigned long long)v.tr[j].count);
		}
		windent(w, 2);
		ct_buf_addc(&w->b, '}');
	}
	windent(w, 1);
	ct_buf_addc(&w->b, '}');
	view_free(&v);
}

static const char *const activity_name[] = { "ALL", "SUCCESSFUL", "FAILED" };

static void
wstat(struct writer *w, int first, const char *name, uint64_t v)
{
	wkey(w, 3, first, name, strlen(name));
	ct_buf_printf(&w->b, "%llu", (unsigned long long)v);
}

/*
 * "fetches": a list of the streams, each an object in sort_keys order.
 * Failures known by region only (failed_other) go in as streams of an
 * unknown account and window, so that the list alone rebuilds
 * regions_failed when the file is read back.
 */
static void
wfetches(struct writer *w, const struct ct_meta *m)
{
	const struct ct_fetch_outcome **v;
	struct ct_fetchset *all = ct_fetchset_new();
	struct ct_fetch_outcome o;
	struct ct_strmap_entry *e;
	size_t n, i, it = 0;

	ct_fetchset_merge(all, m->fetches);
	while ((e = ct_strmap_next(m->failed_other, &it)) != NULL) {
		memset(&o, 0, sizeof(o));
		o.region = e->key;
		o.status = CT_FETCH_FAILED;
		o.code = e->val.ptr;
		ct_fetchset_add(all, &o);
	}
	v = ct_fetchset_sorted(all, &n);
	ct_buf_addc(&w->b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			ct_buf_addc(&w->b, ',');
		windent(w, 3);
		ct_buf_addc(&w->b, '{');
		wkey(w, 4, 1, "account_id", 10);
		wstr_or_null(w, v[i]->account);
		wkey(w, 4, 0, "error_code", 10);
		wstr_or_null(w, v[i]->status == CT_FETCH_COMPLETE ? NULL :
		    outcome_code(v[i]));
		wkey(w, 4, 0, "from_timestamp", 14);
		wtime(w, v[i]->have_from, v[i]->from);
		wkey(w, 4, 0, "region", 6);
		wstr_or_null(w, v[i]->region);
		wkey(w, 4, 0, "status", 6);
		wstr_or_null(w, ct_fetch_status_name[v[i]->status]);
		wkey(w, 4, 0, "to_timestamp", 12);
		wtime(w, v[i]->have_to, v[i]->to);
		windent(w, 3);
		ct_buf_addc(&w->b, '}');
		wmaybe(w);
	}
	windent(w, 2);
	ct_buf_addc(&w->b, ']');
	free(v);
	ct_fetchset_free(all);
}

static void
wmeta(struct writer *w, const struct ct_meta *m)
{
	struct ct_strmap_entry **v;
	size_t n, i;

	/* Members in code point order, as sort_keys writes them. */
	ct_buf_addc(&w->b, '{');
	wkey(w, 2, 1, "account_id", 10);
	wstr_or_null(w, m->account_state == CT_AGREE_SET ? m->account_id : NULL);
	if (ct_strmap_count(m->accounts) > 1) {
		wkey(w, 2, 0, "account_ids", 11);
		wset(w, 2, m->accounts);
	}
	wkey(w, 2, 0, "account_principal", 17);
	wstr_or_null(w, m->principal_state == CT_AGREE_SET ?
	    m->account_principal : NULL);
	if (ct_strmap_count(m->principals) > 1) {
		wkey(w, 2, 0, "account_principals", 18);
		wset(w, 2, m->principals);
	}
	wkey(w, 2, 0, "activity_type", 13);
	wstr_or_null(w, activity_name[m->activity <= CT_ACTIVITY_FAILED ?
	    m->activity : 0]);
	wkey(w, 2, 0, "cloudtrail_data_analyzed", 24);
	ct_buf_addc(&w->b, '{');
	wkey(w, 3, 1, "from_timestamp", 14);
	wtime(w, m->have_from, m->from);
	wkey(w, 3, 0, "to_timestamp", 12);
	wtime(w, m->have_to, m->to);
	windent(w, 2);
	ct_buf_addc(&w->b, '}');
	if (ct_fetchset_count(m->fetches) > 0) {
		wkey(w, 2, 0, "fetches", 7);
		wfetches(w, m);
	}
	wkey(w, 2, 0, "invocation", 10);
	wstr_or_null(w, m->invocation);
	wkey(w, 2, 0, "regions_enabled", 15);
	wset(w, 2, m->regions_enabled);
	wkey(w, 2, 0, "regions_failed", 14);
	v = ct_strmap_sorted(m->regions_failed, &n);
	if (n == 0)
		ct_buf_add(&w->b, "{}", 2);
	else {
		ct_buf_addc(&w->b, '{');
		for (i = 0; i < n; i++) {
			wkey(w, 3, i == 0, v[i]->key, v[i]->keyn);
			wstr_or_null(w, v[i]->val.ptr);
		}
		windent(w, 2);
		ct_buf_addc(&w->b, '}');
	}
	free(v);
	wkey(w, 2, 0, "run_timestamp", 13);
	wtime(w, m->run_timestamp != 0, m->run_timestamp);
	wkey(w, 2, 0, "statistics", 10);
	ct_buf_addc(&w->b, '{');
	wstat(w, 1, "digest_files", m->digest_files);
	wstat(w, 0, "files_read", m->files_read);
	wstat(w, 0, "inputs_skipped", m->inputs_skipped);
	wstat(w, 0, "principal_fallbacks", m->principal_fallbacks);
	wstat(w, 0, "records_counted", m->records_counted);
	wstat(w, 0, "records_duplicate", m->records_duplicate);
	wstat(w, 0, "records_filtered", m->records_filtered);
	wstat(w, 0, "records_skipped", m->records_skipped);
	wstat(w, 0, "strings_repaired", m->strings_repaired);
	wstat(w, 0, "summaries_merged", m->summaries_merged);
	wstat(w, 0, "values_malformed", m->values_malformed);
	windent(w, 2);
	ct_buf_addc(&w->b, '}');
	windent(w, 1);
	ct_buf_addc(&w->b, '}');
}

int
ct_summary_write(const struct ct_summary *s, FILE *out)
{
	/* Sections in code point order of their names. */
	static const enum ct_section order[CT_SECTIONS] = {
		CT_API_CALLS_BY_PRINCIPAL, CT_API_CALLS_BY_REGION,
		CT_ERROR_CODES_BY_PRINCIPAL, CT_IP_ADDRESSES_BY_PRINCIPAL,
		CT_USER_AGENTS_BY_PRINCIPAL,
	};
	struct writer w;
	uint32_t *rank;
	int i, saved;

	rank = ranks(s->tab);
	w.out = out;
	w.failed = 0;
	ct_buf_init(&w.b, 0);
	ct_buf_addc(&w.b, '{');
	wkey(&w, 1, 1, "_metadata", 9);
	wmeta(&w, &s->meta);
	for (i = 0; i < CT_SECTIONS; i++) {
		wkey(&w, 1, 0, ct_section_name[order[i]],
		    strlen(ct_section_name[order[i]]));
		wsection(&w, s->tab, rank, (uint32_t)order[i]);
	}
	free(rank);
	ct_buf_add(&w.b, "\n}\n", 3);
	wflush(&w);
	ct_buf_free(&w.b);
	if (fflush(out) != 0 || ferror(out))
		w.failed = 1;
	if (w.failed) {
		saved = errno ? errno : EIO;
		errno = saved;
		return -1;
	}
	return 0;
}

/* ---- visit -------------------------------------------------------------- */

int
ct_summary_visit(const struct ct_summary *s, enum ct_section sec,
    ct_summary_visit_fn fn, void *arg)
{
	const struct ct_sumtab *t = s->tab;
	struct ct_summary_item *items;
	uint32_t *rank;
	struct view v;
	size_t i, j = 0, k;
	int rc = 0;

	rank = ranks(t);
	view_make(t, rank, (uint32_t)sec, chart_cmp, &v);
	items = xmalloc((v.ntr + 1) * sizeof *items);
	for (i = 0; i < v.ncat && rc == 0; i++) {
		for (k = 0; j < v.ntr && v.tr[j].cat == v.cat[i]; j++, k++) {
			items[k].key = t->name[v.tr[j].key].p;
			items[k].keyn = t->name[v.tr[j].key].n;
			items[k].count = v.tr[j].count;
		}
		rc = fn(arg, sec, t->name[v.cat[i]].p, t->name[v.cat[i]].n,
		    items, k);
	}
	free(items);
	view_free(&v);
	free(rank);
	return rc;
}

/* ---- read --------------------------------------------------------------- */

#define MAX_COUNT	((int64_t)CT_SUMMARY_COUNT_MAX)

static int
rfail(struct ct_buf *err, const char *fmt, const char *what)
{
	if (err != NULL) {
		ct_buf_reset(err);
		ct_buf_printf(err, fmt, what);
	}
	return -1;
}

/*
 * The members of obj that count: where a name is repeated, the last one
 * (as Python's json.loads keeps it).  Returns a map name -> node for
 * shadowed(); NULL when obj has no repeated names (the common case).
 */
static struct ct_strmap *
last_members(const struct ct_jnode *obj)
{
	struct ct_strmap *m = ct_strmap_new(NULL);
	const struct ct_jnode *c;
	int added, dup = 0;

	for (c = obj->child; c != NULL; c = c->next) {
		ct_strmap_insert(m, c->key, c->keylen, &added)->val.ptr =
		    (void *)(uintptr_t)c;
		dup |= !added;
	}
	if (!dup) {
		ct_strmap_free(m);
		return NULL;
	}
	return m;
}

static int
shadowed(const struct ct_strmap *m, const struct ct_jnode *c)
{
	return m != NULL &&
	    ct_strmap_find(m, c->key, c->keylen)->val.ptr != (void *)(uintptr_t)c;
}

static int
read_section(struct ct_summary *t, enum ct_section sec,
    const struct ct_jnode *o, const char *name, struct ct_buf *err)
{
	const struct ct_jnode *c, *k;
	struct ct_strmap *lastc, *lastk;
	int64_t v;
	int rc = -1;

	if (o->type != CT_JOBJECT)
		return rfail(err, "\"%s\" is not an object", name);
	lastc = last_members(o);
	for (c = o->child; c != NULL; c = c->next) {
		if (shadowed(lastc, c))
			continue;
		if (c->type != CT_JOBJECT) {
			rfail(err, "\"%s\": a category is not an object", name);
			goto out;
		}
		/* An empty category is kept as it is. */
		category(t->tab, sec, c->key, c->keylen);
		lastk = last_members(c);
		for (k = c->child; k != NULL; k = k->next) {
			if (shadowed(lastk, k))
				continue;
			if (k->type != CT_JNUMBER || ct_json_int(k, &v) != 0) {
				rfail(err, "\"%s\": a count is not an integer",
				    name);
				ct_strmap_free(lastk);
				goto out;
			}
			if (v < 0 || v > MAX_COUNT) {
				rfail(err, "\"%s\": a count is negative or "
				    "above 2^53", name);
				ct_strmap_free(lastk);
				goto out;
			}
			ct_summary_add(t, sec, c->key, c->keylen, k->key,
			    k->keylen, (uint64_t)v);
		}
		ct_strmap_free(lastk);
	}
	rc = 0;
out:
	ct_strmap_free(lastc);
	return rc;
}

/* A string or null member; -1 if present with another type. */
static int
opt_str(const struct ct_jnode *o, const char *key, const char **out)
{
	const struct ct_jnode *n = ct_json_get(o, key);

	*out = NULL;
	if (n == NULL || n->type == CT_JNULL)
		return 0;
	if (n->type != CT_JSTRING)
		return -1;
	*out = n->str;
	return 0;
}

static int
opt_time(const struct ct_jnode *o, const char *key, int *have, int64_t *t)
{
	const char *s;

	if (opt_str(o, key, &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (ct_time_parse(s, strlen(s), t) < 0)
		return -1;
	*have = 1;
	return 0;
}

static int
str_list(const struct ct_jnode *a, struct ct_meta *m,
    void (*add)(struct ct_meta *, const char *, size_t))
{
	const struct ct_jnode *c;

	if (a->type != CT_JARRAY)
		return -1;
	for (c = a->child; c != NULL; c = c->next) {
		if (c->type != CT_JSTRING)
			return -1;
		add(m, c->str, c->len);
	}
	return 0;
}

static void
add_region(struct ct_meta *m, const char *s, size_t n)
{
	ct_strmap_insert(m->regions_enabled, s, n, NULL);
}

static const struct {
	const char	*name;
	size_t		 off;
} stat_field[] = {
	{ "files_read", offsetof(struct ct_meta, files_read) },
	{ "records_counted", offsetof(struct ct_meta, records_counted) },
	{ "records_skipped", offsetof(struct ct_meta, records_skipped) },
	{ "records_filtered", offsetof(struct ct_meta, records_filtered) },
	{ "records_duplicate", offsetof(struct ct_meta, records_duplicate) },
	{ "values_malformed", offsetof(struct ct_meta, values_malformed) },
	{ "strings_repaired", offsetof(struct ct_meta, strings_repaired) },
	{ "principal_fallbacks", offsetof(struct ct_meta, principal_fallbacks) },
	{ "digest_files", offsetof(struct ct_meta, digest_files) },
	{ "inputs_skipped", offsetof(struct ct_meta, inputs_skipped) },
	{ "summaries_merged", offsetof(struct ct_meta, summaries_merged) },
};

/* "fetches": a list of stream outcomes (see wfetches). */
static int
read_fetches(struct ct_meta *m, const struct ct_jnode *a, struct ct_buf *err)
{
	const struct ct_jnode *c;
	struct ct_fetch_outcome f;
	const char *st;
	int i;

	if (a->type != CT_JARRAY)
		return rfail(err, "%s is not a list", "fetches");
	for (c = a->child; c != NULL; c = c->next) {
		memset(&f, 0, sizeof(f));
		if (c->type != CT_JOBJECT ||
		    opt_str(c, "account_id", &f.account) < 0 ||
		    opt_str(c, "region", &f.region) < 0 || f.region == NULL ||
		    opt_str(c, "status", &st) < 0 || st == NULL ||
		    opt_str(c, "error_code", &f.code) < 0 ||
		    opt_time(c, "from_timestamp", &f.have_from, &f.from) < 0 ||
		    opt_time(c, "to_timestamp", &f.have_to, &f.to) < 0)
			return rfail(err, "%s: an entry is not an object with "
			    "a region, a status, strings and timestamps",
			    "fetches");
		for (i = 0; i < CT_FETCH_NSTATUS; i++)
			if (strcmp(st, ct_fetch_status_name[i]) == 0)
				break;
		if (i == CT_FETCH_NSTATUS)
			return rfail(err, "%s: unknown status (not complete, "
			    "failed, interrupted or incomplete)", "fetches");
		f.status = (enum ct_fetch_status)i;
		ct_meta_add_fetch(m, &f);
	}
	return 0;
}

static int
read_meta(struct ct_meta *m, const struct ct_jnode *o, struct ct_buf *err)
{
	const struct ct_jnode *n, *c;
	const char *s;
	int64_t v;
	size_t i;
	int have_run = 0, have_fetches = 0;

	if (o->type != CT_JOBJECT)
		return rfail(err, "%s is not an object", "\"_metadata\"");
	if (opt_str(o, "account_id", &s) < 0)
		return rfail(err, "%s is not a string", "account_id");
	if (s != NULL)
		ct_meta_set_account(m, s, strlen(s));
	if ((n = ct_json_get(o, "account_ids")) != NULL &&
	    str_list(n, m, ct_meta_set_account) < 0)
		return rfail(err, "%s is not a list of strings", "account_ids");
	if (opt_str(o, "account_principal", &s) < 0)
		return rfail(err, "%s is not a string", "account_principal");
	if (s != NULL)
		ct_meta_set_principal(m, s, strlen(s));
	if ((n = ct_json_get(o, "account_principals")) != NULL &&
	    str_list(n, m, ct_meta_set_principal) < 0)
		return rfail(err, "%s is not a list of strings",
		    "account_principals");
	if (opt_str(o, "activity_type", &s) < 0)
		return rfail(err, "%s is not a string", "activity_type");
	if (s != NULL) {
		for (i = 0; i < 3; i++)
			if (strcasecmp(s, activity_name[i]) == 0)
				break;
		if (i == 3)
			/* not echoed: it could hold terminal escapes */
			return rfail(err, "%s", "unknown activity_type (not "
			    "ALL, SUCCESSFUL or FAILED)");
		ct_meta_set_activity(m, (enum ct_activity)i);
	}
	if ((n = ct_json_get(o, "cloudtrail_data_analyzed")) != NULL &&
	    n->type != CT_JNULL) {
		if (n->type != CT_JOBJECT ||
		    opt_time(n, "from_timestamp", &m->have_from, &m->from) < 0 ||
		    opt_time(n, "to_timestamp", &m->have_to, &m->to) < 0)
			return rfail(err, "%s is not a pair of timestamps",
			    "cloudtrail_data_analyzed");
	}
	if (opt_str(o, "invocation", &s) < 0)
		return rfail(err, "%s is not a string", "invocation");
	if (s != NULL)
		m->invocation = xstrdup(s);
	/* regions_enabled; the oldest layout's "regions" means the same. */
	if ((n = ct_json_get(o, "regions_enabled")) != NULL &&
	    n->type != CT_JNULL && str_list(n, m, add_region) < 0)
		return rfail(err, "%s is not a list of strings",
		    "regions_enabled");
	if ((n = ct_json_get(o, "regions")) != NULL && n->type != CT_JNULL &&
	    str_list(n, m, add_region) < 0)
		return rfail(err, "%s is not a list of strings", "regions");
	if ((n = ct_json_get(o, "fetches")) != NULL && n->type != CT_JNULL) {
		if (read_fetches(m, n, err) < 0)
			return -1;
		have_fetches = 1;
	}
	/* With "fetches", regions_failed is derived from them. */
	if (!have_fetches && (n = ct_json_get(o, "regions_failed")) != NULL &&
	    n->type != CT_JNULL) {
		if (n->type != CT_JOBJECT)
			return rfail(err, "%s is not an object",
			    "regions_failed");
		struct ct_strmap *last = last_members(n);

		for (c = n->child; c != NULL; c = c->next) {
			if (shadowed(last, c))
				continue;
			if (c->type != CT_JSTRING) {
				ct_strmap_free(last);
				return rfail(err, "%s: an error is not a "
				    "string", "regions_failed");
			}
			ct_meta_add_region_failed(m, c->key, c->str);
		}
		ct_strmap_free(last);
	}
	if (opt_time(o, "run_timestamp", &have_run, &m->run_timestamp) < 0)
		return rfail(err, "%s is not a timestamp", "run_timestamp");
	if ((n = ct_json_get(o, "statistics")) != NULL && n->type != CT_JNULL) {
		if (n->type != CT_JOBJECT)
			return rfail(err, "%s is not an object", "statistics");
		m->has_statistics = 1;
		for (i = 0; i < sizeof stat_field / sizeof stat_field[0]; i++) {
			c = ct_json_get(n, stat_field[i].name);
			if (c == NULL)
				continue;
			if (ct_json_int(c, &v) != 0 || v < 0 || v > MAX_COUNT)
				return rfail(err, "statistics: %s is not a "
				    "count", stat_field[i].name);
			*(uint64_t *)((char *)m + stat_field[i].off) =
			    (uint64_t)v;
		}
	}
	return 0;
}

/*
 * A document that is not a summary but CloudTrail events (a record, a log
 * file's {"Records":[...]}, a lookup-events page, ct-fetch's NDJSON) is a
 * common slip in a pipeline: ct_summary_read says so, with its own status,
 * so that the tool can say what reads events.
 */
#define EVENTS_NOT_SUMMARY "CloudTrail events, not a summary"

/* node is an event, a ct-fetch control record, or an envelope of events. */
static int
events_node(const struct ct_jnode *node)
{
	static const char *const keys[] = {
		"eventVersion", "eventSource", "eventName", "eventTime",
		"ctFetch", "Records", "Events", "CloudTrailEvent",
	};
	size_t i;

	if (node->type != CT_JOBJECT || ct_json_get(node, "_metadata") != NULL)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ct_json_get(node, keys[i]) != NULL)
			return 1;
	return 0;
}

/* The first non-blank line of text is one event (NDJSON of events). */
static int
first_line_events(const char *text, size_t n)
{
	const char *p = text, *e = text + n, *nl;
	struct ct_jdoc *d;
	int yes;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
		nl = e;
	if ((d = ct_json_parse(p, (size_t)(nl - p), NULL)) == NULL)
		return 0;
	yes = events_node(ct_json_root(d));
	ct_json_free(d);
	return yes;
}

int
ct_summary_read(struct ct_summary *dst, const char *text, size_t n,
    struct ct_buf *err)
{
	/* Section names of every layout, newest first. */
	static const struct {
		const char	*name;
		enum ct_section	 sec;
	} names[] = {
		{ "api_calls_by_principal", CT_API_CALLS_BY_PRINCIPAL },
		{ "api_calls_by_region", CT_API_CALLS_BY_REGION },
		{ "ip_addresses_by_principal", CT_IP_ADDRESSES_BY_PRINCIPAL },
		{ "user_agents_by_principal", CT_USER_AGENTS_BY_PRINCIPAL },
		{ "error_codes_by_principal", CT_ERROR_CODES_BY_PRINCIPAL },
		{ "activity_by_principal", CT_API_CALLS_BY_PRINCIPAL },
		{ "activity_by_region", CT_API_CALLS_BY_REGION },
	};
	struct ct_jdoc *d;
	const struct ct_jnode *root, *c;
	struct ct_summary *t;
	size_t i;
	int rc = -1;

	if ((d = ct_json_parse(text, n, err)) == NULL) {
		if (!first_line_events(text, n))
			return -1;
		rfail(err, "%s", EVENTS_NOT_SUMMARY);
		return -2;
	}
	root = ct_json_root(d);
	t = ct_summary_new();
	if (events_node(root)) {
		rfail(err, "%s", EVENTS_NOT_SUMMARY);
		rc = -2;
		goto out;
	}
	if (root->type != CT_JOBJECT) {
		rfail(err, "%s", "not a summary: the document is not an object");
		goto out;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ct_json_get(root, names[i].name) != NULL)
			break;
	if (i == sizeof names / sizeof names[0] &&
	    ct_json_get(root, "_metadata") == NULL) {
		rfail(err, "%s", "not a summary: no \"_metadata\" and no "
		    "known section");
		goto out;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((c = ct_json_get(root, names[i].name)) == NULL)
			continue;
		if (read_section(t, names[i].sec, c, names[i].name, err) < 0)
			goto out;
	}
	if ((c = ct_json_get(root, "_metadata")) != NULL &&
	    read_meta(&t->meta, c, err) < 0)
		goto out;
	/* Count the original summaries this one stands for. */
	if (t->meta.summaries_merged == 0)
		t->meta.summaries_merged = 1;
	if (dst->tab->nname == 0) {
		/* Nothing to add to: take the maps over whole. */
		struct ct_sumtab *tmp = dst->tab;

		dst->tab = t->tab;
		t->tab = tmp;
	}
	ct_summary_merge(dst, t);
	rc = 0;
out:
	ct_summary_free(t);
	ct_json_free(d);
	return rc;
}
