/* db/sql/vec_functions.c: the SQL extension's scalar functions on vector
 * blobs (what they take and give: db/sql/sqlite_ext.c):
 *   vec_dot(a, b), vec_cosine(a, b), vec_norm(a), vec_json(a)
 *   vec_f32(json)                    '[1, 2.5, ...]' -> a vector blob
 * Every argument is checked; a bad one is an SQL error naming the function. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sql/ext.h"

static void too_many_values(sqlite3_context *ctx, const char *fn, const char *what) {
    char *msg = sqlite3_mprintf("%s: %s has more than %d values (the most a vector may have)", fn, what, VEC_MAX_DIM);
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
}

/* The float32 vector in argument i, or NULL after reporting an SQL error. */
static const float *vec_arg(sqlite3_context *ctx, sqlite3_value **argv, int i, const char *fn, int *dim) {
    if (sqlite3_value_type(argv[i]) != SQLITE_BLOB) {
        char *msg = sqlite3_mprintf("%s: argument %d must be a vector blob (float32), got %s", fn, i + 1,
                                    sqlite3_value_type(argv[i]) == SQLITE_NULL ? "NULL" : "a non-blob value");
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
        return NULL;
    }
    int bytes = sqlite3_value_bytes(argv[i]);
    if (bytes <= 0 || bytes % 4 != 0) {
        char *msg =
            sqlite3_mprintf("%s: argument %d has %d bytes; a vector blob has 4 bytes per dimension", fn, i + 1, bytes);
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
        return NULL;
    }
    if (bytes / 4 > VEC_MAX_DIM) {
        char what[32];
        snprintf(what, sizeof what, "argument %d", i + 1);
        too_many_values(ctx, fn, what);
        return NULL;
    }
    *dim = bytes / 4;
    return sqlite3_value_blob(argv[i]);
}

/* Blob memory from SQLite is not guaranteed to be 4-byte aligned; copy. */
static float *aligned_copy(const float *v, int dim) {
    float *c = sqlite3_malloc64((sqlite3_uint64)dim * 4);
    if (c)
        memcpy(c, v, (size_t)dim * 4);
    return c;
}

static double dot64(const float *a, const float *b, int dim) {
    double s = 0;
    for (int i = 0; i < dim; i++)
        s += (double)a[i] * b[i];
    return s;
}

static int two_vectors(sqlite3_context *ctx, sqlite3_value **argv, const char *fn, float **a, float **b, int *dim) {
    int da, db;
    const float *x = vec_arg(ctx, argv, 0, fn, &da);
    if (!x)
        return -1;
    const float *y = vec_arg(ctx, argv, 1, fn, &db);
    if (!y)
        return -1;
    if (da != db) {
        char *msg = sqlite3_mprintf("%s: dimensions differ (%d and %d)", fn, da, db);
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
        return -1;
    }
    *a = aligned_copy(x, da);
    *b = aligned_copy(y, da);
    if (!*a || !*b) {
        sqlite3_free(*a);
        sqlite3_free(*b);
        sqlite3_result_error_nomem(ctx);
        return -1;
    }
    *dim = da;
    return 0;
}

static void fn_dot(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    float *a, *b;
    int dim;
    if (two_vectors(ctx, argv, "vec_dot", &a, &b, &dim) != 0)
        return;
    sqlite3_result_double(ctx, dot64(a, b, dim));
    sqlite3_free(a);
    sqlite3_free(b);
}

static void fn_cosine(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    float *a, *b;
    int dim;
    if (two_vectors(ctx, argv, "vec_cosine", &a, &b, &dim) != 0)
        return;
    double na = sqrt(dot64(a, a, dim)), nb = sqrt(dot64(b, b, dim));
    if (na == 0 || nb == 0)
        sqlite3_result_error(ctx, "vec_cosine: a zero vector has no direction", -1);
    else
        sqlite3_result_double(ctx, dot64(a, b, dim) / (na * nb));
    sqlite3_free(a);
    sqlite3_free(b);
}

static void fn_norm(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    int dim;
    const float *x = vec_arg(ctx, argv, 0, "vec_norm", &dim);
    if (!x)
        return;
    float *a = aligned_copy(x, dim);
    if (!a)
        return sqlite3_result_error_nomem(ctx);
    sqlite3_result_double(ctx, sqrt(dot64(a, a, dim)));
    sqlite3_free(a);
}

