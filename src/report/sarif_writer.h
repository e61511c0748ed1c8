/*
 * sarif_writer.h - the one SARIF 2.1.0 writer: `rampart scan --format
 * sarif` and `rampart trail detect --format sarif` both stream their log
 * through it, so the skeleton, levels, scores, rule names, artifact URIs
 * and fingerprints cannot differ between them.
 *
 * A log is written in this order (each step may repeat where it says so):
 *
 *	sarif_begin(&s, out);          log, run, tool.driver (name, informationUri, versions)
 *	sarif_rule(&s, &rule);         ... once per rule; a result's ruleIndex counts these
 *	sarif_result(&s, &result);     ... once per result
 *	sarif_invocation(&s, ok);      optional: executionSuccessful, then
 *	sarif_notification(&s, ...);   ... once per tool notification
 *	sarif_end(&s);                 closes the log; frees what sarif_begin took
 *
 * Calls out of this order are a bug in the caller: a message and abort().
 *
 * What it decides for every caller:
 *   - level from the severity (severity_sarif_level) and the rule's
 *     security-severity score (GitHub code scanning's bands);
 *   - the rule's name: a PascalCase identifier made from its title
 *     (sarif_rule_name), never equal to the ID;
 *   - artifact URIs (sarif_path_uri): a file under the working directory is a
 *     relative reference with uriBaseId %SRCROOT% (what GitHub code scanning
 *     resolves against the checkout; the run's originalUriBaseIds says what
 *     %SRCROOT% is without naming a machine-dependent path), anything else an
 *     absolute file:// URI; every byte outside RFC 3986's unreserved set
 *     percent-encoded;
 *   - partialFingerprints: FNV-1a 64 of the caller's identity string under
 *     the versioned key SARIF_FINGERPRINT_KEY.
 */
#ifndef RAMPART_REPORT_SARIF_WRITER_H
#define RAMPART_REPORT_SARIF_WRITER_H

#include "core/jsonw.h"
#include "core/severity.h"
#include "core/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever the fingerprint's input or hash changes, so a consumer
 * never matches fingerprints of two different definitions. */
#define SARIF_FINGERPRINT_KEY "rampart/v2"
/* tool.driver.informationUri */
#define SARIF_TOOL_URI "https://github.com/rampart"

struct sarif_rule {
	const char *id;            /* stable, opaque: "RMP-DDB-001" */
	const char *title;         /* shortDescription; the name is made from it */
	const char *description;   /* fullDescription; NULL: none */
	const char *help_text;     /* help; NULL: none */
	const char *help_markdown; /* help.markdown; NULL: none */
	enum severity severity;    /* defaultConfiguration.level, security-severity */
	/* Further members of the rule's property bag, after
	 * "security-severity" (NULL: none). */
	void (*properties)(struct jw *w, const void *ctx);
	const void *ctx;
};

/* Where a result or notification is: a file and a region in it. */
struct sarif_location {
	const char *path;     /* as rampart names the file; NULL: no location */
	bool by_offset;       /* region is byteOffset, else startLine/startColumn */
	uint64_t offset;
	int line, column;     /* 0 or less: 1 */
};

struct sarif_result {
	const char *rule_id;
	size_t rule_index;
	enum severity severity;
	const char *message;
	struct sarif_location at;
	const char *logical_name;  /* logicalLocations[0].name; NULL: none */
	const char *logical_kind;  /* its kind */
	/* What makes this result the same one from run to run (not line
	 * numbers): hashed into partialFingerprints.  NULL: none. */
	const char *identity;
	bool suppressed;           /* an inSource suppression ... */
	const char *justification; /* ... with this justification (may be NULL) */
	void (*properties)(struct jw *w, const void *ctx);
	const void *ctx;
};

struct sarif_writer {
	struct jw json;
	struct strbuf *out;
	char *base;           /* the working directory, normalised (malloc'd); NULL if unknown */
	int phase;
	size_t nrules;
	struct strbuf scratch, abs, tmp; /* reused for every rule name and URI */
};

void sarif_begin(struct sarif_writer *s, struct strbuf *out);
void sarif_rule(struct sarif_writer *s, const struct sarif_rule *r);
void sarif_result(struct sarif_writer *s, const struct sarif_result *r);
void sarif_invocation(struct sarif_writer *s, bool successful);
void sarif_notification(struct sarif_writer *s, bool error, const char *message,
			const struct sarif_location *at);
void sarif_end(struct sarif_writer *s);

/* Append the URI of path (as sarif_result writes it, see above) to out,
 * for callers that make a result's identity of it. */
void sarif_uri(struct sarif_writer *s, struct strbuf *out, const char *path);

/* The pieces, for tests.  sarif_path_uri: path as a URI against base (an
 * absolute directory, or NULL when unknown); *relative says whether it is
 * a relative reference (then to be used with %SRCROOT%).  Paths are
 * normalised lexically ("./", "a/../", "//"); symbolic links are not
 * followed. */
void sarif_path_uri(struct strbuf *out, const char *base, const char *path, bool *relative);
/* A PascalCase identifier from a title ("Log groups have a retention
 * period" -> "LogGroupsHaveRetentionPeriod"): words capitalised, acronyms
 * as words ("KMS" -> "Kms"), inner capitals of camel case kept, articles
 * and other one-letter words dropped or joined, a leading number behind
 * "Rule".  Each word matches [A-Z][a-z0-9]+.  Appends nothing when the
 * title has no letter or digit. */
void sarif_rule_name(struct strbuf *out, const char *title);

#endif
