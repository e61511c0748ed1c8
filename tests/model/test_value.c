/*
 * test_value.c - value.h: construction, navigation, the tri-state questions
 * (strings as booleans, choices answering only when all alternatives agree,
 * unknowns answering MAYBE), val_number, val_render (bounded, parameters
 * shown by name) and val_each_alternative.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "model/value.h"

#include <string.h>

static const struct pos P = {"t.yaml", 3, 7};

static struct value *str(struct arena *a, const char *s)
{
	return val_string(a, s, strlen(s), P);
}

static struct value *num(struct arena *a, double d, const char *text)
{
	struct value *v = val_new(a, VAL_NUMBER, P);
	v->num = d;
	v->s = text;
	v->len = strlen(text);
	return v;
}

static struct value *choice(struct arena *a, struct value *x, struct value *y)
{
	struct value *v = val_new(a, VAL_CHOICE, P);
	v->items = arena_array(a, 2, sizeof *v->items);
	v->items[0] = x;
	v->items[1] = y;
	v->n = 2;
	return v;
}

static struct value *ref(struct arena *a, const char *id)
{
	struct value *v = val_new(a, VAL_REF, P);
	v->s = id;
	v->len = strlen(id);
	return v;
}

static void test_construction(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct value *s = val_string(a, "ab\0c", 4, P);
	assert_int_equal(s->kind, VAL_STRING);
	assert_int_equal(s->len, 4);
	assert_int_equal(s->pos.line, 3);
	assert_int_equal(s->pos.col, 7);
	assert_memory_equal(s->s, "ab\0c", 4);
	struct value *b = val_bool(a, true, P);
	assert_true(b->b);
	struct value *u = val_unknown(a, P, "!ImportValue X", "imported from another stack");
	assert_int_equal(u->kind, VAL_UNKNOWN);
	assert_string_equal(u->s, "!ImportValue X");
	assert_string_equal(u->why, "imported from another stack");
	assert_string_equal(val_kind_name(VAL_CHOICE), "choice");
	arena_free(a);
}

static void test_navigation(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct value *inner = val_new(a, VAL_MAP, P);
	inner->pairs = arena_array(a, 1, sizeof *inner->pairs);
	inner->pairs[0] = (struct vpair){"SSEEnabled", P, val_bool(a, true, P)};
	inner->n = 1;
	struct value *m = val_new(a, VAL_MAP, P);
	m->pairs = arena_array(a, 2, sizeof *m->pairs);
	m->pairs[0] = (struct vpair){"SSESpecification", P, inner};
	m->pairs[1] = (struct vpair){"Name", P, str(a, "t")};
	m->n = 2;
	assert_ptr_equal(val_get(m, "SSESpecification"), inner);
	assert_null(val_get(m, "Nope"));
	assert_null(val_get(NULL, "x"));
	assert_null(val_get(inner->pairs[0].v, "x"));
	assert_int_equal(val_path(m, "SSESpecification.SSEEnabled")->kind, VAL_BOOL);
	assert_null(val_path(m, "SSESpecification.Missing"));
	assert_null(val_path(m, "Name.Deeper"));
	assert_null(val_path(NULL, "a.b"));
	struct value *l = val_new(a, VAL_LIST, P);
	l->items = arena_array(a, 2, sizeof *l->items);
	l->items[l->n++] = str(a, "x");
	l->items[l->n++] = str(a, "y");
	assert_int_equal(val_len(l), 2);
	assert_int_equal(val_len(m), 0);
	assert_string_equal(val_str(val_item(l, 1)), "y");
	assert_null(val_item(l, 2));
	assert_null(val_item(m, 0));
	assert_null(val_str(l));
	assert_string_equal(val_str(num(a, 5, "5")), "5");
	assert_true(val_is_unknown(ref(a, "T")));
	assert_true(val_is_unknown(choice(a, str(a, "a"), str(a, "b"))));
	assert_false(val_is_unknown(l));
	assert_false(val_is_unknown(NULL));
	arena_free(a);
}

static void test_truth(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_int_equal(val_is_true(val_bool(a, true, P)), YES);
	assert_int_equal(val_is_false(val_bool(a, true, P)), NO);
	assert_int_equal(val_is_true(str(a, "TRUE")), YES);
	assert_int_equal(val_is_true(str(a, "False")), NO);
	assert_int_equal(val_is_false(str(a, "false")), YES);
	assert_int_equal(val_is_true(str(a, "yes")), NO);
	assert_int_equal(val_is_false(str(a, "yes")), NO);
	assert_int_equal(val_is_true(NULL), NO);
	assert_int_equal(val_is_false(NULL), NO);
	assert_int_equal(val_is_true(ref(a, "X")), MAYBE);
	assert_int_equal(val_is_false(val_unknown(a, P, "x", "y")), MAYBE);
	assert_int_equal(val_is_true(choice(a, val_bool(a, true, P), str(a, "true"))), YES);
	assert_int_equal(val_is_true(choice(a, val_bool(a, true, P), val_bool(a, false, P))), MAYBE);
	assert_int_equal(val_is_false(choice(a, val_bool(a, true, P), val_bool(a, true, P))), NO);
	/* nested choices flatten */
	struct value *nested = choice(a, val_bool(a, true, P), choice(a, str(a, "true"), val_bool(a, true, P)));
	assert_int_equal(val_is_true(nested), YES);
	assert_int_equal(val_is_true(choice(a, val_bool(a, true, P), ref(a, "X"))), MAYBE);
	arena_free(a);
}

