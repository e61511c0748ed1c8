/*
 * read.c - CloudTrail files in, struct trail_event out (see read.h).
 *
 * Pipeline per file: bytes (read(2) or gzip) -> window -> record splitter
 * -> record parser -> callback.  The window holds the unfinished tail of the
 * previous chunk plus the new chunk; whatever is before the current record
 * is dropped after each chunk, so memory is bounded by the largest record
 * and one chunk (or one decompressed gzip member on the fast path).
 *
 * Gzip: libdeflate for whole members, zlib for streaming.  Chosen by
 * bench/trail/libs.sh (gz_bench.c: the invictus delivery files gzipped at
 * -6, one core, best of several runs): libdeflate 1.30-1.33 GB/s of JSON
 * out, ISA-L 2.30 0.88-0.93 GB/s (0.69x; 0.85x at -1, 0.69x at -9), zlib
 * 0.60 GB/s (0.46x).  Decompression is a third of `trail detect`'s CPU, so
 * the fastest decoder on delivery-file-sized members wins; ISA-L is ahead
 * only streaming one ~100 MB member, which CloudTrail does not write.
 * Delivery files are small (KBs to a few MB), so a member is decompressed
 * whole with libdeflate straight into the window.  libdeflate cannot
 * stream, so zlib takes over where whole-buffer
 * decompression would break the memory bound or salvage data: standard input,
 * files larger than GZ_WHOLE_FILE, members inflating to more than
 * GZ_WHOLE_OUT, and corrupt or truncated members (zlib yields everything
 * before the damage; libdeflate yields nothing).
 */
#include "trail/read.h"
#include "trail/json.h"
#include "trail/scan.h"

#include "core/input.h"
#include "core/strbuf.h"
#include "core/walk.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1u << 20)
/* Problems listed per file; more are counted in one closing report. */
#define TRAIL_MAX_SKIPS_PER_FILE 100
/* Compressed files up to this size are read whole (libdeflate fast path). */
#define GZ_WHOLE_FILE (8u << 20)
/* Largest member output decompressed whole; larger members stream. */
#define GZ_WHOLE_OUT (48u << 20)

/* ---- skips -------------------------------------------------------------- */

void trail_skip_add(struct trail_skips *s, const char *file, uint64_t off, bool compressed,
		    const char *fmt, ...)
{
	XGROW(s->v, s->cap, s->n + 1);
	struct trail_skip *k = &s->v[s->n++];
	k->file = xstrdup(file ? file : "-");
	k->offset = off;
	k->compressed_offset = compressed;
	va_list ap;
	va_start(ap, fmt);
	struct strbuf sb = STRBUF_INIT;
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	k->reason = sb_detach(&sb);
}

void trail_skips_move(struct trail_skips *dst, struct trail_skips *src)
{
	XMOVE_ALL(dst->v, dst->n, dst->cap, src->v, src->n, src->cap);
}

static int skip_cmp(const void *a, const void *b)
{
	const struct trail_skip *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

void trail_skips_sort(struct trail_skips *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), skip_cmp);
}

void trail_skips_free(struct trail_skips *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].file);
		free(s->v[i].reason);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ---- slices ------------------------------------------------------------- */

bool tstr_eq(struct tstr a, const char *lit)
{
	if (!a.s || (a.n ? a.s[0] != lit[0] : lit[0] != '\0'))
		return false; /* most comparisons fail on the first byte */
	size_t n = strlen(lit);
	return a.s && a.n == n && memcmp(a.s, lit, n) == 0;
}

bool tstr_ieq(struct tstr a, const char *lit)
{
	size_t n = strlen(lit);
	return a.s && a.n == n && strncasecmp(a.s, lit, n) == 0;
}

/* ---- the reader --------------------------------------------------------- */

enum smode { S_TOP, S_ARRAY, S_RECORD, S_SKIPVAL, S_TAIL };

struct trail_reader {
	/* window */
	char *buf;
	size_t len, cap;
	size_t pos;    /* next byte to scan */
	size_t start;  /* start of the current record */
	uint64_t base; /* stream offset of buf[0] */
	/* splitter state */
	enum smode mode;
	int depth;
	int arr; /* 0 none, 1 top-level array, 2 Records array */
	bool in_str, esc, discard;
	/* per file */
	const char *file;
	bool gz;
	trail_event_fn fn;
	void *ctx;
	struct trail_skips *skips;
	uint64_t events;
	uint64_t nskips; /* problems found in this file, reported or not */
	/* record scratch for decoded strings */
	char *scratch;
	size_t scratch_cap, scratch_len;
	/* input */
	unsigned char *in;
	size_t in_cap;
	struct libdeflate_decompressor *ld;
	z_stream z;
	bool z_ready;
	struct trail_progress *prog;
	/* the directory of the last file opened, kept open: files come in
	 * sorted order, a few hundred to a directory, and openat() on the
	 * base name spares the kernel a walk of the whole path per file */
	int dir_fd;
	char *dir;
	size_t dir_len;
};

