/*
 * monitoring.c - the monitoring layer's checks: CloudTrail trails, their
 * data events and CIS 4.x metric-filter alarms, CloudWatch log groups
 * (retention, encryption, Lambda's implicit never-expiring groups) and RDS
 * log exports.  What these checks protect is the evidence a breach report
 * (UK GDPR Art. 33) needs.
 *
 * A check raises on YES, and on MAYBE (certain=false) only where its
 * `unknowns` field says so.
 */
#include "checks/catalogue.h"
#include "graph/graph.h"
#include "model/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_type(const struct resource *r, const char *type)
{
	return r && !strcmp(r->type, type);
}

/* ---- CloudTrail trail settings ---- */

/* RMP-CT-001 */
static void trail_multi_region(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "IsMultiRegionTrail");
	enum tri t = tri_not(val_is_true(v));
	check_report_tri(ctx, r, v, t, "trail %s %s only its own region: IsMultiRegionTrail is %s", r->id,
	     t == YES ? "records" : "may record", v ? val_render(ctx->stack->arena, v) : "not set (false)");
}

/* RMP-CT-002 */
static void trail_validation(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "EnableLogFileValidation");
	enum tri t = tri_not(val_is_true(v));
	check_report_tri(ctx, r, v, t,
	     "trail %s %s no digest files, so tampering with its logs cannot be detected: "
	     "EnableLogFileValidation is %s",
	     r->id, t == YES ? "writes" : "may write", v ? val_render(ctx->stack->arena, v) : "not set (false)");
}

/* RMP-CT-003 */
static void trail_kms(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_unset(r->props, "KMSKeyId");
	check_report_tri(ctx, r, val_get(r->props, "KMSKeyId"), t,
	     "trail %s %s its logs with S3-managed keys only: KMSKeyId is not set", r->id,
	     t == YES ? "encrypts" : "may encrypt");
}

/* RMP-CT-004 */
static void trail_cloudwatch(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_unset(r->props, "CloudWatchLogsLogGroupArn");
	check_report_tri(ctx, r, val_get(r->props, "CloudWatchLogsLogGroupArn"), t,
	     "trail %s %s not sent to CloudWatch Logs, so no metric filter or alarm can watch it: "
	     "CloudWatchLogsLogGroupArn is not set",
	     r->id, t == YES ? "is" : "may be");
}

/* RMP-CT-005 */
static void trail_logging(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "IsLogging");
	enum tri t = val_is_false(v);
	check_report_tri(ctx, r, v, t, "trail %s %s not logging: IsLogging is %s", r->id, t == YES ? "is" : "may be",
	     val_render(ctx->stack->arena, v));
}

/* RMP-CT-007: IAM, STS and console sign-in are global services, recorded only with this on. */
static void trail_global_events(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "IncludeGlobalServiceEvents");
	enum tri t = val_is_false(v); /* not set: CloudTrail's default, true */
	check_report_tri(ctx, r, v, t,
	     "trail %s %s no IAM, STS or console sign-in events: IncludeGlobalServiceEvents is %s", r->id,
	     t == YES ? "records" : "may record", val_render(ctx->stack->arena, v));
}

/* ---- RMP-CT-006: data events for the stack's data stores ---- */

struct data_kind {
	const char *event_type;   /* resources.type / DataResources.Type */
	const char *what;         /* for messages */
	const char *const types[3]; /* stack resource types whose activity it records */
};

