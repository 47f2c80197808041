/*
 * fsname.c - category -> file name mapping with collision suffixes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsname.h"
#include "strmap.h"
#include "jstr.h"
#include "xalloc.h"

struct ct_fsname {
	struct ct_strmap *used;		/* lower-cased names given out */
};

struct ct_fsname *
ct_fsname_new(void)
{
	struct ct_fsname *set = xmalloc(sizeof(*set));

	set->used = ct_strmap_new(NULL);
	return set;
}

void
ct_fsname_free(struct ct_fsname *set)
{
	if (set == NULL)
		return;
	ct_strmap_free(set->used);
	free(set);
}

static int
allowed(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("_+=,.@-", c) != NULL);
}

static int
taken(struct ct_fsname *set, const char *name, size_t n)
{
	char low[CT_FSNAME_MAX + 1];
	size_t i;

	for (i = 0; i < n; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 :
		    name[i];
	return ct_strmap_find(set->used, low, n) != NULL;
}

static void
take(struct ct_fsname *set, const char *name, size_t n)
{
	char low[CT_FSNAME_MAX + 1];
	size_t i;

	for (i = 0; i < n; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 :
		    name[i];
	ct_strmap_insert(set->used, low, n, NULL);
}

char *
ct_fsname_make(struct ct_fsname *set, const char *s, size_t n,
    const char *ext)
{
	const unsigned char *p = (const unsigned char *)s;
	char base[CT_FSNAME_MAX + 1], name[CT_FSNAME_MAX + 1], suf[24];
	size_t extn = strlen(ext), bn = 0, room, cut, i, k;
	unsigned long tries;

	/* Room for the base: the limit less the extension and "_NNNNNNNNN". */
	room = CT_FSNAME_MAX - (extn > 16 ? 16 : extn);
	if (n == 0 || s[0] == '.')
		base[bn++] = '_';
	for (i = 0; i < n && bn < room; i += k) {
		k = ct_utf8_charlen((const char *)p + i, n - i);
		base[bn++] = k == 1 && allowed(p[i]) ? s[i] : '_';
	}
	cut = bn;
	for (tries = 1;; tries++) {
		if (tries == 1)
			suf[0] = '\0';
		else
			snprintf(suf, sizeof(suf), "_%lu", tries);
		if (cut + strlen(suf) > room)
			cut = room - strlen(suf);
		memcpy(name, base, cut);
		memcpy(name + cut, suf, strlen(suf));
		memcpy(name + cut + strlen(suf), ext, extn);
		k = cut + strlen(suf) + extn;
		name[k] = '\0';
		if (!taken(set, name, k))
			break;
	}
	take(set, name, k);
	return xstrndup(name, k);
}
