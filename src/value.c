/*
 * value.c — typed variable values and their Camunda REST form {type, value, valueInfo}.
 *
 * Invariants: a VAL_STRING or VAL_JSON value always owns a non-NULL `s`; every other type has
 * `s == NULL`. A typed null on the wire ({"type":"String","value":null}) becomes VAL_NULL, so no
 * consumer ever meets a NULL string. Conversions mirror Camunda's VariableValueDto: a primitive
 * value that is not already of the requested Java type is read from its text, and a failure is
 * "Cannot convert value 'v' of type 'T' to java type J" (T as the client spelled it).
 */
#include "value.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"
#include "timer.h"

/* ---- constructors ------------------------------------------------------------------------ */

value value_null(void) {
    value v = {VAL_NULL, NULL, 0, 0.0, false};
    return v;
}

/* A string-carrying value; falls back to VAL_NULL when s is NULL or memory runs out, keeping the
 * invariant that VAL_STRING / VAL_JSON always own text. */
static value value_text(value_type type, const char *s) {
    value v = value_null();
    char *copy = str_dup(s);
    if (!copy) return v;
    v.type = type;
    v.s = copy;
    return v;
}

value value_string(const char *s) { return value_text(VAL_STRING, s); }
value value_json(const char *text) { return value_text(VAL_JSON, text); }

value value_integer(int64_t i) {
    value v = value_null();
    v.type = (i >= INT32_MIN && i <= INT32_MAX) ? VAL_INTEGER : VAL_LONG;
    v.i = i;
    return v;
}

value value_long(int64_t i) {
    value v = value_null();
    v.type = VAL_LONG;
    v.i = i;
    return v;
}

value value_double(double d) {
    value v = value_null();
    v.type = VAL_DOUBLE;
    v.d = d;
    return v;
}

value value_boolean(bool b) {
    value v = value_null();
    v.type = VAL_BOOLEAN;
    v.b = b;
    return v;
}

value value_date(int64_t ms) {
    value v = value_null();
    v.type = VAL_DATE;
    v.i = ms;
    return v;
}

value value_copy(const value *v) {
    if (!v) return value_null();
    if (v->type == VAL_STRING || v->type == VAL_JSON) return value_text(v->type, v->s);
    value c = *v;
    c.s = NULL;
    return c;
}

void value_free(value *v) {
    if (!v) return;
    free(v->s);
    *v = value_null();
}

bool value_equal(const value *a, const value *b) {
    if (!a || !b || a->type != b->type) return false;
    switch (a->type) {
    case VAL_NULL: return true;
    case VAL_STRING:
    case VAL_JSON: return strcmp(a->s, b->s) == 0;
    case VAL_INTEGER:
    case VAL_LONG:
    case VAL_DATE: return a->i == b->i;
    case VAL_DOUBLE: return a->d == b->d || (isnan(a->d) && isnan(b->d));
    case VAL_BOOLEAN: return a->b == b->b;
    }
    return false;
}

/* ---- type names -------------------------------------------------------------------------- */

static const char *const type_names[] = {
    [VAL_NULL] = "Null",       [VAL_STRING] = "String",  [VAL_INTEGER] = "Integer",
    [VAL_LONG] = "Long",       [VAL_DOUBLE] = "Double",  [VAL_BOOLEAN] = "Boolean",
    [VAL_DATE] = "Date",       [VAL_JSON] = "Json",
};

const char *value_type_name(value_type t) {
    if ((int)t < 0 || (size_t)t >= sizeof type_names / sizeof type_names[0]) return "Null";
    return type_names[t];
}

/* Camunda lower-cases only the first letter of the REST name: "string" and "String" match,
 * "STRING" does not. */
static bool name_matches(const char *name, const char *canonical) {
    return tolower((unsigned char)name[0]) == tolower((unsigned char)canonical[0]) &&
           strcmp(name + 1, canonical + 1) == 0;
}

bool value_type_from_name(const char *name, value_type *out) {
    if (!name || !name[0]) return false;
    for (size_t t = 0; t < sizeof type_names / sizeof type_names[0]; t++) {
        if (name_matches(name, type_names[t])) {
            if (out) *out = (value_type)t;
            return true;
        }
    }
    return false;
}

/* ---- text forms -------------------------------------------------------------------------- */

