/*
 * test_iam.c - the IAM layer's syntactic checks on small templates: each
 * check's failing and passing cases, unknowns (uncertain findings), SAM
 * generated roles and suppression through resource metadata.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "checks/check.h"
#include "checks/finding.h"

#include <stdio.h>
#include <string.h>

#define COUNT(id, t) harness_count(id, t)
#define UNCERTAIN(id, t) harness_count_uncertain(id, t)

#define TRUST "{Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}"

/* A role with one inline policy whose statements are `stmts` (a YAML flow list). */
#define ROLE(stmts)                                                                                           \
	"Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: " TRUST \
	"\n      Policies: [{PolicyName: p, PolicyDocument: {Version: '2012-10-17', Statement: " stmts "}}]\n"

/* ---- RMP-IAM-001 ---- */

static void test_iam001(void **state)
{
	(void)state;
	const char *fail = ROLE("[{Effect: Allow, Action: '*', Resource: '*'}, {Effect: Allow, NotAction: iam:*, Resource: '*'}]")
		"  Pol: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: {Effect: Allow, Action: ['s3:GetObject', '*'], Resource: ['*']}}}}\n"
		"  Admin: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: " TRUST ", ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]}}\n"
		"  Admin2: {Type: AWS::IAM::Group, Properties: {ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess']}}\n";
	assert_int_equal(COUNT("RMP-IAM-001", fail), 5);
	assert_int_equal(UNCERTAIN("RMP-IAM-001", fail), 0);
	const char *pass = ROLE("[{Effect: Allow, Action: '*', Resource: arn:aws:s3:::bucket/*},"
				" {Effect: Deny, Action: '*', Resource: '*'},"
				" {Effect: Allow, Action: s3:GetObject, Resource: '*'}]")
		"  Ro: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: " TRUST ", ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}\n";
	assert_int_equal(COUNT("RMP-IAM-001", pass), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
		ROLE("[!If [Dev, {Effect: Allow, Action: '*', Resource: '*'}, !Ref AWS::NoValue]]");
	assert_int_equal(COUNT("RMP-IAM-001", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-001", maybe), 1);
	/* the whole Policies list under Fn::If */
	const char *list = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			   "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: " TRUST "\n"
			   "      Policies: !If [Dev, [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}}], !Ref AWS::NoValue]\n";
	assert_int_equal(COUNT("RMP-IAM-001", list), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-001", list), 1);
	/* a SAM function with AdministratorAccess: reported, and suppressed on the SAM resource */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/, Policies: [AdministratorAccess]}}\n";
	struct harness h;
	harness_run(&h, "RMP-IAM-001", sam);
	assert_int_equal(h.findings.n, 1);
	assert_string_equal(h.findings.v[0].source_resource, "Fn");
	assert_string_equal(h.findings.v[0].resource_type, "AWS::IAM::Role");
	harness_free(&h);
	const char *sup = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn:\n    Type: AWS::Serverless::Function\n"
			  "    Metadata: {rampart: {skip: [{id: IAM.1, reason: break-glass function}]}}\n"
			  "    Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/, Policies: [AdministratorAccess]}\n";
	assert_int_equal(COUNT("RMP-IAM-001", sup), 0);
}

/* ---- RMP-IAM-002 ---- */

static void test_iam002(void **state)
{
	(void)state;
	const char *fail = ROLE("[{Effect: Allow, Action: 'dynamodb:*', Resource: '*'},"
				" {Effect: Allow, Action: [s3:GetObject, 'dynamodb:Delete*'], Resource: !GetAtt T.Arn},"
				" {Effect: Allow, Action: ['Secretsmanager:Get*'], Resource: !Sub 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-*'},"
				" {Effect: Allow, Action: '*', Resource: !GetAtt T.Arn},"
				" {Effect: Allow, NotAction: s3:*, Resource: !GetAtt T.Arn}]")
		"  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: k, KeyType: HASH}], AttributeDefinitions: [{AttributeName: k, AttributeType: S}]}}\n";
	assert_int_equal(COUNT("RMP-IAM-002", fail), 5);
	const char *pass = ROLE("[{Effect: Allow, Action: [dynamodb:GetItem, dynamodb:Query], Resource: '*'},"
				" {Effect: Allow, Action: 'logs:*', Resource: '*'},"
				" {Effect: Deny, Action: 'dynamodb:*', Resource: '*'},"
				" {Effect: Allow, Action: '*', Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-002", pass), 0);
	/* metadata wildcards (serverless-patterns apigw-sqs-lambda-ddb: dynamodb:List*); s3:List* lists keys */
	const char *meta = ROLE("[{Effect: Allow, Action: ['dynamodb:List*', 'dynamodb:Describe*', 'kms:List*', 'rds:Describe*'], Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-002", meta), 0);
	const char *keys = ROLE("[{Effect: Allow, Action: ['s3:List*'], Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-002", keys), 1);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
		ROLE("[{Effect: Allow, Action: !If [Dev, 'rds:*', rds:DescribeDBInstances], Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-002", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-002", maybe), 1);
	/* one sure wildcard next to a conditional one: certain */
	const char *both = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
		ROLE("[{Effect: Allow, Action: [!If [Dev, 'rds:*', rds:DescribeDBInstances], 's3:*'], Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-002", both), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-002", both), 0);
	const char *sup = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n"
			  "    Metadata: {cdk_nag: {}, rampart: {skip: [{id: AwsSolutions-IAM5, reason: migration job}]}}\n"
			  "    Properties:\n      AssumeRolePolicyDocument: " TRUST "\n"
			  "      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*'}]}}]\n";
	assert_int_equal(COUNT("RMP-IAM-002", sup), 0);
}

