/* fold.c - see fold.h */
#include <stdlib.h>
#include <string.h>

#include "awserr.h"
#include "fold.h"
#include "intsum.h"
#include "json.h"
#include "principal.h"
#include "strmap.h"
#include "timefmt.h"
#include "xalloc.h"

#define KEY_CAP		((size_t)4 << 20)

void
ct_fold_init(struct ct_fold *f, const struct ct_fold_opts *o)
{
	memset(f, 0, sizeof(*f));
	f->sum = ct_summary_new();
	f->opt = *o;
	ct_meta_set_activity(&f->sum->meta, o->activity);
	ct_buf_init(&f->prin, KEY_CAP);
	ct_buf_init(&f->key, KEY_CAP);
	ct_buf_init(&f->lastreg, KEY_CAP);
	ct_buf_init(&f->lastacct, KEY_CAP);
	if (o->dedup)
		f->seen = ct_strmap_new(NULL);
}

void
ct_fold_free(struct ct_fold *f)
{
	ct_summary_free(f->sum);
	f->sum = NULL;
	ct_buf_free(&f->prin);
	ct_buf_free(&f->key);
	ct_buf_free(&f->lastreg);
	ct_buf_free(&f->lastacct);
	ct_strmap_free(f->seen);
	f->seen = NULL;
}

void
ct_fold_stream_init(struct ct_fold_stream *st, int known)
{
	memset(st, 0, sizeof(*st));
	st->known = known;
}

static void
open_free(struct ct_fold_open *o)
{
	free(o->region);
	free(o->account);
}

void
ct_fold_stream_free(struct ct_fold_stream *st)
{
	size_t i;

	for (i = 0; i < st->nopen; i++)
		open_free(&st->open[i]);
	free(st->open);
	st->open = NULL;
	st->nopen = st->cap = 0;
}

