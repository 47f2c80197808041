/*
 * inputlist.c - the inputs of a reading run, listed one at a time.
 *
 * The inputs are the paths given ("-" is standard input) and, under each
 * directory given, the files wanted (*.json, *.jsonl, *.ndjson, each also
 * with .gz), walked recursively in sorted order, CloudTrail-Digest
 * directories left out.  The walk is an iterator, not a list made up
 * front: listing a month of an S3 archive (24,000 files) takes tens of
 * milliseconds, and the threads read the first files meanwhile.
 *
 * Entries that are no input are said, not dropped: a folder given whose
 * tree holds no log file, a FIFO, socket or device met in a tree (never
 * opened: a FIFO would block the walk) or given by name (a FIFO given by
 * name is read: <(zcat ...) is one), and a link to nothing with a log
 * file's name (unreadable, as a file that cannot be opened).  Empty
 * folders inside a tree are normal (an archive's quiet days) and said
 * only through their tree.
 *
 * Each directory is read whole and sorted when the walk enters it; a
 * stack of them is the walk's state, so depth costs heap, not C stack.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputlist.h"
#include "strmap.h"
#include "xalloc.h"

/* Directories nested deeper than this are an error (a loop, likely). */
#define WALK_MAX_DEPTH	64

struct frame {
	char		 *dir;
	char		**names;	/* sorted; d_type rides after the NUL */
	size_t		  n, i;
};

struct ct_inputlist {
	char		**argv;
	int		  argc, argi;
	struct frame	 *fr;		/* the walk's stack */
	size_t		  depth, cap;
	char		**kept;		/* every path given out, to free */
	size_t		  nkept, capkept;
	char		 *err;		/* reason of the last error entry */
	size_t		  said;		/* entries given out of this tree */
	int		  digests;	/* walk CloudTrail-Digest/ folders too */
	const struct ct_strmap *excluded; /* paths handed out as SKIP */
};

struct ct_inputlist *
ct_inputlist_new(int argc, char **argv)
{
	struct ct_inputlist *in = xcalloc(1, sizeof(*in));
	static char *dash[] = { "-" };

	in->argv = argc > 0 ? argv : dash;
	in->argc = argc > 0 ? argc : 1;
	return in;
}

static const char *
keep(struct ct_inputlist *in, char *path)
{
	if (in->nkept == in->capkept) {
		in->capkept = in->capkept ? in->capkept * 2 : 64;
		in->kept = xrealloc(in->kept, in->capkept * sizeof(*in->kept));
	}
	in->kept[in->nkept++] = path;
	return path;
}

