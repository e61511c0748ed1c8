/*
 * exposure.h - is a security group, a network ACL or a route table open to
 * the whole internet?  Decided by address arithmetic (core/cidr.h) over the
 * union of every rule that admits the traffic asked about, never by the
 * text "/0": 0.0.0.0/1 and 128.0.0.0/1 together are the whole IPv4
 * internet, ::/1 and 8000::/1 the whole IPv6 one.  Every network check asks
 * this module, so they all answer the same question the same way.
 *
 * Unknowns stay unknown: a rule whose range is a parameter without default,
 * a malformed CIDR (an input error, reported), a managed prefix list, or a
 * rule that only may apply (undecided condition, unknown port or protocol)
 * can make the answer MAYBE, never NO and never YES.  A rule whose source is
 * another security group admits that group's members only: no internet
 * address.
 */
#ifndef RAMPART_GRAPH_EXPOSURE_H
#define RAMPART_GRAPH_EXPOSURE_H

#include "graph/relations.h"

#include <stdbool.h>
#include <stddef.h>

/* One rule, ACL entry or route of a union. */
struct exp_item {
	/* in */
	const struct value *cidr; /* its range (may be unknown, malformed, or Fn::If alternatives), or NULL */
	unsigned flags;           /* how cidr must read (cidr_parse flags) */
	bool any;                 /* any address may be in it (a managed prefix list) */
	enum tri applies;         /* does it apply to the traffic asked about (protocol, port, direction,
				     deployed, chosen)?  NO: left out */
	/* out */
	enum tri world;           /* is it one of the rules that make up the whole internet: YES when the
				     union of the surely applying, surely known ranges covers 0.0.0.0/0 or
				     ::/0 and its range is in no larger one of them; MAYBE when only the
				     union of what may apply covers it */
	unsigned char family;     /* the family whose whole space it helps cover (4 or 6; 0 with world NO) */
};

/* Does the union of the items cover 0.0.0.0/0 or ::/0?  Sets each item's world and family. */
enum tri exp_open(struct exp_item *v, size_t n);

/* One network ACL entry. */
struct exp_acl_entry {
	struct exp_item item; /* applies: ingress, admits the traffic, deployed */
	enum tri allow;       /* RuleAction allow (NO: deny) */
	long number;          /* RuleNumber, when number_known */
	bool number_known;
};

/*
 * Does the ACL let the whole internet in?  The union of its allow entries'
 * ranges, leaving out an entry whose whole range lower-numbered deny entries
 * hold (it lets nothing in).  As AWS's own control (Security Hub EC2.21) and
 * the other scanners do, an allow of 0.0.0.0/0 after a deny of a few ranges
 * still counts: nearly all of the internet gets in.  An entry of unknown
 * number may come before any other.  item.world/family say which allow
 * entries do it (for MAYBE: which may).
 */
enum tri exp_acl_open(struct exp_acl_entry *v, size_t n);

/* ---- the stack's rules, by the group or ACL they belong to ---- */

/*
 * AWS allows at most 1,000 inbound rules in a security group (its rules per
 * group quota times groups per network interface) and 40 per network ACL
 * direction.  Past EXP_EXACT_MAX rules in one group or ACL (a template that
 * cannot deploy as it is), the answers whose cost grows with the square of
 * the rules are taken roughly, at most MAYBE: sg_open_any without ports,
 * exp_acl_open without the order of entries; net_view warns once.  Per
 * port (sg_open) nothing is left out at any size.
 */
#define EXP_EXACT_MAX 1000

/* The ingress rules of one security group: inline and AWS::EC2::SecurityGroupIngress. */
struct sg_scope {
	const struct resource *group; /* the AWS::EC2::SecurityGroup, or NULL for one outside the stack */
	const char *outside;          /* the outside group's GroupId/GroupName as written, or NULL if unknown */
	struct rel_ingress *rules;
	size_t n;
	const struct exp_item *any;   /* sg_open_any's answer, once asked */
	enum tri any_res;
};

/* The AWS::EC2::NetworkAclEntry resources of one network ACL. */
struct acl_scope {
	const struct resource *acl;   /* the AWS::EC2::NetworkAcl, or NULL for one outside the stack */
	const char *outside;
	const struct resource **entries;
	size_t n;
};

struct net_view {
	struct sg_scope *sg;
	size_t nsg;
	struct acl_scope *acl;
	size_t nacl;
};

/*
 * The stack's security groups and network ACLs with their rules, built on
 * first use and kept in the stack.  The first call reports, to d, what AWS
 * refuses in security group rules, ACL entries and routes (ports that are
 * not integers -1..65535, malformed CIDR blocks: rel_ingress_diagnose), each
 * once, however many checks ask.
 */
struct net_view *net_view(struct stack *s, struct diags *d);

typedef enum tri (*exp_rule_pred)(const struct rel_ingress *in, const void *arg);

/*
 * Does the security group admit the whole internet to what pred asks about
 * (pred YES: the rule admits it; MAYBE: may)?  out[0..sc->n) gets each
 * rule's part (exp_item world/family), in rule order.
 */
enum tri sg_open(const struct sg_scope *sc, exp_rule_pred pred, const void *arg, struct exp_item *out);

/*
 * Does it admit the whole internet to some protocol and port?  The union is
 * taken per protocol and port, at each rule's own (protocol, FromPort): where
 * rules of one group overlap, the highest FromPort of the overlapping ones is
 * admitted by all of them.  *out (sc->n items, in the stack's arena) gets
 * each rule's best part; the answer is kept in the scope, so asking again
 * (a group of several databases) costs nothing.
 */
enum tri sg_open_any(struct stack *s, struct sg_scope *sc, const struct exp_item **out);

/*
 * Does the network ACL let the whole internet in on protocol `proto`
 * (rel_ingress_admits) and port?  out[0..sc->n) as for exp_acl_open.
 */
enum tri acl_open(const struct stack *s, const struct acl_scope *sc, int proto, long port, struct exp_item *out);

#endif
