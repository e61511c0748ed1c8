/*
 * input.c - opening and reading input files safely (input.h).
 */
#include "core/input.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directories passed through on the way to a long path: search permission
 * is all they need where the system has O_PATH. */
#ifdef O_PATH
#define PASS_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define PASS_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

static bool all_digits(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n > 0 && n <= 9;
}

bool input_names_descriptor(const char *path)
{
	if (!strcmp(path, "/dev/stdin"))
		return true;
	if (!strncmp(path, "/dev/fd/", 8))
		return all_digits(path + 8);
	if (!strncmp(path, "/proc/self/fd/", 14))
		return all_digits(path + 14);
	return false;
}

const char *input_kind_name(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a file";
}

int input_openat_raw(int dirfd, const char *path, int flags)
{
	if (strlen(path) < PATH_MAX)
		return openat(dirfd, path, flags);
	int cur = dirfd;
	const char *p = path;
	char piece[PATH_MAX];
	while (strlen(p) >= PATH_MAX) {
		/* the longest prefix under PATH_MAX that ends before a '/' */
		size_t cut = PATH_MAX - 1;
		while (cut > 0 && p[cut] != '/')
			cut--;
		if (cut == 0) {
			/* one name longer than PATH_MAX: no file system has it */
			if (cur != dirfd)
				close(cur);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(piece, p, cut);
		piece[cut] = '\0';
		int next = openat(cur, piece, PASS_FLAGS);
		int err = errno;
		if (cur != dirfd)
			close(cur);
		if (next < 0) {
			errno = err;
			return -1;
		}
		cur = next;
		p += cut;
		while (*p == '/')
			p++;
	}
	int fd = openat(cur, *p ? p : ".", flags);
	int err = errno;
	if (cur != dirfd)
		close(cur);
	errno = err;
	return fd;
}

int input_openat(int dirfd, const char *path, struct stat *out, char why[INPUT_WHY_MAX])
{
	/* O_NONBLOCK: a FIFO without a writer must not stop the command here;
	 * O_NOCTTY: a terminal handed over never becomes ours. */
	int fd = input_openat_raw(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, INPUT_WHY_MAX, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(why, INPUT_WHY_MAX, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (out)
		*out = st;
	if (S_ISREG(st.st_mode))
		return fd; /* O_NONBLOCK means nothing to a regular file */
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, INPUT_WHY_MAX, "is a directory");
		close(fd);
		return -1;
	}
	if (!input_names_descriptor(path)) {
		snprintf(why, INPUT_WHY_MAX,
			 "not a regular file (%s): not read; give a pipe as - or <(cat FILE)",
			 input_kind_name(st.st_mode));
		close(fd);
		return -1;
	}
	/* a pipe the user handed over: read it as a pipe, waiting for data */
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		snprintf(why, INPUT_WHY_MAX, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

char *input_read(const char *path, size_t max, size_t *len, struct diags *d)
{
	struct pos top = {path, 0, 0};
	char why[INPUT_WHY_MAX];
	struct stat st;
	int fd = input_openat(AT_FDCWD, path, &st, why);
	if (fd < 0) {
		diag_error(d, top, "%s", why);
		return NULL;
	}
	size_t cap = 65536, n = 0;
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((unsigned long long)st.st_size > max)
			goto too_large;
		cap = (size_t)st.st_size + 1;
	}
	/* room for max + 1 bytes at most: one more than max says "too large" */
	size_t limit = max < SIZE_MAX - 2 ? max + 2 : SIZE_MAX;
	if (cap > limit)
		cap = limit;
	char *buf = xmalloc(cap);
	for (;;) {
		/* Full: probe for one more byte before growing, so a file read
		 * at its stat size is not copied into a buffer twice as big. */
		bool full = n + 1 >= cap;
		char c;
		ssize_t r = full ? read(fd, &c, 1) : read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto read_error;
		if (r == 0)
			break;
		if (full) {
			cap = cap < limit / 2 ? cap * 2 : limit;
			buf = xreallocarray(buf, cap, 1);
			buf[n] = c;
		}
		n += (size_t)r;
		if (n > max) {
			free(buf);
			goto too_large;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
read_error:
	diag_error(d, top, "read error: %s", strerror(errno));
	free(buf);
	close(fd);
	return NULL;
too_large:
	close(fd);
	diag_error(d, top, "file is larger than %zu MB", max / (1024 * 1024));
	return NULL;
}
