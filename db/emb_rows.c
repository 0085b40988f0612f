/* db/emb_rows.c: an embedding's rows read with every check (db/emb_rows.h),
 * the one reader of the library and the SQL extension. */
#include "db/emb_rows.h"

#ifdef EL_SQLITE_EXT
SQLITE_EXTENSION_INIT3
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "embed/subword.h"

/* Writes the message to err[errcap]; returns -1. */
static int fail(char *err, size_t errcap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (errcap > 0)
        vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
    return -1;
}

/* Prepares sql with id bound to ?1; -1 with the database's message. */
static int prepare_id(sqlite3 *db, const char *sql, int64_t id, sqlite3_stmt **st, char *err, size_t errcap) {
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return fail(err, errcap, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(*st, 1, id);
    return 0;
}

/* One row of emb_rows_vectors checked: 0, or -1 with err. */
static int check_vector(sqlite3_stmt *st, const char *word, const char *name, int dim, char *err, size_t errcap) {
    if (sqlite3_column_type(st, 1) != SQLITE_BLOB)
        return fail(err, errcap, "the vector of '%s' in '%s' is not a blob", word, name);
    if (sqlite3_column_bytes(st, 1) != dim * 4)
        return fail(err, errcap, "the vector of '%s' in '%s' has %d bytes, expected %d (dim %d)", word, name,
                    sqlite3_column_bytes(st, 1), dim * 4, dim);
    return 0;
}

int emb_rows_vectors(sqlite3 *db, int64_t id, const char *name, int dim, int counts, int64_t expect, EmbRowFn row,
                     void *ctx, char *err, size_t errcap) {
    sqlite3_stmt *st;
    if (errcap > 0)
        err[0] = 0;
    if (prepare_id(db,
                   counts ? "SELECT word, vec, count FROM main.vectors WHERE embedding_id = ?1 ORDER BY rank, word"
                          : "SELECT word, vec, 0 FROM main.vectors WHERE embedding_id = ?1 ORDER BY rank, word",
                   id, &st, err, errcap) != 0)
        return -1;
    int64_t n = 0;
    int rc, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *w = (const char *)sqlite3_column_text(st, 0);
        int len = w ? sqlite3_column_bytes(st, 0) : 0;
        const char *word = w ? w : ""; /* NULL text never reaches a %s */
        if (expect >= 0 && n == expect)
            bad = fail(err, errcap, "the vectors of '%s' changed while they were read", name);
        else if (check_vector(st, word, name, dim, err, errcap) != 0)
            bad = -1;
        else if (row(ctx, word, len, sqlite3_column_blob(st, 1), sqlite3_column_int64(st, 2)) != 0)
            bad = -1;
        n++;
    }
    if (!bad && rc != SQLITE_DONE)
        bad = fail(err, errcap, "database: %s", sqlite3_errmsg(db));
    else if (!bad && expect >= 0 && n != expect)
        bad = fail(err, errcap, "the vectors of '%s' changed while they were read", name);
    sqlite3_finalize(st);
    return bad;
}

int emb_rows_setting(sqlite3 *db, int64_t id, const char *name, int *minn, int *maxn, int64_t *buckets, char *err,
                     size_t errcap) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT json_type(params, '$.minn'), json_type(params, '$.maxn'), "
                           "json_type(params, '$.buckets'), json_extract(params, '$.minn'), "
                           "json_extract(params, '$.maxn'), json_extract(params, '$.buckets') "
                           "FROM main.embeddings WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0; /* no params column: a table made by hand, without subwords */
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), given = 0, whole = 0;
    sqlite3_int64 v[3] = {0, 0, 0};
    if (rc == SQLITE_ROW)
        for (int i = 0; i < 3; i++) {
            const char *type = (const char *)sqlite3_column_text(st, i);
            given += type != NULL;
            whole += type && strcmp(type, "integer") == 0;
            v[i] = sqlite3_column_int64(st, 3 + i);
        }
    else
        fail(err, errcap, "embedding '%s': %s", name, rc == SQLITE_DONE ? "gone while read" : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return -1;
    if (given == 0)
        return 0;
    if (whole != 3)
        return fail(err, errcap, "embedding '%s' gives minn, maxn and buckets only in part, or not as whole numbers",
                    name);
    /* From the file: checked as 64-bit values before they are taken as ints. */
    if (!subword_setting_ok(v[0], v[1], v[2]))
        return fail(err, errcap,
                    "embedding '%s' has subwords %lld-%lld in %lld buckets; expected 1 <= MIN <= MAX <= %d and 1 "
                    "to %d buckets",
                    name, (long long)v[0], (long long)v[1], (long long)v[2], SUBWORD_MAX_N, INT32_MAX);
    *minn = (int)v[0];
    *maxn = (int)v[1];
    *buckets = v[2];
    return 1;
}

