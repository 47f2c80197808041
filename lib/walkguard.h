/*
 * walkguard.h - telling a LookupEvents walk that progresses from one that
 * never ends.
 *
 * A region's walk goes page after page as long as each answer carries a
 * NextToken.  A broken or hostile endpoint can answer for ever with fresh
 * tokens: empty pages, the same events again, or events outside the
 * window.  No cap on pages or events could tell that apart from a busy
 * account (a window of 90 days can hold millions of events), so the guard
 * looks at progress instead, page by page:
 *
 *   - a NextToken equal to one already used in this walk is a loop: real
 *     tokens mark a position, and a walk's positions only move on;
 *   - a page brings progress when it holds at least one event that is in
 *     the window, no newer than the events before it (events come newest
 *     first; CT_WALKGUARD_SKEW seconds of slack) and not already received
 *     among the events of about the same time.  CT_WALKGUARD_IDLE_PAGES
 *     pages in a row without progress stop the walk.  AWS does answer an
 *     empty page with a NextToken now and then, so one or a few are fine;
 *     a hundred in a row (50 s at the 2 requests/s quota) are not a walk.
 *
 * The guard only judges; the caller still writes every event it receives
 * (the data are the endpoint's to lie about; what the guard stops is a
 * walk that never ends).  Memory: up to 48 bytes (a 128-bit key in a
 * table kept at most half full) per page for the tokens used, and as much
 * per event of the last CT_WALKGUARD_SKEW seconds of event time reached
 * (at most CT_WALKGUARD_MAX_IDS; beyond, they are forgotten at once and
 * remembered afresh).
 * A guard belongs to one walk in one thread.
 */
#ifndef CT_WALKGUARD_H
#define CT_WALKGUARD_H

#include <stddef.h>
#include <stdint.h>

#include "lookup.h"

#define CT_WALKGUARD_IDLE_PAGES	100	/* pages in a row without progress */
#define CT_WALKGUARD_SKEW	60	/* seconds an event may be newer than
					   the oldest before it */
#define CT_WALKGUARD_MAX_IDS	(1u << 18)	/* event ids remembered */

struct ct_walkguard_set {		/* open addressing, 0 = empty slot */
	uint64_t	*k;		/* [2 * cap]: a 128-bit key per slot */
	double		*t;		/* [cap]: the event's time (ids only) */
	size_t		 cap, n;
};

struct ct_walkguard {
	int64_t			 start, end;	/* the window, epoch seconds */
	int			 idle_max;
	struct ct_walkguard_set	 tokens;	/* NextTokens used */
	struct ct_walkguard_set	 ids;		/* EventIds near the oldest */
	double			 oldest;	/* oldest good event time, or 0 */
	double			 pruned_at;	/* oldest at the last pruning */
	int			 idle;		/* pages in a row without
						   progress */
	uint64_t		 pages;		/* pages judged */
	uint64_t		 outside, reordered, repeated;	/* events */
};

/* What one page held, for the caller's warnings. */
struct ct_walkguard_page {
	size_t		 fresh;		/* events that were progress */
	size_t		 outside;	/* outside the window, or no time */
	size_t		 reordered;	/* newer than the events before them
					   by more than CT_WALKGUARD_SKEW */
	size_t		 repeated;	/* EventIds already received */
	const char	*bad_id;	/* the first outside/reordered event's
					   EventId (points into the page) */
	double		 bad_time;	/* ... and its EventTime */
	double		 bad_ref;	/* reordered: the oldest before it */
};

enum ct_walkguard_verdict {
	CT_WALKGUARD_GO = 0,	/* go on */
	CT_WALKGUARD_LOOP,	/* the NextToken was already used */
	CT_WALKGUARD_STALLED,	/* idle_max pages in a row without progress */
};

/*
 * Start guarding a walk of the window [start, end] (epoch seconds, both
 * inclusive); idle_max <= 0 means CT_WALKGUARD_IDLE_PAGES.  resume_token
 * (NULL for a walk from the start) is the token the walk starts with.
 * Free with ct_walkguard_free.
 */
void	ct_walkguard_init(struct ct_walkguard *g, int64_t start, int64_t end,
	    int idle_max, const char *resume_token);
void	ct_walkguard_free(struct ct_walkguard *g);

/*
 * Judge a page received in full (page->next_token NULL: the last page,
 * which always ends the walk well: GO).  Fills *info (may be NULL).
 * Returns the verdict; page->next_token is remembered as used.
 */
enum ct_walkguard_verdict ct_walkguard_page(struct ct_walkguard *g,
	    const struct ct_lookup_page *page, struct ct_walkguard_page *info);

#endif
