/*
 * test_creds.c - the credential chain's rules, with fake STS/HTTP answers:
 * which source wins, what each source sends, what each failure says, and
 * when temporary credentials are refreshed.  (tests/aws/t_* run the same
 * sources against the emulator.)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "buf.h"
#include "creds.h"
#include "ini.h"

struct fake {
	int	 sts_calls, http_calls;
	char	 form[4096];
	char	 signer[128];
	char	 url[1024];
	char	 hdr[1024];
	long	 lifetime;	/* seconds for issued credentials */
	int	 fail_sts;
	long	 status;
	const char *body;
};

static struct fake F;
static long proc_timeout_ms;	/* cfg.process_timeout_ms of run() */

static int
fake_sts(void *arg, const char *region, const struct ct_creds *signer,
    const char *form, struct ct_buf *out, struct ct_aws_error *err)
{
	char exp[64];
	time_t t = time(NULL) + F.lifetime;
	struct tm tm;

	F.sts_calls++;
	snprintf(F.form, sizeof(F.form), "%s", form);
	snprintf(F.signer, sizeof(F.signer), "%s", signer ? signer->access_key :
	    "(unsigned)");
	if (F.fail_sts) {
		ct_awserr_set(err, CT_AWS_DENIED, "AccessDenied",
		    "not authorized to assume the role");
		return -1;
	}
	gmtime_r(&t, &tm);
	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ct_buf_printf(out, "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
	    "<AccessKeyId>ASIAFAKE%d</AccessKeyId><SecretAccessKey>sec%d"
	    "</SecretAccessKey><SessionToken>tok%d</SessionToken><Expiration>%s"
	    "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
	    F.sts_calls, F.sts_calls, F.sts_calls, exp);
	return 0;
}

static int
fake_http(void *arg, const char *method, const char *url,
    const char *const *headers, long timeout_ms, struct ct_buf *out,
    long *status, struct ct_aws_error *err)
{
	F.http_calls++;
	snprintf(F.url, sizeof(F.url), "%s %s", method, url);
	snprintf(F.hdr, sizeof(F.hdr), "%s", headers && headers[0] ?
	    headers[0] : "");
	if (F.body == NULL) {
		ct_awserr_set(err, CT_AWS_NETWORK, "ConnectionError",
		    "cannot connect");
		return -1;
	}
	*status = F.status;
	ct_buf_adds(out, F.body);
	return 0;
}

static int
fake_sso_url(void *arg, const char *region, struct ct_buf *out,
    struct ct_aws_error *err)
{
	return ct_buf_printf(out, "https://portal.sso.%s.amazonaws.com", region);
}

static const struct ct_creds_io IO = { NULL, fake_sts, fake_http,
    fake_sso_url };

static struct ct_ini *cfgini, *credini;

static void
files(const char *config, const char *credentials)
{
	struct ct_buf e;

	ct_buf_init(&e, 0);
	ct_ini_free(cfgini);
	ct_ini_free(credini);
	cfgini = credini = NULL;
	if (config)
		ct_ini_parse("CONFIG", config, strlen(config), &cfgini, &e);
	if (credentials)
		ct_ini_parse("CREDS", credentials, strlen(credentials), &credini,
		    &e);
	ct_buf_free(&e);
}

