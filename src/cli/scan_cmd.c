#include "cli/commands.h"
#include <stdio.h>
int cmd_scan(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_checks(int argc, char **argv) { (void)argc; (void)argv; return 2; }
