/*
 * query.h - tri-state questions about resolved property values, by path.
 *
 * Checks ask "is SSESpecification.SSEEnabled true?", "is AccessLogSetting
 * set?", "does an item of Cors.AllowOrigins equal "*"?" and get YES, NO or
 * MAYBE.  A path is map keys separated by '.' ("" asks about the value
 * itself).  On the way to the property:
 *
 *   - an Fn::If (VAL_CHOICE) answers YES or NO only when every alternative
 *     agrees, MAYBE otherwise (at any depth of the path);
 *   - a map that is unknown as a whole (a parameter, an import, a GetAtt)
 *     answers MAYBE: what it holds is not known;
 *   - a member that is absent, or a value that is not a map, makes the
 *     property absent: the question is asked of NULL.
 *
 * Nothing is guessed: an unknown stays MAYBE.  Lists are asked about item
 * by item (query_any) or walked (query_each_item).  Nesting deeper than
 * QUERY_MAX_DEPTH answers MAYBE.
 */
#ifndef RAMPART_MODEL_QUERY_H
#define RAMPART_MODEL_QUERY_H

#include "model/value.h"

#include <stdbool.h>

#define QUERY_MAX_DEPTH 32

/* A question about one value; v is NULL when the property is absent. */
typedef enum tri (*query_fn)(const struct value *v, const void *arg);

/* Ask `q` about the property at `path` of v. */
enum tri query_at(const struct value *v, const char *path, query_fn q, const void *arg);

/* Is the property absent, null, "" or []? */
enum tri query_unset(const struct value *v, const char *path);
/* Is it true?  ("true"/"false" strings count, as CloudFormation coerces them; absent: NO.) */
enum tri query_true(const struct value *v, const char *path);
/* Is it the string s, ignoring case?  (Absent: NO.) */
enum tri query_equals_ci(const struct value *v, const char *path, const char *s);

/*
 * Does some item of the list at `path` satisfy q?  YES if one surely does,
 * NO if none does, MAYBE when the list or an item is undecided.  A single
 * value counts as a list of one; an absent list has no items (NO).
 */
enum tri query_any(const struct value *v, const char *path, query_fn q, const void *arg);

/* Questions for query_at / query_any: equal to the string arg, exactly or ignoring case. */
enum tri query_eq(const struct value *v, const void *s);
enum tri query_eq_ci(const struct value *v, const void *s);

/*
 * Call fn on each item of a list value (a single value counts as a list of
 * one), nested lists and Fn::If alternatives flattened; `chosen` is true
 * for an item that only some alternative holds.  Absent and null items are
 * skipped.  fn returns true to stop; query_each_item then returns true.
 */
typedef bool (*query_item_fn)(const struct value *item, bool chosen, void *ctx);
bool query_each_item(const struct value *v, query_item_fn fn, void *ctx);

/* Absent or null. */
bool query_absent(const struct value *v);

/*
 * Text to match patterns against: a known string's or number's text, or
 * the expression of an unknown value as written (a Fn::Sub keeps its
 * literal parts: "arn:aws:s3:::${Bucket}/photos").  NULL otherwise.
 */
const char *query_text(const struct value *v);

#endif
