/*
 * fuzz_creds.c - reading credentials from outside answers (lib/credutil.c,
 * lib/credfetch.c).
 *
 * credential_process output, the container and instance metadata answers
 * and the SSO portal answer are JSON; STS AssumeRole answers are XML.  The
 * XML reader is static in credfetch.c, so this target includes it.  The first
 * option byte picks the reader.  Properties: a good answer gives non-empty
 * keys; a bad one gives a one-line message in which no part of the answer
 * that could be a secret appears (the tests use the field values).
 */
#include "../lib/credfetch.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_creds c;
	struct ct_aws_error e;
	unsigned opt = fz_take(&data, &size);
	const char *p = (const char *)data;
	int rc;
	time_t t;
	char tmp[64];

	memset(&c, 0, sizeof(c));
	ct_awserr_clear(&e);
	switch (opt % 4) {
	case 0:	/* credential_process */
		rc = ct_cred_from_json(p, size, NULL, "AccessKeyId", "SecretAccessKey",
		    "SessionToken", "Expiration", &c, "credential_process", &e);
		break;
	case 1:	/* SSO GetRoleCredentials */
		rc = ct_cred_from_json(p, size, "roleCredentials", "accessKeyId",
		    "secretAccessKey", "sessionToken", "expiration", &c,
		    "sso", &e);
		break;
	case 2:	/* STS AssumeRole */
		rc = from_sts_xml(p, size, &c, "sts AssumeRole", &e);
		break;
	default: /* a timestamp as the answers give it */
		if (size < sizeof(tmp)) {
			memcpy(tmp, p, size);
			tmp[size] = '\0';
			(void)ct_creds_parse_time(tmp, &t);
		}
		return 0;
	}
	if (rc == 0) {
		FZ_CHECK(c.access_key != NULL && *c.access_key != '\0');
		FZ_CHECK(c.secret_key != NULL);
		if (opt % 4 != 2)
			FZ_CHECK(*c.secret_key != '\0');
		/* the secret never reaches a message */
		if (strlen(c.secret_key) >= 8)
			FZ_CHECK(strstr(e.line, c.secret_key) == NULL);
		ct_creds_wipe(&c);
	} else {
		FZ_CHECK(c.access_key == NULL && c.secret_key == NULL);
		FZ_CHECK(strchr(e.line, '\n') == NULL && *e.line != '\0');
	}
	return 0;
}
