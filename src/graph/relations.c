/*
 * relations.c - named relations of the resource graph (relations.h).
 *
 * Each relation follows the properties CloudFormation defines for the link
 * (never resource names), through graph_target/graph_referrers, and keeps
 * track of links that leave the stack so that callers can answer MAYBE.
 */
#include "graph/relations.h"
#include "core/arena.h"
#include "core/cidr.h"
#include "core/xalloc.h"
#include "graph/exposure.h" /* the union of routes */
#include "graph/graph.h"
#include "model/query.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers ---- */

static bool is_type(const struct resource *r, const char *type)
{
	return r && (!type || !strcmp(r->type, type));
}

/* Resources naming id at path, as an arena array. */
static struct resource **referrers(const struct stack *s, const char *id, const char *type, const char *path,
				   size_t *n)
{
	size_t c = graph_referrers(s, id, type, path, NULL, 0);
	*n = c;
	if (!c)
		return NULL;
	struct resource **v = arena_array(s->arena, c, sizeof *v);
	graph_referrers(s, id, type, path, v, c);
	return v;
}

static bool rel_set_has(const struct rel_set *set, const struct resource *r)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i] == r)
			return true;
	return false;
}

static void set_add(const struct stack *s, struct rel_set *set, struct resource *r)
{
	if (!r || rel_set_has(set, r))
		return;
	if (set->n == set->cap) {
		size_t nc = set->cap ? set->cap * 2 : 4;
		set->v = arena_grow(s->arena, set->v, set->n, nc, sizeof *set->v);
		set->cap = nc;
	}
	set->v[set->n++] = r;
}

struct collect_ctx {
	const struct stack *s;
	struct rel_set *set;
	const char *type;
	bool found;
};

static void collect_ref(const char *id, void *vctx)
{
	struct collect_ctx *c = vctx;
	struct resource *r = stack_find(c->s, id);
	if (is_type(r, c->type)) {
		set_add(c->s, c->set, r);
		c->found = true;
	}
}

/*
 * Add the resources of `type` that v names (a list of IDs, or one):
 * references of the stack go in the set, anything else marks it outside.
 */
static void collect(const struct stack *s, const struct value *v, const char *type, struct rel_set *set)
{
	if (!v)
		return;
	switch (v->kind) {
	case VAL_LIST:
	case VAL_CHOICE:
		for (size_t i = 0; i < v->n; i++)
			collect(s, v->items[i], type, set);
		return;
	case VAL_REF: {
		struct resource *r = stack_find(s, v->s);
		if (is_type(r, type))
			set_add(s, set, r);
		else
			set->outside = true;
		return;
	}
	case VAL_UNKNOWN: {
		/* A list parameter, an import, or a string built from
		 * resources: take the resources it mentions, but the value may
		 * name more. */
		struct collect_ctx c = {s, set, type, false};
		graph_each_ref(v, collect_ref, &c);
		set->outside = true;
		return;
	}
	case VAL_STRING:
	case VAL_NUMBER:
	case VAL_MAP:
		set->outside = true;
		return;
	default:
		return;
	}
}

static void collect_prop(const struct stack *s, const struct resource *r, const char *path, const char *type,
			 struct rel_set *set)
{
	const struct value *v = val_path(r->props, path);
	if (!v || v->kind == VAL_NULL) {
		set->absent = true;
		return;
	}
	collect(s, v, type, set);
}

static struct rel_target target_of(const struct stack *s, const struct value *v, const char *type)
{
	struct rel_target t = {REL_ABSENT, NULL, v};
	if (!v || v->kind == VAL_NULL)
		return t;
	struct resource *r = graph_target(s, v);
	if (is_type(r, type)) {
		t.kind = REL_STACK;
		t.r = r;
		return t;
	}
	t.kind = REL_OUTSIDE;
	return t;
}

/* Tri-state accumulation over alternatives. */
struct tri_acc {
	bool yes, no, maybe;
};

static void acc_add(struct tri_acc *a, enum tri t)
{
	if (t == YES)
		a->yes = true;
	else if (t == NO)
		a->no = true;
	else
		a->maybe = true;
}

/* Every alternative agrees, or MAYBE. */
static enum tri acc_all(const struct tri_acc *a)
{
	if (a->maybe || (a->yes && a->no))
		return MAYBE;
	if (a->yes)
		return YES;
	return NO;
}

/* Does v name id: YES for a plain reference, MAYBE when only some Fn::If alternative does. */
static enum tri mentions_tri(const struct value *v, const char *id)
{
	if (!v)
		return NO;
	switch (v->kind) {
	case VAL_REF:
		return v->s && !strcmp(v->s, id) ? YES : NO;
	case VAL_UNKNOWN:
		return graph_mentions(v, id) ? YES : NO;
	case VAL_LIST:
	case VAL_MAP: {
		enum tri t = NO;
		for (size_t i = 0; i < v->n; i++)
			t = tri_or(t, mentions_tri(v->kind == VAL_LIST ? v->items[i] : v->pairs[i].v, id));
		return t;
	}
	case VAL_CHOICE: {
		struct tri_acc a = {0};
		for (size_t i = 0; i < v->n; i++)
			acc_add(&a, mentions_tri(v->items[i], id));
		return acc_all(&a);
	}
	default:
		return NO;
	}
}

