/*
 * cdk.c - reading a CDK cloud assembly's manifest (see cdk.h).
 *
 * manifest.json is JSON, which the YAML loader reads with positions, so
 * every complaint about a manifest points at file:line:col.  A manifest is
 * trusted no further than its own directory: template files and nested
 * assembly directories must be relative paths without "..", and once
 * symbolic links are resolved they must still lie inside the top assembly.
 * Nesting is bounded by CDK_MAX_DEPTH and directories already being read
 * (by device and inode) are refused, so a cycle ends with an error.
 */
#include "model/cdk.h"
#include "core/arena.h"
#include "core/xalloc.h"
#include "load/load.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MANIFEST "manifest.json"

struct seen_dir {
	dev_t dev;
	ino_t ino;
};

struct walker {
	struct diags *d;
	struct cdk_stack *v;
	size_t n, cap;
	struct seen_dir seen[CDK_MAX_DEPTH + 1]; /* the chain of directories being read */
	size_t nseen;
	char *top_real;   /* realpath of the top assembly, or NULL when it has none */
	bool check_files; /* templates must exist (not in buffer mode) */
};

/* "dir/name", without doubling a trailing slash (malloc). */
static char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dl > 0 && dir[dl - 1] != '/';
	if (dl > SIZE_MAX - nl - 2)
		xalloc_die("path length");
	char *p = xmalloc(dl + nl + 2);
	memcpy(p, dir, dl);
	if (slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

/*
 * Why a manifest path may not be used, or NULL when it may: it must be a
 * non-empty relative path with no ".." component and no NUL byte.
 */
static const char *path_problem(const struct node *n)
{
	if (n->len == 0)
		return "is empty";
	if (strlen(n->str) != n->len)
		return "contains a NUL byte";
	if (n->str[0] == '/' || n->str[0] == '\\')
		return "is absolute";
	if (n->len >= 2 && isalpha((unsigned char)n->str[0]) && n->str[1] == ':' &&
	    (n->len == 2 || n->str[2] == '/' || n->str[2] == '\\'))
		return "is absolute (a drive letter)";
	const char *s = n->str;
	while (*s) {
		size_t l = strcspn(s, "/\\");
		if (l == 2 && s[0] == '.' && s[1] == '.')
			return "leaves the assembly with '..'";
		s += l;
		if (*s)
			s++;
	}
	return NULL;
}

/* Once links are resolved, is path inside the top assembly?  (true when it cannot be told) */
static bool inside_top(const struct walker *w, const char *path)
{
	if (!w->top_real)
		return true;
	char *real = realpath(path, NULL);
	if (!real)
		return true; /* missing: reported by whoever opens it */
	size_t tl = strlen(w->top_real);
	bool ok = !strncmp(real, w->top_real, tl) && (real[tl] == '/' || real[tl] == '\0');
	free(real);
	return ok;
}

static void add_stack(struct walker *w, const char *id, const struct node *artifact,
		      const char *template)
{
	const struct node *props = node_get(artifact, "properties");
	const char *stack_name = node_str(node_get(props, "stackName"));
	const char *display = node_str(node_get(artifact, "displayName"));
	XGROW(w->v, w->cap, w->n + 1);
	struct cdk_stack *s = &w->v[w->n++];
	s->template = xstrdup(template);
	s->id = xstrdup(id);
	s->name = xstrdup(stack_name && *stack_name ? stack_name : id);
	s->display = xstrdup(display && *display ? display : id);
}

static void read_assembly(struct walker *w, const char *dir, const char *buf, size_t len,
			  size_t depth, struct pos from);

/* A string property of an artifact that names a path inside the assembly, or NULL after an error. */
static const struct node *path_property(struct walker *w, const char *id, const struct node *artifact,
					const char *key)
{
	const struct node_pair *pp = node_get_pair(artifact, "properties");
	const struct node *props = pp ? pp->value : NULL;
	const struct node_pair *fp = node_get_pair(props, key);
	if (!fp) {
		struct pos p = pp ? pp->key->pos : artifact->pos;
		diag_error(w->d, p, "artifact '%s' has no properties.%s", id, key);
		return NULL;
	}
	const struct node *f = fp->value;
	if (f->kind != NODE_STRING) {
		diag_error(w->d, f->pos, "properties.%s of artifact '%s' must be a string, not a %s", key,
			   id, node_kind_name(f->kind));
		return NULL;
	}
	const char *why = path_problem(f);
	if (why) {
		diag_error(w->d, f->pos, "properties.%s of artifact '%s' %s: refused", key, id, why);
		return NULL;
	}
	return f;
}

static void read_stack_artifact(struct walker *w, const char *dir, const char *id,
				const struct node *artifact)
{
	const struct node *f = path_property(w, id, artifact, "templateFile");
	if (!f)
		return;
	char *path = path_join(dir, f->str);
	if (w->check_files) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			diag_error(w->d, f->pos, "template '%s' of stack '%s' is missing", path, id);
			free(path);
			return;
		}
		if (!inside_top(w, path)) {
			diag_error(w->d, f->pos, "template '%s' of stack '%s' links outside the assembly: refused",
				   path, id);
			free(path);
			return;
		}
	}
	add_stack(w, id, artifact, path);
	free(path);
}

