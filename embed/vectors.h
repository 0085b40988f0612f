/* embed/vectors.h: a set of word vectors in memory, and what people ask of it.
 *
 *   emb_init/emb_add/emb_finish   build one (from training, lab.db or a file)
 *   emb_row                       the row of a word, or -1
 *   emb_nearest                   top-k cosine neighbours of a word or a vector
 *   emb_analogy                   words nearest to b - a + c (3CosAdd)
 *
 * Rows keep their order (rank order when trained here). Alongside the raw
 * vectors a unit-length copy makes cosine similarity one dot product. */
#ifndef EL_VECTORS_H
#define EL_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "db/vecmath.h"
#include "embed/dict.h"

typedef struct {
    int dim;
    int32_t n, cap;
    Dict words;     /* dict id == row */
    int64_t *count; /* [n]; 0 when unknown */
    float *vec;     /* [n x dim] as stored */
    float *unit;    /* [n x dim] unit length; built by emb_finish */
} Embedding;

void emb_init(Embedding *e, int dim);
/* Bytes an embedding of n words x dim takes once loaded (the vectors, their
 * unit copy, counts and the words' table); SIZE_MAX on overflow. */
size_t emb_memory(int64_t n, int64_t dim);
void emb_free(Embedding *e);
/* Appends a word; -1 with a message if the word is already there or empty. */
int emb_add(Embedding *e, const char *word, size_t len, const float *v, int64_t count);
void emb_finish(Embedding *e);

static inline const char *emb_word(const Embedding *e, int32_t row) { return dict_word(&e->words, row); }
int32_t emb_row(const Embedding *e, const char *word);

/* Top k rows by cosine similarity to the unit vector q, skipping exclude[]. */
int emb_nearest(const Embedding *e, const float *q, int k, const int32_t *exclude, int nexclude, Scored *out);
/* Rows nearest to unit(b) - unit(a) + unit(c), a/b/c excluded; restrict > 0
 * searches only the first restrict rows (the most frequent words). */
int emb_analogy(const Embedding *e, int32_t a, int32_t b, int32_t c, int k, int32_t restrict_rows, Scored *out);

#endif
