/*
 * sam_function.c - AWS::Serverless::Function into AWS::Lambda::Function,
 * its generated execution role (<Fn>Role), function URL (<Fn>Url,
 * <Fn>UrlPublicPermissions, <Fn>URLInvokeAllowPublicAccess) and the Lambda
 * permissions of its events.  Api/HttpApi events are handed to sam_api.c;
 * the role's policies come from sam_policies.c.
 */
#include "core/arena.h"
#include "model/sam_internal.h"

#include <string.h>

/* Function properties copied to AWS::Lambda::Function unchanged. */
static const char *const copied[] = {
    "Description",       "FunctionName",    "Handler",
    "MemorySize",        "Runtime",         "Timeout",
    "VpcConfig",         "Environment",     "KmsKeyArn",
    "ReservedConcurrentExecutions",        "Layers",
    "Architectures",     "CodeSigningConfigArn",
    "EphemeralStorage",  "FileSystemConfigs", "ImageConfig",
    "PackageType",       "SnapStart",       "RuntimeManagementConfig",
    "LoggingConfig",     "RecursiveLoop",
};

/* Event types whose source is granted lambda:InvokeFunction by a permission. */
static const struct {
	const char *type, *principal;
} push_events[] = {
    {"S3", "s3.amazonaws.com"},
    {"SNS", "sns.amazonaws.com"},
    {"Schedule", "events.amazonaws.com"},
    {"CloudWatchEvent", "events.amazonaws.com"},
    {"EventBridgeRule", "events.amazonaws.com"},
    {"CloudWatchLogs", "logs.amazonaws.com"},
    {"IoTRule", "iot.amazonaws.com"},
    {"AlexaSkill", "alexa-appkit.amazon.com"},
    {"Cognito", "cognito-idp.amazonaws.com"},
};

/* Event types read by a Lambda poller: the role gets the AWS managed policy. */
static const struct {
	const char *type, *policy;
} poll_events[] = {
    {"SQS", "service-role/AWSLambdaSQSQueueExecutionRole"},
    {"Kinesis", "service-role/AWSLambdaKinesisExecutionRole"},
    {"DynamoDB", "service-role/AWSLambdaDynamoDBExecutionRole"},
    {"MSK", "service-role/AWSLambdaMSKExecutionRole"},
};

/* AWS managed policies that live under service-role/ (the translator's map). */
static const char *const service_role_policies[] = {
    "AWSLambdaBasicExecutionRole",    "AWSLambdaRole",		       "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole", "AWSLambdaKinesisExecutionRole", "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",      "AWSLambdaENIManagementAccess",
};

const char *sam_managed_policy_arn(struct sam *x, const char *name)
{
	for (size_t i = 0; i < sizeof service_role_policies / sizeof service_role_policies[0]; i++)
		if (strcmp(name, service_role_policies[i]) == 0)
			return arena_printf(x->a, "arn:aws:iam::aws:policy/service-role/%s", name);
	return arena_printf(x->a, "arn:aws:iam::aws:policy/%s", name);
}

/* Append a managed policy ARN unless the same known ARN is already there. */
void sam_push_managed(struct sam *x, struct value *managed, struct value *arn)
{
	const char *t = sv_text(arn);
	for (size_t j = 0; t && j < managed->n; j++) {
		const char *o = sv_text(managed->items[j]);
		if (o && strcmp(o, t) == 0)
			return;
	}
	sv_push(x, managed, arn);
}

static struct value *aws_managed(struct sam *x, const char *name, struct pos pos)
{
	return val_string(x->a, arena_printf(x->a, "arn:aws:iam::aws:policy/%s", name),
			  strlen("arn:aws:iam::aws:policy/") + strlen(name), pos);
}

/* CodeUri / InlineCode / ImageUri into Lambda's Code. */
static struct value *function_code(struct sam *x, const struct value *p, struct pos pos)
{
	struct value *code = sv_map(x, pos);
	const struct value *v;
	if ((v = val_get(p, "InlineCode"))) {
		sv_put(x, code, "ZipFile", (struct value *)v);
	} else if ((v = val_get(p, "ImageUri"))) {
		sv_put(x, code, "ImageUri", (struct value *)v);
	} else if ((v = val_get(p, "CodeUri"))) {
		const char *u = sv_text(v);
		if (u && strncmp(u, "s3://", 5) == 0) {
			const char *b = u + 5, *slash = strchr(b, '/');
			if (slash) {
				sv_put(x, code, "S3Bucket", val_string(x->a, b, (size_t)(slash - b), v->pos));
				sv_put(x, code, "S3Key", sv_str(x, slash + 1, v->pos));
			}
		} else if (v->kind == VAL_MAP) {
			sv_put_opt(x, code, "S3Bucket", val_get(v, "Bucket"));
			sv_put_opt(x, code, "S3Key", val_get(v, "Key"));
			sv_put_opt(x, code, "S3ObjectVersion", val_get(v, "Version"));
		}
	}
	return code->n ? code : NULL;
}

