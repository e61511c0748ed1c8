/*
 * test_cases.c - every check against its own failing and passing
 * templates, table-driven from the catalogue.
 *
 * tests/checks/cases/<CHECK-ID>/ holds YAML templates named by what the
 * check must say about them:
 *   fail*.yaml       at least one unsuppressed finding of the check
 *   uncertain*.yaml  at least one, and every one of them uncertain (MAYBE)
 *   pass*.yaml       no finding of the check
 * A case must load and model without an error diagnostic (a broken
 * template would pass vacuously), a case directory must name a check of
 * the catalogue, and a check's directory needs at least one fail and one
 * pass case.  Checks without a directory are counted and named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "readback.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES "tests/checks/cases"

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int has_suffix(const char *s, const char *x)
{
	size_t n = strlen(s), k = strlen(x);
	return n >= k && !strcmp(s + n - k, x);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names of a directory, sorted; NULL if it does not exist. */
static char **list_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	size_t cap = 16;
	char **v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof *v, by_name);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Run check `id` on one case file and assert what its name promises. */
static void run_case(const char *id, const char *dir, const char *name, int *fails, int *passes)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!has_suffix(name, ".yaml"))
		fail_msg("%s: case files are .yaml", path);
	char *text = test_slurp(path);
	struct harness h;
	harness_run(&h, id, text);
	free(text);
	size_t errors = 0, found = 0, certain = 0;
	for (size_t i = 0; i < h.diags.n; i++)
		if (h.diags.v[i].level == DIAG_ERROR) {
			char buf[1024];
			diag_format(&h.diags.v[i], buf, sizeof buf);
			print_error("%s: %s\n", path, buf);
			errors++;
		}
	for (size_t i = 0; i < h.findings.n; i++)
		if (!h.findings.v[i].suppressed && !strcmp(h.findings.v[i].check->id, id)) {
			found++;
			certain += h.findings.v[i].certain;
		}
	harness_free(&h);
	if (errors)
		fail_msg("%s: the case does not load cleanly", path);
	if (has_prefix(name, "fail")) {
		if (!found)
			fail_msg("%s: %s found nothing", path, id);
		++*fails;
	} else if (has_prefix(name, "uncertain")) {
		if (!found || certain)
			fail_msg("%s: %s gave %zu findings, %zu certain (want uncertain ones only)", path, id, found,
				 certain);
		++*fails;
	} else if (has_prefix(name, "pass")) {
		if (found)
			fail_msg("%s: %s found %zu", path, id, found);
		++*passes;
	} else {
		fail_msg("%s: a case is named fail*, uncertain* or pass*", path);
	}
}

static void test_every_check_on_its_cases(void **state)
{
	(void)state;
	size_t n, without = 0, with = 0;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < n; i++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s/%s", CASES, all[i]->id);
		size_t k;
		char **files = list_dir(dir, &k);
		if (!files) {
			without++;
			print_message("no cases yet: %s\n", all[i]->id);
			continue;
		}
		int fails = 0, passes = 0;
		for (size_t j = 0; j < k; j++)
			run_case(all[i]->id, dir, files[j], &fails, &passes);
		free_list(files, k);
		if (!fails || !passes)
			fail_msg("%s: needs at least one failing and one passing case", dir);
		with++;
	}
	print_message("%zu checks with cases, %zu without\n", with, without);
}

/* A directory under cases/ that names no check is a typo or a renamed check. */
static void test_no_stray_case_dirs(void **state)
{
	(void)state;
	size_t k;
	char **dirs = list_dir(CASES, &k);
	if (!dirs)
		return;
	for (size_t j = 0; j < k; j++)
		if (!catalogue_find(dirs[j]))
			fail_msg("%s/%s names no check", CASES, dirs[j]);
	free_list(dirs, k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_check_on_its_cases),
	    cmocka_unit_test(test_no_stray_case_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
