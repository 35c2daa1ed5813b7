/*
 * test_json_writer.c — the streaming JSON writer (src/json_writer.c): commas and nesting, cJSON's
 * string escapes byte for byte, exact integers, shortest round-trip doubles, spliced fragments.
 */
#include "check.h"
#include "json_writer.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cJSON.h"

/* What `w` holds; the writer is empty afterwards. The text stays valid until the next call. */
static char *last_text;

static const char *text_of(json_writer *w) {
    free(last_text);
    last_text = jw_take(w);
    return last_text;
}

static const char *int_text(int64_t v) {
    json_writer w = {0};
    jw_int(&w, v);
    return text_of(&w);
}

static const char *double_text(double d) {
    json_writer w = {0};
    jw_double(&w, d);
    return text_of(&w);
}

static void test_commas_separate_members_and_elements_at_every_level(void) {
    json_writer w = {0};
    jw_object_begin(&w);
    jw_key_string(&w, "a", "x");
    jw_key(&w, "b");
    jw_array_begin(&w);
    jw_int(&w, 1);
    jw_array_begin(&w);
    jw_array_end(&w);
    jw_object_begin(&w);
    jw_key_null(&w, "c");
    jw_object_end(&w);
    jw_bool(&w, false);
    jw_array_end(&w);
    jw_key(&w, "d");
    jw_object_begin(&w);
    jw_object_end(&w);
    jw_key_bool(&w, "e", true);
    jw_key_string(&w, "f", NULL);
    jw_object_end(&w);
    CHECK_STR(text_of(&w), "{\"a\":\"x\",\"b\":[1,[],{\"c\":null},false],\"d\":{},\"e\":true,\"f\":null}");
}

static void test_an_empty_writer_gives_an_empty_string(void) {
    json_writer w = {0};
    CHECK_STR(text_of(&w), "");
    jw_free(&w); /* freeing an empty writer is harmless */
    CHECK(w.buf == NULL && w.len == 0);
}

static void test_strings_are_escaped_exactly_as_cjson_prints_them(void) {
    /* every byte from 1 to 255, and the same string as cJSON prints it */
    char all[256];
    for (int i = 1; i < 256; i++) all[i - 1] = (char)i;
    all[255] = '\0';
    json_writer w = {0};
    jw_string(&w, all);
    cJSON *s = cJSON_CreateString(all);
    char *expected = cJSON_PrintUnformatted(s);
    CHECK_STR(text_of(&w), expected);
    free(expected);
    cJSON_Delete(s);
    jw_object_begin(&w);
    jw_name(&w, "k\"\n"); /* a name from the data: escaped like a string */
    jw_string(&w, "");
    jw_object_end(&w);
    CHECK_STR(text_of(&w), "{\"k\\\"\\n\":\"\"}");
}

static void test_integers_keep_every_digit_over_the_whole_int64_range(void) {
    CHECK_STR(int_text(0), "0");
    CHECK_STR(int_text(-1), "-1");
    CHECK_STR(int_text(1700000000123), "1700000000123");
    CHECK_STR(int_text(INT64_C(9007199254740991)), "9007199254740991");
    CHECK_STR(int_text(INT64_MAX), "9223372036854775807");
    CHECK_STR(int_text(INT64_MIN), "-9223372036854775808");
}

static void test_doubles_use_the_fewest_digits_that_read_back_exactly(void) {
    CHECK_STR(double_text(0.1), "0.1");
    CHECK_STR(double_text(2.75), "2.75");
    CHECK_STR(double_text(3.0), "3");
    CHECK_STR(double_text(1e300), "1e+300");
    CHECK_STR(double_text(-0.0), "-0");
    CHECK_STR(double_text(0.30000000000000004), "0.30000000000000004");
    CHECK_STR(double_text(1.7976931348623157e308), "1.7976931348623157e+308");
    CHECK_STR(double_text(9007199254740992.0), "9007199254740992");
    CHECK_STR(double_text(5e-324), "4.94065645841247e-324");
    CHECK_STR(double_text(NAN), "null");
    CHECK_STR(double_text(-INFINITY), "null");
    /* a spread of doubles: each reads back as itself with at most 17 significant digits */
    uint64_t bits = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d)) continue;
        const char *t = double_text(d);
        CHECK(strtod(t, NULL) == d);
    }
}

static void test_fragments_written_elsewhere_are_spliced_as_values(void) {
    json_writer inner = {0};
    jw_array_begin(&inner);
    jw_string(&inner, "a");
    jw_array_end(&inner);
    json_writer w = {0};
    jw_object_begin(&w);
    jw_key(&w, "x");
    jw_raw(&w, inner.buf, inner.len);
    jw_key(&w, "y");
    jw_raw(&w, "{}", 2);
    jw_object_end(&w);
    jw_free(&inner);
    CHECK_STR(text_of(&w), "{\"x\":[\"a\"],\"y\":{}}");
}

static void test_long_documents_grow_the_buffer(void) {
    json_writer w = {0};
    jw_array_begin(&w);
    for (int i = 0; i < 100000; i++) jw_int(&w, i);
    jw_array_end(&w);
    cJSON *doc = cJSON_ParseWithLength(w.buf, w.len);
    CHECK(cJSON_GetArraySize(doc) == 100000);
    CHECK(cJSON_GetArrayItem(doc, 99999)->valuedouble == 99999);
    CHECK(strlen(w.buf) == w.len);
    cJSON_Delete(doc);
    jw_free(&w);
}

int main(void) {
    RUN(test_commas_separate_members_and_elements_at_every_level);
    RUN(test_an_empty_writer_gives_an_empty_string);
    RUN(test_strings_are_escaped_exactly_as_cjson_prints_them);
    RUN(test_integers_keep_every_digit_over_the_whole_int64_range);
    RUN(test_doubles_use_the_fewest_digits_that_read_back_exactly);
    RUN(test_fragments_written_elsewhere_are_spliced_as_values);
    RUN(test_long_documents_grow_the_buffer);
    free(last_text);
    return CHECK_SUMMARY();
}
