/*
 * test_iam_access.c - the IAM layer's semantic checks (iam_access.c),
 * through the real loader, model and evaluator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"

#include <stdio.h>
#include <string.h>

#include "checks/catalogue.h"
#include "checks/check.h"

#define HEAD "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
#define LAMBDA_TRUST \
	"      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n" \
	"          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n"
#define HUMAN_TRUST \
	"      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n" \
	"          - {Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: sts:AssumeRole}\n"
#define TABLE \
	"  Patients:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: patients\n" \
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
#define POLICY(name, stmts) \
	"        - PolicyName: " name "\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n" stmts

static void test_admin_managed_policy(void **st)
{
	(void)st;
	assert_int_equal(harness_count("RMP-IAM-101", HEAD "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
					       "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n"), 1);
	assert_int_equal(harness_count("RMP-IAM-101", HEAD "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
					       "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n"), 0);
}

static void test_admin_by_writing_own_policy(void **st)
{
	(void)st;
	assert_int_equal(harness_count("RMP-IAM-101", HEAD "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("self", "              - {Effect: Allow, Action: iam:PutRolePolicy, Resource: '*'}\n")), 1);
}

static void test_escalation_split_across_policies(void **st)
{
	(void)st;
	/* PassRole in one policy, CreateFunction + Invoke in another: still escalation (Cloudsplaining #188). */
	const char *t = HEAD "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST "      Policies:\n"
		POLICY("pass", "              - {Effect: Allow, Action: iam:PassRole, Resource: '*'}\n")
		POLICY("fn", "              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}\n");
	assert_int_equal(harness_count("RMP-IAM-102", t), 1);
	/* PassRole limited to one role of the stack: no method completes on an arbitrary role. */
	const char *u = HEAD "  Worker:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST "      Policies:\n"
		POLICY("pass", "              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Worker.Arn}\n")
		POLICY("fn", "              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}\n");
	assert_int_equal(harness_count("RMP-IAM-102", u), 0);
	/* A permissions boundary without iam: stops it. */
	const char *b = HEAD "  Boundary:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n"
		"        Statement:\n          - {Effect: Allow, Action: lambda:*, Resource: '*'}\n"
		"  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST "      PermissionsBoundary: !Ref Boundary\n      Policies:\n"
		POLICY("pass", "              - {Effect: Allow, Action: iam:PassRole, Resource: '*'}\n")
		POLICY("fn", "              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}\n");
	assert_int_equal(harness_count("RMP-IAM-102", b), 0);
}

