/*
 * node.c - lookups on document trees.
 */
#include "load/node.h"

#include <string.h>

const struct node_pair *node_get_pair(const struct node *m, const char *key)
{
	if (!m || m->kind != NODE_MAP)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < m->n; i++) {
		const struct node *k = m->pairs[i].key;
		if (k->len == klen && memcmp(k->str, key, klen) == 0)
			return &m->pairs[i];
	}
	return NULL;
}

struct node *node_get(const struct node *m, const char *key)
{
	const struct node_pair *p = node_get_pair(m, key);
	return p ? p->value : NULL;
}

bool node_is_scalar(const struct node *n)
{
	return n && n->kind != NODE_SEQ && n->kind != NODE_MAP;
}

const char *node_str(const struct node *n)
{
	return n && n->kind == NODE_STRING ? n->str : NULL;
}

const char *node_kind_name(enum node_kind k)
{
	switch (k) {
	case NODE_NULL: return "null";
	case NODE_BOOL: return "boolean";
	case NODE_NUMBER: return "number";
	case NODE_STRING: return "string";
	case NODE_SEQ: return "sequence";
	case NODE_MAP: return "mapping";
	}
	return "?";
}

const char *node_intrinsic(const struct node *n)
{
	if (!n || n->kind != NODE_MAP || n->n != 1)
		return NULL;
	const char *k = n->pairs[0].key->str;
	if (strcmp(k, "Ref") == 0 || strcmp(k, "Condition") == 0 || strncmp(k, "Fn::", 4) == 0)
		return k;
	return NULL;
}
