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
void jp_ws(struct jp *j);
/* At '"': read a string; *out is its content (escaped form), *esc set when
 * it holds backslashes.  False on error (j->err set). */
bool jp_string(struct jp *j, struct tstr *out, bool *esc);
/* Read any value; *kind and *span (its JSON text; string content for
 * strings, escaped form, with *esc) are set. */
bool jp_value(struct jp *j, int depth, enum tval_kind *kind, struct tstr *span, bool *esc);
/* Iterate an object's members: after jp_obj_begin (at '{'), call
 * jp_obj_next until it returns false; it leaves j->p at the value. */
bool jp_obj_begin(struct jp *j);
/* Returns 1 with *key set when a member follows, 0 at '}' (consumed), -1 on error. */
int jp_obj_next(struct jp *j, bool first, struct tstr *key, bool *key_esc);

/* Decode an escaped JSON string content into dst (capacity >= src.n). */
size_t json_decode(struct tstr src, char *dst);

#endif
