/*
 * test_unused.c - the unused-access review of `rampart trail usage`:
 * --policies with get-account-authorization-details output (roles, a user
 * and its group, managed policies by default version only, URL-encoded
 * documents, pages in a directory, NAME=FILE, malformed files), and the
 * exactness of "granted" for --templates too (unconditional Deny removed,
 * conditional or resource-scoped Deny not, NotAction expanded, permissions
 * boundaries, template users with their groups).
 *
 * Expected counts come from the catalogue (iam_actions_matching), never
 * written as numbers, so a catalogue update does not break them.
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
#include "iam/authz_details.h"
#include "iam/catalogue.h"
#include "load/load.h"
#include "load/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA "tests/trail/data/"
#define ACCT "arn:aws:iam::111122223333:"

static bool count_action(const struct iam_action_info *a, void *ctx)
{
	(void)a;
	(*(size_t *)ctx)++;
	return true;
}

static size_t count(const char *pattern)
{
	size_t n = 0;
	iam_actions_matching(pattern, count_action, &n);
	assert_true(n > 0);
	return n;
}

/* ---- reading the review's json ---- */

struct review_json {
	struct arena *a;
	const struct node *root;
};

/* Run `rampart trail usage LOG ARGS... --format json -o TMP` and parse the output. */
static void run_review(struct review_json *r, int want_rc, const char *log, char **args, int nargs)
{
	char out[] = "/tmp/rampart-test-unused-XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	char *argv[32];
	int argc = 0;
	argv[argc++] = "trail";
	argv[argc++] = "usage";
	argv[argc++] = (char *)log;
	for (int i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "--no-progress";
	argv[argc++] = "-o";
	argv[argc++] = out;
	argv[argc] = NULL;
	assert_int_equal(cmd_trail(argc, argv), want_rc);
	char *json = test_slurp(out);
	unlink(out);
	r->a = arena_new();
	struct diags d = {0};
	r->root = load_buffer("review.json", json, strlen(json), r->a, &d);
	assert_int_equal(d.n, 0);
	assert_non_null(r->root);
	diags_free(&d);
	free(json);
}

/* The review entry of source src whose role_name is name. */
static const struct node *entry(const struct review_json *r, const char *src, const char *name)
{
	const struct node *roles = node_get(r->root, "roles");
	assert_non_null(roles);
	for (size_t i = 0; i < roles->n; i++)
		if (!strcmp(node_str(node_get(roles->items[i], "role_name")), name) &&
		    !strcmp(node_str(node_get(roles->items[i], "source")), src))
			return roles->items[i];
	fail_msg("%s %s not in the review", src, name);
	return NULL;
}

static size_t num(const struct node *e, const char *key)
{
	const struct node *n = node_get(e, key);
	assert_non_null(n);
	assert_int_equal(n->kind, NODE_NUMBER);
	return (size_t)n->num;
}

static const char *str(const struct node *e, const char *key)
{
	const char *s = node_str(node_get(e, key));
	assert_non_null(s);
	return s;
}

static const struct node *service(const struct node *e, const char *svc)
{
	const struct node *v = node_get(e, "services");
	for (size_t i = 0; v && i < v->n; i++)
		if (!strcmp(node_str(node_get(v->items[i], "service")), svc))
			return v->items[i];
	return NULL;
}

/* service svc: granted g, used u */
static void assert_service(const struct node *e, const char *svc, size_t g, size_t u)
{
	const struct node *sv = service(e, svc);
	if (!sv)
		fail_msg("service %s not granted", svc);
	assert_int_equal(num(sv, "granted"), g);
	assert_int_equal(num(sv, "used"), u);
}

/* ---- --policies with authorization details ---- */

static void test_policies_review(void **st)
{
	(void)st;
	struct review_json r;
	char *args[] = {"--policies", DATA "authz-details.json"};
	run_review(&r, 0, DATA "authz-log.jsonl", args, 2);
	const struct node *roles = node_get(r.root, "roles");
	assert_int_equal(roles->n, 5); /* four roles, one user */

	/* app-role: inline policy; DeleteItem removed by the unconditional Deny,
	 * PutItem kept (its Deny has a Condition); managed app-s3 by its default
	 * version v2 (two s3 actions, not v1's s3:*); the same role name in
	 * another account is not this role. */
	const struct node *app = entry(&r, "policies", "app-role");
	assert_string_equal(str(app, "kind"), "role");
	assert_string_equal(str(app, "arn"), ACCT "role/app-role");
	assert_int_equal(num(app, "granted_actions"), 4);
	assert_int_equal(num(app, "used_actions"), 2);
	assert_int_equal(num(app, "calls"), 3);
	assert_int_equal(node_get(app, "principals")->n, 1);
	assert_true(test_seq_has(node_get(app, "principals"), ACCT "role/app-role"));
	assert_service(app, "dynamodb", 2, 1);
	assert_true(test_seq_has(node_get(service(app, "dynamodb"), "unused_actions"), "dynamodb:PutItem"));
	assert_false(test_seq_has(node_get(service(app, "dynamodb"), "unused_actions"), "dynamodb:DeleteItem"));
	assert_service(app, "s3", 2, 1);
	assert_true(test_seq_has(node_get(app, "not_expanded"), "madeup:dothing"));
	assert_int_equal(node_get(app, "not_expanded")->n, 1);
	assert_int_equal(node_get(app, "uncertain")->kind, NODE_NULL);

	/* reporter: path service-role/, sessions without an issuer roll up to
	 * role/reporter (matched by name in the account); NotAction expanded to
	 * the whole catalogue but iam and organizations, minus the Deny dynamodb:*. */
	const struct node *rep = entry(&r, "policies", "reporter");
	assert_true(test_seq_has(node_get(rep, "principals"), ACCT "role/reporter"));
	size_t want = iam_catalogue_count - count("iam:*") - count("organizations:*") - count("dynamodb:*");
	assert_int_equal(num(rep, "granted_actions"), want);
	assert_int_equal(num(rep, "used_actions"), 2); /* s3:ListAllMyBuckets, sns:Publish; Scan is denied */
	assert_null(service(rep, "iam"));
	assert_null(service(rep, "dynamodb"));
	assert_service(rep, "s3", count("s3:*"), 1);
	assert_service(rep, "sns", count("sns:*"), 1);
	assert_int_equal(node_get(rep, "not_expanded")->n, 0);
	assert_true(test_seq_has(node_get(rep, "services_never_used"), "ec2"));

	/* idle-role: URL-encoded inline document; its attached policy is not in the file */
	const struct node *idle = entry(&r, "policies", "idle-role");
	assert_false(node_get(idle, "used")->boolean);
	assert_service(idle, "sqs", 1, 0);
	assert_non_null(strstr(str(idle, "uncertain"), "policy/not-in-this-file"));

	/* alice: her inline kms:Decrypt, group devs' inline logs pair and its
	 * managed devs-secrets (URL-encoded default version) */
	const struct node *alice = entry(&r, "policies", "alice");
	assert_string_equal(str(alice, "kind"), "user");
	assert_int_equal(num(alice, "granted_actions"), 5);
	assert_int_equal(num(alice, "used_actions"), 3);
	assert_int_equal(num(alice, "calls"), 4);
	assert_service(alice, "kms", 1, 1);
	assert_service(alice, "logs", 2, 1);
	assert_service(alice, "secretsmanager", 2, 1);
	assert_int_equal(node_get(alice, "uncertain")->kind, NODE_NULL);

	/* bounded-role: its boundary grants s3:* but denies s3:PutObject, so of
	 * GetObject, PutObject and sqs:SendMessage only GetObject remains */
	const struct node *bounded = entry(&r, "policies", "bounded-role");
	assert_int_equal(num(bounded, "granted_actions"), 1);
	assert_service(bounded, "s3", 1, 0);
	assert_null(service(bounded, "sqs"));
	assert_int_equal(node_get(bounded, "uncertain")->kind, NODE_NULL);
	arena_free(r.a);
}

/* Actions are shown as AWS spells them ("dynamodb:PutItem"), in text and
 * json alike; services stay lower-case, as AWS writes prefixes. */
static void test_aws_spelling(void **st)
{
	(void)st;
	char out[] = "/tmp/rampart-test-unused-XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	char *argv[] = {"trail", "usage", DATA "authz-log.jsonl", "--policies", DATA "authz-details.json",
			"--no-progress", "-o", out, NULL};
	assert_int_equal(cmd_trail(8, argv), 0);
	char *text = test_slurp(out);
	unlink(out);
	assert_non_null(strstr(text, "\n  dynamodb: 1 of 2 granted actions used\n    unused: dynamodb:PutItem\n"));
	assert_non_null(strstr(text, "\n    unused: s3:PutObject\n"));
	assert_non_null(strstr(text, "\n    unused: logs:FilterLogEvents\n"));
	assert_null(strstr(text, "dynamodb:putitem"));
	assert_null(strstr(text, "s3:putobject"));
	free(text);

	struct review_json r;
	char *args[] = {"--policies", DATA "authz-details.json"};
	run_review(&r, 0, DATA "authz-log.jsonl", args, 2);
	const struct node *app = entry(&r, "policies", "app-role");
	const struct node *s3 = node_get(service(app, "s3"), "unused_actions");
	assert_non_null(s3);
	assert_int_equal(s3->n, 1);
	assert_string_equal(node_str(s3->items[0]), "s3:PutObject");
	/* sorted as before, by lower-case name: in the reporter's s3 list
	 * (abortmultipartupload, allowvendedlogdeliveryforresource, ...) */
	const struct node *rep = node_get(service(entry(&r, "policies", "reporter"), "s3"), "unused_actions");
	assert_non_null(rep);
	assert_true(rep->n > 2);
	assert_string_equal(node_str(rep->items[0]), "s3:AbortMultipartUpload");
	for (size_t i = 1; i < rep->n; i++) {
		const struct iam_action_info *p = iam_action_find(node_str(rep->items[i - 1]));
		const struct iam_action_info *q = iam_action_find(node_str(rep->items[i]));
		assert_non_null(p);
		assert_non_null(q);
		assert_string_equal(p->display, node_str(rep->items[i - 1]));
		assert_true(strcmp(p->name, q->name) < 0);
	}
	arena_free(r.a);
}

