/*
 * resolve.c - document nodes to values: CloudFormation intrinsic functions,
 * parameters, pseudo parameters, mappings and conditions (model_resolve,
 * stack_condition).
 *
 * What the template determines is computed; what it does not stays unknown
 * and says why (value.h).  Problems in the template (a Ref to nothing, a
 * Fn::Sub variable that names nothing, a function with the wrong arguments)
 * are diagnostics with the position of the offending node, and the value
 * is unknown: resolution never fails as a whole.
 *
 * AWS::NoValue is "remove this": internally a resolver returns NULL for it
 * and the enclosing map or list drops the member; in an undecided Fn::If it
 * becomes a VAL_NULL alternative.
 *
 * Recursion follows the document (the loader bounds its depth) plus
 * condition references, which are bounded separately.
 */
#include "model/resolve.h"
#include "model/cfn_spec.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Resolution depth beyond which a value is given up as unknown. */
#define RESOLVE_MAX_DEPTH 600
/* Longest chain of conditions referring to conditions. */
#define COND_MAX_CHAIN 128
/* The memo value of a condition being evaluated (tri values are stored +1). */
#define COND_BUSY ((void *)(uintptr_t)8)

/* Unknown strings built around unknown parts carry a why with this prefix. */
static const char partial_prefix[] = "partly known only at deploy: ";

struct cond_frame {
	const char *name;
	struct cond_frame *up;
};

/*
 * Node -> value, for one resolution: YAML aliases make the document a DAG
 * whose expansion can be huge ("billion laughs"; the loader bounds it at
 * millions of nodes).  Resolving each distinct node once keeps the work
 * and memory linear in the distinct nodes.  The result depends only on the
 * node (parameters and conditions are fixed), so sharing it is exact.
 * Only nodes an alias names (node->shared) can be reached twice, and only
 * intrinsic function calls report errors, so only those are memoized: the
 * other nodes, most of a document, cost no table entry.
 */
struct memo {
	const struct node **keys;
	struct value **vals;
	size_t cap, n;
};

/* Stands for a memoized AWS::NoValue (a NULL result). */
static struct value memo_novalue;

static size_t memo_slot(const struct memo *m, const struct node *n)
{
	uint64_t h = (uint64_t)(uintptr_t)n * 0x9E3779B97F4A7C15ULL;
	size_t j = (size_t)(h >> 20) & (m->cap - 1);
	while (m->keys[j] && m->keys[j] != n)
		j = (j + 1) & (m->cap - 1);
	return j;
}

/* Is n memoized?  Sets *out (NULL for AWS::NoValue). */
static bool memo_get(const struct memo *m, const struct node *n, struct value **out)
{
	if (!m->cap)
		return false;
	size_t j = memo_slot(m, n);
	if (!m->keys[j])
		return false;
	*out = m->vals[j] == &memo_novalue ? NULL : m->vals[j];
	return true;
}

static void memo_put(struct arena *a, struct memo *m, const struct node *n, struct value *v)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct memo old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->keys = arena_array(a, m->cap, sizeof *m->keys);
		m->vals = arena_array(a, m->cap, sizeof *m->vals);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				size_t j = memo_slot(m, old.keys[i]);
				m->keys[j] = old.keys[i];
				m->vals[j] = old.vals[i];
				m->n++;
			}
	}
	size_t j = memo_slot(m, n);
	if (!m->keys[j])
		m->n++;
	m->keys[j] = n;
	m->vals[j] = v ? v : &memo_novalue;
}

struct rctx {
	struct stack *s;
	struct diags *d;
	struct arena *a;
	struct memo memo;
	int depth;
	bool in_condition;       /* evaluating the Conditions section */
	struct cond_frame *chain; /* conditions being evaluated, innermost first */
	int chain_len;
	struct strmap *cycles;    /* conditions whose cycle is reported (once each) */
};

static struct value *resolve(struct rctx *c, const struct node *n);
static struct value *entry_value(struct rctx *c, const struct node *n, struct pos pos);
static enum tri cond_named(struct rctx *c, const char *name, struct pos pos);

/* ---- small helpers ---- */

/* Does the text hold a secure dynamic reference ({{resolve:secretsmanager:...}})? */
static bool has_secure_ref(const char *s, size_t len)
{
	return s && (memmem(s, len, "{{resolve:secretsmanager:", 25) || memmem(s, len, "{{resolve:ssm-secure:", 21));
}

static struct value *mkstr(struct arena *a, const char *s, size_t len, struct pos pos)
{
	struct value *v = val_string(a, s, len, pos);
	if (has_secure_ref(s, len))
		v->secure_ref = true;
	return v;
}

/* A shallow copy of v placed at pos (a parameter value where it is used). */
static struct value *copy_at(struct arena *a, const struct value *v, struct pos pos)
{
	struct value *c = arena_alloc(a, sizeof *c);
	*c = *v;
	c->pos = pos;
	return c;
}

static void refs_add_one(struct arena *a, struct value *dst, const char *id)
{
	for (size_t i = 0; i < dst->nrefs; i++)
		if (strcmp(dst->refs[i], id) == 0)
			return;
	dst->refs = arena_grow(a, (void *)dst->refs, dst->nrefs, dst->nrefs + 1, sizeof *dst->refs);
	dst->refs[dst->nrefs++] = id;
}

/* Add src's resource references (recursively through lists, maps, choices) to dst. */
static void refs_add(struct arena *a, struct value *dst, const struct value *src, int depth)
{
	if (!src || depth > RESOLVE_MAX_DEPTH)
		return;
	for (size_t i = 0; i < src->nrefs; i++)
		refs_add_one(a, dst, src->refs[i]);
	if (src->secure_ref)
		dst->secure_ref = true;
	if (src->kind == VAL_LIST || src->kind == VAL_CHOICE)
		for (size_t i = 0; i < src->n; i++)
			refs_add(a, dst, src->items[i], depth + 1);
	else if (src->kind == VAL_MAP)
		for (size_t i = 0; i < src->n; i++)
			refs_add(a, dst, src->pairs[i].v, depth + 1);
}

/* An unknown; expr and why (literals or arena text) are kept, not copied. */
static struct value *unknown(struct rctx *c, struct pos pos, const char *expr, const char *why)
{
	struct value *v = val_new(c->a, VAL_UNKNOWN, pos);
	v->s = expr ? expr : "";
	v->len = strlen(v->s);
	v->why = why;
	return v;
}

/* An unknown for a malformed function call: the error is already reported. */
static struct value *bad_call(struct rctx *c, struct pos pos, const char *fn)
{
	return unknown(c, pos, arena_printf(c->a, "!%s ...", fn + (strncmp(fn, "Fn::", 4) ? 0 : 4)),
		       "invalid intrinsic function arguments");
}

static const char *short_name(const char *fn)
{
	return strncmp(fn, "Fn::", 4) == 0 ? fn + 4 : fn;
}


/* Text of a known scalar (string, number, bool, null as ""), or NULL. */
static const char *scalar_text(const struct value *v, size_t *len)
{
	if (!v)
		return NULL;
	switch (v->kind) {
	case VAL_STRING:
	case VAL_NUMBER:
		*len = v->len;
		return v->s ? v->s : "";
	case VAL_BOOL:
		*len = v->b ? 4 : 5;
		return v->b ? "true" : "false";
	default:
		return NULL;
	}
}

static bool is_partial(const struct value *v)
{
	return v && v->kind == VAL_UNKNOWN && v->why &&
	       strncmp(v->why, partial_prefix, sizeof partial_prefix - 1) == 0;
}

/*
 * Write an unknown part of a string being built (Fn::Join) the way Fn::Sub
 * would name it: ${Res}, ${Res.Attr}, ${Param}, ${AWS::Partition}, or the
 * partly known string itself.
 */
