/*
 * sumwrite.c - the summary in order: the JSON writer and the visitor
 * (summary.h).  Both sort each section's triples once, by precomputed
 * string ranks (the sorted views below), and share that code.
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
		    ct_sumtab_outcome_code(v[i]));
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

/* A section's counts as an object: names[] in code point order. */
static void
wcounts(struct writer *w, const char *const *names, const uint64_t *v,
    int n)
{
	const char *sorted[8];
	int i, j, k;

	/* the few names, sorted by insertion (ASCII: strcmp is code
	 * point order) */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && strcmp(sorted[j - 1], names[i]) > 0; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = names[i];
	}
	ct_buf_addc(&w->b, '{');
	for (i = 0; i < n; i++) {
		for (k = 0; strcmp(names[k], sorted[i]) != 0; k++)
			;
		wkey(w, 4, i == 0, sorted[i], strlen(sorted[i]));
		ct_buf_printf(&w->b, "%llu", (unsigned long long)v[k]);
	}
	windent(w, 3);
	ct_buf_addc(&w->b, '}');
}

/* "integrity" (intsum.h): members in sort_keys order, the bad objects
 * sorted by object and cut at CT_INTSUM_LIST. */
static void
wintegrity(struct writer *w, const struct ct_intsum *s)
{
	const struct ct_intsum_bad **v;
	size_t n, i;

	v = ct_intsum_sorted(s, &n);
	if (n > CT_INTSUM_LIST)
		n = CT_INTSUM_LIST;
	ct_buf_addc(&w->b, '{');
	wkey(w, 3, 1, "bad_objects", 11);
	if (n == 0)
		ct_buf_add(&w->b, "[]", 2);
	else {
		ct_buf_addc(&w->b, '[');
		for (i = 0; i < n; i++) {
			if (i)
				ct_buf_addc(&w->b, ',');
			windent(w, 4);
			ct_buf_addc(&w->b, '{');
			wkey(w, 5, 1, "account_id", 10);
			wstr_or_null(w, v[i]->account);
			wkey(w, 5, 0, "kind", 4);
			wstr_or_null(w, ct_intsum_kind_name[v[i]->kind]);
			wkey(w, 5, 0, "object", 6);
			wstr_or_null(w, v[i]->object);
			wkey(w, 5, 0, "region", 6);
			wstr_or_null(w, v[i]->region);
			wkey(w, 5, 0, "verdict", 7);
			wstr_or_null(w, v[i]->kind == CT_INTSUM_KIND_LOG ?
			    ct_intsum_log_name[v[i]->verdict] :
			    ct_intsum_digest_name[v[i]->verdict]);
			windent(w, 4);
			ct_buf_addc(&w->b, '}');
			wmaybe(w);
		}
		windent(w, 3);
		ct_buf_addc(&w->b, ']');
	}
	free(v);
	wkey(w, 3, 0, "bad_objects_more", 16);
	ct_buf_printf(&w->b, "%llu", (unsigned long long)ct_intsum_more(s));
	wkey(w, 3, 0, "digests", 7);
	wcounts(w, ct_intsum_digest_name, s->digest, CT_INTSUM_NDIG);
	wkey(w, 3, 0, "log_files", 9);
	wcounts(w, ct_intsum_log_name, s->log, CT_INTSUM_NLOG);
	wkey(w, 3, 0, "records_excluded", 16);
	ct_buf_printf(&w->b, "%llu", (unsigned long long)s->records_excluded);
	wkey(w, 3, 0, "records_flagged", 15);
	ct_buf_printf(&w->b, "%llu", (unsigned long long)s->records_flagged);
	wkey(w, 3, 0, "signatures", 10);
	wstr_or_null(w, s->have_sig ? ct_intsum_sig_name[s->sig] : NULL);
	wkey(w, 3, 0, "verified_window", 15);
	ct_buf_addc(&w->b, '{');
	wkey(w, 4, 1, "from_timestamp", 14);
	wtime(w, s->have_from, s->from);
	wkey(w, 4, 0, "to_timestamp", 12);
	wtime(w, s->have_to, s->to);
	windent(w, 3);
	ct_buf_addc(&w->b, '}');
	windent(w, 2);
	ct_buf_addc(&w->b, '}');
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
	wstr_or_null(w, ct_sumtab_activity_name[m->activity <= CT_ACTIVITY_FAILED ?
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
	if (m->integrity != NULL) {
		wkey(w, 2, 0, "integrity", 9);
		wintegrity(w, m->integrity);
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
