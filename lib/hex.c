/* hex.c - see hex.h */
#include "hex.h"

void
ct_hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
ct_hex_decode(const char *hex, size_t hexn, unsigned char *out, size_t n)
{
	size_t i;

	if (hexn != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		int a = ct_hex_val(hex[2 * i]), b = ct_hex_val(hex[2 * i + 1]);

		if (a < 0 || b < 0)
			return -1;
		out[i] = (unsigned char)(a << 4 | b);
	}
	return 0;
}
