/*
 * authz_details.c - roles and users with their identity policies from
 * `aws iam get-account-authorization-details` output (see authz_details.h).
 *
 * Two passes: every file is loaded first and its managed policies and
 * groups indexed (pages of one account may be saved apart), then each role
 * and user is resolved against those indexes.
 */
#include "iam/authz_details.h"

#include "core/arena.h"
#include "core/ascii.h"
#include "core/strmap.h"
#include "core/walk.h"
#include "core/xalloc.h"
#include "iam/principal.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A managed policy of the files: its default version, compiled. */
struct managed {
	const char *arn;
	const struct iam_policy *p; /* NULL: no default version, or not readable */
	bool partial;               /* statements were left out (errors) */
};

/* A group of the files, its policies compiled once for all its users. */
struct group {
	const struct node *entry;
	const struct iam_policy **pol;
	size_t npol;
	const char *uncertain;
};

struct doc {
	const char *file;
	const struct node *root;
};

struct loader {
	struct authz_set *s;
	struct doc *docs;
	size_t ndocs, dcap;
	struct strmap managed; /* ARN -> struct managed */
	struct strmap groups;  /* "ACCOUNT:NAME" -> struct group */
	struct strmap seen;    /* principal ARN -> itself (duplicates across pages) */
	size_t dir_files;      /* files taken from the directory being read */
};

/* A position naming a file (or argument) only. */
static struct pos at_file(const char *file)
{
	struct pos p = {file, 0, 0};
	return p;
}

static const char *const gaad_keys[] = {"RoleDetailList", "UserDetailList", "GroupDetailList", "Policies"};

static bool is_gaad(const struct node *root)
{
	if (!root || root->kind != NODE_MAP)
		return false;
	for (size_t i = 0; i < sizeof gaad_keys / sizeof *gaad_keys; i++)
		if (node_get(root, gaad_keys[i]))
			return true;
	return false;
}


