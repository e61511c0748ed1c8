/*
 * test_eval.c - the IAM evaluator against the rules of
 * shared/reference/iam-evaluation.md, one test (or more) per rule E1-E46,
 * named after it.  Policies are written inline as JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "iam/eval.h"
#include "load/load.h"

#include <stdio.h>
#include <string.h>

#define ACCT "111122223333"
#define OTHER "444455556666"
#define ROLE "arn:aws:iam::" ACCT ":role/App"
#define SESSION "arn:aws:sts::" ACCT ":assumed-role/App/s1"
#define USER "arn:aws:iam::" ACCT ":user/alice"
#define TABLE "arn:aws:dynamodb:eu-west-2:" ACCT ":table/Patients"

static struct arena *A;
static struct diags D;

static int setup(void **state)
{
	(void)state;
	A = arena_new();
	memset(&D, 0, sizeof D);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(A);
	diags_free(&D);
	return 0;
}

static struct iam_policy *pol(enum iam_policy_kind kind, const char *json)
{
	struct node *n = load_buffer("policy.json", json, strlen(json), A, &D);
	assert_non_null(n);
	struct iam_policy *p = iam_policy_parse(n, "policy.json", kind, A, &D);
	assert_non_null(p);
	return p;
}

static size_t errors(void)
{
	return diag_count(&D, DIAG_ERROR);
}

static size_t warnings(void)
{
	return diag_count(&D, DIAG_WARNING);
}

struct setup_ {
	const struct iam_policy *identity[4];
	size_t nid;
	const struct iam_policy *resource, *boundary, *session, *vpce;
	struct iam_level scp[4], rcp[4];
	size_t nscp, nrcp;
};

static enum iam_decision decide_ctx(struct setup_ *s, const char *principal, const char *action, const char *resource,
				    const struct iam_context_entry *ctx, size_t nctx, struct iam_result *out)
{
	struct iam_policy_set set = {s->identity, s->nid, s->resource, s->boundary, s->session,
				     s->nscp ? s->scp : NULL, s->nscp, s->nrcp ? s->rcp : NULL, s->nrcp, s->vpce};
	struct iam_request req = {principal, action, resource, NULL, ctx, nctx, false};
	struct iam_result r;
	iam_evaluate(&set, &req, out ? out : &r);
	return (out ? out : &r)->decision;
}

static enum iam_decision decide(struct setup_ *s, const char *principal, const char *action, const char *resource)
{
	return decide_ctx(s, principal, action, resource, NULL, 0, NULL);
}

#define ALLOW_ALL "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
#define ID_ALLOW(action, res) \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" action "\",\"Resource\":\"" res "\"}]}"

static void test_E1_default_is_implicit_deny(void **st)
{
	(void)st;
	struct setup_ s = {0};
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_IMPLICIT_DENY);
	/* ... but the account root user has full access. */
	assert_int_equal(decide(&s, "arn:aws:iam::" ACCT ":root", "dynamodb:GetItem", TABLE), IAM_ALLOWED);
}

static void test_E2_explicit_deny_wins_everywhere(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.boundary = pol(IAM_BOUNDARY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
				       "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:Delete*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "dynamodb:DeleteTable", TABLE), IAM_EXPLICIT_DENY);
}

static void test_E3_rcp_full_access_implied_denies_count(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	/* RCPFullAWSAccess is always attached: an RCP denying S3 leaves DynamoDB alone. */
	const struct iam_policy *deny_s3[] = {pol(IAM_RCP,
		"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}")};
	s.rcp[0].policies = deny_s3;
	s.rcp[0].n = 1;
	s.nrcp = 1;
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_EXPLICIT_DENY);
	/* Customer RCPs may only deny, with Action. */
	size_t before = errors();
	pol(IAM_RCP, ALLOW_ALL);
	assert_int_equal(errors(), before + 1);
}

static void test_E4_scp_allow_needed_at_every_level(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	const struct iam_policy *full[] = {pol(IAM_SCP, ALLOW_ALL)};
	const struct iam_policy *deny_only[] = {pol(IAM_SCP,
		"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}")};
	s.scp[0] = (struct iam_level){full, 1};
	s.scp[1] = (struct iam_level){full, 1};
	s.nscp = 2;
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	s.scp[1] = (struct iam_level){deny_only, 1};
	struct iam_result r;
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:GetItem", TABLE, NULL, 0, &r), IAM_IMPLICIT_DENY);
	assert_non_null(strstr(r.reason, "service control"));
	/* SCPs apply to the account's root user too. */
	assert_int_equal(decide(&s, "arn:aws:iam::" ACCT ":root", "dynamodb:GetItem", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E5_scp_full_language_accepted(void **st)
{
	(void)st;
	pol(IAM_SCP, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\","
		     "\"NotResource\":\"arn:aws:s3:::secret/*\",\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-2\"}}},"
		     "{\"Effect\":\"Deny\",\"Action\":\"*:Delete*\",\"Resource\":\"*\"}]}");
	assert_int_equal(errors(), 0);
}

static void test_E6_resource_policy_principal_kinds(void **st)
{
	(void)st;
	struct setup_ s = {0};
	/* No identity policy; a boundary that allows nothing relevant. */
	s.boundary = pol(IAM_BOUNDARY, ID_ALLOW("s3:*", "*"));
	/* Naming the role: limited by the boundary. */
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" ROLE
				       "\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", "*"), IAM_IMPLICIT_DENY);
	s.boundary = NULL;
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", "*"), IAM_ALLOWED);
	/* Naming the session itself: not limited by the boundary. */
	s.boundary = pol(IAM_BOUNDARY, ID_ALLOW("s3:*", "*"));
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" SESSION
				       "\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", "*"), IAM_ALLOWED);
	/* Naming the account: the identity policy must allow too. */
	s.boundary = NULL;
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
				       ":root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", "*"), IAM_IMPLICIT_DENY);
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("secretsmanager:GetSecretValue", "*"));
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", "*"), IAM_ALLOWED);
}

