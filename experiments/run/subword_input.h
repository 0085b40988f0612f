/* experiments/run/subword_input.h: a classifier's subword input (fastText's
 * composition, rnn/model.h's TokenRows) from a corpus and the n-gram setting
 * of a subword embedding.
 *
 *   subword_input_build    every distinct token of the corpus, train and test
 *                          alike, interned once as a type: its word row when
 *                          the classifier's vocabulary (under the cap) has
 *                          it, then its n-grams' rows; a token with neither
 *                          is the unknown token's row 1
 *   subword_input_dataset  a Dataset's sequences as type ids
 *   subword_input_init     the model's input table from the embedding
 *
 * The table is the vocabulary's word rows 0 .. cap - 1 and then one row per
 * n-gram bucket some token of the corpus uses (ascending buckets): memory
 * follows the corpus, not the bucket count. A word outside the vocabulary,
 * one of the test split only included, gets the mean of its n-grams' rows,
 * which the embedding's rows start as: its vector is the embedding's
 * vector of an unseen word (subword_oov_vector), bit for bit. */
#ifndef EL_SUBWORD_INPUT_H
#define EL_SUBWORD_INPUT_H

#include "embed/data/corpus.h"
#include "embed/data/dataset.h"
#include "embed/vectors.h"
#include "embed/data/vocab.h"
#include "rnn/model.h"

typedef struct {
    TokenRows rows;   /* what the model reads (points into the arrays below) */
    int cap;          /* word rows 0 .. cap - 1 */
    int64_t nngrams;  /* n-gram rows cap .. cap + nngrams - 1 */
    uint32_t *bucket; /* [nngrams] ascending: the bucket of each n-gram row */
    int64_t *start;   /* [ntypes + 1] */
    int32_t *row;     /* [start[ntypes]] */
    int32_t *type_of; /* [corpus dict size] dict id -> type id (id + 2) */
} SubwordInput;

/* Interns the corpus's tokens with n-grams minn..maxn in `buckets` buckets
 * (the embedding's setting) under vocabulary v capped at cap. 0, or -1 with
 * a message (a bad setting, sizes that overflow). */
int subword_input_build(SubwordInput *s, const Corpus *c, const Vocab *v, int cap, int minn, int maxn, int64_t buckets);
/* The same over any tokens: dict's words, index[id] the word index of dict
 * id under the classifier's vocabulary (>= 2 and below cap: it has a word
 * row; anything else: none), as a stored run gives it. */
int subword_input_build_mapped(SubwordInput *s, const Dict *dict, const int32_t *index, int cap, int minn, int maxn,
                               int64_t buckets);
void subword_input_free(SubwordInput *s);

/* Rewrites d's sequences (its reviews d->doc of c) as type ids, shaped by o. */
void subword_input_dataset(const SubwordInput *s, const Corpus *c, const SeqOptions *o, Dataset *d);

/* m's table (m built on s->rows) from emb, which has n-grams in s's setting:
 * an n-gram row is the embedding's row of its bucket, or zero when the
 * embedding has none (as subword_oov_vector counts it). A vocabulary word's
 * own row is chosen so that the mean of it and its n-gram rows starts as the
 * embedding's vector of the word: (1 + g) vec - (sum of its g n-gram rows)
 * when the embedding has the word, else the mean of its n-gram rows; a word
 * with neither keeps its random start, as rows 0 and 1 do. *found and
 * *wanted (may be NULL) count the vocabulary words that start from the
 * embedding. */
void subword_input_init(const SubwordInput *s, Model *m, const Embedding *emb, const Corpus *c, const Vocab *v,
                        int *found, int *wanted);

#endif
