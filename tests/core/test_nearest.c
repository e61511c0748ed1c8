/*
 * test_nearest.c - core/nearest.h: edit distance (ignoring case, cut to
 * NEAREST_MAX), the nearest of the names offered (first on a tie), and the
 * bounded copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/nearest.h"

#include <string.h>

static size_t dist(const char *a, const char *b)
{
	return nearest_distance(a, strlen(a), b, strlen(b));
}

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(dist("", ""), 0);
	assert_int_equal(dist("abc", ""), 3);
	assert_int_equal(dist("", "abc"), 3);
	assert_int_equal(dist("kitten", "sitting"), 3);
	assert_int_equal(dist("RMP-DDB-01", "RMP-DDB-001"), 1);
	assert_int_equal(dist("rmp-ddb-001", "RMP-DDB-001"), 0); /* case ignored */
	assert_int_equal(dist("W78", "W87"), 2);
	/* Longer than NEAREST_MAX: compared on the first NEAREST_MAX bytes, no overflow. */
	char a[NEAREST_MAX * 2 + 1], b[NEAREST_MAX * 2 + 1];
	memset(a, 'a', sizeof a - 1);
	memset(b, 'a', sizeof b - 1);
	a[sizeof a - 1] = b[sizeof b - 1] = '\0';
	b[NEAREST_MAX + 5] = 'b';
	assert_int_equal(dist(a, b), 0);
	b[3] = 'b';
	assert_int_equal(dist(a, b), 1);
}

static void test_nearest(void **state)
{
	(void)state;
	static const char *const names[] = {"RMP-DDB-010", "RMP-DDB-001", "RMP-DDB-002", "CKV_AWS_28"};
	struct nearest n;
	char buf[32];
	nearest_init(&n, "RMP-DDB-01");
	assert_string_equal(nearest_copy(&n, buf, sizeof buf), ""); /* nothing offered yet */
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		nearest_offer(&n, names[i], strlen(names[i]));
	/* RMP-DDB-010 and RMP-DDB-001 are both one edit away: the first offered wins. */
	assert_string_equal(nearest_copy(&n, buf, sizeof buf), "RMP-DDB-010");
	assert_int_equal(n.dist, 1);
	nearest_init(&n, "ckv_aws_29");
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		nearest_offer(&n, names[i], strlen(names[i]));
	assert_string_equal(nearest_copy(&n, buf, sizeof buf), "CKV_AWS_28");
	/* A name given with its length (an entry of a comma-separated list), and a short buffer. */
	const char *list = "W78,W74";
	nearest_init(&n, "W7");
	nearest_offer(&n, list + 4, 3);
	assert_string_equal(nearest_copy(&n, buf, sizeof buf), "W74");
	char small[3];
	assert_string_equal(nearest_copy(&n, small, sizeof small), "W7");
	nearest_offer(&n, NULL, 0); /* ignored */
	assert_string_equal(nearest_copy(&n, buf, sizeof buf), "W74");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_nearest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
