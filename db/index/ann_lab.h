/* db/index/ann_lab.h: the nearest-word index of a stored embedding, as the
 * command line uses it: build and save (db/index/ann.h, db/index/ann_store.h) from an
 * embedding in memory, and open the stored one against that embedding.
 * Errors go through el_fail (core/common.h). */
#ifndef EL_ANN_LAB_H
#define EL_ANN_LAB_H

#include <sqlite3.h>
#include <stdint.h>

#include "db/index/ann.h"
#include "embed/vectors.h"

/* Embeddings of fewer floats (words x dims) than this get no index when
 * trained or imported: exact search over 4,000,000 floats (16 MB, e.g.
 * 13,333 x 300) takes about 0.5 ms here, no more than the query's own
 * overhead in SQL, and the index would cost build time and a third more
 * space for nothing (measured with scripts/bench-ann.sh; README, "Nearest
 * words"). `embedlab embed index` builds one at any size. */
#define ANN_AUTO_MIN_FLOATS 4000000

/* What a build did, for the command to print. */
typedef struct {
    double build_seconds, save_seconds;
    size_t image_bytes, vector_bytes;
    int32_t lists, nprobe, rerank, tune_queries;
    float recall;
} AnnBuilt;

/* Builds the index of embedding eid from e (its unit rows; loaded with
 * emb_finish) and saves it with the unit vectors, replacing any it had.
 * 0, or -1 with a message. */
int ann_lab_build(sqlite3 *db, int64_t eid, const Embedding *e, AnnBuilt *built);

/* Opens the stored index of embedding eid for e (the embedding as loaded):
 * *image (free() it) holds the image *ix reads in place. Returns ANN_OK,
 * ANN_EMISSING (no index, no message), or ANN_ECORRUPT / ANN_ESTALE /
 * ANN_ENOMEM with the reason in el_error(). Reads no vector chunks: the
 * check is e's unit rows against the index's identity. */
int ann_lab_open(sqlite3 *db, int64_t eid, const Embedding *e, uint8_t **image, AnnIndex *ix);

/* An embedding's index and unit vectors as the SQL extension loads them
 * (blob reads, no row per word): what nearest and analogy search when every
 * query word is in the vocabulary, without reading the `vectors` rows. */
typedef struct {
    int64_t eid;
    AnnIndex ix;
    uint8_t *image; /* what ix reads in place */
    float *unit;    /* ix.n x ix.d, rank order */
    size_t bytes;   /* image + unit */
} AnnLoaded;

/* Loads embedding `name`'s index and unit vectors (after a memory check).
 * ANN_OK; ANN_EMISSING (no message) when it has none, when the name is
 * unknown, or when the embedding has subwords (an unseen word needs its
 * n-gram rows: the full load); otherwise an ANN_ code with el_error(). */
int ann_lab_load(sqlite3 *db, const char *name, AnnLoaded *out);
/* The row (rank - 1) of word in the loaded embedding, or -1. */
int32_t ann_lab_row(sqlite3 *db, const AnnLoaded *a, const char *word);
/* The word of row r, malloc'ed (free it); NULL with a message when the
 * rows changed under the index. */
char *ann_lab_word(sqlite3 *db, const AnnLoaded *a, int32_t row);
void ann_lab_free(AnnLoaded *a);

#endif
