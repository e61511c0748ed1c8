/*
 * test_resolve.c - model_resolve through whole templates: every intrinsic
 * function, every way a value stays unknown, parameters (defaults, NoEcho,
 * AllowedValues, list types, SSM types), pseudo parameters, AWS::NoValue,
 * conditions in three-valued logic (and their cycles), dynamic references,
 * and the diagnostics (with positions) for templates that are wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_harness.h"
#include "core/arena.h"
#include "load/load.h"
#include "model/resolve.h"
#include "model/stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Property `key` of resource `id`. */
static struct value *prop(const struct harness *h, const char *id, const char *key)
{
	assert_non_null(h->stack);
	struct resource *r = stack_find(h->stack, id);
	assert_non_null(r);
	return val_get(r->props, key);
}

static const struct diag *find_diag(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return &d->v[i];
	return NULL;
}

static bool has_ref(const struct value *v, const char *id)
{
	for (size_t i = 0; v && i < v->nrefs; i++)
		if (!strcmp(v->refs[i], id))
			return true;
	return false;
}

static void test_scalars_and_positions(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      S: text\n"
			  "      N: 42\n"
			  "      B: true\n"
			  "      Z: null\n"
			  "      L: [a, 1]\n"
			  "      M: {K: v}\n");
	struct value *s = prop(&h, "R", "S");
	assert_int_equal(s->kind, VAL_STRING);
	assert_string_equal(s->s, "text");
	assert_int_equal(s->pos.line, 5);
	assert_int_equal(s->pos.col, 10);
	assert_int_equal(prop(&h, "R", "N")->kind, VAL_NUMBER);
	assert_true(prop(&h, "R", "N")->num == 42);
	assert_int_equal(prop(&h, "R", "B")->kind, VAL_BOOL);
	assert_int_equal(prop(&h, "R", "Z")->kind, VAL_NULL);
	assert_int_equal(val_len(prop(&h, "R", "L")), 2);
	assert_string_equal(val_str(val_path(stack_find(h.stack, "R")->props, "M.K")), "v");
	struct value *props = stack_find(h.stack, "R")->props;
	assert_int_equal(props->pairs[0].key_pos.line, 5);
	assert_int_equal(props->pairs[0].key_pos.col, 7);
	assert_int_equal(h.diags.n, 0);
	harness_free(&h);
}

static const char *params_yaml =
    "Parameters:\n"
    "  Env:\n    Type: String\n    Default: dev\n"                                 /* 2 */
    "  NoDef:\n    Type: String\n"                                                 /* 5 */
    "  Pw:\n    Type: String\n    NoEcho: true\n"                                  /* 7 */
    "  PwDef:\n    Type: String\n    NoEcho: true\n    Default: hunter2\n"          /* 10 */
    "  Mode:\n    Type: String\n    AllowedValues: [PROVISIONED, PAY_PER_REQUEST]\n" /* 14 */
    "  Ssm:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /db/pw\n"   /* 17 */
    "  Subnets:\n    Type: CommaDelimitedList\n    Default: a,b\n"                  /* 20 */
    "Resources:\n"
    "  R:\n"
    "    Type: AWS::X::Y\n"
    "    Properties:\n"
    "      Env: !Ref Env\n"   /* 27 */
    "      NoDef: !Ref NoDef\n"
    "      Pw: !Ref Pw\n"
    "      PwDef: !Ref PwDef\n"
    "      Mode: !Ref Mode\n"
    "      Ssm: !Ref Ssm\n"
    "      Subnets: !Ref Subnets\n"
    "      Joined: !Join ['-', !Ref Subnets]\n"
    "      Region: !Ref AWS::Region\n"
    "      Partition: !Ref AWS::Partition\n"
    "      Stack: !Ref AWS::StackName\n"
    "      Gone: !Ref AWS::NoValue\n"
    "      List: [a, !Ref AWS::NoValue, b]\n"
    "      Nothing: !Ref Nothing\n" /* 40 */
    "      Dsn: !Sub 'postgres://app:${PwDef}@db'\n"
    "      DsnJoin: !Join ['', ['postgres://app:', !Ref PwDef, '@', !Ref NoDef]]\n"
    "      EnvSub: !Sub 'app-${Env}'\n";

