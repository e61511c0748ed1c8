/*
 * test_read.c - the CloudTrail reader: containers, gzip (multi-member,
 * corrupt, truncated, size hints), malformed records, escapes, streaming of large
 * inputs, field look-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "trail/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct seen {
	size_t n;
	char names[64][64];
	char ids[64][64];
	bool bad_utf8[64];
	uint64_t offsets[64];
};

static void cp(char *dst, struct tstr t)
{
	size_t n = t.s ? (t.n < 63 ? t.n : 63) : 0;
	if (t.s)
		memcpy(dst, t.s, n);
	dst[n] = '\0';
}

static void on_ev(const struct trail_event *ev, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 64) {
		cp(s->names[s->n], ev->name);
		cp(s->ids[s->n], ev->event_id);
		s->bad_utf8[s->n] = ev->bad_utf8;
		s->offsets[s->n] = ev->offset;
	}
	s->n++;
}

static size_t read_text(const char *text, size_t len, struct seen *s, struct trail_skips *sk)
{
	struct trail_reader *r = trail_reader_new();
	memset(s, 0, sizeof(*s));
	uint64_t n = trail_read_mem(r, "t.json", text, len, on_ev, s, sk);
	trail_reader_free(r);
	return (size_t)n;
}

/* gzip one member into out (malloc); returns its size. */
static size_t gz(const char *in, size_t n, unsigned char **out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, n) + 64;
	*out = malloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t got = cap - z.avail_out;
	deflateEnd(&z);
	return got;
}

#define EV(name, id) "{\"eventName\":\"" name "\",\"eventID\":\"" id "\",\"eventTime\":\"2023-07-10T11:00:00Z\"}"

static void test_records_object(void **st)
{
	(void)st;
	const char *t = "{\"Records\":[" EV("A", "1") "," EV("B", "2") "]}";
	struct seen s;
	struct trail_skips sk = {0};
	assert_int_equal(read_text(t, strlen(t), &s, &sk), 2);
	assert_string_equal(s.names[0], "A");
	assert_string_equal(s.names[1], "B");
	assert_int_equal(sk.n, 0);
	/* offset points at the record's '{' */
	assert_int_equal(t[s.offsets[1]], '{');
	assert_int_equal(strncmp(t + s.offsets[1], "{\"eventName\":\"B\"", 16), 0);
	trail_skips_free(&sk);
}

static void test_array_lines_and_prefix(void **st)
{
	(void)st;
	struct seen s;
	struct trail_skips sk = {0};
	const char *arr = "[ " EV("A", "1") " ,\n " EV("B", "2") " ]";
	assert_int_equal(read_text(arr, strlen(arr), &s, &sk), 2);
	const char *lines = EV("A", "1") "\n" EV("B", "2") "\n" EV("C", "3") "\n";
	assert_int_equal(read_text(lines, strlen(lines), &s, &sk), 3);
	assert_string_equal(s.names[2], "C");
	/* CloudWatch Logs export: "timestamp message" lines */
	const char *cw = "2023-07-10T11:00:00.000Z " EV("A", "1") "\n2023-07-10T11:00:01.000Z " EV(
	    "B", "2") "\n";
	assert_int_equal(read_text(cw, strlen(cw), &s, &sk), 2);
	assert_int_equal(sk.n, 0);
	/* Records not first: the object is one record with a Records key; still
	 * parsed without crashing, and a BOM is skipped */
	const char *bom = "\xEF\xBB\xBF{\"Records\":[" EV("A", "1") "]}";
	assert_int_equal(read_text(bom, strlen(bom), &s, &sk), 1);
	trail_skips_free(&sk);
}

