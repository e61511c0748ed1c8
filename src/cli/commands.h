/*
 * commands.h - the entry point of each subcommand.  Each returns the exit
 * code: 0 clean, 1 findings at or above --fail-on (or "denied" for iam
 * eval), 2 usage or input error.
 */
#ifndef RAMPART_CLI_COMMANDS_H
#define RAMPART_CLI_COMMANDS_H

#define RAMPART_VERSION "0.1.0"

int cmd_scan(int argc, char **argv);   /* src/cli/scan_cmd.c */
int cmd_checks(int argc, char **argv); /* src/cli/checks_cmd.c */
int cmd_iam(int argc, char **argv);    /* src/iam/iam_cmd.c */
int cmd_trail(int argc, char **argv);  /* src/trail/trail_cmd.c */

#endif
