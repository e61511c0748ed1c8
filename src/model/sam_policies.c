/*
 * sam_policies.c - a function's Policies property into the generated
 * role's ManagedPolicyArns and inline Policies, with the SAM policy
 * templates (DynamoDBCrudPolicy: {TableName: !Ref T}, ...) expanded from
 * the project's copy of the translator's policy_templates.json
 * (data/sam/, embedded by scripts/gen-sam-policy-data.sh).
 *
 * Templates are instantiated on document nodes, as the translator does:
 * each {"Ref": Param} of the template's Definition is replaced by the
 * node the user wrote for that parameter, and the result is resolved like
 * any other property.  Inline policies are named <Role>Policy<index>, the
 * index counting every entry of Policies (managed ones included).
 *
 * Also here: the inline policies the translator adds on its own, for
 * EventInvokeConfig destinations, poller OnFailure destinations and event
 * sources that need secrets or a VPC (MQ, DocumentDB, MSK, self-managed
 * Kafka), named as the translator names them.
 */
#include "core/arena.h"
#include "load/load.h"
#include "model/sam_internal.h"

#include <string.h>

#define TEMPLATE_FILE "<sam-policy-templates>"
/* Template definitions are shallow; a deeper one is not walked further. */
#define TEMPLATE_DEPTH 64

static struct node *templates(struct sam *x)
{
	if (x->templates_tried)
		return x->templates;
	x->templates_tried = true;
	struct diags scratch = {0};
	struct node *root = load_buffer(TEMPLATE_FILE, sam_policy_templates_json, sam_policy_templates_json_len,
					x->a, &scratch);
	diags_free(&scratch);
	struct node *t = node_get(root, "Templates");
	x->templates = t && t->kind == NODE_MAP ? t : NULL;
	return x->templates;
}

bool sam_is_policy_template(struct sam *x, const char *name)
{
	return node_get(templates(x), name) != NULL;
}

/* Copy of a template node with parameter Refs replaced; new nodes get pos. */
static struct node *instantiate(struct sam *x, const struct node *n, const struct node *tparams,
				const struct node *params, struct pos pos, int depth)
{
	if (!n)
		return NULL;
	if (depth > TEMPLATE_DEPTH)
		return (struct node *)n;
	if (n->kind == NODE_MAP && n->n == 1 && strcmp(n->pairs[0].key->str, "Ref") == 0) {
		const char *pname = node_str(n->pairs[0].value);
		if (pname && node_get(tparams, pname)) {
			struct node *given = node_get(params, pname);
			if (given)
				return given;
		}
	}
	struct node *c = arena_alloc(x->a, sizeof *c);
	*c = *n;
	c->pos = pos;
	if (n->kind == NODE_MAP) {
		c->pairs = n->n ? arena_array(x->a, n->n, sizeof *c->pairs) : NULL;
		for (size_t i = 0; i < n->n; i++) {
			struct node *k = arena_alloc(x->a, sizeof *k);
			*k = *n->pairs[i].key;
			k->pos = pos;
			c->pairs[i].key = k;
			c->pairs[i].value = instantiate(x, n->pairs[i].value, tparams, params, pos, depth + 1);
		}
	} else if (n->kind == NODE_SEQ) {
		c->items = n->n ? arena_array(x->a, n->n, sizeof *c->items) : NULL;
		for (size_t i = 0; i < n->n; i++)
			c->items[i] = instantiate(x, n->items[i], tparams, params, pos, depth + 1);
	}
	return c;
}

struct value *sam_policy_template(struct sam *x, const char *name, const struct node *params, struct pos pos)
{
	const struct node *t = node_get(templates(x), name);
	if (!t)
		return NULL;
	const struct node *tparams = node_get(t, "Parameters");
	for (size_t i = 0; tparams && tparams->kind == NODE_MAP && i < tparams->n; i++) {
		const char *pn = tparams->pairs[i].key->str;
		if (!node_get(params, pn))
			diag_warn(x->d, pos, "policy template %s is missing parameter %s", name, pn);
	}
	struct node *def = instantiate(x, node_get(t, "Definition"), tparams, params, pos, 0);
	return sam_resolve_quiet(x, def);
}

static bool is_intrinsic(const struct node *n)
{
	return node_intrinsic(n) != NULL;
}

