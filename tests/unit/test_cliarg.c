/* test_cliarg.c - command-line values: forms, bounds and the reasons. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cliarg.h"

int
main(void)
{
	static const struct {
		const char *in;
		int64_t want;
	} times[] = {
		{ "2026-11-14T19:00:00Z", 1794682800 },
		{ "2026-11-14T20:00:00+01:00", 1794682800 },
		{ "2026-11-14 19:00", 1794682800 },
		{ "2026-11-14", 1794614400 },
		{ "20261114190000", 1794682800 },
		{ "1794682800", 1794682800 },
		{ "@1794682800", 1794682800 },
		{ "0", 0 },
	};
	static const char *nottimes[] = {
		"", "@", "yesterday", "2026-13-01", "2026-02-30T00:00:00Z",
		"@@1", "1794682800x", " 1794682800",
	};
	char why[CT_ARG_WHY], big[300];
	int64_t t;
	long long n;
	double d;
	int h;
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		t = -5;
		CHECK(ct_arg_time("--start", times[i].in, &t, why) == 0 &&
		    t == times[i].want, "time %s", times[i].in);
	}
	for (i = 0; i < sizeof(nottimes) / sizeof(nottimes[0]); i++) {
		t = -5;
		CHECK(ct_arg_time("--end", nottimes[i], &t, why) == -1 &&
		    t == -5, "not a time: \"%s\"", nottimes[i]);
	}
	ct_arg_time("--start", "yesterday", &t, why);
	CHECK_STR(why, "--start: \"yesterday\" is not a time "
	    "(2026-11-14T19:00:00Z, 2026-11-14, 20261114190000, epoch seconds "
	    "or @EPOCH)", "the reason for a bad time lists the forms");
	CHECK(ct_arg_time("--start", "1969-12-31T23:59:59Z", &t, why) == -1,
	    "before 1970: refused");
	CHECK_STR(why, "--start: \"1969-12-31T23:59:59Z\" is before 1970",
	    "before 1970: the reason");
	CHECK(ct_arg_time("--start", "-1", &t, why) == -1, "epoch -1: refused");

	/* The value is cut and control bytes do not reach the terminal. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[3] = '\033';
	CHECK(ct_arg_time("--start", big, &t, why) == -1 &&
	    strchr(why, '\033') == NULL && strlen(why) < 200 &&
	    strstr(why, "\"aaa?aaa") != NULL && strstr(why, "...\"") != NULL,
	    "a long value with an escape: cut, escape shown as ?: %s", why);

	CHECK(ct_arg_int("-j", "8", 1, 256, &n, why) == 0 && n == 8, "int 8");
	CHECK(ct_arg_int("-j", "-3", -5, 5, &n, why) == 0 && n == -3,
	    "int -3");
	CHECK(ct_arg_int("-j", "256", 1, 256, &n, why) == 0 && n == 256,
	    "int at the upper bound");
	n = 77;
	CHECK(ct_arg_int("-j", "257", 1, 256, &n, why) == -1 && n == 77,
	    "int above the bound");
	CHECK_STR(why, "-j: \"257\" is not a whole number from 1 to 256",
	    "the reason for a bad whole number");
	CHECK(ct_arg_int("-j", "0", 1, 256, &n, why) == -1, "int below");
	CHECK(ct_arg_int("-j", "", 1, 256, &n, why) == -1, "int empty");
	CHECK(ct_arg_int("-j", " 5", 1, 256, &n, why) == -1, "int blank");
	CHECK(ct_arg_int("-j", "+5", 1, 256, &n, why) == -1, "int plus");
	CHECK(ct_arg_int("-j", "5x", 1, 256, &n, why) == -1, "int trailing");
	CHECK(ct_arg_int("-j", "1.5", 1, 256, &n, why) == -1, "int fraction");
	CHECK(ct_arg_int("-j", "99999999999999999999", 1, 256, &n, why) == -1,
	    "int overflow");

	CHECK(ct_arg_num("--rate", "0.5", 0.01, 1000, &d, why) == 0 &&
	    d == 0.5, "num 0.5");
	CHECK(ct_arg_num("--rate", "1e3", 0.01, 1000, &d, why) == 0 &&
	    d == 1000, "num 1e3");
	CHECK(ct_arg_num("--rate", "0", 0.01, 1000, &d, why) == -1,
	    "num below");
	CHECK_STR(why, "--rate: \"0\" is not a number from 0.01 to 1000",
	    "the reason for a bad number");
	CHECK(ct_arg_num("--rate", "nan", 0, 1e9, &d, why) == -1, "num nan");
	CHECK(ct_arg_num("--rate", "inf", 0, 1e9, &d, why) == -1, "num inf");
	CHECK(ct_arg_num("--rate", "0x10", 0, 1e9, &d, why) == -1, "num hex");
	CHECK(ct_arg_num("--rate", "1e999", 0, 1e9, &d, why) == -1,
	    "num overflow");

	CHECK(ct_arg_hours("--past-hours", "1", &h, why) == 0 && h == 1,
	    "hours 1");
	CHECK(ct_arg_hours("--past-hours", "876600", &h, why) == 0 &&
	    h == 876600, "hours: 100 years");
	CHECK(ct_arg_hours("--past-hours", "876601", &h, why) == -1,
	    "hours: beyond 100 years");
	CHECK(ct_arg_hours("--past-hours", "-1", &h, why) == -1, "hours -1");
	CHECK_STR(why, "--past-hours: \"-1\" is not a whole number of hours "
	    "from 1 to 876600", "the reason for bad hours");
	CHECK(ct_arg_hours("--past-hours", "1.5", &h, why) == -1, "hours 1.5");
	CHECK(ct_arg_url("--endpoint-url", "http://127.0.0.1:9", why) == 0 &&
	    ct_arg_url("--endpoint-url", "HTTPS://x", why) == 0,
	    "url: http:// and https://, any case");
	CHECK(ct_arg_url("--endpoint-url", "127.0.0.1:9", why) == -1,
	    "url: no scheme");
	CHECK_STR(why, "--endpoint-url: \"127.0.0.1:9\" does not start with "
	    "https:// or http://", "the reason for a bad url");
	return check_done();
}
