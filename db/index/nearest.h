/* db/index/nearest.h: the nearest-word query, one for `embedlab nearest` and
 * `analogy` (cli/embed/word_query.c), `embedlab serve`'s /api/nearest and
 * /api/analogy (web/api_embed.c) and SQL nearest() (db/sql/nearest_vtab.c):
 * a query word, in the embedding's normal form when not in its vocabulary
 * as given, becomes its unit vector (its row, or the mean of its character
 * n-grams' rows), and the k rows most cosine-similar come out, through the
 * nearest-word index when there is one, else over every row.
 *
 *   nearest_word    a word -> its unit vector, and where it came from
 *   nearest_vector  a caller's vector -> unit length, checked
 *   nearest_search  the k best rows for a unit query, some rows excluded
 *   nearest_query   the three in one: a word (or a vector) -> its k best rows
 *
 * Each front end loads the rows its own way (NearestRows) and says the
 * outcome (NearestStatus) in its own words: the CLI as an error, the web as
 * JSON, SQL as the virtual table's error. Nothing here prints or sets an
 * error. A file of the SQL extension's layer (ARCHITECTURE.md): no SQLite,
 * OpenMP or BLAS, only the layer's headers. */
#ifndef EL_ANN_NEAREST_H
#define EL_ANN_NEAREST_H

#include <stddef.h>
#include <stdint.h>

#include "core/vecmath.h"
#include "db/index/ann.h"
#include "embed/subword.h"
#include "embed/text/tok_norm.h"

/* An embedding as its front end loaded it. */
typedef struct {
    int32_t n;
    int dim;
    const float *unit;       /* n x dim, each row of unit length (or zero) */
    SubwordVectors subwords; /* a subword embedding's n-gram rows; minn 0 without */
    const AnnIndex *ix;      /* the index over unit, or NULL: exact search only */
    /* Why the index the embedding has cannot be used (stale, damaged), when
     * the front end did not rebuild it; NULL otherwise. */
    const char *index_err;
    /* The row of word[0..len) (NUL-terminated) as stored, or -1. */
    int32_t (*row_of)(void *ctx, const char *word, size_t len);
    /* The embedding's query form (embeddings.query_form), asked only for a
     * word not in the vocabulary as given: 0, or -1 (the message is the
     * front end's, kept in ctx). */
    int (*form)(void *ctx, TokQueryForm *form);
    void *ctx;
} NearestRows;

typedef enum {
    NEAREST_OK,
    /* A word with no vector: not in the vocabulary, and no subwords, or
     * none of its n-grams has a row (NearestWord says which). */
    NEAREST_NOT_FOUND,
    /* A zero vector, which has no direction: a word's row, n-gram rows that
     * cancel out, a query vector. */
    NEAREST_ZERO,
    NEAREST_NOT_FINITE,     /* a vector holding NaN or an infinity */
    NEAREST_DIM_MISMATCH,   /* a query vector of another dimension */
    NEAREST_BAD_FORM,       /* rows->form failed */
    NEAREST_INDEX_UNUSABLE, /* not exact, and rows->index_err */
    NEAREST_NOMEM,
} NearestStatus;

/* What became of a query word. */
typedef struct {
    /* Its row, or -1 when built from its n-grams or not found; with
     * NEAREST_ZERO or NEAREST_NOT_FINITE a row >= 0 is a vocabulary word
     * whose row is so (analogy may still use it). */
    int32_t row;
    /* The form it was looked up in when it is not in the vocabulary as given
     * and its normal form differs (tok_query_word; malloc'ed, freed by
     * nearest_word_free), else NULL: the word as given. */
    char *normal;
    size_t normal_len;
    /* Built from n-grams or not found: how many of its n-grams have a row,
     * of how many it has (both 0 without subwords). */
    int64_t found, ngrams;
} NearestWord;

/* The unit vector of word[0..len) (NUL-terminated) into unit[0..dim): its
 * row as given; else its normal form's (rows->form, tok_query_word); else,
 * under subwords, the mean of the normal form's n-grams' rows. NEAREST_OK,
 * NOT_FOUND, ZERO, NOT_FINITE or BAD_FORM; *w says the rest (free it with
 * nearest_word_free, whatever the status). */
NearestStatus nearest_word(const NearestRows *rows, const char *word, size_t len, float *unit, NearestWord *w);
void nearest_word_free(NearestWord *w);

/* Scales q[0..dim) to unit length: NEAREST_OK, NEAREST_NOT_FINITE or
 * NEAREST_ZERO. */
NearestStatus nearest_vector(float *q, int dim);

/* The k best rows for the unit query q (best first, exact fp32 scores, ties
 * to the lower row) into best[k], rows exclude[0..nexclude) skipped, their
 * number in *count: through rows->ix unless exact (the same scores and
 * order, with the index's recall), else over every row. *indexed (may be
 * NULL) says whether the index answered. NEAREST_OK, INDEX_UNUSABLE or
 * NOMEM. */
NearestStatus nearest_search(const NearestRows *rows, const float *q, int k, const int32_t *exclude, int nexclude,
                             int exact, Scored *best, int *count, int *indexed);

/* One query: word[0..len) (NUL-terminated), or with word NULL the vector
 * of float32 at vec (bytes long, any alignment), and its k best rows, the
 * word's own row excluded. An unusable index is said first
 * (NEAREST_INDEX_UNUSABLE, before the query is looked at), then the query's
 * status (NEAREST_DIM_MISMATCH: bytes is not 4 dim), then the search's.
 * q[dim] gets the unit query vector; *w as nearest_word's (for a vector:
 * row -1). */
NearestStatus nearest_query(const NearestRows *rows, const char *word, size_t len, const void *vec, size_t bytes, int k,
                            int exact, float *q, NearestWord *w, Scored *best, int *count, int *indexed);

#endif
