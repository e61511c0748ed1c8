/*
 * test_cidr.c - addresses and CIDR blocks: what the strict parser accepts
 * and refuses (every malformed prefix the old atoi read as /0), host bits,
 * containment across sizes and families, and union cover by arithmetic
 * (halves of /0, adjacency, overlaps, gaps at either end, IPv6).
 */
#include "core/cidr.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static enum cidr_status parse(const char *s, unsigned flags, struct cidr *out)
{
	return cidr_parse(s, strlen(s), flags, out, NULL);
}

static struct cidr block(const char *s)
{
	struct cidr c;
	bool host;
	enum cidr_status st = cidr_parse(s, strlen(s), 0, &c, &host);
	if (st != CIDR_OK)
		fail_msg("'%s' did not parse: %s", s, cidr_status_text(st));
	return c;
}

static const char *fmt(const struct cidr *c)
{
	static char buf[64];
	return cidr_format(c, buf, sizeof buf);
}

static void test_accepts(void **state)
{
	(void)state;
	struct cidr c;
	assert_int_equal(parse("10.0.0.0/8", 0, &c), CIDR_OK);
	assert_int_equal(c.family, 4);
	assert_int_equal(c.prefix, 8);
	assert_string_equal(fmt(&c), "10.0.0.0/8");
	assert_int_equal(parse("0.0.0.0/0", 0, &c), CIDR_OK);
	assert_int_equal(c.prefix, 0);
	assert_int_equal(parse("203.0.113.7/32", 0, &c), CIDR_OK);
	assert_int_equal(c.prefix, 32);
	/* a bare address is a /32 or /128 unless a prefix is required */
	assert_int_equal(parse("203.0.113.7", 0, &c), CIDR_OK);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(parse("2001:DB8::1", 0, &c), CIDR_OK);
	assert_int_equal(c.family, 6);
	assert_int_equal(c.prefix, 128);
	assert_string_equal(fmt(&c), "2001:db8::1/128");
	assert_int_equal(parse("::/0", 0, &c), CIDR_OK);
	assert_int_equal(parse("8000::/1", 0, &c), CIDR_OK);
	assert_int_equal(parse("2001:db8::/128", 0, &c), CIDR_OK);
	assert_int_equal(parse("::ffff:10.0.0.0/104", 0, &c), CIDR_OK);
	assert_int_equal(c.family, 6);
	/* text is measured by length, not by a NUL */
	assert_int_equal(cidr_parse("10.0.0.0/8 and more", 10, 0, &c, NULL), CIDR_OK);
	assert_int_equal(c.prefix, 8);
}

