/*
 * policy.c - parsing and validating IAM policy documents (policy.h).
 *
 * Validation follows IAM Access Analyzer's policy checks where they matter
 * for evaluation: an unknown operator, Null with IfExists, a wildcard in a
 * non-Like operator, ForAllValues on a single-valued key, a missing Version
 * (variables become literal text), Principal where it is not allowed,
 * duplicate keys that differ only in case.
 */
#include "iam/policy.h"
#include "iam/catalogue.h"
#include "iam/condval.h"
#include "iam/principal.h"
#include "core/arena.h"
#include "core/cidr.h"
#include "core/strbuf.h"
#include "load/load.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct op_name {
	const char *name;
	enum iam_op op;
	bool negated;
};

static const struct op_name ops[] = {
	{"StringEquals", OP_STRING_EQUALS, false},
	{"StringNotEquals", OP_STRING_NOT_EQUALS, true},
	{"StringEqualsIgnoreCase", OP_STRING_EQUALS_IC, false},
	{"StringNotEqualsIgnoreCase", OP_STRING_NOT_EQUALS_IC, true},
	{"StringLike", OP_STRING_LIKE, false},
	{"StringNotLike", OP_STRING_NOT_LIKE, true},
	{"NumericEquals", OP_NUMERIC_EQUALS, false},
	{"NumericNotEquals", OP_NUMERIC_NOT_EQUALS, true},
	{"NumericLessThan", OP_NUMERIC_LT, false},
	{"NumericLessThanEquals", OP_NUMERIC_LE, false},
	{"NumericGreaterThan", OP_NUMERIC_GT, false},
	{"NumericGreaterThanEquals", OP_NUMERIC_GE, false},
	{"DateEquals", OP_DATE_EQUALS, false},
	{"DateNotEquals", OP_DATE_NOT_EQUALS, true},
	{"DateLessThan", OP_DATE_LT, false},
	{"DateLessThanEquals", OP_DATE_LE, false},
	{"DateGreaterThan", OP_DATE_GT, false},
	{"DateGreaterThanEquals", OP_DATE_GE, false},
	{"Bool", OP_BOOL, false},
	{"BinaryEquals", OP_BINARY_EQUALS, false},
	{"IpAddress", OP_IP_ADDRESS, false},
	{"NotIpAddress", OP_NOT_IP_ADDRESS, true},
	{"ArnEquals", OP_ARN_EQUALS, false},
	{"ArnLike", OP_ARN_LIKE, false},
	{"ArnNotEquals", OP_ARN_NOT_EQUALS, true},
	{"ArnNotLike", OP_ARN_NOT_LIKE, true},
	{"Null", OP_NULL, false},
};

const char *iam_op_name(enum iam_op op)
{
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (ops[i].op == op)
			return ops[i].name;
	return "?";
}

/* Multivalued global and service keys rampart knows (ForAllValues/ForAnyValue belong on these). */
static const char *multivalued_keys[] = {
	"aws:tagkeys", "aws:principalorgpaths", "aws:calledvia", "aws:principalservicenameslist",
	"aws:sourcevpcarn", "dynamodb:attributes", "dynamodb:leadingkeys", "kms:encryptioncontextkeys",
	"kms:grantoperations", "s3:resourceaccount", "sts:transitivetagkeys", "iam:organizationspolicyid",
	"iam:associatedresourcearn", "ec2:resourcetag", "rds:dbclustertag",
};

static bool key_is_multivalued(const char *key)
{
	for (size_t i = 0; i < sizeof multivalued_keys / sizeof *multivalued_keys; i++)
		if (!strcmp(key, multivalued_keys[i]))
			return true;
	return false;
}

static char *lower_dup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

