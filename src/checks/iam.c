/*
 * iam.c - the IAM layer's checks, read from the policy documents as
 * written (syntactic): administrator grants, wildcard actions on data
 * stores, PassRole, KMS decryption and secret/parameter/object reads on
 * everything, policies on users, public trust and resource policies,
 * Lambda permissions.
 *
 * A statement grants only with Effect Allow.  Action/NotAction and
 * Resource/NotResource may be a string or a list; Allow with NotAction or
 * NotResource is read as a wildcard.  ARNs built with Fn::Sub stay unknown
 * but keep their text ("arn:...:table/${Table}" and the like): a '*' in
 * that text is still a wildcard.
 */
#include "checks/catalogue.h"
#include "graph/graph.h"
#include "graph/relations.h"
#include "iam/eval.h"
#include "model/query.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const GDPR_LEAST_PRIVILEGE = "Art. 5(1)(f),Art. 25,Art. 32";

/* ---- statement helpers ---- */

/*
 * Call fn on each string of a string-or-list value (query_each_item), the
 * text of an unknown one as written (Fn::Sub keeps ${...}); `chosen` says
 * the string is only in some Fn::If alternative.  fn returns true to stop.
 */
typedef bool (*str_fn)(const char *s, bool chosen, void *ctx);

struct str_walk {
	str_fn fn;
	void *ctx;
};

static bool str_item(const struct value *item, bool chosen, void *p)
{
	const struct str_walk *w = p;
	const char *s = query_text(item);
	return s ? w->fn(s, chosen, w->ctx) : false;
}

static bool each_str(const struct value *v, str_fn fn, void *ctx)
{
	struct str_walk w = {fn, ctx};
	return query_each_item(v, str_item, &w);
}

/* Is the statement an Allow? */
static enum tri stmt_allows(const struct value *st)
{
	return val_equals_ci(val_get(st, "Effect"), "Allow");
}

/* The first string of v that satisfies pred (one found outside any Fn::If
 * preferred), or NULL; *chosen (if not NULL) says it is only in an alternative. */
struct find_str {
	bool (*pred)(const char *s, const void *arg);
	const void *arg;
	const char *hit;
	bool chosen;
};

static bool find_fn(const char *s, bool chosen, void *vctx)
{
	struct find_str *f = vctx;
	if (!f->pred(s, f->arg) || (f->hit && chosen))
		return false;
	f->hit = s;
	f->chosen = chosen;
	return !chosen;
}

static const char *find_str_c(const struct value *v, bool (*pred)(const char *, const void *), const void *arg,
			      bool *chosen)
{
	struct find_str f = {pred, arg, NULL, false};
	each_str(v, find_fn, &f);
	if (chosen)
		*chosen = f.chosen;
	return f.hit;
}

static bool is_star(const char *s, const void *arg)
{
	(void)arg;
	return !strcmp(s, "*");
}

/* Does the statement's Resource match pred (NotResource counts as everything)? */
static bool resource_matches(const struct value *st, bool (*pred)(const char *, const void *), bool *chosen)
{
	*chosen = false;
	if (val_get(st, "NotResource"))
		return true;
	return find_str_c(val_get(st, "Resource"), pred, NULL, chosen) != NULL;
}

static bool glob_matches(const char *pattern, const void *action)
{
	return iam_wildcard_match(pattern, action, true) /* as IAM matches actions (E17, E18) */;
}

struct specific {
	const char *action;
	const char *hit;
	bool chosen;
};

static bool specific_fn(const char *s, bool chosen, void *vctx)
{
	struct specific *sp = vctx;
	if (!strcmp(s, "*") || !iam_wildcard_match(s, sp->action, true) || (sp->hit && chosen))
		return false;
	sp->hit = s;
	sp->chosen = chosen;
	return !chosen;
}

/*
 * Does an Allow statement grant `action` through a pattern other than the
 * bare "*" (which RMP-IAM-001 reports)?  With NotAction, it does unless a
 * NotAction pattern matches it.  Returns the granting pattern or NULL;
 * *chosen says it is granted only under an undecided Fn::If.
 */
static const char *grants_specific(const struct value *st, const char *action, bool *chosen)
{
	const struct value *na = val_get(st, "NotAction");
	*chosen = false;
	if (na) {
		bool c;
		if (!find_str_c(na, glob_matches, action, &c))
			return "NotAction";
		*chosen = c; /* excluded only in some alternative */
		return c ? "NotAction" : NULL;
	}
	struct specific sp = {action, NULL, false};
	each_str(val_get(st, "Action"), specific_fn, &sp);
	*chosen = sp.chosen;
	return sp.hit;
}

static bool has_condition(const struct value *st)
{
	const struct value *c = val_get(st, "Condition");
	return c && c->kind != VAL_NULL && !(c->kind == VAL_MAP && c->n == 0);
}

/* ---- walking identity policies ---- */

typedef void (*stmt_check_fn)(struct check_ctx *ctx, const struct rel_statement *st);

