/*
 * test_network.c - the network layer's checks on small templates: each
 * check's failing and passing cases, its unknowns (uncertain findings), and
 * suppression through resource metadata.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "checks/catalogue.h"
#include "checks/check.h"
#include "checks/finding.h"

#include <stdio.h>
#include <string.h>

#define COUNT(id, t) harness_count(id, t)
#define UNCERTAIN(id, t) harness_count_uncertain(id, t)

/* A VPC with an internet gateway, a public and a private route table. */
#define VPC                                                                                                    \
	"  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"                                  \
	"  Igw: {Type: AWS::EC2::InternetGateway}\n"                                                            \
	"  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}\n" \
	"  IgwRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"                            \
	"  IgwDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref IgwRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}\n" \
	"  NatRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"                            \
	"  NatDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref NatRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-0123}}\n"

/* ---- RMP-RDS-004 ---- */

static void test_rds004(void **state)
{
	(void)state;
	const char *fail = "Resources:\n"
			   "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, PubliclyAccessible: true, DBSubnetGroupName: g}}\n"
			   "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: mysql, PubliclyAccessible: 'true'}}\n";
	assert_int_equal(COUNT("RMP-RDS-004", fail), 2);
	assert_int_equal(UNCERTAIN("RMP-RDS-004", fail), 0);
	const char *pass = "Resources:\n"
			   "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, PubliclyAccessible: false, DBSubnetGroupName: g}}\n"
			   "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql}}\n"
			   "  Member: {Type: AWS::RDS::DBInstance, Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cl}}\n";
	assert_int_equal(COUNT("RMP-RDS-004", pass), 0);
	/* unknowns: a parameter, the default VPC, a VPC with an internet gateway */
	const char *param = "Parameters: {Public: {Type: String}}\n"
			    "Resources:\n"
			    "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, DBSubnetGroupName: g, PubliclyAccessible: !Ref Public}}\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-004", param), 1);
	const char *def = "Resources:\n  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql}}\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-004", def), 1);
	const char *igw = "Resources:\n" VPC
			  "  S1: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			  "  G: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: [!Ref S1]}}\n"
			  "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, DBSubnetGroupName: !Ref G}}\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-004", igw), 1);
	const char *noigw = "Resources:\n"
			    "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
			    "  S1: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			    "  G: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: [!Ref S1]}}\n"
			    "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, DBSubnetGroupName: !Ref G}}\n";
	assert_int_equal(COUNT("RMP-RDS-004", noigw), 0);
	const char *sup = "Resources:\n"
			  "  Db:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Metadata: {checkov: {skip: [{id: CKV_AWS_17, comment: reporting replica}]}}\n"
			  "    Properties: {Engine: mysql, PubliclyAccessible: true}\n";
	assert_int_equal(COUNT("RMP-RDS-004", sup), 0);
}

/* ---- RMP-RDS-018 ---- */

#define DB_IN(subnets)                                                                                         \
	"  G: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: " subnets "}}\n" \
	"  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, DBSubnetGroupName: !Ref G}}\n"

