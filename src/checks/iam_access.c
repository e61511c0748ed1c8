/*
 * iam_access.c - the IAM layer's semantic checks: what each principal of
 * the stack can actually do, decided by the IAM evaluator (src/iam) across
 * all of its policies, its permissions boundary and the resources' own
 * policies, rather than statement by statement.
 *
 * Principals are the stack's roles and users (functions act through their
 * roles).  Requests are made against stand-in ARNs (stack_iam.h), so a
 * grant on `!GetAtt PatientsTable.Arn` is seen for what it is.  Conditions
 * on request context the template cannot know are not assumed to hold:
 * an Allow limited by MFA or a source VPC does not count as a grant here.
 * A principal whose policies could not be read fully (an AWS managed policy
 * rampart does not carry, an undecided Fn::If) yields certain=false.
 */
#include "checks/catalogue.h"
#include "core/arena.h"
#include "iam/catalogue.h"
#include "iam/stack_iam.h"

#include <stdio.h>
#include <string.h>

static const char *const GDPR_LP = "Art. 5(1)(f),Art. 25,Art. 32";

/* Evaluate one action for a subject against a resource ARN (no resource policy). */
static bool can(const struct iam_subject *sj, const struct iam_stack *is, const char *action, const char *arn)
{
	struct iam_policy_set set = {sj->policies, sj->npolicies, NULL, sj->boundary, NULL, NULL, 0, NULL, 0};
	struct iam_request req = {sj->arn, action, arn, is->account, NULL, 0, false};
	struct iam_result r;
	iam_evaluate(&set, &req, &r);
	return r.decision == IAM_ALLOWED;
}

/* A stand-in resource of a service that no specific grant names. */
static const char *probe_arn(struct iam_stack *is, const char *action)
{
	char svc[64];
	const char *colon = strchr(action, ':');
	size_t n = colon ? (size_t)(colon - action) : strlen(action);
	if (n >= sizeof svc)
		n = sizeof svc - 1;
	memcpy(svc, action, n);
	svc[n] = '\0';
	if (!strcmp(svc, "iam"))
		return arena_printf(is->a, "arn:aws:iam::%s:role/rampart-probe", is->account);
	if (!strcmp(svc, "s3"))
		return "arn:aws:s3:::rampart-probe";
	return arena_printf(is->a, "arn:aws:%s:%s:%s:rampart-probe", svc, is->region, is->account);
}

static struct iam_stack *stack_view(struct check_ctx *ctx)
{
	struct iam_stack *is = arena_alloc(ctx->stack->arena, sizeof *is);
	iam_stack_build(is, ctx->stack, NULL, NULL, ctx->stack->arena, NULL);
	return is;
}

/* ---- RMP-IAM-101: effective administrator ---- */

static void run_effective_admin(struct check_ctx *ctx)
{
	struct iam_stack *is = stack_view(ctx);
	for (size_t i = 0; i < is->nsubj; i++) {
		const struct iam_subject *sj = &is->subj[i];
		const char *self = iam_stack_arn(is, sj->r);
		const char *how = NULL;
		if (can(sj, is, "iam:CreateUser", probe_arn(is, "iam:x")) && can(sj, is, "s3:GetObject", "arn:aws:s3:::rampart-probe/x") &&
		    can(sj, is, "dynamodb:DeleteTable", probe_arn(is, "dynamodb:x")))
			how = "it is allowed every action on every resource";
		else if (sj->kind == SUBJ_ROLE && (can(sj, is, "iam:PutRolePolicy", self) || can(sj, is, "iam:AttachRolePolicy", self)))
			how = "it can write or attach any policy to itself (iam:PutRolePolicy / iam:AttachRolePolicy on its own role)";
		else if (sj->kind == SUBJ_USER && (can(sj, is, "iam:PutUserPolicy", self) || can(sj, is, "iam:AttachUserPolicy", self)))
			how = "it can write or attach any policy to itself (iam:PutUserPolicy / iam:AttachUserPolicy)";
		else if (can(sj, is, "iam:CreatePolicyVersion", arena_printf(is->a, "arn:aws:iam::%s:policy/rampart-probe", is->account)))
			how = "it can rewrite customer managed policies (iam:CreatePolicyVersion on any policy)";
		if (how)
			check_report(ctx, sj->r, sj->r->pos, !sj->uncertain, "%s %s is effectively an administrator: %s",
				     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, how);
	}
}

/* ---- RMP-IAM-102: privilege escalation, per principal across all its policies ---- */

struct method {
	const char *name;
	const char *actions[4];
};

