/*
 * test_api.c - the api layer's checks (src/checks/api.c) on small
 * templates, through the real loader, model and SAM expansion: for each
 * check a failing and a passing template, undecided (MAYBE) values,
 * suppressions, and the APIs SAM generates.
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

/* ---- the table itself ---- */

static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_api, checks_api_count, LAYER_API);
	/* Aliases reach the check. */
	assert_true(check_matches(catalogue_find("RMP-APIGW-007"), "CKV_AWS_59"));
	assert_true(check_matches(catalogue_find("RMP-APIGW-007"), "api_gateway_with_open_access"));
	assert_true(check_matches(catalogue_find("RMP-APIGW-001"), "W69"));
}

/* ---- RMP-APIGW-001 ---- */

static const char rest_stage_nolog[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: prod\n"
	"      DeploymentId: !Ref Dep\n"
	"  Dep:\n"
	"    Type: AWS::ApiGateway::Deployment\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"  DepStage:\n"
	"    Type: AWS::ApiGateway::Deployment\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: test\n";

static const char rest_stage_log[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Logs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: prod\n"
	"      AccessLogSetting:\n"
	"        DestinationArn: !GetAtt Logs.Arn\n"
	"  DepStage:\n"
	"    Type: AWS::ApiGateway::Deployment\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: test\n"
	"      StageDescription:\n"
	"        AccessLogSetting:\n"
	"          DestinationArn: !GetAtt Logs.Arn\n";

static const char rest_stage_log_maybe[] = UNDECIDED
	"Resources:\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: abc123\n"
	"      StageName: prod\n"
	"      AccessLogSetting: !If\n"
	"        - IsProd\n"
	"        - DestinationArn: arn:aws:logs:eu-west-2:111122223333:log-group:api\n"
	"        - !Ref AWS::NoValue\n";

static const char rest_stage_log_skipped[] =
	"Resources:\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Metadata:\n"
	"      rampart:\n"
	"        skip:\n"
	"          - id: RMP-APIGW-001\n"
	"            reason: logged by the edge proxy\n"
	"    Properties:\n"
	"      RestApiId: abc123\n"
	"      StageName: prod\n"
	"  Stage2:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Metadata:\n"
	"      checkov:\n"
	"        skip:\n"
	"          - id: CKV_AWS_76\n"
	"            comment: logged elsewhere\n"
	"    Properties:\n"
	"      RestApiId: abc123\n"
	"      StageName: test\n";

static void test_apigw001(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-001", rest_stage_nolog), 2);
	assert_int_equal(UNCERTAIN("RMP-APIGW-001", rest_stage_nolog), 0);
	assert_int_equal(COUNT("RMP-APIGW-001", rest_stage_log), 0);
	assert_int_equal(COUNT("RMP-APIGW-001", rest_stage_log_maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-APIGW-001", rest_stage_log_maybe), 1);
	assert_int_equal(COUNT("RMP-APIGW-001", rest_stage_log_skipped), 0);
}

static void test_apigw001_suppressed_reason(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-APIGW-001", rest_stage_log_skipped);
	assert_int_equal(h.findings.n, 2);
	for (size_t i = 0; i < h.findings.n; i++)
		assert_true(h.findings.v[i].suppressed);
	harness_free(&h);
}

/* ---- RMP-APIGW-002 ---- */

static const char v2_stages[] =
	"Resources:\n"
	"  Http:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties: {Name: h, ProtocolType: HTTP}\n"
	"  NoLog:\n"
	"    Type: AWS::ApiGatewayV2::Stage\n"
	"    Properties: {ApiId: !Ref Http, StageName: $default}\n"
	"  Logs:\n"
	"    Type: AWS::Logs::LogGroup\n"
	"  WithLog:\n"
	"    Type: AWS::ApiGatewayV2::Stage\n"
	"    Properties:\n"
	"      ApiId: !Ref Http\n"
	"      StageName: prod\n"
	"      AccessLogSettings:\n"
	"        DestinationArn: !GetAtt Logs.Arn\n"
	"        Format: $context.requestId\n"
	"  Quick:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties:\n"
	"      Name: q\n"
	"      ProtocolType: HTTP\n"
	"      Target: arn:aws:lambda:eu-west-2:111122223333:function:f\n";

static void test_apigw002(void **state)
{
	(void)state;
	/* NoLog and the quick-create API Quick; WithLog passes. */
	assert_int_equal(COUNT("RMP-APIGW-002", v2_stages), 2);
	assert_int_equal(COUNT("RMP-APIGW-002", rest_stage_nolog), 0);
}

/* ---- RMP-APIGW-004 ---- */

static const char tracing[] =
	"Resources:\n"
	"  Off:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: abc, StageName: a}\n"
	"  On:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: abc, StageName: b, TracingEnabled: true}\n"
	"  False:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: abc, StageName: c, TracingEnabled: 'false'}\n";

static const char tracing_maybe[] = UNDECIDED
	"Resources:\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      StageName: a\n"
	"      TracingEnabled: !If [IsProd, true, false]\n";

static void test_apigw004(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-004", tracing), 2);
	/* Low severity: an undecided value is not reported. */
	assert_int_equal(COUNT("RMP-APIGW-004", tracing_maybe), 0);
}

/* ---- RMP-APIGW-006 ---- */

static const char cache[] =
	"Resources:\n"
	"  Plain:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      StageName: a\n"
	"      CacheClusterEnabled: true\n"
	"      MethodSettings:\n"
	"        - {ResourcePath: /*, HttpMethod: '*', CachingEnabled: true}\n"
	"  Encrypted:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      StageName: b\n"
	"      CacheClusterEnabled: true\n"
	"      MethodSettings:\n"
	"        - {ResourcePath: /*, HttpMethod: '*', CachingEnabled: true, CacheDataEncrypted: true}\n"
	"  NoCache:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: abc, StageName: c}\n"
	"  ClusterOnly:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: abc, StageName: d, CacheClusterEnabled: true}\n"
	"  Dep:\n"
	"    Type: AWS::ApiGateway::Deployment\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      StageName: e\n"
	"      StageDescription: {CachingEnabled: true, CacheDataEncrypted: false}\n";

static const char cache_maybe[] = UNDECIDED
	"Resources:\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      StageName: a\n"
	"      MethodSettings:\n"
	"        - ResourcePath: /*\n"
	"          HttpMethod: '*'\n"
	"          CachingEnabled: true\n"
	"          CacheDataEncrypted: !If [IsProd, true, false]\n";

static void test_apigw006(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-006", cache), 3); /* Plain, ClusterOnly, Dep */
	assert_int_equal(COUNT("RMP-APIGW-006", cache_maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-APIGW-006", cache_maybe), 1);
}

/* ---- RMP-APIGW-007 ---- */

static const char methods[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Open:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      ResourceId: !GetAtt Api.RootResourceId\n"
	"      HttpMethod: GET\n"
	"      AuthorizationType: NONE\n"
	"  KeyOnly:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      ResourceId: !GetAtt Api.RootResourceId\n"
	"      HttpMethod: POST\n"
	"      ApiKeyRequired: true\n"
	"  Preflight:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      ResourceId: !GetAtt Api.RootResourceId\n"
	"      HttpMethod: OPTIONS\n"
	"      AuthorizationType: NONE\n"
	"  Iam:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      ResourceId: !GetAtt Api.RootResourceId\n"
	"      HttpMethod: DELETE\n"
	"      AuthorizationType: AWS_IAM\n";

static const char methods_maybe[] = UNDECIDED
	"Resources:\n"
	"  M:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Properties:\n"
	"      RestApiId: abc\n"
	"      ResourceId: def\n"
	"      HttpMethod: GET\n"
	"      AuthorizationType: !If [IsProd, COGNITO_USER_POOLS, NONE]\n"
	"      AuthorizerId: xyz\n";

static const char routes[] =
	"Resources:\n"
	"  Http:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties: {Name: h, ProtocolType: HTTP}\n"
	"  OpenRoute:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Http, RouteKey: GET /items}\n"
	"  NoneRoute:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Http, RouteKey: POST /items, AuthorizationType: NONE}\n"
	"  JwtRoute:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Http, RouteKey: DELETE /items, AuthorizationType: JWT, AuthorizerId: a}\n"
	"  CorsRoute:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Http, RouteKey: OPTIONS /items}\n"
	"  Ws:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties: {Name: w, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}\n"
	"  Connect:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Ws, RouteKey: $connect}\n"
	"  Message:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Ws, RouteKey: sendmessage}\n"
	"  WsDefault:\n"
	"    Type: AWS::ApiGatewayV2::Route\n"
	"    Properties: {ApiId: !Ref Ws, RouteKey: $default}\n";

/* OpenAPI bodies: an open path, an authorized one, an API-key-only one, and the API default. */
static const char body[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties:\n"
	"      Name: a\n"
	"      Body:\n"
	"        swagger: '2.0'\n"
	"        securityDefinitions:\n"
	"          Cognito:\n"
	"            type: apiKey\n"
	"            name: Authorization\n"
	"            in: header\n"
	"            x-amazon-apigateway-authtype: cognito_user_pools\n"
	"          api_key: {type: apiKey, name: x-api-key, in: header}\n"
	"        paths:\n"
	"          /open:\n"
	"            get: {responses: {}}\n"
	"            options: {responses: {}}\n"
	"          /auth:\n"
	"            get:\n"
	"              security: [{Cognito: []}]\n"
	"          /key:\n"
	"            post:\n"
	"              security: [{api_key: []}]\n"
	"          /none:\n"
	"            x-amazon-apigateway-any-method:\n"
	"              security: [{NONE: []}]\n"
	"  Defaulted:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties:\n"
	"      Name: b\n"
	"      Body:\n"
	"        openapi: 3.0.1\n"
	"        security: [{Jwt: []}]\n"
	"        components:\n"
	"          securitySchemes:\n"
	"            Jwt:\n"
	"              type: oauth2\n"
	"              x-amazon-apigateway-authorizer: {type: jwt}\n"
	"        paths:\n"
	"          /a:\n"
	"            get: {responses: {}}\n"
	"          /b:\n"
	"            put:\n"
	"              security: []\n";

static const char body_skipped[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Metadata:\n"
	"      checkov:\n"
	"        skip:\n"
	"          - id: CKV_AWS_59\n"
	"            comment: public read-only catalogue\n"
	"    Properties:\n"
	"      Name: a\n"
	"      Body:\n"
	"        swagger: '2.0'\n"
	"        paths:\n"
	"          /open:\n"
	"            get: {responses: {}}\n";

static const char method_cfn_nag_skip[] =
	"Resources:\n"
	"  Open:\n"
	"    Type: AWS::ApiGateway::Method\n"
	"    Metadata:\n"
	"      cfn_nag:\n"
	"        rules_to_suppress:\n"
	"          - id: W59\n"
	"            reason: public health-check endpoint\n"
	"    Properties: {RestApiId: abc, ResourceId: def, HttpMethod: GET, AuthorizationType: NONE}\n";

static void test_apigw007_methods(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-007", method_cfn_nag_skip), 0);
	assert_int_equal(COUNT("RMP-APIGW-007", methods), 2); /* Open, KeyOnly */
	assert_int_equal(UNCERTAIN("RMP-APIGW-007", methods), 0);
	assert_int_equal(COUNT("RMP-APIGW-007", methods_maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-APIGW-007", methods_maybe), 1);
}

static void test_apigw007_routes(void **state)
{
	(void)state;
	/* OpenRoute, NoneRoute, and the WebSocket $connect route. */
	assert_int_equal(COUNT("RMP-APIGW-007", routes), 3);
}

static void test_apigw007_body(void **state)
{
	(void)state;
	/* GET /open, POST /key (an API key is not authentication), ANY /none, PUT /b (security: []). */
	assert_int_equal(COUNT("RMP-APIGW-007", body), 4);
	assert_int_equal(COUNT("RMP-APIGW-007", body_skipped), 0);
}

/* APIs whose methods are all elsewhere: uncertain unless an authorizer exists. */
static const char bare_apis[] =
	"Resources:\n"
	"  Lone:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Guarded:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: b}\n"
	"  Auth:\n"
	"    Type: AWS::ApiGateway::Authorizer\n"
	"    Properties: {RestApiId: !Ref Guarded, Type: TOKEN, Name: t}\n"
	"  Ws:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties: {Name: w, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}\n";

static void test_apigw007_bare_api(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-007", bare_apis), 2); /* Lone, Ws */
	assert_int_equal(UNCERTAIN("RMP-APIGW-007", bare_apis), 2);
}

static void test_apigw007_body_messages(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-APIGW-007", body);
	int key = 0, empty = 0, unset = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		const char *m = h.findings.v[i].message;
		key += strstr(m, "POST /key") && strstr(m, "only an API key");
		empty += strstr(m, "PUT /b") && strstr(m, "empty, overriding");
		unset += strstr(m, "GET /open") && strstr(m, "neither the operation nor the API");
	}
	harness_free(&h);
	assert_int_equal(key, 1);
	assert_int_equal(empty, 1);
	assert_int_equal(unset, 1);
}

static void test_apigw007_message(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-APIGW-007", methods);
	int key_note = 0;
	for (size_t i = 0; i < h.findings.n; i++)
		if (strstr(h.findings.v[i].message, "ApiKeyRequired is not authentication"))
			key_note++;
	assert_int_equal(key_note, 1);
	harness_free(&h);
}

/* SAM: an Api event without Auth makes an open ServerlessRestApi path. */
static const char sam_open[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  Fn:\n"
	"    Type: AWS::Serverless::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      CodeUri: src/\n"
	"      Events:\n"
	"        Get:\n"
	"          Type: Api\n"
	"          Properties: {Path: /patients, Method: get}\n";

static const char sam_auth[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  Pool:\n"
	"    Type: AWS::Cognito::UserPool\n"
	"  Api:\n"
	"    Type: AWS::Serverless::Api\n"
	"    Properties:\n"
	"      StageName: prod\n"
	"      Auth:\n"
	"        DefaultAuthorizer: Cognito\n"
	"        Authorizers:\n"
	"          Cognito:\n"
	"            UserPoolArn: !GetAtt Pool.Arn\n"
	"  Fn:\n"
	"    Type: AWS::Serverless::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      CodeUri: src/\n"
	"      Events:\n"
	"        Get:\n"
	"          Type: Api\n"
	"          Properties: {RestApiId: !Ref Api, Path: /patients, Method: get}\n";

static void test_apigw007_sam(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-APIGW-007", sam_open);
	size_t open = 0;
	for (size_t i = 0; i < h.findings.n; i++)
		if (!h.findings.v[i].suppressed) {
			open++;
			/* The finding names the SAM resource the user wrote. */
			assert_string_equal(h.findings.v[i].source_resource, "Fn");
		}
	harness_free(&h);
	assert_int_equal(open, 1);
	assert_int_equal(COUNT("RMP-APIGW-007", sam_auth), 0);
}

/* ---- RMP-APIGW-009 ---- */

static const char throttle[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Bare:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: !Ref Api, StageName: bare}\n"
	"  Planned:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: !Ref Api, StageName: planned}\n"
	"  Plan:\n"
	"    Type: AWS::ApiGateway::UsagePlan\n"
	"    Properties:\n"
	"      ApiStages:\n"
	"        - {ApiId: !Ref Api, Stage: !Ref Planned}\n"
	"      Throttle: {RateLimit: 10, BurstLimit: 20}\n"
	"  Throttled:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: throttled\n"
	"      MethodSettings:\n"
	"        - {ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: 10}\n"
	"  Partial:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: partial\n"
	"      MethodSettings:\n"
	"        - {ResourcePath: /stack, HttpMethod: POST, ThrottlingBurstLimit: '999'}\n"
	"  Http:\n"
	"    Type: AWS::ApiGatewayV2::Api\n"
	"    Properties: {Name: h, ProtocolType: HTTP}\n"
	"  V2Bare:\n"
	"    Type: AWS::ApiGatewayV2::Stage\n"
	"    Properties: {ApiId: !Ref Http, StageName: $default}\n"
	"  V2Throttled:\n"
	"    Type: AWS::ApiGatewayV2::Stage\n"
	"    Properties:\n"
	"      ApiId: !Ref Http\n"
	"      StageName: prod\n"
	"      DefaultRouteSettings: {ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50}\n";

static void test_apigw009(void **state)
{
	(void)state;
	/* Bare, Partial (one method throttled is not the stage), V2Bare */
	assert_int_equal(COUNT("RMP-APIGW-009", throttle), 3);
}

/* SAM: the translator's own usage plan, and a plan naming the stage as <Api>.Stage. */
static const char throttle_sam[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  PerApi:\n"
	"    Type: AWS::Serverless::Api\n"
	"    Properties:\n"
	"      StageName: Dev\n"
	"      Auth:\n"
	"        ApiKeyRequired: true\n"
	"        UsagePlan: {CreateUsagePlan: PER_API, Throttle: {RateLimit: 10, BurstLimit: 5}}\n"
	"  NoPlan:\n"
	"    Type: AWS::Serverless::Api\n"
	"    Properties:\n"
	"      StageName: Dev\n"
	"      Auth: {UsagePlan: {CreateUsagePlan: NONE}}\n"
	"  Referred:\n"
	"    Type: AWS::Serverless::Api\n"
	"    Properties: {StageName: Prod}\n"
	"  Plan:\n"
	"    Type: AWS::ApiGateway::UsagePlan\n"
	"    Properties:\n"
	"      ApiStages:\n"
	"        - {ApiId: !Ref Referred, Stage: !Ref Referred.Stage}\n";

/* RMP-APIGW-007 on a PRIVATE REST API: medium, not high (serverless-patterns apigw-private-lambda) */
static void test_apigw007_private(void **state)
{
	(void)state;
	const char *t = "Transform: AWS::Serverless-2016-10-31\n"
			"Resources:\n"
			"  Private:\n"
			"    Type: AWS::Serverless::Api\n"
			"    Properties: {StageName: p, EndpointConfiguration: {Type: PRIVATE}}\n"
			"  Public:\n"
			"    Type: AWS::Serverless::Api\n"
			"    Properties: {StageName: p}\n"
			"  Fn:\n"
			"    Type: AWS::Serverless::Function\n"
			"    Properties:\n"
			"      Runtime: python3.12\n"
			"      Handler: a.b\n"
			"      InlineCode: x\n"
			"      Events:\n"
			"        A: {Type: Api, Properties: {RestApiId: !Ref Private, Path: /a, Method: get}}\n"
			"        B: {Type: Api, Properties: {RestApiId: !Ref Public, Path: /b, Method: get}}\n"
			"  Rest: {Type: AWS::ApiGateway::RestApi, Properties: {Name: r, EndpointConfiguration: {Types: [PRIVATE]}}}\n"
			"  Get:\n"
			"    Type: AWS::ApiGateway::Method\n"
			"    Properties: {RestApiId: !Ref Rest, ResourceId: !GetAtt Rest.RootResourceId, HttpMethod: GET, AuthorizationType: NONE}\n";
	struct harness h;
	harness_run(&h, "RMP-APIGW-007", t);
	assert_int_equal(h.findings.n, 3);
	size_t medium = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		bool priv = strcmp(h.findings.v[i].resource, "Public") != 0;
		assert_int_equal(h.findings.v[i].severity, priv ? SEV_MEDIUM : SEV_HIGH);
		assert_true((strstr(h.findings.v[i].message, "private endpoint") != NULL) == priv);
		medium += priv;
	}
	assert_int_equal(medium, 2);
	harness_free(&h);
}

static void test_apigw009_sam(void **state)
{
	(void)state;
	/* NoPlan only (serverless-patterns apigw-rest-api-lambda-vpc-sqs, serverless-multi-tenant-api) */
	assert_int_equal(COUNT("RMP-APIGW-009", throttle_sam), 1);
}

/* ---- RMP-APIGW-010 ---- */

static const char waf[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Prod:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: !Ref Api, StageName: prod}\n"
	"  Test:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: !Ref Api, StageName: test}\n"
	"  Acl:\n"
	"    Type: AWS::WAFv2::WebACL\n"
	"    Properties:\n"
	"      Scope: REGIONAL\n"
	"      DefaultAction: {Allow: {}}\n"
	"      Rules: []\n"
	"  Assoc:\n"
	"    Type: AWS::WAFv2::WebACLAssociation\n"
	"    Properties:\n"
	"      WebACLArn: !GetAtt Acl.Arn\n"
	"      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod\n";

static void test_apigw010(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-010", waf), 1); /* Test */
	assert_int_equal(COUNT("RMP-APIGW-010", rest_stage_log), 2); /* no association at all */
	/* the association substitutes the other Stage resource: Prod is not protected */
	const char *other = "Resources:\n"
			    "  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}\n"
			    "  Prod: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: d, StageName: prod}}\n"
			    "  Test: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: d, StageName: test}}\n"
			    "  Assoc: {Type: AWS::WAFv2::WebACLAssociation, Properties: {WebACLArn: arn:aws:wafv2:acl, ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Test}'}}\n";
	struct harness h;
	harness_run(&h, "RMP-APIGW-010", other);
	assert_int_equal(h.findings.n, 1);
	assert_string_equal(h.findings.v[0].resource, "Prod");
	harness_free(&h);
}

/* ---- RMP-WAF-001 ---- */

static const char waf_rules_weak[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Prod:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties: {RestApiId: !Ref Api, StageName: prod}\n"
	"  Acl:\n"
	"    Type: AWS::WAFv2::WebACL\n"
	"    Properties:\n"
	"      Scope: REGIONAL\n"
	"      DefaultAction: {Allow: {}}\n"
	"      Rules:\n"
	"        - Name: sqli\n"
	"          Priority: 0\n"
	"          OverrideAction: {Count: {}}\n"
	"          Statement:\n"
	"            ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesSQLiRuleSet}\n"
	"        - Name: xss\n"
	"          Priority: 1\n"
	"          Action: {Block: {}}\n"
	"          Statement:\n"
	"            XssMatchStatement: {FieldToMatch: {Body: {}}, TextTransformations: []}\n"
	"  Assoc:\n"
	"    Type: AWS::WAFv2::WebACLAssociation\n"
	"    Properties:\n"
	"      WebACLArn: !GetAtt Acl.Arn\n"
	"      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod\n";

static const char waf_rules_good[] =
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Group:\n"
	"    Type: AWS::WAFv2::RuleGroup\n"
	"    Properties:\n"
	"      Scope: REGIONAL\n"
	"      Capacity: 100\n"
	"      Rules:\n"
	"        - Name: rate\n"
	"          Action: {Block: {}}\n"
	"          Statement: {RateBasedStatement: {Limit: 500, AggregateKeyType: IP}}\n"
	"  Acl:\n"
	"    Type: AWS::WAFv2::WebACL\n"
	"    Properties:\n"
	"      Scope: REGIONAL\n"
	"      DefaultAction: {Allow: {}}\n"
	"      Rules:\n"
	"        - Name: managed\n"
	"          OverrideAction: {None: {}}\n"
	"          Statement:\n"
	"            OrStatement:\n"
	"              Statements:\n"
	"                - ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesSQLiRuleSet}\n"
	"                - ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}\n"
	"        - Name: group\n"
	"          OverrideAction: {None: {}}\n"
	"          Statement: {RuleGroupReferenceStatement: {ARN: !GetAtt Group.Arn}}\n"
	"  Assoc:\n"
	"    Type: AWS::WAFv2::WebACLAssociation\n"
	"    Properties:\n"
	"      WebACLArn: !GetAtt Acl.Arn\n"
	"      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod\n";

static void test_waf001(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-WAF-001", waf_rules_weak), 1);
	struct harness h;
	harness_run(&h, "RMP-WAF-001", waf_rules_weak);
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "SQL injection (Count mode only)"));
	assert_non_null(strstr(h.findings.v[0].message, "rate-based"));
	assert_null(strstr(h.findings.v[0].message, "cross-site"));
	harness_free(&h);
	assert_int_equal(COUNT("RMP-WAF-001", waf_rules_good), 0);
	/* An empty web ACL misses all three. */
	assert_int_equal(COUNT("RMP-WAF-001", waf), 1);
}

/* ---- RMP-APIGW-011 ---- */

static const char domains[] =
	"Resources:\n"
	"  Default:\n"
	"    Type: AWS::ApiGateway::DomainName\n"
	"    Properties: {DomainName: a.example.co.uk, RegionalCertificateArn: arn:x}\n"
	"  Old:\n"
	"    Type: AWS::ApiGateway::DomainName\n"
	"    Properties: {DomainName: b.example.co.uk, RegionalCertificateArn: arn:x, SecurityPolicy: TLS_1_0}\n"
	"  Good:\n"
	"    Type: AWS::ApiGateway::DomainName\n"
	"    Properties: {DomainName: c.example.co.uk, RegionalCertificateArn: arn:x, SecurityPolicy: TLS_1_2}\n"
	"  V2Default:\n"
	"    Type: AWS::ApiGatewayV2::DomainName\n"
	"    Properties:\n"
	"      DomainName: d.example.co.uk\n"
	"      DomainNameConfigurations: [{CertificateArn: arn:x}]\n"
	"  V2Old:\n"
	"    Type: AWS::ApiGatewayV2::DomainName\n"
	"    Properties:\n"
	"      DomainName: e.example.co.uk\n"
	"      DomainNameConfigurations: [{CertificateArn: arn:x, SecurityPolicy: TLS_1_0}]\n";

static const char domain_maybe[] = UNDECIDED
	"Resources:\n"
	"  D:\n"
	"    Type: AWS::ApiGateway::DomainName\n"
	"    Properties:\n"
	"      DomainName: a.example.co.uk\n"
	"      SecurityPolicy: !If [IsProd, TLS_1_2, TLS_1_0]\n";

static void test_apigw011(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-011", domains), 3); /* Default, Old, V2Old */
	assert_int_equal(UNCERTAIN("RMP-APIGW-011", domain_maybe), 1);
}

/* ---- RMP-APIGW-013 ---- */

static const char endpoints[] =
	"Resources:\n"
	"  Edge:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: a}\n"
	"  Regional:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: b, EndpointConfiguration: {Types: [REGIONAL]}}\n"
	"  Private:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties: {Name: c, EndpointConfiguration: {Types: [PRIVATE]}}\n";

static void test_apigw013(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-013", endpoints), 2);
	assert_int_equal(catalogue_find("RMP-APIGW-013")->severity, SEV_INFO);
	/* SAM: `Type: PRIVATE` is private; CloudFormation's `Types:` written on a SAM API is
	 * not read by the expansion, so "EDGE (the default)" would be a claim the template
	 * does not make (KICS serverless_api_endpoint_config_not_private negative1.yaml) */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\n"
			  "Resources:\n"
			  "  Private: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: {Type: PRIVATE}}}\n"
			  "  Written: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: {Types: [PRIVATE]}}}\n"
			  "  Edge: {Type: AWS::Serverless::Api, Properties: {StageName: p}}\n"
			  "  WrittenEdge: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: {Types: [EDGE]}}}\n"
			  "  IdsOnly: {Type: AWS::Serverless::Api, Properties: {StageName: p, EndpointConfiguration: {VpcEndpointIds: [vpce-1]}}}\n";
	assert_int_equal(COUNT("RMP-APIGW-013", sam), 3);
}

/* ---- RMP-LMB-011 / RMP-LMB-012 ---- */

static const char url_data[] =
	"Resources:\n"
	"  Table:\n"
	"    Type: AWS::DynamoDB::Table\n"
	"    Properties:\n"
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	"      BillingMode: PAY_PER_REQUEST\n"
	"  Role:\n"
	"    Type: AWS::IAM::Role\n"
	"    Properties:\n"
	"      AssumeRolePolicyDocument:\n"
	"        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
	"      Policies:\n"
	"        - PolicyName: data\n"
	"          PolicyDocument:\n"
	"            Statement:\n"
	"              - Effect: Allow\n"
	"                Action: [dynamodb:GetItem, dynamodb:Query]\n"
	"                Resource: !GetAtt Table.Arn\n"
	"  Fn:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  Url:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties:\n"
	"      TargetFunctionArn: !GetAtt Fn.Arn\n"
	"      AuthType: NONE\n"
	"      Cors:\n"
	"        AllowOrigins: ['*']\n";

static const char url_plain[] =
	"Resources:\n"
	"  Role:\n"
	"    Type: AWS::IAM::Role\n"
	"    Properties:\n"
	"      AssumeRolePolicyDocument:\n"
	"        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
	"      ManagedPolicyArns:\n"
	"        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n"
	"  Fn:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  Url:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties:\n"
	"      TargetFunctionArn: !GetAtt Fn.Arn\n"
	"      AuthType: NONE\n"
	"  IamUrl:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties:\n"
	"      TargetFunctionArn: !GetAtt Fn.Arn\n"
	"      AuthType: AWS_IAM\n"
	"      Cors:\n"
	"        AllowOrigins: [https://app.example.co.uk]\n";

/* A URL on an alias: the alias is followed to the function and its role. */
static const char url_alias[] =
	"Resources:\n"
	"  Role:\n"
	"    Type: AWS::IAM::Role\n"
	"    Properties:\n"
	"      AssumeRolePolicyDocument:\n"
	"        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
	"      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]\n"
	"  Fn:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      Role: !GetAtt Role.Arn\n"
	"      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
	"  Version:\n"
	"    Type: AWS::Lambda::Version\n"
	"    Properties: {FunctionName: !Ref Fn}\n"
	"  Live:\n"
	"    Type: AWS::Lambda::Alias\n"
	"    Properties: {FunctionName: !Ref Fn, FunctionVersion: !GetAtt Version.Version, Name: live}\n"
	"  Url:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties: {TargetFunctionArn: !Ref Live, AuthType: NONE}\n";

static const char url_maybe[] = UNDECIDED
	"Resources:\n"
	"  Url:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties:\n"
	"      TargetFunctionArn: arn:aws:lambda:eu-west-2:111122223333:function:f\n"
	"      AuthType: !If [IsProd, AWS_IAM, NONE]\n";

static int finding_severity(const char *id, const char *text)
{
	struct harness h;
	harness_run(&h, id, text);
	int sev = h.findings.n == 1 ? h.findings.v[0].severity : -1;
	harness_free(&h);
	return sev;
}

static void test_lmb011(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LMB-011", url_data), 1);
	assert_int_equal(finding_severity("RMP-LMB-011", url_data), SEV_CRITICAL);
	assert_int_equal(COUNT("RMP-LMB-011", url_plain), 1);
	assert_int_equal(finding_severity("RMP-LMB-011", url_plain), SEV_HIGH);
	assert_int_equal(finding_severity("RMP-LMB-011", url_alias), SEV_CRITICAL);
	assert_int_equal(COUNT("RMP-LMB-011", url_maybe), 1);
	assert_int_equal(UNCERTAIN("RMP-LMB-011", url_maybe), 1);
}

static const char sam_url[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  Fn:\n"
	"    Type: AWS::Serverless::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      CodeUri: src/\n"
	"      FunctionUrlConfig:\n"
	"        AuthType: NONE\n"
	"        Cors: {AllowOrigins: ['*']}\n";

/* SAM policy templates expand into the role: DynamoDBCrudPolicy reaches the table. */
static const char sam_url_data[] =
	"Transform: AWS::Serverless-2016-10-31\n"
	"Resources:\n"
	"  Table:\n"
	"    Type: AWS::Serverless::SimpleTable\n"
	"  Fn:\n"
	"    Type: AWS::Serverless::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: app.handler\n"
	"      CodeUri: src/\n"
	"      Policies:\n"
	"        - DynamoDBCrudPolicy: {TableName: !Ref Table}\n"
	"      FunctionUrlConfig:\n"
	"        AuthType: NONE\n";

static void test_lmb011_sam(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LMB-011", sam_url), 1);
	assert_int_equal(finding_severity("RMP-LMB-011", sam_url), SEV_HIGH);
	assert_int_equal(COUNT("RMP-LMB-012", sam_url), 1);
	assert_int_equal(COUNT("RMP-LMB-011", sam_url_data), 1);
	assert_int_equal(finding_severity("RMP-LMB-011", sam_url_data), SEV_CRITICAL);
	assert_int_equal(COUNT("RMP-LMB-012", sam_url_data), 0);
}

/* Undecided values in checks that do not report MAYBE, and in one that does. */
static const char api_undecided[] = UNDECIDED
	"Resources:\n"
	"  Api:\n"
	"    Type: AWS::ApiGateway::RestApi\n"
	"    Properties:\n"
	"      Name: a\n"
	"      EndpointConfiguration: {Types: [!If [IsProd, REGIONAL, PRIVATE]]}\n"
	"  Stage:\n"
	"    Type: AWS::ApiGateway::Stage\n"
	"    Properties:\n"
	"      RestApiId: !Ref Api\n"
	"      StageName: prod\n"
	"      MethodSettings:\n"
	"        - {ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: !If [IsProd, 10, !Ref AWS::NoValue]}\n"
	"  Acl:\n"
	"    Type: AWS::WAFv2::WebACL\n"
	"    Properties:\n"
	"      Scope: REGIONAL\n"
	"      DefaultAction: {Allow: {}}\n"
	"      Rules: !If [IsProd, [], [{Name: r, Statement: {RateBasedStatement: {Limit: 100}}}]]\n"
	"  Assoc:\n"
	"    Type: AWS::WAFv2::WebACLAssociation\n"
	"    Properties:\n"
	"      WebACLArn: !GetAtt Acl.Arn\n"
	"      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod\n"
	"  Url:\n"
	"    Type: AWS::Lambda::Url\n"
	"    Properties:\n"
	"      TargetFunctionArn: arn:aws:lambda:eu-west-2:111122223333:function:f\n"
	"      AuthType: AWS_IAM\n"
	"      Cors: {AllowOrigins: !If [IsProd, ['https://a.example.co.uk'], ['*']]}\n";

static void test_undecided(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-APIGW-013", api_undecided), 0);
	assert_int_equal(COUNT("RMP-APIGW-009", api_undecided), 0);
	assert_int_equal(COUNT("RMP-WAF-001", api_undecided), 0);
	assert_int_equal(COUNT("RMP-APIGW-010", api_undecided), 0);
	assert_int_equal(UNCERTAIN("RMP-LMB-012", api_undecided), 1);
}

static void test_lmb012(void **state)
{
	(void)state;
	assert_int_equal(COUNT("RMP-LMB-012", url_data), 1);
	assert_int_equal(COUNT("RMP-LMB-012", url_plain), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_apigw001),
		cmocka_unit_test(test_apigw001_suppressed_reason),
		cmocka_unit_test(test_apigw002),
		cmocka_unit_test(test_apigw004),
		cmocka_unit_test(test_apigw006),
		cmocka_unit_test(test_apigw007_methods),
		cmocka_unit_test(test_apigw007_routes),
		cmocka_unit_test(test_apigw007_body),
		cmocka_unit_test(test_apigw007_bare_api),
		cmocka_unit_test(test_apigw007_message),
		cmocka_unit_test(test_apigw007_body_messages),
		cmocka_unit_test(test_apigw007_sam),
		cmocka_unit_test(test_apigw007_private),
		cmocka_unit_test(test_apigw009),
		cmocka_unit_test(test_apigw009_sam),
		cmocka_unit_test(test_apigw010),
		cmocka_unit_test(test_waf001),
		cmocka_unit_test(test_apigw011),
		cmocka_unit_test(test_apigw013),
		cmocka_unit_test(test_lmb011),
		cmocka_unit_test(test_lmb011_sam),
		cmocka_unit_test(test_lmb012),
		cmocka_unit_test(test_undecided),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
