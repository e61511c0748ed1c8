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
#include "core/xalloc.h"
#include "load/tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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
		if (n + 1 >= cap) {
			/* Full: grow only if there is more, so a file read at its
			 * stat size is not copied into a buffer twice as big. */
			int c = EOF;
			if (cap && (c = fgetc(f)) == EOF)
				break;
			size_t nc = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, nc, 1);
			cap = nc;
			if (c != EOF)
				buf[n++] = (char)c;
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
