/*
 * recwalk.c - one walk over a CloudTrail record (recwalk.h).
 *
 * The grammar is ct_scan_value's (json.loads's: NaN, Infinity and
 * -Infinity are numbers; JSON's four whitespace bytes; no control byte in
 * a string; escapes \" \\ \/ \b \f \n \r \t \uXXXX), walked with the
 * container kinds as bits (no recursion) and gotos between the few states
 * a compact record is in: a key, its value, what follows it.  Most of a
 * record's bytes are in strings, so a string's plain bytes are skipped 16
 * a step with SSE2.  Every way out but the record's own '}' is NULL: the
 * caller's slow path then says what is wrong, so no reason is kept here.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "recwalk.h"

/* Bytes a string's plain run stops at: '"', '\\', control bytes. */
static const unsigned char str_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

static inline int
ishex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static inline int
isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The stop bits of 64 bytes at p: bit i is set when p[i] is '"', '\\' or
 * a control byte.
 */
static inline uint64_t
stops64(const unsigned char *p)
{
#if defined(__SSE2__)
	const __m128i vq = _mm_set1_epi8('"');
	const __m128i vb = _mm_set1_epi8('\\');
	const __m128i v1f = _mm_set1_epi8(0x1f);
	uint64_t m = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const void *)(p + 16 * k));

		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, vq),
		    _mm_cmpeq_epi8(v, vb)),
		    _mm_cmpeq_epi8(_mm_min_epu8(v, v1f), v))) << (16 * k);
	}
	return m;
#else
	uint64_t m = 0;
	int k;

	for (k = 0; k < 64; k++)
		m |= (uint64_t)str_stop[p[k]] << k;
	return m;
#endif
}

void
ct_recwalk_index(struct ct_rectext *t)
{
	const unsigned char *p = (const unsigned char *)t->base;
	size_t i, k, n = t->n, full = n / 64;
	uint64_t m = 0;

	for (i = 0; i < full; i++)
		t->stops[i] = stops64(p + 64 * i);
	for (k = 64 * full; k < n; k++)
		m |= (uint64_t)str_stop[p[k]] << (k % 64);
	t->stops[full] = m;
	t->stops[full + 1] = 0;
}

/* The stop bits from offset o on: 64 of them, two words' worth. */
static inline uint64_t
stops_at(const uint64_t *stops, size_t o)
{
	size_t i = o / 64;
	unsigned s = (unsigned)(o % 64);

	return (stops[i] >> s) | (stops[i + 1] << 1 << (63 - s));
}

/* p just after an opening quote: its closing quote, or NULL.  *esc is set
 * when the string holds an escape. */
static inline __attribute__((always_inline)) const unsigned char *
str_close(const unsigned char *p, const unsigned char *b,
    const unsigned char *e, const uint64_t *stops, int *esc)
{
	for (;;) {
		uint64_t m;

		while ((m = stops_at(stops, (size_t)(p - b))) == 0) {
			p += 64;
			if (p >= e)
				return NULL;
		}
		p += __builtin_ctzll(m);
		if (p >= e)
			return NULL;
		if (*p == '"')
			return p;
		if (*p != '\\' || e - p < 2)
			return NULL;	/* a control byte */
		*esc = 1;
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			p += 2;
			break;
		case 'u':
			if (e - p < 6 || !ishex(p[2]) || !ishex(p[3]) ||
			    !ishex(p[4]) || !ishex(p[5]))
				return NULL;
			p += 6;
			break;
		default:
			return NULL;
		}
	}
}

/* p[0..n) spells w, and e is not reached. */
static inline const unsigned char *
word(const unsigned char *p, const unsigned char *e, const char *w, size_t n)
{
	if ((size_t)(e - p) <= n || memcmp(p, w, n) != 0)
		return NULL;
	return p + n;
}

/* A number or literal at p: its end, or NULL.  What may follow it is the
 * caller's to check. */
