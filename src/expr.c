/*
 * expr.c — Detour's JUEL subset: a text with ${...} / #{...} parts, compiled once into trees and
 * evaluated many times against an expr_host.
 *
 * Pipeline: expr_compile splits the text into literal parts and expression parts; each expression
 * part is scanned and parsed by recursive descent (precedence climbing for the binary operators)
 * into a tree of `node`s. expr_eval walks the trees; a text made of exactly one ${...} yields that
 * value, any other text concatenates the parts as strings.
 *
 * Invariants:
 *   - parser recursion (parentheses, brackets, arguments, unary operators, ternaries) and tree
 *     depth are both bounded by EXPR_MAX_DEPTH, so hostile input exhausts neither the C stack nor
 *     the small WebAssembly stack, at compile time or at evaluation;
 *   - every eval function either returns true with *out set, or false with the error set and
 *     *out a VAL_NULL; nothing it allocated survives either way except *out;
 *   - values follow the EL 2.2 coercion rules JUEL implements: arithmetic is on Long or Double,
 *     Long arithmetic wraps as Java's does (computed on uint64_t, never undefined behaviour),
 *     `/` and `div` always divide as Double.
 */
#include "expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

/* How deep expressions may nest: both the parser's recursion and the tree's height. */
#define EXPR_MAX_DEPTH 200

/* Error paths and the helpers of the recursive parse and walk stay out of line: inlined, their
 * locals (and the buffers of variadic calls) would enlarge every frame of the recursion, and
 * WebAssembly's shadow stack is small (64 KiB by default). */
#if defined(__GNUC__) || defined(__clang__)
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE
#endif

#define EXECUTION_CLASS "class org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity"
#define JSON_CLASS "class org.camunda.spin.impl.json.jackson.JacksonJsonNode"

/* ==== the tree ============================================================================== */

typedef enum node_kind {
    N_LITERAL, /* lit */
    N_IDENT,   /* name */
    N_MEMBER,  /* a.name */
    N_INDEX,   /* a[b] */
    N_CALL,    /* a.name(args) */
    N_UNARY,   /* op a */
    N_BINARY,  /* a op b */
    N_TERNARY, /* a ? b : c */
} node_kind;

typedef enum expr_op {
    OP_NONE,
    OP_OR, OP_AND,
    OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
    OP_NEG, OP_NOT, OP_EMPTY,
} expr_op;

typedef struct node {
    node_kind kind;
    expr_op op;
    int depth;              /* 1 + the deepest child; never above EXPR_MAX_DEPTH */
    value lit;              /* N_LITERAL */
    char *name;             /* N_IDENT, N_MEMBER, N_CALL */
    struct node *a, *b, *c; /* operands; `a` is the base of N_MEMBER, N_INDEX and N_CALL */
    struct node **args;     /* N_CALL arguments */
    int nargs;
} node;

/* A piece of the source: literal text (root == NULL) or one ${...} (text == NULL). */
typedef struct part {
    char *text;
    node *root;
} part;

struct expr {
    char *text; /* the source, for expr_text and error messages */
    part *parts;
    int nparts;
};

static void node_free(node *n) {
    if (!n) return;
    value_free(&n->lit);
    free(n->name);
    node_free(n->a);
    node_free(n->b);
    node_free(n->c);
    for (int i = 0; i < n->nargs; i++) node_free(n->args[i]);
    free(n->args);
    free(n);
}

void expr_free(expr *e) {
    if (!e) return;
    for (int i = 0; i < e->nparts; i++) {
        free(e->parts[i].text);
        node_free(e->parts[i].root);
    }
    free(e->parts);
    free(e->text);
    free(e);
}

/* ==== a growable string ===================================================================== */

typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool failed; /* out of memory: later appends are ignored */
} strbuf;

static void sb_append(strbuf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1) cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Hands the text over (an empty string if nothing was appended); NULL if memory ran out. */
static char *sb_take(strbuf *b) {
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    return b->data ? b->data : str_dup("");
}

/* Makes room in `array` (holding n items) for item n and returns it, possibly moved; NULL when
 * out of memory (the old array is then untouched). The capacity is the next power of two ≥ n,
 * so appending stays linear without storing a capacity. */
static void *grow(void *array, int n, size_t item_size) {
    if (n > 0 && (n & (n - 1)) != 0) return array;
    return realloc(array, (n == 0 ? 1 : (size_t)n * 2) * item_size);
}

/* ==== scanning ============================================================================== */

typedef enum tok_kind { T_EOF, T_INTEGER, T_FLOAT, T_STRING, T_IDENT, T_OP } tok_kind;

typedef struct token {
    tok_kind kind;
    const char *start; /* in the source text */
    size_t len;
    char *str; /* T_STRING: the decoded literal, owned by the parser until taken */
} token;

typedef struct parser {
    const char *text; /* the whole source, for messages */
    const char *p;    /* scan position, just after `tok` */
    token tok;
    int nesting;
    error *err;
} parser;

static const char *const keywords[] = {"and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge",
                                       "true", "false", "null", "empty", "div", "mod",
                                       "instanceof", NULL};

/* Longest first, so "<=" wins over "<". */
static const char *const operators[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+",
                                        "-",  "*",  "/",  "%",  "?",  ":",  ".", "[", "]", "(",
                                        ")",  ",",  "}",  NULL};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80; /* Java letters beyond ASCII, taken as UTF-8 bytes */
}
static bool is_ident_part(char c) { return is_ident_start(c) || is_digit(c); }

static int position(const parser *ps, const char *at) { return (int)(at - ps->text); }

OUT_OF_LINE static bool syntax_fail(parser *ps, const char *at, const char *what) {
    return error_set(ps->err, ERR_ENGINE, "Error parsing '%s': syntax error at position %d, %s",
                     ps->text, position(ps, at), what);
}

/* "encountered X, expected Y" for the current token. */
OUT_OF_LINE static bool syntax_expected(parser *ps, const char *expected) {
    const token *t = &ps->tok;
    if (t->kind == T_EOF)
        return error_set(ps->err, ERR_ENGINE,
                         "Error parsing '%s': syntax error at position %d, encountered <EOF>, "
                         "expected %s",
                         ps->text, position(ps, t->start), expected);
    int shown = t->len > 40 ? 40 : (int)t->len;
    return error_set(ps->err, ERR_ENGINE,
                     "Error parsing '%s': syntax error at position %d, encountered '%.*s', "
                     "expected %s",
                     ps->text, position(ps, t->start), shown, t->start, expected);
}

