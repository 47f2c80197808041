/* creds.c - see creds.h */
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
#include "http.h"
#include "json.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"

#define SMALL_CAP	((size_t)64 << 10)	/* token files, process output */
#define REFRESH_AHEAD	300			/* seconds */
#define PROCESS_TIMEOUT_MS 60000L	/* credential_process, whole run */

enum kind {
	K_STATIC,	/* keys from a profile or the environment */
	K_ENV,		/* credential_source = Environment: read at fetch */
	K_ROLE,		/* AssumeRole with parent's credentials */
	K_WEBID,	/* AssumeRoleWithWebIdentity */
	K_SSO,		/* SSO portal GetRoleCredentials */
	K_PROCESS,	/* credential_process */
	K_CONTAINER,	/* ECS/EKS container endpoint */
	K_IMDS,		/* EC2 instance metadata */
	K_TAIL,		/* nothing configured: container, else IMDS */
};

struct src {
	enum kind	 kind;
	char		*desc;
	char		*profile;
	/* K_STATIC */
	char		*ak, *sk, *tok;
	/* K_ROLE, K_WEBID */
	char		*role_arn, *session_name, *external_id, *mfa_serial;
	char		*duration;
	char		*token_file;
	struct src	*parent;
	/* K_SSO */
	char		*start_url, *sso_region, *account_id, *role_name;
	char		*cache_key;
	/* K_PROCESS */
	char		*command;
};

struct ct_creds_provider {
	pthread_mutex_t		 mu;
	struct src		*src;
	struct ct_creds_io	 io;
	char			*region;
	struct ct_creds		 cur;
	int			 have;
	time_t			 obtained;
	unsigned		 gen;
	int			 stale;
	unsigned		 fetches;
	long			 process_timeout_ms;
};

/* ---- small helpers ------------------------------------------------------ */

static char *
dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
wipe_str(char **s)
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
	wipe_str(&c->access_key);
	wipe_str(&c->secret_key);
	wipe_str(&c->token);
	c->expiration = 0;
}

