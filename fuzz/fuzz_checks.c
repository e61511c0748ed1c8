/*
 * fuzz_checks.c - libFuzzer target: one template through everything a scan
 * does to it: loader, model_build (SAM expansion included), then every
 * check of the catalogue on each document's stack.  Findings must name a
 * check and a resource; the check code's walks over odd values (maps where
 * lists are expected, unknowns, cycles) are what this target is for.
 */
#include "checks/catalogue.h"
#include "checks/check.h"
#include "checks/finding.h"
#include "core/arena.h"
#include "core/diag.h"
#include "load/load.h"
#include "model/stack.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d = {0};
	struct findings f = {0};
	struct node *root = load_buffer("fuzz.yaml", (const char *)data, size, a, &d);
	struct model_options opt = {0};
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	for (struct node *doc = root; doc; doc = doc->next_doc) {
		struct stack *s = model_build(doc, "fuzz.yaml", &opt, a, &d);
		if (!s)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct check_ctx ctx = {all[i], s, &f, &d};
			all[i]->run(&ctx);
		}
	}
	findings_sort(&f);
	for (size_t i = 0; i < f.n; i++)
		if (!f.v[i].check || !f.v[i].resource || !f.v[i].message || !f.v[i].file)
			abort();
	findings_free(&f);
	diags_free(&d);
	arena_free(a);
	return 0;
}
