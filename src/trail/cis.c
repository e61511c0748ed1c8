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

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* A name with its length, so most comparisons stop at the length. */
struct lit {
	const char *s;
	size_t n;
};
#define L(x) {x, sizeof(x) - 1}

static bool name_in(const struct trail_event *ev, const struct lit *names)
{
	if (!ev->name.s)
		return false;
	for (size_t i = 0; names[i].s; i++)
		if (names[i].n == ev->name.n && names[i].s[0] == ev->name.s[0] &&
		    memcmp(names[i].s, ev->name.s, ev->name.n) == 0)
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

static const struct lit cis_4_4_names[] = {
	    L("DeleteGroupPolicy"), L("DeleteRolePolicy"),   L("DeleteUserPolicy"),    L("PutGroupPolicy"),
	    L("PutRolePolicy"),     L("PutUserPolicy"),      L("CreatePolicy"),        L("DeletePolicy"),
	    L("CreatePolicyVersion"), L("DeletePolicyVersion"), L("AttachRolePolicy"), L("DetachRolePolicy"),
	    L("AttachUserPolicy"),  L("DetachUserPolicy"),   L("AttachGroupPolicy"),   L("DetachGroupPolicy"),
	    {NULL, 0}};

static bool cis_4_4(const struct trail_event *ev)
{
	const struct lit *n = cis_4_4_names;
	return name_in(ev, n);
}

static const struct lit cis_4_5_names[] = {L("CreateTrail"), L("UpdateTrail"), L("DeleteTrail"),
					L("StartLogging"), L("StopLogging"), {NULL, 0}};

static bool cis_4_5(const struct trail_event *ev)
{
	const struct lit *n = cis_4_5_names;
	return name_in(ev, n);
}

static bool cis_4_6(const struct trail_event *ev)
{
	return tstr_eq(ev->name, "ConsoleLogin") &&
	       tstr_eq(ev->error_message, "Failed authentication");
}

static const struct lit cis_4_7_names[] = {L("DisableKey"), L("ScheduleKeyDeletion"), {NULL, 0}};

static bool cis_4_7(const struct trail_event *ev)
{
	const struct lit *n = cis_4_7_names;
	return tstr_eq(ev->source, "kms.amazonaws.com") && name_in(ev, n);
}

static const struct lit cis_4_8_names[] = {
	    L("PutBucketAcl"),        L("PutBucketPolicy"),    L("PutBucketCors"),
	    L("PutBucketLifecycle"),  L("PutBucketReplication"), L("DeleteBucketPolicy"),
	    L("DeleteBucketCors"),    L("DeleteBucketLifecycle"), L("DeleteBucketReplication"), {NULL, 0}};

static bool cis_4_8(const struct trail_event *ev)
{
	const struct lit *n = cis_4_8_names;
	return tstr_eq(ev->source, "s3.amazonaws.com") && name_in(ev, n);
}

static const struct lit cis_4_9_names[] = {L("StopConfigurationRecorder"), L("DeleteDeliveryChannel"),
					L("PutDeliveryChannel"), L("PutConfigurationRecorder"), {NULL, 0}};

static bool cis_4_9(const struct trail_event *ev)
{
	const struct lit *n = cis_4_9_names;
	return tstr_eq(ev->source, "config.amazonaws.com") && name_in(ev, n);
}

static const struct lit cis_4_10_names[] = {
	    L("AuthorizeSecurityGroupIngress"), L("AuthorizeSecurityGroupEgress"),
	    L("RevokeSecurityGroupIngress"),    L("RevokeSecurityGroupEgress"),
	    L("CreateSecurityGroup"),           L("DeleteSecurityGroup"),
	    L("ModifySecurityGroupRules"),      {NULL, 0}};

static bool cis_4_10(const struct trail_event *ev)
{
	const struct lit *n = cis_4_10_names;
	return name_in(ev, n);
}

static const struct lit cis_4_11_names[] = {L("CreateNetworkAcl"),       L("CreateNetworkAclEntry"),
					L("DeleteNetworkAcl"),       L("DeleteNetworkAclEntry"),
					L("ReplaceNetworkAclEntry"), L("ReplaceNetworkAclAssociation"),
					{NULL, 0}};

static bool cis_4_11(const struct trail_event *ev)
{
	const struct lit *n = cis_4_11_names;
	return name_in(ev, n);
}

static const struct lit cis_4_12_names[] = {L("CreateCustomerGateway"), L("DeleteCustomerGateway"),
					L("AttachInternetGateway"), L("CreateInternetGateway"),
					L("DeleteInternetGateway"), L("DetachInternetGateway"), {NULL, 0}};

static bool cis_4_12(const struct trail_event *ev)
{
	const struct lit *n = cis_4_12_names;
	return name_in(ev, n);
}

static const struct lit cis_4_13_names[] = {L("CreateRoute"),      L("CreateRouteTable"),
					L("ReplaceRoute"),     L("ReplaceRouteTableAssociation"),
					L("DeleteRouteTable"), L("DeleteRoute"),
					L("DisassociateRouteTable"), {NULL, 0}};

static bool cis_4_13(const struct trail_event *ev)
{
	const struct lit *n = cis_4_13_names;
	return name_in(ev, n);
}

static const struct lit cis_4_14_names[] = {
	    L("CreateVpc"),           L("DeleteVpc"),          L("ModifyVpcAttribute"),
	    L("AcceptVpcPeeringConnection"), L("CreateVpcPeeringConnection"),
	    L("DeleteVpcPeeringConnection"), L("RejectVpcPeeringConnection"),
	    L("AttachClassicLinkVpc"), L("DetachClassicLinkVpc"), L("DisableVpcClassicLink"),
	    L("EnableVpcClassicLink"), {NULL, 0}};

static bool cis_4_14(const struct trail_event *ev)
{
	const struct lit *n = cis_4_14_names;
	return name_in(ev, n);
}

static const struct lit cis_4_15_names[] = {
	    L("AcceptHandshake"),   L("AttachPolicy"),         L("CreateAccount"),
	    L("CreateOrganizationalUnit"), L("CreatePolicy"),  L("DeclineHandshake"),
	    L("DeleteOrganization"), L("DeleteOrganizationalUnit"), L("DeletePolicy"),
	    L("DetachPolicy"),      L("DisablePolicyType"),    L("EnablePolicyType"),
	    L("InviteAccountToOrganization"), L("LeaveOrganization"), L("MoveAccount"),
	    L("RemoveAccountFromOrganization"), L("UpdatePolicy"), L("UpdateOrganizationalUnit"),
	    {NULL, 0}};

static bool cis_4_15(const struct trail_event *ev)
{
	const struct lit *n = cis_4_15_names;
	return tstr_eq(ev->source, "organizations.amazonaws.com") && name_in(ev, n);
}

/* ---- which controls an event can match ----------------------------------- */

/*
 * Eleven of the fifteen controls are "eventName is one of these", and
 * walking the lists for every event was 2-3% of `trail detect`.  One hash
 * table from name to a bit mask of the controls listing it answers that
 * with one lookup; the controls' own predicates run only when their bit is
 * set (they check the name again, plus their eventSource conditions).
 */
#define NAME_SLOTS 512 /* power of two, > 4x the 87 names */

struct name_slot {
	const char *s;
	size_t n;
	uint32_t mask;
};

static struct name_slot name_table[NAME_SLOTS];
static uint32_t unlisted_mask; /* controls with no name list: always run */
static pthread_once_t name_once = PTHREAD_ONCE_INIT;

/* Runs once per event: the first and last eight bytes and the length,
 * multiplied together (byte-at-a-time FNV was a chain of dependent
 * multiplies, 1.5% of `trail detect`).  Collisions only cost a probe. */
static uint32_t name_hash(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else
		memcpy(&a, s, n);
	uint64_t h = (a * 0x9E3779B97F4A7C15u) ^ (b * 0xC2B2AE3D27D4EB4Fu) ^ n;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static const struct lit *names_of(size_t control)
{
	bool (*m)(const struct trail_event *) = trail_cis[control].match;
	if (m == cis_4_4) return cis_4_4_names;
	if (m == cis_4_5) return cis_4_5_names;
	if (m == cis_4_7) return cis_4_7_names;
	if (m == cis_4_8) return cis_4_8_names;
	if (m == cis_4_9) return cis_4_9_names;
	if (m == cis_4_10) return cis_4_10_names;
	if (m == cis_4_11) return cis_4_11_names;
	if (m == cis_4_12) return cis_4_12_names;
	if (m == cis_4_13) return cis_4_13_names;
	if (m == cis_4_14) return cis_4_14_names;
	if (m == cis_4_15) return cis_4_15_names;
	return NULL;
}

static void build_name_table(void)
{
	for (size_t c = 0; c < trail_cis_count; c++) {
		const struct lit *names = names_of(c);
		if (!names) {
			unlisted_mask |= (uint32_t)1 << c;
			continue;
		}
		for (size_t i = 0; names[i].s; i++) {
			uint32_t h = name_hash(names[i].s, names[i].n) & (NAME_SLOTS - 1);
			while (name_table[h].s && !(name_table[h].n == names[i].n &&
						    !memcmp(name_table[h].s, names[i].s, names[i].n)))
				h = (h + 1) & (NAME_SLOTS - 1);
			name_table[h].s = names[i].s;
			name_table[h].n = names[i].n;
			name_table[h].mask |= (uint32_t)1 << c;
		}
	}
}

void trail_cis_init(void)
{
	pthread_once(&name_once, build_name_table);
}

uint32_t trail_cis_candidates(const struct trail_event *ev)
{
	uint32_t mask = unlisted_mask;
	if (!ev->name.s)
		return mask;
	uint32_t h = name_hash(ev->name.s, ev->name.n) & (NAME_SLOTS - 1);
	for (; name_table[h].s; h = (h + 1) & (NAME_SLOTS - 1))
		if (name_table[h].n == ev->name.n &&
		    !memcmp(name_table[h].s, ev->name.s, ev->name.n))
			return mask | name_table[h].mask;
	return mask;
}

const struct trail_check trail_cis[] = {
    {"CIS-4.1", "Unauthorized API call", SEV_MEDIUM, cis_4_1},
    {"CIS-4.2", "Console sign-in without MFA", SEV_HIGH, cis_4_2},
    {"CIS-4.3", "Root account used", SEV_HIGH, cis_4_3},
    {"CIS-4.4", "IAM policy changed", SEV_MEDIUM, cis_4_4},
    {"CIS-4.5", "CloudTrail configuration changed", SEV_HIGH, cis_4_5},
    {"CIS-4.6", "Console authentication failure", SEV_MEDIUM, cis_4_6},
    {"CIS-4.7", "KMS key disabled or scheduled for deletion", SEV_HIGH, cis_4_7},
    {"CIS-4.8", "S3 bucket policy changed", SEV_MEDIUM, cis_4_8},
    {"CIS-4.9", "AWS Config configuration changed", SEV_HIGH, cis_4_9},
    {"CIS-4.10", "Security group changed", SEV_MEDIUM, cis_4_10},
    {"CIS-4.11", "Network ACL changed", SEV_MEDIUM, cis_4_11},
    {"CIS-4.12", "Network gateway changed", SEV_MEDIUM, cis_4_12},
    {"CIS-4.13", "Route table changed", SEV_MEDIUM, cis_4_13},
    {"CIS-4.14", "VPC changed", SEV_MEDIUM, cis_4_14},
    {"CIS-4.15", "AWS Organizations changed", SEV_MEDIUM, cis_4_15},
};
const size_t trail_cis_count = sizeof(trail_cis) / sizeof(trail_cis[0]);
