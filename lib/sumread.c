/*
 * sumread.c - reading a summary back (ct_summary_read, summary.h): the
 * layout ct-aggregate writes and the Python tool's, with every count and
 * string checked, for --merge and ct-plot.
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
		ct_sumtab_category(t->tab, sec, c->key, c->keylen);
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

/* A count member of o into *v; absent is 0.  -1 if not a count. */
static int
opt_count(const struct ct_jnode *o, const char *key, uint64_t *v)
{
	const struct ct_jnode *c = ct_json_get(o, key);
	int64_t x;

	if (c == NULL)
		return 0;
	if (c->type != CT_JNUMBER || ct_json_int(c, &x) != 0 || x < 0 ||
	    x > MAX_COUNT)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

/* An object of verdict counts, names[0..n) (others ignored). */
static int
read_verdicts(const struct ct_jnode *o, const char *key,
    const char *const *names, int n, uint64_t *v)
{
	const struct ct_jnode *c = ct_json_get(o, key);
	int i;

	if (c == NULL || c->type == CT_JNULL)
		return 0;
	if (c->type != CT_JOBJECT)
		return -1;
	for (i = 0; i < n; i++)
		if (opt_count(c, names[i], &v[i]) < 0)
			return -1;
	return 0;
}

/* "integrity" (see wintegrity) into a new section of m. */
static int
read_integrity(struct ct_meta *m, const struct ct_jnode *o,
    struct ct_buf *err)
{
	struct ct_intsum *s;
	struct ct_intsum_bad b;
	const struct ct_jnode *n, *c;
	const char *str;
	int i;

	if (o->type != CT_JOBJECT)
		return rfail(err, "%s is not an object", "integrity");
	s = m->integrity = ct_intsum_new();
	if ((n = ct_json_get(o, "verified_window")) != NULL &&
	    n->type != CT_JNULL && (n->type != CT_JOBJECT ||
	    opt_time(n, "from_timestamp", &s->have_from, &s->from) < 0 ||
	    opt_time(n, "to_timestamp", &s->have_to, &s->to) < 0))
		return rfail(err, "integrity: %s is not a pair of timestamps",
		    "verified_window");
	if (opt_str(o, "signatures", &str) < 0)
		return rfail(err, "integrity: %s is not a string", "signatures");
	if (str != NULL) {
		if ((i = ct_intsum_lookup(ct_intsum_sig_name, CT_INTSUM_NSIG,
		    str)) < 0)
			return rfail(err, "integrity: %s", "unknown signatures "
			    "(neither checked, from_file nor not_checked)");
		ct_intsum_sig_seen(s, (enum ct_intsum_sig)i);
	}
	if (read_verdicts(o, "log_files", ct_intsum_log_name, CT_INTSUM_NLOG,
	    s->log) < 0 || read_verdicts(o, "digests", ct_intsum_digest_name,
	    CT_INTSUM_NDIG, s->digest) < 0)
		return rfail(err, "integrity: %s", "log_files or digests is "
		    "not an object of counts");
	if (opt_count(o, "records_excluded", &s->records_excluded) < 0 ||
	    opt_count(o, "records_flagged", &s->records_flagged) < 0 ||
	    opt_count(o, "bad_objects_more", &s->bad_more) < 0)
		return rfail(err, "integrity: %s", "records_excluded, "
		    "records_flagged or bad_objects_more is not a count");
	if ((n = ct_json_get(o, "bad_objects")) == NULL || n->type == CT_JNULL)
		return 0;
	if (n->type != CT_JARRAY)
		return rfail(err, "integrity: %s is not a list", "bad_objects");
	for (c = n->child; c != NULL; c = c->next) {
		memset(&b, 0, sizeof(b));
		if (c->type != CT_JOBJECT ||
		    opt_str(c, "object", &b.object) < 0 || b.object == NULL ||
		    opt_str(c, "kind", &str) < 0 ||
		    (i = ct_intsum_lookup(ct_intsum_kind_name, 2, str)) < 0)
			return rfail(err, "integrity: %s", "a bad object has "
			    "no object or no kind (log or digest)");
		b.kind = (enum ct_intsum_kind)i;
		if (opt_str(c, "verdict", &str) < 0 ||
		    (b.verdict = b.kind == CT_INTSUM_KIND_LOG ?
		    ct_intsum_lookup(ct_intsum_log_name, CT_INTSUM_NLOG, str) :
		    ct_intsum_lookup(ct_intsum_digest_name, CT_INTSUM_NDIG,
		    str)) <= 0 ||
		    (b.kind == CT_INTSUM_KIND_LOG &&
		    b.verdict == CT_INTSUM_LOG_PENDING) ||
		    opt_str(c, "account_id", &b.account) < 0 ||
		    opt_str(c, "region", &b.region) < 0)
			return rfail(err, "integrity: %s", "a bad object has a "
			    "verdict that is not a bad one, or an account_id "
			    "or region that is not a string");
		ct_intsum_add_bad(s, &b);
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
			if (strcasecmp(s, ct_sumtab_activity_name[i]) == 0)
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
	if ((n = ct_json_get(o, "integrity")) != NULL && n->type != CT_JNULL &&
	    read_integrity(m, n, err) < 0)
		return -1;
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
