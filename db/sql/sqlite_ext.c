/* db/sql/sqlite_ext.c: the loadable SQLite extension, build/embedlab_sqlite.so.
 *
 *   nearest(NAME, WORD_OR_BLOB, K [, MODE])
 *                                    table-valued: the K words most
 *                                    cosine-similar, best first, columns
 *                                    word, similarity (a query word itself
 *                                    is excluded; with a subword embedding,
 *                                    a word not in the vocabulary gets the
 *                                    mean of its character n-grams' rows).
 *                                    MODE 'auto' (the default) searches the
 *                                    embedding's nearest-word index when it
 *                                    has one (db/index/ann_store.h), 'exact'
 *                                    scans every vector
 *   vec_dot(a, b), vec_cosine(a, b), vec_norm(a), vec_json(a)
 *   vec_f32(json)                    '[1, 2.5, ...]' -> a vector blob
 *
 * A vector blob is dim float32 values, little-endian, 4*dim bytes, with dim
 * from 1 to VEC_MAX_DIM (2^24), in arguments and in the database alike.
 * vec_f32 takes strict JSON: decimal numbers finite as float32, nothing after
 * the ']'. Every argument, and every size read from the database, is checked
 * and a bad one is an SQL error, never a crash. Names and words are compared
 * by all their bytes.
 *
 * nearest() keeps the last embedding it searched, as unit vectors in one
 * matrix, per connection (with its n-gram rows, for a subword embedding):
 * the first query loads it (about 50 ms for 100k x 128), later ones only
 * scan. An embedding with an index loads its index image and its unit
 * vectors with a few large blob reads instead (no row per word; its words
 * are looked up by rank for the rows returned). A damaged or stale index is
 * an SQL error in 'auto' mode, naming the fix (`embedlab embed index NAME`,
 * or MODE 'exact', which then reads the rows as without an index). The cache is dropped when the embedding's id
 * changes (ids are never reused: AUTOINCREMENT) or when the database has
 * been written since (PRAGMA data_version, total_changes). Each cursor copies
 * the rows it returns, so two nearest() in one query (a join, a subquery)
 * over two embeddings each return their own words.
 *
 * A query author shares the connection, and a lab.db may come from anyone:
 * every statement here names main., and main.embeddings, main.vectors and
 * main.ngrams must be tables, so no TEMP view or stored view runs its SQL
 * inside nearest(); a nearest() that host code reached from these
 * statements would start while another fills the cache, and is refused.
 * A text query is at most TOK_MAX_QUERY_BYTES. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vecmath.h"
#include "db/emb_rows.h"
#include "db/index/ann_store.h"
#include "embed/subword.h"
#include "embed/text/textio.h"
#include "embed/text/tok_norm.h"

/* The most values a vector may have, in any function here and in an
 * embedding: 2^24 (a 64 MiB blob). Checking it before sizes are multiplied
 * keeps every byte count below 2^26, far from int overflow. */
#define VEC_MAX_DIM (1 << 24)

/* ---- scalar functions ---- */

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

/* ---- nearest(): an eponymous table-valued function ---- */

/* The embedding nearest() last loaded on a connection. A cursor reads it
 * only inside its xFilter, start to end in one call, and copies out the rows
 * it returns (cursor_keep): so another nearest() in the same statement may
 * load another embedding over it without pulling anything from under a
 * cursor. */
typedef struct {
    sqlite3 *db;
    sqlite3_int64 id; /* embedding id, 0 when empty */
    int dim;
    int n;
    float *unit; /* n x dim, unit rows */
    /* The words, each ending in NUL, one after another: word i is the
     * bytes text[start[i] .. start[i + 1] - 1) (a word may hold NUL bytes). */
    char *text;
    sqlite3_int64 *start; /* n + 1 */
    sqlite3_int64 text_cap;
    int data_version, total_changes;
    /* A subword embedding's setting and n-gram rows (embed/subword.h);
     * minn 0 without. The rows are kept as stored, not unit length: an
     * unseen word's vector is their mean. */
    int minn, maxn;
    sqlite3_int64 buckets, nngrams;
    uint32_t *ngram_bucket; /* [nngrams] strictly ascending, below buckets */
    float *ngram_vec;       /* [nngrams x dim] */
    /* With an index (indexed 1): unit (free()) came from vector_chunks,
     * ann reads ann_image in place, and text/start are NULL: words are
     * looked up by rank. Without (indexed 0), index_err says why when the
     * index was there but damaged or stale (NULL when there is none). */
    int indexed;
    AnnIndex ann;
    uint8_t *ann_image;
    char *index_err;
    /* 1 while a nearest() runs its statements (nearest_filter): another
     * one then, from host code they reach (a collation, an application
     * function in a generated column), is refused. */
    int busy;
} Cache;