static void test_params_refs(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, params_yaml);
	struct value *v = prop(&h, "R", "Env");
	assert_int_equal(v->kind, VAL_STRING);
	assert_string_equal(v->s, "dev");
	assert_string_equal(v->param, "Env");
	assert_int_equal(v->pos.line, 27); /* where it is used */
	assert_string_equal(val_render(h.arena, v), "!Ref Env");

	v = prop(&h, "R", "NoDef");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "parameter NoDef has no Default");
	assert_string_equal(v->param, "NoDef");
	assert_false(v->secure_ref);
	assert_string_equal(val_render(h.arena, v), "!Ref NoDef");

	v = prop(&h, "R", "Pw");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_true(v->secure_ref);

	v = prop(&h, "R", "PwDef");
	assert_int_equal(v->kind, VAL_STRING);
	assert_string_equal(v->s, "hunter2");
	assert_string_equal(v->param, "PwDef");
	/* The rendering never shows the NoEcho default. */
	assert_null(strstr(val_render(h.arena, v), "hunter2"));

	v = prop(&h, "R", "Mode");
	assert_int_equal(v->kind, VAL_CHOICE);
	assert_int_equal(v->n, 2);
	assert_string_equal(v->items[1]->s, "PAY_PER_REQUEST");
	assert_string_equal(v->items[0]->param, "Mode");
	assert_int_equal(val_equals(v, "PROVISIONED"), MAYBE);
	assert_int_equal(val_equals(v, "OTHER"), NO);

	v = prop(&h, "R", "Ssm");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "resolved from SSM at deploy");

	v = prop(&h, "R", "Subnets");
	assert_int_equal(v->kind, VAL_LIST);
	assert_int_equal(v->n, 2);
	assert_string_equal(val_str(prop(&h, "R", "Joined")), "a-b");

	v = prop(&h, "R", "Region");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_int_equal(prop(&h, "R", "Partition")->kind, VAL_UNKNOWN);
	assert_int_equal(prop(&h, "R", "Stack")->kind, VAL_UNKNOWN);
	assert_null(prop(&h, "R", "Gone"));
	v = prop(&h, "R", "List");
	assert_int_equal(v->n, 2);
	assert_string_equal(val_str(v->items[1]), "b");

	/* strings built from a NoEcho default never render the secret */
	v = prop(&h, "R", "Dsn");
	assert_string_equal(val_str(v), "postgres://app:hunter2@db");
	assert_null(strstr(val_render(h.arena, v), "hunter2"));
	v = prop(&h, "R", "DsnJoin");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_null(strstr(val_render(h.arena, v), "hunter2"));
	v = prop(&h, "R", "EnvSub");
	assert_null(v->param); /* not NoEcho: the text is shown */
	assert_string_equal(val_render(h.arena, v), "\"app-dev\"");

	v = prop(&h, "R", "Nothing");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	const struct diag *dg = find_diag(&h.diags, "Ref to 'Nothing', which is not a parameter or resource");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_ERROR);
	assert_int_equal(dg->line, 40);
	assert_int_equal(dg->col, 16);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 1);
	harness_free(&h);
}

static void test_refs_and_getatt(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n  AttrName:\n    Type: String\n    Default: Arn\n"
			  "Resources:\n"
			  "  T:\n    Type: AWS::DynamoDB::Table\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      A: !Ref T\n"
			  "      B: !GetAtt T.StreamArn\n"
			  "      C: {'Fn::GetAtt': [T, Arn]}\n"
			  "      D: !GetAtt [T, !Ref AttrName]\n"
			  "      E: !GetAtt Ghost.Arn\n"        /* 15 */
			  "      F: {'Fn::GetAtt': T}\n");
	struct value *v = prop(&h, "R", "A");
	assert_int_equal(v->kind, VAL_REF);
	assert_string_equal(v->s, "T");
	assert_null(v->attr);
	assert_int_equal(v->nrefs, 1);
	assert_string_equal(v->refs[0], "T");
	assert_true(val_is_unknown(v));
	assert_string_equal(val_render(h.arena, v), "!Ref T");
	v = prop(&h, "R", "B");
	assert_int_equal(v->kind, VAL_REF);
	assert_string_equal(v->attr, "StreamArn");
	assert_string_equal(val_render(h.arena, v), "!GetAtt T.StreamArn");
	assert_string_equal(prop(&h, "R", "C")->attr, "Arn");
	assert_string_equal(prop(&h, "R", "D")->attr, "Arn");
	assert_int_equal(prop(&h, "R", "E")->kind, VAL_UNKNOWN);
	const struct diag *dg = find_diag(&h.diags, "'Ghost'");
	assert_non_null(dg);
	assert_int_equal(dg->line, 15);
	assert_int_equal(prop(&h, "R", "F")->kind, VAL_UNKNOWN);
	assert_non_null(find_diag(&h.diags, "Fn::GetAtt needs [Resource, Attribute]"));
	harness_free(&h);
}

