/*
 * output.c - `rampart trail detect` results as text, json, jsonl or SARIF.
 *
 * Every format is built in a strbuf from already-sorted results, so output
 * is byte-for-byte deterministic for the same inputs.
 */
#include "trail/output.h"

#include "core/jsonw.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/sarif_writer.h"

#include <stdlib.h>
#include <string.h>

/* Write out the buffer once it is large: bounded memory for big reports. */
static void maybe_flush(struct strbuf *sb, struct trail_output *o)
{
	if (!o->stream || sb->len < (1u << 20))
		return;
	if (fwrite(sb->s, 1, sb->len, o->stream) != sb->len)
		o->write_failed = true;
	sb_reset(sb);
}

struct count {
	const char *id;
	size_t n;
	const struct detection *first;
};

static int count_cmp(const void *a, const void *b)
{
	return strcmp(((const struct count *)a)->id, ((const struct count *)b)->id);
}

/* Counts per detection id, sorted by id.  Caller frees. */
static struct count *counts(const struct detections *d, size_t *n)
{
	struct count *c = NULL;
	size_t cn = 0, cap = 0;
	const char **ids = xcalloc(d->n ? d->n : 1, sizeof(char *));
	for (size_t i = 0; i < d->n; i++)
		ids[i] = d->v[i].id;
	/* a small, sorted table: linear search is fine for ~100 distinct ids */
	for (size_t i = 0; i < d->n; i++) {
		size_t k;
		for (k = 0; k < cn; k++)
			if (!strcmp(c[k].id, ids[i]))
				break;
		if (k == cn) {
			XGROW(c, cap, cn + 1);
			c[cn++] = (struct count){ids[i], 0, &d->v[i]};
		}
		c[k].n++;
	}
	free(ids);
	if (cn > 1)
		qsort(c, cn, sizeof(*c), count_cmp);
	*n = cn;
	return c;
}

/* Full count of id: the truncation tally when it was cut, else n. */
static size_t full_count(const struct trail_output *o, const char *id, size_t n)
{
	for (size_t i = 0; i < o->ntruncated; i++)
		if (!strcmp(o->truncated[i].id, id))
			return (size_t)o->truncated[i].total;
	return n;
}

static void json_detection(struct jw *w, const struct detection *x)
{
	jw_object_begin(w, JW_COMPACT);
	jw_key_string_or_null(w, "detection", x->id);
	jw_key_string_or_null(w, "source", x->source);
	jw_key_string_or_null(w, "title", x->title);
	jw_key_string(w, "level", severity_name(x->level));
	jw_key_string_or_null(w, "event_id", x->event_id);
	jw_key_string_or_null(w, "event_time", x->event_time);
	jw_key_string_or_null(w, "event_name", x->event_name);
	jw_key_string_or_null(w, "event_source", x->event_source);
	jw_key_string_or_null(w, "principal", x->principal);
	jw_key_string_or_null(w, "source_ip", x->source_ip);
	jw_key_string_or_null(w, "file", x->file);
	jw_key_uint(w, "offset", x->offset);
	jw_key_string_or_null(w, "account", x->account);
	jw_key_string_or_null(w, "region", x->region);
	if (x->author)
		jw_key_string(w, "author", x->author);
	if (x->detail)
		jw_key_string(w, "detail", x->detail);
	jw_object_end(w);
}

