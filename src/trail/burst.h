/*
 * burst.h - the candidates of RMP-TRAIL-013 (bursts of access-denied
 * errors): one set shared by the reader threads, bounded, and the same
 * whatever the scheduling.
 *
 * The denied calls of one principal in one second fold into one candidate
 * (its earliest event, by detections_cmp, and the number of calls).  At
 * most `keep` (principal, second) pairs are checked for bursts: the
 * earliest, by time and then principal, of all the input's pairs, which is
 * a property of the events and not of which thread read which file first.
 * While reading, at most 2 * keep pairs are held: past that the set keeps
 * its `keep` earliest and refuses pairs later than the last of them from
 * then on.  When pairs were left out, burst_take reports it as one skip on
 * the earliest event left out.
 */
#ifndef RAMPART_TRAIL_BURST_H
#define RAMPART_TRAIL_BURST_H

#include "trail/detect.h"

#include <stddef.h>

struct burst_set;

/* A set checking at most keep pairs (keep > 0). */
struct burst_set *burst_new(size_t keep);
void burst_free(struct burst_set *b);

/*
 * Add a denied call: *d is the detection of its event, with `group` (the
 * principal it rolls up to) set; the set takes what *d owns.  Safe to call
 * from several threads at once.
 */
void burst_add(struct burst_set *b, struct detection *d);

/*
 * After the last burst_add: the candidates kept (at most keep, one per
 * pair, `weight` the calls folded into each) are moved to the end of out,
 * and a skip goes to skips when pairs were left out.  The set is then
 * empty.
 */
void burst_take(struct burst_set *b, struct detections *out, struct trail_skips *skips);

#endif
