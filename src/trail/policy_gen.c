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

/* One statement being built: a service's actions sharing a resource set. */
struct gen_stmt {
	char service[64];
	const struct usage_action_view *res_of; /* NULL: Resource "*" */
	const struct usage_action_view **acts;
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

/* Does the action get narrowed resources (else "*")? */
static bool narrowed(const struct usage_action_view *v)
{
	if (!v->nres || v->res_more)
		return false;
	for (size_t i = 0; i < v->nres; i++)
		if (strncmp(v->res[i], "arn:", 4))
			return false;
	const struct iam_action_info *info = iam_action_find(v->action);
	return !(info && info->wildcard_only);
}

static bool same_resources(const struct usage_action_view *a, const struct usage_action_view *b)
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
static void write_sid(struct jw *w, const char *service, size_t nth)
{
	char sid[64 + 24]; /* a service name (< 64 bytes) and any size_t */
	size_t k = 0;
	bool up = true;
	for (const char *p = service; *p && k < 64; p++) {
		if (!isalnum((unsigned char)*p)) {
			up = true;
			continue;
		}
		sid[k++] = up ? (char)toupper((unsigned char)*p) : *p;
		up = false;
	}
	sid[k] = '\0';
	if (nth > 1)
		snprintf(sid + k, sizeof(sid) - k, "%zu", nth);
	jw_string(w, sid);
}

bool policy_generate(struct strbuf *sb, const struct trail_usage *u, const char *principal, bool text,
		     struct policy_gen_info *info)
{
	memset(info, 0, sizeof(*info));
	struct usage_action_view *v;
	size_t n = usage_actions(u, principal, &v);
	struct gen_stmt *st = NULL;
	size_t nst = 0, cap = 0, ucap = 0;
	for (size_t i = 0; i < n; i++) {
		info->events += v[i].count;
		if (v[i].first[0] && (!info->first[0] || strcmp(v[i].first, info->first) < 0))
			memcpy(info->first, v[i].first, sizeof(info->first));
		if (v[i].last[0] && strcmp(v[i].last, info->last) > 0)
			memcpy(info->last, v[i].last, sizeof(info->last));
		if (!action_known(v[i].action)) {
			XGROW(info->unmapped, ucap, info->nunmapped + 1);
			info->unmapped[info->nunmapped++] = xstrdup(v[i].action);
			continue;
		}
		const char *colon = strchr(v[i].action, ':');
		size_t slen = colon ? (size_t)(colon - v[i].action) : 0;
		if (!slen || slen >= sizeof(st->service))
			continue;
		const struct usage_action_view *res = narrowed(&v[i]) ? &v[i] : NULL;
		struct gen_stmt *s = NULL;
		/* actions are sorted, so a service's statements are the last ones */
		for (size_t k = nst; k-- > 0;) {
			if (strlen(st[k].service) != slen || memcmp(st[k].service, v[i].action, slen))
				break;
			if (same_resources(st[k].res_of, res)) {
				s = &st[k];
				break;
			}
		}
		if (!s) {
			XGROW(st, cap, nst + 1);
			s = &st[nst++];
			memset(s, 0, sizeof(*s));
			memcpy(s->service, v[i].action, slen);
			s->service[slen] = '\0';
			s->res_of = res;
		}
		XGROW(s->acts, s->cap, s->nacts + 1);
		s->acts[s->nacts++] = &v[i];
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
	for (size_t k = 0; k < nst; k++) {
		const struct gen_stmt *s = &st[k];
		nth = (k && !strcmp(st[k - 1].service, s->service)) ? nth + 1 : 1;
		bool more = (k + 1 < nst && !strcmp(st[k + 1].service, s->service)) || nth > 1;
		jw_object_begin(&w, JW_PRETTY);
		jw_key(&w, "Sid");
		write_sid(&w, s->service, more ? nth : 1);
		jw_key_string(&w, "Effect", "Allow");
		jw_key(&w, "Action");
		jw_array_begin(&w, JW_PRETTY);
		for (size_t a = 0; a < s->nacts; a++) {
			/* AWS's spelling when the catalogue has it (CloudTrail's event
			 * name may differ in case); a pattern (kms:ReEncrypt*) as is */
			const struct iam_action_info *ai = iam_action_find(s->acts[a]->action);
			jw_string(&w, ai ? ai->display : s->acts[a]->action);
		}
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
	for (size_t k = 0; k < nst; k++)
		free(st[k].acts);
	free(st);
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
