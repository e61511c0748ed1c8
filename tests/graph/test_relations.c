/*
 * test_relations.c - the named relations of the resource graph: function ->
 * role -> statements, subnets public or private by their routes (not their
 * names), database -> subnet group -> subnets, security groups and their
 * ingress rules, secret rotation, API -> stages and methods, WAF, and
 * the statements written in each IAM resource.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "graph/graph.h"
#include "graph/relations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct resource *res(struct harness *h, const char *id)
{
	assert_non_null(h->stack);
	struct resource *r = stack_find(h->stack, id);
	if (!r)
		fail_msg("no resource %s", id);
	return r;
}

static bool set_has_id(const struct rel_set *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i]->id, id))
			return true;
	return false;
}

/* ---- subnets ---- */

static const char *NETWORK =
	"Parameters:\n"
	"  SharedGateway: {Type: String}\n"
	"Resources:\n"
	"  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
	"  Igw: {Type: AWS::EC2::InternetGateway}\n"
	"  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}\n"
	"  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref PrivateSubnet}}\n"
	/* named public, routes only to a NAT gateway: private */
	"  PublicSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}\n"
	/* named private, default route to the internet gateway: public */
	"  PrivateSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}\n"
	"  LonelySubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24, MapPublicIpOnLaunch: true}}\n"
	"  SharedSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.4.0/24}}\n"
	"  V6Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.5.0/24}}\n"
	"  NatRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
	"  NatDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref NatRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}\n"
	"  IgwRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
	"  IgwDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref IgwRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}\n"
	"  SharedRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
	"  SharedDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref SharedRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref SharedGateway}}\n"
	"  V6Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}\n"
	"  V6Default: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref V6Routes, DestinationIpv6CidrBlock: '::/0', GatewayId: !Ref Igw}}\n"
	"  V6Local: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref V6Routes, DestinationCidrBlock: 10.1.0.0/16, GatewayId: !Ref Igw}}\n"
	"  A1: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref PublicSubnet, RouteTableId: !Ref NatRoutes}}\n"
	"  A2: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref IgwRoutes}}\n"
	"  A3: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref SharedSubnet, RouteTableId: !Ref SharedRoutes}}\n"
	"  A4: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref V6Subnet, RouteTableId: !Ref V6Routes}}\n";

static void test_subnet_by_routes_not_name(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, NETWORK);
	struct rel_subnet_info info;
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "PublicSubnet"), &info), NO);
	assert_string_equal(info.route_table->id, "NatRoutes");
	assert_null(info.route);
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "PrivateSubnet"), &info), YES);
	assert_string_equal(info.route->id, "IgwDefault");
	assert_int_equal(info.map_public_ip, NO);
	harness_free(&h);
}

static void test_subnet_unknowns(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, NETWORK);
	struct rel_subnet_info info;
	/* no association: the main route table is not known */
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "LonelySubnet"), &info), MAYBE);
	assert_non_null(info.why);
	assert_int_equal(info.map_public_ip, YES);
	/* default route to a gateway given as a parameter */
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "SharedSubnet"), &info), MAYBE);
	assert_string_equal(info.route->id, "SharedDefault");
	/* ::/0 to the internet gateway; the 10.1/16 route does not count */
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "V6Subnet"), &info), YES);
	assert_string_equal(info.route->id, "V6Default");
	assert_int_equal(rel_subnet_public(h.stack, res(&h, "V6Subnet"), NULL), YES);
	harness_free(&h);
}

