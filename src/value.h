/*
 * value.h — typed variable values, as Camunda's REST API shows them ({type, value, valueInfo}).
 *
 * A value owns its string (String and Json text). Dates are epoch milliseconds in `i`; on the wire
 * they are Camunda date strings (yyyy-MM-dd'T'HH:mm:ss.SSSZ, e.g. 2026-11-23T10:00:00.000+0000).
 * Integer is a 32-bit value stored in `i`; Long uses the full `i`. Json holds document text.
 */
#ifndef DETOUR_VALUE_H
#define DETOUR_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"
#include "error.h"
#include "json_writer.h"

typedef enum value_type {
    VAL_NULL,
    VAL_STRING,
    VAL_INTEGER,
    VAL_LONG,
    VAL_DOUBLE,
    VAL_BOOLEAN,
    VAL_DATE,
    VAL_JSON,
} value_type;

typedef struct value {
    value_type type;
    char *s;   /* VAL_STRING, VAL_JSON: owned text */
    int64_t i; /* VAL_INTEGER, VAL_LONG, VAL_DATE (epoch ms) */
    double d;  /* VAL_DOUBLE */
    bool b;    /* VAL_BOOLEAN */
} value;

/* Constructors (strings are copied). */
value value_null(void);
value value_string(const char *s);
value value_integer(int64_t i); /* Integer if it fits in 32 bits, else Long */
value value_long(int64_t i);
value value_double(double d);
value value_boolean(bool b);
value value_date(int64_t ms);
value value_json(const char *text);

value value_copy(const value *v);
void value_free(value *v); /* frees owned text, leaves a VAL_NULL */
bool value_equal(const value *a, const value *b);

/* "String", "Integer", ... and back (case-insensitive first letter, as Camunda's REST accepts). */
const char *value_type_name(value_type t);
bool value_type_from_name(const char *name, value_type *out);

/* Reads a REST-style typed value {type, value, valueInfo}; an absent or null type is inferred from
 * the JSON value (string → String, integer → Integer/Long, fraction → Double, boolean → Boolean,
 * null → Null, object/array → Json). Errors use Camunda's messages, e.g.
 * "Unsupported value type 'X'", "Cannot convert value 'v' of type 'T' to java type ...".
 * A typed null (or "" for a number, Boolean or Date, as Jackson reads it) becomes VAL_NULL; Short
 * is read with its range and kept as Integer; a Json object/array value is serialised to text.
 * Object, Bytes, File and Xml are unsupported types. valueInfo is not read. Error type:
 * ERR_INVALID_REQUEST. */
bool value_from_json(const cJSON *typed, value *out, error *err);
/* The value inferred for an untyped JSON value, by the rules above (objects and arrays: Json). */
value value_infer(const cJSON *raw);
/* Writes the typed value {"type":..., "value":..., "valueInfo":{}}: numbers as their digits (Long
 * exact over the whole int64 range), a Date as its wire string, a Json value as its text. */
void value_write(json_writer *w, const value *v);
/* Writes just the "value" member's value of that form (for documents that spell the other members
 * their own way, e.g. history's "valueType"). */
void value_write_bare(json_writer *w, const value *v);
/* Writes the plain JSON form of the value alone (no type): as value_write_bare, but a Json value
 * as its document (as a string if its text is not JSON). */
void value_write_plain(json_writer *w, const value *v);

/* The value as text, the way JUEL coerces to String: Null → "", numbers in decimal, Double as
 * Java's Double.toString (1.0, 1.0E10, NaN), Boolean true/false, Date in the wire format above,
 * Json its document text. The caller frees the result (NULL only when out of memory). */
char *value_to_string(const value *v);
/* Java's Long.parseLong: optional sign, decimal digits, no spaces, within int64. */
bool value_parse_long(const char *text, int64_t *out);
/* Java's Double.valueOf: surrounding spaces ignored, decimal notation, NaN, [+-]Infinity. */
bool value_parse_double(const char *text, double *out);
/* Java's Double.toString of d (shortest round-trip digits; 1.5, 10.0, 1.0E-4, Infinity).
 * buf ≥ 32 bytes. */
void value_format_double(double d, char *buf, size_t size);

#endif
