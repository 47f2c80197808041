/*
 * s3src.c - the second source: the log files a trail writes to S3.
 *
 * `ct-fetch --s3 s3://BUCKET[/PREFIX]` (or --trail, the bucket and prefix
 * DescribeTrails names) reads the same records as the LookupEvents
 * workers, from the bucket, and writes them through the same writer
 * (output.c), between the same control records, one start and one end per
 * account and region (a unit).  This file is the run from top to bottom:
 * the bucket, the accounts (listed, or the ones --account names), the
 * units, then the job engine (s3job.c) over the plan (s3plan.c) until
 * every unit ended.  s3src.h says how the parts call each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "exitcodes.h"
#include "scan.h"
#include "s3src.h"
#include "trails.h"
#include "xalloc.h"

/* s3://BUCKET[/PREFIX] */
static int
parse_url(struct s3run *s, const char *url)
{
	const char *b, *sl;
	size_t n;

	if (strncmp(url, "s3://", 5) != 0)
		return -1;
	b = url + 5;
	sl = strchr(b, '/');
	n = sl ? (size_t)(sl - b) : strlen(b);
	if (n < 3 || n > 63)
		return -1;
	s->bucket = xstrndup(b, n);
	if (strpbrk(s->bucket, "?#% ") != NULL)
		return -1;
	if (sl == NULL || sl[1] == '\0') {
		s->base = xstrdup("");
		return 0;
	}
	n = strlen(sl + 1);
	while (n > 0 && sl[1 + n - 1] == '/')
		n--;
	if (n > 1000)
		return -1;	/* S3 keys are at most 1024 bytes */
	s->base = xmalloc(n + 2);
	memcpy(s->base, sl + 1, n);
	memcpy(s->base + n, "/", 2);
	return 0;
}

/*
 * --trail [NAME|ARN]: the trail's bucket and prefix, from DescribeTrails in
 * the configured region (else the first region asked for), as an s3:// URL
 * in *url.  0, or an exit status after the reason on stderr.
 */
static int
find_trail(struct fetch *f, char **url)
{
	struct ct_aws_error e;
	struct ct_aws *c;
	struct ct_trails t;
	const struct ct_trail *tr;
	struct ct_buf why;
	const char *region = ct_aws_ctx_region(f->ctx);
	int rc = 0;

	if (region == NULL && f->nregions > 0)
		region = f->regions[0].name;
	if ((c = ct_aws_new(f->ctx, region, &e)) == NULL) {
		fprintf(stderr, PROG ": --trail: %s\n", e.line);
		return ct_awserr_exit(e.cls);
	}
	ct_aws_set_abort(c, &fetch_stop);
	if (ct_trails_describe(c, &t, &e) != 0) {
		fprintf(stderr, PROG ": --trail: %s\n", e.line);
		ct_aws_free(c);
		return ct_awserr_exit(e.cls);
	}
	ct_aws_free(c);
	ct_buf_init(&why, 0);
	if ((tr = ct_trails_pick(&t, f->trail, &why)) == NULL) {
		fprintf(stderr, PROG ": --trail: %s\n", why.data);
		rc = CT_EXIT_FAILURE;
	} else {
		struct ct_buf u;

		ct_buf_init(&u, 0);
		ct_buf_printf(&u, "s3://%s/%s", tr->bucket,
		    tr->prefix ? tr->prefix : "");
		*url = xstrdup(u.data);
		ct_buf_free(&u);
		if (!f->quiet)
			msg(f, PROG ": trail %s: s3://%s/%s%s", tr->name,
			    tr->bucket, tr->prefix ? tr->prefix : "",
			    tr->organization ? " (organization)" : "");
	}
	ct_buf_free(&why);
	ct_trails_free(&t);
	return rc;
}

/*
 * The checkpoint is for this bucket and prefix, or new (it then names
 * them): the keys it holds mean nothing elsewhere.  0, or the exit status
 * after the reason on stderr.
 */
static int
check_source(struct s3run *s)
{
	struct fetch *f = s->f;
	struct ct_buf src;
	int rc = 0;

	if (f->ckpt_path == NULL)
		return 0;
	ct_buf_init(&src, 0);
	ct_buf_printf(&src, "s3://%s/%s", s->bucket, s->base);
	if (f->resumed && (f->ck.source == NULL ? f->ck.nregions > 0 :
	    strcmp(f->ck.source, src.data) != 0)) {
		fprintf(stderr, PROG ": checkpoint %s is for %s, not %s; "
		    "give that source, or remove the file to start afresh\n",
		    f->ckpt_path, f->ck.source != NULL ? f->ck.source :
		    "LookupEvents", src.data);
		rc = CT_EXIT_USAGE;
	} else if (f->ck.source == NULL)
		f->ck.source = xstrdup(src.data);
	ct_buf_free(&src);
	return rc;
}