static void
creds_copy(struct ct_creds *dst, const struct ct_creds *src)
{
	dst->access_key = dupornull(src->access_key);
	dst->secret_key = dupornull(src->secret_key);
	dst->token = dupornull(src->token);
	dst->expiration = src->expiration;
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
truthy(const char *v)
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
static char *
default_session_name(void)
{
	char b[64];

	snprintf(b, sizeof(b), "ct-tools-%lld", (long long)time(NULL));
	return xstrdup(b);
}

/* Read a small file whole (token files, the SSO cache). */
static int
read_small(const char *path, struct ct_buf *out, struct ct_aws_error *err,
    const char *what)
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

static void
rtrim(struct ct_buf *b)
{
	while (b->len > 0 && isspace((unsigned char)b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

/* ---- building the source -------------------------------------------------- */

static void
src_free(struct src *s)
{
	if (s == NULL)
		return;
	src_free(s->parent);
	free(s->desc);
	free(s->profile);
	wipe_str(&s->ak);
	wipe_str(&s->sk);
	wipe_str(&s->tok);
	free(s->role_arn);
	free(s->session_name);
	wipe_str(&s->external_id);
	free(s->mfa_serial);
	free(s->duration);
	free(s->token_file);
	free(s->start_url);
	free(s->sso_region);
	free(s->account_id);
	free(s->role_name);
	free(s->cache_key);
	free(s->command);
	free(s);
}

static struct src *
src_new(enum kind k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static struct src *
src_new(enum kind k, const char *fmt, ...)
{
	struct src *s = xcalloc(1, sizeof(*s));
	va_list ap;

	s->kind = k;
	va_start(ap, fmt);
	if (vasprintf(&s->desc, fmt, ap) < 0)
		s->desc = NULL;
	va_end(ap);
	if (s->desc == NULL)
		s->desc = xstrdup("credentials");
	return s;
}

struct view {
	const struct ct_creds_cfg	*cfg;
	const struct ct_ini_section	*c;	/* config file section */
	const struct ct_ini_section	*k;	/* credentials file section */
	const char			*name;
};

static int
view_open(struct view *v, const struct ct_creds_cfg *cfg, const char *name)
{
	char sect[512];

	v->cfg = cfg;
	v->name = name;
	v->k = ct_ini_section(cfg->credentials, name);
	snprintf(sect, sizeof(sect), "profile %s", name);
	v->c = ct_ini_section(cfg->config, sect);
	if (v->c == NULL && strcmp(name, "default") == 0)
		v->c = ct_ini_section(cfg->config, "default");
	return v->c != NULL || v->k != NULL;
}

/* The credentials file wins over the config file, as in botocore. */
static const char *
vget(const struct view *v, const char *key)
{
	const char *s = ct_ini_get(v->k, key);

	if (s == NULL)
		s = ct_ini_get(v->c, key);
	return s != NULL && *s != '\0' ? s : NULL;
}

/* "profile NAME (in FILE)" for messages. */
static void
where_of(const struct view *v, const char *key, char *buf, size_t sz)
{
	if (ct_ini_get(v->k, key) != NULL)
		snprintf(buf, sz, "%s:%u", v->cfg->credentials_path,
		    ct_ini_line(v->k, key));
	else if (ct_ini_get(v->c, key) != NULL)
		snprintf(buf, sz, "%s:%u", v->cfg->config_path,
		    ct_ini_line(v->c, key));
	else
		snprintf(buf, sz, "profile %s", v->name);
}

static struct src *
static_keys(const struct view *v, const struct ct_ini_section *s,
    const char *file, struct ct_aws_error *err)
{
	const char *ak = ct_ini_get(s, "aws_access_key_id");
	const char *sk = ct_ini_get(s, "aws_secret_access_key");
	const char *tok = ct_ini_get(s, "aws_session_token");
	struct src *r;

	if (ak == NULL || *ak == '\0')
		return NULL;
	if (sk == NULL || *sk == '\0') {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "PartialCredentials",
		    "%s:%u: profile %s has aws_access_key_id but no "
		    "aws_secret_access_key", file,
		    ct_ini_line(s, "aws_access_key_id"), v->name);
		return NULL;
	}
	r = src_new(K_STATIC, "profile %s: keys in %s", v->name, file);
	r->ak = xstrdup(ak);
	r->sk = xstrdup(sk);
	r->tok = tok != NULL && *tok != '\0' ? xstrdup(tok) : NULL;
	return r;
}

static struct src *profile_source(const struct ct_creds_cfg *cfg,
    const char *name, int depth, int *found, struct ct_aws_error *err);

static struct src *
role_source(const struct view *v, int depth, struct ct_aws_error *err)
{
	const char *sp = vget(v, "source_profile");
	const char *cs = vget(v, "credential_source");
	const char *wf = vget(v, "web_identity_token_file");
	const char *arn = vget(v, "role_arn");
	struct src *r, *parent = NULL;
	char where[1024];
	int found = 0;

	where_of(v, "role_arn", where, sizeof(where));
	if (sp != NULL && cs != NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
		    "%s: profile %s has both source_profile and "
		    "credential_source; keep one", where, v->name);
		return NULL;
	}
	if (sp != NULL) {
		if (depth >= 8) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: source_profile chain too long or looping "
			    "(at profile %s)", where, v->name);
			return NULL;
		}
		if (strcmp(sp, v->name) == 0) {
			/* A profile that is its own source: its keys. */
			parent = static_keys(v, v->k, v->cfg->credentials_path,
			    err);
			if (parent == NULL && err->cls == CT_AWS_OK)
				parent = static_keys(v, v->c,
				    v->cfg->config_path, err);
			if (parent == NULL && err->cls == CT_AWS_OK)
				ct_awserr_set(err, CT_AWS_CREDENTIALS,
				    "InvalidConfig", "%s: profile %s is its own "
				    "source_profile but has no "
				    "aws_access_key_id", where, v->name);
		} else {
			parent = profile_source(v->cfg, sp, depth + 1, &found,
			    err);
			if (parent == NULL && err->cls == CT_AWS_OK)
				ct_awserr_set(err, CT_AWS_CREDENTIALS,
				    "ProfileNotFound", found ?
				    "%s: source_profile %s (of profile %s) "
				    "holds no credentials" :
				    "%s: source_profile %s (of profile %s) is "
				    "not in %s or %s", where, sp, v->name,
				    v->cfg->credentials_path,
				    v->cfg->config_path);
		}
		if (parent == NULL)
			return NULL;
	} else if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			parent = src_new(K_ENV, "environment");
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			parent = src_new(K_IMDS, "EC2 instance metadata");
		else if (strcmp(cs, "EcsContainer") == 0)
			parent = src_new(K_CONTAINER, "container credentials");
		else {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: credential_source \"%.60s\" is not "
			    "Environment, Ec2InstanceMetadata or EcsContainer",
			    where, cs);
			return NULL;
		}
	} else if (wf != NULL) {
		r = src_new(K_WEBID, "profile %s: web identity %s", v->name,
		    arn);
		r->profile = xstrdup(v->name);
		r->role_arn = xstrdup(arn);
		r->token_file = xstrdup(wf);
		r->session_name = vget(v, "role_session_name") ?
		    xstrdup(vget(v, "role_session_name")) :
		    default_session_name();
		r->duration = dupornull(vget(v, "duration_seconds"));
		return r;
	} else {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
		    "%s: profile %s has role_arn but neither source_profile "
		    "nor credential_source nor web_identity_token_file",
		    where, v->name);
		return NULL;
	}
	r = src_new(K_ROLE, "profile %s: assume role %s", v->name, arn);
	r->profile = xstrdup(v->name);
	r->role_arn = xstrdup(arn);
	r->parent = parent;
	r->session_name = vget(v, "role_session_name") ?
	    xstrdup(vget(v, "role_session_name")) : default_session_name();
	r->external_id = dupornull(vget(v, "external_id"));
	r->mfa_serial = dupornull(vget(v, "mfa_serial"));
	r->duration = dupornull(vget(v, "duration_seconds"));
	if (r->duration != NULL) {
		char *end;
		long d = strtol(r->duration, &end, 10);

		if (*end != '\0' || d < 900 || d > 43200) {
			where_of(v, "duration_seconds", where, sizeof(where));
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: duration_seconds must be 900 to 43200",
			    where);
			src_free(r);
			return NULL;
		}
	}
	return r;
}

