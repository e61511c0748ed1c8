/*
 * check_harness.h - run one check on a template given as text, for tests.
 *
 *   size_t n = harness_count("RMP-DDB-001", yaml);     // findings (unsuppressed)
 *   struct harness h; harness_run(&h, "RMP-DDB-001", yaml); ... harness_free(&h);
 *
 * The template goes through the real loader and model (SAM expansion
 * included), so a check test also exercises what the check depends on.
 */
#ifndef RAMPART_TESTS_CHECK_HARNESS_H
#define RAMPART_TESTS_CHECK_HARNESS_H

#include "checks/finding.h"
#include "core/diag.h"
#include "model/stack.h"

#include <stddef.h>

struct arena;

struct harness {
	struct arena *arena;
	struct stack *stack;
	struct findings findings;
	struct diags diags;
};

/* Load `text` as file "test.yaml", build the stack, run check `id` (all checks if id is NULL). */
void harness_run(struct harness *h, const char *id, const char *text);
void harness_free(struct harness *h);

/* Number of unsuppressed findings of check `id` on `text`. */
size_t harness_count(const char *id, const char *text);
/* Same, counting only findings with certain == false. */
size_t harness_count_uncertain(const char *id, const char *text);

/*
 * Assert (cmocka) that a catalogue row is complete: in `layer`, with a
 * title, resource types (related types left out or not empty), GDPR
 * articles, every alias field (possibly ""), a coverage row field, an
 * unknowns policy, a remediation, a snippet and either an each() or a
 * run() function.
 */
struct check;
void harness_assert_check_complete(const struct check *c, int layer);
/*
 * Assert that every row of a layer's table is complete, in `layer`, and
 * is the catalogue's entry for its ID (the table is what the catalogue
 * joins): tests take the rows from the table, never from a list of IDs.
 */
void harness_assert_table(const struct check *rows, size_t n, int layer);

/* Build a stack only (no checks), for model tests.  Caller frees h. */
void harness_model(struct harness *h, const char *text);

#endif
