/*
 * test_expr.c — the JUEL subset (src/expr.c): every operator and its precedence, EL coercions,
 * composite text, Json property access, the execution object through a fake expr_host, Camunda's
 * error messages, the nesting limit, and a fuzz run for crashes, leaks and undefined behaviour.
 */
#include "check.h"
#include "expr.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a fake host: two scopes (local, parent), plus execution facts ---- */

#define MAX_VARS 64

typedef struct scope {
    char *names[MAX_VARS]; /* owned copies */
    value values[MAX_VARS];
    int n;
} scope;

typedef struct fake {
    scope local, parent;
    const char *business_key, *activity_id, *execution_id;
    int sets; /* how many set_variable calls reached the host */
} fake;

static int scope_find(const scope *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], name)) return i;
    return -1;
}

/* Stores v (taking it) under a copy of name. */
static void scope_put(scope *s, const char *name, value v) {
    int i = scope_find(s, name);
    if (i < 0) {
        if (s->n == MAX_VARS) {
            value_free(&v);
            return;
        }
        i = s->n++;
        size_t len = strlen(name) + 1;
        s->names[i] = malloc(len);
        memcpy(s->names[i], name, len);
    } else {
        value_free(&s->values[i]);
    }
    s->values[i] = v;
}

static void scope_clear(scope *s) {
    for (int i = 0; i < s->n; i++) {
        value_free(&s->values[i]);
        free(s->names[i]);
    }
    s->n = 0;
}

static bool fake_get(void *ctx, const char *name, bool local, value *out) {
    fake *f = ctx;
    int i = scope_find(&f->local, name);
    if (i >= 0) {
        *out = value_copy(&f->local.values[i]);
        return true;
    }
    if (local) return false;
    i = scope_find(&f->parent, name);
    if (i < 0) return false;
    *out = value_copy(&f->parent.values[i]);
    return true;
}

/* Camunda's rule: local → the current scope; otherwise the nearest scope that has the variable,
 * else the outermost (here: parent). */
static bool fake_set(void *ctx, const char *name, bool local, const value *v, error *err) {
    fake *f = ctx;
    f->sets++;
    if (!strcmp(name, "readonly")) return error_set(err, ERR_NOT_VALID, "variable 'readonly' is read-only");
    scope *target = (local || scope_find(&f->local, name) >= 0) ? &f->local : &f->parent;
    scope_put(target, name, value_copy(v));
    return true;
}

static const char *fake_business_key(void *ctx) { return ((fake *)ctx)->business_key; }
static const char *fake_activity_id(void *ctx) { return ((fake *)ctx)->activity_id; }
static const char *fake_execution_id(void *ctx) { return ((fake *)ctx)->execution_id; }

static fake F;
static expr_host HOST = {&F, fake_get, fake_set, fake_business_key, fake_activity_id, fake_execution_id};

/* Variables every test sees (reset before each one). */
static void setup(void) {
    scope_clear(&F.local);
    scope_clear(&F.parent);
    F.business_key = "order-17";
    F.activity_id = "ServiceTask_1";
    F.execution_id = "exec-42";
    F.sets = 0;
    scope_put(&F.parent, "x", value_integer(5));
    scope_put(&F.parent, "big", value_long(INT64_MAX));
    scope_put(&F.parent, "minint", value_integer(INT32_MIN));
    scope_put(&F.parent, "half", value_double(0.5));
    scope_put(&F.parent, "nan", value_double(NAN));
    scope_put(&F.parent, "name", value_string("Ann"));
    scope_put(&F.parent, "empty_s", value_string(""));
    scope_put(&F.parent, "num_s", value_string("10"));
    scope_put(&F.parent, "yes", value_boolean(true));
    scope_put(&F.parent, "nothing", value_null());
    scope_put(&F.parent, "d1", value_date(INT64_C(1795428000000)));
    scope_put(&F.parent, "d2", value_date(INT64_C(1795428000001)));
    scope_put(&F.parent, "doc", value_json("{\"customer\":{\"name\":\"Ann\",\"age\":42,\"vip\":true,"
                                           "\"score\":4.5,\"tags\":[\"a\",\"b\"],\"addr\":null,"
                                           "\"big\":5000000000,\"items\":[{\"sku\":\"p1\"}],"
                                           "\"empty\":[],\"null\":1}}"));
    scope_put(&F.parent, "arr", value_json("[{\"x\":1},{\"x\":2}]"));
    scope_put(&F.parent, "empty_arr", value_json("[]"));
    scope_put(&F.parent, "empty_obj", value_json(" { } "));
    scope_put(&F.parent, "bad_json", value_json("{nope"));
    scope_put(&F.local, "loc", value_string("here"));
}

/* Compiles and evaluates; returns "Type:text" or "ERROR:message". */
static const char *ev_host(const char *text, const expr_host *host) {
    static char *buf; /* the last result; kept until the next call */
    free(buf);
    error err = {0};
    expr *e = expr_compile(text, &err);
    value v = value_null();
    const char *head, *body;
    char *s = NULL;
    if (e && expr_eval(e, host, &v, &err)) {
        s = value_to_string(&v);
        head = value_type_name(v.type);
        body = s ? s : "(oom)";
    } else {
        CHECK(err.message != NULL);
        CHECK(v.type == VAL_NULL);
        CHECK_STR(err.type, ERR_ENGINE);
        head = "ERROR";
        body = err.message ? err.message : "(no message)";
    }
    size_t size = strlen(head) + strlen(body) + 2;
    buf = malloc(size);
    snprintf(buf, size, "%s:%s", head, body);
    free(s);
    value_free(&v);
    error_clear(&err);
    expr_free(e);
    return buf;
}

static const char *ev(const char *text) { return ev_host(text, &HOST); }

/* Only the message of a failing expression (empty if it succeeded). */
static const char *err_of(const char *text) {
    const char *r = ev(text);
    return strncmp(r, "ERROR:", 6) == 0 ? r + 6 : "";
}

static bool starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* ---- text and literals ---- */

static void test_text_without_expressions_is_a_literal_string(void) {
    error err = {0};
    expr *e = expr_compile("plain text", &err);
    CHECK(e && expr_is_literal(e));
    CHECK_STR(expr_text(e), "plain text");
    expr_free(e);
    CHECK_STR(ev("plain text"), "String:plain text");
    CHECK_STR(ev(""), "String:");
    CHECK_STR(ev("costs $5 {ok}"), "String:costs $5 {ok}");
}

