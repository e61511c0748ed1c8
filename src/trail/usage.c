/*
 * usage.c - IAM actions used per principal (see usage.h).
 *
 * Memory grows with principals x actions x (at most USAGE_MAX_RESOURCES)
 * resources, never with events.  Each worker thread aggregates on its own;
 * usage_merge joins them after the read.
 */
#include "trail/usage.h"
#include "trail/json.h"

#include "core/jsonw.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- event -> IAM action ---------------------------------------------------- */

/* Service prefixes whose eventSource differs (trailscraper, cloudtracker). */
static const struct {
	const char *source, *prefix;
} renames[] = {
    {"monitoring.amazonaws.com", "cloudwatch"},
    {"appstream2.amazonaws.com", "appstream"},
    {"models.lex.amazonaws.com", "lex"},
    {"runtime.lex.amazonaws.com", "lex"},
    {"mturk-requester.amazonaws.com", "mechanicalturk"},
    {"streams.dynamodb.amazonaws.com", "dynamodb"},
    {"tagging.amazonaws.com", "tag"},
    {"email.amazonaws.com", "ses"},
};

/* S3 event names that are not their IAM action (trailscraper's table; its
 * PutBucketReplication -> DeleteReplicationConfiguration bug not copied). */
static const struct {
	const char *event, *action;
} s3_map[] = {
    {"ListBuckets", "ListAllMyBuckets"},
    {"HeadBucket", "ListBucket"},
    {"ListObjects", "ListBucket"},
    {"ListObjectsV2", "ListBucket"},
    {"HeadObject", "GetObject"},
    {"CopyObject", "PutObject"},
    {"CreateMultipartUpload", "PutObject"},
    {"UploadPart", "PutObject"},
    {"UploadPartCopy", "PutObject"},
    {"CompleteMultipartUpload", "PutObject"},
    {"DeleteObjects", "DeleteObject"},
    {"ListObjectVersions", "ListBucketVersions"},
    {"ListMultipartUploads", "ListBucketMultipartUploads"},
    {"ListParts", "ListMultipartUploadParts"},
    {"GetBucketLifecycle", "GetLifecycleConfiguration"},
    {"GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"},
    {"PutBucketLifecycle", "PutLifecycleConfiguration"},
    {"PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"},
    {"DeleteBucketLifecycle", "PutLifecycleConfiguration"},
    {"GetBucketEncryption", "GetEncryptionConfiguration"},
    {"PutBucketEncryption", "PutEncryptionConfiguration"},
    {"DeleteBucketEncryption", "PutEncryptionConfiguration"},
    {"GetBucketReplication", "GetReplicationConfiguration"},
    {"PutBucketReplication", "PutReplicationConfiguration"},
    {"DeleteBucketReplication", "PutReplicationConfiguration"},
    {"DeleteBucketTagging", "PutBucketTagging"},
    {"DeleteBucketWebsite", "DeleteBucketWebsite"},
    {"GetBucketNotificationConfiguration", "GetBucketNotification"},
    {"PutBucketNotificationConfiguration", "PutBucketNotification"},
    {"GetBucketCors", "GetBucketCORS"},
    {"PutBucketCors", "PutBucketCORS"},
    {"DeleteBucketCors", "PutBucketCORS"},
    {"GetBucketPublicAccessBlock", "GetBucketPublicAccessBlock"},
    {"DeleteBucketPublicAccessBlock", "PutBucketPublicAccessBlock"},
    {"DeleteBucketOwnershipControls", "PutBucketOwnershipControls"},
};

/* Events no IAM action authorises (cloudtracker NO_IAM). */
static const char *const no_iam[] = {
    "sts:GetCallerIdentity", "sts:GetSessionToken", "signin:ConsoleLogin", "signin:CheckMFA",
    "signin:ExitRole",       "signin:RenewRole",    "signin:SwitchRole",   NULL,
};