static void test_write_on_star(void **st)
{
	(void)st;
	assert_int_equal(harness_count("RMP-IAM-103", HEAD TABLE "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("w", "              - {Effect: Allow, Action: dynamodb:PutItem, Resource: '*'}\n")), 1);
	assert_int_equal(harness_count("RMP-IAM-103", HEAD TABLE "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("w", "              - {Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt Patients.Arn}\n")), 0);
	/* Read on '*' is not write. */
	assert_int_equal(harness_count("RMP-IAM-103", HEAD TABLE "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("r", "              - {Effect: Allow, Action: dynamodb:GetItem, Resource: '*'}\n")), 0);
}

static void test_separation_of_use_and_admin(void **st)
{
	(void)st;
	assert_int_equal(harness_count("RMP-IAM-104", HEAD TABLE "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("all", "              - {Effect: Allow, Action: dynamodb:*, Resource: !GetAtt Patients.Arn}\n")), 1);
	assert_int_equal(harness_count("RMP-IAM-104", HEAD TABLE "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("rw", "              - {Effect: Allow, Action: [dynamodb:GetItem, dynamodb:PutItem], Resource: !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Patients}'}\n")), 0);
}

static void test_mfa_for_people(void **st)
{
	(void)st;
	assert_int_equal(harness_count("RMP-IAM-105", HEAD TABLE "  Ops:\n    Type: AWS::IAM::Role\n    Properties:\n" HUMAN_TRUST
		"      Policies:\n" POLICY("ops", "              - {Effect: Allow, Action: dynamodb:DeleteTable, Resource: '*'}\n")), 1);
	assert_int_equal(harness_count("RMP-IAM-105", HEAD TABLE "  Ops:\n    Type: AWS::IAM::Role\n    Properties:\n" HUMAN_TRUST
		"      Policies:\n" POLICY("ops", "              - Effect: Allow\n                Action: dynamodb:DeleteTable\n                Resource: '*'\n"
					      "                Condition: {Bool: {aws:MultiFactorAuthPresent: 'true'}}\n")), 0);
	/* A service role is not used by people. */
	assert_int_equal(harness_count("RMP-IAM-105", HEAD TABLE "  Fn:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      Policies:\n" POLICY("ops", "              - {Effect: Allow, Action: dynamodb:DeleteTable, Resource: '*'}\n")), 0);
}

static void test_unknown_managed_policy_is_uncertain(void **st)
{
	(void)st;
	assert_int_equal(harness_count_uncertain("RMP-IAM-103", HEAD "  R:\n    Type: AWS::IAM::Role\n    Properties:\n" LAMBDA_TRUST
		"      ManagedPolicyArns: [arn:aws:iam::aws:policy/SomethingRampartDoesNotCarry]\n"
		"      Policies:\n" POLICY("w", "              - {Effect: Allow, Action: s3:PutObject, Resource: '*'}\n")), 1);
}

#define ROLE(name, trust) "  " name ":\n    Type: AWS::IAM::Role\n    Properties:\n" trust
#define TRUST(stmt) "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - " stmt "\n"

/* The one finding of check id on text: its severity, or -1 if there is not exactly one. */
static int only_severity(const char *id, const char *text)
{
	struct harness h;
	harness_run(&h, id, text);
	int sev = -1;
	size_t n = 0;
	for (size_t i = 0; i < h.findings.n; i++)
		if (!h.findings.v[i].suppressed && !strcmp(h.findings.v[i].check->id, id)) {
			n++;
			sev = h.findings.v[i].severity;
		}
	harness_free(&h);
	return n == 1 ? sev : -1;
}

static void test_trust_other_account_needs_external_id(void **st)
{
	(void)st;
	const char *open = HEAD ROLE("Partner", TRUST("{Effect: Allow, Principal: {AWS: 'arn:aws:iam::444455556666:root'}, Action: sts:AssumeRole}"));
	assert_int_equal(harness_count("RMP-IAM-106", open), 1);
	const char *ext = HEAD ROLE("Partner", TRUST("{Effect: Allow, Principal: {AWS: 'arn:aws:iam::444455556666:root'}, Action: sts:AssumeRole, "
						     "Condition: {StringEquals: {sts:ExternalId: 'k3y'}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", ext), 0);
	/* A role of the other account, named directly: the same. */
	const char *role = HEAD ROLE("Partner", TRUST("{Effect: Allow, Principal: {AWS: 'arn:aws:iam::444455556666:role/Sync'}, Action: sts:AssumeRole}"));
	assert_int_equal(harness_count("RMP-IAM-106", role), 1);
	/* The stack's own account: not another account. */
	assert_int_equal(harness_count("RMP-IAM-106", HEAD ROLE("Ops", HUMAN_TRUST)), 0);
	/* A Deny on the other account wins (the evaluator, not the Allow's text, decides). */
	const char *denied = HEAD ROLE("Partner", "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
		"          - {Effect: Allow, Principal: {AWS: 'arn:aws:iam::444455556666:root'}, Action: sts:AssumeRole}\n"
		"          - {Effect: Deny, Principal: {AWS: 'arn:aws:iam::444455556666:root'}, Action: 'sts:*'}\n");
	assert_int_equal(harness_count("RMP-IAM-106", denied), 0);
}

static void test_trust_star_with_non_identifying_conditions(void **st)
{
	(void)st;
	/* Conditions on transport and MFA do not say who may assume: anyone can. RMP-IAM-006 (no condition) misses it. */
	const char *weak = HEAD ROLE("Open", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, "
						   "Condition: {Bool: {aws:SecureTransport: 'true', aws:MultiFactorAuthPresent: 'true'}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", weak), 1);
	assert_int_equal(harness_count("RMP-IAM-006", weak), 0);
	/* ForAllValues on an absent key holds vacuously: no condition really applies (E42). */
	const char *vacuous = HEAD ROLE("Open", TRUST("{Effect: Allow, Principal: '*', Action: sts:AssumeRole, "
						      "Condition: {'ForAllValues:StringEquals': {aws:PrincipalOrgPaths: ['o-1/r-1/ou-1/']}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", vacuous), 1);
	const char *org = HEAD ROLE("Org", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, "
						 "Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", org), 0);
	/* Issue 8: a source range is no limit when the blocks together are the whole internet,
	 * whatever their text (the check looked for "/0"); with a gap, they are a limit. */
	const char *halves = HEAD ROLE("Open", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, "
						     "Condition: {IpAddress: {aws:SourceIp: [0.0.0.0/1, 128.0.0.0/1]}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", halves), 1);
	const char *v6 = HEAD ROLE("Open", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, "
						 "Condition: {IpAddress: {aws:SourceIp: [203.0.113.0/24, '::/1', '8000::/1']}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", v6), 1);
	const char *gap = HEAD ROLE("Ranges", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, "
						    "Condition: {IpAddress: {aws:SourceIp: [0.0.0.0/1, 192.0.0.0/2]}}}"));
	assert_int_equal(harness_count("RMP-IAM-106", gap), 0);
	/* No condition at all: RMP-IAM-006's finding, not reported twice. */
	const char *bare = HEAD ROLE("Open", TRUST("{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole}"));
	assert_int_equal(harness_count("RMP-IAM-106", bare), 0);
	assert_int_equal(harness_count("RMP-IAM-006", bare), 1);
}

#define KEY(policy_stmts) \
	"  DataKey:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n" \
	"        Statement:\n" policy_stmts
#define ROOT_KEY_STMT "          - {Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}\n"

static void test_exfiltration_by_people(void **st)
{
	(void)st;
	const char *scan = POLICY("data", "              - {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Patients.Arn}\n");
	/* A role people assume can scan the table: reported; the same grant on a function's role is the application. */
	assert_int_equal(harness_count("RMP-IAM-107", HEAD TABLE ROLE("Ops", HUMAN_TRUST)), 0); /* no policy: nothing */
	char t[4096];
	snprintf(t, sizeof t, "%s%s%s%s", HEAD TABLE, ROLE("Ops", HUMAN_TRUST), "      Policies:\n", scan);
	assert_int_equal(harness_count("RMP-IAM-107", t), 1);
	snprintf(t, sizeof t, "%s%s%s%s", HEAD TABLE, ROLE("AppRole", LAMBDA_TRUST), "      Policies:\n", scan);
	assert_int_equal(harness_count("RMP-IAM-107", t), 0);
	/* Item reads are the application's kind of access, not bulk reads. */
	assert_int_equal(harness_count("RMP-IAM-107", HEAD TABLE ROLE("Ops", HUMAN_TRUST) "      Policies:\n"
		POLICY("item", "              - {Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Patients.Arn}\n")), 0);
	/* A user reading a secret's value. */
	assert_int_equal(harness_count("RMP-IAM-107", HEAD "  Db:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString: {}\n"
		"  Dev:\n    Type: AWS::IAM::User\n    Properties:\n      Policies:\n"
		POLICY("s", "              - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: !Ref Db}\n")), 1);
}

static void test_exfiltration_decrypt_needs_key_policy(void **st)
{
	(void)st;
	const char *dec = POLICY("k", "              - {Effect: Allow, Action: kms:Decrypt, Resource: '*'}\n");
	char t[4096];
	/* The key policy delegates to the account: the identity policy's Allow counts. */
	snprintf(t, sizeof t, "%s%s%s%s%s", HEAD, KEY(ROOT_KEY_STMT), ROLE("Ops", HUMAN_TRUST), "      Policies:\n", dec);
	assert_int_equal(harness_count("RMP-IAM-107", t), 1);
	/* It names only another role: the identity policy alone cannot decrypt (E6). */
	snprintf(t, sizeof t, "%s%s%s%s%s", HEAD,
		 KEY("          - {Effect: Allow, Principal: {AWS: 'arn:aws:iam::123456789012:role/KeyAdmin'}, Action: 'kms:*', Resource: '*'}\n"),
		 ROLE("Ops", HUMAN_TRUST), "      Policies:\n", dec);
	assert_int_equal(harness_count("RMP-IAM-107", t), 0);
}

#define TABLE_POLICY(stmt) \
	"  Patients:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: patients\n" \
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n" \
	"      ResourcePolicy:\n        PolicyDocument:\n          Version: '2012-10-17'\n          Statement:\n            - " stmt "\n"

static void test_open_table_policy(void **st)
{
	(void)st;
	/* "*" limited only by transport: open to every account (RMP-DDB-011 sees a condition and stays quiet). */
	const char *weak = HEAD TABLE_POLICY("{Effect: Allow, Principal: '*', Action: 'dynamodb:*', Resource: '*', "
					     "Condition: {Bool: {aws:SecureTransport: 'true'}}}");
	assert_int_equal(only_severity("RMP-IAM-108", weak), SEV_CRITICAL);
	assert_int_equal(harness_count("RMP-DDB-011", weak), 0);
	const char *org = HEAD TABLE_POLICY("{Effect: Allow, Principal: '*', Action: 'dynamodb:*', Resource: '*', "
					    "Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123}}}");
	assert_int_equal(harness_count("RMP-IAM-108", org), 0);
	/* No condition: RMP-DDB-011's finding. */
	const char *bare = HEAD TABLE_POLICY("{Effect: Allow, Principal: '*', Action: 'dynamodb:*', Resource: '*'}");
	assert_int_equal(harness_count("RMP-IAM-108", bare), 0);
	assert_int_equal(harness_count("RMP-DDB-011", bare), 1);
	/* Another account, named: medium. */
	const char *named = HEAD TABLE_POLICY("{Effect: Allow, Principal: {AWS: '444455556666'}, Action: dynamodb:GetItem, Resource: '*'}");
	assert_int_equal(only_severity("RMP-IAM-108", named), SEV_MEDIUM);
	/* Allow with NotPrincipal: everyone else, anonymous included. */
	const char *notp = HEAD TABLE_POLICY("{Effect: Allow, NotPrincipal: {AWS: 'arn:aws:iam::123456789012:role/Nobody'}, "
					     "Action: dynamodb:Scan, Resource: '*'}");
	assert_int_equal(only_severity("RMP-IAM-108", notp), SEV_CRITICAL);
}

static void test_open_api_and_function(void **st)
{
	(void)st;
	const char *api = HEAD "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: clinic\n      Policy:\n"
		"        Version: '2012-10-17'\n        Statement:\n"
		"          - {Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/*'}\n";
	assert_int_equal(only_severity("RMP-IAM-108", api), SEV_CRITICAL);
	const char *vpce = HEAD "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: clinic\n      Policy:\n"
		"        Version: '2012-10-17'\n        Statement:\n"
		"          - {Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/*', "
		"Condition: {StringEquals: {aws:SourceVpce: vpce-1a2b3c}}}\n";
	assert_int_equal(harness_count("RMP-IAM-108", vpce), 0);
	/* A function permission for another account (RMP-LMB-008 looks only at "*"). */
	const char *fn = HEAD "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: a.b\n      Runtime: python3.12\n"
		"      Code: {ZipFile: x}\n      Role: arn:aws:iam::123456789012:role/r\n"
		"  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n"
		"      FunctionName: !Ref Fn\n      Principal: '444455556666'\n";
	assert_int_equal(only_severity("RMP-IAM-108", fn), SEV_MEDIUM);
	const char *scoped = HEAD "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: a.b\n      Runtime: python3.12\n"
		"      Code: {ZipFile: x}\n      Role: arn:aws:iam::123456789012:role/r\n"
		"  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n"
		"      FunctionName: !Ref Fn\n      Principal: '*'\n      SourceAccount: !Ref AWS::AccountId\n";
	assert_int_equal(harness_count("RMP-IAM-108", scoped), 0);
}

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_iam_access, checks_iam_access_count, LAYER_IAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete), cmocka_unit_test(test_admin_managed_policy), cmocka_unit_test(test_admin_by_writing_own_policy),
		cmocka_unit_test(test_escalation_split_across_policies), cmocka_unit_test(test_write_on_star),
		cmocka_unit_test(test_separation_of_use_and_admin), cmocka_unit_test(test_mfa_for_people),
		cmocka_unit_test(test_unknown_managed_policy_is_uncertain),
		cmocka_unit_test(test_trust_other_account_needs_external_id),
		cmocka_unit_test(test_trust_star_with_non_identifying_conditions),
		cmocka_unit_test(test_exfiltration_by_people), cmocka_unit_test(test_exfiltration_decrypt_needs_key_policy),
		cmocka_unit_test(test_open_table_policy), cmocka_unit_test(test_open_api_and_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
