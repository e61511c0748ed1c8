/*
 * test_sam.c - focused tests of the SAM transform (src/model/sam*.c) on the
 * fixtures in tests/model/sam/: Globals merge, the generated role and its
 * policy templates, function URLs, REST API auth (Cognito default
 * authorizer, NONE, API keys, CORS preflight), implicit APIs, SimpleTable,
 * pass-through of other SAM types, malformed input, event-source and
 * destination policies, a conditional Role.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "load/load.h"
#include "model/stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURES "tests/model/sam/"

struct fx {
	struct arena *a;
	struct stack *s;
	struct diags d;
};

static void fx_load(struct fx *f, const char *name)
{
	memset(f, 0, sizeof *f);
	f->a = arena_new();
	char path[256];
	snprintf(path, sizeof path, FIXTURES "%s", name);
	struct node *root = load_file(path, f->a, &f->d);
	assert_non_null(root);
	struct model_options opt = {0};
	f->s = model_build(root, path, &opt, f->a, &f->d);
	assert_non_null(f->s);
}

static void fx_free(struct fx *f)
{
	diags_free(&f->d);
	arena_free(f->a);
}

static struct resource *res(const struct fx *f, const char *id, const char *type)
{
	struct resource *r = stack_find(f->s, id);
	if (!r)
		fail_msg("no resource %s", id);
	if (type && strcmp(r->type, type) != 0)
		fail_msg("%s is %s, not %s", id, r->type, type);
	return r;
}

static const char *str_at(const struct resource *r, const char *path)
{
	return val_str(val_path(r->props, path));
}

static size_t count_type(const struct fx *f, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < f->s->nres; i++)
		if (strcmp(f->s->res[i].type, type) == 0)
			n++;
	return n;
}

/* "A B" for security [{A: []}, {B: []}]; "-" when absent. */
static const char *security(const struct value *op, char *buf, size_t size)
{
	const struct value *sec = val_get(op, "security");
	if (!sec)
		return "-";
	buf[0] = '\0';
	for (size_t i = 0; i < val_len(sec); i++) {
		const struct value *e = val_item(sec, i);
		for (size_t k = 0; e && e->kind == VAL_MAP && k < e->n; k++) {
			size_t used = strlen(buf);
			snprintf(buf + used, size - used, "%s%s", used ? " " : "", e->pairs[k].key);
		}
	}
	return buf;
}

static const struct value *op_of(const struct resource *api, const char *path, const char *method)
{
	const struct value *paths = val_path(api->props, "Body.paths");
	const struct value *pi = val_get(paths, path);
	if (!pi)
		fail_msg("%s: no path %s", api->id, path);
	const struct value *op = val_get(pi, method);
	if (!op)
		fail_msg("%s: no %s %s", api->id, method, path);
	return op;
}

static bool list_has(const struct value *l, const char *s)
{
	for (size_t i = 0; i < val_len(l); i++)
		if (val_equals(val_item(l, i), s) == YES)
			return true;
	return false;
}

static void test_globals_merge(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "globals.yaml");
	struct resource *fn = res(&f, "Fn", "AWS::Lambda::Function");
	assert_string_equal(fn->source_type, "AWS::Serverless::Function");
	/* scalars: the function wins; absent ones come from Globals */
	assert_string_equal(str_at(fn, "Runtime"), "python3.12");
	assert_string_equal(str_at(fn, "Timeout"), "30");
	assert_string_equal(str_at(fn, "MemorySize"), "256");
	/* maps merged recursively */
	assert_string_equal(str_at(fn, "Environment.Variables.STAGE"), "prod");
	assert_string_equal(str_at(fn, "Environment.Variables.TABLE"), "own-table");
	assert_string_equal(str_at(fn, "Environment.Variables.DEBUG"), "0");
	/* lists concatenated, Globals first */
	const struct value *layers = val_get(fn->props, "Layers");
	assert_int_equal(val_len(layers), 2);
	assert_string_equal(val_str(val_item(layers, 0)), "arn:aws:lambda:eu-west-2:123456789012:layer:shared:1");
	assert_string_equal(val_str(val_item(layers, 1)), "arn:aws:lambda:eu-west-2:123456789012:layer:own:2");
	/* Tags: lambda:createdBy plus the Globals tag, as a list */
	const struct value *tags = val_get(fn->props, "Tags");
	assert_int_equal(val_len(tags), 2);
	assert_string_equal(val_str(val_path(val_item(tags, 1), "Key")), "team");
	/* a Globals value keeps its own position (findings point at Globals) */
	assert_int_equal(val_path(fn->props, "Environment.Variables.STAGE")->pos.line, 12);

	struct resource *ig = res(&f, "Ignoring", "AWS::Lambda::Function");
	assert_string_equal(str_at(ig, "Runtime"), "nodejs20.x");
	assert_null(val_get(ig->props, "Environment"));
	assert_string_equal(str_at(ig, "MemorySize"), "256");
	fx_free(&f);
}

