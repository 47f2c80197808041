/*
 * fuzz_aggregate.c - ct-aggregate's whole reading side, as the tool runs it.
 *
 * The bytes become a file (a memfd) and go through ct_read_run, the
 * reading engine ct-aggregate's main calls (lib/read.h: planning,
 * chunking, worker threads, the scanner, the fold, ordered commits).  Each input is
 * read twice: once on one thread as one unit, once on two threads cut into
 * tiny chunks (a few bytes to a few hundred), which forces every path of
 * the speculative chunk scan and its repair (values across chunk
 * boundaries, ct-fetch control records, malformed values).  Property:
 * both runs give the same exit status and byte-identical summaries, which
 * is what read.h promises ("a wrong guess costs time, never
 * correctness").  The engine's messages go to no callback; the library
 * prints nothing (stderr still goes to /dev/null unless FUZZ_VERBOSE is
 * set, for anything else that would).
 */
#include <sys/mman.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "inputlist.h"
#include "read.h"
#include "summary.h"
#include "fuzz.h"

static int errfd = 2;

/*
 * ct-aggregate's messages go through the stdio stream stderr; libFuzzer
 * and the sanitizers keep writing to descriptor 2 (libFuzzer took its
 * copy of the old stream before this runs).
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null;

	signal(SIGPIPE, SIG_IGN);
	if (getenv("FUZZ_VERBOSE") == NULL &&
	    (null = fopen("/dev/null", "w")) != NULL)
		stderr = null;
	return 0;
}

static char *
run(const struct ct_read_opts *o, const char *path, int *rc, size_t *n)
{
	struct ct_inputlist *in;
	struct ct_fold f;
	char *paths[1], *p = NULL;
	FILE *fp;

	paths[0] = (char *)path;
	in = ct_inputlist_new(1, paths);
	ct_fold_init(&f, &o->fold);
	*rc = ct_read_run(o, in, &f);
	ct_inputlist_free(in);
	ct_fold_finish(&f, 1700000000);
	fp = open_memstream(&p, n);
	FZ_CHECK(fp != NULL && ct_summary_write(f.sum, fp) == 0 &&
	    fclose(fp) == 0);
	ct_fold_free(&f);
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_read_opts o;
	char path[64], *s1, *s2;
	size_t n1, n2;
	unsigned opt = fz_take(&data, &size);
	int mfd, rc1, rc2;

	mfd = memfd_create("fuzz_aggregate", MFD_CLOEXEC);
	FZ_CHECK(mfd >= 0);
	FZ_CHECK(write(mfd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);

	memset(&o, 0, sizeof(o));
	o.fold.activity = (enum ct_activity)(opt % 3);
	if (opt & 4) {
		o.fold.have_start = o.fold.have_end = 1;
		o.fold.start = 1500000000;
		o.fold.end = 1700000000;
	}
	o.max_value = (opt & 8) ? 4096 : (size_t)1 << 30;
	o.jobs = 1;
	o.chunk = (size_t)8 << 20;
	s1 = run(&o, path, &rc1, &n1);
	o.jobs = 2;
	o.chunk = 1 + (opt >> 4) * (opt >> 4);
	s2 = run(&o, path, &rc2, &n2);
	if (rc1 != rc2 || n1 != n2 || memcmp(s1, s2, n1) != 0) {
		dprintf(errfd, "one unit: exit %d\n%s\n%zu-byte chunks, two "
		    "threads: exit %d\n%s\n", rc1, s1, o.chunk, rc2, s2);
		abort();
	}
	free(s1);
	free(s2);
	close(mfd);
	return 0;
}