static void test_escapes_and_fields(void **st)
{
	(void)st;
	const char *t =
	    "{\"eventName\":\"Get\\u0053ecret\\\"Value\",\"eventID\":\"x\",\"userIdentity\":{"
	    "\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/r/s\",\"sessionContext\":"
	    "{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/r\",\"type\":\"Role\"}}},"
	    "\"requestParameters\":{\"a\":{\"b\":[1,2]},\"s\":\"x\\/y\"},\"responseElements\":null}";
	struct seen s;
	struct trail_skips sk = {0};
	assert_int_equal(read_text(t, strlen(t), &s, &sk), 1);
	assert_string_equal(s.names[0], "GetSecret\"Value");
	assert_int_equal(sk.n, 0);
	trail_skips_free(&sk);
}

struct fcheck {
	int ok;
};

static void on_field(const struct trail_event *ev, void *ctx)
{
	struct fcheck *c = ctx;
	struct strbuf sb = STRBUF_INIT;
	struct tstr v;
	assert_int_equal(trail_event_field(ev, "userIdentity.sessionContext.sessionIssuer.arn", &v,
					   &sb),
			 TV_STRING);
	assert_true(tstr_eq(v, "arn:aws:iam::1:role/r"));
	assert_true(tstr_eq(ev->issuer_arn, "arn:aws:iam::1:role/r"));
	assert_int_equal(trail_event_field(ev, "requestParameters.a.b", &v, &sb), TV_ARRAY);
	assert_true(tstr_eq(v, "[1,2]"));
	assert_int_equal(trail_event_field(ev, "requestParameters.s", &v, &sb), TV_STRING);
	assert_true(tstr_eq(v, "x/y"));
	assert_int_equal(trail_event_field(ev, "responseElements", &v, &sb), TV_NULL);
	assert_int_equal(trail_event_field(ev, "requestParameters.zz", &v, &sb), TV_ABSENT);
	assert_int_equal(trail_event_field(ev, "eventName.x", &v, &sb), TV_ABSENT);
	sb_free(&sb);
	c->ok++;
}

static void test_field_lookup(void **st)
{
	(void)st;
	const char *t =
	    "{\"eventName\":\"E\",\"userIdentity\":{\"sessionContext\":{\"sessionIssuer\":{\"arn\":"
	    "\"arn:aws:iam::1:role/r\"}}},\"requestParameters\":{\"a\":{\"b\":[1,2]},\"s\":\"x\\/y\"},"
	    "\"responseElements\":null}";
	struct fcheck c = {0};
	struct trail_skips sk = {0};
	struct trail_reader *r = trail_reader_new();
	trail_read_mem(r, "f.json", t, strlen(t), on_field, &c, &sk);
	trail_reader_free(r);
	assert_int_equal(c.ok, 1);
	trail_skips_free(&sk);
}