static void put_placeholder(struct strbuf *sb, const struct value *v)
{
	if (!v) {
		sb_puts(sb, "${?}");
		return;
	}
	if (v->kind == VAL_REF) {
		if (v->attr)
			sb_printf(sb, "${%s.%s}", v->s, v->attr);
		else
			sb_printf(sb, "${%s}", v->s);
		return;
	}
	if (is_partial(v)) {
		sb_append(sb, v->s, v->len);
		return;
	}
	if (v->param) {
		sb_printf(sb, "${%s}", v->param);
		return;
	}
	if (v->kind == VAL_UNKNOWN && v->s && strncmp(v->s, "!Ref ", 5) == 0) {
		sb_printf(sb, "${%s}", v->s + 5);
		return;
	}
	if (v->kind == VAL_UNKNOWN && v->s && v->len) {
		sb_printf(sb, "${%s}", v->s);
		return;
	}
	sb_puts(sb, v->kind == VAL_CHOICE ? "${Fn::If}" : "${?}");
}

/* The why of a string built around unknown parts, from its first unknown part. */
static const char *partial_why(struct rctx *c, const struct value *first)
{
	const char *inner = "value known only at deploy";
	if (first && first->kind == VAL_REF)
		inner = arena_printf(c->a, "refers to resource %s", first->s);
	else if (is_partial(first))
		return first->why;
	else if (first && first->why)
		inner = first->why;
	else if (first && first->kind == VAL_CHOICE)
		inner = "depends on an undecided condition";
	return arena_printf(c->a, "%s%s", partial_prefix, inner);
}

/* ---- parameters ---- */

struct param *model_find_param(const struct stack *s, const char *name)
{
	for (size_t i = 0; i < s->nparams; i++)
		if (strcmp(s->params[i].name, name) == 0)
			return &s->params[i];
	return NULL;
}

bool model_param_is_list(const char *type)
{
	return type && (strcmp(type, "CommaDelimitedList") == 0 || strncmp(type, "List<", 5) == 0);
}

struct value *model_split_list(struct arena *a, const char *s, size_t len, struct pos pos)
{
	struct value *l = val_new(a, VAL_LIST, pos);
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == ',';
	l->items = arena_array(a, n, sizeof *l->items);
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		size_t b = start, e = i;
		while (b < e && (s[b] == ' ' || s[b] == '\t'))
			b++;
		while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		l->items[l->n++] = mkstr(a, s + b, e - b, pos);
		start = i + 1;
	}
	return l;
}

static bool is_ssm_type(const char *type)
{
	return type && strncmp(type, "AWS::SSM::Parameter::Value<", 27) == 0;
}

/* The value a Ref to parameter p gives at pos. */
static struct value *param_value(struct rctx *c, struct param *p, struct pos pos)
{
	struct value *v;
	if (is_ssm_type(p->type)) {
		v = unknown(c, pos, arena_printf(c->a, "!Ref %s", p->name), "resolved from SSM at deploy");
		v->param = p->name;
		return v;
	}
	if (p->override || p->def) {
		v = copy_at(c->a, p->override ? p->override : p->def, pos);
		v->param = p->name;
		return v;
	}
	if (p->allowed && p->allowed->kind == NODE_SEQ && p->allowed->n > 0 && !model_param_is_list(p->type)) {
		struct value *ch = val_new(c->a, VAL_CHOICE, pos);
		ch->items = arena_array(c->a, p->allowed->n, sizeof *ch->items);
		for (size_t i = 0; i < p->allowed->n; i++) {
			struct value *it = model_literal(c->a, p->allowed->items[i]);
			if (!it)
				continue;
			it = copy_at(c->a, it, pos);
			it->param = p->name;
			ch->items[ch->n++] = it;
		}
		ch->param = p->name;
		if (ch->n == 1)
			return ch->items[0];
		return ch;
	}
	if (!p->ref_text) { /* made once per parameter, shared by every Ref */
		p->ref_text = arena_printf(c->a, "!Ref %s", p->name);
		p->no_default = arena_printf(c->a, "parameter %s has no Default", p->name);
	}
	v = unknown(c, pos, p->ref_text, p->no_default);
	v->param = p->name;
	if (p->noecho)
		v->secure_ref = true;
	return v;
}

/* ---- names: pseudo parameters, parameters, resources ---- */

static struct value *ref_value(struct rctx *c, const char *id, const char *attr, struct pos pos)
{
	struct value *v = val_new(c->a, VAL_REF, pos);
	v->s = id;
	v->len = strlen(id);
	v->attr = attr;
	v->refs = &v->s; /* the one resource it mentions: its own target */
	v->nrefs = 1;
	return v;
}

/*
 * A logical ID the SAM transform will create (ServerlessRestApi,
 * <Function>Role, <Function>.Alias...).  Only meaningful before expansion.
 */
bool model_sam_implicit(const struct stack *s, const char *name)
{
	if (!s->sam)
		return false;
	if (!strcmp(name, "ServerlessRestApi") || !strcmp(name, "ServerlessHttpApi") ||
	    !strncmp(name, "ServerlessRestApi", 17) || !strncmp(name, "ServerlessHttpApi", 17))
		return true;
	size_t nl = strlen(name);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (strncmp(r->source_type, "AWS::Serverless::", 17) != 0)
			continue;
		/*
		 * <Id> then a CamelCase or dotted suffix (FnRole, FnApiEventPermission,
		 * Fn.Alias) or a stage of any name (<Api>devStage).
		 */
		size_t il = strlen(r->source_id);
		if (nl > il && strncmp(name, r->source_id, il) == 0 &&
		    ((name[il] >= 'A' && name[il] <= 'Z') || (name[il] >= '0' && name[il] <= '9') || name[il] == '.' ||
		     (nl - il > 5 && strcmp(name + nl - 5, "Stage") == 0)))
			return true;
	}
	return false;
}

/* Declared under Resources but not in the stack (its condition is false). */
static bool declared_dropped(const struct stack *s, const char *name)
{
	const struct node *res = node_get(s->root, "Resources");
	return node_get(res, name) != NULL;
}

static struct value *pseudo_value(struct rctx *c, const char *name, struct pos pos)
{
	static const struct {
		const char *name, *ref, *why;
	} pseudo[] = {
#define PSEUDO(n) {"AWS::" n, "!Ref AWS::" n, "pseudo parameter AWS::" n " is known only at deploy"}
		PSEUDO("Region"), PSEUDO("AccountId"), PSEUDO("Partition"), PSEUDO("URLSuffix"),
		PSEUDO("StackName"), PSEUDO("StackId"), PSEUDO("NotificationARNs"),
#undef PSEUDO
	};
	const char *known = !strcmp(name, "AWS::Region") ? c->s->region
			    : !strcmp(name, "AWS::AccountId") ? c->s->account_id : NULL;
	if (known)
		return mkstr(c->a, known, strlen(known), pos);
	for (size_t i = 0; i < sizeof pseudo / sizeof *pseudo; i++)
		if (!strcmp(name, pseudo[i].name))
			return unknown(c, pos, pseudo[i].ref, pseudo[i].why);
	return NULL;
}

/*
 * What `name` names, as Ref would give it.  NULL with *novalue set for
 * AWS::NoValue; NULL alone when it names nothing (the caller reports).
 */
static struct value *lookup_name(struct rctx *c, const char *name, struct pos pos, bool *novalue)
{
	*novalue = false;
	if (!strncmp(name, "AWS::", 5)) {
		if (!strcmp(name, "AWS::NoValue")) {
			*novalue = true;
			return NULL;
		}
		return pseudo_value(c, name, pos);
	}
	struct param *p = model_find_param(c->s, name);
	if (p)
		return param_value(c, p, pos);
	struct resource *r = stack_find(c->s, name);
	if (r)
		return ref_value(c, r->id, NULL, pos);
	if (declared_dropped(c->s, name))
		return unknown(c, pos, arena_printf(c->a, "!Ref %s", name),
			       arena_printf(c->a, "resource %s is not deployed", name));
	if (model_sam_implicit(c->s, name))
		return ref_value(c, arena_strdup(c->a, name), NULL, pos);
	return NULL;
}

