/*
 * relations.h - the named relations of the resource graph that checks ask
 * about: principal -> policy statements (and user -> groups), function ->
 * role, database -> subnet group -> subnets -> route tables -> routes,
 * resource -> security groups -> ingress rules, instance -> cluster,
 * secret -> rotation, WAF -> stage, API -> stages and methods.  Each is
 * here because a check (or the IAM engine) asks it.
 *
 * Built on the generic queries of graph.h.  A relation is decided from the
 * stack alone: where a link goes outside the stack (an ARN, a parameter, an
 * import) the answer says so (REL_OUTSIDE, `outside`, MAYBE) instead of
 * guessing.  Sets are allocated in the stack's arena.
 */
#ifndef RAMPART_GRAPH_RELATIONS_H
#define RAMPART_GRAPH_RELATIONS_H

#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- one target ---- */

enum rel_kind {
	REL_ABSENT,  /* the property is not set */
	REL_STACK,   /* names a resource of the stack: r */
	REL_OUTSIDE, /* set, but names nothing in the stack (literal ARN/name, parameter, import) */
};

struct rel_target {
	enum rel_kind kind;
	struct resource *r; /* REL_STACK only */
	const struct value *v; /* the property value (NULL when absent) */
};

/* ---- a set of resources ---- */

struct rel_set {
	struct resource **v;
	size_t n, cap;
	bool absent;  /* the property that would name them is not set */
	bool outside; /* some entry names nothing in the stack: the set may be incomplete */
};

/* ---- policy statements ---- */

enum rel_origin {
	REL_ORIGIN_INLINE,         /* the principal's own Policies[] */
	REL_ORIGIN_POLICY,         /* an AWS::IAM::Policy naming the principal */
	REL_ORIGIN_MANAGED,        /* an AWS::IAM::ManagedPolicy of the stack (by its Roles/Users/Groups,
				      or named in ManagedPolicyArns) */
	REL_ORIGIN_RESOURCE,       /* a resource policy (rel_each_statement on a document) */
};

struct rel_statement {
	const struct value *stmt;       /* the statement: a VAL_MAP */
	const struct resource *holder;  /* where it is written: the role/user/group, or the policy resource */
	const char *policy_name;        /* PolicyName, ManagedPolicyName or the holder's ID; never NULL */
	enum rel_origin origin;
	enum tri applies;               /* YES; MAYBE under an undecided Fn::If, condition, or choice of
					   attachment */
};

typedef void (*rel_statement_fn)(const struct rel_statement *st, void *ctx);

/*
 * Each statement of a policy document value ({Version, Statement: map|list}),
 * alternatives of Fn::If expanded (applies MAYBE).  holder/policy_name/origin
 * are copied into each rel_statement.
 */
void rel_each_statement(const struct value *doc, const struct resource *holder, const char *policy_name,
			enum rel_origin origin, enum tri applies, rel_statement_fn fn, void *ctx);

/*
 * Every identity-policy statement that applies to a principal of the stack
 * (AWS::IAM::Role, User or Group): its inline Policies, AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources whose Roles/Users/Groups name it, and
 * ManagedPolicy resources named in its ManagedPolicyArns.
 */
void rel_principal_statements(const struct stack *s, const struct resource *principal, rel_statement_fn fn,
			      void *ctx);

/*
 * Each identity-policy statement written in resource r, where it is
 * written: the inline Policies of an AWS::IAM::Role, User or Group, or the
 * PolicyDocument of an AWS::IAM::Policy or ManagedPolicy (nothing for other
 * types).  Over all of a stack's resources, every identity statement once.
 */
void rel_written_statements(const struct resource *r, rel_statement_fn fn, void *ctx);

/*
 * ManagedPolicyArns entries that are not policies of the stack (AWS managed
 * policies and outside ARNs): fn gets the value and, when the ARN is known,
 * the policy name after the last '/' ("AdministratorAccess"), else NULL.
 * Also used for IAM users and groups.
 */
void rel_principal_managed_arns(const struct stack *s, const struct resource *principal,
				void (*fn)(const struct value *arn, const char *name, void *ctx), void *ctx);

