/*
 * fuzz_sigma.c - libFuzzer target: Sigma rules and the matcher.  The input
 * is one rule's YAML, then optionally a NUL byte and CloudTrail events in
 * any container the reader takes (JSON lines, {"Records":[...]}, gzip).
 * The rule goes through sigma_load_text (the loader and the detection
 * compiler) and the eventName index; every event is then matched against
 * it: field lookups, value lists, wildcards, modifiers (contains,
 * startswith, endswith, re, cidr, exists, fieldref, all, cased), keyword
 * search over the whole record and the condition expression.
 *
 * Checked: a rule that cannot run is rejected with a reason, never
 * crashes; on every event, sigma_run on the indexed one-rule set (eventName
 * index, one-field prefilter) reports the rule exactly when sigma_match
 * says it matches.  Seeds: the bundled SigmaHQ rules alone, and each paired
 * with an event it matches (*.seed).
 */
#include "core/strbuf.h"
#include "trail/read.h"
#include "trail/sigma.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct trail_reader *reader; /* made once, reused */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	reader = trail_reader_new();
	return 0;
}

struct run {
	const struct sigma_set *set;
	struct strbuf scratch;
	size_t hits; /* sigma_run's reports for the current event */
};

static void on_hit(const struct sigma_rule *r, const struct trail_event *ev, void *ctx)
{
	struct run *run = ctx;
	if (r != run->set->v[0])
		abort(); /* a rule that is not in the set */
	run->hits++;
}

static void on_event(const struct trail_event *ev, void *ctx)
{
	struct run *run = ctx;
	bool direct = sigma_match(run->set->v[0], ev, &run->scratch);
	run->hits = 0;
	sigma_run(run->set, ev, &run->scratch, on_hit, run);
	if (run->hits != (direct ? 1u : 0u))
		abort(); /* the index or the prefilter changed the rule's answer */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t rule_len = nul ? (size_t)(nul - data) : size;
	char *text = malloc(rule_len + 1);
	if (!text)
		return 0;
	memcpy(text, data, rule_len);
	text[rule_len] = '\0';
	struct sigma_set s;
	sigma_set_init(&s);
	bool ok = sigma_load_text(&s, "fuzz.yml", text);
	if (!ok && s.nrej == 0)
		abort(); /* promised: a rule that cannot run is recorded as rejected */
	sigma_set_index(&s);
	if (ok && s.n == 1) {
		(void)sigma_rule_id(s.v[0]);
		(void)sigma_rule_title(s.v[0]);
		(void)sigma_rule_author(s.v[0]);
		(void)sigma_rule_level(s.v[0]);
		struct run run = {&s, STRBUF_INIT, 0};
		struct trail_skips skips = {0};
		if (nul)
			(void)trail_read_mem(reader, "fuzz.json", nul + 1, size - rule_len - 1, on_event,
					     &run, &skips);
		trail_skips_free(&skips);
		sb_free(&run.scratch);
	}
	sigma_set_free(&s);
	free(text);
	return 0;
}
