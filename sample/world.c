/*
 * world.c - the made-up account: its regions, principals and their user
 * agents and addresses.
 *
 * The world is built once from the seed before any record, so a principal
 * keeps its name, keys, addresses and user agents across the whole sample,
 * as a real one does, and a fold over the sample finds a stable set of
 * principals.  The first principals take every userIdentity kind in a
 * fixed order (FIRST_KINDS), so even a small --principals shows the odd
 * ones; weights make a few principals busy and most quiet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"

const char *const DEFAULT_REGIONS[NDEFAULT_REGIONS] = {
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1",
};

/* Relative traffic per default region (same order). */
const uint32_t DEFAULT_REGION_W[NDEFAULT_REGIONS] = {
	380, 40, 12, 120, 15, 30, 8, 4, 14, 12, 10, 60, 150, 30, 10, 12, 6,
};

static const char *OTHER_ACCOUNTS[] = {
	"210987654321", "444455556666", "777788889999", "098765432109",
};

static const char *UA_CLI[] = {
	"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances",
	"aws-cli/2.17.2 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#sts.get-caller-identity",
	"aws-cli/1.32.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.9.16 md/pyimpl#CPython cfg/retry-mode#legacy botocore/1.34.69",
	"aws-cli/2.13.25 Python/3.11.5 Windows/10 exe/AMD64 prompt/off command/s3.ls",
};

static const char *UA_SDK[] = {
	"Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
	"aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0",
	"aws-sdk-java/2.25.11 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
	"aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/dynamodb#3.540.0",
	"aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)",
	"aws-sdk-dotnet-coreclr/3.7.300.51 aws-sdk-dotnet-core/3.7.303.1 .NET_Core/8.0.2 OS/Microsoft_Windows_10.0.20348 ClientAsync",
	"aws-sdk-rust/1.1.8 os/linux lang/rust/1.76.0",
	"APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.4",
	"kubernetes/v1.29.1-eks-508b6b3 aws-sdk-go/1.50.8 (go1.21.6; linux; amd64) cluster/prod-eu exec-env/EKS",
	"Boto3/1.28.57 Python/3.9.18 Linux/5.10.205-195.804.amzn2.x86_64 exec-env/AWS_Lambda_python3.9 Botocore/1.31.57",
	"aws-sdk-java/1.12.681 Linux/5.10.213 OpenJDK_64-Bit_Server_VM/11.0.22+7-LTS java/11.0.22 scala/2.12.18 kotlin/1.9.22 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE cfg/retry-mode/standard",
};

static const char *UA_CONSOLE[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
	"AWS Internal",
	"console.amazonaws.com",
	"[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.633 Linux/5.10.209-175.858.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard]",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.128 [aws-console/1.0 mobile-app/false]",
};

/* Odd ones: non-ASCII, quotes, very long. */
static const char *UA_ODD[] = {
	"MonAppli/2.1 (Société Générale; déploiement été) aws-sdk-js/3.540.0",
	"数据同步/1.4 (生产环境) Boto3/1.34.69 Botocore/1.34.69",
	"\xf0\x9f\x9a\x80 deploy-bot/0.9 (\xc3\xa9quipe \xe2\x80\x9cplateforme\xe2\x80\x9d) aws-sdk-go-v2/1.25.2",
	"curl/8.5.0 \"signed by aws-sigv4\" \\ custom-proxy/1.0",
	"Ångström-Backup/3.2 aws-sdk-java/2.25.11 Linux/6.1 Java/21 (Straße 7, Malmö)",
	"ELB-HealthChecker/2.0 Mozilla/5.0 (compatible; Datadog-AWS-Integration/1.0; +https://www.datadoghq.com) aws-sdk-go/1.44.327 (go1.20.12; linux; amd64) "
	    "[integration=aws,account_tags=env:prod|team:platform|cost-center:1234|owner:sre-oncall@example.com,"
	    "collect=cloudwatch_metrics|custom_metrics|resource_collection|cspm|cloud_security_posture_management|"
	    "log_forwarder=arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder-Forwarder-ABCDEFGHIJKL,"
	    "metric_namespaces=AWS/EC2|AWS/ELB|AWS/ApplicationELB|AWS/NetworkELB|AWS/RDS|AWS/Lambda|AWS/S3|AWS/SQS|AWS/SNS|"
	    "AWS/DynamoDB|AWS/ECS|AWS/EKS|AWS/ElastiCache|AWS/ES|AWS/Kinesis|AWS/Firehose|AWS/CloudFront|AWS/ApiGateway|"
	    "AWS/Route53|AWS/StepFunctions|AWS/EventBridge|AWS/KMS|AWS/Backup|AWS/EFS|AWS/FSx|AWS/Redshift|AWS/MSK|AWS/MQ|"
	    "AWS/NATGateway|AWS/TransitGateway|AWS/VPN|AWS/DirectConnect|AWS/WAFV2|AWS/Shield|AWS/GuardDuty|AWS/Inspector2]",
};

