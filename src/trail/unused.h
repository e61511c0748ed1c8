/*
 * unused.h - `rampart trail usage --templates`: what the roles of templates
 * were granted and did not use in the logs, like IAM Access Analyzer's
 * unused-access findings.
 *
 * A template role is matched to the logs by name: its RoleName when the
 * template sets one, else the name CloudFormation generates
 * (STACK-LOGICALID-SUFFIX, or the logical ID itself), against the role
 * name of the principals usage.c rolled sessions up to.  Granted actions
 * are the Allow statements' Action patterns of the role's identity
 * policies, expanded with the IAM catalogue (Deny statements are not
 * subtracted; NotAction and patterns naming no catalogue service are
 * listed as not expanded).  Used actions are the successful calls.
 */
#ifndef RAMPART_TRAIL_UNUSED_H
#define RAMPART_TRAIL_UNUSED_H

#include "iam/stack_load.h"
#include "trail/usage.h"

struct strbuf;

void unused_write_json(struct strbuf *sb, const struct trail_usage *u, const struct iam_stacks *st);
void unused_write_text(struct strbuf *sb, const struct trail_usage *u, const struct iam_stacks *st);

#endif
