/*
 * batch.h - evaluating many IAM requests from JSON lines (see batch.c).
 */
#ifndef RAMPART_IAM_BATCH_H
#define RAMPART_IAM_BATCH_H

#include <stdio.h>

/* Returns 0, or 2 if some case could not be read (its line says "error: ..."). */
int iam_eval_batch(FILE *in, FILE *out, long repeat);

#endif