static void read_nested_artifact(struct walker *w, const char *dir, const char *id,
				 const struct node *artifact, size_t depth)
{
	const struct node *f = path_property(w, id, artifact, "directoryName");
	if (!f)
		return;
	if (depth + 1 > CDK_MAX_DEPTH) {
		diag_error(w->d, f->pos, "nested assembly '%s' is more than %d levels deep: not read", id,
			   CDK_MAX_DEPTH);
		return;
	}
	char *sub = path_join(dir, f->str);
	if (!inside_top(w, sub))
		diag_error(w->d, f->pos, "nested assembly '%s' links outside the assembly: refused", id);
	else
		read_assembly(w, sub, NULL, 0, depth + 1, f->pos);
	free(sub);
}

static void read_artifacts(struct walker *w, const char *dir, const struct node *root, size_t depth)
{
	if (root->kind != NODE_MAP) {
		diag_error(w->d, root->pos, "a cloud assembly manifest must be a JSON object, not a %s",
			   node_kind_name(root->kind));
		return;
	}
	const struct node *arts = node_get(root, "artifacts");
	if (!arts) {
		diag_error(w->d, root->pos, "manifest has no \"artifacts\": not a cloud assembly");
		return;
	}
	if (arts->kind != NODE_MAP) {
		diag_error(w->d, arts->pos, "\"artifacts\" must be an object, not a %s",
			   node_kind_name(arts->kind));
		return;
	}
	for (size_t i = 0; i < arts->n; i++) {
		const struct node *key = arts->pairs[i].key;
		const struct node *a = arts->pairs[i].value;
		const char *id = key->str;
		if (a->kind != NODE_MAP) {
			diag_error(w->d, a->pos, "artifact '%s' must be an object, not a %s", id,
				   node_kind_name(a->kind));
			continue;
		}
		const struct node *type = node_get(a, "type");
		const char *t = node_str(type);
		if (!t) {
			diag_error(w->d, type ? type->pos : key->pos, "artifact '%s' has no \"type\" string", id);
			continue;
		}
		if (!strcmp(t, "aws:cloudformation:stack"))
			read_stack_artifact(w, dir, id, a);
		else if (!strcmp(t, "cdk:cloud-assembly"))
			read_nested_artifact(w, dir, id, a, depth);
		/* Other types (cdk:tree, cdk:asset-manifest, ...) hold no template. */
	}
}

/* Remember dir as being read; false (with an error at from) when it already is. */
static bool enter_dir(struct walker *w, const char *dir, struct pos from)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return true; /* the manifest read reports it */
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino) {
			diag_error(w->d, from, "nested assembly '%s' is an assembly already being read (cycle)",
				   dir);
			return false;
		}
	if (w->nseen < sizeof w->seen / sizeof *w->seen) {
		w->seen[w->nseen].dev = st.st_dev;
		w->seen[w->nseen].ino = st.st_ino;
		w->nseen++;
	}
	return true;
}