static struct value *tag_list(struct sam *x, const struct value *tags, const char *created_key,
			      struct pos pos)
{
	struct value *l = sv_list(x, tags ? tags->pos : pos);
	struct value *t = sv_map(x, pos);
	sv_put(x, t, "Key", sv_str(x, created_key, pos));
	sv_put(x, t, "Value", sv_str(x, "SAM", pos));
	sv_push(x, l, t);
	if (tags && tags->kind == VAL_MAP) {
		for (size_t i = 0; i < tags->n; i++) {
			struct value *e = sv_map(x, tags->pairs[i].key_pos);
			sv_put(x, e, "Key", sv_str(x, tags->pairs[i].key, tags->pairs[i].key_pos));
			sv_put(x, e, "Value", tags->pairs[i].v);
			sv_push(x, l, e);
		}
	}
	return l;
}

static struct value *statement_doc(struct sam *x, const char *action, struct value *resource,
				   struct pos pos)
{
	struct value *st = sv_map(x, pos);
	sv_put(x, st, "Action", sv_str(x, action, pos));
	sv_put(x, st, "Effect", sv_str(x, "Allow", pos));
	sv_put(x, st, "Resource", resource);
	struct value *sts = sv_list(x, pos);
	sv_push(x, sts, st);
	struct value *doc = sv_map(x, pos);
	sv_put(x, doc, "Statement", sts);
	sv_put(x, doc, "Version", sv_str(x, "2012-10-17", pos));
	return doc;
}

static struct value *assume_lambda(struct sam *x, struct pos pos)
{
	struct value *svc = sv_list(x, pos);
	sv_push(x, svc, sv_str(x, "lambda.amazonaws.com", pos));
	struct value *pr = sv_map(x, pos);
	sv_put(x, pr, "Service", svc);
	struct value *act = sv_list(x, pos);
	sv_push(x, act, sv_str(x, "sts:AssumeRole", pos));
	struct value *st = sv_map(x, pos);
	sv_put(x, st, "Action", act);
	sv_put(x, st, "Effect", sv_str(x, "Allow", pos));
	sv_put(x, st, "Principal", pr);
	struct value *sts = sv_list(x, pos);
	sv_push(x, sts, st);
	struct value *doc = sv_map(x, pos);
	sv_put(x, doc, "Statement", sts);
	sv_put(x, doc, "Version", sv_str(x, "2012-10-17", pos));
	return doc;
}

static bool sqs_subscription(const struct value *ev)
{
	const struct value *q = val_path(ev, "Properties.SqsSubscription");
	return q && q->kind != VAL_NULL && val_is_false(q) != YES;
}

static const struct node *written_props(const struct resource *r)
{
	const struct node *p = node_get(r->node, "Properties");
	return p ? p : NULL;
}

/* Tracing enables X-Ray unless it is absent, empty or "Disabled". */
static bool tracing_on(const struct value *t)
{
	if (!t || t->kind == VAL_NULL)
		return false;
	const char *s = sv_text(t);
	if (s && (s[0] == '\0' || strcmp(s, "Disabled") == 0))
		return false;
	return true;
}

static void make_role(struct sam *x, const char *fn_id, const struct value *p, const struct node *wp,
		      struct pos pos)
{
	const char *role_id = arena_printf(x->a, "%sRole", fn_id);
	struct value *rp = sv_map(x, pos);
	struct value *assume = val_get(p, "AssumeRolePolicyDocument");
	sv_put(x, rp, "AssumeRolePolicyDocument", assume ? assume : assume_lambda(x, pos));

	struct value *managed = sv_list(x, pos);
	struct value *inl = sv_list(x, pos);
	sam_push_managed(x, managed, aws_managed(x, "service-role/AWSLambdaBasicExecutionRole", pos));
	struct value *tr = val_get(p, "Tracing");
	if (tracing_on(tr))
		sv_push(x, managed, aws_managed(x, "AWSXrayWriteOnlyAccess", tr->pos));
	struct value *vpc = val_get(p, "VpcConfig");
	if (vpc && vpc->kind != VAL_NULL)
		sv_push(x, managed, aws_managed(x, "service-role/AWSLambdaVPCAccessExecutionRole", vpc->pos));

	const struct node *pol = node_get(wp, "Policies");
	if (pol)
		sam_policies(x, role_id, pol, pos, managed, inl);

