/*
 * strmap.h - string -> pointer hash map (open addressing, FNV-1a), storage
 * in an arena.  Keys are not copied: they must live as long as the map.
 */
#ifndef RAMPART_CORE_STRMAP_H
#define RAMPART_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct strmap_slot {
	const char *key;
	void *val;
};

struct strmap {
	struct arena *arena;
	struct strmap_slot *slots;
	size_t cap, n;
};

void strmap_init(struct strmap *m, struct arena *a);
/* Insert or replace; returns the previous value or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *val);
void *strmap_get(const struct strmap *m, const char *key);

/* 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3) of
 * the n bytes at s.  Stable across runs and machines: SARIF fingerprints
 * are made of it. */
#define FNV1A64_OFFSET 14695981039346656037ULL
#define FNV1A64_PRIME 1099511628211ULL
uint64_t str_hash(const char *s, size_t n);

#endif
