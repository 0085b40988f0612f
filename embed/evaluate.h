/* embed/evaluate.h: intrinsic evaluation of word vectors.
 *
 *   eval_analogies  questions-words.txt with word2vec's compute-accuracy
 *                   conventions (lowercased; only questions whose four words
 *                   are among the `restrict` most frequent; a, b, c excluded
 *                   from the answer; 3CosAdd on unit vectors). Sections named
 *                   "gram..." are syntactic, the others semantic.
 *   eval_pairs      word-similarity files: Spearman's rho between the human
 *                   scores and cosine similarity, over pairs with both words
 *                   known; with subwords (an embedding trained with
 *                   --subwords), a word outside the vocabulary is known by
 *                   its n-grams (emb_query), as in fastText's evaluation. */
#ifndef EL_EVALUATE_H
#define EL_EVALUATE_H

#include "embed/vectors.h"

typedef struct {
    char name[64];
    int syntactic;
    int correct, asked, total;
} AnalogySection;

typedef struct {
    AnalogySection *sections;
    int nsections;
    int correct[2], asked[2]; /* [0] semantic, [1] syntactic */
    int total;                /* questions in the file */
} AnalogyReport;

int eval_analogies(const Embedding *e, const char *path, int32_t restrict_rows, AnalogyReport *rep);
void analogy_report_free(AnalogyReport *rep);

typedef struct {
    double spearman;
    int used, total;
    int from_ngrams; /* of the used pairs, those with a word built from its n-grams */
} PairsReport;

int eval_pairs(const Embedding *e, const char *path, PairsReport *rep);

/* Spearman's rank correlation of x and y (average ranks for ties). */
double spearman(const double *x, const double *y, int n);

#endif
