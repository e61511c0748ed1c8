/*
 * test_diag.c - diagnostic lines are never cut before their message: a
 * 5,000-byte file name is shortened in the middle (its start and the file
 * name at its end kept), never splitting a UTF-8 character, and the level
 * and message follow whole, on a stream, in a growable buffer, and in a
 * fixed buffer too small for the whole path.
 */
#include "core/diag.h"
#include "core/strbuf.h"
#include "core/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG "while parsing a flow sequence did not find expected ',' or ']'"

/* A 5,000-byte path of two-byte characters ending in /template.yaml. */
static char *long_path(void)
{
	size_t n = 5000;
	char *p = malloc(n + 1);
	assert_non_null(p);
	const char *tail = "/template.yaml";
	size_t tl = strlen(tail), i = 0;
	while (i + 2 <= n - tl) {
		p[i++] = '\xc3'; /* é */
		p[i++] = '\xa9';
	}
	while (i < n - tl)
		p[i++] = 'x';
	memcpy(p + i, tail, tl + 1);
	return p;
}

static void assert_valid_utf8(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
		assert_true(k > 0);
		i += k;
	}
}

static void check_line(const char *line, size_t max_path)
{
	const char *want = "template.yaml:3:7: error: " MSG;
	size_t n = strlen(line), wn = strlen(want);
	assert_true(n > wn);
	assert_string_equal(line + n - wn, want);     /* the message, whole */
	assert_non_null(strstr(line, "..."));          /* the path, shortened */
	assert_true(n - wn + strlen("template.yaml") <= max_path);
	assert_memory_equal(line, "\xc3\xa9", 2);      /* from its start */
	assert_valid_utf8(line);
}

static void test_long_path(void **st)
{
	(void)st;
	char *path = long_path();
	struct diags d = {0};
	struct pos p = {path, 3, 7};
	diag_error(&d, p, "%s", MSG);
	assert_string_equal(d.v[0].file, path); /* kept whole */

	struct strbuf sb = STRBUF_INIT;
	diag_append(&d.v[0], &sb);
	check_line(sb.s, DIAG_PATH_SHOWN);

	char buf[4096];
	diag_format(&d.v[0], buf, sizeof buf);
	check_line(buf, DIAG_PATH_SHOWN);
	char small[160]; /* too small for the path at all: the message stays */
	diag_format(&d.v[0], small, sizeof small);
	check_line(small, sizeof small);

	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(diags_print(&d, f), 1);
	rewind(f);
	char line[8192];
	assert_non_null(fgets(line, sizeof line, f));
	assert_int_equal(line[strlen(line) - 1], '\n');
	line[strlen(line) - 1] = '\0';
	check_line(line, DIAG_PATH_SHOWN);
	fclose(f);
	sb_free(&sb);
	diags_free(&d);
	free(path);
}

static void test_short_path_unchanged(void **st)
{
	(void)st;
	struct diags d = {0};
	struct pos p = {"a/t.yaml", 0, 0};
	diag_warn(&d, p, "no line");
	char buf[64];
	diag_format(&d.v[0], buf, sizeof buf);
	assert_string_equal(buf, "a/t.yaml: warning: no line");
	struct strbuf sb = STRBUF_INIT;
	diag_append(&d.v[0], &sb);
	assert_string_equal(sb.s, buf);
	/* a message longer than the buffer loses its end, not its start */
	char tiny[24];
	diag_format(&d.v[0], tiny, sizeof tiny);
	assert_true(strstr(tiny, "warning: ") != NULL);
	sb_free(&sb);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_short_path_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
