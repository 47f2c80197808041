/*
 * s3plan.c - the S3 source's plan: which folders to list, which keys to GET.
 *
 * A trail writes AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
 * ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_*.json.gz under the bucket's
 * prefix (an organization trail puts AWSLogs/o-ORG/ before ACCOUNT).  The
 * plan turns the window into listings and listings into GETs:
 *   - accounts: list PREFIX/AWSLogs/ with delimiter '/': an account folder
 *     (12 digits), or an organization's folder (o-...) listed the same way;
 *   - a day: list ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ (continuation
 *     tokens) and add a GET for each log file of that layout (digests,
 *     Insights and other objects live elsewhere or are named otherwise).
 * A file is named and filed by its delivery time, minutes after its
 * records: the days listed are the window's plus one after its end (a
 * record of 23:58 is in the next day's folder), and a file delivered
 * before the window's start is not fetched.
 *
 * With --checkpoint, each unit's entry says which files were written
 * (struct ct_ckpt_s3): the days done, and per day in progress a mark (a
 * key: every file up to it in listing order was written) and the files
 * written after it.  Files are fetched about in listing order, so what
 * lies after the mark is about as many files as run at once, and saving
 * the entry after each file costs the same on a day of 24,000 files as on
 * one of 10.  A rerun skips the days done, and in a day the files up to
 * its mark and those listed after it.  The plan knows keys only:
 * requests are the engine's (s3job.c), an object's content s3obj.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3list.h"
#include "s3src.h"
#include "timefmt.h"
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

/*
 * "2024/01/02/" style folders of the days of the window, plus one, less
 * those the checkpoint has done; a day in progress resumes after its mark
 * and knows the files written after it (u->rkeys).
 */
void
s3plan_unit(struct s3run *s, struct unit *u)
{
	int64_t d, d0 = s->f->start / S3_DAY, d1 = s->f->end / S3_DAY + 1, y;
	const struct ct_ckpt_s3 *ck = u->r->ck->s3;
	unsigned m, dd;
	size_t i, k;
	char pfx[2048];

	u->ndays = (size_t)(d1 - d0 + 1);
	u->days = xcalloc(u->ndays, sizeof(*u->days));
	ct_buf_init(&u->batch.recs, 0);
	for (d = d0, i = 0; d <= d1; d++, i++) {
		struct s3day *dy = &u->days[i];

		ct_civil_from_days(d, &y, &m, &dd);
		snprintf(dy->name, sizeof(dy->name), "%04" PRId64 "/%02u/%02u",
		    y, m, dd);
		if (ck != NULL && in_list(&ck->days, dy->name)) {
			dy->listed = dy->done = 1;
			continue;
		}
		for (k = 0; ck != NULL && k < ck->upto.n; k++)
			if (strncmp(ck->upto.v[k], dy->name, 10) == 0 &&
			    ck->upto.v[k][10] == '/')
				dy->upto = xstrdup(ck->upto.v[k]);
		snprintf(pfx, sizeof(pfx), "%s%s/", u->folder, dy->name);
		s3job_push(s, J_LIST, u, pfx, NULL)->day = (long)i;
	}
	for (k = 0; ck != NULL && k < ck->keys.n; k++)
		ct_ckpt_list_add(&u->rkeys, ck->keys.v[k]);
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
s3plan_written(struct unit *u, long day, size_t seq)
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
s3plan_fill(struct region *r)
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
s3plan_free(struct unit *u)
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
	s3obj_batch_free(&u->batch);
}

/* A listed file of day dy (key relative to the unit's folder): its index,
 * or -1 when a run before wrote it already. */
