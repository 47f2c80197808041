/*
 * read.h - the reading engine: inputs into one fold, on several threads.
 *
 * ct-aggregate's reading side, in the library so that the tool, the
 * fuzzers and the test programs run the same code.  The inputs become
 * units (readunit.h): a few small files read whole, a chunk of a large
 * plain file, or a stream (standard input, a pipe, a large gzip file,
 * readstream.h).  Worker threads read units ahead of their turn; the
 * calling thread commits them in input order (readpool.c), so results and
 * messages do not depend on the number of threads.  Where a chunk's guess
 * that it starts between two values fails, the calling thread reads on
 * sequentially (seqread.h): a wrong guess costs time, never correctness.
 *
 * Standard input is always a stream, whatever jobs and dedup say: with
 * one job, or with dedup (whose duplicates are found in one fold, in
 * input order), its chunks are read by the sequential reader alone; with
 * more, parse threads scan them ahead.  One path, so its messages and line
 * numbers are one.
 *
 * The engine never prints and never exits: each committed message goes to
 * the tool's callback (readmsg.h), in input order, and a failure to start
 * a thread is a status.
 */
#ifndef CT_READ_H
#define CT_READ_H

#include <stddef.h>

#include "fold.h"
#include "inputlist.h"
#include "readmsg.h"

/* Defaults for chunk and max_value (0 in the options). */
#define CT_READ_CHUNK		((size_t)8 << 20)
#define CT_READ_MAX_VALUE	((size_t)1 << 30)

struct ct_read_opts {
	struct ct_fold_opts fold;
	int		 strict;	/* stop at the first bad input */
	int		 jobs;		/* threads; < 1 is 1 */
	size_t		 chunk;		/* bytes per chunk of a large input */
	size_t		 max_value;	/* longest value looked at */
	ct_read_msg_fn	*msg;		/* committed messages; may be NULL */
	void		*msg_arg;
};

/* ct_read_run's answer. */
enum {
	CT_READ_OK = 0,		/* every input read (bad ones counted) */
	CT_READ_STOP = 1,	/* strict stopped at bad input */
	CT_READ_NOTHREAD = 2	/* a thread could not be started */
};

/*
 * Read every input of in, in order, into out (initialised by the caller
 * with o->fold); out's statistics count the bad, skipped and passed-over
 * inputs.  A directory that cannot be read is bad input like a file that
 * cannot.  Returns CT_READ_OK, CT_READ_STOP or CT_READ_NOTHREAD (out
 * holds what was read up to then).
 */
int	ct_read_run(const struct ct_read_opts *o, struct ct_inputlist *in,
	    struct ct_fold *out);

/* The messages of mv, for input name, to o's callback (ct_readmsg_deliver). */
void	ct_read_deliver(const struct ct_read_opts *o, const char *name,
	    const struct ct_readmsg_list *mv, uint64_t line_base);

#endif
