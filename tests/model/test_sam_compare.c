/*
 * test_sam_compare.c - rampart's SAM expansion against the official SAM
 * translator, on the translator's own test corpus
 * (../shared/corpus/sam-translator: input/<name>.yaml -> output/<name>.json).
 *
 * Both sides go through the same loader and model: the input as a SAM
 * template (expanded by sam.c), the translator's output as a plain
 * CloudFormation template.  For the resource types rampart generates, each
 * translator resource is looked up in rampart's stack by logical ID
 * (Deployments by the <Api>Deployment prefix, the rest of their ID being
 * a hash of the translator's Body) and the properties the checks read are
 * compared.  Per-type agreement is printed; floors measured on the corpus
 * are asserted so that a regression fails.  Differences that are understood
 * are listed, one line each with a reason, in tests/model/sam/known_differences.txt;
 * a difference not listed there is printed (not failed: the floors decide).
 *
 * SAM_COMPARE_VERBOSE=1 prints every difference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "load/load.h"
#include "model/stack.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "../shared/corpus/sam-translator"
#define KNOWN "tests/model/sam/known_differences.txt"

static const char *const types[] = {
    "AWS::Lambda::Function",   "AWS::IAM::Role",	"AWS::Lambda::Permission",
    "AWS::Lambda::Url",	       "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",  "AWS::ApiGatewayV2::Api",   "AWS::ApiGatewayV2::Stage",
    "AWS::DynamoDB::Table",
};
#define NTYPES (sizeof types / sizeof types[0])

/*
 * Floors, measured on the corpus (see the report printed by this test):
 * percentage of the translator's resources of each type that rampart
 * generates with the same logical ID and type, and of those, the
 * percentage whose compared properties agree.
 */
static const struct {
	double found, agree;
	size_t extra; /* at most this many generated resources the translator does not make */
} floors[NTYPES] = {
    /* measured 2026-11-27: same-id %, props-ok %, extra */
    {99.5, 98.0, 1},  /* Lambda::Function       100.0  98.2  1 */
    {96.5, 99.5, 1},  /* IAM::Role               97.0 100.0  1 */
    {97.0, 99.5, 2},  /* Lambda::Permission      97.4 100.0  2 */
    {100, 100, 0},    /* Lambda::Url            100.0 100.0  0 */
    {95.5, 95.0, 0},  /* ApiGateway::RestApi     96.1  95.6  0 */
    {96.0, 100, 0},   /* ApiGateway::Deployment  96.4 100.0  0 */
    {95.0, 99.5, 2},  /* ApiGateway::Stage       95.7 100.0  2 */
    {99.5, 94.5, 0},  /* ApiGatewayV2::Api      100.0  94.9  0 */
    {99.5, 99.5, 0},  /* ApiGatewayV2::Stage    100.0 100.0  0 */
    {100, 100, 0},    /* DynamoDB::Table        100.0 100.0  0 */
};

struct tally {
	size_t expected, found, agree, extra;
};

static struct tally tally[NTYPES];
static size_t files_compared, files_skipped;

static int type_index(const char *t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (t && strcmp(types[i], t) == 0)
			return (int)i;
	return -1;
}

/* ---- known differences ---- */

static char **known;
static bool *known_used;
static size_t nknown;

static void load_known(void)
{
	FILE *f = fopen(KNOWN, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		/* "<input> <LogicalId> <property>: reason" -> key "<input> <LogicalId> <property>" */
		char *colon = strchr(line, ':');
		if (colon)
			*colon = '\0';
		known = realloc(known, (nknown + 1) * sizeof *known);
		known_used = realloc(known_used, (nknown + 1) * sizeof *known_used);
		assert_non_null(known);
		assert_non_null(known_used);
		known_used[nknown] = false;
		known[nknown++] = strdup(line);
	}
	fclose(f);
}

static bool is_known(const char *file, const char *id, const char *what)
{
	char key[1024];
	snprintf(key, sizeof key, "%s %s %s", file, id, what);
	char keyall[1024];
	snprintf(keyall, sizeof keyall, "%s * %s", file, what);
	for (size_t i = 0; i < nknown; i++)
		if (strcmp(known[i], key) == 0 || strcmp(known[i], keyall) == 0) {
			known_used[i] = true;
			return true;
		}
	return false;
}

