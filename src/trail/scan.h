/*
 * scan.h - the byte searches the trail reader spends its time in, 16 bytes
 * at a time with SSE2 (baseline on x86-64), plain loops elsewhere.
 *
 * Profiling `rampart trail detect` over gzipped CloudTrail put 50% of the
 * time in two byte-at-a-time loops: skipping string contents while
 * splitting records, and checking string bytes while parsing them.  Both
 * look for a few special bytes in long runs of ordinary ones.
 */
#ifndef RAMPART_TRAIL_SCAN_H
#define RAMPART_TRAIL_SCAN_H

#include <stddef.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* First '"' or '\\' in [p, e), or e. */
static inline const char *scan_quote_bs(const char *p, const char *e)
{
#if defined(__SSE2__)
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
	while (e - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)));
		if (m)
			return p + __builtin_ctz((unsigned)m);
		p += 16;
	}
#endif
	while (p < e && *p != '"' && *p != '\\')
		p++;
	return p;
}

/* First byte in [p, e) that is '"', '\\', a control byte (< 0x20) or
 * non-ASCII (>= 0x80), or e. */
static inline const char *scan_string_special(const char *p, const char *e)
{
#if defined(__SSE2__)
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), sp = _mm_set1_epi8(0x20);
	while (e - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed compare: 0x80..0xFF are negative, so < 0x20 too */
		__m128i s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)),
					 _mm_cmplt_epi8(x, sp));
		int m = _mm_movemask_epi8(s);
		if (m)
			return p + __builtin_ctz((unsigned)m);
		p += 16;
	}
#endif
	while (p < e) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			break;
		p++;
	}
	return p;
}

/* First '"', '{', '}', '[' or ']' in [p, e), or e. */
static inline const char *scan_structural(const char *p, const char *e)
{
#if defined(__SSE2__)
	/* '[' 0x5B | 0x20 = '{' 0x7B; ']' 0x5D | 0x20 = '}' 0x7D */
	const __m128i q = _mm_set1_epi8('"'), o = _mm_set1_epi8('{'), c = _mm_set1_epi8('}'),
		      l = _mm_set1_epi8(0x20);
	while (e - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i y = _mm_or_si128(x, l);
		int m = _mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(x, q), _mm_or_si128(_mm_cmpeq_epi8(y, o), _mm_cmpeq_epi8(y, c))));
		if (m)
			return p + __builtin_ctz((unsigned)m);
		p += 16;
	}
#endif
	while (p < e && *p != '"' && *p != '{' && *p != '}' && *p != '[' && *p != ']')
		p++;
	return p;
}

#endif
