/*
 * stack_iam.c - a template stack's principals and policies, instantiated
 * symbolically for the evaluator (see stack_iam.h).
 */
#include "iam/stack_iam.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "graph/graph.h"
#include "graph/relations.h"
#include "load/load.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* ---- names and ARNs ---- */

static const char *prop_str(const struct resource *r, const char *key)
{
	return val_str(val_get(r->props, key));
}

/* The physical name CloudFormation would use: the name property if the template sets it, else the logical ID. */
static const char *physical_name(const struct resource *r)
{
	static const char *keys[] = {"TableName", "FunctionName", "RoleName", "UserName", "BucketName", "Name",
				     "DBClusterIdentifier", "DBInstanceIdentifier", "QueueName", "TopicName",
				     "LogGroupName", "DBProxyName", "ManagedPolicyName"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *v = prop_str(r, keys[i]);
		if (v && *v)
			return v;
	}
	return r->id;
}

const char *iam_stack_arn(struct iam_stack *is, const struct resource *r)
{
	const char *t = r->type, *A = is->account, *R = is->region, *n = physical_name(r);
	struct arena *a = is->a;
	if (!strcmp(t, "AWS::DynamoDB::Table") || !strcmp(t, "AWS::DynamoDB::GlobalTable"))
		return arena_printf(a, "arn:aws:dynamodb:%s:%s:table/%s", R, A, n);
	if (!strcmp(t, "AWS::KMS::Key"))
		return arena_printf(a, "arn:aws:kms:%s:%s:key/%s", R, A, r->id);
	if (!strcmp(t, "AWS::SecretsManager::Secret"))
		return arena_printf(a, "arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", R, A, n);
	if (!strcmp(t, "AWS::Lambda::Function"))
		return arena_printf(a, "arn:aws:lambda:%s:%s:function:%s", R, A, n);
	if (!strcmp(t, "AWS::IAM::Role"))
		return arena_printf(a, "arn:aws:iam::%s:role/%s", A, n);
	if (!strcmp(t, "AWS::IAM::User"))
		return arena_printf(a, "arn:aws:iam::%s:user/%s", A, n);
	if (!strcmp(t, "AWS::IAM::ManagedPolicy"))
		return arena_printf(a, "arn:aws:iam::%s:policy/%s", A, n);
	if (!strcmp(t, "AWS::S3::Bucket"))
		return arena_printf(a, "arn:aws:s3:::%s", n);
	if (!strcmp(t, "AWS::RDS::DBCluster"))
		return arena_printf(a, "arn:aws:rds:%s:%s:cluster:%s", R, A, n);
	if (!strcmp(t, "AWS::RDS::DBInstance"))
		return arena_printf(a, "arn:aws:rds:%s:%s:db:%s", R, A, n);
	if (!strcmp(t, "AWS::RDS::DBProxy"))
		return arena_printf(a, "arn:aws:rds:%s:%s:db-proxy:%s", R, A, n);
	if (!strcmp(t, "AWS::SQS::Queue"))
		return arena_printf(a, "arn:aws:sqs:%s:%s:%s", R, A, n);
	if (!strcmp(t, "AWS::SNS::Topic"))
		return arena_printf(a, "arn:aws:sns:%s:%s:%s", R, A, n);
	if (!strcmp(t, "AWS::Logs::LogGroup"))
		return arena_printf(a, "arn:aws:logs:%s:%s:log-group:%s:*", R, A, n);
	/* Anything else: arn:aws:<service>:<region>:<account>:<logical id>. */
	char svc[64] = "unknown";
	const char *p = strstr(t, "::");
	if (p) {
		p += 2;
		size_t k = 0;
		while (p[k] && p[k] != ':' && k + 1 < sizeof svc) {
			svc[k] = (char)tolower((unsigned char)p[k]);
			k++;
		}
		svc[k] = '\0';
	}
	return arena_printf(a, "arn:aws:%s:%s:%s:%s", svc, R, A, r->id);
}

