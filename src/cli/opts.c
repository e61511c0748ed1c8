/*
 * opts.c - reading a command's options (opts.h).
 *
 * getopt_long keeps its state in globals; opts_begin resets it fully
 * (optind = 0, as glibc documents) so that commands run one after another
 * in one process (the tests do) start afresh.  opterr is off and the
 * option string starts with ':' so that every message is ours: one format,
 * one place.
 */
#include "cli/opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void opts_begin(struct opts *o, const char *cmd, int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	memset(o, 0, sizeof *o);
	o->cmd = cmd;
	o->argc = argc;
	o->argv = argv;
	o->longopts = longopts;
	int n = snprintf(o->spec, sizeof o->spec, ":%s", shortopts);
	if (n < 0 || (size_t)n >= sizeof o->spec)
		abort(); /* a programming error: the option strings are constants */
	optind = 0;
	opterr = 0;
}

int opts_usage_error(const struct opts *o, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", o->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see '%s --help')\n", o->cmd);
	return 2;
}

/*
 * How many long options the len bytes of s could name: 1 for an exact name
 * or a unique prefix (that option in *match), more when ambiguous.
 */
static int long_matches(const struct opts *o, const char *s, size_t len, const struct option **match)
{
	int n = 0;
	*match = NULL;
	for (const struct option *l = o->longopts; l && l->name; l++) {
		if (strncmp(l->name, s, len))
			continue;
		if (strlen(l->name) == len) {
			*match = l;
			return 1;
		}
		if (n++ == 0)
			*match = l;
	}
	if (n != 1)
		*match = NULL;
	return n;
}

/*
 * The offending option as the user wrote it, without "=value".  optopt is
 * 0 for an unknown long option and the option's val for a known one, so a
 * long option is reported only when it is the one getopt meant (not when
 * a short option of a later cluster failed).
 */
static void offender(const struct opts *o, char *buf, size_t size)
{
	const char *prev = optind > 0 && optind <= o->argc ? o->argv[optind - 1] : NULL;
	if (prev && !strncmp(prev, "--", 2) && prev[2]) {
		size_t len = strcspn(prev + 2, "=");
		const struct option *m;
		if (!optopt || (long_matches(o, prev + 2, len, &m) == 1 && m->val == optopt)) {
			snprintf(buf, size, "--%.*s", (int)len, prev + 2);
			return;
		}
	}
	snprintf(buf, size, "-%c", optopt);
}

int opts_next(struct opts *o)
{
	int c = getopt_long(o->argc, o->argv, o->spec, o->longopts, NULL);
	o->arg = optarg;
	if (c == -1) {
		o->first = optind;
		return -1;
	}
	if (c != ':' && c != '?')
		return c;
	char name[128];
	offender(o, name, sizeof name);
	if (c == ':')
		opts_usage_error(o, "option '%s' needs a value", name);
	else if (!strncmp(name, "--", 2)) {
		const struct option *m;
		int n = long_matches(o, name + 2, strlen(name + 2), &m);
		if (n == 1 && m->has_arg == no_argument)
			opts_usage_error(o, "option '%s' takes no value", name);
		else if (n > 1)
			opts_usage_error(o, "option '%s' is ambiguous", name);
		else
			opts_usage_error(o, "unknown option '%s'", name);
	} else {
		opts_usage_error(o, "unknown option '%s'", name);
	}
	return OPTS_ERROR;
}

int opts_number(const struct opts *o, const char *name, const char *value, long long min, long long max,
		long long *out)
{
	bool ok = value[0] != '\0';
	for (const char *p = value; *p && ok; p++)
		ok = *p >= '0' && *p <= '9';
	long long n = 0;
	if (ok) {
		char *end;
		errno = 0;
		n = strtoll(value, &end, 10);
		ok = errno == 0 && *end == '\0' && n >= min && n <= max;
	}
	if (!ok) {
		opts_usage_error(o, "%s: '%s' is not a whole number from %lld to %lld", name, value, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int opts_dispatch(const char *cmd, const char *help, const struct opts_command *cmds, int argc, char **argv)
{
	if (argc < 2) {
		fputs(help, stderr);
		return 2;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(help, stdout);
		return 0;
	}
	for (const struct opts_command *c = cmds; c->name; c++)
		if (!strcmp(sub, c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n\n", cmd, sub);
	fputs(help, stderr);
	return 2;
}
