/*
 * parse_bench_simdjson.cpp - the simdjson side of parse_bench.c: one
 * CloudTrail delivery file ({"Records":[...]}) parsed with the On-Demand
 * API, fields read from every record and handed to the C side
 * (pb_event, pb_event_all).  Built only by bench/trail/libs.sh when
 * libsimdjson-dev and g++ are present (parse_bench.c is then compiled with
 * -DHAVE_SIMDJSON).
 *
 * Two walks over the same file:
 *   sj_parse_file      the four fields every parser in parse_bench reads
 *   sj_parse_file_all  every field rampart's reader extracts: the like-for-
 *                      like comparison with trail_read_mem
 * Each record's members are walked once in document order (no
 * find_field_unordered look-ups), nested objects likewise; values other
 * than strings count as absent, as in rampart's reader.  The input buffer
 * must have SIMDJSON_PADDING readable bytes after len (parse_bench.c
 * allocates them), so simdjson parses it in place, without a copy.
 *
 * Kernels: stage 1 (the SIMD structural index) runs inside libsimdjson,
 * dispatched at run time (haswell on the development VM); the On-Demand
 * walk is inline code compiled here, with the kernel the compiler flags
 * allow ("fallback" at the default x86-64 baseline, as rampart is built).
 * Both are printed, e.g. "(haswell/fallback)".  SIMDJSON_ARCH=-march=native
 * in libs.sh compiles this file for the host instead; on the development VM
 * that gained ~3% with four fields and ~10% with all of them.
 */
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>

using namespace simdjson;

#define SJ_STR2(x) #x
#define SJ_STR(x) SJ_STR2(x)

/* The string fields of rampart's struct trail_event, in parse_bench.c's
 * order (enum pb_field there). */
enum {
	F_TIME, F_SOURCE, F_NAME, F_REGION, F_IP, F_AGENT, F_ERROR_CODE, F_ERROR_MESSAGE,
	F_EVENT_TYPE, F_EVENT_ID, F_RECIPIENT, F_UID_TYPE, F_UID_ARN, F_UID_ACCOUNT,
	F_UID_PRINCIPAL, F_UID_INVOKED_BY, F_ISSUER_ARN, F_ISSUER_TYPE, F_MFA_USED, F_COUNT
};

extern "C" {
void pb_event(void *acc, const char *name, size_t name_n, const char *src, size_t src_n,
	      const char *arn, size_t arn_n, const char *err, size_t err_n);
void pb_event_all(void *acc, const char *const *s, const size_t *n, size_t raw_len);
int sj_parse_file(const char *buf, size_t len, size_t cap, void *acc, char *msg, size_t msg_n);
int sj_parse_file_all(const char *buf, size_t len, size_t cap, void *acc, char *msg,
		      size_t msg_n);
const char *sj_describe(void);
}

static ondemand::parser parser;

/* The string value of v, or false when v is not a string. */
static bool get_str(ondemand::value v, std::string_view *out)
{
	ondemand::json_type t;
	if (v.type().get(t) != SUCCESS || t != ondemand::json_type::string)
		return false;
	return v.get_string().get(*out) == SUCCESS;
}

static int fail(char *msg, size_t msg_n, const char *what, error_code e)
{
	std::snprintf(msg, msg_n, "simdjson: %s: %s", what, error_message(e));
	return -1;
}

/* Set field f of (s, n) from v when v is a string. */
static void take(ondemand::value v, int f, const char **s, size_t *n)
{
	std::string_view sv;
	if (get_str(v, &sv)) {
		s[f] = sv.data();
		n[f] = sv.size();
	}
}

/* Length of v's JSON text, for requestParameters and responseElements
 * (rampart keeps non-string values of these as raw spans). */
static size_t raw_len(ondemand::value v)
{
	ondemand::json_type t;
	std::string_view sv;
	if (v.type().get(t) != SUCCESS)
		return 0;
	if (t == ondemand::json_type::object) {
		ondemand::object o;
		if (v.get_object().get(o) == SUCCESS && o.raw_json().get(sv) == SUCCESS)
			return sv.size();
	} else if (t == ondemand::json_type::array) {
		ondemand::array a;
		if (v.get_array().get(a) == SUCCESS && a.raw_json().get(sv) == SUCCESS)
			return sv.size();
	} else if (t != ondemand::json_type::string)
		return v.raw_json_token().size();
	return 0;
}

/* for each member (k, v) of obj; a bad key or value ends the file. */
#define EACH_MEMBER(obj, k, v)                                                                     \
	for (auto fld_ : obj)                                                                      \
		if (ondemand::raw_json_string k; (e = fld_.key().get(k)) != SUCCESS)               \
			return fail(msg, msg_n, "key", e);                                         \
		else if (ondemand::value v; (e = fld_.value().get(v)) != SUCCESS)                  \
			return fail(msg, msg_n, "value", e);                                       \
		else

