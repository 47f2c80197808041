/* test_principal.c - one case per identity type and per fallback, from the
 * rules of ct-summary(5), "Principals". */
#include <string.h>

#include "check.h"
#include "principal.h"

#define S(lit)	((struct ct_str){ (lit), sizeof(lit) - 1 })
#define NONE	((struct ct_str){ NULL, 0 })

static struct ct_buf out;

/* Name of id; *rc gets ct_principal's return. */
static const char *
name(const struct ct_identity *id, int *rc)
{
	*rc = ct_principal(id, &out);
	return out.data;
}

static struct ct_identity
base(struct ct_str type)
{
	struct ct_identity id;

	memset(&id, 0, sizeof id);
	id.present = 1;
	id.type = type;
	id.account_id = S("111122223333");
	return id;
}

#define RULE(id, want, what) do {					\
	int rc_;							\
	const char *got_ = name(&(id), &rc_);				\
	CHECK_STR(got_, want, what);					\
	CHECK(rc_ == 1, "%s: the type's rule answered", what);		\
} while (0)

#define FALLBACK(id, want, what) do {					\
	int rc_;							\
	const char *got_ = name(&(id), &rc_);				\
	CHECK_STR(got_, want, what);					\
	CHECK(rc_ == 0, "%s: counted as a fallback", what);		\
} while (0)

