/*
 * readback.c - see readback.h.
 */
#include "readback.h"

#include "core/strbuf.h"
#include "load/node.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

char *test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_append(&sb, buf, n);
	fclose(f);
	sb_append(&sb, "", 0); /* an empty file is "" too */
	return sb_detach(&sb);
}

bool test_seq_has(const struct node *seq, const char *s)
{
	for (size_t i = 0; seq && i < seq->n; i++) {
		const char *v = node_str(seq->items[i]);
		if (v && !strcmp(v, s))
			return true;
	}
	return false;
}
