/*
 * hex.h - bytes as hexadecimal digits and back.
 *
 * SigV4 (hashes and signatures), the SSO cache's file names, CloudTrail
 * digests (SHA-256 values, RSA signatures) and JSON's \uXXXX escapes all
 * write or read hex; one definition serves them.  ct_hex_val is in line:
 * the JSON string decoder calls it per escaped digit.
 */
#ifndef CT_HEX_H
#define CT_HEX_H

#include <stddef.h>

/* The value of one hex digit (either case), or -1. */
static inline int
ct_hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* p[0..n) as 2n lowercase digits and a NUL into out. */
void	ct_hex_encode(const unsigned char *p, size_t n, char *out);
/* Exactly 2n digits hex[0..hexn) (either case) into out[0..n): 0, or -1
 * (another length, or not a digit). */
int	ct_hex_decode(const char *hex, size_t hexn, unsigned char *out,
	    size_t n);

#endif
