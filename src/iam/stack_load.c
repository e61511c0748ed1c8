/*
 * stack_load.c - templates from paths to IAM stack pictures (see
 * stack_load.h).  Moved out of access.c so trail usage can share it.
 */
#include "iam/stack_load.h"

#include "core/arena.h"
#include "core/xalloc.h"
#include "load/load.h"
#include "scan/walk.h"

#include <stdlib.h>

void iam_stacks_load(char **paths, int n, const char *account, const char *region, struct iam_stacks *out)
{
	struct scan_inputs in = {0};
	scan_collect((const char *const *)paths, n > 0 ? (size_t)n : 0, &in, &out->d);
	for (size_t i = 0; i < in.n; i++) {
		struct arena *a = arena_new();
		struct node *root = load_file(in.v[i].path, a, &out->d);
		struct stack *s = NULL;
		if (root && model_is_template(root)) {
			struct model_options opt = {0};
			opt.account_id = account;
			opt.region = region;
			s = model_build(root, in.v[i].path, &opt, a, &out->d);
		}
		if (!s) {
			arena_free(a);
			continue;
		}
		XGROW(out->v, out->cap, out->n + 1);
		struct iam_loaded_stack *ls = &out->v[out->n++];
		ls->a = a;
		ls->s = s;
		iam_stack_build(&ls->is, s, account, region, a, &out->d);
	}
	scan_inputs_free(&in);
}

void iam_stacks_free(struct iam_stacks *st)
{
	for (size_t i = 0; i < st->n; i++)
		arena_free(st->v[i].a);
	free(st->v);
	diags_free(&st->d);
}
