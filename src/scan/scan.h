/*
 * scan.h - scanning paths: find templates, load, model, check; in parallel.
 *
 * scan_paths() walks the given files and directories (scan/walk.h; CDK
 * cloud assemblies are recognised by their manifest.json), processes each
 * template on the worker pool (core/pool.h) with its own arena, keeps
 * only findings and diagnostics (which own their memory), and returns them
 * sorted: the output does not depend on scheduling.
 */
#ifndef RAMPART_SCAN_SCAN_H
#define RAMPART_SCAN_SCAN_H

#include "checks/check.h"
#include "checks/finding.h"
#include "core/diag.h"
#include "model/stack.h"

#include <stdbool.h>
#include <stddef.h>

struct scan_options {
	struct model_options model;
	/* Which checks run: NULL = all.  Indexed like catalogue_all(). */
	const bool *enabled;
	int threads; /* 0 = one per online CPU */
};

struct scan_result {
	struct findings findings;
	struct diags diags;
	size_t files;      /* files read */
	size_t templates;  /* templates (documents) modelled */
	size_t resources;  /* resources after SAM expansion */
	size_t skipped;    /* files in directories that were not templates */
};

/* Returns 0; problems are in res->diags.  A scan that finds no template
 * at all adds an error per directory named, saying what it held instead
 * (so a CI gate never passes on nothing). */
int scan_paths(const char *const *paths, size_t npaths, const struct scan_options *opt,
	       struct scan_result *res);
void scan_result_free(struct scan_result *res);

#endif
