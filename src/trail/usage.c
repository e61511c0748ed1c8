/*
 * usage.c - IAM actions used per principal (see usage.h).
 *
 * Memory grows with principals x actions x (at most USAGE_MAX_RESOURCES)
 * resources, plus at most USAGE_MAX_WARNINGS_PER_FILE warnings per file,
 * never with events.  Each worker thread aggregates on its own;
 * usage_merge joins them after the read.  No name, ARN or time is cut to a
 * fixed buffer: what cannot be read is a warning, never a silent drop.
 */
#include "trail/usage.h"
#include "trail/json.h"
#include "trail/timestamp.h"

#include "core/jsonw.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * A versioned event name's API-version suffix: its length, or 0.
 * CloudFront writes CreateDistribution2015_07_27, Lambda
 * CreateFunction20150331 and UpdateFunctionCode20150331v2; the IAM action
 * is the name without it.  Something must be left before it, and not a
 * digit (X120150331 is no date).
 */
static size_t version_suffix(struct tstr name)
{
	const char *s = name.s;
	size_t n = name.n;
	if (n > 10 && s[n - 10] == '2' && s[n - 9] == '0' && all_digits(s + n - 8, 2) && s[n - 6] == '_' &&
	    all_digits(s + n - 5, 2) && s[n - 3] == '_' && all_digits(s + n - 2, 2))
		return 10;
	size_t v = n; /* Lambda: 20YYMMDD, then v and digits or nothing */
	while (v > 0 && isdigit((unsigned char)s[v - 1]))
		v--;
	if (v < n && v > 0 && s[v - 1] == 'v')
		v--;
	else
		v = n;
	if (v >= 9 && s[v - 8] == '2' && s[v - 7] == '0' && all_digits(s + v - 6, 6) &&
	    !isdigit((unsigned char)s[v - 9]))
		return n - (v - 8);
	return 0;
}

bool trail_iam_action(struct tstr source, struct tstr name, struct strbuf *out)
{
	sb_reset(out);
	if (!source.s || !name.s || !source.n || !name.n)
		return false;
	/* a host name and a service prefix: letter case does not matter */
	struct tstr pre = {0};
	for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
		if (tstr_ieq(source, renames[i].source))
			pre = (struct tstr){renames[i].prefix, strlen(renames[i].prefix)};
	if (!pre.s) {
		const char *dot = memchr(source.s, '.', source.n);
		pre = (struct tstr){source.s, dot ? (size_t)(dot - source.s) : source.n};
		if (!pre.n)
			return false;
	}
	struct tstr ev = {name.s, name.n - version_suffix(name)};
	const char *act = NULL;
	if (tstr_ieq(pre, "s3")) {
		for (size_t i = 0; i < sizeof(s3_map) / sizeof(s3_map[0]); i++)
			if (tstr_ieq(ev, s3_map[i].event))
				act = s3_map[i].action;
	} else if (tstr_ieq(pre, "kms") && tstr_ieq(ev, "ReEncrypt")) {
		act = "ReEncrypt*";
	}
	for (size_t i = 0; i < pre.n; i++) /* IAM writes service prefixes in lower case */
		sb_putc(out, (char)tolower((unsigned char)pre.s[i]));
	sb_putc(out, ':');
	if (act)
		sb_puts(out, act);
	else
		sb_append(out, ev.s, ev.n);
	/* IAM actions are case-insensitive: signin:CheckMfa is signin:CheckMFA */
	for (size_t i = 0; no_iam[i]; i++)
		if (!strcasecmp(out->s, no_iam[i]))
			return false;
	return true;
}

bool trail_usage_principal(const struct trail_event *ev, struct strbuf *out)
{
	sb_reset(out);
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
				sb_append(out, p.s, (size_t)(sts - p.s));
				sb_puts(out, ":iam::");
				sb_append(out, sts + 6, (size_t)(m - (sts + 6)));
				sb_puts(out, ":role/");
				sb_append(out, role, (size_t)(slash - role));
				return true;
			}
		}
	} else if (ev->uid_invoked_by.s && ev->uid_invoked_by.n)
		p = ev->uid_invoked_by;
	if (!p.s)
		return false;
	sb_append(out, p.s, p.n);
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
	char first[TRAIL_EVENT_TIME_SIZE], last[TRAIL_EVENT_TIME_SIZE]; /* "" until a time is read */
	uint64_t count;
	char *res[USAGE_MAX_RESOURCES];
	size_t nres;
	bool res_more; /* more resources than kept, or one without a usable ARN */
};

