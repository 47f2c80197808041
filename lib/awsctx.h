/*
 * awsctx.h - the shared AWS context's layout, for aws.c and awsconf.c
 * only (the tools see struct ct_aws_ctx as opaque, aws.h).
 *
 * awsconf.c builds the context from the environment and the config files
 * (profile, region, endpoint settings, CA, timeouts, retries, the
 * credential provider); aws.c sends the requests with it (endpoint
 * resolution, signing, retries) and does the credential provider's I/O.
 * The dependency goes one way, awsconf.c -> aws.c: the context hands
 * the provider aws.c's I/O (ct_aws_creds_io) and names the services with
 * aws.c's table, and aws.c reads the context's fields only.
 */
#ifndef CT_AWSCTX_H
#define CT_AWSCTX_H

#include "creds.h"
#include "endpoint.h"
#include "http.h"
#include "ini.h"

/* The services we talk to, in the order of ct_aws_svc_key and ctx->ep. */
enum { CT_AWS_SVC_STS, CT_AWS_SVC_EC2, CT_AWS_SVC_CLOUDTRAIL, CT_AWS_SVC_SSO,
	CT_AWS_SVC_N };

/* Each service's key in a profile's services block ("sso"...): aws.c. */
extern const char *const ct_aws_svc_key[CT_AWS_SVC_N];

struct ct_aws_ctx {
	char			*profile;
	char			*region;
	char			*ua;
	char			*config_path;
	char			*cred_path;
	struct ct_ini		*config;
	struct ct_ini		*credentials;
	struct ct_endpoint_cfg	 ep[CT_AWS_SVC_N];
	char			*ep_prof_svc[CT_AWS_SVC_N];
	char			*ep_prof_url;
	char			*ca;		/* AWS_CA_BUNDLE, ca_bundle */
	void			(*debug)(void *, const char *);
	void			*debug_arg;
	struct ct_retry		 retry;
	long			 connect_ms;	/* CT_CONNECT_TIMEOUT */
	long			 timeout_ms;	/* CT_TIMEOUT */
	struct ct_creds_provider *creds;
	struct ct_http		*cred_http;	/* used under the provider's lock */
	struct ct_retry		 cred_retry;
};

/* The credential provider's I/O (STS calls, the credential endpoints'
 * HTTP, the Identity Center portal's URL), made through ctx's own HTTP
 * handle and retries: fills io (io->arg is ctx). */
void	ct_aws_creds_io(struct ct_aws_ctx *ctx, struct ct_creds_io *io);

#endif
