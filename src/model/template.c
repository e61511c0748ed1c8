/*
 * template.c - model_build: a template's parameters, conditions, mappings
 * and resources into a struct stack, then the reference-cycle check and
 * the SAM expansion.
 *
 * Order matters: parameters first (conditions compare them), then
 * conditions (resources are dropped or made MAYBE by them), then every
 * resource is registered before any is resolved (so a Ref to a resource
 * declared further down resolves), then properties are resolved.
 */
#include "model/resolve.h"
#include "model/sam.h"
#include "model/stack.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "load/load.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- parameters ---- */

/* Does the node contain an intrinsic function anywhere? */
static bool has_intrinsic(const struct node *n, int depth)
{
	if (!n || depth > LOAD_MAX_DEPTH + 8)
		return false;
	if (node_intrinsic(n))
		return true;
	if (n->kind == NODE_SEQ)
		for (size_t i = 0; i < n->n; i++)
			if (has_intrinsic(n->items[i], depth + 1))
				return true;
	if (n->kind == NODE_MAP)
		for (size_t i = 0; i < n->n; i++)
			if (has_intrinsic(n->pairs[i].value, depth + 1))
				return true;
	return false;
}

static bool node_true(const struct node *n)
{
	if (!n)
		return false;
	if (n->kind == NODE_BOOL)
		return n->boolean;
	return n->kind == NODE_STRING && strcasecmp(n->str, "true") == 0;
}

/* A parameter's Default (or --param text) as a value of its type. */
static struct value *param_text_value(struct arena *a, const struct param *p, const char *text, size_t len,
				      struct pos pos)
{
	if (model_param_is_list(p->type))
		return model_split_list(a, text, len, pos);
	return val_string(a, text, len, pos);
}

/* Is the text one of the parameter's AllowedValues (true when there are none)? */
static bool allowed(const struct param *p, const char *text, size_t len)
{
	if (!p->allowed || p->allowed->kind != NODE_SEQ || model_param_is_list(p->type))
		return true;
	for (size_t i = 0; i < p->allowed->n; i++) {
		const struct node *n = p->allowed->items[i];
		if (node_is_scalar(n) && n->str && n->len == len && memcmp(n->str, text, len) == 0)
			return true;
	}
	return false;
}

static void read_params(struct stack *s, const struct model_options *opt, struct diags *d)
{
	const struct node *ps = node_get(s->root, "Parameters");
	if (ps && ps->kind == NODE_NULL) /* "Parameters:" with nothing under it */
		ps = NULL;
	if (ps && ps->kind != NODE_MAP) {
		diag_error(d, ps->pos, "Parameters must be a mapping");
		ps = NULL;
	}
	size_t n = ps ? ps->n : 0;
	s->params = arena_array(s->arena, n ? n : 1, sizeof *s->params);
	for (size_t i = 0; i < n; i++) {
		const struct node_pair *pp = &ps->pairs[i];
		struct param *p = &s->params[s->nparams++];
		p->name = pp->key->str;
		p->pos = pp->key->pos;
		p->node = pp->value;
		if (pp->value->kind != NODE_MAP) {
			diag_error(d, pp->value->pos, "parameter %s must be a mapping", p->name);
			p->type = "String";
			continue;
		}
		p->type = node_str(node_get(pp->value, "Type"));
		if (!p->type) {
			diag_error(d, p->pos, "parameter %s has no Type", p->name);
			p->type = "String";
		}
		p->noecho = node_true(node_get(pp->value, "NoEcho"));
		p->allowed = node_get(pp->value, "AllowedValues");
		const struct node *def = node_get(pp->value, "Default");
		if (def && has_intrinsic(def, 0)) {
			diag_error(d, def->pos, "parameter %s: a Default cannot use intrinsic functions", p->name);
		} else if (def && def->kind == NODE_STRING) {
			p->def = param_text_value(s->arena, p, def->str, def->len, def->pos);
			if (!allowed(p, def->str, def->len))
				diag_error(d, def->pos, "parameter %s: the Default is not one of its AllowedValues",
					   p->name);
		} else if (def) {
			p->def = model_literal(s->arena, def);
		}
	}
	if (!opt)
		return;
	for (size_t i = 0; i < opt->nparams; i++) {
		const char *k = opt->param_keys[i], *v = opt->param_values[i];
		if (!k || !v)
			continue;
		struct param *p = model_find_param(s, k);
		if (!p)
			continue; /* reported by model_param_use_report */
		if (!allowed(p, v, strlen(v))) {
			struct pos fpos = {s->file, 0, 0};
			diag_warn(d, fpos, "--param %s: the value is not one of the parameter's AllowedValues", k);
		}
		p->override = param_text_value(s->arena, p, v, strlen(v), p->pos);
		p->override->param = p->name;
	}
	if (opt->param_use) {
		model_param_use_record(opt->param_use, s);
	} else if (opt->nparams) {
		/* One template alone: its own keys are the whole scan. */
		struct model_param_use *u = model_param_use_new(opt->param_keys, opt->nparams);
		model_param_use_record(u, s);
		model_param_use_report(u, d);
		model_param_use_free(u);
	}
}

