/*
 * run.c - the checks driver (run.h).
 *
 * Each resource's type is looked up once per stack among the types the
 * catalogue's rows name (catalogue_type_index); then each check goes over
 * the resources in template order and takes those its row visits.  So a
 * check sees the stack's resources in the order they are written, and
 * findings are sorted at the end of the scan anyway.
 */
#include "checks/run.h"
#include "checks/catalogue.h"
#include "core/arena.h"

void checks_run(struct stack *s, const bool *enabled, struct findings *out, struct diags *d)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	check_suppressions_known(s, d);
	size_t nres = s->nres; /* checks do not add resources; the bound is kept anyway */
	int *type = arena_array(s->arena, nres ? nres : 1, sizeof *type);
	for (size_t i = 0; i < nres; i++)
		type[i] = catalogue_type_index(s->res[i].type);
	for (size_t c = 0; c < n; c++) {
		if (enabled && !enabled[c])
			continue;
		struct check_ctx ctx = {all[c], s, out, d, NULL};
		if (all[c]->run) {
			all[c]->run(&ctx);
			continue;
		}
		for (size_t i = 0; i < nres; i++)
			if (s->res[i].deployed != NO && catalogue_visits(c, type[i]))
				all[c]->each(&ctx, &s->res[i]);
	}
}
