/*
 * test_monitoring.c - the monitoring layer's checks (src/checks/monitoring.c)
 * on small templates, through the real loader, model and SAM expansion:
 * trails, data events, CIS 4.x metric filters and alarms, log groups and
 * RDS log exports; failing, passing, undecided and suppressed cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "checks/check.h"

#include <stdio.h>
#include <string.h>

#define COUNT(id, text) harness_count(id, text)
#define UNCERTAIN(id, text) harness_count_uncertain(id, text)

#define UNDECIDED                                  \
	"Parameters:\n"                            \
	"  Env:\n"                                 \
	"    Type: String\n"                       \
	"Conditions:\n"                            \
	"  IsProd: !Equals [!Ref Env, prod]\n"

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_monitoring, checks_monitoring_count, LAYER_MONITORING);
	assert_true(check_matches(catalogue_find("RMP-CT-001"), "CloudTrail.1"));
	assert_true(check_matches(catalogue_find("RMP-LOG-001"), "CKV_AWS_66"));
}

/* ---- trails ---- */

static const char trail_bare[] =
	"Resources:\n"
	"  Bucket:\n"
	"    Type: AWS::S3::Bucket\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: false\n"
	"      S3BucketName: !Ref Bucket\n";

static const char trail_good[] =
	"Resources:\n"
	"  Bucket:\n"
	"    Type: AWS::S3::Bucket\n"
	"  Key:\n"
	"    Type: AWS::KMS::Key\n"
	"  Logs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties: {RetentionInDays: 365, KmsKeyId: !GetAtt Key.Arn}\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      IsMultiRegionTrail: true\n"
	"      EnableLogFileValidation: true\n"
	"      KMSKeyId: !Ref Key\n"
	"      S3BucketName: !Ref Bucket\n"
	"      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n"
	"      CloudWatchLogsRoleArn: arn:aws:iam::111122223333:role/trail\n"
	"      EventSelectors:\n"
	"        - DataResources:\n"
	"            - {Type: AWS::S3::Object, Values: ['arn:aws:s3']}\n";

static const char trail_maybe[] = UNDECIDED
	"Resources:\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      S3BucketName: b\n"
	"      IsLogging: !If [IsProd, true, false]\n"
	"      IsMultiRegionTrail: !If [IsProd, true, false]\n"
	"      EnableLogFileValidation: !If [IsProd, true, false]\n"
	"      KMSKeyId: !If [IsProd, alias/trail, !Ref AWS::NoValue]\n"
	"      CloudWatchLogsLogGroupArn: !If [IsProd, 'arn:aws:logs:eu-west-2:1:log-group:t:*', !Ref AWS::NoValue]\n";

static const char trail_skipped[] =
	"Resources:\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Metadata:\n"
	"      rampart:\n"
	"        skip:\n"
	"          - id: RMP-CT-001\n"
	"            reason: single-region account by policy\n"
	"      checkov:\n"
	"        skip:\n"
	"          - id: CKV_AWS_36\n"
	"            comment: validated by the organisation trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      S3BucketName: b\n";

static void test_trail_settings(void **state)
{
	(void)state;
	const char *ids[] = {"RMP-CT-001", "RMP-CT-002", "RMP-CT-003", "RMP-CT-004", "RMP-CT-005"};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(COUNT(ids[i], trail_bare), 1);
		assert_int_equal(UNCERTAIN(ids[i], trail_bare), 0);
		assert_int_equal(COUNT(ids[i], trail_good), 0);
		/* Each of these is reported when undecided, as uncertain. */
		assert_int_equal(COUNT(ids[i], trail_maybe), 1);
		assert_int_equal(UNCERTAIN(ids[i], trail_maybe), 1);
	}
	assert_int_equal(COUNT("RMP-CT-001", trail_skipped), 0);
	assert_int_equal(COUNT("RMP-CT-002", trail_skipped), 0);
	assert_int_equal(COUNT("RMP-CT-003", trail_skipped), 1);
}

/* ---- RMP-CT-007 ---- */

