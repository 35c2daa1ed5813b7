/*
 * json_reader.h — reading a JSON document into a read-only cJSON tree that lives in one arena.
 *
 * The core reads every command (and model) document once and only looks at it: nodes are never
 * added, detached or freed one by one. So instead of cJSON_Parse (a malloc per node, key and
 * string, a recursive free afterwards) the reader copies the text once, unescapes strings in
 * place and takes the nodes from a few large blocks; json_doc_free releases them all at once.
 * The tree is an ordinary cJSON tree for every cJSON accessor (cJSON_GetObjectItemCaseSensitive,
 * cJSON_IsString, cJSON_ArrayForEach, cJSON_PrintUnformatted, cJSON_Duplicate...).
 *
 * It accepts what cJSON_ParseWithLength accepts and builds the same tree (same types, strings,
 * doubles by strtod, saturated valueint, first child's `prev` pointing to the last), with one
 * limit cJSON sets higher: containers nest at most JSON_READ_MAX_DEPTH deep. It never recurses,
 * so hostile nesting costs neither stack nor time; bytes past `len` are never read.
 *
 * Ownership: the tree belongs to the json_doc; never pass any of its nodes to cJSON_Delete or
 * to anything that modifies or frees them.
 */
#ifndef DETOUR_JSON_READER_H
#define DETOUR_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "cJSON.h"

#define JSON_READ_MAX_DEPTH 512 /* containers within containers: deeper documents are refused */

typedef struct json_block json_block;

typedef struct json_doc {
    cJSON *root;        /* the document's value; NULL when reading failed */
    json_block *blocks; /* the arena holding the nodes and the strings */
} json_doc;

typedef enum json_read_status {
    JSON_READ_OK,
    JSON_READ_INVALID,   /* not JSON (as cJSON reads it) */
    JSON_READ_TOO_DEEP,  /* nests deeper than JSON_READ_MAX_DEPTH */
} json_read_status;

/* Reads the `len` bytes at `text` (no terminator needed). On failure doc->root is NULL and
 * nothing stays allocated. Text after the first complete value is ignored, as cJSON does. */
json_read_status json_read(json_doc *doc, const char *text, size_t len);

/* Releases the tree (doc->root is NULL afterwards). Harmless on an empty or failed doc. */
void json_doc_free(json_doc *doc);

#endif