static void test_a_single_expression_keeps_its_own_type(void) {
    CHECK_STR(ev("${5}"), "Long:5");
    CHECK_STR(ev("${1.5}"), "Double:1.5");
    CHECK_STR(ev("${true}"), "Boolean:true");
    CHECK_STR(ev("${false}"), "Boolean:false");
    CHECK_STR(ev("${null}"), "Null:");
    CHECK_STR(ev("${'abc'}"), "String:abc");
    CHECK_STR(ev("${x}"), "Integer:5");
    CHECK_STR(ev("${d1}"), "Date:2026-11-23T10:00:00.000+0000");
    CHECK_STR(ev("${  x  }"), "Integer:5");
}

static void test_composite_text_concatenates_as_strings(void) {
    CHECK_STR(ev("a ${x} b"), "String:a 5 b");
    CHECK_STR(ev("${x}${x}"), "String:55");
    CHECK_STR(ev("[${nothing}]"), "String:[]");
    CHECK_STR(ev("${half} and ${yes}"), "String:0.5 and true");
    CHECK_STR(ev("Hello ${name}!"), "String:Hello Ann!");
    CHECK_STR(ev(" ${x}"), "String: 5");
}

static void test_deferred_syntax_works_like_immediate(void) {
    CHECK_STR(ev("#{x + 1}"), "Long:6");
    CHECK_STR(ev("${x}-#{x}"), "String:5-5");
}

static void test_a_backslash_escapes_the_expression_marker(void) {
    CHECK_STR(ev("\\${x}"), "String:${x}");
    CHECK_STR(ev("\\#{x} is ${x}"), "String:#{x} is 5");
    CHECK_STR(ev("a\\b"), "String:a\\b");
    error err = {0};
    expr *e = expr_compile("\\${x}", &err);
    CHECK(e && expr_is_literal(e));
    expr_free(e);
}

static void test_string_literals_take_either_quote_and_backslash_escapes(void) {
    CHECK_STR(ev("${\"double\"}"), "String:double");
    CHECK_STR(ev("${'it\\'s'}"), "String:it's");
    CHECK_STR(ev("${\"say \\\"hi\\\"\"}"), "String:say \"hi\"");
    CHECK_STR(ev("${'back\\\\slash'}"), "String:back\\slash");
    CHECK_STR(ev("${'mixed \"quotes\"'}"), "String:mixed \"quotes\"");
    CHECK_STR(ev("a${'}'}b"), "String:a}b");
    CHECK_STR(ev("${'ünïcødé'}"), "String:ünïcødé");
    CHECK_STR(ev("${''}"), "String:");
}

static void test_number_literals_are_long_or_double(void) {
    CHECK_STR(ev("${9223372036854775807}"), "Long:9223372036854775807");
    CHECK_STR(ev("${1e3}"), "Double:1000.0");
    CHECK_STR(ev("${2.5E-1}"), "Double:0.25");
    CHECK_STR(ev("${1.}"), "Double:1.0");
    CHECK_STR(ev("${.5}"), "Double:0.5");
    CHECK_STR(ev("${007}"), "Long:7");
}

/* ---- arithmetic ---- */

static void test_integer_arithmetic_stays_integral_as_long(void) {
    CHECK_STR(ev("${x + 1}"), "Long:6");
    CHECK_STR(ev("${x - 7}"), "Long:-2");
    CHECK_STR(ev("${x * x}"), "Long:25");
    CHECK_STR(ev("${2 + 3}"), "Long:5");
}

static void test_integer_division_yields_a_double(void) {
    CHECK_STR(ev("${7 / 2}"), "Double:3.5");
    CHECK_STR(ev("${4 div 2}"), "Double:2.0");
    CHECK_STR(ev("${x / 5}"), "Double:1.0");
    CHECK_STR(ev("${1 / 0}"), "Double:Infinity");
    CHECK_STR(ev("${-1 / 0}"), "Double:-Infinity");
    CHECK_STR(ev("${0 / 0}"), "Double:NaN");
    CHECK_STR(ev("${null / null}"), "Long:0");
}

static void test_modulo_stays_integral_and_follows_the_dividends_sign(void) {
    CHECK_STR(ev("${7 % 3}"), "Long:1");
    CHECK_STR(ev("${7 mod 3}"), "Long:1");
    CHECK_STR(ev("${-7 % 3}"), "Long:-1");
    CHECK_STR(ev("${7 % -3}"), "Long:1");
    CHECK_STR(ev("${7.5 % 2}"), "Double:1.5");
    CHECK_STR(ev("${-9223372036854775807 - 1 % -1}"), "Long:-9223372036854775807");
    CHECK_STR(ev("${(-9223372036854775807 - 1) % -1}"), "Long:0");
}

static void test_modulo_by_zero_is_an_error(void) {
    CHECK_STR(err_of("${x % 0}"), "Error while evaluating expression: ${x % 0}. Cause: / by zero");
    CHECK_STR(ev("${x % 0.0}"), "Double:NaN");
}

static void test_doubles_combine_with_integers_as_doubles(void) {
    CHECK_STR(ev("${half + 1}"), "Double:1.5");
    CHECK_STR(ev("${0.1 + 0.2}"), "Double:0.30000000000000004");
    CHECK_STR(ev("${2 * 1.5}"), "Double:3.0");
    CHECK_STR(ev("${1e308 * 10}"), "Double:Infinity");
}

static void test_long_arithmetic_wraps_like_java(void) {
    CHECK_STR(ev("${big + 1}"), "Long:-9223372036854775808");
    CHECK_STR(ev("${big * 2}"), "Long:-2");
    CHECK_STR(ev("${-big - 2}"), "Long:9223372036854775807");
    CHECK_STR(ev("${-(big + 1)}"), "Long:-9223372036854775808");
}

