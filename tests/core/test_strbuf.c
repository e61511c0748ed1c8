/*
 * test_strbuf.c - the output buffer: formatting in place and when it must
 * grow, single characters at the capacity edge, and JSON string escaping
 * (runs of plain bytes, escapes, control bytes, UTF-8 kept or replaced).
 */
#include "core/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_printf_in_place_and_growing(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char want[20000] = "";
	size_t wn = 0;
	/* pieces of every length from 0 to 299 cross every capacity edge */
	for (int i = 0; i < 300 && wn < sizeof(want) - 400; i++) {
		char piece[400];
		int n = snprintf(piece, sizeof(piece), "%d:%.*s|", i, i,
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		memcpy(want + wn, piece, (size_t)n + 1);
		wn += (size_t)n;
		sb_printf(&sb, "%d:%.*s|", i, i,
			  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		assert_int_equal(sb.len, wn);
		assert_true(sb.cap > sb.len);
		assert_int_equal(sb.s[sb.len], '\0');
	}
	assert_string_equal(sb.s, want);
	sb_printf(&sb, "%s", ""); /* nothing added, still terminated */
	assert_int_equal(sb.len, wn);
	assert_int_equal(sb.s[sb.len], '\0');
	sb_free(&sb);
}

static void test_putc_at_capacity_edge(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 5000; i++) {
		sb_putc(&sb, (char)('a' + i % 26));
		assert_int_equal(sb.len, (size_t)i + 1);
		assert_int_equal(sb.s[sb.len], '\0');
		assert_int_equal(sb.s[i], 'a' + i % 26);
	}
	sb_free(&sb);
}

static void json(const char *in, size_t n, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "<");
	sb_json_strn(&sb, in, n);
	sb_puts(&sb, ">");
	assert_string_equal(sb.s, want);
	sb_free(&sb);
}

static void test_json_escaping(void **state)
{
	(void)state;
	json("plain text", 10, "<\"plain text\">");
	json("", 0, "<\"\">");
	json("a\"b\\c", 5, "<\"a\\\"b\\\\c\">");
	json("l1\nl2\r\tx", 8, "<\"l1\\nl2\\r\\tx\">");
	json("\x01\x1f\x7f", 3, "<\"\\u0001\\u001f\\u007f\">");
	json("caf\xc3\xa9 \xe2\x82\xac", 9, "<\"caf\xc3\xa9 \xe2\x82\xac\">"); /* UTF-8 kept */
	json("bad\xff\xc3", 5, "<\"bad\\ufffd\\ufffd\">");                      /* invalid: U+FFFD */
	json("nul\0in", 6, "<\"nul\\u0000in\">");
	/* one special byte at every place of a long string: the 16-byte
	 * scan must stop at it wherever it falls */
	const char specials[] = {'"', '\\', '\n', 0x7f, (char)0xff};
	const char *escaped[] = {"\\\"", "\\\\", "\\n", "\\u007f", "\\ufffd"};
	for (size_t sp = 0; sp < sizeof(specials); sp++)
		for (size_t at = 0; at < 40; at++) {
			char in[40], want[80];
			memset(in, 'a', sizeof(in));
			in[at] = specials[sp];
			snprintf(want, sizeof(want), "<\"%.*s%s%.*s\">", (int)at, in, escaped[sp],
				 (int)(39 - at), in + at + 1);
			json(in, sizeof(in), want);
		}
	struct strbuf sb = STRBUF_INIT;
	sb_json_str(&sb, NULL);
	assert_string_equal(sb.s, "\"\"");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printf_in_place_and_growing),
	    cmocka_unit_test(test_putc_at_capacity_edge),
	    cmocka_unit_test(test_json_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
