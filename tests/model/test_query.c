/*
 * test_query.c - model/query.h on properties built by the real loader and
 * model: paths through maps, Fn::If on an undecided condition anywhere on
 * the way (YES/NO only when the alternatives agree), maps unknown as a
 * whole (MAYBE), absent members, list items (query_any, query_each_item)
 * and the text of unknown values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "model/query.h"

#include <stdio.h>
#include <string.h>

/* One resource R whose Properties are `props` (YAML lines indented by 6). */
#define TEMPLATE(props)                              \
	"Parameters:\n"                              \
	"  Env: {Type: String}\n"                    \
	"  Conf: {Type: String}\n"                   \
	"Conditions:\n"                              \
	"  IsProd: !Equals [!Ref Env, prod]\n"       \
	"Resources:\n"                               \
	"  Other:\n"                                 \
	"    Type: AWS::SNS::Topic\n"                \
	"  R:\n"                                     \
	"    Type: AWS::DynamoDB::Table\n"           \
	"    Properties:\n" props

/* Build the template and return R's properties (the harness is freed by the caller). */
static const struct value *props(struct harness *h, const char *text)
{
	harness_model(h, text);
	assert_non_null(h->stack);
	const struct resource *r = stack_find(h->stack, "R");
	assert_non_null(r);
	return r->props;
}

static void test_paths(void **state)
{
	(void)state;
	struct harness h;
	const struct value *p = props(&h, TEMPLATE("      A: {B: {C: true, D: 'false', E: '', F: [], G: Hello}}\n"
						  "      S: text\n"));
	assert_int_equal(query_true(p, "A.B.C"), YES);
	assert_int_equal(query_true(p, "A.B.D"), NO);
	assert_int_equal(query_true(p, "A.B.Missing"), NO);
	assert_int_equal(query_true(p, "Missing.B.C"), NO);
	assert_int_equal(query_unset(p, "A.B.E"), YES);
	assert_int_equal(query_unset(p, "A.B.F"), YES);
	assert_int_equal(query_unset(p, "A.B.Missing"), YES);
	assert_int_equal(query_unset(p, "A.B.C"), NO);
	assert_int_equal(query_unset(p, "A"), NO);
	/* Through a value that is not a map: absent. */
	assert_int_equal(query_unset(p, "S.X"), YES);
	assert_int_equal(query_equals_ci(p, "A.B.G", "HELLO"), YES);
	assert_int_equal(query_at(p, "A.B.G", query_eq, "HELLO"), NO);
	assert_int_equal(query_at(p, "A.B.G", query_eq, "Hello"), YES);
	/* "" asks about the value itself. */
	assert_int_equal(query_unset(p, ""), NO);
	assert_int_equal(query_unset(NULL, ""), YES);
	harness_free(&h);
}

static void test_choice_on_the_way(void **state)
{
	(void)state;
	struct harness h;
	/* The map holding the property is itself chosen by Fn::If. */
	const struct value *p = props(&h, TEMPLATE("      Agree: !If [IsProd, {On: true}, {On: 'true'}]\n"
						  "      Differ: !If [IsProd, {On: true}, {On: false}]\n"
						  "      Removed: !If [IsProd, {On: true}, !Ref AWS::NoValue]\n"
						  "      Leaf: {On: !If [IsProd, true, false]}\n"));
	assert_int_equal(query_true(p, "Agree.On"), YES);
	assert_int_equal(query_true(p, "Differ.On"), MAYBE);
	assert_int_equal(query_true(p, "Removed.On"), MAYBE);
	assert_int_equal(query_unset(p, "Removed.On"), MAYBE);
	assert_int_equal(query_true(p, "Leaf.On"), MAYBE);
	/* val_path cannot see through the choice: that is what query_* is for. */
	assert_null(val_path(p, "Differ.On"));
	harness_free(&h);
}

static void test_unknown_map(void **state)
{
	(void)state;
	struct harness h;
	/* A map given as a whole by a parameter or an attribute: its members are unknown. */
	const struct value *p = props(&h, TEMPLATE("      FromParam: !Ref Conf\n"
						  "      FromAttr: !GetAtt Other.TopicName\n"
						  "      Set: !Ref Conf\n"));
	assert_int_equal(query_true(p, "FromParam.On"), MAYBE);
	assert_int_equal(query_unset(p, "FromParam.On"), MAYBE);
	assert_int_equal(query_unset(p, "FromAttr.On"), MAYBE);
	/* The unknown value itself is set, and not known to be true. */
	assert_int_equal(query_unset(p, "Set"), NO);
	assert_int_equal(query_true(p, "Set"), MAYBE);
	harness_free(&h);
}

static enum tri k_is(const struct value *item, const void *s)
{
	return query_at(item, "K", query_eq, s);
}