/*
 * CloudFormation rejects a Fn::GetAtt of an attribute the resource type does
 * not have.  Reported once per place (SAM Globals are resolved once per
 * function that inherits them).
 */
static void check_attribute(struct rctx *c, const struct resource *r, const char *attr, struct pos pos)
{
	if (cfn_type_has_attr(r->type, attr) != NO)
		return;
	const char *where = arena_printf(c->a, "%d:%d", pos.line, pos.col);
	if (strmap_get(&c->s->getatt_reported, where))
		return;
	strmap_put(&c->s->getatt_reported, where, (void *)1);
	const struct cfn_type_attrs *t = cfn_type_find(r->type);
	diag_error(c->d, pos, "Fn::GetAtt %s.%s: %s has no attribute %s (its attributes: %s)", r->id, attr, r->type,
		   attr, t && *t->attrs ? t->attrs : "none");
}

/*
 * A resource for GetAtt (attr NULL: a name known only at deploy): VAL_REF,
 * an unknown for a dropped one, NULL for nothing.
 */
static struct value *getatt_value(struct rctx *c, const char *id, const char *attr, struct pos pos)
{
	struct resource *r = stack_find(c->s, id);
	if (r && attr)
		check_attribute(c, r, attr, pos);
	if (!attr)
		attr = "?";
	if (r)
		return ref_value(c, r->id, attr, pos);
	if (declared_dropped(c->s, id))
		return unknown(c, pos, arena_printf(c->a, "!GetAtt %s.%s", id, attr),
			       arena_printf(c->a, "resource %s is not deployed", id));
	if (model_sam_implicit(c->s, id))
		return ref_value(c, arena_strdup(c->a, id), attr, pos);
	return NULL;
}

/* ---- intrinsic functions ---- */

static struct value *fn_ref(struct rctx *c, const struct node *arg, struct pos pos)
{
	const char *name = node_str(arg);
	if (!name) {
		diag_error(c->d, arg->pos, "Ref needs a parameter or resource name, not a %s", node_kind_name(arg->kind));
		return bad_call(c, pos, "Ref");
	}
	bool novalue;
	struct value *v = lookup_name(c, name, pos, &novalue);
	if (novalue)
		return NULL;
	if (!v) {
		diag_error(c->d, pos, "Ref to '%s', which is not a parameter or resource", name);
		return unknown(c, pos, arena_printf(c->a, "!Ref %s", name),
			       arena_printf(c->a, "'%s' is not a parameter or resource", name));
	}
	return v;
}

static struct value *fn_getatt(struct rctx *c, const struct node *arg, struct pos pos)
{
	const char *id = NULL, *attr = NULL;
	struct value *attrv = NULL;
	if (arg->kind == NODE_STRING) {
		const char *dot = strchr(arg->str, '.');
		if (dot) {
			id = arena_strndup(c->a, arg->str, (size_t)(dot - arg->str));
			attr = dot + 1;
		}
	} else if (arg->kind == NODE_SEQ && arg->n == 2 && node_str(arg->items[0])) {
		id = arg->items[0]->str;
		if (arg->items[1]->kind == NODE_STRING) {
			attr = arg->items[1]->str;
		} else {
			attrv = resolve(c, arg->items[1]);
			size_t len;
			attr = scalar_text(attrv, &len);
		}
	}
	if (!id || (!attr && !attrv)) {
		diag_error(c->d, arg->pos, "Fn::GetAtt needs [Resource, Attribute]");
		return bad_call(c, pos, "Fn::GetAtt");
	}
	struct value *v = getatt_value(c, id, attr, pos);
	if (!v) {
		diag_error(c->d, pos, "Fn::GetAtt to '%s', which is not a resource", id);
		return unknown(c, pos, arena_printf(c->a, "!GetAtt %s.%s", id, attr ? attr : "?"),
			       arena_printf(c->a, "'%s' is not a resource", id));
	}
	if (!attr && v->kind == VAL_REF) {
		/* The attribute name is itself unknown: the resource is still known. */
		struct value *u = unknown(c, pos, arena_printf(c->a, "!GetAtt %s.%s", id, val_render(c->a, attrv)),
					  "attribute name known only at deploy");
		refs_add(c->a, u, v, 0);
		refs_add(c->a, u, attrv, 0);
		return u;
	}
	return v;
}

/* The variables of a Fn::Sub, each resolved once (AWS::NoValue gives NULL). */
struct sub_vars {
	const struct node *map;
	struct value **v;
};

/* One ${...} name of a Fn::Sub: its value (an unknown after a diagnostic when it names nothing). */
static struct value *sub_var(struct rctx *c, const char *name, const struct sub_vars *vars, struct pos pos)
{
	for (size_t i = vars->map ? vars->map->n : 0; i-- > 0;) { /* the last duplicate wins */
		if (strcmp(vars->map->pairs[i].key->str, name) != 0)
			continue;
		if (!vars->v[i])
			return unknown(c, vars->map->pairs[i].value->pos, "!Ref AWS::NoValue",
				       "AWS::NoValue in a Fn::Sub variable");
		return vars->v[i];
	}
	const char *dot = strchr(name, '.');
	if (dot && strncmp(name, "AWS::", 5) != 0) {
		char *id = arena_strndup(c->a, name, (size_t)(dot - name));
		struct value *v = getatt_value(c, id, dot + 1, pos);
		if (v)
			return v;
	} else {
		bool novalue;
		struct value *v = lookup_name(c, name, pos, &novalue);
		if (v)
			return v;
		if (novalue)
			return unknown(c, pos, "!Ref AWS::NoValue", "AWS::NoValue in Fn::Sub");
	}
	diag_error(c->d, pos, "Fn::Sub: '${%s}' names no parameter, resource or variable", name);
	return unknown(c, pos, arena_printf(c->a, "${%s}", name), arena_printf(c->a, "'%s' names nothing", name));
}

static struct value *too_long(struct rctx *c, struct pos pos, const char *fn)
{
	return unknown(c, pos, arena_printf(c->a, "!%s ...", short_name(fn)), "result larger than 1 MB");
}

/*
 * Strings built by Fn::Sub and Fn::Join: a sequence of parts, each literal
 * text or a value.  Known values are substituted; unknown ones are written
 * as ${...} (as written in a Fn::Sub, or named by put_placeholder).  An
 * undecided Fn::If among the values gives a VAL_CHOICE of the strings, one
 * per combination, when there are few enough combinations.
 */
struct part {
	const char *text; /* literal text, when v is NULL */
	size_t len;
	struct value *v;
	const char *written; /* how a Fn::Sub placeholder was written, or NULL */
	size_t wlen;
};

struct parts {
	struct part *v; /* malloc; parts_free */
	size_t n, cap;
	const char *delim; /* Fn::Join: written between parts; a VAL_NULL part is dropped */
	size_t dlen;
	/*
	 * Fn::Join over a list written in the template: part i is made from
	 * items->items[i] when it is needed (part_at), so a list of a million
	 * strings costs no value and no part per item.
	 */
	const struct node *items;
};

/* Combinations of undecided alternatives expanded into a VAL_CHOICE at most. */
#define MAX_COMBINATIONS 16

static void parts_add(struct parts *p, const char *text, size_t len, struct value *v, const char *written,
		      size_t wlen)
{
	XGROW(p->v, p->cap, p->n + 1);
	p->v[p->n++] = (struct part){text, len, v, written, wlen};
}

