/*
 * detect.h - detections over CloudTrail events: the CIS 4.x controls
 * (cis.c), rampart's own database-stack detections (rules.c), Sigma rules
 * (sigma.c), and the engine that runs them over files on all cores
 * (detect.c).
 *
 * A detection owns copies of the few event fields it reports, so nothing
 * refers back to a record after the reader moved on: memory grows with the
 * number of detections, never with the number of events.
 */
#ifndef RAMPART_TRAIL_DETECT_H
#define RAMPART_TRAIL_DETECT_H

#include "core/severity.h"
#include "trail/read.h"
#include "trail/timestamp.h" /* trail_time_norm, for --since and --until */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A stateless event predicate with its identity. */
struct trail_check {
	const char *id;
	const char *title;
	enum severity level;
	bool (*match)(const struct trail_event *ev);
};

extern const struct trail_check trail_cis[];
extern const size_t trail_cis_count;
/* Bit i set: trail_cis[i] may match ev (its name list holds the event's
 * name, or it has none); the others cannot.  Thread-safe after
 * trail_cis_init() (which is itself safe to call from any thread). */
void trail_cis_init(void);
uint32_t trail_cis_candidates(const struct trail_event *ev);
/* Literal CIS v3.0 text for 4.1 (matches almost everything; for comparison). */
bool cis_4_1_literal_v3(const struct trail_event *ev);

extern const struct trail_check trail_rules[];
extern const size_t trail_rules_count;

/* rampart detections that need more than one event (rules.c). */
#define RMP_SECRET_NEW_READER "RMP-TRAIL-005"
#define RMP_DENIED_BURST "RMP-TRAIL-013"
#define DENIED_BURST_COUNT 10
#define DENIED_BURST_SECONDS 300
/* (principal, second) pairs with denials RMP-TRAIL-013 checks at most: the
 * earliest of the input (burst.h).  Twice as many are held while reading,
 * all threads together, about 400 bytes each: 48 MB at most under a denial
 * flood (struct trail_run's denied_max, when set, overrides it). */
#define DENIED_MAX_CANDIDATES 60000u
#define ASSUME_ROLE_MAX_SECONDS 3600
bool rules_is_secret_read(const struct trail_event *ev);
bool rules_is_denied(const struct trail_event *ev);

/* The principal a detection names: the identity ARN, else the session
 * issuer ARN, else principalId, else the identity type. */
struct tstr trail_principal(const struct trail_event *ev);

struct detection {
	const char *id;     /* static, or owned by the rule set */
	const char *source; /* "cis", "sigma", "rampart" */
	const char *title;
	const char *author; /* Sigma only, else NULL */
	enum severity level;
	/* point into `strings` (one allocation, owned); NULL when absent */
	char *event_id, *event_time, *event_name, *event_source;
	char *principal, *source_ip, *account, *region, *file;
	char *strings;
	char *detail; /* optional, e.g. burst size */
	char *group;  /* windowed detections: the role a session rolls up to */
	uint64_t weight; /* denied-burst candidates: events folded into this one */
	uint64_t offset;
	/* the file's place in the run's sorted file list (UINT32_MAX: not
	 * known): compared instead of the path, in the same order */
	uint32_t file_ix;
};

struct detections {
	struct detection *v;
	size_t n, cap;
};

/* Append a detection for ev. */
struct detection *detections_add(struct detections *d, const struct trail_event *ev,
				 const char *id, const char *source, const char *title,
				 const char *author, enum severity level);
void detections_move(struct detections *dst, struct detections *src);
/* Sort by event time, event id, detection id (then file, offset, and what
 * else the reports print: a total order, so the output does not depend on
 * the order detections were found in). */
void detections_sort(struct detections *d);
/* That order: <0, 0 or >0. */
int detections_cmp(const struct detection *a, const struct detection *b);
/* Free what one detection owns (not the detection itself). */
void detection_free(struct detection *x);
void detections_free(struct detections *d);

/* Filters and options of a run. */
struct trail_filter {
	const char *since, *until; /* normalised "YYYY-MM-DDTHH:MM:SS", or NULL */
	const char *account, *region;
};
bool trail_filter_pass(const struct trail_filter *f, const struct trail_event *ev);

struct sigma_set;
struct trail_usage;

struct trail_run {
	/* inputs */
	struct trail_filter filter;
	struct sigma_set *sigma; /* may be NULL */
	struct trail_usage *usage; /* when set: IAM actions used are aggregated here */
	bool cis, rampart;
	int threads;             /* 0: all cores */
	/* Detections kept per detection id: the earliest by (time, event id);
	 * counts stay exact.  0 keeps all.  Bounds memory on noisy rules. */
	size_t max_per_detection;
	/* RMP-TRAIL-013 (principal, second) pairs checked at most, the
	 * earliest; 0: DENIED_MAX_CANDIDATES */
	size_t denied_max;
	bool progress;           /* draw a progress bar on stderr */
	/* outputs */
	struct detections found;
	/* ids with more detections than kept: their full counts */
	struct trail_tally {
		const char *id;
		uint64_t total;
	} *truncated;
	size_t ntruncated, ntruncated_cap;
	struct trail_skips skips;
	uint64_t files, events, events_matched_filter, bytes_in, bytes_json;
	double seconds;
};

/* Read every file and run the detections; results in run->found, sorted. */
void trail_detect_files(struct trail_run *run, const struct trail_files *files);

#endif