/* Template users with their groups, and granted exactness for templates. */
static void test_templates_users_and_denies(void **st)
{
	(void)st;
	struct review_json r;
	char *args[] = {"--templates", DATA "unused-users.yaml"};
	run_review(&r, 0, DATA "authz-log.jsonl", args, 2);
	assert_int_equal(node_get(r.root, "roles")->n, 4);

	/* Alice: kms pair (the conditional Deny removes nothing) + group Devs' logs pair */
	const struct node *alice = entry(&r, "template", "alice");
	assert_string_equal(str(alice, "kind"), "user");
	assert_string_equal(str(alice, "role"), "Alice");
	assert_int_equal(num(alice, "granted_actions"), 4);
	assert_int_equal(num(alice, "used_actions"), 2);
	assert_service(alice, "kms", 2, 1);
	assert_service(alice, "logs", 2, 1);

	/* Bob: generated name; in group Ops by UserToGroupAddition, whose
	 * managed policy of the stack grants two secretsmanager actions */
	const struct node *bob = entry(&r, "template", "Bob");
	assert_true(node_get(bob, "name_generated")->boolean);
	assert_true(test_seq_has(node_get(bob, "principals"), ACCT "user/users-stack-Bob-ABC123"));
	assert_int_equal(num(bob, "granted_actions"), 3);
	assert_int_equal(num(bob, "used_actions"), 2);
	assert_service(bob, "secretsmanager", 2, 1);

	/* Wide: NotAction iam/organizations, Deny s3:* everywhere removes s3;
	 * the conditional dynamodb Deny and the resource-scoped sqs Deny do not */
	const struct node *wide = entry(&r, "template", "wide-role");
	assert_string_equal(str(wide, "kind"), "role");
	size_t want = iam_catalogue_count - count("iam:*") - count("organizations:*") - count("s3:*");
	assert_int_equal(num(wide, "granted_actions"), want);
	assert_null(service(wide, "s3"));
	assert_null(service(wide, "iam"));
	assert_service(wide, "dynamodb", count("dynamodb:*"), 1);
	assert_service(wide, "sqs", count("sqs:*"), 1);
	assert_int_equal(num(wide, "used_actions"), 2); /* GetObject was called but is denied */

	/* Bounded: its boundary (a managed policy of the stack) allows
	 * dynamodb:Get* and sqs:*, so PutItem is not granted */
	const struct node *bounded = entry(&r, "template", "bounded-role");
	assert_int_equal(num(bounded, "granted_actions"), 2);
	assert_service(bounded, "dynamodb", 1, 0);
	assert_service(bounded, "sqs", 1, 0);
	assert_false(test_seq_has(node_get(service(bounded, "dynamodb"), "unused_actions"), "dynamodb:PutItem"));
	arena_free(r.a);
}

