/*
 * walk.h - one directory walker for every command: the paths a user names
 * become the files the command reads, in a deterministic order, and
 * nothing is lost without a word.
 *
 * A path the user names (a root, depth 0) is taken as it is: a regular
 * file is taken whatever its name; "-" (standard input) is passed on for
 * the command to read; a directory is walked; anything else (a FIFO, a
 * socket, a device) is an error, unless its path names a descriptor the
 * user handed over (/dev/fd/N from `<(cat t.yaml)`, see input.h).
 *
 * Directories are walked relative to directory descriptors (openat,
 * fstatat, fdopendir), so depth is not limited by PATH_MAX; the paths
 * handed to the caller may be longer than PATH_MAX, and input_openat()
 * opens them.  At most WALK_OPEN_DIRS descriptors are held however deep
 * the tree: deeper, the shallowest are closed and reopened on the way back
 * (through "..", checked by device and inode).  Entries come sorted by the
 * bytes of their names, so results do not depend on the file system.
 *
 * Symbolic links are followed.  A directory that is the same (device and
 * inode) as one on the current path is a loop: an error, not walked again.
 * Every entry that cannot be read (permission denied, vanished, a broken
 * link, a loop, a FIFO or device the caller wanted by its name) is an error
 * diagnostic naming its path.  Only the caller's filter drops entries.
 */
#ifndef RAMPART_CORE_WALK_H
#define RAMPART_CORE_WALK_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Directory descriptors one walk holds open at most. */
#define WALK_OPEN_DIRS 64

enum walk_kind {
	WALK_FILE,  /* a regular file (or "-") */
	WALK_DIR,   /* a directory */
	WALK_OTHER, /* a FIFO, socket or device */
};

struct walk_entry {
	const char *path; /* from the root as named (trailing '/' dropped); any length */
	const char *name; /* its last component; for a root, the path */
	size_t depth;     /* 0 for a root, 1 for its entries, ... */
	size_t root;      /* the caller's number for the root (walk_path's `root`) */
	enum walk_kind kind;
};

/* The caller's filter and consumer.  Callbacks get entries valid for the
 * duration of the call only (copy what you keep). */
struct walk_ops {
	/* Walk this directory?  Asked of roots as well (depth 0).  NULL: yes. */
	bool (*enter)(void *ctx, const struct walk_entry *dir);
	/* Is this entry found in a directory one the caller reads (decided by
	 * name, usually)?  A FIFO or device it wants is an error.  Roots are
	 * not asked: the user named them. */
	bool (*want)(void *ctx, const struct walk_entry *file);
	/* A file to read: wanted and regular, or a root. */
	void (*take)(void *ctx, const struct walk_entry *file);
	/* A file found in a directory and not wanted (to count what was
	 * passed over).  NULL: nothing. */
	void (*pass)(void *ctx, const struct walk_entry *file);
	void *ctx;
};

/*
 * Walk one path the user named; `root` is passed on in every entry (the
 * index of the argument, say).  Problems are error diagnostics in d, each
 * naming the path it concerns, at line 0.
 */
void walk_path(const char *path, size_t root, const struct walk_ops *ops, struct diags *d);

#endif
