/*
 * walk.c - the directory walker (walk.h).
 *
 * Iterative, so a deep tree costs heap, not stack: one level per directory
 * on the current path, each holding its sorted entry names and (while
 * WALK_OPEN_DIRS allows) its descriptor.  Entries are classified by the
 * d_type readdir gives where the file system fills it (a stat per file
 * saved), by fstatat otherwise and for symbolic links.
 */
#include "core/walk.h"
#include "core/input.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)

struct name {
	char *s;
	unsigned char type; /* d_type */
};

/* A directory on the current path. */
struct level {
	int fd;           /* -1 while closed to spare descriptors (never level 0) */
	dev_t dev;
	ino_t ino;
	size_t name_off;  /* where its name starts in the path */
	size_t path_len;  /* bytes of the path that name it */
	struct name *names;
	size_t n, next;
};

struct walker {
	const struct walk_ops *ops;
	struct diags *d;
	size_t root;
	struct strbuf path; /* the entry being looked at */
	struct level *lv;
	size_t depth, cap;  /* levels in lv */
	size_t open;        /* descriptors held */
};

static void fail(struct walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An error about the entry or directory the path names now. */
static void fail(struct walker *w, const char *fmt, ...)
{
	struct pos p = {w->path.s, 0, 0};
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(w->d, DIAG_ERROR, p, fmt, ap);
	va_end(ap);
}

static void set_path_len(struct walker *w, size_t len)
{
	w->path.len = len;
	w->path.s[len] = '\0';
}

static int name_cmp(const void *a, const void *b)
{
	/* strcmp orders by unsigned bytes: the same on every system */
	return strcmp(((const struct name *)a)->s, ((const struct name *)b)->s);
}

/* Read and sort the names of the directory on top of the stack. */
static void read_names(struct walker *w, struct level *L)
{
	int fd = fcntl(L->fd, F_DUPFD_CLOEXEC, 0);
	DIR *dh = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dh) {
		fail(w, "cannot read directory: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t cap = 0;
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(dh);
		if (!e) {
			/* what was read is still walked; the rest is reported */
			if (errno)
				fail(w, "cannot read directory: %s", strerror(errno));
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		XGROW(L->names, cap, L->n + 1);
		L->names[L->n].s = xstrdup(e->d_name);
		L->names[L->n].type = e->d_type;
		L->n++;
	}
	closedir(dh);
	if (L->n > 1)
		qsort(L->names, L->n, sizeof *L->names, name_cmp);
}

static void push(struct walker *w, int fd, const struct stat *st, size_t name_off)
{
	XGROW(w->lv, w->cap, w->depth + 1);
	struct level *L = &w->lv[w->depth++];
	memset(L, 0, sizeof *L);
	L->fd = fd;
	L->dev = st->st_dev;
	L->ino = st->st_ino;
	L->name_off = name_off;
	L->path_len = w->path.len;
	w->open++;
	/* over budget: close the shallowest held (not the root, not this one);
	 * it is reopened when the walk comes back to it */
	for (size_t k = 1; w->open > WALK_OPEN_DIRS && k + 1 < w->depth; k++) {
		if (w->lv[k].fd >= 0) {
			close(w->lv[k].fd);
			w->lv[k].fd = -1;
			w->open--;
		}
	}
	read_names(w, L);
}

static bool same_dir(int fd, const struct level *L)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_dev == L->dev && st.st_ino == L->ino;
}

/* Reopen level `k` (closed) from the nearest open level above it, name by
 * name, each checked to be the directory it was. */
static int reopen_chain(struct walker *w, size_t k)
{
	size_t j = k;
	while (j > 0 && w->lv[j - 1].fd < 0)
		j--;
	int cur = w->lv[j - 1].fd; /* level 0 is never closed */
	struct strbuf nm = STRBUF_INIT;
	for (size_t i = j; i <= k; i++) {
		const struct level *L = &w->lv[i];
		sb_reset(&nm);
		sb_append(&nm, w->path.s + L->name_off, L->path_len - L->name_off);
		int next = openat(cur, nm.s, DIR_FLAGS);
		int err = errno;
		if (next >= 0 && !same_dir(next, L)) {
			close(next);
			next = -1;
			err = ESTALE;
		}
		if (cur != w->lv[j - 1].fd)
			close(cur);
		if (next < 0) {
			sb_free(&nm);
			errno = err;
			return -1;
		}
		cur = next;
	}
	sb_free(&nm);
	return cur;
}

/* Leave the top level; make sure the one below it is open again. */
static void pop(struct walker *w)
{
	struct level *L = &w->lv[w->depth - 1];
	for (size_t i = 0; i < L->n; i++)
		free(L->names[i].s);
	free(L->names);
	if (w->depth >= 2 && w->lv[w->depth - 2].fd < 0) {
		struct level *P = &w->lv[w->depth - 2];
		/* ".." is the parent unless a symbolic link led here */
		int fd = openat(L->fd, "..", DIR_FLAGS);
		if (fd >= 0 && !same_dir(fd, P)) {
			close(fd);
			fd = -1;
		}
		if (fd < 0)
			fd = reopen_chain(w, w->depth - 2);
		if (fd >= 0) {
			P->fd = fd;
			w->open++;
		} else {
			set_path_len(w, P->path_len);
			fail(w, "cannot return to the directory: %s; its remaining entries are not read",
			     errno == ESTALE ? "it changed while being walked" : strerror(errno));
			P->next = P->n;
		}
	}
	if (L->fd >= 0) {
		close(L->fd);
		w->open--;
	}
	w->depth--;
}

/* Is the directory (st) one on the current path?  Returns its level + 1. */
static size_t on_path(const struct walker *w, const struct stat *st)
{
	for (size_t k = 0; k < w->depth; k++)
		if (w->lv[k].dev == st->st_dev && w->lv[k].ino == st->st_ino)
			return k + 1;
	return 0;
}

static void enter_dir(struct walker *w, struct level *L, const char *name, size_t name_off,
		      const struct stat *seen)
{
	int fd = openat(L->fd, name, DIR_FLAGS);
	struct stat st;
	if (fd < 0) {
		fail(w, "cannot open directory: %s", strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0) {
		fail(w, "cannot read directory: %s", strerror(errno));
		close(fd);
		return;
	}
	if (seen && (seen->st_dev != st.st_dev || seen->st_ino != st.st_ino)) {
		fail(w, "changed while being walked: not read");
		close(fd);
		return;
	}
	size_t k = on_path(w, &st);
	if (k) {
		char *anc = xstrndup(w->path.s, w->lv[k - 1].path_len);
		struct strbuf shown = STRBUF_INIT;
		diag_append_path(&shown, anc);
		fail(w, "directory loop: the same directory as %s, which contains it; not walked again",
		     shown.s);
		free(anc);
		sb_free(&shown);
		close(fd);
		return;
	}
	push(w, fd, &st, name_off);
}

/* Look at the next entry of the top level. */
static void step(struct walker *w)
{
	struct level *L = &w->lv[w->depth - 1];
	const struct name *nm = &L->names[L->next++];
	set_path_len(w, L->path_len);
	if (!w->path.len || w->path.s[w->path.len - 1] != '/')
		sb_putc(&w->path, '/');
	size_t name_off = w->path.len;
	sb_puts(&w->path, nm->s);

	struct stat st;
	const struct stat *seen = NULL;
	mode_t mode = DTTOIF(nm->type);
	if (nm->type == DT_UNKNOWN || nm->type == DT_LNK) {
		if (fstatat(L->fd, nm->s, &st, 0) != 0) {
			int err = errno;
			struct stat lst;
			bool link = fstatat(L->fd, nm->s, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(lst.st_mode);
			if (link && err == ENOENT)
				fail(w, "broken symbolic link: its target does not exist");
			else if (err == ENOENT)
				fail(w, "vanished while being walked");
			else
				fail(w, "cannot read: %s", strerror(err));
			return;
		}
		seen = &st;
		mode = st.st_mode;
	}
	struct walk_entry e = {w->path.s, w->path.s + name_off, w->depth, w->root,
			       S_ISREG(mode) ? WALK_FILE : S_ISDIR(mode) ? WALK_DIR : WALK_OTHER};
	const struct walk_ops *ops = w->ops;
	if (e.kind == WALK_DIR) {
		if (!ops->enter || ops->enter(ops->ctx, &e))
			enter_dir(w, L, nm->s, name_off, seen);
		return;
	}
	if (ops->want && !ops->want(ops->ctx, &e)) {
		if (ops->pass)
			ops->pass(ops->ctx, &e);
	} else if (e.kind == WALK_FILE) {
		ops->take(ops->ctx, &e);
	} else {
		fail(w, "not a regular file (%s): not read", input_kind_name(mode));
	}
}

static void walk_dir(struct walker *w, const char *given)
{
	const struct walk_ops *ops = w->ops;
	struct walk_entry e = {w->path.s, w->path.s, 0, w->root, WALK_DIR};
	if (ops->enter && !ops->enter(ops->ctx, &e))
		return;
	struct stat st;
	int fd = input_openat_raw(AT_FDCWD, w->path.s, DIR_FLAGS);
	if (fd < 0 || fstat(fd, &st) != 0) {
		struct pos p = {given, 0, 0};
		diag_error(w->d, p, "cannot open directory: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	push(w, fd, &st, 0);
	while (w->depth) {
		struct level *L = &w->lv[w->depth - 1];
		if (L->next < L->n)
			step(w);
		else
			pop(w);
	}
}

void walk_path(const char *path, size_t root, const struct walk_ops *ops, struct diags *d)
{
	struct walk_entry e = {path, path, 0, root, WALK_FILE};
	struct pos p = {path, 0, 0};
	struct stat st;
	if (!strcmp(path, "-")) {
		ops->take(ops->ctx, &e);
		return;
	}
	if (stat(path, &st) != 0) {
		diag_error(d, p, "cannot read: %s", strerror(errno));
		return;
	}
	if (S_ISREG(st.st_mode)) {
		ops->take(ops->ctx, &e);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (input_names_descriptor(path)) {
			e.kind = WALK_OTHER; /* a pipe handed over: the user means it */
			ops->take(ops->ctx, &e);
		} else
			diag_error(d, p, "not a regular file or directory (%s): not read; give a pipe as - or <(cat FILE)",
				   input_kind_name(st.st_mode));
		return;
	}
	struct walker w = {.ops = ops, .d = d, .root = root};
	sb_puts(&w.path, path);
	while (w.path.len > 1 && w.path.s[w.path.len - 1] == '/')
		set_path_len(&w, w.path.len - 1);
	walk_dir(&w, path);
	free(w.lv);
	sb_free(&w.path);
}