static size_t unlisted;

static void difference(const char *file, const char *id, const char *what, const char *detail)
{
	bool listed = is_known(file, id, what);
	if (!listed)
		unlisted++;
	if (getenv("SAM_COMPARE_VERBOSE") || (!listed && unlisted <= 40))
		printf("  %s %s %s: %s%s\n", file, id, what, detail, listed ? " (known)" : "");
}

/* ---- value comparison ---- */

/* Equal as far as the model can tell: literals by text, refs by target,
 * two unknowns equal. */
static bool same(const struct value *a, const struct value *b, int depth)
{
	if (!a || !b)
		return !a && !b;
	if (depth > 64)
		return true;
	if (a->kind == VAL_UNKNOWN && b->kind == VAL_UNKNOWN)
		return true;
	const char *sa = val_str(a), *sb = val_str(b);
	if (sa && sb)
		return strcmp(sa, sb) == 0;
	if ((a->kind == VAL_BOOL || b->kind == VAL_BOOL) && (sa || sb))
		return val_is_true(a) == val_is_true(b) && val_is_true(a) != MAYBE;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case VAL_NULL:
		return true;
	case VAL_BOOL:
		return a->b == b->b;
	case VAL_REF:
		return strcmp(a->s, b->s) == 0 && ((!a->attr && !b->attr) || (a->attr && b->attr && !strcmp(a->attr, b->attr)));
	case VAL_LIST:
	case VAL_CHOICE:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!same(a->items[i], b->items[i], depth + 1))
				return false;
		return true;
	case VAL_MAP:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!same(a->pairs[i].v, val_get(b, a->pairs[i].key), depth + 1))
				return false;
		return true;
	default:
		return true;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every inline policy's statement actions, sorted, joined. */
static char *role_actions(const struct value *role)
{
	const char *acts[512];
	size_t n = 0;
	const struct value *pols = val_get(role, "Policies");
	for (size_t i = 0; i < val_len(pols); i++) {
		const struct value *sts = val_path(val_item(pols, i), "PolicyDocument.Statement");
		size_t ns = sts && sts->kind == VAL_LIST ? val_len(sts) : 1;
		for (size_t j = 0; j < ns; j++) {
			const struct value *st = sts && sts->kind == VAL_LIST ? val_item(sts, j) : sts;
			const struct value *a = val_get(st, "Action");
			if (a && a->kind == VAL_LIST) {
				for (size_t k = 0; k < val_len(a) && n < 512; k++)
					acts[n++] = val_str(val_item(a, k)) ? val_str(val_item(a, k)) : "?";
			} else if (a && n < 512) {
				acts[n++] = val_str(a) ? val_str(a) : "?";
			}
		}
	}
	qsort(acts, n, sizeof *acts, cmp_str);
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(acts[i]) + 1;
	char *s = malloc(len);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(s, acts[i]);
		strcat(s, " ");
	}
	return s;
}

/* "path method security-names;" for every operation, sorted. */
static char *body_routes(const struct value *api)
{
	const struct value *paths = val_path(api, "Body.paths");
	char *items[1024];
	size_t n = 0;
	for (size_t i = 0; paths && paths->kind == VAL_MAP && i < paths->n; i++) {
		const struct value *pi = paths->pairs[i].v;
		for (size_t j = 0; pi && pi->kind == VAL_MAP && j < pi->n && n < 1024; j++) {
			char buf[512];
			int w = snprintf(buf, sizeof buf, "%s %s", paths->pairs[i].key, pi->pairs[j].key);
			const struct value *sec = val_get(pi->pairs[j].v, "security");
			for (size_t k = 0; sec && sec->kind == VAL_LIST && k < sec->n && w > 0 && (size_t)w < sizeof buf; k++) {
				const struct value *e = sec->items[k];
				for (size_t m = 0; e && e->kind == VAL_MAP && m < e->n; m++)
					w += snprintf(buf + w, sizeof buf - (size_t)w, " %s", e->pairs[m].key);
			}
			items[n++] = strdup(buf);
		}
	}
	qsort(items, n, sizeof *items, cmp_str);
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + 2;
	char *s = malloc(len);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(s, items[i]);
		strcat(s, "; ");
		free(items[i]);
	}
	return s;
}