static int
wanted(const char *name)
{
	static const char *const suf[] = { ".json", ".jsonl", ".ndjson",
	    ".json.gz", ".jsonl.gz", ".ndjson.gz" };
	size_t i, n = strlen(name), k;

	for (i = 0; i < sizeof(suf) / sizeof(suf[0]); i++) {
		k = strlen(suf[i]);
		if (n > k && strcmp(name + n - k, suf[i]) == 0)
			return 1;
	}
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Enter dir: read and sort its names; the walk owns dir from then on.
 * -1 and in->err if it cannot (dir stays the caller's). */
static int
enter(struct ct_inputlist *in, char *dir)
{
	struct frame *f;
	struct dirent *e;
	DIR *d;
	size_t len;

	free(in->err);
	in->err = NULL;
	if (in->depth > WALK_MAX_DEPTH) {
		in->err = xstrdup("directories nested too deep");
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		in->err = xstrdup(strerror(errno));
		return -1;
	}
	if (in->depth == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 8;
		in->fr = xrealloc(in->fr, in->cap * sizeof(*in->fr));
	}
	f = &in->fr[in->depth++];
	memset(f, 0, sizeof(*f));
	f->dir = dir;
	{
		size_t ncap = 0;

		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if (f->n == ncap) {
				ncap = ncap ? ncap * 2 : 32;
				f->names = xrealloc(f->names,
				    ncap * sizeof(*f->names));
			}
			len = strlen(e->d_name);
			f->names[f->n] = xmalloc(len + 2);
			memcpy(f->names[f->n], e->d_name, len + 1);
			f->names[f->n][len + 1] = (char)e->d_type;
			f->n++;
		}
	}
	closedir(d);
	if (f->n > 0)
		qsort(f->names, f->n, sizeof(*f->names), cmpstr);
	return 0;
}

static void
leave(struct ct_inputlist *in)
{
	struct frame *f = &in->fr[--in->depth];

	while (f->i < f->n)
		free(f->names[f->i++]);
	free(f->names);
	free(f->dir);
}

/* What an entry that is neither a folder nor a regular file is. */
static const char *
special(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO (named pipe): skipped";
	if (S_ISSOCK(m))
		return "a socket: skipped";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device: skipped";
	return NULL;
}

/* Give out p with why (or none) as kind. */
static int
give(struct ct_inputlist *in, char *p, const char *why, int kind,
    const char **path, const char **err)
{
	*path = keep(in, p);
	*err = why;
	in->said++;
	return kind;
}

static int next_entry(struct ct_inputlist *in, const char **path,
    const char **err);

int
ct_inputlist_next(struct ct_inputlist *in, const char **path, const char **err)
{
	int kind;

	do
		kind = next_entry(in, path, err);
	while (kind == CT_INPUTLIST_FILE && in->excluded != NULL &&
	    ct_strmap_find(in->excluded, *path, strlen(*path)) != NULL);
	return kind;
}

static int
next_entry(struct ct_inputlist *in, const char **path, const char **err)
{
	struct stat st;
	struct frame *f;
	const char *why;
	char *name, *p;
	size_t len;
	int type, e;

	*err = NULL;
	for (;;) {
		if (in->depth == 0) {
			if (in->argi == in->argc)
				return 0;
			name = in->argv[in->argi++];
			if (strcmp(name, "-") == 0 || stat(name, &st) != 0)
				return give(in, xstrdup(name), NULL,
				    CT_INPUTLIST_FILE, path, err);
			/* a FIFO given by name is read (<(zcat ...)) */
			if (!S_ISFIFO(st.st_mode) &&
			    (why = special(st.st_mode)) != NULL)
				return give(in, xstrdup(name), why,
				    CT_INPUTLIST_SKIP, path, err);
			if (!S_ISDIR(st.st_mode))
				return give(in, xstrdup(name), NULL,
				    CT_INPUTLIST_FILE, path, err);
			p = xstrdup(name);
			if (enter(in, p) < 0)
				return give(in, p, in->err, CT_INPUTLIST_BAD, path,
				    err);
			in->said = 0;
			continue;
		}
		f = &in->fr[in->depth - 1];
		if (f->i == f->n) {
			leave(in);
			/* a folder given whose tree holds no log file */
			if (in->depth == 0 && in->said == 0)
				return give(in, xstrdup(in->argv[in->argi - 1]),
				    "no log files in this folder: skipped",
				    CT_INPUTLIST_SKIP, path, err);
			continue;
		}
		name = f->names[f->i++];
		len = strlen(name);
		type = (unsigned char)name[len + 1];
		len += strlen(f->dir) + 2;
		p = xmalloc(len);
		snprintf(p, len, "%s%s%s", f->dir,
		    f->dir[strlen(f->dir) - 1] == '/' ? "" : "/", name);
		if (type == DT_DIR || (type == DT_UNKNOWN &&
		    lstat(p, &st) == 0 && S_ISDIR(st.st_mode))) {
			if (!in->digests &&
			    strcmp(name, "CloudTrail-Digest") == 0)
				free(p);
			else if (enter(in, p) < 0) {
				free(name);
				return give(in, p, in->err, CT_INPUTLIST_BAD, path,
				    err);
			}
		} else if (type == DT_REG) {
			if (wanted(name)) {
				free(name);
				return give(in, p, NULL, CT_INPUTLIST_FILE, path,
				    err);
			}
			free(p);
		} else if (stat(p, &st) != 0) {
			/* a link to nothing: unreadable, if a log file's name */
			e = errno;
			if (wanted(name) && lstat(p, &st) == 0 &&
			    S_ISLNK(st.st_mode)) {
				free(name);
				free(in->err);
				in->err = xstrdup(e == ENOENT ?
				    "dangling symbolic link" : strerror(e));
				return give(in, p, in->err, CT_INPUTLIST_BAD, path,
				    err);
			}
			free(p);
		} else if (S_ISREG(st.st_mode) && wanted(name)) {
			free(name);
			return give(in, p, NULL, CT_INPUTLIST_FILE, path, err);
		} else if ((why = special(st.st_mode)) != NULL) {
			/* never opened: a FIFO could block the walk */
			free(name);
			return give(in, p, why, CT_INPUTLIST_SKIP, path, err);
		} else
			free(p);
		free(name);
	}
}

void
ct_inputlist_walk_digests(struct ct_inputlist *in)
{
	in->digests = 1;
}

void
ct_inputlist_exclude(struct ct_inputlist *in, const struct ct_strmap *paths)
{
	in->excluded = paths;
}

void
ct_inputlist_free(struct ct_inputlist *in)
{
	size_t i;

	if (in == NULL)
		return;
	while (in->depth > 0)
		leave(in);
	free(in->fr);
	for (i = 0; i < in->nkept; i++)
		free(in->kept[i]);
	free(in->kept);
	free(in->err);
	free(in);
}
