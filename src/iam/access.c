/*
 * access.c - `rampart iam who-can` and `rampart iam can`: who can reach
 * what, from templates, with the exact evaluator.
 *
 *   rampart iam who-can ACTION RESOURCE PATH...   every principal that can
 *       perform ACTION on RESOURCE (a logical ID of the stack, or an ARN):
 *       roles and users with their policies and boundaries, functions
 *       through their roles, and whoever the resource's own policy admits
 *       (services, other accounts, anyone).
 *   rampart iam can PRINCIPAL PATH...   what a role, user or function can
 *       do to each data store of the stack.
 *
 * Conditions on request context the template cannot know (source IP, MFA,
 * VPC endpoint...) are reported as the conditions under which access holds.
 */
#include "cli/commands.h"
#include "cli/output.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "iam/access.h"
#include "iam/stack_iam.h"
#include "iam/stack_load.h"
#include "load/load.h"
#include "scan/walk.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void render_condition(struct strbuf *o, const struct iam_condition *c)
{
	struct strbuf t = STRBUF_INIT;
	iam_condition_text(&t, c);
	sb_json_str(o, t.s);
	sb_free(&t);
}

struct who {
	struct strbuf *o;
	int count;
	bool json;
};

static void emit(struct who *w, const char *file, const char *principal, const char *kind, const char **via, size_t nvia,
		 const struct iam_result *r, bool certain, const char *why)
{
	struct strbuf *o = w->o;
	if (w->json) {
		sb_puts(o, w->count ? ",\n    " : "\n    ");
		sb_puts(o, "{\"principal\":");
		sb_json_str(o, principal);
		sb_printf(o, ",\"kind\":\"%s\",\"via\":[", kind);
		for (size_t i = 0; i < nvia; i++) {
			sb_puts(o, i ? "," : "");
			sb_json_str(o, via[i]);
		}
		sb_puts(o, "],\"conditions\":[");
		for (size_t i = 0; i < r->nassumed; i++) {
			sb_puts(o, i ? "," : "");
			render_condition(o, r->assumed[i]);
		}
		sb_printf(o, "],\"certain\":%s", certain ? "true" : "false");
		if (why) {
			sb_puts(o, ",\"why_uncertain\":");
			sb_json_str(o, why);
		}
		sb_puts(o, ",\"file\":");
		sb_json_str(o, file);
		sb_putc(o, '}');
	} else {
		sb_printf(o, "  %-9s %s", kind, principal);
		for (size_t i = 0; i < nvia; i++)
			sb_printf(o, "%s%s", i ? " -> " : "  via ", via[i]);
		if (r->nassumed) {
			sb_puts(o, "  if ");
			for (size_t i = 0; i < r->nassumed; i++) {
				struct strbuf t = STRBUF_INIT;
				render_condition(&t, r->assumed[i]);
				sb_printf(o, "%s%.*s", i ? " and " : "", (int)(t.len - 2), t.s + 1);
				sb_free(&t);
			}
		}
		if (!certain)
			sb_printf(o, "  (uncertain: %s)", why ? why : "depends on values the template does not fix");
		sb_putc(o, '\n');
	}
	w->count++;
}

static void who_can_stack(struct who *w, struct iam_loaded_stack *ls, const char *action, const char *resource)
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
		emit(w, file, sj->id, kind, NULL, 0, &r, !sj->uncertain, sj->why_uncertain);
		if (sj->kind == SUBJ_ROLE) {
			const struct resource *fns[64];
			size_t nf = iam_stack_role_functions(is, sj->r, fns, 64);
			for (size_t k = 0; k < nf; k++) {
				const char *via[2] = {fns[k]->id, sj->id};
				emit(w, file, fns[k]->id, "role", via, 2, &r, !sj->uncertain, sj->why_uncertain);
			}
		}
	}
	/* Principals the resource policy names directly: services, other accounts, anyone. */
	if (!rp)
		return;
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
				continue; /* the stack's own principals were evaluated above */
			}
			/* Another account's principals: their own account decides their identity
			 * policies, so take those as allowing (the resource side is what we know). */
			static const char *allow_all = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
			struct diags d = {0};
			struct node *n = load_buffer("their-account", allow_all, strlen(allow_all), is->a, &d);
			const struct iam_policy *theirs = iam_policy_parse(n, "their-account", IAM_IDENTITY, is->a, &d);
			diags_free(&d);
			const struct iam_policy *ids[1] = {theirs};
			const char *principal = who;
			if (!strcmp(kind, "account"))
				principal = strncmp(p->id, "arn:", 4) ? arena_printf(is->a, "arn:aws:iam::%s:root", p->id) : p->id;
			struct iam_policy_set set = {ids, !strcmp(kind, "service") || !strcmp(kind, "anonymous") ? 0 : 1, rp,
						     NULL, NULL, NULL, 0, NULL, 0, NULL};
			struct iam_request req = {principal, action, arn, is->account, NULL, 0, true};
			struct iam_result r;
			iam_evaluate(&set, &req, &r);
			if (r.decision == IAM_ALLOWED)
				emit(w, file, who, kind, NULL, 0, &r, true, NULL);
		}
	}
}

