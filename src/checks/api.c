/*
 * api.c - the api layer's checks: API Gateway REST (v1) and HTTP/WebSocket
 * (v2) APIs, including those the SAM transform generates (an OpenAPI `Body`
 * on AWS::ApiGateway::RestApi / AWS::ApiGatewayV2::Api), the WAF web ACLs
 * in front of them, and Lambda function URLs.
 *
 * Every question about a property is asked through model/query.h, which
 * follows Fn::If alternatives (VAL_CHOICE) at any depth of a property path:
 * a check raises on YES, and on MAYBE (certain=false) only where its
 * `unknowns` field says so.
 */
#include "checks/catalogue.h"
#include "core/arena.h"
#include "graph/graph.h"
#include "graph/relations.h"
#include "iam/eval.h"
#include "model/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Deepest rule-group chain or statement nesting followed in a web ACL. */
#define MAX_DEPTH 32

/* A certain finding needs a YES answer on a resource that is surely deployed. */
static bool sure(const struct resource *r, enum tri t)
{
	return t == YES && r->deployed == YES;
}

static bool is_type(const struct resource *r, const char *type)
{
	return r && !strcmp(r->type, type);
}

/* ---- REST API stages ---- */

/*
 * A REST API stage as written: an AWS::ApiGateway::Stage, or an
 * AWS::ApiGateway::Deployment with StageName (which creates the stage and
 * configures it through StageDescription).
 */
struct stage {
	const struct resource *r;
	const struct value *cfg; /* Stage Properties, or StageDescription (NULL if absent) */
	const char *where;       /* "" or "StageDescription." for messages */
	const char *name;        /* StageName if known */
};

/*
 * Made by the SAM transform (from an AWS::Serverless::* resource).  Its
 * Deployment carries StageName "Stage", a translator quirk the user cannot
 * configure: the Stage SAM declares is checked instead.
 */
static bool generated(const struct resource *r)
{
	return (r->source_id && strcmp(r->source_id, r->id)) || (r->source_type && strcmp(r->source_type, r->type));
}

/* Is r a REST API stage as written?  Then *st describes it. */
static bool rest_stage(const struct resource *r, struct stage *st)
{
	const char *name = val_str(val_get(r->props, "StageName"));
	if (is_type(r, "AWS::ApiGateway::Stage")) {
		*st = (struct stage){r, r->props, "", name};
		return true;
	}
	if (is_type(r, "AWS::ApiGateway::Deployment") && query_unset(r->props, "StageName") != YES && !generated(r)) {
		*st = (struct stage){r, val_get(r->props, "StageDescription"), "StageDescription.", name};
		return true;
	}
	return false;
}

/* Where to point for a stage setting: the setting, else StageDescription, else the resource. */
static const struct value *stage_at(const struct stage *st, const char *key)
{
	const struct value *v = val_get(st->cfg, key);
	return v ? v : st->cfg;
}

static const char *stage_label(const struct stage *st)
{
	return st->name ? st->name : "(name unknown)";
}

/* RMP-APIGW-001 */
/*
 * KICS api_gateway_deployment_without_access_log_setting's negatives have an
 * AWS::ApiGateway::Stage with execution logging (LoggingLevel INFO) but no
 * AccessLogSetting, next to a Deployment that has one for another stage:
 * that Stage really has no access log, and is reported.
 */
static void rest_access_log(struct check_ctx *ctx, const struct resource *r)
{
	struct stage stage;
	if (!rest_stage(r, &stage))
		return;
	const struct stage *st = &stage;
	enum tri t = query_unset(st->cfg, "AccessLogSetting.DestinationArn");
	check_report_tri(ctx, st->r, stage_at(st, "AccessLogSetting"), t,
	     "REST API stage %s (%s) %s no access log: %sAccessLogSetting.DestinationArn is not set",
	     stage_label(st), st->r->id, t == YES ? "has" : "may have", st->where);
}

/* RMP-APIGW-004 */
static void rest_tracing(struct check_ctx *ctx, const struct resource *r)
{
	struct stage stage;
	if (!rest_stage(r, &stage))
		return;
	const struct stage *st = &stage;
	enum tri t = tri_not(query_true(st->cfg, "TracingEnabled"));
	if (t != YES)
		return;
	check_report_tri(ctx, st->r, stage_at(st, "TracingEnabled"), t,
	     "REST API stage %s (%s) does not have X-Ray tracing: %sTracingEnabled is not true", stage_label(st),
	     st->r->id, st->where);
}

/* RMP-APIGW-006: a method setting that caches without encryption. */
static enum tri item_caches_plain(const struct value *item, const void *arg)
{
	(void)arg;
	return tri_and(query_true(item, "CachingEnabled"), tri_not(query_true(item, "CacheDataEncrypted")));
}

static enum tri item_encrypts(const struct value *item, const void *arg)
{
	(void)arg;
	return query_true(item, "CacheDataEncrypted");
}

static void rest_cache(struct check_ctx *ctx, const struct resource *r)
{
	struct stage stage;
	if (!rest_stage(r, &stage))
		return;
	const struct stage *st = &stage;
	enum tri cluster = query_true(st->cfg, "CacheClusterEnabled");
	enum tri plain_method = query_any(st->cfg, "MethodSettings", item_caches_plain, NULL);
	/* A Deployment's StageDescription also has stage-wide CachingEnabled/CacheDataEncrypted. */
	enum tri plain_stage = item_caches_plain(st->cfg, NULL);
	enum tri any_encrypted = tri_or(query_any(st->cfg, "MethodSettings", item_encrypts, NULL),
					query_true(st->cfg, "CacheDataEncrypted"));
	enum tri t = tri_or(tri_or(plain_method, plain_stage), tri_and(cluster, tri_not(any_encrypted)));
	check_report_tri(ctx, st->r, stage_at(st, "CacheClusterEnabled"), t,
	     "REST API stage %s (%s) caches responses without encryption: set CacheDataEncrypted: true "
	     "in %sMethodSettings wherever CachingEnabled is true",
	     stage_label(st), st->r->id, st->where);
}

/* RMP-APIGW-009: throttling set in a method setting or stage-wide. */
static enum tri item_throttles(const struct value *item, const void *arg)
{
	(void)arg;
	return tri_or(tri_not(query_unset(item, "ThrottlingRateLimit")),
		      tri_not(query_unset(item, "ThrottlingBurstLimit")));
}

/* The stage-wide method setting (every path, every HTTP method), if it throttles. */
static enum tri item_throttles_all(const struct value *item, const void *arg)
{
	enum tri all = tri_and(query_equals_ci(item, "ResourcePath", "/*"), query_equals_ci(item, "HttpMethod", "*"));
	return tri_and(all, item_throttles(item, arg));
}

/*
 * A stage the SAM transform made from an AWS::Serverless::Api whose
 * Auth.UsagePlan.CreateUsagePlan (or Globals.Api's) is PER_API or SHARED:
 * the translator adds the stage to a usage plan it generates.
 */