static long
day_add(struct unit *u, struct s3day *dy, const char *rel)
{
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

/* A log file of u's folder, delivered at or after the window's start? */
static int
wanted(struct s3run *s, struct unit *u, const char *prefix, const char *key)
{
	const char *name = key + strlen(prefix), *t;
	size_t n = strlen(name), la = strlen(u->account), lr;
	int64_t when;
	char iso[32];

	if (strncmp(key, prefix, strlen(prefix)) != 0 ||
	    strchr(name, '/') != NULL || n < 8 ||
	    strcmp(name + n - 8, ".json.gz") != 0)
		return 0;
	lr = strlen(u->r->name);
	if (strncmp(name, u->account, la) != 0 ||
	    strncmp(name + la, "_CloudTrail_", 12) != 0 ||
	    strncmp(name + la + 12, u->r->name, lr) != 0 ||
	    name[la + 12 + lr] != '_' || n < la + 12 + lr + 1 + 15)
		return 0;
	t = name + la + 12 + lr + 1;	/* YYYYMMDDTHHMMZ_ */
	if (t[8] != 'T' || t[13] != 'Z' || t[14] != '_')
		return 0;
	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.2s:%.2s:00Z", t, t + 4,
	    t + 6, t + 9, t + 11);
	if (ct_time_parse_cloudtrail(iso, strlen(iso), &when) != 0)
		return 0;
	return when + 59 >= s->f->start;
}

/* Is prefix's last component all digits (12), or "o-..."?  1 account,
 * 2 organization, 0 neither; the component into out. */
static int
folder_kind(const char *prefix, size_t skip, char *out, size_t sz)
{
	const char *c = prefix + skip;
	size_t n = strlen(c), i;

	if (n < 2 || c[n - 1] != '/' || n - 1 >= sz)
		return 0;
	memcpy(out, c, n - 1);
	out[n - 1] = '\0';
	if (strchr(out, '/') != NULL)
		return 0;
	if (strncmp(out, "o-", 2) == 0)
		return 2;
	if (n - 1 != 12)
		return 0;
	for (i = 0; i < 12; i++)
		if (out[i] < '0' || out[i] > '9')
			return 0;
	return 1;
}

/* A 200 answer of j: the object written, or the listing's folders and
 * log files queued.  0, 1 retry, -1 failed (e). */
int
s3plan_done(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct ct_s3list l;
	struct ct_buf why;
	size_t i;
	char comp[64];

	if (j->kind == J_GET)
		return s3obj_write(s, j, e);
	ct_s3list_init(&l);
	ct_buf_init(&why, 0);
	if (ct_s3list_parse(j->body.data ? j->body.data : "", j->body.len,
	    &l, &why) != 0) {
		ct_awserr_set(e, CT_AWS_RETRYABLE, "InvalidListing",
		    "s3://%.40s: %s", s->bucket, why.data);
		ct_buf_free(&why);
		return 1;
	}
	ct_buf_free(&why);
	if (j->kind == J_LIST) {
		struct s3day *dy = &j->u->days[j->day];
		size_t fl = strlen(j->u->folder);
		struct job *nj;
		long seq;

		for (i = 0; i < l.nobjs; i++) {
			if (!wanted(s, j->u, j->key, l.objs[i].key) ||
			    (seq = day_add(j->u, dy, l.objs[i].key + fl)) < 0)
				continue;
			nj = s3job_push(s, J_GET, j->u, l.objs[i].key, NULL);
			nj->day = j->day;
			nj->seq = (size_t)seq;
		}
		if (!l.truncated)
			dy->listed = 1;
		day_advance(dy);
	} else {
		size_t skip = strlen(j->key);

		for (i = 0; i < l.nprefixes; i++) {
			int k = folder_kind(l.prefixes[i], skip, comp,
			    sizeof(comp));

			/* o-ORG/ directly under AWSLogs/ only */
			if (k == 2 && strcmp(j->key, s->top) == 0)
				s3job_push(s, J_ACCOUNTS, NULL,
				    l.prefixes[i], NULL);
			else if (k == 1 && s->naccounts < S3_MAX_ACCOUNTS) {
				s->accounts = xrealloc(s->accounts,
				    (s->naccounts + 1) * sizeof(char *));
				s->acc_ids = xrealloc(s->acc_ids,
				    (s->naccounts + 1) * sizeof(char *));
				s->accounts[s->naccounts] =
				    xstrdup(l.prefixes[i]);
				s->acc_ids[s->naccounts++] = xstrdup(comp);
			}
		}
	}
	if (l.truncated) {
		s3job_push(s, j->kind, j->u, j->key, l.next_token)->day =
		    j->day;
	}
	ct_s3list_free(&l);
	return 0;
}
