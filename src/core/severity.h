/*
 * severity.h - the one severity scale of rampart: template checks, their
 * findings and CloudTrail detections all use it, and every report maps it
 * the same way (names, SARIF levels, GitHub security-severity scores).
 */
#ifndef RAMPART_CORE_SEVERITY_H
#define RAMPART_CORE_SEVERITY_H

/* Ordered: a higher value is more severe (--fail-on compares them). */
enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
#define SEV_COUNT 5

/* "info", "low", "medium", "high", "critical"; "?" when out of range. */
const char *severity_name(enum severity s);
/* A name above, or Sigma's "informational", in any case: 0 and *out set;
 * -1 (and *out untouched) for anything else. */
int severity_parse(const char *s, enum severity *out);
/* SARIF result level: critical and high "error", medium "warning", else "note". */
const char *severity_sarif_level(enum severity s);
/* GitHub code scanning's security-severity score, inside its bands
 * (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9): "9.5",
 * "8.0", "5.5", "2.0"; "0.0" for info. */
const char *severity_security_score(enum severity s);

#endif
