/*
 * condval.h - reading the typed values of IAM conditions: numbers, dates
 * (ISO 8601 or epoch seconds, E38) and IP addresses / CIDR blocks (E40).
 * The policy parser compiles policy values with these once; the evaluator
 * reads request values with the same functions, so both sides agree.
 */
#ifndef RAMPART_IAM_CONDVAL_H
#define RAMPART_IAM_CONDVAL_H

#include <stdbool.h>

/* A whole string as a decimal number (strtod syntax). */
bool iam_parse_number(const char *s, double *out);

/* A date: a number (epoch seconds) or ISO 8601 (date, or date and time with
 * optional fraction and Z or +hh:mm offset), as seconds since the epoch. */
bool iam_parse_date(const char *s, double *out);

/* A CIDR block ("10.0.0.0/8", "2001:db8::/32"; a bare address is /32 or
 * /128): its family (4 or 6), address bytes and prefix length. */
bool iam_parse_cidr(const char *s, unsigned char *family, unsigned char addr[16], short *prefix);

/* An address (no prefix): its family (4 or 6) and bytes. */
bool iam_parse_ip(const char *s, unsigned char *family, unsigned char addr[16]);

/* Is addr (of the same family) inside the block? */
bool iam_ip_in_block(const unsigned char addr[16], const unsigned char net[16], int prefix);

#endif
