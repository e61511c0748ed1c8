/*
 * load.c - reading files and choosing the parser: JSON text goes to the
 * strict JSON reader (json.c), everything else to libyaml (yaml.c); both
 * build the same document tree (tree.c).
 *
 * A file is JSON when its name ends in .json or its first byte other than
 * white space (after a UTF-8 byte order mark) is '{'.  Such a file must be
 * JSON as RFC 8259 defines it: CloudFormation reads a JSON template with a
 * JSON parser, so `0x10`, `'a'`, trailing commas and comments, which YAML's
 * flow syntax would let through, are errors here too.
 */
#include "load/load.h"
#include "core/arena.h"
#include "core/input.h"
#include "core/xalloc.h"
#include "load/tree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int load_looks_binary(const char *buf, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	/* UTF-16/32 BOMs are text libyaml can read. */
	if (n >= 2 && ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE))
		return 0;
	return memchr(buf, '\0', n) != NULL;
}

bool load_is_json(const char *file, const char *buf, size_t len)
{
	size_t fl = file ? strlen(file) : 0;
	if (fl >= 5 && strcasecmp(file + fl - 5, ".json") == 0)
		return true;
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i < len && buf[i] == '{';
}

static struct node *load_limited(const char *file, const char *buf, size_t len, size_t max_nodes,
				 struct arena *a, struct diags *d)
{
	struct loader L;
	tree_init(&L, file, max_nodes, a, d);
	struct pos top = {L.file, 1, 1};
	if (load_looks_binary(buf, len)) {
		diag_error(d, top, "binary data, not a YAML or JSON text");
		return NULL;
	}
	if (load_is_json(file, buf, len))
		json_parse(&L, buf, len);
	else
		yaml_parse(&L, buf, len);
	return tree_finish(&L, top);
}

struct node *load_buffer(const char *file, const char *buf, size_t len, struct arena *a, struct diags *d)
{
	return load_limited(file, buf, len, 0, a, d);
}

struct node *load_template_buffer(const char *file, const char *buf, size_t len, struct arena *a,
				  struct diags *d)
{
	return load_limited(file, buf, len, LOAD_MAX_TEMPLATE_NODES, a, d);
}

char *load_read_file(const char *path, size_t *len, struct diags *d)
{
	/* any length of path, never blocking on a FIFO (core/input.h) */
	return input_read(path, LOAD_MAX_FILE, len, d);
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
