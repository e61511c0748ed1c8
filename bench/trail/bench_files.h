/*
 * bench_files.h - what gz_bench.c and parse_bench.c share: a clock, dying
 * with a message, checked allocation, and reading a file whole.  Static
 * functions in a header, because each bench is one program built by
 * libs.sh from its own sources.  BENCH_NAME names the program in messages.
 */
#ifndef RAMPART_BENCH_FILES_H
#define RAMPART_BENCH_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench_files.h"
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *arg)
{
	fprintf(stderr, BENCH_NAME ": %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory", NULL);
	return p;
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The whole file, malloc'ed; *len its size.  Dies on any error. */
static unsigned char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open", path);
	if (fseek(f, 0, SEEK_END) != 0)
		die("cannot seek", path);
	long n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("cannot seek", path);
	unsigned char *in = xmalloc((size_t)n);
	if (fread(in, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	*len = (size_t)n;
	return in;
}

#endif
