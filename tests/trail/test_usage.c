/*
 * test_usage.c - `rampart trail usage`: event -> IAM action mapping and its
 * exceptions, role roll-up of sessions, aggregation (counts, first/last,
 * resources, denied calls), the command's json, and the review of template
 * roles against the logs (--templates: unused roles, actions, services).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "readback.h"

#include "cli/commands.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "iam/catalogue.h"
#include "load/load.h"
#include "load/node.h"
#include "trail/detect.h"
#include "trail/read.h"
#include "trail/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS "../shared/corpus/cloudtrail/"

static const char *act(const char *src, const char *name)
{
	static struct strbuf out = STRBUF_INIT;
	struct tstr s = {src, strlen(src)}, n = {name, strlen(name)};
	return trail_iam_action(s, n, &out) ? out.s : NULL;
}

static void test_action_mapping(void **st)
{
	(void)st;
	assert_string_equal(act("dynamodb.amazonaws.com", "GetItem"), "dynamodb:GetItem");
	assert_string_equal(act("s3.amazonaws.com", "ListObjects"), "s3:ListBucket");
	assert_string_equal(act("s3.amazonaws.com", "ListBuckets"), "s3:ListAllMyBuckets");
	assert_string_equal(act("s3.amazonaws.com", "HeadObject"), "s3:GetObject");
	assert_string_equal(act("s3.amazonaws.com", "PutBucketReplication"),
			    "s3:PutReplicationConfiguration");
	assert_string_equal(act("s3.amazonaws.com", "GetObject"), "s3:GetObject");
	assert_string_equal(act("monitoring.amazonaws.com", "PutMetricData"),
			    "cloudwatch:PutMetricData");
	assert_string_equal(act("streams.dynamodb.amazonaws.com", "GetRecords"),
			    "dynamodb:GetRecords");
	assert_string_equal(act("email.amazonaws.com", "SendEmail"), "ses:SendEmail");
	assert_string_equal(act("cloudfront.amazonaws.com", "CreateDistribution2015_07_27"),
			    "cloudfront:CreateDistribution");
	/* Lambda's API versions: 20150331, 20150331v2 (the corpus has both) */
	assert_string_equal(act("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"),
			    "lambda:UpdateFunctionCode");
	assert_string_equal(act("lambda.amazonaws.com", "CreateFunction20150331"), "lambda:CreateFunction");
	assert_string_equal(act("lambda.amazonaws.com", "ListTags20170331"), "lambda:ListTags");
	assert_string_equal(act("lambda.amazonaws.com", "Invoke"), "lambda:Invoke");
	assert_string_equal(act("s3.amazonaws.com", "ListObjectsV2"), "s3:ListBucket");
	assert_string_equal(act("ec2.amazonaws.com", "X20150331"), "ec2:X");
	assert_string_equal(act("ec2.amazonaws.com", "20150331v2"), "ec2:20150331v2"); /* nothing left */
	assert_string_equal(act("ec2.amazonaws.com", "X120150331"), "ec2:X120150331"); /* 9 digits */
	assert_string_equal(act("ec2.amazonaws.com", "X20150331v"), "ec2:X20150331v");
	assert_string_equal(act("kms.amazonaws.com", "ReEncrypt"), "kms:ReEncrypt*");
	assert_null(act("sts.amazonaws.com", "GetCallerIdentity"));
	assert_null(act("signin.amazonaws.com", "ConsoleLogin"));
	assert_string_equal(act("sts.amazonaws.com", "AssumeRole"), "sts:AssumeRole");
	assert_null(act("", "X"));
	/* host names and IAM actions are case-insensitive: the prefix comes out
	 * in lower case, the exceptions apply in any case */
	assert_string_equal(act("DynamoDB.amazonaws.com", "getItem"), "dynamodb:getItem");
	assert_string_equal(act("S3.amazonaws.com", "listObjects"), "s3:ListBucket");
	assert_string_equal(act("KMS.amazonaws.com", "reEncrypt"), "kms:ReEncrypt*");
	assert_string_equal(act("Monitoring.amazonaws.com", "PutMetricData"), "cloudwatch:PutMetricData");
	assert_null(act("signin.amazonaws.com", "CheckMfa")); /* signin:CheckMFA, as logged */
	assert_null(act("STS.amazonaws.com", "GetCallerIdentity"));
}

/* text as a log file read by the detect driver (two threads) into a
 * usage table; what was skipped or warned about in *skips (sorted). */
static struct trail_usage *usage_read(const char *text, struct trail_skips *skips)
{
	struct trail_usage *u = usage_new();
	char tmpl[] = "/tmp/rampart-usage-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.usage = u;
	run.threads = 2;
	struct trail_files f = {0};
	char *p[] = {tmpl};
	trail_files_collect(p, 1, &f, &run.skips);
	trail_detect_files(&run, &f);
	*skips = run.skips;
	trail_files_free(&f);
	detections_free(&run.found);
	unlink(tmpl);
	return u;
}

