/* experiments/run/runner.h: one classifier run, from configuration to a
 * finished (or failed, or interrupted) run in the lab database. `embedlab
 * train` runs one; `embedlab sweep` runs many over one loaded LabData.
 *
 *   labdata_load    the reviews and the train-split vocabulary, once
 *   classifier_run  validate, build the datasets, initialise (from an
 *                   embedding in lab.db when named), train with per-epoch
 *                   records, score the test split, store results and model */
#ifndef EL_RUNNER_H
#define EL_RUNNER_H

#include <sqlite3.h>

#include "embed/data/vocab.h"
#include "experiments/run/experiment.h"
#include "experiments/run/run_record.h"
#include "rnn/train.h"

typedef struct {
    Corpus corpus;
    Vocab vocab;
    Tokenizer *tok; /* what made corpus's words, ready; owned */
    char data[1024], test_data[1024];
    /* The fingerprint of the reviews as read, both splits: each review's
     * split, label and tokens in order, hashed (hash_bytes), 16 hex digits.
     * Reviews with the same tokens, labels and order train the same
     * classifier; an edit that changes any of them changes it. A run records
     * it ($.data_hash), and `train --reuse` matches it. */
    char data_hash[17];
} LabData;

/* Loads data (and test_data) through tok, which d owns from then on (NULL:
 * words; freed on failure too); a learned tok that is not ready is trained
 * first, on the train split only; d->data_hash is the reviews' fingerprint.
 * 0, or -1 with a message. */
int labdata_load(LabData *d, const char *data, const char *test_data, Tokenizer *tok);
void labdata_free(LabData *d);

typedef struct {
    int dim_given;         /* --dim was given: it must match a named embedding */
    int64_t sweep_id;      /* 0: not part of a sweep */
    const char *sweep_key; /* the grid point, for resuming; NULL outside sweeps */
    volatile int *stop;    /* set to stop (Ctrl-C): the run is marked interrupted */
    int quiet;             /* no per-run lines on stderr (a sweep draws its own) */
    int reuse;             /* a finished run of the same config, data and embedding is reported, not trained */
} RunOptions;

/* 0 when the run finished; 1 when o->sweep_key names a grid point that is
 * finished or running in another live process (nothing is run or recorded);
 * 2 when o->reuse and a finished run would record the same (run_find_same,
 * once the configuration is settled: tokenizer, embedding, dimension,
 * subwords, input kind, threads, data): *run_out and *res_out are that
 * run's and nothing is trained or recorded; -1 with a message otherwise (the
 * run, if it was recorded, is then marked failed or interrupted). */
int classifier_run(sqlite3 *db, Experiment *c, const LabData *d, const RunOptions *o, int64_t *run_out,
                   RunResult *res_out);

#endif