static void test_role_and_policy_templates(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "role_policies.yaml");
	struct resource *fn = res(&f, "Fn", "AWS::Lambda::Function");
	const struct value *role_ref = val_get(fn->props, "Role");
	assert_int_equal(role_ref->kind, VAL_REF);
	assert_string_equal(role_ref->s, "FnRole");
	assert_string_equal(role_ref->attr, "Arn");
	assert_string_equal(str_at(fn, "TracingConfig.Mode"), "Active");

	struct resource *role = res(&f, "FnRole", "AWS::IAM::Role");
	assert_string_equal(role->source_id, "Fn");
	assert_string_equal(role->source_type, "AWS::Serverless::Function");
	assert_int_equal(role->pos.line, fn->pos.line);
	assert_string_equal(str_at(role, "PermissionsBoundary"), "arn:aws:iam::123456789012:policy/boundary");
	const struct value *trust = val_path(role->props, "AssumeRolePolicyDocument.Statement");
	assert_true(list_has(val_path(val_item(trust, 0), "Principal.Service"), "lambda.amazonaws.com"));

	const struct value *managed = val_get(role->props, "ManagedPolicyArns");
	assert_int_equal(val_len(managed), 4);
	assert_true(list_has(managed, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
	assert_true(list_has(managed, "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"));
	assert_true(list_has(managed, "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"));
	assert_true(list_has(managed, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));

	/* inline policies named by their index in Policies (managed ones count) */
	const struct value *pols = val_get(role->props, "Policies");
	assert_int_equal(val_len(pols), 3);
	assert_string_equal(val_str(val_get(val_item(pols, 0), "PolicyName")), "FnRolePolicy0");
	assert_string_equal(val_str(val_get(val_item(pols, 1), "PolicyName")), "FnRolePolicy2");
	assert_string_equal(val_str(val_get(val_item(pols, 2), "PolicyName")), "FnRolePolicy3");

	/* DynamoDBCrudPolicy expanded from the data file, TableName substituted */
	const struct value *st = val_item(val_path(val_item(pols, 0), "PolicyDocument.Statement"), 0);
	const struct value *acts = val_get(st, "Action");
	assert_true(list_has(acts, "dynamodb:PutItem"));
	assert_true(list_has(acts, "dynamodb:DeleteItem"));
	const struct value *resource = val_item(val_get(st, "Resource"), 0);
	assert_non_null(resource);
	bool mentions_table = false;
	for (size_t i = 0; i < resource->nrefs; i++)
		if (strcmp(resource->refs[i], "Patients") == 0)
			mentions_table = true;
	assert_true(mentions_table);

	/* inline statement kept as written */
	const struct value *st1 = val_item(val_path(val_item(pols, 1), "PolicyDocument.Statement"), 0);
	assert_true(list_has(val_get(st1, "Action"), "kms:Decrypt"));
	/* SQSPollerPolicy with a literal queue name */
	const struct value *st3 = val_item(val_path(val_item(pols, 2), "PolicyDocument.Statement"), 0);
	assert_true(list_has(val_get(st3, "Action"), "sqs:ReceiveMessage"));

	/* a given Role: used as is, no role generated */
	struct resource *given = res(&f, "Given", "AWS::Lambda::Function");
	assert_string_equal(str_at(given, "Role"), "arn:aws:iam::123456789012:role/existing");
	assert_null(stack_find(f.s, "GivenRole"));
	assert_int_equal(count_type(&f, "AWS::IAM::Role"), 1);
	fx_free(&f);
}

static void test_function_url(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "url.yaml");
	struct resource *url = res(&f, "PublicUrl", "AWS::Lambda::Url");
	assert_string_equal(str_at(url, "AuthType"), "NONE");
	assert_string_equal(val_path(url->props, "TargetFunctionArn")->s, "Public");
	struct resource *perm = res(&f, "PublicUrlPublicPermissions", "AWS::Lambda::Permission");
	assert_string_equal(str_at(perm, "Principal"), "*");
	assert_string_equal(str_at(perm, "Action"), "lambda:InvokeFunctionUrl");
	assert_string_equal(str_at(perm, "FunctionUrlAuthType"), "NONE");
	assert_string_equal(perm->source_id, "Public");
	res(&f, "PublicURLInvokeAllowPublicAccess", "AWS::Lambda::Permission");

	res(&f, "PrivateUrl", "AWS::Lambda::Url");
	assert_null(stack_find(f.s, "PrivateUrlPublicPermissions"));
	assert_null(stack_find(f.s, "PrivateURLInvokeAllowPublicAccess"));
	fx_free(&f);
}

