/*
 * s3done.c - which log files of the S3 source were written, for the
 * checkpoint.
 *
 * With --checkpoint, each unit's entry says which files were written
 * (struct ct_ckpt_s3): the days done, and per day in progress a mark (a
 * key: every file up to it in listing order was written) and the files
 * written after it.  S3 lists a folder's keys in byte order and the files
 * are fetched about in that order, so what lies after the mark is about
 * as many files as are fetched at once, and saving the entry with each
 * batch costs the same on a day of 24,000 files as on one of 10: never
 * one key per file written.  A rerun skips the days done, and in a day
 * the files up to its mark and those listed after it.
 *
 * The state lives in the unit (struct s3day); s3done_fill turns it into
 * the entry, counting the files of the batch being written as written
 * (output.c saves that entry with the batch's page).  This file calls no
 * other part of the S3 source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3src.h"
#include "xalloc.h"

/* Is str in l? */
static int
in_list(const struct ct_ckpt_list *l, const char *str)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], str) == 0)
			return 1;
	return 0;
}

void
s3done_init(struct unit *u, size_t ndays)
{
	const struct ct_ckpt_s3 *ck = u->r->ck->s3;
	size_t k;

	u->ndays = ndays;
	u->days = xcalloc(ndays, sizeof(*u->days));
	ct_buf_init(&u->batch.recs, 0);
	for (k = 0; ck != NULL && k < ck->keys.n; k++)
		ct_ckpt_list_add(&u->rkeys, ck->keys.v[k]);
}

int
s3done_day(struct unit *u, size_t i, const char *name)
{
	const struct ct_ckpt_s3 *ck = u->r->ck->s3;
	struct s3day *dy = &u->days[i];
	size_t k;

	snprintf(dy->name, sizeof(dy->name), "%s", name);
	if (ck != NULL && in_list(&ck->days, dy->name)) {
		dy->listed = dy->done = 1;
		return 0;
	}
	for (k = 0; ck != NULL && k < ck->upto.n; k++)
		if (strncmp(ck->upto.v[k], dy->name, 10) == 0 &&
		    ck->upto.v[k][10] == '/')
			dy->upto = xstrdup(ck->upto.v[k]);
	return 1;
}

/* The files at the head of dy that were written go behind the mark; the
 * day is done when its listing ended and nothing is left. */
static void
day_advance(struct s3day *dy)
{
	size_t i, k;

	while (dy->head < dy->n && dy->kdone[dy->head]) {
		free(dy->upto);
		dy->upto = dy->keys[dy->head];
		dy->keys[dy->head++] = NULL;
	}
	for (i = k = 0; i < dy->nahead; i++)
		if (dy->ahead[i] >= dy->head)
			dy->ahead[k++] = dy->ahead[i];
	dy->nahead = k;
	if (dy->listed && dy->head == dy->n && !dy->done) {
		dy->done = 1;
		free(dy->keys);
		free(dy->kdone);
		free(dy->ahead);
		dy->keys = NULL;
		dy->kdone = NULL;
		dy->ahead = NULL;
		dy->n = dy->head = dy->cap = 0;
	}
}

static void
day_mark(struct s3day *dy, size_t seq)
{
	dy->kdone[seq] = 1;
	dy->ahead = xrealloc(dy->ahead, (dy->nahead + 1) * sizeof(size_t));
	dy->ahead[dy->nahead++] = seq;
}

void
s3done_written(struct unit *u, long day, size_t seq)
{
	day_mark(&u->days[day], seq);
	day_advance(&u->days[day]);
}

/* Is days[day].keys[seq] in u's batch (being written)? */
static int
in_batch(const struct unit *u, size_t day, size_t seq)
{
	size_t i;

	for (i = 0; i < u->batch.nfiles; i++)
		if (u->batch.day[i] == (long)day && u->batch.seq[i] == seq)
			return 1;
	return 0;
}

void
s3done_fill(struct region *r)
{
	struct unit *u = r->src;
	struct ct_ckpt_s3 *c = xcalloc(1, sizeof(*c));
	size_t i, k, h;
	int all = 1;

	for (i = 0; i < u->ndays; i++) {
		const struct s3day *dy = &u->days[i];
		const char *up = dy->upto;

		if (dy->done) {
			ct_ckpt_list_add(&c->days, dy->name);
			continue;
		}
		/* as if the files being written were done */
		for (h = dy->head; h < dy->n && (dy->kdone[h] ||
		    in_batch(u, i, h)); h++)
			up = dy->keys[h];
		if (dy->listed && h == dy->n) {
			ct_ckpt_list_add(&c->days, dy->name);
			continue;
		}
		all = 0;
		if (up != NULL)
			ct_ckpt_list_add(&c->upto, up);
		for (k = 0; k < dy->nahead; k++)
			if (dy->ahead[k] >= h)
				ct_ckpt_list_add(&c->keys,
				    dy->keys[dy->ahead[k]]);
		for (k = 0; k < u->batch.nfiles; k++)
			if (u->batch.day[k] == (long)i && u->batch.seq[k] >= h)
				ct_ckpt_list_add(&c->keys,
				    dy->keys[u->batch.seq[k]]);
	}
	r->ck->s3 = c;
	r->ck->done = all && !u->failed;
}

void
s3done_free(struct unit *u)
{
	size_t i, k;

	for (i = 0; i < u->ndays; i++) {
		struct s3day *dy = &u->days[i];

		for (k = dy->head; k < dy->n; k++)
			free(dy->keys[k]);
		free(dy->keys);
		free(dy->kdone);
		free(dy->ahead);
		free(dy->upto);
	}
	free(u->days);
	for (k = 0; k < u->rkeys.n; k++)
		free(u->rkeys.v[k]);
	free(u->rkeys.v);
}

long
s3done_listed(struct unit *u, long day, const char *rel)
{
	struct s3day *dy = &u->days[day];
	size_t seq;

	if (dy->upto != NULL && strcmp(rel, dy->upto) <= 0)
		return -1;
	if (dy->n == dy->cap) {
		dy->cap = dy->cap ? 2 * dy->cap : 64;
		dy->keys = xrealloc(dy->keys, dy->cap * sizeof(*dy->keys));
		dy->kdone = xrealloc(dy->kdone, dy->cap);
	}
	seq = dy->n++;
	dy->keys[seq] = xstrdup(rel);
	dy->kdone[seq] = 0;
	if (in_list(&u->rkeys, rel)) {
		day_mark(dy, seq);
		return -1;
	}
	return (long)seq;
}

void
s3done_page_end(struct unit *u, long day, int last)
{
	if (last)
		u->days[day].listed = 1;
	day_advance(&u->days[day]);
}
