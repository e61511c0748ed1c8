/*
 * usage.h - `rampart trail usage`: the IAM actions each principal used,
 * from CloudTrail, with first and last use and the resources named.
 *
 * Principals are rolled up: an assumed-role session counts as its role,
 * IAM users and root as themselves.  Only calls that succeeded count as
 * used; denied calls are counted apart.  eventSource + eventName become an
 * IAM action with the known exceptions (cloudtrail.md section 4).
 */
#ifndef RAMPART_TRAIL_USAGE_H
#define RAMPART_TRAIL_USAGE_H

#include "trail/read.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;
struct trail_usage;

/* Most resources kept per principal and action. */
#define USAGE_MAX_RESOURCES 20

/*
 * The IAM action behind an event, written to out ("s3:ListBucket").
 * Returns false when no IAM action authorises it (sts:GetCallerIdentity,
 * console sign-in events) or the event names no service.
 */
bool trail_iam_action(struct tstr source, struct tstr name, char *out, size_t size);

/* The principal an event is rolled up to (role for sessions); false if none. */
bool trail_usage_principal(const struct trail_event *ev, char *out, size_t size);

struct trail_usage *usage_new(void);
void usage_free(struct trail_usage *u);
/*
 * Adding events and merging tables commute: a table depends only on which
 * events went into it, not on their order nor on how they were split over
 * tables (one per thread) before usage_merge.  Nothing is
 * "the first seen": a principal's type is the smallest its events give (an
 * event without one gives none), first and last use are the least and
 * greatest times, counts are sums, and past USAGE_MAX_RESOURCES the
 * smallest resources are kept.
 */
void usage_add(struct trail_usage *u, const struct trail_event *ev);
/* Move everything of src into dst (src is left empty but valid). */
void usage_merge(struct trail_usage *dst, struct trail_usage *src);

/* Reports, sorted by principal then action. */
void usage_write_json(struct strbuf *sb, const struct trail_usage *u);
void usage_write_text(struct strbuf *sb, const struct trail_usage *u);

/* For tests: count of actions used by principal (0 if unknown), and
 * whether it used action. */
size_t usage_action_count(const struct trail_usage *u, const char *principal);
bool usage_used(const struct trail_usage *u, const char *principal, const char *action);

/* One action of a principal, read-only, for policy generation and reviews. */
struct usage_action_view {
	const char *action;
	uint64_t count;
	const char *first, *last;
	char *const *res; /* sorted */
	size_t nres;
	bool res_more;    /* more resources were seen than kept */
};

/*
 * The principal's ARN for `who`: an ARN as reported, or a role or user
 * name (the last path segment of a role/ or user/ ARN).  NULL when nothing
 * matches; *ambiguous set when a name matches more than one principal.
 */
const char *usage_principal_find(const struct trail_usage *u, const char *who, bool *ambiguous);

/* The principal's actions sorted by name, in *out (caller frees the array);
 * returns their number.  Views are valid until u changes. */
size_t usage_actions(const struct trail_usage *u, const char *principal, struct usage_action_view **out);

/* Every principal's ARN, sorted (caller frees the array, not the strings). */
size_t usage_principals(const struct trail_usage *u, const char ***out);

#endif
