/*
 * access.h - `rampart iam who-can` and `rampart iam can` (see access.c).
 */
#ifndef RAMPART_IAM_ACCESS_H
#define RAMPART_IAM_ACCESS_H

int iam_cmd_who_can(int argc, char **argv);
int iam_cmd_can(int argc, char **argv);
int iam_cmd_narrow(int argc, char **argv);

#endif
