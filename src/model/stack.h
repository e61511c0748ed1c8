/*
 * stack.h - a CloudFormation template as a stack of resolved resources.
 *
 * model_build() reads a loaded template: Parameters (Default, AllowedValues,
 * NoEcho, overridden by --param), pseudo parameters, Mappings, Conditions,
 * and each resource's Properties resolved to values (value.h).  With the
 * AWS::Serverless-2016-10-31 transform, SAM resources are expanded the way
 * the SAM translator does (sam.h) and the generated resources remember the
 * SAM resource they came from.
 *
 * Everything is allocated in the arena given to model_build.
 */
#ifndef RAMPART_MODEL_STACK_H
#define RAMPART_MODEL_STACK_H

#include "core/diag.h"
#include "core/strmap.h"
#include "load/node.h"
#include "model/value.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct param {
	const char *name;
	struct pos pos;
	const char *type;        /* "String", "AWS::SSM::Parameter::Value<String>", ... */
	struct value *def;       /* Default, or NULL */
	struct value *override;  /* from --param, or NULL */
	bool noecho;
	struct node *allowed;    /* AllowedValues node, or NULL */
	struct node *node;
	const char *ref_text;    /* "!Ref Name" and "parameter Name has no Default", */
	const char *no_default;  /* made on first use (resolve.c) */
};

/* A suppression from resource Metadata (rampart, checkov or cfn_nag form). */
struct suppression {
	const char *id;      /* rampart ID or an alias (CKV_AWS_28, W78, ...) */
	const char *reason;  /* may be NULL */
	struct pos pos;      /* where the ID is written */
};

struct resource {
	const char *id;          /* logical ID as deployed (e.g. the generated FnRole) */
	const char *type;        /* AWS::DynamoDB::Table, ... */
	struct pos pos;          /* where the resource is written (its key in Resources),
				    or for generated resources, the SAM resource's */
	struct node *node;       /* the resource as written; NULL for generated ones */
	struct value *props;     /* resolved Properties: VAL_MAP (empty map if absent) */
	struct value *metadata;  /* resolved Metadata or NULL */
	const char *condition;   /* Condition name or NULL */
	enum tri deployed;       /* YES; MAYBE when its condition is undecided
				    (resources whose condition is false are dropped) */
	bool unresolved;         /* Properties past the memory bound (resolve.h): props
				    is empty and no finding on it is certain */
	const char *source_id;   /* the SAM resource it came from, or == id */
	const char *source_type; /* the type written in the template */
	const char *cdk_path;    /* Metadata aws:cdk:path, or NULL */
	const char **depends_on;
	size_t ndepends;
	struct suppression *skips;
	size_t nskips;
};

struct stack {
	struct arena *arena;
	const char *file;        /* the template file */
	const char *name;        /* CDK stack name, or NULL */
	struct node *root;
	bool sam;                /* Transform includes AWS::Serverless-2016-10-31 */
	struct param *params;
	size_t nparams;
	struct resource *res;    /* in template order; SAM-generated appended */
	size_t nres, cap;
	struct strmap by_id;     /* logical ID -> struct resource * */
	struct strmap conditions; /* name -> enum tri (stored as (void*)(uintptr_t)(tri+1)) */
	struct strmap getatt_reported; /* "line:col" of Fn::GetAtt attribute errors already reported */
	struct node *mappings;
	struct node *globals;    /* SAM Globals, or NULL */
	/* Derived views built on first use by the checks that need them (one
	 * stack is only ever checked by one thread). */
	void *iam_view;          /* struct iam_stack (src/checks/iam_access.c) */
	void *net_view;          /* struct net_view (src/graph/exposure.c) */
	void *ref_index;         /* who names whom (src/graph/graph.c) */
	/* Pseudo parameters given in model_options (NULL: unknown until deploy). */
	const char *region;
	const char *account_id;
	/* Arena bytes in use when model_build began: values may use
	 * MODEL_MAX_VALUE_BYTES more (resolve.h); past it they stay unknown. */
	size_t model_base;
	struct value *over_budget; /* the unknown standing for them, once made */
};

struct model_options {
	/* --param Key=Value overrides */
	const char *const *param_keys;
	const char *const *param_values;
	size_t nparams;
	/* Pseudo parameters: when NULL, AWS::Region and AWS::AccountId stay unknown. */
	const char *region;
	const char *account_id;
	/*
	 * Across the templates of one scan: which --param keys some template
	 * declares (model_param_use_new).  NULL: each template warns alone
	 * about the keys it does not declare.
	 */
	struct model_param_use *param_use;
};

/*
 * --param keys over a whole scan (param_check.c): model_build records each
 * template's parameters (thread-safe); model_param_use_report then warns,
 * once per key, about a key no template declares, naming the nearest
 * parameter name at its declaration.
 */
struct model_param_use;
struct model_param_use *model_param_use_new(const char *const *keys, size_t n);
void model_param_use_record(struct model_param_use *u, const struct stack *s);
void model_param_use_report(const struct model_param_use *u, struct diags *d);
void model_param_use_free(struct model_param_use *u);

/*
 * Is this document a CloudFormation/SAM template?  (a mapping with a
 * Resources mapping, or AWSTemplateFormatVersion, or a Serverless Transform)
 */
bool model_is_template(const struct node *root);

/*
 * Does this text look like a template (used when it failed to parse: a
 * broken template is an error, a broken unrelated YAML file is skipped)?
 */
bool model_text_looks_like_template(const char *buf, size_t len);

/*
 * Build the stack.  Problems (Ref to nothing, Fn::Sub with a missing
 * variable, cycles, bad intrinsic arguments) are added to d with their
 * position; the stack is still returned with the offending value unknown.
 * Returns NULL only if root is not a template at all.
 */
struct stack *model_build(struct node *root, const char *file, const struct model_options *opt,
			  struct arena *a, struct diags *d);

struct resource *stack_find(const struct stack *s, const char *id);
/* Append a resource (used by the SAM expansion); returns it, zeroed but for id/type. */
struct resource *stack_add(struct stack *s, const char *id, const char *type);

/*
 * Resolve a document node in the context of the stack (intrinsics,
 * parameters, mappings, conditions).  Used by model_build for Properties and
 * by the SAM expansion for Globals and SAM properties.
 */
struct value *model_resolve(struct stack *s, const struct node *n, struct diags *d);

/* The condition's value: YES/NO/MAYBE (MAYBE also for an unknown name). */
enum tri stack_condition(const struct stack *s, const char *name);

#endif
