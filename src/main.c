/*
 * main.c - command dispatch: rampart scan | checks | iam | trail.
 */
#include "cli/commands.h"
#include "core/version.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: rampart <command> [options]\n"
	      "\n"
	      "Audit an AWS serverless database stack, layer by layer.\n"
	      "\n"
	      "commands:\n"
	      "  scan PATH...     scan CloudFormation/SAM templates and CDK cloud assemblies\n"
	      "  checks           list every check with its controls and remediation\n"
	      "  iam ...          evaluate IAM policies: eval, who-can, can\n"
	      "  trail ...        read CloudTrail logs: detect, usage, policy\n"
	      "\n"
	      "Run 'rampart <command> --help' for a command's options.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("rampart %s\n", RAMPART_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "scan"))
		return cmd_scan(argc - 1, argv + 1);
	if (!strcmp(cmd, "checks"))
		return cmd_checks(argc - 1, argv + 1);
	if (!strcmp(cmd, "iam"))
		return cmd_iam(argc - 1, argv + 1);
	if (!strcmp(cmd, "trail"))
		return cmd_trail(argc - 1, argv + 1);
	fprintf(stderr, "rampart: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
