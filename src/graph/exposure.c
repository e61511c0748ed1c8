/*
 * exposure.c - open to the whole internet, by address arithmetic over the
 * union of rules (exposure.h).
 *
 * Each item's range is read with core/cidr (every Fn::If alternative; an
 * unknown or malformed range, or a prefix list, stands for every address of
 * both families).  For each family the union of what surely applies is
 * tested first (YES), then the union of all that may apply (MAYBE); the
 * items named are the maximal blocks of the covering union, so a 10.0.0.0/8
 * rule beside a 0.0.0.0/0 one is not blamed for it.
 */
#include "graph/exposure.h"

#include "core/arena.h"
#include "core/cidr.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "graph/graph.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ranges of items ---- */

/*
 * Blocks, each standing for an item (its index), with a flag: every range of
 * every item ("sure": the item's only range, and it surely applies), or a
 * selection of them ("max": maximal in the selection).
 */
struct blocks {
	struct cidr *v;
	size_t *item;
	bool *flag;
	size_t n, cap;
};

static void blocks_add(struct blocks *b, const struct cidr *c, size_t item)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		b->v = xreallocarray(b->v, cap, sizeof *b->v);
		b->item = xreallocarray(b->item, cap, sizeof *b->item);
		b->flag = xreallocarray(b->flag, cap, sizeof *b->flag);
		b->cap = cap;
	}
	b->v[b->n] = *c;
	b->item[b->n] = item;
	b->flag[b->n++] = false;
}

static void blocks_free(struct blocks *b)
{
	free(b->v);
	free(b->item);
	free(b->flag);
	memset(b, 0, sizeof *b);
}

struct alt_ctx {
	struct blocks *r;
	size_t item;
	unsigned flags;
	size_t nalt;  /* alternatives seen */
	bool unknown; /* one is unknown or does not read */
};

static void alt_range(const struct value *v, void *vctx)
{
	struct alt_ctx *c = vctx;
	c->nalt++;
	if (!v || v->kind == VAL_NULL)
		return; /* this alternative has no range */
	const char *s = v->kind == VAL_STRING ? val_str(v) : NULL;
	struct cidr net;
	enum cidr_status st = s ? cidr_parse(s, v->len, c->flags, &net, NULL) : CIDR_BAD_ADDRESS;
	if (st == CIDR_NO_PREFIX) /* a bare address: EC2 refuses it (reported), but it is one host, no more */
		st = cidr_parse(s, v->len, c->flags & ~(unsigned)CIDR_NEED_PREFIX, &net, NULL);
	if (st != CIDR_OK) {
		c->unknown = true; /* unknown, or malformed (reported by rel_ingress_diagnose) */
		return;
	}
	blocks_add(c->r, &net, c->item);
}

/* Where an item's ranges are in its struct blocks. */
struct span {
	size_t first, n;
	bool exact; /* one alternative, one range that reads */
};

/*
 * Add item i's ranges: every Fn::If alternative's; every address of both
 * families when one is unknown or malformed, or the item is a prefix list.
 */
static struct span item_ranges(struct blocks *r, const struct exp_item *it, size_t i)
{
	struct span sp = {r->n, 0, false};
	struct alt_ctx c = {r, i, it->flags, 0, false};
	if (it->cidr)
		val_each_alternative(it->cidr, alt_range, &c);
	if (it->any || c.unknown) {
		struct cidr all4 = cidr_all(4), all6 = cidr_all(6);
		r->n = sp.first; /* every address holds the alternatives that read */
		blocks_add(r, &all4, i);
		blocks_add(r, &all6, i);
	}
	sp.n = r->n - sp.first;
	sp.exact = !it->any && !c.unknown && c.nalt == 1 && sp.n == 1;
	return sp;
}

/* An item's part: YES beats MAYBE beats NO. */
static void raise_item(struct exp_item *it, enum tri t, int family)
{
	if (it->world == YES || t == NO || (t == MAYBE && it->world == MAYBE))
		return;
	it->world = t;
	it->family = (unsigned char)family;
}

/* Raise the items of p's maximal blocks to t: the fewest blocks naming what p covers. */
static void raise_maximal(struct blocks *p, struct exp_item *v, size_t stride, enum tri t, int fam)
{
	cidr_maximal(p->v, p->n, p->flag);
	for (size_t k = 0; k < p->n; k++)
		if (p->flag[k])
			raise_item((struct exp_item *)((char *)v + p->item[k] * stride), t, fam);
}

