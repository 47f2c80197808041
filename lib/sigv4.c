/* sigv4.c - see sigv4.h */
/* SHA-256 through OpenSSL's SHA256_Init/Update/Final (see sha256 below),
 * which 3.0 marks deprecated in favour of EVP */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "hex.h"
#include "sigv4.h"
#include "xalloc.h"

#define SIGV4_CAP	((size_t)128 << 20)

struct hdr {
	const char	*name;		/* lower-case */
	const char	*value;		/* canonical value */
	char		*own_name;	/* what name or value points to when
					   made here (else the input's own),
					   freed with h */
	char		*own_value;
	size_t		 order;
};

struct qparam {
	char	*key;		/* encoded */
	char	*val;		/* encoded */
};

struct qextra {
	const char	*key;	/* raw */
	const char	*val;
};

static const char hexd[] = "0123456789ABCDEF";

/*
 * SHA-256 with OpenSSL's low-level functions, on a context on the stack:
 * the EVP interface allocates and frees a context (and, in OpenSSL 3, a
 * provider context) and dispatches through the provider on every digest,
 * which cost several times the hashing of a request's few hundred bytes;
 * each S3 GET takes four digests (the canonical request, the secret's
 * fingerprint for the key cache, the HMAC's two).
 */
static void
sha256(const void *p, size_t n, unsigned char out[32])
{
	SHA256_CTX c;

	if (SHA256_Init(&c) != 1 || SHA256_Update(&c, p, n) != 1 ||
	    SHA256_Final(out, &c) != 1)
		memset(out, 0, 32);
	OPENSSL_cleanse(&c, sizeof(c));
}

void
ct_sigv4_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	sha256(p, n, md);
	ct_hex_encode(md, sizeof(md), out);
}

/*
 * The bytes RFC 3986 leaves unreserved (ALPHA DIGIT - . _ ~), as a table:
 * every request's path and query pass through here, and isalnum() is a
 * locale lookup per byte.
 */
static const unsigned char unreserved[256] = {
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

int
ct_sigv4_uri_encode(struct ct_buf *b, const char *s, size_t n, int keep_slash)
{
	size_t i = 0, run;
	unsigned char c;
	char e[3];

	while (i < n) {
		/* a run of bytes kept as they are, appended at once */
		for (run = i; run < n && (unreserved[(unsigned char)s[run]] ||
		    (keep_slash && s[run] == '/')); run++)
			;
		if (run > i && ct_buf_add(b, s + i, run - i) != 0)
			return -1;
		if ((i = run) == n)
			break;
		c = (unsigned char)s[i++];
		e[0] = '%';
		e[1] = hexd[c >> 4];
		e[2] = hexd[c & 15];
		if (ct_buf_add(b, e, 3) != 0)
			return -1;
	}
	return 0;
}

/* %-decode s[0..n) into a fresh string; NULL on a bad escape. */
static char *
pct_decode(const char *s, size_t n, size_t *outn)
{
	char *r = xmalloc(n + 1);
	size_t i, j = 0;
	int h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || (h = ct_hex_val(s[i + 1])) < 0 ||
			    (l = ct_hex_val(s[i + 2])) < 0) {
				free(r);
				return NULL;
			}
			r[j++] = (char)(h << 4 | l);
			i += 2;
		} else
			r[j++] = s[i];
	}
	r[j] = '\0';
	*outn = j;
	return r;
}

static char *
encode_dup(const char *s, size_t n)
{
	struct ct_buf b;

	ct_buf_init(&b, SIGV4_CAP);
	(void)ct_sigv4_uri_encode(&b, s, n, 0);
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

/* Canonical path: normalised (unless asked not to), then encoded. */
static int
canon_path(struct ct_buf *out, const char *path, int normalize)
{
	const char *p, *seg;
	size_t n, i, nseg = 0, cap;
	const char **segs;
	size_t *lens;
	int trailing;
	struct ct_buf tmp;
	int rc;

	if (path == NULL || *path == '\0')
		path = "/";
	if (!normalize)
		return ct_sigv4_uri_encode(out, path, strlen(path), 1);

	n = strlen(path);
	cap = n / 2 + 2;
	segs = xcalloc(cap, sizeof(*segs));
	lens = xcalloc(cap, sizeof(*lens));
	trailing = n > 0 && path[n - 1] == '/';
	p = path;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		seg = p;
		while (*p != '\0' && *p != '/')
			p++;
		i = (size_t)(p - seg);
		if (i == 1 && seg[0] == '.') {
			if (*p == '\0')
				trailing = 1;
			continue;
		}
		if (i == 2 && seg[0] == '.' && seg[1] == '.') {
			if (nseg > 0)
				nseg--;
			if (*p == '\0')
				trailing = 1;
			continue;
		}
		segs[nseg] = seg;
		lens[nseg] = i;
		nseg++;
	}
	ct_buf_init(&tmp, SIGV4_CAP);
	rc = ct_buf_addc(&tmp, '/');
	for (i = 0; i < nseg && rc == 0; i++) {
		rc |= ct_buf_add(&tmp, segs[i], lens[i]);
		if (i + 1 < nseg || trailing)
			rc |= ct_buf_addc(&tmp, '/');
	}
	if (rc == 0)
		rc = ct_sigv4_uri_encode(out, tmp.data, tmp.len, 1);
	ct_buf_free(&tmp);
	free(segs);
	free(lens);
	return rc;
}

