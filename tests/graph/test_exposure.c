/*
 * test_exposure.c - open to the whole internet by address arithmetic: the
 * union engine on its own (sure and uncertain ranges, Fn::If alternatives,
 * malformed and unknown ranges, which items are named), network ACL entries
 * (deny shadowing, unknown numbers), routes to an internet gateway split in
 * halves, the per-stack view (groups inside and outside the stack,
 * diagnostics once), and the strict integer reader behind ports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "core/cidr.h"
#include "core/strbuf.h"
#include "graph/exposure.h"
#include "graph/relations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Properties of resource R, one per range to try, in a stack with a parameter and a condition. */
static const char *RANGES =
	"Parameters: {Cidr: {Type: String}, Env: {Type: String}}\n"
	"Conditions: {Dev: !Equals [!Ref Env, dev]}\n"
	"Resources:\n"
	"  R:\n"
	"    Type: Custom::Ranges\n"
	"    Properties:\n"
	"      All: 0.0.0.0/0\n"
	"      Low: 0.0.0.0/1\n"
	"      High: 128.0.0.0/1\n"
	"      Ten: 10.0.0.0/8\n"
	"      Six0: '::/1'\n"
	"      Six1: '8000::/1'\n"
	"      Param: !Ref Cidr\n"
	"      Either: !If [Dev, 0.0.0.0/1, 10.0.0.0/8]\n"
	"      Bad: 10.0.0.0/x\n"
	"      Bare: 8.8.8.8\n";

static struct exp_item item(struct harness *h, const char *prop, enum tri applies)
{
	struct exp_item it;
	memset(&it, 0, sizeof it);
	it.cidr = val_get(stack_find(h->stack, "R")->props, prop);
	assert_non_null(it.cidr);
	it.flags = CIDR_NEED_PREFIX;
	it.applies = applies;
	return it;
}

static void test_union(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, RANGES);
	struct exp_item v[4];

	/* halves, surely: both named, YES, IPv4 */
	v[0] = item(&h, "Low", YES);
	v[1] = item(&h, "High", YES);
	v[2] = item(&h, "Ten", YES);
	assert_int_equal(exp_open(v, 3), YES);
	assert_int_equal(v[0].world, YES);
	assert_int_equal(v[1].world, YES);
	assert_int_equal(v[2].world, NO); /* inside 0.0.0.0/1: not blamed */
	assert_int_equal(v[0].family, 4);
	/* a half that only may apply: MAYBE, and both named */
	v[1].applies = MAYBE;
	assert_int_equal(exp_open(v, 3), MAYBE);
	assert_int_equal(v[0].world, MAYBE);
	assert_int_equal(v[1].world, MAYBE);
	/* a half that does not apply: nothing */
	v[1].applies = NO;
	assert_int_equal(exp_open(v, 3), NO);
	assert_int_equal(v[0].world, NO);
	/* IPv6 halves */
	v[0] = item(&h, "Six0", YES);
	v[1] = item(&h, "Six1", YES);
	assert_int_equal(exp_open(v, 2), YES);
	assert_int_equal(v[1].family, 6);
	/* unknown (a parameter), malformed, or a prefix list: every address, so only MAYBE */
	static const char *const unknown[] = {"Param", "Bad"};
	for (size_t i = 0; i < 2; i++) {
		v[0] = item(&h, unknown[i], YES);
		assert_int_equal(exp_open(v, 1), MAYBE);
		assert_int_equal(v[0].world, MAYBE);
	}
	memset(&v[0], 0, sizeof v[0]);
	v[0].any = true;
	v[0].applies = YES;
	assert_int_equal(exp_open(v, 1), MAYBE);
	/* a sure 0.0.0.0/0 beside an unknown range: YES, and only the sure one for IPv4 */
	v[0] = item(&h, "All", YES);
	v[1] = item(&h, "Param", YES);
	assert_int_equal(exp_open(v, 2), YES);
	assert_int_equal(v[0].world, YES);
	assert_int_equal(v[1].world, MAYBE); /* it may be ::/0 */
	assert_int_equal(v[1].family, 6);
	/* Fn::If: either alternative may deploy */
	v[0] = item(&h, "Either", YES);
	v[1] = item(&h, "High", YES);
	assert_int_equal(exp_open(v, 2), MAYBE);
	/* a bare address (EC2 refuses it) is one host, not every address */
	v[0] = item(&h, "Bare", YES);
	assert_int_equal(exp_open(v, 1), NO);
	assert_int_equal(exp_open(NULL, 0), NO);
	harness_free(&h);
}