static void test_rds018(void **state)
{
	(void)state;
	/* named private, routed to the internet gateway */
	const char *fail = "Resources:\n" VPC
			   "  PrivateSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			   "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref IgwRoutes}}\n"
			   DB_IN("[!Ref PrivateSubnet]");
	assert_int_equal(COUNT("RMP-RDS-018", fail), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-018", fail), 0);
	/* named public, routed through NAT only */
	const char *pass = "Resources:\n" VPC
			   "  PublicSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			   "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref PublicSubnet, RouteTableId: !Ref NatRoutes}}\n"
			   DB_IN("[!Ref PublicSubnet]");
	assert_int_equal(COUNT("RMP-RDS-018", pass), 0);
	/* MapPublicIpOnLaunch */
	const char *mapip = "Resources:\n" VPC
			    "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}}\n"
			    "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S, RouteTableId: !Ref NatRoutes}}\n"
			    DB_IN("[!Ref S]");
	assert_int_equal(COUNT("RMP-RDS-018", mapip), 1);
	/* a subnet of a new VPC without association: main table has local routes only */
	const char *lonely = "Resources:\n" VPC
			     "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			     DB_IN("[!Ref S]");
	assert_int_equal(COUNT("RMP-RDS-018", lonely), 0);
	/* unknowns: an outside VPC's main table; a gateway from a parameter */
	const char *outside = "Parameters: {VpcId: {Type: AWS::EC2::VPC::Id}}\n"
			      "Resources:\n"
			      "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref VpcId, CidrBlock: 10.0.1.0/24}}\n"
			      DB_IN("[!Ref S]");
	assert_int_equal(COUNT("RMP-RDS-018", outside), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-018", outside), 1);
	const char *gw = "Parameters: {Gw: {Type: String}}\n"
			 "Resources:\n" VPC
			 "  R: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
			 "  D: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref R, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gw}}\n"
			 "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			 "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S, RouteTableId: !Ref R}}\n"
			 DB_IN("[!Ref S]");
	assert_int_equal(UNCERTAIN("RMP-RDS-018", gw), 1);
	/* no subnet group: the default VPC */
	const char *def = "Resources:\n"
			  "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql}}\n"
			  "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, DBClusterIdentifier: orders}}\n"
			  "  M: {Type: AWS::RDS::DBInstance, Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cl}}\n";
	assert_int_equal(COUNT("RMP-RDS-018", def), 2);
	assert_int_equal(UNCERTAIN("RMP-RDS-018", def), 2);
	/* an Aurora member instance is reported on its cluster only */
	const char *aurora = "Resources:\n" VPC
			     "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			     "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S, RouteTableId: !Ref IgwRoutes}}\n"
			     "  G: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: [!Ref S]}}\n"
			     "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql, DBSubnetGroupName: !Ref G}}\n"
			     "  M1: {Type: AWS::RDS::DBInstance, Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cl}}\n";
	assert_int_equal(COUNT("RMP-RDS-018", aurora), 1);
	const char *sup = "Resources:\n" VPC
			  "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
			  "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref S, RouteTableId: !Ref IgwRoutes}}\n"
			  "  G: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: [!Ref S]}}\n"
			  "  Db:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Metadata: {rampart: {skip: [{id: RMP-RDS-018, reason: demo}]}}\n"
			  "    Properties: {Engine: postgres, DBSubnetGroupName: !Ref G}\n";
	assert_int_equal(COUNT("RMP-RDS-018", sup), 0);
}

/* ---- RMP-RDS-019 ---- */

static void test_rds019(void **state)
{
	(void)state;
	const char *fail = "Resources:\n"
			   "  Sg:\n"
			   "    Type: AWS::EC2::SecurityGroup\n"
			   "    Properties:\n"
			   "      GroupDescription: db\n"
			   "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}]\n"
			   "  V6: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIpv6: '::/0'}}\n"
			   "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, VPCSecurityGroups: [!GetAtt Sg.GroupId]}}\n"
			   "  Proxy: {Type: AWS::RDS::DBProxy, Properties: {EngineFamily: POSTGRESQL, VpcSecurityGroupIds: [!Ref Sg], VpcSubnetIds: [a, b]}}\n";
	assert_int_equal(COUNT("RMP-RDS-019", fail), 2); /* one per database and group: database, proxy */
	struct harness h;
	harness_run(&h, "RMP-RDS-019", fail);
	assert_int_equal(h.findings.n, 2);
	assert_non_null(strstr(h.findings.v[0].message, "and 1 more rule"));
	harness_free(&h);
	const char *pass = "Resources:\n"
			   "  App: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: app}}\n"
			   "  Sg:\n"
			   "    Type: AWS::EC2::SecurityGroup\n"
			   "    Properties:\n"
			   "      GroupDescription: db\n"
			   "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref App}]\n"
			   "  Open:\n"
			   "    Type: AWS::EC2::SecurityGroup\n"
			   "    Properties: {GroupDescription: web, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]}\n"
			   "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, VPCSecurityGroups: [!Ref Sg]}}\n";
	assert_int_equal(COUNT("RMP-RDS-019", pass), 0);
	const char *param = "Parameters: {Cidr: {Type: String}}\n"
			    "Resources:\n"
			    "  Sg:\n"
			    "    Type: AWS::EC2::SecurityGroup\n"
			    "    Properties: {GroupDescription: db, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !Ref Cidr}]}\n"
			    "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, VpcSecurityGroupIds: [!Ref Sg]}}\n";
	assert_int_equal(UNCERTAIN("RMP-RDS-019", param), 1);
	const char *withdef = "Parameters: {Cidr: {Type: String, Default: 0.0.0.0/0}}\n"
			      "Resources:\n"
			      "  Sg:\n"
			      "    Type: AWS::EC2::SecurityGroup\n"
			      "    Properties: {GroupDescription: db, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !Ref Cidr}]}\n"
			      "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, VpcSecurityGroupIds: [!Ref Sg]}}\n";
	assert_int_equal(COUNT("RMP-RDS-019", withdef), 1);
	assert_int_equal(UNCERTAIN("RMP-RDS-019", withdef), 0);
	const char *sup = "Resources:\n"
			  "  Sg:\n"
			  "    Type: AWS::EC2::SecurityGroup\n"
			  "    Properties: {GroupDescription: db, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}]}\n"
			  "  Db:\n"
			  "    Type: AWS::RDS::DBInstance\n"
			  "    Metadata: {rampart: {skip: [{id: RMP-RDS-019, reason: behind a firewall appliance}]}}\n"
			  "    Properties: {Engine: postgres, VPCSecurityGroups: [!Ref Sg]}\n";
	assert_int_equal(COUNT("RMP-RDS-019", sup), 0);
}