static struct src *
sso_source(const struct view *v, struct ct_aws_error *err)
{
	const char *sess = vget(v, "sso_session");
	const char *url = vget(v, "sso_start_url");
	const char *reg = vget(v, "sso_region");
	const char *acct = vget(v, "sso_account_id");
	const char *role = vget(v, "sso_role_name");
	const struct ct_ini_section *ss = NULL;
	char sect[512], where[1024];
	struct src *r;

	where_of(v, sess ? "sso_session" : "sso_start_url", where,
	    sizeof(where));
	if (sess != NULL) {
		snprintf(sect, sizeof(sect), "sso-session %s", sess);
		ss = ct_ini_section(v->cfg->config, sect);
		if (ss == NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: profile %s names sso_session %s, but %s has "
			    "no [sso-session %s] section", where, v->name,
			    sess, v->cfg->config_path, sess);
			return NULL;
		}
		url = ct_ini_get(ss, "sso_start_url");
		if (ct_ini_get(ss, "sso_region") != NULL)
			reg = ct_ini_get(ss, "sso_region");
	}
	if (url == NULL || reg == NULL || acct == NULL || role == NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
		    "%s: SSO profile %s lacks %s", where, v->name,
		    url == NULL ? "sso_start_url" : reg == NULL ? "sso_region" :
		    acct == NULL ? "sso_account_id" : "sso_role_name");
		return NULL;
	}
	r = src_new(K_SSO, "profile %s: SSO %s", v->name,
	    sess ? sess : url);
	r->profile = xstrdup(v->name);
	r->start_url = xstrdup(url);
	r->sso_region = xstrdup(reg);
	r->account_id = xstrdup(acct);
	r->role_name = xstrdup(role);
	r->cache_key = xstrdup(sess ? sess : url);
	r->session_name = dupornull(sess);
	return r;
}

/*
 * The source a profile defines, or NULL: with err set on a bad profile,
 * with err clear when the profile is missing (*found = 0) or holds no
 * credentials (*found = 1).
 */
static struct src *
profile_source(const struct ct_creds_cfg *cfg, const char *name, int depth,
    int *found, struct ct_aws_error *err)
{
	struct view v;
	struct src *r;
	const char *wf, *arn;

	*found = view_open(&v, cfg, name);
	if (vget(&v, "role_arn") != NULL &&
	    (vget(&v, "source_profile") != NULL ||
	    vget(&v, "credential_source") != NULL ||
	    vget(&v, "web_identity_token_file") != NULL ||
	    (wf = env("AWS_WEB_IDENTITY_TOKEN_FILE")) == NULL))
		return role_source(&v, depth, err);
	/* Web identity: the profile's settings, else the environment's. */
	wf = vget(&v, "web_identity_token_file");
	arn = vget(&v, "role_arn");
	if (depth == 0) {	/* as botocore, even with --profile */
		if (wf == NULL)
			wf = env("AWS_WEB_IDENTITY_TOKEN_FILE");
		if (arn == NULL)
			arn = env("AWS_ROLE_ARN");
	}
	if (wf != NULL && arn != NULL) {
		const char *sn = vget(&v, "role_session_name");

		if (sn == NULL)
			sn = env("AWS_ROLE_SESSION_NAME");
		r = src_new(K_WEBID, "web identity %s", arn);
		r->role_arn = xstrdup(arn);
		r->token_file = xstrdup(wf);
		r->session_name = sn ? xstrdup(sn) : default_session_name();
		r->duration = dupornull(vget(&v, "duration_seconds"));
		return r;
	}
	if (!*found)
		return NULL;
	if (vget(&v, "sso_session") != NULL || vget(&v, "sso_start_url") != NULL)
		return sso_source(&v, err);
	if ((r = static_keys(&v, v.k, cfg->credentials_path, err)) != NULL ||
	    err->cls != CT_AWS_OK)
		return r;
	if (vget(&v, "credential_process") != NULL) {
		r = src_new(K_PROCESS, "profile %s: credential_process", name);
		r->profile = xstrdup(name);
		r->command = xstrdup(vget(&v, "credential_process"));
		return r;
	}
	return static_keys(&v, v.c, cfg->config_path, err);
}

struct ct_creds_provider *
ct_creds_new(const struct ct_creds_cfg *cfg, const struct ct_creds_io *io,
    struct ct_aws_error *err)
{
	struct ct_creds_provider *p;
	struct src *s = NULL;
	const char *ak = env("AWS_ACCESS_KEY_ID");
	const char *sk = env("AWS_SECRET_ACCESS_KEY");
	const char *name = cfg->profile;
	int named = name != NULL, found = 0;

