/*
 * finding.c - the findings list: append, merge, sort, free.
 */
#include "checks/finding.h"
#include "checks/check.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct finding *findings_add(struct findings *f)
{
	XGROW(f->v, f->cap, f->n + 1);
	struct finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	return x;
}

void findings_move(struct findings *dst, struct findings *src)
{
	XMOVE_ALL(dst->v, dst->n, dst->cap, src->v, src->n, src->cap);
}

static int nullcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c;
	if ((c = nullcmp(x->file, y->file)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if ((c = strcmp(x->check->id, y->check->id)))
		return c;
	if ((c = nullcmp(x->resource, y->resource)))
		return c;
	if ((c = nullcmp(x->stack, y->stack)))
		return c;
	if ((c = nullcmp(x->message, y->message)))
		return c;
	/* The rest only orders findings the keys above cannot tell apart, so
	 * that the order never depends on the order checks made them in. */
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->certain != y->certain)
		return x->certain ? -1 : 1;
	if (x->suppressed != y->suppressed)
		return x->suppressed ? 1 : -1;
	if ((c = nullcmp(x->source_resource, y->source_resource)))
		return c;
	if ((c = nullcmp(x->resource_type, y->resource_type)))
		return c;
	if ((c = nullcmp(x->cdk_path, y->cdk_path)))
		return c;
	return nullcmp(x->suppress_reason, y->suppress_reason);
}

void findings_sort(struct findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof *f->v, finding_cmp);
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct finding *x = &f->v[i];
		free(x->resource);
		free(x->source_resource);
		free(x->resource_type);
		free(x->cdk_path);
		free(x->stack);
		free(x->file);
		free(x->message);
		free(x->suppress_reason);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}