/* What Ref or Fn::GetAtt of a stack resource returns, instantiated. */
static const char *ref_text(struct iam_stack *is, const char *id, const char *attr)
{
	const struct resource *r = stack_find(is->s, id);
	if (!r)
		return NULL;
	const char *t = r->type;
	if (attr) {
		if (!strcmp(attr, "Arn"))
			return iam_stack_arn(is, r);
		if (!strcmp(attr, "DBClusterResourceId") || !strcmp(attr, "DbiResourceId"))
			return arena_printf(is->a, "%s-%s", !strcmp(attr, "DbiResourceId") ? "db" : "cluster", r->id);
		if (!strcmp(attr, "KeyId"))
			return r->id;
		return arena_printf(is->a, "%s.%s", r->id, attr);
	}
	/* Ref returns an ARN for these, a name or ID for the rest. */
	if (!strcmp(t, "AWS::SecretsManager::Secret") || !strcmp(t, "AWS::SNS::Topic") ||
	    !strcmp(t, "AWS::IAM::ManagedPolicy"))
		return iam_stack_arn(is, r);
	if (!strcmp(t, "AWS::KMS::Key"))
		return r->id;
	return physical_name(r);
}

const char *iam_stack_ref(struct iam_stack *is, const struct resource *r, const char *attr)
{
	return ref_text(is, r->id, attr);
}

const char *iam_stack_execute_api_arn(struct iam_stack *is, const struct resource *api)
{
	return arena_printf(is->a, "arn:aws:execute-api:%s:%s:%s", is->region, is->account, ref_text(is, api->id, NULL));
}

/* Instantiate ${...} placeholders of an unknown string; NULL if some part stays unknown. */
static const char *instantiate(struct iam_stack *is, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool ok = true;
	const char *p = text, *end = text + len;
	if (len > 5 && !strncmp(text, "!Ref ", 5)) {
		/* A whole value that is a Ref: treat as ${X}. */
		sb_printf(&sb, "${%.*s}", (int)(len - 5), text + 5);
		const char *r = instantiate(is, sb.s, sb.len);
		sb_free(&sb);
		return r;
	}
	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "${", 2);
		if (!open) {
			sb_append(&sb, p, (size_t)(end - p));
			break;
		}
		sb_append(&sb, p, (size_t)(open - p));
		const char *close = memchr(open, '}', (size_t)(end - open));
		if (!close) {
			sb_append(&sb, open, (size_t)(end - open));
			break;
		}
		char name[256];
		size_t n = (size_t)(close - open - 2);
		if (n >= sizeof name) {
			ok = false;
			break;
		}
		memcpy(name, open + 2, n);
		name[n] = '\0';
		const char *sub = NULL;
		if (!strcmp(name, "AWS::Partition"))
			sub = "aws";
		else if (!strcmp(name, "AWS::Region"))
			sub = is->region;
		else if (!strcmp(name, "AWS::AccountId"))
			sub = is->account;
		else if (!strcmp(name, "AWS::URLSuffix"))
			sub = "amazonaws.com";
		else if (!strcmp(name, "AWS::StackName"))
			sub = "stack";
		else {
			char *dot = strchr(name, '.');
			if (dot)
				*dot = '\0';
			sub = ref_text(is, name, dot ? dot + 1 : NULL);
		}
		if (!sub) {
			ok = false;
			break;
		}
		sb_puts(&sb, sub);
		p = close + 1;
	}
	const char *out = ok ? arena_strndup(is->a, sb.s ? sb.s : "", sb.len) : NULL;
	sb_free(&sb);
	return out;
}

/* ---- values to document nodes ---- */

struct conv {
	struct iam_stack *is;
	bool uncertain;
};

static struct node *mk(struct iam_stack *is, enum node_kind k, struct pos pos)
{
	struct node *n = arena_alloc(is->a, sizeof *n);
	n->kind = k;
	n->pos = pos;
	return n;
}

static struct node *mk_str(struct iam_stack *is, const char *s, struct pos pos)
{
	struct node *n = mk(is, NODE_STRING, pos);
	n->str = arena_strdup(is->a, s);
	n->len = strlen(s);
	return n;
}

