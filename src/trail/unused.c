/*
 * unused.c - granted versus used for template roles (see unused.h).
 */
#include "trail/unused.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "iam/catalogue.h"

#include <stdlib.h>
#include <string.h>

/* Most unused actions listed per service in text (json lists all). */
#define TEXT_MAX_UNUSED 8

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

static bool acts_has(const struct acts *s, const struct iam_action_info *a)
{
	return s->n && bsearch(&a, s->v, s->n, sizeof(*s->v), info_cmp) != NULL;
}

struct svc {
	char name[64];
	size_t granted, used;
	const struct iam_action_info **unused;
	size_t nunused, cap;
};

struct review {
	const char *file, *id, *name;
	bool generated_name;
	const char *uncertain; /* why the granted set may be incomplete, or NULL */
	const char **principals;
	size_t nprincipals, pcap;
	uint64_t calls;
	size_t granted, used;
	struct svc *svc;
	size_t nsvc, cap;
	const char **unexpanded;
	size_t nunexpanded, ucap;
};

/* Does the logged role name belong to the template role? */
static bool name_matches(const struct review *r, const char *logged)
{
	if (!strcmp(logged, r->name))
		return true;
	if (!r->generated_name)
		return false;
	/* STACK-LOGICALID-SUFFIX */
	size_t n = strlen(r->id);
	for (const char *p = strchr(logged, '-'); p; p = strchr(p + 1, '-'))
		if (!strncmp(p + 1, r->id, n) && p[1 + n] == '-')
			return true;
	return false;
}

static const char *role_name_of(const char *arn)
{
	const char *r = strstr(arn, ":role/");
	if (!r)
		return NULL;
	return strrchr(r, '/') + 1;
}

