/*
 * test_sigma.c - the Sigma engine feature by feature, the 57 SigmaHQ
 * CloudTrail rules, rules it must refuse (with a reason), and the
 * `rampart trail detect` command end to end (formats, exit codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "readback.h"

#include "cli/commands.h"
#include "core/strbuf.h"
#include "trail/read.h"
#include "trail/sigma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS "../shared/corpus/cloudtrail/"

struct one {
	const struct sigma_rule *rule;
	int matched;
};

static void on_ev(const struct trail_event *ev, void *ctx)
{
	struct one *o = ctx;
	struct strbuf sb = STRBUF_INIT;
	o->matched = sigma_match(o->rule, ev, &sb);
	sb_free(&sb);
}

/* Does the rule whose detection block is `det` match the event `json`? */
static int m(const char *det, const char *json)
{
	struct sigma_set s;
	sigma_set_init(&s);
	char yaml[4096];
	snprintf(yaml, sizeof(yaml), "title: t\nid: x\nlevel: high\ndetection:\n%s", det);
	if (!sigma_load_text(&s, "t.yml", yaml)) {
		fail_msg("rule refused: %s", s.nrej ? s.rej[0].reason : "?");
	}
	struct one o = {s.v[0], -1};
	struct trail_reader *r = trail_reader_new();
	struct trail_skips sk = {0};
	trail_read_mem(r, "e.json", json, strlen(json), on_ev, &o, &sk);
	assert_int_equal(sk.n, 0);
	trail_skips_free(&sk);
	trail_reader_free(r);
	sigma_set_free(&s);
	assert_true(o.matched >= 0);
	return o.matched;
}

/* The reason a rule is refused, or NULL if it loads. */
static char *refused(const char *det)
{
	struct sigma_set s;
	sigma_set_init(&s);
	char yaml[4096];
	snprintf(yaml, sizeof(yaml), "title: t\nid: x\ndetection:\n%s", det);
	char *r = NULL;
	if (!sigma_load_text(&s, "t.yml", yaml)) {
		assert_int_equal(s.nrej, 1);
		assert_string_equal(s.rej[0].name, "t");
		r = strdup(s.rej[0].reason);
	}
	sigma_set_free(&s);
	return r;
}

static const char *EVT =
    "{\"eventName\":\"PutUserPolicy\",\"eventSource\":\"iam.amazonaws.com\","
    "\"userAgent\":\"S3 Browser 9.5.5\",\"sourceIPAddress\":\"10.1.2.3\",\"errorCode\":null,"
    "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/bob\","
    "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"}}},"
    "\"requestParameters\":{\"userName\":\"arn:aws:iam::1:user/bob\",\"policyDocument\":"
    "\"{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\"}\","
    "\"status\":\"Suspended\",\"layers\":[\"l1\"]},\"responseElements\":{\"ok\":\"Failure\"}}";

static void test_equality_case_lists(void **st)
{
	(void)st;
	assert_true(m("  sel:\n    eventName: putuserpolicy\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    eventName: PutUser\n  condition: sel\n", EVT));
	/* map = AND */
	assert_false(m("  sel:\n    eventName: PutUserPolicy\n    eventSource: s3.amazonaws.com\n"
		       "  condition: sel\n",
		       EVT));
	/* list = OR */
	assert_true(m("  sel:\n    eventName:\n      - A\n      - PutUserPolicy\n  condition: sel\n",
		      EVT));
	/* list of maps = OR of ANDs */
	assert_true(m("  sel:\n    - eventName: X\n    - eventSource: iam.amazonaws.com\n"
		      "  condition: sel\n",
		      EVT));
	assert_false(m("  sel:\n    - eventName: X\n    - eventSource: Y\n  condition: sel\n", EVT));
	/* nested field */
	assert_true(m("  sel:\n    userIdentity.sessionContext.sessionIssuer.type: role\n"
		      "  condition: sel\n",
		      EVT));
	/* |cased */
	assert_false(m("  sel:\n    eventName|cased: putuserpolicy\n  condition: sel\n", EVT));
}