struct trail_reader *trail_reader_new(void)
{
	struct trail_reader *r = xcalloc(1, sizeof(*r));
	r->dir_fd = -1;
	r->ld = libdeflate_alloc_decompressor();
	if (!r->ld)
		xalloc_die("libdeflate decompressor");
	return r;
}

void trail_reader_free(struct trail_reader *r)
{
	if (!r)
		return;
	if (r->z_ready)
		inflateEnd(&r->z);
	libdeflate_free_decompressor(r->ld);
	if (r->dir_fd >= 0)
		close(r->dir_fd);
	free(r->dir);
	free(r->buf);
	free(r->scratch);
	free(r->in);
	free(r);
}

void trail_reader_set_progress(struct trail_reader *r, struct trail_progress *p)
{
	r->prog = p;
}

#define PROG_ADD(r, field, n)                                                          \
	do {                                                                           \
		if ((r)->prog)                                                         \
			atomic_fetch_add_explicit(&(r)->prog->field, (uint64_t)(n),      \
						  memory_order_relaxed);               \
	} while (0)

static void skip(struct trail_reader *r, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void skip(struct trail_reader *r, uint64_t off, const char *fmt, ...)
{
	/* A garbage file must not turn into millions of reports (the fuzzer
	 * found that): past TRAIL_MAX_SKIPS_PER_FILE they are only counted. */
	if (++r->nskips > TRAIL_MAX_SKIPS_PER_FILE)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct strbuf sb = STRBUF_INIT;
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	trail_skip_add(r->skips, r->file, off, false, "%s%s", sb.s,
		       r->gz ? " (offset in the decompressed data)" : "");
	sb_free(&sb);
}

/* ---- record parsing ----------------------------------------------------- */

enum ctx { C_NONE, C_TOP, C_UID, C_SESS, C_ISSUER, C_AED, C_RESP };

/* k equals the string literal lit (keys are never NULL slices); the
 * length is a constant, so this compiles to a compare or two. */
#define key_is(k, lit) ((k).n == sizeof(lit) - 1 && memcmp((k).s, lit, sizeof(lit) - 1) == 0)

static struct tstr decoded(struct trail_reader *r, struct tstr s, bool esc)
{
	if (!esc)
		return s;
	/* scratch was sized to the record length: never reallocated here */
	char *d = r->scratch + r->scratch_len;
	size_t n = json_decode(s, d);
	r->scratch_len += n;
	return (struct tstr){d, n};
}

/* Which field of ev a string member sets, in context c. */
static struct tstr *field_for(struct trail_event *ev, enum ctx c, struct tstr k)
{
	switch (c) {
	case C_TOP:
		switch (k.n) {
		case 9:
			if (key_is(k, "eventTime")) return &ev->time;
			if (key_is(k, "eventName")) return &ev->name;
			if (key_is(k, "awsRegion")) return &ev->region;
			if (key_is(k, "errorCode")) return &ev->error_code;
			if (key_is(k, "eventType")) return &ev->event_type;
			if (key_is(k, "userAgent")) return &ev->agent;
			break;
		case 7:
			if (key_is(k, "eventID")) return &ev->event_id;
			break;
		case 11:
			if (key_is(k, "eventSource")) return &ev->source;
			break;
		case 12:
			if (key_is(k, "errorMessage")) return &ev->error_message;
			break;
		case 15:
			if (key_is(k, "sourceIPAddress")) return &ev->ip;
			break;
		case 18:
			if (key_is(k, "recipientAccountId")) return &ev->recipient;
			break;
		}
		return NULL;
	case C_UID:
		if (key_is(k, "type")) return &ev->uid_type;
		if (key_is(k, "arn")) return &ev->uid_arn;
		if (key_is(k, "accountId")) return &ev->uid_account;
		if (key_is(k, "principalId")) return &ev->uid_principal;
		if (key_is(k, "invokedBy")) return &ev->uid_invoked_by;
		return NULL;
	case C_ISSUER:
		if (key_is(k, "arn")) return &ev->issuer_arn;
		if (key_is(k, "type")) return &ev->issuer_type;
		return NULL;
	case C_AED:
		if (key_is(k, "MFAUsed")) return &ev->mfa_used;
		return NULL;
	case C_RESP:
		if (key_is(k, "ConsoleLogin")) return &ev->console_login;
		return NULL;
	default:
		return NULL;
	}
}

static enum ctx sub_ctx(enum ctx c, struct tstr k)
{
	if (c == C_TOP) {
		if (key_is(k, "userIdentity")) return C_UID;
		if (key_is(k, "additionalEventData")) return C_AED;
	} else if (c == C_UID) {
		if (key_is(k, "sessionContext")) return C_SESS;
	} else if (c == C_SESS) {
		if (key_is(k, "sessionIssuer")) return C_ISSUER;
	}
	return C_NONE;
}

/* Parse an object's members at j->p ('{'), filling ev in context c. */
static bool parse_members(struct trail_reader *r, struct jp *j, struct trail_event *ev, enum ctx c,
			  int depth)
{
	if (!jp_obj_begin(j))
		return false;
	struct tstr k, v;
	bool kesc, vesc;
	int rc;
	bool first = true;
	while ((rc = jp_obj_next(j, first, &k, &kesc)) == 1) {
		first = false;
		if (kesc) /* our keys have no escapes; decode for a fair match */
			k = decoded(r, k, true);
		enum ctx sc = j->p < j->end && *j->p == '{' ? sub_ctx(c, k) : C_NONE;
		if (sc != C_NONE) {
			if (depth + 1 > TRAIL_MAX_DEPTH || !parse_members(r, j, ev, sc, depth + 1))
				return false;
			continue;
		}
		enum tval_kind kind;
		vesc = false;
		if (j->p < j->end && *j->p == '"' && depth + 1 <= TRAIL_MAX_DEPTH) {
			/* most values are strings: what jp_value would do */
			kind = TV_STRING;
			if (!jp_string(j, &v, &vesc))
				return false;
		} else if (!jp_skip(j, depth + 1, &kind, &v)) /* objects nobody reads */
			return false;
		if (kind == TV_STRING) {
			struct tstr *f = field_for(ev, c, k);
			if (f)
				*f = decoded(r, v, vesc);
		} else if (c == C_TOP) {
			if (key_is(k, "requestParameters"))
				ev->request_params = v;
			else if (key_is(k, "responseElements"))
				ev->response_elements = v;
		}
	}
	return rc == 0;
}

enum parse_res { P_OK, P_NEED_MORE, P_BAD };

/* Parse the record at rec (n bytes available, the record may end earlier)
 * and deliver it.  P_NEED_MORE: the bytes ran out inside it; P_BAD: it is
 * malformed (nothing delivered or reported; j holds the error). */
static enum parse_res parse_record(struct trail_reader *r, const char *rec, size_t n, uint64_t off,
				   size_t *used, struct jp *j)
{
	if (r->scratch_cap < n + 16) {
		free(r->scratch);
		r->scratch_cap = n + 16 > 4096 ? n + 16 : 4096;
		r->scratch = xmalloc(r->scratch_cap);
	}
	r->scratch_len = 0;
	struct trail_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.raw = rec;
	ev.file = r->file;
	ev.offset = off;
	jp_init(j, rec, n);
	if (!parse_members(r, j, &ev, C_TOP, 1))
		return j->err_at >= j->end ? P_NEED_MORE : P_BAD;
	*used = (size_t)(j->p - rec);
	ev.raw_len = *used;
	/* responseElements was skipped whole; only a console sign-in's is read
	 * (its ConsoleLogin), and only once the record proved well formed */
	if (ev.response_elements.n && ev.response_elements.s[0] == '{' &&
	    tstr_eq(ev.name, "ConsoleLogin")) {
		struct jp rj;
		jp_init(&rj, ev.response_elements.s, ev.response_elements.n);
		(void)parse_members(r, &rj, &ev, C_RESP, 2);
	}
	if (j->bad_utf8) {
		ev.bad_utf8 = true;
		skip(r, off + (uint64_t)(j->bad_utf8 - rec),
		     "invalid UTF-8 in record (record kept, bytes shown as U+FFFD)");
	}
	r->events++;
	r->fn(&ev, r->ctx);
	return P_OK;
}

/* Deliver a record whose bounds the splitter found; report what is wrong. */
static void deliver(struct trail_reader *r, const char *rec, size_t n, uint64_t off)
{
	/* validate first, so a record with trailing text is not delivered */
	struct jp j;
	jp_init(&j, rec, n);
	enum tval_kind k;
	struct tstr span;
	bool esc;
	if (jp_value(&j, 1, &k, &span, &esc)) {
		jp_ws(&j);
		if (j.p != j.end) {
			skip(r, off + (uint64_t)(j.p - rec),
			     "malformed record skipped: text after the record");
			return;
		}
	}
	size_t used;
	if (parse_record(r, rec, n, off, &used, &j) != P_OK)
		skip(r, off + (uint64_t)(j.err_at - rec), "malformed record skipped: %s", j.err);
}

/* ---- the splitter ------------------------------------------------------- */

static void split_reset(struct trail_reader *r)
{
	r->mode = S_TOP;
	r->depth = 0;
	r->arr = 0;
	r->in_str = r->esc = r->discard = false;
	r->start = r->pos;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* At buf[i] == '{': is this {"Records":[ ?  1 yes (*after set), 0 no, -1 need more. */
static int records_head(struct trail_reader *r, size_t i, size_t *after)
{
	static const char key[] = "\"Records\"";
	size_t p = i + 1;
	while (p < r->len && is_ws(r->buf[p]))
		p++;
	for (size_t k = 0; k < sizeof(key) - 1; k++, p++) {
		if (p >= r->len)
			return -1;
		if (r->buf[p] != key[k])
			return 0;
	}
	while (p < r->len && is_ws(r->buf[p]))
		p++;
	if (p >= r->len)
		return -1;
	if (r->buf[p] != ':')
		return 0;
	p++;
	while (p < r->len && is_ws(r->buf[p]))
		p++;
	if (p >= r->len)
		return -1;
	if (r->buf[p] != '[')
		return 0;
	*after = p + 1;
	return 1;
}

/* Scan strings and brackets from pos; returns true when depth drops to 0
 * (pos is then just past the closing bracket).  For S_SKIPVAL, a ',' or
 * ']' at depth 0 also ends the value (not consumed). */
static bool scan_nested(struct trail_reader *r, bool stop_at_sep)
{
	const char *b = r->buf;
	size_t i = r->pos, n = r->len;
	int depth = r->depth;
	bool in_str = r->in_str, esc = r->esc;
	bool done = false;
	while (i < n) {
		if (in_str) {
			if (esc) {
				esc = false;
				i++;
				continue;
			}
			/* skip to the next quote or backslash */
			const char *q = scan_quote_bs(b + i, b + n);
			i = (size_t)(q - b);
			if (i >= n)
				break;
			if (*q == '\\')
				esc = true;
			else
				in_str = false;
			i++;
			continue;
		}
		if (!stop_at_sep) {
			i = (size_t)(scan_structural(b + i, b + n) - b);
			if (i >= n)
				break;
		}
		char c = b[i];
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 && stop_at_sep) {
				done = true;
				break;
			}
			depth--;
			if (depth == 0 && !stop_at_sep) {
				i++;
				done = true;
				break;
			}
		} else if (c == ',' && depth == 0 && stop_at_sep) {
			done = true;
			break;
		}
		i++;
	}
	r->pos = i;
	r->depth = depth;
	r->in_str = in_str;
	r->esc = esc;
	return done;
}

/* Looks like a CloudWatch Logs export line prefix: "2023-07-10T11:42:36.123Z " */
static bool timestamp_prefix(const char *s, size_t n, size_t *skip_to)
{
	if (n < 11 || s[0] < '0' || s[0] > '9' || s[4] != '-')
		return false;
	for (size_t i = 0; i < n && i < 64; i++) {
		if (s[i] == ' ' || s[i] == '\t') {
			size_t k = i;
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k < n && s[k] == '{') {
				*skip_to = k;
				return true;
			}
			return false;
		}
		if (s[i] == '\n')
			return false;
	}
	return false;
}

static void split_run(struct trail_reader *r, bool eof)
{
	while (r->pos < r->len) {
		char c = r->buf[r->pos];
		switch (r->mode) {
		case S_TOP:
			if (is_ws(c)) {
				r->pos++;
				break;
			}
			if (c == '{') {
				size_t after;
				int h = records_head(r, r->pos, &after);
				if (h < 0 && !eof)
					return; /* wait for more bytes */
				if (h == 1) {
					r->pos = after;
					r->mode = S_ARRAY;
					r->arr = 2;
				} else {
					r->start = r->pos;
					r->mode = S_RECORD;
					r->depth = 0;
				}
				break;
			}
			if (c == '[') {
				r->pos++;
				r->mode = S_ARRAY;
				r->arr = 1;
				break;
			}
			if ((unsigned char)c == 0xEF && r->len - r->pos >= 3 &&
			    (unsigned char)r->buf[r->pos + 1] == 0xBB &&
			    (unsigned char)r->buf[r->pos + 2] == 0xBF) {
				r->pos += 3;
				break;
			}
			{
				const char *s = r->buf + r->pos;
				size_t avail = r->len - r->pos;
				const char *nl = memchr(s, '\n', avail);
				if (!nl && !eof && avail < 4096)
					return;
				size_t to;
				if (timestamp_prefix(s, nl ? (size_t)(nl - s) : avail, &to)) {
					r->pos += to;
					break;
				}
				skip(r, r->base + r->pos, "text outside any JSON value skipped");
				r->pos = nl ? (size_t)(nl - r->buf) + 1 : r->len;
			}
			break;
		case S_ARRAY:
			if (is_ws(c) || c == ',') {
				r->pos++;
				break;
			}
			if (c == ']') {
				r->pos++;
				if (r->arr == 2) {
					r->mode = S_TAIL;
					r->depth = 1;
				} else
					r->mode = S_TOP;
				r->arr = 0;
				break;
			}
			if (c == '{') {
				r->start = r->pos;
				r->mode = S_RECORD;
				r->depth = 0;
				break;
			}
			skip(r, r->base + r->pos, "record is not an object (starts with '%c'), skipped",
			     (c >= 0x20 && c < 0x7f) ? c : '?');
			if (c == '}') {
				/* a stray closing brace: the value scanner would stop
				 * on it without moving, so step over it here */
				r->pos++;
				break;
			}
			r->mode = S_SKIPVAL;
			r->depth = 0;
			r->start = r->pos;
			break;
		case S_RECORD:
			/* Fast path: parse straight from the window; the parser
			 * finds the record's end.  Only when that fails (bytes ran
			 * out at the end of input, malformed or oversized record)
			 * does the bracket scanner take over from the start. */
			if (r->pos == r->start && !r->discard) {
				struct jp j;
				size_t used = 0;
				enum parse_res pr =
				    parse_record(r, r->buf + r->start, r->len - r->start,
						 r->base + r->start, &used, &j);
				if (pr == P_OK) {
					r->pos = r->start + used;
					r->mode = r->arr ? S_ARRAY : S_TOP;
					r->start = r->pos;
					break;
				}
				if (pr == P_NEED_MORE && !eof &&
				    r->len - r->start <= TRAIL_MAX_RECORD)
					return; /* wait for more bytes */
				r->depth = 0;
				r->in_str = r->esc = false;
			}
			if (scan_nested(r, false)) {
				if (!r->discard)
					deliver(r, r->buf + r->start, r->pos - r->start,
						r->base + r->start);
				r->discard = false;
				r->mode = r->arr ? S_ARRAY : S_TOP;
				r->start = r->pos;
			} else if (!r->discard && r->pos - r->start > TRAIL_MAX_RECORD) {
				skip(r, r->base + r->start,
				     "record longer than %u bytes skipped", TRAIL_MAX_RECORD);
				r->discard = true;
			}
			break;
		case S_SKIPVAL:
			if (scan_nested(r, true))
				r->mode = S_ARRAY;
			break;
		case S_TAIL:
			if (scan_nested(r, false))
				r->mode = S_TOP;
			break;
		}
	}
}

/* Report what an end of input leaves unfinished, then reset. */
static void split_finish(struct trail_reader *r, const char *why)
{
	split_run(r, true);
	if (r->mode == S_RECORD && !r->discard)
		skip(r, r->base + r->start, "record not terminated (%s), skipped", why);
	else if (r->mode == S_ARRAY || r->mode == S_SKIPVAL || r->mode == S_TAIL)
		skip(r, r->base + r->pos, "JSON array not closed (%s)", why);
	r->pos = r->len;
	split_reset(r);
}

/* Drop what is no longer needed from the front of the window. */
static void split_compact(struct trail_reader *r)
{
	size_t keep = (r->mode == S_RECORD && !r->discard) ? r->start : r->pos;
	if (keep == 0)
		return;
	memmove(r->buf, r->buf + keep, r->len - keep);
	r->len -= keep;
	r->pos -= keep;
	r->start = r->start >= keep ? r->start - keep : 0;
	r->base += keep;
}

static char *window_reserve(struct trail_reader *r, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		size_t nc = r->cap ? r->cap : CHUNK;
		while (nc < r->len + n + 1)
			nc *= 2;
		r->buf = xreallocarray(r->buf, nc, 1);
		r->cap = nc;
	}
	return r->buf + r->len;
}