static const struct data_kind data_kinds[] = {
	{"AWS::DynamoDB::Table", "DynamoDB items", {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", NULL}},
	{"AWS::S3::Object", "S3 objects", {"AWS::S3::Bucket", NULL, NULL}},
	{"AWS::Lambda::Function", "Lambda invocations", {"AWS::Lambda::Function", NULL, NULL}},
};
#define NKINDS (sizeof data_kinds / sizeof *data_kinds)

/* An EventSelectors DataResources entry of the event type. */
static enum tri data_resource_of(const struct value *dr, const void *event_type)
{
	return query_at(dr, "Type", query_eq, event_type);
}

static enum tri selector_records(const struct value *sel, const void *event_type)
{
	return query_any(sel, "DataResources", data_resource_of, event_type);
}

/* An AdvancedEventSelectors field selector on resources.type that names the event type. */
static enum tri field_selects(const struct value *f, const void *event_type)
{
	return tri_and(query_at(f, "Field", query_eq, "resources.type"),
		       tri_or(query_any(f, "Equals", query_eq, event_type), query_any(f, "StartsWith", query_eq, event_type)));
}

static enum tri advanced_records(const struct value *sel, const void *event_type)
{
	return query_any(sel, "FieldSelectors", field_selects, event_type);
}

/* Does the trail record data events of this type?  Undecided selectors count as recording. */
static bool trail_records(const struct resource *trail, const char *event_type)
{
	return tri_or(query_any(trail->props, "EventSelectors", selector_records, event_type),
		      query_any(trail->props, "AdvancedEventSelectors", advanced_records, event_type)) != NO;
}

/*
 * A bucket that only receives logs (a trail's S3BucketName, or another
 * bucket's access-log destination): its objects are not personal data.
 */
static bool log_bucket(const struct stack *s, const struct resource *b)
{
	if (!is_type(b, "AWS::S3::Bucket"))
		return false;
	return graph_referrers(s, b->id, "AWS::CloudTrail::Trail", "S3BucketName", NULL, 0) ||
	       graph_referrers(s, b->id, "AWS::S3::Bucket", "LoggingConfiguration.DestinationBucketName", NULL, 0);
}

static void run_data_events(struct check_ctx *ctx)
{
	struct stack *s = ctx->stack;
	const struct resource *first = NULL;
	bool covered[NKINDS] = {0};
	const struct resource *example[NKINDS] = {0};
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (r->deployed == NO)
			continue;
		for (size_t k = 0; k < NKINDS; k++)
			for (size_t t = 0; t < 3 && data_kinds[k].types[t]; t++)
				if (!example[k] && is_type(r, data_kinds[k].types[t]) && !log_bucket(s, r))
					example[k] = r;
		if (!is_type(r, "AWS::CloudTrail::Trail"))
			continue;
		if (!first)
			first = r;
		for (size_t k = 0; k < NKINDS; k++)
			covered[k] = covered[k] || trail_records(r, data_kinds[k].event_type);
	}
	if (!first)
		return; /* no trail here: an organisation trail may record them; not ours to say */
	char missing[512] = "";
	size_t len = 0;
	for (size_t k = 0; k < NKINDS; k++) {
		if (!example[k] || covered[k])
			continue;
		int w = snprintf(missing + len, sizeof missing - len, "%s%s (e.g. %s)", len ? ", " : "",
				 data_kinds[k].what, example[k]->id);
		if (w > 0 && (size_t)w < sizeof missing - len)
			len += (size_t)w;
	}
	if (!len)
		return;
	check_report_tri(ctx, first, val_get(first->props, "EventSelectors"), YES,
	     "no trail of the stack records data events for %s: reads and writes of personal data leave no trace",
	     missing);
}

/* ---- CloudWatch log groups ---- */

/* RMP-LOG-001, log groups */
static void group_retention(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_unset(r->props, "RetentionInDays");
	check_report_tri(ctx, r, val_get(r->props, "RetentionInDays"), t,
	     "log group %s %s its logs forever: RetentionInDays is not set", r->id, t == YES ? "keeps" : "may keep");
}

/* Does the stack declare the log group this function writes to? */
static bool function_has_group(const struct stack *s, const struct resource *fn)
{
	if (query_unset(fn->props, "LoggingConfig.LogGroup") == NO)
		return true; /* a custom group: checked where it is declared, or outside the stack */
	const char *fname = val_str(val_get(fn->props, "FunctionName"));
	char want[320] = "";
	if (fname)
		snprintf(want, sizeof want, "/aws/lambda/%s", fname);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *g = &s->res[i];
		/* The group itself, or a custom resource that sets its retention (CDK's Custom::LogRetention). */
		bool custom = !strncmp(g->type, "Custom::", 8) || is_type(g, "AWS::CloudFormation::CustomResource");
		if ((!is_type(g, "AWS::Logs::LogGroup") && !custom) || g->deployed == NO)
			continue;
		const struct value *name = val_get(g->props, "LogGroupName");
		if (graph_mentions(name, fn->id))
			return true;
		if (fname && val_str(name) && !strcmp(val_str(name), want))
			return true;
	}
	return false;
}

/* RMP-LOG-001, functions without a declared group */
static void function_retention(struct check_ctx *ctx, const struct resource *r)
{
	if (function_has_group(ctx->stack, r))
		return;
	check_report(ctx, r, r->pos, false,
		     "function %s has no log group in the stack: Lambda creates /aws/lambda/<name> on first run "
		     "with no retention, so its logs never expire",
		     r->id);
}

static void retention(struct check_ctx *ctx, const struct resource *r)
{
	if (is_type(r, "AWS::Lambda::Function"))
		function_retention(ctx, r);
	else
		group_retention(ctx, r);
}