static void one_policy(struct sam *x, const char *role_id, const struct node *e, size_t index,
		       struct value *managed, struct value *inline_policies)
{
	struct pos pos = e->pos;
	if (e->kind == NODE_STRING) {
		const char *s = node_str(e);
		if (strchr(s, ':') || strchr(s, '$'))
			sam_push_managed(x, managed, sam_resolve_quiet(x, e));
		else
			sam_push_managed(x, managed, sv_str(x, sam_managed_policy_arn(x, s), pos));
		return;
	}
	if (e->kind != NODE_MAP) {
		diag_warn(x->d, pos, "a Policies entry should be a policy name, a policy document or a policy template");
		return;
	}
	const char *policy_name = arena_printf(x->a, "%sPolicy%zu", role_id, index);
	if (is_intrinsic(e)) {
		const char *fn = node_intrinsic(e);
		if (strcmp(fn, "Fn::If") == 0) {
			/* A choice of documents or templates: resolve each branch here. */
			const struct node *args = e->pairs[0].value;
			struct value *v = sam_resolve_quiet(x, e);
			bool doc = v && v->kind == VAL_MAP && val_get(v, "Statement");
			for (size_t b = 1; args && args->kind == NODE_SEQ && args->n == 3 && b < 3; b++)
				if (node_get(args->items[b], "Statement"))
					doc = true;
			if (!v)
				return; /* AWS::NoValue chosen */
			if (doc) {
				struct value *ip = sv_map(x, pos);
				sv_put(x, ip, "PolicyDocument", v);
				sv_put(x, ip, "PolicyName", sv_str(x, policy_name, pos));
				sv_push(x, inline_policies, ip);
				return;
			}
			if (args && args->kind == NODE_SEQ && args->n == 3) {
				for (size_t b = 1; b < 3; b++) {
					const struct node *br = args->items[b];
					if (br->kind == NODE_MAP && br->n == 1 && !is_intrinsic(br) &&
					    sam_is_policy_template(x, br->pairs[0].key->str)) {
						one_policy(x, role_id, br, index, managed, inline_policies);
						return;
					}
				}
			}
			sv_push(x, managed, v);
			return;
		}
		sv_push(x, managed, sam_resolve_quiet(x, e));
		return;
	}
	if (node_get(e, "Statement")) {
		struct value *ip = sv_map(x, pos);
		sv_put(x, ip, "PolicyDocument", sam_resolve_quiet(x, e));
		sv_put(x, ip, "PolicyName", sv_str(x, policy_name, pos));
		sv_push(x, inline_policies, ip);
		return;
	}
	if (e->n == 1) {
		const char *tname = e->pairs[0].key->str;
		const struct node *params = e->pairs[0].value;
		struct value *doc = sam_policy_template(x, tname, params, pos);
		if (doc) {
			struct value *ip = sv_map(x, pos);
			sv_put(x, ip, "PolicyDocument", doc);
			sv_put(x, ip, "PolicyName", sv_str(x, policy_name, pos));
			sv_push(x, inline_policies, ip);
			return;
		}
		diag_warn(x->d, pos, "unknown SAM policy template %s", tname);
		return;
	}
	diag_warn(x->d, pos, "a Policies entry should be a policy name, a policy document or a policy template");
}

void sam_policies(struct sam *x, const char *role_id, const struct node *policies, struct pos pos,
		  struct value *managed, struct value *inline_policies)
{
	(void)pos;
	if (!policies)
		return;
	/* A single document, template or name is a list of one. */
	if (policies->kind != NODE_SEQ) {
		one_policy(x, role_id, policies, 0, managed, inline_policies);
		return;
	}
	for (size_t i = 0; i < policies->n; i++)
		one_policy(x, role_id, policies->items[i], i, managed, inline_policies);
}

/* ---- policies the translator adds for destinations and event sources ---- */

/* EventInvokeConfig destinations: one inline policy each, as the translator names them. */
void sam_destination_policies(struct sam *x, const char *fn_id, const struct value *eic, struct value *inl)
{
	static const struct {
		const char *type, *a1, *a2;
	} kinds[] = {
	    {"SQS", "sqs:SendMessage", NULL},	   {"SNS", "sns:publish", NULL},
	    {"Lambda", "lambda:InvokeFunction", NULL}, {"EventBridge", "events:PutEvents", NULL},
	    {"S3Bucket", "s3:PutObject", "s3:ListBucket"},
	};
	static const char *const when[] = {"OnSuccess", "OnFailure"};
	const struct value *dc = val_get(eic, "DestinationConfig");
	for (size_t w = 0; dc && w < 2; w++) {
		const struct value *d = val_get(dc, when[w]);
		const char *t = sv_text(val_get(d, "Type"));
		for (size_t k = 0; t && k < sizeof kinds / sizeof kinds[0]; k++) {
			if (strcmp(t, kinds[k].type) != 0)
				continue;
			struct pos pos = d->pos;
			struct value *dest = val_get(d, "Destination");
			if (!dest)
				dest = sv_deploy_time(x, pos, "a destination generated by SAM", NULL, NULL);
			struct value *sts = sv_list(x, pos);
			for (size_t a = 0; a < 2; a++) {
				const char *act = a ? kinds[k].a2 : kinds[k].a1;
				if (!act)
					continue;
				struct value *st = sv_map(x, pos);
				sv_put(x, st, "Action", sv_str(x, act, pos));
				sv_put(x, st, "Effect", sv_str(x, "Allow", pos));
				sv_put(x, st, "Resource", dest);
				sv_push(x, sts, st);
			}
			struct value *doc = sv_map(x, pos);
			sv_put(x, doc, "Statement", sts);
			struct value *ip = sv_map(x, pos);
			sv_put(x, ip, "PolicyDocument", doc);
			sv_put(x, ip, "PolicyName",
			       sv_str(x, arena_printf(x->a, "%sEventInvokeConfig%s%sPolicy", fn_id, when[w], t), pos));
			sv_push(x, inl, ip);
		}
	}
}