static inline const unsigned char *
scalar(const unsigned char *p, const unsigned char *e)
{
	switch (*p) {
	case 't':
		return word(p, e, "true", 4);
	case 'f':
		return word(p, e, "false", 5);
	case 'n':
		return word(p, e, "null", 4);
	case 'N':
		return word(p, e, "NaN", 3);
	case 'I':
		return word(p, e, "Infinity", 8);
	case '-':
		if (e - p > 1 && p[1] == 'I')
			return word(p, e, "-Infinity", 9);
		p++;
		break;
	default:
		break;
	}
	if (p >= e || !isdig(*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < e && isdig(*p))
			p++;
	if (p < e && *p == '.') {
		if (++p >= e || !isdig(*p))
			return NULL;
		while (p < e && isdig(*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !isdig(*p))
			return NULL;
		while (p < e && isdig(*p))
			p++;
	}
	return p < e ? p : NULL;
}

/* Skip JSON whitespace at p, noting a line break; a control byte there is
 * not JSON: out. */
#define WS() do {							\
	while (p < e && *p <= ' ') {					\
		if (*p == '\n' || *p == '\r')				\
			nl = 1;						\
		else if (*p != ' ' && *p != '\t')			\
			return NULL;					\
		p++;							\
	}								\
	if (p >= e)							\
		return NULL;						\
} while (0)

const char *
ct_recwalk(const struct ct_rectext *t, const char *start,
    struct ct_recwalk *w)
{
	const unsigned char *p = (const unsigned char *)start;
	const unsigned char *b = (const unsigned char *)t->base;
	const unsigned char *e = b + t->n, *q, *ks;
	const uint64_t *stops = t->stops;
	uint64_t obj[CT_RECWALK_DEPTH / 64];	/* bit d: level d is {} */
	size_t d = 1;		/* the record's own level is 1 */
	int esc, nl = 0, et = 0;

	w->et = NULL;
	w->et_len = 0;
	if (p >= e || *p != '{')
		return NULL;
	obj[0] = 2;
	p++;
obj_open:			/* after '{' */
	WS();
	if (*p == '}') {
		p++;
		goto close;
	}
key:				/* a member's key is due at p */
	if (*p != '"')
		return NULL;
key_quote:			/* p at its opening quote */
	ks = p + 1;
	esc = 0;
	if ((q = str_close(ks, b, e, stops, &esc)) == NULL)
		return NULL;
	/* At the top level: an escaped key (only decoding tells what it
	 * spells), ctFetch, eventTime.  Computed without a branch on the
	 * key (its length and depth change from key to key, which no
	 * predictor follows); the one branch is seldom taken. */
	{
		size_t kn = (size_t)(q - ks);
		uint64_t k8 = 0;
		int top = d == 1, is_ct, is_et;

		/* a key of 7 bytes ends before e: 8 bytes are there */
		if (e - ks >= 8)
			memcpy(&k8, ks, 8);
		is_ct = (kn == 7) & (memcmp(&k8, "ctFetch", 7) == 0);
		is_et = (kn == 9) & (memcmp(&k8, "eventTim", 8) == 0) &
		    ((e - ks >= 9 ? ks[8] : 0) == 'e');
		if (top & (esc | is_ct))
			return NULL;
		et = top & is_et & (w->et == NULL);
	}
	/* most members of a compact record: "key":"value" then ,"key */
	if (e - q > 3 && q[1] == ':' && q[2] == '"') {
		p = q + 2;
		goto str_value;
	}
	p = q + 1;
	WS();
	if (*p != ':')
		return NULL;
	p++;
	WS();
	if (*p == '"') {
str_value:			/* p at a member's string value */
		esc = 0;
		if ((q = str_close(p + 1, b, e, stops, &esc)) == NULL)
			return NULL;
		if (et) {
			w->et = (const char *)p + 1;
			w->et_len = (size_t)(q - p - 1);
		}
		if (e - q > 2 && q[1] == ',' && q[2] == '"') {
			p = q + 2;
			goto key_quote;
		}
		p = q + 1;
		goto next;
	}
	goto other;
value:				/* an array's element is due at p */
	if (*p == '"') {
		esc = 0;
		if ((q = str_close(p + 1, b, e, stops, &esc)) == NULL)
			return NULL;
		p = q + 1;
		goto next;
	}
other:				/* a value that is not a string */
	switch (*p) {
	case '{':
		if (++d >= CT_RECWALK_DEPTH)
			return NULL;
		obj[d / 64] |= (uint64_t)1 << (d % 64);
		p++;
		goto obj_open;
	case '[':
		if (++d >= CT_RECWALK_DEPTH)
			return NULL;
		obj[d / 64] &= ~((uint64_t)1 << (d % 64));
		p++;
		WS();
		if (*p == ']') {
			p++;
			goto close;
		}
		goto value;
	default:
		if ((p = scalar(p, e)) == NULL)
			return NULL;
		goto next;
	}
close:				/* level d was closed just before p */
	if (--d == 0) {
		w->one_line = !nl;
		return (const char *)p;
	}
next:				/* after a value at level d */
	if (p < e && *p == ',')
		p++;
	else {
		WS();
		if (*p == ',')
			p++;
		else if (*p == ((obj[d / 64] >> (d % 64) & 1) ? '}' : ']')) {
			p++;
			goto close;
		} else
			return NULL;
	}
	if (p < e && *p == '"' && (obj[d / 64] >> (d % 64) & 1))
		goto key;
	WS();
	if (obj[d / 64] >> (d % 64) & 1)
		goto key;
	goto value;
}