int
main(void)
{
	struct ct_identity id;

	ct_buf_init(&out, 0);

	/* No type: invokedBy, else acct, else the chain. */
	id = base(NONE);
	id.invoked_by = S("signin.amazonaws.com");
	RULE(id, "signin.amazonaws.com", "no type: invokedBy");
	id.invoked_by = NONE;
	RULE(id, "111122223333", "no type: accountId");
	id.account_id = NONE;
	id.principal_id = S("AIDAEXAMPLE");
	FALLBACK(id, "AIDAEXAMPLE", "no type, no invokedBy/acct: principalId");

	id = base(S("IAMUser"));
	id.user_name = S("anaya");
	id.arn = S("arn:aws:iam::111122223333:user/anaya");
	RULE(id, "111122223333:user/anaya", "IAMUser");
	id.user_name = NONE;
	FALLBACK(id, "arn:aws:iam::111122223333:user/anaya",
	    "IAMUser without userName: arn");

	id = base(S("AssumedRole"));
	id.arn = S("arn:aws:sts::111122223333:assumed-role/Admin/sess");
	RULE(id, "111122223333:role/Admin", "AssumedRole from arn (assumed-role)");
	id.issuer_arn = S("arn:aws:iam::111122223333:role/path/Issuer");
	RULE(id, "111122223333:role/Issuer",
	    "AssumedRole: sessionIssuer.arn preferred (role/, last part)");
	id.issuer_arn = S("arn:aws:iam::111122223333:user/x");
	FALLBACK(id, "arn:aws:sts::111122223333:assumed-role/Admin/sess",
	    "AssumedRole: issuer arn neither role form: arn");
	id = base(S("AssumedRole"));
	id.principal_id = S("AROA:sess");
	FALLBACK(id, "111122223333", "AssumedRole without any arn: accountId");

	id = base(S("Root"));
	id.arn = S("arn:aws:iam::111122223333:root");
	RULE(id, "111122223333:root", "Root");
	id.account_id = NONE;
	FALLBACK(id, "arn:aws:iam::111122223333:root", "Root without acct: arn");

	id = base(S("AWSAccount"));
	id.principal_id = S("AIDAOTHER");
	RULE(id, "111122223333", "AWSAccount: acct");
	id.invoked_by = S("other.amazonaws.com");
	RULE(id, "other.amazonaws.com", "AWSAccount: invokedBy first");
	id.invoked_by = NONE;
	id.account_id = NONE;
	FALLBACK(id, "AIDAOTHER", "AWSAccount without both: principalId");

	id = base(S("AWSService"));
	id.invoked_by = S("lambda.amazonaws.com");
	RULE(id, "lambda.amazonaws.com", "AWSService");
	id.invoked_by = NONE;
	FALLBACK(id, "111122223333", "AWSService without invokedBy: accountId");

	id = base(S("FederatedUser"));
	id.issuer_type = S("Root");
	RULE(id, "111122223333:root", "FederatedUser issued by Root");
	id.issuer_type = S("IAMUser");
	id.issuer_arn = S("arn:aws:iam::111122223333:user/path/bob");
	RULE(id, "111122223333:user/bob", "FederatedUser: issuer's last part");
	id.issuer_arn = NONE;
	id.arn = S("arn:aws:sts::111122223333:federated-user/bob");
	FALLBACK(id, "arn:aws:sts::111122223333:federated-user/bob",
	    "FederatedUser without issuer arn: arn");

	id = base(S("IdentityCenterUser"));
	id.has_on_behalf_of = 1;
	id.obo_store_arn = S("arn:aws:identitystore::111122223333:identitystore/d-1234");
	id.obo_user_id = S("uid-1");
	RULE(id, "111122223333:identitycenteruser/d-1234/uid-1",
	    "IdentityCenterUser");
	id.obo_user_id = NONE;
	FALLBACK(id, "111122223333", "IdentityCenterUser without userId: acct");

	id = base(S("WebIdentityUser"));
	id.principal_id = S("cognito-identity.amazonaws.com:aud/sub-123");
	RULE(id, "oidc:sub-123", "WebIdentityUser: after the first /");
	id.principal_id = S("a/b/c");
	RULE(id, "oidc:b/c", "WebIdentityUser: only the first / splits");
	id.principal_id = NONE;
	RULE(id, "111122223333", "WebIdentityUser without principalId: acct");
	id.principal_id = S("accounts.google.com:app:user");
	id.account_id = NONE;
	FALLBACK(id, "accounts.google.com:app:user",
	    "WebIdentityUser, principalId without /: principalId");

	id = base(S("SAMLUser"));
	id.principal_id = S("SAMPLE:user@example.com");
	RULE(id, "saml:SAMPLE:user@example.com", "SAMLUser");
	id.principal_id = NONE;
	FALLBACK(id, "111122223333", "SAMLUser without principalId: acct");

	/* Unknown type: its own chain. */
	id = base(S("Unknown"));
	id.arn = S("arn:aws:iam::111122223333:root");
	RULE(id, "111122223333:root", "Unknown: arn ending :root");
	id.arn = S("arn:aws:iam::111122223333:user/p/carol");
	RULE(id, "111122223333:user/carol", "Unknown: :user/ -> last part");
	id.arn = S("arn:aws:sts::111122223333:federated-user/dave");
	RULE(id, "111122223333:user/dave", "Unknown: :federated-user/");
	id.arn = S("arn:aws:sts::111122223333:assumed-role/R/s");
	RULE(id, "111122223333:role/R", "Unknown: :assumed-role/");
	id.arn = S("arn:aws:iam::111122223333:role/R2");
	RULE(id, "111122223333:role/R2", "Unknown: :role/");
	id.arn = S("arn:aws:s3:::bucket");
	id.has_on_behalf_of = 1;
	id.obo_store_arn = S("arn:aws:identitystore::1:identitystore/d-9");
	id.obo_user_id = S("u9");
	RULE(id, "111122223333:identitycenteruser/d-9/u9",
	    "Unknown: other arn, onBehalfOf -> as IdentityCenterUser");
	id.has_on_behalf_of = 0;
	RULE(id, "111122223333", "Unknown: otherwise the acct");
	id.arn = S("");
	RULE(id, "111122223333", "Unknown: empty arn skipped, acct");
	id.account_id = NONE;
	id.arn = S("arn:aws:iam::111122223333:root");
	FALLBACK(id, "Unknown", "Unknown: no acct -> Unknown (not the arn)");
	id.account_id = S("");
	FALLBACK(id, "Unknown", "Unknown: empty acct -> Unknown");

	id = base(S("Directory"));
	id.arn = S("arn:aws:ds:us-east-1:111122223333:user/d-1234/alice");
	RULE(id, "111122223333:ds/d-1234/alice", "Directory");
	id.arn = S("arn-without-slash");
	FALLBACK(id, "arn-without-slash",
	    "Directory: split('/')[-2] impossible -> arn");

	/* The general fallback chain, one step each. */
	id = base(S("SomethingNew"));
	id.arn = S("arn:new");
	id.invoked_by = S("new.amazonaws.com");
	id.principal_id = S("PID");
	FALLBACK(id, "arn:new", "unknown type: arn first");
	id.arn = NONE;
	FALLBACK(id, "new.amazonaws.com", "then invokedBy");
	id.invoked_by = S("");
	FALLBACK(id, "111122223333", "empty invokedBy skipped, then accountId");
	id.account_id = NONE;
	FALLBACK(id, "PID", "then principalId");
	id.principal_id = NONE;
	FALLBACK(id, "SomethingNew", "then type");
	id.type = NONE;
	id.present = 1;
	FALLBACK(id, "Unknown", "nothing at all: Unknown");
	memset(&id, 0, sizeof id);
	FALLBACK(id, "Unknown", "no userIdentity: Unknown");

	/* Cap reached. */
	{
		struct ct_buf small;

		ct_buf_init(&small, 4);
		id = base(S("Root"));
		CHECK(ct_principal(&id, &small) == -1, "cap reached: -1");
		ct_buf_free(&small);
	}
	ct_buf_free(&out);
	return check_done();
}
