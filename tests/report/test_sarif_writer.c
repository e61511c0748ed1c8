/*
 * test_sarif_writer.c - the shared SARIF writer: paths become relative
 * references under the working directory and percent-encoded file:// URIs
 * elsewhere; rule names are PascalCase identifiers (checked over every
 * check and trail detection title); a whole log carries the fingerprint of
 * the caller's identity, the URI base and the notifications.
 */
#include "report/sarif_writer.h"
#include "checks/catalogue.h"
#include "core/strmap.h"
#include "trail/detect.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void expect_uri(const char *base, const char *path, const char *want, bool want_relative)
{
	struct strbuf sb = STRBUF_INIT;
	bool relative = !want_relative;
	sb_puts(&sb, "<");
	sarif_path_uri(&sb, base, path, &relative);
	if (strcmp(sb.s + 1, want) || relative != want_relative)
		fail_msg("uri of '%s' against '%s': got %s (%s), want %s (%s)", path, base ? base : "(null)",
			 sb.s + 1, relative ? "relative" : "absolute", want, want_relative ? "relative" : "absolute");
	sb_free(&sb);
}

static void test_relative_paths_stay_relative(void **state)
{
	(void)state;
	expect_uri("/w/repo", "template.yaml", "template.yaml", true);
	expect_uri("/w/repo", "./infra//stack/./t.yaml", "infra/stack/t.yaml", true);
	expect_uri("/w/repo", "infra/../t.yaml", "t.yaml", true);
	expect_uri("/w/repo", "-", "-", true);
	/* out of the working directory and back into it */
	expect_uri("/w/repo", "a/../../repo/b.yaml", "b.yaml", true);
	/* the working directory unknown: what was given, normalised */
	expect_uri(NULL, "../x/./t.yaml", "../x/t.yaml", true);
}

static void test_absolute_paths_under_the_base_become_relative(void **state)
{
	(void)state;
	expect_uri("/w/repo", "/w/repo/infra/t.yaml", "infra/t.yaml", true);
	expect_uri("/w/repo/", "/w/repo//infra/./t.yaml", "infra/t.yaml", true);
	expect_uri("/", "/etc/t.yaml", "etc/t.yaml", true);
	expect_uri("/w/repo", "/w/repo/x/../t.yaml", "t.yaml", true);
}

static void test_paths_elsewhere_are_file_uris(void **state)
{
	(void)state;
	expect_uri("/w/repo", "/tmp/t.yaml", "file:///tmp/t.yaml", false);
	/* a common prefix is not a parent directory */
	expect_uri("/w/repo", "/w/repository/t.yaml", "file:///w/repository/t.yaml", false);
	expect_uri("/w/repo", "/w/repo", "file:///w/repo", false);
	expect_uri("/w/repo", "../other/t.yaml", "file:///w/other/t.yaml", false);
	expect_uri("/w/repo", "/../../t.yaml", "file:///t.yaml", false);
	expect_uri(NULL, "/tmp/t.yaml", "file:///tmp/t.yaml", false);
}

static void test_percent_encoding(void **state)
{
	(void)state;
	expect_uri("/w", "/tmp/a b/t\xc3\xabst#1%.yaml", "file:///tmp/a%20b/t%C3%ABst%231%25.yaml", false);
	expect_uri("/w", "c:d/e?f[g]h'i+j.yaml", "c%3Ad/e%3Ff%5Bg%5Dh%27i%2Bj.yaml", true);
	expect_uri("/w", "-_.~AZaz09", "-_.~AZaz09", true);
}

static void expect_name(const char *title, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	sarif_rule_name(&sb, title);
	if (strcmp(sb.s ? sb.s : "", want))
		fail_msg("name of '%s': got '%s', want '%s'", title, sb.s ? sb.s : "", want);
	sb_free(&sb);
}

static void test_rule_names(void **state)
{
	(void)state;
	expect_name("Log groups have a retention period", "LogGroupsHaveRetentionPeriod");
	expect_name("CloudTrail logs are encrypted with a KMS key", "CloudTrailLogsAreEncryptedWithKmsKey");
	expect_name("API custom domains require TLS 1.2", "ApiCustomDomainsRequireTls12");
	expect_name("A trail records data events for the stack's tables", "TrailRecordsDataEventsForTheStacksTables");
	expect_name("at most 900 s; 29 s behind", "AtMost900s29sBehind");
	expect_name("10 or more denied calls", "Rule10OrMoreDeniedCalls");
	expect_name("IPv6 ::/0 and S3 eventName", "Ipv60AndS3EventName");
	expect_name("Ingress/Egress Security Group Modification", "IngressEgressSecurityGroupModification");
	expect_name("", "");
	expect_name("--- / ---", "");
	expect_name(NULL, "");
}