static void cache_clear(Cache *c) {
    if (c->indexed)
        free(c->unit);
    else
        sqlite3_free(c->unit);
    free(c->ann_image);
    sqlite3_free(c->index_err);
    c->ann_image = NULL;
    c->index_err = NULL;
    c->indexed = 0;
    memset(&c->ann, 0, sizeof c->ann);
    sqlite3_free(c->text);
    sqlite3_free(c->start);
    sqlite3_free(c->ngram_bucket);
    sqlite3_free(c->ngram_vec);
    c->ngram_bucket = NULL;
    c->ngram_vec = NULL;
    c->minn = c->maxn = 0;
    c->buckets = c->nngrams = 0;
    c->unit = NULL;
    c->text = NULL;
    c->start = NULL;
    c->text_cap = 0;
    c->n = 0;
    c->id = 0;
}

/* Word i of the cache, and its length in bytes. */
static const char *cache_word(const Cache *c, int i, int *len) {
    *len = (int)(c->start[i + 1] - c->start[i] - 1);
    return c->text + c->start[i];
}

/* Appends word[0..len) and a NUL to the cache's text as word c->n. */
static int cache_add_word(Cache *c, const char *word, int len) {
    sqlite3_int64 used = c->start[c->n];
    if (used + len + 1 > c->text_cap) {
        sqlite3_int64 cap = 2 * c->text_cap > used + len + 1 ? 2 * c->text_cap : used + len + 1;
        char *t = sqlite3_realloc64(c->text, (sqlite3_uint64)cap);
        if (!t)
            return SQLITE_NOMEM;
        c->text = t;
        c->text_cap = cap;
    }
    if (len > 0)
        memcpy(c->text + used, word, (size_t)len);
    c->text[used + len] = 0;
    c->start[c->n + 1] = used + len + 1;
    return SQLITE_OK;
}

static int data_version(sqlite3 *db) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA main.data_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* 1 when main.`table` is an ordinary table: a view of that name in a
 * hostile database would run its own SQL (a recursive query, another
 * nearest()) inside nearest() and answer for the table, and a virtual
 * table its module's code. */
static int is_table(sqlite3 *db, const char *table) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM main.sqlite_master WHERE name = ? AND type = 'table' AND "
                           "sql NOT LIKE 'CREATE VIRTUAL%'",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    return ok;
}

/* Finds embedding `name` (name_len bytes): its id and its dim, checked to be
 * 1..VEC_MAX_DIM before anything is sized by it. SQLITE_OK, or an error with
 * *err set. */
static int embedding_find(sqlite3 *db, const char *name, int name_len, sqlite3_int64 *id, int *dim, char **err) {
    sqlite3_stmt *st;
    if (!is_table(db, "embeddings") || !is_table(db, "vectors") ||
        sqlite3_prepare_v2(db, "SELECT id, dim FROM main.embeddings WHERE name = ?", -1, &st, NULL) != SQLITE_OK) {
        *err = sqlite3_mprintf(
            "nearest: this database has no embeddings and vectors tables (is it an embedlab lab database?)");
        return SQLITE_ERROR;
    }
    sqlite3_bind_text(st, 1, name, name_len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        *err = rc == SQLITE_DONE ? sqlite3_mprintf("nearest: no embedding named '%s'", name)
                                 : sqlite3_mprintf("nearest: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return SQLITE_ERROR;
    }
    *id = sqlite3_column_int64(st, 0);
    sqlite3_int64 d = sqlite3_column_int64(st, 1);
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
        *err = sqlite3_mprintf("nearest: embedding '%s' has dim '%s'; expected a whole number from 1 to %d", name,
                               sqlite3_column_text(st, 1), VEC_MAX_DIM);
    else if (d < 1 || d > VEC_MAX_DIM)
        *err = sqlite3_mprintf("nearest: embedding '%s' has dim %lld; expected 1 to %d", name, d, VEC_MAX_DIM);
    sqlite3_finalize(st);
    if (*err)
        return SQLITE_ERROR;
    *dim = (int)d;
    return SQLITE_OK;
}

/* How many vectors embedding id has, checked to fit an int32 row index
 * (vec_topk's); -1 with *err set on error. */
static sqlite3_int64 vector_count(sqlite3 *db, sqlite3_int64 id, const char *name, char **err) {
    sqlite3_stmt *st;
    sqlite3_int64 count = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM main.vectors WHERE embedding_id = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            count = sqlite3_column_int64(st, 0);
    }
    if (count < 0)
        *err = sqlite3_mprintf("nearest: %s", sqlite3_errmsg(db));
    else if (count > INT32_MAX) {
        *err = sqlite3_mprintf("nearest: embedding '%s' has %lld vectors; at most %d can be searched", name, count,
                               INT32_MAX);
        count = -1;
    }
    sqlite3_finalize(st);
    return count;
}

