/*
 * test_secret_detect.c - the secret detector: each known format found,
 * the false-positive traps left alone, field names, entropy, redaction.
 *
 * Token-shaped test strings are split across C literals so that scanners
 * of this repository do not take them for real credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyse/secret_detect.h"

#include <string.h>

static enum secret_kind kind_of(const char *field, const char *s)
{
	struct secret_hit h = {0};
	return secret_detect(field, s, strlen(s), &h) ? h.kind : SECRET_NONE;
}

static void test_aws_keys(void **state)
{
	(void)state;
	assert_int_equal(kind_of(NULL, "AKIA" "IOSFODNN7EXAMPLE"), SECRET_AWS_ACCESS_KEY_ID);
	assert_int_equal(kind_of(NULL, "key=ASIA" "Y34FZKBOKMUTVV7A;"), SECRET_AWS_ACCESS_KEY_ID);
	/* Too short, or part of a longer upper-case run: not a key ID. */
	assert_int_equal(kind_of(NULL, "AKIA" "IOSFODNN7EXAM"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "XAKIA" "IOSFODNN7EXAMPLEX"), SECRET_NONE);
	/* AROA/AIDA are unique IDs, not credentials. */
	assert_int_equal(kind_of(NULL, "AROA" "IOSFODNN7EXAMPLE"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "wJalrXUtnFEMI/K7MDENG/" "bPxRfiCYEXAMPLEKEY"), SECRET_AWS_SECRET_KEY);
	/* A 40-character CamelCase identifier (a policy name) is not a secret key. */
	assert_int_equal(kind_of("PolicyName", "EmailProcessingLambdaFunctionRolePolicy0"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "EmailProcessingLambdaFunctionRolePolicy0"), SECRET_NONE);
	/* A 40-hex digest (git commit, SHA-1) is not a secret key. */
	assert_int_equal(kind_of(NULL, "3f786850e387550fdab836ed7e6dc881de23001b"), SECRET_NONE);

	struct secret_hit h;
	const char *s = "export AWS_ACCESS_KEY_ID=AKIA" "IOSFODNN7EXAMPLE done";
	assert_true(secret_detect(NULL, s, strlen(s), &h));
	assert_int_equal(h.off, 25);
	assert_int_equal(h.len, 20);
}

