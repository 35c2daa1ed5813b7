/*
 * json_reader.c — JSON text into an arena-held, read-only cJSON tree (see json_reader.h).
 *
 * The text is copied into the arena first; strings are unescaped inside that copy (an unescaped
 * string is never longer than its escaped form) and end with a NUL written over their closing
 * quote or earlier, so a string costs no allocation of its own. The nesting is walked with an
 * explicit stack of open containers, bounded by JSON_READ_MAX_DEPTH.
 *
 * Where cJSON 1.7.15 is lenient the reader is too, so a document means the same to both: any
 * byte up to 0x20 is whitespace, raw control characters may stand in strings, a \u escape with
 * bad hex digits is U+0000, numbers are whatever strtod makes of the longest run of
 * [0-9+-eE.] (so -.5 and 01 read), and text after the first complete value is ignored.
 */
#include "json_reader.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the arena ----------------------------------------------------------------------------- */

struct json_block {
    json_block *next;
    size_t used, cap; /* bytes of the data area (which follows the header at DATA_OFFSET) */
};

#define DATA_OFFSET ((sizeof(json_block) + 15) & ~(size_t)15)

/* `size` bytes, 8-aligned, from the newest block, or from a new one twice as large. */
static void *arena_alloc(json_doc *doc, size_t size) {
    size = (size + 7) & ~(size_t)7;
    json_block *b = doc->blocks;
    if (!b || b->cap - b->used < size) {
        size_t cap = b ? b->cap * 2 : 4096;
        if (cap < size) cap = size;
        if (cap > SIZE_MAX - DATA_OFFSET) abort();
        json_block *grown = malloc(DATA_OFFSET + cap);
        if (!grown) abort(); /* out of memory: not recovered, as in state.c */
        *grown = (json_block){doc->blocks, 0, cap};
        doc->blocks = b = grown;
    }
    void *p = (char *)b + DATA_OFFSET + b->used;
    b->used += size;
    return p;
}

static cJSON *new_node(json_doc *doc) {
    cJSON *n = arena_alloc(doc, sizeof *n);
    memset(n, 0, sizeof *n);
    return n;
}

void json_doc_free(json_doc *doc) {
    for (json_block *b = doc->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    *doc = (json_doc){0};
}

/* ---- scalars --------------------------------------------------------------------------------- */

static char *skip_space(char *p, const char *end) {
    while (p < end && (unsigned char)*p <= 32) p++;
    return p;
}

/* Four hex digits; 0 when one is not a hex digit (cJSON's reading). */
static unsigned hex4(const char *s) {
    unsigned h = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
        else return 0;
        h = (h << 4) | d;
    }
    return h;
}

/* The \uXXXX (or surrogate pair \uXXXX\uXXXX) at r, which ends before `close`, as UTF-8 at *w.
 * Returns the escape's length, 0 if it is invalid. Writes only after reading: *w <= r. */
static size_t utf16_escape(const char *r, const char *close, char **w) {
    if (close - r < 6) return 0;
    unsigned long cp = hex4(r + 2);
    size_t used = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return 0; /* a low surrogate first */
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        const char *second = r + 6;
        if (close - second < 6 || second[0] != '\\' || second[1] != 'u') return 0;
        unsigned low = hex4(second + 2);
        if (low < 0xDC00 || low > 0xDFFF) return 0;
        cp = 0x10000 + (((cp & 0x3FF) << 10) | (low & 0x3FF));
        used = 12;
    }
    unsigned char *out = (unsigned char *)*w;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        *w += 1;
    } else if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        *w += 2;
    } else if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        *w += 3;
    } else {
        out[0] = (unsigned char)(0xF0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        *w += 4;
    }
    return used;
}

/* The string whose opening quote is at p, unescaped in place; *out is its text. Returns the
 * position after the closing quote, NULL if the string is not valid. */