static struct trail_usage *usage_of(const char *text)
{
	struct trail_skips sk;
	struct trail_usage *u = usage_read(text, &sk);
	assert_int_equal(sk.n, 0);
	trail_skips_free(&sk);
	return u;
}

#define SESSION(t, name, src, sess, extra)                                                        \
	"{\"eventTime\":\"" t "\",\"eventName\":\"" name "\",\"eventSource\":\"" src "\","          \
	"\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/" sess \
	"\"}" extra "}\n"

static void test_rollup_and_aggregation(void **st)
{
	(void)st;
	struct trail_usage *u = usage_of(
	    SESSION("2024-01-02T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s1",
		    ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/T\"}]")
	    SESSION("2024-01-01T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s2",
		    ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/U\"}]")
	    SESSION("2024-01-03T00:00:00Z", "DeleteTable", "dynamodb.amazonaws.com", "s1",
		    ",\"errorCode\":\"AccessDenied\"")
	    SESSION("2024-01-03T00:00:00Z", "GetCallerIdentity", "sts.amazonaws.com", "s1", "")
	    "{\"eventName\":\"ListBuckets\",\"eventSource\":\"s3.amazonaws.com\",\"eventTime\":"
	    "\"2024-01-01T00:00:00Z\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
	    "\"arn:aws:iam::1:user/bob\"}}\n");
	const char *role = "arn:aws:iam::1:role/app";
	assert_int_equal(usage_action_count(u, role), 1);
	assert_true(usage_used(u, role, "dynamodb:GetItem"));
	assert_false(usage_used(u, role, "dynamodb:DeleteTable")); /* denied is not use */
	assert_false(usage_used(u, role, "sts:GetCallerIdentity"));
	assert_true(usage_used(u, "arn:aws:iam::1:user/bob", "s3:ListAllMyBuckets"));
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "\"action\":\"dynamodb:GetItem\",\"count\":2,"
				     "\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-02T00:00:00Z\""));
	assert_non_null(strstr(sb.s, "\"resources\":[\"arn:aws:dynamodb:eu-west-2:1:table/T\","
				     "\"arn:aws:dynamodb:eu-west-2:1:table/U\"]"));
	assert_non_null(strstr(sb.s, "\"denied_calls\":1,\"calls_without_iam_action\":1"));
	sb_free(&sb);
	usage_free(u);
}

/* More resources than kept (USAGE_MAX_RESOURCES): the smallest are kept,
 * whatever the order the events came in. */
static void test_resources_truncated_by_order(void **st)
{
	(void)st;
	const int n = USAGE_MAX_RESOURCES + 10;
	for (int order = 0; order < 2; order++) {
		struct strbuf text = STRBUF_INIT;
		for (int i = 0; i < n; i++) {
			int k = order ? n - 1 - i : i;
			sb_printf(&text,
				  "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"GetItem\","
				  "\"eventSource\":\"dynamodb.amazonaws.com\",\"userIdentity\":{\"type\":"
				  "\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/u\"},\"resources\":[{\"ARN\":"
				  "\"arn:aws:dynamodb:eu-west-2:1:table/T%02d\"}]}\n",
				  k);
		}
		struct trail_usage *u = usage_of(text.s);
		sb_free(&text);
		struct usage_action_view *v;
		size_t na = usage_actions(u, "arn:aws:iam::1:user/u", &v);
		assert_int_equal(na, 1);
		assert_int_equal(v[0].nres, USAGE_MAX_RESOURCES);
		assert_true(v[0].res_more);
		for (size_t r = 0; r < v[0].nres; r++) {
			char want[64];
			snprintf(want, sizeof(want), "arn:aws:dynamodb:eu-west-2:1:table/T%02zu", r);
			assert_string_equal(v[0].res[r], want);
		}
		free(v);
		usage_free(u);
	}
}

/* A principal named by events with and without userIdentity.type (EC2
 * acting for itself logs both): its type is the one the events give,
 * whichever event was read first. */
static void test_principal_type_by_order(void **st)
{
	(void)st;
	static const char *const ev[2] = {
	    "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"AssumeRole\",\"eventSource\":"
	    "\"sts.amazonaws.com\",\"userIdentity\":{\"accountId\":\"1\",\"invokedBy\":"
	    "\"ec2.amazonaws.com\"}}\n",
	    "{\"eventTime\":\"2024-01-01T00:00:01Z\",\"eventName\":\"AssumeRole\",\"eventSource\":"
	    "\"sts.amazonaws.com\",\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":"
	    "\"ec2.amazonaws.com\"}}\n",
	};
	for (int order = 0; order < 2; order++) {
		struct strbuf text = STRBUF_INIT;
		sb_puts(&text, ev[order]);
		sb_puts(&text, ev[!order]);
		struct trail_usage *u = usage_of(text.s);
		sb_reset(&text);
		usage_write_json(&text, u);
		assert_non_null(strstr(text.s, "{\"principal\":\"ec2.amazonaws.com\",\"type\":\"AWSService\","));
		sb_free(&text);
		usage_free(u);
	}
}