/* DisableExecuteApiEndpoint, as a property or in the Body (swagger 2 or OpenAPI 3 servers). */
static enum tri execute_api_disabled(const struct value *api)
{
	const struct value *v = val_get(api, "DisableExecuteApiEndpoint");
	if (!v)
		v = val_path(api, "Body.x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint");
	if (!v)
		v = val_path(val_item(val_path(api, "Body.servers"), 0),
			     "x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint");
	return val_is_true(v);
}

static bool compare_prop(const char *file, const char *id, const struct value *pa, const struct value *pb,
			 const char *key)
{
	const struct value *a = val_path(pa, key), *b = val_path(pb, key);
	if (same(a, b, 0))
		return true;
	difference(file, id, key, "values differ");
	return false;
}

static bool compare_resource(const char *file, const struct resource *ra, const struct resource *rb)
{
	const char *t = rb->type, *id = rb->id;
	const struct value *a = ra->props, *b = rb->props;
	bool ok = true;
	if (!strcmp(t, "AWS::Lambda::Function")) {
		static const char *const k[] = {"Role", "Runtime", "Environment", "VpcConfig", "KmsKeyArn",
						"ReservedConcurrentExecutions", "Timeout", "Handler", "MemorySize",
						"Layers", "Architectures", "TracingConfig", "DeadLetterConfig",
						"CodeSigningConfigArn"};
		for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
			ok &= compare_prop(file, id, a, b, k[i]);
	} else if (!strcmp(t, "AWS::IAM::Role")) {
		size_t na = val_len(val_get(a, "ManagedPolicyArns")), nb = val_len(val_get(b, "ManagedPolicyArns"));
		if (na != nb) {
			char d[64];
			snprintf(d, sizeof d, "rampart %zu, translator %zu", na, nb);
			difference(file, id, "ManagedPolicyArns", d);
			ok = false;
		}
		ok &= compare_prop(file, id, a, b, "PermissionsBoundary");
		char *aa = role_actions(a), *ab = role_actions(b);
		if (strcmp(aa, ab) != 0) {
			char *d = malloc(strlen(aa) + strlen(ab) + 32);
			assert_non_null(d);
			sprintf(d, "rampart [%s] translator [%s]", aa, ab);
			difference(file, id, "Actions", d);
			free(d);
			ok = false;
		}
		free(aa);
		free(ab);
	} else if (!strcmp(t, "AWS::Lambda::Url")) {
		ok &= compare_prop(file, id, a, b, "AuthType");
		ok &= compare_prop(file, id, a, b, "Cors");
	} else if (!strcmp(t, "AWS::Lambda::Permission")) {
		ok &= compare_prop(file, id, a, b, "Principal");
		ok &= compare_prop(file, id, a, b, "Action");
	} else if (!strcmp(t, "AWS::DynamoDB::Table")) {
		ok &= compare_prop(file, id, a, b, "SSESpecification");
		ok &= compare_prop(file, id, a, b, "KeySchema");
		ok &= compare_prop(file, id, a, b, "BillingMode");
		ok &= compare_prop(file, id, a, b, "PointInTimeRecoverySpecification");
	} else if (!strcmp(t, "AWS::ApiGateway::Stage")) {
		ok &= compare_prop(file, id, a, b, "AccessLogSetting");
		ok &= compare_prop(file, id, a, b, "TracingEnabled");
		ok &= compare_prop(file, id, a, b, "MethodSettings");
		ok &= compare_prop(file, id, a, b, "CacheClusterEnabled");
		ok &= compare_prop(file, id, a, b, "Variables");
	} else if (!strcmp(t, "AWS::ApiGatewayV2::Stage")) {
		ok &= compare_prop(file, id, a, b, "AccessLogSettings");
		ok &= compare_prop(file, id, a, b, "DefaultRouteSettings");
		ok &= compare_prop(file, id, a, b, "StageVariables");
	} else if (!strcmp(t, "AWS::ApiGateway::RestApi") || !strcmp(t, "AWS::ApiGatewayV2::Api")) {
		ok &= compare_prop(file, id, a, b, "EndpointConfiguration");
		if (execute_api_disabled(a) != execute_api_disabled(b)) {
			difference(file, id, "DisableExecuteApiEndpoint", "values differ");
			ok = false;
		}
		char *ba = body_routes(a), *bb = body_routes(b);
		if (strcmp(ba, bb) != 0) {
			char *d = malloc(strlen(ba) + strlen(bb) + 32);
			assert_non_null(d);
			sprintf(d, "rampart [%s] translator [%s]", ba, bb);
			difference(file, id, "Body", d);
			free(d);
			ok = false;
		}
		free(ba);
		free(bb);
	}
	return ok;
}