/*
 * --verify, before any start record: every unit's public keys, then its
 * digests read (the same transfers, concurrency and retries as the log
 * files), then sealed.  A unit whose keys or digests could not be had
 * fails here; its start and end records follow as for any failure.
 */
struct dplan {
	struct s3run	*s;
	struct unit	*u;
};

static void
plan_digest_day(void *arg, const char *prefix)
{
	struct dplan *p = arg;

	s3job_push(p->s, J_DLIST, p->u, prefix, NULL);
}

static void
read_digests(struct s3run *s, struct unit *units, size_t nu, CURL **pool,
    size_t npool)
{
	struct ct_aws_error e;
	size_t i;

	for (i = 0; i < nu && !fetch_stop; i++) {
		struct dplan p = { s, &units[i] };

		if (units[i].r->status == RS_SKIPPED)
			continue;
		if (s3v_keys(units[i].vu, &e) != 0) {
			s3job_unit_fail(s->f, &units[i], &e);
			continue;
		}
		units[i].pending = 1;	/* no end record from these jobs */
		s3v_plan(units[i].vu, plan_digest_day, &p);
	}
	s3job_run(s, pool, npool);
	for (i = 0; i < nu; i++) {
		units[i].pending = 0;
		if (!fetch_stop && !units[i].failed &&
		    units[i].r->status != RS_SKIPPED)
			s3v_seal(units[i].vu);
	}
}

