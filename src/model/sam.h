/*
 * sam.h - the AWS::Serverless-2016-10-31 transform, as the SAM translator
 * does it for the resource types and properties rampart reads.
 *
 * Each AWS::Serverless::Function, Api, HttpApi and SimpleTable is replaced
 * by the CloudFormation resources the translator generates (with the same
 * logical IDs: <Fn>Role, <Fn>Url, <Fn><Event>Permission, ServerlessRestApi,
 * ...); generated resources carry source_id/source_type and the SAM
 * resource's position, so findings point at what the user wrote.
 */
#ifndef RAMPART_MODEL_SAM_H
#define RAMPART_MODEL_SAM_H

#include "core/diag.h"

struct stack;

/* Expand every SAM resource of s in place.  Called by model_build. */
void sam_expand(struct stack *s, struct diags *d);

#endif
