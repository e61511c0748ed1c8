/*
 * parse_bench.c - CloudTrail JSON parsing, one core: rampart's reader
 * (src/trail/read.c: purpose-built splitter + validating field parser)
 * against library parsers reading the same four fields: the measurement
 * behind the purpose-built parser in src/trail/json.c.
 *
 *   bench/trail/libs.sh [DIR]          builds this into build/bench/ and runs it
 *   build/bench/parse_bench [-r REPS] DIR|FILE.json.gz...
 *
 * Every .json.gz file (directories are walked) is decompressed into memory
 * once with libdeflate; nothing below touches the disk or gzip except the
 * last, informative row.  Then, REPS times (default 3), the parsers run in
 * turn over all files and the best repetition counts:
 *
 *   rampart   trail_read_mem() on the JSON text; the callback reads
 *             eventName, eventSource, userIdentity.arn and errorCode (the
 *             reader itself extracts its ~25 fields per record and skips
 *             the rest, validating all of it)
 *   json-c    json_tokener_parse() per file (a full DOM), then the fields
 *   jansson   json_loadb() per file (a full DOM), then the fields
 *   simdjson  On-Demand over "Records" (parse_bench_simdjson.cpp)
 *   rampart, all 19 fields / simdjson, all 19 fields: the like-for-like
 *             pair, every string field of struct trail_event read (and
 *             simdjson also finds the raw spans rampart keeps)
 *   rampart from .gz: trail_read_mem() on the compressed bytes (libdeflate
 *             inside), i.e. decompression + parsing: not a parser-to-parser
 *             comparison, shown for scale
 *
 * The libraries are optional: HAVE_JSONC, HAVE_JANSSON, HAVE_SIMDJSON (set
 * by libs.sh from pkg-config).  Every parser must deliver the same number of
 * events and the same fingerprint of the four fields (length, first and
 * last byte of each, summed), the all-fields pair the same fingerprint of
 * all 19: the run fails (exit 3) otherwise.
 */
/*
 * jansson.h and json-c's headers declare the same names (json_type,
 * json_object, json_object_get...), so the two cannot share a translation
 * unit: libs.sh compiles this file a second time with -DPB_JANSSON_UNIT,
 * which yields only the jansson side below; the normal compilation is the
 * rest.  Both libraries also export json_object_get (and
 * json_object_iter_next), and the linker binds an unversioned reference to
 * whichever library comes first, so the jansson side looks members up with
 * json_object_getn (jansson only; the key length is a constant anyway) and
 * the json-c side uses json_object_object_get_ex: neither needs a link order.
 */
#ifdef PB_JANSSON_UNIT
#include <jansson.h>
#include <stdio.h>

void pb_event(void *accp, const char *name, size_t name_n, const char *src, size_t src_n,
	      const char *arn, size_t arn_n, const char *err, size_t err_n);
int ja_parse_file(const char *buf, size_t len, void *acc, char *msg, size_t msg_n);
const char *ja_version(void);

const char *ja_version(void)
{
	return JANSSON_VERSION;
}

#define JA_GET(o, lit) json_object_getn((o), (lit), sizeof(lit) - 1)

static const char *ja_str(json_t *o, const char *key, size_t key_len, size_t *n)
{
	json_t *v = json_object_getn(o, key, key_len);
	if (!json_is_string(v))
		return NULL;
	*n = json_string_length(v);
	return json_string_value(v);
}

/* One delivery file: json_loadb (a full DOM), then the fields; the number
 * of records, or -1 with msg set. */
int ja_parse_file(const char *buf, size_t len, void *acc, char *msg, size_t msg_n)
{
	json_error_t e;
	json_t *root = json_loadb(buf, len, 0, &e);
	json_t *recs = root ? JA_GET(root, "Records") : NULL;
	if (!json_is_array(recs)) {
		snprintf(msg, msg_n, "jansson: %s", root ? "no Records" : e.text);
		json_decref(root);
		return -1;
	}
	size_t n = json_array_size(recs);
	for (size_t k = 0; k < n; k++) {
		json_t *rec = json_array_get(recs, k);
		size_t nn = 0, sn = 0, an = 0, en = 0;
		const char *name = ja_str(rec, "eventName", 9, &nn);
		const char *src = ja_str(rec, "eventSource", 11, &sn);
		const char *err = ja_str(rec, "errorCode", 9, &en);
		const char *arn = NULL;
		json_t *uid = JA_GET(rec, "userIdentity");
		if (json_is_object(uid))
			arn = ja_str(uid, "arn", 3, &an);
		pb_event(acc, name, nn, src, sn, arn, an, err, en);
	}
	json_decref(root);
	return (int)n;
}

