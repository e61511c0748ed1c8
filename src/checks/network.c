/*
 * network.c - the network layer's checks: is a database, a function or a
 * security group reachable from the internet, decided from routes, security
 * group rules and network ACL entries (graph/relations.h), never from names.
 */
#include "checks/catalogue.h"
#include "core/arena.h"
#include "core/cidr.h"
#include "core/xalloc.h"
#include "graph/exposure.h"
#include "graph/graph.h"
#include "graph/relations.h"
#include "model/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const GDPR_EXPOSURE = "Art. 5(1)(f),Art. 25,Art. 32";

/* Deployed for sure?  Findings on resources under an undecided condition are uncertain. */
static bool sure(const struct resource *r)
{
	return r->deployed == YES;
}

/* The VPC of a subnet has an internet gateway attached in the stack? */
static enum tri vpc_has_igw(const struct stack *s, const struct resource *vpc)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *a = &s->res[i];
		if (strcmp(a->type, "AWS::EC2::VPCGatewayAttachment"))
			continue;
		if (!graph_mentions(val_get(a->props, "VpcId"), vpc->id))
			continue;
		const struct value *g = val_get(a->props, "InternetGatewayId");
		if (g && g->kind != VAL_NULL)
			return a->deployed == YES ? YES : MAYBE;
	}
	return NO;
}

/* An instance in a cluster of the stack takes its network from the cluster. */
static bool instance_of_cluster(const struct stack *s, const struct resource *db, const char *own)
{
	if (strcmp(db->type, "AWS::RDS::DBInstance") || val_get(db->props, own))
		return false;
	return rel_instance_cluster(s, db).kind == REL_STACK;
}

/* ---- RMP-RDS-004: PubliclyAccessible ---- */

static void rds004(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *pa = val_get(r->props, "PubliclyAccessible");
	if (pa) {
		enum tri t = val_is_true(pa);
		if (t == YES)
			check_report(ctx, r, check_pos(r, pa), sure(r),
				     "database %s has PubliclyAccessible: true; it gets a public DNS name and address",
				     r->id);
		else if (t == MAYBE)
			check_report(ctx, r, check_pos(r, pa), false,
				     "PubliclyAccessible of database %s is not known from the template (%s)", r->id,
				     val_render(ctx->stack->arena, pa));
		return;
	}
	if (strcmp(r->type, "AWS::RDS::DBInstance") || rel_instance_cluster(ctx->stack, r).kind != REL_ABSENT)
		return;
	/* Not set: the default is public when the VPC has an internet gateway. */
	struct rel_set sub;
	rel_db_subnets(ctx->stack, r, &sub);
	if (sub.absent) {
		check_report(ctx, r, r->pos, false,
			     "database %s sets neither PubliclyAccessible nor DBSubnetGroupName: it goes to the "
			     "default VPC, where the default is publicly accessible",
			     r->id);
		return;
	}
	for (size_t i = 0; i < sub.n; i++) {
		struct resource *vpc = graph_target(ctx->stack, val_get(sub.v[i]->props, "VpcId"));
		if (vpc && vpc_has_igw(ctx->stack, vpc) != NO) {
			check_report(ctx, r, r->pos, false,
				     "database %s does not set PubliclyAccessible and its VPC %s has an internet "
				     "gateway: the default is then publicly accessible",
				     r->id, vpc->id);
			return;
		}
	}
}

/* ---- RMP-RDS-018: database in a public subnet ---- */

static void rds018(struct check_ctx *ctx, const struct resource *r)
{
	struct stack *s = ctx->stack;
	if (instance_of_cluster(s, r, "DBSubnetGroupName"))
		return; /* reported on the cluster */
	struct rel_set sub;
	rel_db_subnets(s, r, &sub);
	if (sub.absent && (strcmp(r->type, "AWS::RDS::DBInstance") || rel_instance_cluster(s, r).kind == REL_ABSENT)) {
		check_report(ctx, r, r->pos, false,
			     "database %s has no DBSubnetGroupName: it is placed in the default VPC, whose default "
			     "subnets route to an internet gateway",
			     r->id);
		return;
	}
	const struct resource *maybe = NULL;
	const char *maybe_why = NULL;
	for (size_t i = 0; i < sub.n; i++) {
		struct rel_subnet_info info;
		enum tri pub = rel_subnet_public(s, sub.v[i], &info);
		if (pub == YES) {
			check_report(ctx, r, r->pos, sure(r) && sure(sub.v[i]),
				     "database %s is in subnet %s, whose route table %s sends 0.0.0.0/0 to an "
				     "internet gateway",
				     r->id, sub.v[i]->id, info.route_table ? info.route_table->id : "?");
			return;
		}
		if (info.map_public_ip == YES) {
			check_report(ctx, r, r->pos, sure(r) && sure(sub.v[i]),
				     "database %s is in subnet %s, which gives public IP addresses on launch "
				     "(MapPublicIpOnLaunch)",
				     r->id, sub.v[i]->id);
			return;
		}
		if (pub == MAYBE && !maybe) {
			/* A subnet of a VPC created here, without an association,
			 * uses the new VPC's main route table: local routes only. */
			const struct resource *vpc = graph_target(s, val_get(sub.v[i]->props, "VpcId"));
			if (vpc && !info.route_table && !strcmp(vpc->type, "AWS::EC2::VPC") &&
			    !strncmp(info.why ? info.why : "", "no route table", 14))
				continue;
			maybe = sub.v[i];
			maybe_why = info.why;
		}
	}
	if (maybe)
		check_report(ctx, r, r->pos, false, "database %s is in subnet %s, which may be public: %s", r->id,
			     maybe->id, maybe_why ? maybe_why : "its routes are not known");
}

