/*
 * strmap.c - open-addressing hash map with linear probing; grows at 1/2 load.
 */
#include "core/strmap.h"
#include "core/arena.h"

#include <string.h>

uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = FNV1A64_OFFSET;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV1A64_PRIME;
	}
	return h;
}

void strmap_init(struct strmap *m, struct arena *a)
{
	m->arena = a;
	m->slots = NULL;
	m->cap = m->n = 0;
}

static void strmap_rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->slots = arena_array(m->arena, cap, sizeof(*m->slots));
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].key)
			continue;
		size_t j = str_hash(old[i].key, strlen(old[i].key)) & (cap - 1);
		while (m->slots[j].key)
			j = (j + 1) & (cap - 1);
		m->slots[j] = old[i];
	}
}

void *strmap_put(struct strmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
		strmap_rehash(m, m->cap ? m->cap * 2 : 16);
	size_t j = str_hash(key, strlen(key)) & (m->cap - 1);
	while (m->slots[j].key) {
		if (strcmp(m->slots[j].key, key) == 0) {
			void *prev = m->slots[j].val;
			m->slots[j].val = val;
			return prev;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->slots[j].key = key;
	m->slots[j].val = val;
	m->n++;
	return NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t j = str_hash(key, strlen(key)) & (m->cap - 1);
	while (m->slots[j].key) {
		if (strcmp(m->slots[j].key, key) == 0)
			return m->slots[j].val;
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}
