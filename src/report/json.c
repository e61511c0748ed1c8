/*
 * json.c - the JSON report:
 *   {"version":1,"findings":[...],"errors":[...],"warnings":[...],"summary":{...}}
 * and the JSON form of the check catalogue.  Keys are in a fixed order; the
 * document is pretty at the top level with one compact record per line.
 */
#include "report/report.h"
#include "checks/catalogue.h"
#include "core/jsonw.h"

static void controls_json(struct jw *w, const struct check *c)
{
	const struct {
		const char *key, *csv;
	} lists[] = {{"fsbp", c->fsbp},       {"cis", c->cis},         {"checkov", c->checkov},
		     {"kics", c->kics},       {"kics_terraform", c->kics_tf}, {"cfn_nag", c->cfn_nag},
		     {"cdk_nag", c->cdk_nag}, {"trivy", c->trivy},   {"guard", c->guard},
		     {"gdpr", c->gdpr}};
	jw_object_begin(w, JW_COMPACT);
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		jw_key(w, lists[k].key);
		report_json_list(w, lists[k].csv);
	}
	jw_object_end(w);
}

static void finding_json(struct jw *w, const struct finding *f)
{
	const struct check *c = f->check;
	jw_object_begin(w, JW_COMPACT);
	jw_key_string(w, "id", c->id);
	jw_key_string(w, "title", c->title);
	jw_key_string(w, "severity", severity_name((enum severity)f->severity));
	jw_key_string(w, "layer", layer_name(c->layer));
	jw_key_string(w, "resource", f->resource);
	jw_key_string(w, "source_resource", f->source_resource);
	jw_key_string(w, "resource_type", f->resource_type);
	if (f->stack)
		jw_key_string(w, "stack", f->stack);
	if (f->cdk_path)
		jw_key_string(w, "cdk_path", f->cdk_path);
	jw_key_string(w, "file", f->file);
	jw_key_int(w, "line", f->line);
	jw_key_int(w, "column", f->col);
	jw_key_string(w, "message", f->message);
	jw_key_bool(w, "certain", f->certain);
	jw_key(w, "controls");
	controls_json(w, c);
	jw_key_bool(w, "suppressed", f->suppressed);
	if (f->suppressed)
		jw_key_string_or_null(w, "suppression_reason", f->suppress_reason);
	jw_key_string(w, "remediation", c->remediation);
	jw_key_string(w, "snippet", c->snippet);
	jw_object_end(w);
}

static void diags_json(struct jw *w, const struct diags *d, enum diag_level level)
{
	jw_array_begin(w, JW_PRETTY);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		if (g->level != level)
			continue;
		jw_object_begin(w, JW_COMPACT);
		jw_key_string(w, "file", g->file);
		jw_key_int(w, "line", g->line);
		jw_key_int(w, "column", g->col);
		jw_key_string(w, "message", g->msg);
		jw_object_end(w);
	}
	jw_array_end(w);
}

void report_json(struct strbuf *o, const struct scan_result *r, const struct report_options *opt)
{
	size_t by_sev[SEV_COUNT] = {0}, suppressed = 0, uncertain = 0, failing = 0;
	struct jw w;
	jw_init(&w, o);
	jw_object_begin(&w, JW_PRETTY);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "findings");
	jw_array_begin(&w, JW_PRETTY);
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.v[i];
		finding_json(&w, f);
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
	jw_array_end(&w);
	jw_key(&w, "errors");
	diags_json(&w, &r->diags, DIAG_ERROR);
	jw_key(&w, "warnings");
	diags_json(&w, &r->diags, DIAG_WARNING);
	size_t total = 0;
	for (size_t s = 0; s < SEV_COUNT; s++)
		total += by_sev[s];
	jw_key(&w, "summary");
	jw_object_begin(&w, JW_COMPACT);
	jw_key_uint(&w, "findings", total);
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--)
		jw_key_uint(&w, severity_name((enum severity)s), by_sev[s]);
	jw_key_uint(&w, "uncertain", uncertain);
	jw_key_uint(&w, "suppressed", suppressed);
	jw_key_uint(&w, "failing", failing);
	jw_key_string(&w, "fail_on", opt->fail_on_none ? "none" : severity_name(opt->fail_on));
	jw_key_uint(&w, "errors", diag_count(&r->diags, DIAG_ERROR));
	jw_key_uint(&w, "warnings", diag_count(&r->diags, DIAG_WARNING));
	jw_key_uint(&w, "files", r->files);
	jw_key_uint(&w, "templates", r->templates);
	jw_key_uint(&w, "resources", r->resources);
	jw_object_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
}

void report_checks_json(struct strbuf *o)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	struct jw w;
	jw_init(&w, o);
	jw_object_begin(&w, JW_PRETTY);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "checks");
	jw_array_begin(&w, JW_PRETTY);
	for (size_t i = 0; i < n; i++) {
		const struct check *c = all[i];
		jw_object_begin(&w, JW_COMPACT);
		jw_key_string(&w, "id", c->id);
		jw_key_string(&w, "title", c->title);
		jw_key_string(&w, "severity", severity_name(c->severity));
		jw_key_string(&w, "layer", layer_name(c->layer));
		jw_key(&w, "resource_types");
		struct strbuf types = STRBUF_INIT;
		check_types_listed(c, &types);
		report_json_list(&w, types.s);
		sb_free(&types);
		jw_key_string(&w, "coverage", c->coverage);
		jw_key(&w, "controls");
		controls_json(&w, c);
		jw_key_string(&w, "unknowns", c->unknowns);
		jw_key_string(&w, "remediation", c->remediation);
		jw_key_string(&w, "snippet", c->snippet);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "not_checked");
	jw_array_begin(&w, JW_PRETTY);
	for (size_t i = 0; i < coverage_not_checked_count; i++) {
		jw_object_begin(&w, JW_COMPACT);
		jw_key_string(&w, "coverage", coverage_not_checked[i].row);
		jw_key_string(&w, "reason", coverage_not_checked[i].reason);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
}