/* Keys that are the same but for case are an error in IAM (E46). */
static void check_case_duplicates(const struct node *m, struct diags *d)
{
	if (!m || m->kind != NODE_MAP)
		return;
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = i + 1; j < m->n; j++) {
			const struct node *a = m->pairs[i].key, *b = m->pairs[j].key;
			if (a->len == b->len && strcasecmp(a->str, b->str) == 0 && strcmp(a->str, b->str))
				diag_error(d, b->pos, "duplicate keys with different case: '%s' and '%s'", a->str, b->str);
		}
}

/* A string or a list of strings; scalars of other kinds are taken as text. */
static const char **string_list(const struct node *n, size_t *count, bool lower, const char *what,
				struct arena *a, struct diags *d)
{
	*count = 0;
	if (!n)
		return NULL;
	size_t cap = n->kind == NODE_SEQ ? n->n : 1;
	const char **out = arena_array(a, cap ? cap : 1, sizeof *out);
	const struct node *const *items = n->kind == NODE_SEQ ? (const struct node *const *)n->items : &n;
	size_t nitems = n->kind == NODE_SEQ ? n->n : 1;
	for (size_t i = 0; i < nitems; i++) {
		const struct node *it = items[i];
		if (!node_is_scalar(it) || it->kind == NODE_NULL) {
			diag_error(d, it->pos, "%s must be a string or a list of strings, not a %s", what,
				   node_kind_name(it->kind));
			continue;
		}
		out[(*count)++] = lower ? lower_dup(a, it->str, it->len) : arena_strndup(a, it->str, it->len);
	}
	if (n->kind == NODE_SEQ && n->n == 0)
		diag_warn(d, n->pos, "%s is an empty list: the statement matches nothing", what);
	return out;
}

static bool parse_operator(const char *text, struct iam_condition *c)
{
	const char *p = text;
	c->quant = Q_SINGLE;
	if (!strncasecmp(p, "ForAllValues:", 13)) {
		c->quant = Q_FOR_ALL;
		p += 13;
	} else if (!strncasecmp(p, "ForAnyValue:", 12)) {
		c->quant = Q_FOR_ANY;
		p += 12;
	}
	size_t n = strlen(p);
	c->if_exists = n > 8 && !strcmp(p + n - 8, "IfExists");
	if (c->if_exists)
		n -= 8;
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (strlen(ops[i].name) == n && !strncmp(ops[i].name, p, n)) {
			c->op = ops[i].op;
			c->negated = ops[i].negated;
			return true;
		}
	return false;
}

static bool op_is_like(enum iam_op op)
{
	return op == OP_STRING_LIKE || op == OP_STRING_NOT_LIKE || op == OP_ARN_LIKE || op == OP_ARN_NOT_LIKE ||
	       op == OP_ARN_EQUALS || op == OP_ARN_NOT_EQUALS;
}

/* Precompute what evaluation would otherwise redo per request (policy.h). */
static void compile_condition(struct iam_condition *c, struct arena *a)
{
	c->key_len = strlen(c->key);
	c->derived = !strcmp(c->key, "aws:principalarn")       ? DK_PRINCIPAL_ARN
		     : !strcmp(c->key, "aws:principalaccount") ? DK_PRINCIPAL_ACCOUNT
		     : !strcmp(c->key, "aws:principaltype")    ? DK_PRINCIPAL_TYPE
		     : !strcmp(c->key, "aws:username")         ? DK_USERNAME
							       : DK_NONE;
	struct iam_cvalue *cv = arena_array(a, c->nvalues ? c->nvalues : 1, sizeof *cv);
	for (size_t k = 0; k < c->nvalues; k++) {
		const char *v = c->values[k];
		struct iam_cvalue *x = &cv[k];
		memset(x, 0, sizeof *x);
		if (strstr(v, "${"))
			x->flags |= CV_VARIABLE;
		if (strchr(v, '\\'))
			x->flags |= CV_ESCAPE;
		bool ok = false;
		switch (c->op) {
		case OP_NUMERIC_EQUALS: case OP_NUMERIC_NOT_EQUALS: case OP_NUMERIC_LT:
		case OP_NUMERIC_LE: case OP_NUMERIC_GT: case OP_NUMERIC_GE:
			ok = iam_parse_number(v, &x->num);
			break;
		case OP_DATE_EQUALS: case OP_DATE_NOT_EQUALS: case OP_DATE_LT:
		case OP_DATE_LE: case OP_DATE_GT: case OP_DATE_GE:
			ok = iam_parse_date(v, &x->num);
			break;
		case OP_IP_ADDRESS: case OP_NOT_IP_ADDRESS:
			ok = cidr_parse(v, strlen(v), 0, &x->net, NULL) == CIDR_OK;
			break;
		case OP_NULL:
			if (!strcasecmp(v, "true"))
				x->flags |= CV_TRUE;
			break;
		default:
			break;
		}
		if (ok)
			x->flags |= CV_PARSED;
	}
	c->cv = cv;
}

