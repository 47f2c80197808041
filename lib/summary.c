/*
 * summary.c - see summary.h
 *
 * Each section is a strmap category -> (strmap key -> count).  The fold
 * adds five counts per record, four of them under the same principal, and
 * consecutive records often share principal and region, so each section
 * remembers the category it was last asked for (a pointer to the key
 * bytes in the map's arena, which never move, and to its key map): a
 * repeated category costs one memcmp instead of a hash and a probe.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

struct lastcat {
	const char		*cat;	/* in the section map's arena */
	size_t			 catn;
	struct ct_strmap	*keys;
};

struct ct_sumtab {
	struct ct_strmap	*sec[CT_SECTIONS];	/* cat -> keys map */
	struct lastcat		 last[CT_SECTIONS];
	size_t			 triples;
};

static void
free_keys(void *p)
{
	ct_strmap_free(p);
}

static const struct ct_strmap_type section_type = { free_keys };
static const struct ct_strmap_type owned_str_type = { free };

struct ct_summary *
ct_summary_new(void)
{
	struct ct_summary *s = xcalloc(1, sizeof *s);
	int i;

	s->tab = xcalloc(1, sizeof *s->tab);
	for (i = 0; i < CT_SECTIONS; i++)
		s->tab->sec[i] = ct_strmap_new(&section_type);
	s->meta.regions_enabled = ct_strmap_new(NULL);
	s->meta.regions_failed = ct_strmap_new(&owned_str_type);
	s->meta.accounts = ct_strmap_new(NULL);
	s->meta.principals = ct_strmap_new(NULL);
	return s;
}

void
ct_summary_free(struct ct_summary *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < CT_SECTIONS; i++)
		ct_strmap_free(s->tab->sec[i]);
	free(s->tab);
	free(s->meta.account_id);
	free(s->meta.account_principal);
	free(s->meta.invocation);
	ct_strmap_free(s->meta.regions_enabled);
	ct_strmap_free(s->meta.regions_failed);
	ct_strmap_free(s->meta.accounts);
	ct_strmap_free(s->meta.principals);
	free(s);
}

/* The key map of sec/cat, created when absent. */
static struct ct_strmap *
category(struct ct_sumtab *t, enum ct_section sec, const char *cat,
    size_t catn)
{
	struct lastcat *lc = &t->last[sec];
	struct ct_strmap_entry *e;
	int added;

	if (lc->keys != NULL && lc->catn == catn &&
	    memcmp(lc->cat, cat, catn) == 0)
		return lc->keys;
	e = ct_strmap_insert(t->sec[sec], cat, catn, &added);
	if (added)
		e->val.ptr = ct_strmap_new(NULL);
	lc->cat = e->key;
	lc->catn = catn;
	lc->keys = e->val.ptr;
	return lc->keys;
}