enum tri exp_open(struct exp_item *v, size_t n)
{
	struct blocks r = {0};
	for (size_t i = 0; i < n; i++) {
		v[i].world = NO;
		v[i].family = 0;
		if (v[i].applies == NO)
			continue;
		struct span sp = item_ranges(&r, &v[i], i);
		if (sp.exact && v[i].applies == YES)
			r.flag[sp.first] = true;
	}
	enum tri res = NO;
	struct blocks p = {0};
	for (int fam = 4; fam <= 6; fam += 2) {
		struct cidr all = cidr_all(fam);
		for (int pass = 0; pass < 2; pass++) { /* what surely applies, then what may */
			p.n = 0;
			for (size_t j = 0; j < r.n; j++)
				if (r.v[j].family == fam && (pass || r.flag[j]))
					blocks_add(&p, &r.v[j], r.item[j]);
			if (!cidr_union_covers(p.v, p.n, &all))
				continue;
			enum tri t = pass ? MAYBE : YES;
			raise_maximal(&p, v, sizeof *v, t, fam);
			res = tri_or(res, t);
			break;
		}
	}
	blocks_free(&p);
	blocks_free(&r);
	return res;
}

/* ---- network ACLs: allow entries a lower-numbered deny does not shadow ---- */

/* Is entry d one that comes before entry a (by number; an unknown number may come first)? */
static bool before(const struct exp_acl_entry *d, const struct exp_acl_entry *a)
{
	return !d->number_known || !a->number_known || d->number < a->number;
}

/* Does the union in p hold every address of c? */
static bool held(const struct blocks *p, const struct cidr *c)
{
	return cidr_union_covers(p->v, p->n, c);
}

enum tri exp_acl_open(struct exp_acl_entry *v, size_t n)
{
	struct blocks r = {0};
	struct span *sp = xreallocarray(NULL, n ? n : 1, sizeof *sp);
	for (size_t i = 0; i < n; i++) {
		v[i].item.world = NO;
		v[i].item.family = 0;
		sp[i] = v[i].item.applies != NO ? item_ranges(&r, &v[i].item, i) : (struct span){r.n, 0, false};
	}
	/* Each allow entry's ranges that lower-numbered denies leave open: surely (no deny that may
	 * come first holds it), possibly (no deny that surely comes first surely holds it). */
	struct blocks sure = {0}, maybe = {0}, deny = {0};
	bool ordered = n <= EXP_EXACT_MAX; /* else every allow may be shadowed, or not: at most MAYBE */
	for (size_t a = 0; a < n; a++) {
		const struct exp_acl_entry *e = &v[a];
		if (e->allow == NO || e->item.applies == NO)
			continue;
		bool certain = ordered && e->item.applies == YES && sp[a].exact && e->allow == YES;
		deny.n = 0;
		for (size_t d = 0; certain && d < n; d++)
			if (d != a && v[d].allow != YES && v[d].item.applies != NO && before(&v[d], e))
				for (size_t j = sp[d].first; j < sp[d].first + sp[d].n; j++)
					blocks_add(&deny, &r.v[j], d);
		if (certain && !held(&deny, &r.v[sp[a].first]))
			blocks_add(&sure, &r.v[sp[a].first], a);
		deny.n = 0;
		for (size_t d = 0; ordered && d < n; d++)
			if (d != a && v[d].allow == NO && v[d].item.applies == YES && sp[d].exact && v[d].number_known &&
			    e->number_known && v[d].number < e->number)
				blocks_add(&deny, &r.v[sp[d].first], d);
		for (size_t j = sp[a].first; j < sp[a].first + sp[a].n; j++)
			if (!held(&deny, &r.v[j]))
				blocks_add(&maybe, &r.v[j], a);
	}
	enum tri res = NO;
	struct blocks p = {0};
	for (int fam = 4; fam <= 6; fam += 2) {
		struct cidr all = cidr_all(fam);
		for (int pass = 0; pass < 2; pass++) {
			const struct blocks *from = pass ? &maybe : &sure;
			p.n = 0;
			for (size_t k = 0; k < from->n; k++)
				if (from->v[k].family == fam)
					blocks_add(&p, &from->v[k], from->item[k]);
			if (!held(&p, &all))
				continue;
			enum tri t = pass ? MAYBE : YES;
			raise_maximal(&p, &v[0].item, sizeof *v, t, fam);
			res = tri_or(res, t);
			break;
		}
	}
	blocks_free(&p);
	blocks_free(&sure);
	blocks_free(&maybe);
	blocks_free(&deny);
	free(sp);
	blocks_free(&r);
	return res;
}

