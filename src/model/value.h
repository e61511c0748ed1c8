/*
 * value.h - resolved CloudFormation values, with "unknown" as a first-class
 * answer.
 *
 * The model turns a resource's Properties (document nodes) into values:
 * intrinsic functions are evaluated wherever the template determines the
 * result.  What the template cannot determine stays unknown and says why:
 *
 *   VAL_REF      a Ref/GetAtt to another resource of the stack.  Its string
 *                is unknown until deploy, but which resource it names is
 *                known: the graph is built from these.
 *   VAL_UNKNOWN  anything else not knowable: a parameter without a default,
 *                Fn::ImportValue, a string built from resource attributes...
 *                `expr` is a readable rendering ("!ImportValue SharedKey"),
 *                `refs` the stack resources it mentions.
 *   VAL_CHOICE   Fn::If on a condition that cannot be decided: either of
 *                `items` may be deployed.
 *
 * Checks ask questions through the tri-state helpers below and get YES, NO
 * or MAYBE; a check never guesses at an unknown.
 */
#ifndef RAMPART_MODEL_VALUE_H
#define RAMPART_MODEL_VALUE_H

#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum val_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP,
	VAL_REF,
	VAL_UNKNOWN,
	VAL_CHOICE,
};

enum tri { NO = 0, YES = 1, MAYBE = 2 };

struct value;

struct vpair {
	const char *key;
	struct pos key_pos;
	struct value *v;
};

/*
 * Fields are ordered so that nothing is padded (112 bytes).  A string's
 * text may be the document node's own (a value never outlives the
 * document it was resolved from: the stack keeps both in one arena).
 */
struct value {
	enum val_kind kind;
	bool b;            /* VAL_BOOL */
	bool secure_ref;   /* a {{resolve:secretsmanager|ssm-secure:...}} dynamic reference,
			      or a NoEcho parameter without a default */
	struct pos pos;    /* where it was written in the template */
	double num;        /* VAL_NUMBER (text in s) */
	const char *s;     /* STRING / NUMBER text; REF: target logical ID;
			      UNKNOWN: expression as written */
	size_t len;        /* length of s */
	const char *attr;  /* VAL_REF: GetAtt attribute, NULL for Ref */
	const char *why;   /* VAL_UNKNOWN: reason ("parameter DbPassword has no Default") */
	const char **refs; /* UNKNOWN/REF: stack resources mentioned */
	size_t nrefs;
	const char *param; /* set when the value came from a template Parameter: its name */
	size_t n;          /* LIST/CHOICE items, MAP pairs */
	struct value **items;
	struct vpair *pairs;
};

/* ---- construction (used by the model) ---- */
struct value *val_new(struct arena *a, enum val_kind k, struct pos pos);
struct value *val_string(struct arena *a, const char *s, size_t len, struct pos pos);
struct value *val_bool(struct arena *a, bool b, struct pos pos);
struct value *val_unknown(struct arena *a, struct pos pos, const char *expr, const char *why);

/* ---- navigation: all NULL-safe ---- */
/* Map member by key; NULL if absent or v is not a map. */
struct value *val_get(const struct value *v, const char *key);
/* Path of map keys separated by '.', e.g. "SSESpecification.SSEEnabled". */
struct value *val_path(const struct value *v, const char *path);
/* List item i, or NULL. */
struct value *val_item(const struct value *v, size_t i);
/* Number of items of a list (0 otherwise). */
size_t val_len(const struct value *v);

/* True if v is VAL_UNKNOWN, VAL_CHOICE or VAL_REF (not a known literal). */
bool val_is_unknown(const struct value *v);
/* String text if v is a known string or number, else NULL. */
const char *val_str(const struct value *v);

/*
 * Tri-state questions.  For VAL_CHOICE the answer is YES/NO only if every
 * alternative agrees.  Strings "true"/"false" count as booleans, as
 * CloudFormation coerces them.
 */
enum tri val_is_true(const struct value *v);   /* absent -> NO */
enum tri val_is_false(const struct value *v);  /* absent -> NO */
enum tri val_equals(const struct value *v, const char *s);       /* exact */
enum tri val_equals_ci(const struct value *v, const char *s);    /* case-insensitive */
/* Numeric value if known: returns YES and sets *out; MAYBE if unknown; NO if absent/not numeric. */
enum tri val_number(const struct value *v, double *out);

/* Three-valued (Kleene) logic: NO wins an and, YES wins an or, else MAYBE. */
enum tri tri_and(enum tri a, enum tri b);
enum tri tri_or(enum tri a, enum tri b);
enum tri tri_not(enum tri a);

/* pred over every alternative of v (val_each_alternative): YES or NO when they all agree, else MAYBE. */
typedef enum tri (*val_alt_pred)(const struct value *v, const void *arg);
enum tri val_over_alternatives(const struct value *v, val_alt_pred pred, const void *arg);

/* Readable one-line rendering for messages (bounded; adds "..." if cut). */
const char *val_render(struct arena *a, const struct value *v);
const char *val_kind_name(enum val_kind k);

/* Call fn on every alternative of v (v itself unless it is a VAL_CHOICE; nested choices flattened). */
void val_each_alternative(const struct value *v, void (*fn)(const struct value *alt, void *ctx), void *ctx);

#endif
