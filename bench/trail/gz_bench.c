/*
 * gz_bench.c - libdeflate (whole member) vs zlib (streaming inflate) on
 * CloudTrail delivery files: the measurement behind the choice in
 * src/trail/read.c.
 *
 *   cc -O2 -o gz_bench bench/trail/gz_bench.c -lz -ldeflate
 *   ./gz_bench FILE.json.gz...      (prints MB/s of uncompressed output)
 */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t total_out = 0;
	double t_ld = 0, t_z = 0;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	unsigned char *out = malloc(64u << 20), *chunk = malloc(1u << 20);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f)
			return 2;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		unsigned char *in = malloc((size_t)n);
		if (fread(in, 1, (size_t)n, f) != (size_t)n)
			return 2;
		fclose(f);
		for (int rep = 0; rep < 5; rep++) {
			size_t got = 0;
			double t0 = now();
			if (libdeflate_gzip_decompress(d, in, (size_t)n, out, 64u << 20, &got) !=
			    LIBDEFLATE_SUCCESS)
				return 3;
			t_ld += now() - t0;
			total_out += got;
			z_stream z;
			memset(&z, 0, sizeof(z));
			t0 = now();
			inflateInit2(&z, 31);
			z.next_in = in;
			z.avail_in = (uInt)n;
			int r;
			do {
				z.next_out = chunk;
				z.avail_out = 1u << 20;
				r = inflate(&z, Z_NO_FLUSH);
			} while (r == Z_OK);
			inflateEnd(&z);
			t_z += now() - t0;
		}
		free(in);
	}
	printf("uncompressed %.1f MB: libdeflate %.0f MB/s, zlib %.0f MB/s (one core)\n",
	       (double)total_out / 1e6, (double)total_out / 1e6 / t_ld,
	       (double)total_out / 1e6 / t_z);
	return 0;
}
