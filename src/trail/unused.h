/*
 * unused.h - `rampart trail usage --templates/--policies`: what the roles
 * and users of templates or of an account's authorization details were
 * granted and did not use in the logs, like IAM Access Analyzer's
 * unused-access findings: principals never used, granted actions never
 * used, services granted and never touched.
 *
 * Matching to the logs.  A template role or user is matched by name: its
 * RoleName/UserName when the template sets one, else the name
 * CloudFormation generates (STACK-LOGICALID-SUFFIX, or the logical ID
 * itself), against the last path segment of the role or user ARNs usage.c
 * rolled sessions up to.  A principal of --policies (authz_details.h) is
 * matched by exact ARN, else by name within the same account (assumed-role
 * sessions roll up to a role ARN without its path); a bare NAME=FILE name
 * matches a role or a user of that name.
 *
 * Granted actions are the identity policies' Allow statements expanded with
 * the IAM catalogue: Action patterns to the actions they match, NotAction
 * to every catalogue action none of its patterns match.  Actions an
 * unconditional Deny removes everywhere (Resource "*" - not NotResource -
 * and no Condition; Action or NotAction as for Allow) are subtracted.  A
 * Deny with a Condition or scoped to some resources does not remove the
 * action: it may still be allowed elsewhere, and the review does not say
 * so.  A permissions boundary (the template's, or PermissionsBoundary of
 * authorization details) caps the granted set: only actions it grants,
 * computed the same way, remain.  Patterns naming no catalogue service are
 * listed as not expanded (unless an unconditional Deny covers them
 * literally).  Template users also get the policies of the template's
 * groups they belong to (Groups, AWS::IAM::UserToGroupAddition); an AWS
 * managed policy attached to such a group is not read and makes the
 * user's granted set uncertain.  Used actions are the successful calls;
 * those the catalogue does not know cannot be placed among the granted
 * ones and are listed apart (used_not_in_catalogue), never left out.
 */
#ifndef RAMPART_TRAIL_UNUSED_H
#define RAMPART_TRAIL_UNUSED_H

#include "iam/authz_details.h"
#include "iam/stack_load.h"
#include "trail/usage.h"

struct strbuf;

/*
 * Json: {"version":1,"roles":[...]}, one entry per role or user; the keys
 * of the roles-only review kept ("template": the file read, template or
 * policies; "role": logical ID, or the name for policies; "role_name"),
 * plus "kind" ("role"|"user"), "source" ("template"|"policies"), "arn"
 * (policies: the ARN matched exactly; else null) and
 * "used_not_in_catalogue" (used actions the review could not place).
 *
 * Either source may be NULL; templates are reviewed first, then policies.
 * The policies of template groups are compiled into the stacks' arenas.
 */
void unused_write_json(struct strbuf *sb, const struct trail_usage *u, struct iam_stacks *st,
		       const struct authz_set *pol);
void unused_write_text(struct strbuf *sb, const struct trail_usage *u, struct iam_stacks *st,
		       const struct authz_set *pol);

#endif