/* After a chunk landed in the window: split, then compact.  A window that
 * grew large for one big member is given back. */
static void window_commit(struct trail_reader *r, size_t n)
{
	r->len += n;
	PROG_ADD(r, bytes_json, n);
	split_run(r, false);
	split_compact(r);
	if (r->cap > 4 * CHUNK && r->len < CHUNK) {
		char *nb = xmalloc(2 * CHUNK);
		memcpy(nb, r->buf, r->len);
		free(r->buf);
		r->buf = nb;
		r->cap = 2 * CHUNK;
	}
}

/* ---- input -------------------------------------------------------------- */

/* A byte source: a whole buffer, or a file descriptor read in chunks. */
struct src {
	int fd;                  /* -1 for memory */
	const unsigned char *p;  /* buffered bytes */
	size_t n, i;             /* p[i..n) not consumed yet */
	uint64_t off;            /* file offset of p[0] */
	bool eof;
	unsigned char *own;      /* chunk buffer (fd sources) */
};

/* Make sure at least one unconsumed byte is buffered; false at EOF. */
static bool src_fill(struct trail_reader *r, struct src *s)
{
	if (s->i < s->n)
		return true;
	if (s->fd < 0 || s->eof)
		return false;
	s->off += s->n;
	s->n = s->i = 0;
	for (;;) {
		ssize_t k = read(s->fd, s->own, CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			trail_skip_add(r->skips, r->file, s->off, r->gz, "read error: %s",
				       strerror(errno));
			s->eof = true;
			return false;
		}
		if (k == 0) {
			s->eof = true;
			return false;
		}
		s->n = (size_t)k;
		PROG_ADD(r, bytes_in, (uint64_t)k);
		return true;
	}
}

