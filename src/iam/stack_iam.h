/*
 * stack_iam.h - the IAM picture of a template stack, for the evaluator.
 *
 * Templates hold policy documents as resolved values whose ARNs are often
 * unknown until deploy (`!GetAtt Table.Arn`, `!Sub arn:${AWS::Partition}:
 * ...:table/${Table}`).  To evaluate them exactly, the stack is
 * instantiated symbolically: every resource gets one stand-in ARN and name
 * (account "123456789012", region "eu-west-2" unless --account-id/--region
 * are given; partition "aws"), used both in the policies and in the
 * queries, so `Resource: !GetAtt PatientsTable.Arn` matches a question
 * about PatientsTable.  Values that name nothing in the stack (an import,
 * a parameter without default) become a string that matches no pattern but
 * "*", and the principal is marked `uncertain`.
 */
#ifndef RAMPART_IAM_STACK_IAM_H
#define RAMPART_IAM_STACK_IAM_H

#include "iam/eval.h"
#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum iam_subject_kind { SUBJ_ROLE, SUBJ_USER, SUBJ_SERVICE, SUBJ_ACCOUNT, SUBJ_ANONYMOUS };

/* A principal of the stack, or one a resource policy names. */
struct iam_subject {
	enum iam_subject_kind kind;
	const struct resource *r;           /* the role or user; NULL otherwise */
	const char *id;                     /* logical ID, or the ARN/service/account as written */
	const char *arn;                    /* what it calls AWS as (a role: a session of it) */
	const struct iam_policy **policies; /* identity policies (inline, AWS::IAM::Policy, managed) */
	size_t npolicies;
	const struct iam_policy *boundary;
	bool uncertain;                     /* a policy we could not read fully (unknown managed ARN, ...) */
	const char *why_uncertain;
	const struct resource **functions;  /* a role: the Lambda functions whose Role names it, stack order */
	size_t nfunctions;
};

struct iam_stack {
	struct stack *s;
	struct arena *a;
	const char *account, *region;
	struct iam_subject *subj;
	size_t nsubj;
	size_t *subj_of;                    /* per resource of s (by index): its subject, or SIZE_MAX */
};

/* Build the picture: every AWS::IAM::Role and AWS::IAM::User with its policies. */
void iam_stack_build(struct iam_stack *is, struct stack *s, const char *account, const char *region,
		     struct arena *a, struct diags *d);

/* The stand-in ARN of a stack resource (tables, keys, secrets, functions, roles, buckets, ...). */
const char *iam_stack_arn(struct iam_stack *is, const struct resource *r);

/*
 * The resource policy that governs access to r, if the stack has one: a KMS
 * KeyPolicy, an AWS::SecretsManager::ResourcePolicy, a DynamoDB
 * ResourcePolicy, an S3 BucketPolicy, an API Gateway RestApi Policy (its
 * "execute-api:/..." resources written out as full ARNs), or the
 * AWS::Lambda::Permission resources of a function (as one policy).  The
 * policy's kind says which rules apply.
 */
const struct iam_policy *iam_stack_resource_policy(struct iam_stack *is, const struct resource *r,
						   struct diags *d);

/* A policy document value (a template's) compiled for the evaluator. */
const struct iam_policy *iam_policy_from_value(struct iam_stack *is, const struct value *doc, const char *name,
					       enum iam_policy_kind kind, struct diags *d);

/* What Ref (attr NULL) or Fn::GetAtt r.attr stands for in the stack's policies (a name, ID or ARN). */
const char *iam_stack_ref(struct iam_stack *is, const struct resource *r, const char *attr);

/* The execute-api ARN prefix of a REST API, arn:aws:execute-api:REGION:ACCOUNT:API-ID. */
const char *iam_stack_execute_api_arn(struct iam_stack *is, const struct resource *api);

/* A role's trust policy (AssumeRolePolicyDocument) compiled, or NULL. */
const struct iam_policy *iam_stack_trust_policy(struct iam_stack *is, const struct resource *role);

/* Functions whose Role is this role (for `via`). */
size_t iam_stack_role_functions(struct iam_stack *is, const struct resource *role, const struct resource **out,
				size_t max);

#endif