/* ---- resources ---- */

static void add_skip(struct stack *s, struct resource *r, const struct value *id, const struct value *reason,
		     struct pos pos)
{
	const char *ids = val_str(id);
	if (!ids)
		return;
	r->skips = arena_grow(s->arena, r->skips, r->nskips, r->nskips + 1, sizeof *r->skips);
	struct suppression *sp = &r->skips[r->nskips++];
	sp->id = ids;
	sp->reason = val_str(reason);
	sp->pos = pos;
}

/* Suppressions: rampart {skip: [{id, reason}]}, checkov {skip: [{id, comment}]},
 * cfn_nag {rules_to_suppress: [{id, reason}]}. */
static void read_skips(struct stack *s, struct resource *r, struct diags *d)
{
	static const struct {
		const char *tool, *list, *reason;
	} forms[] = {
		{"rampart", "skip", "reason"},
		{"checkov", "skip", "comment"},
		{"cfn_nag", "rules_to_suppress", "reason"},
	};
	for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
		const struct value *tool = val_get(r->metadata, forms[f].tool);
		if (!tool)
			continue;
		const struct value *list = val_get(tool, forms[f].list);
		if (!list)
			continue;
		if (list->kind != VAL_LIST) {
			diag_warn(d, list->pos, "%s.%s should be a list of {id: ...}", forms[f].tool, forms[f].list);
			continue;
		}
		for (size_t i = 0; i < list->n; i++) {
			const struct value *it = list->items[i];
			if (val_str(it)) { /* a bare ID */
				add_skip(s, r, it, NULL, it->pos);
				continue;
			}
			const struct value *id = val_get(it, "id");
			if (!val_str(id)) {
				diag_warn(d, it ? it->pos : list->pos, "%s suppression without an id", forms[f].tool);
				continue;
			}
			add_skip(s, r, id, val_get(it, forms[f].reason), id->pos);
		}
	}
}

static void read_depends(struct stack *s, struct resource *r, const struct node *dep, struct diags *d)
{
	if (!dep)
		return;
	const struct node *one[1] = {dep};
	const struct node *const *items = one;
	size_t n = 1;
	if (dep->kind == NODE_SEQ) {
		items = (const struct node *const *)dep->items;
		n = dep->n;
	}
	r->depends_on = arena_array(s->arena, n ? n : 1, sizeof *r->depends_on);
	const struct node *all = node_get(s->root, "Resources");
	for (size_t i = 0; i < n; i++) {
		const char *name = node_str(items[i]);
		if (!name) {
			diag_error(d, items[i]->pos, "DependsOn must name resources (strings)");
			continue;
		}
		if (!node_get(all, name) && !model_sam_implicit(s, name)) {
			diag_error(d, items[i]->pos, "DependsOn '%s', which is not a resource", name);
			continue;
		}
		if (!stack_find(s, name))
			continue; /* declared but not deployed: no dependency */
		r->depends_on[r->ndepends++] = name;
	}
}

