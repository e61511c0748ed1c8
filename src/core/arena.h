/*
 * arena.h - region allocator.
 *
 * Everything built while loading and modelling one input file (document
 * nodes, resolved values, strings) lives in one arena and is freed at once
 * when that file is done.  An arena belongs to one thread.  Allocation
 * failure aborts with a message: there is no sensible partial result.
 */
#ifndef RAMPART_CORE_ARENA_H
#define RAMPART_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed, 16-byte aligned memory. */
void *arena_alloc(struct arena *a, size_t size);
/* n * size, with overflow checked (reallocarray-style). */
void *arena_array(struct arena *a, size_t n, size_t size);
/* Grow an array previously returned by arena_array (old contents copied). */
void *arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n, size_t size);

/* Strings are packed (byte-aligned): do not store other types in them. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Bytes handed out so far (for memory accounting in tests and benchmarks). */
size_t arena_used(const struct arena *a);

#endif