static const struct resource *find_deployment(const struct stack *s, const char *id)
{
	/* <Api>Deployment<10 hex> */
	size_t n = strlen(id);
	if (n < 10 + strlen("Deployment"))
		return NULL;
	size_t plen = n - 10;
	for (size_t i = 0; i < s->nres; i++)
		if (!strcmp(s->res[i].type, "AWS::ApiGateway::Deployment") && strlen(s->res[i].id) == n &&
		    !strncmp(s->res[i].id, id, plen))
			return &s->res[i];
	return NULL;
}

/* The translator's inputs often omit the Transform line (the translator
 * is called on them as SAM): add it, as `sam` itself would assume. */
static void add_transform(struct node *root, struct arena *a)
{
	if (!root || root->kind != NODE_MAP || node_get(root, "Transform"))
		return;
	struct node_pair *pairs = arena_array(a, root->n + 1, sizeof *pairs);
	memcpy(pairs, root->pairs, root->n * sizeof *pairs);
	struct node *k = arena_alloc(a, sizeof *k), *v = arena_alloc(a, sizeof *v);
	k->kind = v->kind = NODE_STRING;
	k->str = "Transform";
	k->len = strlen(k->str);
	v->str = "AWS::Serverless-2016-10-31";
	v->len = strlen(v->str);
	pairs[root->n].key = k;
	pairs[root->n].value = v;
	root->pairs = pairs;
	root->n++;
}

static struct stack *build(const char *path, struct arena *a, bool sam)
{
	struct diags d = {0};
	struct node *root = load_file(path, a, &d);
	struct stack *s = NULL;
	if (sam)
		add_transform(root, a);
	if (root) {
		struct model_options opt = {0};
		s = model_build(root, path, &opt, a, &d);
	}
	diags_free(&d);
	return s;
}

/*
 * Translator resources generated from SAM types rampart leaves as written
 * (StateMachine, LayerVersion, Application, GraphQLApi, CapacityProvider...)
 * are out of scope: the SAM resource whose ID is the longest prefix of the
 * generated ID tells where it came from.
 */
static bool out_of_scope(const struct stack *sa, const char *id)
{
	const struct resource *best = NULL;
	size_t bl = 0;
	for (size_t i = 0; i < sa->nres; i++) {
		const struct resource *r = &sa->res[i];
		if (!r->node)
			continue;
		size_t l = strlen(r->id);
		if (l > bl && !strncmp(id, r->id, l)) {
			best = r;
			bl = l;
		}
	}
	if (!best || !best->source_type || strncmp(best->source_type, "AWS::Serverless::", 17) != 0)
		return false;
	static const char *const expanded[] = {"Function", "Api", "HttpApi", "SimpleTable"};
	for (size_t i = 0; i < sizeof expanded / sizeof expanded[0]; i++)
		if (!strcmp(best->source_type + 17, expanded[i]))
			return false;
	return true;
}

