/*
 * creds_int.h - what the parts of the credential provider share.
 *
 * creds.h is the provider's public face; it is built from four files, one
 * concept each, that share the types and helpers below and nothing else:
 *   credutil.c     the credential record (wipe, copy), time parsing, the
 *                  environment, small files
 *   credprofile.c  profile resolution: from the config and credentials
 *                  files to a chain of sources (struct src)
 *   credfetch.c    fetching a source's credentials: static keys, STS
 *                  AssumeRole and AssumeRoleWithWebIdentity, SSO,
 *                  container and instance metadata (credproc.c for
 *                  credential_process)
 *   creds.c        the provider: the cache, refresh ahead of expiry,
 *                  invalidation
 * The dependencies go one way (creds.c -> credprofile, credfetch ->
 * credproc -> credutil), so no two of them call each other.  Not
 * installed, not for the tools.
 */
#ifndef CT_CREDS_INT_H
#define CT_CREDS_INT_H

#include <pthread.h>
#include <time.h>

#include "buf.h"
#include "creds.h"

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

/* credutil.c */
char	*ct_cred_dupornull(const char *s);	/* xstrdup, NULL kept */
void	 ct_cred_wipe_str(char **s);		/* zero, free, NULL */
void	 ct_cred_copy(struct ct_creds *dst, const struct ct_creds *src);
const char *ct_cred_env(const char *name);	/* NULL when unset or "" */
int	 ct_cred_truthy(const char *v);
char	*ct_cred_session_name(void);		/* owned by the caller */
int	 ct_cred_read_small(const char *path, struct ct_buf *out,
	    struct ct_aws_error *err, const char *what);
void	 ct_cred_rtrim(struct ct_buf *b);
/* Fill out from the fields of a JSON object (obj, or the root when NULL);
 * the field names differ per source.  0, or -1 with err. */
int	 ct_cred_from_json(const char *text, size_t n, const char *obj,
	    const char *ak, const char *sk, const char *tok, const char *exp,
	    struct ct_creds *out, const char *what, struct ct_aws_error *err);

/* credprofile.c */
struct src *ct_cred_src_new(enum kind k, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 ct_cred_src_free(struct src *s);
struct src *ct_cred_profile_source(const struct ct_creds_cfg *cfg,
	    const char *name, int depth, int *found, struct ct_aws_error *err);

/* credfetch.c: fill out (zeroed first) from s.  0, or -1 with err. */
int	 ct_cred_fetch(struct ct_creds_provider *p, struct src *s,
	    struct ct_creds *out, struct ct_aws_error *err);

/* credproc.c: credential_process. */
int	 ct_cred_fetch_process(struct ct_creds_provider *p, struct src *s,
	    struct ct_creds *out, struct ct_aws_error *err);

#endif
