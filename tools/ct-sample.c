/*
 * ct-sample - a deterministic generator of realistic CloudTrail records.
 *
 * The project's own sample data: the demo, the benchmarks and the tests all
 * feed on it, so it must be reproducible (same seed and options give the
 * same bytes on any machine: the PRNG is ours, no rand(), no locale, no
 * floating point in anything that reaches the output) and fast (records are
 * formatted straight into one buffer, no allocation per field).
 *
 * The records follow the CloudTrail record format (eventVersion 1.08 to
 * 1.11) and cover every userIdentity type the fold knows, plus the odd ones
 * (no type, no userIdentity, an unknown type, missing fields), realistic
 * user agents (long ones, non-ASCII ones), request and response bodies of
 * realistic size and nesting, errors on a fraction of calls.  Event times
 * increase with the record number, so every output is in time order.
 *
 * The same seed gives the same records whatever the --format: ndjson,
 * records, lookup, s3 and --per-region outputs hold the same calls (only
 * the framing differs), which lets tests compare folds across shapes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "exitcodes.h"

#define PROG		"ct-sample"
#define DEF_ACCOUNT	"123456789012"
#define DEF_END		1793491200	/* 2026-11-01T00:00:00Z */
#define DEF_SPAN	(14 * 86400)
#define MAX_REGIONS	64
#define MAX_RECORD	(256 * 1024)

/* ---- PRNG: xoshiro256** seeded with splitmix64 ------------------------- */

struct rng {
	uint64_t	s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is immaterial here). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability num/den. */
static int
rng_chance(struct rng *r, uint32_t num, uint32_t den)
{
	return rng_below(r, den) < num;
}

#define PICK(r, arr)	((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- output buffer ------------------------------------------------------ */

struct sb {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", PROG, msg);
	exit(CT_EXIT_FAILURE);
}

static void
die_errno(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s %s: %s\n", PROG, what, path, strerror(errno));
	exit(CT_EXIT_FAILURE);
}

static void
sb_grow(struct sb *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;

	while (cap - b->len < n)
		cap *= 2;
	b->p = realloc(b->p, cap);
	if (b->p == NULL)
		die("out of memory");
	b->cap = cap;
}

static inline void
sb_need(struct sb *b, size_t n)
{
	if (b->cap - b->len < n)
		sb_grow(b, n);
}

static inline void
put_n(struct sb *b, const char *s, size_t n)
{
	sb_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* NUL-terminate without counting it (for strstr on a record). */
static inline void
sb_nul(struct sb *b)
{
	sb_need(b, 1);
	b->p[b->len] = '\0';
}

static inline void
put(struct sb *b, const char *s)
{
	put_n(b, s, strlen(s));
}

static inline void
put_c(struct sb *b, char c)
{
	sb_need(b, 1);
	b->p[b->len++] = c;
}

static void
put_u(struct sb *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_need(b, (size_t)n);
	while (n)
		b->p[b->len++] = tmp[--n];
}

/* v as exactly w decimal digits, zero-padded. */
static void
put_dw(struct sb *b, unsigned v, int w)
{
	sb_need(b, (size_t)w);
	for (int i = w - 1; i >= 0; i--) {
		b->p[b->len + (size_t)i] = (char)('0' + v % 10);
		v /= 10;
	}
	b->len += (size_t)w;
}

/* n random characters from set. */
static void
put_rand(struct sb *b, struct rng *r, const char *set, int n)
{
	uint32_t m = (uint32_t)strlen(set);

	sb_need(b, (size_t)n);
	while (n-- > 0)
		b->p[b->len++] = set[rng_below(r, m)];
}

static const char HEXL[] = "0123456789abcdef";
static const char UPALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char ALNUM[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
put_hex(struct sb *b, struct rng *r, int n)
{
	put_rand(b, r, HEXL, n);
}

/* A random version-4 UUID, lower case. */
static void
put_uuid(struct sb *b, struct rng *r)
{
	uint64_t hi = rng_next(r), lo = rng_next(r);
	char u[36];
	int i, k = 0;

	hi = (hi & ~0xf000ULL) | 0x4000ULL;
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			u[i] = '-';
			continue;
		}
		uint64_t w = k < 16 ? hi : lo;
		int sh = 60 - 4 * (k % 16);
		u[i] = HEXL[(w >> sh) & 15];
		k++;
	}
	put_n(b, u, 36);
}

/* s as a quoted JSON string (UTF-8 kept raw; ", \ and controls escaped). */
static void
put_js(struct sb *b, const char *s)
{
	static const char *esc[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004",
		"\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n",
		"\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010",
		"\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015",
		"\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a",
		"\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	const unsigned char *p = (const unsigned char *)s;

	put_c(b, '"');
	for (; *p; p++) {
		if (*p == '"')
			put_n(b, "\\\"", 2);
		else if (*p == '\\')
			put_n(b, "\\\\", 2);
		else if (*p < 0x20)
			put(b, esc[*p]);
		else
			put_c(b, (char)*p);
	}
	put_c(b, '"');
}

/* Append the bytes s[0..n) as the body of a JSON string (for embedding
 * one JSON text inside another, as LookupEvents does). */
static void
put_js_body(struct sb *b, const char *s, size_t n)
{
	sb_need(b, n + n / 8 + 16);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			put_c(b, '\\');
			put_c(b, (char)c);
		} else if (c < 0x20) {
			put(b, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\u0000");
		} else
			put_c(b, (char)c);
	}
}

/* ---- time ---------------------------------------------------------------- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

struct tm6 {
	int	y, mo, d, h, mi, s;
};

static void
civil(int64_t t, struct tm6 *c)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400;
	int64_t sod = t - z * 86400;

	c->h = (int)(sod / 3600);
	c->mi = (int)(sod / 60 % 60);
	c->s = (int)(sod % 60);
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	c->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->y = (int)(y + (c->mo <= 2));
}

/* 2026-11-01T00:00:00Z */
static void
put_iso(struct sb *b, int64_t t)
{
	struct tm6 c;

	civil(t, &c);
	put_dw(b, (unsigned)c.y, 4); put_c(b, '-');
	put_dw(b, (unsigned)c.mo, 2); put_c(b, '-');
	put_dw(b, (unsigned)c.d, 2); put_c(b, 'T');
	put_dw(b, (unsigned)c.h, 2); put_c(b, ':');
	put_dw(b, (unsigned)c.mi, 2); put_c(b, ':');
	put_dw(b, (unsigned)c.s, 2); put_c(b, 'Z');
}

static void
put_qiso(struct sb *b, int64_t t)
{
	put_c(b, '"');
	put_iso(b, t);
	put_c(b, '"');
}

/* Parse TIME: now, @EPOCH, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z]. */
static int
parse_time(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	char *end;

	if (strcmp(s, "now") == 0) {
		*out = (int64_t)time(NULL);
		return 0;
	}
	if (s[0] == '@') {
		errno = 0;
		long long v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return -1;
		*out = v;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		s++;
		n = 0;
		if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) != 2)
			return -1;
		s += n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1)
				return -1;
			s += 1 + n;
		}
		if (*s == 'Z')
			s++;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec;
	return 0;
}

/* SIZE: a number with an optional K, M or G (powers of 1024). */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t mul = 1;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* ---- the world: regions, principals, user agents ------------------------ */

static const char *DEFAULT_REGIONS[] = {
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1",
};

