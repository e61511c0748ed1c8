/*
 * cidr.c - IPv4/IPv6 blocks: strict parsing, containment and union cover
 * (cidr.h).
 *
 * A block is turned into a closed range [first, last] of 128-bit numbers
 * (IPv4 in the low 32 bits), kept as two uint64_t halves so the arithmetic
 * is plain C whatever the compiler offers.
 */
#include "core/cidr.h"

#include "core/xalloc.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct u128 {
	uint64_t hi, lo;
};

struct range {
	struct u128 first, last;
	unsigned char family, prefix;
	size_t index; /* position in the caller's array */
};

static int width(int family)
{
	return family == 4 ? 32 : 128;
}

/* ---- parsing ---- */

/* Clear the bits of a below the prefix; true if any was set. */
static bool clear_host_bits(unsigned char *a, int family, int prefix)
{
	bool any = false;
	for (int i = 0; i < width(family) / 8; i++) {
		int keep = prefix - i * 8; /* bits of this byte inside the prefix */
		unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff00u >> keep);
		if (a[i] & (unsigned char)~mask)
			any = true;
		a[i] &= mask;
	}
	return any;
}

enum cidr_status cidr_parse_addr(const char *s, size_t n, struct cidr *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	if (n == 0 || n >= sizeof buf || memchr(s, '\0', n))
		return CIDR_BAD_ADDRESS;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof *out);
	bool v6 = memchr(buf, ':', n) != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, out->addr) != 1)
		return CIDR_BAD_ADDRESS;
	out->family = v6 ? 6 : 4;
	out->prefix = (unsigned char)width(out->family);
	return CIDR_OK;
}

/* The digits after '/': 1-3 decimal digits, no leading zero but "0" itself. */
static enum cidr_status read_prefix(const char *p, size_t n, int max, int *out)
{
	if (n == 0)
		return CIDR_EMPTY_PREFIX;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return CIDR_BAD_PREFIX;
		if (i == 3)
			return CIDR_PREFIX_RANGE; /* four or more digits: no leading zero, so > 999 */
		v = v * 10 + (p[i] - '0');
	}
	if (n > 1 && p[0] == '0')
		return CIDR_BAD_PREFIX;
	if (v > max)
		return CIDR_PREFIX_RANGE;
	*out = v;
	return CIDR_OK;
}

enum cidr_status cidr_parse(const char *s, size_t n, unsigned flags, struct cidr *out, bool *host_bits)
{
	if (host_bits)
		*host_bits = false;
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	enum cidr_status st = cidr_parse_addr(s, an, out);
	if (st != CIDR_OK)
		return st;
	if ((flags & CIDR_ONLY_V4) && out->family != 4)
		return CIDR_NOT_V4;
	if ((flags & CIDR_ONLY_V6) && out->family != 6)
		return CIDR_NOT_V6;
	if (!slash)
		return flags & CIDR_NEED_PREFIX ? CIDR_NO_PREFIX : CIDR_OK;
	int prefix;
	st = read_prefix(slash + 1, n - an - 1, width(out->family), &prefix);
	if (st != CIDR_OK)
		return st;
	out->prefix = (unsigned char)prefix;
	bool had = clear_host_bits(out->addr, out->family, prefix);
	if (host_bits)
		*host_bits = had;
	return CIDR_OK;
}

const char *cidr_status_text(enum cidr_status st)
{
	switch (st) {
	case CIDR_OK: return "a valid CIDR block";
	case CIDR_BAD_ADDRESS: return "not an IPv4 or IPv6 address";
	case CIDR_NO_PREFIX: return "a CIDR block needs a prefix length (\"/32\" for one address)";
	case CIDR_EMPTY_PREFIX: return "nothing follows the '/'";
	case CIDR_BAD_PREFIX:
		return "the prefix length must be plain decimal digits (no sign, space, leading zero or other text)";
	case CIDR_PREFIX_RANGE: return "the prefix length must be 0-32 for IPv4, 0-128 for IPv6";
	case CIDR_NOT_V4: return "an IPv6 range where an IPv4 range is required";
	case CIDR_NOT_V6: return "an IPv4 range where an IPv6 range is required";
	}
	return "not a CIDR block";
}

struct cidr cidr_all(int family)
{
	struct cidr c;
	memset(&c, 0, sizeof c);
	c.family = family == 6 ? 6 : 4;
	c.prefix = 0;
	return c;
}

