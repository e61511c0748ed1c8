/*
 * check.c - reporting findings from checks; in-template suppressions
 * (rampart, checkov and cfn_nag metadata forms, all parsed by the model
 * into resource->skips): applied to findings, and those naming no check
 * warned about; the names and titles of layers.
 */
#include "checks/check.h"
#include "checks/catalogue.h"
#include "checks/finding.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct pos check_pos(const struct resource *r, const struct value *v)
{
	if (v && v->pos.line > 0)
		return v->pos;
	return r->pos;
}

static void report(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
		   enum severity sev, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

void check_report(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, r, at, certain, ctx->check->severity, fmt, ap);
	va_end(ap);
}

void check_report_severity(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
			   enum severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, r, at, certain, sev, fmt, ap);
	va_end(ap);
}

static void report(struct check_ctx *ctx, const struct resource *r, struct pos at, bool certain,
		   enum severity sev, const char *fmt, va_list ap)
{
	struct finding *f = findings_add(ctx->out);
	f->severity = (int)sev;
	f->check = ctx->check;
	struct pos p = at.line > 0 ? at : r->pos;
	f->file = xstrdup(p.file ? p.file : (ctx->stack->file ? ctx->stack->file : "-"));
	f->line = p.line;
	f->col = p.col;
	f->resource = xstrdup(r->id);
	f->source_resource = xstrdup(r->source_id ? r->source_id : r->id);
	f->resource_type = xstrdup(r->type);
	f->cdk_path = dup_or_null(r->cdk_path);
	f->stack = dup_or_null(ctx->stack->name);
	f->certain = certain && !r->unresolved; /* its properties were not read */
	char buf[2048];
	vsnprintf(buf, sizeof buf, fmt, ap);
	f->message = xstrdup(buf);
	/* Suppressions live on the resource, or on the SAM resource it came from. */
	const struct resource *holders[2] = {r, NULL};
	if (r->source_id && strcmp(r->source_id, r->id))
		holders[1] = stack_find(ctx->stack, r->source_id);
	for (int h = 0; h < 2 && !f->suppressed; h++) {
		const struct resource *x = holders[h];
		if (!x)
			continue;
		for (size_t i = 0; i < x->nskips; i++) {
			if (check_matches(ctx->check, x->skips[i].id)) {
				f->suppressed = true;
				f->suppress_reason = dup_or_null(x->skips[i].reason);
				break;
			}
		}
	}
}

void check_report_tri(struct check_ctx *ctx, const struct resource *r, const struct value *at, enum tri t,
		      const char *fmt, ...)
{
	if (t == NO)
		return;
	va_list ap;
	va_start(ap, fmt);
	report(ctx, r, check_pos(r, at), t == YES && r->deployed == YES, ctx->check->severity, fmt, ap);
	va_end(ap);
}

/*
 * A suppression is warned about once where it is written: SAM-generated
 * resources share their SAM resource's list.
 */
static bool skips_inherited(const struct stack *s, const struct resource *r)
{
	if (!r->source_id || !strcmp(r->source_id, r->id))
		return false;
	const struct resource *src = stack_find(s, r->source_id);
	return src && src != r && src->skips == r->skips;
}

void check_suppressions_known(const struct stack *s, struct diags *d)
{
	size_t n;
	const struct check *const *all = catalogue_all(&n);
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];
		if (!r->nskips || skips_inherited(s, r))
			continue;
		for (size_t k = 0; k < r->nskips; k++) {
			const char *id = r->skips[k].id;
			bool known = false;
			for (size_t c = 0; c < n && !known; c++)
				known = check_matches(all[c], id);
			if (known)
				continue;
			char near[NEAREST_NAME_MAX];
			catalogue_nearest(id, near, sizeof near);
			struct pos p = r->skips[k].pos;
			if (!p.file)
				p.file = s->file;
			diag_warn(d, p, "suppression %s names no rampart check or alias, so it suppresses nothing "
				  "(nearest: %s)", id, near);
		}
	}
}

static const struct {
	const char *name, *title;
} layers[] = {
	[LAYER_IAM] = {"iam", "IAM: who can do what"},
	[LAYER_IDENTITY] = {"identity", "Identity: how people sign in"},
	[LAYER_NETWORK] = {"network", "Network: what can reach the data"},
	[LAYER_API] = {"api", "API: the front door"},
	[LAYER_ENCRYPTION] = {"encryption", "Encryption: at rest and in transit"},
	[LAYER_SECRETS] = {"secrets", "Secrets: credentials and keys"},
	[LAYER_MONITORING] = {"monitoring", "Monitoring and audit"},
	[LAYER_RESILIENCE] = {"resilience", "Resilience: backups and recovery"},
};
_Static_assert(sizeof layers / sizeof *layers == LAYER_COUNT, "a name and title for every layer");

const char *layer_name(enum layer l)
{
	return (unsigned)l < LAYER_COUNT ? layers[l].name : "?";
}

const char *layer_title(enum layer l)
{
	return (unsigned)l < LAYER_COUNT ? layers[l].title : "?";
}

void check_types_listed(const struct check *c, struct strbuf *out)
{
	sb_puts(out, c->resource_types);
	if (c->related_types && *c->related_types) {
		sb_putc(out, ',');
		sb_puts(out, c->related_types);
	}
}