static void test_wildcards_and_modifiers(void **st)
{
	(void)st;
	assert_true(m("  sel:\n    eventName: Put*Pol?cy\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    eventName: Put*Pol?y\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    userAgent|contains: 's3 browser'\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    eventName|startswith: PutUser\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    eventName|startswith: Policy\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    eventName|endswith: Policy\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    userAgent|contains|all:\n      - S3\n      - '9.5'\n"
		      "  condition: sel\n",
		      EVT));
	assert_false(m("  sel:\n    userAgent|contains|all:\n      - S3\n      - Chrome\n"
		       "  condition: sel\n",
		       EVT));
	/* escaped wildcard is literal */
	assert_false(m("  sel:\n    eventName: 'Put\\*'\n  condition: sel\n", EVT));
	/* re (case-sensitive), cidr, fieldref, exists */
	assert_true(m("  sel:\n    userIdentity.arn|re: '.+:user/b.b$'\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    userIdentity.arn|re: '.+:USER/'\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    sourceIPAddress|cidr: 192.168.0.0/16\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    userIdentity.arn|fieldref: requestParameters.userName\n"
		      "  condition: sel\n",
		      EVT));
	assert_true(m("  sel:\n    requestParameters.status|exists: true\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    requestParameters.nope|exists: true\n  condition: sel\n", EVT));
}

/*
 * Issue 8: |cidr read its prefix with atoi, so "10.0.0.0/x" loaded as /0
 * and matched every IPv4 source.  A malformed block is now a load error
 * with the value's line and column; the rule is not run.
 */
static void test_regression_cidr_strict(void **st)
{
	(void)st;
	static const char *const bad[] = {"10.0.0.0/x", "10.0.0.0/", "10.0.0.0/33", "'10.0.0.0/+8'",
					  "10.0.0.0/08", "'10.0.0.0/8 x'", "10.0.0/8", "'::/129'", "anywhere"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct sigma_set s;
		sigma_set_init(&s);
		char yaml[512];
		snprintf(yaml, sizeof yaml,
			 "title: t\nid: x\ndetection:\n  sel:\n    sourceIPAddress|cidr:\n      - 192.168.0.0/16\n"
			 "      - %s\n  condition: sel\n",
			 bad[i]);
		assert_false(sigma_load_text(&s, "t.yml", yaml));
		assert_int_equal(s.nrej, 1);
		assert_int_equal(s.rej[0].line, 7);
		assert_int_equal(s.rej[0].col, 9);
		assert_non_null(strstr(s.rej[0].reason, "is not a CIDR block"));
		sigma_set_free(&s);
	}
	/* what does load: a bare address (one host), host bits (the network), IPv6 */
	assert_true(m("  sel:\n    sourceIPAddress|cidr: 10.1.2.3\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    sourceIPAddress|cidr: 10.1.2.4\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    sourceIPAddress|cidr: 10.1.2.77/24\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    sourceIPAddress|cidr: 10.1.3.0/24\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    sourceIPAddress|cidr: '::/0'\n  condition: sel\n", EVT));
	static const char *V6 = "{\"eventName\":\"X\",\"sourceIPAddress\":\"2001:db8::7\"}";
	assert_true(m("  sel:\n    sourceIPAddress|cidr: '2001:db8::/32'\n  condition: sel\n", V6));
	assert_false(m("  sel:\n    sourceIPAddress|cidr: 0.0.0.0/0\n  condition: sel\n", V6));
}

struct hits {
	int n;
};

static void on_hit(const struct sigma_rule *r, const struct trail_event *ev, void *ctx)
{
	(void)r;
	(void)ev;
	((struct hits *)ctx)->n++;
}

struct run_ctx {
	const struct sigma_set *s;
	struct hits h;
};

static void on_ev_run(const struct trail_event *ev, void *ctx)
{
	struct run_ctx *c = ctx;
	struct strbuf sb = STRBUF_INIT;
	sigma_run(c->s, ev, &sb, on_hit, &c->h);
	sb_free(&sb);
}

/* Through sigma_run, with the set indexed (eventName index, prefilters):
 * does the rule whose detection block is `det` match the event `json`? */
static int mr(const char *det, const char *json)
{
	struct sigma_set s;
	sigma_set_init(&s);
	char yaml[4096];
	snprintf(yaml, sizeof(yaml), "title: t\nid: x\nlevel: high\ndetection:\n%s", det);
	if (!sigma_load_text(&s, "t.yml", yaml))
		fail_msg("rule refused: %s", s.nrej ? s.rej[0].reason : "?");
	sigma_set_index(&s);
	struct run_ctx c = {&s, {0}};
	struct trail_reader *r = trail_reader_new();
	struct trail_skips sk = {0};
	trail_read_mem(r, "e.json", json, strlen(json), on_ev_run, &c, &sk);
	trail_skips_free(&sk);
	trail_reader_free(r);
	int got = c.h.n;
	sigma_set_free(&s);
	/* the index never changes an answer: the rule alone agrees */
	assert_int_equal(got, m(det, json));
	return got;
}