static void test_ct007(void **state)
{
	(void)state;
	const char *off = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n"
			  "    Properties: {IsLogging: true, S3BucketName: b, IncludeGlobalServiceEvents: false}\n";
	assert_int_equal(COUNT("RMP-CT-007", off), 1);
	assert_int_equal(UNCERTAIN("RMP-CT-007", off), 0);
	struct harness h;
	harness_run(&h, "RMP-CT-007", off);
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "IncludeGlobalServiceEvents is false"));
	harness_free(&h);
	const char *off_str = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n"
			      "    Properties: {IsLogging: true, S3BucketName: b, IncludeGlobalServiceEvents: 'false'}\n";
	assert_int_equal(COUNT("RMP-CT-007", off_str), 1);
	/* true, and not set (CloudTrail's default is true) */
	assert_int_equal(COUNT("RMP-CT-007", trail_good), 0);
	assert_int_equal(COUNT("RMP-CT-007", trail_bare), 0);
	const char *on = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n"
			 "    Properties: {IsLogging: true, S3BucketName: b, IncludeGlobalServiceEvents: true}\n";
	assert_int_equal(COUNT("RMP-CT-007", on), 0);
	const char *maybe = UNDECIDED "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n"
				      "    Properties: {IsLogging: true, S3BucketName: b,"
				      " IncludeGlobalServiceEvents: !If [IsProd, true, false]}\n";
	assert_int_equal(COUNT("RMP-CT-007", maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-CT-007", maybe), 1);
	const char *skipped = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n"
			      "    Metadata: {rampart: {skip: [{id: RMP-CT-007, reason: organisation trail records them}]}}\n"
			      "    Properties: {IsLogging: true, S3BucketName: b, IncludeGlobalServiceEvents: false}\n";
	assert_int_equal(COUNT("RMP-CT-007", skipped), 0);
}

/* ---- RMP-CT-006 ---- */

static const char data_stack[] =
	"Resources:\n"
	"  Orders:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	"  Uploads:\n"
	"    Type: AWS::S3::Bucket\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      S3BucketName: b\n"
	"      EventSelectors:\n"
	"        - DataResources:\n"
	"            - {Type: AWS::S3::Object, Values: ['arn:aws:s3']}\n";

static const char data_stack_advanced[] =
	"Resources:\n"
	"  Orders:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      S3BucketName: b\n"
	"      AdvancedEventSelectors:\n"
	"        - FieldSelectors:\n"
	"            - {Field: eventCategory, Equals: [Data]}\n"
	"            - {Field: resources.type, Equals: [AWS::DynamoDB::Table]}\n";

static const char data_no_trail[] =
	"Resources:\n"
	"  Orders:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n";

static void test_ct006(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-CT-006", data_stack), 1);
	struct harness h;
	harness_run(&h, "RMP-CT-006", data_stack);
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "Orders"));
	assert_null(strstr(h.findings.v[0].message, "Uploads"));
	harness_free(&h);
	assert_int_equal(COUNT("RMP-CT-006", data_stack_advanced), 0);
	assert_int_equal(COUNT("RMP-CT-006", data_no_trail), 0);
	/* trail_bare: its only bucket is the trail's own, which holds logs, not personal data */
	assert_int_equal(COUNT("RMP-CT-006", trail_bare), 0);
}

/* ---- RMP-CW-001 ---- */

