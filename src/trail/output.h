/*
 * output.h - formats for `rampart trail detect` results.
 */
#ifndef RAMPART_TRAIL_OUTPUT_H
#define RAMPART_TRAIL_OUTPUT_H

#include "trail/detect.h"
#include "trail/sigma.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct strbuf;

enum trail_format { TF_TEXT, TF_JSON, TF_JSONL, TF_SARIF };

/* Everything a report shows; borrowed, not owned. */
struct trail_output {
	const struct detections *found;
	const struct trail_skips *skips;
	const struct sigma_rejected *rejected;
	size_t nrejected;
	uint64_t files, events, events_in_filter, bytes_in, bytes_json;
	size_t ncis, nrampart, nsigma;
	/* ids whose detections were cut to the earliest --max-per-detection:
	 * their full counts (the "counts" object always has full counts) */
	const struct trail_tally *truncated;
	size_t ntruncated;
	/* When set, the buffer is written here whenever it passes 1 MB, so a
	 * report of many detections is never held whole in memory; write
	 * errors are remembered in write_failed. */
	FILE *stream;
	bool write_failed;
};

/* Append the report to sb (flushing to o->stream when set: the caller
 * writes what remains in sb at the end). */
void trail_output_write(struct strbuf *sb, enum trail_format f, struct trail_output *o);

#endif