bool trail_iam_action(struct tstr source, struct tstr name, char *out, size_t size)
{
	if (!source.s || !name.s || !source.n || !name.n || size < 8)
		return false;
	char prefix[64];
	const char *pre = NULL;
	for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
		if (tstr_eq(source, renames[i].source))
			pre = renames[i].prefix;
	if (!pre) {
		const char *dot = memchr(source.s, '.', source.n);
		size_t n = dot ? (size_t)(dot - source.s) : source.n;
		if (n == 0 || n >= sizeof(prefix))
			return false;
		memcpy(prefix, source.s, n);
		prefix[n] = '\0';
		pre = prefix;
	}
	char ev[128];
	size_t n = name.n < sizeof(ev) - 1 ? name.n : sizeof(ev) - 1;
	memcpy(ev, name.s, n);
	ev[n] = '\0';
	/* versioned names: CreateDistribution2015_07_27 -> CreateDistribution */
	if (n > 10) {
		char *v = ev + n - 10;
		if (v[0] == '2' && v[1] == '0' && isdigit((unsigned char)v[2]) &&
		    isdigit((unsigned char)v[3]) && v[4] == '_' && isdigit((unsigned char)v[5]) &&
		    isdigit((unsigned char)v[6]) && v[7] == '_' && isdigit((unsigned char)v[8]) &&
		    isdigit((unsigned char)v[9]))
			*v = '\0';
	}
	const char *act = ev;
	if (!strcmp(pre, "s3")) {
		for (size_t i = 0; i < sizeof(s3_map) / sizeof(s3_map[0]); i++)
			if (!strcmp(ev, s3_map[i].event))
				act = s3_map[i].action;
	} else if (!strcmp(pre, "kms") && !strcmp(ev, "ReEncrypt")) {
		act = "ReEncrypt*";
	}
	int w = snprintf(out, size, "%s:%s", pre, act);
	if (w < 0 || (size_t)w >= size)
		return false;
	for (size_t i = 0; no_iam[i]; i++)
		if (!strcmp(out, no_iam[i]))
			return false;
	return true;
}

bool trail_usage_principal(const struct trail_event *ev, char *out, size_t size)
{
	struct tstr p = {0};
	if (tstr_eq(ev->uid_type, "AssumedRole") && ev->issuer_arn.s && ev->issuer_arn.n)
		p = ev->issuer_arn;
	else if (ev->uid_arn.s && ev->uid_arn.n) {
		p = ev->uid_arn;
		/* arn:aws:sts::ACCT:assumed-role/ROLE/SESSION -> arn:aws:iam::ACCT:role/ROLE */
		static const char ar[] = ":assumed-role/";
		const char *m = memmem(p.s, p.n, ar, sizeof(ar) - 1);
		if (m && p.n > 12 && !memcmp(p.s, "arn:", 4)) {
			const char *sts = memmem(p.s, (size_t)(m - p.s), ":sts::", 6);
			const char *role = m + sizeof(ar) - 1;
			const char *end = p.s + p.n;
			const char *slash = memchr(role, '/', (size_t)(end - role));
			if (sts && slash) {
				int w = snprintf(out, size, "%.*s:iam::%.*s:role/%.*s",
						 (int)(sts - p.s), p.s,
						 (int)(m - (sts + 6)), sts + 6,
						 (int)(slash - role), role);
				return w > 0 && (size_t)w < size;
			}
		}
	} else if (ev->uid_invoked_by.s && ev->uid_invoked_by.n)
		p = ev->uid_invoked_by;
	if (!p.s || p.n >= size)
		return false;
	memcpy(out, p.s, p.n);
	out[p.n] = '\0';
	return true;
}

/* ---- aggregation ------------------------------------------------------------ */

/* A string -> index hash (open addressing), malloc-owned keys. */
struct sidx {
	char **keys;
	size_t *vals;
	size_t cap, n;
};

static size_t *sidx_slot(struct sidx *x, const char *k, bool insert)
{
	if (insert && (x->n + 1) * 2 > x->cap) {
		struct sidx old = *x;
		x->cap = old.cap ? old.cap * 2 : 16;
		x->keys = xcalloc(x->cap, sizeof(char *));
		x->vals = xcalloc(x->cap, sizeof(size_t));
		x->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				size_t h = (size_t)str_hash(old.keys[i], strlen(old.keys[i])) & (x->cap - 1);
				while (x->keys[h])
					h = (h + 1) & (x->cap - 1);
				x->keys[h] = old.keys[i];
				x->vals[h] = old.vals[i];
				x->n++;
			}
		free(old.keys);
		free(old.vals);
	}
	if (!x->cap)
		return NULL;
	size_t h = (size_t)str_hash(k, strlen(k)) & (x->cap - 1);
	while (x->keys[h]) {
		if (!strcmp(x->keys[h], k))
			return &x->vals[h];
		h = (h + 1) & (x->cap - 1);
	}
	if (!insert)
		return NULL;
	x->keys[h] = xstrdup(k);
	x->n++;
	x->vals[h] = (size_t)-1;
	return &x->vals[h];
}

static void sidx_free(struct sidx *x)
{
	for (size_t i = 0; i < x->cap; i++)
		free(x->keys[i]);
	free(x->keys);
	free(x->vals);
	memset(x, 0, sizeof(*x));
}

