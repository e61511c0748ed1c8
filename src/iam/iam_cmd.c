/*
 * iam_cmd.c - `rampart iam`: eval, who-can, can.
 */
#include "cli/commands.h"

#include <stdio.h>

int cmd_iam(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("rampart iam: not built yet\n", stderr);
	return 2;
}