static void test_db_subnets(void **state)
{
	(void)state;
	struct harness h;
	char *t = NULL;
	size_t n = strlen(NETWORK) + 2048;
	t = malloc(n);
	assert_non_null(t);
	snprintf(t, n, "%s%s", NETWORK,
		 "  Group: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: d, SubnetIds: [!Ref PublicSubnet, !Ref PrivateSubnet]}}\n"
		 "  Db: {Type: AWS::RDS::DBInstance, Properties: {DBSubnetGroupName: !Ref Group, Engine: postgres}}\n"
		 "  Cluster: {Type: AWS::RDS::DBCluster, Properties: {DBSubnetGroupName: !Ref Group, Engine: aurora-postgresql}}\n"
		 "  Member: {Type: AWS::RDS::DBInstance, Properties: {DBClusterIdentifier: !Ref Cluster, Engine: aurora-postgresql}}\n"
		 "  Loose: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql}}\n"
		 "  Named: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, DBSubnetGroupName: existing-group}}\n");
	harness_model(&h, t);
	struct rel_set s;
	rel_db_subnets(h.stack, res(&h, "Db"), &s);
	assert_int_equal(s.n, 2);
	assert_true(set_has_id(&s, "PublicSubnet"));
	assert_true(set_has_id(&s, "PrivateSubnet"));
	assert_false(s.absent);
	assert_false(s.outside);
	rel_db_subnets(h.stack, res(&h, "Member"), &s); /* through its cluster */
	assert_int_equal(s.n, 2);
	rel_db_subnets(h.stack, res(&h, "Loose"), &s);
	assert_true(s.absent);
	assert_int_equal(s.n, 0);
	rel_db_subnets(h.stack, res(&h, "Named"), &s);
	assert_true(s.outside);
	assert_int_equal(s.n, 0);
	struct rel_target c = rel_instance_cluster(h.stack, res(&h, "Member"));
	assert_int_equal(c.kind, REL_STACK);
	assert_string_equal(c.r->id, "Cluster");
	assert_int_equal(rel_instance_cluster(h.stack, res(&h, "Db")).kind, REL_ABSENT);
	harness_free(&h);
	free(t);
}

/* ---- security groups ---- */

static const char *GROUPS =
	"Parameters:\n"
	"  Office: {Type: String}\n"
	"  ExistingSg: {Type: AWS::EC2::SecurityGroup::Id}\n"
	"Resources:\n"
	"  AppSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: app}}\n"
	"  DbSg:\n"
	"    Type: AWS::EC2::SecurityGroup\n"
	"    Properties:\n"
	"      GroupDescription: db\n"
	"      SecurityGroupIngress:\n"
	"        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSg}\n"
	"        - {IpProtocol: tcp, FromPort: 5000, ToPort: 6000, CidrIp: 0.0.0.0/0}\n"
	"  DbSgExtra:\n"
	"    Type: AWS::EC2::SecurityGroupIngress\n"
	"    Properties: {GroupId: !GetAtt DbSg.GroupId, IpProtocol: '-1', CidrIpv6: '::/0'}\n"
	"  DbSgOffice:\n"
	"    Type: AWS::EC2::SecurityGroupIngress\n"
	"    Properties: {GroupId: !Ref DbSg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Office}\n"
	"  Db:\n"
	"    Type: AWS::RDS::DBInstance\n"
	"    Properties: {Engine: postgres, VPCSecurityGroups: [!GetAtt DbSg.GroupId, !Ref ExistingSg]}\n"
	"  Cluster:\n"
	"    Type: AWS::RDS::DBCluster\n"
	"    Properties: {Engine: aurora-mysql, VpcSecurityGroupIds: [!Ref DbSg]}\n"
	"  Fn:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties:\n"
	"      Runtime: python3.12\n"
	"      Handler: x.y\n"
	"      Code: {ZipFile: x}\n"
	"      Role: arn:aws:iam::123456789012:role/x\n"
	"      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [!Ref AppSg]}\n";

struct rules {
	size_t n, world, world_maybe, covers_5432, covers_22_maybe, all_ports, from_app;
};

static void count_rule(const struct rel_ingress *in, void *ctx)
{
	struct rules *r = ctx;
	r->n++;
	if (in->world == YES)
		r->world++;
	if (in->world == MAYBE)
		r->world_maybe++;
	if (rel_ingress_covers(in, 5432) == YES)
		r->covers_5432++;
	if (in->world == MAYBE && rel_ingress_covers(in, 22) == YES)
		r->covers_22_maybe++;
	if (in->all_ports)
		r->all_ports++;
	if (in->source_group && !strcmp(in->source_group->id, "AppSg"))
		r->from_app++;
}

static void test_security_groups(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, GROUPS);
	struct rel_set s;
	rel_security_groups(h.stack, res(&h, "Db"), &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0]->id, "DbSg");
	assert_true(s.outside); /* the parameter */
	rel_security_groups(h.stack, res(&h, "Cluster"), &s);
	assert_int_equal(s.n, 1);
	assert_false(s.outside);
	rel_security_groups(h.stack, res(&h, "Fn"), &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0]->id, "AppSg");

	struct rules r = {0};
	rel_sg_ingress(h.stack, res(&h, "DbSg"), count_rule, &r);
	assert_int_equal(r.n, 4);          /* two inline, two resources */
	assert_int_equal(r.world, 2);      /* 0.0.0.0/0 and ::/0 */
	assert_int_equal(r.world_maybe, 1); /* the Office parameter */
	assert_int_equal(r.covers_5432, 3); /* from AppSg, the 5000-6000 range, all traffic */
	assert_int_equal(r.covers_22_maybe, 1);
	assert_int_equal(r.all_ports, 1);
	assert_int_equal(r.from_app, 1);
	struct rules none = {0};
	rel_sg_ingress(h.stack, res(&h, "AppSg"), count_rule, &none);
	assert_int_equal(none.n, 0);
	assert_int_equal(rel_function_in_vpc(res(&h, "Fn")), YES);
	harness_free(&h);
}

