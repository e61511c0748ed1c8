/*
 * catalogue.c - joins the layer tables into one list sorted by ID, and
 * matches names (IDs and aliases) to checks for --checks, --skip-checks and
 * in-template suppressions.
 */
#include "checks/catalogue.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct check **all;
static size_t nall;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_id(const void *a, const void *b)
{
	const struct check *x = *(const struct check *const *)a;
	const struct check *y = *(const struct check *const *)b;
	return strcmp(x->id, y->id);
}

static void add_table(const struct check *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id)
			all[nall++] = &t[i];
}

static void build(void)
{
	size_t total = checks_iam_count + checks_iam_access_count + checks_network_count + checks_api_count +
		       checks_encryption_count + checks_secrets_count + checks_monitoring_count +
		       checks_resilience_count;
	all = xcalloc(total + 1, sizeof *all);
	add_table(checks_iam, checks_iam_count);
	add_table(checks_iam_access, checks_iam_access_count);
	add_table(checks_network, checks_network_count);
	add_table(checks_api, checks_api_count);
	add_table(checks_encryption, checks_encryption_count);
	add_table(checks_secrets, checks_secrets_count);
	add_table(checks_monitoring, checks_monitoring_count);
	add_table(checks_resilience, checks_resilience_count);
	qsort(all, nall, sizeof *all, by_id);
}

const struct check *const *catalogue_all(size_t *n)
{
	pthread_once(&once, build);
	*n = nall;
	return all;
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

/* Is name one of the comma-separated entries of list (case-insensitive)? */
static bool in_list(const char *list, const char *name)
{
	if (!list || !*list)
		return false;
	size_t nl = strlen(name);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		if ((size_t)(t - p) == nl && !strncasecmp(p, name, nl))
			return true;
		p = e;
	}
	return false;
}

bool check_matches(const struct check *c, const char *name)
{
	return !strcasecmp(c->id, name) || in_list(c->checkov, name) || in_list(c->kics, name) ||
	       in_list(c->cfn_nag, name) || in_list(c->cdk_nag, name) || in_list(c->fsbp, name);
}