struct princ {
	char *arn;
	char *type;
	struct act *acts;
	size_t nacts, cap;
	struct sidx idx;
	uint64_t denied, no_iam;
};

/* A warning about one record: its byte offset and what went wrong. */
struct warn {
	uint64_t off;
	char *reason;
};

/* The warnings of one input file: every one counted, the
 * USAGE_MAX_WARNINGS_PER_FILE least by (offset, reason) kept, so which
 * are listed does not depend on how the file's events were split up. */
struct file_warns {
	char *file;
	uint64_t total, last_off; /* all warnings, the greatest offset */
	struct warn v[USAGE_MAX_WARNINGS_PER_FILE];
	size_t n;
	size_t greatest; /* index of the greatest kept, valid when n is full */
	bool greatest_ok;
};

struct trail_usage {
	struct princ *p;
	size_t n, cap;
	struct sidx idx;
	struct file_warns **fw;
	size_t nfw, fwcap;
	struct sidx fidx;
	/* scratch for one event (each table belongs to one thread) */
	struct strbuf who, action, field, decoded;
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

static void file_warns_free(struct file_warns *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].reason);
	free(f->file);
	free(f);
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
	for (size_t i = 0; i < u->nfw; i++)
		file_warns_free(u->fw[i]);
	free(u->fw);
	sidx_free(&u->fidx);
	sb_free(&u->who);
	sb_free(&u->action);
	sb_free(&u->field);
	sb_free(&u->decoded);
	*u = (struct trail_usage){0};
}

void usage_free(struct trail_usage *u)
{
	if (!u)
		return;
	usage_clear(u);
	free(u);
}

/* ---- warnings ---------------------------------------------------------------- */

static int warn_cmp(const struct warn *a, const struct warn *b)
{
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return strcmp(a->reason, b->reason);
}

static int warn_qcmp(const void *a, const void *b)
{
	return warn_cmp(a, b);
}

static struct file_warns *file_warns_get(struct trail_usage *u, const char *file)
{
	size_t *slot = sidx_slot(&u->fidx, file, true);
	if (*slot == (size_t)-1) {
		XGROW(u->fw, u->fwcap, u->nfw + 1);
		struct file_warns *f = xcalloc(1, sizeof(*f));
		f->file = xstrdup(file);
		u->fw[u->nfw] = f;
		*slot = u->nfw++;
	}
	return u->fw[*slot];
}

/* Keep w (taking its reason) if it is among the least of f; else free it. */
static void file_warns_keep(struct file_warns *f, struct warn w)
{
	if (f->n < USAGE_MAX_WARNINGS_PER_FILE) {
		f->v[f->n++] = w;
		f->greatest_ok = false;
		return;
	}
	if (!f->greatest_ok) {
		f->greatest = 0;
		for (size_t i = 1; i < f->n; i++)
			if (warn_cmp(&f->v[i], &f->v[f->greatest]) > 0)
				f->greatest = i;
		f->greatest_ok = true;
	}
	if (warn_cmp(&w, &f->v[f->greatest]) < 0) {
		free(f->v[f->greatest].reason);
		f->v[f->greatest] = w;
		f->greatest_ok = false;
	} else {
		free(w.reason);
	}
}

/* A value quoted for a warning: JSON escapes (no control byte reaches the
 * terminal), at most 128 bytes of it, so a warning stays small whatever
 * the record holds. */
static const char *quoted(struct strbuf *sb, const char *s, size_t n)
{
	sb_reset(sb);
	sb_json_strn(sb, s, n < 128 ? n : 128);
	if (n > 128)
		sb_puts(sb, "...");
	return sb->s;
}

/* A warning about the record ev, naming its event ID when it has one. */
static void warn(struct trail_usage *u, const struct trail_event *ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct trail_usage *u, const struct trail_event *ev, const char *fmt, ...)
{
	struct file_warns *f = file_warns_get(u, ev->file ? ev->file : "-");
	f->total++;
	if (ev->offset > f->last_off)
		f->last_off = ev->offset;
	/* past the bound, a file read in order only counts: not formatted */
	if (f->n == USAGE_MAX_WARNINGS_PER_FILE && f->greatest_ok && ev->offset > f->v[f->greatest].off)
		return;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (ev->event_id.s) {
		struct strbuf q = STRBUF_INIT;
		sb_printf(&sb, " (eventID %s)", quoted(&q, ev->event_id.s, ev->event_id.n));
		sb_free(&q);
	}
	file_warns_keep(f, (struct warn){ev->offset, sb_detach(&sb)});
}

