/*
 * test_resilience.c - the resilience layer's checks (src/checks/resilience.c)
 * on small templates, through the real loader, model and SAM expansion: for
 * each check a failing and a passing template, undecided (MAYBE) values,
 * a suppression, and per-finding severities where a check has several.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "checks/check.h"

#include <string.h>

#define COUNT(id, text) harness_count(id, text)
#define UNCERTAIN(id, text) harness_count_uncertain(id, text)

#define UNDECIDED                                  \
	"Parameters:\n"                            \
	"  Env:\n"                                 \
	"    Type: String\n"                       \
	"Conditions:\n"                            \
	"  IsProd: !Equals [!Ref Env, prod]\n"

#define SKIP(id) "    Metadata:\n      rampart:\n        skip:\n          - id: " id "\n            reason: accepted\n"

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_resilience, checks_resilience_count, LAYER_RESILIENCE);
	for (size_t i = 0; i < checks_resilience_count; i++)
		assert_true(strlen(checks_resilience[i].coverage) > 0);
}

/* ---- DynamoDB ---- */

static void test_ddb001(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Properties:\n"
			  "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: false}\n"
			  "  U:\n"
			  "    Type: AWS::DynamoDB::Table\n";
	assert_int_equal(COUNT("RMP-DDB-001", bad), 2);
	const char *good = "Resources:\n"
			   "  T:\n"
			   "    Type: AWS::DynamoDB::Table\n"
			   "    Properties:\n"
			   "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n";
	assert_int_equal(COUNT("RMP-DDB-001", good), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  T:\n"
				      "    Type: AWS::DynamoDB::Table\n"
				      "    Properties:\n"
				      "      PointInTimeRecoverySpecification:\n"
				      "        PointInTimeRecoveryEnabled: !If [IsProd, true, false]\n";
	assert_int_equal(COUNT("RMP-DDB-001", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-001", maybe), 1);
	/* SAM SimpleTable: no PITR; suppressible on the SAM resource by alias. */
	const char *simple = "Transform: AWS::Serverless-2016-10-31\n"
			     "Resources:\n"
			     "  Bookings:\n"
			     "    Type: AWS::Serverless::SimpleTable\n";
	assert_int_equal(COUNT("RMP-DDB-001", simple), 1);
	const char *skipped = "Resources:\n"
			      "  T:\n"
			      "    Type: AWS::DynamoDB::Table\n" SKIP("CKV_AWS_28") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-DDB-001", skipped), 0);
}

static void test_ddb010(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n";
	assert_int_equal(COUNT("RMP-DDB-010", bad), 1);
	const char *good = "Resources:\n"
			   "  T:\n"
			   "    Type: AWS::DynamoDB::Table\n"
			   "    Properties: {DeletionProtectionEnabled: true}\n";
	assert_int_equal(COUNT("RMP-DDB-010", good), 0);
	const char *maybe = "Parameters:\n"
			    "  Protect: {Type: String}\n"
			    "Resources:\n"
			    "  T:\n"
			    "    Type: AWS::DynamoDB::Table\n"
			    "    Properties: {DeletionProtectionEnabled: !Ref Protect}\n";
	assert_int_equal(UNCERTAIN("RMP-DDB-010", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  T:\n"
			      "    Type: AWS::DynamoDB::Table\n" SKIP("RMP-DDB-010") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-DDB-010", skipped), 0);
}

/* ---- RDS ---- */

static void test_rds009(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  C:\n"
			  "    Type: AWS::RDS::DBCluster\n"
			  "    Properties: {Engine: aurora-postgresql}\n"
			  "  Member:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref C}\n"
			  "  I:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: postgres, DeletionProtection: false}\n";
	assert_int_equal(COUNT("RMP-RDS-009", bad), 2);
	const char *good = "Resources:\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties: {Engine: aurora-postgresql, DeletionProtection: true}\n"
			   "  I:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties: {Engine: postgres, DeletionProtection: 'true'}\n";
	assert_int_equal(COUNT("RMP-RDS-009", good), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  C:\n"
				      "    Type: AWS::RDS::DBCluster\n"
				      "    Properties:\n"
				      "      Engine: aurora-postgresql\n"
				      "      DeletionProtection: !If [IsProd, true, false]\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-009", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n" SKIP("F80") "    Properties: {Engine: aurora-mysql}\n";
	assert_int_equal(COUNT("RMP-RDS-009", skipped), 0);
}

static int severity_of_only(const char *id, const char *text)
{
	struct harness h;
	harness_run(&h, id, text);
	assert_int_equal(h.findings.n, 1);
	int sev = h.findings.v[0].severity;
	harness_free(&h);
	return sev;
}

static void test_rds010(void **state)
{
	(void)state;
	const char *off = "Resources:\n"
			  "  I:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: postgres, BackupRetentionPeriod: 0}\n";
	assert_int_equal(COUNT("RMP-RDS-010", off), 1);
	assert_int_equal(severity_of_only("RMP-RDS-010", off), SEV_HIGH);
	const char *shortr = "Resources:\n"
			     "  C:\n"
			     "    Type: AWS::RDS::DBCluster\n"
			     "    Properties: {Engine: aurora-postgresql, BackupRetentionPeriod: '3'}\n";
	assert_int_equal(severity_of_only("RMP-RDS-010", shortr), SEV_LOW);
	const char *unset = "Resources:\n"
			    "  C:\n"
			    "    Type: AWS::RDS::DBCluster\n"
			    "    Properties: {Engine: aurora-postgresql}\n"
			    "  Member:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref C}\n";
	assert_int_equal(COUNT("RMP-RDS-010", unset), 1);
	assert_int_equal(severity_of_only("RMP-RDS-010", unset), SEV_LOW);
	const char *good = "Resources:\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties: {Engine: aurora-postgresql, BackupRetentionPeriod: 14}\n"
			   "  I:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties: {Engine: postgres, BackupRetentionPeriod: 7}\n"
			   "  Replica:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties: {SourceDBInstanceIdentifier: !Ref I}\n";
	assert_int_equal(COUNT("RMP-RDS-010", good), 0);
	/* Off on one branch: reported at the worst branch's severity, uncertain. */
	const char *maybe = UNDECIDED "Resources:\n"
				      "  I:\n"
				      "    Type: AWS::RDS::DBInstance\n"
				      "    Properties:\n"
				      "      Engine: mysql\n"
				      "      BackupRetentionPeriod: !If [IsProd, 14, 0]\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-010", maybe), 1);
	assert_int_equal(severity_of_only("RMP-RDS-010", maybe), SEV_HIGH);
	/* Unknown until deploy: not raised. */
	const char *unknown = "Parameters:\n"
			      "  Days: {Type: Number}\n"
			      "Resources:\n"
			      "  I:\n"
			      "    Type: AWS::RDS::DBInstance\n"
			      "    Properties: {Engine: mysql, BackupRetentionPeriod: !Ref Days}\n";
	assert_int_equal(COUNT("RMP-RDS-010", unknown), 0);
	const char *skipped = "Resources:\n"
			      "  I:\n"
			      "    Type: AWS::RDS::DBInstance\n" SKIP("W75") "    Properties: {Engine: mysql, BackupRetentionPeriod: 0}\n";
	assert_int_equal(COUNT("RMP-RDS-010", skipped), 0);
}

/* ---- Lambda ---- */

#define FN(name, extra)                                     \
	"  " name ":\n"                                     \
	"    Type: AWS::Lambda::Function\n"                 \
	"    Properties:\n"                                 \
	"      Handler: app.handler\n"                      \
	"      Role: arn:aws:iam::111122223333:role/r\n"    \
	"      Code: {ZipFile: 'pass'}\n" extra

static void test_lmb002(void **state)
{
	(void)state;
	const char *bad = "Resources:\n" FN("Fn", "      Runtime: python3.12\n");
	assert_int_equal(COUNT("RMP-LMB-002", bad), 1);
	const char *good = "Resources:\n" FN("Fn", "      Runtime: python3.12\n      ReservedConcurrentExecutions: 10\n");
	assert_int_equal(COUNT("RMP-LMB-002", good), 0);
	const char *maybe = UNDECIDED "Resources:\n" FN("Fn", "      ReservedConcurrentExecutions: !If [IsProd, 50, !Ref AWS::NoValue]\n");
	assert_int_equal(UNCERTAIN("RMP-LMB-002", maybe), 1);
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Globals:\n"
			  "  Function:\n"
			  "    ReservedConcurrentExecutions: 5\n"
			  "Resources:\n"
			  "  A:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties: {Runtime: nodejs22.x, Handler: index.handler, CodeUri: src/}\n";
	assert_int_equal(COUNT("RMP-LMB-002", sam), 0);
	const char *skipped = "Resources:\n"
			      "  Fn:\n"
			      "    Type: AWS::Lambda::Function\n" SKIP("W92") "    Properties: {Runtime: python3.12}\n";
	assert_int_equal(COUNT("RMP-LMB-002", skipped), 0);
}

static void test_lmb006(void **state)
{
	(void)state;
	const char *bad = "Resources:\n" FN("A", "      Runtime: nodejs18.x\n") FN("B", "      Runtime: python3.9\n")
	    FN("C", "      Runtime: go1.x\n") FN("D", "      Runtime: dotnetcore3.1\n") FN("E", "      Runtime: java8\n")
		FN("F", "      Runtime: provided\n") FN("G", "      Runtime: ruby3.2\n");
	assert_int_equal(COUNT("RMP-LMB-006", bad), 7);
	assert_int_equal(UNCERTAIN("RMP-LMB-006", bad), 0);
	const char *good = "Resources:\n" FN("A", "      Runtime: nodejs22.x\n") FN("B", "      Runtime: python3.13\n")
	    FN("C", "      Runtime: java8.al2\n") FN("D", "      Runtime: provided.al2023\n") FN("E", "      Runtime: dotnet8\n")
		"  F:\n"
		"    Type: AWS::Lambda::Function\n"
		"    Properties:\n"
		"      PackageType: Image\n"
		"      Role: arn:aws:iam::111122223333:role/r\n"
		"      Code: {ImageUri: 111122223333.dkr.ecr.eu-west-2.amazonaws.com/app:1}\n";
	assert_int_equal(COUNT("RMP-LMB-006", good), 0);
	struct harness h;
	harness_run(&h, "RMP-LMB-006", "Resources:\n" FN("A", "      Runtime: python3.8\n"));
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "2024-10-14"));
	harness_free(&h);
	/* One deprecated alternative: uncertain.  A parameter without Default: not raised. */
	const char *maybe = UNDECIDED "Resources:\n" FN("A", "      Runtime: !If [IsProd, python3.13, python3.7]\n");
	assert_int_equal(UNCERTAIN("RMP-LMB-006", maybe), 1);
	const char *unknown = "Parameters:\n  Rt: {Type: String}\nResources:\n" FN("A", "      Runtime: !Ref Rt\n");
	assert_int_equal(COUNT("RMP-LMB-006", unknown), 0);
	/* SAM Globals runtime lands on each function. */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Globals:\n"
			  "  Function:\n"
			  "    Runtime: nodejs16.x\n"
			  "Resources:\n"
			  "  A:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties: {Handler: index.handler, CodeUri: src/}\n"
			  "  B:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties: {Handler: index.handler, CodeUri: src/, Runtime: nodejs22.x}\n";
	assert_int_equal(COUNT("RMP-LMB-006", sam), 1);
	const char *skipped = "Resources:\n"
			      "  A:\n"
			      "    Type: AWS::Lambda::Function\n" SKIP("AwsSolutions-L1") "    Properties: {Runtime: python2.7}\n";
	assert_int_equal(COUNT("RMP-LMB-006", skipped), 0);
}

static void test_lmb010(void **state)
{
	(void)state;
	const char *invalid = "Resources:\n" FN("A", "      Runtime: python3.12\n      Timeout: 1200\n");
	assert_int_equal(COUNT("RMP-LMB-010", invalid), 1);
	/* Long timeout behind API Gateway (permission, REST method, HTTP API integration). */
	const char *api = "Resources:\n" FN("A", "      Runtime: python3.12\n      Timeout: 60\n")
	    FN("B", "      Runtime: python3.12\n      Timeout: 120\n") FN("C", "      Runtime: python3.12\n      Timeout: 300\n")
			  "  Perm:\n"
			  "    Type: AWS::Lambda::Permission\n"
			  "    Properties:\n"
			  "      FunctionName: !GetAtt A.Arn\n"
			  "      Action: lambda:InvokeFunction\n"
			  "      Principal: apigateway.amazonaws.com\n"
			  "  Rest: {Type: AWS::ApiGateway::RestApi}\n"
			  "  M:\n"
			  "    Type: AWS::ApiGateway::Method\n"
			  "    Properties:\n"
			  "      RestApiId: !Ref Rest\n"
			  "      ResourceId: !GetAtt Rest.RootResourceId\n"
			  "      HttpMethod: GET\n"
			  "      Integration:\n"
			  "        Type: AWS_PROXY\n"
			  "        IntegrationHttpMethod: POST\n"
			  "        Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${B.Arn}/invocations'\n"
			  "  Http: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP, Name: h}}\n"
			  "  I:\n"
			  "    Type: AWS::ApiGatewayV2::Integration\n"
			  "    Properties:\n"
			  "      ApiId: !Ref Http\n"
			  "      IntegrationType: AWS_PROXY\n"
			  "      IntegrationUri: !GetAtt C.Arn\n";
	assert_int_equal(COUNT("RMP-LMB-010", api), 3);
	/* Not behind an API, or within bounds, or unset. */
	const char *fine = "Resources:\n" FN("A", "      Runtime: python3.12\n      Timeout: 600\n")
	    FN("B", "      Runtime: python3.12\n      Timeout: 20\n") FN("C", "      Runtime: python3.12\n")
			   "  Perm:\n"
			   "    Type: AWS::Lambda::Permission\n"
			   "    Properties:\n"
			   "      FunctionName: !Ref B\n"
			   "      Action: lambda:InvokeFunction\n"
			   "      Principal: apigateway.amazonaws.com\n"
			   "  Perm2:\n"
			   "    Type: AWS::Lambda::Permission\n"
			   "    Properties:\n"
			   "      FunctionName: !Ref A\n"
			   "      Action: lambda:InvokeFunction\n"
			   "      Principal: events.amazonaws.com\n";
	assert_int_equal(COUNT("RMP-LMB-010", fine), 0);
	/* SAM Api event: the generated permission ties the function to API Gateway. */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Resources:\n"
			  "  Slow:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties:\n"
			  "      Runtime: python3.12\n"
			  "      Handler: app.handler\n"
			  "      CodeUri: src/\n"
			  "      Timeout: 90\n"
			  "      Events:\n"
			  "        Get:\n"
			  "          Type: Api\n"
			  "          Properties: {Path: /bookings, Method: get}\n";
	assert_int_equal(COUNT("RMP-LMB-010", sam), 1);
	/* The integration's own timeout is the bound; streaming integrations have none; HTTP APIs wait 30 s. */
	const char *bounds = "Resources:\n" FN("A", "      Runtime: python3.12\n      Timeout: 20\n")
	    FN("S", "      Runtime: python3.12\n      Timeout: 300\n") FN("H", "      Runtime: python3.12\n      Timeout: 30\n")
			     "  Rest:\n"
			     "    Type: AWS::ApiGateway::RestApi\n"
			     "    Properties:\n"
			     "      Body:\n"
			     "        paths:\n"
			     "          /story:\n"
			     "            post:\n"
			     "              x-amazon-apigateway-integration:\n"
			     "                type: aws_proxy\n"
			     "                responseTransferMode: STREAM\n"
			     "                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${S.Arn}/response-streaming-invocations'\n"
			     "  SPerm:\n"
			     "    Type: AWS::Lambda::Permission\n"
			     "    Properties: {FunctionName: !Ref S, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com}\n"
			     "  M:\n"
			     "    Type: AWS::ApiGateway::Method\n"
			     "    Properties:\n"
			     "      RestApiId: !Ref Rest\n"
			     "      ResourceId: !GetAtt Rest.RootResourceId\n"
			     "      HttpMethod: GET\n"
			     "      Integration:\n"
			     "        Type: AWS_PROXY\n"
			     "        TimeoutInMillis: 10000\n"
			     "        Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${A.Arn}/invocations'\n"
			     "  Http: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP, Name: h}}\n"
			     "  I:\n"
			     "    Type: AWS::ApiGatewayV2::Integration\n"
			     "    Properties: {ApiId: !Ref Http, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt H.Arn}\n";
	assert_int_equal(COUNT("RMP-LMB-010", bounds), 1);
	struct harness h;
	harness_run(&h, "RMP-LMB-010", bounds);
	assert_int_equal(h.findings.n, 1);
	assert_string_equal(h.findings.v[0].resource, "A");
	assert_non_null(strstr(h.findings.v[0].message, "after 10 s"));
	harness_free(&h);
	/* Unknown timeout: not raised. */
	const char *unknown = "Parameters:\n  T: {Type: Number}\nResources:\n" FN("A", "      Timeout: !Ref T\n");
	assert_int_equal(COUNT("RMP-LMB-010", unknown), 0);
	const char *skipped = "Resources:\n"
			      "  A:\n"
			      "    Type: AWS::Lambda::Function\n" SKIP("RMP-LMB-010") "    Properties: {Timeout: 1200}\n";
	assert_int_equal(COUNT("RMP-LMB-010", skipped), 0);
}

/* Regression: PITR settings chosen by an Fn::If around the whole specification are undecided, not absent. */
static void test_ddb001_specification_choice(void **state)
{
	(void)state;
	const char *t = UNDECIDED "Resources:\n"
				  "  T:\n"
				  "    Type: AWS::DynamoDB::Table\n"
				  "    Properties:\n"
				  "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
				  "      PointInTimeRecoverySpecification: !If\n"
				  "        - IsProd\n"
				  "        - {PointInTimeRecoveryEnabled: true}\n"
				  "        - !Ref AWS::NoValue\n";
	assert_int_equal(COUNT("RMP-DDB-001", t), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-001", t), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_complete), cmocka_unit_test(test_ddb001), cmocka_unit_test(test_ddb010),
	    cmocka_unit_test(test_ddb001_specification_choice),
	    cmocka_unit_test(test_rds009),         cmocka_unit_test(test_rds010), cmocka_unit_test(test_lmb002),
	    cmocka_unit_test(test_lmb006),         cmocka_unit_test(test_lmb010),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