static void access_usage(FILE *f)
{
	fputs("usage: rampart iam who-can ACTION RESOURCE PATH... [--format text|json]\n"
	      "       rampart iam can PRINCIPAL PATH... [--format text|json]\n"
	      "\n"
	      "who-can: every principal of the templates (roles, users, functions through\n"
	      "their roles) and every principal the resource's own policy admits (services,\n"
	      "other accounts, anyone) that can perform ACTION on RESOURCE (a logical ID or\n"
	      "an ARN), with the conditions that limit it.\n"
	      "can: what PRINCIPAL (a role, user or function logical ID) can do to each data\n"
	      "store of the templates: tables, databases, secrets, keys and buckets.\n"
	      "\n"
	      "options: --format text|json, --account-id ID, --region REGION, --param K=V\n"
	      "exit status: 0 answered, 2 usage or input error.\n",
	      f);
}

struct opts {
	const char *format, *account, *region;
	int first; /* first positional argument */
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"account-id", required_argument, NULL, 'a'},
		{"region", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	o->format = "text";
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->format = optarg; break;
		case 'a': o->account = optarg; break;
		case 'r': o->region = optarg; break;
		case 'h': access_usage(stdout); return 0;
		default:
			fprintf(stderr, "rampart iam: unknown option '%s'\n", argv[optind - 1]);
			return 2;
		}
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json")) {
		fprintf(stderr, "rampart iam: --format: '%s' is not text or json\n", o->format);
		return 2;
	}
	o->first = optind;
	return -1;
}

static int report_diags(struct iam_stacks *st)
{
	return diags_print(&st->d, stderr) ? 2 : 0;
}

