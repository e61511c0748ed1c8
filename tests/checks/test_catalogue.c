/*
 * test_catalogue.c - the catalogue and the checks driver, for every check
 * at once (the lists come from the catalogue itself, never from a list of
 * IDs here): rows complete and sorted, every ID and alias naming its check,
 * each row's resource types visited and its related types not, the driver
 * on a template (enabled checks only, template order, undecided resources
 * included, SAM types not visited without the transform, "*" rows on every
 * type), and suppressions that name no check warned about.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "checks/check.h"
#include "checks/run.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Call fn on each entry of a comma-separated list. */
static void each_name(const char *list, void (*fn)(const char *name, void *ctx), void *ctx)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		if (*t)
			fn(t, ctx);
	}
}

static void test_rows(void **state)
{
	(void)state;
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	size_t tables = checks_iam_count + checks_iam_access_count + checks_network_count + checks_api_count +
			checks_encryption_count + checks_secrets_count + checks_monitoring_count +
			checks_resilience_count;
	assert_int_equal(n, tables);
	for (size_t i = 0; i < n; i++) {
		const struct check *c = all[i];
		assert_true((unsigned)c->layer < LAYER_COUNT);
		harness_assert_check_complete(c, c->layer);
		assert_string_not_equal(layer_name(c->layer), "?");
		assert_string_not_equal(layer_title(c->layer), "?");
		assert_string_not_equal(severity_name(c->severity), "?");
		assert_ptr_equal(catalogue_find(c->id), c);
		if (i)
			assert_true(strcmp(all[i - 1]->id, c->id) < 0); /* sorted, no ID twice */
	}
}

struct names_ctx {
	const struct check *c;
	size_t n;
};

static void names_match(const char *name, void *vctx)
{
	struct names_ctx *x = vctx;
	assert_true(check_matches(x->c, name));
	char near[NEAREST_NAME_MAX];
	catalogue_nearest(name, near, sizeof near);
	assert_true(!strcasecmp(near, name)); /* a real name is its own nearest */
	x->n++;
}

/* Every ID and alias of every check names it (and --checks / suppressions can use it). */
static void test_names(void **state)
{
	(void)state;
	size_t n, aliases = 0;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < n; i++) {
		struct names_ctx x = {all[i], 0};
		names_match(all[i]->id, &x);
		const char *fields[] = {all[i]->checkov, all[i]->kics,  all[i]->kics_tf, all[i]->cfn_nag,
					all[i]->cdk_nag, all[i]->trivy, all[i]->guard,   all[i]->fsbp};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
			each_name(fields[k], names_match, &x);
		aliases += x.n - 1;
		assert_false(check_matches(all[i], "RMP-NOPE-999"));
	}
	assert_true(aliases > 0);
}

struct visit_ctx {
	size_t i;
	bool expect;
};

static void visit_type(const char *type, void *vctx)
{
	struct visit_ctx *v = vctx;
	int t = catalogue_type_index(type);
	if (v->expect)
		assert_true(t >= 0);
	if (t >= 0 || v->expect)
		assert_int_equal(catalogue_visits(v->i, t), v->expect);
}