static void test_E6_kms_key_policy_must_allow(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("kms:Decrypt", "*"));
	s.resource = pol(IAM_KMS_KEY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
				      ":role/Admin\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "kms:Decrypt", "arn:aws:kms:eu-west-2:" ACCT ":key/k1"), IAM_IMPLICIT_DENY);
	/* The key policy delegating to the account: now the identity policy counts. */
	s.resource = pol(IAM_KMS_KEY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
				      ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "kms:Decrypt", "arn:aws:kms:eu-west-2:" ACCT ":key/k1"), IAM_ALLOWED);
}

static void test_E6_trust_policy_must_allow(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("sts:AssumeRole", "*"));
	s.resource = pol(IAM_TRUST, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
	assert_int_equal(decide(&s, USER, "sts:AssumeRole", "arn:aws:iam::" ACCT ":role/Target"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, "lambda.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::" ACCT ":role/Target"), IAM_ALLOWED);
}

static void test_E7_identity_allow(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:GetObject", "*"));
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("dynamodb:GetItem", TABLE));
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "dynamodb:PutItem", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E8_boundary_intersects(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.boundary = pol(IAM_BOUNDARY, ID_ALLOW("dynamodb:Get*", "*"));
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "dynamodb:DeleteTable", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E9_session_policy_intersects(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.session = pol(IAM_SESSION, ID_ALLOW("dynamodb:Query", "*"));
	assert_int_equal(decide(&s, SESSION, "dynamodb:Query", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, SESSION, "dynamodb:Scan", TABLE), IAM_IMPLICIT_DENY);
	/* A federated-user session without a session policy is denied. */
	s.session = NULL;
	assert_int_equal(decide(&s, "arn:aws:sts::" ACCT ":federated-user/bob", "dynamodb:Query", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E10_cross_account_needs_both_sides(void **st)
{
	(void)st;
	struct setup_ s = {0};
	const char *secret = "arn:aws:secretsmanager:eu-west-2:" OTHER ":secret:db";
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" ROLE
				       "\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}");
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:*", "*"));
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", secret), IAM_IMPLICIT_DENY);
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("secretsmanager:GetSecretValue", "*"));
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", secret), IAM_ALLOWED);
}

static void test_E11_cross_account_deny_on_either_side(void **st)
{
	(void)st;
	struct setup_ s = {0};
	const char *secret = "arn:aws:secretsmanager:eu-west-2:" OTHER ":secret:db";
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" ACCT
				       "\"},\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "secretsmanager:GetSecretValue", secret), IAM_EXPLICIT_DENY);
	assert_int_equal(decide(&s, SESSION, "secretsmanager:DescribeSecret", secret), IAM_ALLOWED);
}

static void test_E13_principal_star_includes_anonymous(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, "anonymous", "s3:GetObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
	/* Principal is not allowed in identity policies. */
	const char *idp = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
	struct node *n = load_buffer("p.json", idp, strlen(idp), A, &D);
	assert_non_null(n);
	size_t before = errors();
	iam_policy_parse(n, "p.json", IAM_IDENTITY, A, &D);
	assert_int_equal(errors(), before + 1);
}

static void test_E14_no_partial_wildcard_principal_and_case(void **st)
{
	(void)st;
	size_t before = errors();
	pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
			  ":user/al*\"},\"Action\":\"*\",\"Resource\":\"*\"}]}");
	assert_int_equal(errors(), before + 1);
	struct setup_ s = {0};
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
				       ":user/Alice\"},\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, USER, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_IMPLICIT_DENY);
}

static void test_E16_notprincipal_deny_needs_account(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	/* Deny everyone but the role, without the account: the role is denied too. */
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" SESSION
				       "\"]},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_EXPLICIT_DENY);
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" SESSION
				       "\",\"arn:aws:iam::" ACCT ":root\"]},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, SESSION, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
	assert_int_equal(decide(&s, "arn:aws:sts::" ACCT ":assumed-role/Other/x", "s3:GetObject", "arn:aws:s3:::b/k"), IAM_EXPLICIT_DENY);
}

static void test_E17_actions_case_insensitive(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("DynamoDB:getitem", "*"));
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
}