/* ---- the same events in any order, split over any tables ---- */

#define EV(t, uid, name, src, extra)                                                              \
	"{\"eventTime\":\"" t "\",\"eventName\":\"" name "\",\"eventSource\":\"" src "\","          \
	"\"userIdentity\":{" uid "}" extra "}"
#define EC2_UNTYPED "\"accountId\":\"1\",\"invokedBy\":\"ec2.amazonaws.com\""
#define EC2_TYPED "\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\""
#define BOB(type) "\"type\":\"" type "\",\"arn\":\"arn:aws:iam::1:user/bob\""
#define APP(sess) "\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/" sess "\""
#define RES(a, b)                                                                                 \
	",\"resources\":[{\"ARN\":\"arn:aws:s3:::b/" a "\"},{\"ARN\":\"arn:aws:s3:::b/" b "\"}]"

/* Every attribute of a usage record: a type given by some events only (and
 * two known types that disagree), first and last times (one event without a
 * time), counts, resources past USAGE_MAX_RESOURCES, denied calls and calls
 * no IAM action authorises. */
static const char *const mixed_events[] = {
    EV("2024-01-01T00:00:05Z", EC2_UNTYPED, "SharedSnapshotVolumeCreated", "ec2.amazonaws.com", ""),
    EV("2024-01-01T00:00:02Z", EC2_TYPED, "AssumeRole", "sts.amazonaws.com", ""),
    EV("2024-01-01T00:00:09Z", EC2_UNTYPED, "AssumeRole", "sts.amazonaws.com", ""),
    EV("2024-01-01T00:00:03Z", BOB("IAMUser"), "ListBuckets", "s3.amazonaws.com", ""),
    EV("2024-01-01T00:00:01Z", BOB("Unknown"), "ListBuckets", "s3.amazonaws.com", ""),
    EV("2024-01-01T00:00:04Z", BOB("IAMUser"), "DeleteBucket", "s3.amazonaws.com",
       ",\"errorCode\":\"AccessDenied\""),
    EV("2024-01-01T00:00:04Z", BOB("IAMUser"), "GetCallerIdentity", "sts.amazonaws.com", ""),
    "{\"eventName\":\"GetObject\",\"eventSource\":\"s3.amazonaws.com\",\"userIdentity\":{" APP("s0")
    "}}",
    EV("2024-01-03T00:00:00Z", APP("s1"), "GetObject", "s3.amazonaws.com", RES("k00", "k21")),
    EV("2024-01-02T00:00:00Z", APP("s2"), "GetObject", "s3.amazonaws.com", RES("k01", "k20")),
    EV("2024-01-05T00:00:00Z", APP("s3"), "GetObject", "s3.amazonaws.com", RES("k02", "k19")),
    EV("2024-01-04T00:00:00Z", APP("s1"), "GetObject", "s3.amazonaws.com", RES("k03", "k18")),
    EV("2024-01-02T00:00:00Z", APP("s2"), "GetObject", "s3.amazonaws.com", RES("k04", "k17")),
    EV("2024-01-06T00:00:00Z", APP("s3"), "GetObject", "s3.amazonaws.com", RES("k05", "k16")),
    EV("2024-01-01T00:00:00Z", APP("s1"), "GetObject", "s3.amazonaws.com", RES("k06", "k15")),
    EV("2024-01-07T00:00:00Z", APP("s2"), "GetObject", "s3.amazonaws.com", RES("k07", "k14")),
    EV("2024-01-08T00:00:00Z", APP("s3"), "GetObject", "s3.amazonaws.com", RES("k08", "k13")),
    EV("2024-01-02T00:00:00Z", APP("s1"), "GetObject", "s3.amazonaws.com", RES("k09", "k12")),
    EV("2024-01-09T00:00:00Z", APP("s2"), "GetObject", "s3.amazonaws.com", RES("k10", "k11")),
    EV("2024-01-09T00:00:00Z", APP("s2"), "GetObject", "s3.amazonaws.com", RES("k10", "k00")),
    EV("2024-01-03T00:00:00Z", APP("s3"), "PutObject", "s3.amazonaws.com", RES("k00", "k01")),
    EV("2024-01-03T00:00:00Z", APP("s3"), "PutObject", "s3.amazonaws.com", ",\"errorCode\":\"NoSuchKey\""),
};
#define NMIXED (sizeof(mixed_events) / sizeof(mixed_events[0]))

static void add_event(const struct trail_event *ev, void *ctx)
{
	usage_add(ctx, ev);
}

/* The events order[i] with i % nparts == part (or, nparts 0, the first
 * half for part 0 and the rest for part 1) into u. */
