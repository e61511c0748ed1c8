/*
 * number.h - strict number typing for the loaders: which scalars are
 * numbers, and their values, with no partial parses and no overflow.
 *
 * YAML plain scalars follow YAML 1.1 as PyYAML resolves them (the AWS and
 * SAM CLIs): integers 0b1010, 0x1F, 0777 (octal), 1_000, 1:30 (base 60);
 * floats 1.5, 1., .5, 1.5e+3 (the exponent needs its sign), 1:30.5, .inf,
 * .nan.  Anything else (1e5, 09, -.5, 0x) is a string.  JSON numbers follow
 * RFC 8259 and are checked by the JSON reader itself (json.c).
 */
#ifndef RAMPART_LOAD_NUMBER_H
#define RAMPART_LOAD_NUMBER_H

#include <stddef.h>

enum num_status {
	NUM_NOT,   /* not a number of that kind */
	NUM_OK,    /* *out is the value (integers beyond 2^53 rounded) */
	NUM_RANGE, /* a number too large for a double: *out is +-infinity */
};

/* A plain YAML scalar: an int or a float by PyYAML's implicit resolvers? */
enum num_status yaml_number(const char *s, size_t n, double *out);
/* Text under an explicit !!int or !!float tag (same grammar, that kind only). */
enum num_status yaml_int(const char *s, size_t n, double *out);
enum num_status yaml_float(const char *s, size_t n, double *out);

/* s[0..n) as a decimal number (strtod grammar, whole text, any length). */
enum num_status decimal_value(const char *s, size_t n, double *out);

#endif
