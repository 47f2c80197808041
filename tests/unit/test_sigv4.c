/*
 * test_sigv4.c - SigV4 against AWS's documented examples and, when
 * ../shared/testdata/sigv4 exists, every case of the two official suites
 * (botocore's aws4_testsuite and aws-c-auth's v4; the v4a cases are
 * ECDSA-signed and skipped).
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "buf.h"
#include "sigv4.h"
#include "xalloc.h"

#define AKID	"AKIDEXAMPLE"
#define SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_2015	((time_t)1440938160)	/* 2015-08-30T12:36:00Z */

/* ---- typed-in examples ---------------------------------------------- */

static void
documented_examples(void)
{
	struct ct_sigv4_header h[2];
	struct ct_sigv4_input in;
	struct ct_sigv4_output out;
	char hash[65];

	/* The get-vanilla example of the AWS docs' SigV4 test suite. */
	memset(&in, 0, sizeof(in));
	h[0].name = "Host";
	h[0].value = "example.amazonaws.com";
	in.method = "GET";
	in.path = "/";
	in.hdr = h;
	in.nhdr = 1;
	in.access_key = AKID;
	in.secret_key = SECRET;
	in.region = "us-east-1";
	in.service = "service";
	in.when = T_2015;
	ct_sigv4_output_init(&out);
	CHECK(ct_sigv4_sign(&in, &out) == 0, "get-vanilla: signs");
	CHECK_STR(out.creq.data, "GET\n/\n\nhost:example.amazonaws.com\n"
	    "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "get-vanilla: canonical request");
	CHECK_STR(out.sts.data, "AWS4-HMAC-SHA256\n20150830T123600Z\n"
	    "20150830/us-east-1/service/aws4_request\n"
	    "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
	    "get-vanilla: string to sign");
	CHECK_STR(out.authorization.data, "AWS4-HMAC-SHA256 Credential="
	    "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature="
	    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	    "get-vanilla: Authorization");
	CHECK(out.add_date && !out.add_token, "get-vanilla: adds X-Amz-Date only");
	CHECK_STR(out.amz_date, "20150830T123600Z", "get-vanilla: X-Amz-Date");

	/* The same with the session token of the suite's token case. */
	in.token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
	CHECK(ct_sigv4_sign(&in, &out) == 0 && out.add_token,
	    "session token: signs and sends X-Amz-Security-Token");
	CHECK(strstr(out.authorization.data,
	    "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="
	    "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
	    != NULL, "session token: signature of get-vanilla-with-session-token");
	in.token = NULL;

	/* The IAM ListUsers example of the AWS General Reference (2015). */
	h[0].name = "Content-Type";
	h[0].value = "application/x-www-form-urlencoded; charset=utf-8";
	h[1].name = "Host";
	h[1].value = "iam.amazonaws.com";
	in.nhdr = 2;
	in.query = "Action=ListUsers&Version=2010-05-08";
	in.service = "iam";
	CHECK(ct_sigv4_sign(&in, &out) == 0, "ListUsers: signs");
	ct_sigv4_sha256_hex(out.creq.data, out.creq.len, hash);
	CHECK_STR(hash,
	    "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
	    "ListUsers: canonical request hash");
	CHECK_STR(out.signature,
	    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
	    "ListUsers: signature");

	/* Encoding rules. */
	{
		struct ct_buf b;

		ct_buf_init(&b, 0);
		ct_sigv4_uri_encode(&b, "a b/~*+=\xe1\x88\xb4", 11, 1);
		CHECK_STR(b.data, "a%20b/~%2A%2B%3D%E1%88%B4", "%s",
		    "uri_encode: space, *, +, =, UTF-8; slash kept");
		ct_buf_free(&b);
	}
	in.nhdr = 1;
	h[0].name = "Host";
	h[0].value = "example.amazonaws.com";
	in.query = "b=2&a=%zz";
	CHECK(ct_sigv4_sign(&in, &out) == -1 && out.signature[0] == '\0',
	    "malformed percent-escape in the query is refused");
	ct_sigv4_output_free(&out);
}

/* ---- the suites ------------------------------------------------------ */

/* snprintf into a PATH_SZ buffer, without truncation warnings: paths
 * here are short, and an overlong one just fails to open. */
#define PATH_SZ	4096
static void __attribute__((format(printf, 2, 3)))
pathf(char *dst, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, PATH_SZ, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_SZ)
		dst[0] = '\0';
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long sz;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	p = xmalloc((size_t)sz + 1);
	*n = fread(p, 1, (size_t)sz, f);
	p[*n] = '\0';
	fclose(f);
	return p;
}

struct req {
	char	*text;
	char	*method;
	char	*path;
	char	*query;
	struct ct_sigv4_header h[32];
	size_t	 nh;
	char	*body;
	size_t	 bodylen;
};

/* Parse a raw request: request line, headers (folded lines kept with
 * their newline), blank line, body. */
static int
parse_req(struct req *r, const char *path)
{
	size_t n;
	char *p, *eol, *sp, *q;

	memset(r, 0, sizeof(*r));
	if ((r->text = slurp(path, &n)) == NULL)
		return -1;
	p = r->text;
	eol = strchr(p, '\n');
	if (eol == NULL)
		eol = p + strlen(p);
	*eol = '\0';
	sp = strchr(p, ' ');
	q = strstr(p, " HTTP/");
	if (sp == NULL || q == NULL)
		return -1;
	*sp = '\0';
	*q = '\0';
	r->method = p;
	r->path = sp + 1;
	if ((q = strchr(r->path, '?')) != NULL) {
		*q = '\0';
		r->query = q + 1;
	}
	p = eol + 1;
	if (p > r->text + n)
		p = r->text + n;
	while (*p != '\0' && *p != '\n') {
		char *colon;

		eol = strchr(p, '\n');
		/* Fold continuation lines into this header. */
		while (eol != NULL && (eol[1] == ' ' || eol[1] == '\t'))
			eol = strchr(eol + 1, '\n');
		colon = strchr(p, ':');
		if (colon == NULL || (eol != NULL && colon > eol) || r->nh == 32)
			return -1;
		*colon = '\0';
		r->h[r->nh].name = p;
		r->h[r->nh].value = colon + 1;
		r->nh++;
		if (eol == NULL) {
			p += strlen(p);
			break;
		}
		*eol = '\0';
		p = eol + 1;
	}
	if (*p == '\n') {
		r->body = p + 1;
		r->bodylen = strlen(r->body);
	}
	return 0;
}

static int
file_eq(const char *path, const char *got, const char *what, const char *name)
{
	size_t n;
	char *want = slurp(path, &n);
	int ok;

	if (want == NULL) {
		CHECK(0, "%s: %s: cannot read %s", name, what, path);
		return 0;
	}
	ok = got != NULL && strcmp(got, want) == 0;
	CHECK(ok, "%s: %s", name, what);
	if (!ok)
		printf("#   got:\n%s\n#   want:\n%s\n", got ? got : "(null)", want);
	free(want);
	return ok;
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted subdirectory names of dir. */
static char **
subdirs(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, path[4096];
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		pathf(path, "%s/%s", dir, e->d_name);
		if (!is_dir(path))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), namecmp);
	return v;
}

