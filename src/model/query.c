/*
 * query.c - tri-state property questions by path (query.h).
 */
#include "model/query.h"

#include <string.h>

/* Every alternative of a choice asked q (through `ask`): YES/NO if they agree, else MAYBE. */
typedef enum tri (*ask_fn)(const struct value *v, const void *a, const void *b, int depth);

static enum tri over_choice(const struct value *v, ask_fn ask, const void *a, const void *b, int depth)
{
	if (v->n == 0)
		return MAYBE;
	enum tri acc = ask(v->items[0], a, b, depth + 1);
	for (size_t i = 1; i < v->n && acc != MAYBE; i++)
		if (ask(v->items[i], a, b, depth + 1) != acc)
			acc = MAYBE;
	return acc;
}

/* The member of map v named by the first n bytes of key; last occurrence wins, as the loader's. */
static const struct value *member(const struct value *v, const char *key, size_t n)
{
	for (size_t i = v->n; i-- > 0;)
		if (strlen(v->pairs[i].key) == n && !memcmp(v->pairs[i].key, key, n))
			return v->pairs[i].v;
	return NULL;
}

struct leaf {
	query_fn q;
	const void *arg;
};

static enum tri walk(const struct value *v, const void *vpath, const void *vleaf, int depth)
{
	const char *path = vpath;
	const struct leaf *leaf = vleaf;
	if (depth > QUERY_MAX_DEPTH)
		return MAYBE;
	if (v && v->kind == VAL_CHOICE)
		return over_choice(v, walk, path, leaf, depth);
	if (!*path)
		return leaf->q(v, leaf->arg);
	if (!v || v->kind == VAL_NULL)
		return leaf->q(NULL, leaf->arg);
	if (v->kind == VAL_UNKNOWN || v->kind == VAL_REF)
		return MAYBE;
	if (v->kind != VAL_MAP)
		return leaf->q(NULL, leaf->arg);
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	return walk(member(v, path, n), dot ? dot + 1 : "", leaf, depth + 1);
}

enum tri query_at(const struct value *v, const char *path, query_fn q, const void *arg)
{
	struct leaf leaf = {q, arg};
	return walk(v, path ? path : "", &leaf, 0);
}

static enum tri q_unset(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return YES;
	return (v->kind == VAL_STRING && v->len == 0) || (v->kind == VAL_LIST && v->n == 0) ? YES : NO;
}

static enum tri q_true(const struct value *v, const void *arg)
{
	(void)arg;
	return val_is_true(v);
}

enum tri query_eq(const struct value *v, const void *s)
{
	return val_equals(v, s);
}

enum tri query_eq_ci(const struct value *v, const void *s)
{
	return val_equals_ci(v, s);
}

enum tri query_unset(const struct value *v, const char *path)
{
	return query_at(v, path, q_unset, NULL);
}

enum tri query_true(const struct value *v, const char *path)
{
	return query_at(v, path, q_true, NULL);
}

enum tri query_equals_ci(const struct value *v, const char *path, const char *s)
{
	return query_at(v, path, query_eq_ci, s);
}

static enum tri any(const struct value *v, const void *vleaf, const void *unused, int depth)
{
	const struct leaf *leaf = vleaf;
	(void)unused;
	if (query_absent(v))
		return NO;
	if (depth > QUERY_MAX_DEPTH)
		return MAYBE;
	if (v->kind == VAL_CHOICE)
		return over_choice(v, any, leaf, NULL, depth);
	if (v->kind == VAL_UNKNOWN || v->kind == VAL_REF)
		return MAYBE;
	if (v->kind != VAL_LIST)
		return leaf->q(v, leaf->arg);
	enum tri acc = NO;
	for (size_t i = 0; i < v->n; i++) {
		enum tri t = leaf->q(v->items[i], leaf->arg);
		if (t == YES)
			return YES;
		if (t == MAYBE)
			acc = MAYBE;
	}
	return acc;
}

/* query_at's question for query_any: any() on the list found at the path. */
static enum tri q_any(const struct value *v, const void *vleaf)
{
	return any(v, vleaf, NULL, 0);
}

enum tri query_any(const struct value *v, const char *path, query_fn q, const void *arg)
{
	struct leaf leaf = {q, arg};
	return query_at(v, path, q_any, &leaf);
}

static bool each_item(const struct value *v, bool chosen, query_item_fn fn, void *ctx, int depth)
{
	if (query_absent(v) || depth > QUERY_MAX_DEPTH)
		return false;
	if (v->kind == VAL_LIST || v->kind == VAL_CHOICE) {
		for (size_t i = 0; i < v->n; i++)
			if (each_item(v->items[i], chosen || v->kind == VAL_CHOICE, fn, ctx, depth + 1))
				return true;
		return false;
	}
	return fn(v, chosen, ctx);
}

bool query_each_item(const struct value *v, query_item_fn fn, void *ctx)
{
	return each_item(v, false, fn, ctx, 0);
}

bool query_absent(const struct value *v)
{
	return !v || v->kind == VAL_NULL;
}

const char *query_text(const struct value *v)
{
	const char *s = val_str(v);
	if (!s && v && v->kind == VAL_UNKNOWN)
		s = v->s;
	return s;
}
