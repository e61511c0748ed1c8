/*
 * secret_detect.h - find credentials written into template text, and
 * redact them.
 *
 * Three kinds of evidence, strongest first:
 *
 *   1. Known key formats (PCRE2): AWS access key IDs (AKIA/ASIA) and
 *      40-character secret keys, PEM private key blocks, GitHub, Slack,
 *      Stripe and Google API tokens, JWTs, the password of a connection
 *      string (postgres://user:PASS@host, JDBC ?password=, ADO.NET
 *      Password=...;), and "password": "..." pairs of JSON text held in a
 *      string (a SecretString, a state machine definition).
 *   2. The field's name: a value in a field called *password*, *secret*,
 *      *token*, *api_key*... is a plaintext credential, even an obvious
 *      placeholder such as "changeme".  Names that hold a reference to a
 *      secret rather than the secret (SecretArn, PasswordLength,
 *      KmsKeyId...) are not.
 *   3. Shannon entropy of a long single-token string, for keys of no known
 *      format.  Not applied to values that are evidently something else:
 *      ARNs, URLs without credentials, {{resolve:...}} dynamic references,
 *      ${...} substitutions, hex digests (asset hashes, S3 keys), slugs
 *      and paths, or values of fields that hold hashes and code locations.
 *
 * Nothing here keeps or prints a secret: callers report the redacted form
 * (secret_redact) and where the value was.
 */
#ifndef RAMPART_ANALYSE_SECRET_DETECT_H
#define RAMPART_ANALYSE_SECRET_DETECT_H

#include <stdbool.h>
#include <stddef.h>

enum secret_kind {
	SECRET_NONE,
	SECRET_AWS_ACCESS_KEY_ID,
	SECRET_AWS_SECRET_KEY,
	SECRET_PRIVATE_KEY,
	SECRET_GITHUB_TOKEN,
	SECRET_SLACK_TOKEN,
	SECRET_STRIPE_KEY,
	SECRET_GOOGLE_API_KEY,
	SECRET_JWT,
	SECRET_URL_PASSWORD,
	SECRET_NAMED_FIELD,   /* literal value in a field named like a secret */
	SECRET_HIGH_ENTROPY,
};

/* A hit: what was found and where in the scanned text. */
struct secret_hit {
	enum secret_kind kind;
	size_t off, len; /* the secret part of the text (for a URL: the password) */
};

/*
 * Scan a value.  `field` is the name of the field holding it (a property
 * name, an environment variable name; NULL when there is none) and decides
 * rules 2 and 3 above.  Returns true and fills *hit with the strongest
 * evidence found.
 */
bool secret_detect(const char *field, const char *s, size_t len, struct secret_hit *hit);

/* Known formats only (rule 1); usable on any text, e.g. the rendering of a Fn::Sub. */
bool secret_detect_pattern(const char *s, size_t len, struct secret_hit *hit);

/* Does this field name say its value is a secret (rule 2's name test)? */
bool secret_field_name(const char *field);
/*
 * Does the name mention a secret at all?  True for secret_field_name's
 * names and for descriptors of secrets (TokenValidityUnits, PasswordPolicy):
 * values under a descriptor are settings, not secrets.
 */
bool secret_field_word(const char *field);

/*
 * Is s a reference to a secret rather than a secret: a {{resolve:...}}
 * dynamic reference, an ARN, or a ${...} substitution left as text?
 */
bool secret_is_reference(const char *s, size_t len);

/* Shannon entropy of s in bits per byte. */
double secret_entropy(const char *s, size_t len);

/*
 * Write a redacted form of s into out (always NUL-terminated): at most the
 * first 4 characters, fewer for short strings (a quarter of the length),
 * the rest as '*' (length shown up to 28 stars, then cut).  Control and
 * non-ASCII bytes are never shown.  Returns out.
 */
char *secret_redact(const char *s, size_t len, char *out, size_t size);

/* "AWS access key ID", "private key", ... */
const char *secret_kind_name(enum secret_kind k);

#endif
