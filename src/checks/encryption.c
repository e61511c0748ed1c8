/*
 * encryption.c - the encryption layer's checks: data at rest encrypted
 * (with keys the customer controls), data in transit under TLS, and KMS
 * keys rotated and not open to everyone.
 *
 * Every answer is tri-state: a value the template does not decide (a
 * parameter without Default, an import, Fn::If on an undecided condition)
 * makes it MAYBE, and each check's `unknowns` field says whether MAYBE is
 * reported (certain=false) or not.  A resource whose own Condition is
 * undecided is reported with certain=false.
 */
#include "checks/catalogue.h"
#include "graph/relations.h"
#include "graph/graph.h"
#include "model/query.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const GDPR_CONFIDENTIALITY = "Art. 5(1)(f),Art. 32";

/* Report t: YES certain (if the resource surely deploys), MAYBE as uncertain when allowed. */
#define RAISE(ctx, r, v, t, maybe_ok, ...)                                                          \
	do {                                                                                        \
		if ((t) == YES || ((t) == MAYBE && (maybe_ok)))                                     \
			check_report((ctx), (r), check_pos((r), (v)), (t) == YES && (r)->deployed == YES, \
				     __VA_ARGS__);                                                  \
	} while (0)

/*
 * Does a key property name a customer-managed key?  Absent: NO.  A literal
 * naming the service's AWS managed key (alias/aws/...): NO.  Any other
 * literal, a reference to a key or alias of the stack, or a value supplied
 * at deploy (parameter, import): YES - the template names a key of the
 * customer's choosing.
 */
static enum tri q_cmk(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return NO;
	const char *s = query_text(v);
	if (s && strstr(s, "alias/aws/"))
		return NO;
	if (s && !*s)
		return NO;
	return YES;
}

static enum tri names_cmk(const struct value *v)
{
	return val_over_alternatives(v, q_cmk, NULL);
}

/* Restored from a snapshot or replicated: encryption comes from the source. */
static bool inherits_storage(const struct resource *r)
{
	static const char *const props[] = {"SourceDBInstanceIdentifier", "DBSnapshotIdentifier",
					    "SnapshotIdentifier", "SourceDBClusterIdentifier",
					    "SourceDBInstanceAutomatedBackupsArn"};
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
		if (!query_absent(val_get(r->props, props[i])))
			return true;
	return false;
}

/* ---- RMP-DDB-002: DynamoDB SSE with a customer-managed key ---- */

static void ddb002(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *sse = val_get(r->props, "SSESpecification");
	enum tri enabled = query_true(r->props, "SSESpecification.SSEEnabled");
	enum tri cmk = query_at(r->props, "SSESpecification.KMSMasterKeyId", q_cmk, NULL);
	/* Not a CMK: SSE off (AWS owned key), or on without a key (AWS managed key). */
	enum tri bad = tri_or(tri_not(enabled), tri_not(cmk));
	if (enabled == MAYBE && cmk == NO)
		bad = YES;
	RAISE(ctx, r, sse ? sse : NULL, bad, true,
	      "table %s is encrypted with an AWS owned or AWS managed key, not a customer-managed KMS key%s",
	      r->id, bad == MAYBE ? " (SSEEnabled is decided at deploy)" : "");
}

/* ---- RMP-DDB-003: DynamoDB SSE explicitly enabled ---- */

static void ddb003(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *en = val_path(r->props, "SSESpecification.SSEEnabled");
	enum tri bad = tri_not(query_true(r->props, "SSESpecification.SSEEnabled"));
	bool simple = r->source_type && !strcmp(r->source_type, "AWS::Serverless::SimpleTable");
	RAISE(ctx, r, en, bad, true, "%s %s does not set SSESpecification.SSEEnabled: true%s",
	      simple ? "SAM SimpleTable" : "table", simple ? r->source_id : r->id,
	      bad == MAYBE ? " on every branch" : " (it uses the AWS owned key, invisible in CloudTrail)");
}

/* ---- RMP-RDS-001 / 002: storage encrypted ---- */

static void rds001(struct check_ctx *ctx, const struct resource *r)
{
	enum tri member = rel_instance_in_cluster(r);
	if (member == YES)
		return;
	const struct value *se = val_get(r->props, "StorageEncrypted");
	enum tri bad = tri_not(val_is_true(se));
	if (bad == YES && (member == MAYBE || inherits_storage(r)))
		bad = MAYBE;
	RAISE(ctx, r, se, bad, true, "database instance %s does not set StorageEncrypted: true%s", r->id,
	      bad == MAYBE ? " (engine, source or value decided at deploy)" : "");
}