/* ---- RMP-IAM-003 ---- */

static void test_iam003(void **state)
{
	(void)state;
	const char *fail = ROLE("[{Effect: Allow, Action: iam:PassRole, Resource: '*'},"
				" {Effect: Allow, Action: ['iam:Pass*'], Resource: !Sub 'arn:aws:iam::${AWS::AccountId}:role/*'},"
				" {Effect: Allow, NotAction: [s3:*], Resource: '*'}]");
	assert_int_equal(COUNT("RMP-IAM-003", fail), 3);
	const char *pass = ROLE("[{Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Worker.Arn},"
				" {Effect: Allow, NotAction: 'iam:*', Resource: '*'},"
				" {Effect: Allow, Action: iam:GetRole, Resource: '*'}]")
		"  Worker: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: " TRUST "}}\n";
	assert_int_equal(COUNT("RMP-IAM-003", pass), 0);
	const char *cond = ROLE("[{Effect: Allow, Action: iam:PassRole, Resource: '*', Condition: {StringEquals: {iam:PassedToService: lambda.amazonaws.com}}}]");
	assert_int_equal(UNCERTAIN("RMP-IAM-003", cond), 1);
	const char *sup = "Resources:\n  Pol:\n    Type: AWS::IAM::Policy\n"
			  "    Metadata: {cfn_nag: {rules_to_suppress: [{id: F39, reason: deployer}]}}\n"
			  "    Properties: {PolicyName: p, Roles: [r], PolicyDocument: {Statement: [{Effect: Allow, Action: iam:PassRole, Resource: '*'}]}}\n";
	assert_int_equal(COUNT("RMP-IAM-003", sup), 0);
}

/* ---- RMP-IAM-004 ---- */

static void test_iam004(void **state)
{
	(void)state;
	const char *fail = ROLE("[{Effect: Allow, Action: kms:Decrypt, Resource: '*'},"
				" {Effect: Allow, Action: 'kms:*', Resource: !Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*'},"
				" {Effect: Allow, Action: [kms:ReEncryptFrom], Resource: ['*']}]");
	assert_int_equal(COUNT("RMP-IAM-004", fail), 3);
	/* "(through kms:*)" only when the grant comes through another pattern */
	struct harness h;
	harness_run(&h, "RMP-IAM-004", fail);
	assert_int_equal(h.findings.n, 3);
	size_t via = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		const char *m = h.findings.v[i].message;
		assert_null(strstr(m, "(through kms:Decrypt)"));
		assert_null(strstr(m, "(through kms:ReEncryptFrom)"));
		via += strstr(m, "kms:Decrypt (through kms:*)") != NULL;
	}
	assert_int_equal(via, 1);
	harness_free(&h);
	const char *pass = ROLE("[{Effect: Allow, Action: kms:Decrypt, Resource: !GetAtt Key.Arn},"
				" {Effect: Allow, Action: kms:Encrypt, Resource: '*'},"
				" {Effect: Allow, NotAction: 'kms:*', Resource: '*'}]")
		"  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {}}}\n";
	assert_int_equal(COUNT("RMP-IAM-004", pass), 0);
	const char *cond = ROLE("[{Effect: Allow, Action: kms:Decrypt, Resource: '*', Condition: {StringEquals: {kms:ViaService: dynamodb.eu-west-2.amazonaws.com}}}]");
	assert_int_equal(COUNT("RMP-IAM-004", cond), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-004", cond), 1);
	const char *sup = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n"
			  "    Metadata: {rampart: {skip: [{id: KMS.2, reason: key admin}]}}\n"
			  "    Properties:\n      AssumeRolePolicyDocument: " TRUST "\n"
			  "      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: kms:Decrypt, Resource: '*'}]}}]\n";
	assert_int_equal(COUNT("RMP-IAM-004", sup), 0);
}

