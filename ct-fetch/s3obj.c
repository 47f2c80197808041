/*
 * s3obj.c - one CloudTrail log object read from S3.
 *
 * A log object is inflated and split as it arrives (lib/ctlog.h), its
 * in-window records kept in the job, and written as one page once the
 * object was received and read to its end: a retried object never writes
 * a record twice, and each object is written once.  Records past
 * S3_KEEP_MAX bytes are kept in a temporary file instead (s3src.h), and
 * such an object is written in pages of S3_PAGE_MAX bytes.  This file knows the
 * object's content only; fetching it is the job engine's (s3job.c).
 *
 * An object encrypted with SSE-KMS is decrypted by S3 with the caller's
 * own kms:Decrypt permission on the key: without it S3 answers 403
 * AccessDenied, and only the message says that the key, not the object,
 * is refused ("User: ... is not authorized to perform: kms:Decrypt on
 * resource: arn:aws:kms:...", or "The ciphertext refers to a customer
 * master key that does not exist, ...").  s3obj_error says so in the
 * reason, with the key's ARN when S3 names it, since granting s3:GetObject
 * again would not help.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3src.h"
#include "xalloc.h"

/* One record into the spool: its length, its time, its bytes. */
static int
spool_add(FILE *sp, const char *p, uint64_t n, int64_t t)
{
	return fwrite(&n, sizeof(n), 1, sp) == 1 &&
	    fwrite(&t, sizeof(t), 1, sp) == 1 &&
	    fwrite(p, 1, (size_t)n, sp) == (size_t)n ? 0 : -1;
}

/* The records kept so far move to a new spool; 0, or -1 (no temporary
 * file: the object fails, and is retried). */
static int
spool_start(struct job *j)
{
	size_t i;
	int64_t t;

	if ((j->spool = tmpfile()) == NULL)
		return -1;
	for (i = 0; i < j->nrecs; i++) {
		const char *p = j->recs.data + j->offs[2 * i];
		size_t n = j->offs[2 * i + 1];

		memcpy(&t, p + n, sizeof(t));
		if (spool_add(j->spool, p, n, t) != 0)
			return -1;
	}
	ct_buf_free(&j->recs);
	ct_buf_init(&j->recs, 0);
	free(j->offs);
	j->offs = NULL;
	j->caprecs = 0;
	return 0;
}

static int
on_record(void *arg, const char *p, size_t n, int64_t t)
{
	struct job *j = arg;
	const struct fetch *f = j->f;

	if (t == INT64_MIN || t < f->start || t > f->end)
		return 0;
	if (j->spool == NULL && j->recs.len + n + sizeof(t) > S3_KEEP_MAX &&
	    spool_start(j) != 0)
		return -1;
	if (j->spool != NULL) {
		if (spool_add(j->spool, p, n, t) != 0)
			return -1;
		j->nrecs++;
		return 0;
	}
	/* a unit's files are alike in size: one allocation, not a doubling
	 * that copies the text again */
	if (j->recs.size == 0 && j->u != NULL && j->u->recs_hint > 0)
		(void)ct_buf_reserve(&j->recs, j->u->recs_hint +
		    j->u->recs_hint / 8);
	if (j->nrecs == j->caprecs) {
		j->caprecs = j->caprecs ? 2 * j->caprecs : 64;
		j->offs = xrealloc(j->offs, j->caprecs * 2 * sizeof(size_t));
	}
	j->offs[2 * j->nrecs] = j->recs.len;
	j->offs[2 * j->nrecs + 1] = n;
	/* a record's time is kept after it, for out_page */
	if (ct_buf_add(&j->recs, p, n) != 0 ||
	    ct_buf_add(&j->recs, &t, sizeof(t)) != 0)
		return -1;
	j->nrecs++;
	return 0;
}

/* The reader of a log file; with --verify it hashes the inflated text. */
static struct ct_ctlog *
new_log(struct job *j)
{
	struct ct_ctlog *l = ct_ctlog_new(on_record, j);

	if (j->u->vu != NULL)
		(void)ct_ctlog_hash_on(l);	/* a failure: no hash below */
	return l;
}

void
s3obj_feed(struct job *j, const char *p, size_t n)
{
	const char *why;

	if (j->log == NULL)
		j->log = new_log(j);
	/* a bad file is told by ct_ctlog_finish */
	(void)ct_ctlog_feed(j->log, p, n, &why);
}