	struct value *events = val_get(p, "Events");
	for (size_t i = 0; events && events->kind == VAL_MAP && i < events->n; i++) {
		const char *t = sv_text(val_get(events->pairs[i].v, "Type"));
		for (size_t k = 0; t && k < sizeof poll_events / sizeof poll_events[0]; k++) {
			if (strcmp(t, poll_events[k].type) != 0)
				continue;
			sam_push_managed(x, managed, aws_managed(x, poll_events[k].policy, events->pairs[i].v->pos));
		}
		/* SNS with SqsSubscription: the function polls a generated queue. */
		if (t && strcmp(t, "SNS") == 0 && sqs_subscription(events->pairs[i].v))
			sam_push_managed(
			    x, managed,
			    aws_managed(x, "service-role/AWSLambdaSQSQueueExecutionRole", events->pairs[i].v->pos));
	}
	sam_destination_policies(x, fn_id, val_get(p, "EventInvokeConfig"), inl);
	sam_event_source_policies(x, fn_id, events, inl);

	struct value *dlq = val_get(p, "DeadLetterQueue");
	if (dlq && dlq->kind == VAL_MAP) {
		const char *t = sv_text(val_get(dlq, "Type"));
		const char *action = t && strcmp(t, "SNS") == 0 ? "sns:Publish" : "sqs:SendMessage";
		struct value *ip = sv_map(x, dlq->pos);
		sv_put(x, ip, "PolicyName", sv_str(x, "DeadLetterQueuePolicy", dlq->pos));
		struct value *target = val_get(dlq, "TargetArn");
		sv_put(x, ip, "PolicyDocument",
		       statement_doc(x, action, target ? target : sv_str(x, "*", dlq->pos), dlq->pos));
		sv_push(x, inl, ip);
	}

	sv_put(x, rp, "ManagedPolicyArns", managed);
	if (inl->n)
		sv_put(x, rp, "Policies", inl);
	sv_put_opt(x, rp, "PermissionsBoundary", val_get(p, "PermissionsBoundary"));
	sv_put_opt(x, rp, "Path", val_get(p, "RolePath"));
	sv_put(x, rp, "Tags", tag_list(x, val_get(p, "Tags"), "lambda:createdBy", pos));
	sam_add(x, role_id, "AWS::IAM::Role", fn_id, rp);
}

static void make_url(struct sam *x, const char *fn_id, const struct value *cfg)
{
	struct pos pos = cfg->pos;
	struct value *up = sv_map(x, pos);
	struct value *auth = val_get(cfg, "AuthType");
	sv_put_opt(x, up, "AuthType", auth);
	sv_put_opt(x, up, "Cors", val_get(cfg, "Cors"));
	sv_put_opt(x, up, "InvokeMode", val_get(cfg, "InvokeMode"));
	sv_put(x, up, "TargetFunctionArn", sv_ref(x, fn_id, NULL, pos));
	sam_add(x, arena_printf(x->a, "%sUrl", fn_id), "AWS::Lambda::Url", fn_id, up);
	/* As the translator: only a literal NONE (not a parameter) makes the URL public. */
	if (val_equals(auth, "NONE") == YES && !auth->param) {
		struct value *pp = sv_map(x, pos);
		sv_put(x, pp, "Action", sv_str(x, "lambda:InvokeFunctionUrl", pos));
		sv_put(x, pp, "FunctionName", sv_ref(x, fn_id, NULL, pos));
		sv_put(x, pp, "FunctionUrlAuthType", sv_str(x, "NONE", auth->pos));
		sv_put(x, pp, "Principal", sv_str(x, "*", pos));
		sam_add(x, arena_printf(x->a, "%sUrlPublicPermissions", fn_id), "AWS::Lambda::Permission", fn_id,
			pp);
		struct value *ip = sv_map(x, pos);
		sv_put(x, ip, "Action", sv_str(x, "lambda:InvokeFunction", pos));
		sv_put(x, ip, "FunctionName", sv_ref(x, fn_id, NULL, pos));
		sv_put(x, ip, "InvokedViaFunctionUrl", sv_bool(x, true, pos));
		sv_put(x, ip, "Principal", sv_str(x, "*", pos));
		sam_add(x, arena_printf(x->a, "%sURLInvokeAllowPublicAccess", fn_id), "AWS::Lambda::Permission", fn_id,
			ip);
	}
}

static void push_permission(struct sam *x, const char *fn_id, const char *ev_name, const char *principal,
			    struct pos pos)
{
	struct value *pp = sv_map(x, pos);
	sv_put(x, pp, "Action", sv_str(x, "lambda:InvokeFunction", pos));
	sv_put(x, pp, "FunctionName", sv_ref(x, fn_id, NULL, pos));
	sv_put(x, pp, "Principal", sv_str(x, principal, pos));
	sam_add(x, arena_printf(x->a, "%s%sPermission", fn_id, ev_name), "AWS::Lambda::Permission", fn_id, pp);
}

/* The API an HttpApi event attaches to ("" for the implicit one). */
static const char *http_target(const struct value *ev)
{
	const char *t = sv_ref_target(val_path(ev, "Properties.ApiId"));
	return t ? t : "";
}

