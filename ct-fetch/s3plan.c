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
 * With --checkpoint, the days and files a run before wrote are skipped
 * (s3done.c).  The plan knows keys only:
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

/* "2024/01/02/" style folders of the days of the window, plus one, less
 * those the checkpoint has done (s3done.c). */
void
s3plan_unit(struct s3run *s, struct unit *u)
{
	int64_t d, d0 = s->f->start / S3_DAY, d1 = s->f->end / S3_DAY + 1, y;
	unsigned m, dd;
	size_t i;
	char name[16], pfx[2048];

	s3done_init(u, (size_t)(d1 - d0 + 1));
	for (d = d0, i = 0; d <= d1; d++, i++) {
		ct_civil_from_days(d, &y, &m, &dd);
		snprintf(name, sizeof(name), "%04" PRId64 "/%02u/%02u", y, m,
		    dd);
		if (!s3done_day(u, i, name))
			continue;
		snprintf(pfx, sizeof(pfx), "%s%s/", u->folder, name);
		s3job_push(s, J_LIST, u, pfx, NULL)->day = (long)i;
	}
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
	if (j->kind == J_DGET) {
		s3v_digest(j->u->vu, j->key, j->body.data, j->body.len,
		    j->meta);
		return 0;
	}
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
		size_t fl = strlen(j->u->folder);
		struct job *nj;
		long seq;

		for (i = 0; i < l.nobjs; i++) {
			if (!wanted(s, j->u, j->key, l.objs[i].key) ||
			    (seq = s3done_listed(j->u, j->day,
			    l.objs[i].key + fl)) < 0)
				continue;
			nj = s3job_push(s, J_GET, j->u, l.objs[i].key, NULL);
			nj->day = j->day;
			nj->seq = (size_t)seq;
		}
		s3done_page_end(j->u, j->day, !l.truncated);
	} else if (j->kind == J_DLIST) {
		for (i = 0; i < l.nobjs; i++)
			if (s3v_is_digest(j->u->vu, j->key, l.objs[i].key))
				s3job_push(s, J_DGET, j->u, l.objs[i].key,
				    NULL);
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
