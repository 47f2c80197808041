/*
 * check.h - a tiny TAP producer for the unit tests.
 *
 * Each CHECK prints "ok N - what" or "not ok N - what" with the file and
 * line of a failure; check_done() prints the plan and returns the exit
 * status.  tests/run counts the lines.  Header-only so each test is one
 * file.
 */
#ifndef CT_CHECK_H
#define CT_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_n, check_failed;

#define CHECK(cond, ...) check_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_STR(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = g_ != NULL && w_ != NULL ? strcmp(g_, w_) == 0 : g_ == w_; \
	check_report(ok_, __FILE__, __LINE__, __VA_ARGS__);		\
	if (!ok_)							\
		printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)");				\
} while (0)

#define CHECK_MEM(got, gotn, want, wantn, ...) do {			\
	int ok_ = (gotn) == (wantn) && memcmp((got), (want), (gotn)) == 0; \
	check_report(ok_, __FILE__, __LINE__, __VA_ARGS__);		\
	if (!ok_)							\
		printf("#   got:  %.*s\n#   want: %.*s\n", (int)(gotn),	\
		    (const char *)(got), (int)(wantn), (const char *)(want)); \
} while (0)

static void __attribute__((format(printf, 4, 5)))
check_report(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	check_n++;
	if (!ok)
		check_failed++;
	printf("%sok %d - ", ok ? "" : "not ", check_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		printf("#   at %s:%d\n", file, line);
	fflush(stdout);
}

static int
check_done(void)
{
	printf("1..%d\n", check_n);
	return check_failed ? 1 : 0;
}

#endif
