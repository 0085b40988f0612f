/* db/sql/nearest_vtab.c: nearest(NAME, WORD_OR_BLOB, K [, MODE]), an
 * eponymous table-valued function (what it answers: db/sql/sqlite_ext.c):
 * its arguments checked, the embedding loaded into the per-connection cache
 * (db/sql/nearest_cache.h), the query of db/index/nearest.h run over it, and the
 * rows it returns copied into the cursor. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/vecmath.h"
#include "db/index/nearest.h"
#include "db/sql/nearest_cache.h"
#include "embed/text/textio.h"
#include "embed/text/tok_norm.h"

enum { COL_WORD, COL_SIMILARITY, COL_NAME, COL_QUERY, COL_K, COL_MODE };

typedef struct {
    sqlite3_vtab base;
    Cache *cache;
} NearestTab;

typedef struct {
    sqlite3_vtab_cursor base;
    Hits got; /* best first: the cursor's own copy */
    int pos;
} NearestCursor;

static void cursor_reset(NearestCursor *c) {
    hits_free(&c->got);
    c->pos = 0;
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
    t->cache->refs++;
    *out = &t->base;
    return SQLITE_OK;
}

static void cache_unref(Cache *c) {
    if (--c->refs == 0) {
        cache_clear(c);
        sqlite3_free(c);
    }
}

/* sqlite3_close disconnects the table before it checks that no statement
 * is left: the kept statements go here (db/sql/nearest_cache.h). The
 * table holds the cache: when the module is registered again, SQLite
 * destroys the old module (cache_destroy) before it disconnects the old
 * table. */
static int nearest_disconnect(sqlite3_vtab *v) {
    NearestTab *t = (NearestTab *)v;
    cache_stmts_finalize(t->cache);
    cache_unref(t->cache);
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

/* The error of an 'auto' search over an embedding whose index is unusable. */
static char *index_error(const Cache *c, const char *name) {
    return sqlite3_mprintf("nearest: the index of '%s' cannot be used: %s. Rebuild it with 'embedlab embed index %s', "
                           "or search exactly with nearest('%s', WORD, K, 'exact')",
                           name, c->index_err, name, name);
}

/* What the query's callbacks (db/index/nearest.h) read: the cache, the name for
 * messages, and the message of a query form that names none. */
typedef struct {
    Cache *cache;
    const char *name;
    char *msg; /* sqlite3_free */
} QueryCtx;

static int32_t row_of(void *ctx, const char *word, size_t len) {
    const QueryCtx *q = ctx;
    return len > INT_MAX ? -1 : cache_find_word(q->cache, word, (int)len);
}

/* The form the embedding's tokenizer kind gives a query word not in its
 * vocabulary as given (embeddings.query_form); as given in a database whose
 * embeddings table has no query_form (not a lab of schema 10 or later). -1
 * with q->msg for a value that names no form (a lab.db may come from
 * anyone), -1 without when memory is out. */
static int query_form(void *ctx, TokQueryForm *form) {
    QueryCtx *q = ctx;
    sqlite3_stmt *st = cache_stmt(q->cache, CST_QUERY_FORM);
    *form = TOK_QUERY_AS_GIVEN;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, q->cache->id);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int type = sqlite3_column_type(st, 0); /* before the conversion to text */
        const char *f = (const char *)sqlite3_column_text(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        if (type != SQLITE_TEXT || tok_query_form_parse(f, (size_t)n, form) != 0) {
            char shown[64];
            textio_quote(f ? f : "NULL", f ? (size_t)n : 4, shown, sizeof shown);
            q->msg = sqlite3_mprintf("nearest: embedding '%s' records query form '%s', which is none of "
                                     "'given', 'words' and 'unicode' (a damaged or foreign lab.db)",
                                     q->name, shown);
            rc = -1;
        }
    }
    cache_stmt_done(st);
    return rc;
}

/* The SQL error of a query that found no rows to return (st, for the word
 * word[0..len) or a vector): SQLITE_ERROR with the vtab's message set, or
 * SQLITE_NOMEM. */
