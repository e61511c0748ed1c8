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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_managed_policy), cmocka_unit_test(test_admin_by_writing_own_policy),
		cmocka_unit_test(test_escalation_split_across_policies), cmocka_unit_test(test_write_on_star),
		cmocka_unit_test(test_separation_of_use_and_admin), cmocka_unit_test(test_mfa_for_people),
		cmocka_unit_test(test_unknown_managed_policy_is_uncertain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