static void test_unary_minus_keeps_an_integer_an_integer(void) {
    CHECK_STR(ev("${-x}"), "Integer:-5");
    CHECK_STR(ev("${-minint}"), "Integer:-2147483648");
    CHECK_STR(ev("${-half}"), "Double:-0.5");
    CHECK_STR(ev("${-'3'}"), "Long:-3");
    CHECK_STR(ev("${-'1.5'}"), "Double:-1.5");
    CHECK_STR(ev("${-null}"), "Long:0");
    CHECK_STR(ev("${- - 4}"), "Long:4");
    CHECK_STR(err_of("${-yes}"),
              "Error while evaluating expression: ${-yes}. Cause: Cannot negate class java.lang.Boolean");
}

static void test_numeric_strings_take_part_in_arithmetic(void) {
    CHECK_STR(ev("${'2' + 3}"), "Long:5");
    CHECK_STR(ev("${num_s * 2}"), "Long:20");
    CHECK_STR(ev("${'1.5' + 1}"), "Double:2.5");
    CHECK_STR(ev("${'1e2' + 0}"), "Double:100.0");
    CHECK_STR(ev("${'' + 1}"), "Long:1");
}

static void test_plus_is_numeric_so_a_word_plus_a_number_is_an_error(void) {
    CHECK_STR(err_of("${'a' + 1}"),
              "Error while evaluating expression: ${'a' + 1}. Cause: Cannot coerce 'a' to class java.lang.Long");
    CHECK_STR(err_of("${name + name}"),
              "Error while evaluating expression: ${name + name}. Cause: Cannot coerce 'Ann' to class java.lang.Long");
    CHECK_STR(err_of("${'x.y' + 1}"),
              "Error while evaluating expression: ${'x.y' + 1}. Cause: Cannot coerce 'x.y' to class java.lang.Double");
}

static void test_booleans_dates_and_json_do_not_coerce_to_numbers(void) {
    CHECK_STR(err_of("${yes + 1}"),
              "Error while evaluating expression: ${yes + 1}. Cause: Cannot coerce from class java.lang.Boolean to class java.lang.Long");
    CHECK_STR(err_of("${d1 + 1}"),
              "Error while evaluating expression: ${d1 + 1}. Cause: Cannot coerce from class java.util.Date to class java.lang.Long");
    CHECK(starts_with(err_of("${doc * 1}"), "Error while evaluating expression: ${doc * 1}. Cause: Cannot coerce from class org.camunda.spin"));
    CHECK(starts_with(err_of("${yes / 1}"), "Error while evaluating expression: ${yes / 1}. Cause: Cannot coerce from class java.lang.Boolean to class java.lang.Double"));
}

static void test_null_counts_as_zero_in_arithmetic(void) {
    CHECK_STR(ev("${null + null}"), "Long:0");
    CHECK_STR(ev("${nothing + 1}"), "Long:1");
    CHECK_STR(ev("${nothing * half}"), "Double:0.0");
}

/* ---- precedence ---- */

static void test_multiplication_binds_tighter_than_addition(void) {
    CHECK_STR(ev("${1 + 2 * 3}"), "Long:7");
    CHECK_STR(ev("${(1 + 2) * 3}"), "Long:9");
    CHECK_STR(ev("${10 - 2 * 3 + 1}"), "Long:5");
    CHECK_STR(ev("${7 - 2 % 3}"), "Long:5");
    CHECK_STR(ev("${1 + 6 / 3}"), "Double:3.0");
}

static void test_operators_of_one_level_associate_to_the_left(void) {
    CHECK_STR(ev("${10 - 4 - 3}"), "Long:3");
    CHECK_STR(ev("${64 / 4 / 2}"), "Double:8.0");
    CHECK_STR(ev("${2 * 3 % 4}"), "Long:2");
    CHECK_STR(ev("${100 % 7 * 2}"), "Long:4");
}

static void test_comparison_binds_tighter_than_equality_and_logic(void) {
    CHECK_STR(ev("${1 + 2 == 3}"), "Boolean:true");
    CHECK_STR(ev("${1 < 2 == 2 < 3}"), "Boolean:true");
    CHECK_STR(ev("${1 < 2 && 3 > 4}"), "Boolean:false");
    CHECK_STR(ev("${x > 1 and x < 10}"), "Boolean:true");
}

static void test_and_binds_tighter_than_or(void) {
    CHECK_STR(ev("${true || false && false}"), "Boolean:true");
    CHECK_STR(ev("${(true || false) && false}"), "Boolean:false");
    CHECK_STR(ev("${false and true or true}"), "Boolean:true");
}

static void test_unary_operators_bind_tightest(void) {
    CHECK_STR(ev("${!true || true}"), "Boolean:true");
    CHECK_STR(ev("${not (true || true)}"), "Boolean:false");
    CHECK_STR(ev("${-2 * 3}"), "Long:-6");
    CHECK_STR(ev("${- 2 - -3}"), "Long:1");
    CHECK_STR(ev("${empty nothing == true}"), "Boolean:true");
    CHECK_STR(ev("${-doc.customer.age}"), "Integer:-42");
}

static void test_the_ternary_binds_loosest_and_nests_to_the_right(void) {
    CHECK_STR(ev("${1 == 1 ? 'y' : 'n'}"), "String:y");
    CHECK_STR(ev("${x > 9 ? 'big' : 'small'}"), "String:small");
    CHECK_STR(ev("${false ? 1 : true ? 2 : 3}"), "Long:2");
    CHECK_STR(ev("${true ? false ? 1 : 2 : 3}"), "Long:2");
    CHECK_STR(ev("${x > 1 || false ? x + 1 : 0}"), "Long:6");
    CHECK_STR(ev("${'true' ? 1 : 2}"), "Long:1");
    CHECK_STR(ev("${nothing ? 1 : 2}"), "Long:2");
}

static void test_the_ternary_evaluates_only_the_chosen_branch(void) {
    CHECK_STR(ev("${true ? 1 : undefinedVariable}"), "Long:1");
    CHECK_STR(ev("${false ? undefinedVariable : 2}"), "Long:2");
}

/* ---- comparison and equality ---- */

