/*
 * secret_detect.c - credential detection in template values, and
 * redaction (see secret_detect.h).
 *
 * The known formats are PCRE2 patterns compiled once (pthread_once) and
 * shared read-only by every thread; each call brings its own match data.
 * Patterns run on bytes (no UTF mode): values may hold invalid UTF-8.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "analyse/secret_detect.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pattern {
	enum secret_kind kind;
	const char *re;
	int group; /* capture group holding the secret (0: whole match) */
	pcre2_code *code;
};

/* Strongest first: the first pattern that matches decides the kind. */
static struct pattern patterns[] = {
	{SECRET_PRIVATE_KEY,
	 "-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{32,}?"
	 "(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|\\z)",
	 0, NULL},
	{SECRET_AWS_ACCESS_KEY_ID, "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", 0, NULL},
	{SECRET_GITHUB_TOKEN,
	 "(?<![A-Za-z0-9_])(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}(?![A-Za-z0-9])|github_pat_[A-Za-z0-9_]{22,})",
	 0, NULL},
	{SECRET_SLACK_TOKEN,
	 "(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
	 0, NULL},
	{SECRET_STRIPE_KEY, "(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", 0, NULL},
	{SECRET_GOOGLE_API_KEY, "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", 0, NULL},
	{SECRET_JWT, "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*", 0, NULL},
	{SECRET_URL_PASSWORD, "[A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@?#]+:([^\\s/@?#]+)@", 1, NULL},
	/* key=value connection strings: JDBC query parameters, ADO.NET "Password=...;" */
	{SECRET_URL_PASSWORD, "(?i)(?:^|[;?&\\s])(?:password|passwd|pwd)\\s*=\\s*([^;&\\s\"']+)", 1, NULL},
	{SECRET_AWS_SECRET_KEY, "(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", 0, NULL},
};
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

static pthread_once_t compile_once = PTHREAD_ONCE_INIT;
static pcre2_code *json_pair; /* "name": "value" */
static pcre2_match_context *match_ctx;

static void compile_patterns(void)
{
	for (size_t i = 0; i < NPATTERNS; i++) {
		int err;
		PCRE2_SIZE erroff;
		patterns[i].code = pcre2_compile((PCRE2_SPTR)patterns[i].re, PCRE2_ZERO_TERMINATED, 0, &err,
						 &erroff, NULL);
		if (!patterns[i].code) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			fprintf(stderr, "rampart: secret pattern %zu: %s at %zu\n", i, (char *)msg,
				(size_t)erroff);
			abort();
		}
		/* JIT when the platform has it; the interpreter otherwise. */
		(void)pcre2_jit_compile(patterns[i].code, PCRE2_JIT_COMPLETE);
	}
	int err;
	PCRE2_SIZE erroff;
	json_pair = pcre2_compile((PCRE2_SPTR) "\"([A-Za-z0-9_.-]{1,64})\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"",
				  PCRE2_ZERO_TERMINATED, 0, &err, &erroff, NULL);
	if (!json_pair)
		abort();
	(void)pcre2_jit_compile(json_pair, PCRE2_JIT_COMPLETE);
	match_ctx = pcre2_match_context_create(NULL);
	if (!match_ctx)
		abort();
	/* The patterns are linear, but bound the work on hostile input anyway. */
	pcre2_set_match_limit(match_ctx, 1000000);
}

const char *secret_kind_name(enum secret_kind k)
{
	switch (k) {
	case SECRET_NONE: return "none";
	case SECRET_AWS_ACCESS_KEY_ID: return "AWS access key ID";
	case SECRET_AWS_SECRET_KEY: return "AWS secret access key";
	case SECRET_PRIVATE_KEY: return "private key";
	case SECRET_GITHUB_TOKEN: return "GitHub token";
	case SECRET_SLACK_TOKEN: return "Slack token";
	case SECRET_STRIPE_KEY: return "Stripe secret key";
	case SECRET_GOOGLE_API_KEY: return "Google API key";
	case SECRET_JWT: return "JSON Web Token";
	case SECRET_URL_PASSWORD: return "password in a connection string";
	case SECRET_NAMED_FIELD: return "plaintext secret";
	case SECRET_HIGH_ENTROPY: return "high-entropy string";
	}
	return "?";
}