static struct node *to_node(struct conv *c, const struct value *v)
{
	struct iam_stack *is = c->is;
	if (!v)
		return mk(is, NODE_NULL, (struct pos){0});
	switch (v->kind) {
	case VAL_NULL:
		return mk(is, NODE_NULL, v->pos);
	case VAL_BOOL:
		return mk_str(is, v->b ? "true" : "false", v->pos);
	case VAL_NUMBER:
	case VAL_STRING:
		return mk_str(is, v->s ? v->s : "", v->pos);
	case VAL_REF: {
		const char *t = ref_text(is, v->s, v->attr);
		if (!t) {
			c->uncertain = true;
			t = "{unknown}";
		}
		return mk_str(is, t, v->pos);
	}
	case VAL_UNKNOWN: {
		const char *t = v->s ? instantiate(is, v->s, v->len) : NULL;
		if (!t) {
			c->uncertain = true;
			/* Matches no pattern but "*" (it contains no ':' ARN structure a pattern could hit). */
			t = "{unknown}";
		}
		return mk_str(is, t, v->pos);
	}
	case VAL_CHOICE:
		c->uncertain = true;
		return to_node(c, v->n ? v->items[0] : NULL);
	case VAL_LIST: {
		struct node *n = mk(is, NODE_SEQ, v->pos);
		n->items = arena_array(is->a, v->n ? v->n : 1, sizeof *n->items);
		for (size_t i = 0; i < v->n; i++)
			n->items[n->n++] = to_node(c, v->items[i]);
		return n;
	}
	case VAL_MAP: {
		struct node *n = mk(is, NODE_MAP, v->pos);
		n->pairs = arena_array(is->a, v->n ? v->n : 1, sizeof *n->pairs);
		for (size_t i = 0; i < v->n; i++) {
			n->pairs[n->n].key = mk_str(is, v->pairs[i].key, v->pairs[i].key_pos);
			n->pairs[n->n].value = to_node(c, v->pairs[i].v);
			n->n++;
		}
		return n;
	}
	}
	return mk(is, NODE_NULL, v->pos);
}

const struct iam_policy *iam_policy_from_value(struct iam_stack *is, const struct value *doc, const char *name,
					       enum iam_policy_kind kind, struct diags *d)
{
	if (!doc || doc->kind != VAL_MAP)
		return NULL;
	struct conv c = {is, false};
	struct node *n = to_node(&c, doc);
	/* Diagnostics of template policies belong to the IAM checks, not here. */
	struct diags quiet = {0};
	const struct iam_policy *p = iam_policy_parse(n, name, kind, is->a, d ? d : &quiet);
	diags_free(&quiet);
	return p;
}

/* ---- AWS managed policies rampart knows ---- */

struct managed {
	const char *name, *json;
};

/* Statements as AWS publishes them, shortened to the actions that matter for data stores. */
static const struct managed managed_policies[] = {
	{"AdministratorAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"},
	{"PowerUserAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\",\"account:*\"],\"Resource\":\"*\"}]}"},
	{"AWSLambdaBasicExecutionRole", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}"},
	{"AWSLambdaVPCAccessExecutionRole", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\",\"ec2:CreateNetworkInterface\",\"ec2:DescribeNetworkInterfaces\",\"ec2:DescribeSubnets\",\"ec2:DeleteNetworkInterface\",\"ec2:AssignPrivateIpAddresses\",\"ec2:UnassignPrivateIpAddresses\"],\"Resource\":\"*\"}]}"},
	{"AmazonDynamoDBFullAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:*\",\"dax:*\",\"kms:DescribeKey\",\"kms:ListAliases\"],\"Resource\":\"*\"}]}"},
	{"AmazonDynamoDBReadOnlyAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:BatchGetItem\",\"dynamodb:Describe*\",\"dynamodb:List*\",\"dynamodb:GetItem\",\"dynamodb:Query\",\"dynamodb:Scan\",\"dynamodb:PartiQLSelect\"],\"Resource\":\"*\"}]}"},
	{"AmazonS3FullAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"s3-object-lambda:*\"],\"Resource\":\"*\"}]}"},
	{"AmazonS3ReadOnlyAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\",\"s3:Describe*\"],\"Resource\":\"*\"}]}"},
	{"SecretsManagerReadWrite", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"secretsmanager:*\",\"kms:DescribeKey\",\"kms:ListAliases\",\"rds:DescribeDBInstances\",\"rds:DescribeDBClusters\"],\"Resource\":\"*\"}]}"},
	{"AmazonRDSFullAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"rds:*\",\"secretsmanager:CreateSecret\",\"kms:ListAliases\"],\"Resource\":\"*\"}]}"},
	{"AmazonRDSDataFullAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"rds-data:*\",\"secretsmanager:GetSecretValue\",\"secretsmanager:PutResourcePolicy\",\"secretsmanager:PutSecretValue\",\"secretsmanager:DeleteSecret\",\"secretsmanager:DescribeSecret\",\"secretsmanager:TagResource\",\"secretsmanager:CreateSecret\",\"dbqms:*\",\"tag:GetResources\"],\"Resource\":\"*\"}]}"},
	{"CloudWatchLogsFullAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:*\"],\"Resource\":\"*\"}]}"},
	{"AWSXRayDaemonWriteAccess", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"xray:PutTraceSegments\",\"xray:PutTelemetryRecords\",\"xray:GetSamplingRules\",\"xray:GetSamplingTargets\",\"xray:GetSamplingStatisticSummaries\"],\"Resource\":\"*\"}]}"},
};