/* ---- the stack's groups and ACLs ---- */

static bool is_type(const struct resource *r, const char *type)
{
	return r && !strcmp(r->type, type);
}

struct sg_collect {
	const struct stack *s;
	struct rel_ingress *v;
	size_t n, cap;
};

static void collect_rule(const struct rel_ingress *in, void *vctx)
{
	struct sg_collect *c = vctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		c->v = arena_grow(c->s->arena, c->v, c->n, cap, sizeof *c->v);
		c->cap = cap;
	}
	c->v[c->n++] = *in;
}

/* Append a scope to the view's array (arena). */
static void *scope_add(struct arena *a, void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		*v = arena_grow(a, *v, *n, nc, size);
		*cap = nc;
	}
	return (char *)*v + (*n)++ * size;
}

/* The group or ACL `key` names: of the stack (type), else the text as written (outside), else neither. */
static const struct resource *named(const struct stack *s, const struct value *key, const char *type,
				    const char **outside)
{
	const struct resource *r = graph_target(s, key);
	*outside = NULL;
	if (is_type(r, type))
		return r;
	*outside = val_str(key);
	return NULL;
}

/* The scope index stored under key in m, or n (none yet: then it will be n). */
static size_t scope_find(struct strmap *m, const char *key, size_t n)
{
	void *v = key ? strmap_get(m, key) : NULL;
	if (v)
		return (size_t)(uintptr_t)v - 1;
	if (key)
		strmap_put(m, key, (void *)(uintptr_t)(n + 1));
	return n;
}

static void diagnose_rule(const struct rel_ingress *in, void *vctx)
{
	rel_ingress_diagnose(in->rule, vctx);
}

/* What AWS refuses in the network resources: bad ports, rule numbers, CIDR blocks. */
static void diagnose(struct stack *s, struct diags *d)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (!strcmp(r->type, "AWS::EC2::SecurityGroup")) {
			rel_ingress_rules(s, r, val_get(r->props, "SecurityGroupIngress"), diagnose_rule, d);
			rel_ingress_rules(s, r, val_get(r->props, "SecurityGroupEgress"), diagnose_rule, d);
		} else if (!strcmp(r->type, "AWS::EC2::SecurityGroupIngress") ||
			   !strcmp(r->type, "AWS::EC2::SecurityGroupEgress") ||
			   !strcmp(r->type, "AWS::EC2::NetworkAclEntry")) {
			rel_ingress_diagnose(r->props, d);
		} else if (!strcmp(r->type, "AWS::EC2::Route")) {
			rel_cidr_diagnose(val_get(r->props, "DestinationCidrBlock"), "DestinationCidrBlock",
					  CIDR_NEED_PREFIX | CIDR_ONLY_V4, d);
			rel_cidr_diagnose(val_get(r->props, "DestinationIpv6CidrBlock"), "DestinationIpv6CidrBlock",
					  CIDR_NEED_PREFIX | CIDR_ONLY_V6, d);
		} else if (!strcmp(r->type, "AWS::RDS::DBSecurityGroup")) {
			const struct value *ing = val_get(r->props, "DBSecurityGroupIngress");
			for (size_t j = 0; j < val_len(ing); j++)
				rel_cidr_diagnose(val_get(val_item(ing, j), "CIDRIP"), "CIDRIP",
						  CIDR_NEED_PREFIX | CIDR_ONLY_V4, d);
		}
	}
}

/* Over EXP_EXACT_MAX rules a scope is judged roughly (exposure.h): say so once. */
static void warn_rough(struct diags *d, struct pos at, const char *what, size_t n, const char *rough)
{
	diag_warn(d, at, "%s has %zu rules, more than AWS allows (%d): %s, so a finding on it is uncertain", what, n,
		  EXP_EXACT_MAX, rough);
}