static struct exp_acl_entry entry(struct harness *h, const char *prop, enum tri allow, long number)
{
	struct exp_acl_entry e;
	memset(&e, 0, sizeof e);
	e.item = item(h, prop, YES);
	e.allow = allow;
	e.number = number;
	e.number_known = number > 0;
	return e;
}

static void test_acl(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, RANGES);
	struct exp_acl_entry v[4];
	/* two allowed halves */
	v[0] = entry(&h, "Low", YES, 100);
	v[1] = entry(&h, "High", YES, 110);
	assert_int_equal(exp_acl_open(v, 2), YES);
	assert_int_equal(v[0].item.world, YES);
	assert_int_equal(v[1].item.world, YES);
	/* the halves denied first shadow an allow of everything */
	v[0] = entry(&h, "Low", NO, 10);
	v[1] = entry(&h, "High", NO, 20);
	v[2] = entry(&h, "All", YES, 100);
	assert_int_equal(exp_acl_open(v, 3), NO);
	/* denied after: the allow decides */
	v[0].number = 200;
	v[1].number = 210;
	assert_int_equal(exp_acl_open(v, 3), YES);
	assert_int_equal(v[2].item.world, YES);
	assert_int_equal(v[0].item.world, NO);
	/* a deny of a part leaves nearly the whole internet in: still reported */
	v[0] = entry(&h, "Ten", NO, 10);
	v[1] = entry(&h, "All", YES, 100);
	assert_int_equal(exp_acl_open(v, 2), YES);
	/* a deny whose number is unknown may come first: MAYBE */
	v[0] = entry(&h, "All", NO, 0);
	assert_int_equal(exp_acl_open(v, 2), MAYBE);
	assert_int_equal(v[1].item.world, MAYBE);
	/* an allow whose number is unknown, alone: it lets the internet in whatever its number */
	v[0] = entry(&h, "All", YES, 0);
	assert_int_equal(exp_acl_open(v, 1), YES);
	/* ... but not past a deny of everything that may come first */
	v[1] = entry(&h, "All", NO, 100);
	assert_int_equal(exp_acl_open(v, 2), MAYBE);
	harness_free(&h);
}

/* Issue 8 for routes: a default route split in halves to an internet gateway is a default route. */
static void test_routes_split(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
			  "  Igw: {Type: AWS::EC2::InternetGateway}\n"
			  "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			  "  T: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
			  "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S, RouteTableId: !Ref T}}\n"
			  "  Low: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref T, DestinationCidrBlock: 0.0.0.0/1, GatewayId: !Ref Igw}}\n"
			  "  High: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref T, DestinationCidrBlock: 128.0.0.0/1, GatewayId: !Ref Igw}}\n"
			  "  S6: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}\n"
			  "  T6: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
			  "  A6: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S6, RouteTableId: !Ref T6}}\n"
			  "  Low6: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref T6, DestinationIpv6CidrBlock: '::/1', GatewayId: !Ref Igw}}\n"
			  "  Nat6: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref T6, DestinationIpv6CidrBlock: '8000::/1', NatGatewayId: nat-1}}\n");
	struct rel_subnet_info info;
	assert_int_equal(rel_subnet_public(h.stack, stack_find(h.stack, "S"), &info), YES);
	assert_non_null(info.route);
	assert_int_equal(rel_subnet_public(h.stack, stack_find(h.stack, "S6"), &info), NO); /* half to a NAT gateway */
	harness_free(&h);
}

