/* db/emb_rows.h: one reader of an embedding's rows in lab.db, for the
 * library (db/embeddings.c: nearest, analogy, embedlab serve, classifiers)
 * and the SQL extension (db/sql/nearest_cache.c) alike, with one set of checks
 * and one error convention: 0, or -1 with a message in err[errcap] (no
 * prefix: the library says it as `embedlab: error: ...`, SQL as
 * `nearest: ...`). Every size read from the file is checked before it sizes
 * anything; the caller allocates from the counts these give.
 *
 *   emb_rows_vectors  the vectors in rank order, one call per row
 *   emb_rows_setting  a subword embedding's minn, maxn and buckets
 *   emb_rows_ngram_count, emb_rows_ngrams  its n-gram rows
 *
 * Statements name main. (a TEMP view of the same name is not read). Needs
 * only SQLite and embed/subword.c: the SQL extension compiles it in (with
 * EL_SQLITE_EXT, through the extension's API table). */
#ifndef EL_EMB_ROWS_H
#define EL_EMB_ROWS_H

#include <stddef.h>
#include <stdint.h>

#ifdef EL_SQLITE_EXT
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

/* One row of emb_rows_vectors: word[0..len) (NUL-terminated; may hold NUL
 * bytes), its dim floats at vec (not aligned: copy them), its count (0 when
 * NULL). 0 to go on, -1 to stop (with a message of the caller's own). */
typedef int (*EmbRowFn)(void *ctx, const char *word, int len, const void *vec, int64_t count);

/* Calls row() for each vector of embedding id (named name in messages) in
 * rank order, ties by word, each blob checked to be 4 * dim bytes; with
 * counts, each word's count from the count column (without, 0: SQL over a
 * table made by hand, which may have no such column). With
 * expect >= 0 (a count taken before, in the same transaction or not), more
 * or fewer rows is an error ("changed while they were read"). 0, or -1
 * with err (empty when row() stopped it). */
int emb_rows_vectors(sqlite3 *db, int64_t id, const char *name, int dim, int counts, int64_t expect, EmbRowFn row,
                     void *ctx, char *err, size_t errcap);

/* The subword setting in embedding id's params: 1 with *minn, *maxn,
 * *buckets checked (subword_setting_ok), 0 when it has none (or the table
 * has no params column: one made by hand), -1 with err (given in part, not
 * whole numbers, out of range, the row gone). */
int emb_rows_setting(sqlite3 *db, int64_t id, const char *name, int *minn, int *maxn, int64_t *buckets, char *err,
                     size_t errcap);

/* How many n-gram rows embedding id has, checked to be at most buckets
 * (buckets < 0: unchecked); -1 with err (no ngrams table, too many rows). */
int64_t emb_rows_ngram_count(sqlite3 *db, int64_t id, const char *name, int64_t buckets, char *err, size_t errcap);

/* Reads embedding id's count n-gram rows (emb_rows_ngram_count's) into
 * bucket[count] and vec[count x dim]: each bucket a whole number below
 * buckets and above the one before, each blob 4 * dim bytes, and count rows
 * exactly. 0, or -1 with err. */
int emb_rows_ngrams(sqlite3 *db, int64_t id, const char *name, int dim, int64_t buckets, int64_t count,
                    uint32_t *bucket, float *vec, char *err, size_t errcap);

#endif
