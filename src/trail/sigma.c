/*
 * sigma.c - load Sigma rules (YAML, via src/load) and match them against
 * CloudTrail events.  See sigma.h for what is supported.
 *
 * Values are compiled once into glob patterns: '*' and '?' become the bytes
 * GLOB_STAR and GLOB_ONE (a backslash makes them literal), and the
 * contains/startswith/endswith modifiers just add stars.  Matching is then
 * one case-insensitive glob per value.  Field values come from the event
 * struct for the common fields and from the record text otherwise.
 */
#include "trail/sigma.h"

#include "core/arena.h"
#include "core/cidr.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/walk.h"
#include "core/xalloc.h"
#include "load/load.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GLOB_STAR '\x01'
#define GLOB_ONE '\x02'

enum op { OP_EQ, OP_RE, OP_CIDR, OP_FIELDREF, OP_EXISTS };

struct sval {
	bool is_null;
	const char *pat; /* compiled glob (OP_EQ), field path (OP_FIELDREF) */
	size_t n;
	bool has_wild, only_wild;
	bool contains; /* pat is STAR literal STAR: a substring search */
	pcre2_code *re;
	const char *re_lit; /* text every match of `re` contains, or NULL */
	size_t re_lit_n;
	struct cidr net; /* OP_CIDR */
	bool exists; /* OP_EXISTS */
};

struct sfield {
	const char *path; /* NULL: keyword (whole record) */
	int fast;         /* index in fast_fields, or -1 */
	enum op op;
	bool all, cased;
	struct sval *v;
	size_t nv;
};

struct smap {
	struct sfield *f;
	size_t n;
};

struct ssel {
	const char *name;
	struct smap *alt; /* OR of alternatives; each is an AND of fields */
	size_t nalt;
};

enum cnk { CN_SEL, CN_AND, CN_OR, CN_NOT, CN_ONE, CN_ALL };

struct cnode {
	enum cnk k;
	struct cnode *a, *b;
	size_t *sels;
	size_t nsels;
};

struct sigma_rule {
	const char *id, *title, *author, *file;
	enum severity level;
	struct ssel *sel;
	size_t nsel;
	struct cnode *cond;
};

/* ---- fast field access --------------------------------------------------- */

static const struct {
	const char *path;
	size_t off;
} fast_fields[] = {
    {"eventName", offsetof(struct trail_event, name)},
    {"eventSource", offsetof(struct trail_event, source)},
    {"errorCode", offsetof(struct trail_event, error_code)},
    {"errorMessage", offsetof(struct trail_event, error_message)},
    {"userAgent", offsetof(struct trail_event, agent)},
    {"sourceIPAddress", offsetof(struct trail_event, ip)},
    {"awsRegion", offsetof(struct trail_event, region)},
    {"eventType", offsetof(struct trail_event, event_type)},
    {"eventID", offsetof(struct trail_event, event_id)},
    {"recipientAccountId", offsetof(struct trail_event, recipient)},
    {"userIdentity.type", offsetof(struct trail_event, uid_type)},
    {"userIdentity.arn", offsetof(struct trail_event, uid_arn)},
    {"userIdentity.accountId", offsetof(struct trail_event, uid_account)},
    {"userIdentity.principalId", offsetof(struct trail_event, uid_principal)},
    {"userIdentity.sessionContext.sessionIssuer.type", offsetof(struct trail_event, issuer_type)},
    {"userIdentity.sessionContext.sessionIssuer.arn", offsetof(struct trail_event, issuer_arn)},
    {"additionalEventData.MFAUsed", offsetof(struct trail_event, mfa_used)},
    {"responseElements.ConsoleLogin", offsetof(struct trail_event, console_login)},
};
#define NFAST (sizeof(fast_fields) / sizeof(fast_fields[0]))

static int fast_index(const char *path)
{
	for (size_t i = 0; i < NFAST; i++)
		if (!strcmp(fast_fields[i].path, path))
			return (int)i;
	return -1;
}

/* The value of a field: kind and text. */
static enum tval_kind field_value(const struct trail_event *ev, const char *path, int fast,
				  struct tstr *out, struct strbuf *scratch)
{
	if (fast >= 0) {
		/* the reader fills these from string values only; any other kind
		 * (null, number) is looked up in the record */
		const struct tstr *t =
		    (const struct tstr *)((const char *)ev + fast_fields[fast].off);
		if (t->s) {
			*out = *t;
			return TV_STRING;
		}
	}
	return trail_event_field(ev, path, out, scratch);
}

/* ---- matching ------------------------------------------------------------- */

static bool glob(const char *pat, size_t pn, const char *s, size_t sn, bool cased)
{
	size_t p = 0, i = 0, star = (size_t)-1, mark = 0;
	while (i < sn) {
		if (p < pn && pat[p] != GLOB_STAR &&
		    (pat[p] == GLOB_ONE || pat[p] == s[i] ||
		     (!cased && tolower((unsigned char)pat[p]) == tolower((unsigned char)s[i])))) {
			p++;
			i++;
		} else if (p < pn && pat[p] == GLOB_STAR) {
			star = p++;
			mark = i;
		} else if (star != (size_t)-1) {
			p = star + 1;
			i = ++mark;
		} else
			return false;
	}
	while (p < pn && pat[p] == GLOB_STAR)
		p++;
	return p == pn;
}

static inline unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* memmem() for the short subjects of CloudTrail fields: glibc's two-way
 * search spends more on its set-up than on an ARN of 60 bytes. */
static bool has_literal(struct tstr s, const char *lit, size_t n)
{
	if (n > s.n)
		return false;
	const char *p = s.s, *last = s.s + (s.n - n);
	while (p <= last && (p = memchr(p, lit[0], (size_t)(last - p) + 1))) {
		if (!memcmp(p, lit, n))
			return true;
		p++;
	}
	return false;
}

