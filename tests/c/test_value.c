/*
 * test_value.c — typed values (src/value.c): constructors and ownership, type names, the REST
 * typed-value JSON in both directions with Camunda's conversion rules and messages, and the
 * String forms JUEL uses.
 */
#include "check.h"
#include "value.h"

#include <math.h>
#include <stdlib.h>

/* Parses `json` as a typed value; on failure returns VAL_NULL and copies the message to msg. */
static bool from(const char *json, value *out, char *msg, size_t size) {
    cJSON *doc = cJSON_Parse(json);
    CHECK(doc != NULL);
    error err = {0};
    bool ok = value_from_json(doc, out, &err);
    if (msg && size) snprintf(msg, size, "%s", err.message ? err.message : "");
    if (!ok) CHECK(err.type != NULL);
    error_clear(&err);
    cJSON_Delete(doc);
    return ok;
}

static const char *to_text(const value *v) {
    static char buf[256];
    json_writer w = {0};
    value_write(&w, v);
    snprintf(buf, sizeof buf, "%s", w.buf);
    jw_free(&w);
    return buf;
}

static const char *plain_text(const value *v) {
    static char buf[256];
    json_writer w = {0};
    value_write_plain(&w, v);
    snprintf(buf, sizeof buf, "%s", w.buf);
    jw_free(&w);
    return buf;
}

static const char *as_string(const value *v) {
    static char buf[256];
    char *s = value_to_string(v);
    snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
    free(s);
    return buf;
}

static const char *dbl(double d) {
    static char buf[40];
    value_format_double(d, buf, sizeof buf);
    return buf;
}

/* ---- constructors ---- */

static void test_value_integer_picks_integer_or_long_by_range(void) {
    CHECK(value_integer(5).type == VAL_INTEGER);
    CHECK(value_integer(INT32_MAX).type == VAL_INTEGER);
    CHECK(value_integer(INT32_MIN).type == VAL_INTEGER);
    CHECK(value_integer((int64_t)INT32_MAX + 1).type == VAL_LONG);
    CHECK(value_integer((int64_t)INT32_MIN - 1).type == VAL_LONG);
    CHECK(value_long(5).type == VAL_LONG);
}

static void test_strings_are_copied_and_freed_to_null(void) {
    char text[] = "hello";
    value v = value_string(text);
    text[0] = 'j';
    CHECK_STR(v.s, "hello");
    value c = value_copy(&v);
    CHECK(c.s != v.s);
    CHECK(value_equal(&v, &c));
    value_free(&v);
    CHECK(v.type == VAL_NULL && v.s == NULL);
    CHECK_STR(c.s, "hello");
    value_free(&c);
    value_free(&c); /* freeing twice is harmless: the value is already Null */
}

static void test_a_null_string_becomes_a_null_value(void) {
    value v = value_string(NULL);
    CHECK(v.type == VAL_NULL);
    v = value_json(NULL);
    CHECK(v.type == VAL_NULL);
}

static void test_equality_requires_the_same_type_and_content(void) {
    value a = value_integer(5), b = value_long(5), c = value_integer(5);
    CHECK(!value_equal(&a, &b));
    CHECK(value_equal(&a, &c));
    value n1 = value_double(NAN), n2 = value_double(NAN);
    CHECK(value_equal(&n1, &n2));
    value j1 = value_json("{\"a\":1}"), j2 = value_json("{\"a\":1}"), s = value_string("{\"a\":1}");
    CHECK(value_equal(&j1, &j2));
    CHECK(!value_equal(&j1, &s));
    value t = value_boolean(true), f = value_boolean(false);
    CHECK(!value_equal(&t, &f));
    value d1 = value_date(1), d2 = value_date(1);
    CHECK(value_equal(&d1, &d2));
    value z1 = value_null(), z2 = value_null();
    CHECK(value_equal(&z1, &z2));
    CHECK(!value_equal(&z1, NULL));
    value_free(&j1);
    value_free(&j2);
    value_free(&s);
}

/* ---- type names ---- */

