/* experiments/run/run_record.h: a classifier run's records in the lab notebook,
 * in rnn/'s types. db/runs.h stores plain rows and knows no configuration
 * struct or model; this is where the two meet (ARCHITECTURE.md, "Folders and
 * what they may include").
 *
 *   run_start      a runs row with the config as JSON: the fields of
 *                  experiments/run/experiment.h's table, in order, with its types
 *   run_find_same  a finished run that run_start of the same config would
 *                  record identically (for `train --reuse`)
 *   run_add_epoch  an epochs row from the trainer's metrics
 *   run_finish     results, trained parameters and vocabulary
 *   run_finish_subword  the same for a subword-input run
 *   run_config     a run's config read back, each value through experiment_set
 *   run_load       config, model and vocabulary of a finished run (not
 *                  of subword input: experiments/run/saved_run.h) */
#ifndef EL_RUN_RECORD_H
#define EL_RUN_RECORD_H

#include <sqlite3.h>
#include <stdint.h>

#include "db/runs.h"
#include "experiments/run/experiment.h"
#include "experiments/run/subword_input.h"
#include "rnn/train.h"

/* 0 with *run_id set; 1 when sweep_key is given and that point of the sweep
 * is finished or running in a live process (nothing is recorded); -1 on error.
 * Runs whose owner is gone are marked lost first, so their point is run again.
 * Under one-hot input the embedding's name and size are null, and an empty
 * test_data is null. */
int run_start(sqlite3 *db, const Experiment *c, int64_t sweep_id, const char *sweep_key, int64_t embedding_id,
              int64_t *run_id);
/* The newest finished run whose stored config is the one run_start would
 * store for c (every field, threads, the data's paths and its fingerprint
 * data_hash included), and which read embedding embedding_id and tokenizer
 * model tokenizer_id (0: none; a re-created embedding is another row): 1
 * with *run_id and its results in *r, 0 when there is none (always when c
 * has no data_hash), -1 on error. Nothing is written. */
int run_find_same(sqlite3 *db, const Experiment *c, int64_t embedding_id, int64_t tokenizer_id, int64_t *run_id,
                  RunResult *r);
int run_add_epoch(sqlite3 *db, int64_t run, const EpochMetrics *e);
int run_finish(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const char *vocab, size_t vocab_len);
/* run_finish of a subword-input run: m built on s's rows and started from
 * embedding embedding_id's n-gram rows, which are read again to store only
 * the rows that moved (experiments/run/subword_run.h). */
int run_finish_subword(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const SubwordInput *s,
                       int64_t embedding_id, const char *vocab, size_t vocab_len);

/* The config of a run, from its JSON: the defaults, then each key the table
 * knows through experiment_set (a key of a newer version is ignored, a null keeps
 * the default); -1 with a message naming the key when a value is refused. */
int run_config(sqlite3 *db, int64_t run, Experiment *c);
int run_load(sqlite3 *db, int64_t run, Experiment *c, Model *m, char **vocab);

#endif