static void read_plain(struct trail_reader *r, struct src *s)
{
	while (src_fill(r, s)) {
		size_t n = s->n - s->i;
		memcpy(window_reserve(r, n), s->p + s->i, n);
		s->i = s->n;
		window_commit(r, n);
	}
	split_finish(r, "end of input");
}

/* Find the next gzip header (1f 8b 08) after a corruption; true if found
 * (s->i at it). */
static bool gz_resync(struct trail_reader *r, struct src *s)
{
	for (;;) {
		while (s->i + 2 < s->n) {
			const unsigned char *q = memchr(s->p + s->i, 0x1f, s->n - s->i - 2);
			if (!q)
				break;
			size_t k = (size_t)(q - s->p);
			if (q[1] == 0x8b && q[2] == 0x08) {
				s->i = k;
				return true;
			}
			s->i = k + 1;
		}
		if (s->fd < 0 || s->eof) {
			s->i = s->n;
			return false;
		}
		/* keep the last two bytes: a header may straddle chunks */
		size_t keep = s->n - s->i < 2 ? s->n - s->i : 2;
		unsigned char tail[2];
		memcpy(tail, s->p + s->n - keep, keep);
		s->off += s->n - keep;
		memcpy(s->own, tail, keep);
		ssize_t k;
		do
			k = read(s->fd, s->own + keep, CHUNK - keep);
		while (k < 0 && errno == EINTR);
		if (k <= 0) {
			s->eof = true;
			s->n = keep;
			s->i = keep;
			return false;
		}
		PROG_ADD(r, bytes_in, (uint64_t)k);
		s->n = keep + (size_t)k;
		s->i = 0;
	}
}