/* ---- RMP-SG-001/002/003 ---- */

#define SG(rules) \
	"Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress: " rules "\n"

static void test_sg001(void **state)
{
	(void)state;
	const char *fail = SG("[{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 3000, ToPort: 4000, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: '-1', CidrIpv6: '::/0'},"
			      " {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: udp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8}]")
		"  Redis: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref Sg, IpProtocol: '6', FromPort: 6379, ToPort: 6379, CidrIp: 0.0.0.0/0}}\n";
	assert_int_equal(COUNT("RMP-SG-001", fail), 4);
	assert_int_equal(UNCERTAIN("RMP-SG-001", fail), 0);
	const char *pass = SG("[{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8}]");
	assert_int_equal(COUNT("RMP-SG-001", pass), 0);
	const char *maybe = "Parameters: {Port: {Type: Number}, Cidr: {Type: String}}\n"
			    "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
			    "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0},"
			    " {IpProtocol: tcp, FromPort: 1433, ToPort: 1433, CidrIp: !Ref Cidr}]\n";
	assert_int_equal(COUNT("RMP-SG-001", maybe), 2);
	assert_int_equal(UNCERTAIN("RMP-SG-001", maybe), 2);
	const char *sup = "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n"
			  "    Metadata: {cfn_nag: {rules_to_suppress: [{id: RMP-SG-001, reason: honeypot}]}}\n"
			  "    Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}]}\n";
	assert_int_equal(COUNT("RMP-SG-001", sup), 0);
}

static void test_sg002(void **state)
{
	(void)state;
	const char *fail = SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIpv6: '::/0'},"
			      " {IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}]");
	assert_int_equal(COUNT("RMP-SG-002", fail), 3);
	const char *pass = SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 203.0.113.10/32},"
			      " {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: udp, FromPort: 20, ToPort: 23, CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]");
	assert_int_equal(COUNT("RMP-SG-002", pass), 0);
	/* FTP, Telnet, SMB, NFS (KICS security_groups_with_exhibited_admin_ports), and a
	 * lazy 80-443 range, which admits NetBIOS session 139 */
	const char *files = SG("[{IpProtocol: tcp, FromPort: 20, ToPort: 21, CidrIp: 0.0.0.0/0},"
			       " {IpProtocol: tcp, FromPort: 23, ToPort: 23, CidrIp: 0.0.0.0/0},"
			       " {IpProtocol: tcp, FromPort: 445, ToPort: 445, CidrIpv6: '::/0'},"
			       " {IpProtocol: '6', FromPort: 2049, ToPort: 2049, CidrIp: 0.0.0.0/0},"
			       " {IpProtocol: tcp, FromPort: 80, ToPort: 443, CidrIp: 0.0.0.0/0}]");
	assert_int_equal(COUNT("RMP-SG-002", files), 5);
	assert_int_equal(UNCERTAIN("RMP-SG-002", files), 0);
	const char *maybe = "Parameters: {Admin: {Type: String}}\n" SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Admin}]");
	assert_int_equal(UNCERTAIN("RMP-SG-002", maybe), 1);
	const char *sup = "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n"
			  "    Metadata: {checkov: {skip: [{id: CKV_AWS_24}]}}\n"
			  "    Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}\n";
	assert_int_equal(COUNT("RMP-SG-002", sup), 0);
}

