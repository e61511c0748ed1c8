/*
 * cis.c - the CIS AWS Foundations Benchmark monitoring controls 4.1-4.15 as
 * event predicates.
 *
 * CIS expresses each control as a CloudWatch Logs metric-filter pattern
 * (quoted verbatim in ../shared/reference/cloudtrail.md).  Here each pattern
 * is a predicate over one event with the pattern's intended logic:
 *
 *  - 4.1 (unauthorized API calls).  The v1.4-v3.0 text joins its two
 *    exclusions with `||`, so `$.eventName != "HeadBucket"` alone makes it
 *    match nearly every event; v4.0/v5.0 uses `&&` but mixes `||` and `&&`
 *    without parentheses.  The intent, implemented here, is
 *      (errorCode ends with "UnauthorizedOperation" OR starts with "AccessDenied")
 *      AND sourceIPAddress != "delivery.logs.amazonaws.com"
 *      AND eventName != "HeadBucket".
 *    cis_4_1_literal_v3() keeps the literal v3.0 text for comparison.
 *  - 4.2 (console sign-in without MFA).  MFAUsed is compared
 *    case-insensitively: AWS's own examples contain both "Yes" and "YES",
 *    and the literal `!= "Yes"` would flag an MFA root sign-in.  We use the
 *    SSO-aware variant CIS gives (and Security Hub uses): successful
 *    sign-ins of IAM users only, since federated (SSO) sign-ins carry no
 *    MFAUsed of their own.
 *  - 4.3 (root usage): userIdentity.type Root, no invokedBy, and eventType
 *    not AwsServiceEvent.
 *  - Bare and quoted values in the v3 and v4/v5 texts mean the same here
 *    (we compare values, not pattern text).  4.10 includes
 *    ModifySecurityGroupRules, added in v5.0.
 */
#include "trail/detect.h"

#include <string.h>

static bool name_in(const struct trail_event *ev, const char *const *names)
{
	if (!ev->name.s)
		return false;
	for (size_t i = 0; names[i]; i++)
		if (tstr_eq(ev->name, names[i]))
			return true;
	return false;
}

static bool has_prefix(struct tstr s, const char *p)
{
	size_t n = strlen(p);
	return s.s && s.n >= n && memcmp(s.s, p, n) == 0;
}

static bool has_suffix(struct tstr s, const char *p)
{
	size_t n = strlen(p);
	return s.s && s.n >= n && memcmp(s.s + s.n - n, p, n) == 0;
}

static bool cis_4_1(const struct trail_event *ev)
{
	if (!(has_suffix(ev->error_code, "UnauthorizedOperation") ||
	      has_prefix(ev->error_code, "AccessDenied")))
		return false;
	return !tstr_eq(ev->ip, "delivery.logs.amazonaws.com") && !tstr_eq(ev->name, "HeadBucket");
}

/* `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")
 *    || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }`
 * A CloudWatch `!=` on an absent field does not match. */
bool cis_4_1_literal_v3(const struct trail_event *ev)
{
	return has_suffix(ev->error_code, "UnauthorizedOperation") ||
	       has_prefix(ev->error_code, "AccessDenied") ||
	       (ev->ip.s && !tstr_eq(ev->ip, "delivery.logs.amazonaws.com")) ||
	       (ev->name.s && !tstr_eq(ev->name, "HeadBucket"));
}

static bool cis_4_2(const struct trail_event *ev)
{
	return tstr_eq(ev->name, "ConsoleLogin") && !tstr_ieq(ev->mfa_used, "Yes") &&
	       tstr_eq(ev->uid_type, "IAMUser") && tstr_eq(ev->console_login, "Success");
}

static bool cis_4_3(const struct trail_event *ev)
{
	return tstr_eq(ev->uid_type, "Root") && !ev->uid_invoked_by.s &&
	       !tstr_eq(ev->event_type, "AwsServiceEvent");
}

static bool cis_4_4(const struct trail_event *ev)
{
	static const char *const n[] = {
	    "DeleteGroupPolicy", "DeleteRolePolicy",   "DeleteUserPolicy",    "PutGroupPolicy",
	    "PutRolePolicy",     "PutUserPolicy",      "CreatePolicy",        "DeletePolicy",
	    "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
	    "AttachUserPolicy",  "DetachUserPolicy",   "AttachGroupPolicy",   "DetachGroupPolicy",
	    NULL};
	return name_in(ev, n);
}

static bool cis_4_5(const struct trail_event *ev)
{
	static const char *const n[] = {"CreateTrail", "UpdateTrail", "DeleteTrail",
					"StartLogging", "StopLogging", NULL};
	return name_in(ev, n);
}

static bool cis_4_6(const struct trail_event *ev)
{
	return tstr_eq(ev->name, "ConsoleLogin") &&
	       tstr_eq(ev->error_message, "Failed authentication");
}

