/*
 * secrets.c - the secrets layer's checks: credentials written into the
 * template (parameter defaults, Lambda environment, any property, database
 * master passwords, secret values), secrets that never rotate, and
 * databases and proxies that rely on passwords instead of IAM.
 *
 * A secret is never printed: messages carry the redacted form
 * (secret_redact: at most the first 4 characters) and the property path.
 * A literal written in the template is a fact whatever the conditions, so
 * secret findings on an alternative of Fn::If are certain; only a resource
 * under an undecided Condition makes them uncertain.
 */
#include "analyse/secret_detect.h"
#include "checks/catalogue.h"
#include "graph/relations.h"
#include "model/query.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const GDPR_SECRETS = "Art. 5(1)(f),Art. 32";

/* ---- helpers ---- */

static const struct param *find_param(const struct stack *s, const char *name)
{
	for (size_t i = 0; name && i < s->nparams; i++)
		if (!strcmp(s->params[i].name, name))
			return &s->params[i];
	return NULL;
}

/* "a" or "an" for a secret kind's name. */
static const char *article(enum secret_kind k)
{
	const char *n = secret_kind_name(k);
	return strchr("AEIOUaeiou", n[0]) ? "an" : "a";
}

/* Redacted form of the hit (at most 4 characters of the secret shown). */
static const char *redact_hit(const char *s, const struct secret_hit *h, char *buf, size_t size)
{
	return secret_redact(s + h->off, h->len, buf, size);
}

/* Did a value come from a parameter's Default written in the template? */
static const struct param *from_default(const struct stack *s, const struct value *v)
{
	const struct param *p = find_param(s, v ? v->param : NULL);
	return p && p->def && !p->override ? p : NULL;
}

/* ---- walking properties ---- */

struct walk;
typedef void (*leaf_fn)(struct walk *w, const char *field, const struct value *v);

struct walk {
	struct check_ctx *ctx;
	const struct resource *r;
	leaf_fn leaf;
	const char *const *skip; /* property paths not to enter (NULL-terminated), or NULL */
	char path[256];
	size_t plen;
	void *arg;
	int depth;
	int descriptor; /* inside a key describing a secret (TokenValidityUnits): settings, not secrets */
};

static size_t path_push(struct walk *w, const char *fmt, const char *key, size_t index)
{
	size_t old = w->plen;
	if (w->plen < sizeof w->path) {
		int n = key ? snprintf(w->path + w->plen, sizeof w->path - w->plen, fmt, key)
			    : snprintf(w->path + w->plen, sizeof w->path - w->plen, fmt, index);
		if (n > 0)
			w->plen += (size_t)n < sizeof w->path - w->plen ? (size_t)n : sizeof w->path - w->plen - 1;
	}
	return old;
}

static void path_pop(struct walk *w, size_t old)
{
	w->plen = old;
	w->path[old] = 0;
}

static bool skipped(const struct walk *w)
{
	for (const char *const *p = w->skip; p && *p; p++)
		if (!strcmp(*p, w->path))
			return true;
	return false;
}

static void walk_value(struct walk *w, const char *field, const struct value *v);

static void walk_key(struct walk *w, const char *key, const char *field, const struct value *v)
{
	size_t old = path_push(w, w->plen ? ".%s" : "%s", key, 0);
	bool descriptor = v && (v->kind == VAL_MAP || v->kind == VAL_LIST) && secret_field_word(key) &&
			  !secret_field_name(key);
	w->descriptor += descriptor;
	if (!skipped(w))
		walk_value(w, field, v);
	w->descriptor -= descriptor;
	path_pop(w, old);
}

