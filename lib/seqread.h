/*
 * seqread.h - reading an input from one place to its end, in order.
 *
 * Two layers.  A struct ct_readctx is what the scanner's callbacks
 * (ct_readctx_ops, scan.h) need to turn values into a fold: the fold, the
 * ct-fetch stream state, the message list, and a line cursor that finds
 * the line number of an offset by counting newlines forward from the last
 * one asked (messages are rare, so lines are counted only when one is
 * said).  The chunks scanned ahead (readunit.h) use it alone.
 *
 * A struct ct_seqread is the sequential reader: a window over the input
 * that grows until the value in it is whole (never past max_value), read
 * from a struct ct_input (from its start, or at an offset with pread) or
 * from a source of bytes (a stream's chunks, readstream.c).  It is what
 * reads small files whole, and what the engine falls back to where a
 * chunk's guess fails.  A value found cut short is scanned again on a
 * longer window, skipping the effects already delivered (scan.h), so
 * nothing counts twice; a long value costs linear time (the window doubles).
 */
#ifndef CT_SEQREAD_H
#define CT_SEQREAD_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fold.h"
#include "input.h"
#include "read.h"
#include "readmsg.h"
#include "scan.h"

/* Bytes read at a time. */
#define CT_READ_SIZE		((size_t)1 << 20)
/* Bytes of a mapped file read between two ct_input_release calls. */
#define CT_READ_RELEASE_STEP	((size_t)16 << 20)

struct ct_readctx {
	struct ct_fold	*fold;
	struct ct_fold_stream *st;
	struct ct_readmsg_list *msgs;
	const struct ct_read_opts *o;
	/* line of an offset: cursor into the current buffer */
	const char	*buf;
	size_t		 cur_off;
	uint64_t	 cur_line;
	int		 need_state;
	int		 strict_hit;
	/* a mapped file read whole: buf[0..rel_done) given back */
	struct ct_input	*rel_in;
	size_t		 rel_done;
	struct ct_buf	 err;
};

/* The scanner's callbacks; their argument is a struct ct_readctx. */
extern const struct ct_scan_ops ct_readctx_ops;

/* cx reads into f with stream state st, messages to mv (all borrowed);
 * at line 1 of buf (set cx->buf).  ct_buf_free(&cx->err) when done. */
void	ct_readctx_init(struct ct_readctx *cx, const struct ct_read_opts *o,
	    struct ct_fold *f, struct ct_fold_stream *st,
	    struct ct_readmsg_list *mv);
/* The line number of buffer offset off. */
uint64_t ct_readctx_line(struct ct_readctx *cx, size_t off);
/* A malformed value starting at buffer offset start, bad at off. */
void	ct_readctx_bad_value(struct ct_readctx *cx, size_t start, size_t off,
	    const char *reason);
/* A value longer than max_value, starting at start: counted and said. */
void	ct_readctx_too_long(struct ct_readctx *cx, size_t start);
/* The input ended: the ct-fetch streams still open in st were cut short;
 * they count as incomplete in f, and each gets a message in mv. */
void	ct_readctx_stream_end(struct ct_fold *f, struct ct_fold_stream *st,
	    struct ct_readmsg_list *mv);

/* Newlines in p[0..n). */
uint64_t ct_read_count_nl(const char *p, size_t n);
/* The start of the line after from in p[0..n) (where to read on after a
 * malformed value), or -1 if there is no line end there. */
ssize_t	ct_read_resync(const char *p, size_t from, size_t n);

struct ct_seqread {
	struct ct_readctx	 cx;
	struct ct_scanner *sc;
	int		 own_sc;
	struct ct_input	*in;
	int		 use_pread;
	off_t		 poff;		/* next pread offset */
	struct ct_buf	 win;
	const char	*data;		/* view: win.data or whole text */
	size_t		 len, pos;
	uint64_t	 base;		/* input offset of data[0] */
	uint64_t	 last_end;	/* input offset where the last value ended */
	int		 eof, discard, whole;
	size_t		 skip;
	const char	*whole_err;
	struct ct_buf	 err;
	int		 read_failed;	/* err holds why; reported at the end */
	/* instead of in: a source of bytes (streams read in chunks) */
	ssize_t		(*src)(void *, void *, size_t);
	void		*src_arg;
};

/*
 * Start reading in (borrowed; use_pread: at offset start) or, with in
 * NULL, q->src (set after this call), at line line; skip: effects of the
 * first value delivered already.  sc NULL: q makes its own scanner.
 */
void	ct_seqread_init(struct ct_seqread *q, const struct ct_read_opts *o,
	    struct ct_fold *f, struct ct_fold_stream *st,
	    struct ct_readmsg_list *mv, struct ct_scanner *sc,
	    struct ct_input *in, int use_pread, off_t start, size_t skip,
	    uint64_t line);
void	ct_seqread_free(struct ct_seqread *q);
/* Skip to the next value: 1 with *at its input offset, 0 at the end. */
int	ct_seqread_peek(struct ct_seqread *q, uint64_t *at);
/* Scan the value ct_seqread_peek found.  Returns 1 to stop (strict). */
int	ct_seqread_value(struct ct_seqread *q);
/* At the end: count and say the read error that ended the input early. */
void	ct_seqread_read_error(struct ct_seqread *q);
/*
 * Read input path whole, from its start, into f (opened through ic, may
 * be NULL); *files_read set to 1 once it opened.  Returns 1 if strict
 * stops the run.
 */
int	ct_seqread_whole(const struct ct_read_opts *o, const char *path,
	    struct ct_fold *f, struct ct_readmsg_list *mv,
	    struct ct_scanner *sc, struct ct_input_cache *ic, int *files_read);

#endif