static void test_E18_action_wildcards_anywhere(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("dynamodb:Get?tem", "*"));
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("iam:*AccessKey*", "*"));
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "iam:CreateAccessKey", "*"), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetRecords", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E19_notaction_allow_every_other_service(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"s3:DeleteBucket\",\"Resource\":\"arn:aws:s3:::*\"}]}");
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "s3:DeleteBucket", "arn:aws:s3:::b"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_IMPLICIT_DENY);
}

static void test_E20_unknown_action_in_notaction_not_dropped(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"prowler:action\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, ROLE, "iam:CreateUser", "*"), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "dynamodb:DeleteTable", TABLE), IAM_ALLOWED);
}

static void test_E21_resource_wildcards_segments(void **st)
{
	(void)st;
	assert_true(iam_arn_match("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test/3/x.jpg"));
	assert_true(iam_arn_match("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket//test/object.jpg"));
	assert_true(iam_arn_match("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/test/"));
	assert_false(iam_arn_match("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/test/object.jpg"));
	/* '*' does not cross the ':' between ARN fields. */
	assert_false(iam_arn_match("arn:aws:dynamodb:*", "arn:aws:dynamodb:eu-west-2:1:table/T"));
	assert_true(iam_arn_match("arn:aws:dynamodb:*:*:*", "arn:aws:dynamodb:eu-west-2:1:table/T"));
	/* No wildcard in the service field. */
	size_t before = errors();
	pol(IAM_IDENTITY, ID_ALLOW("*", "arn:aws:dynamo*:*:*:*"));
	assert_int_equal(errors(), before + 1);
}

static void test_E22_resources_case_sensitive(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("dynamodb:*", "arn:aws:dynamodb:eu-west-2:" ACCT ":table/t"));
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-2:" ACCT ":table/T"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-2:" ACCT ":table/t"), IAM_ALLOWED);
}

static void test_E23_notresource_allow_grants_the_rest(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"" TABLE "\"}]}");
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, ROLE, "iam:PutRolePolicy", "arn:aws:iam::" ACCT ":role/App"), IAM_ALLOWED);
}

static void test_E25_resource_variable_without_value_matches_nothing(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:*", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"));
	struct iam_result r;
	assert_int_equal(decide_ctx(&s, ROLE, "s3:GetObject", "arn:aws:s3:::home/blue/x", NULL, 0, &r), IAM_IMPLICIT_DENY);
	assert_int_equal(r.nmissing, 1);
	const char *blue[] = {"blue"};
	struct iam_context_entry ctx[] = {{"aws:PrincipalTag/team", blue, 1}};
	assert_int_equal(decide_ctx(&s, ROLE, "s3:GetObject", "arn:aws:s3:::home/blue/x", ctx, 1, NULL), IAM_ALLOWED);
}

