/*
 * scan_cmd.c - `rampart scan` and `rampart checks`: option parsing, running
 * the scan, choosing the reporter and the exit code.
 */
#include "checks/catalogue.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/report.h"
#include "scan/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void scan_usage(FILE *f)
{
	fputs("usage: rampart scan [options] PATH...\n"
	      "\n"
	      "Scan CloudFormation and SAM templates (YAML or JSON) and CDK cloud assemblies\n"
	      "(cdk.out) for security problems across seven layers: IAM, network, API,\n"
	      "encryption, secrets, monitoring and resilience.  A directory is walked for\n"
	      "*.yaml, *.yml, *.json and *.template files; files that are not templates are\n"
	      "skipped.  Use - to read a template from standard input.\n"
	      "\n"
	      "options:\n"
	      "  -f, --format FMT        text (default), json or sarif\n"
	      "  -o, --output FILE       write the report to FILE instead of standard output\n"
	      "      --fail-on SEV       exit 1 if a finding at or above SEV is not suppressed:\n"
	      "                          critical, high (default), medium, low, info, or none\n"
	      "      --checks ID,...     run only these checks (IDs or aliases such as CKV_AWS_28)\n"
	      "      --skip-checks ID,.. do not run these checks\n"
	      "  -p, --param KEY=VALUE   give a template parameter a value (repeatable)\n"
	      "      --region REGION     value of AWS::Region (otherwise unknown)\n"
	      "      --account-id ID     value of AWS::AccountId (otherwise unknown)\n"
	      "  -j, --jobs N            worker threads, 1 to 256 (default: one per CPU)\n"
	      "      --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "Suppress a finding in the template, with a reason:\n"
	      "  Metadata:\n"
	      "    rampart:\n"
	      "      skip:\n"
	      "        - id: RMP-DDB-001\n"
	      "          reason: restored nightly from S3 exports\n"
	      "Checkov (checkov: skip: [{id, comment}]) and cfn_nag (cfn_nag: rules_to_suppress:\n"
	      "[{id, reason}]) suppressions are honoured through each check's aliases.\n"
	      "\n"
	      "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error\n"
	      "(the other files are still scanned and reported).\n"
	      "\n"
	      "examples:\n"
	      "  rampart scan ./infra\n"
	      "  rampart scan template.yaml --format sarif -o rampart.sarif --fail-on medium\n"
	      "  rampart scan cdk.out --param Stage=prod --skip-checks RMP-LMB-001\n",
	      f);
}

