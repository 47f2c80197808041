/*
 * fuzz_fsname.c - file names made from hostile category names
 * (lib/fsname.h), which ct-plot creates inside its output folder.
 *
 * The input is a list of names separated by the byte 0xff (a NUL may be
 * part of a name).  Properties: every name made is one
 * plain path component (no '/', no NUL, not "." or "..", no leading
 * '.'), only [A-Za-z0-9_+=,.@-], at most CT_FSNAME_MAX bytes, ends with
 * the extension, and no two are equal ignoring ASCII case.
 */
#include <string.h>
#include <strings.h>

#include "fsname.h"
#include "fuzz.h"

#define MAXN	256

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_fsname *set = ct_fsname_new();
	char *made[MAXN];
	const uint8_t *p = data, *end = data + size, *q;
	size_t n = 0, i, j, len;

	while (p <= end && n < MAXN) {
		q = memchr(p, 0xff, (size_t)(end - p));
		if (q == NULL)
			q = end;
		made[n] = ct_fsname_make(set, (const char *)p, (size_t)(q - p),
		    ".png");
		len = strlen(made[n]);
		FZ_CHECK(len > 4 && len <= CT_FSNAME_MAX);
		FZ_CHECK(strcmp(made[n] + len - 4, ".png") == 0);
		FZ_CHECK(made[n][0] != '.');
		FZ_CHECK(strspn(made[n], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789_+=,.@-") == len);
		for (i = 0; i < n; i++)
			FZ_CHECK(strcasecmp(made[i], made[n]) != 0);
		n++;
		p = q + 1;
	}
	for (j = 0; j < n; j++)
		free(made[j]);
	ct_fsname_free(set);
	return 0;
}