static void test_sub(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n  Env:\n    Type: String\n    Default: dev\n"
			  "  Open:\n    Type: String\n"
			  "Resources:\n"
			  "  T:\n    Type: AWS::DynamoDB::Table\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      Known: !Sub 'app-${Env}-x'\n"                                   /* 13 */
			  "      Arn: !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/*'\n"
			  "      Attr: !Sub '${T.Arn}/index/*'\n"
			  "      Lit: !Sub '${!Literal}-${Env}'\n"
			  "      Vars: !Sub ['${A}-${B}', {A: x, B: !Ref Env}]\n"
			  "      VarRef: !Sub ['${A}', {A: !GetAtt T.Arn}]\n"
			  "      Only: !Sub '${T}'\n"
			  "      OnlyParam: !Sub '${Env}'\n"
			  "      Open: !Sub 'x-${Open}'\n"
			  "      Missing: !Sub 'x-${Nope}-y'\n"                                   /* 22 */
			  "      Bad: !Sub [1, 2]\n"
			  "      Unclosed: !Sub 'a-${Env'\n"
			  "      Long: {'Fn::Sub': 'ab-${Env}-${Nope2}'}\n"   /* 25 */
			  "      Plain:\n        Fn::Sub: ab-${Nope3}\n");     /* 27 */
	assert_string_equal(val_str(prop(&h, "R", "Known")), "app-dev-x");
	struct value *v = prop(&h, "R", "Arn");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->s, "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/*");
	assert_true(has_ref(v, "T"));
	assert_int_equal(v->nrefs, 1);
	assert_non_null(strstr(v->why, "AWS::Partition"));
	v = prop(&h, "R", "Attr");
	assert_string_equal(v->s, "${T.Arn}/index/*");
	assert_true(has_ref(v, "T"));
	assert_string_equal(val_str(prop(&h, "R", "Lit")), "${Literal}-dev");
	assert_string_equal(val_str(prop(&h, "R", "Vars")), "x-dev");
	v = prop(&h, "R", "VarRef");
	assert_int_equal(v->kind, VAL_REF);
	assert_string_equal(v->attr, "Arn");
	v = prop(&h, "R", "Only");
	assert_int_equal(v->kind, VAL_REF);
	assert_string_equal(v->s, "T");
	assert_int_equal(v->pos.line, 19);
	v = prop(&h, "R", "OnlyParam");
	assert_string_equal(val_str(v), "dev");
	assert_string_equal(v->param, "Env");
	v = prop(&h, "R", "Open");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->s, "x-${Open}");
	assert_int_equal(v->nrefs, 0);
	v = prop(&h, "R", "Missing");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	const struct diag *dg = find_diag(&h.diags, "Fn::Sub: '${Nope}' names no parameter, resource or variable");
	assert_non_null(dg);
	assert_int_equal(dg->level, DIAG_ERROR);
	assert_int_equal(dg->line, 22);
	assert_int_equal(dg->col, 16); /* the !Sub expression */
	assert_int_equal(prop(&h, "R", "Bad")->kind, VAL_UNKNOWN);
	assert_non_null(find_diag(&h.diags, "Fn::Sub needs a string"));
	assert_string_equal(val_str(prop(&h, "R", "Unclosed")), "a-${Env");
	/* long form: the placeholder's own column */
	dg = find_diag(&h.diags, "'${Nope2}'");
	assert_non_null(dg);
	assert_int_equal(dg->line, 25);
	assert_int_equal(dg->col, 36);
	dg = find_diag(&h.diags, "'${Nope3}'");
	assert_non_null(dg);
	assert_int_equal(dg->line, 27);
	assert_int_equal(dg->col, 21);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 4);
	harness_free(&h);
}

