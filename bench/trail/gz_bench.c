/*
 * gz_bench.c - gzip decompression of CloudTrail delivery files: libdeflate
 * vs zlib vs ISA-L (igzip), one core, the same files: the measurement
 * behind the choice of libdeflate in src/trail/read.c.
 *
 *   bench/trail/libs.sh [DIR]          builds this into build/bench/ and runs it
 *   build/bench/gz_bench [-r REPS] FILE.gz|DIR...
 *
 * Every .gz file named (directories are walked) is read into memory once.
 * Then each variant decompresses all of them, REPS times (default 5), the
 * variants interleaved within each repetition so that load from other jobs
 * falls on all of them alike; the best repetition counts.  Printed: MB/s of
 * uncompressed output (1 MB = 10^6 bytes) and the ratio to libdeflate.
 *
 * Variants:
 *   libdeflate whole   libdeflate_gzip_decompress_ex into a buffer that
 *                      holds the whole member (what read.c does for files)
 *   zlib whole         inflate() with the same whole-member buffer
 *   zlib 1MB chunks    inflate() into a 1 MB buffer, reused (read.c's
 *                      streaming path: stdin, huge or damaged members)
 *   isa-l whole        isal_inflate, crc_flag = ISAL_GZIP, whole member
 *   isa-l stateless    isal_inflate_stateless, ISAL_GZIP: the one-shot API
 *   isa-l 1MB chunks   isal_inflate into a 1 MB buffer, reused
 *
 * Every variant must produce the byte count found by a first zlib pass
 * (which also handles multi-member files); all three libraries check the
 * gzip CRC-32 and length themselves.  ISA-L is optional: built with
 * -DHAVE_ISAL when pkg-config finds libisal (libs.sh does that).
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define BENCH_NAME "gz_bench"
#include "bench_files.h"

#define CHUNK (1u << 20)

struct gzfile {
	unsigned char *in;
	size_t in_len;
	size_t out_len; /* uncompressed bytes, all members */
};

static struct gzfile *files;
static size_t nfiles, capfiles;
static size_t max_out;

/* Read one file whole into the list. */
static void add_file(const char *path)
{
	size_t n;
	unsigned char *in = read_whole(path, &n);
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 256;
		files = realloc(files, capfiles * sizeof(*files));
		if (!files)
			die("out of memory", NULL);
	}
	files[nfiles++] = (struct gzfile){in, n, 0};
}

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && ends_with(path, ".gz"))
		add_file(path);
	return 0;
}

/* Count the uncompressed bytes of f with zlib, member after member. */
static void measure(struct gzfile *f, z_stream *z, unsigned char *chunk)
{
	z->next_in = f->in;
	z->avail_in = (uInt)f->in_len;
	size_t out = 0;
	for (;;) {
		z->next_out = chunk;
		z->avail_out = CHUNK;
		int r = inflate(z, Z_NO_FLUSH);
		out += CHUNK - z->avail_out;
		if (r == Z_STREAM_END) {
			inflateReset(z);
			if (z->avail_in == 0)
				break;
			continue;
		}
		if (r != Z_OK || z->avail_in == 0)
			die("corrupt or truncated gzip (zlib)", NULL);
	}
	f->out_len = out;
	if (out > max_out)
		max_out = out;
}

/* ---- the variants: each decompresses every file, returns bytes out ---- */

struct ctx {
	struct libdeflate_decompressor *ld;
	z_stream z;
	unsigned char *out;   /* max_out bytes: whole-member output */
	unsigned char *chunk; /* CHUNK bytes: streaming output */
#ifdef HAVE_ISAL
	struct inflate_state isal;
#endif
};

static size_t run_libdeflate(struct ctx *c)
{
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++) {
		const unsigned char *p = files[i].in;
		size_t left = files[i].in_len, out = 0;
		while (left) {
			size_t used = 0, got = 0;
			if (libdeflate_gzip_decompress_ex(c->ld, p, left, c->out + out, max_out - out,
							  &used, &got) != LIBDEFLATE_SUCCESS)
				die("libdeflate failed", NULL);
			p += used;
			left -= used;
			out += got;
		}
		total += out;
	}
	return total;
}

static size_t zlib_file(struct ctx *c, const struct gzfile *f, int whole)
{
	z_stream *z = &c->z;
	z->next_in = f->in;
	z->avail_in = (uInt)f->in_len;
	size_t out = 0;
	for (;;) {
		unsigned char *dst = whole ? c->out + out : c->chunk;
		size_t cap = whole ? max_out - out : CHUNK;
		z->next_out = dst;
		z->avail_out = (uInt)cap;
		int r = inflate(z, whole ? Z_FINISH : Z_NO_FLUSH);
		out += cap - z->avail_out;
		if (r == Z_STREAM_END) {
			inflateReset(z);
			if (z->avail_in == 0)
				return out;
			continue;
		}
		if ((r != Z_OK && r != Z_BUF_ERROR) || z->avail_in == 0)
			die("zlib failed", NULL);
	}
}

static size_t run_zlib_whole(struct ctx *c)
{
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += zlib_file(c, &files[i], 1);
	return total;
}

static size_t run_zlib_chunks(struct ctx *c)
{
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += zlib_file(c, &files[i], 0);
	return total;
}

