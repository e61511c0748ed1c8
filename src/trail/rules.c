/*
 * rules.c - rampart's own CloudTrail detections for a serverless database
 * stack (RMP-TRAIL-NNN): sign-in, root, KMS, Secrets Manager, DynamoDB, RDS,
 * security groups, CloudTrail itself.
 *
 * Stateless ones are predicates here.  Two need the whole window and are
 * finished in detect.c after all files are read (events sorted by time):
 *   RMP-TRAIL-005  a secret value read by a principal that had not read a
 *                  secret earlier in the window (the first read per principal);
 *   RMP-TRAIL-013  DENIED_BURST_COUNT or more denied calls by one principal
 *                  within DENIED_BURST_SECONDS (one detection per burst).
 * Their predicates (rules_is_secret_read, rules_is_denied) select candidates.
 */
#include "trail/detect.h"

#include "core/cidr.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static bool src_is(const struct trail_event *ev, const char *s)
{
	return tstr_eq(ev->source, s);
}

static bool name_is(const struct trail_event *ev, const char *s)
{
	return tstr_eq(ev->name, s);
}

static bool ok(const struct trail_event *ev)
{
	return ev->error_code.s == NULL;
}

/* A requestParameters field as text ("true", "all", ...); kind returned. */
static enum tval_kind param(const struct trail_event *ev, const char *path, struct strbuf *sb,
			    struct tstr *out)
{
	return trail_event_field(ev, path, out, sb);
}

static bool param_true(const struct trail_event *ev, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct tstr v;
	enum tval_kind k = param(ev, path, &sb, &v);
	bool r = (k == TV_BOOL || k == TV_STRING) && tstr_ieq(v, "true");
	sb_free(&sb);
	return r;
}

static bool param_false(const struct trail_event *ev, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct tstr v;
	enum tval_kind k = param(ev, path, &sb, &v);
	bool r = (k == TV_BOOL || k == TV_STRING) && tstr_ieq(v, "false");
	sb_free(&sb);
	return r;
}

static bool raw_contains(struct tstr raw, const char *needle)
{
	size_t n = strlen(needle);
	if (!raw.s || raw.n < n)
		return false;
	for (size_t i = 0; i + n <= raw.n; i++)
		if (raw.s[i] == needle[0] && memcmp(raw.s + i, needle, n) == 0)
			return true;
	return false;
}

/* 001: console sign-in failure. */
static bool console_failure(const struct trail_event *ev)
{
	return name_is(ev, "ConsoleLogin") &&
	       (tstr_eq(ev->console_login, "Failure") || ev->error_message.s != NULL);
}

/* 002: successful console sign-in without MFA, by an IAM user or root
 * (federated sign-ins carry their IdP's MFA, not MFAUsed). */
static bool console_no_mfa(const struct trail_event *ev)
{
	return name_is(ev, "ConsoleLogin") && tstr_eq(ev->console_login, "Success") &&
	       !tstr_ieq(ev->mfa_used, "Yes") &&
	       (tstr_eq(ev->uid_type, "IAMUser") || tstr_eq(ev->uid_type, "Root"));
}

/* 003: root used (same logic as CIS 4.3, kept as a database-stack alert). */
static bool root_used(const struct trail_event *ev)
{
	return tstr_eq(ev->uid_type, "Root") && !ev->uid_invoked_by.s &&
	       !tstr_eq(ev->event_type, "AwsServiceEvent");
}

/* 004: KMS key disabled or scheduled for deletion (succeeded). */
static bool kms_key_disabled(const struct trail_event *ev)
{
	return src_is(ev, "kms.amazonaws.com") && ok(ev) &&
	       (name_is(ev, "DisableKey") || name_is(ev, "ScheduleKeyDeletion"));
}

bool rules_is_secret_read(const struct trail_event *ev)
{
	return src_is(ev, "secretsmanager.amazonaws.com") && ok(ev) &&
	       (name_is(ev, "GetSecretValue") || name_is(ev, "BatchGetSecretValue"));
}

static bool ddb_table_deleted(const struct trail_event *ev)
{
	return src_is(ev, "dynamodb.amazonaws.com") && ok(ev) && name_is(ev, "DeleteTable");
}

