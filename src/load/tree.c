/*
 * tree.c - the document tree builder shared by the YAML and JSON loaders
 * (see tree.h): frames, duplicate keys, multi-document chaining, limits.
 */
#include "load/tree.h"
#include "core/arena.h"
#include "core/xalloc.h"
#include "load/load.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Maps with this many keys get a hash index for the duplicate-key check. */
#define INDEX_AT 32

void tree_init(struct loader *L, const char *file, size_t max_nodes, struct arena *a, struct diags *d)
{
	memset(L, 0, sizeof *L);
	L->file = arena_strdup(a, file);
	L->a = a;
	L->d = d;
	L->max_nodes = max_nodes;
	strmap_init(&L->anchors, a);
}

struct node *tree_node(struct loader *L, enum node_kind k, struct pos pos)
{
	if (L->max_nodes && ++L->nodes > L->max_nodes) {
		if (!L->failed)
			diag_error(L->d, pos, "more than %zu values in one document (a template CloudFormation "
					      "accepts has far fewer); not read further", L->max_nodes);
		L->failed = 1;
		/* Keep the parser going to its end: a throw-away node. */
		static _Thread_local struct node spare;
		memset(&spare, 0, sizeof spare);
		return &spare;
	}
	struct node *n = arena_alloc(L->a, sizeof *n);
	n->kind = k;
	n->pos = pos;
	return n;
}

struct node *tree_string(struct loader *L, const char *s, size_t len, struct pos pos)
{
	struct node *n = tree_node(L, NODE_STRING, pos);
	if (L->failed)
		return n;
	n->str = arena_strndup(L->a, s, len);
	n->len = len;
	return n;
}

int tree_push(struct loader *L, enum node_kind k, struct pos pos)
{
	if (L->depth >= LOAD_MAX_DEPTH) {
		diag_error(L->d, pos, "nesting deeper than %d levels", LOAD_MAX_DEPTH);
		L->failed = 1;
		return -1;
	}
	XGROW(L->stack, L->cap, L->depth + 1);
	struct frame *f = &L->stack[L->depth++];
	memset(f, 0, sizeof *f);
	f->node = tree_node(L, k, pos);
	f->tag_pos = pos;
	return L->failed ? -1 : 0;
}

static void frame_release(struct frame *f)
{
	free(f->items);
	free(f->pairs);
	free(f->anchor);
	f->items = NULL;
	f->pairs = NULL;
	f->anchor = NULL;
}

struct frame *tree_pop(struct loader *L)
{
	struct frame *f = &L->stack[--L->depth];
	struct node *n = f->node;
	n->n = f->n;
	if (n->kind == NODE_SEQ) {
		n->items = arena_array(L->a, f->n, sizeof *n->items);
		if (f->n)
			memcpy(n->items, f->items, f->n * sizeof *n->items);
	} else {
		n->pairs = arena_array(L->a, f->n, sizeof *n->pairs);
		if (f->n)
			memcpy(n->pairs, f->pairs, f->n * sizeof *n->pairs);
	}
	f->expanded += 1;
	free(f->items);
	free(f->pairs);
	f->items = NULL;
	f->pairs = NULL;
	return f;
}

/* A document root: documents of a multi-document stream are chained in order. */
static void attach_root(struct loader *L, struct node *n)
{
	/* A shallow copy when the node is already chained or may be again
	 * (an aliased root must not be chained twice). */
	if (L->root || n->next_doc) {
		struct node *c = arena_alloc(L->a, sizeof *c);
		*c = *n;
		c->next_doc = NULL;
		n = c;
	}
	if (!L->root) {
		L->root = n;
		return;
	}
	struct node *last = L->root;
	while (last->next_doc)
		last = last->next_doc;
	last->next_doc = n;
}

void tree_attach(struct loader *L, struct node *n, size_t expanded)
{
	if (L->failed)
		return;
	if (L->depth == 0) {
		attach_root(L, n);
		return;
	}
	struct frame *f = &L->stack[L->depth - 1];
	f->expanded += expanded;
	if (f->node->kind == NODE_SEQ) {
		XGROW(f->items, f->cap, f->n + 1);
		f->items[f->n++] = n;
		return;
	}
	if (!f->key) {
		/* A key. */
		if (n->kind == NODE_SEQ || n->kind == NODE_MAP) {
			diag_error(L->d, n->pos, "a mapping key must be a scalar, not a %s", node_kind_name(n->kind));
			L->failed = 1;
			n = tree_string(L, "?", 1, n->pos);
		} else if (n->kind != NODE_STRING) {
			n = tree_string(L, n->str ? n->str : "", n->str ? n->len : 0, n->pos);
		}
		f->key = n;
		return;
	}
	struct node *key = f->key;
	f->key = NULL;
	/* Duplicate keys: CloudFormation keeps the last; so do we, with a warning. */
	size_t found = 0;
	if (f->index) {
		found = (size_t)(uintptr_t)strmap_get(f->index, key->str);
	} else {
		for (size_t i = 0; i < f->n; i++)
			if (f->pairs[i].key->len == key->len && !memcmp(f->pairs[i].key->str, key->str, key->len)) {
				found = i + 1;
				break;
			}
	}
	if (found) {
		struct node_pair *p = &f->pairs[found - 1];
		diag_warn(L->d, key->pos, "duplicate key '%s' (first at line %d); the last one wins",
			  key->str, p->key->pos.line);
		p->key = key;
		p->value = n;
		return;
	}
	XGROW(f->pairs, f->cap, f->n + 1);
	f->pairs[f->n].key = key;
	f->pairs[f->n].value = n;
	f->n++;
	if (f->index) {
		strmap_put(f->index, key->str, (void *)(uintptr_t)f->n);
	} else if (f->n == INDEX_AT) {
		f->index = arena_alloc(L->a, sizeof *f->index);
		strmap_init(f->index, L->a);
		for (size_t i = 0; i < f->n; i++)
			strmap_put(f->index, f->pairs[i].key->str, (void *)(uintptr_t)(i + 1));
	}
}

struct node *tree_finish(struct loader *L, struct pos top)
{
	while (L->depth > 0)
		frame_release(&L->stack[--L->depth]);
	free(L->stack);
	L->stack = NULL;
	L->cap = 0;
	if (L->failed)
		return NULL;
	/* Drop empty documents ("---" at the end of a file). */
	struct node **pp = &L->root;
	while (*pp) {
		if ((*pp)->kind == NODE_NULL)
			*pp = (*pp)->next_doc;
		else
			pp = &(*pp)->next_doc;
	}
	if (!L->root) {
		diag_error(L->d, top, "empty file");
		return NULL;
	}
	return L->root;
}