static void rds002(struct check_ctx *ctx, const struct resource *r)
{
	enum tri serverless = val_equals_ci(val_get(r->props, "EngineMode"), "serverless");
	if (serverless == YES)
		return; /* Aurora Serverless v1 is always encrypted */
	const struct value *se = val_get(r->props, "StorageEncrypted");
	enum tri bad = tri_not(val_is_true(se));
	if (bad == YES && (serverless == MAYBE || inherits_storage(r)))
		bad = MAYBE;
	RAISE(ctx, r, se, bad, true, "database cluster %s does not set StorageEncrypted: true%s", r->id,
	      bad == MAYBE ? " (engine mode, source or value decided at deploy)" : "");
}

/* ---- RMP-RDS-003: storage encrypted with a customer-managed key ---- */

static void rds003(struct check_ctx *ctx, const struct resource *r)
{
	if (!strcmp(r->type, "AWS::RDS::DBInstance") && rel_instance_in_cluster(r) != NO)
		return; /* the cluster's key */
	if (inherits_storage(r) && query_absent(val_get(r->props, "KmsKeyId")))
		return; /* the source's key, unknown here */
	const struct value *k = val_get(r->props, "KmsKeyId");
	enum tri bad = tri_not(names_cmk(k));
	RAISE(ctx, r, k, bad, true, "%s %s is not encrypted with a customer-managed KMS key (KmsKeyId %s)",
	      strcmp(r->type, "AWS::RDS::DBCluster") ? "database instance" : "database cluster", r->id,
	      query_absent(k) ? "not set" : "names the AWS managed key");
}

/* ---- RMP-RDS-017: TLS enforced by the parameter group ---- */

enum engine_family { FAM_UNKNOWN, FAM_POSTGRES, FAM_MYSQL, FAM_SQLSERVER, FAM_OTHER };

static enum engine_family family_of(const char *e)
{
	if (!e)
		return FAM_UNKNOWN;
	if (!strncasecmp(e, "postgres", 8) || !strncasecmp(e, "aurora-postgresql", 17))
		return FAM_POSTGRES;
	if (!strncasecmp(e, "mysql", 5) || !strncasecmp(e, "mariadb", 7) || !strncasecmp(e, "aurora-mysql", 12) ||
	    !strcasecmp(e, "aurora"))
		return FAM_MYSQL;
	if (!strncasecmp(e, "sqlserver", 9))
		return FAM_SQLSERVER;
	return FAM_OTHER;
}

static const char *family_param(enum engine_family f)
{
	return f == FAM_MYSQL ? "require_secure_transport" : "rds.force_ssl";
}

struct tls_ctx {
	const struct stack *s;
	const struct resource *db;
	const char *engine;    /* the database's Engine when known */
	const char *version;   /* EngineVersion when known */
	bool version_unknown;  /* EngineVersion set but not known */
	const char *why;       /* reason for the last non-YES answer */
	enum tri acc;
	bool seen;
};

/* Does the engine's default parameter group (of this version) enforce TLS? */
static enum tri default_enforces(const struct tls_ctx *c, const char *engine, const char *version)
{
	if (!engine)
		return MAYBE;
	/* RDS for PostgreSQL 15 and later: rds.force_ssl defaults to 1.  Aurora and others: off. */
	if (!strcasecmp(engine, "postgres")) {
		if (c->version_unknown)
			return MAYBE;
		if (!version)
			return YES; /* the default version is current */
		return atoi(version) >= 15 ? YES : NO;
	}
	return NO;
}

/* The value of a TLS parameter: 1/ON/true enforce. */
static enum tri q_tls_value(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return NO;
	if (v->kind == VAL_BOOL)
		return v->b ? YES : NO;
	const char *s = val_str(v);
	if (!s)
		return v->kind == VAL_UNKNOWN || v->kind == VAL_REF ? MAYBE : NO;
	return !strcmp(s, "1") || !strcasecmp(s, "on") || !strcasecmp(s, "true") ? YES : NO;
}