/* A trail to CloudWatch Logs with filters and alarms for 4.3 (quoted form) and 4.5 (v4 bare form). */
static const char cis_two[] =
	"Resources:\n"
	"  Logs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties: {RetentionInDays: 365}\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      S3BucketName: b\n"
	"      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n"
	"  RootFilter:\n"
	"    Type: AWS::Logs::MetricFilter\n"
	"    Properties:\n"
	"      LogGroupName: !Ref Logs\n"
	"      FilterPattern: '{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && "
	"$.eventType != \"AwsServiceEvent\" }'\n"
	"      MetricTransformations:\n"
	"        - {MetricName: RootUsage, MetricNamespace: CIS, MetricValue: '1'}\n"
	"  RootAlarm:\n"
	"    Type: AWS::CloudWatch::Alarm\n"
	"    Properties:\n"
	"      MetricName: RootUsage\n"
	"      Namespace: CIS\n"
	"      Statistic: Sum\n"
	"      Period: 300\n"
	"      EvaluationPeriods: 1\n"
	"      Threshold: 1\n"
	"      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
	"  TrailFilter:\n"
	"    Type: AWS::Logs::MetricFilter\n"
	"    Properties:\n"
	"      LogGroupName: !Ref Logs\n"
	"      FilterPattern: '{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||"
	"($.eventName=StartLogging)||($.eventName=StopLogging)}'\n"
	"      MetricTransformations:\n"
	"        - {MetricName: TrailChanges, MetricNamespace: CIS, MetricValue: '1'}\n"
	"  TrailAlarm:\n"
	"    Type: AWS::CloudWatch::Alarm\n"
	"    Properties:\n"
	"      Namespace: CIS\n"
	"      MetricName: TrailChanges\n"
	"      Statistic: Sum\n"
	"      Period: 300\n"
	"      EvaluationPeriods: 1\n"
	"      Threshold: 1\n"
	"      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
	/* A filter with no alarm does not count: 4.6 stays missing. */
	"  FailFilter:\n"
	"    Type: AWS::Logs::MetricFilter\n"
	"    Properties:\n"
	"      LogGroupName: !Ref Logs\n"
	"      FilterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }'\n"
	"      MetricTransformations:\n"
	"        - {MetricName: ConsoleFailures, MetricNamespace: CIS, MetricValue: '1'}\n"
	/* A filter on another log group does not count: 4.10 stays missing. */
	"  Other:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties: {RetentionInDays: 30}\n"
	"  SgFilter:\n"
	"    Type: AWS::Logs::MetricFilter\n"
	"    Properties:\n"
	"      LogGroupName: !Ref Other\n"
	"      FilterPattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
	"AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = "
	"RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }'\n"
	"      MetricTransformations:\n"
	"        - {MetricName: SgChanges, MetricNamespace: CIS, MetricValue: '1'}\n"
	"  SgAlarm:\n"
	"    Type: AWS::CloudWatch::Alarm\n"
	"    Properties:\n"
	"      MetricName: SgChanges\n"
	"      Namespace: CIS\n"
	"      Statistic: Sum\n"
	"      Period: 300\n"
	"      EvaluationPeriods: 1\n"
	"      Threshold: 1\n"
	"      ComparisonOperator: GreaterThanOrEqualToThreshold\n";

static void test_cw001(void **state)
{
	(void)state;
	/* 15 CIS controls (4.1-4.15), 2 configured: one finding naming the 13 missing, in numeric order. */
	assert_int_equal(COUNT("RMP-CW-001", cis_two), 1);
	struct harness h;
	harness_run(&h, "RMP-CW-001", cis_two);
	assert_int_equal(h.findings.n, 1);
	const char *m = h.findings.v[0].message;
	assert_non_null(strstr(m, "for 13 of the 15 CIS 4.x controls: 4.1 unauthorized API calls (CloudWatch.2); "
				  "4.2 console sign-in without MFA (CloudWatch.3); 4.4 IAM policy changes"));
	assert_null(strstr(m, "4.3 "));  /* root usage: configured */
	assert_null(strstr(m, "4.5 "));  /* trail changes: configured */
	const char *c6 = strstr(m, "; 4.6 console authentication failures"); /* filter without alarm */
	const char *c9 = strstr(m, "; 4.9 ");
	const char *c10 = strstr(m, "; 4.10 security group changes");     /* filter on another group */
	const char *c15 = strstr(m, "; 4.15 AWS Organizations changes");
	assert_non_null(c6);
	assert_non_null(c9);
	assert_non_null(c10);
	assert_non_null(c15);
	assert_true(c6 < c9 && c9 < c10 && c10 < c15);
	assert_int_equal(c15[strlen("; 4.15 AWS Organizations changes")], '\0');
	harness_free(&h);
	/* A trail without CloudWatch Logs: RMP-CT-004's business, not this check's. */
	assert_int_equal(COUNT("RMP-CW-001", trail_bare), 0);
}

