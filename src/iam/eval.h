/*
 * eval.h - AWS policy evaluation: one request against a set of policies,
 * in AWS's decision order, with the reasons.
 *
 * Order (shared/reference/iam-evaluation.md, rules E1-E46): an explicit
 * Deny in any applicable policy wins (E2, E11); each RCP and SCP level must
 * Allow (E3, E4); then the resource policy, whose Allow may suffice alone
 * depending on the principal it names (E6); else identity policies (E7)
 * intersected with the permissions boundary (E8) and the session policy
 * (E9).  Cross-account requests need both sides (E10).  Role trust and KMS
 * key policies must allow explicitly (E6 exceptions).
 */
#ifndef RAMPART_IAM_EVAL_H
#define RAMPART_IAM_EVAL_H

#include "iam/policy.h"

#include <stdbool.h>
#include <stddef.h>

/* One context key and its value(s); keys compare case-insensitively (E44). */
struct iam_context_entry {
	const char *key;
	const char **values;
	size_t nvalues;
};

struct iam_request {
	const char *principal; /* ARN ("arn:aws:iam::1:role/R", "arn:aws:sts::1:assumed-role/R/S",
				  "arn:aws:iam::1:user/U", "arn:aws:iam::1:root"), a service
				  ("lambda.amazonaws.com"), or "anonymous" */
	const char *action;    /* "dynamodb:GetItem" */
	const char *resource;  /* an ARN, or "*" */
	const char *resource_account; /* owner of the resource; NULL: taken from the resource ARN,
					 else the principal's account */
	const struct iam_context_entry *context;
	size_t ncontext;
	/* Discovery: a condition of an Allow statement on a key the context
	 * does not give is taken as satisfiable and reported in
	 * result.assumed, so the answer reads "allowed if ...". */
	bool discover;
};

/* SCPs or RCPs: one level per OU-chain step (root first, account last). */
struct iam_level {
	const struct iam_policy *const *policies;
	size_t n;
};

struct iam_policy_set {
	const struct iam_policy *const *identity; /* the principal's policies (user + groups, or role) */
	size_t nidentity;
	const struct iam_policy *resource;        /* resource, trust or key policy, or NULL */
	const struct iam_policy *boundary;        /* or NULL */
	const struct iam_policy *session;         /* or NULL */
	const struct iam_level *scp;              /* NULL: no Organizations SCPs apply */
	size_t nscp;
	const struct iam_level *rcp;
	size_t nrcp;
	const struct iam_policy *vpce;            /* the VPC endpoint's policy when the request comes
						     through one (E12): it must Allow too; or NULL */
};

enum iam_decision { IAM_ALLOWED, IAM_EXPLICIT_DENY, IAM_IMPLICIT_DENY };

#define IAM_MAX_MATCHED 32
#define IAM_MAX_MISSING 16

struct iam_match {
	const struct iam_policy *policy;
	const struct iam_statement *st;
};

struct iam_result {
	enum iam_decision decision;
	const char *reason;                 /* one line: why */
	struct iam_match matched[IAM_MAX_MATCHED]; /* statements that matched the request */
	size_t nmatched;
	const char *missing[IAM_MAX_MISSING]; /* context keys whose absence decided a condition */
	size_t nmissing;
	const struct iam_condition *assumed[IAM_MAX_MISSING]; /* discovery: conditions taken as met */
	size_t nassumed;
};

void iam_evaluate(const struct iam_policy_set *set, const struct iam_request *req, struct iam_result *res);

/* AWS's EvalDecision words: "allowed", "explicitDeny", "implicitDeny". */
const char *iam_decision_name(enum iam_decision d);

/* Exposed for tests and other modules. */
/* `*` and `?` wildcards; '\\' escapes the next character. */
bool iam_wildcard_match(const char *pattern, const char *s, bool ignore_case);
/* ARN matching segment by segment (E21, E41). */
bool iam_arn_match(const char *pattern, const char *arn);

#endif