static enum tri deployed_tri(const struct resource *r)
{
	return r->deployed == YES ? YES : MAYBE;
}

/* ---- policy statements ---- */

struct stmt_walk {
	const struct resource *holder;
	const char *name;
	enum rel_origin origin;
	rel_statement_fn fn;
	void *ctx;
};

static void walk_statement(const struct stmt_walk *w, const struct value *st, enum tri applies)
{
	if (!st)
		return;
	if (st->kind == VAL_CHOICE) {
		for (size_t i = 0; i < st->n; i++)
			walk_statement(w, st->items[i], MAYBE);
		return;
	}
	if (st->kind == VAL_LIST) {
		for (size_t i = 0; i < st->n; i++)
			walk_statement(w, st->items[i], applies);
		return;
	}
	if (st->kind != VAL_MAP)
		return;
	struct rel_statement rs = {st, w->holder, w->name, w->origin, applies};
	w->fn(&rs, w->ctx);
}

void rel_each_statement(const struct value *doc, const struct resource *holder, const char *policy_name,
			enum rel_origin origin, enum tri applies, rel_statement_fn fn, void *ctx)
{
	if (!doc)
		return;
	if (doc->kind == VAL_CHOICE) {
		for (size_t i = 0; i < doc->n; i++)
			rel_each_statement(doc->items[i], holder, policy_name, origin, MAYBE, fn, ctx);
		return;
	}
	if (doc->kind != VAL_MAP)
		return;
	struct stmt_walk w = {holder, policy_name ? policy_name : (holder ? holder->id : "policy"), origin, fn,
			      ctx};
	walk_statement(&w, val_get(doc, "Statement"), applies);
}

/* The key of AWS::IAM::Policy/ManagedPolicy that attaches to this kind of principal. */
static const char *attach_key(const struct resource *principal)
{
	if (!strcmp(principal->type, "AWS::IAM::User"))
		return "Users";
	if (!strcmp(principal->type, "AWS::IAM::Group"))
		return "Groups";
	return "Roles";
}

static void inline_policy(const struct resource *principal, const struct value *p, enum tri applies,
			  rel_statement_fn fn, void *ctx)
{
	if (!p)
		return;
	if (p->kind == VAL_CHOICE || p->kind == VAL_LIST) {
		for (size_t i = 0; i < p->n; i++)
			inline_policy(principal, p->items[i], p->kind == VAL_CHOICE ? MAYBE : applies, fn, ctx);
		return;
	}
	const char *name = val_str(val_get(p, "PolicyName"));
	rel_each_statement(val_get(p, "PolicyDocument"), principal, name ? name : principal->id,
			   REL_ORIGIN_INLINE, applies, fn, ctx);
}

static const char *managed_name(const struct resource *mp)
{
	const char *n = val_str(val_get(mp->props, "ManagedPolicyName"));
	return n ? n : mp->id;
}

void rel_written_statements(const struct resource *r, rel_statement_fn fn, void *ctx)
{
	enum tri base = deployed_tri(r);
	if (!strcmp(r->type, "AWS::IAM::Policy")) {
		const char *name = val_str(val_get(r->props, "PolicyName"));
		rel_each_statement(val_get(r->props, "PolicyDocument"), r, name ? name : r->id, REL_ORIGIN_POLICY, base,
				   fn, ctx);
	} else if (!strcmp(r->type, "AWS::IAM::ManagedPolicy")) {
		rel_each_statement(val_get(r->props, "PolicyDocument"), r, managed_name(r), REL_ORIGIN_MANAGED, base, fn,
				   ctx);
	} else if (!strcmp(r->type, "AWS::IAM::Role") || !strcmp(r->type, "AWS::IAM::User") ||
		   !strcmp(r->type, "AWS::IAM::Group")) {
		inline_policy(r, val_get(r->props, "Policies"), base, fn, ctx);
	}
}

/* ManagedPolicy resources named in ManagedPolicyArns, with how surely. */
static enum tri arn_list_names(const struct value *arns, const char *id)
{
	return mentions_tri(arns, id);
}

/* A set of stack resources as a bit per resource index (arena). */
struct mp_set {
	unsigned char *bits;
};

static void mp_set_add(const struct stack *s, struct mp_set *set, const struct resource *r)
{
	if (!r || strcmp(r->type, "AWS::IAM::ManagedPolicy"))
		return;
	if (!set->bits)
		set->bits = arena_alloc(s->arena, s->nres / 8 + 1);
	size_t i = (size_t)(r - s->res);
	set->bits[i / 8] |= (unsigned char)(1u << (i % 8));
}

struct mp_add {
	const struct stack *s;
	struct mp_set *set;
};

static void mp_set_add_id(const char *id, void *arg)
{
	struct mp_add *a = arg;
	mp_set_add(a->s, a->set, stack_find(a->s, id));
}