static void parts_free(struct parts *p)
{
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/* Stands for an AWS::NoValue item of a Fn::Join list: dropped like a null. */
static struct value novalue_item = {.kind = VAL_NULL};

/* Is this a scalar written as is (no function), whose text is its value? */
static bool plain_scalar(const struct node *n)
{
	return n->kind == NODE_STRING || n->kind == NODE_NUMBER || n->kind == NODE_BOOL;
}

/* A Join item as a part: its text, with the value when it matters (unknown, secret, parameter). */
static struct part item_part(struct value *it)
{
	struct part pt = {0};
	if (!it) {
		pt.v = &novalue_item;
		return pt;
	}
	size_t tl;
	const char *t = scalar_text(it, &tl);
	if (t) {
		pt.text = t;
		pt.len = tl;
		pt.v = it->secure_ref || it->param ? it : NULL;
	} else {
		pt.v = it;
	}
	return pt;
}

/* Part i of p. */
static struct part part_at(struct rctx *c, const struct parts *p, size_t i)
{
	if (!p->items)
		return p->v[i];
	const struct node *n = p->items->items[i];
	if (plain_scalar(n) && !has_secure_ref(n->str, n->len)) {
		struct part pt = {0};
		pt.text = n->kind == NODE_BOOL ? (n->boolean ? "true" : "false") : n->str;
		pt.len = n->kind == NODE_BOOL ? strlen(pt.text) : n->len;
		return pt;
	}
	return item_part(resolve(c, n)); /* a function call: memoized, resolved once */
}

/* One string from the parts, choices resolved by sel[] (NULL: choices stay unknown). */
static struct value *assemble_one(struct rctx *c, const struct parts *p, const size_t *sel, struct pos pos,
				  const char *fn)
{
	struct strbuf out = STRBUF_INIT;
	struct value *acc = val_new(c->a, VAL_UNKNOWN, pos); /* collects refs and secure_ref */
	struct value *first_unknown = NULL;
	const char *hidden = NULL; /* a NoEcho parameter whose value is in the text */
	size_t k = 0, emitted = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct part part = part_at(c, p, i), *pt = &part;
		if (p->delim) {
			/* Fn::Join: an AWS::NoValue alternative removes the item. */
			const struct value *pv = pt->v;
			if (pv && pv->kind == VAL_CHOICE && sel)
				pv = pv->items[sel[k]];
			if (pv && pv->kind == VAL_NULL) {
				k += pt->v->kind == VAL_CHOICE && sel;
				continue;
			}
			if (emitted++)
				sb_append(&out, p->delim, p->dlen);
		}
		if (!pt->v) {
			sb_append(&out, pt->text, pt->len);
		} else {
			struct value *v = pt->v;
			if (v->kind == VAL_CHOICE && sel)
				v = v->items[sel[k++]];
			size_t tl;
			const char *t = v->kind == VAL_NULL ? "" : scalar_text(v, &tl);
			if (v->kind == VAL_NULL)
				tl = 0;
			if (t) {
				sb_append(&out, t, tl);
				if (v->secure_ref)
					acc->secure_ref = true;
				if (v->param && !hidden) {
					const struct param *pp = model_find_param(c->s, v->param);
					if (pp && pp->noecho)
						hidden = pp->name;
				}
			} else {
				if (pt->written)
					sb_append(&out, pt->written, pt->wlen);
				else
					put_placeholder(&out, v);
				if (!first_unknown)
					first_unknown = v;
				refs_add(c->a, acc, v, 0);
			}
		}
		if (out.len > MODEL_MAX_STRING) {
			sb_free(&out);
			struct value *r = too_long(c, pos, fn);
			for (size_t j = 0; j < p->n; j++)
				refs_add(c->a, r, part_at(c, p, j).v, 0);
			return r;
		}
	}
	struct value *res;
	if (first_unknown) {
		res = val_unknown(c->a, pos, NULL, partial_why(c, first_unknown));
		res->s = arena_strndup(c->a, out.s ? out.s : "", out.len);
		res->len = out.len;
		res->refs = acc->refs;
		res->nrefs = acc->nrefs;
		res->secure_ref = acc->secure_ref || has_secure_ref(res->s, res->len);
	} else {
		res = mkstr(c->a, out.s ? out.s : "", out.len, pos);
		if (acc->secure_ref)
			res->secure_ref = true;
	}
	/*
	 * Text holding a NoEcho parameter's default names that parameter, so
	 * val_render shows "!Ref DbPassword", never the secret.
	 */
	if (hidden)
		res->param = hidden;
	sb_free(&out);
	return res;
}

static struct value *assemble(struct rctx *c, const struct parts *p, struct pos pos, const char *fn)
{
	size_t nchoice = 0, combos = 1;
	for (size_t i = 0; i < p->n; i++) {
		const struct value *v = part_at(c, p, i).v;
		if (v && v->kind == VAL_CHOICE && v->n > 0) {
			nchoice++;
			combos = combos > MAX_COMBINATIONS ? combos : combos * v->n;
		}
	}
	if (nchoice == 0 || nchoice > MAX_COMBINATIONS || combos > MAX_COMBINATIONS)
		return assemble_one(c, p, NULL, pos, fn);
	size_t sel[MAX_COMBINATIONS] = {0};
	struct value *ch = val_new(c->a, VAL_CHOICE, pos);
	ch->items = arena_array(c->a, combos, sizeof *ch->items);
	for (size_t n = 0; n < combos; n++) {
		/* sel = n in the mixed radix of the choices' sizes */
		size_t rest = n, k = 0;
		for (size_t i = 0; i < p->n; i++) {
			const struct value *v = part_at(c, p, i).v;
			if (v && v->kind == VAL_CHOICE && v->n > 0) {
				sel[k++] = rest % v->n;
				rest /= v->n;
			}
		}
		struct value *one = assemble_one(c, p, sel, pos, fn);
		refs_add(c->a, ch, one, 0);
		ch->items[ch->n++] = one;
	}
	return ch;
}

/*
 * Where the placeholder at byte `off` of a Fn::Sub string was written.  Exact
 * for a long-form string on one line with nothing escaped before it; else
 * the string's own position (a short-form !Sub carries the tag's position).
 */
static struct pos sub_pos(const struct node *tmpl, struct pos call, size_t off)
{
	struct pos p = tmpl->pos;
	if (p.line == 0 || (p.line == call.line && p.col == call.col) || memchr(tmpl->str, '\n', tmpl->len))
		return p;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)tmpl->str[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '\'' || ch == '"' || ch == '\\')
			return p;
	}
	if (off > (size_t)(1 << 20))
		return p;
	p.col += (int)off + (tmpl->quoted ? 1 : 0);
	return p;
}

static struct value *fn_sub(struct rctx *c, const struct node *arg, struct pos pos)
{
	const struct node *tmpl = NULL, *vars = NULL;
	if (arg->kind == NODE_STRING) {
		tmpl = arg;
	} else if (arg->kind == NODE_SEQ && arg->n == 2 && arg->items[0]->kind == NODE_STRING &&
		   arg->items[1]->kind == NODE_MAP) {
		tmpl = arg->items[0];
		vars = arg->items[1];
	} else if (arg->kind == NODE_SEQ && arg->n == 1 && arg->items[0]->kind == NODE_STRING) {
		tmpl = arg->items[0];
	}
	if (!tmpl) {
		diag_error(c->d, arg->pos, "Fn::Sub needs a string or [string, {variables}]");
		return bad_call(c, pos, "Fn::Sub");
	}
	struct sub_vars sv = {vars, NULL};
	if (vars) {
		sv.v = arena_array(c->a, vars->n ? vars->n : 1, sizeof *sv.v);
		for (size_t k = 0; k < vars->n; k++)
			sv.v[k] = resolve(c, vars->pairs[k].value);
	}
	const char *s = tmpl->str;
	size_t len = tmpl->len;
	struct parts p = {0};
	size_t nplace = 0;
	bool literal_text = false;
	struct value *single = NULL;
	size_t i = 0;
	while (i < len) {
		const char *ph = memmem(s + i, len - i, "${", 2);
		size_t lit_end = ph ? (size_t)(ph - s) : len;
		if (lit_end > i) {
			parts_add(&p, s + i, lit_end - i, NULL, NULL, 0);
			literal_text = true;
		}
		if (!ph)
			break;
		size_t open = lit_end;
		const char *close = memchr(s + open + 2, '}', len - open - 2);
		if (!close) {
			/* No closing brace: the rest is text, as CloudFormation leaves it. */
			parts_add(&p, s + open, len - open, NULL, NULL, 0);
			literal_text = true;
			break;
		}
		size_t inner = open + 2, inner_end = (size_t)(close - s);
		i = inner_end + 1;
		if (inner < inner_end && s[inner] == '!') {
			/* ${!Literal} -> ${Literal} */
			parts_add(&p, "${", 2, NULL, NULL, 0);
			parts_add(&p, s + inner + 1, inner_end - inner, NULL, NULL, 0); /* "Literal}" */
			literal_text = true;
			continue;
		}
		size_t b = inner, e = inner_end;
		while (b < e && s[b] == ' ')
			b++;
		while (e > b && s[e - 1] == ' ')
			e--;
		char *name = arena_strndup(c->a, s + b, e - b);
		struct value *v = sub_var(c, name, &sv, sub_pos(tmpl, pos, open));
		nplace++;
		single = v;
		/* A variable of the Fn::Sub map names nothing outside this Fn::Sub: an
		 * unknown value is written as what it stands for (${Table}), not as the
		 * variable's local name (${tableName}). */
		bool local = false;
		for (size_t k = 0; vars && k < vars->n; k++)
			local |= strcmp(vars->pairs[k].key->str, name) == 0;
		parts_add(&p, NULL, 0, v, local ? NULL : s + open, local ? 0 : i - open);
		if (p.n > MODEL_MAX_STRING / 2) {
			parts_free(&p);
			return too_long(c, pos, "Fn::Sub");
		}
	}
	struct value *res;
	if (nplace == 1 && !literal_text && single)
		res = copy_at(c->a, single, pos); /* "${X}" alone is X itself (a resource stays a reference) */
	else
		res = assemble(c, &p, pos, "Fn::Sub");
	parts_free(&p);
	return res;
}

