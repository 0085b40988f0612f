/* db/sql/nearest_cache.c: the embedding SQL nearest() keeps per connection
 * (db/sql/nearest_cache.h). Sizes read from the database are checked before
 * anything is sized by them; the rows' own checks are db/emb_rows.c's. */
#include "db/sql/nearest_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vecmath.h"
#include "db/emb_rows.h"
#include "db/index/ann_store.h"

void cache_clear(Cache *c) {
    if (c->indexed)
        free(c->unit);
    else
        sqlite3_free(c->unit);
    free(c->ann_image);
    sqlite3_free(c->index_err);
    c->ann_image = NULL;
    c->index_err = NULL;
    c->indexed = 0;
    c->loaded = 0;
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

const char *cache_word(const Cache *c, int i, int *len) {
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

/* The SQL of the kept statements (CacheStmt). */
static const char *const stmt_sql[CST_COUNT] = {
    [CST_IS_TABLE] = ("SELECT count(*) FROM main.sqlite_master WHERE name = ? AND type = 'table' AND "
                      "sql NOT LIKE 'CREATE VIRTUAL%'"),
    [CST_EMBEDDING] = "SELECT id, dim FROM main.embeddings WHERE name = ?",
    [CST_DATA_VERSION] = "PRAGMA main.data_version",
    [CST_SCHEMA_VERSION] = "PRAGMA main.schema_version",
    [CST_WORD_RANK] = "SELECT rank FROM main.vectors WHERE embedding_id = ? AND word = ?",
    [CST_QUERY_FORM] = "SELECT query_form FROM main.embeddings WHERE id = ?",
    [CST_RANK_WORD] = "SELECT word FROM main.vectors WHERE embedding_id = ? AND rank = ?",
};

/* SQLITE_PREPARE_PERSISTENT: kept for the connection's life, so SQLite
 * allocates it outside its lookaside memory. */
sqlite3_stmt *cache_stmt(Cache *c, CacheStmt which) {
    sqlite3_stmt **st = &c->stmts[which];
    if (*st)
        sqlite3_reset(*st);
    else if (sqlite3_prepare_v3(c->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
    }
    return *st;
}

void cache_stmt_done(sqlite3_stmt *st) {
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

void cache_stmts_finalize(Cache *c) {
    for (int i = 0; i < CST_COUNT; i++) {
        sqlite3_finalize(c->stmts[i]);
        c->stmts[i] = NULL;
    }
}

/* The value of PRAGMA statement `which` (CST_DATA_VERSION,
 * CST_SCHEMA_VERSION), or -1. */
static int pragma_int(Cache *c, CacheStmt which) {
    sqlite3_stmt *st = cache_stmt(c, which);
    int v = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    cache_stmt_done(st);
    return v;
}

/* 1 when main.`table` is an ordinary table: a view of that name in a
 * hostile database would run its own SQL (a recursive query, another
 * nearest()) inside nearest() and answer for the table, and a virtual
 * table its module's code. */
static int is_table(Cache *c, const char *table) {
    sqlite3_stmt *st = cache_stmt(c, CST_IS_TABLE);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    cache_stmt_done(st);
    return ok;
}

/* Finds embedding `name` (name_len bytes): its id and its dim, checked to be
 * 1..VEC_MAX_DIM before anything is sized by it. SQLITE_OK, or an error with
 * *err set. */
static int embedding_find(Cache *c, const char *name, int name_len, sqlite3_int64 *id, int *dim, char **err) {
    sqlite3_stmt *st;
    if (!is_table(c, "embeddings") || !is_table(c, "vectors") || !(st = cache_stmt(c, CST_EMBEDDING))) {
        *err = sqlite3_mprintf(
            "nearest: this database has no embeddings and vectors tables (is it an embedlab lab database?)");
        return SQLITE_ERROR;
    }
    sqlite3_bind_text(st, 1, name, name_len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        *err = rc == SQLITE_DONE ? sqlite3_mprintf("nearest: no embedding named '%s'", name)
                                 : sqlite3_mprintf("nearest: %s", sqlite3_errmsg(c->db));
        cache_stmt_done(st);
        return SQLITE_ERROR;
    }
    *id = sqlite3_column_int64(st, 0);
    sqlite3_int64 d = sqlite3_column_int64(st, 1);
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
        *err = sqlite3_mprintf("nearest: embedding '%s' has dim '%s'; expected a whole number from 1 to %d", name,
                               sqlite3_column_text(st, 1), VEC_MAX_DIM);
    else if (d < 1 || d > VEC_MAX_DIM)
        *err = sqlite3_mprintf("nearest: embedding '%s' has dim %lld; expected 1 to %d", name, d, VEC_MAX_DIM);
    cache_stmt_done(st);
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
    if (!is_table(c, "ngrams")) {
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
/* An unusable index is said by the query (db/index/nearest.h, NEAREST_INDEX_UNUSABLE)
 * before it looks at the word: so an 'auto' query reads no rows for it, and
 * an 'exact' one later reads them then. */
int cache_load(Cache *c, const char *name, int name_len, int exact, char **err) {
    sqlite3_int64 id;
    int dim;
    if (embedding_find(c, name, name_len, &id, &dim, err) != SQLITE_OK)
        return SQLITE_ERROR;
    int dv = pragma_int(c, CST_DATA_VERSION), sv = pragma_int(c, CST_SCHEMA_VERSION), tc = sqlite3_total_changes(c->db);
    /* A rollback moves neither data_version nor total_changes back, so rows
     * read inside a write transaction are kept only while it is open: once
     * it has ended (committed or rolled back) they are read again. */
    int writing = sqlite3_txn_state(c->db, "main") == SQLITE_TXN_WRITE;
    if (c->id == id && c->data_version == dv && c->schema_version == sv && c->total_changes == tc &&
        (c->loaded || !exact) && (!c->in_write || writing))
        return SQLITE_OK;
    cache_clear(c);
    c->dim = dim;
    int got = cache_load_index(c, id, dim), rc = SQLITE_OK;
    if (got < 0)
        rc = SQLITE_NOMEM;
    else if (got == 0 && c->index_err && !exact)
        ; /* the rows are not needed: the query says the index cannot be used */
    else {
        if (got == 0)
            rc = cache_load_rows(c, id, dim, name, err);
        if (rc == SQLITE_OK)
            rc = subword_setting(c, id, name, err);
        if (rc == SQLITE_OK && c->minn > 0)
            rc = cache_load_ngrams(c, id, name, err);
        c->loaded = rc == SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        cache_clear(c);
        return rc;
    }
    c->id = id;
    c->data_version = dv;
    c->schema_version = sv;
    c->total_changes = sqlite3_total_changes(c->db);
    c->in_write = writing;
    return SQLITE_OK;
}

/* 1 if cache row r is the word word[0..len). */
static int cache_word_is(const Cache *cache, sqlite3_int64 r, const char *word, int len) {
    int rlen;
    const char *w = cache_word(cache, (int)r, &rlen);
    return rlen == len && memcmp(w, word, (size_t)len) == 0;
}

/* Rows are cached in rank order, so rank r is row r - 1; tables made by hand
 * may lack ranks, and then the word is found by name. An indexed cache has
 * no words: its rows are the ranks 1..n (cache_load_index checked), so the
 * rank says the row. */
int cache_find_word(Cache *cache, const char *word, int len) {
    sqlite3_stmt *st = cache_stmt(cache, CST_WORD_RANK);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, cache->id);
    sqlite3_bind_text(st, 2, word, len, SQLITE_TRANSIENT);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_int64 rank = found ? sqlite3_column_int64(st, 0) : 0;
    cache_stmt_done(st);
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
