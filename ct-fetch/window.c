/*
 * window.c - the times of --start and --end.
 *
 * Accepted: epoch seconds ("1700000000", "@1700000000"), or ISO 8601
 * "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS[.fff]" (a space
 * may replace the T), each with an optional zone "Z", "+HH:MM", "+HHMM" or
 * "+HH" (no zone: UTC, as CloudTrail's times are).  Fractions of a second
 * are dropped: LookupEvents takes whole seconds.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "fetch.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char **pp, int n, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
fetch_parse_time(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, zh = 0, zm = 0, sign = 0;
	int64_t v;

	if (*p == '@')
		p++;
	if (*p != '\0' && strspn(p, "0123456789") == strlen(p)) {
		if (strlen(p) > 12)
			return -1;
		for (v = 0; *p != '\0'; p++)
			v = v * 10 + (*p - '0');
		*out = v;
		return 0;
	}
	p = s;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &zh))
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &zm))
			return -1;
		if (zh > 23 || zm > 59)
			return -1;
	}
	if (*p != '\0')
		return -1;
	v = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	v -= sign * (zh * 3600 + zm * 60);
	if (v < 0)
		return -1;
	*out = v;
	return 0;
}