static void test_sg003(void **state)
{
	(void)state;
	const char *fail = SG("[{IpProtocol: '-1', CidrIp: 0.0.0.0/0},"
			      " {IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIpv6: '::/0'},"
			      " {IpProtocol: '-1', CidrIp: 10.0.0.0/8}]");
	assert_int_equal(COUNT("RMP-SG-003", fail), 2);
	const char *pass = SG("[{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]");
	assert_int_equal(COUNT("RMP-SG-003", pass), 0);
	const char *maybe = "Parameters: {Proto: {Type: String}}\n" SG("[{IpProtocol: !Ref Proto, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]");
	assert_int_equal(UNCERTAIN("RMP-SG-003", maybe), 1);
	/* the whole rule list under Fn::If */
	const char *choice = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
			     "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
			     "      SecurityGroupIngress: !If [Dev, [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}], [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]]\n";
	assert_int_equal(COUNT("RMP-SG-003", choice), 1);
	assert_int_equal(UNCERTAIN("RMP-SG-003", choice), 1);
	const char *sup = "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n"
			  "    Metadata: {rampart: {skip: [RMP-SG-003]}}\n"
			  "    Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]}\n";
	assert_int_equal(COUNT("RMP-SG-003", sup), 0);
}

/* A world rule is reported at its CIDR, the offending property (KICS points there too). */
static void test_sg_position(void **state)
{
	(void)state;
	const char *t = "Resources:\n"
			"  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}\n"
			"  In:\n"
			"    Type: AWS::EC2::SecurityGroupIngress\n"
			"    Properties:\n"
			"      Description: all\n"
			"      GroupId: !GetAtt Sg.GroupId\n"
			"      IpProtocol: tcp\n"
			"      FromPort: 0\n"
			"      ToPort: 65535\n"
			"      CidrIpv6: ::/0\n";
	struct harness h;
	harness_run(&h, "RMP-SG-003", t);
	assert_int_equal(h.findings.n, 1);
	assert_int_equal(h.findings.v[0].line, 11);
	harness_free(&h);
}

/*
 * Issue 8: "open to the world" was decided by the text ending in "/0", so
 * SSH from 0.0.0.0/1 and 128.0.0.0/1 (together, the whole IPv4 internet) was
 * not reported.  It is now address arithmetic over the union of every rule
 * of the group that admits the port.
 */
static void test_world_is_the_union_of_rules(void **state)
{
	(void)state;
	const char *halves = SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1},"
				" {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}]");
	assert_int_equal(COUNT("RMP-SG-002", halves), 2);
	assert_int_equal(UNCERTAIN("RMP-SG-002", halves), 0);
	struct harness h;
	harness_run(&h, "RMP-SG-002", halves);
	assert_int_equal(h.findings.n, 2);
	for (size_t i = 0; i < 2; i++)
		assert_non_null(strstr(h.findings.v[i].message, "together the whole IPv4 internet"));
	harness_free(&h);
	/* one half inline, the other an AWS::EC2::SecurityGroupIngress naming the group */
	const char *split = SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}]")
		"  Other: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp,"
		" FromPort: 20, ToPort: 25, CidrIp: 128.0.0.0/1}}\n";
	assert_int_equal(COUNT("RMP-SG-002", split), 2);
	assert_int_equal(UNCERTAIN("RMP-SG-002", split), 0);
	/* IPv6: ::/1 and 8000::/1, for every check that asks */
	const char *v6 = SG("[{IpProtocol: '-1', CidrIpv6: '::/1'}, {IpProtocol: '-1', CidrIpv6: '8000::/1'}]");
	assert_int_equal(COUNT("RMP-SG-001", v6), 2);
	assert_int_equal(COUNT("RMP-SG-002", v6), 2);
	assert_int_equal(COUNT("RMP-SG-003", v6), 2);
	/* ingress resources of a group outside the stack, grouped by the GroupId they name */
	const char *outside = "Resources:\n"
		"  A: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-0123, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}}\n"
		"  B: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-0123, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}}\n"
		"  C: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: sg-0456, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}}\n";
	assert_int_equal(COUNT("RMP-SG-002", outside), 2);
	/* not the whole internet: a gap, other ports, other protocols, other families, other groups */
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1},"
						 " {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/2}]")), 0);
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1},"
						 " {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 128.0.0.0/1}]")), 0);
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: udp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1},"
						 " {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}]")), 0);
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1},"
						 " {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: '8000::/1'}]")), 0);
	const char *two = "Resources:\n"
		"  A: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: a, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}]}}\n"
		"  B: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: b, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}]}}\n";
	assert_int_equal(COUNT("RMP-SG-002", two), 0);
	/* a narrower rule beside 0.0.0.0/0 is not blamed for it */
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0},"
						 " {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}]")), 1);
	/* host bits are the network's, as EC2 stores them: 1.2.3.4/0 is 0.0.0.0/0 */
	assert_int_equal(COUNT("RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 1.2.3.4/0}]")), 1);
	/* RDS-019: the database port from both halves; halves on two ports are not */
	const char *db = "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n"
			 "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/1},"
			 " {IpProtocol: tcp, FromPort: 5000, ToPort: 6000, CidrIp: 128.0.0.0/1}]\n"
			 "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, VPCSecurityGroups: [!GetAtt Sg.GroupId]}}\n";
	harness_run(&h, "RMP-RDS-019", db);
	assert_int_equal(h.findings.n, 1);
	assert_true(h.findings.v[0].certain);
	assert_non_null(strstr(h.findings.v[0].message, "and 1 more rule"));
	harness_free(&h);
	const char *apart = "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n"
			    "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/1},"
			    " {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 128.0.0.0/1}]\n"
			    "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, VPCSecurityGroups: [!GetAtt Sg.GroupId]}}\n";
	assert_int_equal(COUNT("RMP-RDS-019", apart), 0);
}

