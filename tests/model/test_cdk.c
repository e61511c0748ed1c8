/*
 * test_cdk.c - reading CDK cloud assemblies: stacks found in manifest.json
 * (nested assemblies followed), names, sorting, and every refusal (broken
 * JSON, no artifacts, paths leaving the assembly, cycles, depth) reported
 * with file:line:col.  Fixtures are in tests/model/cdk/; assemblies that
 * need symbolic links or deep nesting are made in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/diag.h"
#include "core/arena.h"
#include "load/load.h"
#include "model/cdk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fixtures[512];

/* tests/model/cdk/<name>, found beside this source file. */
static const char *fx(const char *name)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s/%s", fixtures, name);
	return buf;
}

/* 1-based line of the first line of file containing needle; 0 if none. */
static int line_of(const char *file, const char *needle)
{
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	char line[4096];
	int n = 0, found = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, needle)) {
			found = n;
			break;
		}
	}
	fclose(f);
	return found;
}

/* The error whose message contains needle (exactly one such), or fail. */
static const struct diag *error_with(const struct diags *d, const char *needle)
{
	const struct diag *hit = NULL;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR && strstr(d->v[i].msg, needle)) {
			if (hit)
				fail_msg("two errors mention '%s'", needle);
			hit = &d->v[i];
		}
	if (!hit) {
		for (size_t i = 0; i < d->n; i++)
			print_message("diag: %s\n", d->v[i].msg);
		fail_msg("no error mentions '%s'", needle);
	}
	return hit;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_basic_assembly(void **state)
{
	(void)state;
	char dir[1100];
	snprintf(dir, sizeof dir, "%s", fx("basic"));
	assert_true(cdk_is_assembly(dir));
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(n, 2);
	char want[1200];
	/* Sorted by template path: AuditStack before ClinicStack. */
	snprintf(want, sizeof want, "%s/AuditStack.template.json", dir);
	assert_string_equal(v[0].template, want);
	assert_string_equal(v[0].id, "AuditStack");
	assert_string_equal(v[0].name, "clinic-audit-prod"); /* properties.stackName */
	assert_string_equal(v[0].display, "AuditStack");
	snprintf(want, sizeof want, "%s/ClinicStack.template.json", dir);
	assert_string_equal(v[1].template, want);
	assert_string_equal(v[1].name, "ClinicStack"); /* no stackName: the artifact ID */

	/* The template named is a real template whose resources carry their construct path. */
	struct arena *a = arena_new();
	struct node *root = load_file(v[1].template, a, &d);
	assert_non_null(root);
	struct node *md = node_get(node_get(node_get(node_get(root, "Resources"), "Patients0A1B2C3D"),
					    "Metadata"), "aws:cdk:path");
	assert_non_null(node_str(md));
	assert_string_equal(node_str(md), "ClinicStack/Patients/Resource");
	arena_free(a);
	cdk_stacks_free(v, n);
	diags_free(&d);
}

static void test_trailing_slash(void **state)
{
	(void)state;
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/", fx("basic"));
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(n, 2);
	assert_null(strstr(v[0].template, "//"));
	cdk_stacks_free(v, n);
	diags_free(&d);
}

static void test_nested_assembly(void **state)
{
	(void)state;
	char dir[1100];
	snprintf(dir, sizeof dir, "%s", fx("nested"));
	assert_true(cdk_is_assembly(dir));
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(n, 2);
	char want[1200];
	snprintf(want, sizeof want, "%s/PipelineStack.template.json", dir);
	assert_string_equal(v[0].template, want);
	snprintf(want, sizeof want, "%s/assembly-Prod/ProdDataStack1A2B3C4D.template.json", dir);
	assert_string_equal(v[1].template, want);
	assert_string_equal(v[1].id, "ProdDataStack1A2B3C4D");
	assert_string_equal(v[1].name, "Prod-DataStack");
	assert_string_equal(v[1].display, "Prod/DataStack");
	cdk_stacks_free(v, n);
	diags_free(&d);
}

static void test_bad_json(void **state)
{
	(void)state;
	char dir[1100];
	snprintf(dir, sizeof dir, "%s", fx("bad-json"));
	/* Broken JSON that mentions "artifacts" is still an assembly: its error must be seen. */
	assert_true(cdk_is_assembly(dir));
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(n, 0);
	assert_null(v);
	assert_true(diag_count(&d, DIAG_ERROR) >= 1);
	char want[1200];
	snprintf(want, sizeof want, "%s/manifest.json", dir);
	assert_string_equal(d.v[0].file, want);
	assert_true(d.v[0].line > 0);
	assert_true(d.v[0].col > 0);
	diags_free(&d);
}