/* Register every resource (so references resolve in any order); drop those whose condition is false. */
static void register_resources(struct stack *s, const struct node *res, struct diags *d)
{
	for (size_t i = 0; i < res->n; i++) {
		const struct node_pair *p = &res->pairs[i];
		const char *id = p->key->str;
		if (!strncmp(id, "Fn::ForEach::", 13)) {
			diag_warn(d, p->key->pos, "%s is not expanded: the resources it generates are not scanned", id);
			continue;
		}
		const struct node *tn = node_get(p->value, "Type");
		const char *type = node_str(tn);
		if (!type) {
			diag_error(d, p->key->pos, "resource %s has no Type", id);
			continue;
		}
		if (!s->sam && !strncmp(type, "AWS::Serverless::", 17))
			diag_error(d, tn->pos, "resource %s: %s needs 'Transform: AWS::Serverless-2016-10-31' "
					       "(without it CloudFormation rejects the type)", id, type);
		const struct node *cn = node_get(p->value, "Condition");
		enum tri deployed = YES;
		const char *cond = NULL;
		if (cn) {
			cond = node_str(cn);
			if (!cond) {
				diag_error(d, cn->pos, "resource %s: Condition must be a condition name", id);
				deployed = MAYBE;
			} else if (!node_get(node_get(s->root, "Conditions"), cond)) {
				diag_error(d, cn->pos, "resource %s: condition '%s' is not defined", id, cond);
				deployed = MAYBE;
			} else {
				deployed = stack_condition(s, cond);
			}
		}
		if (deployed == NO)
			continue;
		struct resource *r = stack_add(s, id, type);
		r->id = id; /* the key lives as long as the arena */
		r->pos = p->key->pos;
		r->node = p->value;
		r->condition = cond;
		r->deployed = deployed;
	}
	/* stack_add copied the IDs; reindex on the key strings set above. */
	strmap_init(&s->by_id, s->arena);
	for (size_t i = 0; i < s->nres; i++) {
		s->res[i].source_id = s->res[i].id;
		strmap_put(&s->by_id, s->res[i].id, &s->res[i]);
	}
}

static void resolve_resource(struct stack *s, struct resource *r, struct diags *d)
{
	const struct node *pn = node_get(r->node, "Properties");
	struct value *props = pn ? model_resolve(s, pn, d) : NULL;
	if (props && props == s->over_budget) {
		/* Past the memory bound (warned once already): nothing is known
		 * of its properties, so nothing found on it is certain. */
		r->unresolved = true;
		props = NULL;
	} else if (props && props->kind != VAL_MAP && props->kind != VAL_NULL) {
		if (props->kind == VAL_CHOICE || props->kind == VAL_UNKNOWN)
			diag_warn(d, pn->pos, "resource %s: Properties decided only at deploy are not scanned", r->id);
		else
			diag_error(d, pn->pos, "resource %s: Properties must be a mapping", r->id);
		props = NULL;
	}
	if (!props || props->kind != VAL_MAP)
		props = val_new(s->arena, VAL_MAP, pn ? pn->pos : r->pos);
	r->props = props;
	const struct node *mn = node_get(r->node, "Metadata");
	if (mn) {
		r->metadata = model_resolve(s, mn, d);
		r->cdk_path = val_str(val_get(r->metadata, "aws:cdk:path"));
		read_skips(s, r, d);
	}
	read_depends(s, r, node_get(r->node, "DependsOn"), d);
}

/* ---- reference cycles ---- */

struct graph {
	size_t n;
	size_t **adj; /* adj[i]: successor indices */
	size_t *nadj;
	struct stack *s;
};

static void edge(struct graph *g, size_t from, const char *to)
{
	struct resource *t = stack_find(g->s, to);
	if (!t)
		return;
	size_t j = (size_t)(t - g->s->res);
	for (size_t k = 0; k < g->nadj[from]; k++)
		if (g->adj[from][k] == j)
			return;
	g->adj[from] = arena_grow(g->s->arena, g->adj[from], g->nadj[from], g->nadj[from] + 1, sizeof(size_t));
	g->adj[from][g->nadj[from]++] = j;
}

