/* db/embeddings.h: word vectors in the lab notebook (tables embeddings,
 * vectors and ngrams; a blob is dim float32 values, little-endian).
 *
 *   db_embedding_save    one transaction: the embeddings row, every vector,
 *                        and a subword embedding's n-gram rows
 *   db_embedding_load    by name, rows in rank order (no n-gram rows: what a
 *                        classifier needs)
 *   db_embedding_load_subwords  the same, plus a subword embedding's n-gram
 *                        rows (what builds the vector of an unseen word)
 *   db_embedding_remove  by name (vectors and n-gram rows go with it)
 *   db_embedding_exists  1, 0, or -1 on error
 *
 * A subword embedding (embed train --subwords) keeps minn, maxn and buckets
 * in its params JSON, and one ngrams row per n-gram bucket in use, in
 * ascending bucket order (ARCHITECTURE.md, "The lab notebook"). */
#ifndef EL_DB_EMBEDDINGS_H
#define EL_DB_EMBEDDINGS_H

#include <sqlite3.h>
#include <stdint.h>

#include "embed/vectors.h"

typedef struct {
    const char *params_json; /* every training parameter, as JSON (saving adds a
                                subword embedding's minn, maxn and buckets) */
    const char *corpus;
    const char *source; /* "trained", or "imported:PATH" */
    int64_t tokens;
    double seconds, words_per_sec;
} EmbeddingInfo;

int db_embedding_save(sqlite3 *db, const char *name, const EmbeddingInfo *info, const Embedding *e, int64_t *id);
int db_embedding_load(sqlite3 *db, const char *name, Embedding *e, int64_t *id);
int db_embedding_load_subwords(sqlite3 *db, const char *name, Embedding *e, int64_t *id);
int db_embedding_remove(sqlite3 *db, const char *name);
int db_embedding_exists(sqlite3 *db, const char *name);

#endif
