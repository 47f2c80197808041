/*
 * s3obj.c - one CloudTrail log object read from S3.
 *
 * A log object is inflated and split as it arrives (lib/ctlog.h), its
 * in-window records kept in the job, and written as one page once the
 * object was received and read to its end: a retried object never writes
 * a record twice, and each object is written once.  The records kept are
 * where most of the CPU after inflating would go, so they are kept three
 * ways:
 *   direct  a file inflated whole, without --checkpoint: where each
 *           record lies in the file's text, which is then written in
 *           place, the ',' after a record turned into its newline;
 *   lines   otherwise: copied as lines into the job's buffer (and with
 *           --checkpoint, several objects' into one batch);
 *   spool   past S3_KEEP_MAX bytes of lines: a temporary file (s3src.h),
 *           written in pages of S3_PAGE_MAX bytes.
 * This file knows the object's content only; fetching it is the job
 * engine's (s3job.c).
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
#include <sys/uio.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "s3src.h"
#include "xalloc.h"

/* The lines kept so far move to a new spool; 0, or -1 (no temporary
 * file: the object fails, and is retried). */
static int
spool_start(struct job *j)
{
	if ((j->spool = tmpfile()) == NULL)
		return -1;
	if (j->recs.len > 1 && fwrite(j->recs.data + 1, 1, j->recs.len - 1,
	    j->spool) != j->recs.len - 1)
		return -1;
	ct_buf_free(&j->recs);
	ct_buf_init(&j->recs, 0);
	return 0;
}

/* A record not written: told when the object is (s3obj_write). */
static void
note_bad(struct job *j, const char *why)
{
	if (j->nbad % 16 == 0)
		j->bad = xrealloc(j->bad, (j->nbad + 16) * sizeof(*j->bad));
	j->bad[j->nbad].rec = j->seen;
	j->bad[j->nbad++].why = why;
}

/*
 * A record of the object: kept as a line if it is in the window.  Its
 * reader has checked nearly every record on the way (CT_CTLOG_CHECKED);
 * the others are checked here, with ct-aggregate's own scanner, since a
 * hostile or broken log file could otherwise put a second value on a
 * line or forge a {"ctFetch":...} record that ct-aggregate would believe.
 */
static int
on_record(void *arg, const char *p, size_t n, int64_t t, unsigned flags)
{
	struct job *j = arg;
	const struct fetch *f = j->f;
	struct ct_buf *b = &j->recs;
	const char *why;

	j->seen++;
	if (t == INT64_MIN || t < f->start || t > f->end)
		return 0;
	if (!(flags & CT_CTLOG_CHECKED) &&
	    !ct_scan_check(j->u->run->chk, p, n, &why)) {
		note_bad(j, why);
		return 0;
	}
	if (j->oldest == 0 || t < j->oldest)
		j->oldest = t;
	j->nrecs++;
	if ((flags & CT_CTLOG_WHOLE) && f->ckpt_path == NULL) {
		/* direct: written from the text in place */
		if (j->nlines == j->caplines) {
			j->caplines = j->caplines ? 2 * j->caplines : 256;
			j->lines = xrealloc(j->lines, j->caplines *
			    sizeof(*j->lines));
		}
		j->lines[j->nlines].p = p;
		j->lines[j->nlines].n = n;
		j->lines[j->nlines++].one_line = (flags & (CT_CTLOG_CHECKED |
		    CT_CTLOG_ONE_LINE)) == (CT_CTLOG_CHECKED |
		    CT_CTLOG_ONE_LINE);
		return 0;
	}
	if (j->spool == NULL && b->len + n + 1 > S3_KEEP_MAX &&
	    spool_start(j) != 0)
		return -1;
	if (j->spool != NULL) {
		size_t i;

		if (flags & CT_CTLOG_ONE_LINE) {
			if (fwrite(p, 1, n, j->spool) != n)
				return -1;
		} else	/* as out_add_line: CR and LF become spaces */
			for (i = 0; i < n; i++)
				if (putc(p[i] == '\n' || p[i] == '\r' ? ' ' :
				    p[i], j->spool) == EOF)
					return -1;
		return putc('\n', j->spool) == EOF ? -1 : 0;
	}
	/* a unit's files are alike in size: one allocation, not a doubling
	 * that copies the text again */
	if (b->size == 0 && j->u->run->npool > 0) {
		*b = j->u->run->pool[--j->u->run->npool];
		ct_buf_reset(b);
	}
	if (b->size == 0 && j->u->recs_hint > 0)
		(void)ct_buf_reserve(b, j->u->recs_hint + j->u->recs_hint / 8);
	if (b->len == 0)
		ct_buf_addc(b, '\n');	/* spare: out_lines */
	if (!(flags & CT_CTLOG_ONE_LINE))
		out_add_line(b, p, n);
	else if (ct_buf_add(b, p, n) != 0 || ct_buf_addc(b, '\n') != 0)
		return -1;
	return 0;
}