/* ---- roles and statements ---- */

static const char *ROLES =
	"Conditions:\n"
	"  Maybe: !Equals [!Ref AWS::Region, eu-west-2]\n"
	"Resources:\n"
	"  Role:\n"
	"    Type: AWS::IAM::Role\n"
	"    Properties:\n"
	"      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n"
	"      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, !Ref Managed]\n"
	"      Policies:\n"
	"        - PolicyName: inline\n"
	"          PolicyDocument:\n"
	"            Statement:\n"
	"              - {Effect: Allow, Action: dynamodb:GetItem, Resource: '*'}\n"
	"              - !If [Maybe, {Effect: Allow, Action: s3:GetObject, Resource: '*'}, !Ref AWS::NoValue]\n"
	"  Other: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}}}\n"
	"  Extra:\n"
	"    Type: AWS::IAM::Policy\n"
	"    Properties:\n"
	"      PolicyName: extra\n"
	"      Roles: [!Ref Role]\n"
	"      PolicyDocument: {Statement: {Effect: Allow, Action: kms:Decrypt, Resource: '*'}}\n"
	"  Managed:\n"
	"    Type: AWS::IAM::ManagedPolicy\n"
	"    Properties:\n"
	"      Roles: [!Ref Role]\n"
	"      PolicyDocument: {Statement: [{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: '*'}]}\n"
	"  Fn:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties: {Runtime: python3.12, Handler: x.y, Code: {ZipFile: x}, Role: !GetAtt Role.Arn}\n"
	"  Ext:\n"
	"    Type: AWS::Lambda::Function\n"
	"    Properties: {Runtime: python3.12, Handler: x.y, Code: {ZipFile: x}, Role: arn:aws:iam::123456789012:role/r}\n";

struct stmts {
	size_t n, inline_n, policy_n, managed_n, maybe;
	char actions[256];
};

static void count_stmt(const struct rel_statement *st, void *ctx)
{
	struct stmts *s = ctx;
	s->n++;
	if (st->origin == REL_ORIGIN_INLINE)
		s->inline_n++;
	if (st->origin == REL_ORIGIN_POLICY)
		s->policy_n++;
	if (st->origin == REL_ORIGIN_MANAGED)
		s->managed_n++;
	if (st->applies == MAYBE)
		s->maybe++;
	const char *a = val_str(val_get(st->stmt, "Action"));
	if (a) {
		strncat(s->actions, a, sizeof s->actions - strlen(s->actions) - 2);
		strcat(s->actions, ";");
	}
}

static void arn_name(const struct value *arn, const char *name, void *ctx)
{
	(void)arn;
	char *out = ctx;
	strcat(out, name ? name : "?");
	strcat(out, ";");
}

static void test_function_role_statements(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, ROLES);
	struct resource *role = rel_function_role(h.stack, res(&h, "Fn"));
	assert_non_null(role);
	assert_string_equal(role->id, "Role");
	assert_null(rel_function_role(h.stack, res(&h, "Ext")));
	struct rel_set fns = {0};
	rel_role_functions(h.stack, role, &fns);
	assert_int_equal(fns.n, 1);

	struct stmts s = {0};
	rel_principal_statements(h.stack, role, count_stmt, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.inline_n, 2);
	assert_int_equal(s.policy_n, 1);
	assert_int_equal(s.managed_n, 1); /* attached both ways, reported once */
	assert_int_equal(s.maybe, 1);     /* the Fn::If statement */
	assert_non_null(strstr(s.actions, "kms:Decrypt;"));
	assert_non_null(strstr(s.actions, "secretsmanager:GetSecretValue;"));

	struct stmts o = {0};
	rel_principal_statements(h.stack, res(&h, "Other"), count_stmt, &o);
	assert_int_equal(o.n, 0);

	char names[256] = "";
	rel_principal_managed_arns(h.stack, role, arn_name, names);
	assert_string_equal(names, "AWSLambdaBasicExecutionRole;");

	/* Written statements: each identity statement once, at the resource that holds it. */
	struct stmts w = {0};
	for (size_t i = 0; i < h.stack->nres; i++)
		rel_written_statements(&h.stack->res[i], count_stmt, &w);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.inline_n, 2);
	assert_int_equal(w.policy_n, 1);
	assert_int_equal(w.managed_n, 1);
	assert_int_equal(w.maybe, 1);
	struct stmts at_extra = {0};
	rel_written_statements(res(&h, "Extra"), count_stmt, &at_extra);
	assert_string_equal(at_extra.actions, "kms:Decrypt;");
	struct stmts at_fn = {0};
	rel_written_statements(res(&h, "Fn"), count_stmt, &at_fn);
	assert_int_equal(at_fn.n, 0);
	harness_free(&h);
}

