/*
 * scan.c - see scan.h
 *
 * One file on purpose, though long: the scanner is the hot loop of every
 * tool that reads CloudTrail, and its pieces (the byte search find_special,
 * str_end, member_key, member_key_id, str_field, skip_any) are static
 * inline, always_inline functions that the object walkers below call on
 * every byte run, with every error leaving through one siglongjmp to the
 * entry point's sigsetjmp.  Split into files, those helpers would either
 * become calls across object files (a call per string and key, without
 * link-time optimisation) or move into a header of inline bodies, which
 * is the same one piece under another name.  The file is ordered from
 * the bottom up: lexing, key lookup, the identity walkers, the envelope
 * walkers, the entry points.
 */
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytes.h"
#include "jstr.h"
#include "scan.h"
#include "xalloc.h"

/* Decode slots: one buffer per field and level, reused record to record. */
enum {
	F_SOURCE, F_NAME, F_REGION, F_IP, F_UA, F_ERR, F_RESPERR, F_EVID,
	F_TIME, F_RECIP, F_TYPE, F_ACCT, F_ARN, F_INVOKED, F_USER, F_PRINC,
	F_ISS_ARN, F_ISS_TYPE, F_OBO_STORE, F_OBO_USER, F_CTE, F_DTYPE,
	NF
};

/*
 * Keys by number.  CloudTrail writes a record's keys in the same order
 * record after record, so each object walker guesses a key from the one
 * before it in the same kind of object (what followed it last time) and
 * checks the guess with one compare of the bytes `"key":`.  A right guess
 * (nearly all of them) costs that compare instead of finding the key's
 * end and looking it up; a wrong one costs the compare, then the key is
 * read and looked up as before.  Only a guess that matches byte for byte,
 * closing quote and colon included, is taken, so a key spelled with
 * escapes still goes the slow way and means what it decodes to.  The
 * list holds the keys the walkers act on and the ones records commonly
 * carry around them (a guess needs both ends known).
 */
#define SCAN_KEYS(X)							\
	X(OTHER, "") X(START, "")					\
	X(eventVersion, "eventVersion") X(userIdentity, "userIdentity")	\
	X(eventTime, "eventTime") X(eventSource, "eventSource")		\
	X(eventName, "eventName") X(awsRegion, "awsRegion")		\
	X(sourceIPAddress, "sourceIPAddress") X(userAgent, "userAgent")	\
	X(errorCode, "errorCode") X(errorMessage, "errorMessage")	\
	X(requestParameters, "requestParameters")			\
	X(responseElements, "responseElements")				\
	X(additionalEventData, "additionalEventData")			\
	X(requestID, "requestID") X(eventID, "eventID")			\
	X(readOnly, "readOnly") X(resources, "resources")		\
	X(eventType, "eventType") X(apiVersion, "apiVersion")		\
	X(managementEvent, "managementEvent")				\
	X(recipientAccountId, "recipientAccountId")			\
	X(serviceEventDetails, "serviceEventDetails")			\
	X(sharedEventID, "sharedEventID") X(vpcEndpointId, "vpcEndpointId") \
	X(vpcEndpointAccountId, "vpcEndpointAccountId")			\
	X(eventCategory, "eventCategory") X(tlsDetails, "tlsDetails")	\
	X(sessionCredentialFromConsole, "sessionCredentialFromConsole")	\
	X(edgeDeviceDetails, "edgeDeviceDetails")			\
	X(insightDetails, "insightDetails") X(addendum, "addendum")	\
	X(Records, "Records") X(Events, "Events")			\
	X(CloudTrailEvent, "CloudTrailEvent") X(ctFetch, "ctFetch")	\
	X(detail, "detail") X(detail_type, "detail-type")		\
	X(digestStartTime, "digestStartTime")				\
	X(digestEndTime, "digestEndTime") X(NextToken, "NextToken")	\
	X(EventId, "EventId") X(EventName, "EventName")			\
	X(ReadOnly, "ReadOnly") X(AccessKeyId, "AccessKeyId")		\
	X(EventTime, "EventTime") X(EventSource, "EventSource")		\
	X(Username, "Username") X(Resources, "Resources")		\
	X(type, "type") X(principalId, "principalId") X(arn, "arn")	\
	X(accountId, "accountId") X(accessKeyId, "accessKeyId")		\
	X(userName, "userName") X(sessionContext, "sessionContext")	\
	X(invokedBy, "invokedBy") X(onBehalfOf, "onBehalfOf")		\
	X(identityProvider, "identityProvider")				\
	X(credentialId, "credentialId") X(inScopeOf, "inScopeOf")	\
	X(sessionIssuer, "sessionIssuer")				\
	X(webIdFederationData, "webIdFederationData")			\
	X(attributes, "attributes") X(sourceIdentity, "sourceIdentity")	\
	X(ec2RoleDelivery, "ec2RoleDelivery")				\
	X(assumedRoot, "assumedRoot") X(userId, "userId")		\
	X(identityStoreArn, "identityStoreArn")

#define SCAN_KEY_ENUM(id, s)	K_##id,
#define SCAN_KEY_NAME(id, s)	s,
enum { SCAN_KEYS(SCAN_KEY_ENUM) NKEYS };
static const char *const key_name[NKEYS] = { SCAN_KEYS(SCAN_KEY_NAME) };

/* The detail-type of an EventBridge envelope holding a CloudTrail record. */
#define DTYPE_API_CALL	"AWS API Call via CloudTrail"

/* Kinds of object, each with its own guesses. */
enum {
	KIND_RECORD, KIND_IDENTITY, KIND_SESSION, KIND_ISSUER, KIND_OBO,
	KIND_RESP, NKINDS
};

