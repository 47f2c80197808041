/*
 * bytes.h - equality of short byte strings, in line.
 *
 * The scanner compares each record key with the names it wants, and the
 * summary compares each string with the one it saw last: short strings,
 * millions of times, where a call to memcmp costs more than the compare.
 * So: 8-byte words, the last one overlapping, no call.
 */
#ifndef CT_BYTES_H
#define CT_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* a[0..n) == b[0..n) */
static inline int
ct_bytes_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

#endif
