/*
 * yaml.c - YAML and JSON into document trees, through libyaml's event API.
 *
 * Why libyaml: PyYAML is libyaml, and PyYAML is what the AWS CLI and SAM CLI
 * use, so a template those tools accept (lenient flow indentation included)
 * loads here too, with the same scalar typing (YAML 1.1: `yes` is true).
 * JSON is a subset of YAML flow syntax, so one parser serves both and gives
 * line:col positions for every node.
 *
 * The tree is built with an explicit stack, not recursion, and nesting is
 * bounded by LOAD_MAX_DEPTH.  Aliases share the anchored node; the total
 * size of what aliases expand to is bounded too ("billion laughs").
 */
#include "load/load.h"
#include "core/arena.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <yaml.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Alias expansions count toward this many nodes before we refuse. */
#define LOAD_MAX_EXPANDED (8u * 1000 * 1000)

struct frame {
	struct node *node;    /* NODE_SEQ or NODE_MAP being filled */
	struct node *key;     /* map: key waiting for its value */
	const char *intrinsic; /* short-form tag wrapping this node, or NULL */
	struct pos tag_pos;
	char *anchor;         /* anchor to register when complete (malloc) */
	size_t expanded;      /* nodes below, aliases counted in full */
	struct node **items;  /* seq items (malloc) */
	struct node_pair *pairs; /* map pairs (malloc) */
	size_t n, cap;
	struct strmap *index; /* key -> pair index+1, for big maps */
};

struct anchor {
	struct node *node;
	size_t expanded;
};

struct loader {
	const char *file;
	struct arena *a;
	struct diags *d;
	struct frame *stack;
	size_t depth, cap;
	struct strmap anchors;
	size_t expanded;
	struct node *root;
	int failed;
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

static int all_of(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return 0;
	return 1;
}

/* PyYAML's int and float patterns; returns 1 if s is a number. */
static int number_text(const char *s, size_t n)
{
	size_t i = 0;
	if (n && (s[0] == '-' || s[0] == '+'))
		i++;
	const char *t = s + i;
	size_t m = n - i;
	if (m == 0)
		return 0;
	if (m > 2 && t[0] == '0' && t[1] == 'b')
		return all_of(t + 2, m - 2, "01_");
	if (m > 2 && t[0] == '0' && t[1] == 'x')
		return all_of(t + 2, m - 2, "0123456789abcdefABCDEF_");
	if ((m == 4 && i == 0 && (!memcmp(t, ".nan", 4) || !memcmp(t, ".NaN", 4) || !memcmp(t, ".NAN", 4))) ||
	    (m == 4 && (!memcmp(t, ".inf", 4) || !memcmp(t, ".Inf", 4) || !memcmp(t, ".INF", 4))))
		return 1;
	if (all_of(t, m, "0123456789_"))
		return t[0] != '_';
	/* float: digits[_] '.' digits[_] [e[+-]digits] ; or '.' digits ... */
	size_t k = 0;
	while (k < m && (t[k] == '_' || (t[k] >= '0' && t[k] <= '9')))
		k++;
	if (k < m && t[k] == ':') /* sexagesimal: rare; treat as string */
		return 0;
	if (k == m || t[k] != '.')
		return 0;
	if (k == 0 && (m == 1))
		return 0;
	k++;
	size_t frac = k;
	while (k < m && (t[k] == '_' || (t[k] >= '0' && t[k] <= '9')))
		k++;
	if (frac == 1 && k == frac) /* "." alone or ".e5" */
		return 0;
	if (k == m)
		return 1;
	if (t[k] != 'e' && t[k] != 'E')
		return 0;
	k++;
	if (k < m && (t[k] == '+' || t[k] == '-'))
		k++;
	else
		return 0; /* PyYAML requires the exponent sign */
	return all_of(t + k, m - k, "0123456789");
}

static double number_value(const char *s, size_t n)
{
	char buf[64];
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < sizeof buf; i++)
		if (s[i] != '_')
			buf[j++] = s[i];
	buf[j] = '\0';
	if (strstr(buf, "0x") || strstr(buf, "0b"))
		return (double)strtoll(buf, NULL, 0);
	return strtod(buf, NULL);
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

static struct node *new_node(struct loader *L, enum node_kind k, struct pos pos)
{
	struct node *n = arena_alloc(L->a, sizeof *n);
	n->kind = k;
	n->pos = pos;
	return n;
}

static struct node *new_string(struct loader *L, const char *s, size_t len, struct pos pos)
{
	struct node *n = new_node(L, NODE_STRING, pos);
	n->str = arena_strndup(L->a, s, len);
	n->len = len;
	return n;
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
			struct node *seq = new_node(L, NODE_SEQ, v->pos);
			seq->n = 2;
			seq->items = arena_array(L->a, 2, sizeof *seq->items);
			size_t l1 = (size_t)(dot - v->str);
			struct pos p2 = v->pos;
			p2.col += (int)l1 + 1;
			seq->items[0] = new_string(L, v->str, l1, v->pos);
			seq->items[1] = new_string(L, dot + 1, v->len - l1 - 1, p2);
			v = seq;
		}
	}
	struct node *m = new_node(L, NODE_MAP, pos);
	m->n = 1;
	m->pairs = arena_array(L->a, 1, sizeof *m->pairs);
	m->pairs[0].key = new_string(L, name, strlen(name), pos);
	m->pairs[0].value = v;
	return m;
}

