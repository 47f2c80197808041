/*
 * events.c - the API calls a sample holds: source, name, classes of
 * principal that make it, weight, read-only and data-event flags, the shape
 * of its body (body.c) and its possible errors.
 *
 * One table (EVENTS) says it all, so adding a call is one line.  Each
 * principal draws from the calls of its classes by weight; the cumulative
 * weights per class set are built on first use and kept, as a sample has
 * only a handful of class sets and millions of draws.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

#define ACCESS_DENIED \
	"AccessDenied|User: %ARN% is not authorized to perform: %ACTION% because no identity-based policy allows the %ACTION% action"

static const struct evdef EVENTS[] = {
	{ "sts.amazonaws.com", "AssumeRole", C_GEN | C_SVC | C_XACCT, 200, 1, 0, 0, S_ASSUME_ROLE,
	  ACCESS_DENIED ";ExpiredTokenException|The security token included in the request is expired" },
	{ "sts.amazonaws.com", "GetCallerIdentity", C_GEN, 300, 1, 0, 0, S_GET_CALLER, NULL },
	{ "sts.amazonaws.com", "AssumeRoleWithSAML", C_SAML, 100, 1, 0, 0, S_ASSUME_SAML,
	  "InvalidIdentityToken|Specified provider doesn't exist (Service: AWSOpenIdDiscoveryService)" },
	{ "sts.amazonaws.com", "AssumeRoleWithWebIdentity", C_WEB, 100, 1, 0, 0, S_ASSUME_WEB,
	  "InvalidIdentityToken|No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com" },
	{ "sts.amazonaws.com", "GetSessionToken", C_GEN, 10, 1, 0, 0, S_GENERIC, NULL },
	{ "ec2.amazonaws.com", "DescribeInstances", C_GEN | C_SVC, 500, 1, 0, 0, S_DESCRIBE_INSTANCES,
	  "Client.UnauthorizedOperation|You are not authorized to perform this operation.;Client.RequestLimitExceeded|Request limit exceeded." },
	{ "ec2.amazonaws.com", "DescribeRegions", C_GEN, 60, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeVpcs", C_GEN, 80, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeSecurityGroups", C_GEN | C_SVC, 120, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeSubnets", C_GEN, 90, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeVolumes", C_GEN | C_SVC, 70, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeNetworkInterfaces", C_GEN | C_SVC, 70, 1, 0, 0, S_DESCRIBE_FILTERS, NULL },
	{ "ec2.amazonaws.com", "DescribeImages", C_GEN, 40, 1, 0, 0, S_DESCRIBE_FILTERS,
	  "Client.InvalidAMIID.NotFound|The image id '[ami-0abcdef1234567890]' does not exist" },
	{ "ec2.amazonaws.com", "RunInstances", C_GEN | C_SVC, 20, 0, 0, 0, S_RUN_INSTANCES,
	  "Client.InsufficientInstanceCapacity|We currently do not have sufficient m5.large capacity in the Availability Zone you requested.;Client.UnauthorizedOperation|You are not authorized to perform this operation. Encoded authorization failure message: 7Zb1sW-fJ0aN6H3r9Kq2Lx8Vt5Ee4YuIoP0AsDfGhJkLzXcVbNm" },
	{ "ec2.amazonaws.com", "TerminateInstances", C_GEN | C_SVC, 12, 0, 0, 0, S_INSTANCE_STATE,
	  "Client.InvalidInstanceID.NotFound|The instance ID 'i-0123456789abcdef0' does not exist" },
	{ "ec2.amazonaws.com", "StartInstances", C_GEN, 8, 0, 0, 0, S_INSTANCE_STATE, NULL },
	{ "ec2.amazonaws.com", "StopInstances", C_GEN, 8, 0, 0, 0, S_INSTANCE_STATE, NULL },
	{ "ec2.amazonaws.com", "CreateTags", C_GEN | C_SVC, 25, 0, 0, 0, S_CREATE_TAGS, NULL },
	{ "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", C_GEN, 6, 0, 0, 0, S_SG_INGRESS,
	  "Client.InvalidPermission.Duplicate|the specified rule \"peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW\" already exists" },
	{ "s3.amazonaws.com", "ListBuckets", C_GEN, 120, 1, 0, 1, S_S3_LIST, NULL },
	{ "s3.amazonaws.com", "GetBucketAcl", C_GEN | C_SVC, 120, 1, 0, 0, S_S3_BUCKET, NULL },
	{ "s3.amazonaws.com", "GetBucketLocation", C_GEN | C_SVC, 90, 1, 0, 0, S_S3_BUCKET, NULL },
	{ "s3.amazonaws.com", "GetBucketPolicy", C_GEN | C_SVC, 50, 1, 0, 0, S_S3_BUCKET,
	  "NoSuchBucketPolicy|The bucket policy does not exist;NoSuchBucketPolicy|The bucket policy does not exist" },
	{ "s3.amazonaws.com", "GetBucketEncryption", C_GEN | C_SVC, 30, 1, 0, 0, S_S3_BUCKET,
	  "ServerSideEncryptionConfigurationNotFoundError|The server side encryption configuration was not found" },
	{ "s3.amazonaws.com", "PutBucketPolicy", C_GEN, 4, 0, 0, 0, S_S3_PUT_POLICY,
	  "MalformedPolicy|Policy has invalid resource" },
	{ "s3.amazonaws.com", "CreateBucket", C_GEN, 3, 0, 0, 0, S_S3_BUCKET,
	  "BucketAlreadyOwnedByYou|Your previous request to create the named bucket succeeded and you already own it." },
	{ "s3.amazonaws.com", "GetObject", C_GEN | C_SVC | C_XACCT, 200, 1, 1, 0, S_S3_OBJECT,
	  "NoSuchKey|The specified key does not exist.;AccessDenied|Access Denied" },
	{ "s3.amazonaws.com", "PutObject", C_GEN | C_SVC, 120, 0, 1, 0, S_S3_OBJECT, NULL },
	{ "iam.amazonaws.com", "ListRoles", C_GEN | C_SVC, 50, 1, 0, 1, S_IAM_LIST, NULL },
	{ "iam.amazonaws.com", "GetRole", C_GEN | C_SVC, 60, 1, 0, 1, S_IAM_ROLE,
	  "NoSuchEntityException|The role with name legacy-batch cannot be found." },
	{ "iam.amazonaws.com", "ListUsers", C_GEN, 20, 1, 0, 1, S_IAM_LIST, NULL },
	{ "iam.amazonaws.com", "ListAttachedRolePolicies", C_GEN | C_SVC, 40, 1, 0, 1, S_IAM_ROLE, NULL },
	{ "iam.amazonaws.com", "GetAccountAuthorizationDetails", C_SVC, 5, 1, 0, 1, S_IAM_LIST, NULL },
	{ "iam.amazonaws.com", "CreateRole", C_GEN, 3, 0, 0, 1, S_IAM_ROLE,
	  "EntityAlreadyExistsException|Role with name GitHubActionsDeploy already exists." },
	{ "iam.amazonaws.com", "PutRolePolicy", C_GEN, 3, 0, 0, 1, S_IAM_PUT_POLICY,
	  "MalformedPolicyDocumentException|Syntax errors in policy." },
	{ "iam.amazonaws.com", "CreateAccessKey", C_GEN, 2, 0, 0, 1, S_IAM_ACCESS_KEY,
	  "LimitExceededException|Cannot exceed quota for AccessKeysPerUser: 2" },
	{ "signin.amazonaws.com", "ConsoleLogin", C_CONSOLE | C_UNK, 40, 0, 0, 1, S_CONSOLE_LOGIN, NULL },
	{ "kms.amazonaws.com", "Decrypt", C_GEN | C_SVC | C_XACCT, 300, 1, 0, 0, S_KMS,
	  "AccessDeniedException|The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access." },
	{ "kms.amazonaws.com", "GenerateDataKey", C_GEN | C_SVC | C_XACCT, 150, 1, 0, 0, S_KMS, NULL },
	{ "kms.amazonaws.com", "Encrypt", C_GEN | C_SVC, 60, 1, 0, 0, S_KMS, NULL },
	{ "lambda.amazonaws.com", "ListFunctions20150331", C_GEN, 40, 1, 0, 0, S_LAMBDA, NULL },
	{ "lambda.amazonaws.com", "GetFunction20150331v2", C_GEN, 30, 1, 0, 0, S_LAMBDA,
	  "ResourceNotFoundException|Function not found: arn:aws:lambda:us-east-1:123456789012:function:legacy-cron" },
	{ "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", C_GEN, 5, 0, 0, 0, S_LAMBDA, NULL },
	{ "lambda.amazonaws.com", "Invoke", C_GEN | C_SVC, 80, 0, 1, 0, S_LAMBDA_INVOKE, NULL },
	{ "cloudtrail.amazonaws.com", "LookupEvents", C_GEN, 40, 1, 0, 0, S_LOOKUP,
	  "ThrottlingException|Rate exceeded" },
	{ "cloudtrail.amazonaws.com", "DescribeTrails", C_GEN | C_SVC, 30, 1, 0, 0, S_TRAIL, NULL },
	{ "cloudtrail.amazonaws.com", "GetTrailStatus", C_GEN | C_SVC, 20, 1, 0, 0, S_TRAIL, NULL },
	{ "logs.amazonaws.com", "CreateLogStream", C_GEN | C_SVC, 90, 0, 0, 0, S_LOGS,
	  "ResourceAlreadyExistsException|The specified log stream already exists" },
	{ "logs.amazonaws.com", "DescribeLogGroups", C_GEN, 40, 1, 0, 0, S_LOGS, NULL },
	{ "dynamodb.amazonaws.com", "DescribeTable", C_GEN | C_SVC, 80, 1, 0, 0, S_DDB,
	  "ResourceNotFoundException|Requested resource not found: Table: orders-archive not found" },
	{ "dynamodb.amazonaws.com", "ListTables", C_GEN, 20, 1, 0, 0, S_DDB, NULL },
	{ "ecr.amazonaws.com", "GetAuthorizationToken", C_GEN | C_SVC, 60, 1, 0, 0, S_ECR_TOKEN, NULL },
	{ "config.amazonaws.com", "PutEvaluations", C_SVC, 40, 0, 0, 0, S_CONFIG_EVAL, NULL },
	{ "ssm.amazonaws.com", "GetParameter", C_GEN | C_SVC, 90, 1, 0, 0, S_SSM_PARAM,
	  "ParameterNotFound|Parameter /prod/orders/db-password not found." },
	{ "ssm.amazonaws.com", "UpdateInstanceInformation", C_SVC, 60, 0, 0, 0, S_GENERIC, NULL },
	{ "sso.amazonaws.com", "ListAccounts", C_IDC, 40, 1, 0, 0, S_SSO, NULL },
	{ "sso.amazonaws.com", "ListAccountRoles", C_IDC, 40, 1, 0, 0, S_SSO, NULL },
	{ "sso.amazonaws.com", "GetRoleCredentials", C_IDC, 60, 1, 0, 0, S_SSO,
	  "UnauthorizedException|Session token not found or invalid" },
	{ "signin.amazonaws.com", "CredentialChallenge", C_UNK, 20, 0, 0, 1, S_GENERIC, NULL },
	{ "cognito-identity.amazonaws.com", "GetCredentialsForIdentity", C_COGNITO, 60, 0, 0, 0, S_COGNITO,
	  "NotAuthorizedException|Token is not from a supported provider of this identity pool." },
	{ "workdocs.amazonaws.com", "DescribeFolderContents", C_DIR, 40, 1, 0, 0, S_WORKDOCS, NULL },
	{ "workdocs.amazonaws.com", "InitiateDocumentVersionUpload", C_DIR, 15, 0, 0, 0, S_WORKDOCS, NULL },
	{ "health.amazonaws.com", "DescribeEventAggregates", C_GEN, 15, 1, 0, 0, S_GENERIC, NULL },
	{ "tagging.amazonaws.com", "GetResources", C_GEN | C_SVC, 30, 1, 0, 0, S_GENERIC, NULL },
};
#define NEVENTS	((int)(sizeof(EVENTS) / sizeof(EVENTS[0])))

/* Per class-set cumulative event weights, built on first use. */
struct evtab {
	unsigned	 classes;
	int		 n;
	int		 idx[NEVENTS];
	uint32_t	 cum[NEVENTS];
};