static void test_numbers_compare_numerically(void) {
    CHECK_STR(ev("${2 < 10}"), "Boolean:true");
    CHECK_STR(ev("${2 lt 10}"), "Boolean:true");
    CHECK_STR(ev("${10 > 2}"), "Boolean:true");
    CHECK_STR(ev("${10 gt 2}"), "Boolean:true");
    CHECK_STR(ev("${5 <= 5}"), "Boolean:true");
    CHECK_STR(ev("${5 le 4}"), "Boolean:false");
    CHECK_STR(ev("${5 >= 6}"), "Boolean:false");
    CHECK_STR(ev("${5 ge 5}"), "Boolean:true");
    CHECK_STR(ev("${1.5 > 1}"), "Boolean:true");
    CHECK_STR(ev("${big > 1.0}"), "Boolean:true");
    CHECK_STR(ev("${num_s > 9}"), "Boolean:true");
}

static void test_strings_compare_lexicographically(void) {
    CHECK_STR(ev("${'2' < '10'}"), "Boolean:false");
    CHECK_STR(ev("${'abc' < 'abd'}"), "Boolean:true");
    CHECK_STR(ev("${name >= 'Ann'}"), "Boolean:true");
    CHECK_STR(ev("${'B' > 'a'}"), "Boolean:false");
}

static void test_a_non_numeric_string_against_a_number_is_an_error(void) {
    CHECK_STR(err_of("${name < 5}"),
              "Error while evaluating expression: ${name < 5}. Cause: Cannot coerce 'Ann' to class java.lang.Long");
    CHECK_STR(err_of("${name == 5}"),
              "Error while evaluating expression: ${name == 5}. Cause: Cannot coerce 'Ann' to class java.lang.Long");
}

static void test_booleans_and_dates_compare_by_order(void) {
    CHECK_STR(ev("${false < true}"), "Boolean:true");
    CHECK_STR(ev("${d1 < d2}"), "Boolean:true");
    CHECK_STR(ev("${d2 <= d1}"), "Boolean:false");
    CHECK_STR(err_of("${yes < d1}"),
              "Error while evaluating expression: ${yes < d1}. Cause: Cannot compare class java.lang.Boolean and class java.util.Date");
}

static void test_comparisons_with_null_are_false_except_null_with_itself(void) {
    CHECK_STR(ev("${nothing < 1}"), "Boolean:false");
    CHECK_STR(ev("${1 > null}"), "Boolean:false");
    CHECK_STR(ev("${null <= null}"), "Boolean:true");
    CHECK_STR(ev("${null < null}"), "Boolean:false");
    CHECK_STR(ev("${nan < 1}"), "Boolean:false");
    CHECK_STR(ev("${nan >= nan}"), "Boolean:false");
}

static void test_equality_coerces_to_the_wider_type(void) {
    CHECK_STR(ev("${null == null}"), "Boolean:true");
    CHECK_STR(ev("${nothing == null}"), "Boolean:true");
    CHECK_STR(ev("${x == null}"), "Boolean:false");
    CHECK_STR(ev("${x != null}"), "Boolean:true");
    CHECK_STR(ev("${'5' == 5}"), "Boolean:true");
    CHECK_STR(ev("${x eq 5}"), "Boolean:true");
    CHECK_STR(ev("${x ne 5}"), "Boolean:false");
    CHECK_STR(ev("${1 == 1.0}"), "Boolean:true");
    CHECK_STR(ev("${half == '0.5'}"), "Boolean:true");
    CHECK_STR(ev("${'true' == true}"), "Boolean:true");
    CHECK_STR(ev("${'yes' == true}"), "Boolean:false");
    CHECK_STR(ev("${'a' == 'a'}"), "Boolean:true");
    CHECK_STR(ev("${'a' != 'b'}"), "Boolean:true");
    CHECK_STR(ev("${d1 == d1}"), "Boolean:true");
    CHECK_STR(ev("${d1 == d2}"), "Boolean:false");
    CHECK_STR(ev("${nan == nan}"), "Boolean:false");
    CHECK_STR(err_of("${yes == 1}"),
              "Error while evaluating expression: ${yes == 1}. Cause: Cannot coerce from class java.lang.Boolean to class java.lang.Long");
}

static void test_json_values_are_equal_by_content(void) {
    scope_put(&F.parent, "same_arr", value_json("[ {\"x\": 1}, {\"x\": 2} ]"));
    CHECK_STR(ev("${arr == same_arr}"), "Boolean:true");
    CHECK_STR(ev("${arr == empty_arr}"), "Boolean:false");
    CHECK_STR(ev("${doc.customer.tags == doc.customer.tags}"), "Boolean:true");
}

/* ---- logic ---- */

static void test_logical_operators_have_word_forms(void) {
    CHECK_STR(ev("${true and false}"), "Boolean:false");
    CHECK_STR(ev("${true && true}"), "Boolean:true");
    CHECK_STR(ev("${false or true}"), "Boolean:true");
    CHECK_STR(ev("${false || false}"), "Boolean:false");
    CHECK_STR(ev("${not false}"), "Boolean:true");
    CHECK_STR(ev("${!yes}"), "Boolean:false");
    CHECK_STR(ev("${!!yes}"), "Boolean:true");
}

static void test_logical_operators_short_circuit(void) {
    CHECK_STR(ev("${false && undefinedVariable}"), "Boolean:false");
    CHECK_STR(ev("${true || undefinedVariable}"), "Boolean:true");
    CHECK(starts_with(err_of("${true && undefinedVariable}"), "Unknown property used in expression"));
}

static void test_logical_operands_coerce_to_boolean(void) {
    CHECK_STR(ev("${'true' && true}"), "Boolean:true");
    CHECK_STR(ev("${'TRUE' && true}"), "Boolean:true");
    CHECK_STR(ev("${'yes' || false}"), "Boolean:false");
    CHECK_STR(ev("${nothing || false}"), "Boolean:false");
    CHECK_STR(ev("${!empty_s}"), "Boolean:true");
    CHECK_STR(err_of("${x && true}"),
              "Error while evaluating expression: ${x && true}. Cause: Cannot coerce from class java.lang.Integer to class java.lang.Boolean");
    CHECK_STR(err_of("${!1}"),
              "Error while evaluating expression: ${!1}. Cause: Cannot coerce from class java.lang.Long to class java.lang.Boolean");
}

