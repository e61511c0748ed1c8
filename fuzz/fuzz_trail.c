/*
 * fuzz_trail.c - libFuzzer target: the CloudTrail reader over a buffer
 * (trail_read_mem: a {"Records": [...]} file, JSON lines, or gzip), and
 * field lookups on every event it delivers.  Bad records must become skips,
 * never crashes.
 */
#include "core/strbuf.h"
#include "trail/read.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"eventName", "userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.arn",
	"requestParameters.bucketName", "requestParameters.policy", "responseElements",
	"additionalEventData.MFAUsed", "resources", "a.b.c.d.e.f",
};

static void on_event(const struct trail_event *ev, void *ctx)
{
	struct strbuf *scratch = ctx;
	if (!ev->raw || ev->raw_len == 0 || ev->raw[0] != '{')
		abort(); /* promised: raw is the record's JSON object */
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct tstr out = {0};
		sb_reset(scratch);
		(void)trail_event_field(ev, paths[i], &out, scratch);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trail_reader *r = trail_reader_new();
	struct trail_skips skips = {0};
	struct strbuf scratch = STRBUF_INIT;
	(void)trail_read_mem(r, "fuzz.json", data, size, on_event, &scratch, &skips);
	sb_free(&scratch);
	trail_skips_free(&skips);
	trail_reader_free(r);
	return 0;
}
