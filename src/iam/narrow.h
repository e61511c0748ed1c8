/*
 * narrow.h - least-privilege proposals for a role or user whose policies
 * grant actions on "*": what `rampart iam narrow` proposes.
 *
 * Which actions a function's code calls cannot be known from a template,
 * but which resources those actions can touch can: the stack's own.  Each
 * unconditional Allow statement on "*" (Action, not NotAction) becomes the
 * same actions on the stack resources of the types those actions take
 * (from the IAM catalogue), as CloudFormation references ready to paste;
 * actions AWS allows only on "*" are listed apart.
 */
#ifndef RAMPART_IAM_NARROW_H
#define RAMPART_IAM_NARROW_H

#include "core/diag.h"
#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

/* One Allow statement on "*", narrowed. */
struct iam_narrowed {
	const char *policy_name;      /* the policy it is written in */
	const char *holder;           /* the logical ID of the resource that holds it */
	const char **actions;         /* as written */
	size_t nactions;
	const char **resources;       /* CloudFormation ARN references (!GetAtt T.Arn, !Sub ...), each once */
	size_t nresources;
	const char **star_only;       /* the actions matched that AWS allows only on "*", catalogue spelling */
	size_t nstar_only;
	bool unmatched;               /* some action takes resource types the stack does not define */
};

/* The proposal for one template that defines the principal. */
struct iam_narrow_proposal {
	const char *file;
	const struct resource *principal;   /* the role or user (a function's role) */
	const struct iam_narrowed *stmts;   /* in the order the policies list them */
	size_t n;
};

typedef void (*iam_narrow_fn)(const struct iam_narrow_proposal *p, void *arg);

/*
 * Read the templates under paths (files or directories; problems go to d)
 * and call fn for each one that defines who: a role, a user, or a function
 * whose role the template defines.  Returns false when none does.
 */
bool iam_narrow_paths(char **paths, size_t npaths, const char *who, struct diags *d, iam_narrow_fn fn, void *arg);

#endif
