/*
 * sam.c - the AWS::Serverless-2016-10-31 transform (see sam.h).
 */
#include "model/sam.h"
#include "model/stack.h"

void sam_expand(struct stack *s, struct diags *d)
{
	(void)s;
	(void)d;
}
