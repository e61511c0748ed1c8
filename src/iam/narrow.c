/*
 * narrow.c - least-privilege proposals (see narrow.h).
 *
 * For each unconditional Allow on "*" of the principal's policies, every
 * action pattern is expanded with the IAM catalogue; each action's
 * resource types are mapped to CloudFormation types (the table below) and
 * every stack resource of those types becomes a reference to its ARN.
 */
#include "iam/narrow.h"

#include "core/arena.h"
#include "core/xalloc.h"
#include "graph/relations.h"
#include "iam/catalogue.h"
#include "load/load.h"
#include "scan/walk.h"

#include <stdlib.h>
#include <string.h>

/* IAM resource type (catalogue) -> CloudFormation type and how to reference its ARN. */
struct type_ref {
	const char *iam_service, *iam_type, *cfn_type, *fmt; /* fmt: %s = logical ID */
};

static const struct type_ref refs[] = {
	{"dynamodb", "table", "AWS::DynamoDB::Table", "!GetAtt %s.Arn"},
	{"dynamodb", "index", "AWS::DynamoDB::Table", "!Sub '${%s.Arn}/index/*'"},
	{"dynamodb", "stream", "AWS::DynamoDB::Table", "!Sub '${%s.Arn}/stream/*'"},
	{"secretsmanager", "secret", "AWS::SecretsManager::Secret", "!Ref %s"},
	{"kms", "key", "AWS::KMS::Key", "!GetAtt %s.Arn"},
	{"lambda", "function", "AWS::Lambda::Function", "!GetAtt %s.Arn"},
	{"s3", "bucket", "AWS::S3::Bucket", "!GetAtt %s.Arn"},
	{"s3", "object", "AWS::S3::Bucket", "!Sub '${%s.Arn}/*'"},
	{"rds", "cluster", "AWS::RDS::DBCluster", "!Sub 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${%s}'"},
	{"rds", "db", "AWS::RDS::DBInstance", "!Sub 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${%s}'"},
	{"rds-data", "cluster", "AWS::RDS::DBCluster", "!Sub 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${%s}'"},
	{"rds-db", "db-user", "AWS::RDS::DBCluster", "!Sub 'arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${%s.DBClusterResourceId}/*'"},
	{"sqs", "queue", "AWS::SQS::Queue", "!GetAtt %s.Arn"},
	{"sns", "topic", "AWS::SNS::Topic", "!Ref %s"},
	{"logs", "log-group", "AWS::Logs::LogGroup", "!GetAtt %s.Arn"},
	{"iam", "role", "AWS::IAM::Role", "!GetAtt %s.Arn"},
	{"events", "event-bus", "AWS::Events::EventBus", "!GetAtt %s.Arn"},
	{"states", "stateMachine", "AWS::StepFunctions::StateMachine", "!Ref %s"},
};

/* A growable list of borrowed strings. */
struct strs {
	const char **v;
	size_t n, cap;
};

static void strs_add(struct strs *l, const char *s)
{
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = s;
}

static bool strs_has(const struct strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

/* One statement being narrowed. */
struct narrow_ctx {
	const struct stack *s;
	struct arena *a;
	struct strs refs;          /* CloudFormation references, each once */
	struct strs star_only;     /* wildcard-only actions */
	bool unmatched;            /* some action's resource types have no instance in the stack */
};

static void add_ref(struct narrow_ctx *nc, const struct type_ref *tr, const struct resource *r)
{
	const char *ref = arena_printf(nc->a, tr->fmt, r->id);
	if (!strs_has(&nc->refs, ref))
		strs_add(&nc->refs, ref);
}

static bool action_fn(const struct iam_action_info *a, void *arg)
{
	struct narrow_ctx *nc = arg;
	if (a->wildcard_only || !*a->resource_types)
		return true;
	const char *colon = strchr(a->name, ':');
	size_t sl = (size_t)(colon - a->name);
	bool any = false;
	const char *p = a->resource_types;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t tl = e ? (size_t)(e - p) : strlen(p);
		for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
			if (strlen(refs[i].iam_service) != sl || strncmp(refs[i].iam_service, a->name, sl) ||
			    strlen(refs[i].iam_type) != tl || strncasecmp(refs[i].iam_type, p, tl))
				continue;
			for (size_t k = 0; k < nc->s->nres; k++)
				if (!strcmp(nc->s->res[k].type, refs[i].cfn_type)) {
					add_ref(nc, &refs[i], &nc->s->res[k]);
					any = true;
				}
		}
		p += tl;
		if (*p == ',')
			p++;
	}
	if (!any)
		nc->unmatched = true;
	return true;
}