void
ct_summary_add(struct ct_summary *s, enum ct_section sec, const char *cat,
    size_t catn, const char *key, size_t keyn, uint64_t count)
{
	struct ct_strmap_entry *e;
	int added;

	e = ct_strmap_insert(category(s->tab, sec, cat, catn), key, keyn,
	    &added);
	if (added)
		s->tab->triples++;
	e->val.u64 += count;
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

void
ct_meta_add_region_failed(struct ct_meta *m, const char *region,
    const char *error)
{
	struct ct_strmap_entry *e;
	size_t n = strlen(error);
	int added;

	e = ct_strmap_insert(m->regions_failed, region, strlen(region), &added);
	if (!added && ct_jstr_cmp(e->val.ptr, strlen(e->val.ptr), error, n) <= 0)
		return;		/* two errors: the smaller one stays */
	free(e->val.ptr);
	e->val.ptr = xstrndup(error, n);
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

void
ct_summary_merge(struct ct_summary *dst, const struct ct_summary *src)
{
	struct ct_meta *d = &dst->meta;
	const struct ct_meta *s = &src->meta;
	struct ct_strmap_entry *ce, *ke;
	struct ct_strmap *keys;
	size_t ci, ki;
	int sec;

	for (sec = 0; sec < CT_SECTIONS; sec++) {
		ci = 0;
		while ((ce = ct_strmap_next(src->tab->sec[sec], &ci)) != NULL) {
			keys = category(dst->tab, sec, ce->key, ce->keyn);
			ki = 0;
			while ((ke = ct_strmap_next(ce->val.ptr, &ki)) != NULL)
				ct_summary_add(dst, sec, ce->key, ce->keyn,
				    ke->key, ke->keyn, ke->val.u64);
			(void)keys;
		}
	}

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
	while ((ce = ct_strmap_next(s->regions_failed, &ci)) != NULL)
		ct_meta_add_region_failed(d, ce->key, ce->val.ptr);
	if (s->run_timestamp > d->run_timestamp)
		d->run_timestamp = s->run_timestamp;
	d->files_read += s->files_read;
	d->records_counted += s->records_counted;
	d->records_skipped += s->records_skipped;
	d->records_filtered += s->records_filtered;
	d->records_duplicate += s->records_duplicate;
	d->values_malformed += s->values_malformed;
	d->strings_repaired += s->strings_repaired;
	d->principal_fallbacks += s->principal_fallbacks;
	d->digest_files += s->digest_files;
	d->summaries_merged += s->summaries_merged;
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
wsection(struct writer *w, const struct ct_strmap *sec)
{
	struct ct_strmap_entry **cv, **kv;
	size_t nc, nk, i, j;

	cv = ct_strmap_sorted(sec, &nc);
	if (nc == 0) {
		ct_buf_add(&w->b, "{}", 2);
		return;
	}
	ct_buf_addc(&w->b, '{');
	for (i = 0; i < nc; i++) {
		wkey(w, 2, i == 0, cv[i]->key, cv[i]->keyn);
		kv = ct_strmap_sorted(cv[i]->val.ptr, &nk);
		if (nk == 0) {
			ct_buf_add(&w->b, "{}", 2);
			continue;
		}
		ct_buf_addc(&w->b, '{');
		for (j = 0; j < nk; j++) {
			wkey(w, 3, j == 0, kv[j]->key, kv[j]->keyn);
			ct_buf_printf(&w->b, "%llu",
			    (unsigned long long)kv[j]->val.u64);
		}
		windent(w, 2);
		ct_buf_addc(&w->b, '}');
		free(kv);
	}
	windent(w, 1);
	ct_buf_addc(&w->b, '}');
	free(cv);
}

static const char *const activity_name[] = { "ALL", "SUCCESSFUL", "FAILED" };

static void
wstat(struct writer *w, int first, const char *name, uint64_t v)
{
	wkey(w, 3, first, name, strlen(name));
	ct_buf_printf(&w->b, "%llu", (unsigned long long)v);
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
	int i, saved;

	w.out = out;
	w.failed = 0;
	ct_buf_init(&w.b, 0);
	ct_buf_addc(&w.b, '{');
	wkey(&w, 1, 1, "_metadata", 9);
	wmeta(&w, &s->meta);
	for (i = 0; i < CT_SECTIONS; i++) {
		wkey(&w, 1, 0, ct_section_name[order[i]],
		    strlen(ct_section_name[order[i]]));
		wsection(&w, s->tab->sec[order[i]]);
	}
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

static int
item_cmp(const void *a, const void *b)
{
	const struct ct_summary_item *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return ct_jstr_cmp(x->key, x->keyn, y->key, y->keyn);
}

int
ct_summary_visit(const struct ct_summary *s, enum ct_section sec,
    ct_summary_visit_fn fn, void *arg)
{
	struct ct_strmap_entry **cv, *ke;
	struct ct_summary_item *items = NULL;
	size_t nc, i, k, it, cap = 0;
	int rc = 0;

	cv = ct_strmap_sorted(s->tab->sec[sec], &nc);
	for (i = 0; i < nc && rc == 0; i++) {
		const struct ct_strmap *keys = cv[i]->val.ptr;
		size_t nk = ct_strmap_count(keys);

		if (nk > cap) {
			cap = nk;
			items = xrealloc(items, cap * sizeof *items);
		}
		k = 0;
		it = 0;
		while ((ke = ct_strmap_next(keys, &it)) != NULL) {
			items[k].key = ke->key;
			items[k].keyn = ke->keyn;
			items[k].count = ke->val.u64;
			k++;
		}
		if (k > 1)
			qsort(items, k, sizeof *items, item_cmp);
		rc = fn(arg, sec, cv[i]->key, cv[i]->keyn, items, k);
	}
	free(items);
	free(cv);
	return rc;
}

/* ---- read --------------------------------------------------------------- */

#define MAX_COUNT	((int64_t)1 << 53)

static int
rfail(struct ct_buf *err, const char *fmt, const char *what)
{
	if (err != NULL) {
		ct_buf_reset(err);
		ct_buf_printf(err, fmt, what);
	}
	return -1;
}

static int
read_section(struct ct_summary *t, enum ct_section sec,
    const struct ct_jnode *o, const char *name, struct ct_buf *err)
{
	const struct ct_jnode *c, *k;
	int64_t v;

	if (o->type != CT_JOBJECT)
		return rfail(err, "\"%s\" is not an object", name);
	for (c = o->child; c != NULL; c = c->next) {
		if (c->type != CT_JOBJECT)
			return rfail(err, "\"%s\": a category is not an object",
			    name);
		/* An empty category is kept as it is. */
		(void)category(t->tab, sec, c->key, c->keylen);
		for (k = c->child; k != NULL; k = k->next) {
			if (k->type != CT_JNUMBER || ct_json_int(k, &v) != 0)
				return rfail(err, "\"%s\": a count is not an "
				    "integer", name);
			if (v < 0 || v > MAX_COUNT)
				return rfail(err, "\"%s\": a count is negative "
				    "or above 2^53", name);
			ct_summary_add(t, sec, c->key, c->keylen, k->key,
			    k->keylen, (uint64_t)v);
		}
	}
	return 0;
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
	{ "summaries_merged", offsetof(struct ct_meta, summaries_merged) },
};

static int
read_meta(struct ct_meta *m, const struct ct_jnode *o, struct ct_buf *err)
{
	const struct ct_jnode *n, *c;
	const char *s;
	int64_t v;
	size_t i;
	int have_run = 0;

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
			return rfail(err, "unknown activity_type \"%s\"", s);
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
	if ((n = ct_json_get(o, "regions_failed")) != NULL &&
	    n->type != CT_JNULL) {
		if (n->type != CT_JOBJECT)
			return rfail(err, "%s is not an object",
			    "regions_failed");
		for (c = n->child; c != NULL; c = c->next) {
			if (c->type != CT_JSTRING)
				return rfail(err, "%s: an error is not a "
				    "string", "regions_failed");
			ct_meta_add_region_failed(m, c->key, c->str);
		}
	}
	if (opt_time(o, "run_timestamp", &have_run, &m->run_timestamp) < 0)
		return rfail(err, "%s is not a timestamp", "run_timestamp");
	if ((n = ct_json_get(o, "statistics")) != NULL && n->type != CT_JNULL) {
		if (n->type != CT_JOBJECT)
			return rfail(err, "%s is not an object", "statistics");
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

	if ((d = ct_json_parse(text, n, err)) == NULL)
		return -1;
	root = ct_json_root(d);
	t = ct_summary_new();
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
	ct_summary_merge(dst, t);
	rc = 0;
out:
	ct_summary_free(t);
	ct_json_free(d);
	return rc;
}
