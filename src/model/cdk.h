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
	char *name;     /* properties.stackName, else the artifact ID (malloc) */
	char *template; /* path of the template file (malloc) */
	char *id;       /* artifact ID (malloc) */
	char *display;  /* displayName ("Stage/Stack"), else the artifact ID (malloc) */
};

/* Nested assemblies deeper than this are an error (and so are cycles). */
#define CDK_MAX_DEPTH 8

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

/*
 * The same for a manifest already in memory, read as if it were
 * <dir>/manifest.json (the fuzz target's entry point).  Nested assemblies
 * are still read from files under dir; templates are not checked for
 * existence, which cdk_stacks does.
 */
size_t cdk_stacks_buffer(const char *dir, const char *buf, size_t len, struct cdk_stack **out,
			 struct diags *d);

#endif
