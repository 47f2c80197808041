/*
 * fsname.h - safe, unique file names for chart categories.
 *
 * A category (a principal ARN, a region, a user agent) is chosen by whoever
 * calls AWS and may hold '/', "..", NUL, control characters or a thousand
 * bytes.  ct_fsname_make() turns it into a name that is one plain path
 * component and unique within its folder:
 *
 *   - every character outside [A-Za-z0-9_+=,.@-] becomes '_' (one '_' per
 *     character, as the Python tool's _str_to_filename does; an invalid
 *     UTF-8 byte counts as one character), so no '/' and no NUL survive;
 *   - the empty name becomes "_", and a name starting with '.' (".", "..",
 *     hidden files) gets a '_' in front;
 *   - the name is cut so that it, a collision suffix and the extension fit
 *     the usual 255-byte limit of a file name;
 *   - a name already given out in this set (compared ignoring ASCII case,
 *     so case-insensitive file systems are safe too) gets "_2", "_3", ...:
 *     the first category in the caller's (sorted) order keeps the plain
 *     name, so the result is deterministic.
 */
#ifndef CT_FSNAME_H
#define CT_FSNAME_H

#include <stddef.h>

/* Longest file name produced, extension included. */
#define CT_FSNAME_MAX	255

struct ct_fsname;

/* A new, empty set of names for one folder; free with ct_fsname_free(). */
struct ct_fsname *ct_fsname_new(void);
void	ct_fsname_free(struct ct_fsname *set);

/*
 * The file name for category s[0..n) plus ext (e.g. ".png", at most 16
 * bytes, made of allowed characters), unique in set, which remembers it.
 * Returns a new string the caller frees.
 */
char	*ct_fsname_make(struct ct_fsname *set, const char *s, size_t n,
	    const char *ext);

#endif
