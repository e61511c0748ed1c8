/*
 * diag.h - diagnostics: errors and warnings tied to a position in an input.
 *
 * Loaders and the model never print or exit; they append to a `struct diags`
 * and the command decides what to show and which exit code follows.
 * Messages and file names are copied (malloc), so a diagnostic outlives the
 * arena of the file it describes.
 */
#ifndef RAMPART_CORE_DIAG_H
#define RAMPART_CORE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A place in an input: 1-based line and column; 0 when unknown. */
struct pos {
	const char *file;
	int line, col;
};

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_level level;
	char *file;
	int line, col;
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
};

void diag_add(struct diags *d, enum diag_level level, struct pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_vadd(struct diags *d, enum diag_level level, struct pos pos, const char *fmt, va_list ap);
#define diag_error(d, pos, ...) diag_add((d), DIAG_ERROR, (pos), __VA_ARGS__)
#define diag_warn(d, pos, ...) diag_add((d), DIAG_WARNING, (pos), __VA_ARGS__)
size_t diag_count(const struct diags *d, enum diag_level level);
/* Move all of src's diagnostics to the end of dst; src is left empty. */
void diags_move(struct diags *dst, struct diags *src);
/* Sort by file, line, column, level, message: output is deterministic. */
void diags_sort(struct diags *d);
/*
 * How a diagnostic reads: "file:line:col: error: msg" (line and column
 * left out when 0).  The message is never cut: a file name longer than
 * DIAG_PATH_SHOWN bytes (a path found deep in a tree can be any length)
 * is shown as its start, "...", and its end, which names the file.
 */
#define DIAG_PATH_SHOWN 1024

struct strbuf;
/* Append the diagnostic's line (no newline) to out. */
void diag_append(const struct diag *dg, struct strbuf *out);
/* Write the line and a newline to f; 0, or -1 when the write failed. */
int diag_print(const struct diag *dg, FILE *f);
/* Append a path as diagnostics show it (shortened past DIAG_PATH_SHOWN). */
void diag_append_path(struct strbuf *out, const char *path);
/*
 * The line in a fixed buffer, for callers that have one.  When it does not
 * fit, the file name is shortened first, so the level and the message are
 * kept; only a message longer than the whole buffer loses its end.
 */
void diag_format(const struct diag *dg, char *buf, size_t size);
/* Sort the diagnostics and write each on its own line to f (standard
 * error for the commands); returns how many are errors. */
size_t diags_print(struct diags *d, FILE *f);
void diags_free(struct diags *d);

#endif
