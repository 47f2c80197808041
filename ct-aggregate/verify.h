/*
 * verify.h - ct-aggregate --verify (verify.c).
 */
#ifndef CT_AGG_VERIFY_H
#define CT_AGG_VERIFY_H

#include "fold.h"
#include "treeverify.h"

/* Verify the trees among argv (treeverify.h), signatures and public keys
 * from the user's files when sigpath and keypath are given, each bad
 * object named on stderr: 0, or CT_EXIT_FAILURE (said) when one of those
 * files cannot be read or parsed. */
int	agg_verify_trees(int argc, char **argv, const char *sigpath,
	    const char *keypath, struct ct_treeverify *tv);
/* tv's verdicts into the fold, as the integrity and verified control
 * records of a stream. */
void	agg_fold_verdicts(struct ct_fold *fold, const struct ct_treeverify *tv);

#endif
