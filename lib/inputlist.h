/*
 * inputlist.h - the inputs of a reading run, listed as they are needed.
 *
 * The paths given ("-" is standard input; none given means "-") and the
 * files wanted under the directories given (*.json, *.jsonl, *.ndjson,
 * each also with .gz), walked in sorted order.  An iterator rather than a
 * list made up front, so that the reading engine (read.h) reads the first
 * files while the walk goes on; entries that are no input are handed out
 * too, at their place, so that what is said about them comes in order.
 */
#ifndef CT_INPUTLIST_H
#define CT_INPUTLIST_H

struct ct_inputlist;

/* The list of argv[0..argc) (borrowed until ct_inputlist_free). */
struct ct_inputlist *ct_inputlist_new(int argc, char **argv);
/*
 * The next input, *path kept by in until ct_inputlist_free:
 *   CT_INPUTLIST_FILE: a file to read (*err NULL);
 *   CT_INPUTLIST_BAD: a folder that cannot be read or a link to nothing:
 *     bad input (counted in values_malformed), *err says why;
 *   CT_INPUTLIST_SKIP: an entry passed over (counted in inputs_skipped),
 *     *err says what it is;
 * *err valid until the next call.  0 when there are no more.
 */
enum { CT_INPUTLIST_FILE = 1, CT_INPUTLIST_BAD, CT_INPUTLIST_SKIP };
int	ct_inputlist_next(struct ct_inputlist *in, const char **path,
	    const char **err);
/* Walk the CloudTrail-Digest folders too (passed over by default: a
 * digest holds no records).  Before the first ct_inputlist_next. */
void	ct_inputlist_walk_digests(struct ct_inputlist *in);
/* Inputs whose path is a key of paths (borrowed, to outlive in) are left
 * out, silently: the modified log files of ct-aggregate --verify, named
 * and counted by the integrity check instead. */
struct ct_strmap;
void	ct_inputlist_exclude(struct ct_inputlist *in,
	    const struct ct_strmap *paths);
/* NULL: nothing. */
void	ct_inputlist_free(struct ct_inputlist *in);

#endif
