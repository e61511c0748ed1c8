/*
 * fuzz_json_skip.c - libFuzzer target: the trail parser's 64-byte block
 * skip (jp_skip) against the validating jp_value it stands in for.
 *
 * Whatever jp_value accepts, jp_skip must accept too, as the same kind of
 * value ending at the same byte; what jp_value rejects, jp_skip may accept
 * only in the ways json.c documents (scalars' grammar, bracket kinds
 * inside a skipped value), so it must still end inside the input on a
 * closing bracket.  The input is tried at several offsets in a 64-byte
 * block, followed by 128 spaces so that the block path (which wants 64
 * bytes ahead) runs, not only its fallback.
 */
#include "trail/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	char *buf = malloc(size + 64 + 128);
	if (!buf)
		return 0;
	for (size_t pad = 0; pad < 64; pad += 13) {
		jp_skip_use_avx2((int)(pad & 1)); /* both block paths */
		memset(buf, ' ', pad);
		memcpy(buf + pad, data, size);
		memset(buf + pad + size, ' ', 128);
		size_t n = pad + size + 128;
		struct jp a, b;
		jp_init(&a, buf, n);
		jp_init(&b, buf, n);
		enum tval_kind ka = TV_ABSENT, kb = TV_ABSENT;
		struct tstr sa = {0}, sb = {0};
		bool esc;
		bool ok_a = jp_skip(&a, 1, &ka, &sa);
		bool ok_b = jp_value(&b, 1, &kb, &sb, &esc);
		if (ok_b && (!ok_a || a.p != b.p || ka != kb || sa.s != sb.s || sa.n != sb.n))
			abort(); /* a value jp_value reads must be skipped the same */
		if (ok_a && !ok_b) {
			/* accepted by design only: an object or array, closed */
			if ((ka != TV_OBJECT && ka != TV_ARRAY) || a.p > buf + n ||
			    (a.p[-1] != '}' && a.p[-1] != ']'))
				abort();
		}
	}
	free(buf);
	return 0;
}