static size_t parse_conditions(const struct node *cn, struct iam_statement *st, struct arena *a, struct diags *d)
{
	if (cn->kind != NODE_MAP) {
		diag_error(d, cn->pos, "Condition must be a map of operators");
		return 0;
	}
	check_case_duplicates(cn, d);
	size_t total = 0;
	for (size_t i = 0; i < cn->n; i++)
		total += cn->pairs[i].value->kind == NODE_MAP ? cn->pairs[i].value->n : 0;
	st->conds = arena_array(a, total ? total : 1, sizeof *st->conds);
	size_t bad = 0;
	for (size_t i = 0; i < cn->n; i++) {
		const struct node *opk = cn->pairs[i].key, *body = cn->pairs[i].value;
		struct iam_condition proto = {0};
		if (!parse_operator(opk->str, &proto)) {
			diag_error(d, opk->pos, "unknown condition operator '%s'", opk->str);
			bad++;
			continue;
		}
		if (proto.op == OP_NULL && proto.if_exists) {
			diag_error(d, opk->pos, "Null cannot be used with IfExists");
			bad++;
			continue;
		}
		if (body->kind != NODE_MAP) {
			diag_error(d, body->pos, "the %s block must map condition keys to values", opk->str);
			bad++;
			continue;
		}
		check_case_duplicates(body, d);
		for (size_t j = 0; j < body->n; j++) {
			struct iam_condition *c = &st->conds[st->nconds];
			*c = proto;
			c->pos = body->pairs[j].key->pos;
			c->key = lower_dup(a, body->pairs[j].key->str, body->pairs[j].key->len);
			c->key_written = arena_strndup(a, body->pairs[j].key->str, body->pairs[j].key->len);
			c->values = string_list(body->pairs[j].value, &c->nvalues, false, "a condition value", a, d);
			compile_condition(c, a);
			if (c->quant == Q_FOR_ALL && !key_is_multivalued(c->key) &&
			    (!strncmp(c->key, "aws:", 4) || !strncmp(c->key, "sts:", 4)) &&
			    strncmp(c->key, "aws:requesttag/", 15))
				diag_warn(d, c->pos, "ForAllValues with the single-valued key '%s' is true when the key is absent", c->key);
			/* Values the operator cannot read: Access Analyzer's "type mismatch",
			 * and variables where they are not allowed (E28, E37-E40). */
			for (size_t k = 0; k < c->nvalues; k++) {
				const char *v = c->values[k];
				double num;
				struct cidr net;
				enum cidr_status ip = CIDR_OK;
				const char *want = NULL;
				if (c->op >= OP_NUMERIC_EQUALS && c->op <= OP_NUMERIC_GE && !iam_parse_number(v, &num))
					want = "a number";
				else if (c->op >= OP_DATE_EQUALS && c->op <= OP_DATE_GE && !iam_parse_date(v, &num))
					want = "a date (ISO 8601 or epoch seconds)";
				else if ((c->op == OP_IP_ADDRESS || c->op == OP_NOT_IP_ADDRESS) &&
					 (ip = cidr_parse(v, strlen(v), 0, &net, NULL)) != CIDR_OK)
					want = "an IP address or CIDR block";
				else if (c->op == OP_BOOL && strcasecmp(v, "true") && strcasecmp(v, "false") && !strstr(v, "${"))
					want = "\"true\" or \"false\"";
				if (want)
					diag_error(d, c->pos, "%s takes %s, not '%s'%s%s", iam_op_name(c->op), want, v,
						   ip != CIDR_OK ? ": " : "", ip != CIDR_OK ? cidr_status_text(ip) : "");
			}
			if (c->op == OP_NULL) {
				for (size_t k = 0; k < c->nvalues; k++)
					if (strcasecmp(c->values[k], "true") && strcasecmp(c->values[k], "false"))
						diag_error(d, c->pos, "Null takes \"true\" or \"false\", not '%s'", c->values[k]);
			} else if (!op_is_like(c->op) && c->op <= OP_STRING_NOT_EQUALS_IC) {
				for (size_t k = 0; k < c->nvalues; k++)
					if (strpbrk(c->values[k], "*?") && !strstr(c->values[k], "${"))
						diag_warn(d, c->pos, "wildcard in %s is a literal character: use a Like operator",
							  iam_op_name(c->op));
			}
			st->nconds++;
		}
	}
	return bad;
}