static const struct iam_policy *managed_policy(struct iam_stack *is, const char *name)
{
	for (size_t i = 0; i < sizeof managed_policies / sizeof *managed_policies; i++) {
		if (strcmp(managed_policies[i].name, name))
			continue;
		struct diags d = {0};
		const char *j = managed_policies[i].json;
		struct node *n = load_buffer(name, j, strlen(j), is->a, &d);
		const struct iam_policy *p = n ? iam_policy_parse(n, name, IAM_IDENTITY, is->a, &d) : NULL;
		diags_free(&d);
		return p;
	}
	return NULL;
}

/* ---- building subjects ---- */

struct collect {
	struct iam_stack *is;
	struct iam_subject *subj;
	/* Statements grouped by (holder, policy name). */
	const struct resource *holder[64];
	const char *pname[64];
	struct value *stmts[64];
	size_t ngroups;
};

static void collect_statement(const struct rel_statement *st, void *ctx)
{
	struct collect *c = ctx;
	size_t g;
	for (g = 0; g < c->ngroups; g++)
		if (c->holder[g] == st->holder && !strcmp(c->pname[g], st->policy_name))
			break;
	if (g == c->ngroups) {
		if (c->ngroups == 64) {
			c->subj->uncertain = true;
			c->subj->why_uncertain = "more than 64 policies";
			return;
		}
		c->holder[g] = st->holder;
		c->pname[g] = st->policy_name;
		c->stmts[g] = val_new(c->is->a, VAL_LIST, st->stmt->pos);
		c->stmts[g]->items = arena_array(c->is->a, 256, sizeof(struct value *));
		c->ngroups++;
	}
	struct value *l = c->stmts[g];
	if (l->n < 256)
		l->items[l->n++] = (struct value *)st->stmt;
	if (st->applies != YES) {
		c->subj->uncertain = true;
		c->subj->why_uncertain = "a policy applies only under an undecided condition";
	}
}

static void collect_managed(const struct value *arn, const char *name, void *ctx)
{
	struct collect *c = ctx;
	const struct iam_policy *p = name ? managed_policy(c->is, name) : NULL;
	if (!p) {
		c->subj->uncertain = true;
		c->subj->why_uncertain = arena_printf(c->is->a, "managed policy %s is not known to rampart",
						      name ? name : val_render(c->is->a, arn));
		return;
	}
	const struct iam_policy **np = arena_grow(c->is->a, c->subj->policies, c->subj->npolicies,
						   c->subj->npolicies + 1, sizeof *np);
	np[c->subj->npolicies++] = p;
	c->subj->policies = np;
}