void rel_principal_statements(const struct stack *s, const struct resource *principal, rel_statement_fn fn,
			      void *ctx)
{
	enum tri base = deployed_tri(principal);
	inline_policy(principal, val_get(principal->props, "Policies"), base, fn, ctx);

	const char *key = attach_key(principal);
	size_t n;
	struct resource **ps = referrers(s, principal->id, "AWS::IAM::Policy", key, &n);
	for (size_t i = 0; i < n; i++) {
		enum tri t = tri_and(base, tri_and(deployed_tri(ps[i]),
						   mentions_tri(val_get(ps[i]->props, key), principal->id)));
		if (t == NO)
			continue;
		const char *name = val_str(val_get(ps[i]->props, "PolicyName"));
		rel_each_statement(val_get(ps[i]->props, "PolicyDocument"), ps[i], name ? name : ps[i]->id,
				   REL_ORIGIN_POLICY, t, fn, ctx);
	}

	/* Managed policies of the stack: by their own attachment list or by
	 * the principal's ManagedPolicyArns (each reported once). */
	const struct value *arns = val_get(principal->props, "ManagedPolicyArns");
	/* Candidates, without a pass over the whole stack (quadratic with many
	 * roles): managed policies whose attachment list names the principal,
	 * and those its ManagedPolicyArns name.  Kept in stack order. */
	struct mp_set cands = {0};
	size_t nm;
	struct resource **mps = referrers(s, principal->id, "AWS::IAM::ManagedPolicy", key, &nm);
	for (size_t i = 0; i < nm; i++)
		mp_set_add(s, &cands, mps[i]);
	graph_each_ref(arns, mp_set_add_id, &(struct mp_add){s, &cands});
	for (size_t i = 0; i < s->nres; i++) {
		struct resource *mp = &s->res[i];
		if (!cands.bits || !(cands.bits[i / 8] & (1u << (i % 8))))
			continue;
		enum tri t = tri_or(mentions_tri(val_get(mp->props, key), principal->id),
				    arn_list_names(arns, mp->id));
		t = tri_and(t, tri_and(base, deployed_tri(mp)));
		if (t == NO)
			continue;
		rel_each_statement(val_get(mp->props, "PolicyDocument"), mp, managed_name(mp), REL_ORIGIN_MANAGED,
				   t, fn, ctx);
	}
}

struct arn_walk {
	const struct stack *s;
	void (*fn)(const struct value *arn, const char *name, void *ctx);
	void *ctx;
};

static void managed_arn_alt(const struct value *v, void *vctx)
{
	const struct arn_walk *w = vctx;
	if (!v || v->kind == VAL_NULL)
		return;
	struct resource *r = graph_target(w->s, v);
	if (r && !strcmp(r->type, "AWS::IAM::ManagedPolicy"))
		return; /* its statements come through rel_principal_statements */
	const char *text = query_text(v);
	const char *name = NULL;
	if (text) {
		const char *slash = strrchr(text, '/');
		const char *last = slash ? slash + 1 : text;
		if (*last && !strchr(last, '$') && !strchr(last, '{'))
			name = last;
	}
	w->fn(v, name, w->ctx);
}

void rel_principal_managed_arns(const struct stack *s, const struct resource *principal,
				void (*fn)(const struct value *arn, const char *name, void *ctx), void *ctx)
{
	struct arn_walk w = {s, fn, ctx};
	const struct value *arns = val_get(principal->props, "ManagedPolicyArns");
	if (!arns)
		return;
	if (arns->kind != VAL_LIST) {
		val_each_alternative(arns, managed_arn_alt, &w);
		return;
	}
	for (size_t i = 0; i < arns->n; i++)
		val_each_alternative(arns->items[i], managed_arn_alt, &w);
}

/* Does the list value (Groups, Users) name resource r, by reference or by
 * its name property?  MAYBE when only some alternatives of an undecided
 * Fn::If do. */
static enum tri names_resource(const struct value *list, const struct resource *r, const char *name_key)
{
	if (!list)
		return NO;
	enum tri t = mentions_tri(list, r->id);
	const char *name = val_str(val_get(r->props, name_key));
	if (t == YES || !name)
		return t;
	for (size_t i = 0; i < val_len(list); i++) {
		const char *n = val_str(val_item(list, i));
		if (n && !strcmp(n, name))
			return YES;
	}
	return t;
}

static enum tri user_in_group(const struct stack *s, const struct resource *user, const struct resource *g)
{
	enum tri in = names_resource(val_get(user->props, "Groups"), g, "GroupName");
	const char *gname = val_str(val_get(g->props, "GroupName"));
	for (size_t i = 0; i < s->nres && in != YES; i++) {
		const struct resource *r = &s->res[i];
		if (strcmp(r->type, "AWS::IAM::UserToGroupAddition"))
			continue;
		const struct value *gn = val_get(r->props, "GroupName");
		enum tri names_g = mentions_tri(gn, g->id);
		if (gname && val_str(gn) && !strcmp(val_str(gn), gname))
			names_g = YES;
		in = tri_or(in, tri_and(names_g, names_resource(val_get(r->props, "Users"), user, "UserName")));
	}
	return in;
}