static const char *GROUPS =
	"Resources:\n"
	"  Sg:\n"
	"    Type: AWS::EC2::SecurityGroup\n"
	"    Properties:\n"
	"      GroupDescription: x\n"
	"      SecurityGroupIngress:\n"
	"        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}\n"
	"        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 128.0.0.0/1}\n"
	"      SecurityGroupEgress:\n"
	"        - {IpProtocol: tcp, FromPort: 1e9, ToPort: 22, CidrIp: 0.0.0.0/0}\n"
	"  High: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 0, ToPort: 100, CidrIp: 128.0.0.0/1}}\n"
	"  OutA: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-1, IpProtocol: '-1', CidrIp: 0.0.0.0/1}}\n"
	"  OutB: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-1, IpProtocol: '-1', CidrIp: 128.0.0.0/1}}\n"
	"  OutC: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-2, IpProtocol: '-1', CidrIp: 128.0.0.0/1}}\n"
	"  Route: {Type: AWS::EC2::Route, Properties: {RouteTableId: rtb-1, DestinationCidrBlock: 0.0.0.0, GatewayId: igw-1}}\n";

static enum tri admits_port(const struct rel_ingress *in, const void *arg)
{
	return rel_ingress_covers(in, *(const long *)arg);
}

static void test_view_and_questions(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, GROUPS);
	struct net_view *nv = net_view(h.stack, &h.diags);
	/* the bad egress port and the route's CIDR without a prefix, once however often asked */
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 2);
	assert_ptr_equal(net_view(h.stack, &h.diags), nv);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 2);
	/* scopes: Sg (two inline rules and High), sg-1 (two), sg-2 (one) */
	assert_int_equal(nv->nsg, 3);
	assert_ptr_equal(nv->sg[0].group, stack_find(h.stack, "Sg"));
	assert_int_equal(nv->sg[0].n, 3);
	assert_string_equal(nv->sg[1].outside, "sg-1");
	assert_int_equal(nv->sg[1].n, 2);
	assert_int_equal(nv->sg[2].n, 1);
	struct exp_item out[3];
	/* Sg on port 22: 0.0.0.0/1 inline and 128.0.0.0/1 through High; the 5432 rule plays no part */
	long port = 22;
	assert_int_equal(sg_open(&nv->sg[0], admits_port, &port, out), YES);
	assert_int_equal(out[0].world, YES);
	assert_int_equal(out[1].world, NO);
	assert_int_equal(out[2].world, YES);
	port = 5432;
	assert_int_equal(sg_open(&nv->sg[0], admits_port, &port, out), NO);
	/* on some port: the same two; asked again, the same answer, kept */
	const struct exp_item *any, *again;
	assert_int_equal(sg_open_any(h.stack, &nv->sg[0], &any), YES);
	assert_int_equal(any[0].world, YES);
	assert_int_equal(any[1].world, NO);
	assert_int_equal(any[2].world, YES);
	assert_int_equal(sg_open_any(h.stack, &nv->sg[0], &again), YES);
	assert_ptr_equal(any, again);
	/* the outside group sg-1 has both halves, sg-2 one */
	assert_int_equal(sg_open_any(h.stack, &nv->sg[1], &any), YES);
	assert_int_equal(sg_open_any(h.stack, &nv->sg[2], &any), NO);
	harness_free(&h);
}

