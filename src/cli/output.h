/*
 * output.h - where a command's report goes, whether it gets colour, and
 * making sure it got there.  Shared by every subcommand so they behave
 * alike: a report that could not be written in full is an error (exit 2),
 * never a silent success.
 */
#ifndef RAMPART_CLI_OUTPUT_H
#define RAMPART_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write buf to path, or to stdout when path is NULL or "-".  A new or
 * regular file is written to a temporary file renamed into place, so a
 * failed write never leaves half a report; anything else that exists (a
 * device such as /dev/stdout, a FIFO, a symbolic link) is written in place,
 * never replaced.  Returns 0, or -1 after printing why.
 */
int output_write(const char *path, const char *buf, size_t len);

/*
 * Say on stderr that writing path (NULL or "-": standard output) failed,
 * with errno's reason.  For commands that write a report themselves.
 */
void output_write_failed(const char *path);

/*
 * At exit: flush and close stdout.  If anything written to it was lost
 * (a full disk, an I/O error) and not already reported through this
 * module, say so; then the exit code is 2 whatever rc was.
 */
int output_finish(int rc);

/* --color auto|always|never: auto means stdout is a terminal, no --output, and NO_COLOR unset. */
bool output_want_color(const char *when, const char *output_path);

#endif