static void parse_principal(const struct node *pn, struct iam_statement *st, struct arena *a, struct diags *d)
{
	if (node_is_scalar(pn)) {
		if (pn->kind != NODE_STRING || strcmp(pn->str, "*"))
			diag_error(d, pn->pos, "a Principal string must be \"*\"");
		st->principals = arena_alloc(a, sizeof *st->principals);
		st->principals[0].type = "*";
		st->principals[0].id = "*";
		st->principals[0].t = PT_STAR;
		st->nprincipals = 1;
		return;
	}
	if (pn->kind != NODE_MAP) {
		diag_error(d, pn->pos, "Principal must be \"*\" or a map");
		return;
	}
	size_t total = 0;
	for (size_t i = 0; i < pn->n; i++)
		total += pn->pairs[i].value->kind == NODE_SEQ ? pn->pairs[i].value->n : 1;
	st->principals = arena_array(a, total ? total : 1, sizeof *st->principals);
	for (size_t i = 0; i < pn->n; i++) {
		const char *type = pn->pairs[i].key->str;
		if (strcmp(type, "AWS") && strcmp(type, "Service") && strcmp(type, "Federated") &&
		    strcmp(type, "CanonicalUser"))
			diag_error(d, pn->pairs[i].key->pos, "unknown principal type '%s'", type);
		size_t n;
		const char **ids = string_list(pn->pairs[i].value, &n, false, "a principal", a, d);
		for (size_t k = 0; k < n; k++) {
			const char *id = ids[k];
			if (strchr(id, '*') && strcmp(id, "*"))
				diag_error(d, pn->pairs[i].value->pos, "a principal cannot use a partial wildcard: '%s' (E14)", id);
			st->principals[st->nprincipals].type = arena_strdup(a, type);
			st->principals[st->nprincipals].id = id;
			st->principals[st->nprincipals].t = !strcmp(type, "AWS") ? (!strcmp(id, "*") ? PT_STAR : PT_AWS)
							    : !strcmp(type, "Service")   ? PT_SERVICE
							    : !strcmp(type, "Federated") ? PT_FEDERATED
											 : PT_OTHER;
			if (!strcmp(type, "AWS")) {
				struct iam_principal_info *info = arena_alloc(a, sizeof *info);
				iam_principal_parse(id, info);
				st->principals[st->nprincipals].info = info;
			}
			st->nprincipals++;
		}
	}
}

