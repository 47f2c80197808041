/*
 * summary-roundtrip - test driver for summary.h and json.h (not installed).
 *
 *   summary-roundtrip [FILE...]          merge the summaries (- or none:
 *                                        stdin) with ct_summary_read, write
 *                                        the result with ct_summary_write
 *   summary-roundtrip --json FILE...     per file: "ok" or "error: reason"
 *                                        from ct_json_parse
 *   summary-roundtrip --visit FILE...    the merged summary in chart order
 *                                        (ct_summary_visit): one line per
 *                                        item, "section<TAB>cat<TAB>key<TAB>n"
 *
 * Exit 0, or 1 with "summary-roundtrip: FILE: reason" on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "summary.h"

static int
slurp(const char *path, struct ct_buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char tmp[65536];
	size_t n;

	if (f == NULL)
		return -1;
	ct_buf_reset(b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		ct_buf_add(b, tmp, n);
	n = ferror(f);
	if (f != stdin)
		fclose(f);
	return n ? -1 : 0;
}

static int
visit(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s\t%.*s\t%.*s\t%llu\n", ct_section_name[sec],
		    (int)catn, cat, (int)it[i].keyn, it[i].key,
		    (unsigned long long)it[i].count);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ct_buf in, err;
	struct ct_summary *s;
	struct ct_jdoc *d;
	int i, mode = 0, rc = 0, sec;
	static char *dash[] = { "-", NULL };

	if (argc > 1 && strcmp(argv[1], "--json") == 0)
		mode = 1;
	else if (argc > 1 && strcmp(argv[1], "--visit") == 0)
		mode = 2;
	argv += 1 + (mode != 0);
	argc -= 1 + (mode != 0);
	if (argc == 0)
		argv = dash;
	ct_buf_init(&in, 0);
	ct_buf_init(&err, 0);
	s = ct_summary_new();
	for (i = 0; argv[i] != NULL; i++) {
		if (slurp(argv[i], &in) < 0) {
			fprintf(stderr, "summary-roundtrip: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		if (mode == 1) {
			d = ct_json_parse(in.data ? in.data : "", in.len, &err);
			if (d != NULL)
				printf("ok\n");
			else
				printf("error: %s\n", err.data);
			ct_json_free(d);
		} else if (ct_summary_read(s, in.data ? in.data : "", in.len,
		    &err) < 0) {
			fprintf(stderr, "summary-roundtrip: %s: %s\n", argv[i],
			    err.data);
			rc = 1;
		}
	}
	if (rc == 0 && mode == 0 && ct_summary_write(s, stdout) < 0) {
		fprintf(stderr, "summary-roundtrip: write: %s\n",
		    strerror(errno));
		rc = 1;
	}
	if (rc == 0 && mode == 2)
		for (sec = 0; sec < CT_SECTIONS; sec++)
			ct_summary_visit(s, sec, visit, NULL);
	ct_summary_free(s);
	ct_buf_free(&in);
	ct_buf_free(&err);
	if (fclose(stdout) != 0)
		rc = 1;
	return rc;
}
