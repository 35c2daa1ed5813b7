/*
 * test_json_reader.c — the arena JSON reader (src/json_reader.c): it reads what cJSON reads into
 * the same tree, refuses what cJSON refuses, bounds nesting, and never reads past the length.
 */
#include "check.h"
#include "json_reader.h"

#include <stdlib.h>
#include <string.h>

#include "cJSON.h"

/* Reads `text` from an exactly sized heap copy (AddressSanitizer reports any read past it). */
static json_read_status read_exact(json_doc *doc, const char *text, size_t len) {
    char *copy = malloc(len ? len : 1);
    memcpy(copy, text, len);
    json_read_status st = json_read(doc, copy, len);
    free(copy);
    return st;
}

/* Whether the reader and cJSON_ParseWithLength agree on `text`: both refuse it, or both read it
 * and print the same document. */
static bool agrees_with_cjson(const char *text, size_t len) {
    json_doc doc;
    json_read_status st = read_exact(&doc, text, len);
    cJSON *c = cJSON_ParseWithLength(text, len);
    bool same;
    if (st != JSON_READ_OK || !c) {
        same = st != JSON_READ_OK && !c;
    } else {
        char *a = cJSON_PrintUnformatted(doc.root), *b = cJSON_PrintUnformatted(c);
        same = a && b && strcmp(a, b) == 0;
        if (!same) fprintf(stderr, "  reader: %s\n  cJSON:  %s\n", a, b);
        free(a);
        free(b);
    }
    cJSON_Delete(c);
    json_doc_free(&doc);
    if (!same) fprintf(stderr, "  disagreement on: %.*s\n", (int)len, text);
    return same;
}

#define AGREES(literal) CHECK(agrees_with_cjson(literal, sizeof literal - 1))

static void test_documents_read_as_cjson_reads_them(void) {
    AGREES("{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{}}");
    AGREES("  [ 1 , -2.5e3 , 0.1 , 1e400 , -0 , 01 , -.5 , 9007199254740993 ]  ");
    AGREES("\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC \\ud83d\\ude00\"");
    AGREES("\"bad hex \\uZZZZ is U+0000\"");
    AGREES("\xEF\xBB\xBF{\"bom\":true}");
    AGREES("{\"dup\":1,\"dup\":2}");
    AGREES("{} trailing text is ignored");
    AGREES("[\"raw\tcontrol\x01 chars\"]");
    AGREES("12345678901234567890");
    AGREES("[1e5, 1E+5, 2.5e-3, 123456789012345, 1234567890123456]");
}

static void test_what_cjson_refuses_is_refused(void) {
    AGREES("");
    AGREES("   ");
    AGREES("{");
    AGREES("[1,]");
    AGREES("{\"a\" 1}");
    AGREES("{\"a\":}");
    AGREES("{a:1}");
    AGREES("\"unterminated");
    AGREES("\"bad escape \\q\"");
    AGREES("\"lone low surrogate \\udc00\"");
    AGREES("\"high surrogate alone \\ud800 x\"");
    AGREES("\"short \\u12\"");
    AGREES("-");
    AGREES("+1");
    AGREES("[nul]");
    AGREES("\"ends in a backslash\\");
    AGREES("[0x10]");
}

static void test_the_tree_keeps_cjsons_links_and_values(void) {
    json_doc doc;
    const char *text = "{\"a\":[1,2,3],\"n\":3000000000,\"t\":true}";
    CHECK(read_exact(&doc, text, strlen(text)) == JSON_READ_OK);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc.root, "a");
    CHECK(cJSON_GetArraySize(a) == 3);
    CHECK(a->child->prev == cJSON_GetArrayItem(a, 2)); /* the first child's prev is the last */
    CHECK(cJSON_GetArrayItem(a, 2)->next == NULL);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc.root, "n");
    CHECK(n->valuedouble == 3000000000.0 && n->valueint == 2147483647); /* saturated, as cJSON */
    CHECK(cJSON_GetObjectItemCaseSensitive(doc.root, "t")->valueint == 1);
    json_doc_free(&doc);
    CHECK(doc.root == NULL && doc.blocks == NULL);
    json_doc_free(&doc); /* twice is harmless */
}

static void test_nesting_deeper_than_the_limit_is_refused(void) {
    size_t n = JSON_READ_MAX_DEPTH;
    char *text = malloc(2 * n + 2);
    for (size_t i = 0; i < n; i++) text[i] = '[';
    for (size_t i = 0; i < n; i++) text[n + i] = ']';
    json_doc doc;
    CHECK(read_exact(&doc, text, 2 * n) == JSON_READ_OK); /* exactly the limit */
    json_doc_free(&doc);
    memmove(text + 1, text, 2 * n);
    text[0] = '[';
    text[2 * n + 1] = ']';
    CHECK(read_exact(&doc, text, 2 * n + 2) == JSON_READ_TOO_DEEP);
    CHECK(doc.root == NULL);
    free(text);
    /* a million open brackets cost neither stack nor much time */
    size_t big = 1000000;
    text = malloc(big);
    memset(text, '[', big);
    CHECK(read_exact(&doc, text, big) == JSON_READ_TOO_DEEP);
    free(text);
}

static void test_many_nodes_spill_into_further_blocks(void) {
    size_t n = 200000;
    char *text = malloc(2 * n + 2);
    size_t len = 0;
    text[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        text[len++] = '0';
        text[len++] = i + 1 < n ? ',' : ']';
    }
    json_doc doc;
    CHECK(read_exact(&doc, text, len) == JSON_READ_OK);
    CHECK(cJSON_GetArraySize(doc.root) == (int)n);
    json_doc_free(&doc);
    free(text);
}

int main(void) {
    RUN(test_documents_read_as_cjson_reads_them);
    RUN(test_what_cjson_refuses_is_refused);
    RUN(test_the_tree_keeps_cjsons_links_and_values);
    RUN(test_nesting_deeper_than_the_limit_is_refused);
    RUN(test_many_nodes_spill_into_further_blocks);
    return CHECK_SUMMARY();
}
