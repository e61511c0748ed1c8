/*
 * json.c - strict JSON (RFC 8259) into document trees.
 *
 * Why not libyaml, which reads JSON as YAML flow syntax: it also accepts
 * what JSON forbids (`0x10`, `+1`, `.5`, `'single'`, unquoted keys, trailing
 * commas, comments, NaN, Infinity), and CloudFormation rejects a JSON
 * template holding any of those.  A strict pass in front of libyaml would
 * read every file twice, and libyaml's event API is itself the slow part of
 * loading; this reader builds the same tree (tree.c) in one pass, byte by
 * byte with no per-byte events.  Measured (release build, one thread) on
 * the 835 JSON templates of the sam-translator corpus, the whole scan took
 * 0.29 CPU s with libyaml reading JSON and 0.18 s with this reader and the
 * smaller nodes and values that came with it (the 498 serverless-patterns
 * templates are all YAML and do not come here: 0.61 -> 0.42 CPU s).
 * Positions are line:col in characters, as libyaml gives them for YAML.
 *
 * The grammar is driven by an explicit state and the tree builder's frame
 * stack, not recursion: nesting is bounded by LOAD_MAX_DEPTH.  Strings are
 * checked to be UTF-8 and their escapes decoded (a \u escape must not leave
 * half a surrogate pair); a number keeps its text and gets its value from
 * strtod over exactly that text.
 */
#include "core/arena.h"
#include "core/utf8.h"
#include "load/load.h"
#include "load/number.h"
#include "load/tree.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct jp {
	struct loader *L;
	const char *p, *end;
	int line;
	const char *colp; /* where col was last counted */
	int col;          /* column of colp */
};

static struct pos pos_at(struct jp *j, const char *at)
{
	/* Columns count characters: skip UTF-8 continuation bytes. */
	for (; j->colp < at; j->colp++)
		j->col += ((unsigned char)*j->colp & 0xC0) != 0x80;
	struct pos p = {j->L->file, j->line, j->col};
	return p;
}

static void fail(struct jp *j, const char *at, const char *msg)
{
	if (j->L->failed)
		return;
	diag_error(j->L->d, pos_at(j, at), "JSON: %s", msg);
	j->L->failed = 1;
}

static void skip_ws(struct jp *j)
{
	const char *p = j->p;
	while (p < j->end) {
		char c = *p;
		if (c == '\n') {
			j->line++;
			j->col = 1;
			j->colp = ++p;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			p++;
		} else {
			break;
		}
	}
	j->p = p;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Does a value end at p (white space, a separator or the end)? */
static bool at_delimiter(const struct jp *j, const char *p)
{
	return p == j->end || *p == ',' || *p == ']' || *p == '}' || *p == ' ' || *p == '\t' || *p == '\n' ||
	       *p == '\r';
}

/* Something that is not a JSON value where one must be: say what it looks like. */
static void bad_value(struct jp *j, const char *p)
{
	char c = *p;
	if (c == '\'')
		fail(j, p, "strings must be in double quotes");
	else if (c == '/' || c == '#')
		fail(j, p, "comments are not allowed");
	else if (c == '+')
		fail(j, p, "a number cannot start with '+'");
	else if (c == '.')
		fail(j, p, "a number needs a digit before '.'");
	else if (c == ']' || c == '}')
		fail(j, p, "a comma must be followed by a value (no trailing commas)");
	else if (!strncmp(p, "NaN", (size_t)(j->end - p) < 3 ? (size_t)(j->end - p) : 3) ||
		 !strncmp(p, "Infinity", (size_t)(j->end - p) < 8 ? (size_t)(j->end - p) : 8))
		fail(j, p, "NaN and Infinity are not JSON numbers");
	else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		fail(j, p, "text must be a string in double quotes (true, false and null are lower-case)");
	else
		fail(j, p, "expected a value (string, number, object, array, true, false or null)");
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decode the escapes of raw[0..n), a copy of src[0..n) checked to hold no
 * lone final backslash, in place (decoding never lengthens the text);
 * returns the new length, or -1 after an error placed in src.
 */
static long decode(struct jp *j, const char *src, char *raw, size_t n)
{
	char *out = raw;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (raw[i] != '\\') {
			out[o++] = raw[i++];
			continue;
		}
		const char *e = src + i; /* where it is written */
		char c = raw[i + 1];
		i += 2;
		switch (c) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u': {
			int h = n - i >= 4 ? hex4(raw + i) : -1;
			if (h < 0) {
				fail(j, e, "\\u needs four hexadecimal digits");
				return -1;
			}
			i += 4;
			uint32_t cp = (uint32_t)h;
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				fail(j, e, "\\u escape: a low surrogate without its high half");
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				int lo = n - i >= 6 && raw[i] == '\\' && raw[i + 1] == 'u' ? hex4(raw + i + 2) : -1;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					fail(j, e, "\\u escape: a high surrogate without its low half");
					return -1;
				}
				i += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
			}
			o += put_utf8(out + o, cp);
			break;
		}
		default:
			fail(j, e, "invalid escape (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
			return -1;
		}
	}
	return (long)o;
}

