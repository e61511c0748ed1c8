/*
 * strbuf.h - a growable, NUL-terminated byte buffer for building output.
 * Owned by the caller (malloc), freed with sb_free.
 */
#ifndef RAMPART_CORE_STRBUF_H
#define RAMPART_CORE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

#define STRBUF_INIT {0, 0, 0}

void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append s as a JSON string literal, quotes included.  Invalid UTF-8 bytes
 * become U+FFFD so the output is always valid JSON. */
void sb_json_str(struct strbuf *sb, const char *s);
void sb_json_strn(struct strbuf *sb, const char *s, size_t n);
/* Detach the string (caller frees); the buffer is reset. */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