/* Each each() row visits its resource_types, and not its related types; run() rows visit nothing. */
static void test_visits(void **state)
{
	(void)state;
	size_t n, every = 0;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < n; i++) {
		const struct check *c = all[i];
		if (c->run) {
			assert_false(catalogue_visits(i, -1));
			assert_false(catalogue_visits(i, catalogue_type_index("AWS::Lambda::Function")));
			continue;
		}
		if (!strcmp(c->resource_types, "*")) {
			every++;
			assert_true(catalogue_visits(i, -1));
			assert_true(catalogue_visits(i, catalogue_type_index("AWS::DynamoDB::Table")));
			continue;
		}
		struct visit_ctx yes = {i, true}, no = {i, false};
		each_name(c->resource_types, visit_type, &yes);
		assert_false(catalogue_visits(i, -1));
		/* Related types are read, not visited (unless the row also lists them). */
		char related[1024];
		snprintf(related, sizeof related, "%s", c->related_types ? c->related_types : "");
		for (char *save = NULL, *t = strtok_r(related, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (!strstr(c->resource_types, t))
				visit_type(t, &no);
	}
	assert_true(every > 0);
	assert_int_equal(catalogue_type_index("AWS::Nothing::Here"), -1);
	assert_int_equal(catalogue_type_index(NULL), -1);
	assert_false(catalogue_visits(n, -1));
}

/* Two functions written B then A, one of them under an undecided condition. */
static const char functions[] =
	"Parameters:\n"
	"  Env: {Type: String}\n"
	"Conditions:\n"
	"  IsProd: !Equals [!Ref Env, prod]\n"
	"Resources:\n"
	"  B:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Condition: IsProd\n"
	"    Properties: {Runtime: python3.13, Handler: a.b, Code: {ZipFile: x}, Role: arn:aws:iam::1:role/r}\n"
	"  A:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties: {Runtime: python3.13, Handler: a.b, Code: {ZipFile: x}, Role: arn:aws:iam::1:role/r}\n";

static void test_driver_order(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-LMB-002", functions);
	/* Only the enabled check ran; it visited both functions, in template order (findings unsorted here). */
	assert_int_equal(h.findings.n, 2);
	assert_string_equal(h.findings.v[0].resource, "B");
	assert_false(h.findings.v[0].certain); /* deployed only if IsProd */
	assert_string_equal(h.findings.v[1].resource, "A");
	assert_true(h.findings.v[1].certain);
	for (size_t i = 0; i < h.findings.n; i++)
		assert_string_equal(h.findings.v[i].check->id, "RMP-LMB-002");
	harness_free(&h);

	/* All checks: each one's findings are made together, in catalogue order. */
	harness_run(&h, NULL, functions);
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	size_t last = 0;
	for (size_t i = 0; i < h.findings.n; i++) {
		size_t k = 0;
		while (k < n && all[k] != h.findings.v[i].check)
			k++;
		assert_true(k < n && k >= last);
		last = k;
	}
	harness_free(&h);
}

/* A SAM type is read through its expansion: without the transform, nothing expands and it is not visited. */
static void test_driver_sam_types(void **state)
{
	(void)state;
	const char *untransformed = "Resources:\n"
				    "  Fn:\n"
				    "    Type: AWS::Serverless::Function\n"
				    "    Properties: {Runtime: python3.13, Handler: a.b, InlineCode: x}\n";
	assert_non_null(strstr(catalogue_find("RMP-LMB-002")->related_types, "AWS::Serverless::Function"));
	assert_int_equal(harness_count("RMP-LMB-002", untransformed), 0);
	char transformed[512];
	snprintf(transformed, sizeof transformed, "Transform: AWS::Serverless-2016-10-31\n%s", untransformed);
	assert_int_equal(harness_count("RMP-LMB-002", transformed), 1);
}

/* A "*" row (RMP-SEC-003) visits resources of a type no other row names. */
static void test_driver_every_type(void **state)
{
	(void)state;
	const char *t = "Resources:\n"
			"  Cache:\n"
			"    Type: AWS::ElastiCache::ReplicationGroup\n"
			"    Properties:\n"
			"      ReplicationGroupDescription: cache\n"
			"      AuthToken: AKIAIOSFODNN7EXAMPLE\n";
	assert_int_equal(catalogue_type_index("AWS::ElastiCache::ReplicationGroup"), -1);
	assert_int_equal(harness_count("RMP-SEC-003", t), 1);
}

/* ---- suppressions that name no check ---- */

static const char suppressions[] =
	"Transform: AWS::Serverless-2016-10-31\n"                  /* 1 */
	"Resources:\n"                                             /* 2 */
	"  Table:\n"                                               /* 3 */
	"    Type: AWS::DynamoDB::Table\n"                         /* 4 */
	"    Metadata:\n"                                          /* 5 */
	"      rampart:\n"                                         /* 6 */
	"        skip:\n"                                          /* 7 */
	"          - id: RMP-DDB-01\n"                             /* 8: typo */
	"            reason: typo\n"                               /* 9 */
	"          - RMP-DDB-002\n"                                /* 10: fine */
	"          - RMP-ddb-003\n"                                /* 11: fine, case */
	"      checkov:\n"                                         /* 12 */
	"        skip:\n"                                          /* 13 */
	"          - id: CKV_AWS_28\n"                             /* 14: fine */
	"          - id: CKV_AWS_2B\n"                             /* 15: typo */
	"      cfn_nag:\n"                                         /* 16 */
	"        rules_to_suppress:\n"                             /* 17 */
	"          - {id: W74, reason: fine}\n"                    /* 18 */
	"          - {id: W7B, reason: typo}\n"                    /* 19 */
	"    Properties:\n"                                        /* 20 */
	"      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"  /* 21 */
	"  Fn:\n"                                                  /* 22 */
	"    Type: AWS::Serverless::Function\n"                    /* 23 */
	"    Metadata:\n"                                          /* 24 */
	"      rampart:\n"                                         /* 25 */
	"        skip: [RMP-LMB-02]\n"                             /* 26: typo, on a SAM resource */
	"    Properties: {Runtime: python3.13, Handler: a.b, InlineCode: x}\n";

static const struct diag *warning_at(const struct diags *d, int line)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_WARNING && d->v[i].line == line && strstr(d->v[i].msg, "suppression"))
			return &d->v[i];
	return NULL;
}

static void test_unknown_suppressions(void **state)
{
	(void)state;
	struct harness h;
	harness_run(&h, "RMP-DDB-001", suppressions);
	size_t warned = 0;
	for (size_t i = 0; i < h.diags.n; i++)
		if (h.diags.v[i].level == DIAG_WARNING && strstr(h.diags.v[i].msg, "names no rampart check"))
			warned++;
	/* Four typos, each once: the SAM function's list is shared by what it generates. */
	assert_int_equal(warned, 4);
	const struct diag *w = warning_at(&h.diags, 8);
	assert_non_null(w);
	assert_int_equal(w->col, 17); /* at the ID, not the list item */
	assert_string_equal(w->file, "test.yaml");
	assert_non_null(strstr(w->msg, "RMP-DDB-01 "));
	assert_non_null(strstr(w->msg, "nearest: RMP-DDB-001"));
	w = warning_at(&h.diags, 15);
	assert_non_null(w);
	assert_non_null(strstr(w->msg, "nearest: CKV_AWS_2"));
	w = warning_at(&h.diags, 19);
	assert_non_null(w);
	assert_non_null(strstr(w->msg, "W7B"));
	w = warning_at(&h.diags, 26);
	assert_non_null(w);
	assert_int_equal(w->col, 16);
	assert_non_null(strstr(w->msg, "nearest: RMP-LMB-002"));
	/* The real IDs and aliases still suppress, and are not warned about. */
	assert_null(warning_at(&h.diags, 10));
	assert_null(warning_at(&h.diags, 11));
	assert_null(warning_at(&h.diags, 14));
	assert_null(warning_at(&h.diags, 18));
	assert_int_equal(h.findings.n, 1);
	assert_true(h.findings.v[0].suppressed); /* CKV_AWS_28 is RMP-DDB-001 */
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_visits),
		cmocka_unit_test(test_driver_order),
		cmocka_unit_test(test_driver_sam_types),
		cmocka_unit_test(test_driver_every_type),
		cmocka_unit_test(test_unknown_suppressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
