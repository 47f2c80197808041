/* test_checkpoint.c - the ct-fetch checkpoint: format, durability, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "checkpoint.h"

static char dir[] = "/tmp/ct-ckpt.XXXXXX";

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

static int
load_text(const char *text, struct ct_ckpt *ck, struct ct_buf *err)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/in", dir);
	put(path, text);
	ct_buf_reset(err);
	return ct_ckpt_load(path, ck, err);
}

/* lock: rc, and the name the lock gave (or "") in canon */
static int
lock(const char *path, char *canon, size_t size, int *fd, struct ct_buf *err)
{
	char *c;
	int rc;

	ct_buf_reset(err);
	rc = ct_ckpt_lock(path, 0, &c, fd, err);
	snprintf(canon, size, "%s", c != NULL ? c : "");
	free(c);
	return rc;
}

/*
 * ct_ckpt_lock: every name of one checkpoint meets one lock; symbolic
 * links at FILE or FILE.lock and hard links of FILE are refused.
 */
static void
test_lock(void)
{
	char p[512], q[512], real[256], canon[512], want[512];
	struct ct_buf err;
	struct stat st;
	int fd, fd2, rc;

	ct_buf_init(&err, 1024);
	snprintf(real, sizeof(real), "%s/real", dir);
	mkdir(real, 0700);
	snprintf(p, sizeof(p), "%s/link", dir);
	if (symlink("real", p) != 0)
		CHECK(0, "symlink");
	snprintf(p, sizeof(p), "%s/link/ck", dir);
	rc = lock(p, canon, sizeof(canon), &fd, &err);
	snprintf(want, sizeof(want), "%s/ck", real);
	CHECK(rc == 0 && fd >= 0, "a fresh checkpoint is locked (%s)",
	    err.data ? err.data : "");
	CHECK_STR(canon, want, "... under its folder's real name");
	snprintf(q, sizeof(q), "%s/ck.lock", real);
	CHECK(lstat(q, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 0777) == 0600, "... FILE.lock, mode 0600, beside it");

	snprintf(q, sizeof(q), "%s/ck", real);
	rc = lock(q, canon, sizeof(canon), &fd2, &err);
	CHECK(rc == -1 && fd2 == -1 && canon[0] == '\0' &&
	    strstr(err.data, "in use by another ct-fetch run") != NULL,
	    "the same checkpoint by another folder name: in use (%s)",
	    err.data);
	if (chdir(real) == 0) {
		rc = lock("./ck", canon, sizeof(canon), &fd2, &err);
		CHECK(rc == -1 && strncmp(err.data, "./ck is in use", 14) == 0,
		    "... as ./ck: in use, named as given (%s)", err.data);
		rc = lock("ck", canon, sizeof(canon), &fd2, &err);
		CHECK(rc == -1, "... as ck: in use");
		if (chdir("/") != 0)
			CHECK(0, "chdir /");
	}
	close(fd);
	rc = lock(q, canon, sizeof(canon), &fd2, &err);
	CHECK(rc == 0, "free again once the first lock is closed");
	close(fd2);

	put(q, "{}");
	snprintf(p, sizeof(p), "%s/alias", real);
	if (symlink("ck", p) != 0)
		CHECK(0, "symlink");
	rc = lock(p, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "is a symbolic link") != NULL,
	    "FILE a symbolic link: refused (%s)", err.data);
	snprintf(p, sizeof(p), "%s/alias.lock", real);
	CHECK(lstat(p, &st) == -1, "... and no lock made beside the link");

	snprintf(p, sizeof(p), "%s/hard", real);
	if (link(q, p) != 0)
		CHECK(0, "link");
	rc = lock(q, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "hard links") != NULL,
	    "FILE with a hard link: refused (%s)", err.data);
	unlink(p);

	snprintf(p, sizeof(p), "%s/victim", dir);
	snprintf(q, sizeof(q), "%s/ck2.lock", real);
	if (symlink(p, q) != 0)
		CHECK(0, "symlink");
	snprintf(q, sizeof(q), "%s/ck2", real);
	rc = lock(q, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "ck2.lock is a symbolic link") !=
	    NULL, "FILE.lock a symbolic link: refused (%s)", err.data);
	CHECK(lstat(p, &st) == -1, "... its target is not created");

	snprintf(p, sizeof(p), "%s/ck3.lock", real);
	mkfifo(p, 0600);
	snprintf(q, sizeof(q), "%s/ck3", real);
	rc = lock(q, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "not a regular file") != NULL,
	    "FILE.lock a FIFO: refused, without blocking (%s)", err.data);

	{
		struct ct_ckpt e;
		char v[64] = "";
		FILE *fp;

		snprintf(p, sizeof(p), "%s/victim2", dir);
		put(p, "precious\n");
		snprintf(q, sizeof(q), "%s/ck4.tmp", real);
		if (link(p, q) != 0)
			CHECK(0, "link");
		ct_ckpt_init(&e);
		snprintf(q, sizeof(q), "%s/ck4", real);
		ct_buf_reset(&err);
		rc = ct_ckpt_prepare(q, &e, &err);
		if ((fp = fopen(p, "r")) != NULL) {
			if (fgets(v, sizeof(v), fp) == NULL)
				v[0] = '\0';
			fclose(fp);
		}
		CHECK(rc == 0 && strcmp(v, "precious\n") == 0,
		    "FILE.tmp a hard link to another file: that file is left "
		    "alone (%s)", err.data ? err.data : "");
		ct_ckpt_free(&e);
	}

	snprintf(q, sizeof(q), "%s/nosuch/ck", dir);
	rc = lock(q, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && err.len > 0, "a folder that does not exist: "
	    "error (%s)", err.data);
	rc = lock(real, canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "not a regular file") != NULL,
	    "a folder as FILE: refused (%s)", err.data);
	rc = lock("x/", canon, sizeof(canon), &fd, &err);
	CHECK(rc == -1 && strstr(err.data, "not a file name") != NULL,
	    "a name ending in /: refused (%s)", err.data);
	ct_buf_free(&err);
}

