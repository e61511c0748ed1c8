/*
 * iam_narrow_cmd.c - `rampart iam narrow PRINCIPAL PATH...`: the proposal
 * of iam/narrow.h written as CloudFormation YAML to paste, with comments
 * saying where each statement came from and what to check.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/strbuf.h"
#include "iam/narrow.h"

#include <stdio.h>
#include <string.h>

/* Wildcard-only actions listed in one statement; the rest are elided with ", ...". */
#define NARROW_STAR_SHOWN 200

static void join(struct strbuf *o, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(o, "%s%s", i ? ", " : "", v[i]);
}

static void print_statement(struct strbuf *o, const struct iam_narrowed *st)
{
	sb_printf(o, "      # from %s (%s): Action [", st->policy_name, st->holder);
	join(o, st->actions, st->nactions);
	sb_puts(o, "] on \"*\"\n");
	if (st->nresources) {
		sb_puts(o, "      - Effect: Allow\n        Action: [");
		join(o, st->actions, st->nactions);
		sb_puts(o, "]\n        Resource:\n");
		for (size_t i = 0; i < st->nresources; i++)
			sb_printf(o, "            - %s\n", st->resources[i]);
	} else {
		sb_puts(o, "      # none of these actions applies to a resource of this stack: remove them unless the\n"
			   "      # function uses resources defined elsewhere (then name those ARNs)\n");
	}
	if (st->unmatched && st->nresources)
		sb_puts(o, "      # some of these actions take resource types this stack does not define: check that the\n"
			   "      # function needs them before adding their ARNs\n");
	if (st->nstar_only) {
		sb_puts(o, "      - Effect: Allow   # actions AWS allows only on \"*\"\n        Action: [");
		join(o, st->star_only, st->nstar_only < NARROW_STAR_SHOWN ? st->nstar_only : NARROW_STAR_SHOWN);
		sb_printf(o, "%s]\n        Resource: '*'\n", st->nstar_only > NARROW_STAR_SHOWN ? ", ..." : "");
	}
}

static void print_proposal(const struct iam_narrow_proposal *p, void *arg)
{
	struct strbuf *o = arg;
	sb_printf(o, "# %s: least-privilege proposal for %s (%s)\n", p->file, p->principal->id, p->principal->type);
	sb_puts(o, "# Replace the statements below in its policies; review before deploying.\n");
	sb_puts(o, "PolicyDocument:\n  Version: '2012-10-17'\n  Statement:\n");
	for (size_t i = 0; i < p->n; i++)
		print_statement(o, &p->stmts[i]);
	if (!p->n)
		sb_puts(o, "      # no Allow statement on \"*\" without conditions: nothing to narrow\n");
}

static const char narrow_help[] =
    "usage: rampart iam narrow PRINCIPAL PATH...\n"
    "\n"
    "Propose least-privilege statements for a role, user or function (through its\n"
    "role): every Allow on \"*\" is rewritten with the same actions on the stack's own\n"
    "resources of the types those actions take, as CloudFormation YAML to paste into\n"
    "the template.  Actions AWS allows only on \"*\" keep \"*\".\n"
    "\n"
    "options:\n"
    "  -h, --help   this help\n"
    "\n"
    "exit status: 0 proposed, 2 usage or input error (PRINCIPAL not found).\n";

int cmd_iam_narrow(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts op;
	int c;
	opts_begin(&op, "rampart iam narrow", argc, argv, "h", longopts);
	while ((c = opts_next(&op)) != -1) {
		if (c == 'h') {
			fputs(narrow_help, stdout);
			return 0;
		}
		return 2; /* OPTS_ERROR: reported */
	}
	if (argc - op.first < 2)
		return opts_usage_error(&op, "wants PRINCIPAL PATH...");
	const char *who = argv[op.first];
	struct diags d = {0};
	struct strbuf out = STRBUF_INIT;
	bool found = iam_narrow_paths(argv + op.first + 1, (size_t)(argc - op.first - 1), who, &d, print_proposal, &out);
	int rc = diags_print(&d, stderr) ? 2 : 0;
	if (!found) {
		fprintf(stderr, "rampart iam narrow: no role, user or function '%s' with a role in the templates\n", who);
		rc = 2;
	}
	if (output_write(NULL, out.s, out.len))
		rc = 2;
	sb_free(&out);
	diags_free(&d);
	return rc;
}