/* The reader of a log file; with --verify it hashes the inflated text. */
static struct ct_ctlog *
new_log(struct job *j)
{
	struct ct_ctlog *l = ct_ctlog_new(on_record, j);

	ct_ctlog_use_cache(l, j->u->run->logs);
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

void
s3obj_reset(struct job *j)
{
	ct_buf_reset(&j->recs);
	j->nrecs = j->seen = j->nbad = j->nlines = 0;
	j->oldest = 0;
	if (j->spool != NULL) {
		fclose(j->spool);
		j->spool = NULL;
	}
	ct_ctlog_free(j->log);
	j->log = NULL;
}

void
s3obj_free(struct job *j)
{
	struct s3run *s = j->u != NULL ? j->u->run : NULL;

	s3obj_reset(j);
	if (s != NULL && j->recs.data != NULL && s->npool < S3_POOL &&
	    j->recs.size <= S3_POOL_MAX) {
		s->pool[s->npool++] = j->recs;
		ct_buf_init(&j->recs, 0);
	}
	ct_buf_free(&j->recs);
	free(j->bad);
	j->bad = NULL;
	free(j->lines);
	j->lines = NULL;
	j->caplines = 0;
}

void
s3obj_pool_free(struct s3run *s)
{
	while (s->npool > 0)
		ct_buf_free(&s->pool[--s->npool]);
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

/* Lines (data[0] the spare '\n') written as one page of u: 0 written, 1
 * not (u failed), -1 the write failed (the run stops). */
static int
write_iov(struct fetch *f, struct unit *u, const struct iovec *iov,
    int niov, size_t n, int64_t oldest)
{
	if (u->failed)
		return 1;
	if (out_lines(f, u->r, iov, niov, n, oldest, NULL) == 0)
		return 0;
	if (!fetch_stop)
		fetch_stop = 1;
	return -1;
}

static int
write_lines(struct fetch *f, struct unit *u, const char *data, size_t len,
    size_t n, int64_t oldest)
{
	struct iovec v;

	v.iov_base = (void *)(uintptr_t)data;
	v.iov_len = len;
	return write_iov(f, u, &v, 1, n, oldest);
}

/*
 * The records of j written from its text in place (direct mode): each
 * separator after a record, the ',' between two, becomes the line's
 * '\n', so records next to each other are one piece of one writev(2),
 * without a copy.  A record followed by anything else (the next record's
 * '{' where a file lacks the ',') keeps that byte and gets a '\n' piece of
 * its own.  0 written, 1 not (the unit failed), -1 the write failed (the
 * run stops), -2 the reader kept no text.
 */
static int
write_direct(struct s3run *s, struct job *j)
{
	static char spare[] = "\n", nl[] = "\n";
	struct iovec *iov, *last;
	char *text, *p;
	size_t tn, i, k, n;
	int niov = 1, rc;

	if ((text = ct_ctlog_text(j->log, &tn)) == NULL)
		return -2;
	iov = xcalloc(2 * j->nlines + 1, sizeof(*iov));
	iov[0].iov_base = spare;
	iov[0].iov_len = 1;
	for (i = 0; i < j->nlines; i++) {
		/* the same bytes, reached through the text's own pointer */
		p = text + (j->lines[i].p - text);
		n = j->lines[i].n;
		if (!j->lines[i].one_line)
			for (k = 0; k < n; k++)
				if (p[k] == '\n' || p[k] == '\r')
					p[k] = ' ';
		last = &iov[niov - 1];
		if (niov > 1 && (char *)last->iov_base + last->iov_len == p)
			last->iov_len += n;
		else {
			iov[niov].iov_base = p;
			iov[niov++].iov_len = n;
		}
		switch (p[n]) {	/* after the record, inside the text */
		case ',': case ']': case ' ': case '\t': case '\n': case '\r':
			p[n] = '\n';
			iov[niov - 1].iov_len++;
			break;
		default:
			iov[niov].iov_base = nl;
			iov[niov++].iov_len = 1;
			break;
		}
	}
	rc = write_iov(s->f, j->u, iov, niov, j->nlines, j->oldest);
	free(iov);
	return rc;
}

/* The spooled lines of j, written in pages of about S3_PAGE_MAX bytes,
 * each ending at a line's end: 0, or -1 (e: the temporary file could not
 * be read back). */
static int
spool_write(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct ct_buf page;
	size_t left = j->nrecs, got, n, k;
	char *nl;
	int rc = 0;

	ct_buf_init(&page, 0);
	ct_buf_addc(&page, '\n');	/* spare: out_lines */
	if (fflush(j->spool) != 0 || fseek(j->spool, 0, SEEK_SET) != 0)
		left = 0, rc = -1;
	while (left > 0 && !fetch_stop) {
		if (ct_buf_reserve(&page, S3_PAGE_MAX) != 0) {
			rc = -1;
			break;
		}
		got = fread(page.data + page.len, 1, S3_PAGE_MAX, j->spool);
		page.len += got;
		/* whole lines: up to the last '\n' read */
		for (nl = NULL, k = page.len; k > 1; k--)
			if (page.data[k - 1] == '\n') {
				nl = page.data + k;
				break;
			}
		if (nl == NULL) {
			/* no line end yet: a line is below the cap, more
			 * must come */
			if (got == 0 || page.len > CT_CTLOG_MAX_RECORD + 2) {
				rc = -1;
				break;
			}
			continue;
		}
		k = (size_t)(nl - page.data);
		for (n = 0, nl = page.data + 1; (nl = memchr(nl, '\n',
		    (size_t)(page.data + k - nl))) != NULL; nl++)
			n++;
		if (n > left) {
			rc = -1;
			break;
		}
		left -= n;
		(void)write_lines(s->f, j->u, page.data, k, n,
		    left == 0 ? j->oldest : 0);
		/* the rest of a line read, after the spare */
		memmove(page.data + 1, page.data + k, page.len - k);
		page.len = 1 + page.len - k;
		if (got == 0 && left > 0) {
			rc = -1;
			break;
		}
	}
	if (rc != 0)
		ct_awserr_set(e, CT_AWS_OTHER, "TemporaryFile",
		    "s3://%.40s: %.200s: its records could not be read back "
		    "from the temporary file", s->bucket, j->key);
	ct_buf_free(&page);
	fclose(j->spool);
	j->spool = NULL;
	return rc;
}

/* The records of j not written, and what its Records array held besides
 * records, told once: the object is read whole. */
static void
tell_bad(struct s3run *s, struct job *j)
{
	uint64_t stray = ct_ctlog_stray(j->log);
	size_t i;

	for (i = 0; i < j->nbad; i++)
		msg(s->f, PROG ": %s: s3://%.40s/%.200s: record %zu: %s; "
		    "skipped", j->u->r->name, s->bucket, j->key,
		    j->bad[i].rec, j->bad[i].why);
	if (stray > 0)
		msg(s->f, PROG ": %s: s3://%.40s/%.200s: Records is not a "
		    "JSON array of records in %llu place%s (other values or "
		    "bytes, a ',' missing or in excess); skipped", j->u->r->name,
		    s->bucket, j->key, (unsigned long long)stray,
		    stray == 1 ? "" : "s");
	if (!ct_ctlog_has_records(j->log))
		msg(s->f, PROG ": %s: s3://%.40s/%.200s: no Records array, "
		    "so no records: not a CloudTrail log file", j->u->r->name,
		    s->bucket, j->key);
}

int
s3obj_write(struct s3run *s, struct job *j, struct ct_aws_error *e)
{
	struct fetch *f = s->f;
	struct s3batch *b = &j->u->batch;
	const char *bad;

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
	tell_bad(s, j);
	if (j->nlines > 0) {
		int rc = write_direct(s, j);

		if (rc == 0 && !fetch_stop)
			s3done_written(j->u, j->day, j->seq);
		if (rc == -2) {
			ct_awserr_set(e, CT_AWS_OTHER, "InvalidLogFile",
			    "s3://%.40s: %.200s: its text is gone", s->bucket,
			    j->key);
			return -1;
		}
		return 0;
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
	if (b->recs.len <= 1) {
		/* the first file of a batch: its buffer becomes the batch's
		 * (both uncapped), no copy */
		struct ct_buf t = b->recs;

		b->recs = j->recs;
		j->recs = t;
		ct_buf_reset(&j->recs);
	} else if (j->recs.len > 1 &&
	    ct_buf_add(&b->recs, j->recs.data + 1, j->recs.len - 1) != 0) {
		ct_awserr_set(e, CT_AWS_OTHER, "BatchTooLarge",
		    "s3://%.40s: %.200s: out of memory", s->bucket, j->key);
		return -1;
	}
	b->nrecs += j->nrecs;
	if (j->oldest != 0 && (b->oldest == 0 || j->oldest < b->oldest))
		b->oldest = j->oldest;
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
	if (write_lines(f, u, b->recs.data ? b->recs.data : "\n",
	    b->recs.len ? b->recs.len : 1, b->nrecs, b->oldest) == 0)
		for (i = 0; i < b->nfiles; i++)
			s3done_written(u, b->day[i], b->seq[i]);
	ct_buf_reset(&b->recs);
	b->nrecs = 0;
	b->oldest = 0;
	b->nfiles = 0;
}

void
s3obj_batch_free(struct s3batch *b)
{
	ct_buf_free(&b->recs);
	free(b->day);
	free(b->seq);
}
