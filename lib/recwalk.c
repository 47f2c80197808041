/*
 * recwalk.c - one walk over a CloudTrail record (recwalk.h).
 *
 * The grammar is ct_scan_value's (json.loads's: NaN, Infinity and
 * -Infinity are numbers; JSON's four whitespace bytes; no control byte in
 * a string; escapes \" \\ \/ \b \f \n \r \t \uXXXX), walked with the
 * container kinds as bits (no recursion) and gotos between the few states
 * a compact record is in: a key, its value, what follows it.  Most of a
 * record's bytes are in strings, so a string's end is found from the text's
 * stop bits (ct_recwalk_index, SSE2 or AVX2 over the whole text at once):
 * one load, a shift and a count of trailing zeros, whatever its length.
 * Every way out but the record's own '}' is NULL: the caller's slow path
 * then says what is wrong, so no reason is kept here.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hex.h"
#include "recwalk.h"

/* Bytes a string's plain run stops at: '"', '\\', control bytes. */
static const unsigned char str_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

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

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The same with AVX2, 32 bytes a compare, where the CPU has it (a
 * fraction of the walk's cost); the build stays x86-64's baseline. */
__attribute__((target("avx2"))) static void
index_avx2(const unsigned char *p, uint64_t *stops, size_t full)
{
	const __m256i vq = _mm256_set1_epi8('"');
	const __m256i vb = _mm256_set1_epi8('\\');
	const __m256i v1f = _mm256_set1_epi8(0x1f);
	size_t i;

	for (i = 0; i < full; i++) {
		__m256i a = _mm256_loadu_si256((const void *)(p + 64 * i));
		__m256i c = _mm256_loadu_si256((const void *)(p + 64 * i +
		    32));
		uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(a, vq),
		    _mm256_cmpeq_epi8(a, vb)),
		    _mm256_cmpeq_epi8(_mm256_min_epu8(a, v1f), a)));
		uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(c, vq),
		    _mm256_cmpeq_epi8(c, vb)),
		    _mm256_cmpeq_epi8(_mm256_min_epu8(c, v1f), c)));

		stops[i] = lo | hi << 32;
	}
}
#define HAVE_AVX2()	__builtin_cpu_supports("avx2")
#else
#define HAVE_AVX2()	0
#define index_avx2(p, stops, full)	((void)0)
#endif

void
ct_recwalk_index(struct ct_rectext *t)
{
	const unsigned char *p = (const unsigned char *)t->base;
	size_t i, k, n = t->n, full = n / 64;
	uint64_t m = 0;

	if (HAVE_AVX2())
		index_avx2(p, t->stops, full);
	else
		for (i = 0; i < full; i++)
			t->stops[i] = stops64(p + 64 * i);
	for (k = 64 * full; k < n; k++)
		m |= (uint64_t)str_stop[p[k]] << (k % 64);
	t->stops[full] = m;
	t->stops[full + 1] = 0;
}

/* The stop bits from offset o on: at least STOPS_AT of them (the rest
 * zero).  Where words are stored little-endian, their bytes are a bit
 * string in text order: one unaligned load and a shift. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define STOPS_AT	57
static inline uint64_t
stops_at(const uint64_t *stops, size_t o)
{
	uint64_t v;

	memcpy(&v, (const unsigned char *)stops + o / 8, sizeof(v));
	return v >> (o % 8);
}
#else
#define STOPS_AT	64
static inline uint64_t
stops_at(const uint64_t *stops, size_t o)
{
	size_t i = o / 64;
	unsigned s = (unsigned)(o % 64);

	return (stops[i] >> s) | (stops[i + 1] << 1 << (63 - s));
}
#endif

/* p just after an opening quote: its closing quote, or NULL.  *esc is set
 * when the string holds an escape. */