struct stmt_run {
	struct check_ctx *ctx;
	stmt_check_fn fn;
};

static void stmt_tramp(const struct rel_statement *st, void *vctx)
{
	struct stmt_run *r = vctx;
	r->fn(r->ctx, st);
}

/* Each identity-policy statement written in r (rel_written_statements), for a check. */
static void identity_statements(struct check_ctx *ctx, const struct resource *r, stmt_check_fn fn)
{
	struct stmt_run run = {ctx, fn};
	rel_written_statements(r, stmt_tramp, &run);
}

/* Certain only when the statement surely applies and surely allows. */
static bool stmt_certain(const struct rel_statement *st, enum tri allow)
{
	return st->applies == YES && allow == YES;
}

/* ---- RMP-IAM-001: administrator access ---- */

static void iam001_stmt(struct check_ctx *ctx, const struct rel_statement *st)
{
	enum tri allow = stmt_allows(st->stmt);
	bool rc, ac = false;
	if (allow == NO || !resource_matches(st->stmt, is_star, &rc))
		return;
	bool not_action = val_get(st->stmt, "NotAction") != NULL;
	if (!not_action && !find_str_c(val_get(st->stmt, "Action"), is_star, NULL, &ac))
		return;
	check_report(ctx, st->holder, check_pos(st->holder, st->stmt), stmt_certain(st, allow) && !rc && !ac,
		     "policy %s allows %s on every resource: full administrator access", st->policy_name,
		     not_action ? "every action but those in NotAction" : "every action (\"*\")");
}

static void admin_arn(const struct value *arn, const char *name, void *vctx)
{
	void **c = vctx;
	struct check_ctx *ctx = c[0];
	const struct resource *r = c[1];
	if (name && !strcmp(name, "AdministratorAccess"))
		check_report(ctx, r, check_pos(r, arn), r->deployed == YES,
			     "%s %s has the AWS managed policy AdministratorAccess attached",
			     !strcmp(r->type, "AWS::IAM::Role") ? "role" : !strcmp(r->type, "AWS::IAM::User") ? "user" : "group",
			     r->id);
}

static void iam001(struct check_ctx *ctx, const struct resource *r)
{
	identity_statements(ctx, r, iam001_stmt);
	void *c[2] = {ctx, (void *)r};
	if (strcmp(r->type, "AWS::IAM::Policy") && strcmp(r->type, "AWS::IAM::ManagedPolicy"))
		rel_principal_managed_arns(ctx->stack, r, admin_arn, c);
}

/* ---- RMP-IAM-002: wildcard actions on data stores ---- */

static const char *const data_services[] = {"dynamodb", "rds", "rds-data", "rds-db", "secretsmanager", "kms", "s3"};

/* "dynamodb:*", "dynamodb:Delete*", "s3:Get?bject"...: a data-store service with a wildcard. */
static bool data_wildcard(const char *a, const void *arg)
{
	(void)arg;
	const char *colon = strchr(a, ':');
	if (!colon || (!strchr(colon, '*') && !strchr(colon, '?')))
		return false;
	size_t n = (size_t)(colon - a);
	/*
	 * Describe* and (outside S3) List* name metadata actions only
	 * (dynamodb:ListTables, kms:ListAliases, secretsmanager:ListSecrets...),
	 * never a read of the data; s3:List* lists object keys, which can be
	 * personal data, and stays reported.
	 */
	if (!strncasecmp(colon + 1, "Describe", 8) || (strncasecmp(a, "s3:", 3) && !strncasecmp(colon + 1, "List", 4)))
		return false;
	for (size_t i = 0; i < sizeof data_services / sizeof *data_services; i++)
		if (strlen(data_services[i]) == n && !strncasecmp(a, data_services[i], n))
			return true;
	return false;
}

static void iam002_stmt(struct check_ctx *ctx, const struct rel_statement *st)
{
	enum tri allow = stmt_allows(st->stmt);
	if (allow == NO)
		return;
	bool rc, ac = false;
	bool all = resource_matches(st->stmt, is_star, &rc) && !rc;
	const char *hit = find_str_c(val_get(st->stmt, "Action"), data_wildcard, NULL, &ac);
	if (!hit && !all) {
		/* "*" or NotAction on named resources: every action on them */
		if (val_get(st->stmt, "NotAction"))
			hit = "NotAction";
		else if (find_str_c(val_get(st->stmt, "Action"), is_star, NULL, &ac))
			hit = "*";
	}
	if (!hit)
		return;
	bool certain = stmt_certain(st, allow) && !ac;
	if (!strcmp(hit, "NotAction"))
		check_report(ctx, st->holder, check_pos(st->holder, st->stmt), certain,
			     "policy %s allows every action except those in NotAction on the resources it names",
			     st->policy_name);
	else
		check_report(ctx, st->holder, check_pos(st->holder, st->stmt), certain,
			     "policy %s allows wildcard action %s on %s", st->policy_name, hit,
			     all ? "every resource" : "the resources it names");
}

