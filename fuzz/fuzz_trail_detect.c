/*
 * fuzz_trail_detect.c - libFuzzer target: `rampart trail detect` and
 * `trail policy` end to end on one file of events: trail_detect_files (the
 * driver, on this thread: one worker and no progress bar start no thread)
 * with the CIS controls, rampart's rules and the bundled Sigma rules, so
 * also what fuzz_trail.c cannot reach: the windowed detections (secret
 * reads by new principals, access-denied bursts), the per-detection cap
 * and its tallies, the cap on held denials, sorting, and the usage table
 * merged from the worker; then a least-privilege policy for every
 * principal seen (policy_generate).
 *
 * The caps are set tiny (2 detections kept per id, 4 denial seconds held)
 * so that small inputs reach them.  The driver reads paths, so the input
 * is written to a memory file (memfd, made once) and named by its
 * /proc/self/fd path.  Slower than fuzz_trail.c (the driver makes its
 * reader, and its 1 MB window, per run), so it leaves gzip to fuzz_trail.c:
 * a gzip input is refused (-1: not added to the corpus), which also keeps
 * it off the decompressor's output-size doubling.
 *
 * Checked: detections come out sorted by time, each with an id, a source
 * and a title; a tally counts at least the detections kept for its id;
 * every generated policy reads back as an identity policy without error.
 */
#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "iam/policy.h"
#include "load/load.h"
#include "trail/detect.h"
#include "trail/policy_gen.h"
#include "trail/read.h"
#include "trail/sigma.h"
#include "trail/usage.h"

#include "sigma_rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sigma_set rules;
static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_load_rules(&rules, "fuzz_trail_detect");
	fd = memfd_create("rampart-fuzz-trail", MFD_CLOEXEC);
	if (fd < 0) {
		perror("fuzz_trail_detect: memfd_create");
		exit(1);
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

static void put(const uint8_t *p, size_t n)
{
	size_t done = 0;
	if (ftruncate(fd, 0) != 0)
		goto fail;
	while (done < n) {
		ssize_t k = pwrite(fd, p + done, n - done, (off_t)done);
		if (k <= 0)
			goto fail;
		done += (size_t)k;
	}
	return;
fail:
	perror("fuzz_trail_detect: write");
	exit(1);
}

static int nullcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Every generated policy must read back as an identity policy. */
static void check_policies(const struct trail_usage *u)
{
	const char **who;
	size_t n = usage_principals(u, &who);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct policy_gen_info info = {0}, text_info = {0};
		sb_reset(&sb);
		if (policy_generate(&sb, u, who[i], false, &info)) {
			struct arena *a = arena_new();
			struct diags d = {0};
			struct node *root = load_buffer("policy.json", sb.s, sb.len, a, &d);
			if (!root || !iam_policy_parse(root, "policy.json", IAM_IDENTITY, a, &d) ||
			    diag_count(&d, DIAG_ERROR) > 0) {
				fprintf(stderr, "generated policy does not read back:\n%.*s\n", (int)sb.len, sb.s);
				for (size_t k = 0; k < d.n; k++) {
					char msg[512];
					diag_format(&d.v[k], msg, sizeof msg);
					fprintf(stderr, "%s\n", msg);
				}
				abort();
			}
			diags_free(&d);
			arena_free(a);
		}
		sb_reset(&sb);
		(void)policy_generate(&sb, u, who[i], true, &text_info);
		policy_gen_info_free(&info);
		policy_gen_info_free(&text_info);
	}
	sb_free(&sb);
	free(who);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return -1; /* gzip is fuzz_trail's: not kept in this corpus */
	put(data, size);
	char *names[] = {path};
	struct trail_files files = {names, 1, 1};
	struct trail_run run;
	memset(&run, 0, sizeof run);
	run.sigma = &rules;
	run.cis = run.rampart = true;
	run.threads = 1;
	run.max_per_detection = 2;
	run.denied_max = 4;
	run.usage = usage_new();
	trail_detect_files(&run, &files);

	const struct detections *f = &run.found;
	for (size_t i = 0; i < f->n; i++) {
		const struct detection *d = &f->v[i];
		if (!d->id || !d->source || !d->title)
			abort();
		if (i > 0 && nullcmp(f->v[i - 1].event_time, d->event_time) > 0)
			abort(); /* promised: sorted by event time first */
	}
	for (size_t i = 0; i < run.ntruncated; i++) {
		size_t kept = 0;
		for (size_t k = 0; k < f->n; k++)
			kept += strcmp(f->v[k].id, run.truncated[i].id) == 0;
		if (run.truncated[i].total < kept)
			abort();
	}
	check_policies(run.usage);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, run.usage);
	usage_write_text(&sb, run.usage);
	sb_free(&sb);

	usage_free(run.usage);
	detections_free(&run.found);
	free(run.truncated);
	trail_skips_free(&run.skips);
	return 0;
}