void
ct_fold_stream_copy(struct ct_fold_stream *dst, const struct ct_fold_stream *src)
{
	size_t i;

	ct_fold_stream_free(dst);
	dst->known = src->known;
	if (src->nopen == 0)
		return;
	dst->open = xcalloc(src->nopen, sizeof(*dst->open));
	dst->cap = dst->nopen = src->nopen;
	for (i = 0; i < src->nopen; i++) {
		dst->open[i] = src->open[i];
		dst->open[i].region = xstrdup(src->open[i].region);
		dst->open[i].account = src->open[i].account != NULL ?
		    xstrdup(src->open[i].account) : NULL;
	}
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The open stream that o names (region, account, window), or NULL. */
static struct ct_fold_open *
stream_find(struct ct_fold_stream *st, const struct ct_fold_open *o)
{
	size_t i;

	for (i = 0; i < st->nopen; i++) {
		struct ct_fold_open *x = &st->open[i];

		if (strcmp(x->region, o->region) == 0 &&
		    same_str(x->account, o->account) &&
		    x->have_from == o->have_from && x->have_to == o->have_to &&
		    (!o->have_from || x->from == o->from) &&
		    (!o->have_to || x->to == o->to))
			return x;
	}
	return NULL;
}

/* A start record: open the stream o (its strings borrowed), once. */
static void
stream_open(struct ct_fold_stream *st, const struct ct_fold_open *o)
{
	struct ct_fold_open *x;

	if (stream_find(st, o) != NULL)
		return;	/* a rerun appended to the same output: one stream */
	if (st->nopen == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 8;
		st->open = xrealloc(st->open, st->cap * sizeof(*st->open));
	}
	x = &st->open[st->nopen++];
	*x = *o;
	x->region = xstrdup(o->region);
	x->account = o->account != NULL ? xstrdup(o->account) : NULL;
}

static void
stream_drop(struct ct_fold_stream *st, struct ct_fold_open *x)
{
	open_free(x);
	*x = st->open[--st->nopen];
}

/* The region records without awsRegion belong to: the one region of the
 * open streams, or NULL when none or several are open. */
static const char *
stream_region(const struct ct_fold_stream *st)
{
	size_t i;

	if (st->nopen == 0)
		return NULL;
	for (i = 1; i < st->nopen; i++)
		if (strcmp(st->open[i].region, st->open[0].region) != 0)
			return NULL;
	return st->open[0].region;
}

static void
note_outcome(struct ct_fold *f, const struct ct_fold_open *x,
    enum ct_fetch_status status, const char *code)
{
	struct ct_fetch_outcome o;

	o.account = x->account;
	o.region = x->region;
	o.have_from = x->have_from;
	o.have_to = x->have_to;
	o.from = x->from;
	o.to = x->to;
	o.status = status;
	o.code = code;
	ct_meta_add_fetch(&f->sum->meta, &o);
}

size_t
ct_fold_stream_end(struct ct_fold *f, struct ct_fold_stream *st)
{
	size_t i, n = st->nopen;

	for (i = 0; i < st->nopen; i++)
		note_outcome(f, &st->open[i], CT_FETCH_INCOMPLETE, "Incomplete");
	ct_fold_stream_free(st);
	return n;
}

/* An eventTime or control-record time: 0 and *t, or -1. */
static int
parse_time(const char *p, size_t n, int64_t *t)
{
	return ct_time_parse_cloudtrail(p, n, t) == 0 ||
	    ct_time_parse(p, n, t) == 0 ? 0 : -1;
}

static void
add(struct ct_fold *f, enum ct_section sec, const char *cat, size_t catn,
    const char *key, size_t keyn)
{
	ct_summary_add(f->sum, sec, cat, catn, key, keyn, 1);
}

/* region[0..n) into regions_enabled, unless noted already. */
static void
note_region(struct ct_fold *f, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < f->nnoted; i++)
		if (f->notedn[i] == n && memcmp(f->noted[i], p, n) == 0)
			return;
	if (memchr(p, 0, n) != NULL)
		return;
	ct_buf_reset(&f->lastreg);
	if (ct_buf_add(&f->lastreg, p, n) < 0)
		return;
	ct_meta_add_region_enabled(&f->sum->meta, f->lastreg.data);
	if (n <= sizeof(f->noted[0]) &&
	    f->nnoted < sizeof(f->noted) / sizeof(f->noted[0])) {
		memcpy(f->noted[f->nnoted], p, n);
		f->notedn[f->nnoted++] = (unsigned char)n;
	}
}

/* The recipient account into the metadata, unless it is the last one. */
static void
note_account(struct ct_fold *f, const char *p, size_t n)
{
	if (f->lastacct.data != NULL && f->lastacct.len == n &&
	    memcmp(f->lastacct.data, p, n) == 0)
		return;
	ct_meta_set_account(&f->sum->meta, p, n);
	ct_buf_reset(&f->lastacct);
	if (ct_buf_add(&f->lastacct, p, n) < 0)
		ct_buf_free(&f->lastacct);
}