static enum tri sam_usage_plan(const struct stack *s, const struct resource *stage)
{
	if (!generated(stage) || !stage->source_type || strcmp(stage->source_type, "AWS::Serverless::Api"))
		return NO;
	const struct node *api = node_get(node_get(s->root, "Resources"), stage->source_id);
	const struct node *c = node_get(node_get(node_get(node_get(api, "Properties"), "Auth"), "UsagePlan"),
					"CreateUsagePlan");
	if (!c)
		c = node_get(node_get(node_get(node_get(s->globals, "Api"), "Auth"), "UsagePlan"), "CreateUsagePlan");
	if (!c)
		return NO;
	const char *v = node_str(c);
	if (!v)
		return MAYBE;
	if (!strcmp(v, "PER_API") || !strcmp(v, "SHARED"))
		return YES;
	return strcmp(v, "NONE") ? MAYBE : NO;
}

/*
 * Is `stage` (a usage plan's ApiStages[].Stage) a Ref to this stage through
 * SAM's referable property <Api>.Stage?  (The model keeps "<Api>.Stage" as
 * the name of the reference rather than the generated stage's ID.)
 */
static bool sam_stage_ref(const struct value *stage, const struct resource *r)
{
	if (!stage || stage->kind != VAL_REF || stage->attr || !generated(r) || !r->source_type ||
	    strcmp(r->source_type, "AWS::Serverless::Api"))
		return false;
	size_t n = strlen(r->source_id);
	return !strncmp(stage->s, r->source_id, n) && !strcmp(stage->s + n, ".Stage");
}

/* Does an AWS::ApiGateway::UsagePlan of the stack list this stage in ApiStages? */
static enum tri in_usage_plan(struct check_ctx *ctx, const struct stage *st)
{
	struct stack *s = ctx->stack;
	struct rel_target api = rel_api_of(s, st->r);
	enum tri best = sam_usage_plan(s, st->r);
	for (size_t i = 0; i < s->nres && best != YES; i++) {
		const struct resource *u = &s->res[i];
		if (!is_type(u, "AWS::ApiGateway::UsagePlan") || u->deployed == NO)
			continue;
		const struct value *stages = val_get(u->props, "ApiStages");
		if (val_is_unknown(stages)) {
			best = tri_or(best, MAYBE);
			continue;
		}
		for (size_t j = 0; j < val_len(stages); j++) {
			const struct value *item = val_item(stages, j);
			const struct value *api_id = val_get(item, "ApiId");
			const struct value *stage = val_get(item, "Stage");
			enum tri api_ok = MAYBE;
			bool names_other = val_str(api_id) || (api_id && api_id->kind == VAL_REF);
			if (api.kind == REL_STACK)
				api_ok = graph_mentions(api_id, api.r->id) ? YES : (names_other ? NO : MAYBE);
			enum tri stage_ok = MAYBE;
			if (graph_mentions(stage, st->r->id) || sam_stage_ref(stage, st->r))
				stage_ok = YES;
			else if (val_str(stage) && st->name)
				stage_ok = strcmp(val_str(stage), st->name) ? NO : YES;
			else if (!stage || stage->kind == VAL_REF)
				stage_ok = NO;
			best = tri_or(best, tri_and(api_ok, stage_ok));
		}
	}
	return best;
}

/* An HTTP or WebSocket API stage: throttled by its DefaultRouteSettings. */
static void v2_throttle(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_at(r->props, "DefaultRouteSettings", item_throttles, NULL);
	if (t != NO)
		return;
	const char *name = val_str(val_get(r->props, "StageName"));
	check_report_tri(ctx, r, val_get(r->props, "DefaultRouteSettings"), YES,
	     "API stage %s (%s) has no throttling: DefaultRouteSettings sets no "
	     "ThrottlingRateLimit/ThrottlingBurstLimit",
	     name ? name : "(name unknown)", r->id);
}

static void throttle(struct check_ctx *ctx, const struct resource *r)
{
	if (is_type(r, "AWS::ApiGatewayV2::Stage")) {
		v2_throttle(ctx, r);
		return;
	}
	struct stage stage;
	if (!rest_stage(r, &stage))
		return;
	const struct stage *st = &stage;
	enum tri throttled = tri_or(query_any(st->cfg, "MethodSettings", item_throttles_all, NULL),
				    item_throttles(st->cfg, NULL));
	if (throttled != NO || in_usage_plan(ctx, st) != NO)
		return;
	check_report_tri(ctx, st->r, stage_at(st, "MethodSettings"), YES,
	     "REST API stage %s (%s) has no stage-wide throttling: it is in no usage plan and no %sMethodSettings "
	     "entry for ResourcePath /* and HttpMethod * sets ThrottlingRateLimit/ThrottlingBurstLimit",
	     stage_label(st), st->r->id, st->where);
}

/* RMP-APIGW-010 */
static void rest_waf(struct check_ctx *ctx, const struct resource *r)
{
	struct stage stage;
	if (!rest_stage(r, &stage))
		return;
	const struct stage *st = &stage;
	if (rel_stage_waf(ctx->stack, st->r, NULL) != NO)
		return;
	check_report_tri(ctx, st->r, NULL, YES,
	     "REST API stage %s (%s) is not protected by AWS WAF: no AWS::WAFv2::WebACLAssociation names it",
	     stage_label(st), st->r->id);
}

/* ---- RMP-APIGW-002: v2 access logs ---- */

/* Does some AWS::ApiGatewayV2::Stage of the stack name the API? */
static bool v2_has_stage(const struct stack *s, const struct resource *api)
{
	struct rel_set stages;
	rel_api_stages(s, api, &stages);
	return stages.n > 0;
}

static void v2_access_log(struct check_ctx *ctx, const struct resource *r)
{
	if (is_type(r, "AWS::ApiGatewayV2::Stage")) {
		enum tri t = query_unset(r->props, "AccessLogSettings.DestinationArn");
		const char *name = val_str(val_get(r->props, "StageName"));
		check_report_tri(ctx, r, val_get(r->props, "AccessLogSettings"), t,
		     "API stage %s (%s) %s no access log: AccessLogSettings.DestinationArn is not set",
		     name ? name : "(name unknown)", r->id, t == YES ? "has" : "may have");
	} else if (query_unset(r->props, "Target") == NO && !v2_has_stage(ctx->stack, r)) {
		/* Quick create: the $default stage it makes cannot log. */
		check_report_tri(ctx, r, val_get(r->props, "Target"), YES,
		     "HTTP API %s is a quick-create API (Target): its $default stage has no access log", r->id);
	}
}

/* ---- RMP-APIGW-007: authorization on every method and route ---- */

/* AuthorizationType NONE, or absent (which means NONE). */
static enum tri no_auth(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_unset(v, "") == YES)
		return YES;
	return val_equals_ci(v, "NONE");
}

/* How AuthorizationType reads in a message. */
static const char *auth_text(struct check_ctx *ctx, const struct value *at)
{
	if (!at)
		return "not set (NONE)";
	return val_str(at) ? val_str(at) : val_render(ctx->stack->arena, at);
}

/*
 * An API whose endpoint type is PRIVATE answers only through interface VPC
 * endpoints its resource policy allows: an open method there is a weaker
 * exposure than on the internet, reported at medium severity.
 */
static bool api_private(const struct resource *api)
{
	return api && is_type(api, "AWS::ApiGateway::RestApi") &&
	       query_any(api->props, "EndpointConfiguration.Types", query_eq_ci, "PRIVATE") == YES;
}

