/*
 * condval.c - typed IAM condition values (condval.h).
 *
 * Dates in the common form "YYYY-MM-DDTHH:MM:SSZ" are read by hand (the
 * evaluator meets them on every request); anything else goes through
 * strptime exactly as before, so the accepted syntax does not change.
 */
#include "iam/condval.h"

#include "core/cidr.h"
#include "core/xalloc.h"
#include "iam/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool iam_parse_number(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; d may exceed the
 * month's length and then runs on into the next, as timegm does). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with fields in strptime's ranges; false: not this form. */
static bool fast_iso(const char *s, double *out)
{
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z')
		return false;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
	    se > 61)
		return false;
	*out = (double)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + se);
	return true;
}

bool iam_parse_date(const char *s, double *out)
{
	if (fast_iso(s, out))
		return true;
	if (iam_parse_number(s, out))
		return true;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!e) {
		memset(&tm, 0, sizeof tm);
		e = strptime(s, "%Y-%m-%d", &tm);
		if (!e)
			return false;
	}
	double frac = 0;
	if (*e == '.') {
		char *end;
		frac = strtod(e, &end);
		e = end;
	}
	long off = 0;
	if (*e == 'Z')
		e++;
	else if (*e == '+' || *e == '-') {
		int hh = 0, mm = 0;
		if (sscanf(e + 1, "%2d:%2d", &hh, &mm) < 1)
			return false;
		off = (hh * 3600L + mm * 60L) * (*e == '-' ? -1 : 1);
		e += strlen(e);
	}
	if (*e)
		return false;
	*out = (double)timegm(&tm) - (double)off + frac;
	return true;
}

bool iam_ip_values_whole_family(const struct iam_condition *c)
{
	struct cidr *v = xreallocarray(NULL, c->nvalues ? c->nvalues : 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < c->nvalues; i++)
		if (c->cv[i].flags & CV_PARSED)
			v[n++] = c->cv[i].net;
	struct cidr all4 = cidr_all(4), all6 = cidr_all(6);
	bool whole = cidr_union_covers(v, n, &all4) || cidr_union_covers(v, n, &all6);
	free(v);
	return whole;
}