/* glob() for a '*literal*' pattern: a substring search.  The general glob
 * backtracks at every position with tolower() calls; the SigmaHQ
 * 'userAgent|contains' rules run it on every event (3% of `trail detect`
 * in perf).  Case folding is ASCII, as tolower() in the C locale. */
static bool contains_match(const char *lit, size_t ln, const char *s, size_t sn, bool cased)
{
	if (ln > sn)
		return false;
	if (cased)
		return has_literal((struct tstr){s, sn}, lit, ln);
	/* candidates: the first character in either case, found by memchr
	 * (vectorised) rather than folding every byte */
	unsigned char lo = fold((unsigned char)lit[0]);
	unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
	const char *last = s + (sn - ln);
	const char *pl = memchr(s, lo, (size_t)(last - s) + 1);
	const char *pu = up == lo ? NULL : memchr(s, up, (size_t)(last - s) + 1);
	while (pl || pu) {
		const char *p = !pu || (pl && pl < pu) ? pl : pu;
		size_t k = 1;
		while (k < ln && fold((unsigned char)p[k]) == fold((unsigned char)lit[k]))
			k++;
		if (k == ln)
			return true;
		const char **adv = p == pl ? &pl : &pu;
		*adv = p < last ? memchr(p + 1, *p, (size_t)(last - p)) : NULL;
	}
	return false;
}


static bool cidr_match(const struct sval *v, struct tstr s)
{
	struct cidr a;
	return s.s && cidr_parse_addr(s.s, s.n, &a) == CIDR_OK && cidr_contains(&v->net, &a);
}

static bool str_match(const struct sfield *f, const struct sval *v, struct tstr s)
{
	switch (f->op) {
	case OP_EQ:
		if (v->only_wild && s.n == 0)
			return false;
		if (!v->has_wild)
			return s.n == v->n &&
			       (f->cased ? memcmp(s.s, v->pat, s.n) == 0
					 : strncasecmp(s.s, v->pat, s.n) == 0 &&
					       !memchr(s.s, '\0', s.n));
		if (v->contains)
			return contains_match(v->pat + 1, v->n - 2, s.s, s.n, f->cased);
		return glob(v->pat, v->n, s.s, s.n, f->cased);
	case OP_RE:
		if (!v->re)
			return false;
		if (v->re_lit && !has_literal(s, v->re_lit, v->re_lit_n))
			return false; /* cannot match: spare the regex engine */
		{
			pcre2_match_data *md = pcre2_match_data_create(1, NULL);
			if (!md)
				return false;
			int rc = pcre2_match(v->re, (PCRE2_SPTR)s.s, s.n, 0, 0, md, NULL);
			pcre2_match_data_free(md);
			return rc >= 0;
		}
	case OP_CIDR:
		return cidr_match(v, s);
	default:
		return false;
	}
}

static bool value_match(const struct sfield *f, const struct sval *v, const struct trail_event *ev,
			enum tval_kind kind, struct tstr s)
{
	if (v->is_null)
		return kind == TV_ABSENT || kind == TV_NULL;
	if (f->op == OP_EXISTS)
		return v->exists == (kind != TV_ABSENT);
	if (kind == TV_ABSENT || kind == TV_NULL)
		return false;
	if (f->op == OP_FIELDREF) {
		struct strbuf tmp = STRBUF_INIT;
		struct tstr o;
		enum tval_kind ok = trail_event_field(ev, v->pat, &o, &tmp);
		bool r = ok != TV_ABSENT && ok != TV_NULL && o.n == s.n &&
			 (f->cased ? memcmp(o.s, s.s, s.n) == 0 : strncasecmp(o.s, s.s, s.n) == 0);
		sb_free(&tmp);
		return r;
	}
	if (str_match(f, v, s))
		return true;
	if ((kind == TV_OBJECT || kind == TV_ARRAY) && memchr(s.s, '\\', s.n)) {
		/* nested JSON in strings (policy documents): match the decoded text */
		char *d = xmalloc(s.n + 1);
		size_t n = 0;
		for (size_t i = 0; i < s.n; i++) {
			if (s.s[i] == '\\' && i + 1 < s.n) {
				char c = s.s[++i];
				d[n++] = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			} else
				d[n++] = s.s[i];
		}
		bool r = str_match(f, v, (struct tstr){d, n});
		free(d);
		return r;
	}
	return false;
}

static bool field_match(const struct sfield *f, const struct trail_event *ev, struct strbuf *scratch)
{
	struct tstr s;
	enum tval_kind kind;
	if (!f->path) {
		kind = TV_OBJECT;
		s = (struct tstr){ev->raw, ev->raw_len};
	} else
		kind = field_value(ev, f->path, f->fast, &s, scratch);
	for (size_t i = 0; i < f->nv; i++) {
		bool m = value_match(f, &f->v[i], ev, kind, s);
		if (f->all && !m)
			return false;
		if (!f->all && m)
			return true;
	}
	return f->all && f->nv > 0;
}

static bool sel_match(const struct ssel *sel, const struct trail_event *ev, struct strbuf *scratch)
{
	for (size_t a = 0; a < sel->nalt; a++) {
		const struct smap *m = &sel->alt[a];
		bool all = true;
		for (size_t i = 0; i < m->n && all; i++)
			all = field_match(&m->f[i], ev, scratch);
		if (all)
			return true;
	}
	return false;
}