static void test_malformed_records(void **st)
{
	(void)st;
	struct seen s;
	struct trail_skips sk = {0};
	/* a number and a string in the array: skipped, the rest read */
	const char *t = "[" EV("A", "1") ", 42, \"str\", " EV("B", "2") "]";
	assert_int_equal(read_text(t, strlen(t), &s, &sk), 2);
	assert_int_equal(sk.n, 2);
	assert_non_null(strstr(sk.v[0].reason, "not an object"));
	assert_int_equal(t[sk.v[0].offset], '4');
	trail_skips_free(&sk);

	/* malformed JSON inside a record */
	const char *bad = "[" EV("A", "1") ", {\"eventName\": tru}, " EV("B", "2") "]";
	assert_int_equal(read_text(bad, strlen(bad), &s, &sk), 2);
	assert_int_equal(sk.n, 1);
	assert_non_null(strstr(sk.v[0].reason, "malformed"));
	assert_int_equal(bad[sk.v[0].offset], 't');
	trail_skips_free(&sk);

	/* truncated file: the complete records are read, the cut one reported */
	const char *tr = "{\"Records\":[" EV("A", "1") "," EV("B", "2") ",{\"eventName\":\"C";
	assert_int_equal(read_text(tr, strlen(tr), &s, &sk), 2);
	assert_int_equal(sk.n, 1);
	assert_non_null(strstr(sk.v[0].reason, "not terminated"));
	trail_skips_free(&sk);

	/* invalid UTF-8: kept, flagged, reported with its offset */
	const char *u8 = "[{\"eventName\":\"A\xff\"}," EV("B", "2") "]";
	assert_int_equal(read_text(u8, strlen(u8), &s, &sk), 2);
	assert_true(s.bad_utf8[0]);
	assert_false(s.bad_utf8[1]);
	assert_int_equal(sk.n, 1);
	assert_int_equal((unsigned char)u8[sk.v[0].offset], 0xff);
	trail_skips_free(&sk);

	/* garbage at top level is skipped line by line */
	const char *junk = "hello world\n" EV("A", "1") "\n";
	assert_int_equal(read_text(junk, strlen(junk), &s, &sk), 1);
	assert_int_equal(sk.n, 1);
	trail_skips_free(&sk);

	/* stray closing braces in an array: each reported once, no endless loop */
	const char *br = "[}}, " EV("A", "1") "]";
	assert_int_equal(read_text(br, strlen(br), &s, &sk), 1);
	assert_int_equal(sk.n, 2);
	trail_skips_free(&sk);

	/* a garbage file is reported with at most 100 entries plus a count
	 * (the fuzzer found a YAML file growing millions of reports) */
	struct strbuf g = STRBUF_INIT;
	for (int i = 0; i < 5000; i++)
		sb_puts(&g, "not: json\n");
	assert_int_equal(read_text(g.s, g.len, &s, &sk), 0);
	assert_int_equal(sk.n, 101);
	assert_non_null(strstr(sk.v[100].reason, "4900 further problems"));
	sb_free(&g);
	trail_skips_free(&sk);

	/* deep nesting is refused, not a stack overflow */
	struct strbuf deep = STRBUF_INIT;
	sb_puts(&deep, "[{\"a\":");
	for (int i = 0; i < 10000; i++)
		sb_putc(&deep, '[');
	for (int i = 0; i < 10000; i++)
		sb_putc(&deep, ']');
	sb_puts(&deep, "}," EV("B", "2") "]");
	assert_int_equal(read_text(deep.s, deep.len, &s, &sk), 1);
	assert_int_equal(sk.n, 1);
	sb_free(&deep);
	trail_skips_free(&sk);
}

static void test_gzip_multi_member(void **st)
{
	(void)st;
	/* a record split across two members, then a third whole document */
	const char *p1 = "{\"Records\":[" EV("A", "1") ",{\"eventName\":\"B\",";
	const char *p2 = "\"eventID\":\"2\"}]}\n";
	const char *p3 = "{\"Records\":[" EV("C", "3") "]}";
	unsigned char *g1, *g2, *g3;
	size_t n1 = gz(p1, strlen(p1), &g1), n2 = gz(p2, strlen(p2), &g2),
	       n3 = gz(p3, strlen(p3), &g3);
	unsigned char *all = malloc(n1 + n2 + n3);
	memcpy(all, g1, n1);
	memcpy(all + n1, g2, n2);
	memcpy(all + n1 + n2, g3, n3);
	struct seen s;
	struct trail_skips sk = {0};
	assert_int_equal(read_text((char *)all, n1 + n2 + n3, &s, &sk), 3);
	assert_string_equal(s.names[1], "B");
	assert_string_equal(s.ids[1], "2");
	assert_int_equal(sk.n, 0);

	/* corrupt the middle of a member: reported with its compressed offset,
	 * the other members still read */
	const char *q = "{\"Records\":[" EV("X", "9") "," EV("Y", "8") "]}";
	unsigned char *gq;
	size_t nq = gz(q, strlen(q), &gq);
	unsigned char *bad = malloc(n3 + nq + n3);
	memcpy(bad, g3, n3);
	memcpy(bad + n3, gq, nq);
	for (size_t i = n3 + 12; i < n3 + nq - 10; i++)
		bad[i] ^= 0x5a;
	memcpy(bad + n3 + nq, g3, n3);
	size_t nb = n3 + nq + n3;
	trail_skips_free(&sk);
	size_t got = read_text((char *)bad, nb, &s, &sk);
	assert_true(got >= 2);
	assert_string_equal(s.names[0], "C");
	assert_string_equal(s.names[got - 1], "C");
	assert_true(sk.n >= 1);
	assert_true(sk.v[0].compressed_offset);
	assert_int_equal(sk.v[0].offset, n3);
	assert_non_null(strstr(sk.v[0].reason, "gzip"));
	trail_skips_free(&sk);

	/* truncated gzip: what inflated before the cut is read */
	unsigned char *big;
	struct strbuf many = STRBUF_INIT;
	sb_puts(&many, "{\"Records\":[");
	for (int i = 0; i < 2000; i++)
		sb_printf(&many, "%s{\"eventName\":\"E%d\",\"eventID\":\"%d\",\"pad\":\"%08x\"}",
			  i ? "," : "", i, i, (unsigned)(i * 2654435761u));
	sb_puts(&many, "]}");
	size_t nbig = gz(many.s, many.len, &big);
	got = read_text((char *)big, nbig / 2, &s, &sk);
	assert_true(got > 100 && got < 2000);
	assert_true(sk.n >= 1);
	assert_non_null(strstr(sk.v[0].reason, "truncated"));
	trail_skips_free(&sk);
	sb_free(&many);
	free(big);
	free(g1);
	free(g2);
	free(g3);
	free(gq);
	free(all);
	free(bad);
}

