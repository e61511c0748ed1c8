/*
 * test_template.c - model_build on whole templates: parameters, resource
 * registration, conditions on resources, DependsOn, Metadata (suppressions,
 * CDK path), reference cycles, and every serverless-patterns template of
 * the shared corpus built under the sanitizers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "core/arena.h"
#include "load/load.h"
#include "model/stack.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s3-s3-replication-sam: the role policy Subs ${BucketSource} and the bucket
 * GetAtts the role, a cycle CloudFormation rejects; five CDK patterns'
 * skeleton templates with no resources; two SAM templates without the
 * Serverless Transform (both also rejected by CloudFormation; see
 * tests/cli/corpus.sh). */
#define CORPUS_WITH_ERRORS 8
#define CORPUS "/work/shared/corpus/serverless-patterns"

/* Number of error diagnostics whose message contains `needle`. */
static size_t errors_with(const struct diags *d, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR && strstr(d->v[i].msg, needle))
			n++;
	return n;
}

static const struct diag *find_diag(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return &d->v[i];
	return NULL;
}

static void test_not_a_template(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "foo: bar\nlist: [1, 2]\n");
	assert_null(h.stack);
	harness_free(&h);
	harness_model(&h, "- Resources: {}\n");
	assert_null(h.stack);
	harness_free(&h);
	/* a Transform list alone is enough */
	harness_model(&h, "Transform: [AWS::Serverless-2016-10-31]\n");
	assert_non_null(h.stack);
	assert_true(h.stack->sam);
	assert_int_equal(h.stack->nres, 0);
	harness_free(&h);
}

static void test_resources_in_order(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  B:\n"
			  "    Type: AWS::S3::Bucket\n"
			  "  A:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Properties:\n"
			  "      TableName: t\n"
			  "  NoType:\n"
			  "    Properties: {}\n");
	assert_non_null(h.stack);
	assert_int_equal(h.stack->nres, 2);
	assert_string_equal(h.stack->res[0].id, "B");
	assert_string_equal(h.stack->res[1].id, "A");
	assert_string_equal(h.stack->res[1].type, "AWS::DynamoDB::Table");
	assert_string_equal(h.stack->res[1].source_id, "A");
	assert_string_equal(h.stack->res[1].source_type, "AWS::DynamoDB::Table");
	assert_int_equal(h.stack->res[1].pos.line, 4);
	assert_int_equal(h.stack->res[1].pos.col, 3);
	/* absent Properties: an empty map */
	assert_int_equal(h.stack->res[0].props->kind, VAL_MAP);
	assert_int_equal(h.stack->res[0].props->n, 0);
	assert_string_equal(val_str(val_get(h.stack->res[1].props, "TableName")), "t");
	assert_ptr_equal(stack_find(h.stack, "A"), &h.stack->res[1]);
	assert_null(stack_find(h.stack, "NoType"));
	const struct diag *dg = find_diag(&h.diags, "resource NoType has no Type");
	assert_non_null(dg);
	assert_int_equal(dg->line, 8);
	assert_false(h.stack->sam);
	harness_free(&h);
}

static void test_sam_transform(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
			  "Globals:\n  Function:\n    Timeout: 3\n"
			  "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n");
	assert_non_null(h.stack);
	assert_true(h.stack->sam);
	assert_non_null(h.stack->globals);
	harness_free(&h);
	harness_model(&h, "Transform: AWS::Serverless-2016-10-31\nResources: {}\n");
	assert_true(h.stack->sam);
	assert_null(h.stack->globals);
	harness_free(&h);
}

static void test_condition_on_resource(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n"
			  "  Env:\n    Type: String\n    Default: dev\n"
			  "  Other:\n    Type: String\n"
			  "Conditions:\n"
			  "  IsProd: !Equals [!Ref Env, prod]\n"
			  "  IsDev: !Equals [!Ref Env, dev]\n"
			  "  Maybe: !Equals [!Ref Other, x]\n"
			  "Resources:\n"
			  "  ProdOnly:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
			  "  DevOnly:\n    Type: AWS::S3::Bucket\n    Condition: IsDev\n"
			  "  Perhaps:\n    Type: AWS::S3::Bucket\n    Condition: Maybe\n"
			  "  User:\n    Type: AWS::S3::BucketPolicy\n"
			  "    Properties:\n      Bucket: !Ref ProdOnly\n");
	assert_non_null(h.stack);
	assert_null(stack_find(h.stack, "ProdOnly"));
	assert_int_equal(stack_find(h.stack, "DevOnly")->deployed, YES);
	assert_int_equal(stack_find(h.stack, "Perhaps")->deployed, MAYBE);
	assert_string_equal(stack_find(h.stack, "Perhaps")->condition, "Maybe");
	/* A Ref to a resource that is not deployed is unknown, not a dangling ref. */
	struct value *b = val_get(stack_find(h.stack, "User")->props, "Bucket");
	assert_int_equal(b->kind, VAL_UNKNOWN);
	assert_int_equal(errors_with(&h.diags, ""), 0);
	harness_free(&h);
}

