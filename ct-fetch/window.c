/*
 * window.c - the times of --start and --end.
 *
 * What lib/timefmt.h's ct_time_parse accepts (ISO 8601 with or without a
 * zone, a date alone, epoch seconds; the same as ct-aggregate takes), plus
 * "@EPOCH".  Fractions of a second are dropped: LookupEvents takes whole
 * seconds.  Times before 1970 are refused.
 */
#include <string.h>

#include "fetch.h"
#include "timefmt.h"

int
fetch_parse_time(const char *s, int64_t *out)
{
	int64_t v;

	if (*s == '@')
		s++;
	if (*s == '\0' || ct_time_parse(s, strlen(s), &v) != 0 || v < 0)
		return -1;
	*out = v;
	return 0;
}
