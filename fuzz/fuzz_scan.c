/*
 * fuzz_scan.c - ct-aggregate's record scanner and fold, in one process.
 *
 * The bytes are read as ct-aggregate reads a stream: ct_scan_value value
 * after value (eof set), every record and control record folded.  The
 * first option byte picks the fold options (--dedup, --activity-type, a
 * window).  Properties:
 *   - with eof set the scanner never answers "more";
 *   - scanning the first value in two steps (a buffer cut in the middle
 *     without eof, then the whole one skipping the effects already
 *     delivered) delivers the same records as one step, which is what
 *     ct-aggregate relies on when a value spans two reads;
 *   - the summary written from the fold reads back (ct_summary_read) and
 *     writes again byte for byte the same;
 *   - ct_scan_check_record (ct-fetch's check of a CloudTrailEvent) accepts
 *     the bytes exactly when a scan reads one object, followed by JSON
 *     whitespace only, that is not delivered as a control record (the
 *     checker walks a top-level object's members by the grammar alone,
 *     this scan as a record or envelope), and a checker kept over every
 *     input (ct_scan_check) gives its answers;
 *   - what ct_recwalk (ct-fetch's one walk over a log file's record)
 *     accepts, ct_scan_check_record accepts, ending where a walk counting
 *     brackets outside strings ends it; the walk reads nothing past the
 *     record's end, and its eventTime and one_line are the record's.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fold.h"
#include "recwalk.h"
#include "scan.h"
#include "summary.h"
#include "xalloc.h"
#include "fuzz.h"

struct fctx {
	struct ct_fold	*f;
	struct ct_fold_stream *st;
	size_t		 records, controls, other;
	struct ct_buf	 err;
};

static int
on_record(void *arg, const struct ct_record *r, size_t repaired, size_t off)
{
	struct fctx *c = arg;

	c->records++;
	if (c->f != NULL)
		(void)ct_fold_record(c->f, c->st, r, repaired);
	return 0;
}

static int
on_control(void *arg, const char *p, size_t n, size_t off)
{
	struct fctx *c = arg;

	c->controls++;
	if (c->f != NULL) {
		ct_buf_reset(&c->err);
		(void)ct_fold_control(c->f, c->st, p, n, &c->err);
	}
	return 0;
}

static int
on_other(void *arg, size_t off)
{
	struct fctx *c = arg;

	c->other++;
	return 0;
}

static int
on_skipped(void *arg, const char *reason, size_t off)
{
	FZ_CHECK(reason != NULL);
	return on_other(arg, off);
}

static const struct ct_scan_ops ops = {
	on_record, on_control, on_other, on_skipped, on_skipped
};

static char *
write_mem(const struct ct_summary *s, size_t *n)
{
	char *p = NULL;
	FILE *fp = open_memstream(&p, n);

	FZ_CHECK(fp != NULL);
	FZ_CHECK(ct_summary_write(s, fp) == 0);
	FZ_CHECK(fclose(fp) == 0);
	return p;
}

/* Two-step scan of the first value must deliver what one step does. */
static void
split_check(const char *p, size_t size)
{
	struct fctx one, two;
	struct ct_scanner *sc;
	size_t next1, next2, cut = size / 2, skip;
	int rc1, rc2;

	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	sc = ct_scan_new(&ops, &one);
	rc1 = ct_scan_value(sc, p, size, 0, 1, 0, &next1);
	ct_scan_set_arg(sc, &two);
	rc2 = ct_scan_value(sc, p, cut, 0, 0, 0, &next2);
	if (rc2 == CT_SCAN_MORE) {
		skip = ct_scan_effects(sc);
		rc2 = ct_scan_value(sc, p, size, 0, 1, skip, &next2);
		FZ_CHECK(rc2 == rc1);
		if (rc1 == CT_SCAN_OK) {
			FZ_CHECK(next1 == next2);
			FZ_CHECK(one.records == two.records);
			FZ_CHECK(one.controls == two.controls);
		}
	} else if (rc2 == CT_SCAN_OK) {
		FZ_CHECK(rc1 == CT_SCAN_OK && next1 == next2);
	} else if (rc2 == CT_SCAN_BAD) {
		/* malformed before the cut: malformed with the whole buffer */
		FZ_CHECK(rc1 == CT_SCAN_BAD);
	}
	ct_scan_free(sc);
}

/* Where the object at p[0] ends by its brackets outside strings (what
 * lib/ctlog.c's splitter finds), or 0. */
static size_t
bracket_end(const char *p, size_t n)
{
	size_t i, depth = 0;
	int in_str = 0, esc = 0;

	for (i = 0; i < n; i++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (p[i] == '\\')
				esc = 1;
			else if (p[i] == '"')
				in_str = 0;
		} else if (p[i] == '"')
			in_str = 1;
		else if (p[i] == '{' || p[i] == '[')
			depth++;
		else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
			return i + 1;
	}
	return 0;
}

