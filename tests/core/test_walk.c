/*
 * test_walk.c - the shared directory walker and input opening: a file
 * deeper than PATH_MAX is found and opened; a tree deeper than the
 * descriptor budget is walked whole without holding more descriptors;
 * entries come in byte order; loops, broken links, FIFOs and unreadable
 * directories are errors naming the path while the rest is still walked;
 * a FIFO never blocks an open; a handed-over pipe (/dev/fd/N) is taken.
 */
#include "core/input.h"
#include "core/strbuf.h"
#include "core/walk.h"
#include "core/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What one walk saw, in order. */
struct seen {
	struct strbuf taken;  /* "path\n" per file taken */
	struct strbuf passed; /* "path\n" per file passed over */
	size_t ntaken, npassed;
	char *deep;           /* the longest path taken */
};

static bool want_yaml(void *ctx, const struct walk_entry *f)
{
	(void)ctx;
	const char *dot = strrchr(f->name, '.');
	return dot && !strcmp(dot, ".yaml");
}

static bool enter_unless_skip(void *ctx, const struct walk_entry *d)
{
	(void)ctx;
	return strcmp(d->name, "skip") != 0;
}

static void take(void *ctx, const struct walk_entry *f)
{
	struct seen *s = ctx;
	sb_printf(&s->taken, "%s\n", f->path);
	s->ntaken++;
	if (!s->deep || strlen(f->path) > strlen(s->deep)) {
		free(s->deep);
		s->deep = xstrdup(f->path);
	}
}

static void pass(void *ctx, const struct walk_entry *f)
{
	struct seen *s = ctx;
	sb_printf(&s->passed, "%s\n", f->path);
	s->npassed++;
}

static void seen_free(struct seen *s)
{
	sb_free(&s->taken);
	sb_free(&s->passed);
	free(s->deep);
	memset(s, 0, sizeof *s);
}

static void walk(const char *path, struct seen *s, struct diags *d)
{
	const struct walk_ops ops = {enter_unless_skip, want_yaml, take, pass, s};
	walk_path(path, 0, &ops, d);
}

static char *make_tmp(void)
{
	char *dir = xstrdup("/tmp/rampart-walk-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void rm_tree(const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;
	sb_printf(&cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd.s), 0);
	sb_free(&cmd);
}

static void write_at(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

/* Build `levels` nested directories named `name` under dir; returns an
 * open descriptor of the deepest. */
static int make_deep(const char *dir, const char *name, int levels)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	for (int i = 0; i < levels; i++) {
		assert_int_equal(mkdirat(dfd, name, 0755), 0);
		int next = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		assert_true(next >= 0);
		close(dfd);
		dfd = next;
	}
	return dfd;
}

/* The lowest descriptor number free now: equal before and after a walk
 * when the walk closed all it opened. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	return fd;
}

static void test_file_deeper_than_path_max(void **st)
{
	(void)st;
	char *dir = make_tmp();
	char name[201];
	memset(name, 'd', 200);
	name[200] = '\0';
	int dfd = make_deep(dir, name, 25); /* 25 * 201 bytes: over 5,000 */
	write_at(dfd, "deep.yaml", "Resources: {}\n");
	close(dfd);

	struct seen s = {0};
	struct diags d = {0};
	walk(dir, &s, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(s.ntaken, 1);
	assert_true(strlen(s.deep) > PATH_MAX);
	assert_non_null(strstr(s.deep, "/deep.yaml"));
	/* too long for open(2), opened all the same */
	assert_true(open(s.deep, O_RDONLY) < 0 && errno == ENAMETOOLONG);
	size_t len = 0;
	char *text = input_read(s.deep, 1024, &len, &d);
	assert_non_null(text);
	assert_string_equal(text, "Resources: {}\n");
	free(text);
	assert_int_equal(d.n, 0);
	seen_free(&s);
	rm_tree(dir);
	free(dir);
}