/* NAME=FILE: a bare name matching a user, an ARN; both with one document. */
static void test_named_policy(void **st)
{
	(void)st;
	char dir[] = "/tmp/rampart-test-named-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/p.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\","
	      "\"kms:Encrypt\",\"s3:GetObject\"],\"Resource\":\"*\"}]}\n", f);
	fclose(f);
	char a1[300], a2[300];
	snprintf(a1, sizeof a1, "alice=%s", path);
	snprintf(a2, sizeof a2, ACCT "role/app-role=%s", path);
	char *args[] = {"--policies", a1, "--policies", a2};
	struct review_json r;
	run_review(&r, 0, DATA "authz-log.jsonl", args, 4);
	assert_int_equal(node_get(r.root, "roles")->n, 2);
	const struct node *alice = entry(&r, "policies", "alice");
	assert_string_equal(str(alice, "kind"), "user"); /* only a user of that name was seen */
	assert_int_equal(node_get(alice, "arn")->kind, NODE_NULL);
	assert_int_equal(num(alice, "granted_actions"), 3);
	assert_int_equal(num(alice, "used_actions"), 1);
	const struct node *app = entry(&r, "policies", "app-role");
	assert_string_equal(str(app, "arn"), ACCT "role/app-role");
	assert_int_equal(num(app, "used_actions"), 1); /* s3:GetObject */
	assert_int_equal(node_get(app, "principals")->n, 1);
	arena_free(r.a);
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A directory of pages: roles in one file, their managed policy in another;
 * a role listed on two pages counts once; a broken page is an error with
 * its position and the rest is still read. */