enum ct_fold_result
ct_fold_record(struct ct_fold *f, struct ct_fold_stream *st,
    const struct ct_record *r, size_t repaired)
{
	struct ct_meta *m = &f->sum->meta;
	const char *reg;
	size_t regn;
	int64_t t = 0;
	int have_t, rc, added;

	if (r->event_source.p == NULL || r->event_name.p == NULL) {
		m->records_skipped++;
		return CT_FOLD_SKIPPED;
	}
	if (r->aws_region.p != NULL) {
		reg = r->aws_region.p;
		regn = r->aws_region.n;
	} else if (!st->known)
		return CT_FOLD_NEED_STATE;
	else if ((reg = stream_region(st)) != NULL)
		regn = strlen(reg);
	else {
		reg = "unknown";
		regn = 7;
	}
	if ((f->opt.activity == CT_ACTIVITY_SUCCESSFUL && r->failed) ||
	    (f->opt.activity == CT_ACTIVITY_FAILED && !r->failed)) {
		m->records_filtered++;
		return CT_FOLD_FILTERED;
	}
	have_t = r->event_time.p != NULL &&
	    (ct_time_parse_cloudtrail_memo(&f->day, r->event_time.p,
	    r->event_time.n, &t) == 0 ||
	    parse_time(r->event_time.p, r->event_time.n, &t) == 0);
	if (f->opt.have_start || f->opt.have_end) {
		if (!have_t || (f->opt.have_start && t < f->opt.start) ||
		    (f->opt.have_end && t > f->opt.end)) {
			m->records_filtered++;
			return CT_FOLD_FILTERED;
		}
	}
	if (f->seen != NULL && r->event_id.p != NULL) {
		ct_strmap_insert(f->seen, r->event_id.p, r->event_id.n, &added);
		if (!added) {
			m->records_duplicate++;
			return CT_FOLD_DUPLICATE;
		}
	}
	m->records_counted++;
	m->strings_repaired += repaired;
	rc = ct_principal(&r->id, &f->prin);
	if (rc == 0)
		m->principal_fallbacks++;
	if (f->prin.data == NULL)
		ct_buf_adds(&f->prin, "Unknown");
	ct_buf_reset(&f->key);
	ct_buf_add(&f->key, r->event_source.p, r->event_source.n);
	ct_buf_addc(&f->key, ':');
	ct_buf_add(&f->key, r->event_name.p, r->event_name.n);
	add(f, CT_API_CALLS_BY_PRINCIPAL, f->prin.data, f->prin.len,
	    f->key.data, f->key.len);
	add(f, CT_API_CALLS_BY_REGION, reg, regn, f->key.data, f->key.len);
	if (r->source_ip.p != NULL)
		add(f, CT_IP_ADDRESSES_BY_PRINCIPAL, f->prin.data, f->prin.len,
		    r->source_ip.p, r->source_ip.n);
	else
		add(f, CT_IP_ADDRESSES_BY_PRINCIPAL, f->prin.data, f->prin.len,
		    "Unknown", 7);
	if (r->user_agent.p != NULL)
		add(f, CT_USER_AGENTS_BY_PRINCIPAL, f->prin.data, f->prin.len,
		    r->user_agent.p, r->user_agent.n);
	else
		add(f, CT_USER_AGENTS_BY_PRINCIPAL, f->prin.data, f->prin.len,
		    "Unknown", 7);
	if (r->error_code.p != NULL || r->resp_error_code.p != NULL) {
		const struct ct_str *e = r->error_code.p != NULL ?
		    &r->error_code : &r->resp_error_code;

		ct_buf_reset(&f->key);
		ct_buf_add(&f->key, r->event_source.p, r->event_source.n);
		ct_buf_addc(&f->key, ':');
		ct_buf_add(&f->key, e->p, e->n);
		add(f, CT_ERROR_CODES_BY_PRINCIPAL, f->prin.data, f->prin.len,
		    f->key.data, f->key.len);
	}
	if (r->recipient_account_id.p != NULL)
		note_account(f, r->recipient_account_id.p,
		    r->recipient_account_id.n);
	if (r->aws_region.p != NULL)
		note_region(f, r->aws_region.p, r->aws_region.n);
	if (have_t) {
		if (!f->have_ev || t < f->ev_min)
			f->ev_min = t;
		if (!f->have_ev || t > f->ev_max)
			f->ev_max = t;
		f->have_ev = 1;
	}
	return CT_FOLD_COUNTED;
}

static int
get_time(const struct ct_jnode *o, const char *key, int64_t *t)
{
	const char *s = ct_json_get_str(o, key);

	return s != NULL && parse_time(s, strlen(s), t) == 0 ? 0 : -1;
}

/* A control record's "window" into x (both ends optional). */
static void
get_window(const struct ct_jnode *root, struct ct_fold_open *x)
{
	const struct ct_jnode *w = ct_json_get(root, "window");

	if (w == NULL || w->type != CT_JOBJECT)
		return;
	x->have_from = get_time(w, "start", &x->from) == 0;
	x->have_to = get_time(w, "end", &x->to) == 0;
}

/* Widen the control records' window to include t. */
static void
widen_ctl(struct ct_fold *f, int64_t t)
{
	if (!f->have_ctl || t < f->ctl_from)
		f->ctl_from = t;
	if (!f->have_ctl || t > f->ctl_to)
		f->ctl_to = t;
	f->have_ctl = 1;
}