static void iam002(struct check_ctx *ctx, const struct resource *r)
{
	identity_statements(ctx, r, iam002_stmt);
}

/* ---- RMP-IAM-003: iam:PassRole on every role ---- */

/* "*", or an IAM ARN naming every role (ending in role/ and a star; also via Fn::Sub) */
static bool all_roles(const char *r, const void *arg)
{
	(void)arg;
	size_t n = strlen(r);
	return !strcmp(r, "*") || (strstr(r, ":iam::") && n >= 2 && !strcmp(r + n - 2, "/*") &&
				   (strstr(r, ":role/*") || strstr(r, ":*")));
}

/* " (through " when the statement grants `action` through another pattern (kms:*), else "". */
static const char *through(const char *hit, const char *action)
{
	return strcasecmp(hit, action) ? " (through " : "";
}

static void iam003_stmt(struct check_ctx *ctx, const struct rel_statement *st)
{
	enum tri allow = stmt_allows(st->stmt);
	if (allow == NO)
		return;
	bool ac, rc;
	const char *hit = grants_specific(st->stmt, "iam:PassRole", &ac);
	if (!hit || !resource_matches(st->stmt, all_roles, &rc))
		return;
	const char *via = through(hit, "iam:PassRole");
	check_report(ctx, st->holder, check_pos(st->holder, st->stmt),
		     stmt_certain(st, allow) && !ac && !rc && !has_condition(st->stmt),
		     "policy %s allows iam:PassRole%s%s%s on every role", st->policy_name, via, *via ? hit : "",
		     *via ? ")" : "");
}

static void iam003(struct check_ctx *ctx, const struct resource *r)
{
	identity_statements(ctx, r, iam003_stmt);
}

/* ---- RMP-IAM-004: KMS decryption on every key ---- */

static bool all_keys(const char *r, const void *arg)
{
	(void)arg;
	size_t n = strlen(r);
	if (!strcmp(r, "*"))
		return true;
	if (!strstr(r, ":kms:"))
		return false;
	return (n >= 6 && !strcmp(r + n - 6, ":key/*")) || (n >= 2 && !strcmp(r + n - 2, ":*"));
}

static void iam004_stmt(struct check_ctx *ctx, const struct rel_statement *st)
{
	enum tri allow = stmt_allows(st->stmt);
	if (allow == NO)
		return;
	bool ac, rc;
	const char *action = "kms:Decrypt";
	const char *hit = grants_specific(st->stmt, action, &ac);
	if (!hit || ac) {
		bool ac2;
		const char *hit2 = grants_specific(st->stmt, "kms:ReEncryptFrom", &ac2);
		if (hit2 && (!hit || !ac2)) {
			action = "kms:ReEncryptFrom";
			hit = hit2;
			ac = ac2;
		}
	}
	if (!hit || !resource_matches(st->stmt, all_keys, &rc))
		return;
	const char *via = through(hit, action);
	check_report(ctx, st->holder, check_pos(st->holder, st->stmt),
		     stmt_certain(st, allow) && !ac && !rc && !has_condition(st->stmt),
		     "policy %s allows %s%s%s%s on every KMS key", st->policy_name, action, via, *via ? hit : "",
		     *via ? ")" : "");
}

static void iam004(struct check_ctx *ctx, const struct resource *r)
{
	identity_statements(ctx, r, iam004_stmt);
}

/* ---- RMP-IAM-007: reads of secrets and data on every resource ---- */

/*
 * Cloudsplaining's data-exfiltration actions: each returns the data (or
 * the secret) itself, so allowed on "*" it reads every object, parameter
 * or secret of the account, not only the application's own.
 */
static const char *const exfil_actions[] = {
	"s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
	"secretsmanager:GetSecretValue",
};

static void iam007_stmt(struct check_ctx *ctx, const struct rel_statement *st)
{
	enum tri allow = stmt_allows(st->stmt);
	bool rc;
	if (allow == NO || has_condition(st->stmt) || !resource_matches(st->stmt, is_star, &rc))
		return;
	char list[512];
	size_t len = 0;
	bool any_certain = false;
	list[0] = '\0';
	for (size_t i = 0; i < sizeof exfil_actions / sizeof *exfil_actions; i++) {
		bool ac;
		const char *hit = grants_specific(st->stmt, exfil_actions[i], &ac);
		if (!hit)
			continue;
		any_certain |= !ac;
		const char *via = through(hit, exfil_actions[i]);
		int n = snprintf(list + len, sizeof list - len, "%s%s%s%s%s", len ? ", " : "", exfil_actions[i], via,
				 *via ? hit : "", *via ? ")" : "");
		if (n < 0 || (size_t)n >= sizeof list - len) {
			list[len] = '\0'; /* keep whole entries only; the list is long enough to say it */
			break;
		}
		len += (size_t)n;
	}
	if (!len)
		return;
	check_report(ctx, st->holder, check_pos(st->holder, st->stmt), stmt_certain(st, allow) && any_certain && !rc,
		     "policy %s allows %s on every resource with no condition: it can read every secret, "
		     "parameter or object in the account",
		     st->policy_name, list);
}