static void test_deeper_than_descriptor_budget(void **st)
{
	(void)st;
	char *dir = make_tmp();
	/* 3 * WALK_OPEN_DIRS levels, a file at the bottom and one beside the
	 * first level, read after the walk comes back up */
	int dfd = make_deep(dir, "n", 3 * WALK_OPEN_DIRS);
	write_at(dfd, "bottom.yaml", "x");
	close(dfd);
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/o.yaml", dir);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	write_at(dfd, "o.yaml", "x");
	int nfd = openat(dfd, "n", O_RDONLY | O_DIRECTORY);
	write_at(nfd, "z.yaml", "x"); /* in level 1, after its subdirectory */
	close(nfd);
	/* the same tree through a link: ".." from its top is not x, so x is
	 * reopened from the root, name by name */
	assert_int_equal(mkdirat(dfd, "x", 0755), 0);
	int xfd = openat(dfd, "x", O_RDONLY | O_DIRECTORY);
	assert_int_equal(symlinkat("../n", xfd, "link"), 0);
	write_at(xfd, "zz.yaml", "x");
	close(xfd);
	close(dfd);

	int before = lowest_free_fd();
	struct seen s = {0};
	struct diags d = {0};
	walk(dir, &s, &d);
	assert_int_equal(lowest_free_fd(), before);
	assert_int_equal(d.n, 0);
	assert_int_equal(s.ntaken, 6);
	/* depth first, names in order */
	assert_non_null(strstr(s.deep, "/x/link/n/n/"));
	assert_non_null(strstr(s.deep, "/bottom.yaml"));
	const char *deep_n = s.taken.s; /* n/n/.../bottom.yaml, first */
	size_t deep_n_len = strcspn(deep_n, "\n");
	struct strbuf want = STRBUF_INIT;
	sb_append(&want, deep_n, deep_n_len);
	sb_printf(&want, "\n%s/n/z.yaml\n%s\n%s\n%s/x/link/z.yaml\n%s/x/zz.yaml\n", dir, p.s,
		  s.deep, dir, dir);
	assert_string_equal(s.taken.s, want.s);
	sb_free(&want);
	sb_free(&p);
	seen_free(&s);
	rm_tree(dir);
	free(dir);
}

static void test_byte_order_and_filter(void **st)
{
	(void)st;
	char *dir = make_tmp();
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	const char *names[] = {"b.yaml", "B.yaml", "a-b.yaml", "\xc3\xa9.yaml", "a.yaml", "notes.txt"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		write_at(dfd, names[i], "x");
	assert_int_equal(mkdirat(dfd, "skip", 0755), 0);
	int sfd = openat(dfd, "skip", O_RDONLY | O_DIRECTORY);
	write_at(sfd, "hidden.yaml", "x");
	close(sfd);
	close(dfd);

	struct seen s = {0};
	struct diags d = {0};
	walk(dir, &s, &d);
	assert_int_equal(d.n, 0);
	struct strbuf want = STRBUF_INIT;
	const char *order[] = {"B.yaml", "a-b.yaml", "a.yaml", "b.yaml", "\xc3\xa9.yaml"};
	for (size_t i = 0; i < 5; i++)
		sb_printf(&want, "%s/%s\n", dir, order[i]);
	assert_string_equal(s.taken.s, want.s);
	assert_int_equal(s.npassed, 1); /* notes.txt; skip/ not entered */
	sb_reset(&want);
	/* a trailing slash on the root does not double in the paths */
	seen_free(&s);
	sb_printf(&want, "%s/", dir);
	walk(want.s, &s, &d);
	sb_reset(&want);
	sb_printf(&want, "%s/B.yaml\n", dir);
	assert_memory_equal(s.taken.s, want.s, want.len);
	sb_free(&want);
	seen_free(&s);
	rm_tree(dir);
	free(dir);
}

/* True when d has an error whose file ends with `suffix` and whose
 * message contains `text`. */
static bool has_error(const struct diags *d, const char *suffix, const char *text)
{
	for (size_t i = 0; i < d->n; i++) {
		size_t fl = strlen(d->v[i].file), sl = strlen(suffix);
		if (d->v[i].level == DIAG_ERROR && fl >= sl && !strcmp(d->v[i].file + fl - sl, suffix) &&
		    strstr(d->v[i].msg, text))
			return true;
	}
	return false;
}

static void test_unreadable_entries_are_errors(void **st)
{
	(void)st;
	char *dir = make_tmp();
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(mkdirat(dfd, "a", 0755), 0);
	int afd = openat(dfd, "a", O_RDONLY | O_DIRECTORY);
	write_at(afd, "t.yaml", "x");
	assert_int_equal(symlinkat("..", afd, "up"), 0);          /* a loop */
	assert_int_equal(symlinkat("nowhere", afd, "gone.yaml"), 0); /* broken */
	assert_int_equal(mkfifoat(afd, "pipe.yaml", 0644), 0);   /* wanted FIFO */
	assert_int_equal(mkfifoat(afd, "pipe.txt", 0644), 0);    /* not wanted */
	close(afd);
	assert_int_equal(symlinkat("a/t.yaml", dfd, "link.yaml"), 0); /* followed */
	assert_int_equal(mkdirat(dfd, "locked", 0755), 0);
	int lfd = openat(dfd, "locked", O_RDONLY | O_DIRECTORY);
	write_at(lfd, "in.yaml", "x");
	close(lfd);
	assert_int_equal(fchmodat(dfd, "locked", 0, 0), 0);
	write_at(dfd, "z.yaml", "x");
	close(dfd);

	struct seen s = {0};
	struct diags d = {0};
	walk(dir, &s, &d);
	assert_true(has_error(&d, "/a/up", "directory loop"));
	assert_true(has_error(&d, "/a/gone.yaml", "broken symbolic link"));
	assert_true(has_error(&d, "/a/pipe.yaml", "not a regular file (a FIFO)"));
	size_t want_errors = 3;
	if (geteuid() != 0) { /* root reads it anyway */
		assert_true(has_error(&d, "/locked", "cannot open directory: Permission denied"));
		want_errors++;
	}
	assert_int_equal(d.n, want_errors);
	/* the rest is still walked */
	assert_non_null(strstr(s.taken.s, "/a/t.yaml\n"));
	assert_non_null(strstr(s.taken.s, "/link.yaml\n"));
	assert_non_null(strstr(s.taken.s, "/z.yaml\n"));
	assert_non_null(strstr(s.passed.s, "/a/pipe.txt\n"));
	diags_free(&d);
	seen_free(&s);
	rm_tree(dir);
	free(dir);
}

static void test_roots(void **st)
{
	(void)st;
	char *dir = make_tmp();
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/fifo", dir);
	assert_int_equal(mkfifo(p.s, 0644), 0);

	struct seen s = {0};
	struct diags d = {0};
	/* a FIFO named: an error, and no open that waits for a writer */
	walk(p.s, &s, &d);
	assert_int_equal(s.ntaken, 0);
	assert_true(has_error(&d, "/fifo", "not a regular file or directory (a FIFO)"));
	char why[INPUT_WHY_MAX];
	assert_int_equal(input_openat(AT_FDCWD, p.s, NULL, why), -1);
	assert_non_null(strstr(why, "not a regular file (a FIFO)"));
	diags_free(&d);

	/* a pipe handed over as /dev/fd/N is taken and read */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "piped", 5), 5);
	close(fds[1]);
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", fds[0]);
	assert_true(input_names_descriptor(fdpath));
	walk(fdpath, &s, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(s.ntaken, 1);
	size_t len = 0;
	char *text = input_read(fdpath, 1024, &len, &d);
	assert_non_null(text);
	assert_string_equal(text, "piped");
	free(text);
	close(fds[0]);

	/* "-" is passed on; a missing path is an error */
	walk("-", &s, &d);
	assert_int_equal(s.ntaken, 2);
	sb_reset(&p);
	sb_printf(&p, "%s/missing", dir);
	walk(p.s, &s, &d);
	assert_true(has_error(&d, "/missing", "cannot read: No such file or directory"));
	assert_false(input_names_descriptor("/dev/fd/"));
	assert_false(input_names_descriptor("/dev/fd/1x"));
	assert_false(input_names_descriptor("/dev/fdx/1"));
	diags_free(&d);
	seen_free(&s);
	sb_free(&p);
	rm_tree(dir);
	free(dir);
}

