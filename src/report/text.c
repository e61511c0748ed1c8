/*
 * text.c - the report a person reads: findings grouped by layer, then by
 * severity (worst first), each led by file:line so editors can jump to it;
 * errors and warnings first; a one-line summary last.  Colour only when
 * asked (the command asks when stdout is a terminal and NO_COLOR is unset).
 * Suppressed findings are counted, not shown.
 */
#include "report/report.h"
#include "checks/catalogue.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "\033[1;35m";
	case SEV_HIGH: return "\033[1;31m";
	case SEV_MEDIUM: return "\033[33m";
	case SEV_LOW: return "\033[36m";
	case SEV_INFO: return "\033[2m";
	}
	return "";
}

static void upper(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; src[i] && i + 1 < n; i++)
		dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
	dst[i] = '\0';
}

/* Indent every line of text after the first by `pad`. */
static void put_indented(struct strbuf *o, const char *text, const char *pad)
{
	for (const char *p = text; *p; p++) {
		sb_putc(o, *p);
		if (*p == '\n' && p[1])
			sb_puts(o, pad);
	}
}

void report_text(struct strbuf *o, const struct scan_result *r, const struct report_options *opt)
{
	bool col = opt->color;
	for (size_t i = 0; i < r->diags.n; i++) {
		if (col)
			sb_puts(o, r->diags.v[i].level == DIAG_ERROR ? "\033[1;31m" : "\033[33m");
		diag_append(&r->diags.v[i], o);
		if (col)
			sb_puts(o, C_RESET);
		sb_putc(o, '\n');
	}
	if (r->diags.n)
		sb_putc(o, '\n');

	size_t by_sev[SEV_COUNT] = {0}, suppressed = 0, uncertain = 0;
	for (int l = 0; l < LAYER_COUNT; l++) {
		bool header = false;
		for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
			for (size_t i = 0; i < r->findings.n; i++) {
				const struct finding *f = &r->findings.v[i];
				const struct check *c = f->check;
				if ((int)c->layer != l || f->severity != s || f->suppressed)
					continue;
				if (!header) {
					sb_printf(o, "%s%s%s\n", col ? C_BOLD : "", layer_title((enum layer)l), col ? C_RESET : "");
					header = true;
				}
				char sev[16];
				upper(sev, severity_name((enum severity)f->severity), sizeof sev);
				sb_printf(o, "  %s:%d: %s%-8s%s %s %s\n", f->file, f->line,
					  col ? sev_color((enum severity)f->severity) : "",
					  sev, col ? C_RESET : "", c->id, c->title);
				sb_printf(o, "      %s", f->resource);
				if (strcmp(f->resource, f->source_resource))
					sb_printf(o, " (from %s)", f->source_resource);
				sb_printf(o, " [%s]", f->resource_type);
				if (f->stack)
					sb_printf(o, " stack %s", f->stack);
				if (f->cdk_path)
					sb_printf(o, " %s", f->cdk_path);
				sb_puts(o, "\n      ");
				sb_puts(o, f->message);
				if (!f->certain)
					sb_puts(o, " (uncertain: depends on a value the template does not fix)");
				sb_puts(o, "\n      ");
				if (col)
					sb_puts(o, C_DIM);
				sb_puts(o, "fix: ");
				put_indented(o, c->remediation, "           ");
				if (c->gdpr && *c->gdpr)
					sb_printf(o, "\n      UK GDPR %s", c->gdpr);
				if (col)
					sb_puts(o, C_RESET);
				sb_putc(o, '\n');
				by_sev[s]++;
				if (!f->certain)
					uncertain++;
			}
		}
		if (header)
			sb_putc(o, '\n');
	}
	for (size_t i = 0; i < r->findings.n; i++)
		suppressed += r->findings.v[i].suppressed;
	size_t total = by_sev[0] + by_sev[1] + by_sev[2] + by_sev[3] + by_sev[4];
	sb_printf(o, "%zu finding%s (%zu critical, %zu high, %zu medium, %zu low, %zu info)", total,
		  total == 1 ? "" : "s", by_sev[SEV_CRITICAL], by_sev[SEV_HIGH], by_sev[SEV_MEDIUM],
		  by_sev[SEV_LOW], by_sev[SEV_INFO]);
	if (uncertain)
		sb_printf(o, ", %zu uncertain", uncertain);
	if (suppressed)
		sb_printf(o, ", %zu suppressed", suppressed);
	size_t ne = diag_count(&r->diags, DIAG_ERROR);
	sb_printf(o, "; %zu error%s; %zu template%s, %zu resources scanned\n", ne, ne == 1 ? "" : "s",
		  r->templates, r->templates == 1 ? "" : "s", r->resources);
}

void report_checks_text(struct strbuf *o)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	for (int l = 0; l < LAYER_COUNT; l++) {
		bool header = false;
		for (size_t i = 0; i < n; i++) {
			const struct check *c = all[i];
			if ((int)c->layer != l)
				continue;
			if (!header) {
				sb_printf(o, "%s\n", layer_title((enum layer)l));
				header = true;
			}
			char sev[16];
			upper(sev, severity_name(c->severity), sizeof sev);
			sb_printf(o, "  %-14s %-8s %s\n", c->id, sev, c->title);
			struct {
				const char *name, *v;
			} al[] = {{"FSBP", c->fsbp}, {"CIS", c->cis}, {"Checkov", c->checkov}, {"KICS", c->kics},
				  {"KICS (Terraform)", c->kics_tf}, {"cfn_nag", c->cfn_nag}, {"cdk-nag", c->cdk_nag},
				  {"Trivy", c->trivy}, {"Guard", c->guard}, {"UK GDPR", c->gdpr}};
			bool any = false;
			for (size_t k = 0; k < sizeof al / sizeof *al; k++) {
				if (!al[k].v || !*al[k].v)
					continue;
				sb_printf(o, "%s%s %s", any ? "; " : "                 ", al[k].name, al[k].v);
				any = true;
			}
			if (any)
				sb_putc(o, '\n');
		}
		if (header)
			sb_putc(o, '\n');
	}
	sb_printf(o, "%zu checks\n", n);
	if (coverage_not_checked_count) {
		sb_printf(o, "\nNot checked: %zu rows of what other scanners check (shared/reference/coverage.md)\n",
			  coverage_not_checked_count);
		for (size_t i = 0; i < coverage_not_checked_count; i++)
			sb_printf(o, "  %-5s %s\n", coverage_not_checked[i].row, coverage_not_checked[i].reason);
	}
}