	ct_awserr_clear(err);
	if (!cfg->profile_is_option && (ak != NULL || sk != NULL)) {
		if (ak == NULL || sk == NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS,
			    "PartialCredentials", "%s is set but %s is not: "
			    "set both, or neither", ak ? "AWS_ACCESS_KEY_ID" :
			    "AWS_SECRET_ACCESS_KEY", ak ? "AWS_SECRET_ACCESS_KEY" :
			    "AWS_ACCESS_KEY_ID");
			return NULL;
		}
		s = src_new(K_STATIC, "environment (AWS_ACCESS_KEY_ID)");
		s->ak = xstrdup(ak);
		s->sk = xstrdup(sk);
		s->tok = dupornull(env("AWS_SESSION_TOKEN"));
	}
	if (s == NULL) {
		if (name == NULL && (name = env("AWS_PROFILE")) != NULL)
			named = 1;
		if (name == NULL && (name = env("AWS_DEFAULT_PROFILE")) != NULL)
			named = 1;
		if (name == NULL)
			name = "default";
		s = profile_source(cfg, name, 0, &found, err);
		if (s == NULL && err->cls != CT_AWS_OK)
			return NULL;
		if (s == NULL && !found && named) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS,
			    "ProfileNotFound", "profile %s not found in %s "
			    "(as [%s]) or %s (as [profile %s])%s", name,
			    cfg->credentials_path, name, cfg->config_path,
			    name, cfg->profile_is_option ? "" :
			    ": check AWS_PROFILE");
			return NULL;
		}
		if (s == NULL)
			s = src_new(K_TAIL, "container or instance credentials");
	}
	p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	p->src = s;
	p->io = *io;
	p->region = xstrdup(cfg->region ? cfg->region : "us-east-1");
	p->process_timeout_ms = cfg->process_timeout_ms > 0 ?
	    cfg->process_timeout_ms : PROCESS_TIMEOUT_MS;
	return p;
}

void
ct_creds_free(struct ct_creds_provider *p)
{
	if (p == NULL)
		return;
	ct_creds_wipe(&p->cur);
	src_free(p->src);
	free(p->region);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

const char *
ct_creds_source(const struct ct_creds_provider *p)
{
	return p->src->desc;
}

unsigned
ct_creds_fetches(struct ct_creds_provider *p)
{
	unsigned n;

	pthread_mutex_lock(&p->mu);
	n = p->fetches;
	pthread_mutex_unlock(&p->mu);
	return n;
}

/* ---- fetching -------------------------------------------------------------- */

static int fetch(struct ct_creds_provider *p, struct src *s,
    struct ct_creds *out, struct ct_aws_error *err);

/* Fill out from the fields of a JSON object; names differ per source. */
static int
from_json(const char *text, size_t n, const char *obj, const char *ak,
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

static int
from_sts_xml(const char *body, size_t n, struct ct_creds *out,
    const char *what, struct ct_aws_error *err)
{
	struct ct_buf v[4];
	static const char *const tags[] = { "AccessKeyId", "SecretAccessKey",
	    "SessionToken", "Expiration" };
	size_t pos = 0, ilen;
	const char *inner;
	int i, ok = 1;

	if (ct_xml_next(body, n, &pos, "Credentials", &inner, &ilen) != 1) {
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "%s: answer has no <Credentials>", what);
		return -1;
	}
	for (i = 0; i < 4; i++) {
		ct_buf_init(&v[i], SMALL_CAP);
		if (ct_xml_get(inner, ilen, tags[i], &v[i]) != 1)
			ok = 0;
	}
	if (ok && ct_creds_parse_time(v[3].data, &out->expiration) != 0)
		ok = 0;
	if (ok && v[0].len == 0)
		ok = 0;
	if (ok) {
		out->access_key = xstrdup(v[0].data);
		out->secret_key = xstrdup(v[1].data);
		out->token = xstrdup(v[2].data);
	} else
		ct_awserr_set(err, CT_AWS_RETRYABLE, "InvalidResponse",
		    "%s: incomplete <Credentials> in the answer", what);
	for (i = 0; i < 4; i++)
		ct_buf_wipe(&v[i]);
	return ok ? 0 : -1;
}

/* Append "&k=v" URI-encoded. */
static void
form(struct ct_buf *f, const char *k, const char *v)
{
	(void)ct_sigv4_form_add(f, k, v);
}

static int
read_mfa(const char *serial, char *code, size_t sz, struct ct_aws_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	char prompt[512];
	ssize_t r;
	size_t n = 0;

	if (fd < 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "MFARequired",
		    "mfa_serial %s: a terminal is needed to type the MFA code",
		    serial);
		return -1;
	}
	snprintf(prompt, sizeof(prompt), "Enter MFA code for %s: ", serial);
	(void)!write(fd, prompt, strlen(prompt));
	while (n + 1 < sz && (r = read(fd, code + n, 1)) == 1 &&
	    code[n] != '\n')
		n++;
	code[n] = '\0';
	close(fd);
	if (n == 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "MFARequired",
		    "mfa_serial %s: no MFA code typed", serial);
		return -1;
	}
	return 0;
}

