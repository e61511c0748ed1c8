/*
 * fuzz_cdk.c - libFuzzer target: the CDK cloud assembly manifest reader
 * (cdk_stacks_buffer).  The assembly directory does not exist, so nested
 * assemblies are refused with errors; what is fuzzed is the manifest's
 * shape handling, path checks, sorting and de-duplication.
 */
#include "core/diag.h"
#include "model/cdk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = {0};
	struct cdk_stack *v = NULL;
	size_t n = cdk_stacks_buffer("/nonexistent/rampart-fuzz", (const char *)data, size, &v, &d);
	for (size_t i = 0; i < n; i++) {
		/* Promised: sorted, unique, inside the assembly, no "..". */
		if (i > 0 && strcmp(v[i - 1].template, v[i].template) >= 0)
			abort();
		if (strncmp(v[i].template, "/nonexistent/rampart-fuzz/", 26) != 0 ||
		    strstr(v[i].template, "/../"))
			abort();
	}
	cdk_stacks_free(v, n);
	diags_free(&d);
	return 0;
}