/* Rules no eventName narrows get a prefilter on another field; it may
 * only ever let more events through than the rule would. */
static void test_prefilter_on_other_fields(void **st)
{
	(void)st;
	const char *assumed = "{\"eventName\":\"X\",\"userIdentity\":{\"type\":\"assumedrole\","
			      "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"}}}}";
	const char *user = "{\"eventName\":\"X\",\"userIdentity\":{\"type\":\"IAMUser\"}}";
	const char *none = "{\"eventName\":\"X\"}";
	const char *numeric = "{\"eventName\":\"X\",\"userIdentity\":{\"type\":5}}";
	const char *sel = "  sel:\n    userIdentity.type: AssumedRole\n  condition: sel\n";
	assert_int_equal(mr(sel, assumed), 1); /* case-insensitive, as Sigma */
	assert_int_equal(mr(sel, user), 0);
	assert_int_equal(mr(sel, none), 0);
	const char *cased = "  sel:\n    userIdentity.type|cased: AssumedRole\n  condition: sel\n";
	assert_int_equal(mr(cased, assumed), 0); /* passes the prefilter, not the rule */
	const char *neg = "  sel:\n    userIdentity.type: Root\n  condition: not sel\n";
	assert_int_equal(mr(neg, user), 1);
	assert_int_equal(mr(neg, none), 1);
	const char *num = "  sel:\n    userIdentity.type: 5\n  condition: sel\n";
	assert_int_equal(mr(num, numeric), 1); /* not a string: the rule decides */
	const char *alt = "  a:\n    eventSource: s3.amazonaws.com\n  b:\n    eventSource: ec2.amazonaws.com\n"
			  "  condition: a or b\n";
	assert_int_equal(mr(alt, "{\"eventSource\":\"ec2.amazonaws.com\"}"), 1);
	assert_int_equal(mr(alt, "{\"eventSource\":\"iam.amazonaws.com\"}"), 0);
}

/* The regex literal prefilter (sigma.c required_literal) must never reject
 * what the regex matches: optional characters, counted repeats, classes,
 * escapes, and inline options (which disable it). */