static int
fetch_role(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	struct ct_creds parent = { 0 };
	struct ct_buf f, body;
	char code[32], what[600];
	int rc;

	snprintf(what, sizeof(what), "AssumeRole %s", s->role_arn);
	if (fetch(p, s->parent, &parent, err) != 0)
		return -1;
	ct_buf_init(&f, SMALL_CAP);
	form(&f, "Action", "AssumeRole");
	form(&f, "Version", "2011-06-15");
	form(&f, "RoleArn", s->role_arn);
	form(&f, "RoleSessionName", s->session_name);
	if (s->external_id)
		form(&f, "ExternalId", s->external_id);
	if (s->duration)
		form(&f, "DurationSeconds", s->duration);
	if (s->mfa_serial) {
		if (read_mfa(s->mfa_serial, code, sizeof(code), err) != 0) {
			ct_creds_wipe(&parent);
			ct_buf_wipe(&f);
			return -1;
		}
		form(&f, "SerialNumber", s->mfa_serial);
		form(&f, "TokenCode", code);
		explicit_bzero(code, sizeof(code));
	}
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = p->io.sts(p->io.arg, p->region, &parent, f.data, &body, err);
	ct_creds_wipe(&parent);
	ct_buf_wipe(&f);
	if (rc == 0)
		rc = from_sts_xml(body.data, body.len, out, what, err);
	else if (err->cls != CT_AWS_NETWORK && err->cls != CT_AWS_RETRYABLE &&
	    err->cls != CT_AWS_THROTTLED) {
		ct_awserr_append(err, " (role of profile %s)", s->profile);
	}
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_webid(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	struct ct_buf tok, f, body;
	char what[600];
	int rc;

	snprintf(what, sizeof(what), "AssumeRoleWithWebIdentity %s",
	    s->role_arn);
	ct_buf_init(&tok, SMALL_CAP);
	if (read_small(s->token_file, &tok, err, "web identity token file") != 0) {
		ct_buf_wipe(&tok);
		return -1;
	}
	rtrim(&tok);
	ct_buf_init(&f, SMALL_CAP * 2);
	form(&f, "Action", "AssumeRoleWithWebIdentity");
	form(&f, "Version", "2011-06-15");
	form(&f, "RoleArn", s->role_arn);
	form(&f, "RoleSessionName", s->session_name);
	form(&f, "WebIdentityToken", tok.data);
	if (s->duration)
		form(&f, "DurationSeconds", s->duration);
	ct_buf_wipe(&tok);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	rc = p->io.sts(p->io.arg, p->region, NULL, f.data, &body, err);
	ct_buf_wipe(&f);
	if (rc == 0)
		rc = from_sts_xml(body.data, body.len, out, what, err);
	ct_buf_wipe(&body);
	return rc;
}

static void
sha1_hex(const char *s, char out[41])
{
	unsigned char md[SHA_DIGEST_LENGTH];
	static const char hx[] = "0123456789abcdef";
	int i;

	SHA1((const unsigned char *)s, strlen(s), md);
	for (i = 0; i < SHA_DIGEST_LENGTH; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 15];
	}
	out[40] = '\0';
}

static int
fetch_sso(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *home = env("HOME");
	char hex[41], path[PATH_MAX], login[600];
	struct ct_buf cache, url, body, hdr;
	struct ct_jdoc *d;
	const char *tok, *exp, *hp[2];
	time_t texp;
	long status = 0;
	int rc = -1;

	snprintf(login, sizeof(login), "run \"aws sso login --profile %s\"",
	    s->profile);
	sha1_hex(s->cache_key, hex);
	if (snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json",
	    home ? home : "", hex) >= (int)sizeof(path)) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenMissing",
		    "HOME too long");
		return -1;
	}
	ct_buf_init(&cache, SMALL_CAP);
	ct_buf_init(&url, 4096);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	ct_buf_init(&hdr, SMALL_CAP);
	d = NULL;
	if (access(path, R_OK) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenMissing",
		    "no SSO token cached for %s (%s): %s", s->cache_key, path,
		    login);
		goto out;
	}
	if (read_small(path, &cache, err, "SSO token cache") != 0)
		goto out;
	d = ct_json_parse(cache.data, cache.len, &hdr);
	tok = d ? ct_json_get_str(ct_json_root(d), "accessToken") : NULL;
	exp = d ? ct_json_get_str(ct_json_root(d), "expiresAt") : NULL;
	if (tok == NULL || exp == NULL || ct_creds_parse_time(exp, &texp) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenInvalid",
		    "%s: not a readable SSO token cache (no accessToken or "
		    "expiresAt): %s", path, login);
		goto out;
	}
	if (texp <= time(NULL)) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "SSOTokenExpired",
		    "the SSO token for %s expired at %s: %s", s->cache_key,
		    exp, login);
		goto out;
	}
	if (p->io.sso_url(p->io.arg, s->sso_region, &url, err) != 0)
		goto out;
	ct_buf_adds(&url, "/federation/credentials?role_name=");
	(void)ct_sigv4_form_add(&url, NULL, s->role_name);
	ct_buf_adds(&url, "&account_id=");
	(void)ct_sigv4_form_add(&url, NULL, s->account_id);
	ct_buf_reset(&hdr);
	ct_buf_printf(&hdr, "x-amz-sso_bearer_token: %s", tok);
	hp[0] = hdr.data;
	hp[1] = NULL;
	if (p->io.http(p->io.arg, "GET", url.data, hp, 10000, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200) {
		ct_awserr_from_http(err, "SSO GetRoleCredentials", status,
		    body.data ? body.data : "", body.len);
		if (status == 401 || status == 403 ||
		    strcmp(err->code, "UnauthorizedException") == 0) {
			err->cls = CT_AWS_CREDENTIALS;
			ct_awserr_append(err, ": %s", login);
		}
		goto out;
	}
	rc = from_json(body.data, body.len, "roleCredentials", "accessKeyId",
	    "secretAccessKey", "sessionToken", "expiration", out,
	    "SSO GetRoleCredentials", err);
out:
	ct_json_free(d);
	ct_buf_wipe(&cache);
	ct_buf_free(&url);
	ct_buf_wipe(&body);
	ct_buf_wipe(&hdr);
	return rc;
}

