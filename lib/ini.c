/* ini.c - see ini.h */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini.h"
#include "strmap.h"
#include "xalloc.h"

#define INI_MAX_FILE	((size_t)1 << 20)

struct kv {
	char		*key;
	char		*value;		/* continuation lines joined by '\n' */
	size_t		 vlen, vcap;	/* strlen(value), its allocation */
	unsigned	 line;
	struct kv	*sub;		/* nested block: parsed lazily */
	size_t		 nsub;
	int		 subparsed;
};

struct ct_ini_section {
	char		*name;
	struct ct_ini	*ini;		/* the file, for its key index */
	size_t		 idx;		/* in ini->sec */
	unsigned	 line;
	struct kv	*kv;
	size_t		 nkv;
	size_t		 capkv;
};

/*
 * Lookups go through two hash maps for the whole file, so reading a file
 * of n keys or sections takes time in n, not n squared (each new key is
 * checked against those before it): section name -> index in sec, and
 * "SECTION-INDEX:key" -> index in that section's kv (a key holds no ':').
 * One map for all keys rather than one per section: a map's keys live in
 * 64 KiB chunks, too much for each of thousands of small sections.
 */
struct ct_ini {
	char			*path;
	struct ct_ini_section	*sec;
	size_t			 nsec;
	size_t			 capsec;
	struct ct_strmap	*secmap;
	struct ct_strmap	*keymap;
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Collapse inner whitespace runs to one space (after trim). */
static char *
collapse(const char *s)
{
	char *r = xmalloc(strlen(s) + 1), *d = r;
	int sp = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			sp = 1;
			continue;
		}
		if (sp && d > r)
			*d++ = ' ';
		sp = 0;
		*d++ = *s;
	}
	*d = '\0';
	return r;
}

static void
wipe_str(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void
free_kvs(struct kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wipe_str(kv[i].key);
		wipe_str(kv[i].value);
		free_kvs(kv[i].sub, kv[i].nsub);
	}
	free(kv);
}

