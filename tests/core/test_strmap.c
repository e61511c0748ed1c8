/*
 * test_strmap.c - the string hash is 64-bit FNV-1a (checked against the
 * published test vectors: SARIF fingerprints are made of it, so it must be
 * the real function), and the map finds, replaces and grows.
 */
#include "core/arena.h"
#include "core/strmap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static uint64_t hash_of(const char *s)
{
	return str_hash(s, strlen(s));
}

static void test_fnv1a_published_vectors(void **state)
{
	(void)state;
	/* FNV-1a 64 vectors from the FNV reference test suite */
	assert_true(hash_of("") == 0xcbf29ce484222325ULL);
	assert_true(hash_of("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(hash_of("b") == 0xaf63df4c8601f1a5ULL);
	assert_true(hash_of("foobar") == 0x85944171f73967e8ULL);
	assert_true(FNV1A64_OFFSET == 14695981039346656037ULL);
}

static void test_hash_reads_n_bytes_not_to_nul(void **state)
{
	(void)state;
	/* a length, not a C string: embedded NULs count, the tail does not */
	assert_true(str_hash("foobarXYZ", 6) == 0x85944171f73967e8ULL);
	assert_true(str_hash("a\0b", 3) != str_hash("a", 1));
}

static void test_map_put_get_replace_grow(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct strmap m;
	strmap_init(&m, a);
	assert_null(strmap_get(&m, "x"));
	static char keys[200][16];
	for (int i = 0; i < 200; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_null(strmap_put(&m, keys[i], &keys[i]));
	}
	assert_int_equal(m.n, 200);
	for (int i = 0; i < 200; i++)
		assert_ptr_equal(strmap_get(&m, keys[i]), &keys[i]);
	assert_null(strmap_get(&m, "k200"));
	assert_ptr_equal(strmap_put(&m, "k7", NULL), &keys[7]);
	assert_int_equal(m.n, 200);
	assert_null(strmap_get(&m, "k7"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fnv1a_published_vectors),
	    cmocka_unit_test(test_hash_reads_n_bytes_not_to_nul),
	    cmocka_unit_test(test_map_put_get_replace_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