static void fn_json(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    int dim;
    const float *x = vec_arg(ctx, argv, 0, "vec_json", &dim);
    if (!x)
        return;
    float *a = aligned_copy(x, dim);
    /* With the connection, the text is held to its length limit. */
    sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
    if (!a || !s) {
        sqlite3_free(a);
        sqlite3_free(sqlite3_str_finish(s));
        return sqlite3_result_error_nomem(ctx);
    }
    sqlite3_str_appendchar(s, 1, '[');
    for (int i = 0; i < dim; i++) {
        char buf[32];
        /* %.9g keeps every float32 exact; NaN and infinities are not JSON. */
        if (isfinite(a[i]))
            snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", a[i]);
        else
            snprintf(buf, sizeof buf, "%snull", i ? "," : "");
        sqlite3_str_appendall(s, buf);
    }
    sqlite3_str_appendchar(s, 1, ']');
    sqlite3_free(a);
    int rc = sqlite3_str_errcode(s), len = sqlite3_str_length(s);
    char *json = sqlite3_str_finish(s);
    if (rc == SQLITE_TOOBIG) {
        char *msg = sqlite3_mprintf("vec_json: the text of %d values is over this connection's length limit (%d)", dim,
                                    sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
    } else if (rc != SQLITE_OK || !json)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_text(ctx, json, len, sqlite3_free);
    if (rc != SQLITE_OK)
        sqlite3_free(json);
}

/* JSON's whitespace: space, tab, CR and LF (not form feed or vertical tab). */
static int json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

enum { NUMBER_OK, NOT_A_NUMBER, NOT_FINITE };

/* Reads one JSON number at *p, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * into *out rounded once to float32, and moves *p past it. The grammar is
 * checked by hand because strtof alone would also take hex, nan, inf and a
 * leading '+' or '.'. NOT_FINITE: a number beyond float32's range (1e300). */
static int json_number(const char **p, float *out) {
    const char *s = *p, *q = s;
    if (*q == '-')
        q++;
    if (*q == '0')
        q++;
    else if (*q >= '1' && *q <= '9')
        while (*q >= '0' && *q <= '9')
            q++;
    else
        return NOT_A_NUMBER;
    if (*q == '.') {
        if (!(*++q >= '0' && *q <= '9'))
            return NOT_A_NUMBER;
        while (*q >= '0' && *q <= '9')
            q++;
    }
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!(*q >= '0' && *q <= '9'))
            return NOT_A_NUMBER;
        while (*q >= '0' && *q <= '9')
            q++;
    }
    char *end;
    float x = strtof(s, &end);
    /* end != q only under a locale whose decimal point is not '.'. */
    if (end != q)
        return NOT_A_NUMBER;
    if (!isfinite(x))
        return NOT_FINITE;
    *out = x;
    *p = q;
    return NUMBER_OK;
}

/* Reports a vec_f32 error at byte offset `at` of the text (1-based in the message). */
static void f32_error(sqlite3_context *ctx, const char *what, long long at) {
    char *msg = sqlite3_mprintf("vec_f32: %s at character %lld", what, at + 1);
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
}

/* vec_f32(text): a JSON array of 1 to VEC_MAX_DIM numbers -> a vector blob.
 * Everything past the closing ']' but whitespace is an error, and so is a
 * NUL byte inside the text. */
static void fn_f32(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT)
        return sqlite3_result_error(ctx, "vec_f32: argument must be a JSON array of numbers, as text", -1);
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    if (!text)
        return sqlite3_result_error_nomem(ctx);
    const char *end = text + sqlite3_value_bytes(argv[0]), *p = text;
    while (json_space(*p))
        p++;
    if (*p++ != '[')
        return sqlite3_result_error(ctx, "vec_f32: expected '[' to start a JSON array", -1);
    size_t n = 0, cap = 0;
    float *v = NULL;
    while (json_space(*p))
        p++;
    if (*p != ']') {
        for (;;) {
            while (json_space(*p))
                p++;
            float x;
            int rc = json_number(&p, &x);
            if (rc != NUMBER_OK) {
                sqlite3_free(v);
                return f32_error(ctx,
                                 rc == NOT_FINITE ? "a number is not finite as float32 (beyond 3.4e38)"
                                                  : "expected a number (JSON: decimal digits, no hex, nan or inf)",
                                 p - text);
            }
            if (n == cap) {
                if (n == VEC_MAX_DIM) {
                    sqlite3_free(v);
                    return too_many_values(ctx, "vec_f32", "its array");
                }
                size_t grown = cap ? 2 * cap : 16;
                if (grown > VEC_MAX_DIM)
                    grown = VEC_MAX_DIM;
                float *w = sqlite3_realloc64(v, (sqlite3_uint64)grown * sizeof *w);
                if (!w) {
                    sqlite3_free(v);
                    return sqlite3_result_error_nomem(ctx);
                }
                v = w;
                cap = grown;
            }
            v[n++] = x;
            while (json_space(*p))
                p++;
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == ']')
                break;
            sqlite3_free(v);
            return f32_error(ctx, "expected ',' or ']'", p - text);
        }
    }
    for (p++; json_space(*p);)
        p++;
    if (p != end) {
        sqlite3_free(v);
        return f32_error(ctx, "unexpected text after the array", p - text);
    }
    if (n == 0)
        return sqlite3_result_error(ctx, "vec_f32: an empty array is not a vector", -1);
    sqlite3_int64 bytes = (sqlite3_int64)n * 4,
                  limit = sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1);
    if (bytes > limit) {
        sqlite3_free(v);
        char *msg = sqlite3_mprintf("vec_f32: %lld values make %lld bytes, over this connection's length limit (%lld)",
                                    (long long)n, (long long)bytes, (long long)limit);
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
        return;
    }
    sqlite3_result_blob64(ctx, v, (sqlite3_uint64)bytes, sqlite3_free);
}

int ext_vec_functions(sqlite3 *db) {
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {{"vec_dot", 2, fn_dot},
               {"vec_cosine", 2, fn_cosine},
               {"vec_norm", 1, fn_norm},
               {"vec_json", 1, fn_json},
               {"vec_f32", 1, fn_f32}};
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        int rc =
            sqlite3_create_function(db, fns[i].name, fns[i].nargs,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fns[i].fn, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}
