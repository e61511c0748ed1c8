/*
 * catalogue.c - looking actions up in the generated catalogue
 * (catalogue_data.c, sorted by name): binary search for one action, and
 * for a pattern the range of names sharing its literal prefix.
 */
#include "iam/catalogue.h"
#include "iam/eval.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void lower(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/* First index whose name is >= key (by its first n bytes when prefix). */
static size_t lower_bound(const char *key, size_t n)
{
	size_t lo = 0, hi = iam_catalogue_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(iam_catalogue[mid].name, key, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct iam_action_info *iam_action_find(const char *action)
{
	char key[256];
	lower(key, sizeof key, action);
	size_t i = lower_bound(key, strlen(key) + 1);
	return i < iam_catalogue_count && !strcmp(iam_catalogue[i].name, key) ? &iam_catalogue[i] : NULL;
}

bool iam_service_known(const char *service, size_t len)
{
	char key[128];
	if (len + 2 > sizeof key)
		return false;
	for (size_t i = 0; i < len; i++)
		key[i] = (char)tolower((unsigned char)service[i]);
	key[len] = ':';
	key[len + 1] = '\0';
	size_t i = lower_bound(key, len + 1);
	return i < iam_catalogue_count && !strncmp(iam_catalogue[i].name, key, len + 1);
}

size_t iam_actions_matching(const char *pattern, bool (*fn)(const struct iam_action_info *a, void *ctx), void *ctx)
{
	char pat[256];
	lower(pat, sizeof pat, pattern);
	size_t lit = strcspn(pat, "*?");
	size_t visited = 0;
	for (size_t i = lower_bound(pat, lit); i < iam_catalogue_count; i++) {
		if (strncmp(iam_catalogue[i].name, pat, lit))
			break;
		if (!iam_wildcard_match(pat, iam_catalogue[i].name, false))
			continue;
		visited++;
		if (!fn(&iam_catalogue[i], ctx))
			break;
	}
	return visited;
}

unsigned iam_levels_granted(const char *const *patterns, size_t n, bool not_action)
{
	unsigned levels = 0;
	for (size_t i = 0; i < iam_catalogue_count; i++) {
		bool any = false;
		for (size_t k = 0; k < n && !any; k++)
			any = iam_wildcard_match(patterns[k], iam_catalogue[i].name, true);
		if (any != not_action)
			levels |= iam_catalogue[i].levels;
	}
	return levels;
}
