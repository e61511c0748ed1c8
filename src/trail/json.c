/*
 * json.c - validating, allocation-free JSON parsing of one record.
 *
 * Why not a library parser (json-c, jansson, yyjson)?  The reader needs a
 * handful of fields per record and the rest only for Sigma look-ups, which
 * it does lazily on the raw text; building a DOM per record would allocate
 * for every value of 2,900 or 2 billion records alike.  A purpose-built
 * pass that validates (so malformed records are reported, not half-used)
 * and hands back slices costs one linear scan and no allocation.
 */
#include "trail/json.h"
#include "core/utf8.h"
#include "trail/scan.h"

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


static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
					if (hexval(p[k]) < 0)
						shrt = false;
				if (shrt) {
					j->p = j->end; /* more input may complete it */
					return jp_fail(j, "unterminated string");
				}
				if (hexval(p[2]) < 0 || hexval(p[3]) < 0 || hexval(p[4]) < 0 ||
				    hexval(p[5]) < 0) {
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
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 | hexval(p[3]));
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
