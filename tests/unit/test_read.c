/*
 * test_read.c - the reading engine (read.h): messages come to the
 * callback in input order, with the same line numbers and the same
 * summary whatever the threads, chunk size and --dedup; standard input
 * likewise; the per-kind cap of a message list (readmsg.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "inputlist.h"
#include "read.h"
#include "readmsg.h"
#include "summary.h"

#define REC(id) "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":" \
	"\"GetObject\",\"awsRegion\":\"us-east-1\",\"eventID\":\"" id "\"}\n"

/* 40 lines: records, a bad line, a record cut short across lines, a
 * skipped value, a duplicate. */
static const char *const lines[] = {
	REC("a"), REC("b"), "{bad\n", REC("c"), "\"just a string\"\n",
	"{\"eventSource\":\"s3.amazonaws.com\",\n", "\"eventName\":\"X\"}\n",
	REC("a"),
};

static void
collect(void *arg, const struct ct_read_msg *m)
{
	struct ct_buf *b = arg;
	char tmp[600];

	snprintf(tmp, sizeof(tmp), "%s:%llu:%llu:%d:%s\n", m->path,
	    (unsigned long long)m->line, (unsigned long long)m->line2, m->kind,
	    m->text);
	ct_buf_adds(b, tmp);
}

/* Run the engine on path; *msgs the messages, returns the summary text. */
static char *
run(const char *path, int jobs, size_t chunk, int dedup, struct ct_buf *msgs,
    int *rc)
{
	struct ct_read_opts o;
	struct ct_inputlist *in;
	struct ct_fold f;
	char *paths[1], *text = NULL;
	size_t n;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.fold.activity = CT_ACTIVITY_ALL;
	o.fold.dedup = dedup;
	o.jobs = jobs;
	o.chunk = chunk;
	o.msg = collect;
	o.msg_arg = msgs;
	paths[0] = (char *)path;
	if (strcmp(path, "-") == 0)	/* standard input from its start */
		(void)lseek(0, 0, SEEK_SET);
	in = ct_inputlist_new(1, paths);
	ct_fold_init(&f, &o.fold);
	*rc = ct_read_run(&o, in, &f);
	ct_inputlist_free(in);
	ct_fold_finish(&f, 1700000000);
	f.sum->meta.run_timestamp = 0;
	fp = open_memstream(&text, &n);
	if (fp != NULL) {
		ct_summary_write(f.sum, fp);
		fclose(fp);
	}
	ct_fold_free(&f);
	return text;
}

static void
check_same(const char *path, int dedup, const char *what)
{
	static const struct { int jobs; size_t chunk; } way[] = {
		{ 1, 0 }, { 2, 64 }, { 3, 100 }, { 2, 4096 },
	};
	struct ct_buf m0, m;
	char *s0, *s;
	size_t i;
	int rc0, rc;

	ct_buf_init(&m0, 0);
	s0 = run(path, 1, 0, dedup, &m0, &rc0);
	CHECK(rc0 == CT_READ_OK && m0.data != NULL &&
	    strstr(m0.data, ":3:0:0:malformed JSON") != NULL &&
	    strstr(m0.data, ":37:0:1:value skipped") != NULL,
	    "%s: -j1 says line 3 malformed, line 37 skipped", what);
	for (i = 0; i < sizeof(way) / sizeof(way[0]); i++) {
		ct_buf_init(&m, 0);
		s = run(path, way[i].jobs, way[i].chunk, dedup, &m, &rc);
		CHECK(rc == rc0 && s != NULL && s0 != NULL &&
		    strcmp(s, s0) == 0, "%s: -j%d, %zu-byte chunks: the same "
		    "summary", what, way[i].jobs, way[i].chunk);
		CHECK_STR(m.data, m0.data, "%s: -j%d, %zu-byte chunks: the same "
		    "messages in the same order", what, way[i].jobs,
		    way[i].chunk);
		free(s);
		ct_buf_free(&m);
	}
	free(s0);
	ct_buf_free(&m0);
}

int
main(void)
{
	char path[] = "/tmp/ct-test-read.XXXXXX";
	struct ct_readmsg_list mv;
	struct ct_buf b;
	FILE *fp;
	int fd, i, k;
	size_t j;

	if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL)
		return 1;
	for (i = 0; i < 5; i++)
		for (j = 0; j < sizeof(lines) / sizeof(lines[0]); j++)
			fputs(lines[j], fp);
	fclose(fp);

	check_same(path, 0, "file");
	check_same(path, 1, "file, dedup");
	/* standard input (a regular file on fd 0): one path for all */
	if ((fd = open(path, O_RDONLY)) < 0 || dup2(fd, 0) < 0)
		return 1;
	close(fd);
	check_same("-", 0, "standard input");
	check_same("-", 1, "standard input, dedup");
	unlink(path);

	/* a list keeps CT_READ_KEEP of a kind, every cut stream; the line
	 * base is added to the lines that are there */
	memset(&mv, 0, sizeof(mv));
	for (k = 0; k < CT_READ_KEEP + 5; k++) {
		ct_readmsg_add(&mv, CT_READ_MALFORMED, (uint64_t)k + 1, "m%d", k);
		ct_readmsg_add(&mv, CT_READ_CUT, 0, "c%d", k);
	}
	CHECK(mv.n == CT_READ_KEEP + CT_READ_KEEP + 5,
	    "%d malformed kept, every cut stream", CT_READ_KEEP);
	ct_buf_init(&b, 0);
	ct_readmsg_deliver(&mv, "x", 100, collect, &b);
	CHECK(b.data != NULL && strncmp(b.data, "x:101:0:0:m0\nx:0:0:4:c0\n",
	    24) == 0, "delivered in order, line base added, none to no line");
	ct_readmsg_deliver(&mv, "x", 0, NULL, NULL);
	ct_buf_free(&b);
	ct_readmsg_free(&mv);
	CHECK(mv.n == 0 && mv.v == NULL, "freed list is empty");
	return check_done();
}