static bool cond_eval(const struct sigma_rule *r, const struct cnode *c, const struct trail_event *ev,
		      struct strbuf *scratch)
{
	switch (c->k) {
	case CN_SEL:
		return sel_match(&r->sel[c->sels[0]], ev, scratch);
	case CN_AND:
		return cond_eval(r, c->a, ev, scratch) && cond_eval(r, c->b, ev, scratch);
	case CN_OR:
		return cond_eval(r, c->a, ev, scratch) || cond_eval(r, c->b, ev, scratch);
	case CN_NOT:
		return !cond_eval(r, c->a, ev, scratch);
	case CN_ONE:
		for (size_t i = 0; i < c->nsels; i++)
			if (sel_match(&r->sel[c->sels[i]], ev, scratch))
				return true;
		return false;
	case CN_ALL:
		for (size_t i = 0; i < c->nsels; i++)
			if (!sel_match(&r->sel[c->sels[i]], ev, scratch))
				return false;
		return c->nsels > 0;
	}
	return false;
}

bool sigma_match(const struct sigma_rule *r, const struct trail_event *ev, struct strbuf *scratch)
{
	return cond_eval(r, r->cond, ev, scratch);
}

/* ---- the eventName prefilter ---------------------------------------------- */

/* Names an event must have for a part of a rule to match; any = no constraint. */
struct nset {
	const char **v;
	size_t n, cap;
	bool any;
};

static void nset_add(struct arena *a, struct nset *s, const char *name)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		s->v = arena_grow(a, s->v, s->n, nc, sizeof(*s->v));
		s->cap = nc;
	}
	s->v[s->n++] = name;
}

static void nset_union(struct arena *a, struct nset *dst, const struct nset *src)
{
	if (src->any || dst->any) {
		dst->any = true;
		return;
	}
	for (size_t i = 0; i < src->n; i++)
		nset_add(a, dst, src->v[i]);
}

/* The values of `field` (lower-cased) an alternative (an AND of fields)
 * requires, or any. */
static struct nset alt_need(struct arena *a, const struct smap *m, const char *field)
{
	struct nset r = {.any = true};
	for (size_t i = 0; i < m->n; i++) {
		const struct sfield *f = &m->f[i];
		if (!f->path || strcmp(f->path, field) || f->op != OP_EQ || f->all)
			continue;
		bool usable = true;
		for (size_t k = 0; k < f->nv; k++)
			if (f->v[k].is_null || f->v[k].has_wild || f->v[k].n >= 128)
				usable = false;
		if (!usable)
			continue;
		r.any = false;
		for (size_t k = 0; k < f->nv; k++) {
			char *low = arena_strndup(a, f->v[k].pat, f->v[k].n);
			for (char *c = low; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			nset_add(a, &r, low);
		}
		return r;
	}
	return r;
}

static struct nset sel_need(struct arena *a, const struct ssel *s, const char *field)
{
	struct nset r = {0};
	for (size_t i = 0; i < s->nalt; i++) {
		struct nset x = alt_need(a, &s->alt[i], field);
		nset_union(a, &r, &x);
		if (r.any)
			break;
	}
	if (!s->nalt)
		r.any = true;
	return r;
}

static struct nset cond_need(struct arena *a, const struct sigma_rule *r, const struct cnode *c,
			       const char *field)
{
	struct nset x = {0}, y;
	switch (c->k) {
	case CN_SEL:
		return sel_need(a, &r->sel[c->sels[0]], field);
	case CN_AND:
		x = cond_need(a, r, c->a, field);
		y = cond_need(a, r, c->b, field);
		if (x.any)
			return y;
		if (y.any)
			return x;
		return x.n <= y.n ? x : y;
	case CN_OR:
		x = cond_need(a, r, c->a, field);
		y = cond_need(a, r, c->b, field);
		nset_union(a, &x, &y);
		return x;
	case CN_NOT:
		x.any = true;
		return x;
	case CN_ONE:
		for (size_t i = 0; i < c->nsels && !x.any; i++) {
			y = sel_need(a, &r->sel[c->sels[i]], field);
			nset_union(a, &x, &y);
		}
		return x;
	case CN_ALL:
		for (size_t i = 0; i < c->nsels; i++) {
			y = sel_need(a, &r->sel[c->sels[i]], field);
			if (!y.any)
				return y;
		}
		x.any = true;
		return x;
	}
	x.any = true;
	return x;
}

struct rlist {
	const struct sigma_rule **v;
	size_t n, cap;
};

/*
 * A rule that no eventName narrows down runs on every event; most still
 * require one field to be one of a few values (SigmaHQ's "AssumeRole
 * misuse": userIdentity.type AssumedRole; "root account usage": Root; the
 * TruffleHog rule: userAgent).  Testing that one field first, by length and
 * then case-insensitively, is a superset of the rule (a rule's own test may
 * be case-sensitive) and costs a few compares instead of the rule's full
 * evaluation: these rules were most of Sigma's per-event cost.
 */
struct sigma_prefilter {
	size_t off; /* offsetof(struct trail_event, the field) */
	const char **v; /* lower-cased values */
	size_t *len;
	size_t n;
};

/* Fields tried for a prefilter, most selective first. */
static const char *const prefilter_fields[] = {
    "eventSource", "userIdentity.type", "userAgent", "eventType", "errorCode",
    "userIdentity.sessionContext.sessionIssuer.type", "awsRegion", "sourceIPAddress",
};

static const struct sigma_prefilter *prefilter_for(struct arena *a, const struct sigma_rule *r)
{
	for (size_t f = 0; f < sizeof(prefilter_fields) / sizeof(prefilter_fields[0]); f++) {
		int fi = fast_index(prefilter_fields[f]);
		if (fi < 0)
			continue; /* every listed field is a fast one; this keeps it so */
		struct nset need = cond_need(a, r, r->cond, prefilter_fields[f]);
		if (need.any || need.n == 0)
			continue;
		struct sigma_prefilter *p = arena_alloc(a, sizeof(*p));
		p->off = fast_fields[fi].off;
		p->v = need.v;
		p->n = need.n;
		p->len = arena_array(a, need.n, sizeof(*p->len));
		for (size_t k = 0; k < need.n; k++)
			p->len[k] = strlen(need.v[k]);
		return p;
	}
	return NULL;
}

/* Can the event pass the prefilter?  An absent field (or one the reader
 * did not fill because it is not a string) says nothing: the rule runs. */
static bool prefilter_pass(const struct sigma_prefilter *p, const struct trail_event *ev)
{
	const struct tstr *t = (const struct tstr *)(const void *)((const char *)ev + p->off);
	if (!t->s)
		return true;
	for (size_t k = 0; k < p->n; k++)
		if (t->n == p->len[k] && !strncasecmp(t->s, p->v[k], t->n))
			return true;
	return false;
}

void sigma_set_index(struct sigma_set *s)
{
	struct arena *a = s->arena;
	s->by_name = arena_alloc(a, sizeof(*s->by_name));
	strmap_init(s->by_name, a);
	s->always = arena_array(a, s->n ? s->n : 1, sizeof(*s->always));
	s->always_pre = arena_array(a, s->n ? s->n : 1, sizeof(*s->always_pre));
	s->nalways = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct sigma_rule *r = s->v[i];
		struct nset need = cond_need(a, r, r->cond, "eventName");
		if (need.any || need.n == 0) {
			s->always_pre[s->nalways] = prefilter_for(a, r);
			s->always[s->nalways++] = r;
			continue;
		}
		for (size_t k = 0; k < need.n; k++) {
			struct rlist *l = strmap_get(s->by_name, need.v[k]);
			if (!l) {
				l = arena_alloc(a, sizeof(*l));
				strmap_put(s->by_name, need.v[k], l);
			}
			if (l->n && l->v[l->n - 1] == r)
				continue; /* the same name twice in one rule */
			if (l->n == l->cap) {
				size_t nc = l->cap ? l->cap * 2 : 4;
				l->v = arena_grow(a, l->v, l->n, nc, sizeof(*l->v));
				l->cap = nc;
			}
			l->v[l->n++] = r;
		}
	}
}