double secret_entropy(const char *s, size_t len)
{
	if (!len)
		return 0;
	size_t count[256] = {0};
	for (size_t i = 0; i < len; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (int c = 0; c < 256; c++) {
		if (!count[c])
			continue;
		double p = (double)count[c] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

static bool has_sub(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

static bool starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !strncasecmp(s, prefix, n);
}

bool secret_is_reference(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	if (has_sub(s, len, "{{resolve:"))
		return true;
	if (starts_ci(s, len, "arn:"))
		return true;
	if (len >= 3 && s[0] == '$' && s[1] == '{' && memchr(s, '}', len))
		return true;
	return false;
}

/*
 * Mostly made of words (CamelCase or lower-case runs of 4+ letters): an
 * identifier such as a policy or function name, not random text.
 */
static bool wordy(const char *s, size_t len)
{
	size_t covered = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		if (isupper((unsigned char)s[j]))
			j++;
		size_t k = j;
		while (k < len && islower((unsigned char)s[k]))
			k++;
		if (k - j >= 3) {
			covered += k - i;
			i = k;
		} else {
			i = i + 1;
		}
	}
	return covered * 2 >= len;
}

/* The candidate for a 40-character AWS secret key must look random. */
static bool plausible_secret_key(const char *s, size_t len)
{
	bool up = false, low = false, nonhex = false;
	int slashes = 0, digits = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		up |= isupper(c) != 0;
		low |= islower(c) != 0;
		digits += isdigit(c) != 0;
		nonhex |= !isxdigit(c);
		slashes += c == '/';
	}
	return up && low && digits >= 1 && nonhex && slashes <= 3 && !wordy(s, len) &&
	       secret_entropy(s, len) >= 4.2;
}

/* A password slot holding something that is not a password. */
static bool url_password_placeholder(const char *s, size_t len)
{
	if (has_sub(s, len, "{{") || has_sub(s, len, "${"))
		return true;
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>')
		return true;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '*')
			return false;
	return true;
}

static bool accept(enum secret_kind kind, const char *s, size_t len)
{
	switch (kind) {
	case SECRET_AWS_SECRET_KEY: return plausible_secret_key(s, len);
	case SECRET_URL_PASSWORD: return !url_password_placeholder(s, len);
	default: return true;
	}
}

static bool non_secret_literal(const char *s, size_t len);

/* "password": "literal" inside a larger text (a JSON document in a string). */