void rel_user_groups(const struct stack *s, const struct resource *user, struct rel_set *out, bool *maybe)
{
	for (size_t i = 0; i < s->nres; i++) {
		struct resource *g = &s->res[i];
		if (strcmp(g->type, "AWS::IAM::Group"))
			continue;
		enum tri in = user_in_group(s, user, g);
		if (in == NO)
			continue;
		set_add(s, out, g);
		if (in == MAYBE)
			*maybe = true;
	}
}

/* ---- Lambda ---- */

struct resource *rel_function_role(const struct stack *s, const struct resource *fn)
{
	struct resource *r = graph_target(s, val_get(fn->props, "Role"));
	return is_type(r, "AWS::IAM::Role") ? r : NULL;
}

void rel_role_functions(const struct stack *s, const struct resource *role, struct rel_set *out)
{
	size_t n;
	struct resource **fs = referrers(s, role->id, "AWS::Lambda::Function", "Role", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, fs[i]);
}

static void vpc_alt(const struct value *vc, void *vctx)
{
	struct tri_acc *a = vctx;
	if (!vc || vc->kind == VAL_NULL) {
		acc_add(a, NO);
		return;
	}
	if (vc->kind != VAL_MAP) {
		acc_add(a, MAYBE);
		return;
	}
	const struct value *sn = val_get(vc, "SubnetIds");
	if (!sn || sn->kind == VAL_NULL)
		acc_add(a, NO);
	else if (sn->kind == VAL_LIST)
		acc_add(a, sn->n ? YES : NO);
	else
		acc_add(a, MAYBE);
}

enum tri rel_function_in_vpc(const struct resource *fn)
{
	const struct value *vc = val_get(fn->props, "VpcConfig");
	if (!vc)
		return NO;
	struct tri_acc a = {0};
	val_each_alternative(vc, vpc_alt, &a);
	return acc_all(&a);
}

/* ---- network ---- */

static void cidr_alt(const struct value *v, void *vctx)
{
	struct tri_acc *a = vctx;
	if (!v || v->kind == VAL_NULL) {
		acc_add(a, NO);
		return;
	}
	const char *s = val_str(v);
	struct cidr c;
	if (!s || cidr_parse(s, strlen(s), 0, &c, NULL) != CIDR_OK) {
		acc_add(a, MAYBE); /* unknown, or malformed (rel_cidr_diagnose) */
		return;
	}
	acc_add(a, c.prefix == 0 ? YES : NO);
}

enum tri rel_cidr_is_world(const struct value *cidr)
{
	if (!cidr)
		return NO;
	struct tri_acc a = {0};
	val_each_alternative(cidr, cidr_alt, &a);
	return acc_all(&a);
}

/* Does a route go to an internet gateway?  MAYBE: a gateway ID from a parameter, or a condition. */
static enum tri route_via_igw(const struct stack *s, const struct resource *route)
{
	const struct value *gw = val_get(route->props, "GatewayId");
	if (!gw || gw->kind == VAL_NULL)
		return NO; /* NAT gateway, instance, peering, transit gateway... */
	enum tri via;
	struct resource *g = graph_target(s, gw);
	if (g)
		via = !strcmp(g->type, "AWS::EC2::InternetGateway") ? YES : NO;
	else if (val_str(gw))
		via = !strncmp(val_str(gw), "igw-", 4) ? YES : NO;
	else
		via = MAYBE; /* a gateway ID from a parameter or import */
	return tri_and(via, deployed_tri(route));
}

/*
 * Do a route table's routes send the whole internet to an internet gateway?
 * The union of their destinations (graph/exposure.h: 0.0.0.0/0, or
 * 0.0.0.0/1 with 128.0.0.0/1, or ::/0...); *why gets a route that does.
 */
static enum tri routes_to_igw(const struct stack *s, struct resource **routes, size_t n, const struct resource **why)
{
	struct exp_item *items = xcalloc(n ? n : 1, sizeof *items); /* asked once per subnet: not the arena */
	for (size_t j = 0; j < n; j++) {
		const struct value *v4 = val_get(routes[j]->props, "DestinationCidrBlock");
		const struct value *v6 = val_get(routes[j]->props, "DestinationIpv6CidrBlock");
		items[j].cidr = v4 ? v4 : v6;
		items[j].flags = CIDR_NEED_PREFIX | (v4 ? CIDR_ONLY_V4 : CIDR_ONLY_V6);
		items[j].any = !items[j].cidr && val_get(routes[j]->props, "DestinationPrefixListId");
		items[j].applies = items[j].cidr || items[j].any ? route_via_igw(s, routes[j]) : NO;
	}
	enum tri t = exp_open(items, n);
	for (size_t j = 0; j < n && t != NO; j++)
		if (items[j].world == t) {
			*why = routes[j];
			break;
		}
	free(items);
	return t;
}

