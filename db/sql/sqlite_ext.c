/* db/sql/sqlite_ext.c: the loadable SQLite extension, build/embedlab_sqlite.so:
 * what it offers, and its entry point. Its files (db/sql/ext.h):
 * vec_functions.c (the scalar functions), nearest_vtab.c (nearest()),
 * nearest_cache.c (the embedding kept per connection), over the query of
 * db/index/nearest.c.
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
 * or MODE 'exact', which then reads the rows as without an index). The
 * cache is dropped when the embedding's id changes (ids are never reused: AUTOINCREMENT) or when the database has
 * been written since (PRAGMA data_version, total_changes) or its schema has
 * changed (PRAGMA schema_version), and a cache read inside a write
 * transaction is dropped once that transaction has ended (a rollback moves
 * none of those counters back). Each cursor copies
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

#include "db/sql/ext.h"
#include "db/sql/sqlite_ext.h"

#ifdef _WIN32
__declspec(dllexport)
#endif
    int sqlite3_embedlabsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
    (void)err;
    (void)api; /* unused when compiled into a program with -DSQLITE_CORE */
    SQLITE_EXTENSION_INIT2(api);
    int rc = ext_vec_functions(db);
    return rc == SQLITE_OK ? ext_nearest_module(db) : rc;
}
