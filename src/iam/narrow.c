/*
 * narrow.c - `rampart iam narrow PRINCIPAL PATH...`: a least-privilege
 * proposal for a role or user whose policies grant actions on "*".
 *
 * Which actions a function's code calls cannot be known from a template,
 * but which resources those actions can touch can: the stack's own.  Each
 * Allow statement on "*" is rewritten with the same actions on the stack
 * resources of the types those actions take (from the IAM catalogue),
 * written as CloudFormation references ready to paste; actions AWS allows
 * only on "*" stay there, in a statement of their own.
 */
#include "cli/commands.h"
#include "cli/output.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "graph/relations.h"
#include "iam/access.h"
#include "iam/catalogue.h"
#include "load/load.h"
#include "model/stack.h"
#include "scan/walk.h"

#include <getopt.h>
#include <stdio.h>
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

struct narrow_ctx {
	const struct stack *s;
	struct strbuf *refs_out;   /* YAML list items of resources */
	size_t nrefs;
	char seen[64][128];        /* "type|id" already listed */
	size_t nseen;
	struct strbuf *star_only;  /* wildcard-only actions */
	size_t nstar;
	bool unmatched;            /* some action's resource types have no instance in the stack */
};

static void add_ref(struct narrow_ctx *nc, const struct type_ref *tr, const struct resource *r)
{
	char key[128];
	snprintf(key, sizeof key, "%s|%s|%s", tr->iam_service, tr->iam_type, r->id);
	for (size_t i = 0; i < nc->nseen; i++)
		if (!strcmp(nc->seen[i], key))
			return;
	if (nc->nseen < 64)
		snprintf(nc->seen[nc->nseen++], sizeof nc->seen[0], "%s", key);
	sb_puts(nc->refs_out, "            - ");
	sb_printf(nc->refs_out, tr->fmt, r->id);
	sb_putc(nc->refs_out, '\n');
	nc->nrefs++;
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
	if (!a->wildcard_only)
		return true;
	if (nc->nstar++ < 200)
		sb_printf(nc->star_only, "%s%s", nc->nstar > 1 ? ", " : "", a->display);
	return true;
}

struct stmt_ctx {
	const struct stack *s;
	struct strbuf *out;
	size_t rewritten;
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
	struct strbuf refs_sb = STRBUF_INIT, star_sb = STRBUF_INIT, acts = STRBUF_INIT;
	struct narrow_ctx nc;
	memset(&nc, 0, sizeof nc);
	nc.s = sc->s;
	nc.refs_out = &refs_sb;
	nc.star_only = &star_sb;
	for (size_t i = 0; i < n; i++) {
		const char *a = val_str(act && act->kind == VAL_LIST ? act->items[i] : act);
		if (!a)
			continue;
		sb_printf(&acts, "%s%s", acts.len ? ", " : "", a);
		iam_actions_matching(a, action_fn, &nc);
		iam_actions_matching(a, star_fn, &nc);
	}
	sb_printf(sc->out, "      # from %s (%s): Action [%s] on \"*\"\n", rs->policy_name, rs->holder->id, acts.s ? acts.s : "");
	if (nc.nrefs) {
		sb_printf(sc->out, "      - Effect: Allow\n        Action: [%s]\n        Resource:\n%s", acts.s, refs_sb.s);
	} else {
		sb_puts(sc->out, "      # none of these actions applies to a resource of this stack: remove them unless the\n"
				 "      # function uses resources defined elsewhere (then name those ARNs)\n");
	}
	if (nc.unmatched && nc.nrefs)
		sb_puts(sc->out, "      # some of these actions take resource types this stack does not define: check that the\n"
				 "      # function needs them before adding their ARNs\n");
	if (nc.nstar) {
		sb_printf(sc->out, "      - Effect: Allow   # actions AWS allows only on \"*\"\n        Action: [%s%s]\n        Resource: '*'\n",
			  star_sb.s, nc.nstar > 200 ? ", ..." : "");
	}
	sc->rewritten++;
	sb_free(&refs_sb);
	sb_free(&star_sb);
	sb_free(&acts);
}

int iam_cmd_narrow(int argc, char **argv)
{
	if (argc < 3 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		FILE *f = argc < 3 ? stderr : stdout;
		fputs("usage: rampart iam narrow PRINCIPAL PATH...\n\n"
		      "Propose least-privilege statements for a role, user or function (through its\n"
		      "role): every Allow on \"*\" is rewritten with the same actions on the stack's own\n"
		      "resources of the types those actions take, as CloudFormation YAML to paste into\n"
		      "the template.  Actions AWS allows only on \"*\" keep \"*\".\n",
		      f);
		return argc < 3 ? 2 : 0;
	}
	const char *who = argv[1];
	struct scan_inputs in = {0};
	struct diags d = {0};
	for (int i = 2; i < argc; i++)
		walk_path(argv[i], &in, &d);
	struct strbuf out = STRBUF_INIT;
	bool found = false;
	for (size_t i = 0; i < in.n; i++) {
		struct arena *a = arena_new();
		struct node *root = load_file(in.v[i].path, a, &d);
		struct model_options opt = {0};
		struct stack *s = root && model_is_template(root) ? model_build(root, in.v[i].path, &opt, a, &d) : NULL;
		struct resource *r = s ? stack_find(s, who) : NULL;
		if (r && !strcmp(r->type, "AWS::Lambda::Function"))
			r = rel_function_role(s, r);
		if (r && (!strcmp(r->type, "AWS::IAM::Role") || !strcmp(r->type, "AWS::IAM::User"))) {
			found = true;
			sb_printf(&out, "# %s: least-privilege proposal for %s (%s)\n", in.v[i].path, r->id, r->type);
			sb_puts(&out, "# Replace the statements below in its policies; review before deploying.\n");
			sb_puts(&out, "PolicyDocument:\n  Version: '2012-10-17'\n  Statement:\n");
			struct stmt_ctx sc = {s, &out, 0};
			rel_principal_statements(s, r, narrow_statement, &sc);
			if (!sc.rewritten)
				sb_puts(&out, "      # no Allow statement on \"*\" without conditions: nothing to narrow\n");
		}
		arena_free(a);
	}
	int rc = diags_print(&d, stderr) ? 2 : 0;
	if (!found) {
		fprintf(stderr, "rampart iam narrow: no role, user or function '%s' with a role in the templates\n", who);
		rc = 2;
	}
	if (output_write(NULL, out.s, out.len))
		rc = 2;
	sb_free(&out);
	scan_inputs_free(&in);
	diags_free(&d);
	return rc;
}
