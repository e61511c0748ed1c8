/*
 * walk.h - turning command-line paths into the list of inputs to scan.
 *
 * A file is taken as given.  A directory is walked recursively (sorted,
 * hidden directories and node_modules skipped) for .yaml/.yml/.json/
 * .template files; a directory holding a CDK cloud assembly contributes
 * its stack templates instead, tagged with the stack name.
 */
#ifndef RAMPART_SCAN_WALK_H
#define RAMPART_SCAN_WALK_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct scan_input {
	char *path;       /* malloc */
	char *stack;      /* CDK stack name, or NULL */
	bool explicit_;   /* named on the command line: must be a template */
};

struct scan_inputs {
	struct scan_input *v;
	size_t n, cap;
};

/* Append the inputs of one command-line path; problems go to d. */
void walk_path(const char *path, struct scan_inputs *out, struct diags *d);
void scan_inputs_free(struct scan_inputs *in);

#endif