static void iam007(struct check_ctx *ctx, const struct resource *r)
{
	identity_statements(ctx, r, iam007_stmt);
}
/* ---- RMP-IAM-005: policies on users, access keys ---- */

static void user_arn(const struct value *arn, const char *name, void *vctx)
{
	void **c = vctx;
	struct check_ctx *ctx = c[0];
	const struct resource *r = c[1];
	check_report(ctx, r, check_pos(r, arn), r->deployed == YES,
		     "IAM user %s has managed policy %s attached directly", r->id, name ? name : "(unknown ARN)");
}

static void iam005_user(struct check_ctx *ctx, const struct resource *r)
{
	struct stack *s = ctx->stack;
	const struct value *pols = val_get(r->props, "Policies");
	if (val_len(pols) || (pols && pols->kind == VAL_CHOICE))
		check_report(ctx, r, check_pos(r, pols), r->deployed == YES && pols->kind == VAL_LIST,
			     "IAM user %s has inline policies", r->id);
	void *c[2] = {ctx, (void *)r};
	rel_principal_managed_arns(s, r, user_arn, c);
	/* Policies of the stack naming the user */
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *p = &s->res[i];
		if (strcmp(p->type, "AWS::IAM::Policy") && strcmp(p->type, "AWS::IAM::ManagedPolicy"))
			continue;
		const struct value *users = val_get(p->props, "Users");
		const struct value *arns = val_get(r->props, "ManagedPolicyArns");
		if (graph_mentions(users, r->id) ||
		    (!strcmp(p->type, "AWS::IAM::ManagedPolicy") && graph_mentions(arns, p->id)))
			check_report(ctx, r, check_pos(p, users), r->deployed == YES && p->deployed == YES,
				     "IAM user %s has policy %s attached directly", r->id, p->id);
	}
}

static void iam005_key(struct check_ctx *ctx, const struct resource *r)
{
	if (val_equals_ci(val_get(r->props, "Status"), "Inactive") == YES)
		return;
	const struct resource *u = graph_target(ctx->stack, val_get(r->props, "UserName"));
	check_report(ctx, r, r->pos, r->deployed == YES,
		     "access key %s creates long-lived credentials%s%s in the template; its secret ends up in "
		     "stack outputs or wherever the template sends it",
		     r->id, u ? " for user " : "", u ? u->id : "");
}

/* A policy attached to users that are not in the stack (their names, parameters). */
static void iam005_policy(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *users = val_get(r->props, "Users");
	size_t n = users && users->kind == VAL_LIST ? users->n : (users && users->kind != VAL_NULL ? 1 : 0);
	for (size_t i = 0; i < n; i++) {
		const struct value *u = users->kind == VAL_LIST ? users->items[i] : users;
		const struct resource *t = graph_target(ctx->stack, u);
		if (t && !strcmp(t->type, "AWS::IAM::User"))
			continue; /* reported on the user */
		const char *name = val_str(u);
		check_report(ctx, r, check_pos(r, u), r->deployed == YES && u->kind != VAL_CHOICE,
			     "policy %s is attached directly to IAM user %s", r->id,
			     name ? name : val_render(ctx->stack->arena, u));
	}
}

static void iam005(struct check_ctx *ctx, const struct resource *r)
{
	if (!strcmp(r->type, "AWS::IAM::User"))
		iam005_user(ctx, r);
	else if (!strcmp(r->type, "AWS::IAM::AccessKey"))
		iam005_key(ctx, r);
	else
		iam005_policy(ctx, r);
}

/* ---- public principals ---- */

/* "*", or an ARN whose account is "*" ("arn:aws:iam::*:root"). */
static bool public_principal_str(const char *s, const void *arg)
{
	(void)arg;
	if (!strcmp(s, "*"))
		return true;
	return !strncmp(s, "arn:", 4) && strstr(s, ":iam::*:") != NULL;
}

/* Does a string of v satisfy pred: YES, MAYBE (only in an Fn::If alternative), NO? */
static enum tri found_tri(const struct value *v, bool (*pred)(const char *, const void *))
{
	bool chosen = false;
	if (!find_str_c(v, pred, NULL, &chosen))
		return NO;
	return chosen ? MAYBE : YES;
}

/*
 * Is a Principal element public: "*", {"AWS": "*"}, {"AWS": ["*", ...]}?
 * MAYBE when only an alternative of an undecided Fn::If is.
 */
static enum tri principal_public(const struct value *p)
{
	if (!p)
		return NO;
	if (p->kind == VAL_CHOICE) {
		enum tri t = NO;
		for (size_t i = 0; i < p->n; i++)
			if (principal_public(p->items[i]) != NO)
				t = MAYBE;
		return t;
	}
	if (p->kind != VAL_MAP)
		return found_tri(p, public_principal_str);
	enum tri t = NO;
	for (size_t i = 0; i < p->n && t != YES; i++) {
		const char *k = p->pairs[i].key;
		if (strcmp(k, "AWS") && strcmp(k, "CanonicalUser") && strcmp(k, "Federated"))
			continue;
		enum tri u = found_tri(p->pairs[i].v, public_principal_str);
		if (u != NO)
			t = u;
	}
	return t;
}