int sj_parse_file(const char *buf, size_t len, size_t cap, void *acc, char *msg, size_t msg_n)
{
	ondemand::document doc;
	error_code e = parser.iterate(buf, len, cap).get(doc);
	if (e)
		return fail(msg, msg_n, "iterate", e);
	ondemand::array recs;
	if ((e = doc["Records"].get_array().get(recs)))
		return fail(msg, msg_n, "Records", e);
	int events = 0;
	for (auto rec_r : recs) {
		ondemand::object rec;
		if ((e = rec_r.get_object().get(rec)))
			return fail(msg, msg_n, "record", e);
		const char *s[F_COUNT] = {};
		size_t n[F_COUNT] = {};
		EACH_MEMBER(rec, k, v)
		{
			if (k == "eventName") take(v, F_NAME, s, n);
			else if (k == "eventSource") take(v, F_SOURCE, s, n);
			else if (k == "errorCode") take(v, F_ERROR_CODE, s, n);
			else if (k == "userIdentity") {
				ondemand::object u;
				if (v.get_object().get(u) != SUCCESS)
					continue;
				EACH_MEMBER(u, uk, uv) if (uk == "arn") take(uv, F_UID_ARN, s, n);
			}
		}
		pb_event(acc, s[F_NAME], n[F_NAME], s[F_SOURCE], n[F_SOURCE], s[F_UID_ARN],
			 n[F_UID_ARN], s[F_ERROR_CODE], n[F_ERROR_CODE]);
		events++;
	}
	return events;
}

/*
 * The same file, reading every field rampart's reader extracts (the
 * nineteen strings of struct trail_event, nested ones included, and the
 * raw spans of requestParameters and responseElements).
 * responseElements.ConsoleLogin is left out (rampart re-reads it for
 * ConsoleLogin events only).
 */
int sj_parse_file_all(const char *buf, size_t len, size_t cap, void *acc, char *msg, size_t msg_n)
{
	ondemand::document doc;
	error_code e = parser.iterate(buf, len, cap).get(doc);
	if (e)
		return fail(msg, msg_n, "iterate", e);
	ondemand::array recs;
	if ((e = doc["Records"].get_array().get(recs)))
		return fail(msg, msg_n, "Records", e);
	int events = 0;
	for (auto rec_r : recs) {
		ondemand::object rec;
		if ((e = rec_r.get_object().get(rec)))
			return fail(msg, msg_n, "record", e);
		const char *s[F_COUNT] = {};
		size_t n[F_COUNT] = {};
		size_t raw = 0;
		EACH_MEMBER(rec, k, v)
		{
			if (k == "eventTime") take(v, F_TIME, s, n);
			else if (k == "eventSource") take(v, F_SOURCE, s, n);
			else if (k == "eventName") take(v, F_NAME, s, n);
			else if (k == "awsRegion") take(v, F_REGION, s, n);
			else if (k == "sourceIPAddress") take(v, F_IP, s, n);
			else if (k == "userAgent") take(v, F_AGENT, s, n);
			else if (k == "errorCode") take(v, F_ERROR_CODE, s, n);
			else if (k == "errorMessage") take(v, F_ERROR_MESSAGE, s, n);
			else if (k == "eventType") take(v, F_EVENT_TYPE, s, n);
			else if (k == "eventID") take(v, F_EVENT_ID, s, n);
			else if (k == "recipientAccountId") take(v, F_RECIPIENT, s, n);
			else if (k == "requestParameters" || k == "responseElements")
				raw += raw_len(v);
			else if (k == "additionalEventData") {
				ondemand::object o;
				if (v.get_object().get(o) != SUCCESS)
					continue;
				EACH_MEMBER(o, ak, av) if (ak == "MFAUsed") take(av, F_MFA_USED, s, n);
			} else if (k == "userIdentity") {
				ondemand::object u;
				if (v.get_object().get(u) != SUCCESS)
					continue;
				EACH_MEMBER(u, uk, uv)
				{
					if (uk == "type") take(uv, F_UID_TYPE, s, n);
					else if (uk == "arn") take(uv, F_UID_ARN, s, n);
					else if (uk == "accountId") take(uv, F_UID_ACCOUNT, s, n);
					else if (uk == "principalId") take(uv, F_UID_PRINCIPAL, s, n);
					else if (uk == "invokedBy") take(uv, F_UID_INVOKED_BY, s, n);
					else if (uk == "sessionContext") {
						ondemand::object sc;
						if (uv.get_object().get(sc) != SUCCESS)
							continue;
						EACH_MEMBER(sc, sk, sv)
						{
							ondemand::object is;
							if (!(sk == "sessionIssuer") ||
							    sv.get_object().get(is) != SUCCESS)
								continue;
							EACH_MEMBER(is, ik, iv)
							{
								if (ik == "arn") take(iv, F_ISSUER_ARN, s, n);
								else if (ik == "type") take(iv, F_ISSUER_TYPE, s, n);
							}
						}
					}
				}
			}
		}
		pb_event_all(acc, s, n, raw);
		events++;
	}
	return events;
}

const char *sj_describe(void)
{
	static char d[64];
	/* stage 1 (structural index, the SIMD part) runs in the shared
	 * library, dispatched at run time; the On-Demand walk is inline here */
	const char *s1 = get_active_implementation()->name().c_str();
	const char *s2 = SJ_STR(SIMDJSON_BUILTIN_IMPLEMENTATION);
	if (std::strcmp(s1, s2) == 0)
		std::snprintf(d, sizeof d, "simdjson %s On-Demand (%s)", SJ_STR(SIMDJSON_VERSION), s1);
	else
		std::snprintf(d, sizeof d, "simdjson %s On-Demand (%s/%s)",
			      SJ_STR(SIMDJSON_VERSION), s1, s2);
	return d;
}
