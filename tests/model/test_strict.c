/*
 * test_strict.c - what CloudFormation rejects, rampart reports: a template
 * without resources, Fn::GetAtt of an attribute the type lacks (from the
 * resource specification; unknown types stay unknown), AWS::Serverless::*
 * without the Transform, a condition cycle (once), and --param keys no
 * scanned template declares (once per scan, with the nearest name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "core/arena.h"
#include "load/load.h"
#include "model/cfn_spec.h"
#include "model/stack.h"

#include <stdio.h>
#include <string.h>

/* Diagnostics of `level` whose message contains needle. */
static size_t count(const struct diags *d, enum diag_level level, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].level == level && strstr(d->v[i].msg, needle) != NULL;
	return n;
}

static const struct diag *find(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return &d->v[i];
	return NULL;
}

static void expect_at(const char *text, const char *needle, int line, int col)
{
	struct harness h;
	harness_model(&h, text);
	const struct diag *g = find(&h.diags, needle);
	if (!g || g->level != DIAG_ERROR || g->line != line || g->col != col) {
		print_error("%s\nwant error %d:%d ...%s...; got %s\n", text, line, col, needle,
			    g ? g->msg : "nothing");
		fail();
	}
	assert_int_equal(count(&h.diags, DIAG_ERROR, needle), 1);
	harness_free(&h);
}

static size_t errors(const char *text)
{
	struct harness h;
	harness_model(&h, text);
	size_t n = diag_count(&h.diags, DIAG_ERROR);
	for (size_t i = 0; i < h.diags.n; i++)
		if (h.diags.v[i].level == DIAG_ERROR)
			print_message("  %s\n", h.diags.v[i].msg);
	harness_free(&h);
	return n;
}

static void test_no_resources(void **state)
{
	(void)state;
	expect_at("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", "no resources", 2, 1);
	expect_at("AWSTemplateFormatVersion: '2010-09-09'\nDescription: x\nResources:\n", "no resources", 3, 1);
	expect_at("AWSTemplateFormatVersion: '2010-09-09'\nDescription: x\n", "no resources", 1, 1);
	expect_at("Transform: AWS::Serverless-2016-10-31\nResources: null\n", "no resources", 2, 1);
	assert_int_equal(errors("Resources:\n  T:\n    Type: AWS::SNS::Topic\n"), 0);
}

static const char getatt_head[] = "AWSTemplateFormatVersion: '2010-09-09'\n"
				  "Parameters:\n  Which: {Type: String}\n"
				  "Resources:\n"
				  "  T:\n    Type: AWS::SNS::Topic\n"
				  "  Q:\n    Type: AWS::SQS::Queue\n"
				  "  C:\n    Type: Custom::Thing\n    Properties: {ServiceToken: arn}\n"
				  "  N:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: u}\n"
				  "  X:\n    Type: Acme::Widget::Thing\n"
				  "  U:\n    Type: AWS::SNS::Subscription\n    Properties:\n";

static size_t getatt_errors(const char *props, const char *needle, int line, int col)
{
	char text[2048];
	snprintf(text, sizeof text, "%s%s", getatt_head, props);
	if (needle) {
		expect_at(text, needle, line, col);
		return 1;
	}
	return errors(text);
}

static void test_getatt_attribute(void **state)
{
	(void)state;
	/* AWS::SNS::Topic has TopicArn and TopicName, not Arn (line 17 is the first property) */
	getatt_errors("      TopicArn: !GetAtt T.Arn\n", "T.Arn: AWS::SNS::Topic has no attribute Arn", 20, 17);
	getatt_errors("      TopicArn: !Sub '${T.Arn}'\n", "T.Arn: AWS::SNS::Topic has no attribute Arn", 20, 17);
	getatt_errors("      TopicArn: {'Fn::GetAtt': [Q, Nope]}\n", "has no attribute Nope", 20, 17);
	/* known attributes, a property name, dynamic parts, unknown types, an unknown attribute name */
	assert_int_equal(getatt_errors("      A: !GetAtt T.TopicArn\n"
				       "      B: !GetAtt Q.Arn\n"
				       "      C: !GetAtt Q.QueueUrl\n"
				       "      D: !GetAtt T.TopicName\n"
				       "      E: !GetAtt C.Anything\n"
				       "      F: !GetAtt N.Outputs.BucketName\n"
				       "      G: !GetAtt X.Whatever\n"
				       "      H: !Sub '${Q.QueueName}'\n"
				       "      I: !GetAtt [T, !Ref Which]\n",
				       NULL, 0, 0),
			 0);
	/* a SAM resource's attributes are those of what it becomes: unknown before expansion */
	assert_int_equal(errors("Transform: AWS::Serverless-2016-10-31\nResources:\n"
				"  F:\n    Type: AWS::Serverless::Function\n"
				"    Properties: {Handler: a, Runtime: python3.12, CodeUri: s3://b/k}\n"
				"  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt F.Arn\n"),
			 0);
	/* SAM Globals are resolved per function: the error is reported once */
	struct harness h;
	harness_model(&h, "Transform: AWS::Serverless-2016-10-31\n"
			  "Globals:\n  Function:\n    Environment:\n      Variables:\n        T: !GetAtt T.Arn\n"
			  "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
			  "  F1:\n    Type: AWS::Serverless::Function\n"
			  "    Properties: {Handler: a, Runtime: python3.12, CodeUri: s3://b/k}\n"
			  "  F2:\n    Type: AWS::Serverless::Function\n"
			  "    Properties: {Handler: a, Runtime: python3.12, CodeUri: s3://b/k}\n");
	assert_int_equal(count(&h.diags, DIAG_ERROR, "has no attribute Arn"), 1);
	harness_free(&h);
}