struct act {
	char *action;
	char first[24], last[24];
	uint64_t count;
	char *res[USAGE_MAX_RESOURCES];
	size_t nres;
	bool res_more; /* more resources than kept */
};

struct princ {
	char *arn;
	char *type;
	struct act *acts;
	size_t nacts, cap;
	struct sidx idx;
	uint64_t denied, no_iam;
};

struct trail_usage {
	struct princ *p;
	size_t n, cap;
	struct sidx idx;
};

struct trail_usage *usage_new(void)
{
	return xcalloc(1, sizeof(struct trail_usage));
}

static void act_free(struct act *a)
{
	free(a->action);
	for (size_t i = 0; i < a->nres; i++)
		free(a->res[i]);
}

/* Free what u holds and leave it empty (usable again). */
static void usage_clear(struct trail_usage *u)
{
	for (size_t i = 0; i < u->n; i++) {
		for (size_t k = 0; k < u->p[i].nacts; k++)
			act_free(&u->p[i].acts[k]);
		free(u->p[i].acts);
		free(u->p[i].arn);
		free(u->p[i].type);
		sidx_free(&u->p[i].idx);
	}
	free(u->p);
	sidx_free(&u->idx);
	*u = (struct trail_usage){0};
}

void usage_free(struct trail_usage *u)
{
	if (!u)
		return;
	usage_clear(u);
	free(u);
}

/* The principal named arn, created on first sight.  Its type is the one
 * the events give (some events omit userIdentity.type), the smallest when
 * they disagree: never the first read, which depends on thread timing. */
static struct princ *princ_get(struct trail_usage *u, const char *arn, const char *type)
{
	size_t *slot = sidx_slot(&u->idx, arn, true);
	if (*slot == (size_t)-1) {
		XGROW(u->p, u->cap, u->n + 1);
		struct princ *p = &u->p[u->n];
		memset(p, 0, sizeof(*p));
		p->arn = xstrdup(arn);
		*slot = u->n++;
	}
	struct princ *p = &u->p[*slot];
	if (type && (!p->type || strcmp(type, p->type) < 0)) {
		free(p->type);
		p->type = xstrdup(type);
	}
	return p;
}

static struct act *act_get(struct princ *p, const char *action)
{
	size_t *slot = sidx_slot(&p->idx, action, true);
	if (*slot == (size_t)-1) {
		XGROW(p->acts, p->cap, p->nacts + 1);
		struct act *a = &p->acts[p->nacts];
		memset(a, 0, sizeof(*a));
		a->action = xstrdup(action);
		*slot = p->nacts++;
	}
	return &p->acts[*slot];
}

static void act_time(struct act *a, const char *t)
{
	if (!t || !*t)
		return;
	if (!a->first[0] || strcmp(t, a->first) < 0)
		snprintf(a->first, sizeof(a->first), "%s", t);
	if (!a->last[0] || strcmp(t, a->last) > 0)
		snprintf(a->last, sizeof(a->last), "%s", t);
}

static void act_resource(struct act *a, const char *arn, size_t n)
{
	for (size_t i = 0; i < a->nres; i++)
		if (strlen(a->res[i]) == n && !memcmp(a->res[i], arn, n))
			return;
	if (a->nres == USAGE_MAX_RESOURCES) {
		/* Keep the smallest by strcmp, not the first seen: which thread
		 * saw which file first must not change the report. */
		a->res_more = true;
		size_t max = 0;
		for (size_t i = 1; i < a->nres; i++)
			if (strcmp(a->res[i], a->res[max]) > 0)
				max = i;
		n = strnlen(arn, n); /* as xstrndup would keep it */
		int c = strncmp(a->res[max], arn, n);
		if (c > 0 || (c == 0 && a->res[max][n] != '\0')) { /* arn sorts first */
			free(a->res[max]);
			a->res[max] = xstrndup(arn, n);
		}
		return;
	}
	a->res[a->nres++] = xstrndup(arn, n);
}

/* The ARNs of the event's resources[] array. */
static void add_resources(struct act *a, const struct trail_event *ev)
{
	struct strbuf sb = STRBUF_INIT;
	struct tstr arr;
	if (trail_event_field(ev, "resources", &arr, &sb) != TV_ARRAY) {
		sb_free(&sb);
		return;
	}
	struct jp j;
	jp_init(&j, arr.s, arr.n);
	j.p++; /* '[' */
	for (;;) {
		jp_ws(&j);
		if (j.p >= j.end || *j.p == ']')
			break;
		if (*j.p == ',') {
			j.p++;
			continue;
		}
		if (*j.p != '{') {
			enum tval_kind k;
			struct tstr v;
			bool e;
			if (!jp_value(&j, 1, &k, &v, &e))
				break;
			continue;
		}
		jp_obj_begin(&j);
		struct tstr k, v;
		bool kesc, vesc, first = true;
		int rc;
		while ((rc = jp_obj_next(&j, first, &k, &kesc)) == 1) {
			first = false;
			enum tval_kind kind;
			if (!jp_value(&j, 2, &kind, &v, &vesc))
				break;
			if (kind == TV_STRING && !vesc && tstr_eq(k, "ARN"))
				act_resource(a, v.s, v.n);
		}
		if (rc != 0)
			break;
	}
	sb_free(&sb);
}