static void test_sam_generated_role(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Transform: AWS::Serverless-2016-10-31\n"
			  "Resources:\n"
			  "  Table: {Type: AWS::DynamoDB::Table, Properties: {AttributeDefinitions: [{AttributeName: k, AttributeType: S}], KeySchema: [{AttributeName: k, KeyType: HASH}], BillingMode: PAY_PER_REQUEST}}\n"
			  "  Fn:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties:\n"
			  "      Runtime: python3.12\n"
			  "      Handler: app.handler\n"
			  "      CodeUri: src/\n"
			  "      Policies:\n"
			  "        - DynamoDBReadPolicy: {TableName: !Ref Table}\n");
	struct resource *fn = res(&h, "Fn");
	assert_string_equal(fn->type, "AWS::Lambda::Function");
	struct resource *role = rel_function_role(h.stack, fn);
	assert_non_null(role);
	assert_string_equal(role->source_id, "Fn");
	struct stmts s = {0};
	rel_principal_statements(h.stack, role, count_stmt, &s);
	assert_true(s.n >= 1);
	harness_free(&h);
}

/* ---- the rest ---- */

static void test_secret_rotations(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  Secret: {Type: AWS::SecretsManager::Secret}\n"
			  "  Other: {Type: AWS::SecretsManager::Secret}\n"
			  "  Rot: {Type: AWS::SecretsManager::RotationSchedule, Properties: {SecretId: !Ref Secret, RotationRules: {AutomaticallyAfterDays: 30}}}\n"
			  "  Rot2: {Type: AWS::SecretsManager::RotationSchedule, Properties: {SecretId: !Ref Secret, RotationRules: {AutomaticallyAfterDays: 60}}}\n");
	struct rel_set s;
	rel_secret_rotations(h.stack, res(&h, "Secret"), &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0]->id, "Rot");
	rel_secret_rotations(h.stack, res(&h, "Other"), &s);
	assert_int_equal(s.n, 0);
	harness_free(&h);
}

static void test_api_chain_and_waf(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.12, Handler: x.y, Code: {ZipFile: x}, Role: arn:aws:iam::1:role/r}}\n"
			  "  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: api}}\n"
			  "  Method:\n"
			  "    Type: AWS::ApiGateway::Method\n"
			  "    Properties:\n"
			  "      RestApiId: !Ref Api\n"
			  "      ResourceId: !GetAtt Api.RootResourceId\n"
			  "      HttpMethod: GET\n"
			  "      AuthorizationType: NONE\n"
			  "      Integration:\n"
			  "        Type: AWS_PROXY\n"
			  "        IntegrationHttpMethod: POST\n"
			  "        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations\n"
			  "  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: Method, Properties: {RestApiId: !Ref Api}}\n"
			  "  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}\n"
			  "  Other: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: test}}\n"
			  "  Acl: {Type: AWS::WAFv2::WebACL, Properties: {Scope: REGIONAL, DefaultAction: {Allow: {}}, VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: m}}}\n"
			  "  Assoc: {Type: AWS::WAFv2::WebACLAssociation, Properties: {WebACLArn: !GetAtt Acl.Arn, ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod'}}\n");
	struct rel_set s;
	rel_api_stages(h.stack, res(&h, "Api"), &s);
	assert_int_equal(s.n, 2);
	rel_api_methods(h.stack, res(&h, "Api"), &s);
	assert_int_equal(s.n, 1);
	struct rel_target a = rel_api_of(h.stack, res(&h, "Stage"));
	assert_int_equal(a.kind, REL_STACK);
	const struct resource *assoc = NULL;
	assert_int_equal(rel_stage_waf(h.stack, res(&h, "Stage"), &assoc), YES);
	assert_non_null(assoc);
	assert_int_equal(rel_stage_waf(h.stack, res(&h, "Other"), NULL), NO);
	harness_free(&h);

	/* the stage name from a parameter: which stage is protected is not known */
	harness_model(&h, "Parameters: {StageName: {Type: String}}\n"
			  "Resources:\n"
			  "  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: api}}\n"
			  "  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: d, StageName: prod}}\n"
			  "  Assoc: {Type: AWS::WAFv2::WebACLAssociation, Properties: {WebACLArn: arn:aws:wafv2:acl, ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${StageName}'}}\n");
	assert_int_equal(rel_stage_waf(h.stack, res(&h, "Stage"), NULL), MAYBE);
	harness_free(&h);

	/* the ARN substitutes another Stage resource: it protects that stage only */
	harness_model(&h, "Resources:\n"
			  "  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: api}}\n"
			  "  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: d, StageName: prod}}\n"
			  "  OtherStage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: d, StageName: test}}\n"
			  "  Assoc: {Type: AWS::WAFv2::WebACLAssociation, Properties: {WebACLArn: arn:aws:wafv2:acl, ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${OtherStage}'}}\n");
	assert_int_equal(rel_stage_waf(h.stack, res(&h, "Stage"), NULL), NO);
	assert_int_equal(rel_stage_waf(h.stack, res(&h, "OtherStage"), NULL), YES);
	harness_free(&h);
}