void usage_take_warnings(struct trail_usage *u, struct trail_skips *skips)
{
	for (size_t i = 0; i < u->nfw; i++) {
		struct file_warns *f = u->fw[i];
		qsort(f->v, f->n, sizeof(f->v[0]), warn_qcmp);
		for (size_t k = 0; k < f->n; k++)
			trail_skip_add(skips, f->file, f->v[k].off, false, "%s", f->v[k].reason);
		if (f->total > f->n)
			trail_skip_add(skips, f->file, f->last_off, false,
				       "trail usage: %llu further warnings about this file not listed "
				       "(the last at this byte)",
				       (unsigned long long)(f->total - f->n));
		file_warns_free(f);
	}
	free(u->fw);
	u->fw = NULL;
	u->nfw = u->fwcap = 0;
	sidx_free(&u->fidx);
}

/* ---- adding events ----------------------------------------------------------- */

/* strcmp of the slice a (no NUL in it) with b. */
static int tstr_cmp(struct tstr a, const char *b)
{
	size_t bn = strlen(b);
	int c = memcmp(a.s, b, a.n < bn ? a.n : bn);
	return c ? c : a.n < bn ? -1 : a.n > bn;
}

/* The principal named arn, created on first sight.  Its type is the one
 * the events give (some events omit userIdentity.type), the smallest when
 * they disagree: never the first read, which depends on thread timing. */
static struct princ *princ_get(struct trail_usage *u, const char *arn, struct tstr type)
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
	if (type.s && type.n && (!p->type || tstr_cmp(type, p->type) < 0)) {
		free(p->type);
		p->type = xstrndup(type.s, type.n);
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

/* Widen a's window to the normalised time t ("" adds nothing). */
static void act_time(struct act *a, const char *t)
{
	if (!t[0])
		return;
	if (!a->first[0] || strcmp(t, a->first) < 0)
		memcpy(a->first, t, sizeof(a->first));
	if (!a->last[0] || strcmp(t, a->last) > 0)
		memcpy(a->last, t, sizeof(a->last));
}

/* Add the resource arn (n bytes, no NUL among them). */
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
		int c = strncmp(a->res[max], arn, n);
		if (c > 0 || (c == 0 && a->res[max][n] != '\0')) { /* arn sorts first */
			free(a->res[max]);
			a->res[max] = xstrndup(arn, n);
		}
		return;
	}
	a->res[a->nres++] = xstrndup(arn, n);
}

/* The string s decoded (JSON escapes), in u->decoded unless it has none. */
static struct tstr decode(struct trail_usage *u, struct tstr s, bool esc)
{
	if (!esc)
		return s;
	sb_reset(&u->decoded);
	sb_append(&u->decoded, s.s, s.n); /* room: decoding never lengthens */
	u->decoded.len = json_decode(s, u->decoded.s);
	u->decoded.s[u->decoded.len] = '\0';
	return (struct tstr){u->decoded.s, u->decoded.len};
}

/*
 * The ARNs of the event's resources[] array, decoded.  A resource named
 * without a string ARN (or with one holding a NUL) cannot be kept: the
 * action's list is then marked incomplete, so no policy is narrowed to the
 * others alone.
 */
static void add_resources(struct trail_usage *u, struct act *a, const struct trail_event *ev)
{
	struct tstr arr;
	if (trail_event_field(ev, "resources", &arr, &u->field) != TV_ARRAY)
		return;
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
			if (k != TV_NULL)
				a->res_more = true; /* a resource, but not an object with an ARN */
			continue;
		}
		jp_obj_begin(&j);
		struct tstr k, v;
		bool kesc, vesc, first = true, named = false;
		int rc;
		while ((rc = jp_obj_next(&j, first, &k, &kesc)) == 1) {
			first = false;
			enum tval_kind kind;
			if (!jp_value(&j, 2, &kind, &v, &vesc))
				break;
			if (kind != TV_STRING || !tstr_eq(decode(u, k, kesc), "ARN"))
				continue;
			v = decode(u, v, vesc);
			if (memchr(v.s, '\0', v.n)) {
				struct strbuf q1 = STRBUF_INIT, q2 = STRBUF_INIT;
				warn(u, ev, "resource ARN %s holds a NUL character: left out of the resources "
					    "of %s, which are marked incomplete",
				     quoted(&q1, v.s, v.n), quoted(&q2, a->action, strlen(a->action)));
				sb_free(&q1);
				sb_free(&q2);
				continue;
			}
			act_resource(a, v.s, v.n);
			named = true;
		}
		if (rc != 0)
			break;
		if (!named)
			a->res_more = true;
	}
	if (j.err) { /* the reader validated the record: not expected */
		struct strbuf q = STRBUF_INIT;
		warn(u, ev, "resources of the %s call could not be read (%s): marked incomplete",
		     quoted(&q, a->action, strlen(a->action)), j.err);
		sb_free(&q);
		a->res_more = true;
	}
}

