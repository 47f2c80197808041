/*
 * aggregate.h - what main.c and drive.c of ct-aggregate share.
 *
 * main.c reads the command line, lists the inputs and writes the summary;
 * drive.c reads the inputs, on several threads, into one fold.
 */
#ifndef CT_AGGREGATE_H
#define CT_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "fold.h"

#define PROG	"ct-aggregate"

/* Messages shown in full per kind; the rest are counted. */
#define SHOW_MAX	10

struct agg_opts {
	struct ct_fold_opts fold;
	int		 strict;
	int		 quiet;
	int		 jobs;
	size_t		 chunk;		/* bytes per chunk of a large plain file */
	size_t		 max_value;	/* longest value buffered */
};

/*
 * The inputs, in order, listed as they are needed (inputs.c): the paths
 * given ("-" is standard input; none given means "-") and the files wanted
 * under the directories given, walked in sorted order.
 */
struct agg_inputs;

struct agg_inputs *agg_inputs_new(int argc, char **argv);
/*
 * The next input, *path kept by in until agg_inputs_free:
 *   AGG_IN_FILE: a file to read (*err NULL);
 *   AGG_IN_BAD: a folder that cannot be read or a link to nothing: bad
 *     input (counted in values_malformed), *err says why;
 *   AGG_IN_SKIP: an entry passed over (counted in inputs_skipped), *err
 *     says what it is;
 * *err valid until the next call.  0 when there are no more.
 */
enum { AGG_IN_FILE = 1, AGG_IN_BAD, AGG_IN_SKIP };
int	agg_inputs_next(struct agg_inputs *in, const char **path,
	    const char **err);
void	agg_inputs_free(struct agg_inputs *in);

/*
 * Read every input into out (initialised by the caller with o->fold).
 * Messages go to stderr as they are committed, in input order; a directory
 * that cannot be read is bad input like a file that cannot.  Returns 0
 * when everything was read cleanly, 3 (CT_EXIT_PARTIAL) when some input was
 * bad or skipped, 1 when --strict stopped at bad input.
 */
/* path as messages show it: "(standard input)" for "-", else made safe
 * for a terminal (ct_awserr_clean): names met walking a directory, S3
 * keys among them, are anyone's choice.  A static buffer: main thread. */
const char *agg_show_name(const char *path);

int	agg_run(const struct agg_opts *o, struct agg_inputs *in,
	    struct ct_fold *out);

#endif
