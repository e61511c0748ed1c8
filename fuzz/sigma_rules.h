/*
 * sigma_rules.h - for the fuzz targets that run the bundled SigmaHQ rules
 * (fuzz_trail.c, fuzz_trail_detect.c): load them once, at start-up.
 *
 * The rules come from $RAMPART_SIGMA_DIR, else data/sigma/cloudtrail under
 * the current directory, else under the directory two levels above the
 * executable (build/fuzz/, or the replay test's build/fuzz-replay.*), so
 * a target runs from anywhere.  Not finding them is a set-up failure, not
 * a finding: the process exits, so libFuzzer writes no crash file.
 */
#ifndef RAMPART_FUZZ_SIGMA_RULES_H
#define RAMPART_FUZZ_SIGMA_RULES_H

#include "trail/sigma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_RULES_DIR "data/sigma/cloudtrail"

/* The rules' directory (see above); NULL when none is found. */
static const char *fuzz_rules_dir(char *buf, size_t size)
{
	const char *env = getenv("RAMPART_SIGMA_DIR");
	if (env && *env)
		return env;
	struct stat st;
	if (stat(FUZZ_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return FUZZ_RULES_DIR;
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return NULL;
	buf[n] = '\0';
	for (int up = 0; up < 3; up++) { /* the file name, then two directories */
		char *slash = strrchr(buf, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	size_t len = strlen(buf);
	if (len + sizeof "/" FUZZ_RULES_DIR > size)
		return NULL;
	memcpy(buf + len, "/" FUZZ_RULES_DIR, sizeof "/" FUZZ_RULES_DIR);
	return buf;
}

/* Load and index the bundled rules into s, or exit. */
static void fuzz_load_rules(struct sigma_set *s, const char *target)
{
	char buf[4096];
	const char *dir = fuzz_rules_dir(buf, sizeof buf);
	sigma_set_init(s);
	if (!dir || sigma_load_dir(s, dir) == 0) {
		fprintf(stderr, "%s: no Sigma rule loaded from %s (set RAMPART_SIGMA_DIR)\n", target,
			dir ? dir : FUZZ_RULES_DIR);
		exit(1);
	}
	sigma_set_index(s);
}

#endif
