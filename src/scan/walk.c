/*
 * walk.c - the scan's filter over the shared directory walker (walk.h).
 */
#include "scan/walk.h"
#include "core/walk.h"
#include "core/xalloc.h"
#include "model/cdk.h"

#include <string.h>

static void add_input(struct scan_inputs *out, const char *path, const char *stack, size_t root,
		      bool explicit_)
{
	XGROW(out->v, out->cap, out->n + 1);
	struct scan_input *in = &out->v[out->n++];
	in->path = xstrdup(path);
	in->stack = stack ? xstrdup(stack) : NULL;
	in->root = root;
	in->explicit_ = explicit_;
}

/* What the walker's callbacks work on. */
struct collect {
	struct scan_inputs *out;
	struct diags *d;
};

static bool has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), m = strlen(ext);
	return n > m && !strcmp(name + n - m, ext);
}

static bool has_template_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return false;
	return !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json") ||
	       !strcmp(dot, ".template");
}

static bool enter(void *ctx, const struct walk_entry *dir)
{
	struct collect *c = ctx;
	struct scan_inputs *out = c->out;
	if (dir->depth > 0 && (dir->name[0] == '.' || !strcmp(dir->name, "node_modules")))
		return false;
	if (dir->depth == 0)
		out->roots[dir->root].dir = true;
	if (!cdk_is_assembly(dir->path))
		return true;
	struct cdk_stack *stacks = NULL;
	size_t n = cdk_stacks(dir->path, &stacks, c->d);
	for (size_t i = 0; i < n; i++)
		add_input(out, stacks[i].template, stacks[i].name, dir->root, true);
	cdk_stacks_free(stacks, n);
	return false;
}

static bool want(void *ctx, const struct walk_entry *file)
{
	(void)ctx;
	return file->name[0] != '.' && has_template_ext(file->name);
}

static void take(void *ctx, const struct walk_entry *file)
{
	struct collect *c = ctx;
	add_input(c->out, file->path, NULL, file->root, file->depth == 0);
}

static void pass(void *ctx, const struct walk_entry *file)
{
	struct scan_inputs *out = ((struct collect *)ctx)->out;
	if (file->name[0] == '.')
		return; /* hidden: not part of what the user keeps here */
	if (has_ext(file->name, ".tf"))
		out->roots[file->root].terraform++;
	else
		out->roots[file->root].other++;
}

void scan_collect(const char *const *paths, size_t npaths, struct scan_inputs *out,
		  struct diags *d)
{
	out->roots = xcalloc(npaths ? npaths : 1, sizeof *out->roots);
	out->nroots = npaths;
	struct collect c = {out, d};
	const struct walk_ops ops = {enter, want, take, pass, &c};
	for (size_t i = 0; i < npaths; i++) {
		out->roots[i].path = paths[i];
		walk_path(paths[i], i, &ops, d);
	}
}

void scan_inputs_free(struct scan_inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].stack);
	}
	free(in->v);
	free(in->roots);
	memset(in, 0, sizeof *in);
}
