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
 *
 * RMP-IAM-106..108 ask from outside: an unauthenticated caller, a principal
 * of an account no policy names, and each other account a trust, resource
 * or key policy names (its own account taken as allowing: only our side is
 * known), in discovery mode, so that a grant is judged by the conditions it
 * depends on (do they identify the caller?).  Grants the syntactic checks
 * of iam.c / encryption.c already report are left to them.
 */
#include "checks/catalogue.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "graph/graph.h"
#include "graph/relations.h"
#include "iam/catalogue.h"
#include "iam/condval.h"
#include "iam/principal.h"
#include "iam/stack_iam.h"
#include "load/load.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const GDPR_LP = "Art. 5(1)(f),Art. 25,Art. 32";

/* Evaluate one action for a subject against a resource ARN (no resource policy). */
static bool can(const struct iam_subject *sj, const struct iam_stack *is, const char *action, const char *arn)
{
	struct iam_policy_set set = {sj->policies, sj->npolicies, NULL, sj->boundary, NULL, NULL, 0, NULL, 0, NULL};
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

/* The stack's IAM view, built once per stack and shared by the checks of this file. */
static struct iam_stack *stack_view(struct check_ctx *ctx)
{
	if (ctx->stack->iam_view)
		return ctx->stack->iam_view;
	struct iam_stack *is = arena_alloc(ctx->stack->arena, sizeof *is);
	iam_stack_build(is, ctx->stack, NULL, NULL, ctx->stack->arena, NULL);
	ctx->stack->iam_view = is;
	return is;
}

/* The IAM view's subject for a role or user of the stack, or NULL. */
static const struct iam_subject *subject_of(const struct iam_stack *is, const struct resource *r)
{
	if (r < is->s->res || r >= is->s->res + is->s->nres)
		return NULL;
	size_t k = is->subj_of[r - is->s->res];
	return k < is->nsubj ? &is->subj[k] : NULL;
}

/* ---- RMP-IAM-101: effective administrator ---- */

static void effective_admin(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj)
		return;
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

static void privesc(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj)
		return;
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
	/* What every Lambda function needs (AWS's AWSLambdaBasicExecutionRole and
	 * AWSLambdaVPCAccessExecutionRole grant it on "*"): writing its own logs
	 * and managing its network interfaces.  Reporting it would flag every
	 * function of every stack. */
	static const char *const baseline[] = {"logs:createloggroup", "logs:createlogstream", "logs:putlogevents",
					       "ec2:createnetworkinterface", "ec2:deletenetworkinterface",
					       "ec2:assignprivateipaddresses", "ec2:unassignprivateipaddresses"};
	for (size_t i = 0; i < sizeof baseline / sizeof *baseline; i++)
		if (!strcmp(a->name, baseline[i]))
			return true;
	unsigned want = a->levels & (IAM_LEVEL_WRITE | IAM_LEVEL_PERMISSIONS);
	if ((lc->levels & want) == want)
		return true;
	/* Allowed on a resource no grant names specifically: i.e. on "*" (or close to it). */
	if (can(lc->sj, lc->is, a->name, probe_arn((struct iam_stack *)lc->is, a->name))) {
		if (!lc->example[0] || ((a->levels & IAM_LEVEL_PERMISSIONS) && !(lc->levels & IAM_LEVEL_PERMISSIONS)))
			snprintf(lc->example, sizeof lc->example, "%s", a->display);
		lc->levels |= want;
	}
	return lc->levels != (IAM_LEVEL_WRITE | IAM_LEVEL_PERMISSIONS);
}

/*
 * Could any identity Allow of the subject grant an action of this service
 * ("svc:*")?  Only a NotAction statement or an action pattern whose service
 * part matches can; otherwise every can() on the service is a denial, and
 * the service's actions need not be asked one by one.
 */
static bool may_allow_service(const struct iam_subject *sj, const char *service_pattern)
{
	char svc[64];
	size_t n = strcspn(service_pattern, ":");
	if (n >= sizeof svc)
		return true;
	memcpy(svc, service_pattern, n);
	svc[n] = '\0';
	for (size_t p = 0; p < sj->npolicies; p++) {
		const struct iam_policy *pol = sj->policies[p];
		for (size_t i = 0; pol && i < pol->n; i++) {
			const struct iam_statement *st = &pol->st[i];
			if (st->effect != IAM_ALLOW)
				continue;
			if (st->not_action)
				return true;
			for (size_t k = 0; k < st->nactions; k++) {
				char head[64];
				const char *a = st->actions[k];
				size_t m = strcspn(a, ":");
				if (!a[m] || m >= sizeof head)
					return true; /* "*", or a pattern we do not split: ask */
				memcpy(head, a, m);
				head[m] = '\0';
				if (iam_wildcard_match(head, svc, true))
					return true;
			}
		}
	}
	return false;
}

