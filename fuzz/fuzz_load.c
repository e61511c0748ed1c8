/*
 * fuzz_load.c - libFuzzer target: the YAML/JSON loader (load_buffer), each
 * input read twice: named .yaml (libyaml, or the strict JSON reader when
 * '{' comes first) and named .json (the strict JSON reader always).
 *
 * Any byte string must come back as a tree or as NULL with at least one
 * error, never a crash, hang or leak.  The tree returned is walked (with a
 * budget, since aliases share nodes) to check what node.h promises: map
 * keys are strings, positions are 1-based, containers hold no NULLs.
 */
#include "core/arena.h"
#include "core/diag.h"
#include "load/load.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WALK_BUDGET 100000

static void check_tree(struct node *root)
{
	struct node *stack[LOAD_MAX_DEPTH + 8];
	size_t budget = WALK_BUDGET;
	for (struct node *doc = root; doc; doc = doc->next_doc) {
		size_t sp = 0;
		stack[sp++] = doc;
		while (sp > 0 && budget > 0) {
			struct node *n = stack[--sp];
			budget--;
			if (!n || n->pos.line < 1 || n->pos.col < 1)
				abort();
			if (n->kind == NODE_SEQ) {
				for (size_t i = 0; i < n->n && sp < sizeof stack / sizeof *stack; i++)
					stack[sp++] = n->items[i];
			} else if (n->kind == NODE_MAP) {
				for (size_t i = 0; i < n->n && sp < sizeof stack / sizeof *stack; i++) {
					if (!n->pairs[i].key || n->pairs[i].key->kind != NODE_STRING)
						abort();
					stack[sp++] = n->pairs[i].value;
				}
			} else if (n->kind == NODE_STRING && !n->str) {
				abort();
			}
		}
	}
}

static void load_as(const char *name, const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_buffer(name, (const char *)data, size, a, &d);
	if (root)
		check_tree(root);
	else if (diag_count(&d, DIAG_ERROR) == 0)
		abort(); /* NULL must come with an error */
	diags_free(&d);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load_as("fuzz.yaml", data, size); /* libyaml, or strict JSON when '{' comes first */
	load_as("fuzz.json", data, size); /* strict JSON whatever comes first */
	return 0;
}
