/* experiments/run/subword_run.h: a subword-input run's trained model as the lab
 * notebook keeps it (models.format SUBWORD_RUN_FORMAT), and that model
 * rebuilt over any tokens (`embedlab predict`, `embedlab eval`).
 *
 * After training, the input table is the vocabulary's word rows, then one
 * row per n-gram bucket the run's corpus used (experiments/run/subword_input.h).
 * An n-gram row starts as the base embedding's row of its bucket, or zero
 * (subword_input_init), and moves only when a batch touches it (lazily;
 * never when frozen). So a run keeps its word rows, the parameters after the
 * table and only the n-gram rows that differ from their start, each with its
 * bucket; the n-gram setting and every other row are the base embedding's
 * (runs.embedding_id), read again when the run is loaded and checked against
 * a hash of its n-gram rows. The model rebuilt over other tokens gives each
 * the input vector the run gave it, bit for bit, and a word the run never
 * saw the mean of its n-grams' rows as training left them.
 *
 * The blob, little-endian: five u64 (word rows, dim, parameters after the
 * table, n-gram rows stored, the base's hash), then the word rows (rows x
 * dim float32), the parameters after the table, the stored n-gram rows'
 * buckets (u32, strictly ascending) and those rows (rows x dim float32).
 *
 *   subword_run_base_hash  the identity of a base embedding's n-gram rows
 *   subword_run_pack       a trained model's blob
 *   subword_run_unpack     a blob read back, every size checked first
 *   subword_run_model      the model over a SubwordInput's rows */
#ifndef EL_SUBWORD_RUN_H
#define EL_SUBWORD_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "embed/vectors.h"
#include "experiments/run/subword_input.h"
#include "rnn/model.h"

#define SUBWORD_RUN_FORMAT "float32-le+ngram-rows"

typedef struct {
    int64_t cap; /* word rows */
    int dim;
    int64_t ndense;     /* parameters after the table */
    int64_t nrows;      /* n-gram rows stored */
    uint64_t base_hash; /* subword_run_base_hash of the base embedding */
    real *words;        /* [cap x dim] */
    real *dense;        /* [ndense] */
    uint32_t *bucket;   /* [nrows] strictly ascending */
    real *rows;         /* [nrows x dim] */
} SubwordRun;

/* hash_bytes of base's n-gram buckets and rows, and their count and dim. */
uint64_t subword_run_base_hash(const Embedding *base);

/* Model m, built on s's rows and started from base by subword_input_init,
 * as a blob (*blob, to free, of *bytes): only its n-gram rows that differ
 * (bit for bit) from the start base gives them. */
void subword_run_pack(const SubwordInput *s, const Model *m, const Embedding *base, void **blob, size_t *bytes);

/* blob[0..bytes) into r: cap word rows of base's dim expected, every size
 * checked against the bytes before anything is allocated, the buckets
 * strictly ascending and below base's bucket count, the hash base's. 0, or
 * -1 with a message. Free r with subword_run_free. */
int subword_run_unpack(const void *blob, size_t bytes, int64_t cap, const Embedding *base, SubwordRun *r);
void subword_run_free(SubwordRun *r);

/* *m built on mc with s's rows (mc->rows is set here; s->cap must be r's),
 * its parameters r's: the word rows, the parameters after the table, and
 * each n-gram row r's row of its bucket, else base's, else zero. 0, or -1
 * with a message (a configuration whose parameters after the table are not
 * r's count). */
int subword_run_model(const SubwordRun *r, const Embedding *base, const SubwordInput *s, ModelConfig *mc, Model *m);

#endif
