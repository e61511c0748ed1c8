/*
 * iam_batch_cmd.c - `rampart iam eval-batch [--repeat N] [FILE|-]`: one
 * case per input line (the JSON object of iam/batch.h), one decision per
 * output line ("allowed", "explicitDeny", "implicitDeny", or "error: ..."
 * for a case that does not parse; then the exit code is 2).  With
 * --repeat N each case is evaluated N times after parsing, and the
 * evaluation rate per core (evaluations per second of this thread's CPU
 * time) is printed on stderr.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/output.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "iam/batch.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The rate is per core: CPU time of this thread, so that other work on
 * the machine (which only delays us) does not count.  Wall time is printed
 * beside it.
 */
static double now(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int eval_batch(FILE *in, FILE *out, long repeat)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, cases = 0;
	double evals = 0, eval_time = 0, wall_time = 0;
	struct strbuf o = STRBUF_INIT;
	int rc = 0;
	bool write_failed = false;
	while ((len = getline(&line, &cap, in)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		struct arena *a = arena_new();
		char name[32], err[512];
		snprintf(name, sizeof name, "case%ld", lineno);
		const struct iam_batch_case *c = iam_batch_parse(name, line, (size_t)len, a, err, sizeof err);
		if (!c) {
			sb_printf(&o, "error: %s\n", err);
			rc = 2;
		} else {
			struct iam_result r;
			double t0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
			for (long k = 0; k < repeat; k++)
				iam_batch_eval(c, &r);
			eval_time += now(CLOCK_THREAD_CPUTIME_ID) - t0;
			wall_time += now(CLOCK_MONOTONIC) - w0;
			evals += (double)repeat;
			sb_printf(&o, "%s\n", iam_decision_name(r.decision));
			cases++;
		}
		arena_free(a);
		if (o.len > 65536) {
			write_failed |= fwrite(o.s, 1, o.len, out) != o.len;
			sb_reset(&o);
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "rampart iam eval-batch: reading the cases: %s\n", strerror(errno));
		rc = 2;
	}
	errno = 0;
	write_failed |= (o.len && fwrite(o.s, 1, o.len, out) != o.len);
	write_failed |= fflush(out) != 0;
	if (write_failed) {
		output_write_failed(NULL);
		rc = 2;
	}
	sb_free(&o);
	free(line);
	if (repeat > 1 && eval_time > 0)
		fprintf(stderr,
			"rampart iam eval-batch: %ld cases, %.0f evaluations in %.3f s of CPU (%.3f s wall): "
			"%.0f evaluations/s\n",
			cases, evals, eval_time, wall_time, evals / eval_time);
	return rc;
}

/* --repeat: enough for any benchmark, and repeat * cases stays far from overflowing a double's integers. */
#define MAX_REPEAT 1000000000LL

static const char batch_help[] =
    "usage: rampart iam eval-batch [--repeat N] [FILE|-]\n"
    "\n"
    "Evaluate many requests, one JSON object a line (standard input without FILE or\n"
    "with -), each carrying its own policies:\n"
    "  {\"identity\":[POLICY...], \"resource_policy\":POLICY,\n"
    "   \"resource_policy_kind\":\"resource|trust|kms\", \"boundary\":POLICY, \"session\":POLICY,\n"
    "   \"vpce\":POLICY, \"scp\":[[POLICY...]...], \"rcp\":[[POLICY...]...], \"principal\":ARN,\n"
    "   \"action\":A, \"resource\":ARN, \"resource_account\":ID, \"context\":{\"key\":\"v\"|[\"v\",...]}}\n"
    "and print one decision a line: allowed, explicitDeny, implicitDeny, or\n"
    "\"error: ...\" for a case that cannot be read.  The differential test and the\n"
    "benchmark drive this.\n"
    "\n"
    "options:\n"
    "  --repeat N   evaluate each case N times (1 to 1000000000) and print the\n"
    "               evaluation rate per core on standard error\n"
    "  -h, --help   this help\n"
    "\n"
    "exit status: 0 every case evaluated, 2 a case could not be read or a usage error.\n";

int cmd_iam_eval_batch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"repeat", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts op;
	long long repeat = 1;
	int c;
	opts_begin(&op, "rampart iam eval-batch", argc, argv, "h", longopts);
	while ((c = opts_next(&op)) != -1) {
		switch (c) {
		case 'r':
			if (opts_number(&op, "--repeat", op.arg, 1, MAX_REPEAT, &repeat))
				return 2;
			break;
		case 'h': fputs(batch_help, stdout); return 0;
		default: return 2; /* OPTS_ERROR: reported */
		}
	}
	if (argc - op.first > 1)
		return opts_usage_error(&op, "reads one FILE, not '%s' too", argv[op.first + 1]);
	const char *path = op.first < argc ? argv[op.first] : "-";
	FILE *in = stdin;
	if (strcmp(path, "-")) {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "rampart iam eval-batch: cannot read %s: %s\n", path, strerror(errno));
			return 2;
		}
	}
	int rc = eval_batch(in, stdout, (long)repeat);
	if (in != stdin)
		fclose(in);
	return rc;
}
