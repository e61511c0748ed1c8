/*
 * test_values_memory.c - what resolved values cost: Fn::Join over a list
 * written in the template reads its items in place (a million strings
 * cost no value each), gives the same strings as before (AWS::NoValue
 * dropped, booleans as true/false, choices, secure references, wrong items
 * reported), and values past MODEL_MAX_VALUE_BYTES stay unknown with one
 * warning instead of growing without bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "core/arena.h"
#include "load/load.h"
#include "model/resolve.h"
#include "model/stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct value *prop(const struct harness *h, const char *key)
{
	assert_non_null(h->stack);
	return val_get(stack_find(h->stack, "R")->props, key);
}

static size_t errors_with(const struct diags *d, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].level == DIAG_ERROR && strstr(d->v[i].msg, needle) != NULL;
	return n;
}

static void test_join_written_list(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n  P: {Type: String, AllowedValues: [x, y]}\n"
			  "Conditions:\n  C: !Equals [!Ref P, x]\n"
			  "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
			  "      A: !Join [',', [a, !Ref AWS::NoValue, b, yes, 1.50]]\n"
			  "      B: !Join ['-', [x, !If [C, p, q]]]\n"
			  "      S: !Join ['', ['{{resolve:secretsmanager:db}}', '']]\n"
			  "      N: !Join [',', [a, ~]]\n"
			  "      L: !Join [',', [a, [b]]]\n"
			  "      E: !Join [',', []]\n");
	assert_string_equal(val_str(prop(&h, "A")), "a,b,true,1.50");
	const struct value *b = prop(&h, "B");
	assert_int_equal(b->kind, VAL_CHOICE);
	assert_int_equal(b->n, 2);
	assert_string_equal(val_str(b->items[0]), "x-p");
	assert_string_equal(val_str(b->items[1]), "x-q");
	assert_true(prop(&h, "S")->secure_ref);
	assert_string_equal(val_str(prop(&h, "E")), "");
	assert_int_equal(errors_with(&h.diags, "Fn::Join: a list item is a null"), 1);
	assert_int_equal(errors_with(&h.diags, "Fn::Join: a list item is a list"), 1);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 2);
	harness_free(&h);
}

/* A template whose TopicName joins n strings; returns the arena bytes the model took. */
static size_t join_cost(size_t n, struct harness *h)
{
	size_t cap = 200 + n * 5;
	char *t = malloc(cap);
	size_t len = (size_t)snprintf(t, cap, "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n"
						"      TopicName: !Join [',', [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len, "%si%02zu", i ? "," : "", i % 100);
	len += (size_t)snprintf(t + len, cap - len, "]]\n");
	memset(h, 0, sizeof *h);
	h->arena = arena_new();
	struct node *root = load_buffer("join.yaml", t, len, h->arena, &h->diags);
	free(t);
	assert_non_null(root);
	size_t before = arena_used(h->arena);
	struct model_options opt = {0};
	h->stack = model_build(root, "join.yaml", &opt, h->arena, &h->diags);
	assert_non_null(h->stack);
	return arena_used(h->arena) - before;
}

static void test_join_million_costs_no_value_per_item(void **state)
{
	(void)state;
	struct harness h;
	/* 1,000,000 items: the result (5 MB) is over MODEL_MAX_STRING and stays unknown */
	size_t cost = join_cost(1000000, &h);
	const struct value *v = prop(&h, "TopicName");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "result larger than 1 MB");
	/* before: a value (112 bytes) and a part per item, 200 MB; now a few kilobytes */
	print_message("model took %zu bytes for a million-item Fn::Join\n", cost);
	assert_true(cost < 1024 * 1024);
	harness_free(&h);
	/* 100,000 items: built, and right */
	cost = join_cost(100000, &h);
	v = prop(&h, "TopicName");
	assert_int_equal(v->kind, VAL_STRING);
	assert_int_equal(v->len, 100000 * 4 - 1);
	assert_memory_equal(v->s, "i00,i01,i02", 11);
	assert_true(cost < 2 * v->len + 64 * 1024);
	harness_free(&h);
}

static void test_values_bounded(void **state)
{
	(void)state;
	/* A mapping entry of 20,000 items copied by 40 FindInMaps is 800,000
	 * values: about 90 MB without a bound. */
	size_t n = 20000, calls = 40, cap = 200 + n * 5 + calls * 40;
	char *t = malloc(cap);
	size_t len = (size_t)snprintf(t, cap, "Mappings:\n  M:\n    K:\n      V: [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len, "%sabcd", i ? "," : "");
	len += (size_t)snprintf(t + len, cap - len, "]\nResources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      L:\n");
	for (size_t i = 0; i < calls; i++)
		len += (size_t)snprintf(t + len, cap - len, "        - !FindInMap [M, K, V]\n");
	struct harness h;
	memset(&h, 0, sizeof h);
	h.arena = arena_new();
	struct node *root = load_buffer("map.yaml", t, len, h.arena, &h.diags);
	free(t);
	size_t before = arena_used(h.arena);
	struct model_options opt = {0};
	h.stack = model_build(root, "map.yaml", &opt, h.arena, &h.diags);
	assert_non_null(h.stack);
	assert_true(arena_used(h.arena) - before < MODEL_MAX_VALUE_BYTES + 8 * 1024 * 1024);
	assert_int_equal(diag_count(&h.diags, DIAG_WARNING), 1);
	assert_non_null(strstr(h.diags.v[0].msg, "values take more than 48 MB"));
	/* the copies made before the bound are lists; the rest are unknown */
	const struct value *l = prop(&h, "L");
	assert_int_equal(l->n, calls);
	assert_int_equal(l->items[0]->kind, VAL_LIST);
	assert_int_equal(l->items[calls - 1]->kind, VAL_UNKNOWN);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_written_list),
		cmocka_unit_test(test_join_million_costs_no_value_per_item),
		cmocka_unit_test(test_values_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