/* Mark the checks named in a comma-separated list; -1 if a name is unknown. */
static int mark_checks(const char *list, bool *mark, bool value)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	char *copy = xstrdup(list);
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		bool found = false;
		for (size_t i = 0; i < n; i++)
			if (check_matches(all[i], tok)) {
				mark[i] = value;
				found = true;
			}
		if (!found) {
			fprintf(stderr, "rampart scan: no check is named '%s' (see 'rampart checks')\n", tok);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"fail-on", required_argument, NULL, 'F'},
		{"checks", required_argument, NULL, 'c'},
		{"skip-checks", required_argument, NULL, 's'},
		{"param", required_argument, NULL, 'p'},
		{"region", required_argument, NULL, 'r'},
		{"account-id", required_argument, NULL, 'a'},
		{"jobs", required_argument, NULL, 'j'},
		{"color", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text", *output = NULL, *color = "auto";
	const char *only = NULL, *skip = NULL;
	struct report_options ro = {.fail_on = SEV_HIGH};
	struct scan_options so;
	memset(&so, 0, sizeof so);
	const char **pkeys = NULL, **pvals = NULL;
	size_t np = 0, pcap = 0, pvcap = 0;
	int rc = 2, c;
	long long jobs;
	struct opts op;
	opts_begin(&op, "rampart scan", argc, argv, "f:o:p:j:h", longopts);
	while ((c = opts_next(&op)) != -1) {
		switch (c) {
		case 'f': format = op.arg; break;
		case 'o': output = op.arg; break;
		case 'F':
			if (!strcmp(op.arg, "none"))
				ro.fail_on_none = true;
			else if (severity_parse(op.arg, &ro.fail_on) != 0) {
				opts_usage_error(&op, "--fail-on: '%s' is not critical, high, medium, low, info or none", op.arg);
				goto out;
			}
			break;
		case 'c': only = op.arg; break;
		case 's': skip = op.arg; break;
		case 'p': {
			const char *eq = strchr(op.arg, '=');
			if (!eq || eq == op.arg) {
				opts_usage_error(&op, "--param wants KEY=VALUE, not '%s'", op.arg);
				goto out;
			}
			XGROW(pkeys, pcap, np + 1);
			XGROW(pvals, pvcap, np + 1);
			pkeys[np] = xstrndup(op.arg, (size_t)(eq - op.arg));
			pvals[np] = eq + 1;
			np++;
			break;
		}
		case 'r': so.model.region = op.arg; break;
		case 'a': so.model.account_id = op.arg; break;
		case 'j':
			if (opts_number(&op, "--jobs", op.arg, 1, OPTS_MAX_JOBS, &jobs))
				goto out;
			so.threads = (int)jobs;
			break;
		case 'C': color = op.arg; break;
		case 'h':
			scan_usage(stdout);
			rc = 0;
			goto out;
		default: /* OPTS_ERROR: reported */
			goto out;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
		opts_usage_error(&op, "--format: '%s' is not text, json or sarif", format);
		goto out;
	}
	if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
		opts_usage_error(&op, "--color: '%s' is not auto, always or never", color);
		goto out;
	}
	if (op.first >= argc) {
		opts_usage_error(&op, "no PATH given");
		goto out;
	}
	size_t ncheck;
	catalogue_all(&ncheck);
	bool *enabled = xcalloc(ncheck ? ncheck : 1, sizeof *enabled);
	for (size_t i = 0; i < ncheck; i++)
		enabled[i] = only == NULL;
	if ((only && mark_checks(only, enabled, true)) || (skip && mark_checks(skip, enabled, false))) {
		free(enabled);
		goto out;
	}
	so.enabled = enabled;
	so.model.param_keys = pkeys;
	so.model.param_values = pvals;
	so.model.nparams = np;
	so.model.param_use = np ? model_param_use_new(pkeys, np) : NULL;

	struct scan_result res;
	scan_paths((const char *const *)argv + op.first, (size_t)(argc - op.first), &so, &res);
	free(enabled);
	model_param_use_report(so.model.param_use, &res.diags); /* keys no template declares */
	model_param_use_free(so.model.param_use);
	diags_sort(&res.diags);

	ro.color = output_want_color(color, output);
	struct strbuf out = STRBUF_INIT;
	if (!strcmp(format, "json"))
		report_json(&out, &res, &ro);
	else if (!strcmp(format, "sarif"))
		report_sarif(&out, &res, &ro);
	else
		report_text(&out, &res, &ro);
	if (output_write(output, out.s, out.len) != 0) {
		rc = 2;
	} else if (diag_count(&res.diags, DIAG_ERROR)) {
		rc = 2;
		if (strcmp(format, "text") || output) {
			/* Machine formats carry the errors; say so on stderr too. */
			for (size_t i = 0; i < res.diags.n; i++)
				if (res.diags.v[i].level == DIAG_ERROR)
					(void)diag_print(&res.diags.v[i], stderr);
		}
	} else {
		rc = 0;
		for (size_t i = 0; i < res.findings.n && !ro.fail_on_none; i++) {
			const struct finding *f = &res.findings.v[i];
			if (!f->suppressed && f->severity >= (int)ro.fail_on)
				rc = 1;
		}
	}
	sb_free(&out);
	scan_result_free(&res);
out:
	for (size_t i = 0; i < np; i++)
		free((char *)pkeys[i]);
	free(pkeys);
	free(pvals);
	return rc;
}

int cmd_checks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text";
	int c;
	struct opts op;
	opts_begin(&op, "rampart checks", argc, argv, "f:h", longopts);
	while ((c = opts_next(&op)) != -1) {
		switch (c) {
		case 'f': format = op.arg; break;
		case 'h':
			puts("usage: rampart checks [--format text|json]\n\n"
			     "List every check: ID, severity, layer, title, and the same control's IDs in\n"
			     "Security Hub (FSBP), CIS AWS Foundations, Checkov, KICS, cfn_nag and cdk-nag,\n"
			     "with the UK GDPR articles it evidences.  json adds remediation and snippets.\n\n"
			     "options:\n"
			     "  -f, --format FMT   text (default) or json\n"
			     "  -h, --help         this help");
			return 0;
		default: /* OPTS_ERROR: reported */
			return 2;
		}
	}
	if (op.first < argc)
		return opts_usage_error(&op, "takes no operand ('%s')", argv[op.first]);
	struct strbuf out = STRBUF_INIT;
	if (!strcmp(format, "json"))
		report_checks_json(&out);
	else if (!strcmp(format, "text"))
		report_checks_text(&out);
	else {
		sb_free(&out);
		return opts_usage_error(&op, "--format: '%s' is not text or json", format);
	}
	int rc = output_write(NULL, out.s, out.len) ? 2 : 0;
	sb_free(&out);
	return rc;
}
