/*
 * fuzz_eval_batch.c - libFuzzer target: the cases of `rampart iam
 * eval-batch` (iam/batch.h), one JSON object a line, each carrying its
 * policies of every kind, principal, action, resource and request context:
 * iam_batch_parse (the case reader and the policy parser) then
 * iam_batch_eval (the whole evaluator, with its condition operators on
 * hostile context values).  Lines are split as the command splits them
 * (trailing CR and LF dropped, empty lines skipped).
 *
 * Checked: a case that cannot be read comes with a reason; a case read is
 * decided as allowed, an explicit deny or an implicit deny.
 */
#include "core/arena.h"
#include "iam/batch.h"
#include "iam/eval.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_case(const char *text, size_t len)
{
	struct arena *a = arena_new();
	char err[512] = "";
	const struct iam_batch_case *c = iam_batch_parse("case1", text, len, a, err, sizeof err);
	if (!c) {
		if (!err[0])
			abort(); /* promised: the reason it cannot be evaluated */
	} else {
		struct iam_result r;
		iam_batch_eval(c, &r);
		if (r.decision != IAM_ALLOWED && r.decision != IAM_EXPLICIT_DENY &&
		    r.decision != IAM_IMPLICIT_DENY)
			abort();
		(void)iam_decision_name(r.decision);
	}
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		const char *q = stop;
		while (q > p && q[-1] == '\r')
			q--;
		if (q > p) {
			/* the case's own copy, exactly its bytes: ASan sees reads past it */
			size_t n = (size_t)(q - p);
			char *line = malloc(n);
			if (!line)
				return 0;
			memcpy(line, p, n);
			one_case(line, n);
			free(line);
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}
