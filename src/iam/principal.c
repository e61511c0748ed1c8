/*
 * principal.c - telling what kind of principal an ARN or name denotes
 * (user, role, assumed-role session, account root, federated user,
 * service, anonymous), with its account and role.  Used for the request's
 * principal and, at parse time, for every principal a policy names.
 */
#include "iam/principal.h"

#include <string.h>

int iam_arn_fields(const char *arn, const char *seg[6], size_t len[6])
{
	/* One pass for the five colons (ARNs are short: a loop beats five strchr calls). */
	int i = 0;
	seg[0] = arn;
	const char *q = arn;
	for (; *q && i < 5; q++)
		if (*q == ':') {
			len[i] = (size_t)(q - seg[i]);
			seg[++i] = q + 1;
		}
	if (i < 5)
		return -1;
	len[5] = strlen(seg[5]);
	return 0;
}



/* Bounded copy of s[0..n) to dst at *at; the result stays NUL-terminated. */
void iam_put(char *dst, size_t size, size_t *at, const char *s, size_t n)
{
	if (*at + n >= size)
		n = *at < size - 1 ? size - 1 - *at : 0;
	memcpy(dst + *at, s, n);
	*at += n;
	dst[*at] = '\0';
}

void iam_principal_parse(const char *s, struct iam_principal_info *p)
{
	/* Empty strings rather than a memset of the whole (large) struct:
	 * the evaluator classifies its request's principal every time. */
	p->account[0] = p->role_name[0] = '\0';
	p->partition = NULL;
	p->partition_len = 0;
	p->arn = s ? s : "anonymous";
	p->kind = P_OTHER;
	if (!s || !strcmp(s, "anonymous") || !strcmp(s, "*")) {
		p->kind = P_ANON;
		return;
	}
	if (strncmp(s, "arn:", 4)) {
		if (strchr(s, '.'))
			p->kind = P_SERVICE;
		else if (strlen(s) == 12) {
			p->kind = P_ROOT;
			size_t at = 0;
			iam_put(p->account, sizeof p->account, &at, s, strlen(s));
		}
		return;
	}
	const char *seg[6];
	size_t len[6];
	if (iam_arn_fields(s, seg, len))
		return;
	p->partition = seg[1];
	p->partition_len = len[1];
	if (len[4] < sizeof p->account) {
		memcpy(p->account, seg[4], len[4]);
		p->account[len[4]] = '\0';
	}
	const char *res = seg[5];
	if (len[2] == 3 && !memcmp(seg[2], "iam", 3)) {
		if (!strcmp(res, "root"))
			p->kind = P_ROOT;
		else if (!strncmp(res, "user/", 5))
			p->kind = P_USER;
		else if (!strncmp(res, "role/", 5)) {
			p->kind = P_ROLE;
			const char *name = strrchr(res, '/') + 1;
			size_t at = 0;
			iam_put(p->role_name, sizeof p->role_name, &at, name, strlen(name));
		}
	} else if (len[2] == 3 && !memcmp(seg[2], "sts", 3)) {
		if (!strncmp(res, "assumed-role/", 13)) {
			p->kind = P_SESSION;
			const char *name = res + 13, *slash = strchr(name, '/');
			size_t n = slash ? (size_t)(slash - name) : strlen(name);
			if (n < sizeof p->role_name) {
				memcpy(p->role_name, name, n);
				p->role_name[n] = '\0';
			}
		} else if (!strncmp(res, "federated-user/", 15))
			p->kind = P_FEDERATED;
	}
}


void iam_principal_role_arn(const struct iam_principal_info *p, char *out, size_t size)
{
	size_t at = 0;
	out[0] = '\0';
	if (p->kind == P_ROLE) {
		iam_put(out, size, &at, p->arn, strlen(p->arn));
	} else if (p->kind == P_SESSION) {
		iam_put(out, size, &at, "arn:", 4);
		iam_put(out, size, &at, p->partition, p->partition_len);
		iam_put(out, size, &at, ":iam::", 6);
		iam_put(out, size, &at, p->account, strlen(p->account));
		iam_put(out, size, &at, ":role/", 6);
		iam_put(out, size, &at, p->role_name, strlen(p->role_name));
	}
}
