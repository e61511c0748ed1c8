/*
 * diag.c - collecting, sorting and formatting diagnostics.
 */
#include "core/diag.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_vadd(struct diags *d, enum diag_level level, struct pos pos, const char *fmt, va_list ap)
{
	XGROW(d->v, d->cap, d->n + 1);
	struct diag *dg = &d->v[d->n++];
	dg->level = level;
	dg->file = xstrdup(pos.file ? pos.file : "-");
	dg->line = pos.line;
	dg->col = pos.col;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	dg->msg = xmalloc((size_t)n + 1);
	vsnprintf(dg->msg, (size_t)n + 1, fmt, ap);
}

void diag_add(struct diags *d, enum diag_level level, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, pos, fmt, ap);
	va_end(ap);
}

size_t diag_count(const struct diags *d, enum diag_level level)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].level == level;
	return n;
}

void diags_move(struct diags *dst, struct diags *src)
{
	XMOVE_ALL(dst->v, dst->n, dst->cap, src->v, src->n, src->cap);
}

static int diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return strcmp(x->msg, y->msg);
}

void diags_sort(struct diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(d->v[0]), diag_cmp);
}

void diag_format(const struct diag *dg, char *buf, size_t size)
{
	const char *lv = dg->level == DIAG_ERROR ? "error" : "warning";
	if (dg->line > 0)
		snprintf(buf, size, "%s:%d:%d: %s: %s", dg->file, dg->line, dg->col, lv, dg->msg);
	else
		snprintf(buf, size, "%s: %s: %s", dg->file, lv, dg->msg);
}

size_t diags_print(struct diags *d, FILE *f)
{
	diags_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		char buf[4096];
		diag_format(&d->v[i], buf, sizeof buf);
		fprintf(f, "%s\n", buf);
	}
	return diag_count(d, DIAG_ERROR);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