static uint64_t src_pos(const struct src *s)
{
	return s->off + s->i;
}

/* Inflate one gzip member with zlib, streaming into the window.  Returns
 * true when the member ended cleanly. */
static bool gz_member_zlib(struct trail_reader *r, struct src *s)
{
	uint64_t member_at = src_pos(s);
	if (!r->z_ready) {
		memset(&r->z, 0, sizeof(r->z));
		if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
			xalloc_die("zlib inflateInit2");
		r->z_ready = true;
	} else
		inflateReset2(&r->z, 16 + MAX_WBITS);
	for (;;) {
		if (!src_fill(r, s)) {
			trail_skip_add(r->skips, r->file, member_at, true,
				       "gzip member truncated (ends at byte %llu); data up to there "
				       "was read",
				       (unsigned long long)src_pos(s));
			split_finish(r, "truncated gzip member");
			return false;
		}
		r->z.next_in = (unsigned char *)(s->p + s->i);
		r->z.avail_in = (uInt)(s->n - s->i);
		char *out = window_reserve(r, CHUNK);
		r->z.next_out = (unsigned char *)out;
		r->z.avail_out = CHUNK;
		int ret = inflate(&r->z, Z_NO_FLUSH);
		s->i = s->n - r->z.avail_in;
		size_t produced = CHUNK - r->z.avail_out;
		if (produced)
			window_commit(r, produced);
		if (ret == Z_STREAM_END)
			return true;
		if (ret == Z_OK || ret == Z_BUF_ERROR)
			continue;
		trail_skip_add(r->skips, r->file, member_at, true,
			       "corrupt gzip member (%s near byte %llu); data before the damage was "
			       "read",
			       r->z.msg ? r->z.msg : "inflate error", (unsigned long long)src_pos(s));
		split_finish(r, "corrupt gzip member");
		return false;
	}
}

