/*
 * fuzz_trail.c - libFuzzer target: the CloudTrail reader over a buffer
 * (trail_read_mem: a {"Records": [...]} file, a JSON array, JSON lines or
 * gzip) and everything `trail detect` and `trail usage` do to each event it
 * delivers: field lookups, the time filter, the CIS 4.x controls through
 * their eventName candidates, rampart's rules, the bundled SigmaHQ rules
 * through the eventName index and prefilters, and the IAM usage table.
 * Bad records must become skips, never crashes.
 *
 * Two promises are checked on every event:
 *   - a CIS control left out of trail_cis_candidates() does not match;
 *   - sigma_run() (indexed, prefiltered) reports exactly the rules that
 *     sigma_match() says match, one by one.
 *
 * Speed: nothing that does not depend on the input is built per input.  The
 * reader (its window and decompressors) and the Sigma set (the bundled rules
 * loaded, compiled and indexed) are made once in LLVMFuzzerInitialize and
 * reused; the events are handled on this thread (trail_detect_files would
 * make a reader per call; fuzz_trail_detect.c covers that driver).
 */
#include "core/strbuf.h"
#include "trail/detect.h"
#include "trail/read.h"
#include "trail/sigma.h"
#include "trail/usage.h"

#include "sigma_rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Made once, kept for the life of the process. */
static struct trail_reader *reader;
static struct sigma_set rules;
static bool *direct; /* per rule of `rules`: sigma_match said yes */
static bool *hit;    /* per rule of `rules`: sigma_run reported it */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_load_rules(&rules, "fuzz_trail");
	trail_cis_init();
	direct = calloc(rules.n, sizeof *direct);
	hit = calloc(rules.n, sizeof *hit);
	reader = trail_reader_new();
	if (!direct || !hit) {
		fprintf(stderr, "fuzz_trail: out of memory\n");
		exit(1);
	}
	return 0;
}

static const char *const paths[] = {
	"eventName", "userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.arn",
	"requestParameters.bucketName", "requestParameters.policy", "responseElements",
	"additionalEventData.MFAUsed", "resources", "a.b.c.d.e.f",
};

struct run {
	struct strbuf scratch;
	struct detections found;
	struct trail_usage *usage;
};

static size_t rule_index(const struct sigma_rule *r)
{
	for (size_t i = 0; i < rules.n; i++)
		if (rules.v[i] == r)
			return i;
	abort(); /* sigma_run reported a rule that is not in the set */
}

static void on_sigma_hit(const struct sigma_rule *r, const struct trail_event *ev, void *ctx)
{
	struct run *run = ctx;
	size_t i = rule_index(r);
	if (hit[i])
		abort(); /* a rule reported twice for one event */
	hit[i] = true;
	detections_add(&run->found, ev, sigma_rule_id(r), "sigma", sigma_rule_title(r),
		       sigma_rule_author(r), sigma_rule_level(r));
}

static void detect(struct run *run, const struct trail_event *ev)
{
	uint32_t cand = trail_cis_candidates(ev);
	for (size_t i = 0; i < trail_cis_count; i++) {
		bool m = trail_cis[i].match(ev);
		if (m && !(cand & (UINT32_C(1) << i)))
			abort(); /* the eventName table ruled out a control that matches */
		if (m)
			detections_add(&run->found, ev, trail_cis[i].id, "cis", trail_cis[i].title, NULL,
				       trail_cis[i].level);
	}
	(void)cis_4_1_literal_v3(ev);
	for (size_t i = 0; i < trail_rules_count; i++)
		if (trail_rules[i].match(ev))
			detections_add(&run->found, ev, trail_rules[i].id, "rampart", trail_rules[i].title,
				       NULL, trail_rules[i].level);
	(void)rules_is_secret_read(ev);
	(void)rules_is_denied(ev);

	for (size_t i = 0; i < rules.n; i++) {
		direct[i] = sigma_match(rules.v[i], ev, &run->scratch);
		hit[i] = false;
	}
	sigma_run(&rules, ev, &run->scratch, on_sigma_hit, run);
	for (size_t i = 0; i < rules.n; i++)
		if (direct[i] != hit[i])
			abort(); /* the index or a prefilter changed a rule's answer */
}

static void on_event(const struct trail_event *ev, void *ctx)
{
	struct run *run = ctx;
	if (!ev->raw || ev->raw_len == 0 || ev->raw[0] != '{')
		abort(); /* promised: raw is the record's JSON object */
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct tstr out = {0};
		sb_reset(&run->scratch);
		(void)trail_event_field(ev, paths[i], &out, &run->scratch);
	}
	if (ev->time.s && ev->time.n < 64) {
		char t[64], norm[20];
		memcpy(t, ev->time.s, ev->time.n);
		t[ev->time.n] = '\0';
		(void)trail_time_norm(t, norm);
	}
	static const struct trail_filter filter = {"2020-01-01T00:00:00", "2030-01-01T00:00:00",
						   "123456789012", "us-east-1"};
	(void)trail_filter_pass(&filter, ev);
	usage_add(run->usage, ev);
	detect(run, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run run = {STRBUF_INIT, {0}, usage_new()};
	struct trail_skips skips = {0};
	(void)trail_read_mem(reader, "fuzz.json", data, size, on_event, &run, &skips);
	detections_sort(&run.found);
	sb_reset(&run.scratch);
	usage_write_json(&run.scratch, run.usage);
	usage_free(run.usage);
	detections_free(&run.found);
	sb_free(&run.scratch);
	trail_skips_free(&skips);
	return 0;
}
