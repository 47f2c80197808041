/*
 * fuzz_ini.c - the AWS config/credentials file reader (lib/ini.h).
 *
 * Anyone who can write ~/.aws/config can hand it anything; it must never
 * crash the tools.  Properties: a rejected file gets "NAME:LINE: reason"
 * on one line; an accepted one lists its sections by name, finds each by
 * that name, and answers lookups (plain and nested) without faults.
 */
#include <string.h>

#include "buf.h"
#include "ini.h"
#include "fuzz.h"

static const char *const keys[] = {
	"region", "aws_access_key_id", "aws_secret_access_key",
	"aws_session_token", "role_arn", "source_profile",
	"credential_process", "sso_session", "s3", "endpoint_url", "services",
	"ec2", ""
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_ini *ini = NULL;
	struct ct_buf err;
	const struct ct_ini_section *s;
	const char *name, *v;
	size_t i, k, ns;
	int rc;

	ct_buf_init(&err, 4096);
	rc = ct_ini_parse("fuzz", (const char *)data, size, &ini, &err);
	if (rc != 0) {
		FZ_CHECK(rc == -1 && ini == NULL);
		FZ_CHECK(err.len > 5 && strncmp(err.data, "fuzz:", 5) == 0);
		/* one line; control bytes of the user's own file may be
		 * echoed (the file is trusted, see SECURITY.md) */
		FZ_CHECK(memchr(err.data, '\n', err.len) == NULL);
		ct_buf_free(&err);
		return 0;
	}
	FZ_CHECK(ini != NULL);
	ns = ct_ini_nsections(ini);
	for (i = 0; i < ns; i++) {
		name = ct_ini_section_name(ini, i);
		FZ_CHECK(name != NULL);
		s = ct_ini_section(ini, name);
		FZ_CHECK(s != NULL);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			v = ct_ini_get(s, keys[k]);
			if (v != NULL)
				(void)strlen(v), (void)ct_ini_line(s, keys[k]);
			(void)ct_ini_get_sub(s, keys[k], "endpoint_url");
			(void)ct_ini_get_sub(s, keys[k],
			    "max_concurrent_requests");
		}
	}
	(void)ct_ini_section(ini, "default");
	(void)ct_ini_section(ini, "profile  x");
	ct_ini_free(ini);
	ct_buf_free(&err);
	return 0;
}
