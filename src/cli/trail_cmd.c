/*
 * trail_cmd.c - `rampart trail`: read CloudTrail logs and report what
 * matters: `detect`, `usage` (IAM actions used per principal) and `policy`
 * (a least-privilege policy from that use).
 *
 * Exit codes as in scan: 0 clean, 1 detections at or above --fail-on,
 * 2 usage error or anything skipped (unreadable input, malformed records,
 * Sigma rules that could not run) - the report is still written in full.
 */
#include "cli/commands.h"
#include "core/strbuf.h"
#include "trail/detect.h"
#include "trail/output.h"
#include "trail/policy_gen.h"
#include "trail/read.h"
#include "trail/sigma.h"
#include "trail/unused.h"
#include "trail/usage.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char detect_help[] =
    "usage: rampart trail detect PATH... [options]\n"
    "\n"
    "Read CloudTrail logs and report suspicious or risky events: the CIS AWS\n"
    "Foundations monitoring controls 4.1-4.15, rampart's database-stack\n"
    "detections (RMP-TRAIL-NNN) and Sigma rules.\n"
    "\n"
    "PATH is a file, a directory (read recursively, e.g. the S3 layout\n"
    "AWSLogs/<account>/CloudTrail/<region>/<y>/<m>/<d>/), or - for standard\n"
    "input.  Accepted: .json.gz delivery files ({\"Records\":[...]}, multi-member\n"
    "gzip too), plain .json, JSON arrays of events, JSON lines (CloudTrail Lake,\n"
    "CloudWatch Logs exports).  Digest files are skipped.\n"
    "\n"
    "options:\n"
    "  --format F       text (default), json, jsonl (one detection a line), sarif\n"
    "  --output FILE    write the report to FILE instead of standard output\n"
    "  --fail-on LEVEL  exit 1 when a detection is at or above LEVEL:\n"
    "                   info, low, medium, high (default), critical, or none\n"
    "  --rules DIR      also load the Sigma rules in DIR (repeatable)\n"
    "  --no-default-rules  do not load the bundled CloudTrail Sigma rules\n"
    "  --only SET       run only these detection sets: cis,rampart,sigma\n"
    "  --since T        ignore events before T (ISO 8601 UTC: 2023-07-10,\n"
    "                   2023-07-10T11:42Z, 2023-07-10T11:42:36Z)\n"
    "  --until T        ignore events after T\n"
    "  --account ID     only events of this account (recipient or caller)\n"
    "  --region R       only events in this region\n"
    "  --threads N      reader threads (default: all cores)\n"
    "  --no-progress    never draw the progress bar (it is drawn on a terminal\n"
    "                   for runs longer than a second)\n"
    "  --max-per-detection N  list at most the N earliest detections of each\n"
    "                   id (default 1000; 0: all); counts stay exact\n"
    "  --list           list the detections (with --rules: the Sigma rules too)\n"
    "\n"
    "CIS 4.1 follows the control's intent, not its broken v1.4-v3.0 text:\n"
    "errorCode *UnauthorizedOperation or AccessDenied*, not from\n"
    "delivery.logs.amazonaws.com, not HeadBucket.\n"
    "\n"
    "exit: 0 nothing at or above --fail-on, 1 detections at or above it,\n"
    "      2 usage error or something skipped (listed on stderr and in the\n"
    "      report: file, byte offset, reason; the rest is still read).\n"
    "\n"
    "examples:\n"
    "  rampart trail detect AWSLogs/ --since 2024-01-01 --format json -o out.json\n"
    "  aws s3 cp s3://bucket/AWSLogs/ - --recursive | rampart trail detect -\n"
    "  rampart trail detect logs/ --only sigma --rules my-rules/ --fail-on medium\n";