void value_format_double(double d, char *buf, size_t size) {
    if (!buf || size == 0) return;
    if (isnan(d)) { snprintf(buf, size, "NaN"); return; }
    if (isinf(d)) { snprintf(buf, size, d < 0 ? "-Infinity" : "Infinity"); return; }
    if (d == 0) { snprintf(buf, size, signbit(d) ? "-0.0" : "0.0"); return; }
    /* Shortest digit string that reads back as d. */
    char sci[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
        if (strtod(sci, NULL) == d) break;
    }
    /* sci is [-]D[.DDD]e±XX: split into sign, digits and decimal exponent. */
    char digits[24];
    size_t nd = 0;
    const char *p = sci;
    bool negative = *p == '-';
    if (negative) p++;
    for (; *p && *p != 'e' && nd < sizeof digits - 1; p++)
        if (*p != '.') digits[nd++] = *p;
    digits[nd] = '\0';
    int exp10 = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = '\0';

    char out[64];
    size_t o = 0;
    if (negative) out[o++] = '-';
    double a = fabs(d);
    if (a >= 1e-3 && a < 1e7) {
        if (exp10 >= 0) { /* ddd.ddd */
            for (int i = 0; i <= exp10; i++) out[o++] = (size_t)i < nd ? digits[i] : '0';
            out[o++] = '.';
            if ((size_t)exp10 + 1 < nd)
                for (size_t i = (size_t)exp10 + 1; i < nd; i++) out[o++] = digits[i];
            else
                out[o++] = '0';
        } else { /* 0.000ddd */
            out[o++] = '0';
            out[o++] = '.';
            for (int i = -1; i > exp10; i--) out[o++] = '0';
            for (size_t i = 0; i < nd; i++) out[o++] = digits[i];
        }
        out[o] = '\0';
    } else { /* d.dddEn */
        if (nd == 1) {
            /* Java prints at least one fraction digit, and picks the closest such (4.9E-324,
             * not 5.0E-324), so take two significant digits. */
            snprintf(sci, sizeof sci, "%.1e", d);
            p = sci + (negative ? 1 : 0);
            digits[0] = p[0];
            digits[1] = p[2];
            digits[2] = '\0';
            nd = digits[1] == '0' ? 1 : 2;
            exp10 = atoi(strchr(p, 'e') + 1);
        }
        out[o++] = digits[0];
        out[o++] = '.';
        if (nd > 1)
            for (size_t i = 1; i < nd; i++) out[o++] = digits[i];
        else
            out[o++] = '0';
        snprintf(out + o, sizeof out - o, "E%d", exp10);
    }
    snprintf(buf, size, "%s", out);
}

char *value_to_string(const value *v) {
    char buf[40];
    if (!v) return str_dup("");
    switch (v->type) {
    case VAL_NULL: return str_dup("");
    case VAL_STRING:
    case VAL_JSON: return str_dup(v->s);
    case VAL_INTEGER:
    case VAL_LONG: snprintf(buf, sizeof buf, "%lld", (long long)v->i); break;
    case VAL_DOUBLE: value_format_double(v->d, buf, sizeof buf); break;
    case VAL_BOOLEAN: return str_dup(v->b ? "true" : "false");
    case VAL_DATE: timer_format_date(v->i, buf, sizeof buf); break;
    }
    return str_dup(buf);
}

/* ---- reading the REST form --------------------------------------------------------------- */

/* A JSON number that is an integer within int64 range. */
static bool json_number_as_int64(double d, int64_t *out) {
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
    if (floor(d) != d) return false;
    *out = (int64_t)d;
    return true;
}

/* How Java would print the JSON value the client sent: strings bare, numbers as Integer/Long or
 * Double, objects/arrays as compact JSON. Caller frees. */
static char *json_display(const cJSON *j) {
    char buf[40];
    if (!j || cJSON_IsNull(j)) return str_dup("null");
    if (cJSON_IsString(j)) return str_dup(j->valuestring);
    if (cJSON_IsBool(j)) return str_dup(cJSON_IsTrue(j) ? "true" : "false");
    if (cJSON_IsNumber(j)) {
        int64_t i;
        if (json_number_as_int64(j->valuedouble, &i))
            snprintf(buf, sizeof buf, "%lld", (long long)i);
        else
            value_format_double(j->valuedouble, buf, sizeof buf);
        return str_dup(buf);
    }
    return cJSON_PrintUnformatted(j);
}

static void trim_into(const char *s, char *buf, size_t size) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    if (n >= size) n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

bool value_parse_long(const char *text, int64_t *out) {
    if (!text || !out) return false;
    const char *p = text;
    bool negative = false;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    if (!*p) return false;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        unsigned digit = (unsigned)(*p - '0');
        if (v > (limit - digit) / 10) return false;
        v = v * 10 + digit;
    }
    /* 0 - v in unsigned arithmetic is the two's complement; converting it back is defined by
     * every compiler we target and avoids negating INT64_MIN. */
    *out = negative ? (int64_t)(0u - v) : (int64_t)v;
    return true;
}