static void build_subject(struct iam_stack *is, struct iam_subject *sj, struct resource *r, struct diags *d)
{
	memset(sj, 0, sizeof *sj);
	sj->r = r;
	sj->id = r->id;
	bool role = !strcmp(r->type, "AWS::IAM::Role");
	sj->kind = role ? SUBJ_ROLE : SUBJ_USER;
	const char *arn = iam_stack_arn(is, r);
	/* A role acts through sessions: evaluate as one (E6 distinguishes them). */
	sj->arn = role ? arena_printf(is->a, "arn:aws:sts::%s:assumed-role/%s/rampart", is->account, physical_name(r))
		       : arn;
	struct collect c;
	memset(&c, 0, sizeof c);
	c.is = is;
	c.subj = sj;
	rel_principal_statements(is->s, r, collect_statement, &c);
	rel_principal_managed_arns(is->s, r, collect_managed, &c);
	if (!role) {
		/* a user has the policies of its groups too */
		struct rel_set groups = {0};
		bool maybe = false;
		rel_user_groups(is->s, r, &groups, &maybe);
		if (maybe) {
			sj->uncertain = true;
			sj->why_uncertain = "a group membership depends on an undecided condition";
		}
		for (size_t g = 0; g < groups.n; g++) {
			rel_principal_statements(is->s, groups.v[g], collect_statement, &c);
			rel_principal_managed_arns(is->s, groups.v[g], collect_managed, &c);
		}
	}
	for (size_t g = 0; g < c.ngroups; g++) {
		struct value *doc = val_new(is->a, VAL_MAP, c.stmts[g]->pos);
		doc->pairs = arena_array(is->a, 2, sizeof *doc->pairs);
		doc->pairs[0].key = "Version";
		doc->pairs[0].v = val_string(is->a, "2012-10-17", 10, c.stmts[g]->pos);
		doc->pairs[1].key = "Statement";
		doc->pairs[1].v = c.stmts[g];
		doc->n = 2;
		struct conv cv = {is, false};
		struct node *n = to_node(&cv, doc);
		struct diags quiet = {0};
		const struct iam_policy *p = iam_policy_parse(n, c.pname[g], IAM_IDENTITY, is->a, &quiet);
		diags_free(&quiet);
		if (cv.uncertain) {
			sj->uncertain = true;
			sj->why_uncertain = "a policy names a value the template does not fix";
		}
		if (!p)
			continue;
		const struct iam_policy **np = arena_grow(is->a, sj->policies, sj->npolicies, sj->npolicies + 1, sizeof *np);
		np[sj->npolicies++] = p;
		sj->policies = np;
	}
	const struct value *pb = val_get(r->props, "PermissionsBoundary");
	if (pb) {
		struct resource *mp = graph_target(is->s, pb);
		if (mp && !strcmp(mp->type, "AWS::IAM::ManagedPolicy"))
			sj->boundary = iam_policy_from_value(is, val_get(mp->props, "PolicyDocument"), mp->id, IAM_BOUNDARY, NULL);
		else {
			const char *name = val_str(pb) ? strrchr(val_str(pb), '/') : NULL;
			sj->boundary = name ? managed_policy(is, name + 1) : NULL;
			if (!sj->boundary) {
				sj->uncertain = true;
				sj->why_uncertain = "its permissions boundary is not in the stack";
			}
		}
	}
	(void)d;
}

static void link_functions(struct iam_stack *is);

void iam_stack_build(struct iam_stack *is, struct stack *s, const char *account, const char *region,
		     struct arena *a, struct diags *d)
{
	memset(is, 0, sizeof *is);
	is->s = s;
	is->a = a;
	is->account = account ? account : "123456789012";
	is->region = region ? region : "eu-west-2";
	size_t n = 0;
	for (size_t i = 0; i < s->nres; i++)
		n += !strcmp(s->res[i].type, "AWS::IAM::Role") || !strcmp(s->res[i].type, "AWS::IAM::User");
	is->subj = arena_array(a, n ? n : 1, sizeof *is->subj);
	is->subj_of = arena_array(a, s->nres ? s->nres : 1, sizeof *is->subj_of);
	for (size_t i = 0; i < s->nres; i++) {
		struct resource *r = &s->res[i];
		is->subj_of[i] = SIZE_MAX;
		if (strcmp(r->type, "AWS::IAM::Role") && strcmp(r->type, "AWS::IAM::User"))
			continue;
		is->subj_of[i] = is->nsubj;
		build_subject(is, &is->subj[is->nsubj++], r, d);
	}
	link_functions(is);
}

static struct iam_subject *subject_of(const struct iam_stack *is, const struct resource *r)
{
	if (!r || r < is->s->res || r >= is->s->res + is->s->nres)
		return NULL;
	size_t k = is->subj_of[r - is->s->res];
	return k == SIZE_MAX ? NULL : &is->subj[k];
}

struct link_ctx {
	struct iam_stack *is;
	const struct resource *fn;
};

