/*
 * resilience.c - the resilience layer's checks: data can be restored
 * (point-in-time recovery, backups) and not deleted by accident (deletion
 * protection); functions are bounded (reserved concurrency, timeouts) and
 * run on runtimes that still get security updates.
 *
 * Tri-state as everywhere: MAYBE is reported with certain=false or not at
 * all, as each check's `unknowns` says; a resource under an undecided
 * Condition is reported with certain=false.
 */
#include "checks/catalogue.h"
#include "graph/relations.h"
#include "core/arena.h"
#include "core/strmap.h"
#include "graph/graph.h"
#include "model/query.h"

#include <string.h>
#include <strings.h>

static const char *const GDPR_AVAILABILITY = "Art. 5(1)(f),Art. 32";

/* ---- helpers ---- */

static const char *db_kind(const struct resource *r)
{
	return strcmp(r->type, "AWS::RDS::DBCluster") ? "database instance" : "database cluster";
}

static const char *shown_id(const struct resource *r)
{
	return r->source_id ? r->source_id : r->id;
}

/* Report "property `prop` should be true but is not": YES certain, MAYBE uncertain. */
static void want_true(struct check_ctx *ctx, const struct resource *r, const char *what, const char *prop)
{
	enum tri bad = tri_not(query_true(r->props, prop));
	const struct value *v = val_path(r->props, prop);
	if (bad == NO)
		return;
	bool simple = r->source_type && !strcmp(r->source_type, "AWS::Serverless::SimpleTable");
	check_report(ctx, r, check_pos(r, v), bad == YES && r->deployed == YES, "%s %s does not set %s: true%s%s",
		     what, shown_id(r), prop, bad == MAYBE ? " on every branch (decided at deploy)" : "",
		     simple ? " (a SAM SimpleTable cannot: declare an AWS::DynamoDB::Table instead)" : "");
}

/* ---- RMP-DDB-001: point-in-time recovery ---- */

static void ddb001(struct check_ctx *ctx, const struct resource *r)
{
	want_true(ctx, r, "table", "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled");
}

/* ---- RMP-DDB-010: table deletion protection ---- */

static void ddb010(struct check_ctx *ctx, const struct resource *r)
{
	want_true(ctx, r, "table", "DeletionProtectionEnabled");
}

/* ---- RMP-RDS-009: database deletion protection ---- */

static void rds009(struct check_ctx *ctx, const struct resource *r)
{
	if (!strcmp(r->type, "AWS::RDS::DBInstance") && rel_instance_in_cluster(r) == YES)
		return;
	want_true(ctx, r, db_kind(r), "DeletionProtection");
}

/* ---- RMP-RDS-010: automated backups and their retention ---- */

struct retention {
	bool any_zero, any_short, any_unset, any_unknown;
	double shortest;
};

static void retention_alt(const struct value *v, void *p)
{
	struct retention *rt = p;
	double d;
	enum tri known = val_number(v, &d);
	if (query_absent(v)) {
		rt->any_unset = true;
		return;
	}
	if (known != YES) {
		rt->any_unknown = true;
		return;
	}
	if (d < 1)
		rt->any_zero = true;
	else if (d < 7) {
		rt->any_short = true;
		if (rt->shortest == 0 || d < rt->shortest)
			rt->shortest = d;
	}
}

static void rds010(struct check_ctx *ctx, const struct resource *r)
{
	if (!strcmp(r->type, "AWS::RDS::DBInstance")) {
		if (rel_instance_in_cluster(r) == YES)
			return;
		if (!query_absent(val_get(r->props, "SourceDBInstanceIdentifier")))
			return; /* a read replica: the source's backups count */
	}
	const struct value *v = val_get(r->props, "BackupRetentionPeriod");
	struct retention rt = {0};
	val_each_alternative(v, retention_alt, &rt);
	bool choice = v && v->kind == VAL_CHOICE;
	bool sure = r->deployed == YES && !choice && !rt.any_unknown;
	struct pos at = check_pos(r, v);
	if (rt.any_zero)
		check_report_severity(ctx, r, at, sure, SEV_HIGH,
				      "%s %s has BackupRetentionPeriod 0: automated backups are off and it cannot "
				      "be restored to a point in time",
				      db_kind(r), r->id);
	else if (rt.any_short)
		check_report_severity(ctx, r, at, sure, SEV_LOW,
				      "%s %s keeps automated backups for %g day%s only (7 or more recommended)",
				      db_kind(r), r->id, rt.shortest, rt.shortest == 1 ? "" : "s");
	else if (rt.any_unset)
		check_report_severity(ctx, r, at, sure, SEV_LOW,
				      "%s %s does not set BackupRetentionPeriod: backups are kept for the default "
				      "1 day only",
				      db_kind(r), r->id);
}

