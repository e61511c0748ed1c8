/*
 * opts.h - how every command reads its options, so they all behave alike:
 *
 *   - getopt_long underneath: `--opt=value` and `--opt value` are the same,
 *     a short option may be glued to its value (`-j4`), options and
 *     operands may be mixed, `--` ends the options, and a long option may
 *     be shortened to any unambiguous prefix (`--form json`);
 *   - numbers are strict: decimal digits only, within the option's range,
 *     else a usage error naming the option and the value;
 *   - `-h`/`--help` print the command's help on standard output, exit 0;
 *   - every usage error goes to standard error, names the command, and
 *     makes the command exit 2.
 *
 * A command's loop:
 *
 *	struct opts op;
 *	opts_begin(&op, "rampart scan", argc, argv, "f:o:j:h", longopts);
 *	while ((c = opts_next(&op)) != -1)
 *		switch (c) {
 *		case 'j': if (opts_number(&op, "--jobs", op.arg, 1, 256, &n)) return 2; ...
 *		case 'h': fputs(help, stdout); return 0;
 *		case OPTS_ERROR: return 2;   (already reported)
 *		}
 *	operands: argv[op.first .. argc-1]
 */
#ifndef RAMPART_CLI_OPTS_H
#define RAMPART_CLI_OPTS_H

#include <getopt.h>
#include <stdbool.h>

/* -j/--jobs N everywhere: worker threads, 1 to this (more than the cores only waits). */
#define OPTS_MAX_JOBS 256

/* What opts_next returns for an unknown option or a missing value (reported). */
#define OPTS_ERROR 0x7fff

struct opts {
	const char *cmd;                 /* "rampart trail detect": prefix of every message */
	int argc;
	char **argv;
	char spec[64];                   /* ':' and the short options, as getopt_long reads them */
	const struct option *longopts;
	const char *arg;                 /* the current option's value (optarg) */
	int first;                       /* after opts_next returned -1: the first operand */
};

void opts_begin(struct opts *o, const char *cmd, int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/* The next option's value (a short option's character or a long option's val), -1 at the end, or OPTS_ERROR. */
int opts_next(struct opts *o);

/*
 * value as a whole number in [min, max] into *out: 0; or print
 * "CMD: NAME: 'value' is not a whole number from MIN to MAX" and return
 * -1.  Leading '+', spaces, hex and trailing characters are refused.
 */
int opts_number(const struct opts *o, const char *name, const char *value, long long min, long long max,
		long long *out);

/* A subcommand: its name and entry point (argv[0] is its name). */
struct opts_command {
	const char *name;
	int (*run)(int argc, char **argv);
};

/*
 * Run the subcommand argv[1] names (cmds ends with {NULL, NULL}) and return
 * its exit code.  "--help", "-h" or "help": help on stdout, 0.  Nothing,
 * or a name not in cmds: help on stderr, 2.
 */
int opts_dispatch(const char *cmd, const char *help, const struct opts_command *cmds, int argc, char **argv);

/* Print "CMD: <message>" and "(see 'CMD --help')" to stderr; returns 2, the exit code. */
int opts_usage_error(const struct opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
