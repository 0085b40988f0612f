/* rnn/model.h: a recurrent sentiment classifier.
 *
 *   input   one-hot over the vocabulary (never materialised: row gathers of
 *           the first cell's W), an embedding table (random, or from lab.db),
 *           or subword rows: each token the mean of its word row and its
 *           character n-grams' rows (fastText's composition; TokenRows)
 *   cells   `layers` stacked cells of one type (rnn/cell.h), full sequences
 *           between layers; dropout on each cell's input and recurrent state,
 *           one mask per sequence as Keras does. Bidirectional: a second cell
 *           per layer runs over the reversed sequence, and a layer's output at
 *           step t is both cells' h_t side by side (2 u wide; one input
 *           dropout mask per layer for both)
 *   pool    the top layer's outputs over time: the last step's (each
 *           direction's final state: the reverse cell's is at step 0), or the
 *           mean or maximum over the non-padding steps
 *   head    dense(1) + sigmoid on the pooled state; binary cross-entropy
 *
 * Parameters live in one flat array. The row-sparse block (the embedding
 * table, or layer 0's W under one-hot input) comes first: a batch touches
 * only the rows of its tokens, and those are reduced separately.
 *
 * Work is the scratch of one chunk of at most CHUNK sequences. Chunks are
 * the unit of parallel work: their size never depends on the thread count,
 * which is what keeps results bit-identical for any --threads.
 *
 * The stages (rnn/model.c), like llm.c: each has its forward and backward
 * side by side, with the tensor shapes in comments, and model_chunk is the
 * sequence of their calls:
 *
 * chunk_setup                                   tokens (B,T) -> time-major (T,B); under --mask only the
 *                                               steps some token of the chunk spans (model_steps)
 * distinct_inputs                               xu (nuniq,D): each distinct token's table row |
 *                                               subword gather-mean (not under one-hot input)
 * masked_input_forward | onehot_forward         under input dropout x0 (T,B,D) = xu[tok] x mask |
 *                                               zx (T,B,Gu) row gather
 *   per layer l: dropout_forward (l > 0), per direction d: input_forward (zx = xin W + b,
 *                one GEMM; layer 0 without input dropout input_forward_summed: xu W + b for
 *                the nuniq tokens, copied to their positions), recurrent_forward (T steps:
 *                zh = h_prev U, the cell's gate arithmetic; d = 1 from step T-1 down),
 *                concat_forward (bidirectional)
 * pool_forward                                  top h (T,B,u) -> (B,u): last step, mean or max
 * head_forward                                  p = sigmoid(pooled wd + bd), BCE
 * head_backward, pool_backward                  dwd, dbd; the top layer's dh (T,B,u)
 *   per layer, top down: per direction recurrent_backward (BPTT; dU, drb), bias_backward (db),
 *                onehot_backward | input_backward (dW, dx summed over directions)
 *                + dropout_backward, concat_backward (bidirectional); layer 0 without input
 *                dropout input_backward_summed (S = dzx summed per token: dW = xu^T S, rows S W^T)
 * model_add_row_grads                           the sparse rows: row scatter | subword_scatter
 *
 * A cell (`rnn/cell.h`) only does one step's element-wise gate arithmetic, forward and
 * backward; the model does the matrix products. Parameters are one flat array, the
 * row-sparse block first (the embedding table, or layer 0's W under one-hot input): a
 * chunk keeps its row gradients (T,B,width) in its work, `model_add_row_grads` adds them
 * to the rows its tokens touch, in chunk order, and the optimiser steps every parameter
 * from `update_from` (after a frozen table).
 *
 * **Bidirectional** (`--bidirectional`). Each layer has a second
 * cell, its own W, U, b, running from step T-1 down to 0 with its values at their step's
 * row: a layer's output at step t is both cells' h_t side by side (T,B,2u), the next
 * layer's input (one input dropout mask per layer, each cell its own recurrent mask).
 * Cells are numbered l * dirs + d, so one direction keeps the one-direction layout byte
 * for byte. `last` pools each direction's final state, the reverse cell's at step 0
 * (Keras' `Bidirectional`). Under one-hot input layer 0's two W share the row-sparse
 * block: its row k is both directions' W rows for word k side by side (dirs x G u
 * floats), so a token's gradient is one row, as under an embedding.
 *
 * **Pooling** (`--pool`). `last` (default, Keras' `return_sequences=False`) feeds the head
 * h at step T. `mean` and `max` run over the top layer's non-padding steps (token != 0);
 * padding only pools to zero; a max keeps its step (the first of ties) for the backward.
 *
 * **Subword input** (`--subwords`, with a subword embedding;
 * `experiments/run/subword_input.c`). Each distinct token of the corpus, train and test
 * alike, is one type: its word row when the capped vocabulary has it, then its n-grams'
 * bucket rows in fastText's order (`TokenRows` in `rnn/model.h`; type 0 padding, 1 the
 * unknown token; a token with neither a word row nor an n-gram is row 1). The table is the
 * vocabulary's rows 0 .. vocab - 1, then a row per bucket the corpus uses; sequences hold
 * type ids. A type's vector (`distinct_inputs`) is a gather-mean (a sum from zero in list order, then one
 * multiplication by 1/n, `subword_mean`'s order); `subword_scatter` adds 1/n of a step's
 * row gradient to each row. N-gram rows start as the embedding's (zero for a bucket
 * without one), so a word without a word row starts as `subword_oov_vector`'s vector bit
 * for bit; a vocabulary word's own row starts at `(1 + g) vec - sum of its g n-gram rows`,
 * so its mean starts at the embedding's vector. Fine-tuning is lazy (`optim_step_rows`:
 * LazyAdam, PyTorch's SparseAdam): only the rows a batch touched, and their moments, move;
 * the touched list is built chunk by chunk in order, so results are bit-identical for any
 * `--threads`. */
