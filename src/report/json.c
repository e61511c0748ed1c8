/*
 * json.c - the JSON report:
 *   {"version":1,"findings":[...],"errors":[...],"warnings":[...],"summary":{...}}
 * and the JSON form of the check catalogue.  Keys are in a fixed order.
 */
#include "report/report.h"
#include "checks/catalogue.h"

static void controls_json(struct strbuf *o, const struct check *c)
{
	sb_puts(o, "{\"fsbp\":");
	report_json_list(o, c->fsbp);
	sb_puts(o, ",\"cis\":");
	report_json_list(o, c->cis);
	sb_puts(o, ",\"checkov\":");
	report_json_list(o, c->checkov);
	sb_puts(o, ",\"kics\":");
	report_json_list(o, c->kics);
	sb_puts(o, ",\"cfn_nag\":");
	report_json_list(o, c->cfn_nag);
	sb_puts(o, ",\"cdk_nag\":");
	report_json_list(o, c->cdk_nag);
	sb_puts(o, ",\"gdpr\":");
	report_json_list(o, c->gdpr);
	sb_putc(o, '}');
}

static void finding_json(struct strbuf *o, const struct finding *f)
{
	const struct check *c = f->check;
	sb_puts(o, "{\"id\":");
	sb_json_str(o, c->id);
	sb_puts(o, ",\"title\":");
	sb_json_str(o, c->title);
	sb_printf(o, ",\"severity\":\"%s\",\"layer\":\"%s\"", severity_name((enum severity)f->severity),
		  layer_name(c->layer));
	sb_puts(o, ",\"resource\":");
	sb_json_str(o, f->resource);
	sb_puts(o, ",\"source_resource\":");
	sb_json_str(o, f->source_resource);
	sb_puts(o, ",\"resource_type\":");
	sb_json_str(o, f->resource_type);
	if (f->stack) {
		sb_puts(o, ",\"stack\":");
		sb_json_str(o, f->stack);
	}
	if (f->cdk_path) {
		sb_puts(o, ",\"cdk_path\":");
		sb_json_str(o, f->cdk_path);
	}
	sb_puts(o, ",\"file\":");
	sb_json_str(o, f->file);
	sb_printf(o, ",\"line\":%d,\"column\":%d", f->line, f->col);
	sb_puts(o, ",\"message\":");
	sb_json_str(o, f->message);
	sb_printf(o, ",\"certain\":%s", f->certain ? "true" : "false");
	sb_puts(o, ",\"controls\":");
	controls_json(o, c);
	sb_printf(o, ",\"suppressed\":%s", f->suppressed ? "true" : "false");
	if (f->suppressed) {
		sb_puts(o, ",\"suppression_reason\":");
		if (f->suppress_reason)
			sb_json_str(o, f->suppress_reason);
		else
			sb_puts(o, "null");
	}
	sb_puts(o, ",\"remediation\":");
	sb_json_str(o, c->remediation);
	sb_puts(o, ",\"snippet\":");
	sb_json_str(o, c->snippet);
	sb_putc(o, '}');
}

static void diags_json(struct strbuf *o, const struct diags *d, enum diag_level level)
{
	sb_putc(o, '[');
	int first = 1;
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		if (g->level != level)
			continue;
		if (!first)
			sb_putc(o, ',');
		first = 0;
		sb_puts(o, "\n    {\"file\":");
		sb_json_str(o, g->file);
		sb_printf(o, ",\"line\":%d,\"column\":%d,\"message\":", g->line, g->col);
		sb_json_str(o, g->msg);
		sb_putc(o, '}');
	}
	if (!first)
		sb_puts(o, "\n  ");
	sb_putc(o, ']');
}

void report_json(struct strbuf *o, const struct scan_result *r, const struct report_options *opt)
{
	size_t by_sev[SEV_COUNT] = {0}, suppressed = 0, uncertain = 0, failing = 0;
	sb_puts(o, "{\n  \"version\": 1,\n  \"findings\": [");
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.v[i];
		sb_puts(o, i ? ",\n    " : "\n    ");
		finding_json(o, f);
		if (f->suppressed) {
			suppressed++;
			continue;
		}
		by_sev[f->severity]++;
		if (!f->certain)
			uncertain++;
		if (!opt->fail_on_none && f->severity >= (int)opt->fail_on)
			failing++;
	}
	sb_puts(o, r->findings.n ? "\n  ],\n  \"errors\": " : "],\n  \"errors\": ");
	diags_json(o, &r->diags, DIAG_ERROR);
	sb_puts(o, ",\n  \"warnings\": ");
	diags_json(o, &r->diags, DIAG_WARNING);
	size_t total = by_sev[0] + by_sev[1] + by_sev[2] + by_sev[3] + by_sev[4];
	sb_printf(o,
		  ",\n  \"summary\": {\"findings\":%zu,\"critical\":%zu,\"high\":%zu,\"medium\":%zu,"
		  "\"low\":%zu,\"info\":%zu,\"uncertain\":%zu,\"suppressed\":%zu,\"failing\":%zu,"
		  "\"fail_on\":\"%s\",\"errors\":%zu,\"warnings\":%zu,\"files\":%zu,\"templates\":%zu,"
		  "\"resources\":%zu}\n}\n",
		  total, by_sev[SEV_CRITICAL], by_sev[SEV_HIGH], by_sev[SEV_MEDIUM], by_sev[SEV_LOW],
		  by_sev[SEV_INFO], uncertain, suppressed, failing,
		  opt->fail_on_none ? "none" : severity_name(opt->fail_on), diag_count(&r->diags, DIAG_ERROR),
		  diag_count(&r->diags, DIAG_WARNING), r->files, r->templates, r->resources);
}

void report_checks_json(struct strbuf *o)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	sb_puts(o, "{\n  \"version\": 1,\n  \"checks\": [");
	for (size_t i = 0; i < n; i++) {
		const struct check *c = all[i];
		sb_puts(o, i ? ",\n    " : "\n    ");
		sb_puts(o, "{\"id\":");
		sb_json_str(o, c->id);
		sb_puts(o, ",\"title\":");
		sb_json_str(o, c->title);
		sb_printf(o, ",\"severity\":\"%s\",\"layer\":\"%s\"", severity_name(c->severity), layer_name(c->layer));
		sb_puts(o, ",\"resource_types\":");
		report_json_list(o, c->resource_types);
		sb_puts(o, ",\"coverage\":");
		sb_json_str(o, c->coverage ? c->coverage : "");
		sb_puts(o, ",\"controls\":");
		controls_json(o, c);
		sb_puts(o, ",\"unknowns\":");
		sb_json_str(o, c->unknowns);
		sb_puts(o, ",\"remediation\":");
		sb_json_str(o, c->remediation);
		sb_puts(o, ",\"snippet\":");
		sb_json_str(o, c->snippet);
		sb_putc(o, '}');
	}
	sb_puts(o, n ? "\n  ]\n}\n" : "]\n}\n");
}
