/*
 * test_secrets.c - the secrets layer's checks (src/checks/secrets.c) on
 * small templates, through the real loader, model and SAM expansion: for
 * each check a failing and a passing template, undecided values, a
 * suppression; and for every finding about a secret, that the secret's
 * text appears nowhere in what the finding keeps.
 *
 * Token-shaped strings are split across C literals so that scanners of
 * this repository do not take them for real credentials.
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

#define AKIA_KEY "AKIA" "Z7QW3RT5YU8IOP2K"
#define PASSWORD "Tr0ub4dor&3horse"

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/* Run check id; expect n findings, none of which holds `secret` in any string it keeps. */
static void expect_redacted(const char *id, const char *text, size_t n, const char *secret)
{
	struct harness h;
	harness_run(&h, id, text);
	size_t live = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		const struct finding *f = &h.findings.v[i];
		live += !f->suppressed;
		assert_false(contains(f->message, secret));
		assert_false(contains(f->resource, secret));
		assert_false(contains(f->source_resource, secret));
		assert_false(contains(f->suppress_reason, secret));
		/* Never more than the first 4 characters of the secret. */
		char head[5] = {0};
		strncpy(head, secret, 4);
		const char *at = strstr(f->message, head);
		if (at)
			assert_false(!strncmp(at, secret, 5));
	}
	assert_int_equal(live, n);
	harness_free(&h);
}

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_secrets, checks_secrets_count, LAYER_SECRETS);
}

/* ---- RMP-SEC-001 ---- */

static void test_sec001(void **state)
{
	(void)state;
	const char *named = "Parameters:\n"
			    "  DbPassword:\n"
			    "    Type: String\n"
			    "    Default: " PASSWORD "\n"
			    "Resources:\n"
			    "  Db:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: postgres\n"
			    "      MasterUserPassword: !Ref DbPassword\n";
	expect_redacted("RMP-SEC-001", named, 1, PASSWORD);
	struct harness h;
	harness_run(&h, "RMP-SEC-001", named);
	assert_int_equal(h.findings.n, 1);
	assert_string_equal(h.findings.v[0].resource, "Db"); /* reported where it is used */
	assert_int_equal(h.findings.v[0].line, 4);          /* at the Default */
	assert_true(contains(h.findings.v[0].message, "DbPassword"));
	harness_free(&h);
	/* Placeholders still count in a password parameter; NoEcho declares a secret. */
	const char *placeholder = "Parameters:\n"
				  "  AdminPassword: {Type: String, Default: changeme}\n"
				  "  Thing: {Type: String, NoEcho: true, Default: hunter2hunter2}\n"
				  "Resources:\n"
				  "  Q: {Type: AWS::SQS::Queue}\n";
	assert_int_equal(COUNT("RMP-SEC-001", placeholder), 2);
	/* A key format in any parameter. */
	const char *key = "Parameters:\n"
			  "  Upstream: {Type: String, Default: " AKIA_KEY "}\n"
			  "Resources:\n"
			  "  Q: {Type: AWS::SQS::Queue}\n";
	expect_redacted("RMP-SEC-001", key, 1, AKIA_KEY);
	const char *fine = "Parameters:\n"
			   "  DbPassword: {Type: String, NoEcho: true}\n"
			   "  SecretArn: {Type: String, Default: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:db'}\n"
			   "  PasswordLength: {Type: Number, Default: 32}\n"
			   "  TokenTtl: {Type: Number, Default: 3600}\n"
			   "  Stage: {Type: String, Default: prod}\n"
			   "  DbSecret: {Type: String, Default: '{{resolve:secretsmanager:Db:SecretString:password}}'}\n"
			   "Resources:\n"
			   "  Q: {Type: AWS::SQS::Queue}\n";
	assert_int_equal(COUNT("RMP-SEC-001", fine), 0);
	const char *skipped = "Parameters:\n"
			      "  DbPassword: {Type: String, Default: " PASSWORD "}\n"
			      "Resources:\n"
			      "  Db:\n"
			      "    Type: AWS::RDS::DBInstance\n" SKIP("RMP-SEC-001") "    Properties:\n"
			      "      MasterUserPassword: !Ref DbPassword\n";
	assert_int_equal(COUNT("RMP-SEC-001", skipped), 0);
}

