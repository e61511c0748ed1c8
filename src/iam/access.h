/*
 * access.h - who can reach what, from templates, with the exact evaluator:
 * the answers behind `rampart iam who-can` and `rampart iam can`.
 *
 * who-can: every principal of the templates (roles and users with their
 * policies and boundaries, functions through their roles) and every
 * principal the resource's own policy admits (services, other accounts,
 * anyone) that can perform an action on a resource.
 * can: what a role, user or function can do to each data store of the
 * templates (tables, databases, secrets, keys, buckets), probed with a
 * fixed set of read, write and admin actions per store type.
 *
 * Conditions on request context the templates cannot know (source IP, MFA,
 * VPC endpoint...) are answers, not refusals: each grant carries the
 * conditions under which it holds.  Nothing here prints: the caller gets
 * each answer through a callback, in template order then stack order.
 */
#ifndef RAMPART_IAM_ACCESS_H
#define RAMPART_IAM_ACCESS_H

#include "iam/eval.h"
#include "iam/stack_load.h"

#include <stdbool.h>
#include <stddef.h>

/* One principal that can perform the action on the resource. */
struct iam_grant {
	const char *file;          /* the template */
	const char *principal;     /* logical ID, or the ARN, service or account as the policy names it, or "anonymous" */
	const char *kind;          /* "role", "user", "service", "account" or "anonymous" */
	const char *const *via;    /* a function: {function, its role}; else NULL */
	size_t nvia;
	const struct iam_result *result; /* result->assumed: the conditions under which it holds */
	bool certain;
	const char *why_uncertain; /* NULL when certain or when no reason is known */
};

typedef void (*iam_grant_fn)(const struct iam_grant *g, void *arg);

/*
 * Call fn for every principal of the stacks that can perform action on
 * resource (a logical ID, looked up in each template, or an ARN, asked of
 * every template).  Returns false when resource is not an ARN and no
 * template defines it.
 */
bool iam_who_can(struct iam_stacks *st, const char *action, const char *resource, iam_grant_fn fn, void *arg);

/* One action `can` probes, allowed. */
struct iam_probe_grant {
	const char *action;        /* e.g. dynamodb:GetItem */
	const char *level;         /* "read", "write" or "admin" */
	const struct iam_condition *conditions[IAM_MAX_MISSING]; /* under which it holds */
	size_t nconditions;
};

#define IAM_CAN_MAX_PROBES 32  /* at least the number of probes (asserted in access.c) */

/* What the principal can do to one data store. */
struct iam_store_access {
	const struct resource *store;
	struct iam_probe_grant allowed[IAM_CAN_MAX_PROBES];
	size_t nallowed;
};

/* The answer in one template where the principal is defined. */
struct iam_can_answer {
	const char *file;
	const char *function;      /* the function asked about, when its role answers; else NULL */
	const struct iam_subject *subject; /* the role or user whose policies decide */
	const struct iam_store_access *stores; /* only stores with something allowed, stack order */
	size_t nstores;
};

typedef void (*iam_can_fn)(const struct iam_can_answer *ans, void *arg);

/*
 * Call fn once per template that defines who (a role, a user, or a
 * function with a role of the template).  Returns false when none does.
 */
bool iam_can(struct iam_stacks *st, const char *who, iam_can_fn fn, void *arg);

#endif