/* Reads the subword setting of embedding id from its params JSON into the
 * cache (emb_rows_setting: minn stays 0 when there is none, or no params
 * column: a table made by hand). SQLITE_OK, or an error with *err set. */
static int subword_setting(Cache *c, sqlite3_int64 id, const char *name, char **err) {
    char msg[512];
    int minn = 0, maxn = 0;
    int64_t buckets = 0;
    if (emb_rows_setting(c->db, id, name, &minn, &maxn, &buckets, msg, sizeof msg) < 0) {
        *err = sqlite3_mprintf("nearest: %s", msg);
        return SQLITE_ERROR;
    }
    c->minn = minn;
    c->maxn = maxn;
    c->buckets = buckets;
    return SQLITE_OK;
}

/* Loads the n-gram rows of a subword embedding into the cache (whose dim is
 * set), read and checked by emb_rows_ngram_count and emb_rows_ngrams.
 * SQLITE_OK, or an error (with *err set unless SQLITE_NOMEM). */
static int cache_load_ngrams(Cache *c, sqlite3_int64 id, const char *name, char **err) {
    if (!is_table(c->db, "ngrams")) {
        *err = sqlite3_mprintf("nearest: embedding '%s' has subwords but the database has no n-gram rows", name);
        return SQLITE_ERROR;
    }
    char msg[512];
    sqlite3_int64 count = emb_rows_ngram_count(c->db, id, name, c->buckets, msg, sizeof msg);
    if (count < 0) {
        *err = sqlite3_mprintf("nearest: %s", msg);
        return SQLITE_ERROR;
    }
    /* count <= buckets < 2^31 and dim <= 2^24: the byte counts fit 64 bits easily. */
    int dim = c->dim;
    c->ngram_bucket = sqlite3_malloc64((sqlite3_uint64)(count + 1) * sizeof *c->ngram_bucket);
    c->ngram_vec = sqlite3_malloc64(((sqlite3_uint64)count * (sqlite3_uint64)dim + 1) * sizeof *c->ngram_vec);
    if (!c->ngram_bucket || !c->ngram_vec)
        return SQLITE_NOMEM;
    if (emb_rows_ngrams(c->db, id, name, dim, c->buckets, count, c->ngram_bucket, c->ngram_vec, msg, sizeof msg) != 0) {
        *err = sqlite3_mprintf("nearest: %s", msg);
        return SQLITE_ERROR;
    }
    c->nngrams = count;
    return SQLITE_OK;
}

/* emb_rows_vectors' row: the unit vector and the word into the Cache ctx. */
static int cache_row(void *ctx, const char *word, int len, const void *vec, int64_t count) {
    (void)count;
    Cache *c = ctx;
    float *row = c->unit + (size_t)c->n * c->dim;
    memcpy(row, vec, (size_t)c->dim * 4);
    vec_normalize_f32(row, c->dim);
    if (cache_add_word(c, word, len) != SQLITE_OK)
        return -1;
    c->n++;
    return 0;
}

/* Reads the rows of embedding id (dim checked) into the empty cache, one
 * row per word (emb_rows_vectors): the unit vectors and the words.
 * SQLITE_OK, or an error (with *err set unless SQLITE_NOMEM); the caller
 * clears the cache then. */