static void compare_file(const char *name)
{
	char in[1024], out[1024];
	snprintf(in, sizeof in, CORPUS "/input/%s.yaml", name);
	snprintf(out, sizeof out, CORPUS "/output/%s.json", name);
	FILE *f = fopen(out, "r");
	if (!f) {
		files_skipped++;
		return;
	}
	fclose(f);
	struct arena *aa = arena_new(), *ab = arena_new();
	struct stack *sa = build(in, aa, true), *sb = build(out, ab, false);
	if (!sa || !sb) {
		files_skipped++;
		arena_free(aa);
		arena_free(ab);
		return;
	}
	files_compared++;
	for (size_t i = 0; i < sb->nres; i++) {
		const struct resource *rb = &sb->res[i];
		int ti = type_index(rb->type);
		if (ti < 0)
			continue;
		if (out_of_scope(sa, rb->id))
			continue;
		tally[ti].expected++;
		const struct resource *ra = ti == 5 ? find_deployment(sa, rb->id) : stack_find(sa, rb->id);
		if (!ra || strcmp(ra->type, rb->type) != 0) {
			difference(name, rb->id, "missing", ra ? ra->type : "not generated");
			continue;
		}
		tally[ti].found++;
		if (compare_resource(name, ra, rb))
			tally[ti].agree++;
	}
	for (size_t i = 0; i < sa->nres; i++) {
		const struct resource *ra = &sa->res[i];
		int ti = type_index(ra->type);
		if (ti < 0)
			continue;
		const struct resource *rb = ti == 5 ? find_deployment(sb, ra->id) : stack_find(sb, ra->id);
		if (!rb || strcmp(rb->type, ra->type) != 0) {
			tally[ti].extra++;
			difference(name, ra->id, "extra", ra->type);
		}
	}
	arena_free(aa);
	arena_free(ab);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_compare_corpus(void **state)
{
	(void)state;
	DIR *dir = opendir(CORPUS "/input");
	if (!dir) {
		printf("sam-translator corpus not found at " CORPUS "; skipped\n");
		skip();
	}
	load_known();
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0 || !strncmp(de->d_name, "error_", 6))
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		assert_non_null(names);
		names[n++] = strndup(de->d_name, len - 5);
	}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_name);
	const char *only = getenv("SAM_COMPARE_ONLY");
	for (size_t i = 0; i < n; i++) {
		if (!only || strcmp(only, names[i]) == 0)
			compare_file(names[i]);
		free(names[i]);
	}
	free(names);

	printf("SAM translator comparison: %zu templates compared, %zu without output skipped\n", files_compared,
	       files_skipped);
	printf("%-30s %8s %8s %7s %8s %7s %6s\n", "type", "expected", "same-id", "%", "props-ok", "%", "extra");
	size_t te = 0, tf = 0, ta = 0;
	for (size_t i = 0; i < NTYPES; i++) {
		const struct tally *t = &tally[i];
		double pf = t->expected ? 100.0 * (double)t->found / (double)t->expected : 100.0;
		double pa = t->found ? 100.0 * (double)t->agree / (double)t->found : 100.0;
		printf("%-30s %8zu %8zu %6.1f%% %8zu %6.1f%% %6zu\n", types[i], t->expected, t->found, pf, t->agree, pa,
		       t->extra);
		te += t->expected;
		tf += t->found;
		ta += t->agree;
	}
	printf("%-30s %8zu %8zu %6.1f%% %8zu %6.1f%%\n", "all", te, tf, te ? 100.0 * (double)tf / (double)te : 0, ta,
	       tf ? 100.0 * (double)ta / (double)tf : 0);
	printf("differences not in " KNOWN ": %zu\n", unlisted);
	size_t stale = 0;
	for (size_t i = 0; i < nknown; i++) {
		if (!known_used[i] && !only) {
			if (++stale <= 10)
				printf("  stale entry (no longer differs): %s\n", known[i]);
		}
		free(known[i]);
	}
	if (!only)
		printf("stale entries in " KNOWN ": %zu\n", stale);
	free(known);
	free(known_used);
	assert_true(only || files_compared >= 500);
	if (only)
		return;
	for (size_t i = 0; i < NTYPES; i++) {
		const struct tally *t = &tally[i];
		double pf = t->expected ? 100.0 * (double)t->found / (double)t->expected : 100.0;
		double pa = t->found ? 100.0 * (double)t->agree / (double)t->found : 100.0;
		if (pf < floors[i].found || pa < floors[i].agree)
			printf("REGRESSION %s: %.1f%% found (floor %.1f%%), %.1f%% agree (floor %.1f%%)\n", types[i], pf,
			       floors[i].found, pa, floors[i].agree);
		if (t->extra > floors[i].extra)
			printf("REGRESSION %s: %zu extra resources (at most %zu)\n", types[i], t->extra, floors[i].extra);
		assert_true(pf >= floors[i].found);
		assert_true(pa >= floors[i].agree);
		assert_true(t->extra <= floors[i].extra);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compare_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