static void test_empty_is_true_for_null_empty_text_and_empty_json(void) {
    CHECK_STR(ev("${empty nothing}"), "Boolean:true");
    CHECK_STR(ev("${empty empty_s}"), "Boolean:true");
    CHECK_STR(ev("${empty ''}"), "Boolean:true");
    CHECK_STR(ev("${empty empty_arr}"), "Boolean:true");
    CHECK_STR(ev("${empty empty_obj}"), "Boolean:true");
    CHECK_STR(ev("${empty doc.customer.empty}"), "Boolean:true");
    CHECK_STR(ev("${empty doc.customer.missing}"), "Boolean:true");
    CHECK_STR(ev("${empty name}"), "Boolean:false");
    CHECK_STR(ev("${empty arr}"), "Boolean:false");
    CHECK_STR(ev("${empty 0}"), "Boolean:false");
    CHECK_STR(ev("${empty yes}"), "Boolean:false");
    CHECK_STR(ev("${not empty arr}"), "Boolean:true");
    CHECK_STR(ev("${!empty doc.customer.tags}"), "Boolean:true");
}

/* ---- variables and errors ---- */

static void test_an_unknown_variable_is_camundas_unknown_property_error(void) {
    CHECK_STR(err_of("${foo}"), "Unknown property used in expression: ${foo}. Cause: Cannot resolve identifier 'foo'");
    CHECK_STR(err_of("Hello ${foo}!"),
              "Unknown property used in expression: Hello ${foo}!. Cause: Cannot resolve identifier 'foo'");
    CHECK_STR(err_of("${x + foo.bar}"),
              "Unknown property used in expression: ${x + foo.bar}. Cause: Cannot resolve identifier 'foo'");
}

static void test_variables_are_found_in_enclosing_scopes(void) {
    CHECK_STR(ev("${loc}"), "String:here");
    CHECK_STR(ev("${name}"), "String:Ann");
}

static void test_without_a_host_every_identifier_is_unknown(void) {
    CHECK_STR(ev_host("${1 + 1}", NULL), "Long:2");
    CHECK_STR(ev_host("${x}", NULL), "ERROR:Unknown property used in expression: ${x}. Cause: Cannot resolve identifier 'x'");
    expr_host bare = {NULL, NULL, NULL, NULL, NULL, NULL};
    CHECK_STR(ev_host("${execution.id}", &bare),
              "ERROR:Unknown property used in expression: ${execution.id}. Cause: Cannot resolve identifier 'execution'");
}

/* ---- Json property access ---- */

static void test_json_properties_become_typed_values(void) {
    CHECK_STR(ev("${doc.customer.name}"), "String:Ann");
    CHECK_STR(ev("${doc.customer.age}"), "Integer:42");
    CHECK_STR(ev("${doc.customer.big}"), "Long:5000000000");
    CHECK_STR(ev("${doc.customer.score}"), "Double:4.5");
    CHECK_STR(ev("${doc.customer.vip}"), "Boolean:true");
    CHECK_STR(ev("${doc.customer.addr}"), "Null:");
    CHECK_STR(ev("${doc.customer.tags}"), "Json:[\"a\",\"b\"]");
    CHECK_STR(ev("${doc.customer.items[0]}"), "Json:{\"sku\":\"p1\"}");
}

static void test_json_is_navigated_with_dots_brackets_and_indexes(void) {
    CHECK_STR(ev("${doc['customer']['name']}"), "String:Ann");
    CHECK_STR(ev("${doc[\"customer\"].tags[1]}"), "String:b");
    CHECK_STR(ev("${doc.customer.tags['0']}"), "String:a");
    CHECK_STR(ev("${doc.customer.tags[x - 4]}"), "String:b");
    CHECK_STR(ev("${doc.customer.tags[1.9]}"), "String:b");
    CHECK_STR(ev("${arr[1].x + 1}"), "Long:3");
    CHECK_STR(ev("${doc.customer.items[0].sku}"), "String:p1");
    CHECK_STR(ev("${doc.customer.null}"), "Integer:1");
    CHECK_STR(ev("Tags: ${doc.customer.tags}"), "String:Tags: [\"a\",\"b\"]");
}

static void test_missing_json_keys_and_indexes_give_null(void) {
    CHECK_STR(ev("${doc.customer.nope}"), "Null:");
    CHECK_STR(ev("${doc.nope.deeper.still}"), "Null:");
    CHECK_STR(ev("${doc.customer.tags[5]}"), "Null:");
    CHECK_STR(ev("${doc.customer.tags[-1]}"), "Null:");
    CHECK_STR(ev("${doc.customer.addr.street}"), "Null:");
    CHECK_STR(ev("${nothing.anything}"), "Null:");
    CHECK_STR(ev("${doc[nothing]}"), "Null:");
}

static void test_json_values_take_part_in_expressions(void) {
    CHECK_STR(ev("${doc.customer.age > 40}"), "Boolean:true");
    CHECK_STR(ev("${doc.customer.vip && doc.customer.age >= 18}"), "Boolean:true");
    CHECK_STR(ev("${doc.customer.name == 'Ann'}"), "Boolean:true");
    CHECK_STR(ev("${doc.customer.score * 2}"), "Double:9.0");
}

static void test_bad_json_access_is_an_error(void) {
    CHECK_STR(err_of("${doc.customer.tags['first']}"),
              "Error while evaluating expression: ${doc.customer.tags['first']}. Cause: Cannot parse list index: first");
    CHECK(starts_with(err_of("${bad_json.a}"), "Error while evaluating expression: ${bad_json.a}. Cause:"));
    CHECK(starts_with(err_of("${doc.customer.tags[d1]}"),
                      "Error while evaluating expression: ${doc.customer.tags[d1]}. Cause: Cannot coerce property to list index"));
}

static void test_other_values_have_no_properties(void) {
    CHECK_STR(err_of("${name.length}"),
              "Unknown property used in expression: ${name.length}. Cause: Could not find property length in class java.lang.String");
    CHECK_STR(err_of("${x['a']}"),
              "Unknown property used in expression: ${x['a']}. Cause: Could not find property a in class java.lang.Integer");
    CHECK_STR(err_of("${doc.customer.age.value}"),
              "Unknown property used in expression: ${doc.customer.age.value}. Cause: Could not find property value in class java.lang.Integer");
}

/* ---- the execution ---- */

static void test_get_variable_returns_the_value_or_null_without_error(void) {
    CHECK_STR(ev("${execution.getVariable('x')}"), "Integer:5");
    CHECK_STR(ev("${execution.getVariable(\"name\")}"), "String:Ann");
    CHECK_STR(ev("${execution.getVariable('absent')}"), "Null:");
    CHECK_STR(ev("${execution.getVariable('doc').customer.age}"), "Integer:42");
    CHECK_STR(ev("${execution.getVariable('x') + 1}"), "Long:6");
}