/* ---- event source policies (MQ, DocumentDB, MSK, self-managed Kafka) ---- */

static void add_statement(struct sam *x, struct value *sts, const char *const *actions, size_t n,
			  struct value *resource, struct pos pos)
{
	struct value *acts = sv_list(x, pos);
	for (size_t i = 0; i < n; i++)
		sv_push(x, acts, sv_str(x, actions[i], pos));
	struct value *st = sv_map(x, pos);
	sv_put(x, st, "Action", acts);
	sv_put(x, st, "Effect", sv_str(x, "Allow", pos));
	sv_put(x, st, "Resource", resource ? resource : sv_str(x, "*", pos));
	sv_push(x, sts, st);
}

static void add_action(struct sam *x, struct value *sts, const char *action, struct value *resource,
		       struct pos pos)
{
	add_statement(x, sts, &action, 1, resource, pos);
}

static const char *const vpc_actions[] = {
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
    "ec2:DescribeVpcs",		  "ec2:DescribeSubnets",	   "ec2:DescribeSecurityGroups",
};

/* Text to recognise a value by (a known string, or an unknown's expression). */
static const char *text_of(const struct value *v)
{
	return v && (v->kind == VAL_STRING || v->kind == VAL_UNKNOWN) ? v->s : NULL;
}

/* Secrets of SourceAccessConfigurations entries of the given types; VPC entries noted. */
static void access_secrets(struct sam *x, struct value *sts, const struct value *sacs,
			   const char *const *types, size_t ntypes, bool *vpc)
{
	for (size_t i = 0; sacs && sacs->kind == VAL_LIST && i < sacs->n; i++) {
		const struct value *e = sacs->items[i];
		const char *t = sv_text(val_get(e, "Type"));
		if (!t)
			continue;
		if (vpc && (strcmp(t, "VPC_SUBNET") == 0 || strcmp(t, "VPC_SECURITY_GROUP") == 0))
			*vpc = true;
		for (size_t k = 0; k < ntypes; k++)
			if (strcmp(t, types[k]) == 0)
				add_action(x, sts, "secretsmanager:GetSecretValue", val_get(e, "URI"), e->pos);
	}
}

static void schema_registry(struct sam *x, struct value *sts, const struct value *cfg)
{
	if (!cfg)
		return;
	static const char *const auth[] = {"BASIC_AUTH", "CLIENT_CERTIFICATE_TLS_AUTH", "SERVER_ROOT_CA_CERTIFICATE"};
	access_secrets(x, sts, val_get(cfg, "AccessConfigs"), auth, 3, NULL);
	struct value *uri = val_get(cfg, "SchemaRegistryURI");
	const char *u = text_of(uri);
	if (u && strstr(u, ":glue:")) {
		add_action(x, sts, "glue:GetRegistry", uri, cfg->pos);
		add_action(x, sts, "glue:GetSchemaVersion", sv_deploy_time(x, cfg->pos, "the registry's schemas", NULL, NULL),
			   cfg->pos);
	}
}

static void kms_decrypt(struct sam *x, struct value *sts, const struct value *key, struct pos pos)
{
	if (key)
		add_action(x, sts, "kms:Decrypt",
			   sv_deploy_time(x, key->pos, "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}",
					  NULL, NULL),
			   pos);
}

static void push_policy(struct sam *x, struct value *inl, const char *name, struct value *sts, struct pos pos)
{
	if (!sts->n)
		return;
	/* One policy per name: the translator keeps a single one for several events. */
	for (size_t i = 0; i < inl->n; i++)
		if (val_equals(val_get(inl->items[i], "PolicyName"), name) == YES)
			return;
	struct value *doc = sv_map(x, pos);
	sv_put(x, doc, "Statement", sts);
	struct value *ip = sv_map(x, pos);
	sv_put(x, ip, "PolicyDocument", doc);
	sv_put(x, ip, "PolicyName", sv_str(x, name, pos));
	sv_push(x, inl, ip);
}