static void add_some(struct trail_usage *u, const size_t *order, int part, int nparts)
{
	struct trail_reader *r = trail_reader_new();
	struct trail_skips sk = {0};
	for (size_t i = 0; i < NMIXED; i++) {
		int in = nparts ? (int)(i % (size_t)nparts) : i >= NMIXED / 2;
		if (in != part)
			continue;
		const char *e = mixed_events[order[i]];
		assert_int_equal(trail_read_mem(r, "mixed", e, strlen(e), add_event, u, &sk), 1);
	}
	assert_int_equal(sk.n, 0);
	trail_skips_free(&sk);
	trail_reader_free(r);
}

/* Both reports of u and its warnings, and u freed. */
static char *reports(struct trail_usage *u)
{
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	usage_write_text(&sb, u);
	struct trail_skips sk = {0};
	usage_take_warnings(u, &sk);
	trail_skips_sort(&sk);
	for (size_t i = 0; i < sk.n; i++)
		sb_printf(&sb, "%s: byte %llu: %s\n", sk.v[i].file, (unsigned long long)sk.v[i].offset,
			  sk.v[i].reason);
	trail_skips_free(&sk);
	usage_free(u);
	return sb_detach(&sb);
}

/*
 * What a worker thread would see: the events in three orders, read into one
 * table, or split (alternately, or by halves) over two tables merged either
 * way round or both into a third.  Every report must be the same bytes:
 * nothing of a record may depend on which event or table came first.
 */
static void test_order_and_split_do_not_matter(void **st)
{
	(void)st;
	size_t order[3][NMIXED];
	for (size_t i = 0; i < NMIXED; i++) {
		order[0][i] = i;
		order[1][i] = NMIXED - 1 - i;
		order[2][i] = (i * 7 + 3) % NMIXED; /* 7 and NMIXED are coprime */
	}
	_Static_assert(NMIXED % 7 != 0, "order[2] must be a permutation");
	struct trail_usage *u = usage_new();
	add_some(u, order[0], 0, 1);
	char *want = reports(u);
	/* what the events give, whatever the order */
	assert_non_null(strstr(want, "ec2.amazonaws.com (AWSService): 2 actions used"));
	assert_non_null(strstr(want, "arn:aws:iam::1:user/bob (IAMUser): 1 action used, 1 denied call\n"));
	assert_non_null(strstr(want, "\"action\":\"s3:GetObject\",\"count\":13,"
				     "\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-09T00:00:00Z\""));
	assert_non_null(strstr(want, "\"arn:aws:s3:::b/k19\"],\"resources_truncated\":true}"));
	assert_non_null(strstr(want, "\"calls_without_iam_action\":1,"));
	/* the event without a time counts, and is said */
	assert_non_null(strstr(want, "mixed: byte 0: no eventTime: the \"s3:GetObject\" call is counted without a time\n"));

	for (int o = 0; o < 3; o++) {
		u = usage_new();
		add_some(u, order[o], 0, 1);
		char *got = reports(u);
		assert_string_equal(got, want);
		free(got);
		for (int nparts = 0; nparts <= 2; nparts += 2) {
			for (int how = 0; how < 3; how++) {
				struct trail_usage *a = usage_new(), *b = usage_new();
				add_some(a, order[o], 0, nparts);
				add_some(b, order[o], 1, nparts);
				if (how == 0) {
					usage_merge(a, b);
				} else if (how == 1) {
					usage_merge(b, a);
					struct trail_usage *t = a;
					a = b;
					b = t;
				} else {
					struct trail_usage *c = usage_new();
					usage_merge(c, b);
					usage_merge(c, a);
					usage_free(a);
					a = c;
				}
				usage_free(b);
				got = reports(a);
				assert_string_equal(got, want);
				free(got);
			}
		}
	}
	free(want);
}

/* ---- nothing lost silently (times, escapes, long names, no principal) ---- */

#define BOB_EV(t, name, extra)                                                                    \
	"{\"eventTime\":\"" t "\",\"eventName\":\"" name "\",\"eventSource\":\"dynamodb.amazonaws.com\"," \
	"\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/bob\"}" extra "}\n"

/* The skip of skips whose reason holds what; fails if none or several. */
static const struct trail_skip *skip_with(const struct trail_skips *skips, const char *what)
{
	const struct trail_skip *found = NULL;
	for (size_t i = 0; i < skips->n; i++)
		if (strstr(skips->v[i].reason, what)) {
			if (found)
				fail_msg("two warnings hold '%s'", what);
			found = &skips->v[i];
		}
	if (!found)
		fail_msg("no warning holds '%s'", what);
	return found;
}

/*
 * Event times as CloudTrail's exporters write them (fractions of a second,
 * offsets, CloudTrail Lake's "YYYY-MM-DD HH:MM:SS.000") are read and
 * normalised to CloudTrail's form; an invalid or missing time is a warning
 * naming the file, the record's offset and its event ID, and the call
 * still counts.  (Before: times of 24 bytes or more were dropped, leaving
 * first and last empty, and shorter ones were kept as written.)
 */