static bool http_is_default_route(const struct value *ev)
{
	const struct value *path = val_path(ev, "Properties.Path");
	const char *ps = sv_text(path);
	return !path || (ps && strcmp(ps, "$default") == 0);
}

static void function_events(struct sam *x, const char *fn_id, const struct value *events)
{
	if (!events || events->kind != VAL_MAP)
		return;
	for (size_t i = 0; i < events->n; i++) {
		const char *name = events->pairs[i].key;
		const struct value *ev = events->pairs[i].v;
		const char *t = sv_text(val_get(ev, "Type"));
		if (!t)
			continue;
		struct pos pos = ev->pos.line ? ev->pos : events->pairs[i].key_pos;
		if (strcmp(t, "Api") == 0) {
			sam_api_event(x, fn_id, name, ev, pos, false, false);
			continue;
		}
		if (strcmp(t, "HttpApi") == 0) {
			/* A default-route event grants the whole API: the
			 * translator adds no permission for the others. */
			bool covered = false;
			if (!http_is_default_route(ev)) {
				for (size_t j = 0; j < events->n; j++) {
					const struct value *o = events->pairs[j].v;
					if (j != i && val_equals(val_get(o, "Type"), "HttpApi") == YES &&
					    http_is_default_route(o) && strcmp(http_target(o), http_target(ev)) == 0)
						covered = true;
				}
			}
			sam_api_event(x, fn_id, name, ev, pos, true, covered);
			continue;
		}
		if (strcmp(t, "SNS") == 0 && sqs_subscription(ev))
			continue; /* delivered through a queue */
		/* All Cognito triggers of a function share one permission. */
		if (strcmp(t, "Cognito") == 0)
			name = "Cognito";
		for (size_t k = 0; k < sizeof push_events / sizeof push_events[0]; k++)
			if (strcmp(t, push_events[k].type) == 0)
				push_permission(x, fn_id, name, push_events[k].principal, pos);
	}
}

void sam_function(struct sam *x, size_t idx)
{
	struct resource *r = &x->s->res[idx];
	const char *id = r->id;
	struct pos pos = r->pos;
	const struct node *wp = written_props(r);
	struct value *p = sv_merge(x, sam_globals_for(x, x->g_function, r), r->props);
	if (!p || p->kind != VAL_MAP)
		p = sv_map(x, pos);
	struct value *out = sv_map(x, p->pos.line ? p->pos : pos);

	sv_put_opt(x, out, "Code", function_code(x, p, pos));
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		sv_put_opt(x, out, copied[i], val_get(p, copied[i]));
	struct value *role = val_get(p, "Role");
	bool own_role = !role || role->kind == VAL_NULL;
	struct value *own_arn = sv_ref(x, arena_printf(x->a, "%sRole", id), "Arn", pos);
	/* Role: !If [Cond, Arn, !Ref AWS::NoValue]: the translator generates
	 * the role for the other branch. */
	bool maybe_own = false;
	if (role && role->kind == VAL_CHOICE) {
		struct value *ch = sv_clone(x, role);
		for (size_t i = 0; i < ch->n; i++) {
			if (!ch->items[i] || ch->items[i]->kind == VAL_NULL) {
				ch->items[i] = own_arn;
				maybe_own = true;
			}
		}
		if (maybe_own)
			role = ch;
	}
	sv_put(x, out, "Role", own_role ? own_arn : role);
	struct value *tr = val_get(p, "Tracing");
	if (tracing_on(tr)) {
		struct value *tc = sv_map(x, tr->pos);
		sv_put(x, tc, "Mode", tr);
		sv_put(x, out, "TracingConfig", tc);
	}
	struct value *dlq = val_get(p, "DeadLetterQueue");
	if (dlq && dlq->kind == VAL_MAP) {
		struct value *dc = sv_map(x, dlq->pos);
		sv_put_opt(x, dc, "TargetArn", val_get(dlq, "TargetArn"));
		sv_put(x, out, "DeadLetterConfig", dc);
	}
	sv_put(x, out, "Tags", tag_list(x, val_get(p, "Tags"), "lambda:createdBy", pos));

	r->props = out;
	r->type = "AWS::Lambda::Function";
	/* From here on r may move (stack_add): use id. */
	if (own_role || maybe_own) {
		make_role(x, id, p, wp, pos);
		if (maybe_own) {
			struct resource *role_r = stack_find(x->s, arena_printf(x->a, "%sRole", id));
			if (role_r && !role_r->node && role_r->deployed == YES)
				role_r->deployed = MAYBE;
		}
	}
	struct value *url = val_get(p, "FunctionUrlConfig");
	if (url && url->kind == VAL_MAP)
		make_url(x, id, url);
	function_events(x, id, val_get(p, "Events"));
}