static void test_no_artifacts(void **state)
{
	(void)state;
	char dir[1100];
	snprintf(dir, sizeof dir, "%s", fx("no-artifacts"));
	assert_true(cdk_is_assembly(dir)); /* cdk.out marker beside it */
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(n, 0);
	const struct diag *e = error_with(&d, "no \"artifacts\"");
	assert_int_equal(e->line, 1);
	assert_int_equal(e->col, 1);
	diags_free(&d);
}

/* Each refusal in escape/manifest.json points at the line that caused it. */
static void test_escapes_refused(void **state)
{
	(void)state;
	char dir[1100], manifest[1200];
	snprintf(dir, sizeof dir, "%s", fx("escape"));
	snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "Good");
	static const struct {
		const char *msg, *line_text;
	} want[] = {
		{"'DotDot' leaves the assembly", "../basic/ClinicStack"},
		{"'Absolute' is absolute", "/etc/passwd"},
		{"'NoTemplate' has no properties.templateFile", "\"stackName\": \"no-template\""},
		{"'NotAString' must be a string", "\"templateFile\": 42"},
		{"stack 'Missing' is missing", "Missing.template.json"},
		{"'Outside' leaves the assembly", "sub/../../nested"},
		{"'NoType' has no \"type\"", "\"NoType\""},
	};
	assert_int_equal(diag_count(&d, DIAG_ERROR), sizeof want / sizeof *want);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct diag *e = error_with(&d, want[i].msg);
		assert_string_equal(e->file, manifest);
		int line = line_of(manifest, want[i].line_text);
		if (i == 2)
			line = line_of(manifest, "\"NoTemplate\"") + 2; /* the "properties" key */
		assert_int_equal(e->line, line);
		assert_true(e->col > 0);
	}
	cdk_stacks_free(v, n);
	diags_free(&d);
}

static void test_self_cycle(void **state)
{
	(void)state;
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(fx("cycle"), &v, &d);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "Only");
	const struct diag *e = error_with(&d, "cycle");
	char manifest[1200];
	snprintf(manifest, sizeof manifest, "%s/manifest.json", fx("cycle"));
	assert_int_equal(e->line, line_of(manifest, "\"directoryName\": \".\""));
	cdk_stacks_free(v, n);
	diags_free(&d);
}

static char tmp_root[256];

static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmp_root, sizeof tmp_root, "/tmp/rampart-cdk-XXXXXX");
	return mkdtemp(tmp_root) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
	return system(cmd) == 0 ? 0 : -1;
}

static const char nested_fmt[] =
    "{\"version\": \"36.0.0\", \"artifacts\": {\n"
    "  \"S%d\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"t.json\"}},\n"
    "  \"N%d\": {\"type\": \"cdk:cloud-assembly\", \"properties\": {\"directoryName\": \"n\"}}\n"
    "}}\n";

/* A chain deeper than CDK_MAX_DEPTH: the stacks above the limit are kept, one error. */
static void test_depth_bounded(void **state)
{
	(void)state;
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/deep", tmp_root);
	assert_int_equal(mkdir(dir, 0700), 0);
	int levels = CDK_MAX_DEPTH + 3;
	for (int i = 0; i < levels; i++) {
		char p[1100], text[400];
		snprintf(text, sizeof text, nested_fmt, i, i);
		snprintf(p, sizeof p, "%s/manifest.json", dir);
		write_file(p, text);
		snprintf(p, sizeof p, "%s/t.json", dir);
		write_file(p, "{\"Resources\": {}}\n");
		size_t l = strlen(dir);
		assert_true(l + 3 < sizeof dir);
		memcpy(dir + l, "/n", 3);
		assert_int_equal(mkdir(dir, 0700), 0);
	}
	snprintf(dir, sizeof dir, "%s/deep", tmp_root);
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(dir, &v, &d);
	assert_int_equal(n, CDK_MAX_DEPTH + 1); /* depth 0..CDK_MAX_DEPTH */
	const struct diag *e = error_with(&d, "levels deep");
	assert_int_equal(e->line, 3);
	assert_true(e->col > 0);
	/* Sorted: the shortest path first. */
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(v[i - 1].template, v[i].template) < 0);
	cdk_stacks_free(v, n);
	diags_free(&d);
}