static void compile_resource(const char *r, struct iam_resource_pattern *rp)
{
	memset(rp, 0, sizeof *rp);
	rp->variable = strstr(r, "${") != NULL;
	rp->escape = strchr(r, '\\') != NULL;
	rp->star = r[0] == '*' && r[1] == '\0';
	size_t n = strlen(r);
	if (n > 65535)
		return;
	size_t at = 0;
	for (int i = 0; i < 6; i++) {
		const char *c = i < 5 ? memchr(r + at, ':', n - at) : NULL;
		if (i < 5 && !c)
			return;
		size_t end = c ? (size_t)(c - r) : n;
		rp->off[i] = (unsigned short)at;
		rp->len[i] = (unsigned short)(end - at);
		if (memchr(r + at, '*', end - at) || memchr(r + at, '?', end - at) || memchr(r + at, '\\', end - at))
			rp->wild |= (unsigned char)(1u << i);
		at = end + 1;
	}
	/* The service field is always literal (E21). */
	while (rp->lit_fields < 5 && (rp->lit_fields == 2 || !(rp->wild & (1u << rp->lit_fields)))) {
		rp->lit_len = (unsigned short)(rp->off[rp->lit_fields] + rp->len[rp->lit_fields] + 1);
		rp->lit_fields++;
	}
	rp->arn = true;
}

