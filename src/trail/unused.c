/*
 * unused.c - granted versus used for the roles and users of templates or
 * of authorization details (see unused.h).
 */
#include "trail/unused.h"

#include "core/jsonw.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "iam/catalogue.h"
#include "iam/eval.h"
#include "iam/principal.h"
#include "model/value.h"

#include <stdlib.h>
#include <string.h>

/* Most unused actions listed per service in text (json lists all). */
#define TEXT_MAX_UNUSED 8
/* More services never touched than this are summed up on one text line
 * (a NotAction grant touches hundreds); json lists all. */
#define TEXT_MAX_UNTOUCHED 16

/* ---- sets of catalogue actions ---- */

struct acts {
	const struct iam_action_info **v;
	size_t n, cap;
};

static bool acts_push(const struct iam_action_info *a, void *ctx)
{
	struct acts *s = ctx;
	XGROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = a;
	return true;
}

static int info_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct iam_action_info *const *)a)->name,
		      (*(const struct iam_action_info *const *)b)->name);
}

static void acts_sort_unique(struct acts *s)
{
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), info_cmp);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] != s->v[k - 1])
			s->v[k++] = s->v[i];
	s->n = k;
}

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* s must be sorted. */
static bool acts_has(const struct acts *s, const struct iam_action_info *a)
{
	return s->n && bsearch(&a, s->v, s->n, sizeof(*s->v), info_cmp) != NULL;
}

/* The actions a statement's Action or NotAction patterns stand for: those
 * matched, or (NotAction) every catalogue action none matches.  Patterns
 * that match no catalogue action go to *unexpanded when it is given. */
static void statement_actions(const struct iam_statement *st, struct acts *out, const char ***unexpanded,
			      size_t *nun, size_t *ucap)
{
	if (!st->not_action) {
		for (size_t a = 0; a < st->nactions; a++)
			if (!iam_actions_matching(st->actions[a], acts_push, out) && unexpanded) {
				XGROW(*unexpanded, *ucap, *nun + 1);
				(*unexpanded)[(*nun)++] = st->actions[a];
			}
		return;
	}
	struct acts except = {0};
	for (size_t a = 0; a < st->nactions; a++)
		iam_actions_matching(st->actions[a], acts_push, &except);
	acts_sort_unique(&except);
	for (size_t i = 0; i < iam_catalogue_count; i++)
		if (!acts_has(&except, &iam_catalogue[i]))
			acts_push(&iam_catalogue[i], out);
	free(except.v);
}

/* A Deny that applies to every request for its actions: Resource "*", no Condition. */
static bool deny_everywhere(const struct iam_statement *st)
{
	if (st->effect != IAM_DENY || st->nconds || st->not_resource)
		return false;
	for (size_t r = 0; r < st->nresources; r++)
		if (!strcmp(st->resources[r], "*"))
			return true;
	return false;
}

/* Does the Deny pattern p cover every action the pattern u could name?
 * Only said for a literal p equal to u, or p "PREFIX*" with u under PREFIX. */
static bool pattern_covers(const char *p, const char *u)
{
	size_t n = strcspn(p, "*?\\");
	if (!p[n])
		return !strcmp(p, u);
	return p[n] == '*' && !p[n + 1] && !strncmp(p, u, n);
}

/*
 * What policies grant, into out (sorted): their Allow statements expanded,
 * minus what an unconditional Deny removes.  Allow patterns naming no
 * catalogue service go to *unexpanded (when given) unless such a Deny
 * covers them.
 */
