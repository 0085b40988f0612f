/* db/sql/nearest_cache.h: the embedding SQL nearest() last loaded on a
 * connection, kept for the next query (db/sql/nearest_vtab.c):
 *
 *   cache_load       make it hold an embedding (its index and unit vectors
 *                    in a few blob reads, or its rows one by one, and a
 *                    subword embedding's n-gram rows), or keep what it holds
 *   cache_clear      empty it
 *   cache_word       word i of a cache loaded row by row
 *   cache_find_word  the row of a word
 *   cache_hits       the words and scores of the rows a query found, copied
 *                    out: what a cursor keeps (db/sql/nearest_hits.c)
 *   cache_stmt       a statement every call runs, prepared once per
 *                    connection; cache_stmt_done after each use, and
 *   cache_stmts_finalize  when the nearest table disconnects
 *
 * A cursor reads it only inside its xFilter, start to end in one call, and
 * copies out the rows it returns: so another nearest() in the same
 * statement may load another embedding over it without pulling anything
 * from under a cursor. It is dropped when the embedding's id changes (ids
 * are never reused: AUTOINCREMENT) or when the database has been written
 * since (PRAGMA data_version, total_changes) or its schema changed (PRAGMA
 * schema_version: a table renamed or replaced changes no row). Every statement names main.,
 * and main.embeddings, main.vectors and main.ngrams must be tables
 * (db/sql/sqlite_ext.c says why).
 *
 * The statements a call runs whatever it finds (the table checks, the
 * embedding's id, the data version, a word's row, the query form, the words
 * by rank) are kept prepared, as most of a call on a cached embedding was
 * preparing them again. They stay right: SQLite prepares a kept statement
 * again when the schema has changed since (a table dropped, made a view,
 * altered) and when the authorizer changes, and each names main., which
 * ATTACH and DETACH leave as it is. They are finalized when the nearest
 * table disconnects, which sqlite3_close does before it checks that no
 * statement is left (else it would fail with SQLITE_BUSY). */
#ifndef EL_SQL_NEAREST_CACHE_H
#define EL_SQL_NEAREST_CACHE_H

#include <stdint.h>

#include "core/vecmath.h"
#include "db/index/ann.h"
#include "db/sql/ext.h"

/* The kept statements (their SQL: db/sql/nearest_cache.c). */
typedef enum {
    CST_IS_TABLE,       /* ?1 a name: 1 when main.?1 is an ordinary table */
    CST_EMBEDDING,      /* ?1 a name: the embedding's id and dim */
    CST_DATA_VERSION,   /* PRAGMA main.data_version */
    CST_SCHEMA_VERSION, /* PRAGMA main.schema_version */
    CST_WORD_RANK,      /* ?1 id, ?2 word: its rank */
    CST_QUERY_FORM,     /* ?1 id: embeddings.query_form (no column: does not prepare) */
    CST_RANK_WORD,      /* ?1 id, ?2 rank: its word */
    CST_COUNT
} CacheStmt;

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *stmts[CST_COUNT]; /* NULL until first used */
    sqlite3_int64 id;               /* embedding id, 0 when empty */
    int dim;
    int n;
    /* 1 when the rows below are loaded; 0 when the embedding's index cannot
     * be used and an 'auto' query loaded nothing more (index_err says why). */
    int loaded;
    float *unit; /* n x dim, unit rows */
    /* The words, each ending in NUL, one after another: word i is the
     * bytes text[start[i] .. start[i + 1] - 1) (a word may hold NUL bytes). */
    char *text;
    sqlite3_int64 *start; /* n + 1 */
    sqlite3_int64 text_cap;
    int data_version, schema_version, total_changes;
    int in_write; /* loaded inside a write transaction: it may hold rows a rollback undoes */
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
    /* Who holds it: the module and the nearest table connected to it
     * (db/sql/nearest_vtab.c); freed when both let go. */
    int refs;
} Cache;

/* Statement `which`, reset, its parameters unbound; NULL when it does not
 * prepare (sqlite3_errmsg says why). After its last step, cache_stmt_done
 * (also on errors): a kept statement left mid-step would hold its read. */
sqlite3_stmt *cache_stmt(Cache *c, CacheStmt which);
void cache_stmt_done(sqlite3_stmt *st);

/* Finalizes the kept statements (the next use prepares them again). */
void cache_stmts_finalize(Cache *c);

/* Makes the cache hold embedding `name` (name_len bytes), unless it holds
 * it already as this mode needs: from its index when it has a usable one,
 * else row by row; with an unusable index (index_err) and not exact, it
 * reads no rows (loaded 0) and the query says so. SQLITE_OK; or an error
 * with *err set (sqlite3_free; or SQLITE_NOMEM without), the cache empty. */
int cache_load(Cache *c, const char *name, int name_len, int exact, char **err);
void cache_clear(Cache *c);

/* Word i of a cache loaded row by row (not indexed), and its length. */
const char *cache_word(const Cache *c, int i, int *len);

/* The cache row of word[0..len), or -1. */
int cache_find_word(Cache *cache, const char *word, int len);

/* The rows a query found, best first, with their words copied out of the
 * cache: word i is hits[i].len bytes (and a NUL) in text. */
typedef struct {
    const char *word;
    int len;
    double similarity;
} Hit;
typedef struct {
    Hit *hits;
    char *text;
    int n;
} Hits;

/* Copies the words and scores of found[0..count) (rows of the cache) into
 * the empty *h, which then needs the cache no more; an indexed cache's
 * words are read by rank, and a rank that is gone is an error that says so.
 * SQLITE_OK, or an error with *err set (SQLITE_NOMEM without), *h empty. */
int cache_hits(Cache *cache, const char *name, const Scored *found, int count, Hits *h, char **err);
void hits_free(Hits *h);

#endif