static void test_event_time_forms(void **st)
{
	(void)st;
	const char *log =
	    BOB_EV("2023-01-03 12:00:00.000", "GetItem", "")
	    BOB_EV("2023-01-01T00:00:00.123456Z", "GetItem", "")
	    BOB_EV("2023-01-05T10:00:00.5+02:00", "GetItem", "")
	    BOB_EV("2023-01-02T00:00:00.000Z", "PutItem", "")
	    BOB_EV("2023-01-01T01:00:00-01:30", "Query", "")
	    BOB_EV("2023-02-30T00:00:00Z", "DeleteItem", ",\"eventID\":\"e-bad-date\"")
	    "{\"eventName\":\"Scan\",\"eventSource\":\"dynamodb.amazonaws.com\",\"eventID\":\"e-no-time\","
	    "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/bob\"}}\n";
	struct trail_skips sk;
	struct trail_usage *u = usage_read(log, &sk);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:GetItem\",\"count\":3,"
				     "\"first\":\"2023-01-01T00:00:00Z\",\"last\":\"2023-01-05T08:00:00Z\""));
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:PutItem\",\"count\":1,"
				     "\"first\":\"2023-01-02T00:00:00Z\",\"last\":\"2023-01-02T00:00:00Z\""));
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:Query\",\"count\":1,"
				     "\"first\":\"2023-01-01T02:30:00Z\",\"last\":\"2023-01-01T02:30:00Z\""));
	/* counted, with no time: null, never an empty string */
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:DeleteItem\",\"count\":1,"
				     "\"first\":null,\"last\":null"));
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:Scan\",\"count\":1,\"first\":null,\"last\":null"));
	assert_null(strstr(sb.s, "\"\""));
	sb_reset(&sb);
	usage_write_text(&sb, u);
	assert_non_null(strstr(sb.s, "  dynamodb:DeleteItem"));
	assert_non_null(strstr(sb.s, "      1  ? .. ?\n")); /* DeleteItem and Scan */
	sb_free(&sb);
	/* two warnings, at their records */
	assert_int_equal(sk.n, 2);
	const struct trail_skip *bad = skip_with(&sk, "\"2023-02-30T00:00:00Z\"");
	assert_non_null(strstr(bad->reason, "e-bad-date"));
	assert_non_null(strstr(bad->reason, "dynamodb:DeleteItem"));
	assert_int_equal(bad->offset, (uint64_t)(strstr(log, "{\"eventTime\":\"2023-02-30") - log));
	const struct trail_skip *none = skip_with(&sk, "no eventTime");
	assert_non_null(strstr(none->reason, "e-no-time"));
	assert_int_equal(none->offset, (uint64_t)(strstr(log, "{\"eventName\":\"Scan\"") - log));
	assert_non_null(strstr(none->file, "/tmp/rampart-usage-"));
	trail_skips_free(&sk);
	usage_free(u);
}

/* Resource ARNs written with JSON escapes are decoded, not dropped; a
 * resource named without a usable ARN marks the list incomplete. */
static void test_escaped_resource_arns(void **st)
{
	(void)st;
	struct trail_skips sk;
	struct trail_usage *u = usage_read(
	    BOB_EV("2024-01-01T00:00:00Z", "GetItem",
		   ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table\\/T1\"},"
		   "{\"\\u0041RN\":\"arn:aws:dynamodb:eu-west-2:1:table/T\\u0032\"}]")
	    BOB_EV("2024-01-01T00:00:00Z", "PutItem",
		   ",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/T1\"},"
		   "{\"accountId\":\"1\",\"type\":\"AWS::DynamoDB::Table\"}]")
	    BOB_EV("2024-01-01T00:00:00Z", "Query",
		   ",\"eventID\":\"e-nul\",\"resources\":[{\"ARN\":\"arn:aws:dynamodb:eu-west-2:1:table/T1\\u0000x\"}]"),
	    &sk);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:GetItem\",\"count\":1,\"first\":\"2024-01-01T00:00:00Z\","
				     "\"last\":\"2024-01-01T00:00:00Z\",\"resources\":[\"arn:aws:dynamodb:eu-west-2:1:"
				     "table/T1\",\"arn:aws:dynamodb:eu-west-2:1:table/T2\"],\"resources_truncated\":false}"));
	/* a resource without an ARN: the list is not the whole story */
	assert_non_null(strstr(sb.s, "\"resources\":[\"arn:aws:dynamodb:eu-west-2:1:table/T1\"],"
				     "\"resources_truncated\":true}"));
	/* an ARN holding a NUL is not an ARN: left out, said, and the list marked */
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:Query\",\"count\":1,\"first\":\"2024-01-01T00:00:00Z\","
				     "\"last\":\"2024-01-01T00:00:00Z\",\"resources\":[],\"resources_truncated\":true}"));
	assert_int_equal(sk.n, 1);
	assert_non_null(strstr(skip_with(&sk, "NUL")->reason, "e-nul"));
	sb_free(&sb);
	trail_skips_free(&sk);
	usage_free(u);
}