/* Words of skip_value's kinds at first (512 levels), and the most kept
 * from one value to the next (262,144 levels, 32 KiB): a rare deep value
 * does not leave its memory behind (up to 1/8 of its length). */
#define KINDS_START	8
#define KINDS_KEEP	4096

/* Longest decoded string kept; longer ones are cut (a record field). */
#define SLOT_CAP	((size_t)1 << 30)

struct ct_scanner {
	const char	*base;		/* buffer of the current (sub)document */
	const char	*end;
	int		 eof;
	int		 inner;		/* inside a CloudTrailEvent string */
	int		 depth;		/* containers the walkers are in */
	int		 held_ctl;	/* the held "detail" had a ctFetch key */
	int		 check_only;	/* a checker (ct_scan_checker_new) */
	sigjmp_buf	 jb;
	int		 status;
	const char	*err_at;
	const char	*reason;
	size_t		 effects;	/* effects met in this value */
	size_t		 skip;		/* ... of which not to deliver */
	size_t		 cur_off;	/* offset reported with effects */
	size_t		 vstart;	/* start of the top-level value */
	const struct ct_scan_ops *ops;
	void		*arg;
	struct ct_record rec[CT_SCAN_LEVELS + 1];
	size_t		 repaired[CT_SCAN_LEVELS + 1];
	struct ct_buf	 slot[CT_SCAN_LEVELS + 1][NF];
	struct ct_buf	 key;
	/* skip_value's container kinds, one bit a level (1: object); grown
	 * as deep as a value nests (at most one level a byte) */
	uint64_t	*kinds;
	size_t		 nkinds;	/* words */
	/* the key guessed after each key, by kind (see SCAN_KEYS) */
	unsigned char	 guess[NKINDS][NKEYS];
};

#define STR_ESC		1u
#define STR_HIGH	2u

/* 1: '"', '\\', control; 2: byte >= 0x80. */
static unsigned char strclass[256];

/* The table, once, before any thread starts. */
static void __attribute__((constructor))
scan_init(void)
{
	int c;

	for (c = 0; c < 0x20; c++)
		strclass[c] = 1;
	strclass['"'] = strclass['\\'] = 1;
	for (c = 0x80; c < 0x100; c++)
		strclass[c] = 2;
}

struct ct_scanner *
ct_scan_new(const struct ct_scan_ops *ops, void *arg)
{
	struct ct_scanner *sc;
	int l, f;

	sc = xcalloc(1, sizeof(*sc));
	sc->ops = ops;
	sc->arg = arg;
	for (l = 0; l <= CT_SCAN_LEVELS; l++)
		for (f = 0; f < NF; f++)
			ct_buf_init(&sc->slot[l][f], SLOT_CAP);
	ct_buf_init(&sc->key, SLOT_CAP);
	sc->nkinds = KINDS_START;
	sc->kinds = xcalloc(sc->nkinds, sizeof(*sc->kinds));
	return sc;
}

void
ct_scan_set_arg(struct ct_scanner *sc, void *arg)
{
	sc->arg = arg;
}

void
ct_scan_free(struct ct_scanner *sc)
{
	int l, f;

	if (sc == NULL)
		return;
	for (l = 0; l <= CT_SCAN_LEVELS; l++)
		for (f = 0; f < NF; f++)
			ct_buf_free(&sc->slot[l][f]);
	ct_buf_free(&sc->key);
	free(sc->kinds);
	free(sc);
}

size_t
ct_scan_start(const struct ct_scanner *sc)
{
	return sc->vstart;
}

size_t
ct_scan_effects(const struct ct_scanner *sc)
{
	return sc->effects;
}

const char *
ct_scan_reason(const struct ct_scanner *sc)
{
	return sc->reason ? sc->reason : "malformed";
}

static void __attribute__((noreturn))
fail(struct ct_scanner *sc, const char *at, const char *reason)
{
	sc->status = CT_SCAN_BAD;
	sc->err_at = at;
	sc->reason = reason;
	siglongjmp(sc->jb, 1);
}

/* The buffer ended at p inside a value. */
static void __attribute__((noreturn))
more(struct ct_scanner *sc, const char *p)
{
	if (sc->eof || sc->inner)
		fail(sc, p, "unexpected end of input");
	sc->status = CT_SCAN_MORE;
	sc->err_at = p;
	siglongjmp(sc->jb, 1);
}

static void __attribute__((noreturn))
stop(struct ct_scanner *sc)
{
	sc->status = CT_SCAN_STOP;
	siglongjmp(sc->jb, 1);
}

