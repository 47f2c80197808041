/* test_s3list.c - ListObjectsV2 answers: keys, folders, paging; a cut or
 * malformed answer is refused, never read as a shorter listing. */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "s3list.h"

static const char page1[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Name>b</Name><Prefix>AWSLogs/</Prefix><KeyCount>3</KeyCount>"
    "<MaxKeys>3</MaxKeys><Delimiter>/</Delimiter>"
    "<IsTruncated>true</IsTruncated>"
    "<Contents><Key>AWSLogs/a&amp;b.json.gz</Key><LastModified>2024-01-01"
    "T00:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag>"
    "<Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>"
    "<CommonPrefixes><Prefix>AWSLogs/111122223333/</Prefix>"
    "</CommonPrefixes><CommonPrefixes><Prefix>AWSLogs/o-abc/</Prefix>"
    "</CommonPrefixes>"
    "<NextContinuationToken>tok+/=</NextContinuationToken>"
    "</ListBucketResult>";

static int
parse(const char *s, struct ct_s3list *l, struct ct_buf *why)
{
	return ct_s3list_parse(s, strlen(s), l, why);
}

int
main(void)
{
	struct ct_s3list l;
	struct ct_buf why;
	char cut[sizeof page1];

	ct_s3list_init(&l);
	ct_buf_init(&why, 0);
	CHECK(parse(page1, &l, &why) == 0 && l.nobjs == 1 &&
	    strcmp(l.objs[0].key, "AWSLogs/a&b.json.gz") == 0 &&
	    l.objs[0].size == 1234, "a key (entities decoded) and its size");
	CHECK(l.nprefixes == 2 && strcmp(l.prefixes[0],
	    "AWSLogs/111122223333/") == 0 && strcmp(l.prefixes[1],
	    "AWSLogs/o-abc/") == 0, "CommonPrefixes, not the request's "
	    "<Prefix> echo");
	CHECK(l.truncated && l.next_token != NULL &&
	    strcmp(l.next_token, "tok+/=") == 0, "truncated: the token");
	CHECK(parse("<ListBucketResult><IsTruncated>false</IsTruncated>"
	    "<KeyCount>0</KeyCount></ListBucketResult>", &l, &why) == 0 &&
	    l.nobjs == 0 && l.nprefixes == 0 && !l.truncated &&
	    l.next_token == NULL, "an empty folder");
	memcpy(cut, page1, sizeof cut);
	cut[strlen(page1) / 2] = '\0';
	CHECK(parse(cut, &l, &why) == -1 && l.nobjs == 0 &&
	    strstr(why.data, "ListBucketResult") != NULL,
	    "an answer cut in half is refused");
	CHECK(parse("<ListBucketResult><IsTruncated>true</IsTruncated>"
	    "</ListBucketResult>", &l, &why) == -1, "truncated without a "
	    "token is refused (the rest would be lost)");
	CHECK(parse("<ListBucketResult><Contents><Size>1</Size></Contents>"
	    "</ListBucketResult>", &l, &why) == -1, "a <Contents> without "
	    "a key is refused");
	CHECK(parse("<ListBucketResult><Contents><Key>a&#0;b</Key>"
	    "</Contents></ListBucketResult>", &l, &why) == -1,
	    "a key with a NUL reference is refused");
	CHECK(parse("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size>"
	    "</Contents></ListBucketResult>", &l, &why) == -1,
	    "a negative size is refused");
	CHECK(parse("<Error><Code>AccessDenied</Code></Error>", &l,
	    &why) == -1, "an error document is not a listing");
	CHECK(parse("<ListBucketResult><IsTruncated>maybe</IsTruncated>"
	    "</ListBucketResult>", &l, &why) == -1, "IsTruncated neither true "
	    "nor false is refused");
	ct_s3list_free(&l);
	ct_buf_free(&why);
	return check_done();
}
