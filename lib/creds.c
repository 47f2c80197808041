/*
 * creds.c - the credential provider: see creds.h, and creds_int.h for the
 * files it is made of.  This one is the cache: the source is chosen once
 * (ct_creds_new), credentials are fetched under the lock when missing,
 * stale or within REFRESH_AHEAD of expiry, and shared by every thread.
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

struct ct_creds_provider *
ct_creds_new(const struct ct_creds_cfg *cfg, const struct ct_creds_io *io,
    struct ct_aws_error *err)
{
	struct ct_creds_provider *p;
	struct src *s = NULL;
	const char *ak = ct_cred_env("AWS_ACCESS_KEY_ID");
	const char *sk = ct_cred_env("AWS_SECRET_ACCESS_KEY");
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
		s = ct_cred_src_new(K_STATIC, "environment (AWS_ACCESS_KEY_ID)");
		s->ak = xstrdup(ak);
		s->sk = xstrdup(sk);
		s->tok = ct_cred_dupornull(ct_cred_env("AWS_SESSION_TOKEN"));
	}
	if (s == NULL) {
		if (name == NULL && (name = ct_cred_env("AWS_PROFILE")) != NULL)
			named = 1;
		if (name == NULL && (name = ct_cred_env("AWS_DEFAULT_PROFILE")) != NULL)
			named = 1;
		if (name == NULL)
			name = "default";
		s = ct_cred_profile_source(cfg, name, 0, &found, err);
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
			s = ct_cred_src_new(K_TAIL, "container or instance credentials");
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
	ct_cred_src_free(p->src);
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
		if (ct_cred_fetch(p, p->src, &nc, err) == 0) {
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
		ct_cred_copy(out, &p->cur);
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