/* Environment for the credential process: ours minus our env secrets. */
static char **
child_env(void)
{
	extern char **environ;
	size_t n = 0, i, j = 0;
	char **e;

	while (environ[n] != NULL)
		n++;
	e = xcalloc(n + 1, sizeof(*e));
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "AWS_SECRET_ACCESS_KEY=", 22) == 0 ||
		    strncmp(environ[i], "AWS_SESSION_TOKEN=", 18) == 0 ||
		    strncmp(environ[i], "AWS_CONTAINER_AUTHORIZATION_TOKEN=",
		    34) == 0)
			continue;
		e[j++] = environ[i];
	}
	return e;
}

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The controlling terminal, open, when our process group is its foreground
 * group; else -1.  The credential process gets its own process group (so
 * that it and everything it started can be killed together), and a process
 * group that is not the terminal's foreground group is stopped when it
 * reads the terminal (an MFA prompt): so the terminal is handed to it for
 * its run (fg_to) and taken back after.
 */
static int
fg_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && tcgetpgrp(fd) != getpgrp()) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Make pgid the terminal's foreground group; SIGTTOU, which a background
 * group's tcsetpgrp raises, is blocked meanwhile. */
static void
fg_to(int tty, pid_t pgid)
{
	sigset_t ttou, old;

	if (tty < 0)
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	(void)tcsetpgrp(tty, pgid);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Kill pid's process group (pid and whatever it started that stayed in
 * it), then reap pid. */
static void
kill_reap(pid_t pid, int *status)
{
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Run s->command with sh -c in its own process group, its stdout a pipe,
 * and read what it writes until it exits, for at most the provider's
 * timeout and SMALL_CAP bytes.  When it exits, what it wrote before is
 * still in the pipe and is read; anything it started that still holds the
 * pipe is killed with its group (the CLI would wait for the pipe to close,
 * for ever).  Past the cap or the timeout the group is killed.  The
 * process is always reaped.
 */
static int
fetch_process(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	int fds[2], status = 0, tty;
	pid_t pid;
	struct ct_buf b;
	char chunk[4096], what[300], **cenv;
	ssize_t r;
	int over = 0, eof = 0, exited = 0, rc;
	long deadline, left, nap = 50, enap = 0;
	struct pollfd pfd;
	siginfo_t si;
	struct ct_buf jerr;
	struct ct_jdoc *d;
	int64_t ver = 0;

	snprintf(what, sizeof(what), "credential_process of profile %s",
	    s->profile);
	if (pipe2(fds, O_CLOEXEC) != 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: pipe: %s", what, strerror(errno));
		return -1;
	}
	cenv = child_env();
	tty = fg_tty();
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		if (tty >= 0)
			close(tty);
		free(cenv);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: fork: %s", what, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char *argv[4];
		sigset_t none;

		(void)setpgid(0, 0);
		fg_to(tty, getpid());
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)signal(SIGPIPE, SIG_DFL);
		if (dup2(fds[1], 1) < 0)
			_exit(127);
		argv[0] = (char *)"sh";
		argv[1] = (char *)"-c";
		argv[2] = s->command;
		argv[3] = NULL;
		execve("/bin/sh", argv, cenv);
		_exit(127);
	}
	/* Also here: whichever of the two runs first, the group exists
	 * before anything is read or killed. */
	(void)setpgid(pid, pid);
	fg_to(tty, pid);
	free(cenv);
	close(fds[1]);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	deadline = mono_ms() + p->process_timeout_ms;
	ct_buf_init(&b, SMALL_CAP);
	for (;;) {
		/* Exited (not reaped yet, so its pid and group id stay ours)?
		 * Checked before the pipe is drained: what it wrote before it
		 * exited is then all read below. */
		memset(&si, 0, sizeof(si));
		if (!exited && waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG |
		    WNOWAIT) == 0 && si.si_pid == pid)
			exited = 1;
		while (!eof && !over) {
			r = read(fds[0], chunk, sizeof(chunk));
			if (r > 0) {
				if (ct_buf_add(&b, chunk, (size_t)r) != 0)
					over = 1;
			} else if (r == 0 || (errno != EINTR &&
			    errno != EAGAIN)) {
				eof = 1;
			} else if (errno == EAGAIN) {
				break;
			}
		}
		if (over || exited)
			break;
		left = deadline - mono_ms();
		if (left <= 0)
			break;
		/* Wait for output, or look for its exit again: every 50 ms
		 * while it holds the pipe; once the pipe is closed, after 1 ms
		 * (it is usually exiting), then 2, 4, ... up to 50. */
		if (eof) {
			enap = enap == 0 ? 1 : enap < 25 ? enap * 2 : 50;
			nap = enap;
		}
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		(void)poll(&pfd, eof ? 0 : 1, (int)(left < nap ? left : nap));
	}
	explicit_bzero(chunk, sizeof(chunk));
	close(fds[0]);
	if (!exited || !eof)
		kill_reap(pid, &status);	/* it, or what holds the pipe */
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	fg_to(tty, getpgrp());
	if (tty >= 0)
		close(tty);
	if (over) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s wrote more than 64 KiB; it was killed", what);
		return -1;
	}
	if (!exited) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessTimeout",
		    "%s did not finish within %g s; it was killed "
		    "(CT_CREDENTIAL_PROCESS_TIMEOUT sets the limit)", what,
		    (double)p->process_timeout_ms / 1000);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ct_buf_wipe(&b);
		if (WIFEXITED(status))
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
			    "%s exited with status %d%s", what,
			    WEXITSTATUS(status), WEXITSTATUS(status) == 127 ?
			    " (command not found?)" : "");
		else
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
			    "%s was killed by signal %d", what,
			    WTERMSIG(status));
		return -1;
	}
	/* Version must be 1. */
	ct_buf_init(&jerr, 1024);
	d = ct_json_parse(b.data ? b.data : "", b.len, &jerr);
	ct_buf_free(&jerr);
	if (d != NULL) {
		const struct ct_jnode *v = ct_json_get(ct_json_root(d),
		    "Version");

		if (v == NULL || ct_json_int(v, &ver) != 0)
			ver = 0;
		ct_json_free(d);
	}
	if (ver != 1 && d != NULL) {
		ct_buf_wipe(&b);
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "ProcessError",
		    "%s: its JSON must have \"Version\": 1", what);
		return -1;
	}
	rc = from_json(b.data ? b.data : "", b.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "SessionToken", "Expiration", out, what, err);
	ct_buf_wipe(&b);
	return rc;
}

