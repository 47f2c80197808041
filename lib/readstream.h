/*
 * readstream.h - an input that cannot be read at an offset, in chunks.
 *
 * Standard input, a pipe, a large gzip file: the calling thread reads the
 * stream (and inflates it) in chunks cut after a line end, and parse
 * threads scan the chunks ahead of their turn, as for the chunks of a
 * plain file (readunit.h).  Where a guess fails, the calling thread reads
 * on sequentially from the chunks it holds (and reads more from the stream
 * when it runs out) until it is between values at a chunk start again.
 * At most 2 * threads + 2 chunks (12 at most) are held at a time, except
 * while a sequential stretch reads through chunks (each is freed as soon
 * as it is copied).
 *
 * Without parse threads (one job, or dedup: one fold must see every record
 * in input order) the same code runs with the first chunk left to the
 * sequential reader, which then reads the rest of the stream straight into
 * its own window (no chunks, no copy: a copy of every byte cost ~17% of a
 * -j1 run), so a stream has one path and one set of messages and line
 * numbers whatever the number of threads.
 */
#ifndef CT_READSTREAM_H
#define CT_READSTREAM_H

#include <stdint.h>

#include "fold.h"
#include "read.h"

/*
 * Read the stream name ("-": standard input) into out, with o->jobs parse
 * threads (none if o->jobs is 1 or o->fold.dedup); messages to o's
 * callback as they are committed; *files_read counts it once open.
 * Returns 0, CT_READ_STOP (strict) or CT_READ_NOTHREAD.
 */
int	ct_readstream_run(const struct ct_read_opts *o, const char *name,
	    struct ct_fold *out, uint64_t *files_read);

#endif
