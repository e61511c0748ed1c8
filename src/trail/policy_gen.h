/*
 * policy_gen.h - `rampart trail policy`: a least-privilege identity policy
 * from what a principal did in CloudTrail, like IAM Access Analyzer's
 * policy generation.
 *
 * The actions are those usage.c mapped from eventSource + eventName, one
 * statement per service and resource set; resources are narrowed to the
 * ARNs the events named, else "*" (also when more were seen than kept, or
 * when the catalogue says the action takes only "*").  IAM actions are
 * case-insensitive: the spellings CloudTrail gives one action
 * (dynamodb:GetItem, dynamodb:getItem) are one entry, written as AWS spells
 * it, with the resources of all.  Actions the IAM catalogue does not know
 * are left out and listed as unmapped.  Output is sorted (by AWS's
 * spelling) and deterministic.
 */
#ifndef RAMPART_TRAIL_POLICY_GEN_H
#define RAMPART_TRAIL_POLICY_GEN_H

#include "trail/timestamp.h"
#include "trail/usage.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* What the generated policy was built from. */
struct policy_gen_info {
	uint64_t events;         /* successful calls with an IAM action */
	/* window of those calls, normalised times; "" if none had one */
	char first[TRAIL_EVENT_TIME_SIZE], last[TRAIL_EVENT_TIME_SIZE];
	size_t nactions;         /* actions in the policy */
	size_t nstatements;
	char **unmapped;         /* actions left out: not in the catalogue (malloc'd) */
	size_t nunmapped;
};

/*
 * Write the policy of `principal` (an ARN as usage reports it) to sb: the
 * IAM JSON document alone, or with text, preceded by "//" comment lines
 * naming the principal, window, event count and unmapped actions.
 * Returns false if the principal made no call with an IAM action.
 */
bool policy_generate(struct strbuf *sb, const struct trail_usage *u, const char *principal, bool text,
		     struct policy_gen_info *info);
void policy_gen_info_free(struct policy_gen_info *info);

#endif
