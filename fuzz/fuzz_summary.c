/*
 * fuzz_summary.c - the summary reader (ct_summary_read): what ct-plot and
 * ct-aggregate --merge do with a summary file someone gave them.
 *
 * Properties: a rejected file has a one-line reason; an accepted one can
 * be visited section by section as ct-plot does (items sorted by count
 * descending, then key); written out it reads back, and written again it
 * is byte for byte the same (a fixed point after one normalisation).
 */
#include <string.h>

#include "buf.h"
#include "summary.h"
#include "jstr.h"
#include "fuzz.h"

static int
visit(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *it, size_t n)
{
	size_t i, *total = arg;

	FZ_CHECK(cat != NULL);
	for (i = 0; i + 1 < n; i++)
		FZ_CHECK(it[i].count > it[i + 1].count ||
		    (it[i].count == it[i + 1].count &&
		    ct_jstr_cmp(it[i].key, it[i].keyn, it[i + 1].key,
		    it[i + 1].keyn) < 0));
	*total += n;
	return 0;
}

static char *
write_mem(const struct ct_summary *s, size_t *n)
{
	char *p = NULL;
	FILE *fp = open_memstream(&p, n);

	FZ_CHECK(fp != NULL);
	FZ_CHECK(ct_summary_write(s, fp) == 0);
	FZ_CHECK(fclose(fp) == 0);
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_summary *s, *t, *u;
	struct ct_buf err;
	char *w1, *w2;
	size_t n1, n2, total = 0;
	int sec;

	s = ct_summary_new();
	ct_buf_init(&err, 1024);
	if (ct_summary_read(s, (const char *)data, size, &err) != 0) {
		FZ_CHECK(err.len > 0);
		FZ_ONELINE(err.data, err.len);
		ct_summary_free(s);
		ct_buf_free(&err);
		return 0;
	}
	for (sec = 0; sec < CT_SECTIONS; sec++)
		FZ_CHECK(ct_summary_visit(s, (enum ct_section)sec, visit,
		    &total) == 0);
	FZ_CHECK(total == ct_summary_size(s));

	w1 = write_mem(s, &n1);
	t = ct_summary_new();
	ct_buf_reset(&err);
	if (ct_summary_read(t, w1, n1, &err) != 0) {
		fprintf(stderr, "written summary does not read back: %s\n%s\n",
		    err.data, w1);
		FZ_CHECK(0);
	}
	w2 = write_mem(t, &n2);
	u = ct_summary_new();
	ct_buf_reset(&err);
	FZ_CHECK(ct_summary_read(u, w2, n2, &err) == 0);
	free(w1);
	w1 = write_mem(u, &n1);
	if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
		fprintf(stderr, "--- once\n%s\n--- twice\n%s\n", w2, w1);
		FZ_CHECK(0);
	}
	free(w1);
	free(w2);
	ct_summary_free(s);
	ct_summary_free(t);
	ct_summary_free(u);
	ct_buf_free(&err);
	return 0;
}