/* ---- RMP-LMB-002: reserved concurrency ---- */

static enum tri q_set(const struct value *v, const void *arg)
{
	(void)arg;
	return query_absent(v) ? NO : YES;
}

static void lmb002(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "ReservedConcurrentExecutions");
	enum tri bad = tri_not(val_over_alternatives(v, q_set, NULL));
	if (bad == NO)
		return;
	check_report(ctx, r, check_pos(r, v), bad == YES && r->deployed == YES,
		     "function %s does not set ReservedConcurrentExecutions%s: a burst can exhaust the account's "
		     "concurrency and the database's connections",
		     shown_id(r), bad == MAYBE ? " on every branch" : "");
}

/* ---- RMP-LMB-006: deprecated runtimes ---- */

/*
 * Runtimes past their deprecation date (AWS Lambda runtime deprecation
 * policy; no security patches after the date), as of 2026.  java8.al2,
 * provided.al2 and the current Node.js, Python, Java, .NET and Ruby
 * releases are still supported.
 */
static const struct {
	const char *runtime;
	const char *date;
} deprecated_runtimes[] = {
    {"nodejs", "2016-10-31"},        {"nodejs4.3", "2020-03-05"},     {"nodejs4.3-edge", "2019-04-30"},
    {"nodejs6.10", "2019-08-12"},    {"nodejs8.10", "2020-03-06"},    {"nodejs10.x", "2021-07-30"},
    {"nodejs12.x", "2023-03-31"},    {"nodejs14.x", "2023-12-04"},    {"nodejs16.x", "2024-06-12"},
    {"nodejs18.x", "2025-09-01"},    {"python2.7", "2021-07-15"},     {"python3.6", "2022-07-18"},
    {"python3.7", "2023-12-04"},     {"python3.8", "2024-10-14"},     {"python3.9", "2025-12-15"},
    {"java8", "2024-01-08"},         {"go1.x", "2024-01-08"},         {"provided", "2024-01-08"},
    {"ruby2.5", "2021-07-30"},       {"ruby2.7", "2023-12-07"},       {"ruby3.2", "2026-03-31"},
    {"dotnetcore1.0", "2019-07-30"}, {"dotnetcore2.0", "2019-05-30"}, {"dotnetcore2.1", "2022-01-05"},
    {"dotnetcore3.1", "2023-04-03"}, {"dotnet5.0", "2022-05-10"},     {"dotnet6", "2024-12-20"},
    {"dotnet7", "2024-05-14"},
};

static const char *deprecation_date(const char *runtime)
{
	for (size_t i = 0; i < sizeof deprecated_runtimes / sizeof deprecated_runtimes[0]; i++)
		if (!strcmp(runtime, deprecated_runtimes[i].runtime))
			return deprecated_runtimes[i].date;
	return NULL;
}

struct runtime_acc {
	const char *first;  /* first deprecated runtime met */
	const char *date;
	const struct value *at;
	size_t alts, bad;
};

static void runtime_alt(const struct value *v, void *p)
{
	struct runtime_acc *a = p;
	a->alts++;
	const char *s = val_str(v);
	const char *date = s ? deprecation_date(s) : NULL;
	if (!date)
		return;
	a->bad++;
	if (!a->first) {
		a->first = s;
		a->date = date;
		a->at = v;
	}
}

static void lmb006(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "Runtime");
	if (query_absent(v))
		return; /* container images carry their own runtime */
	struct runtime_acc a = {0};
	val_each_alternative(v, runtime_alt, &a);
	if (!a.bad)
		return;
	check_report(ctx, r, check_pos(r, a.at), a.bad == a.alts && r->deployed == YES,
		     "function %s uses runtime %s, deprecated since %s: it no longer gets security patches",
		     shown_id(r), a.first, a.date);
}

/* ---- RMP-LMB-010: timeout bounds ---- */

struct timeout_q {
	double limit;
};

static enum tri q_over(const struct value *v, const void *arg)
{
	const struct timeout_q *q = arg;
	double d;
	enum tri t = val_number(v, &d);
	if (t != YES)
		return t; /* NO when unset, MAYBE when unknown */
	return d > q->limit ? YES : NO;
}