/* The output size hint of a gzip member: the trailer's ISIZE is believed
 * only up to DEFLATE's 1032:1 limit.  A member that really is that dense
 * still reads whole; one whose trailer lies is read up to the lie. */
static void test_gzip_size_hint(void **st)
{
	(void)st;
	struct strbuf dense = STRBUF_INIT;
	sb_puts(&dense, "{\"Records\":[" EV("A", "1") ",");
	for (int i = 0; i < 3 * 1024 * 1024 / 64; i++)
		sb_puts(&dense, "                                                                ");
	sb_puts(&dense, EV("B", "2") "]}");
	unsigned char *g;
	size_t ng = gz(dense.s, dense.len, &g);
	assert_true(ng * 500 < dense.len); /* as dense as DEFLATE gets */
	struct seen s;
	struct trail_skips sk = {0};
	assert_int_equal(read_text((char *)g, ng, &s, &sk), 2);
	assert_string_equal(s.names[1], "B");
	assert_int_equal(sk.n, 0);
	free(g);
	sb_free(&dense);

	const char *one = "{\"Records\":[" EV("C", "3") "]}";
	ng = gz(one, strlen(one), &g);
	memcpy(g + ng - 4, "\xf0\xff\xff\xff", 4); /* claims 4 GB */
	assert_int_equal(read_text((char *)g, ng, &s, &sk), 1);
	assert_string_equal(s.names[0], "C");
	assert_int_equal(sk.n, 1);
	assert_non_null(strstr(sk.v[0].reason, "gzip"));
	trail_skips_free(&sk);
	free(g);
}

/* A file bigger than the whole-file limit goes through the streaming
 * paths (read(2) chunks, zlib): records across chunk boundaries survive. */