static void test_equals(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_int_equal(val_equals(str(a, "PAY_PER_REQUEST"), "PAY_PER_REQUEST"), YES);
	assert_int_equal(val_equals(str(a, "pay_per_request"), "PAY_PER_REQUEST"), NO);
	assert_int_equal(val_equals_ci(str(a, "pay_per_request"), "PAY_PER_REQUEST"), YES);
	assert_int_equal(val_equals(str(a, "PAY"), "PAY_PER_REQUEST"), NO);
	assert_int_equal(val_equals(NULL, "x"), NO);
	assert_int_equal(val_equals(num(a, 1, "1"), "1"), YES);
	assert_int_equal(val_equals(ref(a, "T"), "x"), MAYBE);
	assert_int_equal(val_equals(choice(a, str(a, "a"), str(a, "a")), "a"), YES);
	assert_int_equal(val_equals(choice(a, str(a, "a"), str(a, "b")), "a"), MAYBE);
	assert_int_equal(val_equals(choice(a, str(a, "c"), str(a, "b")), "a"), NO);
	assert_int_equal(val_equals(val_new(a, VAL_LIST, P), "a"), NO);
	arena_free(a);
}

static void test_number(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	double d = 0;
	assert_int_equal(val_number(num(a, 7, "7"), &d), YES);
	assert_true(d == 7);
	assert_int_equal(val_number(str(a, "35"), &d), YES);
	assert_true(d == 35);
	assert_int_equal(val_number(str(a, "3.5"), &d), YES);
	assert_true(d == 3.5);
	assert_int_equal(val_number(str(a, "35 days"), &d), NO);
	assert_int_equal(val_number(str(a, ""), &d), NO);
	assert_int_equal(val_number(NULL, &d), NO);
	assert_int_equal(val_number(val_bool(a, true, P), &d), NO);
	assert_int_equal(val_number(ref(a, "X"), &d), MAYBE);
	assert_int_equal(val_number(choice(a, str(a, "4"), num(a, 4, "4")), &d), YES);
	assert_true(d == 4);
	assert_int_equal(val_number(choice(a, str(a, "4"), str(a, "5")), &d), MAYBE);
	arena_free(a);
}

static void test_render(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(val_render(a, str(a, "abc")), "\"abc\"");
	assert_string_equal(val_render(a, str(a, "a\"b\n")), "\"a\\\"b\\n\"");
	assert_string_equal(val_render(a, ref(a, "Tbl")), "!Ref Tbl");
	struct value *g = ref(a, "Tbl");
	g->attr = "Arn";
	assert_string_equal(val_render(a, g), "!GetAtt Tbl.Arn");
	assert_string_equal(val_render(a, val_unknown(a, P, "!ImportValue X", "imported")), "!ImportValue X");
	struct value *p = str(a, "s3cr3t-default");
	p->param = "DbPassword";
	assert_string_equal(val_render(a, p), "!Ref DbPassword");
	assert_string_equal(val_render(a, NULL), "(absent)");
	assert_string_equal(val_render(a, val_new(a, VAL_NULL, P)), "null");
	assert_string_equal(val_render(a, choice(a, str(a, "a"), val_bool(a, false, P))), "one of \"a\" | false");
	char big[400];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const char *r = val_render(a, str(a, big));
	assert_true(strlen(r) <= 130);
	assert_string_equal(r + strlen(r) - 3, "...");
	/* a long list is cut too */
	struct value *l = val_new(a, VAL_LIST, P);
	l->items = arena_array(a, 200, sizeof *l->items);
	for (int i = 0; i < 200; i++)
		l->items[l->n++] = str(a, "item");
	r = val_render(a, l);
	assert_true(strlen(r) <= 130);
	assert_int_equal(r[0], '[');
	arena_free(a);
}

static void count_alt(const struct value *v, void *ctx)
{
	(void)v;
	(*(int *)ctx)++;
}

static void test_each_alternative(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	int n = 0;
	val_each_alternative(str(a, "x"), count_alt, &n);
	assert_int_equal(n, 1);
	n = 0;
	val_each_alternative(choice(a, str(a, "a"), choice(a, str(a, "b"), val_new(a, VAL_NULL, P))), count_alt,
			     &n);
	assert_int_equal(n, 3);
	n = 0;
	val_each_alternative(NULL, count_alt, &n);
	assert_int_equal(n, 1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_construction),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_truth),
		cmocka_unit_test(test_equals),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_each_alternative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