/*
 * How long may API Gateway wait for a function?  The smallest integration
 * timeout among the APIs naming it: a REST method or OpenAPI integration
 * (TimeoutInMillis / timeoutInMillis, default 29 s), an HTTP API integration
 * (default 30 s), a WebSocket one (29 s).  Streaming integrations
 * (responseTransferMode STREAM) are not bounded that way.  With no
 * integration in the stack, a permission for apigateway.amazonaws.com
 * means the default 29 s.
 *
 * Built once per stack, at the first function, as an index function ID ->
 * wait kept in ctx->memo, so the check is linear in the template.
 */
struct api_wait {
	double limit;    /* seconds; 0: no bounded integration */
	const char *via;
	bool seen;       /* some integration names the function */
	bool permission; /* an invoke permission for API Gateway */
};

struct wait_index {
	struct strmap m;
	struct arena *a;
};

static struct api_wait *wait_for(struct wait_index *ix, const char *fn)
{
	struct api_wait *w = strmap_get(&ix->m, fn);
	if (!w) {
		w = arena_alloc(ix->a, sizeof *w);
		strmap_put(&ix->m, fn, w);
	}
	return w;
}

struct bound {
	struct wait_index *ix;
	const struct value *timeout_ms, *mode;
	double dflt;
	const char *via;
};

static void bound_fn(const char *id, void *p)
{
	const struct bound *b = p;
	struct api_wait *w = wait_for(b->ix, id);
	w->seen = true;
	if (val_equals_ci(b->mode, "STREAM") == YES)
		return;
	double ms, lim = b->dflt;
	if (val_number(b->timeout_ms, &ms) == YES && ms > 0)
		lim = ms / 1000.0;
	if (w->limit == 0 || lim < w->limit) {
		w->limit = lim;
		w->via = b->via;
	}
}

static void bound_integration(struct wait_index *ix, const struct value *uri, const struct value *timeout_ms,
			      const struct value *mode, double dflt, const char *via)
{
	struct bound b = {ix, timeout_ms, mode, dflt, via};
	graph_each_ref(uri, bound_fn, &b);
}

/* OpenAPI bodies: each x-amazon-apigateway-integration and the functions its uri names. */
static void body_walk(struct wait_index *ix, const struct value *v, double dflt, const char *via, int depth)
{
	if (!v || depth > 32)
		return;
	if (v->kind == VAL_LIST || v->kind == VAL_CHOICE) {
		for (size_t i = 0; i < v->n; i++)
			body_walk(ix, v->items[i], dflt, via, depth + 1);
		return;
	}
	if (v->kind != VAL_MAP)
		return;
	const struct value *integ = val_get(v, "x-amazon-apigateway-integration");
	if (integ)
		bound_integration(ix, val_get(integ, "uri"), val_get(integ, "timeoutInMillis"),
				  val_get(integ, "responseTransferMode"), dflt, via);
	for (size_t i = 0; i < v->n; i++)
		if (v->pairs[i].v != integ)
			body_walk(ix, v->pairs[i].v, dflt, via, depth + 1);
}

static void permission_fn(const char *id, void *p)
{
	wait_for(p, id)->permission = true;
}

static void build_wait_index(const struct stack *s, struct wait_index *ix)
{
	strmap_init(&ix->m, s->arena);
	ix->a = s->arena;
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (r->deployed == NO)
			continue;
		if (!strcmp(r->type, "AWS::ApiGateway::Method")) {
			const struct value *integ = val_get(r->props, "Integration");
			bound_integration(ix, val_get(integ, "Uri"), val_get(integ, "TimeoutInMillis"),
					  val_get(integ, "ResponseTransferMode"), 29, "its REST API integration");
		} else if (!strcmp(r->type, "AWS::ApiGatewayV2::Integration")) {
			struct resource *api = graph_target(s, val_get(r->props, "ApiId"));
			bool ws = api && val_equals_ci(val_get(api->props, "ProtocolType"), "WEBSOCKET") == YES;
			bound_integration(ix, val_get(r->props, "IntegrationUri"), val_get(r->props, "TimeoutInMillis"),
					  NULL, ws ? 29 : 30,
					  ws ? "its WebSocket API integration" : "its HTTP API integration");
		} else if (!strcmp(r->type, "AWS::ApiGateway::RestApi")) {
			body_walk(ix, val_get(r->props, "Body"), 29, "its REST API integration", 0);
		} else if (!strcmp(r->type, "AWS::ApiGatewayV2::Api")) {
			body_walk(ix, val_get(r->props, "Body"), 30, "its HTTP API integration", 0);
		} else if (!strcmp(r->type, "AWS::Lambda::Permission") &&
			   val_equals(val_get(r->props, "Principal"), "apigateway.amazonaws.com") != NO) {
			graph_each_ref(val_get(r->props, "FunctionName"), permission_fn, ix);
		}
	}
}