static void test_streaming_large(void **st)
{
	(void)st;
	char tmpl[] = "/tmp/rampart-trail-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	const size_t N = 60000;
	fputs("{\"Records\":[", f);
	for (size_t i = 0; i < N; i++)
		fprintf(f, "%s{\"eventName\":\"E%zu\",\"eventID\":\"%zu\",\"requestParameters\":{"
			   "\"pad\":\"%0120zu\"}}",
			i ? "," : "", i, i, i);
	fputs("]}", f);
	fclose(f);
	struct seen s;
	memset(&s, 0, sizeof(s));
	struct trail_skips sk = {0};
	struct trail_reader *r = trail_reader_new();
	assert_int_equal(trail_read_path(r, tmpl, on_ev, &s, &sk), N);
	assert_int_equal(sk.n, 0);

	/* the same, gzipped with gzip(1)-compatible zlib: the streaming inflate */
	FILE *in = fopen(tmpl, "rb");
	fseek(in, 0, SEEK_END);
	long sz = ftell(in);
	fseek(in, 0, SEEK_SET);
	char *buf = malloc((size_t)sz);
	assert_int_equal(fread(buf, 1, (size_t)sz, in), (size_t)sz);
	fclose(in);
	/* store uncompressible-ish: level 0 keeps the .gz above the whole-file limit */
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 0, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, (uLong)sz);
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)buf;
	z.avail_in = (uInt)sz;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t gsz = cap - z.avail_out;
	deflateEnd(&z);
	assert_true(gsz > (8u << 20));
	char gzname[64];
	snprintf(gzname, sizeof(gzname), "%s.json.gz", tmpl);
	FILE *g = fopen(gzname, "wb");
	assert_int_equal(fwrite(out, 1, gsz, g), gsz);
	fclose(g);
	memset(&s, 0, sizeof(s));
	assert_int_equal(trail_read_path(r, gzname, on_ev, &s, &sk), N);
	assert_int_equal(sk.n, 0);
	trail_reader_free(r);
	unlink(gzname);
	unlink(tmpl);
	free(buf);
	free(out);
	trail_skips_free(&sk);
}

static void test_files_collect(void **st)
{
	(void)st;
	char dir[] = "/tmp/rampart-trail-dir-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[256];
	snprintf(p, sizeof(p), "%s/AWSLogs/1/CloudTrail/eu-west-2/2024/01/02", dir);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/AWSLogs/1/CloudTrail-Digest", p, dir);
	assert_int_equal(system(cmd), 0);
	const char *names[] = {"b.json.gz", "a.json", "notes.txt"};
	for (int i = 0; i < 3; i++) {
		char f[512];
		snprintf(f, sizeof(f), "%s/%s", p, names[i]);
		FILE *h = fopen(f, "w");
		fputs("[]", h);
		fclose(h);
	}
	char dg[512];
	snprintf(dg, sizeof(dg), "%s/AWSLogs/1/CloudTrail-Digest/x.json.gz", dir);
	FILE *h = fopen(dg, "w");
	fclose(h);
	struct trail_files fl = {0};
	struct trail_skips sk = {0};
	char *paths[] = {dir, "/nonexistent/rampart"};
	trail_files_collect(paths, 2, &fl, &sk);
	assert_int_equal(fl.n, 2);
	assert_non_null(strstr(fl.v[0], "a.json"));
	assert_non_null(strstr(fl.v[1], "b.json.gz"));
	char fl_first[512];
	snprintf(fl_first, sizeof(fl_first), "%s", fl.v[1]);
	assert_int_equal(sk.n, 1);
	trail_files_free(&fl);
	trail_skips_free(&sk);
	/* a directory and a file in it, named in either order and twice: one
	 * sorted list, each file once */
	char one[512];
	snprintf(one, sizeof(one), "%s", fl_first);
	char *again[] = {one, dir, dir};
	trail_files_collect(again, 3, &fl, &sk);
	assert_int_equal(fl.n, 2);
	assert_true(strcmp(fl.v[0], fl.v[1]) < 0);
	trail_files_free(&fl);
	char *rev[] = {dir, one};
	trail_files_collect(rev, 2, &fl, &sk);
	assert_int_equal(fl.n, 2);
	assert_true(strcmp(fl.v[0], fl.v[1]) < 0);
	trail_files_free(&fl);
	trail_skips_free(&sk);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_object),   cmocka_unit_test(test_array_lines_and_prefix),
	    cmocka_unit_test(test_escapes_and_fields), cmocka_unit_test(test_field_lookup),
	    cmocka_unit_test(test_malformed_records), cmocka_unit_test(test_gzip_multi_member),
	    cmocka_unit_test(test_gzip_size_hint),   cmocka_unit_test(test_streaming_large),
	    cmocka_unit_test(test_files_collect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