static void walk_value(struct walk *w, const char *field, const struct value *v)
{
	if (!v || w->depth > 64)
		return;
	w->depth++;
	switch (v->kind) {
	case VAL_MAP: {
		/* {Name|Key: X, Value: V}: V is named X (ECS/CodeBuild environments, tags). */
		const char *name = val_str(val_get(v, "Name"));
		if (!name)
			name = val_str(val_get(v, "Key"));
		const struct value *named = name ? val_get(v, "Value") : NULL;
		/* CodeBuild: Type SECRETS_MANAGER / PARAMETER_STORE makes Value the secret's name. */
		const struct value *type = val_get(v, "Type");
		if (named && (val_equals(type, "SECRETS_MANAGER") == YES || val_equals(type, "PARAMETER_STORE") == YES))
			named = NULL, name = NULL;
		for (size_t i = 0; i < v->n; i++) {
			const char *k = v->pairs[i].key;
			walk_key(w, k, v->pairs[i].v == named ? name : k, v->pairs[i].v);
		}
		break;
	}
	case VAL_LIST:
		for (size_t i = 0; i < v->n; i++) {
			size_t old = path_push(w, "[%zu]", NULL, i);
			walk_value(w, field, v->items[i]);
			path_pop(w, old);
		}
		break;
	case VAL_CHOICE:
		for (size_t i = 0; i < v->n; i++)
			walk_value(w, field, v->items[i]);
		break;
	case VAL_STRING:
	case VAL_NUMBER:
	case VAL_UNKNOWN:
		w->leaf(w, w->descriptor ? NULL : field, v);
		break;
	default:
		break;
	}
	w->depth--;
}

static void walk_props(struct walk *w)
{
	w->plen = 0;
	w->path[0] = 0;
	w->depth = 0;
	walk_value(w, NULL, w->r->props);
}

/*
 * Scan a leaf for a secret.  Known strings: every rule; values unknown
 * until deploy: the known formats in what the template wrote around them
 * (a Fn::Sub holding a literal password).  Dynamic references are fine.
 */
static bool leaf_secret(const struct value *v, const char *field, const char **text, struct secret_hit *hit)
{
	if (v->secure_ref)
		return false;
	if (v->kind == VAL_UNKNOWN) {
		if (v->param || !v->s)
			return false;
		*text = v->s;
		return secret_detect_pattern(v->s, strlen(v->s), hit);
	}
	const char *s = val_str(v);
	if (!s)
		return false;
	*text = s;
	return secret_detect(field, s, v->len ? v->len : strlen(s), hit);
}

static bool sure(const struct resource *r)
{
	return r->deployed == YES;
}

/* ---- RMP-SEC-001: secrets as parameter defaults ---- */

struct use_find {
	const char *param;
	bool found;
};

static void use_leaf(struct walk *w, const char *field, const struct value *v)
{
	(void)field;
	struct use_find *u = w->arg;
	if (v->param && !strcmp(v->param, u->param))
		u->found = true;
}

/* The first deployed resource using the parameter (by Ref), or NULL. */
static const struct resource *param_user(struct check_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->stack->nres; i++) {
		const struct resource *r = &ctx->stack->res[i];
		if (r->deployed == NO)
			continue;
		struct use_find u = {name, false};
		struct walk w = {.ctx = ctx, .r = r, .leaf = use_leaf, .arg = &u};
		walk_props(&w);
		if (u.found)
			return r;
	}
	return NULL;
}

static void sec001(struct check_ctx *ctx)
{
	const struct stack *s = ctx->stack;
	for (size_t i = 0; i < s->nparams; i++) {
		const struct param *p = &s->params[i];
		const char *text = val_str(p->def);
		if (!text)
			continue;
		size_t len = p->def->len ? p->def->len : strlen(text);
		struct secret_hit hit;
		/* A NoEcho parameter is a secret by declaration: its default is scanned as a password field. */
		bool found = secret_detect(p->noecho ? "password" : p->name, text, len, &hit);
		if (!found)
			continue;
		char red[48];
		redact_hit(text, &hit, red, sizeof red);
		const struct resource *user = param_user(ctx, p->name);
		struct resource pseudo = {0};
		if (!user) {
			/* Unused parameter: report on the parameter itself. */
			pseudo.id = p->name;
			pseudo.type = "AWS::CloudFormation::Parameter";
			pseudo.source_id = p->name;
			pseudo.source_type = pseudo.type;
			pseudo.pos = p->pos;
			pseudo.deployed = YES;
			user = &pseudo;
		}
		check_report(ctx, user, check_pos(user, p->def), sure(user),
			     "parameter %s has %s %s as its Default (%s)%s%s: anyone who can read the template "
			     "has it",
			     p->name, article(hit.kind), secret_kind_name(hit.kind), red, user == &pseudo ? "" : ", used by ",
			     user == &pseudo ? "" : user->id);
	}
}