bool value_parse_double(const char *text, double *out) {
    char buf[401];
    if (!text || !out || strlen(text) >= sizeof buf) return false;
    trim_into(text, buf, sizeof buf);
    if (!strcmp(buf, "NaN")) { *out = NAN; return true; }
    if (!strcmp(buf, "Infinity") || !strcmp(buf, "+Infinity")) { *out = INFINITY; return true; }
    if (!strcmp(buf, "-Infinity")) { *out = -INFINITY; return true; }
    if (!buf[0]) return false;
    for (const char *p = buf; *p; p++)
        if (!strchr("0123456789+-.eE", *p)) return false; /* no hex, inf or nan spellings */
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0' && end != buf;
}

static bool set_conversion_error(error *err, const cJSON *raw, const char *type,
                                 const char *java_type) {
    char *shown = json_display(raw);
    error_set(err, ERR_INVALID_REQUEST, "Cannot convert value '%s' of type '%s' to java type %s",
              shown ? shown : "", type, java_type);
    free(shown);
    return false;
}

/* Short is a REST type without a value_type of its own: read with its range, kept as Integer. */
#define WIRE_SHORT 100

static bool integer_from_json(const cJSON *raw, int64_t min, int64_t max, int64_t *out) {
    if (cJSON_IsNumber(raw))
        return json_number_as_int64(raw->valuedouble, out) && *out >= min && *out <= max;
    if (cJSON_IsString(raw)) { /* Jackson trims the text before reading the number */
        char buf[32];
        if (strlen(raw->valuestring) > 64) return false;
        trim_into(raw->valuestring, buf, sizeof buf);
        return value_parse_long(buf, out) && *out >= min && *out <= max;
    }
    return false;
}

/* Converts `raw` to `type` (a VAL_* or WIRE_SHORT); `type_text` is the client's spelling. */
static bool convert(int type, const char *type_text, const cJSON *raw, value *out, error *err) {
    bool is_null = !raw || cJSON_IsNull(raw);
    /* Jackson reads "" as null for every boxed primitive and Date. */
    bool empty_text = cJSON_IsString(raw) && raw->valuestring[0] == '\0';
    int64_t i;
    double d;
    switch (type) {
    case VAL_NULL: *out = value_null(); return true;
    case VAL_STRING: {
        if (is_null) { *out = value_null(); return true; }
        char *text = json_display(raw);
        if (!text) return error_set(err, ERR_ENGINE, "out of memory");
        *out = value_string(text);
        free(text);
        return true;
    }
    case WIRE_SHORT:
    case VAL_INTEGER:
    case VAL_LONG: {
        if (is_null || empty_text) { *out = value_null(); return true; }
        int64_t min = type == WIRE_SHORT ? INT16_MIN : type == VAL_INTEGER ? INT32_MIN : INT64_MIN;
        int64_t max = type == WIRE_SHORT ? INT16_MAX : type == VAL_INTEGER ? INT32_MAX : INT64_MAX;
        if (!integer_from_json(raw, min, max, &i))
            return set_conversion_error(err, raw, type_text,
                                        type == WIRE_SHORT    ? "java.lang.Short"
                                        : type == VAL_INTEGER ? "java.lang.Integer"
                                                              : "java.lang.Long");
        *out = type == VAL_LONG ? value_long(i) : value_integer(i);
        return true;
    }
    case VAL_DOUBLE:
        if (is_null || empty_text) { *out = value_null(); return true; }
        if (cJSON_IsNumber(raw)) d = raw->valuedouble;
        else if (!cJSON_IsString(raw) || !value_parse_double(raw->valuestring, &d))
            return set_conversion_error(err, raw, type_text, "java.lang.Double");
        *out = value_double(d);
        return true;
    case VAL_BOOLEAN:
        if (is_null || empty_text) { *out = value_null(); return true; }
        if (cJSON_IsBool(raw)) { *out = value_boolean(cJSON_IsTrue(raw)); return true; }
        if (cJSON_IsString(raw)) {
            char buf[8];
            trim_into(strlen(raw->valuestring) < 64 ? raw->valuestring : "", buf, sizeof buf);
            for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
            if (!strcmp(buf, "true") || !strcmp(buf, "false")) {
                *out = value_boolean(buf[0] == 't');
                return true;
            }
        }
        return set_conversion_error(err, raw, type_text, "java.lang.Boolean");
    case VAL_DATE:
        if (is_null || empty_text) { *out = value_null(); return true; }
        if (!cJSON_IsString(raw) || !timer_parse_date(raw->valuestring, &i))
            return set_conversion_error(err, raw, type_text, "java.util.Date");
        *out = value_date(i);
        return true;
    case VAL_JSON:
        if (is_null) { *out = value_null(); return true; }
        if (cJSON_IsString(raw)) { *out = value_json(raw->valuestring); return true; }
        if (cJSON_IsObject(raw) || cJSON_IsArray(raw)) {
            char *text = cJSON_PrintUnformatted(raw);
            if (!text) return error_set(err, ERR_ENGINE, "out of memory");
            *out = value_json(text);
            free(text);
            return true;
        }
        return error_set(err, ERR_INVALID_REQUEST,
                         "Must provide 'null' or String value for value of SerializableValue type '%s'.",
                         type_text);
    }
    return error_set(err, ERR_INVALID_REQUEST, "Unsupported value type '%s'", type_text);
}

