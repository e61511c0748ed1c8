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
#include "cli/opts.h"
#include "cli/output.h"
#include "core/strbuf.h"
#include "trail/detect.h"
#include "trail/output.h"
#include "trail/policy_gen.h"
#include "trail/read.h"
#include "trail/sigma.h"
#include "trail/unused.h"
#include "trail/usage.h"

#include <errno.h>
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
    "  -f, --format F   text (default), json, jsonl (one detection a line), sarif\n"
    "  -o, --output FILE  write the report to FILE instead of standard output\n"
    "  --fail-on LEVEL  exit 1 when a detection is at or above LEVEL:\n"
    "                   info, low, medium, high (default), critical, or none\n"
    "  --rules DIR      also load the Sigma rules in DIR (repeatable)\n"
    "  --no-default-rules  do not load the bundled CloudTrail Sigma rules\n"
    "  --only SET       run only these detection sets: cis,rampart,sigma\n"
    "  --since T        ignore events before T (ISO 8601 UTC: 2023-07-10,\n"
    "                   2023-07-10T11:42Z, 2023-07-10T11:42:36Z; a real date\n"
    "                   and time, seconds 00-60; +00:00 may replace Z)\n"
    "  --until T        ignore events after T (not before --since)\n"
    "  --account ID     only events of this account (recipient or caller)\n"
    "  --region R       only events in this region\n"
    "  -j, --threads N  reader threads, 1 to 256 (default: all cores; --jobs too)\n"
    "  --no-progress    never draw the progress bar (it is drawn on a terminal\n"
    "                   for runs longer than a second)\n"
    "  --max-per-detection N  list at most the N earliest detections of each\n"
    "                   id, 0 to 100000000 (default 1000; 0: all); counts stay exact\n"
    "  --list           list the detections (with --rules: the Sigma rules too)\n"
    "  -h, --help       this help\n"
    "\n"
    "The bundled rules are read from $RAMPART_SIGMA_RULES if set, else from\n"
    "PREFIX/share/rampart/sigma/cloudtrail beside an installed PREFIX/bin/rampart,\n"
    "else from data/sigma/cloudtrail of the source tree.\n"
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
    "  -f, --format F   text (default) or json\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "  --since T, --until T, --account ID, --region R, -j/--threads N,\n"
    "  --no-progress    as for 'rampart trail detect'\n"
    "  -h, --help       this help\n"
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
    "  -f, --format F   json (default: the policy document alone, ready to paste;\n"
    "                   the window and call count go to standard error) or text\n"
    "                   (the policy after // comment lines giving them: for\n"
    "                   reading, not for pasting)\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "  --since T, --until T, --account ID, --region R, -j/--threads N,\n"
    "  --no-progress    as for 'rampart trail detect'\n"
    "  -h, --help       this help\n"
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
    "Run 'rampart trail <command> --help' for a command's options.\n";

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Where `make install` puts the bundled rules, relative to the directory
 * above the executable's (PREFIX/bin/rampart: PREFIX/share/rampart/...), so
 * an installed tree works wherever it is (DESTDIR, a moved prefix).
 */
#define RULES_INSTALLED "share/rampart/sigma/cloudtrail"

/* The directory of the running executable into dir (no trailing '/'); false if unknown. */
static bool exe_dir(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n <= 0)
		return false;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/*
 * The bundled CloudTrail Sigma rules: $RAMPART_SIGMA_RULES; else where
 * `make install` put them beside the executable; else, in a source tree,
 * data/sigma/cloudtrail or ../shared/corpus/cloudtrail/sigma-rules under
 * the working directory, the executable's directory or its parent.
 */
