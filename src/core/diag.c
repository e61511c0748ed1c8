/*
 * diag.c - collecting, sorting and formatting diagnostics (diag.h).
 */
#include "core/diag.h"
#include "core/strbuf.h"
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

/* The largest j <= i at which a UTF-8 sequence starts (a cut there splits none). */
static size_t seq_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* Append path, at most max bytes of it (max >= 3): a longer one keeps a
 * third of the room for its start and the rest for its end, which names
 * the file, around "...". */
static void put_path(struct strbuf *out, const char *path, size_t max)
{
	size_t n = strlen(path);
	if (n <= max) {
		sb_append(out, path, n);
		return;
	}
	size_t keep = max - 3;
	size_t head = seq_start(path, keep / 3);
	size_t from = n - (keep - keep / 3);
	while (from < n && ((unsigned char)path[from] & 0xC0) == 0x80)
		from++;
	sb_append(out, path, head);
	sb_puts(out, "...");
	sb_append(out, path + from, n - from);
}

/* Everything after the file name: ":line:col: level: message". */
static void put_rest(const struct diag *dg, struct strbuf *out)
{
	const char *lv = dg->level == DIAG_ERROR ? "error" : "warning";
	if (dg->line > 0)
		sb_printf(out, ":%d:%d: %s: ", dg->line, dg->col, lv);
	else
		sb_printf(out, ": %s: ", lv);
	sb_puts(out, dg->msg);
}

void diag_append_path(struct strbuf *out, const char *path)
{
	put_path(out, path, DIAG_PATH_SHOWN);
}

void diag_append(const struct diag *dg, struct strbuf *out)
{
	put_path(out, dg->file, DIAG_PATH_SHOWN);
	put_rest(dg, out);
}

int diag_print(const struct diag *dg, FILE *f)
{
	struct strbuf line = STRBUF_INIT;
	diag_append(dg, &line);
	sb_putc(&line, '\n');
	int rc = fwrite(line.s, 1, line.len, f) == line.len ? 0 : -1;
	sb_free(&line);
	return rc;
}

void diag_format(const struct diag *dg, char *buf, size_t size)
{
	if (!size)
		return;
	struct strbuf rest = STRBUF_INIT, line = STRBUF_INIT;
	put_rest(dg, &rest);
	size_t room = size - 1;
	/* the file name gets what the rest leaves, never less than a stub */
	size_t pmax = rest.len + 8 <= room ? room - rest.len : 8;
	if (pmax > DIAG_PATH_SHOWN)
		pmax = DIAG_PATH_SHOWN;
	put_path(&line, dg->file, pmax);
	sb_append(&line, rest.s, rest.len);
	size_t n = line.len <= room ? line.len : seq_start(line.s, room);
	memcpy(buf, line.s, n);
	buf[n] = '\0';
	sb_free(&rest);
	sb_free(&line);
}

size_t diags_print(struct diags *d, FILE *f)
{
	diags_sort(d);
	for (size_t i = 0; i < d->n; i++)
		(void)diag_print(&d->v[i], f); /* nothing better to do when stderr fails */
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
