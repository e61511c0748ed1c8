/*
 * sam_api.c - AWS::Serverless::Api and HttpApi, and the Api/HttpApi events
 * of functions, as the SAM translator writes them:
 *
 *   Api      -> AWS::ApiGateway::RestApi (OpenAPI Body with paths, the
 *               x-amazon-apigateway-integration to the function and each
 *               method's `security`), <Api>Deployment<hash>,
 *               <Api><Stage>Stage, <Api><Authorizer>AuthorizerPermission
 *   HttpApi  -> AWS::ApiGatewayV2::Api (Body), <Api><Stage>Stage or
 *               <Api>ApiGatewayDefaultStage
 *   events   -> a path+method in the API's Body, and
 *               <Fn><Event>Permission<Stage> (REST) / <Fn><Event>Permission (HTTP)
 *
 * Functions without RestApiId/ApiId use the implicit ServerlessRestApi /
 * ServerlessHttpApi (Globals.Api / Globals.HttpApi apply to them).
 *
 * Method security follows the translator's swagger editor: an event's
 * Auth.Authorizer is set on its method ("NONE" is written as
 * [{"NONE": []}] and keeps the API's DefaultAuthorizer off that method);
 * then the DefaultAuthorizer goes on every method with an integration that
 * has no authorizer yet (CORS preflight OPTIONS too, unless
 * AddDefaultAuthorizerToCorsPreflight is false); ApiKeyRequired adds
 * {"api_key": []}.  A user DefinitionBody is kept (copied) and gets the
 * API-level auth; REST events add their paths to generated bodies only
 * (or with MergeDefinitions, or just their Auth with OverrideApiAuth),
 * HTTP events to any body.  Auth.ResourcePolicy.CustomStatements become
 * the body's x-amazon-apigateway-policy; DisableExecuteApiEndpoint goes
 * into the body as the translator writes it.
 */
#include "core/arena.h"
#include "core/strmap.h"
#include "model/sam_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPLICIT_REST "ServerlessRestApi"
#define IMPLICIT_HTTP "ServerlessHttpApi"
#define ANY_METHOD "x-amazon-apigateway-any-method"
#define INTEGRATION "x-amazon-apigateway-integration"
/* Marker for ApiKeyRequired: false on an event, removed when the API is finished. */
#define APIKEY_FALSE "api_key_false"

