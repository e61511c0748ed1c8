/*
 * check_harness.c - see check_harness.h.
 */
#include "check_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "checks/catalogue.h"
#include "checks/run.h"
#include "core/arena.h"
#include "load/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void harness_model(struct harness *h, const char *text)
{
	memset(h, 0, sizeof *h);
	h->arena = arena_new();
	struct node *root = load_buffer("test.yaml", text, strlen(text), h->arena, &h->diags);
	if (!root)
		return;
	struct model_options opt = {0};
	h->stack = model_build(root, "test.yaml", &opt, h->arena, &h->diags);
}

void harness_run(struct harness *h, const char *id, const char *text)
{
	harness_model(h, text);
	if (!h->stack)
		return;
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	bool *enabled = NULL;
	if (id) {
		enabled = calloc(n ? n : 1, sizeof *enabled);
		if (!enabled)
			abort();
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= enabled[i] = !strcmp(all[i]->id, id);
		if (!found) {
			fprintf(stderr, "harness: no check %s\n", id);
			abort();
		}
	}
	checks_run(h->stack, enabled, &h->findings, &h->diags);
	free(enabled);
}

void harness_free(struct harness *h)
{
	findings_free(&h->findings);
	diags_free(&h->diags);
	arena_free(h->arena);
	memset(h, 0, sizeof *h);
}

static size_t count(const char *id, const char *text, int only_uncertain)
{
	struct harness h;
	harness_run(&h, id, text);
	size_t c = 0;
	for (size_t i = 0; i < h.findings.n; i++)
		if (!h.findings.v[i].suppressed && (!only_uncertain || !h.findings.v[i].certain))
			c++;
	for (size_t i = 0; i < h.diags.n; i++) {
		char buf[512];
		diag_format(&h.diags.v[i], buf, sizeof buf);
		fprintf(stderr, "  (diag) %s\n", buf);
	}
	harness_free(&h);
	return c;
}

size_t harness_count(const char *id, const char *text)
{
	return count(id, text, 0);
}

size_t harness_count_uncertain(const char *id, const char *text)
{
	return count(id, text, 1);
}

void harness_assert_table(const struct check *rows, size_t n, int layer)
{
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		harness_assert_check_complete(&rows[i], layer);
		assert_ptr_equal(catalogue_find(rows[i].id), &rows[i]);
	}
}

void harness_assert_check_complete(const struct check *c, int layer)
{
	assert_non_null(c);
	assert_non_null(c->id);
	assert_int_equal(c->layer, layer);
	assert_true(c->title && *c->title);
	assert_true(c->resource_types && *c->resource_types);
	assert_true(!c->related_types || *c->related_types); /* left out, or naming types */
	assert_true(c->gdpr && *c->gdpr);
	assert_non_null(c->fsbp);
	assert_non_null(c->cis);
	assert_non_null(c->checkov);
	assert_non_null(c->kics);
	assert_non_null(c->cfn_nag);
	assert_non_null(c->cdk_nag);
	assert_non_null(c->kics_tf);
	assert_non_null(c->trivy);
	assert_non_null(c->guard);
	assert_non_null(c->coverage);
	assert_true(c->unknowns && *c->unknowns);
	assert_true(c->remediation && *c->remediation);
	assert_true(c->snippet && *c->snippet);
	/* Exactly one of each() and run(). */
	assert_true(!c->each != !c->run);
}
