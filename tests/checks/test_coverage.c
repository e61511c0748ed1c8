/*
 * test_coverage.c - every row of shared/reference/coverage.md (what the
 * other scanners check, one row per meaning) is accounted for: named in
 * some check's `coverage`, or listed in coverage_not_checked with a reason,
 * never both; and neither names a row coverage.md does not have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/catalogue.h"
#include "readback.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 1024

struct rows {
	char id[MAX_ROWS][8];
	size_t n;
};

/* The row IDs of coverage.md: table lines that start "| X12 |". */
static void read_rows(struct rows *r)
{
	char *text = test_slurp("../shared/reference/coverage.md");
	r->n = 0;
	for (char *line = text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '|' && line[1] == ' ' && isupper((unsigned char)line[2])) {
			size_t k = 2;
			while (isupper((unsigned char)line[k]))
				k++;
			size_t letters = k - 2;
			while (isdigit((unsigned char)line[k]))
				k++;
			if (letters >= 1 && letters <= 2 && k > 2 + letters && !strncmp(line + k, " |", 2) &&
			    k - 2 < sizeof r->id[0]) {
				assert_true(r->n < MAX_ROWS);
				memcpy(r->id[r->n], line + 2, k - 2);
				r->id[r->n][k - 2] = '\0';
				r->n++;
			}
		}
		line = next;
	}
	free(text);
	assert_true(r->n > 300); /* the file has 304 rows as written */
}

static int row_index(const struct rows *r, const char *id, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->id[i]) == n && !strncmp(r->id[i], id, n))
			return (int)i;
	return -1;
}

static void test_every_row_accounted_for(void **state)
{
	(void)state;
	static struct rows r;
	read_rows(&r);
	int checked[MAX_ROWS] = {0}, noted[MAX_ROWS] = {0};
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < n; i++) {
		const char *p = all[i]->coverage ? all[i]->coverage : "";
		while (*p) {
			while (*p == ',' || *p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ',' && *e != ' ')
				e++;
			if (e > p) {
				int k = row_index(&r, p, (size_t)(e - p));
				if (k < 0)
					fail_msg("%s names coverage row %.*s, which coverage.md does not have", all[i]->id,
						 (int)(e - p), p);
				checked[k]++;
			}
			p = e;
		}
	}
	for (size_t i = 0; i < coverage_not_checked_count; i++) {
		const struct coverage_note *c = &coverage_not_checked[i];
		assert_true(c->reason && *c->reason);
		int k = row_index(&r, c->row, strlen(c->row));
		if (k < 0)
			fail_msg("not_checked names row %s, which coverage.md does not have", c->row);
		if (checked[k])
			fail_msg("row %s is both checked and listed as not checked", c->row);
		if (noted[k]++)
			fail_msg("row %s is listed twice as not checked", c->row);
	}
	for (size_t i = 0; i < r.n; i++)
		if (!checked[i] && !noted[i])
			fail_msg("coverage.md row %s is neither a check's coverage nor listed in not_checked.c", r.id[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_row_accounted_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