static void lmb010(struct check_ctx *ctx, const struct resource *r)
{
	if (!ctx->memo) {
		struct wait_index *built = arena_alloc(ctx->stack->arena, sizeof *built);
		build_wait_index(ctx->stack, built);
		ctx->memo = built;
	}
	struct wait_index *ix = ctx->memo;
	const struct value *v = val_get(r->props, "Timeout");
	struct timeout_q max = {900};
	enum tri invalid = val_over_alternatives(v, q_over, &max);
	if (invalid == YES) {
		check_report(ctx, r, check_pos(r, v), r->deployed == YES,
			     "function %s has Timeout above 900 seconds, the Lambda maximum: the stack will not "
			     "deploy",
			     shown_id(r));
		return;
	}
	double t;
	if (val_number(v, &t) != YES)
		return; /* unset (3 s) or unknown */
	const struct api_wait *w = strmap_get(&ix->m, r->id);
	if (!w)
		return;
	double limit = w->seen ? w->limit : w->permission ? 29 : 0;
	const char *via = w->seen ? w->via : "API Gateway (by its invoke permission)";
	if (limit > 0 && t > limit)
		check_report(ctx, r, check_pos(r, v), r->deployed == YES,
			     "function %s has Timeout %g s but %s gives up after %g s: the caller gets an error "
			     "while the function runs on (and is billed)",
			     shown_id(r), t, via, limit);
}

/* ---- the table ---- */

