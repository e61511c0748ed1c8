/*
 * output.c - writing reports (output.h).
 */
#include "cli/output.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int output_write(const char *path, const char *buf, size_t len)
{
	if (!path || !strcmp(path, "-")) {
		if (len && fwrite(buf, 1, len, stdout) != len) {
			fprintf(stderr, "rampart: writing standard output: %s\n", strerror(errno));
			return -1;
		}
		if (fflush(stdout) != 0) {
			fprintf(stderr, "rampart: writing standard output: %s\n", strerror(errno));
			return -1;
		}
		return 0;
	}
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 16);
	snprintf(tmp, n + 16, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "rampart: cannot write %s: %s\n", path, strerror(errno));
		free(tmp);
		return -1;
	}
	int ok = (len == 0 || fwrite(buf, 1, len, f) == len);
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "rampart: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

bool output_want_color(const char *when, const char *output_path)
{
	if (when && !strcmp(when, "always"))
		return true;
	if (when && !strcmp(when, "never"))
		return false;
	if (output_path && strcmp(output_path, "-"))
		return false;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(STDOUT_FILENO);
}
