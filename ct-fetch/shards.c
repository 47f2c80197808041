/*
 * shards.c - `ct-fetch --s3 ... --list-shards`: the S3 source's work cut
 * into pieces other machines can fetch.
 *
 * The S3 source has no per-account request quota to share (LookupEvents
 * has, which is why the LookupEvents source is not sharded), so an
 * account, region and stretch of days can be fetched anywhere, in any
 * number at once.  Each shard is printed as the arguments that fetch it
 * ("--account A --start T --end T REGION"), one line each, ready for
 * xargs or GNU parallel after the source options common to all.  The
 * window is cut by lib/shard.h: at UTC midnights, as the bucket files by
 * day, and shards meet second to second (s3src.c keeps the records with
 * start <= time <= end, times in whole seconds).
 */
#include <stdio.h>

#include "exitcodes.h"
#include "fetch.h"
#include "shard.h"
#include "timefmt.h"

int
shards_print(const struct fetch *f, char *const *accounts, size_t naccounts)
{
	char ts[21], te[21];
	int64_t a, b;
	size_t k, i;

	for (k = 0; k < naccounts; k++)
		for (i = 0; i < f->nregions; i++)
			for (a = f->start; ; a = b + 1) {
				b = ct_shard_last(f->start, f->end, a,
				    f->shard_days);
				if (ct_time_format_iso(a, ts) != 0 ||
				    ct_time_format_iso(b, te) != 0) {
					fprintf(stderr, PROG ": the window is "
					    "outside years 0-9999\n");
					return CT_EXIT_USAGE;
				}
				if (printf("--account %s --start %s --end %s "
				    "%s\n", accounts[k], ts, te,
				    f->regions[i].name) < 0)
					goto write_error;
				if (b == f->end)
					break;
			}
	if (fflush(stdout) == 0 && !ferror(stdout))
		return CT_EXIT_OK;
write_error:
	fprintf(stderr, PROG ": standard output: write error\n");
	return CT_EXIT_FAILURE;
}