/* An Allow statement to everyone, without a Condition: YES, or MAYBE under Fn::If. */
static enum tri stmt_public(const struct value *st, enum tri *allow)
{
	*allow = stmt_allows(st);
	if (*allow == NO || has_condition(st))
		return NO;
	return principal_public(val_get(st, "Principal"));
}

/* ---- RMP-IAM-006: public trust policy ---- */

static void trust_stmt(const struct rel_statement *st, void *vctx)
{
	struct check_ctx *ctx = vctx;
	enum tri allow, pub = stmt_public(st->stmt, &allow);
	if (pub == NO)
		return;
	check_report(ctx, st->holder, check_pos(st->holder, st->stmt), stmt_certain(st, allow) && pub == YES,
		     "role %s can be assumed by any AWS principal: its trust policy allows Principal \"*\" "
		     "without a condition",
		     st->holder->id);
}

static void iam006_role(struct check_ctx *ctx, const struct resource *r)
{
	rel_each_statement(val_get(r->props, "AssumeRolePolicyDocument"), r, r->id, REL_ORIGIN_RESOURCE,
			   r->deployed == YES ? YES : MAYBE, trust_stmt, ctx);
}

/* ---- RMP-LMB-008 / RMP-LMB-009: Lambda permissions ---- */

static bool prop_set(const struct resource *r, const char *key)
{
	const struct value *v = val_get(r->props, key);
	return v && v->kind != VAL_NULL;
}

static void lmb008(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *p = val_get(r->props, "Principal");
	bool chosen;
	if (!find_str_c(p, is_star, NULL, &chosen))
		return;
	/* The InvokeFunction companion of a public function URL: only callable
	 * through the URL, whose own permission is reported. */
	if (val_is_true(val_get(r->props, "InvokedViaFunctionUrl")) == YES)
		return;
	bool url_none = val_equals_ci(val_get(r->props, "FunctionUrlAuthType"), "NONE") == YES;
	bool scoped = prop_set(r, "SourceArn") || prop_set(r, "SourceAccount") || prop_set(r, "PrincipalOrgID");
	if (scoped && !url_none)
		return;
	const struct resource *fn = graph_target(ctx->stack, val_get(r->props, "FunctionName"));
	check_report(ctx, r, check_pos(r, p), r->deployed == YES && !chosen,
		     "permission %s lets anyone invoke %s (Principal \"*\"%s)", r->id, fn ? fn->id : "the function",
		     url_none ? " on a function URL with AuthType NONE" : " without SourceArn or SourceAccount");
}

/*
 * KICS public_lambda_via_api_gateway flags an apigateway.amazonaws.com
 * permission whose SourceArn ends in a wildcard stage and method (every
 * stage, every method).  That is not a risk: the ARN still names one API
 * (SAM writes such ARNs itself), and in KICS's own positive sample SourceAccount is the stack's
 * account and the SourceArn is an S3 ARN that no API invocation matches, so
 * the permission grants nothing.  What is a risk, and reported here, is no
 * SourceArn/SourceAccount at all, or a SourceArn with "*" for the account.
 */
static void lmb009(struct check_ctx *ctx, const struct resource *r)
{
	const struct value *p = val_get(r->props, "Principal");
	const char *s = val_str(p);
	size_t n = s ? strlen(s) : 0;
	static const char suffix[] = ".amazonaws.com";
	if (n <= sizeof suffix - 1 || strcmp(s + n - (sizeof suffix - 1), suffix))
		return;
	if (prop_set(r, "SourceAccount"))
		return;
	const struct resource *fn = graph_target(ctx->stack, val_get(r->props, "FunctionName"));
	if (prop_set(r, "SourceArn")) {
		/* A SourceArn whose account field is "*" scopes nothing: any account's API, rule, topic... */
		const struct value *sa = val_get(r->props, "SourceArn");
		const char *arn = val_str(sa), *c = arn;
		for (int i = 0; c && i < 4; i++)
			c = strchr(c, ':') ? strchr(c, ':') + 1 : NULL;
		if (c && c[0] == '*' && (c[1] == ':' || c[1] == '\0'))
			check_report(ctx, r, check_pos(r, sa), r->deployed == YES,
				     "permission %s lets %s invoke %s on behalf of any account: SourceArn %s has \"*\" "
				     "for the account and SourceAccount is not set",
				     r->id, s, fn ? fn->id : "the function", arn);
		return;
	}
	check_report(ctx, r, check_pos(r, p), r->deployed == YES,
		     "permission %s lets %s invoke %s on behalf of any account or resource (no SourceArn or "
		     "SourceAccount)",
		     r->id, s, fn ? fn->id : "the function");
}

/* ---- resource policies open to everyone ---- */

