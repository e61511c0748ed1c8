/*
 * json.h - the small validating JSON parser the trail reader uses on one
 * record at a time (the record splitter has already found its bounds).
 *
 * It never allocates: strings come back as slices of the input plus a flag
 * saying whether JSON escapes must be decoded (json_decode does that into a
 * caller buffer).  Depth is bounded by TRAIL_MAX_DEPTH, so hostile input
 * cannot overflow the stack.
 */
#ifndef RAMPART_TRAIL_JSON_H
#define RAMPART_TRAIL_JSON_H

#include "trail/read.h"
#include "trail/scan.h"

#include <stdbool.h>
#include <stddef.h>

struct jp {
	const char *p, *end, *begin;
	const char *err;     /* first error message, NULL when fine */
	const char *err_at;  /* where it happened; == end when the input ran out
			      * (more bytes might make it valid) */
	const char *bad_utf8; /* first invalid UTF-8 byte, or NULL */
};

void jp_init(struct jp *j, const char *s, size_t n);
/* Record the first error (msg at j->p); always false. */
bool jp_fail(struct jp *j, const char *msg);

/* The three calls below run for every member of every record, so their
 * common case (compact JSON, plain ASCII strings) is inlined here and the
 * rest (whitespace runs, escapes, UTF-8, errors) is in json.c. */

static inline void jp_ws(struct jp *j)
{
	/* one compare settles the usual case, a byte above ' ' */
	while (j->p < j->end && (unsigned char)*j->p <= ' ' &&
	       (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

/* The full string scanner (escapes, UTF-8 checks, errors). */
bool jp_string_slow(struct jp *j, struct tstr *out, bool *esc);

/* At '"': read a string; *out is its content (escaped form), *esc set when
 * it holds backslashes.  False on error (j->err set). */
static inline bool jp_string(struct jp *j, struct tstr *out, bool *esc)
{
	const char *s = j->p + 1;
	const char *q = scan_string_special(s, j->end);
	if (q < j->end && *q == '"') { /* plain ASCII: nothing to check */
		*esc = false;
		out->s = s;
		out->n = (size_t)(q - s);
		j->p = q + 1;
		return true;
	}
	return jp_string_slow(j, out, esc);
}

/* Read any value; *kind and *span (its JSON text; string content for
 * strings, escaped form, with *esc) are set. */
bool jp_value(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span, bool *esc);
/* Like jp_value, but an object or array is skipped 64 bytes at a time
 * without checking its scalars' grammar (see json.c); falls back to
 * jp_value for anything that needs judging, so errors are the same. */
bool jp_skip(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span);
/* jp_skip's instruction set: 0 SSE2, otherwise AVX2 when the CPU has it
 * (the default).  For tests and benchmarks; results never differ. */
void jp_skip_use_avx2(int on);
/* Iterate an object's members: after jp_obj_begin (at '{'), call
 * jp_obj_next until it returns false; it leaves j->p at the value. */
bool jp_obj_begin(struct jp *j);

/* Returns 1 with *key set when a member follows, 0 at '}' (consumed), -1 on error. */
static inline int jp_obj_next(struct jp *j, bool first, struct tstr *key, bool *key_esc)
{
	jp_ws(j);
	if (j->p >= j->end)
		return jp_fail(j, "unterminated object"), -1;
	if (*j->p == '}') {
		j->p++;
		return 0;
	}
	if (!first) {
		if (*j->p != ',')
			return jp_fail(j, "expected ',' or '}' in object"), -1;
		j->p++;
		jp_ws(j);
	}
	if (j->p >= j->end || *j->p != '"')
		return jp_fail(j, "expected a key in object"), -1;
	if (!jp_string(j, key, key_esc))
		return -1;
	jp_ws(j);
	if (j->p >= j->end || *j->p != ':')
		return jp_fail(j, "expected ':' after key"), -1;
	j->p++;
	jp_ws(j);
	return 1;
}

/* Decode an escaped JSON string content into dst (capacity >= src.n). */
size_t json_decode(struct tstr src, char *dst);

#endif