static void test_get_variable_local_sees_only_the_current_scope(void) {
    CHECK_STR(ev("${execution.getVariableLocal('loc')}"), "String:here");
    CHECK_STR(ev("${execution.getVariableLocal('x')}"), "Null:");
    CHECK_STR(ev("${execution.hasVariable('x')}"), "Boolean:true");
    CHECK_STR(ev("${execution.hasVariableLocal('x')}"), "Boolean:false");
    CHECK_STR(ev("${execution.hasVariable('absent')}"), "Boolean:false");
}

static void test_set_variable_stores_the_value_and_yields_null(void) {
    CHECK_STR(ev("${execution.setVariable('total', x * 2)}"), "Null:");
    CHECK(F.sets == 1);
    CHECK_STR(ev("${total}"), "Long:10");
    CHECK_STR(ev("${execution.setVariableLocal('mine', 'v')}"), "Null:");
    CHECK_STR(ev("${execution.getVariableLocal('mine')}"), "String:v");
    CHECK_STR(ev("${execution.setVariable('x', 'changed')}"), "Null:");
    CHECK_STR(ev("${x}"), "String:changed");
    CHECK_STR(ev("done${execution.setVariable('flag', true)}"), "String:done");
    CHECK_STR(ev("${flag}"), "Boolean:true");
}

static void test_a_host_refusal_to_set_a_variable_passes_through(void) {
    error err = {0};
    expr *e = expr_compile("${execution.setVariable('readonly', 1)}", &err);
    value v;
    CHECK(e && !expr_eval(e, &HOST, &v, &err));
    CHECK_STR(err.type, ERR_NOT_VALID);
    CHECK_STR(err.message, "variable 'readonly' is read-only");
    error_clear(&err);
    expr_free(e);
}

static void test_the_execution_exposes_its_id_activity_and_business_key(void) {
    CHECK_STR(ev("${execution.id}"), "String:exec-42");
    CHECK_STR(ev("${execution.activityId}"), "String:ServiceTask_1");
    CHECK_STR(ev("${execution.currentActivityId}"), "String:ServiceTask_1");
    CHECK_STR(ev("${execution.processBusinessKey}"), "String:order-17");
    CHECK_STR(ev("${execution.businessKey}"), "String:order-17");
    CHECK_STR(ev("${execution['id']}"), "String:exec-42");
    CHECK_STR(ev("${execution.getProcessBusinessKey()}"), "String:order-17");
    CHECK_STR(ev("${execution.getBusinessKey()}"), "String:order-17");
    CHECK_STR(ev("${execution.getActivityId()}"), "String:ServiceTask_1");
    CHECK_STR(ev("${execution.getId()}"), "String:exec-42");
    CHECK_STR(ev("key=${execution.processBusinessKey}"), "String:key=order-17");
    F.business_key = NULL;
    CHECK_STR(ev("${execution.processBusinessKey}"), "Null:");
    CHECK_STR(ev("${empty execution.processBusinessKey}"), "Boolean:true");
}

static void test_execution_shadows_a_variable_of_the_same_name(void) {
    scope_put(&F.parent, "execution", value_string("a variable"));
    CHECK_STR(ev("${execution.id}"), "String:exec-42");
}

static void test_unknown_execution_members_are_errors(void) {
    CHECK_STR(err_of("${execution.foo()}"),
              "Unknown method used in expression: ${execution.foo()}. Cause: Cannot find method foo with 0 parameters in class org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity");
    CHECK_STR(err_of("${execution.getVariable()}"),
              "Unknown method used in expression: ${execution.getVariable()}. Cause: Cannot find method getVariable with 0 parameters in class org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity");
    CHECK_STR(err_of("${execution.tenantId}"),
              "Unknown property used in expression: ${execution.tenantId}. Cause: Could not find property tenantId in class org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity");
    CHECK(starts_with(err_of("${execution}"), "Error while evaluating expression: ${execution}. Cause: the execution object cannot be used as a value"));
}

static void test_argument_errors_surface_from_execution_calls(void) {
    CHECK_STR(err_of("${execution.setVariable('a', foo)}"),
              "Unknown property used in expression: ${execution.setVariable('a', foo)}. Cause: Cannot resolve identifier 'foo'");
    CHECK(F.sets == 0);
}

static void test_methods_on_other_values_are_unknown_methods(void) {
    CHECK_STR(err_of("${name.toUpperCase()}"),
              "Unknown method used in expression: ${name.toUpperCase()}. Cause: Cannot find method toUpperCase with 0 parameters in class java.lang.String");
    CHECK_STR(err_of("${doc.prop('customer')}"),
              "Unknown method used in expression: ${doc.prop('customer')}. Cause: Cannot find method prop with 1 parameters in class org.camunda.spin.impl.json.jackson.JacksonJsonNode");
    CHECK(starts_with(err_of("${nothing.foo()}"), "Unknown property used in expression: ${nothing.foo()}. Cause:"));
    CHECK_STR(err_of("${foo.bar()}"), "Unknown property used in expression: ${foo.bar()}. Cause: Cannot resolve identifier 'foo'");
}

static void test_functions_are_refused_when_compiling(void) {
    CHECK_STR(err_of("${foo(1)}"), "Error parsing '${foo(1)}': Could not resolve function 'foo'");
    CHECK_STR(err_of("${fn:length(name)}"), "Error parsing '${fn:length(name)}': Could not resolve function 'fn:length'");
    /* a colon in a ternary is not a function prefix */
    CHECK_STR(ev("${yes ? x : name}"), "Integer:5");
}

/* ---- syntax errors ---- */

