/*
 * severity.c - names, parsing and report mappings of the severity scale.
 */
#include "core/severity.h"

#include <stddef.h>
#include <strings.h>

static const struct {
	const char *name, *sarif_level, *score;
} sev_table[SEV_COUNT] = {
    [SEV_INFO] = {"info", "note", "0.0"},
    [SEV_LOW] = {"low", "note", "2.0"},
    [SEV_MEDIUM] = {"medium", "warning", "5.5"},
    [SEV_HIGH] = {"high", "error", "8.0"},
    [SEV_CRITICAL] = {"critical", "error", "9.5"},
};

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_table[s].name : "?";
}

int severity_parse(const char *s, enum severity *out)
{
	if (!s)
		return -1;
	if (!strcasecmp(s, "informational")) {
		*out = SEV_INFO;
		return 0;
	}
	for (size_t i = 0; i < SEV_COUNT; i++)
		if (!strcasecmp(s, sev_table[i].name)) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

const char *severity_sarif_level(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_table[s].sarif_level : "note";
}

const char *severity_security_score(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_table[s].score : "0.0";
}