static void policies_grant(const struct iam_policy *const *pols, size_t n, struct acts *out,
			   const char ***unexpanded, size_t *nun, size_t *ucap)
{
	struct acts allowed = {0}, denied = {0};
	const char **deny_pat = NULL;
	size_t ndeny_pat = 0, dcap = 0, first_un = nun ? *nun : 0;
	for (size_t p = 0; p < n; p++) {
		const struct iam_policy *pol = pols[p];
		for (size_t s = 0; s < pol->n; s++) {
			const struct iam_statement *st = &pol->st[s];
			if (st->effect == IAM_ALLOW) {
				statement_actions(st, &allowed, unexpanded, nun, ucap);
			} else if (deny_everywhere(st)) {
				statement_actions(st, &denied, NULL, NULL, NULL);
				for (size_t a = 0; a < st->nactions && !st->not_action; a++) {
					XGROW(deny_pat, dcap, ndeny_pat + 1);
					deny_pat[ndeny_pat++] = st->actions[a];
				}
			}
		}
	}
	acts_sort_unique(&allowed);
	acts_sort_unique(&denied);
	if (unexpanded) {
		size_t k = first_un;
		for (size_t i = first_un; i < *nun; i++) {
			bool covered = false;
			for (size_t d = 0; d < ndeny_pat && !covered; d++)
				covered = pattern_covers(deny_pat[d], (*unexpanded)[i]);
			if (!covered)
				(*unexpanded)[k++] = (*unexpanded)[i];
		}
		*nun = k;
	}
	free(deny_pat);
	for (size_t i = 0; i < allowed.n; i++)
		if (!acts_has(&denied, allowed.v[i]))
			acts_push(allowed.v[i], out);
	free(allowed.v);
	free(denied.v);
}

/* ---- principals to review ---- */

struct subject {
	const char *source;       /* "template" or "policies" */
	bool user, any_kind;      /* any_kind: a bare NAME=FILE name, role or user */
	const char *file, *id, *name, *arn; /* arn: exact match (policies); NULL otherwise */
	bool generated_name;
	const char *uncertain;
	const struct iam_policy **policies; /* malloc'd array; policies owned elsewhere */
	size_t npolicies;
	const struct iam_policy *boundary;  /* permissions boundary, or NULL */
};

struct svc {
	const char *name; /* the service prefix of a catalogue action name */
	size_t len;
	size_t granted, used;
	const struct iam_action_info **unused;
	size_t nunused, cap;
};

struct review {
	struct subject sj;
	bool saw_role, saw_user; /* kinds of the principals matched */
	const char **principals;
	size_t nprincipals, pcap;
	uint64_t calls;
	size_t granted, used;
	struct svc *svc;
	size_t nsvc, cap;
	const char **unexpanded;
	size_t nunexpanded, ucap;
	/* used actions the catalogue does not know: not placed in the review
	 * (sorted, unique; strings of the usage table) */
	const char **unknown;
	size_t nunknown, kcap;
};

/* The name in a role or user ARN (last path segment), and which it is. */
static const char *principal_name(const char *arn, bool *user)
{
	const char *r = strstr(arn, ":role/");
	*user = false;
	if (!r) {
		r = strstr(arn, ":user/");
		*user = true;
	}
	if (!r)
		return NULL;
	return strrchr(r, '/') + 1;
}

/* ARN field 4, the account, as a length into arn (0 when absent). */
static size_t arn_account(const char *arn, const char **acct)
{
	const char *seg[6];
	size_t len[6];
	if (iam_arn_fields(arn, seg, len)) {
		*acct = arn;
		return 0;
	}
	*acct = seg[4];
	return len[4];
}

/* Is the logged principal this subject? */
static bool subject_matches(const struct subject *sj, const char *logged)
{
	if (sj->arn && !strcmp(sj->arn, logged))
		return true;
	bool user;
	const char *name = principal_name(logged, &user);
	if (!name || (!sj->any_kind && user != sj->user))
		return false;
	if (sj->arn) {
		/* same name and account: a session's role ARN carries no path */
		const char *a1, *a2;
		size_t n1 = arn_account(sj->arn, &a1), n2 = arn_account(logged, &a2);
		return !strcmp(name, sj->name) && n1 == n2 && (!n1 || !memcmp(a1, a2, n1));
	}
	if (!strcmp(name, sj->name))
		return true;
	if (!sj->generated_name)
		return false;
	/* STACK-LOGICALID-SUFFIX */
	size_t n = strlen(sj->id);
	for (const char *p = strchr(name, '-'); p; p = strchr(p + 1, '-'))
		if (!strncmp(p + 1, sj->id, n) && p[1 + n] == '-')
			return true;
	return false;
}

