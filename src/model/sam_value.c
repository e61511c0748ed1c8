/*
 * sam_value.c - building the values of SAM-generated resources, and the
 * Globals merge (see sam_internal.h).
 *
 * Lists and maps made here grow in powers of two: an array of n items has
 * room for the next power of two >= n, so appending needs no capacity
 * field.  Only arrays made here are appended to.
 */
#include "model/sam_internal.h"
#include "core/arena.h"

#include <stdio.h>
#include <string.h>

static bool is_pow2(size_t n)
{
	return (n & (n - 1)) == 0;
}

/* Room for one more item in an array of n items made here. */
static void *grow_one(struct arena *a, void *arr, size_t n, size_t size)
{
	if (n == 0)
		return arena_array(a, 1, size);
	if (is_pow2(n))
		return arena_grow(a, arr, n, n * 2, size);
	return arr;
}

static size_t cap_for(size_t n)
{
	size_t c = 1;
	while (c < n)
		c *= 2;
	return c;
}

struct value *sv_map(struct sam *x, struct pos pos)
{
	return val_new(x->a, VAL_MAP, pos);
}

struct value *sv_list(struct sam *x, struct pos pos)
{
	return val_new(x->a, VAL_LIST, pos);
}

struct value *sv_str(struct sam *x, const char *s, struct pos pos)
{
	return val_string(x->a, s, strlen(s), pos);
}

struct value *sv_num(struct sam *x, double num, struct pos pos)
{
	struct value *v = val_new(x->a, VAL_NUMBER, pos);
	v->num = num;
	v->s = arena_printf(x->a, "%.15g", num);
	v->len = strlen(v->s);
	return v;
}

struct value *sv_bool(struct sam *x, bool b, struct pos pos)
{
	return val_bool(x->a, b, pos);
}

struct value *sv_ref(struct sam *x, const char *id, const char *attr, struct pos pos)
{
	struct value *v = val_new(x->a, VAL_REF, pos);
	v->s = arena_strdup(x->a, id);
	v->len = strlen(v->s);
	v->attr = attr ? arena_strdup(x->a, attr) : NULL;
	v->refs = arena_array(x->a, 1, sizeof *v->refs);
	v->refs[0] = v->s;
	v->nrefs = 1;
	return v;
}

struct value *sv_deploy_time(struct sam *x, struct pos pos, const char *expr, const char *ref1,
			     const char *ref2)
{
	struct value *v = val_unknown(x->a, pos, expr, "built from resource attributes known at deploy time");
	size_t n = (ref1 != NULL) + (ref2 != NULL);
	if (n) {
		v->refs = arena_array(x->a, n, sizeof *v->refs);
		if (ref1)
			v->refs[v->nrefs++] = arena_strdup(x->a, ref1);
		if (ref2)
			v->refs[v->nrefs++] = arena_strdup(x->a, ref2);
	}
	return v;
}

void sv_put(struct sam *x, struct value *map, const char *key, struct value *v)
{
	if (!map || map->kind != VAL_MAP || !v)
		return;
	for (size_t i = 0; i < map->n; i++) {
		if (strcmp(map->pairs[i].key, key) == 0) {
			map->pairs[i].v = v;
			return;
		}
	}
	map->pairs = grow_one(x->a, map->pairs, map->n, sizeof *map->pairs);
	struct vpair *p = &map->pairs[map->n++];
	p->key = arena_strdup(x->a, key);
	p->key_pos = v->pos;
	p->v = v;
}

void sv_put_opt(struct sam *x, struct value *map, const char *key, struct value *v)
{
	if (v)
		sv_put(x, map, key, v);
}

void sv_push(struct sam *x, struct value *list, struct value *v)
{
	if (!list || list->kind != VAL_LIST || !v)
		return;
	list->items = grow_one(x->a, list->items, list->n, sizeof *list->items);
	list->items[list->n++] = v;
}

static struct value *clone_depth(struct sam *x, const struct value *v, int depth)
{
	if (!v)
		return NULL;
	struct value *c = val_new(x->a, v->kind, v->pos);
	*c = *v;
	if (depth > 200)
		return c;
	size_t n = v->n;
	if (v->kind == VAL_MAP && n) {
		struct vpair *pairs = arena_array(x->a, cap_for(n), sizeof *pairs);
		for (size_t i = 0; i < n; i++) {
			pairs[i] = v->pairs[i];
			pairs[i].v = clone_depth(x, v->pairs[i].v, depth + 1);
		}
		c->pairs = pairs;
	} else if (v->kind == VAL_LIST && n) {
		struct value **items = arena_array(x->a, cap_for(n), sizeof *items);
		for (size_t i = 0; i < n; i++)
			items[i] = clone_depth(x, v->items[i], depth + 1);
		c->items = items;
	}
	return c;
}

struct value *sv_clone(struct sam *x, const struct value *v)
{
	return clone_depth(x, v, 0);
}

static struct value *merge_depth(struct sam *x, const struct value *g, const struct value *l, int depth)
{
	if (!g || g->kind == VAL_NULL)
		return l ? sv_clone(x, l) : NULL;
	if (!l)
		return sv_clone(x, g);
	if (depth > 100)
		return sv_clone(x, l);
	if (g->kind == VAL_MAP && l->kind == VAL_MAP) {
		struct value *m = sv_clone(x, g);
		for (size_t i = 0; i < l->n; i++) {
			const struct vpair *p = &l->pairs[i];
			struct value *gv = val_get(g, p->key);
			struct value *mv = merge_depth(x, gv, p->v, depth + 1);
			sv_put(x, m, p->key, mv);
		}
		return m;
	}
	if (g->kind == VAL_LIST && l->kind == VAL_LIST) {
		struct value *m = sv_clone(x, g);
		m->pos = l->pos;
		for (size_t i = 0; i < l->n; i++)
			sv_push(x, m, sv_clone(x, l->items[i]));
		return m;
	}
	return sv_clone(x, l);
}

struct value *sv_merge(struct sam *x, const struct value *global, const struct value *local)
{
	return merge_depth(x, global, local, 0);
}

const char *sv_text(const struct value *v)
{
	return val_str(v);
}

const char *sv_ref_target(const struct value *v)
{
	if (!v)
		return NULL;
	if (v->kind == VAL_REF && !v->attr)
		return v->s;
	if (v->kind == VAL_STRING)
		return v->s;
	return NULL;
}