static bool cis_4_7(const struct trail_event *ev)
{
	static const char *const n[] = {"DisableKey", "ScheduleKeyDeletion", NULL};
	return tstr_eq(ev->source, "kms.amazonaws.com") && name_in(ev, n);
}

static bool cis_4_8(const struct trail_event *ev)
{
	static const char *const n[] = {
	    "PutBucketAcl",        "PutBucketPolicy",    "PutBucketCors",
	    "PutBucketLifecycle",  "PutBucketReplication", "DeleteBucketPolicy",
	    "DeleteBucketCors",    "DeleteBucketLifecycle", "DeleteBucketReplication", NULL};
	return tstr_eq(ev->source, "s3.amazonaws.com") && name_in(ev, n);
}

static bool cis_4_9(const struct trail_event *ev)
{
	static const char *const n[] = {"StopConfigurationRecorder", "DeleteDeliveryChannel",
					"PutDeliveryChannel", "PutConfigurationRecorder", NULL};
	return tstr_eq(ev->source, "config.amazonaws.com") && name_in(ev, n);
}

static bool cis_4_10(const struct trail_event *ev)
{
	static const char *const n[] = {
	    "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
	    "RevokeSecurityGroupIngress",    "RevokeSecurityGroupEgress",
	    "CreateSecurityGroup",           "DeleteSecurityGroup",
	    "ModifySecurityGroupRules",      NULL};
	return name_in(ev, n);
}

static bool cis_4_11(const struct trail_event *ev)
{
	static const char *const n[] = {"CreateNetworkAcl",       "CreateNetworkAclEntry",
					"DeleteNetworkAcl",       "DeleteNetworkAclEntry",
					"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation",
					NULL};
	return name_in(ev, n);
}

static bool cis_4_12(const struct trail_event *ev)
{
	static const char *const n[] = {"CreateCustomerGateway", "DeleteCustomerGateway",
					"AttachInternetGateway", "CreateInternetGateway",
					"DeleteInternetGateway", "DetachInternetGateway", NULL};
	return name_in(ev, n);
}

static bool cis_4_13(const struct trail_event *ev)
{
	static const char *const n[] = {"CreateRoute",      "CreateRouteTable",
					"ReplaceRoute",     "ReplaceRouteTableAssociation",
					"DeleteRouteTable", "DeleteRoute",
					"DisassociateRouteTable", NULL};
	return name_in(ev, n);
}

static bool cis_4_14(const struct trail_event *ev)
{
	static const char *const n[] = {
	    "CreateVpc",           "DeleteVpc",          "ModifyVpcAttribute",
	    "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
	    "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
	    "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink",
	    "EnableVpcClassicLink", NULL};
	return name_in(ev, n);
}

static bool cis_4_15(const struct trail_event *ev)
{
	static const char *const n[] = {
	    "AcceptHandshake",   "AttachPolicy",         "CreateAccount",
	    "CreateOrganizationalUnit", "CreatePolicy",  "DeclineHandshake",
	    "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy",
	    "DetachPolicy",      "DisablePolicyType",    "EnablePolicyType",
	    "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
	    "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit",
	    NULL};
	return tstr_eq(ev->source, "organizations.amazonaws.com") && name_in(ev, n);
}

const struct trail_check trail_cis[] = {
    {"CIS-4.1", "Unauthorized API call", TL_MEDIUM, cis_4_1},
    {"CIS-4.2", "Console sign-in without MFA", TL_HIGH, cis_4_2},
    {"CIS-4.3", "Root account used", TL_HIGH, cis_4_3},
    {"CIS-4.4", "IAM policy changed", TL_MEDIUM, cis_4_4},
    {"CIS-4.5", "CloudTrail configuration changed", TL_HIGH, cis_4_5},
    {"CIS-4.6", "Console authentication failure", TL_MEDIUM, cis_4_6},
    {"CIS-4.7", "KMS key disabled or scheduled for deletion", TL_HIGH, cis_4_7},
    {"CIS-4.8", "S3 bucket policy changed", TL_MEDIUM, cis_4_8},
    {"CIS-4.9", "AWS Config configuration changed", TL_HIGH, cis_4_9},
    {"CIS-4.10", "Security group changed", TL_MEDIUM, cis_4_10},
    {"CIS-4.11", "Network ACL changed", TL_MEDIUM, cis_4_11},
    {"CIS-4.12", "Network gateway changed", TL_MEDIUM, cis_4_12},
    {"CIS-4.13", "Route table changed", TL_MEDIUM, cis_4_13},
    {"CIS-4.14", "VPC changed", TL_MEDIUM, cis_4_14},
    {"CIS-4.15", "AWS Organizations changed", TL_MEDIUM, cis_4_15},
};
const size_t trail_cis_count = sizeof(trail_cis) / sizeof(trail_cis[0]);