static int query_error(sqlite3_vtab *vtab, NearestStatus st, const NearestWord *w, QueryCtx *qc, const char *word,
                       int len, int bytes) {
    const Cache *cache = qc->cache;
    const char *name = qc->name;
    /* The word as an error shows it, in the form it was looked up in: a NUL
     * inside no longer ends it, a control byte adds no line, a long one is cut. */
    char shown[96];
    if (w->normal)
        textio_quote(w->normal, w->normal_len, shown, sizeof shown);
    else
        textio_quote(word ? word : "", word ? (size_t)len : 0, shown, sizeof shown);
    char *msg = NULL;
    if (st == NEAREST_INDEX_UNUSABLE)
        msg = index_error(cache, name);
    else if (st == NEAREST_DIM_MISMATCH)
        msg = sqlite3_mprintf("nearest: the query vector has %d bytes but '%s' has %d dimensions (%d bytes)", bytes,
                              name, cache->dim, cache->dim * 4);
    else if (st == NEAREST_BAD_FORM)
        msg = qc->msg, qc->msg = NULL;
    else if (st == NEAREST_NOT_FOUND && cache->minn == 0)
        msg = sqlite3_mprintf("nearest: '%s' is not in embedding '%s'", shown, name);
    else if (st == NEAREST_NOT_FOUND && w->ngrams == 0)
        msg = sqlite3_mprintf("nearest: '%s' is not in embedding '%s' and has no character n-grams of %d to %d "
                              "characters",
                              shown, name, cache->minn, cache->maxn);
    else if (st == NEAREST_NOT_FOUND)
        msg = sqlite3_mprintf("nearest: '%s' is not in embedding '%s' and none of its %lld character n-grams was "
                              "seen in training",
                              shown, name, (long long)w->ngrams);
    else if (st == NEAREST_ZERO)
        msg = sqlite3_mprintf("nearest: a zero query vector has no direction");
    else if (st == NEAREST_NOT_FINITE)
        msg = sqlite3_mprintf("nearest: the query vector holds a non-finite value");
    return msg ? vtab_error(vtab, msg) : SQLITE_NOMEM;
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
 * the cache, runs the query over it (db/index/nearest.h) and copies the k best
 * rows into the cursor. */
static int nearest_run(NearestCursor *c, Cache *cache, const char *name, int name_len, sqlite3_value *query,
                       sqlite3_int64 k, int exact) {
    sqlite3_vtab *vtab = c->base.pVtab;
    char *err = NULL;
    int rc = cache_load(cache, name, name_len, exact, &err);
    if (rc != SQLITE_OK)
        return err ? vtab_error(vtab, err) : rc;
    const char *word = NULL;
    const void *vec = NULL;
    int len = 0, bytes = 0;
    if (sqlite3_value_type(query) == SQLITE_BLOB) {
        vec = sqlite3_value_blob(query);
        bytes = sqlite3_value_bytes(query);
    } else if (!(word = (const char *)sqlite3_value_text(query)))
        return SQLITE_NOMEM;
    else
        len = sqlite3_value_bytes(query);
    QueryCtx qc = {cache, name, NULL};
    NearestRows rows = {.n = cache->loaded ? cache->n : 0,
                        .dim = cache->dim,
                        .unit = cache->unit,
                        .subwords = {.dim = cache->dim,
                                     .minn = cache->minn,
                                     .maxn = cache->maxn,
                                     .buckets = (uint32_t)cache->buckets,
                                     .nrows = cache->nngrams,
                                     .row_bucket = cache->ngram_bucket,
                                     .rows = cache->ngram_vec},
                        .ix = cache->indexed ? &cache->ann : NULL,
                        .index_err = cache->index_err,
                        .row_of = row_of,
                        .form = query_form,
                        .ctx = &qc};
    sqlite3_int64 most = k < rows.n ? k : rows.n;
    float *q = sqlite3_malloc64((sqlite3_uint64)cache->dim * sizeof *q);
    Scored *found = sqlite3_malloc64((sqlite3_uint64)(most + 1) * sizeof *found);
    NearestWord w = {.row = -1};
    int count = 0;
    NearestStatus st = NEAREST_NOMEM;
    if (q && found)
        st = nearest_query(&rows, word, (size_t)len, vec, (size_t)bytes, (int)k, exact, q, &w, found, &count, NULL);
    if (st == NEAREST_OK && (rc = cache_hits(cache, name, found, count, &c->got, &err)) != SQLITE_OK)
        rc = err ? vtab_error(vtab, err) : rc;
    else if (st != NEAREST_OK)
        rc = st == NEAREST_NOMEM ? SQLITE_NOMEM : query_error(vtab, st, &w, &qc, word, len, bytes);
    nearest_word_free(&w);
    sqlite3_free(qc.msg);
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
    return c->pos >= c->got.n;
}

static int nearest_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
    NearestCursor *c = (NearestCursor *)cur;
    const Hit *h = &c->got.hits[c->pos];
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

/* The module's end: its statements and rows go now, the cache itself
 * when no table holds it either. */
static void cache_destroy(void *p) {
    cache_stmts_finalize(p);
    cache_clear(p);
    cache_unref(p);
}

int ext_nearest_module(sqlite3 *db) {
    Cache *cache = sqlite3_malloc(sizeof *cache);
    if (!cache)
        return SQLITE_NOMEM;
    memset(cache, 0, sizeof *cache);
    cache->db = db;
    cache->refs = 1; /* the module's */
    return sqlite3_create_module_v2(db, "nearest", &nearest_module, cache, cache_destroy);
}