static void test_api_cognito_default_authorizer(void **state)
{
	(void)state;
	struct fx f;
	char buf[256];
	fx_load(&f, "api_cognito.yaml");
	struct resource *api = res(&f, "ClinicApi", "AWS::ApiGateway::RestApi");
	assert_string_equal(api->source_type, "AWS::Serverless::Api");
	assert_string_equal(security(op_of(api, "/patients", "get"), buf, sizeof buf), "Cognito");
	/* Authorizer: NONE keeps the default off, written as the translator does */
	assert_string_equal(security(op_of(api, "/health", "get"), buf, sizeof buf), "NONE");
	/* ApiKeyRequired adds api_key next to the default authorizer */
	assert_string_equal(security(op_of(api, "/keyed", "post"), buf, sizeof buf), "api_key Cognito");
	const struct value *integ = val_get(op_of(api, "/patients", "get"), "x-amazon-apigateway-integration");
	assert_string_equal(val_str(val_get(integ, "type")), "aws_proxy");
	assert_string_equal(val_get(integ, "uri")->refs[0], "Fn");

	const struct value *sd = val_path(api->props, "Body.securityDefinitions.Cognito");
	assert_string_equal(val_str(val_get(sd, "x-amazon-apigateway-authtype")), "cognito_user_pools");
	assert_string_equal(val_item(val_path(sd, "x-amazon-apigateway-authorizer.providerARNs"), 0)->s, "Pool");
	assert_non_null(val_path(api->props, "Body.securityDefinitions.api_key"));
	const struct value *rp = val_path(api->props, "Body.x-amazon-apigateway-policy");
	assert_string_equal(val_str(val_get(rp, "Version")), "2012-10-17");
	assert_string_equal(val_str(val_get(val_item(val_get(rp, "Statement"), 0), "Action")), "execute-api:Invoke");

	/* CORS preflight: secured by default... */
	const struct value *opt = op_of(api, "/patients", "options");
	assert_string_equal(security(opt, buf, sizeof buf), "Cognito");
	assert_string_equal(val_str(val_path(opt, "x-amazon-apigateway-integration.type")), "mock");
	/* ...but not with AddDefaultAuthorizerToCorsPreflight: false */
	struct resource *open = res(&f, "OpenApi", "AWS::ApiGateway::RestApi");
	assert_string_equal(security(op_of(open, "/things/{id}", "options"), buf, sizeof buf), "-");
	/* DisableExecuteApiEndpoint goes into the swagger body; EndpointConfiguration to Types */
	assert_int_equal(val_is_true(val_path(open->props,
					      "Body.x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint")),
			 YES);
	assert_null(val_get(open->props, "DisableExecuteApiEndpoint"));
	assert_true(list_has(val_path(open->props, "EndpointConfiguration.Types"), "PRIVATE"));
	assert_true(list_has(val_path(open->props, "EndpointConfiguration.VpcEndpointIds"), "vpce-1"));
	assert_string_equal(security(op_of(open, "/things/{id}", "x-amazon-apigateway-any-method"), buf, sizeof buf),
			    "Cognito");

	struct resource *stage = res(&f, "ClinicApiProdStage", "AWS::ApiGateway::Stage");
	assert_int_equal(val_is_true(val_get(stage->props, "TracingEnabled")), YES);
	assert_string_equal(str_at(stage, "AccessLogSetting.Format"), "$context.requestId");
	assert_string_equal(val_get(stage->props, "RestApiId")->s, "ClinicApi");
	res(&f, "OpenApiv1Stage", "AWS::ApiGateway::Stage");

	/* Deployment: <Api>Deployment<10 hex>, referenced by the stage */
	const char *dep = val_get(stage->props, "DeploymentId")->s;
	assert_int_equal(strncmp(dep, "ClinicApiDeployment", 19), 0);
	assert_int_equal(strlen(dep), 19 + 10);
	res(&f, dep, "AWS::ApiGateway::Deployment");

	struct resource *perm = res(&f, "FnListPatientsPermissionProd", "AWS::Lambda::Permission");
	assert_string_equal(str_at(perm, "Principal"), "apigateway.amazonaws.com");
	res(&f, "FnOtherPermissionv1", "AWS::Lambda::Permission");
	assert_null(stack_find(f.s, "ServerlessRestApi"));
	fx_free(&f);
}