/* TLS enforced for one alternative of the parameter-group property. */
static enum tri tls_one_group(struct tls_ctx *c, const struct value *g)
{
	const char *engine = c->engine;
	if (query_absent(g)) {
		c->why = "it uses the default parameter group";
		return default_enforces(c, engine, c->version);
	}
	const char *name = val_str(g);
	if (name) {
		if (!strncasecmp(name, "default.", 8)) {
			c->why = "it uses a default parameter group";
			return default_enforces(c, engine, c->version);
		}
		c->why = "its parameter group is not in the stack";
		return MAYBE;
	}
	struct resource *pg = graph_target(c->s, g);
	const char *want = strcmp(c->db->type, "AWS::RDS::DBCluster") ? "AWS::RDS::DBParameterGroup"
								     : "AWS::RDS::DBClusterParameterGroup";
	if (!pg || strcmp(pg->type, want)) {
		c->why = "its parameter group is not known from the template";
		return MAYBE;
	}
	/* The group's Family names engine and major version ("postgres16", "aurora-mysql8.0"). */
	const char *fam = val_str(val_get(pg->props, "Family"));
	const char *version = c->version;
	if (fam) {
		char head[64];
		size_t n = strcspn(fam, "0123456789");
		if (n >= sizeof head)
			n = sizeof head - 1;
		memcpy(head, fam, n);
		head[n] = 0;
		if (!version && fam[n])
			version = fam + n;
		if (!engine) {
			enum engine_family ff = family_of(head);
			bool aurora = !strncasecmp(head, "aurora", 6);
			engine = ff == FAM_POSTGRES ? (aurora ? "aurora-postgresql" : "postgres")
			       : ff == FAM_MYSQL    ? "mysql"
			       : ff == FAM_SQLSERVER ? "sqlserver"
						     : NULL;
		}
	}
	enum engine_family f = family_of(engine);
	if (f == FAM_UNKNOWN) {
		/* Either parameter set to enforce would do for its engine; without the engine, MAYBE. */
		c->why = "the engine is not known from the template";
		return MAYBE;
	}
	const struct value *params = val_get(pg->props, "Parameters");
	if (params && params->kind != VAL_MAP && !query_absent(params)) {
		c->why = "the parameter group's Parameters are not known from the template";
		return MAYBE;
	}
	const struct value *p = val_get(params, family_param(f));
	if (query_absent(p)) {
		c->why = f == FAM_MYSQL ? "its parameter group does not set require_secure_transport"
					: "its parameter group does not set rds.force_ssl";
		return default_enforces(c, engine, version);
	}
	enum tri t = val_over_alternatives(p, q_tls_value, NULL);
	if (t != YES)
		c->why = f == FAM_MYSQL ? "its parameter group sets require_secure_transport off"
					: "its parameter group sets rds.force_ssl to 0";
	return t;
}

static void tls_alt(const struct value *g, void *p)
{
	struct tls_ctx *c = p;
	enum tri t = tls_one_group(c, g);
	if (!c->seen)
		c->acc = t;
	else if (c->acc != t)
		c->acc = MAYBE;
	c->seen = true;
}

static void rds017(struct check_ctx *ctx, const struct resource *r)
{
	bool cluster = !strcmp(r->type, "AWS::RDS::DBCluster");
	if (!cluster && rel_instance_in_cluster(r) == YES)
		return; /* the cluster parameter group decides */
	const struct value *ev = val_get(r->props, "Engine");
	const char *engine = val_str(ev);
	if (!query_absent(ev) && !engine) {
		/* Unknown engine: the template may still decide TLS either way; MAYBE at best. */
		engine = NULL;
	}
	if (engine && family_of(engine) == FAM_OTHER)
		return; /* Oracle, Db2: TLS is set by option groups, not checked here */
	const struct value *vv = val_get(r->props, "EngineVersion");
	struct tls_ctx c = {ctx->stack, r, engine, val_str(vv), !query_absent(vv) && !val_str(vv), NULL, MAYBE, false};
	const struct value *g = val_get(r->props, cluster ? "DBClusterParameterGroupName" : "DBParameterGroupName");
	val_each_alternative(g, tls_alt, &c);
	enum tri bad = tri_not(c.acc);
	if (!cluster && bad == YES && rel_instance_in_cluster(r) == MAYBE)
		bad = MAYBE;
	RAISE(ctx, r, g, bad, true, "%s %s does not enforce TLS for connections: %s",
	      cluster ? "database cluster" : "database instance", r->id, c.why ? c.why : "not decided");
}

/* ---- RMP-PRX-001: RDS Proxy RequireTLS ---- */

static void prx001(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *v = val_get(r->props, "RequireTLS");
	enum tri bad = tri_not(val_is_true(v));
	RAISE(ctx, r, v, bad, true, "RDS proxy %s does not set RequireTLS: true; clients may connect without TLS",
	      r->id);
}

/* ---- RMP-KMS-001: key rotation ---- */

static enum tri q_symmetric(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return YES; /* KeySpec defaults to SYMMETRIC_DEFAULT */
	const char *s = val_str(v);
	if (!s)
		return MAYBE;
	return !strcmp(s, "SYMMETRIC_DEFAULT") ? YES : NO;
}

static enum tri q_aws_origin(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return YES;
	const char *s = val_str(v);
	if (!s)
		return MAYBE;
	return !strcmp(s, "AWS_KMS") ? YES : NO;
}