/* No fixed buffer decides what counts: a long principal ARN, a long event
 * name and a long service prefix are kept whole; a call that names no
 * principal is a warning, not a silent drop. */
static void test_long_names_and_no_principal(void **st)
{
	(void)st;
	struct strbuf role = STRBUF_INIT, name = STRBUF_INIT, source = STRBUF_INIT, log = STRBUF_INIT;
	sb_puts(&role, "arn:aws:iam::1:role/");
	for (int i = 0; i < 60; i++)
		sb_puts(&role, "pathpart0/");
	sb_puts(&role, "r");
	for (int i = 0; i < 20; i++)
		sb_puts(&name, "LongEventName");
	for (int i = 0; i < 10; i++)
		sb_puts(&source, "longservice");
	sb_printf(&log, "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"GetItem\",\"eventSource\":"
			"\"dynamodb.amazonaws.com\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":"
			"\"arn:aws:sts::1:assumed-role/r/s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":"
			"\"Role\",\"arn\":\"%s\"}}}}\n", role.s);
	sb_printf(&log, BOB_EV("2024-01-01T00:00:00Z", "%s", ""), name.s);
	sb_printf(&log, "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"Get\",\"eventSource\":"
			"\"%s.amazonaws.com\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
			"\"arn:aws:iam::1:user/bob\"}}\n", source.s);
	/* an IAM user named without its ARN: whose call it was is not known */
	sb_puts(&log, "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"GetItem\",\"eventID\":\"e-nobody\","
		      "\"eventSource\":\"dynamodb.amazonaws.com\",\"userIdentity\":{\"type\":\"IAMUser\","
		      "\"accountId\":\"1\",\"userName\":\"carol\"}}\n");
	/* no principal and nothing to count (a sign-in check): nothing lost, no warning */
	sb_puts(&log, "{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"CheckMfa\",\"eventSource\":"
		      "\"signin.amazonaws.com\",\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"1\"}}\n");
	struct trail_skips sk;
	struct trail_usage *u = usage_read(log.s, &sk);
	assert_true(role.len > 512);
	assert_true(usage_used(u, role.s, "dynamodb:GetItem"));
	struct strbuf act = STRBUF_INIT;
	sb_printf(&act, "dynamodb:%s", name.s);
	assert_true(act.len > 256);
	assert_true(usage_used(u, "arn:aws:iam::1:user/bob", act.s));
	sb_reset(&act);
	sb_printf(&act, "%s:Get", source.s);
	assert_true(usage_used(u, "arn:aws:iam::1:user/bob", act.s));
	assert_int_equal(usage_action_count(u, "arn:aws:iam::1:user/bob"), 2);
	assert_int_equal(sk.n, 1);
	assert_non_null(strstr(skip_with(&sk, "no principal")->reason, "e-nobody"));
	sb_free(&act);
	sb_free(&role);
	sb_free(&name);
	sb_free(&source);
	sb_free(&log);
	trail_skips_free(&sk);
	usage_free(u);
}

/* A warning per problem up to a bound per file, then one line counting
 * the rest; which are listed does not depend on the thread count. */
static void test_warnings_bounded(void **st)
{
	(void)st;
	struct strbuf log = STRBUF_INIT;
	for (int i = 0; i < 250; i++)
		sb_printf(&log, BOB_EV("2023-13-%02d", "GetItem", ""), i % 28 + 1);
	struct trail_skips sk;
	struct trail_usage *u = usage_read(log.s, &sk);
	assert_int_equal(sk.n, 101);
	assert_non_null(strstr(sk.v[100].reason, "150 further"));
	for (size_t i = 1; i < 100; i++)
		assert_true(sk.v[i - 1].offset < sk.v[i].offset);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "{\"action\":\"dynamodb:GetItem\",\"count\":250,\"first\":null"));
	sb_free(&sb);
	sb_free(&log);
	trail_skips_free(&sk);
	usage_free(u);
}

static void test_stratus_secret_reader(void **st)
{
	(void)st;
	struct trail_usage *u = usage_new();
	struct trail_run run;
	memset(&run, 0, sizeof(run));
	run.usage = u;
	struct trail_files f = {0};
	char *p[] = {CORPUS "stratus/aws.credential-access.secretsmanager-retrieve-secrets.json"};
	trail_files_collect(p, 1, &f, &run.skips);
	trail_detect_files(&run, &f);
	struct strbuf sb = STRBUF_INIT;
	usage_write_json(&sb, u);
	assert_non_null(strstr(sb.s, "\"action\":\"secretsmanager:GetSecretValue\""));
	assert_non_null(strstr(sb.s, "\"action\":\"secretsmanager:ListSecrets\""));
	sb_free(&sb);
	trail_files_free(&f);
	trail_skips_free(&run.skips);
	detections_free(&run.found);
	usage_free(u);
}