static size_t api_index(struct sam *x, const char *id)
{
	for (size_t i = 0; i < x->napis; i++)
		if (strcmp(x->apis[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

static size_t api_new(struct sam *x, enum sam_api_kind kind, const char *id)
{
	if (x->napis == x->capis) {
		size_t nc = x->capis ? x->capis * 2 : 4;
		x->apis = arena_grow(x->a, x->apis, x->napis, nc, sizeof *x->apis);
		x->capis = nc;
	}
	struct sam_api *a = &x->apis[x->napis];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->id = arena_strdup(x->a, id);
	a->deployed = YES;
	return x->napis++;
}

static bool is_openapi3(const struct value *props)
{
	const char *v = sv_text(val_get(props, "OpenApiVersion"));
	return v && v[0] == '3';
}

static struct value *new_body(struct sam *x, enum sam_api_kind kind, const struct value *props, struct pos pos)
{
	struct value *b = sv_map(x, pos);
	struct value *info = sv_map(x, pos);
	sv_put(x, info, "version", sv_str(x, "1.0", pos));
	struct value *name = val_get(props, "Name");
	sv_put(x, info, "title", name ? name : val_unknown(x->a, pos, "!Ref AWS::StackName", "the stack name"));
	sv_put(x, b, "info", info);
	if (kind == SAM_HTTP)
		sv_put(x, b, "openapi", sv_str(x, "3.0.1", pos));
	else if (is_openapi3(props))
		sv_put(x, b, "openapi", val_get(props, "OpenApiVersion"));
	else
		sv_put(x, b, "swagger", sv_str(x, "2.0", pos));
	sv_put(x, b, "paths", sv_map(x, pos));
	if (kind == SAM_HTTP) {
		struct value *tags = sv_list(x, pos), *t = sv_map(x, pos);
		sv_put(x, t, "name", sv_str(x, "httpapi:createdBy", pos));
		sv_put(x, t, "x-amazon-apigateway-tag-value", sv_str(x, "SAM", pos));
		sv_push(x, tags, t);
		sv_put(x, b, "tags", tags);
	}
	return b;
}

static void api_setup(struct sam *x, size_t ai, struct value *props, struct pos pos)
{
	struct sam_api *a = &x->apis[ai];
	a->props = props && props->kind == VAL_MAP ? props : sv_map(x, pos);
	a->pos = pos;
	/* A StageName given by a parameter or intrinsic names no logical ID:
	 * the translator then uses <Api>Stage and <Fn><Event>PermissionStage. */
	a->stage = sam_literal(x, a->implicit ? NULL : stack_find(x->s, a->id),
			       a->kind == SAM_REST ? "Api" : "HttpApi", "StageName");
	struct value *def = val_get(a->props, "DefinitionBody");
	if (def && def->kind == VAL_MAP) {
		a->body = sv_clone(x, def);
		if (!val_get(a->body, "paths"))
			sv_put(x, a->body, "paths", sv_map(x, def->pos));
		a->managed = false;
	} else if (def || val_get(a->props, "DefinitionUri")) {
		a->body = NULL; /* not knowable here */
		a->managed = false;
	} else {
		a->body = new_body(x, a->kind, a->props, pos);
		a->managed = true;
	}
}

void sam_api_collect(struct sam *x)
{
	for (size_t i = 0; i < x->s->nres; i++) {
		const struct resource *r = &x->s->res[i];
		if (!r->type)
			continue;
		bool rest = strcmp(r->type, SAM_API) == 0, http = strcmp(r->type, SAM_HTTPAPI) == 0;
		if (!rest && !http)
			continue;
		struct pos pos = r->pos;
		struct value *props = sv_merge(x, sam_globals_for(x, rest ? x->g_api : x->g_httpapi, r), r->props);
		const char *id = r->id;
		size_t ai = api_new(x, rest ? SAM_REST : SAM_HTTP, id);
		api_setup(x, ai, props, pos);
		x->apis[ai].source_id = x->apis[ai].id;
	}
}

/* The implicit API, created on first use. */
static size_t implicit_api(struct sam *x, bool http, const char *fn_id)
{
	const char *id = http ? IMPLICIT_HTTP : IMPLICIT_REST;
	size_t ai = api_index(x, id);
	const struct resource *fn = stack_find(x->s, fn_id);
	if (ai == (size_t)-1) {
		ai = api_new(x, http ? SAM_HTTP : SAM_REST, id);
		struct value *g = http ? x->g_httpapi : x->g_api;
		struct pos pos = fn ? fn->pos : (struct pos){0};
		api_setup(x, ai, sv_merge(x, g, NULL), pos);
		struct sam_api *a = &x->apis[ai];
		a->implicit = true;
		a->source_id = fn ? fn->id : a->id;
		a->deployed = fn ? fn->deployed : YES;
		a->condition = fn ? fn->condition : NULL;
		if (!http && !a->stage)
			a->stage = "Prod";
	} else if (fn) {
		/* Deployed if any function using it is. */
		struct sam_api *a = &x->apis[ai];
		if (fn->deployed == YES) {
			a->deployed = YES;
			a->condition = NULL;
		}
	}
	return ai;
}

static const char *method_key(struct sam *x, const char *m)
{
	if (!m || !*m)
		return ANY_METHOD;
	char *l = arena_strdup(x->a, m);
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(l, "any") == 0)
		return ANY_METHOD;
	return l;
}

/* Path as it appears in an execute-api ARN: {param} segments become *. */
static const char *arn_path(struct sam *x, const char *path)
{
	size_t n = strlen(path);
	char *o = arena_alloc(x->a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (path[i] == '{') {
			while (i < n && path[i] != '}')
				i++;
			o[j++] = '*';
			continue;
		}
		o[j++] = path[i];
	}
	o[j] = '\0';
	return o;
}

static const char *arn_method(struct sam *x, const char *m)
{
	if (!m || strcmp(m, ANY_METHOD) == 0)
		return "*";
	char *u = arena_strdup(x->a, m);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static struct value *authorizers(const struct sam_api *a)
{
	return val_path(a->props, "Auth.Authorizers");
}

/* {name: scopes}: the given scopes, else the authorizer's AuthorizationScopes, else []. */
static struct value *security_entry(struct sam *x, const struct sam_api *a, const char *name,
				    const struct value *scopes, struct pos pos)
{
	struct value *e = sv_map(x, pos);
	struct value *sc = NULL;
	if (strcmp(name, "NONE") != 0 && strcmp(name, "AWS_IAM") != 0) {
		if (scopes && scopes->kind == VAL_LIST)
			sc = sv_clone(x, scopes);
		else {
			struct value *as = val_get(val_get(authorizers(a), name), "AuthorizationScopes");
			if (as && as->kind == VAL_LIST)
				sc = sv_clone(x, as);
		}
	}
	sv_put(x, e, name, sc ? sc : sv_list(x, pos));
	return e;
}

static struct value *paths_of(struct sam *x, struct value *body)
{
	struct value *p = val_get(body, "paths");
	if (!p || p->kind != VAL_MAP) {
		p = sv_map(x, body->pos);
		sv_put(x, body, "paths", p);
	}
	return p;
}

static struct value *path_item(struct sam *x, struct value *body, const char *path, struct pos pos)
{
	struct value *paths = paths_of(x, body);
	struct value *pi = val_get(paths, path);
	if (!pi || pi->kind != VAL_MAP) {
		pi = sv_map(x, pos);
		sv_put(x, paths, path, pi);
	}
	return pi;
}

static void add_permission(struct sam *x, const char *fn_id, const char *id, const char *api_id,
			   const char *arn_tail, struct pos pos)
{
	struct value *pp = sv_map(x, pos);
	sv_put(x, pp, "Action", sv_str(x, "lambda:InvokeFunction", pos));
	sv_put(x, pp, "FunctionName", sv_ref(x, fn_id, NULL, pos));
	sv_put(x, pp, "Principal", sv_str(x, "apigateway.amazonaws.com", pos));
	sv_put(x, pp, "SourceArn",
	       sv_deploy_time(x, pos,
			      arena_printf(x->a, "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
						 "${%s}/*%s",
					   api_id, arn_tail),
			      api_id, NULL));
	sam_add(x, id, "AWS::Lambda::Permission", fn_id, pp);
}

/*
 * The event's route in the API's Body.  HTTP events add it to any body;
 * REST events only to a generated one, or with MergeDefinitions; with
 * Auth.OverrideApiAuth a REST event's Auth still goes on the method the
 * user's definition has.
 */
static void add_route(struct sam *x, size_t ai, const char *fn_id, const struct value *p, const char *path,
		      const char *mkey, bool http, struct pos pos)
{
	struct sam_api *a = &x->apis[ai];
	bool add = http || a->managed || val_is_true(val_get(a->props, "MergeDefinitions")) == YES;
	const struct value *auth = val_get(p, "Auth");
	bool override = val_is_true(val_get(auth, "OverrideApiAuth")) == YES;
	if (!add && !override)
		return;
	struct value *op = sv_map(x, pos);
	struct value *integ = sv_map(x, pos);
	sv_put(x, integ, "httpMethod", sv_str(x, "POST", pos));
	if (http) {
		struct value *pfv = val_get(p, "PayloadFormatVersion");
		sv_put(x, integ, "payloadFormatVersion", pfv ? pfv : sv_str(x, "2.0", pos));
	}
	sv_put(x, integ, "type", sv_str(x, "aws_proxy", pos));
	sv_put(x, integ, "uri",
	       sv_deploy_time(x, pos,
			      arena_printf(x->a, "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/"
						 "2015-03-31/functions/${%s.Arn}/invocations",
					   fn_id),
			      fn_id, NULL));
	if (http && (strcmp(path, "$default") == 0 || strcmp(path, "/$default") == 0))
		sv_put(x, op, "isDefaultRoute", sv_bool(x, true, pos));
	sv_put(x, op, "responses", sv_map(x, pos));
	sv_put(x, op, INTEGRATION, integ);

	const char *authz = sv_text(val_get(auth, "Authorizer"));
	const struct value *scopes = val_get(auth, "AuthorizationScopes");
	struct value *sec = sv_list(x, pos);
	if (authz) {
		sv_push(x, sec, security_entry(x, a, authz, scopes, pos));
	} else if (http && scopes) {
		const char *def = sv_text(val_path(a->props, "Auth.DefaultAuthorizer"));
		if (def)
			sv_push(x, sec, security_entry(x, a, def, scopes, pos));
	}
	const struct value *akr = val_get(auth, "ApiKeyRequired");
	if (!http && akr) {
		if (val_is_true(akr) == YES)
			sv_push(x, sec, security_entry(x, a, "api_key", NULL, pos));
		else if (val_is_false(akr) == YES)
			sv_push(x, sec, security_entry(x, a, APIKEY_FALSE, NULL, pos));
	}
	if (!add) {
		/* OverrideApiAuth on a user definition: Auth only, on an existing method. */
		struct value *existing = val_get(val_get(val_get(a->body, "paths"), path), mkey);
		if (existing && existing->kind == VAL_MAP && sec->n)
			sv_put(x, existing, "security", sec);
		return;
	}
	struct value *pi = path_item(x, a->body, path, pos);
	struct value *existing = val_get(pi, mkey);
	if (existing && existing->kind == VAL_MAP) {
		/* A method the definition already has: the event adds its
		 * integration, and its Auth if it has one. */
		sv_put(x, existing, INTEGRATION, integ);
		if (sec->n)
			sv_put(x, existing, "security", sec);
	} else {
		if (sec->n)
			sv_put(x, op, "security", sec);
		sv_put(x, pi, mkey, op);
	}
}

void sam_api_event(struct sam *x, const char *fn_id, const char *ev_name, const struct value *ev,
		   struct pos pos, bool http, bool covered_by_default)
{
	const struct value *p = val_get(ev, "Properties");
	const struct value *target = val_get(p, http ? "ApiId" : "RestApiId");
	const char *tid = sv_ref_target(target);
	size_t ai = (size_t)-1;
	if (!target)
		ai = implicit_api(x, http, fn_id);
	else if (tid)
		ai = api_index(x, tid);
	const char *path = sv_text(val_get(p, "Path"));
	const char *method = sv_text(val_get(p, "Method"));
	if (!http && (!path || !method)) {
		diag_warn(x->d, pos, "Api event %s needs a Path and a Method", ev_name);
		return;
	}
	if (http && !path)
		path = "$default";
	const char *mkey = method_key(x, method);
	const char *api_id = ai != (size_t)-1 ? x->apis[ai].id : tid ? tid : "RestApiId";

	if (ai != (size_t)-1 && x->apis[ai].body)
		add_route(x, ai, fn_id, p, path, mkey, http, pos);
	if (http) {
		if (covered_by_default)
			return;
		const char *tail = strcmp(path, "$default") == 0
				       ? ""
				       : arena_printf(x->a, "/%s%s", arn_method(x, mkey), arn_path(x, path));
		add_permission(x, fn_id, arena_printf(x->a, "%s%sPermission", fn_id, ev_name), api_id, tail, pos);
		return;
	}
	const char *stage = ai != (size_t)-1 && x->apis[ai].stage ? sam_alnum(x, x->apis[ai].stage) : "";
	if (!*stage)
		stage = "Stage";
	const char *tail = arena_printf(x->a, "/%s%s", arn_method(x, mkey), arn_path(x, path));
	add_permission(x, fn_id, arena_printf(x->a, "%s%sPermission%s", fn_id, ev_name, stage), api_id, tail, pos);
}

/* ---- finishing an API ---- */

static bool has_integration(const struct value *op)
{
	return val_get(op, INTEGRATION) != NULL;
}

static bool is_op_key(const char *k)
{
	static const char *const ops[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace", "any", ANY_METHOD};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(k, ops[i]) == 0)
			return true;
	return false;
}

static bool entry_names(const struct value *e, const char *name)
{
	return e && e->kind == VAL_MAP && val_get(e, name) != NULL;
}

static bool is_authorizer_entry(const struct sam_api *a, const struct value *e)
{
	if (!e || e->kind != VAL_MAP)
		return false;
	for (size_t i = 0; i < e->n; i++) {
		const char *k = e->pairs[i].key;
		if (strcmp(k, "AWS_IAM") == 0 || val_get(authorizers(a), k))
			return true;
	}
	return false;
}

/* The translator's set_path_default_authorizer, on one operation (REST). */
static void default_auth_rest(struct sam *x, const struct sam_api *a, struct value *op, const char *def)
{
	struct value *old = val_get(op, "security");
	struct value *non = sv_list(x, op->pos), *authz = sv_list(x, op->pos);
	for (size_t i = 0; old && old->kind == VAL_LIST && i < old->n; i++)
		sv_push(x, is_authorizer_entry(a, old->items[i]) ? authz : non, old->items[i]);
	bool none = false;
	struct value *keep = sv_list(x, op->pos);
	for (size_t i = 0; i < non->n; i++) {
		if (!none && entry_names(non->items[i], "NONE")) {
			none = true;
			continue;
		}
		sv_push(x, keep, non->items[i]);
	}
	struct value *sec = keep;
	if (!none) {
		if (authz->n) {
			for (size_t i = 0; i < authz->n; i++)
				sv_push(x, sec, authz->items[i]);
		} else {
			sv_push(x, sec, security_entry(x, a, def, NULL, op->pos));
		}
	}
	/* As the translator: an empty result leaves the old security in place. */
	if (sec->n)
		sv_put(x, op, "security", sec);
}

static void apikey_rest(struct sam *x, const struct sam_api *a, struct value *op)
{
	struct value *old = val_get(op, "security");
	for (size_t i = 0; old && old->kind == VAL_LIST && i < old->n; i++)
		if (entry_names(old->items[i], APIKEY_FALSE) || entry_names(old->items[i], "api_key"))
			return;
	struct value *sec = old && old->kind == VAL_LIST ? old : sv_list(x, op->pos);
	sv_push(x, sec, security_entry(x, a, "api_key", NULL, op->pos));
	sv_put(x, op, "security", sec);
}

static void drop_apikey_false(struct sam *x, struct value *op)
{
	struct value *old = val_get(op, "security");
	if (!old || old->kind != VAL_LIST)
		return;
	struct value *sec = sv_list(x, old->pos);
	bool dropped = false;
	for (size_t i = 0; i < old->n; i++) {
		if (entry_names(old->items[i], APIKEY_FALSE)) {
			dropped = true;
			continue;
		}
		sv_push(x, sec, old->items[i]);
	}
	if (dropped)
		sv_put(x, op, "security", sec);
}

static bool uses_security(const struct value *body, const char *name)
{
	const struct value *paths = val_get(body, "paths");
	for (size_t i = 0; paths && paths->kind == VAL_MAP && i < paths->n; i++) {
		const struct value *pi = paths->pairs[i].v;
		for (size_t j = 0; pi && pi->kind == VAL_MAP && j < pi->n; j++) {
			const struct value *sec = val_get(pi->pairs[j].v, "security");
			for (size_t k = 0; sec && sec->kind == VAL_LIST && k < sec->n; k++)
				if (entry_names(sec->items[k], name))
					return true;
		}
	}
	return false;
}

static struct value *authorizer_uri(struct sam *x, const struct value *fn_arn, struct pos pos)
{
	const char *ref = fn_arn && fn_arn->kind == VAL_REF ? fn_arn->s : NULL;
	struct value *u = sv_deploy_time(x, pos,
					 "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
					 "functions/${__FunctionArn__}/invocations",
					 ref, NULL);
	if (fn_arn && fn_arn->nrefs && !ref) {
		u->refs = fn_arn->refs;
		u->nrefs = fn_arn->nrefs;
	}
	return u;
}

static void authorizer_permission(struct sam *x, const struct sam_api *a, const char *name,
				  struct value *fn_arn, struct pos pos)
{
	struct value *pp = sv_map(x, pos);
	sv_put(x, pp, "Action", sv_str(x, "lambda:InvokeFunction", pos));
	sv_put(x, pp, "FunctionName", fn_arn);
	sv_put(x, pp, "Principal", sv_str(x, "apigateway.amazonaws.com", pos));
	sv_put(x, pp, "SourceArn",
	       sv_deploy_time(x, pos, arena_printf(x->a, "arn:${AWS::Partition}:execute-api:${AWS::Region}:"
							 "${AWS::AccountId}:${%s}/authorizers/*",
						   a->id),
			      a->id, NULL));
	sam_add_for_api(x, arena_printf(x->a, "%s%sAuthorizerPermission", a->id, name), "AWS::Lambda::Permission", a,
			pp);
}

static struct value *header_scheme(struct sam *x, const char *name, const char *authtype, struct pos pos)
{
	struct value *d = sv_map(x, pos);
	sv_put(x, d, "in", sv_str(x, "header", pos));
	sv_put(x, d, "name", sv_str(x, name, pos));
	sv_put(x, d, "type", sv_str(x, "apiKey", pos));
	if (authtype)
		sv_put(x, d, "x-amazon-apigateway-authtype", sv_str(x, authtype, pos));
	return d;
}

/* REST: securityDefinitions (swagger 2) or components.securitySchemes (OpenAPI 3). */
static struct value *rest_schemes(struct sam *x, struct value *body, bool oas3)
{
	if (!oas3) {
		struct value *sd = val_get(body, "securityDefinitions");
		if (!sd || sd->kind != VAL_MAP) {
			sd = sv_map(x, body->pos);
			sv_put(x, body, "securityDefinitions", sd);
		}
		return sd;
	}
	struct value *c = val_get(body, "components");
	if (!c || c->kind != VAL_MAP) {
		c = sv_map(x, body->pos);
		sv_put(x, body, "components", c);
	}
	struct value *ss = val_get(c, "securitySchemes");
	if (!ss || ss->kind != VAL_MAP) {
		ss = sv_map(x, body->pos);
		sv_put(x, c, "securitySchemes", ss);
	}
	return ss;
}

static void rest_authorizers(struct sam *x, size_t ai)
{
	struct sam_api *a = &x->apis[ai];
	struct value *auths = authorizers(a);
	struct value *body = a->body;
	bool oas3 = val_get(body, "openapi") != NULL;
	for (size_t i = 0; auths && auths->kind == VAL_MAP && i < auths->n; i++) {
		const char *name = auths->pairs[i].key;
		struct value *au = auths->pairs[i].v;
		struct pos pos = au->pos;
		const char *header = sv_text(val_path(au, "Identity.Header"));
		struct value *d;
		struct value *up = val_get(au, "UserPoolArn");
		struct value *fa = val_get(au, "FunctionArn");
		if (up) {
			d = header_scheme(x, header ? header : "Authorization", "cognito_user_pools", pos);
			struct value *az = sv_map(x, pos);
			struct value *arns = up;
			if (up->kind != VAL_LIST) {
				arns = sv_list(x, up->pos);
				sv_push(x, arns, up);
			}
			sv_put(x, az, "providerARNs", arns);
			sv_put(x, az, "type", sv_str(x, "cognito_user_pools", pos));
			sv_put_opt(x, az, "identityValidationExpression", val_path(au, "Identity.ValidationExpression"));
			sv_put(x, d, "x-amazon-apigateway-authorizer", az);
		} else if (fa) {
			bool request = val_equals(val_get(au, "FunctionPayloadType"), "REQUEST") == YES;
			d = header_scheme(x, request ? "Unused" : header ? header : "Authorization", "custom", pos);
			struct value *az = sv_map(x, pos);
			sv_put(x, az, "type", sv_str(x, request ? "request" : "token", pos));
			sv_put(x, az, "authorizerUri", authorizer_uri(x, fa, pos));
			sv_put_opt(x, az, "authorizerResultTtlInSeconds", val_path(au, "Identity.ReauthorizeEvery"));
			sv_put_opt(x, az, "identityValidationExpression", val_path(au, "Identity.ValidationExpression"));
			if (request) {
				struct value *hs = val_path(au, "Identity.Headers");
				char buf[1024];
				size_t used = 0;
				buf[0] = '\0';
				for (size_t k = 0; hs && hs->kind == VAL_LIST && k < hs->n; k++) {
					const char *h = sv_text(hs->items[k]);
					if (!h)
						continue;
					int w = snprintf(buf + used, sizeof buf - used, "%smethod.request.header.%s",
							 used ? ", " : "", h);
					if (w < 0 || (size_t)w >= sizeof buf - used)
						break;
					used += (size_t)w;
				}
				if (used)
					sv_put(x, az, "identitySource", sv_str(x, buf, pos));
			}
			sv_put(x, d, "x-amazon-apigateway-authorizer", az);
			if (val_is_true(val_get(au, "DisableFunctionDefaultPermissions")) != YES) {
				authorizer_permission(x, a, name, fa, pos);
				a = &x->apis[ai];
			}
		} else {
			continue;
		}
		sv_put(x, rest_schemes(x, body, oas3), name, d);
	}
	if (uses_security(body, "AWS_IAM") ||
	    val_equals(val_path(a->props, "Auth.DefaultAuthorizer"), "AWS_IAM") == YES)
		sv_put(x, rest_schemes(x, body, oas3), "AWS_IAM",
		       header_scheme(x, "Authorization", "awsSigv4", body->pos));
}

static void cors_options(struct sam *x, struct sam_api *a)
{
	struct value *cors = val_get(a->props, "Cors");
	if (!cors || cors->kind == VAL_NULL)
		return;
	struct pos pos = cors->pos;
	struct value *origin = cors->kind == VAL_MAP ? val_get(cors, "AllowOrigin") : cors;
	struct value *paths = val_get(a->body, "paths");
	for (size_t i = 0; paths && paths->kind == VAL_MAP && i < paths->n; i++) {
		struct value *pi = paths->pairs[i].v;
		if (!pi || pi->kind != VAL_MAP || val_get(pi, "options"))
			continue;
		/* Allowed methods: those of the path, plus OPTIONS, sorted. */
		static const char *const order[] = {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"};
		static const char *const lower[] = {"delete", "get", "head", "options", "patch", "post", "put"};
		char methods[64]; /* all seven fit: 38 bytes */
		size_t used = 0;
		methods[0] = '\0';
		bool any = val_get(pi, ANY_METHOD) != NULL;
		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
			if (!any && strcmp(lower[k], "options") != 0 && !val_get(pi, lower[k]))
				continue;
			int w = snprintf(methods + used, sizeof methods - used, "%s%s", used ? "," : "", order[k]);
			if (w > 0 && (size_t)w < sizeof methods - used)
				used += (size_t)w;
		}
		struct value *allow_methods = cors->kind == VAL_MAP ? val_get(cors, "AllowMethods") : NULL;
		struct value *rp = sv_map(x, pos);
		sv_put(x, rp, "method.response.header.Access-Control-Allow-Methods",
		       allow_methods ? allow_methods : sv_str(x, arena_printf(x->a, "'%s'", methods), pos));
		if (origin)
			sv_put(x, rp, "method.response.header.Access-Control-Allow-Origin", origin);
		if (cors->kind == VAL_MAP) {
			sv_put_opt(x, rp, "method.response.header.Access-Control-Allow-Headers",
				   val_get(cors, "AllowHeaders"));
			sv_put_opt(x, rp, "method.response.header.Access-Control-Max-Age", val_get(cors, "MaxAge"));
			if (val_is_true(val_get(cors, "AllowCredentials")) == YES)
				sv_put(x, rp, "method.response.header.Access-Control-Allow-Credentials",
				       sv_str(x, "'true'", pos));
		}
		struct value *resp = sv_map(x, pos);
		sv_put(x, resp, "statusCode", sv_str(x, "200", pos));
		sv_put(x, resp, "responseParameters", rp);
		struct value *rt = sv_map(x, pos);
		sv_put(x, rt, "application/json", sv_str(x, "{}\n", pos));
		sv_put(x, resp, "responseTemplates", rt);
		struct value *resps = sv_map(x, pos);
		sv_put(x, resps, "default", resp);
		struct value *integ = sv_map(x, pos);
		sv_put(x, integ, "type", sv_str(x, "mock", pos));
		struct value *req = sv_map(x, pos);
		sv_put(x, req, "application/json", sv_str(x, "{\n  \"statusCode\" : 200\n}\n", pos));
		sv_put(x, integ, "requestTemplates", req);
		sv_put(x, integ, "responses", resps);
		struct value *op = sv_map(x, pos);
		struct value *json = sv_list(x, pos);
		sv_push(x, json, sv_str(x, "application/json", pos));
		sv_put(x, op, "summary", sv_str(x, "CORS support", pos));
		sv_put(x, op, "consumes", json);
		sv_put(x, op, "produces", json);
		struct value *r200 = sv_map(x, pos), *rs = sv_map(x, pos);
		sv_put(x, r200, "description", sv_str(x, "Default response for CORS method", pos));
		sv_put(x, rs, "200", r200);
		sv_put(x, op, "responses", rs);
		sv_put(x, op, INTEGRATION, integ);
		sv_put(x, pi, "options", op);
	}
}

/* Apply fn to every operation of the body. */
static void each_op(struct sam *x, struct sam_api *a,
		    void (*fn)(struct sam *, struct sam_api *, const char *method, struct value *op, void *),
		    void *ctx)
{
	struct value *paths = val_get(a->body, "paths");
	for (size_t i = 0; paths && paths->kind == VAL_MAP && i < paths->n; i++) {
		struct value *pi = paths->pairs[i].v;
		for (size_t j = 0; pi && pi->kind == VAL_MAP && j < pi->n; j++) {
			if (!is_op_key(pi->pairs[j].key) || !pi->pairs[j].v || pi->pairs[j].v->kind != VAL_MAP)
				continue;
			fn(x, a, pi->pairs[j].key, pi->pairs[j].v, ctx);
		}
	}
}

static void op_default_auth(struct sam *x, struct sam_api *a, const char *method, struct value *op, void *ctx)
{
	const char *def = ctx;
	if (a->kind == SAM_HTTP) {
		/* HTTP APIs: every route but preflight, integration or not. */
		if (strcmp(method, "options") != 0 && !val_get(op, "security")) {
			struct value *sec = sv_list(x, op->pos);
			sv_push(x, sec, security_entry(x, a, def, NULL, op->pos));
			sv_put(x, op, "security", sec);
		}
		return;
	}
	if (!has_integration(op))
		return;
	if (strcmp(method, "options") == 0 &&
	    val_is_false(val_path(a->props, "Auth.AddDefaultAuthorizerToCorsPreflight")) == YES)
		return;
	default_auth_rest(x, a, op, def);
}

static void op_apikey(struct sam *x, struct sam_api *a, const char *method, struct value *op, void *ctx)
{
	(void)ctx;
	if (!has_integration(op))
		return;
	if (strcmp(method, "options") == 0 &&
	    val_is_false(val_path(a->props, "Auth.AddApiKeyRequiredToCorsPreflight")) == YES)
		return;
	apikey_rest(x, a, op);
}

static void op_drop_false(struct sam *x, struct sam_api *a, const char *method, struct value *op, void *ctx)
{
	(void)a;
	(void)method;
	(void)ctx;
	drop_apikey_false(x, op);
}

static uint64_t hash_value(const struct value *v, uint64_t h, int depth)
{
	if (!v || depth > 64)
		return h;
	h = (h ^ (uint64_t)v->kind) * 1099511628211ull;
	if (v->s)
		h = (h ^ str_hash(v->s, v->len)) * 1099511628211ull;
	for (size_t i = 0; i < v->n; i++) {
		if (v->kind == VAL_MAP) {
			h = (h ^ str_hash(v->pairs[i].key, strlen(v->pairs[i].key))) * 1099511628211ull;
			h = hash_value(v->pairs[i].v, h, depth + 1);
		} else if (v->kind == VAL_LIST || v->kind == VAL_CHOICE) {
			h = hash_value(v->items[i], h, depth + 1);
		}
	}
	return h;
}

static void copy_props(struct sam *x, struct value *out, const struct value *in, const char *const *keys,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		sv_put_opt(x, out, keys[i], val_get(in, keys[i]));
}

static struct value *tag_list(struct sam *x, const struct value *tags)
{
	if (!tags || tags->kind != VAL_MAP || !tags->n)
		return NULL;
	struct value *l = sv_list(x, tags->pos);
	for (size_t i = 0; i < tags->n; i++) {
		struct value *e = sv_map(x, tags->pairs[i].key_pos);
		sv_put(x, e, "Key", sv_str(x, tags->pairs[i].key, tags->pairs[i].key_pos));
		sv_put(x, e, "Value", tags->pairs[i].v);
		sv_push(x, l, e);
	}
	return l;
}

/*
 * DisableExecuteApiEndpoint goes into the definition as the translator
 * writes it: x-amazon-apigateway-endpoint-configuration at the top of a
 * swagger 2.0 body, under servers[] in OpenAPI 3.  Without a body it stays
 * a property.
 */
static void disable_execute_api(struct sam *x, struct sam_api *a, struct value *out)
{
	struct value *dis = val_get(a->props, "DisableExecuteApiEndpoint");
	if (!dis)
		return;
	if (!a->body) {
		sv_put(x, out, "DisableExecuteApiEndpoint", dis);
		return;
	}
	struct value *ec = sv_map(x, dis->pos);
	sv_put(x, ec, "disableExecuteApiEndpoint", dis);
	if (!val_get(a->body, "openapi")) {
		sv_put(x, a->body, "x-amazon-apigateway-endpoint-configuration", ec);
		return;
	}
	struct value *servers = val_get(a->body, "servers");
	struct value *srv = sv_map(x, dis->pos);
	sv_put(x, srv, "x-amazon-apigateway-endpoint-configuration", ec);
	struct value *list = sv_list(x, dis->pos);
	if (servers && servers->kind == VAL_LIST && servers->n && servers->items[0]->kind == VAL_MAP) {
		struct value *first = sv_clone(x, servers->items[0]);
		sv_put(x, first, "x-amazon-apigateway-endpoint-configuration", ec);
		sv_push(x, list, first);
		for (size_t i = 1; i < servers->n; i++)
			sv_push(x, list, servers->items[i]);
	} else {
		sv_push(x, list, srv);
	}
	sv_put(x, a->body, "servers", list);
}

/* Put the API's own resource in place (explicit) or add it (implicit). */
static void write_api_resource(struct sam *x, struct sam_api *a, const char *type, struct value *props)
{
	if (a->implicit) {
		sam_add_for_api(x, a->id, type, a, props);
		return;
	}
	struct resource *r = stack_find(x->s, a->id);
	if (!r)
		return;
	r->type = arena_strdup(x->a, type);
	r->props = props;
}

/* Auth.ResourcePolicy.CustomStatements into the body's x-amazon-apigateway-policy. */
static void resource_policy(struct sam *x, struct sam_api *a)
{
	struct value *cs = val_path(a->props, "Auth.ResourcePolicy.CustomStatements");
	if (!cs || !a->body)
		return;
	struct value *pol = val_get(a->body, "x-amazon-apigateway-policy");
	if (!pol || pol->kind != VAL_MAP) {
		pol = sv_map(x, cs->pos);
		sv_put(x, pol, "Version", sv_str(x, "2012-10-17", cs->pos));
		sv_put(x, pol, "Statement", cs);
		sv_put(x, a->body, "x-amazon-apigateway-policy", pol);
		return;
	}
	/* The definition has a policy already: add the statements to it. */
	struct value *old = val_get(pol, "Statement");
	struct value *sts = sv_list(x, cs->pos);
	if (old && old->kind == VAL_LIST)
		for (size_t i = 0; i < old->n; i++)
			sv_push(x, sts, old->items[i]);
	else if (old)
		sv_push(x, sts, old);
	if (cs->kind == VAL_LIST)
		for (size_t i = 0; i < cs->n; i++)
			sv_push(x, sts, cs->items[i]);
	else
		sv_push(x, sts, cs);
	sv_put(x, pol, "Statement", sts);
}

static void finish_rest(struct sam *x, size_t ai)
{
	struct sam_api *a = &x->apis[ai];
	struct value *p = a->props;
	struct pos pos = a->pos;
	if (a->body) {
		cors_options(x, a);
		rest_authorizers(x, ai);
		a = &x->apis[ai];
		const char *def = sv_text(val_path(p, "Auth.DefaultAuthorizer"));
		if (def)
			each_op(x, a, op_default_auth, (void *)def);
		if (val_is_true(val_path(p, "Auth.ApiKeyRequired")) == YES)
			each_op(x, a, op_apikey, NULL);
		each_op(x, a, op_drop_false, NULL);
		resource_policy(x, a);
		if (uses_security(a->body, "api_key"))
			sv_put(x, rest_schemes(x, a->body, val_get(a->body, "openapi") != NULL), "api_key",
			       header_scheme(x, "x-api-key", NULL, pos));
	}
	struct value *rp = sv_map(x, pos);
	if (a->body)
		sv_put(x, rp, "Body", a->body);
	struct value *uri = val_get(p, "DefinitionUri");
	if (uri) {
		const char *u = sv_text(uri);
		if (u && strncmp(u, "s3://", 5) == 0 && strchr(u + 5, '/')) {
			const char *b = u + 5, *slash = strchr(b, '/');
			struct value *loc = sv_map(x, uri->pos);
			sv_put(x, loc, "Bucket", val_string(x->a, b, (size_t)(slash - b), uri->pos));
			sv_put(x, loc, "Key", sv_str(x, slash + 1, uri->pos));
			sv_put(x, rp, "BodyS3Location", loc);
		}
	}
	static const char *const api_keys[] = {"Name", "Description", "BinaryMediaTypes", "MinimumCompressionSize",
					       "Mode", "ApiKeySourceType", "FailOnWarnings"};
	copy_props(x, rp, p, api_keys, sizeof api_keys / sizeof api_keys[0]);
	disable_execute_api(x, a, rp);
	struct value *ec = val_get(p, "EndpointConfiguration");
	if (ec) {
		struct value *type = ec->kind == VAL_MAP ? val_get(ec, "Type") : ec;
		struct value *out = sv_map(x, ec->pos);
		if (type) {
			struct value *types = sv_list(x, type->pos);
			sv_push(x, types, type);
			sv_put(x, out, "Types", types);
			struct value *params = sv_map(x, ec->pos);
			sv_put(x, params, "endpointConfigurationTypes", type);
			sv_put(x, rp, "Parameters", params);
		}
		if (ec->kind == VAL_MAP) {
			struct value *ids = val_get(ec, "VPCEndpointIds");
			sv_put_opt(x, out, "VpcEndpointIds", ids ? ids : val_get(ec, "VpcEndpointIds"));
			sv_put_opt(x, out, "IpAddressType", val_get(ec, "IpAddressType"));
		}
		sv_put(x, rp, "EndpointConfiguration", out);
	}
	/* SAM puts an Api's Tags on its stage; on the RestApi only with PropagateTags. */
	if (val_is_true(val_get(p, "PropagateTags")) == YES)
		sv_put_opt(x, rp, "Tags", tag_list(x, val_get(p, "Tags")));
	write_api_resource(x, a, "AWS::ApiGateway::RestApi", rp);
	a = &x->apis[ai];

	uint64_t h = hash_value(a->body, 14695981039346656037ull, 0);
	h = (h ^ str_hash(a->id, strlen(a->id))) * 1099511628211ull;
	char hex[17];
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
	const char *dep_id = arena_printf(x->a, "%sDeployment%.10s", a->id, hex);
	struct value *dp = sv_map(x, pos);
	sv_put(x, dp, "Description", sv_str(x, arena_printf(x->a, "RestApi deployment id: %s", hex), pos));
	sv_put(x, dp, "RestApiId", sv_ref(x, a->id, NULL, pos));
	sv_put(x, dp, "StageName", sv_str(x, "Stage", pos));
	sam_add_for_api(x, dep_id, "AWS::ApiGateway::Deployment", a, dp);
	a = &x->apis[ai];

	struct value *stage_v = val_get(p, "StageName");
	const char *stage = a->stage ? sam_alnum(x, a->stage) : "";
	struct value *sp = sv_map(x, pos);
	sv_put(x, sp, "DeploymentId", sv_ref(x, dep_id, NULL, pos));
	sv_put(x, sp, "RestApiId", sv_ref(x, a->id, NULL, pos));
	sv_put(x, sp, "StageName", stage_v ? stage_v : sv_str(x, a->stage ? a->stage : "Prod", pos));
	static const char *const stage_keys[] = {"AccessLogSetting", "MethodSettings",	"TracingEnabled",
						 "CacheClusterEnabled", "CacheClusterSize", "Variables",
						 "CanarySetting",    "ClientCertificateId"};
	copy_props(x, sp, p, stage_keys, sizeof stage_keys / sizeof stage_keys[0]);
	sv_put_opt(x, sp, "Description", val_get(p, "StageDescription"));
	sv_put_opt(x, sp, "Tags", tag_list(x, val_get(p, "Tags")));
	sam_add_for_api(x, arena_printf(x->a, "%s%sStage", a->id, stage), "AWS::ApiGateway::Stage", a, sp);
}

static void http_authorizers(struct sam *x, size_t ai)
{
	struct sam_api *a = &x->apis[ai];
	struct value *auths = authorizers(a);
	for (size_t i = 0; auths && auths->kind == VAL_MAP && i < auths->n; i++) {
		const char *name = auths->pairs[i].key;
		struct value *au = auths->pairs[i].v;
		struct pos pos = au->pos;
		struct value *d = sv_map(x, pos);
		struct value *jwt = val_get(au, "JwtConfiguration");
		struct value *fa = val_get(au, "FunctionArn");
		if (jwt) {
			sv_put(x, d, "type", sv_str(x, "oauth2", pos));
			struct value *az = sv_map(x, pos);
			sv_put_opt(x, az, "identitySource", val_get(au, "IdentitySource"));
			sv_put(x, az, "jwtConfiguration", jwt);
			sv_put(x, az, "type", sv_str(x, "jwt", pos));
			sv_put(x, d, "x-amazon-apigateway-authorizer", az);
		} else if (fa) {
			d = header_scheme(x, "Unused", NULL, pos);
			struct value *az = sv_map(x, pos);
			sv_put(x, az, "type", sv_str(x, "request", pos));
			sv_put(x, az, "authorizerUri", authorizer_uri(x, fa, pos));
			sv_put_opt(x, az, "authorizerPayloadFormatVersion",
				   val_get(au, "AuthorizerPayloadFormatVersion"));
			sv_put_opt(x, az, "enableSimpleResponses", val_get(au, "EnableSimpleResponses"));
			sv_put(x, d, "x-amazon-apigateway-authorizer", az);
			/* HTTP APIs grant their Lambda authorizers only on request. */
			if (val_is_true(val_get(au, "EnableFunctionDefaultPermissions")) == YES) {
				authorizer_permission(x, a, name, fa, pos);
				a = &x->apis[ai];
			}
		} else {
			continue;
		}
		sv_put(x, rest_schemes(x, a->body, true), name, d);
	}
	if (uses_security(a->body, "AWS_IAM") ||
	    val_equals(val_path(a->props, "Auth.DefaultAuthorizer"), "AWS_IAM") == YES)
		sv_put(x, rest_schemes(x, a->body, true), "AWS_IAM",
		       header_scheme(x, "Authorization", "awsSigv4", a->body->pos));
}

static struct value *http_cors(struct sam *x, const struct value *c)
{
	struct pos pos = c->pos;
	struct value *out = sv_map(x, pos);
	if (c->kind != VAL_MAP) {
		if (val_is_false(c) == YES)
			return NULL;
		struct value *o = sv_list(x, pos);
		sv_push(x, o, sv_str(x, "*", pos));
		sv_put(x, out, "allowOrigins", o);
		return out;
	}
	for (size_t i = 0; i < c->n; i++) {
		char *k = arena_strdup(x->a, c->pairs[i].key);
		k[0] = (char)tolower((unsigned char)k[0]);
		sv_put(x, out, k, c->pairs[i].v);
	}
	return out;
}

static void finish_http(struct sam *x, size_t ai)
{
	struct sam_api *a = &x->apis[ai];
	struct value *p = a->props;
	struct pos pos = a->pos;
	if (a->body) {
		http_authorizers(x, ai);
		a = &x->apis[ai];
		const char *def = sv_text(val_path(p, "Auth.DefaultAuthorizer"));
		if (def)
			each_op(x, a, op_default_auth, (void *)def);
		struct value *cors = val_get(p, "CorsConfiguration");
		if (cors && a->managed) {
			struct value *c = http_cors(x, cors);
			sv_put_opt(x, a->body, "x-amazon-apigateway-cors", c);
		}
	}
	struct value *ap = sv_map(x, pos);
	if (a->body)
		sv_put(x, ap, "Body", a->body);
	static const char *const api_keys[] = {"Name", "Description", "FailOnWarnings"};
	copy_props(x, ap, p, api_keys, sizeof api_keys / sizeof api_keys[0]);
	disable_execute_api(x, a, ap);
	write_api_resource(x, a, "AWS::ApiGatewayV2::Api", ap);
	a = &x->apis[ai];

	struct value *stage_v = val_get(p, "StageName");
	bool dflt = !stage_v || (a->stage && strcmp(a->stage, "$default") == 0);
	struct value *sp = sv_map(x, pos);
	sv_put(x, sp, "ApiId", sv_ref(x, a->id, NULL, pos));
	sv_put(x, sp, "AutoDeploy", sv_bool(x, true, pos));
	sv_put(x, sp, "StageName", stage_v ? stage_v : sv_str(x, "$default", pos));
	static const char *const stage_keys[] = {"AccessLogSettings", "DefaultRouteSettings", "RouteSettings",
						 "StageVariables"};
	copy_props(x, sp, p, stage_keys, sizeof stage_keys / sizeof stage_keys[0]);
	struct value *tags = sv_map(x, pos);
	sv_put(x, tags, "httpapi:createdBy", sv_str(x, "SAM", pos));
	sv_put(x, sp, "Tags", tags);
	const char *sid = dflt ? arena_printf(x->a, "%sApiGatewayDefaultStage", a->id)
			       : arena_printf(x->a, "%s%sStage", a->id, a->stage ? sam_alnum(x, a->stage) : "");
	sam_add_for_api(x, sid, "AWS::ApiGatewayV2::Stage", a, sp);
}

void sam_api_finish(struct sam *x)
{
	for (size_t i = 0; i < x->napis; i++) {
		if (x->apis[i].kind == SAM_REST)
			finish_rest(x, i);
		else
			finish_http(x, i);
	}
}