#define PRIVATE_NOTE " (private endpoint: reachable only through the VPC endpoints its resource policy allows)"

/* check_report_tri() for RMP-APIGW-007: medium, with a note, on a private API. */
static void emit_auth(struct check_ctx *ctx, const struct resource *r, const struct resource *api,
		      const struct value *at, enum tri t, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void emit_auth(struct check_ctx *ctx, const struct resource *r, const struct resource *api,
		      const struct value *at, enum tri t, const char *fmt, ...)
{
	if (t == NO)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (api_private(api))
		check_report_severity(ctx, r, check_pos(r, at), sure(r, t), SEV_MEDIUM, "%s" PRIVATE_NOTE, buf);
	else
		check_report(ctx, r, check_pos(r, at), sure(r, t), "%s", buf);
}

static void method_auth(struct check_ctx *ctx, const struct resource *r)
{
	enum tri none = query_at(r->props, "AuthorizationType", no_auth, NULL);
	enum tri options = query_equals_ci(r->props, "HttpMethod", "OPTIONS");
	enum tri t = tri_and(none, tri_not(options));
	const char *verb = val_str(val_get(r->props, "HttpMethod"));
	bool key = query_true(r->props, "ApiKeyRequired") == YES;
	const struct value *at = val_get(r->props, "AuthorizationType");
	struct rel_target api = rel_api_of(ctx->stack, r);
	emit_auth(ctx, r, api.kind == REL_STACK ? api.r : NULL, at ? at : val_get(r->props, "HttpMethod"), t,
		  "method %s (%s) %s callable without authorization: AuthorizationType is %s%s", r->id,
		  verb ? verb : "?", t == YES ? "is" : "may be", auth_text(ctx, at),
		  key ? " (ApiKeyRequired is not authentication: API keys identify, they do not authenticate)" : "");
}

static void route_auth(struct check_ctx *ctx, const struct resource *r)
{
	const char *key = val_str(val_get(r->props, "RouteKey"));
	struct rel_target api = rel_api_of(ctx->stack, r);
	enum tri websocket = api.kind == REL_STACK ? query_equals_ci(api.r->props, "ProtocolType", "WEBSOCKET") : MAYBE;
	enum tri exempt = NO;
	if (key) {
		if (!strncasecmp(key, "OPTIONS ", 8))
			return; /* CORS preflight */
		if (key[0] == '$' && strcmp(key, "$default") && strcmp(key, "$connect"))
			return; /* WebSocket message route: authorization only exists on $connect */
		if (strcmp(key, "$connect") && websocket == YES)
			return;
	} else {
		exempt = MAYBE;
	}
	enum tri none = query_at(r->props, "AuthorizationType", no_auth, NULL);
	enum tri t = tri_and(none, tri_not(exempt));
	const struct value *at = val_get(r->props, "AuthorizationType");
	check_report_tri(ctx, r, at ? at : val_get(r->props, "RouteKey"), t,
	     "route %s (%s) %s callable without authorization: AuthorizationType is %s", r->id, key ? key : "?",
	     t == YES ? "is" : "may be", auth_text(ctx, at));
}

/* OpenAPI operation keys API Gateway reads. */
static const char *const openapi_ops[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method",
};

/* Does security scheme `name` of the definition authenticate callers? */
static enum tri scheme_authenticates(const struct value *body, const char *name)
{
	const struct value *v2 = val_get(body, "securityDefinitions");
	const struct value *v3 = val_path(body, "components.securitySchemes");
	const struct value *def = val_get(v2, name);
	if (!def)
		def = val_get(v3, name);
	if (!def)
		return val_is_unknown(v2) || val_is_unknown(v3) ? MAYBE : NO;
	if (val_is_unknown(def))
		return MAYBE;
	if (val_get(def, "x-amazon-apigateway-authorizer") || val_get(def, "x-amazon-apigateway-authtype"))
		return YES;
	const struct value *type = val_get(def, "type");
	if (val_equals_ci(type, "oauth2") == YES || val_equals_ci(type, "openIdConnect") == YES)
		return YES;
	if (val_is_unknown(type))
		return MAYBE;
	return NO; /* an API key (type apiKey without an authorizer) is not authentication */
}

/* Is a `security` requirement list open (no alternative names an authorizer)?  A query_fn on body. */
static enum tri security_open(const struct value *sec, const void *body)
{
	if (query_absent(sec))
		return YES;
	if (sec->kind != VAL_LIST)
		return MAYBE;
	enum tri acc = YES;
	for (size_t i = 0; i < sec->n; i++) {
		const struct value *req = sec->items[i];
		if (!req || req->kind != VAL_MAP) {
			if (val_is_unknown(req))
				acc = MAYBE;
			continue;
		}
		for (size_t j = 0; j < req->n; j++) {
			enum tri a = scheme_authenticates(body, req->pairs[j].key);
			if (a == YES)
				return NO;
			if (a == MAYBE)
				acc = MAYBE;
		}
	}
	return acc;
}

/* Is an operation open?  A query_fn on body; asked through query_at, a removed Fn::If alternative is not open. */
static enum tri op_open(const struct value *op, const void *body)
{
	if (query_absent(op))
		return NO;
	if (op->kind != VAL_MAP)
		return MAYBE;
	const struct value *sec = val_get(op, "security");
	if (!sec)
		sec = val_get(body, "security");
	return query_at(sec, "", security_open, body);
}

/* Does a security list name an API key scheme (apiKey without an authorizer)? */
static bool names_api_key(const struct value *body, const struct value *sec)
{
	for (size_t i = 0; i < val_len(sec); i++) {
		const struct value *req = val_item(sec, i);
		for (size_t j = 0; req && req->kind == VAL_MAP && j < req->n; j++) {
			const char *name = req->pairs[j].key;
			const struct value *def = val_get(val_get(body, "securityDefinitions"), name);
			if (!def)
				def = val_get(val_path(body, "components.securitySchemes"), name);
			if (val_equals_ci(val_get(def, "type"), "apiKey") == YES &&
			    scheme_authenticates(body, name) == NO)
				return true;
		}
	}
	return false;
}

/* Why an open operation is open, for the message. */
static const char *open_reason(const struct value *body, const struct value *op)
{
	if (!op || op->kind != VAL_MAP)
		return "its `security` may name no authorizer";
	const struct value *sec = val_get(op, "security");
	bool own = sec != NULL;
	if (!own)
		sec = val_get(body, "security");
	if (names_api_key(body, sec))
		return own ? "its `security` names only an API key, which identifies a caller but does not "
			     "authenticate one"
			   : "the API's default `security` names only an API key, which identifies a caller but "
			     "does not authenticate one";
	if (own)
		return val_len(sec) ? "its `security` names no authorizer"
				    : "its `security` is empty, overriding any default";
	if (sec)
		return "the API's default `security` names no authorizer";
	return "neither the operation nor the API sets `security`";
}

static void path_ops(struct check_ctx *ctx, const struct resource *api, const struct value *body,
		     const char *path, const struct value *item, bool alternative)
{
	if (!item || item->kind != VAL_MAP)
		return;
	for (size_t k = 0; k < sizeof openapi_ops / sizeof *openapi_ops; k++) {
		const char *verb = openapi_ops[k];
		if (!strcmp(verb, "options"))
			continue; /* CORS preflight */
		const struct value *op = val_get(item, verb);
		if (!op)
			continue;
		enum tri t = query_at(op, "", op_open, body);
		if (alternative && t == YES)
			t = MAYBE;
		char upper[16];
		size_t n = 0;
		const char *shown = strcmp(verb, "x-amazon-apigateway-any-method") ? verb : "any";
		for (; shown[n] && n + 1 < sizeof upper; n++)
			upper[n] = (char)(shown[n] >= 'a' && shown[n] <= 'z' ? shown[n] - 32 : shown[n]);
		upper[n] = '\0';
		emit_auth(ctx, api, api, op, t, "%s %s of API %s %s callable without authorization: %s", upper, path,
			  api->id, t == YES ? "is" : "may be", open_reason(body, op));
	}
}

static void body_auth(struct check_ctx *ctx, const struct resource *api)
{
	const struct value *body = val_get(api->props, "Body");
	const struct value *paths = val_get(body, "paths");
	if (!paths || paths->kind != VAL_MAP)
		return; /* no Body, BodyS3Location, or unknown: not reported */
	for (size_t i = 0; i < paths->n; i++) {
		const struct value *item = paths->pairs[i].v;
		if (item && item->kind == VAL_CHOICE) {
			for (size_t j = 0; j < item->n; j++)
				path_ops(ctx, api, body, paths->pairs[i].key, item->items[j], true);
		} else {
			path_ops(ctx, api, body, paths->pairs[i].key, item, false);
		}
	}
}

static void v2_api_auth(struct check_ctx *ctx, const struct resource *r)
{
	body_auth(ctx, r);
	if (query_unset(r->props, "Body") == YES && query_unset(r->props, "Target") == NO &&
	    query_equals_ci(r->props, "ProtocolType", "WEBSOCKET") != YES)
		check_report_tri(ctx, r, val_get(r->props, "Target"), YES,
		     "HTTP API %s is a quick-create API (Target): its default route has no authorizer", r->id);
}

/*
 * An API whose methods are all outside the template (no Body, no method or
 * route resources) and that has no authorizer: unless every method uses
 * AWS_IAM, they are open.  Uncertain by nature.
 */
static void api_without_authorizer(struct check_ctx *ctx, const struct resource *r)
{
	const struct stack *s = ctx->stack;
	bool v2 = is_type(r, "AWS::ApiGatewayV2::Api");
	/* SAM drops a DefinitionBody it cannot read (AWS::Include, a local DefinitionUri): not ours to judge. */
	if (generated(r) || query_unset(r->props, "Body") != YES || query_unset(r->props, "BodyS3Location") != YES ||
	    (v2 && query_unset(r->props, "Target") != YES))
		return;
	struct rel_set methods;
	rel_api_methods(s, r, &methods);
	if (methods.n)
		return;
	const char *atype = v2 ? "AWS::ApiGatewayV2::Authorizer" : "AWS::ApiGateway::Authorizer";
	const char *akey = v2 ? "ApiId" : "RestApiId";
	if (graph_referrers(s, r->id, atype, akey, NULL, 0))
		return;
	/*
	 * An API created by this stack can only be named by Ref/GetAtt; but a
	 * literal equal to its logical ID is taken as meant for it.
	 */
	for (size_t i = 0; i < s->nres; i++) {
		const char *lit = val_str(val_get(s->res[i].props, akey));
		if (is_type(&s->res[i], atype) && s->res[i].deployed != NO && lit && !strcmp(lit, r->id))
			return;
	}
	check_report_tri(ctx, r, NULL, MAYBE,
	     "API %s has no authorizer and none of its methods is in the template: unless every method uses "
	     "AWS_IAM, they are callable without authorization",
	     r->id);
}

static void auth(struct check_ctx *ctx, const struct resource *r)
{
	if (is_type(r, "AWS::ApiGateway::Method")) {
		method_auth(ctx, r);
	} else if (is_type(r, "AWS::ApiGatewayV2::Route")) {
		route_auth(ctx, r);
	} else {
		api_without_authorizer(ctx, r);
		if (is_type(r, "AWS::ApiGateway::RestApi"))
			body_auth(ctx, r);
		else
			v2_api_auth(ctx, r);
	}
}

/* ---- RMP-WAF-001: what an API's web ACL blocks ---- */

enum waf_need { WAF_SQLI, WAF_XSS, WAF_RATE, WAF_NEEDS };

static const char *const waf_need_name[WAF_NEEDS] = {"SQL injection", "cross-site scripting", "rate-based"};

struct waf_cover {
	bool has[WAF_NEEDS];    /* blocking rule found */
	bool counted[WAF_NEEDS]; /* found, but only in Count mode */
	bool unknown;           /* some rules or statements could not be read */
};

static void waf_rules(const struct stack *s, const struct value *rules, struct waf_cover *c, int depth);

static void waf_found(struct waf_cover *c, enum waf_need n, bool count)
{
	if (count)
		c->counted[n] = true;
	else
		c->has[n] = true;
}

static void waf_statement(const struct stack *s, const struct value *st, bool count, struct waf_cover *c,
			  int depth)
{
	if (!st || depth > MAX_DEPTH)
		return;
	if (val_is_unknown(st)) {
		c->unknown = true;
		return;
	}
	if (st->kind != VAL_MAP)
		return;
	if (val_get(st, "SqliMatchStatement"))
		waf_found(c, WAF_SQLI, count);
	if (val_get(st, "XssMatchStatement"))
		waf_found(c, WAF_XSS, count);
	if (val_get(st, "RateBasedStatement"))
		waf_found(c, WAF_RATE, count);
	const struct value *m = val_get(st, "ManagedRuleGroupStatement");
	if (m) {
		const struct value *name = val_get(m, "Name");
		if (val_equals(name, "AWSManagedRulesSQLiRuleSet") == YES)
			waf_found(c, WAF_SQLI, count);
		else if (val_equals(name, "AWSManagedRulesCommonRuleSet") == YES)
			waf_found(c, WAF_XSS, count);
		else if (val_is_unknown(name))
			c->unknown = true;
	}
	static const char *const lists[] = {"AndStatement", "OrStatement"};
	for (size_t i = 0; i < 2; i++) {
		const struct value *l = val_get(val_get(st, lists[i]), "Statements");
		for (size_t j = 0; j < val_len(l); j++)
			waf_statement(s, val_item(l, j), count, c, depth + 1);
	}
	const struct value *ref = val_get(st, "RuleGroupReferenceStatement");
	if (ref) {
		struct resource *g = graph_target(s, val_get(ref, "ARN"));
		if (is_type(g, "AWS::WAFv2::RuleGroup"))
			waf_rules(s, val_get(g->props, "Rules"), c, depth + 1);
		else
			c->unknown = true;
	}
}

/* A rule that only counts (Action Count, or a rule group with OverrideAction Count). */
static bool rule_counts(const struct value *rule)
{
	return val_get(val_get(rule, "Action"), "Count") || val_get(val_get(rule, "OverrideAction"), "Count");
}

static void waf_rules(const struct stack *s, const struct value *rules, struct waf_cover *c, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	if (val_is_unknown(rules)) {
		c->unknown = true;
		return;
	}
	for (size_t i = 0; i < val_len(rules); i++) {
		const struct value *rule = val_item(rules, i);
		if (val_is_unknown(rule)) {
			c->unknown = true;
			continue;
		}
		waf_statement(s, val_get(rule, "Statement"), rule_counts(rule), c, depth + 1);
	}
}

/* Does an association's ResourceArn designate an API Gateway REST API or stage? */
static bool arn_is_api(const struct stack *s, const struct value *arn)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if ((is_type(r, "AWS::ApiGateway::RestApi") || is_type(r, "AWS::ApiGateway::Stage")) &&
		    graph_mentions(arn, r->id))
			return true;
	}
	const char *text = query_text(arn);
	return text && strstr(text, "/restapis/");
}