const struct check checks_resilience[] = {
    {
	.id = "RMP-DDB-001",
	.title = "DynamoDB tables have point-in-time recovery enabled",
	.severity = SEV_MEDIUM,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::DynamoDB::Table",
	.related_types = "AWS::Serverless::SimpleTable",
	.gdpr = GDPR_AVAILABILITY,
	.fsbp = "DynamoDB.2",
	.cis = "",
	.checkov = "CKV_AWS_28",
	.kics = "dynamodb_table_point_in_time_recovery_disabled",
	.cfn_nag = "W78",
	.cdk_nag = "AwsSolutions-DDB3",
	.kics_tf = "",
	.trivy = "AVD-AWS-0024",
	.guard = "DYNAMODB_PITR_ENABLED",
	.coverage = "D1",
	.unknowns = "PointInTimeRecoveryEnabled from an undecided Fn::If or a parameter without Default: "
		    "reported with certain=false (a table that cannot be restored is a GDPR Art. 32(1)(c) gap).",
	.remediation = "Enable point-in-time recovery so the table can be restored to any second of the last "
		       "35 days.",
	.snippet = "PointInTimeRecoverySpecification:\n  PointInTimeRecoveryEnabled: true\n",
	.each = ddb001,
    },
    {
	.id = "RMP-DDB-010",
	.title = "DynamoDB tables have deletion protection enabled",
	.severity = SEV_MEDIUM,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::DynamoDB::Table",
	.related_types = "AWS::Serverless::SimpleTable",
	.gdpr = GDPR_AVAILABILITY,
	.fsbp = "DynamoDB.6",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "D10",
	.unknowns = "DeletionProtectionEnabled undecided: reported with certain=false.",
	.remediation = "Set DeletionProtectionEnabled: true (and DeletionPolicy: Retain) so neither a stack "
		       "delete nor an API call can drop the table.",
	.snippet = "DeletionPolicy: Retain\nProperties:\n  DeletionProtectionEnabled: true\n",
	.each = ddb010,
    },
    {
	.id = "RMP-LMB-002",
	.title = "Lambda functions reserve concurrency",
	.severity = SEV_LOW,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::Lambda::Function",
	.related_types = "AWS::Serverless::Function",
	.gdpr = "Art. 32",
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_115",
	.kics = "",
	.cfn_nag = "W92",
	.cdk_nag = "LambdaConcurrency",
	.kics_tf = "",
	.trivy = "",
	.guard = "LAMBDA_CONCURRENCY_CHECK",
	.coverage = "L2",
	.unknowns = "Set on one Fn::If branch only: reported with certain=false. Any value counts as set.",
	.remediation = "Set ReservedConcurrentExecutions to bound what one function can take from the account "
		       "and how many database connections it can open.",
	.snippet = "ReservedConcurrentExecutions: 20\n",
	.each = lmb002,
    },
    {
	.id = "RMP-LMB-006",
	.title = "Lambda functions do not use a deprecated runtime",
	.severity = SEV_MEDIUM,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::Lambda::Function",
	.related_types = "AWS::Serverless::Function",
	.gdpr = "Art. 32",
	.fsbp = "Lambda.2",
	.cis = "",
	.checkov = "CKV_AWS_363",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "AwsSolutions-L1",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "L6",
	.unknowns = "A Runtime unknown until deploy is not raised; a Fn::If with one deprecated alternative is "
		    "reported with certain=false. Container-image functions have no Runtime and are skipped.",
	.remediation = "Move to a supported runtime (nodejs22.x, python3.13, java21, dotnet8, ruby3.4, "
		       "provided.al2023) and redeploy.",
	.snippet = "Runtime: python3.13\n",
	.each = lmb006,
    },
    {
	.id = "RMP-LMB-010",
	.title = "Lambda timeouts are valid and fit the caller (at most 900 s; 29 s behind API Gateway)",
	.severity = SEV_MEDIUM,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::Lambda::Function",
	.related_types = "AWS::Serverless::Function,AWS::Lambda::Permission,AWS::ApiGateway::Method,"
			 "AWS::ApiGatewayV2::Integration",
	.gdpr = "Art. 32",
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "L18",
	.unknowns = "Timeout unset (3 s default) is fine. A Timeout unknown until deploy, or over the bound on "
		    "one Fn::If branch only, is not raised. The API's bound is its integration timeout "
		    "(TimeoutInMillis, default 29 s REST and WebSocket, 30 s HTTP API); streaming "
		    "integrations are not bounded.",
	.remediation = "Keep Timeout at or under 29 seconds for functions behind API Gateway (move long work to "
		       "an asynchronous invocation or Step Functions), and never above 900.",
	.snippet = "Timeout: 25\n",
	.each = lmb010,
    },
    {
	.id = "RMP-RDS-009",
	.title = "RDS DB instances and clusters have deletion protection enabled",
	.severity = SEV_LOW,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
	.gdpr = GDPR_AVAILABILITY,
	.fsbp = "RDS.7,RDS.8",
	.cis = "",
	.checkov = "CKV_AWS_293,CKV_AWS_139",
	.kics = "rds_db_instance_with_deletion_protection_disabled",
	.cfn_nag = "F80",
	.cdk_nag = "AwsSolutions-RDS10",
	.kics_tf = "",
	.trivy = "AVD-AWS-0177,AVD-AWS-0343",
	.guard = "RDS_INSTANCE_DELETION_PROTECTION_ENABLED",
	.coverage = "R9",
	.unknowns = "Aurora cluster members are skipped (the cluster's setting protects them). DeletionProtection "
		    "undecided: reported with certain=false.",
	.remediation = "Set DeletionProtection: true (and DeletionPolicy: Snapshot or Retain).",
	.snippet = "DeletionPolicy: Snapshot\nProperties:\n  DeletionProtection: true\n",
	.each = rds009,
    },
    {
	.id = "RMP-RDS-010",
	.title = "RDS automated backups are on and kept for at least 7 days",
	.severity = SEV_HIGH,
	.layer = LAYER_RESILIENCE,
	.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
	.gdpr = GDPR_AVAILABILITY,
	.fsbp = "RDS.11",
	.cis = "",
	.checkov = "CKV_AWS_133",
	.kics = "low_rds_backup_retention_period,rds_with_backup_disabled",
	.cfn_nag = "W75",
	.cdk_nag = "AwsSolutions-RDS13",
	.kics_tf = "",
	.trivy = "AVD-AWS-0077",
	.guard = "DB_INSTANCE_BACKUP_ENABLED",
	.coverage = "R10",
	.unknowns = "Severity per finding: 0 days (backups off) high; under 7 days or unset (default 1 day) "
		    "low. A value from an undecided Fn::If is judged on its worst branch with certain=false; a "
		    "retention unknown until deploy is not raised. Aurora members and read replicas are skipped.",
	.remediation = "Set BackupRetentionPeriod to 7 days or more (35 at most) so the database can be "
		       "restored to a point in time.",
	.snippet = "BackupRetentionPeriod: 14\n",
	.each = rds010,
    },
};
const size_t checks_resilience_count = sizeof checks_resilience / sizeof checks_resilience[0];
