/*
 * network.c - the network layer's checks.
 */
#include "checks/catalogue.h"

const struct check checks_network[] = {
	{0},
};
const size_t checks_network_count = 0;