enum tri rel_subnet_public(const struct stack *s, const struct resource *subnet, struct rel_subnet_info *info)
{
	struct rel_subnet_info tmp;
	if (!info)
		info = &tmp;
	memset(info, 0, sizeof *info);
	info->map_public_ip = val_is_true(val_get(subnet->props, "MapPublicIpOnLaunch"));

	size_t na;
	struct resource **as = referrers(s, subnet->id, "AWS::EC2::SubnetRouteTableAssociation", "SubnetId", &na);
	if (!na) {
		info->igw = MAYBE;
		info->why = "no route table association in the stack (the VPC's main route table is not known)";
		return info->igw;
	}
	enum tri res = NO;
	for (size_t i = 0; i < na; i++) {
		struct resource *rt = graph_target(s, val_get(as[i]->props, "RouteTableId"));
		if (!is_type(rt, "AWS::EC2::RouteTable")) {
			res = tri_or(res, MAYBE);
			info->why = "its route table is not in the stack";
			continue;
		}
		info->route_table = rt;
		size_t nr;
		struct resource **routes = referrers(s, rt->id, "AWS::EC2::Route", "RouteTableId", &nr);
		const struct resource *why = NULL;
		enum tri t = routes_to_igw(s, routes, nr, &why);
		if (why && (!info->route || t == YES))
			info->route = why;
		if (as[i]->deployed != YES) {
			t = MAYBE;
			info->why = "its route table association depends on a condition";
		} else if (t == MAYBE) {
			info->why = "a default route goes to a gateway not in the stack";
		}
		res = tri_or(res, t);
	}
	info->igw = res;
	return res;
}

/* The cluster of an instance, if of the stack. */
static struct resource *cluster_of(const struct stack *s, const struct resource *db)
{
	if (strcmp(db->type, "AWS::RDS::DBInstance"))
		return NULL;
	struct rel_target t = rel_instance_cluster(s, db);
	return t.kind == REL_STACK ? t.r : NULL;
}

void rel_db_subnets(const struct stack *s, const struct resource *db, struct rel_set *out)
{
	memset(out, 0, sizeof *out);
	const struct value *g = val_get(db->props, "DBSubnetGroupName");
	if (!g) {
		struct resource *c = cluster_of(s, db);
		if (c)
			g = val_get(c->props, "DBSubnetGroupName");
	}
	if (!g || g->kind == VAL_NULL) {
		out->absent = true;
		return;
	}
	struct rel_set groups = {0};
	collect(s, g, "AWS::RDS::DBSubnetGroup", &groups);
	out->outside = groups.outside;
	for (size_t i = 0; i < groups.n; i++) {
		struct rel_set sub = {0};
		collect_prop(s, groups.v[i], "SubnetIds", "AWS::EC2::Subnet", &sub);
		out->outside |= sub.outside || sub.absent;
		for (size_t j = 0; j < sub.n; j++)
			set_add(s, out, sub.v[j]);
	}
}

void rel_security_groups(const struct stack *s, const struct resource *r, struct rel_set *out)
{
	memset(out, 0, sizeof *out);
	const char *path;
	if (!strcmp(r->type, "AWS::RDS::DBInstance"))
		path = "VPCSecurityGroups";
	else if (!strcmp(r->type, "AWS::Lambda::Function"))
		path = "VpcConfig.SecurityGroupIds";
	else if (val_get(r->props, "VpcSecurityGroupIds"))
		path = "VpcSecurityGroupIds";
	else if (val_get(r->props, "SecurityGroupIds"))
		path = "SecurityGroupIds";
	else
		path = "VpcSecurityGroupIds";
	collect_prop(s, r, path, "AWS::EC2::SecurityGroup", out);
	struct resource *c = cluster_of(s, r);
	if (c) {
		struct rel_set cs = {0};
		collect_prop(s, c, "VpcSecurityGroupIds", "AWS::EC2::SecurityGroup", &cs);
		if (!cs.absent)
			out->absent = false;
		out->outside |= cs.outside;
		for (size_t i = 0; i < cs.n; i++)
			set_add(s, out, cs.v[i]);
	}
}

/* ---- security group rules and network ACL entries ---- */

/* An integer lo..hi (the range test first: a double out of long's range is never converted). */
static bool int_ok(double d, long lo, long hi)
{
	return d >= (double)lo && d <= (double)hi && (double)(long)d == d; /* NaN fails the range test */
}

enum tri rel_integer(const struct value *v, long lo, long hi, long *out)
{
	if (!v || v->kind == VAL_NULL)
		return NO;
	double d;
	enum tri t = val_number(v, &d);
	if (t == MAYBE)
		return MAYBE;
	if (t == NO || !int_ok(d, lo, hi))
		return MAYBE; /* malformed: an input error (rel_ingress_diagnose), unknown here */
	*out = (long)d;
	return YES;
}

/* A port (or ICMP type/code): an integer -1..65535, -1 meaning all. */
static enum tri port_of(const struct value *v, long *out)
{
	return rel_integer(v, -1, 65535, out);
}