static void test_pages_and_errors(void **st)
{
	(void)st;
	char dir[] = "/tmp/rampart-test-pages-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p1[256], p2[256], p3[256], p4[256];
	snprintf(p1, sizeof p1, "%s/1.json", dir);
	snprintf(p2, sizeof p2, "%s/2.json", dir);
	snprintf(p3, sizeof p3, "%s/3.json", dir);
	snprintf(p4, sizeof p4, "%s/notes.txt", dir);
	write_file(p1, "{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"" ACCT "role/r\",\n"
		       "\"RolePolicyList\":[],\"AttachedManagedPolicies\":[{\"PolicyName\":\"m\",\"PolicyArn\":\""
		       ACCT "policy/m\"}]}]}\n");
	write_file(p2, "{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"" ACCT "role/r\"}],\n"
		       "\"Policies\":[{\"Arn\":\"" ACCT "policy/m\",\"PolicyName\":\"m\",\"DefaultVersionId\":\"v1\",\n"
		       "\"PolicyVersionList\":[{\"VersionId\":\"v1\",\"Document\":{\"Version\":\"2012-10-17\",\n"
		       "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"},\n"
		       "  {\"Effect\":\"Permit\",\"Action\":\"sqs:DeleteQueue\",\"Resource\":\"*\"}]}}]}]}\n");
	write_file(p3, "{\"RoleDetailList\": [\n  {\"RoleName\": \"x\",, }\n]}\n");
	write_file(p4, "not json, not read\n");

	struct authz_set s = {0};
	char *args[] = {dir};
	authz_load(args, 1, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].arn, ACCT "role/r");
	assert_int_equal(s.v[0].kind, AUTHZ_ROLE);
	assert_int_equal(s.v[0].npolicies, 1); /* the default version of m, found on the other page */
	assert_int_equal(s.v[0].policies[0]->n, 1); /* the Permit statement left out */
	assert_non_null(s.v[0].uncertain);          /* ... so the granted set may be incomplete */
	/* errors: the Permit statement (2.json line 5) and the broken page (3.json line 2) */
	bool permit = false, broken = false;
	for (size_t i = 0; i < s.d.n; i++) {
		const struct diag *d = &s.d.v[i];
		assert_int_equal(d->level, DIAG_ERROR);
		assert_true(d->line > 0 && d->col > 0);
		if (strstr(d->file, "2.json") && d->line == 5 && strstr(d->msg, "Permit"))
			permit = true;
		if (strstr(d->file, "3.json") && d->line == 2)
			broken = true;
	}
	assert_true(permit);
	assert_true(broken);
	authz_free(&s);

	/* not authorization details, and NAME=FILE given such a file */
	struct authz_set t = {0};
	char named[300];
	snprintf(named, sizeof named, "someone=%s", p1);
	char *args2[] = {DATA "unused-template.yaml", named};
	authz_load(args2, 2, &t);
	assert_int_equal(t.n, 0);
	assert_int_equal(diag_count(&t.d, DIAG_ERROR), 2);
	authz_free(&t);

	/* the command: exit 2, the readable pages still reviewed */
	struct review_json r;
	char *cargs[] = {"--policies", dir};
	run_review(&r, 2, DATA "authz-log.jsonl", cargs, 2);
	const struct node *e = entry(&r, "policies", "r");
	assert_int_equal(num(e, "granted_actions"), 1);
	arena_free(r.a);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	unlink(p4);
	rmdir(dir);
}

static void test_url_decode(void **st)
{
	(void)st;
	struct arena *a = arena_new();
	char *out;
	size_t n;
	assert_true(authz_url_decode("%7B%22a%22%3A%20%2A%7D", 22, a, &out, &n));
	assert_string_equal(out, "{\"a\": *}");
	assert_int_equal(n, 8);
	assert_true(authz_url_decode("a+b", 3, a, &out, &n)); /* RFC 3986: '+' is itself */
	assert_string_equal(out, "a+b");
	assert_false(authz_url_decode("%4", 2, a, &out, &n));
	assert_false(authz_url_decode("%zz", 3, a, &out, &n));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policies_review),
	    cmocka_unit_test(test_aws_spelling),
	    cmocka_unit_test(test_templates_users_and_denies),
	    cmocka_unit_test(test_named_policy),
	    cmocka_unit_test(test_pages_and_errors),
	    cmocka_unit_test(test_url_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
