/*
 * authz_details.h - the IAM roles and users of an account, with the
 * identity policies that grant them, from the output of
 * `aws iam get-account-authorization-details` (`trail usage --policies`).
 *
 * A role gets its inline RolePolicyList and its AttachedManagedPolicies; a
 * user its UserPolicyList, its AttachedManagedPolicies and, through its
 * GroupList, each group's GroupPolicyList and AttachedManagedPolicies.  A
 * managed policy counts by its default version only (IsDefaultVersion, else
 * DefaultVersionId), and so does a PermissionsBoundary.  A PolicyDocument may be a JSON object (what the AWS
 * CLI prints) or a URL-encoded JSON string (RFC 3986, as the API returns it
 * and boto3 keeps it); both are read.  Several files (pages saved apart)
 * form one account picture: groups and managed policies are found across
 * all of them.  A policy, group or managed policy that cannot be found or
 * read makes the principal `uncertain`, never silently smaller.
 *
 * A single policy document can stand for one principal: "NAME=FILE", where
 * NAME is a role or user ARN or a bare name (then it may be either).
 *
 * Problems are diagnostics with file:line:col (a problem inside an
 * URL-encoded document is reported at that string, with the position in the
 * decoded text); what can be read still is.
 */
#ifndef RAMPART_IAM_AUTHZ_DETAILS_H
#define RAMPART_IAM_AUTHZ_DETAILS_H

#include "core/diag.h"
#include "iam/policy.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum authz_kind {
	AUTHZ_ROLE,
	AUTHZ_USER,
	AUTHZ_ANY, /* NAME=FILE with a bare name: a role or a user of that name */
};

struct authz_principal {
	enum authz_kind kind;
	const char *name;                   /* RoleName / UserName, or NAME of NAME=FILE */
	const char *arn;                    /* as the file gives it; NULL for a bare NAME */
	const char *file;                   /* the file it was read from */
	const struct iam_policy **policies; /* identity policies, in file order */
	size_t npolicies;
	const struct iam_policy *boundary;  /* PermissionsBoundary's default version, or NULL */
	const char *uncertain;              /* why the policies may be incomplete, or NULL */
};

struct authz_set {
	struct arena *a;                    /* owns everything below but diags */
	struct authz_principal *v;          /* roles then users of each file, files in order */
	size_t n, cap;
	struct diags d;
};

/*
 * Read each argument: an authorization-details JSON file, a directory (its
 * *.json files, sorted by name), or NAME=FILE.  Principals listed twice
 * (same ARN) are kept once.
 */
void authz_load(char *const *args, size_t n, struct authz_set *out);
void authz_free(struct authz_set *s);

/* RFC 3986 percent-decoding into a NUL-terminated arena string; false on a
 * malformed escape ('%' not followed by two hex digits).  Exposed for tests. */
bool authz_url_decode(const char *s, size_t len, struct arena *a, char **out, size_t *outlen);

#endif
