/*
 * test_policy_gen.c - `rampart trail policy`: the generated policy parses
 * as JSON and as an IAM policy, holds the actions the principal used, only
 * catalogue actions (the rest reported as unmapped), resources narrowed to
 * those the events named, sessions rolled up to their role, deterministic
 * output, and the command's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "readback.h"

#include "cli/commands.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "iam/catalogue.h"
#include "iam/policy.h"
#include "load/load.h"
#include "load/node.h"
#include "trail/detect.h"
#include "trail/policy_gen.h"
#include "trail/read.h"
#include "trail/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INVICTUS "../shared/corpus/cloudtrail/invictus"
#define STEAL_ROLE "arn:aws:iam::123837392027:role/stratus-red-team-ec2-steal-credentials-role"

static struct trail_usage *usage_of_path(const char *path)
{
	struct trail_usage *u = usage_new();
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.usage = u;
	run.threads = 2;
	struct trail_files f = {0};
	char *p[] = {(char *)path};
	trail_files_collect(p, 1, &f, &run.skips);
	trail_detect_files(&run, &f);
	assert_int_equal(run.skips.n, 0);
	trail_files_free(&f);
	trail_skips_free(&run.skips);
	detections_free(&run.found);
	return u;
}

static struct trail_usage *usage_of_text(const char *text)
{
	char tmpl[] = "/tmp/rampart-policy-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	struct trail_usage *u = usage_of_path(tmpl);
	unlink(tmpl);
	return u;
}

/* Parse the policy text as JSON; the root, or fail. */
static const struct node *parse_policy(const char *text, struct arena *a)
{
	struct diags d = {0};
	const struct node *root = load_buffer("policy.json", text, strlen(text), a, &d);
	assert_int_equal(d.n, 0);
	assert_non_null(root);
	assert_int_equal(root->kind, NODE_MAP);
	const struct node *v = node_get(root, "Version");
	assert_non_null(v);
	assert_string_equal(node_str(v), "2012-10-17");
	/* and it is a policy the IAM engine reads without complaint */
	struct iam_policy *p = iam_policy_parse(root, "generated", IAM_IDENTITY, a, &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return root;
}

/* Every action of the policy, in order, into out (up to max). */
static size_t policy_actions(const struct node *root, const char **out, size_t max)
{
	const struct node *sts = node_get(root, "Statement");
	assert_non_null(sts);
	assert_int_equal(sts->kind, NODE_SEQ);
	size_t n = 0;
	for (size_t i = 0; i < sts->n; i++) {
		const struct node *st = sts->items[i];
		assert_string_equal(node_str(node_get(st, "Effect")), "Allow");
		const struct node *acts = node_get(st, "Action");
		assert_non_null(acts);
		assert_int_equal(acts->kind, NODE_SEQ);
		for (size_t k = 0; k < acts->n && n < max; k++)
			out[n++] = node_str(acts->items[k]);
	}
	return n;
}

static bool has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The command on invictus, principal by role name, json. */
static void test_invictus_role_policy(void **st)
{
	(void)st;
	char out[] = "/tmp/rampart-policy-out-XXXXXX";
	int fd = mkstemp(out);
	close(fd);
	char *a[] = {"trail", "policy", "stratus-red-team-ec2-steal-credentials-role", INVICTUS,
		     "--format", "json", "--no-progress", "-o", out, NULL};
	assert_int_equal(cmd_trail(9, a), 0);
	char *text = test_slurp(out);
	struct arena *ar = arena_new();
	const struct node *root = parse_policy(text, ar);
	const char *acts[256];
	size_t n = policy_actions(root, acts, 256);
	/* what `trail usage` says the role did */
	assert_true(has(acts, n, "ec2:DescribeInstances"));
	assert_true(has(acts, n, "ssm:UpdateInstanceInformation"));
	assert_true(has(acts, n, "ssm:UpdateInstanceAssociationStatus"));
	struct trail_usage *u = usage_of_path(INVICTUS);
	assert_int_equal(n, usage_action_count(u, STEAL_ROLE));
	for (size_t i = 0; i < n; i++) {
		assert_non_null(iam_action_find(acts[i]));
		assert_true(usage_used(u, STEAL_ROLE, acts[i]));
	}
	/* the instance the events name narrows ssm:ListInstanceAssociations */
	assert_non_null(strstr(text, "\"ssm:ListInstanceAssociations\"\n      ],\n      \"Resource\": "
				     "\"arn:aws:ec2:us-east-1:123837392027:instance/i-0dbc91f429e48eeed\""));
	/* deterministic: the same bytes again (different thread count) */
	char *b[] = {"trail", "policy", STEAL_ROLE, INVICTUS, "--format", "json", "--threads", "1",
		     "--no-progress", "-o", out, NULL};
	assert_int_equal(cmd_trail(11, b), 0);
	char *again = test_slurp(out);
	assert_string_equal(text, again);
	free(again);
	free(text);
	usage_free(u);
	arena_free(ar);
	unlink(out);
}

/* An action the catalogue does not know is reported, not written. */
static void test_unmapped_reported(void **st)
{
	(void)st;
	struct trail_usage *u = usage_of_path(INVICTUS);
	bool amb;
	const char *arn = usage_principal_find(u, "benjamin", &amb);
	assert_non_null(arn);
	assert_false(amb);
	struct strbuf sb = STRBUF_INIT;
	struct policy_gen_info info;
	assert_true(policy_generate(&sb, u, arn, false, &info));
	struct arena *ar = arena_new();
	const struct node *root = parse_policy(sb.s, ar);
	const char *acts[256];
	size_t n = policy_actions(root, acts, 256);
	assert_int_equal(n, info.nactions);
	assert_int_equal(n + info.nunmapped, usage_action_count(u, arn));
	for (size_t i = 0; i < n; i++)
		assert_non_null(iam_action_find(acts[i]));
	assert_true(info.nunmapped >= 1);
	bool storage_lens = false;
	for (size_t i = 0; i < info.nunmapped; i++) {
		assert_null(iam_action_find(info.unmapped[i]));
		assert_false(has(acts, n, info.unmapped[i]));
		storage_lens |= !strcmp(info.unmapped[i], "s3:GetStorageLensDashboardDataInternal");
	}
	assert_true(storage_lens);
	assert_true(has(acts, n, "s3:ListAllMyBuckets"));
	policy_gen_info_free(&info);
	sb_free(&sb);
	arena_free(ar);
	usage_free(u);
}

#define SESSION(t, name, src, sess, extra)                                                        \
	"{\"eventTime\":\"" t "\",\"eventName\":\"" name "\",\"eventSource\":\"" src "\","          \
	"\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/" sess \
	"\"}" extra "}\n"
#define TABLE_T ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/T\"}]"

/* Resources narrowed and grouped; sessions rolled up; denied calls left out. */
static void test_synthetic_narrowing(void **st)
{
	(void)st;
	struct trail_usage *u = usage_of_text(
	    SESSION("2024-01-02T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s1", TABLE_T)
	    SESSION("2024-01-01T00:00:00Z", "PutItem", "dynamodb.amazonaws.com", "s2", TABLE_T)
	    SESSION("2024-01-03T00:00:00Z", "ListTables", "dynamodb.amazonaws.com", "s2", "")
	    SESSION("2024-01-04T00:00:00Z", "DeleteTable", "dynamodb.amazonaws.com", "s1",
		    ",\"errorCode\":\"AccessDenied\"")
	    SESSION("2024-01-05T00:00:00Z", "GetObject", "s3.amazonaws.com", "s1",
		    ",\"resources\":[{\"ARN\":\"arn:aws:s3:::b/k1\"},{\"ARN\":\"arn:aws:s3:::b\"}]")
	    SESSION("2024-01-05T00:00:00Z", "HeadObject", "s3.amazonaws.com", "s1",
		    ",\"resources\":[{\"ARN\":\"arn:aws:s3:::b/k2\"}]"));
	bool amb;
	const char *arn = usage_principal_find(u, "app", &amb);
	assert_non_null(arn);
	assert_string_equal(arn, "arn:aws:iam::1:role/app");
	assert_null(usage_principal_find(u, "nobody", &amb));
	struct strbuf sb = STRBUF_INIT;
	struct policy_gen_info info;
	assert_true(policy_generate(&sb, u, arn, true, &info));
	assert_int_equal(info.events, 5);
	assert_string_equal(info.first, "2024-01-01T00:00:00Z");
	assert_string_equal(info.last, "2024-01-05T00:00:00Z");
	assert_int_equal(info.nunmapped, 0);
	assert_int_equal(info.nactions, 4);
	/* dynamodb: Get/PutItem on T in one statement, ListTables on "*" */
	assert_int_equal(info.nstatements, 3);
	assert_non_null(strstr(sb.s, "// from 5 successful calls, 2024-01-01T00:00:00Z .. "
				     "2024-01-05T00:00:00Z\n{"));
	assert_non_null(strstr(sb.s, "\"dynamodb:GetItem\",\n        \"dynamodb:PutItem\"\n      ],\n"
				     "      \"Resource\": \"arn:aws:dynamodb:eu-west-2:1:table/T\""));
	assert_non_null(strstr(sb.s, "\"dynamodb:ListTables\"\n      ],\n      \"Resource\": \"*\""));
	assert_null(strstr(sb.s, "DeleteTable"));
	/* GetObject and HeadObject are both s3:GetObject: resources merged, sorted */
	assert_non_null(strstr(sb.s, "\"Resource\": [\n        \"arn:aws:s3:::b\",\n        "
				     "\"arn:aws:s3:::b/k1\",\n        \"arn:aws:s3:::b/k2\"\n      ]"));
	/* the JSON after the comment header parses */
	struct arena *ar = arena_new();
	const char *json = strchr(sb.s, '{');
	const struct node *root = parse_policy(json, ar);
	const char *acts[16];
	assert_int_equal(policy_actions(root, acts, 16), 4);
	arena_free(ar);
	policy_gen_info_free(&info);
	sb_free(&sb);
	usage_free(u);
}

#define TABLE_U ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/U\"}]"

/* How many times needle occurs in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/*
 * IAM actions are case-insensitive: one action CloudTrail spells in two
 * letter cases is listed once, in AWS's spelling, with the resources of
 * both; every Sid is distinct.  (Before: dynamodb:GetItem was listed twice,
 * and a DynamoDB.amazonaws.com source made a second "dynamodb" statement.)
 */
static void test_case_variants_listed_once(void **st)
{
	(void)st;
	struct trail_usage *u = usage_of_text(
	    SESSION("2024-01-02T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s1", TABLE_T)
	    SESSION("2024-01-01T00:00:00Z", "getItem", "DynamoDB.amazonaws.com", "s2", TABLE_U)
	    SESSION("2024-01-03T00:00:00Z", "GETITEM", "dynamodb.amazonaws.com", "s1", TABLE_T)
	    SESSION("2024-01-04T00:00:00Z", "PutItem", "dynamodb.amazonaws.com", "s1", TABLE_T)
	    SESSION("2024-01-04T00:00:00Z", "putItem", "dynamodb.amazonaws.com", "s1", TABLE_T)
	    SESSION("2024-01-05T00:00:00Z", "ReEncrypt", "kms.amazonaws.com", "s1", "")
	    SESSION("2024-01-05T00:00:00Z", "reEncrypt", "KMS.amazonaws.com", "s1", "")
	    SESSION("2024-01-05T00:00:00Z", "ListObjects", "S3.amazonaws.com", "s1", ""));
	struct strbuf sb = STRBUF_INIT;
	struct policy_gen_info info;
	assert_true(policy_generate(&sb, u, "arn:aws:iam::1:role/app", false, &info));
	assert_int_equal(info.events, 8);
	assert_int_equal(info.nunmapped, 0);
	assert_int_equal(info.nactions, 4);
	assert_int_equal(occurrences(sb.s, "\"dynamodb:GetItem\""), 1);
	assert_int_equal(occurrences(sb.s, "\"dynamodb:PutItem\""), 1);
	assert_int_equal(occurrences(sb.s, "\"kms:ReEncrypt*\""), 1);
	assert_int_equal(occurrences(sb.s, "\"s3:ListBucket\""), 1);
	assert_int_equal(occurrences(sb.s, "etItem"), 1);
	/* GetItem on both tables, PutItem on T */
	assert_non_null(strstr(sb.s, "\"dynamodb:GetItem\"\n      ],\n      \"Resource\": [\n        "
				     "\"arn:aws:dynamodb:eu-west-2:1:table/T\",\n        "
				     "\"arn:aws:dynamodb:eu-west-2:1:table/U\"\n      ]"));
	assert_non_null(strstr(sb.s, "\"dynamodb:PutItem\"\n      ],\n      \"Resource\": "
				     "\"arn:aws:dynamodb:eu-west-2:1:table/T\""));
	struct arena *ar = arena_new();
	const struct node *root = parse_policy(sb.s, ar);
	const struct node *sts = node_get(root, "Statement");
	for (size_t i = 0; i < sts->n; i++)
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(node_str(node_get(sts->items[i], "Sid")),
						node_str(node_get(sts->items[k], "Sid")));
	assert_int_equal(sts->n, 4);
	arena_free(ar);
	policy_gen_info_free(&info);
	sb_free(&sb);
	usage_free(u);
}

static void test_policy_command_errors(void **st)
{
	(void)st;
	char *a[] = {"trail", "policy", "no-such-role", INVICTUS, "--no-progress", NULL};
	assert_int_equal(cmd_trail(5, a), 2);
	char *b[] = {"trail", "policy", NULL};
	assert_int_equal(cmd_trail(2, b), 2);
	char *c[] = {"trail", "policy", "benjamin", NULL}; /* no PATH */
	assert_int_equal(cmd_trail(3, c), 2);
	char *d[] = {"trail", "policy", "benjamin", INVICTUS, "--format", "sarif", NULL};
	assert_int_equal(cmd_trail(6, d), 2);
	/* a principal with only denied calls has no policy to write */
	char *e[] = {"trail", "policy", "stratus-red-team-get-usr-data-role", INVICTUS,
		     "--no-progress", "-o", "/dev/null", NULL};
	assert_int_equal(cmd_trail(7, e), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_invictus_role_policy),
	    cmocka_unit_test(test_unmapped_reported),
	    cmocka_unit_test(test_synthetic_narrowing),
	    cmocka_unit_test(test_policy_command_errors),
	    cmocka_unit_test(test_case_variants_listed_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
