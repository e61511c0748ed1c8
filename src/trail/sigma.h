/*
 * sigma.h - a Sigma rule engine for CloudTrail events.
 *
 * Rules are YAML files read with the project loader (src/load).  Supported:
 * selections as maps (AND) or lists of maps (OR), value lists (OR, or AND
 * with |all), keyword lists (substring over the whole record), null,
 * wildcards * and ? (with \ escapes), case-insensitive matching (|cased for
 * case-sensitive), modifiers contains, startswith, endswith, all, re, cidr,
 * exists, fieldref; |contains on an object matches the object's JSON text
 * (raw, and with string escapes decoded, so nested policy documents match
 * too).  Conditions: and, or, not, parentheses, `1 of x*`, `all of x*`,
 * `1 of them`, `all of them`, and a list of conditions (OR).
 *
 * A rule that uses something else (aggregations with `|` or timeframe,
 * correlation rules, unknown modifiers, unknown selection names) is not
 * run: it is listed in the set's `rejected` with the reason.
 */
#ifndef RAMPART_TRAIL_SIGMA_H
#define RAMPART_TRAIL_SIGMA_H

#include "trail/detect.h"
#include "trail/read.h"

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct sigma_rule;

struct sigma_rejected {
	char *file;
	int line, col; /* where the rule is in error (a malformed value such as a bad
			  |cidr block); 0 when it uses what the engine does not run */
	char *name; /* title or file name */
	char *reason;
};

struct sigma_prefilter;

struct sigma_set {
	struct arena *arena;
	struct sigma_rule **v;
	size_t n, cap;
	struct sigma_rejected *rej;
	size_t nrej, caprej;
	/* eventName prefilter (sigma_set_index): lower-cased eventName ->
	 * the rules that can only match that name; `always` the others, each
	 * with a cheaper test on another field when its condition has one
	 * (always_pre[i], NULL when none) */
	struct strmap *by_name;
	const struct sigma_rule **always;
	const struct sigma_prefilter **always_pre;
	size_t nalways;
};

void sigma_set_init(struct sigma_set *s);
void sigma_set_free(struct sigma_set *s);
/* Load every *.yml / *.yaml in dir (recursively).  Returns the number of
 * rules loaded; files that fail are added to s->rej. */
size_t sigma_load_dir(struct sigma_set *s, const char *dir);
/* Load one rule file; false (and s->rej grows) when it cannot run. */
bool sigma_load_file(struct sigma_set *s, const char *path);
/* Load a rule from YAML text (tests). */
bool sigma_load_text(struct sigma_set *s, const char *name, const char *yaml);

/*
 * Build the eventName prefilter: 54 of the 57 SigmaHQ CloudTrail rules can
 * only match a handful of event names, so each event is tested against the
 * rules for its name plus the few unconstrained ones, not all of them.
 * Call after loading, before matching from several threads.
 */
void sigma_set_index(struct sigma_set *s);

/* Run every rule that can match ev (all rules if the set is not indexed);
 * hit is called for each rule that matches. */
typedef void (*sigma_hit_fn)(const struct sigma_rule *r, const struct trail_event *ev, void *ctx);
void sigma_run(const struct sigma_set *s, const struct trail_event *ev, struct strbuf *scratch,
	       sigma_hit_fn hit, void *ctx);

/* Does rule r match ev?  scratch is reused between calls (one per thread). */
bool sigma_match(const struct sigma_rule *r, const struct trail_event *ev, struct strbuf *scratch);

const char *sigma_rule_id(const struct sigma_rule *r);
const char *sigma_rule_title(const struct sigma_rule *r);
const char *sigma_rule_author(const struct sigma_rule *r);
enum severity sigma_rule_level(const struct sigma_rule *r);

#endif
