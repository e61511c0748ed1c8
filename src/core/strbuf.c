/*
 * strbuf.c - growable output buffer and JSON string escaping.
 */
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static void sb_reserve(struct strbuf *sb, size_t extra)
{
	if (extra > SIZE_MAX - sb->len - 1)
		xalloc_die("strbuf");
	size_t need = sb->len + extra + 1;
	XGROW(sb->s, sb->cap, need);
}

void sb_append(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	if (n)
		memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_append(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) { /* room for c and the NUL */
		sb->s[sb->len++] = c;
		sb->s[sb->len] = '\0';
		return;
	}
	sb_append(sb, &c, 1);
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* format straight into the free space; only when it does not fit,
	 * grow and format again (the reports format many short pieces) */
	sb_reserve(sb, 0);
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = sb->cap - sb->len;
	int n = vsnprintf(sb->s + sb->len, room, fmt, ap2);
	va_end(ap2);
	if (n <= 0) {
		sb->s[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sb_reserve(sb, (size_t)n);
		vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}


void sb_json_strn(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_putc(sb, '"');
	size_t i = 0;
	while (i < n) {
		/* copy runs of bytes that need no escaping in one append (the
		 * trail report writes megabytes of these) */
		size_t j = i;
#if defined(__SSE2__)
		/* 16 bytes at a time while none needs escaping (printable
		 * ASCII other than '"' and '\\'): a trail report is megabytes */
		const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'),
			      sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
		while (n - j >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + j));
			/* signed compare: bytes >= 0x80 are negative, so < 0x20 too */
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)),
						 _mm_or_si128(_mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, del)));
			if (_mm_movemask_epi8(m))
				break;
			j += 16;
		}
#endif
		while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' && p[j] != '\\')
			j++;
		if (j > i) {
			sb_append(sb, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': sb_puts(sb, "\\n"); break;
			case '\r': sb_puts(sb, "\\r"); break;
			case '\t': sb_puts(sb, "\\t"); break;
			default: sb_printf(sb, "\\u%04x", c); break;
			}
			i++;
		} else {
			size_t len = utf8_seq_len(p + i, n - i);
			if (len == 0) {
				sb_puts(sb, "\\ufffd");
				i++;
			} else {
				sb_append(sb, s + i, len);
				i += len;
			}
		}
	}
	sb_putc(sb, '"');
}

void sb_json_str(struct strbuf *sb, const char *s)
{
	sb_json_strn(sb, s ? s : "", s ? strlen(s) : 0);
}

char *sb_detach(struct strbuf *sb)
{
	sb_reserve(sb, 0);
	char *s = sb->s;
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}