static int cache_load_rows(Cache *c, sqlite3_int64 id, int dim, const char *name, char **err) {
    sqlite3_int64 count = vector_count(c->db, id, name, err);
    if (count < 0)
        return SQLITE_ERROR;
    /* count < 2^31 and dim <= 2^24: the byte count fits 64 bits easily. */
    c->unit = sqlite3_malloc64(count ? (sqlite3_uint64)count * (sqlite3_uint64)dim * sizeof *c->unit : 1);
    c->start = sqlite3_malloc64((sqlite3_uint64)(count + 1) * sizeof *c->start);
    if (!c->unit || !c->start)
        return SQLITE_NOMEM;
    c->start[0] = 0;
    char msg[512];
    if (emb_rows_vectors(c->db, id, name, dim, 0, count, cache_row, c, msg, sizeof msg) != 0) {
        if (!msg[0])
            return SQLITE_NOMEM;
        *err = sqlite3_mprintf("nearest: %s", msg);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

/* The highest rank of embedding id's vectors (0 for none; -1 on error):
 * one step down the vectors_by_rank index. */
static sqlite3_int64 max_rank(sqlite3 *db, sqlite3_int64 id) {
    sqlite3_stmt *st;
    sqlite3_int64 r = -1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(rank), 0) FROM main.vectors WHERE embedding_id = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            r = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return r;
}

/* Loads the stored index of embedding id (dim checked) and its unit
 * vectors into the empty cache with blob reads (db/index/ann_store.h): 1 when
 * loaded; 0 when there is none, or it is damaged or stale (then
 * c->index_err says why); -1 out of memory. Its rows must be the
 * embedding's ranks 1..n, since words are then looked up by rank. */
static int cache_load_index(Cache *c, sqlite3_int64 id, int dim) {
    char err[512];
    size_t len;
    int rc = ann_store_load_index(c->db, id, &c->ann_image, &len, &c->ann, err, sizeof err);
    sqlite3_int64 ranks = rc == ANN_OK ? max_rank(c->db, id) : 0;
    if (rc == ANN_OK && (c->ann.d != dim || ranks != c->ann.n)) {
        snprintf(err, sizeof err,
                 "the index was built for %d x %d vectors, the embedding has %lld x %d (stale: rebuild it)", c->ann.n,
                 c->ann.d, ranks, dim);
        rc = ANN_ESTALE;
    }
    float *unit = NULL;
    if (rc == ANN_OK)
        rc = ann_store_load_vectors(c->db, id, &c->ann, &unit, err, sizeof err);
    if (rc == ANN_OK) {
        c->indexed = 1;
        c->unit = unit;
        c->n = c->ann.n;
        return 1;
    }
    free(c->ann_image);
    c->ann_image = NULL;
    memset(&c->ann, 0, sizeof c->ann);
    if (rc == ANN_ENOMEM)
        return -1;
    if (rc != ANN_EMISSING && !(c->index_err = sqlite3_mprintf("%s", err)))
        return -1;
    return 0;
}

/* The error of an 'auto' search over an embedding whose index is unusable. */
static char *index_error(const Cache *c, const char *name) {
    return sqlite3_mprintf("nearest: the index of '%s' cannot be used: %s. Rebuild it with 'embedlab embed index %s', "
                           "or search exactly with nearest('%s', WORD, K, 'exact')",
                           name, c->index_err, name, name);
}

/* Makes the cache hold embedding `name` (name_len bytes): from its index
 * when it has one, else (or, with exact, when the index is unusable) row
 * by row. On error sets *err (or returns SQLITE_NOMEM) and leaves the
 * cache empty; an unusable index is an error unless exact. */
static int cache_load(Cache *c, const char *name, int name_len, int exact, char **err) {
    sqlite3_int64 id;
    int dim;
    if (embedding_find(c->db, name, name_len, &id, &dim, err) != SQLITE_OK)
        return SQLITE_ERROR;
    int dv = data_version(c->db), tc = sqlite3_total_changes(c->db);
    if (c->id == id && c->data_version == dv && c->total_changes == tc) {
        if (!exact && c->index_err) {
            *err = index_error(c, name);
            return SQLITE_ERROR;
        }
        return SQLITE_OK;
    }
    cache_clear(c);
    c->dim = dim;
    int got = cache_load_index(c, id, dim), rc = SQLITE_OK;
    if (got < 0)
        rc = SQLITE_NOMEM;
    else if (got == 0 && c->index_err && !exact) {
        *err = index_error(c, name);
        rc = SQLITE_ERROR;
    } else if (got == 0)
        rc = cache_load_rows(c, id, dim, name, err);
    if (rc == SQLITE_OK)
        rc = subword_setting(c, id, name, err);
    if (rc == SQLITE_OK && c->minn > 0)
        rc = cache_load_ngrams(c, id, name, err);
    if (rc != SQLITE_OK) {
        cache_clear(c);
        return rc;
    }
    c->id = id;
    c->data_version = dv;
    c->total_changes = sqlite3_total_changes(c->db);
    return SQLITE_OK;
}

/* 1 if cache row r is the word word[0..len). */
static int cache_word_is(const Cache *cache, sqlite3_int64 r, const char *word, int len) {
    int rlen;
    const char *w = cache_word(cache, (int)r, &rlen);
    return rlen == len && memcmp(w, word, (size_t)len) == 0;
}

/* The cache row of word[0..len), or -1. Rows are cached in rank order, so
 * rank r is row r - 1; tables made by hand may lack ranks, and then the
 * word is found by name. An indexed cache has no words: its rows are the
 * ranks 1..n (cache_load_index checked), so the rank says the row. */
static int cache_find_word(const Cache *cache, const char *word, int len) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cache->db, "SELECT rank FROM main.vectors WHERE embedding_id = ? AND word = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, cache->id);
    sqlite3_bind_text(st, 2, word, len, SQLITE_TRANSIENT);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_int64 rank = found ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (!found)
        return -1;
    if (cache->indexed)
        return rank >= 1 && rank <= cache->n ? (int)(rank - 1) : -1;
    if (rank >= 1 && rank <= cache->n && cache_word_is(cache, rank - 1, word, len))
        return (int)(rank - 1);
    for (int r = 0; r < cache->n; r++)
        if (cache_word_is(cache, r, word, len))
            return r;
    return -1;
}