static void test_usage_command(void **st)
{
	(void)st;
	char out[] = "/tmp/rampart-usage-out-XXXXXX";
	int fd = mkstemp(out);
	close(fd);
	char *a[] = {"trail", "usage", CORPUS "invictus", "--format", "json", "-o", out, NULL};
	assert_int_equal(cmd_trail(7, a), 0);
	FILE *f = fopen(out, "r");
	char buf[256];
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_non_null(strstr(buf, "{\"version\":1,\"principals\":["));
	char *b[] = {"trail", "usage", CORPUS "invictus", "--fail-on", "high", NULL};
	assert_int_equal(cmd_trail(5, b), 2);
	char *c[] = {"trail", "usage", CORPUS "invictus", "--format", "sarif", NULL};
	assert_int_equal(cmd_trail(5, c), 2);
	unlink(out);
}

#define DATA "tests/trail/data/"

static bool count_action(const struct iam_action_info *a, void *ctx)
{
	(void)a;
	(*(size_t *)ctx)++;
	return true;
}

/* The role of the --templates json named id. */
static const struct node *role_of(const struct node *root, const char *id)
{
	const struct node *roles = node_get(root, "roles");
	assert_non_null(roles);
	for (size_t i = 0; i < roles->n; i++)
		if (!strcmp(node_str(node_get(roles->items[i], "role")), id))
			return roles->items[i];
	fail_msg("role %s not in the review", id);
	return NULL;
}

static const struct node *service_of(const struct node *role, const char *svc)
{
	const struct node *v = node_get(role, "services");
	for (size_t i = 0; v && i < v->n; i++)
		if (!strcmp(node_str(node_get(v->items[i], "service")), svc))
			return v->items[i];
	return NULL;
}

static char *run_to_string(char **argv, int argc, int want_rc)
{
	char out[] = "/tmp/rampart-unused-XXXXXX";
	int fd = mkstemp(out);
	close(fd);
	argv[argc - 1] = out; /* the last argument is -o's value */
	assert_int_equal(cmd_trail(argc, argv), want_rc);
	FILE *f = fopen(out, "rb");
	assert_non_null(f);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_append(&sb, buf, n);
	fclose(f);
	unlink(out);
	char *s = strdup(sb.s ? sb.s : "");
	sb_free(&sb);
	return s;
}

/* Granted versus used, per role of a small template and synthetic log. */
static void test_templates_review(void **st)
{
	(void)st;
	char *a[] = {"trail", "usage", DATA "unused-log.jsonl", "--templates", DATA "unused-template.yaml",
		     "--format", "json", "--no-progress", "-o", NULL};
	char *json = run_to_string(a, 10, 0);
	struct arena *ar = arena_new();
	struct diags d = {0};
	const struct node *root = load_buffer("review.json", json, strlen(json), ar, &d);
	assert_int_equal(d.n, 0);
	assert_non_null(root);

	size_t ddb = 0;
	iam_actions_matching("dynamodb:*", count_action, &ddb);
	assert_true(ddb > 10);

	/* AppRole (RoleName app-role): GetItem, PutItem of dynamodb:*; GetObject of two s3 */
	const struct node *app = role_of(root, "AppRole");
	assert_true(node_get(app, "used")->boolean);
	assert_true(test_seq_has(node_get(app, "principals"), "arn:aws:iam::111122223333:role/app-role"));
	const struct node *sv = service_of(app, "dynamodb");
	assert_non_null(sv);
	/* the unconditional Deny of DeleteTable takes it out of the granted set */
	assert_int_equal((size_t)node_get(sv, "granted")->num, ddb - 1);
	assert_int_equal((int)node_get(sv, "used")->num, 2); /* the denied DeleteTable is not use */
	assert_false(test_seq_has(node_get(sv, "unused_actions"), "dynamodb:DeleteTable"));
	assert_false(test_seq_has(node_get(sv, "unused_actions"), "dynamodb:GetItem"));
	sv = service_of(app, "s3");
	assert_int_equal((int)node_get(sv, "granted")->num, 2);
	assert_int_equal((int)node_get(sv, "used")->num, 1);
	assert_true(test_seq_has(node_get(sv, "unused_actions"), "s3:PutObject"));
	assert_true(test_seq_has(node_get(app, "services_never_used"), "kms"));
	assert_false(test_seq_has(node_get(app, "services_never_used"), "s3"));
	assert_true(test_seq_has(node_get(app, "not_expanded"), "madeup:dothing"));
	assert_int_equal((size_t)node_get(app, "granted_actions")->num, ddb - 1 + 3);
	assert_int_equal((int)node_get(app, "used_actions")->num, 3);

	/* ReportsRole has no RoleName: matched by the generated STACK-ID-SUFFIX name */
	const struct node *rep = role_of(root, "ReportsRole");
	assert_true(node_get(rep, "used")->boolean);
	assert_true(test_seq_has(node_get(rep, "principals"),
			    "arn:aws:iam::111122223333:role/orders-stack-ReportsRole-1A2B3C4D"));
	assert_int_equal((int)node_get(rep, "used_actions")->num, 1);

	/* IdleRole: no session in the logs */
	const struct node *idle = role_of(root, "IdleRole");
	assert_false(node_get(idle, "used")->boolean);
	assert_int_equal(node_get(idle, "principals")->n, 0);
	assert_true(test_seq_has(node_get(idle, "services_never_used"), "secretsmanager"));
	assert_true(test_seq_has(node_get(idle, "services_never_used"), "sqs"));
	arena_free(ar);
	diags_free(&d);
	free(json);

	/* text: the per-service summary */
	char *b[] = {"trail", "usage", DATA "unused-log.jsonl", "--templates", DATA "unused-template.yaml",
		     "--no-progress", "-o", NULL};
	char *text = run_to_string(b, 8, 0);
	char line[128];
	snprintf(line, sizeof(line), "  dynamodb: 2 of %zu granted actions used\n", ddb - 1);
	assert_non_null(strstr(text, line));
	assert_non_null(strstr(text, "role IdleRole (RoleName idle-role): never used in the window\n"));
	assert_non_null(strstr(text, "  kms: 0 of 1 granted action used (service never touched)\n"));
	free(text);

	/* no template there: usage error; and --templates is not for detect */
	char *c[] = {"trail", "usage", DATA "unused-log.jsonl", "--templates", DATA "no-such-dir",
		     "--no-progress", NULL};
	assert_int_equal(cmd_trail(6, c), 2);
	char *e[] = {"trail", "detect", DATA "unused-log.jsonl", "--templates", DATA, NULL};
	assert_int_equal(cmd_trail(5, e), 2);
}

