/*
 * tree.h - building a document tree from a parser's events; shared by the
 * YAML and JSON loaders (internal to src/load/, not for other modules).
 *
 * A parser pushes a frame when a sequence or mapping opens, attaches each
 * finished node to the innermost frame (a mapping takes a key, then its
 * value), and closes the frame when the container ends.  Nesting is bounded
 * by LOAD_MAX_DEPTH and the number of nodes by loader.max_nodes; duplicate
 * mapping keys are warned about and the last one wins, as CloudFormation
 * does.  Errors set loader.failed and are added to loader.d.
 */
#ifndef RAMPART_LOAD_TREE_H
#define RAMPART_LOAD_TREE_H

#include "core/diag.h"
#include "core/strmap.h"
#include "load/node.h"

#include <stddef.h>

struct arena;

struct frame {
	struct node *node;       /* NODE_SEQ or NODE_MAP being filled */
	struct node *key;        /* map: key waiting for its value */
	const char *intrinsic;   /* YAML: short-form tag wrapping this node, or NULL */
	struct pos tag_pos;
	char *anchor;            /* YAML: anchor to register when complete (malloc) */
	size_t expanded;         /* nodes below, YAML aliases counted in full */
	struct node **items;     /* seq items (malloc) */
	struct node_pair *pairs; /* map pairs (malloc) */
	size_t n, cap;
	struct strmap *index;    /* key -> pair index+1, for big maps */
};

struct loader {
	const char *file;      /* copied into the arena */
	struct arena *a;
	struct diags *d;
	struct frame *stack;
	size_t depth, cap;
	struct strmap anchors; /* YAML: anchor name -> struct anchor */
	size_t expanded;       /* YAML: nodes that aliases stand for */
	size_t nodes;          /* nodes made so far */
	size_t max_nodes;      /* 0: no limit */
	struct node *root;
	int failed;
};

void tree_init(struct loader *L, const char *file, size_t max_nodes, struct arena *a, struct diags *d);
/* A zeroed node (counted against max_nodes; NULL and L->failed past it). */
struct node *tree_node(struct loader *L, enum node_kind k, struct pos pos);
/* A NODE_STRING holding a copy of s[0..len). */
struct node *tree_string(struct loader *L, const char *s, size_t len, struct pos pos);
/* Open a container; -1 (error added) when nesting is too deep. */
int tree_push(struct loader *L, enum node_kind k, struct pos pos);
/*
 * Close the innermost container: its node gets its items or pairs.  Returns
 * the frame (valid until the next tree_push) so the YAML loader can read
 * its tag and anchor; the caller then attaches frame->node (or a wrapper).
 */
struct frame *tree_pop(struct loader *L);
/* Add a finished node to the innermost container, or make it a document root. */
void tree_attach(struct loader *L, struct node *n, size_t expanded);
/*
 * Release what the build holds (unfinished frames too) and return the
 * first document (empty ones dropped), or NULL: after an error, or with an
 * "empty file" error at `top` when there is no document.
 */
struct node *tree_finish(struct loader *L, struct pos top);

/* The parsers: fill L from buf[0..len); errors set L->failed. */
void yaml_parse(struct loader *L, const char *buf, size_t len); /* yaml.c */
void json_parse(struct loader *L, const char *buf, size_t len); /* json.c */

#endif