static bool ddb_backup_deleted(const struct trail_event *ev)
{
	return src_is(ev, "dynamodb.amazonaws.com") && ok(ev) && name_is(ev, "DeleteBackup");
}

static bool ddb_pitr_disabled(const struct trail_event *ev)
{
	return src_is(ev, "dynamodb.amazonaws.com") && ok(ev) &&
	       name_is(ev, "UpdateContinuousBackups") &&
	       param_false(ev, "requestParameters.pointInTimeRecoverySpecification."
			       "pointInTimeRecoveryEnabled");
}

static bool rds_made_public(const struct trail_event *ev)
{
	return src_is(ev, "rds.amazonaws.com") && ok(ev) &&
	       (name_is(ev, "ModifyDBInstance") || name_is(ev, "ModifyDBCluster") ||
		name_is(ev, "CreateDBInstance") || name_is(ev, "RestoreDBInstanceFromDBSnapshot")) &&
	       param_true(ev, "requestParameters.publiclyAccessible");
}

/* 010: a database or volume snapshot shared with another account or made
 * public: RDS restore permission added, EBS createVolumePermission added. */
static bool snapshot_shared(const struct trail_event *ev)
{
	if (!ok(ev))
		return false;
	if (src_is(ev, "rds.amazonaws.com") &&
	    (name_is(ev, "ModifyDBSnapshotAttribute") ||
	     name_is(ev, "ModifyDBClusterSnapshotAttribute"))) {
		struct strbuf sb = STRBUF_INIT;
		struct tstr v;
		bool r = false;
		if (param(ev, "requestParameters.attributeName", &sb, &v) == TV_STRING &&
		    tstr_ieq(v, "restore")) {
			enum tval_kind k = param(ev, "requestParameters.valuesToAdd", &sb, &v);
			r = k == TV_ARRAY && v.n > 2;
		}
		sb_free(&sb);
		return r;
	}
	if (src_is(ev, "ec2.amazonaws.com") && name_is(ev, "ModifySnapshotAttribute"))
		return raw_contains(ev->request_params, "\"add\"") &&
		       raw_contains(ev->request_params, "createVolumePermission");
	return false;
}

/* The next "cidrIp" or "cidrIpv6" string value in raw[*at..), as a block; false at the end.  A value
 * that does not read is skipped (it opens nothing: EC2 refused the call). */
static bool next_cidr(struct tstr raw, size_t *at, struct cidr *out)
{
	static const char key[] = "\"cidrIp";
	while (*at + sizeof key - 1 <= raw.n) {
		const char *k = memmem(raw.s + *at, raw.n - *at, key, sizeof key - 1);
		if (!k)
			return false;
		size_t i = (size_t)(k - raw.s) + sizeof key - 1;
		*at = i;
		if (i + 3 <= raw.n && !memcmp(raw.s + i, "v6", 2))
			i += 2;
		if (i >= raw.n || raw.s[i++] != '"')
			continue; /* another key that starts alike */
		while (i < raw.n && (raw.s[i] == ' ' || raw.s[i] == ':'))
			i++;
		if (i >= raw.n || raw.s[i++] != '"')
			continue;
		const char *end = memchr(raw.s + i, '"', raw.n - i);
		if (!end)
			return false;
		*at = (size_t)(end - raw.s);
		if (cidr_parse(raw.s + i, (size_t)(end - raw.s) - i, 0, out, NULL) == CIDR_OK)
			return true;
	}
	return false;
}

/* 011: security group ingress from the whole internet: the request's ranges
 * (cidrIp, cidrIpv6) together hold every IPv4 or every IPv6 address, by
 * address arithmetic (core/cidr): 0.0.0.0/0, ::/0, 1.2.3.4/0 (host bits are
 * the network's), or 0.0.0.0/1 with 128.0.0.0/1. */