static void test_regex_prefilter(void **st)
{
	(void)st;
	static const struct {
		const char *re;
		bool match;
	} cases[] = {
	    {".+:us?er/bob", true},   {".+:usx?er/bob", true}, {"(user|role)/bob", true},
	    {"USER", false},          {"user\\/bob", true},   {"a{0}user", true},
	    {"[xyz]*:user", true},    {"\\duser", false},     {"(?i)USER/BOB", true},
	    {"iam::1:user/bob$", true}, {"iam::2:user", false}, {"x*iam::1", true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char det[256];
		snprintf(det, sizeof(det), "  sel:\n    userIdentity.arn|re: '%s'\n  condition: sel\n",
			 cases[i].re);
		if (m(det, EVT) != cases[i].match)
			fail_msg("regex %s: expected %d", cases[i].re, cases[i].match);
	}
	/* '*literal*' globs take the substring path: case folding and cased */
	assert_true(m("  sel:\n    userAgent|contains: 'BROWSER 9'\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    userAgent|contains: 'browser 9.6'\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    userAgent|contains|cased: 'S3 Brow'\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    userAgent|contains|cased: 's3 brow'\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    userAgent|contains: '9.5.5'\n  condition: sel\n", EVT));
}

static void test_objects_null_star(void **st)
{
	(void)st;
	/* |contains over a whole sub-object */
	assert_true(m("  sel:\n    requestParameters|contains: suspended\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    responseElements|contains: 'Failure'\n  condition: sel\n", EVT));
	/* nested JSON document inside a string: matched decoded */
	assert_true(m("  sel:\n    requestParameters|contains|all:\n      - '\"s3:GetObject\"'\n"
		      "      - '\"Allow\"'\n  condition: sel\n",
		      EVT));
	/* null: JSON null or absent */
	assert_true(m("  sel:\n    errorCode: null\n  condition: sel\n", EVT));
	assert_true(m("  sel:\n    errorMessage: null\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    eventName: null\n  condition: sel\n", EVT));
	/* contains '*': present and non-empty */
	assert_true(m("  sel:\n    requestParameters.layers|contains: '*'\n  condition: sel\n", EVT));
	assert_false(m("  sel:\n    errorCode|contains: '*'\n  condition: sel\n", EVT));
	/* an empty value matches an empty string only */
	assert_true(m("  sel:\n    requestParameters.empty: ''\n  condition: sel\n",
		      "{\"requestParameters\":{\"empty\":\"\"}}"));
	assert_false(m("  sel:\n    eventName: ''\n  condition: sel\n", EVT));
	/* keyword list: anywhere in the record */
	assert_true(m("  keywords:\n    - 'S3 BROWSER'\n  condition: keywords\n", EVT));
}

static void test_conditions(void **st)
{
	(void)st;
	const char *sels = "  sel_a:\n    eventName: PutUserPolicy\n"
			   "  sel_b:\n    eventSource: nope\n"
			   "  filter_x:\n    userAgent|contains: Browser\n"
			   "  filter_y:\n    eventName: nope\n";
	char det[1024];
#define C(cond) (snprintf(det, sizeof(det), "%s  condition: %s\n", sels, cond), m(det, EVT))
	assert_true(C("sel_a"));
	assert_false(C("sel_a and sel_b"));
	assert_true(C("sel_a or sel_b"));
	assert_false(C("sel_a and not filter_x"));
	assert_true(C("sel_a and not filter_y"));
	assert_true(C("1 of sel_*"));
	assert_false(C("all of sel_*"));
	assert_true(C("1 of filter*"));
	assert_false(C("sel_a and not 1 of filter_*"));
	assert_true(C("1 of them"));
	assert_false(C("all of them"));
	assert_true(C("(sel_b or sel_a) and (filter_x or sel_b)"));
	assert_false(C("not (sel_a or sel_b)"));
	assert_true(C("not sel_b and not filter_y"));
	/* precedence: not > and > or */
	assert_true(C("sel_b and sel_b or sel_a"));
	assert_false(C("sel_b and (sel_b or sel_a)"));
#undef C
	/* a list of conditions is their OR */
	assert_true(m("  a:\n    eventName: nope\n  b:\n    eventName: PutUserPolicy\n"
		      "  condition:\n    - a\n    - b\n",
		      EVT));
}

static void test_refused_with_reason(void **st)
{
	(void)st;
	char *r;
	r = refused("  sel:\n    eventName: X\n  condition: sel | count() > 5\n");
	assert_non_null(r);
	assert_non_null(strstr(r, "aggregation"));
	free(r);
	r = refused("  sel:\n    eventName: X\n  timeframe: 5m\n  condition: sel\n");
	assert_non_null(strstr(r, "timeframe"));
	free(r);
	r = refused("  sel:\n    eventName|base64offset: X\n  condition: sel\n");
	assert_non_null(strstr(r, "base64offset"));
	free(r);
	r = refused("  sel:\n    eventName: X\n  condition: sel and other\n");
	assert_non_null(strstr(r, "other"));
	free(r);
	r = refused("  sel:\n    eventName: X\n  condition: 1 of nothing*\n");
	assert_non_null(strstr(r, "nothing"));
	free(r);
	r = refused("  sel:\n    eventName: X\n  condition: (sel\n");
	assert_non_null(r);
	free(r);
	r = refused("  sel:\n    f|re: '(['\n  condition: sel\n");
	assert_non_null(strstr(r, "regular expression"));
	free(r);
	assert_null(refused("  sel:\n    eventName: X\n  condition: sel\n"));
}

static void test_corpus_rules_all_load(void **st)
{
	(void)st;
	struct sigma_set s;
	sigma_set_init(&s);
	size_t n = sigma_load_dir(&s, CORPUS "sigma-rules");
	for (size_t i = 0; i < s.nrej; i++)
		print_message("refused %s: %s\n", s.rej[i].name, s.rej[i].reason);
	assert_int_equal(s.nrej, 0);
	assert_int_equal(n, 57);
	assert_int_equal(s.n, 57);
	/* the rule for sign-in without MFA fires on its Stratus technique */
	const struct sigma_rule *mfa = NULL;
	for (size_t i = 0; i < s.n; i++)
		if (!strcmp(sigma_rule_id(s.v[i]), "77caf516-34e5-4df9-b4db-20744fea0a60"))
			mfa = s.v[i];
	assert_non_null(mfa);
	assert_string_equal(sigma_rule_title(mfa), "AWS Successful Console Login Without MFA");
	assert_int_equal(sigma_rule_level(mfa), SEV_MEDIUM);
	struct one o = {mfa, 0};
	struct trail_reader *r = trail_reader_new();
	struct trail_skips sk = {0};
	trail_read_path(r, CORPUS "stratus/aws.initial-access.console-login-without-mfa.json", on_ev,
			&o, &sk);
	assert_int_equal(o.matched, 1);
	trail_reader_free(r);
	trail_skips_free(&sk);
	sigma_set_free(&s);
}

/* ---- the command --------------------------------------------------------------- */

static int run_cmd(const char *const *args, size_t n)
{
	char *argv[32];
	argv[0] = "trail";
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	argv[n + 1] = NULL;
	return cmd_trail((int)n + 1, argv);
}

static void test_command(void **st)
{
	(void)st;
	char out[] = "/tmp/rampart-trail-out-XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	setenv("RAMPART_SIGMA_RULES", CORPUS "sigma-rules", 1);
	const char *a1[] = {"detect", CORPUS "stratus/aws.defense-evasion.cloudtrail-stop.json",
			    "--format", "json", "--output", out, "--no-progress"};
	assert_int_equal(run_cmd(a1, 7), 1); /* CIS-4.5 is high: default --fail-on high */
	char *j = test_slurp(out);
	assert_non_null(j);
	assert_non_null(strstr(j, "{\"version\":1,\"detections\":["));
	assert_non_null(strstr(j, "\"detection\":\"CIS-4.5\",\"source\":\"cis\""));
	assert_non_null(strstr(j, "\"detection\":\"RMP-TRAIL-012\",\"source\":\"rampart\""));
	assert_non_null(strstr(j, "\"source\":\"sigma\""));
	assert_non_null(strstr(j, "\"counts\":{"));
	assert_non_null(strstr(j, "\"CIS-4.5\":1"));
	assert_non_null(strstr(j, "\"skipped\":[]"));
	assert_non_null(strstr(j, "\"sigma\":57"));
	free(j);

	const char *a2[] = {"detect", CORPUS "stratus/aws.defense-evasion.cloudtrail-stop.json",
			    "--fail-on", "none", "--format", "sarif", "-o", out};
	assert_int_equal(run_cmd(a2, 8), 0);
	j = test_slurp(out);
	assert_non_null(strstr(j, "\"version\": \"2.1.0\""));
	assert_non_null(strstr(j, "\"ruleId\":\"CIS-4.5\""));
	free(j);

	/* malformed input: exit 2, reported in the report too */
	char bad[] = "/tmp/rampart-trail-bad-XXXXXX";
	fd = mkstemp(bad);
	assert_true(write(fd, "[{\"eventName\":\"StopLogging\"}, 7]", 32) == 32);
	close(fd);
	const char *a3[] = {"detect", bad, "--format", "jsonl", "-o", out, "--fail-on", "none"};
	assert_int_equal(run_cmd(a3, 8), 2);
	const char *a4[] = {"detect", bad, "--format", "json", "-o", out, "--only", "cis"};
	assert_int_equal(run_cmd(a4, 8), 2);
	j = test_slurp(out);
	assert_non_null(strstr(j, "not an object"));
	assert_non_null(strstr(j, "\"CIS-4.5\":1"));
	free(j);

	/* --list: every detection, the 57 Sigma rules among them */
	const char *a8[] = {"detect", "--list"};
	assert_int_equal(run_cmd(a8, 2), 0);

	/* usage errors */
	const char *a5[] = {"detect", bad, "--format", "xml"};
	assert_int_equal(run_cmd(a5, 4), 2);
	const char *a6[] = {"detect", bad, "--since", "last week"};
	assert_int_equal(run_cmd(a6, 4), 2);
	const char *a7[] = {"detect"};
	assert_int_equal(run_cmd(a7, 1), 2);
	unlink(bad);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equality_case_lists), cmocka_unit_test(test_wildcards_and_modifiers),
	    cmocka_unit_test(test_regex_prefilter),
	    cmocka_unit_test(test_prefilter_on_other_fields),
	    cmocka_unit_test(test_objects_null_star),   cmocka_unit_test(test_conditions),
	    cmocka_unit_test(test_refused_with_reason), cmocka_unit_test(test_regression_cidr_strict),
	    cmocka_unit_test(test_corpus_rules_all_load),
	    cmocka_unit_test(test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
