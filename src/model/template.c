/*
 * template.c - model_build: a template's parameters, conditions, mappings
 * and resources into a struct stack.
 */
#include "model/stack.h"
#include "core/arena.h"

struct stack *model_build(struct node *root, const char *file, const struct model_options *opt,
			  struct arena *a, struct diags *d)
{
	(void)opt;
	(void)d;
	if (!model_is_template(root))
		return NULL;
	struct stack *s = arena_alloc(a, sizeof *s);
	s->arena = a;
	s->file = arena_strdup(a, file);
	s->root = root;
	strmap_init(&s->by_id, a);
	strmap_init(&s->conditions, a);
	return s;
}