/* RMP-LOG-002 */
static void group_kms(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_unset(r->props, "KmsKeyId");
	check_report_tri(ctx, r, val_get(r->props, "KmsKeyId"), t,
	     "log group %s %s not encrypted with a customer-managed KMS key: KmsKeyId is not set", r->id,
	     t == YES ? "is" : "may be");
}

/* ---- RMP-RDS-013: database log exports ---- */

/* The log an engine must export for auditing, or NULL when any export will do. */
static const char *required_log(const char *engine)
{
	if (!engine)
		return NULL;
	if (!strncasecmp(engine, "aurora-postgresql", 17) || !strncasecmp(engine, "postgres", 8))
		return "postgresql";
	if (!strcasecmp(engine, "aurora-mysql") || !strcasecmp(engine, "aurora"))
		return "audit";
	return NULL;
}

static void db_logs(struct check_ctx *ctx, const struct resource *r)
{
	bool cluster = is_type(r, "AWS::RDS::DBCluster");
	if (!cluster && query_unset(r->props, "DBClusterIdentifier") != YES)
		return; /* an Aurora instance: its cluster exports the logs */
	if (cluster && val_equals_ci(val_get(r->props, "EngineMode"), "serverless") == YES)
		return; /* Aurora Serverless v1 cannot export logs */
	const struct value *ex = val_get(r->props, "EnableCloudwatchLogsExports");
	const char *engine = val_str(val_get(r->props, "Engine"));
	enum tri none = query_unset(ex, "");
	if (none != NO) {
		check_report_tri(ctx, r, ex, none,
		     "database %s %s no logs to CloudWatch Logs: EnableCloudwatchLogsExports is empty%s%s%s", r->id,
		     none == YES ? "exports" : "may export", required_log(engine) ? " (export at least \"" : "",
		     required_log(engine) ? required_log(engine) : "", required_log(engine) ? "\")" : "");
		return;
	}
	const char *need = required_log(engine);
	if (!need || query_any(ex, "", query_eq, need) != NO)
		return;
	check_report_tri(ctx, r, ex, YES, "database %s (%s) does not export its \"%s\" log to CloudWatch Logs", r->id, engine,
	     need);
}

/* ---- RMP-CW-001: CIS 4.x metric filters and alarms ---- */

/*
 * One CIS AWS Foundations v3.0 monitoring control: the terms a filter
 * pattern must contain (';'-separated "field=value" or "field!=value",
 * from shared/reference/cloudtrail.md).  Other terms in a pattern (the
 * exclusions of 4.1, spacing, quoting, order) do not matter.
 */
struct cis_control {
	const char *cis;
	const char *sh; /* Security Hub CloudWatch.x, or NULL */
	const char *what;
	const char *terms;
};