static void review_subject(struct review *rv, const struct trail_usage *u, const char **all, size_t nall)
{
	/* principals of the logs that are this subject, and what they used */
	struct acts used = {0};
	for (size_t i = 0; i < nall; i++) {
		if (!subject_matches(&rv->sj, all[i]))
			continue;
		bool user;
		principal_name(all[i], &user);
		rv->saw_user |= user;
		rv->saw_role |= !user;
		XGROW(rv->principals, rv->pcap, rv->nprincipals + 1);
		rv->principals[rv->nprincipals++] = all[i];
		struct usage_action_view *v;
		size_t n = usage_actions(u, all[i], &v);
		for (size_t k = 0; k < n; k++) {
			rv->calls += v[k].count;
			if (!iam_actions_matching(v[k].action, acts_push, &used)) {
				XGROW(rv->unknown, rv->kcap, rv->nunknown + 1);
				rv->unknown[rv->nunknown++] = v[k].action;
			}
		}
		free(v);
	}
	acts_sort_unique(&used);
	if (rv->nunknown) {
		qsort(rv->unknown, rv->nunknown, sizeof(*rv->unknown), cstr_cmp);
		size_t k = 1;
		for (size_t i = 1; i < rv->nunknown; i++)
			if (strcmp(rv->unknown[i], rv->unknown[k - 1]))
				rv->unknown[k++] = rv->unknown[i];
		rv->nunknown = k;
	}

	struct acts granted = {0};
	policies_grant(rv->sj.policies, rv->sj.npolicies, &granted, &rv->unexpanded, &rv->nunexpanded,
		       &rv->ucap);
	if (rv->sj.boundary) {
		/* the permissions boundary caps what the policies grant */
		struct acts limit = {0};
		policies_grant(&rv->sj.boundary, 1, &limit, NULL, NULL, NULL);
		size_t k = 0;
		for (size_t i = 0; i < granted.n; i++)
			if (acts_has(&limit, granted.v[i]))
				granted.v[k++] = granted.v[i];
		granted.n = k;
		free(limit.v);
	}

	for (size_t i = 0; i < granted.n; i++) {
		rv->granted++;
		const char *nm = granted.v[i]->name;
		const char *colon = strchr(nm, ':');
		size_t sl = colon ? (size_t)(colon - nm) : strlen(nm);
		struct svc *sv = rv->nsvc ? &rv->svc[rv->nsvc - 1] : NULL;
		if (!sv || sv->len != sl || memcmp(sv->name, nm, sl)) {
			XGROW(rv->svc, rv->cap, rv->nsvc + 1);
			sv = &rv->svc[rv->nsvc++];
			memset(sv, 0, sizeof(*sv));
			sv->name = nm;
			sv->len = sl;
		}
		sv->granted++;
		if (acts_has(&used, granted.v[i])) {
			sv->used++;
			rv->used++;
		} else {
			XGROW(sv->unused, sv->cap, sv->nunused + 1);
			sv->unused[sv->nunused++] = granted.v[i];
		}
	}
	free(granted.v);
	free(used.v);
}

static void review_free(struct review *rv)
{
	for (size_t i = 0; i < rv->nsvc; i++)
		free(rv->svc[i].unused);
	free(rv->svc);
	free(rv->principals);
	free(rv->unexpanded);
	free(rv->unknown);
	free(rv->sj.policies);
}

static void subject_push_policy(struct subject *sj, size_t *cap, const struct iam_policy *p)
{
	XGROW(sj->policies, *cap, sj->npolicies + 1);
	sj->policies[sj->npolicies++] = p;
}

/* ---- all subjects ---- */

static struct review *review_next(struct review **v, size_t *n, size_t *cap)
{
	XGROW(*v, *cap, *n + 1);
	struct review *rv = &(*v)[(*n)++];
	memset(rv, 0, sizeof(*rv));
	return rv;
}

/* Every role and user of the templates (template then stack order), then
 * of the policies (file order), reviewed. */