/* What the template does not show is unknown, never safe. */
static void test_world_unknowns(void **state)
{
	(void)state;
	/* a managed prefix list may hold any range: uncertain */
	const char *pl = SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, SourcePrefixListId: pl-0123456789abcdef0}]");
	assert_int_equal(COUNT("RMP-SG-002", pl), 1);
	assert_int_equal(UNCERTAIN("RMP-SG-002", pl), 1);
	struct harness h;
	harness_run(&h, "RMP-SG-002", pl);
	assert_int_equal(h.findings.n, 1);
	assert_non_null(strstr(h.findings.v[0].message, "prefix list pl-0123456789abcdef0"));
	harness_free(&h);
	/* one half known, the other a parameter: uncertain */
	const char *half = "Parameters: {Cidr: {Type: String}}\n"
		SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}, {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}]");
	assert_int_equal(COUNT("RMP-SG-002", half), 1);
	assert_int_equal(UNCERTAIN("RMP-SG-002", half), 1);
	/* one half under an undecided condition: both uncertain */
	const char *cond = "Parameters: {Env: {Type: String}}\nConditions: {Dev: !Equals [!Ref Env, dev]}\n"
		SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/1}]")
		"  Other: {Type: AWS::EC2::SecurityGroupIngress, Condition: Dev, Properties: {GroupId: !Ref Sg, IpProtocol: tcp,"
		" FromPort: 22, ToPort: 22, CidrIp: 128.0.0.0/1}}\n";
	assert_int_equal(COUNT("RMP-SG-002", cond), 2);
	assert_int_equal(UNCERTAIN("RMP-SG-002", cond), 2);
	/* a source security group admits its members, no internet address */
	const char *groups = "Resources:\n  App: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: app}}\n"
		"  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, SecurityGroupIngress: ["
		"{IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: !Ref App},"
		" {IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: sg-0999}]}}\n";
	assert_int_equal(COUNT("RMP-SG-002", groups), 0);
	/* a malformed CIDR: an input error at the value, and the rule unknown (never /0, never dropped) */
	harness_run(&h, "RMP-SG-002", SG("[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/x}]"));
	assert_int_equal(h.findings.n, 1);
	assert_false(h.findings.v[0].certain);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 1);
	assert_int_equal(h.diags.v[0].line, 6);
	assert_int_equal(h.diags.v[0].col, 82);
	assert_non_null(strstr(h.diags.v[0].msg, "CidrIp '10.0.0.0/x' is not a CIDR block"));
	harness_free(&h);
}

/*
 * Issue 15: FromPort 7.8e62 was converted to long, undefined behaviour (on
 * x86-64 LONG_MIN, so the rule "admitted" SSH, certainly).  A port is an
 * integer -1..65535; anything else is an input error at its position, once
 * however many checks read the rule, and the rule is unknown: an uncertain
 * finding, neither dropped nor guessed.
 */
