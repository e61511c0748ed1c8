/*
 * policy_gen.c - least-privilege policy from CloudTrail usage (see
 * policy_gen.h).
 */
#include "trail/policy_gen.h"

#include "core/jsonw.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "iam/catalogue.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One IAM action of the policy: the usage actions that spell it (IAM
 * actions are case-insensitive, CloudTrail's event names are not always
 * AWS's spelling), merged.
 */
struct gen_act {
	char *key;                          /* lower case: spellings of one action share it */
	char *display;                      /* AWS's spelling (the catalogue's); a pattern
					     * (kms:ReEncrypt*): its least spelling */
	const struct iam_action_info *info; /* NULL for a pattern */
	char **res;                         /* resources named, sorted, unique */
	size_t nres, cap;
	bool res_more;                      /* more were seen than usage kept */
};

/* One statement being built: a service's actions sharing a resource set. */
struct gen_stmt {
	const char *service; /* the first action's display, up to slen */
	size_t slen;
	const struct gen_act *res_of; /* NULL: Resource "*" */
	const struct gen_act **acts;
	size_t nacts, cap;
};

static bool count_match(const struct iam_action_info *a, void *ctx)
{
	(void)a;
	(*(size_t *)ctx)++;
	return false; /* one is enough */
}

static bool action_known(const char *action)
{
	if (strchr(action, '*') || strchr(action, '?')) {
		size_t n = 0;
		iam_actions_matching(action, count_match, &n);
		return n > 0;
	}
	return iam_action_find(action) != NULL;
}

static char *lower_dup(const char *s, size_t n)
{
	char *d = xstrndup(s, n);
	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* The service prefix of an action: its length (all of it if no ':'). */
static size_t service_len(const char *action)
{
	const char *colon = strchr(action, ':');
	return colon ? (size_t)(colon - action) : strlen(action);
}

/* A gen_act for the usage action v (known to the catalogue). */
static void gen_act_init(struct gen_act *g, const struct usage_action_view *v)
{
	memset(g, 0, sizeof(*g));
	g->info = iam_action_find(v->action);
	if (g->info) {
		g->key = xstrdup(g->info->name);
		g->display = xstrdup(g->info->display);
	} else { /* a pattern: the service prefix in lower case, as AWS writes it */
		size_t sl = service_len(v->action);
		g->key = lower_dup(v->action, strlen(v->action));
		g->display = xstrdup(v->action);
		memcpy(g->display, g->key, sl);
	}
	g->res_more = v->res_more;
	for (size_t r = 0; r < v->nres; r++) {
		XGROW(g->res, g->cap, g->nres + 1);
		g->res[g->nres++] = v->res[r];
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fold g's spelling into into (same key): resources joined, least display. */
static void gen_act_join(struct gen_act *into, struct gen_act *g)
{
	if (strcmp(g->display, into->display) < 0) {
		char *t = into->display;
		into->display = g->display;
		g->display = t;
	}
	into->res_more |= g->res_more;
	for (size_t r = 0; r < g->nres; r++) {
		XGROW(into->res, into->cap, into->nres + 1);
		into->res[into->nres++] = g->res[r];
	}
	free(g->key);
	free(g->display);
	free(g->res);
}

static void gen_act_sort_resources(struct gen_act *g)
{
	if (!g->nres)
		return;
	qsort(g->res, g->nres, sizeof(*g->res), str_cmp);
	size_t k = 1;
	for (size_t i = 1; i < g->nres; i++)
		if (strcmp(g->res[i], g->res[k - 1]))
			g->res[k++] = g->res[i];
	g->nres = k;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gen_act *)a)->key, ((const struct gen_act *)b)->key);
}

/* By AWS's spelling: prefixes are lower case, so a service's actions are
 * adjacent. */
static int display_cmp(const void *a, const void *b)
{
	const struct gen_act *x = a, *y = b;
	int c = strcmp(x->display, y->display);
	return c ? c : strcmp(x->key, y->key);
}

/* Does the action get narrowed resources (else "*")? */
static bool narrowed(const struct gen_act *g)
{
	if (!g->nres || g->res_more)
		return false;
	for (size_t i = 0; i < g->nres; i++)
		if (strncmp(g->res[i], "arn:", 4))
			return false;
	return !(g->info && g->info->wildcard_only);
}

static bool same_resources(const struct gen_act *a, const struct gen_act *b)
{
	if (!a || !b)
		return a == b;
	if (a->nres != b->nres)
		return false;
	for (size_t i = 0; i < a->nres; i++)
		if (strcmp(a->res[i], b->res[i]))
			return false;
	return true;
}

/* The statement id: the service in PascalCase ("dynamodb" -> "Dynamodb"),
 * numbered when the service has several statements. */
static void write_sid(struct jw *w, const char *service, size_t slen, size_t nth)
{
	struct strbuf sid = STRBUF_INIT;
	bool up = true;
	for (size_t i = 0; i < slen; i++) {
		unsigned char c = (unsigned char)service[i];
		if (!isalnum(c)) {
			up = true;
			continue;
		}
		sb_putc(&sid, up ? (char)toupper(c) : (char)c);
		up = false;
	}
	if (nth > 1)
		sb_printf(&sid, "%zu", nth);
	jw_string(w, sid.s ? sid.s : "");
	sb_free(&sid);
}

