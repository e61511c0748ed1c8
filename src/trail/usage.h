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

#endif