static void
clean_env(void)
{
	static const char *const vars[] = { "AWS_ACCESS_KEY_ID",
	    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
	    "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
	    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
	    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	    "AWS_EC2_METADATA_SERVICE_ENDPOINT", NULL };
	int i;

	for (i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	memset(&F, 0, sizeof(F));
	F.lifetime = 3600;
}

/* Make a provider for profile (NULL: none given) and get credentials.
 * Returns 0/-1; fills c and e. */
static int
run(const char *profile, struct ct_creds *c, struct ct_aws_error *e,
    struct ct_creds_provider **keep)
{
	struct ct_creds_cfg cfg;
	struct ct_creds_provider *p;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.profile = profile;
	cfg.profile_is_option = profile != NULL;
	cfg.config = cfgini;
	cfg.credentials = credini;
	cfg.config_path = "CONFIG";
	cfg.credentials_path = "CREDS";
	cfg.region = "eu-west-1";
	cfg.process_timeout_ms = proc_timeout_ms;
	memset(c, 0, sizeof(*c));
	p = ct_creds_new(&cfg, &IO, e);
	if (p == NULL)
		return -1;
	rc = ct_creds_get(p, c, NULL, e);
	if (keep)
		*keep = p;
	else
		ct_creds_free(p);
	return rc;
}

static char tmpdir[] = "/tmp/ct-test-creds.XXXXXX";

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * 1 when the process whose pid is in path is gone (or a zombie waiting
 * for init), within 2 s of the call; 0 if it still runs (it is then
 * killed, so no test leaves it behind), -1 if path holds no pid.
 */
static int
gone(const char *path)
{
	FILE *f = fopen(path, "r");
	char proc[64], st[512], *p;
	long pid = 0;
	int i, rc = 0;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1) {
		fclose(f);
		return -1;
	}
	fclose(f);
	snprintf(proc, sizeof(proc), "/proc/%ld/stat", pid);
	for (i = 0; i < 200 && rc == 0; i++) {
		if ((f = fopen(proc, "r")) == NULL) {
			rc = 1;
			break;
		}
		p = fgets(st, sizeof(st), f);
		fclose(f);
		p = p ? strrchr(st, ')') : NULL;
		if (p == NULL || (p[1] == ' ' && p[2] == 'Z')) {
			rc = 1;
			break;
		}
		usleep(10000);
	}
	if (rc == 0)
		kill((pid_t)pid, SIGKILL);
	return rc;
}

