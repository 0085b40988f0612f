/* embed/data/vocab.h: the vocabulary and the index contract (ARCHITECTURE.md, "Vocabulary and sequences").
 *
 * Words are counted over the chosen splits (the train split only, for
 * classifiers) and ranked by count, descending, ties broken by byte-wise
 * word order. Index 0 is padding, 1 is out-of-vocabulary, and the word of
 * rank r (1-based) has index r + 1. A cap N keeps indices below N and maps
 * the rest to 1, like Keras' num_words. */
#ifndef EL_VOCAB_H
#define EL_VOCAB_H

#include <stdint.h>

#include "embed/data/corpus.h"

enum { INDEX_PAD = 0, INDEX_OOV = 1 };

typedef struct {
    int32_t size;     /* words counted at least once */
    int32_t ndict;    /* dict size when built; later ids are out-of-vocabulary */
    int32_t *by_rank; /* [size]: rank - 1 -> dict id */
    int32_t *index;   /* [ndict]: dict id -> index (rank + 1), or INDEX_OOV */
    int64_t *count;   /* [ndict]: dict id -> count over the counted splits */
} Vocab;

void vocab_build(Vocab *v, const Corpus *c, unsigned split_mask);
void vocab_free(Vocab *v);

/* Index of dict id under cap (cap <= 0: no cap). */
static inline int32_t vocab_index(const Vocab *v, int32_t id, int32_t cap) {
    int32_t i = (id >= 0 && id < v->ndict) ? v->index[id] : INDEX_OOV;
    return (cap > 0 && i >= cap) ? INDEX_OOV : i;
}

/* Number of words seen at least min_count times (a prefix of the ranking). */
int32_t vocab_count_at_least(const Vocab *v, int64_t min_count);

#endif
