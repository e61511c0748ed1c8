/*
 * fuzz_sigma.c - libFuzzer target: Sigma rules (sigma_load_text), the
 * detection compiler and the eventName index.  A rule that cannot run must
 * be rejected with a reason, never crash.
 */
#include "trail/sigma.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct sigma_set s;
	sigma_set_init(&s);
	bool ok = sigma_load_text(&s, "fuzz.yml", text);
	if (!ok && s.nrej == 0)
		abort(); /* promised: a rule that cannot run is recorded as rejected */
	sigma_set_index(&s);
	sigma_set_free(&s);
	free(text);
	return 0;
}