/* Is an http:// URL's host allowed for container credentials? */
static int
container_host_ok(const char *url)
{
	const char *h, *e;
	char host[256];
	size_t n;

	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	if (*h == '[') {
		e = strchr(h, ']');
		if (e == NULL)
			return 0;
		n = (size_t)(e - h - 1);
		h++;
	} else {
		n = strcspn(h, ":/?#");
	}
	if (n == 0 || n >= sizeof(host))
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "169.254.170.2") == 0 ||
	    strcmp(host, "169.254.170.23") == 0 ||
	    strcasecmp(host, "fd00:ec2::23") == 0)
		return 1;
	return 0;
}

static int
fetch_container(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tfile = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tenv = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct ct_buf url, tok, hdr, body;
	const char *hp[2] = { NULL, NULL };
	long status = 0;
	int rc = -1, tries;

	ct_awserr_clear(err);
	ct_buf_init(&url, 4096);
	ct_buf_init(&tok, SMALL_CAP);
	ct_buf_init(&hdr, SMALL_CAP);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	if (rel != NULL)
		ct_buf_printf(&url, "http://169.254.170.2%s", rel);
	else if (full != NULL) {
		if (!container_host_ok(full)) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https:// "
			    "or name a loopback or ECS/EKS address");
			goto out;
		}
		ct_buf_adds(&url, full);
	} else {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
		    "container credentials: neither "
		    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is "
		    "set");
		goto out;
	}
	if (tfile != NULL) {
		if (read_small(tfile, &tok, err,
		    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") != 0)
			goto out;
		rtrim(&tok);
	} else if (tenv != NULL)
		ct_buf_adds(&tok, tenv);
	if (tok.len > 0) {
		if (strpbrk(tok.data, "\r\n") != NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "the container authorization token contains a "
			    "line break");
			goto out;
		}
		ct_buf_printf(&hdr, "Authorization: %s", tok.data);
		hp[0] = hdr.data;
	}
	/* Three attempts, 1 s apart, for transient failures (as botocore). */
	for (tries = 1;; tries++) {
		ct_awserr_clear(err);
		ct_buf_reset(&body);
		if (p->io.http(p->io.arg, "GET", url.data, hp, 5000, &body,
		    &status, err) == 0 && status < 500)
			break;
		if (tries == 3)
			break;
		sleep(1);
	}
	if (err->cls != CT_AWS_OK)
		goto out;
	if (status != 200) {
		ct_awserr_from_http(err, "container credentials", status,
		    body.data ? body.data : "", body.len);
		if (status >= 400 && status < 500)
			err->cls = CT_AWS_CREDENTIALS;
		goto out;
	}
	rc = from_json(body.data, body.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "Token", "Expiration", out,
	    "container credentials", err);
out:
	ct_buf_free(&url);
	ct_buf_wipe(&tok);
	ct_buf_wipe(&hdr);
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_imds(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	const char *base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *tmo = env("AWS_METADATA_SERVICE_TIMEOUT");
	struct ct_buf url, tok, hdr, body;
	const char *hp[2] = { NULL, NULL };
	char role[256];
	long status = 0, timeout = 1000;
	size_t bl;
	int rc = -1;

	if (base == NULL)
		base = "http://169.254.169.254";
	bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (tmo != NULL && atol(tmo) > 0)
		timeout = atol(tmo) * 1000;
	ct_buf_init(&url, 4096);
	ct_buf_init(&tok, SMALL_CAP);
	ct_buf_init(&hdr, SMALL_CAP);
	ct_buf_init(&body, CT_HTTP_MAX_BODY);
	ct_buf_printf(&url, "%.*s/latest/api/token", (int)bl, base);
	hp[0] = "X-aws-ec2-metadata-token-ttl-seconds: 21600";
	if (p->io.http(p->io.arg, "PUT", url.data, hp, timeout, &tok, &status,
	    err) != 0)
		goto out;
	if (status != 200 || tok.len == 0 ||
	    strpbrk(tok.data, "\r\n") != NULL) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: no IMDSv2 token (HTTP %ld)",
		    status);
		goto out;
	}
	ct_buf_printf(&hdr, "X-aws-ec2-metadata-token: %s", tok.data);
	hp[0] = hdr.data;
	ct_buf_reset(&url);
	ct_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/",
	    (int)bl, base);
	if (p->io.http(p->io.arg, "GET", url.data, hp, timeout, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200 || body.len == 0) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: no IAM role attached to this "
		    "instance (HTTP %ld)", status);
		goto out;
	}
	snprintf(role, sizeof(role), "%.*s", (int)strcspn(body.data, "\r\n"),
	    body.data);
	ct_buf_reset(&url);
	ct_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/",
	    (int)bl, base);
	(void)ct_sigv4_form_add(&url, NULL, role);
	ct_buf_reset(&body);
	if (p->io.http(p->io.arg, "GET", url.data, hp, timeout, &body, &status,
	    err) != 0)
		goto out;
	if (status != 200) {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "IMDSError",
		    "EC2 instance metadata: role %s: HTTP %ld", role, status);
		goto out;
	}
	rc = from_json(body.data, body.len, NULL, "AccessKeyId",
	    "SecretAccessKey", "Token", "Expiration", out,
	    "EC2 instance metadata", err);