static inline const char *
ws(const char *p, const char *e)
{
	/* one compare in the common case: no whitespace at all */
	while (p < e && (unsigned char)*p <= ' ' && (*p == ' ' || *p == '\n' ||
	    *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* ws, then there must be a byte. */
static inline const char *
ws_need(struct ct_scanner *sc, const char *p)
{
	p = ws(p, sc->end);
	if (p >= sc->end)
		more(sc, p);
	return p;
}

static int
ishex(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/*
 * Index of the first byte of p[0..n) that ends a fast run inside a string:
 * '"', '\\', a control byte, and (high) a byte >= 0x80; n if none.  The
 * hot loop of the whole program: 16 bytes a step with SSE2 (AVX2 measured
 * no faster: most strings are short), else a table.
 */
static inline __attribute__((always_inline)) size_t
find_special(const char *p, size_t n, int high)
{
	unsigned mask = high ? 3 : 1;
	size_t i = 0;

#if defined(__SSE2__)
	{
		const __m128i vq = _mm_set1_epi8('"');
		const __m128i vb = _mm_set1_epi8('\\');
		const __m128i v20 = _mm_set1_epi8(0x20);
		const __m128i v1f = _mm_set1_epi8(0x1f);

		while (n - i >= 16) {
			__m128i v = _mm_loadu_si128((const void *)(p + i));
			__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, vq),
			    _mm_cmpeq_epi8(v, vb));
			unsigned bits;

			if (high)
				m = _mm_or_si128(m, _mm_cmplt_epi8(v, v20));
			else
				m = _mm_or_si128(m, _mm_cmpeq_epi8(
				    _mm_min_epu8(v, v1f), v));
			bits = (unsigned)_mm_movemask_epi8(m);
			if (bits)
				return i + (size_t)__builtin_ctz(bits);
			i += 16;
		}
	}
#endif
	while (i < n && (strclass[(unsigned char)p[i]] & mask) == 0)
		i++;
	return i;
}

/*
 * p is just after an opening quote: return the closing quote.  *flags gets
 * STR_ESC for a backslash and, when want_high, STR_HIGH for a byte >= 0x80.
 */
static inline __attribute__((always_inline)) const char *
str_end(struct ct_scanner *sc, const char *p, unsigned *flags, int want_high)
{
	const char *e = sc->end;
	unsigned char c;

	for (;;) {
		p += find_special(p, (size_t)(e - p), want_high);
		if (p >= e)
			more(sc, p);
		c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c == '\\') {
			*flags |= STR_ESC;
			if (e - p < 2)
				more(sc, e);
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (e - p < 6) {
					int i;

					for (i = 2; i < e - p; i++)
						if (!ishex((unsigned char)p[i]))
							fail(sc, p, "invalid \\u escape");
					more(sc, e);
				}
				if (!ishex((unsigned char)p[2]) ||
				    !ishex((unsigned char)p[3]) ||
				    !ishex((unsigned char)p[4]) ||
				    !ishex((unsigned char)p[5]))
					fail(sc, p, "invalid \\u escape");
				p += 6;
				break;
			default:
				fail(sc, p, "invalid escape in string");
			}
			continue;
		}
		if (c < 0x20)
			fail(sc, p, "control character in string");
		/* >= 0x80: note it once, then stop looking for others */
		*flags |= STR_HIGH;
		want_high = 0;
		p++;
	}
}

/* A literal word (true, NaN, -Infinity...) at p. */
static inline const char *
lit(struct ct_scanner *sc, const char *p, const char *w, size_t wn)
{
	size_t avail = (size_t)(sc->end - p);

	if (avail < wn) {
		if (memcmp(p, w, avail) == 0)
			more(sc, sc->end);
		fail(sc, p, "invalid literal");
	}
	if (!ct_bytes_eq(p, w, wn))
		fail(sc, p, "invalid literal");
	return p + wn;
}

static inline int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/* Digits from p; at the end of the buffer, more input may continue them. */
static const char *
digits(struct ct_scanner *sc, const char *p)
{
	while (p < sc->end && isdig((unsigned char)*p))
		p++;
	if (p >= sc->end && !sc->eof && !sc->inner)
		more(sc, p);
	return p;
}

/* A number or word at p (Python's grammar); returns its end. */
static const char *
scalar(struct ct_scanner *sc, const char *p)
{
	const char *e = sc->end, *q;

	switch (*p) {
	case 't':
		return lit(sc, p, "true", 4);
	case 'f':
		return lit(sc, p, "false", 5);
	case 'n':
		return lit(sc, p, "null", 4);
	case 'N':
		return lit(sc, p, "NaN", 3);
	case 'I':
		return lit(sc, p, "Infinity", 8);
	case '-':
		if (e - p < 2)
			more(sc, e);
		if (p[1] == 'I')
			return lit(sc, p, "-Infinity", 9);
		q = p + 1;
		break;
	default:
		if (!isdig((unsigned char)*p))
			fail(sc, p, "unexpected character");
		q = p;
		break;
	}
	if (!isdig((unsigned char)*q))
		fail(sc, q, "invalid number");
	if (*q == '0') {
		q++;
		if (q >= e && !sc->eof && !sc->inner)
			more(sc, q);
	} else
		q = digits(sc, q);
	if (q < e && *q == '.') {
		if (e - q < 2)
			more(sc, e);
		if (isdig((unsigned char)q[1]))
			q = digits(sc, q + 1);
		else
			return q;	/* "1." : the '.' is an error for the caller */
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		const char *x = q + 1;

		if (x < e && (*x == '+' || *x == '-'))
			x++;
		if (x >= e)
			more(sc, e);
		if (isdig((unsigned char)*x))
			q = digits(sc, x);
	}
	return q;
}

/* Room in sc->kinds for level d. */
static void
kinds_room(struct ct_scanner *sc, size_t d)
{
	size_t n = sc->nkinds;

	while (d / 64 >= n)
		n *= 2;
	sc->kinds = xrealloc(sc->kinds, n * sizeof(*sc->kinds));
	sc->nkinds = n;
}

/*
 * Skip one whole value at p (not whitespace); return its end.  Iterative,
 * with the container kinds as bits in sc->kinds, so depth costs no stack
 * and has no limit but the buffer's length: a value the fold does not
 * read may nest as deep as it likes without costing the record.
 */
