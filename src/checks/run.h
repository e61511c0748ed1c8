/*
 * run.h - the checks driver: the catalogue's checks on one stack.
 */
#ifndef RAMPART_CHECKS_RUN_H
#define RAMPART_CHECKS_RUN_H

#include "checks/finding.h"
#include "core/diag.h"
#include "model/stack.h"

#include <stdbool.h>

/*
 * Run the enabled checks (enabled[i] for check i of catalogue_all(); NULL:
 * all) on stack s, check by check in catalogue order: a row's each() on
 * every deployed resource of its resource_types, in template order; a
 * whole-stack row's run() once.  Findings go to out; warnings about
 * suppressions that name no check, and anything the checks report, to d.
 */
void checks_run(struct stack *s, const bool *enabled, struct findings *out, struct diags *d);

#endif