/* The KMS key ARN in S3's message (arn:PARTITION:kms:...) into out, or
 * "" when it names none. */
static void
kms_arn(const char *m, char *out, size_t sz)
{
	const char *p, *q;
	size_t n;

	*out = '\0';
	for (p = strstr(m, "arn:aws"); p != NULL;
	    p = strstr(p + 1, "arn:aws")) {
		q = strchr(p + 4, ':');
		if (q == NULL || strncmp(q, ":kms:", 5) != 0)
			continue;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/_-.");
		if (n < sz) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
		return;
	}
}

void
s3obj_error(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct ct_aws_error k = *e;
	char arn[256];

	if (strncmp(e->code, "KMS.", 4) != 0 &&
	    (strcmp(e->code, "AccessDenied") != 0 ||
	    (strstr(e->message, "kms:") == NULL &&
	    strstr(e->message, "KMS") == NULL &&
	    strstr(e->message, "customer master key") == NULL)))
		return;
	kms_arn(e->message, arn, sizeof(arn));
	if (*arn != '\0')
		ct_awserr_set(e, k.cls, k.code, "s3://%.40s/%.200s: encrypted "
		    "with KMS key %s, which these credentials may not use "
		    "(kms:Decrypt)", s->bucket, j->key, arn);
	else
		ct_awserr_set(e, k.cls, k.code, "s3://%.40s/%.200s: encrypted "
		    "with a KMS key these credentials may not use: %s",
		    s->bucket, j->key, k.message);
	e->http_status = k.http_status;
}

/*
 * Records in a batch's layout (each followed by its int64 time; record i
 * at recs + offs[2i], offs[2i + 1] bytes) written as one page of u: 0
 * written, 1 not (u failed), -1 the write failed (the run stops).
 */
static int
write_recs(struct fetch *f, struct unit *u, const char *recs,
    const size_t *offs, size_t n)
{
	struct ct_lookup_page pg;
	struct ct_lookup_event *ev;
	size_t i;
	int rc;

	if (u->failed)
		return 1;
	ev = xcalloc(n + 1, sizeof(*ev));
	for (i = 0; i < n; i++) {
		int64_t t;

		ev[i].record = recs + offs[2 * i];
		ev[i].record_len = offs[2 * i + 1];
		memcpy(&t, ev[i].record + ev[i].record_len, sizeof(t));
		ev[i].event_time = (double)t;
		ev[i].event_id = "";
	}
	ct_lookup_page_init(&pg);
	pg.events = ev;
	pg.nevents = n;
	rc = out_page(f, u->r, &pg) == 0 ? 0 : -1;
	if (rc < 0 && !fetch_stop)
		fetch_stop = 1;
	pg.events = NULL;
	pg.nevents = 0;
	ct_lookup_page_free(&pg);
	free(ev);
	return rc;
}

/* The spooled records of j, written in pages of S3_PAGE_MAX bytes: 0,
 * or -1 (e: the temporary file could not be read back). */
static int
spool_write(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct ct_buf page;
	size_t *offs = NULL, nev = 0, cap = 0, left = j->nrecs;
	int rc = 0;

	ct_buf_init(&page, 0);
	if (fflush(j->spool) != 0 || fseek(j->spool, 0, SEEK_SET) != 0)
		left = 0, rc = -1;
	while (left > 0 && !fetch_stop) {
		uint64_t n = 0;
		int64_t t = 0;

		if (fread(&n, sizeof(n), 1, j->spool) != 1 ||
		    fread(&t, sizeof(t), 1, j->spool) != 1 ||
		    n > CT_CTLOG_MAX_RECORD ||
		    ct_buf_reserve(&page, (size_t)n + sizeof(t)) != 0 ||
		    fread(page.data + page.len, 1, (size_t)n,
		    j->spool) != (size_t)n) {
			rc = -1;
			break;
		}
		if (nev == cap) {
			cap = cap ? 2 * cap : 1024;
			offs = xrealloc(offs, cap * 2 * sizeof(*offs));
		}
		offs[2 * nev] = page.len;
		offs[2 * nev + 1] = (size_t)n;
		page.len += (size_t)n;
		memcpy(page.data + page.len, &t, sizeof(t));
		page.len += sizeof(t);
		nev++;
		left--;
		if (left == 0 || page.len >= S3_PAGE_MAX) {
			(void)write_recs(s->f, j->u, page.data, offs, nev);
			ct_buf_reset(&page);
			nev = 0;
		}
	}
	if (rc != 0)
		ct_awserr_set(e, CT_AWS_OTHER, "TemporaryFile",
		    "s3://%.40s: %.200s: its records could not be read back "
		    "from the temporary file", s->bucket, j->key);
	free(offs);
	ct_buf_free(&page);
	fclose(j->spool);
	j->spool = NULL;
	return rc;
}

