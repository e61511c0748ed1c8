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