/*
 * KICS rds_associated_with_public_subnet's negatives put the database in a
 * subnet of a VPC that is not in the template, with no route table
 * association: the subnet then uses that VPC's main route table, which is
 * unknown here (the default VPC's main route table does route to an
 * internet gateway).  That is reported uncertain, on purpose.
 */

/* ---- security group rules from the world ---- */

/*
 * Whether a group admits the whole internet is graph/exposure.h's answer:
 * address arithmetic over the union of the group's rules that admit the
 * port (inline rules and AWS::EC2::SecurityGroupIngress, IPv4 and IPv6), so
 * 0.0.0.0/1 with 128.0.0.0/1 is the internet as 0.0.0.0/0 is.  Each rule
 * that makes it so is reported where it is written (a 10.0.0.0/8 rule
 * beside a 0.0.0.0/0 one is not); a managed prefix list, or a CIDR or port
 * that is unknown, makes the finding uncertain.
 */

/* The source of a rule, for a message. */
static const char *cidr_text(const struct rel_ingress *in, char *buf, size_t n)
{
	const char *c = val_str(in->cidr);
	if (c)
		return c;
	if (!in->cidr && in->prefix_list) {
		const char *pl = val_str(in->source);
		snprintf(buf, n, "prefix list %.60s (its ranges are not in the template)", pl ? pl : "(not known)");
		return buf;
	}
	return "an unknown CIDR";
}

/* Where a world rule is written: its CIDR or prefix list (the offending property), else the rule. */
static struct pos rule_pos(const struct rel_ingress *in)
{
	const struct value *at = in->cidr ? in->cidr : in->source;
	if (at && at->pos.line > 0)
		return at->pos;
	return check_pos(in->holder, in->rule);
}

/* Append to buf[0..n) at *off, never past its end. */
static void append(char *buf, size_t n, size_t *off, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t n, size_t *off, const char *fmt, ...)
{
	if (*off >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *off, n - *off, fmt, ap);
	va_end(ap);
	*off = w < 0 ? n : *off + (size_t)w;
}

/* What one check asks of every rule of a group: each TCP port of a list, or all ports. */
struct sg_ask {
	const long *ports;
	size_t nports; /* 0: all ports (SG-003) */
	void (*detail)(const struct rel_ingress *in, unsigned long mask, char *buf, size_t n);
};

/* One rule's answer over the ports asked. */
struct rule_answer {
	enum tri world;
	unsigned long mask; /* bit k: ports[k] is among those the group opens with this rule */
	char with[200];     /* the other rules that make the whole internet with it, or "" */
};

/* The rules of one question's answer, by family: which open the internet (world != NO). */
struct openers {
	size_t *v[2]; /* [0] IPv4, [1] IPv6: rule indices, in order */
	size_t n[2];
};

static void openers_of(const struct exp_item *items, size_t n, struct openers *o)
{
	o->n[0] = o->n[1] = 0;
	for (size_t i = 0; i < n; i++)
		if (items[i].world != NO) {
			int f = items[i].family == 6;
			o->v[f][o->n[f]++] = i;
		}
}

/* The other rules completing rule i's part of the internet, for a message (two named, the rest counted). */
static void partners(const struct sg_scope *sc, const struct exp_item *items, const struct openers *o, size_t i,
		     char *buf, size_t n)
{
	size_t off = 0, named = 0;
	char pl[120];
	buf[0] = '\0';
	int f = items[i].family == 6;
	if (sc->rules[i].world == YES || o->n[f] < 2)
		return; /* the whole internet on its own */
	for (size_t k = 0; k < o->n[f] && named < 2; k++)
		if (o->v[f][k] != i)
			append(buf, n, &off, "%s%s", named++ ? ", " : " (with ",
			       cidr_text(&sc->rules[o->v[f][k]], pl, sizeof pl));
	if (o->n[f] - 1 > named)
		append(buf, n, &off, " and %zu more", o->n[f] - 1 - named);
	append(buf, n, &off, " in the same group: together the whole IPv%d internet)", items[i].family);
}

static enum tri covers_port(const struct rel_ingress *in, const void *arg)
{
	return rel_ingress_covers(in, *(const long *)arg);
}

static enum tri admits_all_ports(const struct rel_ingress *in, const void *arg)
{
	(void)arg;
	if (in->all_ports)
		return YES;
	return !in->protocol || in->ports_known == MAYBE ? MAYBE : NO;
}