static void kms001(struct check_ctx *ctx, const struct resource *r)
{
	/* Rotation exists for symmetric keys with AWS-made key material only. */
	enum tri rotatable = tri_and(val_over_alternatives(val_get(r->props, "KeySpec"), q_symmetric, NULL),
				     val_over_alternatives(val_get(r->props, "Origin"), q_aws_origin, NULL));
	const struct value *rot = val_get(r->props, "EnableKeyRotation");
	enum tri bad = tri_and(rotatable, tri_not(val_is_true(rot)));
	RAISE(ctx, r, rot, bad, true, "KMS key %s does not set EnableKeyRotation: true", r->id);
}

/* ---- key policy statements (RMP-KMS-002, RMP-KMS-003) ---- */

typedef void (*stmt_fn)(struct check_ctx *ctx, const struct resource *r, const struct rel_statement *st);

struct stmt_walk {
	struct check_ctx *ctx;
	stmt_fn fn;
};

static void stmt_tramp(const struct rel_statement *st, void *p)
{
	struct stmt_walk *w = p;
	w->fn(w->ctx, st->holder, st);
}

/* Each statement of r's KeyPolicy; alternatives of Fn::If apply MAYBE. */
static void each_key_statement(struct check_ctx *ctx, const struct resource *r, stmt_fn fn)
{
	struct stmt_walk w = {ctx, fn};
	rel_each_statement(val_get(r->props, "KeyPolicy"), r, r->id, REL_ORIGIN_RESOURCE, YES, stmt_tramp, &w);
}

/* Principal entries: "*" or the values of its AWS/Service/Federated/CanonicalUser keys. */
static void each_principal(const struct value *p, query_item_fn fn, void *ctx)
{
	if (p && p->kind == VAL_MAP) {
		for (size_t i = 0; i < p->n; i++)
			query_each_item(p->pairs[i].v, fn, ctx);
		return;
	}
	query_each_item(p, fn, ctx);
}

struct wild {
	enum tri t;
};

static enum tri q_root(const struct value *v);

/*
 * A principal built by Fn::Sub around a literal ARN or service name
 * ("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}",
 * "logs.${AWS::Region}.amazonaws.com"): specific, not "*".  A bare
 * parameter could be anything.
 */
static bool specific_principal(const struct value *v)
{
	if (!v || v->kind != VAL_UNKNOWN || !v->s || (v->param && !strstr(v->s, "arn:")))
		return false;
	if (strchr(v->s, '*'))
		return false;
	return !strncmp(v->s, "arn:", 4) || strstr(v->s, ".amazonaws.com") != NULL;
}

static bool wild_fn(const struct value *item, bool chosen, void *p)
{
	(void)chosen;
	struct wild *w = p;
	const char *s = val_str(item);
	if (s)
		w->t = tri_or(w->t, strchr(s, '*') ? YES : NO);
	else if (item->kind != VAL_REF && q_root(item) != YES && !specific_principal(item))
		w->t = tri_or(w->t, MAYBE); /* a principal decided at deploy */
	return false;
}

/* Condition keys that tie a wildcard principal to an account, organisation or source. */
static bool limiting_key(const char *k)
{
	static const char *const keys[] = {
	    "kms:CallerAccount",   "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
	    "aws:PrincipalArn",    "aws:SourceAccount",    "aws:SourceArn",      "aws:SourceOrgID",
	    "aws:SourceOrgPaths",  "aws:SourceVpce",       "aws:SourceVpc",      "aws:userid",
	    "aws:username",        "aws:ResourceAccount",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcasecmp(k, keys[i]))
			return true;
	return false;
}

static enum tri q_limiting(const struct value *cond, const void *arg)
{
	(void)arg;
	if (query_absent(cond))
		return NO;
	if (cond->kind != VAL_MAP)
		return MAYBE;
	enum tri t = NO;
	for (size_t i = 0; i < cond->n; i++) {
		const struct value *op = cond->pairs[i].v;
		if (op && op->kind == VAL_MAP) {
			for (size_t j = 0; j < op->n; j++)
				if (limiting_key(op->pairs[j].key))
					return YES;
		} else if (op && op->kind != VAL_NULL) {
			t = MAYBE;
		}
	}
	return t;
}

static const char *sid_of(const struct value *st)
{
	const char *sid = val_str(val_get(st, "Sid"));
	return sid ? sid : "(no Sid)";
}