/*
 * Read the assembly at dir: its manifest from buf when given, else from
 * dir/manifest.json.  from is where the parent manifest names dir (line 0
 * for the top).
 */
static void read_assembly(struct walker *w, const char *dir, const char *buf, size_t len,
			  size_t depth, struct pos from)
{
	size_t mark = w->nseen;
	if (!enter_dir(w, dir, from))
		return;
	char *manifest = path_join(dir, MANIFEST);
	struct arena *a = arena_new();
	struct node *root;
	if (buf) {
		root = load_buffer(manifest, buf, len, a, w->d);
	} else {
		struct stat st;
		if (depth > 0 && stat(manifest, &st) != 0) {
			diag_error(w->d, from, "nested assembly '%s' has no %s", dir, MANIFEST);
			root = NULL;
		} else {
			root = load_file(manifest, a, w->d);
		}
	}
	if (root)
		read_artifacts(w, dir, root, depth);
	arena_free(a);
	free(manifest);
	w->nseen = mark;
}

static int stack_cmp(const void *x, const void *y)
{
	const struct cdk_stack *a = x, *b = y;
	int c = strcmp(a->template, b->template);
	return c ? c : strcmp(a->id, b->id);
}

/* Sort by template path; a template listed twice is kept once (the smallest ID). */
static size_t finish(struct walker *w, struct cdk_stack **out)
{
	if (w->n > 1)
		qsort(w->v, w->n, sizeof *w->v, stack_cmp);
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (k > 0 && !strcmp(w->v[k - 1].template, w->v[i].template)) {
			free(w->v[i].name);
			free(w->v[i].template);
			free(w->v[i].id);
			free(w->v[i].display);
			continue;
		}
		w->v[k++] = w->v[i];
	}
	free(w->top_real);
	if (k == 0) {
		free(w->v);
		w->v = NULL;
	}
	*out = w->v;
	return k;
}

static size_t walk(const char *dir, const char *buf, size_t len, bool check_files,
		   struct cdk_stack **out, struct diags *d)
{
	struct walker w;
	memset(&w, 0, sizeof w);
	w.d = d;
	w.check_files = check_files;
	w.top_real = realpath(dir, NULL);
	struct pos top = {NULL, 0, 0};
	read_assembly(&w, dir, buf, len, 0, top);
	return finish(&w, out);
}

bool cdk_is_assembly(const char *dir)
{
	char *manifest = path_join(dir, MANIFEST);
	struct stat st;
	bool yes = false;
	if (stat(manifest, &st) == 0 && S_ISREG(st.st_mode)) {
		/* "artifacts" in the text, even if the JSON is broken: a broken
		 * manifest is an error to report, not a directory to walk. */
		struct diags d = {0};
		size_t len = 0;
		char *buf = load_read_file(manifest, &len, &d);
		if (buf)
			yes = memmem(buf, len, "\"artifacts\"", 11) != NULL;
		free(buf);
		diags_free(&d);
		if (!yes) {
			/* CDK also writes cdk.out ({"version": ...}) and tree.json there. */
			char *marker = path_join(dir, "cdk.out");
			char *tree = path_join(dir, "tree.json");
			yes = stat(marker, &st) == 0 || stat(tree, &st) == 0;
			free(marker);
			free(tree);
		}
	}
	free(manifest);
	return yes;
}

size_t cdk_stacks(const char *dir, struct cdk_stack **out, struct diags *d)
{
	return walk(dir, NULL, 0, true, out, d);
}

size_t cdk_stacks_buffer(const char *dir, const char *buf, size_t len, struct cdk_stack **out,
			 struct diags *d)
{
	return walk(dir, buf ? buf : "", buf ? len : 0, false, out, d);
}

void cdk_stacks_free(struct cdk_stack *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].template);
		free(v[i].id);
		free(v[i].display);
	}
	free(v);
}
