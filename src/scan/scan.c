/*
 * scan.c - the scan pipeline, file by file on a pool of worker threads.
 *
 * Each input is one task: read, load (YAML/JSON), model (intrinsics, SAM),
 * run the enabled checks.  A task works in its own arena, freed as soon as
 * its findings (which own their strings) are made, so memory stays bounded
 * by the files being processed at once, not by the whole scan.  Tasks run
 * on the shared worker pool (core/pool.h); results land in the task's own
 * slot and are merged in input order, then sorted.
 */
#include "scan/scan.h"
#include "checks/run.h"
#include "core/arena.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "load/load.h"
#include "scan/walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CloudFormation's template size limit (templates uploaded through S3). */
#define SCAN_TEMPLATE_LIMIT (1024u * 1024)
/* Largest template rampart still scans; larger ones are reported, not read. */
#define SCAN_MAX_BYTES (8u * 1024 * 1024)

struct task {
	const struct scan_input *in;
	const struct scan_options *opt;
	struct findings findings;
	struct diags diags;
	size_t templates, resources;
	bool skipped;
};

static char *read_stdin(size_t *len, struct diags *d)
{
	size_t cap = 65536, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= LOAD_MAX_FILE) {
				struct pos p = {"-", 0, 0};
				diag_error(d, p, "standard input is larger than %u MB", LOAD_MAX_FILE / (1024 * 1024));
				free(buf);
				return NULL;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, stdin);
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Cheap test before parsing a file found by a directory walk. */
static bool worth_parsing(const char *buf, size_t len)
{
	return memmem(buf, len, "Resources", 9) || memmem(buf, len, "AWSTemplateFormatVersion", 24) ||
	       memmem(buf, len, "Transform", 9);
}

static void scan_one(struct task *t, const struct scan_options *opt)
{
	const struct scan_input *in = t->in;
	size_t len = 0;
	char *buf = !strcmp(in->path, "-") ? read_stdin(&len, &t->diags) : load_read_file(in->path, &len, &t->diags);
	if (!buf)
		return;
	if (!in->explicit_ && !worth_parsing(buf, len)) {
		t->skipped = true;
		free(buf);
		return;
	}
	if (len > SCAN_TEMPLATE_LIMIT && (in->explicit_ || model_text_looks_like_template(buf, len))) {
		/* CloudFormation rejects templates over 1 MB, so such a file cannot
		 * be deployed as it stands: an input error.  Up to SCAN_MAX_BYTES
		 * it is still scanned (a SAM template may shrink when packaged);
		 * beyond, it is not, which keeps time and memory bounded. */
		struct pos p = {in->path, 1, 1};
		if (len > SCAN_MAX_BYTES) {
			diag_error(&t->diags, p, "template is %zu MB: over CloudFormation's 1 MB limit and rampart's %u MB scan limit; not scanned",
				   len / (1024 * 1024), SCAN_MAX_BYTES / (1024 * 1024));
			free(buf);
			return;
		}
		diag_error(&t->diags, p, "template is %zu KB: over CloudFormation's 1 MB limit (it cannot be deployed as is); scanned anyway",
			   len / 1024);
	}
	struct arena *a = arena_new();
	struct diags local = {0};
	struct node *root = load_template_buffer(in->path, buf, len, a, &local);
	if (!root) {
		/* In a directory walk, a broken file that is not a template is
		 * not our business; a broken template is an error. */
		if (in->explicit_ || model_text_looks_like_template(buf, len))
			diags_move(&t->diags, &local);
		else {
			t->skipped = true;
			diags_free(&local);
		}
		free(buf);
		arena_free(a);
		return;
	}
	free(buf);
	bool any = false;
	for (struct node *doc = root; doc; doc = doc->next_doc) {
		if (!model_is_template(doc))
			continue;
		any = true;
		struct stack *s = model_build(doc, in->path, &opt->model, a, &local);
		if (!s)
			continue;
		if (in->stack)
			s->name = arena_strdup(a, in->stack);
		t->templates++;
		t->resources += s->nres;
		checks_run(s, opt->enabled, &t->findings, &t->diags);
	}
	if (!any) {
		if (in->explicit_) {
			struct pos p = {in->path, 1, 1};
			diag_error(&local, p, "not a CloudFormation or SAM template (no Resources)");
		} else {
			t->skipped = true;
			/* Warnings about a file we do not scan are noise. */
			diags_free(&local);
		}
	}
	diags_move(&t->diags, &local);
	arena_free(a);
}

static void run_task(void *shared, void *worker, size_t i)
{
	(void)worker;
	struct task *tasks = shared;
	scan_one(&tasks[i], tasks[i].opt);
}

static void put_count(struct strbuf *sb, size_t n, const char *one, const char *many)
{
	if (!n)
		return;
	sb_printf(sb, "%s%zu %s", sb->len ? "; " : "", n, n == 1 ? one : many);
}

/* A scan that read no template must not pass for a clean one: each
 * directory named says what it held instead (an error, so exit 2). */
static void report_no_templates(const struct scan_inputs *in, const size_t *notcfn,
				struct diags *d)
{
	for (size_t r = 0; r < in->nroots; r++) {
		const struct scan_root *root = &in->roots[r];
		if (!root->dir)
			continue;
		struct strbuf sb = STRBUF_INIT;
		put_count(&sb, notcfn[r], "YAML/JSON file is not CloudFormation",
			  "YAML/JSON files are not CloudFormation");
		put_count(&sb, root->terraform, ".tf file is Terraform (not yet supported)",
			  ".tf files are Terraform (not yet supported)");
		put_count(&sb, root->other, "other file", "other files");
		struct pos p = {root->path, 0, 0};
		diag_error(d, p, "no templates in the directory: %s",
			   sb.len ? sb.s : "it holds no files (hidden ones aside)");
		sb_free(&sb);
	}
}

int scan_paths(const char *const *paths, size_t npaths, const struct scan_options *opt,
	       struct scan_result *res)
{
	memset(res, 0, sizeof *res);
	struct scan_inputs inputs = {0};
	scan_collect(paths, npaths, &inputs, &res->diags);

	struct task *tasks = xcalloc(inputs.n ? inputs.n : 1, sizeof *tasks);
	for (size_t i = 0; i < inputs.n; i++) {
		tasks[i].in = &inputs.v[i];
		tasks[i].opt = opt;
	}
	struct pool_work work = {
		.items = inputs.n,
		.threads = pool_threads(opt->threads, inputs.n),
		.run = run_task,
		.shared = tasks,
	};
	pool_run(&work);

	/* files each path held that were read and found not to be templates */
	size_t *notcfn = xcalloc(npaths ? npaths : 1, sizeof *notcfn);
	for (size_t i = 0; i < inputs.n; i++) {
		struct task *t = &tasks[i];
		findings_move(&res->findings, &t->findings);
		diags_move(&res->diags, &t->diags);
		res->templates += t->templates;
		res->resources += t->resources;
		if (t->skipped) {
			res->skipped++;
			notcfn[t->in->root]++;
		} else
			res->files++;
	}
	if (!res->templates)
		report_no_templates(&inputs, notcfn, &res->diags);
	free(notcfn);
	free(tasks);
	scan_inputs_free(&inputs);
	findings_sort(&res->findings);
	diags_sort(&res->diags);
	return 0;
}

void scan_result_free(struct scan_result *res)
{
	findings_free(&res->findings);
	diags_free(&res->diags);
}
