/*
 * detect.c - run the detections over files on all cores.
 *
 * Files are the work items of the shared worker pool (core/pool.h: one at
 * a time from an atomic index); each worker has its own reader, scratch and result lists, so the hot path
 * shares nothing but two counters.  Results are merged and sorted after the
 * join (time, event id, detection id), so the output does not depend on
 * which thread read which file.  The windowed detections (new secret
 * readers) collect candidates per worker, and the access-denied bursts
 * in one bounded set shared by the workers (burst.h); both are decided
 * after the merge, on the time-sorted candidates.
 */
#include "trail/detect.h"
#include "trail/burst.h"
#include "trail/sigma.h"
#include "trail/usage.h"

#include "core/arena.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- detections -------------------------------------------------------------- */

/* Copy t into *at as a C string (NULL when absent); *at advances. */
static char *put_t(char **at, struct tstr t)
{
	if (!t.s)
		return NULL;
	char *s = *at;
	memcpy(s, t.s, t.n);
	s[t.n] = '\0';
	*at += t.n + 1;
	return s;
}

struct detection *detections_add(struct detections *d, const struct trail_event *ev,
				 const char *id, const char *source, const char *title,
				 const char *author, enum severity level)
{
	XGROW(d->v, d->cap, d->n + 1);
	struct detection *x = &d->v[d->n++];
	memset(x, 0, sizeof(*x));
	x->id = id;
	x->source = source;
	x->title = title;
	x->author = author;
	x->level = level;
	/* the event's strings in one allocation: a run adds tens of
	 * thousands of detections, and nine malloc/free pairs each were 4%
	 * of `trail detect` */
	const char *file = ev->file ? ev->file : "-";
	struct tstr f[9] = {ev->event_id,
			    ev->time,
			    ev->name,
			    ev->source,
			    trail_principal(ev),
			    ev->ip,
			    ev->recipient.s ? ev->recipient : ev->uid_account,
			    ev->region,
			    {file, strlen(file)}};
	size_t total = 0;
	for (size_t i = 0; i < 9; i++)
		total += f[i].s ? f[i].n + 1 : 0;
	char *at = x->strings = xmalloc(total ? total : 1);
	x->event_id = put_t(&at, f[0]);
	x->event_time = put_t(&at, f[1]);
	x->event_name = put_t(&at, f[2]);
	x->event_source = put_t(&at, f[3]);
	x->principal = put_t(&at, f[4]);
	x->source_ip = put_t(&at, f[5]);
	x->account = put_t(&at, f[6]);
	x->region = put_t(&at, f[7]);
	x->file = put_t(&at, f[8]);
	x->offset = ev->offset;
	x->file_ix = UINT32_MAX;
	return x;
}

void detection_free(struct detection *x)
{
	free(x->strings);
	free(x->detail);
	free(x->group);
}

void detections_move(struct detections *dst, struct detections *src)
{
	XMOVE_ALL(dst->v, dst->n, dst->cap, src->v, src->n, src->cap);
}

static int nstrcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int det_cmp(const void *pa, const void *pb)
{
	const struct detection *a = pa, *b = pb;
	int c;
	if ((c = nstrcmp(a->event_time, b->event_time)))
		return c;
	if ((c = nstrcmp(a->event_id, b->event_id)))
		return c;
	if (a->id != b->id && (c = strcmp(a->id, b->id)))
		return c;
	/* the same events in many files (overlapping exports, the benchmark's
	 * copies) tie up to here: the file's index orders as its path does */
	if (a->file_ix != UINT32_MAX && b->file_ix != UINT32_MAX) {
		if (a->file_ix != b->file_ix)
			return a->file_ix < b->file_ix ? -1 : 1;
	} else if ((c = strcmp(a->file, b->file)))
		return c;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	/* one event, one id, two rules (a Sigma rule with the id of another,
	 * or of a CIS control): what the reports print decides, never which
	 * thread found it first */
	if ((c = nstrcmp(a->source, b->source)) || (c = nstrcmp(a->title, b->title)))
		return c;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if ((c = nstrcmp(a->author, b->author)))
		return c;
	return nstrcmp(a->detail, b->detail);
}

int detections_cmp(const struct detection *a, const struct detection *b)
{
	return det_cmp(a, b);
}

void detections_sort(struct detections *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), det_cmp);
}