static void test_E26_missing_version_makes_variables_literal(void **st)
{
	(void)st;
	struct setup_ s = {0};
	size_t w = warnings();
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}");
	assert_int_equal(warnings(), w + 1);
	assert_int_equal(decide(&s, USER, "s3:GetObject", "arn:aws:s3:::home/alice/x"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, USER, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x"), IAM_ALLOWED);
}

static void test_E27_E31_username_variable_by_principal_type(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:*", "arn:aws:s3:::home/${aws:username}/*"));
	assert_int_equal(decide(&s, USER, "s3:GetObject", "arn:aws:s3:::home/alice/x"), IAM_ALLOWED);
	/* aws:username is not present for role sessions. */
	assert_int_equal(decide(&s, SESSION, "s3:GetObject", "arn:aws:s3:::home/s1/x"), IAM_IMPLICIT_DENY);
}

static void test_E29_special_literals(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:*", "arn:aws:s3:::b/${*}"));
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/*"), IAM_ALLOWED);
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/anything"), IAM_IMPLICIT_DENY);
}

static void test_E30_variable_default_value(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("s3:*", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*"));
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/company-wide/x"), IAM_ALLOWED);
}

#define COND_POLICY(op, key, val) \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"" op "\":{\"" key "\":" val "}}}]}"

static enum iam_decision with_ctx(const char *policy, const char *key, const char **vals, size_t n)
{
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, policy);
	struct iam_context_entry ctx[] = {{key, vals, n}};
	return decide_ctx(&s, ROLE, "dynamodb:GetItem", TABLE, key ? ctx : NULL, key ? 1 : 0, NULL);
}

static void test_E32_values_or_negated_nor(void **st)
{
	(void)st;
	const char *v[] = {"eu-west-2"};
	assert_int_equal(with_ctx(COND_POLICY("StringEquals", "aws:RequestedRegion", "[\"eu-west-1\",\"eu-west-2\"]"), "aws:RequestedRegion", v, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("StringNotEquals", "aws:RequestedRegion", "[\"eu-west-1\",\"eu-west-2\"]"), "aws:RequestedRegion", v, 1), IAM_IMPLICIT_DENY);
	const char *w[] = {"us-east-1"};
	assert_int_equal(with_ctx(COND_POLICY("StringNotEquals", "aws:RequestedRegion", "[\"eu-west-1\",\"eu-west-2\"]"), "aws:RequestedRegion", w, 1), IAM_ALLOWED);
}

static void test_E33_missing_key_positive_false_negated_true(void **st)
{
	(void)st;
	assert_int_equal(with_ctx(COND_POLICY("StringEquals", "aws:SourceVpc", "\"vpc-1\""), NULL, NULL, 0), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("StringNotEquals", "aws:SourceVpc", "\"vpc-1\""), NULL, NULL, 0), IAM_ALLOWED);
}

static void test_E34_ifexists(void **st)
{
	(void)st;
	assert_int_equal(with_ctx(COND_POLICY("StringEqualsIfExists", "aws:SourceVpc", "\"vpc-1\""), NULL, NULL, 0), IAM_ALLOWED);
	const char *v[] = {"vpc-2"};
	assert_int_equal(with_ctx(COND_POLICY("StringEqualsIfExists", "aws:SourceVpc", "\"vpc-1\""), "aws:SourceVpc", v, 1), IAM_IMPLICIT_DENY);
	size_t before = errors();
	struct node *n = load_buffer("p.json", COND_POLICY("NullIfExists", "aws:SourceVpc", "\"true\""),
				     strlen(COND_POLICY("NullIfExists", "aws:SourceVpc", "\"true\"")), A, &D);
	iam_policy_parse(n, "p.json", IAM_IDENTITY, A, &D);
	assert_int_equal(errors(), before + 1);
}

static void test_E35_null(void **st)
{
	(void)st;
	assert_int_equal(with_ctx(COND_POLICY("Null", "aws:TokenIssueTime", "\"true\""), NULL, NULL, 0), IAM_ALLOWED);
	const char *v[] = {"2026-01-01T00:00:00Z"};
	assert_int_equal(with_ctx(COND_POLICY("Null", "aws:TokenIssueTime", "\"true\""), "aws:TokenIssueTime", v, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("Null", "aws:TokenIssueTime", "\"false\""), "aws:TokenIssueTime", v, 1), IAM_ALLOWED);
	size_t before = errors();
	pol(IAM_IDENTITY, COND_POLICY("Null", "aws:TokenIssueTime", "\"maybe\""));
	assert_int_equal(errors(), before + 1);
}

static void test_E36_string_operators(void **st)
{
	(void)st;
	const char *v[] = {"Blue"};
	assert_int_equal(with_ctx(COND_POLICY("StringEquals", "aws:PrincipalTag/team", "\"blue\""), "aws:PrincipalTag/team", v, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "\"blue\""), "aws:PrincipalTag/team", v, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("StringLike", "aws:PrincipalTag/team", "\"B?u*\""), "aws:PrincipalTag/team", v, 1), IAM_ALLOWED);
}

static void test_E37_numeric(void **st)
{
	(void)st;
	const char *v[] = {"3600"};
	assert_int_equal(with_ctx(COND_POLICY("NumericLessThan", "aws:MultiFactorAuthAge", "\"7200\""), "aws:MultiFactorAuthAge", v, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("NumericGreaterThan", "aws:MultiFactorAuthAge", "\"7200\""), "aws:MultiFactorAuthAge", v, 1), IAM_IMPLICIT_DENY);
}

static void test_E38_dates_iso_and_epoch(void **st)
{
	(void)st;
	const char *epoch[] = {"1700000000"};
	assert_int_equal(with_ctx(COND_POLICY("DateLessThan", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", epoch, 1), IAM_ALLOWED);
	const char *iso[] = {"2031-06-01T12:00:00Z"};
	assert_int_equal(with_ctx(COND_POLICY("DateLessThan", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", iso, 1), IAM_IMPLICIT_DENY);
}

static void test_E39_bool_and_binary(void **st)
{
	(void)st;
	const char *t[] = {"true"};
	assert_int_equal(with_ctx(COND_POLICY("Bool", "aws:MultiFactorAuthPresent", "\"true\""), "aws:MultiFactorAuthPresent", t, 1), IAM_ALLOWED);
	const char *f[] = {"false"};
	assert_int_equal(with_ctx(COND_POLICY("Bool", "aws:MultiFactorAuthPresent", "\"true\""), "aws:MultiFactorAuthPresent", f, 1), IAM_IMPLICIT_DENY);
	const char *b[] = {"QmluYXJ5"};
	assert_int_equal(with_ctx(COND_POLICY("BinaryEquals", "x:bin", "\"QmluYXJ5\""), "x:bin", b, 1), IAM_ALLOWED);
}

static void test_E40_ip_address(void **st)
{
	(void)st;
	const char *v4[] = {"203.0.113.7"};
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\""), "aws:SourceIp", v4, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("NotIpAddress", "aws:SourceIp", "\"203.0.113.0/24\""), "aws:SourceIp", v4, 1), IAM_IMPLICIT_DENY);
	const char *v6[] = {"2001:db8:1234:5678::1"};
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"2001:DB8:1234:5678::/64\""), "aws:SourceIp", v6, 1), IAM_ALLOWED);
	/* Absent via a VPC endpoint: NotIpAddress is then true (E33). */
	assert_int_equal(with_ctx(COND_POLICY("NotIpAddress", "aws:SourceIp", "\"203.0.113.0/24\""), NULL, NULL, 0), IAM_ALLOWED);
}

static void test_E41_arnlike_vs_stringlike(void **st)
{
	(void)st;
	const char *v[] = {"arn:aws:iam::" ACCT ":role/a:b"};
	/* StringLike's '*' crosses ':'; ArnLike matches field by field. */
	assert_int_equal(with_ctx(COND_POLICY("StringLike", "aws:SourceArn", "\"arn:aws:iam::*\""), "aws:SourceArn", v, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("ArnLike", "aws:SourceArn", "\"arn:aws:iam::*\""), "aws:SourceArn", v, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("ArnLike", "aws:SourceArn", "\"arn:aws:iam::*:role/*\""), "aws:SourceArn", v, 1), IAM_ALLOWED);
}

static void test_E42_set_operators(void **st)
{
	(void)st;
	/* ForAllValues: true on an absent key; ForAnyValue: false. */
	assert_int_equal(with_ctx(COND_POLICY("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\"]"), NULL, NULL, 0), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]"), NULL, NULL, 0), IAM_IMPLICIT_DENY);
	const char *two[] = {"team", "cost"};
	assert_int_equal(with_ctx(COND_POLICY("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\"]"), "aws:TagKeys", two, 2), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]"), "aws:TagKeys", two, 2), IAM_ALLOWED);
	/* Negated with a quantifier: NOR per request value, then the quantifier. */
	assert_int_equal(with_ctx(COND_POLICY("ForAllValues:StringNotEquals", "aws:TagKeys", "[\"secret\"]"), "aws:TagKeys", two, 2), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("ForAnyValue:StringNotEquals", "aws:TagKeys", "[\"team\",\"cost\"]"), "aws:TagKeys", two, 2), IAM_IMPLICIT_DENY);
}