static void kms002_stmt(struct check_ctx *ctx, const struct resource *r, const struct rel_statement *rs)
{
	const struct value *st = rs->stmt;
	enum tri applies = rs->applies;
	enum tri allow = val_equals(val_get(st, "Effect"), "Allow");
	const struct value *np = val_get(st, "NotPrincipal");
	struct wild w = {NO};
	if (!query_absent(np))
		w.t = YES; /* Allow with NotPrincipal: everyone but the few named */
	else
		each_principal(val_get(st, "Principal"), wild_fn, &w);
	enum tri limited = val_over_alternatives(val_get(st, "Condition"), q_limiting, NULL);
	enum tri bad = tri_and(tri_and(allow, w.t), tri_not(limited));
	if (bad == NO)
		return;
	bool certain = bad == YES && applies == YES && r->deployed == YES;
	if (bad == YES || bad == MAYBE)
		check_report(ctx, r, check_pos(r, st), certain,
			     "key policy of %s: statement %s allows %s without a condition limiting the account or "
			     "organisation",
			     r->id, sid_of(st), query_absent(np) ? "Principal \"*\"" : "everyone but its NotPrincipal");
}

static void kms002(struct check_ctx *ctx, const struct resource *r)
{
	each_key_statement(ctx, r, kms002_stmt);
}

/* ---- RMP-KMS-003: separation of duties in the key policy ---- */

static const char *const admin_actions[] = {
    "kms:CreateAlias",       "kms:CreateGrant",     "kms:PutKeyPolicy",     "kms:UpdateKeyDescription",
    "kms:UpdateAlias",       "kms:EnableKey",       "kms:DisableKey",       "kms:EnableKeyRotation",
    "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:DeleteAlias",
    "kms:DeleteImportedKeyMaterial", "kms:ImportKeyMaterial", "kms:RevokeGrant", "kms:TagResource",
    "kms:UntagResource",     "kms:ReplicateKey",    "kms:UpdatePrimaryRegion", "kms:RotateKeyOnDemand",
};
static const char *const use_actions[] = {
    "kms:Decrypt",       "kms:Encrypt",     "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:Sign", "kms:GenerateMac",
};

struct grants {
	enum tri all, admin, use;
};

static bool any_match(const char *pattern, const char *const *acts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!fnmatch(pattern, acts[i], FNM_CASEFOLD))
			return true;
	return false;
}

