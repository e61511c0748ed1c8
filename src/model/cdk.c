/*
 * cdk.c - reading a CDK cloud assembly's manifest (see cdk.h).
 */
#include "model/cdk.h"

#include <stdlib.h>

bool cdk_is_assembly(const char *dir)
{
	(void)dir;
	return false;
}

size_t cdk_stacks(const char *dir, struct cdk_stack **out, struct diags *d)
{
	(void)dir;
	(void)d;
	*out = NULL;
	return 0;
}

void cdk_stacks_free(struct cdk_stack *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].template);
	}
	free(v);
}
