/*
 * test_sub_local_vars.c - Fn::Sub variables of the [string, {vars}] form
 * that stay unknown are written as what they stand for, so a policy ARN
 * built by a SAM policy template still names its table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"

#include <string.h>

static void test_unknown_local_variable_written_as_its_value(void **st)
{
	(void)st;
	struct harness h;
	harness_model(&h,
		      "Resources:\n"
		      "  T:\n    Type: AWS::DynamoDB::Table\n"
		      "  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
		      "      QueueName: !Sub ['${AWS::Region}-${tableName}-x', {tableName: !Ref T}]\n");
	assert_non_null(h.stack);
	const struct resource *q = stack_find(h.stack, "Q");
	const struct value *v = val_get(q->props, "QueueName");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_non_null(strstr(v->s, "${T}"));
	assert_null(strstr(v->s, "tableName"));
	assert_non_null(strstr(v->s, "${AWS::Region}"));
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_unknown_local_variable_written_as_its_value)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