static void test_depends_on(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  A:\n    Type: AWS::S3::Bucket\n    DependsOn: B\n"
			  "  B:\n    Type: AWS::S3::Bucket\n"
			  "  C:\n    Type: AWS::S3::Bucket\n    DependsOn: [A, B, Ghost]\n");
	struct resource *a = stack_find(h.stack, "A"), *c = stack_find(h.stack, "C");
	assert_int_equal(a->ndepends, 1);
	assert_string_equal(a->depends_on[0], "B");
	assert_int_equal(c->ndepends, 2);
	const struct diag *dg = find_diag(&h.diags, "DependsOn 'Ghost'");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_ERROR);
	assert_int_equal(dg->line, 9);
	assert_int_equal(dg->col, 23);
	harness_free(&h);
}

static void test_suppressions(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  T:\n"
			  "    Type: AWS::DynamoDB::Table\n"
			  "    Metadata:\n"
			  "      aws:cdk:path: App/Stack/Table/Resource\n"
			  "      rampart:\n"
			  "        skip:\n"
			  "          - id: RMP-DDB-001\n"
			  "            reason: encrypted by default\n"
			  "      checkov:\n"
			  "        skip:\n"
			  "          - id: CKV_AWS_28\n"
			  "            comment: backups elsewhere\n"
			  "      cfn_nag:\n"
			  "        rules_to_suppress:\n"
			  "          - id: W78\n"
			  "            reason: no PITR needed\n"
			  "          - reason: missing id\n");
	struct resource *r = stack_find(h.stack, "T");
	assert_non_null(r);
	assert_string_equal(r->cdk_path, "App/Stack/Table/Resource");
	assert_int_equal(r->nskips, 3);
	assert_string_equal(r->skips[0].id, "RMP-DDB-001");
	assert_string_equal(r->skips[0].reason, "encrypted by default");
	assert_int_equal(r->skips[0].pos.line, 8);
	assert_string_equal(r->skips[1].id, "CKV_AWS_28");
	assert_string_equal(r->skips[1].reason, "backups elsewhere");
	assert_string_equal(r->skips[2].id, "W78");
	assert_string_equal(r->skips[2].reason, "no PITR needed");
	assert_non_null(find_diag(&h.diags, "suppression without an id"));
	assert_non_null(r->metadata);
	harness_free(&h);
}

static void test_resource_cycle(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  Zed:\n    Type: AWS::SQS::Queue\n"
			  "    Properties:\n      QueueName: !GetAtt Bee.Arn\n"
			  "  Bee:\n    Type: AWS::SQS::Queue\n"
			  "    Properties:\n      QueueName: !Sub '${Cat}-q'\n"
			  "  Cat:\n    Type: AWS::SQS::Queue\n    DependsOn: Zed\n"
			  "  Self:\n    Type: AWS::SQS::Queue\n"
			  "    Properties:\n      QueueName: !Ref Self\n"
			  "  Fine:\n    Type: AWS::SQS::Queue\n"
			  "    Properties:\n      QueueName: !Ref Zed\n");
	assert_non_null(h.stack);
	assert_int_equal(errors_with(&h.diags, "circular dependency"), 2);
	const struct diag *dg = find_diag(&h.diags, "circular dependency: Bee");
	assert_non_null(dg);
	assert_string_equal(dg->msg, "circular dependency: Bee -> Cat -> Zed -> Bee");
	assert_int_equal(dg->line, 6);
	assert_non_null(find_diag(&h.diags, "circular dependency: Self -> Self"));
	harness_free(&h);
}

static void test_big_cycle_bounded(void **state)
{
	(void)state;
	/* A 3000-resource ring: no recursion on the graph, one report. */
	enum { N = 3000 };
	size_t cap = (size_t)N * 100 + 64;
	char *t = malloc(cap);
	assert_non_null(t);
	size_t len = (size_t)snprintf(t, cap, "Resources:\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len,
					"  R%05d:\n    Type: AWS::SQS::Queue\n    Properties: {Q: !Ref R%05d}\n", i,
					(i + 1) % N);
	struct harness h;
	harness_model(&h, t);
	free(t);
	assert_non_null(h.stack);
	assert_int_equal(h.stack->nres, N);
	assert_int_equal(errors_with(&h.diags, "circular dependency: R00000 -> R00001 -> "), 1);
	harness_free(&h);
}

