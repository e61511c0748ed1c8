/*
 * yaml.c - YAML into document trees, through libyaml's event API.
 *
 * Why libyaml: PyYAML is libyaml, and PyYAML is what the AWS CLI and SAM CLI
 * use, so a template those tools accept (lenient flow indentation included)
 * loads here too, with the same scalar typing (YAML 1.1 as PyYAML resolves
 * it: `yes` is true, `0x1F` and `0777` are integers, `1e5` is a string).
 * JSON does not come here: json.c reads it strictly (see load.c).
 *
 * The tree is built by tree.c with an explicit stack, not recursion, and
 * nesting is bounded by LOAD_MAX_DEPTH.  Aliases share the anchored node;
 * the total size of what aliases expand to is bounded too ("billion laughs").
 */
#include "load/load.h"
#include "load/number.h"
#include "load/tree.h"
#include "core/arena.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <yaml.h>

#include <stdlib.h>
#include <string.h>

/* Alias expansions count toward this many nodes before we refuse. */
#define LOAD_MAX_EXPANDED (8u * 1000 * 1000)

struct anchor {
	struct node *node;
	size_t expanded;
};

static struct pos mark_pos(const struct loader *L, yaml_mark_t m)
{
	struct pos p = {L->file, (int)m.line + 1, (int)m.column + 1};
	return p;
}

/* ---- scalar typing (YAML 1.1, as PyYAML's resolver) ---- */

