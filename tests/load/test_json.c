/*
 * test_json.c - JSON is read strictly (RFC 8259): what YAML flow syntax
 * would accept (hex, octal, '+1', '.5', NaN, single quotes, unquoted keys,
 * trailing commas, comments) is an error at its line:col; valid JSON gives
 * the same tree the YAML reader gave (kinds, text, positions, escapes).
 */
#include "core/arena.h"
#include "load/load.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct run {
	struct arena *a;
	struct diags d;
	struct node *root;
};

static void load(struct run *r, const char *file, const char *text)
{
	r->a = arena_new();
	memset(&r->d, 0, sizeof r->d);
	r->root = load_buffer(file, text, strlen(text), r->a, &r->d);
}

static void done(struct run *r)
{
	diags_free(&r->d);
	arena_free(r->a);
}

/* The text must fail with one error at line:col whose message contains `needle`. */
static void expect_error(const char *text, int line, int col, const char *needle)
{
	struct run r;
	load(&r, "t.json", text);
	if (r.root || diag_count(&r.d, DIAG_ERROR) != 1) {
		print_error("accepted or several errors: %s\n", text);
		fail();
	}
	const struct diag *g = &r.d.v[0];
	for (size_t i = 0; i < r.d.n; i++)
		if (r.d.v[i].level == DIAG_ERROR)
			g = &r.d.v[i];
	if (g->line != line || g->col != col || !strstr(g->msg, needle)) {
		print_error("%s: got %d:%d %s, want %d:%d ...%s...\n", text, g->line, g->col, g->msg, line, col, needle);
		fail();
	}
	done(&r);
}

static void test_not_json(void **state)
{
	(void)state;
	expect_error("{\"a\": 0x10}", 1, 7, "hexadecimal");
	expect_error("{\"a\": 010}", 1, 7, "leading zeros");
	expect_error("{\"a\": +1}", 1, 7, "'+'");
	expect_error("{\"a\": .5}", 1, 7, "before '.'");
	expect_error("{\"a\": 1.}", 1, 7, "after '.'");
	expect_error("{\"a\": 1e}", 1, 7, "exponent");
	expect_error("{\"a\": NaN}", 1, 7, "NaN");
	expect_error("{\"a\": -Infinity}", 1, 7, "Infinity");
	expect_error("{\"a\": 'x'}", 1, 7, "double quotes");
	expect_error("{a: 1}", 1, 2, "double quotes");
	expect_error("{\"a\": 1,}", 1, 9, "trailing commas");
	expect_error("{\"a\": [1, 2,]}", 1, 13, "trailing commas");
	expect_error("{\"a\": 1} // note", 1, 10, "comments");
	expect_error("{\n  # note\n  \"a\": 1}", 2, 3, "comments");
	expect_error("{\"a\": 1 \"b\": 2}", 1, 9, "expected ','");
	expect_error("{\"a\" 1}", 1, 6, "expected ':'");
	expect_error("{\"a\": True}", 1, 7, "lower-case");
	expect_error("{\"a\": \"x\\q\"}", 1, 9, "invalid escape");
	expect_error("{\"a\": \"\\ud800\"}", 1, 8, "surrogate");
	expect_error("{\"a\": \"\\u12\"}", 1, 8, "four hexadecimal");
	expect_error("{\"a\": \"tab\there\"}", 1, 11, "control character");
	expect_error("{\"a\": \"\xff\"}", 1, 8, "UTF-8");
	expect_error("{\"a\": \"open", 1, 7, "closing quote");
	expect_error("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'");
	expect_error("{\"a\": 1", 1, 8, "'}' missing");
	expect_error("{\"a\": 1}}", 1, 9, "after the end");
	expect_error("{\"a\": 12abc}", 1, 7, "invalid number");
	/* columns count characters, not bytes */
	expect_error("{\"é\": 0x1}", 1, 7, "hexadecimal");
}