/* ---- RMP-IAM-005 ---- */

static void test_iam005(void **state)
{
	(void)state;
	const char *fail = "Resources:\n"
			   "  U:\n    Type: AWS::IAM::User\n    Properties:\n"
			   "      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}}]\n"
			   "      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n"
			   "  P: {Type: AWS::IAM::Policy, Properties: {PolicyName: p, Users: [!Ref U], PolicyDocument: {Statement: []}}}\n"
			   "  Key: {Type: AWS::IAM::AccessKey, Properties: {UserName: !Ref U}}\n";
	assert_int_equal(COUNT("RMP-IAM-005", fail), 4);
	/* users outside the stack: reported on the policy */
	const char *outside = "Parameters: {Who: {Type: String}}\nResources:\n"
			      "  P: {Type: AWS::IAM::Policy, Properties: {PolicyName: p, Users: [alice, !Ref Who], PolicyDocument: {Statement: []}}}\n"
			      "  M: {Type: AWS::IAM::ManagedPolicy, Properties: {Users: [bob], Roles: [r], PolicyDocument: {Statement: []}}}\n"
			      "  G: {Type: AWS::IAM::Policy, Properties: {PolicyName: g, Groups: [devs], PolicyDocument: {Statement: []}}}\n";
	assert_int_equal(COUNT("RMP-IAM-005", outside), 3);
	const char *pass = "Resources:\n"
			   "  G: {Type: AWS::IAM::Group, Properties: {ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}\n"
			   "  U: {Type: AWS::IAM::User, Properties: {Groups: [!Ref G]}}\n"
			   "  Old: {Type: AWS::IAM::AccessKey, Properties: {UserName: !Ref U, Status: Inactive}}\n";
	assert_int_equal(COUNT("RMP-IAM-005", pass), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\nResources:\n"
			    "  U: {Type: AWS::IAM::User}\n"
			    "  K: {Type: AWS::IAM::AccessKey, Condition: Dev, Properties: {UserName: !Ref U}}\n";
	assert_int_equal(COUNT("RMP-IAM-005", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-005", maybe), 1);
	const char *sup = "Resources:\n  K:\n    Type: AWS::IAM::AccessKey\n"
			  "    Metadata: {rampart: {skip: [{id: RMP-IAM-005, reason: CI user, rotated}]}}\n"
			  "    Properties: {UserName: ci}\n";
	assert_int_equal(COUNT("RMP-IAM-005", sup), 0);
}

/* ---- RMP-IAM-006 ---- */

#define TRUSTING(principal, extra)                                                                          \
	"Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n" \
	"        Statement: [{Effect: Allow, Principal: " principal ", Action: sts:AssumeRole" extra "}]\n"

static void test_iam006(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("'*'", "")), 1);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{AWS: '*'}", "")), 1);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{AWS: [arn:aws:iam::123456789012:root, '*']}", "")), 1);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{AWS: 'arn:aws:iam::*:root'}", "")), 1);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{AWS: arn:aws:iam::123456789012:root}", "")), 0);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{Service: lambda.amazonaws.com}", "")), 0);
	assert_int_equal(COUNT("RMP-IAM-006", TRUSTING("{AWS: '*'}", ", Condition: {StringEquals: {sts:ExternalId: x}}")), 0);
	/* a principal from a parameter is not guessed at */
	const char *param = "Parameters: {Who: {Type: String}}\n" TRUSTING("{AWS: !Ref Who}", "");
	assert_int_equal(COUNT("RMP-IAM-006", param), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			    "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
			    "        Statement: [!If [Dev, {Effect: Allow, Principal: '*', Action: sts:AssumeRole}, {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]]\n";
	assert_int_equal(UNCERTAIN("RMP-IAM-006", maybe), 1);
	const char *inner = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			    TRUSTING("{AWS: !If [Dev, '*', arn:aws:iam::123456789012:root]}", "");
	assert_int_equal(COUNT("RMP-IAM-006", inner), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-006", inner), 1);
	const char *sup = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n"
			  "    Metadata: {checkov: {skip: [{id: CKV_AWS_60, comment: test}]}}\n"
			  "    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sts:AssumeRole}]}}\n";
	assert_int_equal(COUNT("RMP-IAM-006", sup), 0);
}

/* ---- RMP-LMB-008 / 009 ---- */

#define PERM(props) "Resources:\n  Perm: {Type: AWS::Lambda::Permission, Properties: {Action: lambda:InvokeFunction, FunctionName: f, " props "}}\n"

static void test_lmb008(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LMB-008", PERM("Principal: '*'")), 1);
	assert_int_equal(COUNT("RMP-LMB-008", PERM("Principal: '*', FunctionUrlAuthType: NONE, SourceAccount: '123456789012'")), 1);
	assert_int_equal(COUNT("RMP-LMB-008", PERM("Principal: '*', SourceAccount: '123456789012'")), 0);
	/* a SAM function URL without auth: one finding, not one per generated permission */
	const char *url = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/, FunctionUrlConfig: {AuthType: NONE}}}\n";
	assert_int_equal(COUNT("RMP-LMB-008", url), 1);
	assert_int_equal(COUNT("RMP-LMB-008", PERM("Principal: apigateway.amazonaws.com")), 0);
	assert_int_equal(COUNT("RMP-LMB-008", "Parameters: {P: {Type: String}}\n" PERM("Principal: !Ref P")), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			    "Resources:\n  Perm: {Type: AWS::Lambda::Permission, Condition: Dev, Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: '*'}}\n";
	assert_int_equal(UNCERTAIN("RMP-LMB-008", maybe), 1);
	const char *choice = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			     PERM("Principal: !If [Dev, '*', apigateway.amazonaws.com]");
	assert_int_equal(COUNT("RMP-LMB-008", choice), 1);
	assert_int_equal(UNCERTAIN("RMP-LMB-008", choice), 1);
	const char *sup = "Resources:\n  Perm:\n    Type: AWS::Lambda::Permission\n"
			  "    Metadata: {cfn_nag: {rules_to_suppress: [{id: F13, reason: public webhook}]}}\n"
			  "    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: '*'}\n";
	assert_int_equal(COUNT("RMP-LMB-008", sup), 0);
}

