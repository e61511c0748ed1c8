/*
 * condval.h - reading the typed values of IAM conditions: numbers and dates
 * (ISO 8601 or epoch seconds, E38).  IP addresses and CIDR blocks (E40) are
 * read by core/cidr.h: a bare address or a block, host bits ignored, a
 * malformed prefix an error (never /0).  The policy parser compiles policy
 * values once; the evaluator reads request values with the same functions,
 * so both sides agree.
 */
#ifndef RAMPART_IAM_CONDVAL_H
#define RAMPART_IAM_CONDVAL_H

#include <stdbool.h>

struct iam_condition;

/* A whole string as a decimal number (strtod syntax). */
bool iam_parse_number(const char *s, double *out);

/* A date: a number (epoch seconds) or ISO 8601 (date, or date and time with
 * optional fraction and Z or +hh:mm offset), as seconds since the epoch. */
bool iam_parse_date(const char *s, double *out);

/*
 * Do an IpAddress condition's blocks together hold every address of IPv4 or
 * of IPv6 ("0.0.0.0/0", or "0.0.0.0/1" and "128.0.0.0/1", by arithmetic)?
 * Then it lets the whole internet in and says nothing about the caller.
 * Blocks that did not read (a load error) hold nothing.
 */
bool iam_ip_values_whole_family(const struct iam_condition *c);

#endif
