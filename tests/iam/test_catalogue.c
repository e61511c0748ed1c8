/*
 * test_catalogue.c - the generated IAM action catalogue and its lookups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iam/catalogue.h"

#include <string.h>
#include <strings.h>

static void test_find_is_case_insensitive(void **st)
{
	(void)st;
	const struct iam_action_info *a = iam_action_find("DynamoDB:GetItem");
	assert_non_null(a);
	assert_string_equal(a->name, "dynamodb:getitem");
	assert_true(a->levels & IAM_LEVEL_READ);
	assert_string_equal(a->resource_types, "table");
	assert_null(iam_action_find("dynamodb:GetItemz"));
	assert_null(iam_action_find("prowler:action"));
}

/* Output spells actions as AWS does; lookups still ignore case. */
static void test_display_spelling(void **st)
{
	(void)st;
	const struct iam_action_info *a = iam_action_find("DYNAMODB:putitem");
	assert_non_null(a);
	assert_string_equal(a->name, "dynamodb:putitem");
	assert_string_equal(a->display, "dynamodb:PutItem");
	a = iam_action_find("s3:putobject");
	assert_non_null(a);
	assert_string_equal(a->display, "s3:PutObject");
	a = iam_action_find("iam:listmfadevices");
	assert_non_null(a);
	assert_string_equal(a->display, "iam:ListMFADevices");
	/* every display is its name up to case, with the service prefix as is */
	for (size_t i = 0; i < iam_catalogue_count; i++) {
		const char *n = iam_catalogue[i].name, *d = iam_catalogue[i].display;
		assert_non_null(d);
		assert_int_equal(strlen(d), strlen(n));
		assert_true(strcasecmp(d, n) == 0);
		size_t sl = strcspn(n, ":");
		assert_memory_equal(d, n, sl + 1);
		assert_true(d[sl + 1] != '\0');
	}
}

static void test_compound_access_levels_split(void **st)
{
	(void)st;
	const struct iam_action_info *a = iam_action_find("iam:PutRolePolicy");
	assert_non_null(a);
	assert_true(a->levels & IAM_LEVEL_PERMISSIONS);
	assert_true(a->levels & IAM_LEVEL_WRITE);
	const struct iam_action_info *t = iam_action_find("dynamodb:TagResource");
	assert_non_null(t);
	assert_true(t->levels & IAM_LEVEL_TAGGING);
}

static bool count_fn(const struct iam_action_info *a, void *ctx)
{
	(void)a;
	(*(size_t *)ctx)++;
	return true;
}

static void test_pattern_matching(void **st)
{
	(void)st;
	size_t n = 0;
	iam_actions_matching("dynamodb:Get*", count_fn, &n);
	assert_true(n >= 3); /* GetItem, GetRecords, GetResourcePolicy, ... */
	size_t all = 0;
	iam_actions_matching("*", count_fn, &all);
	assert_int_equal(all, iam_catalogue_count);
	assert_true(iam_catalogue_count > 20000);
	size_t none = 0;
	iam_actions_matching("prowler:*", count_fn, &none);
	assert_int_equal(none, 0);
	assert_true(iam_service_known("kms", 3));
	assert_false(iam_service_known("prowler", 7));
}

static void test_levels_granted(void **st)
{
	(void)st;
	const char *read[] = {"dynamodb:GetItem", "dynamodb:Query"};
	assert_int_equal(iam_levels_granted(read, 2, false), IAM_LEVEL_READ);
	const char *iam[] = {"iam:*"};
	assert_true(iam_levels_granted(iam, 1, false) & IAM_LEVEL_PERMISSIONS);
	/* NotAction: the complement grants everything else, permissions management included (E19, E20). */
	const char *s3[] = {"s3:*"};
	assert_true(iam_levels_granted(s3, 1, true) & IAM_LEVEL_PERMISSIONS);
}

static void test_sorted(void **st)
{
	(void)st;
	for (size_t i = 1; i < iam_catalogue_count; i++)
		assert_true(strcmp(iam_catalogue[i - 1].name, iam_catalogue[i].name) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_is_case_insensitive), cmocka_unit_test(test_display_spelling),
		cmocka_unit_test(test_compound_access_levels_split),
		cmocka_unit_test(test_pattern_matching), cmocka_unit_test(test_levels_granted), cmocka_unit_test(test_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