/* The CIS v3.0 patterns verbatim (shared/reference/cloudtrail.md); 4.1 is given separately. */
static const char *const cis_patterns[] = {
	"{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
	"{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
	"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||"
	"($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||"
	"($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||"
	"($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
	"($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||"
	"($.eventName=DetachGroupPolicy)}",
	"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
	"($.eventName = StartLogging) || ($.eventName = StopLogging) }",
	"{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
	"{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
	"{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
	"($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || "
	"($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) "
	"|| ($.eventName = DeleteBucketReplication)) }",
	"{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||"
	"($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
	"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
	"($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
	"($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
	"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) "
	"|| ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || "
	"($.eventName = ReplaceNetworkAclAssociation) }",
	"{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || "
	"($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || "
	"($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
	"{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || "
	"($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) "
	"|| ($.eventName = DisassociateRouteTable) }",
	"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
	"($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || "
	"($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
	"($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || "
	"($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
	"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || "
	"($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || "
	"($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || "
	"($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || "
	"($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || "
	"($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || "
	"($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || "
	"($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || "
	"($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || "
	"($.eventName = \"UpdateOrganizationalUnit\")) }",
};

/* A stack with a filter and an alarm (odd ones through Metrics, metric math) for each CIS control. */
static char *cis_stack(const char *pattern41)
{
	size_t cap = 64 * 1024, len = 0;
	char *t = test_malloc(cap);
	len += (size_t)snprintf(t + len, cap - len,
				"Resources:\n"
				"  Logs:\n"
				"    Type: AWS::Logs::LogGroup\n"
				"    Properties: {LogGroupName: trail-logs, RetentionInDays: 365}\n"
				"  Trail:\n"
				"    Type: AWS::CloudTrail::Trail\n"
				"    Properties:\n"
				"      IsLogging: true\n"
				"      S3BucketName: b\n"
				"      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n");
	size_t n = sizeof cis_patterns / sizeof *cis_patterns;
	for (size_t i = 0; i <= n; i++) {
		const char *pat = i == n ? pattern41 : cis_patterns[i];
		/* Half the filters name the group by its literal name, half by Ref. */
		len += (size_t)snprintf(t + len, cap - len,
					"  F%zu:\n"
					"    Type: AWS::Logs::MetricFilter\n"
					"    Properties:\n"
					"      LogGroupName: %s\n"
					"      FilterPattern: '%s'\n"
					"      MetricTransformations:\n"
					"        - {MetricName: M%zu, MetricNamespace: CIS, MetricValue: '1'}\n",
					i, i % 2 ? "!Ref Logs" : "trail-logs", pat, i);
		if (i % 2)
			len += (size_t)snprintf(t + len, cap - len,
						"  A%zu:\n"
						"    Type: AWS::CloudWatch::Alarm\n"
						"    Properties:\n"
						"      EvaluationPeriods: 1\n"
						"      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
						"      Threshold: 1\n"
						"      Metrics:\n"
						"        - Id: m\n"
						"          MetricStat:\n"
						"            Metric: {MetricName: M%zu, Namespace: CIS}\n"
						"            Period: 300\n"
						"            Stat: Sum\n",
						i, i);
		else
			len += (size_t)snprintf(t + len, cap - len,
						"  A%zu:\n"
						"    Type: AWS::CloudWatch::Alarm\n"
						"    Properties:\n"
						"      {MetricName: M%zu, Namespace: CIS, Statistic: Sum, Period: 300,"
						" EvaluationPeriods: 1, Threshold: 1,"
						" ComparisonOperator: GreaterThanOrEqualToThreshold}\n",
						i, i);
		assert_true(len < cap);
	}
	return t;
}

static void test_cw001_all_cis_forms(void **state)
{
	(void)state;
	const char *forms41[] = {
		/* v1.4-v3.0 text */
		"{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") || "
		"($.sourceIPAddress!=\"delivery.logs.amazonaws.com\") || ($.eventName!=\"HeadBucket\") }",
		/* v4.0/5.0 text, bare values */
		"{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && "
		"($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }",
		/* Security Hub CloudWatch.2 */
		"{($.errorCode=\"*UnauthorizedOperation\") || ($.errorCode=\"AccessDenied*\")}",
	};
	for (size_t i = 0; i < 3; i++) {
		char *t = cis_stack(forms41[i]);
		assert_int_equal(COUNT("RMP-CW-001", t), 0);
		test_free(t);
	}
	/* A filter that only looks like 4.1 (one error code) does not cover it. */
	char *t = cis_stack("{ $.errorCode = \"AccessDenied*\" }");
	assert_int_equal(COUNT("RMP-CW-001", t), 1);
	test_free(t);
}

