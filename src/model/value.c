/*
 * value.c - construction, navigation and tri-state questions on resolved
 * values (see value.h).
 *
 * The questions never guess: a VAL_REF, VAL_UNKNOWN or undecided value
 * answers MAYBE, and a VAL_CHOICE answers YES or NO only when every
 * alternative gives that answer.
 */
#include "model/value.h"
#include "core/arena.h"
#include "core/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rendering budget for val_render (characters before "..."). */
#define RENDER_MAX 120
/* Choices nested deeper than this are not flattened further (MAYBE). */
#define CHOICE_DEPTH 64

struct value *val_new(struct arena *a, enum val_kind k, struct pos pos)
{
	struct value *v = arena_alloc(a, sizeof *v);
	v->kind = k;
	v->pos = pos;
	return v;
}

struct value *val_string(struct arena *a, const char *s, size_t len, struct pos pos)
{
	struct value *v = val_new(a, VAL_STRING, pos);
	v->s = arena_strndup(a, s ? s : "", s ? len : 0);
	v->len = s ? len : 0;
	return v;
}

struct value *val_bool(struct arena *a, bool b, struct pos pos)
{
	struct value *v = val_new(a, VAL_BOOL, pos);
	v->b = b;
	v->s = b ? "true" : "false";
	v->len = strlen(v->s);
	return v;
}

struct value *val_unknown(struct arena *a, struct pos pos, const char *expr, const char *why)
{
	struct value *v = val_new(a, VAL_UNKNOWN, pos);
	v->s = arena_strdup(a, expr ? expr : "");
	v->len = strlen(v->s);
	v->why = why ? arena_strdup(a, why) : NULL;
	return v;
}

/* ---- navigation ---- */

struct value *val_get(const struct value *v, const char *key)
{
	if (!v || v->kind != VAL_MAP || !key)
		return NULL;
	/* Last occurrence wins, as the loader does for duplicate keys. */
	for (size_t i = v->n; i-- > 0;)
		if (strcmp(v->pairs[i].key, key) == 0)
			return v->pairs[i].v;
	return NULL;
}

struct value *val_path(const struct value *v, const char *path)
{
	if (!v || !path)
		return NULL;
	const struct value *cur = v;
	const char *p = path;
	char key[256];
	while (cur) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = val_get(cur, key);
		if (!dot)
			return (struct value *)cur;
		p = dot + 1;
	}
	return NULL;
}

struct value *val_item(const struct value *v, size_t i)
{
	if (!v || v->kind != VAL_LIST || i >= v->n)
		return NULL;
	return v->items[i];
}

size_t val_len(const struct value *v)
{
	return v && v->kind == VAL_LIST ? v->n : 0;
}

bool val_is_unknown(const struct value *v)
{
	return v && (v->kind == VAL_UNKNOWN || v->kind == VAL_CHOICE || v->kind == VAL_REF);
}

const char *val_str(const struct value *v)
{
	if (!v || (v->kind != VAL_STRING && v->kind != VAL_NUMBER))
		return NULL;
	return v->s;
}

/* ---- tri-state questions ---- */

/*
 * Combine the answers of a choice's alternatives: YES/NO only if all agree.
 * `q` answers one non-choice value.
 */
typedef enum tri (*tri_fn)(const struct value *v, const void *arg);

static enum tri tri_over(const struct value *v, tri_fn q, const void *arg, int depth)
{
	if (!v || v->kind != VAL_CHOICE)
		return q(v, arg);
	if (depth >= CHOICE_DEPTH || v->n == 0)
		return MAYBE;
	enum tri acc = tri_over(v->items[0], q, arg, depth + 1);
	for (size_t i = 1; i < v->n && acc != MAYBE; i++)
		if (tri_over(v->items[i], q, arg, depth + 1) != acc)
			acc = MAYBE;
	return acc;
}

static bool is_pending(const struct value *v)
{
	return v->kind == VAL_UNKNOWN || v->kind == VAL_REF;
}

static enum tri q_bool(const struct value *v, const void *arg)
{
	bool want = *(const bool *)arg;
	if (!v)
		return NO;
	if (is_pending(v))
		return MAYBE;
	if (v->kind == VAL_BOOL)
		return v->b == want ? YES : NO;
	if (v->kind == VAL_STRING) {
		if (v->len == 4 && strncasecmp(v->s, "true", 4) == 0)
			return want ? YES : NO;
		if (v->len == 5 && strncasecmp(v->s, "false", 5) == 0)
			return want ? NO : YES;
	}
	return NO;
}