static bool star_fn(const struct iam_action_info *a, void *arg)
{
	struct narrow_ctx *nc = arg;
	if (a->wildcard_only)
		strs_add(&nc->star_only, a->display);
	return true;
}

/* The statements of one principal being collected. */
struct stmt_ctx {
	const struct stack *s;
	struct arena *a;
	struct iam_narrowed *v;
	size_t n, cap;
};

static bool is_star(const struct value *v)
{
	if (!v)
		return false;
	if (v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->n; i++)
			if (val_equals(v->items[i], "*") == YES)
				return true;
		return false;
	}
	return val_equals(v, "*") == YES;
}

static void narrow_statement(const struct rel_statement *rs, void *arg)
{
	struct stmt_ctx *sc = arg;
	const struct value *st = rs->stmt;
	if (val_equals(val_get(st, "Effect"), "Allow") != YES || !is_star(val_get(st, "Resource")) ||
	    val_get(st, "NotAction") || val_get(st, "Condition"))
		return;
	const struct value *act = val_get(st, "Action");
	size_t n = act && act->kind == VAL_LIST ? act->n : 1;
	struct strs acts = {0};
	struct narrow_ctx nc = {.s = sc->s, .a = sc->a};
	for (size_t i = 0; i < n; i++) {
		const char *a = val_str(act && act->kind == VAL_LIST ? act->items[i] : act);
		if (!a)
			continue;
		strs_add(&acts, a);
		iam_actions_matching(a, action_fn, &nc);
		iam_actions_matching(a, star_fn, &nc);
	}
	XGROW(sc->v, sc->cap, sc->n + 1);
	sc->v[sc->n++] = (struct iam_narrowed){
	    .policy_name = rs->policy_name,
	    .holder = rs->holder->id,
	    .actions = acts.v,
	    .nactions = acts.n,
	    .resources = nc.refs.v,
	    .nresources = nc.refs.n,
	    .star_only = nc.star_only.v,
	    .nstar_only = nc.star_only.n,
	    .unmatched = nc.unmatched,
	};
}

static void narrowed_free(struct stmt_ctx *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->v[i].actions);
		free(sc->v[i].resources);
		free(sc->v[i].star_only);
	}
	free(sc->v);
}

bool iam_narrow_paths(char **paths, size_t npaths, const char *who, struct diags *d, iam_narrow_fn fn, void *arg)
{
	struct scan_inputs in = {0};
	scan_collect((const char *const *)paths, npaths, &in, d);
	bool found = false;
	for (size_t i = 0; i < in.n; i++) {
		struct arena *a = arena_new();
		struct node *root = load_file(in.v[i].path, a, d);
		struct model_options opt = {0};
		struct stack *s = root && model_is_template(root) ? model_build(root, in.v[i].path, &opt, a, d) : NULL;
		struct resource *r = s ? stack_find(s, who) : NULL;
		if (r && !strcmp(r->type, "AWS::Lambda::Function"))
			r = rel_function_role(s, r);
		if (r && (!strcmp(r->type, "AWS::IAM::Role") || !strcmp(r->type, "AWS::IAM::User"))) {
			found = true;
			struct stmt_ctx sc = {.s = s, .a = a};
			rel_principal_statements(s, r, narrow_statement, &sc);
			struct iam_narrow_proposal p = {in.v[i].path, r, sc.v, sc.n};
			fn(&p, arg);
			narrowed_free(&sc);
		}
		arena_free(a);
	}
	scan_inputs_free(&in);
	return found;
}
