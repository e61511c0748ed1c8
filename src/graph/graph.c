/*
 * graph.c - generic reference queries over resolved properties (graph.h).
 */
#include "graph/graph.h"
#include "core/arena.h"
#include "core/strmap.h"

#include <stdint.h>
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

/*
 * The reverse index: for each resource ID, the resources whose properties
 * name it, in stack order.  Built on the first query (O(total size)), so
 * "who names X" costs only X's referrers instead of a pass over the whole
 * stack: relation queries per role or per table would otherwise be
 * quadratic in large templates.
 */
struct ref_list {
	uint32_t *idx;
	size_t n, cap;
};

struct ref_index {
	struct strmap by_target; /* id -> struct ref_list * */
	size_t nres;             /* stack size when built (the SAM expansion appends) */
};

struct index_ctx {
	struct stack *s;
	struct ref_index *ix;
	uint32_t from;
};

static void index_ref(const char *id, void *arg)
{
	struct index_ctx *c = arg;
	struct ref_list *l = strmap_get(&c->ix->by_target, id);
	if (!l) {
		l = arena_alloc(c->s->arena, sizeof *l);
		strmap_put(&c->ix->by_target, arena_strdup(c->s->arena, id), l);
	}
	if (l->n && l->idx[l->n - 1] == c->from)
		return; /* named twice by the same resource */
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 4;
		l->idx = arena_grow(c->s->arena, l->idx, l->n, nc, sizeof *l->idx);
		l->cap = nc;
	}
	l->idx[l->n++] = c->from;
}

static struct ref_index *ref_index(const struct stack *cs)
{
	struct stack *s = (struct stack *)cs; /* the index is a cache: logically const */
	struct ref_index *ix = s->ref_index;
	if (ix && ix->nres == s->nres)
		return ix;
	ix = arena_alloc(s->arena, sizeof *ix);
	strmap_init(&ix->by_target, s->arena);
	ix->nres = s->nres;
	for (size_t i = 0; i < s->nres; i++) {
		struct index_ctx c = {s, ix, (uint32_t)i};
		graph_each_ref(s->res[i].props, index_ref, &c);
	}
	s->ref_index = ix;
	return ix;
}

size_t graph_referrers(const struct stack *s, const char *id, const char *type, const char *path,
		       struct resource **out, size_t max)
{
	size_t count = 0;
	const struct ref_list *l = strmap_get(&ref_index(s)->by_target, id);
	for (size_t k = 0; l && k < l->n; k++) {
		struct resource *r = &s->res[l->idx[k]];
		if (type && strcmp(r->type, type))
			continue;
		if (path && !graph_mentions(value_at(r->props, path), id))
			continue;
		if (count < max)
			out[count] = r;
		count++;
	}
	return count;
}