/* A used action the catalogue does not know cannot be placed in the
 * granted set: the review lists it instead of leaving it out silently. */
static void test_review_lists_unknown_used(void **st)
{
	(void)st;
	char log[] = "/tmp/rampart-unused-log-XXXXXX";
	int fd = mkstemp(log);
	assert_true(fd >= 0);
	static const char text[] =
	    SESSION("2024-01-01T00:00:00Z", "GetItem", "dynamodb.amazonaws.com", "s1", "")
	    SESSION("2024-01-01T00:00:00Z", "GetStorageLensDashboardDataInternal", "s3.amazonaws.com", "s1", "");
	/* SESSION's role is "app"; the template's is "app-role" */
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = text; *p; p++) {
		if (!strncmp(p, "assumed-role/app/", 17)) {
			sb_puts(&sb, "assumed-role/app-role/");
			p += 16;
		} else
			sb_putc(&sb, *p);
	}
	assert_true(write(fd, sb.s, sb.len) == (ssize_t)sb.len);
	close(fd);
	sb_free(&sb);
	char *a[] = {"trail", "usage", log, "--templates", DATA "unused-template.yaml", "--format", "json",
		     "--no-progress", "-o", NULL};
	char *json = run_to_string(a, 10, 0);
	struct arena *ar = arena_new();
	struct diags d = {0};
	const struct node *root = load_buffer("review.json", json, strlen(json), ar, &d);
	assert_non_null(root);
	const struct node *app = role_of(root, "AppRole");
	assert_int_equal((int)node_get(app, "calls")->num, 2);
	assert_int_equal((int)node_get(app, "used_actions")->num, 1);
	const struct node *unknown = node_get(app, "used_not_in_catalogue");
	assert_non_null(unknown);
	assert_int_equal(unknown->n, 1);
	assert_true(test_seq_has(unknown, "s3:GetStorageLensDashboardDataInternal"));
	assert_int_equal(node_get(role_of(root, "IdleRole"), "used_not_in_catalogue")->n, 0);
	arena_free(ar);
	diags_free(&d);
	free(json);
	char *b[] = {"trail", "usage", log, "--templates", DATA "unused-template.yaml", "--no-progress", "-o", NULL};
	char *txt = run_to_string(b, 8, 0);
	assert_non_null(strstr(txt, "  used, not in the IAM catalogue (not reviewed): "
				    "s3:GetStorageLensDashboardDataInternal\n"));
	free(txt);
	unlink(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resources_truncated_by_order),
	    cmocka_unit_test(test_principal_type_by_order),
	    cmocka_unit_test(test_order_and_split_do_not_matter),
	    cmocka_unit_test(test_action_mapping),
	    cmocka_unit_test(test_rollup_and_aggregation),
	    cmocka_unit_test(test_stratus_secret_reader),
	    cmocka_unit_test(test_usage_command),
	    cmocka_unit_test(test_templates_review),
	    cmocka_unit_test(test_event_time_forms),
	    cmocka_unit_test(test_escaped_resource_arns),
	    cmocka_unit_test(test_long_names_and_no_principal),
	    cmocka_unit_test(test_warnings_bounded),
	    cmocka_unit_test(test_review_lists_unknown_used),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