static void test_params(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n"
			  "  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n"
			  "  Pw:\n    Type: String\n    NoEcho: 'true'\n"
			  "  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n    Default: 'a, b,c'\n"
			  "  Bad:\n    Type: String\n    Default: !Ref Env\n"
			  "  Size:\n    Type: String\n    Default: huge\n    AllowedValues: [small, large]\n"
			  "Resources: {}\n");
	assert_int_equal(h.stack->nparams, 5);
	const struct diag *dg = find_diag(&h.diags, "parameter Size: the Default is not one of its AllowedValues");
	assert_non_null(dg);
	assert_int_equal(dg->line, 17);
	struct param *p = &h.stack->params[0];
	assert_string_equal(p->name, "Env");
	assert_string_equal(p->type, "String");
	assert_string_equal(val_str(p->def), "dev");
	assert_non_null(p->allowed);
	assert_false(p->noecho);
	assert_true(h.stack->params[1].noecho);
	assert_null(h.stack->params[1].def);
	struct value *l = h.stack->params[2].def;
	assert_int_equal(l->kind, VAL_LIST);
	assert_int_equal(l->n, 3);
	assert_string_equal(val_str(l->items[1]), "b");
	assert_null(h.stack->params[3].def);
	assert_non_null(find_diag(&h.diags, "parameter Bad: a Default cannot use intrinsic functions"));
	harness_free(&h);
}

static void test_param_override(void **state)
{
	(void)state;
	const char *text = "Parameters:\n"
			   "  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n"
			   "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
			   "Resources:\n"
			   "  B:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
			   "    Properties:\n      BucketName: !Sub '${Env}-${AWS::Region}-${AWS::AccountId}'\n";
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_buffer("t.yaml", text, strlen(text), a, &d);
	assert_non_null(root);
	const char *keys[] = {"Env", "Nope", "Env"}, *vals[] = {"staging", "x", "prod"};
	struct model_options opt = {.param_keys = keys, .param_values = vals, .nparams = 3, .region = "eu-west-2", .account_id = "123456789012"};
	struct stack *s = model_build(root, "t.yaml", &opt, a, &d);
	assert_non_null(s);
	assert_int_equal(stack_condition(s, "IsProd"), YES);
	struct resource *r = stack_find(s, "B");
	assert_non_null(r);
	assert_string_equal(val_str(val_get(r->props, "BucketName")), "prod-eu-west-2-123456789012");
	const struct diag *dg = find_diag(&d, "--param Nope");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_WARNING);
	/* the last --param for a name wins; a value outside AllowedValues is warned about */
	assert_non_null(find_diag(&d, "--param Env: the value is not one of the parameter's AllowedValues"));
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	diags_free(&d);
	arena_free(a);
}

/*
 * Every serverless-patterns template that loads must build.  The number
 * that produce model errors is pinned: a change in it is a regression (or
 * an improvement to record here).  The diagnostics are printed.
 */