static struct net_view *build_view(struct stack *s, struct diags *d)
{
	struct net_view *nv = arena_alloc(s->arena, sizeof *nv);
	size_t capsg = 0, capacl = 0;
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (r->deployed == NO || strcmp(r->type, "AWS::EC2::SecurityGroup"))
			continue;
		struct sg_scope *sc = scope_add(s->arena, (void **)&nv->sg, &nv->nsg, &capsg, sizeof *sc);
		struct sg_collect c = {s, NULL, 0, 0};
		rel_sg_ingress(s, r, collect_rule, &c);
		*sc = (struct sg_scope){.group = r, .rules = c.v, .n = c.n};
	}
	/* Ingress resources of groups outside the stack: one scope per group named alike. */
	struct strmap by_key;
	strmap_init(&by_key, s->arena);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (r->deployed == NO || strcmp(r->type, "AWS::EC2::SecurityGroupIngress"))
			continue;
		const struct value *key = val_get(r->props, "GroupId");
		if (!key)
			key = val_get(r->props, "GroupName");
		const char *out;
		if (named(s, key, "AWS::EC2::SecurityGroup", &out))
			continue; /* with its group's rules */
		size_t k = scope_find(&by_key, out, nv->nsg);
		if (k == nv->nsg) {
			struct sg_scope *sc = scope_add(s->arena, (void **)&nv->sg, &nv->nsg, &capsg, sizeof *sc);
			*sc = (struct sg_scope){.outside = out};
		}
		struct sg_scope *sc = &nv->sg[k];
		struct sg_collect c = {s, sc->rules, sc->n, sc->n};
		rel_ingress_rules(s, r, r->props, collect_rule, &c);
		sc->rules = c.v;
		sc->n = c.n;
	}
	for (size_t k = 0; k < nv->nsg; k++)
		if (nv->sg[k].n > EXP_EXACT_MAX) {
			const struct sg_scope *sc = &nv->sg[k];
			char what[160];
			snprintf(what, sizeof what, "security group %.100s", sc->group ? sc->group->id : sc->outside ? sc->outside : "(not known)");
			warn_rough(d, sc->group ? sc->group->pos : sc->rules[0].holder->pos, what, sc->n,
				   "whether their ports together open one to the internet is not worked out");
		}
	/* Network ACL entries by ACL: first which scope each goes to, then the arrays. */
	struct strmap by_acl, by_out;
	strmap_init(&by_acl, s->arena);
	strmap_init(&by_out, s->arena);
	size_t *in_scope = xreallocarray(NULL, s->nres ? s->nres : 1, sizeof *in_scope);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		in_scope[i] = SIZE_MAX;
		if (r->deployed == NO || strcmp(r->type, "AWS::EC2::NetworkAclEntry"))
			continue;
		const char *out;
		const struct resource *acl = named(s, val_get(r->props, "NetworkAclId"), "AWS::EC2::NetworkAcl", &out);
		size_t k = acl ? scope_find(&by_acl, acl->id, nv->nacl) : scope_find(&by_out, out, nv->nacl);
		if (k == nv->nacl) {
			struct acl_scope *sc = scope_add(s->arena, (void **)&nv->acl, &nv->nacl, &capacl, sizeof *sc);
			*sc = (struct acl_scope){acl, acl ? NULL : out, NULL, 0};
		}
		nv->acl[k].n++;
		in_scope[i] = k;
	}
	for (size_t k = 0; k < nv->nacl; k++) {
		nv->acl[k].entries = arena_array(s->arena, nv->acl[k].n, sizeof *nv->acl[k].entries);
		nv->acl[k].n = 0;
	}
	for (size_t i = 0; i < s->nres; i++)
		if (in_scope[i] != SIZE_MAX) {
			struct acl_scope *sc = &nv->acl[in_scope[i]];
			sc->entries[sc->n++] = &s->res[i];
		}
	free(in_scope);
	for (size_t k = 0; k < nv->nacl; k++)
		if (nv->acl[k].n > EXP_EXACT_MAX) {
			const struct acl_scope *sc = &nv->acl[k];
			char what[160];
			snprintf(what, sizeof what, "network ACL %.100s", sc->acl ? sc->acl->id : sc->outside ? sc->outside : "(not known)");
			warn_rough(d, sc->acl ? sc->acl->pos : sc->entries[0]->pos, what, sc->n,
				   "the deny entries before each allow are not followed");
		}
	return nv;
}

struct net_view *net_view(struct stack *s, struct diags *d)
{
	if (!s->net_view) {
		diagnose(s, d);
		s->net_view = build_view(s, d);
	}
	return s->net_view;
}

/* ---- questions ---- */

