/*
 * load.h - reading YAML and JSON files into document trees.
 *
 * YAML is read by libyaml (the parser of PyYAML and so of the AWS and SAM
 * CLIs), so leniency and scalar typing are what CloudFormation users already
 * run; JSON (a .json name, or text starting with '{') is read strictly as
 * RFC 8259 JSON, as CloudFormation reads it.  Both give the same trees with
 * line:col positions.  Duplicate keys are accepted (last wins, as
 * CloudFormation does) with a warning.  Errors come back as diagnostics
 * with file:line:col; the loader never prints or exits.
 */
#ifndef RAMPART_LOAD_LOAD_H
#define RAMPART_LOAD_LOAD_H

#include "core/diag.h"
#include "load/node.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Largest file rampart reads (bytes); bigger files are an input error. */
#define LOAD_MAX_FILE (256u * 1024 * 1024)
/*
 * Most nodes (scalars, sequences, mappings) in one template.  CloudFormation
 * takes templates of at most 1 MB, which hold at most about 500,000 nodes;
 * rampart scans templates up to 8 MB (a SAM template shrinks when
 * packaged), and this bound keeps the tree of any of them well under 200 MB
 * (a node is 64 bytes).  Past it the template is an input error, not
 * scanned in part.
 */
#define LOAD_MAX_TEMPLATE_NODES (1500u * 1000)
/* Deepest nesting accepted; deeper is an input error (no stack overflow). */
#define LOAD_MAX_DEPTH 256

/*
 * Parse buf[0..len) named `file` into a tree allocated in `a`.  Returns the
 * root, or NULL after adding at least one error to `d`.  An empty document
 * returns NULL with an error ("empty file").  `file` is copied into `a`.
 * A multi-document stream returns the first document, the others chained
 * through root->next_doc (empty documents dropped).
 */
struct node *load_buffer(const char *file, const char *buf, size_t len,
			 struct arena *a, struct diags *d);

/*
 * load_buffer for a CloudFormation template: a document of more than
 * LOAD_MAX_TEMPLATE_NODES nodes is an error (see its definition).
 */
struct node *load_template_buffer(const char *file, const char *buf, size_t len, struct arena *a,
				  struct diags *d);

/* Is this text JSON (a name ending in .json, or '{' first)?  Then it is read strictly. */
bool load_is_json(const char *file, const char *buf, size_t len);

/* Read a whole file (bounded by LOAD_MAX_FILE) and parse it. */
struct node *load_file(const char *path, struct arena *a, struct diags *d);

/*
 * Read a file into memory (malloc, NUL-terminated).  Returns NULL with an
 * error diagnostic when unreadable or larger than LOAD_MAX_FILE.
 */
char *load_read_file(const char *path, size_t *len, struct diags *d);

/* Heuristic used by directory walks: does this buffer look binary? */
int load_looks_binary(const char *buf, size_t len);

#endif
