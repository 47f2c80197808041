/*
 * test_walkguard.c - what counts as progress in a LookupEvents walk, and
 * when a walk is stopped: token loops, pages without progress, events out
 * of the window or out of order, events received again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "walkguard.h"

#define W0	1793491200	/* window start */
#define W1	1793577600	/* window end */

static struct ct_lookup_event ev[64];
static char ids[64][40];
static struct ct_lookup_page pg;

/* A page of n events at times t[0..n), ids "e<id0+i>", and a token. */
static const struct ct_lookup_page *
page(size_t n, const double *t, int id0, const char *token)
{
	size_t i;

	memset(&pg, 0, sizeof(pg));
	for (i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "e%d", id0 + (int)i);
		ev[i].event_id = ids[i];
		ev[i].event_time = t[i];
		ev[i].record = "{}";
		ev[i].record_len = 2;
	}
	pg.events = ev;
	pg.nevents = n;
	pg.next_token = token;
	return &pg;
}

static const char *
tok(int i)
{
	static char b[32];

	snprintf(b, sizeof(b), "token-%d", i);
	return b;
}

int
main(void)
{
	struct ct_walkguard g;
	struct ct_walkguard_page w;
	double t[50];
	int i, v = 0, ok;
	size_t k;

	/* A long real walk: 2,000 pages of 50 events, newest first, many
	 * at the same second; then the last page. */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	ok = 1;
	for (i = 0; i < 2000 && ok; i++) {
		for (k = 0; k < 50; k++)
			t[k] = W1 - (double)((i * 50 + (int)k) / 7);
		v = ct_walkguard_page(&g, page(50, t, i * 50, tok(i)), &w);
		ok = v == CT_WALKGUARD_GO && w.fresh == 50;
	}
	CHECK(ok, "2,000 full pages of a real walk go on (page %d)", i);
	CHECK(ct_walkguard_page(&g, page(0, t, 0, NULL), NULL) ==
	    CT_WALKGUARD_GO, "the last page ends the walk well");
	CHECK(g.outside == 0 && g.reordered == 0 && g.repeated == 0,
	    "nothing odd counted in a real walk");
	ct_walkguard_free(&g);

	/* Empty pages: 99 in a row are fine, one fresh event resets, the
	 * 100th in a row stops the walk. */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	t[0] = W1 - 10;
	ct_walkguard_page(&g, page(1, t, 0, tok(0)), NULL);
	for (i = 1, ok = 1; i < 100 && ok; i++)
		ok = ct_walkguard_page(&g, page(0, t, 0, tok(i)), NULL) ==
		    CT_WALKGUARD_GO;
	CHECK(ok, "99 empty pages in a row go on");
	t[0] = W1 - 20;
	CHECK(ct_walkguard_page(&g, page(1, t, 1, tok(100)), NULL) ==
	    CT_WALKGUARD_GO && g.idle == 0, "a page with a new event resets");
	for (i = 1; i < 100; i++)
		v = ct_walkguard_page(&g, page(0, t, 0, tok(100 + i)), NULL);
	CHECK(v == CT_WALKGUARD_GO, "99 more go on");
	CHECK(ct_walkguard_page(&g, page(0, t, 0, tok(300)), NULL) ==
	    CT_WALKGUARD_STALLED, "the 100th empty page in a row stops");
	ct_walkguard_free(&g);

	/* Token loops: a token used before, the resumed one included. */
	ct_walkguard_init(&g, W0, W1, 0, "resumed");
	t[0] = W1;
	CHECK(ct_walkguard_page(&g, page(1, t, 0, "a"), NULL) ==
	    CT_WALKGUARD_GO, "a new token goes on");
	CHECK(ct_walkguard_page(&g, page(0, t, 0, "a"), NULL) ==
	    CT_WALKGUARD_LOOP, "the same token again: a loop");
	CHECK(ct_walkguard_page(&g, page(0, t, 0, "resumed"), NULL) ==
	    CT_WALKGUARD_LOOP, "the token the walk resumed with: a loop");
	ct_walkguard_free(&g);

	/* The window: both ends inclusive (the end's whole second). */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	t[0] = W1 + 0.5;
	t[1] = W1 + 1;
	t[2] = W0;
	t[3] = W0 - 1;
	t[4] = 0;
	ct_walkguard_page(&g, page(5, t, 0, "x"), &w);
	CHECK(w.fresh == 2 && w.outside == 3, "window: end second and start "
	    "in, after/before/no time out (%zu in, %zu out)", w.fresh,
	    w.outside);
	CHECK(strcmp(w.bad_id, "e1") == 0 && w.bad_time == W1 + 1,
	    "the first event outside is reported");
	ct_walkguard_free(&g);

	/* Order: newer than the oldest before by up to the slack is fine. */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	t[0] = W0 + 1000;
	ct_walkguard_page(&g, page(1, t, 0, "a"), NULL);
	t[0] = W0 + 1000 + CT_WALKGUARD_SKEW;
	t[1] = W0 + 1000 + CT_WALKGUARD_SKEW + 1;
	ct_walkguard_page(&g, page(2, t, 1, "b"), &w);
	CHECK(w.fresh == 1 && w.reordered == 1 && w.bad_ref == W0 + 1000,
	    "order: %d s of slack, not more", CT_WALKGUARD_SKEW);
	ct_walkguard_free(&g);

	/* The same page again and again, at one second: repeated, then
	 * stopped; a page at the same second with new ids is progress. */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	for (k = 0; k < 50; k++)
		t[k] = W0 + 500;
	ct_walkguard_page(&g, page(50, t, 0, tok(0)), NULL);
	ct_walkguard_page(&g, page(50, t, 50, tok(1)), &w);
	CHECK(w.fresh == 50, "new events at the same second are progress");
	for (i = 2, v = 0; i < 200 && v == CT_WALKGUARD_GO; i++)
		v = ct_walkguard_page(&g, page(50, t, (i % 2) * 50, tok(i)),
		    &w);
	CHECK(v == CT_WALKGUARD_STALLED && i == 102 && w.repeated == 50,
	    "two pages in turn, fresh tokens: stopped after 100 (%d)", i - 2);
	ct_walkguard_free(&g);

	/* Ids are forgotten once the walk is well past them (bounded
	 * memory), and remembered near the oldest time. */
	ct_walkguard_init(&g, W0, W1, 0, NULL);
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < 50; k++)
			t[k] = W1 - (double)(i * 50 + (int)k);
		ct_walkguard_page(&g, page(50, t, i * 50, tok(i)), NULL);
	}
	CHECK(g.ids.n <= 2 * (CT_WALKGUARD_SKEW + 1) + 50,
	    "ids remembered: only the last %d s or so (%zu)",
	    CT_WALKGUARD_SKEW, g.ids.n);
	ct_walkguard_free(&g);
	return check_done();
}