static void review_role(struct review *rv, const struct trail_usage *u, const struct iam_subject *sj,
			const char **all, size_t nall)
{
	/* principals of the logs that are this role, and what they used */
	struct acts used = {0};
	for (size_t i = 0; i < nall; i++) {
		const char *name = role_name_of(all[i]);
		if (!name || !name_matches(rv, name))
			continue;
		XGROW(rv->principals, rv->pcap, rv->nprincipals + 1);
		rv->principals[rv->nprincipals++] = all[i];
		struct usage_action_view *v;
		size_t n = usage_actions(u, all[i], &v);
		for (size_t k = 0; k < n; k++) {
			rv->calls += v[k].count;
			iam_actions_matching(v[k].action, acts_push, &used);
		}
		free(v);
	}
	acts_sort_unique(&used);

	struct acts granted = {0};
	for (size_t p = 0; p < sj->npolicies; p++) {
		const struct iam_policy *pol = sj->policies[p];
		for (size_t s = 0; s < pol->n; s++) {
			const struct iam_statement *st = &pol->st[s];
			if (st->effect != IAM_ALLOW)
				continue;
			for (size_t a = 0; a < st->nactions; a++) {
				if (st->not_action || !iam_actions_matching(st->actions[a], acts_push, &granted)) {
					XGROW(rv->unexpanded, rv->ucap, rv->nunexpanded + 1);
					rv->unexpanded[rv->nunexpanded++] = st->actions[a];
				}
			}
		}
	}
	acts_sort_unique(&granted);
	rv->granted = granted.n;
	for (size_t i = 0; i < granted.n; i++) {
		const char *nm = granted.v[i]->name;
		const char *colon = strchr(nm, ':');
		size_t sl = colon ? (size_t)(colon - nm) : strlen(nm);
		if (sl >= sizeof(rv->svc->name))
			sl = sizeof(rv->svc->name) - 1;
		struct svc *sv = rv->nsvc ? &rv->svc[rv->nsvc - 1] : NULL;
		if (!sv || strlen(sv->name) != sl || memcmp(sv->name, nm, sl)) {
			XGROW(rv->svc, rv->cap, rv->nsvc + 1);
			sv = &rv->svc[rv->nsvc++];
			memset(sv, 0, sizeof(*sv));
			memcpy(sv->name, nm, sl);
			sv->name[sl] = '\0';
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
}

/* Every role of the templates, reviewed, in template then stack order. */
static size_t review_all(const struct trail_usage *u, const struct iam_stacks *st, struct review **out)
{
	const char **all;
	size_t nall = usage_principals(u, &all);
	struct review *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct iam_stack *is = &st->v[i].is;
		for (size_t k = 0; k < is->nsubj; k++) {
			const struct iam_subject *sj = &is->subj[k];
			if (sj->kind != SUBJ_ROLE || !sj->r)
				continue;
			XGROW(v, cap, n + 1);
			struct review *rv = &v[n++];
			memset(rv, 0, sizeof(*rv));
			rv->file = st->v[i].s->file;
			rv->id = sj->r->id;
			const char *set = val_str(val_get(sj->r->props, "RoleName"));
			rv->generated_name = !(set && *set);
			rv->name = rv->generated_name ? sj->r->id : set;
			if (sj->uncertain)
				rv->uncertain = sj->why_uncertain ? sj->why_uncertain : "a policy could not be read fully";
			review_role(rv, u, sj, all, nall);
		}
	}
	free(all);
	*out = v;
	return n;
}

void unused_write_json(struct strbuf *sb, const struct trail_usage *u, const struct iam_stacks *st)
{
	struct review *v;
	size_t n = review_all(u, st, &v);
	sb_puts(sb, "{\"version\":1,\"roles\":[");
	for (size_t i = 0; i < n; i++) {
		const struct review *rv = &v[i];
		sb_puts(sb, i ? ",\n{\"template\":" : "\n{\"template\":");
		sb_json_str(sb, rv->file ? rv->file : "");
		sb_puts(sb, ",\"role\":");
		sb_json_str(sb, rv->id);
		sb_puts(sb, ",\"role_name\":");
		sb_json_str(sb, rv->name);
		sb_printf(sb, ",\"name_generated\":%s,\"used\":%s,\"principals\":[",
			  rv->generated_name ? "true" : "false", rv->nprincipals ? "true" : "false");
		for (size_t k = 0; k < rv->nprincipals; k++) {
			if (k)
				sb_putc(sb, ',');
			sb_json_str(sb, rv->principals[k]);
		}
		sb_printf(sb, "],\"calls\":%llu,\"granted_actions\":%zu,\"used_actions\":%zu,\"services\":[",
			  (unsigned long long)rv->calls, rv->granted, rv->used);
		for (size_t s = 0; s < rv->nsvc; s++) {
			const struct svc *sv = &rv->svc[s];
			sb_puts(sb, s ? ",{\"service\":" : "{\"service\":");
			sb_json_str(sb, sv->name);
			sb_printf(sb, ",\"granted\":%zu,\"used\":%zu,\"unused_actions\":[", sv->granted, sv->used);
			for (size_t a = 0; a < sv->nunused; a++) {
				if (a)
					sb_putc(sb, ',');
				sb_json_str(sb, sv->unused[a]->name);
			}
			sb_puts(sb, "]}");
		}
		sb_puts(sb, "],\"services_never_used\":[");
		bool first = true;
		for (size_t s = 0; s < rv->nsvc; s++)
			if (!rv->svc[s].used) {
				if (!first)
					sb_putc(sb, ',');
				first = false;
				sb_json_str(sb, rv->svc[s].name);
			}
		sb_puts(sb, "],\"uncertain\":");
		if (rv->uncertain)
			sb_json_str(sb, rv->uncertain);
		else
			sb_puts(sb, "null");
		sb_puts(sb, ",\"not_expanded\":[");
		for (size_t k = 0; k < rv->nunexpanded; k++) {
			if (k)
				sb_putc(sb, ',');
			sb_json_str(sb, rv->unexpanded[k]);
		}
		sb_puts(sb, "]}");
		review_free(&v[i]);
	}
	sb_puts(sb, "\n]}\n");
	free(v);
}

void unused_write_text(struct strbuf *sb, const struct trail_usage *u, const struct iam_stacks *st)
{
	struct review *v;
	size_t n = review_all(u, st, &v);
	if (!n)
		sb_puts(sb, "no IAM roles in the templates\n");
	for (size_t i = 0; i < n; i++) {
		const struct review *rv = &v[i];
		sb_printf(sb, "%s%s: role %s", i ? "\n" : "", rv->file ? rv->file : "?", rv->id);
		if (!rv->generated_name)
			sb_printf(sb, " (RoleName %s)", rv->name);
		if (!rv->nprincipals) {
			sb_puts(sb, ": never used in the window\n");
		} else {
			sb_printf(sb, ": %zu of %zu granted actions used, %llu call%s by", rv->used,
				  rv->granted, (unsigned long long)rv->calls, rv->calls == 1 ? "" : "s");
			for (size_t k = 0; k < rv->nprincipals; k++)
				sb_printf(sb, " %s", rv->principals[k]);
			sb_putc(sb, '\n');
		}
		for (size_t s = 0; s < rv->nsvc; s++) {
			const struct svc *sv = &rv->svc[s];
			sb_printf(sb, "  %s: %zu of %zu granted action%s used%s\n", sv->name, sv->used,
				  sv->granted, sv->granted == 1 ? "" : "s",
				  sv->used ? "" : " (service never touched)");
			if (!sv->nunused || !sv->used)
				continue;
			sb_puts(sb, "    unused:");
			for (size_t a = 0; a < sv->nunused && a < TEXT_MAX_UNUSED; a++)
				sb_printf(sb, " %s", sv->unused[a]->name);
			if (sv->nunused > TEXT_MAX_UNUSED)
				sb_printf(sb, " and %zu more", sv->nunused - TEXT_MAX_UNUSED);
			sb_putc(sb, '\n');
		}
		if (rv->uncertain)
			sb_printf(sb, "  granted set may be incomplete: %s\n", rv->uncertain);
		for (size_t k = 0; k < rv->nunexpanded; k++)
			sb_printf(sb, "  not expanded (NotAction or unknown service): %s\n", rv->unexpanded[k]);
		review_free(&v[i]);
	}
	free(v);
}
