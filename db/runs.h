/* db/runs.h: classifier runs in the lab notebook.
 *
 *   run_start       a runs row (status 'running') with the full config as JSON
 *   run_add_epoch   one epochs row, written as the epoch ends
 *   run_finish      results, trained parameters and vocabulary, status
 *                   'finished': one transaction
 *   run_set_status  'failed' or 'interrupted', with a message
 *   run_load        config, model and vocabulary of a finished run */
#ifndef EL_DB_RUNS_H
#define EL_DB_RUNS_H

#include <sqlite3.h>
#include <stdint.h>

#include "rnn/train.h"

typedef struct {
    double test_loss, test_acc, val_loss, val_acc;
    int best_epoch, epochs;
    int64_t params;
    double seconds, seconds_per_epoch;
    int64_t input_bytes, onehot_bytes;
} RunResult;

int run_start(sqlite3 *db, const ClassifierConfig *c, int64_t sweep_id, const char *sweep_key, int64_t embedding_id,
              int64_t *run_id);
int run_add_epoch(sqlite3 *db, int64_t run, const EpochMetrics *e);
int run_finish(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const char *vocab, size_t vocab_len);
int run_set_status(sqlite3 *db, int64_t run, const char *status, const char *error);
int run_load(sqlite3 *db, int64_t run, ClassifierConfig *c, Model *m, char **vocab);

/* The config of a run, from its JSON. */
int run_config(sqlite3 *db, int64_t run, ClassifierConfig *c);

#endif