void
ct_ini_free(struct ct_ini *ini)
{
	size_t i;

	if (ini == NULL)
		return;
	for (i = 0; i < ini->nsec; i++) {
		free(ini->sec[i].name);
		free_kvs(ini->sec[i].kv, ini->sec[i].nkv);
	}
	free(ini->sec);
	free(ini->path);
	ct_strmap_free(ini->secmap);
	ct_strmap_free(ini->keymap);
	free(ini);
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int
fail(struct ct_buf *err, const char *name, unsigned line, const char *why)
{
	if (err != NULL) {
		ct_buf_reset(err);
		ct_buf_printf(err, "%s:%u: %s", name, line, why);
	}
	return -1;
}

/*
 * The keymap entry of section idx's key k[0..kn) (lower case), created
 * when add is set (*added tells), else NULL when absent.
 */
static struct ct_strmap_entry *
key_entry(const struct ct_ini *ini, size_t idx, const char *k, size_t kn,
    int add, int *added)
{
	char small[256], *ck = small;
	size_t pl, n;
	struct ct_strmap_entry *e;

	pl = (size_t)snprintf(small, 32, "%zu:", idx);
	n = pl + kn;
	if (n >= sizeof(small)) {
		ck = xmalloc(n + 1);
		memcpy(ck, small, pl);
	}
	memcpy(ck + pl, k, kn);
	ck[n] = '\0';
	e = add ? ct_strmap_insert(ini->keymap, ck, n, added) :
	    ct_strmap_find(ini->keymap, ck, n);
	if (ck != small)
		free(ck);
	return e;
}

int
ct_ini_parse(const char *name, const char *text, size_t n,
    struct ct_ini **out, struct ct_buf *err)
{
	struct ct_ini *ini = xcalloc(1, sizeof(*ini));
	struct ct_ini_section *cur = NULL;
	struct kv *last = NULL;
	char *copy = xmalloc(n + 1), *p, *eol, *line, *t, *sep;
	unsigned lineno = 0;
	size_t i, indent, last_indent = 0, blanks = 0;
	int rc = 0;

	ini->secmap = ct_strmap_new(NULL);
	ini->keymap = ct_strmap_new(NULL);
	memcpy(copy, text, n);
	copy[n] = '\0';
	if (memchr(copy, '\0', n) != NULL) {
		rc = fail(err, name, 1, "NUL byte in file");
		goto out;
	}
	ini->path = xstrdup(name);
	for (p = copy; p < copy + n; p = eol + 1) {
		if (p >= copy + n)
			break;
		lineno++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		*eol = '\0';
		line = p;
		for (indent = 0; line[indent] == ' ' || line[indent] == '\t';
		    indent++)
			;
		t = trim(line);
		if (*t == '#' || *t == ';')
			continue;
		if (*t == '\0') {
			/* Kept if an indented line continues the value (as
			 * ConfigParser's empty_lines_in_values). */
			blanks++;
			continue;
		}
		/* Continuation of the value above. */
		if (last != NULL && indent > last_indent) {
			size_t ol = last->vlen, tl = strlen(t);
			size_t need = ol + blanks + tl + 2;

			/* Doubling, so a value of many lines costs time in its
			 * length; the old copy is wiped (values may be
			 * secrets), hence no realloc. */
			if (need > last->vcap) {
				size_t cap = last->vcap * 2 > need ?
				    last->vcap * 2 : need;
				char *nv = xmalloc(cap);

				memcpy(nv, last->value, ol + 1);
				explicit_bzero(last->value, last->vcap);
				free(last->value);
				last->value = nv;
				last->vcap = cap;
			}
			memset(last->value + ol, '\n', blanks + 1);
			memcpy(last->value + ol + blanks + 1, t, tl + 1);
			last->vlen = ol + blanks + 1 + tl;
			blanks = 0;
			continue;
		}
		blanks = 0;
		if (*t == '[') {
			char *e = strrchr(t, ']'), *nm;

			if (e == NULL || e == t + 1) {
				rc = fail(err, name, lineno,
				    "malformed section header (expected [name])");
				goto out;
			}
			*e = '\0';
			nm = collapse(trim(t + 1));
			if (*nm == '\0') {
				free(nm);
				rc = fail(err, name, lineno, "empty section name");
				goto out;
			}
			{
				int added;
				struct ct_strmap_entry *se = ct_strmap_insert(
				    ini->secmap, nm, strlen(nm), &added);

				if (added)
					se->val.u64 = ini->nsec;
				i = added ? ini->nsec : (size_t)se->val.u64;
			}
			if (i < ini->nsec) {
				char why[300];

				snprintf(why, sizeof(why), "section [%.200s] "
				    "given twice (first on line %u)", nm,
				    ini->sec[i].line);
				free(nm);
				rc = fail(err, name, lineno, why);
				goto out;
			}
			if (ini->nsec == ini->capsec) {
				ini->capsec = ini->capsec ? ini->capsec * 2 : 8;
				ini->sec = xrealloc(ini->sec,
				    ini->capsec * sizeof(*ini->sec));
			}
			cur = &ini->sec[ini->nsec++];
			memset(cur, 0, sizeof(*cur));
			cur->name = nm;
			cur->ini = ini;
			cur->idx = ini->nsec - 1;
			cur->line = lineno;
			last = NULL;
			continue;
		}
		if (cur == NULL) {
			rc = fail(err, name, lineno,
			    "text before the first [section] header");
			goto out;
		}
		sep = t + strcspn(t, "=:");
		if (*sep == '\0' || sep == t) {
			rc = fail(err, name, lineno,
			    "expected \"key = value\" (or a [section] header)");
			goto out;
		}
		*sep = '\0';
		{
			char *k = trim(t), *v = trim(sep + 1);

			if (*k == '\0') {
				rc = fail(err, name, lineno, "empty key");
				goto out;
			}
			k = xstrdup(k);
			lower(k);
			{
				int added;
				struct ct_strmap_entry *ke = key_entry(ini,
				    cur->idx, k, strlen(k), 1, &added);

				if (added)
					ke->val.u64 = cur->nkv;
				i = added ? cur->nkv : (size_t)ke->val.u64;
			}
			if (i < cur->nkv) {
				char why[300];

				snprintf(why, sizeof(why), "key \"%.100s\" given "
				    "twice in [%.100s] (first on line %u)", k,
				    cur->name, cur->kv[i].line);
				free(k);
				rc = fail(err, name, lineno, why);
				goto out;
			}
			if (cur->nkv == cur->capkv) {
				cur->capkv = cur->capkv ? cur->capkv * 2 : 8;
				cur->kv = xrealloc(cur->kv,
				    cur->capkv * sizeof(*cur->kv));
			}
			last = &cur->kv[cur->nkv++];
			memset(last, 0, sizeof(*last));
			last->key = k;
			last->value = xstrdup(v);
			last->vlen = strlen(v);
			last->vcap = last->vlen + 1;
			last->line = lineno;
			last_indent = indent;
		}
	}
out:
	explicit_bzero(copy, n);
	free(copy);
	if (rc != 0) {
		ct_ini_free(ini);
		*out = NULL;
		return -1;
	}
	*out = ini;
	return 0;
}

int
ct_ini_load(const char *path, struct ct_ini **out, struct ct_buf *err)
{
	FILE *f;
	struct ct_buf b;
	char chunk[4096];
	size_t r;
	int rc;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		if (err != NULL) {
			ct_buf_reset(err);
			ct_buf_printf(err, "%s: %s", path, strerror(errno));
		}
		return -1;
	}
	ct_buf_init(&b, INI_MAX_FILE);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (ct_buf_add(&b, chunk, r) != 0) {
			fclose(f);
			explicit_bzero(chunk, sizeof(chunk));
			ct_buf_wipe(&b);
			if (err != NULL) {
				ct_buf_reset(err);
				ct_buf_printf(err, "%s: larger than 1 MiB", path);
			}
			return -1;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	if (ferror(f)) {
		fclose(f);
		ct_buf_wipe(&b);
		if (err != NULL) {
			ct_buf_reset(err);
			ct_buf_printf(err, "%s: read error", path);
		}
		return -1;
	}
	fclose(f);
	rc = ct_ini_parse(path, b.data ? b.data : "", b.len, out, err);
	ct_buf_wipe(&b);
	return rc;
}

const char *
ct_ini_path(const struct ct_ini *ini)
{
	return ini != NULL ? ini->path : NULL;
}

const struct ct_ini_section *
ct_ini_section(const struct ct_ini *ini, const char *name)
{
	struct ct_strmap_entry *e;
	char *nm;
	const struct ct_ini_section *r = NULL;

	if (ini == NULL)
		return NULL;
	nm = collapse(name);
	e = ct_strmap_find(ini->secmap, nm, strlen(nm));
	if (e != NULL)
		r = &ini->sec[e->val.u64];
	free(nm);
	return r;
}

size_t
ct_ini_nsections(const struct ct_ini *ini)
{
	return ini != NULL ? ini->nsec : 0;
}

const char *
ct_ini_section_name(const struct ct_ini *ini, size_t i)
{
	return ini != NULL && i < ini->nsec ? ini->sec[i].name : NULL;
}

static struct kv *
find(const struct ct_ini_section *s, const char *key)
{
	char small[128], *lk = small;
	size_t n;
	struct ct_strmap_entry *e;

	if (s == NULL)
		return NULL;
	n = strlen(key);
	if (n >= sizeof(small))
		lk = xmalloc(n + 1);
	memcpy(lk, key, n + 1);
	lower(lk);
	e = key_entry(s->ini, s->idx, lk, n, 0, NULL);
	if (lk != small)
		free(lk);
	return e != NULL ? &s->kv[e->val.u64] : NULL;
}

const char *
ct_ini_get(const struct ct_ini_section *s, const char *key)
{
	struct kv *kv = find(s, key);

	if (kv == NULL)
		return NULL;
	/* A nested block's value is its lines: report it as "". */
	if (kv->value[0] == '\n')
		return "";
	return kv->value;
}

unsigned
ct_ini_line(const struct ct_ini_section *s, const char *key)
{
	struct kv *kv = find(s, key);

	return kv != NULL ? kv->line : 0;
}

/* Parse "\nk = v\nk2 = v2" into kv->sub (once). */
static void
parse_sub(struct kv *kv)
{
	char *copy, *p, *eol, *sep;
	size_t cap = 0;

	kv->subparsed = 1;
	if (kv->value[0] != '\n')
		return;
	copy = xstrdup(kv->value + 1);
	for (p = copy; *p != '\0'; p = eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		else
			*eol++ = '\0';
		if ((sep = strpbrk(p, "=:")) == NULL)
			continue;
		*sep = '\0';
		if (kv->nsub == cap) {
			cap = cap ? cap * 2 : 4;
			kv->sub = xrealloc(kv->sub, cap * sizeof(*kv->sub));
		}
		memset(&kv->sub[kv->nsub], 0, sizeof(*kv->sub));
		kv->sub[kv->nsub].key = xstrdup(trim(p));
		lower(kv->sub[kv->nsub].key);
		kv->sub[kv->nsub].value = xstrdup(trim(sep + 1));
		kv->sub[kv->nsub].line = kv->line;
		kv->nsub++;
	}
	explicit_bzero(copy, strlen(copy));
	free(copy);
}

const char *
ct_ini_get_sub(const struct ct_ini_section *s, const char *key,
    const char *subkey)
{
	struct kv *kv = find(s, key);
	size_t i;

	if (kv == NULL)
		return NULL;
	if (!kv->subparsed)
		parse_sub(kv);	/* not thread-safe: done at start-up */
	for (i = 0; i < kv->nsub; i++)
		if (strcasecmp(kv->sub[i].key, subkey) == 0)
			return kv->sub[i].value;
	return NULL;
}