void sigma_run(const struct sigma_set *s, const struct trail_event *ev, struct strbuf *scratch,
	       sigma_hit_fn hit, void *ctx)
{
	if (!s->by_name) {
		for (size_t i = 0; i < s->n; i++)
			if (sigma_match(s->v[i], ev, scratch))
				hit(s->v[i], ev, ctx);
		return;
	}
	for (size_t i = 0; i < s->nalways; i++)
		if ((!s->always_pre[i] || prefilter_pass(s->always_pre[i], ev)) &&
		    sigma_match(s->always[i], ev, scratch))
			hit(s->always[i], ev, ctx);
	if (!ev->name.s || ev->name.n >= 128)
		return;
	char low[128];
	for (size_t i = 0; i < ev->name.n; i++)
		low[i] = (char)tolower((unsigned char)ev->name.s[i]);
	low[ev->name.n] = '\0';
	if (memchr(low, '\0', ev->name.n))
		return; /* an embedded NUL never equals a rule's name */
	const struct rlist *l = strmap_get(s->by_name, low);
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (sigma_match(l->v[i], ev, scratch))
			hit(l->v[i], ev, ctx);
}

const char *sigma_rule_id(const struct sigma_rule *r) { return r->id; }
const char *sigma_rule_title(const struct sigma_rule *r) { return r->title; }
const char *sigma_rule_author(const struct sigma_rule *r) { return r->author; }
enum severity sigma_rule_level(const struct sigma_rule *r) { return r->level; }

/* ---- loading ------------------------------------------------------------- */

struct ld {
	struct sigma_set *set;
	struct arena *a;
	struct sigma_rule *r;
	char err[256];
	struct pos at; /* where the rule is wrong, when known (a malformed value) */
};

/* Record why the rule cannot run (the first reason only); `pos` is where it
 * is in error when a value is malformed (lerr: no position). */
static bool lerr_at(struct ld *l, struct pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool lerr_at(struct ld *l, struct pos pos, const char *fmt, ...)
{
	if (l->err[0])
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->err, sizeof(l->err), fmt, ap);
	va_end(ap);
	l->at = pos;
	return false;
}
#define lerr(l, ...) lerr_at((l), (struct pos){0}, __VA_ARGS__)

/*
 * The longest run of literal characters every match of the regular
 * expression re[0..n) must contain, for a memmem() test before the regex
 * runs.  Even JIT-compiled, '.+:assumed-role/aws:.+' (a SigmaHQ rule that
 * runs on every event) backtracks over each ARN; the literal test rejects
 * nearly all events at memchr speed (perf: pcre2 and its match data were 6%
 * of `trail detect`).  Conservative: a pattern with alternation, groups,
 * inline options or backreferences gets no literal; a character followed by
 * '?', '*' or '{' is optional and ends the run without itself; '+' ends the
 * run with it; classes, escapes like \d and '.' end the run.
 */
