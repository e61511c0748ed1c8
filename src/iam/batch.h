/*
 * batch.h - one IAM request per JSON object, carrying its own policies:
 *
 *   {"identity":[POLICY...], "resource_policy":POLICY, "resource_policy_kind":"resource|trust|kms",
 *    "boundary":POLICY, "session":POLICY, "vpce":POLICY, "scp":[[POLICY...]...], "rcp":[[POLICY...]...],
 *    "principal":ARN, "action":A, "resource":ARN, "resource_account":ID,
 *    "context":{"key":"value" | ["v1","v2"]}}
 *
 * the format `rampart iam eval-batch` reads a line at a time, and the
 * differential test against the reference simulator and the evaluation
 * benchmark write.
 */
#ifndef RAMPART_IAM_BATCH_H
#define RAMPART_IAM_BATCH_H

#include "iam/eval.h"

#include <stddef.h>

struct arena;
struct iam_batch_case;

/*
 * Parse one case from text (len bytes; name labels its diagnostics),
 * allocated in a.  NULL when it cannot be evaluated, with the reason
 * (the first error, as file:line:col: error: ... when it is a parse error)
 * in err.
 */
const struct iam_batch_case *iam_batch_parse(const char *name, const char *text, size_t len, struct arena *a,
					     char *err, size_t errsize);

/* Evaluate the case's request against its policies. */
void iam_batch_eval(const struct iam_batch_case *c, struct iam_result *r);

#endif