OUT_OF_LINE static bool scan_string(parser *ps, const char *p, token *t) {
    char quote = *p;
    const char *q = p + 1;
    strbuf b = {0};
    while (*q && *q != quote) {
        if (*q == '\\') {
            /* JUEL knows only \\ and \<quote>; we accept either quote after a backslash. */
            if (q[1] == '\\' || q[1] == '\'' || q[1] == '"') {
                sb_append(&b, q + 1, 1);
                q += 2;
                continue;
            }
            if (!q[1]) break;
            free(b.data);
            char what[64];
            snprintf(what, sizeof what, "invalid escape sequence '\\%c' in a string literal",
                     (q[1] >= ' ' && q[1] < 127) ? q[1] : '?');
            return syntax_fail(ps, q, what);
        }
        sb_append(&b, q, 1);
        q++;
    }
    if (*q != quote) {
        free(b.data);
        return syntax_fail(ps, p, "unterminated string literal");
    }
    t->str = sb_take(&b);
    if (!t->str) return error_set(ps->err, ERR_ENGINE, "out of memory");
    t->kind = T_STRING;
    t->len = (size_t)(q + 1 - p);
    return true;
}

/* Numbers as JUEL scans them: digits [. digits*] [(e|E) [+-] digits], or . digits [...]. */
static void scan_number(const char *p, token *t) {
    const char *q = p;
    t->kind = T_INTEGER;
    while (is_digit(*q)) q++;
    if (*q == '.') {
        q++;
        while (is_digit(*q)) q++;
        t->kind = T_FLOAT;
    }
    if (*q == 'e' || *q == 'E') {
        const char *e = q + 1;
        if (*e == '+' || *e == '-') e++;
        if (is_digit(*e)) {
            while (is_digit(*e)) e++;
            q = e;
            t->kind = T_FLOAT;
        }
    }
    t->len = (size_t)(q - p);
}

OUT_OF_LINE static bool next_token(parser *ps) {
    free(ps->tok.str);
    ps->tok.str = NULL;
    const char *p = ps->p;
    while (is_space(*p)) p++;
    token t = {T_EOF, p, 0, NULL};
    if (!*p) {
        /* EOF */
    } else if (*p == '\'' || *p == '"') {
        if (!scan_string(ps, p, &t)) return false;
    } else if (is_digit(*p) || (*p == '.' && is_digit(p[1]))) {
        scan_number(p, &t);
    } else if (is_ident_start(*p)) {
        const char *q = p;
        while (is_ident_part(*q)) q++;
        t.kind = T_IDENT;
        t.len = (size_t)(q - p);
    } else {
        for (int i = 0; operators[i]; i++) {
            size_t n = strlen(operators[i]);
            if (strncmp(p, operators[i], n) == 0) {
                t.kind = T_OP;
                t.len = n;
                break;
            }
        }
        if (t.kind != T_OP) {
            char what[48];
            if (*p >= ' ' && *p < 127)
                snprintf(what, sizeof what, "unexpected character '%c'", *p);
            else
                snprintf(what, sizeof what, "unexpected character 0x%02x", (unsigned char)*p);
            return syntax_fail(ps, p, what);
        }
    }
    ps->tok = t;
    ps->p = p + t.len;
    return true;
}

static bool tok_is(const parser *ps, const char *op) {
    return ps->tok.kind == T_OP && strlen(op) == ps->tok.len && !strncmp(ps->tok.start, op, ps->tok.len);
}

static bool tok_is_word(const parser *ps, const char *word) {
    return ps->tok.kind == T_IDENT && strlen(word) == ps->tok.len &&
           !strncmp(ps->tok.start, word, ps->tok.len);
}

static bool tok_is_keyword(const parser *ps) {
    for (int i = 0; keywords[i]; i++)
        if (tok_is_word(ps, keywords[i])) return true;
    return false;
}

/* ==== parsing =============================================================================== */

static node *parse_expr(parser *ps);

OUT_OF_LINE static bool nesting_fail(parser *ps) {
    return error_set(ps->err, ERR_ENGINE, "Error parsing '%s': expression nests deeper than %d levels",
                     ps->text, EXPR_MAX_DEPTH);
}