/* Report each rule that opens its group to the whole internet for the question. */
static void report_world_rules(struct check_ctx *ctx, const struct sg_ask *q)
{
	const struct net_view *nv = net_view(ctx->stack, ctx->diags);
	for (size_t g = 0; g < nv->nsg; g++) {
		const struct sg_scope *sc = &nv->sg[g];
		if (!sc->n)
			continue;
		struct exp_item *items = xreallocarray(NULL, sc->n, sizeof *items);
		struct rule_answer *ans = xcalloc(sc->n, sizeof *ans);
		struct openers o = {{xreallocarray(NULL, sc->n, sizeof(size_t)), xreallocarray(NULL, sc->n, sizeof(size_t))}, {0, 0}};
		for (size_t k = 0; k < (q->nports ? q->nports : 1); k++) {
			if (q->nports)
				sg_open(sc, covers_port, &q->ports[k], items);
			else
				sg_open(sc, admits_all_ports, NULL, items);
			openers_of(items, sc->n, &o);
			for (size_t i = 0; i < sc->n; i++) {
				if (items[i].world == NO)
					continue;
				ans[i].mask |= 1UL << k;
				if (ans[i].world == YES || (ans[i].world == MAYBE && items[i].world == MAYBE))
					continue;
				ans[i].world = items[i].world;
				partners(sc, items, &o, i, ans[i].with, sizeof ans[i].with);
			}
		}
		free(o.v[0]);
		free(o.v[1]);
		for (size_t i = 0; i < sc->n; i++) {
			if (ans[i].world == NO)
				continue;
			const struct rel_ingress *in = &sc->rules[i];
			char detail[160] = "", pl[120];
			q->detail(in, ans[i].mask, detail, sizeof detail);
			check_report(ctx, in->holder, rule_pos(in), ans[i].world == YES,
				     "security group rule in %s admits %s%s%s", in->holder->id,
				     cidr_text(in, pl, sizeof pl), detail, ans[i].with);
		}
		free(ans);
		free(items);
	}
}

/* Are the rule's protocol and ports known (else the message says so)? */
static bool ports_known(const struct rel_ingress *in)
{
	return in->protocol && in->ports_known == YES;
}

static const long db_ports[] = {3306, 5432, 1433, 1521, 27017, 6379, 11211, 9200, 5439, 8182};

static void detail_db_ports(const struct rel_ingress *in, unsigned long mask, char *buf, size_t n)
{
	size_t off = 0;
	if (in->all_ports) {
		snprintf(buf, n, " on all ports, database ports included");
		return;
	}
	if (!ports_known(in)) {
		snprintf(buf, n, " on ports not known from the template");
		return;
	}
	for (size_t i = 0; i < sizeof db_ports / sizeof *db_ports; i++)
		if (mask & (1UL << i))
			append(buf, n, &off, "%s%ld", off ? "," : " to database port ", db_ports[i]);
}

/*
 * Remote administration and file-sharing services: never for the whole
 * internet.  (KICS security_groups_with_exhibited_admin_ports lists the
 * same TCP services; NetBIOS 137/138 are UDP and not matched here.)
 */
static const struct {
	long port;
	const char *name;
} admin_ports[] = {
	{22, "SSH (22)"},       {3389, "RDP (3389)"},     {20, "FTP data (20)"}, {21, "FTP (21)"},
	{23, "Telnet (23)"},    {115, "SFTP (115)"},      {139, "NetBIOS (139)"}, {445, "SMB (445)"},
	{2049, "NFS (2049)"},
};
#define NADMIN (sizeof admin_ports / sizeof *admin_ports)

static void detail_admin_ports(const struct rel_ingress *in, unsigned long mask, char *buf, size_t n)
{
	size_t off = 0, named = 0;
	if (!ports_known(in)) {
		snprintf(buf, n, " on ports not known from the template");
		return;
	}
	for (size_t i = 0; i < NADMIN; i++)
		if ((mask & (1UL << i)) && named++ < 3)
			append(buf, n, &off, "%s%s", named > 1 ? ", " : " to ", admin_ports[i].name);
	if (named > 3)
		append(buf, n, &off, " and %zu more administration port%s", named - 3, named > 4 ? "s" : "");
}

static void detail_all_ports(const struct rel_ingress *in, unsigned long mask, char *buf, size_t n)
{
	(void)mask;
	if (in->all_ports)
		snprintf(buf, n, " on all ports%s", in->protocol && !strcmp(in->protocol, "-1") ? " and protocols" : "");
	else
		snprintf(buf, n, " on ports not known from the template");
}

static void detail_any(const struct rel_ingress *in, char *buf, size_t n)
{
	if (in->all_ports)
		snprintf(buf, n, " on all ports");
	else if (in->ports_known == YES && in->from == in->to)
		snprintf(buf, n, " on %s port %ld", in->protocol ? in->protocol : "?", in->from);
	else if (in->ports_known == YES)
		snprintf(buf, n, " on %s ports %ld-%ld", in->protocol ? in->protocol : "?", in->from, in->to);
}

