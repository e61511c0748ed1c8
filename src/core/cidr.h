/*
 * cidr.h - IPv4 and IPv6 addresses and CIDR blocks: strict parsing,
 * containment, and whether a union of blocks covers a block.
 *
 * One reader for every place rampart meets an address range: IAM's
 * IpAddress/NotIpAddress values, Sigma's |cidr modifier, and the CidrIp,
 * CidrIpv6, CidrBlock and route destinations of templates.  What is
 * accepted, and why:
 *
 *   address  exactly what inet_pton(3) reads: dotted-quad IPv4 (four
 *            decimal parts, no leading zeros, no hex or octal forms) when
 *            the text has no ':', else IPv6 (hex groups, "::", an embedded
 *            dotted quad; no zone "%eth0").
 *   prefix   "/" then 1-3 decimal digits, 0-32 for IPv4 and 0-128 for IPv6,
 *            with no sign, space, leading zero ("/08") or trailing text:
 *            the same canonical decimal that inet_pton asks of an IPv4 part,
 *            and what the IAM policy grammar and EC2 write.  "/", "/x",
 *            "/+8" and "/33" are errors, never a default.
 *   no "/"   a single address (/32 or /128), where the caller allows it
 *            (IAM conditions and Sigma do; EC2 CidrIp and friends do not:
 *            CIDR_NEED_PREFIX).
 *   host bits set below the prefix ("10.0.0.5/24") are accepted and
 *            cleared: IAM compares only the prefix bits, and EC2 stores a
 *            security group rule's range masked to its network (the rule
 *            admits 10.0.0.0/24; see ansible/ansible#25403 and the note in
 *            aws/aws-cdk#20003 that security groups, unlike WAF IP sets, take
 *            such ranges).  cidr_parse says so through *host_bits.
 *
 * The families are separate address spaces: an IPv4-mapped IPv6 block
 * (::ffff:0:0/96) is an IPv6 block and contains no IPv4 address, as in
 * AWS, where an IPv4 request or packet is matched by IPv4 ranges only.
 *
 * Ranges are compared as 128-bit numbers (two 64-bit halves), so /0 of
 * either family and the last address of the space need no special case.
 */
#ifndef RAMPART_CORE_CIDR_H
#define RAMPART_CORE_CIDR_H

#include <stdbool.h>
#include <stddef.h>

struct cidr {
	unsigned char family;   /* 4 or 6 */
	unsigned char prefix;   /* 0-32 or 0-128 */
	unsigned char addr[16]; /* the network address, host bits clear; IPv4 in addr[0..3] */
};

enum cidr_status {
	CIDR_OK,
	CIDR_BAD_ADDRESS,  /* not an address inet_pton reads */
	CIDR_NO_PREFIX,    /* no "/prefix" where one is required */
	CIDR_EMPTY_PREFIX, /* "/" with nothing after it */
	CIDR_BAD_PREFIX,   /* not plain decimal digits (sign, space, letter, leading zero, trailing text) */
	CIDR_PREFIX_RANGE, /* above 32 for IPv4, 128 for IPv6 */
	CIDR_NOT_V4,       /* an IPv6 range where only IPv4 is allowed */
	CIDR_NOT_V6,       /* an IPv4 range where only IPv6 is allowed */
};

/* cidr_parse flags */
enum {
	CIDR_NEED_PREFIX = 1, /* a bare address is an error (EC2 CidrIp, CidrBlock...) */
	CIDR_ONLY_V4 = 2,
	CIDR_ONLY_V6 = 4,
};

/*
 * Read s[0..n) as a block (or, without CIDR_NEED_PREFIX, a bare address).
 * On CIDR_OK *out holds the block with its host bits cleared, and
 * *host_bits (if not NULL) says whether any were set.  *out is unspecified
 * on error.
 */
enum cidr_status cidr_parse(const char *s, size_t n, unsigned flags, struct cidr *out, bool *host_bits);

/* Read s[0..n) as one address (no prefix): a /32 or /128 block. */
enum cidr_status cidr_parse_addr(const char *s, size_t n, struct cidr *out);

/* What is wrong, as a phrase for a message ("the prefix must be 0-32 for IPv4, 0-128 for IPv6"). */
const char *cidr_status_text(enum cidr_status st);

/* The whole address space of a family: 0.0.0.0/0 (family 4) or ::/0 (6). */
struct cidr cidr_all(int family);

/* Is inner (an address is a /32 or /128 block) inside outer?  False across families. */
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);

/*
 * Do the blocks v[0..n) together cover every address of target?  Blocks of
 * the other family are ignored.  Sorts a copy of the ranges and merges them,
 * so order, duplicates, overlaps and adjacency ("0.0.0.0/1" then
 * "128.0.0.0/1") are all handled.
 */
bool cidr_union_covers(const struct cidr *v, size_t n, const struct cidr *target);

/*
 * maximal[i] = is v[i] inside no strictly larger block of v (of its family)?
 * Blocks are nested or disjoint, so the maximal ones are disjoint and their
 * union is the union of all: the smallest set of blocks to name when saying
 * what a union covers.  Equal blocks are all maximal.
 */
void cidr_maximal(const struct cidr *v, size_t n, bool *maximal);

/* "10.0.0.0/8", "2001:db8::/32" into buf (at least 50 bytes); returns buf. */
char *cidr_format(const struct cidr *c, char *buf, size_t size);

#endif
