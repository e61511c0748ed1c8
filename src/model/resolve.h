/*
 * resolve.h - internals shared by template.c and resolve.c: condition
 * evaluation and literal (intrinsic-free) conversion of document nodes.
 * Not for checks: they use stack.h and value.h.
 */
#ifndef RAMPART_MODEL_RESOLVE_H
#define RAMPART_MODEL_RESOLVE_H

#include "model/stack.h"

/* Largest string Fn::Sub or Fn::Join builds; longer results stay unknown. */
#define MODEL_MAX_STRING (1024u * 1024)

/*
 * Convert a node to a value without evaluating intrinsic functions (a
 * parameter Default, a mapping entry).  Returns NULL only for n == NULL.
 */
struct value *model_literal(struct arena *a, const struct node *n);

/*
 * Evaluate every condition of the template's Conditions section (in
 * template order) into s->conditions.  Needs s->params and s->mappings.
 */
void model_eval_conditions(struct stack *s, struct diags *d);

/* The parameter named `name`, or NULL. */
struct param *model_find_param(const struct stack *s, const char *name);

/*
 * Is `name` a logical ID the SAM transform will generate (ServerlessRestApi,
 * <Function>Role, <Api>ProdStage, <Function>.Alias...)?  False unless s->sam.
 */
bool model_sam_implicit(const struct stack *s, const char *name);

/* Split a CommaDelimitedList / List<...> text into a VAL_LIST of strings (items trimmed). */
struct value *model_split_list(struct arena *a, const char *s, size_t len, struct pos pos);

/* Is `type` a list parameter type (CommaDelimitedList, List<...>)? */
bool model_param_is_list(const char *type);

#endif
