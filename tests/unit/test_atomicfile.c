/* test_atomicfile.c - the atomic file writer: old or new content, never
 * a mix; nothing left on failure; planted names never written through. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "check.h"

static char dir[] = "/tmp/ct-afile.XXXXXX";

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

static int
same(const char *path, const char *want)
{
	char got[256];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return 0;
	n = fread(got, 1, sizeof(got) - 1, fp);
	fclose(fp);
	got[n] = '\0';
	return strcmp(got, want) == 0;
}

/* entries in dir besides . and .. */
static int
count(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

int
main(void)
{
	struct ct_afile af;
	struct ct_buf err;
	char path[256], tmp[300], other[300], cmd[400];
	struct stat st;
	FILE *fp;
	int dfd;

	if (mkdtemp(dir) == NULL)
		return 1;
	ct_buf_init(&err, 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(tmp, sizeof(tmp), "%s/out.XXXXXX", dir);
	put(path, "old");

	/* Until the commit the target keeps the old content. */
	CHECK(ct_afile_open(&af, AT_FDCWD, path, tmp, 0644, CT_AFILE_SYNC,
	    &err) == 0, "open a unique temporary (%s)", err.data);
	CHECK(strcmp(af.tmp, tmp) != 0 && strncmp(af.tmp, tmp,
	    strlen(tmp) - 6) == 0, "XXXXXX replaced beside the target: %s",
	    af.tmp);
	fp = ct_afile_stream(&af, &err);
	fputs("new", fp);
	fflush(fp);
	CHECK(same(path, "old"), "target old while writing");
	CHECK(ct_afile_commit(&af, &err) == 0, "commit (%s)", err.data);
	CHECK(same(path, "new"), "target new after the commit");
	CHECK(count() == 1, "no temporary left after the commit");

	/* Discard: the target untouched, nothing left. */
	CHECK(ct_afile_open(&af, AT_FDCWD, path, tmp, 0644, 0, &err) == 0,
	    "open again");
	CHECK(write(af.fd, "half", 4) == 4, "write");
	ct_afile_discard(&af);
	CHECK(same(path, "new") && count() == 1,
	    "discard keeps the target and removes the temporary");

	/* A fixed temporary name planted as a symlink is never followed:
	 * the link goes, its target stays as it was. */
	snprintf(other, sizeof(other), "%s/victim", dir);
	put(other, "victim");
	snprintf(tmp, sizeof(tmp), "%s/out.tmp", dir);
	CHECK(symlink(other, tmp) == 0, "plant a link");
	CHECK(ct_afile_open(&af, AT_FDCWD, path, tmp, 0600, CT_AFILE_SYNC,
	    &err) == 0, "open over a planted link (%s)", err.data);
	CHECK(write(af.fd, "ckpt", 4) == 4, "write");
	CHECK(ct_afile_close(&af, &err) == 0, "prepare: closed");
	ct_afile_release(&af);
	CHECK(same(tmp, "ckpt") && same(other, "victim") &&
	    lstat(tmp, &st) == 0 && S_ISREG(st.st_mode),
	    "prepared temporary is a new file, the link's target untouched");
	CHECK(ct_afile_rename(AT_FDCWD, tmp, path, CT_AFILE_SYNC, &err) == 0,
	    "commit by names (%s)", err.data);
	CHECK(same(path, "ckpt") && access(tmp, F_OK) != 0,
	    "renamed over the target");

	/* Relative to a folder descriptor. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(ct_afile_open(&af, dfd, "rel", ".rel.tmp", 0644, 0,
	    &err) == 0, "open relative to a folder");
	fp = ct_afile_stream(&af, &err);
	fputs("rel", fp);
	CHECK(ct_afile_commit(&af, &err) == 0, "commit relative");
	snprintf(other, sizeof(other), "%s/rel", dir);
	CHECK(same(other, "rel"), "written in the folder");
	close(dfd);

	/* An unwritable place fails at open, with the name in the reason. */
	ct_buf_reset(&err);
	CHECK(ct_afile_open(&af, AT_FDCWD, "/nonexistent/x",
	    "/nonexistent/x.XXXXXX", 0644, 0, &err) == -1 &&
	    strstr(err.data, "/nonexistent/x") != NULL,
	    "unwritable place: error (%s)", err.data);

	ct_buf_free(&err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return check_done();
}
