/*
 * timestamp.h - the one reader of the times CloudTrail readers meet: event
 * times as CloudTrail writes them ("2023-07-10T11:42:36Z") and as its
 * exporters do (CloudTrail Lake and Athena "2023-07-10 11:42:36.000",
 * fractions of a second, "+00:00" or any other RFC 3339 offset), and the
 * times a user gives (--since 2023-07-10).
 *
 * A time is read strictly (a real calendar date, hours 00-23, minutes
 * 00-59, seconds 00-60 for a leap second, an offset of -23:59 to +23:59)
 * and normalised to UTC to the second, "YYYY-MM-DDTHH:MM:SS", so times
 * compare as text whoever wrote them.  A fraction of a second is dropped
 * (CloudTrail's own resolution); an offset is applied (11:42+02:00 is
 * 09:42 UTC); a time without an offset is UTC, as CloudTrail Lake and
 * Athena write them.  'T' and 'Z' may be lower case, and a space may stand
 * for 'T' (RFC 3339 section 5.6).
 */
#ifndef RAMPART_TRAIL_TIMESTAMP_H
#define RAMPART_TRAIL_TIMESTAMP_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a normalised time, "YYYY-MM-DDTHH:MM:SS", and with its NUL. */
#define TRAIL_TIME_LEN 19
#define TRAIL_TIME_SIZE (TRAIL_TIME_LEN + 1)
/* An event time as reports print it: normalised, with CloudTrail's 'Z'. */
#define TRAIL_EVENT_TIME_SIZE (TRAIL_TIME_LEN + 2)

/*
 * A time a user gives (--since, --until): a date ("2023-07-10"), a time to
 * the minute ("2023-07-10T11:42Z") or to the second, each optionally with
 * an offset, normalised into out.  False if it is none of these or not a
 * real date and time (2023-02-29, 24:00, 11:60).
 */
bool trail_time_norm(const char *in, char out[TRAIL_TIME_SIZE]);

/*
 * An event's time, n bytes at s (not NUL-terminated): an RFC 3339
 * date-time (date, time to the second, optional fraction, offset; the
 * offset may be missing, as in CloudTrail Lake), normalised with its 'Z'
 * into out ("2023-07-10T09:42:36Z" for "2023-07-10T11:42:36.123+02:00").
 * False for anything else: a date alone, a time without seconds, trailing
 * text, an impossible date or time.
 */
bool trail_event_time(const char *s, size_t n, char out[TRAIL_EVENT_TIME_SIZE]);

#endif