static void test_private_key(void **state)
{
	(void)state;
	const char *pem = "-----BEGIN RSA PRIVATE KEY-----\n"
			  "MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH\n"
			  "-----END RSA PRIVATE KEY-----\n";
	struct secret_hit h;
	assert_true(secret_detect(NULL, pem, strlen(pem), &h));
	assert_int_equal(h.kind, SECRET_PRIVATE_KEY);
	assert_int_equal(h.off, 0);
	assert_int_equal(h.len, strlen(pem) - 1);
	assert_int_equal(kind_of(NULL, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
			 SECRET_PRIVATE_KEY);
	/* A public key or a certificate is not a secret. */
	assert_int_equal(kind_of(NULL, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"),
			 SECRET_NONE);
}

static void test_tokens(void **state)
{
	(void)state;
	assert_int_equal(kind_of(NULL, "ghp_" "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"), SECRET_GITHUB_TOKEN);
	assert_int_equal(kind_of(NULL, "github_pat_" "11ABCDEFG0123456789_abcdefghijklmnopqrstuv"), SECRET_GITHUB_TOKEN);
	assert_int_equal(kind_of(NULL, "xoxb-" "123456789012-1234567890123-AbCdEfGhIjKlMnOp"), SECRET_SLACK_TOKEN);
	assert_int_equal(kind_of(NULL, "https://hooks.slack.com/services/" "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
			 SECRET_SLACK_TOKEN);
	assert_int_equal(kind_of(NULL, "sk_" "live_4eC39HqLyjWDarjtT1zdp7dc"), SECRET_STRIPE_KEY);
	/* Publishable Stripe keys are meant to be public. */
	assert_int_equal(kind_of(NULL, "pk_" "live_4eC39HqLyjWDarjtT1zdp7dc"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "AIza" "SyA-1234567890abcdefghijklmnopqrstu"), SECRET_GOOGLE_API_KEY);
	assert_int_equal(kind_of(NULL, "eyJhbGciOiJIUzI1NiJ9." "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
			 SECRET_JWT);
}

static void test_connection_strings(void **state)
{
	(void)state;
	struct secret_hit h;
	const char *url = "postgres://app:s3cr3tPass@db.example.com:5432/clinic";
	assert_true(secret_detect(NULL, url, strlen(url), &h));
	assert_int_equal(h.kind, SECRET_URL_PASSWORD);
	assert_int_equal(h.len, strlen("s3cr3tPass"));
	assert_memory_equal(url + h.off, "s3cr3tPass", h.len);
	assert_int_equal(kind_of(NULL, "mysql://root:changeme@localhost/db"), SECRET_URL_PASSWORD);
	/* No password, a substitution or a dynamic reference in the slot: not a secret. */
	assert_int_equal(kind_of(NULL, "postgres://app@db.example.com/clinic"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "https://example.com:8443/path"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "postgres://app:${DbPassword}@db.example.com/clinic"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "postgres://app:{{resolve:secretsmanager:Db:SecretString:password}}@db/x"),
			 SECRET_NONE);
	assert_int_equal(kind_of(NULL, "postgres://app:****@db/x"), SECRET_NONE);
	/* key=value forms */
	const char *jdbc = "jdbc:mysql://db:3306/app?user=admin&password=Hunter22";
	assert_true(secret_detect(NULL, jdbc, strlen(jdbc), &h));
	assert_int_equal(h.kind, SECRET_URL_PASSWORD);
	assert_memory_equal(jdbc + h.off, "Hunter22", h.len);
	assert_int_equal(kind_of(NULL, "Server=db;Database=app;User Id=sa;Password=Hunter22;"), SECRET_URL_PASSWORD);
	assert_int_equal(kind_of(NULL, "Server=db;Password=${DbPassword};"), SECRET_NONE);
}

static void test_json_fields(void **state)
{
	(void)state;
	struct secret_hit h;
	const char *js = "{\"username\": \"admin\", \"password\": \"Hunter22\"}";
	assert_true(secret_detect_pattern(js, strlen(js), &h));
	assert_int_equal(h.kind, SECRET_NAMED_FIELD);
	assert_memory_equal(js + h.off, "Hunter22", h.len);
	/* Substitutions, references and non-secret names are not hits. */
	assert_int_equal(kind_of(NULL, "{\"username\": \"admin\", \"password\": \"${DbPassword}\"}"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "{\"username\": \"admin\", \"host\": \"db.local\"}"), SECRET_NONE);
	assert_int_equal(kind_of(NULL, "{\"SecretArn\": \"arn:aws:secretsmanager:eu-west-2:1:secret:x\"}"), SECRET_NONE);
}

static void test_references_not_secrets(void **state)
{
	(void)state;
	assert_int_equal(kind_of("Password", "{{resolve:secretsmanager:MyDbSecret:SecretString:password}}"), SECRET_NONE);
	assert_int_equal(kind_of("Password", "{{resolve:ssm-secure:/clinic/db/password:1}}"), SECRET_NONE);
	assert_int_equal(kind_of("DB_SECRET", "arn:aws:secretsmanager:eu-west-2:123456789012:secret:db-AbCdEf"),
			 SECRET_NONE);
	assert_int_equal(kind_of("Token", "${ApiToken}"), SECRET_NONE);
	assert_true(secret_is_reference("  {{resolve:ssm:/a/b}}", 22));
	assert_true(secret_is_reference("arn:aws:kms:eu-west-2:1:key/x", 29));
	assert_false(secret_is_reference("hunter2", 7));
}

static void test_field_names(void **state)
{
	(void)state;
	assert_true(secret_field_name("MasterUserPassword"));
	assert_true(secret_field_name("DB_PASSWORD"));
	assert_true(secret_field_name("jwtSecret"));
	assert_true(secret_field_name("API_KEY"));
	assert_true(secret_field_name("EventSourceToken"));
	assert_true(secret_field_name("LicenseKey"));
	assert_true(secret_field_name("HMAC_KEY"));
	assert_false(secret_field_name("S3Key"));
	assert_false(secret_field_name("PartitionKey"));
	assert_false(secret_field_name("ApiKeyName"));
	assert_false(secret_field_name("SecretArn"));
	assert_false(secret_field_name("DB_SECRET_ARN"));
	assert_false(secret_field_name("SECRET_NAME"));
	assert_false(secret_field_name("PasswordLength"));
	assert_false(secret_field_name("AccessTokenValidity"));
	assert_false(secret_field_name("KmsKeyId"));
	assert_false(secret_field_name("TableName"));
	assert_false(secret_field_name(NULL));
	/* Placeholders in a password field still count; booleans do not. */
	assert_int_equal(kind_of("DB_PASSWORD", "changeme"), SECRET_NAMED_FIELD);
	assert_int_equal(kind_of("Password", "password"), SECRET_NAMED_FIELD);
	assert_int_equal(kind_of("RequireSecret", "true"), SECRET_NONE);
	assert_int_equal(kind_of("Password", ""), SECRET_NONE);
	assert_int_equal(kind_of("Password", "   "), SECRET_NONE);
	assert_int_equal(kind_of("Password", "<>"), SECRET_NONE);
	assert_int_equal(kind_of("Access-Control-Allow-Credentials", "'true'"), SECRET_NONE);
	assert_false(secret_field_name("ApiKeySelectionExpression"));
	assert_int_equal(kind_of("Token", "$input.params('token')"), SECRET_NONE);
	assert_int_equal(kind_of("Password", "<PASSWORD>"), SECRET_NAMED_FIELD);
	/* Under a name that only describes a secret, nothing is a secret. */
	assert_true(secret_field_word("TokenValidityUnits"));
	assert_false(secret_field_name("TokenValidityUnits"));
	assert_false(secret_field_word("TableName"));
	/* The same word in a field with no secret name is nothing. */
	assert_int_equal(kind_of("Description", "changeme"), SECRET_NONE);
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(secret_entropy("aaaa", 4) < 0.001);
	assert_true(secret_entropy("abcd", 4) > 1.999 && secret_entropy("abcd", 4) < 2.001);
	/* A long random token in an ordinary field. */
	assert_int_equal(kind_of("Setting", "Zx8Qp2Lr7Vt4Nw9Ks3Hb6Jd1Fm5Gc0Ya"), SECRET_HIGH_ENTROPY);
	/* Not for hashes, asset keys, slugs, paths, prose, ARNs or URLs. */
	assert_int_equal(kind_of("Setting", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), SECRET_NONE);
	assert_int_equal(kind_of("S3Key", "Zx8Qp2Lr7Vt4Nw9Ks3Hb6Jd1Fm5Gc0Ya.zip"), SECRET_NONE);
	assert_int_equal(kind_of("CodeSha256", "Zx8Qp2Lr7Vt4Nw9Ks3Hb6Jd1Fm5Gc0Ya="), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "clinic-stack-BookingsFunction-1A2B3C4D5E6F"), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "/aws/lambda/clinic/Bookings2024Function"), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "The quick brown fox jumps over the lazy dog 42"), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "https://api.example.com/v1/Zx8Qp2Lr7Vt4Nw9Ks3Hb6Jd"), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "short1A"), SECRET_NONE);
	assert_int_equal(kind_of("Setting", "BookingsTableStreamProcessorFunction2024"), SECRET_NONE);
}

