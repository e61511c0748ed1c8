/*
 * catalogue.c - joins the layer tables into one list sorted by ID, parses
 * each row's resource_types once into what the driver visits, and matches
 * names (IDs and aliases) to checks for --checks, --skip-checks and
 * in-template suppressions.
 */
#include "checks/catalogue.h"
#include "core/nearest.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The layer tables, in no particular order (the catalogue is sorted by ID). */
static const struct layer_table {
	const struct check *rows;
	const size_t *n;
} tables[] = {
	{.rows = checks_iam, .n = &checks_iam_count},
	{.rows = checks_iam_access, .n = &checks_iam_access_count},
	{.rows = checks_network, .n = &checks_network_count},
	{.rows = checks_api, .n = &checks_api_count},
	{.rows = checks_encryption, .n = &checks_encryption_count},
	{.rows = checks_secrets, .n = &checks_secrets_count},
	{.rows = checks_monitoring, .n = &checks_monitoring_count},
	{.rows = checks_resilience, .n = &checks_resilience_count},
};

static const struct check **all;
static size_t nall;
/* The distinct types some each() check visits, sorted; and per check which (visit[c * (ntypes + 1) + t + 1],
 * column 0 standing for every other type). */
static char **types;
static size_t ntypes;
static bool *visit;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_id(const void *a, const void *b)
{
	const struct check *x = *(const struct check *const *)a;
	const struct check *y = *(const struct check *const *)b;
	return strcmp(x->id, y->id);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Call fn on each entry of a comma-separated list (blanks around entries dropped). */
static void each_entry(const char *list, void (*fn)(const char *s, size_t n, void *ctx), void *ctx)
{
	const char *p = list ? list : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		if (t > p)
			fn(p, (size_t)(t - p), ctx);
		p = e;
	}
}

static void count_type(const char *s, size_t n, void *ctx)
{
	(void)s;
	(void)n;
	++*(size_t *)ctx;
}

static void add_type(const char *s, size_t n, void *ctx)
{
	(void)ctx;
	types[ntypes++] = xstrndup(s, n);
}

static int type_index(const char *s, size_t n)
{
	size_t lo = 0, hi = ntypes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(types[mid], s, n);
		if (!c && types[mid][n])
			c = 1;
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct mark {
	bool *row;
};

static void mark_type(const char *s, size_t n, void *ctx)
{
	struct mark *m = ctx;
	m->row[type_index(s, n) + 1] = true;
}

/* Parse each each() check's resource_types once: the sorted distinct types, and the visit matrix. */
static void parse_types(void)
{
	size_t cap = 0;
	for (size_t i = 0; i < nall; i++)
		if (all[i]->each && strcmp(all[i]->resource_types, "*"))
			each_entry(all[i]->resource_types, count_type, &cap);
	types = xcalloc(cap ? cap : 1, sizeof *types);
	for (size_t i = 0; i < nall; i++)
		if (all[i]->each && strcmp(all[i]->resource_types, "*"))
			each_entry(all[i]->resource_types, add_type, NULL);
	qsort(types, ntypes, sizeof *types, by_str);
	size_t k = 0;
	for (size_t i = 0; i < ntypes; i++) {
		if (k && !strcmp(types[k - 1], types[i])) {
			free(types[i]);
			continue;
		}
		types[k++] = types[i];
	}
	ntypes = k;
	visit = xcalloc(nall + 1, (ntypes + 1) * sizeof *visit);
	for (size_t i = 0; i < nall; i++) {
		bool *row = visit + i * (ntypes + 1);
		if (!all[i]->each)
			continue;
		if (!strcmp(all[i]->resource_types, "*")) {
			for (size_t t = 0; t <= ntypes; t++)
				row[t] = true;
			continue;
		}
		struct mark m = {row};
		each_entry(all[i]->resource_types, mark_type, &m);
	}
}

static void build(void)
{
	size_t total = 0;
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
		total += *tables[t].n;
	all = xcalloc(total + 1, sizeof *all);
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (tables[t].rows[i].id)
				all[nall++] = &tables[t].rows[i];
	qsort(all, nall, sizeof *all, by_id);
	parse_types();
}

const struct check *const *catalogue_all(size_t *n)
{
	pthread_once(&once, build);
	*n = nall;
	return all;
}

int catalogue_type_index(const char *type)
{
	pthread_once(&once, build);
	return type ? type_index(type, strlen(type)) : -1;
}

bool catalogue_visits(size_t i, int type)
{
	pthread_once(&once, build);
	if (i >= nall || type < -1 || type >= (int)ntypes)
		return false;
	return visit[i * (ntypes + 1) + (size_t)(type + 1)];
}

const struct check *catalogue_find(const char *id)
{
	size_t n;
	const struct check *const *c = catalogue_all(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(c[i]->id, id))
			return c[i];
	return NULL;
}

struct in_list {
	const char *name;
	size_t n;
	bool found;
};

static void in_list_fn(const char *s, size_t n, void *ctx)
{
	struct in_list *l = ctx;
	if (n == l->n && !strncasecmp(s, l->name, n))
		l->found = true;
}

/* Is name one of the comma-separated entries of list (case-insensitive)? */
static bool in_list(const char *list, const char *name)
{
	struct in_list l = {name, strlen(name), false};
	each_entry(list, in_list_fn, &l);
	return l.found;
}

/* The fields whose entries name a check (its ID aside). */
#define ALIAS_FIELDS(c) \
	{(c)->checkov, (c)->kics, (c)->kics_tf, (c)->cfn_nag, (c)->cdk_nag, (c)->trivy, (c)->guard, (c)->fsbp}

bool check_matches(const struct check *c, const char *name)
{
	if (!strcasecmp(c->id, name))
		return true;
	const char *fields[] = ALIAS_FIELDS(c);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (in_list(fields[i], name))
			return true;
	return false;
}

static void offer_fn(const char *s, size_t n, void *ctx)
{
	nearest_offer(ctx, s, n);
}

const char *catalogue_nearest(const char *name, char *buf, size_t size)
{
	size_t n;
	const struct check *const *c = catalogue_all(&n);
	struct nearest best;
	nearest_init(&best, name);
	for (size_t i = 0; i < n; i++) {
		nearest_offer(&best, c[i]->id, strlen(c[i]->id));
		const char *fields[] = ALIAS_FIELDS(c[i]);
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
			each_entry(fields[k], offer_fn, &best);
	}
	return nearest_copy(&best, buf, size);
}