static void write_on_star(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	static const char *services[] = {"iam:*", "dynamodb:*", "rds:*", "secretsmanager:*", "kms:*", "s3:*", "lambda:*",
					 "logs:*", "cloudtrail:*", "ec2:*"};
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj)
		return;
	struct level_ctx lc = {sj, is, 0, ""};
	for (size_t s = 0; s < sizeof services / sizeof *services; s++)
		if (may_allow_service(sj, services[s]))
			iam_actions_matching(services[s], level_fn, &lc);
	if (!lc.levels)
		return;
	check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
		     "%s %s is allowed %s actions on any resource (e.g. %s): scope them to the stack's own resources",
		     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id,
		     lc.levels & IAM_LEVEL_PERMISSIONS ? "permissions-management" : "write", lc.example);
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

/* The stack resources a principal's policy statements name (Ref/GetAtt/Sub). */
struct named_ctx {
	struct strmap *set;
};

static void named_add(const char *id, void *arg)
{
	struct named_ctx *nc = arg;
	strmap_put(nc->set, id, (void *)1);
}

static void named_statement(const struct rel_statement *st, void *arg)
{
	graph_each_ref(st->stmt, named_add, arg);
}

/*
 * Per principal, stores are examined only if its policies could reach them:
 * a grant on a stand-in of the store's type (a wildcard grant reaches every
 * store of that type: one finding for all of them), or a store its
 * statements name.  Checking every principal against every store would be
 * quadratic in large stacks.
 */
static void separation(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	struct stack *s = ctx->stack;
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj)
		return;
	const char *who = sj->kind == SUBJ_ROLE ? "role" : "user";
	struct strmap named;
	strmap_init(&named, is->a);
	struct named_ctx nc = {&named};
	rel_principal_statements(s, sj->r, named_statement, &nc);
	const char *reported_type = NULL; /* one "every store of the type" finding per type */
	for (size_t p = 0; p < sizeof store_probes / sizeof *store_probes; p++) {
		const struct store_probe *pr = &store_probes[p];
		if (reported_type && !strcmp(reported_type, pr->type))
			continue;
		/* A grant on every store of the type? */
		const char *stand_in = probe_arn(is, pr->use);
		const char *stand_obj = strstr(pr->type, "S3") ? "arn:aws:s3:::rampart-probe/object" : stand_in;
		if (can(sj, is, pr->use, stand_obj) && can(sj, is, pr->admin, stand_in)) {
			size_t n = 0;
			const struct resource *first = NULL;
			for (size_t k = 0; k < s->nres; k++)
				if (!strcmp(s->res[k].type, pr->type)) {
					n++;
					if (!first)
						first = &s->res[k];
				}
			if (n) {
				check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
					     "%s %s both uses every %s of the stack (%zu, e.g. %s: %s) and can administer it (%s): "
					     "give administration to a separate role",
					     who, sj->r->id, pr->type, n, first->id, pr->use, pr->admin);
				reported_type = pr->type;
			}
			continue;
		}
		for (size_t k = 0; k < named.cap; k++) {
			if (!named.slots[k].key || named.slots[k].val == (void *)2)
				continue;
			const struct resource *store = stack_find(s, named.slots[k].key);
			if (!store || strcmp(store->type, pr->type))
				continue;
			const char *arn = iam_stack_arn(is, store);
			const char *obj = !strcmp(store->type, "AWS::S3::Bucket") ? arena_printf(is->a, "%s/object", arn) : arn;
			if (can(sj, is, pr->use, obj) && can(sj, is, pr->admin, arn)) {
				check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
					     "%s %s both uses %s (%s) and can administer it (%s): give administration to a separate role",
					     who, sj->r->id, store->id, pr->use, pr->admin);
				named.slots[k].val = (void *)2; /* one finding per store */
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

static void mfa(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	static const char *sensitive[] = {"dynamodb:DeleteTable", "kms:ScheduleKeyDeletion", "secretsmanager:DeleteSecret",
					  "rds:DeleteDBCluster", "iam:PutRolePolicy", "cloudtrail:StopLogging"};
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj || (sj->kind == SUBJ_ROLE && !human_role(sj->r)))
		return;
	for (size_t a = 0; a < sizeof sensitive / sizeof *sensitive; a++) {
		/* Allowed without MFA: the request says MFA is absent. */
		const char *no[] = {"false"};
		struct iam_context_entry ctxe[] = {{"aws:MultiFactorAuthPresent", no, 1}};
		struct iam_policy_set set = {sj->policies, sj->npolicies, NULL, sj->boundary, NULL, NULL, 0, NULL, 0, NULL};
		struct iam_request req = {sj->arn, sensitive[a], probe_arn(is, sensitive[a]), is->account, ctxe, 1, false};
		struct iam_result res;
		iam_evaluate(&set, &req, &res);
		if (res.decision != IAM_ALLOWED)
			continue;
		check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
			     "%s %s, used by people, may %s without multi-factor authentication",
			     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, sensitive[a]);
		break;
	}
}

