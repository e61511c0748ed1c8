/*
 * test_yaml_numbers.c - YAML plain scalars typed as PyYAML types them
 * (YAML 1.1: octal 0777, hex, binary, base 60, floats with a dot and a
 * signed exponent; 1e5, 09 and -.5 are strings), values parsed over the
 * whole text with no truncation and no overflow, and !!int / !!float /
 * !!bool with text of another kind refused.
 */
#include "core/arena.h"
#include "load/load.h"
#include "load/number.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* The node `v: TEXT` loads to. */
static void check(const char *text, enum node_kind kind, double num)
{
	char doc[512];
	snprintf(doc, sizeof doc, "v: %s\n", text);
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_buffer("t.yaml", doc, strlen(doc), a, &d);
	assert_non_null(root);
	const struct node *v = node_get(root, "v");
	if (v->kind != kind || (kind == NODE_NUMBER && !(v->num == num || (isnan(num) && isnan(v->num))))) {
		print_error("%s: kind %s num %.17g, want %s %.17g\n", text, node_kind_name(v->kind), v->num,
			    node_kind_name(kind), num);
		fail();
	}
	assert_string_equal(v->str, text);
	diags_free(&d);
	arena_free(a);
}

static void test_pyyaml_typing(void **state)
{
	(void)state;
	check("0", NODE_NUMBER, 0);
	check("42", NODE_NUMBER, 42);
	check("-17", NODE_NUMBER, -17);
	check("+5", NODE_NUMBER, 5);
	check("1_000", NODE_NUMBER, 1000);
	check("0777", NODE_NUMBER, 511);   /* YAML 1.1 octal, as PyYAML */
	check("0x1F", NODE_NUMBER, 31);
	check("-0x10", NODE_NUMBER, -16);
	check("0b1010", NODE_NUMBER, 10);
	check("1:30", NODE_NUMBER, 90);     /* base 60 */
	check("1:30.5", NODE_NUMBER, 90.5);
	check("1.5", NODE_NUMBER, 1.5);
	check("1.", NODE_NUMBER, 1);
	check(".5", NODE_NUMBER, 0.5);
	check("1.5e+3", NODE_NUMBER, 1500);
	check("-.inf", NODE_NUMBER, -INFINITY);
	check(".nan", NODE_NUMBER, NAN);
	/* strings for PyYAML */
	check("09", NODE_STRING, 0);
	check("1e5", NODE_STRING, 0);
	check("1.5e3", NODE_STRING, 0);
	check("-.5", NODE_STRING, 0);
	check("0x", NODE_STRING, 0);
	check("0b", NODE_STRING, 0);
	check("0xG", NODE_STRING, 0);
	check("1:60", NODE_STRING, 0);
	check("0:30", NODE_STRING, 0);
	check("12abc", NODE_STRING, 0);
	check("-a", NODE_STRING, 0);
	check("1.2.3", NODE_STRING, 0);
	check("-.nan", NODE_STRING, 0);
	check("yes", NODE_BOOL, 0);
	check("~", NODE_NULL, 0);
}

static void test_values_whole_and_bounded(void **state)
{
	(void)state;
	/* 80 digits: the old 64-byte buffer cut the text and gave 1e63 */
	char digits[81];
	memset(digits, '9', 80);
	digits[80] = '\0';
	check(digits, NODE_NUMBER, 1e80);
	/* beyond a double: +-infinity with a warning, no undefined behaviour */
	char big[400] = "0x";
	memset(big + 2, 'f', 300);
	big[302] = '\0';
	double v;
	assert_int_equal(yaml_number(big, strlen(big), &v), NUM_RANGE);
	assert_true(isinf(v) && v > 0);
	assert_int_equal(yaml_number("1.0e+999", 8, &v), NUM_RANGE);
	assert_int_equal(yaml_number("1.0e-999", 8, &v), NUM_OK); /* underflow is zero, not an error */
	assert_true(v == 0);
	struct arena *a = arena_new();
	struct diags d = {0};
	const char *doc = "v: 1.0e+999\n";
	assert_non_null(load_buffer("t.yaml", doc, strlen(doc), a, &d));
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 4);
	diags_free(&d);
	arena_free(a);
}

static void test_tagged(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		int ok;
		double num;
	} cases[] = {
		{"v: !!int 0x10\n", 1, 16},
		{"v: !!float 1\n", 1, 1},
		{"v: !!float 1e5\n", 1, 1e5},
		{"v: !!int 1.5\n", 0, 0},
		{"v: !!int abc\n", 0, 0},
		{"v: !!float abc\n", 0, 0},
		{"v: !!bool maybe\n", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct arena *a = arena_new();
		struct diags d = {0};
		struct node *root = load_buffer("t.yaml", cases[i].doc, strlen(cases[i].doc), a, &d);
		if (cases[i].ok) {
			assert_non_null(root);
			assert_true(node_get(root, "v")->num == cases[i].num);
		} else {
			assert_null(root);
			assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
			assert_int_equal(d.v[0].line, 1);
			assert_int_equal(d.v[0].col, 4);
		}
		diags_free(&d);
		arena_free(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyyaml_typing),
		cmocka_unit_test(test_values_whole_and_bounded),
		cmocka_unit_test(test_tagged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