/* Member output size hint: ISIZE from the trailer when the member may end
 * at the end of the buffer, else a guess from the compressed size. */
static size_t gz_out_guess(const struct src *s)
{
	size_t rem = s->n - s->i;
	size_t g = rem * 8;
	if (rem >= 18) {
		const unsigned char *t = s->p + s->n - 4;
		size_t isz = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 |
			     (size_t)t[3] << 24;
		/* DEFLATE expands at most 1032:1: a trailer claiming more is
		 * corrupt or hostile, not a size worth reserving */
		if (isz + 64 > g && isz / 1032 <= rem)
			g = isz + 64;
	}
	if (g < 4096)
		g = 4096;
	return g > GZ_WHOLE_OUT ? GZ_WHOLE_OUT : g;
}

/* Whole-member decompression with libdeflate; false when the member must
 * go to zlib instead (too large, corrupt, truncated). */
static bool gz_member_whole(struct trail_reader *r, struct src *s)
{
	size_t cap = gz_out_guess(s);
	for (;;) {
		char *out = window_reserve(r, cap);
		size_t in_used = 0, out_used = 0;
		enum libdeflate_result res = libdeflate_gzip_decompress_ex(
		    r->ld, s->p + s->i, s->n - s->i, out, cap, &in_used, &out_used);
		if (res == LIBDEFLATE_SUCCESS) {
			s->i += in_used;
			window_commit(r, out_used);
			return true;
		}
		if (res == LIBDEFLATE_INSUFFICIENT_SPACE && cap < GZ_WHOLE_OUT) {
			cap = cap * 2 > GZ_WHOLE_OUT ? GZ_WHOLE_OUT : cap * 2;
			continue;
		}
		return false;
	}
}