/*
 * KICS ec2_sensitive_port_is_publicly_exposed also counts web and other
 * service ports (80, 8080, Hadoop 9000...) as sensitive; SG-001 is about
 * databases, SG-002 about administration and file sharing, and its
 * positives on other services are left to those tools.
 *
 * KICS fully_open_ingress's positives are single rules such as tcp FromPort
 * 80, ToPort 0 from 0.0.0.0/0.  A TCP range whose ToPort is below its
 * FromPort is empty: it admits no port (EC2 is expected to reject it as an
 * invalid range; not verified here), and certainly not every port, so
 * SG-003 does not report them, nor SG-002 a FromPort 22 in such a rule.
 *
 * KICS unrestricted_security_group_ingress flags every rule from
 * 0.0.0.0/0 or ::/0, HTTP 80 included: a web server's normal rule, not a
 * risk worth a finding; SG-003 reports only all-port rules.
 */
static void run_sg001(struct check_ctx *ctx)
{
	struct sg_ask q = {db_ports, sizeof db_ports / sizeof *db_ports, detail_db_ports};
	report_world_rules(ctx, &q);
}

static void run_sg002(struct check_ctx *ctx)
{
	long ports[NADMIN];
	for (size_t i = 0; i < NADMIN; i++)
		ports[i] = admin_ports[i].port;
	struct sg_ask q = {ports, NADMIN, detail_admin_ports};
	report_world_rules(ctx, &q);
}

static void run_sg003(struct check_ctx *ctx)
{
	struct sg_ask q = {NULL, 0, detail_all_ports};
	report_world_rules(ctx, &q);
}

/* ---- RMP-RDS-019: database or proxy security group open to the world ---- */

/* The view's rules of a security group of the stack. */
static struct sg_scope *scope_of(struct net_view *nv, const struct resource *sg)
{
	for (size_t i = 0; i < nv->nsg; i++)
		if (nv->sg[i].group == sg)
			return &nv->sg[i];
	return NULL;
}

/* One finding per group: the first rule that opens it (a sure one if any), and how many do. */
static void rds019_group(struct check_ctx *ctx, const struct resource *r, const char *what, struct sg_scope *sc)
{
	const struct exp_item *items;
	sg_open_any(ctx->stack, sc, &items);
	size_t first = sc->n, count = 0;
	for (size_t i = 0; i < sc->n; i++) {
		if (items[i].world == NO)
			continue;
		count++;
		if (first == sc->n || (items[i].world == YES && items[first].world != YES))
			first = i;
	}
	if (!count)
		return;
	const struct rel_ingress *in = &sc->rules[first];
	char detail[160] = "", more[64] = "", pl[120];
	detail_any(in, detail, sizeof detail);
	if (count > 1)
		snprintf(more, sizeof more, " (and %zu more rule%s from the internet)", count - 1, count > 2 ? "s" : "");
	check_report(ctx, r, rule_pos(in), items[first].world == YES && sure(r), "%s: security group %s admits %s%s%s",
		     what, sc->group->id, cidr_text(in, pl, sizeof pl), detail, more);
}

/* EC2-classic DB security groups: the union of their CIDRIP ranges. */
static void rds019_classic(struct check_ctx *ctx, const struct resource *r, const char *what,
			   const struct resource *g)
{
	const struct value *ing = val_get(g->props, "DBSecurityGroupIngress");
	size_t n = val_len(ing);
	if (!n)
		return;
	struct exp_item *items = xcalloc(n, sizeof *items);
	for (size_t j = 0; j < n; j++) {
		items[j].cidr = val_get(val_item(ing, j), "CIDRIP");
		items[j].flags = CIDR_NEED_PREFIX | CIDR_ONLY_V4;
		items[j].applies = items[j].cidr ? g->deployed : NO;
	}
	exp_open(items, n);
	for (size_t j = 0; j < n; j++)
		if (items[j].world != NO)
			check_report(ctx, r, check_pos(g, items[j].cidr), items[j].world == YES && sure(r),
				     "%s: DB security group %s admits %s", what, g->id,
				     val_str(items[j].cidr) ? val_str(items[j].cidr) : "an unknown CIDR");
	free(items);
}

static void rds019(struct check_ctx *ctx, const struct resource *r)
{
	struct stack *s = ctx->stack;
	const char *own = !strcmp(r->type, "AWS::RDS::DBInstance") ? "VPCSecurityGroups" : "VpcSecurityGroupIds";
	if (instance_of_cluster(s, r, own))
		return; /* reported on the cluster */
	struct net_view *nv = net_view(s, ctx->diags);
	struct rel_set sgs;
	rel_security_groups(s, r, &sgs);
	char what[300];
	snprintf(what, sizeof what, "%s %s", !strcmp(r->type, "AWS::RDS::DBProxy") ? "proxy" : "database", r->id);
	for (size_t i = 0; i < sgs.n; i++) {
		struct sg_scope *sc = scope_of(nv, sgs.v[i]);
		if (sc && sc->n)
			rds019_group(ctx, r, what, sc);
	}
	const struct value *dbsg = val_get(r->props, "DBSecurityGroups");
	for (size_t i = 0; i < val_len(dbsg); i++) {
		struct resource *g = graph_target(s, val_item(dbsg, i));
		if (g && !strcmp(g->type, "AWS::RDS::DBSecurityGroup"))
			rds019_classic(ctx, r, what, g);
	}
}