static void test_lmb009(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: s3.amazonaws.com")), 1);
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: events.amazonaws.com, SourceArn: arn:aws:events:eu-west-2:1:rule/r")), 0);
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: s3.amazonaws.com, SourceAccount: !Ref AWS::AccountId")), 0);
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: '123456789012'")), 0);
	/* "*" for the account scopes nothing; a wildcard stage/method of one API does */
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: apigateway.amazonaws.com, SourceArn: 'arn:aws:execute-api:eu-west-2:*:*'")), 1);
	assert_int_equal(COUNT("RMP-LMB-009", PERM("Principal: apigateway.amazonaws.com, SourceArn: 'arn:aws:execute-api:eu-west-2:123456789012:abc123/*/*'")), 0);
	/* SAM API events get a SourceArn */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/, Events: {Get: {Type: Api, Properties: {Path: /, Method: get}}}}}\n";
	assert_int_equal(COUNT("RMP-LMB-009", sam), 0);
	const char *sup = "Resources:\n  Perm:\n    Type: AWS::Lambda::Permission\n"
			  "    Metadata: {checkov: {skip: [{id: CKV_AWS_364}]}}\n"
			  "    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: sns.amazonaws.com}\n";
	assert_int_equal(COUNT("RMP-LMB-009", sup), 0);
}