static void read_gzip(struct trail_reader *r, struct src *s)
{
	while (src_fill(r, s)) {
		/* between members: only gzip headers or trailing zero padding */
		if (s->p[s->i] == 0) {
			size_t k = s->i;
			while (k < s->n && s->p[k] == 0)
				k++;
			s->i = k;
			continue;
		}
		bool header = s->n - s->i >= 3 ? (s->p[s->i] == 0x1f && s->p[s->i + 1] == 0x8b)
					       : s->p[s->i] == 0x1f;
		if (!header) {
			trail_skip_add(r->skips, r->file, src_pos(s), true,
				       "data after the last gzip member is not gzip; skipped up to "
				       "the next gzip header");
			split_finish(r, "non-gzip data");
			s->i++;
			if (!gz_resync(r, s))
				break;
			continue;
		}
		bool ok;
		if (s->fd < 0 && gz_member_whole(r, s))
			ok = true;
		else
			ok = gz_member_zlib(r, s);
		if (!ok) {
			/* resume at the next member header after the damage */
			if (s->i < s->n)
				s->i++;
			if (!gz_resync(r, s))
				break;
		}
	}
	split_finish(r, "end of input");
}

static void reader_begin(struct trail_reader *r, const char *name, trail_event_fn fn, void *ctx,
			 struct trail_skips *skips)
{
	r->file = name;
	r->fn = fn;
	r->ctx = ctx;
	r->skips = skips;
	r->events = 0;
	r->nskips = 0;
	r->len = r->pos = r->start = 0;
	r->base = 0;
	r->gz = false;
	split_reset(r);
}

static void report_unlisted(struct trail_reader *r)
{
	if (r->nskips > TRAIL_MAX_SKIPS_PER_FILE)
		trail_skip_add(r->skips, r->file, r->base + r->len, false,
			       "%llu further problems in this file not listed",
			       (unsigned long long)(r->nskips - TRAIL_MAX_SKIPS_PER_FILE));
}

uint64_t trail_read_mem(struct trail_reader *r, const char *name, const void *buf, size_t len,
			trail_event_fn fn, void *ctx, struct trail_skips *skips)
{
	reader_begin(r, name, fn, ctx, skips);
	struct src s = {.fd = -1, .p = buf, .n = len, .eof = true};
	if (len >= 2 && s.p[0] == 0x1f && s.p[1] == 0x8b) {
		r->gz = true;
		read_gzip(r, &s);
	} else
		read_plain(r, &s);
	report_unlisted(r);
	PROG_ADD(r, events, r->events);
	PROG_ADD(r, files, 1);
	return r->events;
}

/* Open path as input_openat does (any length; a FIFO or device refused
 * unless the user handed it over), through the cached directory when path
 * is in it. */
static int open_in_dir(struct trail_reader *r, const char *path, struct stat *st,
		       char why[INPUT_WHY_MAX])
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || input_names_descriptor(path))
		return input_openat(AT_FDCWD, path, st, why);
	size_t dl = (size_t)(slash - path);
	if (r->dir_fd < 0 || dl != r->dir_len || memcmp(r->dir, path, dl) != 0) {
		if (r->dir_fd >= 0)
			close(r->dir_fd);
		free(r->dir);
		r->dir = xstrndup(path, dl);
		r->dir_len = dl;
		r->dir_fd = input_openat_raw(AT_FDCWD, r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (r->dir_fd < 0)
			return input_openat(AT_FDCWD, path, st, why); /* its own error */
	}
	return input_openat(r->dir_fd, slash + 1, st, why);
}