/* ---- RMP-NACL-001 ---- */

/*
 * Per network ACL: is SSH or RDP let in from the whole internet, each
 * address decided by the first entry (by RuleNumber) whose range holds it
 * (graph/exposure.h)?  Each allow entry that does it is reported; an allow
 * shadowed by a lower-numbered deny of the same range is not.
 */
static void run_nacl001(struct check_ctx *ctx)
{
	struct stack *s = ctx->stack;
	const struct net_view *nv = net_view(s, ctx->diags);
	static const long ports[] = {22, 3389};
	for (size_t a = 0; a < nv->nacl; a++) {
		const struct acl_scope *sc = &nv->acl[a];
		struct exp_item *items = xreallocarray(NULL, 2 * sc->n, sizeof *items);
		for (size_t k = 0; k < 2; k++)
			acl_open(s, sc, 6, ports[k], items + k * sc->n);
		for (size_t i = 0; i < sc->n; i++) {
			const struct resource *r = sc->entries[i];
			enum tri best = NO;
			char which[40] = "";
			size_t off = 0;
			for (size_t k = 0; k < 2; k++) {
				enum tri w = items[k * sc->n + i].world;
				if (w == NO)
					continue;
				append(which, sizeof which, &off, "%s%ld", off ? "," : "", ports[k]);
				best = best == YES || w == YES ? YES : MAYBE;
			}
			if (best == NO)
				continue;
			struct rel_ingress in;
			rel_ingress_parse(s, r, r->props, &in);
			char pl[120];
			check_report(ctx, r, r->pos, best == YES && sure(r), "network ACL entry %s allows ingress from %s to %s",
				     r->id, cidr_text(&in, pl, sizeof pl),
				     ports_known(&in) ? which : "ports not known from the template");
		}
		free(items);
	}
}

/* ---- RMP-SUB-001 ---- */

static void sub001(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *m = val_get(r->props, "MapPublicIpOnLaunch");
	enum tri t = val_is_true(m);
	if (t == NO)
		return;
	check_report(ctx, r, check_pos(r, m), t == YES && sure(r),
		     t == YES ? "subnet %s gives every instance launched in it a public IP address"
			      : "subnet %s may give instances public IP addresses (MapPublicIpOnLaunch not known)",
		     r->id);
}

/* ---- RMP-LMB-001: function not in a VPC ---- */

struct db_find {
	const struct stack *s;
	const struct resource *db;
};

static void db_ref(const char *id, void *vctx)
{
	struct db_find *f = vctx;
	const struct resource *r = stack_find(f->s, id);
	if (!r || f->db)
		return;
	if (!strcmp(r->type, "AWS::RDS::DBInstance") || !strcmp(r->type, "AWS::RDS::DBCluster") ||
	    !strcmp(r->type, "AWS::RDS::DBProxy") || !strcmp(r->type, "AWS::RDS::DBProxyEndpoint"))
		f->db = r;
}

/* A secret attached to a database (SecretTargetAttachment) holds its connection details. */
static void secret_db_ref(const char *id, void *vctx)
{
	struct db_find *f = vctx;
	const struct resource *r = stack_find(f->s, id);
	if (!r || f->db || strcmp(r->type, "AWS::SecretsManager::Secret"))
		return;
	for (size_t i = 0; i < f->s->nres && !f->db; i++) {
		const struct resource *a = &f->s->res[i];
		if (!strcmp(a->type, "AWS::SecretsManager::SecretTargetAttachment") &&
		    graph_mentions(val_get(a->props, "SecretId"), r->id))
			graph_each_ref(val_get(a->props, "TargetId"), db_ref, f);
	}
}

/* Is the statement an Allow naming an action of the service `prefix` ("rds-db:")? */
static bool allows_service(const struct rel_statement *st, const char *prefix)
{
	if (val_equals(val_get(st->stmt, "Effect"), "Allow") != YES)
		return false;
	const struct value *a = val_get(st->stmt, "Action");
	size_t n = a && a->kind == VAL_LIST ? a->n : 1;
	for (size_t i = 0; i < n; i++) {
		const char *s = val_str(a && a->kind == VAL_LIST ? a->items[i] : a);
		if (s && !strncasecmp(s, prefix, strlen(prefix)))
			return true;
	}
	return false;
}

static void rds_db_stmt(const struct rel_statement *st, void *vctx)
{
	bool *found = vctx;
	*found |= allows_service(st, "rds-db:");
}

/*
 * The RDS database or proxy a function connects to, if any: named in its
 * properties (environment), through a secret attached to it, or "(IAM
 * database authentication)" when its role allows rds-db:connect.
 */
