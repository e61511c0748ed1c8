/*
 * cdk.h - AWS CDK cloud assemblies (cdk.out).
 *
 * A cloud assembly directory has manifest.json listing artifacts; those of
 * type "aws:cloudformation:stack" name a templateFile.  Nested assemblies
 * (type "cdk:cloud-assembly", e.g. CDK Pipelines stages) are followed.
 * Findings from those templates name the construct path from each
 * resource's `aws:cdk:path` metadata (the model reads it into
 * resource->cdk_path) as well as the logical ID.
 */
#ifndef RAMPART_MODEL_CDK_H
#define RAMPART_MODEL_CDK_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct cdk_stack {
	char *name;     /* artifact ID / stackName (malloc) */
	char *template; /* path of the template file (malloc) */
};

/* Is dir a cloud assembly (has a manifest.json with "artifacts")? */
bool cdk_is_assembly(const char *dir);

/*
 * List the stack templates of the assembly at dir (recursing into nested
 * assemblies), sorted by template path.  Errors (unreadable or malformed
 * manifest) are added to d with file:line:col.  Returns the number of
 * stacks; *out is malloc'd (free with cdk_stacks_free).
 */
size_t cdk_stacks(const char *dir, struct cdk_stack **out, struct diags *d);
void cdk_stacks_free(struct cdk_stack *v, size_t n);

#endif
