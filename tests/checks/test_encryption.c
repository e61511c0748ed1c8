/*
 * test_encryption.c - the encryption layer's checks (src/checks/encryption.c)
 * on small templates, through the real loader, model and SAM expansion: for
 * each check a failing and a passing template, undecided (MAYBE) values and
 * a suppression.
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

/* A parameter without a default and a condition on it: Fn::If on IsProd stays undecided. */
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
	harness_assert_table(checks_encryption, checks_encryption_count, LAYER_ENCRYPTION);
	for (size_t i = 0; i < checks_encryption_count; i++)
		assert_true(strlen(checks_encryption[i].coverage) > 0);
	/* Aliases resolve to the check. */
	assert_true(check_matches(catalogue_find("RMP-KMS-001"), "CKV_AWS_7"));
	assert_true(check_matches(catalogue_find("RMP-RDS-001"), "F27"));
}

/* ---- DynamoDB ---- */

static void test_ddb002(void **state)
{
	(void)state;
	const char *owned = "Resources:\n"
			    "  T:\n"
			    "    Type: AWS::DynamoDB::Table\n"
			    "    Properties:\n"
			    "      BillingMode: PAY_PER_REQUEST\n";
	assert_int_equal(COUNT("RMP-DDB-002", owned), 1);
	const char *managed = "Resources:\n"
			      "  T:\n"
			      "    Type: AWS::DynamoDB::Table\n"
			      "    Properties:\n"
			      "      SSESpecification: {SSEEnabled: true, SSEType: KMS}\n";
	assert_int_equal(COUNT("RMP-DDB-002", managed), 1);
	const char *alias = "Resources:\n"
			    "  T:\n"
			    "    Type: AWS::DynamoDB::Table\n"
			    "    Properties:\n"
			    "      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}\n";
	assert_int_equal(COUNT("RMP-DDB-002", alias), 1);
	const char *cmk = "Resources:\n"
			  "  K:\n"
			  "    Type: AWS::KMS::Key\n"
			  "    Properties: {EnableKeyRotation: true}\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Properties:\n"
			  "      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref K}\n";
	assert_int_equal(COUNT("RMP-DDB-002", cmk), 0);
	/* SSE switched by an undecided condition: uncertain. */
	const char *maybe = UNDECIDED "Resources:\n"
				      "  T:\n"
				      "    Type: AWS::DynamoDB::Table\n"
				      "    Properties:\n"
				      "      SSESpecification:\n"
				      "        SSEEnabled: !If [IsProd, true, false]\n"
				      "        KMSMasterKeyId: arn:aws:kms:eu-west-2:111122223333:key/abcd\n";
	assert_int_equal(COUNT("RMP-DDB-002", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-002", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  T:\n"
			      "    Type: AWS::DynamoDB::Table\n" SKIP("RMP-DDB-002") "    Properties:\n"
			      "      BillingMode: PAY_PER_REQUEST\n";
	assert_int_equal(COUNT("RMP-DDB-002", skipped), 0);
	/* The alias W74 (cfn_nag) suppresses it too. */
	const char *nag = "Resources:\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Metadata:\n"
			  "      cfn_nag:\n"
			  "        rules_to_suppress:\n"
			  "          - id: W74\n"
			  "            reason: AWS owned key accepted\n"
			  "    Properties:\n"
			  "      BillingMode: PAY_PER_REQUEST\n";
	assert_int_equal(COUNT("RMP-DDB-002", nag), 0);
}

static void test_ddb003(void **state)
{
	(void)state;
	const char *off = "Resources:\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Properties:\n"
			  "      SSESpecification: {SSEEnabled: false}\n";
	assert_int_equal(COUNT("RMP-DDB-003", off), 1);
	const char *on = "Resources:\n"
			 "  T:\n"
			 "    Type: AWS::DynamoDB::Table\n"
			 "    Properties:\n"
			 "      SSESpecification: {SSEEnabled: 'true'}\n";
	assert_int_equal(COUNT("RMP-DDB-003", on), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  T:\n"
				      "    Type: AWS::DynamoDB::Table\n"
				      "    Properties:\n"
				      "      SSESpecification:\n"
				      "        SSEEnabled: !If [IsProd, true, !Ref AWS::NoValue]\n";
	assert_int_equal(UNCERTAIN("RMP-DDB-003", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  T:\n"
			      "    Type: AWS::DynamoDB::Table\n" SKIP("RMP-DDB-003") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-DDB-003", skipped), 0);
	/* SAM SimpleTable: expanded to a table; SSE off unless its SSESpecification says so. */
	const char *simple = "Transform: AWS::Serverless-2016-10-31\n"
			     "Resources:\n"
			     "  Bookings:\n"
			     "    Type: AWS::Serverless::SimpleTable\n";
	assert_int_equal(COUNT("RMP-DDB-003", simple), 1);
	const char *simple_ok = "Transform: AWS::Serverless-2016-10-31\n"
				"Resources:\n"
				"  Bookings:\n"
				"    Type: AWS::Serverless::SimpleTable\n"
				"    Properties:\n"
				"      SSESpecification: {SSEEnabled: true}\n";
	assert_int_equal(COUNT("RMP-DDB-003", simple_ok), 0);
	struct harness h;
	harness_run(&h, "RMP-DDB-003", simple);
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "SimpleTable"));
	assert_string_equal(h.findings.v[0].source_resource, "Bookings");
	harness_free(&h);
}

/* ---- RDS storage ---- */

static void test_rds001(void **state)
{
	(void)state;
	const char *plain = "Resources:\n"
			    "  Db:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: postgres\n"
			    "      DBInstanceClass: db.t4g.micro\n";
	assert_int_equal(COUNT("RMP-RDS-001", plain), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-001", plain), 0);
	const char *enc = "Resources:\n"
			  "  Db:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties:\n"
			  "      Engine: postgres\n"
			  "      StorageEncrypted: true\n";
	assert_int_equal(COUNT("RMP-RDS-001", enc), 0);
	/* Aurora members inherit the cluster's encryption. */
	const char *aurora = "Resources:\n"
			     "  Db:\n"
			     "    Type: AWS::RDS::DBInstance\n"
			     "    Properties:\n"
			     "      Engine: aurora-postgresql\n"
			     "      DBClusterIdentifier: clinic\n";
	assert_int_equal(COUNT("RMP-RDS-001", aurora), 0);
	/* Engine from a parameter with allowed values mixing Aurora and not: uncertain. */
	const char *maybe = "Parameters:\n"
			    "  Engine:\n"
			    "    Type: String\n"
			    "    AllowedValues: [postgres, aurora-postgresql]\n"
			    "Resources:\n"
			    "  Db:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: !Ref Engine\n";
	assert_int_equal(COUNT("RMP-RDS-001", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-001", maybe), 1);
	/* Restored from a snapshot: the snapshot decides. */
	const char *snap = "Resources:\n"
			   "  Db:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      Engine: mysql\n"
			   "      DBSnapshotIdentifier: clinic-final\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-001", snap), 1);
	const char *skipped = "Resources:\n"
			      "  Db:\n"
			      "    Type: AWS::RDS::DBInstance\n" SKIP("CKV_AWS_16") "    Properties:\n"
			      "      Engine: postgres\n";
	assert_int_equal(COUNT("RMP-RDS-001", skipped), 0);
}

static void test_rds002(void **state)
{
	(void)state;
	const char *plain = "Resources:\n"
			    "  C:\n"
			    "    Type: AWS::RDS::DBCluster\n"
			    "    Properties:\n"
			    "      Engine: aurora-postgresql\n"
			    "      StorageEncrypted: false\n";
	assert_int_equal(COUNT("RMP-RDS-002", plain), 1);
	const char *enc = "Resources:\n"
			  "  C:\n"
			  "    Type: AWS::RDS::DBCluster\n"
			  "    Properties:\n"
			  "      Engine: aurora-postgresql\n"
			  "      StorageEncrypted: true\n";
	assert_int_equal(COUNT("RMP-RDS-002", enc), 0);
	const char *v1 = "Resources:\n"
			 "  C:\n"
			 "    Type: AWS::RDS::DBCluster\n"
			 "    Properties:\n"
			 "      Engine: aurora-mysql\n"
			 "      EngineMode: serverless\n";
	assert_int_equal(COUNT("RMP-RDS-002", v1), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  C:\n"
				      "    Type: AWS::RDS::DBCluster\n"
				      "    Properties:\n"
				      "      Engine: aurora-mysql\n"
				      "      StorageEncrypted: !If [IsProd, true, false]\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-002", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n" SKIP("RMP-RDS-002") "    Properties:\n"
			      "      Engine: aurora-mysql\n";
	assert_int_equal(COUNT("RMP-RDS-002", skipped), 0);
}

static void test_rds003(void **state)
{
	(void)state;
	const char *nokey = "Resources:\n"
			    "  C:\n"
			    "    Type: AWS::RDS::DBCluster\n"
			    "    Properties:\n"
			    "      Engine: aurora-postgresql\n"
			    "      StorageEncrypted: true\n"
			    "  I:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: postgres\n"
			    "      StorageEncrypted: true\n"
			    "      KmsKeyId: alias/aws/rds\n"
			    "  Member:\n"
			    "    Type: AWS::RDS::DBInstance\n"
			    "    Properties:\n"
			    "      Engine: aurora-postgresql\n"
			    "      DBClusterIdentifier: !Ref C\n";
	assert_int_equal(COUNT("RMP-RDS-003", nokey), 2);
	const char *cmk = "Resources:\n"
			  "  K:\n"
			  "    Type: AWS::KMS::Key\n"
			  "  C:\n"
			  "    Type: AWS::RDS::DBCluster\n"
			  "    Properties:\n"
			  "      Engine: aurora-postgresql\n"
			  "      StorageEncrypted: true\n"
			  "      KmsKeyId: !GetAtt K.Arn\n";
	assert_int_equal(COUNT("RMP-RDS-003", cmk), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  K:\n"
				      "    Type: AWS::KMS::Key\n"
				      "  C:\n"
				      "    Type: AWS::RDS::DBCluster\n"
				      "    Properties:\n"
				      "      Engine: aurora-postgresql\n"
				      "      StorageEncrypted: true\n"
				      "      KmsKeyId: !If [IsProd, !Ref K, !Ref AWS::NoValue]\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-003", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n" SKIP("RMP-RDS-003") "    Properties:\n"
			      "      Engine: aurora-postgresql\n";
	assert_int_equal(COUNT("RMP-RDS-003", skipped), 0);
}

/* ---- RDS TLS ---- */

static void test_rds017(void **state)
{
	(void)state;
	/* Aurora with the default group: TLS not enforced. */
	const char *dflt = "Resources:\n"
			   "  C:\n"
			   "    Type: AWS::RDS::DBCluster\n"
			   "    Properties:\n"
			   "      Engine: aurora-postgresql\n";
	assert_int_equal(COUNT("RMP-RDS-017", dflt), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-017", dflt), 0);
	const char *forced = "Resources:\n"
			     "  P:\n"
			     "    Type: AWS::RDS::DBClusterParameterGroup\n"
			     "    Properties:\n"
			     "      Family: aurora-postgresql16\n"
			     "      Description: tls\n"
			     "      Parameters:\n"
			     "        rds.force_ssl: 1\n"
			     "  C:\n"
			     "    Type: AWS::RDS::DBCluster\n"
			     "    Properties:\n"
			     "      Engine: aurora-postgresql\n"
			     "      DBClusterParameterGroupName: !Ref P\n"
			     "  Member:\n"
			     "    Type: AWS::RDS::DBInstance\n"
			     "    Properties:\n"
			     "      Engine: aurora-postgresql\n"
			     "      DBClusterIdentifier: !Ref C\n";
	assert_int_equal(COUNT("RMP-RDS-017", forced), 0);
	const char *off = "Resources:\n"
			  "  P:\n"
			  "    Type: AWS::RDS::DBParameterGroup\n"
			  "    Properties:\n"
			  "      Family: mysql8.0\n"
			  "      Description: x\n"
			  "      Parameters:\n"
			  "        require_secure_transport: 'OFF'\n"
			  "  Db:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Properties:\n"
			  "      Engine: mysql\n"
			  "      DBParameterGroupName: !Ref P\n";
	assert_int_equal(COUNT("RMP-RDS-017", off), 1);
	const char *mysql_on = "Resources:\n"
			       "  P:\n"
			       "    Type: AWS::RDS::DBParameterGroup\n"
			       "    Properties:\n"
			       "      Family: mysql8.0\n"
			       "      Description: x\n"
			       "      Parameters:\n"
			       "        require_secure_transport: 'ON'\n"
			       "  Db:\n"
			       "    Type: AWS::RDS::DBInstance\n"
			       "    Properties:\n"
			       "      Engine: mysql\n"
			       "      DBParameterGroupName: !Ref P\n";
	assert_int_equal(COUNT("RMP-RDS-017", mysql_on), 0);
	/* RDS for PostgreSQL 15+: force_ssl is on by default; 14: off. */
	const char *pg16 = "Resources:\n"
			   "  Db:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      Engine: postgres\n"
			   "      EngineVersion: '16.4'\n";
	assert_int_equal(COUNT("RMP-RDS-017", pg16), 0);
	const char *pg14 = "Resources:\n"
			   "  Db:\n"
			   "    Type: AWS::RDS::DBInstance\n"
			   "    Properties:\n"
			   "      Engine: postgres\n"
			   "      EngineVersion: '14.12'\n"
			   "      DBParameterGroupName: default.postgres14\n";
	assert_int_equal(COUNT("RMP-RDS-017", pg14), 1);
	/* A group outside the stack: uncertain. */
	const char *outside = "Resources:\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n"
			      "    Properties:\n"
			      "      Engine: aurora-mysql\n"
			      "      DBClusterParameterGroupName: shared-tls-params\n";
	assert_int_equal(COUNT("RMP-RDS-017", outside), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-017", outside), 1);
	/* The parameter value decided at deploy: uncertain. */
	const char *maybe = UNDECIDED "Resources:\n"
				      "  P:\n"
				      "    Type: AWS::RDS::DBClusterParameterGroup\n"
				      "    Properties:\n"
				      "      Family: aurora-postgresql16\n"
				      "      Description: tls\n"
				      "      Parameters:\n"
				      "        rds.force_ssl: !If [IsProd, 1, 0]\n"
				      "  C:\n"
				      "    Type: AWS::RDS::DBCluster\n"
				      "    Properties:\n"
				      "      Engine: aurora-postgresql\n"
				      "      DBClusterParameterGroupName: !Ref P\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-017", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  C:\n"
			      "    Type: AWS::RDS::DBCluster\n" SKIP("RMP-RDS-017") "    Properties:\n"
			      "      Engine: aurora-postgresql\n";
	assert_int_equal(COUNT("RMP-RDS-017", skipped), 0);
}

static void test_prx001(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  Px:\n"
			  "    Type: AWS::RDS::DBProxy\n"
			  "    Properties:\n"
			  "      EngineFamily: POSTGRESQL\n";
	assert_int_equal(COUNT("RMP-PRX-001", bad), 1);
	const char *good = "Resources:\n"
			   "  Px:\n"
			   "    Type: AWS::RDS::DBProxy\n"
			   "    Properties:\n"
			   "      EngineFamily: POSTGRESQL\n"
			   "      RequireTLS: true\n";
	assert_int_equal(COUNT("RMP-PRX-001", good), 0);
	const char *maybe = "Parameters:\n"
			    "  Tls:\n"
			    "    Type: String\n"
			    "Resources:\n"
			    "  Px:\n"
			    "    Type: AWS::RDS::DBProxy\n"
			    "    Properties:\n"
			    "      RequireTLS: !Ref Tls\n";
	assert_int_equal(UNCERTAIN("RMP-PRX-001", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  Px:\n"
			      "    Type: AWS::RDS::DBProxy\n" SKIP("RMP-PRX-001") "    Properties:\n"
			      "      EngineFamily: MYSQL\n";
	assert_int_equal(COUNT("RMP-PRX-001", skipped), 0);
}

/* ---- KMS ---- */

static void test_kms001(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  K:\n"
			  "    Type: AWS::KMS::Key\n"
			  "    Properties: {Description: data}\n";
	assert_int_equal(COUNT("RMP-KMS-001", bad), 1);
	const char *good = "Resources:\n"
			   "  K:\n"
			   "    Type: AWS::KMS::Key\n"
			   "    Properties: {EnableKeyRotation: true}\n";
	assert_int_equal(COUNT("RMP-KMS-001", good), 0);
	/* Asymmetric keys cannot rotate. */
	const char *rsa = "Resources:\n"
			  "  K:\n"
			  "    Type: AWS::KMS::Key\n"
			  "    Properties: {KeySpec: RSA_2048, KeyUsage: SIGN_VERIFY}\n";
	assert_int_equal(COUNT("RMP-KMS-001", rsa), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  K:\n"
				      "    Type: AWS::KMS::Key\n"
				      "    Properties:\n"
				      "      EnableKeyRotation: !If [IsProd, true, false]\n";
	assert_int_equal(UNCERTAIN("RMP-KMS-001", maybe), 1);
	/* A key under an undecided condition: uncertain. */
	const char *cond = UNDECIDED "Resources:\n"
				     "  K:\n"
				     "    Type: AWS::KMS::Key\n"
				     "    Condition: IsProd\n";
	assert_int_equal(COUNT("RMP-KMS-001", cond), 1);
	assert_int_equal(UNCERTAIN("RMP-KMS-001", cond), 1);
	const char *skipped = "Resources:\n"
			      "  K:\n"
			      "    Type: AWS::KMS::Key\n" SKIP("RMP-KMS-001") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-KMS-001", skipped), 0);
}

#define KEY_HEAD                          \
	"Resources:\n"                    \
	"  K:\n"                          \
	"    Type: AWS::KMS::Key\n"       \
	"    Properties:\n"               \
	"      EnableKeyRotation: true\n" \
	"      KeyPolicy:\n"              \
	"        Version: '2012-10-17'\n" \
	"        Statement:\n"

#define ROOT_STMT                                                                   \
	"          - Sid: Root\n"                                                   \
	"            Effect: Allow\n"                                               \
	"            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}\n" \
	"            Action: 'kms:*'\n"                                             \
	"            Resource: '*'\n"

static void test_kms002(void **state)
{
	(void)state;
	const char *open = KEY_HEAD ROOT_STMT "          - Sid: Open\n"
					      "            Effect: Allow\n"
					      "            Principal: '*'\n"
					      "            Action: kms:Decrypt\n"
					      "            Resource: '*'\n"
					      "          - Sid: OpenAws\n"
					      "            Effect: Allow\n"
					      "            Principal: {AWS: ['*']}\n"
					      "            Action: kms:Encrypt\n"
					      "            Resource: '*'\n";
	assert_int_equal(COUNT("RMP-KMS-002", open), 2);
	const char *limited = KEY_HEAD ROOT_STMT "          - Sid: ViaAccount\n"
						 "            Effect: Allow\n"
						 "            Principal: {AWS: '*'}\n"
						 "            Action: kms:Decrypt\n"
						 "            Resource: '*'\n"
						 "            Condition:\n"
						 "              StringEquals:\n"
						 "                kms:CallerAccount: '111122223333'\n"
						 "          - Sid: Deny\n"
						 "            Effect: Deny\n"
						 "            Principal: '*'\n"
						 "            Action: kms:*\n"
						 "            Resource: '*'\n"
						 "            Condition: {Bool: {aws:SecureTransport: false}}\n";
	assert_int_equal(COUNT("RMP-KMS-002", limited), 0);
	/* A condition that limits nothing (TLS only) does not help. */
	const char *tls_only = KEY_HEAD "          - Effect: Allow\n"
					"            Principal: {AWS: '*'}\n"
					"            Action: kms:Decrypt\n"
					"            Resource: '*'\n"
					"            Condition: {Bool: {aws:SecureTransport: true}}\n";
	assert_int_equal(COUNT("RMP-KMS-002", tls_only), 1);
	/* An open statement only on one Fn::If branch: uncertain. */
	const char *maybe = UNDECIDED KEY_HEAD ROOT_STMT "          - !If\n"
							 "            - IsProd\n"
							 "            - Effect: Allow\n"
							 "              Principal: '*'\n"
							 "              Action: kms:Decrypt\n"
							 "              Resource: '*'\n"
							 "            - !Ref AWS::NoValue\n";
	assert_int_equal(COUNT("RMP-KMS-002", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-KMS-002", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  K:\n"
			      "    Type: AWS::KMS::Key\n" SKIP("F76") "    Properties:\n"
			      "      KeyPolicy:\n"
			      "        Statement:\n"
			      "          - Effect: Allow\n"
			      "            Principal: '*'\n"
			      "            Action: kms:Decrypt\n"
			      "            Resource: '*'\n";
	assert_int_equal(COUNT("RMP-KMS-002", skipped), 0);
}

static void test_kms003(void **state)
{
	(void)state;
	/* The standard root statement is fine; kms:* to a role is not; admin+use together is not. */
	const char *bad = KEY_HEAD ROOT_STMT "          - Sid: AppAll\n"
					     "            Effect: Allow\n"
					     "            Principal: {AWS: !GetAtt AppRole.Arn}\n"
					     "            Action: 'kms:*'\n"
					     "            Resource: '*'\n"
					     "          - Sid: Mixed\n"
					     "            Effect: Allow\n"
					     "            Principal: {AWS: 'arn:aws:iam::111122223333:role/ops'}\n"
					     "            Action: ['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Decrypt']\n"
					     "            Resource: '*'\n"
					     "  AppRole:\n"
					     "    Type: AWS::IAM::Role\n"
					     "    Properties:\n"
					     "      AssumeRolePolicyDocument: {}\n";
	assert_int_equal(COUNT("RMP-KMS-003", bad), 2);
	assert_int_equal(UNCERTAIN("RMP-KMS-003", bad), 0);
	/* A role of the stack as principal is not "*". */
	assert_int_equal(COUNT("RMP-KMS-002", bad), 0);
	const char *good = KEY_HEAD ROOT_STMT "          - Sid: Admins\n"
					      "            Effect: Allow\n"
					      "            Principal: {AWS: 'arn:aws:iam::111122223333:role/admin'}\n"
					      "            Action: ['kms:Create*', 'kms:Describe*', 'kms:Put*', 'kms:ScheduleKeyDeletion']\n"
					      "            Resource: '*'\n"
					      "          - Sid: Users\n"
					      "            Effect: Allow\n"
					      "            Principal: {AWS: 'arn:aws:iam::111122223333:role/app'}\n"
					      "            Action: ['kms:Decrypt', 'kms:GenerateDataKey*']\n"
					      "            Resource: '*'\n";
	assert_int_equal(COUNT("RMP-KMS-003", good), 0);
	/* The principal decided at deploy: uncertain. */
	const char *maybe = "Parameters:\n"
			    "  AdminArn:\n"
			    "    Type: String\n" KEY_HEAD "          - Effect: Allow\n"
			    "            Principal: {AWS: !Ref AdminArn}\n"
			    "            Action: 'kms:*'\n"
			    "            Resource: '*'\n";
	assert_int_equal(COUNT("RMP-KMS-003", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-KMS-003", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  K:\n"
			      "    Type: AWS::KMS::Key\n" SKIP("RMP-KMS-003") "    Properties:\n"
			      "      KeyPolicy:\n"
			      "        Statement:\n"
			      "          - Effect: Allow\n"
			      "            Principal: {AWS: 'arn:aws:iam::111122223333:role/app'}\n"
			      "            Action: 'kms:*'\n"
			      "            Resource: '*'\n";
	assert_int_equal(COUNT("RMP-KMS-003", skipped), 0);
}

/* ---- Secrets Manager and Lambda ---- */

static void test_sm001(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  S:\n"
			  "    Type: AWS::SecretsManager::Secret\n"
			  "    Properties:\n"
			  "      GenerateSecretString: {PasswordLength: 32}\n";
	assert_int_equal(COUNT("RMP-SM-001", bad), 1);
	const char *good = "Resources:\n"
			   "  K:\n"
			   "    Type: AWS::KMS::Key\n"
			   "  S:\n"
			   "    Type: AWS::SecretsManager::Secret\n"
			   "    Properties:\n"
			   "      KmsKeyId: !Ref K\n";
	assert_int_equal(COUNT("RMP-SM-001", good), 0);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  S:\n"
				      "    Type: AWS::SecretsManager::Secret\n"
				      "    Properties:\n"
				      "      KmsKeyId: !If [IsProd, 'arn:aws:kms:eu-west-2:111122223333:key/k', !Ref AWS::NoValue]\n";
	assert_int_equal(UNCERTAIN("RMP-SM-001", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  S:\n"
			      "    Type: AWS::SecretsManager::Secret\n" SKIP("W77") "    Properties: {}\n";
	assert_int_equal(COUNT("RMP-SM-001", skipped), 0);
}

static void test_lmb004(void **state)
{
	(void)state;
	const char *bad = "Resources:\n"
			  "  Fn:\n"
			  "    Type: AWS::Lambda::Function\n"
			  "    Properties:\n"
			  "      Runtime: python3.12\n"
			  "      Handler: app.handler\n"
			  "      Role: arn:aws:iam::111122223333:role/r\n"
			  "      Code: {ZipFile: 'def handler(e, c): pass'}\n"
			  "      Environment:\n"
			  "        Variables: {TABLE: bookings}\n";
	assert_int_equal(COUNT("RMP-LMB-004", bad), 1);
	const char *good = "Resources:\n"
			   "  K:\n"
			   "    Type: AWS::KMS::Key\n"
			   "  Fn:\n"
			   "    Type: AWS::Lambda::Function\n"
			   "    Properties:\n"
			   "      Runtime: python3.12\n"
			   "      KmsKeyArn: !GetAtt K.Arn\n"
			   "      Environment:\n"
			   "        Variables: {TABLE: bookings}\n"
			   "  NoEnv:\n"
			   "    Type: AWS::Lambda::Function\n"
			   "    Properties:\n"
			   "      Runtime: python3.12\n";
	assert_int_equal(COUNT("RMP-LMB-004", good), 0);
	/* SAM functions: Globals environment lands on the generated function. */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Globals:\n"
			  "  Function:\n"
			  "    Environment:\n"
			  "      Variables: {STAGE: prod}\n"
			  "Resources:\n"
			  "  Api:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties:\n"
			  "      Runtime: nodejs22.x\n"
			  "      Handler: index.handler\n"
			  "      CodeUri: src/\n";
	assert_int_equal(COUNT("RMP-LMB-004", sam), 1);
	const char *maybe = UNDECIDED "Resources:\n"
				      "  Fn:\n"
				      "    Type: AWS::Lambda::Function\n"
				      "    Properties:\n"
				      "      Runtime: python3.12\n"
				      "      Environment:\n"
				      "        Variables: !If [IsProd, {A: b}, !Ref AWS::NoValue]\n";
	assert_int_equal(UNCERTAIN("RMP-LMB-004", maybe), 1);
	const char *skipped = "Resources:\n"
			      "  Fn:\n"
			      "    Type: AWS::Lambda::Function\n" SKIP("CKV_AWS_173") "    Properties:\n"
			      "      Environment:\n"
			      "        Variables: {TABLE: bookings}\n";
	assert_int_equal(COUNT("RMP-LMB-004", skipped), 0);
}

/*
 * Regressions: an Fn::If around a whole property map (SSESpecification,
 * Environment, KeyPolicy) is judged branch by branch, as an Fn::If on the
 * leaf is: never as if the property were absent.
 */
static const char sse_choice[] = UNDECIDED
	"Resources:\n"
	"  T:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      SSESpecification: !If\n"
	"        - IsProd\n"
	"        - {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref Key}\n"
	"        - {SSEEnabled: false}\n"
	"  Key: {Type: AWS::KMS::Key, Properties: {EnableKeyRotation: true, KeyPolicy: {Statement: []}}}\n";

static void test_choice_around_property_maps(void **state)
{
	(void)state;
	/* Encrypted with the CMK in one branch, not at all in the other: uncertain, not a certain finding. */
	assert_int_equal(COUNT("RMP-DDB-002", sse_choice), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-002", sse_choice), 1);
	assert_int_equal(COUNT("RMP-DDB-003", sse_choice), 1);
	assert_int_equal(UNCERTAIN("RMP-DDB-003", sse_choice), 1);
	/* Variables in one branch of Environment: they may exist, unencrypted by a CMK. */
	const char *env = UNDECIDED "Resources:\n"
				    "  Fn:\n"
				    "    Type: AWS::Lambda::Function\n"
				    "    Properties:\n"
				    "      Runtime: python3.13\n"
				    "      Handler: a.b\n"
				    "      Role: arn:aws:iam::111122223333:role/r\n"
				    "      Code: {ZipFile: x}\n"
				    "      Environment: !If [IsProd, {Variables: {TABLE: t}}, !Ref AWS::NoValue]\n";
	assert_int_equal(COUNT("RMP-LMB-004", env), 1);
	assert_int_equal(UNCERTAIN("RMP-LMB-004", env), 1);
	/* A key policy chosen by Fn::If: its statements are read, and apply only maybe. */
	const char *policy = UNDECIDED "Resources:\n"
				       "  K:\n"
				       "    Type: AWS::KMS::Key\n"
				       "    Properties:\n"
				       "      EnableKeyRotation: true\n"
				       "      KeyPolicy: !If\n"
				       "        - IsProd\n"
				       "        - Statement: [{Effect: Allow, Principal: '*', Action: kms:Decrypt, Resource: '*'}]\n"
				       "        - Statement: []\n";
	assert_int_equal(COUNT("RMP-KMS-002", policy), 1);
	assert_int_equal(UNCERTAIN("RMP-KMS-002", policy), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_complete), cmocka_unit_test(test_ddb002), cmocka_unit_test(test_ddb003),
	    cmocka_unit_test(test_rds001),         cmocka_unit_test(test_rds002), cmocka_unit_test(test_rds003),
	    cmocka_unit_test(test_rds017),         cmocka_unit_test(test_prx001), cmocka_unit_test(test_kms001),
	    cmocka_unit_test(test_kms002),         cmocka_unit_test(test_kms003), cmocka_unit_test(test_sm001),
	    cmocka_unit_test(test_lmb004),
	    cmocka_unit_test(test_choice_around_property_maps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