#ifndef EL_MODEL_H
#define EL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/real.h"
#include "rnn/cell.h"

#define MAX_LAYERS 8
#define MAX_SLOTS (2 * MAX_LAYERS) /* a cell per layer and direction */
#define CHUNK 16

enum { POOL_LAST, POOL_MEAN, POOL_MAX };

/* Subword input: the rows of the input table that make each token type's
 * vector, a CSR list per type. Type k's vector is the mean of table rows
 * row[start[k] .. start[k + 1]), in that order (fastText's composition: its
 * word row if it has one, then its n-grams' rows, duplicates kept). Type 0 is
 * padding (row 0), type 1 the unknown token (row 1); table rows 0 ..
 * vocab - 1 are the vocabulary's word rows, the rest n-gram rows. Built by
 * experiments/run/subword_input.c; the model borrows it. */
typedef struct {
    int32_t ntypes;
    int64_t nrows;        /* rows of the input table, >= vocab */
    const int64_t *start; /* [ntypes + 1], each list nonempty */
    const int32_t *row;   /* [start[ntypes]], each below nrows */
} TokenRows;

typedef struct {
    const CellType *cell;
    int activation; /* SimpleRNN only */
    int onehot;     /* 1: one-hot input; 0: embedding of `dim` */
    int vocab;      /* indices 0 .. vocab - 1 */
    int dim, units, layers, maxlen;
    int freeze; /* embedding kept fixed */
    int mask;   /* padding (index 0) steps carry the state over */
    int pool;   /* POOL_LAST, POOL_MEAN or POOL_MAX */
    int bidirectional;
    double dropout, recurrent_dropout;
    const TokenRows *rows; /* subword input (tokens are type ids), or NULL */
} ModelConfig;

typedef struct {
    ModelConfig cfg;
    int in_dim[MAX_LAYERS];
    int dirs;      /* 1, or 2 when bidirectional */
    int out_width; /* a layer's output: dirs x units */
    int64_t nparams;
    real *params;
    int64_t embed;      /* offset of the table, or -1 */
    int64_t table_rows; /* rows of the sparse block: vocab, or rows->nrows under subword input */
    int64_t W[MAX_SLOTS], U[MAX_SLOTS], b[MAX_SLOTS], rb[MAX_SLOTS]; /* cell l * dirs + d; rb -1 when absent */
    int64_t dense_w, dense_b;
    int64_t sparse_width; /* row width of the sparse block at offset 0: dim, or G*units */
    int64_t dense_from;   /* first parameter after the sparse block */
    int64_t update_from;  /* first parameter the optimiser updates (after a frozen table) */
} Model;