static void test_json_by_name_or_brace(void **state)
{
	(void)state;
	/* A .json name is JSON even when it does not start with '{'. */
	expect_error("[1, 2,]", 1, 7, "trailing commas");
	assert_true(load_is_json("x.JSON", "a: 1", 4));
	/* Text starting with '{' is JSON whatever its name. */
	assert_true(load_is_json("t.yaml", " \n\t{\"a\": 1}", 11));
	assert_true(load_is_json("t.yaml", "\xEF\xBB\xBF{}", 5));
	assert_false(load_is_json("t.yaml", "a: {b: 0x10}", 12));
	struct run r;
	load(&r, "t.yaml", "{\"a\": 0x10}");
	assert_null(r.root);
	assert_int_equal(diag_count(&r.d, DIAG_ERROR), 1);
	done(&r);
	/* YAML stays YAML: a flow mapping inside a block document may use hex. */
	load(&r, "t.yaml", "a: {b: 0x10}\n");
	assert_non_null(r.root);
	assert_int_equal(node_get(r.root, "a")->pairs[0].value->kind, NODE_NUMBER);
	assert_true(node_get(r.root, "a")->pairs[0].value->num == 16);
	done(&r);
}

static void test_valid_json_tree(void **state)
{
	(void)state;
	struct run r;
	load(&r, "t.json",
	     "\xEF\xBB\xBF{\n"
	     "  \"s\": \"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\",\n"
	     "  \"n\": -12.5e+2, \"z\": 0, \"big\": 1e400,\n"
	     "  \"t\": true, \"f\": false, \"nul\": null,\n"
	     "  \"l\": [1, \"1\", {}, []],\n"
	     "  \"dup\": 1, \"dup\": 2\n"
	     "}\n");
	assert_non_null(r.root);
	assert_int_equal(diag_count(&r.d, DIAG_ERROR), 0);
	/* one warning for the duplicate key, one for 1e400 */
	assert_int_equal(diag_count(&r.d, DIAG_WARNING), 2);
	const struct node *s = node_get(r.root, "s");
	assert_int_equal(s->kind, NODE_STRING);
	assert_true(s->quoted);
	assert_int_equal(s->len, strlen("a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80"));
	assert_memory_equal(s->str, "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80", s->len);
	assert_int_equal(s->pos.line, 2);
	assert_int_equal(s->pos.col, 8);
	const struct node *n = node_get(r.root, "n");
	assert_int_equal(n->kind, NODE_NUMBER);
	assert_string_equal(n->str, "-12.5e+2");
	assert_true(n->num == -1250);
	assert_int_equal(n->pos.line, 3);
	assert_int_equal(n->pos.col, 8);
	assert_int_equal(node_get(r.root, "t")->kind, NODE_BOOL);
	assert_true(node_get(r.root, "t")->boolean);
	assert_false(node_get(r.root, "f")->boolean);
	assert_int_equal(node_get(r.root, "nul")->kind, NODE_NULL);
	const struct node *l = node_get(r.root, "l");
	assert_int_equal(l->kind, NODE_SEQ);
	assert_int_equal(l->n, 4);
	assert_int_equal(l->items[1]->kind, NODE_STRING);
	assert_int_equal(l->items[2]->kind, NODE_MAP);
	assert_int_equal(l->items[3]->kind, NODE_SEQ);
	assert_true(node_get(r.root, "dup")->num == 2);
	assert_int_equal(r.root->pos.line, 1);
	assert_int_equal(r.root->pos.col, 1);
	done(&r);
	/* escaped NUL is kept, len is authoritative */
	load(&r, "t.json", "{\"k\": \"a\\u0000b\"}");
	assert_int_equal(node_get(r.root, "k")->len, 3);
	done(&r);
	load(&r, "t.json", "  \n ");
	assert_null(r.root);
	assert_string_equal(r.d.v[0].msg, "empty file");
	done(&r);
}

static void test_deep_json_bounded(void **state)
{
	(void)state;
	size_t n = 100000;
	char *t = malloc(2 * n + 1);
	memset(t, '[', n);
	memset(t + n, ']', n);
	t[2 * n] = '\0';
	struct run r;
	r.a = arena_new();
	memset(&r.d, 0, sizeof r.d);
	r.root = load_buffer("deep.json", t, 2 * n, r.a, &r.d);
	assert_null(r.root);
	assert_non_null(strstr(r.d.v[0].msg, "nesting deeper"));
	done(&r);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_json_by_name_or_brace),
		cmocka_unit_test(test_valid_json_tree),
		cmocka_unit_test(test_deep_json_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