/* The inline policies the translator gives pollers that need secrets or a VPC. */
void sam_event_source_policies(struct sam *x, const char *fn_id, const struct value *events, struct value *inl)
{
	bool mq_seen = false;
	for (size_t i = 0; events && events->kind == VAL_MAP && i < events->n; i++) {
		const struct value *ev = events->pairs[i].v;
		const char *t = sv_text(val_get(ev, "Type"));
		const struct value *p = val_get(ev, "Properties");
		struct pos pos = ev->pos;
		if (!t)
			continue;
		/* Poller OnFailure destination with a Type: <Fn><Event><Type>Policy. */
		const struct value *of = val_path(p, "DestinationConfig.OnFailure");
		const char *ot = sv_text(val_get(of, "Type"));
		if (ot) {
			struct value *ds = sv_list(x, of->pos);
			struct value *dest = val_get(of, "Destination");
			if (strcmp(ot, "SQS") == 0)
				add_action(x, ds, "sqs:SendMessage", dest, of->pos);
			else if (strcmp(ot, "SNS") == 0)
				add_action(x, ds, "sns:publish", dest, of->pos);
			else if (strcmp(ot, "S3") == 0) {
				static const char *const s3[] = {"s3:ListBucket", "s3:PutObject"};
				add_statement(x, ds, s3, 2, dest, of->pos);
			}
			push_policy(x, inl, arena_printf(x->a, "%s%s%sPolicy", fn_id, events->pairs[i].key, ot), ds, of->pos);
		}
		struct value *sts = sv_list(x, pos);
		const struct value *sacs = val_get(p, "SourceAccessConfigurations");
		if (strcmp(t, "MQ") == 0) {
			static const char *const auth[] = {"BASIC_AUTH", "VIRTUAL_HOST"};
			access_secrets(x, sts, sacs, auth, 1, NULL);
			add_action(x, sts, "mq:DescribeBroker", val_get(p, "Broker"), pos);
			kms_decrypt(x, sts, val_get(p, "SecretsManagerKmsKeyId"), pos);
			const char *name = mq_seen ? arena_printf(x->a, "%s%sAMQPolicy", fn_id, events->pairs[i].key)
						   : "SamAutoGeneratedAMQPolicy";
			mq_seen = true;
			push_policy(x, inl, name, sts, pos);
		} else if (strcmp(t, "DocumentDB") == 0) {
			static const char *const auth[] = {"BASIC_AUTH"};
			access_secrets(x, sts, sacs, auth, 1, NULL);
			add_action(x, sts, "rds:DescribeDBClusterParameters",
				   sv_deploy_time(x, pos, "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster-pg:*",
						  NULL, NULL),
				   pos);
			add_action(x, sts, "rds:DescribeDBSubnetGroups",
				   sv_deploy_time(x, pos, "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:subgrp:*",
						  NULL, NULL),
				   pos);
			add_action(x, sts, "rds:DescribeDBClusters", val_get(p, "Cluster"), pos);
			add_statement(x, sts, vpc_actions, sizeof vpc_actions / sizeof vpc_actions[0], NULL, pos);
			kms_decrypt(x, sts, val_get(p, "SecretsManagerKmsKeyId"), pos);
			push_policy(x, inl, "SamAutoGeneratedDocumentDBPolicy", sts, pos);
		} else if (strcmp(t, "SelfManagedKafka") == 0) {
			static const char *const auth[] = {"BASIC_AUTH", "SASL_SCRAM_256_AUTH", "SASL_SCRAM_512_AUTH",
							   "CLIENT_CERTIFICATE_TLS_AUTH", "SERVER_ROOT_CA_CERTIFICATE"};
			bool vpc = false;
			access_secrets(x, sts, sacs, auth, sizeof auth / sizeof auth[0], &vpc);
			if (vpc)
				add_statement(x, sts, vpc_actions, sizeof vpc_actions / sizeof vpc_actions[0], NULL, pos);
			schema_registry(x, sts, val_get(p, "SchemaRegistryConfig"));
			push_policy(x, inl, "SelfManagedKafkaExecutionRolePolicy", sts, pos);
		} else if (strcmp(t, "MSK") == 0) {
			static const char *const auth[] = {"CLIENT_CERTIFICATE_TLS_AUTH", "SASL_SCRAM_512_AUTH"};
			access_secrets(x, sts, sacs, auth, 2, NULL);
			schema_registry(x, sts, val_get(p, "SchemaRegistryConfig"));
			push_policy(x, inl, "MSKExecutionRolePolicy", sts, pos);
		}
	}
}
