/* fetchset.c - see fetchset.h */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fetchset.h"
#include "jstr.h"
#include "strmap.h"
#include "xalloc.h"

const char *const ct_fetch_status_name[CT_FETCH_NSTATUS] = {
	"complete", "failed", "interrupted", "incomplete",
};

/* An outcome with owned strings: the value of a map entry. */
struct owned {
	struct ct_fetch_outcome o;
	char	*account, *region, *code;
};

static void
owned_free(void *p)
{
	struct owned *w = p;

	free(w->account);
	free(w->region);
	free(w->code);
	free(w);
}

static const struct ct_strmap_type owned_type = { owned_free };

struct ct_fetchset {
	struct ct_strmap *map;		/* stream key -> struct owned */
	struct ct_buf	 key;
};

struct ct_fetchset *
ct_fetchset_new(void)
{
	struct ct_fetchset *s = xcalloc(1, sizeof(*s));

	s->map = ct_strmap_new(&owned_type);
	ct_buf_init(&s->key, 0);
	return s;
}

void
ct_fetchset_free(struct ct_fetchset *s)
{
	if (s == NULL)
		return;
	ct_strmap_free(s->map);
	ct_buf_free(&s->key);
	free(s);
}

size_t
ct_fetchset_count(const struct ct_fetchset *s)
{
	return ct_strmap_count(s->map);
}

/* The stream's identity as bytes: the strings hold no NUL, so NUL
 * separates them; an unknown account or window end is marked apart from
 * every known one. */
static void
make_key(struct ct_buf *b, const struct ct_fetch_outcome *o)
{
	ct_buf_reset(b);
	if (o->account != NULL) {
		ct_buf_addc(b, 'a');
		ct_buf_adds(b, o->account);
	}
	ct_buf_addc(b, '\0');
	ct_buf_adds(b, o->region);
	ct_buf_addc(b, '\0');
	if (o->have_from)
		ct_buf_printf(b, "%lld", (long long)o->from);
	ct_buf_addc(b, '\0');
	if (o->have_to)
		ct_buf_printf(b, "%lld", (long long)o->to);
}

static void
set_outcome(struct owned *w, const struct ct_fetch_outcome *o)
{
	free(w->code);
	w->code = o->status == CT_FETCH_COMPLETE || o->code == NULL ? NULL :
	    xstrdup(o->code);
	w->o.status = o->status;
	w->o.code = w->code;
}

void
ct_fetchset_add(struct ct_fetchset *s, const struct ct_fetch_outcome *o)
{
	struct ct_strmap_entry *e;
	struct owned *w;
	const char *code = o->code != NULL ? o->code : "";
	int added;

	make_key(&s->key, o);
	e = ct_strmap_insert(s->map, s->key.data, s->key.len, &added);
	if (added) {
		w = xcalloc(1, sizeof(*w));
		w->account = o->account != NULL ? xstrdup(o->account) : NULL;
		w->region = xstrdup(o->region);
		w->o = *o;
		w->o.account = w->account;
		w->o.region = w->region;
		w->o.code = NULL;
		set_outcome(w, o);
		e->val.ptr = w;
		return;
	}
	w = e->val.ptr;
	if (w->o.status == CT_FETCH_COMPLETE)
		return;
	if (o->status == CT_FETCH_COMPLETE) {
		set_outcome(w, o);
		return;
	}
	/* two failures of one stream: the smaller code stays */
	if (w->code != NULL && ct_jstr_cmp(code, strlen(code), w->code,
	    strlen(w->code)) >= 0)
		return;
	set_outcome(w, o);
}

void
ct_fetchset_merge(struct ct_fetchset *dst, const struct ct_fetchset *src)
{
	struct ct_strmap_entry *e;
	size_t it = 0;

	while ((e = ct_strmap_next(src->map, &it)) != NULL)
		ct_fetchset_add(dst, &((const struct owned *)e->val.ptr)->o);
}

static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return ct_jstr_cmp(a, strlen(a), b, strlen(b));
}

static int
cmp_time(int ha, int64_t a, int hb, int64_t b)
{
	if (ha != hb)
		return ha - hb;
	return a < b ? -1 : a > b;
}

static int
cmp_outcome(const void *pa, const void *pb)
{
	const struct ct_fetch_outcome *a = *(const struct ct_fetch_outcome *const *)pa;
	const struct ct_fetch_outcome *b = *(const struct ct_fetch_outcome *const *)pb;
	int c;

	if ((c = strcmp_null(a->region, b->region)) != 0 ||
	    (c = strcmp_null(a->account, b->account)) != 0 ||
	    (c = cmp_time(a->have_from, a->from, b->have_from, b->from)) != 0)
		return c;
	return cmp_time(a->have_to, a->to, b->have_to, b->to);
}

const struct ct_fetch_outcome **
ct_fetchset_sorted(const struct ct_fetchset *s, size_t *n)
{
	const struct ct_fetch_outcome **v;
	struct ct_strmap_entry *e;
	size_t it = 0, i = 0;

	*n = ct_strmap_count(s->map);
	if (*n == 0)
		return NULL;
	v = xmalloc(*n * sizeof(*v));
	while ((e = ct_strmap_next(s->map, &it)) != NULL)
		v[i++] = &((const struct owned *)e->val.ptr)->o;
	qsort(v, *n, sizeof(*v), cmp_outcome);
	return v;
}