static void required_literal(struct arena *a, const char *re, size_t n, struct sval *v)
{
	char *run = arena_alloc(a, n + 1), *best = arena_alloc(a, n + 1);
	size_t rn = 0, bn = 0;
#define END_RUN()                                                                  \
	do {                                                                       \
		if (rn > bn) {                                                     \
			memcpy(best, run, rn);                                     \
			bn = rn;                                                   \
		}                                                                  \
		rn = 0;                                                            \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		char c = re[i];
		if (c == '|' || c == '(' || c == ')')
			return; /* alternation or groups: no literal */
		if (c == '?' || c == '*' || c == '{') {
			if (rn)
				rn--; /* the previous character is optional */
			END_RUN();
			if (c == '{')
				while (i < n && re[i] != '}')
					i++;
			continue;
		}
		if (c == '+') {
			END_RUN();
			continue;
		}
		if (c == '[') {
			END_RUN();
			i++;
			if (i < n && re[i] == '^')
				i++;
			if (i < n && re[i] == ']')
				i++;
			while (i < n && re[i] != ']') {
				if (re[i] == '\\')
					i++;
				i++;
			}
			continue;
		}
		if (c == '.' || c == '^' || c == '$') {
			END_RUN();
			continue;
		}
		if (c == '\\') {
			if (i + 1 >= n)
				return;
			char e = re[++i];
			if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
				END_RUN(); /* \d, \w, \x41, \1...: not a plain character */
				continue;
			}
			c = e; /* an escaped punctuation character stands for itself */
		}
		/* a quantifier on this character is handled at the next step */
		run[rn++] = c;
	}
	END_RUN();
#undef END_RUN
	if (bn >= 3) {
		best[bn] = '\0';
		v->re_lit = best;
		v->re_lit_n = bn;
	}
}

/* Compile a Sigma string value into a glob pattern in the arena. */
static void compile_glob(struct ld *l, struct sval *v, const char *s, size_t n, const char *pre,
			 const char *post)
{
	char *o = arena_alloc(l->a, n + 3);
	size_t k = 0;
	bool lit = false;
	if (*pre)
		o[k++] = GLOB_STAR;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			o[k++] = s[++i];
			lit = true;
		} else if (c == '*') {
			o[k++] = GLOB_STAR;
		} else if (c == '?') {
			o[k++] = GLOB_ONE;
		} else {
			o[k++] = c;
			lit = true;
		}
	}
	if (*post)
		o[k++] = GLOB_STAR;
	o[k] = '\0';
	v->pat = o;
	v->n = k;
	v->has_wild = memchr(o, GLOB_STAR, k) || memchr(o, GLOB_ONE, k);
	v->only_wild = v->has_wild && !lit; /* '*' alone: present and non-empty */
	v->contains = k > 2 && o[0] == GLOB_STAR && o[k - 1] == GLOB_STAR &&
		      !memchr(o + 1, GLOB_STAR, k - 2) && !memchr(o + 1, GLOB_ONE, k - 2);
}

static bool compile_value(struct ld *l, struct sfield *f, struct sval *v, const struct node *n,
			  bool contains, bool starts, bool ends)
{
	memset(v, 0, sizeof(*v));
	if (!n || n->kind == NODE_NULL) {
		v->is_null = true;
		return true;
	}
	if (n->kind == NODE_SEQ || n->kind == NODE_MAP)
		return lerr(l, "field '%s': nested value lists are not Sigma",
			    f->path ? f->path : "(keyword)");
	const char *s = n->str ? n->str : "";
	size_t len = n->str ? n->len : 0;
	if (n->kind == NODE_BOOL) {
		s = n->boolean ? "true" : "false";
		len = strlen(s);
	}
	switch (f->op) {
	case OP_EXISTS:
		v->exists = n->kind == NODE_BOOL ? n->boolean : (len && strcasecmp(s, "true") == 0);
		return true;
	case OP_FIELDREF:
		v->pat = arena_strndup(l->a, s, len);
		v->n = len;
		return true;
	case OP_RE: {
		int errc;
		PCRE2_SIZE erroff;
		v->re = pcre2_compile((PCRE2_SPTR)s, len, 0, &errc, &erroff, NULL);
		if (!v->re) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(errc, msg, sizeof(msg));
			return lerr(l, "field '%s': bad regular expression at %zu: %s", f->path,
				    (size_t)erroff, (char *)msg);
		}
		/* JIT where available: the SigmaHQ rule '.+:assumed-role/aws:.+'
		 * runs on every event and backtracks; interpreted it cost more
		 * than all other rules together.  Without JIT, pcre2_match
		 * interprets, with the same results. */
		(void)pcre2_jit_compile(v->re, PCRE2_JIT_COMPLETE);
		required_literal(l->a, s, len, v);
		return true;
	}
	case OP_CIDR: {
		/* pySigma reads the value as a network; a bare address is one host */
		enum cidr_status st = cidr_parse(s, len, 0, &v->net, NULL);
		if (st != CIDR_OK)
			return lerr_at(l, n->pos, "field '%s': '%.*s' is not a CIDR block: %s", f->path,
				       len > 64 ? 64 : (int)len, s, cidr_status_text(st));
		return true;
	}
	case OP_EQ:
		compile_glob(l, v, s, len, (contains || ends) ? "*" : "",
			     (contains || starts) ? "*" : "");
		return true;
	}
	return false;
}

