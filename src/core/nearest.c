/*
 * nearest.c - nearest name by edit distance (nearest.h).
 */
#include "core/nearest.h"

#include <stdint.h>
#include <string.h>

static unsigned char fold(char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

size_t nearest_distance(const char *a, size_t na, const char *b, size_t nb)
{
	if (na > NEAREST_MAX)
		na = NEAREST_MAX;
	if (nb > NEAREST_MAX)
		nb = NEAREST_MAX;
	/* One row of the dynamic-programming table, reused. */
	size_t row[NEAREST_MAX + 1];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (fold(a[i - 1]) != fold(b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

void nearest_init(struct nearest *n, const char *want)
{
	memset(n, 0, sizeof *n);
	n->want = want ? want : "";
	n->nwant = strlen(n->want);
	n->dist = SIZE_MAX;
}

void nearest_offer(struct nearest *n, const char *name, size_t len)
{
	if (!name || !len)
		return;
	size_t d = nearest_distance(n->want, n->nwant, name, len);
	if (d < n->dist) {
		n->dist = d;
		n->best = name;
		n->nbest = len;
	}
}

const char *nearest_copy(const struct nearest *n, char *buf, size_t size)
{
	if (!size)
		return buf;
	size_t len = n->best ? n->nbest : 0;
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(buf, n->best, len);
	buf[len] = '\0';
	return buf;
}
