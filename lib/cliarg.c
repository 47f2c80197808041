/*
 * cliarg.c - command-line values: see cliarg.h.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cliarg.h"
#include "timefmt.h"

/* s as it goes in a reason: at most 64 bytes, control bytes as '?'. */
static void
shown(const char *s, char out[72])
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n < 64; i++) {
		unsigned char ch = (unsigned char)s[i];

		out[n++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (s[i] != '\0') {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

int
ct_arg_time(const char *opt, const char *s, int64_t *out,
    char why[CT_ARG_WHY])
{
	const char *p = s[0] == '@' ? s + 1 : s;
	char v[72];
	int64_t t;

	if (*p != '\0' && ct_time_parse(p, strlen(p), &t) == 0) {
		if (t >= 0) {
			*out = t;
			return 0;
		}
		shown(s, v);
		snprintf(why, CT_ARG_WHY, "%s: \"%s\" is before 1970", opt, v);
		return -1;
	}
	shown(s, v);
	snprintf(why, CT_ARG_WHY, "%s: \"%s\" is not a time (%s)", opt, v,
	    CT_ARG_TIME_FORMS);
	return -1;
}

int
ct_arg_int(const char *opt, const char *s, long long lo, long long hi,
    long long *out, char why[CT_ARG_WHY])
{
	char *end, v[72];
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	/* strtoll skips leading blanks and takes '+': the whole string is a
	 * number only if it starts with a digit or '-'. */
	if ((s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && errno == 0 &&
	    end != s && *end == '\0' && n >= lo && n <= hi) {
		*out = n;
		return 0;
	}
	shown(s, v);
	snprintf(why, CT_ARG_WHY, "%s: \"%s\" is not a whole number from %lld "
	    "to %lld", opt, v, lo, hi);
	return -1;
}

int
ct_arg_num(const char *opt, const char *s, double lo, double hi,
    double *out, char why[CT_ARG_WHY])
{
	char *end, v[72];
	double d;

	errno = 0;
	d = strtod(s, &end);
	/* Decimal only: strtod would also take "inf", "nan" and hex. */
	if ((s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')) &&
	    strpbrk(s, "xXnN") == NULL && errno == 0 && end != s &&
	    *end == '\0' && isfinite(d) && d >= lo && d <= hi) {
		*out = d;
		return 0;
	}
	shown(s, v);
	snprintf(why, CT_ARG_WHY, "%s: \"%s\" is not a number from %g to %g",
	    opt, v, lo, hi);
	return -1;
}

int
ct_arg_hours(const char *opt, const char *s, int *out, char why[CT_ARG_WHY])
{
	char v[72];
	long long n;

	if (ct_arg_int(opt, s, 1, CT_ARG_HOURS_MAX, &n, why) == 0) {
		*out = (int)n;
		return 0;
	}
	shown(s, v);
	snprintf(why, CT_ARG_WHY, "%s: \"%s\" is not a whole number of hours "
	    "from 1 to %d", opt, v, CT_ARG_HOURS_MAX);
	return -1;
}

int
ct_arg_url(const char *opt, const char *s, char why[CT_ARG_WHY])
{
	char v[72];

	if (strncasecmp(s, "https://", 8) == 0 ||
	    strncasecmp(s, "http://", 7) == 0)
		return 0;
	shown(s, v);
	snprintf(why, CT_ARG_WHY, "%s: \"%s\" does not start with https:// or "
	    "http://", opt, v);
	return -1;
}
