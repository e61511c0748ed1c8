/*
 * json.c - validating, allocation-free JSON parsing of one record.
 *
 * Why not a library parser?  The reader needs a handful of fields per
 * record and the rest only for Sigma look-ups, which it does lazily on the
 * raw text.  Measured by bench/trail/libs.sh (parse_bench.c, one core, the
 * same fields read by each): json-c 0.16 is 14x slower than this reader,
 * jansson 2.14 29x (both build a DOM of the whole file); simdjson 3.0.1
 * On-Demand is 0.8-1.0x on four fields but 1.4-1.9x slower on the 19 the
 * reader extracts, and is C++, needs the whole file in memory and stops at
 * the first malformed record.  (yyjson is not packaged in Debian 12.)  A
 * purpose-built pass that validates (so malformed records are reported,
 * not half-used) and hands back slices costs one linear scan and no
 * allocation.
 */
#include "trail/json.h"
#include "core/ascii.h"
#include "core/utf8.h"
#include "trail/scan.h"

#include <stdint.h>
#include <string.h>

void jp_init(struct jp *j, const char *s, size_t n)
{
	j->p = s;
	j->begin = s;
	j->end = s + n;
	j->err = NULL;
	j->err_at = NULL;
	j->bad_utf8 = NULL;
}

bool jp_fail(struct jp *j, const char *msg)
{
	if (!j->err) {
		j->err = msg;
		j->err_at = j->p;
	}
	return false;
}



bool jp_string_slow(struct jp *j, struct tstr *out, bool *esc)
{
	const unsigned char *p = (const unsigned char *)j->p + 1;
	const unsigned char *end = (const unsigned char *)j->end;
	const unsigned char *start = p;
	*esc = false;
	for (;;) {
		/* Fast path: plain ASCII. */
		p = (const unsigned char *)scan_string_special((const char *)p, (const char *)end);
		if (p >= end) {
			j->p = (const char *)p;
			return jp_fail(j, "unterminated string");
		}
		unsigned c = *p;
		if (c == '"')
			break;
		if (c == '\\') {
			*esc = true;
			if (p + 1 >= end) {
				j->p = j->end; /* more input may complete it */
				return jp_fail(j, "unterminated string");
			}
			unsigned e = p[1];
			if (e == 'u') {
				bool shrt = end - p < 6;
				for (int k = 2; k < 6 && p + k < end; k++)
					if (hex_digit_value(p[k]) < 0)
						shrt = false;
				if (shrt) {
					j->p = j->end; /* more input may complete it */
					return jp_fail(j, "unterminated string");
				}
				if (hex_digit_value(p[2]) < 0 || hex_digit_value(p[3]) < 0 || hex_digit_value(p[4]) < 0 ||
				    hex_digit_value(p[5]) < 0) {
					j->p = (const char *)p;
					return jp_fail(j, "bad \\u escape");
				}
				p += 6;
			} else if (strchr("\"\\/bfnrt", (int)e) && e) {
				p += 2;
			} else {
				j->p = (const char *)p;
				return jp_fail(j, "bad escape in string");
			}
			continue;
		}
		if (c < 0x20) {
			j->p = (const char *)p;
			return jp_fail(j, "control character in string");
		}
		size_t l = utf8_seq_len(p, (size_t)(end - p));
		if (!l) {
			if (!j->bad_utf8)
				j->bad_utf8 = (const char *)p;
			p++;
		} else
			p += l;
	}
	out->s = (const char *)start;
	out->n = (size_t)(p - start);
	j->p = (const char *)p + 1;
	return true;
}

static bool lit(struct jp *j, const char *w, size_t n)
{
	size_t have = (size_t)(j->end - j->p);
	if (have < n && memcmp(j->p, w, have) == 0) {
		j->p = j->end; /* a literal cut by the end of the input */
		return jp_fail(j, "invalid literal");
	}
	if (have < n || memcmp(j->p, w, n) != 0)
		return jp_fail(j, "invalid literal");
	j->p += n;
	return true;
}

static bool number(struct jp *j)
{
	const char *p = j->p;
	if (p < j->end && *p == '-')
		p++;
	if (p >= j->end || *p < '0' || *p > '9') {
		j->p = p;
		return jp_fail(j, "invalid number");
	}
	if (*p == '0')
		p++;
	else
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	if (p < j->end && *p == '.') {
		p++;
		if (p >= j->end || *p < '0' || *p > '9') {
			j->p = p;
			return jp_fail(j, "invalid number");
		}
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || *p < '0' || *p > '9') {
			j->p = p;
			return jp_fail(j, "invalid number");
		}
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	j->p = p;
	return true;
}

