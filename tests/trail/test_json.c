/*
 * test_json.c - the trail JSON parser's fast skip (jp_skip) against the
 * validating jp_value it stands in for.
 *
 * jp_skip reads 64-byte blocks as bit masks; what can go wrong is at the
 * edges: escapes and strings across block boundaries, brackets inside
 * strings, depth, and the inputs it must hand back to jp_value (UTF-8,
 * control bytes, text running out), with the SSE2 and the AVX2 masks.  Each case is checked at every
 * alignment against a 64-byte block by padding in front of the value.
 */
#include "trail/json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Parse `value` followed by `tail` with both functions, with `pad` spaces in
 * front; both must agree on success, kind and where the value ends. */
static void agree_at(const char *value, const char *tail, size_t pad)
{
	size_t vn = strlen(value), tn = strlen(tail);
	char *buf = malloc(pad + vn + tn + 1);
	assert_non_null(buf);
	memset(buf, ' ', pad);
	memcpy(buf + pad, value, vn);
	memcpy(buf + pad + vn, tail, tn + 1);

	struct jp a, b;
	jp_init(&a, buf, pad + vn + tn);
	jp_init(&b, buf, pad + vn + tn);
	enum tval_kind ka = TV_ABSENT, kb = TV_ABSENT;
	struct tstr sa = {0}, sb = {0};
	bool esc;
	bool ok_a = jp_skip(&a, 1, &ka, &sa);
	bool ok_b = jp_value(&b, 1, &kb, &sb, &esc);
	if (ok_a != ok_b || (ok_a && (a.p != b.p || ka != kb || sa.n != sb.n)))
		fail_msg("disagree on %s (pad %zu): skip %d at %td, value %d at %td", value, pad,
			 ok_a, a.p - buf, ok_b, b.p - buf);
	if (!ok_b)
		assert_ptr_equal(a.err_at, b.err_at); /* the same error, same byte */
	free(buf);
}

/* A long tail keeps the fast path on: it wants 64 bytes to look at. */
static const char tail[] =
    ",\"next\":\"........................................................................."
    "...................................................................................\"}";

static void agree(const char *value)
{
	for (int avx2 = 0; avx2 <= 1; avx2++) { /* both block paths (AVX2 if the CPU has it) */
		jp_skip_use_avx2(avx2);
		for (size_t pad = 0; pad < 70; pad++) {
			agree_at(value, tail, pad);
			agree_at(value, "", pad); /* input ends with the value: fallback */
		}
	}
	jp_skip_use_avx2(-1);
}

static char *repeat(const char *unit, size_t n, const char *pre, const char *post)
{
	size_t un = strlen(unit), pn = strlen(pre), qn = strlen(post);
	char *s = malloc(pn + un * n + qn + 1);
	assert_non_null(s);
	memcpy(s, pre, pn);
	for (size_t i = 0; i < n; i++)
		memcpy(s + pn + i * un, unit, un);
	memcpy(s + pn + un * n, post, qn + 1);
	return s;
}

static void test_skip_agrees_on_well_formed(void **state)
{
	(void)state;
	agree("{}");
	agree("[]");
	agree("{\"a\":1}");
	agree("{\"bucketName\":\"x\",\"Host\":\"x.s3.amazonaws.com\",\"acl\":[\"\"]}");
	agree("{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":\"}]{[\"}");           /* brackets in strings */
	agree("{\"a\":\"\\\"}\",\"b\":\"\\\\\",\"c\":\"\\\\\\\"]\"}");      /* escaped quotes, backslashes */
	agree("{\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}");
	agree("[ {\"a\" : 1 } ,\n\t{ \"b\" : [ ] } ]");                      /* whitespace */
	char *longs = repeat("x", 200, "{\"k\":\"", "\"}");                     /* a string over blocks */
	agree(longs);
	free(longs);
	char *bs = repeat("\\\\", 70, "{\"k\":\"", "\"}");                      /* backslash runs over blocks */
	agree(bs);
	free(bs);
	char *deep = repeat("[", 100, "", "");
	char *close = repeat("]", 100, deep, "");
	agree(close);
	free(deep);
	free(close);
}