static int
qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->val, y->val);
}

/* Parse, decode, re-encode, sort.  extra (may be NULL) adds params. */
static int
canon_query(struct ct_buf *out, const char *q, const struct qextra *extra,
    size_t nextra)
{
	struct qparam *v = NULL;
	size_t n = 0, cap = 0, i, kn, vn;
	const char *p, *amp, *eq;
	char *k, *val;
	int rc = 0;

	p = q != NULL ? q : "";
	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		if (amp == p) {
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		k = pct_decode(p, (size_t)((eq ? eq : amp) - p), &kn);
		val = eq ? pct_decode(eq + 1, (size_t)(amp - eq - 1), &vn) :
		    (vn = 0, xstrdup(""));
		if (k == NULL || val == NULL) {
			free(k);
			free(val);
			rc = -1;
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].key = encode_dup(k, kn);
		v[n].val = encode_dup(val, vn);
		n++;
		free(k);
		free(val);
		p = *amp ? amp + 1 : amp;
	}
	for (i = 0; i < nextra; i++) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].key = encode_dup(extra[i].key, strlen(extra[i].key));
		v[n].val = encode_dup(extra[i].val, strlen(extra[i].val));
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), qparam_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc |= ct_buf_addc(out, '&');
		rc |= ct_buf_adds(out, v[i].key);
		rc |= ct_buf_addc(out, '=');
		rc |= ct_buf_adds(out, v[i].val);
	}
out:
	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].val);
	}
	free(v);
	return rc;
}

/* Trim, collapse whitespace runs (folded lines included) to one space. */
static char *
canon_value(const char *s)
{
	size_t n = strlen(s), i, j = 0;
	char *r = xmalloc(n + 1);
	int sp = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
			sp = 1;
			continue;
		}
		if (sp && j > 0)
			r[j++] = ' ';
		sp = 0;
		r[j++] = s[i];
	}
	r[j] = '\0';
	return r;
}

static int
hdr_cmp(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Is s a canonical value already (canon_value would return a copy)? */
static int
is_canon(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n' ||
		    (s[i] == ' ' && (i == 0 || s[i + 1] == ' ' ||
		    s[i + 1] == '\0')))
			return 0;
	return 1;
}

static int
has_upper(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	return 0;
}