/* Does an association of the stack put the web ACL in front of an API Gateway REST API or stage? */
static bool acl_protects_api(const struct stack *s, const struct resource *acl)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *a = &s->res[i];
		if (is_type(a, "AWS::WAFv2::WebACLAssociation") && a->deployed != NO &&
		    graph_target(s, val_get(a->props, "WebACLArn")) == acl &&
		    arn_is_api(s, val_get(a->props, "ResourceArn")))
			return true;
	}
	return false;
}

static void web_acl_rules(struct check_ctx *ctx, const struct resource *acl)
{
	const struct stack *s = ctx->stack;
	if (!acl_protects_api(s, acl))
		return;
	struct waf_cover c = {0};
	waf_rules(s, val_get(acl->props, "Rules"), &c, 0);
	if (c.unknown)
		return; /* some rule could not be read: not reported */
	char missing[256] = "";
	size_t len = 0;
	for (int n = 0; n < WAF_NEEDS; n++) {
		if (c.has[n])
			continue;
		int w = snprintf(missing + len, sizeof missing - len, "%s%s%s", len ? ", " : "", waf_need_name[n],
				 c.counted[n] ? " (Count mode only)" : "");
		if (w > 0 && (size_t)w < sizeof missing - len)
			len += (size_t)w;
	}
	if (!len)
		return;
	check_report_tri(ctx, acl, val_get(acl->props, "Rules"), YES,
	     "web ACL %s protects an API but has no blocking rule for: %s", acl->id, missing);
}

