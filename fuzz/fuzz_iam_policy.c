/*
 * fuzz_iam_policy.c - libFuzzer target: IAM policy documents, loader then
 * iam_policy_parse, for every kind of policy (identity, resource, trust,
 * KMS key, SCP, RCP, boundary, session): the first input byte picks the
 * kind, the rest is the document.
 */
#include "core/arena.h"
#include "core/diag.h"
#include "iam/policy.h"
#include "load/load.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	enum iam_policy_kind kind = (enum iam_policy_kind)(data[0] % (IAM_SESSION + 1));
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_buffer("policy.json", (const char *)data + 1, size - 1, a, &d);
	if (root) {
		struct iam_policy *p = iam_policy_parse(root, "policy.json", kind, a, &d);
		if (!p && diag_count(&d, DIAG_ERROR) == 0)
			abort(); /* NULL only with an error */
	}
	diags_free(&d);
	arena_free(a);
	return 0;
}