/* "field|mod|mod": v (scalar or list) */
static bool compile_field(struct ld *l, struct sfield *f, const char *key, const struct node *val)
{
	memset(f, 0, sizeof(*f));
	char *k = arena_strdup(l->a, key);
	char *bar = strchr(k, '|');
	char *mods = NULL;
	if (bar) {
		*bar = '\0';
		mods = bar + 1;
	}
	f->path = k[0] ? k : NULL;
	f->fast = f->path ? fast_index(f->path) : -1;
	f->op = OP_EQ;
	bool contains = false, starts = false, ends = false;
	while (mods && *mods) {
		char *next = strchr(mods, '|');
		if (next)
			*next++ = '\0';
		if (!strcmp(mods, "contains"))
			contains = true;
		else if (!strcmp(mods, "startswith"))
			starts = true;
		else if (!strcmp(mods, "endswith"))
			ends = true;
		else if (!strcmp(mods, "all"))
			f->all = true;
		else if (!strcmp(mods, "re"))
			f->op = OP_RE;
		else if (!strcmp(mods, "cidr"))
			f->op = OP_CIDR;
		else if (!strcmp(mods, "fieldref"))
			f->op = OP_FIELDREF;
		else if (!strcmp(mods, "exists"))
			f->op = OP_EXISTS;
		else if (!strcmp(mods, "cased"))
			f->cased = true;
		else
			return lerr(l, "field '%s': modifier '%s' is not supported", key, mods);
		mods = next;
	}
	if (f->op == OP_RE || f->op == OP_FIELDREF || f->op == OP_EXISTS)
		f->cased = f->op == OP_RE ? true : f->cased;
	if (!f->path && f->op != OP_EQ)
		return lerr(l, "keyword values cannot take '%s'", key);
	const struct node *const *items;
	const struct node *one = val;
	size_t n;
	if (val && val->kind == NODE_SEQ) {
		items = (const struct node *const *)val->items;
		n = val->n;
		if (n == 0)
			return lerr(l, "field '%s': empty value list", key);
	} else {
		items = &one;
		n = 1;
	}
	f->v = arena_array(l->a, n, sizeof(*f->v));
	f->nv = n;
	for (size_t i = 0; i < n; i++) {
		if (!compile_value(l, f, &f->v[i], items[i], contains, starts, ends))
			return false;
	}
	return true;
}

static bool compile_map(struct ld *l, struct smap *m, const struct node *map)
{
	m->n = map->n;
	m->f = arena_array(l->a, map->n ? map->n : 1, sizeof(*m->f));
	for (size_t i = 0; i < map->n; i++)
		if (!compile_field(l, &m->f[i], map->pairs[i].key->str, map->pairs[i].value))
			return false;
	return true;
}

static bool compile_selection(struct ld *l, struct ssel *s, const char *name, const struct node *n)
{
	s->name = arena_strdup(l->a, name);
	if (n->kind == NODE_MAP) {
		if (n->n == 0)
			return lerr(l, "selection '%s' is empty", name);
		s->nalt = 1;
		s->alt = arena_alloc(l->a, sizeof(*s->alt));
		return compile_map(l, &s->alt[0], n);
	}
	if (n->kind == NODE_SEQ) {
		if (n->n == 0)
			return lerr(l, "selection '%s' is empty", name);
		bool maps = n->items[0]->kind == NODE_MAP;
		if (maps) {
			s->nalt = n->n;
			s->alt = arena_array(l->a, n->n, sizeof(*s->alt));
			for (size_t i = 0; i < n->n; i++) {
				if (n->items[i]->kind != NODE_MAP)
					return lerr(l, "selection '%s' mixes maps and values", name);
				if (!compile_map(l, &s->alt[i], n->items[i]))
					return false;
			}
			return true;
		}
		/* keyword list: any value found anywhere in the record */
		s->nalt = 1;
		s->alt = arena_alloc(l->a, sizeof(*s->alt));
		s->alt[0].n = 1;
		s->alt[0].f = arena_alloc(l->a, sizeof(struct sfield));
		struct sfield *f = &s->alt[0].f[0];
		f->path = NULL;
		f->fast = -1;
		f->op = OP_EQ;
		f->v = arena_array(l->a, n->n, sizeof(*f->v));
		f->nv = n->n;
		for (size_t i = 0; i < n->n; i++)
			if (!compile_value(l, f, &f->v[i], n->items[i], true, false, false))
				return false;
		return true;
	}
	if (node_is_scalar(n) && n->kind != NODE_NULL) {
		/* a single keyword */
		return lerr(l, "selection '%s' is a bare value; write it as a list", name);
	}
	return lerr(l, "selection '%s' is neither a map nor a list", name);
}

/* ---- conditions ------------------------------------------------------------ */

struct cparse {
	struct ld *l;
	const char *s;
	char tok[128];
};

static void next_tok(struct cparse *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n')
		p->s++;
	size_t n = 0;
	if (*p->s == '(' || *p->s == ')' || *p->s == '|') {
		p->tok[n++] = *p->s++;
	} else {
		while (*p->s && !strchr(" \t\n()|", *p->s) && n < sizeof(p->tok) - 1)
			p->tok[n++] = *p->s++;
	}
	p->tok[n] = '\0';
}

static struct cnode *cnode(struct ld *l, enum cnk k, struct cnode *a, struct cnode *b)
{
	struct cnode *c = arena_alloc(l->a, sizeof(*c));
	c->k = k;
	c->a = a;
	c->b = b;
	return c;
}

static bool name_glob(const char *pat, const char *name)
{
	/* selection-name patterns: '*' only, case-sensitive */
	char tmp[128];
	size_t n = 0;
	for (const char *q = pat; *q && n < sizeof(tmp) - 1; q++)
		tmp[n++] = *q == '*' ? GLOB_STAR : *q;
	return glob(tmp, n, name, strlen(name), true);
}

static struct cnode *parse_or(struct cparse *p);