static void test_E43_forallvalues_single_valued_key_warns(void **st)
{
	(void)st;
	size_t w = warnings();
	pol(IAM_IDENTITY, COND_POLICY("ForAllValues:StringEquals", "aws:SourceVpc", "[\"vpc-1\"]"));
	assert_int_equal(warnings(), w + 1);
}

static void test_E44_context_keys_case_insensitive(void **st)
{
	(void)st;
	const char *v[] = {"eu-west-2"};
	assert_int_equal(with_ctx(COND_POLICY("StringEquals", "AWS:requestedregion", "\"eu-west-2\""), "aws:RequestedRegion", v, 1), IAM_ALLOWED);
}

static void test_E45_wildcard_without_like_is_literal(void **st)
{
	(void)st;
	size_t w = warnings();
	pol(IAM_IDENTITY, COND_POLICY("StringEquals", "aws:PrincipalTag/team", "\"bl*\""));
	assert_int_equal(warnings(), w + 1);
	const char *v[] = {"blue"};
	assert_int_equal(with_ctx(COND_POLICY("StringEquals", "aws:PrincipalTag/team", "\"bl*\""), "aws:PrincipalTag/team", v, 1), IAM_IMPLICIT_DENY);
}

static void test_E46_duplicate_keys_different_case(void **st)
{
	(void)st;
	size_t before = errors();
	pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"action\":\"iam:*\",\"Resource\":\"*\"}]}");
	assert_true(errors() > before);
}

static void test_invalid_policies_diagnosed(void **st)
{
	(void)st;
	size_t before = errors();
	pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Permit\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
			  "{\"Effect\":\"Allow\",\"Resource\":\"*\"},"
			  "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"a:b\":\"c\"}}}]}");
	assert_int_equal(errors(), before + 3);
}

static void test_matched_statements_explain(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
						"{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Action\":\"dynamodb:Delete*\",\"Resource\":\"*\"}]}");
	struct iam_result r;
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:DeleteItem", TABLE, NULL, 0, &r), IAM_EXPLICIT_DENY);
	assert_int_equal(r.nmatched, 2);
	assert_string_equal(r.matched[1].st->sid, "NoDelete");
}

/* ---- regressions from the differential test against the reference simulator ---- */

