/*
 * shard.h - a time window cut into day-aligned pieces.
 *
 * The S3 source of ct-fetch reads a trail's bucket, which files log files
 * by UTC day, so a window is cut at UTC midnights, every N days counted
 * from the midnight that starts the window's first day: each piece then
 * covers whole day folders (but for the window's own ends).  Windows are
 * whole seconds with both ends inclusive, as everywhere in ct-tools, so a
 * piece ends one second before the next one starts: no second is in two
 * pieces and every second of the window is in one.
 */
#ifndef CT_SHARD_H
#define CT_SHARD_H

#include <stdint.h>

/* Longest piece, in days (100 years of 366). */
#define CT_SHARD_DAYS_MAX	36600

/*
 * The last second of the piece that starts at a, inside the window
 * [start, end] (start <= a <= end), pieces of days days (1 to
 * CT_SHARD_DAYS_MAX): the next cut minus one second, or end.  The next
 * piece starts one second after.  Times are seconds since the epoch, any
 * sign (days before 1970 are cut at their midnights too), and at most
 * 2^62 in size.
 */
int64_t	ct_shard_last(int64_t start, int64_t end, int64_t a, int days);

#endif
