/*
 * stack_load.h - load templates from paths into IAM stack pictures, for the
 * commands that ask IAM questions of templates (`iam who-can`, `iam can`,
 * `trail usage --templates`).
 *
 * Each template gets its own arena, owned by the iam_stacks; files that are
 * not templates are skipped; problems go to the diags.
 */
#ifndef RAMPART_IAM_STACK_LOAD_H
#define RAMPART_IAM_STACK_LOAD_H

#include "core/diag.h"
#include "iam/stack_iam.h"

#include <stddef.h>

struct iam_loaded_stack {
	struct arena *a;
	struct stack *s;
	struct iam_stack is;
};

struct iam_stacks {
	struct iam_loaded_stack *v;
	size_t n, cap;
	struct diags d;
};

/* Walk the paths (files or directories) and build every template found. */
void iam_stacks_load(char **paths, int n, const char *account, const char *region, struct iam_stacks *out);
void iam_stacks_free(struct iam_stacks *st);

#endif