int
fetch_s3(struct fetch *f)
{
	char *trail_url = NULL;
	struct s3run s;
	struct ct_aws_error e;
	struct unit *units = NULL;
	struct region *regs;
	CURL **pool;
	char **names;
	size_t i, k, nreg = f->nregions, nacc, npool, nu = 0;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.f = f;
	s.done = s3plan_done;
	ct_aws_ctx_trace(f->ctx, &s.trace);
	ct_buf_init(&s.endpoint, 0);
	if (f->use_trail && (rc = find_trail(f, &trail_url)) != 0)
		goto out;
	if (parse_url(&s, trail_url ? trail_url : f->s3_url) != 0) {
		fprintf(stderr, PROG ": --s3: \"%s\" is not s3://BUCKET"
		    "[/PREFIX]\n", trail_url ? trail_url : f->s3_url);
		rc = CT_EXIT_USAGE;
		goto out;
	}
	if ((rc = check_source(&s)) != 0)
		goto out;
	s.sign_region = ct_aws_ctx_region(f->ctx);
	if (ct_aws_ctx_s3(f->ctx, s.sign_region, &s.endpoint, &s.configured,
	    &s.style, &s.ca, &e) != 0) {
		fprintf(stderr, PROG ": %s\n", e.line);
		rc = ct_awserr_exit(e.cls);
		goto out;
	}
	if (f->verify)
		s.verify = s3v_new(f, s.bucket);
	s.multi = curl_multi_init();
	s.logs = ct_ctlog_cache_new();
	s.chk = ct_scan_checker_new();
	npool = (size_t)f->s3_concurrency;
	pool = xcalloc(npool, sizeof(*pool));
	for (i = 0; i < npool; i++)
		pool[i] = s3job_new_easy(&s);
	curl_multi_setopt(s.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)npool);

	/* the accounts */
	{
		const char *pfx = s.top;

		snprintf(s.top, sizeof(s.top), "%sAWSLogs/", s.base);
		s3job_push(&s, J_ACCOUNTS, NULL, pfx, NULL);
		s3job_run(&s, pool, npool);
		if (f->naccounts > 0) {
			/* the folders found for the accounts named, else
			 * the plain layout */
			nacc = f->naccounts;
			names = xcalloc(nacc, sizeof(*names));
			for (k = 0; k < nacc; k++) {
				for (i = 0; i < s.naccounts; i++)
					if (strcmp(s.acc_ids[i],
					    f->accounts[k]) == 0)
						break;
				if (i < s.naccounts)
					names[k] = xstrdup(s.accounts[i]);
				else {
					names[k] = xmalloc(strlen(pfx) + 14);
					sprintf(names[k], "%s%s/", pfx,
					    f->accounts[k]);
				}
			}
			for (i = 0; i < s.naccounts; i++) {
				free(s.accounts[i]);
				free(s.acc_ids[i]);
			}
			free(s.accounts);
			free(s.acc_ids);
			s.accounts = names;
			s.acc_ids = xcalloc(nacc, sizeof(char *));
			for (k = 0; k < nacc; k++)
				s.acc_ids[k] = xstrdup(f->accounts[k]);
			s.naccounts = nacc;
		} else if (s.acc_failed) {
			fprintf(stderr, PROG ": listing %s: %s\n", pfx,
			    s.acc_err.line);
			rc = ct_awserr_exit(s.acc_err.cls);
			goto free_pool;
		} else if (s.naccounts == 0) {
			fprintf(stderr, PROG ": s3://%s/%s: no account "
			    "folder (AWSLogs/ACCOUNT/ or AWSLogs/o-ORG/"
			    "ACCOUNT/)\n", s.bucket, pfx);
			rc = CT_EXIT_FAILURE;
			goto free_pool;
		}
	}
	if (fetch_stop)
		goto free_pool;
	if (f->list_shards) {
		rc = shards_print(f, s.acc_ids, s.naccounts);
		goto free_pool;
	}

	/* one unit per account and region, in f->regions */
	nu = s.naccounts * nreg;
	units = xcalloc(nu, sizeof(*units));
	regs = xcalloc(nu, sizeof(*regs));
	pthread_mutex_lock(&f->lock);	/* f->ck */
	for (k = 0; k < s.naccounts; k++)
		for (i = 0; i < nreg; i++) {
			struct unit *u = &units[k * nreg + i];
			struct region *r = &regs[k * nreg + i];
			size_t n = strlen(s.accounts[k]) + 32 +
			    strlen(f->regions[i].name);

			r->name = xstrdup(f->regions[i].name);
			r->account = s.acc_ids[k];
			r->ck = ct_ckpt_add_in(&f->ck, s.acc_ids[k], r->name);
			r->reached0 = r->ck->reached;
			/* the entry is built with each page only to be
			 * saved: without --checkpoint that work (the unit's
			 * pending keys copied, per file written) is skipped */
			r->ck_fill = f->ckpt_path != NULL ? s3done_fill :
			    NULL;
			r->src = u;
			if (r->ck->done)
				r->status = RS_SKIPPED;
			u->r = r;
			u->run = &s;
			u->account = s.acc_ids[k];
			u->folder = xmalloc(n);
			snprintf(u->folder, n, "%sCloudTrail/%s/",
			    s.accounts[k], r->name);
			if (s.verify != NULL) {
				char *df = xmalloc(n + 8);

				snprintf(df, n + 8, "%sCloudTrail-Digest/%s/",
				    s.accounts[k], r->name);
				u->vu = s3v_unit_new(s.verify, r, u->account,
				    df);
				free(df);
			}
		}
	for (i = 0; i < nreg; i++)
		free((char *)f->regions[i].name);
	free(f->regions);
	f->regions = regs;
	f->nregions = nu;
	pthread_mutex_unlock(&f->lock);
	if (s.verify != NULL)
		read_digests(&s, units, nu, pool, npool);

	for (i = 0; i < nu && !fetch_stop; i++) {
		struct unit *u = &units[i];

		if (u->r->status == RS_SKIPPED) {
			if (f->progress)
				msg(f, PROG ": %s %s: already complete in %s",
				    u->account, u->r->name, f->ckpt_path);
			continue;
		}
		pthread_mutex_lock(&f->lock);
		u->r->status = RS_RUNNING;
		u->r->t_start = fetch_now();
		pthread_mutex_unlock(&f->lock);
		if (out_start_record(f, u->r) != 0) {
			fetch_stop = fetch_stop ? fetch_stop : 1;
			break;
		}
		u->pending = 1;		/* until planned */
		if (!u->failed)
			s3plan_unit(&s, u);
	}
	for (k = 0; k < i; k++)
		if (units[k].r->status != RS_SKIPPED)
			s3job_unit_done(f, &units[k]);
	s3job_run(&s, pool, npool);

	if (f->progress)
		msg(f, PROG ": s3://%s: %lu requests over %lu connections",
		    s.bucket, s.requests, s.connects);
	for (i = 0; i < nu; i++) {
		if (units[i].r->status == RS_RUNNING ||
		    units[i].r->status == RS_WAITING)
			units[i].r->status = RS_STOPPED;
		units[i].r->account = NULL;
		free(units[i].folder);
		s3done_free(&units[i]);
		s3obj_batch_free(&units[i].batch);
	}
	free(units);
free_pool:
	for (i = 0; i < npool; i++)
		curl_easy_cleanup(pool[i]);
	free(pool);
	curl_multi_cleanup(s.multi);
	while (s.queue != NULL) {
		struct job *j = s.queue;

		s.queue = j->next;
		s3job_free(j);
	}
out:
	for (i = 0; i < s.naccounts; i++) {
		free(s.accounts[i]);
		free(s.acc_ids[i]);
	}
	free(s.accounts);
	free(s.acc_ids);
	s3v_free(s.verify);
	ct_ctlog_cache_free(s.logs);
	ct_scan_free(s.chk);
	s3obj_pool_free(&s);
	free(s.sockreg);
	free(s.bucket);
	free(s.base);
	free(trail_url);
	ct_buf_free(&s.endpoint);
	ct_sigv4_cache_wipe(&s.keys);
	return rc;
}
