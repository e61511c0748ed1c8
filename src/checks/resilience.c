/*
 * resilience.c - the resilience layer's checks.
 */
#include "checks/catalogue.h"

const struct check checks_resilience[] = {
	{0},
};
const size_t checks_resilience_count = 0;
