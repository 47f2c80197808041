/* lookup.c - CloudTrail LookupEvents: see lookup.h. */
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "http.h"
#include "json.h"
#include "jstr.h"
#include "lookup.h"
#include "xalloc.h"

#define LOOKUP_TARGET \
	"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

void
ct_lookup_page_init(struct ct_lookup_page *p)
{
	memset(p, 0, sizeof(*p));
	ct_buf_init(&p->body, CT_HTTP_MAX_BODY);
}

static void
page_clear(struct ct_lookup_page *p)
{
	ct_json_free(p->priv_);
	p->priv_ = NULL;
	free(p->events);
	p->events = NULL;
	p->nevents = 0;
	p->next_token = NULL;
	ct_buf_reset(&p->body);
}

void
ct_lookup_page_free(struct ct_lookup_page *p)
{
	page_clear(p);
	ct_buf_free(&p->body);
}

static int
parse_page(struct ct_lookup_page *p, struct ct_aws_error *err,
    const char *region)
{
	struct ct_buf jerr;
	struct ct_jdoc *d;
	const struct ct_jnode *root, *ev, *e, *t;
	size_t i;

	ct_buf_init(&jerr, 1024);
	d = ct_json_parse(p->body.data ? p->body.data : "", p->body.len, &jerr);
	if (d == NULL) {
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "cloudtrail LookupEvents (%s): answer is not JSON: %s",
		    region, jerr.data ? jerr.data : "");
		ct_buf_free(&jerr);
		return -1;
	}
	ct_buf_free(&jerr);
	root = ct_json_root(d);
	ev = root && root->type == CT_JOBJECT ? ct_json_get(root, "Events") :
	    NULL;
	if (ev == NULL || ev->type != CT_JARRAY) {
		ct_json_free(d);
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "cloudtrail LookupEvents (%s): answer without an Events "
		    "list", region);
		return -1;
	}
	p->priv_ = d;
	p->events = xcalloc(ev->nchild + 1, sizeof(*p->events));
	for (i = 0, e = ev->child; e != NULL; e = e->next) {
		const char *s;

		if (e->type != CT_JOBJECT)
			continue;
		s = ct_json_get_str(e, "EventId");
		p->events[i].event_id = s ? s : "";
		t = ct_json_get(e, "CloudTrailEvent");
		if (t != NULL && t->type == CT_JSTRING) {
			p->events[i].record = t->str;
			p->events[i].record_len = t->len;
		} else {
			p->events[i].record = "";
			p->events[i].record_len = 0;
		}
		t = ct_json_get(e, "EventTime");
		if (t != NULL && t->type == CT_JNUMBER)
			p->events[i].event_time = strtod(t->str, NULL);
		i++;
	}
	p->nevents = i;
	p->next_token = ct_json_get_str(root, "NextToken");
	if (p->next_token != NULL && *p->next_token == '\0')
		p->next_token = NULL;
	return 0;
}

int
ct_lookup_events(struct ct_aws *c, const struct ct_lookup_req *rq,
    struct ct_lookup_page *page, struct ct_aws_error *err)
{
	struct ct_buf body;
	int rc, max = rq->max_results > 0 && rq->max_results <= 50 ?
	    rq->max_results : 50;

	page_clear(page);
	ct_buf_init(&body, 1 << 20);
	ct_buf_printf(&body, "{\"StartTime\": %lld, \"EndTime\": %lld, "
	    "\"MaxResults\": %d", (long long)rq->start, (long long)rq->end, max);
	if (rq->next_token != NULL && *rq->next_token != '\0') {
		ct_buf_adds(&body, ", \"NextToken\": ");
		if (ct_jstr_encode(&body, rq->next_token,
		    strlen(rq->next_token)) != 0) {
			ct_buf_free(&body);
			ct_awserr_set(err, CT_AWS_OTHER, "InvalidNextToken",
			    "NextToken too long");
			return -1;
		}
	}
	ct_buf_addc(&body, '}');
	rc = ct_aws_call_json(c, "cloudtrail", LOOKUP_TARGET, body.data,
	    body.len, 0, &page->body, err);
	ct_buf_free(&body);
	if (rc == 0)
		rc = parse_page(page, err, ct_aws_region(c));
	return rc;
}
