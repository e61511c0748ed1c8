/*
 * test_timestamp.c - the one time reader of the trail commands: event times
 * as CloudTrail and its exporters write them, user times for --since and
 * --until, strictness (real dates, hours, offsets; no trailing text) and
 * the normalised form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "trail/timestamp.h"

#include <string.h>

/* The normalised event time of s, or NULL. */
static const char *ev_time(const char *s)
{
	static char out[TRAIL_EVENT_TIME_SIZE];
	return trail_event_time(s, strlen(s), out) ? out : NULL;
}

static void assert_event_time(const char *in, const char *want)
{
	const char *got = ev_time(in);
	if (!got)
		fail_msg("'%s' not read", in);
	if (strcmp(got, want))
		fail_msg("'%s' read as %s, want %s", in, got, want);
}

static void test_event_time_forms(void **st)
{
	(void)st;
	/* CloudTrail's own */
	assert_event_time("2023-07-10T11:42:36Z", "2023-07-10T11:42:36Z");
	/* fractions (milli-, microseconds, any number of digits): dropped */
	assert_event_time("2023-07-10T11:42:36.123Z", "2023-07-10T11:42:36Z");
	assert_event_time("2023-01-01T00:00:00.123456Z", "2023-01-01T00:00:00Z");
	assert_event_time("2023-01-01T00:00:00.123456789012345678901234567890Z", "2023-01-01T00:00:00Z");
	/* offsets, to UTC, across days, months, years and 29 February */
	assert_event_time("2023-07-10T11:42:36+00:00", "2023-07-10T11:42:36Z");
	assert_event_time("2023-07-10T11:42:36-00:00", "2023-07-10T11:42:36Z");
	assert_event_time("2023-07-10T11:42:36+02:00", "2023-07-10T09:42:36Z");
	assert_event_time("2023-07-10T11:42:36.5-05:30", "2023-07-10T17:12:36Z");
	assert_event_time("2023-01-01T01:00:00+02:00", "2022-12-31T23:00:00Z");
	assert_event_time("2022-12-31T23:30:00-01:00", "2023-01-01T00:30:00Z");
	assert_event_time("2024-03-01T00:10:00+00:30", "2024-02-29T23:40:00Z");
	assert_event_time("2023-03-01T00:10:00+00:30", "2023-02-28T23:40:00Z");
	assert_event_time("2024-02-28T23:00:00-23:59", "2024-02-29T22:59:00Z");
	/* a leap second keeps its 60 */
	assert_event_time("2016-12-31T23:59:60Z", "2016-12-31T23:59:60Z");
	assert_event_time("2017-01-01T00:59:60+01:00", "2016-12-31T23:59:60Z");
	/* CloudTrail Lake and Athena: a space, no offset (UTC) */
	assert_event_time("2023-07-10 11:42:36.000", "2023-07-10T11:42:36Z");
	assert_event_time("2023-07-10 11:42:36", "2023-07-10T11:42:36Z");
	/* RFC 3339 5.6: t and z may be lower case */
	assert_event_time("2023-07-10t11:42:36z", "2023-07-10T11:42:36Z");
	/* years at the edges */
	assert_event_time("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z");
	assert_event_time("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
}

static void test_event_time_refused(void **st)
{
	(void)st;
	static const char *const bad[] = {
	    "", "yesterday", "2023-07-10", "2023-07-10T11:42Z", "2023-07-10T11:42",
	    "2023-07-10T11:42:36.Z", "2023-07-10T11:42:36ZZ", "2023-07-10T11:42:36Z ",
	    " 2023-07-10T11:42:36Z", "2023-07-10T11:42:36+0200", "2023-07-10T11:42:36+02",
	    "2023-07-10T11:42:36+24:00", "2023-07-10T11:42:36+02:60", "2023-07-10T11:42:36+02:00Z",
	    "2023-07-10X11:42:36Z", "2023-7-10T11:42:36Z", "2023-07-10T1:42:36Z",
	    "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-04-31T00:00:00Z",
	    "2023-00-10T00:00:00Z", "2023-13-10T00:00:00Z", "2023-07-00T00:00:00Z",
	    "2023-07-10T24:00:00Z", "2023-07-10T11:60:00Z", "2023-07-10T11:42:61Z",
	    "+2023-07-10T11:42:36Z", "2023-07-10T11:42:36.1.2Z",
	    /* out of 0000-9999 once in UTC */
	    "0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ev_time(bad[i]))
			fail_msg("'%s' read as %s", bad[i], ev_time(bad[i]));
	/* not NUL-terminated: only the n bytes count */
	char out[TRAIL_EVENT_TIME_SIZE];
	assert_true(trail_event_time("2023-07-10T11:42:36Zgarbage", 20, out));
	assert_string_equal(out, "2023-07-10T11:42:36Z");
	assert_false(trail_event_time("2023-07-10T11:42:36Zgarbage", 21, out));
	assert_false(trail_event_time("2023-07-10T11:42:3", 18, out));
	assert_false(trail_event_time(NULL, 0, out));
}

/* --since and --until: a date, or a time to the minute, also do (these
 * cases were test_detect's when the reader lived in detect.c). */
static void test_user_times(void **st)
{
	(void)st;
	char a[TRAIL_TIME_SIZE];
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} cases[] = {
	    {"2023-07-10", "2023-07-10T00:00:00"},
	    {"2023-07-10Z", "2023-07-10T00:00:00"},
	    {"2023-07-10T11:42", "2023-07-10T11:42:00"},
	    {"2023-07-10T11:42Z", "2023-07-10T11:42:00"},
	    {"2023-07-10T11:42:36.5Z", "2023-07-10T11:42:36"},
	    {"2023-07-10 11:42:36.5Z", "2023-07-10T11:42:36"},
	    /* an offset is applied (refused before the reader moved here) */
	    {"2023-07-10T11:42+02:00", "2023-07-10T09:42:00"},
	    {"2016-12-31T23:59:60Z", "2016-12-31T23:59:60"},
	    {"2024-02-29", "2024-02-29T00:00:00"},
	    {"2000-02-29", "2000-02-29T00:00:00"},
	    {"yesterday", NULL},
	    {"2023-07-10+02:00", NULL}, /* an offset needs a time */
	    {"2023-07-10T", NULL},
	    /* a calendar date and time, not just digits in place */
	    {"2023-99-99", NULL},
	    {"2023-00-10", NULL},
	    {"2023-02-29", NULL},
	    {"1900-02-29", NULL},
	    {"2023-04-31", NULL},
	    {"2023-07-10T24:00Z", NULL},
	    {"2023-07-10T11:60Z", NULL},
	    {"2023-07-10T11:42:61Z", NULL},
	    {"2023-07-10T11:42:36.Z", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = trail_time_norm(cases[i].in, a);
		if (ok != (cases[i].want != NULL))
			fail_msg("'%s': %s", cases[i].in, ok ? "read" : "refused");
		if (ok && strcmp(a, cases[i].want))
			fail_msg("'%s' read as %s, want %s", cases[i].in, a, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_time_forms),
	    cmocka_unit_test(test_event_time_refused),
	    cmocka_unit_test(test_user_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