static const char *function_database(const struct stack *s, const struct resource *fn)
{
	struct db_find f = {s, NULL};
	const struct value *env = val_get(fn->props, "Environment");
	graph_each_ref(fn->props, db_ref, &f);
	if (!f.db)
		graph_each_ref(env, secret_db_ref, &f);
	if (f.db)
		return f.db->id;
	struct resource *role = rel_function_role(s, fn);
	bool iam_auth = false;
	if (role)
		rel_principal_statements(s, role, rds_db_stmt, &iam_auth);
	return iam_auth ? "a database (its role allows rds-db:connect)" : NULL;
}

static void lmb001(struct check_ctx *ctx, const struct resource *r)
{
	if (rel_function_in_vpc(r) != NO)
		return;
	const char *db = function_database(ctx->stack, r);
	if (db)
		check_report_severity(ctx, r, r->pos, sure(r), SEV_MEDIUM,
				      "function %s connects to %s but is not attached to a VPC: the database must "
				      "then accept connections from outside its VPC",
				      r->id, db);
	else
		check_report(ctx, r, r->pos, sure(r), "function %s is not attached to a VPC", r->id);
}

/* ---- RMP-VPC-001: VPC functions using AWS services without endpoints ---- */

struct service_use {
	const char *prefix;   /* "dynamodb:" */
	const char *resource; /* "AWS::DynamoDB::Table" */
	bool used;
};

static void use_stmt(const struct rel_statement *st, void *vctx)
{
	struct service_use *u = vctx;
	u->used |= allows_service(st, u->prefix);
}

struct type_find {
	const struct stack *s;
	const char *type;
	bool found;
};

static void type_ref(const char *id, void *vctx)
{
	struct type_find *f = vctx;
	const struct resource *r = stack_find(f->s, id);
	if (r && !strcmp(r->type, f->type))
		f->found = true;
}

static bool uses_service(const struct stack *s, const struct resource *fn, const char *prefix, const char *type)
{
	struct type_find f = {s, type, false};
	graph_each_ref(val_get(fn->props, "Environment"), type_ref, &f);
	if (f.found)
		return true;
	struct resource *role = rel_function_role(s, fn);
	if (!role)
		return false;
	struct service_use u = {prefix, type, false};
	rel_principal_statements(s, role, use_stmt, &u);
	return u.used;
}

/* An interface/gateway endpoint for the service ("com.amazonaws.<region>.<name>") in the stack? */
static bool has_endpoint(const struct stack *s, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (strcmp(r->type, "AWS::EC2::VPCEndpoint"))
			continue;
		const char *t = query_text(val_get(r->props, "ServiceName"));
		if (!t)
			continue;
		size_t tl = strlen(t);
		if (tl > nl && t[tl - nl - 1] == '.' && !strcmp(t + tl - nl, name))
			return true;
	}
	return false;
}

static void vpc001(struct check_ctx *ctx, const struct resource *r)
{
	struct stack *s = ctx->stack;
	if (rel_function_in_vpc(r) != YES)
		return;
	static const struct {
		const char *prefix, *type, *endpoint, *label;
	} svc[] = {
		{"dynamodb:", "AWS::DynamoDB::Table", "dynamodb", "DynamoDB"},
		{"secretsmanager:", "AWS::SecretsManager::Secret", "secretsmanager", "Secrets Manager"},
	};
	for (size_t i = 0; i < sizeof svc / sizeof *svc; i++) {
		if (!uses_service(s, r, svc[i].prefix, svc[i].type) || has_endpoint(s, svc[i].endpoint))
			continue;
		check_report(ctx, r, r->pos, false,
			     "function %s runs in a VPC and uses %s, but the stack defines no VPC endpoint for it "
			     "(traffic needs a NAT gateway and leaves the VPC, unless an endpoint exists elsewhere)",
			     r->id, svc[i].label);
	}
}

/* ---- the table ---- */

