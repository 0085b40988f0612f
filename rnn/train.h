/* rnn/train.h: training a classifier and using it.
 *
 *   ClassifierConfig  every setting of a run (stored as the run's JSON config;
 *                     its fields, defaults and checks: rnn/config.h)
 *   train_model       mini-batch training with early stopping; each batch is
 *                     cut into fixed chunks run in parallel, and their
 *                     gradients are added in chunk order: the same seed gives
 *                     bit-identical results for any --threads
 *   evaluate          loss and accuracy over a dataset
 *   predict_probs     P(positive) for index sequences */
#ifndef EL_TRAIN_H
#define EL_TRAIN_H

#include <stdint.h>

#include "embed/data/dataset.h"
#include "rnn/model.h"
#include "rnn/optim.h"

/* What a classifier reads: one-hot vectors over the vocabulary, or an embedding. */
enum { INPUT_ONEHOT, INPUT_EMBED };
/* Whether an embedding's n-gram rows compose each token (fastText): auto is on
 * when the embedding has them (a run records on or off). */
enum { SUBWORDS_AUTO, SUBWORDS_ON, SUBWORDS_OFF };

/* The choice fields are enums, named in rnn/config.c's table (their JSON is
 * the name). */
typedef struct {
    int cell;       /* the index of a cell in rnn/cell.h's registry: cell_at(cell) */
    int activation; /* ACT_* (rnn/cell.h), a SimpleRNN's */
    int input;      /* INPUT_ONEHOT or INPUT_EMBED */
    int dim, units, layers, vocab, maxlen;
    int pad, truncate; /* SIDE_PRE or SIDE_POST (embed/data/sequence.h) */
    int mask, freeze;
    int subwords; /* SUBWORDS_* */
    int pool;     /* POOL_LAST, POOL_MEAN or POOL_MAX (rnn/model.h) */
    int bidirectional;
    double dropout, recurrent_dropout;
    int opt; /* OPT_SGD, OPT_RMSPROP or OPT_ADAM (rnn/optim.h) */
    double lr, clip;
    int batch, epochs, patience;
    int bucket; /* under --mask: batches drawn from pools of `bucket` batches sorted by length (0: off) */
    double val_split;
    uint64_t seed;
    int threads; /* recorded: the threads the run used */
} ClassifierConfig;

/* The model part of a config; -1 with a message if a name is unknown. */
int classifier_model_config(const ClassifierConfig *c, ModelConfig *m);

/* Parameters of the model c describes (what model_init() will make). */
int64_t classifier_param_count(const ClassifierConfig *c);

/* Bytes of scratch one chunk of training needs (rnn/model.c's work_new()). */
size_t classifier_work_bytes(const ClassifierConfig *c);

/* Bytes a run of c will hold at its peak (training) with `threads` threads
 * over `reviews` labeled reviews (train, validation and test), beside what
 * is already loaded; SIZE_MAX when the sum overflows. A --batch above
 * `reviews` counts as `reviews` (train_model takes one batch of all). For the CLI to refuse
 * a run that cannot fit (core/memory.h) before it records anything. */
size_t classifier_memory(const ClassifierConfig *c, int threads, size_t reviews);
/* 0 if classifier_memory() fits what the machine has; else -1 with a message
 * naming the figure and the options that decide it. reviews is 0 before the
 * data is loaded (a first, quick check). */
int classifier_fits(const ClassifierConfig *c, int threads, size_t reviews);
/* The same for subword input, whose table has ngram_rows rows besides the
 * vocabulary's and type_rows entries in its token lists. */
int classifier_fits_subwords(const ClassifierConfig *c, int threads, size_t reviews, int64_t ngram_rows,
                             int64_t type_rows);

typedef struct {
    int epoch;
    double train_loss, train_acc, val_loss, val_acc, seconds;
} EpochMetrics;

/* Called as each epoch ends; a nonzero return stops training (and is returned). */
typedef int (*EpochFn)(const EpochMetrics *e, void *ctx);

typedef struct {
    int epochs_run, best_epoch;
    double best_val_loss, best_val_acc, seconds;
} TrainSummary;

/* Returns 0 when done, 1 when *stop became nonzero (Ctrl-C), or the
 * callback's nonzero value. The best weights (lowest validation loss) are in
 * m when it returns 0. */
int train_model(Model *m, const ClassifierConfig *c, const Dataset *train, const Dataset *val, EpochFn fn, void *ctx,
                volatile int *stop, TrainSummary *out);

typedef struct {
    double loss, acc;
} EvalResult;

EvalResult evaluate(const Model *m, const Dataset *d);
/* evaluate, also leaving each review's P(positive) in probs[0..d->n). */
EvalResult evaluate_probs(const Model *m, const Dataset *d, real *probs);
void predict_probs(const Model *m, const int32_t *x, int64_t n, real *probs);

#endif