static void test_syntax_errors_name_the_text_position_and_expectation(void) {
    CHECK_STR(err_of("${a +}"),
              "Error parsing '${a +}': syntax error at position 5, encountered '}', expected an operand "
              "(a literal, an identifier, '(' or a unary operator)");
    CHECK_STR(err_of("${a"), "Error parsing '${a': syntax error at position 3, encountered <EOF>, expected an operator or '}'");
    CHECK_STR(err_of("${a b}"), "Error parsing '${a b}': syntax error at position 4, encountered 'b', expected an operator or '}'");
    CHECK_STR(err_of("${(a}"), "Error parsing '${(a}': syntax error at position 4, encountered '}', expected ')' or an operator");
    CHECK_STR(err_of("${a[1}"), "Error parsing '${a[1}': syntax error at position 5, encountered '}', expected ']' or an operator");
    CHECK_STR(err_of("${a ? b}"), "Error parsing '${a ? b}': syntax error at position 7, encountered '}', expected ':' or an operator");
    CHECK_STR(err_of("${a.}"), "Error parsing '${a.}': syntax error at position 4, encountered '}', expected a property name");
    CHECK_STR(err_of("${execution.getVariable('a' 'b')}"),
              "Error parsing '${execution.getVariable('a' 'b')}': syntax error at position 28, encountered ''b'', expected ',' or ')'");
}

static void test_lexical_errors_are_syntax_errors(void) {
    CHECK_STR(err_of("${'abc}"), "Error parsing '${'abc}': syntax error at position 2, unterminated string literal");
    CHECK_STR(err_of("${a = 1}"), "Error parsing '${a = 1}': syntax error at position 4, unexpected character '='");
    CHECK_STR(err_of("${a & b}"), "Error parsing '${a & b}': syntax error at position 4, unexpected character '&'");
    CHECK_STR(err_of("${'\\n'}"), "Error parsing '${'\\n'}': syntax error at position 3, invalid escape sequence '\\n' in a string literal");
    CHECK_STR(err_of("${99999999999999999999}"),
              "Error parsing '${99999999999999999999}': syntax error at position 2, integer literal out of range");
    CHECK_STR(err_of("${a\x01}"), "Error parsing '${a\x01}': syntax error at position 3, unexpected character 0x01");
}

static void test_more_malformed_expressions_are_rejected(void) {
    static const char *bad[] = {"${}", "${ }", "${1 +* 2}", "${and}", "${x.1}", "${)}", "${[1]}",
                                "${a;b}", "${a instanceof b}", "${{}}", "${1 ? 2}", "${: 1}",
                                "${a.b.}", "${a[]}", "${-}", "${not}", "${empty}", "${a,b}",
                                "${execution.getVariable(}", "${execution.getVariable('a',)}",
                                "${a -> a}", "${a += 1}", "${'a' 'b'}", "${true false}",
                                "${#{x}}", "${'unterminated", "${\"}", "${a.'b'}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = err_of(bad[i]);
        if (!starts_with(msg, "Error parsing '")) fprintf(stderr, "  not a parse error: %s → %s\n", bad[i], msg);
        CHECK(starts_with(msg, "Error parsing '"));
    }
    error err = {0};
    CHECK(expr_compile(NULL, &err) == NULL);
    CHECK(err.message != NULL);
    error_clear(&err);
}

static void test_keywords_are_not_identifiers_but_may_name_json_keys(void) {
    CHECK(starts_with(err_of("${div}"), "Error parsing"));
    CHECK(starts_with(err_of("${x + mod}"), "Error parsing"));
    CHECK_STR(ev("${doc.customer.empty}"), "Json:[]");
}

/* ---- limits and robustness ---- */

/* head + n×unit + middle + n×close + tail, built in linear time. */
static char *repeat3(const char *head, const char *unit, int n, const char *middle, const char *close, const char *tail) {
    size_t lu = strlen(unit), lc = strlen(close);
    size_t len = strlen(head) + strlen(middle) + strlen(tail) + (size_t)n * (lu + lc) + 1;
    char *s = malloc(len), *p = s;
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++, p += lu) memcpy(p, unit, lu);
    p += sprintf(p, "%s", middle);
    for (int i = 0; i < n; i++, p += lc) memcpy(p, close, lc);
    sprintf(p, "%s", tail);
    return s;
}

static void test_nesting_up_to_the_limit_is_accepted(void) {
    char *text = repeat3("${", "(", 150, "x", ")", "}");
    CHECK_STR(ev(text), "Integer:5");
    free(text);
    text = repeat3("${", "-", 150, "1", "", "}");
    CHECK_STR(ev(text), "Long:1");
    free(text);
    text = repeat3("${1", "+1", 150, "", "", "}");
    CHECK_STR(ev(text), "Long:151");
    free(text);
}

