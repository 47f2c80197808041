/*
 * verify.c - ct-aggregate --verify: the trees among the inputs checked
 * against their CloudTrail digests before they are read.
 *
 * The checking is the library's (treeverify.h over integrity.h); this file
 * is what ct-aggregate adds: the user's files of signatures and public
 * keys read, each bad object named once on stderr, and the verdicts handed
 * to the fold as the control records a ct-fetch --verify stream carries,
 * so that one path fills _metadata.integrity whichever tool verified.
 * main.c calls it; it calls only the library.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awserr.h"
#include "buf.h"
#include "digest.h"
#include "exitcodes.h"
#include "fold.h"
#include "input.h"
#include "integrity.h"
#include "strmap.h"
#include "treeverify.h"
#include "verify.h"

#define PROG	"ct-aggregate"

/* path made safe for a terminal: names in a tree are anyone's choice.
 * A static buffer. */
static const char *
show_name(const char *path)
{
	static char shown[4 * 4096];

	ct_awserr_clean(shown, sizeof(shown), path, strlen(path));
	return shown;
}

/* A bad object, named once on stderr. */
static void
say_bad(void *arg, const struct ct_integ_bad *b, uint64_t records)
{
	char why[512];

	ct_awserr_clean(why, sizeof(why), b->why, strlen(b->why));
	if (!b->is_digest && (b->verdict == CT_LOGV_MODIFIED ||
	    b->verdict == CT_LOGV_NOT_COVERED))
		fprintf(stderr, "%s: integrity: %s %s: %s (%s; %" PRIu64
		    " records %s)\n", PROG, "log file", show_name(b->object),
		    ct_logv_name(b->verdict), why, records,
		    b->verdict == CT_LOGV_MODIFIED ? "not counted" :
		    "counted, flagged");
	else
		fprintf(stderr, "%s: integrity: %s %s: %s (%s)\n", PROG,
		    b->is_digest ? "digest" : "log file",
		    show_name(b->object), b->is_digest ?
		    ct_digv_name(b->verdict) : ct_logv_name(b->verdict), why);
}

/*
 * Verify the trees among the inputs (treeverify.h), signatures from the
 * user's files when given.  0, or CT_EXIT_FAILURE (said) when a file of
 * signatures or keys cannot be read.
 */
int
agg_verify_trees(int argc, char **argv, const char *sigpath,
    const char *keypath, struct ct_treeverify *tv)
{
	struct ct_treeverify_opts vo;
	struct ct_pubkeys keys;
	struct ct_strmap *sigs = NULL;
	struct ct_buf b, why;
	int rc = CT_EXIT_FAILURE;

	memset(&vo, 0, sizeof(vo));
	ct_pubkeys_init(&keys);
	ct_buf_init(&b, (size_t)256 << 20);
	ct_buf_init(&why, 512);
	vo.mode = CT_SIG_NOT_CHECKED;
	if (sigpath != NULL) {
		sigs = ct_treesigs_new();
		if (ct_input_slurp(sigpath, &b, &why) != 0) {
			fprintf(stderr, "%s: %s: %s\n", PROG,
			    show_name(sigpath), why.data);
			goto out;
		}
		if (ct_treesigs_parse(b.data ? b.data : "", b.len, sigs,
		    &why) != 0) {
			fprintf(stderr, "%s: %s: %s\n", PROG,
			    show_name(sigpath), why.data);
			goto out;
		}
		ct_buf_reset(&b);
		if (ct_input_slurp(keypath, &b, &why) != 0) {
			fprintf(stderr, "%s: %s: %s\n", PROG,
			    show_name(keypath), why.data);
			goto out;
		}
		if (ct_pubkeys_parse(b.data ? b.data : "", b.len, &keys,
		    &why) != 0) {
			fprintf(stderr, "%s: %s: %s\n", PROG,
			    show_name(keypath), why.data);
			goto out;
		}
		vo.mode = CT_SIG_FROM_FILE;
		vo.keys = &keys;
		vo.sigs = sigs;
	}
	ct_treeverify_run(argc, argv, &vo, say_bad, NULL, tv);
	if (tv->digests == 0)
		fprintf(stderr, "%s: warning: --verify found no digest file "
		    "(AWSLogs/.../CloudTrail-Digest/): nothing verified\n",
		    PROG);
	rc = 0;
out:
	ct_strmap_free(sigs);
	ct_pubkeys_free(&keys);
	ct_buf_free(&b);
	ct_buf_free(&why);
	return rc;
}

/* The control records of tv into the fold, as if read from a stream. */
void
agg_fold_verdicts(struct ct_fold *fold, const struct ct_treeverify *tv)
{
	struct ct_fold_stream st;
	struct ct_buf err;
	const char *p = tv->control.data, *nl;

	if (p == NULL)
		return;
	ct_fold_stream_init(&st, 1);
	ct_buf_init(&err, 512);
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		(void)ct_fold_control(fold, &st, p, (size_t)(nl - p), &err);
	}
	ct_buf_free(&err);
	ct_fold_stream_free(&st);
}
