/*
 * number.c - YAML 1.1 number typing as PyYAML does it (see number.h).
 *
 * Each grammar is matched over the whole text before any value is
 * computed; values come from strtod on the digits (correctly rounded) or,
 * for bases 2, 8, 16 and 60, from accumulation in a double, which reaches
 * infinity instead of overflowing.
 */
#include "load/number.h"
#include "core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digit_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Characters s[i..n) are all digits of `base` or '_', with at least one digit. */
static bool digits_in(const char *s, size_t i, size_t n, int base)
{
	bool any = false;
	for (; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (digit_value(s[i]) >= base)
			return false;
		any = true;
	}
	return any;
}

static enum num_status finish(double v, double *out)
{
	*out = v;
	return isfinite(v) || isnan(v) ? NUM_OK : NUM_RANGE;
}

enum num_status decimal_value(const char *s, size_t n, double *out)
{
	char small[128];
	char *buf = n < sizeof small ? small : xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			buf[j++] = s[i];
	buf[j] = '\0';
	char *end;
	errno = 0;
	double v = j ? strtod(buf, &end) : 0;
	bool whole = j && end == buf + j;
	bool range = errno == ERANGE && (v > 1 || v < -1); /* not underflow */
	if (buf != small)
		free(buf);
	if (!whole)
		return NUM_NOT;
	*out = v;
	return range ? NUM_RANGE : NUM_OK;
}

/* Digits of s[i..n) in base, accumulated (underscores skipped). */
static double accumulate(const char *s, size_t i, size_t n, int base)
{
	double v = 0;
	for (; i < n; i++)
		if (s[i] != '_')
			v = v * base + digit_value(s[i]);
	return v;
}

/*
 * Base 60: s[i..n) is  D(:[0-5]?[0-9])+  where D is the leading part
 * (digits and '_'), optionally ending in  .[0-9_]*  for a float.
 */
static bool sexagesimal(const char *s, size_t i, size_t n, bool fraction, double *out)
{
	size_t colon = i;
	while (colon < n && s[colon] != ':')
		colon++;
	if (colon == n || !digits_in(s, i, colon, 10))
		return false;
	double v = accumulate(s, i, colon, 10);
	size_t k = colon;
	while (k < n && s[k] == ':') {
		size_t b = ++k;
		while (k < n && is_digit(s[k]))
			k++;
		size_t len = k - b;
		if (len < 1 || len > 2 || (len == 2 && s[b] > '5'))
			return false;
		v = v * 60 + accumulate(s, b, k, 10);
	}
	if (fraction) {
		if (k == n || s[k] != '.')
			return false;
		for (size_t f = k + 1; f < n; f++)
			if (s[f] != '_' && !is_digit(s[f]))
				return false;
		double frac = 0;
		if (decimal_value(s + k, n - k, &frac) == NUM_NOT)
			frac = 0; /* "." alone, or with underscores only */
		v += frac;
	} else if (k != n) {
		return false;
	}
	*out = v;
	return true;
}

static size_t sign_len(const char *s, size_t n, bool *neg)
{
	*neg = n && s[0] == '-';
	return n && (s[0] == '-' || s[0] == '+');
}

enum num_status yaml_int(const char *s, size_t n, double *out)
{
	bool neg;
	size_t i = sign_len(s, n, &neg);
	if (i == n)
		return NUM_NOT;
	double v;
	if (n - i > 2 && s[i] == '0' && s[i + 1] == 'b') {
		if (!digits_in(s, i + 2, n, 2))
			return NUM_NOT;
		v = accumulate(s, i + 2, n, 2);
	} else if (n - i > 2 && s[i] == '0' && s[i + 1] == 'x') {
		if (!digits_in(s, i + 2, n, 16))
			return NUM_NOT;
		v = accumulate(s, i + 2, n, 16);
	} else if (s[i] == '0') {
		/* "0" alone, or octal: 0[0-7_]+ */
		if (n - i > 1 && !digits_in(s, i + 1, n, 8)) {
			/* "0_" and "0__" are octal zero too */
			for (size_t k = i + 1; k < n; k++)
				if (s[k] != '_')
					return NUM_NOT;
		}
		v = accumulate(s, i, n, 8);
	} else if (is_digit(s[i])) {
		bool plain = true;
		for (size_t k = i; k < n && plain; k++)
			plain = s[k] == '_' || is_digit(s[k]);
		if (plain) {
			enum num_status st = decimal_value(s + i, n - i, &v);
			if (st == NUM_NOT)
				return NUM_NOT;
		} else if (!sexagesimal(s, i, n, false, &v)) {
			return NUM_NOT;
		}
	} else {
		return NUM_NOT;
	}
	return finish(neg ? -v : v, out);
}

static bool word_is(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	if (n != wl)
		return false;
	/* .inf .Inf .INF: the first letter and the rest each in one case */
	return !memcmp(s, w, n);
}

static bool special(const char *s, size_t n, const char *lower, const char *title, const char *upper)
{
	return word_is(s, n, lower) || word_is(s, n, title) || word_is(s, n, upper);
}

enum num_status yaml_float(const char *s, size_t n, double *out)
{
	bool neg;
	size_t i = sign_len(s, n, &neg);
	const char *t = s + i;
	size_t m = n - i;
	if (special(t, m, ".inf", ".Inf", ".INF"))
		return finish(neg ? -HUGE_VAL : HUGE_VAL, out);
	if (i == 0 && special(t, m, ".nan", ".NaN", ".NAN")) {
		*out = NAN;
		return NUM_OK;
	}
	if (m == 0)
		return NUM_NOT;
	double v;
	if (t[0] == '.') {
		/* \.[0-9][0-9_]*([eE][-+][0-9]+)?, without a sign */
		if (i != 0 || m < 2 || !is_digit(t[1]))
			return NUM_NOT;
	} else if (!is_digit(t[0])) {
		return NUM_NOT;
	}
	/* [0-9][0-9_]* \. [0-9_]* ([eE][-+][0-9]+)?  or the base-60 form */
	size_t k = 0;
	while (k < m && (is_digit(t[k]) || t[k] == '_'))
		k++;
	if (k < m && t[k] == ':' && t[0] != '.') {
		if (!sexagesimal(t, 0, m, true, &v))
			return NUM_NOT;
		return finish(neg ? -v : v, out);
	}
	if (k == m || t[k] != '.')
		return NUM_NOT;
	k++;
	while (k < m && (is_digit(t[k]) || t[k] == '_'))
		k++;
	if (k < m) {
		if (t[k] != 'e' && t[k] != 'E')
			return NUM_NOT;
		k++;
		if (k == m || (t[k] != '+' && t[k] != '-'))
			return NUM_NOT;
		k++;
		if (k == m)
			return NUM_NOT;
		for (size_t e = k; e < m; e++)
			if (!is_digit(t[e]))
				return NUM_NOT;
	}
	enum num_status st = decimal_value(t, m, &v);
	if (st == NUM_NOT)
		return NUM_NOT;
	*out = neg ? -v : v;
	return st;
}

enum num_status yaml_number(const char *s, size_t n, double *out)
{
	enum num_status st = yaml_int(s, n, out);
	return st != NUM_NOT ? st : yaml_float(s, n, out);
}
