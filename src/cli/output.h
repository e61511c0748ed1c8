/*
 * output.h - where a command's report goes, and whether it gets colour.
 * Shared by every subcommand so they behave alike.
 */
#ifndef RAMPART_CLI_OUTPUT_H
#define RAMPART_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write buf to path (a temporary file renamed into place, so a failed
 * write never leaves half a report), or to stdout when path is NULL or
 * "-".  Returns 0, or -1 after printing why.
 */
int output_write(const char *path, const char *buf, size_t len);

/* --color auto|always|never: auto means stdout is a terminal, no --output, and NO_COLOR unset. */
bool output_want_color(const char *when, const char *output_path);

#endif