/* ---- RMP-APIGW-011: TLS policy of custom domains ---- */

/* SecurityPolicy absent (REST default TLS_1_0) or TLS_1_0. */
static enum tri weak_tls(const struct value *v, const void *arg)
{
	bool absent_is_weak = *(const bool *)arg;
	if (query_unset(v, "") == YES)
		return absent_is_weak ? YES : NO;
	return val_equals_ci(v, "TLS_1_0");
}

static enum tri item_weak_tls(const struct value *item, const void *arg)
{
	return query_at(item, "SecurityPolicy", weak_tls, arg);
}

static void domain_v2_tls(struct check_ctx *ctx, const struct resource *r)
{
	bool absent_is_weak = false; /* v2 domain names default to TLS_1_2 */
	enum tri t = query_any(r->props, "DomainNameConfigurations", item_weak_tls, &absent_is_weak);
	check_report_tri(ctx, r, val_get(r->props, "DomainNameConfigurations"), t,
	     "custom domain %s %s TLS 1.0: a DomainNameConfigurations entry has SecurityPolicy TLS_1_0", r->id,
	     t == YES ? "accepts" : "may accept");
}

static void domain_tls(struct check_ctx *ctx, const struct resource *r)
{
	if (is_type(r, "AWS::ApiGatewayV2::DomainName")) {
		domain_v2_tls(ctx, r);
		return;
	}
	bool absent_is_weak = true;
	enum tri t = query_at(r->props, "SecurityPolicy", weak_tls, &absent_is_weak);
	const struct value *at = val_get(r->props, "SecurityPolicy");
	check_report_tri(ctx, r, at, t, "custom domain %s %s TLS 1.0: SecurityPolicy is %s (set TLS_1_2)", r->id,
	     t == YES ? "accepts" : "may accept", at ? val_render(ctx->stack->arena, at) : "not set (TLS_1_0)");
}

/* ---- RMP-APIGW-013: endpoint type ---- */

/*
 * An AWS::Serverless::Api whose EndpointConfiguration is a mapping without
 * SAM's `Type` key but with CloudFormation's `Types` listing PRIVATE (or
 * not a plain list): KICS serverless_api_endpoint_config_not_private's
 * negative writes it so.  The SAM expansion reads only `Type`, so the
 * generated RestApi would show the EDGE default, a claim the template does
 * not make: not judged.  (The SAM translator itself does not accept this
 * form either; `Types: [EDGE]`, or VpcEndpointIds alone, stay reported.)
 */
static bool sam_endpoint_unread(const struct stack *s, const struct resource *r)
{
	if (!generated(r) || !r->source_type || strcmp(r->source_type, "AWS::Serverless::Api"))
		return false;
	const struct node *api = node_get(node_get(s->root, "Resources"), r->source_id);
	const struct node *ec = node_get(node_get(api, "Properties"), "EndpointConfiguration");
	const struct node *types = node_get(ec, "Types");
	if (!types || node_get(ec, "Type"))
		return false;
	if (types->kind != NODE_SEQ)
		return true;
	for (size_t i = 0; i < types->n; i++) {
		const char *t = node_str(types->items[i]);
		if (!t || !strcasecmp(t, "PRIVATE"))
			return true;
	}
	return false;
}

static void rest_endpoint(struct check_ctx *ctx, const struct resource *r)
{
	if (sam_endpoint_unread(ctx->stack, r))
		return;
	enum tri private = query_any(r->props, "EndpointConfiguration.Types", query_eq_ci, "PRIVATE");
	if (private != NO)
		return;
	const struct value *types = val_path(r->props, "EndpointConfiguration.Types");
	/* The types as words ("REGIONAL", "EDGE, REGIONAL"), not JSON; other shapes rendered. */
	char words[256];
	size_t len = 0, n = 0;
	words[0] = '\0';
	if (types && types->kind == VAL_LIST) {
		for (size_t i = 0; i < types->n; i++) {
			const char *t = val_str(types->items[i]);
			if (!t)
				t = val_render(ctx->stack->arena, types->items[i]);
			int w = snprintf(words + len, sizeof words - len, "%s%s", n ? ", " : "", t ? t : "?");
			if (w < 0 || (size_t)w >= sizeof words - len) {
				n = 0; /* too long for words: render the whole value */
				break;
			}
			len += (size_t)w;
			n++;
		}
	} else if (types && val_str(types)) {
		snprintf(words, sizeof words, "%s", val_str(types));
		n = 1;
	}
	const char *shown = n ? words : types ? val_render(ctx->stack->arena, types) : "EDGE (the default)";
	check_report_tri(ctx, r, types, YES, "REST API %s is reachable from the internet: endpoint type%s %s, not PRIVATE",
	     r->id, n > 1 ? "s are" : " is", shown);
}

/* ---- Lambda function URLs ---- */