/* Past what AWS allows in one group or ACL: the quadratic answers are rough (MAYBE) and say so, once. */
static void test_rough_past_aws_limits(void **state)
{
	(void)state;
	struct strbuf t = STRBUF_INIT;
	sb_puts(&t, "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
		    "      SecurityGroupIngress:\n"
		    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}\n"
		    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}\n");
	for (int i = 0; i < EXP_EXACT_MAX; i++)
		sb_printf(&t, "        - {IpProtocol: tcp, FromPort: %d, ToPort: %d, CidrIp: 10.%d.%d.0/24}\n", 1000 + i,
			  1000 + i, i / 256, i % 256);
	sb_puts(&t, "  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: vpc-1}}\n"
		    "  Deny: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 1, Protocol: 6,"
		    " RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}}\n");
	for (int i = 0; i < EXP_EXACT_MAX; i++)
		sb_printf(&t, "  E%d: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: %d,"
			      " Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}}\n",
			  i, 2 + i);
	struct harness h;
	harness_model(&h, t.s);
	sb_free(&t);
	struct net_view *nv = net_view(h.stack, &h.diags);
	assert_int_equal(diag_count(&h.diags, DIAG_WARNING), 2);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 0);
	assert_int_equal(nv->nsg, 1);
	assert_int_equal(nv->sg[0].n, EXP_EXACT_MAX + 2);
	/* per port nothing is left out: SSH from both halves, exactly */
	struct exp_item *out = calloc(nv->sg[0].n, sizeof *out);
	assert_non_null(out);
	long port = 22;
	assert_int_equal(sg_open(&nv->sg[0], admits_port, &port, out), YES);
	free(out);
	/* on some port, without ports: may */
	const struct exp_item *any;
	assert_int_equal(sg_open_any(h.stack, &nv->sg[0], &any), MAYBE);
	/* the ACL's deny of everything first is not followed: may, not no */
	assert_int_equal(nv->nacl, 1);
	out = calloc(nv->acl[0].n, sizeof *out);
	assert_non_null(out);
	assert_int_equal(acl_open(h.stack, &nv->acl[0], 6, 22, out), MAYBE);
	free(out);
	harness_free(&h);
}

static void test_integers_and_protocols(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters: {P: {Type: Number}}\n"
			  "Resources:\n  R:\n    Type: Custom::N\n    Properties: {A: 22, B: 7.8e62, C: -1, D: 22.5, E: '80', F: !Ref P, G: x, H: -7.8e62}\n");
	const struct value *p = stack_find(h.stack, "R")->props;
	long out = 0;
	assert_int_equal(rel_integer(val_get(p, "A"), -1, 65535, &out), YES);
	assert_int_equal(out, 22);
	assert_int_equal(rel_integer(val_get(p, "B"), -1, 65535, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "H"), -1, 65535, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "C"), -1, 65535, &out), YES);
	assert_int_equal(out, -1);
	assert_int_equal(rel_integer(val_get(p, "C"), 1, 32766, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "D"), -1, 65535, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "E"), -1, 65535, &out), YES);
	assert_int_equal(out, 80);
	assert_int_equal(rel_integer(val_get(p, "F"), -1, 65535, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "G"), -1, 65535, &out), MAYBE);
	assert_int_equal(rel_integer(val_get(p, "Z"), -1, 65535, &out), NO);
	int proto = 0;
	assert_true(rel_protocol_number("tcp", &proto) && proto == 6);
	assert_true(rel_protocol_number("-1", &proto) && proto == -1);
	assert_true(rel_protocol_number("ALL", &proto) && proto == -1);
	assert_true(rel_protocol_number("58", &proto) && proto == 58);
	assert_false(rel_protocol_number("256", &proto));
	assert_false(rel_protocol_number("06", &proto));
	assert_false(rel_protocol_number("", &proto));
	assert_false(rel_protocol_number("tcpx", &proto));
	assert_false(rel_protocol_number(NULL, &proto));
	/* a malformed CIDR alone is unknown, not /0 and not safe */
	harness_free(&h);
	harness_model(&h, "Resources:\n  R: {Type: Custom::C, Properties: {A: 10.0.0.0/x, B: 1.2.3.4/0, C: 10.0.0.0/8}}\n");
	p = stack_find(h.stack, "R")->props;
	assert_int_equal(rel_cidr_is_world(val_get(p, "A")), MAYBE);
	assert_int_equal(rel_cidr_is_world(val_get(p, "B")), YES);
	assert_int_equal(rel_cidr_is_world(val_get(p, "C")), NO);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),          cmocka_unit_test(test_acl),
		cmocka_unit_test(test_routes_split),   cmocka_unit_test(test_view_and_questions),
		cmocka_unit_test(test_rough_past_aws_limits), cmocka_unit_test(test_integers_and_protocols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
