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
 * Most memory a template's resolved values may take (arena bytes beyond
 * the document).  Values are bounded by the document only up to sharing:
 * a 20-byte `!Join ["", *list]` can build a megabyte from an aliased list,
 * and FindInMap copies mapping entries, so without a bound a template under
 * the 8 MB scan limit could take gigabytes.  Real templates stay far below:
 * the largest of the serverless-patterns corpus uses well under 1 MB, and a
 * generated 1 MB template (CloudFormation's own limit) under 20 MB.  Past
 * the bound, values are unknown (checks answer MAYBE) and a warning names
 * the first one left unresolved; SAM resources past the bound are not
 * expanded.  With the document itself bounded by LOAD_MAX_TEMPLATE_NODES,
 * a template under the 8 MB scan limit stays under 200 MB.
 */
#define MODEL_MAX_VALUE_BYTES (48u * 1024 * 1024)

/*
 * Has the stack used its MODEL_MAX_VALUE_BYTES?  The first time it has, a
 * warning at pos says so and s->over_budget is made.
 */
bool model_budget_spent(struct stack *s, struct diags *d, struct pos pos);

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