/*
 * The AWS::IAM::Group resources of the stack a user belongs to: named in
 * its Groups (by reference or GroupName), or by an
 * AWS::IAM::UserToGroupAddition.  A user has its groups' policies.  A
 * membership that holds only under an undecided condition is included and
 * sets *maybe.
 */
void rel_user_groups(const struct stack *s, const struct resource *user, struct rel_set *out, bool *maybe);

/* ---- Lambda ---- */

/* The AWS::IAM::Role named by a Lambda function's Role (GetAtt X.Arn, Ref), or NULL (outside ARN). */
struct resource *rel_function_role(const struct stack *s, const struct resource *fn);
/* Functions (AWS::Lambda::Function) whose Role names this role. */
void rel_role_functions(const struct stack *s, const struct resource *role, struct rel_set *out);
/* Is the function attached to a VPC (VpcConfig with SubnetIds)?  MAYBE when VpcConfig is unknown. */
enum tri rel_function_in_vpc(const struct resource *fn);

/* ---- network ---- */

struct rel_subnet_info {
	enum tri igw;          /* a route 0.0.0.0/0 or ::/0 to an internet gateway */
	enum tri map_public_ip; /* MapPublicIpOnLaunch */
	const struct resource *route_table; /* the associated route table, if one in the stack */
	const struct resource *route;       /* the route that decided igw YES/MAYBE, or NULL */
	const char *why;        /* short reason for MAYBE ("no route table association in the stack"...) */
};

/*
 * Is an AWS::EC2::Subnet public by its routes?  Decided from
 * SubnetRouteTableAssociation -> RouteTable -> Route (default route to an
 * AWS::EC2::InternetGateway: YES; to an unknown gateway: MAYBE; none: NO).
 * No association in the stack: MAYBE (the VPC's main route table is not
 * known).  Never by name.  info may be NULL.
 */
enum tri rel_subnet_public(const struct stack *s, const struct resource *subnet, struct rel_subnet_info *info);

/*
 * The subnets of a database: DBInstance/DBCluster DBSubnetGroupName ->
 * AWS::RDS::DBSubnetGroup SubnetIds (an instance without one uses its
 * cluster's).  absent: no subnet group (the default VPC); outside: a
 * subnet group or subnet not in the stack.
 */
void rel_db_subnets(const struct stack *s, const struct resource *db, struct rel_set *out);

/*
 * Security groups of a database (DBInstance VPCSecurityGroups, DBCluster
 * VpcSecurityGroupIds), proxy (VpcSecurityGroupIds) or function
 * (VpcConfig.SecurityGroupIds).  An instance in a cluster also gets the
 * cluster's.
 */
void rel_security_groups(const struct stack *s, const struct resource *r, struct rel_set *out);

struct rel_ingress {
	const struct resource *holder; /* the security group, or the AWS::EC2::SecurityGroupIngress */
	const struct value *rule;      /* the rule map */
	const struct value *cidr;      /* CidrIp or CidrIpv6 (NACL: CidrBlock, Ipv6CidrBlock), or NULL */
	unsigned cidr_flags;           /* how cidr must read: core/cidr.h CIDR_NEED_PREFIX | CIDR_ONLY_V4/V6 */
	const struct value *source;    /* SourceSecurityGroupId/Name or SourcePrefixListId, or NULL */
	struct resource *source_group; /* the source security group, if of the stack */
	bool prefix_list;              /* the source is a managed prefix list: its ranges are not known */
	bool chosen;                   /* in a rule list under an undecided Fn::If: it may not be deployed */
	enum tri world;                /* this rule alone admits a whole address family (0.0.0.0/0, ::/0, any
					  /0); MAYBE when its CIDR or prefix list is unknown.  Whether a group's
					  rules together admit the internet is graph/exposure.h's question. */
	const char *protocol;          /* "-1", "tcp", "6", ...; NULL when unknown */
	bool all_ports;                /* protocol -1 (or a port range 0-65535 / -1) */
	long from, to;                 /* FromPort/ToPort when ports_known == YES */
	enum tri ports_known;          /* MAYBE when a port is unknown, or malformed (an input error) */
};

typedef void (*rel_ingress_fn)(const struct rel_ingress *in, void *ctx);

/* Each ingress rule of a security group: inline SecurityGroupIngress and
 * AWS::EC2::SecurityGroupIngress resources whose GroupId names it. */