int iam_cmd_who_can(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (argc - o.first < 3) {
		access_usage(stderr);
		return 2;
	}
	const char *action = argv[o.first], *resource = argv[o.first + 1];
	if (!strchr(action, ':')) {
		fprintf(stderr, "rampart iam who-can: '%s' is not SERVICE:ACTION\n", action);
		return 2;
	}
	struct iam_stacks st = {0};
	iam_stacks_load(argv + o.first + 2, argc - o.first - 2, o.account, o.region, &st);
	rc = report_diags(&st);
	bool json = !strcmp(o.format, "json");
	struct strbuf out = STRBUF_INIT;
	struct who w = {&out, 0, json};
	bool found = strncmp(resource, "arn:", 4) == 0;
	if (json) {
		sb_puts(&out, "{\"action\":");
		sb_json_str(&out, action);
		sb_puts(&out, ",\"resource\":");
		sb_json_str(&out, resource);
		sb_puts(&out, ",\"principals\":[");
	} else {
		sb_printf(&out, "who can %s on %s:\n", action, resource);
	}
	for (size_t i = 0; i < st.n; i++) {
		if (!found && !stack_find(st.v[i].s, resource))
			continue;
		found = true;
		who_can_stack(&w, &st.v[i], action, resource);
	}
	if (json)
		sb_puts(&out, w.count ? "\n  ]}\n" : "]}\n");
	else if (!w.count)
		sb_puts(&out, "  nobody in these templates\n");
	if (!found) {
		fprintf(stderr, "rampart iam who-can: no resource '%s' in the templates\n", resource);
		rc = 2;
	}
	if (output_write(NULL, out.s, out.len))
		rc = 2;
	sb_free(&out);
	iam_stacks_free(&st);
	return rc;
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

int iam_cmd_can(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (argc - o.first < 2) {
		access_usage(stderr);
		return 2;
	}
	const char *who = argv[o.first];
	struct iam_stacks st = {0};
	iam_stacks_load(argv + o.first + 1, argc - o.first - 1, o.account, o.region, &st);
	rc = report_diags(&st);
	bool json = !strcmp(o.format, "json");
	struct strbuf out = STRBUF_INIT;
	bool found = false;
	if (json) {
		sb_puts(&out, "{\"principal\":");
		sb_json_str(&out, who);
		sb_puts(&out, ",\"access\":[");
	}
	size_t entries = 0;
	for (size_t i = 0; i < st.n; i++) {
		struct iam_loaded_stack *ls = &st.v[i];
		struct iam_stack *is = &ls->is;
		const struct resource *r = stack_find(ls->s, who);
		const char *via = NULL;
		if (r && !strcmp(r->type, "AWS::Lambda::Function")) {
			const struct value *role = val_get(r->props, "Role");
			const struct resource *rr = NULL;
			for (size_t k = 0; k < is->nsubj && role; k++)
				if (is->subj[k].r && (val_get(r->props, "Role")->kind == VAL_REF) &&
				    !strcmp(is->subj[k].r->id, role->s))
					rr = is->subj[k].r;
			via = r->id;
			r = rr;
		}
		const struct iam_subject *sj = NULL;
		for (size_t k = 0; k < is->nsubj && r; k++)
			if (is->subj[k].r == r)
				sj = &is->subj[k];
		if (!sj)
			continue;
		found = true;
		if (!json)
			sb_printf(&out, "%s%s%s%s can, in %s:\n", who, via ? " (through role " : "", via ? sj->id : "",
				  via ? ")" : "", ls->s->file);
		for (size_t k = 0; k < ls->s->nres; k++) {
			const struct resource *store = &ls->s->res[k];
			const char *arn = NULL;
			const struct iam_policy *rp = NULL;
			struct strbuf line = STRBUF_INIT;
			size_t allowed = 0;
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
				if (json) {
					sb_puts(&line, allowed ? "," : "");
					sb_puts(&line, "{\"action\":");
					sb_json_str(&line, probes[p].action);
					sb_printf(&line, ",\"level\":\"%s\",\"conditions\":[", probes[p].level);
					for (size_t c = 0; c < res.nassumed; c++) {
						sb_puts(&line, c ? "," : "");
						render_condition(&line, res.assumed[c]);
					}
					sb_puts(&line, "]}");
				} else {
					sb_printf(&line, "%s%s (%s)%s", allowed ? ", " : "", probes[p].action, probes[p].level,
						  res.nassumed ? " if conditions hold" : "");
				}
				allowed++;
			}
			if (allowed) {
				if (json) {
					sb_puts(&out, entries ? ",\n    " : "\n    ");
					sb_puts(&out, "{\"resource\":");
					sb_json_str(&out, store->id);
					sb_puts(&out, ",\"type\":");
					sb_json_str(&out, store->type);
					sb_puts(&out, ",\"file\":");
					sb_json_str(&out, ls->s->file);
					sb_printf(&out, ",\"certain\":%s,\"allowed\":[%s]}", sj->uncertain ? "false" : "true", line.s);
				} else {
					sb_printf(&out, "  %s [%s]: %s\n", store->id, store->type, line.s);
				}
				entries++;
			}
			sb_free(&line);
		}
		if (!json && sj->uncertain)
			sb_printf(&out, "  (uncertain: %s)\n", sj->why_uncertain);
	}
	if (json)
		sb_puts(&out, entries ? "\n  ]}\n" : "]}\n");
	else if (found && !entries)
		sb_puts(&out, "  nothing on the data stores of these templates\n");
	if (!found) {
		fprintf(stderr, "rampart iam can: no role, user or function '%s' in the templates\n", who);
		rc = 2;
	}
	if (output_write(NULL, out.s, out.len))
		rc = 2;
	sb_free(&out);
	iam_stacks_free(&st);
	return rc;
}
