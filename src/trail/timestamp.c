/*
 * timestamp.c - reading and normalising CloudTrail and user times (see
 * timestamp.h).
 */
#include "trail/timestamp.h"

#include <string.h>

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static void put2(char *d, int v)
{
	d[0] = (char)('0' + v / 10);
	d[1] = (char)('0' + v % 10);
}

/* A broken-down time; its fields are checked by time_valid. */
struct tm_parts {
	int year, month, day, hour, min, sec;
};

/* A real calendar date and time (seconds up to 60: a leap second, as RFC 3339 allows). */
static bool time_valid(const struct tm_parts *t)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (t->year < 0 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1)
		return false;
	bool leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
	if (t->day > mdays[t->month - 1] + (t->month == 2 && leap))
		return false;
	return t->hour <= 23 && t->min <= 59 && t->sec <= 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), and back. */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, struct tm_parts *t)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	t->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int)(yoe + era * 400 + (t->month <= 2));
}

/* Move t by -offset minutes (local time to UTC); false if the year leaves 0000-9999. */
static bool to_utc(struct tm_parts *t, int offset)
{
	long long mins = days_from_civil(t->year, t->month, t->day) * 1440 + t->hour * 60 + t->min - offset;
	long long days = mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440);
	long long rem = mins - days * 1440;
	civil_from_days(days, t);
	t->hour = (int)(rem / 60);
	t->min = (int)(rem % 60);
	return t->year >= 0 && t->year <= 9999;
}

/*
 * The one reader.  full: an event's time (the date, 'T' or a space, the
 * time to the second required); otherwise a user's (a date alone, or a
 * time to the minute, also do).
 */
static bool time_read(const char *s, size_t n, bool full, char out[TRAIL_TIME_SIZE])
{
	const char *p = s, *end = s + n;
	if (n < 10 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) || p[7] != '-' || !digits(p + 8, 2))
		return false;
	struct tm_parts t = {num2(p) * 100 + num2(p + 2), num2(p + 5), num2(p + 8), 0, 0, 0};
	int offset = 0; /* minutes east of UTC */
	p += 10;
	if (p < end && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if (end - p < 5 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2))
			return false;
		t.hour = num2(p);
		t.min = num2(p + 3);
		p += 5;
		bool secs = p < end && *p == ':';
		if (secs) {
			if (end - p < 3 || !digits(p + 1, 2))
				return false;
			t.sec = num2(p + 1);
			p += 3;
			if (p < end && *p == '.') {
				p++;
				if (p >= end || !digits(p, 1))
					return false;
				while (p < end && digits(p, 1))
					p++;
			}
		}
		if (full && !secs)
			return false;
		if (p < end && (*p == '+' || *p == '-')) {
			if (end - p != 6 || !digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2))
				return false;
			int oh = num2(p + 1), om = num2(p + 4);
			if (oh > 23 || om > 59)
				return false;
			offset = (*p == '+' ? 1 : -1) * (oh * 60 + om);
			p += 6;
		} else if (p < end && (*p == 'Z' || *p == 'z')) {
			p++;
		}
	} else if (full) {
		return false;
	} else if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	}
	if (p != end || !time_valid(&t) || (offset && !to_utc(&t, offset)))
		return false;
	put2(out, t.year / 100);
	put2(out + 2, t.year % 100);
	out[4] = '-';
	put2(out + 5, t.month);
	out[7] = '-';
	put2(out + 8, t.day);
	out[10] = 'T';
	put2(out + 11, t.hour);
	out[13] = ':';
	put2(out + 14, t.min);
	out[16] = ':';
	put2(out + 17, t.sec);
	out[TRAIL_TIME_LEN] = '\0';
	return true;
}

bool trail_time_norm(const char *in, char out[TRAIL_TIME_SIZE])
{
	return time_read(in, strlen(in), false, out);
}

bool trail_event_time(const char *s, size_t n, char out[TRAIL_EVENT_TIME_SIZE])
{
	if (!s || !time_read(s, n, true, out))
		return false;
	out[TRAIL_TIME_LEN] = 'Z';
	out[TRAIL_TIME_LEN + 1] = '\0';
	return true;
}