/* ---- shared by RMP-IAM-106..108: callers from outside the stack ---- */

/* An account no policy of the stack can name: "any other AWS account". */
#define OUTSIDER_ACCOUNT "999999999999"

/* Condition keys that say who the caller is (or on whose behalf a service
 * calls), or confine it to a network of the owner's (a VPC endpoint, an
 * address range). */
static bool identifying_key(const char *key)
{
	static const char *keys[] = {
		"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
		"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner",
		"aws:userid", "aws:username", "aws:principalservicename", "aws:principalisawsservice",
		"kms:calleraccount", "sts:externalid", "aws:federatedprovider", "aws:sourcevpce", "aws:sourcevpc",
		"aws:sourceip",
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/*
 * Does a condition limit who the caller is?  A positive operator (not
 * IfExists, not ForAllValues, which both hold when the key is absent) on an
 * identifying key, with some value other than "*".
 */
static bool condition_identifies(const struct iam_condition *c)
{
	if (c->negated || c->if_exists || c->op == OP_NULL || c->quant == Q_FOR_ALL || !identifying_key(c->key))
		return false;
	if (!strcmp(c->key, "aws:sourceip") && c->op != OP_IP_ADDRESS)
		return false;
	if (c->op == OP_IP_ADDRESS && iam_ip_values_whole_family(c))
		return false; /* the whole IPv4 or IPv6 internet: 0.0.0.0/0, or 0.0.0.0/1 with 128.0.0.0/1 */
	for (size_t i = 0; i < c->nvalues; i++) {
		if (c->op == OP_BOOL && strcasecmp(c->values[i], "true"))
			continue;
		if (strcmp(c->values[i], "*"))
			return true;
	}
	return false;
}

/* Their own account lets its principals do anything: only our side decides (E10).  Parsed once per
 * check and stack (ctx->memo). */
static const struct iam_policy *their_account(struct check_ctx *ctx, struct iam_stack *is)
{
	if (ctx->memo)
		return ctx->memo;
	static const char allow_all[] =
		"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
	struct diags d = {0};
	struct node *n = load_buffer("their-account", allow_all, sizeof allow_all - 1, is->a, &d);
	const struct iam_policy *p = n ? iam_policy_parse(n, "their-account", IAM_IDENTITY, is->a, &d) : NULL;
	diags_free(&d);
	ctx->memo = (void *)p;
	return p;
}

/* What an outside caller gets from a resource, trust or key policy. */
struct outside {
	bool allowed;
	bool limited;    /* only under a condition that identifies the caller */
	bool star_plain; /* through a Principal "*" statement without any Condition */
	bool star;       /* through a Principal "*" statement */
	char conds[256]; /* the conditions it depends on, rendered */
};

static void render_cond(char *out, size_t size, const struct iam_condition *c)
{
	size_t at = strlen(out);
	if (at + 1 >= size)
		return;
	snprintf(out + at, size - at, "%s%s%s %s %s", at ? "; " : "",
		 c->quant == Q_FOR_ALL ? "ForAllValues:" : c->quant == Q_FOR_ANY ? "ForAnyValue:" : "", iam_op_name(c->op),
		 c->key_written ? c->key_written : c->key, c->nvalues ? c->values[0] : "");
}

static bool has_star(const struct iam_statement *st)
{
	for (size_t i = 0; i < st->nprincipals && !st->not_principal; i++)
		if (st->principals[i].t == PT_STAR)
			return true;
	return false;
}

static void ask_outside(struct iam_stack *is, const struct iam_policy *rp, const struct iam_policy *theirs,
			const char *principal, const char *action, const char *arn, struct outside *o)
{
	memset(o, 0, sizeof *o);
	const struct iam_policy *ids[1] = {theirs};
	bool anonymous = !strcmp(principal, "anonymous");
	struct iam_policy_set set = {ids, anonymous || !theirs ? 0 : 1, rp, NULL, NULL, NULL, 0, NULL, 0, NULL};
	struct iam_request req = {principal, action, arn, is->account, NULL, 0, true};
	struct iam_result r;
	iam_evaluate(&set, &req, &r);
	if (r.decision != IAM_ALLOWED)
		return;
	o->allowed = true;
	for (size_t i = 0; i < r.nmatched; i++) {
		const struct iam_statement *st = r.matched[i].st;
		if (r.matched[i].policy != rp || st->effect != IAM_ALLOW || !has_star(st))
			continue;
		o->star = true;
		o->star_plain |= st->nconds == 0;
	}
	for (size_t i = 0; i < r.nassumed; i++) {
		o->limited |= condition_identifies(r.assumed[i]);
		render_cond(o->conds, sizeof o->conds, r.assumed[i]);
	}
}

/* A caller of another account the policy names: a session in it (or the user it names). */
static const char *named_caller(struct iam_stack *is, const struct iam_principal *p)
{
	const struct iam_principal_info *in = p->info;
	if (p->t != PT_AWS || !in || !in->account[0] || strchr(in->account, '*') || !strcmp(in->account, is->account))
		return NULL;
	if (in->kind == P_USER || in->kind == P_SESSION)
		return p->id;
	return arena_printf(is->a, "arn:aws:sts::%s:assumed-role/%s/rampart", in->account,
			    in->kind == P_ROLE ? in->role_name : "rampart-outsider");
}

/* The other accounts an Allow of the policy names (at most max), with a caller for each. */
static size_t named_accounts(struct iam_stack *is, const struct iam_policy *rp, const char **acct, const char **caller,
			     size_t max)
{
	size_t n = 0;
	for (size_t i = 0; rp && i < rp->n; i++) {
		const struct iam_statement *st = &rp->st[i];
		if (st->effect != IAM_ALLOW || st->not_principal)
			continue;
		for (size_t k = 0; k < st->nprincipals; k++) {
			const char *c = named_caller(is, &st->principals[k]);
			if (!c)
				continue;
			const char *a = st->principals[k].info->account;
			size_t j;
			for (j = 0; j < n && strcmp(acct[j], a); j++)
				;
			if (j < n || n == max)
				continue;
			acct[n] = a;
			caller[n++] = c;
		}
	}
	return n;
}

/* ---- RMP-IAM-106: trust policies and other accounts ---- */

static void trust_outside(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	const struct iam_subject *sj = subject_of(is, r);
	if (!sj || sj->kind != SUBJ_ROLE)
		return;
	const struct iam_policy *theirs = their_account(ctx, is);
	const struct iam_policy *tp = iam_stack_trust_policy(is, sj->r);
	if (!tp)
		return;
	const char *role_arn = iam_stack_arn(is, sj->r);
	/* Named accounts: sts:ExternalId (or the organization) must be required. */
	const char *acct[8], *caller[8];
	size_t na = named_accounts(is, tp, acct, caller, 8);
	for (size_t k = 0; k < na; k++) {
		struct outside o;
		ask_outside(is, tp, theirs, caller[k], "sts:AssumeRole", role_arn, &o);
		if (!o.allowed || o.limited || o.star)
			continue;
		check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
			     "role %s can be assumed from account %s without an sts:ExternalId condition%s%s%s",
			     sj->r->id, acct[k], o.conds[0] ? " (its conditions: " : "", o.conds,
			     o.conds[0] ? ")" : "");
	}
	/* Anyone: Principal "*" whose conditions do not say who the caller is.
	 * Without any condition it is RMP-IAM-006's. */
	struct outside o;
	ask_outside(is, tp, theirs, "arn:aws:sts::" OUTSIDER_ACCOUNT ":assumed-role/rampart-outsider/rampart",
		    "sts:AssumeRole", role_arn, &o);
	if (o.allowed && !o.limited && !o.star_plain)
		check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
			     "role %s can be assumed by a principal of any AWS account: its trust policy's conditions "
			     "do not identify the caller%s%s%s",
			     sj->r->id, o.conds[0] ? " (" : "", o.conds, o.conds[0] ? ")" : "");
}