static char *read_string(char *p, const char *end, char **out) {
    char *start = p + 1, *close = start;
    bool escaped = false;
    /* Eight bytes at a time up to the first '"' or '\\' (most strings are ids without escapes):
     * a zero byte of x ^ pattern shows a match, exactly as in json_writer.c. */
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    while (end - close >= 8) {
        uint64_t x;
        memcpy(&x, close, 8);
        uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
        if ((((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs) break;
        close += 8;
    }
    while (close < end && *close != '"') {
        if (*close == '\\') {
            if (close + 1 >= end) return NULL;
            escaped = true;
            close++;
        }
        close++;
    }
    if (close >= end) return NULL;
    *out = start;
    if (!escaped) {
        *close = '\0';
        return close + 1;
    }
    char *r = start, *w = start;
    while (r < close) {
        if (*r != '\\') {
            *w++ = *r++;
            continue;
        }
        switch (r[1]) {
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case '"':
        case '\\':
        case '/': *w++ = r[1]; break;
        case 'u': {
            size_t used = utf16_escape(r, close, &w);
            if (!used) return NULL;
            r += used;
            continue;
        }
        default: return NULL;
        }
        r += 2;
    }
    *w = '\0';
    return close + 1;
}

static bool number_char(char c) {
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

/* The number starting at p (a '-' or a digit). Returns the position after it, NULL if strtod
 * reads nothing there. */
static char *read_number(json_doc *doc, char *p, const char *end, cJSON *item) {
    size_t n = 0;
    bool plain = true; /* [-]digits */
    bool dot = false;
    while (p + n < end && number_char(p[n])) {
        char c = p[n];
        if (c == '.') dot = true;
        if (!(c >= '0' && c <= '9') && !(c == '-' && n == 0)) plain = false;
        n++;
    }
    double d;
    size_t digits = n - (*p == '-');
    if (plain && digits >= 1 && digits <= 15) {
        /* below 10^15 < 2^53 an integer is exact: the double strtod would give */
        int64_t v = 0;
        for (size_t i = n - digits; i < n; i++) v = v * 10 + (p[i] - '0');
        d = (double)v;
        if (*p == '-') d = -d; /* -0 stays negative zero, as strtod reads it */
    } else {
        /* strtod needs a terminated copy of just these characters (it would read on into hex
         * floats, inf or nan), with the locale's decimal point as cJSON gives it */
        char small[64];
        char *copy = n < sizeof small ? small : arena_alloc(doc, n + 1);
        memcpy(copy, p, n);
        copy[n] = '\0';
        if (dot) {
            char point = localeconv()->decimal_point[0];
            for (size_t i = 0; i < n; i++)
                if (copy[i] == '.') copy[i] = point;
        }
        char *after;
        d = strtod(copy, &after);
        if (after == copy) return NULL;
        n = (size_t)(after - copy);
    }
    item->type = cJSON_Number;
    item->valuedouble = d;
    item->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    return p + n;
}

/* A scalar value at p into item. Returns the position after it, NULL if there is none. */
static char *read_scalar(json_doc *doc, char *p, const char *end, cJSON *item) {
    size_t left = (size_t)(end - p);
    if (left >= 4 && memcmp(p, "null", 4) == 0) {
        item->type = cJSON_NULL;
        return p + 4;
    }
    if (left >= 5 && memcmp(p, "false", 5) == 0) {
        item->type = cJSON_False;
        return p + 5;
    }
    if (left >= 4 && memcmp(p, "true", 4) == 0) {
        item->type = cJSON_True;
        item->valueint = 1;
        return p + 4;
    }
    if (*p == '"') {
        item->type = cJSON_String;
        return read_string(p, end, &item->valuestring);
    }
    if (*p == '-' || (*p >= '0' && *p <= '9')) return read_number(doc, p, end, item);
    return NULL;
}

/* ---- structure ------------------------------------------------------------------------------- */

/* Appends item to the children of parent, keeping cJSON's links: the first child's prev is the
 * last child. */
static void append(cJSON *parent, cJSON *item) {
    cJSON *first = parent->child;
    if (!first) {
        parent->child = item;
        item->prev = item;
        return;
    }
    cJSON *last = first->prev;
    last->next = item;
    item->prev = last;
    first->prev = item;
}

/* An object member's name and its ':' at p (after whitespace). Returns the position of the
 * value (after whitespace), NULL if there is no valid name and colon. */
static char *read_name(char *p, const char *end, char **name) {
    p = skip_space(p, end);
    if (p >= end || *p != '"') return NULL;
    p = read_string(p, end, name);
    if (!p) return NULL;
    p = skip_space(p, end);
    if (p >= end || *p != ':') return NULL;
    return skip_space(p + 1, end);
}

json_read_status json_read(json_doc *doc, const char *text, size_t len) {
    *doc = (json_doc){0};
    if (!text || len == 0) return JSON_READ_INVALID;
    /* one first block for the copy and, usually, every node */
    if (len > (SIZE_MAX - 4096) / 3) return JSON_READ_INVALID;
    json_block *first = malloc(DATA_OFFSET + 3 * len + 4096);
    if (!first) abort();
    *first = (json_block){NULL, 0, 3 * len + 4096};
    doc->blocks = first;
    char *p = arena_alloc(doc, len + 1);
    memcpy(p, text, len);
    p[len] = '\0';
    const char *end = p + len;
    if (len > 4 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3; /* a UTF-8 byte order mark */

    cJSON *open[JSON_READ_MAX_DEPTH]; /* the containers being read, innermost last */
    size_t depth = 0;
    char *name = NULL; /* the member name of the next value, inside an object */
    json_read_status status = JSON_READ_INVALID;
    cJSON *root = NULL;
    for (;;) {
        /* a value */
        p = skip_space(p, end);
        if (p >= end) goto fail;
        cJSON *item = new_node(doc);
        item->string = name;
        name = NULL;
        if (depth) append(open[depth - 1], item);
        else root = item;
        if (*p == '{' || *p == '[') {
            char closing = *p == '{' ? '}' : ']';
            item->type = *p == '{' ? cJSON_Object : cJSON_Array;
            if (depth == JSON_READ_MAX_DEPTH) {
                status = JSON_READ_TOO_DEEP;
                goto fail;
            }
            open[depth++] = item;
            p = skip_space(p + 1, end);
            if (p < end && *p == closing) {
                p++;
                depth--;
            } else {
                if (item->type == cJSON_Object && !(p = read_name(p, end, &name))) goto fail;
                continue; /* its first element */
            }
        } else if (!(p = read_scalar(doc, p, end, item))) {
            goto fail;
        }
        /* after a value: the next element of an open container, or the container's end */
        while (depth) {
            cJSON *parent = open[depth - 1];
            p = skip_space(p, end);
            if (p >= end) goto fail;
            if (*p == ',') {
                p++;
                if (parent->type == cJSON_Object && !(p = read_name(p, end, &name))) goto fail;
                break;
            }
            if (*p != (parent->type == cJSON_Object ? '}' : ']')) goto fail;
            p++;
            depth--;
        }
        if (!depth) break; /* the document's value is complete */
    }
    doc->root = root;
    return JSON_READ_OK;
fail:
    json_doc_free(doc);
    return status;
}
