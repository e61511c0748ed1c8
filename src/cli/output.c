/*
 * output.c - writing reports (output.h).
 */
#include "cli/output.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A failed write to stdout was reported already: output_finish need not say it again. */
static bool stdout_failure_reported;

static bool is_stdout(const char *path)
{
	return !path || !strcmp(path, "-");
}

void output_write_failed(const char *path)
{
	int err = errno;
	if (is_stdout(path))
		stdout_failure_reported = true;
	fprintf(stderr, "rampart: cannot write %s: %s\n", is_stdout(path) ? "standard output" : path,
		err ? strerror(err) : "write error");
}

/* All of buf to f, then flushed; false on any error (errno says why). */
static bool write_all(FILE *f, const char *buf, size_t len)
{
	errno = 0;
	if (len && fwrite(buf, 1, len, f) != len)
		return false;
	return fflush(f) == 0 && !ferror(f);
}

/* Create or truncate file and write buf to it; false on any error (errno says why). */
static bool write_file(const char *file, const char *buf, size_t len)
{
	FILE *f = fopen(file, "wb");
	if (!f)
		return false;
	bool ok = write_all(f, buf, len);
	int err = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		err = errno;
	}
	errno = err;
	return ok;
}

int output_write(const char *path, const char *buf, size_t len)
{
	if (is_stdout(path)) {
		if (!write_all(stdout, buf, len)) {
			output_write_failed(NULL);
			return -1;
		}
		return 0;
	}
	/* a device, a FIFO, or whatever a symbolic link names: written in place */
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (write_file(path, buf, len))
			return 0;
		output_write_failed(path);
		return -1;
	}
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 32);
	snprintf(tmp, n + 32, "%s.tmp%ld", path, (long)getpid());
	bool ok = write_file(tmp, buf, len) && rename(tmp, path) == 0;
	if (!ok) {
		int err = errno;
		unlink(tmp);
		errno = err;
		output_write_failed(path);
	}
	free(tmp);
	return ok ? 0 : -1;
}

int output_finish(int rc)
{
	bool lost = ferror(stdout) != 0;
	errno = 0;
	if (fclose(stdout) != 0)
		lost = true;
	if (!lost)
		return rc;
	if (!stdout_failure_reported)
		output_write_failed(NULL);
	return 2;
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