/* ---- RMP-IAM-107: bulk reads of personal data by people and other non-application principals ---- */

/*
 * A role the application runs as: one a function of the stack uses, or one
 * only AWS services can assume (a function's role defined here and used
 * elsewhere, an RDS proxy reading its database secret, CloudTrail writing
 * with a key).  Roles that accounts, users, identity providers or "*" can
 * assume are people's or outsiders', and so are IAM users.
 */
static bool application_role(struct iam_stack *is, const struct iam_subject *sj)
{
	if (sj->kind != SUBJ_ROLE)
		return false;
	if (sj->nfunctions)
		return true;
	const struct iam_policy *tp = iam_stack_trust_policy(is, sj->r);
	bool service = false;
	for (size_t i = 0; tp && i < tp->n; i++) {
		const struct iam_statement *st = &tp->st[i];
		if (st->effect != IAM_ALLOW)
			continue;
		if (st->not_principal)
			return false;
		for (size_t k = 0; k < st->nprincipals; k++) {
			if (st->principals[k].t != PT_SERVICE)
				return false;
			service = true;
		}
	}
	return service;
}

struct exfil_probe {
	const char *type, *action, *what;
};

static const struct exfil_probe exfil_probes[] = {
	{"AWS::DynamoDB::Table", "dynamodb:Scan", "table"},
	{"AWS::DynamoDB::Table", "dynamodb:ExportTableToPointInTime", "table"},
	{"AWS::RDS::DBCluster", "rds-data:ExecuteStatement", "database"},
	{"AWS::RDS::DBCluster", "rds-db:connect", "database"},
	{"AWS::RDS::DBInstance", "rds-db:connect", "database"},
	{"AWS::SecretsManager::Secret", "secretsmanager:GetSecretValue", "secret"},
	{"AWS::KMS::Key", "kms:Decrypt", "key"},
	{"AWS::Lambda::Function", "lambda:GetFunction", "function"},
};

