/*
 * nearest.h - the known name nearest to a misspelt one, for diagnostics
 * that say what was probably meant ("RMP-DDB-01": nearest RMP-DDB-001).
 *
 *   struct nearest n;
 *   nearest_init(&n, "RMP-DDB-01");
 *   for each known name: nearest_offer(&n, name, strlen(name));
 *   nearest_copy(&n, buf, sizeof buf);
 *
 * Distance is the Levenshtein edit distance, ignoring ASCII case; on a tie
 * the name offered first wins, so the answer is deterministic.  Names
 * longer than NEAREST_MAX bytes are compared on their first NEAREST_MAX.
 */
#ifndef RAMPART_CORE_NEAREST_H
#define RAMPART_CORE_NEAREST_H

#include <stddef.h>

#define NEAREST_MAX 256

struct nearest {
	const char *want;
	size_t nwant;
	const char *best; /* not copied: must outlive the search */
	size_t nbest;
	size_t dist;      /* SIZE_MAX until a name is offered */
};

void nearest_init(struct nearest *n, const char *want);
void nearest_offer(struct nearest *n, const char *name, size_t len);
/* The nearest name, NUL-terminated in buf (cut to size - 1), or "" if none was offered. */
const char *nearest_copy(const struct nearest *n, char *buf, size_t size);
/* Edit distance between a[0..na) and b[0..nb), ignoring ASCII case (each cut to NEAREST_MAX). */
size_t nearest_distance(const char *a, size_t na, const char *b, size_t nb);

#endif