static void test_refuses(void **state)
{
	(void)state;
	struct cidr c;
	/* prefixes atoi read as 0 or as a number */
	assert_int_equal(parse("10.0.0.0/x", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/", 0, &c), CIDR_EMPTY_PREFIX);
	assert_int_equal(parse("10.0.0.0/33", 0, &c), CIDR_PREFIX_RANGE);
	assert_int_equal(parse("2001:db8::/129", 0, &c), CIDR_PREFIX_RANGE);
	assert_int_equal(parse("10.0.0.0/+8", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/-0", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/08", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/00", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/ 8", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/8 ", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/8x", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/8/8", 0, &c), CIDR_BAD_PREFIX);
	assert_int_equal(parse("10.0.0.0/1000", 0, &c), CIDR_PREFIX_RANGE);
	assert_int_equal(parse("10.0.0.0/99999999999999999999", 0, &c), CIDR_PREFIX_RANGE);
	assert_int_equal(cidr_parse("10.0.0.0/8\0", 11, 0, &c, NULL), CIDR_BAD_PREFIX);
	/* addresses inet_pton refuses */
	assert_int_equal(parse("010.0.0.0/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("10.0.0/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("256.0.0.0/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse(" 10.0.0.0/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("0x0a.0.0.0/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("fe80::1%eth0/64", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("1::2::3/64", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("/8", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(parse("anywhere", 0, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(cidr_parse("10.0\0.0.0/8", 11, 0, &c, NULL), CIDR_BAD_ADDRESS);
	/* EC2-style: a prefix is required, and the property's family */
	assert_int_equal(parse("0.0.0.0", CIDR_NEED_PREFIX, &c), CIDR_NO_PREFIX);
	assert_int_equal(parse("::/0", CIDR_NEED_PREFIX | CIDR_ONLY_V4, &c), CIDR_NOT_V4);
	assert_int_equal(parse("0.0.0.0/0", CIDR_NEED_PREFIX | CIDR_ONLY_V6, &c), CIDR_NOT_V6);
	/* every status has words for a message */
	for (int st = CIDR_OK; st <= CIDR_NOT_V6; st++)
		assert_true(strlen(cidr_status_text((enum cidr_status)st)) > 5);
	/* an address alone takes no prefix */
	assert_int_equal(cidr_parse_addr("10.0.0.1/32", 11, &c), CIDR_BAD_ADDRESS);
	assert_int_equal(cidr_parse_addr("10.0.0.1", 8, &c), CIDR_OK);
}

static void test_host_bits(void **state)
{
	(void)state;
	struct cidr c;
	bool host = true;
	assert_int_equal(cidr_parse("10.0.0.0/24", 11, 0, &c, &host), CIDR_OK);
	assert_false(host);
	assert_int_equal(cidr_parse("203.0.113.77/24", 15, 0, &c, &host), CIDR_OK);
	assert_true(host);
	assert_string_equal(fmt(&c), "203.0.113.0/24");
	assert_int_equal(cidr_parse("1.2.3.4/0", 9, 0, &c, &host), CIDR_OK);
	assert_true(host);
	assert_string_equal(fmt(&c), "0.0.0.0/0");
	assert_int_equal(cidr_parse("2001:db8::1/127", 15, 0, &c, &host), CIDR_OK);
	assert_true(host);
	assert_string_equal(fmt(&c), "2001:db8::/127");
	assert_int_equal(cidr_parse("2001:db8:0:0:8000::/65", 22, 0, &c, &host), CIDR_OK);
	assert_false(host);
	assert_int_equal(cidr_parse("2001:db8:0:0:8000::/64", 22, 0, &c, &host), CIDR_OK);
	assert_true(host);
}

static void test_contains(void **state)
{
	(void)state;
	struct cidr all4 = cidr_all(4), all6 = cidr_all(6);
	struct cidr ten = block("10.0.0.0/8"), sub = block("10.20.0.0/16"), one = block("10.255.255.255");
	struct cidr eleven = block("11.0.0.0/8"), top = block("255.255.255.255/32");
	assert_true(cidr_contains(&all4, &ten));
	assert_true(cidr_contains(&all4, &top));
	assert_true(cidr_contains(&ten, &sub));
	assert_true(cidr_contains(&ten, &one)); /* the last address of the block */
	assert_true(cidr_contains(&ten, &ten));
	assert_false(cidr_contains(&sub, &ten));
	assert_false(cidr_contains(&ten, &eleven));
	/* families are separate spaces: no IPv4 address is in ::/0 or in ::ffff:0:0/96 */
	struct cidr mapped = block("::ffff:0:0/96"), v6one = block("::ffff:10.1.2.3");
	assert_false(cidr_contains(&all6, &ten));
	assert_false(cidr_contains(&all4, &v6one));
	assert_false(cidr_contains(&mapped, &one));
	assert_true(cidr_contains(&mapped, &v6one));
	assert_true(cidr_contains(&all6, &mapped));
	struct cidr v6 = block("2001:db8::/32"), in = block("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
	struct cidr out = block("2001:db9::");
	assert_true(cidr_contains(&v6, &in));
	assert_false(cidr_contains(&v6, &out));
	struct cidr last = block("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	assert_true(cidr_contains(&all6, &last));
	struct cidr hi = block("8000::/1");
	assert_true(cidr_contains(&hi, &last));
	assert_false(cidr_contains(&hi, &v6));
}

static bool covers(const char *const *list, size_t n, const char *target)
{
	struct cidr v[16];
	for (size_t i = 0; i < n; i++)
		v[i] = block(list[i]);
	struct cidr t = block(target);
	return cidr_union_covers(v, n, &t);
}

#define COVERS(target, ...) covers((const char *const[]){__VA_ARGS__}, \
				   sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), target)

static void test_union_covers(void **state)
{
	(void)state;
	assert_true(COVERS("0.0.0.0/0", "0.0.0.0/0"));
	assert_true(COVERS("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1"));
	assert_true(COVERS("0.0.0.0/0", "128.0.0.0/1", "0.0.0.0/1")); /* any order */
	assert_false(COVERS("0.0.0.0/0", "0.0.0.0/1"));
	assert_false(COVERS("0.0.0.0/0", "128.0.0.0/1"));
	/* a gap at the start, in the middle, at the very end */
	assert_false(COVERS("0.0.0.0/0", "0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28",
			    "0.0.0.32/27", "0.0.0.64/26", "0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22",
			    "0.0.8.0/21", "0.0.16.0/20", "0.0.32.0/19", "0.0.64.0/18"));
	assert_false(COVERS("0.0.0.0/0", "0.0.0.0/2", "128.0.0.0/1"));
	assert_false(COVERS("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4", "240.0.0.0/5",
			    "248.0.0.0/6", "252.0.0.0/7", "254.0.0.0/8", "255.0.0.0/9", "255.128.0.0/10"));
	assert_true(COVERS("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"));
	/* overlaps and duplicates */
	assert_true(COVERS("0.0.0.0/0", "0.0.0.0/1", "10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1", "200.0.0.0/8"));
	/* the last address of the space */
	assert_false(COVERS("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4", "240.0.0.0/5",
			    "248.0.0.0/6", "252.0.0.0/7", "254.0.0.0/8", "255.0.0.0/9", "255.128.0.0/10",
			    "255.192.0.0/11", "255.224.0.0/12", "255.240.0.0/13", "255.248.0.0/14"));
	assert_true(COVERS("255.255.255.255/32", "255.255.255.255/32"));
	assert_true(COVERS("255.255.255.254/31", "255.255.255.254/32", "255.255.255.255/32"));
	/* smaller targets */
	assert_true(COVERS("10.0.0.0/8", "0.0.0.0/1"));
	assert_true(COVERS("10.0.0.0/8", "10.0.0.0/9", "10.128.0.0/9"));
	assert_false(COVERS("10.0.0.0/8", "10.0.0.0/9", "10.192.0.0/10"));
	/* IPv6 */
	assert_true(COVERS("::/0", "::/0"));
	assert_true(COVERS("::/0", "::/1", "8000::/1"));
	assert_false(COVERS("::/0", "::/1"));
	assert_false(COVERS("::/0", "::/1", "8000::/2"));
	assert_true(COVERS("::/0", "8000::/1", "::/2", "4000::/2"));
	assert_true(COVERS("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
			   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
	/* across the 64-bit halves */
	assert_true(COVERS("2001:db8::/63", "2001:db8::/64", "2001:db8:0:1::/64"));
	assert_false(COVERS("2001:db8::/63", "2001:db8::/64", "2001:db8:0:1::/65"));
	/* families never mix */
	assert_false(COVERS("::/0", "0.0.0.0/0"));
	assert_false(COVERS("0.0.0.0/0", "::/0", "::ffff:0:0/96"));
	assert_false(COVERS("0.0.0.0/0", "::/1", "8000::/1", "0.0.0.0/1"));
	/* nothing covers nothing */
	struct cidr all = cidr_all(4);
	assert_false(cidr_union_covers(NULL, 0, &all));
}

static void test_maximal(void **state)
{
	(void)state;
	const char *list[] = {"10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1", "10.1.0.0/16", "0.0.0.0/1",
			      "::/0", "2001:db8::/32", "192.168.0.0/16"};
	struct cidr v[8];
	bool m[8];
	for (size_t i = 0; i < 8; i++)
		v[i] = block(list[i]);
	cidr_maximal(v, 8, m);
	bool want[8] = {false, true, true, false, true, true, false, false};
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(m[i], want[i]);
	cidr_maximal(NULL, 0, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),      cmocka_unit_test(test_refuses),
		cmocka_unit_test(test_host_bits),    cmocka_unit_test(test_contains),
		cmocka_unit_test(test_union_covers), cmocka_unit_test(test_maximal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