/* [A-Z][a-z0-9]+ repeated: SARIF's "single Pascal identifier" */
static bool pascal(const char *s)
{
	if (!*s)
		return false;
	while (*s) {
		if (!isupper((unsigned char)*s++))
			return false;
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
			return false;
		while (islower((unsigned char)*s) || isdigit((unsigned char)*s))
			s++;
	}
	return true;
}

static void expect_pascal(const char *title)
{
	struct strbuf sb = STRBUF_INIT;
	sarif_rule_name(&sb, title);
	if (!sb.s || !pascal(sb.s))
		fail_msg("name of '%s' is not PascalCase: '%s'", title, sb.s ? sb.s : "");
	sb_free(&sb);
}

static void test_every_title_makes_a_pascal_name(void **state)
{
	(void)state;
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		expect_pascal(all[i]->title);
	for (size_t i = 0; i < trail_cis_count; i++)
		expect_pascal(trail_cis[i].title);
	for (size_t i = 0; i < trail_rules_count; i++)
		expect_pascal(trail_rules[i].title);
}

static void two_props(struct jw *w, const void *ctx)
{
	jw_key_string(w, "extra", ctx);
}

static void test_a_whole_log(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct sarif_writer s;
	sarif_begin(&s, &sb);
	sarif_rule(&s, &(struct sarif_rule){.id = "X-1", .title = "Tables have backups", .severity = SEV_HIGH,
					    .properties = two_props, .ctx = "p"});
	sarif_rule(&s, &(struct sarif_rule){.id = "X-2", .title = "Keys rotate", .severity = SEV_LOW});
	sarif_result(&s, &(struct sarif_result){.rule_id = "X-2",
						.rule_index = 1,
						.severity = SEV_LOW,
						.message = "m",
						.at = {.path = "./a/t.yaml", .line = 3, .column = 0},
						.identity = "X-2|a/t.yaml|T"});
	sarif_result(&s, &(struct sarif_result){.rule_id = "X-1",
						.rule_index = 0,
						.severity = SEV_CRITICAL,
						.message = "n",
						.at = {.path = "/nowhere/t.json", .by_offset = true, .offset = 42},
						.suppressed = true});
	sarif_invocation(&s, false);
	sarif_notification(&s, true, "bad", &(struct sarif_location){.path = "b.yaml", .line = 2, .column = 5});
	sarif_notification(&s, false, "meh", NULL);
	sarif_end(&s);

	const char *t = sb.s;
	assert_non_null(strstr(t, "\"informationUri\": \"" SARIF_TOOL_URI "\""));
	assert_non_null(strstr(t, "{\"id\":\"X-1\",\"name\":\"TablesHaveBackups\","));
	assert_non_null(strstr(t, "\"properties\":{\"security-severity\":\"8.0\",\"extra\":\"p\"}"));
	assert_non_null(strstr(t, "\"%SRCROOT%\": {\"description\":"));
	assert_non_null(strstr(t, "\"ruleIndex\":1,\"level\":\"note\""));
	assert_non_null(strstr(t, "{\"uri\":\"a/t.yaml\",\"uriBaseId\":\"%SRCROOT%\"},"
				  "\"region\":{\"startLine\":3,\"startColumn\":1}"));
	assert_non_null(strstr(t, "{\"uri\":\"file:///nowhere/t.json\"},\"region\":{\"byteOffset\":42}"));
	char fp[64];
	snprintf(fp, sizeof fp, "{\"" SARIF_FINGERPRINT_KEY "\":\"%016llx\"}",
		 (unsigned long long)str_hash("X-2|a/t.yaml|T", strlen("X-2|a/t.yaml|T")));
	assert_non_null(strstr(t, fp));
	assert_int_equal(strstr(strstr(t, "\"ruleId\":\"X-1\""), "partialFingerprints") == NULL, 1);
	assert_non_null(strstr(t, "\"suppressions\":[{\"kind\":\"inSource\"}]"));
	assert_non_null(strstr(t, "\"executionSuccessful\": false"));
	assert_non_null(strstr(t, "{\"level\":\"error\",\"message\":{\"text\":\"bad\"},\"locations\":"));
	assert_non_null(strstr(t, "{\"level\":\"warning\",\"message\":{\"text\":\"meh\"}}"));
	assert_int_equal(t[sb.len - 2], '}');
	assert_int_equal(t[sb.len - 1], '\n');
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_relative_paths_stay_relative),
	    cmocka_unit_test(test_absolute_paths_under_the_base_become_relative),
	    cmocka_unit_test(test_paths_elsewhere_are_file_uris),
	    cmocka_unit_test(test_percent_encoding),
	    cmocka_unit_test(test_rule_names),
	    cmocka_unit_test(test_every_title_makes_a_pascal_name),
	    cmocka_unit_test(test_a_whole_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
