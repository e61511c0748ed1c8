/*
 * encryption.c - the encryption layer's checks.
 */
#include "checks/catalogue.h"

const struct check checks_encryption[] = {
	{0},
};
const size_t checks_encryption_count = 0;
