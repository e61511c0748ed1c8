/*
 * catalogue.h - every check rampart has, in one list ordered by ID, and
 * the names (IDs and aliases) that select or suppress them.
 */
#ifndef RAMPART_CHECKS_CATALOGUE_H
#define RAMPART_CHECKS_CATALOGUE_H

#include "checks/check.h"

#include <stddef.h>

/* Each layer file defines its table and count. */
#define LAYER_TABLE(name)                           \
	extern const struct check checks_##name[];  \
	extern const size_t checks_##name##_count;

LAYER_TABLE(iam)
LAYER_TABLE(iam_access)
LAYER_TABLE(network)
LAYER_TABLE(api)
LAYER_TABLE(encryption)
LAYER_TABLE(secrets)
LAYER_TABLE(monitoring)
LAYER_TABLE(resilience)

/*
 * A row of shared/reference/coverage.md that no check carries, and why
 * (not_checked.c); `rampart checks` lists them.
 */
struct coverage_note {
	const char *row;    /* "B21" */
	const char *reason; /* "CloudFormation cannot set MFA delete" */
};
extern const struct coverage_note coverage_not_checked[];
extern const size_t coverage_not_checked_count;

/* All checks, sorted by id.  Built once, thread-safe after first call. */
const struct check *const *catalogue_all(size_t *n);
const struct check *catalogue_find(const char *id);
/* Does `name` (an ID or any alias) name this check? */
bool check_matches(const struct check *c, const char *name);
/*
 * The check ID or alias nearest to `name` (fewest edits, ignoring case;
 * the first in catalogue order on a tie), copied into buf.
 */
#define NEAREST_NAME_MAX 128
const char *catalogue_nearest(const char *name, char *buf, size_t size);

/*
 * For the driver (run.c): resource types are numbered once, from every
 * each() row's resource_types.  The number of a type (-1: no check names
 * it), and whether check i of catalogue_all() visits resources of type
 * number t ("*" rows visit every type, -1 included).
 */
int catalogue_type_index(const char *type);
bool catalogue_visits(size_t i, int t);

#endif
