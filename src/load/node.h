/*
 * node.h - the document tree every loader produces.
 *
 * A node is what the file said, nothing resolved: scalars keep their text,
 * maps keep their key order, and every node knows where it was written.
 * CloudFormation short-form tags are rewritten to their long form while
 * loading (`!Ref X` becomes the map {"Ref": "X"}, `!GetAtt A.B` becomes
 * {"Fn::GetAtt": ["A", "B"]}), so later stages see one form only; the
 * rewritten nodes keep the tag's position.
 */
#ifndef RAMPART_LOAD_NODE_H
#define RAMPART_LOAD_NODE_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum node_kind {
	NODE_NULL,
	NODE_BOOL,
	NODE_NUMBER, /* text kept in str, value in num */
	NODE_STRING,
	NODE_SEQ,
	NODE_MAP,
};

struct node;

struct node_pair {
	struct node *key; /* always NODE_STRING (non-string keys are stringified) */
	struct node *value;
};

/*
 * 64 bytes: a document of a million scalars is a million of these, so
 * fields that never coexist share storage (a number has no items, a
 * sequence no number).  Read a union member only for its kind.
 */
struct node {
	enum node_kind kind;
	bool quoted;  /* written quoted: "123" is a string, not a number */
	bool boolean; /* NODE_BOOL */
	bool shared;  /* a YAML alias names it: reachable by more than one path */
	struct pos pos;
	/* Scalars: the text as written (quotes removed, escapes decoded).
	 * May contain NUL bytes; len is authoritative. */
	const char *str;
	size_t len;
	/* NODE_SEQ: items[0..n); NODE_MAP: pairs[0..n); 0 for scalars */
	size_t n;
	union {
		double num;              /* NODE_NUMBER */
		struct node **items;     /* NODE_SEQ */
		struct node_pair *pairs; /* NODE_MAP */
	};
	/* Root nodes only: the next document of a multi-document YAML stream. */
	struct node *next_doc;
};

/* Map lookup by exact key; NULL when absent or when m is not a map. */
struct node *node_get(const struct node *m, const char *key);
/* The pair for key, for its key position. */
const struct node_pair *node_get_pair(const struct node *m, const char *key);
/* Scalar text of a string node, or NULL. */
const char *node_str(const struct node *n);
bool node_is_scalar(const struct node *n);
const char *node_kind_name(enum node_kind k);

/*
 * If n is a one-key map whose key is an intrinsic function name
 * ("Ref", "Condition" or "Fn::..."), return that name; else NULL.
 */
const char *node_intrinsic(const struct node *n);

#endif
