/*
 * fuzz_authz.c - libFuzzer target: the reader of `aws iam
 * get-account-authorization-details` output (authz_load): roles, users,
 * groups, managed policies and their default versions, permissions
 * boundaries, URL-encoded policy documents, several pages of one account,
 * and NAME=FILE single documents.
 *
 * The input's first byte chooses how the last piece is given (bit 0: as
 * NAME=FILE, bit 1: with an ARN for NAME rather than a bare name); the rest
 * is split at NUL bytes into up to PIECES files.  authz_load reads paths,
 * so each piece is written to a memory file (memfd, made once) and named
 * by its /proc/self/fd path.
 *
 * Checked: every principal has a name and a file, a role or user read from
 * a file has its ARN, and no policy pointer is NULL.
 */
#include "core/diag.h"
#include "iam/authz_details.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIECES 3

static int fds[PIECES];
static char paths[PIECES][64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (int i = 0; i < PIECES; i++) {
		fds[i] = memfd_create("rampart-fuzz-authz", MFD_CLOEXEC);
		if (fds[i] < 0) {
			perror("fuzz_authz: memfd_create");
			exit(1);
		}
		snprintf(paths[i], sizeof paths[i], "/proc/self/fd/%d", fds[i]);
	}
	return 0;
}

static bool put(int fd, const uint8_t *p, size_t n)
{
	if (ftruncate(fd, 0) != 0)
		return false;
	size_t done = 0;
	while (done < n) {
		ssize_t k = pwrite(fd, p + done, n - done, (off_t)done);
		if (k <= 0)
			return false;
		done += (size_t)k;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned flags = data[0];
	const uint8_t *p = data + 1, *end = data + size;
	char named[PIECES][128];
	char *args[PIECES];
	size_t n = 0;
	while (n < PIECES) {
		const uint8_t *nul = n + 1 < PIECES ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		const uint8_t *stop = nul ? nul : end;
		if (!put(fds[n], p, (size_t)(stop - p))) {
			perror("fuzz_authz: write");
			exit(1);
		}
		args[n] = paths[n];
		n++;
		if (!nul)
			break;
		p = nul + 1;
	}
	if (flags & 1) {
		const char *who = flags & 2 ? "arn:aws:iam::111122223333:role/Named" : "Named";
		snprintf(named[n - 1], sizeof named[n - 1], "%s=%s", who, paths[n - 1]);
		args[n - 1] = named[n - 1];
	}
	struct authz_set s = {0};
	authz_load(args, n, &s);
	for (size_t i = 0; i < s.n; i++) {
		const struct authz_principal *pr = &s.v[i];
		if (!pr->name || !pr->file || (pr->kind != AUTHZ_ANY && !pr->arn))
			abort();
		for (size_t k = 0; k < pr->npolicies; k++)
			if (!pr->policies[k])
				abort();
	}
	authz_free(&s);
	return 0;
}