static const char *
skip_value(struct ct_scanner *sc, const char *p)
{
	uint64_t *kind = sc->kinds;
	size_t d = 0;
	unsigned fl;

value:
	switch (*p) {
	case '"':
		fl = 0;
		p = str_end(sc, p + 1, &fl, 0) + 1;
		break;
	case '{':
		if (++d / 64 >= sc->nkinds) {
			kinds_room(sc, d);
			kind = sc->kinds;
		}
		kind[d / 64] |= (uint64_t)1 << (d % 64);
		p = ws_need(sc, p + 1);
		if (*p == '}') {
			p++;
			d--;
			break;
		}
		goto key;
	case '[':
		if (++d / 64 >= sc->nkinds) {
			kinds_room(sc, d);
			kind = sc->kinds;
		}
		kind[d / 64] &= ~((uint64_t)1 << (d % 64));
		p = ws_need(sc, p + 1);
		if (*p == ']') {
			p++;
			d--;
			break;
		}
		goto value;
	default:
		p = scalar(sc, p);
		break;
	}
next:
	while (d > 0) {
		int obj = (int)((kind[d / 64] >> (d % 64)) & 1);

		/* the common case, ,"next" or ,value, in two compares */
		if (sc->end - p > 1 && *p == ',' && (unsigned char)p[1] > ' ') {
			p++;
			if (obj)
				goto key;
			goto value;
		}
		p = ws_need(sc, p);
		if (*p == ',') {
			p = ws_need(sc, p + 1);
			if (obj)
				goto key;
			goto value;
		}
		if (*p == (obj ? '}' : ']')) {
			p++;
			d--;
			continue;
		}
		fail(sc, p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	return p;
key:
	if (*p != '"')
		fail(sc, p, "expected a string key");
	fl = 0;
	p = str_end(sc, p + 1, &fl, 0) + 1;
	if (sc->end - p > 1 && *p == ':' && (unsigned char)p[1] > ' ') {
		p++;
		/* most members are "key":"string", most followed by ,"key" */
		if (*p != '"')
			goto value;
		p = str_end(sc, p + 1, &fl, 0) + 1;
		if (sc->end - p > 1 && *p == ',' && p[1] == '"') {
			p++;
			goto key;
		}
		goto next;
	}
	p = ws_need(sc, p);
	if (*p != ':')
		fail(sc, p, "expected ':'");
	p = ws_need(sc, p + 1);
	goto value;
}

/* skip_value with the common case, a plain string, done in line. */
static inline __attribute__((always_inline)) const char *
skip_any(struct ct_scanner *sc, const char *p)
{
	unsigned fl = 0;

	if (*p == '"')
		return str_end(sc, p + 1, &fl, 0) + 1;
	return skip_value(sc, p);
}

/* Set *out to the decoded body p[0..n). */
static void
decode_into(struct ct_scanner *sc, int level, int f, const char *p, size_t n,
    unsigned flags, struct ct_str *out)
{
	struct ct_buf *b = &sc->slot[level][f];
	size_t fixes = 0;

	if (!(flags & STR_ESC) && ct_utf8_valid_prefix(p, n) == n) {
		out->p = p;
		out->n = n;
		return;
	}
	ct_buf_reset(b);
	if (ct_jstr_decode(p, n, b, &fixes) == CT_JSTR_BAD_ESCAPE)
		fail(sc, p, "invalid escape in string");
	sc->repaired[level] += fixes;
	out->p = b->data ? b->data : "";
	out->n = b->len;
}

/* A string value for field f, or missing for any other value. */
static inline __attribute__((always_inline)) const char *
str_field(struct ct_scanner *sc, const char *p, int level, int f,
    struct ct_str *out)
{
	const char *q;
	unsigned fl = 0;

	if (*p != '"') {
		out->p = NULL;
		out->n = 0;
		return skip_value(sc, p);
	}
	q = str_end(sc, p + 1, &fl, 1);
	if (fl == 0) {
		out->p = p + 1;
		out->n = (size_t)(q - p - 1);
	} else
		decode_into(sc, level, f, p + 1, (size_t)(q - p - 1), fl, out);
	return q + 1;
}

/*
 * Read a key at p (must be '"'), then the ':' and whitespace; k and kn get
 * the key's bytes (decoded when it has escapes).  Returns the value start.
 */
static inline __attribute__((always_inline)) const char *
member_key(struct ct_scanner *sc, const char *p, const char **k, size_t *kn)
{
	const char *q;
	unsigned fl = 0;

	if (*p != '"')
		fail(sc, p, "expected a string key");
	q = str_end(sc, p + 1, &fl, 0);
	if (fl & STR_ESC) {
		ct_buf_reset(&sc->key);
		if (ct_jstr_decode(p + 1, (size_t)(q - p - 1), &sc->key, NULL) ==
		    CT_JSTR_BAD_ESCAPE)
			fail(sc, p, "invalid escape in string");
		*k = sc->key.data ? sc->key.data : "";
		*kn = sc->key.len;
	} else {
		*k = p + 1;
		*kn = (size_t)(q - p - 1);
	}
	p = q + 1;
	/* the common case, "key":value, in two compares */
	if (sc->end - p > 1 && *p == ':' && (unsigned char)p[1] > ' ')
		return p + 1;
	p = ws_need(sc, p);
	if (*p != ':')
		fail(sc, p, "expected ':'");
	return ws_need(sc, p + 1);
}

/* After a member's value: ',' (returns the next key) or '}' (NULL, *endp). */
static inline __attribute__((always_inline)) const char *
member_next(struct ct_scanner *sc, const char *p, const char **endp)
{
	/* the common case, ,"next", in two compares */
	if (sc->end - p > 1 && *p == ',' && (unsigned char)p[1] > ' ')
		return p + 1;
	p = ws_need(sc, p);
	if (*p == ',')
		return ws_need(sc, p + 1);
	if (*p == '}') {
		*endp = p + 1;
		return NULL;
	}
	fail(sc, p, "expected ',' or '}'");
}

/*
 * p after '{': depth bookkeeping and the first key (NULL if empty).  The
 * walkers that call it recurse only as far as env_value lets them (see
 * there) plus the fixed shapes of userIdentity: no limit is needed here.
 */
static const char *
object_open(struct ct_scanner *sc, const char *p, const char **endp)
{
	sc->depth++;
	p = ws_need(sc, p);
	if (*p == '}') {
		*endp = p + 1;
		return NULL;
	}
	return p;
}

/* `"key":` of each key, zero padded: what a guess is checked against. */
#define KEYPAT_MAX	32
static struct keypat {
	unsigned char	len;
	char		pat[KEYPAT_MAX];
} keypat[NKEYS];

/* Open-addressed lookup of a read key, built once. */
#define KEYHASH_SIZE	256
static unsigned char keyhash[KEYHASH_SIZE];

static inline unsigned
key_hash(const char *k, size_t n)
{
	return (unsigned)(n * 7 + (unsigned char)k[0] * 3 +
	    (unsigned char)k[n - 1] * 5 + (unsigned char)k[n / 2]) %
	    KEYHASH_SIZE;
}

static void __attribute__((constructor))
keys_init(void)
{
	unsigned h;
	size_t n;
	int i;

	for (i = K_START + 1; i < NKEYS; i++) {
		n = strlen(key_name[i]);
		/* `"` name `":` and the value's first byte must fit */
		if (n + 4 > KEYPAT_MAX)
			abort();
		keypat[i].len = (unsigned char)(n + 3);
		keypat[i].pat[0] = '"';
		memcpy(keypat[i].pat + 1, key_name[i], n);
		keypat[i].pat[n + 1] = '"';
		keypat[i].pat[n + 2] = ':';
		for (h = key_hash(key_name[i], n); keyhash[h] != 0;
		    h = (h + 1) % KEYHASH_SIZE)
			;
		keyhash[h] = (unsigned char)i;
	}
}

/* The number of key k[0..n), K_OTHER if it is none of ours. */
static inline int
key_lookup(const char *k, size_t n)
{
	unsigned h;
	int i;

	if (n == 0 || n + 4 > KEYPAT_MAX)
		return K_OTHER;
	for (h = key_hash(k, n); (i = keyhash[h]) != 0;
	    h = (h + 1) % KEYHASH_SIZE)
		if (keypat[i].len == n + 3 && ct_bytes_eq(k, key_name[i], n))
			return i;
	return K_OTHER;
}

/* p[0..keypat[i].len) is `"key":` of key i (32 bytes readable at p). */
static inline int
key_at(const char *p, int i)
{
	const struct keypat *kp = &keypat[i];
#if defined(__SSE2__)
	/* 32 bytes, whatever the length: no branch on it to mispredict */
	uint32_t m, want = (uint32_t)(((uint64_t)1 << kp->len) - 1);

	m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const void *)p),
	    _mm_loadu_si128((const void *)kp->pat)));
	m |= (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const void *)(p + 16)),
	    _mm_loadu_si128((const void *)(kp->pat + 16)))) << 16;
	return (m & want) == want;
