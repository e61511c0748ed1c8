/*
 * input.h - opening the files a command reads: any length of path, never
 * blocking on a FIFO, regular files only unless the user handed a pipe.
 *
 * Every command reads named files (templates, CloudTrail logs, policies,
 * rules), and a plain open() goes wrong three ways:
 *   - a path found deep in a tree may be longer than PATH_MAX, and open()
 *     fails with ENAMETOOLONG.  input_openat() opens such a path a piece
 *     at a time, each piece relative to the directory the previous opened.
 *   - open() on a FIFO waits for a writer, perhaps forever, and the files
 *     after it are never read.  Files are opened with O_NONBLOCK (and
 *     O_NOCTTY), and what is not a regular file is refused with a reason...
 *   - ...unless its path names a descriptor the user handed over:
 *     /dev/stdin, /dev/fd/N or /proc/self/fd/N, which is what a shell's
 *     process substitution (`rampart scan <(cat t.yaml)`) passes.  Those
 *     may be pipes or terminals and are read as such, blocking.  A named
 *     FIFO is read through them or through standard input ("-", which the
 *     commands handle themselves): `rampart scan - <fifo`.
 */
#ifndef RAMPART_CORE_INPUT_H
#define RAMPART_CORE_INPUT_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room for a reason from input_openat (it never names the path). */
#define INPUT_WHY_MAX 160

/* Does path name an inherited descriptor (/dev/stdin, /dev/fd/N,
 * /proc/self/fd/N)?  Such a path may be read whatever its file type. */
bool input_names_descriptor(const char *path);

/* "a FIFO", "a socket", "a character device", ... for messages. */
const char *input_kind_name(mode_t mode);

/*
 * openat(2) for a path of any length: a path under PATH_MAX is opened as
 * it is; a longer one through its directories, PATH_MAX bytes at a time
 * (they need search permission only).  Returns the descriptor, or -1 with
 * errno set.
 */
int input_openat_raw(int dirfd, const char *path, int flags);

/*
 * Open a file to read, path relative to dirfd (AT_FDCWD for the working
 * directory) and of any length.  Returns a blocking, close-on-exec
 * descriptor, with its fstat in *st when st is not NULL, or -1 with `why`
 * set ("cannot open: No such file or directory", "is a directory", "not a
 * regular file (a FIFO): ...").
 */
struct stat;
int input_openat(int dirfd, const char *path, struct stat *st, char why[INPUT_WHY_MAX]);

/*
 * Read a whole file, opened as input_openat does, into memory (malloc,
 * NUL-terminated, *len bytes).  NULL, with an error diagnostic naming the
 * path, when it cannot be opened or read or holds more than max bytes.
 */
char *input_read(const char *path, size_t max, size_t *len, struct diags *d);

#endif
