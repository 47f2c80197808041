/*
 * test_shard.c - lib/shard.h: a window cut at UTC midnights, every N days
 * from the start's day, pieces meeting second to second and covering the
 * window.
 */
#include <inttypes.h>
#include <stdio.h>

#include "check.h"
#include "shard.h"
#include "timefmt.h"

#define DAY	86400

static int64_t
t(const char *s)
{
	int64_t v = 0;

	ct_time_parse(s, strlen(s), &v);
	return v;
}

/* The pieces of [start, end] by days days, as "a..b a..b ..." (ISO). */
static const char *
cut(const char *start, const char *end, int days)
{
	static char out[1024];
	int64_t s = t(start), e = t(end), a, b;
	char x[21], y[21];
	size_t n = 0;

	out[0] = '\0';
	for (a = s; ; a = b + 1) {
		b = ct_shard_last(s, e, a, days);
		ct_time_format_iso(a, x);
		ct_time_format_iso(b, y);
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s..%s",
		    n ? " " : "", x, y);
		if (b >= e || n >= sizeof(out))
			break;
	}
	return out;
}

/* Every second of [s, e] in exactly one piece, pieces in order: walk
 * them and count. */
static int
tiles(int64_t s, int64_t e, int days)
{
	int64_t a = s, b, covered = 0;

	for (;;) {
		b = ct_shard_last(s, e, a, days);
		if (b < a || b > e)
			return 0;
		covered += b - a + 1;
		if (b == e)
			break;
		if ((b + 1) % DAY != 0 || b + 1 - a > (int64_t)days * DAY)
			return 0;	/* a cut off midnight, or too long */
		a = b + 1;
	}
	return covered == e - s + 1;
}

int
main(void)
{
	CHECK_STR(cut("2026-10-31T13:30:00Z", "2026-11-02T00:00:00Z", 1),
	    "2026-10-31T13:30:00Z..2026-10-31T23:59:59Z "
	    "2026-11-01T00:00:00Z..2026-11-01T23:59:59Z "
	    "2026-11-02T00:00:00Z..2026-11-02T00:00:00Z",
	    "a day a piece: the first from the start, the last to the end");
	CHECK_STR(cut("2026-10-31T13:30:00Z", "2026-11-02T00:00:00Z", 2),
	    "2026-10-31T13:30:00Z..2026-11-01T23:59:59Z "
	    "2026-11-02T00:00:00Z..2026-11-02T00:00:00Z",
	    "two days: counted from the start's midnight");
	CHECK_STR(cut("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", 1),
	    "2026-11-01T05:00:00Z..2026-11-01T06:00:00Z",
	    "inside one day: the window itself");
	CHECK_STR(cut("2026-11-01T00:00:00Z", "2026-11-01T23:59:59Z", 1),
	    "2026-11-01T00:00:00Z..2026-11-01T23:59:59Z",
	    "exactly one day: one piece");
	CHECK_STR(cut("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", 1),
	    "2026-11-01T00:00:00Z..2026-11-01T23:59:59Z "
	    "2026-11-02T00:00:00Z..2026-11-02T00:00:00Z",
	    "midnight to midnight: the last second is a piece of its own");
	CHECK_STR(cut("2026-11-05T12:00:00Z", "2026-11-05T12:00:00Z", 7),
	    "2026-11-05T12:00:00Z..2026-11-05T12:00:00Z",
	    "a one-second window: one piece");
	CHECK_STR(cut("1969-12-31T22:00:00Z", "1970-01-01T02:00:00Z", 1),
	    "1969-12-31T22:00:00Z..1969-12-31T23:59:59Z "
	    "1970-01-01T00:00:00Z..1970-01-01T02:00:00Z",
	    "before 1970: cut at midnight too");
	CHECK(ct_shard_last(0, 100 * (int64_t)DAY, 0, CT_SHARD_DAYS_MAX) ==
	    100 * (int64_t)DAY, "the longest pieces: the window in one");
	CHECK(tiles(t("2026-01-01T00:00:01Z"), t("2026-12-31T23:59:58Z"), 1),
	    "a year a day a piece: every second once");
	CHECK(tiles(t("2026-01-01T07:00:00Z"), t("2027-03-01T11:00:00Z"), 30),
	    "14 months, 30 days a piece: every second once");
	CHECK(tiles(t("2026-01-01T07:00:00Z"), t("2026-01-09T11:00:00Z"), 3),
	    "3 days a piece: every second once");
	return check_done();
}