static void test_skip_reports_what_jp_value_reports(void **state)
{
	(void)state;
	agree("{\"a\":\"unterminated}");
	agree("{\"a\":[1,2");                   /* never closed: runs to the end */
	agree("{\"a\":\"caf\xc3\xa9\"}");       /* UTF-8: jp_value validates */
	agree("{\"a\":\"bad \xff byte\"}");
	agree("{\"a\":\"tab\there\"}");         /* raw control byte in a string */
	agree("{\"a\":1\\}");                   /* backslash outside a string */
	char *deep = repeat("[", 200, "", "");  /* deeper than TRAIL_MAX_DEPTH */
	char *close = repeat("]", 200, deep, "");
	agree(close);
	free(deep);
	free(close);
}

/* Random structures from a small alphabet: whatever jp_value accepts,
 * jp_skip must end at the same byte; whatever it rejects, jp_skip too
 * (unless the text is only bad inside a scalar, which jp_skip does not
 * check by design: those are generated only from valid pieces here). */
static void gen(char *out, size_t *n, size_t cap, unsigned *seed, int depth)
{
	static const char *atoms[] = {"1", "null", "true", "\"s\"", "\"\\\"q\"", "\"]}\"",
				      "\"\\\\\"", "\"x\\u0041\"", "-2.5e3", "\"\""};
	*seed = *seed * 1103515245u + 12345u;
	unsigned r = (*seed >> 16) % 10;
	if (depth > 6 || r < 5) {
		const char *a = atoms[(*seed >> 8) % 10];
		size_t l = strlen(a);
		if (*n + l < cap) {
			memcpy(out + *n, a, l);
			*n += l;
		}
		return;
	}
	bool obj = r < 8;
	if (*n + 1 < cap)
		out[(*n)++] = obj ? '{' : '[';
	unsigned k = (*seed >> 4) % 5;
	for (unsigned i = 0; i < k; i++) {
		if (i && *n + 1 < cap)
			out[(*n)++] = ',';
		if (obj && *n + 6 < cap) {
			memcpy(out + *n, "\"k\\\"\":", 6);
			*n += 6;
		}
		gen(out, n, cap, seed, depth + 1);
	}
	if (*n + 1 < cap)
		out[(*n)++] = obj ? '}' : ']';
}

static void test_skip_agrees_on_random_values(void **state)
{
	(void)state;
	unsigned seed = 42;
	char buf[4096];
	for (int i = 0; i < 3000; i++) {
		size_t n = 0;
		buf[n++] = '{';
		buf[n++] = '"';
		buf[n++] = 'a';
		buf[n++] = '"';
		buf[n++] = ':';
		buf[n++] = '[';
		gen(buf, &n, sizeof(buf) - 4, &seed, 0);
		buf[n++] = ']';
		buf[n++] = '}';
		buf[n] = '\0';
		jp_skip_use_avx2(i % 2);
		agree_at(buf, tail, (size_t)i % 64);
	}
}

/* What the skip does not check, by design (json.c): scalars' grammar and
 * which bracket closes which.  That these pass proves the fast path ran. */
static void test_skip_does_not_check_scalars(void **state)
{
	(void)state;
	const char *cases[] = {"{\"a\":tru}", "{\"a\":[1,2}}"};
	for (size_t c = 0; c < 2; c++) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s", cases[c], tail);
		struct jp j;
		jp_init(&j, buf, strlen(buf));
		enum tval_kind k;
		struct tstr sp;
		bool esc;
		assert_true(jp_skip(&j, 1, &k, &sp));
		assert_int_equal(k, TV_OBJECT);
		jp_init(&j, buf, strlen(buf));
		assert_false(jp_value(&j, 1, &k, &sp, &esc));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_agrees_on_well_formed),
	    cmocka_unit_test(test_skip_reports_what_jp_value_reports),
	    cmocka_unit_test(test_skip_agrees_on_random_values),
	    cmocka_unit_test(test_skip_does_not_check_scalars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
