/* intsum.c - see intsum.h */
#include <stdlib.h>
#include <string.h>

#include "intsum.h"
#include "jstr.h"
#include "strmap.h"
#include "summary.h"
#include "xalloc.h"

const char *const ct_intsum_sig_name[CT_INTSUM_NSIG] = {
	"not_checked", "from_file", "checked",
};
const char *const ct_intsum_log_name[CT_INTSUM_NLOG] = {
	"valid", "modified", "missing", "not_covered", "pending",
};
const char *const ct_intsum_digest_name[CT_INTSUM_NDIG] = {
	"valid", "invalid_signature", "missing", "unreadable",
};
const char *const ct_intsum_kind_name[2] = { "log", "digest" };

/* A description with owned strings: the value of a map entry. */
struct owned {
	struct ct_intsum_bad b;
	char	*object, *account, *region;
};

static void
owned_free(void *p)
{
	struct owned *w = p;

	free(w->object);
	free(w->account);
	free(w->region);
	free(w);
}

static const struct ct_strmap_type owned_type = { owned_free };

struct ct_intsum *
ct_intsum_new(void)
{
	struct ct_intsum *s = xcalloc(1, sizeof(*s));

	s->bad = ct_strmap_new(&owned_type);
	return s;
}

void
ct_intsum_free(struct ct_intsum *s)
{
	if (s == NULL)
		return;
	ct_strmap_free(s->bad);
	free(s);
}

void
ct_intsum_widen(struct ct_intsum *s, int64_t t)
{
	if (!s->have_from || t < s->from)
		s->from = t;
	if (!s->have_to || t > s->to)
		s->to = t;
	s->have_from = s->have_to = 1;
}

void
ct_intsum_sig_seen(struct ct_intsum *s, enum ct_intsum_sig sig)
{
	if (!s->have_sig || sig < s->sig)
		s->sig = sig;
	s->have_sig = 1;
}

void
ct_intsum_add_count(uint64_t *d, uint64_t v, uint64_t *sat)
{
	*d += v;
	if (*d > CT_SUMMARY_COUNT_MAX || *d < v) {
		*d = CT_SUMMARY_COUNT_MAX;
		(*sat)++;
	}
}

static int
cmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return ct_jstr_cmp(a, strlen(a), b, strlen(b));
}

/* Order of two descriptions of one object: kind, verdict, account,
 * region.  Keeping the smaller makes the result order-independent. */
static int
cmp_desc(const struct ct_intsum_bad *a, const struct ct_intsum_bad *b)
{
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->verdict != b->verdict)
		return a->verdict < b->verdict ? -1 : 1;
	if ((c = cmp_null(a->account, b->account)) != 0)
		return c;
	return cmp_null(a->region, b->region);
}

static void
set_desc(struct owned *w, const struct ct_intsum_bad *b)
{
	free(w->account);
	free(w->region);
	w->account = b->account != NULL ? xstrdup(b->account) : NULL;
	w->region = b->region != NULL ? xstrdup(b->region) : NULL;
	w->b.kind = b->kind;
	w->b.verdict = b->verdict;
	w->b.account = w->account;
	w->b.region = w->region;
}

int
ct_intsum_add_bad(struct ct_intsum *s, const struct ct_intsum_bad *b)
{
	struct ct_strmap_entry *e;
	struct owned *w;
	int added;

	e = ct_strmap_insert(s->bad, b->object, strlen(b->object), &added);
	if (!added) {
		w = e->val.ptr;
		if (cmp_desc(b, &w->b) < 0)
			set_desc(w, b);
		return 0;
	}
	w = xcalloc(1, sizeof(*w));
	w->object = xstrdup(b->object);
	w->b.object = w->object;
	set_desc(w, b);
	e->val.ptr = w;
	return 1;
}

void
ct_intsum_merge(struct ct_intsum *dst, const struct ct_intsum *src,
    uint64_t *sat)
{
	struct ct_strmap_entry *e;
	size_t i, it = 0;

	if (src->have_from)
		ct_intsum_widen(dst, src->from);
	if (src->have_to)
		ct_intsum_widen(dst, src->to);
	if (src->have_sig)
		ct_intsum_sig_seen(dst, src->sig);
	for (i = 0; i < CT_INTSUM_NLOG; i++)
		ct_intsum_add_count(&dst->log[i], src->log[i], sat);
	for (i = 0; i < CT_INTSUM_NDIG; i++)
		ct_intsum_add_count(&dst->digest[i], src->digest[i], sat);
	ct_intsum_add_count(&dst->records_excluded, src->records_excluded, sat);
	ct_intsum_add_count(&dst->records_flagged, src->records_flagged, sat);
	ct_intsum_add_count(&dst->bad_more, src->bad_more, sat);
	while ((e = ct_strmap_next(src->bad, &it)) != NULL)
		ct_intsum_add_bad(dst, &((const struct owned *)e->val.ptr)->b);
}

static int
cmp_object(const void *pa, const void *pb)
{
	const struct ct_intsum_bad *a = *(const struct ct_intsum_bad *const *)pa;
	const struct ct_intsum_bad *b = *(const struct ct_intsum_bad *const *)pb;

	return ct_jstr_cmp(a->object, strlen(a->object), b->object,
	    strlen(b->object));
}

const struct ct_intsum_bad **
ct_intsum_sorted(const struct ct_intsum *s, size_t *n)
{
	const struct ct_intsum_bad **v;
	struct ct_strmap_entry *e;
	size_t it = 0, i = 0;

	*n = ct_strmap_count(s->bad);
	if (*n == 0)
		return NULL;
	v = xmalloc(*n * sizeof(*v));
	while ((e = ct_strmap_next(s->bad, &it)) != NULL)
		v[i++] = &((const struct owned *)e->val.ptr)->b;
	qsort(v, *n, sizeof(*v), cmp_object);
	return v;
}

uint64_t
ct_intsum_more(const struct ct_intsum *s)
{
	size_t n = ct_strmap_count(s->bad);
	uint64_t more = s->bad_more, sat = 0;

	if (n > CT_INTSUM_LIST)
		ct_intsum_add_count(&more, (uint64_t)(n - CT_INTSUM_LIST), &sat);
	return more;
}

int
ct_intsum_tampered(const struct ct_intsum *s)
{
	if (s == NULL)
		return 0;
	return s->log[CT_INTSUM_LOG_MODIFIED] > 0 ||
	    s->log[CT_INTSUM_LOG_MISSING] > 0 ||
	    s->log[CT_INTSUM_LOG_NOT_COVERED] > 0 ||
	    s->digest[CT_INTSUM_DIG_INVALID_SIGNATURE] > 0 ||
	    s->digest[CT_INTSUM_DIG_MISSING] > 0 ||
	    s->digest[CT_INTSUM_DIG_UNREADABLE] > 0 ||
	    s->bad_more > 0 || ct_strmap_count(s->bad) > 0;
}

int
ct_intsum_lookup(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}