bool jp_obj_begin(struct jp *j)
{
	if (j->p >= j->end || *j->p != '{')
		return jp_fail(j, "expected an object");
	j->p++;
	return true;
}

/* A member or element: strings (most of them) without the full dispatch;
 * the same result as jp_value. */
static inline bool value_in(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span,
			    bool *esc)
{
	jp_ws(j);
	if (j->p < j->end && *j->p == '"' && depth <= TRAIL_MAX_DEPTH) {
		*kind = TV_STRING;
		return jp_string(j, span, esc);
	}
	return jp_value(j, depth, kind, span, esc);
}

bool jp_value(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span, bool *esc)
{
	jp_ws(j);
	*esc = false;
	if (j->p >= j->end)
		return jp_fail(j, "expected a value");
	if (depth > TRAIL_MAX_DEPTH)
		return jp_fail(j, "nesting too deep");
	const char *start = j->p;
	struct tstr k;
	bool e;
	enum tval_kind sub;
	switch (*j->p) {
	case '"':
		*kind = TV_STRING;
		return jp_string(j, span, esc);
	case '{': {
		*kind = TV_OBJECT;
		j->p++;
		int r;
		bool first = true;
		while ((r = jp_obj_next(j, first, &k, &e)) == 1) {
			first = false;
			if (!value_in(j, depth + 1, &sub, &k, &e))
				return false;
		}
		if (r < 0)
			return false;
		break;
	}
	case '[': {
		*kind = TV_ARRAY;
		j->p++;
		jp_ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			break;
		}
		for (;;) {
			if (!value_in(j, depth + 1, &sub, &k, &e))
				return false;
			jp_ws(j);
			if (j->p >= j->end)
				return jp_fail(j, "unterminated array");
			if (*j->p == ']') {
				j->p++;
				break;
			}
			if (*j->p != ',')
				return jp_fail(j, "expected ',' or ']' in array");
			j->p++;
		}
		break;
	}
	case 't':
		*kind = TV_BOOL;
		if (!lit(j, "true", 4))
			return false;
		break;
	case 'f':
		*kind = TV_BOOL;
		if (!lit(j, "false", 5))
			return false;
		break;
	case 'n':
		*kind = TV_NULL;
		if (!lit(j, "null", 4))
			return false;
		break;
	default:
		*kind = TV_NUMBER;
		if (!number(j))
			return false;
		break;
	}
	span->s = start;
	span->n = (size_t)(j->p - start);
	return true;
}

static void put_utf8(char **d, unsigned cp)
{
	unsigned char *o = (unsigned char *)*d;
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | (cp >> 6));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | (cp >> 12));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | (cp >> 18));
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*d = (char *)o;
}

static unsigned hex4(const char *p)
{
	return (unsigned)(hex_digit_value(p[0]) << 12 | hex_digit_value(p[1]) << 8 | hex_digit_value(p[2]) << 4 | hex_digit_value(p[3]));
}

/* The input was validated by jp_string, so escapes are well formed.  A
 * decoded string is never longer than its escaped form (\uXXXX is 6 bytes,
 * at most 3 of UTF-8; a surrogate pair is 12 bytes for 4). */
size_t json_decode(struct tstr src, char *dst)
{
	const char *p = src.s, *end = src.s + src.n;
	char *d = dst;
	while (p < end) {
		if (*p != '\\') {
			*d++ = *p++;
			continue;
		}
		char e = p[1];
		p += 2;
		switch (e) {
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u': {
			unsigned cp = hex4(p);
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' &&
			    p[1] == 'u') {
				unsigned lo = hex4(p + 2);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				} else
					cp = 0xFFFD;
			} else if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			put_utf8(&d, cp);
			break;
		}
		default: *d++ = e; break;
		}
	}
	return (size_t)(d - dst);
}

/* ---- skipping a value rampart does not read ------------------------------ */