#else
	return ct_bytes_eq(p, kp->pat, kp->len);
#endif
}

/*
 * member_key, by number: *key is the previous key of this object (K_START
 * before the first) and becomes this one's.  Returns the value start.
 */
static inline __attribute__((always_inline)) const char *
member_key_id(struct ct_scanner *sc, const char *p, int kind, int *key)
{
	const char *k;
	size_t kn;
	int guess = sc->guess[kind][*key], id;

	if (guess != K_OTHER && sc->end - p >= KEYPAT_MAX && key_at(p, guess) &&
	    (unsigned char)p[keypat[guess].len] > ' ') {
		*key = guess;
		return p + keypat[guess].len;
	}
	p = member_key(sc, p, &k, &kn);
	id = key_lookup(k, kn);
	sc->guess[kind][*key] = (unsigned char)id;
	*key = id;
	return p;
}

/* sessionIssuer {arn, type} */
static const char *
issuer_object(struct ct_scanner *sc, const char *p, int level,
    struct ct_identity *id)
{
	const char *endp = NULL;
	int key = K_START;

	id->issuer_arn.p = id->issuer_type.p = NULL;
	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_ISSUER, &key);
		switch (key) {
		case K_arn:
			p = str_field(sc, p, level, F_ISS_ARN, &id->issuer_arn);
			break;
		case K_type:
			p = str_field(sc, p, level, F_ISS_TYPE, &id->issuer_type);
			break;
		default:
			p = skip_any(sc, p);
			break;
		}
	}
	sc->depth--;
	return endp;
}

static const char *
session_object(struct ct_scanner *sc, const char *p, int level,
    struct ct_identity *id)
{
	const char *endp = NULL;
	int key = K_START;

	id->issuer_arn.p = id->issuer_type.p = NULL;
	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_SESSION, &key);
		if (key == K_sessionIssuer) {
			if (*p == '{')
				p = issuer_object(sc, p + 1, level, id);
			else {
				id->issuer_arn.p = id->issuer_type.p = NULL;
				p = skip_any(sc, p);
			}
		} else
			p = skip_any(sc, p);
	}
	sc->depth--;
	return endp;
}

static const char *
obo_object(struct ct_scanner *sc, const char *p, int level,
    struct ct_identity *id)
{
	const char *endp = NULL;
	int key = K_START;

	id->obo_store_arn.p = id->obo_user_id.p = NULL;
	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_OBO, &key);
		switch (key) {
		case K_identityStoreArn:
			p = str_field(sc, p, level, F_OBO_STORE,
			    &id->obo_store_arn);
			break;
		case K_userId:
			p = str_field(sc, p, level, F_OBO_USER, &id->obo_user_id);
			break;
		default:
			p = skip_any(sc, p);
			break;
		}
	}
	sc->depth--;
	return endp;
}

static const char *
identity_object(struct ct_scanner *sc, const char *p, int level,
    struct ct_identity *id)
{
	const char *endp = NULL;
	int key = K_START;