const struct check checks_network[] = {
	{
		.id = "RMP-RDS-004",
		.title = "RDS databases are not publicly accessible",
		.severity = SEV_CRITICAL,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "RDS.2",
		.cis = "2.3.3",
		.checkov = "CKV_AWS_17",
		.kics = "rds_db_instance_publicly_accessible",
		.cfn_nag = "F22",
		.cdk_nag = "RDSInstancePublicAccess",
		.kics_tf = "",
		.trivy = "AVD-AWS-0180",
		.guard = "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
		.coverage = "R4",
		.unknowns = "PubliclyAccessible from an undecided parameter or condition: reported, uncertain. Not "
			    "set on an instance: reported uncertain when it has no subnet group (default VPC) or its "
			    "VPC has an internet gateway attached in the stack, since the default is then public.",
		.remediation = "Set PubliclyAccessible: false and reach the database from inside its VPC (Lambda "
			       "in the VPC, RDS Proxy, or a bastion through Session Manager).",
		.snippet = "Database:\n  Type: AWS::RDS::DBInstance\n  Properties:\n    PubliclyAccessible: false\n"
			   "    DBSubnetGroupName: !Ref PrivateDbSubnetGroup\n",
		.each = rds004,
	},
	{
		.id = "RMP-RDS-018",
		.title = "RDS databases are only in private subnets",
		.severity = SEV_HIGH,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
		.related_types = "AWS::RDS::DBSubnetGroup,AWS::EC2::Subnet,AWS::EC2::SubnetRouteTableAssociation,"
				 "AWS::EC2::RouteTable,AWS::EC2::Route",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "rds_associated_with_public_subnet",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "R18",
		.unknowns = "A subnet is public when its route table association leads to a 0.0.0.0/0 or ::/0 route "
			    "to an internet gateway, or when it sets MapPublicIpOnLaunch; never by name. A default "
			    "route to a gateway from a parameter, a route table outside the stack, or a subnet of an "
			    "outside VPC without an association (main route table unknown): reported, uncertain. "
			    "No subnet group (default VPC, public subnets): reported, uncertain. Subnets from "
			    "parameters are not judged.",
		.remediation = "Put the database subnet group on subnets whose route table has no route to an "
			       "internet gateway (use a NAT gateway or VPC endpoints for outbound traffic).",
		.snippet = "DbSubnetGroup:\n  Type: AWS::RDS::DBSubnetGroup\n  Properties:\n"
			   "    DBSubnetGroupDescription: private subnets only\n"
			   "    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]\n",
		.each = rds018,
	},
	{
		.id = "RMP-RDS-019",
		.title = "Database and proxy security groups do not admit the whole internet",
		.severity = SEV_HIGH,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster,AWS::RDS::DBProxy",
		.related_types = "AWS::EC2::SecurityGroup,AWS::EC2::SecurityGroupIngress,AWS::RDS::DBSecurityGroup",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_198",
		.kics = "db_security_group_with_public_scope",
		.cfn_nag = "",
		.cdk_nag = "AwsSolutions-RDS8",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "R19",
		.unknowns = "The whole internet is the union of the group's rules for one protocol and port, by "
			    "address arithmetic (0.0.0.0/1 with 128.0.0.0/1 is 0.0.0.0/0). A rule whose CIDR comes from "
			    "a parameter without a default or an undecided condition, is malformed, or is a managed "
			    "prefix list: reported, uncertain. Security groups from parameters are not judged.",
		.remediation = "Admit only the security groups of the functions or proxy that use the database "
			       "(SourceSecurityGroupId), never 0.0.0.0/0 or ::/0.",
		.snippet = "DbSecurityGroupIngress:\n  Type: AWS::EC2::SecurityGroupIngress\n  Properties:\n"
			   "    GroupId: !Ref DbSecurityGroup\n    IpProtocol: tcp\n    FromPort: 5432\n"
			   "    ToPort: 5432\n    SourceSecurityGroupId: !Ref FunctionSecurityGroup\n",
		.each = rds019,
	},
	{
		.id = "RMP-SG-001",
		.title = "Security groups do not admit the internet to database ports",
		.severity = SEV_CRITICAL,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::EC2::SecurityGroup,AWS::EC2::SecurityGroupIngress",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "EC2.19",
		.cis = "",
		.checkov = "",
		.kics = "ec2_sensitive_port_is_publicly_exposed",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Ports 3306, 5432, 1433, 1521, 27017, 6379, 11211, 9200, 5439, 8182 or a range covering "
			    "one, from the whole internet: the union of the group's rules for the port (inline and "
			    "SecurityGroupIngress, IPv4 and IPv6), by address arithmetic. A CIDR, protocol or port "
			    "that is unknown (parameter without default, undecided condition, malformed) or a "
			    "managed prefix list: reported, uncertain.",
		.remediation = "Remove the 0.0.0.0/0 and ::/0 rules to database ports; admit the client security "
			       "groups instead.",
		.snippet = "SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 5432\n    ToPort: 5432\n"
			   "    SourceSecurityGroupId: !Ref AppSecurityGroup\n",
		.run = run_sg001,
	},
	{
		.id = "RMP-SG-002",
		.title = "Security groups do not admit the internet to SSH, RDP or other administration and "
			 "file-sharing ports",
		.severity = SEV_HIGH,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::EC2::SecurityGroup,AWS::EC2::SecurityGroupIngress",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "EC2.13,EC2.14",
		.cis = "5.2,5.3",
		.checkov = "CKV_AWS_24,CKV_AWS_25",
		.kics = "security_groups_with_exhibited_admin_ports,remote_desktop_port_open_to_internet",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "TCP 22 (SSH), 3389 (RDP), 20/21 (FTP), 23 (Telnet), 115 (SFTP), 139 (NetBIOS), 445 "
			    "(SMB), 2049 (NFS), or a range covering one, from the whole internet: the union of the "
			    "group's rules for the port, by address arithmetic. A CIDR, protocol or port that is "
			    "unknown or malformed, or a managed prefix list: reported, uncertain.",
		.remediation = "Close these ports to 0.0.0.0/0 and ::/0; use Session Manager, or admit a known "
			       "administrative range only.",
		.snippet = "SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 22\n    ToPort: 22\n"
			   "    CidrIp: 203.0.113.10/32  # your office, or use Session Manager instead\n",
		.run = run_sg002,
	},
	{
		.id = "RMP-SG-003",
		.title = "Security groups do not admit the internet on all ports",
		.severity = SEV_HIGH,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::EC2::SecurityGroup,AWS::EC2::SecurityGroupIngress",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "EC2.18",
		.cis = "",
		.checkov = "CKV_AWS_277",
		.kics = "fully_open_ingress,unrestricted_security_group_ingress",
		.cfn_nag = "W42",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Protocol -1 or a 0-65535 range from the whole internet (the union of such rules of the "
			    "group: 0.0.0.0/0, ::/0, or ranges that add up to them). An unknown or malformed CIDR, "
			    "protocol or port, or a managed prefix list: reported, uncertain.",
		.remediation = "Replace the all-traffic rule with rules for the ports the service needs, from the "
			       "sources that need them.",
		.snippet = "SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 443\n    ToPort: 443\n"
			   "    CidrIp: 0.0.0.0/0\n",
		.run = run_sg003,
	},
	{
		.id = "RMP-NACL-001",
		.title = "Network ACLs do not allow ingress from the internet to SSH or RDP",
		.severity = SEV_MEDIUM,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::EC2::NetworkAclEntry",
		.gdpr = GDPR_EXPOSURE,
		.fsbp = "EC2.21",
		.cis = "5.1",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "The allow entries of an ACL whose ranges add up to the whole internet for the port. An "
			    "allow entry whose whole range lower-numbered deny entries of the same ACL hold is not "
			    "counted. Unknown or malformed CIDR, protocol, ports, rule number or action: reported, "
			    "uncertain.",
		.remediation = "Deny 22 and 3389 from 0.0.0.0/0 in the ACL, or allow them only from known ranges.",
		.snippet = "DenySsh:\n  Type: AWS::EC2::NetworkAclEntry\n  Properties:\n    NetworkAclId: !Ref Acl\n"
			   "    RuleNumber: 90\n    Protocol: 6\n    RuleAction: deny\n    CidrBlock: 0.0.0.0/0\n"
			   "    PortRange: {From: 22, To: 22}\n",
		.run = run_nacl001,
	},
	{
		.id = "RMP-SUB-001",
		.title = "Subnets do not assign public IP addresses on launch",
		.severity = SEV_MEDIUM,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::EC2::Subnet",
		.gdpr = "Art. 25",
		.fsbp = "EC2.15",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "W33",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "MapPublicIpOnLaunch from a parameter without default or an undecided condition: "
			    "reported, uncertain.",
		.remediation = "Set MapPublicIpOnLaunch: false; give public addresses only to the load balancers or "
			       "NAT gateways that need them.",
		.snippet = "Subnet:\n  Type: AWS::EC2::Subnet\n  Properties:\n    MapPublicIpOnLaunch: false\n",
		.each = sub001,
	},
	{
		.id = "RMP-LMB-001",
		.title = "Lambda functions run in a VPC (required when they connect to an RDS database)",
		.severity = SEV_LOW,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::Lambda::Function",
		.related_types = "AWS::Serverless::Function",
		.gdpr = "Art. 25,Art. 32",
		.fsbp = "Lambda.3",
		.cis = "",
		.checkov = "CKV_AWS_117",
		.kics = "",
		.cfn_nag = "W89",
		.cdk_nag = "LambdaInsideVPC",
		.kics_tf = "",
		.trivy = "",
		.guard = "LAMBDA_INSIDE_VPC",
		.coverage = "L1",
		.unknowns = "VpcConfig unknown or under an undecided condition: not reported. A function that "
			    "connects to an RDS database (its properties name an instance, cluster or proxy of the "
			    "stack, or a secret attached to one; or its role allows rds-db:connect) is reported at "
			    "medium.",
		.remediation = "Attach the function to private subnets of the database's VPC with VpcConfig, and "
			       "admit its security group on the database's.",
		.snippet = "Function:\n  Type: AWS::Serverless::Function\n  Properties:\n    VpcConfig:\n"
			   "      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]\n"
			   "      SecurityGroupIds: [!Ref FunctionSecurityGroup]\n",
		.each = lmb001,
	},
	{
		.id = "RMP-VPC-001",
		.title = "VPC functions reach DynamoDB and Secrets Manager through VPC endpoints",
		.severity = SEV_LOW,
		.layer = LAYER_NETWORK,
		.resource_types = "AWS::Lambda::Function",
		.related_types = "AWS::EC2::VPCEndpoint",
		.gdpr = "Art. 25,Art. 32",
		.fsbp = "EC2.10",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Always uncertain: the endpoint may be defined in another stack. Use is read from the "
			    "function's environment (names a table or secret) and its role's Allow actions.",
		.remediation = "Add a gateway endpoint for DynamoDB and an interface endpoint for Secrets Manager to "
			       "the function's VPC.",
		.snippet = "DynamoDbEndpoint:\n  Type: AWS::EC2::VPCEndpoint\n  Properties:\n    VpcId: !Ref Vpc\n"
			   "    ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb\n"
			   "    RouteTableIds: [!Ref PrivateRouteTable]\n",
		.each = vpc001,
	},
};
const size_t checks_network_count = sizeof checks_network / sizeof *checks_network;