static size_t review_all(const struct trail_usage *u, struct iam_stacks *st, const struct authz_set *pol,
			 struct review **out)
{
	const char **all;
	size_t nall = usage_principals(u, &all);
	struct review *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; st && i < st->n; i++) {
		struct iam_stack *is = &st->v[i].is;
		for (size_t k = 0; k < is->nsubj; k++) {
			const struct iam_subject *isj = &is->subj[k];
			if ((isj->kind != SUBJ_ROLE && isj->kind != SUBJ_USER) || !isj->r)
				continue;
			struct review *rv = review_next(&v, &n, &cap);
			struct subject *sj = &rv->sj;
			sj->source = "template";
			sj->user = isj->kind == SUBJ_USER;
			sj->file = st->v[i].s->file;
			sj->id = isj->r->id;
			const char *set = val_str(val_get(isj->r->props, sj->user ? "UserName" : "RoleName"));
			sj->generated_name = !(set && *set);
			sj->name = sj->generated_name ? isj->r->id : set;
			if (isj->uncertain)
				sj->uncertain = isj->why_uncertain ? isj->why_uncertain
								   : "a policy could not be read fully";
			size_t pcap = 0;
			for (size_t p = 0; p < isj->npolicies; p++)
				subject_push_policy(sj, &pcap, isj->policies[p]);
			sj->boundary = isj->boundary; /* users: their groups' policies included */
			review_subject(rv, u, all, nall);
		}
	}
	for (size_t i = 0; pol && i < pol->n; i++) {
		const struct authz_principal *ap = &pol->v[i];
		struct review *rv = review_next(&v, &n, &cap);
		struct subject *sj = &rv->sj;
		sj->source = "policies";
		sj->user = ap->kind == AUTHZ_USER;
		sj->any_kind = ap->kind == AUTHZ_ANY;
		sj->file = ap->file;
		sj->id = ap->name;
		sj->name = ap->name;
		sj->arn = ap->arn;
		sj->uncertain = ap->uncertain;
		sj->boundary = ap->boundary;
		size_t pcap = 0;
		for (size_t p = 0; p < ap->npolicies; p++)
			subject_push_policy(sj, &pcap, ap->policies[p]);
		review_subject(rv, u, all, nall);
		if (sj->any_kind && rv->saw_user && !rv->saw_role)
			sj->user = true;
	}
	free(all);
	*out = v;
	return n;
}

