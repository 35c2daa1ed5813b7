/*
 * json_writer.h — writing JSON text straight into a growable buffer, without building a tree.
 *
 * Every document the core returns is written here front to back: begin an object, write keys and
 * values, end it. The writer only places the commas; callers nest begin/end calls correctly and
 * write a key before each member value (an object's members, an array's elements).
 *
 * Text is the one cJSON prints unformatted (same escapes, same key order as written), except
 * numbers: integers are plain decimal digits, exact over the whole int64 range, and doubles are the
 * shortest of %.15g, %.16g, %.17g that reads back to the same double (non-finite doubles: null).
 *
 * Invariant: `buf` holds `len` bytes of text followed by a NUL (once anything was written). A
 * zeroed json_writer is an empty writer. Out of memory aborts, as everywhere in the core.
 *
 * Ownership: the writer owns `buf` until jw_take hands it to the caller (free() it, or
 * detour_free when it went out through the ABI); jw_free releases an unwanted buffer.
 */
#ifndef DETOUR_JSON_WRITER_H
#define DETOUR_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct json_writer {
    char *buf;  /* the text so far, NUL-terminated (NULL while empty) */
    size_t len; /* bytes of text, without the NUL */
    size_t cap; /* bytes allocated for buf */
    bool comma; /* the next key or array element needs a ',' first */
} json_writer;

/* The text written so far, owned by the caller ("" when nothing was written); the writer is
 * empty again afterwards. */
char *jw_take(json_writer *w);
/* Drops the text; the writer is empty again. */
void jw_free(json_writer *w);

void jw_object_begin(json_writer *w);
void jw_object_end(json_writer *w);
void jw_array_begin(json_writer *w);
void jw_array_end(json_writer *w);

/* An object member's key; its value is whatever is written next. jw_key is for the documents'
 * own field names, text that JSON does not escape (no '"', '\\' or control characters), usually a
 * literal whose length the compiler folds; jw_name escapes any text (e.g. a variable's name). */
void jw_key_len(json_writer *w, const char *key, size_t len);
static inline void jw_key(json_writer *w, const char *key) { jw_key_len(w, key, strlen(key)); }
void jw_name(json_writer *w, const char *name);

/* Values. jw_string writes null for NULL. */
void jw_string(json_writer *w, const char *s);
void jw_int(json_writer *w, int64_t v);
void jw_double(json_writer *w, double d);
void jw_bool(json_writer *w, bool b);
void jw_null(json_writer *w);
/* A value written elsewhere (a complete JSON value of `len` bytes), copied as it is. */
void jw_raw(json_writer *w, const char *json, size_t len);
/* Reopens the object the text ends with (its '}' is dropped), to append members to it; close it
 * again with jw_object_end. The text must end with a complete object. */
void jw_object_reopen(json_writer *w);

/* key + value in one call, for the long member lists of the documents (keys as for jw_key). */
static inline void jw_key_string(json_writer *w, const char *key, const char *s) {
    jw_key(w, key);
    jw_string(w, s);
}
static inline void jw_key_int(json_writer *w, const char *key, int64_t v) {
    jw_key(w, key);
    jw_int(w, v);
}
static inline void jw_key_bool(json_writer *w, const char *key, bool b) {
    jw_key(w, key);
    jw_bool(w, b);
}
static inline void jw_key_null(json_writer *w, const char *key) {
    jw_key(w, key);
    jw_null(w);
}

#endif