void rel_sg_ingress(const struct stack *s, const struct resource *sg, rel_ingress_fn fn, void *ctx);
/* Each rule of a rule value held by `holder`: a map, a list, or Fn::If of them (whose
 * rules are `chosen`, and from the world only MAYBE). */
void rel_ingress_rules(const struct stack *s, const struct resource *holder, const struct value *rules,
		       rel_ingress_fn fn, void *ctx);
/* Parse one rule map (inline entry, ingress resource props, or NACL entry ports). */
void rel_ingress_parse(const struct stack *s, const struct resource *holder, const struct value *rule,
		       struct rel_ingress *out);
/*
 * Does the rule admit protocol `proto` (an IANA number, -1 for "all
 * protocols") on `port`?  A rule of protocol -1 admits every protocol; asking
 * for -1, only such a rule does.  MAYBE when protocol or ports are unknown.
 */
enum tri rel_ingress_admits(const struct rel_ingress *in, int proto, long port);
/* rel_ingress_admits for TCP. */
enum tri rel_ingress_covers(const struct rel_ingress *in, long port);
/* A whole number lo..hi (a port: -1..65535; a NACL RuleNumber: 1..32766): YES with *out; NO
 * when absent; MAYBE when unknown, or malformed (fractional, out of range, not a number: an
 * input error, rel_ingress_diagnose).  Never converts an out-of-range double. */
enum tri rel_integer(const struct value *v, long lo, long hi, long *out);
/* A protocol as AWS writes it ("tcp", "6", "-1", "all", "icmpv6"...) as its number (-1: all); false if
 * not one. */
bool rel_protocol_number(const char *text, int *out);
/* Is this CIDR value alone a whole address family (any /0, v4 or v6)?  MAYBE if unknown or malformed. */
enum tri rel_cidr_is_world(const struct value *cidr);
/*
 * Report what AWS refuses in a rule or entry map, each at its file:line:col:
 * a FromPort/ToPort/PortRange that is not an integer -1..65535, a RuleNumber
 * that is not 1-32766, a CidrIp/CidrIpv6/CidrBlock/Ipv6CidrBlock that is
 * not a CIDR block of its family (core/cidr.h).  rel_ingress_parse treats
 * such a value as unknown.
 */
void rel_ingress_diagnose(const struct value *rule, struct diags *d);
/* The same for one CIDR property value (`name` for the message, flags as for cidr_parse). */
void rel_cidr_diagnose(const struct value *cidr, const char *name, unsigned flags, struct diags *d);

/* ---- databases and secrets ---- */

/* Rotation schedules (AWS::SecretsManager::RotationSchedule SecretId) of a secret. */
void rel_secret_rotations(const struct stack *s, const struct resource *secret, struct rel_set *out);
/*
 * Is a DBInstance an Aurora cluster member, whose storage, TLS, backups and
 * deletion protection are its cluster's?  YES with a DBClusterIdentifier or
 * an aurora* Engine; MAYBE when the engine is unknown.
 */
enum tri rel_instance_in_cluster(const struct resource *instance);

/* The cluster a DBInstance belongs to (DBClusterIdentifier). */
struct rel_target rel_instance_cluster(const struct stack *s, const struct resource *instance);

/* ---- API Gateway ---- */

/* Stages of an API (ApiGateway::Stage RestApiId, ApiGatewayV2::Stage ApiId). */
void rel_api_stages(const struct stack *s, const struct resource *api, struct rel_set *out);
/* Methods (ApiGateway::Method) or routes (ApiGatewayV2::Route) of an API. */
void rel_api_methods(const struct stack *s, const struct resource *api, struct rel_set *out);
/* The API of a stage/method/route (RestApiId or ApiId). */
struct rel_target rel_api_of(const struct stack *s, const struct resource *r);
/*
 * Is a WAF web ACL associated with a stage?  YES when an
 * AWS::WAFv2::WebACLAssociation (or WAFRegional) ResourceArn names the stage
 * (or its API and stage name); MAYBE when it names the API but the stage
 * cannot be told; NO otherwise.  *assoc gets the association if not NULL.
 */
enum tri rel_stage_waf(const struct stack *s, const struct resource *stage, const struct resource **assoc);

#endif
