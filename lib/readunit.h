/*
 * readunit.h - a unit of the reading engine's work, and the scan of a
 * chunk ahead of its turn.
 *
 * A unit is a few whole files (small files are grouped so that threads do
 * not spend their time handing over work), one chunk of a large plain
 * file (split at line ends) or of a stream, a stream itself (read by the
 * committing thread), or an entry of the input list that is no input (its
 * message kept for its turn).  Its results (a fold of its own for a
 * chunk, its messages, where a failed guess stopped) wait in the unit
 * until it is committed, in input order.
 *
 * A chunk is scanned speculatively, as if it started between two values,
 * into its own fold; where that cannot hold (a value runs past the chunk's
 * end, or a record needs the ct-fetch stream state from before the chunk)
 * the scan stops and says where, and the committing thread reads on from
 * there sequentially (seqread.h).
 */
#ifndef CT_READUNIT_H
#define CT_READUNIT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "fold.h"
#include "read.h"
#include "readmsg.h"
#include "scan.h"

struct ct_readunit {
	int		 is_chunk;
	int		 is_stream;	/* read by the main thread, in chunks */
	int		 bad_dir;	/* an entry not read (a folder that
					   cannot be, a FIFO...): its message
					   in msgs */
	int		 passed;	/* bad_dir counted in inputs_skipped,
					   not values_malformed */
	const char	**path;		/* the unit's files (borrowed names) */
	size_t		 nfiles;	/* whole units: several; else 1 */
	size_t		 k, nchunks;
	off_t		 start, end;	/* chunk byte range */
	off_t		 size;		/* file size (chunks) */
	/* results */
	int		 done;
	int		 has_fold;
	struct ct_fold	 fold;		/* chunks only */
	struct ct_readmsg_list	 msgs;
	int		 strict_hit;
	int		 files_read;
	int		 need_seq;	/* chunk: read on from stop_off */
	off_t		 stop_off;
	size_t		 stop_skip;
	int		 stop_discard;	/* ... skipping a bad value */
	uint64_t	 stop_line;	/* relative to the chunk */
	uint64_t	 nlines;	/* newlines in the chunk (streams only) */
	struct ct_fold_stream st_end;	/* chunk 0: state at its end */
};

/*
 * Scan buf[0..len), the chunk u of an input (u->start its offset there),
 * with sc, as if it began between two values (first: it begins the
 * input; last: nothing follows it).  Fills u's results.
 */
void	ct_readunit_scan(const struct ct_read_opts *o, struct ct_scanner *sc,
	    struct ct_readunit *u, const char *buf, size_t len, int first,
	    int last);
/* Free u's results and file list (u itself is the caller's). */
void	ct_readunit_free(struct ct_readunit *u);

#endif
