/*
 * trail_read_fuzz.c - libFuzzer target for the CloudTrail reader: any bytes
 * (plain or gzip, any container) must be read or reported, never crash,
 * and every delivered event must survive a field look-up.
 *
 * fuzz/build.sh builds fuzz/fuzz_<target>.c only: this file is named
 * trail_*.c (the trail module's ownership); link it as fuzz_trail_read, e.g.
 *   clang -fsanitize=fuzzer,address,undefined -Isrc fuzz/trail_read_fuzz.c
 *         src/trail/read.c src/trail/json.c src/core/[a-z]*.c -lz -ldeflate
 * Seeds: ../shared/corpus/cloudtrail/stratus/ (45 s run: no crash).
 */
#include "core/strbuf.h"
#include "trail/read.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(const struct trail_event *ev, void *ctx)
{
	struct strbuf *sb = ctx;
	struct tstr v;
	(void)trail_event_field(ev, "userIdentity.sessionContext.sessionIssuer.arn", &v, sb);
	(void)trail_event_field(ev, "requestParameters", &v, sb);
	(void)trail_event_field(ev, "eventName", &v, sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct trail_reader *r;
	if (!r)
		r = trail_reader_new();
	struct strbuf sb = STRBUF_INIT;
	struct trail_skips sk = {0};
	trail_read_mem(r, "fuzz", data, size, on_event, &sb, &sk);
	trail_skips_free(&sk);
	sb_free(&sb);
	return 0;
}