enum { COL_WORD, COL_SIMILARITY, COL_NAME, COL_QUERY, COL_K, COL_MODE };

typedef struct {
    sqlite3_vtab base;
    Cache *cache;
} NearestTab;

typedef struct {
    const char *word; /* len bytes in the cursor's text */
    int len;
    double similarity;
} Hit;

typedef struct {
    sqlite3_vtab_cursor base;
    Hit *hits;  /* nhits, best first: the cursor's own copy */
    char *text; /* the hits' words, each ending in NUL */
    int nhits, pos;
} NearestCursor;

static void cursor_reset(NearestCursor *c) {
    sqlite3_free(c->hits);
    sqlite3_free(c->text);
    c->hits = NULL;
    c->text = NULL;
    c->nhits = c->pos = 0;
}

/* Sets the cursor's table's error message to msg (sqlite3_mprintf'd). */
static int cursor_error(NearestCursor *c, char *msg) {
    sqlite3_free(c->base.pVtab->zErrMsg);
    c->base.pVtab->zErrMsg = msg;
    return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* cursor_keep for an indexed cache: each word looked up by its rank. A rank
 * that is gone (vectors deleted past the triggers that drop the index) is
 * an error that says so. */
static int cursor_keep_by_rank(NearestCursor *c, const Cache *cache, const char *name, const Scored *found, int count) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cache->db, "SELECT word FROM main.vectors WHERE embedding_id = ? AND rank = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return cursor_error(c, sqlite3_mprintf("nearest: %s", sqlite3_errmsg(cache->db)));
    sqlite3_str *text = sqlite3_str_new(NULL);
    sqlite3_int64 *at = sqlite3_malloc64((sqlite3_uint64)(count + 1) * sizeof *at);
    c->hits = sqlite3_malloc64((sqlite3_uint64)(count ? count : 1) * sizeof *c->hits);
    int rc = at && c->hits ? SQLITE_OK : SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        sqlite3_bind_int64(st, 1, cache->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)found[i].index + 1);
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = SQLITE_ERROR; /* the triggers drop the index before a rank can go: a lab altered past them */
        at[i] = sqlite3_str_length(text);
        const char *w = (const char *)sqlite3_column_text(st, 0);
        c->hits[i].len = rc == SQLITE_OK && w ? sqlite3_column_bytes(st, 0) : 0;
        if (c->hits[i].len)
            sqlite3_str_append(text, w, c->hits[i].len);
        sqlite3_str_appendchar(text, 1, 0);
        c->hits[i].similarity = found[i].score;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && sqlite3_str_errcode(text) != SQLITE_OK)
        rc = SQLITE_NOMEM;
    c->text = sqlite3_str_finish(text); /* NULL for no hits: nothing was appended */
    if (rc == SQLITE_OK && !c->text && count > 0)
        rc = SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < count; i++)
        c->hits[i].word = c->text + at[i];
    sqlite3_free(at);
    if (rc != SQLITE_OK) {
        cursor_reset(c);
        return rc == SQLITE_NOMEM ? rc
                                  : cursor_error(c, sqlite3_mprintf("nearest: a word the index of '%s' found is gone "
                                                                    "from its vectors (the index is stale). Rebuild "
                                                                    "it with 'embedlab embed index %s', or search "
                                                                    "exactly with nearest('%s', WORD, K, 'exact')",
                                                                    name, name, name));
    }
    c->nhits = count;
    return SQLITE_OK;
}

/* Copies the words and scores of found[0..count) out of the cache into the
 * cursor, which then needs the cache no more. */