static const struct cis_control cis_controls[] = {
	{"4.1", "CloudWatch.2", "unauthorized API calls", "errorCode=*UnauthorizedOperation;errorCode=AccessDenied*"},
	{"4.2", "CloudWatch.3", "console sign-in without MFA",
	 "eventName=ConsoleLogin;additionalEventData.MFAUsed!=Yes"},
	{"4.3", "CloudWatch.1", "root account usage", "userIdentity.type=Root"},
	{"4.4", "CloudWatch.4", "IAM policy changes",
	 "eventName=DeleteGroupPolicy;eventName=DeleteRolePolicy;eventName=DeleteUserPolicy;"
	 "eventName=PutGroupPolicy;eventName=PutRolePolicy;eventName=PutUserPolicy;eventName=CreatePolicy;"
	 "eventName=DeletePolicy;eventName=CreatePolicyVersion;eventName=DeletePolicyVersion;"
	 "eventName=AttachRolePolicy;eventName=DetachRolePolicy;eventName=AttachUserPolicy;"
	 "eventName=DetachUserPolicy;eventName=AttachGroupPolicy;eventName=DetachGroupPolicy"},
	{"4.5", "CloudWatch.5", "CloudTrail configuration changes",
	 "eventName=CreateTrail;eventName=UpdateTrail;eventName=DeleteTrail;eventName=StartLogging;"
	 "eventName=StopLogging"},
	{"4.6", "CloudWatch.6", "console authentication failures",
	 "eventName=ConsoleLogin;errorMessage=Failed authentication"},
	{"4.7", "CloudWatch.7", "disabling or scheduled deletion of KMS keys",
	 "eventSource=kms.amazonaws.com;eventName=DisableKey;eventName=ScheduleKeyDeletion"},
	{"4.8", "CloudWatch.8", "S3 bucket policy changes",
	 "eventSource=s3.amazonaws.com;eventName=PutBucketAcl;eventName=PutBucketPolicy;eventName=PutBucketCors;"
	 "eventName=PutBucketLifecycle;eventName=PutBucketReplication;eventName=DeleteBucketPolicy;"
	 "eventName=DeleteBucketCors;eventName=DeleteBucketLifecycle;eventName=DeleteBucketReplication"},
	{"4.9", "CloudWatch.9", "AWS Config configuration changes",
	 "eventSource=config.amazonaws.com;eventName=StopConfigurationRecorder;eventName=DeleteDeliveryChannel;"
	 "eventName=PutDeliveryChannel;eventName=PutConfigurationRecorder"},
	{"4.10", "CloudWatch.10", "security group changes",
	 "eventName=AuthorizeSecurityGroupIngress;eventName=AuthorizeSecurityGroupEgress;"
	 "eventName=RevokeSecurityGroupIngress;eventName=RevokeSecurityGroupEgress;"
	 "eventName=CreateSecurityGroup;eventName=DeleteSecurityGroup"},
	{"4.11", "CloudWatch.11", "network ACL changes",
	 "eventName=CreateNetworkAcl;eventName=CreateNetworkAclEntry;eventName=DeleteNetworkAcl;"
	 "eventName=DeleteNetworkAclEntry;eventName=ReplaceNetworkAclEntry;eventName=ReplaceNetworkAclAssociation"},
	{"4.12", "CloudWatch.12", "network gateway changes",
	 "eventName=CreateCustomerGateway;eventName=DeleteCustomerGateway;eventName=AttachInternetGateway;"
	 "eventName=CreateInternetGateway;eventName=DeleteInternetGateway;eventName=DetachInternetGateway"},
	{"4.13", "CloudWatch.13", "route table changes",
	 "eventName=CreateRoute;eventName=CreateRouteTable;eventName=ReplaceRoute;"
	 "eventName=ReplaceRouteTableAssociation;eventName=DeleteRouteTable;eventName=DeleteRoute;"
	 "eventName=DisassociateRouteTable"},
	{"4.14", "CloudWatch.14", "VPC changes",
	 "eventName=CreateVpc;eventName=DeleteVpc;eventName=ModifyVpcAttribute;eventName=AcceptVpcPeeringConnection;"
	 "eventName=CreateVpcPeeringConnection;eventName=DeleteVpcPeeringConnection;"
	 "eventName=RejectVpcPeeringConnection;eventName=AttachClassicLinkVpc;eventName=DetachClassicLinkVpc;"
	 "eventName=DisableVpcClassicLink;eventName=EnableVpcClassicLink"},
	{"4.15", NULL, "AWS Organizations changes",
	 "eventSource=organizations.amazonaws.com;eventName=AcceptHandshake;eventName=AttachPolicy;"
	 "eventName=CreateAccount;eventName=CreateOrganizationalUnit;eventName=CreatePolicy;"
	 "eventName=DeclineHandshake;eventName=DeleteOrganization;eventName=DeleteOrganizationalUnit;"
	 "eventName=DeletePolicy;eventName=DetachPolicy;eventName=DisablePolicyType;eventName=EnablePolicyType;"
	 "eventName=InviteAccountToOrganization;eventName=LeaveOrganization;eventName=MoveAccount;"
	 "eventName=RemoveAccountFromOrganization;eventName=UpdatePolicy;eventName=UpdateOrganizationalUnit"},
};
#define NCIS (sizeof cis_controls / sizeof *cis_controls)

/* Most comparison terms read from one filter pattern. */
#define MAX_TERMS 128

/* A comparison `$.field = value` or `$.field != value` of a filter pattern. */
struct term {
	const char *field, *value;
	size_t nfield, nvalue;
	bool neg;
};

/*
 * The comparisons of a CloudWatch Logs JSON filter pattern, in order.
 * Quoted and bare values are the same value; comparisons with other
 * operators (NOT EXISTS, IS NULL, numeric) are skipped.
 */