bool authz_url_decode(const char *s, size_t len, struct arena *a, char **out, size_t *outlen)
{
	char *d = arena_alloc(a, len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			d[k++] = s[i];
			continue;
		}
		int hi = i + 2 < len ? hex_digit_value((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < len ? hex_digit_value((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0)
			return false;
		d[k++] = (char)(hi * 16 + lo);
		i += 2;
	}
	d[k] = '\0';
	*out = d;
	*outlen = k;
	return true;
}

/* A policy document held as a URL-encoded string: decoded, parsed, and its
 * diagnostics moved to the string's position in the file. */
static const struct iam_policy *parse_encoded(struct loader *L, const struct node *str, const char *name)
{
	struct authz_set *s = L->s;
	char *text;
	size_t len;
	if (!authz_url_decode(str->str, str->len, s->a, &text, &len)) {
		diag_error(&s->d, str->pos, "policy document '%s' is a string but not URL-encoded JSON "
			   "(a '%%' without two hex digits)", name);
		return NULL;
	}
	struct diags tmp = {0};
	const char *label = str->pos.file ? str->pos.file : "policy";
	struct node *root = load_buffer(label, text, len, s->a, &tmp);
	const struct iam_policy *p = root ? iam_policy_parse(root, name, IAM_IDENTITY, s->a, &tmp) : NULL;
	for (size_t i = 0; i < tmp.n; i++)
		diag_add(&s->d, tmp.v[i].level, str->pos,
			 "in URL-encoded policy document '%s' (decoded line %d, column %d): %s", name,
			 tmp.v[i].line, tmp.v[i].col, tmp.v[i].msg);
	diags_free(&tmp);
	return p;
}

/*
 * A PolicyDocument (object or URL-encoded string) compiled; NULL with a
 * diagnostic.  *partial is set when errors left statements out.
 */
static const struct iam_policy *parse_doc(struct loader *L, const struct node *doc, const char *name,
					  struct pos where, bool *partial)
{
	if (!doc) {
		diag_error(&L->s->d, where, "policy '%s' has no policy document", name);
		return NULL;
	}
	size_t errors = diag_count(&L->s->d, DIAG_ERROR);
	const struct iam_policy *p = doc->kind == NODE_STRING
					 ? parse_encoded(L, doc, name)
					 : iam_policy_parse(doc, name, IAM_IDENTITY, L->s->a, &L->s->d);
	*partial = p && diag_count(&L->s->d, DIAG_ERROR) > errors;
	return p;
}

/* The string field key of a map entry, or NULL with an error naming what. */
static const char *need_str(struct loader *L, const struct node *entry, const char *key, const char *what)
{
	const char *v = node_str(node_get(entry, key));
	if (!v || !*v)
		diag_error(&L->s->d, entry->pos, "%s entry has no %s; skipped", what, key);
	return v && *v ? v : NULL;
}

/* The list under key, or NULL (an error when present but not a list). */
static const struct node *list_of(struct loader *L, const struct node *m, const char *key)
{
	const struct node *n = node_get(m, key);
	if (!n || n->kind == NODE_NULL)
		return NULL;
	if (n->kind != NODE_SEQ) {
		diag_error(&L->s->d, n->pos, "%s must be a list; ignored", key);
		return NULL;
	}
	return n;
}

/* ARN field 4 (the account), copied into the arena; "" when absent. */
static const char *arn_account(struct arena *a, const char *arn)
{
	const char *seg[6];
	size_t len[6];
	return iam_arn_fields(arn, seg, len) ? "" : arena_strndup(a, seg[4], len[4]);
}

/* ---- pass 1: files, managed policies, groups ---- */

static void add_file(struct loader *L, const char *path)
{
	struct authz_set *s = L->s;
	struct node *root = load_file(path, s->a, &s->d);
	if (!root)
		return;
	if (!is_gaad(root)) {
		diag_error(&s->d, root->pos, "not the output of 'aws iam get-account-authorization-details' "
			   "(no RoleDetailList, UserDetailList, GroupDetailList or Policies); for one policy "
			   "document give NAME=FILE");
		return;
	}
	XGROW(L->docs, L->dcap, L->ndocs + 1);
	L->docs[L->ndocs++] = (struct doc){root->pos.file ? root->pos.file : arena_strdup(s->a, path), root};
}

/* A directory of saved pages: its own *.json files, not its subdirectories. */
static bool dir_enter(void *ctx, const struct walk_entry *dir)
{
	(void)ctx;
	return dir->depth == 0;
}

static bool dir_want(void *ctx, const struct walk_entry *file)
{
	(void)ctx;
	size_t l = strlen(file->name);
	return l > 5 && file->name[0] != '.' && !strcmp(file->name + l - 5, ".json");
}

static void dir_take(void *ctx, const struct walk_entry *file)
{
	struct loader *L = ctx;
	add_file(L, arena_strdup(L->s->a, file->path));
	L->dir_files++;
}

static void add_dir(struct loader *L, const char *path)
{
	const struct walk_ops ops = {dir_enter, dir_want, dir_take, NULL, L};
	size_t problems = L->s->d.n;
	L->dir_files = 0;
	walk_path(path, 0, &ops, &L->s->d);
	if (!L->dir_files && L->s->d.n == problems)
		diag_error(&L->s->d, at_file(path), "no *.json file in the directory");
}

static bool is_true(const struct node *n)
{
	if (!n)
		return false;
	if (n->kind == NODE_BOOL)
		return n->boolean;
	const char *s = node_str(n);
	return s && !strcmp(s, "true");
}

static void index_managed(struct loader *L, const struct node *root)
{
	const struct node *pols = list_of(L, root, "Policies");
	for (size_t i = 0; pols && i < pols->n; i++) {
		const struct node *p = pols->items[i];
		const char *arn = need_str(L, p, "Arn", "managed policy");
		if (!arn || strmap_get(&L->managed, arn))
			continue;
		const char *name = node_str(node_get(p, "PolicyName"));
		if (!name)
			name = arn;
		const char *dflt = node_str(node_get(p, "DefaultVersionId"));
		const struct node *vers = list_of(L, p, "PolicyVersionList");
		const struct node *use = NULL;
		for (size_t k = 0; vers && k < vers->n && !use; k++)
			if (is_true(node_get(vers->items[k], "IsDefaultVersion")))
				use = vers->items[k];
		for (size_t k = 0; vers && k < vers->n && !use && dflt; k++) {
			const char *id = node_str(node_get(vers->items[k], "VersionId"));
			if (id && !strcmp(id, dflt))
				use = vers->items[k];
		}
		struct managed *m = arena_alloc(L->s->a, sizeof *m);
		m->arn = arn;
		if (!use)
			diag_error(&L->s->d, p->pos, "managed policy %s has no default version in "
				   "PolicyVersionList; it is not counted", arn);
		else
			m->p = parse_doc(L, node_get(use, "Document"), name, use->pos, &m->partial);
		strmap_put(&L->managed, arn, m);
	}
}

/* Append policy p to an arena array. */
static void push_policy(struct arena *a, const struct iam_policy ***v, size_t *n, const struct iam_policy *p)
{
	const struct iam_policy **nv = (const struct iam_policy **)arena_grow(a, (void *)*v, *n, *n + 1, sizeof *nv);
	nv[(*n)++] = p;
	*v = nv;
}

/* Inline policies (list under key) and attached managed policies of an
 * entry, into *v; *uncertain set when one is missing or unreadable. */
static void entry_policies(struct loader *L, const struct node *entry, const char *inline_key,
			   const struct iam_policy ***v, size_t *n, const char **uncertain)
{
	struct arena *a = L->s->a;
	const struct node *inl = list_of(L, entry, inline_key);
	for (size_t i = 0; inl && i < inl->n; i++) {
		const struct node *ip = inl->items[i];
		const char *pname = node_str(node_get(ip, "PolicyName"));
		if (!pname)
			pname = "inline";
		bool partial = false;
		const struct iam_policy *p = parse_doc(L, node_get(ip, "PolicyDocument"), pname, ip->pos, &partial);
		if (p)
			push_policy(a, v, n, p);
		if (!p || partial)
			*uncertain = arena_printf(a, "inline policy %s could not be read%s", pname,
						  p ? " fully" : "");
	}
	const struct node *att = list_of(L, entry, "AttachedManagedPolicies");
	for (size_t i = 0; att && i < att->n; i++) {
		const char *arn = node_str(node_get(att->items[i], "PolicyArn"));
		if (!arn) {
			diag_error(&L->s->d, att->items[i]->pos, "attached policy entry has no PolicyArn");
			*uncertain = "an attached managed policy names no ARN";
			continue;
		}
		const struct managed *m = strmap_get(&L->managed, arn);
		if (m && m->p)
			push_policy(a, v, n, m->p);
		if (!m)
			*uncertain = arena_printf(a, "managed policy %s is not in the authorization details", arn);
		else if (!m->p || m->partial)
			*uncertain = arena_printf(a, "managed policy %s could not be read%s", arn,
						  m->p ? " fully" : "");
	}
}

static void index_groups(struct loader *L, const struct node *root)
{
	const struct node *gl = list_of(L, root, "GroupDetailList");
	for (size_t i = 0; gl && i < gl->n; i++) {
		const struct node *e = gl->items[i];
		const char *name = need_str(L, e, "GroupName", "group");
		if (!name)
			continue;
		const char *arn = node_str(node_get(e, "Arn"));
		const char *key = arena_printf(L->s->a, "%s:%s", arn ? arn_account(L->s->a, arn) : "", name);
		if (strmap_get(&L->groups, key))
			continue;
		struct group *g = arena_alloc(L->s->a, sizeof *g);
		g->entry = e;
		entry_policies(L, e, "GroupPolicyList", &g->pol, &g->npol, &g->uncertain);
		strmap_put(&L->groups, key, g);
	}
}

/* ---- pass 2: principals ---- */

static struct authz_principal *add_principal(struct authz_set *s)
{
	XGROW(s->v, s->cap, s->n + 1);
	struct authz_principal *p = &s->v[s->n++];
	memset(p, 0, sizeof *p);
	return p;
}

static void add_principals(struct loader *L, const struct doc *doc, bool users)
{
	struct authz_set *s = L->s;
	const char *what = users ? "user" : "role";
	const struct node *list = list_of(L, doc->root, users ? "UserDetailList" : "RoleDetailList");
	for (size_t i = 0; list && i < list->n; i++) {
		const struct node *e = list->items[i];
		if (e->kind != NODE_MAP) {
			diag_error(&s->d, e->pos, "%s entry must be a map; skipped", what);
			continue;
		}
		const char *name = need_str(L, e, users ? "UserName" : "RoleName", what);
		const char *arn = name ? need_str(L, e, "Arn", what) : NULL;
		if (!arn)
			continue;
		if (strmap_get(&L->seen, arn))
			continue; /* the same principal on two pages */
		strmap_put(&L->seen, arn, (void *)arn);
		struct authz_principal *p = add_principal(s);
		p->kind = users ? AUTHZ_USER : AUTHZ_ROLE;
		p->name = name;
		p->arn = arn;
		p->file = doc->file;
		entry_policies(L, e, users ? "UserPolicyList" : "RolePolicyList", &p->policies, &p->npolicies,
			       &p->uncertain);
		const char *pb = node_str(node_get(node_get(e, "PermissionsBoundary"), "PermissionsBoundaryArn"));
		if (pb) {
			const struct managed *m = strmap_get(&L->managed, pb);
			p->boundary = m ? m->p : NULL;
			if (!p->boundary || m->partial)
				p->uncertain = arena_printf(s->a, "permissions boundary %s %s", pb,
							    !m ? "is not in the authorization details"
							    : m->p ? "could not be read fully" : "could not be read");
		}
		const struct node *groups = users ? list_of(L, e, "GroupList") : NULL;
		for (size_t k = 0; groups && k < groups->n; k++) {
			const char *gname = node_str(groups->items[k]);
			if (!gname) {
				diag_error(&s->d, groups->items[k]->pos, "GroupList entries must be group names");
				continue;
			}
			const char *key = arena_printf(s->a, "%s:%s", arn_account(s->a, arn), gname);
			const struct group *g = strmap_get(&L->groups, key);
			if (!g) {
				p->uncertain = arena_printf(s->a, "group %s is not in the authorization details",
							    gname);
				continue;
			}
			for (size_t j = 0; j < g->npol; j++)
				push_policy(s->a, &p->policies, &p->npolicies, g->pol[j]);
			if (g->uncertain)
				p->uncertain = arena_printf(s->a, "group %s: %s", gname, g->uncertain);
		}
	}
}

/* NAME=FILE: one policy document for one principal. */
static void add_named(struct loader *L, const char *arg, const char *eq)
{
	struct authz_set *s = L->s;
	const char *who = arena_strndup(s->a, arg, (size_t)(eq - arg));
	const char *path = eq + 1;
	if (!*who || !*path) {
		diag_error(&s->d, at_file(arg), "--policies takes FILE, DIR or NAME=FILE");
		return;
	}
	enum authz_kind kind = AUTHZ_ANY;
	const char *name = who, *arn = NULL;
	if (!strncmp(who, "arn:", 4)) {
		const char *r = strstr(who, ":role/"), *u = strstr(who, ":user/");
		if (!r && !u) {
			diag_error(&s->d, at_file(arg), "%s is not the ARN of an IAM role or user",
				   who);
			return;
		}
		kind = r ? AUTHZ_ROLE : AUTHZ_USER;
		arn = who;
		name = strrchr(who, '/') + 1;
	}
	struct node *root = load_file(path, s->a, &s->d);
	if (!root)
		return;
	if (is_gaad(root)) {
		diag_error(&s->d, root->pos, "this is authorization-details output: give it to --policies "
			   "without NAME=");
		return;
	}
	size_t errors = diag_count(&s->d, DIAG_ERROR);
	const struct iam_policy *p = iam_policy_parse(root, name, IAM_IDENTITY, s->a, &s->d);
	if (!p)
		return;
	struct authz_principal *pr = add_principal(s);
	pr->kind = kind;
	pr->name = name;
	pr->arn = arn;
	pr->file = root->pos.file ? root->pos.file : arena_strdup(s->a, path);
	push_policy(s->a, &pr->policies, &pr->npolicies, p);
	if (diag_count(&s->d, DIAG_ERROR) > errors)
		pr->uncertain = "the policy could not be read fully";
}

void authz_load(char *const *args, size_t n, struct authz_set *out)
{
	if (!out->a)
		out->a = arena_new();
	struct loader L;
	memset(&L, 0, sizeof L);
	L.s = out;
	strmap_init(&L.managed, out->a);
	strmap_init(&L.groups, out->a);
	strmap_init(&L.seen, out->a);
	/* Named documents after the files, in argument order among themselves. */
	const char **named = xcalloc(n ? n : 1, sizeof *named);
	const char **eqs = xcalloc(n ? n : 1, sizeof *eqs);
	size_t nnamed = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		const char *eq = strchr(args[i], '=');
		if (stat(args[i], &st) != 0 && eq) {
			named[nnamed] = args[i];
			eqs[nnamed++] = eq;
		} else if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			add_dir(&L, args[i]);
		} else {
			add_file(&L, args[i]);
		}
	}
	for (size_t i = 0; i < L.ndocs; i++)
		index_managed(&L, L.docs[i].root);
	for (size_t i = 0; i < L.ndocs; i++)
		index_groups(&L, L.docs[i].root);
	for (size_t i = 0; i < L.ndocs; i++) {
		add_principals(&L, &L.docs[i], false);
		add_principals(&L, &L.docs[i], true);
	}
	for (size_t i = 0; i < nnamed; i++)
		add_named(&L, named[i], eqs[i]);
	free(named);
	free(eqs);
	free(L.docs);
}

void authz_free(struct authz_set *s)
{
	if (s->a)
		arena_free(s->a);
	free(s->v);
	diags_free(&s->d);
	memset(s, 0, sizeof *s);
}