/* input_read's bound: exactly max bytes read, one more refused, from a
 * regular file and from a pipe. */
static void test_read_bound(void **st)
{
	(void)st;
	char *dir = make_tmp();
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	write_at(dfd, "ten", "0123456789");
	write_at(dfd, "eleven", "0123456789A");
	close(dfd);
	struct strbuf p = STRBUF_INIT;
	struct diags d = {0};
	size_t len = 0;
	sb_printf(&p, "%s/ten", dir);
	char *text = input_read(p.s, 10, &len, &d);
	assert_non_null(text);
	assert_int_equal(len, 10);
	assert_string_equal(text, "0123456789");
	free(text);
	sb_reset(&p);
	sb_printf(&p, "%s/eleven", dir);
	assert_null(input_read(p.s, 10, &len, &d));
	assert_true(has_error(&d, "/eleven", "file is larger than"));
	diags_free(&d);
	for (int extra = 0; extra < 2; extra++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], "0123456789A", 10 + extra), 10 + extra);
		close(fds[1]);
		char fdpath[64];
		snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", fds[0]);
		text = input_read(fdpath, 10, &len, &d);
		if (extra)
			assert_null(text);
		else
			assert_int_equal(len, 10);
		free(text);
		close(fds[0]);
	}
	assert_int_equal(d.n, 1);
	diags_free(&d);
	sb_free(&p);
	rm_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_deeper_than_path_max),
		cmocka_unit_test(test_deeper_than_descriptor_budget),
		cmocka_unit_test(test_byte_order_and_filter),
		cmocka_unit_test(test_unreadable_entries_are_errors),
		cmocka_unit_test(test_roots),
		cmocka_unit_test(test_read_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