/* ---- RMP-SEC-002 ---- */

#define FN_HEAD                                   \
	"  Fn:\n"                                 \
	"    Type: AWS::Lambda::Function\n"       \
	"    Properties:\n"                       \
	"      Runtime: python3.12\n"             \
	"      Handler: app.handler\n"            \
	"      Role: arn:aws:iam::111122223333:role/r\n" \
	"      Code: {ZipFile: 'pass'}\n"

static void test_sec002(void **state)
{
	(void)state;
	const char *bad = "Resources:\n" FN_HEAD "      Environment:\n"
			  "        Variables:\n"
			  "          DB_PASSWORD: " PASSWORD "\n"
			  "          UPSTREAM_KEY_ID: " AKIA_KEY "\n"
			  "          DATABASE_URL: postgres://clinic:" PASSWORD "@db.internal:5432/clinic\n"
			  "          TABLE_NAME: bookings\n";
	expect_redacted("RMP-SEC-002", bad, 3, PASSWORD);
	expect_redacted("RMP-SEC-002", bad, 3, AKIA_KEY);
	const char *fine = "Resources:\n" FN_HEAD "      Environment:\n"
			   "        Variables:\n"
			   "          DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-2:111122223333:secret:db\n"
			   "          SECRET_NAME: clinic/db\n"
			   "          TOKEN_TTL: 3600\n"
			   "          DB_PASSWORD: '{{resolve:secretsmanager:Db:SecretString:password}}'\n"
			   "          API_URL: https://api.example.com/v1\n"
			   "          TABLE: !Ref T\n"
			   "  T: {Type: AWS::DynamoDB::Table}\n";
	assert_int_equal(COUNT("RMP-SEC-002", fine), 0);
	/* SAM Globals: the generated function gets the variable; the finding names the SAM function. */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Globals:\n"
			  "  Function:\n"
			  "    Environment:\n"
			  "      Variables:\n"
			  "        JWT_SECRET: " PASSWORD "\n"
			  "Resources:\n"
			  "  Bookings:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties:\n"
			  "      Runtime: nodejs22.x\n"
			  "      Handler: index.handler\n"
			  "      CodeUri: src/\n";
	expect_redacted("RMP-SEC-002", sam, 1, PASSWORD);
	/* A literal on one Fn::If branch is still written in the template: certain. */
	const char *branch = UNDECIDED "Resources:\n" FN_HEAD "      Environment:\n"
				       "        Variables:\n"
				       "          API_TOKEN: !If [IsProd, '{{resolve:secretsmanager:Tok}}', " PASSWORD "]\n";
	assert_int_equal(COUNT("RMP-SEC-002", branch), 1);
	assert_int_equal(UNCERTAIN("RMP-SEC-002", branch), 0);
	/* A parameter without Default: not known, not raised. */
	const char *unknown = "Parameters:\n"
			      "  Tok: {Type: String, NoEcho: true}\n"
			      "Resources:\n" FN_HEAD "      Environment:\n"
			      "        Variables:\n"
			      "          API_TOKEN: !Ref Tok\n";
	assert_int_equal(COUNT("RMP-SEC-002", unknown), 0);
	const char *skipped = "Resources:\n"
			      "  Fn:\n"
			      "    Type: AWS::Lambda::Function\n" SKIP("CKV_AWS_45") "    Properties:\n"
			      "      Environment:\n"
			      "        Variables:\n"
			      "          DB_PASSWORD: " PASSWORD "\n";
	assert_int_equal(COUNT("RMP-SEC-002", skipped), 0);
}