static void test_implicit_apis(void **state)
{
	(void)state;
	struct fx f;
	char buf[64];
	fx_load(&f, "implicit.yaml");
	struct resource *api = res(&f, "ServerlessRestApi", "AWS::ApiGateway::RestApi");
	assert_string_equal(api->source_id, "Fn");
	assert_string_equal(security(op_of(api, "/appointments/{id}", "get"), buf, sizeof buf), "-");
	struct resource *stage = res(&f, "ServerlessRestApiProdStage", "AWS::ApiGateway::Stage");
	assert_int_equal(val_is_true(val_get(stage->props, "TracingEnabled")), YES); /* Globals.Api */
	res(&f, "FnGetPermissionProd", "AWS::Lambda::Permission");

	struct resource *http = res(&f, "ServerlessHttpApi", "AWS::ApiGatewayV2::Api");
	const struct value *def = op_of(http, "$default", "x-amazon-apigateway-any-method");
	assert_int_equal(val_is_true(val_get(def, "isDefaultRoute")), YES);
	op_of(http, "/book", "post");
	struct resource *hs = res(&f, "ServerlessHttpApiApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage");
	assert_string_equal(str_at(hs, "StageName"), "$default");
	/* the default route's permission covers the API: none for /book */
	res(&f, "FnHttpPermission", "AWS::Lambda::Permission");
	assert_null(stack_find(f.s, "FnHttpPathPermission"));

	struct resource *s3 = res(&f, "FnUploadPermission", "AWS::Lambda::Permission");
	assert_string_equal(str_at(s3, "Principal"), "s3.amazonaws.com");
	const struct value *managed = val_get(res(&f, "FnRole", "AWS::IAM::Role")->props, "ManagedPolicyArns");
	assert_true(list_has(managed, "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"));
	fx_free(&f);
}

static void test_simple_table(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "simple_table.yaml");
	struct resource *m = res(&f, "Minimal", "AWS::DynamoDB::Table");
	assert_string_equal(m->source_type, "AWS::Serverless::SimpleTable");
	assert_string_equal(str_at(m, "BillingMode"), "PAY_PER_REQUEST");
	const struct value *ad = val_item(val_get(m->props, "AttributeDefinitions"), 0);
	assert_string_equal(val_str(val_get(ad, "AttributeName")), "id");
	assert_string_equal(val_str(val_get(ad, "AttributeType")), "S");
	assert_string_equal(val_str(val_get(val_item(val_get(m->props, "KeySchema"), 0), "KeyType")), "HASH");
	assert_int_equal(val_is_true(val_path(m->props, "SSESpecification.SSEEnabled")), YES);

	struct resource *k = res(&f, "Keyed", "AWS::DynamoDB::Table");
	assert_null(val_get(k->props, "BillingMode"));
	assert_string_equal(str_at(k, "ProvisionedThroughput.ReadCapacityUnits"), "5");
	ad = val_item(val_get(k->props, "AttributeDefinitions"), 0);
	assert_string_equal(val_str(val_get(ad, "AttributeName")), "visitId");
	assert_string_equal(val_str(val_get(ad, "AttributeType")), "N");
	assert_string_equal(str_at(k, "TableName"), "visits");
	assert_string_equal(val_str(val_get(val_item(val_get(k->props, "Tags"), 0), "Key")), "owner");
	fx_free(&f);
}