/*
 * Fn::Join over a list written in the template: each item that is not a
 * plain scalar is resolved (and memoized) here, the first that is not a
 * string reported; the parts are then made from the items as assembled.
 */
static struct value *join_written(struct rctx *c, const struct node *list, const char *dt, size_t dl,
				  struct pos pos)
{
	const struct value *bad = NULL;
	for (size_t i = 0; i < list->n; i++) {
		if (plain_scalar(list->items[i]))
			continue;
		const struct value *it = resolve(c, list->items[i]);
		if (!bad && it && (it->kind == VAL_LIST || it->kind == VAL_MAP || it->kind == VAL_NULL))
			bad = it;
	}
	if (bad) {
		diag_error(c->d, bad->pos, "Fn::Join: a list item is a %s, not a string", val_kind_name(bad->kind));
		return bad_call(c, pos, "Fn::Join");
	}
	struct parts p = {.delim = dt, .dlen = dl, .items = list, .n = list->n};
	return assemble(c, &p, pos, "Fn::Join");
}

static struct value *fn_join(struct rctx *c, const struct node *arg, struct pos pos)
{
	if (arg->kind != NODE_SEQ || arg->n != 2) {
		diag_error(c->d, arg->pos, "Fn::Join needs [delimiter, [values...]]");
		return bad_call(c, pos, "Fn::Join");
	}
	struct value *delim = resolve(c, arg->items[0]);
	const struct node *ln = arg->items[1];
	bool written = ln->kind == NODE_SEQ;
	struct value *list = written ? NULL : resolve(c, ln);
	size_t dl = 0;
	const char *dt = scalar_text(delim, &dl);
	if (!dt || (list && list->kind != VAL_LIST && !val_is_unknown(list))) {
		if (!dt && delim && val_is_unknown(delim)) {
			struct value *u = unknown(c, pos, "!Join ...", "delimiter known only at deploy");
			refs_add(c->a, u, delim, 0);
			refs_add(c->a, u, written ? resolve(c, ln) : list, 0);
			return u;
		}
		diag_error(c->d, arg->pos, "Fn::Join needs a string delimiter and a list of values");
		return bad_call(c, pos, "Fn::Join");
	}
	if (written)
		return join_written(c, ln, dt, dl, pos);
	if (!list) /* !Join [",", !Ref AWS::NoValue] */
		return mkstr(c->a, "", 0, pos);
	if (list->kind != VAL_LIST) {
		struct value *u = unknown(c, pos, arena_printf(c->a, "!Join [\"%.*s\", %s]", (int)dl, dt,
							       val_render(c->a, list)),
					  list->why ? list->why : "list known only at deploy");
		refs_add(c->a, u, list, 0);
		return u;
	}
	struct parts p = {.delim = dt, .dlen = dl};
	for (size_t i = 0; i < list->n; i++) {
		struct value *it = list->items[i];
		if (!scalar_text(it, &(size_t){0}) &&
		    (it->kind == VAL_LIST || it->kind == VAL_MAP || it->kind == VAL_NULL)) {
			diag_error(c->d, it->pos, "Fn::Join: a list item is a %s, not a string", val_kind_name(it->kind));
			parts_free(&p);
			return bad_call(c, pos, "Fn::Join");
		}
		struct part pt = item_part(it);
		parts_add(&p, pt.text, pt.len, pt.v, NULL, 0);
	}
	struct value *res = assemble(c, &p, pos, "Fn::Join");
	parts_free(&p);
	return res;
}

static struct value *fn_select(struct rctx *c, const struct node *arg, struct pos pos)
{
	if (arg->kind != NODE_SEQ || arg->n != 2) {
		diag_error(c->d, arg->pos, "Fn::Select needs [index, [values...]]");
		return bad_call(c, pos, "Fn::Select");
	}
	struct value *idx = resolve(c, arg->items[0]);
	struct value *list = resolve(c, arg->items[1]);
	double d = 0;
	enum tri t = val_number(idx, &d);
	if (t == NO || (t == YES && (d < 0 || d != floor(d) || d > 1e9))) {
		diag_error(c->d, arg->items[0]->pos, "Fn::Select: the index must be a non-negative integer");
		return bad_call(c, pos, "Fn::Select");
	}
	if (list && list->kind != VAL_LIST && !val_is_unknown(list)) {
		diag_error(c->d, arg->items[1]->pos, "Fn::Select: the second argument must be a list");
		return bad_call(c, pos, "Fn::Select");
	}
	if (t != YES || !list || list->kind != VAL_LIST) {
		struct value *u = unknown(c, pos, arena_printf(c->a, "!Select [%s, %s]", val_render(c->a, idx),
							       val_render(c->a, list)),
					  list && list->why ? list->why : "list or index known only at deploy");
		refs_add(c->a, u, idx, 0);
		refs_add(c->a, u, list, 0);
		return u;
	}
	size_t i = (size_t)d;
	if (i >= list->n) {
		diag_error(c->d, arg->items[0]->pos, "Fn::Select: index %zu is out of range (the list has %zu items)",
			   i, list->n);
		return bad_call(c, pos, "Fn::Select");
	}
	return list->items[i];
}

static struct value *fn_split(struct rctx *c, const struct node *arg, struct pos pos)
{
	if (arg->kind != NODE_SEQ || arg->n != 2) {
		diag_error(c->d, arg->pos, "Fn::Split needs [delimiter, string]");
		return bad_call(c, pos, "Fn::Split");
	}
	struct value *delim = resolve(c, arg->items[0]);
	struct value *src = resolve(c, arg->items[1]);
	size_t dl = 0, sl = 0;
	const char *dt = scalar_text(delim, &dl);
	const char *st = scalar_text(src, &sl);
	if (!dt || dl == 0 || (!st && !val_is_unknown(src))) {
		if (dt && dl > 0 && !src)
			st = "", sl = 0;
		else {
			diag_error(c->d, arg->pos, "Fn::Split needs a non-empty delimiter and a string");
			return bad_call(c, pos, "Fn::Split");
		}
	}
	if (!st) {
		struct value *u = unknown(c, pos, arena_printf(c->a, "!Split [\"%.*s\", %s]", (int)dl, dt,
							       val_render(c->a, src)),
					  src->why ? src->why : "string known only at deploy");
		refs_add(c->a, u, src, 0);
		return u;
	}
	struct value *l = val_new(c->a, VAL_LIST, pos);
	size_t n = 1;
	for (const char *p = st; (p = memmem(p, sl - (size_t)(p - st), dt, dl)); p += dl)
		n++;
	l->items = arena_array(c->a, n, sizeof *l->items);
	size_t start = 0;
	while (l->n < n) {
		const char *p = l->n + 1 < n ? memmem(st + start, sl - start, dt, dl) : NULL;
		size_t end = p ? (size_t)(p - st) : sl;
		l->items[l->n++] = mkstr(c->a, st + start, end - start, pos);
		start = end + dl;
	}
	return l;
}

