/*
 * credprofile.c - profile resolution: see creds_int.h.
 *
 * From a profile name, the config and credentials files to the chain of
 * sources the SDKs would use (static keys, a role over a parent profile or
 * credential_source, web identity, SSO, credential_process), with the
 * file and key of every setting kept for messages.
 */
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


void
ct_cred_src_free(struct src *s)
{
	if (s == NULL)
		return;
	ct_cred_src_free(s->parent);
	free(s->desc);
	free(s->profile);
	ct_cred_wipe_str(&s->ak);
	ct_cred_wipe_str(&s->sk);
	ct_cred_wipe_str(&s->tok);
	free(s->role_arn);
	free(s->session_name);
	ct_cred_wipe_str(&s->external_id);
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

struct src *
ct_cred_src_new(enum kind k, const char *fmt, ...)
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
	r = ct_cred_src_new(K_STATIC, "profile %s: keys in %s", v->name, file);
	r->ak = xstrdup(ak);
	r->sk = xstrdup(sk);
	r->tok = tok != NULL && *tok != '\0' ? xstrdup(tok) : NULL;
	return r;
}

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
			parent = ct_cred_profile_source(v->cfg, sp, depth + 1, &found,
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
			parent = ct_cred_src_new(K_ENV, "environment");
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			parent = ct_cred_src_new(K_IMDS, "EC2 instance metadata");
		else if (strcmp(cs, "EcsContainer") == 0)
			parent = ct_cred_src_new(K_CONTAINER, "container credentials");
		else {
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: credential_source \"%.60s\" is not "
			    "Environment, Ec2InstanceMetadata or EcsContainer",
			    where, cs);
			return NULL;
		}
	} else if (wf != NULL) {
		r = ct_cred_src_new(K_WEBID, "profile %s: web identity %s", v->name,
		    arn);
		r->profile = xstrdup(v->name);
		r->role_arn = xstrdup(arn);
		r->token_file = xstrdup(wf);
		r->session_name = vget(v, "role_session_name") ?
		    xstrdup(vget(v, "role_session_name")) :
		    ct_cred_session_name();
		r->duration = ct_cred_dupornull(vget(v, "duration_seconds"));
		return r;
	} else {
		ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
		    "%s: profile %s has role_arn but neither source_profile "
		    "nor credential_source nor web_identity_token_file",
		    where, v->name);
		return NULL;
	}
	r = ct_cred_src_new(K_ROLE, "profile %s: assume role %s", v->name, arn);
	r->profile = xstrdup(v->name);
	r->role_arn = xstrdup(arn);
	r->parent = parent;
	r->session_name = vget(v, "role_session_name") ?
	    xstrdup(vget(v, "role_session_name")) : ct_cred_session_name();
	r->external_id = ct_cred_dupornull(vget(v, "external_id"));
	r->mfa_serial = ct_cred_dupornull(vget(v, "mfa_serial"));
	r->duration = ct_cred_dupornull(vget(v, "duration_seconds"));
	if (r->duration != NULL) {
		char *end;
		long d = strtol(r->duration, &end, 10);

		if (*end != '\0' || d < 900 || d > 43200) {
			where_of(v, "duration_seconds", where, sizeof(where));
			ct_awserr_set(err, CT_AWS_CREDENTIALS, "InvalidConfig",
			    "%s: duration_seconds must be 900 to 43200",
			    where);
			ct_cred_src_free(r);
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
	r = ct_cred_src_new(K_SSO, "profile %s: SSO %s", v->name,
	    sess ? sess : url);
	r->profile = xstrdup(v->name);
	r->start_url = xstrdup(url);
	r->sso_region = xstrdup(reg);
	r->account_id = xstrdup(acct);
	r->role_name = xstrdup(role);
	r->cache_key = xstrdup(sess ? sess : url);
	r->session_name = ct_cred_dupornull(sess);
	return r;
}

/*
 * The source a profile defines, or NULL: with err set on a bad profile,
 * with err clear when the profile is missing (*found = 0) or holds no
 * credentials (*found = 1).
 */
struct src *
ct_cred_profile_source(const struct ct_creds_cfg *cfg, const char *name,
    int depth, int *found, struct ct_aws_error *err)
{
	struct view v;
	struct src *r;
	const char *wf, *arn;

	*found = view_open(&v, cfg, name);
	if (vget(&v, "role_arn") != NULL &&
	    (vget(&v, "source_profile") != NULL ||
	    vget(&v, "credential_source") != NULL ||
	    vget(&v, "web_identity_token_file") != NULL ||
	    (wf = ct_cred_env("AWS_WEB_IDENTITY_TOKEN_FILE")) == NULL))
		return role_source(&v, depth, err);
	/* Web identity: the profile's settings, else the environment's. */
	wf = vget(&v, "web_identity_token_file");
	arn = vget(&v, "role_arn");
	if (depth == 0) {	/* as botocore, even with --profile */
		if (wf == NULL)
			wf = ct_cred_env("AWS_WEB_IDENTITY_TOKEN_FILE");
		if (arn == NULL)
			arn = ct_cred_env("AWS_ROLE_ARN");
	}
	if (wf != NULL && arn != NULL) {
		const char *sn = vget(&v, "role_session_name");

		if (sn == NULL)
			sn = ct_cred_env("AWS_ROLE_SESSION_NAME");
		r = ct_cred_src_new(K_WEBID, "web identity %s", arn);
		r->role_arn = xstrdup(arn);
		r->token_file = xstrdup(wf);
		r->session_name = sn ? xstrdup(sn) : ct_cred_session_name();
		r->duration = ct_cred_dupornull(vget(&v, "duration_seconds"));
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
		r = ct_cred_src_new(K_PROCESS, "profile %s: credential_process", name);
		r->profile = xstrdup(name);
		r->command = xstrdup(vget(&v, "credential_process"));
		return r;
	}
	return static_keys(&v, v.c, cfg->config_path, err);
}