/* ---- RMP-SEC-003 ---- */

static void test_sec003(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  Cache:\n"
			  "    Type: AWS::ElastiCache::ReplicationGroup\n"
			  "    Properties:\n"
			  "      ReplicationGroupDescription: sessions\n"
			  "      AuthToken: " PASSWORD "\n"
			  "  Conn:\n"
			  "    Type: AWS::Events::Connection\n"
			  "    Properties:\n"
			  "      AuthorizationType: API_KEY\n"
			  "      AuthParameters:\n"
			  "        ApiKeyAuthParameters:\n"
			  "          ApiKeyName: x-api-key\n"
			  "          ApiKeyValue: sk_" "live_51Hc8QpLk2XyZ7wVbN4mTr9q\n"
			  "  Task:\n"
			  "    Type: AWS::ECS::TaskDefinition\n"
			  "    Properties:\n"
			  "      ContainerDefinitions:\n"
			  "        - Name: app\n"
			  "          Environment:\n"
			  "            - {Name: DB_PASSWORD, Value: " PASSWORD "}\n"
			  "            - {Name: STAGE, Value: prod}\n"
			  "  Param:\n"
			  "    Type: AWS::SSM::Parameter\n"
			  "    Properties:\n"
			  "      Type: String\n"
			  "      Name: /clinic/db/password\n"
			  "      Value: " PASSWORD "\n"
			  "  Key:\n"
			  "    Type: AWS::ApiGateway::ApiKey\n"
			  "    Properties: {Enabled: true, Value: " PASSWORD "}\n";
	expect_redacted("RMP-SEC-003", bad, 5, PASSWORD);
	struct harness h;
	harness_run(&h, "RMP-SEC-003", bad);
	bool path_seen = false;
	for (size_t i = 0; i < h.findings.n; i++)
		path_seen |= contains(h.findings.v[i].message, "AuthParameters.ApiKeyAuthParameters.ApiKeyValue");
	assert_true(path_seen);
	harness_free(&h);
	/* A literal password inside a Fn::Sub around an attribute. */
	const char *sub = "Resources:\n"
			  "  Db: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql}}\n"
			  "  Job:\n"
			  "    Type: AWS::Glue::Connection\n"
			  "    Properties:\n"
			  "      CatalogId: '111122223333'\n"
			  "      ConnectionInput:\n"
			  "        ConnectionType: JDBC\n"
			  "        ConnectionProperties:\n"
			  "          URL: !Sub 'postgres://clinic:" PASSWORD "@${Db.Endpoint.Address}:5432/clinic'\n";
	expect_redacted("RMP-SEC-003", sub, 1, PASSWORD);
	/* What other checks own is left to them; references, ARNs and hashes are not secrets. */
	const char *fine = "Resources:\n"
			   "  Db:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      MasterUserPassword: " PASSWORD "\n"
			   "  S:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      SecretString: " PASSWORD "\n"
			   "      Description: database credentials\n"
			   "  Fn:\n"
			   "    Type: AWS::Lambda::Function\n"
			   "    Properties:\n"
			   "      Code:\n"
			   "        S3Bucket: cdk-hnb659fds-assets-111122223333-eu-west-2\n"
			   "        S3Key: 4f2a9c1be7d3058a6e1f0b9d2c7a5e3f8b6d4c2a0e9f7b5d3c1a8e6f4b2d0c9a.zip\n"
			   "      Environment:\n"
			   "        Variables: {DB_PASSWORD: " PASSWORD "}\n"
			   "  Proxy:\n"
			   "    Type: AWS::RDS::DBProxy\n"
			   "    Properties:\n"
			   "      Auth:\n"
			   "        - {AuthScheme: SECRETS, SecretArn: !Ref S, IAMAuth: REQUIRED,\n"
			   "           ClientPasswordAuthType: POSTGRES_SCRAM_SHA_256}\n"
			   "  Cache:\n"
			   "    Type: AWS::ElastiCache::ReplicationGroup\n"
			   "    Properties:\n"
			   "      AuthToken: '{{resolve:secretsmanager:CacheAuth:SecretString:token}}'\n"
			   "  Client:\n"
			   "    Type: AWS::Cognito::UserPoolClient\n"
			   "    Properties:\n"
			   "      UserPoolId: pool\n"
			   "      AccessTokenValidity: 1\n"
			   "      TokenValidityUnits: {AccessToken: hours, IdToken: hours, RefreshToken: days}\n"
			   "  Gen:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      GenerateSecretString: {SecretStringTemplate: '{\"Password\": \"REPLACED\"}', GenerateStringKey: Password}\n"
			   "  M:\n"
			   "    Type: AWS::ApiGateway::Method\n"
			   "    Properties:\n"
			   "      HttpMethod: POST\n"
			   "      Integration:\n"
			   "        RequestTemplates:\n"
			   "          application/json: '{\"token\": \"$input.params(''token'')\"}'\n"
			   "  Build:\n"
			   "    Type: AWS::CodeBuild::Project\n"
			   "    Properties:\n"
			   "      Environment:\n"
			   "        EnvironmentVariables:\n"
			   "          - {Name: DB_PASSWORD, Type: SECRETS_MANAGER, Value: 'clinic/db:password'}\n"
			   "          - {Name: TOKEN_ISSUER, Value: 'https://cognito-idp.eu-west-2.amazonaws.com/pool'}\n"
			   "  Pol:\n"
			   "    Type: AWS::IAM::Policy\n"
			   "    Properties:\n"
			   "      PolicyName: EmailProcessingLambdaFunctionRolePolicy0\n"
			   "      PolicyDocument: {}\n";
	assert_int_equal(COUNT("RMP-SEC-003", fine), 0);
	const char *skipped = "Resources:\n"
			      "  Cache:\n"
			      "    Type: AWS::ElastiCache::ReplicationGroup\n" SKIP("RMP-SEC-003") "    Properties:\n"
			      "      AuthToken: " PASSWORD "\n";
	assert_int_equal(COUNT("RMP-SEC-003", skipped), 0);
}

