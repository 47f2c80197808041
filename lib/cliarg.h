/*
 * cliarg.h - the values of command-line options: times, whole numbers,
 * decimals and hours, read the same way by every tool.
 *
 * One function per kind of value, so that every tool takes the same forms
 * within the same bounds and says the same thing about a bad value: each
 * checks the whole string and, on failure, writes a one-line reason of one
 * shape:
 *
 *     --start: "yesterday" is not a time (2026-11-14T19:00:00Z, ...)
 *     --jobs: "0" is not a whole number from 1 to 256
 *
 * which the tool prints after its name ("ct-aggregate: --start: ...").
 * Nothing here prints or exits.  The value is quoted as given, cut at 64
 * bytes, with control bytes shown as '?', so a hostile argument cannot
 * write escapes to the terminal.
 *
 * Times: every form lib/timefmt.h's ct_time_parse reads (ISO 8601 / RFC
 * 3339 with or without a zone, a date alone, the summary's compact
 * YYYYMMDDHHMMSS, epoch seconds) plus "@EPOCH" as date(1) writes it.
 * Times before 1970 are refused: no CloudTrail event is older, and
 * LookupEvents refuses them.
 *
 * Hours (--past-hours): whole hours from 1 to CT_ARG_HOURS_MAX, about 100
 * years.  The bound is shared because it is about the command line, not the
 * source: ct-aggregate reads archives in S3 or on disk that go back years,
 * and ct-fetch says (without refusing) that LookupEvents holds 90 days.
 */
#ifndef CT_CLIARG_H
#define CT_CLIARG_H

#include <stddef.h>
#include <stdint.h>

/* 100 years of 365.25 days. */
#define CT_ARG_HOURS_MAX	876600

/* Room enough for every reason written here. */
#define CT_ARG_WHY		256

/* The accepted time forms, as the reason lists them (for --help texts). */
#define CT_ARG_TIME_FORMS	"2026-11-14T19:00:00Z, 2026-11-14, " \
	"20261114190000, epoch seconds or @EPOCH"

/*
 * Each function reads the whole string s given to option opt (a name like
 * "--start", used only in the reason).  Returns 0 and sets *out, or -1
 * with *out untouched and a NUL-terminated reason in why[CT_ARG_WHY].
 */

/* A time (see above), as seconds since the epoch, fraction dropped. */
int	ct_arg_time(const char *opt, const char *s, int64_t *out,
	    char why[CT_ARG_WHY]);

/* A whole decimal number from lo to hi inclusive. */
int	ct_arg_int(const char *opt, const char *s, long long lo, long long hi,
	    long long *out, char why[CT_ARG_WHY]);

/* A finite decimal number ("0.5", "2", "1e3") from lo to hi inclusive. */
int	ct_arg_num(const char *opt, const char *s, double lo, double hi,
	    double *out, char why[CT_ARG_WHY]);

/* Whole hours from 1 to CT_ARG_HOURS_MAX. */
int	ct_arg_hours(const char *opt, const char *s, int *out,
	    char why[CT_ARG_WHY]);
/* An endpoint URL: it starts with https:// or http:// (any case). */
int	ct_arg_url(const char *opt, const char *s, char why[CT_ARG_WHY]);

#endif
