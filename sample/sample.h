/*
 * sample.h - what the parts of ct-sample share.
 *
 * ct-sample is the project's deterministic generator of CloudTrail records
 * (see main.c).  It is a helper, not a product: the demo, the benchmarks
 * and the tests feed on its output, so the same seed and options must give
 * the same bytes on every machine, and it must be fast enough to write a
 * few hundred MB in seconds.  Two choices follow and shape every file:
 *
 *  - the randomness is ours (xoshiro256** below, seeded with splitmix64,
 *    one independent stream per purpose), never rand(), locale or floating
 *    point in anything that reaches the output;
 *  - a record is formatted straight into one lib/ ct_buf with the small
 *    in-line appenders below, no allocation per field.
 *
 * The parts, one concept each:
 *   emit.c      appenders for numbers, random strings, UUIDs, JSON strings
 *               and timestamps
 *   world.c     the made-up account: regions, principals, user agents
 *   events.c    the API calls, their weights and errors
 *   identity.c  the userIdentity object of each principal kind
 *   body.c      requestParameters, responseElements and resources per call
 *   record.c    one whole record, and --bad corruption of it
 *   sinks.c     files, gzip and the S3 archive tree; the lookup pages
 *   main.c      options, the loop over records, the framing per --format
 *
 * The program exits on the first error (die()): it writes made-up data to
 * a path the caller chose, and a half-written sample is worth nothing.
 */
#ifndef CT_SAMPLE_H
#define CT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

#define PROG		"ct-sample"
#define MAX_REGIONS	64

/* ---- PRNG: xoshiro256** seeded with splitmix64 ------------------------- */

struct rng {
	uint64_t	s[4];
};

/* Seed stream number `stream` of `seed`: streams of one seed are
 * independent, so adding a use of one never shifts the others. */
void	rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

static inline uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is immaterial here). */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability num/den. */
static inline int
rng_chance(struct rng *r, uint32_t num, uint32_t den)
{
	return rng_below(r, den) < num;
}

#define PICK(r, arr)	((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- errors --------------------------------------------------------------- */

/* Print "ct-sample: msg" (and strerror(errno) for die_errno) and exit 1. */
_Noreturn void	die(const char *msg);
_Noreturn void	die_errno(const char *what, const char *path);

/* ---- appenders (emit.c) ---------------------------------------------------
 * A record buffer is a ct_buf made with ct_buf_init(b, 0): no cap, since
 * what goes in is ours, not outside input.  The appenders keep the buffer
 * NUL-terminated (lib/buf.h's rule), so strstr works on a record. */

static inline void
put_n(struct ct_buf *b, const char *s, size_t n)
{
	if (ct_buf_add(b, s, n) != 0)
		die("out of memory");
}