/* A string starting at the quote j->p: its node (NULL after an error). */
static struct node *string_node(struct jp *j)
{
	const char *start = j->p;
	const char *q = start + 1;
	bool escaped = false;
	for (;;) {
		if (q == j->end) {
			fail(j, start, "string without its closing quote");
			return NULL;
		}
		unsigned char c = (unsigned char)*q;
		if (c == '"')
			break;
		if (c == '\\') {
			escaped = true;
			if (q + 1 == j->end) {
				fail(j, start, "string without its closing quote");
				return NULL;
			}
			q += 2;
		} else if (c < 0x20) {
			fail(j, q, c == '\n' ? "string without its closing quote on its line (write a newline as \\n)"
					     : "control character in a string (escape it)");
			return NULL;
		} else if (c < 0x80) {
			q++;
		} else {
			size_t l = utf8_seq_len((const unsigned char *)q, (size_t)(j->end - q));
			if (!l) {
				fail(j, q, "invalid UTF-8 in a string");
				return NULL;
			}
			q += l;
		}
	}
	struct pos pos = pos_at(j, start);
	size_t raw = (size_t)(q - start - 1);
	struct node *n;
	if (!escaped) {
		n = tree_string(j->L, start + 1, raw, pos);
	} else {
		/* Decoded in place: the text never grows when its escapes are decoded. */
		char *buf = arena_strndup(j->L->a, start + 1, raw);
		long len = decode(j, start + 1, buf, raw);
		if (len < 0)
			return NULL;
		buf[len] = '\0';
		n = tree_node(j->L, NODE_STRING, pos);
		n->str = buf;
		n->len = (size_t)len;
	}
	n->quoted = true;
	j->p = q + 1;
	return n;
}

/* Past the digits starting at q; NULL when there is none. */
static const char *digit_run(const struct jp *j, const char *q)
{
	const char *s = q;
	while (q < j->end && is_digit(*q))
		q++;
	return q == s ? NULL : q;
}

/* A number at j->p: RFC 8259's grammar over the whole token. */
static struct node *number_node(struct jp *j)
{
	const char *start = j->p, *q = start;
	if (*q == '-')
		q++;
	if (q == j->end || !is_digit(*q)) {
		if (q < j->end && *q == 'I')
			fail(j, start, "NaN and Infinity are not JSON numbers");
		else
			fail(j, start, "'-' must be followed by a digit");
		return NULL;
	}
	if (*q == '0') {
		q++;
		if (q < j->end && (*q == 'x' || *q == 'X')) {
			fail(j, start, "hexadecimal numbers are not JSON");
			return NULL;
		}
		if (q < j->end && is_digit(*q)) {
			fail(j, start, "a number cannot have leading zeros (JSON has no octal numbers)");
			return NULL;
		}
	} else {
		q = digit_run(j, q);
	}
	if (q < j->end && *q == '.' && !(q = digit_run(j, q + 1))) {
		fail(j, start, "a number needs a digit after '.'");
		return NULL;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < j->end && (*q == '+' || *q == '-'))
			q++;
		if (!(q = digit_run(j, q))) {
			fail(j, start, "a number's exponent needs digits");
			return NULL;
		}
	}
	if (!at_delimiter(j, q)) {
		fail(j, start, "invalid number");
		return NULL;
	}
	struct node *n = tree_string(j->L, start, (size_t)(q - start), pos_at(j, start));
	n->kind = NODE_NUMBER;
	double v = 0;
	enum num_status st = decimal_value(n->str, n->len, &v);
	n->num = v;
	if (st == NUM_RANGE)
		diag_warn(j->L->d, n->pos, "number %.*s%s is too large for a double: read as %s",
			  n->len > 40 ? 40 : (int)n->len, n->str, n->len > 40 ? "..." : "",
			  v < 0 ? "-infinity" : "infinity");
	j->p = q;
	return n;
}