static void test_join_select_split(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  T:\n    Type: AWS::DynamoDB::Table\n"
			  "  U:\n    Type: AWS::DynamoDB::Table\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      J: !Join ['', [a, b, 1]]\n"
			  "      JR: !Join [':', ['arn', !Ref AWS::Partition, !GetAtt T.Arn, !Ref U]]\n"
			  "      JBad: {'Fn::Join': ','}\n"
			  "      Sel: !Select [1, [x, y, z]]\n"
			  "      SelSplit: !Select [2, !Split ['/', 'a/b/c']]\n"
			  "      SelAz: !Select [0, !GetAZs '']\n"
			  "      SelOut: !Select [5, [x]]\n"
			  "      Split: !Split [',', 'p,q,,r']\n"
			  "      SplitRef: !Split [',', !Ref T]\n"
			  "      SelStr: !Select ['0', [x]]\n");
	assert_string_equal(val_str(prop(&h, "R", "J")), "ab1");
	struct value *v = prop(&h, "R", "JR");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->s, "arn:${AWS::Partition}:${T.Arn}:${U}");
	assert_true(has_ref(v, "T"));
	assert_true(has_ref(v, "U"));
	assert_int_equal(prop(&h, "R", "JBad")->kind, VAL_UNKNOWN);
	assert_non_null(find_diag(&h.diags, "Fn::Join needs [delimiter, [values...]]"));
	assert_string_equal(val_str(prop(&h, "R", "Sel")), "y");
	assert_string_equal(val_str(prop(&h, "R", "SelSplit")), "c");
	v = prop(&h, "R", "SelAz");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_non_null(strstr(v->why, "availability zones"));
	assert_int_equal(prop(&h, "R", "SelOut")->kind, VAL_UNKNOWN);
	assert_non_null(find_diag(&h.diags, "index 5 is out of range"));
	v = prop(&h, "R", "Split");
	assert_int_equal(v->kind, VAL_LIST);
	assert_int_equal(v->n, 4);
	assert_string_equal(val_str(v->items[2]), "");
	assert_string_equal(val_str(v->items[3]), "r");
	v = prop(&h, "R", "SplitRef");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_true(has_ref(v, "T"));
	assert_string_equal(val_str(prop(&h, "R", "SelStr")), "x");
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 2);
	harness_free(&h);
}

static void test_findinmap_and_opaque(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [prod, dev, test]\n"
			  "Mappings:\n"
			  "  Sizes:\n    prod: {Cap: 10, Tags: [a, b]}\n    dev: {Cap: 1}\n"
			  "Resources:\n"
			  "  T:\n    Type: AWS::DynamoDB::Table\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      Cap: !FindInMap [Sizes, prod, Cap]\n"     /* 15 */
			  "      Tags: !FindInMap [Sizes, prod, Tags]\n"
			  "      Miss: !FindInMap [Sizes, staging, Cap]\n" /* 17 */
			  "      NoMap: !FindInMap [Nope, dev, Cap]\n"
			  "      Dyn: !FindInMap [Sizes, !Ref AWS::Region, Cap]\n"
			  "      Def: !FindInMap [Sizes, staging, Cap, {DefaultValue: 3}]\n"
			  "      Imp: !ImportValue SharedKey\n"
			  "      Azs: !GetAZs ''\n"
			  "      B64: !Base64 'secret=1'\n"
			  "      Cidr: !Cidr ['10.0.0.0/16', 4, 8]\n"
			  "      Len: !Length [a, b]\n"
			  "      Json: !ToJsonString {a: !Ref T}\n"
			  "      Weird: {'Fn::Frobnicate': x}\n"         /* 27 */
			  "      CondKey: {Condition: notAFunctionHere}\n"
			  "      ByEnv: !FindInMap [Sizes, !Ref Env, Cap]\n");
	struct value *v = prop(&h, "R", "Cap");
	double d;
	assert_int_equal(val_number(v, &d), YES);
	assert_true(d == 10);
	assert_int_equal(v->pos.line, 15);
	assert_int_equal(val_len(prop(&h, "R", "Tags")), 2);
	assert_int_equal(prop(&h, "R", "Miss")->kind, VAL_UNKNOWN);
	const struct diag *dg = find_diag(&h.diags, "mapping 'Sizes' has no key 'staging'");
	assert_non_null(dg);
	assert_int_equal(dg->line, 17);
	assert_non_null(find_diag(&h.diags, "no mapping 'Nope'"));
	v = prop(&h, "R", "Dyn");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "mapping key known only at deploy");
	assert_int_equal(val_number(prop(&h, "R", "Def"), &d), YES);
	assert_true(d == 3);
	v = prop(&h, "R", "Imp");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "imported from another stack");
	assert_string_equal(val_render(h.arena, v), "!ImportValue SharedKey");
	assert_int_equal(prop(&h, "R", "Azs")->kind, VAL_UNKNOWN);
	assert_string_equal(val_str(prop(&h, "R", "B64")), "secret=1");
	assert_int_equal(prop(&h, "R", "Cidr")->kind, VAL_UNKNOWN);
	assert_int_equal(prop(&h, "R", "Len")->kind, VAL_UNKNOWN);
	v = prop(&h, "R", "Json");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_true(has_ref(v, "T"));
	assert_int_equal(prop(&h, "R", "Weird")->kind, VAL_UNKNOWN);
	dg = find_diag(&h.diags, "unknown intrinsic function 'Fn::Frobnicate'");
	assert_non_null(dg);
	assert_int_equal(dg->line, 27);
	v = prop(&h, "R", "CondKey");
	assert_int_equal(v->kind, VAL_MAP);
	/* one entry per allowed value; "test" has none (unknown, not an error) */
	v = prop(&h, "R", "ByEnv");
	assert_int_equal(v->kind, VAL_CHOICE);
	assert_int_equal(v->n, 3);
	assert_int_equal(val_number(v->items[0], &d), YES);
	assert_true(d == 10);
	assert_int_equal(val_number(v->items[1], &d), YES);
	assert_true(d == 1);
	assert_int_equal(v->items[2]->kind, VAL_UNKNOWN);
	assert_int_equal(val_number(v, &d), MAYBE);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 3);
	harness_free(&h);
}