/* The function a URL targets (through an alias or version of the stack), or NULL. */
static const struct resource *url_function(const struct stack *s, const struct resource *url)
{
	struct resource *t = graph_target(s, val_get(url->props, "TargetFunctionArn"));
	if (is_type(t, "AWS::Lambda::Alias") || is_type(t, "AWS::Lambda::Version"))
		t = graph_target(s, val_get(t->props, "FunctionName"));
	return is_type(t, "AWS::Lambda::Function") ? t : NULL;
}

/* Actions that read or write a data store. */
static const char *const data_actions[] = {
	"dynamodb:GetItem",     "dynamodb:Query",    "dynamodb:Scan",         "dynamodb:PutItem",
	"dynamodb:UpdateItem",  "dynamodb:DeleteItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
	"dynamodb:PartiQLSelect", "rds-data:ExecuteStatement", "rds-db:connect", "s3:GetObject",
	"s3:PutObject",         "secretsmanager:GetSecretValue", "dax:GetItem", "dax:Query",
};

/* AWS managed policies that grant data-store access. */
static const char *const data_policies[] = {
	"AdministratorAccess",       "PowerUserAccess",      "AmazonDynamoDBFullAccess",
	"AmazonDynamoDBReadOnlyAccess", "AmazonRDSDataFullAccess", "AmazonS3FullAccess",
	"AmazonS3ReadOnlyAccess",    "SecretsManagerReadWrite", "AmazonDynamoDBFullAccesswithDataPipeline",
};

static enum tri action_reaches_data(const struct value *v, const void *arg)
{
	(void)arg;
	if (val_is_unknown(v))
		return MAYBE;
	const char *a = val_str(v);
	if (!a)
		return NO;
	for (size_t i = 0; i < sizeof data_actions / sizeof *data_actions; i++)
		if (iam_wildcard_match(a, data_actions[i], true))
			return YES;
	return NO;
}

struct reach {
	enum tri t;
	const char *via; /* the policy that decided YES */
};

static void reach_statement(const struct rel_statement *st, void *vctx)
{
	struct reach *rc = vctx;
	enum tri allow = val_equals(val_get(st->stmt, "Effect"), "Allow");
	enum tri acts;
	if (val_get(st->stmt, "NotAction"))
		acts = YES; /* Allow with NotAction grants nearly everything */
	else
		acts = query_any(st->stmt, "Action", action_reaches_data, NULL);
	enum tri t = tri_and(tri_and(allow, acts), st->applies);
	if (t == YES && rc->t != YES)
		rc->via = st->policy_name;
	rc->t = tri_or(rc->t, t);
}

static void reach_managed(const struct value *arn, const char *name, void *vctx)
{
	struct reach *rc = vctx;
	(void)arn;
	if (!name) {
		rc->t = tri_or(rc->t, MAYBE);
		return;
	}
	for (size_t i = 0; i < sizeof data_policies / sizeof *data_policies; i++)
		if (!strcmp(name, data_policies[i])) {
			if (rc->t != YES)
				rc->via = data_policies[i];
			rc->t = YES;
		}
}

/* Can the function's role read or write a data store (DynamoDB, RDS, S3, secrets)? */
static struct reach function_reaches_data(const struct stack *s, const struct resource *fn)
{
	struct reach rc = {NO, NULL};
	struct resource *role = rel_function_role(s, fn);
	if (!role) {
		rc.t = MAYBE; /* a role outside the stack */
		return rc;
	}
	rel_principal_statements(s, role, reach_statement, &rc);
	rel_principal_managed_arns(s, role, reach_managed, &rc);
	return rc;
}

/* RMP-LMB-011 */
static void url_auth(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_equals_ci(r->props, "AuthType", "NONE");
	if (t == NO)
		return;
	const struct resource *fn = url_function(ctx->stack, r);
	struct reach rc = fn ? function_reaches_data(ctx->stack, fn) : (struct reach){MAYBE, NULL};
	enum severity sev = rc.t == YES ? SEV_CRITICAL : ctx->check->severity;
	char reach[256];
	if (rc.t == YES)
		snprintf(reach, sizeof reach, "; its role can read or write a data store (through %s)",
			 rc.via ? rc.via : "its policies");
	else if (rc.t == MAYBE)
		snprintf(reach, sizeof reach, "; whether its role reaches a data store is not known from the template");
	else
		reach[0] = '\0';
	check_report_severity(ctx, r, check_pos(r, val_get(r->props, "AuthType")), sure(r, t), sev,
			      "function URL %s %s public: AuthType NONE lets anyone on the internet invoke %s%s",
			      r->id, t == YES ? "is" : "may be", fn ? fn->id : "its function", reach);
}

/* RMP-LMB-012 */
static void url_cors(struct check_ctx *ctx, const struct resource *r)
{
	enum tri t = query_any(r->props, "Cors.AllowOrigins", query_eq_ci, "*");
	check_report_tri(ctx, r, val_path(r->props, "Cors.AllowOrigins"), t,
	     "function URL %s %s any web site call it from a browser: Cors.AllowOrigins includes \"*\"", r->id,
	     t == YES ? "lets" : "may let");
}

/* ---- the table ---- */

