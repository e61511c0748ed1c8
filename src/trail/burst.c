/*
 * burst.c - RMP-TRAIL-013's candidates, folded per (principal, second) in
 * one bounded set that every reader thread adds to (see burst.h).
 *
 * Why one set under a mutex and not one per thread: a bound on the pairs
 * held has to choose which pairs to leave out, and the only choice that
 * does not depend on how files were spread over threads is one made over
 * all of them.  Only denied calls come here (2% of the events of a real
 * account under attack), so the lock is rarely contended.
 *
 * Why the result is the `keep` earliest pairs of the whole input, exactly:
 * a pair is refused or evicted only when `keep` pairs earlier than it have
 * been seen, so every pair among the `keep` earliest is held from its
 * first call on, with all its calls; burst_take cuts what is held to the
 * `keep` earliest.
 */
#include "trail/burst.h"

#include "core/strmap.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct burst_set {
	pthread_mutex_t mu;
	size_t keep;
	struct detection *v; /* held candidates, one per pair, unordered */
	size_t n, cap;
	size_t *slot; /* open addressing over v: index + 1, 0 when empty */
	size_t nslot; /* a power of two, more than twice n */
	/* once set: the last pair kept by a prune; later pairs are refused */
	char *limit_time, *limit_group;
	bool limited;
	/* the earliest event left out, for the skip */
	struct detection first_out;
	bool left_out;
};

static int nstrcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* The order of pairs: time, then principal. */
static int pair_cmp(const struct detection *a, const struct detection *b)
{
	int c = nstrcmp(a->event_time, b->event_time);
	return c ? c : nstrcmp(a->group, b->group);
}

/* Pair order, then the candidate's own (the earliest event kept). */
static int cand_cmp(const void *pa, const void *pb)
{
	int c = pair_cmp(pa, pb);
	return c ? c : detections_cmp(pa, pb);
}

static size_t pair_hash(const struct detection *d)
{
	const char *t = d->event_time ? d->event_time : "", *g = d->group ? d->group : "";
	uint64_t h = str_hash(t, strlen(t)) * 0x9E3779B97F4A7C15u ^ str_hash(g, strlen(g));
	return (size_t)(h ^ (h >> 32));
}

struct burst_set *burst_new(size_t keep)
{
	struct burst_set *b = xcalloc(1, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
	b->keep = keep ? keep : 1;
	if (b->keep > SIZE_MAX / 16) /* 2 * keep + 1 pairs, 4 slots each: sizes */
		b->keep = SIZE_MAX / 16;
	return b;
}

void burst_free(struct burst_set *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		detection_free(&b->v[i]);
	free(b->v);
	free(b->slot);
	free(b->limit_time);
	free(b->limit_group);
	if (b->left_out)
		detection_free(&b->first_out);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* *d is left out: remember it if it is the earliest so far, else free it. */
static void leave_out(struct burst_set *b, struct detection *d)
{
	if (!b->left_out || cand_cmp(d, &b->first_out) < 0) {
		if (b->left_out)
			detection_free(&b->first_out);
		b->first_out = *d;
		b->left_out = true;
	} else
		detection_free(d);
}

/* The slot of d's pair: where it is, or the empty slot where it goes. */
static size_t *slot_of(struct burst_set *b, const struct detection *d)
{
	size_t mask = b->nslot - 1, h = pair_hash(d) & mask;
	while (b->slot[h] && pair_cmp(&b->v[b->slot[h] - 1], d))
		h = (h + 1) & mask;
	return &b->slot[h];
}

/* Index v[0..n) anew in a table of at least 4 * want slots. */
static void reindex(struct burst_set *b, size_t want)
{
	size_t ns = 16;
	while (ns < 4 * want)
		ns *= 2;
	if (ns != b->nslot) {
		free(b->slot);
		b->slot = xcalloc(ns, sizeof(*b->slot));
		b->nslot = ns;
	} else
		memset(b->slot, 0, ns * sizeof(*b->slot));
	for (size_t i = 0; i < b->n; i++)
		*slot_of(b, &b->v[i]) = i + 1;
}

/* Sort what is held and keep its `keep` earliest pairs; the others are
 * left out, and later pairs than the last kept are refused from now on. */
static void cut(struct burst_set *b)
{
	if (b->n > 1)
		qsort(b->v, b->n, sizeof(*b->v), cand_cmp);
	if (b->n <= b->keep)
		return;
	for (size_t i = b->keep; i < b->n; i++)
		leave_out(b, &b->v[i]);
	b->n = b->keep;
	const struct detection *last = &b->v[b->n - 1];
	free(b->limit_time);
	free(b->limit_group);
	b->limit_time = last->event_time ? xstrdup(last->event_time) : NULL;
	b->limit_group = last->group ? xstrdup(last->group) : NULL;
	b->limited = true;
}

void burst_add(struct burst_set *b, struct detection *d)
{
	if (!d->weight)
		d->weight = 1;
	pthread_mutex_lock(&b->mu);
	if (b->limited) {
		struct detection lim = {.event_time = b->limit_time, .group = b->limit_group};
		if (pair_cmp(d, &lim) > 0) {
			leave_out(b, d);
			pthread_mutex_unlock(&b->mu);
			return;
		}
	}
	if (!b->nslot)
		reindex(b, 16);
	size_t *s = slot_of(b, d);
	if (*s) {
		/* the pair is held: fold, keeping the earlier event */
		struct detection *old = &b->v[*s - 1];
		uint64_t weight = old->weight + d->weight;
		if (detections_cmp(d, old) < 0) {
			detection_free(old);
			*old = *d;
		} else
			detection_free(d);
		old->weight = weight;
		pthread_mutex_unlock(&b->mu);
		return;
	}
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		if (nc > 2 * b->keep + 1)
			nc = 2 * b->keep + 1;
		b->v = xreallocarray(b->v, nc, sizeof(*b->v));
		b->cap = nc;
	}
	b->v[b->n++] = *d;
	*s = b->n;
	if (b->n > 2 * b->keep) {
		cut(b);
		reindex(b, b->n);
	} else if (4 * b->n > b->nslot) {
		reindex(b, b->n);
	}
	pthread_mutex_unlock(&b->mu);
}

void burst_take(struct burst_set *b, struct detections *out, struct trail_skips *skips)
{
	pthread_mutex_lock(&b->mu);
	cut(b);
	if (b->left_out) {
		const struct detection *f = &b->first_out;
		const struct detection *last = &b->v[b->n - 1];
		trail_skip_add(skips, f->file ? f->file : "-", f->offset, false,
			       "RMP-TRAIL-013: more than %zu (principal, second) pairs with "
			       "access-denied errors: bursts were checked in the %zu earliest (up to "
			       "%s), not from this event on (memory bound)",
			       b->keep, b->keep, last->event_time ? last->event_time : "-");
		detection_free(&b->first_out);
		b->left_out = false;
	}
	XMOVE_ALL(out->v, out->n, out->cap, b->v, b->n, b->cap);
	free(b->slot);
	b->slot = NULL;
	b->nslot = 0;
	pthread_mutex_unlock(&b->mu);
}
