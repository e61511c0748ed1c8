/*
 * policy.h - IAM policy documents, parsed and validated into a compiled
 * form the evaluator can run quickly.
 *
 * A policy is read from a document node (a JSON or YAML file through the
 * project loader, or a template's policy document); problems are reported
 * as Access-Analyzer-style diagnostics with file:line:col.  Actions are
 * lower-cased (IAM matches them case-insensitively, E17); resources keep
 * their case (E22); condition keys are lower-cased (E44); operators are
 * decoded into an enum with their set quantifier and IfExists flag.
 */
#ifndef RAMPART_IAM_POLICY_H
#define RAMPART_IAM_POLICY_H

#include "core/cidr.h"
#include "core/diag.h"
#include "load/node.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum iam_policy_kind {
	IAM_IDENTITY,
	IAM_RESOURCE,
	IAM_TRUST,     /* a role's AssumeRolePolicyDocument */
	IAM_KMS_KEY,   /* a KMS key policy */
	IAM_SCP,
	IAM_RCP,
	IAM_BOUNDARY,
	IAM_SESSION,
};

enum iam_effect { IAM_ALLOW, IAM_DENY };

enum iam_op {
	OP_STRING_EQUALS, OP_STRING_NOT_EQUALS, OP_STRING_EQUALS_IC, OP_STRING_NOT_EQUALS_IC,
	OP_STRING_LIKE, OP_STRING_NOT_LIKE,
	OP_NUMERIC_EQUALS, OP_NUMERIC_NOT_EQUALS, OP_NUMERIC_LT, OP_NUMERIC_LE, OP_NUMERIC_GT, OP_NUMERIC_GE,
	OP_DATE_EQUALS, OP_DATE_NOT_EQUALS, OP_DATE_LT, OP_DATE_LE, OP_DATE_GT, OP_DATE_GE,
	OP_BOOL, OP_BINARY_EQUALS, OP_IP_ADDRESS, OP_NOT_IP_ADDRESS,
	OP_ARN_EQUALS, OP_ARN_LIKE, OP_ARN_NOT_EQUALS, OP_ARN_NOT_LIKE,
	OP_NULL,
};

enum iam_quant { Q_SINGLE, Q_FOR_ALL, Q_FOR_ANY };

/*
 * A condition value compiled at parse time, so evaluation neither scans
 * for variables nor parses numbers, dates or CIDRs again.  Numeric, Date
 * and IpAddress values take no variables (E28), so their parse is final.
 */
enum { CV_VARIABLE = 1, CV_ESCAPE = 2, CV_PARSED = 4, CV_TRUE = 8 };

struct iam_cvalue {
	unsigned char flags;  /* CV_* bits: "${" present, '\' present, num/ip valid, Null "true" */
	double num;           /* Numeric: the number; Date: seconds since the epoch */
	struct cidr net;      /* IpAddress: the block (core/cidr.h) */
};

/* Keys the evaluator can derive from the principal when the request omits them. */
enum iam_derived_key { DK_NONE, DK_PRINCIPAL_ARN, DK_PRINCIPAL_ACCOUNT, DK_PRINCIPAL_TYPE, DK_USERNAME };

struct iam_condition {
	enum iam_op op;
	enum iam_quant quant;
	bool if_exists;
	bool negated;         /* a "Not" operator: values combine by NOR (E32) */
	const char *key;      /* lower-cased context key */
	const char *key_written; /* the key as the policy spells it (for messages) */
	const char **values;  /* as written (variables expanded at evaluation) */
	size_t nvalues;
	struct pos pos;
	/* Compiled: */
	const struct iam_cvalue *cv; /* one per value */
	size_t key_len;              /* strlen(key) */
	unsigned char derived;       /* enum iam_derived_key */
};



struct iam_principal_info;

enum iam_principal_type { PT_STAR, PT_AWS, PT_SERVICE, PT_FEDERATED, PT_OTHER };

struct iam_principal {
	enum iam_principal_type t; /* type decoded; PT_STAR also for {"AWS": "*"} */
	const char *type;  /* "AWS", "Service", "Federated", "CanonicalUser", or "*" */
	const char *id;    /* an ARN, account ID, service name, ... or "*" */
	const struct iam_principal_info *info; /* id classified at parse time (AWS type) */
};

/* A Resource entry split into its six ARN fields at parse time. */
struct iam_resource_pattern {
	bool arn;          /* six fields found; else matched as a whole */
	bool variable;     /* contains ${...}: expanded per request */
	bool escape;       /* contains '\\' */
	bool star;         /* exactly "*": matches any resource */
	unsigned short off[6], len[6];
	unsigned char wild; /* bit i: field i has a wildcard or escape */
	unsigned short lit_len; /* the leading literal fields with their colons ("arn:aws:dynamodb:eu-west-2:1:") */
	unsigned char lit_fields; /* how many fields that is */
};

struct iam_statement {
	const char *sid;          /* or NULL */
	int index;                /* 0-based position in the policy */
	enum iam_effect effect;
	bool not_action;
	const char **actions;     /* lower-cased patterns */
	size_t nactions;
	/* Compiled: each action pattern's length and the length of its literal
	 * prefix (up to the first wildcard), so most non-matching actions are
	 * rejected by one memcmp. */
	const size_t *action_len;
	const size_t *action_lit;
	/* Bit (first character of the action & 63) for each Action pattern
	 * with a literal first character; all ones when some pattern starts
	 * with a wildcard.  A request action whose bit is clear cannot match
	 * (so an Action statement is skipped, a NotAction one applies). */
	unsigned long long first_chars;
	bool not_resource;
	bool has_resource;        /* Resource or NotResource present */
	const char **resources;
	size_t nresources;
	const struct iam_resource_pattern *rpat; /* compiled resources[] */
	bool has_principal;       /* Principal or NotPrincipal present */
	bool not_principal;
	struct iam_principal *principals;
	size_t nprincipals;
	struct iam_condition *conds;
	size_t nconds;
	struct pos pos;
};

struct iam_policy {
	const char *name;
	enum iam_policy_kind kind;
	bool variables;           /* Version 2012-10-17: ${...} are variables (E26) */
	struct iam_statement *st;
	size_t n;
	struct pos pos;
};

/*
 * Parse a policy document node.  Returns NULL (with an error diagnostic)
 * only when the document is not a policy at all; statement-level problems
 * are diagnosed and the offending statement is left out, so the rest of the
 * policy still counts.
 */
struct iam_policy *iam_policy_parse(const struct node *doc, const char *name, enum iam_policy_kind kind,
				    struct arena *a, struct diags *d);

/* Load and parse a policy file (JSON or YAML). */
struct iam_policy *iam_policy_load(const char *path, enum iam_policy_kind kind, struct arena *a,
				   struct diags *d);

const char *iam_op_name(enum iam_op op);

struct strbuf;
/* A condition as one readable line: "Bool aws:MultiFactorAuthPresent true". */
void iam_condition_text(struct strbuf *out, const struct iam_condition *c);

#endif
