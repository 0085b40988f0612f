/* embed/word2vec.h: the word2vec trainer (skip-gram and CBOW; negative
 * sampling and hierarchical softmax), parallel with OpenMP.
 *
 * How it differs from word2vec.c, on purpose:
 *   - every thread runs all its epochs over its own share of the corpus, and
 *     the learning rate decays over the true total (word2vec.c issue #47);
 *   - for each centre word, the output rows (the word and one shared set of
 *     negatives, or its Huffman path) are updated against every context word
 *     of the window at once (Ji et al. 2016): each output row is loaded once
 *     per window instead of once per pair;
 *   - negatives come from an alias table (two small arrays that stay in cache)
 *     instead of a 10^8-entry unigram table. */
#ifndef EL_WORD2VEC_H
#define EL_WORD2VEC_H

#include <stdint.h>

#include "embed/corpus.h"

enum { W2V_SG = 0, W2V_CBOW = 1 };
enum { W2V_NS = 0, W2V_HS = 1 };

typedef struct {
    int model, loss;
    int dim, window, negative, epochs;
    int64_t min_count, max_vocab; /* max_vocab <= 0: no cap */
    double sample, alpha;         /* alpha <= 0: 0.025 for sg, 0.05 for cbow */
    uint64_t seed;
    int quiet; /* no vocabulary/memory lines on stderr */
} W2vParams;

void w2v_defaults(W2vParams *p);

typedef struct {
    int32_t nwords;
    int dim;
    char **words;                  /* [nwords], ranked by count (rank = index + 1) */
    int64_t *count;                /* [nwords] */
    float *vectors;                /* [nwords x dim]: the input vectors, the embedding */
    int64_t corpus_tokens;         /* tokens of the corpus read, all words */
    int64_t train_words;           /* tokens of vocabulary words, per epoch */
    int64_t words_processed;       /* over all epochs and threads: epochs * train_words when done */
    double seconds, words_per_sec; /* words/s counts corpus tokens, as word2vec does */
} W2vModel;

/* Bytes the model will hold for a vocabulary of nwords (both weight matrices
 * and the sampling tables), to print before training. */
int64_t w2v_memory(const W2vParams *p, int64_t nwords);

/* Trains on the documents of c in split_mask. Returns 0, or -1 with a message. */
int w2v_train(const W2vParams *p, const Corpus *c, unsigned split_mask, W2vModel *m);
void w2v_free(W2vModel *m);

#endif