/* Relative traffic per default region (same order). */
static const uint32_t DEFAULT_REGION_W[] = {
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

static const char *USERS[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert",
	"sybil", "trent", "victor", "walter", "deploy-bot", "ci-runner",
	"backup-svc", "jenkins", "grafana-reader", "break-glass",
};

/* role path (with trailing /) and name */
static const char *ROLES[][2] = {
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

static const char *SESSIONS[] = {
	"i-0a1b2c3d4e5f60718", "botocore-session-1712345678", "alice@example.com",
	"GitHubActions", "aws-go-sdk-1711111111111111111", "karpenter",
	"terraform-run-8842", "1712000000000", "AWSConfig-Describe",
	"bob.smith@example.com", "eks-prod-node-7f9c", "cross-account-audit",
};

enum idkind {
	ID_ROLE, ID_IAMUSER, ID_SERVICE, ID_ROOT, ID_ROLE_XACCT, ID_ACCOUNT,
	ID_FED_USER, ID_FED_ROOT, ID_SAML, ID_WEB_OIDC, ID_WEB_COGNITO, ID_IDC,
	ID_UNKNOWN_ARN, ID_UNKNOWN_OBO, ID_UNKNOWN_BARE, ID_DIRECTORY,
	ID_NOTYPE_SVC, ID_NOTYPE_ACCT, ID_NONE, ID_ODDTYPE, ID_ROLE_NOISSUER,
	ID_ACCOUNT_SVC, ID_IAMUSER_CONSOLE, ID_NKINDS
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

/* Event classes: which calls a principal makes. */
enum {
	C_GEN = 1 << 0,		/* general API use: CLI, SDK, console */
	C_SVC = 1 << 1,		/* AWS services acting for the account */
	C_CONSOLE = 1 << 2,	/* console sign-in */
	C_SAML = 1 << 3,
	C_WEB = 1 << 4,
	C_COGNITO = 1 << 5,
	C_IDC = 1 << 6,		/* IAM Identity Center portal */
	C_UNK = 1 << 7,		/* what shows up with type Unknown */
	C_DIR = 1 << 8,		/* WorkDocs, Directory users */
	C_XACCT = 1 << 9,	/* calls from another account */
};

struct principal {
	enum idkind	 kind;
	unsigned	 classes;
	uint32_t	 weight;
	int		 home;		/* index into regions */
	char		 name[96];	/* user, role or service name */
	char		 path[96];	/* role path */
	char		 account[16];
	char		 pid[24];	/* AIDA/AROA id */
	char		 akid[32];	/* access key id, or the SAML IdP id */
	char		 extra[128];	/* session name, provider, user id... */
	const char	*ua[3];
	int		 nua;
	char		 ip[3][48];
	int		 nip;
	int		 console;
};

struct world {
	const char	*account;
	const char	*regions[MAX_REGIONS];
	uint32_t	 region_cum[MAX_REGIONS];
	int		 nregions;
	int		 global;	/* region index of IAM, STS global, sign-in */
	struct principal *pr;
	uint32_t	*pr_cum;
	int		 npr;
	uint64_t	 seed;
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
			struct sb u = { 0 };
			put_uuid(&u, r);
			snprintf(p->extra, sizeof(p->extra), "%s:%.36s",
			    w->regions[p->home], u.p);
			free(u.p);
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

static void
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

static int
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

/* ---- the events ----------------------------------------------------------- */

enum shape {
	S_NONE, S_ASSUME_ROLE, S_ASSUME_SAML, S_ASSUME_WEB, S_GET_CALLER,
	S_DESCRIBE_INSTANCES, S_DESCRIBE_FILTERS, S_RUN_INSTANCES,
	S_INSTANCE_STATE, S_CREATE_TAGS, S_SG_INGRESS, S_S3_BUCKET,
	S_S3_OBJECT, S_S3_PUT_POLICY, S_S3_LIST, S_IAM_ROLE, S_IAM_PUT_POLICY,
	S_IAM_LIST, S_IAM_ACCESS_KEY, S_CONSOLE_LOGIN, S_KMS, S_LAMBDA,
	S_LAMBDA_INVOKE, S_TRAIL, S_LOOKUP, S_LOGS, S_DDB, S_ECR_TOKEN,
	S_CONFIG_EVAL, S_SSO, S_COGNITO, S_WORKDOCS, S_SSM_PARAM, S_GENERIC,
};

struct evdef {
	const char	*src;
	const char	*name;
	unsigned	 classes;
	uint16_t	 weight;
	uint8_t		 ro;		/* readOnly */
	uint8_t		 data;		/* data event, not management */
	uint8_t		 global;	/* logged in the global region */
	enum shape	 shape;
	const char	*errs;		/* "code|message;code|message" */
};

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

/* ---- one record ------------------------------------------------------------ */

struct ctx {
	struct sb	*b;
	struct rng	*r;
	const struct world *w;
	const struct principal *p;
	const struct evdef *ev;
	const char	*region;
	int64_t		 t;
};

/* Write the principal's ARN (for messages and resources). */
static void
put_principal_arn(struct sb *b, const struct principal *p)
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
	struct sb *b = c->b;

	put(b, "\"attributes\":{\"creationDate\":");
	put_qiso(b, c->t - 60 - (int64_t)rng_below(c->r, 3500));
	put(b, ",\"mfaAuthenticated\":");
	put(b, mfa ? "\"true\"}" : "\"false\"}");
}

static void
put_role_issuer(struct ctx *c)
{
	const struct principal *p = c->p;
	struct sb *b = c->b;

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

static void
put_identity(struct ctx *c)
{
	const struct principal *p = c->p;
	struct sb *b = c->b;
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

static void
put_iid(struct sb *b, struct rng *r)
{
	put(b, "i-0");
	put_hex(b, r, 16);
}

static void
put_bucket(struct sb *b, struct rng *r, const struct world *w)
{
	static const char *bk[] = {
		"prod-orders-archive", "cloudtrail-logs", "terraform-state",
		"static-website-assets", "data-lake-raw", "athena-results",
		"backup-vault-export", "ml-training-sets",
	};
	put(b, PICK(r, bk));
	put_c(b, '-');
	put(b, w->account);
}

static void
put_filters(struct ctx *c)
{
	static const char *names[] = {
		"vpc-id", "tag:Name", "instance-state-name", "group-name",
		"availability-zone", "tag:aws:cloudformation:stack-name",
		"owner-id", "attachment.instance-id",
	};
	struct sb *b = c->b;
	int n = 1 + (int)rng_below(c->r, 3);

	put(b, "\"filterSet\":{\"items\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			put_c(b, ',');
		put(b, "{\"name\":\""); put(b, PICK(c->r, names));
		put(b, "\",\"valueSet\":{\"items\":[{\"value\":\"");
		if (rng_chance(c->r, 1, 2)) {
			put(b, "vpc-0"); put_hex(b, c->r, 16);
		} else
			put(b, rng_chance(c->r, 1, 5) ? "Café-Frontend 🚀" :
			    "running");
		put(b, "\"}]}}");
	}
	put(b, "]}");
}

static void
put_policy_doc(struct ctx *c)
{
	/* A JSON document inside a JSON string, escaped, as IAM logs it. */
	put(c->b, "\"{\\n  \\\"Version\\\": \\\"2012-10-17\\\",\\n  "
	    "\\\"Statement\\\": [\\n    {\\n      \\\"Effect\\\": \\\"Allow\\\",\\n"
	    "      \\\"Action\\\": [\\\"s3:GetObject\\\", \\\"s3:PutObject\\\", "
	    "\\\"s3:ListBucket\\\"],\\n      \\\"Resource\\\": [\\\"arn:aws:s3:::");
	put_bucket(c->b, c->r, c->w);
	put(c->b, "\\\", \\\"arn:aws:s3:::");
	put_bucket(c->b, c->r, c->w);
	put(c->b, "/*\\\"],\\n      \\\"Condition\\\": {\\\"StringEquals\\\": "
	    "{\\\"aws:PrincipalOrgID\\\": \\\"o-a1b2c3d4e5\\\"}}\\n    }\\n  ]\\n}\"");
}

static void
put_s3_extra(struct ctx *c, const char *auth)
{
	struct sb *b = c->b;

	put(b, ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\","
	    "\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":");
	put_u(b, rng_below(c->r, 4) ? 0 : rng_below(c->r, 900000));
	put(b, ",\"AuthenticationMethod\":\""); put(b, auth);
	put(b, "\",\"x-amz-id-2\":\"");
	put_rand(b, c->r, B64, 76);
	put(b, "\",\"bytesTransferredOut\":");
	put_u(b, rng_below(c->r, 2000000));
	put(b, "}");
}

/* requestParameters, responseElements, additionalEventData (leading
 * comma included for the optional ones), resources in *res. */
static void
put_body(struct ctx *c, int failed, struct sb *res)
{
	struct sb *b = c->b;
	struct rng *r = c->r;
	const struct world *w = c->w;
	int i, n;

	switch (c->ev->shape) {
	case S_ASSUME_ROLE: {
		const struct principal *tp =
		    &w->pr[rng_below(r, (uint32_t)w->npr)];
		const char *rn = tp->kind == ID_ROLE ? tp->name : "OrganizationAccountAccessRole";
		put(b, "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::");
		put(b, w->account); put(b, ":role/"); put(b, rn);
		put(b, "\",\"roleSessionName\":\"");
		put(b, PICK(r, SESSIONS));
		put(b, "\",\"durationSeconds\":3600");
		if (rng_chance(r, 1, 4)) {
			put(b, ",\"externalId\":\"");
			put_uuid(b, r);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":");
		if (failed) {
			put(b, "null");
		} else {
			put(b, "{\"credentials\":{\"accessKeyId\":\"ASIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
			put_rand(b, r, B64, 250 + (int)rng_below(r, 400));
			put(b, "\",\"expiration\":\"");
			{
				struct tm6 t;
				static const char *mon[] = { "Jan", "Feb",
				    "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				    "Sep", "Oct", "Nov", "Dec" };
				civil(c->t + 3600, &t);
				put(b, mon[t.mo - 1]); put_c(b, ' ');
				put_u(b, (uint64_t)t.d); put(b, ", ");
				put_u(b, (uint64_t)t.y); put_c(b, ' ');
				put_u(b, (uint64_t)(t.h % 12 ? t.h % 12 : 12));
				put_c(b, ':'); put_dw(b, (unsigned)t.mi, 2);
				put_c(b, ':'); put_dw(b, (unsigned)t.s, 2);
				put(b, t.h < 12 ? " AM" : " PM");
			}
			put(b, "\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA");
			put_rand(b, r, UPALNUM, 17);
			put(b, ":session\",\"arn\":\"arn:aws:sts::");
			put(b, w->account); put(b, ":assumed-role/"); put(b, rn);
			put(b, "/session\"}}");
		}
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::");
		put(res, w->account); put(res, ":role/"); put(res, rn);
		put(res, "\"}]");
		break;
	}
	case S_ASSUME_SAML:
	case S_ASSUME_WEB:
		put(b, "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::");
		put(b, w->account); put(b, ":role/"); put(b, c->p->name);
		if (c->ev->shape == S_ASSUME_SAML) {
			put(b, "\",\"principalArn\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":saml-provider/Okta\",\"durationSeconds\":43200},");
		} else {
			put(b, "\",\"roleSessionName\":\"GitHubActions\"},");
		}
		put(b, "\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"credentials\":{\"accessKeyId\":\"ASIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
			put_rand(b, r, B64, 400);
			put(b, "\",\"expiration\":\"Nov 1, 2026 12:00:00 PM\"},"
			    "\"subjectFromWebIdentityToken\":\"repo:example-org/app:ref:refs/heads/main\","
			    "\"audience\":\"sts.amazonaws.com\",\"provider\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":oidc-provider/token.actions.githubusercontent.com\"}");
		}
		break;
	case S_GET_CALLER:
		put(b, "\"requestParameters\":null,\"responseElements\":null");
		break;
	case S_DESCRIBE_INSTANCES:
		put(b, "\"requestParameters\":{\"instancesSet\":{");
		n = (int)rng_below(r, 4);
		if (n) {
			put(b, "\"items\":[");
			for (i = 0; i < n; i++) {
				put(b, i ? ",{\"instanceId\":\"" :
				    "{\"instanceId\":\"");
				put_iid(b, r);
				put(b, "\"}");
			}
			put(b, "]");
		}
		put(b, "},");
		put_filters(c);
		put(b, "},\"responseElements\":null");
		break;
	case S_DESCRIBE_FILTERS:
		put(b, "\"requestParameters\":{");
		if (rng_chance(r, 1, 2)) {
			put_filters(c);
			put(b, ",");
		}
		put(b, "\"maxResults\":");
		put_u(b, 5 + rng_below(r, 995));
		put(b, "},\"responseElements\":null");
		break;
	case S_RUN_INSTANCES:
		put(b, "\"requestParameters\":{\"instancesSet\":{\"items\":[{"
		    "\"imageId\":\"ami-0");
		put_hex(b, r, 16);
		put(b, "\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"m5.large\","
		    "\"blockDeviceMapping\":{\"items\":[{\"deviceName\":\"/dev/xvda\","
		    "\"ebs\":{\"volumeSize\":50,\"deleteOnTermination\":true,"
		    "\"volumeType\":\"gp3\",\"encrypted\":true}}]},"
		    "\"tenancy\":\"default\",\"monitoring\":{\"enabled\":false},"
		    "\"disableApiTermination\":false,\"disableApiStop\":false,"
		    "\"clientToken\":\"");
		put_uuid(b, r);
		put(b, "\",\"networkInterfaceSet\":{\"items\":[{\"deviceIndex\":0,"
		    "\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"associatePublicIpAddress\":false,\"groupSet\":{\"items\":"
		    "[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\"}]}}]},\"iamInstanceProfile\":{\"arn\":\"arn:aws:iam::");
		put(b, w->account);
		put(b, ":instance-profile/eks-node\"},\"tagSpecificationSet\":{\"items\":"
		    "[{\"resourceType\":\"instance\",\"tags\":[{\"key\":\"Name\",\"value\":"
		    "\"worker-Zürich-1\"},{\"key\":\"karpenter.sh/nodepool\",\"value\":"
		    "\"default\"},{\"key\":\"team\",\"value\":\"platform\"}]}]},"
		    "\"metadataOptions\":{\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2}},"
		    "\"responseElements\":");
		if (failed) {
			put(b, "null");
			break;
		}
		put(b, "{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"reservationId\":\"r-0");
		put_hex(b, r, 16);
		put(b, "\",\"ownerId\":\""); put(b, w->account);
		put(b, "\",\"groupSet\":{},\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\",\"imageId\":\"ami-0");
		put_hex(b, r, 16);
		put(b, "\",\"currentInstanceBootMode\":\"legacy-bios\",\"instanceState\":"
		    "{\"code\":0,\"name\":\"pending\"},\"privateDnsName\":\"ip-10-0-");
		put_u(b, rng_below(r, 256)); put_c(b, '-');
		put_u(b, rng_below(r, 256));
		put(b, ".ec2.internal\",\"amiLaunchIndex\":0,\"productCodes\":{},"
		    "\"instanceType\":\"m5.large\",\"launchTime\":");
		put_u(b, (uint64_t)c->t * 1000);
		put(b, ",\"placement\":{\"availabilityZone\":\"");
		put(b, c->region);
		put(b, "a\",\"tenancy\":\"default\"},\"monitoring\":{\"state\":\"disabled\"},"
		    "\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"vpcId\":\"vpc-0");
		put_hex(b, r, 16);
		put(b, "\",\"privateIpAddress\":\"10.0.");
		put_u(b, rng_below(r, 256)); put_c(b, '.');
		put_u(b, rng_below(r, 256));
		put(b, "\",\"stateReason\":{\"code\":\"pending\",\"message\":\"pending\"},"
		    "\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":"
		    "\"/dev/xvda\",\"blockDeviceMapping\":{},\"virtualizationType\":\"hvm\","
		    "\"clientToken\":\"");
		put_uuid(b, r);
		put(b, "\",\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"worker-Zürich-1\"},"
		    "{\"key\":\"team\",\"value\":\"platform\"}]},\"groupSet\":{\"items\":"
		    "[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"groupName\":\"eks-nodes\"}]},\"sourceDestCheck\":true,"
		    "\"hypervisor\":\"xen\",\"networkInterfaceSet\":{\"items\":[{"
		    "\"networkInterfaceId\":\"eni-0");
		put_hex(b, r, 16);
		put(b, "\",\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"ownerId\":\""); put(b, w->account);
		put(b, "\",\"status\":\"in-use\",\"macAddress\":\"0e:");
		for (i = 0; i < 5; i++) {
			put_hex(b, r, 2);
			if (i < 4) put_c(b, ':');
		}
		put(b, "\",\"privateIpAddress\":\"10.0.1.17\",\"sourceDestCheck\":true,"
		    "\"interfaceType\":\"interface\",\"groupSet\":{\"items\":[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"groupName\":\"eks-nodes\"}]},\"attachment\":{\"attachmentId\":"
		    "\"eni-attach-0");
		put_hex(b, r, 16);
		put(b, "\",\"deviceIndex\":0,\"networkCardIndex\":0,\"status\":\"attaching\","
		    "\"attachTime\":");
		put_u(b, (uint64_t)c->t * 1000);
		put(b, ",\"deleteOnTermination\":true},\"privateIpAddressesSet\":{\"item\":"
		    "[{\"privateIpAddress\":\"10.0.1.17\",\"primary\":true}]},"
		    "\"ipv6AddressesSet\":{},\"tagSet\":{}}]},\"ebsOptimized\":false,"
		    "\"enaSupport\":true,\"cpuOptions\":{\"coreCount\":1,\"threadsPerCore\":2},"
		    "\"capacityReservationSpecification\":{\"capacityReservationPreference\":\"open\"},"
		    "\"enclaveOptions\":{\"enabled\":false},\"metadataOptions\":{\"state\":\"pending\","
		    "\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2,\"httpEndpoint\":"
		    "\"enabled\",\"httpProtocolIpv4\":\"enabled\",\"httpProtocolIpv6\":\"disabled\","
		    "\"instanceMetadataTags\":\"disabled\"},\"maintenanceOptions\":{\"autoRecovery\":"
		    "\"default\"},\"privateDnsNameOptions\":{\"hostnameType\":\"ip-name\","
		    "\"enableResourceNameDnsARecord\":false,\"enableResourceNameDnsAAAARecord\":false}}]},"
		    "\"requesterId\":\"\"}");
		break;
	case S_INSTANCE_STATE:
		put(b, "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\"}]}");
		if (c->ev->name[1] == 't' && c->ev->name[2] == 'o')
			put(b, ",\"force\":false");
		put(b, "},\"responseElements\":");
		if (failed) {
			put(b, "null");
			break;
		}
		put(b, "{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\",\"currentState\":{\"code\":32,\"name\":\"shutting-down\"},"
		    "\"previousState\":{\"code\":16,\"name\":\"running\"}}]}}");
		break;
	case S_CREATE_TAGS:
		put(b, "\"requestParameters\":{\"resourcesSet\":{\"items\":[{\"resourceId\":\"");
		put_iid(b, r);
		put(b, "\"}]},\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"");
		put(b, rng_chance(r, 1, 3) ? "Überwachung – Produktion ✓" :
		    rng_chance(r, 1, 2) ? "日本語のタグ" : "web-frontend");
		put(b, "\"},{\"key\":\"Owner\",\"value\":\"ops@example.com\"}]}},"
		    "\"responseElements\":{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"_return\":true}");
		break;
	case S_SG_INGRESS:
		put(b, "\"requestParameters\":{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,"
		    "\"toPort\":22,\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\","
		    "\"description\":\"temporary \\\"debug\\\" access\\tby ops\"}]},"
		    "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}},\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"requestId\":\"");
			put_uuid(b, r);
			put(b, "\",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{"
			    "\"groupOwnerId\":\"");
			put(b, w->account);
			put(b, "\",\"groupId\":\"sg-0");
			put_hex(b, r, 16);
			put(b, "\",\"securityGroupRuleId\":\"sgr-0");
			put_hex(b, r, 16);
			put(b, "\",\"isEgress\":false,\"ipProtocol\":\"tcp\",\"fromPort\":22,"
			    "\"toPort\":22,\"cidrIpv4\":\"0.0.0.0/0\"}]}}");
		}
		break;
	case S_S3_LIST:
		put(b, "\"requestParameters\":{\"Host\":\"s3.amazonaws.com\"},"
		    "\"responseElements\":null");
		put_s3_extra(c, "AuthHeader");
		break;
	case S_S3_BUCKET:
	case S_S3_PUT_POLICY: {
		struct sb bn = { 0 };
		put_bucket(&bn, r, w);
		put_c(&bn, '\0');
		put(b, "\"requestParameters\":{\"bucketName\":\"");
		put(b, bn.p);
		put(b, "\",\"Host\":\"");
		put(b, bn.p);
		put(b, ".s3.");
		put(b, c->region);
		put(b, ".amazonaws.com\",\"");
		put(b, c->ev->name + 3);
		put(b, "\":\"\"");
		if (c->ev->shape == S_S3_PUT_POLICY) {
			put(b, ",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":"
			    "[{\"Sid\":\"AWSCloudTrailAclCheck\",\"Effect\":\"Allow\","
			    "\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
			    "\"Action\":\"s3:GetBucketAcl\",\"Resource\":\"arn:aws:s3:::");
			put(b, bn.p);
			put(b, "\"},{\"Sid\":\"AWSCloudTrailWrite\",\"Effect\":\"Allow\","
			    "\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
			    "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::");
			put(b, bn.p);
			put(b, "/AWSLogs/");
			put(b, w->account);
			put(b, "/*\",\"Condition\":{\"StringEquals\":{\"s3:x-amz-acl\":"
			    "\"bucket-owner-full-control\"}}}]}");
		}
		put(b, "},\"responseElements\":null");
		put_s3_extra(c, "AuthHeader");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
		put(res, bn.p);
		put(res, "\"}]");
		free(bn.p);
		break;
	}
	case S_S3_OBJECT: {
		static const char *keys[] = {
			"AWSLogs/123456789012/CloudTrail/us-east-1/2026/10/20/file.json.gz",
			"exports/2026-10/orders.parquet", "index.html",
			"reports/Q3/Résumé final (v2).pdf", "models/bert/pytorch_model.bin",
			"tmp/upload-7f3a.part", "images/logo@2x.png",
		};
		struct sb bn = { 0 };
		const char *k = PICK(r, keys);
		put_bucket(&bn, r, w);
		put_c(&bn, '\0');
		put(b, "\"requestParameters\":{\"bucketName\":\"");
		put(b, bn.p);
		put(b, "\",\"Host\":\"");
		put(b, bn.p);
		put(b, ".s3.");
		put(b, c->region);
		put(b, ".amazonaws.com\",\"key\":");
		put_js(b, k);
		put(b, "},\"responseElements\":");
		if (c->ev->ro || failed)
			put(b, "null");
		else {
			put(b, "{\"x-amz-server-side-encryption\":\"AES256\","
			    "\"x-amz-version-id\":\"");
			put_rand(b, r, ALNUM, 32);
			put(b, "\"}");
		}
		put_s3_extra(c, rng_chance(r, 1, 5) ? "QueryString" :
		    "AuthHeader");
		put(res, ",\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":");
		{
			struct sb arn = { 0 };
			put(&arn, "arn:aws:s3:::");
			put(&arn, bn.p);
			put_c(&arn, '/');
			put(&arn, k);
			put_c(&arn, '\0');
			put_js(res, arn.p);
			free(arn.p);
		}
		put(res, "},{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
		put(res, bn.p);
		put(res, "\"}]");
		free(bn.p);
		break;
	}
	case S_IAM_ROLE: {
		const char *rn = ROLES[rng_below(r, sizeof(ROLES) / sizeof(ROLES[0]))][1];
		put(b, "\"requestParameters\":{\"roleName\":\"");
		put(b, rn);
		put(b, "\"");
		if (c->ev->name[0] == 'C') {
			put(b, ",\"assumeRolePolicyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
			    "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":"
			    "{\\\"Federated\\\":\\\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":oidc-provider/token.actions.githubusercontent.com\\\"},"
			    "\\\"Action\\\":\\\"sts:AssumeRoleWithWebIdentity\\\",\\\"Condition\\\":"
			    "{\\\"StringLike\\\":{\\\"token.actions.githubusercontent.com:sub\\\":"
			    "\\\"repo:example-org/*\\\"}}}]}\",\"maxSessionDuration\":3600");
		}
		put(b, "},\"responseElements\":");
		if (c->ev->name[0] == 'C' && !failed) {
			put(b, "{\"role\":{\"path\":\"/\",\"roleName\":\"");
			put(b, rn);
			put(b, "\",\"roleId\":\"AROA");
			put_rand(b, r, UPALNUM, 17);
			put(b, "\",\"arn\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":role/");
			put(b, rn);
			put(b, "\",\"createDate\":\"");
			put_iso(b, c->t);
			put(b, "\",\"maxSessionDuration\":3600}}");
		} else
			put(b, "null");
		break;
	}
	case S_IAM_PUT_POLICY:
		put(b, "\"requestParameters\":{\"roleName\":\"");
		put(b, ROLES[rng_below(r, sizeof(ROLES) / sizeof(ROLES[0]))][1]);
		put(b, "\",\"policyName\":\"s3-access\",\"policyDocument\":");
		put_policy_doc(c);
		put(b, "},\"responseElements\":null");
		break;
	case S_IAM_LIST:
		put(b, "\"requestParameters\":");
		if (rng_chance(r, 1, 2)) {
			put(b, "{\"maxItems\":100");
			if (rng_chance(r, 1, 2)) {
				put(b, ",\"marker\":\"");
				put_rand(b, r, B64, 120);
				put(b, "\"");
			}
			put(b, "}");
		} else
			put(b, "null");
		put(b, ",\"responseElements\":null");
		break;
	case S_IAM_ACCESS_KEY:
		put(b, "\"requestParameters\":{\"userName\":\"");
		put(b, PICK(r, USERS));
		put(b, "\"},\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"accessKey\":{\"userName\":\"ci-runner\",\"accessKeyId\":\"AKIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"status\":\"Active\",\"createDate\":\"");
			put_iso(b, c->t);
			put(b, "\"}}");
		}
		break;
	case S_CONSOLE_LOGIN:
		put(b, "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"");
		put(b, failed ? "Failure" : "Success");
		put(b, "\"},\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/"
		    "console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_");
		put(b, c->region);
		put(b, "_");
		put_hex(b, r, 16);
		put(b, "\",\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::");
		put(b, w->account);
		put(b, ":mfa/phone\",\"MFAUsed\":\"Yes\"}");
		break;
	case S_KMS:
		put(b, "\"requestParameters\":{");
		if (c->ev->name[0] != 'D') {
			put(b, "\"keyId\":\"alias/");
			put(b, rng_chance(r, 1, 2) ? "aws/s3" : "app-data");
			put(b, "\",");
			if (c->ev->name[0] == 'G')
				put(b, "\"keySpec\":\"AES_256\",");
		}
		put(b, "\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::");
		put_bucket(b, r, w);
		put(b, "/exports/2026-10/part-");
		put_dw(b, rng_below(r, 100000), 5);
		put(b, ".parquet\"},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"},"
		    "\"responseElements\":null");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:");
		put(res, c->region);
		put_c(res, ':');
		put(res, w->account);
		put(res, ":key/");
		put_uuid(res, r);
		put(res, "\"}]");
		break;
	case S_LAMBDA:
		put(b, "\"requestParameters\":");
		if (c->ev->name[0] == 'L')
			put(b, "null");
		else {
			put(b, "{\"functionName\":\"orders-processor\"");
			if (c->ev->name[0] == 'U')
				put(b, ",\"s3Bucket\":\"deploy-artifacts\",\"s3Key\":\"orders/build-1842.zip\","
				    "\"publish\":true,\"dryRun\":false");
			put(b, "}");
		}
		put(b, ",\"responseElements\":");
		if (c->ev->name[0] == 'U' && !failed) {
			put(b, "{\"functionName\":\"orders-processor\",\"functionArn\":\"arn:aws:lambda:");
			put(b, c->region); put_c(b, ':'); put(b, w->account);
			put(b, ":function:orders-processor\",\"runtime\":\"python3.12\",\"role\":"
			    "\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":role/lambda-orders-processor\",\"handler\":\"app.handler\","
			    "\"codeSize\":");
			put_u(b, 10000 + rng_below(r, 9000000));
			put(b, ",\"description\":\"Bestellungen verarbeiten – orders\",\"timeout\":30,"
			    "\"memorySize\":512,\"lastModified\":\"");
			put_iso(b, c->t);
			put(b, "\",\"codeSha256\":\"");
			put_rand(b, r, B64, 43);
			put(b, "=\",\"version\":\"");
			put_u(b, 1 + rng_below(r, 300));
			put(b, "\",\"environment\":{},\"tracingConfig\":{\"mode\":\"PassThrough\"},"
			    "\"revisionId\":\"");
			put_uuid(b, r);
			put(b, "\",\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\","
			    "\"packageType\":\"Zip\",\"architectures\":[\"arm64\"],"
			    "\"ephemeralStorage\":{\"size\":512},\"snapStart\":{\"applyOn\":\"None\","
			    "\"optimizationStatus\":\"Off\"},\"runtimeVersionConfig\":{\"runtimeVersionArn\":"
			    "\"arn:aws:lambda:");
			put(b, c->region);
			put(b, "::runtime:");
			put_hex(b, r, 64);
			put(b, "\"},\"loggingConfig\":{\"logFormat\":\"Text\",\"logGroup\":"
			    "\"/aws/lambda/orders-processor\"}}");
		} else
			put(b, "null");
		break;
	case S_LAMBDA_INVOKE:
		put(b, "\"requestParameters\":{\"functionName\":\"arn:aws:lambda:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":function:orders-processor\",\"invocationType\":\"Event\","
		    "\"sourceArn\":\"arn:aws:sqs:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":orders-queue\"},\"responseElements\":null,"
		    "\"additionalEventData\":{\"functionVersion\":\"arn:aws:lambda:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":function:orders-processor:$LATEST\"}");
		break;
	case S_TRAIL:
		put(b, "\"requestParameters\":{");
		if (c->ev->name[0] == 'G') {
			put(b, "\"name\":\"arn:aws:cloudtrail:us-east-1:");
			put(b, w->account);
			put(b, ":trail/management-events\"");
		} else
			put(b, "\"trailNameList\":[],\"includeShadowTrails\":true");
		put(b, "},\"responseElements\":null");
		break;
	case S_LOOKUP:
		put(b, "\"requestParameters\":{\"startTime\":\"");
		{
			struct tm6 t;
			civil(c->t - 86400, &t);
			put_iso(b, c->t - 86400);
		}
		put(b, "\",\"endTime\":\"");
		put_iso(b, c->t);
		put(b, "\",\"maxResults\":50");
		if (rng_chance(r, 2, 3)) {
			put(b, ",\"nextToken\":\"");
			put_rand(b, r, B64, 180);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":null");
		break;
	case S_LOGS:
		put(b, "\"requestParameters\":{\"logGroupName\":\"/aws/lambda/orders-processor\"");
		if (c->ev->name[0] == 'C') {
			put(b, ",\"logStreamName\":\"2026/10/31/[$LATEST]");
			put_hex(b, r, 32);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":null");
		break;
	case S_DDB:
		put(b, "\"requestParameters\":");
		if (c->ev->name[0] == 'D')
			put(b, "{\"tableName\":\"orders\"}");
		else
			put(b, "{\"limit\":100}");
		put(b, ",\"responseElements\":null");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::DynamoDB::Table\",\"ARN\":\"arn:aws:dynamodb:");
		put(res, c->region); put_c(res, ':'); put(res, w->account);
		put(res, ":table/orders\"}]");
		break;
	case S_ECR_TOKEN:
		put(b, "\"requestParameters\":{\"registryIds\":[\"");
		put(b, w->account);
		put(b, "\"]},\"responseElements\":null");
		break;
	case S_CONFIG_EVAL:
		put(b, "\"requestParameters\":{\"evaluations\":[");
		n = 1 + (int)rng_below(r, 4);
		for (i = 0; i < n; i++) {
			if (i)
				put_c(b, ',');
			put(b, "{\"complianceResourceType\":\"AWS::EC2::SecurityGroup\","
			    "\"complianceResourceId\":\"sg-0");
			put_hex(b, r, 16);
			put(b, "\",\"complianceType\":\"");
			put(b, rng_chance(r, 1, 3) ? "NON_COMPLIANT" : "COMPLIANT");
			put(b, "\",\"annotation\":\"Ingress 0.0.0.0/0 on port 22\","
			    "\"orderingTimestamp\":\"");
			put_iso(b, c->t - 300);
			put(b, "\"}");
		}
		put(b, "],\"resultToken\":\"");
		put_rand(b, r, B64, 200 + (int)rng_below(r, 300));
		put(b, "\",\"testMode\":false},\"responseElements\":{\"failedEvaluations\":[]}");
		break;
	case S_SSM_PARAM:
		put(b, "\"requestParameters\":{\"name\":\"/prod/orders/");
		put(b, rng_chance(r, 1, 2) ? "db-password" : "feature-flags");
		put(b, "\",\"withDecryption\":true},\"responseElements\":null");
		break;
	case S_SSO:
		put(b, "\"requestParameters\":{\"accountId\":\"");
		put(b, w->account);
		put(b, "\",\"roleName\":\"AdministratorAccess\"},\"responseElements\":null");
		break;
	case S_COGNITO:
		put(b, "\"requestParameters\":{\"identityId\":\"");
		put(b, c->region); put_c(b, ':'); put_uuid(b, r);
		put(b, "\",\"logins\":{\"cognito-idp.");
		put(b, c->region);
		put(b, ".amazonaws.com/");
		put(b, c->region);
		put(b, "_AbCdEf123\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}},"
		    "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA");
		put_rand(b, r, UPALNUM, 16);
		put(b, "\",\"expiration\":\"Nov 1, 2026 1:00:00 PM\",\"sessionToken\":"
		    "\"HIDDEN_DUE_TO_SECURITY_REASONS\"},\"identityId\":\"");
		put(b, c->region); put_c(b, ':'); put_uuid(b, r);
		put(b, "\"}");
		break;
	case S_WORKDOCS:
		put(b, "\"requestParameters\":{\"FolderId\":\"");
		put_hex(b, r, 64);
		put(b, "\",\"Limit\":100},\"responseElements\":null");
		break;
	case S_GENERIC:
	case S_NONE:
		put(b, "\"requestParameters\":null,\"responseElements\":null");
		break;
	}
}

/* Pick an error "code|message" of the event (or a generic one). */
static void
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

/* Replace %ARN% and %ACTION% in an error message. */
static void
put_error_message(struct ctx *c, const char *msg)
{
	struct sb tmp = { 0 };
	const char *p = msg;

	while (*p) {
		if (strncmp(p, "%ARN%", 5) == 0) {
			put_principal_arn(&tmp, c->p);
			p += 5;
		} else if (strncmp(p, "%ACTION%", 8) == 0) {
			const char *dot = strchr(c->ev->src, '.');
			put_n(&tmp, c->ev->src, (size_t)(dot - c->ev->src));
			put_c(&tmp, ':');
			put(&tmp, c->ev->name);
			p += 8;
		} else
			put_c(&tmp, *p++);
	}
	put_c(&tmp, '\0');
	put_js(c->b, tmp.p);
	free(tmp.p);
}

struct gen {
	struct world	 w;
	struct rng	 r;
	struct sb	 res;		/* resources, built aside */
	int64_t		 start, span;
	uint64_t	 nrec;		/* records planned (time spread) */
};

static const char *EVVERS[] = { "1.08", "1.08", "1.08", "1.09", "1.09",
    "1.10", "1.11" };

/*
 * Append record number i to b; return its region index and event time.
 */
static int
gen_record(struct gen *g, uint64_t i, struct sb *b, int64_t *tout)
{
	struct world *w = &g->w;
	struct rng *r = &g->r;
	const struct principal *p;
	const struct evdef *ev;
	const struct evtab *tab;
	struct ctx c;
	int reg, failed, resp_err = 0, svc;
	char code[128], msg[512];
	const char *ua, *ip;

	/* time: record i of nrec, evenly spread, jittered within its slot */
	uint64_t slot = i < g->nrec ? i : g->nrec - 1;
	int64_t t = g->start + (int64_t)(((unsigned __int128)slot * 1024 +
	    rng_below(r, 1024)) * (uint64_t)g->span / g->nrec / 1024);
	*tout = t;

	p = &w->pr[pick_cum(r, w->pr_cum, w->npr)];
	tab = evtab_for(p->classes);
	ev = &EVENTS[tab->idx[pick_cum(r, tab->cum, tab->n)]];

	if (ev->global)
		reg = w->global;
	else if (rng_chance(r, 7, 10))
		reg = p->home;
	else
		reg = pick_cum(r, w->region_cum, w->nregions);

	svc = (p->classes & (C_SVC | C_XACCT)) != 0;
	failed = ev->shape != S_CONSOLE_LOGIN ? rng_chance(r, 6, 100) :
	    rng_chance(r, 15, 100);
	if (!failed && !ev->ro && rng_chance(r, 1, 200))
		resp_err = 1;

	c.b = b; c.r = r; c.w = w; c.p = p; c.ev = ev;
	c.region = w->regions[reg]; c.t = t;

	put(b, "{\"eventVersion\":\"");
	put(b, PICK(r, EVVERS));
	put(b, "\",");
	put_identity(&c);
	put(b, "\"eventTime\":");
	put_qiso(b, t);
	put(b, ",\"eventSource\":\""); put(b, ev->src);
	put(b, "\",\"eventName\":\""); put(b, ev->name);
	put(b, "\",\"awsRegion\":\""); put(b, c.region);
	put(b, "\",\"sourceIPAddress\":");
	if (svc || p->nip == 0) {
		put_js(b, p->kind == ID_SERVICE || p->kind == ID_NOTYPE_SVC ||
		    p->kind == ID_ACCOUNT_SVC ? p->name : "AWS Internal");
		ua = p->kind == ID_SERVICE || p->kind == ID_NOTYPE_SVC ||
		    p->kind == ID_ACCOUNT_SVC ? p->name : p->ua[0];
	} else {
		ip = p->ip[rng_below(r, (uint32_t)p->nip)];
		put_js(b, ip);
		ua = p->ua[rng_below(r, (uint32_t)p->nua)];
	}
	put(b, ",\"userAgent\":");
	put_js(b, ua);
	if (failed && ev->shape != S_CONSOLE_LOGIN) {
		pick_error(r, ev, code, sizeof(code), msg, sizeof(msg));
		put(b, ",\"errorCode\":");
		put_js(b, code);
		put(b, ",\"errorMessage\":");
		put_error_message(&c, msg);
	} else if (failed) {
		put(b, ",\"errorMessage\":\"Failed authentication\"");
	}
	put_c(b, ',');
	g->res.len = 0;
	if (resp_err) {
		put(b, "\"requestParameters\":null,\"responseElements\":{"
		    "\"errorCode\":\"Client.RequestLimitExceeded\","
		    "\"errorMessage\":\"Request limit exceeded.\"}");
	} else
		put_body(&c, failed, &g->res);
	put(b, ",\"requestID\":\"");
	if (ev->src[0] == 's' && ev->src[1] == '3')
		put_rand(b, r, "0123456789ABCDEF", 16);
	else
		put_uuid(b, r);
	put(b, "\",\"eventID\":\"");
	put_uuid(b, r);
	put(b, "\",\"readOnly\":");
	put(b, ev->ro ? "true" : "false");
	put_n(b, g->res.p ? g->res.p : "", g->res.len);
	put(b, ",\"eventType\":\"");
	put(b, strncmp(ev->src, "signin.", 7) == 0 ? "AwsConsoleSignIn" :
	    svc && p->kind == ID_SERVICE && rng_chance(r, 1, 3) ?
	    "AwsServiceEvent" : "AwsApiCall");
	put(b, "\"");
	if (ev->src[0] == 's' && ev->src[1] == '3' && ev->src[2] == '.')
		put(b, ",\"apiVersion\":\"2006-03-01\"");
	put(b, ",\"managementEvent\":");
	put(b, ev->data ? "false" : "true");
	put(b, ",\"recipientAccountId\":\"");
	put(b, w->account);
	put(b, "\"");
	if (p->kind == ID_ACCOUNT || p->kind == ID_ACCOUNT_SVC ||
	    p->kind == ID_ROLE_XACCT) {
		put(b, ",\"sharedEventID\":\"");
		put_uuid(b, r);
		put(b, "\"");
	}
	if (!svc && rng_chance(r, 1, 20)) {
		put(b, ",\"vpcEndpointId\":\"vpce-0");
		put_hex(b, r, 16);
		put(b, "\"");
	}
	put(b, ",\"eventCategory\":\"");
	put(b, ev->data ? "Data" : "Management");
	put(b, "\"");
	if (!svc) {
		const char *dot = strchr(ev->src, '.');
		put(b, ",\"tlsDetails\":{\"tlsVersion\":\"");
		put(b, rng_chance(r, 1, 4) ? "TLSv1.2" : "TLSv1.3");
		put(b, "\",\"cipherSuite\":\"");
		put(b, rng_chance(r, 1, 4) ? "ECDHE-RSA-AES128-GCM-SHA256" :
		    "TLS_AES_128_GCM_SHA256");
		put(b, "\",\"clientProvidedHostHeader\":\"");
		put_n(b, ev->src, (size_t)(dot - ev->src));
		put_c(b, '.');
		if (!ev->global) {
			put(b, c.region);
			put_c(b, '.');
		}
		put(b, "amazonaws.com\"}");
	}
	if (p->console)
		put(b, ",\"sessionCredentialFromConsole\":\"true\"");
	put(b, "}");
	return reg;
}

/* ---- --bad: corrupting records ------------------------------------------- */

struct bad {
	uint32_t	 per_million;	/* rate */
	struct rng	 r;
	uint64_t	 count;
};

/*
 * Maybe corrupt the record just written at b->p[start..b->len) (one line,
 * no newline yet).  Returns 1 if it was changed.
 */
static int
corrupt(struct bad *bd, struct sb *b, size_t start)
{
	size_t n = b->len - start, k;
	char *rec = b->p + start, *q;
	static const char *badutf[] = {
		"\xff", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
		"\xe2\x82", "\x80\x80",
	};

	if (bd->per_million == 0 || rng_below(&bd->r, 1000000) >= bd->per_million)
		return 0;
	bd->count++;
	sb_nul(b);
	rec = b->p + start;
	switch (rng_below(&bd->r, 8)) {
	case 0:		/* truncated line */
		b->len = start + n / 2;
		break;
	case 1:		/* invalid UTF-8 inside the userAgent string */
	case 2:
		q = strstr(rec, "\"userAgent\":\"");
		if (q == NULL)
			break;
		k = (size_t)(q - rec) + 13;
		{
			const char *s = PICK(&bd->r, badutf);
			size_t sl = strlen(s);
			sb_need(b, sl);
			rec = b->p + start;
			memmove(rec + k + sl, rec + k, n - k);
			memcpy(rec + k, s, sl);
			b->len += sl;
		}
		break;
	case 3:		/* not JSON at all */
		b->len = start;
		put(b, "this is not JSON \x01\x02 {");
		break;
	case 4:		/* an API call without eventName */
		q = strstr(rec, "\"eventName\":\"");
		if (q != NULL)
			memcpy(q + 1, "eventNom", 8);
		break;
	case 5:		/* a stray closing bracket, CRLF and a blank line */
		put(b, "]\r\n");
		break;
	case 6:		/* a scalar value */
		b->len = start;
		put(b, rng_chance(&bd->r, 1, 2) ? "42" : "\"just a string\"");
		break;
	case 7:		/* deep nesting */
		b->len = start;
		for (k = 0; k < 5000; k++)
			put_c(b, '[');
		for (k = 0; k < 5000; k++)
			put_c(b, ']');
		break;
	}
	return 1;
}

/* ---- sinks ---------------------------------------------------------------- */

static FILE *
xfopen(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (f == NULL)
		die_errno("cannot open", path);
	return f;
}

static void
xwrite(FILE *f, const void *p, size_t n, const char *name)
{
	if (n && fwrite(p, 1, n, f) != n)
		die_errno("write error on", name);
}

static void
xclose(FILE *f, const char *name)
{
	if (fclose(f) != 0)
		die_errno("write error on", name);
}

static void
mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			die_errno("cannot create", path);
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die_errno("cannot create", path);
}

struct gz {
	z_stream	 z;
	int		 level;
	struct sb	 out;
};

static void
gz_write_file(struct gz *gz, const char *path, const char *p, size_t n,
    int truncate)
{
	FILE *f;
	int rc;

	gz->out.len = 0;
	sb_need(&gz->out, deflateBound(&gz->z, (uLong)n) + 64);
	if (deflateReset(&gz->z) != Z_OK)
		die("zlib: deflateReset failed");
	gz->z.next_in = (Bytef *)(uintptr_t)p;
	gz->z.avail_in = (uInt)n;
	gz->z.next_out = (Bytef *)gz->out.p;
	gz->z.avail_out = (uInt)gz->out.cap;
	rc = deflate(&gz->z, Z_FINISH);
	if (rc != Z_STREAM_END)
		die("zlib: deflate failed");
	gz->out.len = gz->out.cap - gz->z.avail_out;
	if (truncate)
		gz->out.len = gz->out.len * 2 / 3;
	f = xfopen(path, "wb");
	xwrite(f, gz->out.p, gz->out.len, path);
	xclose(f, path);
}

/* One region's open S3 log file. */
struct s3file {
	struct sb	 body;		/* {"Records":[ ... */
	uint64_t	 n;
	int64_t		 first, last, until;
	int64_t		 digest_day;	/* last day a digest was written */
	char		 dir[2][4096];	/* last folders made: logs, digests */
};

struct s3 {
	const char	*root;
	struct gz	 gz;
	struct rng	 r;		/* names and windows */
	struct s3file	 f[MAX_REGIONS];
	struct bad	*bad;
	uint64_t	 files, digests;
};

static void
s3_stamp(char *dst, size_t n, int64_t t, int secs)
{
	struct tm6 c;

	civil(t, &c);
	if (secs)
		snprintf(dst, n, "%04d%02d%02dT%02d%02d%02dZ", c.y, c.mo, c.d,
		    c.h, c.mi, c.s);
	else
		snprintf(dst, n, "%04d%02d%02dT%02d%02dZ", c.y, c.mo, c.d,
		    c.h, c.mi);
}

static void
s3_dir(char *dst, size_t n, const struct s3 *s, const struct world *w,
    const char *kind, const char *region, int64_t t)
{
	struct tm6 c;

	civil(t, &c);
	if ((size_t)snprintf(dst, n, "%s/AWSLogs/%s/%s/%s/%04d/%02d/%02d",
	    s->root, w->account, kind, region, c.y, c.mo, c.d) >= n)
		die("path too long");
}

static void
s3_digest(struct s3 *s, const struct world *w, int reg, const char *logkey,
    int64_t first, int64_t last, int64_t end)
{
	char dir[4096], path[4600], stamp[32];
	struct sb d = { 0 };

	s3_dir(dir, sizeof(dir), s, w, "CloudTrail-Digest", w->regions[reg], end);
	if (strcmp(dir, s->f[reg].dir[1]) != 0) {
		mkdirs(dir);
		memcpy(s->f[reg].dir[1], dir, sizeof(dir));
	}
	s3_stamp(stamp, sizeof(stamp), end, 1);
	snprintf(path, sizeof(path),
	    "%s/%s_CloudTrail-Digest_%s_management-events_%s_%s.json.gz", dir,
	    w->account, w->regions[reg], w->regions[w->global], stamp);
	put(&d, "{\"awsAccountId\":\""); put(&d, w->account);
	put(&d, "\",\"digestStartTime\":"); put_qiso(&d, end - 3600);
	put(&d, ",\"digestEndTime\":"); put_qiso(&d, end);
	put(&d, ",\"digestS3Bucket\":\"cloudtrail-logs-"); put(&d, w->account);
	put(&d, "\",\"digestS3Object\":\"AWSLogs/"); put(&d, w->account);
	put(&d, "/CloudTrail-Digest/"); put(&d, w->regions[reg]);
	put(&d, "/"); put(&d, strrchr(dir, '/') - 8 + 1);
	put(&d, "/"); put(&d, strrchr(path, '/') + 1);
	put(&d, "\",\"digestPublicKeyFingerprint\":\"");
	put_hex(&d, &s->r, 32);
	put(&d, "\",\"digestSignatureAlgorithm\":\"SHA256withRSA\","
	    "\"newestEventTime\":"); put_qiso(&d, last);
	put(&d, ",\"oldestEventTime\":"); put_qiso(&d, first);
	put(&d, ",\"previousDigestS3Bucket\":null,\"previousDigestS3Object\":null,"
	    "\"previousDigestHashValue\":null,\"previousDigestHashAlgorithm\":null,"
	    "\"previousDigestSignature\":null,\"logFiles\":[{\"s3Bucket\":"
	    "\"cloudtrail-logs-"); put(&d, w->account);
	put(&d, "\",\"s3Object\":\""); put(&d, logkey);
	put(&d, "\",\"hashValue\":\""); put_hex(&d, &s->r, 64);
	put(&d, "\",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":");
	put_qiso(&d, last);
	put(&d, ",\"oldestEventTime\":"); put_qiso(&d, first);
	put(&d, "}]}");
	gz_write_file(&s->gz, path, d.p, d.len, 0);
	free(d.p);
	s->digests++;
}

static void
s3_flush(struct s3 *s, const struct world *w, int reg)
{
	struct s3file *f = &s->f[reg];
	char dir[4096], path[4600], stamp[32], rnd[17];
	int trunc = 0;

	if (f->n == 0)
		return;
	put(&f->body, "]}");
	s3_dir(dir, sizeof(dir), s, w, "CloudTrail", w->regions[reg], f->until);
	if (strcmp(dir, f->dir[0]) != 0) {
		mkdirs(dir);
		memcpy(f->dir[0], dir, sizeof(dir));
	}
	s3_stamp(stamp, sizeof(stamp), f->until, 0);
	for (int i = 0; i < 16; i++)
		rnd[i] = ALNUM[rng_below(&s->r, 62)];
	rnd[16] = '\0';
	snprintf(path, sizeof(path), "%s/%s_CloudTrail_%s_%s_%s.json.gz", dir,
	    w->account, w->regions[reg], stamp, rnd);
	if (s->bad && s->bad->per_million &&
	    rng_below(&s->bad->r, 1000000) < s->bad->per_million) {
		s->bad->count++;
		trunc = 1;
	}
	gz_write_file(&s->gz, path, f->body.p, f->body.len, trunc);
	s->files++;
	if (f->until / 86400 != f->digest_day) {
		f->digest_day = f->until / 86400;
		s3_digest(s, w, reg, path + strlen(s->root) + 1, f->first,
		    f->last, f->until + 3600 - f->until % 3600);
	}
	f->n = 0;
	f->body.len = 0;
}

static void
s3_add(struct s3 *s, const struct world *w, int reg, int64_t t,
    const char *rec, size_t n)
{
	struct s3file *f = &s->f[reg];

	if (f->n && t >= f->until)
		s3_flush(s, w, reg);
	if (f->n == 0) {
		f->first = t;
		f->until = t + 300 + (int64_t)rng_below(&s->r, 601);
		put(&f->body, "{\"Records\":[");
	} else
		put_c(&f->body, ',');
	put_n(&f->body, rec, n);
	f->last = t;
	f->n++;
}

/* ---- main ----------------------------------------------------------------- */

enum format { F_NDJSON, F_RECORDS, F_LOOKUP, F_S3 };

static void
usage(FILE *f)
{
	fputs(
"usage: ct-sample [--seed N] [--records N | --bytes SIZE] [--account ID]\n"
"                 [--regions LIST] [--start TIME] [--end TIME] [--principals N]\n"
"                 [--format ndjson|records|lookup|s3] [--out PATH]\n"
"                 [--per-region DIR] [--bad RATE] [--gzip-level N]\n", f);
}

static void
help(void)
{
	usage(stdout);
	fputs(
"\n"
"Write realistic, made-up CloudTrail records: the project's own sample data.\n"
"The same seed and options give the same bytes on every machine; event times\n"
"increase with the record number, so every output is in time order, and the\n"
"same seed gives the same records whatever the output format.\n"
"\n"
"  --seed N          PRNG seed (default 1)\n"
"  --records N       how many records (default 1000)\n"
"  --bytes SIZE      instead: about this many bytes of records (uncompressed);\n"
"                    SIZE takes K, M, G suffixes (powers of 1024): 500M\n"
"  --account ID      the account (recipientAccountId), default " DEF_ACCOUNT "\n"
"  --regions LIST    comma-separated regions (default: 17 common ones)\n"
"  --start TIME      first event time; --end TIME the end of the spread\n"
"                    (default: the 14 days before 2026-11-01T00:00:00Z).\n"
"                    TIME: YYYY-MM-DD[THH:MM[:SS]][Z], @EPOCH, or now\n"
"  --principals N    about N distinct principals (default 40; the first 23\n"
"                    cover every userIdentity shape, odd ones included)\n"
"  --format F        ndjson   one record per line (default)\n"
"                    records  one {\"Records\":[...]} object, as in an S3 log file\n"
"                    lookup   `aws cloudtrail lookup-events` output pages\n"
"                             {\"Events\":[{...,\"CloudTrailEvent\":\"...\"}],\"NextToken\":...}\n"
"                    s3       an S3 archive tree under --out DIR:\n"
"                             AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz\n"
"                             (one file per region per 5-15 minutes) and\n"
"                             AWSLogs/<acct>/CloudTrail-Digest/... digest files\n"
"  --out PATH        the output file (default stdout); the tree root for s3\n"
"  --per-region DIR  write DIR/<region>.ndjson, one file per region (what the\n"
"                    local AWS emulator serves); replaces --format\n"
"  --bad RATE        corrupt about RATE of the records (0..1, e.g. 0.01): lines\n"
"                    cut in half, invalid UTF-8 in a string (the record stays\n"
"                    valid JSON and still counts), non-JSON lines, a call\n"
"                    without eventName, stray ] and CRLF, bare scalars, 5000-deep\n"
"                    nesting; with --format s3, truncated .gz files instead.\n"
"                    For ndjson, --per-region and s3 only.  The count goes\n"
"                    to stderr.\n"
"  --gzip-level N    zlib level for s3 files (default 6)\n"
"  --help, --version\n", stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "records", required_argument, NULL, 'n' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "account", required_argument, NULL, 'a' },
		{ "regions", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 'S' },
		{ "end", required_argument, NULL, 'E' },
		{ "principals", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "per-region", required_argument, NULL, 'R' },
		{ "bad", required_argument, NULL, 'B' },
		{ "gzip-level", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g;
	struct bad bad;
	struct sb out = { 0 }, page = { 0 };
	enum format fmt = F_NDJSON;
	uint64_t nrec = 1000, nbytes = 0, seed = 1, i;
	int64_t start = 0, end = 0;
	int have_start = 0, have_end = 0, nprin = 40, ch, level = 6;
	const char *outpath = NULL, *perregion = NULL;
	char *regions = NULL, *endp;
	FILE *of = stdout;
	FILE *rf[MAX_REGIONS] = { NULL };
	struct s3 *s3 = NULL;

	memset(&g, 0, sizeof(g));
	memset(&bad, 0, sizeof(bad));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &endp, 0);
			if (errno || *endp || endp == optarg)
				goto bad_usage_arg;
			break;
		case 'n':
			errno = 0;
			nrec = strtoull(optarg, &endp, 10);
			if (errno || *endp || endp == optarg || *optarg == '-')
				goto bad_usage_arg;
			nbytes = 0;
			break;
		case 'b':
			if (parse_size(optarg, &nbytes) != 0 || nbytes == 0)
				goto bad_usage_arg;
			break;
		case 'a':
			if (strlen(optarg) != 12 ||
			    strspn(optarg, "0123456789") != 12) {
				fprintf(stderr, "%s: --account wants 12 digits\n",
				    PROG);
				return CT_EXIT_USAGE;
			}
			g.w.account = optarg;
			break;
		case 'r':
			regions = optarg;
			break;
		case 'S':
			if (parse_time(optarg, &start) != 0)
				goto bad_usage_arg;
			have_start = 1;
			break;
		case 'E':
			if (parse_time(optarg, &end) != 0)
				goto bad_usage_arg;
			have_end = 1;
			break;
		case 'p':
			nprin = atoi(optarg);
			if (nprin < 1 || nprin > 100000)
				goto bad_usage_arg;
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") == 0)
				fmt = F_NDJSON;
			else if (strcmp(optarg, "records") == 0)
				fmt = F_RECORDS;
			else if (strcmp(optarg, "lookup") == 0)
				fmt = F_LOOKUP;
			else if (strcmp(optarg, "s3") == 0)
				fmt = F_S3;
			else
				goto bad_usage_arg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'R':
			perregion = optarg;
			break;
		case 'B': {
			double v = strtod(optarg, &endp);
			if (*endp || endp == optarg || !(v >= 0 && v <= 1))
				goto bad_usage_arg;
			bad.per_million = (uint32_t)(v * 1000000 + 0.5);
			break;
		}
		case 'z':
			level = atoi(optarg);
			if (level < 0 || level > 9)
				goto bad_usage_arg;
			break;
		case 'h':
			help();
			return fflush(stdout) || ferror(stdout) ?
			    CT_EXIT_FAILURE : CT_EXIT_OK;
		case 'V':
			printf("%s (ct-tools) %s\n", PROG, CT_VERSION);
			return fflush(stdout) ? CT_EXIT_FAILURE : CT_EXIT_OK;
		default:
			usage(stderr);
			return CT_EXIT_USAGE;
		}
		continue;
bad_usage_arg:
		fprintf(stderr, "%s: bad option value: %s\n", PROG, optarg);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", PROG,
		    argv[optind]);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (fmt == F_S3 && outpath == NULL) {
		fprintf(stderr, "%s: --format s3 needs --out DIR\n", PROG);
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (perregion != NULL && fmt != F_NDJSON) {
		fprintf(stderr, "%s: --per-region writes NDJSON; drop --format\n",
		    PROG);
		return CT_EXIT_USAGE;
	}

	if (bad.per_million && perregion == NULL &&
	    (fmt == F_RECORDS || fmt == F_LOOKUP)) {
		fprintf(stderr, "%s: --bad works with ndjson, --per-region and "
		    "s3 output only\n", PROG);
		return CT_EXIT_USAGE;
	}

	/* window */
	if (!have_end)
		end = have_start ? start + DEF_SPAN : DEF_END;
	if (!have_start)
		start = end - DEF_SPAN;
	if (end <= start) {
		fprintf(stderr, "%s: --end must be after --start\n", PROG);
		return CT_EXIT_USAGE;
	}

	/* regions */
	g.w.seed = seed;
	if (g.w.account == NULL)
		g.w.account = DEF_ACCOUNT;
	if (regions == NULL) {
		uint32_t cum = 0;
		g.w.nregions = (int)(sizeof(DEFAULT_REGIONS) /
		    sizeof(DEFAULT_REGIONS[0]));
		for (int k = 0; k < g.w.nregions; k++) {
			g.w.regions[k] = DEFAULT_REGIONS[k];
			cum += DEFAULT_REGION_W[k];
			g.w.region_cum[k] = cum;
		}
	} else {
		char *tok, *save = NULL;
		uint32_t cum = 0;
		for (tok = strtok_r(regions, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (g.w.nregions == MAX_REGIONS) {
				fprintf(stderr, "%s: at most %d regions\n",
				    PROG, MAX_REGIONS);
				return CT_EXIT_USAGE;
			}
			if (*tok == '\0' || strlen(tok) > 40 ||
			    strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
			    strlen(tok)) {
				fprintf(stderr, "%s: bad region name: %s\n",
				    PROG, tok);
				return CT_EXIT_USAGE;
			}
			for (int k = 0; k < g.w.nregions; k++)
				if (strcmp(g.w.regions[k], tok) == 0) {
					fprintf(stderr, "%s: region listed twice: "
					    "%s\n", PROG, tok);
					return CT_EXIT_USAGE;
				}
			/* the first listed gets the most traffic */
			cum += g.w.nregions == 0 ? 40 : 60 / (uint32_t)(g.w.nregions + 1) + 3;
			g.w.regions[g.w.nregions] = tok;
			g.w.region_cum[g.w.nregions++] = cum;
		}
		if (g.w.nregions == 0) {
			fprintf(stderr, "%s: --regions is empty\n", PROG);
			return CT_EXIT_USAGE;
		}
	}
	g.w.global = 0;
	for (int k = 0; k < g.w.nregions; k++)
		if (strcmp(g.w.regions[k], "us-east-1") == 0)
			g.w.global = k;
	build_world(&g.w, nprin);
	g.start = start;
	g.span = end - start;

	/* How many records: for --bytes, measure the average on a sample
	 * made with the same seed (so the estimate is deterministic too). */
	if (nbytes) {
		struct sb tmp = { 0 };
		uint64_t sum = 0, m = 4000;
		int64_t tt;

		g.nrec = m;
		rng_seed(&g.r, seed, 2);
		for (i = 0; i < m; i++) {
			tmp.len = 0;
			gen_record(&g, i, &tmp, &tt);
			sum += tmp.len + 1;
		}
		free(tmp.p);
		nrec = nbytes * m / sum;
		if (nrec == 0)
			nrec = 1;
	}
	if (nrec == 0) {
		if (fmt == F_RECORDS && outpath == NULL)
			printf("{\"Records\":[]}\n");
		return fflush(stdout) ? CT_EXIT_FAILURE : CT_EXIT_OK;
	}
	g.nrec = nrec;
	rng_seed(&g.r, seed, 2);
	rng_seed(&bad.r, seed, 3);

	if (perregion != NULL) {
		char *dir = strdup(perregion);
		if (dir == NULL)
			die("out of memory");
		mkdirs(dir);
		free(dir);
	} else if (fmt == F_S3) {
		char *dir = strdup(outpath);
		if (dir == NULL)
			die("out of memory");
		mkdirs(dir);
		free(dir);
		s3 = calloc(1, sizeof(*s3));
		if (s3 == NULL)
			die("out of memory");
		s3->root = outpath;
		s3->bad = &bad;
		rng_seed(&s3->r, seed, 4);
		for (int k = 0; k < g.w.nregions; k++)
			s3->f[k].digest_day = -1;
		if (deflateInit2(&s3->gz.z, level, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			die("zlib: deflateInit2 failed");
	} else if (outpath != NULL)
		of = xfopen(outpath, "wb");

	if (fmt == F_RECORDS && perregion == NULL)
		put(&out, "{\"Records\":[");

	struct sb rec = { 0 };
	struct rng lr;		/* lookup-format fields */
	uint64_t inpage = 0, pages = 0;
	size_t pagecut[50];
	rng_seed(&lr, seed, 5);

	for (i = 0; i < nrec; i++) {
		int64_t t;
		int reg;

		rec.len = 0;
		reg = gen_record(&g, i, &rec, &t);
		sb_nul(&rec);
		if (perregion != NULL) {
			if (rf[reg] == NULL) {
				char path[4096];
				if ((size_t)snprintf(path, sizeof(path),
				    "%s/%s.ndjson", perregion,
				    g.w.regions[reg]) >= sizeof(path))
					die("path too long");
				rf[reg] = xfopen(path, "wb");
			}
			corrupt(&bad, &rec, 0);
			put_c(&rec, '\n');
			xwrite(rf[reg], rec.p, rec.len, g.w.regions[reg]);
			continue;
		}
		switch (fmt) {
		case F_NDJSON: {
			size_t at = out.len;
			put_n(&out, rec.p, rec.len);
			corrupt(&bad, &out, at);
			put_c(&out, '\n');
			break;
		}
		case F_RECORDS:
			if (i)
				put_c(&out, ',');
			put_n(&out, rec.p, rec.len);
			break;
		case F_LOOKUP: {
			/* build the page event by event; the AWS CLI
			 * prints newest first, so reverse each page */
			const char *q;
			char name[64] = "";
			pagecut[inpage] = page.len;
			put(&page, "        {\n            \"EventId\": \"");
			q = strstr(rec.p, "\"eventID\":\"");
			put_n(&page, q + 11, 36);
			put(&page, "\",\n            \"EventName\": \"");
			q = strstr(rec.p, "\"eventName\":\"") + 13;
			put_n(&page, q, (size_t)(strchr(q, '"') - q));
			put(&page, "\",\n            \"ReadOnly\": \"");
			put(&page, strstr(rec.p, "\"readOnly\":true") ?
			    "true" : "false");
			q = strstr(rec.p, "\"accessKeyId\":\"");
			if (q != NULL) {
				put(&page, "\",\n            \"AccessKeyId\": \"");
				q += 15;
				put_n(&page, q, (size_t)(strchr(q, '"') - q));
			}
			put(&page, "\",\n            \"EventTime\": \"");
			{
				struct sb ts = { 0 };
				put_iso(&ts, t);
				put_n(&page, ts.p, 19);
				free(ts.p);
			}
			put(&page, "+00:00\",\n            \"EventSource\": \"");
			q = strstr(rec.p, "\"eventSource\":\"") + 15;
			put_n(&page, q, (size_t)(strchr(q, '"') - q));
			q = strstr(rec.p, "\"userName\":\"");
			if (q != NULL) {
				q += 12;
				snprintf(name, sizeof(name), "%.*s",
				    (int)(strchr(q, '"') - q), q);
				put(&page, "\",\n            \"Username\": ");
				put_js(&page, name);
			} else
				put(&page, "\"");
			put(&page, ",\n            \"Resources\": [],\n"
			    "            \"CloudTrailEvent\": \"");
			put_js_body(&page, rec.p, rec.len);
			put(&page, "\"\n        }");
			inpage++;
			if (inpage == 50 || i + 1 == nrec) {
				put(&out, "{\n    \"Events\": [\n");
				for (uint64_t k = inpage; k-- > 0;) {
					size_t a = pagecut[k];
					size_t z = k + 1 < inpage ?
					    pagecut[k + 1] : page.len;
					put_n(&out, page.p + a, z - a);
					put(&out, k ? ",\n" : "\n");
				}
				put(&out, "    ]");
				if (i + 1 < nrec) {
					put(&out, ",\n    \"NextToken\": \"");
					put_rand(&out, &lr, B64, 120);
					put(&out, "\"");
				}
				put(&out, "\n}\n");
				inpage = 0;
				page.len = 0;
				pages++;
			}
			break;
		}
		case F_S3:
			s3_add(s3, &g.w, reg, t, rec.p, rec.len);
			break;
		}
		if (out.len >= (1 << 20)) {
			xwrite(of, out.p, out.len, outpath ? outpath : "stdout");
			out.len = 0;
		}
	}
	if (fmt == F_RECORDS && perregion == NULL)
		put(&out, "]}\n");
	if (out.len)
		xwrite(of, out.p, out.len, outpath ? outpath : "stdout");
	if (perregion != NULL) {
		for (int k = 0; k < g.w.nregions; k++)
			if (rf[k] != NULL)
				xclose(rf[k], g.w.regions[k]);
	} else if (fmt == F_S3) {
		for (int k = 0; k < g.w.nregions; k++)
			s3_flush(s3, &g.w, k);
		deflateEnd(&s3->gz.z);
		free(s3->gz.out.p);
		for (int k = 0; k < g.w.nregions; k++)
			free(s3->f[k].body.p);
	}
	if (of != stdout)
		xclose(of, outpath);
	else if (fflush(stdout) != 0 || ferror(stdout))
		die_errno("write error on", "stdout");
	if (bad.count)
		fprintf(stderr, "%s: --bad: %" PRIu64 " records or files corrupted\n",
		    PROG, bad.count);
	free(out.p);
	free(page.p);
	free(rec.p);
	free(g.res.p);
	free(g.w.pr);
	free(g.w.pr_cum);
	free(s3);
	return CT_EXIT_OK;
}
