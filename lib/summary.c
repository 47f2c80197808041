/*
 * summary.c - see summary.h: the structure, its metadata and merging;
 * sumwrite.c writes and visits it, sumread.c reads it (summary_int.h).
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
#include "summary_int.h"
#include "timefmt.h"
#include "xalloc.h"

const char *const ct_section_name[CT_SECTIONS] = {
	"api_calls_by_principal",
	"api_calls_by_region",
	"ip_addresses_by_principal",
	"user_agents_by_principal",
	"error_codes_by_principal",
};

const char *const ct_sumtab_activity_name[3] = { "ALL", "SUCCESSFUL",
    "FAILED" };

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
void
ct_sumtab_category(struct ct_sumtab *t, enum ct_section sec, const char *cat,
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
	ct_intsum_free(s->meta.integrity);
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
const char *
ct_sumtab_outcome_code(const struct ct_fetch_outcome *o)
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
			    ct_sumtab_outcome_code(v[i]));
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
	if (s->integrity != NULL) {
		if (d->integrity == NULL)
			d->integrity = ct_intsum_new();
		ct_intsum_merge(d->integrity, s->integrity, sat);
	}
}
