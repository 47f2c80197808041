/*
 * trails.c - CloudTrail DescribeTrails (see trails.h).
 */
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "json.h"
#include "trails.h"
#include "xalloc.h"

#define TRAILS_TARGET \
	"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails"
#define MAX_TRAILS	10000

static char *
dup_str(const struct ct_jnode *o, const char *key)
{
	const char *s = ct_json_get_str(o, key);

	return s != NULL && s[0] != '\0' ? xstrdup(s) : NULL;
}

void
ct_trails_free(struct ct_trails *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].arn);
		free(t->v[i].bucket);
		free(t->v[i].prefix);
		free(t->v[i].home_region);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int
ct_trails_parse(const char *p, size_t n, struct ct_trails *t,
    struct ct_buf *why)
{
	struct ct_jdoc *d;
	const struct ct_jnode *root, *list, *e, *org;

	t->v = NULL;
	t->n = 0;
	if ((d = ct_json_parse(p, n, why)) == NULL)
		return -1;
	root = ct_json_root(d);
	list = root->type == CT_JOBJECT ? ct_json_get(root, "trailList") :
	    NULL;
	if (list == NULL || list->type != CT_JARRAY) {
		ct_buf_adds(why, "no trailList array");
		goto bad;
	}
	if (list->nchild > MAX_TRAILS) {
		ct_buf_adds(why, "more than 10000 trails");
		goto bad;
	}
	t->v = xcalloc(list->nchild + 1, sizeof(*t->v));
	for (e = list->child; e != NULL; e = e->next) {
		struct ct_trail *tr = &t->v[t->n];

		if (e->type != CT_JOBJECT || ct_json_get_str(e, "Name") ==
		    NULL || ct_json_get_str(e, "Name")[0] == '\0') {
			ct_buf_adds(why, "a trail without a Name");
			goto bad;
		}
		t->n++;
		tr->name = dup_str(e, "Name");
		tr->arn = dup_str(e, "TrailARN");
		tr->bucket = dup_str(e, "S3BucketName");
		tr->prefix = dup_str(e, "S3KeyPrefix");
		tr->home_region = dup_str(e, "HomeRegion");
		org = ct_json_get(e, "IsOrganizationTrail");
		tr->organization = org != NULL && org->type == CT_JTRUE;
	}
	ct_json_free(d);
	return 0;
bad:
	ct_json_free(d);
	ct_trails_free(t);
	return -1;
}

int
ct_trails_describe(struct ct_aws *c, struct ct_trails *t,
    struct ct_aws_error *err)
{
	static const char body[] = "{\"includeShadowTrails\":true}";
	struct ct_buf out, why;
	int rc;

	t->v = NULL;
	t->n = 0;
	ct_buf_init(&out, 0);
	ct_buf_init(&why, 0);
	rc = ct_aws_call_json(c, "cloudtrail", TRAILS_TARGET, body,
	    sizeof(body) - 1, 1, &out, err);
	if (rc == 0 && ct_trails_parse(out.data ? out.data : "", out.len, t,
	    &why) != 0) {
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "DescribeTrails: %s", why.data ? why.data : "unreadable");
		rc = -1;
	}
	ct_buf_free(&out);
	ct_buf_free(&why);
	return rc;
}

const struct ct_trail *
ct_trails_pick(const struct ct_trails *t, const char *want,
    struct ct_buf *why)
{
	const struct ct_trail *hit = NULL;
	size_t i, ns = 0;

	for (i = 0; i < t->n; i++) {
		const struct ct_trail *tr = &t->v[i];

		if (want != NULL) {
			if (strcmp(tr->name, want) == 0 ||
			    (tr->arn != NULL && strcmp(tr->arn, want) == 0))
				hit = tr;
			continue;
		}
		if (tr->bucket != NULL) {
			hit = tr;
			ns++;
		}
	}
	if (want != NULL) {
		if (hit == NULL)
			ct_buf_printf(why, "no trail named %.200s", want);
		else if (hit->bucket == NULL) {
			ct_buf_printf(why, "trail %.200s logs to no S3 bucket",
			    want);
			hit = NULL;
		}
		return hit;
	}
	if (ns == 1)
		return hit;
	if (ns == 0) {
		ct_buf_adds(why, "no trail logs to S3");
		return NULL;
	}
	ct_buf_adds(why, "several trails log to S3, name one with --trail "
	    "NAME:");
	for (i = 0; i < t->n; i++)
		if (t->v[i].bucket != NULL)
			ct_buf_printf(why, " %.200s", t->v[i].name);
	return NULL;
}
