/*
 * scan.c - the scan pipeline, file by file on a pool of worker threads.
 *
 * Each input is one task: read, load (YAML/JSON), model (intrinsics, SAM),
 * run the enabled checks.  A task works in its own arena, freed as soon as
 * its findings (which own their strings) are made, so memory stays bounded
 * by the files being processed at once, not by the whole scan.  Workers
 * take the next task from a shared counter; results land in the task's own
 * slot and are merged in input order, then sorted.
 */
#include "scan/scan.h"
#include "checks/catalogue.h"
#include "core/arena.h"
#include "core/xalloc.h"
#include "load/load.h"
#include "scan/walk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* CloudFormation's template size limit (templates uploaded through S3). */
#define SCAN_TEMPLATE_LIMIT (1024u * 1024)
/* Largest template rampart still scans; larger ones are reported, not read. */
#define SCAN_MAX_BYTES (8u * 1024 * 1024)

struct task {
	const struct scan_input *in;
	struct findings findings;
	struct diags diags;
	size_t templates, resources;
	bool skipped;
};

struct pool {
	struct task *tasks;
	size_t n;
	atomic_size_t next;
	const struct scan_options *opt;
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

static void run_checks(struct task *t, struct stack *s, const struct scan_options *opt)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < n; i++) {
		if (opt->enabled && !opt->enabled[i])
			continue;
		struct check_ctx ctx = {all[i], s, &t->findings, &t->diags};
		all[i]->run(&ctx);
	}
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
		run_checks(t, s, opt);
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

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			break;
		scan_one(&p->tasks[i], p->opt);
	}
	return NULL;
}

int scan_paths(const char *const *paths, size_t npaths, const struct scan_options *opt,
	       struct scan_result *res)
{
	memset(res, 0, sizeof *res);
	struct scan_inputs inputs = {0};
	for (size_t i = 0; i < npaths; i++)
		walk_path(paths[i], &inputs, &res->diags);

	struct pool pool = {0};
	pool.tasks = xcalloc(inputs.n ? inputs.n : 1, sizeof *pool.tasks);
	pool.n = inputs.n;
	pool.opt = opt;
	atomic_init(&pool.next, 0);
	for (size_t i = 0; i < inputs.n; i++)
		pool.tasks[i].in = &inputs.v[i];

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = opt->threads > 0 ? (size_t)opt->threads : (ncpu > 0 ? (size_t)ncpu : 1);
	if (nthreads > inputs.n)
		nthreads = inputs.n ? inputs.n : 1;
	if (nthreads > 64)
		nthreads = 64;
	pthread_t tids[64];
	size_t started = 0;
	for (size_t i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[started], NULL, worker, &pool) == 0)
			started++;
	}
	worker(&pool); /* the calling thread works too */
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);

	for (size_t i = 0; i < inputs.n; i++) {
		struct task *t = &pool.tasks[i];
		findings_move(&res->findings, &t->findings);
		diags_move(&res->diags, &t->diags);
		res->templates += t->templates;
		res->resources += t->resources;
		if (t->skipped)
			res->skipped++;
		else
			res->files++;
	}
	free(pool.tasks);
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