static inline __attribute__((always_inline)) const unsigned char *
str_close(const unsigned char *p, const unsigned char *b,
    const unsigned char *e, const uint64_t *stops, int *esc)
{
	for (;;) {
		uint64_t m;

		while ((m = stops_at(stops, (size_t)(p - b))) == 0) {
			if (e - p <= STOPS_AT)
				return NULL;	/* p + STOPS_AT would pass e */
			p += STOPS_AT;
		}
		/* a stop bit is below n: p < e */
		p += __builtin_ctzll(m);
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
			if (e - p < 6 || ct_hex_val(p[2]) < 0 ||
			    ct_hex_val(p[3]) < 0 || ct_hex_val(p[4]) < 0 ||
			    ct_hex_val(p[5]) < 0)
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

/* q at a key's closing quote: the first byte of its value after ':',
 * or NULL.  *nl is set at a line break on the way. */
static inline __attribute__((always_inline)) const unsigned char *
after_colon(const unsigned char *q, const unsigned char *e, int *nlp)
{
	const unsigned char *p;
	int nl = 0;

	if (e - q > 3 && q[1] == ':' && q[2] > ' ')
		return q + 2;	/* "key":value, most members */
	p = q + 1;
	WS();
	if (*p != ':')
		return NULL;
	p++;
	WS();
	*nlp |= nl;
	return p;
}

/*
 * The value at p, not a string (a record's member that is an object, an
 * array, a number or a literal): its end, or NULL.  Walked without a
 * call per level, the kinds of the open containers as bits; *nl is set
 * at a line break between tokens.  No key below the record's own level
 * needs a look, so this walk only follows the grammar.
 */
static const unsigned char *
value_end(const unsigned char *p, const unsigned char *b,
    const unsigned char *e, const uint64_t *stops, int *nlp)
{
	uint64_t obj[CT_RECWALK_DEPTH / 64];	/* bit d: level d is {} */
	const unsigned char *q;
	size_t d = 0;
	int esc, nl = 0;

	goto other;
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
	esc = 0;
	if ((q = str_close(p + 1, b, e, stops, &esc)) == NULL)
		return NULL;
	if ((p = after_colon(q, e, &nl)) == NULL)
		return NULL;
value:				/* a value is due at p */
	if (*p == '"') {
		esc = 0;
		if ((q = str_close(p + 1, b, e, stops, &esc)) == NULL)
			return NULL;
		if (e - q > 2 && memcmp(q + 1, ",\"", 2) == 0 &&
		    (obj[d / 64] >> (d % 64) & 1)) {
			p = q + 2;
			goto key_quote;
		}
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
		if (d == 0)
			goto done;
		goto next;
	}
close:				/* level d was closed just before p */
	if (--d == 0)
		goto done;
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
		goto key_quote;
	WS();
	if (obj[d / 64] >> (d % 64) & 1)
		goto key;
	goto value;
done:
	*nlp |= nl;
	return p;
}

/*
 * The record's own members are walked here, each key looked at (an
 * escaped one, ctFetch, eventTime), their values that are not strings by
 * value_end: the checks of a key are not paid below the top level, and
 * the branches on them see the same sequence of keys record after record.
 */
const char *
ct_recwalk(const struct ct_rectext *t, const char *start,
    struct ct_recwalk *w)
{
	const unsigned char *p = (const unsigned char *)start;
	const unsigned char *b = (const unsigned char *)t->base;
	const unsigned char *e = b + t->n, *q, *ks;
	const uint64_t *stops = t->stops;
	size_t kn;
	int esc, nl = 0, et;

	w->et = NULL;
	w->et_len = 0;
	if (p >= e || *p != '{')
		return NULL;
	p++;
	WS();
	if (*p == '}')
		goto done;
	for (;;) {
		if (*p != '"')
			return NULL;
		ks = p + 1;
		esc = 0;
		if ((q = str_close(ks, b, e, stops, &esc)) == NULL)
			return NULL;
		kn = (size_t)(q - ks);
		/* only decoding tells what an escaped key spells */
		if (esc || (kn == 7 && memcmp(ks, "ctFetch", 7) == 0))
			return NULL;
		et = kn == 9 && w->et == NULL &&
		    memcmp(ks, "eventTime", 9) == 0;
		if ((p = after_colon(q, e, &nl)) == NULL)
			return NULL;
		if (*p == '"') {
			esc = 0;
			if ((q = str_close(p + 1, b, e, stops, &esc)) == NULL)
				return NULL;
			if (et) {
				w->et = (const char *)p + 1;
				w->et_len = (size_t)(q - p - 1);
			}
			p = q + 1;
		} else if ((p = value_end(p, b, e, stops, &nl)) == NULL)
			return NULL;
		if (e - p > 1 && memcmp(p, ",\"", 2) == 0) {
			p++;
			continue;
		}
		WS();
		if (*p == '}')
			break;
		if (*p != ',')
			return NULL;
		p++;
		WS();
	}
done:
	w->one_line = !nl;
	return (const char *)p + 1;
}