/* ---- RMP-SEC-002: secrets in Lambda environment variables ---- */

static void sec002_leaf(struct walk *w, const char *field, const struct value *v)
{
	const char *text = NULL;
	struct secret_hit hit;
	if (!leaf_secret(v, field, &text, &hit))
		return;
	char red[48];
	redact_hit(text, &hit, red, sizeof red);
	const struct param *p = from_default(w->ctx->stack, v);
	check_report(w->ctx, w->r, check_pos(w->r, v), sure(w->r),
		     "function %s: environment variable %s holds %s %s (%s)%s%s; anyone with "
		     "lambda:GetFunctionConfiguration can read it",
		     w->r->source_id ? w->r->source_id : w->r->id, field ? field : w->path,
		     article(hit.kind), secret_kind_name(hit.kind), red, p ? ", from the Default of parameter " : "",
		     p ? p->name : "");
}

/* The Variables of one alternative of Environment (an Fn::If around it is judged branch by branch). */
static void sec002_env(const struct value *env, void *p)
{
	struct walk *w = p;
	const struct value *vars = val_get(env, "Variables");
	if (!vars)
		return;
	strcpy(w->path, "Environment.Variables");
	w->plen = strlen(w->path);
	walk_value(w, NULL, vars);
}

static void sec002(struct check_ctx *ctx, const struct resource *r)
{
	struct walk w = {.ctx = ctx, .r = r, .leaf = sec002_leaf};
	val_each_alternative(val_get(r->props, "Environment"), sec002_env, &w);
}

/* ---- RMP-SEC-003: secret literals anywhere else ---- */

/* Properties other checks own (SEC-002, RDS-011, SM-003). */
static const char *const *owned_paths(const struct resource *r)
{
	static const char *const lambda[] = {"Environment.Variables", NULL};
	static const char *const rds[] = {"MasterUserPassword", NULL};
	static const char *const secret[] = {"SecretString", "GenerateSecretString.SecretStringTemplate", NULL};
	if (!strcmp(r->type, "AWS::Lambda::Function"))
		return lambda;
	if (!strcmp(r->type, "AWS::RDS::DBInstance") || !strcmp(r->type, "AWS::RDS::DBCluster"))
		return rds;
	if (!strcmp(r->type, "AWS::SecretsManager::Secret"))
		return secret;
	return NULL;
}

static void sec003_leaf(struct walk *w, const char *field, const struct value *v)
{
	/* An SSM parameter's Value is named by the last part of its Name; an API key's Value is the key. */
	if (!strcmp(w->r->type, "AWS::SSM::Parameter") && !strcmp(w->path, "Value")) {
		const char *name = val_str(val_get(w->r->props, "Name"));
		const char *slash = name ? strrchr(name, '/') : NULL;
		field = slash ? slash + 1 : name ? name : field;
	} else if (!strcmp(w->r->type, "AWS::ApiGateway::ApiKey") && !strcmp(w->path, "Value")) {
		field = "ApiKey";
	}
	const char *text = NULL;
	struct secret_hit hit;
	if (!leaf_secret(v, field, &text, &hit))
		return;
	char red[48];
	redact_hit(text, &hit, red, sizeof red);
	const struct param *p = from_default(w->ctx->stack, v);
	check_report(w->ctx, w->r, check_pos(w->r, v), sure(w->r), "%s %s: property %s holds %s %s (%s)%s%s",
		     w->r->source_type ? w->r->source_type : w->r->type, w->r->source_id ? w->r->source_id : w->r->id,
		     w->path, article(hit.kind), secret_kind_name(hit.kind), red, p ? ", from the Default of parameter " : "",
		     p ? p->name : "");
}