/* The resource an exfiltration action is asked on: rds-db:connect names a database user. */
static const char *exfil_arn(struct iam_stack *is, const struct resource *r, const char *action)
{
	if (!strcmp(action, "rds-db:connect"))
		return arena_printf(is->a, "arn:aws:rds-db:%s:%s:dbuser:%s/rampart-probe", is->region, is->account,
				    iam_stack_ref(is, r, !strcmp(r->type, "AWS::RDS::DBCluster") ? "DBClusterResourceId"
												  : "DbiResourceId"));
	return iam_stack_arn(is, r);
}

/* The subjects RMP-IAM-107 asks about: people's and outsiders' principals (usually few). */
struct people {
	size_t *who; /* indexes into the view's subjects */
	size_t n;
};

/* Found once per stack, at the first store (ctx->memo). */
static const struct people *people_of(struct check_ctx *ctx, struct iam_stack *is)
{
	if (ctx->memo)
		return ctx->memo;
	struct people *pp = arena_alloc(is->a, sizeof *pp);
	pp->who = arena_array(is->a, is->nsubj ? is->nsubj : 1, sizeof *pp->who);
	for (size_t i = 0; i < is->nsubj; i++)
		if (!application_role(is, &is->subj[i]))
			pp->who[pp->n++] = i;
	ctx->memo = pp;
	return pp;
}

static void exfiltration(struct check_ctx *ctx, const struct resource *store)
{
	struct iam_stack *is = stack_view(ctx);
	const struct people *pp = people_of(ctx, is);
	if (!pp->n)
		return;
	size_t first = SIZE_MAX, last = 0;
	for (size_t p = 0; p < sizeof exfil_probes / sizeof *exfil_probes; p++)
		if (!strcmp(exfil_probes[p].type, store->type)) {
			if (first == SIZE_MAX)
				first = p;
			last = p;
		}
	if (first == SIZE_MAX)
		return;
	const struct iam_policy *rp = iam_stack_resource_policy(is, store, NULL);
	const char *arns[sizeof exfil_probes / sizeof *exfil_probes];
	for (size_t p = first; p <= last; p++)
		arns[p] = exfil_arn(is, store, exfil_probes[p].action);
	for (size_t w = 0; w < pp->n; w++) {
		const struct iam_subject *sj = &is->subj[pp->who[w]];
		char acts[256] = "", conds[256] = "";
		const char *what = NULL;
		for (size_t p = first; p <= last; p++) {
			if (strcmp(exfil_probes[p].type, store->type))
				continue;
			struct iam_policy_set set = {sj->policies, sj->npolicies, rp, sj->boundary, NULL, NULL, 0, NULL, 0, NULL};
			struct iam_request req = {sj->arn, exfil_probes[p].action, arns[p], is->account, NULL, 0, true};
			struct iam_result r;
			iam_evaluate(&set, &req, &r);
			if (r.decision != IAM_ALLOWED)
				continue;
			what = exfil_probes[p].what;
			size_t at = strlen(acts);
			snprintf(acts + at, sizeof acts - at, "%s%s", at ? ", " : "", exfil_probes[p].action);
			for (size_t c = 0; c < r.nassumed; c++)
				if (!strstr(conds, r.assumed[c]->key_written ? r.assumed[c]->key_written : r.assumed[c]->key))
					render_cond(conds, sizeof conds, r.assumed[c]);
		}
		if (!what)
			continue;
		check_report(ctx, sj->r, sj->r->pos, !sj->uncertain,
			     "%s %s, which people or other accounts use, can bulk-read or expose the secrets of %s %s: "
			     "%s%s%s%s",
			     sj->kind == SUBJ_ROLE ? "role" : "user", sj->r->id, what, store->id, acts,
			     conds[0] ? " (if " : "", conds, conds[0] ? ")" : "");
	}
}