/* botocore layout: <case>/<case>.req ... (cases may nest one level). */
static int
aws4_case(const char *dir, const char *name)
{
	char path[4096], base[4096];
	struct req r;
	struct ct_sigv4_input in;
	struct ct_sigv4_output out;
	int ok = 1;

	pathf(base, "%s/%s", dir, name);
	pathf(path, "%s/%s.req", base, name);
	if (access(path, R_OK) != 0)
		return -1;
	if (parse_req(&r, path) != 0) {
		CHECK(0, "aws4_testsuite/%s: request parses", name);
		free(r.text);
		return 0;
	}
	memset(&in, 0, sizeof(in));
	in.method = r.method;
	in.path = r.path;
	in.query = r.query;
	in.hdr = r.h;
	in.nhdr = r.nh;
	in.body = r.body;
	in.bodylen = r.bodylen;
	in.access_key = AKID;
	in.secret_key = SECRET;
	in.region = "us-east-1";
	in.service = "service";
	in.when = T_2015;
	if (strcmp(name, "get-vanilla-with-session-token") == 0)
		in.token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
	ct_sigv4_output_init(&out);
	if (ct_sigv4_sign(&in, &out) != 0)
		ok = 0;
	pathf(path, "%s/%s.creq", base, name);
	ok &= file_eq(path, out.creq.data, "canonical request", name);
	pathf(path, "%s/%s.sts", base, name);
	ok &= file_eq(path, out.sts.data, "string to sign", name);
	pathf(path, "%s/%s.authz", base, name);
	ok &= file_eq(path, out.authorization.data, "Authorization", name);
	ct_sigv4_output_free(&out);
	free(r.text);
	return ok;
}

