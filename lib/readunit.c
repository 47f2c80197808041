/*
 * readunit.c - a unit of work and the scan of a chunk (readunit.h).
 */
#include <stdlib.h>
#include <string.h>

#include "readunit.h"
#include "seqread.h"

void
ct_readunit_scan(const struct ct_read_opts *o, struct ct_scanner *sc,
    struct ct_readunit *u, const char *buf, size_t len, int first, int last)
{
	struct ct_fold_stream st;
	struct ct_readctx cx;
	size_t pos = 0, next;
	ssize_t r;
	int rc;

	ct_fold_init(&u->fold, &o->fold);
	u->has_fold = 1;
	ct_fold_stream_init(&st, first);
	ct_readctx_init(&cx, o, &u->fold, &st, &u->msgs);
	cx.buf = buf;
	ct_scan_set_arg(sc, &cx);
	for (;;) {
		size_t lim, vs;

		while (pos < len && (buf[pos] == ' ' || buf[pos] == '\n' ||
		    buf[pos] == '\r' || buf[pos] == '\t'))
			pos++;
		lim = len - pos > o->max_value ? pos + o->max_value : len;
		rc = ct_scan_value(sc, buf, lim, pos, last && lim == len, 0,
		    &next);
		if (rc == CT_SCAN_OK) {
			pos = next;
			continue;
		}
		if (rc == CT_SCAN_EMPTY)
			break;
		if ((rc == CT_SCAN_MORE && lim - next < o->max_value) ||
		    (rc == CT_SCAN_STOP && cx.need_state)) {
			u->need_seq = 1;
			u->stop_off = u->start + (off_t)next;
			u->stop_skip = ct_scan_effects(sc) -
			    (rc == CT_SCAN_STOP ? 1 : 0);
			u->stop_line = ct_readctx_line(&cx, next);
			break;
		}
		if (rc == CT_SCAN_STOP)	/* strict */
			break;
		vs = ct_scan_start(sc);
		if (rc == CT_SCAN_MORE)
			ct_readctx_too_long(&cx, vs);
		else
			ct_readctx_bad_value(&cx, vs, next, ct_scan_reason(sc));
		if (cx.strict_hit)
			break;
		if ((r = ct_read_resync(buf, vs, len)) < 0) {
			/* the bad part goes on past the chunk */
			u->need_seq = 1;
			u->stop_discard = 1;
			u->stop_off = u->start + (off_t)vs;
			u->stop_skip = 0;
			u->stop_line = ct_readctx_line(&cx, vs);
			break;
		}
		pos = (size_t)r;
	}
	u->strict_hit = cx.strict_hit;
	/* its newlines: counted by the caller for a stream; for a chunk of a
	 * file only when a line number past it is wanted (fstate_line), as a
	 * second pass over every chunk costs ~7% of a run */
	if (first)
		ct_fold_stream_copy(&u->st_end, &st);
	ct_fold_stream_free(&st);
	ct_buf_free(&cx.err);
}

void
ct_readunit_free(struct ct_readunit *u)
{
	if (u->has_fold)
		ct_fold_free(&u->fold);
	u->has_fold = 0;
	ct_readmsg_free(&u->msgs);
	ct_fold_stream_free(&u->st_end);
	free(u->path);
	u->path = NULL;
}
