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
 *   - one draw of negatives serves share_negatives centre words (CBOW's
 *     default 4), at least 2 * window + 1 positions apart (w2v_centre_order);
 *   - negatives come from an alias table (two small arrays that stay in cache)
 *     instead of a 10^8-entry unigram table.
 * With subwords on (minn > 0) it is fastText's subword model (Bojanowski et al. 2017): a
 * word's input vector is the mean of its own row and its character n-grams'
 * rows (embed/subword.h), for skip-gram and CBOW, NS and HS alike. */
#ifndef EL_WORD2VEC_H
#define EL_WORD2VEC_H

#include <stdint.h>

#include "core/options.h"
#include "embed/data/corpus.h"
#include "embed/subword.h"

enum { W2V_SG = 0, W2V_CBOW = 1 };
enum { W2V_NS = 0, W2V_HS = 1 };

typedef struct {
    int model, loss;
    int dim, window, negative, epochs;
    int share_negatives;          /* centre words a draw of negatives serves; <= 0: by model (w2v_share_negatives) */
    int64_t min_count, max_vocab; /* max_vocab <= 0: no cap */
    double sample, alpha;         /* alpha <= 0: 0.025 for sg, 0.05 for cbow */
    uint64_t seed;
    int quiet; /* no vocabulary/memory lines on stderr */
    /* Subwords (fastText): every word's input vector is the mean of its own
     * row and its character n-grams' rows, n in [minn, maxn], hashed into
     * `buckets` (embed/subword.h). minn = maxn = 0: off; any other pair
     * must pass subword_check. */
    int minn, maxn;
    int64_t buckets; /* default SUBWORD_BUCKETS; only buckets in use take memory */
} W2vParams;

/* word2vec's option table (embed/trainer_word2vec.c, core/options.h): its
 * parameters' names, defaults, ranges and help. */
extern const OptionTable w2v_options;

/* Every parameter at the table's default. */
void w2v_defaults(W2vParams *p);

typedef struct {
    int32_t nwords;
    int dim;
    char **words;                  /* [nwords], ranked by count (rank = index + 1) */
    int64_t *count;                /* [nwords] */
    float *vectors;                /* [nwords x dim]: the embedding (the input vectors; with subwords,
                                      each the mean of the word's row and its n-grams' rows) */
    int64_t corpus_tokens;         /* tokens of the corpus read, all words */
    int64_t train_words;           /* tokens of vocabulary words, per epoch */
    int64_t words_processed;       /* over all epochs and threads: epochs * train_words when done */
    int64_t negative_draws;        /* alias draws made: negative x the groups of w2v_centre_order */
    double seconds, words_per_sec; /* words/s counts corpus tokens, as word2vec does */
    /* Subwords (minn > 0; all zero/NULL otherwise): what storage keeps to
     * build the vector of any word later (ARCHITECTURE.md, "Subword vectors"). */
    int minn, maxn;
    int64_t buckets;
    int64_t nngrams;        /* n-gram rows: the buckets some vocabulary word uses */
    uint32_t *ngram_bucket; /* [nngrams] ascending: the bucket of each row */
    float *ngram_vectors;   /* [nngrams x dim] */
    float *word_rows;       /* [nwords x dim]: each word's own row, before the mean */
} W2vModel;

/* Bytes the model will hold for a vocabulary of nwords (both weight matrices
 * and the sampling tables; with subwords, ngram_rows n-gram rows and the
 * vocabulary's ngram_refs n-gram references, SubwordTable's nrows and
 * start[nwords]), to print before training. */
int64_t w2v_memory(const W2vParams *p, int64_t nwords, int64_t ngram_rows, int64_t ngram_refs);

/* Floats from one row of the trainer's weight matrices to the next: dim
 * rounded up to 16 (64 bytes), so that every row starts on a cache line. */
int w2v_row_stride(int dim);

/* Trains on the documents of c in split_mask. Returns 0, or -1 with a message. */
int w2v_train(const W2vParams *p, const Corpus *c, unsigned split_mask, W2vModel *m);
void w2v_free(W2vModel *m);