void usage_add(struct trail_usage *u, const struct trail_event *ev)
{
	char who[512], action[256];
	if (!trail_usage_principal(ev, who, sizeof(who)))
		return;
	char type[32] = "";
	if (ev->uid_type.s && ev->uid_type.n < sizeof(type)) {
		memcpy(type, ev->uid_type.s, ev->uid_type.n);
		type[ev->uid_type.n] = '\0';
	}
	struct princ *p = princ_get(u, who, type[0] ? (strcmp(type, "AssumedRole") ? type : "Role") : NULL);
	if (ev->error_code.s) {
		struct tstr e = ev->error_code;
		if ((e.n >= 12 && !memcmp(e.s, "AccessDenied", 12)) ||
		    (e.n >= 21 && !memcmp(e.s + e.n - 21, "UnauthorizedOperation", 21)))
			p->denied++;
		return; /* failed calls are not use */
	}
	if (!trail_iam_action(ev->source, ev->name, action, sizeof(action))) {
		p->no_iam++;
		return;
	}
	struct act *a = act_get(p, action);
	a->count++;
	char t[24] = "";
	if (ev->time.s && ev->time.n < sizeof(t)) {
		memcpy(t, ev->time.s, ev->time.n);
		t[ev->time.n] = '\0';
	}
	act_time(a, t);
	add_resources(a, ev);
}

void usage_merge(struct trail_usage *dst, struct trail_usage *src)
{
	for (size_t i = 0; i < src->n; i++) {
		struct princ *s = &src->p[i];
		struct princ *d = princ_get(dst, s->arn, s->type);
		d->denied += s->denied;
		d->no_iam += s->no_iam;
		for (size_t k = 0; k < s->nacts; k++) {
			struct act *sa = &s->acts[k];
			struct act *da = act_get(d, sa->action);
			da->count += sa->count;
			act_time(da, sa->first);
			act_time(da, sa->last);
			for (size_t r = 0; r < sa->nres; r++)
				act_resource(da, sa->res[r], strlen(sa->res[r]));
			da->res_more |= sa->res_more;
		}
	}
	usage_clear(src); /* leave src empty */
}

/* ---- reports ------------------------------------------------------------------ */

static int princ_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct princ *const *)a)->arn, (*(const struct princ *const *)b)->arn);
}

static int act_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct act *const *)a)->action,
		      (*(const struct act *const *)b)->action);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const struct princ **sorted_princs(const struct trail_usage *u)
{
	const struct princ **v = xcalloc(u->n ? u->n : 1, sizeof(*v));
	for (size_t i = 0; i < u->n; i++)
		v[i] = &u->p[i];
	qsort(v, u->n, sizeof(*v), princ_cmp);
	return v;
}

static const struct act **sorted_acts(const struct princ *p)
{
	const struct act **v = xcalloc(p->nacts ? p->nacts : 1, sizeof(*v));
	for (size_t i = 0; i < p->nacts; i++) {
		v[i] = &p->acts[i];
		qsort(((struct act *)v[i])->res, v[i]->nres, sizeof(char *), str_cmp);
	}
	qsort(v, p->nacts, sizeof(*v), act_cmp);
	return v;
}

