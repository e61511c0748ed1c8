/*
 * iam_cmd.c - `rampart iam`: its subcommands, and `iam eval`, which
 * evaluates IAM policies from the command line.
 *
 *   rampart iam eval --policy F... --principal ARN --action A --resource ARN
 *
 * The decision and why, in AWS's own words (allowed, explicitDeny,
 * implicitDeny).  Exit 0 when allowed, 1 when denied, 2 on bad input.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "iam/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void eval_usage(FILE *f)
{
	fputs("usage: rampart iam eval [options]\n"
	      "\n"
	      "Decide whether a principal may perform an action on a resource, the way AWS\n"
	      "evaluates policies: explicit Deny first, then RCPs and SCPs (an Allow needed at\n"
	      "every level), the resource policy, identity policies, the permissions boundary\n"
	      "and the session policy; cross-account requests need both sides.\n"
	      "\n"
	      "options:\n"
	      "  --policy FILE            an identity policy of the principal (repeatable)\n"
	      "  --resource-policy FILE   the resource's policy (bucket, secret, table, function...)\n"
	      "  --trust-policy FILE      a role's trust policy (for sts:AssumeRole*): must allow explicitly\n"
	      "  --key-policy FILE        a KMS key policy: must allow explicitly\n"
	      "  --boundary FILE          the principal's permissions boundary\n"
	      "  --session-policy FILE    the session policy\n"
	      "  --vpce-policy FILE       the policy of the VPC endpoint the request comes through\n"
	      "  --scp FILE[,FILE...]     one SCP level (repeat per level: root first, account last)\n"
	      "  --rcp FILE[,FILE...]     one RCP level (same)\n"
	      "  --principal ARN          arn:aws:iam::111122223333:role/App,\n"
	      "                           arn:aws:sts::111122223333:assumed-role/App/session,\n"
	      "                           arn:aws:iam::111122223333:user/alice, a service\n"
	      "                           (lambda.amazonaws.com) or anonymous\n"
	      "  --action SERVICE:ACTION  e.g. dynamodb:GetItem\n"
	      "  --resource ARN           the resource ARN (default *)\n"
	      "  --resource-account ID    the resource's account, if not in its ARN\n"
	      "  --context KEY=VALUE      a request context value (repeat a key for several values)\n"
	      "  -f, --format FMT         text (default) or json\n"
	      "  -h, --help               this help\n"
	      "\n"
	      "json: {\"decision\":\"allowed|explicitDeny|implicitDeny\",\"reason\":...,\n"
	      "       \"matched\":[{\"policy\":...,\"statement\":...,\"effect\":...}],\"missing_context\":[...],\n"
	      "       \"allowed_if\":[conditions under which a request denied for want of context is allowed]}\n"
	      "\n"
	      "exit status: 0 allowed, 1 denied, 2 bad input.\n"
	      "\n"
	      "example:\n"
	      "  rampart iam eval --policy app-role.json --principal arn:aws:iam::111122223333:role/App \\\n"
	      "      --action dynamodb:GetItem --resource arn:aws:dynamodb:eu-west-2:111122223333:table/Patients\n",
	      f);
}

#define MAX_POL 64

struct loaded {
	const struct iam_policy *v[MAX_POL];
	size_t n;
};

static int load_into(struct loaded *l, const char *list, enum iam_policy_kind kind, struct arena *a,
		     struct diags *d)
{
	char *copy = xstrdup(list);
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (l->n >= MAX_POL) {
			fprintf(stderr, "rampart iam: more than %d policies\n", MAX_POL);
			rc = -1;
			break;
		}
		struct iam_policy *p = iam_policy_load(tok, kind, a, d);
		if (!p) {
			rc = -1;
			continue;
		}
		l->v[l->n++] = p;
	}
	free(copy);
	return rc;
}

static void statement_label(struct strbuf *o, const struct iam_statement *st)
{
	if (st->sid)
		sb_json_str(o, st->sid);
	else
		sb_printf(o, "%d", st->index);
}

static int cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"policy", required_argument, NULL, 'p'},
		{"resource-policy", required_argument, NULL, 'R'},
		{"trust-policy", required_argument, NULL, 'T'},
		{"key-policy", required_argument, NULL, 'K'},
		{"boundary", required_argument, NULL, 'b'},
		{"session-policy", required_argument, NULL, 'S'},
		{"vpce-policy", required_argument, NULL, 'V'},
		{"scp", required_argument, NULL, 's'},
		{"rcp", required_argument, NULL, 'r'},
		{"principal", required_argument, NULL, 'P'},
		{"action", required_argument, NULL, 'a'},
		{"resource", required_argument, NULL, 'e'},
		{"resource-account", required_argument, NULL, 'A'},
		{"context", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct arena *a = arena_new();
	struct diags d = {0};
	struct loaded identity = {0}, resource = {0}, boundary = {0}, session = {0}, vpce = {0};
	struct loaded scp_levels[16], rcp_levels[16];
	size_t nscp = 0, nrcp = 0;
	struct iam_request req = {0};
	req.resource = "*";
	struct iam_context_entry ctx[64];
	size_t nctx = 0;
	const char *format = "text";
	int rc = 2, c, bad = 0;
	struct opts op;
	opts_begin(&op, "rampart iam eval", argc, argv, "f:h", longopts);
	while ((c = opts_next(&op)) != -1) {
		switch (c) {
		case 'p': bad |= load_into(&identity, optarg, IAM_IDENTITY, a, &d); break;
		case 'R': bad |= load_into(&resource, optarg, IAM_RESOURCE, a, &d); break;
		case 'T': bad |= load_into(&resource, optarg, IAM_TRUST, a, &d); break;
		case 'K': bad |= load_into(&resource, optarg, IAM_KMS_KEY, a, &d); break;
		case 'b': bad |= load_into(&boundary, optarg, IAM_BOUNDARY, a, &d); break;
		case 'S': bad |= load_into(&session, optarg, IAM_SESSION, a, &d); break;
		case 'V': bad |= load_into(&vpce, optarg, IAM_RESOURCE, a, &d); break;
		case 's':
		case 'r': {
			struct loaded *lv = c == 's' ? &scp_levels[nscp] : &rcp_levels[nrcp];
			size_t *nlv = c == 's' ? &nscp : &nrcp;
			if (*nlv >= 16) {
				fprintf(stderr, "rampart iam: more than 16 SCP/RCP levels\n");
				goto out;
			}
			memset(lv, 0, sizeof *lv);
			bad |= load_into(lv, optarg, c == 's' ? IAM_SCP : IAM_RCP, a, &d);
			(*nlv)++;
			break;
		}
		case 'P': req.principal = optarg; break;
		case 'a': req.action = optarg; break;
		case 'e': req.resource = optarg; break;
		case 'A': req.resource_account = optarg; break;
		case 'c': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg) {
				opts_usage_error(&op, "--context wants KEY=VALUE, not '%s'", optarg);
				goto out;
			}
			char *key = arena_strndup(a, optarg, (size_t)(eq - optarg));
			size_t k;
			for (k = 0; k < nctx; k++)
				if (!strcasecmp(ctx[k].key, key))
					break;
			if (k == nctx) {
				if (nctx >= 64) {
					fprintf(stderr, "rampart iam: too many context keys\n");
					goto out;
				}
				ctx[nctx].key = key;
				ctx[nctx].values = arena_array(a, 64, sizeof(char *));
				ctx[nctx].nvalues = 0;
				nctx++;
			}
			if (ctx[k].nvalues >= 64) {
				fprintf(stderr, "rampart iam: too many values for %s\n", key);
				goto out;
			}
			ctx[k].values[ctx[k].nvalues++] = eq + 1;
			break;
		}
		case 'f': format = optarg; break;
		case 'h': eval_usage(stdout); rc = 0; goto out;
		default: goto out; /* OPTS_ERROR: reported */
		}
	}
	if (op.first < argc) {
		opts_usage_error(&op, "takes options only, not '%s'", argv[op.first]);
		goto out;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		opts_usage_error(&op, "--format: '%s' is not text or json", format);
		goto out;
	}
	if (!req.principal || !req.action) {
		opts_usage_error(&op, "--principal and --action are required");
		goto out;
	}
	if (resource.n > 1 || boundary.n > 1 || session.n > 1 || vpce.n > 1) {
		opts_usage_error(&op, "one resource policy, one boundary and one session policy at most");
		goto out;
	}
	if (diags_print(&d, stderr) || bad)
		goto out;
	req.context = ctx;
	req.ncontext = nctx;
	struct iam_level scp[16], rcp[16];
	for (size_t i = 0; i < nscp; i++) {
		scp[i].policies = scp_levels[i].v;
		scp[i].n = scp_levels[i].n;
	}
	for (size_t i = 0; i < nrcp; i++) {
		rcp[i].policies = rcp_levels[i].v;
		rcp[i].n = rcp_levels[i].n;
	}
	struct iam_policy_set set = {identity.v, identity.n, resource.n ? resource.v[0] : NULL,
				     boundary.n ? boundary.v[0] : NULL, session.n ? session.v[0] : NULL,
				     nscp ? scp : NULL, nscp, nrcp ? rcp : NULL, nrcp, vpce.n ? vpce.v[0] : NULL};
	struct iam_result r;
	iam_evaluate(&set, &req, &r);
	/* Denied for want of context: would it be allowed, and under which conditions? */
	struct iam_result disc;
	bool discovered = false;
	if (r.decision == IAM_IMPLICIT_DENY && r.nmissing) {
		struct iam_request dreq = req;
		dreq.discover = true;
		iam_evaluate(&set, &dreq, &disc);
		discovered = disc.decision == IAM_ALLOWED && disc.nassumed;
	}

	struct strbuf o = STRBUF_INIT;
	if (!strcmp(format, "json")) {
		sb_printf(&o, "{\"decision\":\"%s\",\"reason\":", iam_decision_name(r.decision));
		sb_json_str(&o, r.reason);
		sb_puts(&o, ",\"matched\":[");
		for (size_t i = 0; i < r.nmatched; i++) {
			sb_puts(&o, i ? "," : "");
			sb_puts(&o, "{\"policy\":");
			sb_json_str(&o, r.matched[i].policy->name);
			sb_puts(&o, ",\"statement\":");
			statement_label(&o, r.matched[i].st);
			sb_printf(&o, ",\"effect\":\"%s\",\"line\":%d}",
				  r.matched[i].st->effect == IAM_ALLOW ? "Allow" : "Deny", r.matched[i].st->pos.line);
		}
		sb_puts(&o, "],\"missing_context\":[");
		for (size_t i = 0; i < r.nmissing; i++) {
			sb_puts(&o, i ? "," : "");
			sb_json_str(&o, r.missing[i]);
		}
		sb_puts(&o, "],\"allowed_if\":[");
		for (size_t i = 0; discovered && i < disc.nassumed; i++) {
			struct strbuf t = STRBUF_INIT;
			iam_condition_text(&t, disc.assumed[i]);
			sb_puts(&o, i ? "," : "");
			sb_json_str(&o, t.s);
			sb_free(&t);
		}
		sb_puts(&o, "]}\n");
	} else {
		sb_printf(&o, "%s: %s\n", iam_decision_name(r.decision), r.reason);
		for (size_t i = 0; i < r.nmatched; i++) {
			const struct iam_statement *st = r.matched[i].st;
			sb_printf(&o, "  %s %s:%d statement ", st->effect == IAM_ALLOW ? "Allow" : "Deny ",
				  r.matched[i].policy->name, st->pos.line);
			if (st->sid)
				sb_printf(&o, "\"%s\"\n", st->sid);
			else
				sb_printf(&o, "#%d\n", st->index);
		}
		for (size_t i = 0; i < r.nmissing; i++)
			sb_printf(&o, "  context key %s was not given: the answer depends on it\n", r.missing[i]);
		for (size_t i = 0; discovered && i < disc.nassumed; i++) {
			struct strbuf t = STRBUF_INIT;
			iam_condition_text(&t, disc.assumed[i]);
			sb_printf(&o, "  %s %s\n", i ? "    and" : "allowed if", t.s);
			sb_free(&t);
		}
	}
	rc = output_write(NULL, o.s, o.len) ? 2 : (r.decision == IAM_ALLOWED ? 0 : 1);
	sb_free(&o);