static const char usage_help[] =
    "usage: rampart trail usage PATH... [options]\n"
    "\n"
    "Per principal, the IAM actions it used in the logs: count, first and last\n"
    "use, and the resources the events name (up to 20 per action).  Sessions\n"
    "of an assumed role are rolled up to the role.  eventSource + eventName\n"
    "become the IAM action with the known exceptions (S3 names such as\n"
    "ListObjects -> s3:ListBucket, monitoring -> cloudwatch, versioned names\n"
    "such as CreateDistribution2015_07_27); events no IAM action authorises\n"
    "(sts:GetCallerIdentity, console sign-in) and failed calls are counted\n"
    "apart, not as use.  PATH as for 'rampart trail detect'.\n"
    "\n"
    "options:\n"
    "  --format F       text (default) or json\n"
    "  --output FILE    write to FILE instead of standard output\n"
    "  --since T, --until T, --account ID, --region R, --threads N,\n"
    "  --no-progress    as for 'rampart trail detect'\n"
    "\n"
    "  --templates PATH a CloudFormation/SAM template or a directory of them\n"
    "                   (repeatable): instead of the per-principal list, review\n"
    "                   each role of the templates against the logs, like IAM\n"
    "                   Access Analyzer's unused access: roles never used,\n"
    "                   granted actions never used (Allow patterns expanded with\n"
    "                   the IAM catalogue), per service \"dynamodb: 3 of 47\n"
    "                   granted actions used\", services never touched.  A role\n"
    "                   is matched by its RoleName, else by the name\n"
    "                   CloudFormation generates (STACK-LOGICALID-SUFFIX).\n"
    "                   IAM users of the templates are reviewed too, with the\n"
    "                   policies of the template groups they belong to.\n"
    "  --policies FILE|DIR  the output of 'aws iam get-account-authorization-\n"
    "                   details' (a DIR: its *.json files, e.g. pages saved\n"
    "                   apart; repeatable): the same review for every role and\n"
    "                   user of the account, with their inline and attached\n"
    "                   managed policies (default version only) and a user's\n"
    "                   groups' policies; policy documents as JSON objects or\n"
    "                   URL-encoded strings.  Matched by exact ARN, else by\n"
    "                   name in the same account (assumed-role sessions).\n"
    "  --policies NAME=FILE  one IAM policy document for one principal: NAME is\n"
    "                   a role or user ARN, or a name (a role or user of that\n"
    "                   name).\n"
    "\n"
    "Granted means: Allow statements expanded with the IAM catalogue (NotAction\n"
    "to every catalogue action it does not name), minus the actions an\n"
    "unconditional Deny (Resource \"*\", no Condition) removes, capped by the\n"
    "permissions boundary if any; patterns naming no known service are listed\n"
    "as not expanded.\n"
    "\n"
    "exit: 0 read cleanly, 2 usage error, a template or policies error (given\n"
    "      with file:line:col; the rest is still reviewed), or something\n"
    "      skipped.\n"
    "\n"
    "examples:\n"
    "  rampart trail usage AWSLogs/ --templates template.yaml\n"
    "  aws iam get-account-authorization-details > authz.json\n"
    "  rampart trail usage AWSLogs/ --policies authz.json --format json -o unused.json\n"
    "  rampart trail usage AWSLogs/ --policies app-role=app-policy.json\n";

static const char policy_help[] =
    "usage: rampart trail policy PRINCIPAL PATH... [options]\n"
    "\n"
    "A least-privilege identity policy from what PRINCIPAL did in the logs,\n"
    "like IAM Access Analyzer's policy generation: the IAM actions of its\n"
    "successful calls (mapped as in 'rampart trail usage'), one statement per\n"
    "service and resource set, resources narrowed to the ARNs the events named\n"
    "(else \"*\"), sorted, ready to paste.  PRINCIPAL is an ARN as 'trail usage'\n"
    "reports it or a role or user name; sessions of an assumed role count as\n"
    "the role.  Actions the IAM catalogue does not know are left out and listed\n"
    "on standard error (and in the text header).\n"
    "\n"
    "options:\n"
    "  --format F       json (the policy alone) or text (default: the policy\n"
    "                   after // comment lines giving the window and call count)\n"
    "  --output FILE    write to FILE instead of standard output\n"
    "  --since T, --until T, --account ID, --region R, --threads N,\n"
    "  --no-progress    as for 'rampart trail detect'\n"
    "\n"
    "Review the result: a call seen is not a call needed, and a window without\n"
    "a rare task (a restore, a key rotation) yields a policy without it.\n"
    "\n"
    "exit: 0 policy written, 2 usage error, PRINCIPAL not found or with no\n"
    "      call, or something skipped.\n";

