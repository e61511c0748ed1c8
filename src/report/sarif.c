/*
 * sarif.c - the scan as SARIF 2.1.0 for GitHub code scanning, through the
 * shared SARIF writer: one rule per check of the catalogue (so rule
 * indexes are stable between runs), a result per finding at its file,
 * line and column with the resource as logical location, and
 * partialFingerprints from check ID, stack, file, logical ID and message
 * (not line numbers), so API uploads do not duplicate alerts when lines
 * move, and two findings on one resource stay two alerts.  Suppressed
 * findings are kept with an inSource suppression; input errors and
 * warnings become tool notifications.
 */
#include "report/report.h"
#include "report/sarif_writer.h"
#include "checks/catalogue.h"

/* Rule tags: security, layer/…, severity/…, and the FSBP, CIS and UK GDPR
 * controls ("fsbp/DynamoDB.2"). */
static void rule_properties(struct jw *w, const void *ctx)
{
	const struct check *c = ctx;
	jw_key_string(w, "precision", "high");
	jw_key(w, "tags");
	jw_array_begin(w, JW_COMPACT);
	jw_string(w, "security");
	struct strbuf t = STRBUF_INIT;
	sb_printf(&t, "layer/%s", layer_name(c->layer));
	jw_string(w, t.s);
	sb_reset(&t);
	sb_printf(&t, "severity/%s", severity_name(c->severity));
	jw_string(w, t.s);
	const struct {
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
				sb_reset(&t);
				sb_puts(&t, al[k].prefix);
				sb_append(&t, p, (size_t)(e - p));
				jw_string(w, t.s);
			}
			p = e;
		}
	}
	sb_free(&t);
	jw_array_end(w);
}

static void result_properties(struct jw *w, const void *ctx)
{
	const struct finding *f = ctx;
	jw_key_bool(w, "certain", f->certain);
	jw_key_string(w, "source_resource", f->source_resource);
}

void report_sarif(struct strbuf *o, const struct scan_result *r, const struct report_options *opt)
{
	(void)opt;
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	struct sarif_writer s;
	sarif_begin(&s, o);
	struct strbuf text = STRBUF_INIT, md = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct check *c = all[i];
		const char *snippet = c->snippet ? c->snippet : "";
		sb_reset(&text);
		sb_printf(&text, "%s\n\nFix: %s\n\n%s", c->title, c->remediation, snippet);
		sb_reset(&md);
		sb_printf(&md, "**%s**\n\n%s\n\n```yaml\n%s\n```\n", c->title, c->remediation, snippet);
		sarif_rule(&s, &(struct sarif_rule){
				   .id = c->id,
				   .title = c->title,
				   .description = c->title,
				   .help_text = text.s,
				   .help_markdown = md.s,
				   .severity = c->severity,
				   .properties = rule_properties,
				   .ctx = c,
			   });
	}
	sb_free(&md);
	struct strbuf msg = STRBUF_INIT, id = STRBUF_INIT;
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.v[i];
		size_t idx = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k] == f->check)
				idx = k;
		sb_reset(&msg);
		sb_printf(&msg, "%s: %s", f->resource, f->message);
		if (!f->certain)
			sb_puts(&msg, " (uncertain)");
		/* Not the line (moving code must not reopen alerts), but the
		 * message: two findings of one check on one resource differ by it. */
		sb_reset(&id);
		sb_printf(&id, "%s|%s|", f->check->id, f->stack ? f->stack : "");
		sarif_uri(&s, &id, f->file);
		sb_printf(&id, "|%s|%s", f->resource, f->message);
		sarif_result(&s, &(struct sarif_result){
				     .rule_id = f->check->id,
				     .rule_index = idx,
				     .severity = (enum severity)f->severity,
				     .message = msg.s,
				     .at = {.path = f->file, .line = f->line, .column = f->col},
				     .logical_name = f->resource,
				     .logical_kind = "resource",
				     .identity = id.s,
				     .suppressed = f->suppressed,
				     .justification = f->suppress_reason,
				     .properties = result_properties,
				     .ctx = f,
			     });
	}
	sb_free(&msg);
	sb_free(&id);
	sb_free(&text);
	/* Input errors as tool notifications, so they are not lost in SARIF. */
	sarif_invocation(&s, diag_count(&r->diags, DIAG_ERROR) == 0);
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *g = &r->diags.v[i];
		sarif_notification(&s, g->level == DIAG_ERROR, g->msg,
				   &(struct sarif_location){.path = g->file, .line = g->line, .column = g->col});
	}
	sarif_end(&s);
}
