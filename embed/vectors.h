/* embed/vectors.h: a set of word vectors in memory, and what people ask of it.
 *
 *   emb_init/emb_add/emb_finish   build one (from training, lab.db or a file)
 *   emb_set_subwords              the n-gram rows of a subword embedding
 *   emb_row                       the row of a word, or -1
 *   emb_query                     the unit vector of any word: its row, or
 *                                 (subwords) the mean of its n-grams' rows
 *   emb_nearest                   top-k cosine neighbours of a word or a vector
 *   emb_analogy                   words nearest to b - a + c (3CosAdd)
 *
 * Rows keep their order (rank order when trained here). Alongside the raw
 * vectors a unit-length copy makes cosine similarity one dot product. An
 * embedding trained with subwords (fastText's model, embed/subword.h) also
 * keeps its n-gram rows, so that a word never seen in training has a vector
 * too; its vocabulary words' vectors are the rows of vec as for any other. */
#ifndef EL_VECTORS_H
#define EL_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/vecmath.h"
#include "embed/data/dict.h"
#include "embed/subword.h"

typedef struct {
    int dim;
    int32_t n, cap;
    Dict words;     /* dict id == row */
    int64_t *count; /* [n]; 0 when unknown */
    float *vec;     /* [n x dim] as stored */
    float *unit;    /* [n x dim] unit length; built by emb_finish */
    /* Subwords (emb_set_subwords; minn == 0 and NULL arrays without). */
    int minn, maxn;
    uint32_t buckets;
    int64_t nngrams;
    uint32_t *ngram_bucket; /* [nngrams] strictly ascending, below buckets */
    float *ngram_vec;       /* [nngrams x dim] as stored (not unit length) */
} Embedding;

void emb_init(Embedding *e, int dim);
/* Bytes an embedding of n words x dim takes once loaded (the vectors, their
 * unit copy, counts and the words' table); SIZE_MAX on overflow. */
size_t emb_memory(int64_t n, int64_t dim);
void emb_free(Embedding *e);
/* Appends a word; -1 with a message if the word is already there or empty. */
int emb_add(Embedding *e, const char *word, size_t len, const float *v, int64_t count);
void emb_finish(Embedding *e);
/* Gives e the n-gram rows of a subword embedding: the setting, and the
 * rows' buckets and vectors (malloc'ed; e owns them from now on, and frees
 * them at once when they fail the check). Checked with
 * subword_vectors_check, as anything read back from storage. Returns 0, or
 * -1 with a message. */
int emb_set_subwords(Embedding *e, int minn, int maxn, int64_t buckets, int64_t nngrams, uint32_t *ngram_bucket,
                     float *ngram_vec);
/* The SubwordVectors view of e's n-gram rows; 0 (and *s untouched) when e
 * has none, else 1. */
int emb_subwords(const Embedding *e, SubwordVectors *s);
/* Bytes the n-gram rows of a subword embedding take once loaded; SIZE_MAX
 * on overflow. */
size_t emb_subword_memory(int64_t nngrams, int64_t dim);

static inline const char *emb_word(const Embedding *e, int32_t row) { return dict_word(&e->words, row); }
int32_t emb_row(const Embedding *e, const char *word);

/* The unit vector of word[0..len) into unit[0..dim), and where it comes from:
 *   >= 0            the word's row (a vocabulary word)
 *   EMB_FROM_NGRAMS not in the vocabulary: the mean of its n-grams' rows
 *                   (subword_oov_vector), *found of its *ngrams n-grams
 *                   having a row
 *   EMB_NO_VECTOR   none: not in the vocabulary, and no subwords, no n-gram
 *                   with a row (*found 0), or a zero mean; *ngrams says how
 *                   many n-grams it has (0 without subwords)
 * No message is set: the caller words it (it knows the embedding's name). */
enum { EMB_FROM_NGRAMS = -1, EMB_NO_VECTOR = -2 };
int32_t emb_query(const Embedding *e, const char *word, size_t len, float *unit, int64_t *found, int64_t *ngrams);

/* Top k rows by cosine similarity to the unit vector q, skipping exclude[]. */
int emb_nearest(const Embedding *e, const float *q, int k, const int32_t *exclude, int nexclude, Scored *out);
/* Rows nearest to unit(b) - unit(a) + unit(c), a/b/c excluded; restrict > 0
 * searches only the first restrict rows (the most frequent words). */
int emb_analogy(const Embedding *e, int32_t a, int32_t b, int32_t c, int k, int32_t restrict_rows, Scored *out);
/* The same over unit vectors ua, ub, uc (words that may have no row, built
 * by emb_query), rows exclude[0..nexclude) skipped. */
int emb_analogy_unit(const Embedding *e, const float *ua, const float *ub, const float *uc, const int32_t *exclude,
                     int nexclude, int k, int32_t restrict_rows, Scored *out);
/* The query of an analogy: unit(ub - ua + uc) into q[0..dim) (3CosAdd over
 * unit vectors ranks by this dot product). */
void emb_analogy_query(const float *ua, const float *ub, const float *uc, int dim, float *q);

#endif