uint64_t trail_read_path(struct trail_reader *r, const char *path, trail_event_fn fn, void *ctx,
			 struct trail_skips *skips)
{
	bool is_stdin = strcmp(path, "-") == 0;
	char why[INPUT_WHY_MAX];
	struct stat st;
	int fd = is_stdin ? 0 : open_in_dir(r, path, &st, why);
	if (fd < 0) {
		trail_skip_add(skips, path, 0, false, "%s", why);
		return 0;
	}
	bool whole = !is_stdin && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= GZ_WHOLE_FILE;
	uint64_t n = 0;
	if (whole) {
		/* small regular file: read it whole (gzip fast path) */
		size_t size = (size_t)st.st_size;
		if (r->in_cap < size + 1) {
			free(r->in);
			r->in_cap = size + 1 > CHUNK ? size + 1 : CHUNK;
			r->in = xmalloc(r->in_cap);
		}
		size_t got = 0;
		while (got < size) {
			ssize_t k = read(fd, r->in + got, size - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		if (got < size) {
			trail_skip_add(skips, path, got, false, "read error: file shrank or %s",
				       strerror(errno));
		}
		if (r->prog)
			atomic_fetch_add_explicit(&r->prog->bytes_in, got, memory_order_relaxed);
		n = trail_read_mem(r, path, r->in, got, fn, ctx, skips);
		/* give back a large input buffer */
		if (r->in_cap > 4 * CHUNK) {
			free(r->in);
			r->in = NULL;
			r->in_cap = 0;
		}
	} else {
		reader_begin(r, path, fn, ctx, skips);
		if (!r->in || r->in_cap < CHUNK) {
			free(r->in);
			r->in = xmalloc(CHUNK);
			r->in_cap = CHUNK;
		}
		struct src s = {.fd = fd, .own = r->in, .p = r->in};
		if (src_fill(r, &s) && s.n - s.i >= 1 && s.p[0] == 0x1f &&
		    (s.n < 2 || s.p[1] == 0x8b)) {
			r->gz = true;
			read_gzip(r, &s);
		} else
			read_plain(r, &s);
		report_unlisted(r);
		n = r->events;
		PROG_ADD(r, events, r->events);
		PROG_ADD(r, files, 1);
	}
	if (!is_stdin)
		close(fd);
	return n;
}

/* ---- file lists ---------------------------------------------------------- */

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static bool wanted_name(const char *name)
{
	if (strstr(name, "CloudTrail-Digest") || strstr(name, "CloudTrail-Insight-Digest"))
		return false;
	return ends_with(name, ".json") || ends_with(name, ".json.gz") ||
	       ends_with(name, ".jsonl") || ends_with(name, ".ndjson") ||
	       ends_with(name, ".jsonl.gz") || ends_with(name, ".gz");
}

static void files_add(struct trail_files *f, const char *p)
{
	XGROW(f->v, f->cap, f->n + 1);
	f->v[f->n++] = xstrdup(p);
}

/* The walker's filter: hidden entries and digest folders are not logs. */
static bool walk_enter(void *ctx, const struct walk_entry *dir)
{
	(void)ctx;
	return dir->depth == 0 || (dir->name[0] != '.' && strcmp(dir->name, "CloudTrail-Digest"));
}

static bool walk_want(void *ctx, const struct walk_entry *file)
{
	(void)ctx;
	return file->name[0] != '.' && wanted_name(file->name);
}

static void walk_take(void *ctx, const struct walk_entry *file)
{
	files_add(ctx, file->path); /* a root is read whatever its name */
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void trail_files_collect(char *const *paths, size_t n, struct trail_files *out,
			 struct trail_skips *skips)
{
	struct diags d = {0};
	const struct walk_ops ops = {walk_enter, walk_want, walk_take, NULL, out};
	for (size_t i = 0; i < n; i++)
		walk_path(paths[i], i, &ops, &d);
	for (size_t i = 0; i < d.n; i++)
		trail_skip_add(skips, d.v[i].file, 0, false, "%s", d.v[i].msg);
	diags_free(&d);
	/* One sorted list without repeats: a file named twice (or inside two
	 * directories given) is read once, and a file's index orders as its
	 * path does (detect.c breaks ties between files by the index). */
	if (out->n > 1) {
		qsort(out->v, out->n, sizeof(char *), str_cmp);
		size_t k = 1;
		for (size_t i = 1; i < out->n; i++) {
			if (!strcmp(out->v[i], out->v[k - 1]))
				free(out->v[i]);
			else
				out->v[k++] = out->v[i];
		}
		out->n = k;
	}
}

void trail_files_free(struct trail_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* ---- field look-up -------------------------------------------------------- */

enum tval_kind trail_event_field(const struct trail_event *ev, const char *path, struct tstr *out,
				 struct strbuf *scratch)
{
	struct jp j;
	jp_init(&j, ev->raw, ev->raw_len);
	const char *seg = path;
	out->s = NULL;
	out->n = 0;
	for (;;) {
		const char *dot = strchr(seg, '.');
		size_t sl = dot ? (size_t)(dot - seg) : strlen(seg);
		jp_ws(&j);
		if (!jp_obj_begin(&j))
			return TV_ABSENT;
		struct tstr k, v;
		bool kesc, vesc, first = true, found = false;
		enum tval_kind kind = TV_ABSENT;
		int rc;
		while ((rc = jp_obj_next(&j, first, &k, &kesc)) == 1) {
			first = false;
			if (k.n == sl && memcmp(k.s, seg, sl) == 0) {
				found = true;
				if (dot) {
					if (j.p < j.end && *j.p == '{')
						break; /* descend */
					return TV_ABSENT;
				}
				if (!jp_value(&j, 1, &kind, &v, &vesc))
					return TV_ABSENT;
				if (kind == TV_STRING && vesc) {
					sb_reset(scratch);
					char *d = scratch->s;
					sb_append(scratch, v.s, v.n); /* reserve room */
					d = scratch->s;
					size_t n = json_decode(v, d);
					scratch->len = n;
					d[n] = '\0';
					v = (struct tstr){d, n};
				}
				*out = v;
				return kind;
			}
			if (!jp_skip(&j, 1, &kind, &v))
				return TV_ABSENT;
		}
		if (!found)
			return TV_ABSENT;
		seg = dot + 1;
	}
}