/* Symbolic links may not lead out of the assembly, nor back into a directory being read. */
static void test_symlinks(void **state)
{
	(void)state;
	char top[1024], p[1100], outside[1100];
	snprintf(top, sizeof top, "%s/links", tmp_root);
	assert_int_equal(mkdir(top, 0700), 0);
	snprintf(outside, sizeof outside, "%s/outside.json", tmp_root);
	write_file(outside, "{\"Resources\": {}}\n");
	snprintf(p, sizeof p, "%s/leak.json", top);
	assert_int_equal(symlink(outside, p), 0);
	snprintf(p, sizeof p, "%s/loop", top);
	assert_int_equal(symlink(top, p), 0);
	snprintf(p, sizeof p, "%s/away", top);
	assert_int_equal(symlink(tmp_root, p), 0);
	snprintf(p, sizeof p, "%s/manifest.json", top);
	write_file(p, "{\"version\": \"36.0.0\", \"artifacts\": {\n"
		      "  \"Leak\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"leak.json\"}},\n"
		      "  \"Loop\": {\"type\": \"cdk:cloud-assembly\", \"properties\": {\"directoryName\": \"loop\"}},\n"
		      "  \"Away\": {\"type\": \"cdk:cloud-assembly\", \"properties\": {\"directoryName\": \"away\"}}\n"
		      "}}\n");
	struct diags d = {0};
	struct cdk_stack *v;
	size_t n = cdk_stacks(top, &v, &d);
	assert_int_equal(n, 0);
	assert_int_equal(error_with(&d, "'Leak' links outside")->line, 2);
	assert_int_equal(error_with(&d, "cycle")->line, 3);
	assert_int_equal(error_with(&d, "'Away' links outside")->line, 4);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 3);
	diags_free(&d);
}

/* A manifest.json of some other tool is not an assembly. */
static void test_not_an_assembly(void **state)
{
	(void)state;
	assert_false(cdk_is_assembly(fixtures)); /* no manifest.json */
	char dir[1024], p[1100];
	snprintf(dir, sizeof dir, "%s/webext", tmp_root);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(p, sizeof p, "%s/manifest.json", dir);
	write_file(p, "{\"manifest_version\": 3, \"name\": \"x\"}\n");
	assert_false(cdk_is_assembly(dir));
}

static void test_buffer_entry(void **state)
{
	(void)state;
	struct diags d = {0};
	struct cdk_stack *v;
	/* Templates are not checked for existence in buffer mode. */
	static const char ok[] =
	    "{\"artifacts\": {\"B\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"b.json\"}},"
	    " \"A\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"a.json\"}},"
	    " \"A2\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"a.json\"}}}}";
	size_t n = cdk_stacks_buffer("/nonexistent-cdk", ok, sizeof ok - 1, &v, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(n, 2); /* a.json listed twice is kept once */
	assert_string_equal(v[0].template, "/nonexistent-cdk/a.json");
	assert_string_equal(v[0].id, "A");
	assert_string_equal(v[1].template, "/nonexistent-cdk/b.json");
	cdk_stacks_free(v, n);

	static const char bad[] = "{\"artifacts\": [1, 2";
	n = cdk_stacks_buffer("/nonexistent-cdk", bad, sizeof bad - 1, &v, &d);
	assert_int_equal(n, 0);
	assert_true(diag_count(&d, DIAG_ERROR) >= 1);
	assert_string_equal(d.v[0].file, "/nonexistent-cdk/manifest.json");
	assert_true(d.v[0].line > 0);
	diags_free(&d);

	/* A drive letter is absolute; a colon elsewhere is just a file name. */
	static const char drive[] =
	    "{\"artifacts\": {\"W\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"C:/t.json\"}},"
	    " \"L\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"a:b.json\"}}}}";
	n = cdk_stacks_buffer("d", drive, sizeof drive - 1, &v, &d);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].template, "d/a:b.json");
	assert_int_equal(error_with(&d, "drive letter")->line, 1);
	cdk_stacks_free(v, n);
	diags_free(&d);

	static const char seq[] = "{\"artifacts\": [1, 2]}";
	n = cdk_stacks_buffer("x", seq, sizeof seq - 1, &v, &d);
	assert_int_equal(n, 0);
	assert_int_equal(error_with(&d, "must be an object")->col, 15);
	diags_free(&d);
}

int main(void)
{
	const char *src = __FILE__;
	const char *slash = strrchr(src, '/');
	snprintf(fixtures, sizeof fixtures, "%.*s/cdk", slash ? (int)(slash - src) : 1, slash ? src : ".");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_assembly),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_nested_assembly),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_no_artifacts),
		cmocka_unit_test(test_escapes_refused),
		cmocka_unit_test(test_self_cycle),
		cmocka_unit_test(test_depth_bounded),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_not_an_assembly),
		cmocka_unit_test(test_buffer_entry),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