static void test_any(void **state)
{
	(void)state;
	struct harness h;
	const struct value *p = props(&h, TEMPLATE("      L: [a, B, c]\n"
						  "      One: b\n"
						  "      Maybe: [a, !Ref Conf]\n"
						  "      Alt: !If [IsProd, [a, b], [b]]\n"
						  "      AltDiffer: !If [IsProd, [a], [b]]\n"
						  "      ItemAlt: [!If [IsProd, b, a]]\n"
						  "      Whole: !Ref Conf\n"
						  "      Deep: {L: [{K: x}, {K: y}]}\n"));
	assert_int_equal(query_any(p, "L", query_eq_ci, "b"), YES);
	assert_int_equal(query_any(p, "L", query_eq, "b"), NO);
	assert_int_equal(query_any(p, "One", query_eq, "b"), YES);
	assert_int_equal(query_any(p, "Missing", query_eq, "b"), NO);
	assert_int_equal(query_any(p, "Maybe", query_eq, "b"), MAYBE);
	assert_int_equal(query_any(p, "Maybe", query_eq, "a"), YES);
	assert_int_equal(query_any(p, "Alt", query_eq, "b"), YES);
	assert_int_equal(query_any(p, "AltDiffer", query_eq, "b"), MAYBE);
	assert_int_equal(query_any(p, "AltDiffer", query_eq, "z"), NO);
	assert_int_equal(query_any(p, "ItemAlt", query_eq, "b"), MAYBE);
	assert_int_equal(query_any(p, "Whole", query_eq, "b"), MAYBE);
	/* Items that are maps, asked by path. */
	assert_int_equal(query_any(p, "Deep.L", k_is, "y"), YES);
	assert_int_equal(query_any(p, "Deep.L", k_is, "z"), NO);
	harness_free(&h);
}

struct item_trace {
	char seen[128];
	size_t n, stop_after;
};

static bool trace_item(const struct value *item, bool chosen, void *ctx)
{
	struct item_trace *t = ctx;
	const char *s = query_text(item);
	size_t len = strlen(t->seen);
	snprintf(t->seen + len, sizeof t->seen - len, "%s%s%s", len ? "," : "", s ? s : "?", chosen ? "*" : "");
	return ++t->n == t->stop_after;
}

static void test_each_item(void **state)
{
	(void)state;
	struct harness h;
	const struct value *p = props(&h, TEMPLATE("      L: [a, [b, c], !If [IsProd, d, e], null, {K: v}]\n"
						  "      One: x\n"
						  "      Sub: !Sub 'arn:aws:s3:::${Conf}/*'\n"));
	struct item_trace t = {"", 0, 0};
	assert_false(query_each_item(val_get(p, "L"), trace_item, &t));
	/* Nested lists flattened, alternatives marked, null skipped, a map passed as an item. */
	assert_string_equal(t.seen, "a,b,c,d*,e*,?");
	struct item_trace one = {"", 0, 0};
	query_each_item(val_get(p, "One"), trace_item, &one);
	assert_string_equal(one.seen, "x");
	struct item_trace stop = {"", 0, 2};
	assert_true(query_each_item(val_get(p, "L"), trace_item, &stop));
	assert_string_equal(stop.seen, "a,b");
	assert_false(query_each_item(NULL, trace_item, &stop));
	/* The text of an unknown is the expression as written. */
	const char *sub = query_text(val_get(p, "Sub"));
	assert_non_null(sub);
	assert_non_null(strstr(sub, "arn:aws:s3:::"));
	assert_null(query_text(val_get(p, "L")));
	assert_true(query_absent(NULL));
	assert_false(query_absent(val_get(p, "One")));
	harness_free(&h);
}

/* Nesting beyond QUERY_MAX_DEPTH answers MAYBE, never a guess. */
static void test_depth(void **state)
{
	(void)state;
	char path[4 * (QUERY_MAX_DEPTH + 4)] = "";
	char yaml[8192] = "";
	size_t off = 0, poff = 0;
	off += (size_t)snprintf(yaml + off, sizeof yaml - off, "%s", TEMPLATE(""));
	for (int i = 0; i < QUERY_MAX_DEPTH + 2; i++) {
		off += (size_t)snprintf(yaml + off, sizeof yaml - off, "%*sK:\n", 6 + 2 * i, "");
		poff += (size_t)snprintf(path + poff, sizeof path - poff, "%sK", i ? "." : "");
	}
	off += (size_t)snprintf(yaml + off, sizeof yaml - off, "%*sOn: true\n", 6 + 2 * (QUERY_MAX_DEPTH + 2), "");
	snprintf(path + poff, sizeof path - poff, ".On");
	struct harness h;
	const struct value *p = props(&h, yaml);
	assert_non_null(val_path(p, path));
	assert_int_equal(query_true(p, path), MAYBE);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),	     cmocka_unit_test(test_choice_on_the_way),
		cmocka_unit_test(test_unknown_map), cmocka_unit_test(test_any),
		cmocka_unit_test(test_each_item),   cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
