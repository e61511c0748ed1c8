/*
 * load.h - reading YAML and JSON files into document trees.
 *
 * One parser (libyaml, the one PyYAML and so the AWS and SAM CLIs use)
 * reads both YAML and JSON, which keeps positions and leniency identical to
 * what CloudFormation users already run.  Duplicate keys are accepted (last
 * wins, as CloudFormation does) with a warning.  Errors come back as
 * diagnostics with file:line:col; the loader never prints or exits.
 */
#ifndef RAMPART_LOAD_LOAD_H
#define RAMPART_LOAD_LOAD_H

#include "core/diag.h"
#include "load/node.h"

#include <stddef.h>

struct arena;

/* Largest file rampart reads (bytes); bigger files are an input error. */
#define LOAD_MAX_FILE (256u * 1024 * 1024)
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
