/*
 * walk.h - which files a scan reads: the command-line paths, through the
 * shared walker (core/walk.h), filtered for templates.
 *
 * A file named on the command line is taken as given.  A directory is
 * walked (sorted; hidden directories and node_modules skipped) for
 * .yaml/.yml/.json/.template files; a directory holding a CDK cloud
 * assembly contributes its stack templates instead, tagged with the stack
 * name.  What the walk passes over is counted per path by kind, so a scan
 * that finds no template can say what it found instead.
 */
#ifndef RAMPART_SCAN_WALK_H
#define RAMPART_SCAN_WALK_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct scan_input {
	char *path;       /* malloc; may be longer than PATH_MAX (input.h opens it) */
	char *stack;      /* CDK stack name, or NULL */
	size_t root;      /* the command-line path it came from */
	bool explicit_;   /* named on the command line: must be a template */
};

/* One command-line path and what its walk passed over. */
struct scan_root {
	const char *path;   /* as given (not owned) */
	bool dir;           /* it was walked */
	size_t terraform;   /* .tf files (Terraform: not read yet) */
	size_t other;       /* other files that are not templates by name */
};

struct scan_inputs {
	struct scan_input *v;
	size_t n, cap;
	struct scan_root *roots; /* one per command-line path */
	size_t nroots;
};

/* The inputs of the command-line paths, in order; problems go to d. */
void scan_collect(const char *const *paths, size_t npaths, struct scan_inputs *out,
		  struct diags *d);
void scan_inputs_free(struct scan_inputs *in);

#endif