#else /* the benchmark proper */
#define _GNU_SOURCE
#include "trail/read.h"

#include <ftw.h>
#include <libdeflate.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef HAVE_JSONC
#include <json-c/json.h>
#endif

#define BENCH_NAME "parse_bench"
#include "bench_files.h"

/* Readable zero bytes after each JSON text: simdjson's SIMDJSON_PADDING. */
#define PAD 64

struct jfile {
	char *path;
	unsigned char *gz; /* compressed bytes */
	size_t gz_len;
	char *json; /* json_len bytes + PAD zero bytes (so NUL-terminated) */
	size_t json_len;
};

static struct jfile *files;
static size_t nfiles, capfiles;

/* ---- loading: read and decompress every file once ---------------------- */

static struct libdeflate_decompressor *ld;

/* Decompress all members of f->gz into f->json (plus PAD zero bytes). */
static void inflate_file(struct jfile *f)
{
	size_t cap = f->gz_len * 10 + 4096, len = 0;
	char *out = xmalloc(cap + PAD);
	const unsigned char *p = f->gz;
	size_t left = f->gz_len;
	while (left) {
		size_t used = 0, got = 0;
		enum libdeflate_result res =
		    libdeflate_gzip_decompress_ex(ld, p, left, out + len, cap - len, &used, &got);
		if (res == LIBDEFLATE_INSUFFICIENT_SPACE) {
			cap *= 2;
			out = realloc(out, cap + PAD);
			if (!out)
				die("out of memory", NULL);
			continue;
		}
		if (res != LIBDEFLATE_SUCCESS)
			die("corrupt gzip", f->path);
		p += used;
		left -= used;
		len += got;
	}
	memset(out + len, 0, PAD);
	f->json = out;
	f->json_len = len;
}

static void add_file(const char *path)
{
	size_t n;
	unsigned char *gz = read_whole(path, &n);
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 256;
		files = realloc(files, capfiles * sizeof(*files));
		if (!files)
			die("out of memory", NULL);
	}
	struct jfile *f = &files[nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		die("out of memory", NULL);
	f->gz = gz;
	f->gz_len = n;
	inflate_file(f);
}

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && ends_with(path, ".json.gz"))
		add_file(path);
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct jfile *)a)->path, ((const struct jfile *)b)->path);
}

/* ---- what every parser feeds: a count and a fingerprint ---------------- */

struct acc {
	uint64_t events, names, sources, arns, errors;
	uint64_t print;     /* sum over the four fields of k * (len, first, last byte) */
	uint64_t print_all; /* the same over all PB_NFIELDS fields (the *_all rows) */
	uint64_t raw;       /* bytes of requestParameters/responseElements seen */
};

/* The string fields of struct trail_event, in the order
 * parse_bench_simdjson.cpp hands them over. */
enum pb_field {
	PF_TIME, PF_SOURCE, PF_NAME, PF_REGION, PF_IP, PF_AGENT, PF_ERROR_CODE,
	PF_ERROR_MESSAGE, PF_EVENT_TYPE, PF_EVENT_ID, PF_RECIPIENT, PF_UID_TYPE, PF_UID_ARN,
	PF_UID_ACCOUNT, PF_UID_PRINCIPAL, PF_UID_INVOKED_BY, PF_ISSUER_ARN, PF_ISSUER_TYPE,
	PF_MFA_USED, PB_NFIELDS
};

static uint64_t touch(const char *s, size_t n, uint64_t k)
{
	if (!s || !n)
		return 0;
	return k * ((uint64_t)n * 65537u + (unsigned char)s[0] * 257u + (unsigned char)s[n - 1]);
}

/* One record's fields (NULL: absent or not a string).  Also called from
 * parse_bench_simdjson.cpp. */
void pb_event(void *accp, const char *name, size_t name_n, const char *src, size_t src_n,
	      const char *arn, size_t arn_n, const char *err, size_t err_n);