char *cidr_format(const struct cidr *c, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(c->family == 6 ? AF_INET6 : AF_INET, c->addr, a, sizeof a))
		snprintf(a, sizeof a, "?");
	snprintf(buf, size, "%s/%u", a, (unsigned)c->prefix);
	return buf;
}

/* ---- ranges ---- */

static int u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* Mask of the low `bits` bits (0-128). */
static struct u128 low_mask(int bits)
{
	struct u128 m = {0, 0};
	if (bits >= 64) {
		m.lo = UINT64_MAX;
		m.hi = bits >= 128 ? UINT64_MAX : (UINT64_C(1) << (bits - 64)) - 1;
	} else if (bits > 0) {
		m.lo = (UINT64_C(1) << bits) - 1;
	}
	return m;
}

static struct range to_range(const struct cidr *c, size_t index)
{
	struct range r;
	memset(&r, 0, sizeof r);
	if (c->family == 4) {
		r.first.lo = (uint64_t)c->addr[0] << 24 | (uint64_t)c->addr[1] << 16 | (uint64_t)c->addr[2] << 8 |
			     c->addr[3];
	} else {
		for (int i = 0; i < 8; i++) {
			r.first.hi = r.first.hi << 8 | c->addr[i];
			r.first.lo = r.first.lo << 8 | c->addr[8 + i];
		}
	}
	int host = width(c->family) - (c->prefix > width(c->family) ? width(c->family) : c->prefix);
	struct u128 m = low_mask(host);
	r.first.hi &= ~m.hi; /* callers' blocks are masked already; a hand-built one may not be */
	r.first.lo &= ~m.lo;
	r.last.hi = r.first.hi | m.hi;
	r.last.lo = r.first.lo | m.lo;
	r.family = c->family;
	r.prefix = c->prefix;
	r.index = index;
	return r;
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	if (outer->family != inner->family || inner->prefix < outer->prefix)
		return false;
	struct range o = to_range(outer, 0), i = to_range(inner, 0);
	return u128_cmp(o.first, i.first) <= 0 && u128_cmp(i.last, o.last) <= 0;
}

/* Family, then first address, then larger blocks first, then the caller's order. */
static int range_cmp(const void *pa, const void *pb)
{
	const struct range *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int c = u128_cmp(a->first, b->first);
	if (c)
		return c;
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The blocks of v as ranges, sorted by range_cmp (caller frees). */
static struct range *sorted_ranges(const struct cidr *v, size_t n)
{
	struct range *r = xreallocarray(NULL, n ? n : 1, sizeof *r);
	for (size_t i = 0; i < n; i++)
		r[i] = to_range(&v[i], i);
	qsort(r, n, sizeof *r, range_cmp);
	return r;
}

bool cidr_union_covers(const struct cidr *v, size_t n, const struct cidr *target)
{
	struct range t = to_range(target, 0);
	struct range *r = sorted_ranges(v, n);
	struct u128 next = t.first; /* the first address of target not covered yet */
	bool covered = false;
	for (size_t i = 0; i < n && !covered; i++) {
		if (r[i].family != t.family || u128_cmp(r[i].last, next) < 0)
			continue; /* other family, or wholly before what is still to cover */
		if (u128_cmp(r[i].first, next) > 0)
			break; /* a gap: next is in no block */
		if (u128_cmp(r[i].last, t.last) >= 0) {
			covered = true;
			break;
		}
		next = r[i].last; /* below t.last, so +1 cannot wrap */
		if (++next.lo == 0)
			next.hi++;
	}
	free(r);
	return covered;
}

void cidr_maximal(const struct cidr *v, size_t n, bool *maximal)
{
	struct range *r = sorted_ranges(v, n);
	const struct range *top = NULL; /* the last maximal block of the family */
	for (size_t i = 0; i < n; i++) {
		if (top && top->family != r[i].family)
			top = NULL;
		/* Nested or disjoint, sorted larger-first: r[i] is inside top iff it starts within it. */
		bool inside = top && u128_cmp(r[i].first, top->last) <= 0 &&
			      !(top->prefix == r[i].prefix && u128_cmp(top->first, r[i].first) == 0);
		maximal[r[i].index] = !inside;
		if (!inside)
			top = &r[i];
	}
	free(r);
}