struct public_ctx {
	struct check_ctx *ctx;
	const char *what;
};

static void public_stmt(const struct rel_statement *st, void *vctx)
{
	struct public_ctx *p = vctx;
	enum tri allow, pub = stmt_public(st->stmt, &allow);
	if (pub == NO)
		return;
	check_report(p->ctx, st->holder, check_pos(st->holder, st->stmt), stmt_certain(st, allow) && pub == YES,
		     "resource policy of %s allows Principal \"*\" without a condition", p->what);
}

struct policy_alt {
	struct public_ctx *p;
	const struct resource *r;
	enum tri applies;
};

static void resource_policy_alt(const struct value *rp, void *vctx)
{
	const struct policy_alt *a = vctx;
	rel_each_statement(val_get(rp, "PolicyDocument"), a->r, a->r->id, REL_ORIGIN_RESOURCE, a->applies, public_stmt,
			   a->p);
}

/* The statements of a table's ResourcePolicy; an Fn::If around it is read branch by branch (applies MAYBE). */
static void resource_policy(struct public_ctx *p, const struct resource *r, const struct value *rp)
{
	enum tri base = r->deployed == YES ? YES : MAYBE;
	struct policy_alt a = {p, r, rp && rp->kind == VAL_CHOICE ? MAYBE : base};
	val_each_alternative(rp, resource_policy_alt, &a);
}

static void ddb011(struct check_ctx *ctx, const struct resource *r)
{
	struct public_ctx p = {ctx, r->id};
	if (!strcmp(r->type, "AWS::DynamoDB::Table")) {
		resource_policy(&p, r, val_get(r->props, "ResourcePolicy"));
		return;
	}
	const struct value *reps = val_get(r->props, "Replicas");
	for (size_t i = 0; i < val_len(reps); i++)
		resource_policy(&p, r, val_get(val_item(reps, i), "ResourcePolicy"));
}

static void sm004(struct check_ctx *ctx, const struct resource *r)
{
	const struct resource *secret = graph_target(ctx->stack, val_get(r->props, "SecretId"));
	char what[256];
	snprintf(what, sizeof what, "secret %s", secret ? secret->id : "(outside the stack)");
	struct public_ctx p = {ctx, what};
	rel_each_statement(val_get(r->props, "ResourcePolicy"), r, r->id, REL_ORIGIN_RESOURCE,
			   r->deployed == YES ? YES : MAYBE, public_stmt, &p);
}

/* ---- the table ---- */

#define IAM_TYPES "AWS::IAM::Role,AWS::IAM::User,AWS::IAM::Group,AWS::IAM::Policy,AWS::IAM::ManagedPolicy"

