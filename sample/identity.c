/*
 * identity.c - the userIdentity object of a record, for each principal kind.
 *
 * CloudTrail's userIdentity differs by who made the call: an IAM user, an
 * assumed role (with its sessionContext and issuer), a service, the root,
 * a federated, SAML or web-identity session, Identity Center, and the odd
 * shapes seen in real trails (no type, an unknown type, missing fields, no
 * userIdentity at all).  The fold must survive all of them, so they are all
 * here, one case per kind, in the order CloudTrail writes the fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

void
put_principal_arn(struct ct_buf *b, const struct principal *p)
{
	put(b, "arn:aws:");
	switch (p->kind) {
	case ID_ROLE:
	case ID_ROLE_XACCT:
	case ID_ROLE_NOISSUER:
		put(b, "sts::"); put(b, p->account); put(b, ":assumed-role/");
		put(b, p->name); put_c(b, '/'); put(b, p->extra);
		break;
	case ID_ROOT:
		put(b, "iam::"); put(b, p->account); put(b, ":root");
		break;
	default:
		put(b, "iam::"); put(b, p->account); put(b, ":user/");
		put(b, p->name);
		break;
	}
}

static void
put_attributes(struct ctx *c, int mfa)
{
	struct ct_buf *b = c->b;

	put(b, "\"attributes\":{\"creationDate\":");
	put_qiso(b, c->t - 60 - (int64_t)rng_below(c->r, 3500));
	put(b, ",\"mfaAuthenticated\":");
	put(b, mfa ? "\"true\"}" : "\"false\"}");
}

static void
put_role_issuer(struct ctx *c)
{
	const struct principal *p = c->p;
	struct ct_buf *b = c->b;

	put(b, "\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"");
	put(b, p->pid);
	put(b, "\",\"arn\":\"arn:aws:iam::");
	put(b, p->account);
	put(b, ":role/");
	put(b, p->path);
	put(b, p->name);
	put(b, "\",\"accountId\":\"");
	put(b, p->account);
	put(b, "\",\"userName\":\"");
	put(b, p->name);
	put(b, "\"}");
}

void
put_identity(struct ctx *c)
{
	const struct principal *p = c->p;
	struct ct_buf *b = c->b;
	struct rng *r = c->r;

	if (p->kind == ID_NONE)
		return;
	put(b, "\"userIdentity\":{");
	switch (p->kind) {
	case ID_IAMUSER:
	case ID_IAMUSER_CONSOLE:
		put(b, "\"type\":\"IAMUser\",\"principalId\":\"");
		put(b, p->pid);
		put(b, "\",\"arn\":\"arn:aws:iam::");
		put(b, p->account); put(b, ":user/"); put(b, p->name);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"accessKeyId\":\""); put(b, p->akid);
		put(b, "\",\"userName\":\""); put(b, p->name); put(b, "\"");
		if (p->console) {
			put(b, ",\"sessionContext\":{\"sessionIssuer\":{},"
			    "\"webIdFederationData\":{},");
			put_attributes(c, 1);
			put(b, "}");
		}
		break;
	case ID_ROLE:
	case ID_ROLE_XACCT:
	case ID_ROLE_NOISSUER:
		put(b, "\"type\":\"AssumedRole\",\"principalId\":\"");
		put(b, p->pid); put_c(b, ':'); put(b, p->extra);
		put(b, "\",\"arn\":\"arn:aws:sts::");
		put(b, p->account); put(b, ":assumed-role/"); put(b, p->name);
		put_c(b, '/'); put(b, p->extra);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"accessKeyId\":\""); put(b, p->akid);
		put(b, "\",\"sessionContext\":{");
		if (p->kind != ID_ROLE_NOISSUER) {
			put_role_issuer(c);
			put(b, ",\"webIdFederationData\":{},");
		}
		put_attributes(c, 0);
		if (rng_chance(r, 1, 6))
			put(b, ",\"ec2RoleDelivery\":\"2.0\"");
		put(b, "}");
		if (rng_chance(r, 1, 10)) {
			put(b, ",\"invokedBy\":\"");
			put(b, rng_chance(r, 1, 2) ? "AWS Internal" :
			    "cloudformation.amazonaws.com");
			put(b, "\"");
		}
		break;
	case ID_ROOT:
		put(b, "\"type\":\"Root\",\"principalId\":\"");
		put(b, p->account);
		put(b, "\",\"arn\":\"arn:aws:iam::"); put(b, p->account);
		put(b, ":root\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"accessKeyId\":\""); put(b, p->akid);
		put(b, "\",\"sessionContext\":{\"sessionIssuer\":{},"
		    "\"webIdFederationData\":{},");
		put_attributes(c, 1);
		put(b, "}");
		break;
	case ID_SERVICE:
		put(b, "\"type\":\"AWSService\",\"invokedBy\":\"");
		put(b, p->name); put(b, "\"");
		break;
	case ID_ACCOUNT:
		put(b, "\"type\":\"AWSAccount\",\"principalId\":\"");
		put(b, p->pid); put(b, ":"); put(b, "ext-session");
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\"");
		break;
	case ID_ACCOUNT_SVC:
		put(b, "\"type\":\"AWSAccount\",\"principalId\":\"\","
		    "\"accountId\":\"");
		put(b, p->account);
		put(b, "\",\"invokedBy\":\""); put(b, p->name); put(b, "\"");
		break;
	case ID_FED_USER:
	case ID_FED_ROOT:
		put(b, "\"type\":\"FederatedUser\",\"principalId\":\"");
		put(b, p->account); put(b, ":"); put(b, p->name);
		put(b, "\",\"arn\":\"arn:aws:sts::"); put(b, p->account);
		put(b, ":federated-user/"); put(b, p->name);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"accessKeyId\":\""); put(b, p->akid);
		put(b, "\",\"sessionContext\":{\"sessionIssuer\":{");
		if (p->kind == ID_FED_ROOT) {
			put(b, "\"type\":\"Root\",\"principalId\":\"");
			put(b, p->account);
			put(b, "\",\"arn\":\"arn:aws:iam::"); put(b, p->account);
			put(b, ":root\",\"accountId\":\""); put(b, p->account);
			put(b, "\"},");
		} else {
			put(b, "\"type\":\"IAMUser\",\"principalId\":\"");
			put(b, p->pid);
			put(b, "\",\"arn\":\"arn:aws:iam::"); put(b, p->account);
			put(b, ":user/federation-broker\",\"accountId\":\"");
			put(b, p->account);
			put(b, "\",\"userName\":\"federation-broker\"},");
		}
		put(b, "\"webIdFederationData\":{},");
		put_attributes(c, 0);
		put(b, "}");
		break;
	case ID_SAML:
		put(b, "\"type\":\"SAMLUser\",\"principalId\":\"");
		put(b, p->akid); put(b, "=:"); put(b, p->extra);
		put(b, "\",\"userName\":\""); put(b, p->extra);
		put(b, "\",\"identityProvider\":\""); put(b, p->akid);
		put(b, "=\"");
		break;
	case ID_WEB_OIDC:
		put(b, "\"type\":\"WebIdentityUser\",\"principalId\":\""
		    "arn:aws:iam::");
		put(b, p->account);
		put(b, ":oidc-provider/token.actions.githubusercontent.com:"
		    "sts.amazonaws.com:repo:example-org/");
		put(b, p->name);
		put(b, ":ref:refs/heads/main\",\"userName\":\"repo:example-org/");
		put(b, p->name);
		put(b, ":ref:refs/heads/main\",\"identityProvider\":\""
		    "arn:aws:iam::");
		put(b, p->account);
		put(b, ":oidc-provider/token.actions.githubusercontent.com\"");
		break;
	case ID_WEB_COGNITO:
		put(b, "\"type\":\"WebIdentityUser\",\"principalId\":\""
		    "cognito-identity.amazonaws.com:");
		put(b, p->extra);
		put(b, "\",\"userName\":\"");
		put(b, p->extra);
		put(b, "\",\"identityProvider\":\"cognito-identity.amazonaws.com\"");
		break;
	case ID_IDC:
	case ID_UNKNOWN_OBO:
		put(b, p->kind == ID_IDC ? "\"type\":\"IdentityCenterUser\"" :
		    "\"type\":\"Unknown\"");
		put(b, ",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"onBehalfOf\":{\"userId\":\""); put(b, p->extra);
		put(b, "\",\"identityStoreArn\":\"arn:aws:identitystore::");
		put(b, p->account);
		put(b, ":identitystore/d-90677cfa2b\"},\"credentialId\":\"");
		put_uuid(b, r);
		put(b, "\"");
		break;
	case ID_UNKNOWN_ARN:
		put(b, "\"type\":\"Unknown\",\"principalId\":\"");
		put(b, p->pid);
		put(b, "\",\"arn\":\"arn:aws:iam::"); put(b, p->account);
		put(b, ":user/"); put(b, p->name);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"userName\":\""); put(b, p->name); put(b, "\"");
		break;
	case ID_UNKNOWN_BARE:
		put(b, "\"type\":\"Unknown\",\"principalId\":\"\","
		    "\"accountId\":\"");
		put(b, p->account);
		put(b, "\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"");
		break;
	case ID_DIRECTORY:
		put(b, "\"type\":\"Directory\",\"principalId\":\"S-1-5-21-");
		put_u(b, 1000000000 + rng_below(r, 1000000000));
		put(b, "\",\"arn\":\"arn:aws:ds:"); put(b, c->region);
		put_c(b, ':'); put(b, p->account); put(b, ":user/");
		put(b, p->extra); put_c(b, '/'); put(b, p->name);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\",\"userName\":\""); put(b, p->name);
		put(b, "\",\"directoryId\":\""); put(b, p->extra); put(b, "\"");
		break;
	case ID_NOTYPE_SVC:
		put(b, "\"invokedBy\":\""); put(b, p->name); put(b, "\"");
		break;
	case ID_NOTYPE_ACCT:
		put(b, "\"accountId\":\""); put(b, p->account);
		put(b, "\",\"principalId\":\""); put(b, p->pid); put(b, "\"");
		break;
	case ID_ODDTYPE:
		put(b, "\"type\":\"AWSServicePrincipal\",\"principalId\":\"");
		put(b, p->pid);
		put(b, "\",\"accountId\":\""); put(b, p->account);
		put(b, "\"");
		break;
	case ID_NONE:
	case ID_NKINDS:
		break;
	}
	put(b, "},");
}