static void sec003(struct check_ctx *ctx, const struct resource *r)
{
	struct walk w = {.ctx = ctx, .r = r, .leaf = sec003_leaf, .skip = owned_paths(r)};
	walk_props(&w);
}

/* ---- RMP-RDS-011: master password not plaintext ---- */

struct pw_ctx {
	struct check_ctx *ctx;
	const struct resource *r;
};

static bool secure_text(const char *s)
{
	return s && (strstr(s, "{{resolve:secretsmanager:") || strstr(s, "{{resolve:ssm-secure:"));
}

static void rds011_alt(const struct value *v, void *arg)
{
	struct pw_ctx *c = arg;
	const struct resource *r = c->r;
	const struct stack *s = c->ctx->stack;
	if (query_absent(v) || v->secure_ref)
		return;
	const char *text = val_str(v);
	const struct param *p = find_param(s, v->param);
	char red[48];
	if (text) {
		if (secure_text(text))
			return;
		if (strstr(text, "{{resolve:ssm:")) {
			check_report(c->ctx, r, check_pos(r, v), sure(r),
				     "MasterUserPassword of %s is resolved from a plain SSM String parameter; use "
				     "ssm-secure or Secrets Manager",
				     r->id);
			return;
		}
		if (p && !p->def)
			return; /* given with --param at scan time: not written in the template */
		secret_redact(text, v->len ? v->len : strlen(text), red, sizeof red);
		if (p)
			check_report(c->ctx, r, check_pos(r, v), sure(r),
				     "MasterUserPassword of %s is a Ref to parameter %s, whose Default (%s) is written "
				     "in the template",
				     r->id, p->name, red);
		else
			check_report(c->ctx, r, check_pos(r, v), sure(r),
				     "MasterUserPassword of %s is written in plain text (%s)", r->id, red);
		return;
	}
	if (v->kind != VAL_UNKNOWN)
		return;
	if (secure_text(v->s))
		return;
	if (p && !p->noecho) {
		check_report(c->ctx, r, check_pos(r, v), sure(r),
			     "MasterUserPassword of %s comes from parameter %s, which is not NoEcho: it is shown "
			     "in plain text by the console and DescribeStacks",
			     r->id, p->name);
		return;
	}
	/* Text around an unknown (a Fn::Sub): a literal password in it still counts. */
	struct secret_hit hit;
	if (!p && v->s && secret_detect_pattern(v->s, strlen(v->s), &hit)) {
		redact_hit(v->s, &hit, red, sizeof red);
		check_report(c->ctx, r, check_pos(r, v), sure(r),
			     "MasterUserPassword of %s contains %s %s (%s)", r->id, article(hit.kind),
			     secret_kind_name(hit.kind), red);
	}
}

static void rds011(struct check_ctx *ctx, const struct resource *r)
{
	struct pw_ctx c = {ctx, r};
	val_each_alternative(val_get(r->props, "MasterUserPassword"), rds011_alt, &c);
}

/* ---- RMP-SM-002: rotation schedule ---- */

static void sm002(struct check_ctx *ctx, const struct resource *r)
{
	struct rel_set rot;
	rel_secret_rotations(ctx->stack, r, &rot);
	enum tri rotated = NO;
	for (size_t i = 0; i < rot.n && rotated != YES; i++)
		rotated = tri_or(rotated, rot.v[i]->deployed);
	const char *why = "no AWS::SecretsManager::RotationSchedule names it";
	if (rotated == NO) {
		/* A schedule whose SecretId is not known (an import, a parameter) may name it. */
		for (size_t i = 0; i < ctx->stack->nres; i++) {
			const struct resource *x = &ctx->stack->res[i];
			if (strcmp(x->type, "AWS::SecretsManager::RotationSchedule") || x->deployed == NO)
				continue;
			const struct value *id = val_get(x->props, "SecretId");
			if (id && id->kind == VAL_UNKNOWN && !id->nrefs) {
				rotated = MAYBE;
				why = "a rotation schedule's SecretId is not known from the template";
			}
		}
	} else if (rotated == MAYBE) {
		why = "its rotation schedule is under an undecided condition";
	}
	if (rotated == YES)
		return;
	check_report(ctx, r, r->pos, rotated == NO && sure(r), "secret %s is never rotated: %s", r->id, why);
}

