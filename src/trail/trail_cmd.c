/*
 * trail_cmd.c - `rampart trail`: detect, usage, policy.
 */
#include "cli/commands.h"

#include <stdio.h>

int cmd_trail(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("rampart trail: not built yet\n", stderr);
	return 2;
}
