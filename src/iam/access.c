/*
 * access.c - who can reach what, from templates (see access.h).
 *
 * who-can evaluates the request for every role and user of a template
 * (functions answer through their roles), then for every principal the
 * resource's own policy names that is not the stack's: services, other
 * accounts, anyone.  Another account's identity policies are its own
 * business, so they are taken as allowing: the resource side is what the
 * template decides.  can evaluates a fixed set of probes per data store.
 * Every request is evaluated in discovery mode, so conditions on context
 * the template cannot know come back as conditions, not denials.
 */
#include "iam/access.h"

#include "core/arena.h"
#include "core/xalloc.h"
#include "iam/stack_iam.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

/* Call fn for one evaluated grant. */
static void grant(iam_grant_fn fn, void *arg, const char *file, const char *principal, const char *kind,
		  const char *const *via, size_t nvia, const struct iam_result *r, bool certain, const char *why)
{
	struct iam_grant g = {file, principal, kind, via, nvia, r, certain, why};
	fn(&g, arg);
}

/* Another account's identity side: allow everything (its account decides). */
static const struct iam_policy *their_account_policy(struct arena *a)
{
	static const char allow_all[] =
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
	struct diags d = {0};
	struct node *n = load_buffer("their-account", allow_all, strlen(allow_all), a, &d);
	const struct iam_policy *theirs = iam_policy_parse(n, "their-account", IAM_IDENTITY, a, &d);
	diags_free(&d);
	return theirs;
}

/* Principals the resource policy names directly: services, other accounts, anyone. */
static void who_can_by_resource_policy(struct iam_stack *is, const struct iam_policy *rp, const char *file,
				       const char *action, const char *arn, iam_grant_fn fn, void *arg)
{
	for (size_t i = 0; i < rp->n; i++) {
		const struct iam_statement *st = &rp->st[i];
		if (st->effect != IAM_ALLOW || st->not_principal)
			continue;
		for (size_t k = 0; k < st->nprincipals; k++) {
			const struct iam_principal *p = &st->principals[k];
			const char *who = NULL, *kind = NULL;
			if (!strcmp(p->type, "*") || !strcmp(p->id, "*")) {
				who = "anonymous";
				kind = "anonymous";
			} else if (!strcmp(p->type, "Service")) {
				who = p->id;
				kind = "service";
			} else if (!strcmp(p->type, "AWS") && !strstr(p->id, is->account)) {
				who = p->id;
				kind = strstr(p->id, ":role/") ? "role" : strstr(p->id, ":user/") ? "user" : "account";
			} else {
				continue; /* the stack's own principals were evaluated by the caller */
			}
			const struct iam_policy *ids[1] = {their_account_policy(is->a)};
			const char *principal = who;
			if (!strcmp(kind, "account"))
				principal = strncmp(p->id, "arn:", 4) ? arena_printf(is->a, "arn:aws:iam::%s:root", p->id) : p->id;
			struct iam_policy_set set = {ids, !strcmp(kind, "service") || !strcmp(kind, "anonymous") ? 0 : 1, rp,
						     NULL, NULL, NULL, 0, NULL, 0, NULL};
			struct iam_request req = {principal, action, arn, is->account, NULL, 0, true};
			struct iam_result r;
			iam_evaluate(&set, &req, &r);
			if (r.decision == IAM_ALLOWED)
				grant(fn, arg, file, who, kind, NULL, 0, &r, true, NULL);
		}
	}
}

static void who_can_stack(struct iam_loaded_stack *ls, const char *action, const char *resource, iam_grant_fn fn,
			  void *arg)
{
	struct iam_stack *is = &ls->is;
	const struct resource *target = stack_find(ls->s, resource);
	const char *arn = target ? iam_stack_arn(is, target) : resource;
	const struct iam_policy *rp = target ? iam_stack_resource_policy(is, target, NULL) : NULL;
	const char *file = ls->s->file;
	for (size_t i = 0; i < is->nsubj; i++) {
		const struct iam_subject *sj = &is->subj[i];
		struct iam_policy_set set = {sj->policies, sj->npolicies, rp, sj->boundary, NULL, NULL, 0, NULL, 0, NULL};
		struct iam_request req = {sj->arn, action, arn, is->account, NULL, 0, true};
		struct iam_result r;
		iam_evaluate(&set, &req, &r);
		if (r.decision != IAM_ALLOWED)
			continue;
		const char *kind = sj->kind == SUBJ_ROLE ? "role" : "user";
		grant(fn, arg, file, sj->id, kind, NULL, 0, &r, !sj->uncertain, sj->why_uncertain);
		/* every function that runs as the role, however many */
		for (size_t k = 0; sj->kind == SUBJ_ROLE && k < sj->nfunctions; k++) {
			const char *via[2] = {sj->functions[k]->id, sj->id};
			grant(fn, arg, file, sj->functions[k]->id, "role", via, 2, &r, !sj->uncertain, sj->why_uncertain);
		}
	}
	if (rp)
		who_can_by_resource_policy(is, rp, file, action, arn, fn, arg);
}

bool iam_who_can(struct iam_stacks *st, const char *action, const char *resource, iam_grant_fn fn, void *arg)
{
	bool found = strncmp(resource, "arn:", 4) == 0;
	for (size_t i = 0; i < st->n; i++) {
		if (!found && !stack_find(st->v[i].s, resource))
			continue;
		found = true;
		who_can_stack(&st->v[i], action, resource, fn, arg);
	}
	return found;
}

/* What `can` asks of each kind of data store. */
struct probe {
	const char *type, *level, *action;
};