static int is_null_text(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int bool_text(const char *s, size_t n)
{
	static const char *yes[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
	static const char *no[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strlen(yes[i]) == n && !memcmp(s, yes[i], n))
			return 1;
		if (strlen(no[i]) == n && !memcmp(s, no[i], n))
			return 0;
	}
	return -1;
}

/* ---- short-form intrinsic tags ---- */

enum tag_shape { T_SCALAR = 1, T_SEQ = 2, T_MAP = 4, T_ANY = 7 };

struct short_tag {
	const char *tag, *name;
	int shapes;
};

static const struct short_tag short_tags[] = {
	{"!Ref", "Ref", T_SCALAR},
	{"!Condition", "Condition", T_SCALAR},
	{"!GetAtt", "Fn::GetAtt", T_SCALAR | T_SEQ},
	{"!Sub", "Fn::Sub", T_SCALAR | T_SEQ},
	{"!If", "Fn::If", T_SEQ},
	{"!Join", "Fn::Join", T_SEQ},
	{"!Select", "Fn::Select", T_SEQ},
	{"!Split", "Fn::Split", T_SEQ},
	{"!FindInMap", "Fn::FindInMap", T_SEQ},
	{"!ImportValue", "Fn::ImportValue", T_SCALAR | T_MAP},
	{"!GetAZs", "Fn::GetAZs", T_SCALAR | T_MAP},
	{"!Base64", "Fn::Base64", T_SCALAR | T_MAP},
	{"!Cidr", "Fn::Cidr", T_SEQ},
	{"!Equals", "Fn::Equals", T_SEQ},
	{"!And", "Fn::And", T_SEQ},
	{"!Or", "Fn::Or", T_SEQ},
	{"!Not", "Fn::Not", T_SEQ},
	{"!Transform", "Fn::Transform", T_MAP},
	{"!Length", "Fn::Length", T_ANY},
	{"!ToJsonString", "Fn::ToJsonString", T_ANY},
	{"!ForEach", "Fn::ForEach", T_SEQ},
};

static const char *yaml_std = "tag:yaml.org,2002:";

/*
 * Look a tag up.  Returns 0 for "no tag effect", 1 for a short-form
 * intrinsic (*st set), 2 for a standard tag forcing a scalar type (*forced
 * set to the kind), -1 for an unknown tag or a wrong node shape (error added).
 */
static int classify_tag(struct loader *L, const char *tag, int shape, struct pos pos,
			const struct short_tag **st, enum node_kind *forced)
{
	if (!tag || !strcmp(tag, "!") || !strcmp(tag, "?"))
		return 0;
	if (!strncmp(tag, yaml_std, strlen(yaml_std))) {
		const char *t = tag + strlen(yaml_std);
		if (!strcmp(t, "str")) { *forced = NODE_STRING; return 2; }
		if (!strcmp(t, "int") || !strcmp(t, "float")) { *forced = NODE_NUMBER; return 2; }
		if (!strcmp(t, "bool")) { *forced = NODE_BOOL; return 2; }
		if (!strcmp(t, "null")) { *forced = NODE_NULL; return 2; }
		if (!strcmp(t, "map") || !strcmp(t, "seq") || !strcmp(t, "binary") || !strcmp(t, "timestamp"))
			return 0;
	}
	for (size_t i = 0; i < sizeof short_tags / sizeof *short_tags; i++) {
		if (strcmp(tag, short_tags[i].tag))
			continue;
		if (!(short_tags[i].shapes & shape)) {
			const char *what = shape == T_SCALAR ? "a scalar" : shape == T_SEQ ? "a sequence" : "a mapping";
			diag_error(L->d, pos, "%s cannot be applied to %s", tag, what);
			L->failed = 1;
			return -1;
		}
		*st = &short_tags[i];
		return 1;
	}
	diag_error(L->d, pos, "unknown tag '%s'", tag);
	L->failed = 1;
	return -1;
}

/* Wrap v as {name: v}: the long form of a short-form tag. */
static struct node *wrap_intrinsic(struct loader *L, const char *name, struct node *v, struct pos pos)
{
	if (!strcmp(name, "Fn::GetAtt") && v->kind == NODE_STRING) {
		/* !GetAtt Res.Attr.Sub -> ["Res", "Attr.Sub"]: split at the first dot. */
		const char *dot = memchr(v->str, '.', v->len);
		if (!dot) {
			diag_error(L->d, v->pos, "!GetAtt '%s' needs the form Resource.Attribute", v->str);
			L->failed = 1;
		} else {
			struct node *seq = tree_node(L, NODE_SEQ, v->pos);
			seq->n = 2;
			seq->items = arena_array(L->a, 2, sizeof *seq->items);
			size_t l1 = (size_t)(dot - v->str);
			struct pos p2 = v->pos;
			p2.col += (int)l1 + 1;
			seq->items[0] = tree_string(L, v->str, l1, v->pos);
			seq->items[1] = tree_string(L, dot + 1, v->len - l1 - 1, p2);
			v = seq;
		}
	}
	struct node *m = tree_node(L, NODE_MAP, pos);
	m->n = 1;
	m->pairs = arena_array(L->a, 1, sizeof *m->pairs);
	m->pairs[0].key = tree_string(L, name, strlen(name), pos);
	m->pairs[0].value = v;
	return m;
}

static void register_anchor(struct loader *L, const char *anchor, struct node *n, size_t expanded)
{
	if (!anchor)
		return;
	struct anchor *an = arena_alloc(L->a, sizeof *an);
	an->node = n;
	an->expanded = expanded;
	strmap_put(&L->anchors, arena_strdup(L->a, anchor), an);
}

static void push(struct loader *L, enum node_kind k, struct pos pos, const char *anchor,
		 const struct short_tag *st)
{
	if (tree_push(L, k, pos) != 0)
		return;
	struct frame *f = &L->stack[L->depth - 1];
	f->anchor = anchor ? xstrdup(anchor) : NULL;
	f->intrinsic = st ? st->name : NULL;
}

static void pop(struct loader *L)
{
	struct frame *f = tree_pop(L);
	struct node *out = f->node;
	if (f->intrinsic)
		out = wrap_intrinsic(L, f->intrinsic, out, f->tag_pos);
	register_anchor(L, f->anchor, out, f->expanded);
	free(f->anchor);
	f->anchor = NULL;
	tree_attach(L, out, f->expanded);
}

static void warn_range(struct loader *L, const struct node *n)
{
	diag_warn(L->d, n->pos, "number %.*s%s is too large for a double: read as %s", n->len > 40 ? 40 : (int)n->len,
		  n->str, n->len > 40 ? "..." : "", n->num < 0 ? "-infinity" : "infinity");
}

/* A scalar under !!int or !!float: that kind's grammar, else an error (as PyYAML). */
static void tagged_number(struct loader *L, struct node *n, const char *tag)
{
	bool is_int = strlen(tag) >= 3 && !strcmp(tag + strlen(tag) - 3, "int");
	double v = 0;
	enum num_status ns = is_int ? yaml_int(n->str, n->len, &v) : yaml_float(n->str, n->len, &v);
	if (ns == NUM_NOT && !is_int) /* !!float 1 and !!float 1e5 are floats too */
		ns = yaml_int(n->str, n->len, &v) != NUM_NOT ? NUM_OK : decimal_value(n->str, n->len, &v);
	if (ns == NUM_NOT) {
		diag_error(L->d, n->pos, "'%s' is not %s", n->str, is_int ? "an integer" : "a number");
		L->failed = 1;
		return;
	}
	n->num = v;
	if (ns == NUM_RANGE)
		warn_range(L, n);
}

static void scalar_event(struct loader *L, yaml_event_t *ev)
{
	struct pos pos = mark_pos(L, ev->start_mark);
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const struct short_tag *st = NULL;
	enum node_kind forced = NODE_STRING;
	int tc = classify_tag(L, (const char *)ev->data.scalar.tag, T_SCALAR, pos, &st, &forced);
	if (tc < 0)
		return;
	struct node *n = tree_node(L, NODE_STRING, pos);
	n->str = arena_strndup(L->a, s, len);
	n->len = len;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (tc == 2) {
		n->kind = forced;
		if (forced == NODE_NUMBER)
			tagged_number(L, n, (const char *)ev->data.scalar.tag);
		if (forced == NODE_BOOL) {
			int b = bool_text(s, len);
			if (b < 0) {
				diag_error(L->d, pos, "'%s' is not a boolean (!!bool takes true/false, yes/no, on/off)",
					   n->str);
				L->failed = 1;
			}
			n->boolean = b == 1;
		}
	} else if (tc == 0 && !n->quoted && ev->data.scalar.plain_implicit) {
		int b;
		double v;
		enum num_status ns;
		if (is_null_text(s, len))
			n->kind = NODE_NULL;
		else if ((b = bool_text(s, len)) >= 0) {
			n->kind = NODE_BOOL;
			n->boolean = b;
		} else if ((ns = yaml_number(s, len, &v)) != NUM_NOT) {
			n->kind = NODE_NUMBER;
			n->num = v;
			if (ns == NUM_RANGE)
				warn_range(L, n);
		}
	}
	struct node *out = n;
	if (st)
		out = wrap_intrinsic(L, st->name, n, pos);
	const char *anchor = (const char *)ev->data.scalar.anchor;
	register_anchor(L, anchor, out, 1);
	tree_attach(L, out, 1);
}

static void alias_event(struct loader *L, yaml_event_t *ev)
{
	struct pos pos = mark_pos(L, ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *an = strmap_get(&L->anchors, name);
	if (!an) {
		diag_error(L->d, pos, "alias '*%s' refers to no complete anchor", name);
		L->failed = 1;
		return;
	}
	L->expanded += an->expanded;
	if (L->expanded > LOAD_MAX_EXPANDED) {
		diag_error(L->d, pos, "aliases expand to more than %u nodes", LOAD_MAX_EXPANDED);
		L->failed = 1;
		return;
	}
	an->node->shared = true;
	tree_attach(L, an->node, an->expanded);
}

void yaml_parse(struct loader *L, const char *buf, size_t len)
{
	struct pos top = {L->file, 1, 1};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		diag_error(L->d, top, "cannot initialise the YAML parser");
		L->failed = 1;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	int done = 0;
	while (!done && !L->failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			struct pos p = mark_pos(L, parser.problem_mark);
			if (parser.context)
				diag_error(L->d, p, "%s %s", parser.context, parser.problem ? parser.problem : "syntax error");
			else
				diag_error(L->d, p, "%s", parser.problem ? parser.problem : "syntax error");
			L->failed = 1;
			break;
		}
		struct pos pos = mark_pos(L, ev.start_mark);
		const struct short_tag *st = NULL;
		enum node_kind forced;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			scalar_event(L, &ev);
			break;
		case YAML_ALIAS_EVENT:
			alias_event(L, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (classify_tag(L, (const char *)ev.data.sequence_start.tag, T_SEQ, pos, &st, &forced) >= 0)
				push(L, NODE_SEQ, pos, (const char *)ev.data.sequence_start.anchor, st);
			break;
		case YAML_MAPPING_START_EVENT:
			if (classify_tag(L, (const char *)ev.data.mapping_start.tag, T_MAP, pos, &st, &forced) >= 0)
				push(L, NODE_MAP, pos, (const char *)ev.data.mapping_start.anchor, st);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (L->depth > 0)
				pop(L);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
}