/* ---- RMP-RDS-011 ---- */

static void test_rds011(void **state)
{
	(void)state;
	const char *plain = "Resources:\n"
			    "  Db:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: postgres\n"
			    "      MasterUsername: clinic\n"
			    "      MasterUserPassword: " PASSWORD "\n";
	expect_redacted("RMP-RDS-011", plain, 1, PASSWORD);
	const char *with_default = "Parameters:\n"
				   "  Pw: {Type: String, NoEcho: true, Default: " PASSWORD "}\n"
				   "Resources:\n"
				   "  C:\n"
				   "    Type: AWS::RDS::DBCluster\n"
				   "    Properties:\n"
				   "      Engine: aurora-postgresql\n"
				   "      MasterUserPassword: !Ref Pw\n";
	expect_redacted("RMP-RDS-011", with_default, 1, PASSWORD);
	/* A parameter without NoEcho is shown by DescribeStacks. */
	const char *echo = "Parameters:\n"
			   "  Pw: {Type: String}\n"
			   "Resources:\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties:\n"
			   "      Engine: aurora-postgresql\n"
			   "      MasterUserPassword: !Ref Pw\n";
	assert_int_equal(COUNT("RMP-RDS-011", echo), 1);
	const char *plain_ssm = "Resources:\n"
				"  C:\n"
				"    Type: AWS::RDS::DBCluster\n"
				"    Properties:\n"
				"      Engine: aurora-postgresql\n"
				"      MasterUserPassword: '{{resolve:ssm:/clinic/db/password}}'\n";
	assert_int_equal(COUNT("RMP-RDS-011", plain_ssm), 1);
	const char *fine = "Parameters:\n"
			   "  Pw: {Type: String, NoEcho: true}\n"
			   "Resources:\n"
			   "  A:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties:\n"
			   "      Engine: aurora-postgresql\n"
			   "      MasterUserPassword: '{{resolve:secretsmanager:Db:SecretString:password}}'\n"
			   "  B:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties:\n"
			   "      Engine: aurora-postgresql\n"
			   "      ManageMasterUserPassword: true\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      Engine: postgres\n"
			   "      MasterUserPassword: !Ref Pw\n"
			   "  S: {Type: AWS::SecretsManager::Secret}\n"
			   "  D:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      Engine: postgres\n"
			   "      MasterUserPassword: !Sub '{{resolve:secretsmanager:${S}:SecretString:password}}'\n";
	assert_int_equal(COUNT("RMP-RDS-011", fine), 0);
	/* Each Fn::If branch on its own: the literal one is reported, and certainly written. */
	const char *branch = UNDECIDED "Resources:\n"
				       "  C:\n"
				       "    Type: AWS::RDS::DBCluster\n"
				       "    Properties:\n"
				       "      Engine: aurora-postgresql\n"
				       "      MasterUserPassword: !If [IsProd, '{{resolve:secretsmanager:Db}}', " PASSWORD "]\n";
	expect_redacted("RMP-RDS-011", branch, 1, PASSWORD);
	assert_int_equal(UNCERTAIN("RMP-RDS-011", branch), 0);
	const char *skipped = "Resources:\n"
			      "  Db:\n"
			      "    Type: AWS::RDS::DBInstance\n" SKIP("F23") "    Properties:\n"
			      "      MasterUserPassword: " PASSWORD "\n";
	assert_int_equal(COUNT("RMP-RDS-011", skipped), 0);
}

