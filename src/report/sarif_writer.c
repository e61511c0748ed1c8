/*
 * sarif_writer.c - the SARIF 2.1.0 log skeleton, rules, results, locations,
 * fingerprints and notifications shared by every SARIF rampart writes (see
 * sarif_writer.h).
 */
#include "report/sarif_writer.h"

#include "core/strmap.h"
#include "core/version.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { PHASE_RULES = 1, PHASE_RESULTS, PHASE_INVOCATION, PHASE_DONE };

#define SRCROOT "%SRCROOT%"

_Noreturn static void misuse(const char *what)
{
	fprintf(stderr, "rampart: internal error: SARIF writer: %s\n", what);
	abort();
}

/* ---- paths as URIs ------------------------------------------------------ */

/* Append path to out with "." and empty segments dropped and "x/.." folded;
 * a relative path keeps the ".." it cannot fold, an absolute one drops them
 * at the root.  out holds "/" alone for the root. */
static void normalise(struct strbuf *out, const char *path)
{
	bool abs = path[0] == '/';
	size_t start = out->len, keep = 0; /* leading ".." segments of a relative path */
	if (abs)
		sb_putc(out, '/');
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			size_t root = start + (abs ? 1 : 0);
			if (out->len > root + keep * 3) {
				/* drop the last segment and its separator */
				size_t k = out->len;
				while (k > root && out->s[k - 1] != '/')
					k--;
				out->len = k > root ? k - 1 : root;
				out->s[out->len] = '\0';
			} else if (!abs) {
				if (out->len > start)
					sb_putc(out, '/');
				sb_append(out, "..", 2);
				keep++;
			}
		} else {
			if (out->len > start + (abs ? 1 : 0))
				sb_putc(out, '/');
			sb_append(out, p, n);
		}
		p = e;
	}
}

/* RFC 3986 unreserved characters and the path separator stay; every other
 * byte (UTF-8 included) is percent-encoded. */
static void percent_encode(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			sb_putc(out, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sb_append(out, e, 3);
		}
	}
}

/* sarif_path_uri with the caller's scratch buffers (a writer keeps its own,
 * so a long log does not allocate per location); base is normalised. */
static void path_uri(struct strbuf *out, struct strbuf *abs, struct strbuf *tmp, const char *base,
		     const char *path, bool *relative)
{
	sb_reset(abs);
	if (path[0] != '/') {
		normalise(abs, path);
		const char *rel = abs->s ? abs->s : "";
		bool up = !strcmp(rel, "..") || !strncmp(rel, "../", 3);
		if (!up || !base) {
			/* under the working directory (or nothing better is known) */
			*relative = true;
			percent_encode(out, rel);
			return;
		}
		sb_reset(abs);
		sb_reset(tmp);
		sb_puts(tmp, base);
		sb_putc(tmp, '/');
		sb_puts(tmp, path);
		normalise(abs, tmp->s);
	} else {
		normalise(abs, path);
	}
	if (base) {
		size_t n = strlen(base);
		bool root = n == 1; /* base "/" */
		if (!strncmp(abs->s, base, n) && (root || abs->s[n] == '/') && abs->s[root ? 1 : n + 1]) {
			*relative = true;
			percent_encode(out, abs->s + (root ? 1 : n + 1));
			return;
		}
	}
	*relative = false;
	sb_puts(out, "file://");
	percent_encode(out, abs->s);
}

void sarif_path_uri(struct strbuf *out, const char *base, const char *path, bool *relative)
{
	struct strbuf abs = STRBUF_INIT, tmp = STRBUF_INIT, b = STRBUF_INIT;
	if (base)
		normalise(&b, base);
	path_uri(out, &abs, &tmp, base ? b.s : NULL, path, relative);
	sb_free(&abs);
	sb_free(&tmp);
	sb_free(&b);
}

void sarif_uri(struct sarif_writer *s, struct strbuf *out, const char *path)
{
	bool relative;
	path_uri(out, &s->abs, &s->tmp, s->base, path ? path : "", &relative);
}

/* ---- rule names --------------------------------------------------------- */