void pb_event(void *accp, const char *name, size_t name_n, const char *src, size_t src_n,
	      const char *arn, size_t arn_n, const char *err, size_t err_n)
{
	struct acc *a = accp;
	a->events++;
	a->names += name != NULL;
	a->sources += src != NULL;
	a->arns += arn != NULL;
	a->errors += err != NULL;
	a->print += touch(name, name_n, 1) + touch(src, src_n, 3) + touch(arn, arn_n, 5) +
		    touch(err, err_n, 7);
}

/* One record, every field of struct trail_event (s[i] NULL: absent). */
void pb_event_all(void *accp, const char *const *s, const size_t *n, size_t raw_len);
void pb_event_all(void *accp, const char *const *s, const size_t *n, size_t raw_len)
{
	struct acc *a = accp;
	pb_event(a, s[PF_NAME], n[PF_NAME], s[PF_SOURCE], n[PF_SOURCE], s[PF_UID_ARN],
		 n[PF_UID_ARN], s[PF_ERROR_CODE], n[PF_ERROR_CODE]);
	for (int i = 0; i < PB_NFIELDS; i++)
		a->print_all += touch(s[i], n[i], 2 * (uint64_t)i + 1);
	a->raw += raw_len;
}

/* ---- the parsers: each runs over every file into acc; 0 or -1 ---------- */

static struct trail_reader *reader;

static void rampart_event(const struct trail_event *ev, void *ctx)
{
	pb_event(ctx, ev->name.s, ev->name.n, ev->source.s, ev->source.n, ev->uid_arn.s,
		 ev->uid_arn.n, ev->error_code.s, ev->error_code.n);
}

static void rampart_event_all(const struct trail_event *ev, void *ctx)
{
	const struct tstr *t[PB_NFIELDS] = {
	    [PF_TIME] = &ev->time,
	    [PF_SOURCE] = &ev->source,
	    [PF_NAME] = &ev->name,
	    [PF_REGION] = &ev->region,
	    [PF_IP] = &ev->ip,
	    [PF_AGENT] = &ev->agent,
	    [PF_ERROR_CODE] = &ev->error_code,
	    [PF_ERROR_MESSAGE] = &ev->error_message,
	    [PF_EVENT_TYPE] = &ev->event_type,
	    [PF_EVENT_ID] = &ev->event_id,
	    [PF_RECIPIENT] = &ev->recipient,
	    [PF_UID_TYPE] = &ev->uid_type,
	    [PF_UID_ARN] = &ev->uid_arn,
	    [PF_UID_ACCOUNT] = &ev->uid_account,
	    [PF_UID_PRINCIPAL] = &ev->uid_principal,
	    [PF_UID_INVOKED_BY] = &ev->uid_invoked_by,
	    [PF_ISSUER_ARN] = &ev->issuer_arn,
	    [PF_ISSUER_TYPE] = &ev->issuer_type,
	    [PF_MFA_USED] = &ev->mfa_used,
	};
	const char *s[PB_NFIELDS];
	size_t n[PB_NFIELDS];
	for (int i = 0; i < PB_NFIELDS; i++) {
		s[i] = t[i]->s;
		n[i] = t[i]->n;
	}
	pb_event_all(ctx, s, n, ev->request_params.n + ev->response_elements.n);
}

enum rampart_mode { RM_JSON, RM_JSON_ALL, RM_GZ };

static int rampart_run(struct acc *a, enum rampart_mode m)
{
	struct trail_skips skips = {0};
	for (size_t i = 0; i < nfiles; i++) {
		const struct jfile *f = &files[i];
		if (m == RM_GZ)
			trail_read_mem(reader, f->path, f->gz, f->gz_len, rampart_event, a, &skips);
		else
			trail_read_mem(reader, f->path, f->json, f->json_len,
				       m == RM_JSON_ALL ? rampart_event_all : rampart_event, a,
				       &skips);
	}
	if (skips.n) {
		fprintf(stderr, "parse_bench: rampart: %s: %s\n", skips.v[0].file,
			skips.v[0].reason);
		trail_skips_free(&skips);
		return -1;
	}
	return 0;
}

static int run_rampart(struct acc *a)
{
	return rampart_run(a, RM_JSON);
}

