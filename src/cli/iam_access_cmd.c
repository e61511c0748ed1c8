/*
 * iam_access_cmd.c - `rampart iam who-can` and `rampart iam can`: options,
 * the text and JSON reports, exit codes.  The answers are iam/access.h's.
 *
 *   rampart iam who-can ACTION RESOURCE PATH...   every principal that can
 *       perform ACTION on RESOURCE (a logical ID of the stack, or an ARN).
 *   rampart iam can PRINCIPAL PATH...   what a role, user or function can
 *       do to each data store of the stack.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/strbuf.h"
#include "iam/access.h"

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

static void print_grant(const struct iam_grant *g, void *arg)
{
	struct who *w = arg;
	struct strbuf *o = w->o;
	const struct iam_result *r = g->result;
	if (w->json) {
		sb_puts(o, w->count ? ",\n    " : "\n    ");
		sb_puts(o, "{\"principal\":");
		sb_json_str(o, g->principal);
		sb_printf(o, ",\"kind\":\"%s\",\"via\":[", g->kind);
		for (size_t i = 0; i < g->nvia; i++) {
			sb_puts(o, i ? "," : "");
			sb_json_str(o, g->via[i]);
		}
		sb_puts(o, "],\"conditions\":[");
		for (size_t i = 0; i < r->nassumed; i++) {
			sb_puts(o, i ? "," : "");
			render_condition(o, r->assumed[i]);
		}
		sb_printf(o, "],\"certain\":%s", g->certain ? "true" : "false");
		if (g->why_uncertain) {
			sb_puts(o, ",\"why_uncertain\":");
			sb_json_str(o, g->why_uncertain);
		}
		sb_puts(o, ",\"file\":");
		sb_json_str(o, g->file);
		sb_putc(o, '}');
	} else {
		sb_printf(o, "  %-9s %s", g->kind, g->principal);
		for (size_t i = 0; i < g->nvia; i++)
			sb_printf(o, "%s%s", i ? " -> " : "  via ", g->via[i]);
		if (r->nassumed) {
			sb_puts(o, "  if ");
			for (size_t i = 0; i < r->nassumed; i++) {
				struct strbuf t = STRBUF_INIT;
				render_condition(&t, r->assumed[i]);
				sb_printf(o, "%s%.*s", i ? " and " : "", (int)(t.len - 2), t.s + 1);
				sb_free(&t);
			}
		}
		if (!g->certain)
			sb_printf(o, "  (uncertain: %s)",
				  g->why_uncertain ? g->why_uncertain : "depends on values the template does not fix");
		sb_putc(o, '\n');
	}
	w->count++;
}

static void access_usage(FILE *f)
{
	fputs("usage: rampart iam who-can ACTION RESOURCE PATH... [options]\n"
	      "       rampart iam can PRINCIPAL PATH... [options]\n"
	      "\n"
	      "who-can: every principal of the templates (roles, users, functions through\n"
	      "their roles) and every principal the resource's own policy admits (services,\n"
	      "other accounts, anyone) that can perform ACTION on RESOURCE (a logical ID or\n"
	      "an ARN), with the conditions that limit it.\n"
	      "can: what PRINCIPAL (a role, user or function logical ID) can do to each data\n"
	      "store of the templates: tables, databases, secrets, keys and buckets.\n"
	      "\n"
	      "options:\n"
	      "  -f, --format FMT      text (default) or json\n"
	      "      --account-id ID   value of AWS::AccountId (otherwise a stand-in)\n"
	      "      --region REGION   value of AWS::Region (otherwise a stand-in)\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "exit status: 0 answered, 2 usage or input error.\n",
	      f);
}

struct access_opts {
	const char *format, *account, *region;
	int first; /* first operand */
};