static const char trail_help[] =
    "usage: rampart trail <command> [options]\n"
    "\n"
    "commands:\n"
    "  detect PATH...   CIS 4.x, rampart and Sigma detections over CloudTrail logs\n"
    "  usage PATH...    IAM actions used per principal, first and last use\n"
    "  policy PRINCIPAL PATH...  least-privilege policy from what it used\n"
    "\n"
    "Run 'rampart trail detect --help' for its options.\n";

static const char *sub_name = "detect";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "rampart trail %s: ", sub_name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see 'rampart trail %s --help')\n", sub_name);
	return 2;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled CloudTrail Sigma rules: $RAMPART_SIGMA_RULES, then
 * data/sigma/cloudtrail and ../shared/corpus/cloudtrail/sigma-rules next to
 * the working directory or the executable. */
static const char *default_rules_dir(char *buf, size_t size)
{
	const char *env = getenv("RAMPART_SIGMA_RULES");
	if (env && *env)
		return env;
	static const char *const rel[] = {"data/sigma/cloudtrail",
					  "../shared/corpus/cloudtrail/sigma-rules"};
	for (size_t i = 0; i < 2; i++)
		if (is_dir(rel[i])) {
			snprintf(buf, size, "%s", rel[i]);
			return buf;
		}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (int up = 0; up < 2; up++) {
			for (size_t i = 0; i < 2; i++) {
				int w = snprintf(buf, size, "%.2048s/%s", exe, rel[i]);
				if (w > 0 && (size_t)w < size && is_dir(buf))
					return buf;
			}
			slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
	}
	return NULL;
}

static int list_detections(bool default_rules, const char **dirs, size_t ndirs)
{
	for (size_t i = 0; i < trail_cis_count; i++)
		printf("%-14s %-8s %s\n", trail_cis[i].id, trail_level_name(trail_cis[i].level),
		       trail_cis[i].title);
	for (size_t i = 0; i < trail_rules_count; i++)
		printf("%-14s %-8s %s\n", trail_rules[i].id, trail_level_name(trail_rules[i].level),
		       trail_rules[i].title);
	printf("%-14s %-8s %s\n", RMP_SECRET_NEW_READER, "medium",
	       "Secret value read by a principal not seen reading secrets earlier in the window");
	printf("%-14s %-8s %d or more denied calls by one principal within %d s\n",
	       RMP_DENIED_BURST, "medium", DENIED_BURST_COUNT, DENIED_BURST_SECONDS);
	struct sigma_set s;
	sigma_set_init(&s);
	char buf[PATH_MAX];
	const char *dflt = default_rules ? default_rules_dir(buf, sizeof(buf)) : NULL;
	if (dflt)
		sigma_load_dir(&s, dflt);
	for (size_t i = 0; i < ndirs; i++)
		sigma_load_dir(&s, dirs[i]);
	for (size_t i = 0; i < s.n; i++)
		printf("%-36s %-8s %s (Sigma, %s)\n", sigma_rule_id(s.v[i]),
		       trail_level_name(sigma_rule_level(s.v[i])), sigma_rule_title(s.v[i]),
		       sigma_rule_author(s.v[i]) ? sigma_rule_author(s.v[i]) : "no author");
	for (size_t i = 0; i < s.nrej; i++)
		printf("not run: %s (%s): %s\n", s.rej[i].name, s.rej[i].file, s.rej[i].reason);
	int rc = s.nrej ? 2 : 0;
	sigma_set_free(&s);
	return rc;
}

/*
 * `trail policy`: the policy of the principal named `who` into sb.  False
 * (with a message on stderr) when no principal or no usable call matches.
 */
