/*
 * cfn_spec.h - what the CloudFormation resource specification says about a
 * resource type: its Fn::GetAtt attributes (generated into cfn_attr_data.c
 * from @aws-cdk/aws-service-spec by data/cfn/gen-attributes.js).
 */
#ifndef RAMPART_MODEL_CFN_SPEC_H
#define RAMPART_MODEL_CFN_SPEC_H

#include "model/value.h"

#include <stddef.h>

struct cfn_type_attrs {
	const char *type;  /* AWS::DynamoDB::Table */
	const char *attrs; /* "Arn StreamArn": sorted, space-separated */
	const char *props; /* top-level property names, the same way */
};

/* The generated table, sorted by type (cfn_attr_data.c). */
extern const char cfn_spec_version[];
extern const size_t cfn_spec_count;
extern const struct cfn_type_attrs cfn_spec[];

/* The type's row, or NULL when the specification does not have it. */
const struct cfn_type_attrs *cfn_type_find(const char *type);

/*
 * Can Fn::GetAtt read `attr` of a resource of `type`?  YES when the
 * specification lists it as an attribute or a property (some settable
 * properties are readable too, and the attribute lists miss a few), or
 * when it is a dynamic part of one (`Outputs.BucketName` of a nested
 * stack); NO when the type is in the specification without it; MAYBE for a
 * type the specification does not have (custom resources, third-party and
 * SAM types, types newer than the specification).
 */
enum tri cfn_type_has_attr(const char *type, const char *attr);

#endif