	memset(id, 0, sizeof(*id));
	id->present = 1;
	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_IDENTITY, &key);
		switch (key) {
		case K_arn:
			p = str_field(sc, p, level, F_ARN, &id->arn);
			break;
		case K_type:
			p = str_field(sc, p, level, F_TYPE, &id->type);
			break;
		case K_userName:
			p = str_field(sc, p, level, F_USER, &id->user_name);
			break;
		case K_accountId:
			p = str_field(sc, p, level, F_ACCT, &id->account_id);
			break;
		case K_invokedBy:
			p = str_field(sc, p, level, F_INVOKED, &id->invoked_by);
			break;
		case K_principalId:
			p = str_field(sc, p, level, F_PRINC, &id->principal_id);
			break;
		case K_onBehalfOf:
			if (*p == '{') {
				id->has_on_behalf_of = 1;
				p = obo_object(sc, p + 1, level, id);
			} else {
				id->has_on_behalf_of = 0;
				id->obo_store_arn.p = NULL;
				id->obo_user_id.p = NULL;
				p = skip_any(sc, p);
			}
			break;
		case K_sessionContext:
			if (*p == '{')
				p = session_object(sc, p + 1, level, id);
			else {
				id->issuer_arn.p = NULL;
				id->issuer_type.p = NULL;
				p = skip_any(sc, p);
			}
			break;
		default:
			p = skip_any(sc, p);
			break;
		}
	}
	sc->depth--;
	return endp;
}

/* responseElements: errorCode, and whether errorCode/errorMessage is there. */
static const char *
resp_object(struct ct_scanner *sc, const char *p, int level,
    struct ct_record *r, int *failed)
{
	const char *endp = NULL;
	int key = K_START;

	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_RESP, &key);
		if (key == K_errorCode) {
			*failed = 1;
			p = str_field(sc, p, level, F_RESPERR,
			    &r->resp_error_code);
		} else if (key == K_errorMessage) {
			*failed = 1;
			p = skip_any(sc, p);
		} else
			p = skip_any(sc, p);
	}
	sc->depth--;
	return endp;
}

/* Deliver an effect unless it is one of the first sc->skip. */
static int
deliver(struct ct_scanner *sc)
{
	return sc->effects++ >= sc->skip;
}

static void
eff_skipped(struct ct_scanner *sc, const char *why)
{
	if (deliver(sc) && sc->ops->skipped &&
	    sc->ops->skipped(sc->arg, why, sc->cur_off))
		stop(sc);
}

static const char *env_value(struct ct_scanner *, const char *, int);
static const char *env_object(struct ct_scanner *, const char *, int, int,
    const char *);

/* p after '['; elements are scanned for records at this level. */
static const char *
env_array(struct ct_scanner *sc, const char *p, int level)
{
	sc->depth++;
	p = ws_need(sc, p);
	if (*p == ']') {
		sc->depth--;
		return p + 1;
	}
	for (;;) {
		p = env_value(sc, p, level);
		p = ws_need(sc, p);
		if (*p == ']')
			break;
		if (*p != ',')
			fail(sc, p, "expected ',' or ']'");
		p = ws_need(sc, p + 1);
	}
	sc->depth--;
	return p + 1;
}

/* The content of a CloudTrailEvent string, a document of its own. */
static void
inner_document(struct ct_scanner *sc, const struct ct_str *s, int level)
{
	const char *obase = sc->base, *oend = sc->end;
	int oinner = sc->inner, odepth = sc->depth;
	size_t ooff = sc->cur_off;
	sigjmp_buf ojb;
	const char *volatile reason = NULL;
	const char *p;

	memcpy(&ojb, &sc->jb, sizeof(ojb));
	sc->base = s->p;
	sc->end = s->p + s->n;
	sc->inner = 1;
	sc->depth = 0;
	if (sigsetjmp(sc->jb, 0) == 0) {
		p = ws(sc->base, sc->end);
		if (p >= sc->end)
			reason = "CloudTrailEvent is empty";
		else {
			p = env_value(sc, p, level);
			if (ws(p, sc->end) != sc->end)
				reason = "CloudTrailEvent has data after its value";
		}
	} else if (sc->status == CT_SCAN_STOP)
		reason = NULL;
	else
		reason = sc->reason;
	memcpy(&sc->jb, &ojb, sizeof(ojb));
	sc->base = obase;
	sc->end = oend;
	sc->inner = oinner;
	sc->depth = odepth;
	sc->cur_off = ooff;
	if (sc->status == CT_SCAN_STOP)
		siglongjmp(sc->jb, 1);
	if (reason != NULL && deliver(sc) && sc->ops->malformed &&
	    sc->ops->malformed(sc->arg, reason, sc->cur_off))
		stop(sc);
}

/* Why an object with a ctFetch key is not a control record. */
#define NOT_CONTROL	"a ct-fetch control record inside an envelope or " \
			"CloudTrailEvent is not obeyed"

/*
 * A checker's top-level object (p after '{', vstart at it): a control
 * record if it has a ctFetch key, else nothing to say.  What env_object
 * would add below the top level (records, envelopes, CloudTrailEvent
 * documents, nesting limits) reports effects a checker drops and fails
 * on nothing the grammar skip_any reads does not, so each member's value
 * is only skipped: the same verdict for ~half the work.
 */
static const char *
check_object(struct ct_scanner *sc, const char *p, const char *vstart)
{
	const char *endp = NULL;
	int key = K_START, ctl = 0;

	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_RECORD, &key);
		if (key == K_ctFetch)
			ctl = 1;
		p = skip_any(sc, p);
	}
	sc->depth--;
	sc->cur_off = (size_t)(vstart - sc->base);
	if (ctl && deliver(sc) && sc->ops->control &&
	    sc->ops->control(sc->arg, vstart, (size_t)(endp - vstart),
	    sc->cur_off))
		stop(sc);
	return endp;
}