static bool sg_open_world(const struct trail_event *ev)
{
	if (!src_is(ev, "ec2.amazonaws.com") || !ok(ev) || !name_is(ev, "AuthorizeSecurityGroupIngress") ||
	    !ev->request_params.s)
		return false;
	struct cidr *v = NULL, c;
	size_t n = 0, cap = 0, at = 0;
	while (next_cidr(ev->request_params, &at, &c)) {
		XGROW(v, cap, n + 1);
		v[n++] = c;
	}
	struct cidr all4 = cidr_all(4), all6 = cidr_all(6);
	bool open = cidr_union_covers(v, n, &all4) || cidr_union_covers(v, n, &all6);
	free(v);
	return open;
}

static bool trail_stopped(const struct trail_event *ev)
{
	return src_is(ev, "cloudtrail.amazonaws.com") && ok(ev) &&
	       (name_is(ev, "StopLogging") || name_is(ev, "DeleteTrail"));
}

bool rules_is_denied(const struct trail_event *ev)
{
	struct tstr e = ev->error_code;
	if (!e.s)
		return false;
	if (e.n >= 12 && memcmp(e.s, "AccessDenied", 12) == 0)
		return true;
	return e.n >= 21 && memcmp(e.s + e.n - 21, "UnauthorizedOperation", 21) == 0;
}

/* 014: AssumeRole asking for a session longer than an hour. */
static bool long_session(const struct trail_event *ev)
{
	if (!src_is(ev, "sts.amazonaws.com") || !ok(ev) ||
	    !(name_is(ev, "AssumeRole") || name_is(ev, "AssumeRoleWithSAML") ||
	      name_is(ev, "AssumeRoleWithWebIdentity")))
		return false;
	struct strbuf sb = STRBUF_INIT;
	struct tstr v;
	enum tval_kind k = param(ev, "requestParameters.durationSeconds", &sb, &v);
	bool r = false;
	if (k == TV_NUMBER || k == TV_STRING) {
		char tmp[32];
		size_t n = v.n < sizeof(tmp) - 1 ? v.n : sizeof(tmp) - 1;
		memcpy(tmp, v.s, n);
		tmp[n] = '\0';
		r = strtod(tmp, NULL) > ASSUME_ROLE_MAX_SECONDS;
	}
	sb_free(&sb);
	return r;
}

const struct trail_check trail_rules[] = {
    {"RMP-TRAIL-001", "Console sign-in failed", SEV_MEDIUM, console_failure},
    {"RMP-TRAIL-002", "Console sign-in without MFA", SEV_HIGH, console_no_mfa},
    {"RMP-TRAIL-003", "Root account used", SEV_HIGH, root_used},
    {"RMP-TRAIL-004", "KMS key disabled or scheduled for deletion", SEV_HIGH, kms_key_disabled},
    /* RMP-TRAIL-005 is windowed: see detect.c */
    {"RMP-TRAIL-006", "DynamoDB table deleted", SEV_HIGH, ddb_table_deleted},
    {"RMP-TRAIL-007", "DynamoDB backup deleted", SEV_HIGH, ddb_backup_deleted},
    {"RMP-TRAIL-008", "DynamoDB point-in-time recovery disabled", SEV_HIGH, ddb_pitr_disabled},
    {"RMP-TRAIL-009", "RDS database made publicly accessible", SEV_CRITICAL, rds_made_public},
    {"RMP-TRAIL-010", "Snapshot shared with another account or made public", SEV_HIGH,
     snapshot_shared},
    {"RMP-TRAIL-011", "Security group opened to the internet", SEV_HIGH, sg_open_world},
    {"RMP-TRAIL-012", "CloudTrail logging stopped or trail deleted", SEV_CRITICAL,
     trail_stopped},
    /* RMP-TRAIL-013 is windowed: see detect.c */
    {"RMP-TRAIL-014", "Role session longer than an hour requested", SEV_LOW, long_session},
};
const size_t trail_rules_count = sizeof(trail_rules) / sizeof(trail_rules[0]);

struct tstr trail_principal(const struct trail_event *ev)
{
	if (ev->uid_arn.s && ev->uid_arn.n)
		return ev->uid_arn;
	if (ev->issuer_arn.s && ev->issuer_arn.n)
		return ev->issuer_arn;
	if (ev->uid_principal.s && ev->uid_principal.n)
		return ev->uid_principal;
	if (ev->uid_invoked_by.s)
		return ev->uid_invoked_by;
	return ev->uid_type;
}