static char *
lower_dup(const char *s)
{
	char *r = xstrdup(s), *p;

	for (p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* One header the signer adds: name and value are the caller's. */
static void
add_hdr(struct hdr *h, size_t *nh, const char *name, const char *value)
{
	h[*nh].name = name;
	h[*nh].value = value;
	h[*nh].own_name = h[*nh].own_value = NULL;
	h[*nh].order = *nh;
	(*nh)++;
}

static int
has_header(const struct ct_sigv4_input *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->nhdr; i++)
		if (strcasecmp(in->hdr[i].name, name) == 0)
			return 1;
	return 0;
}

/* HMAC-SHA256 (RFC 2104), as sha256 above; the padded key and the state are
 * wiped. */
static void
hmac(const void *key, size_t keylen, const char *msg, size_t n,
    unsigned char out[32])
{
	unsigned char k[64], pad[64], inner[32];
	SHA256_CTX c;
	size_t i;
	int ok;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		sha256(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	ok = SHA256_Init(&c) == 1 && SHA256_Update(&c, pad, 64) == 1 &&
	    SHA256_Update(&c, msg, n) == 1 && SHA256_Final(inner, &c) == 1;
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	ok = ok && SHA256_Init(&c) == 1 && SHA256_Update(&c, pad, 64) == 1 &&
	    SHA256_Update(&c, inner, 32) == 1 && SHA256_Final(out, &c) == 1;
	if (!ok)
		memset(out, 0, 32);
	OPENSSL_cleanse(&c, sizeof(c));
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(inner, sizeof(inner));
}

void
ct_sigv4_cache_wipe(struct ct_sigv4_cache *c)
{
	explicit_bzero(c, sizeof(*c));
}

/*
 * kSigning for secret, date, region and service into key[32]: from c when
 * it holds the key for them, else derived (and kept in c, if any).  0, or
 * -1 (cap).
 */
static int
signing_key(struct ct_sigv4_cache *c, const char *secret, const char *date,
    const char *region, const char *service, unsigned char key[32])
{
	unsigned char k1[32], k2[32], k3[32], sha[32];
	struct ct_buf kbuf;
	int rc = 0;

	if (c != NULL) {
		sha256(secret, strlen(secret), sha);
		if (c->valid && memcmp(c->secret_sha, sha, 32) == 0 &&
		    strcmp(c->date, date) == 0 &&
		    strcmp(c->region, region) == 0 &&
		    strcmp(c->service, service) == 0) {
			memcpy(key, c->key, 32);
			explicit_bzero(sha, sizeof(sha));
			return 0;
		}
	}
	ct_buf_init(&kbuf, 1024);
	rc |= ct_buf_adds(&kbuf, "AWS4");
	rc |= ct_buf_adds(&kbuf, secret);
	if (rc == 0) {
		hmac(kbuf.data, kbuf.len, date, strlen(date), k1);
		hmac(k1, 32, region, strlen(region), k2);
		hmac(k2, 32, service, strlen(service), k3);
		hmac(k3, 32, "aws4_request", 12, key);
	}
	ct_buf_wipe(&kbuf);
	explicit_bzero(k1, sizeof(k1));
	explicit_bzero(k2, sizeof(k2));
	explicit_bzero(k3, sizeof(k3));
	if (c != NULL) {
		c->valid = 0;
		if (rc == 0 && strlen(date) < sizeof(c->date) &&
		    strlen(region) < sizeof(c->region) &&
		    strlen(service) < sizeof(c->service)) {
			memcpy(c->secret_sha, sha, 32);
			strcpy(c->date, date);
			strcpy(c->region, region);
			strcpy(c->service, service);
			memcpy(c->key, key, 32);
			c->valid = 1;
		}
		explicit_bzero(sha, sizeof(sha));
	}
	return rc ? -1 : 0;
}

void
ct_sigv4_output_init(struct ct_sigv4_output *o)
{
	memset(o, 0, sizeof(*o));
	ct_buf_init(&o->creq, SIGV4_CAP);
	ct_buf_init(&o->sts, SIGV4_CAP);
	ct_buf_init(&o->authorization, SIGV4_CAP);
	ct_buf_init(&o->query, SIGV4_CAP);
}

void
ct_sigv4_output_free(struct ct_sigv4_output *o)
{
	ct_buf_free(&o->creq);
	ct_buf_free(&o->sts);
	ct_buf_free(&o->authorization);
	ct_buf_wipe(&o->query);		/* may hold the session token */
}

/* "YYYYMMDDTHHMMSSZ" into out[17], as strftime's "%Y%m%dT%H%M%SZ" but
 * without its locale machinery (on every request): 0, or -1 for a year
 * of other than four digits. */
static int
amz_date(const struct tm *tm, char out[17])
{
	const int v[6] = { tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
	    tm->tm_hour, tm->tm_min, tm->tm_sec };
	char *p = out;
	int i;

	if (v[0] < 1000 || v[0] > 9999)
		return -1;
	for (i = 0; i < 6; i++) {
		if (i == 0) {
			*p++ = (char)('0' + v[0] / 1000);
			*p++ = (char)('0' + v[0] / 100 % 10);
		}
		if (i == 3)
			*p++ = 'T';
		*p++ = (char)('0' + v[i] / 10 % 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	*p++ = 'Z';
	*p = '\0';
	return 0;
}

int
ct_sigv4_sign(const struct ct_sigv4_input *in, struct ct_sigv4_output *out)
{
	struct hdr hbuf[8], *h;
	size_t nh = 0, i, j, hcap;
	struct ct_buf shdrs;
	struct qextra extra[6];
	size_t nextra = 0;
	char date[9], scope[256], creqhash[65], expires[24], *cred = NULL;
	unsigned char k4[32], sig[32];
	struct tm tm;
	int rc = 0, query_mode = (in->flags & CT_SIGV4_QUERY) != 0;
	int sign_token;

	ct_buf_reset(&out->creq);
	ct_buf_reset(&out->sts);
	ct_buf_reset(&out->authorization);
	ct_buf_reset(&out->query);
	out->signature[0] = '\0';
	out->add_date = out->add_token = out->add_sha256 = 0;

	if (gmtime_r(&in->when, &tm) == NULL)
		return -1;
	if (amz_date(&tm, out->amz_date) != 0)
		return -1;
	memcpy(date, out->amz_date, 8);
	date[8] = '\0';
	/* "DATE/REGION/SERVICE/aws4_request": 24 bytes besides the two
	 * names, with the NUL */
	if (strlen(in->region) + strlen(in->service) + 24 > sizeof(scope))
		return -1;
	strcpy(scope, date);
	strcat(scope, "/");
	strcat(scope, in->region);
	strcat(scope, "/");
	strcat(scope, in->service);
	strcat(scope, "/aws4_request");
	if (in->bodylen == 0)	/* SHA-256 of nothing (every S3 GET) */
		memcpy(out->payload_hash, "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855", 65);
	else
		ct_sigv4_sha256_hex(in->body, in->bodylen, out->payload_hash);
	sign_token = in->token != NULL && *in->token != '\0' &&
	    !(in->flags & CT_SIGV4_TOKEN_AFTER);

	/* The buffers' usual sizes at once: growing them piece by piece
	 * cost several reallocations per request. */
	(void)ct_buf_reserve(&out->creq, 1024);
	(void)ct_buf_reserve(&out->sts, 256);

	/* Headers: the request's, plus what the signer adds; copies only
	 * of what is not lower-case or canonical already (a request signs
	 * a handful: no allocation for them then). */
	hcap = in->nhdr + 3;
	h = hcap <= sizeof(hbuf) / sizeof(hbuf[0]) ? hbuf :
	    xcalloc(hcap, sizeof(*h));
	for (i = 0; i < in->nhdr; i++) {
		const char *nm = in->hdr[i].name;
		const char *v = in->hdr[i].value ? in->hdr[i].value : "";

		if (nm == NULL || nm[0] == '\0') {
			rc = -1;
			goto done;
		}
		h[nh].own_name = has_upper(nm) ? lower_dup(nm) : NULL;
		h[nh].own_value = is_canon(v) ? NULL : canon_value(v);
		h[nh].name = h[nh].own_name != NULL ? h[nh].own_name : nm;
		h[nh].value = h[nh].own_value != NULL ? h[nh].own_value : v;
		h[nh].order = nh;
		nh++;
	}
	if (!query_mode) {
		if (!has_header(in, "x-amz-date")) {
			add_hdr(h, &nh, "x-amz-date", out->amz_date);
			out->add_date = 1;
		}
		if (sign_token && !has_header(in, "x-amz-security-token"))
			add_hdr(h, &nh, "x-amz-security-token", in->token);
		if (in->flags & CT_SIGV4_SIGN_BODY &&
		    !has_header(in, "x-amz-content-sha256")) {
			add_hdr(h, &nh, "x-amz-content-sha256",
			    out->payload_hash);
			out->add_sha256 = 1;
		}
	}
	/* Header mode: the caller sends the token header (signed or not);
	 * query mode: signed tokens are in out->query, others are added. */
	if (in->token != NULL && *in->token != '\0' &&
	    (query_mode ? !sign_token :
	    !has_header(in, "x-amz-security-token")))
		out->add_token = 1;
	qsort(h, nh, sizeof(*h), hdr_cmp);

	/* Signed header list: unique names in order. */
	ct_buf_init(&shdrs, 4096);
	for (i = 0; i < nh; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0)
			continue;
		if (shdrs.len)
			rc |= ct_buf_addc(&shdrs, ';');
		rc |= ct_buf_adds(&shdrs, h[i].name);
	}

	/* Canonical request. */
	rc |= ct_buf_adds(&out->creq, in->method);
	rc |= ct_buf_addc(&out->creq, '\n');
	rc |= canon_path(&out->creq, in->path,
	    !(in->flags & CT_SIGV4_NO_NORMALIZE));
	rc |= ct_buf_addc(&out->creq, '\n');
	if (query_mode) {
		if (asprintf(&cred, "%s/%s", in->access_key, scope) < 0)
			cred = NULL;
		snprintf(expires, sizeof(expires), "%ld",
		    in->expires > 0 ? in->expires : 3600);
		extra[nextra].key = "X-Amz-Algorithm";
		extra[nextra++].val = "AWS4-HMAC-SHA256";
		extra[nextra].key = "X-Amz-Credential";
		extra[nextra++].val = cred ? cred : "";
		extra[nextra].key = "X-Amz-Date";
		extra[nextra++].val = out->amz_date;
		extra[nextra].key = "X-Amz-Expires";
		extra[nextra++].val = expires;
		extra[nextra].key = "X-Amz-SignedHeaders";
		extra[nextra++].val = shdrs.data ? shdrs.data : "";
		if (sign_token) {
			extra[nextra].key = "X-Amz-Security-Token";
			extra[nextra++].val = in->token;
		}
	}
	{
		size_t before = out->creq.len;

		if (canon_query(&out->creq, in->query, extra, nextra) != 0) {
			rc = -1;
			goto donehdr;
		}
		if (query_mode)
			rc |= ct_buf_add(&out->query, out->creq.data + before,
			    out->creq.len - before);
	}
	rc |= ct_buf_addc(&out->creq, '\n');
	for (i = 0; i < nh; i = j) {
		rc |= ct_buf_adds(&out->creq, h[i].name);
		rc |= ct_buf_addc(&out->creq, ':');
		rc |= ct_buf_adds(&out->creq, h[i].value);
		for (j = i + 1; j < nh && strcmp(h[j].name, h[i].name) == 0;
		    j++) {
			rc |= ct_buf_addc(&out->creq, ',');
			rc |= ct_buf_adds(&out->creq, h[j].value);
		}
		rc |= ct_buf_addc(&out->creq, '\n');
	}
	rc |= ct_buf_addc(&out->creq, '\n');
	rc |= ct_buf_adds(&out->creq, shdrs.data ? shdrs.data : "");
	rc |= ct_buf_addc(&out->creq, '\n');
	rc |= ct_buf_adds(&out->creq, out->payload_hash);
	if (rc != 0)
		goto donehdr;

	/* String to sign. */
	ct_sigv4_sha256_hex(out->creq.data, out->creq.len, creqhash);
	/* appended piecewise here and below: a printf costs several times
	 * the copy, on every request */
	rc |= ct_buf_adds(&out->sts, "AWS4-HMAC-SHA256\n");
	rc |= ct_buf_adds(&out->sts, out->amz_date);
	rc |= ct_buf_addc(&out->sts, '\n');
	rc |= ct_buf_adds(&out->sts, scope);
	rc |= ct_buf_addc(&out->sts, '\n');
	rc |= ct_buf_adds(&out->sts, creqhash);

	/* Signing key: kDate, kRegion, kService, kSigning. */
	if (rc == 0)
		rc |= signing_key(in->cache, in->secret_key, date, in->region,
		    in->service, k4);
	if (rc == 0) {
		hmac(k4, 32, out->sts.data, out->sts.len, sig);
		ct_hex_encode(sig, 32, out->signature);
	}
	explicit_bzero(k4, sizeof(k4));

	if (rc == 0 && !query_mode) {
		struct ct_buf *au = &out->authorization;

		(void)ct_buf_reserve(au, 256);
		rc |= ct_buf_adds(au, "AWS4-HMAC-SHA256 Credential=");
		rc |= ct_buf_adds(au, in->access_key);
		rc |= ct_buf_addc(au, '/');
		rc |= ct_buf_adds(au, scope);
		rc |= ct_buf_adds(au, ", SignedHeaders=");
		rc |= ct_buf_adds(au, shdrs.data ? shdrs.data : "");
		rc |= ct_buf_adds(au, ", Signature=");
		rc |= ct_buf_adds(au, out->signature);
	}
	if (rc == 0 && query_mode)
		rc |= ct_buf_printf(&out->query, "&X-Amz-Signature=%s",
		    out->signature);
donehdr:
	ct_buf_free(&shdrs);
done:
	for (i = 0; i < nh; i++) {
		free(h[i].own_name);
		free(h[i].own_value);
	}
	if (h != hbuf)
		free(h);
	free(cred);
	if (rc != 0)
		out->signature[0] = '\0';
	return rc ? -1 : 0;
}

int
ct_sigv4_form_add(struct ct_buf *f, const char *name, const char *value)
{
	int rc = 0;

	if (name != NULL) {
		if (f->len > 0)
			rc |= ct_buf_addc(f, '&');
		rc |= ct_sigv4_uri_encode(f, name, strlen(name), 0);
		rc |= ct_buf_addc(f, '=');
	}
	rc |= ct_sigv4_uri_encode(f, value, strlen(value), 0);
	return rc ? -1 : 0;
}
