/*
 * usage.h - `rampart trail usage`: the IAM actions each principal used,
 * from CloudTrail, with first and last use and the resources named.
 *
 * Principals are rolled up: an assumed-role session counts as its role,
 * IAM users and root as themselves.  Only calls that succeeded count as
 * used; denied calls are counted apart.  eventSource + eventName become an
 * IAM action with the known exceptions (cloudtrail.md section 4).
 *
 * Event times are read by trail/timestamp.h (fractions, offsets, CloudTrail
 * Lake's form) and kept normalised, "2023-07-10T11:42:36Z".  Nothing is
 * dropped silently: a call whose time is missing or not a date and time
 * still counts, without a time; a resource named without a usable ARN marks
 * the action's resources incomplete; a call or denial that names no
 * principal cannot be counted.  Each becomes a warning about its record
 * (usage_take_warnings).
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
/* Warnings listed per input file; past it they are counted in one line. */
#define USAGE_MAX_WARNINGS_PER_FILE 100

/*
 * The IAM action behind an event, written to out ("s3:ListBucket"), of any
 * length.  Returns false when no IAM action authorises it
 * (sts:GetCallerIdentity, console sign-in events, in any letter case) or
 * the event names no service.
 */
bool trail_iam_action(struct tstr source, struct tstr name, struct strbuf *out);

/* The principal an event is rolled up to (role for sessions), of any
 * length, into out; false if the event names none. */
bool trail_usage_principal(const struct trail_event *ev, struct strbuf *out);

struct trail_usage *usage_new(void);
void usage_free(struct trail_usage *u);
/*
 * Adding events and merging tables commute: a table depends only on which
 * events went into it, not on their order nor on how they were split over
 * tables (one per thread) before usage_merge.  Nothing is
 * "the first seen": a principal's type is the smallest its events give (an
 * event without one gives none), first and last use are the least and
 * greatest times, counts are sums, and past USAGE_MAX_RESOURCES the
 * smallest resources are kept.  The same holds for warnings: all are
 * counted per file, the USAGE_MAX_WARNINGS_PER_FILE least by (offset,
 * reason) are listed.
 */
void usage_add(struct trail_usage *u, const struct trail_event *ev);
/* Move everything of src into dst (src is left empty but valid). */
void usage_merge(struct trail_usage *dst, struct trail_usage *src);
/* Move u's warnings to skips: file, the record's byte offset, reason (plus
 * one line per file counting those not listed); u keeps its tables. */
void usage_take_warnings(struct trail_usage *u, struct trail_skips *skips);

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
	const char *first, *last; /* normalised times; "" when none was readable */
	char *const *res; /* sorted */
	size_t nres;
	bool res_more;    /* more resources were seen than kept, or one without an ARN */
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
