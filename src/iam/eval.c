/*
 * eval.c - evaluating a request against a policy set (eval.h).
 *
 * Matching follows the reference rules named in comments (E-numbers of
 * shared/reference/iam-evaluation.md).  Nothing here allocates: variable
 * expansion uses bounded stack buffers, and a value that does not fit is
 * treated as not matching (never as matching).
 */
#include "iam/eval.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define EXPAND_MAX 4096

/* ---- wildcards ---- */

static int fold(int c, bool ic)
{
	return ic ? tolower(c) : c;
}

bool iam_wildcard_match(const char *p, const char *s, bool ic)
{
	/* Iterative glob with one backtrack point: linear for one '*', and
	 * O(n*m) at worst, never exponential. */
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*p == '\\' && p[1]) {
			if (fold((unsigned char)p[1], ic) == fold((unsigned char)*s, ic)) {
				p += 2;
				s++;
				continue;
			}
		} else if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		} else if (*p == '?' || (*p && fold((unsigned char)*p, ic) == fold((unsigned char)*s, ic))) {
			p++;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* Split an ARN into its first five colon-separated fields and the rest. */
static int arn_split(const char *arn, const char *seg[6], size_t len[6])
{
	const char *p = arn;
	for (int i = 0; i < 5; i++) {
		const char *c = strchr(p, ':');
		if (!c)
			return -1;
		seg[i] = p;
		len[i] = (size_t)(c - p);
		p = c + 1;
	}
	seg[5] = p;
	len[5] = strlen(p);
	return 0;
}

static bool segment_match(const char *pat, size_t plen, const char *s, size_t slen)
{
	char pb[EXPAND_MAX], sb[EXPAND_MAX];
	if (plen >= sizeof pb || slen >= sizeof sb)
		return false;
	memcpy(pb, pat, plen);
	pb[plen] = '\0';
	memcpy(sb, s, slen);
	sb[slen] = '\0';
	return iam_wildcard_match(pb, sb, false);
}

bool iam_arn_match(const char *pattern, const char *arn)
{
	if (!strcmp(pattern, "*"))
		return true;
	const char *ps[6], *as[6];
	size_t pl[6], al[6];
	if (arn_split(arn, as, al))
		return iam_wildcard_match(pattern, arn, false); /* not an ARN: plain wildcard match */
	if (arn_split(pattern, ps, pl))
		return false; /* an ARN pattern with missing fields matches no ARN */
	for (int i = 0; i < 6; i++) {
		/* No wildcard in the service field (E21): compare literally. */
		if (i == 2) {
			if (pl[i] != al[i] || memcmp(ps[i], as[i], pl[i]))
				return false;
			continue;
		}
		if (!segment_match(ps[i], pl[i], as[i], al[i]))
			return false;
	}
	return true;
}

/* ---- the request's principal ---- */

enum pkind { P_USER, P_ROLE, P_SESSION, P_ROOT, P_FEDERATED, P_SERVICE, P_ANON, P_OTHER };

struct principal {
	enum pkind kind;
	const char *arn;
	char account[32];
	char role_name[256]; /* sessions and roles */
	char role_arn[512];  /* for sessions: arn:aws:iam::A:role/NAME (path unknown) */
};

static void principal_parse(const char *s, struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->arn = s ? s : "anonymous";
	p->kind = P_OTHER;
	if (!s || !strcmp(s, "anonymous") || !strcmp(s, "*")) {
		p->kind = P_ANON;
		return;
	}
	if (strncmp(s, "arn:", 4)) {
		if (strchr(s, '.'))
			p->kind = P_SERVICE;
		else if (strlen(s) == 12) {
			p->kind = P_ROOT;
			snprintf(p->account, sizeof p->account, "%s", s);
		}
		return;
	}
	const char *seg[6];
	size_t len[6];
	if (arn_split(s, seg, len))
		return;
	if (len[4] < sizeof p->account) {
		memcpy(p->account, seg[4], len[4]);
		p->account[len[4]] = '\0';
	}
	const char *res = seg[5];
	if (len[2] == 3 && !memcmp(seg[2], "iam", 3)) {
		if (!strcmp(res, "root"))
			p->kind = P_ROOT;
		else if (!strncmp(res, "user/", 5))
			p->kind = P_USER;
		else if (!strncmp(res, "role/", 5)) {
			p->kind = P_ROLE;
			const char *name = strrchr(res, '/') + 1;
			snprintf(p->role_name, sizeof p->role_name, "%s", name);
			snprintf(p->role_arn, sizeof p->role_arn, "%s", s);
		}
	} else if (len[2] == 3 && !memcmp(seg[2], "sts", 3)) {
		if (!strncmp(res, "assumed-role/", 13)) {
			p->kind = P_SESSION;
			const char *name = res + 13, *slash = strchr(name, '/');
			size_t n = slash ? (size_t)(slash - name) : strlen(name);
			if (n < sizeof p->role_name) {
				memcpy(p->role_name, name, n);
				p->role_name[n] = '\0';
			}
			snprintf(p->role_arn, sizeof p->role_arn, "arn:%.*s:iam::%s:role/%s", (int)len[1], seg[1],
				 p->account, p->role_name);
		} else if (!strncmp(res, "federated-user/", 15))
			p->kind = P_FEDERATED;
	}
}

/* ---- context ---- */

struct ctx {
	const struct iam_request *req;
	const struct principal *pr;
	struct iam_result *res;
	/* Derived single values for keys the request did not give. */
	const char *derived_principal_arn;
	const char *derived_type;
	char derived_username[256];
};

static const struct iam_context_entry *ctx_find(const struct ctx *c, const char *key)
{
	for (size_t i = 0; i < c->req->ncontext; i++)
		if (!strcasecmp(c->req->context[i].key, key))
			return &c->req->context[i];
	return NULL;
}

/* Values of a key: from the request, else derived from the principal. */
static size_t ctx_values(const struct ctx *c, const char *key, const char *const **out, const char *tmp[1])
{
	const struct iam_context_entry *e = ctx_find(c, key);
	if (e) {
		*out = e->values;
		return e->nvalues;
	}
	const char *v = NULL;
	if (!strcasecmp(key, "aws:principalarn"))
		v = c->derived_principal_arn;
	else if (!strcasecmp(key, "aws:principalaccount"))
		v = c->pr->account[0] ? c->pr->account : NULL;
	else if (!strcasecmp(key, "aws:principaltype"))
		v = c->derived_type;
	else if (!strcasecmp(key, "aws:username"))
		v = c->derived_username[0] ? c->derived_username : NULL;
	if (!v)
		return (size_t)-1; /* absent */
	tmp[0] = v;
	*out = tmp;
	return 1;
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

static bool parse_number(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

static bool parse_date(const char *s, double *out)
{
	if (parse_number(s, out))
		return true;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!e) {
		memset(&tm, 0, sizeof tm);
		e = strptime(s, "%Y-%m-%d", &tm);
		if (!e)
			return false;
	}
	double frac = 0;
	if (*e == '.') {
		char *end;
		frac = strtod(e, &end);
		e = end;
	}
	long off = 0;
	if (*e == 'Z')
		e++;
	else if (*e == '+' || *e == '-') {
		int hh = 0, mm = 0;
		if (sscanf(e + 1, "%2d:%2d", &hh, &mm) < 1)
			return false;
		off = (hh * 3600L + mm * 60L) * (*e == '-' ? -1 : 1);
		e += strlen(e);
	}
	if (*e)
		return false;
	*out = (double)timegm(&tm) - (double)off + frac;
	return true;
}

static bool ip_in_cidr(const char *ip, const char *cidr)
{
	char net[64];
	const char *slash = strchr(cidr, '/');
	size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
	if (n >= sizeof net)
		return false;
	memcpy(net, cidr, n);
	net[n] = '\0';
	unsigned char a[16], b[16];
	int fam = strchr(net, ':') ? AF_INET6 : AF_INET;
	if ((strchr(ip, ':') ? AF_INET6 : AF_INET) != fam)
		return false;
	if (inet_pton(fam, net, a) != 1 || inet_pton(fam, ip, b) != 1)
		return false;
	int bits = fam == AF_INET ? 32 : 128;
	int prefix = slash ? atoi(slash + 1) : bits;
	if (prefix < 0 || prefix > bits)
		return false;
	for (int i = 0; i < prefix; i++) {
		int byte = i / 8, bit = 7 - i % 8;
		if (((a[byte] >> bit) & 1) != ((b[byte] >> bit) & 1))
			return false;
	}
	return true;
}

/* Does one request value match one policy value under op (sign ignored)? */
static bool value_match(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd,
			const char *pv, const char *rv)
{
	char buf[EXPAND_MAX];
	double x, y;
	switch (cd->op) {
	case OP_STRING_EQUALS:
	case OP_STRING_NOT_EQUALS:
		if (expand(c, pv, pol->variables, false, buf, sizeof buf) != 1)
			return false;
		return !strcmp(buf, rv);
	case OP_STRING_EQUALS_IC:
	case OP_STRING_NOT_EQUALS_IC:
		/* ASCII lower(), not Unicode case folding (E36). */
		if (expand(c, pv, pol->variables, false, buf, sizeof buf) != 1)
			return false;
		return !strcasecmp(buf, rv);
	case OP_STRING_LIKE:
	case OP_STRING_NOT_LIKE:
		if (expand(c, pv, pol->variables, true, buf, sizeof buf) != 1)
			return false;
		return iam_wildcard_match(buf, rv, false);
	case OP_ARN_EQUALS:
	case OP_ARN_LIKE:
	case OP_ARN_NOT_EQUALS:
	case OP_ARN_NOT_LIKE:
		if (expand(c, pv, pol->variables, true, buf, sizeof buf) != 1)
			return false;
		return iam_arn_match(buf, rv);
	case OP_NUMERIC_EQUALS:
	case OP_NUMERIC_NOT_EQUALS:
	case OP_NUMERIC_LT:
	case OP_NUMERIC_LE:
	case OP_NUMERIC_GT:
	case OP_NUMERIC_GE:
		if (!parse_number(pv, &x) || !parse_number(rv, &y))
			return false;
		switch (cd->op) {
		case OP_NUMERIC_LT: return y < x;
		case OP_NUMERIC_LE: return y <= x;
		case OP_NUMERIC_GT: return y > x;
		case OP_NUMERIC_GE: return y >= x;
		default: return y == x;
		}
	case OP_DATE_EQUALS:
	case OP_DATE_NOT_EQUALS:
	case OP_DATE_LT:
	case OP_DATE_LE:
	case OP_DATE_GT:
	case OP_DATE_GE:
		if (!parse_date(pv, &x) || !parse_date(rv, &y))
			return false;
		switch (cd->op) {
		case OP_DATE_LT: return y < x;
		case OP_DATE_LE: return y <= x;
		case OP_DATE_GT: return y > x;
		case OP_DATE_GE: return y >= x;
		default: return y == x;
		}
	case OP_BOOL:
		/* Variables are not expanded in Bool (E28: we follow the
		 * condition-variables page, which says they are not supported). */
		return !strcasecmp(pv, rv);
	case OP_BINARY_EQUALS:
		return !strcmp(pv, rv);
	case OP_IP_ADDRESS:
	case OP_NOT_IP_ADDRESS:
		return ip_in_cidr(rv, pv);
	case OP_NULL:
		return false;
	}
	return false;
}

/* Does a request value satisfy the operator against all policy values (OR, or NOR if negated, E32)? */
static bool request_value_ok(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd,
			     const char *rv)
{
	bool any = false;
	for (size_t i = 0; i < cd->nvalues && !any; i++)
		any = value_match(c, pol, cd, cd->values[i], rv);
	return cd->negated ? !any : any;
}

static bool condition_holds(struct ctx *c, const struct iam_policy *pol, const struct iam_condition *cd)
{
	const char *const *vals;
	const char *tmp[1];
	size_t nv = ctx_values(c, cd->key, &vals, tmp);
	bool absent = nv == (size_t)-1;
	if (cd->op == OP_NULL) {
		/* "true": the key is absent; "false": present (E35). Values OR. */
		if (absent)
			note_missing(c, cd->key);
		for (size_t i = 0; i < cd->nvalues; i++) {
			bool want_absent = !strcasecmp(cd->values[i], "true");
			if (want_absent == absent)
				return true;
		}
		return false;
	}
	if (absent || (nv == 0 && cd->quant != Q_SINGLE)) {
		if (absent)
			note_missing(c, cd->key);
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

static bool action_matches(const struct iam_statement *st, const char *action)
{
	bool any = false;
	for (size_t i = 0; i < st->nactions && !any; i++)
		any = iam_wildcard_match(st->actions[i], action, true); /* E17, E18 */
	return st->not_action ? !any : any;                          /* E19, E20 */
}

static bool resource_matches(struct ctx *c, const struct iam_policy *pol, const struct iam_statement *st)
{
	if (!st->has_resource)
		return true;
	const char *res = c->req->resource;
	bool any = false;
	char buf[EXPAND_MAX];
	for (size_t i = 0; i < st->nresources && !any; i++) {
		int e = expand(c, st->resources[i], pol->variables, true, buf, sizeof buf);
		if (e != 1)
			continue; /* E25: a variable without value matches nothing */
		if (!strcmp(res, "*"))
			any = !strcmp(buf, "*");
		else
			any = iam_arn_match(buf, res); /* E21, E22 */
	}
	return st->not_resource ? !any : any; /* E23 */
}

enum grant { G_NONE, G_ACCOUNT, G_ROLE, G_DIRECT };

/* How a principal entry names the request's principal (E6). */
static enum grant principal_entry(const struct principal *p, const struct iam_principal *e)
{
	if (!strcmp(e->type, "*") || (!strcmp(e->type, "AWS") && !strcmp(e->id, "*")))
		return G_DIRECT; /* everyone, anonymous included (E13) */
	if (!strcmp(e->type, "Service"))
		return p->kind == P_SERVICE && !strcasecmp(p->arn, e->id) ? G_DIRECT : G_NONE;
	if (!strcmp(e->type, "Federated"))
		return !strcmp(p->arn, e->id) ? G_DIRECT : G_NONE;
	if (strcmp(e->type, "AWS") || p->kind == P_ANON || p->kind == P_SERVICE)
		return G_NONE;
	const char *id = e->id;
	size_t idl = strlen(id);
	if (idl == 12 && strspn(id, "0123456789") == 12)
		return !strcmp(p->account, id) ? G_ACCOUNT : G_NONE;
	struct principal q;
	principal_parse(id, &q);
	switch (q.kind) {
	case P_ROOT:
		return !strcmp(p->account, q.account) ? G_ACCOUNT : G_NONE;
	case P_ROLE:
		if (p->kind == P_ROLE && !strcmp(p->arn, id))
			return G_ROLE;
		if (p->kind == P_SESSION && !strcmp(p->account, q.account) && !strcmp(p->role_name, q.role_name))
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

static enum grant principal_matches(const struct principal *p, const struct iam_statement *st)
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
	bool self = false, account = false;
	for (size_t i = 0; i < st->nprincipals; i++) {
		enum grant g = principal_entry(p, &st->principals[i]);
		if (g == G_ACCOUNT)
			account = true;
		else if (g == G_DIRECT && strcmp(st->principals[i].id, "*"))
			self = true;
		else if (g == G_ROLE)
			self = true;
	}
	bool excluded = (p->kind == P_ROOT) ? account : (self && account);
	if (p->kind == P_SERVICE)
		excluded = self;
	return excluded ? G_NONE : G_DIRECT;
}

static bool conditions_hold(struct ctx *c, const struct iam_policy *pol, const struct iam_statement *st)
{
	for (size_t i = 0; i < st->nconds; i++)
		if (!condition_holds(c, pol, &st->conds[i]))
			return false; /* E32: AND across operators and keys */
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
		if (!action_matches(st, c->req->action) || !resource_matches(c, pol, st))
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

static bool level_allows(struct ctx *c, const struct iam_level *lv, bool *deny)
{
	bool allow = false;
	for (size_t i = 0; i < lv->n; i++)
		allow |= eval_policy(c, lv->policies[i], deny) != G_NONE;
	return allow;
}

static void resource_account(const struct iam_request *req, const struct principal *p, char *out, size_t size)
{
	if (req->resource_account) {
		snprintf(out, size, "%s", req->resource_account);
		return;
	}
	const char *seg[6];
	size_t len[6];
	if (req->resource && !arn_split(req->resource, seg, len) && len[4] > 0 && len[4] < size) {
		memcpy(out, seg[4], len[4]);
		out[len[4]] = '\0';
		return;
	}
	snprintf(out, size, "%s", p->account);
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
	memset(res, 0, sizeof *res);
	struct principal pr;
	principal_parse(req->principal, &pr);
	struct ctx c = {req, &pr, res, NULL, NULL, {0}};
	switch (pr.kind) {
	case P_USER:
		c.derived_type = "User";
		snprintf(c.derived_username, sizeof c.derived_username, "%s", strrchr(pr.arn, '/') + 1);
		c.derived_principal_arn = pr.arn;
		break;
	case P_SESSION:
		c.derived_type = "AssumedRole";
		c.derived_principal_arn = pr.role_arn; /* aws:PrincipalArn is the role's ARN */
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
	bool scp_ok = true, rcp_ok = true;
	/* SCPs limit principals of member accounts, not services or anonymous callers (E4). */
	bool scp_applies = pr.kind != P_SERVICE && pr.kind != P_ANON;
	for (size_t i = 0; i < set->nscp && scp_applies; i++)
		scp_ok &= level_allows(&c, &set->scp[i], &deny);
	for (size_t i = 0; i < set->nrcp; i++)
		rcp_ok &= level_allows(&c, &set->rcp[i], &deny);

	if (deny) {
		res->decision = IAM_EXPLICIT_DENY;
		res->reason = "an explicit Deny matches";
		return;
	}
	if (!rcp_ok) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = "a resource control policy level has no Allow (E3)";
		return;
	}
	if (!scp_ok) {
		res->decision = IAM_IMPLICIT_DENY;
		res->reason = "a service control policy level has no Allow (E4)";
		return;
	}
	/* A federated-user session without a session policy has no permissions (E9). */
	if (pr.kind == P_FEDERATED && !set->session)
		session_allow = false;

	char racct[32];
	resource_account(req, &pr, racct, sizeof racct);
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