/* -1 to go on, else the exit code (help printed, or a usage error reported). */
static int parse_opts(const char *cmd, int argc, char **argv, struct access_opts *o, int noperands)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"account-id", required_argument, NULL, 'a'},
		{"region", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts op;
	int c;
	o->format = "text";
	opts_begin(&op, cmd, argc, argv, "f:h", longopts);
	while ((c = opts_next(&op)) != -1) {
		switch (c) {
		case 'f': o->format = op.arg; break;
		case 'a': o->account = op.arg; break;
		case 'r': o->region = op.arg; break;
		case 'h': access_usage(stdout); return 0;
		default: return 2; /* OPTS_ERROR: reported */
		}
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		return opts_usage_error(&op, "--format: '%s' is not text or json", o->format);
	if (argc - op.first < noperands)
		return opts_usage_error(&op, "wants %s PATH...", noperands == 3 ? "ACTION RESOURCE" : "PRINCIPAL");
	o->first = op.first;
	return -1;
}

/* Write the report, free what the command read; the exit code. */
static int finish(struct strbuf *out, struct iam_stacks *st, int rc)
{
	if (output_write(NULL, out->s, out->len))
		rc = 2;
	sb_free(out);
	iam_stacks_free(st);
	return rc;
}

int cmd_iam_who_can(int argc, char **argv)
{
	struct access_opts o = {0};
	int rc = parse_opts("rampart iam who-can", argc, argv, &o, 3);
	if (rc >= 0)
		return rc;
	const char *action = argv[o.first], *resource = argv[o.first + 1];
	if (!strchr(action, ':')) {
		fprintf(stderr, "rampart iam who-can: '%s' is not SERVICE:ACTION\n", action);
		return 2;
	}
	struct iam_stacks st = {0};
	iam_stacks_load(argv + o.first + 2, argc - o.first - 2, o.account, o.region, &st);
	rc = diags_print(&st.d, stderr) ? 2 : 0;
	bool json = !strcmp(o.format, "json");
	struct strbuf out = STRBUF_INIT;
	struct who w = {&out, 0, json};
	if (json) {
		sb_puts(&out, "{\"action\":");
		sb_json_str(&out, action);
		sb_puts(&out, ",\"resource\":");
		sb_json_str(&out, resource);
		sb_puts(&out, ",\"principals\":[");
	} else {
		sb_printf(&out, "who can %s on %s:\n", action, resource);
	}
	bool found = iam_who_can(&st, action, resource, print_grant, &w);
	if (json)
		sb_puts(&out, w.count ? "\n  ]}\n" : "]}\n");
	else if (!w.count)
		sb_puts(&out, "  nobody in these templates\n");
	if (!found) {
		fprintf(stderr, "rampart iam who-can: no resource '%s' in the templates\n", resource);
		rc = 2;
	}
	return finish(&out, &st, rc);
}

struct can_report {
	struct strbuf *out;
	const char *who;
	size_t entries;
	bool json;
};

static void print_store_json(struct strbuf *o, const char *file, bool certain, const struct iam_store_access *sa)
{
	sb_puts(o, "{\"resource\":");
	sb_json_str(o, sa->store->id);
	sb_puts(o, ",\"type\":");
	sb_json_str(o, sa->store->type);
	sb_puts(o, ",\"file\":");
	sb_json_str(o, file);
	sb_printf(o, ",\"certain\":%s,\"allowed\":[", certain ? "true" : "false");
	for (size_t p = 0; p < sa->nallowed; p++) {
		const struct iam_probe_grant *g = &sa->allowed[p];
		sb_puts(o, p ? "," : "");
		sb_puts(o, "{\"action\":");
		sb_json_str(o, g->action);
		sb_printf(o, ",\"level\":\"%s\",\"conditions\":[", g->level);
		for (size_t c = 0; c < g->nconditions; c++) {
			sb_puts(o, c ? "," : "");
			render_condition(o, g->conditions[c]);
		}
		sb_puts(o, "]}");
	}
	sb_puts(o, "]}");
}

static void print_store_text(struct strbuf *o, const struct iam_store_access *sa)
{
	sb_printf(o, "  %s [%s]: ", sa->store->id, sa->store->type);
	for (size_t p = 0; p < sa->nallowed; p++) {
		const struct iam_probe_grant *g = &sa->allowed[p];
		sb_printf(o, "%s%s (%s)%s", p ? ", " : "", g->action, g->level, g->nconditions ? " if conditions hold" : "");
	}
	sb_putc(o, '\n');
}

static void print_can(const struct iam_can_answer *ans, void *arg)
{
	struct can_report *cr = arg;
	const struct iam_subject *sj = ans->subject;
	if (!cr->json)
		sb_printf(cr->out, "%s%s%s%s can, in %s:\n", cr->who, ans->function ? " (through role " : "",
			  ans->function ? sj->id : "", ans->function ? ")" : "", ans->file);
	for (size_t k = 0; k < ans->nstores; k++) {
		if (cr->json) {
			sb_puts(cr->out, cr->entries ? ",\n    " : "\n    ");
			print_store_json(cr->out, ans->file, !sj->uncertain, &ans->stores[k]);
		} else {
			print_store_text(cr->out, &ans->stores[k]);
		}
		cr->entries++;
	}
	if (!cr->json && sj->uncertain)
		sb_printf(cr->out, "  (uncertain: %s)\n", sj->why_uncertain);
}

int cmd_iam_can(int argc, char **argv)
{
	struct access_opts o = {0};
	int rc = parse_opts("rampart iam can", argc, argv, &o, 2);
	if (rc >= 0)
		return rc;
	const char *who = argv[o.first];
	struct iam_stacks st = {0};
	iam_stacks_load(argv + o.first + 1, argc - o.first - 1, o.account, o.region, &st);
	rc = diags_print(&st.d, stderr) ? 2 : 0;
	bool json = !strcmp(o.format, "json");
	struct strbuf out = STRBUF_INIT;
	struct can_report cr = {&out, who, 0, json};
	if (json) {
		sb_puts(&out, "{\"principal\":");
		sb_json_str(&out, who);
		sb_puts(&out, ",\"access\":[");
	}
	bool found = iam_can(&st, who, print_can, &cr);
	if (json)
		sb_puts(&out, cr.entries ? "\n  ]}\n" : "]}\n");
	else if (found && !cr.entries)
		sb_puts(&out, "  nothing on the data stores of these templates\n");
	if (!found) {
		fprintf(stderr, "rampart iam can: no role, user or function '%s' in the templates\n", who);
		rc = 2;
	}
	return finish(&out, &st, rc);
}