static struct evtab evtabs[32];
static int nevtabs;

static const struct evtab *
evtab_for(unsigned classes)
{
	struct evtab *t;
	uint32_t cum = 0;
	int i;

	for (i = 0; i < nevtabs; i++)
		if (evtabs[i].classes == classes)
			return &evtabs[i];
	if (nevtabs == 32)
		die("internal: too many event classes");
	t = &evtabs[nevtabs++];
	t->classes = classes;
	t->n = 0;
	for (i = 0; i < NEVENTS; i++) {
		if (!(EVENTS[i].classes & classes))
			continue;
		cum += EVENTS[i].weight;
		t->idx[t->n] = i;
		t->cum[t->n++] = cum;
	}
	if (t->n == 0)
		die("internal: a principal class has no events");
	return t;
}

const struct evdef *
event_pick(struct rng *r, unsigned classes)
{
	const struct evtab *tab = evtab_for(classes);

	return &EVENTS[tab->idx[pick_cum(r, tab->cum, tab->n)]];
}

void
pick_error(struct rng *r, const struct evdef *ev, char *code, size_t cn,
    char *msg, size_t mn)
{
	const char *e = ev->errs, *p, *bar;
	int n = 0, k;

	if (e == NULL || rng_chance(r, 1, 5)) {
		static const char *gen[] = {
			ACCESS_DENIED,
			"ThrottlingException|Rate exceeded",
			"ValidationException|1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
		};
		e = PICK(r, gen);
	}
	for (p = e; p; p = strchr(p, ';'), p = p ? p + 1 : NULL)
		n++;
	k = (int)rng_below(r, (uint32_t)n);
	for (p = e; k > 0; k--)
		p = strchr(p, ';') + 1;
	bar = strchr(p, '|');
	snprintf(code, cn, "%.*s", (int)(bar - p), p);
	const char *end = strchr(bar + 1, ';');
	snprintf(msg, mn, "%.*s", (int)(end ? end - bar - 1 : (int)strlen(bar + 1)),
	    bar + 1);
}