/* ct_recwalk's yes is ct_scan_check_record's. */
static void
recwalk_check(const char *p, size_t size)
{
	struct ct_recwalk w, w2;
	struct ct_rectext t = { p, size, NULL }, t2;
	const char *q, *why;
	size_t n, i;
	int nl = 0;

	t.stops = xmalloc(CT_RECWALK_WORDS(size) * sizeof(*t.stops));
	ct_recwalk_index(&t);
	q = ct_recwalk(&t, p, &w);
	if (q == NULL) {
		free(t.stops);
		return;
	}
	n = (size_t)(q - p);
	/* the same bytes, the text cut right after the record */
	t2.base = p;
	t2.n = n;
	t2.stops = xmalloc(CT_RECWALK_WORDS(n) * sizeof(*t2.stops));
	ct_recwalk_index(&t2);
	FZ_CHECK(n >= 2 && n <= size && ct_scan_check_record(p, n, &why));
	FZ_CHECK(bracket_end(p, size) == n);
	FZ_CHECK(ct_recwalk(&t2, p, &w2) == q && w2.et == w.et &&
	    w2.et_len == w.et_len && w2.one_line == w.one_line);
	for (i = 0; i < n; i++)
		nl |= p[i] == '\n' || p[i] == '\r';
	FZ_CHECK(w.one_line == !nl);
	FZ_CHECK(w.et == NULL || (w.et > p && w.et + w.et_len < q &&
	    w.et[-1] == '"' && w.et[w.et_len] == '"'));
	free(t.stops);
	free(t2.stops);
}

/* ct_scan_check_record agrees with a scan of the same bytes. */
static void
record_check(const char *p, size_t size)
{
	struct fctx c;
	struct ct_scanner *sc;
	const char *why = NULL;
	size_t next;
	int rc, ok, want;

	memset(&c, 0, sizeof(c));
	sc = ct_scan_new(&ops, &c);
	rc = ct_scan_value(sc, p, size, 0, 1, 0, &next);
	want = rc == CT_SCAN_OK && p[ct_scan_start(sc)] == '{' &&
	    c.controls == 0;
	while (want && next < size && (p[next] == ' ' || p[next] == '\t' ||
	    p[next] == '\r' || p[next] == '\n'))
		next++;
	want = want && next == size;
	ct_scan_free(sc);
	ok = ct_scan_check_record(p, size, &why);
	FZ_CHECK(ok == want);
	FZ_CHECK(ok || why != NULL);
	/* a checker kept over many records (out_page) answers the same */
	{
		static struct ct_scanner *kept;
		const char *why2 = NULL;

		if (kept == NULL)
			kept = ct_scan_checker_new();
		FZ_CHECK(ct_scan_check(kept, p, size, &why2) == ok);
		FZ_CHECK(ok || (why2 != NULL && strcmp(why, why2) == 0));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_fold_opts o;
	struct ct_fold f;
	struct ct_fold_stream st;
	struct ct_scanner *sc;
	struct ct_summary *back;
	struct fctx c;
	struct ct_buf err;
	const char *p;
	char *w1, *w2;
	size_t pos = 0, next, n1, n2;
	unsigned opt = fz_take(&data, &size);
	int rc;

	p = (const char *)data;
	memset(&o, 0, sizeof(o));
	o.activity = (enum ct_activity)(opt % 3);
	o.dedup = (opt >> 2) & 1;
	if (opt & 8) {
		o.have_start = o.have_end = 1;
		o.start = 1600000000 + (int64_t)(opt >> 4) * 10000000;
		o.end = o.start + 100000000;
	}
	ct_fold_init(&f, &o);
	ct_fold_stream_init(&st, 1);
	memset(&c, 0, sizeof(c));
	c.f = &f;
	c.st = &st;
	ct_buf_init(&c.err, 4096);
	sc = ct_scan_new(&ops, &c);
	while (pos <= size) {
		rc = ct_scan_value(sc, p, size, pos, 1, 0, &next);
		FZ_CHECK(rc != CT_SCAN_MORE && rc != CT_SCAN_STOP);
		if (rc == CT_SCAN_EMPTY)
			break;
		FZ_CHECK(next <= size);
		if (rc == CT_SCAN_BAD) {
			FZ_CHECK(ct_scan_reason(sc) != NULL);
			f.sum->meta.values_malformed++;
			/* resynchronise as ct-aggregate does: next line */
			while (next < size && p[next] != '\n')
				next++;
			next++;
		} else
			FZ_CHECK(next > pos);
		pos = next;
	}
	ct_scan_free(sc);
	ct_fold_finish(&f, 1700000000);
	/* a summary read from a file counts as one merged summary */
	f.sum->meta.summaries_merged = 1;

	w1 = write_mem(f.sum, &n1);
	back = ct_summary_new();
	ct_buf_init(&err, 1024);
	if (ct_summary_read(back, w1, n1, &err) != 0) {
		fprintf(stderr, "summary does not read back: %s\n", err.data);
		FZ_CHECK(0);
	}
	w2 = write_mem(back, &n2);
	if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
		fprintf(stderr, "--- written\n%s\n--- read back and written\n%s\n",
		    w1, w2);
		FZ_CHECK(0);
	}
	free(w1);
	free(w2);
	ct_summary_free(back);
	ct_buf_free(&err);
	ct_buf_free(&c.err);
	ct_fold_stream_free(&st);
	ct_fold_free(&f);

	if (size > 0 && size < 65536)
		split_check(p, size);
	record_check(p, size);
	recwalk_check(p, size);
	return 0;
}