static void test_type_names_round_trip(void) {
    for (int t = VAL_NULL; t <= VAL_JSON; t++) {
        value_type back;
        CHECK(value_type_from_name(value_type_name((value_type)t), &back));
        CHECK(back == (value_type)t);
    }
    CHECK_STR(value_type_name(VAL_INTEGER), "Integer");
    CHECK_STR(value_type_name(VAL_JSON), "Json");
}

static void test_only_the_first_letter_of_a_type_name_is_case_insensitive(void) {
    value_type t;
    CHECK(value_type_from_name("string", &t) && t == VAL_STRING);
    CHECK(value_type_from_name("json", &t) && t == VAL_JSON);
    CHECK(!value_type_from_name("STRING", &t));
    CHECK(!value_type_from_name("Strin", &t));
    CHECK(!value_type_from_name("", &t));
    CHECK(!value_type_from_name(NULL, &t));
    CHECK(!value_type_from_name("Object", &t));
}

/* ---- reading typed values ---- */

static void test_typed_values_of_every_type_are_read(void) {
    value v;
    CHECK(from("{\"type\":\"String\",\"value\":\"abc\"}", &v, NULL, 0) && v.type == VAL_STRING);
    CHECK_STR(v.s, "abc");
    value_free(&v);
    CHECK(from("{\"type\":\"Integer\",\"value\":42}", &v, NULL, 0) && v.type == VAL_INTEGER && v.i == 42);
    CHECK(from("{\"type\":\"Long\",\"value\":42}", &v, NULL, 0) && v.type == VAL_LONG && v.i == 42);
    CHECK(from("{\"type\":\"Short\",\"value\":7}", &v, NULL, 0) && v.type == VAL_INTEGER && v.i == 7);
    CHECK(from("{\"type\":\"Double\",\"value\":1.5}", &v, NULL, 0) && v.type == VAL_DOUBLE && v.d == 1.5);
    CHECK(from("{\"type\":\"Boolean\",\"value\":true}", &v, NULL, 0) && v.type == VAL_BOOLEAN && v.b);
    CHECK(from("{\"type\":\"Date\",\"value\":\"2026-11-23T10:00:00.000+0000\"}", &v, NULL, 0) &&
          v.type == VAL_DATE && v.i == INT64_C(1795428000000));
    CHECK(from("{\"type\":\"Null\",\"value\":\"ignored\"}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"type\":\"Json\",\"value\":\"{\\\"a\\\":1}\"}", &v, NULL, 0) && v.type == VAL_JSON);
    CHECK_STR(v.s, "{\"a\":1}");
    value_free(&v);
}

static void test_lower_case_type_names_are_accepted(void) {
    value v;
    CHECK(from("{\"type\":\"integer\",\"value\":1}", &v, NULL, 0) && v.type == VAL_INTEGER);
    CHECK(from("{\"type\":\"boolean\",\"value\":false}", &v, NULL, 0) && v.type == VAL_BOOLEAN && !v.b);
}

static void test_numbers_given_as_strings_are_converted(void) {
    value v;
    CHECK(from("{\"type\":\"Integer\",\"value\":\"42\"}", &v, NULL, 0) && v.type == VAL_INTEGER && v.i == 42);
    CHECK(from("{\"type\":\"Integer\",\"value\":\" -7 \"}", &v, NULL, 0) && v.i == -7);
    CHECK(from("{\"type\":\"Long\",\"value\":\"9223372036854775807\"}", &v, NULL, 0) && v.type == VAL_LONG &&
          v.i == INT64_MAX);
    CHECK(from("{\"type\":\"Long\",\"value\":\"-9223372036854775808\"}", &v, NULL, 0) && v.i == INT64_MIN);
    CHECK(from("{\"type\":\"Double\",\"value\":\"2.5e3\"}", &v, NULL, 0) && v.d == 2500.0);
    CHECK(from("{\"type\":\"Double\",\"value\":7}", &v, NULL, 0) && v.type == VAL_DOUBLE && v.d == 7.0);
}