/* ---- RMP-SM-003: SecretString literal ---- */

static void sm003_alt(const struct value *v, void *arg)
{
	struct pw_ctx *c = arg;
	const struct resource *r = c->r;
	if (query_absent(v) || v->secure_ref)
		return;
	const char *text = val_str(v);
	char red[48];
	if (text) {
		size_t len = v->len ? v->len : strlen(text);
		if (!len || secure_text(text))
			return;
		const struct param *p = find_param(c->ctx->stack, v->param);
		if (p && !p->def)
			return; /* given at scan time, not written in the template */
		/* JSON: a secret-named member with a literal; plain text: the whole value, unless empty. */
		struct secret_hit hit;
		size_t lead = strspn(text, " \t\r\n");
		bool found = text[lead] == '{' ? secret_detect_pattern(text, len, &hit)
					       : secret_detect("password", text, len, &hit);
		if (!found)
			return;
		redact_hit(text, &hit, red, sizeof red);
		check_report(c->ctx, r, check_pos(r, v), sure(r),
			     "SecretString of %s is written in the template (%s)%s%s; generate it with "
			     "GenerateSecretString instead",
			     r->id, red, p ? ", as the Default of parameter " : "", p ? p->name : "");
		return;
	}
	/* A Fn::Sub around unknowns: the literal parts may still hold the password. */
	struct secret_hit hit;
	if (v->kind == VAL_UNKNOWN && !v->param && v->s && secret_detect_pattern(v->s, strlen(v->s), &hit)) {
		redact_hit(v->s, &hit, red, sizeof red);
		check_report(c->ctx, r, check_pos(r, v), sure(r), "SecretString of %s contains %s %s (%s)", r->id,
			     article(hit.kind), secret_kind_name(hit.kind), red);
	}
}

static void sm003(struct check_ctx *ctx, const struct resource *r)
{
	struct pw_ctx c = {ctx, r};
	val_each_alternative(val_get(r->props, "SecretString"), sm003_alt, &c);
}

/* ---- RMP-RDS-005 / 006: IAM database authentication ---- */

/* Engines with IAM database authentication: MySQL, MariaDB, PostgreSQL and their Aurora forms. */
static enum tri q_iam_engine(const struct value *v, const void *arg)
{
	(void)arg;
	if (query_absent(v))
		return MAYBE; /* Engine is required; a missing one is the model's to report */
	const char *s = val_str(v);
	if (!s)
		return MAYBE;
	static const char *const ok[] = {"mysql", "mariadb", "postgres", "aurora"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strncasecmp(s, ok[i], strlen(ok[i])))
			return YES;
	return NO;
}

static void iam_auth(struct check_ctx *ctx, const struct resource *r, enum tri applies)
{
	const struct value *v = val_get(r->props, "EnableIAMDatabaseAuthentication");
	enum tri bad = tri_and(applies, tri_not(val_is_true(v)));
	if (bad == NO)
		return;
	check_report(ctx, r, check_pos(r, v), bad == YES && sure(r),
		     "%s %s does not set EnableIAMDatabaseAuthentication: true; every client needs a "
		     "long-lived database password",
		     strcmp(r->type, "AWS::RDS::DBCluster") ? "database instance" : "database cluster", r->id);
}

static void rds005(struct check_ctx *ctx, const struct resource *r)
{
	enum tri member = rel_instance_in_cluster(r);
	if (member == YES)
		return;
	enum tri applies = tri_and(tri_not(member), val_over_alternatives(val_get(r->props, "Engine"), q_iam_engine, NULL));
	iam_auth(ctx, r, applies);
}

