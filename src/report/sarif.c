/*
 * sarif.c - SARIF 2.1.0 as GitHub code scanning reads it: one rule per
 * check of the catalogue (so rule indexes are stable between runs),
 * results with ruleId/ruleIndex/level, a region with startLine, and
 * partialFingerprints computed from check ID, stack, file, logical ID and
 * message (not line numbers), so API uploads do not duplicate alerts when
 * lines move, and two findings on one resource stay two alerts.
 * Suppressed findings are kept with an inSource suppression.
 */
#include "report/report.h"
#include "checks/catalogue.h"
#include "core/strmap.h"
#include "core/version.h"

#include <string.h>

static void rule_json(struct strbuf *o, const struct check *c)
{
	sb_puts(o, "{\"id\":");
	sb_json_str(o, c->id);
	sb_puts(o, ",\"name\":");
	sb_json_str(o, c->id);
	sb_puts(o, ",\"shortDescription\":{\"text\":");
	sb_json_str(o, c->title);
	sb_puts(o, "},\"fullDescription\":{\"text\":");
	sb_json_str(o, c->title);
	sb_puts(o, "},\"help\":{\"text\":");
	struct strbuf h = STRBUF_INIT;
	sb_printf(&h, "%s\n\nFix: %s\n\n%s", c->title, c->remediation, c->snippet ? c->snippet : "");
	sb_json_str(o, h.s);
	sb_puts(o, ",\"markdown\":");
	sb_reset(&h);
	sb_printf(&h, "**%s**\n\n%s\n\n```yaml\n%s\n```\n", c->title, c->remediation, c->snippet ? c->snippet : "");
	sb_json_str(o, h.s);
	sb_free(&h);
	sb_printf(o, "},\"defaultConfiguration\":{\"level\":\"%s\"}", severity_sarif_level(c->severity));
	sb_printf(o, ",\"properties\":{\"security-severity\":\"%s\",\"precision\":\"high\",\"tags\":[\"security\",\"layer/%s\",\"severity/%s\"",
		  severity_security_score(c->severity), layer_name(c->layer), severity_name(c->severity));
	struct {
		const char *prefix, *v;
	} al[] = {{"fsbp/", c->fsbp}, {"cis/", c->cis}, {"uk-gdpr/", c->gdpr}};
	for (size_t k = 0; k < sizeof al / sizeof *al; k++) {
		const char *p = al[k].v ? al[k].v : "";
		while (*p) {
			while (*p == ',' || *p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ',')
				e++;
			if (e > p) {
				struct strbuf t = STRBUF_INIT;
				sb_puts(&t, al[k].prefix);
				sb_append(&t, p, (size_t)(e - p));
				sb_putc(o, ',');
				sb_json_str(o, t.s);
				sb_free(&t);
			}
			p = e;
		}
	}
	sb_puts(o, "]}}");
}

void report_sarif(struct strbuf *o, const struct scan_result *r, const struct report_options *opt)
{
	(void)opt;
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	sb_puts(o, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		   "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {"
		   "\"name\": \"rampart\", ");
	sb_printf(o, "\"version\": \"%s\", \"semanticVersion\": \"%s\",\n      \"rules\": [", RAMPART_VERSION, RAMPART_VERSION);
	for (size_t i = 0; i < n; i++) {
		sb_puts(o, i ? ",\n        " : "\n        ");
		rule_json(o, all[i]);
	}
	sb_puts(o, "\n      ]}},\n    \"results\": [");
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.v[i];
		size_t idx = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k] == f->check)
				idx = k;
		sb_puts(o, i ? ",\n      " : "\n      ");
		sb_puts(o, "{\"ruleId\":");
		sb_json_str(o, f->check->id);
		sb_printf(o, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", idx, severity_sarif_level((enum severity)f->severity));
		struct strbuf m = STRBUF_INIT;
		sb_printf(&m, "%s: %s", f->resource, f->message);
		if (!f->certain)
			sb_puts(&m, " (uncertain)");
		sb_json_str(o, m.s);
		sb_puts(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		const char *uri = f->file;
		if (!strncmp(uri, "./", 2))
			uri += 2;
		sb_json_str(o, uri);
		sb_printf(o, "},\"region\":{\"startLine\":%d,\"startColumn\":%d}}",
			  f->line > 0 ? f->line : 1, f->col > 0 ? f->col : 1);
		sb_puts(o, ",\"logicalLocations\":[{\"name\":");
		sb_json_str(o, f->resource);
		sb_puts(o, ",\"kind\":\"resource\"}]}]");
		sb_reset(&m);
		/* Not the line (moving code must not reopen alerts), but the message:
		 * two findings of one check on one resource differ by it. */
		sb_printf(&m, "%s|%s|%s|%s|%s", f->check->id, f->stack ? f->stack : "", uri, f->resource, f->message);
		sb_printf(o, ",\"partialFingerprints\":{\"rampart/v2\":\"%016llx\"}",
			  (unsigned long long)str_hash(m.s, m.len));
		sb_free(&m);
		sb_printf(o, ",\"properties\":{\"certain\":%s,\"source_resource\":", f->certain ? "true" : "false");
		sb_json_str(o, f->source_resource);
		sb_puts(o, "}");
		if (f->suppressed) {
			sb_puts(o, ",\"suppressions\":[{\"kind\":\"inSource\"");
			if (f->suppress_reason) {
				sb_puts(o, ",\"justification\":");
				sb_json_str(o, f->suppress_reason);
			}
			sb_puts(o, "}]");
		}
		sb_putc(o, '}');
	}
	sb_puts(o, r->findings.n ? "\n    ],\n" : "],\n");
	/* Input errors as tool notifications, so they are not lost in SARIF. */
	sb_puts(o, "    \"invocations\": [{\"executionSuccessful\": ");
	sb_puts(o, diag_count(&r->diags, DIAG_ERROR) ? "false" : "true");
	sb_puts(o, ", \"toolExecutionNotifications\": [");
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *g = &r->diags.v[i];
		sb_puts(o, i ? ",\n      " : "\n      ");
		sb_printf(o, "{\"level\":\"%s\",\"message\":{\"text\":", g->level == DIAG_ERROR ? "error" : "warning");
		sb_json_str(o, g->msg);
		sb_puts(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		sb_json_str(o, g->file);
		sb_printf(o, "},\"region\":{\"startLine\":%d,\"startColumn\":%d}}}]}", g->line > 0 ? g->line : 1,
			  g->col > 0 ? g->col : 1);
	}
	sb_puts(o, r->diags.n ? "\n    ]}]\n  }]\n}\n" : "]}]\n  }]\n}\n");
}