value value_infer(const cJSON *raw) {
    int64_t i;
    if (!raw || cJSON_IsNull(raw)) return value_null();
    if (cJSON_IsString(raw)) return value_string(raw->valuestring);
    if (cJSON_IsBool(raw)) return value_boolean(cJSON_IsTrue(raw));
    if (cJSON_IsNumber(raw)) {
        if (json_number_as_int64(raw->valuedouble, &i)) return value_integer(i);
        return value_double(raw->valuedouble);
    }
    char *text = cJSON_PrintUnformatted(raw);
    value v = value_json(text ? text : "null");
    free(text);
    return v;
}

bool value_from_json(const cJSON *typed, value *out, error *err) {
    if (!out) return error_set(err, ERR_ENGINE, "value_from_json: no output");
    *out = value_null();
    if (!cJSON_IsObject(typed))
        return error_set(err, ERR_INVALID_REQUEST,
                         "A variable value must be a JSON object {type, value, valueInfo}");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(typed, "type");
    const cJSON *raw = cJSON_GetObjectItemCaseSensitive(typed, "value");
    if (!type || cJSON_IsNull(type)) {
        *out = value_infer(raw);
        return true;
    }
    char *type_text = cJSON_IsString(type) ? str_dup(type->valuestring) : json_display(type);
    if (!type_text) return error_set(err, ERR_ENGINE, "out of memory");
    value_type t;
    bool ok;
    if (type_text[0] && name_matches(type_text, "Short"))
        ok = convert(WIRE_SHORT, type_text, raw, out, err);
    else if (cJSON_IsString(type) && value_type_from_name(type_text, &t))
        ok = convert((int)t, type_text, raw, out, err);
    else
        ok = error_set(err, ERR_INVALID_REQUEST, "Unsupported value type '%s'", type_text);
    free(type_text);
    return ok;
}

/* ---- writing the REST form --------------------------------------------------------------- */

void value_write_bare(json_writer *w, const value *v) {
    char buf[40];
    switch (v ? v->type : VAL_NULL) {
    case VAL_NULL: jw_null(w); return;
    case VAL_STRING:
    case VAL_JSON: jw_string(w, v->s); return;
    case VAL_INTEGER:
    case VAL_LONG: jw_int(w, v->i); return;
    case VAL_DOUBLE: jw_double(w, v->d); return;
    case VAL_BOOLEAN: jw_bool(w, v->b); return;
    case VAL_DATE:
        timer_format_date(v->i, buf, sizeof buf);
        jw_string(w, buf);
        return;
    }
    jw_null(w);
}

void value_write(json_writer *w, const value *v) {
    jw_object_begin(w);
    jw_key_string(w, "type", value_type_name(v ? v->type : VAL_NULL));
    jw_key(w, "value");
    value_write_bare(w, v);
    jw_key(w, "valueInfo");
    jw_object_begin(w);
    jw_object_end(w);
    jw_object_end(w);
}

/* ---- the plain form ---------------------------------------------------------------------- */

/* The value as a JSON document of its own; a Json value parsed (its text when it does not parse). */
void value_write_plain(json_writer *w, const value *v) {
    if (!v || v->type != VAL_JSON) {
        value_write_bare(w, v);
        return;
    }
    /* a Json value goes in as its document (compacted), if it is one */
    cJSON *doc = cJSON_Parse(v->s);
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    if (text)
        jw_raw(w, text, strlen(text));
    else
        jw_string(w, v->s);
    free(text);
    cJSON_Delete(doc);
}