static int cursor_keep(NearestCursor *c, const Cache *cache, const char *name, const Scored *found, int count) {
    if (cache->indexed)
        return cursor_keep_by_rank(c, cache, name, found, count);
    sqlite3_int64 bytes = 0;
    for (int i = 0; i < count; i++)
        bytes += cache->start[found[i].index + 1] - cache->start[found[i].index];
    c->hits = sqlite3_malloc64((sqlite3_uint64)(count ? count : 1) * sizeof *c->hits);
    c->text = sqlite3_malloc64((sqlite3_uint64)(bytes ? bytes : 1));
    if (!c->hits || !c->text) {
        cursor_reset(c);
        return SQLITE_NOMEM;
    }
    char *t = c->text;
    for (int i = 0; i < count; i++) {
        int len;
        const char *word = cache_word(cache, found[i].index, &len);
        memcpy(t, word, (size_t)len + 1);
        c->hits[i] = (Hit){t, len, found[i].score};
        t += len + 1;
    }
    c->nhits = count;
    return SQLITE_OK;
}

static int nearest_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
    (void)argc;
    (void)argv;
    (void)err;
    int rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(word TEXT, similarity REAL, name HIDDEN, query HIDDEN, k HIDDEN, mode HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    NearestTab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->cache = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int nearest_disconnect(sqlite3_vtab *v) {
    sqlite3_free(v);
    return SQLITE_OK;
}

/* The first three hidden columns must each be given once with '=', the
 * fourth (mode) may be; idxNum's bits say which were, and xFilter reports
 * what is missing. */
static int nearest_best_index(sqlite3_vtab *v, sqlite3_index_info *info) {
    (void)v;
    int slot[4] = {-1, -1, -1, -1};
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn < COL_NAME)
            continue;
        if (!c->usable)
            return SQLITE_CONSTRAINT;
        if (c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        slot[c->iColumn - COL_NAME] = i;
    }
    int mask = 0, arg = 1;
    for (int j = 0; j < 4; j++) {
        if (slot[j] < 0)
            continue;
        mask |= 1 << j;
        info->aConstraintUsage[slot[j]].argvIndex = arg++;
        info->aConstraintUsage[slot[j]].omit = 1;
    }
    info->idxNum = mask;
    info->estimatedCost = (mask & 7) == 7 ? 10 : 1e12;
    info->estimatedRows = 10;
    /* Rows come out best first. */
    if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == COL_SIMILARITY && info->aOrderBy[0].desc)
        info->orderByConsumed = 1;
    return SQLITE_OK;
}

static int nearest_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
    (void)v;
    NearestCursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int nearest_close(sqlite3_vtab_cursor *cur) {
    cursor_reset((NearestCursor *)cur);
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int vtab_error(sqlite3_vtab *v, char *msg) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = msg;
    return SQLITE_ERROR;
}

/* A query word not in the vocabulary as given: the form the embedding's
 * tokenizer kind gives it (embeddings.query_form, tok_query_word: `Movie` is
 * `movie`), for free(), its length in *len; the word itself in a database
 * whose embeddings table has no query_form (not a lab of schema 10 or
 * later). NULL with *msg (sqlite3_free) for a value that names no form (a
 * lab.db may come from anyone), NULL with *msg NULL when memory is out. */
static char *query_form(const Cache *cache, const char *name, const char *word, int *len, char **msg) {
    sqlite3_stmt *st;
    *msg = NULL;
    TokQueryForm form = TOK_QUERY_AS_GIVEN;
    if (sqlite3_prepare_v2(cache->db, "SELECT query_form FROM main.embeddings WHERE id = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, cache->id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            int type = sqlite3_column_type(st, 0); /* before the conversion to text */
            const char *f = (const char *)sqlite3_column_text(st, 0);
            int n = sqlite3_column_bytes(st, 0);
            if (type != SQLITE_TEXT || tok_query_form_parse(f, (size_t)n, &form) != 0) {
                char shown[64];
                textio_quote(f ? f : "NULL", f ? (size_t)n : 4, shown, sizeof shown);
                *msg = sqlite3_mprintf("nearest: embedding '%s' records query form '%s', which is none of "
                                       "'given', 'words' and 'unicode' (a damaged or foreign lab.db)",
                                       name, shown);
            }
        }
        sqlite3_finalize(st);
        if (*msg)
            return NULL;
    }
    size_t n;
    char *out = tok_query_word(form, word, (size_t)*len, &n);
    *len = n > INT_MAX ? INT_MAX : (int)n;
    return out;
}

/* The unit query vector of nearest(name, query, ...) for the embedding in
 * the cache, and in *exclude the row of a query word (-1 for a blob); NULL
 * after setting *rc (and the vtab's message). */