static int run_rampart_all(struct acc *a)
{
	return rampart_run(a, RM_JSON_ALL);
}

static int run_rampart_gz(struct acc *a)
{
	return rampart_run(a, RM_GZ);
}

#ifdef HAVE_JSONC
static const char *jc_str(struct json_object *o, const char *key, size_t *n)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	*n = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static int run_jsonc(struct acc *a)
{
	for (size_t i = 0; i < nfiles; i++) {
		struct json_object *root = json_tokener_parse(files[i].json), *recs;
		if (!root || !json_object_object_get_ex(root, "Records", &recs) ||
		    !json_object_is_type(recs, json_type_array)) {
			fprintf(stderr, "parse_bench: json-c: %s: no Records\n", files[i].path);
			json_object_put(root);
			return -1;
		}
		size_t n = json_object_array_length(recs);
		for (size_t k = 0; k < n; k++) {
			struct json_object *rec = json_object_array_get_idx(recs, k), *uid;
			size_t nn = 0, sn = 0, an = 0, en = 0;
			const char *name = jc_str(rec, "eventName", &nn);
			const char *src = jc_str(rec, "eventSource", &sn);
			const char *err = jc_str(rec, "errorCode", &en);
			const char *arn = NULL;
			if (json_object_object_get_ex(rec, "userIdentity", &uid) &&
			    json_object_is_type(uid, json_type_object))
				arn = jc_str(uid, "arn", &an);
			pb_event(a, name, nn, src, sn, arn, an, err, en);
		}
		json_object_put(root);
	}
	return 0;
}
#endif

#ifdef HAVE_JANSSON
int ja_parse_file(const char *buf, size_t len, void *acc, char *msg, size_t msg_n);
const char *ja_version(void);

static int run_jansson(struct acc *a)
{
	char msg[256];
	for (size_t i = 0; i < nfiles; i++) {
		if (ja_parse_file(files[i].json, files[i].json_len, a, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "parse_bench: %s: %s\n", files[i].path, msg);
			return -1;
		}
	}
	return 0;
}
#endif

#ifdef HAVE_SIMDJSON
int sj_parse_file(const char *buf, size_t len, size_t cap, void *acc, char *msg, size_t msg_n);
int sj_parse_file_all(const char *buf, size_t len, size_t cap, void *acc, char *msg,
		      size_t msg_n);
const char *sj_describe(void);

static int simdjson_run(struct acc *a, int all)
{
	char msg[256];
	for (size_t i = 0; i < nfiles; i++) {
		const struct jfile *f = &files[i];
		int n = all ? sj_parse_file_all(f->json, f->json_len, f->json_len + PAD, a, msg,
						sizeof(msg))
			    : sj_parse_file(f->json, f->json_len, f->json_len + PAD, a, msg,
					    sizeof(msg));
		if (n < 0) {
			fprintf(stderr, "parse_bench: %s: %s\n", f->path, msg);
			return -1;
		}
	}
	return 0;
}

static int run_simdjson(struct acc *a)
{
	return simdjson_run(a, 0);
}

static int run_simdjson_all(struct acc *a)
{
	return simdjson_run(a, 1);
}
#endif

struct parser {
	char name[64];
	int (*run)(struct acc *);
	size_t base; /* the rampart row it is compared with (time and fields) */
	int all;     /* compares all fields (print_all), not only the four */
	double best;
	struct acc acc;
};

static void add_parser(struct parser *p, size_t *np, int (*run)(struct acc *), size_t base,
		       int all, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_parser(struct parser *p, size_t *np, int (*run)(struct acc *), size_t base,
		       int all, const char *fmt, ...)
{
	struct parser *q = &p[(*np)++];
	memset(q, 0, sizeof(*q));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->name, sizeof(q->name), fmt, ap);
	va_end(ap);
	q->run = run;
	q->base = base;
	q->all = all;
}