static struct cnode *parse_primary(struct cparse *p)
{
	struct ld *l = p->l;
	struct sigma_rule *r = l->r;
	if (!p->tok[0]) {
		lerr(l, "condition ends early");
		return NULL;
	}
	if (!strcmp(p->tok, "|")) {
		lerr(l, "aggregation expressions ('| count() ...') are not supported (deprecated "
			"in Sigma 2; use correlation rules)");
		return NULL;
	}
	if (!strcmp(p->tok, "(")) {
		next_tok(p);
		struct cnode *c = parse_or(p);
		if (!c)
			return NULL;
		if (strcmp(p->tok, ")")) {
			lerr(l, "condition: missing ')'");
			return NULL;
		}
		next_tok(p);
		return c;
	}
	if (!strcmp(p->tok, "1") || !strcmp(p->tok, "all") || !strcmp(p->tok, "any")) {
		enum cnk k = strcmp(p->tok, "all") ? CN_ONE : CN_ALL;
		next_tok(p);
		if (strcmp(p->tok, "of")) {
			lerr(l, "condition: expected 'of' after quantifier");
			return NULL;
		}
		next_tok(p);
		if (!p->tok[0] || strchr("()|", p->tok[0])) {
			lerr(l, "condition: expected a selection pattern after 'of'");
			return NULL;
		}
		struct cnode *c = cnode(l, k, NULL, NULL);
		c->sels = arena_array(l->a, r->nsel ? r->nsel : 1, sizeof(size_t));
		bool them = !strcmp(p->tok, "them");
		for (size_t i = 0; i < r->nsel; i++) {
			if (them ? r->sel[i].name[0] != '_' : name_glob(p->tok, r->sel[i].name))
				c->sels[c->nsels++] = i;
		}
		if (!c->nsels) {
			lerr(l, "condition: '%s' names no selection", p->tok);
			return NULL;
		}
		next_tok(p);
		return c;
	}
	if (!strcmp(p->tok, ")") || !strcmp(p->tok, "and") || !strcmp(p->tok, "or")) {
		lerr(l, "condition: unexpected '%s'", p->tok);
		return NULL;
	}
	for (size_t i = 0; i < r->nsel; i++) {
		if (!strcmp(r->sel[i].name, p->tok)) {
			struct cnode *c = cnode(l, CN_SEL, NULL, NULL);
			c->sels = arena_alloc(l->a, sizeof(size_t));
			c->sels[0] = i;
			c->nsels = 1;
			next_tok(p);
			return c;
		}
	}
	lerr(l, "condition names unknown selection '%s'", p->tok);
	return NULL;
}

static struct cnode *parse_not(struct cparse *p)
{
	if (!strcmp(p->tok, "not")) {
		next_tok(p);
		struct cnode *a = parse_not(p);
		return a ? cnode(p->l, CN_NOT, a, NULL) : NULL;
	}
	return parse_primary(p);
}

static struct cnode *parse_and(struct cparse *p)
{
	struct cnode *a = parse_not(p);
	while (a && !strcmp(p->tok, "and")) {
		next_tok(p);
		struct cnode *b = parse_not(p);
		a = b ? cnode(p->l, CN_AND, a, b) : NULL;
	}
	return a;
}

static struct cnode *parse_or(struct cparse *p)
{
	struct cnode *a = parse_and(p);
	while (a && !strcmp(p->tok, "or")) {
		next_tok(p);
		struct cnode *b = parse_and(p);
		a = b ? cnode(p->l, CN_OR, a, b) : NULL;
	}
	return a;
}

static struct cnode *parse_condition(struct ld *l, const char *s)
{
	struct cparse p = {.l = l, .s = s};
	next_tok(&p);
	struct cnode *c = parse_or(&p);
	if (c && p.tok[0]) {
		if (!strcmp(p.tok, "|"))
			lerr(l, "aggregation expressions ('| count() ...') are not supported "
				"(deprecated in Sigma 2; use correlation rules)");
		else
			lerr(l, "condition: unexpected '%s'", p.tok);
		return NULL;
	}
	return c;
}

/* ---- rule files ------------------------------------------------------------- */

void sigma_set_init(struct sigma_set *s)
{
	memset(s, 0, sizeof(*s));
	s->arena = arena_new();
}

static void free_rule_regex(struct sigma_rule *r)
{
	for (size_t i = 0; i < r->nsel; i++)
		for (size_t a = 0; a < r->sel[i].nalt; a++)
			for (size_t f = 0; f < r->sel[i].alt[a].n; f++) {
				struct sfield *fl = &r->sel[i].alt[a].f[f];
				if (!fl->v)
					continue;
				for (size_t v = 0; v < fl->nv; v++)
					if (fl->v[v].re) {
						pcre2_code_free(fl->v[v].re);
						fl->v[v].re = NULL;
					}
			}
}

void sigma_set_free(struct sigma_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free_rule_regex(s->v[i]);
	for (size_t i = 0; i < s->nrej; i++) {
		free(s->rej[i].file);
		free(s->rej[i].name);
		free(s->rej[i].reason);
	}
	free(s->rej);
	free(s->v);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}

/* A rule that is not run; `at` is where it is in error, when a value is malformed. */
static void reject_at(struct sigma_set *s, const char *file, const char *name, const char *reason, struct pos at)
{
	XGROW(s->rej, s->caprej, s->nrej + 1);
	struct sigma_rejected *r = &s->rej[s->nrej++];
	r->line = at.line;
	r->col = at.col;
	r->file = xstrdup(file);
	r->name = xstrdup(name ? name : file);
	r->reason = xstrdup(reason);
}

static void reject(struct sigma_set *s, const char *file, const char *name, const char *reason)
{
	reject_at(s, file, name, reason, (struct pos){0});
}

static const char *scalar(const struct node *m, const char *key)
{
	const struct node *n = node_get(m, key);
	return n && n->kind != NODE_NULL && node_is_scalar(n) ? n->str : NULL;
}