static void test_nesting_beyond_the_limit_is_an_error_not_a_crash(void) {
    const char *limit = "expression nests deeper than 200 levels";
    char *cases[] = {
        repeat3("${", "(", 5000, "x", ")", "}"),
        repeat3("${", "-", 5000, "1", "", "}"),
        repeat3("${", "!", 300, "true", "", "}"),
        repeat3("${1", "+1", 5000, "", "", "}"),
        repeat3("${", "arr[", 300, "0", "]", "}"),
        repeat3("${", "execution.getVariable(", 300, "'x'", ")", "}"),
        repeat3("${doc", ".a", 400, "", "", "}"),
        repeat3("${", "true ? ", 300, "1", " : 2", "}"),
        repeat3("${", "(", 100000, "", "", "}"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *msg = err_of(cases[i]);
        if (!strstr(msg, limit)) fprintf(stderr, "  case %zu: %.120s\n", i, msg);
        CHECK(strstr(msg, limit) != NULL);
        free(cases[i]);
    }
}

static void test_simple_identifiers_are_recognised_for_delegate_expressions(void) {
    error err = {0};
    struct { const char *text, *ident; } cases[] = {
        {"${myDelegate}", "myDelegate"}, {"${ spaced }", "spaced"}, {"#{deferred}", "deferred"},
        {"${a.b}", NULL}, {"x${a}", NULL}, {"${a}${b}", NULL}, {"plain", NULL}, {"${'a'}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expr *e = expr_compile(cases[i].text, &err);
        CHECK(e != NULL);
        const char *got = expr_simple_identifier(e);
        if (cases[i].ident) CHECK_STR(got, cases[i].ident);
        else CHECK(got == NULL);
        expr_free(e);
    }
    CHECK(expr_simple_identifier(NULL) == NULL);
    CHECK(expr_text(NULL) == NULL);
    expr_free(NULL);
}

static void test_an_expression_evaluates_the_same_many_times(void) {
    error err = {0};
    expr *e = expr_compile("${x * 2 + doc.customer.age}", &err);
    CHECK(e != NULL);
    for (int i = 0; i < 100; i++) {
        value v;
        CHECK(expr_eval(e, &HOST, &v, &err));
        CHECK(v.type == VAL_LONG && v.i == 52);
        value_free(&v);
    }
    expr_free(e);
    value v = value_boolean(true);
    CHECK(!expr_eval(NULL, &HOST, &v, &err));
    CHECK(v.type == VAL_NULL);
    error_clear(&err);
}

/* Random token soup: whatever comes out, nothing may crash, leak or overflow. */
static void test_random_input_never_crashes(void) {
    static const char *pieces[] = {"${", "#{", "}", "(", ")", "[", "]", ".", ",", "?", ":", "+", "-", "*",
                                   "/", "%", "!", "<", ">", "<=", ">=", "==", "!=", "&&", "||", " and ",
                                   " or ", " not ", " empty ", " div ", " mod ", " eq ", "x", "big", "doc",
                                   "arr", "name", "nothing", "yes", "half", "execution", ".customer",
                                   ".tags", "[0]", "[1]", "'a'", "\"b\"", "'", "\"", "\\", "1", "0",
                                   "9223372036854775807", "1.5", "1e308", ".getVariable('x')",
                                   ".setVariable('z', 1)", "foo", " ", "true", "false", "null", "text",
                                   "\\${", "$", "#", "{", "=", "&", "|", "\xc3\xa9"};
    uint32_t seed = 12345;
    char text[512];
    for (int round = 0; round < 30000; round++) {
        text[0] = '\0';
        size_t len = 0;
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        if (round % 2) {
            strcpy(text, "${");
            len = 2;
        }
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(p);
            if (len + pl + 2 >= sizeof text) break;
            memcpy(text + len, p, pl + 1);
            len += pl;
        }
        if (round % 2) strcpy(text + len, "}");
        error err = {0};
        expr *e = expr_compile(text, &err);
        if (e) {
            value v;
            if (expr_eval(e, &HOST, &v, &err)) value_free(&v);
            else CHECK(err.message != NULL);
            expr_free(e);
        } else {
            CHECK(err.message != NULL);
        }
        error_clear(&err);
    }
}

int main(void) {
#define T(name) do { setup(); RUN(name); } while (0)
    T(test_text_without_expressions_is_a_literal_string);
    T(test_a_single_expression_keeps_its_own_type);
    T(test_composite_text_concatenates_as_strings);
    T(test_deferred_syntax_works_like_immediate);
    T(test_a_backslash_escapes_the_expression_marker);
    T(test_string_literals_take_either_quote_and_backslash_escapes);
    T(test_number_literals_are_long_or_double);
    T(test_integer_arithmetic_stays_integral_as_long);
    T(test_integer_division_yields_a_double);
    T(test_modulo_stays_integral_and_follows_the_dividends_sign);
    T(test_modulo_by_zero_is_an_error);
    T(test_doubles_combine_with_integers_as_doubles);
    T(test_long_arithmetic_wraps_like_java);
    T(test_unary_minus_keeps_an_integer_an_integer);
    T(test_numeric_strings_take_part_in_arithmetic);
    T(test_plus_is_numeric_so_a_word_plus_a_number_is_an_error);
    T(test_booleans_dates_and_json_do_not_coerce_to_numbers);
    T(test_null_counts_as_zero_in_arithmetic);
    T(test_multiplication_binds_tighter_than_addition);
    T(test_operators_of_one_level_associate_to_the_left);
    T(test_comparison_binds_tighter_than_equality_and_logic);
    T(test_and_binds_tighter_than_or);
    T(test_unary_operators_bind_tightest);
    T(test_the_ternary_binds_loosest_and_nests_to_the_right);
    T(test_the_ternary_evaluates_only_the_chosen_branch);
    T(test_numbers_compare_numerically);
    T(test_strings_compare_lexicographically);
    T(test_a_non_numeric_string_against_a_number_is_an_error);
    T(test_booleans_and_dates_compare_by_order);
    T(test_comparisons_with_null_are_false_except_null_with_itself);
    T(test_equality_coerces_to_the_wider_type);
    T(test_json_values_are_equal_by_content);
    T(test_logical_operators_have_word_forms);
    T(test_logical_operators_short_circuit);
    T(test_logical_operands_coerce_to_boolean);
    T(test_empty_is_true_for_null_empty_text_and_empty_json);
    T(test_an_unknown_variable_is_camundas_unknown_property_error);
    T(test_variables_are_found_in_enclosing_scopes);
    T(test_without_a_host_every_identifier_is_unknown);
    T(test_json_properties_become_typed_values);
    T(test_json_is_navigated_with_dots_brackets_and_indexes);
    T(test_missing_json_keys_and_indexes_give_null);
    T(test_json_values_take_part_in_expressions);
    T(test_bad_json_access_is_an_error);
    T(test_other_values_have_no_properties);
    T(test_get_variable_returns_the_value_or_null_without_error);
    T(test_get_variable_local_sees_only_the_current_scope);
    T(test_set_variable_stores_the_value_and_yields_null);
    T(test_a_host_refusal_to_set_a_variable_passes_through);
    T(test_the_execution_exposes_its_id_activity_and_business_key);
    T(test_execution_shadows_a_variable_of_the_same_name);
    T(test_unknown_execution_members_are_errors);
    T(test_argument_errors_surface_from_execution_calls);
    T(test_methods_on_other_values_are_unknown_methods);
    T(test_functions_are_refused_when_compiling);
    T(test_syntax_errors_name_the_text_position_and_expectation);
    T(test_lexical_errors_are_syntax_errors);
    T(test_more_malformed_expressions_are_rejected);
    T(test_keywords_are_not_identifiers_but_may_name_json_keys);
    T(test_nesting_up_to_the_limit_is_accepted);
    T(test_nesting_beyond_the_limit_is_an_error_not_a_crash);
    T(test_simple_identifiers_are_recognised_for_delegate_expressions);
    T(test_an_expression_evaluates_the_same_many_times);
    T(test_random_input_never_crashes);
#undef T
    scope_clear(&F.local);
    scope_clear(&F.parent);
    ev("");
    return CHECK_SUMMARY();
}
