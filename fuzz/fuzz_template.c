/*
 * fuzz_template.c - libFuzzer target: the whole template path, the template
 * loader (load_template_buffer, as scan reads files: node bound, strict
 * JSON) then model_build (parameters, conditions, mappings, intrinsics, SAM
 * expansion) on every document of the stream.
 */
#include "core/arena.h"
#include "core/diag.h"
#include "load/load.h"
#include "model/stack.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d = {0};
	(void)model_text_looks_like_template((const char *)data, size);
	struct node *root = load_template_buffer("fuzz.yaml", (const char *)data, size, a, &d);
	static const char *const keys[] = {"Env"};
	static const char *const vals[] = {"prod"};
	struct model_options opt = {.param_keys = keys, .param_values = vals, .nparams = 1,
				     .region = "eu-west-2", .account_id = "123456789012"};
	for (struct node *doc = root; doc; doc = doc->next_doc) {
		struct stack *s = model_build(doc, "fuzz.yaml", &opt, a, &d);
		if (s && model_is_template(doc) == false)
			abort(); /* model_build promises NULL for non-templates */
	}
	diags_free(&d);
	arena_free(a);
	return 0;
}