static size_t filter_terms(const char *p, struct term *out, size_t max)
{
	size_t n = 0;
	while (p && *p && n < max) {
		if (p[0] != '$' || p[1] != '.') {
			p++;
			continue;
		}
		p += 2;
		struct term t = {0};
		t.field = p;
		while (*p && (strchr("_.-[]", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9')))
			p++;
		t.nfield = (size_t)(p - t.field);
		while (*p == ' ' || *p == '\t')
			p++;
		if (p[0] == '!' && p[1] == '=') {
			t.neg = true;
			p += 2;
		} else if (p[0] == '=') {
			p++;
		} else {
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			t.value = ++p;
			while (*p && *p != '"')
				p++;
			t.nvalue = (size_t)(p - t.value);
			if (*p)
				p++;
		} else {
			t.value = p;
			while (*p && !strchr(")|& \t}", *p))
				p++;
			t.nvalue = (size_t)(p - t.value);
		}
		if (t.nfield && t.nvalue)
			out[n++] = t;
	}
	return n;
}

/* Does the pattern have the comparison written as "field=value" / "field!=value" (len bytes)? */
static bool has_term(const struct term *t, size_t n, const char *req, size_t len)
{
	const char *eq = memchr(req, '=', len);
	if (!eq)
		return false;
	bool neg = eq > req && eq[-1] == '!';
	size_t nf = (size_t)(eq - req) - (neg ? 1 : 0);
	const char *val = eq + 1;
	size_t nv = len - (size_t)(val - req);
	for (size_t i = 0; i < n; i++)
		if (t[i].neg == neg && t[i].nfield == nf && !memcmp(t[i].field, req, nf) && t[i].nvalue == nv &&
		    !strncasecmp(t[i].value, val, nv))
			return true;
	return false;
}

/* Does a filter pattern watch for the control's events (every required term present)? */
static bool pattern_covers(const char *pattern, const struct cis_control *c)
{
	struct term terms[MAX_TERMS];
	size_t n = filter_terms(pattern, terms, MAX_TERMS);
	const char *p = c->terms;
	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!has_term(terms, n, p, len))
			return false;
		p += len;
		if (*p == ';')
			p++;
	}
	return true;
}

/* Known strings must be equal; an undecided one is given the benefit of the doubt. */
static bool same_name(const struct value *a, const struct value *b)
{
	if (!a || !b)
		return false;
	if (val_str(a) && val_str(b))
		return !strcmp(val_str(a), val_str(b));
	if (a->kind == VAL_REF && b->kind == VAL_REF)
		return !strcmp(a->s, b->s);
	return true;
}

/* The log group resource a trail's CloudWatchLogsLogGroupArn names, or NULL. */
static const struct resource *trail_group(const struct stack *s, const struct value *arn)
{
	struct resource *g = graph_target(s, arn);
	if (is_type(g, "AWS::Logs::LogGroup"))
		return g;
	for (size_t i = 0; arn && arn->kind == VAL_UNKNOWN && i < arn->nrefs; i++) {
		g = stack_find(s, arn->refs[i]);
		if (is_type(g, "AWS::Logs::LogGroup"))
			return g;
	}
	return NULL;
}

/* Is the metric filter on the trail's log group? */
static bool filter_on_group(const struct stack *s, const struct resource *mf, const struct value *arn)
{
	const struct value *name = val_get(mf->props, "LogGroupName");
	const struct resource *g = trail_group(s, arn);
	if (g) {
		if (graph_mentions(name, g->id))
			return true;
		const char *gname = val_str(val_get(g->props, "LogGroupName"));
		if (val_str(name))
			return gname && !strcmp(gname, val_str(name));
		return !(name && name->kind == VAL_REF); /* a Ref to another group: no */
	}
	const char *atext = query_text(arn);
	if (atext && val_str(name)) {
		char want[512];
		snprintf(want, sizeof want, ":log-group:%s", val_str(name));
		const char *hit = strstr(atext, want);
		if (!hit)
			return arn->kind == VAL_UNKNOWN; /* the name may be in an unresolved part */
		char after = hit[strlen(want)];
		return after == '\0' || after == ':';
	}
	return true;
}

/* Is there an alarm on a metric the filter publishes? */
static bool filter_alarmed(const struct stack *s, const struct resource *mf)
{
	const struct value *mts = val_get(mf->props, "MetricTransformations");
	if (val_is_unknown(mts))
		return true;
	for (size_t i = 0; i < val_len(mts); i++) {
		const struct value *mt = val_item(mts, i);
		const struct value *mname = val_get(mt, "MetricName");
		const struct value *mns = val_get(mt, "MetricNamespace");
		for (size_t j = 0; j < s->nres; j++) {
			const struct resource *a = &s->res[j];
			if (!is_type(a, "AWS::CloudWatch::Alarm") || a->deployed == NO)
				continue;
			if (same_name(val_get(a->props, "MetricName"), mname) &&
			    same_name(val_get(a->props, "Namespace"), mns))
				return true;
			const struct value *metrics = val_get(a->props, "Metrics");
			for (size_t k = 0; k < val_len(metrics); k++) {
				const struct value *m = val_path(val_item(metrics, k), "MetricStat.Metric");
				if (same_name(val_get(m, "MetricName"), mname) &&
				    same_name(val_get(m, "Namespace"), mns))
					return true;
			}
		}
	}
	return false;
}

static bool control_configured(const struct stack *s, const struct value *arn, const struct cis_control *c)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *mf = &s->res[i];
		if (!is_type(mf, "AWS::Logs::MetricFilter") || mf->deployed == NO)
			continue;
		const char *pattern = query_text(val_get(mf->props, "FilterPattern"));
		if (!pattern || !pattern_covers(pattern, c))
			continue;
		if (filter_on_group(s, mf, arn) && filter_alarmed(s, mf))
			return true;
	}
	return false;
}