static void test_ports_are_integers(void **state)
{
	(void)state;
	static const char *const bad[] = {"7.8e62", "-7.8e62", "22.5", "-2", "65536", "ssh", "1e999", "[22]", "true"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char t[512];
		snprintf(t, sizeof t, SG("[{IpProtocol: tcp, FromPort: %s, ToPort: 22, CidrIp: 0.0.0.0/0}]"), bad[i]);
		struct harness h;
		harness_run(&h, NULL, t);
		assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 1);
		assert_int_equal(h.diags.v[0].line, 6);
		assert_int_equal(h.diags.v[0].col, 58);
		assert_non_null(strstr(h.diags.v[0].msg, "FromPort"));
		assert_non_null(strstr(h.diags.v[0].msg, "is not a port"));
		size_t sg002 = 0;
		for (size_t k = 0; k < h.findings.n; k++)
			if (!strcmp(h.findings.v[k].check->id, "RMP-SG-002")) {
				sg002++;
				assert_false(h.findings.v[k].certain);
			}
		assert_int_equal(sg002, 1);
		harness_free(&h);
	}
	/* -1 (all) and the ends of the range are ports */
	static const char *const good[] = {"-1", "0", "65535", "'22'"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		char t[512];
		snprintf(t, sizeof t, SG("[{IpProtocol: tcp, FromPort: %s, ToPort: 65535, CidrIp: 0.0.0.0/0}]"), good[i]);
		struct harness h;
		harness_run(&h, NULL, t);
		assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 0);
		harness_free(&h);
	}
	/* network ACL entries: PortRange and RuleNumber */
	struct harness h;
	harness_run(&h, NULL, "Resources:\n  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: vpc-1}}\n"
			      "  E: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 1e40,"
				  " Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 9e99}}}\n");
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 2);
	harness_free(&h);
}

/* ---- RMP-NACL-001 ---- */

#define ACL "Resources:\n  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: vpc-1}}\n"
#define ENTRY(name, num, proto, action, egress, cidr, from, to)                                                 \
	"  " name ": {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: " num \
	", Protocol: " proto ", RuleAction: " action ", Egress: " egress ", CidrBlock: " cidr                    \
	", PortRange: {From: " from ", To: " to "}}}\n"

static void test_nacl001(void **state)
{
	(void)state;
	const char *fail = ACL ENTRY("Ssh", "100", "6", "allow", "false", "0.0.0.0/0", "22", "22")
		ENTRY("All", "110", "'-1'", "allow", "false", "0.0.0.0/0", "0", "0")
		ENTRY("Rdp", "120", "6", "allow", "false", "0.0.0.0/0", "3000", "4000");
	assert_int_equal(COUNT("RMP-NACL-001", fail), 3);
	const char *pass = ACL ENTRY("Out", "100", "6", "allow", "true", "0.0.0.0/0", "22", "22")
		ENTRY("Deny", "90", "6", "deny", "false", "0.0.0.0/0", "22", "22")
		ENTRY("Shadowed", "100", "6", "allow", "false", "0.0.0.0/0", "22", "22")
		ENTRY("Office", "130", "6", "allow", "false", "203.0.113.0/24", "22", "22")
		ENTRY("Web", "140", "6", "allow", "false", "0.0.0.0/0", "443", "443");
	assert_int_equal(COUNT("RMP-NACL-001", pass), 0);
	const char *maybe = "Parameters: {Cidr: {Type: String}}\n" ACL
		ENTRY("Ssh", "100", "6", "allow", "false", "!Ref Cidr", "22", "22");
	assert_int_equal(UNCERTAIN("RMP-NACL-001", maybe), 1);
	/* issue 8: the union of allow entries, IPv4 and IPv6 halves; a deny shadows only what it holds whole */
	const char *halves = ACL ENTRY("Low", "100", "6", "allow", "false", "0.0.0.0/1", "22", "22")
		ENTRY("High", "110", "6", "allow", "false", "128.0.0.0/1", "0", "65535");
	assert_int_equal(COUNT("RMP-NACL-001", halves), 2);
	assert_int_equal(UNCERTAIN("RMP-NACL-001", halves), 0);
	const char *v6 = ACL
		"  Low: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Ipv6CidrBlock: '::/1', PortRange: {From: 3389, To: 3389}}}\n"
		"  High: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 101, Protocol: -1, RuleAction: allow, Ipv6CidrBlock: '8000::/1'}}\n";
	assert_int_equal(COUNT("RMP-NACL-001", v6), 2);
	const char *gap = ACL ENTRY("Low", "100", "6", "allow", "false", "0.0.0.0/1", "22", "22")
		ENTRY("High", "110", "6", "allow", "false", "128.0.0.0/1", "23", "65535");
	assert_int_equal(COUNT("RMP-NACL-001", gap), 0);
	const char *denied_halves = ACL ENTRY("D1", "80", "6", "deny", "false", "0.0.0.0/1", "22", "22")
		ENTRY("D2", "90", "'-1'", "deny", "false", "128.0.0.0/1", "0", "0")
		ENTRY("All", "100", "6", "allow", "false", "0.0.0.0/0", "22", "22");
	assert_int_equal(COUNT("RMP-NACL-001", denied_halves), 0);
	const char *partly = ACL ENTRY("D1", "80", "6", "deny", "false", "10.0.0.0/8", "22", "22")
		ENTRY("All", "100", "6", "allow", "false", "0.0.0.0/0", "22", "22");
	assert_int_equal(COUNT("RMP-NACL-001", partly), 1);
	const char *sup = ACL "  Ssh:\n    Type: AWS::EC2::NetworkAclEntry\n"
			      "    Metadata: {rampart: {skip: [{id: EC2.21, reason: bastion subnet}]}}\n"
			      "    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}\n";
	assert_int_equal(COUNT("RMP-NACL-001", sup), 0);
}