static bool parse_statement(const struct node *sn, int index, struct iam_policy *p, struct arena *a,
			    struct diags *d)
{
	struct iam_statement *st = &p->st[p->n];
	memset(st, 0, sizeof *st);
	st->index = index;
	st->pos = sn->pos;
	if (sn->kind != NODE_MAP) {
		diag_error(d, sn->pos, "a statement must be a map, not a %s", node_kind_name(sn->kind));
		return false;
	}
	check_case_duplicates(sn, d);
	static const char *known[] = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
				      "Principal", "NotPrincipal", "Condition"};
	for (size_t i = 0; i < sn->n; i++) {
		bool ok = false;
		for (size_t k = 0; k < sizeof known / sizeof *known; k++)
			ok |= !strcmp(sn->pairs[i].key->str, known[k]);
		if (!ok)
			diag_error(d, sn->pairs[i].key->pos, "unknown statement element '%s'", sn->pairs[i].key->str);
	}
	const struct node *sid = node_get(sn, "Sid");
	if (sid && node_is_scalar(sid))
		st->sid = arena_strndup(a, sid->str, sid->len);
	const char *eff = node_str(node_get(sn, "Effect"));
	if (!eff) {
		diag_error(d, sn->pos, "statement has no Effect");
		return false;
	}
	if (!strcmp(eff, "Allow"))
		st->effect = IAM_ALLOW;
	else if (!strcmp(eff, "Deny"))
		st->effect = IAM_DENY;
	else {
		diag_error(d, node_get(sn, "Effect")->pos, "Effect must be Allow or Deny, not '%s'", eff);
		return false;
	}
	if (p->kind == IAM_RCP && st->effect != IAM_DENY) {
		/* RCPFullAWSAccess supplies the Allow; customer RCPs only deny. */
		diag_error(d, node_get(sn, "Effect")->pos, "Effect must be Deny in a resource control policy");
		return false;
	}
	const struct node *act = node_get(sn, "Action"), *nact = node_get(sn, "NotAction");
	if (p->kind == IAM_RCP && (nact || !act)) {
		diag_error(d, sn->pos, "a resource control policy statement needs Action (NotAction is not allowed)");
		return false;
	}
	if ((act != NULL) == (nact != NULL)) {
		diag_error(d, sn->pos, act ? "a statement cannot have both Action and NotAction"
					   : "statement has neither Action nor NotAction");
		return false;
	}
	st->not_action = nact != NULL;
	st->actions = string_list(act ? act : nact, &st->nactions, true, "Action", a, d);
	size_t *alen = arena_array(a, st->nactions ? st->nactions : 1, sizeof *alen);
	size_t *alit = arena_array(a, st->nactions ? st->nactions : 1, sizeof *alit);
	st->first_chars = 0;
	for (size_t i = 0; i < st->nactions; i++) {
		alen[i] = strlen(st->actions[i]);
		alit[i] = strcspn(st->actions[i], "*?\\");
		st->first_chars |= alit[i] ? 1ull << (st->actions[i][0] & 63) : ~0ull;
	}
	st->action_len = alen;
	st->action_lit = alit;
	for (size_t i = 0; i < st->nactions; i++) {
		const char *x = st->actions[i];
		if (p->kind == IAM_RCP && !strcmp(x, "*"))
			diag_error(d, act->pos, "Action cannot be \"*\" in a resource control policy");
		const char *colon = strchr(x, ':');
		if (strcmp(x, "*") && !colon)
			diag_error(d, (act ? act : nact)->pos, "action '%s' has no service prefix", x);
		else if (colon && !memchr(x, '*', (size_t)(colon - x)) && !memchr(x, '?', (size_t)(colon - x)) &&
			 !iam_service_known(x, (size_t)(colon - x)))
			diag_warn(d, (act ? act : nact)->pos, "unknown service prefix in '%s' (IAM catalogue %s)", x,
				  iam_catalogue_version);
		else if (colon && !strpbrk(x, "*?") && !iam_action_find(x))
			diag_warn(d, (act ? act : nact)->pos, "unknown action '%s' (IAM catalogue %s)", x, iam_catalogue_version);
	}
	const struct node *res = node_get(sn, "Resource"), *nres = node_get(sn, "NotResource");
	if (res && nres) {
		diag_error(d, sn->pos, "a statement cannot have both Resource and NotResource");
		return false;
	}
	if (res || nres) {
		st->has_resource = true;
		st->not_resource = nres != NULL;
		st->resources = string_list(res ? res : nres, &st->nresources, false, "Resource", a, d);
		struct iam_resource_pattern *rp = arena_array(a, st->nresources ? st->nresources : 1, sizeof *rp);
		for (size_t i = 0; i < st->nresources; i++)
			compile_resource(st->resources[i], &rp[i]);
		st->rpat = rp;
		for (size_t i = 0; i < st->nresources; i++) {
			const char *r = st->resources[i];
			if (strcmp(r, "*") && strncmp(r, "arn:", 4))
				diag_error(d, (res ? res : nres)->pos, "resource '%s' is neither \"*\" nor an ARN", r);
			else if (!strncmp(r, "arn:", 4) && strstr(r, "${")) {
				/* Variables only in the resource part, after the fifth colon (E24). */
				const char *q = r;
				for (int colons = 0; *q && colons < 5; q++)
					colons += *q == ':';
				const char *var = strstr(r, "${");
				if (var < q)
					diag_error(d, (res ? res : nres)->pos,
						   "resource '%s': a policy variable may stand only in the resource part of an ARN (E24)", r);
			} else if (!strncmp(r, "arn:", 4)) {
				int colons = 0;
				for (const char *q = r; *q && colons < 5; q++)
					colons += *q == ':';
				if (colons < 5)
					diag_error(d, (res ? res : nres)->pos, "resource '%s' is not a valid ARN (too few fields)", r);
				/* No wildcard in the service segment (E21). */
				const char *c1 = strchr(r + 4, ':');
				const char *svc = c1 ? c1 + 1 : NULL;
				const char *c2 = svc ? strchr(svc, ':') : NULL;
				if (svc && c2 && memchr(svc, '*', (size_t)(c2 - svc)))
					diag_error(d, (res ? res : nres)->pos, "resource '%s': no wildcard is allowed in the service", r);
			}
		}
	} else if (p->kind == IAM_IDENTITY || p->kind == IAM_BOUNDARY || p->kind == IAM_SESSION) {
		diag_error(d, sn->pos, "statement has no Resource");
		return false;
	}
	const struct node *pr = node_get(sn, "Principal"), *npr = node_get(sn, "NotPrincipal");
	if (pr && npr) {
		diag_error(d, sn->pos, "a statement cannot have both Principal and NotPrincipal");
		return false;
	}
	if (pr || npr) {
		if (p->kind == IAM_IDENTITY || p->kind == IAM_BOUNDARY || p->kind == IAM_SESSION || p->kind == IAM_SCP) {
			diag_error(d, (pr ? pr : npr)->pos, "%s is not allowed in an identity policy (E13)",
				   pr ? "Principal" : "NotPrincipal");
			return false;
		}
		if (npr && p->kind == IAM_TRUST) {
			diag_error(d, npr->pos, "NotPrincipal is not allowed in a role trust policy (E16)");
			return false;
		}
		if (npr && st->effect == IAM_ALLOW)
			diag_warn(d, npr->pos, "Allow with NotPrincipal grants everyone else, anonymous users included");
		st->has_principal = true;
		st->not_principal = npr != NULL;
		parse_principal(pr ? pr : npr, st, a, d);
	} else if (p->kind == IAM_RESOURCE || p->kind == IAM_TRUST || p->kind == IAM_KMS_KEY) {
		diag_error(d, sn->pos, "a resource policy statement needs a Principal");
		return false;
	}
	const struct node *cond = node_get(sn, "Condition");
	if (cond && parse_conditions(cond, st, a, d))
		return false; /* an unknown operator: AWS rejects the policy; we drop the statement */
	p->n++;
	return true;
}