static const char *default_rules_dir(char *buf, size_t size)
{
	const char *env = getenv("RAMPART_SIGMA_RULES");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	bool have_exe = exe_dir(exe, sizeof exe);
	if (have_exe) {
		int w = snprintf(buf, size, "%.2048s/../%s", exe, RULES_INSTALLED);
		if (w > 0 && (size_t)w < size && is_dir(buf))
			return buf;
	}
	static const char *const rel[] = {"data/sigma/cloudtrail",
					  "../shared/corpus/cloudtrail/sigma-rules"};
	for (size_t i = 0; i < 2; i++)
		if (is_dir(rel[i])) {
			snprintf(buf, size, "%s", rel[i]);
			return buf;
		}
	for (int up = 0; have_exe && up < 2; up++) {
		for (size_t i = 0; i < 2; i++) {
			int w = snprintf(buf, size, "%.2048s/%s", exe, rel[i]);
			if (w > 0 && (size_t)w < size && is_dir(buf))
				return buf;
		}
		char *slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return NULL;
}

/* The bundled rules (unless default_rules is false) and those of dirs into s; a warning if there are none. */
static void load_rules(struct sigma_set *s, bool default_rules, const char **dirs, size_t ndirs)
{
	char buf[PATH_MAX];
	const char *dflt = default_rules ? default_rules_dir(buf, sizeof(buf)) : NULL;
	if (default_rules && !dflt && !ndirs)
		fputs("rampart trail detect: warning: bundled Sigma rules not found (set "
		      "RAMPART_SIGMA_RULES, use --rules DIR, or 'make install' them); running without Sigma\n",
		      stderr);
	if (dflt)
		sigma_load_dir(s, dflt);
	for (size_t i = 0; i < ndirs; i++)
		sigma_load_dir(s, dirs[i]);
}

/* `trail detect --list` into sb; 2 if a Sigma rule cannot run (it is listed), else 0. */
static int list_detections(struct strbuf *sb, bool default_rules, const char **dirs, size_t ndirs)
{
	for (size_t i = 0; i < trail_cis_count; i++)
		sb_printf(sb, "%-14s %-8s %s\n", trail_cis[i].id, severity_name(trail_cis[i].level),
			  trail_cis[i].title);
	for (size_t i = 0; i < trail_rules_count; i++)
		sb_printf(sb, "%-14s %-8s %s\n", trail_rules[i].id, severity_name(trail_rules[i].level),
			  trail_rules[i].title);
	sb_printf(sb, "%-14s %-8s %s\n", RMP_SECRET_NEW_READER, "medium",
		  "Secret value read by a principal not seen reading secrets earlier in the window");
	sb_printf(sb, "%-14s %-8s %d or more denied calls by one principal within %d s\n",
		  RMP_DENIED_BURST, "medium", DENIED_BURST_COUNT, DENIED_BURST_SECONDS);
	struct sigma_set s;
	sigma_set_init(&s);
	load_rules(&s, default_rules, dirs, ndirs);
	for (size_t i = 0; i < s.n; i++)
		sb_printf(sb, "%-36s %-8s %s (Sigma, %s)\n", sigma_rule_id(s.v[i]),
			  severity_name(sigma_rule_level(s.v[i])), sigma_rule_title(s.v[i]),
			  sigma_rule_author(s.v[i]) ? sigma_rule_author(s.v[i]) : "no author");
	for (size_t i = 0; i < s.nrej; i++)
		sb_printf(sb, "not run: %s (%s): %s\n", s.rej[i].name, s.rej[i].file, s.rej[i].reason);
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
	/* json is the document alone: what it was built from is said here instead */
	if (ok && !text)
		fprintf(stderr, "rampart trail policy: least privilege for %s from %llu successful call%s, %s .. %s\n",
			arn, (unsigned long long)info.events, info.events == 1 ? "" : "s",
			info.first[0] ? info.first : "-", info.last[0] ? info.last : "-");
	for (size_t i = 0; i < info.nunmapped; i++)
		fprintf(stderr, "rampart trail policy: warning: %s is not in the IAM catalogue; left out\n",
			info.unmapped[i]);
	if (!ok)
		fprintf(stderr, "rampart trail policy: %s made no successful call with an IAM action "
				"in the window\n", arn);
	policy_gen_info_free(&info);
	return ok;
}

enum trail_mode { MODE_DETECT, MODE_USAGE, MODE_POLICY };

/* --max-per-detection: more than any report can usefully list; 0 means all. */
#define MAX_PER_DETECTION 100000000LL

/* The long options of the three subcommands; each refuses the others' own. */
static const struct option trail_longopts[] = {
	{"format", required_argument, NULL, 'f'},
	{"output", required_argument, NULL, 'o'},
	{"since", required_argument, NULL, 'S'},
	{"until", required_argument, NULL, 'U'},
	{"account", required_argument, NULL, 'A'},
	{"region", required_argument, NULL, 'G'},
	{"threads", required_argument, NULL, 'j'},
	{"jobs", required_argument, NULL, 'j'},
	{"no-progress", no_argument, NULL, 'P'},
	{"fail-on", required_argument, NULL, 'F'},         /* detect */
	{"rules", required_argument, NULL, 'R'},           /* detect */
	{"no-default-rules", no_argument, NULL, 'N'},      /* detect */
	{"only", required_argument, NULL, 'O'},            /* detect */
	{"max-per-detection", required_argument, NULL, 'M'}, /* detect */
	{"list", no_argument, NULL, 'L'},                  /* detect */
	{"templates", required_argument, NULL, 't'},       /* usage */
	{"policies", required_argument, NULL, 'p'},        /* usage */
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* The subcommand an option belongs to, if only one; else -1. */
static int option_owner(int c)
{
	switch (c) {
	case 'F': case 'R': case 'N': case 'O': case 'M': case 'L': return MODE_DETECT;
	case 't': case 'p': return MODE_USAGE;
	default: return -1;
	}
}

static const char *option_name(int c)
{
	for (const struct option *l = trail_longopts; l->name; l++)
		if (l->val == c)
			return l->name;
	return "?";
}

/* --only cis,rampart,sigma: exactly those words. */
static int parse_only(const struct opts *op, const char *v, struct trail_run *run, bool *sigma)
{
	run->cis = run->rampart = *sigma = false;
	for (const char *p = v;;) {
		size_t n = strcspn(p, ",");
		if (n == 3 && !strncmp(p, "cis", 3))
			run->cis = true;
		else if (n == 7 && !strncmp(p, "rampart", 7))
			run->rampart = true;
		else if (n == 5 && !strncmp(p, "sigma", 5))
			*sigma = true;
		else
			return opts_usage_error(op, "--only takes cis, rampart, sigma (comma-separated), not '%s'", v);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* --since and --until: ISO 8601 UTC as the help says, a real calendar date and time. */
static int parse_time(const struct opts *op, const char *name, const char *v, char out[20])
{
	if (!trail_time_norm(v, out))
		return opts_usage_error(op, "%s: '%s' is not a UTC date or time (2023-07-10, 2023-07-10T11:42Z, "
					    "2023-07-10T11:42:36Z)", name, v);
	return 0;
}

/* `trail detect`, `trail usage` and `trail policy`: the same reading, different results. */
static int cmd_read(int argc, char **argv, enum trail_mode mode)
{
	static const char *const cmd_names[] = {"rampart trail detect", "rampart trail usage", "rampart trail policy"};
	const char *cmd = cmd_names[mode];
	bool usage_mode = mode != MODE_DETECT, policy_mode = mode == MODE_POLICY;
	const char *principal = NULL;
	enum trail_format fmt = mode == MODE_POLICY ? TF_JSON : TF_TEXT; /* a policy is pasted: JSON */
	const char *out_path = NULL;
	int fail_on = SEV_HIGH;
	bool default_rules = true, progress = true;
	const char **rule_dirs = calloc((size_t)argc + 1, sizeof(char *));
	char **paths = NULL;
	char **templates = calloc((size_t)argc + 1, sizeof(char *));
	char **policies = calloc((size_t)argc + 1, sizeof(char *));
	if (!rule_dirs || !templates || !policies) {
		free(rule_dirs);
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
	int rc = 0, c;
	long long n;
	struct opts op;
	opts_begin(&op, cmd, argc, argv, "f:o:j:h", trail_longopts);
	while ((c = opts_next(&op)) != -1) {
		const char *v = op.arg;
		int owner = option_owner(c);
		if (owner >= 0 && owner != (int)mode) {
			rc = opts_usage_error(&op, "--%s is an option of 'trail %s' only", option_name(c),
					      owner == MODE_DETECT ? "detect" : "usage");
			goto out;
		}
		switch (c) {
		case 'h':
			fputs(policy_mode ? policy_help : usage_mode ? usage_help : detect_help, stdout);
			goto out;
		case 't': templates[ntemplates++] = (char *)v; break;
		case 'p': policies[npolicies++] = (char *)v; break;
		case 'f':
			if (!strcmp(v, "text"))
				fmt = TF_TEXT;
			else if (!strcmp(v, "json"))
				fmt = TF_JSON;
			else if (!strcmp(v, "jsonl"))
				fmt = TF_JSONL;
			else if (!strcmp(v, "sarif"))
				fmt = TF_SARIF;
			else {
				rc = opts_usage_error(&op, "--format: '%s' is not text, json, jsonl or sarif", v);
				goto out;
			}
			break;
		case 'o': out_path = v; break;
		case 'F': {
			enum severity sev;
			fail_on = !strcmp(v, "none") ? SEV_CRITICAL + 1 : severity_parse(v, &sev) ? -1 : (int)sev;
			if (fail_on < 0) {
				rc = opts_usage_error(&op, "--fail-on: '%s' is not info, low, medium, high, critical or none", v);
				goto out;
			}
			break;
		}
		case 'R': rule_dirs[nrules++] = v; break;
		case 'N': default_rules = false; break;
		case 'P': progress = false; break;
		case 'L': list = true; break;
		case 'O':
			if ((rc = parse_only(&op, v, &run, &want_sigma)))
				goto out;
			break;
		case 'S':
			if ((rc = parse_time(&op, "--since", v, since)))
				goto out;
			run.filter.since = since;
			break;
		case 'U':
			if ((rc = parse_time(&op, "--until", v, until)))
				goto out;
			run.filter.until = until;
			break;
		case 'A': run.filter.account = v; break;
		case 'G': run.filter.region = v; break;
		case 'M':
			if (opts_number(&op, "--max-per-detection", v, 0, MAX_PER_DETECTION, &n)) {
				rc = 2;
				goto out;
			}
			run.max_per_detection = (size_t)n;
			break;
		case 'j':
			if (opts_number(&op, "--threads", v, 1, OPTS_MAX_JOBS, &n)) {
				rc = 2;
				goto out;
			}
			run.threads = (int)n;
			break;
		default: /* OPTS_ERROR: reported */
			rc = 2;
			goto out;
		}
	}
	if (run.filter.since && run.filter.until && strcmp(since, until) > 0) {
		rc = opts_usage_error(&op, "--since %s is after --until %s: no event can match", since, until);
		goto out;
	}
	paths = argv + op.first;
	npaths = (size_t)(argc - op.first);
	if (policy_mode && npaths) {
		principal = paths[0];
		paths++;
		npaths--;
	}
	if (list) {
		struct strbuf sb = STRBUF_INIT;
		rc = list_detections(&sb, default_rules, rule_dirs, nrules);
		if (output_write(out_path, sb.s, sb.len))
			rc = 2;
		sb_free(&sb);
		goto out;
	}
	if (policy_mode && !principal) {
		rc = opts_usage_error(&op, "no PRINCIPAL given (a role ARN or name)");
		goto out;
	}
	if (!npaths) {
		rc = opts_usage_error(&op, "no PATH given (a file, a directory, or - for stdin)");
		goto out;
	}
	if (usage_mode && fmt != TF_TEXT && fmt != TF_JSON) {
		rc = opts_usage_error(&op, "writes text or json");
		goto out;
	}
	if (ntemplates) {
		iam_stacks_load(templates, (int)ntemplates, NULL, NULL, &stacks);
		if (diags_print(&stacks.d, stderr))
			rc = 2;
		if (!stacks.n) {
			rc = opts_usage_error(&op, "no CloudFormation/SAM template found in --templates");
			goto out;
		}
	}
	if (npolicies) {
		authz_load(policies, npolicies, &authz);
		if (diags_print(&authz.d, stderr))
			rc = 2;
		if (!authz.n && !ntemplates) {
			rc = opts_usage_error(&op, "no role or user read from --policies");
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
		load_rules(&sigma, default_rules, rule_dirs, nrules);
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
	bool to_stdout = !out_path || !strcmp(out_path, "-");
	FILE *f = to_stdout ? stdout : fopen(out_path, "w");
	int open_errno = errno;
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
		errno = 0;
		wrote = (!sb.len || fwrite(sb.s, 1, sb.len, f) == sb.len) && !o.write_failed;
		if (to_stdout)
			wrote = fflush(f) == 0 && !ferror(f) && wrote;
		else
			wrote = (fclose(f) == 0) && wrote;
	} else {
		errno = open_errno;
	}
	if (!wrote)
		output_write_failed(to_stdout ? NULL : out_path);
	sb_free(&sb);

	for (size_t i = 0; i < run.skips.n; i++) {
		const struct trail_skip *k = &run.skips.v[i];
		fprintf(stderr, "%s: byte %llu%s: warning: %s\n", k->file,
			(unsigned long long)k->offset, k->compressed_offset ? " (compressed)" : "",
			k->reason);
	}
	for (size_t i = 0; i < sigma.nrej; i++)
		if (sigma.rej[i].line) /* a malformed value: the rule is in error there */
			fprintf(stderr, "%s:%d:%d: error: Sigma rule '%s' not run: %s\n", sigma.rej[i].file,
				sigma.rej[i].line, sigma.rej[i].col, sigma.rej[i].name, sigma.rej[i].reason);
		else
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
	return rc;
}

static int cmd_trail_detect(int argc, char **argv)
{
	return cmd_read(argc, argv, MODE_DETECT);
}

static int cmd_trail_usage(int argc, char **argv)
{
	return cmd_read(argc, argv, MODE_USAGE);
}

static int cmd_trail_policy(int argc, char **argv)
{
	return cmd_read(argc, argv, MODE_POLICY);
}

int cmd_trail(int argc, char **argv)
{
	static const struct opts_command cmds[] = {
		{"detect", cmd_trail_detect},
		{"usage", cmd_trail_usage},
		{"policy", cmd_trail_policy},
		{NULL, NULL},
	};
	return opts_dispatch("rampart trail", trail_help, cmds, argc, argv);
}