static void trail_alarms(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *arn = val_get(r->props, "CloudWatchLogsLogGroupArn");
	if (query_unset(arn, "") != NO)
		return; /* no log group: RMP-CT-004 says so */
	/*
	 * One finding listing every missing control, in the table's (numeric)
	 * order: one finding per control would sort by message text, 4.1,
	 * 4.10, 4.11 ... 4.2, and would say the same thing fifteen times.
	 */
	char list[1536];
	size_t len = 0, missing = 0;
	list[0] = '\0';
	for (size_t i = 0; i < NCIS; i++) {
		const struct cis_control *c = &cis_controls[i];
		if (control_configured(ctx->stack, arn, c))
			continue;
		missing++;
		int n = snprintf(list + len, sizeof list - len, "%s%s %s%s%s%s", len ? "; " : "", c->cis, c->what,
				 c->sh ? " (" : "", c->sh ? c->sh : "", c->sh ? ")" : "");
		if (n < 0 || (size_t)n >= sizeof list - len) {
			list[len] = '\0'; /* cannot happen with this table; keep whole entries if it ever does */
			break;
		}
		len += (size_t)n;
	}
	if (!missing)
		return;
	check_report_tri(ctx, r, arn, YES, "trail %s's log group has no metric filter and alarm for %zu of the %zu CIS 4.x controls: %s",
	     r->id, missing, (size_t)NCIS, list);
}

/* ---- the table ---- */