/* Builds the layout and initialises as Keras: Glorot-uniform input weights,
 * orthogonal recurrent weights, zero biases (LSTM forget bias 1), embedding
 * (every row of the table, n-gram rows too) uniform in [-0.05, 0.05]. -1
 * with a message for a bad configuration (TokenRows checked: lists nonempty,
 * rows in range). */
int model_init(Model *m, const ModelConfig *cfg, uint64_t seed);
/* The layout alone (offsets, nparams; m->params NULL), with nothing
 * allocated: how a stored model's size is checked before anything costs
 * time or memory. Sizes are computed without overflow; a configuration of
 * more parameters than memory can address is refused. -1 with a message as
 * model_init. */
int model_layout(Model *m, const ModelConfig *cfg);
/* A stored model: the layout, params[0..bytes) checked to be exactly its
 * parameters before anything is allocated, then copied. No random
 * initialisation (its cost grows with units cubed, and every value is
 * overwritten). 0, or -1 with a message (a bad configuration, a size that
 * does not match). */
int model_load(Model *m, const ModelConfig *cfg, const void *params, size_t bytes);
void model_free(Model *m);

typedef struct Work Work;
Work *work_new(const Model *m);
/* The hash table's slots for a chunk of `positions` tokens (the smallest
 * power of two, 16 or more, at least twice positions): work_new's, for
 * classifier_work_bytes to count. */
size_t model_hash_slots(size_t positions);
void work_free(Work *w);

/* Forward over B (<= CHUNK) sequences tokens[B x maxlen]; returns the summed
 * binary cross-entropy and writes probabilities to probs (if not NULL).
 * training: apply dropout, with masks drawn from (dropout_seed, sample_ids[b]).
 * grad (optional): the gradient of scale * loss is written to the dense part
 * grad[dense_from ..] (overwritten); the sparse rows stay in the work until
 * model_add_row_grads() adds them to grad[0 .. dense_from). */
double model_chunk(const Model *m, Work *w, const int32_t *tokens, const real *labels, int B, int training,
                   uint64_t dropout_seed, const uint64_t *sample_ids, real scale, real *grad, real *probs);
/* The steps model_chunk runs for one sequence seq[maxlen] alone: under
 * --mask the span from its first to its last real token (0 for padding
 * only), else maxlen. A chunk runs the union of its sequences' spans, so
 * callers sort by it to put reviews of like length in one chunk (rnn/train.c). */
int model_steps(const ModelConfig *c, const int32_t *seq);
/* The steps the last model_chunk on w ran (a test's view of the trimming). */
int work_steps(const Work *w);
void model_add_row_grads(const Model *m, const Work *w, real *grad);
/* The same for the rows of one part of `parts` (a fixed split of the rows,
 * whatever thread runs it): parts called side by side in threads, each
 * over the chunks in order, add every row's terms in the serial order, so
 * the result is bit-identical to model_add_row_grads for any split. */
void model_add_row_grads_part(const Model *m, const Work *w, real *grad, int part, int parts);
/* The floats model_add_row_grads adds for this work's chunk (0: none). */
int64_t model_row_grad_size(const Model *m, const Work *w);
/* Zeroes the rows of grad's sparse block that this work's chunk touched. */
void model_clear_row_grads(const Model *m, const Work *w, real *grad);
/* Appends to list[n ..] the table rows this work's chunk touched that
 * seen[] (one byte per table row) does not mark yet, marking them; returns
 * the new length. Chunk by chunk in order, the list's order is fixed. */
int64_t model_row_list(const Model *m, const Work *w, uint8_t *seen, int32_t *list, int64_t n);

/* The input vector (dim) of token k before dropout: its table row, or under
 * subword input the mean of its rows (what the input stage computes). */
void model_input_vector(const Model *m, int32_t k, real *out);

/* Bytes the one-hot input of n sequences would take if materialised as float32. */
int64_t onehot_bytes(int64_t n, int maxlen, int vocab);

#endif