static void test_corpus(void **state)
{
	(void)state;
	static const char *const pats[] = {CORPUS "/*/template.yaml", CORPUS "/*/template.yml",
					   CORPUS "/*/template.json"};
	size_t total = 0, loaded = 0, built = 0, with_errors = 0, resources = 0;
	for (size_t p = 0; p < sizeof pats / sizeof *pats; p++) {
		glob_t g;
		if (glob(pats[p], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			total++;
			struct arena *a = arena_new();
			struct diags d = {0};
			struct node *root = load_file(g.gl_pathv[i], a, &d);
			if (root && diag_count(&d, DIAG_ERROR) == 0) {
				loaded++;
				struct model_options opt = {0};
				struct stack *s = model_build(root, g.gl_pathv[i], &opt, a, &d);
				if (s) {
					built++;
					resources += s->nres;
					if (diag_count(&d, DIAG_ERROR)) {
						with_errors++;
						for (size_t k = 0; k < d.n; k++) {
							char buf[1024];
							diag_format(&d.v[k], buf, sizeof buf);
							printf("  corpus: %s\n", buf);
						}
					}
				}
			}
			diags_free(&d);
			arena_free(a);
		}
		globfree(&g);
	}
	printf("corpus: %zu templates, %zu loaded, %zu built, %zu resources, %zu with model errors\n", total,
	       loaded, built, resources, with_errors);
	if (total == 0)
		skip();
	assert_true(loaded > 400);
	assert_true(built >= loaded - 5);
	assert_int_equal(with_errors, CORPUS_WITH_ERRORS);
}

/* A realistic stack from a file: what a database check would ask of it. */
static void test_fixture_clinic(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct diags d = {0};
	const char *path = "tests/model/data/clinic_db.yaml";
	struct node *root = load_file(path, a, &d);
	assert_non_null(root);
	struct model_options opt = {0};
	struct stack *s = model_build(root, path, &opt, a, &d);
	assert_non_null(s);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(s->nres, 5);
	assert_int_equal(stack_condition(s, "IsProd"), YES);
	assert_int_equal(stack_condition(s, "HasKey"), NO);
	struct resource *db = stack_find(s, "Db");
	assert_non_null(db);
	assert_int_equal(val_is_true(val_get(db->props, "StorageEncrypted")), YES);
	assert_null(val_get(db->props, "KmsKeyId")); /* AWS::NoValue */
	double days = 0;
	assert_int_equal(val_number(val_get(db->props, "BackupRetentionPeriod"), &days), YES);
	assert_true(days == 35);
	struct value *pw = val_get(db->props, "MasterUserPassword");
	assert_int_equal(pw->kind, VAL_UNKNOWN);
	assert_true(pw->secure_ref);
	assert_string_equal(pw->param, "DbPassword");
	assert_int_equal(val_get(db->props, "DBSubnetGroupName")->kind, VAL_REF);
	assert_int_equal(db->nskips, 1);
	assert_string_equal(db->skips[0].id, "F80");
	struct value *subnets = val_get(stack_find(s, "DbSubnets")->props, "SubnetIds");
	assert_int_equal(subnets->kind, VAL_UNKNOWN);
	assert_string_equal(subnets->param, "Subnets");
	assert_true(val_get(stack_find(s, "AppSecret")->props, "SecretString")->secure_ref);
	struct value *st = val_path(stack_find(s, "ReadPolicy")->props, "PolicyDocument.Statement");
	assert_int_equal(val_len(st), 2);
	struct value *r0 = val_get(val_item(st, 0), "Resource");
	assert_int_equal(r0->kind, VAL_UNKNOWN);
	assert_string_equal(r0->s, "arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${Db}/clinic");
	assert_int_equal(r0->nrefs, 1);
	struct value *r1 = val_get(val_item(st, 1), "Resource");
	assert_string_equal(r1->s, "arn:aws:secretsmanager:*:*:secret:${AppSecret}*");
	assert_int_equal(stack_find(s, "ProdQueue")->deployed, YES);
	diags_free(&d);
	arena_free(a);
}

static void test_odd_resources(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Transform: AWS::LanguageExtensions\n"
			  "Parameters:\n  Open:\n    Type: String\n"
			  "Conditions:\n  U: !Equals [!Ref Open, x]\n"
			  "Resources:\n"
			  "  List:\n    Type: AWS::S3::Bucket\n    Properties: [a]\n"
			  "  Undecided:\n    Type: AWS::S3::Bucket\n    Properties: !If [U, {A: 1}, {A: 2}]\n"
			  "  'Fn::ForEach::Buckets':\n    - Name\n    - [a, b]\n    - '${Name}':\n        Type: AWS::S3::Bucket\n"
			  "  Scalar: just a string\n"
			  "  BadCond:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n");
	assert_non_null(h.stack);
	assert_int_equal(h.stack->nres, 3);
	assert_int_equal(stack_find(h.stack, "List")->props->kind, VAL_MAP);
	assert_non_null(find_diag(&h.diags, "resource List: Properties must be a mapping"));
	const struct diag *dg = find_diag(&h.diags, "Properties decided only at deploy");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_WARNING);
	dg = find_diag(&h.diags, "Fn::ForEach::Buckets is not expanded");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_WARNING);
	assert_non_null(find_diag(&h.diags, "resource Scalar has no Type"));
	assert_non_null(find_diag(&h.diags, "resource BadCond: condition 'Nope' is not defined"));
	assert_int_equal(stack_find(h.stack, "BadCond")->deployed, MAYBE);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_a_template),
		cmocka_unit_test(test_resources_in_order),
		cmocka_unit_test(test_sam_transform),
		cmocka_unit_test(test_condition_on_resource),
		cmocka_unit_test(test_depends_on),
		cmocka_unit_test(test_suppressions),
		cmocka_unit_test(test_resource_cycle),
		cmocka_unit_test(test_big_cycle_bounded),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_param_override),
		cmocka_unit_test(test_odd_resources),
		cmocka_unit_test(test_fixture_clinic),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