/* Add a finished node to the parent frame (or make it the root). */
static void attach(struct loader *L, struct node *n, size_t expanded)
{
	if (L->depth == 0) {
		if (!L->root && n->next_doc) {
			struct node *c = arena_alloc(L->a, sizeof *c);
			*c = *n;
			c->next_doc = NULL;
			n = c;
		}
		/* Documents of a multi-document stream are chained in order. */
		if (!L->root) {
			L->root = n;
		} else {
			/* A shallow copy: an aliased root must not be chained twice. */
			struct node *c = arena_alloc(L->a, sizeof *c);
			*c = *n;
			c->next_doc = NULL;
			n = c;
			struct node *last = L->root;
			while (last->next_doc)
				last = last->next_doc;
			last->next_doc = n;
		}
		return;
	}
	struct frame *f = &L->stack[L->depth - 1];
	f->expanded += expanded;
	if (f->node->kind == NODE_SEQ) {
		XGROW(f->items, f->cap, f->n + 1);
		f->items[f->n++] = n;
		return;
	}
	if (!f->key) {
		/* A key. */
		if (n->kind == NODE_SEQ || n->kind == NODE_MAP) {
			diag_error(L->d, n->pos, "a mapping key must be a scalar, not a %s", node_kind_name(n->kind));
			L->failed = 1;
			n = new_string(L, "?", 1, n->pos);
		} else if (n->kind != NODE_STRING) {
			struct node *k = new_string(L, n->str ? n->str : "", n->str ? n->len : 0, n->pos);
			n = k;
		}
		f->key = n;
		return;
	}
	struct node *key = f->key;
	f->key = NULL;
	/* Duplicate keys: CloudFormation keeps the last; so do we, with a warning. */
	size_t found = 0;
	if (f->index) {
		found = (size_t)(uintptr_t)strmap_get(f->index, key->str);
	} else {
		for (size_t i = 0; i < f->n; i++)
			if (f->pairs[i].key->len == key->len && !memcmp(f->pairs[i].key->str, key->str, key->len)) {
				found = i + 1;
				break;
			}
	}
	if (found) {
		struct node_pair *p = &f->pairs[found - 1];
		diag_warn(L->d, key->pos, "duplicate key '%s' (first at line %d); the last one wins",
			  key->str, p->key->pos.line);
		p->key = key;
		p->value = n;
		return;
	}
	XGROW(f->pairs, f->cap, f->n + 1);
	f->pairs[f->n].key = key;
	f->pairs[f->n].value = n;
	f->n++;
	if (f->index) {
		strmap_put(f->index, key->str, (void *)(uintptr_t)f->n);
	} else if (f->n == 32) {
		f->index = arena_alloc(L->a, sizeof *f->index);
		strmap_init(f->index, L->a);
		for (size_t i = 0; i < f->n; i++)
			strmap_put(f->index, f->pairs[i].key->str, (void *)(uintptr_t)(i + 1));
	}
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

static int push(struct loader *L, enum node_kind k, struct pos pos, const char *anchor,
		const struct short_tag *st)
{
	if (L->depth >= LOAD_MAX_DEPTH) {
		diag_error(L->d, pos, "nesting deeper than %d levels", LOAD_MAX_DEPTH);
		L->failed = 1;
		return -1;
	}
	XGROW(L->stack, L->cap, L->depth + 1);
	struct frame *f = &L->stack[L->depth++];
	memset(f, 0, sizeof *f);
	f->node = new_node(L, k, pos);
	f->anchor = anchor ? xstrdup(anchor) : NULL;
	f->intrinsic = st ? st->name : NULL;
	f->tag_pos = pos;
	return 0;
}

static void frame_release(struct frame *f)
{
	free(f->items);
	free(f->pairs);
	free(f->anchor);
}

static void pop(struct loader *L)
{
	struct frame *f = &L->stack[--L->depth];
	struct node *n = f->node;
	n->n = f->n;
	if (n->kind == NODE_SEQ) {
		n->items = arena_array(L->a, f->n, sizeof *n->items);
		if (f->n)
			memcpy(n->items, f->items, f->n * sizeof *n->items);
	} else {
		if (f->key) { /* key without value cannot happen with libyaml, but be safe */
			f->key = NULL;
		}
		n->pairs = arena_array(L->a, f->n, sizeof *n->pairs);
		if (f->n)
			memcpy(n->pairs, f->pairs, f->n * sizeof *n->pairs);
	}
	size_t expanded = f->expanded + 1;
	struct node *out = n;
	if (f->intrinsic)
		out = wrap_intrinsic(L, f->intrinsic, n, f->tag_pos);
	register_anchor(L, f->anchor, out, expanded);
	frame_release(f);
	attach(L, out, expanded);
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
	struct node *n = new_node(L, NODE_STRING, pos);
	n->str = arena_strndup(L->a, s, len);
	n->len = len;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (tc == 2) {
		n->kind = forced;
		if (forced == NODE_NUMBER)
			n->num = number_value(s, len);
		if (forced == NODE_BOOL)
			n->boolean = bool_text(s, len) == 1;
	} else if (tc == 0 && !n->quoted && ev->data.scalar.plain_implicit) {
		int b;
		if (is_null_text(s, len))
			n->kind = NODE_NULL;
		else if ((b = bool_text(s, len)) >= 0) {
			n->kind = NODE_BOOL;
			n->boolean = b;
		} else if (number_text(s, len)) {
			n->kind = NODE_NUMBER;
			n->num = number_value(s, len);
		}
	}
	struct node *out = n;
	if (st)
		out = wrap_intrinsic(L, st->name, n, pos);
	const char *anchor = (const char *)ev->data.scalar.anchor;
	register_anchor(L, anchor, out, 1);
	attach(L, out, 1);
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
	attach(L, an->node, an->expanded);
}

int load_looks_binary(const char *buf, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	/* UTF-16/32 BOMs are text libyaml can read. */
	if (n >= 2 && ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE))
		return 0;
	return memchr(buf, '\0', n) != NULL;
}

