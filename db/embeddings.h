/* db/embeddings.h: word vectors in the lab notebook (tables embeddings and
 * vectors; DESIGN.md fixes the blob format: dim float32, little-endian).
 *
 *   db_embedding_save    one transaction: the embeddings row and every vector
 *   db_embedding_load    by name, rows in rank order
 *   db_embedding_remove  by name (vectors go with it)
 *   db_embedding_exists  1, 0, or -1 on error */
#ifndef EL_DB_EMBEDDINGS_H
#define EL_DB_EMBEDDINGS_H

#include <sqlite3.h>
#include <stdint.h>

#include "embed/vectors.h"

typedef struct {
    const char *params_json; /* every training parameter, as JSON */
    const char *corpus;
    const char *source; /* "trained", or "imported:PATH" */
    int64_t tokens;
    double seconds, words_per_sec;
} EmbeddingInfo;

int db_embedding_save(sqlite3 *db, const char *name, const EmbeddingInfo *info, const Embedding *e, int64_t *id);
int db_embedding_load(sqlite3 *db, const char *name, Embedding *e, int64_t *id);
int db_embedding_remove(sqlite3 *db, const char *name);
int db_embedding_exists(sqlite3 *db, const char *name);

#endif
