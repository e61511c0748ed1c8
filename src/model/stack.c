/*
 * stack.c - the stack's resource table and template recognition.
 * (model_build and resolution live in template.c and resolve.c.)
 */
#include "model/stack.h"
#include "core/arena.h"
#include "core/xalloc.h"

#include <string.h>

struct resource *stack_find(const struct stack *s, const char *id)
{
	return id ? strmap_get(&s->by_id, id) : NULL;
}

struct resource *stack_add(struct stack *s, const char *id, const char *type)
{
	if (s->nres == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		struct resource *nr = arena_grow(s->arena, s->res, s->nres, nc, sizeof *nr);
		s->res = nr;
		s->cap = nc;
		/* Pointers moved: rebuild the index. */
		strmap_init(&s->by_id, s->arena);
		for (size_t i = 0; i < s->nres; i++)
			strmap_put(&s->by_id, s->res[i].id, &s->res[i]);
	}
	struct resource *r = &s->res[s->nres++];
	memset(r, 0, sizeof *r);
	r->id = arena_strdup(s->arena, id);
	r->type = arena_strdup(s->arena, type);
	r->source_id = r->id;
	r->source_type = r->type;
	r->deployed = YES;
	strmap_put(&s->by_id, r->id, r);
	return r;
}

bool model_is_template(const struct node *root)
{
	if (!root || root->kind != NODE_MAP)
		return false;
	const struct node *res = node_get(root, "Resources");
	if (res && res->kind == NODE_MAP)
		return true;
	if (node_get(root, "AWSTemplateFormatVersion"))
		return true;
	const struct node *t = node_get(root, "Transform");
	const char *ts = node_str(t);
	if (ts && strstr(ts, "AWS::Serverless"))
		return true;
	for (size_t i = 0; t && t->kind == NODE_SEQ && i < t->n; i++) /* Transform: [A, B] */
		if (node_str(t->items[i]) && strstr(t->items[i]->str, "AWS::Serverless"))
			return true;
	return false;
}

static const char *find_mem(const char *buf, size_t len, const char *needle)
{
	return memmem(buf, len, needle, strlen(needle));
}

bool model_text_looks_like_template(const char *buf, size_t len)
{
	return find_mem(buf, len, "AWSTemplateFormatVersion") || find_mem(buf, len, "AWS::Serverless") ||
	       ((find_mem(buf, len, "Resources:") || find_mem(buf, len, "\"Resources\"")) &&
		find_mem(buf, len, "Type") && find_mem(buf, len, "AWS::"));
}