static void test_passthrough(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "passthrough.yaml");
	res(&f, "Flow", "AWS::Serverless::StateMachine");
	res(&f, "Layer", "AWS::Serverless::LayerVersion");
	assert_int_equal(f.s->nres, 2);
	assert_int_equal(diag_count(&f.d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&f.d, DIAG_WARNING), 0);
	fx_free(&f);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "bad.yaml");
	/* still expanded */
	struct resource *fn = res(&f, "Fn", "AWS::Lambda::Function");
	assert_null(val_get(fn->props, "Code"));
	struct resource *role = res(&f, "FnRole", "AWS::IAM::Role");
	/* the template with a missing parameter is still expanded; the others warned */
	assert_int_equal(val_len(val_get(role->props, "Policies")), 1);
	res(&f, "Api", "AWS::ApiGateway::RestApi");
	res(&f, "Fn2", "AWS::Lambda::Function");
	res(&f, "Table", "AWS::DynamoDB::Table");
	assert_null(stack_find(f.s, "FnUrl"));
	/* warnings with positions for what SAM would reject */
	size_t found_template = 0, found_path = 0;
	for (size_t i = 0; i < f.d.n; i++) {
		if (strstr(f.d.v[i].msg, "NoSuchPolicyTemplate"))
			found_template++;
		if (strstr(f.d.v[i].msg, "needs a Path and a Method"))
			found_path++;
		if (f.d.v[i].level == DIAG_WARNING)
			assert_true(f.d.v[i].line > 0);
	}
	assert_int_equal(found_template, 1);
	assert_int_equal(found_path, 1);
	fx_free(&f);
}

static const struct value *policy_named(const struct resource *role, const char *name)
{
	const struct value *pols = val_get(role->props, "Policies");
	for (size_t i = 0; i < val_len(pols); i++)
		if (val_equals(val_get(val_item(pols, i), "PolicyName"), name) == YES)
			return val_get(val_item(pols, i), "PolicyDocument");
	fail_msg("%s has no policy %s", role->id, name);
	return NULL;
}

static bool doc_allows(const struct value *doc, const char *action)
{
	const struct value *sts = val_get(doc, "Statement");
	for (size_t i = 0; i < val_len(sts); i++) {
		const struct value *a = val_get(val_item(sts, i), "Action");
		if (val_equals(a, action) == YES || list_has(a, action))
			return true;
	}
	return false;
}

static void test_event_source_policies(void **state)
{
	(void)state;
	struct fx f;
	fx_load(&f, "event_sources.yaml");
	struct resource *role = res(&f, "DocsRole", "AWS::IAM::Role");
	const struct value *ddb = policy_named(role, "SamAutoGeneratedDocumentDBPolicy");
	assert_true(doc_allows(ddb, "secretsmanager:GetSecretValue"));
	assert_true(doc_allows(ddb, "rds:DescribeDBClusters"));
	assert_true(doc_allows(ddb, "ec2:CreateNetworkInterface"));
	assert_true(doc_allows(policy_named(role, "DeadLetterQueuePolicy"), "sns:Publish"));
	assert_true(doc_allows(policy_named(role, "DocsEventInvokeConfigOnFailureSQSPolicy"), "sqs:SendMessage"));
	/* SNS through an SQS subscription: polled, so no permission, but the SQS managed policy */
	assert_null(stack_find(f.s, "DocsTopicPermission"));
	assert_true(list_has(val_get(role->props, "ManagedPolicyArns"),
			     "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"));
	assert_string_equal(str_at(res(&f, "Docs", NULL), "DeadLetterConfig.TargetArn"),
			    "arn:aws:sns:eu-west-2:123456789012:dlq");

	/* Role: !If [HasRole, arn, NoValue] with HasRole false here (empty default): own role */
	struct resource *maybe = res(&f, "Maybe", "AWS::Lambda::Function");
	const struct value *r = val_get(maybe->props, "Role");
	assert_int_equal(r->kind, VAL_REF);
	assert_string_equal(r->s, "MaybeRole");
	res(&f, "MaybeRole", "AWS::IAM::Role");

	/* undecided: either the given role or the generated one, which may be deployed */
	struct resource *either = res(&f, "Either", "AWS::Lambda::Function");
	r = val_get(either->props, "Role");
	assert_int_equal(r->kind, VAL_CHOICE);
	assert_int_equal(r->n, 2);
	assert_string_equal(val_str(r->items[0]), "arn:aws:iam::123456789012:role/given");
	assert_string_equal(r->items[1]->s, "EitherRole");
	assert_int_equal(res(&f, "EitherRole", "AWS::IAM::Role")->deployed, MAYBE);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_globals_merge),
	    cmocka_unit_test(test_role_and_policy_templates),
	    cmocka_unit_test(test_function_url),
	    cmocka_unit_test(test_api_cognito_default_authorizer),
	    cmocka_unit_test(test_implicit_apis),
	    cmocka_unit_test(test_simple_table),
	    cmocka_unit_test(test_passthrough),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_event_source_policies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