static float *nearest_query(sqlite3_vtab *vtab, const Cache *cache, const char *name, sqlite3_value *query,
                            int *exclude, int *rc) {
    int dim = cache->dim;
    *exclude = -1;
    *rc = SQLITE_ERROR;
    float *q = sqlite3_malloc64((sqlite3_uint64)dim * sizeof *q);
    if (!q) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    char *msg = NULL, *normal = NULL;
    if (sqlite3_value_type(query) == SQLITE_BLOB) {
        int bytes = sqlite3_value_bytes(query);
        if (bytes == dim * 4)
            memcpy(q, sqlite3_value_blob(query), (size_t)dim * 4);
        else
            msg = sqlite3_mprintf("nearest: the query vector has %d bytes but '%s' has %d dimensions (%d bytes)", bytes,
                                  name, dim, dim * 4);
    } else {
        const char *word = (const char *)sqlite3_value_text(query);
        int len = sqlite3_value_bytes(query);
        *exclude = word ? cache_find_word(cache, word, len) : -1;
        if (word && *exclude < 0 && !(word = normal = query_form(cache, name, word, &len, &msg))) {
            sqlite3_free(q);
            if (!msg) {
                *rc = SQLITE_NOMEM;
                return NULL;
            }
            vtab_error(vtab, msg);
            return NULL;
        }
        if (normal)
            *exclude = cache_find_word(cache, word, len);
        /* The word as an error shows it: a NUL inside no longer ends it, a
         * control byte adds no line, a long one is cut. */
        char shown[96];
        textio_quote(word ? word : "", word ? (size_t)len : 0, shown, sizeof shown);
        if (*exclude >= 0)
            memcpy(q, cache->unit + (size_t)*exclude * dim, (size_t)dim * 4);
        else if (cache->minn == 0 || !word)
            msg = sqlite3_mprintf("nearest: '%s' is not in embedding '%s'", shown, name);
        else {
            /* A word never seen in training: the mean of its n-grams' rows. */
            SubwordVectors sv = {.dim = dim,
                                 .minn = cache->minn,
                                 .maxn = cache->maxn,
                                 .buckets = (uint32_t)cache->buckets,
                                 .nrows = cache->nngrams,
                                 .row_bucket = cache->ngram_bucket,
                                 .rows = cache->ngram_vec};
            int64_t ngrams;
            if (subword_oov_vector(&sv, word, (size_t)len, q, &ngrams) == 0)
                msg = ngrams == 0 ? sqlite3_mprintf("nearest: '%s' is not in embedding '%s' and has no character "
                                                    "n-grams of %d to %d characters",
                                                    shown, name, cache->minn, cache->maxn)
                                  : sqlite3_mprintf("nearest: '%s' is not in embedding '%s' and none of its %lld "
                                                    "character n-grams was seen in training",
                                                    shown, name, (long long)ngrams);
        }
    }
    for (int i = 0; !msg && i < dim; i++)
        if (!isfinite(q[i]))
            msg = sqlite3_mprintf("nearest: the query vector holds a non-finite value");
    if (!msg && vec_normalize_f32(q, dim) == 0)
        msg = sqlite3_mprintf("nearest: a zero query vector has no direction");
    free(normal);
    if (msg) {
        sqlite3_free(q);
        vtab_error(vtab, msg);
        return NULL;
    }
    return q;
}

static int nearest_run(NearestCursor *c, Cache *cache, const char *name, int name_len, sqlite3_value *query,
                       sqlite3_int64 k, int exact);

static int nearest_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
    (void)idxStr;
    NearestCursor *c = (NearestCursor *)cur;
    NearestTab *t = (NearestTab *)cur->pVtab;
    cursor_reset(c);
    if ((idxNum & 7) != 7 || argc != (idxNum & 8 ? 4 : 3))
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest() takes three or four arguments: "
                                                      "nearest(EMBEDDING_NAME, WORD_OR_VECTOR_BLOB, K [, "
                                                      "'auto' | 'exact'])"));
    int exact = 0;
    if (argc == 4) {
        const char *mode =
            sqlite3_value_type(argv[3]) == SQLITE_TEXT ? (const char *)sqlite3_value_text(argv[3]) : NULL;
        if (!mode || (strcmp(mode, "auto") != 0 && strcmp(mode, "exact") != 0))
            return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: the mode must be 'auto' (the index when there is "
                                                          "one) or 'exact'"));
        exact = strcmp(mode, "exact") == 0;
    }
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: the embedding name must be text"));
    if (sqlite3_value_type(argv[2]) != SQLITE_INTEGER)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: K must be a whole number"));
    sqlite3_int64 k = sqlite3_value_int64(argv[2]);
    if (k <= 0 || k > 1000000)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: K must be from 1 to 1000000, got %lld", k));
    int qtype = sqlite3_value_type(argv[1]);
    if (qtype != SQLITE_TEXT && qtype != SQLITE_BLOB)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: the query must be a word (text) or a vector blob, got "
                                                      "%s",
                                                      qtype == SQLITE_NULL ? "NULL" : "a number"));
    if (qtype == SQLITE_TEXT && sqlite3_value_bytes(argv[1]) > TOK_MAX_QUERY_BYTES)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: the query word has %d bytes; at most %d are taken",
                                                      sqlite3_value_bytes(argv[1]), TOK_MAX_QUERY_BYTES));
    const char *name = (const char *)sqlite3_value_text(argv[0]);
    if (!name)
        return SQLITE_NOMEM;
    /* The statements below may reach host code (a collation, an
     * application function in a generated column): a nearest() from there
     * would clear the cache this call is filling or reading. */
    if (t->cache->busy)
        return vtab_error(cur->pVtab, sqlite3_mprintf("nearest: called while another nearest() on this connection "
                                                      "is reading the database (from a function or collation its "
                                                      "statements reach); a nested nearest() is refused"));
    t->cache->busy = 1;
    int rc = nearest_run(c, t->cache, name, sqlite3_value_bytes(argv[0]), argv[1], k, exact);
    t->cache->busy = 0;
    return rc;
}