out:
	diags_free(&d);
	arena_free(a);
	return rc;
}

static const char iam_help[] =
    "usage: rampart iam <command> [options]\n"
    "\n"
    "Exact IAM policy evaluation, the way AWS decides, and the questions it answers\n"
    "about templates.\n"
    "\n"
    "commands:\n"
    "  eval                 decide one request: allowed, explicitDeny or implicitDeny, and why\n"
    "  who-can ACTION RESOURCE PATH...  every principal of the templates that can, and how\n"
    "  can PRINCIPAL PATH...  what a role, user or function can do to each data store\n"
    "  narrow PRINCIPAL PATH...  least-privilege statements for its Allow on \"*\"\n"
    "  eval-batch [FILE|-]  many requests, one JSON object a line (tests, benchmarks)\n"
    "\n"
    "Run 'rampart iam <command> --help' for a command's options.\n";

int cmd_iam(int argc, char **argv)
{
	static const struct opts_command cmds[] = {
		{"eval", cmd_eval},
		{"who-can", cmd_iam_who_can},
		{"can", cmd_iam_can},
		{"narrow", cmd_iam_narrow},
		{"eval-batch", cmd_iam_eval_batch},
		{NULL, NULL},
	};
	return opts_dispatch("rampart iam", iam_help, cmds, argc, argv);
}
