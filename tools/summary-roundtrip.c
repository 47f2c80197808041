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
 *   summary-roundtrip --principal FILE.. NDJSON of records or userIdentity
 *                                        objects: per line "rc<TAB>principal"
 *                                        from ct_principal (rc 1: the type's
 *                                        rule, 0: fallback; "bad" for a line
 *                                        that is not a JSON object)
 *
 * Exit 0, or 1 with "summary-roundtrip: FILE: reason" on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "principal.h"
#include "summary.h"

/* A string member as a ct_str; missing unless it is a string. */
static struct ct_str
field(const struct ct_jnode *o, const char *key)
{
	const struct ct_jnode *n = ct_json_get(o, key);
	struct ct_str s = { NULL, 0 };

	if (o != NULL && o->type == CT_JOBJECT && n != NULL &&
	    n->type == CT_JSTRING) {
		s.p = n->str;
		s.n = n->len;
	}
	return s;
}

static const struct ct_jnode *
object(const struct ct_jnode *o, const char *key)
{
	const struct ct_jnode *n = ct_json_get(o, key);

	return n != NULL && n->type == CT_JOBJECT ? n : NULL;
}

static void
principals(const char *text, size_t len, struct ct_buf *err)
{
	const char *line = text, *nl;
	const struct ct_jnode *root, *u, *iss, *obo;
	struct ct_identity id;
	struct ct_buf out;
	struct ct_jdoc *d;
	int rc;

	ct_buf_init(&out, 0);
	for (; line < text + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) == NULL)
			nl = text + len;
		if (nl == line)
			continue;
		d = ct_json_parse(line, (size_t)(nl - line), err);
		root = d ? ct_json_root(d) : NULL;
		if (root == NULL || root->type != CT_JOBJECT) {
			printf("bad\n");
			ct_json_free(d);
			continue;
		}
		u = root;
		if (ct_json_get(root, "eventVersion") != NULL ||
		    ct_json_get(root, "eventSource") != NULL ||
		    ct_json_get(root, "userIdentity") != NULL)
			u = object(root, "userIdentity");
		memset(&id, 0, sizeof id);
		if (u != NULL) {
			id.present = 1;
			id.type = field(u, "type");
			id.account_id = field(u, "accountId");
			id.arn = field(u, "arn");
			id.invoked_by = field(u, "invokedBy");
			id.user_name = field(u, "userName");
			id.principal_id = field(u, "principalId");
			iss = object(object(u, "sessionContext"), "sessionIssuer");
			id.issuer_arn = field(iss, "arn");
			id.issuer_type = field(iss, "type");
			if ((obo = object(u, "onBehalfOf")) != NULL) {
				id.has_on_behalf_of = 1;
				id.obo_store_arn = field(obo, "identityStoreArn");
				id.obo_user_id = field(obo, "userId");
			}
		}
		rc = ct_principal(&id, &out);
		printf("%d\t%s\n", rc, out.data ? out.data : "");
		ct_json_free(d);
	}
	ct_buf_free(&out);
}

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
	else if (argc > 1 && strcmp(argv[1], "--principal") == 0)
		mode = 3;
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
		} else if (mode == 3) {
			principals(in.data ? in.data : "", in.len, &err);
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