/* Allocates a node over its operands (which it takes, and frees on failure). */
OUT_OF_LINE static node *node_new(parser *ps, node_kind kind, expr_op op, node *a, node *b, node *c) {
    node *n = calloc(1, sizeof *n);
    if (!n) {
        node_free(a);
        node_free(b);
        node_free(c);
        error_set(ps->err, ERR_ENGINE, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->op = op;
    n->lit = value_null();
    n->a = a;
    n->b = b;
    n->c = c;
    n->depth = 1;
    return n;
}

/* Computes the node's depth once its children are attached; frees it if too deep. */
OUT_OF_LINE static node *node_finish(parser *ps, node *n) {
    if (!n) return NULL;
    int d = 0;
    const node *kids[3] = {n->a, n->b, n->c};
    for (int i = 0; i < 3; i++)
        if (kids[i] && kids[i]->depth > d) d = kids[i]->depth;
    for (int i = 0; i < n->nargs; i++)
        if (n->args[i]->depth > d) d = n->args[i]->depth;
    n->depth = d + 1;
    if (n->depth > EXPR_MAX_DEPTH) {
        node_free(n);
        nesting_fail(ps);
        return NULL;
    }
    return n;
}

static node *make(parser *ps, node_kind kind, expr_op op, node *a, node *b, node *c) {
    return node_finish(ps, node_new(ps, kind, op, a, b, c));
}

OUT_OF_LINE static bool expect(parser *ps, const char *op, const char *expected) {
    if (!tok_is(ps, op)) return syntax_expected(ps, expected);
    return next_token(ps);
}

/* After "ns" with the current token ':', is this "ns:fn(" (a function) rather than a ternary? */
static bool looks_like_qualified_call(const parser *ps) {
    const char *q = ps->p;
    while (is_space(*q)) q++;
    if (!is_ident_start(*q)) return false;
    while (is_ident_part(*q)) q++;
    while (is_space(*q)) q++;
    return *q == '(';
}

OUT_OF_LINE static node *parse_literal(parser *ps) {
    token *t = &ps->tok;
    node *n = node_new(ps, N_LITERAL, OP_NONE, NULL, NULL, NULL);
    if (!n) return NULL;
    if (t->kind == T_STRING) {
        n->lit.type = VAL_STRING; /* take the decoded text without copying */
        n->lit.s = t->str;
        t->str = NULL;
    } else if (t->kind == T_INTEGER) {
        uint64_t v = 0;
        for (size_t i = 0; i < t->len; i++) {
            unsigned digit = (unsigned)(t->start[i] - '0');
            if (v > ((uint64_t)INT64_MAX - digit) / 10) {
                node_free(n);
                syntax_fail(ps, t->start, "integer literal out of range");
                return NULL;
            }
            v = v * 10 + digit;
        }
        n->lit = value_long((int64_t)v); /* JUEL integer literals are Long */
    } else if (t->kind == T_FLOAT) {
        char *copy = str_ndup(t->start, t->len);
        if (!copy) {
            node_free(n);
            error_set(ps->err, ERR_ENGINE, "out of memory");
            return NULL;
        }
        n->lit = value_double(strtod(copy, NULL));
        free(copy);
    } else { /* true, false, null */
        n->lit = tok_is_word(ps, "null") ? value_null() : value_boolean(tok_is_word(ps, "true"));
    }
    if (!next_token(ps)) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* There is no function mapper: JUEL reports an unknown function when binding, i.e. when the
 * expression is compiled. The current token is the '(' or the ':' of "ns:fn(". */
OUT_OF_LINE static void function_fail(parser *ps, const char *name) {
    if (tok_is(ps, "(")) {
        error_set(ps->err, ERR_ENGINE, "Error parsing '%s': Could not resolve function '%s'", ps->text, name);
        return;
    }
    const char *q = ps->p;
    while (is_space(*q)) q++;
    const char *e = q;
    while (is_ident_part(*e)) e++;
    error_set(ps->err, ERR_ENGINE, "Error parsing '%s': Could not resolve function '%s:%.*s'", ps->text,
              name, (int)(e - q), q);
}

/* literal | identifier | ( expr ) ; function calls are recognised only to be refused. */
static node *parse_primary(parser *ps) {
    token *t = &ps->tok;
    if (t->kind == T_STRING || t->kind == T_INTEGER || t->kind == T_FLOAT || tok_is_word(ps, "true") ||
        tok_is_word(ps, "false") || tok_is_word(ps, "null"))
        return parse_literal(ps);
    if (t->kind == T_IDENT && !tok_is_keyword(ps)) {
        char *name = str_ndup(t->start, t->len);
        if (!name) {
            error_set(ps->err, ERR_ENGINE, "out of memory");
            return NULL;
        }
        if (!next_token(ps)) {
            free(name);
            return NULL;
        }
        if (tok_is(ps, "(") || (tok_is(ps, ":") && looks_like_qualified_call(ps))) {
            function_fail(ps, name);
            free(name);
            return NULL;
        }
        node *n = make(ps, N_IDENT, OP_NONE, NULL, NULL, NULL);
        if (!n) {
            free(name);
            return NULL;
        }
        n->name = name;
        return n;
    }
    if (tok_is(ps, "(")) {
        if (!next_token(ps)) return NULL;
        node *inner = parse_expr(ps);
        if (!inner) return NULL;
        if (!expect(ps, ")", "')' or an operator")) {
            node_free(inner);
            return NULL;
        }
        return inner;
    }
    syntax_expected(ps, "an operand (a literal, an identifier, '(' or a unary operator)");
    return NULL;
}

/* Arguments of a method call; the current token is the '(' . */
OUT_OF_LINE static bool parse_args(parser *ps, node *call) {
    if (!next_token(ps)) return false;
    if (tok_is(ps, ")")) return next_token(ps);
    for (;;) {
        node *arg = parse_expr(ps);
        if (!arg) return false;
        node **args = grow(call->args, call->nargs, sizeof *args);
        if (!args) {
            node_free(arg);
            return error_set(ps->err, ERR_ENGINE, "out of memory");
        }
        call->args = args;
        call->args[call->nargs++] = arg;
        if (tok_is(ps, ")")) return next_token(ps);
        if (!expect(ps, ",", "',' or ')'")) return false;
    }
}

/* primary { . identifier [ ( args ) ] | [ expr ] } */
static node *parse_postfix(parser *ps) {
    node *n = parse_primary(ps);
    while (n) {
        if (tok_is(ps, ".")) {
            if (!next_token(ps)) break;
            if (ps->tok.kind != T_IDENT) { /* keywords are allowed: they may name Json keys */
                syntax_expected(ps, "a property name");
                break;
            }
            char *name = str_ndup(ps->tok.start, ps->tok.len);
            if (!name || !next_token(ps)) {
                if (!name) error_set(ps->err, ERR_ENGINE, "out of memory");
                free(name);
                break;
            }
            bool call = tok_is(ps, "(");
            node *m = node_new(ps, call ? N_CALL : N_MEMBER, OP_NONE, n, NULL, NULL);
            if (!m) {
                free(name);
                return NULL;
            }
            m->name = name;
            if (call) {
                if (++ps->nesting > EXPR_MAX_DEPTH) {
                    nesting_fail(ps);
                    node_free(m);
                    return NULL;
                }
                bool ok = parse_args(ps, m);
                ps->nesting--;
                if (!ok) {
                    node_free(m);
                    return NULL;
                }
            }
            n = node_finish(ps, m);
        } else if (tok_is(ps, "[")) {
            if (!next_token(ps)) break;
            node *index = parse_expr(ps);
            if (!index) break;
            if (!expect(ps, "]", "']' or an operator")) {
                node_free(index);
                break;
            }
            n = make(ps, N_INDEX, OP_NONE, n, index, NULL);
        } else {
            return n;
        }
    }
    node_free(n);
    return NULL;
}

static node *parse_unary(parser *ps) {
    expr_op op = tok_is(ps, "-")                                   ? OP_NEG
                 : (tok_is(ps, "!") || tok_is_word(ps, "not")) ? OP_NOT
                 : tok_is_word(ps, "empty")                        ? OP_EMPTY
                                                                   : OP_NONE;
    if (op == OP_NONE) return parse_postfix(ps);
    if (++ps->nesting > EXPR_MAX_DEPTH) {
        nesting_fail(ps);
        return NULL;
    }
    node *operand = next_token(ps) ? parse_unary(ps) : NULL;
    ps->nesting--;
    return operand ? make(ps, N_UNARY, op, operand, NULL, NULL) : NULL;
}

/* The binary operators and their precedence (higher binds tighter). */
typedef struct binary_entry {
    const char *text;
    expr_op op;
    int prec;
} binary_entry;

static const binary_entry binary_ops[] = {
    {"||", OP_OR, 1},   {"or", OP_OR, 1},  {"&&", OP_AND, 2}, {"and", OP_AND, 2},
    {"==", OP_EQ, 3},   {"eq", OP_EQ, 3},  {"!=", OP_NE, 3},  {"ne", OP_NE, 3},
    {"<", OP_LT, 4},    {"lt", OP_LT, 4},  {">", OP_GT, 4},   {"gt", OP_GT, 4},
    {"<=", OP_LE, 4},   {"le", OP_LE, 4},  {">=", OP_GE, 4},  {"ge", OP_GE, 4},
    {"+", OP_ADD, 5},   {"-", OP_SUB, 5},  {"*", OP_MUL, 6},  {"/", OP_DIV, 6},
    {"div", OP_DIV, 6}, {"%", OP_MOD, 6},  {"mod", OP_MOD, 6},
};

/* The binary operator at the current token, or NULL. */
static const binary_entry *binary_op(const parser *ps) {
    for (size_t i = 0; i < sizeof binary_ops / sizeof binary_ops[0]; i++) {
        const char *text = binary_ops[i].text;
        bool word = text[0] >= 'a' && text[0] <= 'z';
        if (word ? tok_is_word(ps, text) : tok_is(ps, text)) return &binary_ops[i];
    }
    return NULL;
}

/* Precedence climbing: operators of one level are left-associative. */
static node *parse_binary(parser *ps, int min_prec) {
    node *lhs = parse_unary(ps);
    while (lhs) {
        const binary_entry *op = binary_op(ps);
        if (!op || op->prec < min_prec) break;
        if (!next_token(ps)) {
            node_free(lhs);
            return NULL;
        }
        node *rhs = parse_binary(ps, op->prec + 1);
        if (!rhs) {
            node_free(lhs);
            return NULL;
        }
        lhs = make(ps, N_BINARY, op->op, lhs, rhs, NULL);
    }
    return lhs;
}

/* expr := binary [ ? expr : expr ] */
static node *parse_expr(parser *ps) {
    if (++ps->nesting > EXPR_MAX_DEPTH) {
        nesting_fail(ps);
        return NULL;
    }
    node *n = parse_binary(ps, 1);
    if (n && tok_is(ps, "?")) {
        node *yes = NULL, *no = NULL;
        if (next_token(ps) && (yes = parse_expr(ps)) && expect(ps, ":", "':' or an operator"))
            no = parse_expr(ps);
        if (no) {
            n = make(ps, N_TERNARY, OP_NONE, n, yes, no);
        } else {
            node_free(n);
            node_free(yes);
            n = NULL;
        }
    }
    ps->nesting--;
    return n;
}

/* ==== compiling a text ====================================================================== */

static bool add_part(expr *e, char *text, node *root) {
    part *parts = grow(e->parts, e->nparts, sizeof *parts);
    if (!parts) return false;
    e->parts = parts;
    e->parts[e->nparts].text = text;
    e->parts[e->nparts].root = root;
    e->nparts++;
    return true;
}

/* Moves the pending literal text, if any, into a part. */
static bool flush_text(expr *e, strbuf *b) {
    if (b->len == 0 && !b->failed) return true;
    char *text = sb_take(b);
    *b = (strbuf){0};
    if (!text) return false;
    if (!add_part(e, text, NULL)) {
        free(text);
        return false;
    }
    return true;
}

expr *expr_compile(const char *text, error *err) {
    if (!text) {
        error_set(err, ERR_ENGINE, "Error parsing expression: no text");
        return NULL;
    }
    expr *e = calloc(1, sizeof *e);
    if (!e || !(e->text = str_dup(text))) {
        free(e);
        error_set(err, ERR_ENGINE, "out of memory");
        return NULL;
    }
    strbuf lit = {0};
    const char *p = e->text;
    while (*p) {
        /* \${ and \#{ are the literal text ${ and #{ */
        if (*p == '\\' && (p[1] == '$' || p[1] == '#') && p[2] == '{') {
            sb_append(&lit, p + 1, 2);
            p += 3;
            continue;
        }
        if ((*p == '$' || *p == '#') && p[1] == '{') {
            if (!flush_text(e, &lit)) goto out_of_memory;
            parser ps = {e->text, p + 2, {T_EOF, p + 2, 0, NULL}, 0, err};
            node *root = next_token(&ps) ? parse_expr(&ps) : NULL;
            if (root && !tok_is(&ps, "}")) {
                syntax_expected(&ps, "an operator or '}'");
                node_free(root);
                root = NULL;
            }
            free(ps.tok.str);
            if (!root) {
                expr_free(e);
                return NULL;
            }
            if (!add_part(e, NULL, root)) {
                node_free(root);
                goto out_of_memory;
            }
            p = ps.p; /* just after the '}' */
            continue;
        }
        sb_append(&lit, p, 1);
        p++;
    }
    if (!flush_text(e, &lit)) goto out_of_memory;
    return e;

out_of_memory:
    free(lit.data);
    expr_free(e);
    error_set(err, ERR_ENGINE, "out of memory");
    return NULL;
}

const char *expr_text(const expr *e) { return e ? e->text : NULL; }

bool expr_is_literal(const expr *e) {
    if (!e) return true;
    for (int i = 0; i < e->nparts; i++)
        if (e->parts[i].root) return false;
    return true;
}

const char *expr_simple_identifier(const expr *e) {
    if (!e || e->nparts != 1 || !e->parts[0].root || e->parts[0].root->kind != N_IDENT) return NULL;
    return e->parts[0].root->name;
}

/* ==== evaluation: errors and coercions ====================================================== */

typedef struct eval_ctx {
    const expr *e;
    const expr_host *host;
    error *err;
} eval_ctx;

/* Camunda's JuelExpression wraps JUEL's exceptions in one of three messages. */
typedef enum fail_kind { FAIL_PROPERTY, FAIL_METHOD, FAIL_EVAL } fail_kind;

static bool fail(eval_ctx *cx, fail_kind kind, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

OUT_OF_LINE static bool fail(eval_ctx *cx, fail_kind kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *cause = str_vprintf(fmt, ap);
    va_end(ap);
    const char *head = kind == FAIL_PROPERTY ? "Unknown property used in expression"
                       : kind == FAIL_METHOD ? "Unknown method used in expression"
                                             : "Error while evaluating expression";
    error_set(cx->err, ERR_ENGINE, "%s: %s. Cause: %s", head, cx->e->text,
              cause ? cause : "out of memory");
    free(cause);
    return false;
}

OUT_OF_LINE static bool out_of_memory(eval_ctx *cx) { return error_set(cx->err, ERR_ENGINE, "out of memory"); }

/* The Java class a value stands for, as JUEL's messages print it. */
static const char *java_class(const value *v) {
    switch (v->type) {
    case VAL_NULL: return "null";
    case VAL_STRING: return "class java.lang.String";
    case VAL_INTEGER: return "class java.lang.Integer";
    case VAL_LONG: return "class java.lang.Long";
    case VAL_DOUBLE: return "class java.lang.Double";
    case VAL_BOOLEAN: return "class java.lang.Boolean";
    case VAL_DATE: return "class java.util.Date";
    case VAL_JSON: return JSON_CLASS;
    }
    return "null";
}

static bool is_integral(const value *v) { return v->type == VAL_INTEGER || v->type == VAL_LONG; }

/* A String with '.', 'e' or 'E' makes EL arithmetic use Double. */
static bool is_floaty(const value *v) {
    return v->type == VAL_DOUBLE || (v->type == VAL_STRING && strpbrk(v->s, ".eE"));
}

/* Java's (long) d: NaN is 0, out-of-range values saturate. */
static int64_t java_d2l(double d) {
    if (isnan(d)) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

OUT_OF_LINE static bool to_long(eval_ctx *cx, const value *v, int64_t *out) {
    switch (v->type) {
    case VAL_NULL: *out = 0; return true;
    case VAL_STRING:
        if (!v->s[0]) { *out = 0; return true; }
        if (value_parse_long(v->s, out)) return true;
        return fail(cx, FAIL_EVAL, "Cannot coerce '%s' to class java.lang.Long", v->s);
    case VAL_INTEGER:
    case VAL_LONG: *out = v->i; return true;
    case VAL_DOUBLE: *out = java_d2l(v->d); return true;
    default: return fail(cx, FAIL_EVAL, "Cannot coerce from %s to class java.lang.Long", java_class(v));
    }
}

OUT_OF_LINE static bool to_double(eval_ctx *cx, const value *v, double *out) {
    switch (v->type) {
    case VAL_NULL: *out = 0; return true;
    case VAL_STRING:
        if (!v->s[0]) { *out = 0; return true; }
        if (value_parse_double(v->s, out)) return true;
        return fail(cx, FAIL_EVAL, "Cannot coerce '%s' to class java.lang.Double", v->s);
    case VAL_INTEGER:
    case VAL_LONG: *out = (double)v->i; return true;
    case VAL_DOUBLE: *out = v->d; return true;
    default: return fail(cx, FAIL_EVAL, "Cannot coerce from %s to class java.lang.Double", java_class(v));
    }
}

/* Boolean.valueOf for strings: "true" in any case is true, anything else false. */
OUT_OF_LINE static bool to_bool(eval_ctx *cx, const value *v, bool *out) {
    switch (v->type) {
    case VAL_NULL: *out = false; return true;
    case VAL_BOOLEAN: *out = v->b; return true;
    case VAL_STRING: {
        const char *s = v->s, *t = "true";
        while (*s && *t && (*s | 0x20) == *t) s++, t++;
        *out = !*s && !*t;
        return true;
    }
    default: return fail(cx, FAIL_EVAL, "Cannot coerce from %s to class java.lang.Boolean", java_class(v));
    }
}

/* ==== evaluation: operators ================================================================= */

OUT_OF_LINE static bool arithmetic(eval_ctx *cx, expr_op op, const value *a, const value *b, value *out) {
    if (a->type == VAL_NULL && b->type == VAL_NULL) {
        *out = value_long(0);
        return true;
    }
    if (op == OP_DIV || is_floaty(a) || is_floaty(b)) {
        double x, y;
        if (!to_double(cx, a, &x) || !to_double(cx, b, &y)) return false;
        double r = op == OP_ADD   ? x + y
                   : op == OP_SUB ? x - y
                   : op == OP_MUL ? x * y
                   : op == OP_DIV ? x / y
                                  : fmod(x, y); /* Java's % on doubles */
        *out = value_double(r);
        return true;
    }
    int64_t x, y;
    if (!to_long(cx, a, &x) || !to_long(cx, b, &y)) return false;
    uint64_t ux = (uint64_t)x, uy = (uint64_t)y, r;
    switch (op) {
    case OP_ADD: r = ux + uy; break;
    case OP_SUB: r = ux - uy; break;
    case OP_MUL: r = ux * uy; break;
    default: /* OP_MOD */
        if (y == 0) return fail(cx, FAIL_EVAL, "/ by zero");
        r = y == -1 ? 0 : (uint64_t)(x % y); /* INT64_MIN % -1 is 0 in Java, UB in C */
        break;
    }
    *out = value_long((int64_t)r);
    return true;
}

OUT_OF_LINE static bool negate(eval_ctx *cx, const value *a, value *out) {
    switch (a->type) {
    case VAL_NULL: *out = value_long(0); return true;
    case VAL_STRING:
        if (is_floaty(a)) {
            double d;
            if (!to_double(cx, a, &d)) return false;
            *out = value_double(-d);
        } else {
            int64_t i;
            if (!to_long(cx, a, &i)) return false;
            *out = value_long((int64_t)(0u - (uint64_t)i));
        }
        return true;
    case VAL_INTEGER: /* keeps its type and wraps in 32 bits, as Java's -int */
        out->type = VAL_INTEGER;
        out->i = (int32_t)(0u - (uint32_t)(int32_t)a->i);
        return true;
    case VAL_LONG: *out = value_long((int64_t)(0u - (uint64_t)a->i)); return true;
    case VAL_DOUBLE: *out = value_double(-a->d); return true;
    default: return fail(cx, FAIL_EVAL, "Cannot negate %s", java_class(a));
    }
}

static int sign_of(int c) { return (c > 0) - (c < 0); }

OUT_OF_LINE static bool compare(eval_ctx *cx, expr_op op, const value *a, const value *b, bool *result) {
    if (a->type == VAL_NULL || b->type == VAL_NULL) {
        /* EL: null <= null and null >= null hold (A==B); any other comparison with null is false */
        *result = a->type == b->type && (op == OP_LE || op == OP_GE);
        return true;
    }
    int c;
    if (a->type == VAL_DOUBLE || b->type == VAL_DOUBLE) {
        double x, y;
        if (!to_double(cx, a, &x) || !to_double(cx, b, &y)) return false;
        if (isnan(x) || isnan(y)) {
            *result = false;
            return true;
        }
        c = (x > y) - (x < y);
    } else if (is_integral(a) || is_integral(b)) {
        int64_t x, y;
        if (!to_long(cx, a, &x) || !to_long(cx, b, &y)) return false;
        c = (x > y) - (x < y);
    } else if (a->type == VAL_STRING || b->type == VAL_STRING) {
        char *x = value_to_string(a), *y = value_to_string(b);
        if (!x || !y) {
            free(x);
            free(y);
            return out_of_memory(cx);
        }
        c = sign_of(strcmp(x, y));
        free(x);
        free(y);
    } else if (a->type == VAL_BOOLEAN && b->type == VAL_BOOLEAN) {
        c = (int)a->b - (int)b->b;
    } else if (a->type == VAL_DATE && b->type == VAL_DATE) {
        c = (a->i > b->i) - (a->i < b->i);
    } else {
        return fail(cx, FAIL_EVAL, "Cannot compare %s and %s", java_class(a), java_class(b));
    }
    *result = op == OP_LT ? c < 0 : op == OP_GT ? c > 0 : op == OP_LE ? c <= 0 : c >= 0;
    return true;
}

static bool json_equal(const char *x, const char *y) {
    cJSON *a = cJSON_Parse(x), *b = cJSON_Parse(y);
    bool same = (a && b) ? cJSON_Compare(a, b, true) : strcmp(x, y) == 0;
    cJSON_Delete(a);
    cJSON_Delete(b);
    return same;
}

/* EL equality: the "widest" type involved decides how both sides are coerced. */
OUT_OF_LINE static bool equal(eval_ctx *cx, const value *a, const value *b, bool *result) {
    if (a->type == VAL_NULL || b->type == VAL_NULL) {
        *result = a->type == b->type;
        return true;
    }
    if (a->type == VAL_DOUBLE || b->type == VAL_DOUBLE) {
        double x, y;
        if (!to_double(cx, a, &x) || !to_double(cx, b, &y)) return false;
        *result = x == y;
    } else if (is_integral(a) || is_integral(b)) {
        int64_t x, y;
        if (!to_long(cx, a, &x) || !to_long(cx, b, &y)) return false;
        *result = x == y;
    } else if (a->type == VAL_BOOLEAN || b->type == VAL_BOOLEAN) {
        bool x, y;
        if (!to_bool(cx, a, &x) || !to_bool(cx, b, &y)) return false;
        *result = x == y;
    } else if (a->type == VAL_STRING || b->type == VAL_STRING) {
        char *x = value_to_string(a), *y = value_to_string(b);
        if (!x || !y) {
            free(x);
            free(y);
            return out_of_memory(cx);
        }
        *result = strcmp(x, y) == 0;
        free(x);
        free(y);
    } else if (a->type == VAL_JSON && b->type == VAL_JSON) {
        *result = json_equal(a->s, b->s);
    } else {
        *result = a->type == b->type && a->i == b->i; /* Date == Date; Date vs Json is false */
    }
    return true;
}

OUT_OF_LINE static bool is_empty(const value *v) {
    if (v->type == VAL_NULL) return true;
    if (v->type == VAL_STRING) return v->s[0] == '\0';
    if (v->type != VAL_JSON) return false;
    cJSON *doc = cJSON_Parse(v->s);
    bool empty = !doc ? v->s[0] == '\0'
                      : cJSON_IsNull(doc) ||
                            ((cJSON_IsArray(doc) || cJSON_IsObject(doc)) && doc->child == NULL);
    cJSON_Delete(doc);
    return empty;
}

/* ==== evaluation: property access =========================================================== */

/* JUEL's ListELResolver index rules. */
static bool list_index(eval_ctx *cx, const value *prop, int64_t *index) {
    switch (prop->type) {
    case VAL_INTEGER:
    case VAL_LONG: *index = prop->i; return true;
    case VAL_DOUBLE: *index = java_d2l(prop->d); return true;
    case VAL_BOOLEAN: *index = prop->b; return true;
    case VAL_STRING:
        if (value_parse_long(prop->s, index)) return true;
        return fail(cx, FAIL_EVAL, "Cannot parse list index: %s", prop->s);
    default: {
        char *shown = value_to_string(prop);
        fail(cx, FAIL_EVAL, "Cannot coerce property to list index: %s", shown ? shown : "");
        free(shown);
        return false;
    }
    }
}

/* base.prop / base[prop]: null bases give null, Json is navigated, anything else has no
 * properties. A missing key or an index out of range gives null, as JUEL's map and list
 * resolvers do. */
OUT_OF_LINE static bool access_property(eval_ctx *cx, const value *base, const value *prop, value *out) {
    *out = value_null();
    if (base->type == VAL_NULL || prop->type == VAL_NULL) return true;
    if (base->type != VAL_JSON) {
        char *shown = value_to_string(prop);
        fail(cx, FAIL_PROPERTY, "Could not find property %s in %s", shown ? shown : "", java_class(base));
        free(shown);
        return false;
    }
    cJSON *doc = cJSON_Parse(base->s);
    if (!doc) return fail(cx, FAIL_EVAL, "The Json value is not valid JSON");
    const cJSON *item = NULL;
    bool ok = true;
    if (cJSON_IsArray(doc)) {
        int64_t index;
        ok = list_index(cx, prop, &index);
        if (ok && index >= 0 && index < cJSON_GetArraySize(doc)) item = cJSON_GetArrayItem(doc, (int)index);
    } else if (cJSON_IsObject(doc)) {
        char *key = value_to_string(prop);
        if (!key) ok = out_of_memory(cx);
        else item = cJSON_GetObjectItemCaseSensitive(doc, key);
        free(key);
    } else if (!cJSON_IsNull(doc)) {
        char *shown = value_to_string(prop);
        ok = fail(cx, FAIL_PROPERTY, "Could not find property %s in " JSON_CLASS, shown ? shown : "");
        free(shown);
    }
    if (ok && item) *out = value_infer(item); /* scalars as String/Integer/..., objects and arrays as Json */
    cJSON_Delete(doc);
    return ok;
}

/* ==== evaluation: the execution object ====================================================== */

/* `execution` names the current execution when the host has one (before any variable, as
 * Camunda's VariableScopeElResolver does). */
static bool is_execution(const eval_ctx *cx, const node *n) {
    return n->kind == N_IDENT && !strcmp(n->name, "execution") && cx->host && cx->host->execution_id;
}

static bool text_value(eval_ctx *cx, const char *s, value *out) {
    *out = s ? value_string(s) : value_null();
    return (s && out->type == VAL_NULL) ? out_of_memory(cx) : true;
}

/* The property `name`, or false if the execution has none of that name (no error set). */
static bool execution_getter(eval_ctx *cx, const char *name, value *out, bool *known) {
    const expr_host *h = cx->host;
    *known = true;
    if (!strcmp(name, "processBusinessKey") || !strcmp(name, "businessKey"))
        return text_value(cx, h->business_key ? h->business_key(h->ctx) : NULL, out);
    if (!strcmp(name, "activityId") || !strcmp(name, "currentActivityId"))
        return text_value(cx, h->activity_id ? h->activity_id(h->ctx) : NULL, out);
    if (!strcmp(name, "id")) return text_value(cx, h->execution_id(h->ctx), out);
    *known = false;
    return false;
}

OUT_OF_LINE static bool execution_property(eval_ctx *cx, const char *name, value *out) {
    bool known;
    bool ok = execution_getter(cx, name, out, &known);
    if (!known) return fail(cx, FAIL_PROPERTY, "Could not find property %s in " EXECUTION_CLASS, name);
    return ok;
}

OUT_OF_LINE static bool execution_call(eval_ctx *cx, const char *method, value *args, int nargs, value *out) {
    const expr_host *h = cx->host;
    bool local = strlen(method) > 5 && !strcmp(method + strlen(method) - 5, "Local");
    if (nargs == 1 && (!strcmp(method, "getVariable") || !strcmp(method, "getVariableLocal") ||
                       !strcmp(method, "hasVariable") || !strcmp(method, "hasVariableLocal"))) {
        char *name = value_to_string(&args[0]);
        if (!name) return out_of_memory(cx);
        value found = value_null();
        bool present = h->get_variable && h->get_variable(h->ctx, name, local, &found);
        free(name);
        if (!present) found = value_null();
        if (method[0] == 'h') {
            value_free(&found);
            *out = value_boolean(present);
        } else {
            *out = found;
        }
        return true;
    }
    if (nargs == 2 && (!strcmp(method, "setVariable") || !strcmp(method, "setVariableLocal"))) {
        if (!h->set_variable)
            return fail(cx, FAIL_EVAL, "variables cannot be set where this expression is evaluated");
        char *name = value_to_string(&args[0]);
        if (!name) return out_of_memory(cx);
        bool ok = h->set_variable(h->ctx, name, local, &args[1], cx->err);
        if (!ok && !error_is_set(cx->err)) fail(cx, FAIL_EVAL, "Cannot set variable '%s'", name);
        free(name);
        return ok; /* setVariable is void: the expression's value is null */
    }
    if (nargs == 0 && !strncmp(method, "get", 3) && method[3]) {
        /* getId(), getActivityId(), getProcessBusinessKey(), ... as their properties */
        char property[64];
        snprintf(property, sizeof property, "%c%s", method[3] | 0x20, method + 4);
        bool known;
        bool ok = execution_getter(cx, property, out, &known);
        if (known) return ok;
    }
    return fail(cx, FAIL_METHOD, "Cannot find method %s with %d parameters in " EXECUTION_CLASS,
                method, nargs);
}

/* ==== evaluation: the walk ================================================================== */

static bool eval(eval_ctx *cx, const node *n, value *out);

OUT_OF_LINE static bool eval_ident(eval_ctx *cx, const node *n, value *out) {
    const expr_host *h = cx->host;
    if (is_execution(cx, n))
        return fail(cx, FAIL_EVAL,
                    "the execution object cannot be used as a value (use its properties or "
                    "methods, e.g. execution.id or execution.getVariable('x'))");
    if (h && h->get_variable && h->get_variable(h->ctx, n->name, false, out)) return true;
    *out = value_null();
    return fail(cx, FAIL_PROPERTY, "Cannot resolve identifier '%s'", n->name);
}

OUT_OF_LINE static bool eval_call(eval_ctx *cx, const node *n, value *out) {
    if (!is_execution(cx, n->a)) {
        value base;
        if (!eval(cx, n->a, &base)) return false;
        if (base.type == VAL_NULL)
            fail(cx, FAIL_PROPERTY, "Cannot call method %s on null", n->name);
        else
            fail(cx, FAIL_METHOD, "Cannot find method %s with %d parameters in %s", n->name,
                 n->nargs, java_class(&base));
        value_free(&base);
        return false;
    }
    value *args = calloc((size_t)(n->nargs ? n->nargs : 1), sizeof *args);
    if (!args) return out_of_memory(cx);
    bool ok = true;
    int done = 0;
    for (; ok && done < n->nargs; done++) ok = eval(cx, n->args[done], &args[done]);
    if (ok) ok = execution_call(cx, n->name, args, n->nargs, out);
    for (int i = 0; i < done; i++) value_free(&args[i]);
    free(args);
    return ok;
}

/* && and || evaluate their right operand only when the left one does not decide. */
OUT_OF_LINE static bool eval_logic(eval_ctx *cx, const node *n, value *out) {
    value operand;
    bool x;
    if (!eval(cx, n->a, &operand)) return false;
    bool ok = to_bool(cx, &operand, &x);
    value_free(&operand);
    if (!ok) return false;
    if (x == (n->op == OP_OR)) {
        *out = value_boolean(x);
        return true;
    }
    if (!eval(cx, n->b, &operand)) return false;
    ok = to_bool(cx, &operand, &x);
    value_free(&operand);
    if (ok) *out = value_boolean(x);
    return ok;
}

OUT_OF_LINE static bool apply_binary(eval_ctx *cx, expr_op op, const value *a, const value *b, value *out) {
    bool r = false;
    switch (op) {
    case OP_EQ:
    case OP_NE:
        if (!equal(cx, a, b, &r)) return false;
        *out = value_boolean(op == OP_EQ ? r : !r);
        return true;
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE:
        if (!compare(cx, op, a, b, &r)) return false;
        *out = value_boolean(r);
        return true;
    default: return arithmetic(cx, op, a, b, out);
    }
}

OUT_OF_LINE static bool eval_binary(eval_ctx *cx, const node *n, value *out) {
    value a, b;
    if (!eval(cx, n->a, &a)) return false;
    if (!eval(cx, n->b, &b)) {
        value_free(&a);
        return false;
    }
    bool ok = apply_binary(cx, n->op, &a, &b, out);
    value_free(&a);
    value_free(&b);
    return ok;
}

OUT_OF_LINE static bool eval_literal(eval_ctx *cx, const node *n, value *out) {
    *out = value_copy(&n->lit);
    return out->type == n->lit.type || out_of_memory(cx);
}

OUT_OF_LINE static bool eval_member(eval_ctx *cx, const node *n, value *out) {
    if (is_execution(cx, n->a)) return execution_property(cx, n->name, out);
    value base, prop = value_null();
    if (!eval(cx, n->a, &base)) return false;
    prop.type = VAL_STRING;
    prop.s = n->name; /* borrowed, never freed */
    bool ok = access_property(cx, &base, &prop, out);
    value_free(&base);
    return ok;
}

OUT_OF_LINE static bool eval_index(eval_ctx *cx, const node *n, value *out) {
    value base = value_null(), prop;
    if (!is_execution(cx, n->a) && !eval(cx, n->a, &base)) return false;
    if (!eval(cx, n->b, &prop)) {
        value_free(&base);
        return false;
    }
    bool ok;
    if (is_execution(cx, n->a)) {
        char *name = value_to_string(&prop);
        ok = name ? execution_property(cx, name, out) : out_of_memory(cx);
        free(name);
    } else {
        ok = access_property(cx, &base, &prop, out);
    }
    value_free(&base);
    value_free(&prop);
    return ok;
}

OUT_OF_LINE static bool eval_unary(eval_ctx *cx, const node *n, value *out) {
    value a;
    if (!eval(cx, n->a, &a)) return false;
    bool ok = true, x;
    if (n->op == OP_NEG) {
        ok = negate(cx, &a, out);
    } else if (n->op == OP_NOT) {
        ok = to_bool(cx, &a, &x);
        if (ok) *out = value_boolean(!x);
    } else { /* OP_EMPTY */
        *out = value_boolean(is_empty(&a));
    }
    value_free(&a);
    return ok;
}

OUT_OF_LINE static bool eval_ternary(eval_ctx *cx, const node *n, value *out) {
    value cond;
    bool x;
    if (!eval(cx, n->a, &cond)) return false;
    bool ok = to_bool(cx, &cond, &x);
    value_free(&cond);
    return ok && eval(cx, x ? n->b : n->c, out);
}

/* Dispatch only: keeping this frame free of locals keeps deep trees cheap on the stack. */
static bool eval(eval_ctx *cx, const node *n, value *out) {
    static const value null_value = {VAL_NULL, NULL, 0, 0.0, false};
    *out = null_value; /* not value_null(): its returned temporary would take stack space */
    switch (n->kind) {
    case N_LITERAL: return eval_literal(cx, n, out);
    case N_IDENT: return eval_ident(cx, n, out);
    case N_MEMBER: return eval_member(cx, n, out);
    case N_INDEX: return eval_index(cx, n, out);
    case N_CALL: return eval_call(cx, n, out);
    case N_UNARY: return eval_unary(cx, n, out);
    case N_BINARY:
        return (n->op == OP_AND || n->op == OP_OR) ? eval_logic(cx, n, out) : eval_binary(cx, n, out);
    case N_TERNARY: return eval_ternary(cx, n, out);
    }
    return out_of_memory(cx); /* unreachable: every node kind is handled above */
}

bool expr_eval(const expr *e, const expr_host *host, value *out, error *err) {
    if (!out) return error_set(err, ERR_ENGINE, "expr_eval: no output");
    *out = value_null();
    if (!e) return error_set(err, ERR_ENGINE, "expr_eval: no expression");
    eval_ctx cx = {e, host, err};
    if (e->nparts == 1 && e->parts[0].root) return eval(&cx, e->parts[0].root, out);
    /* Composite text: every part as a string, concatenated. */
    strbuf b = {0};
    for (int i = 0; i < e->nparts; i++) {
        if (e->parts[i].text) {
            sb_append(&b, e->parts[i].text, strlen(e->parts[i].text));
            continue;
        }
        value v;
        if (!eval(&cx, e->parts[i].root, &v)) {
            free(b.data);
            return false;
        }
        char *s = value_to_string(&v);
        value_free(&v);
        if (!s) {
            free(b.data);
            return out_of_memory(&cx);
        }
        sb_append(&b, s, strlen(s));
        free(s);
    }
    char *text = sb_take(&b);
    if (!text) return out_of_memory(&cx);
    *out = value_string(text);
    free(text);
    return out->type == VAL_STRING || out_of_memory(&cx);
}