static void json_skips(struct jw *w, struct trail_output *o)
{
	jw_key(w, "skipped");
	jw_array_begin(w, JW_COMPACT);
	for (size_t i = 0; i < o->skips->n; i++) {
		const struct trail_skip *k = &o->skips->v[i];
		jw_object_begin(w, JW_COMPACT);
		jw_key_string_or_null(w, "file", k->file);
		jw_key_uint(w, "offset", k->offset);
		jw_key_string(w, "offset_in", k->compressed_offset ? "compressed" : "data");
		jw_key_string_or_null(w, "reason", k->reason);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "rules_not_run");
	jw_array_begin(w, JW_COMPACT);
	for (size_t i = 0; i < o->nrejected; i++) {
		jw_object_begin(w, JW_COMPACT);
		jw_key_string_or_null(w, "file", o->rejected[i].file);
		jw_key_string_or_null(w, "rule", o->rejected[i].name);
		jw_key_string_or_null(w, "reason", o->rejected[i].reason);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_json(struct strbuf *sb, struct trail_output *o)
{
	const struct detections *d = o->found;
	struct jw w;
	jw_init(&w, sb);
	jw_object_begin(&w, JW_COMPACT);
	jw_key_int(&w, "version", 1);
	jw_key(&w, "detections");
	jw_array_begin(&w, JW_LINES);
	for (size_t i = 0; i < d->n; i++) {
		json_detection(&w, &d->v[i]);
		maybe_flush(sb, o);
	}
	jw_array_end(&w);
	jw_key(&w, "counts");
	jw_object_begin(&w, JW_COMPACT);
	size_t cn;
	struct count *c = counts(d, &cn);
	for (size_t i = 0; i < cn; i++)
		jw_key_uint(&w, c[i].id, full_count(o, c[i].id, c[i].n));
	free(c);
	jw_object_end(&w);
	jw_key(&w, "truncated");
	jw_object_begin(&w, JW_COMPACT);
	for (size_t i = 0; i < o->ntruncated; i++)
		jw_key_uint(&w, o->truncated[i].id, o->truncated[i].total);
	jw_object_end(&w);
	json_skips(&w, o);
	jw_key(&w, "summary");
	jw_object_begin(&w, JW_COMPACT);
	jw_key_uint(&w, "files", o->files);
	jw_key_uint(&w, "events", o->events);
	jw_key_uint(&w, "events_in_filter", o->events_in_filter);
	jw_key_uint(&w, "bytes_read", o->bytes_in);
	jw_key_uint(&w, "bytes_json", o->bytes_json);
	jw_key(&w, "rules");
	jw_object_begin(&w, JW_COMPACT);
	jw_key_uint(&w, "cis", o->ncis);
	jw_key_uint(&w, "rampart", o->nrampart);
	jw_key_uint(&w, "sigma", o->nsigma);
	jw_object_end(&w);
	jw_object_end(&w);
	jw_object_end(&w);
	jw_done_line(&w);
}

static void write_jsonl(struct strbuf *sb, struct trail_output *o)
{
	for (size_t i = 0; i < o->found->n; i++) {
		struct jw w;
		jw_init(&w, sb);
		json_detection(&w, &o->found->v[i]);
		jw_done_line(&w);
		maybe_flush(sb, o);
	}
}

static void sarif_rule_properties(struct jw *w, const void *ctx)
{
	const struct detection *x = ctx;
	jw_key_string_or_null(w, "source", x->source);
	if (x->author)
		jw_key_string(w, "author", x->author);
}

static void sarif_result_properties(struct jw *w, const void *ctx)
{
	const struct detection *x = ctx;
	jw_key_string_or_null(w, "event_id", x->event_id);
	jw_key_string_or_null(w, "event_time", x->event_time);
	jw_key_string_or_null(w, "principal", x->principal);
	jw_key_string_or_null(w, "source_ip", x->source_ip);
}

/* One rule per detection id found, a result per detection at its file and
 * byte offset, fingerprinted by detection id and CloudTrail event id (the
 * same event found again from another copy of the logs is the same alert);
 * skipped input, rules not run and truncated detections as notifications. */
static void write_sarif(struct strbuf *sb, struct trail_output *o)
{
	const struct detections *d = o->found;
	size_t cn;
	struct count *c = counts(d, &cn);
	struct sarif_writer s;
	sarif_begin(&s, sb);
	for (size_t i = 0; i < cn; i++) {
		const struct detection *x = c[i].first;
		sarif_rule(&s, &(struct sarif_rule){
				   .id = x->id,
				   .title = x->title,
				   .severity = x->level,
				   .properties = sarif_rule_properties,
				   .ctx = x,
			   });
	}
	struct strbuf m = STRBUF_INIT, id = STRBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const struct detection *x = &d->v[i];
		size_t ri = 0;
		for (ri = 0; ri < cn; ri++)
			if (!strcmp(c[ri].id, x->id))
				break;
		sb_reset(&m);
		sb_printf(&m, "%s: %s (%s) by %s from %s at %s", x->title,
			  x->event_name ? x->event_name : "?", x->event_source ? x->event_source : "?",
			  x->principal ? x->principal : "?", x->source_ip ? x->source_ip : "?",
			  x->event_time ? x->event_time : "?");
		if (x->detail)
			sb_printf(&m, "; %s", x->detail);
		sb_reset(&id);
		if (x->event_id) {
			sb_printf(&id, "%s|%s", x->id, x->event_id);
		} else {
			sb_printf(&id, "%s||", x->id);
			sarif_uri(&s, &id, x->file);
			sb_printf(&id, "|%llu", (unsigned long long)x->offset);
		}
		sarif_result(&s, &(struct sarif_result){
				     .rule_id = x->id,
				     .rule_index = ri,
				     .severity = x->level,
				     .message = m.s,
				     .at = {.path = x->file, .by_offset = true, .offset = x->offset},
				     .identity = id.s,
				     .properties = sarif_result_properties,
				     .ctx = x,
			     });
		maybe_flush(sb, o);
	}
	sarif_invocation(&s, !o->skips->n && !o->nrejected);
	for (size_t i = 0; i < o->skips->n; i++) {
		const struct trail_skip *k = &o->skips->v[i];
		sb_reset(&m);
		sb_printf(&m, "%s (byte %llu%s); the rest of the input was read", k->reason,
			  (unsigned long long)k->offset,
			  k->compressed_offset ? " of the compressed file" : "");
		sarif_notification(&s, true, m.s,
				   &(struct sarif_location){.path = k->file, .by_offset = true, .offset = k->offset});
	}
	for (size_t i = 0; i < o->nrejected; i++) {
		sb_reset(&m);
		sb_printf(&m, "Sigma rule '%s' not run: %s", o->rejected[i].name, o->rejected[i].reason);
		sarif_notification(&s, false, m.s, &(struct sarif_location){.path = o->rejected[i].file});
	}
	for (size_t i = 0; i < cn; i++) {
		size_t all = full_count(o, c[i].id, c[i].n);
		if (all <= c[i].n)
			continue;
		sb_reset(&m);
		sb_printf(&m, "%s: %zu detections, only the earliest %zu are listed (--max-per-detection)",
			  c[i].id, all, c[i].n);
		sarif_notification(&s, false, m.s, NULL);
	}
	sb_free(&m);
	sb_free(&id);
	free(c);
	sarif_end(&s);
}

static void write_text(struct strbuf *sb, struct trail_output *o)
{
	const struct detections *d = o->found;
	for (size_t i = 0; i < d->n; i++) {
		const struct detection *x = &d->v[i];
		sb_printf(sb, "%s  %-8s %-14s %s\n", x->event_time ? x->event_time : "-",
			  severity_name(x->level), x->id, x->title);
		sb_printf(sb, "    %s (%s) by %s from %s\n", x->event_name ? x->event_name : "-",
			  x->event_source ? x->event_source : "-", x->principal ? x->principal : "-",
			  x->source_ip ? x->source_ip : "-");
		if (x->detail)
			sb_printf(sb, "    %s\n", x->detail);
		sb_printf(sb, "    event %s in %s\n", x->event_id ? x->event_id : "-", x->file);
		maybe_flush(sb, o);
	}
	size_t cn;
	struct count *c = counts(d, &cn);
	if (cn) {
		sb_puts(sb, "\ncounts:\n");
		for (size_t i = 0; i < cn; i++)
			sb_printf(sb, "  %-40s %zu%s  %s\n", c[i].id, full_count(o, c[i].id, c[i].n),
				  full_count(o, c[i].id, c[i].n) > c[i].n ? " (earliest listed)" : "",
				  c[i].first->title);
	}
	free(c);
	sb_printf(sb, "\n%zu detection%s in %llu events (%llu in the filter) from %llu file%s",
		  d->n, d->n == 1 ? "" : "s", (unsigned long long)o->events,
		  (unsigned long long)o->events_in_filter, (unsigned long long)o->files,
		  o->files == 1 ? "" : "s");
	sb_printf(sb, "; rules: %zu CIS, %zu rampart, %zu Sigma", o->ncis, o->nrampart, o->nsigma);
	if (o->skips->n || o->nrejected)
		sb_printf(sb, "; %zu input problem%s, %zu rule%s not run (see stderr)", o->skips->n,
			  o->skips->n == 1 ? "" : "s", o->nrejected, o->nrejected == 1 ? "" : "s");
	sb_puts(sb, "\n");
}

void trail_output_write(struct strbuf *sb, enum trail_format f, struct trail_output *o)
{
	switch (f) {
	case TF_TEXT: write_text(sb, o); break;
	case TF_JSON: write_json(sb, o); break;
	case TF_JSONL: write_jsonl(sb, o); break;
	case TF_SARIF: write_sarif(sb, o); break;
	}
}