static const char *cond_yaml =
    "Parameters:\n"
    "  Env:\n    Type: String\n    Default: prod\n"
    "  Open:\n    Type: String\n"
    "Conditions:\n"
    "  IsProd: !Equals [!Ref Env, prod]\n"
    "  IsDev: !Equals [dev, !Ref Env]\n"
    "  Unknown: !Equals [!Ref Open, x]\n"
    "  NotProd: !Not [!Condition IsProd]\n"
    "  AndNo: !And [!Condition Unknown, !Condition IsDev]\n"
    "  AndMaybe: !And [!Condition Unknown, !Condition IsProd]\n"
    "  OrYes: !Or [!Condition Unknown, !Condition IsProd]\n"
    "  OrMaybe: !Or [!Condition Unknown, !Condition IsDev]\n"
    "  NotMaybe: !Not [!Condition Unknown]\n"
    "  CycA: !Not [!Condition CycB]\n"                     /* 17 */
    "  CycB: !Or [!Condition IsDev, !Condition CycA]\n"
    "  Undef: !Condition Ghost\n"
    "  Num: !Equals [1, '1']\n"
    "Resources:\n"
    "  R:\n"
    "    Type: AWS::X::Y\n"
    "    Properties:\n"
    "      Yes: !If [IsProd, a, b]\n"
    "      No: !If [IsDev, a, b]\n"
    "      Maybe: !If [Unknown, a, !Ref AWS::NoValue]\n"
    "      Gone: !If [IsProd, !Ref AWS::NoValue, b]\n"
    "      Items: [!If [IsDev, x, !Ref AWS::NoValue], y]\n"
    "      Nested: !If [IsProd, {K: !If [Unknown, 1, 2]}, z]\n"
    "      BadIf: !If [Ghost, a, b]\n";

