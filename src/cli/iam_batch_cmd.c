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
#include "core/arena.h"
#include "core/strbuf.h"
#include "iam/batch.h"

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
			fwrite(o.s, 1, o.len, out);
			sb_reset(&o);
		}
	}
	fwrite(o.s, 1, o.len, out);
	fflush(out);
	sb_free(&o);
	free(line);
	if (repeat > 1 && eval_time > 0)
		fprintf(stderr,
			"rampart iam eval-batch: %ld cases, %.0f evaluations in %.3f s of CPU (%.3f s wall): "
			"%.0f evaluations/s\n",
			cases, evals, eval_time, wall_time, evals / eval_time);
	return rc;
}

int cmd_iam_eval_batch(int argc, char **argv)
{
	long repeat = 1;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "--repeat")) {
		repeat = atol(argv[i + 1]);
		if (repeat < 1)
			repeat = 1;
		i += 2;
	}
	FILE *in = stdin;
	if (i < argc && strcmp(argv[i], "-")) {
		in = fopen(argv[i], "r");
		if (!in) {
			perror(argv[i]);
			return 2;
		}
	}
	int rc = eval_batch(in, stdout, repeat);
	if (in != stdin)
		fclose(in);
	return rc;
}