/* true, false or null at j->p. */
static struct node *literal_node(struct jp *j)
{
	static const struct {
		const char *word;
		enum node_kind kind;
		bool value;
	} words[] = {{"true", NODE_BOOL, true}, {"false", NODE_BOOL, false}, {"null", NODE_NULL, false}};
	size_t left = (size_t)(j->end - j->p);
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t wl = strlen(words[i].word);
		if (left < wl || memcmp(j->p, words[i].word, wl) || !at_delimiter(j, j->p + wl))
			continue;
		struct node *n = tree_string(j->L, j->p, wl, pos_at(j, j->p));
		n->kind = words[i].kind;
		n->boolean = words[i].value;
		j->p += wl;
		return n;
	}
	bad_value(j, j->p);
	return NULL;
}

enum state {
	ST_VALUE,       /* a value must come */
	ST_FIRST_VALUE, /* just after '[': a value or ']' */
	ST_KEY,         /* after ',' in an object: a key */
	ST_FIRST_KEY,   /* just after '{': a key or '}' */
	ST_AFTER,       /* after a value: ',' or the closer, or the end */
};

static void close_container(struct jp *j)
{
	struct frame *f = tree_pop(j->L);
	tree_attach(j->L, f->node, f->expanded);
	j->p++;
}

void json_parse(struct loader *L, const char *buf, size_t len)
{
	struct jp j = {L, buf, buf + len, 1, buf, 1};
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { /* a UTF-8 byte order mark is ignored */
		j.p += 3;
		j.colp = j.p;
	}
	if (len >= 2 && ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE)) {
		fail(&j, buf, "JSON text must be UTF-8 (this is UTF-16 or UTF-32)");
		return;
	}
	skip_ws(&j);
	if (j.p == j.end)
		return; /* tree_finish reports the empty file */
	enum state st = ST_VALUE;
	while (!L->failed) {
		skip_ws(&j);
		if (st == ST_AFTER) {
			if (L->depth == 0) {
				if (j.p != j.end)
					fail(&j, j.p, *j.p == '/' || *j.p == '#' ? "comments are not allowed"
										 : "text after the end of the JSON value");
				return;
			}
			bool seq = L->stack[L->depth - 1].node->kind == NODE_SEQ;
			if (j.p == j.end) {
				fail(&j, j.p, seq ? "unexpected end: ']' missing" : "unexpected end: '}' missing");
			} else if (*j.p == ',') {
				j.p++;
				st = seq ? ST_VALUE : ST_KEY;
			} else if (*j.p == (seq ? ']' : '}')) {
				close_container(&j);
			} else if (*j.p == '/' || *j.p == '#') {
				fail(&j, j.p, "comments are not allowed");
			} else {
				fail(&j, j.p, seq ? "expected ',' or ']' after an array item"
						  : "expected ',' or '}' after an object member");
			}
			continue;
		}
		if (j.p == j.end) {
			fail(&j, j.p, "unexpected end of the JSON text");
			return;
		}
		if ((st == ST_FIRST_VALUE && *j.p == ']') || (st == ST_FIRST_KEY && *j.p == '}')) {
			close_container(&j);
			st = ST_AFTER;
			continue;
		}
		if (st == ST_KEY || st == ST_FIRST_KEY) {
			if (*j.p != '"') {
				if (*j.p == '}')
					fail(&j, j.p, "a comma must be followed by a member (no trailing commas)");
				else if (*j.p == '\'')
					fail(&j, j.p, "keys must be strings in double quotes");
				else if (*j.p == '/' || *j.p == '#')
					fail(&j, j.p, "comments are not allowed");
				else
					fail(&j, j.p, "an object key must be a string in double quotes");
				return;
			}
			struct node *k = string_node(&j);
			if (!k)
				return;
			tree_attach(L, k, 1);
			skip_ws(&j);
			if (j.p == j.end || *j.p != ':') {
				fail(&j, j.p, "expected ':' after an object key");
				return;
			}
			j.p++;
			st = ST_VALUE;
			continue;
		}
		struct node *n = NULL;
		char c = *j.p;
		if (c == '{' || c == '[') {
			if (tree_push(L, c == '{' ? NODE_MAP : NODE_SEQ, pos_at(&j, j.p)) != 0)
				return;
			j.p++;
			st = c == '{' ? ST_FIRST_KEY : ST_FIRST_VALUE;
			continue;
		}
		if (c == '"')
			n = string_node(&j);
		else if (c == '-' || is_digit(c))
			n = number_node(&j);
		else if (c == 't' || c == 'f' || c == 'n')
			n = literal_node(&j);
		else
			bad_value(&j, j.p);
		if (!n)
			return;
		tree_attach(L, n, 1);
		st = ST_AFTER;
	}
}
