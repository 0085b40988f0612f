/* db/embeddings.h: word vectors in the lab notebook (tables embeddings,
 * vectors and ngrams; a blob is dim float32 values, little-endian).
 *
 *   db_embedding_save    one transaction: the embeddings row, every vector,
 *                        and a subword embedding's n-gram rows
 *   db_embedding_load    by name, rows in rank order (no n-gram rows: what a
 *                        classifier needs)
 *   db_embedding_load_subwords  the same, plus a subword embedding's n-gram
 *                        rows (what builds the vector of an unseen word)
 *   db_embedding_load_ngrams  by id, only the n-gram setting and rows
 *   db_embedding_remove  by name (vectors and n-gram rows go with it, and a
 *                        learned tokenizer's model nothing else uses)
 *   db_embedding_exists  1, 0, or -1 on error
 *   db_embedding_tokenizer  the tokenizer that made its words, ready
 *
 * A subword embedding (embed train --subwords) keeps minn, maxn and buckets
 * in its params JSON, and one ngrams row per n-gram bucket in use, in
 * ascending bucket order (ARCHITECTURE.md, "The lab notebook"). */
#ifndef EL_DB_EMBEDDINGS_H
#define EL_DB_EMBEDDINGS_H

#include <sqlite3.h>
#include <stdint.h>

#include "embed/text/tokenizer.h"
#include "embed/vectors.h"

typedef struct {
    const char *params_json; /* every training parameter, as JSON (saving adds a
                                subword embedding's minn, maxn and buckets) */
    const char *corpus;
    const char *source; /* "trained", or "imported:PATH" */
    int64_t tokens;
    double seconds, words_per_sec;
    const Tokenizer *tok; /* what made its words (NULL: words); a learned one's model is stored too */
} EmbeddingInfo;

int db_embedding_save(sqlite3 *db, const char *name, const EmbeddingInfo *info, const Embedding *e, int64_t *id);
int db_embedding_load(sqlite3 *db, const char *name, Embedding *e, int64_t *id);
int db_embedding_load_subwords(sqlite3 *db, const char *name, Embedding *e, int64_t *id);

/* 0 if embedding `name` fits in what this machine has once loaded (its words
 * x dims twice, raw and unit length, and its n-gram rows), judged from its
 * row before any vector is read; -1 with a message naming the figure. An
 * unknown name passes: loading it then says so. */
int db_embedding_fits(sqlite3 *db, const char *name);
/* Only the n-gram setting and rows of the embedding with id `id` (e->n is 0,
 * no word vectors): what a subword-input run's stored model is completed
 * from (experiments/run/subword_run.h). Its name goes to name[namecap]. 0, or -1
 * with a message (no such embedding, none without n-gram rows, a damaged
 * row). */
int db_embedding_load_ngrams(sqlite3 *db, int64_t id, Embedding *e, char *name, size_t namecap);
/* Removes embedding name (its vectors and n-gram rows go with it), in one
 * transaction, and the tokenizers row of its learned tokenizer when no other
 * embedding and no run points to it (its spec then to dropped[cap], which
 * may be NULL; else dropped is empty). Refused, with the run ids in the
 * message, while a finished subword-input run's stored model is completed
 * from it (experiments/run/subword_run.h). 0, or -1 with a message. */
int db_embedding_remove(sqlite3 *db, const char *name, char *dropped, size_t cap);
int db_embedding_exists(sqlite3 *db, const char *name);

/* The query form (embeddings.query_form, by name) in column col of st's
 * row, for embedding `name`: 0 and *form, or -1 with a message when it
 * names no form (a damaged or foreign lab.db). */
int db_query_form(sqlite3_stmt *st, int col, const char *name, TokQueryForm *form);

/* The tokenizer embedding `name` was trained with, ready: its spec, and for a
 * learned kind the model stored with it (db/tokenizers.h). An embedding
 * saved before schema 7 reads as words. In *id (if not NULL) its tokenizers
 * row, 0 for a fixed kind. 0, or -1 with a message. */
int db_embedding_tokenizer(sqlite3 *db, const char *name, Tokenizer **out, int64_t *id);

#endif
