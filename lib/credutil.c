/* credutil.c - the credential provider's shared helpers: see creds_int.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "creds.h"
#include "creds_int.h"
#include "http.h"
#include "json.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"


char *
ct_cred_dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
ct_cred_wipe_str(char **s)
{
	if (*s != NULL) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void
ct_creds_wipe(struct ct_creds *c)
{
	if (c == NULL)
		return;
	ct_cred_wipe_str(&c->access_key);
	ct_cred_wipe_str(&c->secret_key);
	ct_cred_wipe_str(&c->token);
	c->expiration = 0;
}

void
ct_cred_copy(struct ct_creds *dst, const struct ct_creds *src)
{
	dst->access_key = ct_cred_dupornull(src->access_key);
	dst->secret_key = ct_cred_dupornull(src->secret_key);
	dst->token = ct_cred_dupornull(src->token);
	dst->expiration = src->expiration;
}

const char *
ct_cred_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
ct_cred_truthy(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

int
ct_creds_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	long off = 0;
	int sign;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		int hh, mm;

		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2 &&
		    sscanf(p + 1, "%2d%2d", &hh, &mm) != 2)
			return -1;
		off = sign * (hh * 3600L + mm * 60L);
		p += strlen(p);
	} else if (*p == ' ' && strncmp(p, " UTC", 4) == 0)
		p += 4;
	if (*p != '\0')
		return -1;
	*out = timegm(&tm) - off;
	return 0;
}

/* "ct-tools-<epoch>": the default RoleSessionName. */
char *
ct_cred_session_name(void)
{
	char b[64];

	snprintf(b, sizeof(b), "ct-tools-%lld", (long long)time(NULL));
	return xstrdup(b);
}

/* Read a small file whole (token files, the SSO cache). */
int
ct_cred_read_small(const char *path, struct ct_buf *out,
    struct ct_aws_error *err, const char *what)
{
	FILE *f = fopen(path, "r");
	char chunk[4096];
	size_t r;

	if (f == NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "CredentialsFile",
		    "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (ct_buf_add(out, chunk, r) != 0) {
			fclose(f);
			explicit_bzero(chunk, sizeof(chunk));
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "CredentialsFile",
			    "%s %s: too large", what, path);
			return -1;
		}
	explicit_bzero(chunk, sizeof(chunk));
	fclose(f);
	if (out->data == NULL)
		ct_buf_add(out, "", 0);
	return 0;
}

void
ct_cred_rtrim(struct ct_buf *b)
{
	while (b->len > 0 && isspace((unsigned char)b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

/* Fill out from the fields of a JSON object; names differ per source. */
int
ct_cred_from_json(const char *text, size_t n, const char *obj, const char *ak,
    const char *sk, const char *tok, const char *exp, struct ct_creds *out,
    const char *what, struct ct_aws_error *err)
{
	struct ct_buf jerr;
	struct ct_jdoc *d;
	const struct ct_jnode *root, *e;
	const char *a, *s, *t;
	int64_t ms;

	ct_buf_init(&jerr, 1024);
	d = ct_json_parse(text, n, &jerr);
	if (d == NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidCredentials",
		    "%s: answer is not JSON: %s", what, jerr.data ? jerr.data :
		    "");
		ct_buf_free(&jerr);
		return -1;
	}
	ct_buf_free(&jerr);
	root = ct_json_root(d);
	if (obj != NULL && root != NULL && root->type == CT_JOBJECT)
		root = ct_json_get(root, obj);
	if (root == NULL || root->type != CT_JOBJECT) {
		ct_json_free(d);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidCredentials",
		    "%s: answer is not a JSON object%s%s", what,
		    obj ? " with " : "", obj ? obj : "");
		return -1;
	}
	a = ct_json_get_str(root, ak);
	s = ct_json_get_str(root, sk);
	t = ct_json_get_str(root, tok);
	if (a == NULL || s == NULL || *a == '\0' || *s == '\0') {
		ct_json_free(d);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidCredentials",
		    "%s: answer lacks %s or %s", what, ak, sk);
		return -1;
	}
	out->access_key = xstrdup(a);
	out->secret_key = xstrdup(s);
	out->token = t != NULL && *t != '\0' ? xstrdup(t) : NULL;
	out->expiration = 0;
	if (exp != NULL && (e = ct_json_get(root, exp)) != NULL) {
		if (e->type == CT_JNUMBER && ct_json_int(e, &ms) == 0)
			out->expiration = (time_t)(ms / 1000);	/* SSO: ms */
		else if (e->type == CT_JSTRING &&
		    ct_creds_parse_time(e->str, &out->expiration) != 0) {
			ct_creds_wipe(out);
			ct_json_free(d);
			ct_awserr_set(err, CT_AWS_CREDENTIALS,
			    "InvalidCredentials", "%s: cannot read %s time",
			    what, exp);
			return -1;
		}
	}
	/* The document held the secret too. */
	ct_json_free(d);
	return 0;
}