/* A resource the function's Role names: if it is a role, the function runs as it. */
static void link_function(const char *id, void *vctx)
{
	struct link_ctx *c = vctx;
	struct iam_subject *sj = subject_of(c->is, stack_find(c->is->s, id));
	if (!sj || sj->kind != SUBJ_ROLE)
		return;
	if (sj->nfunctions && sj->functions[sj->nfunctions - 1] == c->fn)
		return; /* named twice (Fn::If alternatives, Sub): once */
	const struct resource **nv = arena_grow(c->is->a, sj->functions, sj->nfunctions, sj->nfunctions + 1, sizeof *nv);
	nv[sj->nfunctions++] = c->fn;
	sj->functions = nv;
}

/*
 * Each role's functions, in one pass over the functions (what
 * rel_role_functions answers per role, which is a pass over the whole
 * stack each time: quadratic on stacks of thousands of roles).
 */
static void link_functions(struct iam_stack *is)
{
	struct stack *s = is->s;
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *fn = &s->res[i];
		if (strcmp(fn->type, "AWS::Lambda::Function") || !fn->props || fn->props->kind != VAL_MAP)
			continue;
		const struct value *role = NULL;
		for (size_t k = 0; k < fn->props->n && !role; k++)
			if (!strcmp(fn->props->pairs[k].key, "Role"))
				role = fn->props->pairs[k].v;
		if (!role)
			continue;
		struct link_ctx c = {is, fn};
		graph_each_ref(role, link_function, &c);
	}
}

size_t iam_stack_role_functions(struct iam_stack *is, const struct resource *role, const struct resource **out,
				size_t max)
{
	const struct iam_subject *sj = subject_of(is, role);
	size_t n = 0;
	if (sj) {
		for (size_t i = 0; i < sj->nfunctions && n < max; i++)
			out[n++] = sj->functions[i];
		return n;
	}
	struct rel_set set = {0};
	rel_role_functions(is->s, role, &set);
	for (size_t i = 0; i < set.n && n < max; i++)
		out[n++] = set.v[i];
	return n;
}

/* ---- resource policies ---- */

/* AWS::Lambda::Permission resources of a function, as one resource policy. */
static const struct iam_policy *lambda_permissions(struct iam_stack *is, const struct resource *fn)
{
	struct resource *perms[256];
	size_t n = graph_referrers(is->s, fn->id, "AWS::Lambda::Permission", "FunctionName", perms, 256);
	if (n > 256)
		n = 256;
	if (!n)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "{\"Version\":\"2012-10-17\",\"Statement\":[");
	size_t k = 0;
	struct conv cv = {is, false};
	for (size_t i = 0; i < n; i++) {
		const struct resource *p = perms[i];
		const struct node *pr = to_node(&cv, val_get(p->props, "Principal"));
		const struct node *ac = to_node(&cv, val_get(p->props, "Action"));
		if (!pr->str || !ac->str)
			continue;
		sb_puts(&sb, k++ ? "," : "");
		sb_puts(&sb, "{\"Effect\":\"Allow\",\"Principal\":");
		if (!strcmp(pr->str, "*"))
			sb_puts(&sb, "\"*\"");
		else {
			sb_puts(&sb, strstr(pr->str, ".amazonaws.com") ? "{\"Service\":" : "{\"AWS\":");
			sb_json_str(&sb, pr->str);
			sb_putc(&sb, '}');
		}
		sb_puts(&sb, ",\"Action\":");
		sb_json_str(&sb, ac->str);
		sb_puts(&sb, ",\"Resource\":");
		sb_json_str(&sb, iam_stack_arn(is, fn));
		const struct value *sa = val_get(p->props, "SourceArn"), *sacct = val_get(p->props, "SourceAccount");
		if (sa || sacct) {
			sb_puts(&sb, ",\"Condition\":{");
			if (sa) {
				sb_puts(&sb, "\"ArnLike\":{\"aws:SourceArn\":");
				sb_json_str(&sb, to_node(&cv, sa)->str);
				sb_putc(&sb, '}');
			}
			if (sacct) {
				sb_puts(&sb, sa ? ",\"StringEquals\":{\"aws:SourceAccount\":" : "\"StringEquals\":{\"aws:SourceAccount\":");
				sb_json_str(&sb, to_node(&cv, sacct)->str);
				sb_putc(&sb, '}');
			}
			sb_putc(&sb, '}');
		}
		sb_putc(&sb, '}');
	}
	sb_puts(&sb, "]}");
	struct diags d = {0};
	struct node *root = load_buffer(arena_printf(is->a, "%s permissions", fn->id), sb.s, sb.len, is->a, &d);
	const struct iam_policy *pol = root ? iam_policy_parse(root, arena_printf(is->a, "%s permissions", fn->id),
							       IAM_RESOURCE, is->a, &d)
					    : NULL;
	diags_free(&d);
	sb_free(&sb);
	return pol;
}