int64_t emb_rows_ngram_count(sqlite3 *db, int64_t id, const char *name, int64_t buckets, char *err, size_t errcap) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM main.ngrams WHERE embedding_id = ?", -1, &st, NULL) != SQLITE_OK)
        return fail(err, errcap, "embedding '%s': the database has no n-gram rows (%s)", name, sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, id);
    int64_t count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (count < 0)
        return fail(err, errcap, "database: %s", sqlite3_errmsg(db));
    if (buckets >= 0 && count > buckets)
        return fail(err, errcap, "embedding '%s' has %lld n-gram rows for %lld buckets", name, (long long)count,
                    (long long)buckets);
    return count;
}

/* One n-gram row checked, bucket[0..r) read before it: 0, or -1 with err. */
static int check_ngram(sqlite3_stmt *st, int64_t r, const uint32_t *bucket, const char *name, int dim, int64_t buckets,
                       int64_t count, char *err, size_t errcap) {
    int64_t b = sqlite3_column_int64(st, 0);
    if (r == count)
        return fail(err, errcap, "the n-gram rows of '%s' changed while they were read", name);
    if (sqlite3_column_type(st, 0) != SQLITE_INTEGER)
        return fail(err, errcap, "n-gram row %lld of '%s' has a bucket that is not a whole number", (long long)r, name);
    if (b < 0 || b >= buckets || (r > 0 && b <= bucket[r - 1]))
        return fail(err, errcap,
                    "n-gram row %lld of '%s' has bucket %lld; buckets must be ascending, distinct and from 0 to "
                    "%lld",
                    (long long)r, name, (long long)b, (long long)buckets - 1);
    if (sqlite3_column_type(st, 1) != SQLITE_BLOB || sqlite3_column_bytes(st, 1) != dim * 4)
        return fail(err, errcap, "the vector of n-gram bucket %lld in '%s' has %d bytes, expected %d (dim %d)",
                    (long long)b, name, sqlite3_column_bytes(st, 1), dim * 4, dim);
    return 0;
}

int emb_rows_ngrams(sqlite3 *db, int64_t id, const char *name, int dim, int64_t buckets, int64_t count,
                    uint32_t *bucket, float *vec, char *err, size_t errcap) {
    sqlite3_stmt *st;
    if (prepare_id(db, "SELECT bucket, vec FROM main.ngrams WHERE embedding_id = ?1 ORDER BY bucket", id, &st, err,
                   errcap) != 0)
        return -1;
    int64_t r = 0;
    int rc, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (check_ngram(st, r, bucket, name, dim, buckets, count, err, errcap) != 0) {
            bad = -1;
            break;
        }
        bucket[r] = (uint32_t)sqlite3_column_int64(st, 0);
        memcpy(vec + (size_t)r * dim, sqlite3_column_blob(st, 1), (size_t)dim * 4);
        r++;
    }
    if (!bad && rc != SQLITE_DONE)
        bad = fail(err, errcap, "database: %s", sqlite3_errmsg(db));
    else if (!bad && r != count)
        bad = fail(err, errcap, "the n-gram rows of '%s' changed while they were read", name);
    sqlite3_finalize(st);
    return bad;
}
