/*
 * ascii.h - ASCII character helpers shared by the hand-written parsers
 * (the CloudTrail JSON parser's \u escapes, URL-decoding of IAM policy
 * documents), independent of the C locale.
 */
#ifndef RAMPART_CORE_ASCII_H
#define RAMPART_CORE_ASCII_H

/* The value 0-15 of hexadecimal digit c, or -1. */
static inline int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
