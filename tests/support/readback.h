/*
 * readback.h - reading files and looking into parsed documents, for tests.
 */
#ifndef RAMPART_TESTS_READBACK_H
#define RAMPART_TESTS_READBACK_H

#include <stdbool.h>

struct node;

/* The whole file as a NUL-terminated string (caller frees); the test fails
 * if it cannot be read. */
char *test_slurp(const char *path);
/* Does the sequence node hold the string s? */
bool test_seq_has(const struct node *seq, const char *s);

#endif
