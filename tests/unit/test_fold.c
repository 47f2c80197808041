/* test_fold.c - records into counts: the fold's rules and its metadata. */
#include <string.h>

#include "check.h"
#include "fold.h"
#include "strmap.h"
#include "summary.h"

static struct ct_str
S(const char *s)
{
	struct ct_str r = { s, s ? strlen(s) : 0 };

	return r;
}

/* A record: source, name, region, error code; the rest plain. */
static struct ct_record
rec(const char *src, const char *name, const char *region, const char *err)
{
	struct ct_record r;

	memset(&r, 0, sizeof(r));
	r.event_source = S(src);
	r.event_name = S(name);
	r.aws_region = S(region);
	r.error_code = S(err);
	r.failed = err != NULL;
	r.event_time = S("2026-01-02T03:04:05Z");
	r.event_id = S("id-1");
	r.recipient_account_id = S("111122223333");
	r.id.present = 1;
	r.id.type = S("IAMUser");
	r.id.account_id = S("111122223333");
	r.id.user_name = S("alice");
	return r;
}

/* Count of sec/cat/key, through a visit of the section. */
static const char *want_cat, *want_key;
static uint64_t got;

static int
visit(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *it, size_t n)
{
	size_t i;

	if (catn != strlen(want_cat) || memcmp(cat, want_cat, catn) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (it[i].keyn == strlen(want_key) &&
		    memcmp(it[i].key, want_key, it[i].keyn) == 0)
			got = it[i].count;
	return 0;
}

static uint64_t
count(const struct ct_fold *f, enum ct_section sec, const char *cat,
    const char *key)
{
	want_cat = cat;
	want_key = key;
	got = 0;
	ct_summary_visit(f->sum, sec, visit, NULL);
	return got;
}

int
main(void)
{
	struct ct_fold_opts o;
	struct ct_fold f, g;
	struct ct_fold_stream st, unk;
	struct ct_record r;
	struct ct_buf err;
	const char *ctl;

	memset(&o, 0, sizeof(o));
	ct_buf_init(&err, 0);
	ct_fold_stream_init(&st, 1);
	ct_fold_stream_init(&unk, 0);

	/* the five maps */
	ct_fold_init(&f, &o);
	r = rec("s3.amazonaws.com", "GetObject", "eu-west-1", "AccessDenied");
	r.source_ip = S("10.1.2.3");
	r.user_agent = S("aws-cli/2");
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_COUNTED, "record counted");
	CHECK(count(&f, CT_API_CALLS_BY_PRINCIPAL, "111122223333:user/alice",
	    "s3.amazonaws.com:GetObject") == 1, "api_calls_by_principal");
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "eu-west-1",
	    "s3.amazonaws.com:GetObject") == 1, "api_calls_by_region");
	CHECK(count(&f, CT_IP_ADDRESSES_BY_PRINCIPAL, "111122223333:user/alice",
	    "10.1.2.3") == 1, "ip_addresses_by_principal");
	CHECK(count(&f, CT_USER_AGENTS_BY_PRINCIPAL, "111122223333:user/alice",
	    "aws-cli/2") == 1, "user_agents_by_principal");
	CHECK(count(&f, CT_ERROR_CODES_BY_PRINCIPAL, "111122223333:user/alice",
	    "s3.amazonaws.com:AccessDenied") == 1, "error_codes_by_principal");

	/* missing ip / agent: Unknown; responseElements.errorCode; none */
	r = rec("ec2.amazonaws.com", "RunInstances", "us-east-1", NULL);
	r.resp_error_code = S("Client.Unsupported");
	r.failed = 1;
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_IP_ADDRESSES_BY_PRINCIPAL, "111122223333:user/alice",
	    "Unknown") == 1, "missing sourceIPAddress: Unknown");
	CHECK(count(&f, CT_USER_AGENTS_BY_PRINCIPAL, "111122223333:user/alice",
	    "Unknown") == 1, "missing userAgent: Unknown");
	CHECK(count(&f, CT_ERROR_CODES_BY_PRINCIPAL, "111122223333:user/alice",
	    "ec2.amazonaws.com:Client.Unsupported") == 1,
	    "responseElements.errorCode when errorCode is missing");
	r = rec("ec2.amazonaws.com", "RunInstances", "us-east-1", "Top");
	r.resp_error_code = S("Inner");
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_ERROR_CODES_BY_PRINCIPAL, "111122223333:user/alice",
	    "ec2.amazonaws.com:Top") == 1 &&
	    count(&f, CT_ERROR_CODES_BY_PRINCIPAL, "111122223333:user/alice",
	    "ec2.amazonaws.com:Inner") == 0, "errorCode wins over the inner one");

	/* not API calls */
	r = rec(NULL, "X", "r", NULL);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_SKIPPED,
	    "no eventSource: skipped");
	r = rec("s", NULL, "r", NULL);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_SKIPPED,
	    "no eventName: skipped");
	CHECK(f.sum->meta.records_skipped == 2 && f.sum->meta.records_counted == 3,
	    "skipped and counted in the metadata");

	/* region: awsRegion, else the stream's only open region, else unknown */
	r = rec("s", "n", NULL, NULL);
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "unknown", "s:n") == 1,
	    "no awsRegion, no stream region: unknown");
	CHECK(ct_fold_record(&f, &unk, &r, 0) == CT_FOLD_NEED_STATE &&
	    f.sum->meta.records_counted == 4,
	    "unknown stream state: NEED_STATE and nothing counted");
	ctl = "{\"ctFetch\":\"start\",\"version\":1,\"region\":\"eu-north-1\","
	    "\"accountId\":\"111122223333\",\"callerArn\":\"arn:aws:iam::1:user/a\","
	    "\"window\":{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-03T00:00:00Z\"},"
	    "\"runTimestamp\":\"2026-01-03T00:00:00Z\"}";
	CHECK(ct_fold_control(&f, &unk, ctl, strlen(ctl), &err) ==
	    CT_FOLD_NEED_STATE, "control record with unknown state: NEED_STATE");
	CHECK(ct_fold_control(&f, &st, ctl, strlen(ctl), &err) == CT_FOLD_COUNTED,
	    "start control record used");
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "eu-north-1", "s:n") == 1,
	    "no awsRegion inside a ct-fetch stream: the stream's region");
	ctl = "{\"ctFetch\":\"start\",\"version\":1,\"region\":\"eu-south-1\"}";
	ct_fold_control(&f, &st, ctl, strlen(ctl), &err);
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "unknown", "s:n") == 2,
	    "two regions open: unknown");
	ctl = "{\"ctFetch\":\"end\",\"version\":1,\"region\":\"eu-south-1\","
	    "\"status\":\"failed\",\"errorCode\":\"AccessDenied\"}";
	ct_fold_control(&f, &st, ctl, strlen(ctl), &err);
	ct_fold_record(&f, &st, &r, 0);
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "eu-north-1", "s:n") == 2,
	    "after one ends, the other is the region again");
	ct_meta_settle(&f.sum->meta);
	{
		struct ct_strmap_entry *e = ct_strmap_find(
		    f.sum->meta.regions_failed, "eu-south-1", 10);

		CHECK(e != NULL && strcmp(e->val.ptr, "AccessDenied") == 0,
		    "failed region recorded with its error");
	}
	CHECK(f.sum->meta.account_principal != NULL &&
	    strcmp(f.sum->meta.account_principal, "arn:aws:iam::1:user/a") == 0,
	    "callerArn is the account principal");
	ctl = "{\"ctFetch\":\"pause\",\"version\":1}";
	CHECK(ct_fold_control(&f, &st, ctl, strlen(ctl), &err) == CT_FOLD_UNKNOWN,
	    "unknown control kind");
	ctl = "{\"ctFetch\":\"start\",\"version\":2}";
	CHECK(ct_fold_control(&f, &st, ctl, strlen(ctl), &err) == CT_FOLD_UNKNOWN,
	    "unknown control version");
	ct_fold_finish(&f, 0);
	CHECK(f.sum->meta.have_from && f.sum->meta.from == 1767225600 &&
	    f.sum->meta.to == 1767398400,
	    "window from the control records, not the event times");
	CHECK(f.sum->meta.run_timestamp == 1767398400,
	    "run timestamp from the control record");
	ct_fold_free(&f);

	/* activity, window, dedup */
	o.activity = CT_ACTIVITY_SUCCESSFUL;
	ct_fold_init(&f, &o);
	r = rec("s", "n", "r", "Err");
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_FILTERED,
	    "SUCCESSFUL drops a failed call");
	r = rec("s", "n", "r", NULL);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_COUNTED,
	    "SUCCESSFUL keeps a good call");
	ct_fold_free(&f);
	o.activity = CT_ACTIVITY_FAILED;
	ct_fold_init(&f, &o);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_FILTERED,
	    "FAILED drops a good call");
	ct_fold_free(&f);
	memset(&o, 0, sizeof(o));
	o.have_start = o.have_end = 1;
	o.start = 1767322800;	/* 2026-01-02T03:00:00Z */
	o.end = 1767323045;	/* 03:04:05, inclusive */
	ct_fold_init(&f, &o);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_COUNTED,
	    "inside the window (end inclusive)");
	r.event_time = S("2026-01-02T03:04:06Z");
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_FILTERED,
	    "after the window");
	r.event_time = S(NULL);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_FILTERED,
	    "no eventTime: outside any window");
	r.event_time = S("yesterday");
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_FILTERED,
	    "unparseable eventTime: outside any window");
	ct_fold_free(&f);
	memset(&o, 0, sizeof(o));
	o.dedup = 1;
	ct_fold_init(&f, &o);
	r = rec("s", "n", "r", NULL);
	ct_fold_record(&f, &st, &r, 0);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_DUPLICATE,
	    "--dedup: second eventID dropped");
	r.event_id = S(NULL);
	CHECK(ct_fold_record(&f, &st, &r, 0) == CT_FOLD_COUNTED &&
	    ct_fold_record(&f, &st, &r, 0) == CT_FOLD_COUNTED,
	    "--dedup: records without eventID all count");
	ct_fold_free(&f);

	/* account agreement and the event-time window; merge */
	memset(&o, 0, sizeof(o));
	ct_fold_init(&f, &o);
	ct_fold_init(&g, &o);
	r = rec("s", "n", "r", NULL);
	ct_fold_record(&f, &st, &r, 2);
	r.event_time = S("2026-01-05T00:00:00Z");
	ct_fold_record(&g, &st, &r, 0);
	ct_fold_merge(&f, &g);
	ct_fold_finish(&f, 42);
	CHECK(f.sum->meta.account_state == CT_AGREE_SET &&
	    strcmp(f.sum->meta.account_id, "111122223333") == 0,
	    "accounts agree: account_id set");
	CHECK(f.sum->meta.from == 1767323045 && f.sum->meta.to == 1767571200,
	    "window: earliest and latest eventTime, across merged folds");
	CHECK(f.sum->meta.run_timestamp == 42, "run timestamp: now");
	CHECK(f.sum->meta.strings_repaired == 2, "repairs counted");
	CHECK(count(&f, CT_API_CALLS_BY_REGION, "r", "s:n") == 2, "merged counts");
	r.recipient_account_id = S("999999999999");
	ct_fold_record(&f, &st, &r, 0);
	CHECK(f.sum->meta.account_state == CT_AGREE_CONFLICT,
	    "accounts disagree: conflict (written as null)");
	ct_fold_free(&f);
	ct_fold_free(&g);

	ct_fold_stream_free(&st);
	ct_fold_stream_free(&unk);
	ct_buf_free(&err);
	return check_done();
}
