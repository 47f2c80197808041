/*
 * emit.c - the appenders a record is written with, and the PRNG's seeding.
 *
 * Records are formatted straight into a ct_buf (lib/buf.h), a few bytes at
 * a time: numbers, random strings, UUIDs, JSON strings, timestamps.  The
 * appenders here reserve room once and write the digits or characters in
 * place, since a record has hundreds of fields and a call per byte would
 * dominate the generator's time.  The calendar is lib/timefmt.h's.
 *
 * put_js is not lib/jstr.h's ct_jstr_encode on purpose: CloudTrail writes
 * non-ASCII as raw UTF-8, and --bad plants invalid UTF-8 that must reach the
 * output as it is; ct_jstr_encode writes \uXXXX and replaces invalid bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "sample.h"
#include "timefmt.h"

const char HEXL[17] = "0123456789abcdef";
const char UPALNUM[33] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const char ALNUM[63] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const char B64[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", PROG, msg);
	exit(CT_EXIT_FAILURE);
}

void
die_errno(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s %s: %s\n", PROG, what, path, strerror(errno));
	exit(CT_EXIT_FAILURE);
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

void
put_u(struct ct_buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char *q = put_room(b, (size_t)n);
	while (n)
		*q++ = tmp[--n];
	b->len = (size_t)(q - b->data);
	*q = '\0';
}

void
put_dw(struct ct_buf *b, unsigned v, int w)
{
	char *q = put_room(b, (size_t)w);

	for (int i = w - 1; i >= 0; i--) {
		q[i] = (char)('0' + v % 10);
		v /= 10;
	}
	b->len += (size_t)w;
	q[w] = '\0';
}

void
put_rand(struct ct_buf *b, struct rng *r, const char *set, int n)
{
	uint32_t m = (uint32_t)strlen(set);
	char *q;

	if (n <= 0)
		return;
	q = put_room(b, (size_t)n);
	for (int i = 0; i < n; i++)
		q[i] = set[rng_below(r, m)];
	b->len += (size_t)n;
	q[n] = '\0';
}

void
put_hex(struct ct_buf *b, struct rng *r, int n)
{
	put_rand(b, r, HEXL, n);
}

void
put_uuid(struct ct_buf *b, struct rng *r)
{
	uint64_t hi = rng_next(r), lo = rng_next(r);
	char u[36];
	int i, k = 0;

	hi = (hi & ~0xf000ULL) | 0x4000ULL;
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			u[i] = '-';
			continue;
		}
		uint64_t w = k < 16 ? hi : lo;
		int sh = 60 - 4 * (k % 16);
		u[i] = HEXL[(w >> sh) & 15];
		k++;
	}
	put_n(b, u, 36);
}

void
put_js(struct ct_buf *b, const char *s)
{
	static const char *esc[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004",
		"\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n",
		"\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010",
		"\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015",
		"\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a",
		"\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *q = put_room(b, 6 * n + 2);	/* \u00XX is the longest */

	*q++ = '"';
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			*q++ = '\\';
			*q++ = (char)*p;
		} else if (*p < 0x20) {
			size_t k = strlen(esc[*p]);
			memcpy(q, esc[*p], k);
			q += k;
		} else
			*q++ = (char)*p;
	}
	*q++ = '"';
	b->len = (size_t)(q - b->data);
	*q = '\0';
}

void
put_js_body(struct ct_buf *b, const char *s, size_t n)
{
	char *q = put_room(b, 6 * n);	/* \u0000 is the longest */

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			*q++ = '\\';
			*q++ = (char)c;
		} else if (c == '\n') {
			*q++ = '\\';
			*q++ = 'n';
		} else if (c == '\t') {
			*q++ = '\\';
			*q++ = 't';
		} else if (c < 0x20) {
			memcpy(q, "\\u0000", 6);
			q += 6;
		} else
			*q++ = (char)c;
	}
	b->len = (size_t)(q - b->data);
	*q = '\0';
}

void
civil(int64_t t, struct tm6 *c)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400;
	int64_t sod = t - z * 86400, y;
	unsigned m, d;

	c->h = (int)(sod / 3600);
	c->mi = (int)(sod / 60 % 60);
	c->s = (int)(sod % 60);
	ct_civil_from_days(z, &y, &m, &d);
	c->y = (int)y;
	c->mo = (int)m;
	c->d = (int)d;
}

void
put_iso(struct ct_buf *b, int64_t t)
{
	char s[21];

	(void)ct_time_format_iso(t, s);	/* years 0-9999; "" outside */
	put(b, s);
}

void
put_qiso(struct ct_buf *b, int64_t t)
{
	put_c(b, '"');
	put_iso(b, t);
	put_c(b, '"');
}