/* Widen the window of info by the normalised time t ("" adds nothing). */
static void window_add(char *first, char *last, const char *t)
{
	size_t n = strlen(t);
	if (!n || n >= TRAIL_EVENT_TIME_SIZE) /* usage keeps normalised times only */
		return;
	if (!first[0] || strcmp(t, first) < 0)
		memcpy(first, t, n + 1);
	if (strcmp(t, last) > 0)
		memcpy(last, t, n + 1);
}

bool policy_generate(struct strbuf *sb, const struct trail_usage *u, const char *principal, bool text,
		     struct policy_gen_info *info)
{
	memset(info, 0, sizeof(*info));
	struct usage_action_view *v;
	size_t n = usage_actions(u, principal, &v);
	struct gen_act *ga = xcalloc(n ? n : 1, sizeof(*ga));
	size_t nga = 0, ucap = 0;
	for (size_t i = 0; i < n; i++) {
		info->events += v[i].count;
		window_add(info->first, info->last, v[i].first);
		window_add(info->first, info->last, v[i].last);
		if (!action_known(v[i].action)) {
			XGROW(info->unmapped, ucap, info->nunmapped + 1);
			info->unmapped[info->nunmapped++] = xstrdup(v[i].action);
			continue;
		}
		gen_act_init(&ga[nga++], &v[i]);
	}
	/* one entry per action, whatever the spellings */
	qsort(ga, nga, sizeof(*ga), key_cmp);
	size_t k = 0;
	for (size_t i = 0; i < nga; i++) {
		if (k && !strcmp(ga[k - 1].key, ga[i].key))
			gen_act_join(&ga[k - 1], &ga[i]);
		else
			ga[k++] = ga[i];
	}
	nga = k;
	for (size_t i = 0; i < nga; i++)
		gen_act_sort_resources(&ga[i]);
	qsort(ga, nga, sizeof(*ga), display_cmp);

	struct gen_stmt *st = NULL;
	size_t nst = 0, cap = 0;
	for (size_t i = 0; i < nga; i++) {
		const char *svc = ga[i].display;
		size_t slen = service_len(svc);
		const struct gen_act *res = narrowed(&ga[i]) ? &ga[i] : NULL;
		struct gen_stmt *s = NULL;
		/* actions are sorted, so a service's statements are the last ones */
		for (size_t q = nst; q-- > 0;) {
			if (st[q].slen != slen || memcmp(st[q].service, svc, slen))
				break;
			if (same_resources(st[q].res_of, res)) {
				s = &st[q];
				break;
			}
		}
		if (!s) {
			XGROW(st, cap, nst + 1);
			s = &st[nst++];
			memset(s, 0, sizeof(*s));
			s->service = svc;
			s->slen = slen;
			s->res_of = res;
		}
		XGROW(s->acts, s->cap, s->nacts + 1);
		s->acts[s->nacts++] = &ga[i];
		info->nactions++;
	}
	info->nstatements = nst;

	if (text) {
		sb_printf(sb, "// rampart trail policy: least privilege for %s\n", principal);
		sb_printf(sb, "// from %llu successful call%s, %s .. %s\n",
			  (unsigned long long)info->events, info->events == 1 ? "" : "s",
			  info->first[0] ? info->first : "-", info->last[0] ? info->last : "-");
		for (size_t i = 0; i < info->nunmapped; i++)
			sb_printf(sb, "// left out, not an IAM action in the catalogue: %s\n",
				  info->unmapped[i]);
	}
	struct jw w;
	jw_init(&w, sb);
	jw_object_begin(&w, JW_PRETTY);
	jw_key_string(&w, "Version", "2012-10-17");
	jw_key(&w, "Statement");
	jw_array_begin(&w, JW_PRETTY);
	size_t nth = 0;
	for (size_t q = 0; q < nst; q++) {
		const struct gen_stmt *s = &st[q];
		bool same_prev = q && st[q - 1].slen == s->slen && !memcmp(st[q - 1].service, s->service, s->slen);
		bool same_next = q + 1 < nst && st[q + 1].slen == s->slen &&
				 !memcmp(st[q + 1].service, s->service, s->slen);
		nth = same_prev ? nth + 1 : 1;
		jw_object_begin(&w, JW_PRETTY);
		jw_key(&w, "Sid");
		write_sid(&w, s->service, s->slen, same_next || nth > 1 ? nth : 1);
		jw_key_string(&w, "Effect", "Allow");
		jw_key(&w, "Action");
		jw_array_begin(&w, JW_PRETTY);
		for (size_t a = 0; a < s->nacts; a++)
			jw_string(&w, s->acts[a]->display);
		jw_array_end(&w);
		jw_key(&w, "Resource");
		if (!s->res_of) {
			jw_string(&w, "*");
		} else if (s->res_of->nres == 1) {
			jw_string(&w, s->res_of->res[0]);
		} else {
			jw_array_begin(&w, JW_PRETTY);
			for (size_t r = 0; r < s->res_of->nres; r++)
				jw_string(&w, s->res_of->res[r]);
			jw_array_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
	for (size_t q = 0; q < nst; q++)
		free(st[q].acts);
	free(st);
	for (size_t i = 0; i < nga; i++) {
		free(ga[i].key);
		free(ga[i].display);
		free(ga[i].res);
	}
	free(ga);
	free(v);
	return info->nactions > 0;
}

void policy_gen_info_free(struct policy_gen_info *info)
{
	for (size_t i = 0; i < info->nunmapped; i++)
		free(info->unmapped[i]);
	free(info->unmapped);
	memset(info, 0, sizeof(*info));
}