static inline void
put(struct ct_buf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

static inline void
put_c(struct ct_buf *b, char c)
{
	put_n(b, &c, 1);
}

/* Room for n more bytes and the NUL; b->data + b->len may then be written
 * directly, the writer adding the NUL after. */
static inline char *
put_room(struct ct_buf *b, size_t n)
{
	if (ct_buf_reserve(b, n) != 0)
		die("out of memory");
	return b->data + b->len;
}

/* Keep the first len bytes (len <= b->len). */
static inline void
put_cut(struct ct_buf *b, size_t len)
{
	b->len = len;
	if (b->data != NULL)
		b->data[len] = '\0';
}

extern const char HEXL[17], UPALNUM[33], ALNUM[63], B64[65];

void	put_u(struct ct_buf *b, uint64_t v);
/* v as exactly w decimal digits, zero-padded. */
void	put_dw(struct ct_buf *b, unsigned v, int w);
/* n random characters from set / lower-case hex digits. */
void	put_rand(struct ct_buf *b, struct rng *r, const char *set, int n);
void	put_hex(struct ct_buf *b, struct rng *r, int n);
/* A random version-4 UUID, lower case. */
void	put_uuid(struct ct_buf *b, struct rng *r);
/* s as a quoted JSON string (UTF-8 kept raw; ", \ and controls escaped). */
void	put_js(struct ct_buf *b, const char *s);
/* s[0..n) as the body of a JSON string (one JSON text inside another). */
void	put_js_body(struct ct_buf *b, const char *s, size_t n);
/* t as 2026-11-01T00:00:00Z, bare or in quotes. */
void	put_iso(struct ct_buf *b, int64_t t);
void	put_qiso(struct ct_buf *b, int64_t t);
/* The date and time fields of t (UTC), from lib/'s calendar. */
struct tm6 {
	int	y, mo, d, h, mi, s;
};
void	civil(int64_t t, struct tm6 *c);

/* ---- the world (world.c) --------------------------------------------------- */

enum idkind {
	ID_ROLE, ID_IAMUSER, ID_SERVICE, ID_ROOT, ID_ROLE_XACCT, ID_ACCOUNT,
	ID_FED_USER, ID_FED_ROOT, ID_SAML, ID_WEB_OIDC, ID_WEB_COGNITO, ID_IDC,
	ID_UNKNOWN_ARN, ID_UNKNOWN_OBO, ID_UNKNOWN_BARE, ID_DIRECTORY,
	ID_NOTYPE_SVC, ID_NOTYPE_ACCT, ID_NONE, ID_ODDTYPE, ID_ROLE_NOISSUER,
	ID_ACCOUNT_SVC, ID_IAMUSER_CONSOLE, ID_NKINDS
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

/* The regions used without --regions, and their cumulative-weight parts. */
#define NDEFAULT_REGIONS 17
extern const char *const DEFAULT_REGIONS[NDEFAULT_REGIONS];
extern const uint32_t DEFAULT_REGION_W[NDEFAULT_REGIONS];
/* Names the bodies reuse. */
extern const char *const USERS[25];
extern const char *const ROLES[15][2];
extern const char *const SESSIONS[12];

/* Make about nprincipals principals in w (w->pr, w->pr_cum: the caller
 * frees them); w->account, regions and seed must be set. */
void	build_world(struct world *w, int nprincipals);
/* An index in [0, n) with the weights whose running sums are cum[]. */
int	pick_cum(struct rng *r, const uint32_t *cum, int n);

/* ---- the calls (events.c) -------------------------------------------------- */

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

/* A call of one of the classes, by weight. */
const struct evdef *event_pick(struct rng *r, unsigned classes);
/* An error "code|message" of the call (or a generic one). */
void	pick_error(struct rng *r, const struct evdef *ev, char *code, size_t cn,
	    char *msg, size_t mn);

/* ---- one record (identity.c, body.c, record.c) ----------------------------- */

struct ctx {
	struct ct_buf	*b;
	struct rng	*r;
	const struct world *w;
	const struct principal *p;
	const struct evdef *ev;
	const char	*region;
	int64_t		 t;
};

/* The principal's ARN (for messages and resources). */
void	put_principal_arn(struct ct_buf *b, const struct principal *p);
/* "userIdentity":{...} of c->p. */
void	put_identity(struct ctx *c);
/* requestParameters, responseElements, additionalEventData (leading
 * comma included for the optional ones), resources in *res. */
void	put_body(struct ctx *c, int failed, struct ct_buf *res);

struct gen {
	struct world	 w;
	struct rng	 r;
	struct ct_buf	 res;		/* resources, built aside */
	int64_t		 start, span;
	uint64_t	 nrec;		/* records planned (time spread) */
};

/* Append record number i to b; return its region index and event time. */
int	gen_record(struct gen *g, uint64_t i, struct ct_buf *b, int64_t *tout);

struct bad {
	uint32_t	 per_million;	/* rate */
	struct rng	 r;
	uint64_t	 count;
};

/* Maybe corrupt the record just written at b->data[start..b->len) (one
 * line, no newline yet).  Returns 1 if it was changed. */
int	corrupt(struct bad *bd, struct ct_buf *b, size_t start);

/* ---- sinks (sinks.c) ------------------------------------------------------- */

FILE	*xfopen(const char *path, const char *mode);
void	 xwrite(FILE *f, const void *p, size_t n, const char *name);
void	 xclose(FILE *f, const char *name);
/* mkdir -p; path is restored on return. */
void	 mkdirs(char *path);
/* Create the folder path names (a copy is made). */
void	 mkdirs_const(const char *path);

/* The S3 archive tree: one .json.gz per region per 5-15 minutes, and the
 * digest files; corrupts whole files at bad's rate. */
struct s3;
struct s3 *s3_open(const char *root, int level, uint64_t seed, struct bad *bad,
	    int nregions);
void	 s3_add(struct s3 *s, const struct world *w, int reg, int64_t t,
	    const char *rec, size_t n);
/* Flush every region's last file and free s. */
void	 s3_close(struct s3 *s, const struct world *w);

/* `aws cloudtrail lookup-events` pages of 50 events, newest first. */
struct lookup;
struct lookup *lookup_open(uint64_t seed);
/* Add the record rec (event time t); last: it is the final one.  Whole
 * pages are appended to out. */
void	 lookup_add(struct lookup *lk, struct ct_buf *out, const struct ct_buf *rec,
	    int64_t t, int last);
void	 lookup_close(struct lookup *lk);

#endif