int
s3obj_write(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct fetch *f = s->f;
	struct s3batch *b = &j->u->batch;
	const char *bad;
	size_t i, base;

	if (j->log == NULL)
		j->log = new_log(j);
	if (ct_ctlog_finish(j->log, &bad) != 0) {
		ct_awserr_set(e, CT_AWS_RETRYABLE, "InvalidLogFile",
		    "s3://%.40s: %.200s: %s", s->bucket, j->key, bad);
		return 1;
	}
	if (j->u->failed)
		return 0;
	if (j->u->vu != NULL) {
		unsigned char h[32];
		int drop;

		drop = s3v_log(j->u->vu, j->key,
		    ct_ctlog_hash(j->log, h) == 0 ? h : NULL, j->nrecs);
		if (drop < 0 && !fetch_stop)
			fetch_stop = 1;
		if (drop != 0)
			return 0;	/* modified: not written */
	}
	if (j->spool != NULL) {
		/* the batch first, then this object's pages */
		s3obj_flush(f, j->u);
		if (spool_write(s, j, e) != 0)
			return -1;
		if (!j->u->failed && !fetch_stop)
			s3done_written(j->u, j->day, j->seq);
		return 0;
	}
	if (b->nfiles == 0)
		b->t0 = fetch_now();
	j->u->recs_hint = j->recs.len;
	base = b->recs.len;
	if (base == 0) {
		/* the first file of a batch: its buffer becomes the batch's
		 * (both uncapped), no copy */
		struct ct_buf t = b->recs;

		b->recs = j->recs;
		j->recs = t;
	} else if (j->recs.len > 0 &&
	    ct_buf_add(&b->recs, j->recs.data, j->recs.len) != 0) {
		ct_awserr_set(e, CT_AWS_OTHER, "BatchTooLarge",
		    "s3://%.40s: %.200s: out of memory", s->bucket, j->key);
		return -1;
	}
	if (b->nrecs + j->nrecs > b->caprecs) {
		b->caprecs = 2 * (b->nrecs + j->nrecs) + 64;
		b->offs = xrealloc(b->offs, b->caprecs * 2 * sizeof(size_t));
	}
	for (i = 0; i < j->nrecs; i++) {
		b->offs[2 * b->nrecs] = base + j->offs[2 * i];
		b->offs[2 * b->nrecs + 1] = j->offs[2 * i + 1];
		b->nrecs++;
	}
	if (b->nfiles == b->capfiles) {
		b->capfiles = b->capfiles ? 2 * b->capfiles : 16;
		b->day = xrealloc(b->day, b->capfiles * sizeof(*b->day));
		b->seq = xrealloc(b->seq, b->capfiles * sizeof(*b->seq));
	}
	b->day[b->nfiles] = j->day;
	b->seq[b->nfiles++] = j->seq;
	/* without a checkpoint a page costs one write: no batch */
	if (f->ckpt_path == NULL || b->nfiles >= S3_BATCH_FILES ||
	    fetch_now() - b->t0 >= S3_BATCH_SECONDS)
		s3obj_flush(f, j->u);
	return 0;
}

void
s3obj_flush(struct fetch *f, struct unit *u)
{
	struct s3batch *b = &u->batch;
	size_t i;

	if (b->nfiles == 0)
		return;
	/* the checkpoint saved with the page counts the batch's files as
	 * written (s3done_fill); they are, once the page is out */
	if (write_recs(f, u, b->recs.data, b->offs, b->nrecs) == 0)
		for (i = 0; i < b->nfiles; i++)
			s3done_written(u, b->day[i], b->seq[i]);
	ct_buf_reset(&b->recs);
	b->nrecs = 0;
	b->nfiles = 0;
}

void
s3obj_batch_free(struct s3batch *b)
{
	ct_buf_free(&b->recs);
	free(b->offs);
	free(b->day);
	free(b->seq);
}
