/*
 * test_jsonw.c - the streaming JSON writer: commas and layouts (compact,
 * pretty, lines, mixed), escaping, numbers at their limits, and every
 * misuse caught as an error that stops the output instead of a silently
 * wrong document.
 */
#include "core/jsonw.h"
#include "core/strbuf.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static void test_compact(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key_int(&w, "a", 1);
	jw_key(&w, "b");
	jw_array_begin(&w, JW_COMPACT);
	jw_uint(&w, 2);
	jw_string(&w, "x");
	jw_null(&w);
	jw_bool(&w, true);
	jw_bool(&w, false);
	jw_array_end(&w);
	jw_key(&w, "empty");
	jw_object_begin(&w, JW_COMPACT);
	jw_object_end(&w);
	jw_key_string_or_null(&w, "n", NULL);
	jw_key_string(&w, "s", NULL);
	jw_object_end(&w);
	assert_int_equal(jw_finish(&w), JW_OK);
	assert_string_equal(sb.s, "{\"a\":1,\"b\":[2,\"x\",null,true,false],\"empty\":{},\"n\":null,\"s\":\"\"}");
	sb_free(&sb);
}

static void test_pretty_with_compact_records(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_PRETTY);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "items");
	jw_array_begin(&w, JW_PRETTY);
	for (int i = 0; i < 2; i++) {
		jw_object_begin(&w, JW_COMPACT);
		jw_key_int(&w, "i", i);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "none");
	jw_array_begin(&w, JW_PRETTY);
	jw_array_end(&w);
	jw_key(&w, "deep");
	jw_object_begin(&w, JW_PRETTY);
	jw_key(&w, "list");
	jw_array_begin(&w, JW_PRETTY);
	jw_string(&w, "a");
	jw_array_end(&w);
	jw_object_end(&w);
	jw_object_end(&w);
	assert_int_equal(jw_finish(&w), JW_OK);
	assert_string_equal(sb.s, "{\n"
				  "  \"version\": 1,\n"
				  "  \"items\": [\n"
				  "    {\"i\":0},\n"
				  "    {\"i\":1}\n"
				  "  ],\n"
				  "  \"none\": [],\n"
				  "  \"deep\": {\n"
				  "    \"list\": [\n"
				  "      \"a\"\n"
				  "    ]\n"
				  "  }\n"
				  "}");
	sb_free(&sb);
}

static void test_lines(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key(&w, "d");
	jw_array_begin(&w, JW_LINES);
	jw_int(&w, 1);
	jw_int(&w, 2);
	jw_array_end(&w);
	jw_key(&w, "e");
	jw_array_begin(&w, JW_LINES);
	jw_array_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
	assert_string_equal(sb.s, "{\"d\":[\n1,\n2\n],\"e\":[\n]}\n");
	sb_free(&sb);
}

static void test_escaping_and_numbers(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;
	jw_init(&w, &sb);
	jw_array_begin(&w, JW_COMPACT);
	jw_string(&w, "q\"b\\n\n\x01");
	jw_stringn(&w, "ab\0c", 4);
	jw_int(&w, LLONG_MIN);
	jw_uint(&w, ULLONG_MAX);
	jw_array_end(&w);
	jw_done(&w);
	assert_string_equal(sb.s, "[\"q\\\"b\\\\n\\n\\u0001\",\"ab\\u0000c\",-9223372036854775808,"
				  "18446744073709551615]");
	/* keys are escaped too */
	sb_reset(&sb);
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key_bool(&w, "k\"", true);
	jw_object_end(&w);
	assert_string_equal(sb.s, "{\"k\\\"\":true}");
	sb_free(&sb);
}

/* Each misuse: the error, and nothing written from the bad call on. */
static void expect_error_stops(struct jw *w, struct strbuf *sb, enum jw_error e)
{
	size_t len = sb->len;
	assert_int_equal(jw_finish(w), e);
	jw_int(w, 1);
	jw_key(w, "k");
	jw_object_end(w);
	jw_array_end(w);
	assert_int_equal(sb->len, len);
	assert_int_equal(jw_finish(w), e);
	assert_non_null(jw_error_text(e));
}

static void test_misuse_is_an_error(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;

	jw_init(&w, &sb); /* a key in an array */
	jw_array_begin(&w, JW_COMPACT);
	jw_key(&w, "k");
	assert_string_equal(sb.s, "[");
	expect_error_stops(&w, &sb, JW_ERR_KEY);

	sb_reset(&sb); /* two keys in a row */
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key(&w, "a");
	jw_key(&w, "b");
	expect_error_stops(&w, &sb, JW_ERR_KEY);

	sb_reset(&sb); /* a value with no key */
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_string(&w, "v");
	assert_string_equal(sb.s, "{");
	expect_error_stops(&w, &sb, JW_ERR_NO_KEY);

	sb_reset(&sb); /* the wrong end, or an end after a key */
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_array_end(&w);
	expect_error_stops(&w, &sb, JW_ERR_MISMATCH);
	sb_reset(&sb);
	jw_init(&w, &sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key(&w, "a");
	jw_object_end(&w);
	expect_error_stops(&w, &sb, JW_ERR_MISMATCH);
	sb_reset(&sb);
	jw_init(&w, &sb);
	jw_array_end(&w);
	expect_error_stops(&w, &sb, JW_ERR_MISMATCH);

	sb_reset(&sb); /* a second document */
	jw_init(&w, &sb);
	jw_int(&w, 1);
	jw_int(&w, 2);
	assert_string_equal(sb.s, "1");
	expect_error_stops(&w, &sb, JW_ERR_SECOND);

	sb_reset(&sb); /* not finished, or nothing at all */
	jw_init(&w, &sb);
	assert_int_equal(jw_finish(&w), JW_ERR_INCOMPLETE);
	jw_object_begin(&w, JW_COMPACT);
	assert_int_equal(jw_finish(&w), JW_ERR_INCOMPLETE);
	sb_free(&sb);
}

static void test_depth_is_bounded(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct jw w;
	jw_init(&w, &sb);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_begin(&w, JW_COMPACT);
	assert_int_equal(w.err, JW_OK);
	assert_int_equal(sb.len, JW_MAX_DEPTH);
	jw_array_begin(&w, JW_COMPACT); /* one too many: refused, not written */
	assert_int_equal(sb.len, JW_MAX_DEPTH);
	expect_error_stops(&w, &sb, JW_ERR_DEPTH);

	/* exactly JW_MAX_DEPTH levels is a complete document */
	sb_reset(&sb);
	jw_init(&w, &sb);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_begin(&w, JW_COMPACT);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_end(&w);
	assert_int_equal(jw_finish(&w), JW_OK);
	assert_int_equal(sb.len, 2 * JW_MAX_DEPTH);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compact),
	    cmocka_unit_test(test_pretty_with_compact_records),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_escaping_and_numbers),
	    cmocka_unit_test(test_misuse_is_an_error),
	    cmocka_unit_test(test_depth_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