/* From the Rhino / pathfinding.cloud lists (as Cloudsplaining and PMapper use them), for the services a serverless stack touches. */
static const struct method methods[] = {
	{"CreateAccessKey", {"iam:CreateAccessKey"}},
	{"CreateLoginProfile", {"iam:CreateLoginProfile"}},
	{"UpdateLoginProfile", {"iam:UpdateLoginProfile"}},
	{"AddUserToGroup", {"iam:AddUserToGroup"}},
	{"CreateNewPolicyVersion", {"iam:CreatePolicyVersion"}},
	{"SetExistingDefaultPolicyVersion", {"iam:SetDefaultPolicyVersion"}},
	{"AttachRolePolicy", {"iam:AttachRolePolicy"}},
	{"PutRolePolicy", {"iam:PutRolePolicy"}},
	{"AttachUserPolicy", {"iam:AttachUserPolicy"}},
	{"PutUserPolicy", {"iam:PutUserPolicy"}},
	{"AttachGroupPolicy", {"iam:AttachGroupPolicy"}},
	{"PutGroupPolicy", {"iam:PutGroupPolicy"}},
	{"UpdateRolePolicyToAssumeIt", {"iam:UpdateAssumeRolePolicy"}},
	{"PassExistingRoleToNewLambdaThenInvoke", {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}},
	{"PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo", {"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}},
	{"PassExistingRoleToNewLambdaThenAddPermission", {"iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"}},
	{"PassExistingRoleToCloudFormation", {"iam:PassRole", "cloudformation:CreateStack"}},
	{"CreateEC2WithExistingIP", {"iam:PassRole", "ec2:RunInstances"}},
	{"PassExistingRoleToNewCodeBuildProject", {"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}},
	{"PassExistingRoleToNewGlueDevEndpoint", {"iam:PassRole", "glue:CreateDevEndpoint"}},
	{"PassExistingRoleToECSTask", {"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}},
	{"PassExistingRoleToSageMakerNotebook", {"iam:PassRole", "sagemaker:CreateNotebookInstance"}},
	{"EditExistingLambdaFunctionWithRole", {"lambda:UpdateFunctionCode"}},
	{"ExecuteCloudFormationChangeSet", {"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"}},
	{"ECSExecuteCommandOnRunningTask", {"ecs:ExecuteCommand"}},
	{"SSMSendCommand", {"ssm:SendCommand"}},
};

static void run_privesc(struct check_ctx *ctx)
{
	struct iam_stack *is = stack_view(ctx);
	for (size_t i = 0; i < is->nsubj; i++) {
		const struct iam_subject *sj = &is->subj[i];
		char found[512] = "";
		size_t nfound = 0;
		for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
			bool all = true;
			for (size_t k = 0; k < 4 && methods[m].actions[k] && all; k++)
				all = can(sj, is, methods[m].actions[k], probe_arn(is, methods[m].actions[k]));
			if (!all)
				continue;
			if (nfound++ < 4) {
				size_t len = strlen(found);
				snprintf(found + len, sizeof found - len, "%s%s", len ? ", " : "", methods[m].name);
			}
		}
		if (nfound)
			check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
				     "%s %s can escalate its privileges (%zu method%s: %s%s), counting all its policies together",
				     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, nfound, nfound == 1 ? "" : "s", found,
				     nfound > 4 ? ", ..." : "");
	}
}

/* ---- RMP-IAM-103: write or permissions management on every resource ---- */

struct level_ctx {
	const struct iam_subject *sj;
	const struct iam_stack *is;
	unsigned levels;
	char example[128];
};

static bool level_fn(const struct iam_action_info *a, void *arg)
{
	struct level_ctx *lc = arg;
	if (a->wildcard_only || !(a->levels & (IAM_LEVEL_WRITE | IAM_LEVEL_PERMISSIONS)))
		return true;
	unsigned want = a->levels & (IAM_LEVEL_WRITE | IAM_LEVEL_PERMISSIONS);
	if ((lc->levels & want) == want)
		return true;
	/* Allowed on a resource no grant names specifically: i.e. on "*" (or close to it). */
	if (can(lc->sj, lc->is, a->name, probe_arn((struct iam_stack *)lc->is, a->name))) {
		if (!lc->example[0] || ((a->levels & IAM_LEVEL_PERMISSIONS) && !(lc->levels & IAM_LEVEL_PERMISSIONS)))
			snprintf(lc->example, sizeof lc->example, "%s", a->name);
		lc->levels |= want;
	}
	return lc->levels != (IAM_LEVEL_WRITE | IAM_LEVEL_PERMISSIONS);
}

static void run_write_on_star(struct check_ctx *ctx)
{
	struct iam_stack *is = stack_view(ctx);
	static const char *services[] = {"iam:*", "dynamodb:*", "rds:*", "secretsmanager:*", "kms:*", "s3:*", "lambda:*",
					 "logs:*", "cloudtrail:*", "ec2:*"};
	for (size_t i = 0; i < is->nsubj; i++) {
		struct level_ctx lc = {&is->subj[i], is, 0, ""};
		for (size_t s = 0; s < sizeof services / sizeof *services; s++)
			iam_actions_matching(services[s], level_fn, &lc);
		if (!lc.levels)
			continue;
		const struct iam_subject *sj = &is->subj[i];
		check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
			     "%s %s is allowed %s actions on any resource (e.g. %s): scope them to the stack's own resources",
			     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id,
			     lc.levels & IAM_LEVEL_PERMISSIONS ? "permissions-management" : "write", lc.example);
	}
}

/* ---- RMP-IAM-104: one principal both uses and administers a data store ---- */

struct store_probe {
	const char *type, *use, *admin;
};

static const struct store_probe store_probes[] = {
	{"AWS::DynamoDB::Table", "dynamodb:GetItem", "dynamodb:DeleteTable"},
	{"AWS::DynamoDB::Table", "dynamodb:PutItem", "dynamodb:UpdateContinuousBackups"},
	{"AWS::RDS::DBCluster", "rds-data:ExecuteStatement", "rds:DeleteDBCluster"},
	{"AWS::SecretsManager::Secret", "secretsmanager:GetSecretValue", "secretsmanager:DeleteSecret"},
	{"AWS::KMS::Key", "kms:Decrypt", "kms:ScheduleKeyDeletion"},
	{"AWS::S3::Bucket", "s3:GetObject", "s3:DeleteBucket"},
};

static void run_separation(struct check_ctx *ctx)
{
	struct iam_stack *is = stack_view(ctx);
	struct stack *s = ctx->stack;
	for (size_t i = 0; i < is->nsubj; i++) {
		const struct iam_subject *sj = &is->subj[i];
		for (size_t k = 0; k < s->nres; k++) {
			const struct resource *store = &s->res[k];
			for (size_t p = 0; p < sizeof store_probes / sizeof *store_probes; p++) {
				if (strcmp(store->type, store_probes[p].type))
					continue;
				const char *arn = iam_stack_arn(is, store);
				const char *obj = !strcmp(store->type, "AWS::S3::Bucket") ? arena_printf(is->a, "%s/object", arn) : arn;
				if (can(sj, is, store_probes[p].use, obj) && can(sj, is, store_probes[p].admin, arn)) {
					check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
						     "%s %s both uses %s (%s) and can administer it (%s): give administration to a separate role",
						     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, store->id, store_probes[p].use,
						     store_probes[p].admin);
					break;
				}
			}
		}
	}
}

/* ---- RMP-IAM-105: destructive actions without MFA for people ---- */

/* Is this role assumed by people (an account or user principal) rather than a service? */
static bool human_role(const struct resource *r)
{
	const struct value *doc = val_get(r->props, "AssumeRolePolicyDocument");
	const struct value *st = val_get(doc, "Statement");
	size_t n = st && st->kind == VAL_LIST ? st->n : 1;
	for (size_t i = 0; i < n; i++) {
		const struct value *one = st && st->kind == VAL_LIST ? st->items[i] : st;
		const struct value *p = val_get(one, "Principal");
		if (val_get(p, "AWS") || val_get(p, "Federated") || val_equals(p, "*") == YES)
			return true;
	}
	return false;
}

static void run_mfa(struct check_ctx *ctx)
{
	struct iam_stack *is = stack_view(ctx);
	static const char *sensitive[] = {"dynamodb:DeleteTable", "kms:ScheduleKeyDeletion", "secretsmanager:DeleteSecret",
					  "rds:DeleteDBCluster", "iam:PutRolePolicy", "cloudtrail:StopLogging"};
	for (size_t i = 0; i < is->nsubj; i++) {
		const struct iam_subject *sj = &is->subj[i];
		if (sj->kind == SUBJ_ROLE && !human_role(sj->r))
			continue;
		for (size_t a = 0; a < sizeof sensitive / sizeof *sensitive; a++) {
			/* Allowed without MFA: the request says MFA is absent. */
			const char *no[] = {"false"};
			struct iam_context_entry ctxe[] = {{"aws:MultiFactorAuthPresent", no, 1}};
			struct iam_policy_set set = {sj->policies, sj->npolicies, NULL, sj->boundary, NULL, NULL, 0, NULL, 0};
			struct iam_request req = {sj->arn, sensitive[a], probe_arn(is, sensitive[a]), is->account, ctxe, 1, false};
			struct iam_result r;
			iam_evaluate(&set, &req, &r);
			if (r.decision != IAM_ALLOWED)
				continue;
			check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
				     "%s %s, used by people, may %s without multi-factor authentication", 
				     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, sensitive[a]);
			break;
		}
	}
}

const struct check checks_iam_access[] = {
	{
		.id = "RMP-IAM-101",
		.title = "No principal is effectively an administrator",
		.severity = SEV_CRITICAL,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = GDPR_LP, .fsbp = "IAM.1", .cis = "1.16", .checkov = "CKV_AWS_109,CKV_AWS_110", .kics = "", .cfn_nag = "F4,F6",
		.cdk_nag = "AwsSolutions-IAM4,AwsSolutions-IAM5", .coverage = "L14",
		.unknowns = "Decided by the IAM evaluator across all the principal's policies and its boundary; an Allow that needs request context (MFA, source IP) does not count. certain=false when a policy could not be read fully (an AWS managed policy rampart does not carry, an undecided Fn::If).",
		.remediation = "Grant the role only the actions its code calls, on the stack's own resources; never iam:Put*/Attach* on itself or iam:CreatePolicyVersion on '*'.",
		.snippet = "Policies:\n  - PolicyName: read-patients\n    PolicyDocument:\n      Version: '2012-10-17'\n      Statement:\n        - Effect: Allow\n          Action: [dynamodb:GetItem, dynamodb:Query]\n          Resource: !GetAtt PatientsTable.Arn",
		.run = run_effective_admin,
	},
	{
		.id = "RMP-IAM-102",
		.title = "No principal can escalate its own privileges",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = GDPR_LP, .fsbp = "", .cis = "", .checkov = "CKV_AWS_286,CKV_AWS_287,CKV_AWS_288,CKV_AWS_289", .kics = "", .cfn_nag = "",
		.cdk_nag = "", .coverage = "",
		.unknowns = "Each method's actions are evaluated together across all the principal's policies (not policy by policy), on resources no grant names specifically; conditions on request context are not assumed. certain=false when a policy could not be read fully.",
		.remediation = "Remove the escalation path: no iam:PassRole with lambda:CreateFunction / cloudformation:CreateStack / ec2:RunInstances, no iam:Create*/Put*/Attach* on other principals, no lambda:UpdateFunctionCode on functions with stronger roles.",
		.snippet = "- Effect: Allow\n  Action: iam:PassRole\n  Resource: !GetAtt WorkerRole.Arn\n  Condition:\n    StringEquals:\n      iam:PassedToService: lambda.amazonaws.com",
		.run = run_privesc,
	},
	{
		.id = "RMP-IAM-103",
		.title = "No write or permissions-management actions on every resource",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = GDPR_LP, .fsbp = "IAM.21", .cis = "", .checkov = "CKV_AWS_111,CKV_AWS_108", .kics = "", .cfn_nag = "W11,W12",
		.cdk_nag = "AwsSolutions-IAM5", .coverage = "",
		.unknowns = "Write and Permissions-management actions come from the IAM catalogue (iam-data); actions AWS allows only on '*' are not counted. certain=false when a policy could not be read fully.",
		.remediation = "Name the stack's own resources (!GetAtt Table.Arn, !Ref Secret) instead of '*' for every write and permissions-management action.",
		.snippet = "Resource:\n  - !GetAtt PatientsTable.Arn\n  - !Sub '${PatientsTable.Arn}/index/*'",
		.run = run_write_on_star,
	},
	{
		.id = "RMP-IAM-104",
		.title = "Using a data store and administering it are separate roles",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = "Art. 25,Art. 32", .fsbp = "", .cis = "", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "", .coverage = "",
		.unknowns = "Evaluated per store of the stack for a use action and an administrative action; conditions on request context are not assumed. certain=false when a policy could not be read fully.",
		.remediation = "Give the application role read/write on the store and keep deletion, backup settings, key deletion and resource policies to a separate administrator role with MFA.",
		.snippet = "- Effect: Allow\n  Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]\n  Resource: !GetAtt PatientsTable.Arn",
		.run = run_separation,
	},
	{
		.id = "RMP-IAM-105",
		.title = "People need MFA for destructive actions on data",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = "Art. 32", .fsbp = "IAM.19", .cis = "1.10", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "AwsSolutions-IAM4", .coverage = "",
		.unknowns = "Users and roles trusted by accounts, users or identity providers (not services) are evaluated with aws:MultiFactorAuthPresent=false; reported when a destructive action is still allowed. certain=false when a policy could not be read fully.",
		.remediation = "Add Condition: {Bool: {aws:MultiFactorAuthPresent: 'true'}} to statements that delete or re-key data, or deny them without MFA.",
		.snippet = "- Effect: Deny\n  Action: [dynamodb:DeleteTable, kms:ScheduleKeyDeletion, secretsmanager:DeleteSecret]\n  Resource: '*'\n  Condition:\n    BoolIfExists:\n      aws:MultiFactorAuthPresent: 'false'",
		.run = run_mfa,
	},
};
const size_t checks_iam_access_count = sizeof checks_iam_access / sizeof *checks_iam_access;
