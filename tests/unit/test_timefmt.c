/* test_timefmt.c - parsing and formatting UTC times, no TZ dependence. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "timefmt.h"

static int64_t
p(const char *s, int *rc)
{
	int64_t t = -12345;

	*rc = ct_time_parse(s, strlen(s), &t);
	return t;
}

int
main(void)
{
	/* Expected epochs: date -u -d '2026-11-28T19:00:00Z' +%s etc. */
	static const struct {
		const char *in;
		int64_t want;
	} good[] = {
		{ "2026-11-28T19:00:00Z", 1795892400 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-11-28T19:00:00.123Z", 1795892400 },
		{ "2026-11-28T19:00:00,9Z", 1795892400 },
		{ "2026-11-28T20:00:00+01:00", 1795892400 },
		{ "2026-11-28T18:30:00-0030", 1795892400 },
		{ "2026-11-29T05:00:00+10", 1795892400 },
		{ "2022-02-08 09:23:37+11:00", 1644272617 },
		{ "2026-11-28t19:00Z", 1795892400 },
		{ "2026-11-28T19:00:00", 1795892400 },
		{ "2026-11-28", 1795824000 },
		{ "2024-02-29", 1709164800 },
		{ "2000-02-29T23:59:59Z", 951868799 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "1900-03-01", -2203891200 },
		{ "20261128190000", 1795892400 },
		{ "1795892400", 1795892400 },
		{ "1795892400.75", 1795892400 },
		{ "-1.5", -2 },
		{ "0", 0 },
		{ "9999-12-31T23:59:59Z", 253402300799 },
	};
	static const char *bad[] = {
		"", "2026-13-01", "2026-02-29", "2026-11-31", "2026-11-28T24:00:00Z",
		"2026-11-28T19:60:00Z", "2026-11-28T19:00:60Z", "2026-11-28T19",
		"2026-11-28T19:00:00+25:00", "2026-11-28T19:00:00+1", "abc",
		"2026-11-28X19:00:00Z", "12:00", "1.", ".5", "-", "1e9",
		"2026-11-28T19:00:00ZZ", "2026-11-28T19:00:00.Z", "2026-1-28",
		"2026-11-28T19:00:00 Z", "99999999999999999999999",
	};
	char c[15], iso[21];
	size_t i;
	int rc, wrong = 0;
	int64_t t;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		t = p(good[i].in, &rc);
		if (rc != 0 || t != good[i].want) {
			wrong++;
			printf("# %s -> rc %d, %lld (want %lld)\n", good[i].in, rc,
			    (long long)t, (long long)good[i].want);
		}
	}
	CHECK(wrong == 0, "%zu accepted forms parse to the right epoch", i);
	wrong = 0;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (p(bad[i], &rc), rc == 0) {
			wrong++;
			printf("# accepted: %s\n", bad[i]);
		}
	}
	CHECK(wrong == 0, "%zu malformed times rejected", i);

	CHECK(ct_time_parse_cloudtrail("2026-11-28T19:00:00Z", 20, &t) == 0 &&
	    t == 1795892400, "CloudTrail fast path");
	CHECK(ct_time_parse_cloudtrail("2026-11-28T19:00:00.1Z", 22, &t) == -1,
	    "fast path takes only the exact form");
	CHECK(ct_time_parse_cloudtrail("2026-02-30T19:00:00Z", 20, &t) == -1,
	    "fast path checks the date");

	/* The memo parser agrees with the plain one on a walk that stays on
	 * a day, changes day, crosses 1970 and meets bad times of a day it
	 * remembers (it must not take them on the strength of the date). */
	{
		static const char *walk[] = {
			"2026-11-28T19:00:00Z", "2026-11-28T00:00:00Z",
			"2026-11-28T23:59:59Z", "2026-11-28T24:00:00Z",
			"2026-11-28T23:60:00Z", "2026-11-28T23:00:60Z",
			"2026-11-28T2x:00:00Z", "2026-11-28 19:00:00Z",
			"2026-11-28T19:00:00z", "2026-11-28T19-00:00Z",
			"2026-11-29T00:00:01Z", "1969-12-31T23:59:59Z",
			"1969-12-31T00:00:00Z", "0000-03-01T12:00:00Z",
			"0000-03-01T12:00:01Z", "2026-02-30T01:00:00Z",
			"2026-02-30T02:00:00Z", "2026-11-28T19:00:00.5Z",
			"2026-11-28T19:00:00Z",
		};
		struct ct_time_memo memo;
		int64_t a, b;
		size_t k;
		int ra, rb;

		memset(&memo, 0, sizeof memo);
		wrong = 0;
		for (k = 0; k < sizeof walk / sizeof walk[0]; k++) {
			a = b = -7;
			ra = ct_time_parse_cloudtrail(walk[k], strlen(walk[k]),
			    &a);
			rb = ct_time_parse_cloudtrail_memo(&memo, walk[k],
			    strlen(walk[k]), &b);
			if (ra != rb || (ra == 0 && a != b)) {
				wrong++;
				printf("# memo differs on %s\n", walk[k]);
			}
		}
		CHECK(wrong == 0, "memo parser agrees with the plain one on "
		    "%zu times", k);
	}

	CHECK(ct_time_format_compact(1795892400, c) == 0 &&
	    strcmp(c, "20261128190000") == 0, "compact format");
	CHECK(ct_time_format_iso(1795892400, iso) == 0 &&
	    strcmp(iso, "2026-11-28T19:00:00Z") == 0, "ISO format");
	CHECK(ct_time_format_iso(-1, iso) == 0 &&
	    strcmp(iso, "1969-12-31T23:59:59Z") == 0, "before the epoch");
	CHECK(ct_time_format_compact(253402300800LL, c) == -1 && c[0] == '\0',
	    "year 10000 does not fit");
	/* Round trip over four centuries, day by day, at odd seconds. */
	wrong = 0;
	for (t = -2208988800LL; t < 4102444800LL; t += 86400 * 7 + 3601) {
		int64_t back;

		ct_time_format_iso(t, iso);
		if (ct_time_parse(iso, 20, &back) != 0 || back != t)
			wrong++;
	}
	CHECK(wrong == 0, "format then parse is the identity 1900-2100");
	/* ct_civil_from_days undoes ct_days_from_civil, before 1970 too. */
	wrong = 0;
	for (int64_t z = -800000; z < 800000; z += 37) {
		int64_t y;
		unsigned m, d;

		ct_civil_from_days(z, &y, &m, &d);
		if (m < 1 || m > 12 || d < 1 || d > 31 ||
		    ct_days_from_civil(y, m, d) != z)
			wrong++;
	}
	{
		int64_t y;
		unsigned m, d;

		ct_civil_from_days(20758, &y, &m, &d);	/* 2026-11-01 */
		CHECK(wrong == 0 && y == 2026 && m == 11 && d == 1,
		    "ct_civil_from_days is the inverse of ct_days_from_civil");
	}
	setenv("TZ", "Pacific/Kiritimati", 1);
	CHECK(p("2026-11-28T19:00:00", &rc) == 1795892400 && rc == 0,
	    "TZ does not matter");
	return check_done();
}