static const char *SERVICES[] = {
	"cloudtrail.amazonaws.com", "config.amazonaws.com",
	"lambda.amazonaws.com", "ec2.amazonaws.com",
	"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com",
	"ssm.amazonaws.com", "guardduty.amazonaws.com",
	"access-analyzer.amazonaws.com", "securityhub.amazonaws.com",
	"logs.amazonaws.com", "ecs-tasks.amazonaws.com",
	"backup.amazonaws.com", "inspector2.amazonaws.com",
};

const char *const USERS[25] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert",
	"sybil", "trent", "victor", "walter", "deploy-bot", "ci-runner",
	"backup-svc", "jenkins", "grafana-reader", "break-glass",
};

/* role path (with trailing /) and name */
const char *const ROLES[15][2] = {
	{ "", "OrganizationAccountAccessRole" },
	{ "aws-reserved/sso.amazonaws.com/eu-west-1/", "AWSReservedSSO_AdministratorAccess_4f1c2d3e5a6b7c8d" },
	{ "aws-reserved/sso.amazonaws.com/", "AWSReservedSSO_ReadOnlyAccess_0a9b8c7d6e5f4a3b" },
	{ "service-role/", "AWSLambdaBasicExecutionRole-orders" },
	{ "", "eks-node-group-role" },
	{ "", "GitHubActionsDeploy" },
	{ "aws-service-role/config.amazonaws.com/", "AWSServiceRoleForConfig" },
	{ "", "ecsTaskExecutionRole" },
	{ "", "lambda-orders-processor" },
	{ "", "terraform-plan" },
	{ "", "DatadogIntegrationRole" },
	{ "", "SecurityAudit" },
	{ "", "karpenter-controller" },
	{ "aws-service-role/ecs.amazonaws.com/", "AWSServiceRoleForECS" },
	{ "team/data/", "etl-glue-jobs" },
};

const char *const SESSIONS[12] = {
	"i-0a1b2c3d4e5f60718", "botocore-session-1712345678", "alice@example.com",
	"GitHubActions", "aws-go-sdk-1711111111111111111", "karpenter",
	"terraform-run-8842", "1712000000000", "AWSConfig-Describe",
	"bob.smith@example.com", "eks-prod-node-7f9c", "cross-account-audit",
};

/* The order the first principals take, so that a small --principals
 * still shows every identity type. */
static const enum idkind FIRST_KINDS[] = {
	ID_ROLE, ID_IAMUSER, ID_SERVICE, ID_ROOT, ID_ROLE_XACCT, ID_ACCOUNT,
	ID_FED_USER, ID_FED_ROOT, ID_SAML, ID_WEB_OIDC, ID_WEB_COGNITO, ID_IDC,
	ID_UNKNOWN_ARN, ID_UNKNOWN_OBO, ID_UNKNOWN_BARE, ID_DIRECTORY,
	ID_NOTYPE_SVC, ID_NOTYPE_ACCT, ID_NONE, ID_ODDTYPE, ID_ROLE_NOISSUER,
	ID_ACCOUNT_SVC, ID_IAMUSER_CONSOLE,
};

static void
fill_rand(char *dst, struct rng *r, const char *prefix, const char *set,
    int n)
{
	size_t pl = strlen(prefix);
	uint32_t m = (uint32_t)strlen(set);

	memcpy(dst, prefix, pl);
	for (int i = 0; i < n; i++)
		dst[pl + (size_t)i] = set[rng_below(r, m)];
	dst[pl + (size_t)n] = '\0';
}

static void
make_ip(char *dst, size_t n, struct rng *r, int v6)
{
	if (v6) {
		snprintf(dst, n, "2600:1f18:%x:%x:%x:%x:%x:%x",
		    rng_below(r, 0x10000), rng_below(r, 0x10000),
		    rng_below(r, 0x10000), rng_below(r, 0x10000),
		    rng_below(r, 0x10000), rng_below(r, 0x10000));
		return;
	}
	static const unsigned first[] = {
		3, 18, 34, 35, 52, 54, 13, 44, 81, 94, 185, 203, 198, 88, 212,
	};
	snprintf(dst, n, "%u.%u.%u.%u", PICK(r, first), rng_below(r, 256),
	    rng_below(r, 256), 1 + rng_below(r, 254));
}

