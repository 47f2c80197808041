/*
 * creds.h - where the AWS credentials come from, and keeping them fresh.
 *
 * The chain is the AWS CLI's:
 *   1. with --profile NAME, that profile (the environment keys are not
 *      used); otherwise
 *   2. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
 *   3. the profile named by AWS_PROFILE (else "default") in the shared
 *      files (credentials: [NAME]; config: [profile NAME] or [default]),
 *      taking the first of, in botocore's order:
 *        role_arn + source_profile | credential_source  (STS AssumeRole:
 *            external_id, role_session_name, duration_seconds, mfa_serial
 *            with the code read from /dev/tty),
 *        role_arn + web_identity_token_file, or AWS_WEB_IDENTITY_TOKEN_FILE
 *            + AWS_ROLE_ARN (STS AssumeRoleWithWebIdentity),
 *        sso_session | sso_start_url (the token "aws sso login" cached in
 *            ~/.aws/sso/cache/SHA1.json, then the portal's
 *            GetRoleCredentials),
 *        aws_access_key_id in the credentials file,
 *        credential_process (run with sh -c in its own process group, its
 *            JSON read from stdout: at most 64 KiB and process_timeout_ms,
 *            past which the group is killed; the group is killed too when
 *            the process exits while something it started holds stdout),
 *        aws_access_key_id in the config file;
 *   4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on
 *      169.254.170.2, or _FULL_URI when https or a loopback/ECS/EKS
 *      address; AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE));
 *   5. EC2 instance metadata, IMDSv2 (AWS_EC2_METADATA_DISABLED=true skips
 *      it; AWS_EC2_METADATA_SERVICE_ENDPOINT moves it).
 * The source is chosen when the provider is made (no network); the
 * credentials are fetched on first use.
 *
 * The provider is shared by all threads (a mutex guards it).  Temporary
 * credentials are refreshed ahead of their expiry (5 minutes, or half
 * their lifetime if that is shorter); a refresh that fails while the old
 * credentials are still valid keeps the old ones.  ct_creds_invalidate
 * forces the next ct_creds_get to refresh (after an ExpiredToken answer).
 *
 * Network and process work goes through a ct_creds_io that the caller
 * provides (aws.c: curl and SigV4; the unit tests: fakes), so this module
 * holds only the rules.  Every secret is wiped when dropped and never put
 * in a message.
 */
#ifndef CT_CREDS_H
#define CT_CREDS_H

#include <stddef.h>
#include <time.h>

#include "awserr.h"
#include "buf.h"
#include "ini.h"

struct ct_creds {
	char	*access_key;
	char	*secret_key;
	char	*token;		/* NULL for long-term keys */
	time_t	 expiration;	/* 0: does not expire */
};

/* Wipe and free the strings; c is zeroed.  NULL-safe. */
void	ct_creds_wipe(struct ct_creds *c);

struct ct_creds_io {
	void	*arg;
	/*
	 * An STS query call (form already encoded: "Action=...") in region,
	 * signed with signer, or unsigned when signer is NULL.  The answer
	 * body (status 200) goes to out.  0, or -1 with err.
	 */
	int	(*sts)(void *arg, const char *region,
		    const struct ct_creds *signer, const char *form,
		    struct ct_buf *out, struct ct_aws_error *err);
	/*
	 * A plain HTTP exchange (container, IMDS, SSO portal): headers are
	 * "Name: value", NULL-terminated.  0 with *status and the body in
	 * out, or -1 with err (transport failure).
	 */
	int	(*http)(void *arg, const char *method, const char *url,
		    const char *const *headers, long timeout_ms,
		    struct ct_buf *out, long *status, struct ct_aws_error *err);
	/* The URL of the SSO portal for a region ("https://portal.sso.
	 * REGION.amazonaws.com" or an override), appended to out. */
	int	(*sso_url)(void *arg, const char *region, struct ct_buf *out,
		    struct ct_aws_error *err);
};

struct ct_creds_cfg {
	const char		*profile;	/* NULL: AWS_PROFILE or default */
	int			 profile_is_option;	/* came from --profile */
	const struct ct_ini	*config;	/* may be NULL (no file) */
	const struct ct_ini	*credentials;	/* may be NULL */
	const char		*config_path;	/* for messages */
	const char		*credentials_path;
	const char		*region;	/* for STS calls */
	long			 process_timeout_ms;	/* credential_process's
				   whole run; 0: 60 s */
};

struct ct_creds_provider;

/*
 * Choose the source.  Returns a provider (free with ct_creds_free), or
 * NULL with err (CT_AWS_CREDENTIALS): a named profile that exists in
 * neither file (the message names both files), a profile that is
 * incomplete (a key without its secret, a role without a source), a
 * source_profile loop.  cfg's strings and files are copied or must
 * outlive the provider (the ini files are borrowed).
 */
struct ct_creds_provider *ct_creds_new(const struct ct_creds_cfg *cfg,
		    const struct ct_creds_io *io, struct ct_aws_error *err);
void	ct_creds_free(struct ct_creds_provider *p);

/*
 * Current credentials, refreshed if they expire within the refresh window,
 * copied into out (the caller wipes them with ct_creds_wipe).  *gen (may
 * be NULL) receives a generation number for ct_creds_invalidate.  0, or
 * -1 with err (CT_AWS_CREDENTIALS with what to do; CT_AWS_NETWORK or
 * CT_AWS_RETRYABLE if the source could not be reached).  Thread-safe.
 */
int	ct_creds_get(struct ct_creds_provider *p, struct ct_creds *out,
	    unsigned *gen, struct ct_aws_error *err);

/* The credentials of generation gen were refused as expired: refresh on
 * the next ct_creds_get.  Returns 1 if the source can refresh (temporary
 * credentials), 0 if not (static keys: refreshing would not help). */
int	ct_creds_invalidate(struct ct_creds_provider *p, unsigned gen);

/* A short description of the source ("profile prod: assume role ...",
 * "environment") for messages.  Owned by p. */
const char *ct_creds_source(const struct ct_creds_provider *p);

/* Number of fetches made from the source (for tests and stats). */
unsigned ct_creds_fetches(struct ct_creds_provider *p);

/* Parse an ISO 8601 UTC time ("2026-11-28T20:00:00Z", fractions and
 * "+00:00" allowed) to epoch seconds.  0, or -1. */
int	ct_creds_parse_time(const char *s, time_t *out);

#endif