/* ---- RMP-SUB-001 ---- */

static void test_sub001(void **state)
{
	(void)state;
	const char *fail = "Resources:\n"
			   "  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true}}\n"
			   "  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: 'true'}}\n";
	assert_int_equal(COUNT("RMP-SUB-001", fail), 2);
	const char *pass = "Resources:\n"
			   "  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: false}}\n"
			   "  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.1.0/24}}\n";
	assert_int_equal(COUNT("RMP-SUB-001", pass), 0);
	const char *maybe = "Parameters: {Pub: {Type: String, AllowedValues: ['true', 'false']}}\n"
			    "Resources:\n  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: !Ref Pub}}\n";
	assert_int_equal(UNCERTAIN("RMP-SUB-001", maybe), 1);
	const char *sup = "Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Metadata: {cfn_nag: {rules_to_suppress: [{id: W33, reason: public tier}]}}\n"
			  "    Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true}\n";
	assert_int_equal(COUNT("RMP-SUB-001", sup), 0);
}

/* ---- RMP-LMB-001 ---- */

#define FN(name, extra)                                                                                      \
	"  " name ":\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n" \
	"      Code: {ZipFile: x}\n      Role: arn:aws:iam::123456789012:role/r\n" extra

static void test_lmb001(void **state)
{
	(void)state;
	const char *fail = "Resources:\n" FN("Fn", "");
	assert_int_equal(COUNT("RMP-LMB-001", fail), 1);
	struct harness h;
	harness_run(&h, "RMP-LMB-001", fail);
	assert_int_equal(h.findings.n, 1);
	assert_int_equal(h.findings.v[0].severity, SEV_LOW);
	harness_free(&h);
	/* connects to a database: medium, certain */
	const char *db = "Resources:\n"
			 "  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres}}\n" FN("Fn", "      Environment: {Variables: {HOST: !GetAtt Db.Endpoint.Address}}\n");
	harness_run(&h, "RMP-LMB-001", db);
	assert_int_equal(h.findings.n, 1);
	assert_int_equal(h.findings.v[0].severity, SEV_MEDIUM);
	assert_true(h.findings.v[0].certain);
	assert_non_null(strstr(h.findings.v[0].message, "Db"));
	harness_free(&h);
	/* through a secret attached to the database, or IAM database authentication */
	const char *secret = "Resources:\n"
			     "  Cl: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql}}\n"
			     "  S: {Type: AWS::SecretsManager::Secret, Properties: {GenerateSecretString: {}}}\n"
			     "  Att: {Type: AWS::SecretsManager::SecretTargetAttachment, Properties: {SecretId: !Ref S, TargetId: !Ref Cl, TargetType: AWS::RDS::DBCluster}}\n"
			     FN("Fn", "      Environment: {Variables: {DB_SECRET: !Ref S}}\n");
	harness_run(&h, "RMP-LMB-001", secret);
	assert_int_equal(h.findings.n, 1);
	assert_int_equal(h.findings.v[0].severity, SEV_MEDIUM);
	harness_free(&h);
	const char *iamauth = "Resources:\n"
			      "  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}, Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: rds-db:connect, Resource: '*'}]}}]}}\n"
			      "  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.12, Handler: a.b, Code: {ZipFile: x}, Role: !GetAtt Role.Arn}}\n";
	harness_run(&h, "RMP-LMB-001", iamauth);
	assert_int_equal(h.findings.n, 1);
	assert_int_equal(h.findings.v[0].severity, SEV_MEDIUM);
	harness_free(&h);
	const char *pass = "Resources:\n" FN("Fn", "      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}\n");
	assert_int_equal(COUNT("RMP-LMB-001", pass), 0);
	/* VpcConfig under an undecided condition: not reported */
	const char *maybe = "Parameters: {Env: {Type: String}}\nConditions: {InVpc: !Equals [!Ref Env, prod]}\nResources:\n"
		FN("Fn", "      VpcConfig: !If [InVpc, {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}, !Ref AWS::NoValue]\n");
	assert_int_equal(COUNT("RMP-LMB-001", maybe), 0);
	/* SAM function: the generated function is reported, the SAM metadata suppresses */
	const char *sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/}}\n";
	assert_int_equal(COUNT("RMP-LMB-001", sam), 1);
	const char *sup = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
			  "  Fn:\n    Type: AWS::Serverless::Function\n"
			  "    Metadata: {checkov: {skip: [{id: CKV_AWS_117, comment: public API only}]}}\n"
			  "    Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/}\n";
	assert_int_equal(COUNT("RMP-LMB-001", sup), 0);
}

