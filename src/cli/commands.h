/*
 * commands.h - the entry point of each command and subcommand (argv[0]
 * is the command's own name).  Each returns the exit code: 0 clean, 1
 * findings at or above --fail-on (or "denied" for iam eval), 2 usage or
 * input error.
 */
#ifndef RAMPART_CLI_COMMANDS_H
#define RAMPART_CLI_COMMANDS_H

int cmd_scan(int argc, char **argv);            /* cli/scan_cmd.c */
int cmd_checks(int argc, char **argv);          /* cli/scan_cmd.c */
int cmd_iam(int argc, char **argv);             /* cli/iam_cmd.c: eval, and dispatch to: */
int cmd_iam_who_can(int argc, char **argv);     /* cli/iam_access_cmd.c */
int cmd_iam_can(int argc, char **argv);         /* cli/iam_access_cmd.c */
int cmd_iam_narrow(int argc, char **argv);      /* cli/iam_narrow_cmd.c */
int cmd_iam_eval_batch(int argc, char **argv);  /* cli/iam_batch_cmd.c */
int cmd_trail(int argc, char **argv);           /* cli/trail_cmd.c */

#endif