static void
make_principal(struct world *w, struct principal *p, struct rng *r,
    enum idkind kind, int idx)
{
	char suffix[16] = "";
	int i;

	if (idx > 0)
		snprintf(suffix, sizeof(suffix), "-%d", idx);

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->account[0] = '\0';
	snprintf(p->account, sizeof(p->account), "%s", w->account);
	fill_rand(p->pid, r, kind == ID_IAMUSER || kind == ID_IAMUSER_CONSOLE ?
	    "AIDA" : "AROA", UPALNUM, 17);
	fill_rand(p->akid, r, kind == ID_IAMUSER ? "AKIA" : "ASIA", UPALNUM, 16);
	p->home = rng_below(r, (uint32_t)w->nregions);
	p->weight = 20 + rng_below(r, 200);
	p->classes = C_GEN;

	switch (kind) {
	case ID_IAMUSER:
	case ID_IAMUSER_CONSOLE:
	case ID_FED_USER:
		snprintf(p->name, sizeof(p->name), "%s%s", PICK(r, USERS),
		    suffix);
		break;
	case ID_ROLE:
	case ID_ROLE_XACCT:
	case ID_ROLE_NOISSUER:
	case ID_SAML:
	case ID_WEB_OIDC:
	case ID_WEB_COGNITO: {
		i = (int)rng_below(r, sizeof(ROLES) / sizeof(ROLES[0]));
		snprintf(p->path, sizeof(p->path), "%s", ROLES[i][0]);
		snprintf(p->name, sizeof(p->name), "%s%s", ROLES[i][1], suffix);
		snprintf(p->extra, sizeof(p->extra), "%s", PICK(r, SESSIONS));
		break;
	}
	case ID_SERVICE:
	case ID_ACCOUNT_SVC:
	case ID_NOTYPE_SVC:
		snprintf(p->name, sizeof(p->name), "%s", PICK(r, SERVICES));
		break;
	default:
		snprintf(p->name, sizeof(p->name), "%s%s", PICK(r, USERS),
		    suffix);
		break;
	}

	switch (kind) {
	case ID_ROLE:
		p->weight = 300 + rng_below(r, 1200);
		break;
	case ID_ROLE_NOISSUER:
		p->weight = 40;
		break;
	case ID_IAMUSER:
		p->weight = 50 + rng_below(r, 150);
		break;
	case ID_SERVICE:
		p->classes = C_SVC;
		p->weight = 500 + rng_below(r, 1000);
		break;
	case ID_ROOT:
		p->classes = C_GEN | C_CONSOLE;
		p->console = 1;
		p->weight = 20;
		break;
	case ID_IAMUSER_CONSOLE:
		p->classes = C_GEN | C_CONSOLE;
		p->console = 1;
		p->weight = 30 + rng_below(r, 50);
		break;
	case ID_ROLE_XACCT:
		snprintf(p->account, sizeof(p->account), "%s",
		    PICK(r, OTHER_ACCOUNTS));
		p->weight = 50 + rng_below(r, 100);
		break;
	case ID_ACCOUNT:
	case ID_ACCOUNT_SVC:
		p->classes = C_XACCT;
		snprintf(p->account, sizeof(p->account), "%s",
		    PICK(r, OTHER_ACCOUNTS));
		p->weight = 20 + rng_below(r, 40);
		break;
	case ID_FED_USER:
	case ID_FED_ROOT:
		p->weight = 20;
		break;
	case ID_SAML:
		p->classes = C_SAML;
		p->weight = 20 + rng_below(r, 20);
		snprintf(p->extra, sizeof(p->extra), "%s@example.com",
		    PICK(r, USERS));
		fill_rand(p->akid, r, "", B64, 27);	/* IdP hash */
		break;
	case ID_WEB_OIDC:
		p->classes = C_WEB;
		p->weight = 30 + rng_below(r, 50);
		break;
	case ID_WEB_COGNITO:
		p->classes = C_COGNITO;
		p->weight = 20;
		{
			struct ct_buf u;
			ct_buf_init(&u, 0);
			put_uuid(&u, r);
			snprintf(p->extra, sizeof(p->extra), "%s:%.36s",
			    w->regions[p->home], u.data);
			ct_buf_free(&u);
		}
		break;
	case ID_IDC:
		p->classes = C_IDC;
		p->weight = 30 + rng_below(r, 30);
		snprintf(p->extra, sizeof(p->extra),
		    "%08x-%04x-%04x-%04x-%08x%04x", (unsigned)rng_next(r),
		    rng_below(r, 65536), rng_below(r, 65536),
		    rng_below(r, 65536), (unsigned)rng_next(r),
		    rng_below(r, 65536));
		break;
	case ID_UNKNOWN_ARN:
	case ID_UNKNOWN_BARE:
		p->classes = C_UNK;
		p->weight = 15;
		break;
	case ID_UNKNOWN_OBO:
		p->classes = C_IDC | C_UNK;
		p->weight = 15;
		snprintf(p->extra, sizeof(p->extra),
		    "%08x-%04x-4%03x-8%03x-%08x%04x", (unsigned)rng_next(r),
		    rng_below(r, 65536), rng_below(r, 4096),
		    rng_below(r, 4096), (unsigned)rng_next(r),
		    rng_below(r, 65536));
		break;
	case ID_DIRECTORY:
		p->classes = C_DIR;
		p->weight = 15;
		fill_rand(p->extra, r, "d-9067", "0123456789abcdef", 6);
		break;
	case ID_NOTYPE_SVC:
	case ID_NOTYPE_ACCT:
	case ID_NONE:
	case ID_ODDTYPE:
		p->classes = C_SVC;
		p->weight = 15;
		break;
	default:
		break;
	}

