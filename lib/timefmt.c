/* timefmt.c - see timefmt.h */
#include <stdint.h>
#include <string.h>

#include "timefmt.h"

/*
 * The civil-date arithmetic counts in 400-year eras of 146097 days with
 * years starting on March 1, so the leap day is the last day of a year and
 * month lengths follow a linear formula (153 days per 5 months).
 */
int64_t
ct_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ct_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
mdays(int64_t y, unsigned m)
{
	static const unsigned char len[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* n digits at p as a number, or -1. */
static int
digits(const char *p, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int
make(int y, int mo, int d, int h, int mi, int s, int64_t *epoch)
{
	if (y < 0 || mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > mdays(y, (unsigned)mo) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 59)
		return -1;
	*epoch = ct_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s;
	return 0;
}

int
ct_time_parse_cloudtrail(const char *s, size_t n, int64_t *epoch)
{
	if (n != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	return make(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2),
	    digits(s + 11, 2), digits(s + 14, 2), digits(s + 17, 2), epoch);
}

int
ct_time_parse_cloudtrail_memo(struct ct_time_memo *memo, const char *s,
    size_t n, int64_t *epoch)
{
	int h, mi, sec;

	if (n != 20 || memo->ymd[0] == '\0' || memcmp(s, memo->ymd, 10) != 0) {
		if (ct_time_parse_cloudtrail(s, n, epoch) != 0)
			return -1;
		memcpy(memo->ymd, s, 10);
		memo->day0 = *epoch - ((*epoch % 86400) + 86400) % 86400;
		return 0;
	}
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	*epoch = memo->day0 + h * 3600 + mi * 60 + sec;
	return 0;
}

static int
parse_epoch(const char *s, size_t n, int64_t *epoch)
{
	size_t i = 0;
	int neg = 0, frac = 0;
	int64_t v = 0;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i == n)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10 / 1000)	/* sane: < 2^53 */
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		if (i == 0 || (neg && i == 1) || i + 1 == n)
			return -1;
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (s[i] != '0')
				frac = 1;
	}
	if (i != n || (neg && n == 1) || s[neg] < '0' || s[neg] > '9')
		return -1;
	*epoch = neg ? -v - frac : v;
	return 0;
}

int
ct_time_parse(const char *s, size_t n, int64_t *epoch)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, zh, zm, sign;
	size_t i;
	int64_t t;

	if (ct_time_parse_cloudtrail(s, n, epoch) == 0)
		return 0;
	if (n == 14 && digits(s, 7) >= 0 && digits(s + 7, 7) >= 0)
		return make(digits(s, 4), digits(s + 4, 2), digits(s + 6, 2),
		    digits(s + 8, 2), digits(s + 10, 2), digits(s + 12, 2),
		    epoch);
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return parse_epoch(s, n, epoch);
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	i = 10;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return -1;
		if (n < i + 6 || s[i + 3] != ':')
			return -1;
		h = digits(s + i + 1, 2);
		mi = digits(s + i + 4, 2);
		i += 6;
		if (i < n && s[i] == ':') {
			if (n < i + 3 || (sec = digits(s + i + 1, 2)) < 0)
				return -1;
			i += 3;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				if (++i == n || s[i] < '0' || s[i] > '9')
					return -1;
				while (i < n && s[i] >= '0' && s[i] <= '9')
					i++;
			}
		}
		if (h < 0 || mi < 0)
			return -1;
	}
	if (make(y, mo, d, h, mi, sec, &t) < 0)
		return -1;
	if (i < n) {
		if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
			*epoch = t;
			return 0;
		}
		if (s[i] != '+' && s[i] != '-')
			return -1;
		sign = s[i] == '-' ? -1 : 1;
		i++;
		zm = 0;
		if (n - i == 2)
			zh = digits(s + i, 2);
		else if (n - i == 4) {
			zh = digits(s + i, 2);
			zm = digits(s + i + 2, 2);
		} else if (n - i == 5 && s[i + 2] == ':') {
			zh = digits(s + i, 2);
			zm = digits(s + i + 3, 2);
		} else
			return -1;
		if (zh < 0 || zh > 23 || zm < 0 || zm > 59)
			return -1;
		t -= sign * (zh * 3600 + zm * 60);
	}
	*epoch = t;
	return 0;
}

static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

int
ct_time_format_compact(int64_t t, char out[15])
{
	int64_t y, days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	unsigned m, d;

	ct_civil_from_days(days, &y, &m, &d);
	out[0] = '\0';
	if (y < 0 || y > 9999)
		return -1;
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	put2(out + 4, m);
	put2(out + 6, d);
	put2(out + 8, (unsigned)(rem / 3600));
	put2(out + 10, (unsigned)(rem / 60 % 60));
	put2(out + 12, (unsigned)(rem % 60));
	out[14] = '\0';
	return 0;
}

int
ct_time_format_iso(int64_t t, char out[21])
{
	char c[15];

	out[0] = '\0';
	if (ct_time_format_compact(t, c) < 0)
		return -1;
	memcpy(out, c, 4);
	out[4] = '-';
	memcpy(out + 5, c + 4, 2);
	out[7] = '-';
	memcpy(out + 8, c + 6, 2);
	out[10] = 'T';
	memcpy(out + 11, c + 8, 2);
	out[13] = ':';
	memcpy(out + 14, c + 10, 2);
	out[16] = ':';
	memcpy(out + 17, c + 12, 2);
	out[19] = 'Z';
	out[20] = '\0';
	return 0;
}