const struct iam_policy *iam_stack_trust_policy(struct iam_stack *is, const struct resource *role)
{
	return iam_policy_from_value(is, val_get(role->props, "AssumeRolePolicyDocument"),
				     arena_printf(is->a, "%s trust policy", role->id), IAM_TRUST, NULL);
}

/* "execute-api:/stage/GET/path" in a RestApi policy is short for the API's own ARN. */
static void expand_execute_api(struct iam_stack *is, struct node *n, const char *prefix)
{
	if (!n)
		return;
	if (n->kind == NODE_STRING) {
		if (n->str && !strncmp(n->str, "execute-api:", 12)) {
			n->str = arena_printf(is->a, "%s%s", prefix, n->str + 12);
			n->len = strlen(n->str);
		}
		return;
	}
	if (n->kind == NODE_SEQ)
		for (size_t i = 0; i < n->n; i++)
			expand_execute_api(is, n->items[i], prefix);
}

static const struct iam_policy *rest_api_policy(struct iam_stack *is, const struct resource *api, struct diags *d)
{
	const struct value *doc = val_get(api->props, "Policy");
	if (!doc || doc->kind != VAL_MAP)
		return NULL;
	struct conv c = {is, false};
	struct node *n = to_node(&c, doc);
	const char *prefix = iam_stack_execute_api_arn(is, api);
	const struct node *st = node_get(n, "Statement");
	size_t k = st && st->kind == NODE_SEQ ? st->n : 1;
	for (size_t i = 0; st && i < k; i++) {
		struct node *one = st->kind == NODE_SEQ ? st->items[i] : (struct node *)st;
		if (one->kind != NODE_MAP)
			continue;
		for (size_t j = 0; j < one->n; j++)
			if (!strcmp(one->pairs[j].key->str, "Resource") || !strcmp(one->pairs[j].key->str, "NotResource"))
				expand_execute_api(is, one->pairs[j].value, prefix);
	}
	struct diags quiet = {0};
	const struct iam_policy *p = iam_policy_parse(n, arena_printf(is->a, "%s resource policy", api->id), IAM_RESOURCE,
						      is->a, d ? d : &quiet);
	diags_free(&quiet);
	return p;
}

const struct iam_policy *iam_stack_resource_policy(struct iam_stack *is, const struct resource *r, struct diags *d)
{
	const char *t = r->type;
	if (!strcmp(t, "AWS::ApiGateway::RestApi"))
		return rest_api_policy(is, r, d);
	if (!strcmp(t, "AWS::KMS::Key"))
		return iam_policy_from_value(is, val_get(r->props, "KeyPolicy"), arena_printf(is->a, "%s key policy", r->id),
					     IAM_KMS_KEY, d);
	if (!strcmp(t, "AWS::DynamoDB::Table"))
		return iam_policy_from_value(is, val_path(r->props, "ResourcePolicy.PolicyDocument"),
					     arena_printf(is->a, "%s resource policy", r->id), IAM_RESOURCE, d);
	if (!strcmp(t, "AWS::Lambda::Function"))
		return lambda_permissions(is, r);
	struct resource *holders[4];
	const char *type = NULL, *ref = NULL, *doc = NULL;
	if (!strcmp(t, "AWS::SecretsManager::Secret")) {
		type = "AWS::SecretsManager::ResourcePolicy";
		ref = "SecretId";
		doc = "ResourcePolicy";
	} else if (!strcmp(t, "AWS::S3::Bucket")) {
		type = "AWS::S3::BucketPolicy";
		ref = "Bucket";
		doc = "PolicyDocument";
	} else {
		return NULL;
	}
	size_t n = graph_referrers(is->s, r->id, type, ref, holders, 4);
	if (!n)
		return NULL;
	return iam_policy_from_value(is, val_get(holders[0]->props, doc), holders[0]->id, IAM_RESOURCE, d);
}