static bool compile_rule(struct ld *l, const char *file, const struct node *root)
{
	struct sigma_rule *r = arena_alloc(l->a, sizeof(*r));
	l->r = r;
	r->file = arena_strdup(l->a, file);
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	r->title = arena_strdup(l->a, scalar(root, "title") ? scalar(root, "title") : base);
	r->id = arena_strdup(l->a, scalar(root, "id") ? scalar(root, "id") : base);
	r->author = scalar(root, "author") ? arena_strdup(l->a, scalar(root, "author")) : NULL;
	const char *lv = scalar(root, "level");
	if (!lv || severity_parse(lv, &r->level) != 0)
		r->level = SEV_MEDIUM;
	if (node_get(root, "correlation"))
		return lerr(l, "correlation rules are not supported");
	const struct node *det = node_get(root, "detection");
	if (!det || det->kind != NODE_MAP)
		return lerr(l, "no 'detection' map");
	if (node_get(det, "timeframe"))
		return lerr(l, "'timeframe' (aggregation over time) is not supported");
	const struct node *cond = node_get(det, "condition");
	if (!cond)
		return lerr(l, "no 'condition'");
	r->sel = arena_array(l->a, det->n, sizeof(*r->sel));
	for (size_t i = 0; i < det->n; i++) {
		const char *k = det->pairs[i].key->str;
		if (!strcmp(k, "condition") || !strcmp(k, "timeframe"))
			continue;
		if (!compile_selection(l, &r->sel[r->nsel], k, det->pairs[i].value)) {
			r->nsel++; /* so its regexes are freed */
			free_rule_regex(r);
			return false;
		}
		r->nsel++;
	}
	if (cond->kind == NODE_SEQ) {
		for (size_t i = 0; i < cond->n; i++) {
			if (!node_str(cond->items[i])) {
				free_rule_regex(r);
				return lerr(l, "condition list holds a non-string");
			}
			struct cnode *c = parse_condition(l, cond->items[i]->str);
			if (!c) {
				free_rule_regex(r);
				return false;
			}
			r->cond = r->cond ? cnode(l, CN_OR, r->cond, c) : c;
		}
		if (!r->cond) {
			free_rule_regex(r);
			return lerr(l, "empty condition list");
		}
	} else if (node_str(cond)) {
		r->cond = parse_condition(l, cond->str);
		if (!r->cond) {
			free_rule_regex(r);
			return false;
		}
	} else {
		free_rule_regex(r);
		return lerr(l, "condition is not a string");
	}
	XGROW(l->set->v, l->set->cap, l->set->n + 1);
	l->set->v[l->set->n++] = r;
	return true;
}

static bool load_root(struct sigma_set *s, const char *file, const struct node *root,
		      struct diags *d)
{
	struct ld l = {.set = s, .a = s->arena};
	const char *title = root && root->kind == NODE_MAP ? scalar(root, "title") : NULL;
	if (!root) {
		struct strbuf msg = STRBUF_INIT;
		if (d->n)
			diag_append(&d->v[0], &msg); /* whole, however long the path */
		else
			sb_puts(&msg, "cannot be read");
		reject(s, file, NULL, msg.s);
		sb_free(&msg);
		return false;
	}
	if (root->kind != NODE_MAP) {
		reject(s, file, NULL, "not a Sigma rule (top level is not a map)");
		return false;
	}
	if (root->next_doc) {
		reject(s, file, title,
		       "multi-document rule collections (action: global) are not supported");
		return false;
	}
	if (!compile_rule(&l, file, root)) {
		reject_at(s, file, title, l.err, l.at);
		return false;
	}
	return true;
}

bool sigma_load_file(struct sigma_set *s, const char *path)
{
	struct diags d = {0};
	struct node *root = load_file(path, s->arena, &d);
	bool ok = load_root(s, path, root, &d);
	diags_free(&d);
	return ok;
}

bool sigma_load_text(struct sigma_set *s, const char *name, const char *yaml)
{
	struct diags d = {0};
	struct node *root = load_buffer(name, yaml, strlen(yaml), s->arena, &d);
	bool ok = load_root(s, name, root, &d);
	diags_free(&d);
	return ok;
}

/* The rule files of a directory tree. */
struct rule_files {
	char **v;
	size_t n, cap;
};

static bool rules_enter(void *ctx, const struct walk_entry *dir)
{
	(void)ctx;
	return dir->depth == 0 || dir->name[0] != '.';
}

static bool rules_want(void *ctx, const struct walk_entry *file)
{
	(void)ctx;
	const char *nm = file->name;
	size_t l = strlen(nm);
	return nm[0] != '.' && ((l > 4 && !strcmp(nm + l - 4, ".yml")) ||
				(l > 5 && !strcmp(nm + l - 5, ".yaml")));
}

static void rules_take(void *ctx, const struct walk_entry *file)
{
	struct rule_files *f = ctx;
	XGROW(f->v, f->cap, f->n + 1);
	f->v[f->n++] = xstrdup(file->path);
}

static int pstrcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t sigma_load_dir(struct sigma_set *s, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		reject(s, dir, NULL, "not a readable directory");
		return 0;
	}
	struct rule_files f = {0};
	struct diags d = {0};
	const struct walk_ops ops = {rules_enter, rules_want, rules_take, NULL, &f};
	walk_path(dir, 0, &ops, &d);
	/* what the walk could not read is listed with the rules not run */
	for (size_t i = 0; i < d.n; i++)
		reject(s, d.v[i].file, NULL, d.v[i].msg);
	diags_free(&d);
	/* loaded in the order of their whole paths, as always */
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), pstrcmp);
	size_t loaded = 0;
	for (size_t i = 0; i < f.n; i++) {
		loaded += sigma_load_file(s, f.v[i]);
		free(f.v[i]);
	}
	free(f.v);
	return loaded;
}
