/*
 * cfn_spec.c - lookups in the generated CloudFormation attribute table
 * (see cfn_spec.h).
 */
#include "model/cfn_spec.h"

#include <stdlib.h>
#include <string.h>

static int cmp_type(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cfn_type_attrs *)elem)->type);
}

/* Is name[0..len) one of the space-separated words of list? */
static bool listed(const char *list, const char *name, size_t len)
{
	for (const char *p = list; *p;) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);
		if (wl == len && !memcmp(p, name, len))
			return true;
		if (!sp)
			break;
		p = sp + 1;
	}
	return false;
}

const struct cfn_type_attrs *cfn_type_find(const char *type)
{
	return type ? bsearch(type, cfn_spec, cfn_spec_count, sizeof *cfn_spec, cmp_type) : NULL;
}

enum tri cfn_type_has_attr(const char *type, const char *attr)
{
	if (!type || !attr)
		return MAYBE;
	/* A custom resource returns whatever its provider sends back. */
	if (!strncmp(type, "Custom::", 8) || !strcmp(type, "AWS::CloudFormation::CustomResource"))
		return MAYBE;
	const struct cfn_type_attrs *t = cfn_type_find(type);
	if (!t)
		return MAYBE;
	/* Outputs.Name of a nested stack: the part after the dot is the stack's own. */
	const char *dot = strchr(attr, '.');
	size_t len = strlen(attr), head = dot ? (size_t)(dot - attr) : len;
	if (listed(t->attrs, attr, len) || listed(t->attrs, attr, head) || listed(t->props, attr, head))
		return YES;
	return NO;
}