int
main(void)
{
	struct ct_ckpt ck, back;
	struct ct_ckpt_region *r;
	struct ct_buf a, b, err;
	struct stat st;
	char path[256], tmp[300];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	ct_buf_init(&a, 0);
	ct_buf_init(&b, 0);
	ct_buf_init(&err, 0);

	ct_ckpt_init(&ck);
	ck.start = 1793491200;
	ck.end = 1793577600;
	strcpy(ck.account, "123456789012");
	strcpy(ck.run_timestamp, "2026-11-28T19:00:00Z");
	r = ct_ckpt_add(&ck, "eu-west-1");
	ct_ckpt_set_token(r, "tok\"en\\/\xc3\xa9+=");
	r->events = 1234;
	r->pages = 25;
	r->reached = 1793500000;
	r = ct_ckpt_add(&ck, "us-east-1");
	r->done = 1;
	r->events = 7;
	r->pages = 1;
	CHECK(ct_ckpt_add(&ck, "eu-west-1") == ck.regions[0],
	    "adding a region twice returns the first entry");
	CHECK(ck.nregions == 2, "two regions");

	CHECK(ct_ckpt_encode(&ck, &a) == 0, "encode");
	ct_ckpt_init(&back);
	CHECK(ct_ckpt_decode(a.data, a.len, &back, &err) == 0,
	    "decode what was encoded");
	CHECK(ct_ckpt_encode(&back, &b) == 0, "encode again");
	CHECK_STR(b.data, a.data, "round trip is exact");
	CHECK_STR(ct_ckpt_find(&back, "eu-west-1")->next_token,
	    "tok\"en\\/\xc3\xa9+=", "token with quotes, backslash, UTF-8");
	CHECK(ct_ckpt_find(&back, "us-east-1")->done == 1 &&
	    ct_ckpt_find(&back, "us-east-1")->next_token == NULL,
	    "done region: no token");
	CHECK(ct_ckpt_find(&back, "ap-south-1") == NULL, "unknown region");
	ct_ckpt_free(&back);

	/* The S3 source's entries: per account and region, with the files
	 * written; the source named. */
	{
		struct ct_ckpt s3ck;
		struct ct_ckpt_region *e1, *e2;
		struct ct_buf c, d;

		ct_ckpt_init(&s3ck);
		ct_buf_init(&c, 0);
		ct_buf_init(&d, 0);
		s3ck.source = strdup("s3://b/p/");
		e1 = ct_ckpt_add_in(&s3ck, "123456789012", "eu-west-1");
		e2 = ct_ckpt_add_in(&s3ck, "000011112222", "eu-west-1");
		CHECK(e1 != e2 && ct_ckpt_find(&s3ck, "eu-west-1") == NULL &&
		    ct_ckpt_find_in(&s3ck, "000011112222", "eu-west-1") == e2,
		    "S3 entries: one per account and region");
		e1->s3 = calloc(1, sizeof(*e1->s3));
		ct_ckpt_list_add(&e1->s3->days, "2026/11/01");
		ct_ckpt_list_add(&e1->s3->upto, "2026/11/02/a\"b.json.gz");
		ct_ckpt_list_add(&e1->s3->keys, "2026/11/02/c.json.gz");
		CHECK(ct_ckpt_encode(&s3ck, &c) == 0, "S3: encode");
		ct_ckpt_init(&back);
		ct_buf_reset(&err);
		CHECK(ct_ckpt_decode(c.data, c.len, &back, &err) == 0 &&
		    ct_ckpt_encode(&back, &d) == 0 &&
		    strcmp(c.data, d.data) == 0, "S3: round trip is exact");
		e1 = ct_ckpt_find_in(&back, "123456789012", "eu-west-1");
		CHECK(back.source != NULL && strcmp(back.source,
		    "s3://b/p/") == 0 && e1 != NULL && e1->s3 != NULL &&
		    e1->s3->keys.n == 1 && strcmp(e1->s3->upto.v[0],
		    "2026/11/02/a\"b.json.gz") == 0,
		    "S3: source, marks and keys read back");
		ct_ckpt_free(&back);
		ct_ckpt_init(&back);
		CHECK(load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"\","
		    "\"window\":{\"start\":0,\"end\":1},\"runTimestamp\":"
		    "\"x\",\"regions\":[{\"region\":\"eu-west-1\","
		    "\"account\":\"12\",\"nextToken\":null,\"events\":0,"
		    "\"pages\":0,\"done\":false,\"reached\":0}]}", &back,
		    &err) == -1 && strstr(err.data, "bad account") != NULL,
		    "S3: an account that is not 12 digits is refused");
		ct_ckpt_init(&back);
		CHECK(load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"\","
		    "\"window\":{\"start\":0,\"end\":1},\"runTimestamp\":"
		    "\"x\",\"regions\":[{\"region\":\"eu-west-1\","
		    "\"s3\":{\"days\":[1],\"upto\":[],\"keys\":[]},"
		    "\"nextToken\":null,\"events\":0,\"pages\":0,"
		    "\"done\":false,\"reached\":0}]}", &back, &err) == -1 &&
		    strstr(err.data, "bad \"s3\"") != NULL,
		    "S3: a list of other than strings is refused");
		ct_ckpt_free(&s3ck);
		ct_buf_free(&c);
		ct_buf_free(&d);
	}

	/* Durable save: mode 0600, no temporary left, prepare alone does not
	 * change the file. */
	snprintf(path, sizeof(path), "%s/ck", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	umask(022);
	ct_buf_reset(&err);
	CHECK(ct_ckpt_save(path, &ck, &err) == 0, "save");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "saved with mode 0600");
	CHECK(access(tmp, F_OK) != 0, "no temporary file left");
	ct_ckpt_init(&back);
	CHECK(ct_ckpt_load(path, &back, &err) == 1, "load what was saved");
	CHECK(back.nregions == 2 && back.start == ck.start &&
	    back.end == ck.end && strcmp(back.account, ck.account) == 0,
	    "loaded window, account, regions");
	ct_ckpt_free(&back);

	ck.regions[0]->events = 9999;
	CHECK(ct_ckpt_prepare(path, &ck, &err) == 0, "prepare");
	ct_ckpt_init(&back);
	ct_ckpt_load(path, &back, &err);
	CHECK(ct_ckpt_find(&back, "eu-west-1")->events == 1234,
	    "after prepare the file still holds the old state");
	ct_ckpt_free(&back);
	CHECK(ct_ckpt_commit(path, &err) == 0, "commit");
	ct_ckpt_init(&back);
	ct_ckpt_load(path, &back, &err);
	CHECK(ct_ckpt_find(&back, "eu-west-1")->events == 9999,
	    "after commit it holds the new one");
	ct_ckpt_free(&back);

	CHECK(ct_ckpt_prepare(path, &ck, &err) == 0, "prepare again");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ct_ckpt_discard(path);
	CHECK(access(tmp, F_OK) != 0, "discard removes the prepared state");

	/* Errors. */
	snprintf(tmp, sizeof(tmp), "%s/absent", dir);
	ct_ckpt_init(&back);
	CHECK(ct_ckpt_load(tmp, &back, &err) == 0 && back.nregions == 0,
	    "no file: 0, empty");
	rc = load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"1\"", &back,
	    &err);
	CHECK(rc == -1 && err.len > 0, "truncated file: error (%s)",
	    err.data);
	rc = load_text("{\"ctFetchCheckpoint\":2,\"accountId\":\"1\","
	    "\"window\":{\"start\":1,\"end\":2},\"runTimestamp\":\"x\","
	    "\"regions\":[]}", &back, &err);
	CHECK(rc == -1 && strstr(err.data, "version 2") != NULL,
	    "another version: error (%s)", err.data);
	rc = load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"1\","
	    "\"window\":{\"start\":3,\"end\":2},\"runTimestamp\":\"x\","
	    "\"regions\":[]}", &back, &err);
	CHECK(rc == -1, "window ending before it starts: error (%s)",
	    err.data);
	rc = load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"1\","
	    "\"window\":{\"start\":1,\"end\":2},\"runTimestamp\":\"x\","
	    "\"regions\":[{\"region\":\"a\",\"nextToken\":null,\"events\":-1,"
	    "\"pages\":0,\"done\":false,\"reached\":0}]}", &back, &err);
	CHECK(rc == -1, "negative count: error (%s)", err.data);
	rc = load_text("{\"ctFetchCheckpoint\":1,\"accountId\":\"1\","
	    "\"window\":{\"start\":1,\"end\":2},\"runTimestamp\":\"x\","
	    "\"regions\":[{\"region\":\"a\",\"nextToken\":null,\"events\":1,"
	    "\"pages\":1,\"done\":true,\"reached\":0},{\"region\":\"a\","
	    "\"nextToken\":null,\"events\":1,\"pages\":1,\"done\":true,"
	    "\"reached\":0}]}", &back, &err);
	CHECK(rc == -1, "region twice: error (%s)", err.data);
	/* the output standard output appends to (ct-fetch cuts back to it) */
	ck.has_output = 1;
	ck.out_dev = UINT64_MAX;
	ck.out_ino = 18446744073709551000u;
	ck.out_size = 1894612;
	ct_buf_reset(&a);
	ct_buf_reset(&b);
	CHECK(ct_ckpt_encode(&ck, &a) == 0 &&
	    strstr(a.data, "\"output\":{\"dev\":\"18446744073709551615\"") !=
	    NULL, "output: device and inode as exact decimal strings");
	ct_ckpt_init(&back);
	CHECK(ct_ckpt_decode(a.data, a.len, &back, &err) == 0 &&
	    back.has_output && back.out_dev == UINT64_MAX &&
	    back.out_ino == 18446744073709551000u && back.out_size == 1894612,
	    "output: read back exactly");
	CHECK(ct_ckpt_encode(&back, &b) == 0 && strcmp(a.data, b.data) == 0,
	    "output: round trip is exact");
	ct_ckpt_free(&back);
	ck.has_output = 0;
	{
		static const char *const bad[] = {
			"{\"dev\":\"18446744073709551616\",\"ino\":\"1\",\"size\":1}",
			"{\"dev\":\"12x\",\"ino\":\"1\",\"size\":1}",
			"{\"dev\":\"\",\"ino\":\"1\",\"size\":1}",
			"{\"dev\":1,\"ino\":\"1\",\"size\":1}",
			"{\"dev\":\"1\",\"ino\":\"1\",\"size\":-1}",
			"{\"dev\":\"1\",\"ino\":\"1\"}",
			"[]",
		};
		char text[512];
		size_t k;
		int all = 1;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			snprintf(text, sizeof(text), "{\"ctFetchCheckpoint\":1,"
			    "\"accountId\":\"1\",\"window\":{\"start\":1,"
			    "\"end\":2},\"runTimestamp\":\"x\",\"regions\":[],"
			    "\"output\":%s}", bad[k]);
			if (load_text(text, &back, &err) != -1 ||
			    strstr(err.data, "output") == NULL)
				all = 0;
		}
		CHECK(all, "output: overflowing, non-digit, empty, numeric "
		    "device, negative or missing size: refused");
	}

	rc = load_text("[1]", &back, &err);
	CHECK(rc == -1 && back.nregions == 0, "not a checkpoint: error, "
	    "nothing kept (%s)", err.data);

	snprintf(tmp, sizeof(tmp), "%s/no/such/dir/ck", dir);
	ct_buf_reset(&err);
	CHECK(ct_ckpt_save(tmp, &ck, &err) == -1 && err.len > 0,
	    "unwritable place: error (%s)", err.data);

	test_lock();

	ct_ckpt_free(&ck);
	ct_buf_free(&a);
	ct_buf_free(&b);
	ct_buf_free(&err);
	snprintf(tmp, sizeof(tmp), "rm -rf '%s'", dir);
	if (system(tmp) != 0)
		return 1;
	return check_done();
}
