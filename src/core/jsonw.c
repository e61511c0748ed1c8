/*
 * jsonw.c - the streaming JSON writer (see jsonw.h): separators and layout
 * decided per container, structure checked on every call.
 */
#include "core/jsonw.h"
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>

void jw_init(struct jw *w, struct strbuf *out)
{
	w->out = out;
	w->depth = 0;
	w->key_pending = false;
	w->complete = false;
	w->err = JW_OK;
}

static bool fail(struct jw *w, enum jw_error e)
{
	if (w->err == JW_OK)
		w->err = e;
	return false;
}

/* The line break and indentation that start a member of the innermost
 * container, after the comma that separates it from the previous one. */
static void separate(struct jw *w)
{
	struct jw_level *l = &w->open[w->depth - 1];
	if (!l->empty)
		sb_putc(w->out, ',');
	l->empty = false;
	if (l->layout == JW_PRETTY) {
		sb_putc(w->out, '\n');
		for (size_t i = 0; i < w->depth; i++)
			sb_append(w->out, "  ", 2);
	} else if (l->layout == JW_LINES) {
		sb_putc(w->out, '\n');
	}
}

/* Checks that a value may come now and writes what precedes it. */
static bool value_start(struct jw *w)
{
	if (w->err != JW_OK)
		return false;
	if (w->depth == 0)
		return w->complete ? fail(w, JW_ERR_SECOND) : true;
	if (w->open[w->depth - 1].object) {
		if (!w->key_pending)
			return fail(w, JW_ERR_NO_KEY);
		w->key_pending = false;
		return true;
	}
	separate(w);
	return true;
}

static void value_end(struct jw *w)
{
	if (w->depth == 0)
		w->complete = true;
}

static void begin(struct jw *w, bool object, enum jw_layout layout)
{
	if (w->err == JW_OK && w->depth == JW_MAX_DEPTH) {
		fail(w, JW_ERR_DEPTH);
		return;
	}
	if (!value_start(w))
		return;
	sb_putc(w->out, object ? '{' : '[');
	w->open[w->depth++] = (struct jw_level){.object = object, .empty = true, .layout = layout};
}

static void end(struct jw *w, bool object)
{
	if (w->err != JW_OK)
		return;
	if (!w->depth || w->open[w->depth - 1].object != object || w->key_pending) {
		fail(w, JW_ERR_MISMATCH);
		return;
	}
	const struct jw_level *l = &w->open[--w->depth];
	if (l->layout == JW_LINES || (l->layout == JW_PRETTY && !l->empty)) {
		sb_putc(w->out, '\n');
		if (l->layout == JW_PRETTY)
			for (size_t i = 0; i < w->depth; i++)
				sb_append(w->out, "  ", 2);
	}
	sb_putc(w->out, object ? '}' : ']');
	value_end(w);
}

void jw_object_begin(struct jw *w, enum jw_layout layout) { begin(w, true, layout); }
void jw_object_end(struct jw *w) { end(w, true); }
void jw_array_begin(struct jw *w, enum jw_layout layout) { begin(w, false, layout); }
void jw_array_end(struct jw *w) { end(w, false); }

void jw_key(struct jw *w, const char *key)
{
	if (w->err != JW_OK)
		return;
	if (!w->depth || !w->open[w->depth - 1].object || w->key_pending) {
		fail(w, JW_ERR_KEY);
		return;
	}
	separate(w);
	sb_json_str(w->out, key);
	if (w->open[w->depth - 1].layout == JW_PRETTY)
		sb_append(w->out, ": ", 2);
	else
		sb_putc(w->out, ':');
	w->key_pending = true;
}

void jw_stringn(struct jw *w, const char *s, size_t n)
{
	if (!value_start(w))
		return;
	sb_json_strn(w->out, s, n);
	value_end(w);
}

void jw_string(struct jw *w, const char *s)
{
	if (!value_start(w))
		return;
	sb_json_str(w->out, s);
	value_end(w);
}

void jw_string_or_null(struct jw *w, const char *s)
{
	if (s)
		jw_string(w, s);
	else
		jw_null(w);
}

void jw_int(struct jw *w, long long v)
{
	if (!value_start(w))
		return;
	sb_printf(w->out, "%lld", v);
	value_end(w);
}

void jw_uint(struct jw *w, unsigned long long v)
{
	if (!value_start(w))
		return;
	sb_printf(w->out, "%llu", v);
	value_end(w);
}

void jw_bool(struct jw *w, bool v)
{
	if (!value_start(w))
		return;
	sb_puts(w->out, v ? "true" : "false");
	value_end(w);
}

void jw_null(struct jw *w)
{
	if (!value_start(w))
		return;
	sb_puts(w->out, "null");
	value_end(w);
}

void jw_key_string(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_string(w, s);
}

void jw_key_string_or_null(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_string_or_null(w, s);
}

void jw_key_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_key_uint(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_key_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

enum jw_error jw_finish(const struct jw *w)
{
	if (w->err != JW_OK)
		return w->err;
	return w->complete ? JW_OK : JW_ERR_INCOMPLETE;
}

const char *jw_error_text(enum jw_error e)
{
	switch (e) {
	case JW_OK: return "no error";
	case JW_ERR_DEPTH: return "nested deeper than JW_MAX_DEPTH";
	case JW_ERR_KEY: return "a key outside an object or after another key";
	case JW_ERR_NO_KEY: return "a value in an object without a key";
	case JW_ERR_MISMATCH: return "an end that matches no open container";
	case JW_ERR_SECOND: return "a second top-level value";
	case JW_ERR_INCOMPLETE: return "the document is not complete";
	}
	return "unknown error";
}

void jw_done(const struct jw *w)
{
	enum jw_error e = jw_finish(w);
	if (e == JW_OK)
		return;
	fprintf(stderr, "rampart: internal error: JSON output: %s\n", jw_error_text(e));
	abort();
}

void jw_done_line(const struct jw *w)
{
	jw_done(w);
	sb_putc(w->out, '\n');
}