static void value_edges(struct graph *g, size_t from, const struct value *v, int depth)
{
	if (!v || depth > 1024)
		return;
	for (size_t i = 0; i < v->nrefs; i++)
		edge(g, from, v->refs[i]);
	if (v->kind == VAL_LIST || v->kind == VAL_CHOICE)
		for (size_t i = 0; i < v->n; i++)
			value_edges(g, from, v->items[i], depth + 1);
	else if (v->kind == VAL_MAP)
		for (size_t i = 0; i < v->n; i++)
			value_edges(g, from, v->pairs[i].v, depth + 1);
}

static int cmp_id(const struct stack *s, size_t a, size_t b)
{
	return strcmp(s->res[a].id, s->res[b].id);
}

/*
 * Tarjan's strongly connected components, iteratively (no recursion on the
 * graph); then for each component that is a cycle, the shortest cycle
 * through its smallest ID (breadth-first inside the component).
 */
static void check_cycles(struct stack *s, struct diags *d)
{
	size_t n = s->nres;
	if (n == 0)
		return;
	struct arena *a = s->arena;
	struct graph g = {n, arena_array(a, n, sizeof(size_t *)), arena_array(a, n, sizeof(size_t)), s};
	for (size_t i = 0; i < n; i++) {
		/*
		 * A SAM resource is not what CloudFormation deploys: its Events and
		 * definitions become separate resources (permissions, stages), so
		 * Function -> Api -> Function is no cycle.  Only edges out of plain
		 * CloudFormation resources count.
		 */
		if (!strncmp(s->res[i].source_type, "AWS::Serverless::", 17))
			continue;
		value_edges(&g, i, s->res[i].props, 0);
		for (size_t k = 0; k < s->res[i].ndepends; k++)
			edge(&g, i, s->res[i].depends_on[k]);
	}
	size_t *index = arena_array(a, n, sizeof *index), *low = arena_array(a, n, sizeof *low);
	size_t *comp = arena_array(a, n, sizeof *comp);
	size_t *stk = arena_array(a, n, sizeof *stk), *cs = arena_array(a, n, sizeof *cs);
	size_t *ci = arena_array(a, n, sizeof *ci);
	bool *on = arena_array(a, n, sizeof *on);
	const size_t NONE = SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		index[i] = comp[i] = NONE;
	size_t next = 0, sp = 0, ncomp = 0;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != NONE)
			continue;
		size_t csp = 0;
		cs[csp] = root;
		ci[csp++] = 0;
		index[root] = low[root] = next++;
		stk[sp++] = root;
		on[root] = true;
		while (csp) {
			size_t v = cs[csp - 1];
			if (ci[csp - 1] < g.nadj[v]) {
				size_t w = g.adj[v][ci[csp - 1]++];
				if (index[w] == NONE) {
					index[w] = low[w] = next++;
					stk[sp++] = w;
					on[w] = true;
					cs[csp] = w;
					ci[csp++] = 0;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				size_t w;
				do {
					w = stk[--sp];
					on[w] = false;
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			csp--;
			if (csp) {
				size_t u = cs[csp - 1];
				if (low[v] < low[u])
					low[u] = low[v];
			}
		}
	}
	/* Smallest ID of each component, and its size. */
	size_t *small = arena_array(a, ncomp, sizeof *small), *size = arena_array(a, ncomp, sizeof *size);
	for (size_t k = 0; k < ncomp; k++)
		small[k] = NONE;
	for (size_t i = 0; i < n; i++) {
		size_t k = comp[i];
		size[k]++;
		if (small[k] == NONE || cmp_id(s, i, small[k]) < 0)
			small[k] = i;
	}
	size_t *prev = arena_array(a, n, sizeof *prev), *queue = arena_array(a, n, sizeof *queue);
	for (size_t k = 0; k < ncomp; k++) {
		size_t start = small[k];
		bool self = false;
		for (size_t e = 0; e < g.nadj[start]; e++)
			self |= g.adj[start][e] == start;
		if (size[k] < 2 && !self)
			continue;
		struct strbuf sb = STRBUF_INIT;
		if (self) {
			sb_printf(&sb, "%s -> %s", s->res[start].id, s->res[start].id);
		} else {
			/* BFS from start inside the component until an edge back to start. */
			for (size_t i = 0; i < n; i++)
				prev[i] = NONE;
			size_t qh = 0, qt = 0, last = NONE;
			queue[qt++] = start;
			prev[start] = start;
			while (qh < qt && last == NONE) {
				size_t v = queue[qh++];
				for (size_t e = 0; e < g.nadj[v] && last == NONE; e++) {
					size_t w = g.adj[v][e];
					if (comp[w] != k)
						continue;
					if (w == start)
						last = v;
					else if (prev[w] == NONE) {
						prev[w] = v;
						queue[qt++] = w;
					}
				}
			}
			/* Path start -> ... -> last, then back to start. */
			size_t len = 0;
			for (size_t v = last; v != start; v = prev[v])
				queue[len++] = v;
			sb_puts(&sb, s->res[start].id);
			while (len)
				sb_printf(&sb, " -> %s", s->res[queue[--len]].id);
			sb_printf(&sb, " -> %s", s->res[start].id);
		}
		diag_error(d, s->res[start].pos, "circular dependency: %s", sb.s);
		sb_free(&sb);
	}
}

/* ---- the stack ---- */

static bool transform_is_sam(const struct node *t)
{
	if (!t)
		return false;
	if (t->kind == NODE_STRING)
		return strcmp(t->str, "AWS::Serverless-2016-10-31") == 0;
	if (t->kind == NODE_SEQ)
		for (size_t i = 0; i < t->n; i++)
			if (transform_is_sam(t->items[i]))
				return true;
	return false;
}

struct stack *model_build(struct node *root, const char *file, const struct model_options *opt,
			  struct arena *a, struct diags *d)
{
	if (!model_is_template(root))
		return NULL;
	struct stack *s = arena_alloc(a, sizeof *s);
	s->arena = a;
	s->model_base = arena_used(a);
	s->file = arena_strdup(a, file ? file : "");
	s->root = root;
	strmap_init(&s->by_id, a);
	strmap_init(&s->conditions, a);
	strmap_init(&s->getatt_reported, a);
	s->sam = transform_is_sam(node_get(root, "Transform"));
	s->globals = node_get(root, "Globals");
	s->mappings = node_get(root, "Mappings");
	if (s->mappings && s->mappings->kind == NODE_NULL)
		s->mappings = NULL;
	if (s->mappings && s->mappings->kind != NODE_MAP) {
		diag_error(d, s->mappings->pos, "Mappings must be a mapping");
		s->mappings = NULL;
	}
	if (opt) {
		s->region = opt->region ? arena_strdup(a, opt->region) : NULL;
		s->account_id = opt->account_id ? arena_strdup(a, opt->account_id) : NULL;
	}
	read_params(s, opt, d);
	model_eval_conditions(s, d);
	const struct node_pair *rp = node_get_pair(root, "Resources");
	const struct node *res = rp ? rp->value : NULL;
	if (res && res->kind != NODE_MAP && res->kind != NODE_NULL) {
		diag_error(d, res->pos, "Resources must be a mapping");
		res = NULL;
	} else if (!res || res->n == 0) {
		/* CloudFormation: "At least one Resources member must be defined." */
		diag_error(d, rp ? rp->key->pos : root->pos, "the template has no resources (CloudFormation requires at least one)");
		res = NULL;
	}
	if (res) {
		register_resources(s, res, d);
		size_t n = s->nres;
		for (size_t i = 0; i < n; i++)
			resolve_resource(s, &s->res[i], d);
		check_cycles(s, d);
	}
	if (s->sam)
		sam_expand(s, d);
	return s;
}
