/*
 * fuzz_ctlog.c - CloudTrail log files from S3: lib/ctlog.h.
 *
 * The bytes (after the option byte) are a gzip file from a (possibly
 * hostile) bucket.  They are fed whole and again in pieces of a size
 * chosen by the option byte.  Properties: records are handed out within
 * the cap, starting with '{' and ending with '}', each with the eventTime
 * a walk of the record alone finds (ref_time: the splitter finds it on
 * the way, across inflated pieces); a record flagged CT_CTLOG_CHECKED
 * is one ct-fetch's writer check accepts, and one flagged
 * CT_CTLOG_ONE_LINE holds no line break; the split of the bytes changes
 * neither the outcome nor the records nor the stray places counted.
 */
#include <string.h>

#include "buf.h"
#include "ctlog.h"
#include "fuzz.h"
#include "scan.h"
#include "timefmt.h"

struct acc {
	struct ct_buf	all;
	uint64_t	sum;
	uint64_t	stray;		/* ct_ctlog_stray at the end */
};

/* The top-level eventTime of record p[0..n) by a walk of its own: the
 * first string value of a key whose raw bytes are eventTime, parsed; or
 * INT64_MIN. */
static int64_t
ref_time(const char *p, size_t n)
{
	size_t i, s0 = 0;
	int depth = 0, in_str = 0, esc = 0, is_key = 0, want = 0;
	int64_t t;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				if (depth != 1)
					continue;
				if (want == 2)
					return ct_time_parse_cloudtrail(p + s0,
					    i - s0, &t) == 0 ? t : INT64_MIN;
				is_key = i - s0 == 9 &&
				    memcmp(p + s0, "eventTime", 9) == 0;
			}
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			s0 = i + 1;
			break;
		case '{': case '[':
			depth++;
			want = 0;
			break;
		case '}': case ']':
			depth--;
			break;
		case ':':
			if (depth == 1)
				want = is_key ? 2 : 0;
			break;
		case ',':
			if (depth == 1)
				want = is_key = 0;
			break;
		case ' ': case '\t': case '\n': case '\r':
			break;
		default:
			if (depth == 1)
				want = 0;
			break;
		}
	}
	return INT64_MIN;
}

static int
on_rec(void *arg, const char *p, size_t n, int64_t t, unsigned flags)
{
	struct acc *a = arg;
	const char *why;
	size_t i;

	FZ_CHECK(n >= 2 && n <= CT_CTLOG_MAX_RECORD && p[0] == '{' &&
	    p[n - 1] == '}');
	FZ_CHECK(t == ref_time(p, n));
	/* what the reader proves, the writer's check agrees with */
	if (flags & CT_CTLOG_CHECKED)
		FZ_CHECK(ct_scan_check_record(p, n, &why));
	if (flags & CT_CTLOG_ONE_LINE)
		for (i = 0; i < n; i++)
			FZ_CHECK(p[i] != '\n' && p[i] != '\r');
	FZ_CHECK(!(flags & CT_CTLOG_ONE_LINE) || (flags & CT_CTLOG_CHECKED));
	(void)ct_buf_add(&a->all, p, n < 64 ? n : 64);
	a->sum += (uint64_t)t + n;
	return 0;
}

static int
run(const uint8_t *d, size_t size, size_t step, struct acc *a)
{
	struct ct_ctlog *l = ct_ctlog_new(on_rec, a);
	const char *why = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < size && rc == 0; i += step)
		rc = ct_ctlog_feed(l, d + i, size - i < step ? size - i : step,
		    &why);
	if (rc == 0)
		rc = ct_ctlog_finish(l, &why);
	FZ_CHECK(rc == 0 || (why != NULL && why[0] != '\0'));
	a->stray = ct_ctlog_stray(l);
	ct_ctlog_free(l);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acc a, b;
	unsigned opt = fz_take(&data, &size);
	int ra, rb;

	ct_buf_init(&a.all, 1 << 20);
	ct_buf_init(&b.all, 1 << 20);
	a.sum = b.sum = 0;
	ra = run(data, size, size ? size : 1, &a);
	rb = run(data, size, (opt % 17) + 1, &b);
	FZ_CHECK(ra == rb);
	if (ra == 0)
		FZ_CHECK(a.sum == b.sum && a.stray == b.stray &&
		    a.all.len == b.all.len &&
		    (a.all.len == 0 || memcmp(a.all.data, b.all.data,
		    a.all.len) == 0));
	ct_buf_free(&a.all);
	ct_buf_free(&b.all);
	return 0;
}