static void test_regression_wildcard_grant_to_session(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
	/* Not limited by a boundary that does not allow it... */
	s.boundary = pol(IAM_BOUNDARY, ID_ALLOW("dynamodb:*", "*"));
	assert_int_equal(decide(&s, SESSION, "s3:PutObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
	/* ... but limited by the session policy. */
	s.session = pol(IAM_SESSION, ID_ALLOW("dynamodb:*", "*"));
	assert_int_equal(decide(&s, SESSION, "s3:PutObject", "arn:aws:s3:::b/k"), IAM_IMPLICIT_DENY);
}

static void test_regression_notprincipal_role_and_session(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" ROLE
				       "\",\"arn:aws:iam::" ACCT ":root\"]},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
	/* The role itself is exempt; its sessions are other principals and are not. */
	assert_int_equal(decide(&s, ROLE, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
	assert_int_equal(decide(&s, SESSION, "s3:GetObject", "arn:aws:s3:::b/k"), IAM_EXPLICIT_DENY);
}

static void test_regression_kms_needs_a_key_policy(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	assert_int_equal(decide(&s, ROLE, "kms:Decrypt", "arn:aws:kms:eu-west-2:" ACCT ":key/k1"), IAM_IMPLICIT_DENY);
}

/* Where the simulator departs from AWS's documentation, the test records AWS's rule. */
static void test_oracle_deviation_session_arn_grant_not_limited_by_session_policy(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" SESSION
				       "\"},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
	s.session = pol(IAM_SESSION, ID_ALLOW("dynamodb:*", "*"));
	assert_int_equal(decide(&s, SESSION, "s3:PutObject", "arn:aws:s3:::b/k"), IAM_ALLOWED);
}

static void test_oracle_deviation_notprincipal_unchanged_by_boundary(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.boundary = pol(IAM_BOUNDARY, ALLOW_ALL);
	s.resource = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" USER
				       "\",\"arn:aws:iam::" ACCT ":root\"]},\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, USER, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
}

/*
 * The compiled forms (policy.h: values read at parse time, key lengths,
 * first-character action filter, literal ARN prefixes) decide exactly what
 * the plain forms do.
 */
static void test_E38_dates_compiled_like_strptime(void **st)
{
	(void)st;
	/* The hand-read form and strptime's (a fraction, an offset) agree on the instant. */
	const char *offset[] = {"2030-01-01T01:00:00+01:00"};
	assert_int_equal(with_ctx(COND_POLICY("DateEquals", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", offset, 1), IAM_ALLOWED);
	const char *frac[] = {"2025-03-01T00:00:00.000Z"};
	/* Day 29 of a 28-day February runs on into March, as timegm does. */
	assert_int_equal(with_ctx(COND_POLICY("DateEquals", "aws:CurrentTime", "\"2025-02-29T00:00:00Z\""), "aws:CurrentTime", frac, 1), IAM_ALLOWED);
	const char *epoch[] = {"1893456000"};
	assert_int_equal(with_ctx(COND_POLICY("DateEquals", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", epoch, 1), IAM_ALLOWED);
	const char *late[] = {"2030-01-01T00:00:01Z"};
	assert_int_equal(with_ctx(COND_POLICY("DateLessThanEquals", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", late, 1), IAM_IMPLICIT_DENY);
	/* Month 13 is no date: the value matches nothing, so the negated operator holds. */
	const char *bad[] = {"2030-13-01T00:00:00Z"};
	assert_int_equal(with_ctx(COND_POLICY("DateEquals", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", bad, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("DateNotEquals", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\""), "aws:CurrentTime", bad, 1), IAM_ALLOWED);
}

static void test_E40_ip_blocks_compiled(void **st)
{
	(void)st;
	const char *in[] = {"10.127.255.255"}, *out[] = {"10.128.0.1"}, *v6[] = {"2001:db8::1"};
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"10.0.0.0/9\""), "aws:SourceIp", in, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"10.0.0.0/9\""), "aws:SourceIp", out, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"0.0.0.0/0\""), "aws:SourceIp", out, 1), IAM_ALLOWED);
	/* A bare address is a /32. */
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"10.128.0.1\""), "aws:SourceIp", out, 1), IAM_ALLOWED);
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"10.128.0.0\""), "aws:SourceIp", out, 1), IAM_IMPLICIT_DENY);
	/* Families never match each other, even /0. */
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"0.0.0.0/0\""), "aws:SourceIp", v6, 1), IAM_IMPLICIT_DENY);
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"2001:db8::/33\""), "aws:SourceIp", v6, 1), IAM_ALLOWED);
}

static void test_E44_many_context_keys(void **st)
{
	(void)st;
	/* More keys than the evaluator indexes: found all the same, case-insensitively. */
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, COND_POLICY("StringEquals", "AWS:RequestedRegion", "\"eu-west-2\""));
	static char names[80][24];
	static const char *v[] = {"eu-west-2"}, *other[] = {"x"};
	struct iam_context_entry ctx[80];
	for (int i = 0; i < 79; i++) {
		snprintf(names[i], sizeof names[i], "x:key%d", i);
		ctx[i] = (struct iam_context_entry){names[i], other, 1};
	}
	ctx[79] = (struct iam_context_entry){"aws:requestedREGION", v, 1};
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:GetItem", TABLE, ctx, 80, NULL), IAM_ALLOWED);
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:GetItem", TABLE, ctx, 79, NULL), IAM_IMPLICIT_DENY);
}