const struct check checks_iam[] = {
	{
		.id = "RMP-IAM-001",
		.title = "No policy grants full administrator access",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = IAM_TYPES,
		.related_types = "AWS::Serverless::Function",
		.gdpr = GDPR_LEAST_PRIVILEGE,
		.fsbp = "IAM.1",
		.cis = "1.16",
		.checkov = "CKV_AWS_62",
		.kics = "iam_policies_with_full_privileges",
		.cfn_nag = "F3,F4,F5,W43",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "L14",
		.unknowns = "Allow with Action \"*\" (or NotAction) on Resource \"*\" (or NotResource), or the "
			    "AdministratorAccess managed policy. A statement under an undecided Fn::If or condition: "
			    "reported, uncertain. Unknown actions are not guessed at.",
		.remediation = "Grant the actions the principal needs on the resources it uses; keep administrator "
			       "access to a separate, MFA-protected role outside the application stack.",
		.snippet = "Policies:\n  - PolicyName: orders-read\n    PolicyDocument:\n      Version: '2012-10-17'\n"
			   "      Statement:\n        - Effect: Allow\n          Action: [dynamodb:GetItem, dynamodb:Query]\n"
			   "          Resource: !GetAtt OrdersTable.Arn\n",
		.each = iam001,
	},
	{
		.id = "RMP-IAM-002",
		.title = "Policies do not grant wildcard actions on data stores",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = IAM_TYPES,
		.gdpr = GDPR_LEAST_PRIVILEGE,
		.fsbp = "IAM.21",
		.cis = "",
		.checkov = "CKV_AWS_109,CKV_AWS_111",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "AwsSolutions-IAM5",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "L14",
		.unknowns = "Wildcards in dynamodb, rds, rds-data, rds-db, secretsmanager, kms and s3 actions "
			    "(dynamodb:*, dynamodb:Delete*...; not the metadata-only Describe*, nor List* outside s3), "
			    "and \"*\" or NotAction on named resources. Statements "
			    "under an undecided condition: reported, uncertain.",
		.remediation = "List the actions the function needs (dynamodb:GetItem, dynamodb:PutItem...) instead "
			       "of a service wildcard.",
		.snippet = "Statement:\n  - Effect: Allow\n    Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]\n"
			   "    Resource: !GetAtt OrdersTable.Arn\n",
		.each = iam002,
	},
	{
		.id = "RMP-IAM-003",
		.title = "iam:PassRole is limited to named roles",
		.severity = SEV_HIGH,
		.layer = LAYER_IAM,
		.resource_types = IAM_TYPES,
		.gdpr = GDPR_LEAST_PRIVILEGE,
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_110",
		.kics = "",
		.cfn_nag = "F38,F39,F40",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "iam:PassRole, iam:Pass*, iam:* or NotAction not excluding it, on \"*\" or every role "
			    "ARN. With a Condition, or under an undecided condition: reported, uncertain.",
		.remediation = "Name the roles that may be passed in Resource, and restrict iam:PassedToService with "
			       "a condition.",
		.snippet = "- Effect: Allow\n  Action: iam:PassRole\n  Resource: !GetAtt WorkerRole.Arn\n  Condition:\n"
			   "    StringEquals: {iam:PassedToService: lambda.amazonaws.com}\n",
		.each = iam003,
	},
	{
		.id = "RMP-IAM-004",
		.title = "Policies do not allow KMS decryption on all keys",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = IAM_TYPES,
		.gdpr = "Art. 5(1)(f),Art. 32",
		.fsbp = "KMS.1,KMS.2",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "kms:Decrypt or kms:ReEncryptFrom (or kms:*, kms:Decr*, NotAction not excluding them) on "
			    "\"*\" or every key ARN (\"...:key/*\"). With a Condition (kms:ViaService...), or under an "
			    "undecided condition: reported, uncertain.",
		.remediation = "Allow decryption only on the keys the principal uses.",
		.snippet = "- Effect: Allow\n  Action: kms:Decrypt\n  Resource: !GetAtt DataKey.Arn\n",
		.each = iam004,
	},
	{
		.id = "RMP-IAM-005",
		.title = "IAM users get no policies directly and no access keys from templates",
		.severity = SEV_LOW,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::User,AWS::IAM::Policy,AWS::IAM::ManagedPolicy,AWS::IAM::AccessKey",
		.gdpr = "Art. 25,Art. 32",
		.fsbp = "IAM.2",
		.cis = "1.15",
		.checkov = "CKV_AWS_40",
		.kics = "iam_policy_on_user,iam_policies_attached_to_user",
		.cfn_nag = "F10,F11,F12",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Attachments under an undecided condition: reported, uncertain. An AccessKey whose "
			    "Status is not known to be Inactive is reported.",
		.remediation = "Attach policies to groups or roles; let people sign in through IAM Identity Center "
			       "and workloads use roles instead of access keys.",
		.snippet = "Developers:\n  Type: AWS::IAM::Group\n  Properties:\n    ManagedPolicyArns: [!Ref AppReadOnly]\n"
			   "Alice:\n  Type: AWS::IAM::User\n  Properties:\n    Groups: [!Ref Developers]\n",
		.each = iam005,
	},
	{
		.id = "RMP-IAM-006",
		.title = "Role trust policies do not let anyone assume the role",
		.severity = SEV_CRITICAL,
		.layer = LAYER_IAM,
		.resource_types = "AWS::IAM::Role",
		.gdpr = GDPR_LEAST_PRIVILEGE,
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_60",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "Principal \"*\", {AWS: \"*\"} or an ARN with account \"*\", with Allow and no Condition. "
			    "Principals from parameters are not guessed at; a statement under an undecided condition "
			    "is reported uncertain.",
		.remediation = "Name the accounts, roles or services that may assume the role, and add conditions "
			       "(sts:ExternalId, aws:PrincipalOrgID) for other accounts.",
		.snippet = "AssumeRolePolicyDocument:\n  Version: '2012-10-17'\n  Statement:\n    - Effect: Allow\n"
			   "      Principal: {Service: lambda.amazonaws.com}\n      Action: sts:AssumeRole\n",
		.each = iam006_role,
	},
	{
		.id = "RMP-IAM-007",
		.title = "Policies do not allow reading secrets, parameters or objects on every resource",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = IAM_TYPES,
		.gdpr = GDPR_LEAST_PRIVILEGE,
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_108",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "AwsSolutions-IAM5",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "",
		.unknowns = "s3:GetObject, ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath and "
			    "secretsmanager:GetSecretValue (also through a wildcard such as ssm:Get* or NotAction not "
			    "excluding them; bare \"*\" is RMP-IAM-001's) allowed on Resource \"*\" or NotResource "
			    "with no Condition. A statement with a Condition is not reported; one under an undecided "
			    "Fn::If is reported, uncertain. Service-wide ARNs (arn:aws:s3:::*/*) are not read as \"*\".",
		.remediation = "Name the secrets, parameters and buckets the principal reads (!Ref Secret, "
			       "parameter/app/*, bucket/prefix/*) instead of \"*\", or add a condition such as "
			       "aws:ResourceTag.",
		.snippet = "- Effect: Allow\n  Action: secretsmanager:GetSecretValue\n  Resource: !Ref DbSecret\n"
			   "- Effect: Allow\n  Action: [ssm:GetParameter, ssm:GetParametersByPath]\n"
			   "  Resource: !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*'\n",
		.each = iam007,
	},
	{
		.id = "RMP-LMB-008",
		.title = "Lambda permissions do not let anyone invoke a function",
		.severity = SEV_CRITICAL,
		.layer = LAYER_IAM,
		.resource_types = "AWS::Lambda::Permission",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "Lambda.1",
		.cis = "",
		.checkov = "CKV_AWS_301",
		.kics = "lambda_permission_principal_is_wildcard",
		.cfn_nag = "F13",
		.cdk_nag = "LambdaFunctionPublicAccessProhibited",
		.kics_tf = "",
		.trivy = "",
		.guard = "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED,LAMBDA_NO_WILDCARD_PRINCIPALS",
		.coverage = "L8",
		.unknowns = "Principal \"*\" without SourceArn, SourceAccount or PrincipalOrgID (or on a function "
			    "URL with AuthType NONE; its InvokedViaFunctionUrl companion is not reported again). "
			    "Principals from parameters are not guessed at.",
		.remediation = "Grant invoke to the service or account that calls the function, scoped with "
			       "SourceArn; put public HTTP access behind API Gateway with authorization.",
		.snippet = "Permission:\n  Type: AWS::Lambda::Permission\n  Properties:\n    Action: lambda:InvokeFunction\n"
			   "    FunctionName: !Ref Function\n    Principal: apigateway.amazonaws.com\n"
			   "    SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*\n",
		.each = lmb008,
	},
	{
		.id = "RMP-LMB-009",
		.title = "Service permissions on functions are scoped by SourceArn or SourceAccount",
		.severity = SEV_MEDIUM,
		.layer = LAYER_IAM,
		.resource_types = "AWS::Lambda::Permission",
		.gdpr = "Art. 25,Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "CKV_AWS_364",
		.kics = "public_lambda_via_api_gateway",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "AVD-AWS-0067",
		.guard = "",
		.coverage = "L9",
		.unknowns = "A principal ending in .amazonaws.com with neither SourceArn nor SourceAccount set, or "
			    "with a SourceArn whose account is \"*\" and no SourceAccount; a SourceArn built from "
			    "unknowns counts as set.",
		.remediation = "Add SourceArn (the API, bucket, rule or topic that invokes the function) and "
			       "SourceAccount, so that other accounts' resources of that service cannot invoke it.",
		.snippet = "    SourceArn: !GetAtt Rule.Arn\n    SourceAccount: !Ref AWS::AccountId\n",
		.each = lmb009,
	},
	{
		.id = "RMP-DDB-011",
		.title = "DynamoDB table resource policies are not open to everyone",
		.severity = SEV_CRITICAL,
		.layer = LAYER_IAM,
		.resource_types = "AWS::DynamoDB::Table,AWS::DynamoDB::GlobalTable",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "D10",
		.unknowns = "An Allow statement to Principal \"*\" (or {AWS: \"*\"}) without a Condition. Under an "
			    "undecided condition: reported, uncertain.",
		.remediation = "Name the accounts or roles in the table's resource policy, or add a condition such "
			       "as aws:PrincipalOrgID.",
		.snippet = "ResourcePolicy:\n  PolicyDocument:\n    Version: '2012-10-17'\n    Statement:\n"
			   "      - Effect: Allow\n        Principal: {AWS: !GetAtt ReaderRole.Arn}\n"
			   "        Action: dynamodb:GetItem\n        Resource: '*'\n",
		.each = ddb011,
	},
	{
		.id = "RMP-SM-004",
		.title = "Secrets Manager resource policies are not open to everyone",
		.severity = SEV_CRITICAL,
		.layer = LAYER_IAM,
		.resource_types = "AWS::SecretsManager::ResourcePolicy",
		.gdpr = "Art. 5(1)(f),Art. 25,Art. 32",
		.fsbp = "",
		.cis = "",
		.checkov = "",
		.kics = "",
		.cfn_nag = "",
		.cdk_nag = "",
		.kics_tf = "",
		.trivy = "",
		.guard = "",
		.coverage = "S4",
		.unknowns = "An Allow statement to Principal \"*\" (or {AWS: \"*\"}) without a Condition. Under an "
			    "undecided condition: reported, uncertain.",
		.remediation = "Name the roles that read the secret, and set BlockPublicPolicy: true.",
		.snippet = "SecretPolicy:\n  Type: AWS::SecretsManager::ResourcePolicy\n  Properties:\n"
			   "    SecretId: !Ref DbSecret\n    BlockPublicPolicy: true\n    ResourcePolicy:\n"
			   "      Version: '2012-10-17'\n      Statement:\n        - Effect: Allow\n"
			   "          Principal: {AWS: !GetAtt AppRole.Arn}\n          Action: secretsmanager:GetSecretValue\n"
			   "          Resource: '*'\n",
		.each = sm004,
	},
};
const size_t checks_iam_count = sizeof checks_iam / sizeof *checks_iam;