static void rds006(struct check_ctx *ctx, const struct resource *r)
{
	/* Aurora Serverless v1 has no IAM database authentication. */
	enum tri v1 = val_equals_ci(val_get(r->props, "EngineMode"), "serverless");
	enum tri applies = tri_and(tri_not(v1), val_over_alternatives(val_get(r->props, "Engine"), q_iam_engine, NULL));
	iam_auth(ctx, r, applies);
}

/* ---- RMP-PRX-002: proxy authentication ---- */

static void prx002(struct check_ctx *ctx, const struct resource *r)
{
	/* End-to-end IAM authentication: no database secrets at all. */
	const struct value *das = val_get(r->props, "DefaultAuthScheme");
	enum tri iam_only = val_equals(das, "IAM_AUTH");
	if (iam_only == YES)
		return;
	const struct value *auth = val_get(r->props, "Auth");
	if (query_absent(auth) || (auth->kind == VAL_LIST && auth->n == 0)) {
		check_report(ctx, r, check_pos(r, auth), iam_only == NO && sure(r),
			     "RDS proxy %s has no Auth entry requiring IAM authentication with a Secrets Manager "
			     "secret",
			     r->id);
		return;
	}
	if (auth->kind != VAL_LIST)
		return; /* unknown: not raised */
	for (size_t i = 0; i < auth->n; i++) {
		const struct value *a = auth->items[i];
		if (!a || a->kind != VAL_MAP)
			continue;
		const struct value *iam = val_get(a, "IAMAuth");
		enum tri iam_bad = tri_not(val_equals(iam, "REQUIRED"));
		const struct value *sa = val_get(a, "SecretArn");
		enum tri scheme_secrets = query_absent(val_get(a, "AuthScheme")) ? YES : val_equals(val_get(a, "AuthScheme"), "SECRETS");
		enum tri no_secret = tri_and(scheme_secrets, query_absent(sa) ? YES : NO);
		enum tri bad = iam_bad == YES || no_secret == YES ? YES : (iam_bad == MAYBE || no_secret == MAYBE) ? MAYBE : NO;
		if (bad == NO)
			continue;
		char what[160];
		snprintf(what, sizeof what, "%s%s%s", iam_bad != NO ? "IAMAuth is not REQUIRED" : "",
			 iam_bad != NO && no_secret != NO ? " and " : "",
			 no_secret != NO ? "no SecretArn names the database credentials" : "");
		check_report(ctx, r, check_pos(r, a), bad == YES && iam_only == NO && sure(r),
			     "RDS proxy %s Auth[%zu]: %s", r->id, i, what);
	}
}

/* ---- the table ---- */