out:
	ct_buf_free(&url);
	ct_buf_wipe(&tok);
	ct_buf_wipe(&hdr);
	ct_buf_wipe(&body);
	return rc;
}

static int
fetch_tail(struct ct_creds_provider *p, struct ct_creds *out,
    struct ct_aws_error *err)
{
	char tried[sizeof(err->line)];

	if (env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
	    env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL)
		return fetch_container(p, out, err);
	if (!truthy(env("AWS_EC2_METADATA_DISABLED"))) {
		if (fetch_imds(p, out, err) == 0)
			return 0;
		snprintf(tried, sizeof(tried), "; %s",
		    err->code[0] && strcmp(err->code, "ConnectionError") &&
		    strcmp(err->code, "Timeout") ? err->message :
		    "EC2 instance metadata: not reachable");
	} else
		snprintf(tried, sizeof(tried), "%s",
		    "; EC2 instance metadata disabled");
	ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
	    "no AWS credentials found (tried AWS_ACCESS_KEY_ID, the profile in "
	    "the AWS config and credentials files, container credentials%s): "
	    "run \"aws configure\", set AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, or name a profile with --profile",
	    tried);
	return -1;
}

static int
fetch(struct ct_creds_provider *p, struct src *s, struct ct_creds *out,
    struct ct_aws_error *err)
{
	memset(out, 0, sizeof(*out));
	switch (s->kind) {
	case K_STATIC:
		out->access_key = xstrdup(s->ak);
		out->secret_key = xstrdup(s->sk);
		out->token = dupornull(s->tok);
		return 0;
	case K_ENV:
		if (env("AWS_ACCESS_KEY_ID") == NULL ||
		    env("AWS_SECRET_ACCESS_KEY") == NULL) {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "NoCredentials",
			    "credential_source Environment: "
			    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
			    "not set");
			return -1;
		}
		out->access_key = xstrdup(env("AWS_ACCESS_KEY_ID"));
		out->secret_key = xstrdup(env("AWS_SECRET_ACCESS_KEY"));
		out->token = dupornull(env("AWS_SESSION_TOKEN"));
		return 0;
	case K_ROLE:
		return fetch_role(p, s, out, err);
	case K_WEBID:
		return fetch_webid(p, s, out, err);
	case K_SSO:
		return fetch_sso(p, s, out, err);
	case K_PROCESS:
		return fetch_process(p, s, out, err);
	case K_CONTAINER:
		return fetch_container(p, out, err);
	case K_IMDS:
		return fetch_imds(p, out, err);
	case K_TAIL:
		return fetch_tail(p, out, err);
	}
	return -1;
}

static int
fresh(const struct ct_creds_provider *p, time_t now)
{
	time_t ahead, life;

	if (!p->have || p->stale)
		return 0;
	if (p->cur.expiration == 0)
		return 1;
	life = p->cur.expiration - p->obtained;
	ahead = REFRESH_AHEAD;
	if (life / 2 < ahead)
		ahead = life / 2;
	return now < p->cur.expiration - ahead;
}

int
ct_creds_get(struct ct_creds_provider *p, struct ct_creds *out, unsigned *gen,
    struct ct_aws_error *err)
{
	struct ct_creds nc = { 0 };
	time_t now = time(NULL);
	int rc = 0;

	ct_awserr_clear(err);
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&p->mu);
	if (!fresh(p, now)) {
		p->fetches++;
		if (fetch(p, p->src, &nc, err) == 0) {
			ct_creds_wipe(&p->cur);
			p->cur = nc;
			p->have = 1;
			p->stale = 0;
			p->obtained = now;
			p->gen++;
			ct_awserr_clear(err);
		} else if (p->have && !p->stale && (p->cur.expiration == 0 ||
		    now < p->cur.expiration)) {
			/* Keep what still works; try again next time. */
			ct_awserr_clear(err);
		} else
			rc = -1;
	}
	if (rc == 0) {
		creds_copy(out, &p->cur);
		if (gen != NULL)
			*gen = p->gen;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
ct_creds_invalidate(struct ct_creds_provider *p, unsigned gen)
{
	int r;

	pthread_mutex_lock(&p->mu);
	r = p->src->kind != K_STATIC && p->src->kind != K_ENV;
	if (r && gen == p->gen)
		p->stale = 1;
	pthread_mutex_unlock(&p->mu);
	return r;
}
