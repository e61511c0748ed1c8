/*
 * test_usage.c - `rampart trail usage`: event -> IAM action mapping and its
 * exceptions, role roll-up of sessions, aggregation (counts, first/last,
 * resources, denied calls), and the command's json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/commands.h"
#include "core/strbuf.h"
#include "trail/detect.h"
#include "trail/read.h"
#include "trail/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS "../shared/corpus/cloudtrail/"

static const char *act(const char *src, const char *name)
{
	static char out[256];
	struct tstr s = {src, strlen(src)}, n = {name, strlen(name)};
	return trail_iam_action(s, n, out, sizeof(out)) ? out : NULL;
}

static void test_action_mapping(void **st)
{
	(void)st;
	assert_string_equal(act("dynamodb.amazonaws.com", "GetItem"), "dynamodb:GetItem");
	assert_string_equal(act("s3.amazonaws.com", "ListObjects"), "s3:ListBucket");
	assert_string_equal(act("s3.amazonaws.com", "ListBuckets"), "s3:ListAllMyBuckets");
	assert_string_equal(act("s3.amazonaws.com", "HeadObject"), "s3:GetObject");
	assert_string_equal(act("s3.amazonaws.com", "PutBucketReplication"),
			    "s3:PutReplicationConfiguration");
	assert_string_equal(act("s3.amazonaws.com", "GetObject"), "s3:GetObject");
	assert_string_equal(act("monitoring.amazonaws.com", "PutMetricData"),
			    "cloudwatch:PutMetricData");
	assert_string_equal(act("streams.dynamodb.amazonaws.com", "GetRecords"),
			    "dynamodb:GetRecords");
	assert_string_equal(act("email.amazonaws.com", "SendEmail"), "ses:SendEmail");
	assert_string_equal(act("cloudfront.amazonaws.com", "CreateDistribution2015_07_27"),
			    "cloudfront:CreateDistribution");
	assert_string_equal(act("kms.amazonaws.com", "ReEncrypt"), "kms:ReEncrypt*");
	assert_null(act("sts.amazonaws.com", "GetCallerIdentity"));
	assert_null(act("signin.amazonaws.com", "ConsoleLogin"));
	assert_string_equal(act("sts.amazonaws.com", "AssumeRole"), "sts:AssumeRole");
	assert_null(act("", "X"));
}

static struct trail_usage *usage_of(const char *text)
{
	struct trail_usage *u = usage_new();
	char tmpl[] = "/tmp/rampart-usage-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.usage = u;
	run.threads = 2;
	struct trail_files f = {0};
	char *p[] = {tmpl};
	trail_files_collect(p, 1, &f, &run.skips);
	trail_detect_files(&run, &f);
	assert_int_equal(run.skips.n, 0);
	trail_files_free(&f);
	trail_skips_free(&run.skips);
	detections_free(&run.found);
	unlink(tmpl);
	return u;
}

#define SESSION(t, name, src, sess, extra)                                                        \
	"{\"eventTime\":\"" t "\",\"eventName\":\"" name "\",\"eventSource\":\"" src "\","          \
	"\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/" sess \
	"\"}" extra "}\n"

static void test_rollup_and_aggregation(void **st)
{
	(void)st;
	struct trail_usage *u = usage_of(
	    SESSION("2024-01-02T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s1",
		    ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/T\"}]")
	    SESSION("2024-01-01T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s2",
		    ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/U\"}]")
	    SESSION("2024-01-03T00:00:00Z", "DeleteTable", "dynamodb.amazonaws.com", "s1",
		    ",\"errorCode\":\"AccessDenied\"")
	    SESSION("2024-01-03T00:00:00Z", "GetCallerIdentity", "sts.amazonaws.com", "s1", "")
	    "{\"eventName\":\"ListBuckets\",\"eventSource\":\"s3.amazonaws.com\",\"eventTime\":"
	    "\"2024-01-01T00:00:00Z\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
	    "\"arn:aws:iam::1:user/bob\"}}\n");
	const char *role = "arn:aws:iam::1:role/app";
	assert_int_equal(usage_action_count(u, role), 1);
	assert_true(usage_used(u, role, "dynamodb:GetItem"));
	assert_false(usage_used(u, role, "dynamodb:DeleteTable")); /* denied is not use */
	assert_false(usage_used(u, role, "sts:GetCallerIdentity"));
	assert_true(usage_used(u, "arn:aws:iam::1:user/bob", "s3:ListAllMyBuckets"));
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "\"action\":\"dynamodb:GetItem\",\"count\":2,"
				     "\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-02T00:00:00Z\""));
	assert_non_null(strstr(sb.s, "\"resources\":[\"arn:aws:dynamodb:eu-west-2:1:table/T\","
				     "\"arn:aws:dynamodb:eu-west-2:1:table/U\"]"));
	assert_non_null(strstr(sb.s, "\"denied_calls\":1,\"calls_without_iam_action\":1"));
	sb_free(&sb);
	usage_free(u);
}

static void test_stratus_secret_reader(void **st)
{
	(void)st;
	struct trail_usage *u = usage_new();
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.usage = u;
	struct trail_files f = {0};
	char *p[] = {CORPUS "stratus/aws.credential-access.secretsmanager-retrieve-secrets.json"};
	trail_files_collect(p, 1, &f, &run.skips);
	trail_detect_files(&run, &f);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "\"action\":\"secretsmanager:GetSecretValue\""));
	assert_non_null(strstr(sb.s, "\"action\":\"secretsmanager:ListSecrets\""));
	sb_free(&sb);
	trail_files_free(&f);
	trail_skips_free(&run.skips);
	detections_free(&run.found);
	usage_free(u);
}

static void test_usage_command(void **st)
{
	(void)st;
	char out[] = "/tmp/rampart-usage-out-XXXXXX";
	int fd = mkstemp(out);
	close(fd);
	char *a[] = {"trail", "usage", CORPUS "invictus", "--format", "json", "-o", out, NULL};
	assert_int_equal(cmd_trail(7, a), 0);
	FILE *f = fopen(out, "r");
	char buf[256];
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_non_null(strstr(buf, "{\"version\":1,\"principals\":["));
	char *b[] = {"trail", "usage", CORPUS "invictus", "--fail-on", "high", NULL};
	assert_int_equal(cmd_trail(5, b), 2);
	char *c[] = {"trail", "usage", CORPUS "invictus", "--format", "sarif", NULL};
	assert_int_equal(cmd_trail(5, c), 2);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_action_mapping),
	    cmocka_unit_test(test_rollup_and_aggregation),
	    cmocka_unit_test(test_stratus_secret_reader),
	    cmocka_unit_test(test_usage_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