static void test_E19_E21_compiled_action_and_arn_prefix(void **st)
{
	(void)st;
	struct setup_ s = {0};
	/* No pattern starts with 'd': the Action statement is skipped, the NotAction one applies. */
	s.identity[s.nid++] = pol(IAM_IDENTITY, "{\"Version\":\"2012-10-17\",\"Statement\":["
		"{\"Effect\":\"Allow\",\"NotAction\":[\"s3:*\",\"iam:*\"],\"Resource\":\"arn:aws:dynamodb:eu-west-2:" ACCT ":table/*\"},"
		"{\"Effect\":\"Deny\",\"Action\":[\"s3:*\",\"kms:*\"],\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	/* The literal prefix (arn:aws:dynamodb:eu-west-2:ACCT:) must match whole fields. */
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-22:" ACCT ":table/T"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-2:" ACCT ":table"), IAM_IMPLICIT_DENY);
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-2"), IAM_IMPLICIT_DENY);
	/* A pattern starting with a wildcard disables the filter. */
	struct setup_ w = {0};
	w.identity[w.nid++] = pol(IAM_IDENTITY, ID_ALLOW("*:GetItem", "*"));
	assert_int_equal(decide(&w, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	assert_int_equal(decide(&w, ROLE, "DynamoDB:getitem", TABLE), IAM_ALLOWED);
}

static void test_E12_vpc_endpoint_policy_must_allow(void **st)
{
	(void)st;
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ALLOW_ALL);
	s.vpce = pol(IAM_RESOURCE, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}");
	assert_int_equal(decide(&s, ROLE, "dynamodb:GetItem", TABLE), IAM_ALLOWED);
	struct iam_result r;
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:DeleteTable", TABLE, NULL, 0, &r), IAM_IMPLICIT_DENY);
	assert_non_null(strstr(r.reason, "E12"));
}

static void test_E15_principal_arn_matched_as_written(void **st)
{
	(void)st;
	/* rampart evaluates a trust policy as written, as AWS does right after it is saved: the
	 * role ARN names that role (AWS then stores its unique ID, so a role deleted and
	 * recreated under the same name is no longer trusted - not visible in a template).
	 * aws:PrincipalArn in a condition stays an ARN and matches the recreated role too. */
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, ID_ALLOW("sts:AssumeRole", "*"));
	s.resource = pol(IAM_TRUST, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" ACCT
				    "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"ArnEquals\":{\"aws:PrincipalArn\":\"" ROLE "\"}}}]}");
	assert_int_equal(decide(&s, SESSION, "sts:AssumeRole", "arn:aws:iam::" ACCT ":role/Target"), IAM_ALLOWED);
	assert_int_equal(decide(&s, "arn:aws:sts::" ACCT ":assumed-role/Other/s", "sts:AssumeRole", "arn:aws:iam::" ACCT ":role/Target"),
			 IAM_IMPLICIT_DENY);
}

static void test_E24_variable_only_in_resource_part(void **st)
{
	(void)st;
	size_t before = errors();
	pol(IAM_IDENTITY, ID_ALLOW("s3:*", "arn:aws:s3:::${aws:username}/*"));
	assert_int_equal(errors(), before);
	pol(IAM_IDENTITY, ID_ALLOW("dynamodb:*", "arn:aws:dynamodb:${aws:RequestedRegion}:" ACCT ":table/T"));
	assert_int_equal(errors(), before + 1);
}

static void test_E28_bool_values_are_not_variables(void **st)
{
	(void)st;
	/* The docs disagree on variables in Bool (E28); rampart follows the policy-variables page:
	 * not supported, so "${aws:SecureTransport}" is a literal that matches neither true nor false. */
	const char *t[] = {"true"};
	struct setup_ s = {0};
	s.identity[s.nid++] = pol(IAM_IDENTITY, COND_POLICY("Bool", "aws:MultiFactorAuthPresent", "\"${aws:SecureTransport}\""));
	struct iam_context_entry ctx[] = {{"aws:MultiFactorAuthPresent", t, 1}, {"aws:SecureTransport", t, 1}};
	assert_int_equal(decide_ctx(&s, ROLE, "dynamodb:GetItem", TABLE, ctx, 2, NULL), IAM_IMPLICIT_DENY);
}

static void test_operator_type_mismatch_diagnosed(void **st)
{
	(void)st;
	size_t before = errors();
	pol(IAM_IDENTITY, COND_POLICY("NumericLessThan", "aws:MultiFactorAuthAge", "\"soon\""));
	pol(IAM_IDENTITY, COND_POLICY("DateGreaterThan", "aws:CurrentTime", "\"tomorrow\""));
	pol(IAM_IDENTITY, COND_POLICY("IpAddress", "aws:SourceIp", "\"10.0.0.0/99\""));
	pol(IAM_IDENTITY, COND_POLICY("Bool", "aws:SecureTransport", "\"yes\""));
	assert_int_equal(errors(), before + 4);
	pol(IAM_IDENTITY, COND_POLICY("NumericLessThan", "aws:MultiFactorAuthAge", "\"3600\""));
	pol(IAM_IDENTITY, COND_POLICY("IpAddress", "aws:SourceIp", "\"2001:db8::/32\""));
	assert_int_equal(errors(), before + 4);
}

/*
 * Issue 8: the prefix was read with atoi, so "10.0.0.0/x" (and "/", "/+8",
 * "/08", "/8 ") loaded without a word and became /0: a request from
 * 8.8.8.8 was allowed.  Each is now a load error, and the condition never
 * matches more widely than written (IpAddress gains nothing from the bad
 * block; NotIpAddress with a bad block does not hold).
 */