/* The mapping entry for three known keys, or NULL. */
static const struct node *mapping_entry(const struct stack *s, const char *k0, const char *k1, const char *k2)
{
	return node_get(node_get(node_get(s->mappings, k0), k1), k2);
}

/*
 * Fn::FindInMap whose keys are undecided choices of known strings (a
 * parameter with AllowedValues and no Default): a VAL_CHOICE of the
 * entries, when there are few enough.  NULL when that does not apply.
 */
static struct value *findinmap_choice(struct rctx *c, struct value *k[3], const struct node *dflt, struct pos pos)
{
	size_t combos = 1;
	for (int i = 0; i < 3; i++) {
		size_t len;
		if (scalar_text(k[i], &len))
			continue;
		if (!k[i] || k[i]->kind != VAL_CHOICE || k[i]->n == 0)
			return NULL;
		for (size_t j = 0; j < k[i]->n; j++)
			if (!scalar_text(k[i]->items[j], &len))
				return NULL;
		combos *= k[i]->n;
		if (combos > MAX_COMBINATIONS)
			return NULL;
	}
	struct value *ch = val_new(c->a, VAL_CHOICE, pos);
	ch->items = arena_array(c->a, combos, sizeof *ch->items);
	for (size_t n = 0; n < combos; n++) {
		const char *kt[3];
		size_t rest = n, len;
		for (int i = 0; i < 3; i++) {
			const struct value *ki = k[i];
			if (ki->kind == VAL_CHOICE) {
				ki = ki->items[rest % k[i]->n];
				rest /= k[i]->n;
			}
			kt[i] = scalar_text(ki, &len);
		}
		const struct node *leaf = mapping_entry(c->s, kt[0], kt[1], kt[2]);
		struct value *v = NULL;
		if (leaf)
			v = entry_value(c, leaf, pos);
		else if (dflt)
			v = resolve(c, dflt);
		if (!v)
			v = unknown(c, pos, arena_printf(c->a, "!FindInMap [%s, %s, %s]", kt[0], kt[1], kt[2]),
				    "no such mapping entry");
		ch->items[ch->n++] = v;
	}
	return ch;
}

static struct value *fn_findinmap(struct rctx *c, const struct node *arg, struct pos pos)
{
	if (arg->kind != NODE_SEQ || (arg->n != 3 && arg->n != 4)) {
		diag_error(c->d, arg->pos, "Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]");
		return bad_call(c, pos, "Fn::FindInMap");
	}
	const struct node *dflt = NULL;
	if (arg->n == 4) {
		dflt = node_get(arg->items[3], "DefaultValue");
		if (!dflt) {
			diag_error(c->d, arg->items[3]->pos, "Fn::FindInMap: the fourth argument must be {DefaultValue: ...}");
			return bad_call(c, pos, "Fn::FindInMap");
		}
	}
	struct value *k[3];
	const char *kt[3];
	bool known = true;
	struct value *u = NULL;
	for (int i = 0; i < 3; i++) {
		k[i] = resolve(c, arg->items[i]);
		size_t kl;
		kt[i] = scalar_text(k[i], &kl);
		if (!kt[i]) {
			if (k[i] && val_is_unknown(k[i])) {
				known = false;
				continue;
			}
			diag_error(c->d, arg->items[i]->pos, "Fn::FindInMap: keys must be strings");
			return bad_call(c, pos, "Fn::FindInMap");
		}
	}
	if (!known) {
		u = findinmap_choice(c, k, dflt, pos);
		if (u)
			return u;
		u = unknown(c, pos, arena_printf(c->a, "!FindInMap [%s, %s, %s]", val_render(c->a, k[0]),
						 val_render(c->a, k[1]), val_render(c->a, k[2])),
			    "mapping key known only at deploy");
		for (int i = 0; i < 3; i++)
			refs_add(c->a, u, k[i], 0);
		return u;
	}
	const struct node *m = node_get(c->s->mappings, kt[0]);
	const struct node *top = m ? node_get(m, kt[1]) : NULL;
	const struct node *leaf = top ? node_get(top, kt[2]) : NULL;
	if (!leaf) {
		if (dflt)
			return resolve(c, dflt);
		if (!m)
			diag_error(c->d, arg->items[0]->pos, "Fn::FindInMap: no mapping '%s'", kt[0]);
		else if (!top)
			diag_error(c->d, arg->items[1]->pos, "Fn::FindInMap: mapping '%s' has no key '%s'", kt[0], kt[1]);
		else
			diag_error(c->d, arg->items[2]->pos, "Fn::FindInMap: mapping '%s' key '%s' has no '%s'", kt[0],
				   kt[1], kt[2]);
		return unknown(c, pos, arena_printf(c->a, "!FindInMap [%s, %s, %s]", kt[0], kt[1], kt[2]),
			       "no such mapping entry");
	}
	return entry_value(c, leaf, pos);
}

/* Functions rampart does not evaluate: unknown, with their argument's references. */
static struct value *fn_opaque(struct rctx *c, const char *fn, const struct node *arg, struct pos pos,
			       const char *why)
{
	struct value *a = resolve(c, arg);
	const char *shown = a && a->kind == VAL_STRING && !a->param ? a->s : val_render(c->a, a);
	struct value *u = unknown(c, pos, arena_printf(c->a, "!%s %s", short_name(fn), shown), why);
	refs_add(c->a, u, a, 0);
	return u;
}

static struct value *fn_if(struct rctx *c, const struct node *arg, struct pos pos)
{
	if (arg->kind != NODE_SEQ || arg->n != 3 || !node_str(arg->items[0])) {
		diag_error(c->d, arg->pos, "Fn::If needs [ConditionName, value if true, value if false]");
		return bad_call(c, pos, "Fn::If");
	}
	if (c->in_condition) {
		diag_error(c->d, pos, "Fn::If cannot be used in a condition");
		return bad_call(c, pos, "Fn::If");
	}
	const char *name = arg->items[0]->str;
	enum tri t;
	if (!node_get(node_get(c->s->root, "Conditions"), name)) {
		diag_error(c->d, arg->items[0]->pos, "Fn::If: condition '%s' is not defined", name);
		t = MAYBE;
	} else {
		t = stack_condition(c->s, name);
	}
	if (t == YES)
		return resolve(c, arg->items[1]);
	if (t == NO)
		return resolve(c, arg->items[2]);
	struct value *ch = val_new(c->a, VAL_CHOICE, pos);
	ch->items = arena_array(c->a, 2, sizeof *ch->items);
	for (int i = 0; i < 2; i++) {
		struct value *b = resolve(c, arg->items[1 + i]);
		if (!b)
			b = val_new(c->a, VAL_NULL, arg->items[1 + i]->pos);
		refs_add(c->a, ch, b, 0);
		ch->items[ch->n++] = b;
	}
	/* Secure or not is a property of each alternative, not of the choice. */
	ch->secure_ref = false;
	return ch;
}

/* Condition functions used as values (Fn::Equals etc. outside Conditions). */
static enum tri cond_node(struct rctx *c, const struct node *n);

static struct value *fn_condition_value(struct rctx *c, const struct node *call, struct pos pos)
{
	enum tri t = cond_node(c, call);
	if (t == MAYBE)
		return unknown(c, pos, "!Equals ...", "depends on an undecided condition");
	return val_bool(c->a, t == YES, pos);
}