static bool action_fn(const struct value *item, bool chosen, void *p)
{
	(void)chosen;
	struct grants *g = p;
	const char *s = val_str(item);
	if (!s) {
		g->all = tri_or(g->all, MAYBE);
		g->admin = tri_or(g->admin, MAYBE);
		g->use = tri_or(g->use, MAYBE);
		return false;
	}
	if (!strcmp(s, "*") || !strcasecmp(s, "kms:*"))
		g->all = YES;
	if (any_match(s, admin_actions, sizeof admin_actions / sizeof admin_actions[0]))
		g->admin = YES;
	if (any_match(s, use_actions, sizeof use_actions / sizeof use_actions[0]))
		g->use = YES;
	return false;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The account root ("arn:aws:iam::123456789012:root", the bare account ID, or the same via Fn::Sub). */
static enum tri q_root(const struct value *v)
{
	if (v && v->kind == VAL_REF)
		return NO; /* a role or user of the stack */
	const char *s = val_str(v);
	if (!s && v && v->kind == VAL_UNKNOWN && v->s) {
		s = v->s;
		size_t n = strlen(s);
		if ((n >= 5 && !strcmp(s + n - 5, ":root")) || (strstr(s, "AWS::AccountId") && !strchr(s, '/')))
			return YES;
		return MAYBE;
	}
	if (!s)
		return MAYBE;
	size_t n = strlen(s);
	if (all_digits(s) && n == 12)
		return YES;
	return n >= 5 && !strcmp(s + n - 5, ":root") && !strncmp(s, "arn:aws", 7) && !strchr(s, '*') ? YES : NO;
}

struct non_root {
	enum tri t;
};

static bool non_root_fn(const struct value *item, bool chosen, void *p)
{
	(void)chosen;
	struct non_root *nr = p;
	nr->t = tri_or(nr->t, tri_not(q_root(item)));
	return false;
}

static void kms003_stmt(struct check_ctx *ctx, const struct resource *r, const struct rel_statement *rs)
{
	const struct value *st = rs->stmt;
	enum tri applies = rs->applies;
	enum tri allow = val_equals(val_get(st, "Effect"), "Allow");
	struct non_root nr = {NO};
	if (!query_absent(val_get(st, "NotPrincipal")))
		nr.t = YES;
	else
		each_principal(val_get(st, "Principal"), non_root_fn, &nr);
	struct grants g = {NO, NO, NO};
	if (!query_absent(val_get(st, "NotAction")))
		g.all = YES; /* Allow with NotAction: every action but a few */
	else
		query_each_item(val_get(st, "Action"), action_fn, &g);
	enum tri both = tri_and(g.admin, g.use);
	/* The account root may hold everything: it delegates to IAM policies. */
	enum tri bad = tri_and(tri_and(allow, nr.t), tri_or(g.all, both));
	if (bad == NO)
		return;
	bool certain = bad == YES && applies == YES && r->deployed == YES;
	check_report(ctx, r, check_pos(r, st), certain,
		     "key policy of %s: statement %s %s", r->id, sid_of(st),
		     g.all == YES ? "grants kms:* to a principal other than the account root"
						: "grants key administration and data use (Decrypt/Encrypt) together");
}

static void kms003(struct check_ctx *ctx, const struct resource *r)
{
	each_key_statement(ctx, r, kms003_stmt);
}

/* ---- RMP-SM-001: secret encrypted with a customer-managed key ---- */

static void sm001(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *k = val_get(r->props, "KmsKeyId");
	enum tri bad = tri_not(names_cmk(k));
	RAISE(ctx, r, k, bad, true, "secret %s is encrypted with the AWS managed key aws/secretsmanager, not a "
	      "customer-managed KMS key", r->id);
}

/* ---- RMP-LMB-004: environment variables encrypted with a CMK ---- */

static enum tri q_has_vars(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return NO;
	if (v->kind == VAL_MAP)
		return v->n ? YES : NO;
	return v->kind == VAL_UNKNOWN || v->kind == VAL_REF ? MAYBE : NO;
}

static void lmb004(struct check_ctx *ctx, const struct resource *r)
{
	enum tri has = query_at(r->props, "Environment.Variables", q_has_vars, NULL);
	const struct value *k = val_get(r->props, "KmsKeyArn");
	enum tri bad = tri_and(has, tri_not(names_cmk(k)));
	RAISE(ctx, r, val_get(r->props, "Environment"), bad, true,
	      "function %s has environment variables but no KmsKeyArn: they are encrypted with the AWS "
	      "managed key aws/lambda",
	      r->source_id ? r->source_id : r->id);
}

/* ---- the table ---- */

const struct check checks_encryption[] = {
    {
	.id = "RMP-DDB-002",
	.title = "DynamoDB tables are encrypted with a customer-managed KMS key",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::DynamoDB::Table",
	.related_types = "AWS::Serverless::SimpleTable",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_119",
	.kics = "dynamodb_with_aws_owned_cmk",
	.cfn_nag = "W74",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "AVD-AWS-0025",
	.guard = "DYNAMODB_TABLE_ENCRYPTED_KMS",
	.coverage = "D2",
	.unknowns = "SSEEnabled undecided (Fn::If, parameter) with no key named: reported with certain=false. "
		    "A key given by a parameter or import counts as the customer's key (not raised): the "
		    "template leaves the choice to the deployer.",
	.remediation = "Create an AWS::KMS::Key (with rotation) and name it in SSESpecification.KMSMasterKeyId "
		       "with SSEType KMS, so key use is logged in CloudTrail and access can be revoked.",
	.snippet = "SSESpecification:\n  SSEEnabled: true\n  SSEType: KMS\n  KMSMasterKeyId: !Ref TableKey\n",
	.each = ddb002,
    },
    {
	.id = "RMP-DDB-003",
	.title = "DynamoDB tables set server-side encryption explicitly (SSEEnabled)",
	.severity = SEV_LOW,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::DynamoDB::Table",
	.related_types = "AWS::Serverless::SimpleTable",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "dynamodb_table_not_encrypted",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "AVD-AWS-0121",
	.guard = "DYNAMODB_TABLE_MUST_BE_ENCRYPTED",
	.coverage = "D3",
	.unknowns = "SSEEnabled from an undecided Fn::If or a parameter without Default: reported with "
		    "certain=false.",
	.remediation = "Set SSESpecification.SSEEnabled: true (SAM SimpleTable: the same under its "
		       "SSESpecification) so the table uses a KMS key whose use is visible in CloudTrail.",
	.snippet = "SSESpecification:\n  SSEEnabled: true\n",
	.each = ddb003,
    },
    {
	.id = "RMP-KMS-001",
	.title = "Symmetric KMS keys rotate their key material yearly",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::KMS::Key",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "KMS.4",
	.cis = "3.6",
	.checkov = "CKV_AWS_7",
	.kics = "cmk_rotation_disabled,kms_enable_key_rotation_disabled",
	.cfn_nag = "F19",
	.cdk_nag = "AwsSolutions-KMS5",
	.kics_tf = "",
	.trivy = "AVD-AWS-0065",
	.guard = "CMK_BACKING_KEY_ROTATION_ENABLED",
	.coverage = "K1",
	.unknowns = "KeySpec, Origin or EnableKeyRotation undecided: reported with certain=false. Asymmetric, "
		    "HMAC and imported-material keys cannot rotate and are skipped.",
	.remediation = "Set EnableKeyRotation: true on symmetric customer-managed keys.",
	.snippet = "Type: AWS::KMS::Key\nProperties:\n  EnableKeyRotation: true\n",
	.each = kms001,
    },
    {
	.id = "RMP-KMS-002",
	.title = "KMS key policies do not allow Principal \"*\" without a limiting condition",
	.severity = SEV_CRITICAL,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::KMS::Key",
	.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
	.fsbp = "KMS.5",
	.cis = "",
	.checkov = "CKV_AWS_33",
	.kics = "kms_allows_wildcard_principal",
	.cfn_nag = "F76",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "KMS_NO_WILDCARD_PRINCIPAL",
	.coverage = "K2",
	.unknowns = "A principal, Effect or Condition not known from the template, or a statement under an "
		    "undecided Fn::If: reported with certain=false (a key open to the world is critical).",
	.remediation = "Name the account root or specific roles as principals, or keep \"*\" only with a "
		       "condition on kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalOrgID.",
	.snippet = "- Effect: Allow\n  Principal: {AWS: '*'}\n  Action: ['kms:Decrypt', 'kms:GenerateDataKey*']\n"
		   "  Resource: '*'\n  Condition:\n    StringEquals:\n      kms:CallerAccount: !Ref AWS::AccountId\n"
		   "      kms:ViaService: !Sub dynamodb.${AWS::Region}.amazonaws.com\n",
	.each = kms002,
    },
    {
	.id = "RMP-KMS-003",
	.title = "KMS key policies separate key administration from data use, and give kms:* only to the "
		 "account root",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::KMS::Key",
	.gdpr = "Art. 25,Art. 32",
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "kms_key_with_full_permissions",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "K3",
	.unknowns = "Actions or principals not known from the template, or statements under an undecided "
		    "Fn::If: reported with certain=false.",
	.remediation = "Give key administrators kms:Create*/Put*/Enable*/Disable*/ScheduleKeyDeletion... and "
		       "key users kms:Encrypt/Decrypt/GenerateDataKey* in separate statements for separate "
		       "principals; keep kms:* for the account root statement only.",
	.snippet = "- Sid: KeyAdmins\n  Effect: Allow\n  Principal: {AWS: !GetAtt KeyAdminRole.Arn}\n"
		   "  Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*',\n"
		   "           'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*',\n"
		   "           'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']\n  Resource: '*'\n"
		   "- Sid: KeyUsers\n  Effect: Allow\n  Principal: {AWS: !GetAtt AppRole.Arn}\n"
		   "  Action: ['kms:Decrypt', 'kms:GenerateDataKey*']\n  Resource: '*'\n",
	.each = kms003,
    },
    {
	.id = "RMP-LMB-004",
	.title = "Lambda environment variables are encrypted with a customer-managed KMS key",
	.severity = SEV_LOW,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::Lambda::Function",
	.related_types = "AWS::Serverless::Function",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_173",
	.kics = "serverless_function_environment_variables_not_encrypted",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "L4",
	.unknowns = "Environment variables or KmsKeyArn under an undecided Fn::If: reported with certain=false. "
		    "A KmsKeyArn from a parameter counts as a customer key.",
	.remediation = "Set KmsKeyArn to a customer-managed key; better, keep secrets out of environment "
		       "variables and read them from Secrets Manager at run time.",
	.snippet = "Type: AWS::Serverless::Function\nProperties:\n  KmsKeyArn: !GetAtt FunctionKey.Arn\n",
	.each = lmb004,
    },
    {
	.id = "RMP-PRX-001",
	.title = "RDS proxies require TLS (RequireTLS)",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::RDS::DBProxy",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "RDS.43",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "R23",
	.unknowns = "RequireTLS from an undecided Fn::If or a parameter without Default: reported with "
		    "certain=false.",
	.remediation = "Set RequireTLS: true on the proxy so every client connection is encrypted.",
	.snippet = "Type: AWS::RDS::DBProxy\nProperties:\n  RequireTLS: true\n",
	.each = prx001,
    },
    {
	.id = "RMP-RDS-001",
	.title = "RDS DB instances have storage encryption enabled",
	.severity = SEV_HIGH,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::RDS::DBInstance",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "RDS.3",
	.cis = "2.3.1",
	.checkov = "CKV_AWS_16",
	.kics = "rds_storage_not_encrypted",
	.cfn_nag = "F27",
	.cdk_nag = "AwsSolutions-RDS2",
	.kics_tf = "",
	.trivy = "AVD-AWS-0080",
	.guard = "RDS_STORAGE_ENCRYPTED",
	.coverage = "R1",
	.unknowns = "Aurora cluster members are skipped (their storage is the cluster's). StorageEncrypted or "
		    "Engine undecided, or an instance restored from a snapshot or replicating another (which "
		    "inherit the source's encryption): reported with certain=false.",
	.remediation = "Set StorageEncrypted: true (and KmsKeyId to a customer-managed key). An existing "
		       "unencrypted instance must be migrated through an encrypted snapshot copy.",
	.snippet = "Type: AWS::RDS::DBInstance\nProperties:\n  StorageEncrypted: true\n  KmsKeyId: !Ref DbKey\n",
	.each = rds001,
    },
    {
	.id = "RMP-RDS-002",
	.title = "RDS DB clusters have storage encryption enabled",
	.severity = SEV_HIGH,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::RDS::DBCluster",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "RDS.27",
	.cis = "",
	.checkov = "CKV_AWS_96",
	.kics = "rds_storage_encryption_disabled",
	.cfn_nag = "F26",
	.cdk_nag = "AwsSolutions-RDS2",
	.kics_tf = "",
	.trivy = "AVD-AWS-0079",
	.guard = "RDS_STORAGE_ENCRYPTED",
	.coverage = "R2",
	.unknowns = "Aurora Serverless v1 (EngineMode: serverless) is always encrypted and skipped. "
		    "StorageEncrypted or EngineMode undecided, or a cluster restored from a snapshot or cloned: "
		    "reported with certain=false.",
	.remediation = "Set StorageEncrypted: true (and KmsKeyId to a customer-managed key).",
	.snippet = "Type: AWS::RDS::DBCluster\nProperties:\n  StorageEncrypted: true\n  KmsKeyId: !Ref DbKey\n",
	.each = rds002,
    },
    {
	.id = "RMP-RDS-003",
	.title = "RDS storage is encrypted with a customer-managed KMS key (KmsKeyId)",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_327",
	.kics = "cmk_unencrypted_storage,default_kms_key_usage",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "R3",
	.unknowns = "Aurora members (the cluster's key) and restored/replicated databases without KmsKeyId (the "
		    "source's key) are skipped. KmsKeyId under an undecided Fn::If: certain=false. A key from "
		    "a parameter counts as the customer's.",
	.remediation = "Set KmsKeyId to a customer-managed AWS::KMS::Key (with rotation), not alias/aws/rds.",
	.snippet = "StorageEncrypted: true\nKmsKeyId: !Ref DbKey\n",
	.each = rds003,
    },
    {
	.id = "RMP-RDS-017",
	.title = "RDS databases enforce TLS in their parameter group (rds.force_ssl / "
		 "require_secure_transport)",
	.severity = SEV_MEDIUM,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
	.related_types = "AWS::RDS::DBParameterGroup,AWS::RDS::DBClusterParameterGroup",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "RDS.38,RDS.39",
	.cis = "",
	.checkov = "CKV2_AWS_69",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "R17",
	.unknowns = "A parameter group outside the stack, an engine or parameter value not known from the "
		    "template: reported with certain=false. Default parameter groups enforce TLS only for RDS "
		    "for PostgreSQL 15 and later. Oracle and Db2 (TLS through option groups) are skipped.",
	.remediation = "Give the database a parameter group of the stack that sets rds.force_ssl: 1 "
		       "(PostgreSQL, SQL Server) or require_secure_transport: 'ON' (MySQL, MariaDB, Aurora MySQL).",
	.snippet = "DbParams:\n  Type: AWS::RDS::DBClusterParameterGroup\n  Properties:\n"
		   "    Family: aurora-postgresql16\n    Description: TLS only\n    Parameters:\n"
		   "      rds.force_ssl: 1\nDb:\n  Type: AWS::RDS::DBCluster\n  Properties:\n"
		   "    DBClusterParameterGroupName: !Ref DbParams\n",
	.each = rds017,
    },
    {
	.id = "RMP-SM-001",
	.title = "Secrets Manager secrets are encrypted with a customer-managed KMS key",
	.severity = SEV_LOW,
	.layer = LAYER_ENCRYPTION,
	.resource_types = "AWS::SecretsManager::Secret",
	.gdpr = GDPR_CONFIDENTIALITY,
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_149",
	.kics = "secrets_manager_should_specify_kms_key_id",
	.cfn_nag = "W77",
	.cdk_nag = "SecretsManagerUsingKMSKey",
	.kics_tf = "",
	.trivy = "AVD-AWS-0098",
	.guard = "SECRETSMANAGER_USING_CMK",
	.coverage = "S1",
	.unknowns = "KmsKeyId under an undecided Fn::If: reported with certain=false. A key from a parameter "
		    "counts as the customer's.",
	.remediation = "Set KmsKeyId to a customer-managed key so the secret can be shared across accounts and "
		       "its use controlled by a key policy.",
	.snippet = "Type: AWS::SecretsManager::Secret\nProperties:\n  KmsKeyId: !Ref SecretsKey\n",
	.each = sm001,
    },
};
const size_t checks_encryption_count = sizeof checks_encryption / sizeof checks_encryption[0];