	/* IPs and agents */
	if (p->classes & (C_SVC | C_XACCT)) {
		p->nip = 0;
	} else {
		p->nip = 1 + (int)rng_below(r, 3);
		for (i = 0; i < p->nip; i++)
			make_ip(p->ip[i], sizeof(p->ip[i]), r,
			    rng_chance(r, 1, 8));
	}
	p->nua = 1 + (int)rng_below(r, 3);
	for (i = 0; i < p->nua; i++) {
		uint32_t k = rng_below(r, 100);
		if (p->console && k < 60)
			p->ua[i] = PICK(r, UA_CONSOLE);
		else if (k < 30)
			p->ua[i] = PICK(r, UA_CLI);
		else if (k < 92)
			p->ua[i] = PICK(r, UA_SDK);
		else
			p->ua[i] = PICK(r, UA_ODD);
	}
}

void
build_world(struct world *w, int nprincipals)
{
	struct rng r;
	uint32_t cum = 0;
	int i;

	rng_seed(&r, w->seed, 1);
	w->npr = nprincipals;
	w->pr = calloc((size_t)nprincipals, sizeof(*w->pr));
	w->pr_cum = calloc((size_t)nprincipals, sizeof(*w->pr_cum));
	if (w->pr == NULL || w->pr_cum == NULL)
		die("out of memory");
	for (i = 0; i < nprincipals; i++) {
		enum idkind k;
		int nfirst = (int)(sizeof(FIRST_KINDS) / sizeof(FIRST_KINDS[0]));

		if (i < nfirst)
			k = FIRST_KINDS[i];
		else {
			static const enum idkind common[] = {
				ID_ROLE, ID_ROLE, ID_ROLE, ID_ROLE, ID_ROLE,
				ID_IAMUSER, ID_IAMUSER, ID_IAMUSER_CONSOLE,
				ID_SERVICE, ID_SERVICE, ID_ROLE_XACCT,
				ID_ACCOUNT, ID_IDC, ID_FED_USER, ID_SAML,
				ID_WEB_OIDC,
			};
			k = PICK(&r, common);
		}
		/* distinct principals: pick again when the name is taken
		 * (in the same account), then add a number */
		if (i >= 1000)		/* too many to check: number them */
			make_principal(w, &w->pr[i], &r, k, i);
		else for (int tries = 0;; tries++) {
			int j, taken = 0;

			make_principal(w, &w->pr[i], &r, k, tries < 8 ? 0 : i);
			for (j = 0; j < i && !taken; j++)
				taken = strcmp(w->pr[j].name, w->pr[i].name) == 0 &&
				    strcmp(w->pr[j].account, w->pr[i].account) == 0;
			if (!taken || tries >= 8)
				break;
		}
		cum += w->pr[i].weight;
		w->pr_cum[i] = cum;
	}
}

int
pick_cum(struct rng *r, const uint32_t *cum, int n)
{
	uint32_t x = rng_below(r, cum[n - 1]);
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

