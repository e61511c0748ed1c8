/*
 * read.h - the CloudTrail reader: files, directories and stdin in, one
 * small event struct per record out, with bounded memory.
 *
 * Accepted containers, detected from the bytes, not the file name:
 *   - S3 delivery files: {"Records":[{...},{...}]}, gzipped or not;
 *   - a JSON array of events [{...},{...}] (Stratus, Panther samples);
 *   - JSON lines / concatenated objects (CloudTrail Lake, CloudWatch Logs),
 *     each line optionally prefixed by an ISO timestamp and a space, as in
 *     CloudWatch Logs exports;
 *   - gzip with any number of members (cat a.gz b.gz), each member possibly
 *     splitting a record in two.
 *
 * Records are split by a purpose-built scanner (string and escape aware,
 * depth tracking) over a sliding window, so memory is bounded by the largest
 * record (TRAIL_MAX_RECORD) plus one decompressed member, not by the file.
 * Each record is then parsed once by a validating parser that fills a
 * struct trail_event; the event's strings point into the record text (or a
 * scratch copy when JSON escapes had to be decoded) and are valid only
 * during the callback.
 *
 * Bad input (corrupt gzip member, truncated file, a record that is not an
 * object, malformed JSON, invalid UTF-8, an oversized record) never stops
 * the read: it becomes a struct trail_skip with file, byte offset and
 * reason, and reading resumes at the next thing that can be read.
 */
#ifndef RAMPART_TRAIL_READ_H
#define RAMPART_TRAIL_READ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest single record kept; a longer one is skipped with a warning. */
#define TRAIL_MAX_RECORD (32u * 1024 * 1024)
/* Deepest JSON nesting inside a record. */
#define TRAIL_MAX_DEPTH 128

/* A string slice.  s == NULL: absent.  For values, the JSON escapes are
 * already decoded (except in raw spans, which are JSON text). */
struct tstr {
	const char *s;
	size_t n;
};

/* Kind of a JSON value found by trail_event_field. */
enum tval_kind { TV_ABSENT, TV_NULL, TV_STRING, TV_NUMBER, TV_BOOL, TV_OBJECT, TV_ARRAY };

struct trail_event {
	const char *raw; /* the record's JSON text, raw[0] == '{' */
	size_t raw_len;
	const char *file;
	uint64_t offset; /* byte offset of the record in the (decompressed) stream */

	struct tstr time, source, name, region, ip, agent;
	struct tstr error_code, error_message, event_type, event_id, recipient;
	struct tstr uid_type, uid_arn, uid_account, uid_principal, uid_invoked_by;
	struct tstr issuer_arn, issuer_type;
	struct tstr mfa_used;      /* additionalEventData.MFAUsed */
	struct tstr console_login; /* responseElements.ConsoleLogin */
	struct tstr request_params;   /* raw JSON of requestParameters (or "null") */
	struct tstr response_elements; /* raw JSON of responseElements */
	bool bad_utf8;             /* a string held invalid UTF-8 (reported) */
};

/* Something that could not be read. */
struct trail_skip {
	char *file;
	uint64_t offset;
	bool compressed_offset; /* offset counts compressed bytes (gzip member) */
	char *reason;
};

struct trail_skips {
	struct trail_skip *v;
	size_t n, cap;
};

void trail_skip_add(struct trail_skips *s, const char *file, uint64_t off, bool compressed,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void trail_skips_move(struct trail_skips *dst, struct trail_skips *src);
void trail_skips_sort(struct trail_skips *s);
void trail_skips_free(struct trail_skips *s);

/* Shared counters for a progress display; updated with relaxed atomics. */
struct trail_progress {
	_Atomic uint64_t files, events, bytes_in, bytes_json;
};

typedef void (*trail_event_fn)(const struct trail_event *ev, void *ctx);

/* One reader per thread: it owns its buffers and decompressors. */
struct trail_reader;

struct trail_reader *trail_reader_new(void);
void trail_reader_free(struct trail_reader *r);
/* Optional: counters to add to while reading (may be shared by threads). */
void trail_reader_set_progress(struct trail_reader *r, struct trail_progress *p);

/*
 * Read one file ("-" is standard input), opened as core/input.h says: any
 * length of path, never blocking on a FIFO.  Calls fn for every record.
 * Returns the number of events delivered; problems go to `skips`.
 */
uint64_t trail_read_path(struct trail_reader *r, const char *path, trail_event_fn fn, void *ctx,
			 struct trail_skips *skips);
/* The same over a buffer in memory (tests, fuzzing). */
uint64_t trail_read_mem(struct trail_reader *r, const char *name, const void *buf, size_t len,
			trail_event_fn fn, void *ctx, struct trail_skips *skips);

/*
 * Expand PATHs into one sorted list of files, each once (a file named
 * twice, or inside two directories given, is read once): directories are
 * walked recursively by the shared walker (core/walk.h; S3 layout
 * AWSLogs/<acct>/CloudTrail/<region>/...), keeping .json, .json.gz,
 * .jsonl, .ndjson, .gz and skipping hidden entries and CloudTrail-Digest.
 * "-" is kept as is; a FIFO or device is refused unless its path names a
 * descriptor handed over (core/input.h).  Every entry the walk cannot read
 * becomes a skip.  Paths may be longer than PATH_MAX: trail_read_path
 * opens them.  Caller frees with trail_files_free.
 */
struct trail_files {
	char **v;
	size_t n, cap;
};
void trail_files_collect(char *const *paths, size_t n, struct trail_files *out,
			 struct trail_skips *skips);
void trail_files_free(struct trail_files *f);

/*
 * Look up a dotted field path ("userIdentity.sessionContext.sessionIssuer.arn")
 * in the event's record.  Returns its kind; `out` gets the value: decoded
 * text for strings (decoded into *scratch when escapes are present, so
 * scratch must outlive the use of out), the JSON text for numbers, booleans,
 * objects and arrays.
 */
struct strbuf;
enum tval_kind trail_event_field(const struct trail_event *ev, const char *path, struct tstr *out,
				 struct strbuf *scratch);

/* Equality helpers on slices. */
bool tstr_eq(struct tstr a, const char *lit);
bool tstr_ieq(struct tstr a, const char *lit);

#endif
