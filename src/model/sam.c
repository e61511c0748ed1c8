/*
 * sam.c - the AWS::Serverless-2016-10-31 transform (see sam.h): the order
 * of the expansion, Globals, generated-resource bookkeeping and
 * AWS::Serverless::SimpleTable.
 *
 * The order is the translator's: explicit APIs are registered first, then
 * every function (whose Api/HttpApi events add paths to those APIs or to
 * the implicit ServerlessRestApi/ServerlessHttpApi), then the APIs are
 * written out, then simple tables.  Other AWS::Serverless types are left
 * as written.
 */
#include "model/sam.h"
#include "core/arena.h"
#include "model/resolve.h"
#include "model/sam_internal.h"

#include <ctype.h>
#include <string.h>

struct value *sam_resolve_quiet(struct sam *x, const struct node *n)
{
	if (!n)
		return NULL;
	struct diags scratch = {0};
	struct value *v = model_resolve(x->s, n, &scratch);
	diags_free(&scratch);
	return v;
}

const char *sam_alnum(struct sam *x, const char *s)
{
	size_t n = strlen(s);
	char *o = arena_alloc(x->a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]))
			o[j++] = s[i];
	o[j] = '\0';
	return o;
}

struct value *sam_globals_for(struct sam *x, struct value *globals, const struct resource *r)
{
	const struct value *ig = sam_resolve_quiet(x, node_get(r->node, "IgnoreGlobals"));
	if (!globals || !ig)
		return globals;
	if (val_equals(ig, "*") == YES)
		return NULL;
	if (ig->kind != VAL_LIST)
		return globals;
	struct value *g = sv_map(x, globals->pos);
	for (size_t i = 0; i < globals->n; i++) {
		bool skip = false;
		for (size_t k = 0; k < ig->n; k++)
			if (val_equals(ig->items[k], globals->pairs[i].key) == YES)
				skip = true;
		if (!skip)
			sv_put(x, g, globals->pairs[i].key, globals->pairs[i].v);
	}
	return g;
}

const char *sam_literal(struct sam *x, const struct resource *r, const char *gsec, const char *key)
{
	const struct node *n = r ? node_get(node_get(r->node, "Properties"), key) : NULL;
	if (!n && gsec)
		n = node_get(node_get(x->s->globals, gsec), key);
	if (!n || (n->kind != NODE_STRING && n->kind != NODE_NUMBER))
		return NULL;
	return arena_strndup(x->a, n->str, n->len);
}

static size_t add_raw(struct sam *x, const char *id, const char *type, struct value *props)
{
	struct resource *r = stack_find(x->s, id);
	if (r && r->node) {
		/* The template already has a resource of that name: the
		 * translator would fail; keep what the user wrote. */
		diag_warn(x->d, r->pos, "SAM would generate a resource named %s, which the template already defines",
			  id);
		return (size_t)(r - x->s->res);
	}
	if (r) {
		/* Generated twice (e.g. two events sharing a permission name): last wins. */
		r->type = arena_strdup(x->a, type);
		r->source_type = r->type;
		r->props = props;
		return (size_t)(r - x->s->res);
	}
	r = stack_add(x->s, id, type);
	r->props = props ? props : sv_map(x, r->pos);
	return x->s->nres - 1;
}

size_t sam_add(struct sam *x, const char *id, const char *type, const char *src_id, struct value *props)
{
	size_t i = add_raw(x, id, type, props);
	struct resource *r = &x->s->res[i];
	const struct resource *src = stack_find(x->s, src_id);
	if (src && r != src && !r->node) {
		r->pos = src->pos;
		r->source_id = src->id;
		r->source_type = src->source_type ? src->source_type : src->type;
		r->condition = src->condition;
		r->deployed = src->deployed;
		r->skips = src->skips;
		r->nskips = src->nskips;
		r->cdk_path = src->cdk_path;
		if (r->props)
			r->props->pos = r->props->pos.line ? r->props->pos : src->pos;
	}
	return i;
}

size_t sam_add_for_api(struct sam *x, const char *id, const char *type, const struct sam_api *api,
		       struct value *props)
{
	if (!api->implicit)
		return sam_add(x, id, type, api->id, props);
	size_t i = add_raw(x, id, type, props);
	struct resource *r = &x->s->res[i];
	if (r->node)
		return i;
	const struct resource *src = stack_find(x->s, api->source_id);
	r->pos = api->pos;
	r->source_id = src ? src->id : r->id;
	r->source_type = src ? (src->source_type ? src->source_type : src->type) : r->type;
	r->deployed = api->deployed;
	r->condition = api->condition;
	return i;
}

