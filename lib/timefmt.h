/*
 * timefmt.h - UTC timestamps: parsing what users and CloudTrail write,
 * formatting what summaries hold.
 *
 * Times are int64 seconds since 1970-01-01T00:00:00Z.  Everything is
 * computed here from the calendar (days from civil date and back), with no
 * mktime, TZ or locale, so results never depend on the machine's time zone.
 * The fold calls ct_time_parse_cloudtrail once per record: it reads only
 * the exact eventTime form "YYYY-MM-DDTHH:MM:SSZ" and is a few dozen
 * instructions; ct_time_parse takes everything a user may type.
 */
#ifndef CT_TIMEFMT_H
#define CT_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse s[0..n) as one of:
 *   ISO 8601 / RFC 3339: "2026-11-28T19:00:00Z", with 'T', 't' or ' '
 *     between date and time, seconds optional, fractional seconds ('.' or
 *     ',', truncated), zone "Z", "+01:00", "+0100", "+01" or none (UTC);
 *     "2022-02-08 09:23:37+11:00" (plaso) is one of these;
 *   a date only: "2026-11-28" (midnight UTC);
 *   the summary's compact form: exactly 14 digits "YYYYMMDDHHMMSS" (UTC);
 *   epoch seconds: other digit strings, optionally with '-' and a fraction
 *     (truncated toward minus infinity).
 * Fields are range-checked (month 1-12, day within the month, hour 0-23,
 * minute and second 0-59; years 0000-9999).  Returns 0 and sets *epoch, or
 * -1 if s is none of these.
 */
int	ct_time_parse(const char *s, size_t n, int64_t *epoch);

/* The exact CloudTrail eventTime form "YYYY-MM-DDTHH:MM:SSZ" only (fast,
 * same range checks).  0 or -1. */
int	ct_time_parse_cloudtrail(const char *s, size_t n, int64_t *epoch);

/*
 * The same, remembering the date of the last call in *memo (zero it
 * first): records come in runs of one day, so most calls check and add
 * the time of day only.  Same result as ct_time_parse_cloudtrail.
 */
struct ct_time_memo {
	char	 ymd[10];	/* "YYYY-MM-DD" of day0; ymd[0] == 0: none */
	int64_t	 day0;		/* its midnight */
};
int	ct_time_parse_cloudtrail_memo(struct ct_time_memo *memo, const char *s,
	    size_t n, int64_t *epoch);

/* Write t as "YYYYMMDDHHMMSS" / "YYYY-MM-DDTHH:MM:SSZ" plus a NUL.  Returns
 * 0, or -1 (out is then the empty string) if t is outside years 0-9999. */
int	ct_time_format_compact(int64_t t, char out[15]);
int	ct_time_format_iso(int64_t t, char out[21]);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31). */
int64_t	ct_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Its inverse: the date of day z since 1970-01-01 (m 1-12, d 1-31). */
void	ct_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