static void test_conditions(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, cond_yaml);
	struct stack *s = h.stack;
	assert_int_equal(stack_condition(s, "IsProd"), YES);
	assert_int_equal(stack_condition(s, "IsDev"), NO);
	assert_int_equal(stack_condition(s, "Unknown"), MAYBE);
	assert_int_equal(stack_condition(s, "NotProd"), NO);
	assert_int_equal(stack_condition(s, "AndNo"), NO);
	assert_int_equal(stack_condition(s, "AndMaybe"), MAYBE);
	assert_int_equal(stack_condition(s, "OrYes"), YES);
	assert_int_equal(stack_condition(s, "OrMaybe"), MAYBE);
	assert_int_equal(stack_condition(s, "NotMaybe"), MAYBE);
	assert_int_equal(stack_condition(s, "Undef"), MAYBE);
	assert_int_equal(stack_condition(s, "Num"), YES);
	assert_int_equal(stack_condition(s, "NoSuchName"), MAYBE);
	const struct diag *dg = find_diag(&h.diags, "condition cycle");
	assert_non_null(dg);
	assert_string_equal(dg->msg, "condition cycle: CycA -> CycB -> CycA");
	assert_int_equal(dg->line, 17);
	assert_non_null(find_diag(&h.diags, "condition 'Ghost' is not defined"));

	assert_string_equal(val_str(prop(&h, "R", "Yes")), "a");
	assert_string_equal(val_str(prop(&h, "R", "No")), "b");
	struct value *v = prop(&h, "R", "Maybe");
	assert_int_equal(v->kind, VAL_CHOICE);
	assert_int_equal(v->n, 2);
	assert_string_equal(val_str(v->items[0]), "a");
	assert_int_equal(v->items[1]->kind, VAL_NULL);
	assert_null(prop(&h, "R", "Gone"));
	v = prop(&h, "R", "Items");
	assert_int_equal(v->n, 1);
	assert_string_equal(val_str(v->items[0]), "y");
	v = prop(&h, "R", "Nested");
	assert_int_equal(v->kind, VAL_MAP);
	assert_int_equal(val_get(v, "K")->kind, VAL_CHOICE);
	assert_int_equal(prop(&h, "R", "BadIf")->kind, VAL_CHOICE);
	assert_non_null(find_diag(&h.diags, "Fn::If: condition 'Ghost' is not defined"));
	harness_free(&h);
}

static void test_condition_self_cycle_and_bad_shapes(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Conditions:\n"
			  "  Me: !Condition Me\n"
			  "  NotAFunction: yes\n"
			  "  BadEq: !Equals [a]\n"
			  "  IfIn: !Equals [!If [Me, a, b], a]\n"
			  "Resources: {}\n");
	assert_non_null(h.stack);
	assert_non_null(find_diag(&h.diags, "condition cycle: Me -> Me"));
	assert_non_null(find_diag(&h.diags, "a condition must be"));
	assert_non_null(find_diag(&h.diags, "Fn::Equals needs [value, value]"));
	assert_non_null(find_diag(&h.diags, "Fn::If cannot be used in a condition"));
	assert_int_equal(stack_condition(h.stack, "Me"), MAYBE);
	harness_free(&h);
}

static void test_dynamic_references(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      Sm: '{{resolve:secretsmanager:MySecret:SecretString:password}}'\n"
			  "      Ssm: '{{resolve:ssm-secure:/db/pw:1}}'\n"
			  "      Plain: '{{resolve:ssm:/db/user}}'\n"
			  "      Sub: !Sub 'pw={{resolve:secretsmanager:${AWS::StackName}-s}}'\n");
	struct value *v = prop(&h, "R", "Sm");
	assert_int_equal(v->kind, VAL_STRING);
	assert_true(v->secure_ref);
	assert_true(prop(&h, "R", "Ssm")->secure_ref);
	assert_false(prop(&h, "R", "Plain")->secure_ref);
	v = prop(&h, "R", "Sub");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_true(v->secure_ref);
	harness_free(&h);
}

static void test_big_sub_is_unknown(void **state)
{
	(void)state;
	size_t big = 700 * 1024;
	char *t = malloc(big + 256);
	assert_non_null(t);
	int n = sprintf(t, "Parameters:\n  P:\n    Type: String\n    Default: ");
	memset(t + n, 'x', big);
	strcpy(t + n + big, "\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
			    "      S: !Sub '${P}${P}'\n      J: !Join ['', [!Ref P, !Ref P]]\n"
			    "      One: !Sub '${P}'\n");
	struct harness h;
	harness_model(&h, t);
	free(t);
	struct value *v = prop(&h, "R", "S");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_string_equal(v->why, "result larger than 1 MB");
	assert_int_equal(prop(&h, "R", "J")->kind, VAL_UNKNOWN);
	assert_int_equal(prop(&h, "R", "One")->len, big);
	harness_free(&h);
}

static void test_options_pseudo(void **state)
{
	(void)state;
	const char *text = "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
			   "      Arn: !Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*'\n"
			   "      Part: !Ref AWS::Partition\n"
			   "      Url: !Ref AWS::URLSuffix\n"
			   "      Bad: !Ref AWS::Nonsense\n";
	struct arena *a = arena_new();
	struct diags d = {0};
	struct node *root = load_buffer("t.yaml", text, strlen(text), a, &d);
	struct model_options opt = {.region = "eu-west-2", .account_id = "111122223333"};
	struct stack *s = model_build(root, "t.yaml", &opt, a, &d);
	struct value *props = stack_find(s, "R")->props;
	assert_string_equal(val_str(val_get(props, "Arn")), "arn:aws:kms:eu-west-2:111122223333:key/*");
	assert_int_equal(val_get(props, "Part")->kind, VAL_UNKNOWN);
	assert_int_equal(val_get(props, "Url")->kind, VAL_UNKNOWN);
	assert_non_null(find_diag(&d, "Ref to 'AWS::Nonsense'"));
	diags_free(&d);
	arena_free(a);
}

