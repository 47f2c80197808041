/* walkguard.c - see walkguard.h */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "walkguard.h"
#include "xalloc.h"

/* A 128-bit key of s: the first half of its SHA-256, never all zero. */
static void
key_of(const char *s, uint64_t k[2])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	memcpy(k, md, 2 * sizeof(uint64_t));
	if (k[0] == 0 && k[1] == 0)
		k[0] = 1;
}

static void
set_free(struct ct_walkguard_set *s)
{
	free(s->k);
	free(s->t);
	memset(s, 0, sizeof(*s));
}

static void set_rebuild(struct ct_walkguard_set *, double, size_t);

/* Add k (time t); 1 if it was there already, else 0. */
static int
set_add(struct ct_walkguard_set *s, const uint64_t k[2], double t)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		set_rebuild(s, 1e300, s->cap * 2);
	for (i = (size_t)(k[0] ^ k[1]) & (s->cap - 1);
	    s->k[2 * i] != 0 || s->k[2 * i + 1] != 0;
	    i = (i + 1) & (s->cap - 1))
		if (s->k[2 * i] == k[0] && s->k[2 * i + 1] == k[1])
			return 1;
	s->k[2 * i] = k[0];
	s->k[2 * i + 1] = k[1];
	s->t[i] = t;
	s->n++;
	return 0;
}

/* Rebuild s keeping the keys whose time is <= keep_le, in at least
 * min_cap slots and as many as they need (so that a burst once seen does
 * not make every later rebuild slow). */
static void
set_rebuild(struct ct_walkguard_set *s, double keep_le, size_t min_cap)
{
	struct ct_walkguard_set old = *s;
	size_t i, kept = 0;

	for (i = 0; i < old.cap; i++)
		if ((old.k[2 * i] != 0 || old.k[2 * i + 1] != 0) &&
		    old.t[i] <= keep_le)
			kept++;
	s->cap = 64;
	while (s->cap < 2 * (kept + 1) || s->cap < min_cap)
		s->cap *= 2;
	s->n = 0;
	s->k = xcalloc(2 * s->cap, sizeof(uint64_t));
	s->t = xcalloc(s->cap, sizeof(double));
	for (i = 0; i < old.cap; i++)
		if ((old.k[2 * i] != 0 || old.k[2 * i + 1] != 0) &&
		    old.t[i] <= keep_le)
			(void)set_add(s, old.k + 2 * i, old.t[i]);
	free(old.k);
	free(old.t);
}

void
ct_walkguard_init(struct ct_walkguard *g, int64_t start, int64_t end,
    int idle_max, const char *resume_token)
{
	uint64_t k[2];

	memset(g, 0, sizeof(*g));
	g->start = start;
	g->end = end;
	g->idle_max = idle_max > 0 ? idle_max : CT_WALKGUARD_IDLE_PAGES;
	if (resume_token != NULL && *resume_token != '\0') {
		key_of(resume_token, k);
		(void)set_add(&g->tokens, k, 0);
	}
}

void
ct_walkguard_free(struct ct_walkguard *g)
{
	set_free(&g->tokens);
	set_free(&g->ids);
}

enum ct_walkguard_verdict
ct_walkguard_page(struct ct_walkguard *g, const struct ct_lookup_page *pg,
    struct ct_walkguard_page *info)
{
	struct ct_walkguard_page dummy;
	uint64_t k[2];
	size_t i;
	int loop = 0;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	g->pages++;
	for (i = 0; i < pg->nevents; i++) {
		const struct ct_lookup_event *e = &pg->events[i];
		double t = e->event_time;

		/* EndTime is whole seconds: its second is in the window. */
		if (t <= 0 || t < (double)g->start || t >= (double)g->end + 1) {
			if (info->outside++ == 0 && info->reordered == 0) {
				info->bad_id = e->event_id;
				info->bad_time = t;
			}
			continue;
		}
		if (g->oldest != 0 && t > g->oldest + CT_WALKGUARD_SKEW) {
			if (info->reordered++ == 0 && info->outside == 0) {
				info->bad_id = e->event_id;
				info->bad_time = t;
				info->bad_ref = g->oldest;
			}
			continue;
		}
		if (e->event_id != NULL && *e->event_id != '\0') {
			key_of(e->event_id, k);
			if (g->ids.n >= CT_WALKGUARD_MAX_IDS)
				set_free(&g->ids);
			if (set_add(&g->ids, k, t)) {
				info->repeated++;
				continue;
			}
		}
		info->fresh++;
		if (g->oldest == 0 || t < g->oldest)
			g->oldest = t;
	}
	/* Forget the ids that fell more than the slack behind. */
	if (g->pruned_at == 0)
		g->pruned_at = g->oldest;
	else if (g->oldest < g->pruned_at - CT_WALKGUARD_SKEW) {
		set_rebuild(&g->ids, g->oldest + CT_WALKGUARD_SKEW, 0);
		g->pruned_at = g->oldest;
	}
	g->outside += info->outside;
	g->reordered += info->reordered;
	g->repeated += info->repeated;
	if (pg->next_token == NULL)
		return CT_WALKGUARD_GO;
	key_of(pg->next_token, k);
	loop = set_add(&g->tokens, k, 0);
	g->idle = info->fresh > 0 ? 0 : g->idle + 1;
	if (loop)
		return CT_WALKGUARD_LOOP;
	if (g->idle >= g->idle_max)
		return CT_WALKGUARD_STALLED;
	return CT_WALKGUARD_GO;
}