const struct check checks_api[] = {
	{
		.id = "RMP-APIGW-001",
		.title = "REST API stages write access logs",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Stage,AWS::ApiGateway::Deployment",
		.related_types = "AWS::Serverless::Api",
		.gdpr = "Art. 32,Art. 33",
		.fsbp = "APIGateway.1",
		.cis = "",
		.checkov = "CKV_AWS_76",
		.kics = "api_gateway_access_logging_disabled,api_gateway_deployment_without_access_log_setting,"
			"serverless_api_access_logging_setting_undefined",
		.cfn_nag = "W69,W45",
		.cdk_nag = "AwsSolutions-APIG1",
		.kics_tf = "",
		.trivy = "AVD-AWS-0001,AVD-AWS-0113",
		.guard = "API_GW_STAGE_ACCESS_LOGGING_RULE",
		.coverage = "A1",
		.unknowns = "An AccessLogSetting removed under an undecided Fn::If is reported with certain=false; "
			    "a destination given by a parameter or import counts as set.",
		.remediation = "Send the stage's access log to a CloudWatch log group: without it there is no "
			       "record of who called the API, which a breach investigation needs.",
		.snippet = "ApiStage:\n"
			   "  Type: AWS::ApiGateway::Stage\n"
			   "  Properties:\n"
			   "    AccessLogSetting:\n"
			   "      DestinationArn: !GetAtt ApiAccessLogs.Arn\n"
			   "      Format: '{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
			   "\"status\":\"$context.status\"}'\n",
		.each = rest_access_log,
	},
	{
		.id = "RMP-APIGW-002",
		.title = "HTTP and WebSocket API stages write access logs",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGatewayV2::Stage,AWS::ApiGatewayV2::Api",
		.related_types = "AWS::Serverless::HttpApi",
		.gdpr = "Art. 32,Art. 33",
		.fsbp = "APIGateway.9",
		.cis = "",
		.checkov = "CKV_AWS_95",
		.kics = "api_gateway_access_logging_disabled",
		.cfn_nag = "W46",
		.cdk_nag = "AwsSolutions-APIG1",
		.kics_tf = "",
		.trivy = "AVD-AWS-0001,AVD-AWS-0116",
		.guard = "API_GWV2_ACCESS_LOGS_ENABLED",
		.coverage = "A2",
		.unknowns = "AccessLogSettings removed under an undecided Fn::If is reported with certain=false; a "
			    "destination given by a parameter or import counts as set.",
		.remediation = "Set AccessLogSettings on every v2 stage (a quick-create API cannot log: declare an "
			       "AWS::ApiGatewayV2::Stage for it).",
		.snippet = "HttpApiStage:\n"
			   "  Type: AWS::ApiGatewayV2::Stage\n"
			   "  Properties:\n"
			   "    ApiId: !Ref HttpApi\n"
			   "    StageName: $default\n"
			   "    AutoDeploy: true\n"
			   "    AccessLogSettings:\n"
			   "      DestinationArn: !GetAtt ApiAccessLogs.Arn\n"
			   "      Format: '{\"requestId\":\"$context.requestId\","
			   "\"ip\":\"$context.identity.sourceIp\"}'\n",
		.each = v2_access_log,
	},
	{
		.id = "RMP-APIGW-004",
		.title = "REST API stages have X-Ray tracing enabled",
		.severity = SEV_LOW,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Stage,AWS::ApiGateway::Deployment",
		.related_types = "AWS::Serverless::Api",
		.gdpr = "Art. 33",
		.fsbp = "APIGateway.3",
		.cis = "",
		.checkov = "CKV_AWS_73",
		.kics = "api_gateway_xray_disabled,serverless_api_xray_tracing_disabled",
		.cfn_nag = "",
		.cdk_nag = "APIGWXrayEnabled",
		.kics_tf = "",
		.trivy = "AVD-AWS-0003,AVD-AWS-0111",
		.guard = "",
		.coverage = "A4",
		.unknowns = "Only a TracingEnabled that is surely not true is reported; an undecided value is not.",
		.remediation = "Turn on X-Ray tracing so requests can be followed from the API to the function and "
			       "the database.",
		.snippet = "ApiStage:\n"
			   "  Type: AWS::ApiGateway::Stage\n"
			   "  Properties:\n"
			   "    TracingEnabled: true\n",
		.each = rest_tracing,
	},
	{
		.id = "RMP-APIGW-006",
		.title = "REST API stage caches are encrypted",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Stage,AWS::ApiGateway::Deployment",
		.related_types = "AWS::Serverless::Api",
		.gdpr = "Art. 5(1)(f),Art. 32",
		.fsbp = "APIGateway.5",
		.cis = "",
		.checkov = "",
		.kics = "api_gateway_cache_encrypted_disabled",
		.cfn_nag = "W87",
		.cdk_nag = "APIGWCacheEnabledAndEncrypted",
		.kics_tf = "",
		.trivy = "AVD-AWS-0002,AVD-AWS-0110",
		.guard = "API_GW_CACHE_ENABLED_AND_ENCRYPTED",
		.coverage = "A6",
		.unknowns = "Caching or encryption that depends on an undecided Fn::If or a parameter is reported "
			    "with certain=false.",
		.remediation = "Set CacheDataEncrypted: true in every method setting that caches: cached responses "
			       "may hold personal data.",
		.snippet = "ApiStage:\n"
			   "  Type: AWS::ApiGateway::Stage\n"
			   "  Properties:\n"
			   "    CacheClusterEnabled: true\n"
			   "    MethodSettings:\n"
			   "      - ResourcePath: /*\n"
			   "        HttpMethod: '*'\n"
			   "        CachingEnabled: true\n"
			   "        CacheDataEncrypted: true\n",
		.each = rest_cache,
	},
	{
		.id = "RMP-APIGW-007",
		.title = "Every API method and route requires authorization",
		.severity = SEV_HIGH,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Method,AWS::ApiGateway::RestApi,AWS::ApiGatewayV2::Route,"
				  "AWS::ApiGatewayV2::Api",
		.related_types = "AWS::Serverless::Api,AWS::Serverless::HttpApi,AWS::Serverless::Function",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "APIGateway.8",
		.cis = "",
		.checkov = "CKV_AWS_59",
		.kics = "api_gateway_with_open_access,api_gateway_without_configured_authorizer",
		.cfn_nag = "W59",
		.cdk_nag = "AwsSolutions-APIG4",
		.kics_tf = "",
		.trivy = "AVD-AWS-0004",
		.guard = "API_GW_METHOD_AUTHORIZATION_TYPE_RULE",
		.coverage = "A7",
		.unknowns = "A method or route whose AuthorizationType or HTTP method is undecided (Fn::If, "
			    "parameter), or whose OpenAPI security names an unreadable scheme, is reported with "
			    "certain=false, and so is an API with no authorizer whose methods are all outside the "
			    "template; an API defined by BodyS3Location or an unresolvable Body is not reported. "
			    "On a REST API whose endpoint type is PRIVATE the finding is medium, not high.",
		.remediation = "Put an authorizer (Cognito, JWT, Lambda or AWS_IAM) on every method except CORS "
			       "preflight OPTIONS; an API key alone identifies a caller, it does not authenticate one.",
		.snippet = "MyApi:\n"
			   "  Type: AWS::Serverless::Api\n"
			   "  Properties:\n"
			   "    StageName: prod\n"
			   "    Auth:\n"
			   "      DefaultAuthorizer: CognitoAuth\n"
			   "      Authorizers:\n"
			   "        CognitoAuth:\n"
			   "          UserPoolArn: !GetAtt UserPool.Arn\n",
		.each = auth,
	},
	{
		.id = "RMP-APIGW-009",
		.title = "API stages are throttled (usage plan or throttling settings)",
		.severity = SEV_LOW,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Stage,AWS::ApiGateway::Deployment,AWS::ApiGatewayV2::Stage",
		.related_types = "AWS::ApiGateway::UsagePlan,AWS::Serverless::Api,AWS::Serverless::HttpApi",
		.gdpr = "Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "api_gateway_deployment_without_api_gateway_usage_plan_associated,"
			"api_gateway_stage_without_api_gateway_usage_plan_associated",
		.cfn_nag = "W64,W68",
		.cdk_nag = "Serverless-APIGWDefaultThrottling",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "A9,A15",
		.unknowns = "Reported only when no usage plan can list the stage and no stage-wide throttling "
			    "(REST: a MethodSettings entry for /* and *; v2: DefaultRouteSettings) is set; an "
			    "undecided usage plan entry or limit counts as throttled.",
		.remediation = "Set stage-wide throttling in MethodSettings (REST) or DefaultRouteSettings (v2), or "
			       "put the stage in a usage plan with a Throttle, so a flood of requests cannot run up "
			       "the "
			       "bill or exhaust the database.",
		.snippet = "ApiStage:\n"
			   "  Type: AWS::ApiGateway::Stage\n"
			   "  Properties:\n"
			   "    MethodSettings:\n"
			   "      - ResourcePath: /*\n"
			   "        HttpMethod: '*'\n"
			   "        ThrottlingRateLimit: 50\n"
			   "        ThrottlingBurstLimit: 100\n",
		.each = throttle,
	},
	{
		.id = "RMP-APIGW-010",
		.title = "REST API stages are protected by an AWS WAF web ACL",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::Stage,AWS::ApiGateway::Deployment",
		.related_types = "AWS::WAFv2::WebACLAssociation,AWS::Serverless::Api",
		.gdpr = "Art. 32",
		.fsbp = "APIGateway.4",
		.cis = "",
		.checkov = "",
		.kics = "api_gateway_without_waf",
		.cfn_nag = "",
		.cdk_nag = "AwsSolutions-APIG3",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "A10",
		.unknowns = "An association that names the API but whose stage cannot be told counts as protecting "
			    "the stage (not reported).",
		.remediation = "Associate a regional WAFv2 web ACL with the stage.",
		.snippet = "ApiWafAssociation:\n"
			   "  Type: AWS::WAFv2::WebACLAssociation\n"
			   "  Properties:\n"
			   "    WebACLArn: !GetAtt ApiWebAcl.Arn\n"
			   "    ResourceArn: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::"
			   "/restapis/${MyApi}/stages/prod\n",
		.each = rest_waf,
	},
	{
		.id = "RMP-APIGW-011",
		.title = "API custom domains require TLS 1.2",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::DomainName,AWS::ApiGatewayV2::DomainName",
		.related_types = "AWS::Serverless::Api,AWS::Serverless::HttpApi",
		.gdpr = "Art. 5(1)(f),Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "api_gateway_without_security_policy",
		.cfn_nag = "W62",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "AVD-AWS-0005,AVD-AWS-0112",
		.guard = "API_GW_DOMAIN_DENY_NON_TLS_TRAFFIC",
		.coverage = "A11",
		.unknowns = "A SecurityPolicy given by an undecided Fn::If or parameter is reported with "
			    "certain=false.",
		.remediation = "Set SecurityPolicy: TLS_1_2 on the custom domain (REST domain names default to "
			       "TLS_1_0).",
		.snippet = "ApiDomain:\n"
			   "  Type: AWS::ApiGateway::DomainName\n"
			   "  Properties:\n"
			   "    DomainName: api.example.co.uk\n"
			   "    RegionalCertificateArn: !Ref Certificate\n"
			   "    SecurityPolicy: TLS_1_2\n",
		.each = domain_tls,
	},
	{
		.id = "RMP-APIGW-013",
		.title = "REST APIs that serve only internal callers use a PRIVATE endpoint",
		.severity = SEV_INFO,
		.layer = LAYER_API,
		.resource_types = "AWS::ApiGateway::RestApi",
		.related_types = "AWS::Serverless::Api",
		.gdpr = "Art. 25",
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "api_gateway_endpoint_config_is_not_private,serverless_api_endpoint_config_not_private",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "API_GW_ENDPOINT_TYPE_CHECK",
		.coverage = "A13",
		.unknowns = "Endpoint types that are undecided are not reported.",
		.remediation = "If only your own VPC calls the API, make it PRIVATE and reach it through an "
			       "execute-api VPC endpoint; otherwise accept this as information.",
		.snippet = "MyApi:\n"
			   "  Type: AWS::ApiGateway::RestApi\n"
			   "  Properties:\n"
			   "    EndpointConfiguration:\n"
			   "      Types: [PRIVATE]\n",
		.each = rest_endpoint,
	},
	{
		.id = "RMP-LMB-011",
		.title = "Lambda function URLs require IAM authentication",
		.severity = SEV_HIGH,
		.layer = LAYER_API,
		.resource_types = "AWS::Lambda::Url",
		.related_types = "AWS::Lambda::Function,AWS::IAM::Role,AWS::Serverless::Function",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_258",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "LambdaFunctionUrlAuth",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "L11",
		.unknowns = "An AuthType that is undecided is reported with certain=false.  Severity is critical "
			    "when the function's role surely reaches a data store (DynamoDB, RDS Data/IAM auth, S3, "
			    "Secrets Manager), high otherwise, including when that cannot be told.",
		.remediation = "Set AuthType: AWS_IAM and sign requests, or put the function behind API Gateway "
			       "with an authorizer.",
		.snippet = "MyFunctionUrl:\n"
			   "  Type: AWS::Lambda::Url\n"
			   "  Properties:\n"
			   "    TargetFunctionArn: !GetAtt MyFunction.Arn\n"
			   "    AuthType: AWS_IAM\n",
		.each = url_auth,
	},
	{
		.id = "RMP-LMB-012",
		.title = "Lambda function URL CORS does not allow every origin",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::Lambda::Url",
		.related_types = "AWS::Serverless::Function",
		.gdpr = "Art. 5(1)(f),Art. 25",
		.fsbp = "",
		.cis = "",
		.checkov = "CKV2_AWS_75",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "L12",
		.unknowns = "AllowOrigins that is undecided (Fn::If, parameter) is reported with certain=false.",
		.remediation = "List the exact origins of your web front end in Cors.AllowOrigins.",
		.snippet = "MyFunctionUrl:\n"
			   "  Type: AWS::Lambda::Url\n"
			   "  Properties:\n"
			   "    TargetFunctionArn: !GetAtt MyFunction.Arn\n"
			   "    AuthType: AWS_IAM\n"
			   "    Cors:\n"
			   "      AllowOrigins: [https://app.example.co.uk]\n",
		.each = url_cors,
	},
	{
		.id = "RMP-WAF-001",
		.title = "Web ACLs in front of an API block SQL injection, XSS and floods",
		.severity = SEV_MEDIUM,
		.layer = LAYER_API,
		.resource_types = "AWS::WAFv2::WebACL",
		.related_types = "AWS::WAFv2::WebACLAssociation,AWS::WAFv2::RuleGroup",
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
		.coverage = "",
		.unknowns = "A web ACL with a rule, statement or rule group that cannot be read from the template "
			    "is not reported.",
		.remediation = "Add the AWS managed SQLi and Common rule sets (or SqliMatch/XssMatch statements) and "
			       "a rate-based rule, in Block mode (OverrideAction None).",
		.snippet = "ApiWebAcl:\n"
			   "  Type: AWS::WAFv2::WebACL\n"
			   "  Properties:\n"
			   "    Scope: REGIONAL\n"
			   "    DefaultAction: {Allow: {}}\n"
			   "    VisibilityConfig: &vis\n"
			   "      {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: api}\n"
			   "    Rules:\n"
			   "      - Name: sqli\n"
			   "        Priority: 0\n"
			   "        OverrideAction: {None: {}}\n"
			   "        Statement:\n"
			   "          ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesSQLiRuleSet}\n"
			   "        VisibilityConfig: *vis\n"
			   "      - Name: common\n"
			   "        Priority: 1\n"
			   "        OverrideAction: {None: {}}\n"
			   "        Statement:\n"
			   "          ManagedRuleGroupStatement:\n"
			   "            {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}\n"
			   "        VisibilityConfig: *vis\n"
			   "      - Name: rate\n"
			   "        Priority: 2\n"
			   "        Action: {Block: {}}\n"
			   "        Statement: {RateBasedStatement: {Limit: 1000, AggregateKeyType: IP}}\n"
			   "        VisibilityConfig: *vis\n",
		.each = web_acl_rules,
	},
};
const size_t checks_api_count = sizeof checks_api / sizeof *checks_api;