static void
writefile(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int
main(void)
{
	struct ct_creds c;
	struct ct_aws_error e;
	struct ct_creds_provider *p;
	char path[512], dir[512];
	unsigned gen;
	time_t t;

	if (mkdtemp(tmpdir) == NULL)
		return 1;

	/* 1. Environment keys. */
	clean_env();
	files("[default]\nregion=x\n", "[default]\naws_access_key_id = AKPROF\n"
	    "aws_secret_access_key = SKPROF\n[other]\naws_access_key_id = AKO\n"
	    "aws_secret_access_key = SKO\n");
	setenv("AWS_ACCESS_KEY_ID", "AKENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SKENV", 1);
	setenv("AWS_SESSION_TOKEN", "TKENV", 1);
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "AKENV") == 0
	    && strcmp(c.token, "TKENV") == 0, "env keys win over the default profile");
	ct_creds_wipe(&c);
	CHECK(run("other", &c, &e, NULL) == 0 &&
	    strcmp(c.access_key, "AKO") == 0 && c.token == NULL,
	    "--profile ignores the env keys");
	ct_creds_wipe(&c);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	CHECK(run(NULL, &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS &&
	    strstr(e.line, "AWS_SECRET_ACCESS_KEY is not") != NULL,
	    "AWS_ACCESS_KEY_ID without secret: %s", e.line);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SESSION_TOKEN");

	/* 2. Shared files. */
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "AKPROF") == 0,
	    "default profile from the credentials file");
	ct_creds_wipe(&c);
	setenv("AWS_PROFILE", "other", 1);
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "AKO") == 0,
	    "AWS_PROFILE names the profile");
	ct_creds_wipe(&c);
	setenv("AWS_PROFILE", "nope", 1);
	CHECK(run(NULL, &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS &&
	    strstr(e.line, "profile nope not found in CREDS") &&
	    strstr(e.line, "CONFIG (as [profile nope])") &&
	    strstr(e.line, "AWS_PROFILE"), "AWS_PROFILE missing: %s", e.line);
	unsetenv("AWS_PROFILE");
	CHECK(run("nope", &c, &e, NULL) == -1 && strstr(e.line, "profile nope "
	    "not found") && !strstr(e.line, "AWS_PROFILE"),
	    "--profile missing: %s", e.line);
	files("[profile cfg]\naws_access_key_id=AKC\naws_secret_access_key=SKC\n"
	    "aws_session_token=TKC\n[profile half]\nregion=x\n"
	    "aws_access_key_id=AKH\n", "[cfg]\nregion=y\n");
	CHECK(run("cfg", &c, &e, NULL) == 0 && strcmp(c.access_key, "AKC") == 0
	    && strcmp(c.token, "TKC") == 0,
	    "keys in the config file's [profile cfg], token too");
	ct_creds_wipe(&c);
	files("[plain]\naws_access_key_id=AKX\naws_secret_access_key=SKX\n"
	    "[profile default]\naws_access_key_id=AKD\n"
	    "aws_secret_access_key=SKD\n", "[profile p]\naws_access_key_id=AKY\n"
	    "aws_secret_access_key=SKY\n");
	CHECK(run("plain", &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS,
	    "config file: [plain] is not profile plain (needs [profile plain])");
	CHECK(run("p", &c, &e, NULL) == -1,
	    "credentials file: [profile p] is not profile p (needs [p])");
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "AKD") == 0,
	    "config file: [profile default] is the default profile");
	ct_creds_wipe(&c);
	files("[profile cfg]\naws_access_key_id=AKC\naws_secret_access_key=SKC\n"
	    "aws_session_token=TKC\n[profile half]\nregion=x\n"
	    "aws_access_key_id=AKH\n", "[cfg]\nregion=y\n");
	CHECK(run("half", &c, &e, NULL) == -1 && strstr(e.line, "CONFIG:7:") &&
	    strstr(e.line, "no aws_secret_access_key"),
	    "key without secret: file:line: %s", e.line);
	CHECK(run(NULL, &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS &&
	    strstr(e.line, "no AWS credentials found") &&
	    strstr(e.line, "aws configure") &&
	    strstr(e.line, "metadata disabled"),
	    "nothing anywhere: what was tried, what to do: %s", e.line);

	/* 3. Assume role. */
	files("[profile src]\naws_access_key_id=AKSRC\naws_secret_access_key=SKSRC\n"
	    "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\n"
	    "source_profile = src\nexternal_id = ext-1\nrole_session_name = me\n"
	    "duration_seconds = 900\n"
	    "[profile r2]\nrole_arn = arn:aws:iam::123456789012:role/R2\n"
	    "source_profile = r\n"
	    "[profile loop1]\nrole_arn=arn:aws:iam::1:role/a\nsource_profile=loop2\n"
	    "[profile loop2]\nrole_arn=arn:aws:iam::1:role/b\nsource_profile=loop1\n"
	    "[profile orphan]\nrole_arn=arn:aws:iam::1:role/c\nsource_profile=none\n"
	    "[profile nosrc]\nrole_arn=arn:aws:iam::1:role/d\n"
	    "[profile envsrc]\nrole_arn=arn:aws:iam::1:role/e\n"
	    "credential_source=Environment\n"
	    "[profile badsrc]\nrole_arn=arn:aws:iam::1:role/e\n"
	    "credential_source=Somewhere\n", NULL);
	CHECK(run("r", &c, &e, NULL) == 0 && strcmp(c.access_key, "ASIAFAKE1") == 0
	    && strcmp(c.token, "tok1") == 0 && c.expiration > time(NULL),
	    "assume role: temporary credentials");
	ct_creds_wipe(&c);
	CHECK_STR(F.signer, "AKSRC", "AssumeRole signed with source_profile's keys");
	CHECK(strstr(F.form, "Action=AssumeRole&") &&
	    strstr(F.form, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FR") &&
	    strstr(F.form, "RoleSessionName=me") &&
	    strstr(F.form, "ExternalId=ext-1") &&
	    strstr(F.form, "DurationSeconds=900"), "AssumeRole form: %s", F.form);
	F.sts_calls = 0;
	CHECK(run("r2", &c, &e, NULL) == 0 && F.sts_calls == 2 &&
	    strcmp(F.signer, "ASIAFAKE1") == 0 &&
	    strcmp(c.access_key, "ASIAFAKE2") == 0,
	    "role chain: r2 assumed with r's credentials");
	ct_creds_wipe(&c);
	CHECK(run("loop1", &c, &e, NULL) == -1 && strstr(e.line, "loop"),
	    "source_profile loop: %s", e.line);
	CHECK(run("orphan", &c, &e, NULL) == -1 &&
	    strstr(e.line, "source_profile none"), "missing source_profile: %s",
	    e.line);
	CHECK(run("nosrc", &c, &e, NULL) == -1 &&
	    strstr(e.line, "neither source_profile"), "role without source: %s",
	    e.line);
	CHECK(run("badsrc", &c, &e, NULL) == -1 &&
	    strstr(e.line, "credential_source"), "bad credential_source: %s",
	    e.line);
	setenv("AWS_ACCESS_KEY_ID", "AKE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SKE", 1);
	CHECK(run("envsrc", &c, &e, NULL) == 0 && strcmp(F.signer, "AKE") == 0,
	    "credential_source = Environment signs with the env keys");
	ct_creds_wipe(&c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	F.fail_sts = 1;
	CHECK(run("r", &c, &e, NULL) == -1 && e.cls == CT_AWS_DENIED &&
	    strstr(e.line, "role of profile r"), "AssumeRole refused: %s", e.line);
	F.fail_sts = 0;

	/* 4. Web identity (env and profile). */
	snprintf(path, sizeof(path), "%s/token", tmpdir);
	writefile(path, "eyJ.web.token\n");
	files(NULL, NULL);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", path, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/web", 1);
	setenv("AWS_ROLE_SESSION_NAME", "pod", 1);
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(F.signer, "(unsigned)") == 0
	    && strstr(F.form, "Action=AssumeRoleWithWebIdentity") &&
	    strstr(F.form, "WebIdentityToken=eyJ.web.token&") == NULL &&
	    strstr(F.form, "WebIdentityToken=eyJ.web.token") &&
	    strstr(F.form, "RoleSessionName=pod"),
	    "web identity from env: unsigned, token file read: %s", F.form);
	ct_creds_wipe(&c);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", 1);
	CHECK(run(NULL, &c, &e, NULL) == -1 && strstr(e.line,
	    "/nonexistent/token"), "missing token file: %s", e.line);
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_ROLE_SESSION_NAME");
	{
		char cfg[1024];

		snprintf(cfg, sizeof(cfg), "[profile w]\nrole_arn = "
		    "arn:aws:iam::1:role/w\nweb_identity_token_file = %s\n", path);
		files(cfg, NULL);
	}
	CHECK(run("w", &c, &e, NULL) == 0 &&
	    strstr(F.form, "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fw"),
	    "web identity from the profile");
	ct_creds_wipe(&c);

	/* 5. credential_process. */
	files("[profile p]\ncredential_process = printf '{\"Version\": 1, "
	    "\"AccessKeyId\": \"AKPROC\", \"SecretAccessKey\": \"SKPROC\", "
	    "\"SessionToken\": \"TKPROC\", \"Expiration\": "
	    "\"2099-01-01T00:00:00Z\"}'\n"
	    "[profile pfail]\ncredential_process = echo oops >&2; exit 3\n"
	    "[profile pv2]\ncredential_process = echo '{\"Version\": 2, "
	    "\"AccessKeyId\": \"a\", \"SecretAccessKey\": \"b\"}'\n"
	    "[profile pjunk]\ncredential_process = echo not json\n"
	    "[profile penv]\ncredential_process = test -z \"$AWS_SECRET_ACCESS_KEY\""
	    " && echo '{\"Version\":1,\"AccessKeyId\":\"a\",\"SecretAccessKey\":"
	    "\"b\"}'\n", NULL);
	CHECK(run("p", &c, &e, NULL) == 0 && strcmp(c.access_key, "AKPROC") == 0
	    && strcmp(c.token, "TKPROC") == 0 && c.expiration == 4070908800,
	    "credential_process: JSON read, Expiration parsed");
	ct_creds_wipe(&c);
	CHECK(run("pfail", &c, &e, NULL) == -1 && strstr(e.line,
	    "exited with status 3"), "credential_process failing: %s", e.line);
	CHECK(run("pv2", &c, &e, NULL) == -1 && strstr(e.line, "Version"),
	    "credential_process Version 2: %s", e.line);
	CHECK(run("pjunk", &c, &e, NULL) == -1 && strstr(e.line, "not JSON"),
	    "credential_process junk: %s", e.line);
	setenv("AWS_SECRET_ACCESS_KEY", "leak", 1);
	CHECK(run("penv", &c, &e, NULL) == 0,
	    "credential_process does not see AWS_SECRET_ACCESS_KEY");
	ct_creds_wipe(&c);
	unsetenv("AWS_SECRET_ACCESS_KEY");

	/* A process that misbehaves ends within the timeout, killed with
	 * what it started; nothing of it is left. */
	{
		char cfg[2048], pf[300], gf[300];
		double t0, dt;

		snprintf(pf, sizeof(pf), "%s/proc.pid", tmpdir);
		snprintf(gf, sizeof(gf), "%s/proc.child", tmpdir);
		snprintf(cfg, sizeof(cfg),
		    "[profile pyes]\ncredential_process = echo $$ >%s; "
		    "while :; do echo 0123456789abcdef0123456789abcdef; done\n"
		    "[profile psleep]\ncredential_process = sleep 600 & "
		    "echo $! >%s; echo $$ >%s; sleep 600\n"
		    "[profile pfork]\ncredential_process = sleep 600 & "
		    "echo $! >%s; echo '{\"Version\": 1, \"AccessKeyId\": "
		    "\"AKFORK\", \"SecretAccessKey\": \"SKFORK\"}'\n"
		    "[profile pquiet]\ncredential_process = exec >&-; "
		    "echo $$ >%s; sleep 600\n", pf, gf, pf, gf, pf);
		files(cfg, NULL);
		proc_timeout_ms = 3000;
		t0 = now_s();
		CHECK(run("pyes", &c, &e, NULL) == -1 &&
		    e.cls == CT_AWS_CREDENTIALS &&
		    strstr(e.line, "credential_process of profile pyes wrote "
		    "more than 64 KiB; it was killed"),
		    "endless output: stopped at 64 KiB: %s", e.line);
		dt = now_s() - t0;
		CHECK(dt < 2.5, "endless output: not read to the end (%.2f s)",
		    dt);
		CHECK(gone(pf) == 1, "endless output: the process is gone");

		proc_timeout_ms = 300;
		unlink(pf);
		unlink(gf);
		t0 = now_s();
		CHECK(run("psleep", &c, &e, NULL) == -1 &&
		    e.cls == CT_AWS_CREDENTIALS &&
		    strcmp(e.code, "ProcessTimeout") == 0 &&
		    strstr(e.line, "credential_process of profile psleep did "
		    "not finish within 0.3 s; it was killed "
		    "(CT_CREDENTIAL_PROCESS_TIMEOUT sets the limit)"),
		    "sleeping for ever: the timeout: %s", e.line);
		dt = now_s() - t0;
		CHECK(dt >= 0.25 && dt < 2.0, "sleeping for ever: ends after "
		    "the 0.3 s timeout (%.2f s)", dt);
		CHECK(gone(pf) == 1 && gone(gf) == 1,
		    "sleeping for ever: it and its child are gone");

		unlink(gf);
		proc_timeout_ms = 5000;
		t0 = now_s();
		CHECK(run("pfork", &c, &e, NULL) == 0 && c.access_key &&
		    strcmp(c.access_key, "AKFORK") == 0,
		    "a child left holding stdout: the JSON written before "
		    "the exit is read: %s", e.line);
		ct_creds_wipe(&c);
		dt = now_s() - t0;
		CHECK(dt < 2.5, "a child left holding stdout: no wait for it "
		    "(%.2f s)", dt);
		CHECK(gone(gf) == 1, "a child left holding stdout is killed");
		proc_timeout_ms = 300;

		unlink(pf);
		t0 = now_s();
		CHECK(run("pquiet", &c, &e, NULL) == -1 &&
		    strcmp(e.code, "ProcessTimeout") == 0,
		    "stdout closed, still running: the timeout: %s", e.line);
		dt = now_s() - t0;
		/* the process's clock starts a little after t0, and poll's
		 * millisecond steps may end its wait a hair early */
		CHECK(dt >= 0.25 && dt < 2.0, "stdout closed, still running: "
		    "ends after the timeout (%.2f s)", dt);
		CHECK(gone(pf) == 1, "stdout closed, still running: gone");
		proc_timeout_ms = 0;
		unlink(pf);
		unlink(gf);
	}

	/* 6. SSO. */
	snprintf(dir, sizeof(dir), "%s/.aws", tmpdir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/.aws/sso", tmpdir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/.aws/sso/cache", tmpdir);
	mkdir(dir, 0700);
	setenv("HOME", tmpdir, 1);
	files("[profile s]\nsso_session = my-sso\nsso_account_id = 111122223333\n"
	    "sso_role_name = ReadOnly\nregion = eu-west-1\n"
	    "[sso-session my-sso]\nsso_start_url = https://x.awsapps.com/start\n"
	    "sso_region = eu-central-1\n"
	    "[profile legacy]\nsso_start_url = https://y.awsapps.com/start\n"
	    "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
	    "[profile broken]\nsso_session = nosuch\nsso_account_id = 1\n"
	    "sso_role_name = R\n", NULL);
	CHECK(run("s", &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS &&
	    strstr(e.line, "aws sso login --profile s"),
	    "SSO without cached token: %s", e.line);
	/* sha1("my-sso") */
	snprintf(path, sizeof(path), "%s/.aws/sso/cache/"
	    "4d5a5a8b1a9c6e34ac5fd3a4d8ff8bd2e7e2ff71.json", tmpdir);
	{
		FILE *pp = popen("printf %s my-sso | sha1sum", "r");
		char hex[64] = "";

		if (pp != NULL) {
			if (fscanf(pp, "%40s", hex) != 1)
				hex[0] = '\0';
			pclose(pp);
		}
		snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json",
		    tmpdir, hex);
	}
	writefile(path, "{\"accessToken\": \"BEARER\", \"expiresAt\": "
	    "\"2001-01-01T00:00:00Z\"}");
	CHECK(run("s", &c, &e, NULL) == -1 && strstr(e.line, "expired") &&
	    strstr(e.line, "aws sso login"), "SSO token expired: %s", e.line);
	writefile(path, "{\"accessToken\": \"BEARER\", \"expiresAt\": "
	    "\"2099-01-01T00:00:00UTC\"}");
	writefile(path, "{\"accessToken\": \"BEARER\", \"expiresAt\": "
	    "\"2099-01-01T00:00:00Z\", \"region\": \"eu-central-1\"}");
	F.status = 200;
	F.body = "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", "
	    "\"secretAccessKey\": \"SKSSO\", \"sessionToken\": \"TKSSO\", "
	    "\"expiration\": 4070908800000}}";
	CHECK(run("s", &c, &e, NULL) == 0 && strcmp(c.access_key, "ASIASSO") == 0
	    && c.expiration == 4070908800, "SSO: GetRoleCredentials");
	ct_creds_wipe(&c);
	CHECK_STR(F.url, "GET https://portal.sso.eu-central-1.amazonaws.com/"
	    "federation/credentials?role_name=ReadOnly&account_id=111122223333",
	    "SSO: portal URL of sso_region, role and account");
	CHECK_STR(F.hdr, "x-amz-sso_bearer_token: BEARER", "SSO: bearer header");
	F.status = 401;
	F.body = "{\"message\":\"Session token not found or invalid\","
	    "\"__type\":\"com.amazonaws.switchboard.portal#UnauthorizedException\"}";
	CHECK(run("s", &c, &e, NULL) == -1 && e.cls == CT_AWS_CREDENTIALS &&
	    strstr(e.line, "UnauthorizedException") &&
	    strstr(e.line, "aws sso login"), "SSO token refused: %s", e.line);
	{
		FILE *pp = popen("printf %s https://y.awsapps.com/start | "
		    "sha1sum", "r");
		char hex[64] = "";

		if (pp != NULL) {
			if (fscanf(pp, "%40s", hex) != 1)
				hex[0] = '\0';
			pclose(pp);
		}
		snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json",
		    tmpdir, hex);
	}
	writefile(path, "{\"accessToken\": \"LEGACY\", \"expiresAt\": "
	    "\"2099-01-01T00:00:00Z\"}");
	F.status = 200;
	F.body = "{\"roleCredentials\": {\"accessKeyId\": \"ASIALEG\", "
	    "\"secretAccessKey\": \"s\", \"sessionToken\": \"t\", "
	    "\"expiration\": 4070908800000}}";
	CHECK(run("legacy", &c, &e, NULL) == 0 &&
	    strcmp(c.access_key, "ASIALEG") == 0 &&
	    strcmp(F.hdr, "x-amz-sso_bearer_token: LEGACY") == 0 &&
	    strstr(F.url, "portal.sso.us-east-1.") != NULL,
	    "legacy SSO profile: cache named by SHA-1 of the start URL");
	ct_creds_wipe(&c);
	CHECK(run("broken", &c, &e, NULL) == -1 &&
	    strstr(e.line, "[sso-session nosuch]"), "missing sso-session: %s",
	    e.line);

	/* 7. Container. */
	files(NULL, NULL);
	snprintf(path, sizeof(path), "%s/ctoken", tmpdir);
	writefile(path, "Bearer-xyz\n");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored", 1);
	F.status = 200;
	F.body = "{\"AccessKeyId\": \"ASIACONT\", \"SecretAccessKey\": \"s\", "
	    "\"Token\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}";
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "ASIACONT") == 0,
	    "container credentials (FULL_URI on loopback)");
	ct_creds_wipe(&c);
	CHECK_STR(F.hdr, "Authorization: Bearer-xyz",
	    "token file wins over AWS_CONTAINER_AUTHORIZATION_TOKEN");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds", 1);
	CHECK(run(NULL, &c, &e, NULL) == -1 && strstr(e.line, "loopback"),
	    "FULL_URI on a non-loopback http host refused: %s", e.line);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x", 1);
	CHECK(run(NULL, &c, &e, NULL) == 0 &&
	    strcmp(F.url, "GET http://169.254.170.2/v2/credentials/x") == 0,
	    "RELATIVE_URI goes to 169.254.170.2");
	ct_creds_wipe(&c);
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

	/* 8. IMDS (the fake answers every request the same). */
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/", 1);
	F.body = NULL;
	CHECK(run(NULL, &c, &e, NULL) == -1 && strstr(e.line,
	    "EC2 instance metadata: not reachable"),
	    "IMDS unreachable: listed as tried: %s", e.line);
	F.status = 200;
	F.http_calls = 0;
	F.body = "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAIMDS\", "
	    "\"SecretAccessKey\": \"s\", \"Token\": \"t\", \"Expiration\": "
	    "\"2099-01-01T00:00:00Z\"}";
	CHECK(run(NULL, &c, &e, NULL) == 0 && strcmp(c.access_key, "ASIAIMDS") == 0
	    && F.http_calls == 3, "IMDSv2: token, role, credentials %s %d",
	    e.line, F.http_calls);
	ct_creds_wipe(&c);
	CHECK(strncmp(F.hdr, "X-aws-ec2-metadata-token: ", 26) == 0,
	    "IMDSv2 token sent");
	unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);

	/* 9. Refresh. */
	files("[profile src]\naws_access_key_id=A\naws_secret_access_key=S\n"
	    "[profile r]\nrole_arn=arn:aws:iam::1:role/r\nsource_profile=src\n",
	    NULL);
	F.lifetime = 3600;
	F.sts_calls = 0;
	CHECK(run("r", &c, &e, &p) == 0, "refresh: first fetch");
	ct_creds_wipe(&c);
	CHECK(ct_creds_get(p, &c, &gen, &e) == 0 && ct_creds_fetches(p) == 1,
	    "valid for an hour: no refetch");
	ct_creds_wipe(&c);
	CHECK(ct_creds_invalidate(p, gen) == 1, "role credentials can refresh");
	CHECK(ct_creds_get(p, &c, NULL, &e) == 0 && ct_creds_fetches(p) == 2 &&
	    strcmp(c.access_key, "ASIAFAKE2") == 0,
	    "after ExpiredToken (invalidate): refetched");
	ct_creds_wipe(&c);
	CHECK(ct_creds_invalidate(p, gen) == 1 && ct_creds_get(p, &c, NULL, &e)
	    == 0 && ct_creds_fetches(p) == 2,
	    "invalidating an old generation does not refetch again");
	ct_creds_wipe(&c);
	ct_creds_free(p);
	F.lifetime = 2;		/* refresh window: half the life, 1 s */
	CHECK(run("r", &c, &e, &p) == 0, "short-lived credentials");
	ct_creds_wipe(&c);
	t = time(NULL);
	while (time(NULL) < t + 2)
		usleep(100000);
	CHECK(ct_creds_get(p, &c, NULL, &e) == 0 && ct_creds_fetches(p) == 2,
	    "refreshed before (or at) expiry");
	ct_creds_wipe(&c);
	F.fail_sts = 1;
	F.lifetime = 3600;
	ct_creds_free(p);
	files("[default]\naws_access_key_id=A\naws_secret_access_key=S\n", NULL);
	CHECK(run(NULL, &c, &e, &p) == 0 && ct_creds_invalidate(p, 1) == 0,
	    "static keys: invalidate says refreshing would not help");
	ct_creds_wipe(&c);
	ct_creds_free(p);

	/* Times. */
	CHECK(ct_creds_parse_time("2026-11-28T20:00:00Z", &t) == 0 &&
	    t == 1795896000, "ISO time Z");
	CHECK(ct_creds_parse_time("2026-11-28T21:00:00.123+01:00", &t) == 0 &&
	    t == 1795896000, "ISO time with fraction and offset");
	CHECK(ct_creds_parse_time("yesterday", &t) == -1, "bad time refused");

	files(NULL, NULL);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpdir);
	(void)!system(path);
	return check_done();
}