/* ---- RMP-SM-002 ---- */

static void test_sm002(void **state)
{
	(void)state;
	const char *none = "Resources:\n"
			   "  S: {Type: AWS::SecretsManager::Secret}\n"
			   "  Other: {Type: AWS::SecretsManager::Secret}\n"
			   "  R:\n"
			   "    Type: AWS::SecretsManager::RotationSchedule\n"
			   "    Properties:\n"
			   "      SecretId: !Ref Other\n"
			   "      RotationRules: {ScheduleExpression: rate(30 days)}\n";
	assert_int_equal(COUNT("RMP-SM-002", none), 1);
	assert_int_equal(UNCERTAIN("RMP-SM-002", none), 0);
	const char *rotated = "Resources:\n"
			      "  S: {Type: AWS::SecretsManager::Secret}\n"
			      "  R:\n"
			      "    Type: AWS::SecretsManager::RotationSchedule\n"
			      "    Properties:\n"
			      "      SecretId: !Ref S\n"
			      "      HostedRotationLambda: {RotationType: PostgreSQLSingleUser}\n";
	assert_int_equal(COUNT("RMP-SM-002", rotated), 0);
	/* The schedule exists only under an undecided condition: uncertain. */
	const char *maybe = UNDECIDED "Resources:\n"
				      "  S: {Type: AWS::SecretsManager::Secret}\n"
				      "  R:\n"
				      "    Type: AWS::SecretsManager::RotationSchedule\n"
				      "    Condition: IsProd\n"
				      "    Properties:\n"
				      "      SecretId: !Ref S\n";
	assert_int_equal(COUNT("RMP-SM-002", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-SM-002", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  S:\n"
			      "    Type: AWS::SecretsManager::Secret\n" SKIP("AwsSolutions-SMG4") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-SM-002", skipped), 0);
}

/* ---- RMP-SM-003 ---- */

static void test_sm003(void **state)
{
	(void)state;
	const char *json = "Resources:\n"
			   "  S:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      SecretString: '{\"username\": \"clinic\", \"password\": \"" PASSWORD "\"}'\n";
	expect_redacted("RMP-SM-003", json, 1, PASSWORD);
	const char *sub = "Resources:\n"
			  "  Db: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql}}\n"
			  "  S:\n"
			  "    Type: AWS::SecretsManager::Secret\n"
			  "    Properties:\n"
			  "      SecretString: !Sub '{\"host\": \"${Db.Endpoint.Address}\", \"password\": \"" PASSWORD "\"}'\n";
	expect_redacted("RMP-SM-003", sub, 1, PASSWORD);
	const char *fine = "Parameters:\n"
			   "  Pw: {Type: String, NoEcho: true}\n"
			   "Resources:\n"
			   "  A:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      GenerateSecretString: {SecretStringTemplate: '{\"username\": \"clinic\"}', GenerateStringKey: password}\n"
			   "  B:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      SecretString: !Ref Pw\n"
			   "  C:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      SecretString: !Sub '{\"username\": \"clinic\", \"password\": \"${Pw}\"}'\n";
	assert_int_equal(COUNT("RMP-SM-003", fine), 0);
	const char *skipped = "Resources:\n"
			      "  S:\n"
			      "    Type: AWS::SecretsManager::Secret\n" SKIP("RMP-SM-003") "    Properties:\n"
			      "      SecretString: " PASSWORD "\n";
	assert_int_equal(COUNT("RMP-SM-003", skipped), 0);
}

/* ---- IAM database authentication ---- */

static void test_rds005_006(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  I:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: mysql}\n"
			  "  C:\n"
			  "    Type: AWS::RDS::DBCluster\n"
			  "    Properties: {Engine: aurora-postgresql}\n"
			  "  Member:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref C}\n"
			  "  Oracle:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties: {Engine: oracle-ee}\n";
	assert_int_equal(COUNT("RMP-RDS-005", bad), 1);
	assert_int_equal(COUNT("RMP-RDS-006", bad), 1);
	const char *good = "Resources:\n"
			   "  I:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties: {Engine: mysql, EnableIAMDatabaseAuthentication: true}\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties: {Engine: aurora-postgresql, EnableIAMDatabaseAuthentication: true}\n"
			   "  V1:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties: {Engine: aurora-mysql, EngineMode: serverless}\n";
	assert_int_equal(COUNT("RMP-RDS-005", good), 0);
	assert_int_equal(COUNT("RMP-RDS-006", good), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  I:\n"
				      "    Type: AWS::RDS::DBInstance\n"
				      "    Properties:\n"
				      "      Engine: postgres\n"
				      "      EnableIAMDatabaseAuthentication: !If [IsProd, true, false]\n"
				      "  C:\n"
				      "    Type: AWS::RDS::DBCluster\n"
				      "    Properties:\n"
				      "      Engine: aurora-mysql\n"
				      "      EnableIAMDatabaseAuthentication: !If [IsProd, true, false]\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-005", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-006", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  I:\n"
			      "    Type: AWS::RDS::DBInstance\n" SKIP("RMP-RDS-005") "    Properties: {Engine: mysql}\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n" SKIP("AwsSolutions-RDS6") "    Properties: {Engine: aurora-mysql}\n";
	assert_int_equal(COUNT("RMP-RDS-005", skipped), 0);
	assert_int_equal(COUNT("RMP-RDS-006", skipped), 0);
}

/* ---- RMP-PRX-002 ---- */

static void test_prx002(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  S: {Type: AWS::SecretsManager::Secret}\n"
			  "  Px:\n"
			  "    Type: AWS::RDS::DBProxy\n"
			  "    Properties:\n"
			  "      EngineFamily: POSTGRESQL\n"
			  "      Auth:\n"
			  "        - {AuthScheme: SECRETS, SecretArn: !Ref S, IAMAuth: DISABLED}\n"
			  "        - {AuthScheme: SECRETS, IAMAuth: REQUIRED}\n"
			  "        - {AuthScheme: SECRETS, SecretArn: !Ref S}\n";
	assert_int_equal(COUNT("RMP-PRX-002", bad), 3);
	const char *noauth = "Resources:\n"
			     "  Px:\n"
			     "    Type: AWS::RDS::DBProxy\n"
			     "    Properties: {EngineFamily: MYSQL}\n";
	assert_int_equal(COUNT("RMP-PRX-002", noauth), 1);
	const char *good = "Resources:\n"
			   "  S: {Type: AWS::SecretsManager::Secret}\n"
			   "  Px:\n"
			   "    Type: AWS::RDS::DBProxy\n"
			   "    Properties:\n"
			   "      EngineFamily: POSTGRESQL\n"
			   "      Auth:\n"
			   "        - {AuthScheme: SECRETS, SecretArn: !Ref S, IAMAuth: REQUIRED}\n"
			   "  Iam:\n"
			   "    Type: AWS::RDS::DBProxy\n"
			   "    Properties:\n"
			   "      EngineFamily: POSTGRESQL\n"
			   "      DefaultAuthScheme: IAM_AUTH\n";
	assert_int_equal(COUNT("RMP-PRX-002", good), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  S: {Type: AWS::SecretsManager::Secret}\n"
				      "  Px:\n"
				      "    Type: AWS::RDS::DBProxy\n"
				      "    Properties:\n"
				      "      Auth:\n"
				      "        - AuthScheme: SECRETS\n"
				      "          SecretArn: !Ref S\n"
				      "          IAMAuth: !If [IsProd, REQUIRED, DISABLED]\n";
	assert_int_equal(COUNT("RMP-PRX-002", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-PRX-002", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  Px:\n"
			      "    Type: AWS::RDS::DBProxy\n" SKIP("RMP-PRX-002") "    Properties: {EngineFamily: MYSQL}\n";
	assert_int_equal(COUNT("RMP-PRX-002", skipped), 0);
}

/*
 * Regressions: a secret with more rotation schedules than SM-002 used to
 * look at (16) counts the later ones too; a secret in one branch of an
 * Fn::If around a function's whole Environment is found.
 */
static void test_sm002_many_schedules(void **state)
{
	(void)state;
	char t[8192];
	size_t off = (size_t)snprintf(t, sizeof t, "%s", UNDECIDED "Resources:\n  S: {Type: AWS::SecretsManager::Secret}\n");
	for (int i = 0; i < 16; i++)
		off += (size_t)snprintf(t + off, sizeof t - off,
					"  Maybe%d: {Type: AWS::SecretsManager::RotationSchedule, Condition: IsProd, "
					"Properties: {SecretId: !Ref S}}\n",
					i);
	snprintf(t + off, sizeof t - off, "  Always: {Type: AWS::SecretsManager::RotationSchedule, Properties: {SecretId: !Ref S}}\n");
	assert_int_equal(COUNT("RMP-SM-002", t), 0);
}

static void test_sec002_environment_choice(void **state)
{
	(void)state;
	const char *t = UNDECIDED "Resources:\n" FN_HEAD
			"      Environment: !If\n"
			"        - IsProd\n"
			"        - Variables: {TABLE: bookings}\n"
			"        - Variables: {DB_PASSWORD: " PASSWORD "}\n";
	assert_int_equal(COUNT("RMP-SEC-002", t), 1);
	/* A literal in the template is a fact whatever the branch: certain. */
	assert_int_equal(UNCERTAIN("RMP-SEC-002", t), 0);
	/* And SEC-003 leaves it to SEC-002. */
	assert_int_equal(COUNT("RMP-SEC-003", t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_complete), cmocka_unit_test(test_sec001), cmocka_unit_test(test_sec002),
	    cmocka_unit_test(test_sec003),         cmocka_unit_test(test_rds011), cmocka_unit_test(test_sm002),
	    cmocka_unit_test(test_sm003),          cmocka_unit_test(test_rds005_006), cmocka_unit_test(test_prx002),
	    cmocka_unit_test(test_sm002_many_schedules), cmocka_unit_test(test_sec002_environment_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