enum tri sg_open(const struct sg_scope *sc, exp_rule_pred pred, const void *arg, struct exp_item *out)
{
	for (size_t i = 0; i < sc->n; i++) {
		const struct rel_ingress *in = &sc->rules[i];
		struct exp_item *it = &out[i];
		memset(it, 0, sizeof *it);
		it->cidr = in->cidr;
		it->flags = in->cidr_flags;
		it->any = in->prefix_list && !in->cidr;
		if (!in->cidr && !it->any)
			continue; /* from a security group: its members, no internet address */
		enum tri a = tri_and(pred(in, arg), in->holder->deployed);
		if (in->chosen)
			a = tri_and(a, MAYBE);
		if (sc->group)
			a = tri_and(a, sc->group->deployed);
		it->applies = a;
	}
	return exp_open(out, sc->n);
}

struct probe {
	int proto;
	long port;
};

static enum tri admits_probe(const struct rel_ingress *in, const void *arg)
{
	const struct probe *p = arg;
	return rel_ingress_admits(in, p->proto, p->port);
}

static int probe_cmp(const void *pa, const void *pb)
{
	const struct probe *a = pa, *b = pb;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* Over EXP_EXACT_MAX rules: any protocol and port, so at most MAYBE. */
static enum tri admits_something(const struct rel_ingress *in, const void *arg)
{
	(void)in;
	(void)arg;
	return MAYBE;
}

enum tri sg_open_any(struct stack *s, struct sg_scope *sc, const struct exp_item **out)
{
	if (sc->any) {
		*out = sc->any;
		return sc->any_res;
	}
	struct exp_item *best = arena_array(s->arena, sc->n ? sc->n : 1, sizeof *best);
	struct exp_item *tmp = xreallocarray(NULL, sc->n ? sc->n : 1, sizeof *tmp);
	/* Probes: every protocol (what only protocol -1 rules admit), and each rule's own. */
	struct probe *pr = xreallocarray(NULL, sc->n + 1, sizeof *pr);
	size_t np = 0;
	pr[np++] = (struct probe){-1, 0};
	for (size_t i = 0; i < sc->n && sc->n <= EXP_EXACT_MAX; i++) {
		const struct rel_ingress *in = &sc->rules[i];
		int proto;
		if (rel_protocol_number(in->protocol, &proto) && proto != -1 && in->ports_known == YES)
			pr[np++] = (struct probe){proto, in->all_ports ? 0 : in->from};
	}
	qsort(pr, np, sizeof *pr, probe_cmp);
	enum tri res = NO;
	for (size_t k = 0; k < np; k++) {
		if (k && !probe_cmp(&pr[k], &pr[k - 1]))
			continue;
		if (sc->n > EXP_EXACT_MAX)
			res = tri_or(res, sg_open(sc, admits_something, NULL, tmp));
		else
			res = tri_or(res, sg_open(sc, admits_probe, &pr[k], tmp));
		for (size_t i = 0; i < sc->n; i++) {
			if (!k)
				best[i] = tmp[i];
			raise_item(&best[i], tmp[i].world, tmp[i].family);
		}
	}
	free(pr);
	free(tmp);
	sc->any = best;
	sc->any_res = res;
	*out = best;
	return res;
}

enum tri acl_open(const struct stack *s, const struct acl_scope *sc, int proto, long port, struct exp_item *out)
{
	struct exp_acl_entry *e = xreallocarray(NULL, sc->n ? sc->n : 1, sizeof *e);
	for (size_t i = 0; i < sc->n; i++) {
		const struct resource *r = sc->entries[i];
		struct rel_ingress in;
		rel_ingress_parse(s, r, r->props, &in);
		enum tri ingress = tri_not(val_is_true(val_get(r->props, "Egress")));
		memset(&e[i], 0, sizeof e[i]);
		e[i].item.cidr = in.cidr;
		e[i].item.flags = in.cidr_flags;
		e[i].item.applies = tri_and(tri_and(ingress, rel_ingress_admits(&in, proto, port)), r->deployed);
		e[i].allow = val_equals_ci(val_get(r->props, "RuleAction"), "allow");
		e[i].number_known = rel_integer(val_get(r->props, "RuleNumber"), 1, 32766, &e[i].number) == YES;
	}
	enum tri res = exp_acl_open(e, sc->n);
	for (size_t i = 0; i < sc->n; i++)
		out[i] = e[i].item;
	free(e);
	return res;
}
