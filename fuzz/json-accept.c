/*
 * json-accept.c - accept or reject, for the JSON differential test.
 *
 * Reads inputs from standard input, each as a 4-byte big-endian length
 * and that many bytes, and prints for each one line of two characters:
 * whether ct_json_parse (json.h) accepts it as one JSON document, and
 * whether the record scanner (scan.h, ct-aggregate's reader) reads exactly
 * one value followed by nothing but JSON whitespace ('1' yes, '0' no).
 * The tail is checked here, not by a second scan: the scanner takes byte
 * order marks before a top-level value as whitespace, json.loads never.
 * tests/fuzz/t_json_diff compares the answers with Python's json.loads.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "json.h"
#include "scan.h"

int	main(void);

int
main(void)
{
	static const struct ct_scan_ops ops;	/* effects dropped */
	struct ct_scanner *sc = ct_scan_new(&ops, NULL);
	unsigned char h[4];
	struct ct_buf err;
	struct ct_jdoc *d;
	size_t n, next;
	char *p;
	int j, s;

	ct_buf_init(&err, 4096);
	while (fread(h, 1, 4, stdin) == 4) {
		n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 |
		    h[3];
		p = malloc(n + 1);
		if (p == NULL || fread(p, 1, n, stdin) != n)
			return 1;
		d = ct_json_parse(p, n, &err);
		j = d != NULL;
		ct_json_free(d);
		s = ct_scan_value(sc, p, n, 0, 1, 0, &next) == CT_SCAN_OK;
		while (s && next < n && (p[next] == ' ' || p[next] == '\t' ||
		    p[next] == '\r' || p[next] == '\n'))
			next++;
		s = s && next == n;
		printf("%c%c\n", j ? '1' : '0', s ? '1' : '0');
		free(p);
	}
	ct_scan_free(sc);
	ct_buf_free(&err);
	return fflush(stdout) != 0;
}