void sarif_rule_name(struct strbuf *out, const char *title)
{
	size_t start = out->len;
	const unsigned char *p = (const unsigned char *)(title ? title : "");
	while (*p) {
		/* a word: letters and digits, apostrophes inside it ignored ("stack's") */
		char w[256];
		size_t n = 0;
		while (*p && !isalnum(*p) && *p != '\'')
			p++;
		for (; *p && (isalnum(*p) || *p == '\''); p++)
			if (*p != '\'' && n < sizeof w - 1)
				w[n++] = (char)*p;
		w[n] = '\0';
		if (!n)
			continue;
		bool empty = out->len == start;
		if (n == 1 && isalpha((unsigned char)w[0])) {
			/* "a" is an article; another lone letter ("900 s") joins the word before */
			if (!empty && tolower((unsigned char)w[0]) != 'a')
				sb_putc(out, (char)tolower((unsigned char)w[0]));
			continue;
		}
		if (isdigit((unsigned char)w[0])) {
			/* a number continues the previous word ("TLS 1.2" -> "Tls12") */
			if (empty)
				sb_puts(out, "Rule");
			for (size_t i = 0; i < n; i++)
				sb_putc(out, (char)tolower((unsigned char)w[i]));
			continue;
		}
		sb_putc(out, (char)toupper((unsigned char)w[0]));
		for (size_t i = 1; i < n; i++) {
			unsigned char c = (unsigned char)w[i];
			/* keep a camel-case boundary ("CloudTrail"), fold acronyms ("KMS") */
			bool camel = isupper(c) && islower((unsigned char)w[i - 1]) && i + 1 < n &&
				     islower((unsigned char)w[i + 1]);
			sb_putc(out, camel ? (char)c : (char)tolower(c));
		}
	}
}

/* ---- the log ------------------------------------------------------------ */

void sarif_begin(struct sarif_writer *s, struct strbuf *out)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->phase = PHASE_RULES;
	char *cwd = getcwd(NULL, 0); /* NULL (unknown) when it fails */
	if (cwd && cwd[0] == '/') {
		struct strbuf b = STRBUF_INIT;
		normalise(&b, cwd);
		s->base = sb_detach(&b);
	}
	free(cwd);
	struct jw *w = &s->json;
	jw_init(w, out);
	jw_object_begin(w, JW_PRETTY);
	jw_key_string(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	jw_key_string(w, "version", "2.1.0");
	jw_key(w, "runs");
	jw_array_begin(w, JW_PRETTY);
	jw_object_begin(w, JW_PRETTY);
	jw_key(w, "tool");
	jw_object_begin(w, JW_PRETTY);
	jw_key(w, "driver");
	jw_object_begin(w, JW_PRETTY);
	jw_key_string(w, "name", "rampart");
	jw_key_string(w, "informationUri", SARIF_TOOL_URI);
	jw_key_string(w, "version", RAMPART_VERSION);
	jw_key_string(w, "semanticVersion", RAMPART_VERSION);
	jw_key(w, "rules");
	jw_array_begin(w, JW_PRETTY);
}

static void text_object(struct jw *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "text", text);
	jw_object_end(w);
}

void sarif_rule(struct sarif_writer *s, const struct sarif_rule *r)
{
	if (s->phase != PHASE_RULES)
		misuse("a rule after the results");
	struct jw *w = &s->json;
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "id", r->id);
	sb_reset(&s->scratch);
	sarif_rule_name(&s->scratch, r->title);
	if (s->scratch.len)
		jw_key_string(w, "name", s->scratch.s);
	text_object(w, "shortDescription", r->title);
	if (r->description)
		text_object(w, "fullDescription", r->description);
	if (r->help_text) {
		jw_key(w, "help");
		jw_object_begin(w, JW_COMPACT);
		jw_key_string(w, "text", r->help_text);
		if (r->help_markdown)
			jw_key_string(w, "markdown", r->help_markdown);
		jw_object_end(w);
	}
	jw_key(w, "defaultConfiguration");
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "level", severity_sarif_level(r->severity));
	jw_object_end(w);
	jw_key(w, "properties");
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "security-severity", severity_security_score(r->severity));
	if (r->properties)
		r->properties(w, r->ctx);
	jw_object_end(w);
	jw_object_end(w);
	s->nrules++;
}

/* Close the rules and the tool; open the results. */
static void start_results(struct sarif_writer *s)
{
	struct jw *w = &s->json;
	jw_array_end(w);  /* rules */
	jw_object_end(w); /* driver */
	jw_object_end(w); /* tool */
	jw_key(w, "originalUriBaseIds");
	jw_object_begin(w, JW_PRETTY);
	jw_key(w, SRCROOT);
	jw_object_begin(w, JW_COMPACT);
	text_object(w, "description", "The working directory of the run: relative artifact URIs are relative to it.");
	jw_object_end(w);
	jw_object_end(w);
	jw_key(w, "results");
	jw_array_begin(w, JW_PRETTY);
	s->phase = PHASE_RESULTS;
}