static const struct probe probes[] = {
	{"AWS::DynamoDB::Table", "read", "dynamodb:GetItem"},
	{"AWS::DynamoDB::Table", "read", "dynamodb:Scan"},
	{"AWS::DynamoDB::Table", "read", "dynamodb:ExportTableToPointInTime"},
	{"AWS::DynamoDB::Table", "write", "dynamodb:PutItem"},
	{"AWS::DynamoDB::Table", "write", "dynamodb:DeleteItem"},
	{"AWS::DynamoDB::Table", "admin", "dynamodb:DeleteTable"},
	{"AWS::DynamoDB::Table", "admin", "dynamodb:UpdateContinuousBackups"},
	{"AWS::DynamoDB::Table", "admin", "dynamodb:PutResourcePolicy"},
	{"AWS::RDS::DBCluster", "read", "rds-data:ExecuteStatement"},
	{"AWS::RDS::DBCluster", "admin", "rds:DeleteDBCluster"},
	{"AWS::RDS::DBCluster", "admin", "rds:ModifyDBCluster"},
	{"AWS::RDS::DBInstance", "admin", "rds:DeleteDBInstance"},
	{"AWS::RDS::DBInstance", "admin", "rds:ModifyDBInstance"},
	{"AWS::SecretsManager::Secret", "read", "secretsmanager:GetSecretValue"},
	{"AWS::SecretsManager::Secret", "write", "secretsmanager:PutSecretValue"},
	{"AWS::SecretsManager::Secret", "admin", "secretsmanager:DeleteSecret"},
	{"AWS::SecretsManager::Secret", "admin", "secretsmanager:PutResourcePolicy"},
	{"AWS::KMS::Key", "read", "kms:Decrypt"},
	{"AWS::KMS::Key", "write", "kms:Encrypt"},
	{"AWS::KMS::Key", "admin", "kms:ScheduleKeyDeletion"},
	{"AWS::KMS::Key", "admin", "kms:PutKeyPolicy"},
	{"AWS::S3::Bucket", "read", "s3:GetObject"},
	{"AWS::S3::Bucket", "write", "s3:PutObject"},
	{"AWS::S3::Bucket", "admin", "s3:DeleteBucket"},
	{"AWS::S3::Bucket", "admin", "s3:PutBucketPolicy"},
};

_Static_assert(sizeof probes / sizeof *probes <= IAM_CAN_MAX_PROBES, "iam_store_access.allowed holds every probe");

/* The subject that answers for who in one stack (a function: its role), or NULL. */
static const struct iam_subject *can_subject(struct iam_loaded_stack *ls, const char *who, const char **function)
{
	struct iam_stack *is = &ls->is;
	const struct resource *r = stack_find(ls->s, who);
	*function = NULL;
	if (r && !strcmp(r->type, "AWS::Lambda::Function")) {
		const struct value *role = val_get(r->props, "Role");
		const struct resource *rr = NULL;
		for (size_t k = 0; k < is->nsubj && role; k++)
			if (is->subj[k].r && role->kind == VAL_REF && !strcmp(is->subj[k].r->id, role->s))
				rr = is->subj[k].r;
		*function = r->id;
		r = rr;
	}
	const struct iam_subject *sj = NULL;
	for (size_t k = 0; k < is->nsubj && r; k++)
		if (is->subj[k].r == r)
			sj = &is->subj[k];
	return sj;
}

/* Probe one store; false when it is not a data store or nothing is allowed. */
static bool probe_store(struct iam_stack *is, const struct iam_subject *sj, const struct resource *store,
			struct iam_store_access *out)
{
	const char *arn = NULL;
	const struct iam_policy *rp = NULL;
	out->store = store;
	out->nallowed = 0;
	for (size_t p = 0; p < sizeof probes / sizeof *probes; p++) {
		if (strcmp(probes[p].type, store->type))
			continue;
		if (!arn) {
			arn = iam_stack_arn(is, store);
			rp = iam_stack_resource_policy(is, store, NULL);
		}
		struct iam_policy_set set = {sj->policies, sj->npolicies, rp, sj->boundary, NULL, NULL, 0, NULL, 0, NULL};
		struct iam_request req = {sj->arn, probes[p].action, arn, is->account, NULL, 0, true};
		struct iam_result res;
		iam_evaluate(&set, &req, &res);
		if (res.decision != IAM_ALLOWED)
			continue;
		struct iam_probe_grant *g = &out->allowed[out->nallowed++];
		g->action = probes[p].action;
		g->level = probes[p].level;
		g->nconditions = res.nassumed;
		memcpy(g->conditions, res.assumed, res.nassumed * sizeof *res.assumed);
	}
	return out->nallowed > 0;
}

bool iam_can(struct iam_stacks *st, const char *who, iam_can_fn fn, void *arg)
{
	bool found = false;
	for (size_t i = 0; i < st->n; i++) {
		struct iam_loaded_stack *ls = &st->v[i];
		const char *function;
		const struct iam_subject *sj = can_subject(ls, who, &function);
		if (!sj)
			continue;
		found = true;
		struct iam_store_access *stores = NULL;
		size_t n = 0, cap = 0;
		for (size_t k = 0; k < ls->s->nres; k++) {
			XGROW(stores, cap, n + 1);
			if (probe_store(&ls->is, sj, &ls->s->res[k], &stores[n]))
				n++;
		}
		struct iam_can_answer ans = {ls->s->file, function, sj, stores, n};
		fn(&ans, arg);
		free(stores);
	}
	return found;
}