/*
 * Most of a CloudTrail record's bytes are values no detection reads field
 * by field (requestParameters, responseElements, resources, tlsDetails,
 * sessionContext.attributes): the reader keeps them as raw spans and only a
 * Sigma look-up ever walks into them.  jp_value validated them token by
 * token; bench/trail/run.sh showed the parser at a third of the run, so
 * such values are now skipped 64 bytes at a time, simdjson's stage-1 idea
 * in SSE2 (AVX2 when the CPU has it, chosen at run time): bit masks of
 * quotes, backslashes and brackets, the in-string mask from a prefix XOR
 * of the unescaped quotes, and the bracket depth from population counts.
 *
 * What the skip checks: strings are closed, brackets balance, no control
 * byte inside a string, no backslash outside one.  Any block that holds a
 * byte >= 0x80 (UTF-8 must be validated), a backslash outside a string or a
 * raw control byte inside one, or the end of the input, hands the whole
 * value to jp_value, so every error is still reported at its byte with
 * jp_value's message.  Not checked inside a skipped value: the grammar of
 * its scalars ({"a":tru} passes) and that '[' is closed by ']' rather than
 * '}'; a Sigma look-up that walks into such a value finds the field absent.
 */
#if defined(__SSE2__)
struct blockmask {
	uint64_t quote, bs, open, close, ctrl, hi;
};

static inline void block_masks(const char *p, struct blockmask *m)
{
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), o = _mm_set1_epi8('{'),
		      c = _mm_set1_epi8('}'), l = _mm_set1_epi8(0x20);
	memset(m, 0, sizeof(*m));
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		/* '[' | 0x20 == '{', ']' | 0x20 == '}' */
		__m128i y = _mm_or_si128(x, l);
		unsigned sh = 16u * (unsigned)k;
		m->quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, q)) << sh;
		m->bs |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, b)) << sh;
		m->open |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(y, o)) << sh;
		m->close |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(y, c)) << sh;
		/* signed compare: < 0x20 and >= 0x80 */
		m->ctrl |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x, l)) << sh;
		m->hi |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << sh;
	}
	m->ctrl &= ~m->hi;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* The same masks from two 32-byte loads (AVX2, chosen at run time): the
 * mask computation is most of a skip, and this halves its instructions. */
__attribute__((target("avx2"))) static inline void block_masks_avx2(const char *p,
								    struct blockmask *m)
{
	const __m256i q = _mm256_set1_epi8('"'), b = _mm256_set1_epi8('\\'),
		      o = _mm256_set1_epi8('{'), c = _mm256_set1_epi8('}'), l = _mm256_set1_epi8(0x20);
	memset(m, 0, sizeof(*m));
	for (int k = 0; k < 2; k++) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
		__m256i y = _mm256_or_si256(x, l);
		unsigned sh = 32u * (unsigned)k;
		m->quote |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, q)) << sh;
		m->bs |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, b)) << sh;
		m->open |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(y, o)) << sh;
		m->close |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(y, c)) << sh;
		m->ctrl |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(l, x)) << sh;
		m->hi |= (uint64_t)(uint32_t)_mm256_movemask_epi8(x) << sh;
	}
	m->ctrl &= ~m->hi;
}
#endif

/* Bits of the characters escaped by a backslash; *carry: the block's last
 * byte is an unescaped backslash, so the next block's first is escaped. */
static inline uint64_t escaped_bits(uint64_t bs, unsigned *carry)
{
	uint64_t esc = 0;
	if (*carry) {
		esc = 1;
		bs &= ~(uint64_t)1;
	}
	*carry = 0;
	while (bs) {
		int i = __builtin_ctzll(bs);
		if (i == 63) {
			*carry = 1;
			break;
		}
		esc |= (uint64_t)1 << (i + 1);
		bs &= ~((uint64_t)3 << i);
	}
	return esc;
}

/* The x86-64 baseline has no POPCNT instruction and __builtin_popcountll
 * became a libgcc call (1% of a run in perf); this is a dozen ALU ops. */
static inline uint64_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
	return (x * 0x0101010101010101u) >> 56;
}

/* Bit i set when an odd number of bits at or below i are set in x. */
static inline uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

static inline uint64_t whitespace_bits(const char *p)
{
	uint64_t w = 0;
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i s = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
					 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
						      _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
		w |= (uint64_t)(unsigned)_mm_movemask_epi8(s) << (16u * (unsigned)k);
	}
	return w;
}

/* The fast skip: true with j->p past the value, false to fall back.
 * Inlined into one function per instruction set (below). */