enum tri val_is_true(const struct value *v)
{
	bool want = true;
	return tri_over(v, q_bool, &want, 0);
}

enum tri val_is_false(const struct value *v)
{
	bool want = false;
	return tri_over(v, q_bool, &want, 0);
}

struct eq_arg {
	const char *s;
	bool ci;
};

static enum tri q_equals(const struct value *v, const void *arg)
{
	const struct eq_arg *e = arg;
	if (!v)
		return NO;
	if (is_pending(v))
		return MAYBE;
	if (v->kind != VAL_STRING && v->kind != VAL_NUMBER && v->kind != VAL_BOOL)
		return NO;
	size_t n = strlen(e->s);
	if (!v->s || v->len != n)
		return NO;
	int c = e->ci ? strncasecmp(v->s, e->s, n) : memcmp(v->s, e->s, n);
	return c == 0 ? YES : NO;
}

enum tri val_equals(const struct value *v, const char *s)
{
	if (!s)
		return NO;
	struct eq_arg e = {s, false};
	return tri_over(v, q_equals, &e, 0);
}

enum tri val_equals_ci(const struct value *v, const char *s)
{
	if (!s)
		return NO;
	struct eq_arg e = {s, true};
	return tri_over(v, q_equals, &e, 0);
}

/* Parse a whole string as a finite number. */
static bool parse_number(const char *s, size_t len, double *out)
{
	if (!s || len == 0 || len > 64)
		return false;
	char buf[72];
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	double d = strtod(buf, &end);
	while (*end == ' ')
		end++;
	if (end == buf || *end || !isfinite(d))
		return false;
	*out = d;
	return true;
}

enum tri val_number(const struct value *v, double *out)
{
	if (!v)
		return NO;
	switch (v->kind) {
	case VAL_NUMBER:
		if (out)
			*out = v->num;
		return YES;
	case VAL_STRING: {
		double d;
		if (!parse_number(v->s, v->len, &d))
			return NO;
		if (out)
			*out = d;
		return YES;
	}
	case VAL_UNKNOWN:
	case VAL_REF:
		return MAYBE;
	case VAL_CHOICE: {
		/* Known only if every alternative is the same number. */
		double first = 0;
		for (size_t i = 0; i < v->n; i++) {
			double d;
			if (v->items[i] && v->items[i]->kind == VAL_CHOICE)
				return MAYBE;
			enum tri t = val_number(v->items[i], &d);
			if (t != YES)
				return MAYBE;
			if (i == 0)
				first = d;
			else if (d != first)
				return MAYBE;
		}
		if (v->n == 0)
			return MAYBE;
		if (out)
			*out = first;
		return YES;
	}
	default:
		return NO;
	}
}

/* ---- rendering ---- */

/* Stop appending once the buffer is past the budget. */
static bool full(const struct strbuf *sb)
{
	return sb->len > RENDER_MAX;
}

static void render_text(struct strbuf *sb, const char *s, size_t len, size_t max)
{
	for (size_t i = 0; i < len && i < max && !full(sb); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c == '\n') {
			sb_puts(sb, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(sb, "\\x%02x", c);
		} else {
			sb_putc(sb, (char)c);
		}
	}
}

