/*
 * check.h - what a check is, and how it reports a finding.
 *
 * Every check is one row of a static table in the file of its layer
 * (iam.c, iam_access.c, network.c, api.c, encryption.c, secrets.c,
 * monitoring.c, resilience.c): its ID, the resource types it is about, the
 * function that judges one resource of those types, and what `rampart
 * checks`, SARIF and the reports say about it.  catalogue.c joins the
 * tables; checks_run() (run.c) calls each row's each() for every deployed
 * resource of its types.  Adding a check is one row and its function in
 * the layer's file, plus its tests.
 *
 * A row has either each() or run():
 *   each(ctx, r)  is called for every deployed resource r whose type is in
 *                 resource_types, in template order.  Nearly every check is
 *                 this: it judges r, following relations where it must.
 *   run(ctx)      is called once per stack, for the checks that genuinely
 *                 judge the stack as a whole rather than a resource: one
 *                 finding for the stack (no trail of the stack records data
 *                 events), an input that is not a resource (template
 *                 Parameters), or the union of every rule of a security
 *                 group or network ACL, which may be outside the stack
 *                 (graph/exposure.h).
 *
 * A check calls check_report() for each problem.  It must never guess at
 * an unknown value: it reports only when the answer is YES, or on MAYBE
 * with certain=false where the risk justifies it; the `unknowns` field of
 * each check says which it does.
 */
#ifndef RAMPART_CHECKS_CHECK_H
#define RAMPART_CHECKS_CHECK_H

#include "core/diag.h"
#include "core/severity.h"
#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

enum layer {
	LAYER_IAM,
	LAYER_IDENTITY,
	LAYER_NETWORK,
	LAYER_API,
	LAYER_ENCRYPTION,
	LAYER_SECRETS,
	LAYER_MONITORING,
	LAYER_RESILIENCE,
	LAYER_COUNT
};

struct check_ctx;

struct check {
	const char *id;          /* stable: "RMP-DDB-001" */
	const char *title;       /* one line, says what should be true */
	enum severity severity;
	enum layer layer;
	/*
	 * The CloudFormation types it is about, comma-separated: each() is
	 * called for every deployed resource of these types ("*": of every
	 * type).  A run() check names what it looks at.
	 */
	const char *resource_types;
	/*
	 * Other types it reads to decide (through relations), and the SAM
	 * types whose expansion it judges; left out (NULL) when none.
	 * `rampart checks` lists them after resource_types
	 * (check_types_listed()).
	 */
	const char *related_types;
	/* Aliases, comma-separated ("" when none). */
	const char *gdpr;        /* "Art. 5(1)(f),Art. 32" */
	const char *fsbp;        /* "DynamoDB.2" */
	const char *cis;         /* "2.3.1" (CIS AWS Foundations v3.0) */
	const char *checkov;     /* "CKV_AWS_28" */
	const char *kics;        /* "dynamodb_table_point_in_time_recovery_disabled" */
	const char *cfn_nag;     /* "W78" */
	const char *cdk_nag;     /* "AwsSolutions-DDB3" */
	const char *kics_tf;     /* KICS Terraform queries, where named apart from the CloudFormation ones */
	const char *trivy;       /* "AVD-AWS-0024" (Trivy / tfsec, as `#trivy:ignore:` names them) */
	const char *guard;       /* AWS Guard rules registry: "DYNAMODB_PITR_ENABLED" */
	const char *coverage;    /* row of shared/reference/coverage.md, e.g. "D1" */
	const char *unknowns;    /* what the check does when a value is unknown */
	const char *remediation; /* what to do, in a sentence or two */
	const char *snippet;     /* the template fragment that fixes it (YAML) */
	void (*each)(struct check_ctx *ctx, const struct resource *r);
	void (*run)(struct check_ctx *ctx); /* whole-stack checks only: see above */
};

/* Handed to each() and run(): one check on one stack. */
struct check_ctx {
	const struct check *check;
	struct stack *stack;
	struct findings *out;
	struct diags *diags;
	/*
	 * What a check computes once per stack and reuses for each resource
	 * (an index): NULL before the check's first call on the stack, then
	 * whatever the check stores (allocated in the stack's arena).
	 */
	void *memo;
};

/*
 * Report a finding on resource r (position: at `at` if its line is set,
 * else the resource's).  certain=false when the verdict rests on an
 * unknown.  The message must not contain a secret: pass redacted text.
 * Suppressions in r's metadata are applied here.
 */
void check_report(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Same, with a severity other than the check's for this finding (a check
 * whose severity depends on what the resource can reach, e.g. RMP-LMB-011).
 * Reporters read finding->severity.
 */
void check_report_severity(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
			   enum severity sev, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Report on a three-valued answer: nothing on NO; on YES a finding that is
 * certain if r is surely deployed; on MAYBE an uncertain one.  Positioned
 * at `at` (a property value) if it has a position, else at r.
 */
void check_report_tri(struct check_ctx *ctx, const struct resource *r, const struct value *at, enum tri t,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Position of a property value if present, else of the resource. */
struct pos check_pos(const struct resource *r, const struct value *v);

const char *layer_name(enum layer l);  /* "iam" */
const char *layer_title(enum layer l); /* "IAM: who can do what" */

/*
 * Warn about each suppression in the stack's resource Metadata that names
 * no check and no alias of one (a typo suppresses nothing): at the ID, with
 * the nearest real name.
 */
void check_suppressions_known(const struct stack *s, struct diags *d);

/* The types a check covers, as `rampart checks` lists them: resource_types, then related_types. */
struct strbuf;
void check_types_listed(const struct check *c, struct strbuf *out);

#endif
