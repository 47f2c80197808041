/*
 * fuzz_cliarg.c - command-line values (lib/cliarg.h) and region names
 * (lib/endpoint.h), which scripts pass on from outside data.
 *
 * The input is one argument (cut at its first NUL).  Properties: a value
 * accepted is within its bounds (times not before 1970, hours 1 to
 * CT_ARG_HOURS_MAX); a reason is one line shorter than CT_ARG_WHY with no
 * control byte, whatever the value held; a name refused as an AWS region
 * is also refused as a known one, and a guess is a known region.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cliarg.h"
#include "endpoint.h"
#include "fuzz.h"

static void
check_why(const char *why)
{
	size_t i, n = strnlen(why, CT_ARG_WHY);

	FZ_CHECK(n < CT_ARG_WHY && n > 0);
	for (i = 0; i < n; i++)
		FZ_CHECK((unsigned char)why[i] >= 0x20 && why[i] != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), why[CT_ARG_WHY];
	const char *g;
	long long n;
	int64_t t;
	double d;
	int h;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ct_arg_time("--start", s, &t, why) == 0)
		FZ_CHECK(t >= 0);
	else
		check_why(why);
	if (ct_arg_int("--jobs", s, 1, 256, &n, why) == 0)
		FZ_CHECK(n >= 1 && n <= 256);
	else
		check_why(why);
	if (ct_arg_num("--rate", s, 0.01, 1000, &d, why) == 0)
		FZ_CHECK(isfinite(d) && d >= 0.01 && d <= 1000);
	else
		check_why(why);
	if (ct_arg_hours("--past-hours", s, &h, why) == 0)
		FZ_CHECK(h >= 1 && h <= CT_ARG_HOURS_MAX);
	else
		check_why(why);
	if (ct_endpoint_aws_region(s) != 0)
		FZ_CHECK(ct_endpoint_valid_region(s));
	if ((g = ct_endpoint_region_guess(s)) != NULL)
		FZ_CHECK(ct_endpoint_aws_region(g) == 2);
	free(s);
	return 0;
}