static void render(struct strbuf *sb, const struct value *v, int depth)
{
	if (full(sb))
		return;
	if (!v) {
		sb_puts(sb, "(absent)");
		return;
	}
	if (depth > 8) {
		sb_puts(sb, "...");
		return;
	}
	/*
	 * A value taken from a template Parameter renders as the reference, never
	 * as its literal: a NoEcho default must not reach a message.
	 */
	if (v->param && v->kind != VAL_LIST && v->kind != VAL_MAP && v->kind != VAL_CHOICE) {
		sb_printf(sb, "!Ref %s", v->param);
		return;
	}
	switch (v->kind) {
	case VAL_NULL:
		sb_puts(sb, "null");
		break;
	case VAL_BOOL:
		sb_puts(sb, v->b ? "true" : "false");
		break;
	case VAL_NUMBER:
		if (v->s)
			render_text(sb, v->s, v->len, RENDER_MAX);
		else
			sb_printf(sb, "%g", v->num);
		break;
	case VAL_STRING:
		sb_putc(sb, '"');
		render_text(sb, v->s, v->len, RENDER_MAX);
		sb_putc(sb, '"');
		break;
	case VAL_REF:
		if (v->attr)
			sb_printf(sb, "!GetAtt %s.%s", v->s, v->attr);
		else
			sb_printf(sb, "!Ref %s", v->s);
		break;
	case VAL_UNKNOWN:
		if (v->s && v->len)
			render_text(sb, v->s, v->len, RENDER_MAX);
		else
			sb_puts(sb, "(unknown)");
		break;
	case VAL_LIST:
		sb_putc(sb, '[');
		for (size_t i = 0; i < v->n && !full(sb); i++) {
			if (i)
				sb_puts(sb, ", ");
			render(sb, v->items[i], depth + 1);
		}
		sb_putc(sb, ']');
		break;
	case VAL_MAP:
		sb_putc(sb, '{');
		for (size_t i = 0; i < v->n && !full(sb); i++) {
			if (i)
				sb_puts(sb, ", ");
			render_text(sb, v->pairs[i].key, strlen(v->pairs[i].key), RENDER_MAX);
			sb_puts(sb, ": ");
			render(sb, v->pairs[i].v, depth + 1);
		}
		sb_putc(sb, '}');
		break;
	case VAL_CHOICE:
		sb_puts(sb, "one of ");
		for (size_t i = 0; i < v->n && !full(sb); i++) {
			if (i)
				sb_puts(sb, " | ");
			render(sb, v->items[i], depth + 1);
		}
		break;
	}
}

const char *val_render(struct arena *a, const struct value *v)
{
	struct strbuf sb = STRBUF_INIT;
	render(&sb, v, 0);
	const char *out;
	if (sb.len > RENDER_MAX) {
		/* Cut at the budget without splitting a UTF-8 sequence. */
		size_t n = RENDER_MAX;
		while (n > 0 && ((unsigned char)sb.s[n] & 0xC0) == 0x80)
			n--;
		out = arena_printf(a, "%.*s...", (int)n, sb.s);
	} else {
		out = arena_strdup(a, sb.s ? sb.s : "");
	}
	sb_free(&sb);
	return out;
}

const char *val_kind_name(enum val_kind k)
{
	switch (k) {
	case VAL_NULL: return "null";
	case VAL_BOOL: return "boolean";
	case VAL_NUMBER: return "number";
	case VAL_STRING: return "string";
	case VAL_LIST: return "list";
	case VAL_MAP: return "map";
	case VAL_REF: return "reference";
	case VAL_UNKNOWN: return "unknown";
	case VAL_CHOICE: return "choice";
	}
	return "?";
}

static void each_alt(const struct value *v, void (*fn)(const struct value *, void *), void *ctx, int depth)
{
	if (v && v->kind == VAL_CHOICE && depth < CHOICE_DEPTH) {
		for (size_t i = 0; i < v->n; i++)
			each_alt(v->items[i], fn, ctx, depth + 1);
		return;
	}
	fn(v, ctx);
}

void val_each_alternative(const struct value *v, void (*fn)(const struct value *alt, void *ctx), void *ctx)
{
	if (!fn)
		return;
	each_alt(v, fn, ctx, 0);
}

enum tri tri_and(enum tri a, enum tri b)
{
	if (a == NO || b == NO)
		return NO;
	return a == MAYBE || b == MAYBE ? MAYBE : YES;
}

enum tri tri_or(enum tri a, enum tri b)
{
	if (a == YES || b == YES)
		return YES;
	return a == MAYBE || b == MAYBE ? MAYBE : NO;
}

enum tri tri_not(enum tri a)
{
	return a == MAYBE ? MAYBE : a == YES ? NO : YES;
}

struct over {
	val_alt_pred pred;
	const void *arg;
	enum tri acc;
	bool seen;
};

static void over_fn(const struct value *alt, void *p)
{
	struct over *o = p;
	enum tri t = o->pred(alt, o->arg);
	if (!o->seen)
		o->acc = t;
	else if (o->acc != t)
		o->acc = MAYBE;
	o->seen = true;
}

enum tri val_over_alternatives(const struct value *v, val_alt_pred pred, const void *arg)
{
	struct over o = {pred, arg, MAYBE, false};
	val_each_alternative(v, over_fn, &o);
	return o.acc;
}