const struct check checks_monitoring[] = {
	{
		.id = "RMP-CT-001",
		.title = "CloudTrail trails record every region",
		.severity = SEV_HIGH,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 30,Art. 33",
		.fsbp = "CloudTrail.1",
		.cis = "3.1",
		.checkov = "CKV_AWS_67",
		.kics = "cloudtrail_multi_region_disabled",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "IsMultiRegionTrail from an undecided Fn::If or a parameter is reported with "
			    "certain=false.",
		.remediation = "Set IsMultiRegionTrail: true so activity in regions you do not use (a favourite of "
			       "attackers) is recorded too.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    IsLogging: true\n"
			   "    IsMultiRegionTrail: true\n"
			   "    IncludeGlobalServiceEvents: true\n"
			   "    S3BucketName: !Ref TrailBucket\n",
		.each = trail_multi_region,
	},
	{
		.id = "RMP-CT-002",
		.title = "CloudTrail log file validation is enabled",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 30,Art. 33",
		.fsbp = "CloudTrail.4",
		.cis = "3.2",
		.checkov = "CKV_AWS_36",
		.kics = "cloudtrail_log_file_validation_disabled",
		.cfn_nag = "",
		.cdk_nag = "CloudTrailLogFileValidationEnabled",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "EnableLogFileValidation from an undecided Fn::If or a parameter is reported with "
			    "certain=false.",
		.remediation = "Set EnableLogFileValidation: true: digest files prove the logs were not altered.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    EnableLogFileValidation: true\n",
		.each = trail_validation,
	},
	{
		.id = "RMP-CT-003",
		.title = "CloudTrail logs are encrypted with a KMS key",
		.severity = SEV_MEDIUM,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 32,Art. 33",
		.fsbp = "CloudTrail.2",
		.cis = "3.5",
		.checkov = "CKV_AWS_35",
		.kics = "cloudtrail_log_files_not_encrypted_with_kms",
		.cfn_nag = "",
		.cdk_nag = "CloudTrailEncryptionEnabled",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "A KMSKeyId removed under an undecided Fn::If is reported with certain=false; a key "
			    "given by a parameter or import counts as set.",
		.remediation = "Encrypt the trail with a customer-managed KMS key (SSE-KMS).",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    KMSKeyId: !Ref TrailKey\n",
		.each = trail_kms,
	},
	{
		.id = "RMP-CT-004",
		.title = "CloudTrail trails deliver to CloudWatch Logs",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 33",
		.fsbp = "CloudTrail.5",
		.cis = "",
		.checkov = "",
		.kics = "cloudtrail_not_integrated_with_cloudwatch",
		.cfn_nag = "",
		.cdk_nag = "CloudTrailCloudWatchLogsEnabled",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "A CloudWatchLogsLogGroupArn removed under an undecided Fn::If is reported with "
			    "certain=false.",
		.remediation = "Send the trail to a CloudWatch log group (with a role CloudTrail can assume) so "
			       "metric filters and alarms can watch it.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    CloudWatchLogsLogGroupArn: !GetAtt TrailLogs.Arn\n"
			   "    CloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn\n",
		.each = trail_cloudwatch,
	},
	{
		.id = "RMP-CT-005",
		.title = "CloudTrail trails are logging",
		.severity = SEV_HIGH,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 30,Art. 33",
		.fsbp = "CloudTrail.3",
		.cis = "",
		.checkov = "",
		.kics = "cloudtrail_logging_disabled",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "IsLogging from an undecided Fn::If or a parameter is reported with certain=false.",
		.remediation = "Set IsLogging: true: a trail that is not logging records nothing.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    IsLogging: true\n",
		.each = trail_logging,
	},
	{
		.id = "RMP-CT-006",
		.title = "A trail records data events for the stack's tables, buckets and functions",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail,AWS::DynamoDB::Table,AWS::DynamoDB::GlobalTable,"
				  "AWS::S3::Bucket,AWS::Lambda::Function",
		.gdpr = "Art. 33,Art. 34",
		.fsbp = "",
		.cis = "3.8,3.9",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Only stacks that declare a trail are checked (an organisation trail may record data "
			    "events); undecided EventSelectors or AdvancedEventSelectors count as recording.  Buckets "
			    "that only receive logs (a trail's bucket, an access-log destination) are left out.",
		.remediation = "Add data-event selectors for the stack's DynamoDB tables, S3 buckets and Lambda "
			       "functions, so a breach report can say whose data was read.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    AdvancedEventSelectors:\n"
			   "      - Name: table data events\n"
			   "        FieldSelectors:\n"
			   "          - {Field: eventCategory, Equals: [Data]}\n"
			   "          - {Field: resources.type, Equals: [AWS::DynamoDB::Table]}\n",
		.run = run_data_events,
	},
	{
		.id = "RMP-CT-007",
		.title = "CloudTrail trails record global service events (IAM, STS, console sign-in)",
		.severity = SEV_MEDIUM,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.gdpr = "Art. 30,Art. 33",
		.fsbp = "",
		.cis = "3.1",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Reported when IncludeGlobalServiceEvents is false; not set is CloudTrail's default "
			    "(true). From an undecided Fn::If or a parameter: reported with certain=false.",
		.remediation = "Set IncludeGlobalServiceEvents: true (it is the default; a multi-region trail "
			       "requires it) so IAM changes, STS role assumptions and console sign-ins are recorded.",
		.snippet = "Trail:\n"
			   "  Type: AWS::CloudTrail::Trail\n"
			   "  Properties:\n"
			   "    IsMultiRegionTrail: true\n"
			   "    IncludeGlobalServiceEvents: true\n",
		.each = trail_global_events,
	},
	{
		.id = "RMP-CW-001",
		.title = "The trail's log group has the CIS 4.x metric filters and alarms",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::CloudTrail::Trail",
		.related_types = "AWS::Logs::MetricFilter,AWS::CloudWatch::Alarm",
		.gdpr = "Art. 33,Art. 34",
		.fsbp = "CloudWatch.1,CloudWatch.2,CloudWatch.3,CloudWatch.4,CloudWatch.5,CloudWatch.6,CloudWatch.7,"
			"CloudWatch.8,CloudWatch.9,CloudWatch.10,CloudWatch.11,CloudWatch.12,CloudWatch.13,"
			"CloudWatch.14",
		.cis = "4.1,4.2,4.3,4.4,4.5,4.6,4.7,4.8,4.9,4.10,4.11,4.12,4.13,4.14,4.15",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Checked only for trails of the stack that deliver to CloudWatch Logs.  A filter pattern "
			    "is read term by term (quotes, spacing and order do not matter); a filter, metric or "
			    "alarm whose log group, name or namespace is undecided counts as present.",
		.remediation = "For each CIS 4.x control, add an AWS::Logs::MetricFilter with the CIS pattern on the "
			       "trail's log group and an AWS::CloudWatch::Alarm on its metric that notifies someone.",
		.snippet = "RootUsageFilter:\n"
			   "  Type: AWS::Logs::MetricFilter\n"
			   "  Properties:\n"
			   "    LogGroupName: !Ref TrailLogs\n"
			   "    FilterPattern: '{ $.userIdentity.type = \"Root\" && "
			   "$.userIdentity.invokedBy NOT EXISTS "
			   "&& $.eventType != \"AwsServiceEvent\" }'\n"
			   "    MetricTransformations:\n"
			   "      - {MetricName: RootUsage, MetricNamespace: CIS, MetricValue: '1'}\n"
			   "RootUsageAlarm:\n"
			   "  Type: AWS::CloudWatch::Alarm\n"
			   "  Properties:\n"
			   "    MetricName: RootUsage\n"
			   "    Namespace: CIS\n"
			   "    Statistic: Sum\n"
			   "    Period: 300\n"
			   "    EvaluationPeriods: 1\n"
			   "    Threshold: 1\n"
			   "    ComparisonOperator: GreaterThanOrEqualToThreshold\n"
			   "    AlarmActions: [!Ref SecurityTopic]\n",
		.each = trail_alarms,
	},
	{
		.id = "RMP-LOG-001",
		.title = "Log groups have a retention period",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::Logs::LogGroup,AWS::Lambda::Function",
		.related_types = "AWS::Serverless::Function",
		.gdpr = "Art. 5(1)(e),Art. 25",
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_66",
		.kics = "",
		.cfn_nag = "W86",
		.cdk_nag = "CloudWatchLogGroupRetentionPeriod",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "RetentionInDays removed under an undecided Fn::If is reported with certain=false.  A "
			    "Lambda function with no log group in the stack is always reported with certain=false: "
			    "the group may exist outside the template.",
		.remediation = "Set RetentionInDays on every log group, and declare /aws/lambda/<function> for each "
			       "function: logs holding personal data should not be kept forever.",
		.snippet = "MyFunctionLogs:\n"
			   "  Type: AWS::Logs::LogGroup\n"
			   "  Properties:\n"
			   "    LogGroupName: !Sub /aws/lambda/${MyFunction}\n"
			   "    RetentionInDays: 90\n",
		.each = retention,
	},
	{
		.id = "RMP-LOG-002",
		.title = "Log groups are encrypted with a customer-managed KMS key",
		.severity = SEV_LOW,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::Logs::LogGroup",
		.gdpr = "Art. 5(1)(f),Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_158",
		.kics = "",
		.cfn_nag = "W84",
		.cdk_nag = "CloudWatchLogGroupEncrypted",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "KmsKeyId removed under an undecided Fn::If is reported with certain=false; a key given "
			    "by a parameter or import counts as set.",
		.remediation = "Set KmsKeyId to a customer-managed key whose policy lets logs.<region>.amazonaws.com "
			       "use it.",
		.snippet = "AppLogs:\n"
			   "  Type: AWS::Logs::LogGroup\n"
			   "  Properties:\n"
			   "    RetentionInDays: 90\n"
			   "    KmsKeyId: !GetAtt LogsKey.Arn\n",
		.each = group_kms,
	},
	{
		.id = "RMP-RDS-013",
		.title = "Databases export their logs to CloudWatch Logs",
		.severity = SEV_MEDIUM,
		.layer = LAYER_MONITORING,
		.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
		.gdpr = "Art. 33",
		.fsbp = "RDS.9,RDS.34,RDS.36,RDS.37",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "RDSLoggingEnabled,AwsSolutions-RDS16",
		.kics_tf = "",
		.trivy = "",
		.guard = "RDS_INSTANCE_LOGGING_ENABLED",
		.coverage = "R13",
		.unknowns = "EnableCloudwatchLogsExports removed under an undecided Fn::If is reported with "
			    "certain=false; an export list given by a parameter counts as set.  Instances of an "
			    "Aurora cluster are not checked (the cluster exports).",
		.remediation = "Export the audit log (Aurora MySQL: \"audit\"; PostgreSQL: \"postgresql\"; others: "
			       "\"error\" and the engine's audit log) so database access can be investigated.",
		.snippet = "Database:\n"
			   "  Type: AWS::RDS::DBCluster\n"
			   "  Properties:\n"
			   "    Engine: aurora-postgresql\n"
			   "    EnableCloudwatchLogsExports: [postgresql]\n",
		.each = db_logs,
	},
};
const size_t checks_monitoring_count = sizeof checks_monitoring / sizeof *checks_monitoring;
