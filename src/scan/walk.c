/*
 * walk.c - directory walking for scan (walk.h).
 */
#include "scan/walk.h"
#include "core/xalloc.h"
#include "model/cdk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 64

static void add_input(struct scan_inputs *out, const char *path, const char *stack, bool explicit_)
{
	XGROW(out->v, out->cap, out->n + 1);
	struct scan_input *in = &out->v[out->n++];
	in->path = xstrdup(path);
	in->stack = stack ? xstrdup(stack) : NULL;
	in->explicit_ = explicit_;
}

static bool has_template_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return false;
	return !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json") ||
	       !strcmp(dot, ".template");
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	size_t nl = strlen(name);
	char *p = xmalloc(dl + nl + 2);
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, nl + 1);
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_assembly(const char *dir, struct scan_inputs *out, struct diags *d)
{
	struct cdk_stack *stacks = NULL;
	size_t n = cdk_stacks(dir, &stacks, d);
	for (size_t i = 0; i < n; i++)
		add_input(out, stacks[i].template, stacks[i].name, true);
	cdk_stacks_free(stacks, n);
}

static void walk_dir(const char *dir, int depth, struct scan_inputs *out, struct diags *d)
{
	struct pos p = {dir, 0, 0};
	if (depth > WALK_MAX_DEPTH) {
		diag_warn(d, p, "directory nesting deeper than %d: not descended", WALK_MAX_DEPTH);
		return;
	}
	if (cdk_is_assembly(dir)) {
		add_assembly(dir, out, d);
		return;
	}
	DIR *dh = opendir(dir);
	if (!dh) {
		diag_error(d, p, "cannot open directory: %s", strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
			continue;
		XGROW(names, cap, n + 1);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dh);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *full = join(dir, names[i]);
		struct stat st;
		if (lstat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk_dir(full, depth + 1, out, d);
			else if (S_ISREG(st.st_mode) && has_template_ext(names[i]))
				add_input(out, full, NULL, false);
		}
		free(full);
		free(names[i]);
	}
	free(names);
}

void walk_path(const char *path, struct scan_inputs *out, struct diags *d)
{
	struct stat st;
	struct pos p = {path, 0, 0};
	if (!strcmp(path, "-")) {
		add_input(out, "-", NULL, true);
		return;
	}
	if (stat(path, &st) != 0) {
		diag_error(d, p, "cannot read: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_dir(path, 0, out, d);
	else
		add_input(out, path, NULL, true);
}

void scan_inputs_free(struct scan_inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].stack);
	}
	free(in->v);
	in->v = NULL;
	in->n = in->cap = 0;
}