const struct check checks_secrets[] = {
    {
	.id = "RMP-PRX-002",
	.title = "RDS proxies require IAM authentication and take database credentials from Secrets Manager",
	.severity = SEV_MEDIUM,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::RDS::DBProxy",
	.gdpr = "Art. 25,Art. 32",
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "R23",
	.unknowns = "IAMAuth, AuthScheme or DefaultAuthScheme not known from the template: reported with "
		    "certain=false; an Auth list that is wholly unknown is not raised.",
	.remediation = "Set each Auth entry to AuthScheme: SECRETS with a SecretArn and IAMAuth: REQUIRED, or "
		       "use DefaultAuthScheme: IAM_AUTH (end-to-end IAM authentication).",
	.snippet = "Auth:\n  - AuthScheme: SECRETS\n    SecretArn: !Ref DbSecret\n    IAMAuth: REQUIRED\n",
	.each = prx002,
    },
    {
	.id = "RMP-RDS-005",
	.title = "RDS DB instances use IAM database authentication",
	.severity = SEV_MEDIUM,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::RDS::DBInstance",
	.gdpr = "Art. 25,Art. 32",
	.fsbp = "RDS.10",
	.cis = "",
	.checkov = "CKV_AWS_161",
	.kics = "iam_database_auth_not_enabled",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "AVD-AWS-0176",
	.guard = "",
	.coverage = "R5",
	.unknowns = "Aurora cluster members are skipped (RMP-RDS-006 checks the cluster); engines without IAM "
		    "authentication (Oracle, SQL Server, Db2) too. Engine or the setting undecided: reported "
		    "with certain=false.",
	.remediation = "Set EnableIAMDatabaseAuthentication: true and let applications connect with "
		       "short-lived IAM tokens instead of stored passwords.",
	.snippet = "Type: AWS::RDS::DBInstance\nProperties:\n  EnableIAMDatabaseAuthentication: true\n",
	.each = rds005,
    },
    {
	.id = "RMP-RDS-006",
	.title = "RDS DB clusters use IAM database authentication",
	.severity = SEV_MEDIUM,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::RDS::DBCluster",
	.gdpr = "Art. 25,Art. 32",
	.fsbp = "RDS.12",
	.cis = "",
	.checkov = "CKV_AWS_162",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "AwsSolutions-RDS6",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "R6",
	.unknowns = "Aurora Serverless v1 (no IAM authentication) is skipped. Engine, EngineMode or the "
		    "setting undecided: reported with certain=false.",
	.remediation = "Set EnableIAMDatabaseAuthentication: true on the cluster.",
	.snippet = "Type: AWS::RDS::DBCluster\nProperties:\n  EnableIAMDatabaseAuthentication: true\n",
	.each = rds006,
    },
    {
	.id = "RMP-RDS-011",
	.title = "RDS master passwords are not in the template (no plaintext, no parameter Default)",
	.severity = SEV_HIGH,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::RDS::DBInstance,AWS::RDS::DBCluster",
	.gdpr = GDPR_SECRETS,
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "F23,F34",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "RDS_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD",
	.coverage = "R11",
	.unknowns = "Fine: {{resolve:secretsmanager:...}}, {{resolve:ssm-secure:...}}, ManageMasterUserPassword, "
		    "a NoEcho parameter without Default. A parameter without NoEcho is reported (certain: its "
		    "value is shown by DescribeStacks). Other values unknown until deploy (imports, "
		    "attributes) are not raised. Each Fn::If alternative is judged on its own: a literal in "
		    "the template is a fact.",
	.remediation = "Set ManageMasterUserPassword: true (RDS keeps the password in Secrets Manager and "
		       "rotates it), or use a {{resolve:secretsmanager:...}} dynamic reference.",
	.snippet = "Type: AWS::RDS::DBCluster\nProperties:\n  MasterUsername: clinic_admin\n"
		   "  ManageMasterUserPassword: true\n",
	.each = rds011,
    },
    {
	.id = "RMP-SEC-001",
	.title = "Template parameters do not carry secrets as their Default",
	.severity = SEV_HIGH,
	.layer = LAYER_SECRETS,
	.resource_types = "Parameters",
	.gdpr = GDPR_SECRETS,
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "passwords_and_secrets",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "",
	.unknowns = "Defaults are literals: nothing unknown. Raised for a secret-named or NoEcho parameter "
		    "with a non-empty Default (placeholders such as \"changeme\" included), or any Default the "
		    "detector recognises (AWS keys, tokens, private keys, connection strings). Reported on the "
		    "first resource using the parameter (so its Metadata can suppress it), or on the parameter.",
	.remediation = "Remove the Default: pass the value at deploy time through a NoEcho parameter, or better "
		       "keep it in Secrets Manager and use a {{resolve:secretsmanager:...}} reference.",
	.snippet = "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n    MinLength: 16\n",
	.run = sec001,
    },
    {
	.id = "RMP-SEC-002",
	.title = "Lambda environment variables hold no secrets",
	.severity = SEV_HIGH,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::Lambda::Function",
	.related_types = "AWS::Serverless::Function",
	.gdpr = GDPR_SECRETS,
	.fsbp = "",
	.cis = "",
	.checkov = "CKV_AWS_45",
	.kics = "hardcoded_aws_access_key_in_lambda",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "L5",
	.unknowns = "Values unknown until deploy (parameters without Default, references, imports) are not "
		    "raised; known literals, parameter Defaults included, are. Each Fn::If alternative is "
		    "judged on its own.",
	.remediation = "Keep the secret in Secrets Manager and read it at run time (the Parameters and Secrets "
		       "Lambda extension caches it); put only the secret's ARN in the environment.",
	.snippet = "Environment:\n  Variables:\n    DB_SECRET_ARN: !Ref DbSecret\n",
	.each = sec002,
    },
    {
	.id = "RMP-SEC-003",
	.title = "No secret literals in resource properties",
	.severity = SEV_HIGH,
	.layer = LAYER_SECRETS,
	.resource_types = "*",
	.gdpr = GDPR_SECRETS,
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "passwords_and_secrets",
	.cfn_nag = "F45",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "L17",
	.unknowns = "Values unknown until deploy are not raised, but the literal text of a Fn::Sub around "
		    "them is scanned for known key formats. Lambda environment variables, RDS "
		    "MasterUserPassword and SecretString are left to RMP-SEC-002, RMP-RDS-011 and RMP-SM-003.",
	.remediation = "Move the value to Secrets Manager (or an SSM SecureString) and reference it with "
		       "{{resolve:secretsmanager:...}} / {{resolve:ssm-secure:...}}; rotate the exposed secret.",
	.snippet = "AuthToken: '{{resolve:secretsmanager:CacheAuth:SecretString:token}}'\n",
	.each = sec003,
    },
    {
	.id = "RMP-SM-002",
	.title = "Secrets Manager secrets have a rotation schedule",
	.severity = SEV_MEDIUM,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::SecretsManager::Secret",
	.related_types = "AWS::SecretsManager::RotationSchedule",
	.gdpr = GDPR_SECRETS,
	.fsbp = "SecretsManager.1",
	.cis = "",
	.checkov = "CKV2_AWS_57",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "AwsSolutions-SMG4",
	.kics_tf = "",
	.trivy = "",
	.guard = "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
	.coverage = "S2",
	.unknowns = "A rotation schedule under an undecided Condition, or one whose SecretId is not known from "
		    "the template: reported with certain=false.",
	.remediation = "Add an AWS::SecretsManager::RotationSchedule naming the secret (a hosted rotation "
		       "Lambda for RDS credentials) with a schedule of 90 days or less.",
	.snippet = "DbSecretRotation:\n  Type: AWS::SecretsManager::RotationSchedule\n  Properties:\n"
		   "    SecretId: !Ref DbSecret\n    HostedRotationLambda:\n"
		   "      RotationType: PostgreSQLSingleUser\n    RotationRules:\n"
		   "      ScheduleExpression: rate(30 days)\n",
	.each = sm002,
    },
    {
	.id = "RMP-SM-003",
	.title = "Secrets Manager secrets are not given their value in the template (SecretString)",
	.severity = SEV_HIGH,
	.layer = LAYER_SECRETS,
	.resource_types = "AWS::SecretsManager::Secret",
	.gdpr = GDPR_SECRETS,
	.fsbp = "",
	.cis = "",
	.checkov = "",
	.kics = "",
	.cfn_nag = "",
	.cdk_nag = "",
	.kics_tf = "",
	.trivy = "",
	.guard = "",
	.coverage = "S3",
	.unknowns = "A SecretString unknown until deploy (a NoEcho parameter, a dynamic reference) is fine; a "
		    "Fn::Sub is scanned for literal passwords in its text. Each Fn::If alternative is judged "
		    "on its own.",
	.remediation = "Use GenerateSecretString (with SecretStringTemplate for the user name) so the value is "
		       "created by Secrets Manager and never written down.",
	.snippet = "GenerateSecretString:\n  SecretStringTemplate: '{\"username\": \"clinic_admin\"}'\n"
		   "  GenerateStringKey: password\n  PasswordLength: 32\n  ExcludeCharacters: '\"@/\\\\'\n",
	.each = sm003,
    },
};
const size_t checks_secrets_count = sizeof checks_secrets / sizeof checks_secrets[0];