/* ---- RMP-LOG-001 / RMP-LOG-002 ---- */

static const char groups[] =
	"Resources:\n"
	"  Forever:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"  Kept:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties: {RetentionInDays: 30, KmsKeyId: arn:aws:kms:eu-west-2:111122223333:key/abc}\n";

static const char groups_maybe[] = UNDECIDED
	"Resources:\n"
	"  G:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties:\n"
	"      RetentionInDays: !If [IsProd, 365, !Ref AWS::NoValue]\n";

static const char functions[] =
	"Resources:\n"
	"  Role:\n"
	"    Type: AWS::IAM::Role\n"
	"    Properties:\n"
	"      AssumeRolePolicyDocument:\n"
	"        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
	"  Lonely:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  Grouped:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  GroupedLogs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties:\n"
	"      LogGroupName: !Sub /aws/lambda/${Grouped}\n"
	"      RetentionInDays: 90\n"
	"  Named:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      FunctionName: named-fn\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  NamedLogs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties: {LogGroupName: /aws/lambda/named-fn, RetentionInDays: 90}\n"
	"  Cdk:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  CdkLogRetention:\n"
	"    Type: Custom::LogRetention\n"
	"    Properties:\n"
	"      ServiceToken: arn:aws:lambda:eu-west-2:111122223333:function:lr\n"
	"      LogGroupName: !Join ['', [/aws/lambda/, !Ref Cdk]]\n"
	"      RetentionInDays: 30\n";