struct iam_policy *iam_policy_parse(const struct node *doc, const char *name, enum iam_policy_kind kind,
				    struct arena *a, struct diags *d)
{
	if (!doc || doc->kind != NODE_MAP) {
		struct pos p = doc ? doc->pos : (struct pos){name, 0, 0};
		diag_error(d, p, "a policy document must be a map with a Statement");
		return NULL;
	}
	check_case_duplicates(doc, d);
	const struct node *stn = node_get(doc, "Statement");
	if (!stn) {
		diag_error(d, doc->pos, "policy has no Statement");
		return NULL;
	}
	struct iam_policy *p = arena_alloc(a, sizeof *p);
	p->name = arena_strdup(a, name);
	p->kind = kind;
	p->pos = doc->pos;
	const struct node *ver = node_get(doc, "Version");
	const char *vs = node_str(ver);
	if (!ver)
		diag_warn(d, doc->pos, "policy has no Version: policy variables are literal text (E26)");
	else if (!vs || (strcmp(vs, "2012-10-17") && strcmp(vs, "2008-10-17")))
		diag_error(d, ver->pos, "Version must be \"2012-10-17\" (or \"2008-10-17\")");
	p->variables = vs && !strcmp(vs, "2012-10-17");
	size_t n = stn->kind == NODE_SEQ ? stn->n : 1;
	p->st = arena_array(a, n ? n : 1, sizeof *p->st);
	if (stn->kind == NODE_SEQ) {
		for (size_t i = 0; i < stn->n; i++)
			parse_statement(stn->items[i], (int)i, p, a, d);
	} else {
		parse_statement(stn, 0, p, a, d);
	}
	return p;
}

struct iam_policy *iam_policy_load(const char *path, enum iam_policy_kind kind, struct arena *a,
				   struct diags *d)
{
	struct node *root = load_file(path, a, d);
	if (!root)
		return NULL;
	return iam_policy_parse(root, path, kind, a, d);
}

void iam_condition_text(struct strbuf *t, const struct iam_condition *c)
{
	if (c->quant == Q_FOR_ALL)
		sb_puts(t, "ForAllValues:");
	else if (c->quant == Q_FOR_ANY)
		sb_puts(t, "ForAnyValue:");
	sb_printf(t, "%s%s %s", iam_op_name(c->op), c->if_exists ? "IfExists" : "", c->key_written ? c->key_written : c->key);
	for (size_t i = 0; i < c->nvalues; i++)
		sb_printf(t, "%s%s", i ? ", " : " ", c->values[i]);
}