static struct value *globals_section(struct sam *x, const char *name)
{
	const struct node *g = x->s->globals;
	const struct node *sec = node_get(g, name);
	if (!sec)
		return NULL;
	if (sec->kind != NODE_MAP) {
		diag_warn(x->d, sec->pos, "Globals.%s should be a mapping; ignored", name);
		return NULL;
	}
	struct value *v = model_resolve(x->s, sec, x->d);
	return v && v->kind == VAL_MAP ? v : NULL;
}

/* ---- AWS::Serverless::SimpleTable ---- */

static const char *attr_type(const char *t)
{
	if (!t)
		return NULL;
	if (strcmp(t, "String") == 0)
		return "S";
	if (strcmp(t, "Number") == 0)
		return "N";
	if (strcmp(t, "Binary") == 0)
		return "B";
	return NULL;
}

static void sam_simple_table(struct sam *x, size_t idx)
{
	struct resource *r = &x->s->res[idx];
	struct pos pos = r->pos;
	struct value *p = sv_merge(x, sam_globals_for(x, x->g_table, r), r->props);
	struct value *out = sv_map(x, r->props ? r->props->pos : pos);

	struct value *pk = val_get(p, "PrimaryKey");
	struct value *name = val_get(pk, "Name");
	struct value *type = val_get(pk, "Type");
	struct pos kpos = pk ? pk->pos : pos;
	if (!name)
		name = sv_str(x, "id", kpos);
	struct value *at;
	const char *t = attr_type(sv_text(type));
	if (t)
		at = sv_str(x, t, type->pos);
	else if (type)
		at = type; /* unknown or invalid: keep it as written */
	else
		at = sv_str(x, "S", kpos);

	struct value *ad = sv_list(x, kpos), *a0 = sv_map(x, kpos);
	sv_put(x, a0, "AttributeName", name);
	sv_put(x, a0, "AttributeType", at);
	sv_push(x, ad, a0);
	struct value *ks = sv_list(x, kpos), *k0 = sv_map(x, kpos);
	sv_put(x, k0, "AttributeName", name);
	sv_put(x, k0, "KeyType", sv_str(x, "HASH", kpos));
	sv_push(x, ks, k0);
	sv_put(x, out, "AttributeDefinitions", ad);
	sv_put(x, out, "KeySchema", ks);

	struct value *pt = val_get(p, "ProvisionedThroughput");
	if (pt)
		sv_put(x, out, "ProvisionedThroughput", pt);
	else
		sv_put(x, out, "BillingMode", sv_str(x, "PAY_PER_REQUEST", pos));
	sv_put_opt(x, out, "TableName", val_get(p, "TableName"));
	sv_put_opt(x, out, "SSESpecification", val_get(p, "SSESpecification"));
	sv_put_opt(x, out, "PointInTimeRecoverySpecification", val_get(p, "PointInTimeRecoverySpecification"));
	struct value *tags = val_get(p, "Tags");
	if (tags && tags->kind == VAL_MAP && tags->n) {
		struct value *tl = sv_list(x, tags->pos);
		for (size_t i = 0; i < tags->n; i++) {
			struct value *e = sv_map(x, tags->pairs[i].key_pos);
			sv_put(x, e, "Key", sv_str(x, tags->pairs[i].key, tags->pairs[i].key_pos));
			sv_put(x, e, "Value", tags->pairs[i].v);
			sv_push(x, tl, e);
		}
		sv_put(x, out, "Tags", tl);
	}
	r->props = out;
	r->type = "AWS::DynamoDB::Table";
}

void sam_expand(struct stack *s, struct diags *d)
{
	if (!s)
		return;
	struct sam x = {.s = s, .d = d, .a = s->arena};
	for (size_t i = 0; i < s->nres; i++) {
		struct resource *r = &s->res[i];
		if (!r->source_type)
			r->source_type = r->type;
	}
	x.g_function = globals_section(&x, "Function");
	x.g_api = globals_section(&x, "Api");
	x.g_httpapi = globals_section(&x, "HttpApi");
	x.g_table = globals_section(&x, "SimpleTable");

	sam_api_collect(&x);
	/* Only resources written in the template are expanded: the count is
	 * taken first, generated resources are appended after it. */
	size_t n = s->nres;
	for (size_t i = 0; i < n; i++) {
		const char *t = s->res[i].type;
		if (model_budget_spent(s, d, s->res[i].pos))
			break; /* warned: the rest stays as written */
		if (t && strcmp(t, SAM_FUNCTION) == 0)
			sam_function(&x, i);
	}
	sam_api_finish(&x);
	for (size_t i = 0; i < n; i++) {
		const char *t = s->res[i].type;
		if (t && strcmp(t, SAM_TABLE) == 0)
			sam_simple_table(&x, i);
	}
}