/*
 * An end record: the stream it ends.  ct-fetch names its account and
 * window in the end record too; without them (older output) it is the
 * region's stream opened last in this input.  NULL when nothing of it is
 * open: *x then describes it from the end record alone.
 */
static struct ct_fold_open *
end_stream(struct ct_fold_stream *st, const struct ct_jnode *root,
    const char *region, struct ct_fold_open *x)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->region = (char *)region;
	x->account = (char *)ct_json_get_str(root, "accountId");
	get_window(root, x);
	if (x->account != NULL || x->have_from || x->have_to)
		return stream_find(st, x);
	for (i = st->nopen; i-- > 0;)
		if (strcmp(st->open[i].region, region) == 0)
			return &st->open[i];
	return NULL;
}

/* The summary's integrity section, made when first needed. */
static struct ct_intsum *
integrity(struct ct_fold *f)
{
	if (f->sum->meta.integrity == NULL)
		f->sum->meta.integrity = ct_intsum_new();
	return f->sum->meta.integrity;
}

static enum ct_fold_result
ctl_bad(struct ct_buf *err, const char *why)
{
	ct_buf_reset(err);
	ct_buf_adds(err, why);
	return CT_FOLD_BAD;
}

/* A count member (absent: 0); -1 if not a count. */
static int
get_count(const struct ct_jnode *o, const char *key, uint64_t *v)
{
	const struct ct_jnode *c = ct_json_get(o, key);
	int64_t x;

	*v = 0;
	if (c == NULL)
		return 0;
	if (c->type != CT_JNUMBER || ct_json_int(c, &x) != 0 || x < 0 ||
	    (uint64_t)x > CT_SUMMARY_COUNT_MAX)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

/* An "integrity" record: one object with a bad verdict. */
static enum ct_fold_result
ctl_integrity(struct ct_fold *f, const struct ct_jnode *root,
    struct ct_buf *err)
{
	struct ct_intsum_bad b;
	const char *kind, *verdict;
	char shown[600];
	uint64_t records;
	int k, v;

	memset(&b, 0, sizeof(b));
	b.object = ct_json_get_str(root, "object");
	kind = ct_json_get_str(root, "kind");
	verdict = ct_json_get_str(root, "verdict");
	b.account = ct_json_get_str(root, "accountId");
	b.region = ct_json_get_str(root, "region");
	if (b.object == NULL || *b.object == '\0' ||
	    (k = ct_intsum_lookup(ct_intsum_kind_name, 2, kind)) < 0)
		return ctl_bad(err, "integrity record without an object or a "
		    "kind (log or digest)");
	v = k == CT_INTSUM_KIND_LOG ?
	    ct_intsum_lookup(ct_intsum_log_name, CT_INTSUM_NLOG, verdict) :
	    ct_intsum_lookup(ct_intsum_digest_name, CT_INTSUM_NDIG, verdict);
	if (v <= 0 || (k == CT_INTSUM_KIND_LOG && v == CT_INTSUM_LOG_PENDING))
		return ctl_bad(err, "integrity record without a bad verdict");
	if (get_count(root, "records", &records) < 0)
		return ctl_bad(err, "integrity record: records is not a count");
	b.kind = (enum ct_intsum_kind)k;
	b.verdict = v;
	ct_intsum_add_bad(integrity(f), &b);
	ct_awserr_clean(shown, sizeof(shown), b.object, strlen(b.object));
	ct_buf_reset(err);
	if (k == CT_INTSUM_KIND_DIGEST)
		ct_buf_printf(err, "integrity: digest %s: %s", shown,
		    v == CT_INTSUM_DIG_INVALID_SIGNATURE ? "its signature or "
		    "hash does not verify" : v == CT_INTSUM_DIG_MISSING ?
		    "missing from the chain" : "unreadable");
	else if (v == CT_INTSUM_LOG_MODIFIED)
		ct_buf_printf(err, "integrity: log file %s: modified after "
		    "delivery; its %llu records are not counted", shown,
		    (unsigned long long)records);
	else if (v == CT_INTSUM_LOG_MISSING)
		ct_buf_printf(err, "integrity: log file %s: listed in a digest "
		    "but missing", shown);
	else
		ct_buf_printf(err, "integrity: log file %s: covered by no "
		    "digest; its %llu records are counted, flagged", shown,
		    (unsigned long long)records);
	return CT_FOLD_FLAGGED;
}

/* A "verified" record: one stream's verdict counts. */
static enum ct_fold_result
ctl_verified(struct ct_fold *f, const struct ct_jnode *root,
    struct ct_buf *err)
{
	struct ct_intsum one, *s;
	const struct ct_jnode *c;
	struct ct_fold_open x;
	uint64_t sat = 0;
	int i, sig;

	memset(&one, 0, sizeof(one));
	memset(&x, 0, sizeof(x));
	sig = ct_intsum_lookup(ct_intsum_sig_name, CT_INTSUM_NSIG,
	    ct_json_get_str(root, "signatures"));
	if (sig < 0)
		return ctl_bad(err, "verified record without signatures "
		    "(checked, from_file or not_checked)");
	if ((c = ct_json_get(root, "logFiles")) != NULL &&
	    c->type != CT_JOBJECT)
		return ctl_bad(err, "verified record: logFiles is not an "
		    "object");
	for (i = 0; c != NULL && i < CT_INTSUM_NLOG; i++)
		if (get_count(c, ct_intsum_log_name[i], &one.log[i]) < 0)
			return ctl_bad(err, "verified record: a logFiles "
			    "count is not a count");
	if ((c = ct_json_get(root, "digests")) != NULL &&
	    c->type != CT_JOBJECT)
		return ctl_bad(err, "verified record: digests is not an "
		    "object");
	for (i = 0; c != NULL && i < CT_INTSUM_NDIG; i++)
		if (get_count(c, ct_intsum_digest_name[i], &one.digest[i]) < 0)
			return ctl_bad(err, "verified record: a digests count "
			    "is not a count");
	if (get_count(root, "recordsExcluded", &one.records_excluded) < 0 ||
	    get_count(root, "recordsFlagged", &one.records_flagged) < 0)
		return ctl_bad(err, "verified record: recordsExcluded or "
		    "recordsFlagged is not a count");
	s = integrity(f);
	get_window(root, &x);
	if (x.have_from)
		ct_intsum_widen(s, x.from);
	if (x.have_to)
		ct_intsum_widen(s, x.to);
	ct_intsum_sig_seen(s, (enum ct_intsum_sig)sig);
	for (i = 0; i < CT_INTSUM_NLOG; i++)
		ct_intsum_add_count(&s->log[i], one.log[i], &sat);
	for (i = 0; i < CT_INTSUM_NDIG; i++)
		ct_intsum_add_count(&s->digest[i], one.digest[i], &sat);
	ct_intsum_add_count(&s->records_excluded, one.records_excluded, &sat);
	ct_intsum_add_count(&s->records_flagged, one.records_flagged, &sat);
	return CT_FOLD_COUNTED;
}

enum ct_fold_result
ct_fold_control(struct ct_fold *f, struct ct_fold_stream *st,
    const char *p, size_t n, struct ct_buf *err)
{
	struct ct_meta *m = &f->sum->meta;
	const struct ct_jnode *root, *v;
	const char *kind, *region, *s, *code;
	struct ct_fold_open x, *open;
	enum ct_fetch_status status;
	struct ct_jdoc *d;
	int64_t ver, t;
	enum ct_fold_result res = CT_FOLD_COUNTED;

	if (!st->known)
		return CT_FOLD_NEED_STATE;
	if ((d = ct_json_parse(p, n, err)) == NULL)
		return CT_FOLD_BAD;
	root = ct_json_root(d);
	kind = ct_json_get_str(root, "ctFetch");
	v = ct_json_get(root, "version");
	if (kind == NULL || v == NULL || v->type != CT_JNUMBER ||
	    ct_json_int(v, &ver) != 0 || ver != 1 ||
	    (strcmp(kind, "start") != 0 && strcmp(kind, "end") != 0 &&
	    strcmp(kind, "integrity") != 0 && strcmp(kind, "verified") != 0)) {
		res = CT_FOLD_UNKNOWN;
		goto out;
	}
	if (strcmp(kind, "integrity") == 0) {
		res = ctl_integrity(f, root, err);
		goto out;
	}
	if (strcmp(kind, "verified") == 0) {
		res = ctl_verified(f, root, err);
		goto out;
	}
	region = ct_json_get_str(root, "region");
	if (strcmp(kind, "start") == 0) {
		memset(&x, 0, sizeof(x));
		x.account = (char *)ct_json_get_str(root, "accountId");
		get_window(root, &x);
		if (x.have_from)
			widen_ctl(f, x.from);
		if (x.have_to)
			widen_ctl(f, x.to);
		if (region != NULL && *region != '\0') {
			ct_meta_add_region_enabled(m, region);
			x.region = (char *)region;
			stream_open(st, &x);
		}
		if (x.account != NULL)
			ct_meta_set_account(m, x.account, strlen(x.account));
		if ((s = ct_json_get_str(root, "callerArn")) != NULL)
			ct_meta_set_principal(m, s, strlen(s));
		if (get_time(root, "runTimestamp", &t) == 0 &&
		    (!f->have_run || t < f->run_ts)) {
			f->run_ts = t;
			f->have_run = 1;
		}
	} else if (region != NULL && *region != '\0') {
		s = ct_json_get_str(root, "status");
		code = ct_json_get_str(root, "errorCode");
		if (s != NULL && strcmp(s, "complete") == 0)
			status = CT_FETCH_COMPLETE;
		else if (s != NULL && strcmp(s, "interrupted") == 0)
			status = CT_FETCH_INTERRUPTED;
		else
			status = CT_FETCH_FAILED;
		if (status != CT_FETCH_COMPLETE && code == NULL)
			code = s != NULL ? s : "Failed";
		open = end_stream(st, root, region, &x);
		note_outcome(f, open != NULL ? open : &x, status, code);
		if (open != NULL)
			stream_drop(st, open);
	}
out:
	ct_json_free(d);
	return res;
}

void
ct_fold_merge(struct ct_fold *dst, const struct ct_fold *src)
{
	ct_summary_merge(dst->sum, src->sum);
	if (src->have_ev) {
		if (!dst->have_ev || src->ev_min < dst->ev_min)
			dst->ev_min = src->ev_min;
		if (!dst->have_ev || src->ev_max > dst->ev_max)
			dst->ev_max = src->ev_max;
		dst->have_ev = 1;
	}
	if (src->have_ctl) {
		if (!dst->have_ctl || src->ctl_from < dst->ctl_from)
			dst->ctl_from = src->ctl_from;
		if (!dst->have_ctl || src->ctl_to > dst->ctl_to)
			dst->ctl_to = src->ctl_to;
		dst->have_ctl = 1;
	}
	if (src->have_run && (!dst->have_run || src->run_ts < dst->run_ts)) {
		dst->run_ts = src->run_ts;
		dst->have_run = 1;
	}
}

void
ct_fold_finish(struct ct_fold *f, int64_t now)
{
	struct ct_meta *m = &f->sum->meta;

	ct_meta_settle(m);
	ct_meta_set_activity(m, f->opt.activity);
	m->have_from = m->have_to = 0;
	if (f->have_ctl) {
		m->have_from = m->have_to = 1;
		m->from = f->ctl_from;
		m->to = f->ctl_to;
	} else if (f->have_ev) {
		m->have_from = m->have_to = 1;
		m->from = f->ev_min;
		m->to = f->ev_max;
	}
	if (f->opt.have_start) {
		m->have_from = 1;
		m->from = f->opt.start;
		m->window_asked = 1;
	}
	if (f->opt.have_end) {
		m->have_to = 1;
		m->to = f->opt.end;
		m->window_asked = 1;
	}
	m->run_timestamp = f->have_run ? f->run_ts : now;
}