static bool is_denied(struct tstr e)
{
	return (e.n >= 12 && !memcmp(e.s, "AccessDenied", 12)) ||
	       (e.n >= 21 && !memcmp(e.s + e.n - 21, "UnauthorizedOperation", 21));
}

void usage_add(struct trail_usage *u, const struct trail_event *ev)
{
	bool failed = ev->error_code.s != NULL;
	bool denied = failed && is_denied(ev->error_code);
	bool has_action = !failed && trail_iam_action(ev->source, ev->name, &u->action);
	struct strbuf q1 = STRBUF_INIT, q2 = STRBUF_INIT;
	if (!trail_usage_principal(ev, &u->who)) {
		/* nobody to count it for: said when a use or a denial is lost */
		if (has_action || denied)
			warn(u, ev, "the %s call names no principal (no userIdentity ARN, session issuer or "
				    "invokedBy): not counted for anyone",
			     denied ? "denied" : quoted(&q1, u->action.s, u->action.len));
		goto out;
	}
	struct tstr type = ev->uid_type;
	if (tstr_eq(type, "AssumedRole"))
		type = (struct tstr){"Role", 4};
	if (strlen(u->who.s) != u->who.len || (type.s && memchr(type.s, '\0', type.n)) ||
	    (has_action && strlen(u->action.s) != u->action.len)) {
		warn(u, ev, "the principal %s, its type or the action holds a NUL character: not counted",
		     quoted(&q1, u->who.s, u->who.len));
		goto out;
	}
	struct princ *p = princ_get(u, u->who.s, type);
	if (failed) {
		if (denied)
			p->denied++;
		goto out; /* failed calls are not use */
	}
	if (!has_action) {
		p->no_iam++;
		goto out;
	}
	struct act *a = act_get(p, u->action.s);
	a->count++;
	char t[TRAIL_EVENT_TIME_SIZE];
	if (!ev->time.s)
		warn(u, ev, "no eventTime: the %s call is counted without a time",
		     quoted(&q1, a->action, u->action.len));
	else if (!trail_event_time(ev->time.s, ev->time.n, t))
		warn(u, ev, "eventTime %s is not an RFC 3339 date and time: the %s call is counted without a time",
		     quoted(&q1, ev->time.s, ev->time.n), quoted(&q2, a->action, u->action.len));
	else
		act_time(a, t);
	add_resources(u, a, ev);
out:
	sb_free(&q1);
	sb_free(&q2);
}

void usage_merge(struct trail_usage *dst, struct trail_usage *src)
{
	for (size_t i = 0; i < src->n; i++) {
		struct princ *s = &src->p[i];
		struct princ *d = princ_get(dst, s->arn, s->type ? (struct tstr){s->type, strlen(s->type)}
								 : (struct tstr){0});
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
	for (size_t i = 0; i < src->nfw; i++) {
		struct file_warns *s = src->fw[i];
		struct file_warns *d = file_warns_get(dst, s->file);
		d->total += s->total;
		if (s->last_off > d->last_off)
			d->last_off = s->last_off;
		for (size_t k = 0; k < s->n; k++)
			file_warns_keep(d, s->v[k]);
		s->n = 0; /* the reasons moved */
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
			/* null: no event of the action had a readable time (each said) */
			jw_key_string_or_null(&w, "first", a->first[0] ? a->first : NULL);
			jw_key_string_or_null(&w, "last", a->last[0] ? a->last : NULL);
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
				  (unsigned long long)a->count, a->first[0] ? a->first : "?",
				  a->last[0] ? a->last : "?");
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
