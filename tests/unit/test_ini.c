/*
 * test_ini.c - the AWS config/credentials file reader on the edge cases
 * the AWS CLI accepts or rejects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "buf.h"
#include "ini.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* i in base 36 (lower case) into s, NUL-terminated; returns s. */
static char *
b36(char *s, unsigned i)
{
	char t[16];
	int n = 0, j = 0;

	do
		t[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36];
	while ((i /= 36) != 0);
	while (n > 0)
		s[j++] = t[--n];
	s[j] = '\0';
	return s;
}

static struct ct_ini *
parse(const char *text, struct ct_buf *err)
{
	struct ct_ini *ini = NULL;

	ct_buf_reset(err);
	if (ct_ini_parse("cfg", text, strlen(text), &ini, err) != 0)
		return NULL;
	return ini;
}

int
main(void)
{
	struct ct_buf err;
	struct ct_ini *ini;
	const struct ct_ini_section *s;
	char path[] = "/tmp/ct-test-ini.XXXXXX";
	int fd;

	ct_buf_init(&err, 0);

	/* Comments, spaces around '=', ':' separator, case of keys. */
	ini = parse("# a comment\n; another\n[default]\n"
	    "  aws_access_key_id=AKID1\n"
	    "Region   =   eu-west-1  \n"
	    "output: json\n"
	    "\n[profile  dev ]\nregion = us-east-2 # not a comment\n", &err);
	CHECK(ini != NULL, "parses comments and spacing");
	s = ct_ini_section(ini, "default");
	CHECK_STR(ct_ini_get(s, "aws_access_key_id"), "AKID1",
	    "indented first key, key=value without spaces");
	CHECK_STR(ct_ini_get(s, "region"), "eu-west-1",
	    "spaces around = trimmed, key lower-cased");
	CHECK_STR(ct_ini_get(s, "output"), "json", "':' separator");
	CHECK(ct_ini_line(s, "output") == 6, "line number of a key");
	s = ct_ini_section(ini, "profile dev");
	CHECK(s != NULL, "[profile  dev ] found as \"profile dev\"");
	CHECK_STR(ct_ini_get(s, "region"), "us-east-2 # not a comment",
	    "'#' after a value is part of it (as in the CLI)");
	CHECK(ct_ini_section(ini, "dev") == NULL,
	    "[profile dev] is not [dev]");
	CHECK(ct_ini_nsections(ini) == 2, "two sections");
	ct_ini_free(ini);

	/* Nested blocks (continuation lines). */
	ini = parse("[profile x]\ns3 =\n  max_concurrent_requests = 20\n"
	    "  addressing_style=path\nregion = eu-west-3\n"
	    "[services svc]\nec2 =\n  endpoint_url = http://127.0.0.1:9\n"
	    "sts=\n\tendpoint_url = http://127.0.0.1:8\n", &err);
	CHECK(ini != NULL, "parses nested blocks");
	s = ct_ini_section(ini, "profile x");
	CHECK_STR(ct_ini_get(s, "s3"), "", "a nested block reads as \"\"");
	CHECK_STR(ct_ini_get_sub(s, "s3", "max_concurrent_requests"), "20",
	    "nested key");
	CHECK_STR(ct_ini_get_sub(s, "s3", "addressing_style"), "path",
	    "nested key without spaces");
	CHECK_STR(ct_ini_get(s, "region"), "eu-west-3",
	    "unindented key after a block is a key again");
	s = ct_ini_section(ini, "services svc");
	CHECK_STR(ct_ini_get_sub(s, "ec2", "endpoint_url"), "http://127.0.0.1:9",
	    "services block, ec2");
	CHECK_STR(ct_ini_get_sub(s, "sts", "endpoint_url"), "http://127.0.0.1:8",
	    "services block, tab-indented");
	CHECK(ct_ini_get_sub(s, "cloudtrail", "endpoint_url") == NULL,
	    "absent service");
	ct_ini_free(ini);

	/* A value continued on the next lines, as ConfigParser reads it:
	 * an indented line after a key continues its value, even after a
	 * blank line or a comment. */
	ini = parse("[a]\nk = one\n  two\n# c\n\n  three = 3\nz=1\n", &err);
	CHECK_STR(ct_ini_get(ct_ini_section(ini, "a"), "k"),
	    "one\ntwo\n\nthree = 3",
	    "continuation joins lines with a newline, keeps blank lines");
	CHECK(ct_ini_get(ct_ini_section(ini, "a"), "three") == NULL,
	    "an indented \"key = value\" after a key is not a key");
	CHECK_STR(ct_ini_get(ct_ini_section(ini, "a"), "z"), "1",
	    "next unindented key");
	ct_ini_free(ini);

	/* Errors with file:line. */
	CHECK(parse("region = x\n[default]\n", &err) == NULL &&
	    strstr(err.data, "cfg:1:") != NULL, "text before a section: %s",
	    err.data);
	CHECK(parse("[default]\nregion = x\njunk line\n", &err) == NULL &&
	    strstr(err.data, "cfg:3:") != NULL, "a line without '=': %s",
	    err.data);
	CHECK(parse("[default]\n[default]\n", &err) == NULL &&
	    strstr(err.data, "cfg:2:") != NULL, "section given twice: %s",
	    err.data);
	CHECK(parse("[a]\nk=1\nK = 2\n", &err) == NULL &&
	    strstr(err.data, "cfg:3:") != NULL, "key given twice: %s", err.data);
	CHECK(parse("[a\nk=1\n", &err) == NULL &&
	    strstr(err.data, "cfg:1:") != NULL, "unclosed header: %s", err.data);
	CHECK(parse("[a]\n= v\n", &err) == NULL, "empty key: %s", err.data);

	/* Empty file, CRLF. */
	ini = parse("", &err);
	CHECK(ini != NULL && ct_ini_nsections(ini) == 0, "empty file is fine");
	ct_ini_free(ini);
	ini = parse("[default]\r\nregion = eu-north-1\r\n", &err);
	CHECK_STR(ct_ini_get(ct_ini_section(ini, "default"), "region"),
	    "eu-north-1", "CRLF line ends");
	ct_ini_free(ini);

	/* Files: missing is not an error, a real file is read. */
	CHECK(ct_ini_load("/nonexistent/ct/config", &ini, &err) == 1 &&
	    ini == NULL, "missing file: 1, no error");
	fd = mkstemp(path);
	if (fd >= 0) {
		const char *t = "[p]\naws_secret_access_key = s3cr3t\n";

		CHECK(write(fd, t, strlen(t)) == (ssize_t)strlen(t), "write");
		close(fd);
		CHECK(ct_ini_load(path, &ini, &err) == 0, "load a file");
		CHECK_STR(ct_ini_get(ct_ini_section(ini, "p"),
		    "aws_secret_access_key"), "s3cr3t", "value from the file");
		CHECK_STR(ct_ini_path(ini), path, "path kept for messages");
		ct_ini_free(ini);
		unlink(path);
	}
	/*
	 * Large files are read in time linear in their size: 120,000 keys in
	 * one section, 120,000 sections, a value of 60,000 lines (each read
	 * in well under 2 s; compared key by key with those before, the keys
	 * took minutes to read and look up).  Every key and section is then looked up.
	 */
	{
		enum { N = 120000 };
		/* 2 s; 6 s in the sanitizer build, several times slower */
		const char *variant = getenv("CT_VARIANT");
		double lim = variant && strcmp(variant, "asan") == 0 ? 6 : 2;
		struct ct_buf t;
		char k[16], v[24];
		const char *got;
		double t0, dt;
		unsigned i, bad = 0;

		ct_buf_init(&t, 0);
		ct_buf_adds(&t, "[default]\n");
		for (i = 0; i < N; i++)
			ct_buf_printf(&t, "%s=%u\n", b36(k, i), i % 10);
		t0 = now_s();
		ini = parse(t.data, &err);
		s = ct_ini_section(ini, "default");
		for (i = 0; i < N && s != NULL; i++) {
			b36(k, i);
			if (i % 7 == 0)		/* keys match in any case */
				k[0] = (char)toupper((unsigned char)k[0]);
			snprintf(v, sizeof(v), "%u", i % 10);
			got = ct_ini_get(s, k);
			bad += got == NULL || strcmp(got, v) != 0;
		}
		dt = now_s() - t0;
		CHECK(ini != NULL && s != NULL && bad == 0 && t.len < (1 << 20),
		    "120,000 keys (%zu bytes) read and found: %s", t.len,
		    err.data ? err.data : "");
		CHECK(ct_ini_get(s, "zzzzzz") == NULL, "an absent key");
		CHECK(dt < lim, "120,000 keys: read and looked up in %.3f s", dt);
		ct_ini_free(ini);

		ct_buf_reset(&t);
		for (i = 0; i < N; i++)
			ct_buf_printf(&t, "[%s]\n", b36(k, i));
		ct_buf_adds(&t, "[0]\n");	/* the first one again */
		t0 = now_s();
		ini = parse(t.data, &err);
		dt = now_s() - t0;
		CHECK(ini == NULL && strstr(err.data, "cfg:120001: section [0] "
		    "given twice (first on line 1)") != NULL,
		    "120,000 sections: the repeated one found: %s", err.data);
		CHECK(dt < lim, "120,000 sections: read in %.3f s", dt);
		t.len -= 4;
		t.data[t.len] = '\0';
		t0 = now_s();
		ini = parse(t.data, &err);
		for (i = 0, bad = 0; i < N && ini != NULL; i++)
			bad += ct_ini_section(ini, b36(k, i)) == NULL;
		dt = now_s() - t0;
		CHECK(ini != NULL && ct_ini_nsections(ini) == N && bad == 0,
		    "120,000 sections read and found");
		CHECK(dt < lim, "120,000 sections: read and looked up in %.3f s",
		    dt);
		ct_ini_free(ini);

		ct_buf_reset(&t);
		ct_buf_adds(&t, "[p]\nblock =\n");
		for (i = 0; i < N / 2; i++)
			ct_buf_printf(&t, "  k%u = v\n", i);
		t0 = now_s();
		ini = parse(t.data, &err);
		dt = now_s() - t0;
		got = ct_ini_get_sub(ct_ini_section(ini, "p"), "block",
		    "k59999");
		CHECK(got != NULL && strcmp(got, "v") == 0,
		    "a nested block of 60,000 lines");
		CHECK(dt < lim, "a value of 60,000 lines: read in %.3f s", dt);
		ct_ini_free(ini);
		ct_buf_free(&t);
	}

	ct_buf_free(&err);
	return check_done();
}
