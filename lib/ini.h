/*
 * ini.h - the AWS config and credentials files, read as the AWS CLI does.
 *
 * Both files are INI as Python's RawConfigParser reads them (which is what
 * botocore uses): "[section]" headers, "key = value" or "key: value" with
 * spaces around the separator ignored, key names lower-cased, whole-line
 * comments starting with '#' or ';' (a '#' later in a line is part of the
 * value, as in the CLI), indented lines continuing the value above.  A key
 * whose value is empty and continued by indented "sub = value" lines is a
 * nested section (the CLI's "s3 =" blocks, and the per-service blocks of a
 * [services NAME] section): read with ct_ini_get_sub.
 *
 * Errors carry file:line, and the parser is strict where botocore is
 * (text before the first section, a line that is no "key = value", a key
 * or section given twice), so a file the CLI rejects is rejected here with
 * a message that points at the line.  Values may be secrets: they are
 * wiped when freed (names are not secrets; the lookup maps keep copies).  Sections and keys are found through hash maps, so
 * reading a file (duplicate checks included) and each lookup take time
 * linear in the file's size and the name's length, whatever the number of
 * sections or keys.
 */
#ifndef CT_INI_H
#define CT_INI_H

#include <stddef.h>

#include "buf.h"

struct ct_ini;
struct ct_ini_section;

/*
 * Read path.  Returns 0 with *out set (free with ct_ini_free), 1 if the
 * file does not exist (*out = NULL; not an error: the files are optional),
 * or -1 with "PATH:LINE: reason" (or "PATH: strerror") in err.  Files
 * larger than 1 MiB are refused.
 */
int	ct_ini_load(const char *path, struct ct_ini **out, struct ct_buf *err);

/* Parse text[0..n) as if read from a file named name (for tests). */
int	ct_ini_parse(const char *name, const char *text, size_t n,
	    struct ct_ini **out, struct ct_buf *err);

void	ct_ini_free(struct ct_ini *ini);

/* The file's path as given.  Owned by ini. */
const char *ct_ini_path(const struct ct_ini *ini);

/* The section whose header is exactly name once its inner spaces are
 * collapsed ("profile  x" == "profile x"), or NULL.  ini may be NULL. */
const struct ct_ini_section *ct_ini_section(const struct ct_ini *ini,
	    const char *name);

/* Number of sections, and the i-th one's name (for listings). */
size_t	ct_ini_nsections(const struct ct_ini *ini);
const char *ct_ini_section_name(const struct ct_ini *ini, size_t i);

/* A key's value (NULL if absent; "" for a nested block), and the line it
 * is on.  s may be NULL.  Keys are matched lower-cased.  Owned by ini. */
const char *ct_ini_get(const struct ct_ini_section *s, const char *key);
unsigned ct_ini_line(const struct ct_ini_section *s, const char *key);
/* A key inside a nested block: "s3" -> "max_concurrent_requests". */
const char *ct_ini_get_sub(const struct ct_ini_section *s, const char *key,
	    const char *subkey);

#endif