static struct value *call_fn(struct rctx *c, const char *fn, const struct node *call)
{
	const struct node *arg = call->pairs[0].value;
	struct pos pos = call->pos;
	if (!strcmp(fn, "Ref"))
		return fn_ref(c, arg, pos);
	if (!strcmp(fn, "Fn::GetAtt"))
		return fn_getatt(c, arg, pos);
	if (!strcmp(fn, "Fn::Sub"))
		return fn_sub(c, arg, pos);
	if (!strcmp(fn, "Fn::Join"))
		return fn_join(c, arg, pos);
	if (!strcmp(fn, "Fn::Select"))
		return fn_select(c, arg, pos);
	if (!strcmp(fn, "Fn::Split"))
		return fn_split(c, arg, pos);
	if (!strcmp(fn, "Fn::FindInMap"))
		return fn_findinmap(c, arg, pos);
	if (!strcmp(fn, "Fn::If"))
		return fn_if(c, arg, pos);
	if (!strcmp(fn, "Fn::ImportValue"))
		return fn_opaque(c, fn, arg, pos, "imported from another stack");
	if (!strcmp(fn, "Fn::GetAZs"))
		return fn_opaque(c, fn, arg, pos, "availability zones are known only at deploy");
	if (!strcmp(fn, "Fn::Cidr"))
		return fn_opaque(c, fn, arg, pos, "Fn::Cidr is not evaluated");
	if (!strcmp(fn, "Fn::Base64")) {
		/*
		 * Fn::Base64 gives the inner value unencoded: rampart audits what is
		 * encoded (UserData scripts with secrets), not the encoding.
		 */
		return resolve(c, arg);
	}
	if (!strcmp(fn, "Fn::Transform") || !strcmp(fn, "Fn::Length") || !strcmp(fn, "Fn::ToJsonString") ||
	    !strcmp(fn, "Fn::ForEach"))
		return fn_opaque(c, fn, arg, pos, arena_printf(c->a, "%s is not evaluated", fn));
	if (!strcmp(fn, "Fn::Equals") || !strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or") || !strcmp(fn, "Fn::Not"))
		return fn_condition_value(c, call, pos);
	diag_error(c->d, pos, "unknown intrinsic function '%s'", fn);
	return unknown(c, pos, arena_printf(c->a, "!%s", short_name(fn)), "unknown intrinsic function");
}

/* ---- nodes ---- */

static struct value *resolve_map(struct rctx *c, const struct node *n)
{
	struct value *v = val_new(c->a, VAL_MAP, n->pos);
	v->pairs = arena_array(c->a, n->n ? n->n : 1, sizeof *v->pairs);
	for (size_t i = 0; i < n->n; i++) {
		struct value *m = resolve(c, n->pairs[i].value);
		if (!m)
			continue; /* AWS::NoValue: the property is removed */
		struct vpair *p = &v->pairs[v->n++];
		p->key = n->pairs[i].key->str;
		p->key_pos = n->pairs[i].key->pos;
		p->v = m;
	}
	return v;
}

static struct value *resolve_seq(struct rctx *c, const struct node *n)
{
	struct value *v = val_new(c->a, VAL_LIST, n->pos);
	v->items = arena_array(c->a, n->n ? n->n : 1, sizeof *v->items);
	for (size_t i = 0; i < n->n; i++) {
		struct value *it = resolve(c, n->items[i]);
		if (it)
			v->items[v->n++] = it;
	}
	return v;
}

static struct value *resolve_scalar(struct arena *a, const struct node *n)
{
	struct value *v;
	switch (n->kind) {
	case NODE_NULL:
		return val_new(a, VAL_NULL, n->pos);
	case NODE_BOOL:
		return val_bool(a, n->boolean, n->pos);
	case NODE_NUMBER:
		v = val_new(a, VAL_NUMBER, n->pos);
		v->num = n->num;
		v->s = n->str ? n->str : "";
		v->len = n->str ? n->len : 0;
		return v;
	case NODE_STRING:
		/* The text is the node's: the document outlives its values. */
		v = val_new(a, VAL_STRING, n->pos);
		v->s = n->str ? n->str : "";
		v->len = n->str ? n->len : 0;
		v->secure_ref = has_secure_ref(v->s, v->len);
		return v;
	default:
		return NULL;
	}
}

bool model_budget_spent(struct stack *s, struct diags *d, struct pos pos)
{
	if (arena_used(s->arena) - s->model_base <= MODEL_MAX_VALUE_BYTES)
		return false;
	if (!s->over_budget) {
		diag_warn(d, pos, "the template's values take more than %u MB: from here on they are not resolved "
				  "(unknown) and SAM resources are not expanded", MODEL_MAX_VALUE_BYTES / (1024 * 1024));
		s->over_budget = val_unknown(s->arena, pos, "...",
					     "not resolved: the template's values exceed rampart's memory bound");
	}
	return true;
}

/*
 * Past the budget one unknown, made once per stack and shared, stands for
 * every value not resolved (so going on costs nothing).
 */
static struct value *past_budget(struct rctx *c, const struct node *n)
{
	return model_budget_spent(c->s, c->d, n->pos) ? c->s->over_budget : NULL;
}

static struct value *resolve(struct rctx *c, const struct node *n)
{
	if (!n)
		return NULL;
	if (c->depth >= RESOLVE_MAX_DEPTH) {
		diag_error(c->d, n->pos, "values nested too deeply");
		return unknown(c, n->pos, "...", "nested too deeply");
	}
	struct value *spent = past_budget(c, n);
	if (spent)
		return spent;
	struct value *v;
	const char *fn = n->kind == NODE_MAP ? node_intrinsic(n) : NULL;
	if (fn && !strcmp(fn, "Condition"))
		fn = NULL;
	/* See struct memo: only what can be reached twice or reports errors. */
	bool memo = n->shared || fn;
	if (memo && memo_get(&c->memo, n, &v))
		return v;
	c->depth++;
	if (fn)
		v = call_fn(c, fn, n);
	else if (n->kind == NODE_MAP)
		v = resolve_map(c, n);
	else if (n->kind == NODE_SEQ)
		v = resolve_seq(c, n);
	else
		v = resolve_scalar(c->a, n);
	c->depth--;
	if (memo)
		memo_put(c->a, &c->memo, n, v);
	return v;
}

/* A node as a value, intrinsics not evaluated; c (may be NULL) bounds the memory. */
static struct value *literal(struct arena *a, struct memo *m, const struct node *n, int depth, struct rctx *c)
{
	if (!n)
		return NULL;
	struct value *spent = c ? past_budget(c, n) : NULL;
	if (spent)
		return spent;
	if (n->kind != NODE_MAP && n->kind != NODE_SEQ)
		return resolve_scalar(a, n);
	if (depth > RESOLVE_MAX_DEPTH)
		return val_unknown(a, n->pos, "...", "nested too deeply");
	struct value *v;
	if (n->shared && memo_get(m, n, &v))
		return v;
	v = val_new(a, n->kind == NODE_MAP ? VAL_MAP : VAL_LIST, n->pos);
	if (n->shared)
		memo_put(a, m, n, v);
	if (n->kind == NODE_MAP) {
		v->pairs = arena_array(a, n->n ? n->n : 1, sizeof *v->pairs);
		for (size_t i = 0; i < n->n; i++) {
			struct vpair *p = &v->pairs[v->n++];
			p->key = n->pairs[i].key->str;
			p->key_pos = n->pairs[i].key->pos;
			p->v = literal(a, m, n->pairs[i].value, depth + 1, c);
		}
	} else {
		v->items = arena_array(a, n->n ? n->n : 1, sizeof *v->items);
		for (size_t i = 0; i < n->n; i++)
			v->items[v->n++] = literal(a, m, n->items[i], depth + 1, c);
	}
	return v;
}

struct value *model_literal(struct arena *a, const struct node *n)
{
	struct memo m = {0};
	return literal(a, &m, n, 0, NULL);
}

/* A mapping entry copied into a resolution: within its memory bound. */
static struct value *entry_value(struct rctx *c, const struct node *n, struct pos pos)
{
	struct memo m = {0};
	return copy_at(c->a, literal(c->a, &m, n, 0, c), pos);
}

struct value *model_resolve(struct stack *s, const struct node *n, struct diags *d)
{
	if (!s || !n)
		return NULL;
	struct rctx c = {.s = s, .d = d, .a = s->arena};
	struct value *v = resolve(&c, n);
	if (!v) /* the whole value is AWS::NoValue */
		v = val_new(s->arena, VAL_NULL, n->pos);
	return v;
}

/* ---- conditions ---- */

/* Three-valued equality of two resolved values (CloudFormation compares strings). */
static enum tri values_equal(const struct value *a, const struct value *b, int depth)
{
	if (depth > 32)
		return MAYBE;
	if (a && a->kind == VAL_CHOICE) {
		enum tri acc = NO;
		for (size_t i = 0; i < a->n; i++) {
			enum tri t = values_equal(a->items[i], b, depth + 1);
			if (i == 0)
				acc = t;
			else if (t != acc)
				return MAYBE;
		}
		return a->n ? acc : MAYBE;
	}
	if (b && b->kind == VAL_CHOICE)
		return values_equal(b, a, depth + 1);
	if ((a && (a->kind == VAL_UNKNOWN || a->kind == VAL_REF)) ||
	    (b && (b->kind == VAL_UNKNOWN || b->kind == VAL_REF)))
		return MAYBE;
	if (a && b && a->kind == VAL_LIST && b->kind == VAL_LIST) {
		if (a->n != b->n)
			return NO;
		enum tri acc = YES;
		for (size_t i = 0; i < a->n; i++) {
			enum tri t = values_equal(a->items[i], b->items[i], depth + 1);
			if (t == NO)
				return NO;
			if (t == MAYBE)
				acc = MAYBE;
		}
		return acc;
	}
	size_t al = 0, bl = 0;
	const char *at = a && a->kind == VAL_NULL ? "" : scalar_text(a, &al);
	const char *bt = b && b->kind == VAL_NULL ? "" : scalar_text(b, &bl);
	if (!a)
		at = "";
	if (!b)
		bt = "";
	if (!at || !bt)
		return NO; /* a list or map against a scalar */
	return al == bl && memcmp(at, bt, al) == 0 ? YES : NO;
}

static enum tri cond_node(struct rctx *c, const struct node *n)
{
	const char *fn = node_intrinsic(n);
	if (!fn) {
		diag_error(c->d, n->pos, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition");
		return MAYBE;
	}
	const struct node *arg = n->pairs[0].value;
	if (!strcmp(fn, "Condition")) {
		if (!node_str(arg)) {
			diag_error(c->d, arg->pos, "Condition needs a condition name");
			return MAYBE;
		}
		return cond_named(c, arg->str, n->pos);
	}
	if (!strcmp(fn, "Fn::Equals")) {
		if (arg->kind != NODE_SEQ || arg->n != 2) {
			diag_error(c->d, arg->pos, "Fn::Equals needs [value, value]");
			return MAYBE;
		}
		struct value *a = resolve(c, arg->items[0]);
		struct value *b = resolve(c, arg->items[1]);
		return values_equal(a, b, 0);
	}
	bool is_and = !strcmp(fn, "Fn::And"), is_or = !strcmp(fn, "Fn::Or"), is_not = !strcmp(fn, "Fn::Not");
	if (!is_and && !is_or && !is_not) {
		diag_error(c->d, n->pos, "%s cannot be used in a condition", fn);
		return MAYBE;
	}
	if (arg->kind != NODE_SEQ || (is_not ? arg->n != 1 : arg->n < 1)) {
		diag_error(c->d, arg->pos, is_not ? "Fn::Not needs [condition]" : "%s needs a list of conditions", fn);
		return MAYBE;
	}
	if (c->depth >= RESOLVE_MAX_DEPTH) {
		diag_error(c->d, n->pos, "conditions nested too deeply");
		return MAYBE;
	}
	c->depth++;
	enum tri acc = is_and ? YES : NO;
	for (size_t i = 0; i < arg->n; i++) {
		enum tri t = cond_node(c, arg->items[i]);
		if (is_not)
			acc = t == MAYBE ? MAYBE : t == YES ? NO : YES;
		else if (is_and)
			acc = (acc == NO || t == NO) ? NO : (acc == MAYBE || t == MAYBE) ? MAYBE : YES;
		else
			acc = (acc == YES || t == YES) ? YES : (acc == MAYBE || t == MAYBE) ? MAYBE : NO;
	}
	c->depth--;
	return acc;
}

static void report_cycle(struct rctx *c, const char *name, struct pos pos)
{
	/* `A: !And [!Condition A, !Condition A]` meets the same cycle twice. */
	if (c->cycles) {
		if (strmap_get(c->cycles, name))
			return;
		strmap_put(c->cycles, arena_strdup(c->a, name), (void *)1);
	}
	struct strbuf sb = STRBUF_INIT;
	/* The chain is innermost first: collect frames from `name` down to the innermost. */
	const struct cond_frame *f;
	size_t n = 0;
	for (f = c->chain; f; f = f->up) {
		n++;
		if (!strcmp(f->name, name))
			break;
	}
	const char **names = arena_array(c->a, n ? n : 1, sizeof *names);
	size_t k = n;
	for (f = c->chain; f && k > 0; f = f->up)
		names[--k] = f->name;
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s -> ", names[i]);
	sb_puts(&sb, name);
	const struct node_pair *p = node_get_pair(node_get(c->s->root, "Conditions"), name);
	diag_error(c->d, p ? p->key->pos : pos, "condition cycle: %s", sb.s);
	sb_free(&sb);
}

static enum tri cond_named(struct rctx *c, const char *name, struct pos pos)
{
	void *memo = strmap_get(&c->s->conditions, name);
	if (memo == COND_BUSY) {
		report_cycle(c, name, pos);
		return MAYBE;
	}
	if (memo)
		return (enum tri)((uintptr_t)memo - 1);
	const struct node_pair *p = node_get_pair(node_get(c->s->root, "Conditions"), name);
	if (!p) {
		diag_error(c->d, pos, "condition '%s' is not defined", name);
		return MAYBE;
	}
	if (c->chain_len >= COND_MAX_CHAIN) {
		diag_error(c->d, pos, "conditions refer to each other too deeply");
		return MAYBE;
	}
	const char *key = p->key->str;
	strmap_put(&c->s->conditions, key, COND_BUSY);
	struct cond_frame f = {key, c->chain};
	c->chain = &f;
	c->chain_len++;
	enum tri t = cond_node(c, p->value);
	c->chain = f.up;
	c->chain_len--;
	strmap_put(&c->s->conditions, key, (void *)(uintptr_t)(t + 1));
	return t;
}

void model_eval_conditions(struct stack *s, struct diags *d)
{
	const struct node *conds = node_get(s->root, "Conditions");
	if (!conds)
		return;
	if (conds->kind == NODE_NULL)
		return;
	if (conds->kind != NODE_MAP) {
		diag_error(d, conds->pos, "Conditions must be a mapping");
		return;
	}
	struct strmap cycles;
	strmap_init(&cycles, s->arena);
	for (size_t i = 0; i < conds->n; i++) {
		struct rctx c = {.s = s, .d = d, .a = s->arena, .in_condition = true, .cycles = &cycles};
		cond_named(&c, conds->pairs[i].key->str, conds->pairs[i].key->pos);
	}
}

enum tri stack_condition(const struct stack *s, const char *name)
{
	if (!s || !name)
		return MAYBE;
	void *memo = strmap_get(&s->conditions, name);
	if (!memo || memo == COND_BUSY)
		return MAYBE;
	return (enum tri)((uintptr_t)memo - 1);
}