static void test_regression_malformed_cidr_prefix(void **st)
{
	(void)st;
	static const char *const bad[] = {"\"10.0.0.0/x\"", "\"10.0.0.0/\"", "\"10.0.0.0/+8\"", "\"10.0.0.0/08\"",
					  "\"10.0.0.0/8 \"", "\"10.0.0.0/33\"", "\"::/x\"", "\"010.0.0.0/8\""};
	const char *google[] = {"8.8.8.8"}, *inside[] = {"10.1.2.3"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char allow[300], deny[300];
		snprintf(allow, sizeof allow, COND_POLICY("IpAddress", "aws:SourceIp", "%s"), bad[i]);
		snprintf(deny, sizeof deny, COND_POLICY("NotIpAddress", "aws:SourceIp", "%s"), bad[i]);
		size_t before = errors();
		assert_int_equal(with_ctx(allow, "aws:SourceIp", google, 1), IAM_IMPLICIT_DENY);
		assert_int_equal(with_ctx(allow, "aws:SourceIp", inside, 1), IAM_IMPLICIT_DENY);
		assert_int_equal(with_ctx(deny, "aws:SourceIp", google, 1), IAM_IMPLICIT_DENY);
		assert_int_equal(errors(), before + 3);
		/* the diagnostic names the value and says what is wrong with it */
		const struct diag *last = &D.v[D.n - 1];
		assert_non_null(strstr(last->msg, "takes an IP address or CIDR block"));
		assert_true(last->line > 0 && last->col > 0);
	}
	/* a good block beside a bad one still matches as written */
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "[\"10.0.0.0/x\", \"8.8.8.0/24\"]"), "aws:SourceIp",
				  google, 1),
			 IAM_ALLOWED);
	/* host bits are ignored, as IAM compares the prefix bits only */
	size_t before = errors();
	assert_int_equal(with_ctx(COND_POLICY("IpAddress", "aws:SourceIp", "\"8.8.8.77/24\""), "aws:SourceIp", google, 1),
			 IAM_ALLOWED);
	assert_int_equal(errors(), before);
	/* a request address that does not read satisfies neither operator */
	const char *junk[] = {"8.8.8.8/32"};
	assert_int_equal(with_ctx(COND_POLICY("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/8\""), "aws:SourceIp", junk, 1),
			 IAM_IMPLICIT_DENY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_E1_default_is_implicit_deny), T(test_E2_explicit_deny_wins_everywhere),
		T(test_E3_rcp_full_access_implied_denies_count), T(test_E4_scp_allow_needed_at_every_level),
		T(test_E5_scp_full_language_accepted), T(test_E6_resource_policy_principal_kinds),
		T(test_E6_kms_key_policy_must_allow), T(test_E6_trust_policy_must_allow),
		T(test_E7_identity_allow), T(test_E8_boundary_intersects), T(test_E9_session_policy_intersects),
		T(test_E10_cross_account_needs_both_sides), T(test_E11_cross_account_deny_on_either_side),
		T(test_E12_vpc_endpoint_policy_must_allow), T(test_E15_principal_arn_matched_as_written),
		T(test_E24_variable_only_in_resource_part), T(test_E28_bool_values_are_not_variables),
		T(test_E13_principal_star_includes_anonymous), T(test_E14_no_partial_wildcard_principal_and_case),
		T(test_E16_notprincipal_deny_needs_account), T(test_E17_actions_case_insensitive),
		T(test_E18_action_wildcards_anywhere), T(test_E19_notaction_allow_every_other_service),
		T(test_E20_unknown_action_in_notaction_not_dropped), T(test_E21_resource_wildcards_segments),
		T(test_E22_resources_case_sensitive), T(test_E23_notresource_allow_grants_the_rest),
		T(test_E25_resource_variable_without_value_matches_nothing),
		T(test_E26_missing_version_makes_variables_literal), T(test_E27_E31_username_variable_by_principal_type),
		T(test_E29_special_literals), T(test_E30_variable_default_value), T(test_E32_values_or_negated_nor),
		T(test_E33_missing_key_positive_false_negated_true), T(test_E34_ifexists), T(test_E35_null),
		T(test_E36_string_operators), T(test_E37_numeric), T(test_E38_dates_iso_and_epoch),
		T(test_E39_bool_and_binary), T(test_E40_ip_address), T(test_E41_arnlike_vs_stringlike),
		T(test_E42_set_operators), T(test_E43_forallvalues_single_valued_key_warns),
		T(test_E44_context_keys_case_insensitive), T(test_E45_wildcard_without_like_is_literal),
		T(test_E46_duplicate_keys_different_case), T(test_invalid_policies_diagnosed),
		T(test_matched_statements_explain), T(test_operator_type_mismatch_diagnosed),
		T(test_regression_malformed_cidr_prefix), T(test_regression_wildcard_grant_to_session),
		T(test_regression_notprincipal_role_and_session), T(test_regression_kms_needs_a_key_policy),
		T(test_oracle_deviation_session_arn_grant_not_limited_by_session_policy),
		T(test_oracle_deviation_notprincipal_unchanged_by_boundary),
		T(test_E38_dates_compiled_like_strptime), T(test_E40_ip_blocks_compiled), T(test_E44_many_context_keys),
		T(test_E19_E21_compiled_action_and_arn_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
