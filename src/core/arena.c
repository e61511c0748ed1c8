/*
 * arena.c - region allocator: a list of blocks, bump allocation inside each.
 * Large requests get a block of their own so a 50 MB string does not waste
 * a default-sized block's tail.
 */
#include "core/arena.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		xalloc_die("arena block");
	struct block *b = xmalloc(sizeof(struct block) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/*
 * Bump-allocate size bytes aligned to `align` (a power of two up to
 * ARENA_ALIGN).  Strings ask for 1: a two-byte key then costs two bytes,
 * not sixteen, which matters for documents of millions of short scalars.
 */
static void *arena_alloc_aligned(struct arena *a, size_t size, size_t align)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		xalloc_die("arena_alloc");
	struct block *b = a->head;
	size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || off > b->size || b->size - off < size) {
		if (size > ARENA_BLOCK / 4) {
			/* Big request: own block, linked behind the current one
			 * so the current block's free tail stays usable. */
			struct block *big = block_new(size);
			big->used = size;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			a->total += size;
			memset(big->data, 0, size);
			return big->data;
		}
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	void *p = b->data + off;
	b->used = off + size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return arena_alloc_aligned(a, size, ARENA_ALIGN);
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		xalloc_die("arena_array");
	return arena_alloc(a, n * size);
}

void *arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n, size_t size)
{
	void *p = arena_array(a, new_n, size);
	if (old && old_n)
		memcpy(p, old, (old_n < new_n ? old_n : new_n) * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		xalloc_die("arena_strndup");
	char *p = arena_alloc_aligned(a, n + 1, 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc_aligned(a, (size_t)n + 1, 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