/*
 * An object in a place where records may be (p after '{', vstart at it).
 * hold: fill sc->rec[level] but deliver nothing for it (EventBridge
 * "detail", delivered by the envelope once it knows the detail-type);
 * sc->held_ctl says whether it had a ctFetch key.
 *
 * Only a top-level value of the input is a control record: ct-fetch
 * writes them there, and nothing else it writes can be one (it refuses
 * such a CloudTrailEvent, ct_scan_check_record).  Anywhere else the bytes
 * come from an endpoint or a log object and a ctFetch key is a forgery:
 * the object is reported as skipped, neither obeyed nor counted.
 */
static const char *
env_object(struct ct_scanner *sc, const char *p, int level, int hold,
    const char *vstart)
{
	struct ct_record *r;
	struct ct_str cte = { NULL, 0 }, dtype = { NULL, 0 };
	const char *endp = NULL, *q;
	size_t myoff;
	int has_err = 0, resp_failed = 0, wrapper = 0, ctl = 0, digest = 0;
	int detail = 0, detail_ctl = 0, key = K_START;
	int top = !sc->inner && sc->depth == 0;

	if (top && sc->check_only)
		return check_object(sc, p, vstart);
	if (level >= CT_SCAN_LEVELS) {
		q = skip_value(sc, vstart);
		if (!hold)
			eff_skipped(sc, "records nested too deep in envelopes");
		return q;
	}
	myoff = sc->inner ? sc->cur_off : (size_t)(vstart - sc->base);
	r = &sc->rec[level];
	memset(r, 0, sizeof(*r));
	sc->repaired[level] = 0;
	for (p = object_open(sc, p, &endp); p != NULL;
	    p = member_next(sc, p, &endp)) {
		p = member_key_id(sc, p, KIND_RECORD, &key);
		switch (key) {
		case K_eventSource:
			p = str_field(sc, p, level, F_SOURCE, &r->event_source);
			break;
		case K_eventName:
			p = str_field(sc, p, level, F_NAME, &r->event_name);
			break;
		case K_eventTime:
			p = str_field(sc, p, level, F_TIME, &r->event_time);
			break;
		case K_awsRegion:
			p = str_field(sc, p, level, F_REGION, &r->aws_region);
			break;
		case K_sourceIPAddress:
			p = str_field(sc, p, level, F_IP, &r->source_ip);
			break;
		case K_userAgent:
			p = str_field(sc, p, level, F_UA, &r->user_agent);
			break;
		case K_eventID:
			p = str_field(sc, p, level, F_EVID, &r->event_id);
			break;
		case K_recipientAccountId:
			p = str_field(sc, p, level, F_RECIP,
			    &r->recipient_account_id);
			break;
		case K_errorCode:
			has_err = 1;
			p = str_field(sc, p, level, F_ERR, &r->error_code);
			break;
		case K_errorMessage:
			has_err = 1;
			p = skip_any(sc, p);
			break;
		case K_userIdentity:
			if (*p == '{')
				p = identity_object(sc, p + 1, level, &r->id);
			else {
				memset(&r->id, 0, sizeof(r->id));
				p = skip_any(sc, p);
			}
			break;
		case K_responseElements:
			r->resp_error_code.p = NULL;
			resp_failed = 0;
			if (*p == '{')
				p = resp_object(sc, p + 1, level, r, &resp_failed);
			else
				p = skip_any(sc, p);
			break;
		case K_CloudTrailEvent:
			p = str_field(sc, p, level, F_CTE, &cte);
			break;
		case K_detail_type:
			p = str_field(sc, p, level, F_DTYPE, &dtype);
			break;
		case K_detail:
			if (*p == '{' && level + 1 < CT_SCAN_LEVELS) {
				size_t save = sc->cur_off;

				sc->cur_off = myoff;
				p = env_object(sc, p + 1, level + 1, 1, p);
				sc->cur_off = save;
				detail = 1;
				detail_ctl = sc->held_ctl;
			} else {
				detail = detail_ctl = 0;
				p = skip_any(sc, p);
			}
			break;
		case K_ctFetch:
			ctl = 1;
			p = skip_any(sc, p);
			break;
		case K_digestStartTime:
		case K_digestEndTime:
			digest = 1;
			p = skip_any(sc, p);
			break;
		case K_Records:
		case K_Events:
			if (*p != '[') {
				p = skip_any(sc, p);
				break;
			}
			wrapper = 1;
			if (level + 1 < CT_SCAN_LEVELS)
				p = env_array(sc, p + 1, level + 1);
			else {
				q = p;
				p = skip_any(sc, p);
				sc->cur_off = sc->inner ? myoff :
				    (size_t)(q - sc->base);
				eff_skipped(sc,
				    "records nested too deep in envelopes");
			}
			break;
		default:
			p = skip_any(sc, p);
			break;
		}
	}
	sc->depth--;
	r->failed = has_err || resp_failed;
	if (hold) {
		sc->held_ctl = ctl;
		return endp;
	}
	sc->cur_off = myoff;
	if (ctl && !top)
		eff_skipped(sc, NOT_CONTROL);
	else if (ctl) {
		if (deliver(sc) && sc->ops->control &&
		    sc->ops->control(sc->arg, vstart, (size_t)(endp - vstart),
		    myoff))
			stop(sc);
	} else if (wrapper)
		;
	else if (cte.p != NULL) {
		if (level + 1 < CT_SCAN_LEVELS)
			inner_document(sc, &cte, level + 1);
		else
			eff_skipped(sc, "records nested too deep in envelopes");
	} else if (detail && dtype.p != NULL &&
	    dtype.n == sizeof(DTYPE_API_CALL) - 1 &&
	    ct_bytes_eq(dtype.p, DTYPE_API_CALL, dtype.n)) {
		if (detail_ctl)
			eff_skipped(sc, NOT_CONTROL);
		else if (deliver(sc) && sc->ops->record &&
		    sc->ops->record(sc->arg, &sc->rec[level + 1],
		    sc->repaired[level + 1], myoff))
			stop(sc);
	} else if (digest) {
		if (deliver(sc) && sc->ops->digest &&
		    sc->ops->digest(sc->arg, myoff))
			stop(sc);
	} else {
		if (deliver(sc) && sc->ops->record &&
		    sc->ops->record(sc->arg, r, sc->repaired[level], myoff))
			stop(sc);
	}
	return endp;
}