void usage_write_json(struct strbuf *sb, const struct trail_usage *u)
{
	const struct princ **ps = sorted_princs(u);
	struct jw w;
	jw_init(&w, sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "principals");
	jw_array_begin(&w, JW_LINES);
	for (size_t i = 0; i < u->n; i++) {
		const struct princ *p = ps[i];
		jw_object_begin(&w, JW_COMPACT);
		jw_key_string(&w, "principal", p->arn);
		jw_key_string_or_null(&w, "type", p->type);
		jw_key_uint(&w, "denied_calls", p->denied);
		jw_key_uint(&w, "calls_without_iam_action", p->no_iam);
		jw_key(&w, "actions");
		jw_array_begin(&w, JW_COMPACT);
		const struct act **as = sorted_acts(p);
		for (size_t k = 0; k < p->nacts; k++) {
			const struct act *a = as[k];
			jw_object_begin(&w, JW_COMPACT);
			jw_key_string(&w, "action", a->action);
			jw_key_uint(&w, "count", a->count);
			jw_key_string(&w, "first", a->first);
			jw_key_string(&w, "last", a->last);
			jw_key(&w, "resources");
			jw_array_begin(&w, JW_COMPACT);
			for (size_t r = 0; r < a->nres; r++)
				jw_string(&w, a->res[r]);
			jw_array_end(&w);
			jw_key_bool(&w, "resources_truncated", a->res_more);
			jw_object_end(&w);
		}
		free(as);
		jw_array_end(&w);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
	free(ps);
}

void usage_write_text(struct strbuf *sb, const struct trail_usage *u)
{
	const struct princ **ps = sorted_princs(u);
	for (size_t i = 0; i < u->n; i++) {
		const struct princ *p = ps[i];
		sb_printf(sb, "%s%s (%s): %zu action%s used, %llu denied call%s\n", i ? "\n" : "",
			  p->arn, p->type ? p->type : "?", p->nacts, p->nacts == 1 ? "" : "s",
			  (unsigned long long)p->denied, p->denied == 1 ? "" : "s");
		const struct act **as = sorted_acts(p);
		for (size_t k = 0; k < p->nacts; k++) {
			const struct act *a = as[k];
			sb_printf(sb, "  %-45s %6llu  %s .. %s", a->action,
				  (unsigned long long)a->count, a->first, a->last);
			if (a->nres)
				sb_printf(sb, "  on %s%s", a->res[0],
					  a->nres > 1 || a->res_more ? " and more" : "");
			sb_putc(sb, '\n');
		}
		free(as);
	}
	free(ps);
}

size_t usage_action_count(const struct trail_usage *u, const char *principal)
{
	size_t *slot = sidx_slot((struct sidx *)&u->idx, principal, false);
	return slot ? u->p[*slot].nacts : 0;
}

bool usage_used(const struct trail_usage *u, const char *principal, const char *action)
{
	size_t *slot = sidx_slot((struct sidx *)&u->idx, principal, false);
	if (!slot)
		return false;
	const struct princ *p = &u->p[*slot];
	return sidx_slot((struct sidx *)&p->idx, action, false) != NULL;
}

/* ---- views for policy generation and reviews ------------------------------------ */

/* The last '/'-segment of a role/ or user/ ARN, or NULL. */
static const char *arn_short_name(const char *arn)
{
	const char *r = strstr(arn, ":role/");
	if (!r)
		r = strstr(arn, ":user/");
	if (!r)
		return NULL;
	const char *slash = strrchr(r, '/');
	return slash ? slash + 1 : NULL;
}

const char *usage_principal_find(const struct trail_usage *u, const char *who, bool *ambiguous)
{
	*ambiguous = false;
	size_t *slot = sidx_slot((struct sidx *)&u->idx, who, false);
	if (slot)
		return u->p[*slot].arn;
	const struct princ **ps = sorted_princs(u);
	const char *found = NULL;
	for (size_t i = 0; i < u->n; i++) {
		const char *name = arn_short_name(ps[i]->arn);
		if (name && !strcmp(name, who)) {
			if (found)
				*ambiguous = true;
			else
				found = ps[i]->arn;
		}
	}
	free(ps);
	return found;
}

size_t usage_actions(const struct trail_usage *u, const char *principal, struct usage_action_view **out)
{
	*out = NULL;
	size_t *slot = sidx_slot((struct sidx *)&u->idx, principal, false);
	if (!slot)
		return 0;
	const struct princ *p = &u->p[*slot];
	const struct act **as = sorted_acts(p);
	struct usage_action_view *v = xcalloc(p->nacts ? p->nacts : 1, sizeof(*v));
	for (size_t i = 0; i < p->nacts; i++) {
		v[i].action = as[i]->action;
		v[i].count = as[i]->count;
		v[i].first = as[i]->first;
		v[i].last = as[i]->last;
		v[i].res = as[i]->res;
		v[i].nres = as[i]->nres;
		v[i].res_more = as[i]->res_more;
	}
	free(as);
	*out = v;
	return p->nacts;
}

size_t usage_principals(const struct trail_usage *u, const char ***out)
{
	const struct princ **ps = sorted_princs(u);
	const char **v = xcalloc(u->n ? u->n : 1, sizeof(*v));
	for (size_t i = 0; i < u->n; i++)
		v[i] = ps[i]->arn;
	free(ps);
	*out = v;
	return u->n;
}