static inline __attribute__((always_inline)) bool skip_blocks_body(struct jp *j, uint64_t max_depth,
								    bool avx2)
{
	const char *p = j->p, *end = j->end;
	unsigned esc_carry = 0;
	uint64_t in_carry = 0; /* all ones while inside a string */
	uint64_t depth = 0;
	while (end - p >= 64) {
		struct blockmask m;
#ifdef HAVE_AVX2_PATH
		if (avx2)
			block_masks_avx2(p, &m);
		else
#endif
			block_masks(p, &m);
		uint64_t esc = (m.bs | esc_carry) ? escaped_bits(m.bs, &esc_carry) : 0;
		uint64_t quote = m.quote & ~esc;
		uint64_t in_str = prefix_xor(quote) ^ in_carry;
		uint64_t open = m.open & ~in_str, close = m.close & ~in_str;
		/* where the value ends in this block, if it does */
		uint64_t upto = ~(uint64_t)0;
		bool ends = false;
		if (popcount64(close) >= depth) {
			uint64_t s = open | close;
			uint64_t d = depth;
			while (s) {
				int i = __builtin_ctzll(s);
				uint64_t bit = (uint64_t)1 << i;
				if (open & bit) {
					if (++d > max_depth)
						return false;
				} else if (--d == 0) {
					upto = i == 63 ? ~(uint64_t)0 : ((uint64_t)2 << i) - 1;
					ends = true;
					break;
				}
				s &= s - 1;
			}
			depth = d;
		} else {
			/* the peak inside the block is at most depth + opens */
			if (depth + popcount64(open) > max_depth)
				return false; /* perhaps too deep: jp_value decides */
			depth += popcount64(open) -
				 popcount64(close);
		}
		/* anything jp_value must judge: fall back */
		if ((m.hi | (m.bs & ~in_str)) & upto)
			return false;
		if (m.ctrl & upto) {
			if (m.ctrl & in_str & upto)
				return false;
			if (m.ctrl & ~whitespace_bits(p) & upto)
				return false;
		}
		if (ends) {
			j->p = p + 64 - __builtin_clzll(upto);
			return true;
		}
		in_carry = (uint64_t)0 - (in_str >> 63);
		p += 64;
	}
	return false; /* the last bytes: jp_value has the bounds checks */
}

static bool skip_blocks_sse2(struct jp *j, uint64_t max_depth)
{
	return skip_blocks_body(j, max_depth, false);
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2"))) static bool skip_blocks_avx2(struct jp *j, uint64_t max_depth)
{
	return skip_blocks_body(j, max_depth, true);
}
#endif

/* -1: not decided yet; 0: SSE2; 1: AVX2 (jp_skip_use_avx2 can turn it off). */
static int use_avx2 = -1;

void jp_skip_use_avx2(int on)
{
#ifdef HAVE_AVX2_PATH
	/* never AVX2 on a CPU without it, whatever is asked */
	use_avx2 = on != 0 && __builtin_cpu_supports("avx2") ? 1 : 0;
#else
	(void)on;
	use_avx2 = 0;
#endif
}

static bool skip_blocks(struct jp *j, uint64_t max_depth)
{
#ifdef HAVE_AVX2_PATH
	int u = __atomic_load_n(&use_avx2, __ATOMIC_RELAXED);
	if (u < 0) {
		u = __builtin_cpu_supports("avx2") ? 1 : 0;
		__atomic_store_n(&use_avx2, u, __ATOMIC_RELAXED);
	}
	if (u)
		return skip_blocks_avx2(j, max_depth);
#endif
	return skip_blocks_sse2(j, max_depth);
}
#endif

bool jp_skip(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span)
{
	jp_ws(j);
#if defined(__SSE2__)
	if (j->p < j->end && (*j->p == '{' || *j->p == '[') && depth <= TRAIL_MAX_DEPTH) {
		const char *start = j->p;
		/* {} and [] (webIdFederationData, resources) are common: not
		 * worth a 64-byte block */
		if (j->end - start >= 2 && start[1] == (*start == '{' ? '}' : ']')) {
			j->p += 2;
			*kind = *start == '{' ? TV_OBJECT : TV_ARRAY;
			*span = (struct tstr){start, 2};
			return true;
		}
		if (skip_blocks(j, (uint64_t)(TRAIL_MAX_DEPTH - depth + 1))) {
			*kind = *start == '{' ? TV_OBJECT : TV_ARRAY;
			span->s = start;
			span->n = (size_t)(j->p - start);
			return true;
		}
		j->p = start;
	}
#endif
	bool esc;
	return jp_value(j, depth, kind, span, &esc);
}
