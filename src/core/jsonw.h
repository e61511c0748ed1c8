/*
 * jsonw.h - a streaming JSON writer over a strbuf.
 *
 * Every JSON document rampart prints is written through it: the writer
 * places commas, colons, line breaks and indentation, escapes strings with
 * sb_json_str, and checks the structure (a key only inside an object, a
 * value after each key, ends matching begins, nesting at most
 * JW_MAX_DEPTH).  A misuse is never papered over: the first error sticks,
 * nothing more is written, and jw_finish() returns it.
 *
 * Each container chooses its layout when it is opened:
 *   JW_COMPACT  {"a":1,"b":[2,3]}
 *   JW_PRETTY   one member per line, indented two spaces per open
 *               container, ": " after keys; an empty container is {} or []
 *   JW_LINES    one member per line, not indented, and the closing bracket
 *               on a line of its own (also when empty: "[\n]")
 * so a report can be pretty at the top and compact per record.
 *
 *	struct jw w;
 *	jw_init(&w, &sb);
 *	jw_object_begin(&w, JW_PRETTY);
 *	jw_key_int(&w, "version", 1);
 *	jw_key(&w, "ids");
 *	jw_array_begin(&w, JW_COMPACT);
 *	jw_string(&w, "a");
 *	jw_array_end(&w);
 *	jw_object_end(&w);
 *	jw_done(&w);          // or: if (jw_finish(&w) != JW_OK) ...
 */
#ifndef RAMPART_CORE_JSONW_H
#define RAMPART_CORE_JSONW_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define JW_MAX_DEPTH 32

enum jw_layout { JW_COMPACT, JW_PRETTY, JW_LINES };

enum jw_error {
	JW_OK,
	JW_ERR_DEPTH,      /* more than JW_MAX_DEPTH open containers */
	JW_ERR_KEY,        /* a key outside an object, or twice in a row */
	JW_ERR_NO_KEY,     /* a value in an object without its key */
	JW_ERR_MISMATCH,   /* an end with no open container of that kind, or after a key */
	JW_ERR_SECOND,     /* a value after the document was complete */
	JW_ERR_INCOMPLETE, /* jw_finish with containers still open, or nothing written */
};

struct jw_level {
	bool object;
	bool empty;
	enum jw_layout layout;
};

struct jw {
	struct strbuf *out;          /* borrowed */
	struct jw_level open[JW_MAX_DEPTH];
	size_t depth;
	bool key_pending;            /* in an object: a key was written, its value is due */
	bool complete;               /* the top-level value is written */
	enum jw_error err;
};

/* Start one document, appended to out. */
void jw_init(struct jw *w, struct strbuf *out);

void jw_object_begin(struct jw *w, enum jw_layout layout);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w, enum jw_layout layout);
void jw_array_end(struct jw *w);

/* A member's name, escaped; its value is the next call. */
void jw_key(struct jw *w, const char *key);

/* Values.  jw_string writes "" for NULL (as sb_json_str does);
 * jw_string_or_null writes null for it. */
void jw_string(struct jw *w, const char *s);
void jw_stringn(struct jw *w, const char *s, size_t n);
void jw_string_or_null(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);

/* A key and its value in one call. */
void jw_key_string(struct jw *w, const char *key, const char *s);
void jw_key_string_or_null(struct jw *w, const char *key, const char *s);
void jw_key_int(struct jw *w, const char *key, long long v);
void jw_key_uint(struct jw *w, const char *key, unsigned long long v);
void jw_key_bool(struct jw *w, const char *key, bool v);

/* JW_OK when exactly one complete value was written and nothing was
 * misused; else the first error. */
enum jw_error jw_finish(const struct jw *w);
const char *jw_error_text(enum jw_error e);
/* jw_finish, and on an error (a bug in the caller, never an input
 * problem) a message on stderr and abort(). */
void jw_done(const struct jw *w);
/* jw_done, then a newline: a document that ends a file or a line (JSONL). */
void jw_done_line(const struct jw *w);

#endif