/* The API SAM generates for a function's Api event: one stage, and its Body's integration names the function. */
static void test_sam_api(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Transform: AWS::Serverless-2016-10-31\n"
			  "Resources:\n"
			  "  Fn:\n"
			  "    Type: AWS::Serverless::Function\n"
			  "    Properties:\n"
			  "      Runtime: python3.12\n"
			  "      Handler: app.handler\n"
			  "      CodeUri: src/\n"
			  "      Events: {Get: {Type: Api, Properties: {Path: /items, Method: get}}}\n"
			  "  Quiet: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: s/}}\n");
	struct resource *api = res(&h, "ServerlessRestApi");
	assert_true(graph_mentions(val_get(api->props, "Body"), "Fn"));
	assert_false(graph_mentions(val_get(api->props, "Body"), "Quiet"));
	struct rel_set s;
	rel_api_stages(h.stack, api, &s);
	assert_int_equal(s.n, 1);
	harness_free(&h);
}

static void test_cidr_and_rules(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters: {Env: {Type: String}}\n"
			  "Conditions: {Prod: !Equals [!Ref Env, prod]}\n"
			  "Resources:\n"
			  "  E1: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: a, RuleNumber: 1, Protocol: 6, RuleAction: allow, CidrBlock: !If [Prod, 10.0.0.0/8, 0.0.0.0/0], PortRange: {From: 20, To: 25}}}\n"
			  "  E2: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: a, RuleNumber: 2, Protocol: 17, RuleAction: allow, Ipv6CidrBlock: '::/0', PortRange: {From: 22, To: 22}}}\n"
			  "  E3: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: a, RuleNumber: 3, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0}}\n");
	struct rel_ingress in;
	struct resource *e1 = res(&h, "E1");
	rel_ingress_parse(h.stack, e1, e1->props, &in);
	assert_int_equal(in.world, MAYBE); /* either alternative may deploy */
	assert_int_equal(rel_ingress_covers(&in, 22), YES);
	assert_int_equal(rel_ingress_covers(&in, 26), NO);
	struct resource *e2 = res(&h, "E2");
	rel_ingress_parse(h.stack, e2, e2->props, &in);
	assert_int_equal(in.world, YES);
	assert_int_equal(rel_ingress_covers(&in, 22), NO); /* UDP */
	struct resource *e3 = res(&h, "E3");
	rel_ingress_parse(h.stack, e3, e3->props, &in);
	assert_true(in.all_ports);
	assert_int_equal(rel_ingress_covers(&in, 3389), YES);
	assert_int_equal(rel_cidr_is_world(NULL), NO);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subnet_by_routes_not_name),
		cmocka_unit_test(test_subnet_unknowns),
		cmocka_unit_test(test_db_subnets),
		cmocka_unit_test(test_security_groups),
		cmocka_unit_test(test_function_role_statements),
		cmocka_unit_test(test_sam_generated_role),
		cmocka_unit_test(test_secret_rotations),
		cmocka_unit_test(test_api_chain_and_waf),
		cmocka_unit_test(test_sam_api),
		cmocka_unit_test(test_cidr_and_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
