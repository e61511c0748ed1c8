/*
 * graph.h - the resource graph: which resource names which.
 *
 * Edges are not stored: they are the VAL_REF values and the `refs` of
 * unknown values in each resource's resolved properties (Ref, GetAtt, Sub),
 * plus DependsOn.  These generic queries answer "what does this property
 * name" and "who names this resource"; the named relations checks need
 * (function -> role -> policies, database -> subnets -> routes, API ->
 * stage -> method -> function, ...) are built on them in relations.h.
 */
#ifndef RAMPART_GRAPH_GRAPH_H
#define RAMPART_GRAPH_GRAPH_H

#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

/* Does v (recursively) name resource id? */
bool graph_mentions(const struct value *v, const char *id);

/*
 * The resource a value designates: a VAL_REF's target, or, for a
 * VAL_CHOICE whose alternatives all designate the same resource, that one.
 * NULL if v names no resource of the stack (or names several).
 */
struct resource *graph_target(const struct stack *s, const struct value *v);

/*
 * Call fn for each resource a value names (VAL_REF targets and unknowns'
 * refs, in order of appearance, duplicates included).
 */
void graph_each_ref(const struct value *v, void (*fn)(const char *id, void *ctx), void *ctx);

/*
 * Resources of `type` (NULL: any type) whose property at `path` ('.'
 * separated map keys; NULL: anywhere in Properties) names resource id.
 * Up to max results into out, in stack order; returns the total count.
 * Resources whose condition is false were dropped by the model already.
 */
size_t graph_referrers(const struct stack *s, const char *id, const char *type, const char *path,
		       struct resource **out, size_t max);

#endif