void unused_write_json(struct strbuf *sb, const struct trail_usage *u, struct iam_stacks *st,
		       const struct authz_set *pol)
{
	struct review *v;
	size_t n = review_all(u, st, pol, &v);
	struct jw w;
	jw_init(&w, sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "roles");
	jw_array_begin(&w, JW_LINES);
	for (size_t i = 0; i < n; i++) {
		const struct review *rv = &v[i];
		const struct subject *sj = &rv->sj;
		jw_object_begin(&w, JW_COMPACT);
		jw_key_string(&w, "template", sj->file);
		jw_key_string(&w, "role", sj->id);
		jw_key_string(&w, "role_name", sj->name);
		jw_key_string(&w, "kind", sj->user ? "user" : "role");
		jw_key_string(&w, "source", sj->source);
		jw_key_string_or_null(&w, "arn", sj->arn);
		jw_key_bool(&w, "name_generated", sj->generated_name);
		jw_key_bool(&w, "used", rv->nprincipals != 0);
		jw_key(&w, "principals");
		jw_array_begin(&w, JW_COMPACT);
		for (size_t k = 0; k < rv->nprincipals; k++)
			jw_string(&w, rv->principals[k]);
		jw_array_end(&w);
		jw_key_uint(&w, "calls", rv->calls);
		jw_key_uint(&w, "granted_actions", rv->granted);
		jw_key_uint(&w, "used_actions", rv->used);
		jw_key(&w, "services");
		jw_array_begin(&w, JW_COMPACT);
		for (size_t s = 0; s < rv->nsvc; s++) {
			const struct svc *sv = &rv->svc[s];
			jw_object_begin(&w, JW_COMPACT);
			jw_key(&w, "service");
			jw_stringn(&w, sv->name, sv->len);
			jw_key_uint(&w, "granted", sv->granted);
			jw_key_uint(&w, "used", sv->used);
			jw_key(&w, "unused_actions");
			jw_array_begin(&w, JW_COMPACT);
			for (size_t a = 0; a < sv->nunused; a++)
				jw_string(&w, sv->unused[a]->display);
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_key(&w, "services_never_used");
		jw_array_begin(&w, JW_COMPACT);
		for (size_t s = 0; s < rv->nsvc; s++)
			if (!rv->svc[s].used)
				jw_stringn(&w, rv->svc[s].name, rv->svc[s].len);
		jw_array_end(&w);
		jw_key_string_or_null(&w, "uncertain", sj->uncertain);
		jw_key(&w, "not_expanded");
		jw_array_begin(&w, JW_COMPACT);
		for (size_t k = 0; k < rv->nunexpanded; k++)
			jw_string(&w, rv->unexpanded[k]);
		jw_array_end(&w);
		jw_key(&w, "used_not_in_catalogue");
		jw_array_begin(&w, JW_COMPACT);
		for (size_t k = 0; k < rv->nunknown; k++)
			jw_string(&w, rv->unknown[k]);
		jw_array_end(&w);
		jw_object_end(&w);
		review_free(&v[i]);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
	free(v);
}

void unused_write_text(struct strbuf *sb, const struct trail_usage *u, struct iam_stacks *st,
		       const struct authz_set *pol)
{
	struct review *v;
	size_t n = review_all(u, st, pol, &v);
	if (!n)
		sb_puts(sb, "no IAM roles or users to review\n");
	for (size_t i = 0; i < n; i++) {
		const struct review *rv = &v[i];
		const struct subject *sj = &rv->sj;
		sb_printf(sb, "%s%s: %s %s", i ? "\n" : "", sj->file ? sj->file : "?", sj->user ? "user" : "role",
			  sj->id);
		if (sj->arn)
			sb_printf(sb, " (%s)", sj->arn);
		else if (!sj->generated_name && !strcmp(sj->source, "template"))
			sb_printf(sb, " (%s %s)", sj->user ? "UserName" : "RoleName", sj->name);
		if (!rv->nprincipals) {
			sb_puts(sb, ": never used in the window\n");
		} else {
			sb_printf(sb, ": %zu of %zu granted actions used, %llu call%s by", rv->used,
				  rv->granted, (unsigned long long)rv->calls, rv->calls == 1 ? "" : "s");
			for (size_t k = 0; k < rv->nprincipals; k++)
				sb_printf(sb, " %s", rv->principals[k]);
			sb_putc(sb, '\n');
		}
		size_t untouched = 0, untouched_acts = 0;
		for (size_t s = 0; s < rv->nsvc; s++)
			if (!rv->svc[s].used) {
				untouched++;
				untouched_acts += rv->svc[s].granted;
			}
		bool sum_up = untouched > TEXT_MAX_UNTOUCHED;
		for (size_t s = 0; s < rv->nsvc; s++) {
			const struct svc *sv = &rv->svc[s];
			if (sum_up && !sv->used)
				continue;
			sb_printf(sb, "  %.*s: %zu of %zu granted action%s used%s\n", (int)sv->len, sv->name,
				  sv->used, sv->granted, sv->granted == 1 ? "" : "s",
				  sv->used ? "" : " (service never touched)");
			if (!sv->nunused || !sv->used)
				continue;
			sb_puts(sb, "    unused:");
			for (size_t a = 0; a < sv->nunused && a < TEXT_MAX_UNUSED; a++)
				sb_printf(sb, " %s", sv->unused[a]->display);
			if (sv->nunused > TEXT_MAX_UNUSED)
				sb_printf(sb, " and %zu more", sv->nunused - TEXT_MAX_UNUSED);
			sb_putc(sb, '\n');
		}
		if (sum_up) {
			sb_printf(sb, "  %zu services never touched (%zu granted actions):", untouched, untouched_acts);
			size_t shown = 0;
			for (size_t s = 0; s < rv->nsvc && shown < TEXT_MAX_UNTOUCHED; s++)
				if (!rv->svc[s].used) {
					sb_printf(sb, " %.*s", (int)rv->svc[s].len, rv->svc[s].name);
					shown++;
				}
			sb_printf(sb, " and %zu more\n", untouched - shown);
		}
		if (sj->uncertain)
			sb_printf(sb, "  granted set may be incomplete: %s\n", sj->uncertain);
		for (size_t k = 0; k < rv->nunexpanded; k++)
			sb_printf(sb, "  not expanded (unknown service): %s\n", rv->unexpanded[k]);
		if (rv->nunknown) {
			sb_puts(sb, "  used, not in the IAM catalogue (not reviewed):");
			for (size_t k = 0; k < rv->nunknown; k++)
				sb_printf(sb, "%s %s", k ? "," : "", rv->unknown[k]);
			sb_putc(sb, '\n');
		}
		review_free(&v[i]);
	}
	free(v);
}