#ifdef HAVE_ISAL
static size_t isal_file(struct ctx *c, const struct gzfile *f, int whole)
{
	struct inflate_state *s = &c->isal;
	isal_inflate_reset(s);
	s->crc_flag = ISAL_GZIP;
	s->next_in = f->in;
	s->avail_in = (uint32_t)f->in_len;
	size_t out = 0;
	for (;;) {
		unsigned char *dst = whole ? c->out + out : c->chunk;
		size_t cap = whole ? max_out - out : CHUNK;
		s->next_out = dst;
		s->avail_out = (uint32_t)cap;
		if (isal_inflate(s) != ISAL_DECOMP_OK)
			die("isa-l failed", NULL);
		out += cap - s->avail_out;
		if (s->block_state == ISAL_BLOCK_FINISH) {
			if (s->avail_in == 0)
				return out;
			/* next member */
			const uint8_t *p = s->next_in;
			uint32_t left = s->avail_in;
			isal_inflate_reset(s);
			s->crc_flag = ISAL_GZIP;
			s->next_in = (uint8_t *)p;
			s->avail_in = left;
		} else if (s->avail_in == 0 && s->avail_out != 0) {
			die("isa-l: truncated input", NULL);
		}
	}
}

static size_t run_isal_whole(struct ctx *c)
{
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += isal_file(c, &files[i], 1);
	return total;
}

/* One-shot API: the whole member in one call (no streaming state). */
static size_t run_isal_stateless(struct ctx *c)
{
	size_t total = 0;
	struct inflate_state *s = &c->isal;
	for (size_t i = 0; i < nfiles; i++) {
		const uint8_t *p = files[i].in;
		size_t left = files[i].in_len, out = 0;
		while (left) {
			isal_inflate_init(s);
			s->crc_flag = ISAL_GZIP;
			s->next_in = (uint8_t *)p;
			s->avail_in = (uint32_t)left;
			s->next_out = c->out + out;
			s->avail_out = (uint32_t)(max_out - out);
			if (isal_inflate_stateless(s) != ISAL_DECOMP_OK)
				die("isa-l stateless failed", NULL);
			size_t used = left - s->avail_in;
			if (!used)
				die("isa-l stateless made no progress", NULL);
			out = (size_t)(s->next_out - c->out);
			p += used;
			left -= used;
		}
		total += out;
	}
	return total;
}

static size_t run_isal_chunks(struct ctx *c)
{
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += isal_file(c, &files[i], 0);
	return total;
}
#endif

struct variant {
	const char *name;
	size_t (*run)(struct ctx *);
	double best;
};

int main(int argc, char **argv)
{
	int reps = 5, argi = 1;
	if (argi + 1 < argc && strcmp(argv[argi], "-r") == 0) {
		reps = atoi(argv[argi + 1]);
		argi += 2;
	}
	if (argi >= argc || reps < 1) {
		fprintf(stderr, "usage: gz_bench [-r REPS] FILE.gz|DIR...\n");
		return 2;
	}
	for (int i = argi; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			die("cannot stat", argv[i]);
		if (S_ISDIR(st.st_mode)) {
			if (nftw(argv[i], walk_one, 16, FTW_PHYS) != 0)
				die("cannot walk", argv[i]);
		} else
			add_file(argv[i]);
	}
	if (!nfiles)
		die("no .gz files", NULL);

	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.chunk = xmalloc(CHUNK);
	if (inflateInit2(&c.z, 15 + 16) != Z_OK)
		die("inflateInit2", NULL);
	size_t in_total = 0, out_total = 0;
	for (size_t i = 0; i < nfiles; i++) {
		measure(&files[i], &c.z, c.chunk);
		in_total += files[i].in_len;
		out_total += files[i].out_len;
	}
	c.out = xmalloc(max_out);
	c.ld = libdeflate_alloc_decompressor();
	if (!c.ld)
		die("libdeflate_alloc_decompressor", NULL);
#ifdef HAVE_ISAL
	isal_inflate_init(&c.isal);
#endif

	struct variant v[] = {
	    {"libdeflate whole member", run_libdeflate, 0},
	    {"zlib whole member", run_zlib_whole, 0},
	    {"zlib 1 MB chunks", run_zlib_chunks, 0},
#ifdef HAVE_ISAL
	    {"isa-l whole member", run_isal_whole, 0},
	    {"isa-l stateless (one shot)", run_isal_stateless, 0},
	    {"isa-l 1 MB chunks", run_isal_chunks, 0},
#endif
	};
	size_t nv = sizeof(v) / sizeof(v[0]);
	for (int rep = 0; rep < reps; rep++) {
		for (size_t k = 0; k < nv; k++) {
			double t0 = now();
			size_t got = v[k].run(&c);
			double t = now() - t0;
			if (got != out_total) {
				fprintf(stderr, "gz_bench: %s produced %zu bytes, expected %zu\n",
					v[k].name, got, out_total);
				return 3;
			}
			if (rep == 0 || t < v[k].best)
				v[k].best = t;
		}
	}

	printf("gz_bench: %zu files, %.1f MB gzipped, %.1f MB uncompressed; one core, best of %d\n",
	       nfiles, (double)in_total / 1e6, (double)out_total / 1e6, reps);
	printf("  %-26s %9s %9s\n", "variant", "MB/s", "vs ld");
	for (size_t k = 0; k < nv; k++)
		printf("  %-26s %9.0f %8.2fx\n", v[k].name, (double)out_total / 1e6 / v[k].best,
		       v[0].best / v[k].best);
#ifndef HAVE_ISAL
	printf("  (isa-l not built: libisal-dev not found by pkg-config)\n");
#endif
	inflateEnd(&c.z);
	libdeflate_free_decompressor(c.ld);
	return 0;
}