static void test_booleans_accept_true_and_false_text(void) {
    value v;
    CHECK(from("{\"type\":\"Boolean\",\"value\":\"true\"}", &v, NULL, 0) && v.b);
    CHECK(from("{\"type\":\"Boolean\",\"value\":\"false\"}", &v, NULL, 0) && !v.b);
    char msg[200];
    CHECK(!from("{\"type\":\"Boolean\",\"value\":\"yes\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value 'yes' of type 'Boolean' to java type java.lang.Boolean");
    CHECK(!from("{\"type\":\"Boolean\",\"value\":1}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '1' of type 'Boolean' to java type java.lang.Boolean");
}

static void test_values_that_do_not_convert_give_camundas_message(void) {
    value v;
    char msg[200];
    CHECK(!from("{\"type\":\"Integer\",\"value\":\"abc\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer");
    CHECK(v.type == VAL_NULL);
    CHECK(!from("{\"type\":\"integer\",\"value\":2147483648}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '2147483648' of type 'integer' to java type java.lang.Integer");
    CHECK(!from("{\"type\":\"Integer\",\"value\":1.5}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '1.5' of type 'Integer' to java type java.lang.Integer");
    CHECK(!from("{\"type\":\"Long\",\"value\":\"9223372036854775808\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '9223372036854775808' of type 'Long' to java type java.lang.Long");
    CHECK(!from("{\"type\":\"Short\",\"value\":40000}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '40000' of type 'Short' to java type java.lang.Short");
    CHECK(!from("{\"type\":\"Double\",\"value\":\"x1\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value 'x1' of type 'Double' to java type java.lang.Double");
    CHECK(!from("{\"type\":\"Double\",\"value\":\"0x10\"}", &v, msg, sizeof msg));
    CHECK(!from("{\"type\":\"Date\",\"value\":\"tomorrow\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value 'tomorrow' of type 'Date' to java type java.util.Date");
    CHECK(!from("{\"type\":\"Date\",\"value\":12345}", &v, msg, sizeof msg));
    CHECK(!from("{\"type\":\"Integer\",\"value\":{\"a\":1}}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Cannot convert value '{\"a\":1}' of type 'Integer' to java type java.lang.Integer");
}

static void test_unknown_types_are_unsupported(void) {
    value v;
    char msg[200];
    CHECK(!from("{\"type\":\"Foo\",\"value\":1}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Unsupported value type 'Foo'");
    CHECK(!from("{\"type\":\"STRING\",\"value\":\"a\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Unsupported value type 'STRING'");
    CHECK(!from("{\"type\":\"Object\",\"value\":\"a\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Unsupported value type 'Object'");
    CHECK(!from("{\"type\":\"\",\"value\":\"a\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Unsupported value type ''");
    CHECK(!from("{\"type\":5,\"value\":\"a\"}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Unsupported value type '5'");
}

static void test_the_error_type_is_invalid_request(void) {
    cJSON *doc = cJSON_Parse("{\"type\":\"Foo\"}");
    error err = {0};
    value v;
    CHECK(!value_from_json(doc, &v, &err));
    CHECK_STR(err.type, ERR_INVALID_REQUEST);
    error_clear(&err);
    cJSON_Delete(doc);
}

static void test_untyped_values_are_inferred(void) {
    value v;
    CHECK(from("{\"value\":\"abc\"}", &v, NULL, 0) && v.type == VAL_STRING);
    value_free(&v);
    CHECK(from("{\"value\":5,\"type\":null}", &v, NULL, 0) && v.type == VAL_INTEGER && v.i == 5);
    CHECK(from("{\"value\":5000000000}", &v, NULL, 0) && v.type == VAL_LONG && v.i == INT64_C(5000000000));
    CHECK(from("{\"value\":2.25}", &v, NULL, 0) && v.type == VAL_DOUBLE && v.d == 2.25);
    CHECK(from("{\"value\":1e300}", &v, NULL, 0) && v.type == VAL_DOUBLE);
    CHECK(from("{\"value\":false}", &v, NULL, 0) && v.type == VAL_BOOLEAN && !v.b);
    CHECK(from("{\"value\":null}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"value\":{\"a\":[1,2]}}", &v, NULL, 0) && v.type == VAL_JSON);
    CHECK_STR(v.s, "{\"a\":[1,2]}");
    value_free(&v);
    CHECK(from("{\"value\":[]}", &v, NULL, 0) && v.type == VAL_JSON);
    CHECK_STR(v.s, "[]");
    value_free(&v);
}

static void test_json_objects_given_as_documents_are_serialised(void) {
    value v;
    CHECK(from("{\"type\":\"Json\",\"value\":{\"k\":\"v\",\"n\":[1,true,null]}}", &v, NULL, 0));
    CHECK(v.type == VAL_JSON);
    CHECK_STR(v.s, "{\"k\":\"v\",\"n\":[1,true,null]}");
    value_free(&v);
    char msg[200];
    CHECK(!from("{\"type\":\"Json\",\"value\":5}", &v, msg, sizeof msg));
    CHECK_STR(msg, "Must provide 'null' or String value for value of SerializableValue type 'Json'.");
}

static void test_strings_accept_numbers_and_booleans_as_their_text(void) {
    value v;
    CHECK(from("{\"type\":\"String\",\"value\":12}", &v, NULL, 0) && v.type == VAL_STRING);
    CHECK_STR(v.s, "12");
    value_free(&v);
    CHECK(from("{\"type\":\"String\",\"value\":1.5}", &v, NULL, 0));
    CHECK_STR(v.s, "1.5");
    value_free(&v);
    CHECK(from("{\"type\":\"String\",\"value\":true}", &v, NULL, 0));
    CHECK_STR(v.s, "true");
    value_free(&v);
}

static void test_typed_nulls_and_empty_text_become_null(void) {
    value v;
    CHECK(from("{\"type\":\"String\",\"value\":null}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"type\":\"Integer\",\"value\":\"\"}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"type\":\"Boolean\"}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"type\":\"Date\",\"value\":\"\"}", &v, NULL, 0) && v.type == VAL_NULL);
    CHECK(from("{\"type\":\"Json\",\"value\":null}", &v, NULL, 0) && v.type == VAL_NULL);
    /* but an empty String stays a String */
    CHECK(from("{\"type\":\"String\",\"value\":\"\"}", &v, NULL, 0) && v.type == VAL_STRING);
    value_free(&v);
}

static void test_dates_accept_iso_forms_beside_camundas(void) {
    value v;
    CHECK(from("{\"type\":\"Date\",\"value\":\"2026-11-23T11:00:00+01:00\"}", &v, NULL, 0));
    CHECK(v.i == INT64_C(1795428000000));
    CHECK(from("{\"type\":\"Date\",\"value\":\"2026-11-23T10:00:00Z\"}", &v, NULL, 0));
    CHECK(v.i == INT64_C(1795428000000));
}

static void test_a_typed_value_must_be_an_object(void) {
    error err = {0};
    value v = value_boolean(true);
    cJSON *arr = cJSON_Parse("[1]");
    CHECK(!value_from_json(arr, &v, &err));
    CHECK(v.type == VAL_NULL);
    CHECK(err.message != NULL);
    error_clear(&err);
    CHECK(!value_from_json(NULL, &v, &err));
    error_clear(&err);
    cJSON_Delete(arr);
}

/* ---- writing typed values ---- */

static void test_values_are_written_as_typed_json(void) {
    value v = value_string("a\"b");
    CHECK_STR(to_text(&v), "{\"type\":\"String\",\"value\":\"a\\\"b\",\"valueInfo\":{}}");
    value_free(&v);
    v = value_integer(7);
    CHECK_STR(to_text(&v), "{\"type\":\"Integer\",\"value\":7,\"valueInfo\":{}}");
    v = value_long(-7);
    CHECK_STR(to_text(&v), "{\"type\":\"Long\",\"value\":-7,\"valueInfo\":{}}");
    v = value_double(0.5);
    CHECK_STR(to_text(&v), "{\"type\":\"Double\",\"value\":0.5,\"valueInfo\":{}}");
    v = value_boolean(false);
    CHECK_STR(to_text(&v), "{\"type\":\"Boolean\",\"value\":false,\"valueInfo\":{}}");
    v = value_date(INT64_C(1795428000000));
    CHECK_STR(to_text(&v), "{\"type\":\"Date\",\"value\":\"2026-11-23T10:00:00.000+0000\",\"valueInfo\":{}}");
    v = value_null();
    CHECK_STR(to_text(&v), "{\"type\":\"Null\",\"value\":null,\"valueInfo\":{}}");
    v = value_json("{\"a\":1}");
    CHECK_STR(to_text(&v), "{\"type\":\"Json\",\"value\":\"{\\\"a\\\":1}\",\"valueInfo\":{}}");
    value_free(&v);
}

static void test_longs_beyond_double_precision_keep_every_digit(void) {
    value v = value_long(INT64_MAX);
    CHECK_STR(to_text(&v), "{\"type\":\"Long\",\"value\":9223372036854775807,\"valueInfo\":{}}");
    v = value_long(INT64_MIN);
    CHECK_STR(plain_text(&v), "-9223372036854775808");
    v = value_long(INT64_C(9007199254740993));
    CHECK_STR(plain_text(&v), "9007199254740993");
    /* below 2^53 too: 16 digits are more than cJSON's %1.15g keeps */
    v = value_long(INT64_C(9007199254740991));
    CHECK_STR(to_text(&v), "{\"type\":\"Long\",\"value\":9007199254740991,\"valueInfo\":{}}");
    CHECK_STR(plain_text(&v), "9007199254740991");
    v = value_long(INT64_C(-1234567890123456));
    CHECK_STR(to_text(&v), "{\"type\":\"Long\",\"value\":-1234567890123456,\"valueInfo\":{}}");
}

static void test_doubles_are_written_with_the_digits_that_read_back_exactly(void) {
    value v = value_double(0.30000000000000004);
    CHECK_STR(to_text(&v), "{\"type\":\"Double\",\"value\":0.30000000000000004,\"valueInfo\":{}}");
    v = value_double(1.7976931348623157e308);
    CHECK_STR(to_text(&v), "{\"type\":\"Double\",\"value\":1.7976931348623157e+308,\"valueInfo\":{}}");
    v = value_double(0.1);
    CHECK_STR(to_text(&v), "{\"type\":\"Double\",\"value\":0.1,\"valueInfo\":{}}");
    v = value_double(NAN); /* JSON has no NaN: null, as cJSON wrote it */
    CHECK_STR(to_text(&v), "{\"type\":\"Double\",\"value\":null,\"valueInfo\":{}}");
}

static void test_the_plain_form_parses_json_documents(void) {
    value v = value_json("[1, {\"b\": \"c\"}]");
    CHECK_STR(plain_text(&v), "[1,{\"b\":\"c\"}]");
    value_free(&v);
    v = value_json("not json");
    CHECK_STR(plain_text(&v), "\"not json\"");
    value_free(&v);
    v = value_integer(3);
    CHECK_STR(plain_text(&v), "3");
    CHECK_STR(plain_text(NULL), "null");
}

static void test_reading_what_was_written_gives_the_same_value(void) {
    value samples[] = {value_string("x"), value_integer(-3), value_long(INT64_C(1) << 40), value_double(2.75),
                       value_boolean(true), value_date(INT64_C(951827696789)), value_null(),
                       value_json("{\"z\":[]}")};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        json_writer w = {0};
        value_write(&w, &samples[i]);
        cJSON *j = cJSON_Parse(w.buf);
        jw_free(&w);
        value back;
        error err = {0};
        CHECK(value_from_json(j, &back, &err));
        CHECK(value_equal(&samples[i], &back));
        value_free(&back);
        value_free(&samples[i]);
        cJSON_Delete(j);
    }
}

/* ---- text forms ---- */

static void test_doubles_print_like_java(void) {
    CHECK_STR(dbl(1.5), "1.5");
    CHECK_STR(dbl(10.0), "10.0");
    CHECK_STR(dbl(-2.0), "-2.0");
    CHECK_STR(dbl(0.1), "0.1");
    CHECK_STR(dbl(0.001), "0.001");
    CHECK_STR(dbl(1e-4), "1.0E-4");
    CHECK_STR(dbl(1234567.0), "1234567.0");
    CHECK_STR(dbl(1e7), "1.0E7");
    CHECK_STR(dbl(1.25e10), "1.25E10");
    CHECK_STR(dbl(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(dbl(0.0), "0.0");
    CHECK_STR(dbl(-0.0), "-0.0");
    CHECK_STR(dbl(NAN), "NaN");
    CHECK_STR(dbl(INFINITY), "Infinity");
    CHECK_STR(dbl(-INFINITY), "-Infinity");
    CHECK_STR(dbl(5e-324), "4.9E-324");
    CHECK_STR(dbl(1.7976931348623157e308), "1.7976931348623157E308");
}

static void test_values_coerce_to_strings_as_juel_does(void) {
    value v = value_null();
    CHECK_STR(as_string(&v), "");
    v = value_integer(-12);
    CHECK_STR(as_string(&v), "-12");
    v = value_double(3.0);
    CHECK_STR(as_string(&v), "3.0");
    v = value_boolean(true);
    CHECK_STR(as_string(&v), "true");
    v = value_date(0);
    CHECK_STR(as_string(&v), "1970-01-01T00:00:00.000+0000");
    v = value_json("[1]");
    CHECK_STR(as_string(&v), "[1]");
    value_free(&v);
}

static void test_number_text_follows_java_parsing(void) {
    int64_t i;
    double d;
    CHECK(value_parse_long("-42", &i) && i == -42);
    CHECK(value_parse_long("+42", &i) && i == 42);
    CHECK(!value_parse_long(" 42", &i));
    CHECK(!value_parse_long("4.2", &i));
    CHECK(!value_parse_long("", &i));
    CHECK(!value_parse_long("-", &i));
    CHECK(!value_parse_long("99999999999999999999", &i));
    CHECK(value_parse_double(" 4.5 ", &d) && d == 4.5);
    CHECK(value_parse_double("NaN", &d) && isnan(d));
    CHECK(value_parse_double("-Infinity", &d) && isinf(d) && d < 0);
    CHECK(!value_parse_double("inf", &d));
    CHECK(!value_parse_double("1.5x", &d));
    CHECK(!value_parse_double("", &d));
}

int main(void) {
    RUN(test_value_integer_picks_integer_or_long_by_range);
    RUN(test_strings_are_copied_and_freed_to_null);
    RUN(test_a_null_string_becomes_a_null_value);
    RUN(test_equality_requires_the_same_type_and_content);
    RUN(test_type_names_round_trip);
    RUN(test_only_the_first_letter_of_a_type_name_is_case_insensitive);
    RUN(test_typed_values_of_every_type_are_read);
    RUN(test_lower_case_type_names_are_accepted);
    RUN(test_numbers_given_as_strings_are_converted);
    RUN(test_booleans_accept_true_and_false_text);
    RUN(test_values_that_do_not_convert_give_camundas_message);
    RUN(test_unknown_types_are_unsupported);
    RUN(test_the_error_type_is_invalid_request);
    RUN(test_untyped_values_are_inferred);
    RUN(test_json_objects_given_as_documents_are_serialised);
    RUN(test_strings_accept_numbers_and_booleans_as_their_text);
    RUN(test_typed_nulls_and_empty_text_become_null);
    RUN(test_dates_accept_iso_forms_beside_camundas);
    RUN(test_a_typed_value_must_be_an_object);
    RUN(test_values_are_written_as_typed_json);
    RUN(test_longs_beyond_double_precision_keep_every_digit);
    RUN(test_doubles_are_written_with_the_digits_that_read_back_exactly);
    RUN(test_the_plain_form_parses_json_documents);
    RUN(test_reading_what_was_written_gives_the_same_value);
    RUN(test_doubles_print_like_java);
    RUN(test_values_coerce_to_strings_as_juel_does);
    RUN(test_number_text_follows_java_parsing);
    return CHECK_SUMMARY();
}
