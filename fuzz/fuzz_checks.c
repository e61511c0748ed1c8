/*
 * fuzz_checks.c - libFuzzer target: one template through everything a scan
 * does to it: the template loader (load_template_buffer), model_build (SAM
 * expansion included), then every check of the catalogue on each
 * document's stack.  Findings must name a
 * check and a resource; the check code's walks over odd values (maps where
 * lists are expected, unknowns, cycles) are what this target is for.
 *
 * The scan runs twice, each time in an arena of its own, and must give the
 * same sorted findings and the same diagnostics: output may not depend on
 * addresses, uninitialised memory or what an earlier scan left behind.
 */
#include "checks/run.h"
#include "checks/finding.h"
#include "core/arena.h"
#include "core/diag.h"
#include "load/load.h"
#include "model/stack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void scan(const uint8_t *data, size_t size, struct findings *f, size_t *ndiags)
{
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_template_buffer("fuzz.yaml", (const char *)data, size, a, &d);
	struct model_options opt = {0};
	for (struct node *doc = root; doc; doc = doc->next_doc) {
		struct stack *s = model_build(doc, "fuzz.yaml", &opt, a, &d);
		if (!s)
			continue;
		checks_run(s, NULL, f, &d);
	}
	findings_sort(f);
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].check || !f->v[i].resource || !f->v[i].message || !f->v[i].file)
			abort();
	*ndiags = d.n;
	diags_free(&d);
	arena_free(a);
}

static int nullcmp(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) : a != b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings f1 = {0}, f2 = {0};
	size_t d1, d2;
	scan(data, size, &f1, &d1);
	scan(data, size, &f2, &d2);
	if (f1.n != f2.n || d1 != d2)
		abort(); /* not deterministic */
	for (size_t i = 0; i < f1.n; i++) {
		const struct finding *x = &f1.v[i], *y = &f2.v[i];
		if (x->check != y->check || strcmp(x->resource, y->resource) || strcmp(x->message, y->message) ||
		    strcmp(x->file, y->file) || x->line != y->line || x->col != y->col ||
		    x->severity != y->severity || x->certain != y->certain || x->suppressed != y->suppressed ||
		    nullcmp(x->source_resource, y->source_resource) || nullcmp(x->cdk_path, y->cdk_path))
			abort(); /* not deterministic */
	}
	findings_free(&f1);
	findings_free(&f2);
	return 0;
}
