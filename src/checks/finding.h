/*
 * finding.h - a finding: one check failing on one resource.
 *
 * Findings own their strings (malloc), so they outlive the arena of the
 * file they came from: a scan frees each file's model as soon as its
 * checks have run, and keeps only findings.
 */
#ifndef RAMPART_CHECKS_FINDING_H
#define RAMPART_CHECKS_FINDING_H

#include <stdbool.h>
#include <stddef.h>

struct check;

struct finding {
	const struct check *check;
	char *resource;        /* logical ID as deployed */
	char *source_resource; /* SAM resource it came from, or == resource */
	char *resource_type;
	char *cdk_path;        /* or NULL */
	char *stack;           /* CDK stack name, or NULL */
	char *file;
	int line, col;
	char *message;         /* no secrets: redacted forms only */
	int severity;          /* enum severity of this finding: the check's, unless the check
				  raised it with check_report_severity() */
	bool certain;
	bool suppressed;
	char *suppress_reason; /* or NULL */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

struct finding *findings_add(struct findings *f);
void findings_move(struct findings *dst, struct findings *src);
/* Sort: file, line, col, check id, resource, stack, message, then every other field (a total order). */
void findings_sort(struct findings *f);
void findings_free(struct findings *f);

#endif
