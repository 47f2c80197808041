/* awsacct.c - see awsacct.h */
#include <stdlib.h>
#include <string.h>

#include "awsacct.h"
#include "awserr.h"
#include "endpoint.h"
#include "http.h"
#include "xalloc.h"
#include "xml.h"

/* ---- STS GetCallerIdentity ------------------------------------------------- */

static int
xml_field(const char *doc, size_t n, const char *tag, char *dst, size_t sz)
{
	struct ct_buf v;
	int rc;

	ct_buf_init(&v, 64 * 1024);
	rc = ct_xml_get(doc, n, tag, &v);
	if (rc == 1 && v.len < sz)
		memcpy(dst, v.data, v.len + 1);
	else
		rc = 0;
	ct_buf_free(&v);
	return rc == 1 ? 0 : -1;
}

int
ct_aws_get_caller_identity(struct ct_aws *c, struct ct_aws_identity *out,
    struct ct_aws_error *err)
{
	struct ct_buf body;
	size_t pos = 0, n;
	const char *r;
	int rc;

	memset(out, 0, sizeof(*out));
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = ct_aws_call_query(c, "sts",
	    "Action=GetCallerIdentity&Version=2011-06-15", 1, &body, err);
	if (rc == 0) {
		if (ct_xml_next(body.data, body.len, &pos,
		    "GetCallerIdentityResult", &r, &n) != 1 ||
		    xml_field(r, n, "Account", out->account,
		    sizeof(out->account)) != 0 ||
		    xml_field(r, n, "Arn", out->arn, sizeof(out->arn)) != 0) {
			ct_awserr_set(err, CT_AWS_OTHER, "InvalidResponse",
			    "sts GetCallerIdentity (%s): answer without "
			    "Account and Arn", ct_aws_region(c));
			rc = -1;
		} else
			(void)xml_field(r, n, "UserId", out->user_id,
			    sizeof(out->user_id));
	}
	ct_buf_free(&body);
	return rc;
}

/* ---- EC2 DescribeRegions ------------------------------------------------- */

static int
region_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ct_aws_region *)a)->name,
	    ((const struct ct_aws_region *)b)->name);
}

static char *
xml_dup(const char *doc, size_t n, const char *tag)
{
	struct ct_buf v;

	ct_buf_init(&v, 64 * 1024);
	if (ct_xml_get(doc, n, tag, &v) != 1) {
		ct_buf_free(&v);
		return NULL;
	}
	if (v.data == NULL)
		return xstrdup("");
	return v.data;
}

void
ct_aws_regions_free(struct ct_aws_region *r, size_t n)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].opt_in_status);
		free(r[i].endpoint);
	}
	free(r);
}

int
ct_aws_describe_regions(struct ct_aws *c, int all, struct ct_aws_region **out,
    size_t *n, struct ct_aws_error *err)
{
	struct ct_buf body;
	struct ct_aws_region *v = NULL;
	size_t nv = 0, cap = 0, pos = 0, ilen, ipos, len;
	const char *info, *item;
	int rc, r;

	*out = NULL;
	*n = 0;
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = ct_aws_call_query(c, "ec2", all ?
	    "Action=DescribeRegions&Version=2016-11-15&AllRegions=true" :
	    "Action=DescribeRegions&Version=2016-11-15", 1, &body, err);
	if (rc != 0)
		goto out;
	if (ct_xml_next(body.data, body.len, &pos, "regionInfo", &info,
	    &ilen) != 1) {
		ct_awserr_set(err, CT_AWS_OTHER, "InvalidResponse",
		    "ec2 DescribeRegions (%s): answer without regionInfo",
		    ct_aws_region(c));
		rc = -1;
		goto out;
	}
	ipos = 0;
	while ((r = ct_xml_next(info, ilen, &ipos, "item", &item, &len)) == 1) {
		char *name = xml_dup(item, len, "regionName");

		if (name == NULL || !ct_endpoint_valid_region(name)) {
			free(name);
			continue;
		}
		if (nv == cap) {
			cap = cap ? cap * 2 : 32;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[nv].name = name;
		v[nv].opt_in_status = xml_dup(item, len, "optInStatus");
		if (v[nv].opt_in_status == NULL)
			v[nv].opt_in_status = xstrdup("opt-in-not-required");
		v[nv].endpoint = xml_dup(item, len, "regionEndpoint");
		if (v[nv].endpoint == NULL)
			v[nv].endpoint = xstrdup("");
		nv++;
	}
	if (r < 0) {
		ct_aws_regions_free(v, nv);
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "ec2 DescribeRegions (%s): malformed answer", ct_aws_region(c));
		rc = -1;
		goto out;
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), region_cmp);
	*out = v;
	*n = nv;
out:
	ct_buf_free(&body);
	return rc;
}
