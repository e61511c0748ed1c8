/*
 * param_check.c - `--param KEY=VALUE` naming no parameter: which templates
 * of a scan declare each key, and a warning naming the nearest parameter
 * for a key none of them declares.
 *
 * One scan may cover several templates, and a --param meant for one of
 * them is not a mistake in the others: a key is reported only when no
 * scanned template declares it, once, with the closest parameter name
 * (edit distance, ignoring case) of all the templates as the suggestion,
 * at that parameter's declaration.  Templates are modelled on several
 * threads, so what each saw is merged under a lock and the choice is made
 * by a total order (distance, name, file, line), never by arrival.
 */
#include "model/stack.h"
#include "core/nearest.h"
#include "core/xalloc.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct param_key {
	const char *key;
	bool declared;        /* some template declares it */
	size_t dist;          /* of the nearest name below (SIZE_MAX: none yet) */
	char *near, *file;    /* nearest parameter name and where it is (malloc) */
	int line, col;
};

struct model_param_use {
	pthread_mutex_t lock;
	struct param_key *keys;
	size_t n;
};

/* Edit distance ignoring ASCII case (core/nearest); names longer than it compares count as far apart. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > NEAREST_MAX || lb > NEAREST_MAX)
		return SIZE_MAX - 1;
	return nearest_distance(a, la, b, lb);
}

struct model_param_use *model_param_use_new(const char *const *keys, size_t n)
{
	struct model_param_use *u = xcalloc(1, sizeof *u);
	pthread_mutex_init(&u->lock, NULL);
	u->keys = xcalloc(n ? n : 1, sizeof *u->keys);
	u->n = n;
	for (size_t i = 0; i < n; i++) {
		u->keys[i].key = keys[i];
		u->keys[i].dist = SIZE_MAX;
	}
	return u;
}

/* Is candidate (d, name, pos) nearer than what k holds, in the total order? */
static bool nearer(const struct param_key *k, size_t d, const char *name, struct pos pos)
{
	if (d != k->dist)
		return d < k->dist;
	int c = strcmp(name, k->near);
	if (c)
		return c < 0;
	c = strcmp(pos.file ? pos.file : "", k->file);
	if (c)
		return c < 0;
	return pos.line < k->line;
}

void model_param_use_record(struct model_param_use *u, const struct stack *s)
{
	if (!u)
		return;
	pthread_mutex_lock(&u->lock);
	for (size_t i = 0; i < u->n; i++) {
		struct param_key *k = &u->keys[i];
		for (size_t j = 0; j < s->nparams && !k->declared; j++) {
			const struct param *p = &s->params[j];
			if (!strcmp(p->name, k->key)) {
				k->declared = true;
				break;
			}
			size_t d = distance(k->key, p->name);
			if (k->dist == SIZE_MAX || nearer(k, d, p->name, p->pos)) {
				free(k->near);
				free(k->file);
				k->dist = d;
				k->near = xstrdup(p->name);
				k->file = xstrdup(p->pos.file ? p->pos.file : "");
				k->line = p->pos.line;
				k->col = p->pos.col;
			}
		}
	}
	pthread_mutex_unlock(&u->lock);
}

void model_param_use_report(const struct model_param_use *u, struct diags *d)
{
	for (size_t i = 0; u && i < u->n; i++) {
		const struct param_key *k = &u->keys[i];
		bool repeat = false;
		for (size_t j = 0; j < i; j++)
			repeat |= !strcmp(u->keys[j].key, k->key);
		if (k->declared || repeat)
			continue;
		if (k->near) {
			struct pos p = {k->file, k->line, k->col};
			diag_warn(d, p, "--param %s: no scanned template has a parameter %s; the nearest is %s", k->key,
				  k->key, k->near);
		} else {
			struct pos p = {"--param", 0, 0};
			diag_warn(d, p, "--param %s: no scanned template has any parameter", k->key);
		}
	}
}

void model_param_use_free(struct model_param_use *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->keys[i].near);
		free(u->keys[i].file);
	}
	free(u->keys);
	pthread_mutex_destroy(&u->lock);
	free(u);
}