static void test_spec_table(void **state)
{
	(void)state;
	assert_true(cfn_spec_count > 1000);
	for (size_t i = 1; i < cfn_spec_count; i++)
		assert_true(strcmp(cfn_spec[i - 1].type, cfn_spec[i].type) < 0);
	assert_int_equal(cfn_type_has_attr("AWS::DynamoDB::Table", "StreamArn"), YES);
	assert_int_equal(cfn_type_has_attr("AWS::DynamoDB::Table", "Streamarn"), NO);
	assert_int_equal(cfn_type_has_attr("AWS::RDS::DBInstance", "Endpoint.Address"), YES);
	assert_int_equal(cfn_type_has_attr("AWS::CloudFormation::Stack", "Outputs.Anything"), YES);
	assert_int_equal(cfn_type_has_attr("AWS::CloudFormation::CustomResource", "Anything"), MAYBE);
	assert_int_equal(cfn_type_has_attr("Custom::X", "Anything"), MAYBE);
	assert_int_equal(cfn_type_has_attr("AWS::Serverless::Function", "Arn"), MAYBE);
	assert_int_equal(cfn_type_has_attr("AWS::Future::Thing", "Arn"), MAYBE);
	assert_null(cfn_type_find("AWS::Serverless::Function"));
}

static void test_serverless_without_transform(void **state)
{
	(void)state;
	expect_at("Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
		  "    Properties: {Handler: a, Runtime: python3.12, CodeUri: s3://b/k}\n",
		  "needs 'Transform: AWS::Serverless-2016-10-31'", 3, 11);
	assert_int_equal(errors("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources:\n"
				"  F:\n    Type: AWS::Serverless::Function\n"
				"    Properties: {Handler: a, Runtime: python3.12, CodeUri: s3://b/k}\n"),
			 0);
}

static void test_condition_cycle_once(void **state)
{
	(void)state;
	const char *head = "Resources:\n  T:\n    Type: AWS::SNS::Topic\nConditions:\n";
	char text[512];
	snprintf(text, sizeof text, "%s  A: !And [!Condition A, !Condition A]\n", head);
	expect_at(text, "condition cycle: A -> A", 5, 3);
	snprintf(text, sizeof text, "%s  A: !Or [!Condition B, !Not [!Condition B]]\n  B: !Condition A\n", head);
	expect_at(text, "condition cycle: A -> B -> A", 5, 3);
}

/* Model `text` as `file` with the scan-wide --param record u. */
static void model_with(const char *file, const char *text, struct model_param_use *u, const char *const *keys,
		       const char *const *vals, size_t n, struct diags *d)
{
	struct arena *a = arena_new();
	struct node *root = load_buffer(file, text, strlen(text), a, d);
	assert_non_null(root);
	struct model_options opt = {.param_keys = keys, .param_values = vals, .nparams = n, .param_use = u};
	assert_non_null(model_build(root, file, &opt, a, d));
	arena_free(a);
}

static void test_param_across_templates(void **state)
{
	(void)state;
	const char *a = "Parameters:\n  Environment: {Type: String}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n";
	const char *b = "Parameters:\n  Stage: {Type: String}\n  Env: {Type: String}\n"
			"Resources:\n  T:\n    Type: AWS::SNS::Topic\n";
	const char *keys[] = {"Stage", "Enviroment", "Stage"}, *vals[] = {"prod", "x", "dev"};
	struct diags d = {0};
	struct model_param_use *u = model_param_use_new(keys, 3);
	model_with("a.yaml", a, u, keys, vals, 3, &d);
	model_with("b.yaml", b, u, keys, vals, 3, &d);
	assert_int_equal(d.n, 0); /* nothing is said per template */
	model_param_use_report(u, &d);
	model_param_use_free(u);
	/* Stage is b.yaml's; Enviroment is nobody's: one warning, at the nearest name */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_WARNING);
	assert_string_equal(d.v[0].msg, "--param Enviroment: no scanned template has a parameter Enviroment; "
					"the nearest is Environment");
	assert_string_equal(d.v[0].file, "a.yaml");
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 3);
	diags_free(&d);
	/* a template alone (no scan-wide record) warns about its own missing keys */
	model_with("b.yaml", b, NULL, keys, vals, 3, &d);
	assert_int_equal(count(&d, DIAG_WARNING, "--param Enviroment: no scanned template has a parameter Enviroment; "
						 "the nearest is Env"), 1);
	assert_int_equal(d.n, 1);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_resources),
		cmocka_unit_test(test_getatt_attribute),
		cmocka_unit_test(test_spec_table),
		cmocka_unit_test(test_serverless_without_transform),
		cmocka_unit_test(test_condition_cycle_once),
		cmocka_unit_test(test_param_across_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