/* ---- RMP-VPC-001 ---- */

static void test_vpc001(void **state)
{
	(void)state;
	const char *base = "Resources:\n"
			   "  Table: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: k, KeyType: HASH}], AttributeDefinitions: [{AttributeName: k, AttributeType: S}], BillingMode: PAY_PER_REQUEST}}\n"
			   "  Secret: {Type: AWS::SecretsManager::Secret, Properties: {GenerateSecretString: {}}}\n"
			   "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
			   "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n"
			   "      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: [dynamodb:GetItem], Resource: !GetAtt Table.Arn}]}}]\n"
			   "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n"
			   "      Code: {ZipFile: x}\n      Role: !GetAtt Role.Arn\n"
			   "      Environment: {Variables: {SECRET: !Ref Secret}}\n"
			   "      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}\n";
	assert_int_equal(COUNT("RMP-VPC-001", base), 2); /* DynamoDB by the role, Secrets Manager by env */
	assert_int_equal(UNCERTAIN("RMP-VPC-001", base), 2);
	char t[4096];
	snprintf(t, sizeof t, "%s%s", base,
		 "  Ddb: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: v, ServiceName: !Sub 'com.amazonaws.${AWS::Region}.dynamodb'}}\n"
		 "  Sm: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: v, VpcEndpointType: Interface, ServiceName: com.amazonaws.eu-west-2.secretsmanager}}\n");
	assert_int_equal(COUNT("RMP-VPC-001", t), 0);
	const char *novpc = "Resources:\n" FN("Fn", "      Environment: {Variables: {T: !Ref T}}\n")
		"  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: k, KeyType: HASH}], AttributeDefinitions: [{AttributeName: k, AttributeType: S}]}}\n";
	assert_int_equal(COUNT("RMP-VPC-001", novpc), 0);
	char s[4096];
	snprintf(s, sizeof s, "%s", base);
	char *fn = strstr(s, "  Fn:\n");
	assert_non_null(fn);
	const char *meta = "  Fn:\n    Metadata: {rampart: {skip: [{id: RMP-VPC-001, reason: NAT is fine}]}}\n";
	char u[4096];
	snprintf(u, sizeof u, "%.*s%s%s", (int)(fn - s), s, meta, fn + strlen("  Fn:\n"));
	assert_int_equal(COUNT("RMP-VPC-001", u), 0);
}

/* Every network check fills the catalogue fields. */
static void test_table_complete(void **state)
{
	(void)state;
	harness_assert_table(checks_network, checks_network_count, LAYER_NETWORK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rds004),  cmocka_unit_test(test_rds018), cmocka_unit_test(test_rds019),
		cmocka_unit_test(test_sg001),   cmocka_unit_test(test_sg002),  cmocka_unit_test(test_sg003), cmocka_unit_test(test_sg_position),
		cmocka_unit_test(test_world_is_the_union_of_rules), cmocka_unit_test(test_world_unknowns),
		cmocka_unit_test(test_ports_are_integers),
		cmocka_unit_test(test_nacl001), cmocka_unit_test(test_sub001), cmocka_unit_test(test_lmb001),
		cmocka_unit_test(test_vpc001),  cmocka_unit_test(test_table_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
