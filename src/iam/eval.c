/*
 * eval.c - evaluating a request against a policy set (eval.h).
 *
 * Matching follows the reference rules named in comments (E-numbers of
 * shared/reference/iam-evaluation.md).  Nothing here allocates: variable
 * expansion uses bounded stack buffers, and a value that does not fit is
 * treated as not matching (never as matching).
 */
#include "iam/eval.h"
#include "core/cidr.h"
#include "iam/condval.h"
#include "iam/principal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define EXPAND_MAX 4096

/* ---- wildcards ---- */

static inline int fold(int c, bool ic)
{
	return ic && c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * Glob match of p[0..pn) against s[0..sn): '*' any run, '?' one character,
 * '\\' escapes the next.  Iterative with one backtrack point: O(n*m) at
 * worst, never exponential, and no copies (segments are matched in place).
 */
static bool wild_match_n(const char *p, size_t pn, const char *s, size_t sn, bool ic)
{
	if (pn == 1 && p[0] == '*')
		return true; /* the commonest pattern: a whole field or name */
	/* The literal head, compared before any backtracking is possible. */
	size_t k = 0;
	while (k < pn && k < sn && p[k] != '*' && p[k] != '?' && p[k] != '\\') {
		if (fold((unsigned char)p[k], ic) != fold((unsigned char)s[k], ic))
			return false;
		k++;
	}
	if (k == pn)
		return k == sn;
	if (p[k] == '*' && k + 1 == pn)
		return true; /* "prefix*": the prefix matched */
	p += k;
	pn -= k;
	s += k;
	sn -= k;
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
	while (si < sn) {
		if (pi < pn) {
			char c = p[pi];
			if (c == '\\' && pi + 1 < pn) {
				if (fold((unsigned char)p[pi + 1], ic) == fold((unsigned char)s[si], ic)) {
					pi += 2;
					si++;
					continue;
				}
			} else if (c == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			} else if (c == '?' || fold((unsigned char)c, ic) == fold((unsigned char)s[si], ic)) {
				pi++;
				si++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

bool iam_wildcard_match(const char *p, const char *s, bool ic)
{
	return wild_match_n(p, strlen(p), s, strlen(s), ic);
}

/* An ARN's first five colon-separated fields and the rest, in place. */
struct arn_parts {
	const char *seg[6];
	size_t len[6];
};

/* Match an ARN pattern against an already split ARN (E21, E41). */
static bool arn_match_parts(const char *pattern, const struct arn_parts *a)
{
	if (pattern[0] == '*' && pattern[1] == '\0')
		return true;
	const char *p = pattern;
	for (int i = 0; i < 6; i++) {
		const char *c = i < 5 ? strchr(p, ':') : NULL;
		size_t pl;
		if (i < 5) {
			if (!c)
				return false; /* an ARN pattern with missing fields matches no ARN */
			pl = (size_t)(c - p);
		} else {
			pl = strlen(p);
		}
		if (i == 2) {
			/* No wildcard in the service field (E21): compare literally. */
			if (pl != a->len[i] || memcmp(p, a->seg[i], pl))
				return false;
		} else if (!wild_match_n(p, pl, a->seg[i], a->len[i], false)) {
			return false;
		}
		if (c)
			p = c + 1;
	}
	return true;
}

bool iam_arn_match(const char *pattern, const char *arn)
{
	if (!strcmp(pattern, "*"))
		return true;
	struct arn_parts a;
	if (iam_arn_fields(arn, a.seg, a.len))
		return iam_wildcard_match(pattern, arn, false); /* not an ARN: plain wildcard match */
	return arn_match_parts(pattern, &a);
}

/* ---- context ---- */

/* Requests with at most this many context keys get their key lengths
 * measured (on first use) so a lookup compares names of equal length only. */
#define CTX_INDEX_MAX 64

struct ctx {
	const struct iam_request *req;
	char action[256];          /* the request's action, lower-cased (E17) */
	size_t action_len;
	struct arn_parts rparts;   /* the request's resource, split once */
	bool res_is_arn;
	bool res_star;             /* the request's resource is "*" */
	const struct iam_principal_info *pr;
	struct iam_result *res;
	/* Derived single values for keys the request did not give. */
	const char *derived_principal_arn;
	const char *derived_type;
	char derived_username[256];
	char session_role_arn[512]; /* a session's aws:PrincipalArn, built when first asked */
	bool indexed;              /* key_len holds the lengths of the request's keys */
	size_t key_len[CTX_INDEX_MAX];
};

/* The request's entry for a key (first of equal names), or NULL (E44). */
static const struct iam_context_entry *ctx_find(struct ctx *c, const char *key, size_t len)
{
	const struct iam_request *rq = c->req;
	if (rq->ncontext > CTX_INDEX_MAX) {
		for (size_t i = 0; i < rq->ncontext; i++)
			if (!strcasecmp(rq->context[i].key, key))
				return &rq->context[i];
		return NULL;
	}
	if (!c->indexed) {
		for (size_t i = 0; i < rq->ncontext; i++)
			c->key_len[i] = strlen(rq->context[i].key);
		c->indexed = true;
	}
	for (size_t i = 0; i < rq->ncontext; i++)
		if (c->key_len[i] == len && !strcasecmp(rq->context[i].key, key))
			return &rq->context[i];
	return NULL;
}

/* Values of a key: from the request, else derived from the principal. */
static size_t ctx_lookup(struct ctx *c, const char *key, size_t len, enum iam_derived_key dk,
			 const char *const **out, const char *tmp[1])
{
	const struct iam_context_entry *e = ctx_find(c, key, len);
	if (e) {
		*out = e->values;
		return e->nvalues;
	}
	const char *v = NULL;
	switch (dk) {
	case DK_PRINCIPAL_ARN:
		if (c->pr->kind == P_SESSION && !c->session_role_arn[0])
			iam_principal_role_arn(c->pr, c->session_role_arn, sizeof c->session_role_arn);
		v = c->pr->kind == P_SESSION ? c->session_role_arn : c->derived_principal_arn;
		break;
	case DK_PRINCIPAL_ACCOUNT: v = c->pr->account[0] ? c->pr->account : NULL; break;
	case DK_PRINCIPAL_TYPE: v = c->derived_type; break;
	case DK_USERNAME: v = c->derived_username[0] ? c->derived_username : NULL; break;
	case DK_NONE: break;
	}
	if (!v)
		return (size_t)-1; /* absent */
	tmp[0] = v;
	*out = tmp;
	return 1;
}

/* The same for a key named at evaluation time (a policy variable). */
static size_t ctx_values(struct ctx *c, const char *key, const char *const **out, const char *tmp[1])
{
	size_t len = strlen(key);
	enum iam_derived_key dk = !strcasecmp(key, "aws:principalarn")       ? DK_PRINCIPAL_ARN
				  : !strcasecmp(key, "aws:principalaccount") ? DK_PRINCIPAL_ACCOUNT
				  : !strcasecmp(key, "aws:principaltype")    ? DK_PRINCIPAL_TYPE
				  : !strcasecmp(key, "aws:username")         ? DK_USERNAME
									     : DK_NONE;
	return ctx_lookup(c, key, len, dk, out, tmp);
}

/* The same for a condition's key, compiled at parse time. */
static size_t cond_values(struct ctx *c, const struct iam_condition *cd, const char *const **out, const char *tmp[1])
{
	return ctx_lookup(c, cd->key, cd->key_len, (enum iam_derived_key)cd->derived, out, tmp);
}

static void note_missing(struct ctx *c, const char *key)
{
	struct iam_result *r = c->res;
	for (size_t i = 0; i < r->nmissing; i++)
		if (!strcasecmp(r->missing[i], key))
			return;
	if (r->nmissing < IAM_MAX_MISSING)
		r->missing[r->nmissing++] = key;
}

/*
 * Expand policy variables in text into out (E24-E30).  Literal text keeps
 * its wildcards; substituted values are escaped so they match literally.
 * Returns 1 when expanded, 0 when a variable has no value and no default
 * (the entry then matches nothing: E25, E31), -1 when it does not fit.
 */
static int expand(struct ctx *c, const char *text, bool variables, bool escape, char *out, size_t size)
{
	size_t o = 0;
#define PUT(ch)                               \
	do {                                  \
		if (o + 1 >= size)            \
			return -1;            \
		out[o++] = (ch);              \
	} while (0)
	for (const char *p = text; *p;) {
		if (variables && p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			if (end) {
				const char *in = p + 2;
				size_t n = (size_t)(end - in);
				if (n == 1 && (*in == '*' || *in == '?' || *in == '$')) {
					if (escape && *in != '$')
						PUT('\\');
					PUT(*in);
					p = end + 1;
					continue;
				}
				char key[256], def[512];
				const char *comma = memchr(in, ',', n);
				size_t kl = comma ? (size_t)(comma - in) : n;
				while (kl && in[kl - 1] == ' ')
					kl--;
				if (kl >= sizeof key)
					return -1;
				memcpy(key, in, kl);
				key[kl] = '\0';
				bool has_def = false;
				if (comma) {
					const char *q1 = memchr(comma, '\'', (size_t)(end - comma));
					const char *q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(end - q1 - 1)) : NULL;
					if (q1 && q2 && (size_t)(q2 - q1 - 1) < sizeof def) {
						memcpy(def, q1 + 1, (size_t)(q2 - q1 - 1));
						def[q2 - q1 - 1] = '\0';
						has_def = true;
					}
				}
				const char *const *vals;
				const char *tmp[1];
				size_t nv = ctx_values(c, key, &vals, tmp);
				const char *v = NULL;
				if (nv != (size_t)-1 && nv == 1)
					v = vals[0];
				else if (has_def)
					v = def;
				if (!v) {
					note_missing(c, c->req->context ? key : key);
					return 0;
				}
				for (const char *q = v; *q; q++) {
					if (escape && (*q == '*' || *q == '?' || *q == '\\'))
						PUT('\\');
					PUT(*q);
				}
				p = end + 1;
				continue;
			}
		}
		if (escape && *p == '\\')
			PUT('\\');
		PUT(*p);
		p++;
	}
	out[o] = '\0';
	return 1;
#undef PUT
}

/* ---- conditions ---- */

/* Does one request value match one policy value under op (sign ignored)? */
/*
 * Policy value pv with variables expanded into buf; pv itself when it has
 * nothing to expand (the common case: no copy).  NULL when a variable has
 * no value (the value then matches nothing: E31).
 */
static const char *policy_value(struct ctx *c, const struct iam_policy *pol, const char *pv,
				const struct iam_cvalue *cv, bool like, char *buf, size_t size)
{
	if (!(pol->variables && (cv->flags & CV_VARIABLE)) && !(cv->flags & CV_ESCAPE))
		return pv;
	return expand(c, pv, pol->variables, like, buf, size) == 1 ? buf : NULL;
}

/* Does a request value match one policy value under a string, ARN, Bool or Binary operator (sign ignored)? */
static bool value_match(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd, size_t k,
			const char *rv)
{
	char buf[EXPAND_MAX];
	const char *pv = cd->values[k], *v;
	const struct iam_cvalue *cv = &cd->cv[k];
	switch (cd->op) {
	case OP_STRING_EQUALS:
	case OP_STRING_NOT_EQUALS:
		v = policy_value(c, pol, pv, cv, false, buf, sizeof buf);
		return v && !strcmp(v, rv);
	case OP_STRING_EQUALS_IC:
	case OP_STRING_NOT_EQUALS_IC:
		/* ASCII lower(), not Unicode case folding (E36). */
		v = policy_value(c, pol, pv, cv, false, buf, sizeof buf);
		return v && !strcasecmp(v, rv);
	case OP_STRING_LIKE:
	case OP_STRING_NOT_LIKE:
		v = policy_value(c, pol, pv, cv, true, buf, sizeof buf);
		return v && iam_wildcard_match(v, rv, false);
	case OP_ARN_EQUALS:
	case OP_ARN_LIKE:
	case OP_ARN_NOT_EQUALS:
	case OP_ARN_NOT_LIKE:
		v = policy_value(c, pol, pv, cv, true, buf, sizeof buf);
		return v && iam_arn_match(v, rv);
	case OP_BOOL:
		/* Variables are not expanded in Bool (E28: we follow the
		 * condition-variables page, which says they are not supported). */
		return !strcasecmp(pv, rv);
	case OP_BINARY_EQUALS:
		return !strcmp(pv, rv);
	default:
		return false; /* typed operators: see request_value_ok */
	}
}

static bool compare(enum iam_op op, double y, double x)
{
	switch (op) {
	case OP_NUMERIC_LT: case OP_DATE_LT: return y < x;
	case OP_NUMERIC_LE: case OP_DATE_LE: return y <= x;
	case OP_NUMERIC_GT: case OP_DATE_GT: return y > x;
	case OP_NUMERIC_GE: case OP_DATE_GE: return y >= x;
	default: return y == x;
	}
}

/*
 * Does a request value satisfy the operator against all policy values (OR,
 * or NOR if negated, E32)?  Typed values (numbers E37, dates E38, CIDRs
 * E40) were read at parse time; the request value is read once here.  A
 * value of either side that does not read matches nothing.
 */
static bool request_value_ok(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd,
			     const char *rv)
{
	bool any = false;
	double y;
	struct cidr addr;
	switch (cd->op) {
	case OP_NUMERIC_EQUALS: case OP_NUMERIC_NOT_EQUALS: case OP_NUMERIC_LT:
	case OP_NUMERIC_LE: case OP_NUMERIC_GT: case OP_NUMERIC_GE:
	case OP_DATE_EQUALS: case OP_DATE_NOT_EQUALS: case OP_DATE_LT:
	case OP_DATE_LE: case OP_DATE_GT: case OP_DATE_GE:
		if (cd->op >= OP_DATE_EQUALS ? iam_parse_date(rv, &y) : iam_parse_number(rv, &y))
			for (size_t i = 0; i < cd->nvalues && !any; i++)
				any = (cd->cv[i].flags & CV_PARSED) && compare(cd->op, y, cd->cv[i].num);
		break;
	case OP_IP_ADDRESS:
	case OP_NOT_IP_ADDRESS:
		/* A block that does not read (an error at load) or a request value
		 * that is no address never widens the match: IpAddress gains
		 * nothing from it and NotIpAddress does not hold. */
		if (cidr_parse_addr(rv, strlen(rv), &addr) != CIDR_OK)
			return false;
		for (size_t i = 0; i < cd->nvalues && !any; i++)
			any = cd->cv[i].flags & CV_PARSED ? cidr_contains(&cd->cv[i].net, &addr) : cd->negated;
		break;
	case OP_NULL:
		break;
	default:
		for (size_t i = 0; i < cd->nvalues && !any; i++)
			any = value_match(c, pol, cd, i, rv);
		break;
	}
	return cd->negated ? !any : any;
}

static bool condition_holds(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd)
{
	const char *const *vals;
	const char *tmp[1];
	size_t nv = cond_values(c, cd, &vals, tmp);
	bool absent = nv == (size_t)-1;
	if (cd->op == OP_NULL) {
		/* "true": the key is absent; "false": present (E35). Values OR. */
		if (absent)
			note_missing(c, cd->key_written ? cd->key_written : cd->key);
		for (size_t i = 0; i < cd->nvalues; i++) {
			bool want_absent = (cd->cv[i].flags & CV_TRUE) != 0;
			if (want_absent == absent)
				return true;
		}
		return false;
	}
	if (absent || (nv == 0 && cd->quant != Q_SINGLE)) {
		if (absent)
			note_missing(c, cd->key_written ? cd->key_written : cd->key);
		if (cd->if_exists && absent)
			return true; /* E34 */
		if (cd->quant == Q_FOR_ALL)
			return true; /* E42: vacuously true on an absent or empty set */
		if (cd->quant == Q_FOR_ANY)
			return false;
		return cd->negated; /* E33 */
	}
	if (cd->quant == Q_FOR_ALL) {
		for (size_t i = 0; i < nv; i++)
			if (!request_value_ok(c, pol, cd, vals[i]))
				return false;
		return true;
	}
	if (cd->quant == Q_FOR_ANY) {
		for (size_t i = 0; i < nv; i++)
			if (request_value_ok(c, pol, cd, vals[i]))
				return true;
		return false;
	}
	/* A single-valued operator given several request values: every value must pass. */
	for (size_t i = 0; i < nv; i++)
		if (!request_value_ok(c, pol, cd, vals[i]))
			return false;
	return true;
}

/* ---- statements ---- */

static bool action_matches(const struct ctx *c, const struct iam_statement *st)
{
	size_t an = c->action_len;
	bool any = false;
	if (!(st->first_chars & (1ull << (c->action[0] & 63))))
		return st->not_action; /* no pattern can match: none starts with this character or a wildcard */
	for (size_t i = 0; i < st->nactions && !any; i++) {
		size_t lit = st->action_lit[i], pl = st->action_len[i];
		if (lit > an || memcmp(st->actions[i], c->action, lit))
			continue; /* the literal prefix differs */
		if (lit == pl)
			any = lit == an; /* no wildcard: exact */
		else
			any = wild_match_n(st->actions[i] + lit, pl - lit, c->action + lit, an - lit, false); /* E17, E18 */
	}
	return st->not_action ? !any : any;                                                 /* E19, E20 */
}

static bool resource_entry_matches(struct ctx *c, const char *pattern)
{
	const char *res = c->req->resource;
	if (c->res_star)
		return !strcmp(pattern, "*");
	if (c->res_is_arn)
		return arn_match_parts(pattern, &c->rparts); /* E21, E22 */
	return iam_wildcard_match(pattern, res, false);
}

/* A compiled ARN pattern against the split request ARN: literal fields by memcmp. */
static bool compiled_arn_match(const char *pat, const struct iam_resource_pattern *rp, const struct arn_parts *a)
{
	/* The leading literal fields and their colons in one comparison: the
	 * request's fields lie contiguously in its ARN string. */
	size_t rl = (size_t)(a->seg[5] - a->seg[0]) + a->len[5];
	if (rp->lit_len > rl || memcmp(pat, a->seg[0], rp->lit_len))
		return false;
	for (int i = rp->lit_fields; i < 6; i++) {
		const char *p = pat + rp->off[i];
		size_t pl = rp->len[i];
		if (i == 2 || !(rp->wild & (1u << i))) {
			if (pl != a->len[i] || memcmp(p, a->seg[i], pl))
				return false; /* literal field; the service field is always literal (E21) */
		} else if (!wild_match_n(p, pl, a->seg[i], a->len[i], false)) {
			return false;
		}
	}
	return true;
}

static bool resource_matches(struct ctx *c, const struct iam_policy *pol, const struct iam_statement *st)
{
	if (!st->has_resource)
		return true;
	bool any = false;
	char buf[EXPAND_MAX];
	for (size_t i = 0; i < st->nresources && !any; i++) {
		const char *pat = st->resources[i];
		const struct iam_resource_pattern *rp = &st->rpat[i];
		if (rp->star) {
			any = true; /* "*" matches every resource, ARN or not */
			continue;
		}
		if (rp->arn && !(pol->variables && rp->variable) && c->res_is_arn) {
			any = compiled_arn_match(pat, rp, &c->rparts);
			continue;
		}
		if ((pol->variables && rp->variable) || rp->escape) {
			if (expand(c, pat, pol->variables, true, buf, sizeof buf) != 1)
				continue; /* E25: a variable without value matches nothing */
			pat = buf;
		}
		any = resource_entry_matches(c, pat);
	}
	return st->not_resource ? !any : any; /* E23 */
}

/*
 * How a resource-policy Allow names the caller, weakest first (E6):
 * through its account (the identity policy must allow too), through its
 * role (limited by the boundary and the session policy), through a
 * wildcard (for a role session: limited by the session policy only, as the
 * reference simulator does; AWS's pages are silent), or by its own ARN.
 */
enum grant { G_NONE, G_ACCOUNT, G_ROLE, G_WILDCARD, G_DIRECT };

/* How a principal entry names the request's principal (E6). */
static enum grant principal_entry(const struct iam_principal_info *p, const struct iam_principal *e)
{
	if (e->t == PT_STAR) {
		/* Everyone, anonymous included (E13).  For a role session the
		 * wildcard does not name the session ARN, so, like a grant to
		 * the role, it stays within the boundary and session policy (E6). */
		return p->kind == P_SESSION ? G_WILDCARD : G_DIRECT;
	}
	if (e->t == PT_SERVICE)
		return p->kind == P_SERVICE && !strcasecmp(p->arn, e->id) ? G_DIRECT : G_NONE;
	if (e->t == PT_FEDERATED)
		return !strcmp(p->arn, e->id) ? G_DIRECT : G_NONE;
	if (e->t != PT_AWS || p->kind == P_ANON || p->kind == P_SERVICE)
		return G_NONE;
	const char *id = e->id;
	size_t idl = strlen(id);
	if (idl == 12 && strspn(id, "0123456789") == 12)
		return !strcmp(p->account, id) ? G_ACCOUNT : G_NONE;
	const struct iam_principal_info *qp = e->info, *q = qp;
	struct iam_principal_info tmp;
	if (!q) {
		iam_principal_parse(id, &tmp);
		q = &tmp;
	}
	switch (q->kind) {
	case P_ROOT:
		return !strcmp(p->account, q->account) ? G_ACCOUNT : G_NONE;
	case P_ROLE:
		if (p->kind == P_ROLE && !strcmp(p->arn, id))
			return G_ROLE;
		if (p->kind == P_SESSION && !strcmp(p->account, q->account) && !strcmp(p->role_name, q->role_name))
			return G_ROLE;
		return G_NONE;
	case P_USER:
	case P_SESSION:
	case P_FEDERATED:
		return !strcmp(p->arn, id) ? G_DIRECT : G_NONE; /* case-sensitive (E14) */
	default:
		return G_NONE;
	}
}

static enum grant principal_matches(const struct iam_principal_info *p, const struct iam_statement *st)
{
	if (!st->has_principal)
		return G_DIRECT;
	enum grant best = G_NONE;
	if (!st->not_principal) {
		for (size_t i = 0; i < st->nprincipals; i++) {
			enum grant g = principal_entry(p, &st->principals[i]);
			if (g > best)
				best = g;
		}
		return best;
	}
	/* NotPrincipal: the principal is excluded only when the list names it
	 * and its account (AWS may check account, role and session: E16). */
	/* A role session is excluded only by its own session ARN: the role's
	 * ARN names a different principal (AWS's NotPrincipal page lists the
	 * account, the role and the assumed-role session). */
	bool self = false, account = false;
	for (size_t i = 0; i < st->nprincipals; i++) {
		const struct iam_principal *e = &st->principals[i];
		if (!strcmp(e->id, "*"))
			continue;
		enum grant g = principal_entry(p, e);
		if (g == G_ACCOUNT)
			account = true;
		else if (g == G_DIRECT || (g == G_ROLE && p->kind == P_ROLE))
			self = true;
	}
	bool excluded = (p->kind == P_ROOT) ? account : (self && account);
	if (p->kind == P_SERVICE)
		excluded = self;
	return excluded ? G_NONE : G_DIRECT;
}

static bool key_given(struct ctx *c, const struct iam_condition *cd)
{
	const char *const *vals;
	const char *tmp[1];
	return cond_values(c, cd, &vals, tmp) != (size_t)-1;
}

static bool conditions_hold(struct ctx *c, const struct iam_policy *pol, const struct iam_statement *st)
{
	const struct iam_condition *assumed[IAM_MAX_MISSING];
	size_t nassumed = 0;
	for (size_t i = 0; i < st->nconds; i++) {
		const struct iam_condition *cd = &st->conds[i];
		if (condition_holds(c, pol, cd))
			continue;
		/* Discovery: an Allow's condition on an unknown key may hold. */
		if (c->req->discover && st->effect == IAM_ALLOW && !key_given(c, cd) && nassumed < IAM_MAX_MISSING) {
			assumed[nassumed++] = cd;
			continue;
		}
		return false; /* E32: AND across operators and keys */
	}
	for (size_t i = 0; i < nassumed && c->res->nassumed < IAM_MAX_MISSING; i++) {
		bool dup = false;
		for (size_t k = 0; k < c->res->nassumed; k++)
			dup |= c->res->assumed[k] == assumed[i];
		if (!dup)
			c->res->assumed[c->res->nassumed++] = assumed[i];
	}
	return true;
}

static void note_match(struct ctx *c, const struct iam_policy *pol, const struct iam_statement *st)
{
	struct iam_result *r = c->res;
	if (r->nmatched < IAM_MAX_MATCHED) {
		r->matched[r->nmatched].policy = pol;
		r->matched[r->nmatched].st = st;
		r->nmatched++;
	}
}

/* Evaluate one policy: sets *deny if a Deny matches, returns the best Allow grant. */
static enum grant eval_policy(struct ctx *c, const struct iam_policy *pol, bool *deny)
{
	enum grant best = G_NONE;
	if (!pol)
		return G_NONE;
	for (size_t i = 0; i < pol->n; i++) {
		const struct iam_statement *st = &pol->st[i];
		if (!action_matches(c, st) || !resource_matches(c, pol, st))
			continue;
		enum grant g = principal_matches(c->pr, st);
		if (g == G_NONE)
			continue;
		if (!conditions_hold(c, pol, st))
			continue;
		note_match(c, pol, st);
		if (st->effect == IAM_DENY)
			*deny = true;
		else if (g > best)
			best = g;
	}
	return best;
}

/* RCPFullAWSAccess is attached at every level and cannot be detached (E3):
 * an RCP level always allows, and only its Denies count. */
static void rcp_level(struct ctx *c, const struct iam_level *lv, bool *deny)
{
	for (size_t i = 0; i < lv->n; i++)
		eval_policy(c, lv->policies[i], deny);
}

static bool level_allows(struct ctx *c, const struct iam_level *lv, bool *deny)
{
	bool allow = false;
	for (size_t i = 0; i < lv->n; i++)
		allow |= eval_policy(c, lv->policies[i], deny) != G_NONE;
	return allow;
}

static void resource_account(const struct ctx *c, const struct iam_request *req, const struct iam_principal_info *p,
			     char *out, size_t size)
{
	if (req->resource_account) {
		size_t at = 0;
		iam_put(out, size, &at, req->resource_account, strlen(req->resource_account));
		return;
	}
	const struct arn_parts *a = &c->rparts;
	if (c->res_is_arn && a->len[4] > 0 && a->len[4] < size) {
		memcpy(out, a->seg[4], a->len[4]);
		out[a->len[4]] = '\0';
		return;
	}
	size_t at = 0;
	iam_put(out, size, &at, p->account, strlen(p->account));
}

const char *iam_decision_name(enum iam_decision d)
{
	switch (d) {
	case IAM_ALLOWED: return "allowed";
	case IAM_EXPLICIT_DENY: return "explicitDeny";
	case IAM_IMPLICIT_DENY: return "implicitDeny";
	}
	return "?";
}

void iam_evaluate(const struct iam_policy_set *set, const struct iam_request *req, struct iam_result *res)
{
	/* Only the counts and scalars: the arrays are read up to their counts. */
	res->decision = IAM_IMPLICIT_DENY;
	res->reason = NULL;
	res->nmatched = res->nmissing = res->nassumed = 0;
	struct iam_principal_info pr;
	iam_principal_parse(req->principal, &pr);
	struct ctx c;
	c.req = req;
	c.pr = &pr;
	c.res = res;
	c.derived_principal_arn = NULL;
	c.derived_type = NULL;
	c.derived_username[0] = '\0';
	c.session_role_arn[0] = '\0';
	c.indexed = false;
	size_t al = strlen(req->action);
	if (al >= sizeof c.action)
		al = sizeof c.action - 1;
	for (size_t i = 0; i < al; i++)
		c.action[i] = (char)fold((unsigned char)req->action[i], true);
	c.action[al] = '\0';
	c.action_len = al;
	c.res_star = req->resource && req->resource[0] == '*' && req->resource[1] == '\0';
	c.res_is_arn = req->resource && !c.res_star && !iam_arn_fields(req->resource, c.rparts.seg, c.rparts.len);
	switch (pr.kind) {
	case P_USER:
		c.derived_type = "User";
		{
			size_t at = 0;
			const char *u = strrchr(pr.arn, '/') + 1;
			iam_put(c.derived_username, sizeof c.derived_username, &at, u, strlen(u));
		}
		c.derived_principal_arn = pr.arn;
		break;
	case P_SESSION:
		c.derived_type = "AssumedRole";
		c.derived_principal_arn = NULL; /* aws:PrincipalArn is the role's ARN: see ctx_lookup */
		break;
	case P_ROLE: c.derived_type = "AssumedRole"; c.derived_principal_arn = pr.arn; break;
	case P_ROOT: c.derived_type = "Account"; c.derived_principal_arn = pr.arn; break;
	case P_FEDERATED: c.derived_type = "FederatedUser"; c.derived_principal_arn = pr.arn; break;
	case P_ANON: c.derived_type = "Anonymous"; break;
	default: break;
	}

	bool deny = false;
	/* Every applicable policy is evaluated first: any Deny wins (E2, E11). */
	bool identity_allow = false;
	for (size_t i = 0; i < set->nidentity; i++)
		identity_allow |= eval_policy(&c, set->identity[i], &deny) != G_NONE;
	enum grant res_grant = eval_policy(&c, set->resource, &deny);
	bool boundary_allow = set->boundary ? eval_policy(&c, set->boundary, &deny) != G_NONE : true;
	bool session_allow = set->session ? eval_policy(&c, set->session, &deny) != G_NONE : true;
	bool scp_ok = true;
	/* SCPs limit principals of member accounts, not services or anonymous callers (E4). */
	bool scp_applies = pr.kind != P_SERVICE && pr.kind != P_ANON;
	for (size_t i = 0; i < set->nscp && scp_applies; i++)
		scp_ok &= level_allows(&c, &set->scp[i], &deny);
	for (size_t i = 0; i < set->nrcp; i++)
		rcp_level(&c, &set->rcp[i], &deny);
	/* A VPC endpoint policy filters every request through the endpoint: it must Allow (E12). */
	bool vpce_ok = set->vpce ? eval_policy(&c, set->vpce, &deny) != G_NONE : true;

	if (deny) {
		res->decision = IAM_EXPLICIT_DENY;
		res->reason = "an explicit Deny matches";
		return;
	}
	if (!scp_ok) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = "a service control policy level has no Allow (E4)";
		return;
	}
	if (!vpce_ok) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = "the VPC endpoint policy does not allow it (E12)";
		return;
	}
	/* A federated-user session without a session policy has no permissions (E9). */
	if (pr.kind == P_FEDERATED && !set->session)
		session_allow = false;

	char racct[32];
	resource_account(&c, req, &pr, racct, sizeof racct);
	bool cross = pr.account[0] && racct[0] && strcmp(pr.account, racct) != 0;
	bool strict = set->resource && (set->resource->kind == IAM_TRUST || set->resource->kind == IAM_KMS_KEY);
	bool identity_side = identity_allow && boundary_allow && session_allow;

	if (cross) {
		/* Both accounts must allow (E10). */
		if (res_grant == G_NONE) {
			res->decision = IAM_IMPLICIT_DENY;
			res->reason = "cross-account: the resource policy does not allow this principal (E10)";
		} else if (!identity_side) {
			res->decision = IAM_IMPLICIT_DENY;
			res->reason = "cross-account: the caller's own policies do not allow it (E10)";
		} else {
			res->decision = IAM_ALLOWED;
			res->reason = "allowed by both the caller's policies and the resource policy";
		}
		return;
	}
	if (pr.kind == P_ROOT && !strict) {
		res->decision = IAM_ALLOWED; /* E1: the root user, limited only by SCPs/RCPs and Denies */
		res->reason = "the account root user";
		return;
	}
	/* A KMS key always has a key policy, and it must allow (E6): without one, nothing does. */
	if (!set->resource && !strncasecmp(req->action, "kms:", 4) && req->resource && strstr(req->resource, ":key/")) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = "no key policy given: a KMS key policy must allow the caller (E6)";
		return;
	}
	if (strict && res_grant == G_NONE) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = set->resource->kind == IAM_TRUST
				  ? "the role's trust policy does not allow this principal (E6)"
				  : "the key policy does not allow this principal (E6)";
		return;
	}
	if (res_grant == G_DIRECT) {
		res->decision = IAM_ALLOWED;
		res->reason = "the resource policy names this principal (E6)";
		return;
	}
	if (res_grant == G_WILDCARD) {
		res->decision = session_allow ? IAM_ALLOWED : IAM_IMPLICIT_DENY;
		res->reason = session_allow ? "the resource policy allows everyone (Principal \"*\")"
					    : "the resource policy allows everyone, but the session policy does not allow it (E9)";
		return;
	}
	if (res_grant == G_ROLE) {
		bool ok = boundary_allow && session_allow;
		res->decision = ok ? IAM_ALLOWED : IAM_IMPLICIT_DENY;
		res->reason = ok ? "the resource policy names the role (E6)"
				 : "the resource policy names the role, but its boundary or session policy does not allow it (E6)";
		return;
	}
	if (identity_side) {
		res->decision = IAM_ALLOWED;
		res->reason = set->boundary || set->session ? "allowed by identity policies within the boundary/session policy"
							     : "allowed by an identity policy";
		return;
	}
	res->decision = IAM_IMPLICIT_DENY;
	res->reason = !identity_allow ? "no policy allows it (E1, E7)"
		      : !boundary_allow ? "the permissions boundary does not allow it (E8)"
					: "the session policy does not allow it (E9)";
}