/* ---- RMP-DDB-011 / RMP-SM-004 ---- */

static void test_ddb011(void **state)
{
	(void)state;
	const char *fail = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
			   "      KeySchema: [{AttributeName: k, KeyType: HASH}]\n"
			   "      AttributeDefinitions: [{AttributeName: k, AttributeType: S}]\n"
			   "      ResourcePolicy: {PolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: dynamodb:GetItem, Resource: '*'}]}}\n";
	assert_int_equal(COUNT("RMP-DDB-011", fail), 1);
	const char *pass = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
			   "      KeySchema: [{AttributeName: k, KeyType: HASH}]\n"
			   "      AttributeDefinitions: [{AttributeName: k, AttributeType: S}]\n"
			   "      ResourcePolicy: {PolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: dynamodb:GetItem, Resource: '*', Condition: {StringEquals: {aws:PrincipalOrgID: o-1}}}]}}\n";
	assert_int_equal(COUNT("RMP-DDB-011", pass), 0);
	const char *global = "Resources:\n  G:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n"
			     "      Replicas: [{Region: eu-west-2, ResourcePolicy: {PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 'dynamodb:*', Resource: '*'}]}}}]\n";
	assert_int_equal(COUNT("RMP-DDB-011", global), 1);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			    "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Condition: Dev\n    Properties:\n"
			    "      ResourcePolicy: {PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: dynamodb:GetItem, Resource: '*'}]}}\n";
	assert_int_equal(UNCERTAIN("RMP-DDB-011", maybe), 1);
	const char *sup = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
			  "    Metadata: {rampart: {skip: [{id: RMP-DDB-011, reason: open data set}]}}\n    Properties:\n"
			  "      ResourcePolicy: {PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: dynamodb:GetItem, Resource: '*'}]}}\n";
	assert_int_equal(COUNT("RMP-DDB-011", sup), 0);
	/* Regression: a ResourcePolicy chosen by an Fn::If is read branch by branch, not skipped. */
	const char *chosen = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			     "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
			     "      ResourcePolicy: !If\n        - Dev\n"
			     "        - {PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: dynamodb:GetItem, Resource: '*'}]}}\n"
			     "        - !Ref AWS::NoValue\n";
	assert_int_equal(COUNT("RMP-DDB-011", chosen), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-011", chosen), 1);
}

static void test_sm004(void **state)
{
	(void)state;
	const char *fail = "Resources:\n"
			   "  S: {Type: AWS::SecretsManager::Secret, Properties: {GenerateSecretString: {}}}\n"
			   "  P: {Type: AWS::SecretsManager::ResourcePolicy, Properties: {SecretId: !Ref S, ResourcePolicy: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: secretsmanager:GetSecretValue, Resource: '*'}]}}}\n";
	assert_int_equal(COUNT("RMP-SM-004", fail), 1);
	const char *pass = "Resources:\n"
			   "  S: {Type: AWS::SecretsManager::Secret, Properties: {GenerateSecretString: {}}}\n"
			   "  P: {Type: AWS::SecretsManager::ResourcePolicy, Properties: {SecretId: !Ref S, ResourcePolicy: {Statement: [{Effect: Deny, Principal: '*', Action: secretsmanager:DeleteSecret, Resource: '*'}, {Effect: Allow, Principal: {AWS: arn:aws:iam::123456789012:role/app}, Action: secretsmanager:GetSecretValue, Resource: '*'}]}}}\n";
	assert_int_equal(COUNT("RMP-SM-004", pass), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\nResources:\n"
			    "  P: {Type: AWS::SecretsManager::ResourcePolicy, Properties: {SecretId: s, ResourcePolicy: {Statement: [!If [Dev, {Effect: Allow, Principal: '*', Action: 'secretsmanager:*', Resource: '*'}, !Ref AWS::NoValue]]}}}\n";
	assert_int_equal(UNCERTAIN("RMP-SM-004", maybe), 1);
	const char *sup = "Resources:\n  P:\n    Type: AWS::SecretsManager::ResourcePolicy\n"
			  "    Metadata: {rampart: {skip: [RMP-SM-004]}}\n"
			  "    Properties: {SecretId: s, ResourcePolicy: {Statement: [{Effect: Allow, Principal: '*', Action: 'secretsmanager:*', Resource: '*'}]}}\n";
	assert_int_equal(COUNT("RMP-SM-004", sup), 0);
}

/* ---- RMP-IAM-007 ---- */

static void test_iam007(void **state)
{
	(void)state;
	const char *fail = ROLE("[{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'},"
				" {Effect: Allow, Action: [ssm:GetParameter, ssm:GetParametersByPath], Resource: ['*']},"
				" {Effect: Allow, Action: 'ssm:Get*', NotResource: arn:aws:ssm:eu-west-2:1:parameter/x},"
				" {Effect: Allow, Action: S3:GETOBJECT, Resource: '*'}]")
		"  Pol: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: {Effect: Allow, Action: 'secretsmanager:Get*', Resource: '*'}}}}\n";
	assert_int_equal(COUNT("RMP-IAM-007", fail), 5);
	assert_int_equal(UNCERTAIN("RMP-IAM-007", fail), 0);
	/* one finding per statement, listing the actions in a fixed order, wildcards named */
	struct harness h;
	harness_run(&h, "RMP-IAM-007", fail);
	assert_int_equal(h.findings.n, 5);
	size_t both = 0, via = 0, all_three = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		const char *m = h.findings.v[i].message;
		both += strstr(m, "allows ssm:GetParameter, ssm:GetParametersByPath on every resource") != NULL;
		via += strstr(m, "secretsmanager:GetSecretValue (through secretsmanager:Get*)") != NULL;
		all_three += strstr(m, "ssm:GetParameter (through ssm:Get*), ssm:GetParameters (through ssm:Get*), "
				       "ssm:GetParametersByPath (through ssm:Get*)") != NULL;
	}
	assert_int_equal(both, 1);
	assert_int_equal(via, 1);
	assert_int_equal(all_three, 1);
	harness_free(&h);
	/* named resources, a condition, Deny, other actions, bare "*" (RMP-IAM-001's) */
	const char *pass = ROLE("[{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: !Ref Secret},"
				" {Effect: Allow, Action: ssm:GetParameter, Resource: !Sub 'arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/*'},"
				" {Effect: Allow, Action: s3:GetObject, Resource: '*', Condition: {StringEquals: {aws:ResourceTag/app: orders}}},"
				" {Effect: Deny, Action: secretsmanager:GetSecretValue, Resource: '*'},"
				" {Effect: Allow, Action: [secretsmanager:ListSecrets, ssm:DescribeParameters, s3:PutObject], Resource: '*'},"
				" {Effect: Allow, Action: '*', Resource: '*'},"
				" {Effect: Allow, NotAction: ['s3:*', 'ssm:*', 'secretsmanager:*'], Resource: '*'}]")
		"  Secret: {Type: AWS::SecretsManager::Secret, Properties: {GenerateSecretString: {}}}\n";
	assert_int_equal(COUNT("RMP-IAM-007", pass), 0);
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
		ROLE("[!If [Dev, {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'}, !Ref AWS::NoValue]]");
	assert_int_equal(COUNT("RMP-IAM-007", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-IAM-007", maybe), 1);
	/* SAM policy statements on a function's generated role */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/,"
			  " Policies: [{Statement: [{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'}]}]}}\n";
	assert_int_equal(COUNT("RMP-IAM-007", sam), 1);
	const char *sup = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n"
			  "    Metadata: {rampart: {skip: [RMP-IAM-007]}}\n"
			  "    Properties:\n      AssumeRolePolicyDocument: " TRUST "\n"
			  "      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}}]\n";
	assert_int_equal(COUNT("RMP-IAM-007", sup), 0);
}

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_iam, checks_iam_count, LAYER_IAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iam001), cmocka_unit_test(test_iam002), cmocka_unit_test(test_iam003),
		cmocka_unit_test(test_iam004), cmocka_unit_test(test_iam005), cmocka_unit_test(test_iam006),
		cmocka_unit_test(test_iam007),
		cmocka_unit_test(test_lmb008), cmocka_unit_test(test_lmb009), cmocka_unit_test(test_ddb011),
		cmocka_unit_test(test_sm004),  cmocka_unit_test(test_table_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