struct node *load_buffer(const char *file, const char *buf, size_t len,
			 struct arena *a, struct diags *d)
{
	struct loader L;
	memset(&L, 0, sizeof L);
	L.file = arena_strdup(a, file);
	L.a = a;
	L.d = d;
	strmap_init(&L.anchors, a);
	struct pos top = {L.file, 1, 1};

	if (load_looks_binary(buf, len)) {
		diag_error(d, top, "binary data, not a YAML or JSON text");
		return NULL;
	}

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		diag_error(d, top, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	int done = 0;
	while (!done && !L.failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			struct pos p = mark_pos(&L, parser.problem_mark);
			if (parser.context)
				diag_error(d, p, "%s %s", parser.context, parser.problem ? parser.problem : "syntax error");
			else
				diag_error(d, p, "%s", parser.problem ? parser.problem : "syntax error");
			L.failed = 1;
			break;
		}
		struct pos pos = mark_pos(&L, ev.start_mark);
		const struct short_tag *st = NULL;
		enum node_kind forced;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			scalar_event(&L, &ev);
			break;
		case YAML_ALIAS_EVENT:
			alias_event(&L, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (classify_tag(&L, (const char *)ev.data.sequence_start.tag, T_SEQ, pos, &st, &forced) >= 0)
				push(&L, NODE_SEQ, pos, (const char *)ev.data.sequence_start.anchor, st);
			break;
		case YAML_MAPPING_START_EVENT:
			if (classify_tag(&L, (const char *)ev.data.mapping_start.tag, T_MAP, pos, &st, &forced) >= 0)
				push(&L, NODE_MAP, pos, (const char *)ev.data.mapping_start.anchor, st);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (L.depth > 0)
				pop(&L);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	while (L.depth > 0)
		frame_release(&L.stack[--L.depth]);
	free(L.stack);
	if (L.failed)
		return NULL;
	/* Drop empty documents ("---" at the end of a file). */
	struct node **pp = &L.root;
	while (*pp) {
		if ((*pp)->kind == NODE_NULL)
			*pp = (*pp)->next_doc;
		else
			pp = &(*pp)->next_doc;
	}
	if (!L.root) {
		diag_error(d, top, "empty file");
		return NULL;
	}
	return L.root;
}

char *load_read_file(const char *path, size_t *len, struct diags *d)
{
	struct pos top = {path, 0, 0};
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_error(d, top, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		diag_error(d, top, "is a directory");
		return NULL;
	}
	size_t cap = 0, n = 0;
	char *buf = NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((unsigned long long)st.st_size > LOAD_MAX_FILE) {
			fclose(f);
			diag_error(d, top, "file is larger than %u MB", LOAD_MAX_FILE / (1024 * 1024));
			return NULL;
		}
		cap = (size_t)st.st_size + 1;
		buf = xmalloc(cap);
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t nc = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, nc, 1);
			cap = nc;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n > LOAD_MAX_FILE) {
			free(buf);
			fclose(f);
			diag_error(d, top, "file is larger than %u MB", LOAD_MAX_FILE / (1024 * 1024));
			return NULL;
		}
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		diag_error(d, top, "read error: %s", strerror(errno));
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct node *load_file(const char *path, struct arena *a, struct diags *d)
{
	size_t len;
	char *buf = load_read_file(path, &len, d);
	if (!buf)
		return NULL;
	struct node *root = load_buffer(path, buf, len, a, d);
	free(buf);
	return root;
}