static void test_redact(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(secret_redact("AKIA" "IOSFODNN7EXAMPLE", 20, out, sizeof out), "AKIA****************");
	assert_string_equal(secret_redact("supersec", 8, out, sizeof out), "su******");
	assert_string_equal(secret_redact("abc", 3, out, sizeof out), "***");
	assert_string_equal(secret_redact("", 0, out, sizeof out), "");
	/* Long secrets: never more than 4 characters shown, and the length is capped. */
	const char *pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH";
	secret_redact(pem, strlen(pem), out, sizeof out);
	assert_string_equal(out, "----" "****************************" "...");
	assert_int_equal(strlen(out), 4 + 28 + 3);
	/* Control bytes are never copied out. */
	assert_string_equal(secret_redact("\n\tabcdefghijklmnop", 18, out, sizeof out), "**ab**************");
	/* Bounded by the buffer. */
	char small[6];
	assert_string_equal(secret_redact("AKIA" "IOSFODNN7EXAMPLE", 20, small, sizeof small), "AKIA*");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_aws_keys),
	    cmocka_unit_test(test_private_key),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_connection_strings),
	    cmocka_unit_test(test_json_fields),
	    cmocka_unit_test(test_references_not_secrets),
	    cmocka_unit_test(test_field_names),
	    cmocka_unit_test(test_entropy),
	    cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