static void test_model_resolve_direct(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
			  "Other:\n  A: !Ref AWS::NoValue\n  B: !GetAtt T.Arn\n");
	const struct node *other = node_get(h.stack->root, "Other");
	struct value *v = model_resolve(h.stack, node_get(other, "A"), &h.diags);
	assert_non_null(v);
	assert_int_equal(v->kind, VAL_NULL);
	v = model_resolve(h.stack, node_get(other, "B"), &h.diags);
	assert_int_equal(v->kind, VAL_REF);
	assert_null(model_resolve(h.stack, NULL, &h.diags));
	harness_free(&h);
}

static void test_sam_implicit_names(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Transform: AWS::Serverless-2016-10-31\n"
			  "Resources:\n"
			  "  Fn:\n    Type: AWS::Serverless::Function\n"
			  "  P:\n    Type: AWS::IAM::Policy\n"
			  "    DependsOn: FnRole\n"
			  "    Properties:\n      Roles: [!Ref FnRole]\n      Api: !Ref ServerlessRestApi\n"
			  "      Stage: !Ref ServerlessRestApiProdStage\n"
			  "      Bad: !Ref Fnord\n");
	assert_non_null(h.stack);
	assert_int_equal(val_item(prop(&h, "P", "Roles"), 0)->kind, VAL_REF);
	assert_int_equal(prop(&h, "P", "Api")->kind, VAL_REF);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 1); /* only Fnord */
	assert_non_null(find_diag(&h.diags, "'Fnord'"));
	harness_free(&h);
}

static void test_choices_in_strings(void **state)
{
	(void)state;
	struct harness h;
	harness_model(&h, "Parameters:\n  Open:\n    Type: String\n"
			  "Conditions:\n  U: !Equals [!Ref Open, x]\n"
			  "Resources:\n"
			  "  T:\n    Type: AWS::DynamoDB::Table\n"
			  "  R:\n"
			  "    Type: AWS::X::Y\n"
			  "    Properties:\n"
			  "      SubIf: !Sub ['arn:aws:s3:::${B}/*', {B: !If [U, one, !Ref T]}]\n"
			  "      JoinIf: !Join ['-', [a, !If [U, b, !Ref AWS::NoValue], c]]\n"
			  "      Many: !Join ['', [!If [U, a, b], !If [U, a, b], !If [U, a, b], !If [U, a, b], !If [U, a, b]]]\n");
	struct value *v = prop(&h, "R", "SubIf");
	assert_int_equal(v->kind, VAL_CHOICE);
	assert_int_equal(v->n, 2);
	assert_string_equal(val_str(v->items[0]), "arn:aws:s3:::one/*");
	assert_int_equal(v->items[1]->kind, VAL_UNKNOWN);
	/* a Fn::Sub variable is written as what it stands for, not by its local name */
	assert_string_equal(v->items[1]->s, "arn:aws:s3:::${T}/*");
	assert_true(has_ref(v, "T"));
	assert_int_equal(val_equals(v, "arn:aws:s3:::one/*"), MAYBE);
	v = prop(&h, "R", "JoinIf");
	assert_int_equal(v->kind, VAL_CHOICE);
	assert_string_equal(val_str(v->items[0]), "a-b-c");
	assert_string_equal(val_str(v->items[1]), "a-c");
	/* 32 combinations: too many to list, the string stays unknown */
	v = prop(&h, "R", "Many");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 0);
	harness_free(&h);
}

/* Append printf output to a malloc'd, growing buffer. */
static void put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if ((size_t)n < *cap - *len) {
			*len += (size_t)n;
			return;
		}
		*cap = *cap * 2 + (size_t)n;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
}

/*
 * Shapes meant to exhaust: Fn::If nested 120 deep (the loader allows 256 levels) on an undecided
 * condition, a condition chain 2000 long, a Fn::Sub with 50,000
 * placeholders, Joins of Joins of choices.  They must build, bounded.
 */
