/*
 * xalloc.h - malloc wrappers that abort with a message on exhaustion, and
 * overflow-checked array allocation in the manner of OpenBSD's reallocarray.
 */
#ifndef RAMPART_CORE_XALLOC_H
#define RAMPART_CORE_XALLOC_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void xalloc_die(const char *what);

/* Append-grow helper: ensure *cap >= need, growing geometrically. */
#define XGROW(ptr, cap, need)                                                  \
	do {                                                                   \
		if ((need) > (cap)) {                                          \
			size_t xg_new = (cap) ? (cap) * 2 : 8;                 \
			while (xg_new < (need))                                \
				xg_new *= 2;                                   \
			(ptr) = xreallocarray((ptr), xg_new, sizeof(*(ptr)));  \
			(cap) = xg_new;                                        \
		}                                                              \
	} while (0)

/*
 * Move every element of the array (src, sn, scap) to the end of (dst, dn,
 * dcap), in order, leaving src empty and freed: the merge of per-file or
 * per-thread result lists (findings, diagnostics, detections, skips).
 */
#define XMOVE_ALL(dst, dn, dcap, src, sn, scap)                                \
	do {                                                                   \
		XGROW(dst, dcap, (dn) + (sn));                                 \
		if (sn)                                                        \
			memcpy((dst) + (dn), (src), (sn) * sizeof(*(src)));    \
		(dn) += (sn);                                                  \
		free(src);                                                     \
		(src) = NULL;                                                  \
		(sn) = (scap) = 0;                                             \
	} while (0)

#endif