/* nearest_filter's search, its arguments checked: loads the embedding into
 * the cache, finds the k best rows and copies them into the cursor. */
static int nearest_run(NearestCursor *c, Cache *cache, const char *name, int name_len, sqlite3_value *query,
                       sqlite3_int64 k, int exact) {
    sqlite3_vtab_cursor *cur = &c->base;
    char *err = NULL;
    int rc = cache_load(cache, name, name_len, exact, &err);
    if (rc != SQLITE_OK)
        return err ? vtab_error(cur->pVtab, err) : rc;
    int exclude;
    float *q = nearest_query(cur->pVtab, cache, name, query, &exclude, &rc);
    if (!q)
        return rc;
    if (k > cache->n)
        k = cache->n;
    Scored *found = sqlite3_malloc64((sqlite3_uint64)(k + 1) * sizeof *found);
    if (!found) {
        sqlite3_free(q);
        return SQLITE_NOMEM;
    }
    int32_t ex = exclude;
    int count = cache->indexed && !exact
                    ? ann_search(&cache->ann, cache->unit, q, (int)k, 0, 0, &ex, exclude >= 0, found)
                    : vec_topk(cache->unit, cache->n, cache->dim, q, (int)k, &ex, exclude >= 0, found);
    if (count < 0) {
        sqlite3_free(found);
        sqlite3_free(q);
        return SQLITE_NOMEM;
    }
    rc = cursor_keep(c, cache, name, found, count);
    sqlite3_free(found);
    sqlite3_free(q);
    return rc;
}

static int nearest_next(sqlite3_vtab_cursor *cur) {
    ((NearestCursor *)cur)->pos++;
    return SQLITE_OK;
}

static int nearest_eof(sqlite3_vtab_cursor *cur) {
    NearestCursor *c = (NearestCursor *)cur;
    return c->pos >= c->nhits;
}

static int nearest_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
    NearestCursor *c = (NearestCursor *)cur;
    const Hit *h = &c->hits[c->pos];
    if (col == COL_WORD)
        sqlite3_result_text(ctx, h->word, h->len, SQLITE_TRANSIENT);
    else if (col == COL_SIMILARITY)
        sqlite3_result_double(ctx, h->similarity);
    else
        sqlite3_result_null(ctx);
    return SQLITE_OK;
}

static int nearest_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
    *rowid = ((NearestCursor *)cur)->pos + 1;
    return SQLITE_OK;
}

static sqlite3_module nearest_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE */
    .xConnect = nearest_connect,
    .xBestIndex = nearest_best_index,
    .xDisconnect = nearest_disconnect,
    .xDestroy = nearest_disconnect,
    .xOpen = nearest_open,
    .xClose = nearest_close,
    .xFilter = nearest_filter,
    .xNext = nearest_next,
    .xEof = nearest_eof,
    .xColumn = nearest_column,
    .xRowid = nearest_rowid,
};

static void cache_destroy(void *p) {
    cache_clear(p);
    sqlite3_free(p);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
    int sqlite3_embedlabsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
    (void)err;
    (void)api; /* unused when compiled into a program with -DSQLITE_CORE */
    SQLITE_EXTENSION_INIT2(api);
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
    Cache *cache = sqlite3_malloc(sizeof *cache);
    if (!cache)
        return SQLITE_NOMEM;
    memset(cache, 0, sizeof *cache);
    cache->db = db;
    return sqlite3_create_module_v2(db, "nearest", &nearest_module, cache, cache_destroy);
}