static const char sam_function[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  Fn:\n"
	"    Type: AWS::Serverless::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      CodeUri: src/\n";

static void test_log001(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LOG-001", groups), 1);
	assert_int_equal(UNCERTAIN("RMP-LOG-001", groups), 0);
	assert_int_equal(UNCERTAIN("RMP-LOG-001", groups_maybe), 1);
	/* Only Lonely: Grouped, Named and Cdk (CDK's Custom::LogRetention) have groups; always uncertain. */
	assert_int_equal(COUNT("RMP-LOG-001", functions), 1);
	assert_int_equal(UNCERTAIN("RMP-LOG-001", functions), 1);
	/* The function SAM generates has no group either. */
	assert_int_equal(UNCERTAIN("RMP-LOG-001", sam_function), 1);
}

static void test_log002(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LOG-002", groups), 1);
	assert_int_equal(COUNT("RMP-LOG-002", trail_good), 0);
}

/* ---- RMP-RDS-013 ---- */

static const char databases[] =
	"Resources:\n"
	"  NoLogs:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties: {Engine: mysql, DBInstanceClass: db.t4g.micro, AllocatedStorage: '20'}\n"
	"  PgWrong:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties:\n"
	"      Engine: postgres\n"
	"      DBInstanceClass: db.t4g.micro\n"
	"      EnableCloudwatchLogsExports: [upgrade]\n"
	"  PgGood:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties:\n"
	"      Engine: postgres\n"
	"      DBInstanceClass: db.t4g.micro\n"
	"      EnableCloudwatchLogsExports: [postgresql, upgrade]\n"
	"  Aurora:\n"
	"    Type: AWS::RDS::DBCluster\n"
	"    Properties: {Engine: aurora-mysql, EnableCloudwatchLogsExports: [error, slowquery]}\n"
	"  Member:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties: {Engine: aurora-mysql, DBInstanceClass: db.r6g.large, DBClusterIdentifier: !Ref Aurora}\n"
	"  AuroraGood:\n"
	"    Type: AWS::RDS::DBCluster\n"
	"    Properties: {Engine: aurora-mysql, EnableCloudwatchLogsExports: [audit, error]}\n";

static const char database_skipped[] =
	"Resources:\n"
	"  Db:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Metadata:\n"
	"      rampart:\n"
	"        skip: [RMP-RDS-013]\n"
	"    Properties: {Engine: mysql, DBInstanceClass: db.t4g.micro, AllocatedStorage: '20'}\n";

static const char monitoring_undecided[] = UNDECIDED
	"Resources:\n"
	"  G:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"    Properties:\n"
	"      RetentionInDays: 30\n"
	"      KmsKeyId: !If [IsProd, arn:aws:kms:eu-west-2:111122223333:key/abc, !Ref AWS::NoValue]\n"
	"  Db:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties:\n"
	"      Engine: mysql\n"
	"      DBInstanceClass: db.t4g.micro\n"
	"      EnableCloudwatchLogsExports: !If [IsProd, [error, audit], !Ref AWS::NoValue]\n"
	"  Orders:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	"  Trail:\n"
	"    Type: AWS::CloudTrail::Trail\n"
	"    Properties:\n"
	"      IsLogging: true\n"
	"      S3BucketName: b\n"
	"      EventSelectors: !If [IsProd, [{DataResources: [{Type: AWS::DynamoDB::Table, Values: [x]}]}], []]\n";

static void test_monitoring_undecided(void **state)
{
	(void)state;
	assert_int_equal(UNCERTAIN("RMP-LOG-002", monitoring_undecided), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-013", monitoring_undecided), 1);
	/* Undecided selectors count as recording. */
	assert_int_equal(COUNT("RMP-CT-006", monitoring_undecided), 0);
}

static void test_rds013(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-RDS-013", databases), 3); /* NoLogs, PgWrong, Aurora */
	assert_int_equal(COUNT("RMP-RDS-013", database_skipped), 0);
}

/*
 * Regressions: lists under an Fn::If are judged branch by branch: when no
 * branch has the item, the answer is no (data events, log exports), not
 * "undecided"; a function whose log group is custom in one branch only may
 * still use the default group that never expires.
 */
static void test_choices_of_lists(void **state)
{
	(void)state;
	const char *events = UNDECIDED "Resources:\n"
				       "  Orders:\n"
				       "    Type: AWS::DynamoDB::Table\n"
				       "    Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}]}\n"
				       "  Trail:\n"
				       "    Type: AWS::CloudTrail::Trail\n"
				       "    Properties:\n"
				       "      IsLogging: true\n"
				       "      S3BucketName: b\n"
				       "      EventSelectors: !If\n"
				       "        - IsProd\n"
				       "        - [{DataResources: [{Type: AWS::S3::Object, Values: ['arn:aws:s3']}]}]\n"
				       "        - []\n";
	assert_int_equal(COUNT("RMP-CT-006", events), 1);
	const char *exports = UNDECIDED "Resources:\n"
					"  Db:\n"
					"    Type: AWS::RDS::DBInstance\n"
					"    Properties:\n"
					"      Engine: postgres\n"
					"      DBInstanceClass: db.t4g.micro\n"
					"      EnableCloudwatchLogsExports: !If [IsProd, [upgrade], [error]]\n";
	assert_int_equal(COUNT("RMP-RDS-013", exports), 1);
	const char *group = UNDECIDED "Resources:\n"
				      "  Fn:\n"
				      "    Type: AWS::Lambda::Function\n"
				      "    Properties:\n"
				      "      Runtime: python3.13\n"
				      "      Handler: a.b\n"
				      "      Role: arn:aws:iam::111122223333:role/r\n"
				      "      Code: {ZipFile: x}\n"
				      "      LoggingConfig: {LogGroup: !If [IsProd, custom-group, !Ref AWS::NoValue]}\n";
	assert_int_equal(UNCERTAIN("RMP-LOG-001", group), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
	    cmocka_unit_test(test_choices_of_lists),
		cmocka_unit_test(test_trail_settings),
		cmocka_unit_test(test_ct006),
		cmocka_unit_test(test_ct007),
		cmocka_unit_test(test_cw001),
		cmocka_unit_test(test_cw001_all_cis_forms),
		cmocka_unit_test(test_log001),
		cmocka_unit_test(test_log002),
		cmocka_unit_test(test_rds013),
		cmocka_unit_test(test_monitoring_undecided),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