/* The vector of any word into out[0..dim): a vocabulary word's row of
 * m->vectors; with subwords, an unseen word's mean of its n-gram rows
 * (subword_oov_vector). Finds the word by a linear scan: for a few words;
 * a search over many builds an Embedding instead. Returns 0, or -1 with a
 * message (not in the vocabulary and no subwords, or no n-gram). */
int w2v_word_vector(const W2vModel *m, const char *word, size_t len, float *out);

/* The weights one update reads and writes: the trainer's, or a gradient
 * check's hand-made ones. */
typedef struct {
    int dim;
    int hs;                  /* hierarchical softmax: pairs beyond the sigmoid's range are skipped */
    int stride;              /* floats from one row of syn0 or syn1 to the next; 0: dim */
    float *syn0;             /* [nwords x stride] the words' input rows */
    float *syn1;             /* output rows: words (NS) or Huffman inner nodes (HS) */
    const SubwordTable *sub; /* NULL: subwords off */
    float *ngram;            /* [sub->nrows x dim] the n-grams' input rows */
} W2vNet;

static inline int64_t w2v_stride(const W2vNet *net) { return net->stride > 0 ? net->stride : net->dim; }

/* Word w's input vector: its syn0 row itself, or with subwords the mean of
 * that row and its n-gram rows, composed into buf[0..dim). */
const float *w2v_input_vector(const W2vNet *net, int32_t w, float *buf);

/* The centre words one draw of negatives serves under p: 1 under HS (no
 * negatives), else p->share_negatives, or when that is <= 0 the model's
 * default: 4 for CBOW, whose speed is its row fetches, and 1 for skip-gram,
 * which sharing made no faster (ARCHITECTURE.md, "word2vec's order of work"). */
int w2v_share_negatives(const W2vParams *p);

/* The order in which the trainer visits a sentence's len centre words when
 * `share` of them share one draw of negatives: the sentence is cut into
 * share segments of equal length (fewer when it is shorter than share x gap,
 * so that a segment is at least gap long), walked side by side; group g is
 * the g-th position of every segment, so its members are at least gap apart
 * (the trainer's gap is 2 * window + 1: ARCHITECTURE.md, "word2vec's order of
 * work", says why) and each segment's window slides one position a group.
 * Fills order[0..len) with a permutation of 0..len-1, and draw[k] = 1 where
 * visit k starts a group (it draws the negatives the group's next visits
 * reuse). share 1 is every position in turn, each drawing its own, as
 * word2vec.c; share or gap below 1 count as 1. */
void w2v_centre_order(int64_t len, int share, int gap, int64_t *order, uint8_t *draw);

/* Floats of scratch w2v_update needs on net for nin inputs and nout outputs. */
size_t w2v_scratch_floats(const W2vNet *net, int nin, int nout);

/* One stochastic gradient step for one centre word, at learning rate alpha.
 * The output rows out[0..nout) have labels (1 for the centre word, 0 for a
 * negative; for HS 1 - the Huffman code bit); the loss is
 *   - sum_o [label_o log s(h . y_o) + (1 - label_o) log s(-h . y_o)],
 * s the sigmoid, for the input vector h:
 *   W2V_SG    each of the nin context words in[] on its own (losses summed),
 *             h its input vector;
 *   W2V_CBOW  h the mean of the context words' input vectors' rows.
 * A word's input vector is its syn0 row, or with subwords the mean of that
 * row and its n-gram rows. Every output row y_o moves by -alpha dL/dy_o;
 * every row that makes up h moves by -alpha dL/dh (once per time it is in
 * h), as fastText does for skip-gram and CBOW (it divides by the row count
 * only for classifiers): h then takes a whole step whatever its row count,
 * as a word without subwords does. Gradients are taken before the rows they
 * read move (out[] distinct). As word2vec.c, where |h . y_o| > 6 NS takes
 * the sigmoid as 0 or 1 and HS skips the pair. */
void w2v_update(const W2vNet *net, int model, const int32_t *in, int nin, const int32_t *out, const float *label,
                int nout, float alpha, float *scratch);

#endif
