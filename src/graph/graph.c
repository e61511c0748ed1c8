/*
 * graph.c - generic reference queries over resolved properties (graph.h).
 */
#include "graph/graph.h"

#include <string.h>

void graph_each_ref(const struct value *v, void (*fn)(const char *id, void *ctx), void *ctx)
{
	if (!v)
		return;
	switch (v->kind) {
	case VAL_REF:
		if (v->s)
			fn(v->s, ctx);
		return;
	case VAL_UNKNOWN:
		for (size_t i = 0; i < v->nrefs; i++)
			fn(v->refs[i], ctx);
		return;
	case VAL_LIST:
	case VAL_CHOICE:
		for (size_t i = 0; i < v->n; i++)
			graph_each_ref(v->items[i], fn, ctx);
		return;
	case VAL_MAP:
		for (size_t i = 0; i < v->n; i++)
			graph_each_ref(v->pairs[i].v, fn, ctx);
		return;
	default:
		return;
	}
}

struct mention_ctx {
	const char *id;
	bool found;
};

static void mention_fn(const char *id, void *ctx)
{
	struct mention_ctx *m = ctx;
	if (!strcmp(id, m->id))
		m->found = true;
}

bool graph_mentions(const struct value *v, const char *id)
{
	struct mention_ctx m = {id, false};
	graph_each_ref(v, mention_fn, &m);
	return m.found;
}

struct resource *graph_target(const struct stack *s, const struct value *v)
{
	if (!v)
		return NULL;
	if (v->kind == VAL_REF)
		return stack_find(s, v->s);
	if (v->kind == VAL_CHOICE && v->n) {
		struct resource *first = graph_target(s, v->items[0]);
		for (size_t i = 1; i < v->n && first; i++)
			if (graph_target(s, v->items[i]) != first)
				return NULL;
		return first;
	}
	return NULL;
}

static const struct value *value_at(const struct value *v, const char *path)
{
	if (!path)
		return v;
	const char *p = path;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		const struct value *next = NULL;
		if (v->kind == VAL_MAP) {
			for (size_t i = 0; i < v->n; i++)
				if (strlen(v->pairs[i].key) == n && !memcmp(v->pairs[i].key, p, n)) {
					next = v->pairs[i].v;
					break;
				}
		}
		v = next;
		p += n;
		if (*p == '.')
			p++;
	}
	return v;
}

size_t graph_referrers(const struct stack *s, const char *id, const char *type, const char *path,
		       struct resource **out, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < s->nres; i++) {
		struct resource *r = &s->res[i];
		if (type && strcmp(r->type, type))
			continue;
		if (!graph_mentions(value_at(r->props, path), id))
			continue;
		if (count < max)
			out[count] = r;
		count++;
	}
	return count;
}