/*
 * A value where records may be.  The envelope walkers recurse, so a
 * container CT_SCAN_MAX_DEPTH deep is not searched: it is skipped whole
 * (skip_value needs no stack) and reported as skipped, never malformed.
 */
static const char *
env_value(struct ct_scanner *sc, const char *p, int level)
{
	const char *q;

	if ((*p == '{' || *p == '[') && sc->depth >= CT_SCAN_MAX_DEPTH) {
		q = skip_value(sc, p);
		if (!sc->inner)
			sc->cur_off = (size_t)(p - sc->base);
		eff_skipped(sc, "records nested too deep in envelopes");
		return q;
	}
	if (*p == '{')
		return env_object(sc, p + 1, level, 0, p);
	if (*p == '[')
		return env_array(sc, p + 1, level);
	q = skip_value(sc, p);
	if (!sc->inner)
		sc->cur_off = (size_t)(p - sc->base);
	eff_skipped(sc, *p == '"' ? "a string, not a record" :
	    "not a record (a number, true, false or null)");
	return q;
}

/* The UTF-8 byte order mark. */
#define BOM	"\xef\xbb\xbf"

/*
 * Whitespace before a top-level value: JSON's four bytes and byte order
 * marks.  A BOM starts each file an editor or a Windows tool wrote, and
 * files are concatenated (cat, several gzip members), so one may come
 * before any value of a stream, not only the first.  Inside a value the
 * grammar is json.loads's.  Returns the value's first byte; *cut is set
 * when the buffer ends inside what may be a BOM.
 */
static const char *
top_ws(const char *p, const char *e, int *cut)
{
	size_t k;

	*cut = 0;
	for (;;) {
		p = ws(p, e);
		if (p >= e || (unsigned char)*p != 0xef)
			return p;
		for (k = 1; k < 3 && p + k < e; k++)
			if (p[k] != BOM[k])
				return p;
		if (k < 3) {
			*cut = 1;
			return p;
		}
		p += 3;
	}
}

int
ct_scan_value(struct ct_scanner *sc, const char *buf, size_t n, size_t start,
    int eof, size_t skip, size_t *next)
{
	const char *p;
	const char *volatile vstart;
	int cut;

	sc->base = buf;
	sc->end = buf + n;
	sc->eof = eof;
	sc->inner = 0;
	sc->depth = 0;
	sc->effects = 0;
	sc->skip = skip;
	sc->reason = NULL;
	sc->status = CT_SCAN_OK;
	if (sc->nkinds > KINDS_KEEP) {
		sc->nkinds = KINDS_START;
		sc->kinds = xrealloc(sc->kinds,
		    sc->nkinds * sizeof(*sc->kinds));
	}
	p = top_ws(buf + start, sc->end, &cut);
	sc->vstart = (size_t)(p - buf);
	if (p >= sc->end) {
		*next = n;
		return CT_SCAN_EMPTY;
	}
	if (cut && !eof) {
		*next = sc->vstart;
		return CT_SCAN_MORE;
	}
	vstart = p;
	sc->cur_off = (size_t)(p - buf);
	if (sigsetjmp(sc->jb, 0) != 0) {
		switch (sc->status) {
		case CT_SCAN_BAD:
			*next = (size_t)(sc->err_at - buf);
			break;
		default:	/* MORE, STOP */
			*next = (size_t)(vstart - buf);
			break;
		}
		return sc->status;
	}
	*next = (size_t)(env_value(sc, vstart, 0) - buf);
	return CT_SCAN_OK;
}

/* ct_scan_check_record's control callback: note it, stop. */
static int
check_control(void *arg, const char *p, size_t n, size_t off)
{
	*(int *)arg = 1;
	return 1;
}

static const struct ct_scan_ops check_ops = { .control = check_control };

struct ct_scanner *
ct_scan_checker_new(void)
{
	struct ct_scanner *sc = ct_scan_new(&check_ops, NULL);

	sc->check_only = 1;
	return sc;
}

int
ct_scan_check(struct ct_scanner *sc, const char *p, size_t n,
    const char **why)
{
	size_t next, start;
	int rc, control = 0;

	ct_scan_set_arg(sc, &control);
	rc = ct_scan_value(sc, p, n, 0, 1, 0, &next);
	start = ct_scan_start(sc);
	ct_scan_set_arg(sc, NULL);
	if (rc == CT_SCAN_STOP && control)
		*why = "shaped like a ct-fetch control record";
	else if (rc != CT_SCAN_OK || ws(p + next, p + n) != p + n)
		*why = "not one JSON value";
	else if (p[start] != '{')
		*why = "not a JSON object";
	else
		return 1;
	return 0;
}

int
ct_scan_check_record(const char *p, size_t n, const char **why)
{
	struct ct_scanner *sc = ct_scan_checker_new();
	int ok = ct_scan_check(sc, p, n, why);

	ct_scan_free(sc);
	return ok;
}
