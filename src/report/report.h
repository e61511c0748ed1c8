/*
 * report.h - rendering a scan's findings and diagnostics.
 *
 * Reporters write into a strbuf (the command decides where it goes) and
 * look at nothing but the scan result and the check catalogue: never at
 * templates.  Output is deterministic: the result is already sorted and
 * nothing time- or machine-dependent is printed.
 */
#ifndef RAMPART_REPORT_REPORT_H
#define RAMPART_REPORT_REPORT_H

#include "checks/check.h"
#include "core/strbuf.h"
#include "scan/scan.h"

#include <stdbool.h>

struct report_options {
	bool color;              /* ANSI colour (text only) */
	enum severity fail_on;   /* for the summary line */
	bool fail_on_none;
};

void report_text(struct strbuf *out, const struct scan_result *r, const struct report_options *o);
void report_json(struct strbuf *out, const struct scan_result *r, const struct report_options *o);
void report_sarif(struct strbuf *out, const struct scan_result *r, const struct report_options *o);

/* The check catalogue (rampart checks). */
void report_checks_text(struct strbuf *out);
void report_checks_json(struct strbuf *out);

/* Helpers shared by the reporters. */
struct jw;
/* A comma-separated alias list as a compact JSON array of strings. */
void report_json_list(struct jw *w, const char *csv);

#endif