static int
walk_aws4(const char *dir, const char *prefix, int *cases)
{
	size_t n, i;
	char **v = subdirs(dir, &n), sub[4096];

	for (i = 0; i < n; i++) {
		if (aws4_case(dir, v[i]) < 0) {
			pathf(sub, "%s/%s", dir, v[i]);
			walk_aws4(sub, v[i], cases);
		} else
			(*cases)++;
		free(v[i]);
	}
	free(v);
	return 0;
}

/* Value of "key": "..." or "key": true/false in a small JSON file; the
 * context files are flat apart from "credentials". */
static char *
ctx_get(const char *json, const char *key)
{
	char pat[128];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((p = strstr(json, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	while (*p == ' ' || *p == ':' || *p == '\n')
		p++;
	if (*p == '"') {
		e = strchr(p + 1, '"');
		return e ? xstrndup(p + 1, (size_t)(e - p - 1)) : NULL;
	}
	e = p;
	while (*e && *e != ',' && *e != '\n' && *e != '}')
		e++;
	return xstrndup(p, (size_t)(e - p));
}

static void
crt_case(const char *dir, const char *name)
{
	char path[4096], *ctx, *akid, *secret, *token, *region, *service, *ts;
	char *norm, *signbody, *omit, *expires;
	struct req r;
	struct ct_sigv4_input in;
	struct ct_sigv4_output out;
	struct tm tm;
	size_t n;
	int mode;

	pathf(path, "%s/%s/context.json", dir, name);
	if ((ctx = slurp(path, &n)) == NULL) {
		CHECK(0, "v4/%s: context.json readable", name);
		return;
	}
	pathf(path, "%s/%s/request.txt", dir, name);
	if (parse_req(&r, path) != 0) {
		CHECK(0, "v4/%s: request parses", name);
		free(ctx);
		free(r.text);
		return;
	}
	akid = ctx_get(ctx, "access_key_id");
	secret = ctx_get(ctx, "secret_access_key");
	token = ctx_get(ctx, "token");
	region = ctx_get(ctx, "region");
	service = ctx_get(ctx, "service");
	ts = ctx_get(ctx, "timestamp");
	norm = ctx_get(ctx, "normalize");
	signbody = ctx_get(ctx, "sign_body");
	omit = ctx_get(ctx, "omit_session_token");
	expires = ctx_get(ctx, "expiration_in_seconds");
	memset(&tm, 0, sizeof(tm));
	if (ts == NULL || strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) {
		CHECK(0, "v4/%s: timestamp", name);
		goto out;
	}
	for (mode = 0; mode < 2; mode++) {
		const char *pre = mode ? "query" : "header";
		char sig[128];

		memset(&in, 0, sizeof(in));
		in.method = r.method;
		in.path = r.path;
		in.query = r.query;
		in.hdr = r.h;
		in.nhdr = r.nh;
		in.body = r.body;
		in.bodylen = r.bodylen;
		in.access_key = akid;
		in.secret_key = secret;
		in.token = token;
		in.region = region;
		in.service = service;
		in.when = timegm(&tm);
		if (norm && strcmp(norm, "false") == 0)
			in.flags |= CT_SIGV4_NO_NORMALIZE;
		if (signbody && strcmp(signbody, "true") == 0 && mode == 0)
			in.flags |= CT_SIGV4_SIGN_BODY;
		if (omit && strcmp(omit, "true") == 0)
			in.flags |= CT_SIGV4_TOKEN_AFTER;
		if (mode) {
			in.flags |= CT_SIGV4_QUERY;
			in.expires = expires ? atol(expires) : 3600;
		}
		ct_sigv4_output_init(&out);
		CHECK(ct_sigv4_sign(&in, &out) == 0, "v4/%s: %s: signs", name, pre);
		pathf(path, "%s/%s/%s-canonical-request.txt",
		    dir, name, pre);
		snprintf(sig, sizeof(sig), "%s: canonical request", pre);
		file_eq(path, out.creq.data, sig, name);
		pathf(path, "%s/%s/%s-string-to-sign.txt",
		    dir, name, pre);
		snprintf(sig, sizeof(sig), "%s: string to sign", pre);
		file_eq(path, out.sts.data, sig, name);
		pathf(path, "%s/%s/%s-signature.txt", dir, name,
		    pre);
		snprintf(sig, sizeof(sig), "%s: signature", pre);
		file_eq(path, out.signature, sig, name);
		ct_sigv4_output_free(&out);
	}
out:
	free(akid);
	free(secret);
	free(token);
	free(region);
	free(service);
	free(ts);
	free(norm);
	free(signbody);
	free(omit);
	free(expires);
	free(ctx);
	free(r.text);
}

static void
suites(void)
{
	const char *env = getenv("CT_SHARED");
	char root[4096], dir[4096];
	size_t n, i;
	char **v;
	int cases = 0;

	pathf(root, "%s/testdata/sigv4",
	    env ? env : "../shared");
	if (!is_dir(root)) {
		printf("ok %d - official SigV4 suites # SKIP %s not present\n",
		    ++check_n, root);
		return;
	}
	pathf(dir, "%s/aws4_testsuite", root);
	walk_aws4(dir, "", &cases);
	CHECK(cases >= 30, "aws4_testsuite: %d cases found", cases);

	pathf(dir, "%s/aws-c-auth-signing-test-suite/v4", root);
	v = subdirs(dir, &n);
	for (i = 0; i < n; i++) {
		crt_case(dir, v[i]);
		free(v[i]);
	}
	free(v);
	CHECK(n >= 30, "aws-c-auth v4: %zu cases found", n);

	pathf(dir, "%s/aws-c-auth-signing-test-suite/v4a", root);
	v = subdirs(dir, &n);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	printf("ok %d - aws-c-auth v4a: %zu cases # SKIP SigV4a (ECDSA) is "
	    "not implemented: ct-tools signs with SigV4 only\n", ++check_n, n);
}

/* ---- the signing-key cache --------------------------------------- */

/* Every signature made with a cache is the one made without: as long as
 * the secret, day, region and service stay, and after each changes. */
static void
key_cache(void)
{
	static const struct {
		const char *secret, *region, *service;
		time_t when;
	} steps[] = {
		{ SECRET, "us-east-1", "s3", T_2015 },
		{ SECRET, "us-east-1", "s3", T_2015 + 60 },
		{ "another/secret+key", "us-east-1", "s3", T_2015 + 120 },
		{ SECRET, "us-east-1", "s3", T_2015 + 180 },
		{ SECRET, "eu-west-1", "s3", T_2015 + 240 },
		{ SECRET, "eu-west-1", "sts", T_2015 + 300 },
		{ SECRET, "eu-west-1", "sts", T_2015 + 86400 },
		{ SECRET, "eu-west-1", "sts", T_2015 + 86460 },
	};
	struct ct_sigv4_header h[1];
	struct ct_sigv4_cache cache;
	struct ct_sigv4_input in;
	struct ct_sigv4_output plain, cached;
	size_t i;
	char name[64];

	memset(&cache, 0, sizeof(cache));
	memset(&in, 0, sizeof(in));
	h[0].name = "Host";
	h[0].value = "bucket.s3.amazonaws.com";
	in.method = "GET";
	in.path = "/AWSLogs/";
	in.hdr = h;
	in.nhdr = 1;
	in.access_key = AKID;
	in.flags = CT_SIGV4_NO_NORMALIZE | CT_SIGV4_SIGN_BODY;
	ct_sigv4_output_init(&plain);
	ct_sigv4_output_init(&cached);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		in.secret_key = steps[i].secret;
		in.region = steps[i].region;
		in.service = steps[i].service;
		in.when = steps[i].when;
		in.cache = NULL;
		CHECK(ct_sigv4_sign(&in, &plain) == 0, "key cache: signs");
		in.cache = &cache;
		snprintf(name, sizeof(name), "key cache: step %zu", i);
		CHECK(ct_sigv4_sign(&in, &cached) == 0 && cache.valid &&
		    plain.signature[0] != '\0' &&
		    strcmp(plain.signature, cached.signature) == 0, name);
	}
	/* the cache never holds the secret */
	CHECK(memmem(&cache, sizeof(cache), SECRET, strlen(SECRET)) == NULL,
	    "key cache: no secret in it");
	ct_sigv4_cache_wipe(&cache);
	CHECK(!cache.valid, "key cache: wiped");
	ct_sigv4_output_free(&plain);
	ct_sigv4_output_free(&cached);
}

int
main(void)
{
	documented_examples();
	key_cache();
	suites();
	return check_done();
}