static bool write_policy(struct strbuf *sb, const struct trail_usage *u, const char *who, bool text)
{
	bool ambiguous;
	const char *arn = usage_principal_find(u, who, &ambiguous);
	if (!arn) {
		fprintf(stderr, "rampart trail policy: no principal '%s' in the logs (see 'rampart "
				"trail usage' for those seen)\n", who);
		return false;
	}
	if (ambiguous) {
		fprintf(stderr, "rampart trail policy: '%s' names more than one principal; give the ARN:\n",
			who);
		const char **all;
		size_t n = usage_principals(u, &all);
		for (size_t i = 0; i < n; i++) {
			const char *slash = strrchr(all[i], '/');
			if (slash && !strcmp(slash + 1, who))
				fprintf(stderr, "  %s\n", all[i]);
		}
		free(all);
		return false;
	}
	struct policy_gen_info info;
	bool ok = policy_generate(sb, u, arn, text, &info);
	for (size_t i = 0; i < info.nunmapped; i++)
		fprintf(stderr, "rampart trail policy: warning: %s is not in the IAM catalogue; left out\n",
			info.unmapped[i]);
	if (!ok)
		fprintf(stderr, "rampart trail policy: %s made no successful call with an IAM action "
				"in the window\n", arn);
	policy_gen_info_free(&info);
	return ok;
}

