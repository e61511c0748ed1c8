/*
 * test_severity.c - the one severity scale: names round-trip through the
 * parser (and Sigma's "informational" reads as info), the scale is ordered,
 * SARIF levels follow it, and the security-severity scores sit inside
 * GitHub's bands.
 */
#include "core/severity.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < SEV_COUNT; i++) {
		enum severity s = SEV_CRITICAL;
		assert_int_equal(severity_parse(severity_name((enum severity)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(severity_name(SEV_INFO), "info");
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(severity_name((enum severity)SEV_COUNT), "?");
}

static void test_parse_accepts_sigma_spelling_and_case(void **state)
{
	(void)state;
	enum severity s = SEV_HIGH;
	assert_int_equal(severity_parse("informational", &s), 0);
	assert_int_equal(s, SEV_INFO);
	assert_int_equal(severity_parse("HIGH", &s), 0);
	assert_int_equal(s, SEV_HIGH);
	/* unknown words leave the value alone */
	s = SEV_LOW;
	assert_int_equal(severity_parse("severe", &s), -1);
	assert_int_equal(severity_parse("", &s), -1);
	assert_int_equal(severity_parse("none", &s), -1);
	assert_int_equal(severity_parse(NULL, &s), -1);
	assert_int_equal(s, SEV_LOW);
}

static void test_sarif_levels(void **state)
{
	(void)state;
	assert_string_equal(severity_sarif_level(SEV_CRITICAL), "error");
	assert_string_equal(severity_sarif_level(SEV_HIGH), "error");
	assert_string_equal(severity_sarif_level(SEV_MEDIUM), "warning");
	assert_string_equal(severity_sarif_level(SEV_LOW), "note");
	assert_string_equal(severity_sarif_level(SEV_INFO), "note");
}

static void test_scores_in_github_bands(void **state)
{
	(void)state;
	/* GitHub: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9 */
	static const double lo[SEV_COUNT] = {0.0, 0.1, 4.0, 7.0, 9.0001};
	static const double hi[SEV_COUNT] = {0.0, 3.9, 6.9, 8.9, 10.0};
	for (int i = 0; i < SEV_COUNT; i++) {
		const char *t = severity_security_score((enum severity)i);
		char *end = NULL;
		double v = strtod(t, &end);
		assert_true(end && *end == '\0' && end != t);
		assert_true(v >= lo[i] && v <= hi[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_round_trip),
	    cmocka_unit_test(test_parse_accepts_sigma_spelling_and_case),
	    cmocka_unit_test(test_sarif_levels),
	    cmocka_unit_test(test_scores_in_github_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