bool rel_protocol_number(const char *text, int *out)
{
	static const struct {
		const char *name;
		int num;
	} names[] = {{"-1", -1}, {"all", -1}, {"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}};
	if (!text)
		return false;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(text, names[i].name)) {
			*out = names[i].num;
			return true;
		}
	/* a protocol number 0-255, plain decimal */
	int v = 0;
	size_t n = 0;
	for (; text[n]; n++) {
		if (n == 3 || text[n] < '0' || text[n] > '9')
			return false;
		v = v * 10 + (text[n] - '0');
	}
	if (n == 0 || (n > 1 && text[0] == '0') || v > 255)
		return false;
	*out = v;
	return true;
}

/* The CIDR properties of a rule or entry, and how each must read. */
static const struct {
	const char *key;
	unsigned flags;
} cidr_keys[] = {
	{"CidrIp", CIDR_NEED_PREFIX | CIDR_ONLY_V4},
	{"CidrIpv6", CIDR_NEED_PREFIX | CIDR_ONLY_V6},
	{"CidrBlock", CIDR_NEED_PREFIX | CIDR_ONLY_V4},     /* NACL entries */
	{"Ipv6CidrBlock", CIDR_NEED_PREFIX | CIDR_ONLY_V6}, /* NACL entries */
};

static const struct value *rule_cidr(const struct value *rule, unsigned *flags)
{
	for (size_t i = 0; i < sizeof cidr_keys / sizeof *cidr_keys; i++) {
		const struct value *v = val_get(rule, cidr_keys[i].key);
		if (v) {
			*flags = cidr_keys[i].flags;
			return v;
		}
	}
	*flags = 0;
	return NULL;
}

void rel_ingress_parse(const struct stack *s, const struct resource *holder, const struct value *rule,
		       struct rel_ingress *out)
{
	memset(out, 0, sizeof *out);
	out->holder = holder;
	out->rule = rule;
	out->cidr = rule_cidr(rule, &out->cidr_flags);
	out->world = rel_cidr_is_world(out->cidr);
	out->source = val_get(rule, "SourceSecurityGroupId");
	if (!out->source)
		out->source = val_get(rule, "SourceSecurityGroupName");
	if (!out->source && (out->source = val_get(rule, "SourcePrefixListId")) != NULL) {
		/* A managed prefix list holds ranges the template does not show. */
		out->prefix_list = true;
		if (!out->cidr)
			out->world = MAYBE;
	}
	struct resource *g = graph_target(s, out->source);
	out->source_group = is_type(g, "AWS::EC2::SecurityGroup") ? g : NULL;

	const struct value *p = val_get(rule, "IpProtocol");
	if (!p)
		p = val_get(rule, "Protocol"); /* NACL entries: a number */
	out->protocol = val_str(p);
	if (out->protocol && (!strcmp(out->protocol, "-1") || !strcasecmp(out->protocol, "all"))) {
		out->all_ports = true;
		out->from = 0;
		out->to = 65535;
		out->ports_known = YES;
		return;
	}
	const struct value *fv = val_get(rule, "FromPort");
	const struct value *tv = val_get(rule, "ToPort");
	const struct value *range = val_get(rule, "PortRange"); /* NACL entries */
	if (range) {
		fv = val_get(range, "From");
		tv = val_get(range, "To");
		if (!fv && !tv && val_is_unknown(range)) {
			out->ports_known = MAYBE;
			return;
		}
	}
	long from = 0, to = 0;
	enum tri tf = port_of(fv, &from), tt = port_of(tv, &to);
	if (tf == YES && tt == NO && !tv)
		to = from, tt = YES;
	if (tf == MAYBE || tt == MAYBE) {
		out->ports_known = MAYBE;
		return;
	}
	if (tf != YES || tt != YES) {
		out->ports_known = NO;
		return;
	}
	out->ports_known = YES;
	if (from == -1 || (from <= 0 && to >= 65535) || (from == 0 && to == -1)) {
		out->all_ports = true;
		from = 0;
		to = 65535;
	}
	out->from = from;
	out->to = to;
}

enum tri rel_ingress_admits(const struct rel_ingress *in, int proto, long port)
{
	int have;
	enum tri ptri;
	if (!in->protocol)
		ptri = MAYBE;
	else if (!rel_protocol_number(in->protocol, &have))
		ptri = NO; /* not a protocol AWS knows: the rule admits nothing */
	else
		ptri = have == -1 || have == proto ? YES : NO;
	if (ptri == NO)
		return NO;
	if (proto == -1)
		return ptri; /* every protocol: only a rule of protocol -1, whatever its ports */
	enum tri ports;
	if (in->all_ports)
		ports = YES;
	else if (in->ports_known != YES)
		ports = in->ports_known;
	else
		ports = in->from <= port && port <= in->to ? YES : NO;
	return tri_and(ptri, ports);
}

enum tri rel_ingress_covers(const struct rel_ingress *in, long port)
{
	return rel_ingress_admits(in, 6, port);
}

/* ---- input errors in rules and entries ---- */

struct diag_ctx {
	struct diags *d;
	const char *name;  /* the property, for the message */
	unsigned flags;    /* CIDR: cidr_parse flags */
	long lo, hi;       /* integers: the range */
};

/* A value as written, for a message: its text, or what kind of value it is. */
static void shown(const struct value *v, char *buf, size_t n)
{
	const char *t = val_str(v);
	if (t)
		snprintf(buf, n, "'%.60s%s'", t, strlen(t) > 60 ? "..." : "");
	else
		snprintf(buf, n, "(a %s)", val_kind_name(v->kind));
}

static void integer_alt(const struct value *v, void *vctx)
{
	const struct diag_ctx *c = vctx;
	double d;
	if (!v || v->kind == VAL_NULL || val_is_unknown(v))
		return;
	if (val_number(v, &d) == YES && int_ok(d, c->lo, c->hi))
		return;
	char buf[80];
	shown(v, buf, sizeof buf);
	if (c->lo < 0)
		diag_error(c->d, v->pos, "%s %s is not a port: ports are integers 0-65535 (-1: all)", c->name, buf);
	else
		diag_error(c->d, v->pos, "%s %s is not an integer %ld-%ld", c->name, buf, c->lo, c->hi);
}

static void cidr_diag_alt(const struct value *v, void *vctx)
{
	const struct diag_ctx *c = vctx;
	if (!v || v->kind == VAL_NULL || val_is_unknown(v))
		return;
	const char *t = v->kind == VAL_STRING ? val_str(v) : NULL;
	struct cidr net;
	enum cidr_status st = t ? cidr_parse(t, v->len, c->flags, &net, NULL) : CIDR_BAD_ADDRESS;
	if (st == CIDR_OK)
		return;
	char buf[80];
	shown(v, buf, sizeof buf);
	diag_error(c->d, v->pos, "%s %s is not a CIDR block: %s", c->name, buf, cidr_status_text(st));
}

void rel_cidr_diagnose(const struct value *cidr, const char *name, unsigned flags, struct diags *d)
{
	struct diag_ctx c = {d, name, flags, 0, 0};
	val_each_alternative(cidr, cidr_diag_alt, &c);
}

void rel_ingress_diagnose(const struct value *rule, struct diags *d)
{
	static const char *const ports[] = {"FromPort", "ToPort"};
	const struct value *range = val_get(rule, "PortRange");
	for (size_t i = 0; i < 2; i++) {
		struct diag_ctx c = {d, ports[i], 0, -1, 65535};
		val_each_alternative(val_get(rule, ports[i]), integer_alt, &c);
		c.name = i ? "PortRange To" : "PortRange From";
		val_each_alternative(val_get(range, i ? "To" : "From"), integer_alt, &c);
	}
	struct diag_ctx rn = {d, "RuleNumber", 0, 1, 32766}; /* NACL entries */
	val_each_alternative(val_get(rule, "RuleNumber"), integer_alt, &rn);
	for (size_t i = 0; i < sizeof cidr_keys / sizeof *cidr_keys; i++)
		rel_cidr_diagnose(val_get(rule, cidr_keys[i].key), cidr_keys[i].key, cidr_keys[i].flags, d);
}

struct ingress_walk {
	const struct stack *s;
	const struct resource *holder;
	rel_ingress_fn fn;
	void *ctx;
};

/* A rule map, or a list / Fn::If of them; rules under an undecided Fn::If are from the world only MAYBE. */
static void ingress_rules(const struct ingress_walk *w, const struct value *v, bool chosen)
{
	if (!v)
		return;
	if (v->kind == VAL_LIST || v->kind == VAL_CHOICE) {
		for (size_t i = 0; i < v->n; i++)
			ingress_rules(w, v->items[i], chosen || v->kind == VAL_CHOICE);
		return;
	}
	if (v->kind != VAL_MAP)
		return;
	struct rel_ingress in;
	rel_ingress_parse(w->s, w->holder, v, &in);
	in.chosen = chosen;
	if (chosen && in.world == YES)
		in.world = MAYBE;
	w->fn(&in, w->ctx);
}

void rel_ingress_rules(const struct stack *s, const struct resource *holder, const struct value *rules,
		       rel_ingress_fn fn, void *ctx)
{
	struct ingress_walk w = {s, holder, fn, ctx};
	ingress_rules(&w, rules, false);
}

void rel_sg_ingress(const struct stack *s, const struct resource *sg, rel_ingress_fn fn, void *ctx)
{
	struct ingress_walk w = {s, sg, fn, ctx};
	ingress_rules(&w, val_get(sg->props, "SecurityGroupIngress"), false);
	struct rel_set seen = {0};
	static const char *const keys[] = {"GroupId", "GroupName"};
	for (size_t k = 0; k < 2; k++) {
		size_t n;
		struct resource **rs = referrers(s, sg->id, "AWS::EC2::SecurityGroupIngress", keys[k], &n);
		for (size_t i = 0; i < n; i++) {
			if (rel_set_has(&seen, rs[i]) || rs[i]->deployed == NO)
				continue;
			set_add(s, &seen, rs[i]);
			w.holder = rs[i];
			ingress_rules(&w, rs[i]->props, false);
		}
	}
}

/* ---- databases and secrets ---- */

void rel_secret_rotations(const struct stack *s, const struct resource *secret, struct rel_set *out)
{
	memset(out, 0, sizeof *out);
	size_t n;
	struct resource **rs = referrers(s, secret->id, "AWS::SecretsManager::RotationSchedule", "SecretId", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, rs[i]);
}

struct rel_target rel_instance_cluster(const struct stack *s, const struct resource *instance)
{
	return target_of(s, val_get(instance->props, "DBClusterIdentifier"), "AWS::RDS::DBCluster");
}

/* ---- API Gateway ---- */

void rel_api_stages(const struct stack *s, const struct resource *api, struct rel_set *out)
{
	memset(out, 0, sizeof *out);
	size_t n;
	struct resource **v = referrers(s, api->id, "AWS::ApiGateway::Stage", "RestApiId", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, v[i]);
	v = referrers(s, api->id, "AWS::ApiGatewayV2::Stage", "ApiId", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, v[i]);
}

void rel_api_methods(const struct stack *s, const struct resource *api, struct rel_set *out)
{
	memset(out, 0, sizeof *out);
	size_t n;
	struct resource **v = referrers(s, api->id, "AWS::ApiGateway::Method", "RestApiId", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, v[i]);
	v = referrers(s, api->id, "AWS::ApiGatewayV2::Route", "ApiId", &n);
	for (size_t i = 0; i < n; i++)
		set_add(s, out, v[i]);
}

struct rel_target rel_api_of(const struct stack *s, const struct resource *r)
{
	const struct value *v = val_get(r->props, "RestApiId");
	if (v)
		return target_of(s, v, "AWS::ApiGateway::RestApi");
	return target_of(s, val_get(r->props, "ApiId"), "AWS::ApiGatewayV2::Api");
}

/* Does the ARN text after "/stages/" name stage `name`?  MAYBE when it is a ${...}. */
static enum tri stage_named(const char *p, const char *name)
{
	size_t nl = strlen(name);
	if (!strncmp(p, name, nl)) {
		unsigned char c = (unsigned char)p[nl];
		if (!(isalnum(c) || c == '-' || c == '_'))
			return YES;
	}
	return *p == '$' ? MAYBE : NO;
}

/*
 * Does the ARN text after "/stages/" substitute another stage resource of
 * the stack ("${OtherStage}": a Ref to a Stage is its name)?  Then the
 * association protects that stage, not this one.
 */
static bool other_stage(const struct stack *s, const struct resource *stage, const char *p)
{
	if (strncmp(p, "${", 2))
		return false;
	p += 2;
	const char *end = strchr(p, '}');
	char id[256];
	size_t n = end ? (size_t)(end - p) : 0;
	if (!n || n >= sizeof id || memchr(p, '.', n))
		return false;
	memcpy(id, p, n);
	id[n] = '\0';
	const struct resource *r = stack_find(s, id);
	return r && r != stage && !strcmp(r->type, "AWS::ApiGateway::Stage");
}

enum tri rel_stage_waf(const struct stack *s, const struct resource *stage, const struct resource **assoc)
{
	static const char *const types[] = {"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation"};
	struct rel_target api = rel_api_of(s, stage);
	const char *name = val_str(val_get(stage->props, "StageName"));
	enum tri best = NO;
	if (assoc)
		*assoc = NULL;
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *a = &s->res[i];
		if (strcmp(a->type, types[0]) && strcmp(a->type, types[1]))
			continue;
		const struct value *arn = val_get(a->props, "ResourceArn");
		enum tri t = NO;
		if (graph_mentions(arn, stage->id)) {
			t = YES;
		} else if (api.kind == REL_STACK && graph_mentions(arn, api.r->id)) {
			t = MAYBE;
			const char *text = arn && arn->kind == VAL_UNKNOWN ? arn->s : NULL;
			const char *p = text ? strstr(text, "/stages/") : NULL;
			if (p && other_stage(s, stage, p + strlen("/stages/")))
				t = NO;
			else if (p && name)
				t = stage_named(p + strlen("/stages/"), name);
		}
		t = tri_and(t, deployed_tri(a));
		if (t != NO && (best == NO || (best == MAYBE && t == YES))) {
			if (assoc)
				*assoc = a;
		}
		best = tri_or(best, t);
	}
	return best;
}

static enum tri engine_is_aurora(const struct value *v, const void *arg)
{
	(void)arg;
	if (!v || v->kind == VAL_NULL)
		return NO;
	const char *s = val_str(v);
	if (!s)
		return v->kind == VAL_UNKNOWN || v->kind == VAL_REF ? MAYBE : NO;
	return strncasecmp(s, "aurora", 6) ? NO : YES;
}

enum tri rel_instance_in_cluster(const struct resource *instance)
{
	const struct value *id = val_get(instance->props, "DBClusterIdentifier");
	if (id && id->kind != VAL_NULL)
		return YES;
	return val_over_alternatives(val_get(instance->props, "Engine"), engine_is_aurora, NULL);
}