int main(int argc, char **argv)
{
	int reps = 3, argi = 1;
	if (argi + 1 < argc && strcmp(argv[argi], "-r") == 0) {
		reps = atoi(argv[argi + 1]);
		argi += 2;
	}
	if (argi >= argc || reps < 1) {
		fprintf(stderr, "usage: parse_bench [-r REPS] DIR|FILE.json.gz...\n");
		return 2;
	}
	ld = libdeflate_alloc_decompressor();
	if (!ld)
		die("libdeflate_alloc_decompressor", NULL);
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
		die("no .json.gz files", NULL);
	qsort(files, nfiles, sizeof(*files), cmp_path);
	size_t json_total = 0, gz_total = 0;
	for (size_t i = 0; i < nfiles; i++) {
		json_total += files[i].json_len;
		gz_total += files[i].gz_len;
	}
	reader = trail_reader_new();

	struct parser p[8];
	size_t np = 0;
	add_parser(p, &np, run_rampart, 0, 0, "rampart trail_read_mem");
#ifdef HAVE_JSONC
	add_parser(p, &np, run_jsonc, 0, 0, "json-c %s json_tokener_parse", JSON_C_VERSION);
#endif
#ifdef HAVE_JANSSON
	add_parser(p, &np, run_jansson, 0, 0, "jansson %s json_loadb", ja_version());
#endif
#ifdef HAVE_SIMDJSON
	add_parser(p, &np, run_simdjson, 0, 0, "%s", sj_describe());
#endif
	/* the like-for-like pair: every field rampart's reader extracts */
	size_t all_base = np;
	add_parser(p, &np, run_rampart_all, all_base, 1, "rampart, all 19 fields read");
#ifdef HAVE_SIMDJSON
	add_parser(p, &np, run_simdjson_all, all_base, 1, "simdjson, all 19 fields + raw spans");
#endif
	add_parser(p, &np, run_rampart_gz, 0, 0, "rampart from .gz (+libdeflate)");

	for (int rep = 0; rep < reps; rep++) {
		for (size_t k = 0; k < np; k++) {
			struct acc a;
			memset(&a, 0, sizeof(a));
			double t0 = now();
			if (p[k].run(&a) != 0)
				return 3;
			double t = now() - t0;
			if (rep == 0 || t < p[k].best)
				p[k].best = t;
			p[k].acc = a;
		}
	}

	const struct acc *r = &p[0].acc;
	printf("parse_bench: %zu files, %.1f MB JSON (%.1f MB gzipped), %llu events; one core, "
	       "best of %d\n",
	       nfiles, (double)json_total / 1e6, (double)gz_total / 1e6,
	       (unsigned long long)r->events, reps);
	printf("  %-42s %8s %11s %13s\n", "parser", "MB/s", "events/s", "time/rampart");
	int bad = 0;
	for (size_t k = 0; k < np; k++) {
		const struct acc *a = &p[k].acc, *b = &p[p[k].base].acc;
		if (a->events != r->events || a->print != r->print || a->arns != r->arns ||
		    a->errors != r->errors || a->names != r->names || a->sources != r->sources ||
		    (p[k].all && a->print_all != b->print_all)) {
			fprintf(stderr,
				"parse_bench: %s disagrees with rampart: %llu events (%llu), "
				"fingerprint %llx (%llx), all fields %llx (%llx)\n",
				p[k].name, (unsigned long long)a->events,
				(unsigned long long)r->events, (unsigned long long)a->print,
				(unsigned long long)r->print, (unsigned long long)a->print_all,
				(unsigned long long)b->print_all);
			bad = 1;
		}
		printf("  %-42s %8.0f %11.0f %12.2fx\n", p[k].name,
		       (double)json_total / 1e6 / p[k].best, (double)a->events / p[k].best,
		       p[k].best / p[p[k].base].best);
	}
	printf("  fields: %llu eventName, %llu eventSource, %llu userIdentity.arn, %llu errorCode; "
	       "all parsers agree: %s\n",
	       (unsigned long long)r->names, (unsigned long long)r->sources,
	       (unsigned long long)r->arns, (unsigned long long)r->errors, bad ? "NO" : "yes");
#ifndef HAVE_JSONC
	printf("  (json-c not built: libjson-c-dev not found)\n");
#endif
#ifndef HAVE_JANSSON
	printf("  (jansson not built: libjansson-dev not found)\n");
#endif
#ifndef HAVE_SIMDJSON
	printf("  (simdjson not built: libsimdjson-dev or g++ not found)\n");
#endif
	trail_reader_free(reader);
	libdeflate_free_decompressor(ld);
	return bad ? 3 : 0;
}

#endif /* PB_JANSSON_UNIT */
