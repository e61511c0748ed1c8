/*
 * principal.h - classifying principals (see principal.c).
 */
#ifndef RAMPART_IAM_PRINCIPAL_H
#define RAMPART_IAM_PRINCIPAL_H

#include <stddef.h>

enum pkind { P_USER, P_ROLE, P_SESSION, P_ROOT, P_FEDERATED, P_SERVICE, P_ANON, P_OTHER };

struct iam_principal_info {
	enum pkind kind;
	const char *arn;
	char account[32];
	char role_name[256]; /* sessions and roles */
	const char *partition; /* ARNs: the partition field ("aws"), partition_len long */
	size_t partition_len;
};

/* A session's role as an ARN, arn:PARTITION:iam::A:role/NAME (its path is
 * unknown), into out; a role's own ARN; "" for other principals. */
void iam_principal_role_arn(const struct iam_principal_info *p, char *out, size_t size);

/* An ARN's first five colon-separated fields and the rest (seg/len in
 * place, no copy); -1 if it has fewer than five colons. */
int iam_arn_fields(const char *arn, const char *seg[6], size_t len[6]);

/* Classify s (an ARN, a 12-digit account, a service name, "anonymous" or "*"). */
void iam_principal_parse(const char *s, struct iam_principal_info *p);

/* Bounded copy of s[0..n) to dst at *at; dst stays NUL-terminated. */
void iam_put(char *dst, size_t size, size_t *at, const char *s, size_t n);

#endif