static bool json_named_field(const char *s, size_t len, pcre2_match_data *md, struct secret_hit *hit)
{
	PCRE2_SIZE start = 0;
	while (start <= len) {
		int rc = pcre2_match(json_pair, (PCRE2_SPTR)s, len, start, 0, md, match_ctx);
		if (rc < 3)
			return false;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		char name[80];
		size_t nl = ov[3] - ov[2];
		if (nl >= sizeof name)
			nl = sizeof name - 1;
		memcpy(name, s + ov[2], nl);
		name[nl] = 0;
		const char *v = s + ov[4];
		size_t vl = ov[5] - ov[4];
		if (secret_field_name(name) && !secret_is_reference(v, vl) && !non_secret_literal(v, vl) &&
		    !memmem(v, vl, "${", 2) && !memmem(v, vl, "{{", 2)) {
			hit->kind = SECRET_NAMED_FIELD;
			hit->off = ov[4];
			hit->len = vl;
			return true;
		}
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return false;
}

bool secret_detect_pattern(const char *s, size_t len, struct secret_hit *hit)
{
	if (!s || !len)
		return false;
	pthread_once(&compile_once, compile_patterns);
	pcre2_match_data *md = pcre2_match_data_create(8, NULL);
	if (!md)
		abort();
	bool found = false;
	for (size_t i = 0; i < NPATTERNS && !found; i++) {
		PCRE2_SIZE start = 0;
		while (start <= len) {
			int rc = pcre2_match(patterns[i].code, (PCRE2_SPTR)s, len, start, 0, md, match_ctx);
			if (rc <= patterns[i].group)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t so = ov[2 * patterns[i].group], eo = ov[2 * patterns[i].group + 1];
			if (so != PCRE2_UNSET && eo > so && accept(patterns[i].kind, s + so, eo - so)) {
				hit->kind = patterns[i].kind;
				hit->off = so;
				hit->len = eo - so;
				found = true;
				break;
			}
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	if (!found)
		found = json_named_field(s, len, md, hit);
	pcre2_match_data_free(md);
	return found;
}

/* Field name reduced to lower-case letters and digits, bounded. */
static void normalise(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; *in && n + 1 < size; in++)
		if (isalnum((unsigned char)*in))
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

bool secret_field_word(const char *field)
{
	if (!field)
		return false;
	char f[128];
	normalise(field, f, sizeof f);
	static const char *const words[] = {
	    "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "privatekey",
	    "accesskey", "credential", "authkey", "signingkey", "encryptionkey", "masterkey",
	    "clientkey", "licensekey", "hmackey", "jwtkey", "sessionkey", "webhookkey", "appkey",
	    "servicekey",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(f, words[i]))
			return true;
	return false;
}

bool secret_field_name(const char *field)
{
	if (!secret_field_word(field))
		return false;
	char f[128];
	normalise(field, f, sizeof f);
	/* Names of things that point at a secret, or describe one. */
	static const char *const not_secret[] = {
	    "arn",      "id",        "ids",      "name",     "names",    "length",   "type",
	    "ttl",      "url",       "uri",      "path",     "policy",   "policies", "rotation",
	    "validity", "units",     "expiry",   "expiration", "version", "count",   "enabled",
	    "header",   "headers",   "param",    "parameter", "ref",     "field",    "location",
	    "source",   "endpoint",  "prefix",   "suffix",   "format",   "table",    "queue",
	    "topic",    "bucket",    "file",     "alias",    "template", "port",     "host",
	    "region",   "timeout",   "cache",    "mode",     "level",    "size",     "duration",
	    "seconds",  "minutes",   "days",     "hours",    "interval", "scheme",   "schedule",
	    "required", "generator", "characters", "config", "configuration", "store", "manager",
	    "expression", "selector", "attribute", "attributes", "usage", "status", "issuer", "audience",
	    "scope", "scopes", "flow", "flows",
	};
	for (size_t i = 0; i < sizeof not_secret / sizeof not_secret[0]; i++)
		if (ends_with(f, not_secret[i]))
			return false;
	return true;
}

/* A literal in a secret-named field that is not a secret after all. */
static bool non_secret_literal(const char *s, size_t len)
{
	/* API Gateway writes literals in single quotes: "'true'". */
	if (len >= 2 && ((s[0] == '\'' && s[len - 1] == '\'') || (s[0] == '"' && s[len - 1] == '"'))) {
		s++;
		len -= 2;
	}
	static const char *const words[] = {"true", "false", "yes", "no", "none", "null", "n/a", "-"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == len && !strncasecmp(s, words[i], len))
			return true;
	/* A URL without credentials (an issuer, a token endpoint). */
	if ((starts_ci(s, len, "https://") || starts_ci(s, len, "http://")) && !memchr(s, '@', len) &&
	    !memchr(s, '?', len))
		return true;
	/* A variable of a mapping template or state machine ($input..., $$.Task.Token). */
	if (len && s[0] == '$')
		return true;
	/* No letter or digit at all: "<>", "***", "   ". */
	for (size_t i = 0; i < len; i++)
		if (isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* Fields whose values are digests, versions or code locations. */
static bool hashy_field(const char *field)
{
	if (!field)
		return false;
	char f[128];
	normalise(field, f, sizeof f);
	static const char *const parts[] = {
	    "sha", "hash", "checksum", "digest", "etag", "version", "s3key", "uri", "url", "arn", "image",
	    "bucket", "path", "prefix", "location", "description", "zipfile", "code", "asset", "fingerprint",
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (strstr(f, parts[i]))
			return true;
	return ends_with(f, "name") || ends_with(f, "id");
}

static bool high_entropy_token(const char *s, size_t len)
{
	if (len < 24 || len > 1024)
		return false;
	if (has_sub(s, len, "://"))
		return false;
	bool up = false, low = false, digit = false, nonhex = false;
	int seps = 0, slashes = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c)) {
			up |= isupper(c) != 0;
			low |= islower(c) != 0;
			digit |= isdigit(c) != 0;
			nonhex |= !isxdigit(c);
		} else if (c == '-' || c == '_' || c == '.') {
			seps++;
		} else if (c == '/') {
			slashes++;
		} else if (c != '+' && c != '=' && c != '~') {
			return false; /* structured text, not a token */
		}
	}
	if (!(up && low && digit && nonhex) || seps > 1 || slashes > 3 || s[0] == '/' || wordy(s, len))
		return false;
	double cap = log2((double)(len < 48 ? len : 48));
	return secret_entropy(s, len) >= 0.85 * cap;
}

bool secret_detect(const char *field, const char *s, size_t len, struct secret_hit *hit)
{
	if (!s)
		return false;
	size_t lead = 0;
	while (lead < len && isspace((unsigned char)s[lead]))
		lead++;
	size_t end = len;
	while (end > lead && isspace((unsigned char)s[end - 1]))
		end--;
	const char *t = s + lead;
	size_t tl = end - lead;
	if (!tl)
		return false;
	if (secret_is_reference(t, tl)) {
		/* A dynamic reference or ARN; but a key pasted into a larger text that also
		 * holds a reference is still a key. */
		struct secret_hit h;
		if (secret_detect_pattern(s, len, &h) && h.kind != SECRET_AWS_SECRET_KEY &&
		    h.kind != SECRET_URL_PASSWORD && h.kind != SECRET_NAMED_FIELD) {
			*hit = h;
			return true;
		}
		return false;
	}
	if (secret_detect_pattern(s, len, hit) && !(hit->kind == SECRET_AWS_SECRET_KEY && hashy_field(field)))
		return true;
	if (secret_field_name(field) && !non_secret_literal(t, tl)) {
		hit->kind = SECRET_NAMED_FIELD;
		hit->off = lead;
		hit->len = tl;
		return true;
	}
	if (!hashy_field(field) && high_entropy_token(t, tl)) {
		hit->kind = SECRET_HIGH_ENTROPY;
		hit->off = lead;
		hit->len = tl;
		return true;
	}
	return false;
}

char *secret_redact(const char *s, size_t len, char *out, size_t size)
{
	if (!size)
		return out;
	size_t show = len / 4;
	if (show > 4)
		show = 4;
	size_t stars = len - show;
	bool cut = false;
	if (stars > 28) {
		stars = 28;
		cut = true;
	}
	size_t n = 0;
	for (size_t i = 0; i < show && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = (c > 0x20 && c < 0x7f) ? (char)c : '*';
	}
	for (size_t i = 0; i < stars && n + 1 < size; i++)
		out[n++] = '*';
	for (int i = 0; cut && i < 3 && n + 1 < size; i++)
		out[n++] = '.';
	out[n] = 0;
	return out;
}
