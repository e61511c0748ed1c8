/*
 * utf8.h - validating UTF-8 one sequence at a time (no overlongs, no
 * surrogates, nothing above U+10FFFF), shared by every writer and reader
 * that must tell valid text from bytes.
 */
#ifndef RAMPART_CORE_UTF8_H
#define RAMPART_CORE_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence starting at s (n bytes left), or 0 if it is not one. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif
