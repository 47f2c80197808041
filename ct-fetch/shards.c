/*
 * shards.c - `ct-fetch --s3 ... --list-shards`: cut the S3 source's work
 * into pieces other machines can fetch.
 *
 * The S3 source has no per-account request quota to share (LookupEvents
 * has, which is why the LookupEvents source is not sharded), so an
 * account, region and stretch of days can be fetched anywhere, in any
 * number at once.  Each shard is printed as the arguments that fetch it
 * ("--account A --start T --end T REGION"), one line each, ready for
 * xargs or GNU parallel after the source options common to all.
 *
 * The window's ends are inclusive and a record's time is a whole second
 * (s3src.c keeps start <= t <= end), so a shard ends one second before
 * the next one starts: no second is in two shards and every second of
 * the window is in one.  Cuts fall on UTC midnights, every N days from
 * the start's day, because the bucket files by UTC day: a shard then
 * lists its own day folders and the one after (the delivery slack).
 */
#include <stdio.h>

#include "exitcodes.h"
#include "fetch.h"
#include "timefmt.h"

#define DAY	86400

int
shards_print(const struct fetch *f, char *const *accounts, size_t naccounts)
{
	int64_t span = (int64_t)f->shard_days * DAY, first, a, b;
	char ts[21], te[21];
	size_t k, i;

	/* the start's UTC midnight (floor, for times before 1970 too) */
	first = f->start - ((f->start % DAY) + DAY) % DAY;
	for (k = 0; k < naccounts; k++)
		for (i = 0; i < f->nregions; i++)
			for (a = f->start; a <= f->end; a = b + 1) {
				b = first + ((a - first) / span + 1) * span - 1;
				if (b > f->end)
					b = f->end;
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
