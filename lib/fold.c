/* fold.c - see fold.h */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
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
	f->completed = ct_strmap_new(NULL);
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
	ct_strmap_free(f->completed);
	f->completed = NULL;
}

void
ct_fold_stream_init(struct ct_fold_stream *st, int known)
{
	memset(st, 0, sizeof(*st));
	st->known = known;
}

void
ct_fold_stream_free(struct ct_fold_stream *st)
{
	size_t i;

	for (i = 0; i < st->nopen; i++)
		free(st->open[i]);
	st->nopen = 0;
}

void
ct_fold_stream_copy(struct ct_fold_stream *dst, const struct ct_fold_stream *src)
{
	size_t i;

	ct_fold_stream_free(dst);
	dst->known = src->known;
	dst->overflow = src->overflow;
	for (i = 0; i < src->nopen; i++)
		dst->open[i] = xstrdup(src->open[i]);
	dst->nopen = src->nopen;
}

static void
stream_open(struct ct_fold_stream *st, const char *region)
{
	size_t i;

	for (i = 0; i < st->nopen; i++)
		if (strcmp(st->open[i], region) == 0)
			return;
	if (st->nopen == sizeof(st->open) / sizeof(st->open[0])) {
		st->overflow = 1;
		return;
	}
	st->open[st->nopen++] = xstrdup(region);
}

static void
stream_close(struct ct_fold_stream *st, const char *region)
{
	size_t i;

	for (i = 0; i < st->nopen; i++)
		if (strcmp(st->open[i], region) == 0) {
			free(st->open[i]);
			st->open[i] = st->open[--st->nopen];
			return;
		}
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
	else if (st->nopen == 1 && !st->overflow) {
		reg = st->open[0];
		regn = strlen(reg);
	} else {
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

enum ct_fold_result
ct_fold_control(struct ct_fold *f, struct ct_fold_stream *st,
    const char *p, size_t n, struct ct_buf *err)
{
	struct ct_meta *m = &f->sum->meta;
	const struct ct_jnode *root, *w, *v;
	const char *kind, *region, *s;
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
	    (strcmp(kind, "start") != 0 && strcmp(kind, "end") != 0)) {
		res = CT_FOLD_UNKNOWN;
		goto out;
	}
	region = ct_json_get_str(root, "region");
	if (strcmp(kind, "start") == 0) {
		if (region != NULL && *region != '\0') {
			ct_meta_add_region_enabled(m, region);
			stream_open(st, region);
		}
		if ((s = ct_json_get_str(root, "accountId")) != NULL)
			ct_meta_set_account(m, s, strlen(s));
		if ((s = ct_json_get_str(root, "callerArn")) != NULL)
			ct_meta_set_principal(m, s, strlen(s));
		w = ct_json_get(root, "window");
		if (w != NULL && w->type == CT_JOBJECT) {
			if (get_time(w, "start", &t) == 0) {
				if (!f->have_ctl || t < f->ctl_from)
					f->ctl_from = t;
				if (!f->have_ctl || t > f->ctl_to)
					f->ctl_to = t;
				f->have_ctl = 1;
			}
			if (get_time(w, "end", &t) == 0) {
				if (!f->have_ctl || t < f->ctl_from)
					f->ctl_from = t;
				if (!f->have_ctl || t > f->ctl_to)
					f->ctl_to = t;
				f->have_ctl = 1;
			}
		}
		if (get_time(root, "runTimestamp", &t) == 0 &&
		    (!f->have_run || t < f->run_ts)) {
			f->run_ts = t;
			f->have_run = 1;
		}
	} else {
		s = ct_json_get_str(root, "status");
		if (region != NULL && *region != '\0') {
			stream_close(st, region);
			if (s != NULL && strcmp(s, "complete") == 0)
				ct_strmap_insert(f->completed, region,
				    strlen(region), NULL);
			else if (s != NULL) {
				const char *code = ct_json_get_str(root,
				    "errorCode");

				ct_meta_add_region_failed(m, region,
				    code != NULL ? code : s);
			}
		}
	}
out:
	ct_json_free(d);
	return res;
}

void
ct_fold_merge(struct ct_fold *dst, const struct ct_fold *src)
{
	struct ct_strmap_entry *e;
	size_t it = 0;

	ct_summary_merge(dst->sum, src->sum);
	while ((e = ct_strmap_next(src->completed, &it)) != NULL)
		ct_strmap_insert(dst->completed, e->key, e->keyn, NULL);
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
	struct ct_strmap_entry *e;
	size_t it = 0;

	while ((e = ct_strmap_next(f->completed, &it)) != NULL)
		ct_strmap_delete(m->regions_failed, e->key, e->keyn);
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