/* ---- RMP-IAM-108: resource policies open to anyone or to other accounts ---- */

/* What a syntactic check already reports about Principal "*" statements of a policy. */
enum star_rule {
	STAR_OURS,  /* nothing: every "*" grant is reported here */
	STAR_PLAIN, /* an Allow to "*" without a Condition (RMP-DDB-011, RMP-SM-004, RMP-LMB-008) */
	STAR_ANY,   /* any Allow to "*", conditions judged too (RMP-KMS-002) */
};

struct open_probe {
	const char *type;
	enum star_rule star;
	const char *actions[4];
};

static const struct open_probe open_probes[] = {
	{"AWS::DynamoDB::Table", STAR_PLAIN, {"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:PutItem", "dynamodb:ExportTableToPointInTime"}},
	{"AWS::SecretsManager::Secret", STAR_PLAIN, {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:PutResourcePolicy"}},
	{"AWS::KMS::Key", STAR_ANY, {"kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"}},
	{"AWS::Lambda::Function", STAR_PLAIN, {"lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:GetFunction", "lambda:UpdateFunctionCode"}},
	{"AWS::ApiGateway::RestApi", STAR_OURS, {"execute-api:Invoke"}},
};

/* The ARN an action is asked on: an API's methods are below its execute-api ARN. */
static const char *open_arn(struct iam_stack *is, const struct resource *r)
{
	if (!strcmp(r->type, "AWS::ApiGateway::RestApi"))
		return arena_printf(is->a, "%s/rampart-stage/GET/rampart-probe", iam_stack_execute_api_arn(is, r));
	return iam_stack_arn(is, r);
}

static void open_resource_policies(struct check_ctx *ctx, const struct resource *r)
{
	struct iam_stack *is = stack_view(ctx);
	const struct open_probe *pr = NULL;
	for (size_t p = 0; p < sizeof open_probes / sizeof *open_probes && !pr; p++)
		if (!strcmp(open_probes[p].type, r->type))
			pr = &open_probes[p];
	if (!pr)
		return;
	const struct iam_policy *rp = iam_stack_resource_policy(is, r, NULL);
	if (!rp)
		return;
	const struct iam_policy *theirs = their_account(ctx, is);
	const char *arn = open_arn(is, r);
	bool certain = r->deployed == YES;
	/* Anyone: anonymous callers, and principals of an account nobody named,
	 * less what the syntactic checks report (enum star_rule). */
	static const char *const anyone[] = {"anonymous",
					     "arn:aws:sts::" OUTSIDER_ACCOUNT ":assumed-role/rampart-outsider/rampart"};
	for (size_t w = 0; w < 2; w++) {
		char acts[256] = "", conds[256] = "";
		for (size_t a = 0; a < 4 && pr->actions[a]; a++) {
			struct outside o;
			ask_outside(is, rp, theirs, anyone[w], pr->actions[a], arn, &o);
			if (!o.allowed || o.limited || (pr->star == STAR_PLAIN && o.star_plain) ||
			    (pr->star == STAR_ANY && o.star))
				continue;
			size_t at = strlen(acts);
			snprintf(acts + at, sizeof acts - at, "%s%s", at ? ", " : "", pr->actions[a]);
			if (o.conds[0] && !conds[0])
				snprintf(conds, sizeof conds, "%s", o.conds);
		}
		if (!acts[0])
			continue;
		check_report_severity(ctx, r, r->pos, certain, SEV_CRITICAL,
				      "the resource policy of %s lets %s call %s%s%s%s", r->id,
				      w == 0 ? "anyone, unauthenticated," : "principals of any AWS account", acts,
				      conds[0] ? " (its conditions do not identify the caller: " : "", conds,
				      conds[0] ? ")" : "");
		break; /* anonymous access implies the rest */
	}
	/* Other accounts the policy names. */
	const char *acct[8], *caller[8];
	size_t na = named_accounts(is, rp, acct, caller, 8);
	for (size_t n = 0; n < na; n++) {
		char acts[256] = "";
		for (size_t a = 0; a < 4 && pr->actions[a]; a++) {
			struct outside o;
			ask_outside(is, rp, theirs, caller[n], pr->actions[a], arn, &o);
			if (!o.allowed)
				continue;
			size_t at = strlen(acts);
			snprintf(acts + at, sizeof acts - at, "%s%s", at ? ", " : "", pr->actions[a]);
		}
		if (acts[0])
			check_report_severity(ctx, r, r->pos, certain, SEV_MEDIUM,
					      "the resource policy of %s lets account %s call %s: check that this account "
					      "is meant to reach it",
					      r->id, acct[n], acts);
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
		.cdk_nag = "AwsSolutions-IAM4,AwsSolutions-IAM5", .kics_tf = "", .trivy = "", .guard = "", .coverage = "L14",
		.unknowns = "Decided by the IAM evaluator across all the principal's policies and its boundary; an Allow that needs request context (MFA, source IP) does not count. certain=false when a policy could not be read fully (an AWS managed policy rampart does not carry, an undecided Fn::If).",
		.remediation = "Grant the role only the actions its code calls, on the stack's own resources; never iam:Put*/Attach* on itself or iam:CreatePolicyVersion on '*'.",
		.snippet = "Policies:\n  - PolicyName: read-patients\n    PolicyDocument:\n      Version: '2012-10-17'\n      Statement:\n        - Effect: Allow\n          Action: [dynamodb:GetItem, dynamodb:Query]\n          Resource: !GetAtt PatientsTable.Arn",
		.each = effective_admin,
	},
	{
		.id = "RMP-IAM-102",
		.title = "No principal can escalate its own privileges",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = GDPR_LP, .fsbp = "", .cis = "", .checkov = "CKV_AWS_286,CKV_AWS_287,CKV_AWS_288,CKV_AWS_289", .kics = "", .cfn_nag = "",
		.cdk_nag = "", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "Each method's actions are evaluated together across all the principal's policies (not policy by policy), on resources no grant names specifically; conditions on request context are not assumed. certain=false when a policy could not be read fully.",
		.remediation = "Remove the escalation path: no iam:PassRole with lambda:CreateFunction / cloudformation:CreateStack / ec2:RunInstances, no iam:Create*/Put*/Attach* on other principals, no lambda:UpdateFunctionCode on functions with stronger roles.",
		.snippet = "- Effect: Allow\n  Action: iam:PassRole\n  Resource: !GetAtt WorkerRole.Arn\n  Condition:\n    StringEquals:\n      iam:PassedToService: lambda.amazonaws.com",
		.each = privesc,
	},
	{
		.id = "RMP-IAM-103",
		.title = "No write or permissions-management actions on every resource",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = GDPR_LP, .fsbp = "IAM.21", .cis = "", .checkov = "CKV_AWS_111,CKV_AWS_108", .kics = "", .cfn_nag = "W11,W12",
		.cdk_nag = "AwsSolutions-IAM5", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "Write and Permissions-management actions come from the IAM catalogue (iam-data); actions AWS allows only on '*' are not counted. certain=false when a policy could not be read fully.",
		.remediation = "Name the stack's own resources (!GetAtt Table.Arn, !Ref Secret) instead of '*' for every write and permissions-management action.",
		.snippet = "Resource:\n  - !GetAtt PatientsTable.Arn\n  - !Sub '${PatientsTable.Arn}/index/*'",
		.each = write_on_star,
	},
	{
		.id = "RMP-IAM-104",
		.title = "Using a data store and administering it are separate roles",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = "Art. 25,Art. 32", .fsbp = "", .cis = "", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "Evaluated per store of the stack for a use action and an administrative action; conditions on request context are not assumed. certain=false when a policy could not be read fully.",
		.remediation = "Give the application role read/write on the store and keep deletion, backup settings, key deletion and resource policies to a separate administrator role with MFA.",
		.snippet = "- Effect: Allow\n  Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]\n  Resource: !GetAtt PatientsTable.Arn",
		.each = separation,
	},
	{
		.id = "RMP-IAM-105",
		.title = "People need MFA for destructive actions on data",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = "Art. 32", .fsbp = "IAM.19", .cis = "1.10", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "AwsSolutions-IAM4", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "Users and roles trusted by accounts, users or identity providers (not services) are evaluated with aws:MultiFactorAuthPresent=false; reported when a destructive action is still allowed. certain=false when a policy could not be read fully.",
		.remediation = "Add Condition: {Bool: {aws:MultiFactorAuthPresent: 'true'}} to statements that delete or re-key data, or deny them without MFA.",
		.snippet = "- Effect: Deny\n  Action: [dynamodb:DeleteTable, kms:ScheduleKeyDeletion, secretsmanager:DeleteSecret]\n  Resource: '*'\n  Condition:\n    BoolIfExists:\n      aws:MultiFactorAuthPresent: 'false'",
		.each = mfa,
	},
	{
		.id = "RMP-IAM-106",
		.title = "Other accounts assume roles only with sts:ExternalId, and no one assumes them under conditions that do not identify the caller",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role",
		.gdpr = GDPR_LP, .fsbp = "", .cis = "", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "The trust policy is evaluated by the IAM evaluator for sts:AssumeRole by a session in each other account it names "
			    "(their own account taken as allowing) and by a principal of an unnamed account. Reported when allowed "
			    "without a condition on sts:ExternalId, aws:PrincipalOrgID/OrgPaths, aws:PrincipalAccount/Arn or "
			    "aws:SourceAccount/Arn; a Principal \"*\" statement with no Condition at all is RMP-IAM-006's. "
			    "certain=false when the role's policies could not be read fully.",
		.remediation = "For a third party's account, require the external ID it was given; for your own accounts, "
			       "require aws:PrincipalOrgID; never trust \"*\" with only transport, MFA or time conditions.",
		.snippet = "- Effect: Allow\n  Principal: {AWS: 'arn:aws:iam::444455556666:root'}\n  Action: sts:AssumeRole\n"
			   "  Condition:\n    StringEquals:\n      sts:ExternalId: !Ref PartnerExternalId\n",
		.each = trust_outside,
	},
	{
		.id = "RMP-IAM-107",
		.title = "Only the application's function roles can read personal-data stores in bulk or read their credentials",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = "AWS::DynamoDB::Table,AWS::RDS::DBCluster,AWS::RDS::DBInstance,"
				  "AWS::SecretsManager::Secret,AWS::KMS::Key,AWS::Lambda::Function",
		.related_types = "AWS::IAM::Role,AWS::IAM::User",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32", .fsbp = "", .cis = "", .checkov = "", .kics = "", .cfn_nag = "", .cdk_nag = "", .kics_tf = "", .trivy = "", .guard = "",
		.coverage = "",
		.unknowns = "Every table, database, secret, KMS key and function of the stack is taken to hold or guard personal "
			    "data. Each IAM user, and each role that no function of the stack runs as and that more than AWS "
			    "services can assume (accounts, users, identity providers, \"*\"), is evaluated for dynamodb:Scan, dynamodb:ExportTableToPointInTime, rds-data:ExecuteStatement, "
			    "rds-db:connect, secretsmanager:GetSecretValue, kms:Decrypt and lambda:GetFunction, with the store's "
			    "resource or key policy; an Allow that needs request context (MFA, source IP) still counts, and the "
			    "finding names the conditions. certain=false when a policy could not be read fully.",
		.remediation = "Give people and administrative roles metadata and management actions only; bulk reads, exports, "
			       "secret values and decryption belong to the function roles that need them (use break-glass roles "
			       "with MFA and alerting for the rest).",
		.snippet = "- Effect: Deny\n  Action: [dynamodb:Scan, dynamodb:ExportTableToPointInTime, kms:Decrypt,\n"
			   "           secretsmanager:GetSecretValue, lambda:GetFunction]\n  Resource: '*'\n",
		.each = exfiltration,
	},
	{
		.id = "RMP-IAM-108",
		.title = "Resource and key policies do not open data stores, functions or APIs to anyone or to other accounts",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = "AWS::DynamoDB::Table,AWS::SecretsManager::Secret,AWS::KMS::Key,"
				  "AWS::Lambda::Function,AWS::ApiGateway::RestApi",
		.related_types = "AWS::SecretsManager::ResourcePolicy,AWS::Lambda::Permission",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32", .fsbp = "Lambda.1,KMS.5", .cis = "", .checkov = "", .kics = "", .cfn_nag = "",
		.cdk_nag = "", .kics_tf = "", .trivy = "", .guard = "", .coverage = "",
		.unknowns = "The resource policy (DynamoDB ResourcePolicy, AWS::SecretsManager::ResourcePolicy, KeyPolicy, the "
			    "function's AWS::Lambda::Permission resources, the RestApi Policy) is evaluated for an unauthenticated "
			    "caller, for a principal of an account nobody named and for each account it names (their own account "
			    "taken as allowing). Critical when allowed to anyone without a condition that identifies the caller; "
			    "a Principal \"*\" statement with no Condition (any \"*\" for keys) is left to RMP-LMB-008, "
			    "RMP-DDB-011, RMP-SM-004 and RMP-KMS-002. Medium for each named other account. certain=false when "
			    "the resource is deployed only under an undecided condition.",
		.remediation = "Name the accounts and roles that need access and limit \"*\" with aws:PrincipalOrgID, "
			       "aws:SourceArn or aws:SourceAccount; put public HTTP access behind an authorizer.",
		.snippet = "- Effect: Allow\n  Principal: '*'\n  Action: dynamodb:GetItem\n  Resource: '*'\n  Condition:\n"
			   "    StringEquals:\n      aws:PrincipalOrgID: o-exampleorgid\n",
		.each = open_resource_policies,
	},
};
const size_t checks_iam_access_count = sizeof checks_iam_access / sizeof *checks_iam_access;