void detections_free(struct detections *d)
{
	for (size_t i = 0; i < d->n; i++)
		detection_free(&d->v[i]);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

/* ---- time and filters ---------------------------------------------------------- */

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool trail_filter_pass(const struct trail_filter *f, const struct trail_event *ev)
{
	if (f->since || f->until) {
		/* CloudTrail times are "YYYY-MM-DDTHH:MM:SSZ": the first 19 bytes
		 * compare as text */
		char t[20];
		if (!ev->time.s || ev->time.n < 19)
			return false;
		memcpy(t, ev->time.s, 19);
		t[19] = '\0';
		if (f->since && strcmp(t, f->since) < 0)
			return false;
		if (f->until && strcmp(t, f->until) > 0)
			return false;
	}
	if (f->account && !tstr_eq(ev->recipient, f->account) && !tstr_eq(ev->uid_account, f->account))
		return false;
	if (f->region && !tstr_eq(ev->region, f->region))
		return false;
	return true;
}

/* Seconds since the epoch of a CloudTrail time; -1 if unparsable. */
static long long time_secs(const char *t)
{
	if (!t || strlen(t) < 19 || !digits(t, 4) || !digits(t + 5, 2) || !digits(t + 8, 2) ||
	    !digits(t + 11, 2) || !digits(t + 14, 2) || !digits(t + 17, 2))
		return -1;
	int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
	int hh = atoi(t + 11), mm = atoi(t + 14), ss = atoi(t + 17);
	/* days from civil (Howard Hinnant's algorithm) */
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097 + (long long)doe - 719468;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* ---- workers -------------------------------------------------------------------- */

struct shared {
	struct trail_run *run;
	const struct trail_files *files;
	struct burst_set *burst; /* RMP-TRAIL-013 candidates, all workers */
	struct trail_progress prog;
	/* the progress display */
	double t0;
	bool drawn;
};

/* The detections of one id in one worker, pruned to the earliest `cap`. */
struct bucket {
	const char *id;
	struct detections d;
	uint64_t count;
	bool pruned; /* d.v[0..cap) sorted, d.v[cap - 1] the latest kept */
};

struct worker {
	struct shared *sh;
	struct bucket *b;
	size_t nb, capb;
	struct trail_reader *reader;
	struct strbuf scratch;
	struct detections secret;
	struct detections denied; /* one RMP-TRAIL-013 candidate in the making */
	/* RMP-TRAIL-005: group -> index + 1 in `secret`, so only each
	 * principal's earliest read is held (memory bounded by principals) */
	struct arena *secret_arena;
	struct strmap secret_first;
	struct trail_skips skips;
	struct trail_usage *usage;
	uint64_t events, matched;
	uint32_t file_ix; /* index of the file being read */
};

/* Keep the `cap` smallest by det_cmp (a detection among the global first
 * `cap` of its id always survives), so the result does not depend on how
 * files were spread over threads. */
static void prune(struct detections *d, size_t cap)
{
	detections_sort(d);
	for (size_t i = cap; i < d->n; i++)
		detection_free(&d->v[i]);
	if (d->n > cap)
		d->n = cap;
}

/* strcmp(t as a C string, or "", s or "") without copying t. */
static int tstr_cstr_cmp(struct tstr t, const char *s)
{
	const unsigned char *b = (const unsigned char *)(s ? s : "");
	for (size_t i = 0;; i++) {
		unsigned a = t.s && i < t.n ? (unsigned char)t.s[i] : 0;
		if (a != b[i])
			return a < b[i] ? -1 : 1;
		if (!a)
			return 0;
	}
}

/* The sign det_cmp would give the detection that ev would make for id
 * against x, without making it (0 where det_cmp looks past the offset:
 * the same event found by two rules of one id). */
static int event_det_cmp(const struct trail_event *ev, uint32_t file_ix, const char *id,
			 const struct detection *x)
{
	int c;
	if ((c = tstr_cstr_cmp(ev->time, x->event_time)))
		return c;
	if ((c = tstr_cstr_cmp(ev->event_id, x->event_id)))
		return c;
	if (id != x->id && (c = strcmp(id, x->id)))
		return c;
	if (x->file_ix != UINT32_MAX) {
		if (file_ix != x->file_ix)
			return file_ix < x->file_ix ? -1 : 1;
	} else if ((c = strcmp(ev->file ? ev->file : "-", x->file)))
		return c;
	return ev->offset < x->offset ? -1 : ev->offset > x->offset;
}

static void found(struct worker *w, const struct trail_event *ev, const char *id,
		  const char *source, const char *title, const char *author, enum severity level)
{
	struct bucket *b = NULL;
	/* ids come from static tables and rule structs: the pointer almost
	 * always finds the bucket, so compare text only when it does not */
	for (size_t i = 0; i < w->nb && !b; i++)
		if (w->b[i].id == id)
			b = &w->b[i];
	for (size_t i = 0; i < w->nb && !b; i++)
		if (!strcmp(w->b[i].id, id))
			b = &w->b[i];
	if (!b) {
		XGROW(w->b, w->capb, w->nb + 1);
		b = &w->b[w->nb++];
		memset(b, 0, sizeof(*b));
		b->id = id;
	}
	b->count++;
	size_t cap = w->sh->run->max_per_detection;
	/* once pruned, `cap` detections sort before d.v[cap - 1]: one that
	 * sorts after it would only be dropped by the next prune */
	if (b->pruned && event_det_cmp(ev, w->file_ix, id, &b->d.v[cap - 1]) > 0)
		return;
	detections_add(&b->d, ev, id, source, title, author, level)->file_ix = w->file_ix;
	if (cap && b->d.n >= 2 * cap) {
		prune(&b->d, cap);
		b->pruned = true;
	}
}

static void on_sigma_hit(const struct sigma_rule *r, const struct trail_event *ev, void *ctx)
{
	struct worker *w = ctx;
	found(w, ev, sigma_rule_id(r), "sigma", sigma_rule_title(r),
		       sigma_rule_author(r), sigma_rule_level(r));
}

static int det_cmp(const void *pa, const void *pb);

static void secret_candidate(struct worker *w, const struct trail_event *ev, struct tstr who)
{
	if (!w->secret_arena) {
		w->secret_arena = arena_new();
		strmap_init(&w->secret_first, w->secret_arena);
	}
	char *key = arena_strndup(w->secret_arena, who.s ? who.s : "", who.s ? who.n : 0);
	uintptr_t at = (uintptr_t)strmap_get(&w->secret_first, key);
	struct detection *d =
	    detections_add(&w->secret, ev, RMP_SECRET_NEW_READER, "rampart",
			   "Secret value read by a principal not seen reading secrets earlier in "
			   "the window",
			   NULL, SEV_MEDIUM);
	d->group = xstrdup(key);
	d->file_ix = w->file_ix;
	if (!at) {
		strmap_put(&w->secret_first, key, (void *)(uintptr_t)w->secret.n);
		return;
	}
	/* keep whichever of the two is earlier */
	struct detection *old = &w->secret.v[at - 1];
	if (det_cmp(d, old) < 0) {
		detection_free(old);
		*old = *d;
	} else
		detection_free(d);
	w->secret.n--;
}

/* The event becomes a candidate in the shared set, which folds it with the
 * other denials of its principal in its second and bounds what it holds
 * (the report says when something was left out). */
static void denied_candidate(struct worker *w, const struct trail_event *ev, struct tstr who)
{
	struct detection *d = detections_add(&w->denied, ev, RMP_DENIED_BURST, "rampart",
					     "Burst of access-denied errors from one principal",
					     NULL, SEV_MEDIUM);
	d->group = who.s ? xstrndup(who.s, who.n) : NULL;
	d->file_ix = w->file_ix;
	d->weight = 1;
	burst_add(w->sh->burst, d); /* takes what d owns */
	w->denied.n--;
}

static void on_event(const struct trail_event *ev, void *ctx)
{
	struct worker *w = ctx;
	struct trail_run *run = w->sh->run;
	w->events++;
	if (!trail_filter_pass(&run->filter, ev))
		return;
	w->matched++;
	if (w->usage)
		usage_add(w->usage, ev);
	if (run->cis)
		for (uint32_t cand = trail_cis_candidates(ev); cand; cand &= cand - 1) {
			size_t i = (size_t)__builtin_ctz(cand);
			if (trail_cis[i].match(ev))
				found(w, ev, trail_cis[i].id, "cis",
					       trail_cis[i].title, NULL, trail_cis[i].level);
		}
	if (run->rampart) {
		for (size_t i = 0; i < trail_rules_count; i++)
			if (trail_rules[i].match(ev))
				found(w, ev, trail_rules[i].id, "rampart",
					       trail_rules[i].title, NULL, trail_rules[i].level);
		/* windowed: an assumed-role session counts as its role */
		struct tstr who = ev->issuer_arn.s && ev->issuer_arn.n ? ev->issuer_arn
								       : trail_principal(ev);
		if (rules_is_secret_read(ev))
			secret_candidate(w, ev, who);
		if (rules_is_denied(ev))
			denied_candidate(w, ev, who);
	}
	if (run->sigma)
		sigma_run(run->sigma, ev, &w->scratch, on_sigma_hit, w);
}

/* One file, on a pool worker (core/pool.h). */
static void read_file(void *shared, void *worker, size_t i)
{
	struct shared *sh = shared;
	struct worker *w = worker;
	w->file_ix = i < UINT32_MAX ? (uint32_t)i : UINT32_MAX; /* past that: by path */
	trail_read_path(w->reader, sh->files->v[i], on_event, w, &w->skips);
}

/* ---- windowed detections ----------------------------------------------------------- */

static int tally_cmp(const void *a, const void *b)
{
	return strcmp(((const struct trail_tally *)a)->id, ((const struct trail_tally *)b)->id);
}

static int by_principal_time(const void *pa, const void *pb)
{
	const struct detection *a = pa, *b = pb;
	int c = nstrcmp(a->group, b->group);
	return c ? c : det_cmp(pa, pb);
}

/* RMP-TRAIL-005: keep each principal's first secret read of the window. */
static void finish_secret_reads(struct detections *cand, struct detections *out)
{
	if (cand->n > 1)
		qsort(cand->v, cand->n, sizeof(*cand->v), by_principal_time);
	bool *first = xcalloc(cand->n ? cand->n : 1, sizeof(bool));
	for (size_t i = 0; i < cand->n; i++)
		first[i] = i == 0 || nstrcmp(cand->v[i].group, cand->v[i - 1].group) != 0;
	for (size_t i = 0; i < cand->n; i++) {
		if (first[i]) {
			XGROW(out->v, out->cap, out->n + 1);
			out->v[out->n++] = cand->v[i];
		} else
			detection_free(&cand->v[i]);
	}
	free(first);
	free(cand->v);
	cand->v = NULL;
	cand->n = cand->cap = 0;
}

/* RMP-TRAIL-013: DENIED_BURST_COUNT denied calls by one principal within
 * DENIED_BURST_SECONDS; reported once per burst, on its first event. */
static void finish_denied(struct detections *cand, struct detections *out)
{
	if (cand->n > 1)
		qsort(cand->v, cand->n, sizeof(*cand->v), by_principal_time);
	size_t i = 0;
	bool *keep = xcalloc(cand->n ? cand->n : 1, sizeof(bool));
	while (i < cand->n) {
		size_t j = i;
		long long t0 = time_secs(cand->v[i].event_time);
		uint64_t count = cand->v[i].weight ? cand->v[i].weight : 1;
		while (j + 1 < cand->n &&
		       nstrcmp(cand->v[j + 1].group, cand->v[i].group) == 0 &&
		       time_secs(cand->v[j + 1].event_time) - t0 <= DENIED_BURST_SECONDS && t0 >= 0) {
			j++;
			count += cand->v[j].weight ? cand->v[j].weight : 1;
		}
		if (count >= DENIED_BURST_COUNT && t0 >= 0) {
			keep[i] = true;
			struct strbuf sb = STRBUF_INIT;
			sb_printf(&sb, "%llu denied calls between %s and %s", (unsigned long long)count,
				  cand->v[i].event_time, cand->v[j].event_time);
			cand->v[i].detail = sb_detach(&sb);
			i = j + 1;
		} else
			i++;
	}
	for (size_t k = 0; k < cand->n; k++) {
		if (keep[k]) {
			XGROW(out->v, out->cap, out->n + 1);
			out->v[out->n++] = cand->v[k];
		} else
			detection_free(&cand->v[k]);
	}
	free(keep);
	free(cand->v);
	cand->v = NULL;
	cand->n = cand->cap = 0;
}

/* ---- the run ---------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_progress(struct shared *sh, double elapsed, bool final)
{
	uint64_t f = atomic_load_explicit(&sh->prog.files, memory_order_relaxed);
	uint64_t e = atomic_load_explicit(&sh->prog.events, memory_order_relaxed);
	uint64_t b = atomic_load_explicit(&sh->prog.bytes_json, memory_order_relaxed);
	size_t total = sh->files->n;
	int width = 24;
	int fill = total ? (int)((double)f / (double)total * width) : width;
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r[%s] %llu/%zu files  %llu events  %.0f MB/s%s", bar,
		(unsigned long long)f, total, (unsigned long long)e,
		elapsed > 0 ? (double)b / 1e6 / elapsed : 0.0, final ? "\n" : "");
	fflush(stderr);
}

/* Every ~100 ms while the workers read: the bar, once a second has gone. */
static void tick_progress(void *arg)
{
	struct shared *sh = arg;
	double el = now_s() - sh->t0;
	if (el > 1.0) {
		draw_progress(sh, el, false);
		sh->drawn = true;
	}
}

void trail_detect_files(struct trail_run *run, const struct trail_files *files)
{
	double t0 = now_s();
	struct shared sh;
	memset(&sh, 0, sizeof(sh));
	sh.run = run;
	sh.files = files;
	sh.t0 = t0;
	size_t nt = pool_threads(run->threads, files->n);
	if (run->sigma && !run->sigma->by_name)
		sigma_set_index(run->sigma);
	if (run->cis)
		trail_cis_init();
	if (run->rampart)
		sh.burst = burst_new(run->denied_max ? run->denied_max : DENIED_MAX_CANDIDATES);
	struct worker *w = xcalloc(nt, sizeof(*w));
	for (size_t i = 0; i < nt; i++) {
		w[i].sh = &sh;
		w[i].reader = trail_reader_new();
		trail_reader_set_progress(w[i].reader, &sh.prog);
		w[i].usage = run->usage ? usage_new() : NULL;
	}
	struct pool_work work = {
		.items = files->n,
		.threads = nt,
		.run = read_file,
		.shared = &sh,
		.workers = w,
		.stride = sizeof(*w),
		.tick = run->progress ? tick_progress : NULL,
		.tick_arg = &sh,
	};
	size_t started = pool_run(&work);
	if (sh.drawn)
		draw_progress(&sh, now_s() - t0, true);
	struct detections secret = {0}, denied = {0};
	for (size_t i = 0; i < started; i++) {
		detections_move(&secret, &w[i].secret);
		detections_move(&denied, &w[i].denied);
		trail_skips_move(&run->skips, &w[i].skips);
		run->events += w[i].events;
		run->events_matched_filter += w[i].matched;
	}
	/* join the buckets of each id across workers, keep the earliest */
	for (size_t i = 0; i < nt; i++) {
		for (size_t k = 0; k < w[i].nb; k++) {
			struct bucket *b = &w[i].b[k];
			if (!b->d.n && !b->count)
				continue;
			struct detections all = {0};
			uint64_t total = 0;
			for (size_t j = i; j < nt; j++)
				for (size_t q = 0; q < w[j].nb; q++) {
					struct bucket *o = &w[j].b[q];
					if ((o->d.n || o->count) && !strcmp(o->id, b->id)) {
						total += o->count;
						detections_move(&all, &o->d);
						o->count = 0;
					}
				}
			size_t cap = run->max_per_detection;
			if (cap && all.n > cap)
				prune(&all, cap);
			if (total > all.n) {
				XGROW(run->truncated, run->ntruncated_cap, run->ntruncated + 1);
				run->truncated[run->ntruncated++] =
				    (struct trail_tally){all.n ? all.v[0].id : b->id, total};
			}
			detections_move(&run->found, &all);
		}
		free(w[i].b);
	}
	for (size_t i = 0; i < nt; i++) {
		trail_reader_free(w[i].reader);
		sb_free(&w[i].scratch);
		if (w[i].secret_arena)
			arena_free(w[i].secret_arena);
		if (w[i].usage) {
			usage_merge(run->usage, w[i].usage);
			usage_free(w[i].usage);
		}
	}
	if (run->usage)
		usage_take_warnings(run->usage, &run->skips);
	free(w);
	finish_secret_reads(&secret, &run->found);
	if (sh.burst) {
		burst_take(sh.burst, &denied, &run->skips);
		burst_free(sh.burst);
	}
	finish_denied(&denied, &run->found);
	detections_sort(&run->found);
	if (run->ntruncated > 1)
		qsort(run->truncated, run->ntruncated, sizeof(*run->truncated), tally_cmp);
	trail_skips_sort(&run->skips);
	run->files += atomic_load(&sh.prog.files);
	run->bytes_in += atomic_load(&sh.prog.bytes_in);
	run->bytes_json += atomic_load(&sh.prog.bytes_json);
	run->seconds = now_s() - t0;
}
