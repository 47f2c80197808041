/* test_trails.c - DescribeTrails answers: the fields ct-fetch --trail
 * reads, and which trail is picked (by name, by ARN, the only one logging
 * to S3, none or several: a reason naming them). */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "trails.h"

static const char two[] =
    "{\"trailList\":[{\"Name\":\"org\",\"S3BucketName\":\"logs-b\","
    "\"S3KeyPrefix\":\"p/q\",\"IsOrganizationTrail\":true,"
    "\"HomeRegion\":\"us-east-1\",\"TrailARN\":"
    "\"arn:aws:cloudtrail:us-east-1:111122223333:trail/org\"},"
    "{\"Name\":\"nolog\",\"IsOrganizationTrail\":false}]}";

int
main(void)
{
	struct ct_trails t;
	struct ct_buf why;
	const struct ct_trail *tr;

	ct_buf_init(&why, 0);
	CHECK(ct_trails_parse(two, strlen(two), &t, &why) == 0, "parses");
	CHECK(t.n == 2, "two trails");
	CHECK_STR(t.v[0].bucket, "logs-b", "the bucket");
	CHECK_STR(t.v[0].prefix, "p/q", "the prefix");
	CHECK(t.v[0].organization == 1 && t.v[1].organization == 0,
	    "IsOrganizationTrail");
	CHECK(t.v[1].bucket == NULL && t.v[1].prefix == NULL,
	    "no bucket: NULL");
	tr = ct_trails_pick(&t, NULL, &why);
	CHECK(tr == &t.v[0], "no name: the one trail logging to S3");
	tr = ct_trails_pick(&t,
	    "arn:aws:cloudtrail:us-east-1:111122223333:trail/org", &why);
	CHECK(tr == &t.v[0], "by ARN");
	ct_buf_reset(&why);
	CHECK(ct_trails_pick(&t, "nolog", &why) == NULL && why.len > 0,
	    "a trail without a bucket: refused with a reason");
	ct_buf_reset(&why);
	CHECK(ct_trails_pick(&t, "x", &why) == NULL &&
	    strstr(why.data, "no trail named x") != NULL, "unknown name");
	ct_trails_free(&t);

	CHECK(ct_trails_parse("{\"trailList\":[{\"Name\":\"a\","
	    "\"S3BucketName\":\"b1\"},{\"Name\":\"c\",\"S3BucketName\":"
	    "\"b2\"}]}", 81, &t, &why) == 0, "two trails logging to S3");
	ct_buf_reset(&why);
	CHECK(ct_trails_pick(&t, NULL, &why) == NULL && why.data != NULL &&
	    strstr(why.data, "several") && strstr(why.data, " a c"),
	    "several, no name: refused, naming them");
	ct_trails_free(&t);

	ct_buf_reset(&why);
	CHECK(ct_trails_parse("{\"trailList\":[]}", 16, &t, &why) == 0 &&
	    ct_trails_pick(&t, NULL, &why) == NULL && why.len > 0,
	    "no trail: a reason");
	ct_trails_free(&t);
	ct_buf_reset(&why);
	CHECK(ct_trails_parse("{\"trailList\":[{\"S3BucketName\":\"b\"}]}",
	    36, &t, &why) == -1 && t.n == 0 && why.len > 0,
	    "a trail without a Name is refused");
	ct_buf_reset(&why);
	CHECK(ct_trails_parse("{\"trails\":[]}", 13, &t, &why) == -1,
	    "no trailList: refused");
	ct_buf_reset(&why);
	CHECK(ct_trails_parse("{\"trailList\":[", 14, &t, &why) == -1,
	    "cut short: refused");
	ct_buf_free(&why);
	return check_done();
}