/* `trail detect`, `trail usage` and `trail policy`: the same reading, different results. */
static int cmd_read(int argc, char **argv, bool usage_mode, bool policy_mode)
{
	sub_name = policy_mode ? "policy" : usage_mode ? "usage" : "detect";
	const char *principal = NULL;
	enum trail_format fmt = TF_TEXT;
	const char *out_path = NULL;
	int fail_on = TL_HIGH;
	bool default_rules = true, progress = true;
	const char **rule_dirs = calloc((size_t)argc + 1, sizeof(char *));
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	char **templates = calloc((size_t)argc + 1, sizeof(char *));
	char **policies = calloc((size_t)argc + 1, sizeof(char *));
	if (!rule_dirs || !paths || !templates || !policies) {
		free(rule_dirs);
		free(paths);
		free(templates);
		free(policies);
		return 2;
	}
	size_t nrules = 0, npaths = 0, ntemplates = 0, npolicies = 0;
	struct iam_stacks stacks = {0};
	struct authz_set authz = {0};
	char since[20], until[20];
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.cis = run.rampart = true;
	run.max_per_detection = 1000;
	bool want_sigma = true, list = false;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(a, "--format") || !strcmp(a, "--output") || !strcmp(a, "-o") ||
			     !strcmp(a, "--fail-on") || !strcmp(a, "--rules") ||
			     !strcmp(a, "--since") || !strcmp(a, "--until") ||
			     !strcmp(a, "--account") || !strcmp(a, "--region") ||
			     !strcmp(a, "--threads") || !strcmp(a, "--only") ||
			     !strcmp(a, "--max-per-detection") || !strcmp(a, "--templates") ||
			     !strcmp(a, "--policies");
		if (takes && !v) {
			rc = usage_error("%s needs a value", a);
			goto out;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(policy_mode ? policy_help : usage_mode ? usage_help : detect_help, stdout);
			goto out;
		} else if (usage_mode && (!strcmp(a, "--fail-on") || !strcmp(a, "--rules") ||
					  !strcmp(a, "--only") || !strcmp(a, "--no-default-rules"))) {
			rc = usage_error("%s is an option of 'trail detect' only", a);
			goto out;
		} else if (!strcmp(a, "--templates")) {
			if (!usage_mode || policy_mode) {
				rc = usage_error("%s is an option of 'trail usage' only", a);
				goto out;
			}
			templates[ntemplates++] = (char *)v;
		} else if (!strcmp(a, "--policies")) {
			if (!usage_mode || policy_mode) {
				rc = usage_error("%s is an option of 'trail usage' only", a);
				goto out;
			}
			policies[npolicies++] = (char *)v;
		} else if (!strcmp(a, "--format")) {
			if (!strcmp(v, "text"))
				fmt = TF_TEXT;
			else if (!strcmp(v, "json"))
				fmt = TF_JSON;
			else if (!strcmp(v, "jsonl"))
				fmt = TF_JSONL;
			else if (!strcmp(v, "sarif"))
				fmt = TF_SARIF;
			else {
				rc = usage_error("unknown format '%s' (text, json, jsonl, sarif)", v);
				goto out;
			}
		} else if (!strcmp(a, "--output") || !strcmp(a, "-o")) {
			out_path = v;
		} else if (!strcmp(a, "--fail-on")) {
			fail_on = !strcmp(v, "none") ? TL_CRITICAL + 1 : trail_level_parse(v);
			if (fail_on < 0) {
				rc = usage_error("unknown level '%s' (info, low, medium, high, "
						 "critical, none)",
						 v);
				goto out;
			}
		} else if (!strcmp(a, "--rules")) {
			rule_dirs[nrules++] = v;
		} else if (!strcmp(a, "--no-default-rules")) {
			default_rules = false;
		} else if (!strcmp(a, "--no-progress")) {
			progress = false;
		} else if (!strcmp(a, "--list") && !usage_mode) {
			list = true;
		} else if (!strcmp(a, "--only")) {
			run.cis = strstr(v, "cis") != NULL;
			run.rampart = strstr(v, "rampart") != NULL;
			want_sigma = strstr(v, "sigma") != NULL;
			if (!run.cis && !run.rampart && !want_sigma) {
				rc = usage_error("--only takes cis, rampart, sigma (comma-separated), "
						 "not '%s'",
						 v);
				goto out;
			}
		} else if (!strcmp(a, "--since") || !strcmp(a, "--until")) {
			char *dst = a[2] == 's' ? since : until;
			if (!trail_time_norm(v, dst)) {
				rc = usage_error("'%s' is not an ISO 8601 UTC time "
						 "(2023-07-10 or 2023-07-10T11:42:36Z)",
						 v);
				goto out;
			}
			if (a[2] == 's')
				run.filter.since = since;
			else
				run.filter.until = until;
		} else if (!strcmp(a, "--account")) {
			run.filter.account = v;
		} else if (!strcmp(a, "--region")) {
			run.filter.region = v;
		} else if (!strcmp(a, "--max-per-detection")) {
			char *end;
			long long n = strtoll(v, &end, 10);
			if (*end || n < 0 || n > 100000000) {
				rc = usage_error("--max-per-detection takes a count (0: all), not '%s'",
						 v);
				goto out;
			}
			run.max_per_detection = (size_t)n;
		} else if (!strcmp(a, "--threads")) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 256) {
				rc = usage_error("--threads takes 1..256, not '%s'", v);
				goto out;
			}
			run.threads = (int)n;
		} else if (a[0] == '-' && a[1]) {
			rc = usage_error("unknown option '%s'", a);
			goto out;
		} else if (policy_mode && !principal) {
			principal = argv[i];
		} else {
			paths[npaths++] = argv[i];
		}
		if (takes)
			i++;
	}
	if (list) {
		rc = list_detections(default_rules, rule_dirs, nrules);
		goto out;
	}
	if (policy_mode && !principal) {
		rc = usage_error("%s", "no PRINCIPAL given (a role ARN or name)");
		goto out;
	}
	if (!npaths) {
		rc = usage_error("%s", "no PATH given (a file, a directory, or - for stdin)");
		goto out;
	}
	if (usage_mode && fmt != TF_TEXT && fmt != TF_JSON) {
		rc = usage_error("%s", "writes text or json");
		goto out;
	}
	if (ntemplates) {
		iam_stacks_load(templates, (int)ntemplates, NULL, NULL, &stacks);
		if (diags_print(&stacks.d, stderr))
			rc = 2;
		if (!stacks.n) {
			rc = usage_error("%s", "no CloudFormation/SAM template found in --templates");
			goto out;
		}
	}
	if (npolicies) {
		authz_load(policies, npolicies, &authz);
		if (diags_print(&authz.d, stderr))
			rc = 2;
		if (!authz.n && !ntemplates) {
			rc = usage_error("%s", "no role or user read from --policies");
			goto out;
		}
	}
	if (usage_mode) {
		run.cis = run.rampart = want_sigma = false;
		run.usage = usage_new();
	}

	struct sigma_set sigma;
	sigma_set_init(&sigma);
	if (want_sigma) {
		char buf[PATH_MAX];
		const char *dflt = default_rules ? default_rules_dir(buf, sizeof(buf)) : NULL;
		if (default_rules && !dflt && !nrules)
			fputs("rampart trail detect: warning: bundled Sigma rules not found (set "
			      "RAMPART_SIGMA_RULES or use --rules DIR); running without Sigma\n",
			      stderr);
		if (dflt)
			sigma_load_dir(&sigma, dflt);
		for (size_t i = 0; i < nrules; i++)
			sigma_load_dir(&sigma, rule_dirs[i]);
		run.sigma = &sigma;
	}
	run.progress = progress && isatty(2);

	struct trail_files files = {0};
	trail_files_collect(paths, npaths, &files, &run.skips);
	trail_detect_files(&run, &files);

	struct trail_output o = {
	    .stream = NULL,
	    .found = &run.found,
	    .skips = &run.skips,
	    .rejected = sigma.rej,
	    .nrejected = sigma.nrej,
	    .files = run.files,
	    .events = run.events,
	    .events_in_filter = run.events_matched_filter,
	    .bytes_in = run.bytes_in,
	    .bytes_json = run.bytes_json,
	    .ncis = run.cis ? trail_cis_count : 0,
	    .nrampart = run.rampart ? trail_rules_count + 2 : 0,
	    .nsigma = sigma.n,
	    .truncated = run.truncated,
	    .ntruncated = run.ntruncated,
	};
	struct strbuf sb = STRBUF_INIT;
	FILE *f = out_path ? fopen(out_path, "w") : stdout;
	o.stream = f;
	bool policy_failed = false;
	if (policy_mode)
		policy_failed = !write_policy(&sb, run.usage, principal, fmt == TF_TEXT);
	else if (!usage_mode)
		trail_output_write(&sb, fmt, &o);
	else if ((ntemplates || npolicies) && fmt == TF_JSON)
		unused_write_json(&sb, run.usage, &stacks, &authz);
	else if (ntemplates || npolicies)
		unused_write_text(&sb, run.usage, &stacks, &authz);
	else if (fmt == TF_JSON)
		usage_write_json(&sb, run.usage);
	else
		usage_write_text(&sb, run.usage);
	bool wrote = false;
	if (f) {
		wrote = (!sb.len || fwrite(sb.s, 1, sb.len, f) == sb.len) && !o.write_failed;
		if (out_path)
			wrote = (fclose(f) == 0) && wrote;
		else
			wrote = fflush(f) == 0 && wrote;
	}
	if (!wrote)
		fprintf(stderr, "rampart trail %s: cannot write %s\n", sub_name,
			out_path ? out_path : "standard output");
	sb_free(&sb);

	for (size_t i = 0; i < run.skips.n; i++) {
		const struct trail_skip *k = &run.skips.v[i];
		fprintf(stderr, "%s: byte %llu%s: warning: %s\n", k->file,
			(unsigned long long)k->offset, k->compressed_offset ? " (compressed)" : "",
			k->reason);
	}
	for (size_t i = 0; i < sigma.nrej; i++)
		fprintf(stderr, "%s: warning: Sigma rule '%s' not run: %s\n", sigma.rej[i].file,
			sigma.rej[i].name, sigma.rej[i].reason);

	bool fail = false;
	for (size_t i = 0; i < run.found.n; i++)
		if ((int)run.found.v[i].level >= fail_on)
			fail = true;
	rc = (rc || !wrote || policy_failed || run.skips.n || sigma.nrej) ? 2 : fail ? 1 : 0;

	trail_files_free(&files);
	usage_free(run.usage);
	free(run.truncated);
	detections_free(&run.found);
	trail_skips_free(&run.skips);
	sigma_set_free(&sigma);
out:
	iam_stacks_free(&stacks);
	authz_free(&authz);
	free(templates);
	free(policies);
	free(rule_dirs);
	free(paths);
	return rc;
}

int cmd_trail(int argc, char **argv)
{
	if (argc < 2) {
		fputs(trail_help, stderr);
		return 2;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(trail_help, stdout);
		return 0;
	}
	if (!strcmp(sub, "detect"))
		return cmd_read(argc - 1, argv + 1, false, false);
	if (!strcmp(sub, "usage"))
		return cmd_read(argc - 1, argv + 1, true, false);
	if (!strcmp(sub, "policy"))
		return cmd_read(argc - 1, argv + 1, true, true);
	fprintf(stderr, "rampart trail: unknown command '%s'\n", sub);
	fputs(trail_help, stderr);
	return 2;
}