static void test_pathological(void **state)
{
	(void)state;
	size_t cap = 1 << 16, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	put(&t, &len, &cap, "Parameters:\n  Open:\n    Type: String\nConditions:\n  C0: !Equals [!Ref Open, x]\n");
	for (int i = 1999; i > 0; i--) /* each refers to one defined after it: a 2000-long chain */
		put(&t, &len, &cap, "  C%d: !Not [!Condition C%d]\n", i, i - 1);
	put(&t, &len, &cap, "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      Deep: ");
	for (int i = 0; i < 120; i++)
		put(&t, &len, &cap, "{'Fn::If': [C0, leaf%d, ", i);
	put(&t, &len, &cap, "end");
	for (int i = 0; i < 120; i++)
		put(&t, &len, &cap, "]}");
	put(&t, &len, &cap, "\n      Sub: !Sub '");
	for (int i = 0; i < 50000; i++)
		put(&t, &len, &cap, "${Open}");
	put(&t, &len, &cap, "'\n      J: !Join ['', [!Join ['', [!If [C0, a, b], !If [C0, a, b], !If [C0, a, b], !If [C0, a, b]]],"
			    " !Join ['', [!If [C0, a, b], !If [C0, a, b], !If [C0, a, b], !If [C0, a, b]]]]]\n");
	struct harness h;
	harness_model(&h, t);
	free(t);
	assert_non_null(h.stack);
	assert_int_equal(stack_condition(h.stack, "C0"), MAYBE);
	/* the chain is cut (bounded), never a stack overflow; cut conditions are MAYBE */
	assert_int_equal(stack_condition(h.stack, "C1999"), MAYBE);
	assert_non_null(find_diag(&h.diags, "too deeply"));
	struct value *v = prop(&h, "R", "Deep");
	assert_int_equal(v->kind, VAL_CHOICE);
	v = prop(&h, "R", "Sub");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	assert_int_equal(v->len, 50000 * strlen("${Open}"));
	v = prop(&h, "R", "J");
	assert_int_equal(v->kind, VAL_UNKNOWN);
	harness_free(&h);
}

/*
 * "Billion laughs": aliases nest ten-fold five times (100,000 leaves once
 * expanded; the loader refuses much more).  Each distinct node is resolved once: the arena stays small.
 */
static void test_alias_laughs(void **state)
{
	(void)state;
	size_t cap = 4096, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	put(&t, &len, &cap, "Mappings:\n  M:\n    K:\n      V: &m0 [!Ref AWS::NoValue, y]\n"
			    "Resources:\n  T:\n    Type: AWS::X::Y\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
			    "      L0: &a0 [!Ref T, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i <= 5; i++) {
		put(&t, &len, &cap, "      L%d: &a%d [", i, i);
		for (int k = 0; k < 10; k++)
			put(&t, &len, &cap, "%s*a%d", k ? ", " : "", i - 1);
		put(&t, &len, &cap, "]\n");
	}
	put(&t, &len, &cap, "      F: !FindInMap [M, K, V]\n");
	struct harness h;
	harness_model(&h, t);
	free(t);
	assert_non_null(h.stack);
	struct value *v = prop(&h, "R", "L5");
	assert_int_equal(val_len(v), 10);
	assert_int_equal(val_len(val_item(val_item(v, 9), 9)), 10);
	struct value *l0 = val_item(val_item(val_item(val_item(val_item(v, 1), 2), 3), 4), 5);
	assert_int_equal(val_item(l0, 0)->kind, VAL_REF);
	/* a literal mapping entry: NoValue is not evaluated there */
	assert_int_equal(val_len(prop(&h, "R", "F")), 2);
	assert_true(arena_used(h.arena) < 4u * 1024 * 1024);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_and_positions),
		cmocka_unit_test(test_params_refs),
		cmocka_unit_test(test_refs_and_getatt),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_join_select_split),
		cmocka_unit_test(test_findinmap_and_opaque),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_condition_self_cycle_and_bad_shapes),
		cmocka_unit_test(test_dynamic_references),
		cmocka_unit_test(test_big_sub_is_unknown),
		cmocka_unit_test(test_options_pseudo),
		cmocka_unit_test(test_model_resolve_direct),
		cmocka_unit_test(test_sam_implicit_names),
		cmocka_unit_test(test_choices_in_strings),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_alias_laughs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