static void physical_location(struct sarif_writer *s, const struct sarif_location *at)
{
	struct jw *w = &s->json;
	jw_key(w, "physicalLocation");
	jw_object_begin(w, JW_COMPACT);
	jw_key(w, "artifactLocation");
	jw_object_begin(w, JW_COMPACT);
	bool relative;
	sb_reset(&s->scratch);
	path_uri(&s->scratch, &s->abs, &s->tmp, s->base, at->path, &relative);
	jw_key_string(w, "uri", s->scratch.s);
	if (relative)
		jw_key_string(w, "uriBaseId", SRCROOT);
	jw_object_end(w);
	jw_key(w, "region");
	jw_object_begin(w, JW_COMPACT);
	if (at->by_offset) {
		jw_key_uint(w, "byteOffset", at->offset);
	} else {
		jw_key_int(w, "startLine", at->line > 0 ? at->line : 1);
		jw_key_int(w, "startColumn", at->column > 0 ? at->column : 1);
	}
	jw_object_end(w);
	jw_object_end(w);
}

void sarif_result(struct sarif_writer *s, const struct sarif_result *r)
{
	if (s->phase == PHASE_RULES)
		start_results(s);
	if (s->phase != PHASE_RESULTS)
		misuse("a result after the invocation");
	if (r->rule_index >= s->nrules)
		misuse("a result whose ruleIndex names no rule");
	struct jw *w = &s->json;
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "ruleId", r->rule_id);
	jw_key_uint(w, "ruleIndex", r->rule_index);
	jw_key_string(w, "level", severity_sarif_level(r->severity));
	text_object(w, "message", r->message);
	if (r->at.path) {
		jw_key(w, "locations");
		jw_array_begin(w, JW_COMPACT);
		jw_object_begin(w, JW_COMPACT);
		physical_location(s, &r->at);
		if (r->logical_name) {
			jw_key(w, "logicalLocations");
			jw_array_begin(w, JW_COMPACT);
			jw_object_begin(w, JW_COMPACT);
			jw_key_string(w, "name", r->logical_name);
			if (r->logical_kind)
				jw_key_string(w, "kind", r->logical_kind);
			jw_object_end(w);
			jw_array_end(w);
		}
		jw_object_end(w);
		jw_array_end(w);
	}
	if (r->identity) {
		char fp[17];
		snprintf(fp, sizeof fp, "%016llx", (unsigned long long)str_hash(r->identity, strlen(r->identity)));
		jw_key(w, "partialFingerprints");
		jw_object_begin(w, JW_COMPACT);
		jw_key_string(w, SARIF_FINGERPRINT_KEY, fp);
		jw_object_end(w);
	}
	if (r->properties) {
		jw_key(w, "properties");
		jw_object_begin(w, JW_COMPACT);
		r->properties(w, r->ctx);
		jw_object_end(w);
	}
	if (r->suppressed) {
		jw_key(w, "suppressions");
		jw_array_begin(w, JW_COMPACT);
		jw_object_begin(w, JW_COMPACT);
		jw_key_string(w, "kind", "inSource");
		if (r->justification)
			jw_key_string(w, "justification", r->justification);
		jw_object_end(w);
		jw_array_end(w);
	}
	jw_object_end(w);
}

void sarif_invocation(struct sarif_writer *s, bool successful)
{
	if (s->phase == PHASE_RULES)
		start_results(s);
	if (s->phase != PHASE_RESULTS)
		misuse("a second invocation");
	struct jw *w = &s->json;
	jw_array_end(w); /* results */
	jw_key(w, "invocations");
	jw_array_begin(w, JW_PRETTY);
	jw_object_begin(w, JW_PRETTY);
	jw_key_bool(w, "executionSuccessful", successful);
	jw_key(w, "toolExecutionNotifications");
	jw_array_begin(w, JW_PRETTY);
	s->phase = PHASE_INVOCATION;
}

void sarif_notification(struct sarif_writer *s, bool error, const char *message,
			const struct sarif_location *at)
{
	if (s->phase != PHASE_INVOCATION)
		misuse("a notification outside the invocation");
	struct jw *w = &s->json;
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "level", error ? "error" : "warning");
	text_object(w, "message", message);
	if (at && at->path) {
		jw_key(w, "locations");
		jw_array_begin(w, JW_COMPACT);
		jw_object_begin(w, JW_COMPACT);
		physical_location(s, at);
		jw_object_end(w);
		jw_array_end(w);
	}
	jw_object_end(w);
}

void sarif_end(struct sarif_writer *s)
{
	struct jw *w = &s->json;
	if (s->phase == PHASE_RULES)
		start_results(s);
	if (s->phase == PHASE_RESULTS) {
		jw_array_end(w); /* results */
	} else if (s->phase == PHASE_INVOCATION) {
		jw_array_end(w);  /* notifications */
		jw_object_end(w); /* invocation */
		jw_array_end(w);  /* invocations */
	} else {
		misuse("sarif_end twice");
	}
	jw_object_end(w); /* run */
	jw_array_end(w);  /* runs */
	jw_object_end(w); /* log */
	jw_done_line(w);
	s->phase = PHASE_DONE;
	free(s->base);
	s->base = NULL;
	sb_free(&s->scratch);
	sb_free(&s->abs);
	sb_free(&s->tmp);
}
